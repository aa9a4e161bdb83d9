"""The engine: composes the rules into a step and runs replications.

Order of a step (each a pure rule from :mod:`equipoise.rules`):

1. threat perception (:func:`~equipoise.rules.threat.perceive`)
2. internal balancing (:func:`~equipoise.rules.internal.arm`)
3. external balancing (:func:`~equipoise.rules.alliances.align`)
4. soft balancing (:func:`~equipoise.rules.soft.sanction`)
5. war (:func:`~equipoise.rules.war.fight`)
6. growth (:func:`~equipoise.rules.growth.grow`)

Randomness
----------
The root ``numpy.random.SeedSequence(seed)`` is spawned into one child per
replication (``SeedSequence(seed).spawn(R)``), and each child seeds one PCG64
``Generator``. A replication draws, in order, its initial conditions and then
``N_DRAWS`` uniforms per state per step, always with ``Generator.random`` so
that drawing the steps in blocks of any length yields the same numbers. A
replication's random numbers therefore depend only on the seed and its
index: results are bit-identical whatever the batch (chunk) size, and
replications can be run on any number of workers.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from scipy.special import ndtri

from equipoise import metrics
from equipoise._procs import end_with
from equipoise.results import SYSTEM_MEASURES, Result
from equipoise.rules import alliances, growth, internal, soft, threat, war
from equipoise.rules import alliances as alliances_rule
from equipoise.scenario import InvalidScenarioError, Scenario
from equipoise.state import FloatArray, SystemState, capability_share
from equipoise.strategies import strategy_codes

__all__ = [
    "N_DRAWS",
    "SeedLike",
    "build_step",
    "initial_state",
    "iterate",
    "replication_seeds",
    "resolve_seed",
    "run",
    "step",
]

SeedLike = int | np.random.SeedSequence | None

#: Uniform draws per state per step, and their roles.
N_DRAWS = 5
SHOCK, OPPORTUNITY, OUTCOME, RELIABILITY, LIFETIME = range(N_DRAWS)

#: Budget (elements) for the (R, N, N) arrays of one chunk and for a block of draws.
_PAIR_BUDGET = 6_000_000
_DRAW_BUDGET = 4_000_000


def resolve_seed(seed: SeedLike) -> np.random.SeedSequence:
    """Turn a seed into the root ``SeedSequence`` (fresh entropy, with a warning, for None)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        ss = np.random.SeedSequence()
        warnings.warn(
            f"no seed given: results are not reproducible unless you reuse seed={ss.entropy}",
            UserWarning,
            stacklevel=3,
        )
        return ss
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidScenarioError(f"seed must be a non-negative integer, got {seed!r}")
    return np.random.SeedSequence(int(seed))


def replication_seeds(
    seed: SeedLike, replications: int | range | Sequence[int]
) -> list[np.random.SeedSequence]:
    """Child seed sequences of the given replications.

    ``replication_seeds(s, R)`` equals ``SeedSequence(s).spawn(R)``; any subset
    (``range(100, 200)``) gives the same children without spawning the rest.
    """
    root = resolve_seed(seed)
    index = range(int(replications)) if isinstance(replications, int | np.integer) else replications
    return [
        np.random.SeedSequence(
            root.entropy,
            spawn_key=(*root.spawn_key, root.n_children_spawned + int(i)),
            pool_size=root.pool_size,
        )
        for i in index
    ]


def _generators(seeds: Sequence[np.random.SeedSequence]) -> list[np.random.Generator]:
    return [np.random.Generator(np.random.PCG64(s)) for s in seeds]


def initial_state(scenario: Scenario, generators: Sequence[np.random.Generator]) -> SystemState:
    """Build the initial state of ``len(generators)`` replications.

    Explicit ``[[states]]`` are copied into every replication, with the
    ``initial_alliances`` among them (lifetimes drawn as for new alliances). Generated states
    get uniform positions in the unit square and log-normal economies with
    mean 1 and ``initial.economy_inequality`` as sigma, drawn from each
    replication's own generator.
    """
    n = scenario.size
    r = len(generators)
    init = scenario.initial
    arming = np.full((r, n), init.arming_share)
    if scenario.states:
        specs = scenario.states
        economy = np.tile(np.array([s.economy for s in specs], dtype=np.float64), (r, 1))
        military = np.tile(np.array([s.military for s in specs], dtype=np.float64), (r, 1))
        pos = np.array([[s.x, s.y] for s in specs], dtype=np.float64)
        position = np.broadcast_to(pos, (r, n, 2)).copy()
        own = np.array(
            [init.arming_share if s.arming_share is None else s.arming_share for s in specs]
        )
        arming = np.tile(own, (r, 1))
    else:
        u = np.stack([g.random((3, n)) for g in generators]) if r else np.zeros((0, 3, n))
        position = np.stack([u[:, 0], u[:, 1]], axis=-1)
        sigma = init.economy_inequality
        z = ndtri(np.clip(u[:, 2], 1e-12, 1 - 1e-12))
        economy = np.exp(sigma * z - 0.5 * sigma**2)
        military = init.military_ratio * economy
    state = SystemState(
        economy=economy,
        military=military,
        arming_share=arming,
        alive=np.ones((r, n), dtype=bool),
        aggression=np.zeros((r, n)),
        alliances=np.zeros((r, n, n), dtype=np.int16),
        sanctions=np.zeros((r, n, n), dtype=bool),
        threat_level=np.zeros((r, n)),
        top_threat=np.full((r, n), -1, dtype=np.int64),
        war_target=np.full((r, n), -1, dtype=np.int64),
        war_won=np.zeros((r, n), dtype=bool),
        war_size=np.zeros((r, n)),
        position=position,
        distance_discount=threat.distance_discount(
            position, scenario.threat.reach, scenario.threat.gradient_exponent
        ),
        strategy=strategy_codes(scenario.strategy_names()),
        step=0,
    )
    if scenario.initial_alliances:
        state = dataclasses.replace(
            state, alliances=_initial_alliances(scenario, generators, state.alliances)
        )
    return threat.perceive(state, scenario)


def _initial_alliances(
    scenario: Scenario, generators: Sequence[np.random.Generator], alliances: np.ndarray
) -> np.ndarray:
    """Alliances in force at the start, with lifetimes drawn like new ones."""
    index = {name: i for i, name in enumerate(scenario.state_names())}
    a = np.array([index[x] for x, _ in scenario.initial_alliances])
    b = np.array([index[y] for _, y in scenario.initial_alliances])
    u = np.stack([g.random(a.size) for g in generators]) if generators else np.zeros((0, a.size))
    if not scenario.alliances.enabled:
        return alliances
    life = alliances_rule.geometric_lifetime(u, scenario.alliances.alliance_duration)
    out = alliances.copy()
    out[:, a, b] = np.maximum(out[:, a, b], life)
    out[:, b, a] = out[:, a, b]
    return out


def step(
    state: SystemState,
    scenario: Scenario,
    draws: FloatArray,
    *,
    share: FloatArray | None = None,
) -> SystemState:
    """Advance every replication one step.

    Parameters
    ----------
    state : SystemState
        The system at the start of the step.
    scenario : Scenario
        Parameters of the rules.
    draws : (R, N_DRAWS, N) array of uniforms in [0, 1)
        This step's random numbers, one row per role (see ``N_DRAWS``).
    share : (R, N) array, optional
        ``capability_share(state, economic_weight)`` if the caller has it
        (the recorder computes it after every step); computed here otherwise.

    Returns
    -------
    SystemState
        The system after the six rules, with ``step`` increased by one.

    Notes
    -----
    Perception, internal balancing and soft balancing read the capability
    shares of the same economies, militaries and alive states unless external
    balancing changed the economies (appeasement), so the share is computed
    once and passed to them, and computed again only after such a change.
    """
    if share is None:
        share = capability_share(state, scenario.growth.economic_weight)
    state = threat.perceive(state, scenario, share=share)
    state = internal.arm(state, scenario, share=share)
    before = state
    state = alliances.align(state, scenario, draws[:, LIFETIME])
    same = (
        state.economy is before.economy
        and state.military is before.military
        and state.alive is before.alive
    )
    state = soft.sanction(state, scenario, share=share if same else None)
    state = war.fight(
        state, scenario, draws[:, OPPORTUNITY], draws[:, OUTCOME], draws[:, RELIABILITY]
    )
    state = growth.grow(state, scenario, draws[:, SHOCK])
    return dataclasses.replace(state, step=state.step + 1)


def build_step(
    scenario: Scenario,
) -> tuple[
    Callable[[Sequence[np.random.Generator]], SystemState],
    Callable[[SystemState, FloatArray], SystemState],
]:
    """Return ``(init_fn, step_fn)`` bound to a scenario, in the style of JAX MD."""

    def init_fn(generators: Sequence[np.random.Generator]) -> SystemState:
        return initial_state(scenario, generators)

    def step_fn(state: SystemState, draws: FloatArray) -> SystemState:
        return step(state, scenario, draws)

    return init_fn, step_fn


def _draw_blocks(
    generators: Sequence[np.random.Generator], n: int, steps: int
) -> Iterator[FloatArray]:
    """Yield this chunk's uniforms step by step, drawn in memory-bounded blocks."""
    r = len(generators)
    block = max(1, min(steps, _DRAW_BUDGET // max(1, r * N_DRAWS * n)))
    done = 0
    while done < steps:
        b = min(block, steps - done)
        # each generator fills its own contiguous (b, N_DRAWS, N) slab in place:
        # the same numbers as g.random((b, N_DRAWS, n)), without a stacking copy
        draws = np.empty((r, b, N_DRAWS, n))
        for k, g in enumerate(generators):
            g.random(out=draws[k])
        for t in range(b):
            yield draws[:, t]  # (R, N_DRAWS, N)
        done += b


def iterate(
    scenario: Scenario,
    replications: int | range | Sequence[int],
    steps: int,
    seed: SeedLike,
) -> Iterator[SystemState]:
    """Yield the initial state and the state after each of ``steps`` steps.

    All requested replications are held in one batch; use :func:`run` for
    large runs. Useful for inspecting the dynamics and for invariant tests.
    """
    gens = _generators(replication_seeds(seed, replications))
    state = initial_state(scenario, gens)
    yield state
    for draws in _draw_blocks(gens, scenario.size, steps):
        state = step(state, scenario, draws)
        yield state


class _Recorder:
    """Per-step observations of a chunk, written into the run's preallocated arrays.

    Parameters
    ----------
    system : dict of (R_chunk, T + 1) arrays
        This chunk's rows of the run's system-measure arrays (views, written in place).
    share : (R_chunk, T + 1, N) float32 array or None
        This chunk's rows of the run's ``share`` array, if states are recorded.
    pole_threshold : float
        Share that makes a pole.
    """

    def __init__(
        self, system: dict[str, np.ndarray], share: np.ndarray | None, pole_threshold: float
    ) -> None:
        self.pole_threshold = pole_threshold
        self.share = share
        self.system = system
        self.wars: list[np.ndarray] = []

    def record(self, state: SystemState, economic_weight: float) -> FloatArray:
        """Record the system measures of ``state`` and return its capability shares.

        The shares are those the next :func:`step` starts from, so the engine
        passes them on instead of computing them again.
        """
        t = state.step
        r = state.replications
        share = capability_share(state, economic_weight)  # NaN-free: no nan_to_num below
        survivors = state.alive.sum(axis=1)
        if self.share is not None:
            self.share[:, t] = share
        s = self.system
        s["leader"][:, t] = np.argmax(share, axis=1)
        s["leader_share"][:, t] = share.max(axis=1)
        h = metrics.hhi(share)
        s["concentration"][:, t] = metrics.concentration_from_hhi(h, survivors)
        s["hhi"][:, t] = h
        s["n_poles"][:, t] = (share >= self.pole_threshold).sum(axis=1)
        s["survivors"][:, t] = survivors
        s["alliances"][:, t] = _count_true(state.alliances > 0, r) // 2
        # a state sanctions at most one state (the leader, see soft.sanction), so
        # counting True cells counts sanctioners
        s["sanctioners"][:, t] = _count_true(state.sanctions, r)
        at_war = state.war_target >= 0
        s["wars"][:, t] = at_war.sum(axis=1)
        s["war_losses"][:, t] = state.war_size.sum(axis=1)
        alive_n = np.maximum(survivors, 1)
        s["mean_arming"][:, t] = (state.arming_share * state.alive).sum(axis=1) / alive_n
        if at_war.any():
            wr, wi = np.nonzero(at_war)
            wj = state.war_target[wr, wi]
            won = state.war_won[wr, wi]
            self.wars.append(
                np.stack(
                    [
                        wr.astype(np.float64),
                        np.full(wr.size, t, dtype=np.float64),
                        wi.astype(np.float64),
                        wj.astype(np.float64),
                        np.where(won, wi, wj).astype(np.float64),
                        state.war_size[wr, wi],
                    ],
                    axis=1,
                )
            )
        return share

    def war_table(self, index: np.ndarray) -> np.ndarray:
        """Wars with the chunk's replication positions mapped to replication indices."""
        if not self.wars:
            return np.zeros((0, 6))
        table = np.concatenate(self.wars)
        table[:, 0] = index[table[:, 0].astype(np.int64)]
        return table


def _count_true(mask: np.ndarray, r: int) -> np.ndarray:
    """Number of True cells of each replication of an (R, ...) boolean array.

    Sums bytes in the narrowest accumulator that cannot overflow, which is
    several times faster than ``np.count_nonzero(mask, axis=(1, 2))``.
    """
    flat = mask.reshape(r, -1).view(np.uint8)
    acc = np.uint16 if flat.shape[1] < np.iinfo(np.uint16).max else np.int64
    return flat.sum(axis=1, dtype=acc)


def run(
    scenario: Scenario | str,
    replications: int | range | None = None,
    steps: int | None = None,
    seed: SeedLike = None,
    *,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    record_states: bool = True,
    workers: int = 1,
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
        Default from the scenario's ``run.steps``.
    seed : int or SeedSequence, optional
        Root seed; defaults to the scenario's ``run.seed``.
    chunk_size : int, optional
        Replications simulated together (default: as many as fit a memory
        budget). Results do not depend on it.
    progress : callable, optional
        Called with the number of replication-steps done after each step
        (with ``workers > 1``: after each worker's part, with that part's count).
    record_states : bool
        Keep every state's share at every step (``share`` variable, float32).
    workers : int
        Processes to run the replications in (default 1: this process). The
        replications are split into ``workers`` contiguous ranges, each run in
        a worker process (the platform's default start method) and joined with
        :meth:`Result.concat`; each replication has its own random stream, so
        the result is the same for any number of workers. Each worker holds its
        own chunk in memory. Where the start method is "spawn" or "forkserver"
        (macOS, Windows, Python >= 3.14), a script must call :func:`run` under
        ``if __name__ == "__main__":``.

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
    steps = scenario.run.steps if steps is None else steps
    if isinstance(replications, range):
        if len(replications) == 0 or replications.start < 0 or replications.step < 1:
            raise InvalidScenarioError(
                f"replications must be a non-empty increasing range of indices >= 0, "
                f"got {replications!r}"
            )
        index = np.asarray(replications, dtype=np.int64)
        checks: tuple[tuple[str, object], ...] = (("steps", steps), ("chunk_size", chunk_size))
    else:
        checks = (("replications", replications), ("steps", steps), ("chunk_size", chunk_size))
        index = None
    for name, value in checks:
        if name == "chunk_size" and value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise InvalidScenarioError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(workers, bool) or not isinstance(workers, int | np.integer) or workers < 1:
        raise InvalidScenarioError(f"workers must be a positive integer, got {workers!r}")
    if index is None:
        assert not isinstance(replications, range)  # a range always set index above
        index = np.arange(int(replications), dtype=np.int64)
    steps = int(steps)
    root = resolve_seed(scenario.run.seed if seed is None else seed)
    if workers > 1 and index.size > 1:
        span = replications if isinstance(replications, range) else range(int(replications))
        return _run_parallel(
            scenario, span, steps, root, int(workers), chunk_size, progress, record_states
        )
    replications = index.size
    n = scenario.size
    chunk = int(chunk_size) if chunk_size else max(1, _PAIR_BUDGET // (n * n))
    seeds = replication_seeds(root, index.tolist())
    hp = scenario.hegemony
    w = scenario.growth.economic_weight

    # the run's arrays are allocated once and each chunk writes its rows: no
    # concatenation copies at the end (the float32 share array is R x (T+1) x N)
    system: dict[str, np.ndarray] = {
        name: np.zeros((replications, steps + 1), dtype=dtype)
        for name, (dtype, _) in SYSTEM_MEASURES.items()
    }
    share_all = np.zeros((replications, steps + 1, n), dtype=np.float32) if record_states else None
    war_parts: list[np.ndarray] = []
    for start in range(0, replications, chunk):
        gens = _generators(seeds[start : start + chunk])
        rows = slice(start, start + len(gens))
        rec = _Recorder(
            {name: arr[rows] for name, arr in system.items()},
            None if share_all is None else share_all[rows],
            hp.pole_threshold,
        )
        state = initial_state(scenario, gens)
        share = rec.record(state, w)
        for draws in _draw_blocks(gens, n, steps):
            state = step(state, scenario, draws, share=share)
            share = rec.record(state, w)
            if progress is not None:
                progress(len(gens))
        war_parts.append(rec.war_table(index[start:]))
        del rec, state, share

    series = system
    spells = metrics.hegemony_spells(
        series["leader"], series["leader_share"], hp.hegemony_threshold, hp.hegemony_duration
    )
    return Result.build(
        scenario=scenario,
        seed=root,
        steps=steps,
        system=series,
        share=share_all,
        wars=np.concatenate(war_parts),
        hegemony=spells,
        replication_index=index,
    )


def _run_part(
    scenario: Scenario,
    replications: range,
    steps: int,
    seed: np.random.SeedSequence,
    chunk_size: int | None,
    record_states: bool,
) -> Result:
    """Run one worker's replication range (the target of :func:`_run_parallel`)."""
    return run(
        scenario,
        replications,
        steps,
        seed,
        chunk_size=chunk_size,
        record_states=record_states,
    )


def _run_parallel(
    scenario: Scenario,
    replications: range,
    steps: int,
    root: np.random.SeedSequence,
    workers: int,
    chunk_size: int | None,
    progress: Callable[[int], None] | None,
    record_states: bool,
) -> Result:
    """Run contiguous replication ranges in worker processes and join them in order."""
    workers = min(workers, len(replications))
    bounds = np.linspace(0, len(replications), workers + 1).round().astype(int)
    parts = [replications[a:b] for a, b in itertools.pairwise(bounds)]
    # the platform's default start method: "fork" on Linux before Python 3.14 (no
    # re-import, workers start in milliseconds), "spawn"/"forkserver" elsewhere
    context = multiprocessing.get_context()
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=end_with, initargs=(os.getpid(),)
    ) as pool:
        futures = [
            pool.submit(_run_part, scenario, part, steps, root, chunk_size, record_states)
            for part in parts
        ]
        results = []
        for part, future in zip(parts, futures, strict=True):
            results.append(future.result())
            if progress is not None:
                progress(len(part) * steps)
    return Result.concat(results)
