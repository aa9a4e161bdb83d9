"""Chunks, the unit of work of a sweep: a design point and a range of its replications.

A chunk is a pure function of the point's scenario, the replication range, the number of
steps and the point's seed, so it gives the same rows on any worker (the contract of
:mod:`equipoise.experiments.runner`): :class:`ChunkTask` describes one,
:func:`simulate_chunk` computes its rows (the :data:`OUTCOMES` of each replication), and
:func:`plan` lists every chunk of a sweep.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from equipoise.engine import run
from equipoise.experiments.spec import InvalidSweepError, SweepSpec
from equipoise.scenario import Scenario

__all__ = ["OUTCOMES", "ChunkTask", "chunk_filename", "plan", "simulate_chunk"]

#: Per-replication outcomes of a chunk: name -> (dtype, description).
OUTCOMES: dict[str, tuple[str, str]] = {
    "hegemony_onset": ("int64", "step at which hegemony was established, -1 if never"),
    "hegemon": ("int64", "index of the hegemon, -1 if none"),
    "hegemony_steps": ("int64", "steps spent in established hegemony"),
    "survivors": ("int64", "states alive at the last step"),
    "mean_concentration": ("float64", "Ray-Singer CON averaged over the steps"),
    "final_concentration": ("float64", "Ray-Singer CON at the last step"),
    "final_leader_share": ("float64", "largest capability share at the last step"),
    "wars": ("int64", "wars started over the run"),
    "mean_arming": ("float64", "mean arming share of alive states at the last step"),
}
_KEYS = ("point", "replication")
_CHUNK_NAME = re.compile(r"^p(\d{7})-r(\d{7})-(\d{7})\.parquet$")

Evaluate = Callable[["ChunkTask"], pd.DataFrame]


@dataclass(frozen=True)
class ChunkTask:
    """One unit of work: replications ``start..stop-1`` of a design point.

    Attributes
    ----------
    point : int
        Index of the design point.
    start, stop : int
        Replication range (``stop`` excluded).
    scenario : Scenario
        The point's scenario.
    steps : int
        Steps per replication.
    seed : int
        The point's seed (:meth:`SweepSpec.point_seed`); the chunk runs replications
        ``start..stop-1`` of it.
    threads : int, optional
        Threads of the compiled kernel (default: all of the worker's). Results do not
        depend on it; :func:`~equipoise.experiments.sweep` gives each task its share of the
        machine's cores.
    """

    point: int
    start: int
    stop: int
    scenario: Scenario
    steps: int
    seed: int
    threads: int | None = None

    @property
    def replications(self) -> range:
        """The replication indices of this chunk."""
        return range(self.start, self.stop)

    @property
    def work(self) -> int:
        """Replication-steps in this chunk."""
        return (self.stop - self.start) * self.steps

    @property
    def filename(self) -> str:
        """File name of the chunk's Parquet file."""
        return chunk_filename(self.point, self.start, self.stop)


def chunk_filename(point: int, start: int, stop: int) -> str:
    """``p0000012-r0000100-0000200.parquet`` for replications 100-199 of point 12."""
    return f"p{point:07d}-r{start:07d}-{stop:07d}.parquet"


def plan(spec: SweepSpec) -> list[tuple[int, int, int]]:
    """Every chunk of a sweep as ``(point, start, stop)``, point by point."""
    cs = spec.effective_chunk_size
    r = spec.replications
    return [(p, a, min(a + cs, r)) for p in range(spec.n_points) for a in range(0, r, cs)]


def simulate_chunk(task: ChunkTask) -> pd.DataFrame:
    """Simulate a chunk and reduce each replication to its outcomes (:data:`OUTCOMES`).

    The default evaluation of :func:`~equipoise.experiments.sweep`: a pure function of the task.

    Examples
    --------
    >>> from equipoise import Scenario
    >>> task = ChunkTask(0, 2, 4, Scenario.load("null"), 10, seed=1)
    >>> rows = simulate_chunk(task)
    >>> rows[["point", "replication"]].to_dict("list")
    {'point': [0, 0], 'replication': [2, 3]}
    >>> bool(rows["survivors"].between(1, 50).all())
    True
    """
    result = run(
        task.scenario,
        replications=task.replications,
        steps=task.steps,
        seed=task.seed,
        record_states=False,
        threads=task.threads,
    )
    ds = result.dataset
    concentration = ds["concentration"].values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
        mean_con = np.nanmean(concentration, axis=1)
    frame = pd.DataFrame(
        {
            "point": np.full(len(task.replications), task.point, dtype=np.int64),
            "replication": ds["replication"].values.astype(np.int64),
            "hegemony_onset": ds["hegemony_onset"].values,
            "hegemon": ds["hegemon"].values,
            "hegemony_steps": ds["hegemony_steps"].values,
            "survivors": ds["survivors"].values[:, -1],
            "mean_concentration": mean_con,
            "final_concentration": concentration[:, -1],
            "final_leader_share": ds["leader_share"].values[:, -1],
            "wars": ds["war_onsets"].values[:, 1:].sum(axis=1),
            "mean_arming": ds["mean_arming"].values[:, -1],
        }
    )
    return frame


def _check_rows(task: ChunkTask, frame: pd.DataFrame) -> pd.DataFrame:
    """Verify a chunk's rows (columns, one row per replication) and fix their dtypes."""
    expected = [*_KEYS, *OUTCOMES]
    if not isinstance(frame, pd.DataFrame) or list(frame.columns) != expected:
        got = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
        raise InvalidSweepError(
            f"chunk {task.filename}: the evaluation returned columns {got}, expected {expected}"
        )
    reps = frame["replication"].to_numpy()
    if len(frame) != len(task.replications) or not np.array_equal(reps, task.replications):
        raise InvalidSweepError(
            f"chunk {task.filename}: the evaluation returned replications {reps.tolist()[:5]}..., "
            f"expected {task.start}..{task.stop - 1}"
        )
    if not (frame["point"].to_numpy() == task.point).all():
        raise InvalidSweepError(f"chunk {task.filename}: rows of another point returned")
    dtypes = {"point": "int64", "replication": "int64"} | {k: d for k, (d, _) in OUTCOMES.items()}
    wrong = {k: d for k, d in dtypes.items() if frame[k].dtype != np.dtype(d)}
    return (frame.astype(wrong) if wrong else frame).reset_index(drop=True)
