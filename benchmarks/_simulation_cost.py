"""The cost of one calibration simulation, shared by the calibration benchmarks.

Imported by ``bench_calibrate.py`` and ``bench_calibrate_system.py`` (``benchmarks/`` is on the
path when a benchmark runs as a script).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from equipoise.calibrate import Simulator


def simulation_cost(sim: Simulator, values: Mapping[str, float], sims: int) -> tuple[float, float]:
    """Mean seconds per simulation of the kernel alone and of the kernel with the statistics.

    Replications ``0 .. sims - 1`` at ``values``, after one call that compiles or loads the
    kernel; one process.
    """
    sim.statistics(values, 0)  # compile / load the kernel
    started = time.perf_counter()
    for r in range(sims):
        sim.raw(values, r)
    raw = (time.perf_counter() - started) / sims
    started = time.perf_counter()
    for r in range(sims):
        sim.statistics(values, r)
    full = (time.perf_counter() - started) / sims
    return raw, full
