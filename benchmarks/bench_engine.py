"""Speed of the model 0.2 engine (compiled kernel), measured in one run.

Run from the repository root::

    python benchmarks/bench_engine.py            # full run, a few minutes
    python benchmarks/bench_engine.py --quick    # smoke run

It prints:

1. the machine: cores, load average, Python, numpy, numba, threading layer;
2. compile time: a cold compile of the kernel in a fresh process with an empty
   Numba cache, then the start-up of a second fresh process that loads it from
   that cache (time to the first result of a 1-replication, 1-step run);
3. the headline experiment of issue 13: 1,000 replications x the 50-state
   default map (``balancers``) x 500 steps, after compilation, on all cores
   (wall time and its ratio to the 10 s target) and on one thread (the ratio of
   the two is the parallel speed-up), each in a fresh process so that its peak
   resident memory belongs to it alone;
4. throughput in state-steps per second for 10, 20, 50, 100 and 200 states
   (1,000 replications; 200 steps; one thread and all cores);
5. linearity: the wall on all cores at 125, 250, 500 and 1,000 replications
   (500 steps) and at 125, 250 and 500 steps (1,000 replications), each with its
   ratio to the straight line through the origin and the largest point, and
   ``benchmarks/bench_engine_linearity.png`` (``--plot``, needs matplotlib).

All timings use ``time.perf_counter``; the machine may be shared, so the load
average is printed first and each timed cell is the best of ``--repeats``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time

SEED = 20261202
TARGET = 10.0


def _child(code: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh Python; it prints one JSON line as its last line."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


_PEAK = """
def peak_mib():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def compile_times() -> dict:
    cache = tempfile.mkdtemp(prefix="equipoise-numba-")
    code = textwrap.dedent("""
    import time, json
    t0 = time.perf_counter()
    from equipoise import run
    t1 = time.perf_counter()
    run("balancers", 1, 1, seed=1, record_states=False)
    t2 = time.perf_counter()
    print(json.dumps({"import": t1 - t0, "first_run": t2 - t1}))
    """)
    cold = _child(code, {"NUMBA_CACHE_DIR": cache})
    warm = _child(code, {"NUMBA_CACHE_DIR": cache})
    return {"cold": cold, "warm": warm}


def headline(steps: int, reps: int, threads: int | None) -> dict:
    code = _PEAK + textwrap.dedent(f"""
    import time, json
    from equipoise import run
    run("balancers", 2, 2, seed=1, record_states=False, threads={threads})   # load the kernel
    best = None
    for _ in range(2):
        t0 = time.perf_counter()
        r = run("balancers", {reps}, {steps}, seed={SEED}, record_states=False, threads={threads})
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print(json.dumps({{"seconds": best, "peak_mib": peak_mib(),
                      "hegemony_rate": float(r.summary()["hegemony_rate"].iloc[0])}}))
    """)
    return _child(code)


def throughput(sizes: tuple[int, ...], reps: int, steps: int, repeats: int) -> list[dict]:
    from equipoise import Scenario, run

    rows = []
    for n in sizes:
        s = Scenario.load("balancers").replace(n_states=n)
        run(s, 2, 2, seed=1, record_states=False)
        row = {"states": n}
        for label, threads in (("one_thread", 1), ("all_cores", None)):
            best = float("inf")
            for _ in range(repeats):
                t0 = time.perf_counter()
                run(s, reps, steps, seed=SEED, record_states=False, threads=threads)
                best = min(best, time.perf_counter() - t0)
            row[label] = reps * n * steps / best
        rows.append(row)
    return rows


def linearity(reps_max: int, steps_max: int, repeats: int) -> dict[str, list[tuple[int, float]]]:
    """Walls on all cores as replications, then steps, grow (the other held at its maximum)."""
    from equipoise import run

    run("balancers", 2, 2, seed=1, record_states=False)
    out: dict[str, list[tuple[int, float]]] = {"replications": [], "steps": []}
    grid = (8, 4, 2, 1)
    for label, sizes in (
        ("replications", [reps_max // d for d in grid]),
        ("steps", [steps_max // d for d in grid[1:]]),
    ):
        for size in sizes:
            reps, steps = (size, steps_max) if label == "replications" else (reps_max, size)
            best = float("inf")
            for _ in range(repeats):
                t0 = time.perf_counter()
                run("balancers", reps, steps, seed=SEED, record_states=False)
                best = min(best, time.perf_counter() - t0)
            out[label].append((size, best))
    return out


def plot_linearity(lines: dict[str, list[tuple[int, float]]], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    for ax, (label, points) in zip(axes, lines.items(), strict=True):
        x = [p[0] for p in points]
        y = [p[1] for p in points]
        slope = y[-1] / x[-1]
        ax.plot(x, y, "o", label="measured")
        ax.plot([0, x[-1]], [0, y[-1]], "--", label="proportional")
        ax.set_xlabel(label)
        ax.set_ylabel("wall, s (all cores)")
        ax.set_xlim(0, None)
        ax.set_ylim(0, None)
        ax.set_title(f"{slope * 1e3:.2f} ms per {label[:-1]}")
        ax.legend(frameon=False)
    reps_max, steps_max = lines["replications"][-1][0], lines["steps"][-1][0]
    fig.suptitle(
        f"balancers, 50 states: wall against replications ({steps_max} steps) "
        f"and steps ({reps_max} replications)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--plot", action="store_true", help="write bench_engine_linearity.png")
    args = parser.parse_args()
    import numba
    import numpy

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    print(
        f"python {platform.python_version()}, numpy {numpy.__version__}, numba {numba.__version__}"
    )
    comp = compile_times()
    print(
        f"compile (cold, empty cache): import {comp['cold']['import']:.1f} s, "
        f"first run {comp['cold']['first_run']:.1f} s"
    )
    print(
        f"second process (cached): import {comp['warm']['import']:.2f} s, "
        f"first run {comp['warm']['first_run']:.2f} s"
    )
    steps = 50 if args.quick else 500
    reps = 200 if args.quick else 1000
    scale = (1000 / reps) * (500 / steps)
    allc = headline(steps, reps, None)
    one = headline(steps, reps, 1)
    print(
        f"headline {reps} x 50 states x {steps} steps (balancers): all cores "
        f"{allc['seconds']:.2f} s (x{scale:g} = {allc['seconds'] * scale:.2f} s for 1000 x 500; "
        f"target {TARGET:.0f} s: {allc['seconds'] * scale / TARGET:.2f} of it), "
        f"peak {allc['peak_mib']:.0f} MiB; one thread {one['seconds']:.2f} s "
        f"(speed-up {one['seconds'] / allc['seconds']:.2f}x)"
    )
    print("throughput, state-steps per second (1000 replications, 200 steps):")
    sizes = (10, 50) if args.quick else (10, 20, 50, 100, 200)
    for row in throughput(sizes, 100 if args.quick else 1000, 200, args.repeats):
        print(
            f"  N={row['states']:>3}: one thread {row['one_thread'] / 1e6:6.2f} M/s, "
            f"all cores {row['all_cores'] / 1e6:6.2f} M/s"
        )
    print("linearity, all cores (wall / the proportional line through the largest point):")
    lines = linearity(reps, steps, args.repeats)
    for label, points in lines.items():
        top_size, top_wall = points[-1]
        cells = ", ".join(
            f"{size}: {wall:.2f} s ({wall / (top_wall * size / top_size):.2f})"
            for size, wall in points
        )
        print(f"  {label}: {cells}")
    if args.plot:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "bench_engine_linearity.png")
        plot_linearity(lines, path)
        print(f"saved {path}")
    print(f"load at the end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
