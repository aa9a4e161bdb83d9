"""Scenarios: every parameter of a simulated state system, validated in one place.

A :class:`Scenario` is a frozen pydantic model read from and written to TOML.
Unknown keys, wrong types and out-of-range values raise
:class:`InvalidScenarioError` with a one-line message naming the offending key.
A scenario holds parameters only; everything derived from them (capabilities,
distances, strategy codes) is computed by the engine, so a TOML round trip
reproduces the object exactly.

Examples
--------
>>> from equipoise import Scenario
>>> s = Scenario.load("balancers")
>>> s.alliances.alliance_reliability
0.75
>>> Scenario.from_toml(s.to_toml()) == s
True
"""

from __future__ import annotations

import contextvars
import hashlib
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from equipoise._builtins import builtin_scenarios, builtin_text
from equipoise._validation import validation_summary

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "STRATEGIES",
    "AllianceParams",
    "GrowthParams",
    "HegemonyParams",
    "InitialParams",
    "InternalParams",
    "InvalidScenarioError",
    "MapParams",
    "PowerParams",
    "RunParams",
    "Scenario",
    "SoftBalancingParams",
    "StateSpec",
    "StrategyMix",
    "TechnologyParams",
    "ThreatParams",
    "WarParams",
    "builtin_scenarios",
]

#: Strategy names in the order of their integer codes in the kernel.
STRATEGIES: tuple[str, ...] = ("balance_power", "balance_threat", "bandwagon", "buck_pass", "none")
StrategyName = Literal["balance_power", "balance_threat", "bandwagon", "buck_pass", "none"]


#: Set while :meth:`Scenario.from_dict` validates, so that ``__init__`` leaves
#: the error to it (and the message names the source once).
_IN_FROM_DICT: contextvars.ContextVar[bool] = contextvars.ContextVar("_IN_FROM_DICT", default=False)


class InvalidScenarioError(ValueError):
    """A scenario (file, name or keyword) is not valid; the message names the problem."""


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)


def _unit(unit: str, plausible: tuple[float, float] | None = None) -> dict[str, Any]:
    """Field metadata: a parameter's unit and, if it has one, its plausible range.

    The unit is shown by ``scenario show --full`` and in the docs. The plausible range
    ``(low, high)`` is the region of values the literature or the data allow (docs/model.md,
    section 8, whose table ``tests/test_model_doc.py`` checks against it): the priors of a
    calibration and the region a sensitivity analysis explores.
    """
    out: dict[str, Any] = {"unit": unit}
    if plausible is not None:
        out["plausible"] = list(plausible)
    return out


class RunParams(_Params):
    """Defaults for :func:`equipoise.run` when a call does not give them."""

    replications: int = Field(
        200,
        ge=1,
        le=1_000_000,
        description="Replications (independent runs).",
        json_schema_extra=_unit("runs"),
    )
    steps: int = Field(
        200,
        ge=1,
        le=1_000_000,
        description="Time steps per replication (one step is a year).",
        json_schema_extra=_unit("steps"),
    )
    seed: int = Field(
        20260101,
        ge=0,
        lt=2**32,
        description="Seed of the counter-based random numbers.",
        json_schema_extra=_unit("integer in [0, 2^32)"),
    )


class MapParams(_Params):
    """The territory: a lattice of provinces (Cederman's GeoSim, 1997; 2003)."""

    provinces_per_state: float = Field(
        12.5,
        ge=1.0,
        le=400.0,
        description="Provinces per initial state; the square lattice has side "
        "ceil(sqrt(n_states x this)).",
        json_schema_extra=_unit("provinces", plausible=(5.0, 25.0)),
    )
    width: int | None = Field(
        None,
        ge=2,
        le=2000,
        description="Lattice width (overrides provinces_per_state).",
        json_schema_extra=_unit("provinces"),
    )
    height: int | None = Field(
        None,
        ge=2,
        le=2000,
        description="Lattice height (overrides provinces_per_state).",
        json_schema_extra=_unit("provinces"),
    )

    @model_validator(mode="after")
    def _both(self) -> MapParams:
        if (self.width is None) != (self.height is None):
            raise ValueError("give both map.width and map.height, or neither")
        return self


class InitialParams(_Params):
    """Initial conditions of generated states (ignored for states given explicitly)."""

    output_inequality: float = Field(
        0.0,
        ge=0.0,
        le=3.0,
        description="Sigma of the log-normal initial output of a province (mean 1).",
        json_schema_extra=_unit("log units", plausible=(0.0, 1.0)),
    )


class StrategyMix(_Params):
    """Share of the population following each strategy (must sum to 1).

    States are assigned strategies in blocks in the order of
    :data:`STRATEGIES` by largest remainder, so a mix is exact up to rounding.
    """

    balance_power: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that balance the strongest state.",
        json_schema_extra=_unit("share of states"),
    )
    balance_threat: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that balance the most threatening state (Walt 1987).",
        json_schema_extra=_unit("share of states"),
    )
    bandwagon: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that join the strongest state's side (Schweller 1994).",
        json_schema_extra=_unit("share of states"),
    )
    buck_pass: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that arm but leave coalitions to others (Mearsheimer 2001).",
        json_schema_extra=_unit("share of states"),
    )
    none: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that neither balance nor bandwagon (the null world).",
        json_schema_extra=_unit("share of states"),
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> StrategyMix:
        total = sum(getattr(self, name) for name in STRATEGIES)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"strategy shares must sum to 1, got {total:g}")
        return self

    def counts(self, n_states: int) -> list[int]:
        """Number of states of each strategy for ``n_states`` states (largest remainder)."""
        fracs = [getattr(self, name) for name in STRATEGIES]
        raw = [f * n_states for f in fracs]
        counts = [math.floor(r) for r in raw]
        order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
        for i in order[: n_states - sum(counts)]:
            counts[i] += 1
        return counts


class GrowthParams(_Params):
    """Economic growth and the military stock (one step is a year)."""

    growth_rate: float = Field(
        0.02,
        ge=-0.5,
        le=0.5,
        description="Mean growth rate of output per step.",
        json_schema_extra=_unit("per step", plausible=(0.0, 0.04)),
    )
    growth_volatility: float = Field(
        0.03,
        ge=0.0,
        le=1.0,
        description="Standard deviation of a state's growth shocks.",
        json_schema_extra=_unit("per step", plausible=(0.01, 0.08)),
    )
    depreciation: float = Field(
        0.1,
        # at least 0.001: the steady-state stock is arming / depreciation times output, and a
        # stock that outlives a millennium of outlays is outside any reading of the parameter
        # (a vanishing depreciation overflowed it to infinity and the shares to NaN)
        ge=0.001,
        le=1.0,
        description="Share of the military stock lost each step.",
        json_schema_extra=_unit("per step", plausible=(0.05, 0.15)),
    )


class PowerParams(_Params):
    """Capability and its projection over distance (Boulding 1962; COW CINC)."""

    economic_weight: float = Field(
        2.0 / 3.0,
        ge=0.0,
        le=1.0,
        description="Weight of the output share in the capability share (CINC: 4 of 6 "
        "components are economic).",
        json_schema_extra=_unit("fraction", plausible=(0.5, 0.8)),
    )
    reach: float = Field(
        5.0,
        gt=0.0,
        le=1e6,
        description="Distance L of the loss-of-strength gradient (1 + d/L)^-k.",
        json_schema_extra=_unit("provinces", plausible=(2.0, 20.0)),
    )
    gradient_exponent: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="Exponent k of the loss-of-strength gradient.",
        json_schema_extra=_unit("dimensionless", plausible=(0.5, 3.0)),
    )
    mobile_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of a state's military that moves to the fronts where it fights "
        "(GeoSim); the rest is spread over all fronts.",
        json_schema_extra=_unit("fraction", plausible=(0.2, 0.8)),
    )


class TechnologyParams(_Params):
    """Technological change of power projection (Cederman 2003)."""

    enabled: bool = Field(True, description="Innovation and diffusion of reach.")
    innovation_rate: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Chance per step that a state innovates.",
        json_schema_extra=_unit("per step", plausible=(0.0, 0.05)),
    )
    innovation_size: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Relative increase of reach by one innovation.",
        json_schema_extra=_unit("fraction", plausible=(0.0, 0.5)),
    )
    diffusion_rate: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Chance per step that a state adopts a neighbour's longer reach.",
        json_schema_extra=_unit("per step", plausible=(0.0, 1.0)),
    )


class ThreatParams(_Params):
    """Walt's (1987) balance of threat: power x proximity x offensive reach x intent."""

    aggression_weight: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Weight of the aggression record in threat.",
        json_schema_extra=_unit("per unprovoked attack", plausible=(0.0, 5.0)),
    )
    aggression_memory: float = Field(
        0.9,
        ge=0.0,
        lt=1.0,
        description="Share of the aggression record kept each step.",
        json_schema_extra=_unit("per step", plausible=(0.5, 0.95)),
    )


class InternalParams(_Params):
    """Internal balancing: arming against the threat faced, at a cost to growth (Waltz 1979)."""

    enabled: bool = Field(True, description="States adjust their arming share to threat.")
    arming_base: float = Field(
        0.03,
        ge=0.0,
        le=1.0,
        description="Arming share of states that face no threat (and of every state when "
        "internal balancing is off).",
        json_schema_extra=_unit("share of output", plausible=(0.01, 0.05)),
    )
    arming_max: float = Field(
        0.35,
        ge=0.0,
        le=1.0,
        description="Highest arming share.",
        json_schema_extra=_unit("share of output", plausible=(0.1, 0.5)),
    )
    arming_response: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Military a state aims to hold per unit of projected hostile military "
        "(Richardson's reaction coefficient).",
        json_schema_extra=_unit("ratio", plausible=(0.5, 2.0)),
    )
    adjustment_speed: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Fraction of the way to the target share moved per step.",
        json_schema_extra=_unit("per step", plausible=(0.1, 1.0)),
    )
    arming_drag: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Growth lost per unit of arming share (guns versus butter).",
        json_schema_extra=_unit("growth per arming share", plausible=(0.0, 0.3)),
    )

    @model_validator(mode="after")
    def _bounds(self) -> InternalParams:
        if self.arming_base > self.arming_max:
            raise ValueError("arming_base must not exceed arming_max")
        return self


class AllianceParams(_Params):
    """External balancing and bandwagoning: alliance commitments (Waltz 1979; Walt 1987).

    With ``alliance_rule = "landscape"`` alliances are instead the two coalitions of
    landscape theory (Axelrod & Bennett 1993), re-formed every ``landscape_interval`` steps.
    """

    enabled: bool = Field(True, description="States form alliances.")
    alliance_threshold: float = Field(
        1.0 / 3.0,
        ge=0.0,
        le=1.0,
        description="Capability share (or threat) of a state at which others balance against "
        "it or bandwagon with it.",
        json_schema_extra=_unit("capability share", plausible=(0.2, 0.5)),
    )
    alliance_reliability: float = Field(
        0.75,
        ge=0.0,
        le=1.0,
        description="Probability an ally honours a commitment in war.",
        json_schema_extra=_unit("probability", plausible=(0.5, 1.0)),
    )
    alliance_duration: float = Field(
        10.0,
        ge=1.0,
        le=1e6,
        description="Mean lifetime of an alliance commitment (geometric).",
        json_schema_extra=_unit("steps", plausible=(5.0, 36.0)),
    )
    alliance_rule: Literal["threat", "landscape"] = Field(
        "threat",
        description=(
            "'threat': states ally against their top threat (Walt 1987); 'landscape': two "
            "coalitions at the energy minimum of landscape theory (Axelrod & Bennett 1993)."
        ),
    )
    landscape_interval: int = Field(
        10,
        ge=1,
        le=32767,
        description="Steps between re-formations of the coalitions under the landscape rule.",
        json_schema_extra=_unit("steps", plausible=(1, 20)),
    )
    proximity_weight: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Weight of proximity in the landscape propensities.",
        json_schema_extra=_unit("dimensionless", plausible=(0.0, 5.0)),
    )


class SoftBalancingParams(_Params):
    """Soft balancing: coordinated sanctions with bounded effects (Pape 2005; Paul 2005)."""

    enabled: bool = Field(True, description="Balancers sanction a threat above the threshold.")
    soft_balancing_threshold: float = Field(
        1.0 / 3.0,
        ge=0.0,
        le=1.0,
        description="Capability share (or threat) of a state at which balancers sanction it.",
        json_schema_extra=_unit("capability share", plausible=(0.2, 0.5)),
    )
    max_cost: float = Field(
        0.01,
        ge=0.0,
        le=0.2,
        description="Target's output lost per step if every other state sanctions it "
        "(Hufbauer et al. 2007).",
        json_schema_extra=_unit("share of output per step", plausible=(0.0, 0.03)),
    )
    sender_cost: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="Senders' combined loss per unit of the target's loss (about; gravity "
        "model of trade).",
        json_schema_extra=_unit("ratio", plausible=(0.1, 1.0)),
    )
    episode_length: float = Field(
        5.0,
        ge=1.0,
        le=1e6,
        description="Mean length of a sanctions episode (geometric).",
        json_schema_extra=_unit("steps", plausible=(1.0, 10.0)),
    )

    @model_validator(mode="after")
    def _senders_keep_output(self) -> SoftBalancingParams:
        # a sender pays at most sender_cost x max_cost of its output a step: at 1 or more
        # sanctioning would wipe out its whole economy, which no reading of the sanctions
        # record allows (Hufbauer et al. 2007: senders' costs are a fraction of the target's)
        if self.sender_cost * self.max_cost >= 1.0:
            raise ValueError(
                "sender_cost x max_cost must be below 1 (senders would pay all their output "
                f"in sanctions); got {self.sender_cost:g} x {self.max_cost:g}"
            )
        return self


class WarParams(_Params):
    """War: unprovoked attacks, battles on fronts, conquest of provinces (GeoSim)."""

    enabled: bool = Field(True, description="States fight wars.")
    attack_probability: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Chance per step that a state at peace weighs an unprovoked attack.",
        json_schema_extra=_unit("per step", plausible=(0.01, 0.2)),
    )
    superiority_threshold: float = Field(
        3.0,
        ge=0.0,
        le=100.0,
        description="Local force ratio an attacker needs (Mearsheimer's 3:1 rule).",
        json_schema_extra=_unit("ratio", plausible=(1.0, 4.0)),
    )
    decisiveness: float = Field(
        1.0,
        gt=0.0,
        le=50.0,
        description="Exponent m of the battle's contest success function (Tullock 1980).",
        json_schema_extra=_unit("dimensionless", plausible=(0.5, 4.0)),
    )
    battle_losses: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Military destroyed on each side of a battle, as a share of the smaller "
        "force engaged.",
        json_schema_extra=_unit("fraction", plausible=(0.02, 0.3)),
    )
    ceasefire_probability: float = Field(
        0.47,
        gt=0.0,
        le=1.0,
        description="Chance per step that two belligerents stop fighting (COW war durations).",
        json_schema_extra=_unit("per step", plausible=(0.2, 0.9)),
    )
    quiet_steps: int = Field(
        1,
        ge=1,
        le=1000,
        description="Steps without fighting after which a war is over.",
        json_schema_extra=_unit("steps", plausible=(1, 5)),
    )


class HegemonyParams(_Params):
    """What counts as hegemony (Niou, Ordeshook & Rose 1989) and as a pole."""

    hegemony_threshold: float = Field(
        0.5,
        gt=0.0,
        le=1.0,
        description="Leader share that counts as hegemony.",
        json_schema_extra=_unit("capability share", plausible=(0.4, 0.6)),
    )
    hegemony_duration: int = Field(
        10,
        ge=1,
        le=1_000_000,
        description="Consecutive steps the share must be held.",
        json_schema_extra=_unit("steps", plausible=(5, 20)),
    )
    pole_threshold: float = Field(
        0.1,
        gt=0.0,
        le=1.0,
        description="Share at which a state counts as a pole.",
        json_schema_extra=_unit("capability share", plausible=(0.05, 0.2)),
    )


class StateSpec(_Params):
    """One explicitly given state (used instead of generated ones)."""

    name: str = Field(min_length=1, max_length=64, description="Name of the state.")
    economy: float = Field(
        ge=1e-9,
        allow_inf_nan=False,
        description="Initial output.",
        json_schema_extra=_unit("output units"),
    )
    military: float = Field(
        ge=0.0,
        allow_inf_nan=False,
        description="Initial military stock.",
        json_schema_extra=_unit("output units"),
    )
    x: float = Field(
        allow_inf_nan=False,
        description="Capital position (east).",
        json_schema_extra=_unit("any planar unit"),
    )
    y: float = Field(
        allow_inf_nan=False,
        description="Capital position (north).",
        json_schema_extra=_unit("any planar unit"),
    )
    strategy: StrategyName = Field("balance_power", description="The state's strategy.")
    arming_share: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Initial arming share.",
        json_schema_extra=_unit("share of output"),
    )


class Scenario(_Params):
    """A complete, validated description of a simulated state system.

    Parameters are grouped as in the TOML file, one table per mechanism. Build
    one with keywords (``Scenario(n_states=10, war={"decisiveness": 3})``),
    :meth:`load` a built-in or a file, or :meth:`replace` fields of another.
    See ``docs/model.md`` for every parameter with its default and source.
    """

    name: str = Field(
        "custom",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        description="Letters, digits, '-' and '_' (it names output folders).",
    )
    description: str = Field("", description="What the scenario is about (free text).")
    n_states: int | None = Field(
        None,
        ge=2,
        le=2000,
        description="Number of generated states.",
        json_schema_extra=_unit("states"),
    )
    run: RunParams = RunParams()
    map: MapParams = MapParams()
    initial: InitialParams = InitialParams()
    strategies: StrategyMix = StrategyMix(balance_power=1.0)
    growth: GrowthParams = GrowthParams()
    power: PowerParams = PowerParams()
    technology: TechnologyParams = TechnologyParams()
    threat: ThreatParams = ThreatParams()
    internal: InternalParams = InternalParams()
    alliances: AllianceParams = AllianceParams()
    soft_balancing: SoftBalancingParams = SoftBalancingParams()
    war: WarParams = WarParams()
    hegemony: HegemonyParams = HegemonyParams()
    states: tuple[StateSpec, ...] = Field((), strict=False)
    initial_alliances: tuple[Annotated[tuple[str, str], Field(strict=False)], ...] = Field(
        (),
        strict=False,
        description="Pairs of state names allied at the start (needs explicit [[states]]).",
    )
    alliance_exclusions: tuple[Annotated[tuple[str, str], Field(strict=False)], ...] = Field(
        (),
        strict=False,
        description="Pairs of state names that never belong to the same alliance (bloc): "
        "neither joins a bloc the other is in (a counterfactual, e.g. Italy outside the Triple "
        "Alliance; needs explicit [[states]]).",
    )

    def __init__(self, **data: Any) -> None:
        if _IN_FROM_DICT.get():  # pydantic routes model_validate through __init__
            super().__init__(**data)
            return
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidScenarioError(validation_summary(exc, "Scenario")) from None

    @model_validator(mode="after")
    def _states_consistent(self) -> Scenario:
        if self.states:
            if self.n_states is not None and self.n_states != len(self.states):
                raise ValueError(
                    f"n_states = {self.n_states} but {len(self.states)} [[states]] are given; "
                    "drop n_states or make them agree"
                )
            if len(self.states) < 2:
                raise ValueError("a scenario needs at least 2 states")
            names = [s.name for s in self.states]
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"duplicate state names: {', '.join(dup)}")
        elif self.n_states is None:
            raise ValueError("give n_states or a list of [[states]]")
        self._check_pairs("initial_alliances", "cannot ally with itself")
        self._check_pairs("alliance_exclusions", "cannot be kept from itself")
        if self.alliance_exclusions:
            self._check_exclusions_apart()
        return self

    def _check_exclusions_apart(self) -> None:
        """No excluded pair is linked by the alliances in force at the start."""
        names = self.state_names()
        group = {names[i]: k for k, members in enumerate(self.allied_groups()) for i in members}
        for a, b in self.alliance_exclusions:
            if a in group and group[a] == group.get(b):
                raise ValueError(
                    f"alliance_exclusions: '{a}' and '{b}' are in one alliance in force at the "
                    "start (initial_alliances link them); remove the pairs that link them"
                )

    def allied_groups(self) -> list[list[int]]:
        """The alliances in force at the start as connected groups of allied states.

        Each group lists state indices in increasing order; groups come in the order of their
        first member, and a state in no alliance is in none. The engine makes each group one
        bloc (``initial_alliances``; docs/model.md, section 8).
        """
        if not self.initial_alliances:
            return []
        index = {name: i for i, name in enumerate(self.state_names())}
        parent = list(range(self.size))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in self.initial_alliances:
            ra, rb = find(index[a]), find(index[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[int, list[int]] = {}
        for i in range(self.size):
            members.setdefault(find(i), []).append(i)
        return [members[root] for root in sorted(members) if len(members[root]) > 1]

    def _check_pairs(self, field: str, itself: str) -> None:
        """The pairs of ``field`` name known, distinct states (which must be explicit)."""
        pairs: tuple[tuple[str, str], ...] = getattr(self, field)
        if not pairs:
            return
        if not self.states:
            raise ValueError(f"{field} name states, so they need explicit [[states]]")
        known = {s.name for s in self.states}
        for a, b in pairs:
            unknown = [x for x in (a, b) if x not in known]
            if unknown:
                raise ValueError(f"{field}: unknown state '{unknown[0]}'")
            if a == b:
                raise ValueError(f"{field}: state '{a}' {itself}")

    # ------------------------------------------------------------------ sizes
    @property
    def size(self) -> int:
        """Number of states in the system."""
        return len(self.states) if self.states else int(self.n_states or 0)

    def strategy_names(self) -> list[str]:
        """Strategy of each state, in state order."""
        if self.states:
            return [s.strategy for s in self.states]
        out: list[str] = []
        for name, count in zip(STRATEGIES, self.strategies.counts(self.size), strict=True):
            out.extend([name] * count)
        return out

    def state_names(self) -> list[str]:
        """Names of the states (``S00``, ``S01``, ... for generated states)."""
        if self.states:
            return [s.name for s in self.states]
        width = len(str(self.size - 1))
        return [f"S{i:0{width}d}" for i in range(self.size)]

    # ----------------------------------------------------------- construction
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "scenario") -> Scenario:
        """Validate a mapping, raising :class:`InvalidScenarioError` on bad input."""
        token = _IN_FROM_DICT.set(True)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidScenarioError(validation_summary(exc, source)) from None
        finally:
            _IN_FROM_DICT.reset(token)

    @classmethod
    def from_toml(cls, text: str, source: str = "scenario") -> Scenario:
        """Parse and validate TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidScenarioError(f"{source}: malformed TOML: {exc}") from None
        return cls.from_dict(data, source)

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        """Load a built-in scenario by name, or a TOML file by path.

        Raises
        ------
        InvalidScenarioError
            If the name is neither an existing file nor a built-in scenario, or
            the file is not a valid scenario.
        """
        path = Path(name_or_path)
        if path.is_dir():
            raise InvalidScenarioError(f"{path} is a directory, not a scenario file")
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidScenarioError(f"{path}: cannot read scenario file: {exc}") from None
            return cls.from_toml(text, source=str(path))
        key = str(name_or_path)
        builtins = builtin_scenarios()
        if key in builtins:
            return cls.from_toml(builtin_text(key), source=f"built-in scenario '{key}'")
        if path.suffix.lower() == ".toml" or "/" in key or "\\" in key:
            raise InvalidScenarioError(f"scenario file not found: {key}")
        raise InvalidScenarioError(
            f"unknown scenario '{key}': not a file and not a built-in "
            f"(choose from {', '.join(builtins)})"
        )

    @classmethod
    def from_history(
        cls,
        year: int,
        states: str | Sequence[int] = "major",
        **kwargs: Any,
    ) -> Scenario:
        """Build a scenario from the real system in ``year`` (Correlates of War, ATOP).

        See :func:`equipoise.history.scenario_builder.scenario_from_history`
        for the parameters and the data mapping.
        """
        from equipoise.history.scenario_builder import scenario_from_history

        return scenario_from_history(year, states=states, **kwargs)

    @classmethod
    def from_posterior(cls, directory: str | Path, draw: int | None = None) -> Scenario:
        """The scenario calibrated by ``equipoise calibrate -o DIR``.

        Its posterior median (``calibrated.toml``), or its scenario at particle ``draw`` of
        the posterior.

        See :func:`equipoise.calibrate.posterior.scenario_from_posterior`.
        """
        from equipoise.calibrate.posterior import scenario_from_posterior

        return scenario_from_posterior(directory, draw=draw)

    def replace(self, **changes: Any) -> Scenario:
        """Return a validated copy with top-level fields or whole tables replaced.

        Nested tables may be given as dicts of the keys to change, e.g.
        ``s.replace(war={"enabled": False})``.
        """
        data = self.model_dump()
        for key, value in changes.items():
            if isinstance(value, BaseModel):
                value = value.model_dump()
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Scenario.from_dict(data, source=f"scenario '{self.name}'")

    # ------------------------------------------------------------------ output
    def to_toml(self) -> str:
        """Write the scenario as TOML, every parameter included."""
        data = self.model_dump(mode="json", exclude_none=True)
        for key in ("initial_alliances", "alliance_exclusions"):
            if not data.get(key):
                data.pop(key, None)
        if not data.get("states"):
            data.pop("states", None)
        else:
            data["states"] = [{k: v for k, v in s.items() if v is not None} for s in data["states"]]
        return tomli_w.dumps(data)

    def content_hash(self) -> str:
        """SHA-256 of the canonical TOML text: equal scenarios have equal hashes."""
        return hashlib.sha256(self.to_toml().encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ built-ins
# builtin_scenarios and builtin_text live in equipoise._builtins (no pydantic needed to list
# the built-in files, which keeps `equipoise scenario list` fast) and are re-exported here.
