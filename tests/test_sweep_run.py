"""Running sweeps: determinism across executors and chunk sizes, resume, refusal, SIGKILL.

Every comparison here is exact (``check_exact=True``): a sweep's rows depend only
on the spec seed, the point and the replication, never on which worker ran a
chunk, in which order, with how many threads, or how replications were grouped
into chunks. (The engine's counter-based random numbers make this so by
construction; these tests keep checking that the sweep machinery does not
break it.)
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from equipoise import run
from equipoise.cli import main
from equipoise.experiments import (
    OUTCOMES,
    IncompleteSweepError,
    InvalidSweepError,
    SerialExecutor,
    SweepLockedError,
    SweepMismatchError,
    SweepSpec,
    process_pool,
    read_outcomes,
    sweep,
)
from equipoise.experiments.chunks import ChunkTask, chunk_filename, simulate_chunk
from equipoise.rng import derive_seed

distributed = pytest.importorskip("distributed")

ENV = {**os.environ, "COLUMNS": "200"}


def _spec(out: Path, **fields: object) -> SweepSpec:
    data: dict[str, object] = {
        "scenario": "balancers",
        "replications": 7,
        "steps": 25,
        "seed": 11,
        "chunk_size": 3,
        "output": str(out),
        "parameters": {"war.decisiveness": [1.0, 3.0], "n_states": [5, 8]},
    }
    return SweepSpec.from_dict({**data, **fields})


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """The serial run every other execution must reproduce exactly."""
    out = tmp_path_factory.mktemp("ref") / "sweep"
    report = sweep(_spec(out), SerialExecutor())
    assert (report.chunks, report.computed, report.skipped) == (12, 12, 0)
    return read_outcomes(out)


@pytest.fixture(scope="module")
def dask_client() -> Iterator[object]:
    """One local Dask cluster for the module: two single-threaded worker processes."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# ================================================================= the data
def test_outcomes_have_one_row_per_point_and_replication(reference: pd.DataFrame) -> None:
    assert list(reference.columns) == [
        "point",
        "war.decisiveness",
        "n_states",
        "replication",
        *OUTCOMES,
    ]
    assert len(reference) == 4 * 7
    assert reference[["point", "replication"]].duplicated().sum() == 0
    assert reference.groupby("point")["replication"].apply(list).tolist() == [list(range(7))] * 4
    assert reference["n_states"].tolist()[:7] == [5] * 7
    assert (reference["survivors"] <= reference["n_states"]).all()
    assert reference["mean_concentration"].between(0, 1).all()


def test_rows_equal_engine_runs_of_each_point(tmp_path: Path, reference: pd.DataFrame) -> None:
    """Point p's rows are ``run(point_scenario(p), R, steps, derive_seed(seed, p))``."""
    spec = _spec(tmp_path / "unused")
    for p in range(spec.n_points):
        assert spec.point_seed(p) == derive_seed(11, p)
        result = run(spec.point_scenario(p), replications=7, steps=25, seed=derive_seed(11, p))
        rows = reference[reference["point"] == p]
        ds = result.dataset
        np.testing.assert_array_equal(rows["replication"], np.arange(7))
        np.testing.assert_array_equal(rows["hegemony_onset"], ds["hegemony_onset"].values)
        np.testing.assert_array_equal(rows["hegemon"], ds["hegemon"].values)
        np.testing.assert_array_equal(rows["survivors"], ds["survivors"].values[:, -1])
        np.testing.assert_array_equal(rows["final_leader_share"], ds["leader_share"].values[:, -1])
        np.testing.assert_array_equal(rows["mean_arming"], ds["mean_arming"].values[:, -1])
        np.testing.assert_array_equal(rows["wars"], ds["war_onsets"].values[:, 1:].sum(axis=1))
        assert rows["wars"].sum() == (ds["war_start"].values >= 1).sum()  # onsets = war rows


# ============================================================== determinism
def test_process_pool_equals_serial(tmp_path: Path, reference: pd.DataFrame) -> None:
    report = sweep(_spec(tmp_path / "s"), workers=2)  # the default executor
    assert report.computed == 12
    _equal(read_outcomes(tmp_path / "s"), reference)


def test_explicit_executor_equals_serial(tmp_path: Path, reference: pd.DataFrame) -> None:
    with process_pool(2) as pool:
        sweep(_spec(tmp_path / "s"), pool, max_pending=1)
    _equal(read_outcomes(tmp_path / "s"), reference)


def test_dask_equals_serial(tmp_path: Path, reference: pd.DataFrame, dask_client) -> None:
    report = sweep(_spec(tmp_path / "s"), dask_client.get_executor(pure=False))
    assert report.computed == 12
    _equal(read_outcomes(tmp_path / "s"), reference)
    # The chunk files themselves hold the same rows as the serial run's.
    chunk = chunk_filename(3, 6, 7)
    assert pq.read_table(tmp_path / "s" / "chunks" / chunk).num_rows == 1


@pytest.mark.parametrize("chunk_size", [1, 2, 7])
def test_any_chunk_size_gives_the_same_rows(
    tmp_path: Path, reference: pd.DataFrame, chunk_size: int
) -> None:
    spec = _spec(tmp_path / "s", chunk_size=chunk_size)
    report = sweep(spec, SerialExecutor())
    assert report.chunks == 4 * -(-7 // chunk_size)
    _equal(read_outcomes(tmp_path / "s"), reference)


def test_common_random_numbers_run_every_point_on_the_sweep_seed(tmp_path: Path) -> None:
    # hegemony_duration only changes what counts as hegemony, never the dynamics: with
    # common random numbers both points simulate the very same histories
    parameters = {"hegemony.hegemony_duration": [5, 20]}
    spec = _spec(tmp_path / "s", common_random_numbers=True, parameters=parameters)
    rows = sweep(spec, SerialExecutor()).outcomes()
    first, second = (rows[rows["point"] == p] for p in (0, 1))
    for column in ("survivors", "final_leader_share", "wars", "mean_concentration"):
        np.testing.assert_array_equal(first[column].to_numpy(), second[column].to_numpy())
    direct = run(spec.point_scenario(1), replications=7, steps=25, seed=11)
    np.testing.assert_array_equal(
        second["final_leader_share"].to_numpy(), direct.dataset["leader_share"].values[:, -1]
    )
    independent = _spec(tmp_path / "t", parameters=parameters)
    rows = sweep(independent, SerialExecutor()).outcomes()
    a, b = (rows[rows["point"] == p]["final_leader_share"].to_numpy() for p in (0, 1))
    assert not np.array_equal(a, b)


def test_threads_do_not_change_the_rows(tmp_path: Path, reference: pd.DataFrame) -> None:
    """Any number of kernel threads per task gives the same rows."""
    for threads in (1, 2):

        def with_threads(task: ChunkTask, threads: int = threads) -> pd.DataFrame:
            return simulate_chunk(dataclasses.replace(task, threads=threads))

        out = tmp_path / f"threads-{threads}"
        sweep(_spec(out), SerialExecutor(), evaluate=with_threads)
        _equal(read_outcomes(out), reference)


def _tagged_with_threads(task: ChunkTask) -> pd.DataFrame:
    """simulate_chunk's rows with ``hegemon`` replaced by the task's threads (-1: None)."""
    rows = simulate_chunk(task)
    rows["hegemon"] = -1 if task.threads is None else task.threads
    return rows


def test_concurrent_tasks_share_the_cores(tmp_path: Path) -> None:
    """A serial sweep's task may use every core; a pool's tasks get cores / workers each."""
    spec = _spec(tmp_path / "serial", parameters={"n_states": [5]}, replications=2)
    serial = sweep(spec, SerialExecutor(), evaluate=_tagged_with_threads).outcomes()
    assert (serial["hegemon"] == -1).all()
    spec = _spec(tmp_path / "pool", parameters={"n_states": [5]}, replications=2)
    with process_pool(2) as pool:
        pooled = sweep(spec, pool, evaluate=_tagged_with_threads).outcomes()
    assert (pooled["hegemon"] == max(1, (os.cpu_count() or 1) // 2)).all()


# =================================================================== resume
def test_rerun_skips_finished_chunks(tmp_path: Path, reference: pd.DataFrame) -> None:
    spec = _spec(tmp_path / "s")
    sweep(spec, SerialExecutor())
    calls: list[ChunkTask] = []

    def counting(task: ChunkTask) -> pd.DataFrame:
        calls.append(task)
        return simulate_chunk(task)

    again = sweep(spec, SerialExecutor(), evaluate=counting)
    assert (again.computed, again.skipped, calls) == (0, 12, [])
    (tmp_path / "s" / "chunks" / chunk_filename(2, 3, 6)).unlink()
    (tmp_path / "s" / "outcomes.parquet").unlink()
    with pytest.raises(IncompleteSweepError, match="1 of 12 chunks missing"):
        read_outcomes(tmp_path / "s")
    resumed = sweep(spec, SerialExecutor(), evaluate=counting)
    assert (resumed.computed, resumed.skipped) == (1, 11)
    assert [(t.point, t.start, t.stop) for t in calls] == [(2, 3, 6)]
    _equal(read_outcomes(tmp_path / "s"), reference)
    _equal(pd.read_parquet(tmp_path / "s" / "outcomes.parquet"), reference)


def test_relabelled_spec_resumes(tmp_path: Path) -> None:
    sweep(_spec(tmp_path / "s"), SerialExecutor())
    relabelled = _spec(tmp_path / "s", name="renamed", description="same numbers")
    assert sweep(relabelled, SerialExecutor()).skipped == 12


def test_leftovers_of_a_crash_are_cleaned_up(tmp_path: Path, reference: pd.DataFrame) -> None:
    spec = _spec(tmp_path / "s")
    sweep(spec, SerialExecutor())
    chunks = tmp_path / "s" / "chunks"
    stray = chunks / f".{chunk_filename(0, 0, 3)}.0123456789abcdef.tmp"
    stray.write_bytes(b"half a parquet file")
    corrupt = chunks / chunk_filename(1, 0, 3)
    corrupt.write_bytes(b"not parquet at all")
    with pytest.warns(UserWarning, match="unreadable chunk"):
        report = sweep(spec, SerialExecutor())
    assert report.computed == 1
    assert not stray.exists()
    _equal(read_outcomes(tmp_path / "s"), reference)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"replications": 8}, "replications"),
        ({"seed": 12}, "seed"),
        ({"parameters": {"war.decisiveness": [1.0, 2.0], "n_states": [5, 8]}}, "parameters"),
        ({"scenario": "mixed"}, "scenario"),
        ({"chunk_size": 2}, "chunk_size"),
    ],
)
def test_a_changed_spec_is_refused(tmp_path: Path, change: dict, named: str) -> None:
    sweep(_spec(tmp_path / "s"), SerialExecutor())
    before = sorted(p.name for p in (tmp_path / "s" / "chunks").iterdir())
    with pytest.raises(SweepMismatchError, match=rf"holds a different sweep \(changed: .*{named}"):
        sweep(_spec(tmp_path / "s", **change), SerialExecutor())
    assert sorted(p.name for p in (tmp_path / "s" / "chunks").iterdir()) == before


def test_another_version_is_refused(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "s")
    sweep(spec, SerialExecutor())
    path = tmp_path / "s" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["equipoise_version"] = "0.0.0-old"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SweepMismatchError, match=r"started with equipoise 0\.0\.0-old"):
        sweep(spec, SerialExecutor())


def test_foreign_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InvalidSweepError, match="not empty and not an equipoise sweep"):
        sweep(_spec(tmp_path / "s"), SerialExecutor())
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["notes.txt"]


# ===================================================================== lock
class _Stop(Exception):
    pass


def _fail_after(n: int) -> Callable[[ChunkTask], pd.DataFrame]:
    """An evaluation that computes ``n`` chunks and then fails: a sweep cut short."""
    calls = []

    def evaluate(task: ChunkTask) -> pd.DataFrame:
        calls.append(task)
        if len(calls) > n:
            raise _Stop
        return simulate_chunk(task)

    return evaluate


def _partial(spec: SweepSpec) -> None:
    with pytest.raises(_Stop):
        sweep(spec, SerialExecutor(), evaluate=_fail_after(2))


def test_a_second_sweep_into_a_running_sweeps_directory_is_refused(
    tmp_path: Path, reference: pd.DataFrame
) -> None:
    spec = _spec(tmp_path / "s")
    refused: list[str] = []

    def meddling(task: ChunkTask) -> pd.DataFrame:
        if not refused:  # while the first sweep runs, start another into its directory
            with pytest.raises(SweepLockedError) as info:
                sweep(spec, SerialExecutor())
            refused.append(str(info.value))
        return simulate_chunk(task)

    report = sweep(spec, SerialExecutor(), evaluate=meddling)
    assert report.computed == 12
    (message,) = refused
    assert message.startswith(f"another sweep is writing to {tmp_path / 's'} (pid {os.getpid()}")
    assert "\n" not in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"], "the lock file goes at the end"
    _equal(read_outcomes(tmp_path / "s"), reference)


def test_a_lock_file_left_behind_is_no_obstacle(tmp_path: Path, reference: pd.DataFrame) -> None:
    """A killed sweep leaves its record (or an empty file); the OS lock died with it."""
    spec = _spec(tmp_path / "s")
    _partial(spec)
    lock = tmp_path / ".s.lock"
    for left in ('{"pid": 1, "host": "elsewhere", "started": "2026-01-01"}', ""):
        lock.write_text(left, encoding="utf-8")
        assert sweep(spec, SerialExecutor()).skipped >= 2
        assert not lock.exists()
    _equal(read_outcomes(tmp_path / "s"), reference)


HOLD_LOCK = """
import fcntl, json, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, json.dumps({"pid": os.getpid(), "host": "hostA", "started": "2026-01-01"}).encode())
print("locked", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the lock holder uses fcntl")
@pytest.mark.parametrize("existing", [True, False])
def test_a_sweep_holding_the_lock_elsewhere_refuses_and_nothing_is_written(
    tmp_path: Path, existing: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process (here a stand-in) holds the lock: of a half-done sweep, or of one
    that is still creating its directory."""
    spec = _spec(tmp_path / "s")
    if existing:
        _partial(spec)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    lock = tmp_path / ".s.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        pattern = rf"another sweep is writing to .*s \(pid {holder.pid} on hostA, since 2026"
        with pytest.raises(SweepLockedError, match=pattern):
            sweep(spec, SerialExecutor())
        sweep_file = tmp_path / "sweep.toml"
        sweep_file.write_text(spec.to_toml(), encoding="utf-8")
        code = main(["sweep", str(sweep_file), "-o", str(tmp_path / "s"), "-q"])
        sweep_file.unlink()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert code == 2
    assert "another sweep is writing to" in capsys.readouterr().err
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert after == sorted({*before, ".s.lock"}), "nothing written but the holder's lock"
    assert sweep(spec, SerialExecutor()).computed == 12 - 2 * existing  # the holder is gone


def test_manifest_records_hash_and_versions(tmp_path: Path) -> None:
    spec = _spec(tmp_path / "s")
    sweep(spec, SerialExecutor())
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text(encoding="utf-8"))
    from equipoise import __version__

    assert manifest["spec_hash"] == spec.content_hash()
    assert manifest["equipoise_version"] == __version__
    assert manifest["numpy_version"] == np.__version__
    assert (manifest["points"], manifest["chunks"], manifest["chunk_size"]) == (4, 12, 3)
    meta = pq.read_schema(tmp_path / "s" / "chunks" / chunk_filename(0, 0, 3)).metadata
    tag = json.loads(meta[b"equipoise"])
    assert tag == {
        "spec_hash": spec.content_hash(),
        "point": 0,
        "start": 0,
        "stop": 3,
        "equipoise_version": __version__,
    }


def test_evaluation_returning_wrong_rows_is_an_error(tmp_path: Path) -> None:
    def short(task: ChunkTask) -> pd.DataFrame:
        return simulate_chunk(task).iloc[:-1]

    with pytest.raises(InvalidSweepError, match="returned replications"):
        sweep(_spec(tmp_path / "s"), SerialExecutor(), evaluate=short)
    assert not list((tmp_path / "s" / "chunks").iterdir())


def test_progress_callable_sees_every_replication_step(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    sweep(_spec(tmp_path / "s"), SerialExecutor(), progress=lambda d, t: seen.append((d, t)))
    total = 4 * 7 * 25
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert len(seen) == 13
    seen.clear()
    sweep(_spec(tmp_path / "s"), SerialExecutor(), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(total, total)]  # resumed: everything already done


# =================================================================== SIGKILL
KILL_SPEC = """
name = "killme"
scenario = "mixed"
replications = 16
steps = 200
seed = 99
chunk_size = 4
[parameters]
"alliances.alliance_reliability" = [0.4, 0.7, 1.0]
"war.decisiveness" = [1.5, 3.0]
"""


def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    (tmp_path / "kill.toml").write_text('output = "killed"\n' + KILL_SPEC, encoding="utf-8")
    chunks = tmp_path / "killed" / "chunks"
    proc = subprocess.Popen(
        [sys.executable, "-m", "equipoise.cli", "sweep", "kill.toml", "-q", "--workers", "2"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the pool's workers die with it
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            done = [p for p in chunks.glob("*.parquet")] if chunks.is_dir() else []
            if len(done) >= 3:
                break
            time.sleep(0.005)
        assert proc.poll() is None, f"the sweep ended before it was killed: {proc.stderr.read()}"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    finished = sorted(p.name for p in chunks.glob("*.parquet"))
    assert 3 <= len(finished) < 24, finished  # killed part-way
    assert not (tmp_path / "killed" / "outcomes.parquet").exists()
    for name in finished:  # every chunk on disk is whole
        assert pq.read_table(chunks / name).num_rows == 4

    resumed = subprocess.run(
        [sys.executable, "-m", "equipoise.cli", "sweep", "kill.toml", "--workers", "2"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed: {len(finished)} chunks were already done" in resumed.stdout
    assert not list(chunks.glob(".*.tmp"))

    spec = SweepSpec.from_toml(f'output = "{tmp_path / "clean"}"\n' + KILL_SPEC)
    assert spec.content_hash() == SweepSpec.load(tmp_path / "kill.toml").content_hash()
    sweep(spec, SerialExecutor())
    killed, clean = read_outcomes(tmp_path / "killed"), read_outcomes(tmp_path / "clean")
    assert len(killed) == 6 * 16
    assert not killed[["point", "replication"]].duplicated().any()
    _equal(killed, clean)


# =================================================================== Ctrl-C (issue 25)
#: Two chunks of tens of seconds each on one core: 400 replications x 2,000 steps of 200
#: states that never fight (so that none dies and every step costs the same).
LONG_SPEC = """
name = "long"
scenario = "balancers"
replications = 400
steps = 2000
seed = 5
chunk_size = 400
[parameters]
n_states = 200
"war.enabled" = false
"alliances.alliance_reliability" = [0.5, 1.0]
"""


@pytest.mark.parametrize("after", [0.3, 1.0, 3.0])
def test_ctrl_c_stops_a_sweep_within_seconds_and_says_how_to_resume(
    tmp_path: Path, after: float
) -> None:
    """Issue 25: Ctrl-C took 28 s (the running chunks finished first), then said only
    `aborted`, and a rerun in the meantime found the directory locked. Early presses
    (while Numba starts, the fork server imports, the workers start) were lost or left
    a worker behind holding the output open; the sweep must stop wherever one lands."""
    (tmp_path / "long.toml").write_text(LONG_SPEC, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "equipoise.cli", "sweep", "long.toml", "-q", "--workers", "2"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group, as a terminal's foreground job
    )
    try:
        assert proc.stdout is not None
        header = proc.stdout.readline()  # printed (and flushed) before the first chunk
        assert header.startswith("sweep long: 2 points (grid) x 400 replications"), header
        time.sleep(after)  # 3 s: the workers are inside their chunks
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the whole group
        sent = time.monotonic()
        _, err = proc.communicate(timeout=15)
        waited = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err
    assert waited < 5, f"{waited:.1f} s from Ctrl-C to exit"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1] == (
        "interrupted: the finished chunks are saved in equipoise-results/long/; run the same "
        "command to resume"
    )
    directory = tmp_path / "equipoise-results" / "long"
    assert not (directory.parent / ".long.lock").exists()  # a rerun may start at once
    assert not list((directory / "chunks").glob(".*.tmp"))
    assert not (directory / "outcomes.parquet").exists()
