"""Tests of equipoise.rules.alliances: decay, defection, formation and appeasement."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise.engine import initial_state
from equipoise.rules import alliances, threat
from equipoise.scenario import Scenario
from rulekit import assert_unchanged, snapshot, system


def make(states, replications=1, **params):
    """Scenario of explicit states ``(economy, military, x, y, strategy)``, and its state."""
    specs = [
        {"economy": e, "military": m, "x": x, "y": y, "strategy": s}
        for i, (e, m, x, y, s) in enumerate(states)
    ]
    return system(specs, replications, **params)


def with_alliances(state, pairs):
    """Set alliances ``{(i, j): lifetime}`` symmetrically in every replication."""
    a = np.zeros_like(state.alliances)
    for (i, j), life in pairs.items():
        a[:, i, j] = a[:, j, i] = life
    return dataclasses.replace(state, alliances=a)


def half(state):
    return np.full(state.economy.shape, 0.5)


# ----------------------------------------------------------- lifetimes


@pytest.mark.parametrize("mean", [0.5, 1.0])
def test_geometric_lifetime_short_mean_is_one_step(mean):
    life = alliances.geometric_lifetime(np.array([0.01, 0.5, 0.99]), mean)
    assert life.dtype == np.int16
    assert_array_equal(life, [1, 1, 1])


def test_geometric_lifetime_formula_and_bounds():
    u = np.array([1.0, 0.9, 0.01, 0.0])
    life = alliances.geometric_lifetime(u, 25.0)
    q = 1 - 1 / 25
    assert life.dtype == np.int16
    assert life[0] == 1
    assert life[1] == 1 + np.floor(np.log(0.9) / np.log(q))
    assert life[2] == 1 + np.floor(np.log(0.01) / np.log(q))
    assert life[3] == 1 + np.floor(np.log(1e-300) / np.log(q))  # u = 0 is clipped to 1e-300
    # very long lifetimes are capped at the int16 maximum instead of overflowing
    long = alliances.geometric_lifetime(np.array([1e-6, 0.0]), 1e6)
    assert_array_equal(long, np.iinfo(np.int16).max)


@pytest.mark.parametrize("mean", [2.0, 25.0])
def test_geometric_lifetime_has_the_given_mean(mean):
    u = np.random.default_rng(5).random(200_000)
    life = alliances.geometric_lifetime(u, mean)
    assert life.min() >= 1
    se = np.sqrt(mean * (mean - 1)) / np.sqrt(u.size)  # sd of a geometric on {1, 2, ...}
    assert abs(life.mean() - mean) < 4 * se


# --------------------------------------------------------------- decay

LINE = [
    (1.0, 1.0, 0.0, 0.0, "balance_power"),
    (1.0, 1.0, 1.0, 0.0, "balance_power"),
    (1.0, 1.0, 2.0, 0.0, "balance_power"),
]


def test_lifetimes_decrement_and_expire():
    scenario, state = make(LINE, alliances={"alliance_threshold": 1.0})
    state = with_alliances(state, {(0, 1): 3, (1, 2): 1})
    out = alliances.align(state, scenario, half(state))
    assert out.alliances[0, 0, 1] == out.alliances[0, 1, 0] == 2
    assert out.alliances[0, 1, 2] == out.alliances[0, 2, 1] == 0
    assert out.alliances.dtype == np.int16
    out = alliances.align(out, scenario, half(state))
    out = alliances.align(out, scenario, half(state))
    assert not out.alliances.any()


def test_no_formation_below_threshold():
    scenario, state = make(LINE, alliances={"alliance_threshold": 0.5})
    assert np.all(state.threat_level < 0.5)
    out = alliances.align(state, scenario, half(state))
    assert not out.alliances.any()


@pytest.mark.parametrize("with_existing", [True, False])
def test_disabled_clears_alliances(with_existing):
    scenario, state = make(LINE, alliances={"enabled": False})
    if with_existing:
        state = with_alliances(state, {(0, 1): 7})
        out = alliances.align(state, scenario, half(state))
        assert not out.alliances.any()
        assert state.alliances[0, 0, 1] == 7
    else:
        assert alliances.align(state, scenario, half(state)) is state


# ----------------------------------------------------------- defection


def test_balancers_leave_an_alliance_with_their_top_threat():
    states = [
        (5.0, 5.0, 0.0, 0.0, "balance_power"),
        (2.0, 2.0, 1.0, 0.0, "balance_power"),
        (1.0, 1.0, 2.0, 0.0, "balance_power"),
    ]
    scenario, state = make(states, alliances={"alliance_threshold": 0.2})
    assert state.top_threat[0, 1] == 0
    state = with_alliances(state, {(0, 1): 10})
    out = alliances.align(state, scenario, half(state))
    assert out.alliances[0, 0, 1] == out.alliances[0, 1, 0] == 0
    # both then ally with the remaining balancer, not with each other
    assert out.alliances[0, 1, 2] > 0
    assert out.alliances[0, 0, 2] > 0


def test_unthreatened_balancers_keep_alliance_with_top_threat():
    states = [
        (5.0, 5.0, 0.0, 0.0, "balance_power"),
        (2.0, 2.0, 1.0, 0.0, "balance_power"),
        (1.0, 1.0, 2.0, 0.0, "balance_power"),
    ]
    scenario, state = make(states, alliances={"alliance_threshold": 0.9})
    state = with_alliances(state, {(0, 1): 10})
    out = alliances.align(state, scenario, half(state))
    assert out.alliances[0, 0, 1] == out.alliances[0, 1, 0] == 9


# ----------------------------------------------------------- formation

FOUR = [
    (1.0, 1.0, 0.0, 0.0, "balance_power"),
    (1.0, 1.0, 0.1, 0.0, "balance_power"),
    (1.0, 1.0, 3.0, 0.0, "balance_power"),
    (1.0, 1.0, 5.0, 0.0, "balance_power"),
]


@pytest.mark.parametrize(
    ("proximity_weight", "partner"),
    [(0.5, 2), (10.0, 1)],
    ids=["common-threat", "proximity"],
)
def test_partner_choice_weighs_common_threat_against_proximity(proximity_weight, partner):
    # only S0 is threatened, by S3; S1 (near) fears S2, S2 (far) fears S3 as S0 does
    scenario, state = make(
        FOUR,
        threat={"reach": 0.5, "gradient_exponent": 1.0},
        alliances={"alliance_threshold": 0.2, "proximity_weight": proximity_weight},
    )
    state = dataclasses.replace(
        state,
        top_threat=np.array([[3, 2, 3, 0]]),
        threat_level=np.array([[0.5, 0.0, 0.0, 0.0]]),
    )
    out = alliances.align(state, scenario, half(state))
    expected = np.zeros((1, 4, 4), dtype=np.int16)
    life = alliances.geometric_lifetime(np.array(0.5), 25.0)
    expected[0, 0, partner] = expected[0, partner, 0] = life
    assert_array_equal(out.alliances, expected)


def test_partner_is_an_alive_balancer_other_than_the_threat():
    states = [
        (5.0, 5.0, 0.0, 0.0, "balance_power"),  # the threat, nearest to S1
        (1.0, 1.0, 0.1, 0.0, "balance_power"),  # the seeker
        (1.0, 1.0, 0.2, 0.0, "bandwagon"),  # near but not a balancer
        (1.0, 1.0, 0.3, 0.0, "balance_power"),  # near but dead
        (1.0, 1.0, 4.0, 0.0, "balance_power"),  # far: the only valid partner
    ]
    scenario, state = make(states, alliances={"alliance_threshold": 0.2, "proximity_weight": 5})
    state = dataclasses.replace(
        state,
        alive=np.array([[True, True, True, False, True]]),
        top_threat=np.array([[1, 0, 0, -1, 0]]),
        threat_level=np.array([[0.0, 0.6, 0.0, 0.0, 0.0]]),
    )
    out = alliances.align(state, scenario, half(state))
    assert_array_equal(np.nonzero(out.alliances[0, 1])[0], [4])


def test_new_alliance_lifetime_comes_from_proposer_draw():
    states = [
        (6.0, 6.0, 0.0, 0.0, "balance_power"),
        (2.0, 2.0, 1.0, 0.0, "balance_power"),
        (2.0, 2.0, 2.0, 0.0, "balance_power"),
    ]
    # shares 0.6, 0.2, 0.2: S1 and S2 fear S0 and propose to each other; S0 is not threatened
    scenario, state = make(states, alliances={"alliance_threshold": 0.25})
    u = np.array([[0.5, 0.9, 0.01]])
    out = alliances.align(state, scenario, u)
    lives = alliances.geometric_lifetime(u[0], 25.0)
    assert lives[1] != lives[2]
    assert out.alliances[0, 1, 2] == out.alliances[0, 2, 1] == max(lives[1], lives[2])
    assert out.alliances[0, 0].sum() == 0


def test_bandwagoners_join_the_strongest_and_pay_appeasement():
    states = [
        (4.0, 4.0, 0.0, 0.0, "balance_power"),
        (1.0, 1.0, 1.0, 0.0, "bandwagon"),
        (1.0, 1.0, 2.0, 0.0, "bandwagon"),
    ]
    scenario, state = make(states, alliances={"alliance_threshold": 0.2, "appeasement": 0.02})
    assert_array_equal(state.top_threat[0, 1:], [0, 0])
    out = alliances.align(state, scenario, half(state))
    assert out.alliances[0, 0, 1] > 0 and out.alliances[0, 1, 0] > 0
    assert out.alliances[0, 0, 2] > 0 and out.alliances[0, 2, 0] > 0
    assert out.alliances[0, 1, 2] == 0
    assert_allclose(out.economy[0], [4.0 + 0.02 * 2, 0.98, 0.98])
    assert out.economy.sum() == pytest.approx(state.economy.sum())
    # already allied: no new proposal, the alliance just ages, and tribute continues
    again = alliances.align(out, scenario, half(state))
    assert again.alliances[0, 0, 1] == out.alliances[0, 0, 1] - 1
    assert_allclose(again.economy[0, 1:], 0.98**2)


def test_zero_appeasement_is_pure_alignment():
    states = [
        (4.0, 4.0, 0.0, 0.0, "balance_power"),
        (1.0, 1.0, 1.0, 0.0, "bandwagon"),
    ]
    scenario, state = make(states, alliances={"alliance_threshold": 0.2, "appeasement": 0.0})
    out = alliances.align(state, scenario, half(state))
    assert out.alliances[0, 0, 1] > 0
    assert out.economy is state.economy


def test_bandwagoners_pay_only_the_state_they_joined():
    states = [
        (4.0, 4.0, 0.0, 0.0, "balance_power"),
        (1.0, 1.0, 1.0, 0.0, "bandwagon"),
        (2.0, 2.0, 2.0, 0.0, "balance_power"),
    ]
    scenario, state = make(states, alliances={"alliance_threshold": 0.9, "appeasement": 0.1})
    # allied, but with S2, not with its top threat S0: no tribute
    state = with_alliances(state, {(1, 2): 5})
    out = alliances.align(state, scenario, half(state))
    assert_allclose(out.economy, state.economy)


# ----------------------------------------------------------- invariants


def random_system(replications=30, n=10, dead=2, **params):
    scenario = Scenario(
        n_states=n,
        strategies={
            "balance_power": 0.4,
            "balance_threat": 0.2,
            "bandwagon": 0.2,
            "buck_pass": 0.2,
        },
        initial={"economy_inequality": 1.0},
        **params,
    )
    state = initial_state(scenario, [np.random.default_rng(i) for i in range(replications)])
    alive = np.ones((replications, n), dtype=bool)
    alive[:, :dead] = False
    state = dataclasses.replace(
        state,
        alive=alive,
        economy=np.where(alive, state.economy, 0.0),
        military=np.where(alive, state.military, 0.0),
    )
    return scenario, threat.perceive(state, scenario)


def test_alliances_stay_symmetric_with_empty_diagonal_and_economy_is_conserved():
    scenario, state = random_system(
        alliances={"alliance_threshold": 0.05, "alliance_duration": 4.0, "appeasement": 0.05}
    )
    rng = np.random.default_rng(11)
    for _ in range(15):
        before = snapshot(state)
        out = alliances.align(state, scenario, rng.random(state.economy.shape))
        assert_unchanged(state, before)
        a = out.alliances
        assert a.dtype == np.int16
        assert np.all(a >= 0)
        assert_array_equal(a, np.swapaxes(a, 1, 2))
        assert not np.diagonal(a, axis1=1, axis2=2).any()
        assert not a[:, :2].any() and not a[:, :, :2].any()  # dead states have no allies
        assert_allclose(out.economy.sum(axis=1), state.economy.sum(axis=1))
        state = threat.perceive(out, scenario)
    assert state.alliances.any()


def test_align_does_not_mutate_its_input():
    states = [
        (5.0, 5.0, 0.0, 0.0, "balance_power"),
        (2.0, 2.0, 1.0, 0.0, "balance_power"),
        (1.0, 1.0, 2.0, 0.0, "bandwagon"),
    ]
    scenario, state = make(states, replications=2, alliances={"alliance_threshold": 0.2})
    state = with_alliances(state, {(0, 1): 10, (1, 2): 3})
    before = snapshot(state)
    u = half(state)
    out = alliances.align(state, scenario, u)
    assert_unchanged(state, before)
    assert_array_equal(u, 0.5)
    assert not np.array_equal(out.alliances, state.alliances)
