"""Hedging on hand-built worlds: no side in a great-power war, a balancer otherwise.

A hedger (``hedge``, :mod:`equipoise.rules.hedging`; Kuik 2008; Tessman 2012) joins no
bloc and answers no call to arms while the leading state (the largest capability share) is
at war, and balances power at every other time. The worked example of
docs/tutorials/extending.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from equipoise import Scenario, run
from equipoise.rules import alliances, hedging, internal, soft, threat, war
from worldkit import make_world, scenario_for

#: Four states in a row (0-1-2-3), state 0 the strongest: the leading state.
LINE4 = dict(width=4, height=1, owner=[0, 1, 2, 3], capitals=[0, 1, 2, 3])
STRONG = dict(military=[10.0, 1.0, 1.0, 1.0], output=[10.0, 1.0, 1.0, 1.0])
#: A bloc of alliances in force at the start (codes 2N + 2 and up; N = 4).
INITIAL_BLOC = 10


def _world(strategies, **kw):
    s = scenario_for(4, alliances={"alliance_threshold": 0.3, "alliance_reliability": 1.0})
    return make_world(
        LINE4["width"],
        LINE4["height"],
        LINE4["owner"],
        LINE4["capitals"],
        STRONG["military"],
        output=STRONG["output"],
        strategies=strategies,
        scenario=s,
        **kw,
    )


def _align(w, p):
    threat.capability_shares(w, p)
    threat.perceive(w, p)
    alliances.align(w, p)
    return np.asarray(w.bloc).tolist()


def test_the_leading_state_is_the_largest_share_and_its_war_a_great_power_war():
    w, p, _ = _world(["balance_power"] + ["hedge"] * 3)
    assert hedging.leading_state(w, p) == 0
    assert not hedging.great_power_war(w, p)
    war.enter(w, p, 2, 3)  # a war between two small states is not a great-power war
    assert not hedging.great_power_war(w, p)
    war.enter(w, p, 0, 1)
    assert hedging.great_power_war(w, p)
    assert hedging.stays_out(w, p, 3) and not hedging.stays_out(w, p, 0)


@pytest.mark.parametrize("strategy", ["balance_power", "hedge"])
def test_without_a_great_power_war_a_hedger_balances_as_a_balancer_does(strategy):
    # state 0 holds most of the capabilities: the others join the coalition against it (bloc 0)
    w, p, _ = _world(["balance_power"] + [strategy] * 3)
    assert _align(w, p) == [-1, 0, 0, 0]


@pytest.mark.parametrize(
    ("strategy", "blocs"),
    [("balance_power", [-1, 0, 0, 0]), ("hedge", [-1, -1, -1, -1])],
)
def test_while_the_leading_state_is_at_war_a_hedger_joins_no_bloc(strategy, blocs):
    w, p, _ = _world(["balance_power"] + [strategy] * 3)
    war.enter(w, p, 0, 1)  # the leading state attacks state 1
    assert _align(w, p) == blocs


@pytest.mark.parametrize("strategy", ["balance_power", "hedge"])
def test_a_hedger_refuses_the_call_of_an_ally_attacked_by_the_leading_state(strategy):
    # 1, 2 and 3 are in the coalition against 0; 0 attacks 1; its allies are called
    w, p, _ = _world(["balance_power"] + [strategy] * 3, bloc=[-1, 0, 0, 0])
    war.enter(w, p, 0, 1)
    joined = [bool(w.hostile[k, 0]) for k in (2, 3)]
    assert joined == ([True, True] if strategy == "balance_power" else [False, False])


@pytest.mark.parametrize("leader_at_war", [False, True])
def test_a_hedger_answers_calls_unless_the_leading_state_is_at_war(leader_at_war):
    # 2 and 3 (hedgers) are allied; 1 attacks 2, so 3 is called to defend it
    w, p, _ = _world(
        ["balance_power"] * 2 + ["hedge"] * 2, bloc=[-1, -1, INITIAL_BLOC, INITIAL_BLOC]
    )
    if leader_at_war:
        war.enter(w, p, 0, 1)
    war.enter(w, p, 1, 2)
    assert bool(w.hostile[3, 1]) is not leader_at_war


def test_a_hedger_arms_and_sanctions_as_a_balancer_does_even_in_a_great_power_war():
    kw = dict(bloc=[-1, -1, -1, -1])
    balancers, p, _ = _world(["balance_power"] * 4, **kw)
    hedgers, _, _ = _world(["balance_power"] + ["hedge"] * 3, **kw)
    for w in (balancers, hedgers):
        war.enter(w, p, 0, 1)
        threat.perceive(w, p)
        soft.decide(w, p)
        internal.arm(w, p)
    assert np.asarray(hedgers.threat).tolist() == np.asarray(balancers.threat).tolist()
    assert np.asarray(hedgers.arming).tolist() == np.asarray(balancers.arming).tolist()
    assert np.asarray(hedgers.sanctioning).tolist() == np.asarray(balancers.sanctioning).tolist()
    assert np.asarray(hedgers.sanctioning).tolist()[2:] == [0, 0]  # 2 and 3 sanction state 0


def test_in_a_world_without_war_hedgers_are_balancers_to_the_bit():
    # no war, so never a great-power war: the same seed gives the same runs
    base = Scenario(n_states=10, name="peace", war={"enabled": False})
    balancers = run(base, 4, 60, seed=3)
    hedgers = run(base.replace(strategies={"balance_power": 0.0, "hedge": 1.0}), 4, 60, seed=3)
    for name in balancers.dataset.data_vars:
        assert np.array_equal(
            balancers.dataset[name].values, hedgers.dataset[name].values, equal_nan=True
        ), name
