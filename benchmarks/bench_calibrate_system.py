"""Whole-system calibration benchmark (issue 27): the cost of a simulation and of a calibration.

Run from the repository root (needs ``pip install -e ".[calibrate]"``)::

    python benchmarks/bench_calibrate_system.py                   # defaults below
    python benchmarks/bench_calibrate_system.py --population 200 --generations 2 --workers 2
    python benchmarks/bench_calibrate_system.py --quick           # a smoke run

It prints, measured in one run:

1. machine information (cores, load average, versions);
2. **the fixed costs**: building the whole-system scenario
   (``scenario_from_history(1816, states="all", entries=True, until=1914)``) and history's
   whole-system statistics (:func:`equipoise.calibrate.whole_system.whole_system_target`);
3. **per-simulation cost** (``--sims`` particles at the midpoints of the default priors, after
   compilation, in this process): the kernel with its dyad cells (``Simulator.raw``) and
   the kernel plus the whole-system statistics (``Simulator.statistics``: main table,
   whole-system table, the dangerous-dyads logit);
4. **a short real calibration** (``calibrate(system=True)``, 1816-1914, population
   ``--population``, ``--generations`` generations, ``--workers`` processes): its ABC-SMC
   seconds (worker start-up included, the predictive draws not), simulations and rate; the
   wall time of a 50,000-simulation calibration on those workers extrapolated linearly
   from that rate (``50,000 / rate``, pessimistic: the start-up is counted at the short
   run's rate), and its ratio to the issue's target of 30 minutes on 2 cores; the same
   from the rate within the generations (their simulations over their seconds, without the
   workers' start-up and the prior sample); the bound from the per-simulation cost alone
   (``50,000 x cost / workers``); and the short run's posterior, each parameter's 90 %
   interval as a share of its prior's width (too small a run to be a finding);
5. **the adjusted method** (``method="adjusted"``, ``--budget`` simulations from the priors,
   the same workers): its seconds (the learned summaries and the adjustment included), its
   rate and its ratio to ABC-SMC's rate measured in the same run, and the extrapolation to
   50,000 simulations.

All timings use ``time.perf_counter``. The machine may be shared: the load average is
printed at the top and at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import equipoise
from _simulation_cost import simulation_cost  # benchmarks/ is on the path
from equipoise.calibrate import (
    Calibration,
    CalibrationSettings,
    Simulator,
    calibrate,
)
from equipoise.calibrate.parameters import check_parameters, default_parameters
from equipoise.calibrate.whole_system import whole_system_target
from equipoise.history import scenario_from_history

START, END = 1816, 1914
TARGET_SIMULATIONS = 50_000
TARGET_MINUTES = 30.0


def load() -> str:
    avg = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return f"{avg[0]:.2f} {avg[1]:.2f} {avg[2]:.2f}"


def machine() -> None:
    import numba
    import pyabc

    print(
        f"machine: {os.cpu_count()} cores, load average {load()}; Python "
        f"{platform.python_version()}, equipoise {equipoise.__version__}, numpy "
        f"{np.__version__}, numba {numba.__version__}, pyabc {pyabc.__version__}"
    )


def per_simulation(sims: int) -> float:
    started = time.perf_counter()
    scenario = scenario_from_history(START, states="all", entries=True, until=END)
    built = time.perf_counter() - started
    started = time.perf_counter()
    target = whole_system_target(scenario, start=START, end=END)
    measured = time.perf_counter() - started
    print(
        f"fixed costs: whole-system scenario {built:.2f} s ({scenario.size} states), "
        f"history's {len(target.values)} statistics {measured:.2f} s"
    )
    parameters = check_parameters(default_parameters(scenario), scenario)
    sim = Simulator(scenario, parameters, target, seed=1)
    values = {p.name: (p.low + p.high) / 2 for p in parameters}
    raw, full = simulation_cost(sim, values, sims)
    print(
        f"per simulation ({START}-{END}, {END - START + 1} steps, mean of {sims}, one "
        f"process): kernel with dyad cells {raw * 1e3:.1f} ms, kernel + whole-system "
        f"statistics {full * 1e3:.1f} ms (statistics {(full - raw) * 1e3:.1f} ms)"
    )
    return full


def short_calibration(population: int, generations: int, workers: int, cost: float) -> float:
    started = time.perf_counter()
    result = _run(population, generations, workers)
    wall = time.perf_counter() - started
    sims = int(result.settings["simulations"])
    seconds = float(result.settings["seconds"])
    rate = sims / seconds
    minutes = TARGET_SIMULATIONS / rate / 60
    bound = TARGET_SIMULATIONS * cost / workers / 60
    print(
        f"calibration ({START}-{END}, population {population}, {len(result.generations)} "
        f"generations, {workers} worker(s)): {sims} simulations, ABC-SMC {seconds:.1f} s, "
        f"wall with the plan and result files {wall:.1f} s, {rate:.1f} simulations/s"
    )
    print(
        f"{TARGET_SIMULATIONS:,} simulations on {workers} worker(s): {minutes:.1f} min "
        f"(extrapolated linearly from the rate), {minutes / TARGET_MINUTES:.2f} x the "
        f"{TARGET_MINUTES:.0f}-minute target; from the per-simulation cost alone "
        f"{bound:.1f} min ({bound / TARGET_MINUTES:.2f} x)"
    )
    gens = result.generations
    steady = float(gens["simulations"].sum() / gens["seconds"].sum())
    minutes = TARGET_SIMULATIONS / steady / 60
    print(
        f"within the generations (start-up and the prior sample left out): {steady:.1f} "
        f"simulations/s, so {TARGET_SIMULATIONS:,} simulations in {minutes:.1f} min "
        f"({minutes / TARGET_MINUTES:.2f} x the target)"
    )
    _posterior(result)
    return rate


def _posterior(result: Calibration) -> None:
    print("posterior of this short run (90 % interval; width / prior width):")
    for _, row in result.interval(0.9).iterrows():
        ratio = (row["high"] - row["low"]) / (row["prior_high"] - row["prior_low"])
        print(
            f"  {row['parameter']:30s} median {row['median']:.4g}, "
            f"[{row['low']:.4g}, {row['high']:.4g}] of [{row['prior_low']:.4g}, "
            f"{row['prior_high']:.4g}]: {ratio:.2f}"
        )


def short_adjusted(budget: int, workers: int, smc_rate: float) -> None:
    """The adjusted method (a reference table from the priors) on the same workers."""
    settings = CalibrationSettings(budget=budget, method="adjusted", predictive_draws=20)
    started = time.perf_counter()
    result = calibrate(
        system=True, start=START, end=END, settings=settings, workers=workers, seed=20261207
    )
    wall = time.perf_counter() - started
    seconds = float(result.settings["seconds"])
    rate = budget / seconds
    minutes = TARGET_SIMULATIONS / rate / 60
    print(
        f"adjusted method ({budget} simulations from the priors, {workers} worker(s)): "
        f"{seconds:.1f} s with the summaries and the adjustment, wall {wall:.1f} s, "
        f"{rate:.1f} simulations/s, {rate / smc_rate:.2f} x ABC-SMC's rate in this run; "
        f"{TARGET_SIMULATIONS:,} simulations in {minutes:.1f} min "
        f"({minutes / TARGET_MINUTES:.2f} x the target)"
    )
    _posterior(result)


def _run(population: int, generations: int, workers: int) -> Calibration:
    settings = CalibrationSettings(
        population_size=population,
        budget=10**9,  # the generations decide
        generations=generations,
        predictive_draws=20,
    )
    return calibrate(
        system=True,
        start=START,
        end=END,
        settings=settings,
        workers=workers,
        seed=20261207,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sims", type=int, default=50, help="particles timed in process")
    parser.add_argument("--population", type=int, default=200)
    parser.add_argument("--generations", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=int, default=1500, help="the adjusted method's")
    parser.add_argument("--quick", action="store_true", help="a smoke run (tiny sizes)")
    args = parser.parse_args()
    if args.quick:
        args.sims, args.population, args.generations, args.workers = 5, 20, 1, 1
        args.budget = 1100  # the smallest the adjusted method takes on the whole system
    machine()
    cost = per_simulation(args.sims)
    rate = short_calibration(args.population, args.generations, args.workers, cost)
    short_adjusted(args.budget, args.workers, rate)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
