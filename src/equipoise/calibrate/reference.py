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
Beaumont, M. A., Zhang, W., & Balding, D. J. (2002). Approximate Bayesian computation in
    population genetics. Genetics, 162(4), 2025-2035.
Fearnhead, P., & Prangle, D. (2012). Constructing summary statistics for approximate
    Bayesian computation: semi-automatic approximate Bayesian computation. Journal of the
    Royal Statistical Society B, 74(3), 419-474.
Frazier, D. T., Robert, C. P., & Rousseau, J. (2020). Model misspecification in approximate
    Bayesian computation: consequences and diagnostics. Journal of the Royal Statistical
    Society B, 82(2), 421-444.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise._errors import InputError
from equipoise.calibrate.adjustment import SummaryProjection, adjusted_posterior
from equipoise.calibrate.sampling import SAMPLES, candidate_seed
from equipoise.calibrate.simulator import Simulator

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


def _sizes(settings: CalibrationSettings) -> tuple[int, int]:
    """Runs of the pilot, and runs kept of the rest."""
    pilot = round(settings.pilot * settings.budget)
    return pilot, round(settings.accept * (settings.budget - pilot))


def check_reference_budget(settings: CalibrationSettings, statistics: int, parameters: int) -> None:
    """Refuse a budget too small for the adjusted method (one line, ``ValueError``).

    The pilot needs at least twice as many runs as the regression has coefficients per
    parameter (the statistics and an intercept), and the runs kept must outnumber the
    local-linear fit's coefficients (the summaries and an intercept) by at least two.
    """
    pilot, kept = _sizes(settings)
    need = 2 * (statistics + 1)
    if pilot < need:
        raise ValueError(
            f"The 'budget' setting ({settings.budget}) is too small for the adjusted method: "
            f"its pilot ({settings.pilot:g} of it, {pilot} runs) must have at least {need} "
            f"runs for {statistics} statistics; give a budget of at least "
            f"{int(np.ceil(need / settings.pilot))}."
        )
    if kept < parameters + 3:
        raise ValueError(
            f"The adjusted method would keep {kept} runs (the 'accept' setting, "
            f"{settings.accept:g}, of {settings.budget - pilot}); it needs at least "
            f"{parameters + 3}: raise the budget or the 'accept' setting."
        )


def _chunks(budget: int) -> list[tuple[int, int]]:
    return [(a, min(a + CHUNK, budget)) for a in range(0, budget, CHUNK)]


def _path(directory: Path, first: int, stop: int) -> Path:
    return directory / SAMPLES / f"reference-{first:09d}-{stop:09d}.npy"


def _save(path: Path, rows: np.ndarray) -> None:
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        np.save(f, rows)
    os.replace(tmp, path)


def _saved(directory: Path | None, first: int, stop: int, width: int) -> np.ndarray | None:
    """A job saved by an earlier run of the same calibration, or ``None``."""
    if directory is None:
        return None
    path = _path(directory, first, stop)
    if not path.is_file():
        return None
    try:
        rows = np.load(path)
    except (OSError, ValueError):
        return None  # a damaged file: simulate the job again
    return rows if rows.shape == (stop - first, width) else None


@contextlib.contextmanager
def _executor(
    workers: int, dask_local: int | None, scheduler: str | None
) -> Iterator[tuple[Callable[..., Any], int]]:
    """``(submit, jobs in flight)`` of the chosen execution; ``submit`` returns a future."""
    if dask_local is not None or scheduler is not None:
        from equipoise._dask import dask_client

        with dask_client(scheduler, dask_local, InputError) as client:

            def submit(fn: Callable[..., Any], *args: Any) -> Any:
                return client.submit(fn, *args, pure=False)

            yield submit, 2 * sum(client.ncores().values())
        return
    from equipoise._procs import worker_pool

    pool = worker_pool(workers, ["equipoise.calibrate.reference", "equipoise.kernel"])
    try:
        yield pool.submit, 2 * workers
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def reference_table(
    plan: CalibrationPlan,
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    progress: ProgressCallback | None,
) -> np.ndarray:
    """The plan's reference table, (budget, parameters + statistics), simulated or loaded."""
    from equipoise.calibrate.smc import GenerationReport

    s = plan.settings
    simulator = Simulator(plan.scenario, plan.parameters, plan.target, plan.seed)
    width = len(plan.parameters) + len(plan.target.names)
    jobs = _chunks(s.budget)
    parts: dict[int, np.ndarray] = {}
    for first, stop in jobs:
        rows = _saved(plan.directory, first, stop, width)
        if rows is not None:
            parts[first] = rows
    done = sum(len(p) for p in parts.values())

    def finished(first: int, stop: int, rows: np.ndarray) -> None:
        nonlocal done
        parts[first] = rows
        if plan.directory is not None:
            _save(_path(plan.directory, first, stop), rows)
        done += stop - first
        if progress is not None:
            progress(GenerationReport("simulating", done, s.budget, 0))

    todo = [(a, b) for a, b in jobs if a not in parts]
    if progress is not None:
        progress(GenerationReport("simulating", done, s.budget, 0))
    if todo and workers == 1 and dask_local is None and scheduler is None:
        for first, stop in todo:
            finished(first, stop, simulate_runs(simulator, first, stop))
    elif todo:
        with _executor(workers, dask_local, scheduler) as (submit, flight):
            pending: list[tuple[int, int, Any]] = []
            queue = iter(todo)
            for first, stop in queue:
                pending.append((first, stop, submit(simulate_runs, simulator, first, stop)))
                if len(pending) >= flight:
                    break
            while pending:
                first, stop, future = pending.pop(0)
                finished(first, stop, future.result())
                for a, b in queue:
                    pending.append((a, b, submit(simulate_runs, simulator, a, b)))
                    break
    if plan.directory is not None:  # files of a smaller budget's last job
        wanted = {_path(plan.directory, a, b).name for a, b in jobs}
        for old in (plan.directory / SAMPLES).glob("reference-*.npy"):
            if old.name not in wanted:
                old.unlink(missing_ok=True)
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
    projection = SummaryProjection.fit(units[:pilot], stats[:pilot])
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
