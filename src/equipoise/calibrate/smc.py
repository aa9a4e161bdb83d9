"""ABC-SMC calibration with pyabc: the run, its directory, resuming and the samplers.

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
  of capability shares as much as one statistic (its N shares ``1/N`` each).
- **Undefined statistics.** A replication may leave a statistic undefined: the war-size
  slope needs three distinct war sizes, the multiparty share one war, the mean alliance
  duration one alliance that ended. Rejecting such particles would bias the posterior
  towards parameters with many wars; imputing a value would invent data. Instead each such
  statistic enters twice: its value, whose term in the distance is 0 when undefined, and
  an indicator ``NAME_defined`` (1 in history, where all are defined), which measures how
  often the parameters leave it undefined. Scales are computed over the defined values
  only (:class:`~equipoise.calibrate._pyabc.MissingAwareDistance`).
- **Schedule.** Epsilon is the weighted median of the previous generation's distances
  (pyabc's default), proposals a multivariate normal kernel fitted to the previous
  population; priors are uniform over each parameter's range.
- **Budget.** The run stops after the generation in which the number of simulations
  (the prior sample that calibrates the distance included) reaches ``budget``, or after
  ``generations`` generations: the generation under way finishes, so the total may pass the
  budget by part of a generation (reported).

**The directory.** With ``out``, pyabc's SQLite database (``calibration.db``) is kept there
with ``calibration.json`` (the settings, the data, the priors), ``scenario.toml`` and
``parameters.toml``. Each generation is committed to the database when it ends, so a run
interrupted (Ctrl-C, a killed job) loses at most the generation under way: calling
:func:`calibrate` again with the same settings (or the same command) resumes from the last
generation, with a larger ``budget`` if wanted. Different settings are refused. When the run
ends, the results are written (:class:`~equipoise.calibrate.posterior.Calibration`):
``posterior.parquet``, ``calibrated.toml``, ``generations.csv``, ``predictive.csv`` and
``provenance.json``.

**Samplers.** ``workers=1``: every particle in this process (pyabc's single-core sampler;
with a seed, reproducible). ``workers=N``: a pool of N worker processes started from a fork
server (pyabc's concurrent-futures sampler, jobs of ``batch_size`` particles). ``dask_local=N``
or ``scheduler="tcp://host:port"``: pyabc's Dask sampler on a local cluster of N processes
or a running one. Parallel samplers draw parameters from worker-seeded random numbers
(pyabc reseeds each job), so they are not bit-reproducible; the posterior is the same in
distribution.

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
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from equipoise._dask import dask_client
from equipoise._errors import InputError
from equipoise._io import atomic_dir, directory_lock
from equipoise._json import jsonable
from equipoise._version import __version__
from equipoise.calibrate.parameters import (
    DEFAULT_PARAMETERS,
    Parameter,
    check_parameters,
    load_parameter_file,
)
from equipoise.calibrate.simulator import NULLABLE, Simulator, Target, historical_target

if TYPE_CHECKING:
    from equipoise.calibrate.posterior import Calibration
    from equipoise.scenario import Scenario

__all__ = [
    "CALIBRATION_FILE",
    "DATABASE",
    "CalibrationPlan",
    "CalibrationSettings",
    "GenerationReport",
    "calibrate",
    "plan_calibration",
    "summaries",
    "summary_names",
]

#: The file that makes a directory a calibration directory (settings, data, priors).
CALIBRATION_FILE = "calibration.json"
#: pyabc's SQLite database in a calibration directory.
DATABASE = "calibration.db"
#: Version of the directory layout.
FORMAT = 1


@dataclass(frozen=True)
class CalibrationSettings:
    """The settings of an ABC-SMC run.

    Attributes
    ----------
    population_size : int
        Particles per generation (default 500).
    budget : int
        Simulations after which the run stops (default 20,000; module docstring); at least
        twice ``population_size``.
    generations : int, optional
        Stop after this many generations (default: the budget decides).
    min_epsilon : float
        Stop once epsilon falls below this (default 0: never).
    p : float
        The norm of the distance (default 1; ``inf`` for the maximum).
    batch_size : int
        Particles per job of a parallel sampler (default 20: jobs of tens of milliseconds).
    predictive_draws : int
        Posterior draws (one replication each) of the posterior predictive table
        (default 200).
    """

    population_size: int = 500
    budget: int = 20_000
    generations: int | None = None
    min_epsilon: float = 0.0
    p: float = 1.0
    batch_size: int = 20
    predictive_draws: int = 200

    def __post_init__(self) -> None:
        for name in ("population_size", "budget", "batch_size", "predictive_draws"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"The {name!r} setting must be an integer >= 1. Got {value!r}.")
        if self.population_size < 2:
            raise ValueError(
                f"The 'population_size' setting must be at least 2. Got {self.population_size}."
            )
        g = self.generations
        if g is not None and (isinstance(g, bool) or not isinstance(g, int) or g < 1):
            raise ValueError(f"The 'generations' setting must be an integer >= 1. Got {g!r}.")
        for name in ("min_epsilon", "p"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"The {name!r} setting must be a number. Got {value!r}.")
        if not self.min_epsilon >= 0:
            raise ValueError(f"The 'min_epsilon' setting must be >= 0. Got {self.min_epsilon}.")
        if not self.p >= 1:
            raise ValueError(f"The 'p' setting must be >= 1 (or inf). Got {self.p}.")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "[abc]") -> CalibrationSettings:
        """Settings from a mapping (a parameters file's ``[abc]`` table); unknown keys refused."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"{source}: unknown setting {unknown[0]!r} "
                f"(choose from {', '.join(sorted(known))})."
            )
        try:
            return cls(**dict(data))
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None

    def check_budget(self) -> None:
        """Refuse a budget below twice the population size.

        Checked when a run is planned, after a parameters file's ``[abc]`` table and the
        options are merged.
        """
        if self.budget < 2 * self.population_size:
            raise ValueError(
                f"The 'budget' setting ({self.budget}) must be at least twice the population "
                f"size ({self.population_size}): the prior sample that scales the distance and "
                "one generation."
            )

    def replace(self, **changes: Any) -> CalibrationSettings:
        """A copy with some settings changed (validated)."""
        return CalibrationSettings(**{**asdict(self), **changes})


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


@dataclass(frozen=True, eq=False)
class CalibrationPlan:
    """Every input of :func:`calibrate`, checked and resolved before anything runs."""

    scenario: Scenario
    parameters: tuple[Parameter, ...]
    target: Target
    settings: CalibrationSettings
    seed: int
    directory: Path | None
    default_scenario: bool
    resume: bool = False
    fingerprint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        """Steps (years) per simulation."""
        return int(self.target.settings["end"]) - int(self.target.settings["start"]) + 1


def _fingerprint(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, allow_nan=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(plan: CalibrationPlan) -> dict[str, Any]:
    """What identifies a calibration (the budget, the samplers and the generations do not)."""
    s = plan.settings
    return {
        "format": FORMAT,
        "scenario_hash": plan.scenario.content_hash(),
        "parameters": [[p.name, p.low, p.high] for p in plan.parameters],
        "observed": {k: (v if np.isfinite(v) else None) for k, v in plan.target.values.items()},
        "weights": plan.target.weights,
        "statistics": list(plan.target.statistics),
        "start": plan.target.settings["start"],
        "end": plan.target.settings["end"],
        "comparison": plan.target.settings["comparison"],
        "source": plan.target.settings.get("source"),
        "seed": plan.seed,
        "population_size": s.population_size,
        "p": s.p if np.isfinite(s.p) else "inf",
        "min_epsilon": s.min_epsilon,
    }


def plan_calibration(
    scenario: Scenario | str | None = None,
    *,
    start: int = 1816,
    end: int | None = None,
    steps: int | None = None,
    parameters: Sequence[Parameter] | str | Path | None = None,
    settings: CalibrationSettings | None = None,
    statistics: Sequence[str] | None = None,
    capability_weight: float | None = None,
    seed: int | None = None,
    out: str | Path | None = None,
    target: Target | None = None,
) -> CalibrationPlan:
    """Check the arguments of :func:`calibrate` and build its data, writing nothing.

    Raises a one-line ``ValueError`` (or :class:`~equipoise.scenario.InvalidScenarioError`)
    for a bad year, scenario, parameters file, setting or seed, and an
    :class:`~equipoise._errors.InputError` for an output directory that holds something
    else or another calibration. The command line calls it first, so that bad input
    writes nothing.
    """
    from equipoise.history.scenario_builder import cow_codes
    from equipoise.rng import check_seed
    from equipoise.validate.validation import resolve_scenario, resolve_window

    file_abc: dict[str, Any] = {}
    file_stats: dict[str, Any] = {}
    if parameters is None:
        params: Sequence[Parameter] = DEFAULT_PARAMETERS
    elif isinstance(parameters, str | Path):
        spec = load_parameter_file(parameters)
        params, file_abc, file_stats = spec.parameters, spec.abc, spec.statistics
    else:
        params = tuple(parameters)
    if settings is None:
        settings = CalibrationSettings.from_dict(file_abc) if file_abc else CalibrationSettings()
    elif file_abc:
        settings = CalibrationSettings.from_dict({**file_abc, **_changed(settings)})
    settings.check_budget()
    unknown = sorted(set(file_stats) - {"include", "exclude", "capability_weight"})
    if unknown:
        raise ValueError(
            f"[statistics]: unknown key {unknown[0]!r} (include, exclude, capability_weight)."
        )

    default = scenario is None
    if target is not None:
        if not isinstance(target, Target):
            raise ValueError(f"The 'target' parameter must be a Target. Got {type(target)}.")
        start = int(target.settings["start"])
        end = int(target.settings["end"])
    else:
        start, end = resolve_window(start, end, steps)
    loaded = resolve_scenario(scenario, start)
    params = check_parameters(params, loaded)
    seed = check_seed(loaded.run.seed if seed is None else seed)

    if target is None:
        stats = list(statistics) if statistics is not None else None
        if stats is None:
            from equipoise.calibrate.simulator import DEFAULT_STATISTICS

            stats = list(file_stats.get("include", DEFAULT_STATISTICS))
            stats = [s for s in stats if s not in set(file_stats.get("exclude", []))]
        weight = capability_weight
        if weight is None:
            weight = float(file_stats.get("capability_weight", 1.0))
        cohort = cow_codes(loaded.state_names(), start) if default else None
        target = historical_target(
            loaded,
            start=start,
            end=end,
            cohort=cohort,
            statistics=stats,
            capabilities=default,
            capability_weight=weight,
        )
    directory = None if out is None else Path(out)
    plan = CalibrationPlan(
        scenario=loaded,
        parameters=params,
        target=target,
        settings=settings,
        seed=seed,
        directory=directory,
        default_scenario=default,
    )
    fingerprint = _fingerprint(_record(plan))
    resume = False
    if directory is not None:
        resume = _check_directory(directory, fingerprint)
    return CalibrationPlan(
        scenario=loaded,
        parameters=params,
        target=target,
        settings=settings,
        seed=seed,
        directory=directory,
        default_scenario=default,
        resume=resume,
        fingerprint=fingerprint,
    )


def _changed(settings: CalibrationSettings) -> dict[str, Any]:
    """The settings that differ from the defaults (they override a parameters file's)."""
    base = asdict(CalibrationSettings())
    return {k: v for k, v in asdict(settings).items() if base[k] != v}


def _check_directory(directory: Path, fingerprint: str) -> bool:
    """True if ``directory`` holds this calibration (resume), False if absent or empty."""
    if directory.exists() and not directory.is_dir():
        raise InputError(f"output path exists and is not a directory: {directory}")
    record = directory / CALIBRATION_FILE
    if record.is_file():
        try:
            old = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{record}: unreadable calibration record: {exc}") from None
        if old.get("fingerprint") != fingerprint:
            raise InputError(
                f"{directory} holds a different calibration (other scenario, years, "
                "parameters, statistics, seed or population size); choose another output "
                "directory or repeat the original command to resume it"
            )
        if old.get("equipoise_version") != __version__:
            raise InputError(
                f"{directory} was started with equipoise {old.get('equipoise_version')}, this "
                f"is {__version__}; finish it with that version or use another directory"
            )
        if not (directory / DATABASE).is_file():
            raise InputError(f"{directory} has no {DATABASE}: not a resumable calibration")
        return True
    if directory.is_dir() and any(directory.iterdir()):
        raise InputError(
            f"refusing to use {directory}: it is not empty and not an equipoise calibration"
        )
    for parent in directory.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"cannot create {directory}: {parent} is not a directory")
            break
    return False


def _parameters_toml(parameters: Sequence[Parameter]) -> str:
    lines = ["# parameters calibrated: uniform priors on [low, high]", "[parameters]"]
    lines += [f'"{p.name}" = [{p.low!r}, {p.high!r}]' for p in parameters]
    return "\n".join(lines) + "\n"


def _create(plan: CalibrationPlan) -> None:
    """Lay out a new calibration directory atomically (the database comes later)."""
    assert plan.directory is not None
    record = {
        "command": "calibrate",
        "fingerprint": plan.fingerprint,
        "equipoise_version": __version__,
        "identity": _record(plan),
        "target": {
            "values": plan.target.values,
            "statistics": list(plan.target.statistics),
            "weights": plan.target.weights,
            "settings": plan.target.settings,
        },
        "settings": asdict(plan.settings),
        "default_scenario": plan.default_scenario,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
    }

    with atomic_dir(plan.directory, marker=CALIBRATION_FILE, record=False) as tmp:
        (tmp / "scenario.toml").write_text(plan.scenario.to_toml(), encoding="utf-8")
        (tmp / "parameters.toml").write_text(_parameters_toml(plan.parameters), encoding="utf-8")
        text = json.dumps(jsonable(record), indent=2, allow_nan=False)
        (tmp / CALIBRATION_FILE).write_text(text + "\n", encoding="utf-8")


# ------------------------------------------------------------------------ the model


#: The key of the summary statistics pyabc stores: one array per particle (one database row,
#: where a value per statistic would be one row each).
SUMMARY_KEY = "statistics"


def summary_names(target: Target) -> list[str]:
    """The names of the summaries pyabc compares, in order.

    The statistics of ``target``, then an indicator ``NAME_defined`` for each statistic a
    replication may leave undefined.

    Examples
    --------
    >>> t = Target({"war_onset_rate": 0.01, "war_size_slope": -0.4},
    ...            ("war_onset_rate", "war_size_slope"), {})
    >>> summary_names(t)
    ['war_onset_rate', 'war_size_slope', 'war_size_slope_defined']
    """
    return [*target.names, *(f"{n}_defined" for n in target.statistics if n in NULLABLE)]


def summaries(values: np.ndarray, target: Target) -> dict[str, np.ndarray]:
    """The summaries pyabc compares (:func:`summary_names` order) from the statistics' values.

    Examples
    --------
    >>> t = Target({"war_onset_rate": 0.01, "war_size_slope": -0.4},
    ...            ("war_onset_rate", "war_size_slope"), {})
    >>> summaries(np.array([0.02, np.nan]), t)["statistics"].tolist()
    [0.02, nan, 0.0]
    """
    v = np.asarray(values, dtype=np.float64)
    index = {n: i for i, n in enumerate(target.names)}
    defined = [float(np.isfinite(v[index[n]])) for n in target.statistics if n in NULLABLE]
    return {SUMMARY_KEY: np.concatenate([v, np.array(defined, dtype=np.float64)])}


class _Model:
    """pyabc's model: one replication at the particle's parameters, as summaries.

    The replication index is drawn from numpy's global generator, which pyabc seeds (and
    reseeds in each parallel job), so that particles draw independent randomness.
    """

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.on_simulation: Callable[[int], None] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"simulator": self.simulator, "on_simulation": None}

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, np.ndarray]:
        replication = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - pyabc seeds it
        values = self.simulator.statistics(parameters, replication)
        if self.on_simulation is not None:
            self.on_simulation(1)
        return summaries(values, self.simulator.target)


def _worker_init(parent: int) -> None:
    """Initializer of a calibration's worker processes: Ctrl-C is the parent's to handle."""
    from equipoise._procs import end_with

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with(parent)


def _process_pool(workers: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx: Any
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["equipoise.calibrate.simulator", "equipoise.kernel"])
    else:  # pragma: no cover - Windows
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    )


@contextlib.contextmanager
def _sampler(
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    batch_size: int,
    report: Callable[[int], None],
    model: _Model,
) -> Iterator[Any]:
    """The pyabc sampler of the chosen execution, and its resources for the run's length."""
    import pyabc

    from equipoise.calibrate._pyabc import CountingClient, CountingExecutor

    if dask_local is not None or scheduler is not None:
        with dask_client(scheduler, dask_local, InputError) as client:
            yield pyabc.sampler.DaskDistributedSampler(
                dask_client=CountingClient(client, batch_size, report),
                batch_size=batch_size,
            )
        return
    if workers == 1:
        model.on_simulation = report
        try:
            yield pyabc.sampler.SingleCoreSampler()
        finally:
            model.on_simulation = None
        return
    pool = _process_pool(workers)
    try:
        yield pyabc.sampler.ConcurrentFutureSampler(
            cfuture_executor=CountingExecutor(pool, batch_size, report),
            client_max_jobs=2 * workers,
            batch_size=batch_size,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
) -> Calibration:
    """Calibrate a scenario's parameters to history by ABC-SMC (module docstring).

    Parameters
    ----------
    scenario : Scenario or str, optional
        Default: ``Scenario.from_history(start)``, the great powers of ``start``, compared
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
    statistics : sequence of str, optional
        Validate statistics to fit (default all but ``war_size_alpha``).
    capability_weight : float, optional
        Weight of a decade of capability shares relative to one statistic (default 1).
    seed : int, optional
        Seed of the simulations (default the scenario's), and of pyabc's draws in a single
        process.
    out : path, optional
        The calibration directory (module docstring); ``None``: an in-memory database,
        nothing written.
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
    from equipoise.calibrate.posterior import Calibration

    if plan is None:
        base = settings or CalibrationSettings()
        changes: dict[str, Any] = {}
        if budget is not None:
            changes["budget"] = budget
        if population_size is not None:
            changes["population_size"] = population_size
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
        )
    _check_execution(workers, dask_local, scheduler)
    started = time.perf_counter()
    if plan.directory is not None:
        directory = plan.directory

        def busy(holder: str) -> InputError:
            return InputError(
                f"another calibration is writing to {directory}; wait for it to finish"
            )

        with directory_lock(directory, busy):
            if not plan.resume:
                _create(plan)
            history = _run(plan, workers, dask_local, scheduler, progress)
            try:
                result = Calibration.from_history(
                    plan, history, seconds=time.perf_counter() - started
                )
            finally:
                _release(history)
            result.write(directory)
        return result
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


def _check_execution(workers: int, dask_local: int | None, scheduler: str | None) -> None:
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
            _sampler(workers, dask_local, scheduler, s.batch_size, report, model)
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
        stack.enter_context(_numpy_seed(_derive(plan.seed, state["done"])))
        if saved and _finished(history, s):
            return history
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
