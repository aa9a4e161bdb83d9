"""Soft balancing: coordinated sanctions with bounded, fading effects (Pape 2005; Paul 2005).

Balancers (``balance_power``, ``balance_threat`` and ``hedge``) sanction their top threat
once its level (capability share, or threat) reaches
``soft_balancing_threshold``, unless they are allied with it or already at war
with it (war replaces sanctions). Each sender commits to an episode of
geometric length with mean ``episode_length`` steps (draw ``SANCTION``) and
then decides afresh (:func:`decide`). Senders tire: a sender whose episode has
run its course rests for a geometric spell of mean ``fatigue`` steps (draw
``REST``) before it may sanction anyone again, so that sanctions against a
standing threat come in episodes rather than one unbroken embargo (Drezner
1999, the sanctions paradox; senders defect from costly coordination).

The effect is a bounded loss of output *level* while sanctions are in force
(:func:`losses`), recovered when they end: a cost measured as a level is not a
growth penalty that compounds (:mod:`equipoise.rules.growth`). A target ``j``
sanctioned by senders holding output ``S_j`` loses the share

    l_j = max_cost * S_j / (world output - Y_j) * exp(-evasion_rate * years_j)

of its output that step, where ``years_j`` counts the steps it has been
sanctioned without a break: ``max_cost`` is the loss if every other state cut
it off at once, of the order of the gains from trade, a few per cent of output
(Arkolakis, Costinot & Rodriguez-Clare 2012), and more than the typical
episode costs its target (Hufbauer, Schott, Elliott & Oegg 2007); the loss
fades as the target diverts its trade to third parties and sanctions busters
(Early 2015). Senders pay too, for the trade they forgo: in a gravity model
trade between two states is proportional to the product of their outputs
(Tinbergen 1962; Anderson 1979), so a target's loss grows with its senders'
output and a sender's with the target's. Each sender ``i`` loses

    l_i = sender_cost * max_cost * Y_j / (world output - Y_i) * exp(-evasion_rate * years_j),

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
Arkolakis, C., Costinot, A., & Rodriguez-Clare, A. (2012). New trade models,
    same old gains? *American Economic Review*, 102(1), 94-130.
    https://doi.org/10.1257/aer.102.1.94
Drezner, D. W. (1999). *The Sanctions Paradox*. Cambridge University Press.
Early, B. R. (2015). *Busted Sanctions*. Stanford University Press.
Tinbergen, J. (1962). *Shaping the World Economy*. Twentieth Century Fund.
Anderson, J. E. (1979). A theoretical foundation for the gravity equation.
    *American Economic Review*, 69(1), 106-116.
"""

from __future__ import annotations

import math

from numba import njit

from equipoise import rng
from equipoise.rules import treaties
from equipoise.rules.alliances import geometric_lifetime
from equipoise.state import (
    BALANCE_POWER,
    BALANCE_THREAT,
    CLK_REP,
    CLK_STEP,
    HEDGE,
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
        and not treaties.allied(w, i, j)  # nor a defence or offence partner (treaties)
    )


@njit
def decide(w: World, p: Params) -> None:
    """Continue, end or start each balancer's sanctions episode; rested senders only start."""
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    for i in range(p.n_states):
        code = w.strategy[i]
        # Extension point: the strategies that sanction (a hedger sanctions as a balancer does)
        balancer = code == BALANCE_POWER or code == BALANCE_THREAT or code == HEDGE
        if not w.alive[i] or not p.soft or not balancer:
            w.sanctioning[i] = -1
            w.sanction_life[i] = 0
            continue
        j = w.sanctioning[i]
        if j >= 0:
            if w.sanction_life[i] > 1 and _may_sanction(w, i, j):
                w.sanction_life[i] -= 1
                continue
            if w.sanction_life[i] <= 1 and p.fatigue > 0.0:  # the episode ran its course
                u = rng.uniform(p.seed, rep, t, i, rng.REST)
                w.rest[i] = geometric_lifetime(u, p.fatigue)
            w.sanctioning[i] = -1
            w.sanction_life[i] = 0
            continue
        if w.rest[i] > 0:
            w.rest[i] -= 1
            continue
        j = w.threat[i]
        if w.threat_level[i] >= p.soft_threshold and _may_sanction(w, i, j):
            w.sanctioning[i] = j
            u = rng.uniform(p.seed, rep, t, i, rng.SANCTION)
            w.sanction_life[i] = geometric_lifetime(u, p.episode_length)


@njit
def losses(w: World, p: Params) -> None:
    """Set ``w.sanction_loss``: the share of its output level each state loses this step."""
    n = p.n_states
    senders = w.spare
    total = 0.0
    for i in range(n):
        senders[i] = 0.0
        w.sanction_loss[i] = 0.0
        if w.alive[i]:
            total += w.economy[i]
    for i in range(n):
        j = w.sanctioning[i]
        if j >= 0 and w.alive[i]:
            senders[j] += w.economy[i]
    kept = w.spare2  # the share of output each state keeps
    for i in range(n):
        kept[i] = 1.0
    for j in range(n):
        if senders[j] <= 0.0:
            w.sanctioned_for[j] = 0
            continue
        fade = math.exp(-p.evasion_rate * w.sanctioned_for[j])
        w.sanctioned_for[j] += 1
        others = total - w.economy[j]
        lost = p.max_cost * senders[j] / others * fade if others > 0.0 else 0.0
        kept[j] *= 1.0 - min(lost, 1.0)
        for i in range(n):
            if w.sanctioning[i] == j and w.alive[i]:
                rest = total - w.economy[i]
                paid = 0.0
                if rest > 0.0:
                    paid = p.sender_cost * p.max_cost * w.economy[j] / rest * fade
                kept[i] *= 1.0 - min(paid, 1.0)
    for i in range(n):
        w.sanction_loss[i] = 1.0 - kept[i]
