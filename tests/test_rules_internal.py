"""Tests of equipoise.rules.internal: arming toward a target set by the threat gap."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from equipoise.engine import initial_state
from equipoise.rules import internal, threat
from equipoise.scenario import Scenario
from rulekit import assert_unchanged, snapshot, system


def make(states, replications=1, **params):
    """Explicit states ``(economy, military, strategy, arming)`` on a line, and their state."""
    specs = [
        {"economy": e, "military": m, "x": float(i), "y": 0.0, "strategy": s, "arming_share": a}
        for i, (e, m, s, a) in enumerate(states)
    ]
    return system(specs, replications, **params)


INTERNAL = {
    "arming_min": 0.02,
    "arming_max": 0.35,
    "arming_response": 1.0,
    "adjustment_speed": 0.25,
}

# shares 1/6, 1/2, 1/3; power-lens threat levels 1/2, 1/3, 1/2
THREE = [
    (1.0, 1.0, "balance_power", 0.05),
    (3.0, 3.0, "balance_power", 0.05),
    (2.0, 2.0, "balance_power", 0.05),
]


def expected_arming(a, gap, p=INTERNAL):
    target = np.clip(p["arming_min"] + p["arming_response"] * gap, p["arming_min"], p["arming_max"])
    return a + p["adjustment_speed"] * (target - a)


def test_arm_moves_toward_target_by_adjustment_speed():
    scenario, state = make(THREE, internal=INTERNAL)
    out = internal.arm(state, scenario)
    gaps = np.array([0.5 - 1 / 6, 0.0, 0.5 - 1 / 3])  # S1 leads: no gap
    assert_allclose(out.arming_share[0], expected_arming(0.05, gaps))
    # S0's target 0.02 + 1/3 is clipped at arming_max
    assert out.arming_share[0, 0] == pytest.approx(0.05 + 0.25 * (0.35 - 0.05))
    assert out.arming_share[0, 1] == pytest.approx(0.05 + 0.25 * (0.02 - 0.05))


@pytest.mark.parametrize("response", [0.5, 2.0, 10.0])
def test_arm_response_scales_gap(response):
    p = {**INTERNAL, "arming_response": response}
    scenario, state = make(THREE, internal=p)
    out = internal.arm(state, scenario)
    gaps = np.array([1 / 3, 0.0, 1 / 6])
    assert_allclose(out.arming_share[0], expected_arming(0.05, gaps, p))


def test_arm_full_speed_reaches_target_and_zero_speed_stays():
    scenario, state = make(THREE, internal={**INTERNAL, "adjustment_speed": 1.0})
    out = internal.arm(state, scenario)
    assert_allclose(out.arming_share[0], [0.35, 0.02, 0.02 + 1 / 6])
    scenario, state = make(THREE, internal={**INTERNAL, "adjustment_speed": 0.0})
    assert_allclose(internal.arm(state, scenario).arming_share, state.arming_share)


def test_reliable_allies_reduce_the_gap():
    scenario, state = make(THREE, internal=INTERNAL, alliances={"alliance_reliability": 0.7})
    allied = np.zeros((1, 3, 3), dtype=np.int16)
    allied[0, 0, 2] = allied[0, 2, 0] = 5
    state = dataclasses.replace(state, alliances=allied)
    out = internal.arm(state, scenario)
    gap0 = 0.5 - (1 / 6 + 0.7 / 3)
    gap2 = max(0.0, 0.5 - (1 / 3 + 0.7 / 6))
    assert_allclose(out.arming_share[0], expected_arming(0.05, np.array([gap0, 0.0, gap2])))


def test_allies_count_for_nothing_when_alliances_disabled():
    scenario, state = make(THREE, internal=INTERNAL, alliances={"enabled": False})
    allied = np.zeros((1, 3, 3), dtype=np.int16)
    allied[0, 0, 2] = allied[0, 2, 0] = 5
    state = dataclasses.replace(state, alliances=allied)
    out = internal.arm(state, scenario)
    assert_allclose(out.arming_share[0], expected_arming(0.05, np.array([1 / 3, 0.0, 1 / 6])))


def test_non_balancers_drift_to_arming_min():
    states = [
        (1.0, 1.0, "bandwagon", 0.3),
        (3.0, 3.0, "balance_power", 0.3),
        (2.0, 2.0, "bandwagon", 0.3),
    ]
    scenario, state = make(states, internal=INTERNAL)
    out = internal.arm(state, scenario)
    assert out.arming_share[0, 0] == pytest.approx(0.3 + 0.25 * (0.02 - 0.3))
    assert out.arming_share[0, 2] == pytest.approx(0.3 + 0.25 * (0.02 - 0.3))
    # repeated steps converge on arming_min
    for _ in range(200):
        out = internal.arm(out, scenario)
    assert_allclose(out.arming_share[0, [0, 2]], 0.02)


def test_passing_buck_passer_drifts_but_uncovered_one_arms():
    states = [
        (3.0, 3.0, "balance_power", 0.05),
        (3.0, 3.0, "balance_power", 0.05),
        (2.0, 2.0, "buck_pass", 0.05),
    ]
    scenario, state = make(states, internal=INTERNAL)
    # S0 and S1 tie: S2's threat is one of them, balanced by the other with an equal share
    assert state.top_threat[0, 2] in (0, 1)
    out = internal.arm(state, scenario)
    assert out.arming_share[0, 2] == pytest.approx(0.05 + 0.25 * (0.02 - 0.05))
    # uncovered: the balancer facing S2's threat is weaker than it
    states[1] = (2.5, 2.5, "balance_power", 0.05)
    scenario, state = make(states, internal=INTERNAL)
    assert state.top_threat[0, 2] == 0
    out = internal.arm(state, scenario)
    gap = 3 / 7.5 - 2 / 7.5
    assert out.arming_share[0, 2] == pytest.approx(float(expected_arming(0.05, np.array(gap))))


def test_dead_states_arm_nothing():
    scenario, state = make(THREE, internal=INTERNAL)
    state = dataclasses.replace(state, alive=np.array([[True, True, False]]))
    state = threat.perceive(state, scenario)
    out = internal.arm(state, scenario)
    assert out.arming_share[0, 2] == 0.0
    # S0 now faces S1 with share 3/4
    assert out.arming_share[0, 0] == pytest.approx(0.05 + 0.25 * (0.35 - 0.05))


def test_arming_stays_within_bounds():
    scenario = Scenario(
        n_states=8,
        strategies={"balance_power": 0.5, "bandwagon": 0.25, "buck_pass": 0.25},
        internal={**INTERNAL, "arming_response": 5.0, "adjustment_speed": 0.6},
        initial={"economy_inequality": 1.5, "arming_share": 0.1},
    )
    state = initial_state(scenario, [np.random.default_rng(i) for i in range(40)])
    rng = np.random.default_rng(99)
    for _ in range(30):
        state = internal.arm(state, scenario)
        assert np.all(state.arming_share >= 0.02 - 1e-12)
        assert np.all(state.arming_share <= 0.35 + 1e-12)
        # perturb the economy so threats change between steps
        state = dataclasses.replace(state, economy=state.economy * rng.lognormal(0, 0.3, (40, 8)))
        state = threat.perceive(state, scenario)


def test_arming_outside_bounds_moves_monotonically_inside():
    states = [(1.0, 1.0, "balance_power", 0.9), (3.0, 3.0, "balance_power", 0.0)]
    scenario, state = make(states, internal=INTERNAL)
    prev = state.arming_share.copy()
    for _ in range(5):
        state = internal.arm(state, scenario)
        assert state.arming_share[0, 0] < prev[0, 0]
        assert state.arming_share[0, 1] > prev[0, 1]
        prev = state.arming_share.copy()


def test_disabled_returns_state_unchanged():
    scenario, state = make(THREE, internal={**INTERNAL, "enabled": False})
    assert internal.arm(state, scenario) is state


def test_arm_does_not_mutate_and_only_changes_arming():
    scenario, state = make(THREE, replications=4, internal=INTERNAL)
    before = snapshot(state)
    out = internal.arm(state, scenario)
    assert_unchanged(state, before)
    assert not np.array_equal(out.arming_share, state.arming_share)
    for name in before:
        if name != "arming_share":
            assert getattr(out, name) is getattr(state, name), name
