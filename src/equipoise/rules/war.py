"""War: expected-utility attacks decided by a contest success function.

Each step every alive state has a chance ``war_propensity`` to weigh an
attack. It considers every alive state it is not allied with and picks the
target with the highest expected utility

    EU_ij = p_ij * c * E_j - (1 - p_ij) * c * E_i - cost_ij

where ``c`` is ``conquest_share`` (the share of the loser's economy the
winner takes), and it attacks if that utility is positive. Win probability
follows the Tullock (1980) contest success function (Hirshleifer 1989)

    p = X**m / (X**m + Y**m),   m = decisiveness,

with X the attacker's coalition (itself plus allies, each discounted by the
loss-of-strength gradient to the attacker's home, Boulding 1962) projected to
the target, and Y the defender's coalition at home. When weighing war a state
counts each ally at ``alliance_reliability``; when the war is fought, each ally
honours its commitments with that probability (one draw per state per step).
Both sides lose military: the side with force F loses the fraction
``war_cost * min(X, Y) / F`` of each participant's stock, so a weak side pays
more. War size is the military destroyed on both sides. Each participant's
loss is the largest over the wars it fights in that step; the costs enter
``cost_ij`` as the attacker's own expected loss.

A state that loses hands the winner ``conquest_share`` of its economy (several
defeats in one step compound, and the winners split the take). A loser whose
economy falls below ``elimination_floor`` times the mean economy of alive
states is eliminated: its remaining economy is absorbed by a surviving victor
(following the chain of victors if the one that beat it fell too), its
military dissolves, and its alliances and sanctions end.

Attacking raises a state's aggression record, which Walt's (1987) threat lens
reads as intent (:mod:`equipoise.rules.threat`).

References
----------
Tullock, G. (1980). Efficient rent seeking. In Buchanan, Tollison & Tullock
    (eds), *Toward a Theory of the Rent-Seeking Society*, 97-112.
Hirshleifer, J. (1989). Conflict and rent-seeking success functions.
    *Public Choice*, 63(2), 101-112. https://doi.org/10.1007/BF00153394
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
Fearon, J. D. (1995). Rationalist explanations for war. *International
    Organization*, 49(3), 379-414. https://doi.org/10.1017/S0020818300033324
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.special import expit

from equipoise.scenario import Scenario
from equipoise.state import FloatArray, SystemState, capability, remove_states

__all__ = ["fight", "win_probability"]


def win_probability(attacker: FloatArray, defender: FloatArray, decisiveness: float) -> FloatArray:
    """Tullock contest success function ``X**m / (X**m + Y**m)``, computed stably.

    Examples
    --------
    >>> float(win_probability(np.array(2.0), np.array(1.0), 2.0))
    0.8
    """
    x = np.asarray(attacker, dtype=np.float64)
    y = np.asarray(defender, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        logit = decisiveness * (np.log(x) - np.log(y))
    # nan (0/0, inf/inf) is an even contest; +-inf go to exactly 1 and 0 through expit
    return expit(np.where(np.isnan(logit), 0.0, logit))


#: Pairs per block of the coalition-support product (64 replications at N = 50):
#: the masked (B, N, N) discount matrix of a block stays in cache instead of going
#: through memory.
_BLOCK_PAIRS = 160_000
#: Above this fraction of replications needing it, the support is computed over
#: contiguous blocks of all replications (no gathering), below it over the needed ones.
_SLICE_FRACTION = 0.4


def _coalition(
    cap: FloatArray, rel: float, discount: FloatArray, allied: np.ndarray, needed: np.ndarray
) -> FloatArray:
    """Expected coalition strength at home, ``C_i + rel * sum_k discount_ik C_k`` over allies.

    Only the replications marked in ``needed`` (R,) that have an alliance are
    computed; every other replication gets ``cap`` itself, which is what the
    formula gives where there is no alliance (``cap + rel * 0.0 == cap``).
    Replications not ``needed`` are not read by the caller.

    The allied capability is the same per-replication matrix-vector product as
    ``np.matmul(np.where(allied, discount, 0.0), cap[..., None])``, taken in
    blocks of ``_BLOCK_PAIRS`` pairs through one small buffer that stays in
    cache: numpy's matmul calls BLAS gemv once per replication, so a block or a
    subset of replications gives the same bits (a subset of *rows* of one
    replication would not).
    """
    r, n = cap.shape
    needed = needed & allied.reshape(r, -1).any(axis=1)
    coalition = cap.copy()
    count = int(needed.sum())
    if count == 0:
        return coalition
    block = min(max(1, _BLOCK_PAIRS // (n * n)), r)
    buf = np.empty((block, n, n))
    support = np.empty((block, n, 1))
    if count > _SLICE_FRACTION * r:
        # most replications: contiguous blocks, no gathering; rows not needed are
        # computed too (the same per-replication product) but not written back
        for start in range(0, r, block):
            stop = min(r, start + block)
            b = stop - start
            want = needed[start:stop]
            if not want.any():
                continue
            np.multiply(discount[start:stop], allied[start:stop], out=buf[:b])
            np.matmul(buf[:b], cap[start:stop, :, None], out=support[:b])
            coalition[start:stop][want] = (cap[start:stop] + rel * support[:b, :, 0])[want]
        return coalition
    rows = np.flatnonzero(needed)
    for start in range(0, rows.size, block):
        chosen = rows[start : start + block]
        b = chosen.size
        np.take(discount, chosen, axis=0, out=buf[:b])
        buf[:b] *= allied[chosen]
        np.matmul(buf[:b], cap[chosen][:, :, None], out=support[:b])
        coalition[chosen] = cap[chosen] + rel * support[:b, :, 0]
    return coalition


def _quiet(state: SystemState, aggression: FloatArray) -> SystemState:
    r, n = state.economy.shape
    return dataclasses.replace(
        state,
        aggression=aggression,
        war_target=np.full((r, n), -1, dtype=np.int64),
        war_won=np.zeros((r, n), dtype=bool),
        war_size=np.zeros((r, n)),
    )


def fight(
    state: SystemState,
    scenario: Scenario,
    u_opportunity: FloatArray,
    u_outcome: FloatArray,
    u_reliability: FloatArray,
) -> SystemState:
    """Decide, fight and settle this step's wars.

    Parameters
    ----------
    u_opportunity, u_outcome, u_reliability : (R, N) arrays of uniforms
        Whether each state weighs an attack; the outcome of the war it starts;
        whether it honours its alliance commitments this step.
    """
    p = scenario.war
    memory = scenario.threat.aggression_memory
    aggression = memory * state.aggression
    if not p.enabled:
        return _quiet(state, aggression)
    r, n = state.economy.shape
    econ, mil = state.economy, state.military
    cap = capability(state, scenario.growth.economic_weight)
    rel = scenario.alliances.alliance_reliability if scenario.alliances.enabled else 0.0

    # --- decisions: only states with an opportunity weigh their options
    cand = np.flatnonzero(state.alive & (u_opportunity < p.war_propensity))  # cells r * n + i
    if cand.size == 0:
        return _quiet(state, aggression)
    cand_r, cand_i = np.divmod(cand, n)
    discount = state.distance_discount
    allied = state.alliances > 0
    weighing = np.zeros(r, dtype=bool)
    weighing[cand_r] = True  # replications with a state weighing war
    coalition = _coalition(cap, rel, discount, allied, weighing)  # at home, (R, N)
    k_idx = np.arange(cand.size)
    # (K, N) rows: whole-row takes, which are several times cheaper than 2-D fancy indexing
    y = np.take(coalition, cand_r, axis=0)  # each target's coalition at home
    own_allies = np.take(allied.reshape(r * n, n), cand, axis=0)
    valid = np.take(state.alive, cand_r, axis=0) & ~own_allies & (y > 0)
    valid[k_idx, cand_i] = False
    # expected utility only where a target is valid (late in a run most states are
    # dead); each value is the same expression, in the same order, as on the full (K, N)
    vk = np.repeat(k_idx, np.count_nonzero(valid, axis=1))  # row of each valid cell
    disc = np.take(discount.reshape(r * n, n), cand, axis=0)  # from attacker to each target
    x_v = coalition.ravel()[cand][vk] * disc[valid]  # attacker's coalition projected to j
    y_v = y[valid]
    prob = win_probability(x_v, y_v, p.decisiveness)
    # y/x overflows to inf where x is tiny (a subnormal projected coalition); min(1, inf) = 1
    # is the intended cost, so the overflow is silenced like the division by zero
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cost = (
            p.war_cost * mil.ravel()[cand][vk] * np.minimum(1.0, np.where(x_v > 0, y_v / x_v, 0.0))
        )
    eu = np.full(valid.shape, -np.inf)
    eu[valid] = (
        prob * p.conquest_share * np.take(econ, cand_r, axis=0)[valid]
        - (1 - prob) * p.conquest_share * econ.ravel()[cand][vk]
        - cost
    )
    target = np.argmax(eu, axis=1)
    go = eu[k_idx, target] > 0
    if not go.any():
        return _quiet(state, aggression)
    wr, wi, wj = cand_r[go], cand_i[go], target[go]
    w_idx = np.arange(wr.size)

    # --- fighting: allies honour commitments with probability `rel`
    honour = u_reliability < rel
    honour_w = honour[wr]
    contrib = np.where(honour_w, cap[wr], 0.0)  # (W, N)
    # discounted alliance rows of attacker and defender, as in `_coalition`
    reach_a = np.multiply(discount[wr, wi], allied[wr, wi])  # (W, N)
    reach_d = np.multiply(discount[wr, wj], allied[wr, wj])
    f_a = (cap[wr, wi] + (reach_a * contrib).sum(axis=1)) * discount[wr, wi, wj]
    f_d = cap[wr, wj] + (reach_d * contrib).sum(axis=1)
    won = u_outcome[wr, wi] < win_probability(f_a, f_d, p.decisiveness)
    clash = np.minimum(f_a, f_d)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac_a = np.where(f_a > 0, p.war_cost * clash / f_a, 0.0)
        frac_d = np.where(f_d > 0, p.war_cost * clash / f_d, 0.0)
    side_a = (reach_a > 0) & honour_w  # attacker, its honouring allies
    side_a[w_idx, wi] = True
    side_d = (reach_d > 0) & honour_w
    side_d[w_idx, wj] = True
    loss_frac = np.zeros(r * n)
    flat = wr[:, None] * n + np.arange(n)[None, :]
    np.maximum.at(loss_frac, flat[side_a], np.broadcast_to(frac_a[:, None], side_a.shape)[side_a])
    np.maximum.at(loss_frac, flat[side_d], np.broadcast_to(frac_d[:, None], side_d.shape)[side_d])
    loss_frac = loss_frac.reshape(r, n)
    m_w = mil[wr]
    size = frac_a * (side_a * m_w).sum(axis=1) + frac_d * (side_d * m_w).sum(axis=1)
    military = mil * (1.0 - loss_frac)

    # --- settlement: winners take a share of losers' economies
    winner = np.where(won, wi, wj)
    loser = np.where(won, wj, wi)
    lose_flat = wr * n + loser
    defeats = np.bincount(lose_flat, minlength=r * n).reshape(r, n)
    hit = defeats > 0
    kept = np.ones((r, n))  # (1 - c) ** 0 is exactly 1: take the power only where someone lost
    kept[hit] = (1.0 - p.conquest_share) ** defeats[hit]
    taken = econ * (1.0 - kept)
    per_win = np.where(hit, taken / np.maximum(defeats, 1), 0.0)
    gains = np.bincount(wr * n + winner, weights=per_win[wr, loser], minlength=r * n)
    economy = econ * kept + gains.reshape(r, n)

    # --- elimination of broken losers, absorbed by a victor
    alive_n = np.maximum(state.alive.sum(axis=1), 1)
    mean_e = (econ * state.alive).sum(axis=1) / alive_n
    broken = hit & (economy < p.elimination_floor * mean_e[:, None]) & state.alive
    # a broken state's victor is the surviving state that beat it (the highest
    # index if several); if every victor is broken too, follow the chain of
    # victors (C lost to B, which lost to A: A inherits both)
    surviving_winner = np.where(broken[wr, winner], -1, winner)
    victor = np.full(r * n, -1, dtype=np.int64)
    np.maximum.at(victor, lose_flat, surviving_winner)
    fallen = np.full(r * n, -1, dtype=np.int64)
    np.maximum.at(fallen, lose_flat, winner)
    victor = np.where(victor >= 0, victor, fallen).reshape(r, n)
    br, bi = np.nonzero(broken)
    heir = victor[br, bi]
    for _ in range(n):
        relay = broken[br, heir]
        if not relay.any():
            break
        heir = np.where(relay, victor[br, heir], heir)
    keep = ~broken[br, heir]  # a cycle of mutual defeats leaves no heir
    np.add.at(economy, (br[keep], heir[keep]), economy[br[keep], bi[keep]])
    war_target = np.full((r, n), -1, dtype=np.int64)
    war_target[wr, wi] = wj
    war_won = np.zeros((r, n), dtype=bool)
    war_won[wr, wi] = won
    war_size = np.zeros((r, n))
    war_size[wr, wi] = size
    aggression[wr, wi] += 1.0
    fought = dataclasses.replace(
        state,
        economy=economy,
        military=military,
        aggression=aggression,
        war_target=war_target,
        war_won=war_won,
        war_size=war_size,
    )
    return remove_states(fought, broken)
