"""Territory: fronts between states, conquest of provinces, and state collapse.

After Cederman's GeoSim (1997; 2003):

* **Fronts.** Two states share a front when one of their provinces is adjacent
  to one of the other's. Its length is the number of adjacent province
  pairs, and its distance from each side's capital the distance to the
  nearest province of that side on the front. Both are kept up to date as
  provinces change hands (:func:`equipoise.rules.indexes.transfer`,
  :func:`equipoise.rules.indexes.refresh_fronts`).
* **Projection.** Power projected to distance ``d`` from the capital keeps
  the fraction ``(1 + d / L) ** -k`` of its strength (Boulding's 1962
  loss-of-strength gradient; :func:`gradient`), with ``L`` the state's reach
  (which technology lengthens) and ``k`` the gradient exponent.
* **Conquest.** The winner of a battle takes one province of the loser on
  their front, drawn uniformly among the loser's provinces adjacent to the
  winner (a "battle path"; draw ``PATH``); on a map with seas, adjacent by
  land if any land edge joins the two, across water only if none does. If it
  is the loser's capital, the loser collapses (:func:`collapse`). Otherwise
  the loser's provinces that are no longer connected to its capital are lost
  to the winner too (:func:`conquer`): cut off from the capital they cannot
  be held, and every component cut off is adjacent to the taken province, so
  the winner stays contiguous. Every living state therefore always holds a connected territory
  containing its capital.
* **Collapse.** A state whose capital falls leaves the system (state death,
  Fazal 2007). Its provinces are shared out among the states at war with it
  that border it: each province goes to the nearest such state through the
  collapsed territory (a breadth-first search from their borders, the state
  that took the capital winning ties, then the lower index), so every share
  is contiguous with its new owner -- a partition among the victors, in which
  allies who fought share the spoils (Schweller 1994).
* **The territorial integrity norm** (``war.integrity_norm_step``; Zacher
  2001). From that step on no capital is taken: a battle won against a state
  whose only province on the front is its capital takes nothing, so no state
  dies by conquest, while the rest of its territory can still change hands.
  Fazal (2007) finds violent state death all but ended after 1945, when the
  norm took hold (in COW, 1 of the 33 exits by conquest after 1816 falls after
  1945: South Vietnam, 1975); historical scenarios set the step of 1946
  (:func:`equipoise.history.scenario_from_history`), generated ones have none.

References
----------
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
Cederman, L.-E. (1997). *Emergent Actors in World Politics*. Princeton UP.
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *APSR*, 97(1), 135-150. https://doi.org/10.1017/S0003055403000571
Fazal, T. M. (2007). *State Death*. Princeton University Press.
Zacher, M. W. (2001). The territorial integrity norm: international boundaries
    and the use of force. *International Organization*, 55(2), 215-250.
    https://doi.org/10.1162/00208180151140568
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
"""

from __future__ import annotations

import numpy as np
from numba import njit

from equipoise import rng
from equipoise.rules import treaties
from equipoise.rules.indexes import (
    bound_exposure,
    close_hostility,
    front_provinces,
    hostile_pair,
    partner,
    provinces_of,
    refresh_fronts,
    transfer,
)
from equipoise.state import CAMP, CLK_DEATHS, CLK_REP, CLK_STEP, W_PAIRS, Params, World

__all__ = [
    "collapse",
    "conquer",
    "gradient",
    "kill",
    "refresh_exposure",
    "refresh_fronts",  # kept in its old home: benchmarks/profile_kernel.py imports it from here
]


@njit
def gradient(distance: float, reach: float, exponent: float) -> float:
    """Boulding's loss-of-strength gradient ``(1 + d / L) ** -k``.

    Examples
    --------
    >>> round(gradient(5.0, 5.0, 1.0), 3)
    0.5
    """
    base = 1.0 + distance / reach
    if exponent == 1.0:
        return 1.0 / base
    return base ** (-exponent)


@njit
def refresh_exposure(w: World, p: Params, j: int) -> None:
    """Recompute column ``j`` of ``w.exposure``: the fraction of j's power reaching each capital.

    ``g_ji``, the :func:`gradient` at the distance between the capitals under
    j's reach ``L_j``.
    """
    reach = w.reach[j]
    for i in range(p.n_states):  # row j of the distances, read in order (they are symmetric)
        e = gradient(w.capital_dist[j, i], reach, p.gradient_exponent)
        w.exposure[i, j] = e
        bound_exposure(w, i, j, e)


@njit
def _next_stamp(w: World) -> int:
    w.stamp[0] += 1
    return w.stamp[0]


@njit
def conquer(w: World, p: Params, winner: int, loser: int) -> int:
    """The winner of a battle takes a province of the loser; returns provinces that changed hands.

    Returns 0 when the two no longer share a front (an earlier battle of the
    same step moved it). A captured capital collapses the loser.
    """
    count = 0
    by_sea = w.land[winner, loser] == 0  # across water only if no land edge joins them
    held = front_provinces(w, loser, w.listed)  # only these can border the winner
    t = w.clock[CLK_STEP]
    spared = w.capital[loser] if 0 <= p.integrity_step <= t else -1  # the norm (docstring)
    for m in range(held):
        q = w.listed[m]
        if q == spared:
            continue
        borders = False  # without early exits: which neighbour borders is unpredictable
        for e in range(w.indptr[q], w.indptr[q + 1]):
            # a sea edge counts only across water (sea <= by_sea: without a branch)
            borders |= (w.owner[w.indices[e]] == winner) & (w.sea[e] <= by_sea)
        w.queue[count] = q
        count += 1 if borders else 0
    if count == 0:
        return 0
    u = rng.uniform(p.seed, w.clock[CLK_REP], t, winner * p.n_states + loser, rng.PATH)
    k = int(u * count)
    if k >= count:  # pragma: no cover - u < 1
        k = count - 1
    taken = w.queue[k]
    transfer(w, p, taken, winner)
    moved = 1
    if taken == w.capital[loser]:
        return moved + collapse(w, p, loser, winner)
    # provinces cut off from the loser's capital fall to the winner; a province with at
    # most one neighbour left to the loser cannot have joined two of its parts
    around = 0
    for e in range(w.indptr[taken], w.indptr[taken + 1]):
        if w.owner[w.indices[e]] == loser:
            around += 1
    if around <= 1:
        return moved
    return moved + _cut_off(w, p, taken, winner, loser)


@njit
def _group(parent: np.ndarray, g: int) -> int:
    """The root of part ``g`` in the union-find ``parent`` (paths halved on the way)."""
    while parent[g] != g:
        parent[g] = parent[parent[g]]
        g = parent[g]
    return g


@njit
def _cut_off(w: World, p: Params, taken: int, winner: int, loser: int) -> int:
    """The loser's provinces cut off from its capital by the loss of ``taken`` go to the winner.

    Returns how many provinces moved. Every part of the loser's territory that the loss
    of ``taken`` cut off holds one of the loser's provinces around ``taken``. A
    breadth-first search runs from all of those at once, each labelled with its part
    (``w.claim``); parts whose searches meet are joined (a union-find in ``w.parts``).
    The search stops as soon as the parts still growing are one (the others, complete,
    are cut off), or, once the capital's part is complete, when the other parts are
    complete too (all of them are cut off). It thus costs about the size of the parts
    that move, not of the whole territory. The provinces that move are those the search
    reached outside the capital's part: a territory already in pieces before the battle
    (an entrant's land can split its holder's) keeps the pieces the search did not
    reach, which ``taken`` did not join to the capital. They move in increasing order.
    """
    parent = w.parts[0]
    waiting = w.parts[1]  # provinces of the part queued and not yet searched from
    state = w.parts[2]  # 1: holds the capital; 2: complete (no province waiting)
    capital = w.capital[loser]
    stamp = _next_stamp(w)
    tail = 0
    for e in range(w.indptr[taken], w.indptr[taken + 1]):
        r = w.indices[e]
        if w.owner[r] == loser and w.mark[r] != stamp:
            w.mark[r] = stamp
            w.claim[r] = tail
            parent[tail] = tail
            waiting[tail] = 1
            state[tail] = 1 if r == capital else 0
            w.queue[tail] = r
            tail += 1
    growing = tail
    complete = 0
    capital_complete = False
    head = 0
    while growing > 1 or (capital_complete and head < tail):
        q = w.queue[head]
        head += 1
        g = _group(parent, w.claim[q])
        for e in range(w.indptr[q], w.indptr[q + 1]):
            r = w.indices[e]
            if w.owner[r] != loser:
                continue
            if w.mark[r] != stamp:
                w.mark[r] = stamp
                w.claim[r] = g
                waiting[g] += 1
                if r == capital:
                    state[g] |= 1
                w.queue[tail] = r
                tail += 1
                continue
            h = _group(parent, w.claim[r])
            if h != g:  # two searches meet: one part (a complete part meets no other)
                parent[h] = g
                waiting[g] += waiting[h]
                state[g] |= state[h]
                growing -= 1
        waiting[g] -= 1
        if waiting[g] == 0:
            state[g] |= 2
            growing -= 1
            complete += 1
            if state[g] & 1:  # the rest is cut off: search it to its end
                capital_complete = True
    if complete == 0:
        return 0
    moved = 0
    held = provinces_of(w, loser, w.listed)
    for m in range(held):
        q = w.listed[m]
        if capital_complete:  # all the parts reached but the capital's are cut off
            lost = w.mark[q] == stamp and state[_group(parent, w.claim[q])] & 1 == 0
        else:  # the one part still growing holds the capital: the complete parts are cut off
            lost = w.mark[q] == stamp and state[_group(parent, w.claim[q])] == 2
        if lost:
            transfer(w, p, q, winner)
            moved += 1
    return moved


@njit
def collapse(w: World, p: Params, loser: int, taker: int) -> int:
    """State ``loser`` has lost its capital to ``taker``: share out its provinces and remove it.

    Returns the number of provinces shared out (the capital itself not counted).
    """
    tail = 0
    held = provinces_of(w, loser, w.listed)
    for m in range(held):
        q = w.listed[m]
        best = -1
        for e in range(w.indptr[q], w.indptr[q + 1]):
            j = w.owner[w.indices[e]]
            if j == loser or not (j == taker or w.hostile[loser, j]):
                continue
            if best < 0 or j == taker or (best != taker and j < best):
                best = j
        if best >= 0:
            w.queue[tail] = q
            w.claim[q] = best
            tail += 1
    for k in range(tail):
        q = w.queue[k]
        transfer(w, p, q, w.claim[q])
    moved = tail
    head = 0
    while head < tail:
        q = w.queue[head]
        head += 1
        for e in range(w.indptr[q], w.indptr[q + 1]):
            r = w.indices[e]
            if w.owner[r] == loser:
                transfer(w, p, r, w.owner[q])
                w.queue[tail] = r
                tail += 1
                moved += 1
    kill(w, p, loser)
    return moved


@njit
def kill(w: World, p: Params, i: int) -> None:
    """Remove state ``i``: no military, alliances, pacts, sanctions or hostilities remain."""
    n = p.n_states
    treaties.dissolve(w, p, i, w.clock[CLK_STEP])
    w.alive[i] = False
    w.military[i] = 0.0
    w.arming[i] = 0.0
    w.bloc[i] = -1
    w.bloc_life[i] = 0
    w.sanctioning[i] = -1
    w.sanction_life[i] = 0
    w.threat[i] = -1
    for k in range(n):
        if w.bloc[k] == i or w.bloc[k] == CAMP * n + i:
            w.bloc[k] = -1  # the coalition against i, or i's camp, dissolves
            w.bloc_life[k] = 0
        if w.sanctioning[k] == i:
            w.sanctioning[k] = -1
            w.sanction_life[k] = 0
    # hostilities with i end
    k = 0
    while k < w.n_pairs[0]:
        if partner(w, k, i) >= 0:
            _pair_ended(w, hostile_pair(w, k)[0])
            close_hostility(w, k)
        else:
            k += 1
    w.clock[CLK_DEATHS] += 1


@njit
def _pair_ended(w: World, a: int) -> None:
    """One fewer hostile pair in the war of state ``a``."""
    c = w.war_of[a]
    if c >= 0:
        w.war_table[c, W_PAIRS] -= 1.0
