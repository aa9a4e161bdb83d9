"""Tests of equipoise.strategies: codes, threat lens, balancing and buck-passing."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from equipoise.engine import initial_state
from equipoise.scenario import STRATEGIES, Scenario
from equipoise.strategies import (
    BALANCE_POWER,
    BALANCE_THREAT,
    BANDWAGON,
    BUCK_PASS,
    balancing,
    is_balancer,
    passing_the_buck,
    strategy_codes,
    uses_threat_lens,
)

ALL = np.array([BALANCE_POWER, BALANCE_THREAT, BANDWAGON, BUCK_PASS], dtype=np.int8)


def make_state(strategies, replications=1):
    specs = [
        {"name": f"S{i}", "economy": 1.0, "military": 1.0, "x": float(i), "y": 0.0, "strategy": s}
        for i, s in enumerate(strategies)
    ]
    scenario = Scenario(states=specs)
    return initial_state(scenario, [np.random.default_rng(i) for i in range(replications)])


# ------------------------------------------------------------------ codes


def test_codes_follow_strategies_order():
    assert [BALANCE_POWER, BALANCE_THREAT, BANDWAGON, BUCK_PASS] == list(range(len(STRATEGIES)))
    codes = strategy_codes(list(STRATEGIES))
    assert codes.dtype == np.int8
    assert_array_equal(codes, [0, 1, 2, 3])


def test_codes_of_repeated_names():
    assert_array_equal(
        strategy_codes(["buck_pass", "balance_power", "buck_pass"]), [BUCK_PASS, 0, BUCK_PASS]
    )


def test_codes_empty():
    assert strategy_codes([]).shape == (0,)


@pytest.mark.parametrize("bad", ["appease", "Balance_power", ""])
def test_unknown_strategy_raises(bad):
    with pytest.raises(ValueError, match=f"unknown strategy {bad!r}: choose from balance_power"):
        strategy_codes(["balance_power", bad])


# ------------------------------------------------------------------ lens


@pytest.mark.parametrize(
    ("perception", "expected"),
    [("power", [False, True, False, False]), ("threat", [False, True, True, True])],
)
def test_uses_threat_lens(perception, expected):
    assert_array_equal(uses_threat_lens(ALL, perception), expected)


def test_is_balancer():
    assert_array_equal(is_balancer(ALL), [True, True, False, False])


# ------------------------------------------------------- buck-passing


def _with_threats(state, top):
    return dataclasses.replace(state, top_threat=np.array([top], dtype=np.int64))


def test_buck_passer_passes_when_balancers_cover_the_threat():
    # S1 balances S0 with a share equal to S0's: S2 (buck-passer, threat S0) free-rides
    state = _with_threats(make_state(["balance_power", "balance_power", "buck_pass"]), [1, 0, 0])
    share = np.array([[0.4, 0.4, 0.2]])
    assert_array_equal(passing_the_buck(state, share), [[False, False, True]])
    assert_array_equal(balancing(state, share), [[True, True, False]])


def test_buck_passer_balances_when_threat_is_not_covered():
    state = _with_threats(make_state(["balance_power", "balance_power", "buck_pass"]), [1, 0, 0])
    share = np.array([[0.5, 0.3, 0.2]])
    assert_array_equal(passing_the_buck(state, share), [[False, False, False]])
    assert_array_equal(balancing(state, share), [[True, True, True]])


def test_balancers_against_the_threat_are_summed():
    # S1 and S2 both balance S0: 0.25 + 0.25 >= 0.45 covers it; S3 passes
    strategies = ["balance_power", "balance_threat", "balance_power", "buck_pass"]
    state = _with_threats(make_state(strategies), [1, 0, 0, 0])
    share = np.array([[0.45, 0.25, 0.25, 0.05]])
    assert_array_equal(passing_the_buck(state, share), [[False, False, False, True]])
    # only S1 balances S0 (S2 targets S1): not covered
    state = _with_threats(make_state(strategies), [1, 0, 1, 0])
    assert_array_equal(passing_the_buck(state, share), [[False, False, False, False]])


def test_other_buck_passers_and_bandwagoners_do_not_cover():
    strategies = ["balance_power", "buck_pass", "buck_pass", "bandwagon"]
    state = _with_threats(make_state(strategies), [1, 0, 0, 0])
    share = np.array([[0.25, 0.25, 0.25, 0.25]])
    assert not passing_the_buck(state, share).any()
    # neither passes, so both buck-passers balance; the bandwagoner never does
    assert_array_equal(balancing(state, share), [[True, True, True, False]])


def test_dead_balancers_do_not_cover_and_dead_states_do_not_balance():
    state = _with_threats(make_state(["balance_power", "balance_power", "buck_pass"]), [1, 0, 0])
    state = dataclasses.replace(state, alive=np.array([[True, False, True]]))
    share = np.array([[0.6, 0.0, 0.4]])
    assert_array_equal(passing_the_buck(state, share), [[False, False, False]])
    assert_array_equal(balancing(state, share), [[True, False, True]])


def test_buck_passer_without_threat_does_not_pass():
    state = _with_threats(make_state(["balance_power", "buck_pass"]), [1, -1])
    share = np.array([[0.5, 0.5]])
    assert_array_equal(passing_the_buck(state, share), [[False, False]])
    assert_array_equal(balancing(state, share), [[True, True]])


def test_buck_passing_is_per_replication():
    state = make_state(["balance_power", "balance_power", "buck_pass"], replications=2)
    state = dataclasses.replace(state, top_threat=np.array([[1, 0, 0], [1, 0, 0]]))
    share = np.array([[0.4, 0.4, 0.2], [0.5, 0.3, 0.2]])
    assert_array_equal(passing_the_buck(state, share)[:, 2], [True, False])
    assert_array_equal(balancing(state, share)[:, 2], [False, True])


def test_functions_do_not_mutate_state():
    state = _with_threats(make_state(["balance_power", "balance_power", "buck_pass"]), [1, 0, 0])
    before = {f.name: np.copy(getattr(state, f.name)) for f in dataclasses.fields(state)}
    share = np.array([[0.4, 0.4, 0.2]])
    passing_the_buck(state, share)
    balancing(state, share)
    for name, value in before.items():
        assert_array_equal(getattr(state, name), value, err_msg=name)
