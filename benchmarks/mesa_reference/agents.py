"""States: the agents of the twin, each standing on its capital cell.

Every rule that a state applies by itself is a method here, called for all
living states in index order with ``model.agents.do(name, ...)``; rules that
couple states through the map or through wars are the model's
(:mod:`mesa_reference.model`). The formulas are those of :mod:`equipoise.rules`
(docs/model.md, section 7), cited method by method.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mesa.discrete_space import FixedAgent

from mesa_reference.relations import AGAINST, CAMP
from mesa_reference.space import Province, distance, gradient

if TYPE_CHECKING:
    from mesa_reference.model import GeoSimTwin
    from mesa_reference.relations import Bloc, War

__all__ = ["BALANCE_POWER", "BALANCE_THREAT", "BANDWAGON", "BUCK_PASS", "NONE", "State"]

BALANCE_POWER = "balance_power"
BALANCE_THREAT = "balance_threat"
BANDWAGON = "bandwagon"
BUCK_PASS = "buck_pass"
NONE = "none"
BALANCERS = (BALANCE_POWER, BALANCE_THREAT)


class State(FixedAgent):
    """A state: a capital, a contiguous territory, a military, a strategy and its relations."""

    model: GeoSimTwin

    def __init__(self, model: GeoSimTwin, index: int, strategy: str, capital: Province) -> None:
        super().__init__(model)
        self.index = index
        self.strategy = strategy
        self.capital = capital
        self.cell = capital
        self.alive = True
        # economy and military
        self.military = 0.0
        self.arming = 0.0
        self.reach = 0.0
        self.aggression = 0.0
        self._projection: dict[State, float] = {}
        self.level = 1.0  # growth index: a province produces output * level
        self.held = 0.0  # sum of the outputs of its provinces
        self.economy = 0.0  # level * held
        self.share = 0.0
        # territory: provinces held, and fronts (adjacent province pairs) with each neighbour
        self.territory: dict[Province, None] = {}
        self.fronts: dict[State, int] = {}
        self.front_dist: dict[State, float] = {}
        # perception and relations
        self.threat: State | None = None
        self.threat_level = 0.0
        self.bloc: Bloc | None = None
        self.bloc_life = 0
        self.sanctioning: State | None = None
        self.sanction_life = 0
        self.senders: dict[State, None] = {}
        self.enemies: dict[State, None] = {}
        self.war: War | None = None
        # this step's events
        self.attacked = False
        self.loss = 0.0

    def __repr__(self) -> str:
        return f"State({self.index}, {self.strategy}, {len(self.territory)} provinces)"

    # ------------------------------------------------------------------ relations
    @property
    def provinces(self) -> int:
        """Provinces held."""
        return len(self.territory)

    def allied(self, other: State) -> bool:
        """Whether ``other`` is in this state's bloc."""
        return self.bloc is not None and other.bloc is self.bloc

    def projection_to(self, other: State) -> float:
        """Fraction of this state's power that reaches ``other``'s capital (its gradient).

        Capitals never move, so the value changes only with this state's reach:
        it is cached until then (equipoise's ``exposure`` matrix, column by column).
        """
        g = self._projection.get(other)
        if g is None:
            g = gradient(
                distance(self.capital, other.capital), self.reach, self.model.p.gradient_exponent
            )
            self._projection[other] = g
        return g

    def set_reach(self, reach: float) -> None:
        """Change the reach (technology) and forget the projections made with the old one."""
        self.reach = reach
        self._projection.clear()

    def allies(self) -> list[State]:
        """The other members of its bloc, in index order."""
        if self.bloc is None:
            return []
        return sorted((k for k in self.bloc.members if k is not self), key=_index)

    def fixed_force(self) -> float:
        """Forces it keeps on each of its fronts: ``(1 - mobile_share) M / fronts``."""
        if not self.fronts:
            return 0.0
        return (1.0 - self.model.p.mobile_share) * self.military / len(self.fronts)

    def front_change(self, other: State, delta: int) -> None:
        """Add ``delta`` adjacent province pairs to its front with ``other``."""
        after = self.fronts.get(other, 0) + delta
        if after > 0:
            if other not in self.fronts:
                self.front_dist[other] = math.inf  # a new front, measured at the next refresh
            self.fronts[other] = after
        else:
            del self.fronts[other]
            self.front_dist.pop(other, None)

    # ------------------------------------------------------------ 7.1 technology
    def innovate(self) -> None:
        """Innovation: reach times ``1 + innovation_size`` with chance ``innovation_rate``."""
        p = self.model.p
        if p.innovation_rate > 0.0 and self.model.rng.random() < p.innovation_rate:
            self.set_reach(self.reach * (1.0 + p.innovation_size))

    def diffuse(self, reach_after_innovation: dict[State, float]) -> None:
        """Adopt the longest reach among bordering states with chance ``diffusion_rate``."""
        own = reach_after_innovation[self]
        best = own
        for j in self.fronts:
            if reach_after_innovation[j] > best:
                best = reach_after_innovation[j]
        if best > own and self.model.rng.random() < self.model.p.diffusion_rate:
            self.set_reach(best)

    # ---------------------------------------------------------------- 7.2 threat
    def perceive(self, ranked: Sequence[State]) -> None:
        """Top threat and its level (Waltz 1979; Walt 1987).

        ``ranked`` lists the living states by decreasing capability share.
        """
        self.threat = None
        self.threat_level = 0.0
        if self.strategy == NONE:
            return
        p = self.model.p
        if self.strategy == BALANCE_THREAT:
            scale = 1.0 - p.aggression_memory
            for j in self.model.agents:
                if j is self or self.allied(j):
                    continue
                intent = j.aggression * scale
                t = j.share * j.projection_to(self) * (1.0 + p.aggression_weight * intent)
                if t > self.threat_level:
                    self.threat = j
                    self.threat_level = t
            return
        skip_allies = self.strategy != BANDWAGON
        for j in ranked:  # the strongest other state (not an ally, but for bandwagoners)
            if j is not self and not (skip_allies and self.allied(j)):
                self.threat = j
                self.threat_level = j.share
                return

    # ------------------------------------------------------------ 7.3 alliances
    def age_commitment(self) -> None:
        """A commitment lapses after its lifetime; a camp leader's does not age."""
        bloc = self.bloc
        if bloc is None or (bloc.kind == CAMP and bloc.anchor is self):
            return
        self.bloc_life -= 1
        if self.bloc_life <= 0:
            bloc.discard(self)

    def align(self) -> None:
        """Join the coalition against the top threat, or its side (Walt 1987; Schweller 1994)."""
        j = self.threat
        if self.bloc is not None or j is None:
            return
        model = self.model
        if self.threat_level < model.p.alliance_threshold:
            return
        if self.strategy in BALANCERS:
            coalition = model.bloc_of(AGAINST, j)
            if not self.hostile_to_member(coalition):
                self.join(coalition)
        elif self.strategy == BANDWAGON:
            if j in self.enemies:
                return
            side = j.bloc if j.bloc is not None else model.bloc_of(CAMP, j)
            if (side.kind == AGAINST and side.anchor is self) or self.hostile_to_member(side):
                return
            if j.bloc is None:
                side.add(j)  # j leads a camp while it has clients
                j.bloc_life = 0
            self.join(side)

    def hostile_to_member(self, bloc: Bloc) -> bool:
        """Whether it is at war with a member of ``bloc``."""
        return any(k in self.enemies for k in bloc.members)

    def join(self, bloc: Bloc) -> None:
        """Commit to ``bloc`` for a geometric lifetime with mean ``alliance_duration``."""
        bloc.add(self)
        self.bloc_life = self.model.lifetime(self.model.p.alliance_duration)
        self.model.alliances_formed += 1

    # ------------------------------------------------------- 7.4 soft balancing
    def may_sanction(self, j: State | None) -> bool:
        """Whether it may sanction ``j``: alive, not at war with it, not allied with it."""
        return j is not None and j.alive and j not in self.enemies and not self.allied(j)

    def stop_sanctions(self) -> None:
        """End its sanctions episode."""
        if self.sanctioning is not None:
            self.sanctioning.senders.pop(self, None)
        self.sanctioning = None
        self.sanction_life = 0

    def decide_sanctions(self) -> None:
        """Continue, end or start a sanctions episode against the top threat (Pape 2005)."""
        p = self.model.p
        if not p.soft or self.strategy not in BALANCERS:
            self.stop_sanctions()
            return
        if self.sanctioning is not None:
            if self.sanction_life > 1 and self.may_sanction(self.sanctioning):
                self.sanction_life -= 1
                return
            self.stop_sanctions()
        j = self.threat
        if self.threat_level >= p.soft_threshold and self.may_sanction(j):
            assert j is not None
            self.sanctioning = j
            j.senders[self] = None
            self.sanction_life = self.model.lifetime(p.episode_length)

    # ---------------------------------------------------- 7.5 internal balancing
    def hostile_military(self, coalition: float, by_military: Sequence[State]) -> float:
        """Hostile military H projected to its capital (``rules/internal.py``).

        ``by_military`` lists the living states by decreasing military; since no
        state projects more than its whole military, the scan for the strongest
        projected military stops at the first that cannot beat the best found.
        """
        single = 0.0
        at_war = 0.0
        bloc = self.bloc
        buck_passer = self.strategy == BUCK_PASS
        for j in self.enemies:
            m = j.military * j.projection_to(self)
            at_war += m
            if buck_passer and m > single:
                single = m
        if buck_passer:
            for j in self.fronts:
                if bloc is None or j.bloc is not bloc:
                    m = j.military * j.projection_to(self)
                    if m > single:
                        single = m
        else:
            for j in by_military:
                if j.military <= single:
                    break
                if j is self or (bloc is not None and j.bloc is bloc):
                    continue
                m = j.military * j.projection_to(self)
                if m > single:
                    single = m
        return max(single, coalition, at_war)

    def arm(self, pressure: dict[State, float], by_military: Sequence[State]) -> None:
        """Move the arming share towards the Richardson target (Waltz 1979; Morrow 1993)."""
        p = self.model.p
        if not p.internal or self.strategy == NONE:
            self.arming = p.arming_base
            return
        h = self.hostile_military(pressure.get(self, 0.0), by_military)
        allies = 0.0
        if self.bloc is not None:
            for k in self.bloc.members:
                if k is not self:
                    allies += k.military * k.projection_to(self)
        need = p.arming_response * h - p.reliability * allies
        target = p.depreciation * need / self.economy if self.economy > 0.0 else p.arming_base
        target = min(max(target, p.arming_base), p.arming_max)
        self.arming += p.adjustment_speed * (target - self.arming)

    # ------------------------------------------------------------------- 7.6 war
    def weigh_attack(self) -> None:
        """A state at peace may attack its weakest neighbour by the local balance (GeoSim)."""
        model = self.model
        p = model.p
        if self.enemies or model.rng.random() >= p.attack_probability:
            return
        best = None
        best_ratio = 0.0
        for j in self.fronts:
            if self.allied(j):
                continue
            r = model.attack_ratio(self, j)
            if r >= p.superiority and r > best_ratio:
                best = j
                best_ratio = r
        if best is not None:
            self.attacked = True
            model.attacks += 1
            model.enter(self, best)

    # ---------------------------------------------------------------- 7.7 growth
    def grow(self, keep: dict[State, float]) -> None:
        """Military stock, then output growth with a shock (Powell 1993; Dunne & Tian 2013)."""
        p = self.model.p
        self.military = (1.0 - p.depreciation) * self.military + self.arming * self.economy
        sigma = p.growth_volatility
        z = self.model.rng.standard_normal() if sigma > 0.0 else 0.0
        mu = p.growth_rate - p.arming_drag * self.arming
        self.level *= keep.get(self, 1.0) * math.exp(mu + sigma * z - 0.5 * sigma * sigma)
        self.economy = self.level * self.held

    def remember(self) -> None:
        """The aggression record decays and records this step's unprovoked attack."""
        self.aggression = self.model.p.aggression_memory * self.aggression + (
            1.0 if self.attacked else 0.0
        )


def _index(state: State) -> int:
    return state.index
