"""Internal balancing: every state sets its arming share from the threat it faces (Waltz 1979).

A state ``i`` (of any strategy but ``none``) measures the hostile military it
faces, projected to its capital by each holder's loss-of-strength gradient
(``g_ji``, Boulding 1962), as the largest of

* the strongest single military outside its bloc, ``max_j M_j g_ji`` (a
  buck-passer, which leaves distant threats to others, counts only the states
  it borders or fights; Mearsheimer 2001);
* the coalition balancing against it, ``sum of M_k g_ki`` over its members --
  so the leader, too, arms against the states that could fight it;
* the states at war with it, ``sum of M_k g_ki``.

Allies substitute for arms (Morrow 1993; Olson & Zeckhauser 1966): the
expected help of its bloc, ``reliability * sum of M_k g_ki`` over its allies,
is subtracted. With treaties (:mod:`equipoise.rules.treaties`) its allies are
its defence and offence partners: they count in that sum and not as threats;
no coalition is counted against it (treaties formed against a state are not
summed as blocs were). The state then aims at the military stock
``arming_response * H - A`` (Richardson's reaction: ``arming_response = 1``
means matching the threat), which needs the arming share
``(exp(g + trend) - 1 + depreciation) * (arming_response * H - A) / Y`` on its
trend path (see :mod:`equipoise.rules.growth`); the target is held within
``[a0, arming_max]``, with ``a0`` the state's peacetime share (``arming_base``
for generated states, the data's for historical ones), and the state moves
``adjustment_speed`` of the way to it each step. Guns are bought within
output, and may cost growth besides (``arming_drag``). ``none`` states, and
every state when internal balancing is off, keep their peacetime share.

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Richardson, L. F. (1960). *Arms and Insecurity*. Boxwood Press.
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
Olson, M., & Zeckhauser, R. (1966). An economic theory of alliances. *Review
    of Economics and Statistics*, 48(3), 266-279. https://doi.org/10.2307/1927082
Morrow, J. D. (1993). Arms versus allies: trade-offs in the search for
    security. *International Organization*, 47(2), 207-233.
    https://doi.org/10.1017/S0020818300027922
Mearsheimer, J. J. (2001). *The Tragedy of Great Power Politics*. Norton.
"""

from __future__ import annotations

from numba import njit

from equipoise.rules import treaties
from equipoise.rules.indexes import (
    clear_bloc_index,
    enemies_of,
    exposure_bound,
    first_in_bloc,
    index_blocs,
    next_in_bloc,
    rank_by_military,
)
from equipoise.state import BUCK_PASS, NONE, IntArray, Params, World

__all__ = ["arm", "hostile_military"]


@njit
def hostile_military(w: World, p: Params, i: int, coalition: float, order: IntArray) -> float:
    """The hostile military H faced by state ``i`` (see the module docstring).

    ``coalition`` is the projected military of the coalition balancing against
    ``i``; ``order`` lists the living states by decreasing military
    (:func:`~equipoise.rules.indexes.rank_by_military`). No state projects to
    i's capital more than the fraction
    :func:`~equipoise.rules.indexes.exposure_bound` of its military, so the
    scan for the strongest projected military stops at the first state whose
    military, so projected, cannot beat the best found: the result is the
    same maximum as a full scan.
    """
    single = 0.0
    at_war = 0.0
    bi = w.bloc[i]
    buck_passer = w.strategy[i] == BUCK_PASS
    if w.enemies[i] > 0:  # the states at war with i: sum of M_k g_ki
        for k in range(enemies_of(w, i, w.foes)):
            j = w.foes[k]
            m = w.military[j] * w.exposure[i, j]
            at_war += m
            if buck_passer:
                single = max(single, m)
    if buck_passer:  # the strongest single military among the states it borders or fights
        for k in range(w.deg[i]):
            j = w.nbr[i, k]
            if w.alive[j] and not _ally(w, p, i, j, bi):
                single = max(single, w.military[j] * w.exposure[i, j])
    else:  # the strongest single military outside its bloc: max_j M_j g_ji
        bound = exposure_bound(w, i)
        for k in range(order.size):
            j = order[k]
            mj = w.military[j]
            if mj * bound <= single:
                break
            if k == SCAN_AFTER and p.treaties:  # allies fill the top: scan every state
                single = _strongest_outside(w, p, i, single)
                break
            # an ally (or i itself) counts as nothing, without a branch on which it is
            m = 0.0 if _ally(w, p, i, j, bi) else mj * w.exposure[i, j]
            single = m if m > single else single
    return max(single, coalition, at_war)


#: States of ``order`` weighed one by one before :func:`hostile_military` turns, with
#: treaties, to a scan of every state (its result is the same maximum).
SCAN_AFTER = 8


@njit
def _ally(w: World, p: Params, i: int, j: int, bi: int) -> bool:
    """Whether ``j`` counts as nothing in ``i``'s hostile military (``bi``: ``i``'s bloc).

    ``i`` itself, a member of its bloc, or with treaties a defence or offence partner.
    """
    if j == i or (bi >= 0 and w.bloc[j] == bi):
        return True
    return p.treaties and treaties.allied(w, i, j)


@njit
def _strongest_outside(w: World, p: Params, i: int, single: float) -> float:
    """``max(single, M_j g_ji)`` over the living states ``j`` that are not ``i``'s allies.

    With treaties a member of a treaty of many states finds its partners at the top of
    the ranking, and the early stop of :func:`hostile_military` comes late or never: a
    scan of the exposure row in state order (contiguous) replaces the walk down the
    ranking (scattered). A maximum depends neither on the order nor on states weighed
    twice, so the result is the walk's.
    """
    bi = w.bloc[i]
    for j in range(w.alive.size):
        if not w.alive[j] or _ally(w, p, i, j, bi):
            continue
        m = w.military[j] * w.exposure[i, j]
        single = m if m > single else single
    return single


@njit
def _bloc_military(w: World, b: int, i: int, skip: int) -> float:
    """``sum of M_k g_ki`` over the living members ``k`` of bloc ``b`` but ``skip``, in order."""
    total = 0.0
    k = first_in_bloc(w, b)
    while k >= 0:
        if k != skip:
            total += w.military[k] * w.exposure[i, k]
        k = next_in_bloc(w, k)
    return total


@njit
def arm(w: World, p: Params) -> None:
    """Update every living state's arming share (see the module docstring)."""
    order = rank_by_military(w) if p.internal else w.ranked[:0]
    index_blocs(w)
    for i in range(p.n_states):
        if not w.alive[i]:
            continue
        # Extension point: the strategies that arm (all but ``none``; a buck-passer counts
        # its threats in hostile_military, a hedger arms as a balancer does)
        if not p.internal or w.strategy[i] == NONE:
            w.arming[i] = w.rest_arming[i]
            continue
        coalition = _bloc_military(w, i, i, -1)  # bloc code i: the coalition against i
        h = hostile_military(w, p, i, coalition, order)
        allies = _bloc_military(w, w.bloc[i], i, i)
        if p.treaties:
            allies += treaties.partner_military(w, p, i)
        need = p.arming_response * h - p.reliability * allies
        floor = w.rest_arming[i]
        target = floor
        if w.economy[i] > 0.0:  # the share that keeps a stock of `need` on the trend path
            target = w.upkeep[i] * need / w.economy[i]
        target = min(max(target, floor), max(p.arming_max, floor))
        w.arming[i] += p.adjustment_speed * (target - w.arming[i])
    clear_bloc_index(w)
