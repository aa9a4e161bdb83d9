"""Tests of equipoise.rules.war: decisions, the contest function, losses and settlement."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise.engine import initial_state
from equipoise.rules import war
from equipoise.scenario import Scenario
from rulekit import assert_unchanged, snapshot, system


def make(states, replications=1, **params):
    """Scenario of explicit states ``(economy, military, x, y)``, and its state."""
    specs = [{"economy": e, "military": m, "x": x, "y": y} for i, (e, m, x, y) in enumerate(states)]
    return system(specs, replications, **params)


def draws(state, opportunity, outcome=0.5, reliability=0.99):
    """Uniform draws ``(u_opportunity, u_outcome, u_reliability)``, each (R, N)."""
    shape = state.economy.shape
    return tuple(
        np.broadcast_to(np.asarray(v, dtype=float), shape).copy()
        for v in (opportunity, outcome, reliability)
    )


def discount(d, reach, k):
    return (1.0 + d / reach) ** -k


# ------------------------------------------------------ contest function


@pytest.mark.parametrize(
    ("x", "y", "m", "expected"),
    [
        (2.0, 1.0, 2.0, 0.8),
        (2.0, 1.0, 1.0, 2 / 3),
        (1.0, 3.0, 1.0, 0.25),
        (3.0, 3.0, 5.0, 0.5),
        (4 / 3, 1.0, 4.0, 256 / 337),
    ],
)
def test_win_probability_is_tullock(x, y, m, expected):
    assert float(war.win_probability(np.array(x), np.array(y), m)) == pytest.approx(expected)


def test_win_probability_edge_cases_and_stability():
    x = np.array([0.0, 1.0, 0.0, 1e300, 1e-300])
    y = np.array([1.0, 0.0, 0.0, 1e299, 1e-299])
    p = war.win_probability(x, y, 50.0)
    assert_allclose(p[:3], [0.0, 1.0, 0.5])
    assert p[3] == pytest.approx(1.0)  # 10**50 : 1 without overflow
    assert p[4] == pytest.approx(0.0, abs=1e-12)
    assert np.all(np.isfinite(p))


def test_win_probability_symmetric_and_decisiveness_sharpens():
    rng = np.random.default_rng(0)
    x, y = rng.lognormal(size=100), rng.lognormal(size=100)
    assert_allclose(war.win_probability(x, y, 2.0) + war.win_probability(y, x, 2.0), 1.0)
    stronger = x > y
    p1, p5 = war.win_probability(x, y, 1.0), war.win_probability(x, y, 5.0)
    assert np.all(p5[stronger] >= p1[stronger])
    assert np.all(p5[~stronger] <= p1[~stronger])


# --------------------------------------------------------- THEORY TEST

REACH, K, DIST = 0.5, 1.0, 0.25


@pytest.mark.parametrize("decisiveness", [1.0, 2.0, 4.0])
def test_stronger_side_wins_at_the_rate_the_contest_function_predicts(decisiveness):
    """In a 2-state war the stronger side wins at the rate the contest function predicts."""
    r = 20_000
    # capability C = 0.5 E + 0.5 M: S0 has 2, S1 has 1; they are DIST apart
    scenario, state = make(
        [(1.0, 3.0, 0.0, 0.0), (1.0, 1.0, DIST, 0.0)],
        replications=r,
        threat={"reach": REACH, "gradient_exponent": K},
        war={"decisiveness": decisiveness, "war_propensity": 1.0, "war_cost": 0.0},
        alliances={"enabled": False},
    )
    rng = np.random.default_rng(20260101)
    u_opportunity = np.zeros((r, 2))
    u_opportunity[:, 1] = 1.0  # only the stronger state S0 weighs an attack
    out = war.fight(state, scenario, u_opportunity, rng.random((r, 2)), rng.random((r, 2)))

    assert_array_equal(out.war_target[:, 0], 1)  # S0 attacks in every replication
    assert_array_equal(out.war_target[:, 1], -1)

    # documented formula: attacker capability discounted by distance, defender at home
    x = 2.0 * discount(DIST, REACH, K)
    y = 1.0
    predicted = x**decisiveness / (x**decisiveness + y**decisiveness)
    assert float(war.win_probability(np.array(x), np.array(y), decisiveness)) == pytest.approx(
        predicted
    )
    observed = out.war_won[:, 0].mean()
    se = np.sqrt(predicted * (1 - predicted) / r)
    undiscounted = 2.0**decisiveness / (2.0**decisiveness + 1.0)
    print(
        f"\nm={decisiveness}: predicted P(stronger wins)={predicted:.4f}, "
        f"observed={observed:.4f} over R={r}, SE={se:.4f}, "
        f"z={(observed - predicted) / se:+.2f} (ignoring distance would predict {undiscounted:.4f})"
    )
    assert observed > 0.5
    assert abs(observed - predicted) < 4 * se
    # the test has the power to tell the distance discount apart
    assert abs(observed - undiscounted) > 4 * se
    # settlement: the winner takes conquest_share of the loser's economy
    c = scenario.war.conquest_share
    won = out.war_won[:, 0]
    assert np.allclose(out.economy[won], [1 + c, 1 - c])
    assert np.allclose(out.economy[~won], [1 - c, 1 + c])


# ---------------------------------------------------------- no war


def two_states(**war_params):
    return make(
        [(1.0, 3.0, 0.0, 0.0), (1.0, 1.0, 0.25, 0.0)],
        war={"war_propensity": 1.0, "war_cost": 0.0, **war_params},
        threat={"aggression_memory": 0.8},
    )


@pytest.mark.parametrize(
    "war_params", [{"war_propensity": 0.0}, {"enabled": False}], ids=["propensity-0", "disabled"]
)
def test_no_war_when_propensity_zero_or_disabled(war_params):
    scenario, state = two_states(**war_params)
    state = dataclasses.replace(
        state,
        aggression=np.array([[1.0, 2.0]]),
        war_target=np.array([[1, 0]]),
        war_won=np.array([[True, False]]),
        war_size=np.array([[0.5, 0.5]]),
    )
    out = war.fight(state, scenario, *draws(state, 0.0, 0.0, 0.0))
    assert_array_equal(out.war_target, -1)
    assert not out.war_won.any()
    assert_array_equal(out.war_size, 0.0)
    assert_array_equal(out.economy, state.economy)
    assert_array_equal(out.military, state.military)
    assert_array_equal(out.alive, True)
    assert_allclose(out.aggression, [[0.8, 1.6]])  # the record still decays


def test_no_war_without_opportunity():
    scenario, state = two_states()
    out = war.fight(state, scenario, *draws(state, 1.0, 0.0))
    assert_array_equal(out.war_target, -1)


def test_no_war_against_allies():
    scenario, state = two_states()
    allied = np.zeros((1, 2, 2), dtype=np.int16)
    allied[0, 0, 1] = allied[0, 1, 0] = 4
    state = dataclasses.replace(state, alliances=allied)
    out = war.fight(state, scenario, *draws(state, 0.0, 0.0))
    assert_array_equal(out.war_target, -1)


def test_no_war_when_expected_utility_is_negative():
    # equal states: p = 1/2 at home, less at a distance, and war is costly
    scenario, state = make(
        [(1.0, 1.0, 0.0, 0.0), (1.0, 1.0, 0.5, 0.0)],
        war={"war_propensity": 1.0, "war_cost": 0.5},
    )
    out = war.fight(state, scenario, *draws(state, 0.0, 0.0))
    assert_array_equal(out.war_target, -1)


def test_dead_states_neither_attack_nor_are_attacked():
    scenario, state = make(
        [(1.0, 3.0, 0.0, 0.0), (1.0, 0.1, 0.25, 0.0), (5.0, 5.0, 9.0, 9.0)],
        war={"war_propensity": 1.0, "war_cost": 0.0},
    )
    state = dataclasses.replace(
        state,
        alive=np.array([[True, False, True]]),
        economy=np.array([[1.0, 0.0, 5.0]]),
        military=np.array([[3.0, 0.0, 5.0]]),
    )
    out = war.fight(state, scenario, *draws(state, 0.0, 0.0))
    assert out.war_target[0, 1] == -1
    assert 1 not in out.war_target[0]
    assert out.economy[0, 1] == 0.0


# ---------------------------------------------------------- one war


def test_attack_raises_aggression_and_costs_military():
    # EU = 0.3 * (0.64 - 0.36) - 0.02 * 3 * 0.75 > 0 at decisiveness 2
    scenario, state = two_states(war_cost=0.02, conquest_share=0.3)
    state = dataclasses.replace(state, aggression=np.array([[1.0, 1.0]]))
    out = war.fight(state, scenario, *draws(state, [0.0, 1.0], 0.0))
    assert out.war_target[0, 0] == 1 and out.war_won[0, 0]
    assert_allclose(out.aggression, [[0.8 + 1.0, 0.8]])
    f_a = 2.0 * discount(0.25, 0.5, 1.0)
    f_d = 1.0
    frac_a, frac_d = 0.02 * min(f_a, f_d) / f_a, 0.02 * min(f_a, f_d) / f_d
    assert_allclose(out.military[0], [3.0 * (1 - frac_a), 1.0 * (1 - frac_d)])
    assert out.war_size[0, 0] == pytest.approx(frac_a * 3.0 + frac_d * 1.0)
    assert out.war_size[0, 1] == 0.0
    assert_allclose(out.economy[0], [1.3, 0.7])


def test_defender_victory_transfers_to_defender():
    scenario, state = two_states()
    out = war.fight(state, scenario, *draws(state, [0.0, 1.0], 0.999999))
    assert out.war_target[0, 0] == 1 and not out.war_won[0, 0]
    assert_allclose(out.economy[0], [0.7, 1.3])


def test_allies_fight_only_when_they_honour():
    states = [(1.0, 10.0, 0.0, 0.0), (1.0, 1.0, 0.25, 0.0), (1.0, 1.0, 0.25, 0.1)]
    scenario, state = make(
        states,
        war={"war_propensity": 1.0, "war_cost": 0.02, "decisiveness": 2.0},
        alliances={"alliance_reliability": 0.7},
    )
    allied = np.zeros((1, 3, 3), dtype=np.int16)
    allied[0, 1, 2] = allied[0, 2, 1] = 9
    state = dataclasses.replace(state, alliances=allied)
    opp = [0.0, 1.0, 1.0]
    cap = np.array([5.5, 1.0, 1.0])
    f_a = cap[0] * discount(0.25, 0.5, 1.0)
    disc_12 = discount(0.1, 0.5, 1.0)

    stays_out = war.fight(state, scenario, *draws(state, opp, 0.0, [0.99, 0.99, 0.99]))
    assert stays_out.war_target[0, 0] == 1
    assert stays_out.military[0, 2] == 1.0  # the ally did not fight
    frac_a = 0.02 * min(f_a, cap[1]) / f_a
    frac_d = 0.02 * min(f_a, cap[1]) / cap[1]
    assert_allclose(stays_out.military[0], [10.0 * (1 - frac_a), 1 - frac_d, 1.0])
    assert stays_out.war_size[0, 0] == pytest.approx(frac_a * 10.0 + frac_d * 1.0)

    honours = war.fight(state, scenario, *draws(state, opp, 0.0, [0.99, 0.99, 0.0]))
    assert honours.war_target[0, 0] == 1
    f_d = cap[1] + disc_12 * cap[2]
    frac_a = 0.02 * min(f_a, f_d) / f_a
    frac_d = 0.02 * min(f_a, f_d) / f_d
    assert_allclose(honours.military[0], [10.0 * (1 - frac_a), 1 - frac_d, 1 - frac_d])
    assert honours.war_size[0, 0] == pytest.approx(frac_a * 10.0 + frac_d * 2.0)
    # the alliance survives a war its members survive
    assert honours.alliances[0, 1, 2] == 9


def test_several_defeats_compound_and_winners_split_the_take():
    states = [(2.0, 4.0, 0.0, 0.0), (2.0, 4.0, 1.0, 0.0), (1.0, 0.5, 0.5, 0.0)]
    scenario, state = make(
        states,
        war={"war_propensity": 1.0, "war_cost": 0.0, "conquest_share": 0.3},
        threat={"reach": 5.0},
    )
    out = war.fight(state, scenario, *draws(state, [0.0, 0.0, 1.0], 0.0))
    assert_array_equal(out.war_target[0], [2, 2, -1])
    assert_array_equal(out.war_won[0], [True, True, False])
    taken = 1.0 * (1 - 0.7**2)
    assert_allclose(out.economy[0], [2.0 + taken / 2, 2.0 + taken / 2, 0.49])
    assert out.economy.sum() == pytest.approx(state.economy.sum())


# ---------------------------------------------------------- elimination


def test_broken_loser_is_absorbed_by_the_victor():
    scenario, state = make(
        [(2.0, 3.0, 0.0, 0.0), (0.2, 0.1, 0.25, 0.0)],
        war={"war_propensity": 1.0, "war_cost": 0.1, "elimination_floor": 1.0},
    )
    out = war.fight(state, scenario, *draws(state, [0.0, 1.0], 0.0))
    assert out.war_won[0, 0]
    assert_array_equal(out.alive, [[True, False]])
    assert_allclose(out.economy, [[2.2, 0.0]])  # conquest plus absorption: nothing lost
    assert out.military[0, 1] == 0.0
    assert out.arming_share[0, 1] == 0.0
    assert out.aggression[0, 1] == 0.0


def test_loser_above_floor_survives():
    scenario, state = make(
        [(2.0, 3.0, 0.0, 0.0), (0.2, 0.1, 0.25, 0.0)],
        war={"war_propensity": 1.0, "war_cost": 0.1, "elimination_floor": 0.1},
    )
    out = war.fight(state, scenario, *draws(state, [0.0, 1.0], 0.0))
    # 0.2 * 0.7 = 0.14 >= 0.1 * mean economy 1.1
    assert_array_equal(out.alive, True)
    assert_allclose(out.economy, [[2.06, 0.14]])


def test_eliminated_states_lose_alliances_and_sanctions():
    states = [(10.0, 10.0, 0.0, 0.0), (1.0, 0.1, 0.1, 0.0), (1.0, 1.0, 5.0, 5.0)]
    scenario, state = make(
        states, war={"war_propensity": 1.0, "war_cost": 0.0, "elimination_floor": 1.0}
    )
    allied = np.zeros((1, 3, 3), dtype=np.int16)
    allied[0, 1, 2] = allied[0, 2, 1] = 6
    sanctions = np.zeros((1, 3, 3), dtype=bool)
    sanctions[0, 1, 0] = sanctions[0, 2, 0] = True
    state = dataclasses.replace(state, alliances=allied, sanctions=sanctions)
    before = snapshot(state)
    out = war.fight(state, scenario, *draws(state, [0.0, 1.0, 1.0], 0.0, 0.99))
    assert_unchanged(state, before)
    assert out.war_target[0, 0] == 1 and out.war_won[0, 0]
    assert_array_equal(out.alive, [[True, False, True]])
    assert not out.alliances.any()
    expected = np.zeros((1, 3, 3), dtype=bool)
    expected[0, 2, 0] = True  # the survivor's sanctions continue
    assert_array_equal(out.sanctions, expected)
    assert_allclose(out.economy, [[11.0, 0.0, 1.0]])


def test_broken_loser_economy_survives_its_victor_falling():
    """A broken loser's remaining economy is absorbed, even if its victor falls the same step.

    A beats B while B beats C; B and C are both broken. The docstring says a broken
    loser's remaining economy "is absorbed by a victor", so C's remaining 0.35 must end
    up with a survivor (through B, with A), not vanish.
    """
    states = [(10.0, 10.0, 0.0, 0.0), (1.0, 1.0, 0.1, 0.0), (0.5, 0.1, 0.2, 0.0)]
    scenario, state = make(
        states, war={"war_propensity": 1.0, "war_cost": 0.0, "elimination_floor": 1.0}
    )
    out = war.fight(state, scenario, *draws(state, [0.0, 0.0, 1.0], 0.0))
    assert_array_equal(out.war_target, [[1, 2, -1]])
    assert_array_equal(out.war_won, [[True, True, False]])
    assert_array_equal(out.alive, [[True, False, False]])
    assert out.economy.sum() == pytest.approx(state.economy.sum())


# ---------------------------------------------------------- invariants


def random_system(replications=300, n=8, **war_params):
    scenario = Scenario(
        n_states=n,
        initial={"economy_inequality": 1.5},
        war={"war_propensity": 0.5, **war_params},
        threat={"reach": 2.0},
    )
    state = initial_state(scenario, [np.random.default_rng(i) for i in range(replications)])
    rng = np.random.default_rng(7)
    a = np.triu(rng.random((replications, n, n)) < 0.15, k=1)
    lifetimes = (a | np.swapaxes(a, 1, 2)).astype(np.int16) * 5
    return scenario, dataclasses.replace(state, alliances=lifetimes), rng


@pytest.mark.parametrize("floor", [0.0, 0.5, 1.0])
def test_economy_conserved_among_survivors(floor):
    scenario, state, rng = random_system(elimination_floor=floor, conquest_share=0.5)
    shape = state.economy.shape
    before = snapshot(state)
    out = war.fight(state, scenario, rng.random(shape), rng.random(shape), rng.random(shape))
    assert_unchanged(state, before)
    assert (out.war_target >= 0).sum() > 50

    total_before = state.economy.sum(axis=1)
    total_after = out.economy.sum(axis=1)
    assert np.all(total_after <= total_before * (1 + 1e-12))
    # a broken loser's economy goes to a victor; it is lost only if that victor falls too
    # (see test_broken_loser_economy_survives_its_victor_falling)
    attacker = out.war_target >= 0
    rr, ii = np.nonzero(attacker)
    jj = out.war_target[rr, ii]
    winners = np.zeros(shape, dtype=bool)
    winners[rr, np.where(out.war_won[rr, ii], ii, jj)] = True
    died = state.alive & ~out.alive
    safe = ~(died & winners).any(axis=1)
    assert safe.sum() > shape[0] // 2
    assert_allclose(total_after[safe], total_before[safe], rtol=1e-12)
    if floor == 0.0:
        assert not died.any()
    if floor == 1.0:
        assert died[safe].any()  # absorption is exercised

    # dead states hold nothing and belong to no alliance or sanction
    assert_array_equal(out.economy[~out.alive], 0.0)
    assert_array_equal(out.military[~out.alive], 0.0)
    dead_r, dead_i = np.nonzero(~out.alive)
    assert not out.alliances[dead_r, dead_i].any()
    assert not out.alliances[dead_r, :, dead_i].any()
    assert not out.sanctions[dead_r, dead_i].any()
    assert not out.sanctions[dead_r, :, dead_i].any()
    assert np.all(out.military <= state.military + 1e-12)
    assert np.all(out.war_size >= 0)


def test_fight_does_not_mutate_its_input():
    scenario, state, rng = random_system(replications=50, elimination_floor=1.0)
    shape = state.economy.shape
    u = [rng.random(shape) for _ in range(3)]
    u_copies = [v.copy() for v in u]
    before = snapshot(state)
    out = war.fight(state, scenario, *u)
    assert_unchanged(state, before)
    for v, c in zip(u, u_copies, strict=True):
        assert_array_equal(v, c)
    assert (out.war_target >= 0).any()
    assert not out.alive.all()


def test_a_vanishing_attacker_raises_no_overflow_warning():
    """Issue 16: y / x overflowed where the attacker's projected coalition x is subnormal
    (here a tiny state 10^27 distance units from its target, with a steep gradient). The cost
    factor min(1, y / x) is then 1, as intended, and no warning is raised."""
    scenario, state = make(
        [(1e-9, 0.0, 0.0, 0.0), (1.0, 1.0, 1e27, 0.0)],
        threat={"reach": 0.001, "gradient_exponent": 10.0},
        war={"war_propensity": 1.0},
    )
    assert 0 < scenario.war.war_cost
    with warnings.catch_warnings():  # numpy's default error handling: overflow warns
        warnings.simplefilter("error")
        out = war.fight(state, scenario, *draws(state, 0.0))
    assert (out.war_target[0] == -1).all()  # neither gains from attacking the other
    assert_array_equal(out.economy, state.economy)
