"""Speed of landscape theory's exact search, n = 10..24 states.

Run from the repository root::

    python benchmarks/bench_landscape.py            # n = 10..24, about a minute
    python benchmarks/bench_landscape.py --max 20   # stop earlier

For each n it prints the wall time of ``equipoise.landscape.solve`` (exact
enumeration of all 2^(n-1) configurations with the descent map, local
minima and basins; best of ``--repeats`` runs, one run above n = 20), the
number of stable configurations found, and the time per problem of
``global_minima`` (global minimum only, as the simulation's landscape
alliance rule uses it; 20 problems at once). Inputs are random: sizes
uniform in (0, 1), propensities standard normal, symmetrised, from seed 1.
The target of issue 5 is n = 20 in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from equipoise.landscape import global_minima, solve


def problem(n: int, rng: np.random.Generator, batch: int | None = None):
    shape = (n,) if batch is None else (batch, n)
    sizes = rng.random(shape)
    p = rng.normal(size=(n, n))
    return sizes, (p + p.T) / 2


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=int, default=10, help="smallest n (default 10)")
    parser.add_argument("--max", type=int, default=24, help="largest n (default 24)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per n up to 20 (best)")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load {load:.2f}, Python {platform.python_version()}, numpy {np.__version__}"
    )
    header = ("n", "configurations", "solve (s)", "minima", "global_minima (ms)")
    print("{:>3} {:>15} {:>10} {:>7} {:>19}".format(*header))
    rng = np.random.default_rng(1)
    for n in range(args.min, args.max + 1):
        sizes, p = problem(n, rng)
        repeats = args.repeats if n <= 20 else 1
        result = solve(sizes, p)
        wall = best_of(lambda s=sizes, q=p: solve(s, q), repeats)
        batch_sizes, batch_p = problem(n, rng, batch=20)
        per = best_of(lambda s=batch_sizes, q=batch_p: global_minima(s, q), repeats) / 20
        print(f"{n:>3} {2 ** (n - 1):>15,} {wall:>10.3f} {len(result):>7} {1000 * per:>19.3f}")


if __name__ == "__main__":
    main()
