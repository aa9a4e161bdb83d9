"""War in the twin: ceasefires, attacks, allies called in, battles, wars as clusters of battles.

The rules of ``rules/war.py`` (Cederman 2003; Tullock 1980; Mearsheimer 1989;
Christensen & Snyder 1990; Leeds, Long & Mitchell 2000), as model methods:
hostilities are pairs of states (an insertion-ordered dict, in order of onset),
each state keeps its enemies, and a :class:`~mesa_reference.relations.War`
collects the pairs that fight in one cluster.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from mesa_reference.relations import War
from mesa_reference.space import gradient

if TYPE_CHECKING:
    import numpy as np
    from mesa import DataCollector
    from mesa.agent import AgentSet

    from mesa_reference.agents import State
    from mesa_reference.params import Params
    from mesa_reference.relations import Bloc

__all__ = ["WarRules", "contest_success"]


def contest_success(fa: float, fb: float, decisiveness: float) -> float:
    """Probability that force ``fa`` beats ``fb``: ``fa**m / (fa**m + fb**m)`` (Tullock 1980)."""
    if fa <= 0.0 and fb <= 0.0:
        return 0.5
    if fa <= 0.0:
        return 0.0
    if fb <= 0.0:
        return 1.0
    return 1.0 / (1.0 + (fb / fa) ** decisiveness)


class WarRules:
    """Mixin of :class:`~mesa_reference.model.GeoSimTwin`: the war phase of a step."""

    p: Params
    rng: np.random.Generator
    steps: int
    agents: AgentSet
    datacollector: DataCollector
    hostilities: dict[tuple[State, State], None]
    all_wars: list[War]
    open_wars: dict[War, None]
    war_onsets: int
    battles: int
    conquests: int
    deaths: int
    losses: float
    order: list[State]
    _honour: dict[tuple[State, State], bool]

    def fight(self) -> None:
        """Ceasefires, unprovoked attacks (in the step's order of moves), battles, war ends."""
        self.ceasefires()
        for s in self.order:
            if s.alive:
                s.weigh_attack()
        self.fight_battles()
        self.close_wars()

    # ----------------------------------------------------------------- hostilities
    def ceasefires(self) -> None:
        """Each hostile pair stops fighting with probability ``ceasefire_probability``."""
        for a, b in list(self.hostilities):
            if self.rng.random() < self.p.ceasefire:
                self.end_hostility(a, b)

    def end_hostility(self, a: State, b: State) -> None:
        """``a`` and ``b`` stop fighting; their war has one pair fewer."""
        key = (a, b) if a.index < b.index else (b, a)
        del self.hostilities[key]
        del a.enemies[b]
        del b.enemies[a]
        war = key[0].war
        if war is not None:
            war.pairs -= 1

    def open_pair(self, a: State, b: State) -> None:
        """Make ``a`` and ``b`` hostile; the pair starts, joins or merges wars."""
        self.hostilities[(a, b) if a.index < b.index else (b, a)] = None
        a.enemies[b] = None
        b.enemies[a] = None
        ca, cb = a.war, b.war
        if ca is None and cb is None:
            world = sum(s.military for s in self.agents)
            war = War(len(self.all_wars), self.steps, a, b, world)
            self.all_wars.append(war)
            self.open_wars[war] = None
            self.war_onsets += 1
        elif ca is None:
            war = cb  # type: ignore[assignment]
        elif cb is None or ca is cb:
            war = ca
        else:  # two wars joined: the younger merges into the older
            war, younger = (ca, cb) if ca.id < cb.id else (cb, ca)
            war.absorb(younger)
            del self.open_wars[younger]
        for s in (a, b):
            if s.war is not war:
                s.war = war
                war.members[s] = None
        war.pairs += 1

    def honours(self, ally: State, enemy: State) -> bool:
        """Whether ``ally`` honours a call against ``enemy``: one draw per pair and step."""
        key = (ally, enemy)
        answer = self._honour.get(key)
        if answer is None:
            answer = bool(self.rng.random() < self.p.reliability)
            self._honour[key] = answer
        return answer

    def enter(self, entrant: State, enemy: State) -> None:
        """``entrant`` goes to war against ``enemy``; allies are called in, in turn (chain-ganging).

        The target's bloc is called to defend it; the entrant's partners bound
        against the target are called to join it. Each honours the call with
        probability ``alliance_reliability``; every entry calls further allies.
        """
        if enemy in entrant.enemies or entrant.allied(enemy):
            return
        self.open_pair(entrant, enemy)
        if not self.p.alliances:
            return
        queue = deque([(entrant, enemy)])
        while queue:
            x, y = queue.popleft()
            bx, by = x.bloc, y.bloc
            if by is not None:  # the target's allies defend it
                for k in self.in_order(by):
                    if k is y or k is x or x in k.enemies or (bx is not None and k.bloc is bx):
                        continue
                    if self.honours(k, x):
                        self.open_pair(k, x)
                        queue.append((k, x))
            if bx is not None and bx.binds_against(x, y):  # the entrant's partners join it
                for k in self.in_order(bx):
                    if k is x or k is y or y in k.enemies or (by is not None and k.bloc is by):
                        continue
                    if self.honours(k, y):
                        self.open_pair(k, y)
                        queue.append((k, y))

    def in_order(self, bloc: Bloc) -> list[State]:
        """The members of ``bloc`` in the step's order of moves (allies are called in turn)."""
        return [k for k in self.order if k.alive and k.bloc is bloc]

    # --------------------------------------------------------------------- attacks
    def ally_help(self, helpers: list[State], target: State) -> float:
        """Mobile forces of ``helpers`` projected to ``target``'s capital."""
        mobile = self.p.mobile_share
        return sum(mobile * k.military * k.projection_to(target) for k in helpers)

    def attack_ratio(self, i: State, j: State) -> float:
        """Expected local force ratio of ``i`` attacking its neighbour ``j`` (``rules/war.py``)."""
        p = self.p
        own = (i.fixed_force() + p.mobile_share * i.military) * gradient(
            i.front_dist[j], i.reach, p.gradient_exponent
        )
        bi, bj = i.bloc, j.bloc
        if p.alliances and bi is not None and bi.binds_against(i, j):
            helpers = [k for k in bi.members if k is not i and k is not j]
            own += p.reliability * self.ally_help(helpers, j)
        mobile = 0.0
        if not j.enemies:  # at peace: mobile forces spread over fronts by neighbours' strength
            total = sum(k.military for k in j.fronts)
            if total > 0.0:
                mobile = p.mobile_share * j.military * i.military / total
        defence = (j.fixed_force() + mobile) * gradient(
            j.front_dist[i], j.reach, p.gradient_exponent
        )
        if p.alliances and bj is not None:
            helpers = [k for k in bj.members if k is not j and k is not i]
            defence += p.reliability * self.ally_help(helpers, j)
        if defence <= 0.0:
            return float("inf") if own > 0.0 else 0.0
        return own / defence

    # --------------------------------------------------------------------- battles
    def share_to(self, a: State, b: State, enemy_total: float) -> float:
        """The part of ``a``'s mobile forces aimed at enemy ``b`` (by the enemies' militaries)."""
        if enemy_total <= 0.0:
            return 0.0
        return self.p.mobile_share * a.military * b.military / enemy_total

    def support_from(self, s: State, c: State, b: State) -> float:
        """Expeditionary support of ``s``, without a front with ``b``, on ally ``c``'s front."""
        bloc = s.bloc
        if s is c or b not in s.enemies or b in s.fronts or bloc is None or c.bloc is not bloc:
            return 0.0
        relays = 0
        for k in bloc.members:
            if k is not s and b in k.enemies and b in k.fronts:
                relays += 1
        if relays == 0:
            return 0.0
        enemy_total = sum(e.military for e in s.enemies)
        return self.share_to(s, b, enemy_total) * s.projection_to(c) / relays

    def force(self, a: State, b: State) -> tuple[float, float]:
        """``a``'s own force on its front with ``b``, and its allies' support there."""
        p = self.p
        enemy_total = sum(e.military for e in a.enemies)
        own = (a.fixed_force() + self.share_to(a, b, enemy_total)) * gradient(
            a.front_dist[b], a.reach, p.gradient_exponent
        )
        support = 0.0
        for s in b.enemies:
            support += self.support_from(s, a, b)
        return own, support

    def charge(self, a: State, b: State, own: float, support: float, loss: float) -> None:
        """Share ``loss`` among ``a`` and its supporters on its front with ``b``, by force."""
        total = own + support
        if total <= 0.0:
            return
        take = min(a.military, loss * own / total)
        a.military -= take
        a.loss += take
        self.losses += take
        if support > 0.0:
            for s in list(b.enemies):
                part = self.support_from(s, a, b)
                if part > 0.0:
                    take = min(s.military, loss * part / total)
                    s.military -= take
                    s.loss += take
                    self.losses += take

    def fight_battles(self) -> None:
        """One battle on each front between hostile states, in order of the pairs' onset."""
        p = self.p
        for a, b in list(self.hostilities):
            if b not in a.enemies or b not in a.fronts:
                continue
            self.refresh_fronts()  # type: ignore[attr-defined]  # fronts moved by earlier battles
            own_a, sup_a = self.force(a, b)
            own_b, sup_b = self.force(b, a)
            fa = own_a + sup_a
            fb = own_b + sup_b
            if fa + fb <= 0.0:
                continue
            win_a = contest_success(fa, fb, p.decisiveness)
            winner, loser = (a, b) if self.rng.random() < win_a else (b, a)
            loss = p.battle_losses * min(fa, fb)
            self.charge(a, b, own_a, sup_a, loss)
            self.charge(b, a, own_b, sup_b, loss)
            war = a.war
            deaths_before = self.deaths
            moved = self.conquer(winner, loser)  # type: ignore[attr-defined]
            self.battles += 1
            self.conquests += moved
            if war is not None:
                war.battles += 1
                war.size += 2.0 * loss
                war.provinces += moved
                war.deaths += self.deaths - deaths_before
                war.last = self.steps

    def close_wars(self) -> None:
        """A war is over when none of its pairs has fought for ``quiet_steps`` steps."""
        t = self.steps
        for war in list(self.open_wars):
            if war.pairs > 0:
                war.last = max(war.last, t)
            elif t - war.last >= self.p.quiet_steps:
                war.closed = True
                del self.open_wars[war]
                for s in war.members:
                    if s.war is war:
                        s.war = None
                self.datacollector.add_table_row("wars", war.row())
