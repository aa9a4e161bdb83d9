"""Tests of equipoise.rules.soft: the sanctioning coalition against the leader."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise.rules import soft, threat
from rulekit import assert_unchanged, snapshot, system


def make(states, replications=1, **params):
    """Scenario of explicit states ``(economy, military, strategy) on a line``, and its state."""
    specs = [
        {"economy": e, "military": m, "x": float(i), "y": 0.0, "strategy": s}
        for i, (e, m, s) in enumerate(states)
    ]
    return system(specs, replications, **params)


SOFT = {"soft_balancing_threshold": 0.35, "soft_balancing_strength": 0.05, "sanction_cost": 0.25}

# shares 0.6, 0.2, 0.1, 0.1; S2 bandwagons
FOUR = [
    (6.0, 6.0, "balance_power"),
    (2.0, 2.0, "balance_power"),
    (1.0, 1.0, "bandwagon"),
    (1.0, 1.0, "balance_power"),
]


def expected_economy(economy, leader, coalition, p=SOFT):
    economy = np.asarray(economy, dtype=float)
    w = economy[coalition].sum() / economy.sum()
    loss = p["soft_balancing_strength"] * w
    out = economy.copy()
    out[leader] *= 1 - loss
    out[coalition] *= 1 - p["sanction_cost"] * loss
    return out


def test_leader_economy_cut_in_proportion_to_coalition_weight():
    scenario, state = make(FOUR, soft_balancing=SOFT)
    out = soft.sanction(state, scenario)
    # coalition S1 + S3 holds 3 of 10 units of economy
    loss = 0.05 * 0.3
    assert out.economy[0, 0] == pytest.approx(6.0 * (1 - loss))
    assert out.economy[0, 1] == pytest.approx(2.0 * (1 - 0.25 * loss))
    assert out.economy[0, 3] == pytest.approx(1.0 * (1 - 0.25 * loss))
    assert out.economy[0, 2] == 1.0  # the bandwagoner does not sanction
    assert_allclose(out.economy[0], expected_economy([6, 2, 1, 1], 0, [1, 3]))


def test_sanctions_matrix_marks_coalition_against_leader():
    scenario, state = make(FOUR, soft_balancing=SOFT)
    out = soft.sanction(state, scenario)
    expected = np.zeros((1, 4, 4), dtype=bool)
    expected[0, [1, 3], 0] = True
    assert out.sanctions.dtype == np.bool_
    assert_array_equal(out.sanctions, expected)


@pytest.mark.parametrize("sanction_cost", [0.0, 0.5, 1.0])
def test_sanctioners_pay_sanction_cost_times_leader_loss(sanction_cost):
    p = {**SOFT, "sanction_cost": sanction_cost}
    scenario, state = make(FOUR, soft_balancing=p)
    out = soft.sanction(state, scenario)
    leader_rate = 1 - out.economy[0, 0] / 6.0
    sanctioner_rate = 1 - out.economy[0, [1, 3]] / np.array([2.0, 1.0])
    assert_allclose(sanctioner_rate, sanction_cost * leader_rate)


def test_weight_uses_economies_not_capabilities():
    states = [(1.0, 10.0, "balance_power"), (4.0, 1.0, "balance_power")]
    scenario, state = make(states, soft_balancing=SOFT, growth={"economic_weight": 0.01})
    out = soft.sanction(state, scenario)
    # S0 leads by military; the coalition (S1) holds 4/5 of the economy
    assert_allclose(out.economy[0], expected_economy([1.0, 4.0], 0, [1]))
    assert out.economy[0, 0] == pytest.approx(1.0 - 0.05 * 0.8)


def test_no_effect_below_threshold_and_old_sanctions_end():
    scenario, state = make(FOUR, soft_balancing={**SOFT, "soft_balancing_threshold": 0.61})
    old = np.zeros((1, 4, 4), dtype=bool)
    old[0, 1, 0] = True
    state = dataclasses.replace(state, sanctions=old)
    out = soft.sanction(state, scenario)
    assert_allclose(out.economy, state.economy)
    assert not out.sanctions.any()


def test_threshold_is_inclusive():
    scenario, state = make(FOUR, soft_balancing={**SOFT, "soft_balancing_threshold": 0.6})
    out = soft.sanction(state, scenario)
    assert out.sanctions[0, 1, 0]
    assert out.economy[0, 0] < 6.0


def test_nobody_allied_to_the_leader_sanctions():
    scenario, state = make(FOUR, soft_balancing=SOFT)
    allied = np.zeros((1, 4, 4), dtype=np.int16)
    allied[0, 0, 1] = allied[0, 1, 0] = 3
    state = dataclasses.replace(state, alliances=allied)
    out = soft.sanction(state, scenario)
    assert_array_equal(out.sanctions[0, :, 0], [False, False, False, True])
    assert_allclose(out.economy[0], expected_economy([6, 2, 1, 1], 0, [3]))


def test_alliances_among_sanctioners_do_not_matter():
    scenario, state = make(FOUR, soft_balancing=SOFT)
    allied = np.zeros((1, 4, 4), dtype=np.int16)
    allied[0, 1, 3] = allied[0, 3, 1] = 3
    state = dataclasses.replace(state, alliances=allied)
    out = soft.sanction(state, scenario)
    assert_array_equal(out.sanctions[0, :, 0], [False, True, False, True])


def test_dead_states_and_passing_buck_passers_do_not_sanction():
    states = [
        (6.0, 6.0, "balance_power"),
        (3.0, 3.0, "balance_power"),
        (1.0, 1.0, "buck_pass"),
        (1.0, 1.0, "balance_power"),
    ]
    scenario, state = make(states, soft_balancing=SOFT)
    # S0's share 6/11 is balanced by S1 + S3 = 4/11 < 6/11: the buck-passer balances
    out = soft.sanction(state, scenario)
    assert_array_equal(out.sanctions[0, :, 0], [False, True, True, True])
    # S3 dies: S0's share 6/10 is balanced only by S1 (3/10), the buck-passer still balances
    dead = dataclasses.replace(
        state,
        alive=np.array([[True, True, True, False]]),
        economy=np.array([[6.0, 3.0, 1.0, 0.0]]),
        military=np.array([[6.0, 3.0, 1.0, 0.0]]),
    )
    dead = threat.perceive(dead, scenario)
    out = soft.sanction(dead, scenario)
    assert_array_equal(out.sanctions[0, :, 0], [False, True, True, False])
    assert out.economy[0, 3] == 0.0
    # a strong balancer covering the threat makes the buck-passer pass
    strong = [(6.0, 6.0, "balance_power"), (6.0, 6.0, "balance_power"), (1.0, 1.0, "buck_pass")]
    scenario, state = make(strong, soft_balancing={**SOFT, "soft_balancing_threshold": 0.4})
    out = soft.sanction(state, scenario)
    assert not out.sanctions[0, 2].any()
    assert out.economy[0, 2] == 1.0


def test_per_replication_leaders():
    scenario, state = make(FOUR, replications=2, soft_balancing=SOFT)
    econ = np.array([[6.0, 2.0, 1.0, 1.0], [1.0, 2.0, 1.0, 6.0]])
    state = dataclasses.replace(state, economy=econ, military=econ.copy())
    state = threat.perceive(state, scenario)
    out = soft.sanction(state, scenario)
    assert_allclose(out.economy[0], expected_economy(econ[0], 0, [1, 3]))
    assert_allclose(out.economy[1], expected_economy(econ[1], 3, [0, 1]))
    assert_array_equal(out.sanctions[1, :, 3], [True, True, False, False])
    assert not out.sanctions[1, :, :3].any()


@pytest.mark.parametrize("with_existing", [True, False])
def test_disabled_clears_sanctions(with_existing):
    scenario, state = make(FOUR, soft_balancing={**SOFT, "enabled": False})
    if with_existing:
        old = np.zeros((1, 4, 4), dtype=bool)
        old[0, 1, 0] = True
        state = dataclasses.replace(state, sanctions=old)
        out = soft.sanction(state, scenario)
        assert not out.sanctions.any()
        assert_allclose(out.economy, state.economy)
        assert state.sanctions[0, 1, 0]
    else:
        assert soft.sanction(state, scenario) is state


def test_sanction_does_not_mutate_its_input():
    scenario, state = make(FOUR, replications=3, soft_balancing=SOFT)
    before = snapshot(state)
    out = soft.sanction(state, scenario)
    assert_unchanged(state, before)
    assert out.sanctions.any()
    for name in before:
        if name not in ("economy", "sanctions"):
            assert getattr(out, name) is getattr(state, name), name
