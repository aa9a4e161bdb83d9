"""What a sweep will cost before it runs: replication-steps, a rough time and the disk.

A sweep is accepted whatever its size, and a design of a hundred thousand points of a
hundred thousand replications would otherwise announce itself only by its progress bar's
estimate (hours, after the first chunks). :func:`sweep_cost` works out, from the spec
alone, the work (state-steps), a rough wall time on a given number of cores at the kernel's
measured speed (``benchmarks/README.md``: about 2 million state-steps per second per core
at 10 to 50 states for model 0.2, fewer for larger systems) and the size of the results
(a row of ``outcomes.parquet`` per replication); :func:`is_large` says when to warn.

Examples
--------
>>> from equipoise.experiments import SweepSpec
>>> spec = SweepSpec(scenario="null", replications=100, steps=500, seed=1,
...                  parameters={"war.attack_probability": [0.02, 0.05, 0.08]})
>>> cost = sweep_cost(spec, cores=2)
>>> cost.replication_steps, cost.state_steps
(150000, 7500000)
>>> is_large(cost)
False
"""

from __future__ import annotations

from dataclasses import dataclass

from equipoise.experiments.spec import SweepSpec

__all__ = ["LARGE_BYTES", "LARGE_SECONDS", "SweepCost", "is_large", "sweep_cost"]

#: State-steps per second of one core running model 0.2's kernel: a round figure from
#: benchmarks/README.md (2.0-2.8 M at 10-50 states on one thread), for a warning, not a
#: forecast.
STATE_STEPS_PER_SECOND = 2_000_000
#: Bytes of one replication's row of results on disk (compressed Parquet, chunks and the
#: joined outcomes together), an upper bound.
ROW_BYTES = 64
#: A sweep longer than this (seconds) or larger than this (bytes) is warned about.
LARGE_SECONDS = 3600.0
LARGE_BYTES = 2 * 2**30


@dataclass(frozen=True)
class SweepCost:
    """The size of a sweep.

    Attributes
    ----------
    replication_steps : int
        Points x replications x steps.
    state_steps : int
        Replication-steps times the states of each point's system (the kernel's work).
    rows : int
        Replications in all: rows of ``outcomes.parquet``.
    seconds : float
        A rough wall time on ``cores`` cores.
    bytes : int
        About how much disk the results take.
    cores : int
        The cores the time is for.
    """

    replication_steps: int
    state_steps: int
    rows: int
    seconds: float
    bytes: int
    cores: int


def sweep_cost(spec: SweepSpec, cores: int) -> SweepCost:
    """The work, rough time and disk of ``spec`` on ``cores`` cores.

    The states of a point are the base scenario's, or the swept ``n_states`` when it varies
    (their mean over the points).
    """
    points = spec.n_points
    states = float(spec.base_scenario.size)
    if "n_states" in spec.factors:
        states = float(spec.points()["n_states"].astype(float).mean())
    rows = points * spec.replications
    replication_steps = rows * spec.steps
    state_steps = round(replication_steps * states)
    seconds = state_steps / (STATE_STEPS_PER_SECOND * max(cores, 1))
    return SweepCost(
        replication_steps=replication_steps,
        state_steps=state_steps,
        rows=rows,
        seconds=seconds,
        bytes=rows * ROW_BYTES,
        cores=cores,
    )


def is_large(cost: SweepCost) -> bool:
    """Whether a sweep is worth a warning before it starts (long, or large on disk)."""
    return cost.seconds > LARGE_SECONDS or cost.bytes > LARGE_BYTES
