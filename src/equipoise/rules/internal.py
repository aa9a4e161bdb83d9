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
is subtracted. The state then aims at the military stock
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

from equipoise.rules.geography import enemies_of
from equipoise.rules.growth import trend_growth
from equipoise.state import BUCK_PASS, NONE, IntArray, Params, World

__all__ = ["arm", "hostile_military"]


@njit
def hostile_military(w: World, p: Params, i: int, coalition: float, order: IntArray) -> float:
    """The hostile military H faced by state ``i`` (see the module docstring).

    ``order`` lists the living states by decreasing military. No state projects
    to i's capital more than the fraction ``w.exposed[i]`` of its military, so
    the scan for the strongest projected military stops at the first state whose
    military, so projected, cannot beat the best found: the result is the same
    maximum as a full scan.
    """
    single = 0.0
    at_war = 0.0
    bi = w.bloc[i]
    buck_passer = w.strategy[i] == BUCK_PASS
    bound = w.exposed[i]
    if w.enemies[i] > 0:
        for k in range(enemies_of(w, i, w.foes)):
            j = w.foes[k]
            m = w.military[j] * w.exposure[i, j]
            at_war += m
            if buck_passer:
                single = max(single, m)
    if buck_passer:
        for k in range(w.deg[i]):
            j = w.nbr[i, k]
            if w.alive[j] and not (bi >= 0 and w.bloc[j] == bi):
                single = max(single, w.military[j] * w.exposure[i, j])
    else:
        for k in range(order.size):
            j = order[k]
            mj = w.military[j]
            if mj * bound <= single:
                break
            # an ally (or i itself) counts as nothing, without a branch on which it is
            ally = j == i or (bi >= 0 and w.bloc[j] == bi)
            m = 0.0 if ally else mj * w.exposure[i, j]
            single = m if m > single else single
    return max(single, coalition, at_war)


@njit
def _stronger(w: World, j: int, mj: float, k: int) -> bool:
    """Whether ``j`` (military ``mj``) ranks before ``k``: stronger, or as strong and lower."""
    mk = w.military[k]
    return mj > mk or (mj == mk and j < k)


@njit
def arm(w: World, p: Params) -> None:
    """Update every living state's arming share (see the module docstring)."""
    n = p.n_states
    coalition = w.spare
    for i in range(n):
        coalition[i] = 0.0
    for k in range(n):
        b = w.bloc[k]
        if w.alive[k] and 0 <= b < n:
            coalition[b] += w.military[k] * w.exposure[b, k]
    # the living states by military, strongest first, ties in state order. Militaries move
    # little from one step to the next, so last step's ranking re-sorted by insertion is
    # close to O(N) work; the order (a total one) is what a stable sort of all states gives
    m = 0
    if p.internal:
        ranked = w.ranked
        for k in range(w.n_ranked[0]):
            j = ranked[k]
            if w.alive[j]:
                ranked[m] = j
                m += 1
        for k in range(1, m):
            j = ranked[k]
            mj = w.military[j]
            b = k
            while b > 0 and _stronger(w, j, mj, ranked[b - 1]):
                ranked[b] = ranked[b - 1]
                b -= 1
            ranked[b] = j
        w.n_ranked[0] = m
    order = w.ranked[:m]
    # each bloc's living members as a list in increasing order, so that an ally's sum visits
    # its bloc, not every state (and adds in the same order as a scan of all states would)
    first, after = w.first_member, w.next_member
    for k in range(n - 1, -1, -1):
        b = w.bloc[k]
        if w.alive[k] and b >= 0:
            after[k] = first[b]
            first[b] = k
    for i in range(n):
        if not w.alive[i]:
            continue
        if not p.internal or w.strategy[i] == NONE:
            w.arming[i] = w.rest_arming[i]
            continue
        h = hostile_military(w, p, i, coalition[i], order)
        allies = 0.0
        bi = w.bloc[i]
        if bi >= 0:
            k = first[bi]
            while k >= 0:
                if k != i:
                    allies += w.military[k] * w.exposure[i, k]
                k = after[k]
        need = p.arming_response * h - p.reliability * allies
        floor = w.rest_arming[i]
        target = floor
        if w.economy[i] > 0.0:  # the share that keeps a stock of `need` on the trend path
            target = (trend_growth(p, w.trend[i]) - 1.0 + p.depreciation) * need / w.economy[i]
        target = min(max(target, floor), max(p.arming_max, floor))
        w.arming[i] += p.adjustment_speed * (target - w.arming[i])
    for k in range(n):
        b = w.bloc[k]
        if b >= 0:
            first[b] = -1
