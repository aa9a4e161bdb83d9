"""The engine's fast paths give the same bits as the plain formulas they replace.

Each optimisation of the hot loop (benchmarks/profile_notes.md, P3-P12) is checked
here against the straightforward expression it stands for, on inputs chosen to
reach its corner cases, and ``run(workers=...)`` against a single-process run.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy.special import expit

from equipoise import InvalidScenarioError, Scenario, run
from equipoise.engine import (
    _count_true,
    _draw_blocks,
    _generators,
    initial_state,
    iterate,
    step,
)
from equipoise.engine import replication_seeds as seeds_of
from equipoise.metrics import concentration, concentration_from_hhi, hhi, shares
from equipoise.rules import internal, soft, threat, war
from equipoise.state import capability, capability_share, remove_states


def bits(a: np.ndarray) -> np.ndarray:
    """Bit pattern of a float array, so that -0.0 != 0.0 and nan == nan."""
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


@pytest.fixture(scope="module")
def states() -> list:
    """A mixed-strategy trajectory: alliances, sanctions, wars and deaths all occur."""
    scenario = Scenario.load("mixed").replace(n_states=12)
    return scenario, list(iterate(scenario, 40, 60, seed=5))


# --------------------------------------------------------------- war: coalition support
@pytest.mark.parametrize("need", [0.2, 0.7])  # the gathering and the contiguous paths
@pytest.mark.parametrize("density", [0.0, 0.05, 0.5, 1.0])
@pytest.mark.parametrize("r", [1, 63, 64, 65, 200])
def test_coalition_support_matches_the_dense_product(density: float, r: int, need: float) -> None:
    rng = np.random.default_rng(r + int(100 * density) + int(10 * need))
    n = 50  # blocks of 64 replications
    discount = rng.random((r, n, n))
    allied = rng.random((r, n, n)) < density
    allied &= allied.transpose(0, 2, 1)
    cap = rng.random((r, n)) * 10.0 ** rng.uniform(-3, 3, (r, n))
    cap[rng.random((r, n)) < 0.3] = 0.0  # dead states
    needed = rng.random(r) < need
    dense = cap + 0.7 * np.matmul(np.where(allied, discount, 0.0), cap[:, :, None])[:, :, 0]
    got = war._coalition(cap, 0.7, discount, allied, needed)
    np.testing.assert_array_equal(bits(got[needed]), bits(dense[needed]))


@pytest.mark.parametrize("need", [0.2, 0.7])
def test_coalition_support_in_small_blocks_of_large_systems(need: float) -> None:
    rng = np.random.default_rng(7)
    r, n = 30, 130  # blocks of 9 replications
    discount = rng.random((r, n, n))
    allied = rng.random((r, n, n)) < 0.2
    allied &= allied.transpose(0, 2, 1)
    cap = rng.random((r, n))
    needed = rng.random(r) < need
    dense = cap + 0.7 * np.matmul(np.where(allied, discount, 0.0), cap[:, :, None])[:, :, 0]
    got = war._coalition(cap, 0.7, discount, allied, needed)
    np.testing.assert_array_equal(bits(got[needed]), bits(dense[needed]))


def test_win_probability_handles_the_edges_like_nan_to_num() -> None:
    x = np.array([0.0, 0.0, np.inf, 1.0, np.inf, 2.0, 1e-320, 5.0])
    y = np.array([0.0, 1.0, 1.0, 0.0, np.inf, 1.0, 1.0, 5.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        logit = 2.0 * (np.log(x) - np.log(y))
    expected = expit(np.nan_to_num(logit, nan=0.0))
    np.testing.assert_array_equal(bits(war.win_probability(x, y, 2.0)), bits(expected))


# --------------------------------------------------------------- shares passed in
def test_rules_give_the_same_state_with_or_without_a_shared_share(states) -> None:
    scenario, trajectory = states
    w = scenario.growth.economic_weight
    for state in trajectory[::7]:
        share = capability_share(state, w)
        assert not share.flags.writeable
        expected = np.nan_to_num(shares(capability(state, w), state.alive))
        np.testing.assert_array_equal(bits(share), bits(expected))
        for rule in (threat.perceive, internal.arm, soft.sanction):
            a, b = rule(state, scenario), rule(state, scenario, share=share)
            for f in dataclasses.fields(a):
                va, vb = getattr(a, f.name), getattr(b, f.name)
                np.testing.assert_array_equal(va, vb, err_msg=f"{rule.__name__}: {f.name}")


def test_step_with_the_recorded_share_equals_step_without(states) -> None:
    scenario, trajectory = states
    gens = _generators(seeds_of(5, 40))
    initial_state(scenario, gens)  # the initial conditions come first in each stream
    draws = list(_draw_blocks(gens, scenario.size, 60))
    w = scenario.growth.economic_weight
    for t in (0, 20, 59):
        state = trajectory[t]
        a = step(state, scenario, draws[t])
        b = step(state, scenario, draws[t], share=capability_share(state, w))
        for f in dataclasses.fields(a):
            np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), f.name)
            np.testing.assert_array_equal(getattr(trajectory[t + 1], f.name), getattr(a, f.name))


# --------------------------------------------------------------- recorder
def test_count_true_matches_count_nonzero(states) -> None:
    _, trajectory = states
    for state in trajectory:
        r = state.replications
        np.testing.assert_array_equal(
            _count_true(state.alliances > 0, r), np.count_nonzero(state.alliances, axis=(1, 2))
        )
        np.testing.assert_array_equal(
            _count_true(state.sanctions, r), np.count_nonzero(state.sanctions, axis=(1, 2))
        )
    big = np.ones((2, 300, 300), dtype=bool)  # more cells than a uint16 can count
    np.testing.assert_array_equal(_count_true(big, 2), [90_000, 90_000])


def test_sanctioners_sanction_one_state_at_most(states) -> None:
    """The recorder counts sanctioning cells as sanctioners: one target each."""
    _, trajectory = states
    assert any(s.sanctions.any() for s in trajectory), "the trajectory never sanctions"
    for state in trajectory:
        assert (state.sanctions.sum(axis=2) <= 1).all(), f"step {state.step}"
        np.testing.assert_array_equal(
            state.sanctions.sum(axis=(1, 2)), state.sanctions.any(axis=2).sum(axis=1)
        )


def test_concentration_from_hhi_matches_concentration() -> None:
    rng = np.random.default_rng(0)
    s = rng.random((50, 9)) * (rng.random((50, 9)) < 0.6)
    s[0] = 0.0
    s[1, 1:] = 0.0
    with np.errstate(invalid="ignore"):
        s = np.nan_to_num(s / s.sum(axis=1, keepdims=True))
    n = (s > 0).sum(axis=1)
    np.testing.assert_array_equal(
        bits(concentration_from_hhi(hhi(s), n)), bits(concentration(s, n))
    )


# --------------------------------------------------------------- removal
def test_remove_states_copies_relations_only_when_it_must(states) -> None:
    _, trajectory = states
    state = trajectory[30]
    lonely = (state.alliances == 0).all(axis=2) & ~state.sanctions.any(axis=(1, 2))[:, None]
    lonely &= state.alive & ~state.sanctions.any(axis=1)
    dead = np.zeros_like(state.alive)
    r, i = np.argwhere(lonely)[0]
    dead[r, i] = True
    out = remove_states(state, dead)
    assert out.alliances is state.alliances and out.sanctions is state.sanctions
    assert not out.alive[r, i] and out.economy[r, i] == 0.0

    allied = state.alive & (state.alliances > 0).any(axis=2)
    r, i = np.argwhere(allied)[0]
    dead = np.zeros_like(state.alive)
    dead[r, i] = True
    before = state.alliances.copy()
    out = remove_states(state, dead)
    assert out.alliances is not state.alliances
    np.testing.assert_array_equal(state.alliances, before)  # the input is untouched
    assert not out.alliances[r, i].any() and not out.alliances[r, :, i].any()


# --------------------------------------------------------------- setup
@pytest.mark.parametrize(("r", "n"), [(1, 2), (7, 50), (130, 45), (3, 300)])
def test_blocked_distance_discount_is_the_one_shot_formula(r: int, n: int) -> None:
    rng = np.random.default_rng(n)
    position = rng.random((r, n, 2))
    for reach, k in ((0.5, 1.0), (0.2, 2.5), (1e-300, 1.0)):
        diff = position[:, :, None, :] - position[:, None, :, :]
        d = np.sqrt(np.einsum("rijk,rijk->rij", diff, diff))
        with np.errstate(over="ignore"):
            expected = (1.0 + d / reach) ** (-k)
        got = threat.distance_discount(position, reach, k)
        np.testing.assert_array_equal(bits(got), bits(expected))


# --------------------------------------------------------------- workers
def test_workers_do_not_change_results() -> None:
    scenario = Scenario.load("mixed").replace(n_states=10)
    one = run(scenario, replications=9, steps=30, seed=4)
    done: list[int] = []
    two = run(scenario, replications=9, steps=30, seed=4, workers=2, progress=done.append)
    assert two.dataset.identical(one.dataset)
    assert sum(done) == 9 * 30
    part = run(scenario, replications=range(3, 9), steps=30, seed=4, workers=3)
    serial = run(scenario, replications=range(3, 9), steps=30, seed=4)
    assert part.dataset.identical(serial.dataset)


@pytest.mark.parametrize("workers", [0, -1, 1.5, "2", True])
def test_bad_workers_raise(workers: object) -> None:
    with pytest.raises(InvalidScenarioError, match="workers"):
        run("balancers", replications=2, steps=2, seed=1, workers=workers)
