"""What ordered acceptance costs: equipoise's calibration sampler against pyabc's (issue 27).

A calibration draws candidate ``k`` of generation ``t`` from its own seed and accepts
candidates in index order (:class:`equipoise.calibrate._pyabc.OrderedSampler`), so that its
posterior does not depend on the workers; pyabc's samplers accept whichever candidates finish
first. Run from the repository root (needs ``pip install -e ".[calibrate]"``)::

    python benchmarks/bench_calibrate_sampler.py            # both parts
    python benchmarks/bench_calibrate_sampler.py --quick    # a smoke run

It prints, measured in one run, the two samplers alternating round by round (the machine is
shared: compare the ratios, not the times with other runs):

1. **fixed-cost candidates**: a generation of ``--population`` accepted particles from a
   stand-in simulation of fixed cost (1.7 ms, a particle of 200 steps; and 0.3 ms, of 30
   steps) accepted with probability 0.3, on 2 worker processes, batches of 20: the wall time
   per generation of each sampler (the same work in expectation; only the scheduling
   differs) and the candidates each counts;
2. **a calibration**: the default calibration at 200 steps, population ``--population``, the
   prior sample and two generations, on 1 process (against pyabc's single-core sampler) and
   on 2 (against its concurrent-futures sampler): the wall time of each run (the same work
   in expectation, different random draws) and the simulations counted.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import time
from collections.abc import Iterator
from typing import Any

import numpy as np


def fixed_cost_candidate(cost: float, acceptance: float) -> Any:
    """A stand-in for pyabc's ``simulate_one``: busy for ``cost`` seconds, then a particle."""
    import pyabc

    end = time.perf_counter() + cost
    while time.perf_counter() < end:
        pass
    u = float(np.random.random())  # noqa: NPY002 - the sampler seeds it, as pyabc's do
    return pyabc.population.Particle(
        m=0, parameter=pyabc.Parameter(u=u), weight=1.0, sum_stat={"u": np.array([u])},
        distance=u, accepted=u < acceptance,
    )  # fmt: skip


def fixed_cost(population: int, rounds: int, cost: float) -> None:
    """Part 1: wall time per generation of each sampler on two worker processes."""
    import pyabc

    from equipoise.calibrate._pyabc import OrderedSampler
    from equipoise.calibrate.sampling import _process_pool, candidate_seed

    workers, batch = 2, 20
    simulate_one = functools.partial(fixed_cost_candidate, cost, 0.3)
    pool = _process_pool(workers)
    try:
        samplers = {
            "ordered": OrderedSampler(
                lambda t, k: candidate_seed(1, t, k), batch, pool.submit, lambda: 2 * workers
            ),
            "pyabc": pyabc.sampler.ConcurrentFutureSampler(
                cfuture_executor=pool, client_max_jobs=2 * workers, batch_size=batch
            ),
        }
        for sampler in samplers.values():  # start the workers
            sampler.sample_until_n_accepted(20, simulate_one, 0)
        wall = dict.fromkeys(samplers, 0.0)
        counted = dict.fromkeys(samplers, 0)
        for r in range(rounds):
            for name in sorted(samplers, reverse=bool(r % 2)):
                started = time.perf_counter()
                samplers[name].sample_until_n_accepted(population, simulate_one, r)
                wall[name] += time.perf_counter() - started
                counted[name] += samplers[name].nr_evaluations_
    finally:
        pool.shutdown()
    print(f"fixed cost {cost * 1000:.1f} ms, acceptance 0.3, {population} accepted, 2 workers:")
    for name in wall:
        print(
            f"  {name:8s} {wall[name] / rounds:6.3f} s per generation, "
            f"{counted[name] / rounds:7.1f} candidates counted"
        )
    print(f"  ratio ordered / pyabc: {wall['ordered'] / wall['pyabc']:.3f}")


@contextlib.contextmanager
def pyabc_sampler(workers: int, *args: Any) -> Iterator[Any]:
    """pyabc's samplers as equipoise used them before (``smc._sampler``'s signature)."""
    import pyabc

    from equipoise.calibrate.sampling import _process_pool

    if workers == 1:
        yield pyabc.sampler.SingleCoreSampler()
        return
    pool = _process_pool(workers)
    try:
        yield pyabc.sampler.ConcurrentFutureSampler(
            cfuture_executor=pool, client_max_jobs=2 * workers, batch_size=20
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def calibration(population: int, rounds: int, workers: int) -> None:
    """Part 2: wall time of the prior sample and two generations, each sampler."""
    import equipoise.calibrate.smc as smc
    from equipoise.calibrate import CalibrationSettings, calibrate

    ordered = smc._sampler
    settings = CalibrationSettings(population_size=population, budget=10**6, generations=2)
    wall = {"ordered": [], "pyabc": []}
    counted = {"ordered": 0, "pyabc": 0}
    try:
        calibrate(steps=30, settings=settings.replace(population_size=20), workers=workers)
        for r in range(rounds):
            for name in sorted(wall, reverse=bool(r % 2)):
                smc._sampler = ordered if name == "ordered" else pyabc_sampler  # type: ignore[assignment]
                started = time.perf_counter()
                result = calibrate(steps=200, settings=settings, workers=workers, seed=r + 1)
                wall[name].append(time.perf_counter() - started)
                counted[name] += int(result.settings["simulations"])
    finally:
        smc._sampler = ordered
    print(f"calibration, 200 steps, population {population}, 2 generations, {workers} worker(s):")
    for name, times in wall.items():
        print(
            f"  {name:8s} mean {np.mean(times):6.2f} s, median {np.median(times):6.2f} s, "
            f"{counted[name] / rounds:7.1f} simulations counted"
        )
    print(
        f"  ratio ordered / pyabc: mean {np.mean(wall['ordered']) / np.mean(wall['pyabc']):.3f}, "
        f"median {np.median(wall['ordered']) / np.median(wall['pyabc']):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--population", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    population, rounds = (50, 2) if args.quick else (args.population, args.rounds)
    print(f"load average {os.getloadavg()}")
    for cost in (0.0017, 0.0003):
        fixed_cost(population, 2 * rounds, cost)
    for workers in (1, 2):
        calibration(population, rounds, workers)
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
