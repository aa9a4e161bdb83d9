"""The parameter groups of a scenario: one validated table per mechanism of the model.

Each group is a frozen pydantic model whose fields carry a description, a unit and, where the
literature or the data give one, a plausible range (docs/model.md, section 8), read by
``scenario show --full``, the docs and calibration's priors.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "PACT_KINDS",
    "STRATEGIES",
    "AllianceParams",
    "GrowthParams",
    "HegemonyParams",
    "InitialParams",
    "InternalParams",
    "InvalidScenarioError",
    "MapParams",
    "ParamGroup",
    "PowerParams",
    "RunParams",
    "SoftBalancingParams",
    "StateSpec",
    "StrategyMix",
    "TechnologyParams",
    "ThreatParams",
    "WarParams",
    "unit_field",
]

# Extension point: the strategy registry. A new strategy appends its name here, at the
# position of its code in equipoise.state (HEDGE = 5 is "hedge"), to StrategyName, and a
# share field of the same name to StrategyMix below; docs/model.md gets its row
# (tests/test_model_doc.py checks it) and the rules read its code (docs/tutorials/extending.md).
#: Strategy names in the order of their integer codes in the kernel.
STRATEGIES: tuple[str, ...] = (
    "balance_power",
    "balance_threat",
    "bandwagon",
    "buck_pass",
    "none",
    "hedge",
)
StrategyName = Literal["balance_power", "balance_threat", "bandwagon", "buck_pass", "none", "hedge"]
#: Pact kinds (ATOP's obligation types) in the order of their codes in equipoise.state.
PACT_KINDS: tuple[str, ...] = (
    "defence",
    "offence",
    "neutrality",
    "non_aggression",
    "consultation",
)
PactKind = Literal["defence", "offence", "neutrality", "non_aggression", "consultation"]
#: A row of ``initial_pacts``: two states and a kind (a treaty of its own), or with a treaty
#: label shared by the pacts of one multilateral treaty.
PactRow = (
    Annotated[tuple[str, str, PactKind], Field(strict=False)]
    | Annotated[tuple[str, str, PactKind, str], Field(strict=False)]
)


class InvalidScenarioError(ValueError):
    """A scenario (file, name or keyword) is not valid; the message names the problem."""


class ParamGroup(BaseModel):
    """A table of parameters: unknown keys refused, values frozen, types strict."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)


def unit_field(unit: str, plausible: tuple[float, float] | None = None) -> dict[str, Any]:
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


class RunParams(ParamGroup):
    """Defaults for :func:`equipoise.run` when a call does not give them."""

    replications: int = Field(
        200,
        ge=1,
        le=1_000_000,
        description="Replications (independent runs).",
        json_schema_extra=unit_field("runs"),
    )
    steps: int = Field(
        200,
        ge=1,
        le=1_000_000,
        description="Time steps per replication (one step is a year).",
        json_schema_extra=unit_field("steps"),
    )
    seed: int = Field(
        20260101,
        ge=0,
        lt=2**32,
        description="Seed of the counter-based random numbers.",
        json_schema_extra=unit_field("integer in [0, 2^32)"),
    )


class MapParams(ParamGroup):
    """The territory: a lattice of provinces (Cederman's GeoSim, 1997; 2003)."""

    provinces_per_state: float = Field(
        12.5,
        ge=1.0,
        le=400.0,
        description="Provinces per initial state; the square lattice has side "
        "ceil(sqrt(n_states x this)).",
        json_schema_extra=unit_field("provinces", plausible=(5.0, 25.0)),
    )
    width: int | None = Field(
        None,
        ge=2,
        le=2000,
        description="Lattice width (overrides provinces_per_state).",
        json_schema_extra=unit_field("provinces"),
    )
    height: int | None = Field(
        None,
        ge=2,
        le=2000,
        description="Lattice height (overrides provinces_per_state).",
        json_schema_extra=unit_field("provinces"),
    )

    geography: Literal["lattice", "contiguity"] = Field(
        "lattice",
        description="Who borders whom among given [[states]]: 'lattice', where their "
        "territories touch on the lattice laid over their capitals; 'contiguity', the borders "
        "land_borders and sea_borders (COW direct contiguity of the start year in historical "
        "scenarios), seas included.",
    )
    land_borders: tuple[Annotated[tuple[str, str], Field(strict=False)], ...] | None = Field(
        None,
        strict=False,
        description="Pairs of state names that border by land (with geography = 'contiguity'; "
        "scenario_from_history writes COW's type 1).",
    )
    sea_borders: tuple[Annotated[tuple[str, str], Field(strict=False)], ...] | None = Field(
        None,
        strict=False,
        description="Pairs of state names contiguous across water only (with geography = "
        "'contiguity'; scenario_from_history writes COW's types 2-5, up to 400 miles).",
    )
    channels: int = Field(
        0,
        ge=0,
        le=8,
        description="Generated systems: straight water channels cutting the lattice into "
        "land masses that touch only across water (evenly spaced, vertical and horizontal in "
        "turn; 0: all land, GeoSim's lattice).",
        json_schema_extra=unit_field("channels"),
    )
    across_water: float = Field(
        0.5,
        gt=0.0,
        le=1.0,
        description="The stopping power of water (Mearsheimer 2001): the fraction of a "
        "state's force that counts when it attacks across a front that is all water (1: "
        "water is no obstacle).",
        json_schema_extra=unit_field("fraction", plausible=(0.2, 1.0)),
    )

    @model_validator(mode="after")
    def _both(self) -> MapParams:
        if (self.width is None) != (self.height is None):
            raise ValueError("give both map.width and map.height, or neither")
        return self

    @model_validator(mode="after")
    def _borders_need_contiguity(self) -> MapParams:
        if self.channels and self.geography != "lattice":
            raise ValueError(
                "map.channels cut generated lattices; with geography = "
                "'contiguity' the borders give the seas"
            )
        given = self.land_borders is not None or self.sea_borders is not None
        if given and self.geography != "contiguity":
            raise ValueError(
                "map.land_borders and map.sea_borders are read only with "
                "map.geography = 'contiguity'"
            )
        return self


class InitialParams(ParamGroup):
    """Initial conditions of generated states (ignored for states given explicitly)."""

    output_inequality: float = Field(
        0.0,
        ge=0.0,
        le=3.0,
        description="Sigma of the log-normal initial output of a province (mean 1).",
        json_schema_extra=unit_field("log units", plausible=(0.0, 1.0)),
    )


class StrategyMix(ParamGroup):
    """Share of the population following each strategy (must sum to 1).

    States are assigned strategies in blocks in the order of
    :data:`STRATEGIES` by largest remainder, so a mix is exact up to rounding.
    """

    balance_power: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that balance the strongest state.",
        json_schema_extra=unit_field("share of states"),
    )
    balance_threat: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that balance the most threatening state (Walt 1987).",
        json_schema_extra=unit_field("share of states"),
    )
    bandwagon: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that join the strongest state's side (Schweller 1994).",
        json_schema_extra=unit_field("share of states"),
    )
    buck_pass: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that arm but leave coalitions to others (Mearsheimer 2001).",
        json_schema_extra=unit_field("share of states"),
    )
    none: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that neither balance nor bandwagon (the null world).",
        json_schema_extra=unit_field("share of states"),
    )
    hedge: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of states that balance power but take no side while the leading "
        "state is at war (Kuik 2008; Tessman 2012).",
        json_schema_extra=unit_field("share of states"),
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


class GrowthParams(ParamGroup):
    """Economic growth and the military stock (one step is a year)."""

    growth_rate: float = Field(
        0.02,
        ge=-0.5,
        le=0.5,
        description="Mean growth rate of output per step.",
        json_schema_extra=unit_field("per step", plausible=(0.0, 0.04)),
    )
    growth_volatility: float = Field(
        0.03,
        ge=0.0,
        le=1.0,
        description="Standard deviation of a state's growth shocks.",
        json_schema_extra=unit_field("per step", plausible=(0.01, 0.08)),
    )
    depreciation: float = Field(
        0.1,
        # at least 0.001: the steady-state stock is arming / depreciation times output, and a
        # stock that outlives a millennium of outlays is outside any reading of the parameter
        # (a vanishing depreciation overflowed it to infinity and the shares to NaN)
        ge=0.001,
        le=1.0,
        description="Share of the military stock lost each step.",
        json_schema_extra=unit_field("per step", plausible=(0.05, 0.15)),
    )
    convergence_rate: float = Field(
        0.02,
        ge=0.0,
        le=0.5,
        description="Catch-up: growth gained per unit of log productivity below the living "
        "states' mean, and lost per unit above it (beta-convergence; Barro & Sala-i-Martin "
        "1992: about 2% a year).",
        json_schema_extra=unit_field("per step", plausible=(0.0, 0.03)),
    )
    growth_dispersion: float = Field(
        0.005,
        ge=0.0,
        le=0.1,
        description="Standard deviation across states of their persistent trend growth "
        "(population, industrialisation; Organski & Kugler 1980), drawn once per state and "
        "replication unless a state's trend is given.",
        json_schema_extra=unit_field("per step", plausible=(0.0, 0.01)),
    )


class PowerParams(ParamGroup):
    """Capability and its projection over distance (Boulding 1962; COW CINC)."""

    economic_weight: float = Field(
        2.0 / 3.0,
        ge=0.0,
        le=1.0,
        description="Weight of the output share in the capability share (CINC: 4 of 6 "
        "components are economic).",
        json_schema_extra=unit_field("fraction", plausible=(0.5, 0.8)),
    )
    reach: float = Field(
        5.0,
        gt=0.0,
        le=1e6,
        description="Distance L of the loss-of-strength gradient (1 + d/L)^-k.",
        json_schema_extra=unit_field("provinces", plausible=(2.0, 20.0)),
    )
    gradient_exponent: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="Exponent k of the loss-of-strength gradient.",
        json_schema_extra=unit_field("dimensionless", plausible=(0.5, 3.0)),
    )
    mobile_share: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of a state's military that moves to the fronts where it fights "
        "(GeoSim); the rest is spread over all fronts.",
        json_schema_extra=unit_field("fraction", plausible=(0.2, 0.8)),
    )


class TechnologyParams(ParamGroup):
    """Technological change of power projection (Cederman 2003)."""

    enabled: bool = Field(True, description="Innovation and diffusion of reach.")
    innovation_rate: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Chance per step that a state innovates.",
        json_schema_extra=unit_field("per step", plausible=(0.0, 0.05)),
    )
    innovation_size: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Relative increase of reach by one innovation.",
        json_schema_extra=unit_field("fraction", plausible=(0.0, 0.5)),
    )
    diffusion_rate: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Chance per step that a state adopts a neighbour's longer reach.",
        json_schema_extra=unit_field("per step", plausible=(0.0, 1.0)),
    )


class ThreatParams(ParamGroup):
    """Walt's (1987) balance of threat: power x proximity x offensive reach x intent."""

    aggression_weight: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Weight of the aggression record in threat.",
        json_schema_extra=unit_field("per unprovoked attack", plausible=(0.0, 5.0)),
    )
    aggression_memory: float = Field(
        0.9,
        ge=0.0,
        lt=1.0,
        description="Share of the aggression record kept each step.",
        json_schema_extra=unit_field("per step", plausible=(0.5, 0.95)),
    )


class InternalParams(ParamGroup):
    """Internal balancing: arming against the threat faced, at a cost to growth (Waltz 1979)."""

    enabled: bool = Field(True, description="States adjust their arming share to threat.")
    arming_base: float = Field(
        0.03,
        ge=0.0,
        le=1.0,
        description="Arming share of states that face no threat (and of every state when "
        "internal balancing is off).",
        json_schema_extra=unit_field("share of output", plausible=(0.01, 0.05)),
    )
    arming_max: float = Field(
        0.35,
        ge=0.0,
        le=1.0,
        description="Highest arming share.",
        json_schema_extra=unit_field("share of output", plausible=(0.1, 0.5)),
    )
    arming_response: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Military a state aims to hold per unit of projected hostile military "
        "(Richardson's reaction coefficient).",
        json_schema_extra=unit_field("ratio", plausible=(0.5, 2.0)),
    )
    adjustment_speed: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Fraction of the way to the target share moved per step.",
        json_schema_extra=unit_field("per step", plausible=(0.1, 1.0)),
    )
    arming_drag: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Growth lost per unit of arming share, on top of the guns that output "
        "buys instead of butter (small and mixed in the literature: Dunne & Tian 2013; "
        "Alptekin & Levine 2012; zero allowed).",
        json_schema_extra=unit_field("growth per arming share", plausible=(0.0, 0.2)),
    )

    @model_validator(mode="after")
    def _bounds(self) -> InternalParams:
        if self.arming_base > self.arming_max:
            raise ValueError("arming_base must not exceed arming_max")
        return self


class AllianceParams(ParamGroup):
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
        json_schema_extra=unit_field("capability share", plausible=(0.2, 0.5)),
    )
    alliance_reliability: float = Field(
        0.75,
        ge=0.0,
        le=1.0,
        description="Probability an ally honours a commitment in war.",
        json_schema_extra=unit_field("probability", plausible=(0.5, 1.0)),
    )
    alliance_duration: float = Field(
        10.0,
        ge=1.0,
        le=1e6,
        description="Mean lifetime of an alliance commitment (geometric).",
        json_schema_extra=unit_field("steps", plausible=(5.0, 36.0)),
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
        json_schema_extra=unit_field("steps", plausible=(1, 20)),
    )
    proximity_weight: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Weight of proximity in the landscape propensities.",
        json_schema_extra=unit_field("dimensionless", plausible=(0.0, 5.0)),
    )
    treaties: bool = Field(
        False,
        description="Alliances as treaties only: pacts of ATOP's kinds that form and "
        "end by hazards, defence pacts calling partners into wars (docs/model.md 7.3.3).",
    )
    pact_formation: float = Field(
        0.00065,
        ge=0.0,
        le=1.0,
        description="Annual probability that a pair of states far apart, without a reason to "
        "ally, forms a pact (with treaties; calibrated to ATOP's formation rate in the whole "
        "system 1816-2016).",
        json_schema_extra=unit_field("per pair-step", plausible=(0.0001, 0.01)),
    )
    pact_proximity: float = Field(
        1.0,
        ge=0.0,
        le=100.0,
        description="Rise of the pact formation rate per unit of the pair's mean projection "
        "between their capitals (proximity: Lai & Reiter 2000).",
        json_schema_extra=unit_field("dimensionless", plausible=(0.0, 5.0)),
    )
    shared_threat_factor: float = Field(
        2.0,
        ge=0.0,
        le=100.0,
        description="Factor on the pact formation rate of two states with a reason to ally: "
        "the same top threat at alliance_threshold (Walt 1987; Gibler & Wolford 2006), a "
        "bandwagoner and the state it fears, or the same landscape side.",
        json_schema_extra=unit_field("ratio", plausible=(1.0, 5.0)),
    )
    pact_duration: float = Field(
        35.7,
        ge=1.0,
        le=1e6,
        description="Mean lifetime of a bilateral treaty whose conditions have not changed "
        "(its annual hazard of ending is the inverse; each member withdraws at the hazard "
        "that gives it).",
        json_schema_extra=unit_field("steps", plausible=(10.0, 60.0)),
    )
    changed_factor: float = Field(
        2.0,
        ge=1.0,
        le=100.0,
        description="Factor on a pact's hazard of ending once the conditions that made it "
        "have changed: its threat is gone or the members' relative power has shifted "
        "(Leeds & Savun 2007).",
        json_schema_extra=unit_field("ratio", plausible=(1.0, 5.0)),
    )
    power_shift: float = Field(
        0.1,
        gt=0.0,
        le=1.0,
        description="Change in a member's share of the pair's capability since the pact was "
        "formed beyond which its conditions count as changed.",
        json_schema_extra=unit_field("capability share", plausible=(0.05, 0.3)),
    )


class SoftBalancingParams(ParamGroup):
    """Soft balancing: coordinated sanctions with bounded effects (Pape 2005; Paul 2005)."""

    enabled: bool = Field(True, description="Balancers sanction a threat above the threshold.")
    soft_balancing_threshold: float = Field(
        1.0 / 3.0,
        ge=0.0,
        le=1.0,
        description="Capability share (or threat) of a state at which balancers sanction it.",
        json_schema_extra=unit_field("capability share", plausible=(0.2, 0.5)),
    )
    max_cost: float = Field(
        0.01,
        ge=0.0,
        le=0.2,
        description="Share of its output level a target loses while every other state "
        "sanctions it, recovered when sanctions end (gains from trade: Arkolakis, Costinot & "
        "Rodriguez-Clare 2012; Hufbauer et al. 2007).",
        json_schema_extra=unit_field("share of output", plausible=(0.0, 0.05)),
    )
    sender_cost: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="Senders' combined loss per unit of the target's loss (about; gravity "
        "model of trade).",
        json_schema_extra=unit_field("ratio", plausible=(0.1, 1.0)),
    )
    episode_length: float = Field(
        5.0,
        ge=1.0,
        le=1e6,
        description="Mean length of a sanctions episode (geometric).",
        json_schema_extra=unit_field("steps", plausible=(1.0, 10.0)),
    )
    evasion_rate: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Rate at which a target's sanctions losses fade the longer it has been "
        "sanctioned without a break, as trade is diverted to third parties (Early 2015): "
        "losses times exp(-evasion_rate x years under sanctions).",
        json_schema_extra=unit_field("per step", plausible=(0.0, 0.3)),
    )
    fatigue: float = Field(
        5.0,
        ge=0.0,
        le=1e6,
        description="Mean years a sender rests after a sanctions episode ends before it may "
        "sanction again (geometric; 0: at once): senders tire and defect (Drezner 1999).",
        json_schema_extra=unit_field("steps", plausible=(0.0, 20.0)),
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


class WarParams(ParamGroup):
    """War: unprovoked attacks, battles on fronts, conquest of provinces (GeoSim)."""

    enabled: bool = Field(True, description="States fight wars.")
    attack_probability: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Chance per step that a state at peace weighs an unprovoked attack.",
        json_schema_extra=unit_field("per step", plausible=(0.01, 0.2)),
    )
    superiority_threshold: float = Field(
        3.0,
        ge=0.0,
        le=100.0,
        description="Local force ratio an attacker needs (Mearsheimer's 3:1 rule).",
        json_schema_extra=unit_field("ratio", plausible=(1.0, 4.0)),
    )
    decisiveness: float = Field(
        1.0,
        gt=0.0,
        le=50.0,
        description="Exponent m of the battle's contest success function (Tullock 1980).",
        json_schema_extra=unit_field("dimensionless", plausible=(0.5, 4.0)),
    )
    battle_losses: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Military destroyed on each side of a battle, as a share of the smaller "
        "force engaged.",
        json_schema_extra=unit_field("fraction", plausible=(0.02, 0.3)),
    )
    ceasefire_probability: float = Field(
        0.47,
        gt=0.0,
        le=1.0,
        description="Chance per step that two belligerents stop fighting (COW war durations).",
        json_schema_extra=unit_field("per step", plausible=(0.2, 0.9)),
    )
    quiet_steps: int = Field(
        1,
        ge=1,
        le=1000,
        description="Steps without fighting after which a war is over.",
        json_schema_extra=unit_field("steps", plausible=(1, 5)),
    )
    integrity_norm_step: int | None = Field(
        None,
        ge=0,
        description="Step from which the territorial integrity norm holds: no capital is "
        "taken, so no state dies by conquest (Zacher 2001; Fazal 2007). None: never; "
        "historical scenarios set the step of 1946.",
        json_schema_extra=unit_field("step"),
    )


class HegemonyParams(ParamGroup):
    """What counts as hegemony (Niou, Ordeshook & Rose 1989) and as a pole."""

    hegemony_threshold: float = Field(
        0.5,
        gt=0.0,
        le=1.0,
        description="Leader share that counts as hegemony.",
        json_schema_extra=unit_field("capability share", plausible=(0.4, 0.6)),
    )
    hegemony_duration: int = Field(
        10,
        ge=1,
        le=1_000_000,
        description="Consecutive steps the share must be held.",
        json_schema_extra=unit_field("steps", plausible=(5, 20)),
    )
    pole_threshold: float = Field(
        0.1,
        gt=0.0,
        le=1.0,
        description="Share at which a state counts as a pole.",
        json_schema_extra=unit_field("capability share", plausible=(0.05, 0.2)),
    )


class StateSpec(ParamGroup):
    """One explicitly given state (used instead of generated ones)."""

    name: str = Field(min_length=1, max_length=64, description="Name of the state.")
    economy: float = Field(
        ge=1e-9,
        allow_inf_nan=False,
        description="Initial output.",
        json_schema_extra=unit_field("output units"),
    )
    military: float = Field(
        ge=0.0,
        allow_inf_nan=False,
        description="Initial military stock.",
        json_schema_extra=unit_field("output units"),
    )
    x: float = Field(
        allow_inf_nan=False,
        description="Capital position (east).",
        json_schema_extra=unit_field("any planar unit"),
    )
    y: float = Field(
        allow_inf_nan=False,
        description="Capital position (north).",
        json_schema_extra=unit_field("any planar unit"),
    )
    strategy: StrategyName = Field("balance_power", description="The state's strategy.")
    arming_share: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Peacetime arming share (default: the share that keeps the given military "
        "at rest, military / economy x (exp(growth_rate + trend) - 1 + depreciation)).",
        json_schema_extra=unit_field("share of output"),
    )
    productivity: float = Field(
        1.0,
        gt=0.0,
        le=1e6,
        allow_inf_nan=False,
        description="Output per head relative to the other states at the start: what catch-up "
        "reads (economic capability over population share, for historical states).",
        json_schema_extra=unit_field("relative to the mean"),
    )
    trend: float | None = Field(
        None,
        ge=-0.2,
        le=0.2,
        allow_inf_nan=False,
        description="The state's persistent trend growth above the mean (default: drawn with "
        "growth.growth_dispersion).",
        json_schema_extra=unit_field("per step"),
    )
    growth_path: tuple[Annotated[float, Field(allow_inf_nan=False, ge=-5.0, le=5.0)], ...] = Field(
        (),
        strict=False,
        description="History's economy replayed: the state's log growth of economic capability "
        "relative to the others in each year from the start (from COW NMC); while it lasts it "
        "replaces trend, catch-up, shocks and the drag of arming.",
    )
    present: bool = Field(
        True,
        description="In the system at the start; false: absent until its first entry in "
        "[[events]] (its provinces are no member's, or held_by's, until then).",
    )
    held_by: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="For a state absent at the start: the state holding its provinces until "
        "it enters (default: no member holds them).",
    )
