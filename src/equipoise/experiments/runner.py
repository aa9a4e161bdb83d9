"""Running a sweep: chunks of (point, replications) on any executor, resumable.

Contract
--------
- The work of a sweep is a list of **chunks**: a design point and a range of its
  replications (``chunk_size`` at a time). A chunk is a pure function of the
  point's scenario, the replication range, the number of steps and the point's
  seed (:meth:`SweepSpec.point_seed`, ``equipoise.rng.derive_seed(seed, p)``, or
  the sweep's own seed with common random numbers), so it gives the same rows on
  any worker, in any order, with any number of threads, and whatever the chunk
  size: under the engine's counter-based random numbers replication ``r`` of point
  ``p`` is replication ``r`` of ``run(point scenario, ..., seed=point_seed(p))``.
- Workers only compute; the process that calls :func:`sweep` writes each
  finished chunk as its own Parquet file, atomically (temporary file, fsync,
  rename), so a killed sweep leaves whole chunks or none. Workers need no
  shared file system.
- The output directory holds ``manifest.json`` (the spec's SHA-256, the
  package versions), the spec as ``sweep.toml``, the design (``points.parquet``,
  ``design.parquet``) and ``chunks/``. Running the same spec again skips the
  finished chunks; a different spec, or another equipoise version, is refused.
- One sweep at a time creates or writes to a directory: :func:`sweep` holds an
  operating-system lock on ``.NAME.lock`` beside the directory ``NAME`` while it
  runs (the file records the holder's process id, host and start time); a second
  sweep into the same directory is refused with a one-line error. The lock ends
  with its holder, even a killed one.
- When every chunk is done, ``outcomes.parquet`` joins them: one row per
  replication with the point's parameter values, sorted by point and
  replication.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import platform
import re
import secrets
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from equipoise._dask import dask_client
from equipoise._io import atomic_dir, directory_lock
from equipoise._procs import end_with
from equipoise._version import __version__
from equipoise.engine import run
from equipoise.experiments.spec import FORMAT, InvalidSweepError, SweepSpec
from equipoise.scenario import Scenario

__all__ = [
    "OUTCOMES",
    "ChunkTask",
    "IncompleteSweepError",
    "SerialExecutor",
    "SweepLockedError",
    "SweepMismatchError",
    "SweepReport",
    "check_directory",
    "load_sweep",
    "read_outcomes",
    "simulate_chunk",
    "sweep",
]

#: Per-replication outcomes of a chunk: name -> (dtype, description).
OUTCOMES: dict[str, tuple[str, str]] = {
    "hegemony_onset": ("int64", "step at which hegemony was established, -1 if never"),
    "hegemon": ("int64", "index of the hegemon, -1 if none"),
    "hegemony_steps": ("int64", "steps spent in established hegemony"),
    "survivors": ("int64", "states alive at the last step"),
    "mean_concentration": ("float64", "Ray-Singer CON averaged over the steps"),
    "final_concentration": ("float64", "Ray-Singer CON at the last step"),
    "final_leader_share": ("float64", "largest capability share at the last step"),
    "wars": ("int64", "wars started over the run"),
    "mean_arming": ("float64", "mean arming share of alive states at the last step"),
}
_KEYS = ("point", "replication")
MANIFEST = "manifest.json"
CHUNKS = "chunks"
_CHUNK_NAME = re.compile(r"^p(\d{7})-r(\d{7})-(\d{7})\.parquet$")

Evaluate = Callable[["ChunkTask"], pd.DataFrame]


class SweepMismatchError(InvalidSweepError):
    """The output directory holds a different sweep (or one from another version)."""


class IncompleteSweepError(InvalidSweepError):
    """A sweep directory is missing chunks (the sweep has not finished)."""


class SweepLockedError(InvalidSweepError):
    """Another sweep is writing to the output directory."""


# ------------------------------------------------------------------- chunks
@dataclass(frozen=True)
class ChunkTask:
    """One unit of work: replications ``start..stop-1`` of a design point.

    Attributes
    ----------
    point : int
        Index of the design point.
    start, stop : int
        Replication range (``stop`` excluded).
    scenario : Scenario
        The point's scenario.
    steps : int
        Steps per replication.
    seed : int
        The point's seed (:meth:`SweepSpec.point_seed`); the chunk runs replications
        ``start..stop-1`` of it.
    threads : int, optional
        Threads of the compiled kernel (default: all of the worker's). Results do not
        depend on it; :func:`sweep` gives each task its share of the machine's cores.
    """

    point: int
    start: int
    stop: int
    scenario: Scenario
    steps: int
    seed: int
    threads: int | None = None

    @property
    def replications(self) -> range:
        """The replication indices of this chunk."""
        return range(self.start, self.stop)

    @property
    def work(self) -> int:
        """Replication-steps in this chunk."""
        return (self.stop - self.start) * self.steps

    @property
    def filename(self) -> str:
        """File name of the chunk's Parquet file."""
        return chunk_filename(self.point, self.start, self.stop)


def chunk_filename(point: int, start: int, stop: int) -> str:
    """``p0000012-r0000100-0000200.parquet`` for replications 100-199 of point 12."""
    return f"p{point:07d}-r{start:07d}-{stop:07d}.parquet"


def plan(spec: SweepSpec) -> list[tuple[int, int, int]]:
    """Every chunk of a sweep as ``(point, start, stop)``, point by point."""
    cs = spec.effective_chunk_size
    r = spec.replications
    return [(p, a, min(a + cs, r)) for p in range(spec.n_points) for a in range(0, r, cs)]


def simulate_chunk(task: ChunkTask) -> pd.DataFrame:
    """Simulate a chunk and reduce each replication to its outcomes (:data:`OUTCOMES`).

    The default evaluation of :func:`sweep`: a pure function of the task.

    Examples
    --------
    >>> from equipoise import Scenario
    >>> task = ChunkTask(0, 2, 4, Scenario.load("null"), 10, seed=1)
    >>> rows = simulate_chunk(task)
    >>> rows[["point", "replication"]].to_dict("list")
    {'point': [0, 0], 'replication': [2, 3]}
    >>> bool(rows["survivors"].between(1, 50).all())
    True
    """
    result = run(
        task.scenario,
        replications=task.replications,
        steps=task.steps,
        seed=task.seed,
        record_states=False,
        threads=task.threads,
    )
    ds = result.dataset
    concentration = ds["concentration"].values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
        mean_con = np.nanmean(concentration, axis=1)
    frame = pd.DataFrame(
        {
            "point": np.full(len(task.replications), task.point, dtype=np.int64),
            "replication": ds["replication"].values.astype(np.int64),
            "hegemony_onset": ds["hegemony_onset"].values,
            "hegemon": ds["hegemon"].values,
            "hegemony_steps": ds["hegemony_steps"].values,
            "survivors": ds["survivors"].values[:, -1],
            "mean_concentration": mean_con,
            "final_concentration": concentration[:, -1],
            "final_leader_share": ds["leader_share"].values[:, -1],
            "wars": ds["war_onsets"].values[:, 1:].sum(axis=1),
            "mean_arming": ds["mean_arming"].values[:, -1],
        }
    )
    return frame


def _run_task(evaluate: Evaluate, task: ChunkTask) -> tuple[str, pd.DataFrame]:
    """What a worker runs: the evaluation, tagged with the worker's equipoise version."""
    return __version__, evaluate(task)


def _check_rows(task: ChunkTask, frame: pd.DataFrame) -> pd.DataFrame:
    """Verify a chunk's rows (columns, one row per replication) and fix their dtypes."""
    expected = [*_KEYS, *OUTCOMES]
    if not isinstance(frame, pd.DataFrame) or list(frame.columns) != expected:
        got = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
        raise InvalidSweepError(
            f"chunk {task.filename}: the evaluation returned columns {got}, expected {expected}"
        )
    reps = frame["replication"].to_numpy()
    if len(frame) != len(task.replications) or not np.array_equal(reps, task.replications):
        raise InvalidSweepError(
            f"chunk {task.filename}: the evaluation returned replications {reps.tolist()[:5]}..., "
            f"expected {task.start}..{task.stop - 1}"
        )
    if not (frame["point"].to_numpy() == task.point).all():
        raise InvalidSweepError(f"chunk {task.filename}: rows of another point returned")
    dtypes = {"point": "int64", "replication": "int64"} | {k: d for k, (d, _) in OUTCOMES.items()}
    wrong = {k: d for k, d in dtypes.items() if frame[k].dtype != np.dtype(d)}
    return (frame.astype(wrong) if wrong else frame).reset_index(drop=True)


# ---------------------------------------------------------------- executors
class SerialExecutor(Executor):
    """Run each task in the calling process when it is submitted.

    For debugging (tracebacks stay in one process) and for reference runs: a
    sweep gives the same files on this as on a process pool or Dask.
    """

    _max_workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Call ``fn(*args, **kwargs)`` now; return a finished future."""
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # delivered through the future, as executors do
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers start from a fork server that has equipoise loaded.

    ``forkserver`` (``spawn`` where it is missing) rather than ``fork``: the
    workers do not inherit the caller's threads, e.g. a Dask client's.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx: multiprocessing.context.BaseContext
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["equipoise.experiments.runner"])
    else:  # pragma: no cover - Windows
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=ctx,
        initializer=end_with,  # workers end when the sweep does, even if it is killed
        initargs=(os.getpid(),),
    )


@contextlib.contextmanager
def dask_executor(
    scheduler: str | None = None, n_workers: int | None = None, timeout: float = 30.0
) -> Iterator[tuple[Executor, int]]:
    """A ``concurrent.futures`` executor on a Dask cluster, and its number of threads.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).
    n_workers : int, optional
        Start a ``LocalCluster`` of this many single-threaded worker processes
        instead.
    timeout : float
        Seconds to wait for the scheduler.

    Yields
    ------
    (Executor, int)
        ``Client.get_executor()`` and the threads the cluster has now.
    """
    if (scheduler is None) == (n_workers is None):
        raise InvalidSweepError("give a scheduler address or a number of local workers")
    with dask_client(scheduler, n_workers, InvalidSweepError, timeout) as client:
        threads = sum(client.nthreads().values())
        yield client.get_executor(pure=False), threads


def _capacity(executor: Executor) -> int:
    n = getattr(executor, "_max_workers", None)
    return int(n) if n else os.cpu_count() or 1


# ----------------------------------------------------------------- directory
def _manifest(spec: SweepSpec, n_chunks: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "name": spec.name,
        "description": spec.description,
        "spec_hash": spec.content_hash(),
        "equipoise_version": __version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "design": spec.design,
        "factors": list(spec.factors),
        "points": spec.n_points,
        "replications": spec.replications,
        "steps": spec.steps,
        "seed": spec.seed,
        "chunk_size": spec.effective_chunk_size,
        "chunks": n_chunks,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "spec": spec.canonical(),
    }


def _write_parquet(frame: pd.DataFrame, path: Path, meta: dict[str, Any] | None = None) -> None:
    """Write a Parquet file atomically and durably (fsync before the rename)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if meta:
        extra = {b"equipoise": json.dumps(meta).encode()}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(tmp, "xb") as fh:  # the umask applies, unlike mkstemp's 0600
            pq.write_table(table, fh, compression="zstd")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _create(spec: SweepSpec, directory: Path, n_chunks: int) -> None:
    """Lay out a new sweep directory in one atomic step."""
    # no record of the files written: chunks and outcomes are added later
    with atomic_dir(directory, marker=MANIFEST, record=False) as tmp:
        (tmp / CHUNKS).mkdir()
        (tmp / "sweep.toml").write_text(spec.to_toml(), encoding="utf-8")
        _write_parquet(spec.points(), tmp / "points.parquet")
        design = pd.DataFrame(spec.design_matrix(), columns=list(spec.factors))
        _write_parquet(design, tmp / "design.parquet")
        text = json.dumps(_manifest(spec, n_chunks), indent=2) + "\n"
        (tmp / MANIFEST).write_text(text, encoding="utf-8")


def _read_manifest(path: Path) -> dict[str, Any]:
    """A sweep directory's ``manifest.json``; a one-line error if it cannot be read."""
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidSweepError(f"{path}: unreadable manifest: {exc}") from None
    return manifest


def check_directory(spec: SweepSpec, directory: str | Path) -> bool:
    """Check that ``directory`` can hold ``spec``'s results, writing nothing.

    Returns
    -------
    bool
        True if it already holds this sweep (it will be resumed), False if it is
        absent or empty (it will be created).

    Raises
    ------
    SweepMismatchError
        If it holds a different sweep, or one started by another equipoise version.
    InvalidSweepError
        If it is a file, or a non-empty directory that is not a sweep.
    """
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if directory.exists() and not directory.is_dir():
        raise InvalidSweepError(f"output path exists and is not a directory: {directory}")
    if manifest_path.is_file():
        manifest = _read_manifest(manifest_path)
        if manifest.get("spec_hash") != spec.content_hash():
            old = manifest.get("spec", {})
            new = spec.canonical()
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            raise SweepMismatchError(
                f"{directory} holds a different sweep (changed: {', '.join(changed) or '?'}); "
                "restore the original sweep file to resume it, or choose another output directory"
            )
        if manifest.get("equipoise_version") != __version__:
            raise SweepMismatchError(
                f"{directory} was started with equipoise {manifest.get('equipoise_version')}, "
                f"this is {__version__}; finish it with that version or use another output "
                "directory (results of two versions would be mixed)"
            )
        return True
    if directory.is_dir() and any(directory.iterdir()):
        raise InvalidSweepError(
            f"refusing to use {directory}: it is not empty and not an equipoise sweep directory"
        )
    for parent in directory.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InvalidSweepError(f"cannot create {directory}: {parent} is not a directory")
            break
    return False


def _open(spec: SweepSpec, directory: Path, n_chunks: int) -> bool:
    """Create the directory, or check it holds this very sweep; True if it existed."""
    if check_directory(spec, directory):
        (directory / CHUNKS).mkdir(exist_ok=True)
        return True
    _create(spec, directory, n_chunks)
    return False


def _busy(directory: Path, holder: str) -> SweepLockedError:
    """The error of a sweep into a directory that another sweep is writing to."""
    return SweepLockedError(
        f"another sweep is writing to {directory} ({holder}); wait for it to finish"
    )


def _finished(directory: Path, spec_hash: str, planned: set[str]) -> set[str]:
    """Names of the planned chunks already written (stray temporary files removed)."""
    done = set()
    for path in (directory / CHUNKS).iterdir():
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # a write cut short by a crash
            continue
        if path.name not in planned:
            continue
        try:
            meta = pq.read_schema(path).metadata or {}
            tag = json.loads(meta.get(b"equipoise", b"{}"))
        except (OSError, ValueError, pa.ArrowException):
            warnings.warn(f"unreadable chunk {path.name} will be recomputed", stacklevel=3)
            path.unlink()
            continue
        if tag.get("spec_hash") != spec_hash:
            raise SweepMismatchError(f"chunk {path} belongs to another sweep; remove it")
        done.add(path.name)
    return done


# --------------------------------------------------------------------- sweep
@dataclass(frozen=True)
class SweepReport:
    """What :func:`sweep` did.

    Attributes
    ----------
    directory : Path
        The sweep directory.
    chunks : int
        Chunks in the sweep.
    skipped : int
        Chunks already done before this call (resumed).
    computed : int
        Chunks computed by this call.
    work : int
        Replication-steps computed by this call.
    seconds : float
        Wall time of this call.
    """

    directory: Path
    chunks: int
    skipped: int
    computed: int
    work: int
    seconds: float

    def outcomes(self) -> pd.DataFrame:
        """The joined outcomes (see :func:`read_outcomes`)."""
        return read_outcomes(self.directory)


def sweep(
    spec: SweepSpec | str | Path,
    executor: Executor | None = None,
    *,
    workers: int | None = None,
    out: str | Path | None = None,
    progress: bool | Callable[[int, int], None] = False,
    evaluate: Evaluate | None = None,
    max_pending: int | None = None,
) -> SweepReport:
    """Run (or resume) a sweep and write its results.

    Parameters
    ----------
    spec : SweepSpec or path
        The sweep, or the path of a sweep file.
    executor : concurrent.futures.Executor, optional
        Where chunks run: any executor, e.g. ``SerialExecutor()``, a
        ``ProcessPoolExecutor`` or a Dask ``Client.get_executor()``. Default:
        a process pool of ``workers`` processes, shut down at the end.
    workers : int, optional
        Processes of the default pool (default: all cores).
    out : path, optional
        Output directory instead of the spec's.
    progress : bool or callable
        ``True``: a progress bar with ETA on standard error. A callable gets
        ``(done, total)`` replication-steps after each chunk and once at the start.
    evaluate : callable, optional
        ``ChunkTask -> DataFrame`` with the columns of :func:`simulate_chunk`
        (default). Must be picklable for process pools and Dask.
    max_pending : int, optional
        Chunks submitted but not finished at any time (default: twice the
        executor's workers).

    Returns
    -------
    SweepReport

    Raises
    ------
    SweepMismatchError
        If the output directory holds another sweep.
    """
    started = time.perf_counter()
    if executor is not None and workers is not None:
        raise ValueError("workers sizes the default process pool; size your executor instead")
    if not isinstance(spec, SweepSpec):
        spec = SweepSpec.load(spec)
    directory = Path(out) if out is not None else spec.output_dir()
    chunks = plan(spec)
    check_directory(spec, directory)  # before taking the lock: a bad request writes nothing
    # one sweep at a time creates or writes to a directory
    with directory_lock(directory, lambda holder: _busy(directory, holder)):
        _open(spec, directory, len(chunks))
        spec_hash = spec.content_hash()
        done = _finished(directory, spec_hash, {chunk_filename(*c) for c in chunks})
        todo = [c for c in chunks if chunk_filename(*c) not in done]
        total = spec.n_points * spec.replications * spec.steps
        already = sum((b - a) * spec.steps for p, a, b in chunks if chunk_filename(p, a, b) in done)

        evaluate = evaluate or simulate_chunk
        own = executor is None
        pool: Executor = process_pool(workers) if executor is None else executor
        serial = isinstance(pool, SerialExecutor)
        pending_limit = max_pending or (1 if serial else 2 * _capacity(pool))
        # one task in this process may use every core; concurrent tasks share them
        threads = None if serial else max(1, (os.cpu_count() or 1) // _capacity(pool))
        scenarios: dict[int, Scenario] = {}

        def task_of(p: int, a: int, b: int) -> ChunkTask:
            if p not in scenarios:
                scenarios.clear()  # points are visited in order: keep one
                scenarios[p] = spec.point_scenario(p)
            return ChunkTask(p, a, b, scenarios[p], spec.steps, spec.point_seed(p), threads)

        with contextlib.ExitStack() as stack:
            if own:
                stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            report = _reporter(stack, progress, spec.name, len(chunks), len(done), already, total)
            work = _execute(
                pool,
                evaluate,
                (task_of(*c) for c in todo),
                pending_limit,
                directory / CHUNKS,
                spec_hash,
                report,
            )
        outcomes = directory / "outcomes.parquet"
        if todo or not outcomes.exists():
            _write_parquet(read_outcomes(directory, spec), outcomes)
        return SweepReport(
            directory=directory,
            chunks=len(chunks),
            skipped=len(done),
            computed=len(todo),
            work=work,
            seconds=time.perf_counter() - started,
        )


def _execute(
    executor: Executor,
    evaluate: Evaluate,
    tasks: Iterator[ChunkTask],
    max_pending: int,
    chunk_dir: Path,
    spec_hash: str,
    report: Callable[[int], None],
) -> int:
    """Keep up to ``max_pending`` chunks in flight; write each as it finishes."""
    pending: dict[Future[tuple[str, pd.DataFrame]], ChunkTask] = {}
    work = 0

    def fill() -> None:
        while len(pending) < max_pending:
            task = next(tasks, None)
            if task is None:
                return
            pending[executor.submit(_run_task, evaluate, task)] = task

    try:
        fill()
        while pending:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: pending[f].filename):
                task = pending.pop(future)
                version, frame = future.result()
                if version != __version__:
                    raise SweepMismatchError(
                        f"a worker runs equipoise {version}, this process {__version__}: "
                        "install the same version on every worker"
                    )
                rows = _check_rows(task, frame)
                meta = {
                    "spec_hash": spec_hash,
                    "point": task.point,
                    "start": task.start,
                    "stop": task.stop,
                    "equipoise_version": __version__,
                }
                _write_parquet(rows, chunk_dir / task.filename, meta)
                work += task.work
                report(task.work)
            fill()
    finally:
        for future in pending:
            future.cancel()
    return work


def _reporter(
    stack: contextlib.ExitStack,
    progress: bool | Callable[[int, int], None],
    name: str,
    chunks: int,
    chunks_done: int,
    done: int,
    total: int,
) -> Callable[[int], None]:
    """Progress callback: a rich bar with ETA, a user callable, or nothing."""
    if callable(progress):
        state = {"done": done}
        progress(done, total)

        def advance(work: int) -> None:
            state["done"] += work
            progress(state["done"], total)

        return advance
    if not progress:
        return lambda work: None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("chunks {task.fields[chunks]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True, highlight=False),
    )
    stack.enter_context(bar)
    counter = {"chunks": chunks_done}
    task = bar.add_task(
        f"sweep {name}", total=total, completed=done, chunks=f"{chunks_done}/{chunks}"
    )

    def advance_bar(work: int) -> None:
        counter["chunks"] += 1
        bar.update(task, advance=work, chunks=f"{counter['chunks']}/{chunks}")

    return advance_bar


# ----------------------------------------------------------------- reading
def require_directory(directory: str | Path) -> Path:
    """``directory`` as a Path; a one-line :class:`InvalidSweepError` if it is no directory."""
    directory = Path(directory)
    if not directory.exists():
        raise InvalidSweepError(f"sweep directory {directory} does not exist")
    if not directory.is_dir():
        raise InvalidSweepError(f"{directory} is a file, not a sweep directory")
    return directory


def load_sweep(directory: str | Path) -> SweepSpec:
    """The spec of a sweep directory (from its ``sweep.toml``), checked against its manifest.

    Raises
    ------
    InvalidSweepError
        If ``directory`` does not exist, is not a sweep directory or its files disagree.
    """
    directory = require_directory(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise InvalidSweepError(f"not an equipoise sweep directory (no {MANIFEST}): {directory}")
    manifest = _read_manifest(manifest_path)
    spec = SweepSpec.from_toml(
        (directory / "sweep.toml").read_text(encoding="utf-8"),
        source=str(directory / "sweep.toml"),
        base_dir=directory,
    )
    if spec.content_hash() != manifest.get("spec_hash"):
        raise SweepMismatchError(
            f"{directory}: sweep.toml does not match the manifest's spec hash (edited by hand?)"
        )
    return spec


def read_outcomes(directory: str | Path, spec: SweepSpec | None = None) -> pd.DataFrame:
    """All rows of a finished sweep: one per (point, replication), with parameter values.

    Columns: ``point``, the parameters, ``replication`` and :data:`OUTCOMES`;
    sorted by point and replication.

    Raises
    ------
    IncompleteSweepError
        If chunks are missing (rerun the sweep to finish it).
    """
    directory = Path(directory)
    spec = spec or load_sweep(directory)
    chunks = plan(spec)
    names = [chunk_filename(*c) for c in chunks]
    missing = [n for n in names if not (directory / CHUNKS / n).is_file()]
    if missing:
        raise IncompleteSweepError(
            f"the sweep in {directory} is not finished: {len(missing)} of {len(names)} chunks "
            "missing; run `equipoise sweep` on its file again to finish it"
        )
    files = [str(directory / CHUNKS / n) for n in names]
    rows = ds.dataset(files, format="parquet").to_table().to_pandas()  # reads in parallel
    rows = rows.sort_values(list(_KEYS), kind="stable").reset_index(drop=True)
    expected = spec.n_points * spec.replications
    keys = rows[list(_KEYS)].to_numpy()
    want = np.stack(
        [
            np.repeat(np.arange(spec.n_points), spec.replications),
            np.tile(np.arange(spec.replications), spec.n_points),
        ],
        axis=1,
    )
    if len(rows) != expected or not np.array_equal(keys, want):
        raise InvalidSweepError(
            f"the chunks in {directory} do not hold each (point, replication) exactly once "
            f"({len(rows)} rows, expected {expected})"
        )
    points = pd.read_parquet(directory / "points.parquet")
    joined = rows.merge(points, on="point", how="left", validate="many_to_one")
    columns = ["point", *spec.parameters, "replication", *OUTCOMES]
    return joined[columns]
