"""Throughput benchmark of sweeps: processes and Dask, 1 and 2 workers, overhead per chunk.

Run from the repository root (Dask needs ``pip install -e ".[dask]"``)::

    python benchmarks/bench_sweep.py            # about 2 minutes on two cores
    python benchmarks/bench_sweep.py --quick    # about 40 seconds

It prints, measured in one run:

1. machine information (cores, load average, versions);
2. sweep throughput in replication-steps per second, ``points * replications *
   steps / wall``, of one grid sweep (``balancers`` with 50 states, 8 points) run
   serially in this process, on a process pool and on a local Dask cluster
   (``LocalCluster(processes=True, threads_per_worker=1)``), each with 1 and 2
   workers. The pool or cluster is started and warmed up (equipoise imported in
   every worker) before the clock starts, and its start-up time is printed on
   its own; the wall time includes everything else a sweep does (planning,
   dispatch, writing each chunk's Parquet file with an fsync, joining
   ``outcomes.parquet``). Each cell is the best of ``--repeats`` runs;
3. parallel efficiency, ``throughput(2 workers) / (2 * throughput(1 worker))``;
4. overhead per chunk: a sweep of chunks that do almost no work (1 replication
   of 1 step) on each executor, wall time divided by the number of chunks,
   set against the work of one chunk of the sweep in (2).

All timings use ``time.perf_counter``. The machine may be shared: compare
best-of times, and rerun when the load average printed at the top is high.
Results are identical on every executor (the test suite proves it); this only
measures speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import numpy as np

import equipoise
from equipoise.experiments import SerialExecutor, SweepSpec, process_pool, sweep


def _spec(out: Path, replications: int, steps: int, chunk: int, points: int) -> SweepSpec:
    return SweepSpec.from_dict(
        {
            "name": "bench",
            "scenario": "balancers",
            "replications": replications,
            "steps": steps,
            "seed": 20240601,
            "chunk_size": chunk,
            "output": str(out),
            "parameters": {
                "war.decisiveness": [float(x) for x in np.linspace(1.0, 4.0, points)],
            },
        }
    )


def _time_sweep(make_spec: Callable[[Path], SweepSpec], executor: Executor) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        spec = make_spec(Path(tmp) / "sweep")
        start = time.perf_counter()
        report = sweep(spec, executor)
        wall = time.perf_counter() - start
        if report.computed != report.chunks:
            raise RuntimeError("the benchmark sweep resumed instead of running")
    return wall


def _warm(executor: Executor, workers: int) -> None:
    """Import equipoise in every worker (a tiny sweep with one chunk per worker)."""
    _time_sweep(lambda out: _spec(out, 1, 1, 1, max(2, 2 * workers)), executor)


def _best(fn: Callable[[], float], repeats: int) -> float:
    return min(fn() for _ in range(repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sweep, one repeat")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    points, replications, steps, chunk = (8, 40, 100, 20) if args.quick else (8, 100, 200, 50)
    tiny_chunks = 64 if args.quick else 200

    import numpy
    import pandas
    import pyarrow

    try:
        import distributed
    except ImportError:
        distributed = None
    print("# equipoise sweep benchmark")
    print(
        f"cores {os.cpu_count()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"Python {platform.python_version()}, equipoise {equipoise.__version__}, "
        f"numpy {numpy.__version__}, pandas {pandas.__version__}, pyarrow {pyarrow.__version__}, "
        f"distributed {distributed.__version__ if distributed else 'not installed'}"
    )
    work = points * replications * steps
    n_chunks = points * -(-replications // chunk)
    print(
        f"sweep: balancers (50 states), {points} points x {replications} replications x {steps} "
        f"steps = {work:,} replication-steps in {n_chunks} chunks of {chunk} replications; "
        f"best of {repeats}"
    )

    def main_spec(out: Path) -> SweepSpec:
        return _spec(out, replications, steps, chunk, points)

    def tiny_spec(out: Path) -> SweepSpec:
        return _spec(out, 1, 1, 1, tiny_chunks)

    rows: list[tuple[str, int, float, float, float]] = []  # backend, workers, startup, wall, tiny
    serial = SerialExecutor()
    _warm(serial, 1)
    rows.append(
        (
            "serial",
            1,
            0.0,
            _best(lambda: _time_sweep(main_spec, serial), repeats),
            _best(lambda: _time_sweep(tiny_spec, serial), repeats),
        )
    )
    for workers in (1, 2):
        start = time.perf_counter()
        with process_pool(workers) as pool:
            _warm(pool, workers)
            startup = time.perf_counter() - start
            wall = _best(lambda pool=pool: _time_sweep(main_spec, pool), repeats)
            tiny = _best(lambda pool=pool: _time_sweep(tiny_spec, pool), repeats)
        rows.append(("processes", workers, startup, wall, tiny))
    if distributed is not None:
        for workers in (1, 2):
            start = time.perf_counter()
            with (
                distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                ) as cluster,
                distributed.Client(cluster) as client,
            ):
                executor = client.get_executor(pure=False)
                _warm(executor, workers)
                startup = time.perf_counter() - start
                wall = _best(lambda ex=executor: _time_sweep(main_spec, ex), repeats)
                tiny = _best(lambda ex=executor: _time_sweep(tiny_spec, ex), repeats)
            rows.append(("dask", workers, startup, wall, tiny))

    print()
    print("| executor | workers | start-up (s) | wall (s) | replication-steps/s | efficiency |")
    print("|---|---:|---:|---:|---:|---:|")
    one = {backend: work / wall for backend, w, _, wall, _ in rows if w == 1}
    for backend, workers, startup, wall, _ in rows:
        rate = work / wall
        eff = f"{rate / (workers * one[backend]):.0%}" if workers > 1 else "—"
        print(f"| {backend} | {workers} | {startup:.2f} | {wall:.2f} | {rate:,.0f} | {eff} |")

    chunk_work = rows[0][3] / n_chunks
    print()
    print(
        f"Overhead per chunk: {tiny_chunks} chunks of 1 replication x 1 step each, wall / chunks, "
        f"against the {chunk_work * 1e3:.0f} ms of work in one chunk of the sweep above "
        "(serial wall / chunks)."
    )
    print()
    print("| executor | workers | overhead per chunk (ms) | share of a chunk's work |")
    print("|---|---:|---:|---:|")
    for backend, workers, _, _, tiny in rows:
        per = tiny / tiny_chunks
        # With w workers, w chunks are in flight: per-chunk cost seen by one worker.
        seen = per * workers
        print(f"| {backend} | {workers} | {seen * 1e3:.1f} | {seen / chunk_work:.1%} |")


if __name__ == "__main__":
    main()
