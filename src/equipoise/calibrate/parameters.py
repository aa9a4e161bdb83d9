"""The parameters a calibration estimates, and their priors.

A calibration estimates a few parameters of a scenario, each with a uniform prior over
its plausible range (docs/model.md, section 8). :data:`DEFAULT_PARAMETERS` is the default
set; a TOML file (``equipoise calibrate --params FILE``) chooses others::

    # parameters to calibrate: uniform priors on [low, high]
    [parameters]
    "war.attack_probability" = [0.01, 0.2]
    "alliances.alliance_threshold" = [0.2, 0.5]

    [abc]                       # optional: the ABC-SMC settings of CalibrationSettings
    population_size = 300

    [statistics]                # optional
    exclude = ["alliance_mean_duration"]
    capability_weight = 1.0

Keys may also be written as TOML tables (``[parameters.war]`` then
``attack_probability = [0.01, 0.2]``). Every name must be a real-valued parameter of
:class:`~equipoise.scenario.Scenario` (``table.key``), and both ends of its range must be
values the scenario accepts.

**The default set** is what a sensitivity analysis of the default calibration's statistics
ranks highest (:mod:`equipoise.calibrate.sensitivity`; docs/calibrate.md, "Priors", gives the
run and the table): Morris screening of the 35 non-structural real-valued parameters with a
plausible range, each over that range, by the mean of their scaled ``mu*`` over the
statistics as the calibration's distance weighs them. The rule: the parameters whose
aggregate is at least a quarter of the highest, no fewer than five and no more than eight
(issue 18; rerun on model 0.3). In rank order:

- ``war.attack_probability`` (0.01-0.2): how often a state at peace weighs an attack; GeoSim's
  choice, "to be calibrated to war onsets per state-year" (docs/model.md);
- ``war.superiority_threshold`` (1-4): the local force ratio an attacker needs (Mearsheimer's
  3:1 rule is contested, hence the range); moves war onsets and state deaths most;
- ``alliances.alliance_threshold`` (0.2-0.5): the share at which states balance; moves the
  alliances' duration and the share of multiparty wars;
- ``growth.convergence_rate`` (0-0.03): catch-up, beta-convergence (Barro & Sala-i-Martin
  1992); moves the great powers' capability shares by decade most;
- ``internal.arming_response`` (0.5-2): Richardson's reaction coefficient; moves concentration;
- ``war.ceasefire_probability`` (0.2-0.9): estimated from COW war durations in docs/model.md;
  moves the war-size slope, state deaths and war onsets;
- ``alliances.alliance_duration`` (5-36): the mean lifetime of a commitment, estimated from
  ATOP in docs/model.md; moves alliance formation and the war-size slope;
- ``power.reach`` (2-20 provinces): the distance of the loss-of-strength gradient.

The eighth place is not settled by the analysis (``power.mobile_share`` comes close). With
sanctions costing a level of output (model 0.3), ``soft_balancing.max_cost``, fourth in model
0.2's screening, no longer moves the statistics enough to be chosen. The ranges are those the
scenario's fields declare (:func:`plausible_parameters`), which docs/model.md's table shows.

References
----------
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to sandpiles.
    *American Political Science Review*, 97(1), 135-150.
Hufbauer, G. C., Schott, J. J., Elliott, K. A., & Oegg, B. (2007). *Economic Sanctions
    Reconsidered* (3rd ed.). Peterson Institute for International Economics.
Mearsheimer, J. J. (1989). Assessing the conventional balance: the 3:1 rule and its
    critics. *International Security*, 13(4), 54-89.
Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    *Technometrics*, 33(2), 161-174.
Richardson, L. F. (1960). *Arms and Insecurity*. Boxwood Press.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equipoise.scenario import InvalidScenarioError, Scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DEFAULT_PARAMETERS",
    "OPTIONAL_MECHANISMS",
    "CalibrationFile",
    "Parameter",
    "apply_parameters",
    "check_parameters",
    "default_parameters",
    "load_parameter_file",
    "plausible_parameter",
    "plausible_parameters",
]

#: Parameters read only when an option is on, by option: a screening or calibration of a
#: scenario with the option off leaves them out (varying them would change nothing).
OPTIONAL_MECHANISMS: dict[str, tuple[str, ...]] = {
    "alliances.treaties": (
        "alliances.pact_formation",
        "alliances.pact_proximity",
        "alliances.shared_threat_factor",
        "alliances.pact_duration",
        "alliances.changed_factor",
        "alliances.power_shift",
    ),
}


@dataclass(frozen=True)
class Parameter:
    """One calibrated parameter with a uniform prior on ``[low, high]``.

    Attributes
    ----------
    name : str
        ``table.key`` of a real-valued scenario parameter, e.g. ``war.attack_probability``.
    low, high : float
        The prior's range (``low < high``).
    """

    name: str
    low: float
    high: float

    @property
    def table(self) -> str:
        """The scenario table (``war``)."""
        return self.name.split(".", 1)[0]

    @property
    def key(self) -> str:
        """The key within its table (``attack_probability``)."""
        return self.name.split(".", 1)[1]

    @property
    def structural(self) -> bool:
        """Whether the engine reads it when it builds the map or the initial state."""
        return self.table in ("map", "initial") or self.name == "power.economic_weight"

    @property
    def option(self) -> str | None:
        """The switch without which the model never reads it (``alliances.treaties``), if any."""
        for switch, names in OPTIONAL_MECHANISMS.items():
            if self.name in names:
                return switch
        return None

    def value_in(self, scenario: Scenario) -> float:
        """The parameter's value in ``scenario``."""
        return float(getattr(getattr(scenario, self.table), self.key))


def apply_parameters(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """``scenario`` with the parameters ``values`` (``table.key`` -> value) set, validated.

    Examples
    --------
    >>> s = apply_parameters(Scenario.load("null"), {"war.attack_probability": 0.1})
    >>> s.war.attack_probability
    0.1
    """
    tables: dict[str, dict[str, float]] = {}
    for name, value in values.items():
        table, _, key = name.partition(".")
        tables.setdefault(table, {})[key] = float(value)
    return scenario.replace(**tables) if tables else scenario


def _float_fields() -> dict[str, tuple[float | None, float | None]]:
    """Every real-valued parameter of a scenario (``table.key``) with its bounds."""
    out: dict[str, tuple[float | None, float | None]] = {}
    for table, field in Scenario.model_fields.items():
        model = field.annotation
        fields = getattr(model, "model_fields", None)
        if not isinstance(fields, dict) or table in ("run",):
            continue
        for key, sub in fields.items():
            if sub.annotation is not float:
                continue
            low = high = None
            for meta in sub.metadata:
                for attr in ("ge", "gt"):
                    if getattr(meta, attr, None) is not None:
                        low = float(getattr(meta, attr))
                for attr in ("le", "lt"):
                    if getattr(meta, attr, None) is not None:
                        high = float(getattr(meta, attr))
            out[f"{table}.{key}"] = (low, high)
    return out


@functools.cache
def plausible_parameters() -> tuple[Parameter, ...]:
    """Every real-valued scenario parameter with a plausible range, as a :class:`Parameter`.

    The ranges are those the scenario's fields declare
    (:func:`equipoise._paramdoc.plausible_ranges`; docs/model.md, section 8, is checked
    against them), in the order of docs/model.md's table. Integer parameters
    (``war.quiet_steps``) are left out: a calibration's uniform priors are continuous.
    """
    from equipoise._paramdoc import plausible_ranges

    real = _float_fields()
    return tuple(
        Parameter(name, float(low), float(high))
        for name, (low, high) in plausible_ranges().items()
        if name in real
    )


def plausible_parameter(name: str) -> Parameter:
    """The parameter ``name`` (``table.key``) with a uniform prior over its plausible range.

    Raises a one-line ``ValueError`` if ``name`` is not a real-valued scenario parameter
    with a plausible range.

    Examples
    --------
    >>> plausible_parameter("war.attack_probability")
    Parameter(name='war.attack_probability', low=0.01, high=0.2)
    """
    for p in plausible_parameters():
        if p.name == name:
            return p
    raise ValueError(
        f"Unknown parameter {name!r}: give a real-valued scenario parameter with a plausible "
        "range in docs/model.md, as table.key (e.g. war.attack_probability)."
    )


#: The default parameters of a calibration, in the sensitivity analysis's rank order (module
#: docstring): uniform priors over the plausible ranges of docs/model.md.
DEFAULT_PARAMETERS: tuple[Parameter, ...] = tuple(
    plausible_parameter(name)
    for name in (
        "war.attack_probability",
        "war.superiority_threshold",
        "alliances.alliance_threshold",
        "growth.convergence_rate",
        "internal.arming_response",
        "war.ceasefire_probability",
        "alliances.alliance_duration",
        "power.reach",
    )
)

#: Parameters the model reads only while an option is off, with the parameter of the same
#: role that takes their place among the defaults when it is on: with treaties no bloc
#: forms, so a bloc commitment's lifetime is not read and a treaty's is.
REPLACED_UNDER: dict[str, dict[str, str]] = {
    "alliances.treaties": {"alliances.alliance_duration": "alliances.pact_duration"},
}

#: Parameters added to the defaults when an option is on. With treaties, the pacts' base
#: formation rate: its default is the value that matches ATOP's rate over 1816-2016, while
#: ATOP's alliances of 1816-1914 formed at 0.029 per state-year against the model's 0.013 at
#: that value; calibrated with the others, history falls inside the posterior predictive
#: band for 22 of 26 whole-system statistics instead of 13 (docs/calibrate.md).
ADDED_UNDER: dict[str, tuple[str, ...]] = {
    "alliances.treaties": ("alliances.pact_formation",),
}


def default_parameters(scenario: Scenario) -> tuple[Parameter, ...]:
    """:data:`DEFAULT_PARAMETERS` as ``scenario`` reads them.

    Swapped as :data:`REPLACED_UNDER` says and extended as :data:`ADDED_UNDER` says for the
    options the scenario has on.

    Examples
    --------
    >>> from equipoise.scenario import Scenario
    >>> treaties = Scenario(n_states=3, alliances={"treaties": True})
    >>> [p.name for p in default_parameters(treaties)][6:]
    ['alliances.pact_duration', 'power.reach', 'alliances.pact_formation']
    """
    out = list(DEFAULT_PARAMETERS)
    for option, swaps in REPLACED_UNDER.items():
        table, key = option.split(".", 1)
        if getattr(getattr(scenario, table), key):
            out = [plausible_parameter(swaps[p.name]) if p.name in swaps else p for p in out]
    for option, added in ADDED_UNDER.items():
        table, key = option.split(".", 1)
        if getattr(getattr(scenario, table), key):
            out += [plausible_parameter(name) for name in added]
    return tuple(out)


def check_parameters(parameters: Iterable[Parameter], scenario: Scenario) -> tuple[Parameter, ...]:
    """Check calibrated parameters against a scenario; one-line ``ValueError`` on a problem.

    Each name must be a real-valued parameter of the scenario (not of ``[run]``), given once,
    with finite ``low < high``, and the scenario must accept both ends of the range.
    """
    out = tuple(parameters)
    if not out:
        raise ValueError("A calibration needs at least one parameter.")
    known = _float_fields()
    seen: set[str] = set()
    for p in out:
        if not isinstance(p, Parameter):
            raise ValueError(f"Expected a Parameter, got {type(p).__name__}.")
        if p.name not in known:
            raise ValueError(
                f"Unknown parameter {p.name!r}: give a real-valued scenario parameter as "
                "table.key (e.g. war.attack_probability)."
            )
        if p.name in seen:
            raise ValueError(f"Parameter {p.name!r} is given twice.")
        seen.add(p.name)
        if not (math.isfinite(p.low) and math.isfinite(p.high) and p.low < p.high):
            raise ValueError(
                f"The range of {p.name!r} must be two finite numbers, low < high. "
                f"Got [{p.low!r}, {p.high!r}] instead."
            )
        for end in (p.low, p.high):
            try:
                apply_parameters(scenario, {p.name: end})
            except InvalidScenarioError as exc:
                raise ValueError(f"The range of {p.name!r} is not valid: {exc}") from None
    return out


@dataclass(frozen=True)
class CalibrationFile:
    """A parameters file: the parameters, and optional ABC and statistics settings."""

    parameters: tuple[Parameter, ...]
    abc: dict[str, Any]
    statistics: dict[str, Any]


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def _parameter(name: str, value: object, source: str) -> Parameter:
    if name.count(".") != 1:
        raise ValueError(f"{source}: parameter {name!r} must be named table.key.")
    if not (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise ValueError(
            f"{source}: parameter {name!r} must be given as [low, high]. Got {value!r} instead."
        )
    return Parameter(name, float(value[0]), float(value[1]))


def load_parameter_file(path: str | Path) -> CalibrationFile:
    """Read a parameters file (module docstring); one-line ``ValueError`` if it is not valid.

    Parameters
    ----------
    path : path
        A TOML file with a ``[parameters]`` table and optional ``[abc]`` and
        ``[statistics]`` tables.

    Returns
    -------
    CalibrationFile
        The parameters (in file order) and the other tables as dicts (checked by the
        calibration itself).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"Parameters file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read parameters file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: malformed TOML: {exc}") from None
    unknown = sorted(set(data) - {"parameters", "abc", "statistics"})
    if unknown:
        raise ValueError(
            f"{path}: unknown table {unknown[0]!r} (expected parameters, abc, statistics)."
        )
    table = data.get("parameters")
    if not isinstance(table, dict) or not table:
        raise ValueError(f"{path}: no [parameters] table (name = [low, high] per parameter).")
    params = tuple(_parameter(n, v, str(path)) for n, v in _flatten(table).items())
    abc = data.get("abc", {})
    stats = data.get("statistics", {})
    for name, value in (("abc", abc), ("statistics", stats)):
        if not isinstance(value, dict):
            raise ValueError(f"{path}: [{name}] must be a table.")
    return CalibrationFile(params, dict(abc), dict(stats))
