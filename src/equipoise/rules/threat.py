"""Threat perception: balance of power versus balance of threat.

Under the **power** lens a state's top threat is the strongest other state and
its level is that state's capability share (Waltz 1979). Under the **threat**
lens (Walt 1987) capability is projected over distance with Boulding's (1962)
loss-of-strength gradient and weighted by perceived aggressive intent, read
from the record of past attacks:

    threat_ij = s_j * (1 + d_ij / reach) ** -k * (1 + aggression_weight * intent_j)

where ``intent_j = aggression_j * (1 - aggression_memory)`` lies in [0, 1).
Which lens a state uses follows its strategy
(:func:`equipoise.strategies.uses_threat_lens`).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from equipoise.scenario import Scenario
from equipoise.state import FloatArray, IntArray, SystemState, capability_share
from equipoise.strategies import uses_threat_lens

__all__ = ["distance_discount", "perceive", "power_threat", "walt_threat"]


#: Pairs per block when building distance discounts: bounds the (B, N, N, 2)
#: coordinate differences and the (B, N, N) temporaries to a few MB.
_DISCOUNT_BLOCK_PAIRS = 250_000


def distance_discount(position: FloatArray, reach: float, exponent: float) -> FloatArray:
    """Loss-of-strength gradient ``(1 + d / reach) ** -exponent`` between all pairs.

    Parameters
    ----------
    position : (R, N, 2) array
        Coordinates.
    reach, exponent : float
        L and k of Boulding's (1962) gradient.

    Returns
    -------
    (R, N, N) float64 array
        1 on the diagonal, falling with distance.

    Notes
    -----
    The replications are processed in blocks written into the one output
    array, so the temporaries (coordinate differences, distances) never exceed
    a few MB, where a single expression over all R would hold about five
    (R, N, N) float64 arrays at once. Every element is computed by the same
    expression as before, so the values are the same bits.
    """
    r, n = position.shape[:2]
    out = np.empty((r, n, n))
    block = max(1, _DISCOUNT_BLOCK_PAIRS // max(1, n * n))
    for start in range(0, r, block):
        pos = position[start : start + block]
        diff = pos[:, :, None, :] - pos[:, None, :, :]
        d = np.sqrt(np.einsum("rijk,rijk->rij", diff, diff))
        with np.errstate(over="ignore"):  # d / reach may overflow to inf: discount 0
            out[start : start + block] = (1.0 + d / reach) ** (-exponent)
    return out


def power_threat(share: FloatArray) -> tuple[IntArray, FloatArray]:
    """Top threat under the power lens: the strongest *other* state.

    Uses the two largest shares of each replication, so it costs O(N), not
    O(N^2). Returns (top_threat, threat_level), each (R, N).
    """
    r, n = share.shape
    s = np.nan_to_num(share)
    order = np.argpartition(-s, kth=min(1, n - 1), axis=1)[:, :2]
    first, second = order[:, 0], order[:, 1]
    swap = s[np.arange(r), second] > s[np.arange(r), first]
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    rows = np.arange(r)
    is_first = np.arange(n)[None, :] == first[:, None]
    top = np.where(is_first, second[:, None], first[:, None])
    level = np.where(is_first, s[rows, second][:, None], s[rows, first][:, None])  # s[top]
    return top.astype(np.int64, copy=False), level


def walt_threat(
    share: FloatArray, discount: FloatArray, intent: FloatArray, aggression_weight: float
) -> tuple[IntArray, FloatArray]:
    """Top threat under Walt's lens. Returns (top_threat, threat_level), each (R, N)."""
    weight = np.nan_to_num(share) * (1.0 + aggression_weight * intent)
    t = discount * weight[:, None, :]
    n = share.shape[1]
    t[:, np.arange(n), np.arange(n)] = -1.0
    top = np.argmax(t, axis=2)
    level = np.take_along_axis(t, top[:, :, None], axis=2)[:, :, 0]
    return top.astype(np.int64), np.maximum(level, 0.0)


def perceive(
    state: SystemState, scenario: Scenario, *, share: FloatArray | None = None
) -> SystemState:
    """Update each state's top threat and its level.

    Dead states get ``top_threat = -1`` and level 0. When only one state is
    alive it has no threat (``-1``, level 0).

    Parameters
    ----------
    state : SystemState
        The system before perception.
    scenario : Scenario
        Supplies the ``threat`` parameters and ``growth.economic_weight``.
    share : (R, N) array, optional
        ``capability_share(state, economic_weight)`` if the caller has it
        already (the engine computes it once per step); computed here otherwise.
        Passing it changes nothing but the cost.

    Returns
    -------
    SystemState
        ``state`` with new ``top_threat`` and ``threat_level``.
    """
    p = scenario.threat
    if share is None:
        share = capability_share(state, scenario.growth.economic_weight)
    top, level = power_threat(share)
    lens = uses_threat_lens(state.strategy, p.perception)
    if lens.any():
        intent = state.aggression * (1.0 - p.aggression_memory)
        w_top, w_level = walt_threat(share, state.distance_discount, intent, p.aggression_weight)
        top = np.where(lens[None, :], w_top, top)
        level = np.where(lens[None, :], w_level, level)
    # the top threat's share: under the power lens alone that is its level
    top_share = np.take_along_axis(share, top, axis=1) if lens.any() else level
    has_threat = state.alive & (top_share > 0)
    return dataclasses.replace(
        state,
        top_threat=np.where(has_threat, top, -1),
        threat_level=np.where(has_threat, level, 0.0),
    )
