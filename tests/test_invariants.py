"""Invariants of the system state, checked at every step of random valid scenarios.

Each property test draws a scenario (``tests/strategies.py``), a small batch of
replications and a seed, iterates the engine for ``STEPS`` steps and checks
the invariant on the initial state and after every step.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings

from equipoise import InvalidScenarioError, Scenario
from equipoise.engine import iterate
from equipoise.metrics import shares
from equipoise.state import SystemState, capability
from strategies import batches, scenarios, seeds

STEPS = 15
TOL = 1e-12

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def trajectory(scenario: Scenario, replications: int, seed: int) -> list[SystemState]:
    states = list(iterate(scenario, replications, STEPS, seed))
    assert len(states) == STEPS + 1
    assert [s.step for s in states] == list(range(STEPS + 1))
    return states


def where(state: SystemState, mask: np.ndarray) -> str:
    r, i = np.argwhere(mask)[0]
    return f"step {state.step}, replication {r}, state {i}"


def distance_to(a: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Distance of each arming share to the interval [lo, hi]."""
    return np.maximum(0.0, np.maximum(lo - a, a - hi))


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_stocks_are_finite_and_nonnegative(scenario: Scenario, r: int, seed: int) -> None:
    w = scenario.growth.economic_weight
    for state in trajectory(scenario, r, seed):
        cap = capability(state, w)
        for name, arr in (
            ("economy", state.economy),
            ("military", state.military),
            ("capability", cap),
        ):
            assert arr.shape == (r, scenario.size)
            bad = ~np.isfinite(arr) | (arr < 0)
            assert not bad.any(), f"{name} = {arr[bad][0]!r} at {where(state, bad)}"


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_arming_share_bounds(scenario: Scenario, r: int, seed: int) -> None:
    """Arming stays in [0, 1]; with internal balancing it converges into [min, max].

    The rule moves each alive state a fraction ``adjustment_speed`` of the way
    to a target inside [arming_min, arming_max], so the distance to that
    interval shrinks by at least the factor ``1 - adjustment_speed`` each step
    (and is 0 from the start when the initial share lies inside it). Without
    internal balancing an alive state's share never changes. Dead states arm 0.
    """
    p = scenario.internal
    states = trajectory(scenario, r, seed)
    initial = states[0].arming_share
    for prev, state in zip([None, *states[:-1]], states, strict=True):
        a = state.arming_share
        out = (a < 0.0) | (a > 1.0) | ~np.isfinite(a)
        assert not out.any(), f"arming share {a[out][0]!r} at {where(state, out)}"
        dead_arming = ~state.alive & (a != 0.0)
        assert not dead_arming.any(), f"dead state arms at {where(state, dead_arming)}"
        if prev is None:
            continue
        alive = state.alive
        if p.enabled:
            before = distance_to(prev.arming_share, p.arming_min, p.arming_max)
            after = distance_to(a, p.arming_min, p.arming_max)
            grew = alive & (after > (1.0 - p.adjustment_speed) * before + TOL)
            assert not grew.any(), (
                f"arming share {a[grew][0]!r} moved away from "
                f"[{p.arming_min}, {p.arming_max}] at {where(state, grew)}"
            )
            if p.adjustment_speed == 1.0:
                outside = alive & (after > TOL)
                assert not outside.any(), f"outside [min, max] at {where(state, outside)}"
        else:
            changed = alive & (a != initial)
            assert not changed.any(), (
                f"arming changed without internal balancing at {where(state, changed)}"
            )


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_arming_inside_bounds_when_it_starts_inside(scenario: Scenario, r: int, seed: int) -> None:
    p = scenario.internal
    scenario = scenario.replace(
        internal={"enabled": True},
        initial={"arming_share": (p.arming_min + p.arming_max) / 2},
        states=[s.model_copy(update={"arming_share": None}) for s in scenario.states],
    )
    for state in trajectory(scenario, r, seed):
        a = state.arming_share
        out = state.alive & ((a < p.arming_min - TOL) | (a > p.arming_max + TOL))
        assert not out.any(), (
            f"arming share {a[out][0]!r} outside [{p.arming_min}, {p.arming_max}] "
            f"at {where(state, out)}"
        )


# Found by Hypothesis: when growth shocks drive every economy to exactly 0
# (``max(0, 1 + g - drag * a + sigma * z)`` with g = -0.5, drag = 10), all
# alive states hold zero capability and the distribution of power is
# undefined (shares are nan).
COLLAPSE = Scenario(
    n_states=3,
    growth={
        "growth_rate": -0.5,
        "arming_drag": 10.0,
        "growth_volatility": 0.0,
        "economic_weight": 1.0,
    },
    initial={"arming_share": 0.5},
    internal={"enabled": False},
)
# Eliminates state A in step 1, then every economy collapses; from step 2 the
# soft-balancing rule takes argmax of all-zero shares as the "leader" (A, dead)
# and, with a threshold of 0, the survivors sanction the dead state.
DEAD_LEADER = Scenario(
    states=[
        {"name": "A", "economy": 0.01, "military": 0.0, "x": 0.0, "y": 0.0},
        {"name": "B", "economy": 1.0, "military": 1.0, "x": 0.1, "y": 0.0},
        {"name": "C", "economy": 1.0, "military": 1.0, "x": 0.0, "y": 0.1},
    ],
    growth={
        "growth_rate": -0.5,
        "arming_drag": 10.0,
        "growth_volatility": 0.0,
        "economic_weight": 1.0,
    },
    initial={"arming_share": 0.5},
    internal={"enabled": False},
    alliances={"enabled": False},
    soft_balancing={"soft_balancing_threshold": 0.0},
    war={"war_propensity": 1.0, "elimination_floor": 1.0, "conquest_share": 0.5},
)


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_capability_shares_sum_to_one_over_alive_states(
    scenario: Scenario, r: int, seed: int
) -> None:
    """Shares sum to 1 over alive states wherever the alive states hold any capability."""
    w = scenario.growth.economic_weight
    for state in trajectory(scenario, r, seed):
        cap = capability(state, w)
        s = shares(cap, state.alive)
        assert s.shape == (r, scenario.size)
        defined = np.where(state.alive, cap, 0.0).sum(axis=1) > 0
        total = np.where(state.alive, s, 0.0).sum(axis=1)
        np.testing.assert_allclose(
            total[defined], 1.0, rtol=0, atol=1e-9, err_msg=f"shares at step {state.step}"
        )
        assert (s[defined] >= 0).all()
        dead_share = ~state.alive & defined[:, None] & (s != 0)
        assert not dead_share.any(), f"dead state with a share at {where(state, dead_share)}"


@example(scenario=COLLAPSE, r=2, seed=0)
@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_alive_states_hold_some_capability(scenario: Scenario, r: int, seed: int) -> None:
    """The distribution of power among alive states is always defined.

    COLLAPSE drives every economy to 0 in step 1: such states leave the system
    instead of lingering with zero capability (where shares would be nan and
    they could never be attacked).
    """
    w = scenario.growth.economic_weight
    for state in trajectory(scenario, r, seed):
        some = state.alive.any(axis=1)  # a system may die out entirely (collapse)
        total = np.where(state.alive, capability(state, w), 0.0).sum(axis=1)[some]
        assert (total > 0).all(), (
            f"all alive states have zero capability at step {state.step} "
            f"(replications {np.flatnonzero(total <= 0).tolist()})"
        )
        s = shares(capability(state, w), state.alive)[some]
        alive = state.alive[some]
        np.testing.assert_allclose(np.where(alive, s, 0.0).sum(axis=1), 1.0, atol=1e-9)


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_dead_states_hold_nothing(scenario: Scenario, r: int, seed: int) -> None:
    for state in trajectory(scenario, r, seed):
        dead = ~state.alive
        for name, arr in (("economy", state.economy), ("military", state.military)):
            bad = dead & (arr != 0)
            assert not bad.any(), f"dead state with {name} at {where(state, bad)}"
        rows = dead[:, :, None] & (state.alliances != 0)
        cols = dead[:, None, :] & (state.alliances != 0)
        assert not rows.any() and not cols.any(), f"dead state allied at step {state.step}"
        rows = dead[:, :, None] & state.sanctions
        cols = dead[:, None, :] & state.sanctions
        assert not rows.any(), f"dead state sanctions at step {state.step}"
        assert not cols.any(), f"dead state sanctioned at step {state.step}"


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_alliances_symmetric_and_sanctions_irreflexive(
    scenario: Scenario, r: int, seed: int
) -> None:
    n = scenario.size
    for state in trajectory(scenario, r, seed):
        al = state.alliances
        assert al.shape == (r, n, n)
        assert (al >= 0).all(), f"negative alliance lifetime at step {state.step}"
        np.testing.assert_array_equal(al, al.transpose(0, 2, 1), err_msg=f"step {state.step}")
        assert not np.diagonal(al, axis1=1, axis2=2).any(), f"self-alliance at {state.step}"
        assert not np.diagonal(state.sanctions, axis1=1, axis2=2).any(), (
            f"self-sanction at step {state.step}"
        )
        # the recorder counts sanctioning cells as sanctioners: one target each
        assert (state.sanctions.sum(axis=2) <= 1).all(), f"two targets at step {state.step}"
        if not scenario.alliances.enabled:
            assert not al.any()
        if not scenario.soft_balancing.enabled:
            assert not state.sanctions.any()


@PROPERTY
@given(scenario=scenarios(), r=batches, seed=seeds)
def test_the_dead_stay_dead(scenario: Scenario, r: int, seed: int) -> None:
    states = trajectory(scenario, r, seed)
    assert states[0].alive.all()
    for prev, state in itertools.pairwise(states):
        reborn = state.alive & ~prev.alive
        assert not reborn.any(), f"state came back to life at {where(state, reborn)}"
        assert (state.alive.sum(axis=1) <= prev.alive.sum(axis=1)).all()
        g = scenario.growth
        cannot_collapse = g.growth_volatility == 0 and g.growth_rate - g.arming_drag > -1
        if not scenario.war.enabled and cannot_collapse:
            assert state.alive.all(), "a state died without war or economic collapse"


def test_dead_leader_is_not_sanctioned() -> None:
    """Regression (fails): survivors sanction a dead state when no one has capability.

    In DEAD_LEADER, state A is eliminated in step 1 and every economy then
    collapses to 0. ``soft.sanction`` takes ``argmax`` of the all-zero shares,
    i.e. state 0 (dead), as the leader; its share 0 reaches the threshold 0, so
    B and C "sanction" A from step 2 on.
    """
    states = trajectory(DEAD_LEADER, 1, 0)
    assert not states[1].alive[0, 0], "state A should be eliminated in step 1"
    for state in states:
        dead = ~state.alive
        sanctioned = dead[:, None, :] & state.sanctions
        assert not sanctioned.any(), f"dead state sanctioned at step {state.step}"


# A violent system in which eliminations are certain, so the dead-state
# invariants above are not checked vacuously.
VIOLENT = Scenario(
    n_states=8,
    strategies={"balance_power": 0.5, "bandwagon": 0.25, "buck_pass": 0.25},
    initial={"economy_inequality": 1.5},
    alliances={"alliance_threshold": 0.0},
    soft_balancing={"soft_balancing_threshold": 0.0},
    war={"war_propensity": 1.0, "conquest_share": 0.9, "elimination_floor": 1.0},
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_invariants_hold_through_eliminations(seed: int) -> None:
    states = trajectory(VIOLENT, 4, seed)
    final = states[-1]
    assert (final.alive.sum(axis=1) < VIOLENT.size).all(), "expected eliminations"
    assert any(s.alliances.any() for s in states), "expected alliances"
    assert any(s.sanctions.any() for s in states), "expected sanctions"
    for prev, state in itertools.pairwise(states):
        assert not (state.alive & ~prev.alive).any()
        dead = ~state.alive
        assert (state.economy[dead] == 0).all() and (state.military[dead] == 0).all()
        assert not (dead[:, :, None] & (state.alliances != 0)).any()
        assert not (dead[:, None, :] & (state.alliances != 0)).any()
        assert not (dead[:, :, None] & state.sanctions).any()
        assert not (dead[:, None, :] & state.sanctions).any()
        s = shares(capability(state, VIOLENT.growth.economic_weight), state.alive)
        np.testing.assert_allclose(np.where(state.alive, s, 0).sum(axis=1), 1.0, atol=1e-9)


def test_capability_without_economic_weight_is_rejected() -> None:
    """Capability measured by military alone could start at 0 for everyone."""
    with pytest.raises(InvalidScenarioError, match=r"growth\.economic_weight"):
        Scenario(n_states=2, growth={"economic_weight": 0.0}, initial={"military_ratio": 0.0})
