"""Tests of the landscape alliance rule (Axelrod & Bennett 1993) of equipoise.rules.alliances."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise import InvalidScenarioError, Scenario, run
from equipoise.engine import initial_state, iterate
from equipoise.landscape import energy, global_minima
from equipoise.rules import alliances
from equipoise.state import capability

LANDSCAPE = {"alliance_rule": "landscape", "landscape_interval": 3}


def make(states, replications=1, alliance_params=None, **params):
    """Scenario of explicit states ``(economy, x, y, strategy)`` (military = economy)."""
    specs = [
        {"name": f"S{i}", "economy": e, "military": e, "x": x, "y": y, "strategy": s}
        for i, (e, x, y, s) in enumerate(states)
    ]
    scenario = Scenario(states=specs, alliances={**LANDSCAPE, **(alliance_params or {})}, **params)
    gens = [np.random.default_rng(i) for i in range(replications)]
    return scenario, initial_state(scenario, gens)


def allied_pairs(state, r=0):
    a = state.alliances[r]
    return {(i, j) for i, j in zip(*np.nonzero(np.triu(a, 1)), strict=True)}


def assert_valid(state):
    a = state.alliances
    assert a.dtype == np.int16
    assert (a >= 0).all()
    assert_array_equal(a, a.transpose(0, 2, 1))
    assert not np.diagonal(a, axis1=1, axis2=2).any()
    dead = ~state.alive
    assert not (dead[:, :, None] & (a > 0)).any()


def two_blocs(labels_alive):
    """Pairs (i < j) in the same coalition."""
    return {
        (i, j)
        for i, j in itertools.combinations(range(len(labels_alive)), 2)
        if labels_alive[i] == labels_alive[j]
    }


# ------------------------------------------------------------ parameters
def test_parameters_default_to_the_threat_rule_and_round_trip():
    p = Scenario(n_states=5).alliances
    assert p.alliance_rule == "threat"
    assert p.landscape_interval == 10
    s = Scenario(n_states=5, alliances=LANDSCAPE)
    back = Scenario.from_toml(s.to_toml())
    assert back == s and back.alliances.alliance_rule == "landscape"


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"alliance_rule": "bloc"}, "alliances.alliance_rule"),
        ({"landscape_interval": 0}, "alliances.landscape_interval"),
        ({"landscape_interval": 40000}, "alliances.landscape_interval"),
        ({"landscape_interval": 2.5}, "alliances.landscape_interval"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(InvalidScenarioError, match=match):
        Scenario(n_states=5, alliances=params)


# ------------------------------------------------------------ propensity
def test_propensity_formula():
    scenario, state = make(
        [
            (1.0, 0.0, 0.0, "balance_power"),
            (1.0, 0.5, 0.0, "balance_power"),
            (1.0, 3.0, 0.0, "balance_power"),
        ],
        alliance_params={"proximity_weight": 2.0},
        threat={"aggression_weight": 3.0, "aggression_memory": 0.5, "reach": 0.5},
    )
    state = dataclasses.replace(state, aggression=np.array([[0.0, 1.0, 0.4]]))
    p = alliances.landscape_propensity(state, scenario)
    intent = np.array([0.0, 0.5, 0.2])
    d01 = (1 + 0.5 / 0.5) ** -1.0
    assert p[0, 0, 1] == pytest.approx(-(1 + 2 * d01) * (1 + 3 * (0.0 + 0.5)))
    d12 = (1 + 2.5 / 0.5) ** -1.0
    assert p[0, 1, 2] == pytest.approx(-(1 + 2 * d12) * (1 + 3 * (0.5 + 0.2)))
    assert_allclose(p, p.transpose(0, 2, 1))
    assert (p < 0).all()
    assert_allclose(intent, state.aggression[0] * 0.5)


# ----------------------------------------------------------- coalitions
def brute_force_minimum(share, p):
    n = share.size
    best = np.inf
    for bits in itertools.product((0, 1), repeat=n - 1):
        best = min(best, energy(share, p, (0, *bits)))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_coalitions_are_the_exact_minimum_over_alive_states(seed):
    rng = np.random.default_rng(seed)
    r, n = 4, 9
    share = rng.random((r, n))
    alive = rng.random((r, n)) > 0.25
    alive[0] = True
    share = np.where(alive, share, 0.0)
    p = -(1 + rng.random((r, n, n)))
    p = (p + p.transpose(0, 2, 1)) / 2
    labels = alliances.landscape_coalitions(share, p, alive, np.zeros((r, n, n), np.int16))
    assert labels.shape == (r, n) and labels.dtype == np.int8
    for k in range(r):
        idx = np.flatnonzero(alive[k])
        if idx.size < 2:
            continue
        s, q = share[k, idx], p[k][np.ix_(idx, idx)]
        assert energy(s, q, labels[k, idx]) == pytest.approx(brute_force_minimum(s, q))


def test_above_the_exact_limit_coalitions_are_stable_and_near_the_minimum():
    rng = np.random.default_rng(3)
    r, n = 3, alliances.LANDSCAPE_EXACT_LIMIT + 2
    share = rng.random((r, n))
    alive = np.ones((r, n), dtype=bool)
    p = -(1 + rng.random((r, n, n)))
    p = (p + p.transpose(0, 2, 1)) / 2
    labels = alliances.landscape_coalitions(share, p, alive, np.zeros((r, n, n), np.int16))
    _, best = global_minima(share, p)
    for k in range(r):
        e = energy(share[k], p[k], labels[k])
        flips = np.where(np.eye(n, dtype=bool), 1 - labels[k], labels[k])
        assert (energy(share[k], p[k], flips) >= e - 1e-12).all()  # stable
        assert e <= best[k] * (1 - 0.01)  # energies are negative: within 1 %


# ------------------------------------------------------------------ rule
FOUR = [
    (3.0, 0.0, 0.0, "balance_power"),
    (1.0, 0.3, 0.0, "balance_power"),
    (1.0, 0.6, 0.0, "balance_power"),
    (1.0, 0.9, 0.0, "balance_power"),
]


def test_uniform_hostility_gives_the_balance_of_power():
    """Shares 1/2, 1/6, 1/6, 1/6 with equal hostility: the giant alone against the rest."""
    scenario, state = make(FOUR, alliance_params={"proximity_weight": 0.0})
    out = alliances.align(state, scenario, np.full((1, 4), 0.5))
    assert_valid(out)
    assert allied_pairs(out) == {(1, 2), (1, 3), (2, 3)}
    assert (out.alliances[0][out.alliances[0] > 0] == 3).all()


def test_proximity_puts_neighbours_on_opposite_sides():
    states = [
        (1.0, 0.0, 0.0, "balance_power"),
        (1.0, 0.01, 0.0, "balance_power"),
        (1.0, 5.0, 0.0, "balance_power"),
        (1.0, 5.01, 0.0, "balance_power"),
    ]
    scenario, state = make(states, alliance_params={"proximity_weight": 1.0})
    out = alliances.align(state, scenario, np.full((1, 4), 0.5))
    pairs = allied_pairs(out)
    assert len(pairs) == 2
    assert (0, 1) not in pairs and (2, 3) not in pairs


def test_an_aggressor_is_isolated():
    """Equal sizes: a lone aggressor (hostility factor 1 + 10 * 0.9 > 2) beats a 2-2 split."""
    states = [(1.0, 0.0, 0.0, "balance_power")] * 4
    scenario, state = make(
        states,
        alliance_params={"proximity_weight": 0.0},
        threat={"aggression_weight": 10.0, "aggression_memory": 0.9},
    )
    state = dataclasses.replace(state, aggression=np.array([[0.0, 0.0, 9.0, 0.0]]))
    out = alliances.align(state, scenario, np.full((1, 4), 0.5))
    assert allied_pairs(out) == {(0, 1), (0, 3), (1, 3)}


def test_coalitions_age_and_reform_every_interval():
    scenario, state = make(FOUR, replications=2)
    u = np.full((2, 4), 0.5)
    seen = []
    for step in range(7):
        state = dataclasses.replace(state, step=step)
        state = alliances.align(state, scenario, u)
        assert_valid(state)
        seen.append(int(state.alliances.max()))
    # K = 3: set to 3 on steps 0, 3, 6, aging in between, never lapsing
    assert seen == [3, 2, 1, 3, 2, 1, 3]


def test_dead_states_ally_with_no_one():
    scenario, state = make(FOUR)
    alive = np.array([[True, True, False, True]])
    state = dataclasses.replace(
        state,
        alive=alive,
        economy=np.where(alive, state.economy, 0.0),
        military=np.where(alive, state.military, 0.0),
    )
    out = alliances.align(state, scenario, np.full((1, 4), 0.5))
    assert_valid(out)
    assert not out.alliances[0, 2].any()


def test_bandwagoners_in_their_top_threats_coalition_pay_appeasement():
    """Shares .4, .3, .2, .1 with equal hostility: {0, 3} against {1, 2}; 3 bandwagons."""
    states = [
        (4.0, 0.0, 0.0, "balance_power"),
        (3.0, 0.3, 0.0, "balance_power"),
        (2.0, 0.6, 0.0, "balance_power"),
        (1.0, 0.9, 0.0, "bandwagon"),
    ]
    scenario, state = make(states, alliance_params={"proximity_weight": 0.0, "appeasement": 0.1})
    assert state.top_threat[0, 3] == 0
    out = alliances.align(state, scenario, np.full((1, 4), 0.5))
    assert allied_pairs(out) == {(0, 3), (1, 2)}
    assert_allclose(out.economy[0], [4.1, 3.0, 2.0, 0.9])
    # without appeasement nothing is paid and the economy array is passed on unchanged
    scenario0, state0 = make(states, alliance_params={"proximity_weight": 0.0, "appeasement": 0})
    assert alliances.align(state0, scenario0, np.full((1, 4), 0.5)).economy is state0.economy


def test_inputs_are_not_modified():
    scenario, state = make(FOUR, replications=2)
    before = {f.name: np.copy(getattr(state, f.name)) for f in dataclasses.fields(state)}
    alliances.align(state, scenario, np.full((2, 4), 0.5))
    for name, value in before.items():
        assert_array_equal(getattr(state, name), value, err_msg=f"{name} was mutated")


# ------------------------------------------------------------ simulation
@pytest.mark.parametrize("n", [6, alliances.LANDSCAPE_EXACT_LIMIT + 2])
def test_simulation_keeps_a_valid_alliance_matrix(n):
    scenario = Scenario.load("mixed").replace(n_states=n, alliances=LANDSCAPE)
    w = scenario.growth.economic_weight
    for state in iterate(scenario, 3, 12, seed=4):
        assert_valid(state)
        if state.step > 0:
            # two coalitions among the alive: allied pairs are the same-side pairs of a split
            for r in range(3):
                idx = np.flatnonzero(state.alive[r])
                allied = state.alliances[r][np.ix_(idx, idx)] > 0
                side = ~allied[0]
                side[0] = False
                same = side[:, None] == side[None, :]
                np.fill_diagonal(same, False)
                assert_array_equal(allied, same)
        assert np.isfinite(capability(state, w)).all()


def test_results_do_not_depend_on_batching():
    scenario = Scenario.load("bandwagoners").replace(
        name="landscape", n_states=8, alliances={**LANDSCAPE, "landscape_interval": 2}
    )
    a = run(scenario, replications=6, steps=25, seed=11).dataset
    b = run(scenario, replications=6, steps=25, seed=11, chunk_size=4).dataset
    for var in a.data_vars:
        assert_array_equal(a[var].values, b[var].values, err_msg=var)
    assert a["alliances"].values[:, 1:].min() > 0
