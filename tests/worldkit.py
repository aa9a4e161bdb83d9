"""Hand-built worlds for the rule tests: small lattices with owners, capitals and militaries set.

``make_world`` builds one replication's World exactly as the kernel does for
given states (``init_world`` with explicit arrays), so the rules can be called
one at a time on a situation chosen by the test.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from equipoise import maps
from equipoise.engine import kernel_params
from equipoise.kernel import init_world
from equipoise.scenario import STRATEGIES, Scenario
from equipoise.state import COUNTERS, PACT_FIELDS, WAR_FIELDS, Params, World, new_world

__all__ = ["brute_fronts", "make_world", "scenario_for", "world_from_arrays"]


def scenario_for(n: int, strategies: Sequence[str] | None = None, **tables: object) -> Scenario:
    """A generated scenario of ``n`` states (the kernel only reads its parameters)."""
    s = Scenario(n_states=max(n, 2), **tables)  # type: ignore[arg-type]
    if strategies is not None:
        counts = {name: strategies.count(name) / n for name in STRATEGIES}
        s = s.replace(strategies=counts)
    return s


def make_world(
    width: int,
    height: int,
    owner: Sequence[int],
    capitals: Sequence[int],
    military: Sequence[float],
    *,
    strategies: Sequence[str] | None = None,
    scenario: Scenario | None = None,
    output: Sequence[float] | None = None,
    arming: Sequence[float] | None = None,
    bloc: Sequence[int] | None = None,
    apart: Sequence[tuple[int, int]] = (),
    productivity: Sequence[float] | None = None,
    trend: Sequence[float] | None = None,
    growth_path: np.ndarray | None = None,
    events: Sequence[Sequence[int]] | None = None,
    reach: float = 5.0,
    seed: int = 0,
    replication: int = 0,
    steps: int = 10,
    sea_edges: Sequence[tuple[int, int]] = (),
) -> tuple[World, Params, maps.Map]:
    """A World on a ``width`` x ``height`` lattice with the given owners and capitals.

    ``strategies`` lists each state's strategy in state order (states must
    then be grouped by strategy in :data:`STRATEGIES` order, as generated
    populations are); other parameters come from ``scenario``. ``sea_edges``
    lists lattice edges (pairs of adjacent provinces) that cross water. ``events`` are
    the kernel's rows ``(step, kind, state, other)`` (:mod:`equipoise.rules.membership`):
    only which states are dormant at the start is read here.
    """
    n = len(capitals)
    strategies = list(strategies) if strategies is not None else ["balance_power"] * n
    order = [STRATEGIES.index(s) for s in strategies]
    assert order == sorted(order), "list states grouped by strategy, in STRATEGIES order"
    if scenario is None:
        scenario = scenario_for(n, strategies)
    else:
        scenario = scenario.replace(
            n_states=n, strategies={k: strategies.count(k) / n for k in STRATEGIES}
        )
    graph = maps.lattice(width, height)
    params = kernel_params(scenario, steps, seed)
    codes = np.array(order, dtype=np.int64)
    if sea_edges:
        graph = _with_sea_edges(graph, sea_edges)
    w = new_world(
        graph.indptr,
        graph.indices,
        graph.xy,
        codes,
        n,
        64,
        WAR_FIELDS,
        COUNTERS,
        graph.sea,
        4096,
        PACT_FIELDS,
    )
    owner_a = np.asarray(owner, dtype=np.int64)
    out = np.ones(owner_a.size) if output is None else np.asarray(output, dtype=np.float64)
    arm = np.full(n, scenario.internal.arming_base) if arming is None else np.asarray(arming, float)
    blocs = np.full(n, -1, dtype=np.int64) if bloc is None else np.asarray(bloc, dtype=np.int64)
    kept = np.zeros((n, n) if apart else (0, 0), dtype=np.bool_)
    for a, b in apart:
        kept[a, b] = kept[b, a] = True
    growth = np.column_stack(
        [
            np.ones(n) if productivity is None else np.asarray(productivity, float),
            np.full(n, np.nan) if trend is None else np.asarray(trend, float),
        ]
    )
    path = np.zeros((n, 0)) if growth_path is None else np.ascontiguousarray(growth_path, float)
    init_world(
        w,
        params,
        replication,
        owner_a,
        np.asarray(capitals, dtype=np.int64),
        out,
        np.asarray(military, dtype=np.float64),
        arm,
        blocs,
        kept,
        growth,
        path,
        reach,
        0.0,
        np.zeros((0, 4), dtype=np.int64) if events is None else np.asarray(events, np.int64),
    )
    return w, params, graph


def _with_sea_edges(graph: maps.Map, edges: Sequence[tuple[int, int]]) -> maps.Map:
    """The lattice with its edges between the given pairs of provinces flagged as sea."""
    sea = np.zeros(graph.indices.size, dtype=np.bool_)
    for p, q in edges:
        for a, b in ((p, q), (q, p)):
            k = graph.indptr[a] + int(np.flatnonzero(graph.neighbours(a) == b)[0])
            sea[k] = True
    return dataclasses.replace(graph, sea=sea)


def world_from_arrays(
    scenario: Scenario, graph: maps.Map, init: dict[str, np.ndarray], replication: int = 0
) -> World:
    """Replication ``replication``'s initial World, built as the engine's kernel builds it."""
    from equipoise.engine import strategy_codes

    n = scenario.size
    params = kernel_params(scenario, 1, 0)
    w = new_world(
        graph.indptr,
        graph.indices,
        graph.xy,
        strategy_codes(scenario),
        n,
        64,
        WAR_FIELDS,
        COUNTERS,
        graph.sea,
        4096,
        PACT_FIELDS,
    )
    init_world(
        w,
        params,
        replication,
        init["init_owner"],
        init["init_capital"],
        init["init_output"],
        init["init_military"],
        init["init_arming"],
        init["init_bloc"],
        init["init_apart"],
        init["init_growth"],
        init["init_path"],
        float(scenario.power.reach),
        float(scenario.initial.output_inequality),
        init["events"],
    )
    return w


def brute_fronts(w: World, graph: maps.Map, n: int) -> dict[str, np.ndarray]:
    """Fronts, held outputs and province counts recomputed from scratch, in plain Python."""
    owner = np.asarray(w.owner)
    border = np.zeros((n, n), dtype=np.int64)
    land = np.zeros((n, n), dtype=np.int64)
    dist = np.full((n, n), np.inf)
    held = np.zeros(n)
    count = np.zeros(n, dtype=np.int64)
    capital = np.asarray(w.capital)
    for q in range(graph.n_provinces):
        i = owner[q]
        count[i] += 1
        held[i] += w.output[q]
        for e in range(graph.indptr[q], graph.indptr[q + 1]):
            r = graph.indices[e]
            j = owner[r]
            if j != i:
                border[i, j] += 1
                land[i, j] += 0 if graph.sea[e] else 1
                c = capital[i]
                d = float(np.sqrt(((graph.xy[q] - graph.xy[c]) ** 2).sum()))
                dist[i, j] = min(dist[i, j], d)
    return {"border": border, "land": land, "front_dist": dist, "held": held, "provinces": count}
