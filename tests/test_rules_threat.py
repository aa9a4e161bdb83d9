"""Tests of equipoise.rules.threat: the power lens, Walt's threat lens and the gradient."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise.rules import threat
from rulekit import assert_unchanged, snapshot, system


def make(states, replications=1, **params):
    """Scenario of explicit states ``(economy, military, x, y, strategy)``, and its state."""
    specs = [
        {"economy": e, "military": m, "x": x, "y": y, "strategy": s}
        for i, (e, m, x, y, s) in enumerate(states)
    ]
    return system(specs, replications, **params)


# -------------------------------------------------------- distance discount


def test_distance_discount_formula():
    pos = np.array([[[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]])
    d = threat.distance_discount(pos, reach=2.5, exponent=2.0)
    assert d.shape == (1, 3, 3)
    assert_allclose(np.diagonal(d, axis1=1, axis2=2), 1.0)
    assert d[0, 0, 1] == pytest.approx((1 + 5 / 2.5) ** -2)
    assert d[0, 0, 2] == pytest.approx((1 + 1 / 2.5) ** -2)
    assert d[0, 1, 2] == pytest.approx((1 + np.hypot(3, 3) / 2.5) ** -2)
    assert_allclose(d, np.swapaxes(d, 1, 2))


def test_distance_discount_exponent_zero_is_no_loss():
    pos = np.random.default_rng(0).random((2, 4, 2))
    assert_allclose(threat.distance_discount(pos, 0.5, 0.0), 1.0)


# ---------------------------------------------------------------- power lens


def test_power_threat_strongest_other_and_leader_sees_runner_up():
    share = np.array([[0.1, 0.5, 0.3, 0.1], [0.4, 0.05, 0.15, 0.4 - 1e-9]])
    top, level = threat.power_threat(share)
    assert top.dtype == np.int64
    assert_array_equal(top[0], [1, 2, 1, 1])
    assert_allclose(level[0], [0.5, 0.3, 0.5, 0.5])
    assert_array_equal(top[1], [3, 0, 0, 0])
    assert_allclose(level[1], [0.4 - 1e-9, 0.4, 0.4, 0.4])


def test_power_threat_two_states_see_each_other():
    top, level = threat.power_threat(np.array([[0.7, 0.3]]))
    assert_array_equal(top, [[1, 0]])
    assert_allclose(level, [[0.3, 0.7]])


def test_power_threat_matches_brute_force():
    share = np.random.default_rng(3).dirichlet(np.ones(9), size=50)
    top, level = threat.power_threat(share)
    masked = np.where(np.eye(9, dtype=bool)[None], -1.0, share[:, None, :])
    assert_array_equal(top, masked.argmax(axis=2))
    assert_allclose(level, masked.max(axis=2))


# ---------------------------------------------------------------- Walt lens


def test_walt_threat_prefers_near_state():
    share = np.array([[0.2, 0.4, 0.4]])
    # S1 is near S0, S2 far away
    discount = np.array([[[1.0, 0.8, 0.2], [0.8, 1.0, 0.3], [0.2, 0.3, 1.0]]])
    top, level = threat.walt_threat(share, discount, np.zeros((1, 3)), 1.0)
    assert top[0, 0] == 1
    assert level[0, 0] == pytest.approx(0.8 * 0.4)


def test_walt_threat_near_weak_state_beats_far_strong_one():
    share = np.array([[0.2, 0.3, 0.5]])
    discount = np.array([[[1.0, 0.9, 0.2], [0.9, 1.0, 0.2], [0.2, 0.2, 1.0]]])
    top, _ = threat.walt_threat(share, discount, np.zeros((1, 3)), 1.0)
    assert top[0, 0] == 1
    # under the power lens S0 would fear S2
    assert threat.power_threat(share)[0][0, 0] == 2


def test_walt_threat_prefers_aggressive_state():
    share = np.array([[0.2, 0.4, 0.4]])
    discount = np.ones((1, 3, 3))
    intent = np.array([[0.0, 0.0, 0.5]])
    top, level = threat.walt_threat(share, discount, intent, aggression_weight=2.0)
    assert top[0, 0] == 2
    assert level[0, 0] == pytest.approx(0.4 * (1 + 2.0 * 0.5))
    # with no weight on aggression the tie goes to the first index
    top0, level0 = threat.walt_threat(share, discount, intent, aggression_weight=0.0)
    assert top0[0, 0] == 1
    assert level0[0, 0] == pytest.approx(0.4)


def test_walt_threat_never_self():
    share = np.array([[0.9, 0.05, 0.05]])
    top, _ = threat.walt_threat(share, np.ones((1, 3, 3)), np.zeros((1, 3)), 1.0)
    assert np.all(top[0] != np.arange(3))


def test_walt_threat_does_not_mutate_discount():
    discount = threat.distance_discount(np.random.default_rng(1).random((2, 4, 2)), 0.5, 1.0)
    before = discount.copy()
    threat.walt_threat(np.full((2, 4), 0.25), discount, np.zeros((2, 4)), 1.0)
    assert_array_equal(discount, before)


# ---------------------------------------------------------------- perceive

THREE = [
    (1.0, 1.0, 0.0, 0.0, "balance_power"),
    (3.0, 3.0, 5.0, 0.0, "balance_power"),
    (2.0, 2.0, 0.2, 0.0, "balance_power"),
]


def test_perceive_power_lens():
    scenario, state = make(THREE)
    out = threat.perceive(state, scenario)
    # shares 1/6, 1/2, 1/3: S1 is everyone's threat, S1 fears the runner-up S2
    assert_array_equal(out.top_threat, [[1, 2, 1]])
    assert_allclose(out.threat_level, [[0.5, 1 / 3, 0.5]])


def test_perceive_threat_lens_uses_distance():
    states = [(*s[:4], "balance_threat") for s in THREE]
    scenario, state = make(states, threat={"reach": 0.5, "gradient_exponent": 1.0})
    out = threat.perceive(state, scenario)
    # S0 is 5 away from S1 but 0.2 from S2: S2 (share 1/3) outranks S1 (share 1/2)
    assert out.top_threat[0, 0] == 2
    assert out.threat_level[0, 0] == pytest.approx((1 + 0.2 / 0.5) ** -1 / 3)


def test_perceive_threat_lens_uses_aggression():
    states = [
        (1.0, 1.0, 0.0, 0.0, "balance_threat"),
        (1.0, 1.0, 1.0, 0.0, "balance_threat"),
        (1.0, 1.0, -1.0, 0.0, "balance_threat"),
    ]
    params = {"aggression_weight": 1.0, "aggression_memory": 0.5}
    scenario, state = make(states, threat=params)
    state = dataclasses.replace(state, aggression=np.array([[0.0, 0.0, 1.0]]))
    out = threat.perceive(state, scenario)
    assert out.top_threat[0, 0] == 2
    disc = (1 + 1.0 / 0.5) ** -1
    assert out.threat_level[0, 0] == pytest.approx(disc / 3 * (1 + 1.0 * 1.0 * 0.5))


def test_perceive_mixed_lenses_follow_strategy():
    states = [
        (1.0, 1.0, 0.0, 0.0, "balance_power"),
        (3.0, 3.0, 5.0, 0.0, "balance_power"),
        (2.0, 2.0, 0.2, 0.0, "balance_power"),
        (1.0, 1.0, 0.1, 0.0, "balance_threat"),
    ]
    scenario, state = make(states)
    out = threat.perceive(state, scenario)
    assert out.top_threat[0, 0] == 1  # power lens: the strongest
    assert out.top_threat[0, 3] == 2  # threat lens: the near one


@pytest.mark.parametrize(
    ("perception", "expected"), [("power", 1), ("threat", 2)], ids=["power", "threat"]
)
def test_perceive_bandwagoner_lens_follows_scenario(perception, expected):
    states = [(*s[:4], "bandwagon") for s in THREE]
    scenario, state = make(states, threat={"perception": perception})
    assert threat.perceive(state, scenario).top_threat[0, 0] == expected


def test_perceive_dead_states_have_no_threat_and_are_no_threat():
    scenario, state = make(THREE)
    state = dataclasses.replace(state, alive=np.array([[True, False, True]]))
    out = threat.perceive(state, scenario)
    assert_array_equal(out.top_threat, [[2, -1, 0]])
    assert_allclose(out.threat_level, [[2 / 3, 0.0, 1 / 3]])


@pytest.mark.parametrize("strategy", ["balance_power", "balance_threat"])
def test_perceive_lone_survivor_has_no_threat(strategy):
    states = [(*s[:4], strategy) for s in THREE]
    scenario, state = make(states)
    state = dataclasses.replace(state, alive=np.array([[False, True, False]]))
    out = threat.perceive(state, scenario)
    assert_array_equal(out.top_threat, [[-1, -1, -1]])
    assert_allclose(out.threat_level, 0.0)


def test_perceive_economic_weight():
    states = [
        (4.0, 0.0, 0.0, 0.0, "balance_power"),
        (1.0, 2.0, 1.0, 0.0, "balance_power"),
        (1.0, 1.0, 2.0, 0.0, "balance_power"),
    ]
    scenario, state = make(states, growth={"economic_weight": 1.0})
    assert threat.perceive(state, scenario).top_threat[0, 1] == 0
    scenario, state = make(states, growth={"economic_weight": 0.01})
    assert threat.perceive(state, scenario).top_threat[0, 0] == 1


def test_perceive_only_changes_threat_fields_and_does_not_mutate():
    scenario, state = make(THREE, replications=3)
    state = dataclasses.replace(
        state,
        top_threat=np.zeros((3, 3), dtype=np.int64),
        threat_level=np.full((3, 3), 0.9),
    )
    before = snapshot(state)
    out = threat.perceive(state, scenario)
    assert_unchanged(state, before)
    for name in before:
        if name not in ("top_threat", "threat_level"):
            assert getattr(out, name) is getattr(state, name), name
    assert_array_equal(out.top_threat, [[1, 2, 1]] * 3)
