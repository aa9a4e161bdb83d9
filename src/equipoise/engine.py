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
import warnings
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from scipy.special import ndtri

from equipoise import metrics
from equipoise.results import SYSTEM_MEASURES, Result
from equipoise.rules import alliances, growth, internal, soft, threat, war
from equipoise.rules import alliances as alliances_rule
from equipoise.scenario import InvalidScenarioError, Scenario
from equipoise.state import FloatArray, SystemState, capability
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


def step(state: SystemState, scenario: Scenario, draws: FloatArray) -> SystemState:
    """Advance every replication one step.

    Parameters
    ----------
    draws : (R, N_DRAWS, N) array of uniforms in [0, 1)
        This step's random numbers, one row per role (see ``N_DRAWS``).
    """
    state = threat.perceive(state, scenario)
    state = internal.arm(state, scenario)
    state = alliances.align(state, scenario, draws[:, LIFETIME])
    state = soft.sanction(state, scenario)
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
        draws = np.stack([g.random((b, N_DRAWS, n)) for g in generators], axis=1)
        yield from draws  # each (R, N_DRAWS, N)
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
    """Preallocated per-step observations of a chunk."""

    def __init__(
        self, r: int, steps: int, n: int, pole_threshold: float, record_states: bool
    ) -> None:
        t = steps + 1
        self.pole_threshold = pole_threshold
        self.share = np.zeros((r, t, n), dtype=np.float32) if record_states else None
        self.system = {
            name: np.zeros((r, t), dtype=dtype) for name, (dtype, _) in SYSTEM_MEASURES.items()
        }
        self.wars: list[np.ndarray] = []

    def record(self, state: SystemState, economic_weight: float) -> None:
        t = state.step
        cap = capability(state, economic_weight)
        share = np.nan_to_num(metrics.shares(cap, state.alive))
        survivors = state.alive.sum(axis=1)
        if self.share is not None:
            self.share[:, t] = share
        s = self.system
        s["leader"][:, t] = metrics.leader(share)
        s["leader_share"][:, t] = metrics.leader_share(share)
        s["concentration"][:, t] = metrics.concentration(share, survivors)
        s["hhi"][:, t] = metrics.hhi(share)
        s["n_poles"][:, t] = metrics.n_poles(share, self.pole_threshold)
        s["survivors"][:, t] = survivors
        s["alliances"][:, t] = np.count_nonzero(state.alliances, axis=(1, 2)) // 2
        s["sanctioners"][:, t] = state.sanctions.any(axis=2).sum(axis=1)
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

    def war_table(self, index: np.ndarray) -> np.ndarray:
        """Wars with the chunk's replication positions mapped to replication indices."""
        if not self.wars:
            return np.zeros((0, 6))
        table = np.concatenate(self.wars)
        table[:, 0] = index[table[:, 0].astype(np.int64)]
        return table


def run(
    scenario: Scenario | str,
    replications: int | range | None = None,
    steps: int | None = None,
    seed: SeedLike = None,
    *,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    record_states: bool = True,
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
        Called with the number of replication-steps done after each step.
    record_states : bool
        Keep every state's share at every step (``share`` variable, float32).

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
    if index is None:
        index = np.arange(int(replications), dtype=np.int64)
    steps = int(steps)
    replications = index.size
    root = resolve_seed(scenario.run.seed if seed is None else seed)
    n = scenario.size
    chunk = int(chunk_size) if chunk_size else max(1, _PAIR_BUDGET // (n * n))
    seeds = replication_seeds(root, index.tolist())
    hp = scenario.hegemony
    w = scenario.growth.economic_weight

    system = {name: [] for name in SYSTEM_MEASURES}
    share_parts: list[np.ndarray] = []
    war_parts: list[np.ndarray] = []
    for start in range(0, replications, chunk):
        gens = _generators(seeds[start : start + chunk])
        rec = _Recorder(len(gens), steps, n, hp.pole_threshold, record_states)
        state = initial_state(scenario, gens)
        rec.record(state, w)
        for draws in _draw_blocks(gens, n, steps):
            state = step(state, scenario, draws)
            rec.record(state, w)
            if progress is not None:
                progress(len(gens))
        for name in SYSTEM_MEASURES:
            system[name].append(rec.system[name])
        if record_states:
            share_parts.append(rec.share)
        war_parts.append(rec.war_table(index[start:]))
        del rec, state

    series = {name: np.concatenate(parts) for name, parts in system.items()}
    spells = metrics.hegemony_spells(
        series["leader"], series["leader_share"], hp.hegemony_threshold, hp.hegemony_duration
    )
    return Result.build(
        scenario=scenario,
        seed=root,
        steps=steps,
        system=series,
        share=np.concatenate(share_parts) if record_states else None,
        wars=np.concatenate(war_parts),
        hegemony=spells,
        replication_index=index,
    )
