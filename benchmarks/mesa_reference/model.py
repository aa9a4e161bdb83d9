"""The Mesa reference model: equipoise's rules written as an idiomatic Mesa 3 model.

:class:`BalanceOfPower` takes an :class:`equipoise.Scenario`, so both
implementations read the same parameters under the same names. States are
:class:`~mesa_reference.agents.StateAgent` agents in the model's ``AgentSet``;
dead states are removed from it. Each step applies the six rules of
``docs/model.md`` in the engine's order (threat perception, internal balancing,
external balancing, soft balancing, war, growth), each with simultaneous moves,
and a ``DataCollector`` records the engine's system measures after every step
(and once for the initial state).

The random numbers are Mesa's own (``model.random``), so a Mesa run and an
equipoise run of the same seed are different samples of the same model: they
agree in distribution, not draw by draw (``benchmarks/compare_mesa.py`` and
``tests/test_mesa_equivalence.py`` check it).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd
from mesa import Model
from mesa.datacollection import DataCollector

from equipoise import Scenario
from mesa_reference.agents import StateAgent, contest

__all__ = ["BalanceOfPower", "hegemony", "outcomes", "run_replications"]

_MAX_LIFETIME = 32767  # equipoise stores lifetimes as int16


class BalanceOfPower(Model):
    """An N-state system under the rules of an equipoise scenario.

    Parameters
    ----------
    scenario : Scenario
        Every parameter, under the names equipoise uses (``scenario.war.decisiveness``...).
    seed : int, optional
        Seed of Mesa's random number generators.

    Attributes
    ----------
    datacollector : DataCollector
        One row per step (step 0 is the initial state) with the equipoise system
        measures: leader, leader_share, concentration, hhi, n_poles, survivors,
        alliances, sanctioners, wars, war_losses, mean_arming.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        if getattr(scenario.alliances, "alliance_rule", "threat") != "threat":
            raise NotImplementedError("the Mesa reference implements alliance_rule = 'threat'")
        self.scenario = scenario
        self.reliability = (
            scenario.alliances.alliance_reliability if scenario.alliances.enabled else 0.0
        )
        self.strongest: tuple[StateAgent | None, StateAgent | None] = (None, None)
        self.wars_started = 0
        self.war_losses = 0.0
        self._create_states()
        self.update_shares()
        self.agents.do("perceive")
        self.datacollector = DataCollector(
            model_reporters={
                "leader": lambda m: m.strongest[0].index if m.strongest[0] else 0,
                "leader_share": lambda m: m.strongest[0].share if m.strongest[0] else 0.0,
                "concentration": BalanceOfPower.concentration,
                "hhi": BalanceOfPower.hhi,
                "n_poles": BalanceOfPower.n_poles,
                "survivors": lambda m: len(m.agents),
                "alliances": lambda m: sum(len(a.allies) for a in m.agents) // 2,
                "sanctioners": lambda m: sum(a.sanctioning is not None for a in m.agents),
                "wars": "wars_started",
                "war_losses": "war_losses",
                "mean_arming": lambda m: m.agents.agg("arming_share", np.mean) if m.agents else 0.0,
            }
        )
        self.datacollector.collect(self)

    # ------------------------------------------------------------ setup
    def _create_states(self) -> None:
        s = self.scenario
        init = s.initial
        names = s.state_names()
        strategies = s.strategy_names()
        if s.states:
            for i, spec in enumerate(s.states):
                arming = init.arming_share if spec.arming_share is None else spec.arming_share
                StateAgent(
                    self,
                    i,
                    spec.name,
                    spec.economy,
                    spec.military,
                    arming,
                    (spec.x, spec.y),
                    spec.strategy,
                )
        else:
            sigma = init.economy_inequality
            for i in range(s.size):
                position = (self.random.random(), self.random.random())
                economy = math.exp(sigma * self.random.gauss(0.0, 1.0) - 0.5 * sigma**2)
                StateAgent(
                    self,
                    i,
                    names[i],
                    economy,
                    init.military_ratio * economy,
                    init.arming_share,
                    position,
                    strategies[i],
                )
        reach, k = s.threat.reach, s.threat.gradient_exponent
        for a in self.agents:
            for b in self.agents:
                if a is not b:
                    d = math.dist(a.position, b.position)
                    a.discount[b] = (1.0 + d / reach) ** -k
        if s.initial_alliances and s.alliances.enabled:
            by_name = {a.name: a for a in self.agents}
            for x, y in s.initial_alliances:
                a, b = by_name[x], by_name[y]
                life = max(a.allies.get(b, 0), self.alliance_lifetime())
                a.allies[b] = b.allies[a] = life

    def alliance_lifetime(self) -> int:
        """A geometric lifetime (>= 1 step) with mean ``alliance_duration``."""
        mean = self.scenario.alliances.alliance_duration
        if mean <= 1.0:
            return 1
        return min(int(self.rng.geometric(1.0 / mean)), _MAX_LIFETIME)

    # ------------------------------------------------------------ shared quantities
    def update_shares(self) -> None:
        """Refresh every state's capability share and find the two strongest."""
        caps = {a: a.capability for a in self.agents}
        total = sum(caps.values())
        for a, c in caps.items():
            a.share = c / total if total > 0 else 0.0
        ranked = sorted(self.agents, key=lambda a: a.share, reverse=True)[:2]
        ranked += [None] * (2 - len(ranked))
        self.strongest = (ranked[0], ranked[1])

    def update_balancing(self) -> None:
        """Decide who balances this step; buck-passers pass when others cover their threat."""
        against: dict[StateAgent, float] = defaultdict(float)
        for a in self.agents:
            if a.strategy in ("balance_power", "balance_threat") and a.top_threat is not None:
                against[a.top_threat] += a.share
        for a in self.agents:
            if a.strategy == "buck_pass":
                t = a.top_threat
                a.balancing = not (t is not None and against[t] >= t.share)
            else:
                a.balancing = a.strategy in ("balance_power", "balance_threat")

    # ------------------------------------------------------------ the step
    def step(self) -> None:
        """Apply the six rules in the engine's order, then collect the measures."""
        self.update_shares()
        self.agents.do("perceive")
        self.update_balancing()
        if self.scenario.internal.enabled:
            self.agents.do("arm")
        self.align()
        self.sanction()
        self.fight()
        self.grow()
        self.update_shares()
        self.datacollector.collect(self)

    def align(self) -> None:
        """External balancing: age, leave, propose (all at once), appease."""
        p = self.scenario.alliances
        if not p.enabled:
            return
        self.agents.do("age_alliances")
        self.agents.do("leave_threat")
        proposals = [(a, a.choose_partner()) for a in self.agents]
        formed: dict[frozenset[StateAgent], int] = {}
        for a, partner in proposals:
            if partner is not None:
                pair = frozenset((a, partner))
                formed[pair] = max(formed.get(pair, 0), self.alliance_lifetime())
        for pair, life in formed.items():
            a, b = tuple(pair)
            a.allies[b] = b.allies[a] = life
        if p.appeasement > 0:
            payers = [
                a
                for a in self.agents
                if a.strategy == "bandwagon"
                and a.top_threat is not None
                and a.top_threat in a.allies
            ]
            payments = [(a, a.top_threat, p.appeasement * a.economy) for a in payers]
            for payer, payee, amount in payments:
                payer.economy -= amount
                payee.economy += amount
            if payments:  # capabilities changed: later rules see the new shares
                self.update_shares()
                self.update_balancing()

    def sanction(self) -> None:
        """Soft balancing: balancers not allied with the leader sanction it."""
        p = self.scenario.soft_balancing
        for a in self.agents:
            a.sanctioning = None
        leader = self.strongest[0]
        if not p.enabled or leader is None:
            return
        if not (leader.share > 0 and leader.share >= p.soft_balancing_threshold):
            return
        coalition = self.agents.select(
            lambda a: a.balancing and a is not leader and leader not in a.allies
        )
        total = sum(a.economy for a in self.agents)
        weight = sum(a.economy for a in coalition) / (total if total > 0 else 1.0)
        loss = p.soft_balancing_strength * weight
        for a in coalition:
            a.economy *= 1.0 - p.sanction_cost * loss
            a.sanctioning = leader
        leader.economy *= 1.0 - loss

    def fight(self) -> None:
        """War: decide on the same expectations, fight, settle, eliminate the broken."""
        p = self.scenario.war
        memory = self.scenario.threat.aggression_memory
        self.wars_started, self.war_losses = 0, 0.0
        for a in self.agents:
            a.aggression *= memory
            a.war_target, a.war_won, a.war_size = None, False, 0.0
        if not p.enabled:
            return
        strength = {a: a.home_strength() for a in self.agents}
        wars = []
        for a in self.agents:
            if self.random.random() < p.war_propensity:
                target = a.choose_target(strength)
                if target is not None:
                    wars.append((a, target))
        if not wars:
            return
        honouring = {a for a in self.agents if self.random.random() < self.reliability}
        loss_frac: dict[StateAgent, float] = defaultdict(float)
        settled = []
        for a, d in wars:
            f_a = a.home_strength(honouring) * a.discount[d]
            f_d = d.home_strength(honouring)
            won = self.random.random() < contest(f_a, f_d, p.decisiveness)
            clash = min(f_a, f_d)
            frac_a = p.war_cost * clash / f_a if f_a > 0 else 0.0
            frac_d = p.war_cost * clash / f_d if f_d > 0 else 0.0
            side_a = [a] + [k for k in a.allies if k in honouring and a.discount[k] > 0]
            side_d = [d] + [k for k in d.allies if k in honouring and d.discount[k] > 0]
            for k in side_a:
                loss_frac[k] = max(loss_frac[k], frac_a)
            for k in side_d:
                loss_frac[k] = max(loss_frac[k], frac_d)
            size = frac_a * sum(k.military for k in side_a) + frac_d * sum(
                k.military for k in side_d
            )
            a.war_target, a.war_won, a.war_size = d, won, size
            a.aggression += 1.0
            settled.append((a, d) if won else (d, a))  # (winner, loser)
            self.wars_started += 1
            self.war_losses += size
        for k, frac in loss_frac.items():
            k.military *= 1.0 - frac
        # settlement on this step's pre-war economies: k defeats leave (1 - c)**k
        before = {a: a.economy for a in self.agents}
        defeats: dict[StateAgent, int] = defaultdict(int)
        for _, loser in settled:
            defeats[loser] += 1
        for loser, k in defeats.items():
            loser.economy = before[loser] * (1.0 - p.conquest_share) ** k
        for winner, loser in settled:
            taken = before[loser] * (1.0 - (1.0 - p.conquest_share) ** defeats[loser])
            winner.economy += taken / defeats[loser]
        mean_e = sum(before.values()) / max(len(before), 1)
        broken = {loser for loser in defeats if loser.economy < p.elimination_floor * mean_e}
        self._absorb(broken, settled)

    def _absorb(
        self, broken: set[StateAgent], settled: list[tuple[StateAgent, StateAgent]]
    ) -> None:
        """A surviving victor (highest index) absorbs each broken loser's economy."""
        if not broken:
            return
        victor: dict[StateAgent, StateAgent] = {}
        for loser in broken:
            beaten_by = [w for w, lost in settled if lost is loser]
            surviving = [w for w in beaten_by if w not in broken]
            victor[loser] = max(surviving or beaten_by, key=lambda s: s.index)
        gains = []
        for loser in broken:
            heir = victor[loser]
            for _ in range(len(victor)):
                if heir not in broken:
                    break
                heir = victor[heir]
            if heir not in broken:  # a cycle of mutual defeats leaves no heir
                gains.append((heir, loser.economy))
        for heir, amount in gains:
            heir.economy += amount
        for loser in broken:
            self.remove_state(loser)

    def grow(self) -> None:
        """Growth, then states whose capability reached zero leave the system."""
        self.agents.do("grow")
        for a in list(self.agents):
            if not a.capability > 0:
                self.remove_state(a)

    def remove_state(self, state: StateAgent) -> None:
        """Take a state out: its alliances and the sanctions against it end."""
        for ally in state.allies:
            del ally.allies[state]
        state.allies.clear()
        for a in self.agents:
            if a.sanctioning is state:
                a.sanctioning = None
        state.remove()

    # ------------------------------------------------------------ reporters
    def hhi(self) -> float:
        """Herfindahl-Hirschman index of capability shares."""
        return sum(a.share**2 for a in self.agents)

    def n_poles(self) -> int:
        """States holding at least ``pole_threshold`` of capabilities."""
        threshold = self.scenario.hegemony.pole_threshold
        return sum(a.share >= threshold for a in self.agents)

    def concentration(self) -> float:
        """Ray-Singer concentration CON (1 for a lone state, nan for none)."""
        n = len(self.agents)
        if n == 0:
            return math.nan
        if n == 1:
            return 1.0
        value = (self.hhi() - 1.0 / n) / (1.0 - 1.0 / n)
        return math.sqrt(min(max(value, 0.0), 1.0))


def hegemony(leader: list[int], leader_share: list[float], threshold: float, duration: int) -> int:
    """Onset step of hegemony, -1 if never.

    Hegemony is the same leader holding a share of at least ``threshold`` for
    ``duration`` consecutive steps; the onset is the step that completes the run.
    """
    streak, prev = 0, -1
    for t, (lead, share) in enumerate(zip(leader, leader_share, strict=True)):
        if share >= threshold:
            streak = streak + 1 if lead == prev else 1
            prev = lead
        else:
            streak, prev = 0, -1
        if streak >= duration:
            return t
    return -1


def outcomes(model: BalanceOfPower) -> dict[str, float]:
    """A finished run's headline outcomes, as ``Result.dataset`` reports them."""
    frame = model.datacollector.get_model_vars_dataframe()
    h = model.scenario.hegemony
    onset = hegemony(
        frame["leader"].tolist(),
        frame["leader_share"].tolist(),
        h.hegemony_threshold,
        h.hegemony_duration,
    )
    last = frame.iloc[-1]
    return {
        "hegemony_onset": onset,
        "survivors": int(last["survivors"]),
        "concentration": float(last["concentration"]),
        "leader_share": float(last["leader_share"]),
        "wars": float(frame["wars"].iloc[1:].sum()),
    }


def run_replications(scenario: Scenario, replications: int, steps: int, seed: int) -> pd.DataFrame:
    """Run independent replications and return one row of outcomes per replication.

    Replication ``i`` is seeded from ``SeedSequence(seed).spawn(replications)[i]``.
    """
    rows = []
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(replications)):
        model = BalanceOfPower(scenario, seed=int(child.generate_state(1)[0]))
        for _ in range(steps):
            model.step()
        rows.append({"replication": i, **outcomes(model)})
    return pd.DataFrame(rows)
