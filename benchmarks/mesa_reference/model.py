"""The twin's model: provinces on a Mesa grid, states in an AgentSet, one step a year.

A step first draws the order in which states move where order matters
(``self.agents.shuffle()``: attacks, joining alliances, allies called into a
war; ``rules/order.py``), then applies the rules in equipoise's order
(docs/model.md, section 3): technology, threat perception, alignment, soft
balancing decisions, internal balancing, war, sanctions losses and growth, the
aggression record, and the capability shares that the next step and the
recorder read. Rules that a state applies by itself are its methods, run for
the living states in index order with ``self.agents.do(...)`` (an ``AgentSet``
keeps its agents in the order they were created) unless the order of moves
applies; rules that couple states are methods of the model and of its mixins
:class:`~mesa_reference.territory.Territory` and
:class:`~mesa_reference.war.WarRules`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from mesa import DataCollector, Model

from equipoise import Scenario
from equipoise.engine import build_map, initial_arrays
from mesa_reference.agents import BUCK_PASS, NONE, TWIN_STRATEGIES, State
from mesa_reference.params import Params
from mesa_reference.relations import AGAINST, CAMP, INITIAL, SIDE, Bloc, War
from mesa_reference.space import lattice, partition
from mesa_reference.territory import Territory
from mesa_reference.war import WarRules

__all__ = ["MEASURES", "WAR_COLUMNS", "GeoSimTwin"]

#: Measures the DataCollector records at every step (model attributes of the same names).
MEASURES: tuple[str, ...] = (
    "survivors",
    "leader",
    "leader_share",
    "concentration",
    "hhi",
    "n_poles",
    "hegemony",
    "alliances",
    "sanctioners",
    "wars",
    "war_onsets",
    "attacks",
    "battles",
    "war_losses",
    "conquests",
    "deaths",
    "alliances_formed",
    "mean_arming",
    "mean_reach",
    "world_output",
    "world_military",
)
#: Columns of the DataCollector's ``wars`` table (one row per war, as ``Result.wars``).
WAR_COLUMNS: tuple[str, ...] = (
    "war",
    "start",
    "end",
    "initiator",
    "target",
    "participants",
    "battles",
    "provinces",
    "states_destroyed",
    "size",
    "world_military",
    "ongoing",
)


class GeoSimTwin(WarRules, Territory, Model):
    """The equipoise model 0.3 written as a Mesa 3 model.

    Parameters
    ----------
    scenario : equipoise.Scenario
        Generated states (random capitals, territories by nearest capital) or
        explicit ``[[states]]`` (equipoise's map of them, built by
        :func:`equipoise.engine.build_map`).
    rng : int or numpy.random.Generator, optional
        Seed of ``model.rng``, the source of every random draw.
    """

    def __init__(self, scenario: Scenario, rng: Any = None) -> None:
        super().__init__(rng=rng)
        self.scenario = scenario
        self.p = p = Params.from_scenario(scenario)
        n = scenario.size
        graph = build_map(scenario)
        self.grid, self.province_list = lattice(graph.width, graph.height, self.random)
        cells = self.province_list
        strategies = scenario.strategy_names()
        missing = sorted(set(strategies) - set(TWIN_STRATEGIES))
        if missing:
            raise ValueError(
                f"the Mesa twin does not implement the strategy {', '.join(missing)} "
                "(equipoise's kernel only; see docs/tutorials/extending.md)"
            )
        # relations and this step's events
        self.blocs: dict[tuple[str, int], Bloc] = {}
        self.hostilities: dict[tuple[State, State], None] = {}
        self.all_wars: list[War] = []
        self.open_wars: dict[War, None] = {}
        self._dirty: dict[State, None] = {}
        self._honour: dict[tuple[State, State], bool] = {}
        self._reset_events()
        self._streak = 0
        self._previous: State | None = None
        self.hegemony_onset = -1
        self.hegemon = -1
        self.hegemony_steps = 0

        if scenario.states:
            init = initial_arrays(scenario, graph)
            capitals = [cells[int(c)] for c in init["init_capital"]]
            states = [State(self, i, strategies[i], capitals[i]) for i in range(n)]
            for cell, owner, output in zip(
                cells, init["init_owner"], init["init_output"], strict=True
            ):
                cell.owner = states[int(owner)]
                cell.output = float(output)
            for s, military, arming, (productivity, trend), path in zip(
                states,
                init["init_military"],
                init["init_arming"],
                init["init_growth"],
                init["init_path"],
                strict=True,
            ):
                s.military = float(military)
                s.arming = float(arming)  # NaN: the share that keeps the military at rest
                s.productivity = float(productivity)
                s.trend = float(trend)  # NaN: drawn below
                s.growth_path = [float(x) for x in path]
            codes = init["init_bloc"]
        else:
            picks = self.rng.choice(len(cells), size=n, replace=False)
            capitals = [cells[int(c)] for c in picks]
            states = [State(self, i, strategies[i], capitals[i]) for i in range(n)]
            partition(capitals, states)
            sigma = p.output_inequality
            if sigma > 0.0:
                outputs = self.rng.lognormal(-0.5 * sigma * sigma, sigma, size=len(cells))
                for cell, output in zip(cells, outputs, strict=True):
                    cell.output = float(output)
            for s in states:
                s.trend = math.nan
            codes = np.full(n, -1)
        for s in states:  # a persistent trend, drawn once (Gilpin 1981; Kennedy 1987)
            if math.isnan(s.trend):
                dispersion = p.growth_dispersion
                s.trend = dispersion * self.rng.standard_normal() if dispersion > 0.0 else 0.0
        for s in states:
            s.set_reach(p.reach)
        if p.alliances:  # alliances in force at the start: lifetimes drawn like new ones
            for s, code in zip(states, codes, strict=True):
                if code >= 0:
                    self.bloc_of(INITIAL, int(code)).add(s)
                    s.bloc_life = self.lifetime(p.alliance_duration)
        for cell in cells:
            owner = cell.owner
            assert owner is not None
            owner.territory[cell] = None
            for r in cell.adjacent:
                if r.owner is not owner:
                    owner.front_change(r.owner, 1)  # type: ignore[arg-type]
        self._dirty.update(dict.fromkeys(states))
        self.refresh_fronts()
        for s in states:  # the start is at rest: M / Y steady on each trend path
            s.at_rest(generated=not scenario.states)
        self.order: list[State] = list(states)
        self.update_shares()

        self.datacollector = DataCollector(
            model_reporters={name: name for name in MEASURES},
            agent_reporters={"share": "share", "provinces": "provinces"},
            tables={"wars": list(WAR_COLUMNS)},
        )
        self.measure()
        self.datacollector.collect(self)

    # ------------------------------------------------------------------- helpers
    def lifetime(self, mean: float) -> int:
        """A geometric lifetime (at least one step) with the given mean."""
        return 1 if mean <= 1.0 else int(self.rng.geometric(1.0 / mean))

    def bloc_of(self, kind: str, anchor: State | int) -> Bloc:
        """The bloc of this kind and anchor (created empty if it does not exist yet)."""
        key = (kind, anchor if isinstance(anchor, int) else anchor.index)
        bloc = self.blocs.get(key)
        if bloc is None:
            bloc = self.blocs[key] = Bloc(kind, anchor)
        return bloc

    def _reset_events(self) -> None:
        self.war_onsets = 0
        self.attacks = 0
        self.battles = 0
        self.conquests = 0
        self.deaths = 0
        self.alliances_formed = 0
        self.losses = 0.0

    # ---------------------------------------------------------------------- step
    def step(self) -> None:
        """Advance the system by one year."""
        p = self.p
        self._reset_events()
        self._honour.clear()
        self.agents.set("attacked", False)
        self.agents.set("loss", 0.0)
        self.order = list(self.agents.shuffle())  # this step's order of moves
        if p.technology:  # 7.1
            self.agents.do("innovate")
            if p.diffusion_rate > 0.0:
                reach = {s: s.reach for s in self.agents}
                self.agents.do("diffuse", reach)
        ranked = list(self.agents.sort("share", ascending=False))
        self.agents.do("perceive", ranked)  # 7.2
        self.align()  # 7.3
        self.agents.do("decide_sanctions")  # 7.4
        self.arm()  # 7.5
        if p.war:  # 7.6
            self.fight()
        self.refresh_fronts()
        if p.soft:
            self.sanctions_losses()
        living = list(self.agents)
        mean_log = 0.0
        if p.convergence_rate > 0.0:
            mean_log = sum(s.log_productivity() for s in living) / len(living)
        self.agents.do("grow", mean_log)  # 7.7
        self.agents.do("remember")
        self.update_shares()
        self.measure()
        self.datacollector.collect(self)

    def run_for(self, steps: int) -> None:
        """Run ``steps`` steps."""
        for _ in range(steps):
            self.step()

    # ---------------------------------------------------------------- alignment
    def align(self) -> None:
        """Commitments age, empty camps dissolve, states join blocs (``rules/alliances.py``)."""
        if not self.p.alliances:
            return
        self.agents.do("age_commitment")
        for bloc in [b for b in self.blocs.values() if b.kind == CAMP]:
            if len(bloc.members) == 1 and bloc.anchor in bloc.members:
                bloc.dissolve()  # a camp without clients
        if self.p.landscape:
            if (self.steps - 1) % self.p.landscape_interval == 0:
                self.landscape()
            return
        for s in self.order:  # one after another, in the step's order of moves
            if s.alive:
                s.align()

    def landscape(self) -> None:
        """Two coalitions at a local minimum of frustration (Axelrod & Bennett 1993)."""
        p = self.p
        left, right = self.bloc_of(SIDE, 0), self.bloc_of(SIDE, 1)
        living = list(self.agents)
        sigma = dict.fromkeys(living, 0.0)
        field = dict.fromkeys(living, 0.0)
        scale = 1.0 - p.aggression_memory
        unaligned = []
        for i in living:
            if i.strategy in (BUCK_PASS, NONE):
                continue  # buck-passers and the non-aligned stay out
            if i.bloc is left:
                sigma[i] = 1.0
            elif i.bloc is right:
                sigma[i] = -1.0
            else:
                unaligned.append(i)
        unaligned.sort(key=lambda s: -s.share)  # stable: index breaks ties

        def add_field(i: State, delta: float) -> None:
            for j in living:
                if j is i:
                    continue
                proximity = 0.5 * (i.projection_to(j) + j.projection_to(i))
                intent = (i.aggression + j.aggression) * scale
                propensity = -(1.0 + p.proximity_weight * proximity) * (
                    1.0 + p.aggression_weight * intent
                )
                field[j] += delta * i.share * propensity

        for i in living:
            if sigma[i] != 0.0:
                add_field(i, sigma[i])
        for i in unaligned:
            sigma[i] = 1.0 if field[i] >= 0.0 else -1.0
            add_field(i, sigma[i])
        while True:  # steepest descent by single moves
            best = None
            best_gain = -1e-15
            for i in living:
                if sigma[i] == 0.0:
                    continue
                gain = i.share * sigma[i] * field[i]
                if gain < best_gain:
                    best, best_gain = i, gain
            if best is None:
                break
            add_field(best, -2.0 * sigma[best])
            sigma[best] = -sigma[best]
        for i in living:
            if sigma[i] == 0.0:
                continue
            side = left if sigma[i] > 0.0 else right
            if i.bloc is not side:
                self.alliances_formed += 1
                side.add(i)
            i.bloc_life = p.landscape_interval

    # ---------------------------------------------------------- internal balancing
    def arm(self) -> None:
        """Every state sets its arming share (``rules/internal.py``)."""
        pressure: dict[State, float] = {}
        for bloc in self.blocs.values():
            if bloc.kind == AGAINST and bloc.members:
                target = bloc.anchor
                assert isinstance(target, State)
                pressure[target] = sum(k.military * k.projection_to(target) for k in bloc.members)
        by_military = list(self.agents.sort("military", ascending=False)) if self.p.internal else []
        self.agents.do("arm", pressure, by_military)

    # ----------------------------------------------------------- sanctions losses
    def sanctions_losses(self) -> None:
        """Set each state's ``sanction_loss``, a level that fades with evasion (``rules/soft.py``).

        A target's loss, and its senders', fall by ``exp(-evasion_rate * years)``
        with ``years`` the steps it has been sanctioned without a break (Early 2015).
        """
        p = self.p
        total = sum(s.economy for s in self.agents)
        kept = dict.fromkeys(self.agents, 1.0)
        for j in self.agents:
            if not j.senders:
                j.sanctioned_for = 0
                continue
            fade = math.exp(-p.evasion_rate * j.sanctioned_for)
            j.sanctioned_for += 1
            senders = sum(s.economy for s in j.senders)
            others = total - j.economy
            lost = p.max_cost * senders / others * fade if others > 0.0 else 0.0
            kept[j] *= 1.0 - min(lost, 1.0)
            for s in j.senders:
                rest = total - s.economy
                paid = p.sender_cost * p.max_cost * j.economy / rest * fade if rest > 0.0 else 0.0
                kept[s] *= 1.0 - min(paid, 1.0)
        for s, share in kept.items():
            s.sanction_loss = 1.0 - share

    # ------------------------------------------------------------------ measures
    def update_shares(self) -> None:
        """CINC-like capability shares of the living states (Singer et al. 1972)."""
        total_y = 0.0
        total_m = 0.0
        for s in self.agents:
            total_y += s.economy
            total_m += s.military
        armed = total_m > 1e-290
        we = self.p.economic_weight if armed else 1.0
        for s in self.agents:
            if total_y <= 0.0:
                s.share = 0.0
                continue
            share = we * s.economy / total_y
            if armed:
                share += (1.0 - we) * s.military / total_m
            s.share = share

    def measure(self) -> None:
        """Set the measures the DataCollector reads (:data:`MEASURES`) and track hegemony."""
        p = self.p
        living = list(self.agents)
        n = len(living)
        self.survivors = n
        leader = max(living, key=lambda s: s.share)  # first in index order on ties
        self.leader = leader.index
        self.leader_share = leader.share
        self.hhi = sum(s.share * s.share for s in living)
        if n == 1:
            self.concentration = 1.0
        else:
            self.concentration = math.sqrt(min(max((self.hhi - 1 / n) / (1 - 1 / n), 0.0), 1.0))
        self.n_poles = sum(1 for s in living if s.share >= p.pole_threshold)
        self.alliances = sum(
            len(b.members) * (len(b.members) - 1) // 2 for b in self.blocs.values()
        )
        self.sanctioners = sum(1 for s in living if s.sanctioning is not None)
        self.wars = len(self.open_wars)
        self.world_output = sum(s.economy for s in living)
        self.world_military = sum(s.military for s in living)
        self.war_losses = self.losses / self.world_military if self.world_military > 0 else 0.0
        self.mean_arming = sum(s.arming for s in living) / n
        self.mean_reach = sum(s.reach for s in living) / n
        # hegemony: one state at or above the threshold for hegemony_duration steps
        if self.leader_share >= p.hegemony_threshold:
            self._streak = self._streak + 1 if leader is self._previous else 1
            self._previous = leader
        else:
            self._streak = 0
            self._previous = None
        self.hegemony = int(self._streak >= p.hegemony_duration)
        if self.hegemony:
            self.hegemony_steps += 1
            if self.hegemony_onset < 0:
                self.hegemony_onset = self.steps
                self.hegemon = leader.index

    def war_table(self) -> pd.DataFrame:
        """Every war (merged ones counted in the war they joined), ended and ongoing."""
        table = self.datacollector.tables["wars"]
        columns = list(table)
        ended = [{c: table[c][k] for c in columns} for k in range(len(table[columns[0]]))]
        rows = ended + [w.row() for w in self.open_wars]
        frame = pd.DataFrame(rows, columns=list(WAR_COLUMNS))
        return frame.sort_values("war", kind="stable").reset_index(drop=True)
