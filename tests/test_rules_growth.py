"""Tests of equipoise.rules.growth: growth with shocks, guns versus butter, military stock."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import ndtri

from equipoise.rules import growth
from rulekit import assert_unchanged, snapshot, system


def make(states, replications=1, **params):
    """Scenario of explicit states ``(economy, military, arming) on a line``, and its state."""
    specs = [
        {"economy": e, "military": m, "x": float(i), "y": 0.0, "arming_share": a}
        for i, (e, m, a) in enumerate(states)
    ]
    return system(specs, replications, **params)


THREE = [(1.0, 0.5, 0.0), (2.0, 1.0, 0.1), (4.0, 3.0, 0.35)]
E0 = np.array([1.0, 2.0, 4.0])
M0 = np.array([0.5, 1.0, 3.0])
A0 = np.array([0.0, 0.1, 0.35])


@pytest.mark.parametrize(
    ("g", "drag", "dep"),
    [(0.03, 0.1, 0.1), (0.0, 0.0, 0.0), (-0.2, 1.0, 0.5), (0.5, 2.0, 1.0)],
)
def test_zero_volatility_is_deterministic_growth(g, drag, dep):
    params = {"growth_rate": g, "growth_volatility": 0.0, "arming_drag": drag, "depreciation": dep}
    scenario, state = make(THREE, growth=params)
    rng = np.random.default_rng(0)
    out = growth.grow(state, scenario, rng.random((1, 3)))
    assert_allclose(out.economy[0], E0 * np.maximum(0.0, 1 + g - drag * A0))
    # arms are bought out of this step's (pre-growth) output
    assert_allclose(out.military[0], (1 - dep) * M0 + A0 * E0)


def test_shock_enters_through_inverse_normal_cdf():
    params = {"growth_rate": 0.03, "growth_volatility": 0.05, "arming_drag": 0.1}
    scenario, state = make(THREE, growth=params)
    u = np.array([[0.5, 0.975, 0.025]])
    out = growth.grow(state, scenario, u)
    z = ndtri(u[0])
    assert z[0] == 0.0
    assert_allclose(out.economy[0], E0 * (1 + 0.03 - 0.1 * A0 + 0.05 * z))
    assert out.economy[0, 1] > E0[1] * (1 + 0.03 - 0.1 * 0.1)
    # the military stock does not depend on the shock
    assert_allclose(out.military[0], 0.9 * M0 + A0 * E0)


@pytest.mark.parametrize("u", [0.0, 1.0])
def test_extreme_uniforms_give_finite_shocks(u):
    scenario, state = make(THREE, growth={"growth_volatility": 0.05})
    out = growth.grow(state, scenario, np.full((1, 3), u))
    assert np.all(np.isfinite(out.economy))
    assert np.all(out.economy >= 0)


def test_growth_factor_is_floored_at_zero():
    params = {"growth_rate": 0.0, "growth_volatility": 0.0, "arming_drag": 10.0}
    scenario, state = make(THREE, growth=params)
    out = growth.grow(state, scenario, np.full((1, 3), 0.5))
    assert_allclose(out.economy[0], [1.0, 0.0, 0.0])  # 1 - 10 * 0.1 = 0, 1 - 3.5 < 0
    # a catastrophic shock cannot make an economy negative either
    scenario, state = make(THREE, growth={"growth_volatility": 1.0})
    out = growth.grow(state, scenario, np.full((1, 3), 1e-6))
    assert_array_equal(out.economy, 0.0)


def test_arming_drag_slows_growth():
    params = {"growth_rate": 0.05, "growth_volatility": 0.0, "arming_drag": 0.5}
    states = [(1.0, 0.0, 0.0), (1.0, 0.0, 0.2)]
    scenario, state = make(states, growth=params)
    out = growth.grow(state, scenario, np.full((1, 2), 0.5))
    assert out.economy[0, 0] == pytest.approx(1.05)
    assert out.economy[0, 1] == pytest.approx(1.05 - 0.1)
    assert out.military[0, 1] == pytest.approx(0.2)


def test_dead_states_stay_at_zero():
    scenario, state = make(THREE, growth={"growth_volatility": 0.2})
    state = dataclasses.replace(
        state,
        alive=np.array([[True, False, True]]),
        economy=np.array([[1.0, 0.0, 4.0]]),
        military=np.array([[0.5, 0.0, 3.0]]),
    )
    out = growth.grow(state, scenario, np.random.default_rng(1).random((1, 3)))
    assert out.economy[0, 1] == 0.0
    assert out.military[0, 1] == 0.0
    # even stale non-zero values of a dead state are zeroed
    stale = dataclasses.replace(state, economy=np.array([[1.0, 5.0, 4.0]]))
    out = growth.grow(stale, scenario, np.full((1, 3), 0.9))
    assert out.economy[0, 1] == 0.0
    assert out.military[0, 1] == 0.0
    assert out.economy[0, 0] > 0


def test_replications_grow_independently():
    scenario, state = make(THREE, replications=4, growth={"growth_volatility": 0.1})
    u = np.random.default_rng(2).random((4, 3))
    out = growth.grow(state, scenario, u)
    for r in range(4):
        single = growth.grow(
            dataclasses.replace(
                state,
                economy=state.economy[r : r + 1],
                military=state.military[r : r + 1],
                arming_share=state.arming_share[r : r + 1],
                alive=state.alive[r : r + 1],
            ),
            scenario,
            u[r : r + 1],
        )
        assert_allclose(out.economy[r], single.economy[0])
    assert len({tuple(row) for row in out.economy}) == 4


def test_grow_does_not_mutate_its_input():
    scenario, state = make(THREE, replications=2)
    before = snapshot(state)
    u = np.full((2, 3), 0.7)
    out = growth.grow(state, scenario, u)
    assert_unchanged(state, before)
    assert_array_equal(u, 0.7)
    assert not np.array_equal(out.economy, state.economy)
    for name in before:
        if name not in ("economy", "military"):
            assert getattr(out, name) is getattr(state, name), name
