"""The compiled kernel: a block of replications, one after another, without the GIL.

:func:`simulate` runs a block of replications; for each it builds its own
:class:`~equipoise.state.World`, sets up the initial state (:func:`init_world`),
applies :func:`step` ``steps`` times and writes what it observed into rows of
the output arrays that belong to that replication alone. It releases the GIL
(``nogil=True``), so the engine runs several blocks at once in threads
(:func:`equipoise.engine.run`, ``threads``): one replication per parallel task,
without the compile time and fork hazards of an OpenMP ``prange``. Each draw is
a pure function of (seed, replication, step, actor, purpose) (:mod:`equipoise.rng`),
and each replication's arithmetic runs in one thread in a fixed order, so the
output is bit-identical whatever the number of threads, the block size or the
number of worker processes. No ``fastmath``: the bits do not depend on the
machine's maths library beyond ``exp``, ``log``, ``sqrt`` and ``pow`` of IEEE
doubles.

A step draws the order in which states move where order matters
(:mod:`equipoise.rules.order`), then applies the rules in this order (see
:data:`equipoise.rules.RULES`): technology, threat perception, alignment (alliances, then
pacts when treaties are on), soft balancing
decisions, internal balancing, war (ceasefires, attacks, battles, conquest),
sanctions losses and growth, the aggression record, and finally the
capability shares that the next step and the recorder read. When the engine
asks for them (``dyad_counts`` not empty), the dyad-years of each step and their
war onsets are counted by covariate cell around the step's rules
(:mod:`equipoise.rules.dyads`), which changes nothing else.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from equipoise import _numba_cache, rng
from equipoise.maps import partition, random_capitals
from equipoise.rules import (
    alliances,
    dyads,
    growth,
    internal,
    membership,
    soft,
    technology,
    threat,
    treaties,
    war,
)
from equipoise.rules.geography import refresh_exposure
from equipoise.rules.indexes import build_territory, capital_distances, refresh_fronts
from equipoise.rules.order import draw_order
from equipoise.state import (
    CLK_ATTACKS,
    CLK_BATTLES,
    CLK_CONQUESTS,
    CLK_DEATHS,
    CLK_JOINS,
    CLK_ONSETS,
    CLK_OPEN,
    CLK_OVERFLOW,
    CLK_REP,
    CLK_STEP,
    COUNTERS,
    PACT_FIELDS,
    WAR_FIELDS,
    Params,
    World,
    new_world,
)

__all__ = ["KERNEL_MEASURES", "init_world", "simulate", "step"]

#: Measures the kernel records at every step (columns of its ``system`` output).
KERNEL_MEASURES: tuple[str, ...] = (
    "survivors",
    "alliances",
    "sanctioners",
    "wars",
    "war_onsets",
    "attacks",
    "battles",
    "war_losses",
    "conquests",
    "deaths",
    "alliances_formed",
    "mean_arming",
    "mean_reach",
    "world_output",
    "world_military",
)
_NK = len(KERNEL_MEASURES)
#: SHA-256 of the kernel's sources: part of the on-disk cache key (see ``_numba_cache``).
SOURCE_HASH = _numba_cache.source_hash()


@njit
def init_world(
    w: World,
    p: Params,
    replication: int,
    init_owner: np.ndarray,
    init_capital: np.ndarray,
    init_output: np.ndarray,
    init_military: np.ndarray,
    init_arming: np.ndarray,
    init_bloc: np.ndarray,
    init_apart: np.ndarray,
    init_growth: np.ndarray,
    init_path: np.ndarray,
    reach: float,
    output_sigma: float,
    events: np.ndarray,
) -> None:
    """The initial state of one replication.

    Generated states (``init_owner`` empty): capitals drawn uniformly among
    the provinces (draw ``CAPITAL``), territories by nearest capital on the
    graph (:func:`equipoise.maps.partition`), province outputs log-normal with
    mean 1 and sigma ``output_sigma`` (draw ``OUTPUT``; all 1 when sigma is 0),
    arming at ``arming_base``. Given states: the map's owners and capitals and
    the given outputs, militaries and arming shares (NaN: the share that keeps
    the given military at rest). ``init_growth`` (N, 2) holds each state's
    productivity and trend (NaN: drawn, ``TREND``, normal with sd
    ``growth_dispersion``); ``init_path`` (N, K) history's replayed growth.

    The start is at rest (:func:`at_rest`): every military stock stands in the
    ratio to output that its arming share keeps on the state's trend path,
    ``M / Y = a / (exp(g + trend) - 1 + depreciation)``, so that with nobody
    acting the shares move only by growth. Alliances in
    force at the start (``init_bloc``) get lifetimes drawn like new ones (draw
    ``INIT_ALLIANCE``); with treaties they are no blocs but defence treaties,
    opened by :func:`equipoise.rules.treaties.start`. ``init_apart`` is the (N, N)
    matrix of pairs never in the same bloc, or (0, 0) when there are none. States whose
    first row of ``events`` (:mod:`equipoise.rules.membership`) is an entry are dormant
    until it.
    """
    n = p.n_states
    n_prov = w.owner.size
    w.clock[CLK_REP] = replication
    w.clock[CLK_STEP] = 0
    w.stamp[0] = 0
    generated = init_owner.size == 0
    if generated:
        caps = random_capitals(p.seed, replication, n_prov, n)
        owner = partition(w.indptr, w.indices, caps)
        for q in range(n_prov):
            w.owner[q] = owner[q]
            if output_sigma > 0.0:
                z = rng.normal(p.seed, replication, 0, q, rng.OUTPUT)
                w.output[q] = np.exp(output_sigma * z - 0.5 * output_sigma * output_sigma)
            else:
                w.output[q] = 1.0
        for i in range(n):
            w.capital[i] = caps[i]
            w.arming[i] = p.arming_base
    else:
        for q in range(n_prov):
            w.owner[q] = init_owner[q]
            w.output[q] = init_output[q]
        for i in range(n):
            w.capital[i] = init_capital[i]
            w.arming[i] = init_arming[i]
            w.military[i] = init_military[i]
    for i in range(n):
        w.productivity[i] = init_growth[i, 0]
        trend = init_growth[i, 1]
        if np.isnan(trend):
            trend = 0.0
            if p.growth_dispersion > 0.0:
                trend = p.growth_dispersion * rng.normal(p.seed, replication, 0, i, rng.TREND)
        w.trend[i] = trend
    w.growth_path = init_path
    for i in range(n):
        w.alive[i] = True
        w.level[i] = 1.0
        w.reach[i] = reach
        w.aggression[i] = 0.0
        w.bloc[i] = -1
        w.bloc_life[i] = 0
        w.sanctioning[i] = -1
        w.war_of[i] = -1
        w.enemies[i] = 0
        if p.alliances and not p.treaties and init_bloc[i] >= 0:
            w.bloc[i] = init_bloc[i]
            u = rng.uniform(p.seed, replication, 0, i, rng.INIT_ALLIANCE)
            w.bloc_life[i] = alliances.geometric_lifetime(u, p.alliance_duration)
    if events.shape[0] > 0:
        dormant = np.zeros(n, np.bool_)
        membership.dormant_at_start(events, n, dormant)
        for i in range(n):
            if dormant[i]:
                w.alive[i] = False
                w.bloc[i] = -1
                w.military[i] = 0.0
    if init_apart.shape[0] > 0:
        for i in range(n):
            for j in range(n):
                w.apart[i, j] = init_apart[i, j]
    capital_distances(w, p)
    for i in range(n):
        refresh_exposure(w, p, i)
    build_territory(w, p)
    growth.at_rest(w, p, generated)
    threat.capability_shares(w, p)


@njit
def step(w: World, p: Params) -> None:
    """Advance one replication by one step (the order is given in the module docstring)."""
    n = p.n_states
    w.clock[CLK_STEP] += 1
    for c in range(COUNTERS):
        if c != CLK_STEP and c != CLK_REP and c != CLK_OVERFLOW and c != CLK_OPEN:
            w.clock[c] = 0
    for i in range(n):
        w.attacked[i] = False
        w.loss[i] = 0.0
    draw_order(w, p)
    technology.change(w, p)
    threat.perceive(w, p)
    alliances.align(w, p)
    treaties.negotiate(w, p)
    soft.decide(w, p)
    internal.arm(w, p)
    if p.war:
        war.fight(w, p)
    refresh_fronts(w, p)
    if p.soft:
        soft.losses(w, p)
    growth.grow(w, p)
    for i in range(n):
        w.aggression[i] = p.aggression_memory * w.aggression[i] + (1.0 if w.attacked[i] else 0.0)
    threat.capability_shares(w, p)


@njit
def _record(w: World, p: Params, t: int, system: np.ndarray, share: np.ndarray) -> None:
    """Write the measures of the current state into row ``t`` of this replication's outputs."""
    n = p.n_states
    tally = w.tally  # all zero between calls: only the blocs counted here are reset below
    pairs = 0
    survivors = 0
    sanctioners = 0
    arming = 0.0
    reach = 0.0
    world_y = 0.0
    world_m = 0.0
    for i in range(n):
        share[t, i] = w.share[i]
        if not w.alive[i]:
            continue
        survivors += 1
        arming += w.arming[i]
        reach += w.reach[i]
        world_y += w.economy[i]
        world_m += w.military[i]
        if w.sanctioning[i] >= 0:
            sanctioners += 1
        b = w.bloc[i]
        if b >= 0:  # allied pairs: each member with the members counted before it
            b = min(b, tally.size - 1)
            pairs += tally[b]
            tally[b] += 1
        if p.treaties:  # no blocs: allied pairs hold a defence or offence pact
            for j in range(i):
                if treaties.allied(w, i, j):
                    pairs += 1
    for i in range(n):
        b = w.bloc[i]
        if b >= 0:
            tally[min(b, tally.size - 1)] = 0
    losses = 0.0
    for i in range(n):
        losses += w.loss[i]
    row = system[t]
    row[0] = survivors
    row[1] = pairs
    row[2] = sanctioners
    row[3] = w.clock[CLK_OPEN]
    row[4] = w.clock[CLK_ONSETS]
    row[5] = w.clock[CLK_ATTACKS]
    row[6] = w.clock[CLK_BATTLES]
    row[7] = losses / world_m if world_m > 0.0 else 0.0
    row[8] = w.clock[CLK_CONQUESTS]
    row[9] = w.clock[CLK_DEATHS]
    row[10] = w.clock[CLK_JOINS]
    row[11] = arming / survivors if survivors > 0 else 0.0
    row[12] = reach / survivors if survivors > 0 else 0.0
    row[13] = world_y
    row[14] = world_m


@njit
def _record_states(
    w: World, t: int, provinces: np.ndarray, blocs: np.ndarray, owners: np.ndarray
) -> None:
    if provinces.shape[0] > 0:
        for i in range(w.provinces.size):
            # a state out of the system holds no provinces as a member (its land, if any, is
            # no member's: rules.membership)
            provinces[t, i] = w.provinces[i] if w.alive[i] else 0
            blocs[t, i] = w.bloc[i]
    if owners.shape[0] > 0:
        for q in range(w.owner.size):
            owners[t, q] = w.owner[q]


@njit(cache=True, nogil=True)
def simulate(
    p: Params,
    indptr: np.ndarray,
    indices: np.ndarray,
    sea: np.ndarray,
    pxy: np.ndarray,
    strategy: np.ndarray,
    init_owner: np.ndarray,
    init_capital: np.ndarray,
    init_output: np.ndarray,
    init_military: np.ndarray,
    init_arming: np.ndarray,
    init_bloc: np.ndarray,
    init_apart: np.ndarray,
    init_growth: np.ndarray,
    init_path: np.ndarray,
    reach: float,
    output_sigma: float,
    events: np.ndarray,
    entry_shares: np.ndarray,
    site: np.ndarray,
    replications: np.ndarray,
    system: np.ndarray,
    share: np.ndarray,
    provinces: np.ndarray,
    blocs: np.ndarray,
    owners: np.ndarray,
    wars: np.ndarray,
    n_wars: np.ndarray,
    overflow: np.ndarray,
    init_pacts: np.ndarray,
    pacts: np.ndarray,
    n_pacts: np.ndarray,
    dyad_counts: np.ndarray,
    spilled: Any,
) -> None:
    """Run ``replications`` (their indices) and fill the output arrays in place.

    Parameters
    ----------
    sea : (E,) bool
        The map's sea edges, aligned with ``indices`` (:attr:`equipoise.maps.Map.sea`).
    events : (K, 4) int64
        Entries and exits without conquest, in the order they apply
        (:mod:`equipoise.rules.membership`); (0, 4) for none.
    entry_shares : (K, 3) float64
        The entrants' shares of output and military, and productivity, by event row.
    site : (P,) int64
        The state each province belongs to on entry (the map's territories);
        (0,) when there are no events.
    system : (R, T + 1, len(KERNEL_MEASURES)) float64
    share : (R, T + 1, N) float64
        Capability shares.
    provinces : (R, T + 1, N) int32, or (R, 0, 0) to skip
        Provinces held by each state.
    blocs : (R, T + 1, N) int32, or (R, 0, 0) to skip
        Bloc of each state (-1: none; see :mod:`equipoise.state`).
    owners : (R, T + 1, P) int16, or (R, 0, 0) to skip
        Owner of every province (the map over time).
    wars : (R, capacity, WAR_FIELDS) float64
        Each replication's war table (see :mod:`equipoise.state`).
    n_wars : (R,) int64
        Wars opened in each replication.
    overflow : (R,) int64
        1 where the war table was too small (the engine reruns those).
    init_pacts : (K, 4) int64
        Pacts in force at the start (state, state, kind, treaty group: the rows of a
        group, numbered 0..K-1, are one treaty); (0, 4) for none
        (:func:`equipoise.inputs.initial_pacts`). Rows of three columns are one treaty each.
        With treaties, ``init_bloc``'s blocs are defence treaties too.
    pacts : (R, capacity, PACT_FIELDS) float64
        Each replication's pact table (see :mod:`equipoise.state`; capacity 0
        without treaties). A replication's table grows as it needs; one that outgrows
        ``capacity`` is appended to ``spilled`` instead.
    n_pacts : (R,) int64
        Pacts formed in each replication (those in force at the start included).
    dyad_counts : (R, T + 1, N_DYAD_CELLS, 2) int32, or (R, 0, 0, 0) to skip
        Dyad-years (column 0) and war onsets (column 1) of each step by covariate cell
        (:mod:`equipoise.rules.dyads`); row 0, the initial system, stays zero.
    spilled : numba.typed.List of (pacts, PACT_FIELDS) float64 arrays
        The pact tables of the replications with more than ``capacity`` pacts, in the
        order of the replications.
    """
    n = p.n_states
    capacity = wars.shape[1]
    counting = dyad_counts.shape[1] > 0
    for r in range(replications.size):
        w = new_world(
            indptr,
            indices,
            pxy,
            strategy,
            n,
            capacity,
            WAR_FIELDS,
            COUNTERS,
            sea,
            pacts.shape[1],
            PACT_FIELDS,
        )
        init_world(
            w,
            p,
            replications[r],
            init_owner,
            init_capital,
            init_output,
            init_military,
            init_arming,
            init_bloc,
            init_apart,
            init_growth,
            init_path,
            reach,
            output_sigma,
            events,
        )
        if p.treaties:
            treaties.start(w, p, init_pacts, init_bloc)
        prov_r = provinces[r]
        bloc_r = blocs[r]
        own_r = owners[r]
        _record(w, p, 0, system[r], share[r])
        _record_states(w, 0, prov_r, bloc_r, own_r)
        cursor = 0
        cells = np.full(n * n if counting else 0, -1, np.int64)
        shares = np.zeros(n if counting else 0)
        for t in range(1, p.steps + 1):
            if cursor < events.shape[0]:
                cursor = membership.apply_events(w, p, events, entry_shares, site, t, cursor)
            if counting:
                dyads.open_year(w, p, cells, shares, dyad_counts[r, t])
            step(w, p)
            if counting:
                dyads.count_onsets(w, p, cells, dyad_counts[r, t])
            _record(w, p, t, system[r], share[r])
            _record_states(w, t, prov_r, bloc_r, own_r)
            if w.clock[CLK_OVERFLOW]:  # rerun with more room: the rest would be thrown away
                break
        count = w.n_wars[0]
        n_wars[r] = count
        overflow[r] = w.clock[CLK_OVERFLOW]
        for c in range(min(count, capacity)):
            for f in range(WAR_FIELDS):
                wars[r, c, f] = w.war_table[c, f]
        count = w.n_pacts[0]
        n_pacts[r] = count
        if count > pacts.shape[1]:
            spilled.append(w.pact_table[:count].copy())
        else:
            for c in range(count):
                for f in range(PACT_FIELDS):
                    pacts[r, c, f] = w.pact_table[c, f]
