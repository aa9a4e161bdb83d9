"""External balancing: alliances against a threat, and their decay.

Each step, in order:

1. **Decay.** Every alliance ages one step. Lifetimes are drawn when an
   alliance forms from a geometric distribution with mean
   ``alliance_duration``, which is the same as a constant per-step chance of
   dissolution ``1 / alliance_duration``. Under anarchy nothing holds an
   alliance together once the interest behind it fades (Waltz 1979).
2. **Defection from the threat.** A balancing state whose top threat is one
   of its own allies, with a threat level at or above ``alliance_threshold``,
   leaves that alliance.
3. **Formation.** Every balancing state whose threat level is at or above
   ``alliance_threshold`` proposes an alliance to one partner: the alive,
   not-yet-allied, balancing state (not the threat itself) with the highest
   score ``shared + proximity_weight * discount_ik``, where ``shared`` is 1 if
   the partner's top threat is the same state (Walt 1987: states ally against
   a common threat) and ``discount_ik`` is the loss-of-strength gradient
   between them. Bandwagoners instead propose to their top threat, the
   strongest state, which always accepts (Schweller 1994).
4. **Appeasement.** A bandwagoner allied with its top threat concedes the
   share ``appeasement`` of its economy to it each step. Walt (1987)
   treats bandwagoning as a form of appeasement: the weaker side buys
   safety by accommodating the stronger, which is why a world of
   bandwagoners lets the strong grow stronger. Set it to 0 to study
   bandwagoning as pure alignment.

**Landscape rule.** With ``alliance_rule = "landscape"`` steps 1-3 are
replaced by landscape theory (Axelrod & Bennett 1993): every
``landscape_interval`` steps all alive states split into the two coalitions
that minimise the energy ``E = sum_{i<j} s_i s_j p_ij d_ij`` (sizes ``s`` are
current capability shares, propensities from :func:`landscape_propensity`),
and every pair in the same coalition is allied until the next re-formation;
step 4 applies as before. See :func:`align_landscape`.

Allies honour their commitments in war only with probability
``alliance_reliability`` (see :mod:`equipoise.rules.war`): under anarchy no
one enforces a treaty. Chain-ganging emerges because honouring allies share
the losses of wars their partners start; buck-passing is a strategy
(:mod:`equipoise.strategies`), following Christensen & Snyder (1990).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
Christensen, T. J., & Snyder, J. (1990). Chain gangs and passed bucks.
    *International Organization*, 44(2), 137-168.
    https://doi.org/10.1017/S0020818300035232
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from equipoise.landscape import global_minima, multistart_minima
from equipoise.metrics import shares
from equipoise.scenario import Scenario
from equipoise.state import BoolArray, FloatArray, SystemState, capability
from equipoise.strategies import BANDWAGON, balancing

__all__ = [
    "LANDSCAPE_EXACT_LIMIT",
    "LANDSCAPE_STARTS",
    "align",
    "align_landscape",
    "geometric_lifetime",
    "landscape_coalitions",
    "landscape_propensity",
]

_MAX_LIFETIME = np.iinfo(np.int16).max


def geometric_lifetime(u: FloatArray, mean: float) -> np.ndarray:
    """Geometric lifetimes (>= 1 step) with the given mean, from uniforms in (0, 1)."""
    if mean <= 1.0:
        return np.ones(u.shape, dtype=np.int16)
    q = 1.0 - 1.0 / mean
    u = np.clip(u, 1e-300, 1.0)
    life = 1.0 + np.floor(np.log(u) / np.log(q))
    return np.minimum(life, _MAX_LIFETIME).astype(np.int16)


def align(state: SystemState, scenario: Scenario, u_lifetime: FloatArray) -> SystemState:
    """Age, break and form alliances for one step.

    Parameters
    ----------
    u_lifetime : (R, N) array of uniforms
        Lifetime draw for the alliance each state may propose this step.
    """
    p = scenario.alliances
    if not p.enabled:
        if state.alliances.any():
            return dataclasses.replace(state, alliances=np.zeros_like(state.alliances))
        return state
    if p.alliance_rule == "landscape":
        return align_landscape(state, scenario)
    r, n = state.economy.shape
    rows = np.arange(r)[:, None]
    alliances = state.alliances - (state.alliances > 0).astype(np.int16)

    share = np.nan_to_num(shares(capability(state, scenario.growth.economic_weight), state.alive))
    top = state.top_threat
    safe_top = np.where(top >= 0, top, 0)
    threatened = state.alive & (top >= 0) & (state.threat_level >= p.alliance_threshold)
    balancer = balancing(state, share)
    bandwagoner = (state.strategy == BANDWAGON)[None, :] & state.alive

    # 2. balancers leave alliances with their own top threat
    seekers = threatened & balancer
    ri, ii = np.nonzero(seekers)
    ti = safe_top[ri, ii]
    gone = alliances[ri, ii, ti] > 0
    alliances[ri[gone], ii[gone], ti[gone]] = 0
    alliances[ri[gone], ti[gone], ii[gone]] = 0

    # 3a. balancers propose to the best partner against the same threat; only the
    # seekers' rows are scored, (K, N) work instead of (R, N, N)
    partner = safe_top.copy()
    propose = np.zeros_like(seekers)
    if ri.size:
        idx = np.arange(n)
        ok = (balancer & state.alive)[ri] & (alliances[ri, ii] == 0)
        ok &= idx[None, :] != ii[:, None]
        ok &= idx[None, :] != ti[:, None]
        score = p.proximity_weight * state.distance_discount[ri, ii]
        score += top[ri] == top[ri, ii][:, None]  # shared threat: +1
        score[~ok] = -np.inf
        has = ok.any(axis=1)
        partner[ri, ii] = np.argmax(score, axis=1)
        propose[ri[has], ii[has]] = True

    # 3b. bandwagoners join the strongest state
    any_bandwagon = bool(bandwagoner.any())
    if any_bandwagon:
        join = threatened & bandwagoner & (alliances[rows, np.arange(n)[None, :], safe_top] == 0)
        partner = np.where(join, safe_top, partner)
        propose |= join

    ri, ii = np.nonzero(propose)
    kk = partner[ri, ii]
    life = geometric_lifetime(u_lifetime[ri, ii], p.alliance_duration)
    alliances[ri, ii, kk] = life
    alliances[ri, kk, ii] = life
    # i -> k and k -> i in the same step: both cells keep the longer lifetime
    both = np.maximum(alliances[ri, ii, kk], alliances[ri, kk, ii])
    alliances[ri, ii, kk] = both
    alliances[ri, kk, ii] = both

    # 4. appeasement: bandwagoners pay the state they joined
    economy = _appease(state, alliances, p.appeasement) if any_bandwagon else state.economy
    return dataclasses.replace(state, alliances=alliances, economy=economy)


def _appease(state: SystemState, alliances: np.ndarray, appeasement: float) -> FloatArray:
    """Economies after each bandwagoner allied with its top threat pays it ``appeasement``."""
    economy = state.economy
    if appeasement > 0:
        r, n = economy.shape
        rows = np.arange(r)[:, None]
        top = state.top_threat
        safe_top = np.where(top >= 0, top, 0)
        bandwagoner = (state.strategy == BANDWAGON)[None, :] & state.alive
        paying = bandwagoner & (top >= 0) & (alliances[rows, np.arange(n)[None, :], safe_top] > 0)
        if paying.any():
            paid = np.where(paying, appeasement * economy, 0.0)
            received = np.bincount(
                (rows * n + safe_top)[paying], weights=paid[paying], minlength=r * n
            ).reshape(r, n)
            economy = economy - paid + received
    return economy


# ---------------------------------------------------------------- landscape rule
#: Exact search of the coalitions for replications with at most this many alive states.
LANDSCAPE_EXACT_LIMIT = 20
#: Random starting configurations of the local searches above that limit.
LANDSCAPE_STARTS = 30
_START_SEED = 19930401  # fixed: the starts are part of the rule, not random draws


def landscape_propensity(state: SystemState, scenario: Scenario) -> FloatArray:
    """Propensities ``p_ij`` of the landscape rule, shape (R, N, N).

    Under anarchy every other state is a potential threat (Waltz 1979), so
    every propensity is negative; a pair is the more hostile the closer its
    members are and the more either has attacked others (Walt 1987):

        p_ij = -(1 + proximity_weight * discount_ij)
                * (1 + aggression_weight * (intent_i + intent_j)),

    with Boulding's (1962) loss-of-strength gradient ``discount_ij`` in (0, 1],
    ``intent = aggression * (1 - aggression_memory)`` in [0, 1) as in
    :mod:`equipoise.rules.threat`, ``proximity_weight`` from ``[alliances]``
    and ``aggression_weight``, ``aggression_memory`` from ``[threat]``. With
    equal propensities the energy is ``-S_A S_B`` times a constant, so the
    minimum is the most even split of capabilities: the balance of power.
    Proximity puts neighbours on opposite sides and aggression isolates the
    aggressor. The diagonal is meaningless (landscape theory ignores it).
    """
    t = scenario.threat
    intent = state.aggression * (1.0 - t.aggression_memory)
    hostility = 1.0 + scenario.alliances.proximity_weight * state.distance_discount
    hostility = hostility * (1.0 + t.aggression_weight * (intent[:, :, None] + intent[:, None, :]))
    return -hostility


def _starts(share: FloatArray, alliances: np.ndarray, alive: BoolArray) -> npt.NDArray[np.int8]:
    """Starting configurations of the local searches, shape (R, LANDSCAPE_STARTS + 2, N).

    The coalitions in force (not allied with the first alive state, which is
    in coalition 0), the greedy split of states by descending share into the
    coalition with the smaller total, and :data:`LANDSCAPE_STARTS` fixed
    random configurations, the same for every replication.
    """
    r, n = share.shape
    rows = np.arange(r)
    first = np.argmax(alive, axis=1)
    current = ((alliances[rows, first] == 0) & alive).astype(np.int8)
    current[rows, first] = 0
    greedy = np.zeros((r, n), dtype=np.int8)
    totals = np.zeros((r, 2))
    for i in np.argsort(-share, axis=1, kind="stable").T:  # one state per replication
        side = (totals[:, 1] < totals[:, 0]).astype(np.int8)
        greedy[rows, i] = side
        totals[rows, side] += share[rows, i]
    fixed = np.random.default_rng(_START_SEED).integers(0, 2, (LANDSCAPE_STARTS, n), np.int8)
    return np.concatenate(
        [current[:, None], greedy[:, None], np.broadcast_to(fixed, (r, *fixed.shape))], axis=1
    )


def landscape_coalitions(
    share: FloatArray, propensity: FloatArray, alive: BoolArray, alliances: np.ndarray
) -> npt.NDArray[np.int8]:
    """Coalition (0 or 1) of every state at the energy minimum, shape (R, N).

    Parameters
    ----------
    share : (R, N) float
        Sizes (capability shares; 0 for dead states).
    propensity : (R, N, N) float
        Symmetric propensities.
    alive : (R, N) bool
        States taking part; dead states get coalition 0 (they ally with no one).
    alliances : (R, N, N)
        Alliances in force, a starting point of the local searches.

    Notes
    -----
    A replication with m alive states, m <= :data:`LANDSCAPE_EXACT_LIMIT`
    (20), is solved exactly over its alive states: all ``2^(m-1)``
    configurations by meet in the middle
    (:func:`equipoise.landscape.global_minima`, about 0.6 ms per replication
    at m = 20, 0.05 ms at m = 12); replications are grouped by m. Above the
    limit, steepest descent over single and double moves from the coalitions
    in force, a greedy even split by size and :data:`LANDSCAPE_STARTS` fixed
    random configurations keeps the lowest energy found
    (:func:`equipoise.landscape.multistart_minima`). On 22-state simulation
    states that is the global minimum about 8 times in 10, and otherwise
    within 0.04 % of its energy. Either way each replication's result depends
    only on its own state, so results do not depend on batching, and no
    random numbers are drawn. Among exactly tied configurations the first in
    canonical order wins.
    """
    r, n = share.shape
    labels = np.zeros((r, n), dtype=np.int8)
    count = alive.sum(axis=1)
    for m in np.unique(count[(count >= 2) & (count <= LANDSCAPE_EXACT_LIMIT)]):
        rows = np.flatnonzero(count == m)
        cols = np.argsort(~alive[rows], axis=1, kind="stable")[:, :m]  # alive states, in order
        s = np.take_along_axis(share[rows], cols, axis=1)
        p = propensity[rows[:, None, None], cols[:, :, None], cols[:, None, :]]
        labels[rows[:, None], cols] = global_minima(s, p)[0]
    rows = np.flatnonzero(count > LANDSCAPE_EXACT_LIMIT)
    if rows.size:
        s = np.where(alive[rows], share[rows], 0.0)
        starts = _starts(s, alliances[rows], alive[rows])
        x, _ = multistart_minima(s, propensity[rows], starts)
        labels[rows] = np.where(alive[rows], x, 0)
    return labels


def align_landscape(state: SystemState, scenario: Scenario) -> SystemState:
    """The landscape alliance rule (``alliance_rule = "landscape"``).

    Every alliance ages one step. On steps that are multiples of
    ``landscape_interval`` (K), starting with step 0, all alive states are
    split into the two coalitions of lowest energy
    ``E = sum_{i<j} s_i s_j p_ij d_ij`` with ``s`` the current capability
    shares and ``p`` from :func:`landscape_propensity`
    (:func:`landscape_coalitions`), and every pair of alive states in the same
    coalition is allied with lifetime K, so that the alliances last exactly
    until the next re-formation; all other alliances end. Eliminated states
    leave their coalition at once (:func:`equipoise.state.remove_states`).
    ``alliance_threshold``, ``alliance_duration`` and strategies play no part
    in forming alliances; bandwagoners still pay ``appeasement`` when their
    coalition includes their top threat.

    References
    ----------
    Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248
    """
    p = scenario.alliances
    alliances = state.alliances - (state.alliances > 0).astype(np.int16)
    if state.step % p.landscape_interval == 0:
        share = np.nan_to_num(
            shares(capability(state, scenario.growth.economic_weight), state.alive)
        )
        propensity = landscape_propensity(state, scenario)
        x = landscape_coalitions(share, propensity, state.alive, state.alliances)
        n = state.n_states
        together = (x[:, :, None] == x[:, None, :]) & state.alive[:, :, None]
        together &= state.alive[:, None, :] & ~np.eye(n, dtype=bool)
        alliances = np.where(together, np.int16(p.landscape_interval), np.int16(0))
    any_bandwagon = bool(((state.strategy == BANDWAGON)[None, :] & state.alive).any())
    economy = _appease(state, alliances, p.appeasement) if any_bandwagon else state.economy
    return dataclasses.replace(state, alliances=alliances, economy=economy)
