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
- A Ctrl-C (``KeyboardInterrupt``) in the process that calls :func:`sweep` ends the
  default pool's workers at once, abandoning the chunks they were running: the finished
  chunks stay on disk and the lock is released, so the same call resumes at once.
- When every chunk is done, ``outcomes.parquet`` joins them: one row per
  replication with the point's parameter values, sorted by point and
  replication.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from equipoise._io import directory_lock
from equipoise._procs import interrupt_latch
from equipoise._version import __version__
from equipoise.experiments.chunks import (
    ChunkTask,
    Evaluate,
    _check_rows,
    chunk_filename,
    plan,
    simulate_chunk,
)
from equipoise.experiments.directory import (
    CHUNKS,
    SweepMismatchError,
    _busy,
    _finished,
    _open,
    _write_parquet,
    check_directory,
    read_outcomes,
)
from equipoise.experiments.executors import (
    SerialExecutor,
    _capacity,
    process_pool,
    stop_workers,
)
from equipoise.experiments.spec import SweepSpec
from equipoise.scenario import Scenario

__all__ = ["SweepReport", "sweep"]

#: Seconds between two looks for a swallowed Ctrl-C while chunks run.
CHECK_SECONDS = 0.25


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
    # one sweep at a time creates or writes to a directory; a Ctrl-C is never swallowed
    with (
        interrupt_latch() as latch,
        directory_lock(directory, lambda holder: _busy(directory, holder)),
    ):
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
                # runs first on the way out: a Ctrl-C ends the workers at once, rather than
                # waiting for their chunks (the finished ones are on disk; a rerun resumes)
                stack.push(_stop_on_interrupt(pool))
            report = _reporter(stack, progress, spec.name, len(chunks), len(done), already, total)
            work = _execute(
                pool,
                evaluate,
                (task_of(*c) for c in todo),
                pending_limit,
                directory / CHUNKS,
                spec_hash,
                report,
                latch.check,
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
    check_interrupt: Callable[[], None],
) -> int:
    """Keep up to ``max_pending`` chunks in flight; write each as it finishes.

    ``check_interrupt`` raises ``KeyboardInterrupt`` after a Ctrl-C that was swallowed
    (see :func:`~equipoise._procs.interrupt_latch`); it is called before each
    submission and at least every :data:`CHECK_SECONDS` while chunks run.
    """
    pending: dict[Future[tuple[str, pd.DataFrame]], ChunkTask] = {}
    work = 0

    def fill() -> None:
        while len(pending) < max_pending:
            check_interrupt()
            task = next(tasks, None)
            if task is None:
                return
            pending[executor.submit(_run_task, evaluate, task)] = task

    try:
        fill()
        while pending:
            finished, _ = wait(list(pending), CHECK_SECONDS, FIRST_COMPLETED)
            check_interrupt()
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


def _stop_on_interrupt(pool: Executor) -> Callable[..., bool]:
    """An exit callback that ends ``pool``'s workers when a KeyboardInterrupt passes."""

    def stop(exc_type: type[BaseException] | None, *_: object) -> bool:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            stop_workers(pool)
        return False

    return stop


def _run_task(evaluate: Evaluate, task: ChunkTask) -> tuple[str, pd.DataFrame]:
    """What a worker runs: the evaluation, tagged with the worker's equipoise version."""
    return __version__, evaluate(task)
