"""The state agent of the Mesa reference model.

One :class:`StateAgent` per state. Each method is one agent's part of one rule of
``docs/model.md`` (section 7); the model (:mod:`mesa_reference.model`) calls them in
the engine's order and does the parts that involve several states at once (alliance
formation, sanctions, wars, eliminations).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mesa import Agent

if TYPE_CHECKING:
    from mesa_reference.model import BalanceOfPower

__all__ = ["StateAgent"]


class StateAgent(Agent):
    """A state: economy, military, arming share, alliances and its view of threats.

    Parameters
    ----------
    model : BalanceOfPower
        The model the state belongs to.
    index : int
        Position of the state in the scenario (0..N-1), the index equipoise uses.
    name : str
        Name of the state.
    economy, military, arming_share : float
        Initial economy E, military stock M and share a of output spent on arms.
    position : tuple of float
        Coordinates (x, y).
    strategy : str
        ``balance_power``, ``balance_threat``, ``bandwagon`` or ``buck_pass``.

    Attributes
    ----------
    allies : dict of StateAgent to int
        Remaining lifetime of each alliance, in steps (kept symmetric by the model).
    discount : dict of StateAgent to float
        Loss-of-strength gradient ``(1 + d / reach) ** -k`` to every other state.
    share : float
        Capability share, refreshed by the model whenever capabilities change.
    top_threat : StateAgent or None
        The state perceived as the top threat, and ``threat_level`` its level.
    balancing : bool
        Whether the state balances this step (its strategy, and for buck-passers
        whether others already balance its top threat).
    sanctioning : StateAgent or None
        The state it sanctions this step.
    """

    model: BalanceOfPower

    def __init__(
        self,
        model: BalanceOfPower,
        index: int,
        name: str,
        economy: float,
        military: float,
        arming_share: float,
        position: tuple[float, float],
        strategy: str,
    ) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.economy = economy
        self.military = military
        self.arming_share = arming_share
        self.position = position
        self.strategy = strategy
        self.aggression = 0.0
        self.allies: dict[StateAgent, int] = {}
        self.discount: dict[StateAgent, float] = {}
        self.share = 0.0
        self.top_threat: StateAgent | None = None
        self.threat_level = 0.0
        self.balancing = False
        self.sanctioning: StateAgent | None = None
        self.war_target: StateAgent | None = None
        self.war_won = False
        self.war_size = 0.0

    # ------------------------------------------------------------ capability
    @property
    def capability(self) -> float:
        """``C = w E + (1 - w) M`` with ``w = economic_weight``."""
        w = self.model.scenario.growth.economic_weight
        return w * self.economy + (1.0 - w) * self.military

    @property
    def uses_threat_lens(self) -> bool:
        """Whether the state reads Walt's threat rather than raw power."""
        if self.strategy == "balance_threat":
            return True
        if self.strategy == "balance_power":
            return False
        return self.model.scenario.threat.perception == "threat"

    # ---------------------------------------------------- 7.1 threat perception
    def perceive(self) -> None:
        """Find the top threat: the strongest other state, or the most threatening."""
        p = self.model.scenario.threat
        if self.uses_threat_lens:
            top, level = None, -math.inf
            for other in self.model.agents:
                if other is self:
                    continue
                intent = other.aggression * (1.0 - p.aggression_memory)
                threat = self.discount[other] * other.share * (1.0 + p.aggression_weight * intent)
                if threat > level:
                    top, level = other, threat
            level = max(level, 0.0)
        else:
            strongest, runner_up = self.model.strongest
            top = runner_up if strongest is self else strongest
            level = top.share if top is not None else 0.0
        if top is None or top.share <= 0.0:
            top, level = None, 0.0
        self.top_threat, self.threat_level = top, level

    # ---------------------------------------------------- 7.2 internal balancing
    def arm(self) -> None:
        """Move the arming share toward the target set by the gap with the top threat."""
        p = self.model.scenario.internal
        if self.balancing:
            allied = sum(ally.share for ally in self.allies)
            own = self.share + self.model.reliability * allied
            gap = max(0.0, self.threat_level - own)
            target = min(max(p.arming_min + p.arming_response * gap, p.arming_min), p.arming_max)
        else:
            target = p.arming_min
        self.arming_share += p.adjustment_speed * (target - self.arming_share)

    # ---------------------------------------------------- 7.3 external balancing
    def age_alliances(self) -> None:
        """Every alliance ages one step and ends at 0."""
        for ally in list(self.allies):
            self.allies[ally] -= 1
            if self.allies[ally] <= 0:
                del self.allies[ally]

    def threatened(self) -> bool:
        """Whether the top threat is at or above ``alliance_threshold``."""
        return (
            self.top_threat is not None
            and self.threat_level >= self.model.scenario.alliances.alliance_threshold
        )

    def leave_threat(self) -> None:
        """A threatened balancer leaves an alliance with its own top threat."""
        if self.balancing and self.threatened() and self.top_threat in self.allies:
            del self.allies[self.top_threat]
            del self.top_threat.allies[self]

    def choose_partner(self) -> StateAgent | None:
        """The state this one proposes an alliance to this step, if any.

        Balancers pick the balancing, not-yet-allied state (not their threat)
        with the highest ``[same top threat] + proximity_weight * discount``;
        bandwagoners join their top threat.
        """
        if not self.threatened():
            return None
        if self.balancing:
            weight = self.model.scenario.alliances.proximity_weight
            best, best_score = None, -math.inf
            for other in self.model.agents:
                if (
                    other is self
                    or other is self.top_threat
                    or not other.balancing
                    or other in self.allies
                ):
                    continue
                score = weight * self.discount[other] + (other.top_threat is self.top_threat)
                if score > best_score:
                    best, best_score = other, score
            return best
        if self.strategy == "bandwagon" and self.top_threat not in self.allies:
            return self.top_threat
        return None

    # ---------------------------------------------------- 7.5 war
    def home_strength(self, honouring: set[StateAgent] | None = None) -> float:
        """Coalition strength at home: own capability plus allies' at the gradient.

        With ``honouring=None`` allies count at ``alliance_reliability`` (the
        expectation used to decide); otherwise only the honouring allies count, fully.
        """
        if honouring is None:
            support = sum(self.discount[k] * k.capability for k in self.allies)
            return self.capability + self.model.reliability * support
        support = sum(self.discount[k] * k.capability for k in self.allies if k in honouring)
        return self.capability + support

    def choose_target(self, strength: dict[StateAgent, float]) -> StateAgent | None:
        """The non-allied state with the highest positive expected utility of attack."""
        p = self.model.scenario.war
        c = p.conquest_share
        own = strength[self]
        best, best_eu = None, 0.0
        for other in self.model.agents:
            y = strength[other]
            if other is self or other in self.allies or y <= 0.0:
                continue
            x = own * self.discount[other]
            win = contest(x, y, p.decisiveness)
            cost = p.war_cost * self.military * (min(1.0, y / x) if x > 0 else 0.0)
            eu = win * c * other.economy - (1.0 - win) * c * self.economy - cost
            if eu > best_eu:
                best, best_eu = other, eu
        return best

    # ---------------------------------------------------- 7.6 growth
    def grow(self) -> None:
        """Grow the economy with a normal shock; arms feed the military stock."""
        p = self.model.scenario.growth
        shock = self.random.gauss(0.0, 1.0)
        factor = max(
            0.0,
            1.0 + p.growth_rate - p.arming_drag * self.arming_share + p.growth_volatility * shock,
        )
        self.military = (1.0 - p.depreciation) * self.military + self.arming_share * self.economy
        self.economy *= factor


def contest(x: float, y: float, decisiveness: float) -> float:
    """Tullock contest success function ``x**m / (x**m + y**m)``, computed stably."""
    if x <= 0.0 and y <= 0.0:
        return 0.5
    if y <= 0.0:
        return 1.0
    if x <= 0.0:
        return 0.0
    logit = decisiveness * (math.log(x) - math.log(y))
    if logit >= 0:
        return 1.0 / (1.0 + math.exp(-logit))
    e = math.exp(logit)
    return e / (1.0 + e)
