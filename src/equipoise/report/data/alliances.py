"""Alliance networks of a simulation for the report: the alliances at a step, as a graph, laid out.

Alliances come from the recorded ``bloc`` of every state: states in one bloc are allied, so
each bloc is a clique (:func:`alliance_graph`). With alliances as treaties
(:mod:`equipoise.rules.treaties`) no bloc forms, and the alliances are the pacts in force, read
from the result's pact table. :func:`network_steps` picks the steps worth drawing,
:func:`snapshot` reads one (or replays it when the blocs were not recorded), and
:func:`graph_layout` places the states, bloc by bloc, the same way every time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from equipoise.report.data.simulations import check_replication, replay
from equipoise.results import Result
from equipoise.scenario import PACT_KINDS

__all__ = [
    "Snapshot",
    "alliance_graph",
    "bloc_label",
    "blocs",
    "graph_layout",
    "network_steps",
    "pacts_in_force",
    "snapshot",
]

#: Codes of the pact kinds that make allies (defence and offence, as in ``alliances``).
MILITARY_KINDS = (PACT_KINDS.index("defence"), PACT_KINDS.index("offence"))


@dataclass(frozen=True)
class Snapshot:
    """The states and their blocs at one step of one replication.

    Attributes
    ----------
    replication, step : int
    names, strategies : list of str
        Per state, length N.
    alive : bool array, shape (N,)
    share : float array, shape (N,)
        Capability shares (0 for dead states).
    bloc : int array, shape (N,)
        Bloc of each state (``-1``: none); states in one bloc are allied.
        Codes as in :mod:`equipoise.state`.
    pacts : int array, shape (M, 4), or None
        With treaties, the pacts in force between living states: ``a``, ``b``, ``kind``
        (codes of :data:`~equipoise.scenario.PACT_KINDS`) and ``treaty``
        (:func:`pacts_in_force`); ``None`` without.
    """

    replication: int
    step: int
    names: list[str]
    strategies: list[str]
    alive: np.ndarray
    share: np.ndarray
    bloc: np.ndarray
    pacts: np.ndarray | None = None


def network_steps(alliances: np.ndarray, k: int = 3) -> list[int]:
    """Steps at which to draw one replication's alliance network.

    The first step with an alliance in force, the step with the most (the
    first such) and the last step, then steps evenly spaced between the first
    and the last, up to ``k`` in all; without any alliance, no step.

    Parameters
    ----------
    alliances : int array, shape (T + 1,)
        Allied pairs at each step (the ``alliances`` measure).
    k : int
        At most this many steps.

    Examples
    --------
    >>> network_steps(np.array([0, 0, 3, 6, 6, 2, 0]))
    [2, 3, 6]
    >>> network_steps(np.zeros(5, dtype=int))
    []
    """
    a = np.asarray(alliances)
    (some,) = np.nonzero(a > 0)
    if some.size == 0 or k < 1:
        return []
    first, last = int(some[0]), a.size - 1
    picks = list(dict.fromkeys([first, int(np.argmax(a)), last]))[:k]
    for t in np.linspace(first, last, k)[1:-1]:
        if len(picks) >= k:
            break
        if round(float(t)) not in picks:
            picks.append(round(float(t)))
    return sorted(picks)


def snapshot(result: Result, replication: int, step: int) -> Snapshot:
    """The blocs and shares of one replication at one step.

    Read from the result's ``bloc`` and ``share`` when it recorded them (the
    default), else from an exact :func:`replay` of the replication.

    Raises
    ------
    ValueError
        If the replication or step is not in the result.
    """
    ds = result.dataset
    replication = int(replication)
    check_replication(result, replication)
    steps = int(ds.attrs["steps"])
    if not 0 <= step <= steps:
        raise ValueError(f"step {step} is outside 0..{steps}")
    if "bloc" in ds and "share" in ds:
        at = ds.sel(replication=replication, step=step)
    else:
        at = replay(result, replication, record_map=False).result.dataset.isel(replication=0)
        at = at.sel(step=step)
    share = np.nan_to_num(np.asarray(at["share"].values, dtype=np.float64))
    alive = share > 0
    if "provinces" in at:
        alive = np.asarray(at["provinces"].values) > 0
    bloc = np.where(alive, np.asarray(at["bloc"].values, dtype=np.int64), -1)
    pacts = None
    if "pact" in ds.dims:
        pacts = pacts_in_force(result.pacts, replication, int(step))
        pacts = pacts[alive[pacts[:, 0]] & alive[pacts[:, 1]]]
    return Snapshot(
        replication=replication,
        step=int(step),
        names=[str(n) for n in ds["state"].values],
        strategies=result.scenario.strategy_names(),
        alive=alive,
        share=share,
        bloc=bloc,
        pacts=pacts,
    )


def pacts_in_force(pacts: pd.DataFrame, replication: int, step: int) -> np.ndarray:
    """The pacts of a replication in force at ``step``: rows ``(a, b, kind, treaty)``.

    A pact is in force from its ``start`` to the step before its ``end`` (-1: to the end).

    Examples
    --------
    >>> table = pd.DataFrame({"replication": 0, "pact": [0, 1], "start": [0, 2],
    ...                       "end": [3, -1], "a": [0, 1], "b": [1, 2], "kind": [0, 4],
    ...                       "treaty": [0, 1]})
    >>> pacts_in_force(table, 0, 3).tolist()
    [[1, 2, 4, 1]]
    """
    rows = pacts[
        (pacts["replication"] == replication)
        & (pacts["start"] <= step)
        & ((pacts["end"] < 0) | (pacts["end"] > step))
    ]
    return rows[["a", "b", "kind", "treaty"]].to_numpy(dtype=np.int64).reshape(-1, 4)


def bloc_label(code: int, names: Sequence[str]) -> str:
    """What a bloc is, in words (codes as in :mod:`equipoise.state`).

    Examples
    --------
    >>> for code in (1, 2, 4, 5, 6):
    ...     print(bloc_label(code, ["A", "B"]))
    coalition against B
    camp of A
    landscape coalition 1
    landscape coalition 2
    alliance in force at the start
    """
    n = len(names)
    if 0 <= code < n:
        return f"coalition against {names[code]}"
    if n <= code < 2 * n:
        return f"camp of {names[code - n]}"
    if code in (2 * n, 2 * n + 1):
        return f"landscape coalition {code - 2 * n + 1}"
    return "alliance in force at the start"


def alliance_graph(snap: Snapshot) -> nx.Graph:
    """The alliance network of a snapshot: living states, and an edge per allied pair.

    Two states are allied exactly when they are in the same bloc, so each
    bloc is a clique. Nodes are state names with attributes ``share``,
    ``strategy`` and ``bloc``; edges have ``kind="alliance"`` and ``bloc``.
    The number of edges is the ``alliances`` measure of that step.

    With treaties (``snap.pacts``) the edges are the pacts in force, of every kind:
    ``kind="military"`` for defence and offence pacts (their number is the ``alliances``
    measure) and ``"other"`` for the rest, with ``pact`` (the kind's name) and ``treaty``.
    """
    g: nx.Graph[str] = nx.Graph()
    for i, name in enumerate(snap.names):
        if snap.alive[i]:
            g.add_node(
                name,
                share=float(snap.share[i]),
                strategy=snap.strategies[i],
                bloc=int(snap.bloc[i]),
            )
    if snap.pacts is not None:
        for a, b, kind, treaty in snap.pacts.tolist():
            g.add_edge(
                snap.names[a],
                snap.names[b],
                kind="military" if kind in MILITARY_KINDS else "other",
                pact=PACT_KINDS[kind],
                treaty=int(treaty),
            )
        return g
    for code in np.unique(snap.bloc[snap.bloc >= 0]).tolist():
        members = [snap.names[i] for i in np.flatnonzero(snap.bloc == code)]
        for i, u in enumerate(members):
            for v in members[i + 1 :]:
                g.add_edge(u, v, kind="alliance", bloc=int(code))
    return g


def blocs(snap: Snapshot) -> list[tuple[str, int]]:
    """The blocs of a snapshot as (label, members), largest first."""
    codes, counts = np.unique(snap.bloc[snap.bloc >= 0], return_counts=True)
    order = sorted(zip(codes.tolist(), counts.tolist(), strict=True), key=lambda x: (-x[1], x[0]))
    return [(bloc_label(c, snap.names), k) for c, k in order]


def graph_layout(graph: nx.Graph, seed: int = 0) -> dict[str, tuple[float, float]]:
    """A seeded layout: each alliance bloc drawn by force, the blocs packed in rows.

    Every connected component gets its own ``networkx.spring_layout``
    (Fruchterman-Reingold, fixed seed) in a square whose side grows with the
    square root of its size, so that a bloc of twenty is as legible as a pair;
    the squares are then packed left to right in rows, largest first, as
    Graphviz's ``pack`` does. (One spring layout of the whole graph squeezes a
    dense bloc into a point when isolated states push it away.) The same graph
    always gets the same picture.

    Examples
    --------
    >>> g = nx.Graph([("A", "B")])
    >>> g.add_node("C")
    >>> sorted(graph_layout(g))
    ['A', 'B', 'C']
    """
    if graph.number_of_nodes() == 0:
        return {}
    comps = sorted(
        (sorted(map(str, c)) for c in nx.connected_components(graph)), key=lambda c: -len(c)
    )
    sides = [1.0 if len(c) == 1 else 1.3 * np.sqrt(len(c)) for c in comps]
    width = max(max(sides), np.sqrt(sum(x * x for x in sides)) * 1.3)
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for comp, side in zip(comps, sides, strict=True):
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row, 0.0
        if len(comp) == 1:
            local = {comp[0]: np.zeros(2)}
        else:
            sub = graph.subgraph(comp)
            local = nx.spring_layout(sub, seed=seed, k=2.0 / np.sqrt(len(comp)), iterations=100)
        pts = np.array([local[n] for n in comp], dtype=np.float64).reshape(len(comp), 2)
        span = np.ptp(pts, axis=0)
        pts = (pts - pts.min(axis=0)) / np.where(span > 0, span, 1.0)  # into [0, 1]
        inner = side - 1.0 if len(comp) > 1 else 0.0  # half a unit of margin on each side
        for n, p in zip(comp, pts, strict=True):
            out[n] = (float(x + 0.5 + p[0] * inner), float(y - 0.5 - p[1] * inner))
        x += side
        row = max(row, side)
    return out
