"""Territory: fronts between states, conquest of provinces, and state collapse.

After Cederman's GeoSim (1997; 2003):

* **Fronts.** Two states share a front when one of their provinces is adjacent
  to one of the other's. The length of every front (adjacent province pairs)
  is kept up to date as provinces change hands (:func:`transfer`), and so is
  its distance from each side's capital (to the nearest province of that side
  on the front; :func:`refresh_fronts`).
* **Projection.** Power projected to distance ``d`` from the capital keeps
  the fraction ``(1 + d / L) ** -k`` of its strength (Boulding's 1962
  loss-of-strength gradient; :func:`gradient`), with ``L`` the state's reach
  (which technology lengthens) and ``k`` the gradient exponent.
* **Conquest.** The winner of a battle takes one province of the loser on
  their front, drawn uniformly among the loser's provinces adjacent to the
  winner (a "battle path"; draw ``PATH``). If it is the loser's capital, the
  loser collapses (:func:`collapse`). Otherwise the loser's provinces that are
  no longer connected to its capital are lost to the winner too
  (:func:`conquer`): cut off from the capital they cannot be held, and every
  component cut off is adjacent to the taken province, so the winner stays
  contiguous. Every living state therefore always holds a connected territory
  containing its capital.
* **Collapse.** A state whose capital falls leaves the system (state death,
  Fazal 2007). Its provinces are shared out among the states at war with it
  that border it: each province goes to the nearest such state through the
  collapsed territory (a breadth-first search from their borders, the state
  that took the capital winning ties, then the lower index), so every share
  is contiguous with its new owner -- a partition among the victors, in which
  allies who fought share the spoils (Schweller 1994).

References
----------
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
Cederman, L.-E. (1997). *Emergent Actors in World Politics*. Princeton UP.
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *APSR*, 97(1), 135-150. https://doi.org/10.1017/S0003055403000571
Fazal, T. M. (2007). *State Death*. Princeton University Press.
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.cpython.unsafe.numbers import trailing_zeros

from equipoise import rng
from equipoise.state import CAMP, CLK_DEATHS, CLK_REP, CLK_STEP, W_PAIRS, Params, World

__all__ = [
    "build_territory",
    "capital_distances",
    "collapse",
    "conquer",
    "enemies_of",
    "gradient",
    "kill",
    "partner",
    "provinces_of",
    "refresh_exposure",
    "refresh_fronts",
    "refresh_state",
    "sole_enemy",
    "transfer",
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
def _add_bit(row: np.ndarray, q: int) -> None:
    """Put province ``q`` into the bit set ``row``."""
    row[q >> 6] |= np.uint64(1) << np.uint64(q & 63)


@njit
def _drop_bit(row: np.ndarray, q: int) -> None:
    """Take province ``q`` out of the bit set ``row``."""
    row[q >> 6] &= ~(np.uint64(1) << np.uint64(q & 63))


@njit
def _listed(row: np.ndarray, out: np.ndarray) -> int:
    """Write the provinces of the bit set ``row`` into ``out`` in increasing order; return how many.

    Reads the set a 64-bit word at a time (the lowest set bit by a count of
    trailing zeros), so it costs O(P / 64 + provinces listed).
    """
    count = 0
    for k in range(row.size):
        word = row[k]
        while word != 0:
            out[count] = k * 64 + int(trailing_zeros(word))  # type: ignore[call-arg]
            count += 1
            word &= word - np.uint64(1)
    return count


@njit
def provinces_of(w: World, i: int, out: np.ndarray) -> int:
    """Write state ``i``'s provinces into ``out`` in increasing order; return how many.

    Reads the bit set ``w.members[i]``, so it costs O(P / 64 + provinces of i)
    rather than a scan of every province of the map.
    """
    return _listed(w.members[i], out)


@njit
def capital_distances(w: World, p: Params) -> None:
    """Fill ``w.capital_dist`` with the distances between the states' capitals."""
    for j in range(p.n_states):
        cj = w.capital[j]
        xj, yj = w.pxy[cj, 0], w.pxy[cj, 1]
        for i in range(p.n_states):
            ci = w.capital[i]
            dx = w.pxy[ci, 0] - xj
            dy = w.pxy[ci, 1] - yj
            w.capital_dist[i, j] = math.sqrt(dx * dx + dy * dy)


@njit
def refresh_exposure(w: World, p: Params, j: int) -> None:
    """Recompute column ``j`` of ``w.exposure``: the fraction of j's power reaching each capital."""
    reach = w.reach[j]
    for i in range(p.n_states):  # without branches (the distances are symmetric)
        e = gradient(w.capital_dist[j, i], reach, p.gradient_exponent)
        w.exposure[i, j] = e
        bound = w.exposed[i]
        w.exposed[i] = e if (e > bound and i != j) else bound


@njit
def build_territory(w: World, p: Params) -> None:
    """Count provinces, outputs and borders from scratch (the initial state), then the fronts."""
    n = p.n_states
    for i in range(n):
        for k in range(w.deg[i]):
            w.border[i, w.nbr[i, k]] = 0
        w.deg[i] = 0
        w.provinces[i] = 0
        w.dirty[i] = True
        w.regrouped[i] = True
        w.stale[i] = True
        for k in range(w.members.shape[1]):
            w.members[i, k] = 0
            w.edge[i, k] = 0
    for q in range(w.owner.size):
        i = w.owner[q]
        w.provinces[i] += 1
        _add_bit(w.members[i], q)
        foreign = 0
        for e in range(w.indptr[q], w.indptr[q + 1]):
            j = w.owner[w.indices[e]]
            if j != i:
                _border_add(w, i, j, 1)
                foreign += 1
        w.foreign[q] = foreign
        if foreign > 0:
            _add_bit(w.edge[i], q)
        w.home_dist[q] = _home_dist(w, q, i)
    refresh_fronts(w, p)


@njit
def _border_add(w: World, i: int, j: int, delta: int) -> None:
    """Change the count of adjacent province pairs of i facing j; keep i's list of fronts."""
    before = w.border[i, j]
    after = before + delta
    w.border[i, j] = after
    if before == 0 and after > 0:
        w.nbr[i, w.deg[i]] = j
        w.deg[i] += 1
        w.front_dist[i, j] = np.inf
    elif before > 0 and after == 0:
        k = 0
        while w.nbr[i, k] != j:
            k += 1
        for m in range(k, w.deg[i] - 1):
            w.nbr[i, m] = w.nbr[i, m + 1]
        w.deg[i] -= 1


@njit
def transfer(w: World, p: Params, q: int, b: int) -> None:
    """Province ``q`` passes to state ``b`` with its output; borders are updated at once.

    So are the front distances that can only shrink (the fronts that gain q or
    a neighbour of q). A front that loses the province nearest to its state's
    capital may grow: that state is marked ``stale``. The states whose
    territory or fronts changed (the two owners and the owners of q's
    neighbours) are marked ``dirty``; :func:`refresh_fronts` brings their
    outputs, and the front distances of the stale ones, up to date.
    """
    a = w.owner[q]
    foreign = 0
    was = w.home_dist[q]  # q's distance from a's capital
    now = _home_dist(w, q, b)
    for e in range(w.indptr[q], w.indptr[q + 1]):
        r = w.indices[e]
        c = w.owner[r]
        if c != a:
            _border_add(w, a, c, -1)
            _border_add(w, c, a, -1)
            # the a-c front loses q, the c-a front may lose r: if either was the nearest,
            # the front's distance may grow, and only a rescan can tell
            if was <= w.front_dist[a, c]:
                w.stale[a] = True
            if w.home_dist[r] <= w.front_dist[c, a] and not _borders_besides(w, r, a, q):
                w.stale[c] = True
        if c != b:
            _border_add(w, b, c, 1)
            _border_add(w, c, b, 1)
            foreign += 1
            # the b-c front gains q and the c-b front r: a distance can only shrink
            if now < w.front_dist[b, c]:
                w.front_dist[b, c] = now
            if w.home_dist[r] < w.front_dist[c, b]:
                w.front_dist[c, b] = w.home_dist[r]
        # q was foreign to its neighbour r unless r was a's; now unless r is b's
        if c == b and c != a:
            w.foreign[r] -= 1
            if w.foreign[r] == 0:
                _drop_bit(w.edge[c], r)
        elif c == a and c != b:
            w.foreign[r] += 1
            if w.foreign[r] == 1:
                _add_bit(w.edge[c], r)
        w.dirty[c] = True
    _drop_bit(w.edge[a], q)
    w.foreign[q] = foreign
    if foreign > 0:
        _add_bit(w.edge[b], q)
    value = w.output[q] * w.level[a]
    w.owner[q] = b
    _drop_bit(w.members[a], q)
    _add_bit(w.members[b], q)
    w.provinces[a] -= 1
    w.provinces[b] += 1
    w.home_dist[q] = now
    # a conqueror whose growth index has fallen to 0 (it paid all its output in sanctions)
    # has no output anywhere, and the province none in its hands
    w.output[q] = value / w.level[b] if w.level[b] > 0.0 else 0.0
    w.dirty[a] = True
    w.dirty[b] = True
    w.regrouped[a] = True
    w.regrouped[b] = True


@njit
def _borders_besides(w: World, r: int, a: int, q: int) -> bool:
    """Whether province ``r`` has a neighbour held by ``a`` other than province ``q``."""
    for e in range(w.indptr[r], w.indptr[r + 1]):
        s = w.indices[e]
        if s != q and w.owner[s] == a:
            return True
    return False


@njit
def _home_dist(w: World, q: int, i: int) -> float:
    """Distance from province ``q`` to state ``i``'s capital (province centres, Euclidean)."""
    c = w.capital[i]
    dx = w.pxy[q, 0] - w.pxy[c, 0]
    dy = w.pxy[q, 1] - w.pxy[c, 1]
    return math.sqrt(dx * dx + dy * dy)


@njit
def refresh_fronts(w: World, p: Params) -> None:
    """Recompute the front distances, summed outputs and outputs of the ``dirty`` states.

    The distance of a front from a state's capital is the distance to the
    nearest of its provinces on that front (province centres, Euclidean, in
    lattice units).
    """
    for i in range(p.n_states):
        if w.dirty[i]:
            refresh_state(w, i)


@njit
def refresh_state(w: World, i: int) -> None:
    """Bring state ``i``'s fronts and output up to date if it is ``dirty``.

    As :func:`refresh_fronts` does for every dirty state; the others are left as they are.
    Its outputs are summed anew if it gained or lost provinces (``regrouped``),
    its fronts measured anew from its provinces on a front if one of them may
    have lost its nearest province (``stale``); the other front distances were
    kept by :func:`transfer`.
    """
    if not w.dirty[i]:
        return
    if w.regrouped[i]:  # provinces gained or lost: their outputs summed anew, in order
        held = 0.0
        row = w.members[i]
        for word_index in range(row.size):
            word = row[word_index]
            while word != 0:
                held += w.output[word_index * 64 + int(trailing_zeros(word))]  # type: ignore[call-arg]
                word &= word - np.uint64(1)
        w.held[i] = held
        w.regrouped[i] = False
    if w.stale[i]:  # a front may have lost its nearest province: all fronts measured anew
        for k in range(w.deg[i]):
            w.front_dist[i, w.nbr[i, k]] = np.inf
        row = w.edge[i]
        for word_index in range(row.size):
            word = row[word_index]
            while word != 0:
                q = word_index * 64 + int(trailing_zeros(word))  # type: ignore[call-arg]
                word &= word - np.uint64(1)
                dist = w.home_dist[q]
                for e in range(w.indptr[q], w.indptr[q + 1]):
                    # without a branch on the neighbour's owner (their mix is unpredictable):
                    # the entry (i, i) this also writes is set back below
                    j = w.owner[w.indices[e]]
                    now = w.front_dist[i, j]
                    w.front_dist[i, j] = dist if dist < now else now
        w.front_dist[i, i] = np.inf
        w.stale[i] = False
    w.economy[i] = w.level[i] * w.held[i] * (1.0 - w.sanction_loss[i]) if w.alive[i] else 0.0
    w.dirty[i] = False


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
    held = _listed(w.edge[loser], w.listed)  # only provinces on a front can border the winner
    for m in range(held):
        q = w.listed[m]
        borders = False  # without early exits: which neighbour borders is unpredictable
        for e in range(w.indptr[q], w.indptr[q + 1]):
            borders |= w.owner[w.indices[e]] == winner
        w.queue[count] = q
        count += 1 if borders else 0
    if count == 0:
        return 0
    t = w.clock[CLK_STEP]
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

    Returns how many provinces moved. The loser's territory was connected, so
    every part of it left without ``taken`` holds one of the loser's provinces
    around ``taken``. A breadth-first search runs from all of those at once,
    each labelled with its part (``w.claim``); parts whose searches meet are
    joined (a union-find in ``w.parts``). The search stops as soon as the parts
    still growing are one (the others, complete, are cut off) or the capital's
    part is complete (all the others are cut off). It thus costs about the size
    of the smaller parts, not of the whole territory, and finds exactly the
    provinces no longer connected to the capital; they move in increasing
    order, as a search from the capital would move them.
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
    while growing > 1:
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
            if state[g] & 1:
                capital_complete = True
                break
    if complete == 0:
        return 0
    moved = 0
    held = provinces_of(w, loser, w.listed)
    for m in range(held):
        q = w.listed[m]
        if capital_complete:  # all but the capital's part is cut off
            lost = w.mark[q] != stamp or state[_group(parent, w.claim[q])] & 1 == 0
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
    """Remove state ``i``: no military, alliances, sanctions or hostilities remain."""
    n = p.n_states
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
    kept = 0
    for k in range(w.n_pairs[0]):
        code = w.pairs[k]
        a, b = code // n, code % n
        if a == i or b == i:
            w.hostile[a, b] = False
            w.hostile[b, a] = False
            w.enemies[a] -= 1
            w.enemies[b] -= 1
            _pair_ended(w, a)
        else:
            w.pairs[kept] = code
            kept += 1
    w.n_pairs[0] = kept
    w.clock[CLK_DEATHS] += 1


@njit
def partner(w: World, k: int, i: int) -> int:
    """The other state of hostile pair number ``k`` if ``i`` is one of the two, else -1."""
    n = w.strategy.size
    code = w.pairs[k]
    a, b = code // n, code % n
    return b if a == i else (a if b == i else -1)


@njit
def enemies_of(w: World, i: int, out: np.ndarray) -> int:
    """Write the states at war with ``i`` into ``out`` in increasing order; return how many.

    Read from the list of hostile pairs (living states only), so it costs the
    number of pairs rather than a scan of every state; the order is the order
    of such a scan, so sums over the enemies add in the same order.
    """
    count = 0
    for k in range(w.n_pairs[0]):
        j = partner(w, k, i)
        if j < 0:
            continue
        m = count
        while m > 0 and out[m - 1] > j:
            out[m] = out[m - 1]
            m -= 1
        out[m] = j
        count += 1
    return count


@njit
def sole_enemy(w: World, i: int) -> int:
    """The one state at war with ``i`` (when ``w.enemies[i] == 1``), from the list of hostile pairs.

    Costs the number of hostile pairs, not the number of states, and needs no
    buffer (unlike :func:`enemies_of`), so it can be used inside a loop over one.
    """
    for k in range(w.n_pairs[0]):
        j = partner(w, k, i)
        if j >= 0:
            return j
    return -1


@njit
def _pair_ended(w: World, a: int) -> None:
    """One fewer hostile pair in the war of state ``a``."""
    c = w.war_of[a]
    if c >= 0:
        w.war_table[c, W_PAIRS] -= 1.0
