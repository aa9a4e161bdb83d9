"""Simulations that run in the background, so that the dashboard never freezes.

A :class:`Job` runs one or more scenarios with :func:`equipoise.run` in a
daemon thread; a :class:`CounterfactualJob` runs
:func:`~equipoise.calibrate.counterfactual.counterfactual` (a historical year with and
without an intervention) the same way. The page polls a job's progress
(replication-steps done out of the total) and may cancel it; the engine's
progress callback, called after each block of replications, is where a
cancellation takes effect. A job runs blocks small enough to report progress
about every second (results do not depend on the block size: every random
number of model 0.2 is a function of the seed, the replication, the step, the
actor and the purpose). Nothing here touches Streamlit, so jobs are tested like
any other Python object.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

from equipoise.engine import run
from equipoise.results import Result
from equipoise.scenario import InvalidScenarioError, Scenario

if TYPE_CHECKING:
    from equipoise.calibrate.counterfactual import Counterfactual, CounterfactualPlan

__all__ = [
    "BLOCK_WORK",
    "MAX_CELLS",
    "CounterfactualJob",
    "Job",
    "JobStatus",
    "block_size",
    "check_size",
]

JobStatus = Literal["pending", "running", "done", "cancelled", "failed"]
_J = TypeVar("_J", bound="_Background")

#: Largest run the dashboard accepts, in recorded state-steps (replications x steps x
#: states): each holds a share, a province count and a bloc, 12 bytes, so about 480 MB.
MAX_CELLS = 40_000_000
#: State-steps per block of replications (about a second of work on one core).
BLOCK_WORK = 2_000_000


class _Cancelled(Exception):
    """Raised inside the engine's progress callback to stop a cancelled job."""


def check_size(scenario: Scenario, replications: int, steps: int) -> None:
    """Refuse a run too large for an interactive page (12 bytes per recorded state-step).

    Raises
    ------
    InvalidScenarioError
        If ``replications x (steps + 1) x states`` exceeds :data:`MAX_CELLS`.
    """
    cells = replications * (steps + 1) * scenario.size
    if cells > MAX_CELLS:
        raise InvalidScenarioError(
            f"{replications} replications x {steps} steps x {scenario.size} states is too large "
            f"for the dashboard ({cells:,} state-steps; at most {MAX_CELLS:,}); "
            "use `equipoise run` for large runs"
        )


def block_size(scenario: Scenario, replications: int, steps: int) -> int:
    """Replications per block of a job: about :data:`BLOCK_WORK` state-steps, at least one.

    Examples
    --------
    >>> block_size(Scenario.load("balancers"), 1000, 500)  # 50 states
    80
    """
    return max(1, min(replications, BLOCK_WORK // max(1, steps * scenario.size)))


class _Background:
    """Work in a daemon thread, with progress (replication-steps of ``total``) and cancelling.

    Subclasses define :meth:`_compute`, which keeps its results on the job and reports
    progress through :meth:`_advance` (steps just done) or :meth:`_reached` (steps done so
    far); either raises :class:`_Cancelled` once the job is cancelled.
    """

    def __init__(self, total: int) -> None:
        self.total = int(total)
        self.error: str | None = None
        self._done = 0
        self._status: JobStatus = "pending"
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._work, name="equipoise-job", daemon=True)

    # ------------------------------------------------------------- control
    def start(self: _J) -> _J:
        """Start the job's thread and return the job."""
        with self._lock:
            self._status = "running"
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the job to stop after the block of replications in progress."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the job to finish; return whether it has."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -------------------------------------------------------------- status
    @property
    def status(self) -> JobStatus:
        """``pending``, ``running``, ``done``, ``cancelled`` or ``failed``."""
        with self._lock:
            return self._status

    @property
    def done(self) -> int:
        """Replication-steps simulated so far."""
        with self._lock:
            return self._done

    @property
    def fraction(self) -> float:
        """Share of the work done, in [0, 1]."""
        return min(1.0, self.done / self.total) if self.total else 1.0

    @property
    def finished(self) -> bool:
        """Whether the job is over (done, cancelled or failed)."""
        return self.status in ("done", "cancelled", "failed")

    # -------------------------------------------------------------- worker
    def _advance(self, k: int) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        with self._lock:
            self._done += k

    def _reached(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        with self._lock:
            self._done = done

    def _compute(self) -> None:
        raise NotImplementedError

    def _work(self) -> None:
        try:
            self._compute()
        except _Cancelled:
            status: JobStatus = "cancelled"
        except Exception as exc:  # shown in the page instead of killing the thread silently
            self.error = f"{type(exc).__name__}: {exc}"
            status = "failed"
        else:
            status = "done"
        with self._lock:
            self._status = status


class Job(_Background):
    """Run scenarios in a background thread with progress and cancellation.

    Parameters
    ----------
    scenarios : sequence of Scenario
        Run one after the other, each with the same replications, steps and seed.
    replications, steps, seed : int

    Attributes
    ----------
    results : list of Result
        Filled when the job is done, one per scenario.
    error : str or None
        The message of the exception that made the job fail.
    """

    def __init__(
        self, scenarios: Sequence[Scenario], replications: int, steps: int, seed: int
    ) -> None:
        if not scenarios:
            raise ValueError("a job needs at least one scenario")
        for s in scenarios:
            check_size(s, replications, steps)
        self.scenarios = list(scenarios)
        self.replications = int(replications)
        self.steps = int(steps)
        self.seed = int(seed)
        self.results: list[Result] = []
        super().__init__(len(self.scenarios) * self.replications * self.steps)

    def _compute(self) -> None:
        results: list[Result] = []
        for s in self.scenarios:
            results.append(
                run(
                    s,
                    replications=self.replications,
                    steps=self.steps,
                    seed=self.seed,
                    chunk_size=block_size(s, self.replications, self.steps),
                    progress=self._advance,
                )
            )
        self.results = results


class CounterfactualJob(_Background):
    """Run a counterfactual in a background thread with progress and cancellation.

    Parameters
    ----------
    plan : CounterfactualPlan
        From :func:`~equipoise.calibrate.counterfactual.plan_counterfactual`, which checks
        the year, the intervention and the posterior before anything runs; each of the two
        worlds must also pass :func:`check_size`.

    Attributes
    ----------
    result : Counterfactual or None
        Set when the job is done
        (:func:`~equipoise.calibrate.counterfactual.run_counterfactual` of the plan).
    error : str or None
        The message of the exception that made the job fail.

    Raises
    ------
    InvalidScenarioError
        If the run is too large for the dashboard (one line).
    """

    def __init__(self, plan: CounterfactualPlan) -> None:
        check_size(plan.base, plan.replications, plan.steps)
        self.plan = plan
        self.chunk_size = block_size(plan.base, plan.replications, plan.steps)
        self.result: Counterfactual | None = None
        super().__init__(2 * plan.replications * plan.steps)

    def _compute(self) -> None:
        from equipoise.calibrate.counterfactual import run_counterfactual

        self.result = run_counterfactual(
            self.plan, progress=self._reached, chunk_size=self.chunk_size
        )
