"""A calibration before it runs: its settings, its checked inputs and its directory.

:func:`plan_calibration` checks every argument of
:func:`~equipoise.calibrate.calibrate` and builds the data it fits, writing nothing, so that
bad input is refused before anything runs; :class:`CalibrationSettings` are the settings of
the ABC-SMC run (:mod:`equipoise.calibrate.smc`).

**The directory.** With ``out``, pyabc's SQLite database (``calibration.db``) is kept there
with ``calibration.json`` (the settings, the data, the priors), ``scenario.toml`` and
``parameters.toml``. Each generation is committed to the database when it ends, so a run
interrupted (Ctrl-C, a killed job) loses at most the generation under way: calling
:func:`~equipoise.calibrate.calibrate` again with the same settings (or the same command)
resumes from the last generation, with a larger ``budget`` if wanted, and ends as the
uninterrupted run would have (``samples/`` keeps the last generations' rejected particles
too: :func:`~equipoise.calibrate.sampling.save_generation`). Different settings are
refused. When the run ends, the results are written
(:class:`~equipoise.calibrate.posterior.Calibration`): ``posterior.parquet``,
``calibrated.toml``, ``generations.csv``, ``predictive.csv`` and ``provenance.json``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from equipoise._errors import InputError
from equipoise._io import atomic_dir
from equipoise._json import jsonable
from equipoise._version import __version__
from equipoise.calibrate.parameters import (
    DEFAULT_PARAMETERS,
    Parameter,
    check_parameters,
    default_parameters,
    load_parameter_file,
)
from equipoise.calibrate.simulator import Target, historical_target

if TYPE_CHECKING:
    from equipoise.scenario import Scenario

__all__ = [
    "CALIBRATION_FILE",
    "DATABASE",
    "CalibrationPlan",
    "CalibrationSettings",
    "check_not_calibration",
    "plan_calibration",
]

#: The file that makes a directory a calibration directory (settings, data, priors).
CALIBRATION_FILE = "calibration.json"


def check_not_calibration(directory: str | Path) -> None:
    """Refuse to write another command's output over a calibration (``FileExistsError``).

    A calibration directory keeps no record of its files, so an output written over it (a
    counterfactual or a prediction given ``-o`` the calibration they read) would replace
    its provenance and leave it unreadable.
    """
    if (Path(directory) / CALIBRATION_FILE).exists():
        raise FileExistsError(
            f"{directory} holds a calibration: write this output to another directory."
        )


#: pyabc's SQLite database in a calibration directory.
DATABASE = "calibration.db"
#: Version of the directory layout.
FORMAT = 1
#: The proposal kernel of the ABC-SMC generations (``equipoise.calibrate._pyabc``), part of
#: what identifies a calibration: a run begun on another kernel is not resumed on this one.
KERNEL = "normal, twice the weighted covariance (Beaumont et al. 2009)"
#: The calibration methods (``CalibrationSettings.method``).
METHODS = ("smc", "adjusted")


@dataclass(frozen=True)
class CalibrationSettings:
    """The settings of an ABC-SMC run.

    Attributes
    ----------
    population_size : int
        Particles per generation (default 500).
    budget : int
        Simulations after which the run stops (default 20,000; :mod:`equipoise.calibrate.smc`);
        at least twice ``population_size``.
    generations : int, optional
        Stop after this many generations (default: the budget decides).
    min_epsilon : float
        Stop once epsilon falls below this (default 0: never).
    p : float
        The norm of the distance (default 1; ``inf`` for the maximum).
    batch_size : int
        Candidate particles per job on parallel workers (default 20: jobs of tens of
        milliseconds); it changes how the work is cut, not the result.
    predictive_draws : int
        Posterior draws (one replication each) of the posterior predictive table
        (default 200).
    method : str
        ``"smc"`` (default): ABC-SMC on the weighted distance of all the statistics
        (:mod:`equipoise.calibrate.smc`). ``"adjusted"``: ``budget`` simulations at draws
        from the prior, rejection on learned summaries and a regression adjustment
        (:mod:`equipoise.calibrate.reference`); ``population_size``, ``generations``,
        ``min_epsilon`` and ``p`` then play no part.
    accept : float
        With ``"adjusted"``: the share of the reference table kept (default 0.03: on
        synthetic whole-system histories 0.01, 0.03 and 0.1 all cover the truth at the
        nominal rate with intervals of nearly the same width; docs/calibrate.md).
    pilot : float
        With ``"adjusted"``: the share of the budget that fits the learned summaries and
        is not used as particles (default 0.2).
    """

    population_size: int = 500
    budget: int = 20_000
    generations: int | None = None
    min_epsilon: float = 0.0
    p: float = 1.0
    batch_size: int = 20
    predictive_draws: int = 200
    method: str = "smc"
    accept: float = 0.03
    pilot: float = 0.2

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
        if self.method not in METHODS:
            raise ValueError(
                f"The 'method' setting must be one of {', '.join(METHODS)}. Got {self.method!r}."
            )
        for name in ("accept", "pilot"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
                raise ValueError(f"The {name!r} setting must be a number in (0, 1). Got {value!r}.")

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
    record = {
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
    }
    if s.method != "smc":
        # another method's samples are not resumed; the ABC-SMC settings play no part in a
        # reference table (ABC-SMC has no key "method", so that calibrations begun before
        # there was a choice are still resumed)
        return {**record, "method": s.method}
    return {
        **record,
        "population_size": s.population_size,
        "p": s.p if np.isfinite(s.p) else "inf",
        "min_epsilon": s.min_epsilon,
        # the proposal kernel: generations of another kernel are not resumed
        "kernel": KERNEL,
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
    system: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> CalibrationPlan:
    """Check the arguments of :func:`calibrate` and build its data, writing nothing.

    The settings are ``settings``, or those of a parameters file's ``[abc]`` table; with a
    file, the fields of ``settings`` that differ from the defaults override the file's.
    ``overrides`` (setting -> value: the options given on the command line) override both,
    whatever their values, so that ``--method smc`` or ``--budget 20000`` replaces a file's
    other choice even though it is the default.

    With ``system``, the data are the whole COW system's
    (:func:`~equipoise.calibrate.whole_system.whole_system_target`) and the scenario
    ``scenario_from_history(start, states="all", entries=True, until=end)``, or the given
    one, whose states must be COW states (as for ``validate_scenario(system=True)``).

    Raises a one-line ``ValueError`` (or :class:`~equipoise.scenario.InvalidScenarioError`)
    for a bad year, scenario, parameters file, setting or seed, and an
    :class:`~equipoise._errors.InputError` for an output directory that holds something
    else or another calibration. The command line calls it first, so that bad input
    writes nothing.
    """
    from equipoise.history.scenario_builder import cow_codes
    from equipoise.rng import check_seed
    from equipoise.validate.validation import (
        check_system_scenario,
        resolve_scenario,
        resolve_window,
    )

    file_abc: dict[str, Any] = {}
    file_stats: dict[str, Any] = {}
    if parameters is None:  # as the scenario reads them (below, once it is loaded)
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
    if overrides:
        settings = settings.replace(**dict(overrides))
    if settings.method == "smc":
        settings.check_budget()
    unknown = sorted(set(file_stats) - {"include", "exclude", "capability_weight"})
    if unknown:
        raise ValueError(
            f"[statistics]: unknown key {unknown[0]!r} (include, exclude, capability_weight)."
        )

    default = scenario is None and not system
    if target is not None:
        if not isinstance(target, Target):
            raise ValueError(f"The 'target' parameter must be a Target. Got {type(target)}.")
        start = int(target.settings["start"])
        end = int(target.settings["end"])
    else:
        start, end = resolve_window(start, end, steps)
    loaded = resolve_scenario(scenario, start, end if system else None)
    if system and scenario is not None:
        check_system_scenario(loaded)
    if parameters is None:
        params = default_parameters(loaded)
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
        if system:
            from equipoise.calibrate.whole_system import whole_system_target

            target = whole_system_target(
                loaded, start=start, end=end, statistics=stats, capability_weight=weight
            )
        else:
            target = historical_target(
                loaded,
                start=start,
                end=end,
                cohort=cow_codes(loaded.state_names(), start) if default else None,
                statistics=stats,
                capabilities=default,
                capability_weight=weight,
            )
    if settings.method == "adjusted":
        from equipoise.calibrate.reference import check_reference_budget

        check_reference_budget(settings, len(target.names), len(params))
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
        resume = _check_directory(directory, fingerprint, settings.method == "smc")
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


def _check_directory(directory: Path, fingerprint: str, database: bool = True) -> bool:
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
                "parameters, statistics, seed, population size, method or proposal kernel, or one "
                "begun by a version that measured differently); choose another output "
                "directory or repeat the original command to resume it"
            )
        if old.get("equipoise_version") != __version__:
            raise InputError(
                f"{directory} was started with equipoise {old.get('equipoise_version')}, this "
                f"is {__version__}; finish it with that version or use another directory"
            )
        if database and not (directory / DATABASE).is_file():
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
