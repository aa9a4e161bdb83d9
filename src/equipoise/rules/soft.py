"""Soft balancing: coordinated sanctions with bounded effects (Pape 2005; Paul 2005).

Balancers (``balance_power`` and ``balance_threat``) sanction their top threat
once its level (capability share, or threat) reaches
``soft_balancing_threshold``, unless they are allied with it or already at war
with it (war replaces sanctions). Each sender commits to an episode of
geometric length with mean ``episode_length`` steps (draw ``SANCTION``) and
then decides afresh (:func:`decide`).

The effect is bounded (:func:`losses`). A target ``j`` sanctioned by senders
holding output ``S_j`` loses the fraction

    l_j = max_cost * S_j / (world output - Y_j)

of its output that step: ``max_cost`` if every other state sanctions it, less
if fewer do. Sanctions episodes in Hufbauer, Schott, Elliott & Oegg (2007)
cost their targets on the order of one per cent of GNP a year, mostly less,
so the default ``max_cost = 0.01`` is half the default growth rate: sanctions
slow the leader, they do not shrink it. Senders pay too, for the trade they
forgo: in a gravity model trade between two states is proportional to the
product of their outputs (Tinbergen 1962; Anderson 1979), so a target's loss
grows with its senders' output and a sender's with the target's. Each sender
``i`` loses

    l_i = sender_cost * max_cost * Y_j / (world output - Y_i),

at most ``sender_cost * max_cost``; the senders' combined loss is then about
``sender_cost`` times the target's.

References
----------
Pape, R. A. (2005). Soft balancing against the United States. *International
    Security*, 30(1), 7-45. https://doi.org/10.1162/0162288054894607
Paul, T. V. (2005). Soft balancing in the age of U.S. primacy. *International
    Security*, 30(1), 46-71. https://doi.org/10.1162/0162288054894652
Hufbauer, G. C., Schott, J. J., Elliott, K. A., & Oegg, B. (2007). *Economic
    Sanctions Reconsidered* (3rd ed.). Peterson Institute for International
    Economics.
Tinbergen, J. (1962). *Shaping the World Economy*. Twentieth Century Fund.
Anderson, J. E. (1979). A theoretical foundation for the gravity equation.
    *American Economic Review*, 69(1), 106-116.
"""

from __future__ import annotations

from numba import njit

from equipoise import rng
from equipoise.rules.alliances import geometric_lifetime
from equipoise.state import (
    BALANCE_POWER,
    BALANCE_THREAT,
    CLK_REP,
    CLK_STEP,
    FloatArray,
    Params,
    World,
)

__all__ = ["decide", "losses"]


@njit
def _may_sanction(w: World, i: int, j: int) -> bool:
    return (
        j >= 0
        and w.alive[j]
        and not w.hostile[i, j]
        and not (w.bloc[i] >= 0 and w.bloc[i] == w.bloc[j])
    )


@njit
def decide(w: World, p: Params) -> None:
    """Continue, end or start each balancer's sanctions episode."""
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    for i in range(p.n_states):
        code = w.strategy[i]
        if not w.alive[i] or not p.soft or not (code == BALANCE_POWER or code == BALANCE_THREAT):
            w.sanctioning[i] = -1
            w.sanction_life[i] = 0
            continue
        j = w.sanctioning[i]
        if j >= 0:
            if w.sanction_life[i] > 1 and _may_sanction(w, i, j):
                w.sanction_life[i] -= 1
                continue
            w.sanctioning[i] = -1
            w.sanction_life[i] = 0
        j = w.threat[i]
        if w.threat_level[i] >= p.soft_threshold and _may_sanction(w, i, j):
            w.sanctioning[i] = j
            u = rng.uniform(p.seed, rep, t, i, rng.SANCTION)
            w.sanction_life[i] = geometric_lifetime(u, p.episode_length)


@njit
def losses(w: World, p: Params, keep: FloatArray) -> None:
    """Multiply ``keep`` (N,) by the output each state keeps after this step's sanctions."""
    n = p.n_states
    senders = w.spare
    total = 0.0
    for i in range(n):
        senders[i] = 0.0
        if w.alive[i]:
            total += w.economy[i]
    for i in range(n):
        j = w.sanctioning[i]
        if j >= 0 and w.alive[i]:
            senders[j] += w.economy[i]
    for j in range(n):
        if senders[j] <= 0.0:
            continue
        others = total - w.economy[j]
        lost = p.max_cost * senders[j] / others if others > 0.0 else 0.0
        keep[j] *= 1.0 - lost
        for i in range(n):
            if w.sanctioning[i] == j and w.alive[i]:
                rest = total - w.economy[i]
                paid = p.sender_cost * p.max_cost * w.economy[j] / rest if rest > 0.0 else 0.0
                keep[i] *= 1.0 - min(paid, 1.0)
