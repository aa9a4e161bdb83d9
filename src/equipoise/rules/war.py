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
    return expit(np.nan_to_num(logit, nan=0.0))


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
    cand_r, cand_i = np.nonzero(state.alive & (u_opportunity < p.war_propensity))
    if cand_r.size == 0:
        return _quiet(state, aggression)
    reach = np.where(state.alliances > 0, state.distance_discount, 0.0)  # (R, N, N)
    support = np.matmul(reach, cap[:, :, None])[:, :, 0]  # allied capability at home
    coalition = cap + rel * support  # expected coalition strength at home, (R, N)
    disc = state.distance_discount[cand_r, cand_i]  # (K, N) from attacker to each target
    x = coalition[cand_r, cand_i][:, None] * disc
    y = coalition[cand_r]
    prob = win_probability(x, y, p.decisiveness)
    own_e = econ[cand_r, cand_i][:, None]
    own_m = mil[cand_r, cand_i][:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = p.war_cost * own_m * np.minimum(1.0, np.where(x > 0, y / x, 0.0))
    eu = prob * p.conquest_share * econ[cand_r] - (1 - prob) * p.conquest_share * own_e - cost
    k_idx = np.arange(cand_r.size)
    valid = state.alive[cand_r] & (state.alliances[cand_r, cand_i] == 0) & (y > 0)
    valid[k_idx, cand_i] = False
    eu = np.where(valid, eu, -np.inf)
    target = np.argmax(eu, axis=1)
    go = eu[k_idx, target] > 0
    if not go.any():
        return _quiet(state, aggression)
    wr, wi, wj = cand_r[go], cand_i[go], target[go]
    w_idx = np.arange(wr.size)

    # --- fighting: allies honour commitments with probability `rel`
    honour = u_reliability < rel
    contrib = np.where(honour, cap, 0.0)[wr]  # (W, N)
    reach_a = reach[wr, wi]  # (W, N): discounted alliance rows of attacker and defender
    reach_d = reach[wr, wj]
    f_a = (cap[wr, wi] + (reach_a * contrib).sum(axis=1)) * disc[go][w_idx, wj]
    f_d = cap[wr, wj] + (reach_d * contrib).sum(axis=1)
    won = u_outcome[wr, wi] < win_probability(f_a, f_d, p.decisiveness)
    clash = np.minimum(f_a, f_d)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac_a = np.where(f_a > 0, p.war_cost * clash / f_a, 0.0)
        frac_d = np.where(f_d > 0, p.war_cost * clash / f_d, 0.0)
    side_a = (reach_a > 0) & honour[wr]  # attacker, its honouring allies
    side_a[w_idx, wi] = True
    side_d = (reach_d > 0) & honour[wr]
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
    kept = (1.0 - p.conquest_share) ** defeats
    taken = econ * (1.0 - kept)
    per_win = np.where(defeats > 0, taken / np.maximum(defeats, 1), 0.0)
    gains = np.bincount(wr * n + winner, weights=per_win[wr, loser], minlength=r * n)
    economy = econ * kept + gains.reshape(r, n)

    # --- elimination of broken losers, absorbed by a victor
    alive_n = np.maximum(state.alive.sum(axis=1), 1)
    mean_e = (econ * state.alive).sum(axis=1) / alive_n
    broken = (defeats > 0) & (economy < p.elimination_floor * mean_e[:, None]) & state.alive
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
