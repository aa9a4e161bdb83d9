"""The indexes the rules read (fronts, rankings, bloc and enemy lists), kept apart from the rules.

The rules of :mod:`equipoise.rules` are written as their formulas: the
strongest military outside a bloc, the summed militaries of a state's allies,
a front's distance from a capital, the states at war with a state. Read from
the World's primary state alone (who owns each province, each state's bloc
and military, the hostile pairs) each would be a scan of every state or every
province. The kernel therefore keeps indexes from which a rule reads them at
about the cost of the answer, the way JAX MD keeps its neighbour lists
(``partition``) apart from the energy functions that use them. This module
is that bookkeeping: each index has the invariant it keeps, written on its
updater, and the accessors through which the rules read it.

An index never changes a result: it lists exactly what a scan would find, in
the order a scan would find it, so a sum over an index adds in the same order
as a sum over a scan.

Territory
    Each state's provinces and its provinces on a front as bit sets
    (:func:`provinces_of`, :func:`front_provinces`); the length of every front
    and each state's list of the states it borders; each province's distance
    from its owner's capital and each front's distance from each side's
    capital; the distances between capitals (:func:`capital_distances`). A
    province changes hands only through :func:`transfer`, which keeps them
    all, or marks the states whose front distances or outputs must be
    recomputed (``stale``, ``regrouped``, ``dirty``) by :func:`refresh_state`
    and :func:`refresh_fronts`. :func:`build_territory` builds them from
    scratch. Where the map has seas, each front's land part (adjacent pairs
    joined by land, ``land``) is kept beside its length (:func:`count_land`).
Projection
    A bound on the fraction of any other state's power reaching each capital
    (:func:`exposure_bound`, kept by :func:`bound_exposure`).
Ranking
    The living states by military (:func:`rank_by_military`).
Blocs
    Each bloc's living members as a list (:func:`index_blocs`, walked with
    :func:`first_in_bloc` and :func:`next_in_bloc`, emptied by
    :func:`clear_bloc_index`).
Hostilities
    Each state's number of enemies and the list of hostile pairs in order of
    onset (:func:`open_hostility`, :func:`close_hostility`,
    :func:`hostile_pair`), from which :func:`enemies_of`, :func:`sole_enemy`
    and :func:`partner` read a state's enemies.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.cpython.unsafe.numbers import trailing_zeros

from equipoise.state import IntArray, Params, World

__all__ = [
    "bound_exposure",
    "build_territory",
    "capital_distances",
    "clear_bloc_index",
    "close_hostility",
    "count_land",
    "enemies_of",
    "exposure_bound",
    "first_in_bloc",
    "front_provinces",
    "hostile_pair",
    "index_blocs",
    "next_in_bloc",
    "open_hostility",
    "partner",
    "provinces_of",
    "rank_by_military",
    "refresh_fronts",
    "refresh_state",
    "sole_enemy",
    "transfer",
]


# --- territory: provinces and fronts as bit sets, front lengths and distances ----------------


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

    Reads the bit set ``w.members[i]`` (bit ``q`` set exactly when ``i`` owns
    province ``q``, kept by :func:`transfer`), so it costs O(P / 64 +
    provinces of i) rather than a scan of every province of the map.
    """
    return _listed(w.members[i], out)


@njit
def front_provinces(w: World, i: int, out: np.ndarray) -> int:
    """Write state ``i``'s provinces on a front into ``out`` in increasing order; return how many.

    Reads the bit set ``w.edge[i]``: the provinces of ``i`` with a neighbour
    held by another state (``w.foreign[q] > 0``, both kept by :func:`transfer`),
    the only provinces a front distance or a conquest can depend on.
    """
    return _listed(w.edge[i], out)


@njit
def capital_distances(w: World, p: Params) -> None:
    """Fill ``w.capital_dist`` with the distances between the capitals (which never move)."""
    for j in range(p.n_states):
        cj = w.capital[j]
        xj, yj = w.pxy[cj, 0], w.pxy[cj, 1]
        for i in range(p.n_states):
            ci = w.capital[i]
            dx = w.pxy[ci, 0] - xj
            dy = w.pxy[ci, 1] - yj
            w.capital_dist[i, j] = math.sqrt(dx * dx + dy * dy)


@njit
def _home_dist(w: World, q: int, i: int) -> float:
    """Distance from province ``q`` to state ``i``'s capital (province centres, Euclidean)."""
    c = w.capital[i]
    dx = w.pxy[q, 0] - w.pxy[c, 0]
    dy = w.pxy[q, 1] - w.pxy[c, 1]
    return math.sqrt(dx * dx + dy * dy)


@njit
def build_territory(w: World, p: Params) -> None:
    """Count provinces, outputs and borders from scratch (the initial state), then the fronts.

    Establishes every territorial invariant that :func:`transfer` keeps: the
    bit sets ``members`` and ``edge``, the counts ``foreign`` and ``border``,
    the lists ``nbr`` / ``deg``, ``home_dist``, and (through
    :func:`refresh_fronts`, every state marked) ``front_dist`` and ``held``.
    """
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
    count_land(w)
    refresh_fronts(w, p)


@njit
def _border_add(w: World, i: int, j: int, delta: int) -> None:
    """Change the count of adjacent province pairs of i facing j; keep i's list of fronts.

    Keeps ``w.nbr[i, :w.deg[i]]`` listing the states ``j`` with ``w.border[i, j] > 0``.
    """
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

    The one way a province changes hands. It keeps, at once: the owners'
    bit sets of provinces and of provinces on a front, each province's count
    of foreign neighbours and distance from its owner's capital, the length
    of every front (``border``) and its land part (``land``), each state's
    list of fronts, and the front distances that can only shrink (the fronts
    that gain q or a neighbour of q). A front that loses the province nearest
    to its state's capital may grow: that state is marked ``stale``. The
    states whose territory or fronts changed (the two owners and the owners
    of q's neighbours) are marked ``dirty``, and the two owners
    ``regrouped``; :func:`refresh_fronts` brings their outputs, and the front
    distances of the stale ones, up to date.
    """
    a = w.owner[q]
    _move_land(w, q, a, b)
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
def count_land(w: World) -> None:
    """Count the land part of every front from scratch: ``w.land[i, j]``.

    The number of adjacent province pairs of ``i`` and ``j`` joined by an edge
    that is not a sea edge (``w.sea``); :func:`transfer` keeps it, alongside
    ``border``. On a map without seas it equals ``border``.
    """
    n = w.land.shape[0]
    for i in range(n):
        for j in range(n):
            w.land[i, j] = 0
    for q in range(w.owner.size):
        i = w.owner[q]
        for e in range(w.indptr[q], w.indptr[q + 1]):
            j = w.owner[w.indices[e]]
            if j != i and not w.sea[e]:
                w.land[i, j] += 1


@njit
def _move_land(w: World, q: int, a: int, b: int) -> None:
    """Province ``q`` passes from ``a`` to ``b``: the land edges it brings to fronts move."""
    for e in range(w.indptr[q], w.indptr[q + 1]):
        if w.sea[e]:
            continue
        c = w.owner[w.indices[e]]
        if c != a:
            w.land[a, c] -= 1
            w.land[c, a] -= 1
        if c != b:
            w.land[b, c] += 1
            w.land[c, b] += 1


@njit
def _borders_besides(w: World, r: int, a: int, q: int) -> bool:
    """Whether province ``r`` has a neighbour held by ``a`` other than province ``q``."""
    for e in range(w.indptr[r], w.indptr[r + 1]):
        s = w.indices[e]
        if s != q and w.owner[s] == a:
            return True
    return False


@njit
def refresh_fronts(w: World, p: Params) -> None:
    """Recompute the front distances, summed outputs and outputs of the ``dirty`` states.

    The distance of a front from a state's capital is the distance to the
    nearest of its provinces on that front (province centres, Euclidean, in
    lattice units). Afterwards no state is ``dirty``: every ``front_dist``,
    ``held`` and ``economy`` is what a recount from the owners would give.
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


# --- projection: a bound on each capital's exposure ------------------------------------------


@njit
def exposure_bound(w: World, i: int) -> float:
    """No other state projects to ``i``'s capital more than this fraction of its power.

    ``w.exposed[i] >= w.exposure[i, j]`` for every ``j != i`` (kept by
    :func:`bound_exposure`), so a scan of the states by decreasing military
    can stop at the first whose military, so projected, cannot beat the best.
    """
    return w.exposed[i]


@njit
def bound_exposure(w: World, i: int, j: int, e: float) -> None:
    """Raise ``i``'s exposure bound to cover ``e``, the new value of ``w.exposure[i, j]``.

    Keeps ``w.exposed[i]`` at the largest ``w.exposure[i, k]``, ``k != i``,
    seen so far: a bound of the row, since reach only lengthens (a bound is
    all :func:`exposure_bound`'s readers need). Without a branch.
    """
    bound = w.exposed[i]
    w.exposed[i] = e if (e > bound and i != j) else bound


# --- ranking: the living states by military ---------------------------------------------------


@njit
def _stronger(w: World, j: int, mj: float, k: int) -> bool:
    """Whether ``j`` (military ``mj``) ranks before ``k``: stronger, or as strong and lower."""
    mk = w.military[k]
    return mj > mk or (mj == mk and j < k)


@njit
def rank_by_military(w: World) -> IntArray:
    """The living states by military, strongest first, ties in state order (a view of ``w.ranked``).

    Keeps ``w.ranked[:w.n_ranked[0]]`` listing every living state once, in the
    total order "stronger, or as strong and of lower index": the order a
    stable sort of all states by decreasing military gives. It re-sorts the
    last call's ranking, less the states that died since, by insertion:
    militaries move little from one step to the next, so the work is close
    to O(N).
    """
    ranked = w.ranked
    m = 0
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
    return ranked[:m]


# --- blocs: each bloc's living members as a list ----------------------------------------------


@njit
def index_blocs(w: World) -> None:
    """List each bloc's living members, walked by :func:`first_in_bloc` and :func:`next_in_bloc`.

    Until :func:`clear_bloc_index` (which must come before any bloc or state
    changes): ``w.first_member[b]`` is the living member of bloc ``b`` of
    lowest index and ``w.next_member[k]`` the next living member of ``k``'s
    bloc (-1: none), so a walk visits a bloc's members in increasing order,
    as a scan of every state would. Outside that span every
    ``w.first_member`` is -1.
    """
    first, after = w.first_member, w.next_member
    for k in range(w.bloc.size - 1, -1, -1):
        b = w.bloc[k]
        if w.alive[k] and b >= 0:
            after[k] = first[b]
            first[b] = k


@njit
def first_in_bloc(w: World, b: int) -> int:
    """The living member of bloc ``b`` of lowest index (-1: none, or ``b`` is -1, no bloc)."""
    return w.first_member[b] if b >= 0 else -1


@njit
def next_in_bloc(w: World, k: int) -> int:
    """The next living member, after ``k``, of ``k``'s bloc (-1: ``k`` is the last)."""
    return w.next_member[k]


@njit
def clear_bloc_index(w: World) -> None:
    """Empty the index of :func:`index_blocs` (every ``first_member`` -1), visiting blocs in use."""
    for k in range(w.bloc.size):
        b = w.bloc[k]
        if b >= 0:
            w.first_member[b] = -1


# --- hostilities: enemies counted and listed --------------------------------------------------


@njit
def open_hostility(w: World, a: int, b: int) -> None:
    """States ``a`` and ``b`` become hostile: the pair joins the list after those before it.

    Keeps ``w.hostile`` symmetric, ``w.enemies[i]`` the number of states
    hostile to ``i``, and ``w.pairs[:w.n_pairs[0]]`` every hostile pair once, as
    ``lo * N + hi`` (``lo < hi``), in order of onset. The pair is also noted in
    ``w.opened`` for the dyad-year recorder (:mod:`equipoise.rules.dyads`), which
    empties it before each step it counts; a full list takes no more.
    """
    n = w.strategy.size
    lo, hi = (a, b) if a < b else (b, a)
    w.hostile[a, b] = True
    w.hostile[b, a] = True
    w.enemies[a] += 1
    w.enemies[b] += 1
    w.pairs[w.n_pairs[0]] = lo * n + hi
    w.n_pairs[0] += 1
    m = w.opened[0] + 1
    if m < w.opened.size:
        w.opened[m] = lo * n + hi
        w.opened[0] = m


@njit
def close_hostility(w: World, k: int) -> None:
    """Hostile pair number ``k`` of the list stops fighting (the others keep their order).

    Keeps the invariants of :func:`open_hostility`.
    """
    a, b = hostile_pair(w, k)
    w.hostile[a, b] = False
    w.hostile[b, a] = False
    w.enemies[a] -= 1
    w.enemies[b] -= 1
    for m in range(k, w.n_pairs[0] - 1):
        w.pairs[m] = w.pairs[m + 1]
    w.n_pairs[0] -= 1


@njit
def hostile_pair(w: World, k: int) -> tuple[int, int]:
    """The two states of hostile pair number ``k``, the lower index first."""
    n = w.strategy.size
    code = w.pairs[k]
    return code // n, code % n


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
