"""Internal balancing: arming against the top threat.

A state that balances sets a target arming share that rises with the gap
between its top threat and its own plus its reliable allies' strength, and
moves part of the way toward it each step (Waltz 1979: internal balancing is
"moves to increase economic capability, to increase military strength"):

    gap_i    = max(0, threat_level_i - (s_i + reliability * sum_{k allied} s_k))
    target_i = clip(arming_min + arming_response * gap_i, arming_min, arming_max)
    a_i     <- a_i + adjustment_speed * (target_i - a_i)

States that do not balance this step (bandwagoners, buck-passers who pass)
drift toward ``arming_min``. Arming is costly: it slows growth
(:mod:`equipoise.rules.growth`), the guns-versus-butter trade-off of Powell
(1993).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley, p. 118.
Powell, R. (1993). Guns, butter, and anarchy. *American Political Science
    Review*, 87(1), 115-132. https://doi.org/10.2307/2938960
"""

from __future__ import annotations

import dataclasses

import numpy as np

from equipoise.scenario import Scenario
from equipoise.state import FloatArray, SystemState, capability_share
from equipoise.strategies import balancing

__all__ = ["arm"]


def arm(state: SystemState, scenario: Scenario, *, share: FloatArray | None = None) -> SystemState:
    """Move arming shares toward their targets. Deterministic.

    Parameters
    ----------
    state : SystemState
        The system after threat perception.
    scenario : Scenario
        Supplies the ``internal`` parameters, ``alliances.alliance_reliability``
        and ``growth.economic_weight``.
    share : (R, N) array, optional
        ``capability_share(state, economic_weight)`` if the caller has it
        already; computed here otherwise. Passing it changes nothing but the cost.

    Returns
    -------
    SystemState
        ``state`` with new ``arming_share``.
    """
    p = scenario.internal
    if not p.enabled:
        return state
    if share is None:
        share = capability_share(state, scenario.growth.economic_weight)
    allied = np.einsum("rij,rj->ri", state.allied, share)
    reliability = scenario.alliances.alliance_reliability if scenario.alliances.enabled else 0.0
    gap = np.maximum(0.0, state.threat_level - (share + reliability * allied))
    target = np.clip(p.arming_min + p.arming_response * gap, p.arming_min, p.arming_max)
    target = np.where(balancing(state, share), target, p.arming_min)
    new = state.arming_share + p.adjustment_speed * (target - state.arming_share)
    return dataclasses.replace(state, arming_share=np.where(state.alive, new, 0.0))
