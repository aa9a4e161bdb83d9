"""ABC-SMC calibration with pyabc: the method, and the run, resumable generation by generation.

:func:`calibrate` fits the chosen parameters (:mod:`equipoise.calibrate.parameters`) of a
scenario to the statistics of :mod:`equipoise.calibrate.simulator` by likelihood-free
Bayesian inference: approximate Bayesian computation by sequential Monte Carlo (Toni et al.
2009; Beaumont et al. 2009), as pyabc implements it (Schälte et al. 2022):

- **Particles.** Each particle is one replication of the scenario at one parameter vector
  (:class:`~equipoise.calibrate.simulator.Simulator`), with a replication index drawn at
  random, so that particles are independent draws of the model's randomness. One
  replication is compared with history, which is one realisation too: averaging replications
  per particle would make the posterior too narrow.
- **Distance.** pyabc's adaptive weighted L1 distance (Prangle 2017): each generation the
  statistics are rescaled by their spread among that generation's simulations (the median
  absolute deviation, or the standard deviation where the MAD is 0:
  :func:`~equipoise.calibrate._pyabc.robust_scale`), rejected particles included, so that
  statistics in different units weigh alike; the L1 norm is the robust choice of Schälte,
  Alamoudi & Hasenauer (2022). Fixed weights on top: 1 per validate statistic, and a decade
  of capability shares as much as one statistic (its N shares ``1/N`` each); for the whole
  system (``system=True``), those of
  :func:`~equipoise.calibrate.whole_system.system_weights` (the states by year, and each
  partition of the dyad onset rates, weigh as one statistic; the dangerous-dyads
  coefficients 1 each, an infinite one clipped to ±10).
- **Undefined statistics.** A replication may leave a statistic undefined: the war-size
  slope needs three distinct war sizes, the multiparty share one war, the mean alliance
  duration one alliance that ended. Rejecting such particles would bias the posterior
  towards parameters with many wars; imputing a value would invent data. Instead each such
  statistic enters twice: its value, whose term in the distance is 0 when undefined, and
  an indicator ``NAME_defined`` (1 in history, where all are defined), which measures how
  often the parameters leave it undefined. Scales are computed over the defined values
  only (:class:`~equipoise.calibrate._pyabc.MissingAwareDistance`).
- **Schedule.** Epsilon is the weighted median of the previous generation's distances
  (pyabc's default), proposals a particle of the previous population moved by a normal
  with twice its weighted covariance (Beaumont et al. 2009;
  :class:`~equipoise.calibrate._pyabc.FastNormalTransition`); priors are uniform over each
  parameter's range. The effective sample size of each generation (``ess`` of
  ``generations.csv``) says how many particles the posterior rests on.
- **Budget.** The run stops after the generation in which the number of simulations
  (the prior sample that calibrates the distance included) reaches ``budget``, or after
  ``generations`` generations: the generation under way finishes, so the total may pass the
  budget by part of a generation (reported).

**The directory** of a run (what it holds, how a run resumes) is checked and laid out by
:mod:`equipoise.calibrate.plan`; the particles are simulated by the sampler of
:mod:`equipoise.calibrate.sampling` (in this process, a process pool or a Dask cluster), which
makes a calibration with a seed the same to the bit wherever it runs, resumed or not.

References
----------
Toni, T., Welch, D., Strelkowa, N., Ipsen, A., & Stumpf, M. P. H. (2009). Approximate
    Bayesian computation scheme for parameter inference and model selection in dynamical
    systems. *Journal of the Royal Society Interface*, 6(31), 187-202.
Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive approximate
    Bayesian computation. *Biometrika*, 96(4), 983-990.
Prangle, D. (2017). Adapting the ABC distance function. *Bayesian Analysis*, 12(1), 289-309.
Schälte, Y., Alamoudi, E., & Hasenauer, J. (2022). Robust adaptive distance functions for
    approximate Bayesian inference on outlier-corrupted data. *bioRxiv* 2021.07.29.454327.
Schälte, Y., Klinger, E., Alamoudi, E., & Hasenauer, J. (2022). pyABC: efficient and robust
    easy-to-use approximate Bayesian computation. *Journal of Open Source Software*, 7(74),
    4304.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from equipoise._errors import InputError
from equipoise._io import directory_lock
from equipoise._version import __version__
from equipoise.calibrate.parameters import Parameter
from equipoise.calibrate.plan import (
    DATABASE,
    CalibrationPlan,
    CalibrationSettings,
    _create,
    plan_calibration,
)
from equipoise.calibrate.sampling import (
    SUMMARY_KEY,
    _Model,
    _sampler,
    load_generation,
    summaries,
    summary_names,
)
from equipoise.calibrate.simulator import NULLABLE, Simulator, Target

if TYPE_CHECKING:
    from equipoise.calibrate.posterior import Calibration
    from equipoise.scenario import Scenario

__all__ = ["GenerationReport", "calibrate", "check_execution"]


@dataclass(frozen=True)
class GenerationReport:
    """What the progress callback receives while a calibration runs.

    Attributes
    ----------
    stage : str
        ``"simulating"`` (a batch of simulations has finished) or ``"generation"`` (a
        generation has been accepted and saved).
    simulations : int
        Simulations so far (this and earlier runs of the same calibration).
    budget : int
    generation : int
        The generation under way (``"simulating"``) or just finished (``"generation"``);
        -1 for the prior sample that calibrates the distance.
    epsilon, acceptance_rate, ess : float
        Of the generation just finished (``nan`` while simulating).
    """

    stage: str
    simulations: int
    budget: int
    generation: int
    epsilon: float = float("nan")
    acceptance_rate: float = float("nan")
    ess: float = float("nan")


ProgressCallback = Callable[[GenerationReport], None]


@contextlib.contextmanager
def _quiet_pyabc() -> Iterator[None]:
    """Pyabc logs every generation at INFO on standard error: the progress bar says it."""
    logger = logging.getLogger("ABC")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _numpy_seed(seed: int) -> Iterator[None]:
    """Seed numpy's global generator (pyabc draws from it) and restore it afterwards."""
    state = np.random.get_state()  # noqa: NPY002 - pyabc uses the global generator
    np.random.seed(seed % 2**32)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def calibrate(
    scenario: Scenario | str | None = None,
    *,
    start: int = 1816,
    end: int | None = None,
    steps: int | None = None,
    parameters: Sequence[Parameter] | str | Path | None = None,
    settings: CalibrationSettings | None = None,
    budget: int | None = None,
    population_size: int | None = None,
    method: str | None = None,
    statistics: Sequence[str] | None = None,
    capability_weight: float | None = None,
    seed: int | None = None,
    out: str | Path | None = None,
    workers: int = 1,
    dask_local: int | None = None,
    scheduler: str | None = None,
    target: Target | None = None,
    progress: ProgressCallback | None = None,
    plan: CalibrationPlan | None = None,
    system: bool = False,
) -> Calibration:
    """Calibrate a scenario's parameters to history by ABC-SMC (module docstring).

    Parameters
    ----------
    scenario : Scenario or str, optional
        Default: ``scenario_from_history(start)``, the great powers of ``start``, compared
        with the same states in history (the cohort comparison of ``equipoise validate``)
        plus their capability shares by decade. Any other scenario is compared with the
        whole COW system, without capability shares.
    start, end, steps : int
        The years compared (default 1816-1914, validate's default; docs/calibrate.md).
    parameters : sequence of Parameter, or path
        The parameters and their uniform priors, or a parameters file
        (:func:`~equipoise.calibrate.parameters.load_parameter_file`). Default
        :data:`~equipoise.calibrate.parameters.DEFAULT_PARAMETERS`.
    settings : CalibrationSettings, optional
        The ABC-SMC settings; ``budget`` and ``population_size`` override theirs.
    budget, population_size : int, optional
        Shortcuts for those settings.
    method : str, optional
        Shortcut for the setting: ``"smc"`` (default) or ``"adjusted"`` (learned
        summaries and regression adjustment on a reference table:
        :mod:`equipoise.calibrate.reference`).
    statistics : sequence of str, optional
        Validate statistics to fit (default all but ``war_size_alpha``).
    capability_weight : float, optional
        Weight of a decade of capability shares relative to one statistic (default 1).
    seed : int, optional
        Seed of the simulations and of pyabc's draws (default the scenario's): with it, the
        posterior is the same to the bit whatever the workers, and resumed or not.
    out : path, optional
        The calibration directory (:mod:`equipoise.calibrate.plan`); ``None``: an in-memory
        database, nothing written.
    workers : int
        Processes (1: this one).
    dask_local : int, optional
        Run on a local Dask cluster of this many single-threaded workers.
    scheduler : str, optional
        Run on the Dask cluster at this address (``tcp://host:8786``).
    target : Target, optional
        Fit these statistics instead of history's (simulation-based calibration: see
        :func:`~equipoise.calibrate.synthetic_target`).
    progress : callable, optional
        Called with a :class:`GenerationReport` after each batch of simulations and each
        generation.
    plan : CalibrationPlan, optional
        A plan from :func:`plan_calibration` (the other arguments but the execution ones
        are then ignored).
    system : bool
        Calibrate the whole COW system instead: every later state entering on its date
        (``scenario_from_history(start, states="all", entries=True, until=end)``, or
        ``scenario``, whose states must be COW states), fitted to the whole system's
        statistics in history: validate's main table, its whole-system table and the
        dangerous-dyads coefficients
        (:func:`~equipoise.calibrate.whole_system.whole_system_target`).

    Returns
    -------
    Calibration
        The posterior and everything behind it (:mod:`equipoise.calibrate.posterior`).

    Raises
    ------
    ValueError, InvalidScenarioError, InputError
        Bad input (nothing is written).
    KeyboardInterrupt
        Interrupted: the generations finished so far are in the database; call again
        with the same arguments to resume.
    """
    if plan is None:
        base = settings or CalibrationSettings()
        changes: dict[str, Any] = {}
        if budget is not None:
            changes["budget"] = budget
        if population_size is not None:
            changes["population_size"] = population_size
        if method is not None:
            changes["method"] = method
        if changes:
            base = base.replace(**changes)
        plan = plan_calibration(
            scenario,
            start=start,
            end=end,
            steps=steps,
            parameters=parameters,
            settings=base if (settings is not None or changes) else None,
            statistics=statistics,
            capability_weight=capability_weight,
            seed=seed,
            out=out,
            target=target,
            system=system,
        )
    check_execution(workers, dask_local, scheduler)
    started = time.perf_counter()
    if plan.directory is None:
        return _calibration(plan, workers, dask_local, scheduler, progress, started)
    directory = plan.directory

    def busy(holder: str) -> InputError:
        return InputError(f"another calibration is writing to {directory}; wait for it to finish")

    with directory_lock(directory, busy):
        if not plan.resume:
            _create(plan)
        result = _calibration(plan, workers, dask_local, scheduler, progress, started)
        result.write(directory)
    return result


def _calibration(
    plan: CalibrationPlan,
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    progress: ProgressCallback | None,
    started: float,
) -> Calibration:
    """Run the plan's method (ABC-SMC, or the adjusted method on a reference table).

    ``started`` is when the call began (``time.perf_counter``): ABC-SMC's seconds count
    from it.
    """
    from equipoise.calibrate.posterior import Calibration
    from equipoise.calibrate.reference import run_adjusted

    if plan.settings.method == "adjusted":
        return run_adjusted(plan, workers, dask_local, scheduler, progress)
    history = _run(plan, workers, dask_local, scheduler, progress)
    try:
        return Calibration.from_history(plan, history, seconds=time.perf_counter() - started)
    finally:
        _release(history)


def _release(history: Any) -> None:
    """Close pyabc's database session and connections now, in this thread.

    pyabc keeps an in-memory History's connections open, so that the garbage collector closed
    them later in whatever thread it ran in, and SQLite, which refuses a connection used from
    another thread, logged an error for each (seen in long simulation-based calibrations).
    """
    session = getattr(history, "_session", None)
    engine = getattr(history, "_engine", None)
    if session is not None:
        session.close()
    if engine is not None:
        engine.dispose()


def check_execution(workers: int, dask_local: int | None, scheduler: str | None) -> None:
    """Refuse a bad choice of where a calibration runs (``ValueError`` naming it), before any work.

    ``workers`` processes on this machine, or a local Dask cluster of ``dask_local``
    workers, or a running scheduler at ``scheduler`` (an address with a scheme), never both
    of the last two.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"The 'workers' parameter must be an integer >= 1. Got {workers!r}.")
    if dask_local is not None and scheduler is not None:
        raise ValueError("Give a Dask scheduler address or a number of local workers, not both.")
    if dask_local is not None and (
        isinstance(dask_local, bool) or not isinstance(dask_local, int) or dask_local < 1
    ):
        raise ValueError(f"The 'dask_local' parameter must be an integer >= 1. Got {dask_local!r}.")
    if scheduler is not None and not (isinstance(scheduler, str) and "://" in scheduler):
        raise ValueError(
            f"The 'scheduler' parameter must be an address such as tcp://host:8786. "
            f"Got {scheduler!r}."
        )


def _run(
    plan: CalibrationPlan,
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    progress: ProgressCallback | None,
) -> Any:
    """Run (or resume) the ABC-SMC loop; return pyabc's History."""
    import pyabc

    from equipoise.calibrate._pyabc import (
        FastNormalTransition,
        MissingAwareDistance,
        UniformPrior,
        robust_scale,
    )

    s = plan.settings
    simulator = Simulator(plan.scenario, plan.parameters, plan.target, plan.seed)
    model = _Model(simulator)
    prior = pyabc.Distribution(**{p.name: UniformPrior(p.low, p.high) for p in plan.parameters})
    names = summary_names(plan.target)
    observed = summaries(np.array(list(plan.target.values.values())), plan.target)
    nullable = [f"{SUMMARY_KEY}:{i}" for i, n in enumerate(names) if n in NULLABLE]
    weights = {
        f"{SUMMARY_KEY}:{i}": float(plan.target.weights.get(n, 1.0)) for i, n in enumerate(names)
    }
    distance = MissingAwareDistance(
        nullable=nullable,
        p=s.p,
        fixed_weights=weights,
        scale_function=robust_scale,
    )
    if plan.directory is None:
        db = "sqlite://"
    else:
        db = "sqlite:///" + str((plan.directory / DATABASE).resolve())

    state = {"done": 0, "generation": -1}

    def report(n: int) -> None:
        state["done"] += n
        if progress is not None:
            progress(
                GenerationReport("simulating", state["done"], s.budget, int(state["generation"]))
            )

    with contextlib.ExitStack() as stack:
        stack.enter_context(_quiet_pyabc())
        sampler = stack.enter_context(
            _sampler(
                workers, dask_local, scheduler, plan.seed, s.batch_size, report, plan.directory
            )
        )
        abc = pyabc.ABCSMC(
            model,
            prior,
            distance,
            population_size=s.population_size,
            sampler=sampler,
            transitions=FastNormalTransition(),
        )
        if plan.resume:
            history = abc.load(db, 1, observed_sum_stat=observed)
        else:
            history = abc.new(
                db,
                observed,
                meta_info={"equipoise": __version__, "fingerprint": plan.fingerprint},
            )
        # the prior sample that calibrates the distance is not in the database: count it
        # (a resumed run with a generation saved does not draw it again)
        prior_sample = s.population_size
        saved = int(history.n_populations) > 0
        state["done"] = int(history.total_nr_simulations) + prior_sample * saved
        state["generation"] = int(history.max_t) + 1 if saved else -1
        # every candidate particle seeds numpy's global generator itself (sampling.py); this
        # seed only keeps the caller's generator out of the run and restores it afterwards
        stack.enter_context(_numpy_seed(_derive(plan.seed, 0)))
        if saved and _finished(history, s):
            return history
        if saved and plan.directory is not None:
            # scale the distance from the last generation's every particle, as an
            # uninterrupted run does (without the file, pyabc's accepted ones only)
            distance.resumed_sample = load_generation(plan.directory, int(history.max_t))
        t = abc.initialize_components_before_run(
            minimum_epsilon=s.min_epsilon,
            max_nr_populations=(
                np.inf if s.generations is None else s.generations - int(history.n_populations)
            ),
            min_acceptance_rate=0.0,
            max_total_nr_simulations=s.budget - prior_sample,
            max_walltime=None,
            min_eps_diff=0.0,
        )
        state["done"] = int(history.total_nr_simulations) + prior_sample
        try:
            while True:
                state["generation"] = t
                ret = abc.run_generation(t=t)
                if not ret["successful"]:  # pragma: no cover - only with max_eval
                    break
                pops = history.get_all_populations()
                row = pops[pops["t"] == t].iloc[0]
                state["done"] = int(history.total_nr_simulations) + prior_sample
                if progress is not None:
                    w = history.get_weighted_distances(t=t)["w"].to_numpy()
                    progress(
                        GenerationReport(
                            "generation",
                            state["done"],
                            s.budget,
                            t,
                            float(row["epsilon"]),
                            float(ret["acceptance_rate"]),
                            float(1.0 / np.sum(w**2)) if w.size else float("nan"),
                        )
                    )
                if abc.check_terminate(t=t, acceptance_rate=ret["acceptance_rate"]):
                    break
                t += 1
        finally:
            history.done(end_time=datetime.now())
            abc.sampler.stop()
    return history


def _finished(history: Any, settings: CalibrationSettings) -> bool:
    """Whether a resumed calibration has nothing left to do (budget or generations reached)."""
    used = int(history.total_nr_simulations) + settings.population_size
    if used >= settings.budget:
        return True
    if settings.generations is not None and int(history.n_populations) >= settings.generations:
        return True
    if int(history.n_populations) > 0 and settings.min_epsilon > 0:
        pops = history.get_all_populations()
        last = pops[pops["t"] == history.max_t]
        if len(last) and float(last["epsilon"].iloc[0]) <= settings.min_epsilon:
            return True
    return False


def _derive(seed: int, index: int) -> int:
    from equipoise.rng import derive_seed

    return derive_seed(seed, index, salt=0x0CA1)
