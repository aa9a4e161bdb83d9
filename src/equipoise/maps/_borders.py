"""Borders between given states: land and sea edges on a map of their territories.

A map over given capitals (:func:`equipoise.maps.explicit_map`) makes two states
neighbours where their territories happen to touch on the lattice. Where the
real borders are known -- the Correlates of War direct contiguity of a year,
which :func:`equipoise.history.scenario_from_history` writes into a scenario --
:func:`with_borders` edits the province graph to follow them: an edge between
two states' provinces is kept as a **land** edge if the pair borders by land,
kept as a **sea** edge if the pair is contiguous across water only, and removed
otherwise; a pair that borders but does not touch on the lattice gets one edge
of its kind between its two nearest provinces. Edges inside a state are land
and are never removed, so every territory stays connected.

:func:`land_border_agreement` measures how far a map's land borders agree with
a list of land-contiguous pairs.

References
----------
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The
    Correlates of War Project direct contiguity data, version 3.0. *Conflict
    Management and Peace Science*, 19(2), 58-66.
    https://doi.org/10.1177/073889420201900203
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import numpy as np

from equipoise.maps._graph import IntArray, Map

__all__ = ["LAND", "SEA", "land_border_agreement", "land_pairs", "with_borders", "with_channels"]

#: Kinds of border between two states (entries of the matrix :func:`with_borders` reads).
LAND, SEA = 1, 2


def _kinds(n: int, land: Iterable[tuple[int, int]], sea: Iterable[tuple[int, int]]) -> IntArray:
    """(N, N) matrix of border kinds: 0 none, LAND or SEA (symmetric)."""
    kind = np.zeros((n, n), dtype=np.int64)
    for value, pairs in ((SEA, sea), (LAND, land)):  # a pair listed as both borders by land
        for a, b in pairs:
            a, b = int(a), int(b)
            if a == b or not (0 <= a < n and 0 <= b < n):
                raise ValueError(f"a border joins two different states of 0..{n - 1}; got {a, b}")
            kind[a, b] = kind[b, a] = value
    return kind


def with_borders(
    graph: Map, land: Iterable[tuple[int, int]], sea: Iterable[tuple[int, int]] = ()
) -> Map:
    """The map with its edges between states following the given borders.

    Parameters
    ----------
    graph : Map
        A map of given states (``owner`` and ``capitals`` set), for instance
        :func:`equipoise.maps.map_for_states`.
    land : iterable of (int, int)
        Pairs of states (indices) that border by land.
    sea : iterable of (int, int)
        Pairs of states contiguous across water only (a pair also in ``land``
        borders by land).

    Returns
    -------
    Map
        The same provinces, owners and capitals. An edge between provinces of
        two different states is kept if the pair borders, flagged in
        :attr:`Map.sea` if it borders across water only, and dropped if it does
        not border. A bordering pair left without an edge of its kind gets one
        between its two nearest provinces (Euclidean; ties: the lower province
        indices). Edges inside a state are kept as land. The adjacency stays
        symmetric, each row sorted.

    Examples
    --------
    >>> from equipoise.maps import explicit_map
    >>> m = explicit_map([0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0], 4)
    >>> sorted(land_pairs(m))  # on the lattice every state touches every other
    [(0, 1), (0, 2), (1, 2)]
    >>> m2 = with_borders(m, land=[(0, 1)], sea=[(1, 2)])
    >>> sorted(land_pairs(m2)), int(m2.sea.sum())  # 0-2 cut; 1-2 across water (both ways)
    ([(0, 1)], 4)
    """
    if graph.owner is None:
        raise ValueError("with_borders needs a map of given states (owner set)")
    owner = np.asarray(graph.owner, dtype=np.int64)
    n = int(graph.capitals.size) if graph.capitals is not None else int(owner.max()) + 1
    kind = _kinds(n, land, sea)
    rows = np.repeat(np.arange(graph.n_provinces, dtype=np.int64), np.diff(graph.indptr))
    cols = np.asarray(graph.indices, dtype=np.int64)
    a, b = owner[rows], owner[cols]
    edge_kind = np.where(a == b, LAND, kind[a, b])
    keep = edge_kind > 0
    rows, cols, edge_kind = rows[keep], cols[keep], edge_kind[keep]
    a, b = a[keep], b[keep]
    # which bordering pairs the kept edges already join (each with an edge of its own kind)
    joined = np.zeros((n, n), dtype=bool)
    joined[a[a != b], b[a != b]] = True
    new_rows: list[int] = []
    new_cols: list[int] = []
    new_kind: list[int] = []
    for i, j in zip(*np.nonzero(np.triu(kind > 0)), strict=True):
        if joined[i, j]:
            continue
        p, q = _nearest(graph, owner, int(i), int(j))
        new_rows += [p, q]
        new_cols += [q, p]
        new_kind += [int(kind[i, j])] * 2
    rows = np.concatenate([rows, np.asarray(new_rows, dtype=np.int64)])
    cols = np.concatenate([cols, np.asarray(new_cols, dtype=np.int64)])
    edge_kind = np.concatenate([edge_kind, np.asarray(new_kind, dtype=np.int64)])
    order = np.lexsort((cols, rows))
    rows, cols, edge_kind = rows[order], cols[order], edge_kind[order]
    counts = np.bincount(rows, minlength=graph.n_provinces)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return dataclasses.replace(graph, indptr=indptr, indices=cols, sea=edge_kind == SEA)


def _nearest(graph: Map, owner: IntArray, i: int, j: int) -> tuple[int, int]:
    """The provinces of ``i`` and ``j`` nearest to each other (ties: lower indices)."""
    pi = np.flatnonzero(owner == i)
    pj = np.flatnonzero(owner == j)
    diff = graph.xy[pi][:, None, :] - graph.xy[pj][None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    k = int(np.argmin(dist))  # the first minimum in row-major order: the lowest p, then q
    return int(pi[k // pj.size]), int(pj[k % pj.size])


def land_pairs(graph: Map) -> set[tuple[int, int]]:
    """Pairs of states ``(i, j)``, ``i < j``, whose provinces share a land edge on the map."""
    if graph.owner is None:
        raise ValueError("land_pairs needs a map of given states (owner set)")
    owner = np.asarray(graph.owner, dtype=np.int64)
    rows = np.repeat(np.arange(graph.n_provinces, dtype=np.int64), np.diff(graph.indptr))
    a, b = owner[rows], owner[graph.indices]
    land = (a < b) & ~graph.sea
    return {(int(x), int(y)) for x, y in zip(a[land], b[land], strict=True)}


def land_border_agreement(
    graph: Map, contiguous: Iterable[tuple[int, int]]
) -> tuple[float, float, int, int]:
    """How far the map's land borders agree with a list of land-contiguous pairs of states.

    Parameters
    ----------
    graph : Map
        A map of given states.
    contiguous : iterable of (int, int)
        The pairs of states that border by land (in either order).

    Returns
    -------
    tuple
        ``(bordering, apart, n_contiguous, n_other)``: the share of the contiguous
        pairs that share a land edge on the map, the share of the other pairs of
        states that share none, and the number of pairs of each kind (a share of
        an empty set is 1).
    """
    n = int(graph.capitals.size) if graph.capitals is not None else 0
    if graph.owner is not None:
        n = max(n, int(np.asarray(graph.owner).max()) + 1)
    truth = {(min(int(a), int(b)), max(int(a), int(b))) for a, b in contiguous}
    on_map = land_pairs(graph)
    total = n * (n - 1) // 2
    others = total - len(truth)
    hits = len(truth & on_map)
    false = len(on_map - truth)
    bordering = hits / len(truth) if truth else 1.0
    apart = (others - false) / others if others else 1.0
    return bordering, apart, len(truth), others


def with_channels(graph: Map, channels: int) -> Map:
    """A lattice cut by ``channels`` straight water channels: seas for generated systems.

    The channels are evenly spaced, vertical and horizontal in turn (the first vertical),
    each running the whole length of the lattice between two columns (or rows) of
    provinces; an edge that crosses one is a sea edge, so the lattice falls into
    ``(v + 1) (h + 1)`` land masses (``v`` vertical, ``h`` horizontal channels) that
    touch only across water, as Britain touches the continent. Nothing else changes:
    provinces, adjacency and coordinates are the lattice's.

    Examples
    --------
    >>> from equipoise.maps import lattice
    >>> m = with_channels(lattice(4, 2), 1)  # one channel between columns 1 and 2
    >>> [(int(p), int(q)) for p in range(8) for q, s in
    ...  zip(m.neighbours(p), m.sea[m.indptr[p]:m.indptr[p + 1]]) if s and p < q]
    [(1, 2), (5, 6)]
    """
    if channels < 0:
        raise ValueError(f"channels must be >= 0, got {channels}")
    sea = np.zeros(graph.indices.size, dtype=np.bool_)
    if channels == 0:
        return dataclasses.replace(graph, sea=sea)
    vertical = (channels + 1) // 2
    horizontal = channels // 2
    cols = {round((k + 1) * graph.width / (vertical + 1)) for k in range(vertical)}
    rows = {round((k + 1) * graph.height / (horizontal + 1)) for k in range(horizontal)}
    cols = {c for c in cols if 0 < c < graph.width}
    rows = {r for r in rows if 0 < r < graph.height}
    for p in range(graph.n_provinces):
        pc, pr = p % graph.width, p // graph.width
        for e in range(graph.indptr[p], graph.indptr[p + 1]):
            q = int(graph.indices[e])
            qc, qr = q % graph.width, q // graph.width
            crosses_col = pr == qr and max(pc, qc) in cols and abs(pc - qc) == 1
            crosses_row = pc == qc and max(pr, qr) in rows and abs(pr - qr) == 1
            sea[e] = crosses_col or crosses_row
    return dataclasses.replace(graph, sea=sea)
