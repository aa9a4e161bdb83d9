"""Calibration on a reference table: learned summaries and regression adjustment.

The ``"adjusted"`` method of :func:`~equipoise.calibrate.smc.calibrate`
(``CalibrationSettings(method="adjusted")``, ``equipoise calibrate --method adjusted``).
ABC-SMC (:mod:`equipoise.calibrate.smc`) compares a hundred statistics through one weighted
distance, in which the many that say little about any parameter drown the few that say
much; on the whole system its posteriors span 0.84 of their priors where the statistics
could pin about half the parameters (docs/calibrate.md, "What the statistics could tell").
This method uses what they carry:

1. **A reference table.** ``budget`` runs, run ``k`` at its own draw from the priors
   (:func:`reference_draw`, counter-based: ``(seed, k)``) and replication ``k`` of the seed,
   reduced to the target's statistics. Jobs of :data:`CHUNK` runs go to the workers
   (processes or a Dask cluster); each finished job is saved (``samples/reference-*.npy``),
   so an interrupted calibration resumes where it stopped, and a larger ``budget`` extends
   the table. The table, and so the posterior, is the same whatever the workers.
2. **Learned summaries** (Fearnhead & Prangle 2012): the first ``pilot`` share of the runs
   fits a regression of each parameter on the statistics
   (:class:`~equipoise.calibrate.adjustment.SummaryProjection`); its fitted values are the
   summaries compared.
3. **Rejection and adjustment** (Beaumont, Zhang & Balding 2002): of the other runs, the
   ``accept`` share nearest history's summaries is kept, weighted by an Epanechnikov kernel
   of the distance, and moved along a local-linear fit to history's summaries
   (:func:`~equipoise.calibrate.adjustment.adjusted_posterior`).

The posterior is those particles; ``generations.csv`` has one row (the tolerance as epsilon,
the share kept as the acceptance rate). ``tolerance_rank`` in the provenance says whether
the data look like a simulation to the method (:func:`tolerance_rank`).
``scripts/identifiability_system.py`` checks the method by recovery on synthetic
whole-system histories (docs/calibrate.md).

References
----------
Those of the two techniques are in :mod:`equipoise.calibrate.adjustment`; the misfit check:

Frazier, D. T., Robert, C. P., & Rousseau, J. (2020). Model misspecification in approximate
    Bayesian computation: consequences and diagnostics. Journal of the Royal Statistical
    Society B, 82(2), 421-444.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise._errors import InputError
from equipoise.calibrate.adjustment import SummaryProjection, adjusted_posterior
from equipoise.calibrate.sampling import SAMPLES, candidate_seed, save_array
from equipoise.calibrate.simulator import NULLABLE, Simulator

if TYPE_CHECKING:
    from equipoise.calibrate.plan import CalibrationPlan, CalibrationSettings
    from equipoise.calibrate.posterior import Calibration
    from equipoise.calibrate.smc import ProgressCallback

__all__ = [
    "CHUNK",
    "check_reference_budget",
    "reference_draw",
    "run_adjusted",
    "simulate_runs",
    "tolerance_rank",
]

#: The "generation" of the reference table's draws in :func:`candidate_seed` (ABC-SMC's
#: generations are -1, 0, 1, ...).
REFERENCE = -2
#: Runs per job and per saved file of the reference table.
CHUNK = 250


def reference_draw(seed: int, index: int, dimension: int) -> np.ndarray:
    """The unit-scale parameter vector of run ``index`` of a reference table.

    ``dimension`` uniform draws on [0, 1) from the counter-based seed
    :func:`~equipoise.calibrate.sampling.candidate_seed` ``(seed, -2, index)``: the same
    wherever and in whatever order the run is simulated.

    Examples
    --------
    >>> a = reference_draw(7, 3, 2)
    >>> bool((a == reference_draw(7, 3, 2)).all()), bool((a != reference_draw(7, 4, 2)).all())
    (True, True)
    """
    words = candidate_seed(seed, REFERENCE, index)
    return np.random.default_rng(list(words)).random(dimension)


def simulate_runs(simulator: Simulator, first: int, stop: int) -> np.ndarray:
    """Runs ``first`` to ``stop - 1`` of the reference table: unit draws, then statistics.

    Run ``k`` is replication ``k`` of the simulator's seed at the parameters
    ``low + u * (high - low)``, ``u = reference_draw(seed, k, dimension)``.
    """
    params = simulator.parameters
    low = np.array([p.low for p in params])
    high = np.array([p.high for p in params])
    rows = []
    for k in range(first, stop):
        u = reference_draw(simulator.seed, k, len(params))
        values = dict(zip([p.name for p in params], (low + u * (high - low)).tolist(), strict=True))
        rows.append(np.concatenate([u, simulator.statistics(values, k)]))
    return np.vstack(rows)


def _sizes(settings: CalibrationSettings, budget: int | None = None) -> tuple[int, int]:
    """Runs of the pilot, and runs kept of the rest (of ``budget``, default the settings')."""
    budget = settings.budget if budget is None else budget
    pilot = round(settings.pilot * budget)
    return pilot, round(settings.accept * (budget - pilot))


def _enough(settings: CalibrationSettings, budget: int, statistics: int, parameters: int) -> bool:
    pilot, kept = _sizes(settings, budget)
    return pilot >= 2 * (statistics + 1) and kept >= parameters + 3


def check_reference_budget(settings: CalibrationSettings, statistics: int, parameters: int) -> None:
    """Refuse a budget too small for the adjusted method (one line, ``ValueError``).

    The pilot needs at least twice as many runs as the regression has coefficients per
    parameter (the statistics and an intercept), and the runs kept must outnumber the
    local-linear fit's coefficients (the summaries and an intercept) by at least two. The
    message names the smallest budget that meets both.
    """
    if _enough(settings, settings.budget, statistics, parameters):
        return
    need = settings.budget + 1
    while not _enough(settings, need, statistics, parameters):
        need += 1
    pilot, kept = _sizes(settings)
    raise ValueError(
        f"The 'budget' setting ({settings.budget}) is too small for the adjusted method "
        f"with {statistics} statistics, {parameters} parameters, pilot {settings.pilot:g} and "
        f"accept {settings.accept:g} (a pilot of {pilot} runs, {kept} kept): give a budget "
        f"of at least {need}."
    )


def _chunks(budget: int) -> list[tuple[int, int]]:
    return [(a, min(a + CHUNK, budget)) for a in range(0, budget, CHUNK)]


def _path(directory: Path, first: int, stop: int) -> Path:
    return directory / SAMPLES / f"reference-{first:09d}-{stop:09d}.npy"


#: The name of a saved job of the reference table: its first run and the run after its last.
_SAVED = re.compile(r"reference-(\d{9})-(\d{9})\.npy")


def _saved_rows(
    directory: Path | None, jobs: list[tuple[int, int]], width: int
) -> dict[int, np.ndarray]:
    """Jobs an earlier run of the same calibration saved: ``first -> rows``.

    A job is taken from any saved file whose runs cover it (a larger budget's jobs, or a
    smaller budget's last, partial one, which covers the start of a job and no more, is
    simulated again whole); a damaged or misshapen file is ignored. Nothing is deleted.
    """
    if directory is None or not (directory / SAMPLES).is_dir():
        return {}
    files = []
    for path in (directory / SAMPLES).iterdir():
        match = _SAVED.fullmatch(path.name)
        if match:
            files.append((int(match[1]), int(match[2]), path))
    loaded: dict[Path, np.ndarray | None] = {}
    parts: dict[int, np.ndarray] = {}
    for first, stop in jobs:
        for a, b, path in files:
            if not a <= first < stop <= b:
                continue
            if path not in loaded:
                try:
                    rows = np.load(path)
                except (OSError, ValueError):
                    rows = None  # a damaged file: simulate its jobs again
                loaded[path] = rows if rows is not None and rows.shape == (b - a, width) else None
            rows = loaded[path]
            if rows is not None:
                parts[first] = rows[first - a : stop - a]
                break
    return parts


@contextlib.contextmanager
def _executor(
    workers: int, dask_local: int | None, scheduler: str | None
) -> Iterator[tuple[Callable[..., Any], Callable[[], int]]]:
    """``(submit, jobs in flight)`` of the chosen execution; ``submit`` returns a future.

    The number of jobs in flight is asked again as jobs finish: a Dask cluster's workers
    may come and go.
    """
    if dask_local is not None or scheduler is not None:
        from equipoise._dask import dask_client

        with dask_client(scheduler, dask_local, InputError) as client:

            def submit(fn: Callable[..., Any], *args: Any) -> Any:
                return client.submit(fn, *args, pure=False)

            yield submit, lambda: max(1, 2 * sum(client.ncores().values()))
        return
    from equipoise._procs import worker_pool

    pool = worker_pool(workers, ["equipoise.calibrate.reference", "equipoise.kernel"])
    try:
        yield pool.submit, lambda: 2 * workers
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: Seconds between two looks at the jobs under way.
POLL = 0.05


def reference_table(
    plan: CalibrationPlan,
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    progress: ProgressCallback | None,
) -> np.ndarray:
    """The plan's reference table, (budget, parameters + statistics), simulated or loaded.

    Each job is saved as soon as it finishes, in whatever order the jobs finish; the table
    is assembled in run order, so it does not depend on the workers.
    """
    from equipoise.calibrate.smc import GenerationReport

    s = plan.settings
    simulator = Simulator(plan.scenario, plan.parameters, plan.target, plan.seed)
    width = len(plan.parameters) + len(plan.target.names)
    jobs = _chunks(s.budget)
    parts = _saved_rows(plan.directory, jobs, width)
    done = sum(len(p) for p in parts.values())

    def finished(first: int, stop: int, rows: np.ndarray, report: bool = True) -> None:
        nonlocal done
        parts[first] = rows
        if plan.directory is not None:
            save_array(_path(plan.directory, first, stop), rows)
        done += stop - first
        if progress is not None and report:
            progress(GenerationReport("simulating", done, s.budget, 0))

    todo = [(a, b) for a, b in jobs if a not in parts]
    if progress is not None:
        progress(GenerationReport("simulating", done, s.budget, 0))
    if todo and workers == 1 and dask_local is None and scheduler is None:
        for first, stop in todo:
            finished(first, stop, simulate_runs(simulator, first, stop))
    elif todo:
        with _executor(workers, dask_local, scheduler) as (submit, flight):
            pending: dict[Any, tuple[int, int]] = {}
            queue = iter(todo)
            try:
                while True:
                    while len(pending) < flight():
                        job = next(queue, None)
                        if job is None:
                            break
                        pending[submit(simulate_runs, simulator, *job)] = job
                    if not pending:
                        break
                    ready = [f for f in pending if f.done()]
                    if not ready:
                        time.sleep(POLL)
                    for future in ready:
                        first, stop = pending.pop(future)
                        finished(first, stop, future.result())
            except KeyboardInterrupt:
                # keep what has finished: a resumed calibration does not simulate it again
                for future, (first, stop) in pending.items():
                    if future.done() and not future.cancelled() and future.exception() is None:
                        finished(first, stop, future.result(), report=False)
                raise
    return np.vstack([parts[first] for first, _ in jobs])


#: Simulated histories (pilot runs) against which history's tolerance is ranked.
RANKED = 200


def tolerance_rank(
    table: np.ndarray, pilot: np.ndarray, tolerance: float, spread: np.ndarray, kept: int
) -> float:
    """The share of simulated histories farther from the table than the data are.

    Each of the first :data:`RANKED` pilot runs (simulations the table does not hold) is
    treated as data: the distance of its ``kept``-th nearest run of the table, which would
    be its tolerance. The share of them above the data's ``tolerance``: about uniform on
    [0, 1] if the data are like a simulation; near 0 when the data lie farther from every
    simulation than simulations do (a misfit of the model, under which a regression
    adjustment extrapolates: Frazier, Robert & Rousseau 2020).
    """
    tolerances = []
    for row in pilot[:RANKED]:
        distance = np.sqrt((((table - row) / spread) ** 2).sum(axis=1))
        tolerances.append(np.partition(distance, kept - 1)[kept - 1])
    return float(np.mean(np.array(tolerances) > tolerance))


def run_adjusted(
    plan: CalibrationPlan,
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    progress: ProgressCallback | None,
) -> Calibration:
    """Simulate (or load) the reference table and return the adjusted posterior."""
    from equipoise.calibrate.posterior import Calibration
    from equipoise.calibrate.smc import GenerationReport

    started = time.perf_counter()
    s = plan.settings
    table = reference_table(plan, workers, dask_local, scheduler, progress)
    d = len(plan.parameters)
    units, stats = table[:, :d], table[:, d:]
    pilot, kept = _sizes(s)
    nullable = np.array([n in NULLABLE for n in plan.target.names])
    projection = SummaryProjection.fit(units[:pilot], stats[:pilot], nullable=nullable)
    observed = projection(np.array([plan.target.values[n] for n in plan.target.names]))
    summaries = projection(stats[pilot:])
    sample = adjusted_posterior(units[pilot:], summaries, observed, projection.spread, accept=kept)
    rank = tolerance_rank(
        summaries, projection(stats[:pilot]), sample.tolerance, projection.spread, kept
    )
    low = np.array([p.low for p in plan.parameters])
    high = np.array([p.high for p in plan.parameters])
    values = low + sample.units * (high - low)
    posterior = pd.DataFrame({"draw": np.arange(kept)})
    for i, p in enumerate(plan.parameters):
        posterior[p.name] = values[:, i]
    posterior["weight"] = sample.weights
    posterior["distance"] = sample.distances
    ess = float(1.0 / np.sum(sample.weights**2))
    seconds = time.perf_counter() - started
    rate = kept / (s.budget - pilot)
    generations = pd.DataFrame(
        {
            "generation": [0],
            "epsilon": [sample.tolerance],
            "simulations": [s.budget],
            "particles": [kept],
            "acceptance_rate": [rate],
            "ess": [ess],
            "seconds": [seconds],
        }
    )
    if progress is not None:
        progress(GenerationReport("generation", s.budget, s.budget, 0, sample.tolerance, rate, ess))
    result = Calibration.from_sample(plan, posterior, generations, s.budget, seconds)
    result.settings["tolerance_rank"] = rank
    return result
