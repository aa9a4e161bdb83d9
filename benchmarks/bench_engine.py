"""Throughput benchmark of the equipoise engine.

Run from the repository root::

    python benchmarks/bench_engine.py            # full run, about 2-3 minutes
    python benchmarks/bench_engine.py --quick    # smoke run, about 30 seconds

It prints, measured in one run:

1. machine information (cores, load, Python, numpy, BLAS);
2. a table of state-steps per second, ``replications * n_states * steps / wall``,
   for N in {10, 25, 50, 100, 200} and R in {1, 100, 1000} with the built-in
   ``balancers`` scenario and ``record_states=False``. The number of steps of
   each cell is calibrated so that one run takes about ``--target`` seconds and
   the best of ``--repeats`` runs is reported. Each run is a full
   ``equipoise.run`` call, so the wall time includes the fixed per-run setup
   (seed spawning, initial state, building the ``Result``), which dominates the
   cells that afford only a few steps (N=200 with R=1000 spends most of its
   time building the (R, N, N) distance discounts). N counts every state,
   dead or alive, and states die as a run goes on, so cells with very
   different step counts do not do the same work per state-step;
3. the headline experiment: 1,000 replications x 50 states x 500 steps of
   ``Scenario.load("balancers").replace(n_states=50)``, once with
   ``record_states=False`` and once with ``record_states=True``, each in a fresh
   subprocess so that the peak resident memory (VmHWM, else ``ru_maxrss``)
   belongs to that run alone, with its ratio to the 10 s target, and once more
   with ``record_states=False`` and ``workers=2`` (two worker processes; the peak
   shown is then the larger worker's, and the parent's is given too). Under
   ``--quick`` the headline runs ``--quick-steps`` steps plus a 1-step run and
   the wall time is extrapolated linearly to 500 steps.

All timings use ``time.perf_counter``. The machine may be shared: compare
best-of times, and rerun when the load average printed at the top is high.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

from equipoise import Scenario, run

SCENARIO = "balancers"
SIZES = (10, 25, 50, 100, 200)
REPLICATIONS = (1, 100, 1000)
SEED = 20240601

HEADLINE_R = 1000
HEADLINE_N = 50
HEADLINE_STEPS = 500
TARGET_SECONDS = 10.0  # issue 7 (the engine issue asked for 30 s)


def _scenario(n: int) -> Scenario:
    return Scenario.load(SCENARIO).replace(n_states=n)


def _time_run(
    scenario: Scenario, r: int, steps: int, record_states: bool = False, workers: int = 1
) -> float:
    start = time.perf_counter()
    run(
        scenario,
        replications=r,
        steps=steps,
        seed=SEED,
        record_states=record_states,
        workers=workers,
    )
    return time.perf_counter() - start


@dataclass
class Cell:
    n: int
    r: int
    steps: int
    best: float
    median: float

    @property
    def rate(self) -> float:
        return self.r * self.n * self.steps / self.best


def calibrate(scenario: Scenario, r: int, target: float, max_steps: int) -> int:
    """Steps for which one run takes about ``target`` seconds (at least 1).

    After a warm-up run, grows the number of steps until a run takes at least
    a third of the target, fits ``wall = setup + steps * per_step`` to the
    last two runs, solves for the target and checks the answer with one run.
    """
    _time_run(scenario, r, 1)  # warm-up: imports, caches, first-touch of memory
    prev: tuple[int, float] | None = None
    steps = 1
    while True:
        t = _time_run(scenario, r, steps)
        if t >= target / 3 or steps >= max_steps:
            break
        prev = (steps, t)
        steps = min(max_steps, steps * max(2, min(16, int(target / 3 / max(t, 1e-4)))))
    if prev is not None and t > prev[1]:
        per_step = (t - prev[1]) / (steps - prev[0])
        setup = max(0.0, t - per_step * steps)
        est = (target - setup) / per_step
    else:
        est = steps * target / t
    steps = int(min(max_steps, max(1, round(est))))
    # one check run: a noisy fit may undershoot; linear rescaling cannot overshoot
    t = _time_run(scenario, r, steps)
    if t < 0.6 * target and steps < max_steps:
        steps = int(min(max_steps, max(steps + 1, round(steps * target / t))))
    return steps


def bench_cell(n: int, r: int, target: float, repeats: int, max_steps: int) -> Cell:
    scenario = _scenario(n)
    steps = calibrate(scenario, r, target, max_steps)
    times = [_time_run(scenario, r, steps) for _ in range(repeats)]
    return Cell(n, r, steps, min(times), float(np.median(times)))


def _fmt_rate(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:7.2f} M"
    return f"{x / 1e3:7.1f} k"


def print_table(cells: list[Cell]) -> None:
    print(
        f"{'N':>4} {'R':>5} {'steps':>6} {'best s':>7} {'median s':>8} "
        f"{'ms/step':>9} {'state-steps/s':>14}"
    )
    for c in cells:
        print(
            f"{c.n:>4} {c.r:>5} {c.steps:>6} {c.best:>7.3f} {c.median:>8.3f} "
            f"{1e3 * c.best / c.steps:>9.3f} {_fmt_rate(c.rate):>14}"
        )
    print()
    print("state-steps/s (best), rows N, columns R:")
    print(f"{'N':>4}" + "".join(f"{'R=' + str(r):>12}" for r in REPLICATIONS))
    by = {(c.n, c.r): c for c in cells}
    for n in sorted({c.n for c in cells}):
        row = "".join(
            f"{_fmt_rate(by[n, r].rate) if (n, r) in by else '-':>12}" for r in REPLICATIONS
        )
        print(f"{n:>4}{row}")


def machine_info() -> None:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    print(f"python {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"cpu: {cpu}; os.cpu_count()={os.cpu_count()}, usable cores={usable}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"numpy {np.__version__}", end="")
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        print(f", BLAS {blas.get('name')} {blas.get('version')}", end="")
    except Exception:
        pass
    print()
    threads = {
        k: os.environ[k]
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if k in os.environ
    }
    print(f"thread env: {threads or 'unset'}")


def _peak_rss_mib() -> float:
    """Peak resident memory of this process in MiB (VmHWM on Linux, else ru_maxrss)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is KiB on Linux, bytes on macOS; it may include the parent's peak.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def _children_peak_mib() -> float:
    """Largest peak resident memory of the finished child processes, in MiB."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 2**20


def headline_child(steps: int, record_states: bool, workers: int = 1) -> None:
    """Run the headline once in this (fresh) process and print a JSON line.

    With fewer than the headline's steps (``--quick``), a 1-step run first
    gives the setup cost, and the wall time is extrapolated linearly to the
    headline's steps from the two runs.
    """
    base = _peak_rss_mib()
    scenario = _scenario(HEADLINE_N)
    wall = _time_run(scenario, HEADLINE_R, steps, record_states=record_states, workers=workers)
    if steps < HEADLINE_STEPS:
        one = _time_run(scenario, HEADLINE_R, 1, record_states=record_states, workers=workers)
        per_step = max(0.0, wall - one) / max(1, steps - 1)
        wall += per_step * (HEADLINE_STEPS - steps)
    out = {"wall": wall, "steps": steps, "peak_mib": _peak_rss_mib(), "base_mib": base}
    if workers > 1:
        out["worker_peak_mib"] = _children_peak_mib()
    print(json.dumps(out))


def headline(steps: int, record_states: bool, workers: int = 1) -> dict[str, float]:
    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--_child",
        str(steps),
        "--_workers",
        str(workers),
    ]
    if record_states:
        cmd.append("--_record")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, under a minute")
    parser.add_argument("--target", type=float, help="seconds per table run (default 1.2)")
    parser.add_argument("--repeats", type=int, help="timed repeats per cell (default 3)")
    parser.add_argument(
        "--quick-steps", type=int, default=50, help="headline steps under --quick (default 50)"
    )
    parser.add_argument("--no-table", action="store_true", help="skip the throughput table")
    parser.add_argument("--no-headline", action="store_true", help="skip the headline")
    parser.add_argument("--_child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--_record", dest="record", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--_workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args._child is not None:
        headline_child(args._child, args.record, args._workers)
        return

    target = args.target or (0.3 if args.quick else 1.2)
    repeats = args.repeats or (2 if args.quick else 3)
    t0 = time.perf_counter()

    print("== equipoise engine benchmark" + (" (--quick)" if args.quick else ""))
    machine_info()
    print()

    if not args.no_table:
        print(
            f"== throughput: scenario {SCENARIO!r}, record_states=False, "
            f"~{target:g} s per run, best of {repeats} (wall of a whole run(), setup included)"
        )
        cells = []
        for n in SIZES:
            for r in REPLICATIONS:
                cells.append(bench_cell(n, r, target, repeats, max_steps=20_000))
                if sys.stderr.isatty():
                    print(f"   measured N={n} R={r}", file=sys.stderr, flush=True)
        print_table(cells)
        print()

    if not args.no_headline:
        steps = args.quick_steps if args.quick else HEADLINE_STEPS
        print(
            f"== headline: {HEADLINE_R} replications x {HEADLINE_N} states x "
            f"{HEADLINE_STEPS} steps, {SCENARIO!r} with n_states={HEADLINE_N}, "
            f"seed={SEED}, one run each in a fresh process"
        )
        if steps != HEADLINE_STEPS:
            print(
                f"   (--quick: ran {steps} and 1 steps and extrapolated the wall time linearly"
                f" to {HEADLINE_STEPS}; peak memory is that of the {steps}-step run)"
            )
        for record, workers in ((False, 1), (True, 1), (False, 2)):
            h = headline(steps, record, workers)
            wall = h["wall"]
            rate = HEADLINE_R * HEADLINE_N * HEADLINE_STEPS / wall
            verdict = "meets" if wall <= TARGET_SECONDS else "misses"
            print(
                f"record_states={record!s:<5} workers={workers}  wall {wall:7.2f} s = "
                f"{wall / TARGET_SECONDS:.2f} x the {TARGET_SECONDS:g} s target ({verdict} it)"
            )
            if workers > 1:
                memory = (
                    f"peak RSS {h['worker_peak_mib']:.0f} MiB per worker "
                    f"(parent {h['peak_mib']:.0f} MiB)"
                )
            else:
                memory = f"peak RSS {h['peak_mib']:.0f} MiB (after imports {h['base_mib']:.0f} MiB)"
            print(
                f"{'':30} {1e3 * wall / HEADLINE_STEPS:.1f} ms/step, "
                f"{_fmt_rate(rate).strip()} state-steps/s, {memory}"
            )
        print()

    print(f"total benchmark time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
