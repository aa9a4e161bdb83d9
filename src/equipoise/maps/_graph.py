"""Province graphs: lattices, initial partitions into contiguous states, explicit maps."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from numba import njit

from equipoise import rng

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "Map",
    "bfs_distances",
    "connected",
    "explicit_map",
    "grow_territories",
    "lattice",
    "lattice_shape",
    "map_for_states",
    "partition",
    "random_capitals",
    "state_weights",
]


@dataclass(frozen=True, eq=False)
class Map:
    """A graph of provinces.

    Attributes
    ----------
    width, height : int
        Size of the lattice the provinces lie on; province ``p`` sits in
        column ``p % width`` and row ``p // width``.
    xy : (P, 2) float
        Coordinates of the provinces in lattice units (one unit between
        neighbours); distances for the loss-of-strength gradient use them.
    indptr, indices : int arrays
        Adjacency in compressed sparse rows: the neighbours of ``p`` are
        ``indices[indptr[p]:indptr[p + 1]]``, in increasing order.
    owner : (P,) int array or None
        Initial owner of each province for maps of given states (None for a
        bare lattice, whose states are generated per replication).
    capitals : (N,) int array or None
        Initial capital province of each given state.
    unit_km : float or None
        Kilometres per lattice unit for maps laid over real positions.
    meta : dict
        Free-form numbers describing how the map was made.
    sea : (E,) bool array
        Whether each edge (aligned with ``indices``) crosses water rather than
        a land border; symmetric, and only between provinces of different
        states (:func:`equipoise.maps.with_borders`). All False on a lattice;
        left out, it is filled with False.
    """

    width: int
    height: int
    xy: FloatArray
    indptr: IntArray
    indices: IntArray
    owner: IntArray | None = None
    capitals: IntArray | None = None
    unit_km: float | None = None
    meta: dict[str, float] = field(default_factory=dict)
    sea: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))

    def __post_init__(self) -> None:
        """Fill the sea flags of a map made without them (every edge land)."""
        if self.sea.size != self.indices.size:
            if self.sea.size:
                raise ValueError(
                    f"a map's sea flags align with its edges: {self.sea.size} flags "
                    f"for {self.indices.size} edges"
                )
            object.__setattr__(self, "sea", np.zeros(self.indices.size, dtype=np.bool_))

    @property
    def n_provinces(self) -> int:
        """Number of provinces P."""
        return int(self.xy.shape[0])

    def neighbours(self, p: int) -> IntArray:
        """Neighbours of province ``p``."""
        return self.indices[self.indptr[p] : self.indptr[p + 1]]


def lattice_shape(n_states: int, provinces_per_state: float) -> tuple[int, int]:
    """Width and height of the square lattice for ``n_states`` states.

    The side is ``ceil(sqrt(n_states * provinces_per_state))``, so each state
    starts with about ``provinces_per_state`` provinces (GeoSim: 2,500
    provinces for about 200 states, 12.5 each; Cederman 2003).
    """
    side = max(2, math.ceil(math.sqrt(n_states * provinces_per_state) - 1e-9))
    return side, side


def lattice(width: int, height: int) -> Map:
    """A ``width`` x ``height`` lattice with von Neumann (four-neighbour) adjacency.

    Examples
    --------
    >>> m = lattice(3, 2)
    >>> m.n_provinces, m.neighbours(0).tolist(), m.neighbours(4).tolist()
    (6, [1, 3], [1, 3, 5])
    """
    if width < 1 or height < 1:
        raise ValueError(f"a lattice needs a positive width and height, got {width} x {height}")
    p = np.arange(width * height, dtype=np.int64)
    col, row = p % width, p // width
    nbrs: list[IntArray] = []
    for dc, dr in ((0, -1), (-1, 0), (1, 0), (0, 1)):  # increasing province order
        c, r = col + dc, row + dr
        ok = (c >= 0) & (c < width) & (r >= 0) & (r < height)
        nbrs.append(np.where(ok, r * width + c, -1))
    table = np.stack(nbrs, axis=1)
    counts = (table >= 0).sum(axis=1)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    indices = table[table >= 0].astype(np.int64)
    xy = np.stack([col, row], axis=1).astype(np.float64)
    return Map(width, height, xy, indptr, indices)


@njit(cache=True)
def random_capitals(seed: int, replication: int, n_provinces: int, n_states: int) -> np.ndarray:
    """Distinct capital provinces of ``n_states`` generated states (a partial Fisher-Yates shuffle).

    Draw ``k`` is ``uniform(seed, replication, 0, k, CAPITAL)``: state ``k``
    gets a province uniformly among those not yet taken.
    """
    perm = np.arange(n_provinces)
    out = np.empty(n_states, dtype=np.int64)
    for k in range(n_states):
        u = rng.uniform(seed, replication, 0, k, rng.CAPITAL)
        j = k + int(u * (n_provinces - k))
        if j >= n_provinces:  # pragma: no cover - u < 1 makes this impossible
            j = n_provinces - 1
        perm[k], perm[j] = perm[j], perm[k]
        out[k] = perm[k]
    return out


@njit(cache=True)
def partition(indptr: np.ndarray, indices: np.ndarray, capitals: np.ndarray) -> np.ndarray:
    """Owner of every province: the state whose capital is nearest on the graph.

    A breadth-first search from all capitals at once, in capital order, so
    ties go to the state whose frontier reaches the province first (lower
    index among capitals at equal distance). Every state's territory is
    connected and contains its capital; provinces no capital reaches (other
    components of the graph) get owner -1.
    """
    n_prov = indptr.size - 1
    owner = np.full(n_prov, -1, dtype=np.int64)
    queue = np.empty(n_prov, dtype=np.int64)
    head = 0
    tail = 0
    for i in range(capitals.size):
        c = capitals[i]
        owner[c] = i
        queue[tail] = c
        tail += 1
    while head < tail:
        p = queue[head]
        head += 1
        for k in range(indptr[p], indptr[p + 1]):
            q = indices[k]
            if owner[q] < 0:
                owner[q] = owner[p]
                queue[tail] = q
                tail += 1
    return owner


@njit(cache=True)
def connected(indptr: np.ndarray, indices: np.ndarray, owner: np.ndarray, start: int) -> bool:
    """Whether the provinces of ``owner[start]`` form one connected set containing ``start``."""
    state = owner[start]
    n_prov = indptr.size - 1
    seen = np.zeros(n_prov, dtype=np.bool_)
    queue = np.empty(n_prov, dtype=np.int64)
    seen[start] = True
    queue[0] = start
    head, tail = 0, 1
    while head < tail:
        p = queue[head]
        head += 1
        for k in range(indptr[p], indptr[p + 1]):
            q = indices[k]
            if not seen[q] and owner[q] == state:
                seen[q] = True
                queue[tail] = q
                tail += 1
    total = 0
    for p in range(n_prov):
        if owner[p] == state:
            total += 1
    return total == tail


@njit(cache=True)
def bfs_distances(indptr: np.ndarray, indices: np.ndarray, source: int) -> np.ndarray:
    """Graph distance (number of borders crossed) from ``source`` to every province (-1: none)."""
    n_prov = indptr.size - 1
    dist = np.full(n_prov, -1, dtype=np.int64)
    queue = np.empty(n_prov, dtype=np.int64)
    dist[source] = 0
    queue[0] = source
    head, tail = 0, 1
    while head < tail:
        p = queue[head]
        head += 1
        for k in range(indptr[p], indptr[p + 1]):
            q = indices[k]
            if dist[q] < 0:
                dist[q] = dist[p] + 1
                queue[tail] = q
                tail += 1
    return dist


def grow_territories(graph: Map, capitals: IntArray, quotas: IntArray) -> npt.NDArray[np.int64]:
    """Assign provinces to states around their capitals, each up to its quota.

    States take turns, the state with the smallest filled fraction of its
    quota first (ties: lower index); on its turn a state claims the free
    province adjacent to its territory that is nearest to its capital
    (Euclidean; ties: lower province index). A state whose quota is met, or
    that has no free province next to it, stops. Provinces left over (cut off
    by others' territory) go to the state that reaches them first in a
    breadth-first search from all territories, so every province is owned and
    every territory stays connected.

    Parameters
    ----------
    graph : Map
    capitals : (N,) int
        Distinct capital provinces.
    quotas : (N,) int
        Provinces wanted by each state (at least 1 each).
    """
    n_prov = graph.n_provinces
    n = capitals.size
    if np.unique(capitals).size != n:
        raise ValueError("capitals must be distinct provinces")
    owner = np.full(n_prov, -1, dtype=np.int64)
    held = np.zeros(n, dtype=np.int64)
    frontier: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    xy = graph.xy

    def push_neighbours(i: int, p: int) -> None:
        cx, cy = xy[capitals[i]]
        for q in graph.neighbours(p):
            if owner[q] < 0:
                d = math.hypot(xy[q, 0] - cx, xy[q, 1] - cy)
                heapq.heappush(frontier[i], (d, int(q)))

    for i, c in enumerate(capitals):
        owner[c] = i
        held[i] = 1
    for i, c in enumerate(capitals):
        push_neighbours(i, int(c))
    turns = [(1.0 / max(int(quotas[i]), 1), i) for i in range(n) if held[i] < quotas[i]]
    heapq.heapify(turns)
    while turns:
        _, i = heapq.heappop(turns)
        heap = frontier[i]
        while heap and owner[heap[0][1]] >= 0:
            heapq.heappop(heap)
        if not heap:
            continue  # enclosed: this state stops growing
        _, p = heapq.heappop(heap)
        owner[p] = i
        held[i] += 1
        push_neighbours(i, p)
        if held[i] < quotas[i]:
            heapq.heappush(turns, (held[i] / quotas[i], i))
    if (owner < 0).any():
        rest = partition_from(graph.indptr, graph.indices, owner)
        owner = rest
    return owner


@njit(cache=True)
def partition_from(indptr: np.ndarray, indices: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Give every unowned province to the owner reaching it first (BFS from owned provinces)."""
    n_prov = indptr.size - 1
    out = owner.copy()
    queue = np.empty(n_prov, dtype=np.int64)
    tail = 0
    for p in range(n_prov):
        if out[p] >= 0:
            queue[tail] = p
            tail += 1
    head = 0
    while head < tail:
        p = queue[head]
        head += 1
        for k in range(indptr[p], indptr[p + 1]):
            q = indices[k]
            if out[q] < 0:
                out[q] = out[p]
                queue[tail] = q
                tail += 1
    return out


def _quotas(weights: FloatArray, total: int) -> IntArray:
    """Largest-remainder apportionment of ``total`` provinces by weight, at least 1 each."""
    n = weights.size
    w = np.maximum(np.asarray(weights, dtype=np.float64), 0.0)
    w = np.full(n, 1.0) if w.sum() <= 0 else w
    spare = total - n
    raw = w / w.sum() * spare
    base = np.floor(raw).astype(np.int64)
    order = np.lexsort((np.arange(n), -(raw - base)))
    base[order[: spare - int(base.sum())]] += 1
    return base + 1


def _spread(points: FloatArray, radius: FloatArray, rounds: int = 400) -> FloatArray:
    """Push points apart until discs of the given radii no longer overlap.

    Each round moves every overlapping pair apart along the line joining them, by
    half the overlap each (points that coincide move apart in a fixed direction
    given by their indices). Deterministic; pairs that do not overlap never move.
    """
    pts = points.copy()
    n = pts.shape[0]
    need = radius[:, None] + radius[None, :]
    angle = 2.0 * np.pi * np.arange(n) / max(n, 1)
    fallback = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    for _ in range(rounds):
        diff = pts[:, None, :] - pts[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        overlap = np.where(np.eye(n, dtype=bool), 0.0, np.maximum(need - dist, 0.0))
        if overlap.max() <= 1e-9 * need.max():
            break
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = np.where(dist[..., None] > 0, diff / dist[..., None], 0.0)
        unit = np.where(
            (dist[..., None] > 0) | np.eye(n, dtype=bool)[..., None],
            unit,
            fallback[:, None, :] - fallback[None, :, :],
        )
        pts = pts + 0.5 * (overlap[..., None] * unit).sum(axis=1)
    return pts


def explicit_map(
    x: FloatArray,
    y: FloatArray,
    weights: FloatArray,
    provinces_per_state: float,
    coordinate_km: float | None = None,
) -> Map:
    """A lattice laid over given capital positions, its provinces shared out by weight.

    Each state is to hold a quota of provinces proportional to its weight (its
    capability; largest remainder, at least one), about ``N *
    provinces_per_state`` in all. Capitals that are closer than their
    territories allow -- London and Paris on a map of the world -- are first
    pushed apart until discs holding half of each state's quota no longer
    overlap (:func:`_spread`; capitals far apart do not move), so that
    neighbouring states keep their share of land. The lattice then covers the capitals'
    bounding box, widened by one capital spacing on each side, each capital
    takes the cell it falls in (a later state whose cell is taken gets the
    nearest free cell), and each state grows around its capital up to its
    quota (:func:`grow_territories`). Geography is thus kept in the large (who
    neighbours whom, how far apart capitals are) and simplified in the small
    (no seas: every cell is land).

    Parameters
    ----------
    x, y : (N,) float
        Capital positions in any planar unit.
    weights : (N,) float
        Relative size of each state's territory (capability).
    provinces_per_state : float
        Mean number of provinces per state.
    coordinate_km : float, optional
        Kilometres per unit of ``x`` and ``y``; sets :attr:`Map.unit_km`.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = x.size
    target = max(n, round(n * provinces_per_state))
    w = np.maximum(np.asarray(weights, dtype=np.float64), 0.0)
    w = np.full(n, 1.0 / n) if w.sum() <= 0 else w / w.sum()
    # discs holding half of each state's quota of cells of the unspread map: they fill
    # half of the box, so pushing crowded capitals apart barely widens the map
    spacing = math.sqrt(max((np.ptp(x) + 1e-12) * (np.ptp(y) + 1e-12), 1e-24) / n)
    cell = math.sqrt((np.ptp(x) + 2 * spacing) * (np.ptp(y) + 2 * spacing) / target)
    radius = cell * np.sqrt(np.maximum(0.5 * w * target, 0.5) / np.pi)
    points = _spread(np.stack([x, y], axis=1), radius)
    px, py = points[:, 0], points[:, 1]
    spacing = math.sqrt(max((np.ptp(px) + 1e-12) * (np.ptp(py) + 1e-12), 1e-24) / n)
    x0, x1 = px.min() - spacing, px.max() + spacing
    y0, y1 = py.min() - spacing, py.max() + spacing
    cell = math.sqrt((x1 - x0) * (y1 - y0) / target)
    width = max(2, math.ceil((x1 - x0) / cell))
    height = max(2, math.ceil((y1 - y0) / cell))
    graph = lattice(width, height)
    col = np.clip(((px - x0) / cell).astype(np.int64), 0, width - 1)
    row = np.clip(((py - y0) / cell).astype(np.int64), 0, height - 1)
    taken = np.zeros(graph.n_provinces, dtype=bool)
    capitals = np.empty(n, dtype=np.int64)
    for i in range(n):
        want = int(row[i] * width + col[i])
        if taken[want]:
            d = bfs_distances(graph.indptr, graph.indices, want)
            free = np.flatnonzero((~taken) & (d >= 0))
            want = int(free[np.lexsort((free, d[free]))[0]])
        taken[want] = True
        capitals[i] = want
    owner = grow_territories(graph, capitals, _quotas(np.asarray(weights), graph.n_provinces))
    return Map(
        width,
        height,
        graph.xy,
        graph.indptr,
        graph.indices,
        owner=owner,
        capitals=capitals,
        unit_km=None if coordinate_km is None else cell * coordinate_km,
    )


def state_weights(economy: FloatArray, military: FloatArray, economic_weight: float) -> FloatArray:
    """Capability shares of given states, CINC-style.

    ``w`` times the output share plus ``1 - w`` times the military share (the
    output share alone if no state has a military).
    """
    econ = np.asarray(economy, dtype=np.float64)
    mil = np.asarray(military, dtype=np.float64)
    weight = economic_weight * econ / econ.sum()
    if mil.sum() > 0:
        return weight + (1.0 - economic_weight) * mil / mil.sum()
    return econ / econ.sum()


def map_for_states(
    x: FloatArray,
    y: FloatArray,
    economy: FloatArray,
    military: FloatArray,
    economic_weight: float,
    provinces_per_state: float,
    coordinate_km: float | None = None,
) -> Map:
    """The map of given states: :func:`explicit_map` with territories in proportion to capability.

    The one place that turns given states into a map, used by the engine and by
    :func:`equipoise.history.scenario_builder.scenario_from_history` (which
    needs the map's scale to express a reach in kilometres as provinces).
    """
    weights = state_weights(economy, military, economic_weight)
    return explicit_map(x, y, weights, provinces_per_state, coordinate_km)
