"""States: the agents of the twin, each standing on its capital cell.

Every rule that a state applies by itself is a method here, called for all
living states in index order with ``model.agents.do(name, ...)``, or in the
step's random order of moves (``model.order``) for attacks and alignment; rules that
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

__all__ = [
    "BALANCE_POWER",
    "BALANCE_THREAT",
    "BANDWAGON",
    "BUCK_PASS",
    "NONE",
    "TWIN_STRATEGIES",
    "State",
]

BALANCE_POWER = "balance_power"
BALANCE_THREAT = "balance_threat"
BANDWAGON = "bandwagon"
BUCK_PASS = "buck_pass"
NONE = "none"
BALANCERS = (BALANCE_POWER, BALANCE_THREAT)
# Extension point: a strategy the twin implements is listed here (with its rules in the
# twin); one it does not is refused by GeoSimTwin.
#: The strategies the twin implements: equipoise's but ``hedge``, which is kernel-only (the
#: worked example of docs/tutorials/extending.md); a scenario with hedgers is refused.
TWIN_STRATEGIES = (BALANCE_POWER, BALANCE_THREAT, BANDWAGON, BUCK_PASS, NONE)


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
        self.rest_arming = 0.0  # peacetime arming share, kept when nothing threatens
        self.trend = 0.0  # persistent growth above the mean rate
        self.productivity = 1.0  # output per head at the start
        self.growth_path: Sequence[float] = ()  # replayed growth above the mean (history)
        self.level = 1.0  # growth index: a province produces output * level
        self.held = 0.0  # sum of the outputs of its provinces
        self.sanction_loss = 0.0  # share of its output level lost to this step's sanctions
        self.economy = 0.0  # level * held * (1 - sanction_loss)
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
        self.rest = 0  # steps it rests before it may sanction again
        self.sanctioned_for = 0  # steps it has been sanctioned without a break
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
        """Continue, end or start a sanctions episode against the top threat (Pape 2005).

        A sender whose episode has run its course rests for a geometric spell of
        mean ``fatigue`` steps before it may start another (Drezner 1999).
        """
        p = self.model.p
        if not p.soft or self.strategy not in BALANCERS:
            self.stop_sanctions()
            return
        if self.sanctioning is not None:
            if self.sanction_life > 1 and self.may_sanction(self.sanctioning):
                self.sanction_life -= 1
                return
            if self.sanction_life <= 1 and p.fatigue > 0.0:  # the episode ran its course
                self.rest = self.model.lifetime(p.fatigue)
            self.stop_sanctions()
            return
        if self.rest > 0:
            self.rest -= 1
            return
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

    def upkeep(self) -> float:
        """``exp(g + trend) - 1 + depreciation``: arming share per unit of M / Y on its trend."""
        p = self.model.p
        return math.exp(p.growth_rate + self.trend) - 1.0 + p.depreciation

    def at_rest(self, generated: bool) -> None:
        """Military and peacetime arming share at their steady ratio to output (``at_rest``).

        Generated states arm ``arming_base`` with the stock that share keeps on
        their trend path, ``M = a Y / (exp(g + trend) - 1 + depreciation)``; given
        states keep their military, and a missing arming share (NaN) becomes the
        one that holds it there.
        """
        p = self.model.p
        upkeep = self.upkeep()
        y = self.economy
        if generated:
            self.arming = p.arming_base
        elif math.isnan(self.arming):
            self.arming = self.military / y * upkeep if y > 0.0 else p.arming_base
        self.arming = min(self.arming, 1.0)
        if generated:
            self.military = self.arming * y / upkeep if upkeep > 0.0 else 0.0
        self.rest_arming = self.arming

    def arm(self, pressure: dict[State, float], by_military: Sequence[State]) -> None:
        """Move the arming share towards the Richardson target (Waltz 1979; Morrow 1993)."""
        p = self.model.p
        if not p.internal or self.strategy == NONE:
            self.arming = self.rest_arming
            return
        h = self.hostile_military(pressure.get(self, 0.0), by_military)
        allies = 0.0
        if self.bloc is not None:
            for k in self.bloc.members:
                if k is not self:
                    allies += k.military * k.projection_to(self)
        need = p.arming_response * h - p.reliability * allies
        floor = self.rest_arming
        target = self.upkeep() * need / self.economy if self.economy > 0.0 else floor
        target = min(max(target, floor), max(p.arming_max, floor))
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
    def log_productivity(self) -> float:
        """``log(productivity * level)``, the state's place in catch-up growth."""
        return math.log(self.productivity * self.level)

    def grow(self, mean_log: float) -> None:
        """Military stock, then output growth with trend, catch-up, drag and a shock.

        ``mu = g + trend - beta (log pi - mean_log) - drag (a - a0)`` (Gilpin 1981;
        Barro & Sala-i-Martin 1992; Powell 1993; Dunne & Tian 2013), with
        ``mean_log`` the mean of :meth:`log_productivity` over the living states
        at the start of growth; a replayed history grows by ``g`` plus its path.
        Output is then less this step's sanctions loss, a level.
        """
        p = self.model.p
        self.military = (1.0 - p.depreciation) * self.military + self.arming * self.economy
        sigma = p.growth_volatility
        z = self.model.rng.standard_normal() if sigma > 0.0 else 0.0
        t = self.model.steps
        if 1 <= t <= len(self.growth_path):
            self.level *= math.exp(p.growth_rate + self.growth_path[t - 1])
        else:
            mu = p.growth_rate + self.trend - p.arming_drag * (self.arming - self.rest_arming)
            if p.convergence_rate > 0.0:
                mu -= p.convergence_rate * (self.log_productivity() - mean_log)
            self.level *= math.exp(mu + sigma * z - 0.5 * sigma * sigma)
        self.economy = self.output()

    def output(self) -> float:
        """Growth index times provinces held, less this step's sanctions loss."""
        return self.level * self.held * (1.0 - self.sanction_loss)

    def remember(self) -> None:
        """The aggression record decays and records this step's unprovoked attack."""
        self.aggression = self.model.p.aggression_memory * self.aggression + (
            1.0 if self.attacked else 0.0
        )


def _index(state: State) -> int:
    return state.index
