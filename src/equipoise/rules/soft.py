"""Soft balancing: coordinated sanctions and diplomatic denial against the leader.

When the leader's capability share reaches ``soft_balancing_threshold``, every
state that balances (see :func:`equipoise.strategies.balancing`) and is not
allied with the leader joins a sanctioning coalition. The leader's economy
shrinks in proportion to the coalition's economic weight, and each sanctioner
pays a smaller cost:

    w      = sum_{k in coalition} E_k / sum_{alive} E
    E_lead <- E_lead * (1 - strength * w)
    E_k    <- E_k * (1 - sanction_cost * strength * w)     for k in the coalition

No force is used: soft balancing delays and frustrates the leader by raising
its costs, the non-military tools that Pape (2005) and Paul (2005) describe as
typical when hard balancing is too costly.

References
----------
Pape, R. A. (2005). Soft balancing against the United States. *International
    Security*, 30(1), 7-45. https://doi.org/10.1162/0162288054894607
Paul, T. V. (2005). Soft balancing in the age of U.S. primacy. *International
    Security*, 30(1), 46-71. https://doi.org/10.1162/0162288054894652
"""

from __future__ import annotations

import dataclasses

import numpy as np

from equipoise.scenario import Scenario
from equipoise.state import FloatArray, SystemState, capability_share
from equipoise.strategies import balancing

__all__ = ["sanction"]


def sanction(
    state: SystemState, scenario: Scenario, *, share: FloatArray | None = None
) -> SystemState:
    """Form the sanctioning coalition against the leader and apply its costs.

    Parameters
    ----------
    state : SystemState
        The system after external balancing.
    scenario : Scenario
        Supplies the ``soft_balancing`` parameters and ``growth.economic_weight``.
    share : (R, N) array, optional
        ``capability_share(state, economic_weight)`` if the caller has it
        already; computed here otherwise. Passing it changes nothing but the cost.

    Returns
    -------
    SystemState
        ``state`` with new ``economy`` and ``sanctions``. Each sanctioner
        sanctions one state, the leader: ``sanctions[r, i]`` has at most one
        True cell.
    """
    p = scenario.soft_balancing
    r, n = state.economy.shape
    if not p.enabled:
        if state.sanctions.any():
            return dataclasses.replace(state, sanctions=np.zeros_like(state.sanctions))
        return state
    if share is None:
        share = capability_share(state, scenario.growth.economic_weight)
    rows = np.arange(r)
    lead = np.argmax(share, axis=1)
    lead_share = share[rows, lead]
    active = (lead_share > 0) & (lead_share >= p.soft_balancing_threshold)
    idx = np.arange(n)[None, :]
    coalition = (
        balancing(state, share)
        & active[:, None]
        & (idx != lead[:, None])
        & (state.alliances[rows, :, lead] == 0)
    )
    total = state.economy.sum(axis=1)
    weight = (state.economy * coalition).sum(axis=1) / np.where(total > 0, total, 1.0)
    loss = p.soft_balancing_strength * weight
    factor = np.where(coalition, 1.0 - p.sanction_cost * loss[:, None], 1.0)
    factor[rows, lead] = np.where(active, 1.0 - loss, 1.0)
    sanctions = np.zeros((r, n, n), dtype=bool)
    sanctions[rows, :, lead] = coalition
    return dataclasses.replace(state, economy=state.economy * factor, sanctions=sanctions)
