"""Experiments at scale: sweep designs, resumable execution anywhere, sensitivity analysis.

A sweep file (TOML) names a base scenario, the parameters to vary and a design
(``grid``, ``lhs``, ``sobol`` or ``morris``); :func:`sweep` runs it in chunks of
(point, replications) on any ``concurrent.futures`` executor — processes by
default, or a Dask cluster — writing each chunk atomically so that a rerun
resumes where a killed one stopped; :func:`analyse` turns the results into
outcomes per point, sensitivity indices and a scenario-discovery box. See
``docs/sweeps.md``.

>>> from equipoise.experiments import SweepSpec, SerialExecutor, sweep, analyse
>>> spec = SweepSpec(
...     scenario="null", replications=4, steps=15, seed=3, output="out",
...     parameters={"war.attack_probability": [0.02, 0.1]},
... )
>>> report = sweep(spec, SerialExecutor())
>>> report.computed, len(report.outcomes())
(2, 8)
>>> analyse("out").points[["war.attack_probability", "replications"]].to_dict("list")
{'war.attack_probability': [0.02, 0.1], 'replications': [4, 4]}
"""

from equipoise.experiments.analysis import Analysis, analyse, discover, outcomes_by_point
from equipoise.experiments.chunks import OUTCOMES, ChunkTask, simulate_chunk
from equipoise.experiments.directory import (
    IncompleteSweepError,
    SweepLockedError,
    SweepMismatchError,
    load_sweep,
    read_outcomes,
)
from equipoise.experiments.executors import SerialExecutor, dask_executor, process_pool
from equipoise.experiments.runner import SweepReport, sweep
from equipoise.experiments.spec import DESIGNS, InvalidSweepError, ParameterSpec, SweepSpec

__all__ = [
    "DESIGNS",
    "OUTCOMES",
    "Analysis",
    "ChunkTask",
    "IncompleteSweepError",
    "InvalidSweepError",
    "ParameterSpec",
    "SerialExecutor",
    "SweepLockedError",
    "SweepMismatchError",
    "SweepReport",
    "SweepSpec",
    "analyse",
    "dask_executor",
    "discover",
    "load_sweep",
    "outcomes_by_point",
    "process_pool",
    "read_outcomes",
    "simulate_chunk",
    "sweep",
]
