"""The system state of one replication, as the compiled kernel sees it.

The kernel (:mod:`equipoise.kernel`) runs the replications of a block one
after another, blocks in parallel threads. Each replication builds a
:class:`World`: a Numba struct of numpy arrays holding that replication's
provinces, states and relations, which the
rules in :mod:`equipoise.rules` read and update in place. Nothing in a World
is shared between replications, so their order and grouping cannot change a
result. Fields derived from others (each state's provinces and fronts as bit
sets, front lengths and distances, the ranking by military, bloc and enemy
lists) are indexes, kept by :mod:`equipoise.rules.indexes` with the
invariants written there.

:class:`Params` carries the scenario's parameters into the kernel as plain
numbers (see :func:`equipoise.engine.kernel_params`).

Bloc codes
----------
Alliances are commitments between members of a *bloc*; ``bloc[i]`` is the
bloc of state ``i`` (-1: none). With N states:

* ``0 <= b < N``: the coalition balancing against state ``b``;
* ``N <= b < 2N``: the camp of state ``b - N`` (it and the states that
  bandwagon with it);
* ``b >= 2N``: a bloc not defined by a target: the two coalitions of landscape
  theory (``2N`` and ``2N + 1``) and alliances in force at the start
  (``2N + 2`` and up).

Two states are allied exactly when they are in the same bloc. Two states
marked ``apart`` (a scenario's ``alliance_exclusions``) are never in the same
bloc.

Pacts
-----
With treaties (``alliances.treaties``; :mod:`equipoise.rules.treaties`) there
are no blocs (``bloc`` stays -1): two living states may hold a pact instead,
``pact[i, j] == pact[j, i]`` its row in ``pact_table`` (-1: none), whose
columns are ``P_START`` ... ``P_SIDE``; a row whose ``P_END`` is -1 is in
force, and every pact in force links two living states. Rows with the same
``P_TREATY`` are one treaty (bilateral or multilateral) and share its kind and
threat. ``side`` holds each state's side of the landscape split (+1, -1; 0:
none) when the landscape rule runs with treaties.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit
from numba.core import types
from numba.experimental import structref

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
UIntArray = npt.NDArray[np.uint64]
Int8Array = npt.NDArray[np.int8]

__all__ = ["COUNTERS", "PACT_FIELDS", "WAR_FIELDS", "Params", "World", "new_world"]

#: Strategy codes (indices into :data:`equipoise.scenario.STRATEGIES`).
BALANCE_POWER, BALANCE_THREAT, BANDWAGON, BUCK_PASS, NONE = range(5)
# Extension point: a new strategy's code. Append it (never renumber: generated populations
# are assigned in code order, and seeded results depend on it), give it the same position in
# equipoise.scenario.STRATEGIES, and read it in the rules (docs/tutorials/extending.md).
HEDGE = 5
#: Offset of the camp bloc codes (multiplied by N).
CAMP = 1

# Slots of World.clock: the step, the replication, and this step's event counters.
CLK_STEP, CLK_REP, CLK_BATTLES, CLK_CONQUESTS, CLK_DEATHS = 0, 1, 2, 3, 4
CLK_JOINS, CLK_ONSETS, CLK_OVERFLOW, CLK_ATTACKS, CLK_OPEN = 5, 6, 7, 8, 9
COUNTERS = 10

# Columns of World.war_table: one row per war (a cluster of battles in space and time).
W_START, W_LAST, W_INITIATOR, W_TARGET, W_PARTICIPANTS = 0, 1, 2, 3, 4
W_BATTLES, W_PROVINCES, W_DEATHS, W_SIZE, W_WORLD = 5, 6, 7, 8, 9
W_PARENT, W_PAIRS, W_CLOSED = 10, 11, 12
WAR_FIELDS = 13

# Columns of World.pact_table: one row per pact, the tie between two members of a treaty
# (rules.treaties): the step it was formed (0: in force at the start), the step it ended (-1: in
# force), its two members (a < b), its kind, the threat both faced when it was formed (-1:
# none), a's share of the pair's capability then, the treaty it belongs to (rows with the same
# treaty number are one treaty, bilateral or multilateral) and the landscape side the two
# shared when it was formed (+1 or -1; 0: none).
P_START, P_END, P_A, P_B, P_KIND, P_THREAT, P_POWER, P_TREATY, P_SIDE = 0, 1, 2, 3, 4, 5, 6, 7, 8
PACT_FIELDS = 9
#: Pact kinds, ATOP's obligation types (Leeds et al. 2002), the strongest a pact holds.
DEFENCE, OFFENCE, NEUTRALITY, NON_AGGRESSION, CONSULTATION = range(5)


class Params(NamedTuple):
    """The scenario's parameters as the kernel reads them (all plain numbers)."""

    seed: int
    n_states: int
    steps: int
    # growth
    growth_rate: float
    growth_volatility: float
    depreciation: float
    convergence_rate: float
    growth_dispersion: float
    # power
    economic_weight: float
    gradient_exponent: float
    mobile_share: float
    # technology
    technology: bool
    innovation_rate: float
    innovation_size: float
    diffusion_rate: float
    # threat
    aggression_weight: float
    aggression_memory: float
    # internal balancing
    internal: bool
    arming_base: float
    arming_max: float
    arming_response: float
    adjustment_speed: float
    arming_drag: float
    # alliances
    alliances: bool
    landscape: bool
    alliance_threshold: float
    reliability: float
    alliance_duration: float
    landscape_interval: int
    proximity_weight: float
    # soft balancing
    soft: bool
    soft_threshold: float
    max_cost: float
    sender_cost: float
    episode_length: float
    evasion_rate: float
    fatigue: float
    # war
    war: bool
    attack_probability: float
    superiority: float
    decisiveness: float
    battle_losses: float
    ceasefire: float
    quiet_steps: int
    integrity_step: int
    # hegemony
    pole_threshold: float
    # seas
    across_water: float
    # treaties (rules.treaties)
    treaties: bool
    pact_formation: float
    pact_proximity: float
    shared_threat_factor: float
    pact_duration: float
    changed_factor: float
    power_shift: float


@structref.register
class WorldType(types.StructRef):
    """Numba type of :class:`World` (a mutable struct passed by reference)."""

    def preprocess_fields(self, fields: tuple[tuple[str, types.Type], ...]) -> tuple[Any, ...]:
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class World(structref.StructRefProxy):
    """One replication's state (arrays updated in place by the rules).

    Provinces (P of them) and states (N) are indexed from 0. A World is a
    Numba struct passed by reference, so handing it to a rule costs one
    reference count, not one per array. Counters that change are held in
    one-element arrays (``clock``, ``n_pairs``, ...).
    """

    # map (shared, read-only)
    indptr: IntArray  #: (P+1,) adjacency rows
    indices: IntArray  #: (E,) adjacency columns
    pxy: FloatArray  #: (P, 2) province coordinates
    strategy: IntArray  #: (N,) strategy codes
    # provinces
    owner: IntArray  #: (P,) owning state
    output: FloatArray  #: (P,) output of each province, in units of its owner's ``level``
    #: (N, ceil(P / 64)) each state's provinces as a bit set (bit q % 64 of word q // 64),
    #: so that a state's provinces are visited in increasing order without a scan of the map
    members: UIntArray
    #: (N, ceil(P / 64)) the same for each state's provinces on a front (a neighbour held by
    #: another state): the only provinces a front distance or a conquest can depend on
    edge: UIntArray
    foreign: IntArray  #: (P,) neighbours of each province held by another state
    home_dist: FloatArray  #: (P,) distance of each province from its owner's capital
    # states
    capital: IntArray  #: (N,) capital province
    alive: BoolArray  #: (N,)
    military: FloatArray  #: (N,) military stock M
    arming: FloatArray  #: (N,) arming share a
    reach: FloatArray  #: (N,) reach L of the loss-of-strength gradient
    aggression: FloatArray  #: (N,) decayed count of unprovoked attacks
    economy: FloatArray  #: (N,) output Y = level * held
    level: FloatArray  #: (N,) growth index: a province's output is ``output * level``
    held: FloatArray  #: (N,) sum of ``output`` over the state's provinces
    provinces: IntArray  #: (N,) provinces held
    dirty: BoolArray  #: (N,) territory or neighbourhood changed this step
    regrouped: BoolArray  #: (N,) provinces gained or lost since the last refresh
    stale: BoolArray  #: (N,) a front may have lost its nearest province since the last refresh
    share: FloatArray  #: (N,) capability share, refreshed each step
    threat: IntArray  #: (N,) top threat (-1: none)
    threat_level: FloatArray  #: (N,) its level (capability-share units)
    bloc: IntArray  #: (N,) bloc code (-1: none), see the module docstring
    bloc_life: IntArray  #: (N,) steps left of the commitment
    sanctioning: IntArray  #: (N,) state sanctioned (-1: none)
    sanction_life: IntArray  #: (N,) steps left of the sanctions episode
    sanction_loss: FloatArray  #: (N,) share of output lost to sanctions this step (a level)
    sanctioned_for: IntArray  #: (N,) steps the state has been sanctioned without a break
    rest: IntArray  #: (N,) steps a sender rests before it may sanction again
    trend: FloatArray  #: (N,) persistent trend growth above the mean
    productivity: FloatArray  #: (N,) output per head at the start (relative); times ``level``
    rest_arming: FloatArray  #: (N,) peacetime arming share (what ``none`` states keep)
    upkeep: FloatArray  #: (N,) exp(g + trend) - 1 + depreciation (output a unit stock needs)
    growth_path: FloatArray  #: (N, K) history's log growth replayed, K steps ((N, 0): none)
    order: IntArray  #: (N,) this step's order of moves (``rules.order``)
    attacked: BoolArray  #: (N,) launched an unprovoked attack this step
    loss: FloatArray  #: (N,) military destroyed this step
    # relations
    exposure: FloatArray  #: (N, N) fraction of the column state's power reaching the row's capital
    #: (N,) the largest fraction of another state's power that has reached each capital so far,
    #: a bound of its row of ``exposure`` (reach only lengthens, but a bound is all it must be)
    exposed: FloatArray
    capital_dist: FloatArray  #: (N, N) distances between capitals (capitals never move)
    hostile: BoolArray  #: (N, N) at war (symmetric)
    apart: BoolArray  #: (N, N) never in the same bloc (``alliance_exclusions``; symmetric)
    pairs: IntArray  #: (N*N,) hostile pairs (a*N+b, a<b), in order of onset
    n_pairs: IntArray  #: (1,) number of hostile pairs
    # fronts, kept up to date as provinces change hands
    border: IntArray  #: (N, N) adjacent province pairs between two states
    front_dist: FloatArray  #: (N, N) distance from row state's capital to the front
    nbr: IntArray  #: (N, N) bordering states of each state, first ``deg`` entries
    deg: IntArray  #: (N,) number of bordering states
    # wars (clusters of battles)
    war_of: IntArray  #: (N,) war the state fights in (-1: none)
    war_table: FloatArray  #: (capacity, WAR_FIELDS) the replication's wars
    n_wars: IntArray  #: (1,) wars opened
    # scratch
    queue: IntArray  #: (P,)
    claim: IntArray  #: (P,) claimant of a province when a state collapses
    mark: IntArray  #: (P,) visit stamps
    listed: IntArray  #: (P,) one state's provinces (see ``rules.indexes.provinces_of``)
    stamp: IntArray  #: (1,) current stamp
    spare: FloatArray  #: (N,) work space
    spare2: FloatArray  #: (N,) work space
    enemies: IntArray  #: (N,) number of states each state is at war with
    foes: IntArray  #: (N,) one state's enemies (``rules.indexes.enemies_of``)
    ranked: IntArray  #: (N,) the living states by military (``rules.indexes.rank_by_military``)
    n_ranked: IntArray  #: (1,) how many states ``ranked`` lists
    joinq: IntArray  #: (2 * N * N,) queue of war entries (entrant, enemy)
    tally: IntArray  #: (3 * N + 3,) members per bloc code
    first_member: IntArray  #: (3 * N + 3,) a bloc's living member of lowest index (-1: none)
    next_member: IntArray  #: (N,) the next living member of the same bloc (-1: none)
    #: (3, D) with D the map's largest degree: the parts of a loser's territory around a taken
    #: province (union-find parent, provinces waiting, flags; ``rules.geography._cut_off``)
    parts: IntArray
    clock: IntArray  #: (COUNTERS,) step and per-step counters, see kernel
    # seas (the map's sea edges and the land part of each front)
    sea: BoolArray  #: (E,) the edge crosses water (aligned with ``indices``; all False: a lattice)
    #: (N, N) adjacent province pairs between two states joined by land (at most ``border``;
    #: equal to it on a map without seas)
    land: IntArray
    # treaties (rules.treaties)
    pact: IntArray  #: (N, N) row of the pair's pact in force in ``pact_table`` (-1: none)
    #: (N, N) the kind of the pair's pact in force (-1: none): ``pact_table``'s column, kept
    #: beside ``pact`` so that the rules asking "allied?" of every pair read one small matrix
    pact_kind: Int8Array
    n_allies: IntArray  #: (N,) defence and offence pacts in force of each state
    pact_table: FloatArray  #: (capacity, PACT_FIELDS) the replication's pacts
    n_pacts: IntArray  #: (1,) pacts formed (rows of ``pact_table`` used)
    n_treaties: IntArray  #: (1,) treaties formed (the next treaty number)
    #: (capacity,) the rows of ``pact_table`` that may be in force, ascending, ``n_live[0]`` of
    #: them: every pact in force is listed (ended ones until the next step's termination)
    live: IntArray
    n_live: IntArray  #: (1,) rows listed in ``live``
    side: IntArray  #: (N,) side of the landscape split with treaties (+1, -1; 0: none)
    #: (N * N + 1,) pairs that became hostile since the dyad-year recorder last read them
    #: (``rules.dyads``): how many in [0], their codes ``lo * N + hi`` after it
    opened: IntArray
    #: (N, N, 4) scratch of the treaties' termination: each state's decisions this step,
    #: ``n_choice[i]`` of them: treaty, first pact, shifted, withdraws (``rules.treaties``)
    choice: IntArray
    n_choice: IntArray  #: (N,) decisions listed in ``choice``
    #: the treaties' rosters, their members in order of their first pact in force
    #: (``rules.treaties._enrol``): (capacity,) first and last entry of each treaty (-1: none),
    #: (2 * capacity,) each entry's member and next entry (-1: none), entries used
    roster_head: IntArray
    roster_tail: IntArray
    roster_member: IntArray
    roster_next: IntArray
    n_roster: IntArray
    enrolled: IntArray  #: (N, N) the treaties on whose roster each state is
    n_enrolled: IntArray  #: (N,) how many


structref.define_proxy(World, WorldType, list(World.__annotations__))


def _python_getter(name: str) -> property:
    """A property reading field ``name`` of a World from Python (tests, inspection)."""
    namespace: dict[str, Any] = {}
    exec(f"def get(w):\n    return w.{name}\n", namespace)  # one small compiled getter per field
    get = njit(namespace["get"])
    return property(lambda self: get(self), doc=f"The World's ``{name}`` (shares its memory).")


for _name in World.__annotations__:
    setattr(World, _name, _python_getter(_name))


@njit
def new_world(
    indptr: IntArray,
    indices: IntArray,
    pxy: FloatArray,
    strategy: IntArray,
    n_states: int,
    war_capacity: int,
    war_fields: int,
    counters: int,
    sea: BoolArray,
    pact_capacity: int,
    pact_fields: int,
) -> World:
    """Allocate a World of ``n_states`` states on the given map (compiled; callable from Python).

    ``sea`` flags the edges (aligned with ``indices``) that cross water; the pact table
    has room for ``pact_capacity`` pacts (0 without treaties).
    """
    n = n_states
    n_prov = pxy.shape[0]
    max_degree = 1
    for q in range(n_prov):
        max_degree = max(max_degree, indptr[q + 1] - indptr[q])
    # positional, in the order of the fields; the names are for the reader
    return World(
        indptr,
        indices,
        pxy,
        strategy,
        np.zeros(n_prov, np.int64),  # owner
        np.zeros(n_prov, np.float64),  # output
        np.zeros((n, (n_prov + 63) // 64), np.uint64),  # members
        np.zeros((n, (n_prov + 63) // 64), np.uint64),  # edge
        np.zeros(n_prov, np.int64),  # foreign
        np.zeros(n_prov, np.float64),  # home_dist
        np.zeros(n, np.int64),  # capital
        np.zeros(n, np.bool_),  # alive
        np.zeros(n, np.float64),  # military
        np.zeros(n, np.float64),  # arming
        np.zeros(n, np.float64),  # reach
        np.zeros(n, np.float64),  # aggression
        np.zeros(n, np.float64),  # economy
        np.zeros(n, np.float64),  # level
        np.zeros(n, np.float64),  # held
        np.zeros(n, np.int64),  # provinces
        np.zeros(n, np.bool_),  # dirty
        np.zeros(n, np.bool_),  # regrouped
        np.zeros(n, np.bool_),  # stale
        np.zeros(n, np.float64),  # share
        np.full(n, -1, np.int64),  # threat
        np.zeros(n, np.float64),  # threat_level
        np.full(n, -1, np.int64),  # bloc
        np.zeros(n, np.int64),  # bloc_life
        np.full(n, -1, np.int64),  # sanctioning
        np.zeros(n, np.int64),  # sanction_life
        np.zeros(n, np.float64),  # sanction_loss
        np.zeros(n, np.int64),  # sanctioned_for
        np.zeros(n, np.int64),  # rest
        np.zeros(n, np.float64),  # trend
        np.ones(n, np.float64),  # productivity
        np.zeros(n, np.float64),  # rest_arming
        np.zeros(n, np.float64),  # upkeep
        np.zeros((n, 0), np.float64),  # growth_path
        np.arange(n, dtype=np.int64),  # order
        np.zeros(n, np.bool_),  # attacked
        np.zeros(n, np.float64),  # loss
        np.zeros((n, n), np.float64),  # exposure
        np.zeros(n, np.float64),  # exposed
        np.zeros((n, n), np.float64),  # capital_dist
        np.zeros((n, n), np.bool_),  # hostile
        np.zeros((n, n), np.bool_),  # apart
        np.zeros(n * n, np.int64),  # pairs
        np.zeros(1, np.int64),  # n_pairs
        np.zeros((n, n), np.int64),  # border
        np.zeros((n, n), np.float64),  # front_dist
        np.zeros((n, n), np.int64),  # nbr
        np.zeros(n, np.int64),  # deg
        np.full(n, -1, np.int64),  # war_of
        np.zeros((war_capacity, war_fields), np.float64),  # war_table
        np.zeros(1, np.int64),  # n_wars
        np.zeros(n_prov, np.int64),  # queue
        np.zeros(n_prov, np.int64),  # claim
        np.zeros(n_prov, np.int64),  # mark
        np.zeros(n_prov, np.int64),  # listed
        np.zeros(1, np.int64),  # stamp
        np.zeros(n, np.float64),  # spare
        np.zeros(n, np.float64),  # spare2
        np.zeros(n, np.int64),  # enemies
        np.zeros(n, np.int64),  # foes
        np.arange(n, dtype=np.int64),  # ranked
        np.full(1, n, np.int64),  # n_ranked
        np.zeros(2 * n * n + 2, np.int64),  # joinq
        np.zeros(3 * n + 3, np.int64),  # tally
        np.full(3 * n + 3, -1, np.int64),  # first_member
        np.full(n, -1, np.int64),  # next_member
        np.zeros((3, max_degree), np.int64),  # parts
        np.zeros(counters, np.int64),  # clock
        sea,
        np.zeros((n, n), np.int64),  # land
        np.full((n, n), -1, np.int64),  # pact
        np.full((n, n), -1, np.int8),  # pact_kind
        np.zeros(n, np.int64),  # n_allies
        np.zeros((pact_capacity, pact_fields), np.float64),  # pact_table
        np.zeros(1, np.int64),  # n_pacts
        np.zeros(1, np.int64),  # n_treaties
        np.zeros(pact_capacity, np.int64),  # live
        np.zeros(1, np.int64),  # n_live
        np.zeros(n, np.int64),  # side
        np.zeros(n * n + 1, np.int64),  # opened
        np.zeros((n, n, 4), np.int64),  # choice
        np.zeros(n, np.int64),  # n_choice
        np.full(pact_capacity, -1, np.int64),  # roster_head
        np.zeros(pact_capacity, np.int64),  # roster_tail
        np.zeros(2 * pact_capacity, np.int64),  # roster_member
        np.zeros(2 * pact_capacity, np.int64),  # roster_next
        np.zeros(1, np.int64),  # n_roster
        np.zeros((n, n), np.int64),  # enrolled
        np.zeros(n, np.int64),  # n_enrolled
    )
