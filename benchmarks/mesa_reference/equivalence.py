"""The equivalence comparison's system and its twins with one rule altered.

Shared by ``tests/test_mesa_equivalence.py`` (small samples, seconds) and
``benchmarks/mesa_equivalence.py`` (large samples, the p-values on record), so
that both compare the same system and the same altered rules.
"""

from __future__ import annotations

import dataclasses

from equipoise import Scenario
from mesa_reference.agents import State
from mesa_reference.model import GeoSimTwin

__all__ = ["ALTERED", "N_STATES", "STEPS", "FewerCeasefires", "NeverHonour", "scenario"]

#: States and steps of the compared system.
N_STATES, STEPS = 12, 120


def scenario() -> Scenario:
    """Every strategy at once, with every rule at work in a 12-state system.

    "mixed": balancers of power and of threat (Waltz 1979; Walt 1987),
    bandwagoners (Schweller 1994) and buck-passers (Mearsheimer 2001). At the
    default thresholds (a third of all capability) a 12-state system rarely holds
    a state strong enough to be balanced against in 120 years (0.2 allied pairs
    on average), so alliances, sanctions and hegemony are set to occur: balancing
    and sanctions from a share of 0.2 (the bottom of the plausible range; 4 allied
    pairs, 2 sanctioners on average) and hegemony measured at 0.3 held for ten years.
    """
    return Scenario.load("mixed").replace(
        n_states=N_STATES,
        alliances={"alliance_threshold": 0.2},
        soft_balancing={"soft_balancing_threshold": 0.2},
        hegemony={"hegemony_threshold": 0.3, "hegemony_duration": 10},
    )


class NeverHonour(GeoSimTwin):
    """Altered rule: allies are called into wars but never honour the call."""

    def honours(self, ally: State, enemy: State) -> bool:
        return False


class FewerCeasefires(GeoSimTwin):
    """Altered rule: a hostile pair ceases fire with probability 0.40 instead of 0.47."""

    def __init__(self, scenario: Scenario, rng: object = None) -> None:
        super().__init__(scenario, rng=rng)
        self.p = dataclasses.replace(self.p, ceasefire=0.40)


#: Each altered twin and the outcomes its rule drives directly: the comparison must
#: reject equality on at least one of them. Allies that never join make wars smaller
#: in participants; pairs that fight on longer make wars longer (battles), costlier
#: (size), rarer to start (states at war do not open new ones) and more conquering.
ALTERED: dict[type[GeoSimTwin], tuple[str, ...]] = {
    NeverHonour: ("war_participants",),
    FewerCeasefires: ("war_battles", "war_size", "war_onsets", "largest_territory"),
}
