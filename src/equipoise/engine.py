"""The engine: ``run(scenario, replications, steps, seed) -> Result``.

The engine turns a :class:`~equipoise.scenario.Scenario` into the kernel's
inputs (:func:`kernel_params`, :func:`build_map`, :func:`initial_arrays`),
runs the compiled kernel (:func:`equipoise.kernel.simulate`) over blocks of
replications, measures the distribution of power with the same
:mod:`equipoise.metrics` code that measures history, and assembles a
:class:`~equipoise.results.Result`.

Randomness follows the counter-based contract of :mod:`equipoise.rng`: every
draw is a pure function of (seed, replication, step, actor, purpose). A
replication's result therefore depends only on the seed and its index, not on
the block size, the number of threads or worker processes, or which other
replications ran: ``run(s, range(100, 200), ...)`` reproduces replications
100-199 of ``run(s, 200, ...)`` bit for bit.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import platform
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
from numba import typed, types

from equipoise import maps, metrics, rng
from equipoise._procs import end_with
from equipoise.inputs import (
    build_map,
    capitals,
    check_seed,
    initial_arrays,
    kernel_params,
    strategy_codes,
)
from equipoise.results import KERNEL_TO_RESULT, PACT_COLUMNS, SYSTEM_MEASURES, Result
from equipoise.scenario import STRATEGIES, InvalidScenarioError, Scenario
from equipoise.state import PACT_FIELDS, WAR_FIELDS, Params

__all__ = [
    "MODEL_VERSION",
    "build_map",
    "capitals",
    "check_seed",
    "initial_arrays",
    "kernel_needs_compiling",
    "kernel_params",
    "pact_rows",
    "run",
    "simulate_block",
    "strategies_in",
    "strategy_codes",
    "war_capacity",
    "war_rows",
]

#: Version of the model's rules (results of different versions are not comparable).
MODEL_VERSION = "0.3"

#: Elements of the per-block share array (float64) that one block may hold.
BLOCK_BUDGET = 8_000_000


def kernel_needs_compiling() -> bool:
    """Whether the next run in this process compiles the kernel (about a minute) first.

    True in a fresh installation, or after an edit to the kernel's sources, before the first
    run has put the compiled kernel in Numba's on-disk cache; False once it is there (a run
    then loads it in about a second) or when it is already loaded in this process.
    """
    from equipoise import _numba_cache
    from equipoise.kernel import simulate

    return _numba_cache.needs_compiling(simulate)


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InvalidScenarioError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def run(
    scenario: Scenario | str,
    replications: int | range | None = None,
    steps: int | None = None,
    seed: int | None = None,
    *,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    record_states: bool = True,
    record_map: bool = False,
    workers: int = 1,
    threads: int | None = None,
    record_dyads: bool = False,
) -> Result:
    """Run replications of a scenario and collect the results.

    Parameters
    ----------
    scenario : Scenario or str
        A scenario, or the name of a built-in one or a TOML path.
    replications : int or range, optional
        How many replications (default: the scenario's ``run.replications``),
        or which ones: ``range(100, 200)`` runs replications 100-199 of the
        seed exactly as a run of 200 would, so a large run can be split
        across processes or machines and joined with :meth:`Result.concat`.
    steps : int, optional
        Steps (years) per replication; default from the scenario's ``run.steps``.
    seed : int, optional
        Seed in ``[0, 2**32)``; defaults to the scenario's ``run.seed``.
    chunk_size : int, optional
        Replications run by one call of the kernel (default: as many as fit a
        memory budget, a multiple of the threads). Results do not depend on it.
    progress : callable, optional
        Called with the number of replication-steps done after each block.
    record_states : bool
        Keep every state's capability share and province count at every step
        (``share``, ``provinces``).
    record_map : bool
        Keep the owner of every province at every step (``owner``; R x (T+1) x
        P small integers: for a few replications, e.g. to draw maps).
    workers : int
        Processes to split the replications over (default 1: this process),
        started with "spawn" (each loads the compiled kernel from the cache in a
        few seconds, so workers pay off for long runs; a script must call
        :func:`run` under ``if __name__ == "__main__":``). Results are the same
        for any number.
    threads : int, optional
        Threads running the compiled kernel in this process (default:
        ``NUMBA_NUM_THREADS``, which is the number of cores unless set).
        Results are the same for any number.
    record_dyads : bool
        Count the dyad-years and war onsets of every step by covariate cell (land contiguity,
        capability ratio, alliance, at war; :mod:`equipoise.rules.dyads`): the variables
        ``dyad_years`` and ``dyad_onsets``, read with :meth:`Result.dyad_cells`. Costs an
        O(N^2) pass over the living pairs per step; nothing else changes.

    Returns
    -------
    Result

    Examples
    --------
    >>> from equipoise import run
    >>> result = run("balancers", replications=4, steps=20, seed=1)
    >>> result.dataset.sizes["replication"]
    4
    """
    if isinstance(scenario, str):
        scenario = Scenario.load(scenario)
    replications = scenario.run.replications if replications is None else replications
    steps = _positive("steps", scenario.run.steps if steps is None else steps)
    if isinstance(replications, range):
        if len(replications) == 0 or replications.start < 0 or replications.step < 1:
            raise InvalidScenarioError(
                f"replications must be a non-empty increasing range of indices >= 0, "
                f"got {replications!r}"
            )
        if replications.stop > 2**32:
            raise InvalidScenarioError("replication indices must be below 2**32")
        span = replications
    else:
        span = range(_positive("replications", replications))
    if chunk_size is not None:
        _positive("chunk_size", chunk_size)
    workers = _positive("workers", workers)
    if threads is not None:
        threads = _positive("threads", threads)
    seed = check_seed(scenario.run.seed if seed is None else seed)
    if workers > 1 and len(span) > 1:
        return _run_parallel(
            scenario,
            span,
            steps,
            seed,
            workers,
            chunk_size,
            progress,
            record_states,
            record_map,
            threads,
            record_dyads,
        )
    return _run_here(
        scenario,
        span,
        steps,
        seed,
        chunk_size,
        progress,
        record_states,
        record_map,
        threads,
        record_dyads,
    )


def _run_here(
    scenario: Scenario,
    span: range,
    steps: int,
    seed: int,
    chunk_size: int | None,
    progress: Callable[[int], None] | None,
    record_states: bool,
    record_map: bool,
    threads: int | None,
    record_dyads: bool = False,
) -> Result:
    import numba

    from equipoise.kernel import KERNEL_MEASURES, simulate
    from equipoise.metrics import N_DYAD_CELLS

    graph = build_map(scenario)
    params = kernel_params(scenario, steps, seed)
    init = initial_arrays(scenario, graph)
    strategy = strategy_codes(scenario)
    n = scenario.size
    n_prov = graph.n_provinces
    index = np.asarray(span, dtype=np.int64)
    r_total = index.size
    t1 = steps + 1
    default_threads: int = getattr(numba.config, "NUMBA_NUM_THREADS", None) or os.cpu_count() or 1
    n_threads = int(threads or default_threads)
    per_rep = t1 * (n + len(KERNEL_MEASURES) + (2 * N_DYAD_CELLS if record_dyads else 0))
    chunk = chunk_size or max(n_threads, (BLOCK_BUDGET // per_rep) // n_threads * n_threads)
    chunk = min(chunk, r_total)

    system: dict[str, np.ndarray] = {
        name: np.zeros((r_total, t1), dtype=dtype) for name, (dtype, _) in SYSTEM_MEASURES.items()
    }
    share_all = np.zeros((r_total, t1, n), dtype=np.float32) if record_states else None
    prov_all = np.zeros((r_total, t1, n), dtype=np.int32) if record_states else None
    bloc_all = np.zeros((r_total, t1, n), dtype=np.int32) if record_states else None
    owner_all = np.zeros((r_total, t1, n_prov), dtype=np.int16) if record_map else None
    dyads_all = np.zeros((r_total, t1, N_DYAD_CELLS, 2), dtype=np.int32) if record_dyads else None
    war_parts: list[np.ndarray] = []
    pact_parts: list[np.ndarray] = []
    capacity = war_capacity(n, steps)
    hp = scenario.hegemony
    pool = ThreadPoolExecutor(max_workers=n_threads) if n_threads > 1 else None
    # With threads, the next block runs while this thread turns the last one into measures
    # (at most two blocks' outputs exist at once; one thread runs everything in turn).
    driver = ThreadPoolExecutor(max_workers=1) if pool is not None else None

    def block(start: int) -> dict[str, np.ndarray]:
        return simulate_block(
            simulate,
            params,
            graph,
            strategy,
            init,
            scenario,
            index[start : start + chunk],
            t1,
            n,
            n_prov,
            capacity,
            record_states,
            record_map,
            len(KERNEL_MEASURES),
            pool,
            record_dyads,
        )

    starts = list(range(0, r_total, chunk))
    try:
        pending = driver.submit(block, starts[0]) if driver is not None else None
        for k, start in enumerate(starts):
            reps = index[start : start + chunk]
            if pending is not None and driver is not None:
                out = pending.result()
                pending = driver.submit(block, starts[k + 1]) if k + 1 < len(starts) else None
            else:
                out = block(start)
            rows = slice(start, start + reps.size)
            share = out["share"]
            leader = np.argmax(share, axis=2)
            leader_share = np.take_along_axis(share, leader[..., None], axis=2)[..., 0]
            survivors = out["system"][..., KERNEL_MEASURES.index("survivors")].astype(np.int64)
            h = metrics.hhi(share)
            system["leader"][rows] = leader
            system["leader_share"][rows] = leader_share
            system["hhi"][rows] = h
            system["concentration"][rows] = metrics.concentration_from_hhi(h, survivors)
            system["n_poles"][rows] = metrics.n_poles(share, hp.pole_threshold)
            for k, name in enumerate(KERNEL_MEASURES):
                target = KERNEL_TO_RESULT.get(name, name)
                system[target][rows] = out["system"][..., k]
            if share_all is not None and prov_all is not None and bloc_all is not None:
                share_all[rows] = share
                prov_all[rows] = out["provinces"]
                bloc_all[rows] = out["blocs"]
            if owner_all is not None:
                owner_all[rows] = out["owners"]
            if dyads_all is not None:
                dyads_all[rows] = out["dyads"]
            war_parts.append(war_rows(out, reps))
            pact_parts.append(pact_rows(out, reps))
            if progress is not None:
                progress(reps.size * steps)
    finally:
        if driver is not None:
            driver.shutdown()  # waits for a block still running (after an error here)
        if pool is not None:
            pool.shutdown()
    spells = metrics.hegemony_spells(
        system["leader"], system["leader_share"], hp.hegemony_threshold, hp.hegemony_duration
    )
    return Result.build(
        scenario=scenario,
        seed=seed,
        steps=steps,
        system=system,
        share=share_all,
        provinces=prov_all,
        blocs=bloc_all,
        owner=owner_all,
        dyads=dyads_all,
        wars=np.concatenate(war_parts) if war_parts else np.zeros((0, len(_WAR_OUT))),
        hegemony=spells,
        pacts=(
            (
                np.concatenate(pact_parts)
                if pact_parts
                else np.zeros((0, len(PACT_COLUMNS)), dtype=np.int32)
            )
            if params.treaties
            else None
        ),
        replication_index=index,
        map_shape=(graph.width, graph.height),
        provenance={
            "model_version": MODEL_VERSION,
            "rng_contract": rng.CONTRACT_VERSION,
            "numba_version": numba.__version__,
            "machine": platform.machine(),
        },
    )


def war_capacity(n_states: int, steps: int) -> int:
    """Room for a replication's wars at first: one per step, or per 64 state-steps.

    A system of many states fights more wars than it has steps (the whole system about 250
    in 201 years), and a replication that fills its table is run again with more room
    (:func:`simulate_block`): the room changes the time a run takes, never its result.
    """
    return max(64, steps, n_states * steps // 64)


def simulate_block(
    simulate: Any,
    params: Params,
    graph: maps.Map,
    strategy: np.ndarray,
    init: dict[str, Any],
    scenario: Scenario,
    reps: np.ndarray,
    t1: int,
    n: int,
    n_prov: int,
    capacity: int,
    record_states: bool,
    record_map: bool,
    n_measures: int,
    pool: ThreadPoolExecutor | None,
    record_dyads: bool = False,
) -> dict[str, np.ndarray]:
    """Run one block of replications; rerun those whose war table overflowed, with more room.

    What :func:`run` does for each block of replications (and calibration for a
    single one): the compiled kernel fills the arrays returned for replications
    ``reps`` of ``params.seed``.
    A replication whose war table fills up is run again, with four times the room
    each time, so the result never depends on ``capacity``; a pact table grows in the
    kernel as it needs, and one that outgrows the block's room comes back on its own
    (``pacts`` is then ragged).

    Parameters
    ----------
    simulate : callable
        The compiled kernel, :func:`equipoise.kernel.simulate`.
    params : Params
        :func:`kernel_params` of the scenario, steps and seed.
    graph : Map
        :func:`build_map` of the scenario.
    strategy : int array, shape (N,)
        :func:`strategy_codes` of the scenario.
    init : dict
        :func:`initial_arrays` of the scenario and map.
    scenario : Scenario
        The scenario (its power reach and initial output inequality).
    reps : int array
        Replication indices of the block.
    t1 : int
        Recorded steps, ``steps + 1`` (step 0 is the initial system).
    n, n_prov : int
        States and provinces.
    capacity : int
        Wars a replication's table holds at first.
    record_states : bool
        Fill ``provinces`` and ``blocs`` (else they are empty).
    record_map : bool
        Fill ``owners`` (else it is empty).
    n_measures : int
        System measures the kernel records (``len(KERNEL_MEASURES)``).
    pool : ThreadPoolExecutor, optional
        Threads to run the replications on, a few at a time; ``None``: this thread.
    record_dyads : bool
        Fill ``dyads`` (else it is empty).

    Returns
    -------
    dict of arrays
        ``system`` (R, t1, n_measures), ``share`` (R, t1, N), ``provinces`` and
        ``blocs`` (R, t1, N), ``owners`` (R, t1, provinces), ``wars`` (R, capacity,
        WAR_FIELDS: the kernel's war tables, read by :func:`war_rows`), ``n_wars``
        and ``overflow`` (R,), ``pacts`` (R, pact capacity, PACT_FIELDS: the pact
        tables, read by :func:`pact_rows`; no rows without treaties; after a
        replication overflowed its table, an (R,) object array of each replication's
        rows) and ``n_pacts``
        (R,), ``dyads`` (R, t1, N_DYAD_CELLS, 2: dyad-years and war onsets by cell,
        :mod:`equipoise.rules.dyads`), replications in the order of ``reps``.
    """
    from equipoise.metrics import N_DYAD_CELLS

    r = reps.size
    # room for the pacts in force at the start and about one new pact per 8 state-years
    room = max(64, init["init_pacts"].shape[0] + n * t1 // 8) if params.treaties else 0
    dyad_shape = (r, t1, N_DYAD_CELLS, 2) if record_dyads else (r, 0, 0, 0)
    out: dict[str, np.ndarray] = {
        "system": np.zeros((r, t1, n_measures)),
        "share": np.zeros((r, t1, n)),
        "provinces": np.zeros((r, t1, n) if record_states else (r, 0, 0), dtype=np.int32),
        "blocs": np.zeros((r, t1, n) if record_states else (r, 0, 0), dtype=np.int32),
        "owners": np.zeros((r, t1, n_prov) if record_map else (r, 0, 0), dtype=np.int16),
        "wars": np.zeros((r, capacity, WAR_FIELDS)),
        "n_wars": np.zeros(r, dtype=np.int64),
        "overflow": np.zeros(r, dtype=np.int64),
        "pacts": np.zeros((r, room, PACT_FIELDS)),
        "n_pacts": np.zeros(r, dtype=np.int64),
        "dyads": np.zeros(dyad_shape, dtype=np.int32),
    }
    spilled = _call(simulate, params, graph, strategy, init, scenario, reps, out, pool)
    while out["overflow"].any():  # a war table filled up: rerun with four times the room
        redo = np.flatnonzero(out["overflow"])
        capacity *= 4
        sub = {
            key: np.zeros((redo.size, *value.shape[1:]), dtype=value.dtype)
            for key, value in out.items()
            if key != "wars"
        }
        sub["wars"] = np.zeros((redo.size, capacity, WAR_FIELDS))
        again = _call(simulate, params, graph, strategy, init, scenario, reps[redo], sub, pool)
        table = np.zeros((r, capacity, WAR_FIELDS))
        table[:, : out["wars"].shape[1]] = out["wars"]
        out["wars"] = table
        for key, value in sub.items():
            out[key][redo] = value
        for k in redo.tolist():
            spilled.pop(k, None)
        spilled.update({int(redo[j]): rows for j, rows in again.items()})
    if spilled:
        # the pact tables are kept ragged, each replication's rows only: a treaty of many
        # members holds a pact per pair, and few replications outgrow the room
        ragged = np.empty(r, dtype=object)
        for k in range(r):
            ragged[k] = spilled.get(k, out["pacts"][k][: out["n_pacts"][k]])
        out["pacts"] = ragged
    return out


#: Replications per task handed to a thread (small, so that threads stay busy to the end).
_TASK = 4


def _call(
    simulate: Any,
    params: Params,
    graph: maps.Map,
    strategy: np.ndarray,
    init: dict[str, Any],
    scenario: Scenario,
    reps: np.ndarray,
    out: dict[str, np.ndarray],
    pool: ThreadPoolExecutor | None,
) -> dict[int, np.ndarray]:
    """Run ``reps`` into ``out``: in tasks of a few replications on the pool's threads.

    Each task writes the rows of its own replications (contiguous slices of the
    output arrays), so the tasks share nothing and their order does not matter.
    Returns the pact tables that outgrew ``out``'s room, by position in ``reps``.
    """
    if pool is None or reps.size <= _TASK:
        return _kernel_call(simulate, params, graph, strategy, init, scenario, reps, out)
    futures = []
    for a in range(0, reps.size, _TASK):
        part = {key: value[a : a + _TASK] for key, value in out.items()}
        futures.append(
            pool.submit(
                _kernel_call,
                simulate,
                params,
                graph,
                strategy,
                init,
                scenario,
                reps[a : a + _TASK],
                part,
            )
        )
    spilled: dict[int, np.ndarray] = {}
    for a, future in zip(range(0, reps.size, _TASK), futures, strict=True):
        spilled.update({a + k: rows for k, rows in future.result().items()})
    return spilled


def _kernel_call(
    simulate: Any,
    params: Params,
    graph: maps.Map,
    strategy: np.ndarray,
    init: dict[str, Any],
    scenario: Scenario,
    reps: np.ndarray,
    out: dict[str, np.ndarray],
) -> dict[int, np.ndarray]:
    """Run ``reps`` into ``out``; the pact tables that outgrew its room, by position."""
    spilled = typed.List.empty_list(types.float64[:, ::1])
    simulate(
        params,
        graph.indptr,
        graph.indices,
        graph.sea,
        graph.xy,
        strategy,
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
        init["entry_shares"],
        init["site"],
        np.ascontiguousarray(reps, dtype=np.int64),
        out["system"],
        out["share"],
        out["provinces"],
        out["blocs"],
        out["owners"],
        out["wars"],
        out["n_wars"],
        out["overflow"],
        init["init_pacts"],
        out["pacts"],
        out["n_pacts"],
        out["dyads"],
        spilled,
    )
    room = out["pacts"].shape[1]
    outgrew = np.flatnonzero(out["n_pacts"] > room).tolist()
    return dict(zip(outgrew, list(spilled), strict=True))


#: Columns of the engine's war rows (see :data:`equipoise.results.WAR_COLUMNS`).
_WAR_OUT = (
    "replication",
    "war",
    "start",
    "end",
    "initiator",
    "target",
    "participants",
    "battles",
    "provinces",
    "states_destroyed",
    "size",
    "world_military",
    "ongoing",
)


def war_rows(out: dict[str, np.ndarray], reps: np.ndarray) -> np.ndarray:
    """The block's wars as rows (roots of merged clusters only), in replication and onset order.

    Parameters
    ----------
    out : dict of arrays
        The output of :func:`simulate_block` (its ``wars`` and ``n_wars``).
    reps : int array
        The block's replication indices, in the order of ``out``.

    Returns
    -------
    float array, shape (wars, 13)
        One row per war, in the column order of the engine's war table
        (:data:`equipoise.results.WAR_COLUMNS`): replication, war, start, end,
        initiator, target, participants, battles, provinces, states destroyed,
        size, world military at onset and whether it is still being fought.
    """
    from equipoise.state import (
        W_BATTLES,
        W_CLOSED,
        W_DEATHS,
        W_INITIATOR,
        W_LAST,
        W_PARENT,
        W_PARTICIPANTS,
        W_PROVINCES,
        W_SIZE,
        W_START,
        W_TARGET,
        W_WORLD,
    )

    rows = []
    for k, rep in enumerate(reps):
        count = int(out["n_wars"][k])
        table = out["wars"][k, :count]
        roots = table[table[:, W_PARENT] < 0]
        if roots.size == 0:
            continue
        m = roots.shape[0]
        rows.append(
            np.column_stack(
                [
                    np.full(m, rep, dtype=np.float64),
                    np.arange(m, dtype=np.float64),
                    roots[:, W_START],
                    roots[:, W_LAST],
                    roots[:, W_INITIATOR],
                    roots[:, W_TARGET],
                    roots[:, W_PARTICIPANTS],
                    roots[:, W_BATTLES],
                    roots[:, W_PROVINCES],
                    roots[:, W_DEATHS],
                    roots[:, W_SIZE],
                    roots[:, W_WORLD],
                    1.0 - roots[:, W_CLOSED],
                ]
            )
        )
    return np.concatenate(rows) if rows else np.zeros((0, len(_WAR_OUT)))


def pact_rows(out: dict[str, np.ndarray], reps: np.ndarray) -> np.ndarray:
    """The block's pacts as rows, in replication and formation order.

    Parameters
    ----------
    out : dict of arrays
        The output of :func:`simulate_block` (its ``pacts`` and ``n_pacts``).
    reps : int array
        The block's replication indices, in the order of ``out``.

    Returns
    -------
    int32 array, shape (pacts, 8)
        One row per pact in the column order of
        :data:`equipoise.results.PACT_COLUMNS`: replication, pact, start, end (-1:
        in force at the end), the two states, kind, treaty. 32-bit: a treaty of many
        members holds a pact per pair, and a thousand runs of the whole system hold
        millions of pacts.
    """
    from equipoise.state import P_A, P_B, P_END, P_KIND, P_START, P_TREATY

    rows = []
    for k, rep in enumerate(reps):
        count = int(out["n_pacts"][k])
        if count == 0:
            continue
        table = out["pacts"][k][:count]  # a dense table, or a ragged one after an overflow
        block = np.empty((count, len(PACT_COLUMNS)), dtype=np.int32)
        block[:, 0] = rep
        block[:, 1] = np.arange(count)
        for c, field in enumerate((P_START, P_END, P_A, P_B, P_KIND, P_TREATY), start=2):
            block[:, c] = table[:, field]
        rows.append(block)
    return np.concatenate(rows) if rows else np.zeros((0, len(PACT_COLUMNS)), dtype=np.int32)


def _run_part(
    scenario: Scenario,
    replications: range,
    steps: int,
    seed: int,
    chunk_size: int | None,
    record_states: bool,
    record_map: bool,
    threads: int | None,
    record_dyads: bool = False,
) -> Result:
    """Run one worker's replication range (the target of :func:`_run_parallel`)."""
    return _run_here(
        scenario,
        replications,
        steps,
        seed,
        chunk_size,
        None,
        record_states,
        record_map,
        threads,
        record_dyads,
    )


def _run_parallel(
    scenario: Scenario,
    replications: range,
    steps: int,
    seed: int,
    workers: int,
    chunk_size: int | None,
    progress: Callable[[int], None] | None,
    record_states: bool,
    record_map: bool,
    threads: int | None,
    record_dyads: bool = False,
) -> Result:
    """Run contiguous replication ranges in worker processes and join them in order."""
    workers = min(workers, len(replications))
    bounds = np.linspace(0, len(replications), workers + 1).round().astype(int)
    parts = [replications[a:b] for a, b in itertools.pairwise(bounds)]
    # "spawn": a process forked after the kernel's OpenMP threads started may hang or
    # abort; a spawned worker loads the compiled kernel from Numba's on-disk cache
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=end_with, initargs=(os.getpid(),)
    ) as pool:
        futures = [
            pool.submit(
                _run_part,
                scenario,
                part,
                steps,
                seed,
                chunk_size,
                record_states,
                record_map,
                threads,
                record_dyads,
            )
            for part in parts
        ]
        results = []
        for part, future in zip(parts, futures, strict=True):
            results.append(future.result())
            if progress is not None:
                progress(len(part) * steps)
    return Result.concat(results)


def strategies_in(scenario: Scenario) -> Sequence[str]:
    """The strategies present in a scenario's population, in :data:`STRATEGIES` order."""
    names = set(scenario.strategy_names())
    return [s for s in STRATEGIES if s in names]
