"""Rivals to balancing: catch-up, trends, sanctions as levels that end, and a start at rest.

Each test asserts what a rule guarantees on a hand-built world or a run set up so that only
that rule acts (docs/model.md gives the formulas).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equipoise import Scenario, run
from equipoise.history.scenario_builder import scenario_from_history
from equipoise.rules import growth, soft
from equipoise.state import CLK_STEP
from worldkit import make_world, scenario_for

STILL = {"growth_volatility": 0.0, "growth_dispersion": 0.0}


def _two_states(**tables: object) -> dict[str, object]:
    """Two states side by side on a 4 x 2 lattice, each with four provinces."""
    return {
        "width": 4,
        "height": 2,
        "owner": [0, 0, 1, 1, 0, 0, 1, 1],
        "capitals": [0, 3],
        "military": [1.0, 1.0],
        "scenario": scenario_for(2, **tables),
    }


def _step(w, t: int) -> None:
    w.clock[CLK_STEP] = t


@pytest.mark.parametrize("beta", [0.01, 0.02, 0.05])
def test_catch_up_closes_a_productivity_gap_at_the_documented_rate(beta):
    """With two states, each step shrinks the log productivity gap by the factor (1 - beta)."""
    world = _two_states(growth={"convergence_rate": beta, **STILL})
    w, p, _ = make_world(**world, productivity=[2.0, 0.5], trend=[0.0, 0.0])
    gap0 = math.log(4.0)
    for t in range(1, 31):
        _step(w, t)
        growth.grow(w, p)
        gap = math.log(w.productivity[0] * w.level[0]) - math.log(w.productivity[1] * w.level[1])
        assert gap == pytest.approx(gap0 * (1.0 - beta) ** t, rel=1e-9)
    # the mean growth rate is unchanged: catch-up moves growth between states
    assert math.log(w.level[0]) + math.log(w.level[1]) == pytest.approx(2 * 30 * p.growth_rate)


def test_without_catch_up_a_gap_stays():
    world = _two_states(growth={"convergence_rate": 0.0, **STILL})
    w, p, _ = make_world(**world, productivity=[2.0, 0.5], trend=[0.0, 0.0])
    for t in range(1, 11):
        _step(w, t)
        growth.grow(w, p)
    assert w.level[0] == pytest.approx(w.level[1], rel=1e-12)


def test_a_given_trend_is_grown_at_and_a_drawn_one_has_the_dispersion():
    world = _two_states(growth={"convergence_rate": 0.0, **STILL})
    w, p, _ = make_world(**world, trend=[0.01, -0.01])
    _step(w, 1)
    growth.grow(w, p)
    assert math.log(w.level[0] / w.level[1]) == pytest.approx(0.02, rel=1e-12)
    # drawn trends: 400 states, normal with sd growth_dispersion
    s = Scenario(n_states=400, growth={"growth_dispersion": 0.005})
    n = 400
    w, p, _ = make_world(20, 20, list(range(n)), list(range(n)), [1.0] * n, scenario=s)
    trends = np.asarray(w.trend)
    assert abs(trends.mean()) < 4 * 0.005 / math.sqrt(n)
    assert 0.8 * 0.005 < trends.std() < 1.2 * 0.005


def test_sanctions_cost_a_bounded_level_that_is_recovered_when_they_end():
    """The target loses at most max_cost of its output while sanctioned, none once they end."""
    world = _two_states(
        growth={"convergence_rate": 0.0, **STILL},
        soft_balancing={"max_cost": 0.04, "evasion_rate": 0.0},
    )
    w, p, _ = make_world(**world, trend=[0.0, 0.0])
    w.sanctioning[1] = 0  # state 1 sanctions state 0
    for t in range(1, 6):
        _step(w, t)
        soft.losses(w, p)
        assert 0.0 < w.sanction_loss[0] <= p.max_cost * (1 + 1e-12)
        assert w.sanction_loss[1] <= p.sender_cost * p.max_cost * (1 + 1e-12)
        growth.grow(w, p)
        assert w.economy[0] == pytest.approx(w.level[0] * w.held[0] * (1 - w.sanction_loss[0]))
    # the growth index grew at the mean rate all along: the loss did not compound
    assert w.level[0] == pytest.approx(math.exp(5 * p.growth_rate), rel=1e-12)
    w.sanctioning[1] = -1
    _step(w, 6)
    soft.losses(w, p)
    growth.grow(w, p)
    assert w.sanction_loss[0] == 0.0 and w.sanctioned_for[0] == 0
    assert w.economy[0] == pytest.approx(w.economy[1], rel=1e-12)  # fully recovered


def test_a_targets_losses_fade_as_it_evades():
    world = _two_states(soft_balancing={"max_cost": 0.04, "evasion_rate": 0.2})
    w, p, _ = make_world(**world)
    w.sanctioning[1] = 0
    first = None
    for t in range(1, 6):
        _step(w, t)
        soft.losses(w, p)
        first = first or w.sanction_loss[0]
        # same outputs each step (no growth called): the loss is the first times the fade
        assert w.sanction_loss[0] == pytest.approx(first * math.exp(-0.2 * (t - 1)), rel=1e-12)


@pytest.mark.parametrize("fatigue", [0.0, 6.0])
def test_an_episode_ends_and_a_tired_sender_rests(fatigue):
    """A sender's episode ends when its lifetime runs out; with fatigue it then waits."""
    world = _two_states(
        soft_balancing={"episode_length": 3.0, "fatigue": fatigue, "soft_balancing_threshold": 0.0}
    )
    w, p, _ = make_world(**world, strategies=["balance_power", "balance_power"])
    w.threat[1], w.threat_level[1] = 0, 1.0
    w.threat[0], w.threat_level[0] = -1, 0.0
    active = []
    for t in range(1, 200):
        _step(w, t)
        soft.decide(w, p)
        active.append(w.sanctioning[1] == 0)
    runs = "".join("1" if a else "0" for a in active)
    assert "10" in runs, "an episode ended"
    gaps = [len(g) for g in runs.strip("0").split("1") if g]
    if fatigue == 0.0:
        # an ended episode restarts at the next decision: one idle step at most
        assert max(gaps) == 1
    else:
        assert np.mean(gaps) > 3.0, "a tired sender rests several steps on average"


def test_a_history_at_rest_stays_at_rest_without_growth_differences():
    """From 1816, nobody acting, war off and no growth differences: the shares do not move."""
    s = scenario_from_history(
        1816,
        strategy="none",
        war={"enabled": False},
        growth={"convergence_rate": 0.0, **STILL},
    )
    result = run(s, replications=2, steps=60, seed=3)
    share = result.dataset["share"].values
    assert np.abs(share - share[:, :1]).max() < 1e-9


def test_a_generated_world_at_rest_stays_at_rest():
    s = Scenario.load("null").replace(
        n_states=12,
        war={"enabled": False},
        growth={"convergence_rate": 0.0, **STILL},
        initial={"output_inequality": 0.5},
    )
    share = run(s, replications=2, steps=40, seed=4).dataset["share"].values
    assert np.abs(share - share[:, :1]).max() < 1e-9


def test_replayed_economies_follow_the_path():
    """A replayed path fixes each state's output: its log changes by g + the path's entry."""
    path = np.array([[0.01, 0.03, -0.02], [-0.01, 0.0, 0.02]])
    world = _two_states(growth={"convergence_rate": 0.02, "growth_dispersion": 0.01})
    w, p, _ = make_world(**world, productivity=[3.0, 0.5], growth_path=path)
    for t in range(1, 4):
        before = [w.level[0], w.level[1]]
        _step(w, t)
        growth.grow(w, p)
        for i in range(2):
            assert math.log(w.level[i] / before[i]) == pytest.approx(
                p.growth_rate + path[i, t - 1], rel=1e-12
            )


def test_history_replay_builds_paths_from_the_record():
    s = scenario_from_history(1816, replay_economies=True, replay_until=1914)
    assert {len(st.growth_path) for st in s.states} == {98}
    uk = next(st for st in s.states if st.name == "UKG")
    assert uk.productivity > 1.0  # Britain's industrial lead of 1816
    with pytest.raises(ValueError, match="replay_until"):
        scenario_from_history(1816, replay_economies=True, replay_until=1816)


def test_relabelling_the_states_leaves_the_outcomes_unchanged():
    """States move in a drawn order: listing them differently changes no distribution.

    With attacks likely and no superiority needed, who moves first decides who starts
    the wars; under index order the first-listed state started far more of them.
    """
    from scipy import stats

    s = scenario_from_history(1816, war={"attack_probability": 0.5, "superiority_threshold": 1.0})
    perm = [4, 2, 0, 3, 1]
    relabelled = s.replace(states=[s.states[k] for k in perm])
    outcomes = []
    for scenario in (s, relabelled):
        result = run(scenario, replications=300, steps=30, seed=8)
        names = list(result.dataset["state"].values)
        wars = result.wars
        first = wars.sort_values(["replication", "start", "war"]).groupby("replication").first()
        starters = pd.Series([names[int(i)] for i in first["initiator"]]).value_counts()
        share = result.dataset["share"].values[:, -1, :]
        outcomes.append((starters, {n: share[:, names.index(n)] for n in names}))
    (a_start, a_share), (b_start, b_share) = outcomes
    table = np.array([[a_start.get(n, 0), b_start.get(n, 0)] for n in s.state_names()])
    table = table[table.sum(axis=1) > 0]
    assert stats.chi2_contingency(table)[1] > 0.01, table
    for name in s.state_names():
        assert stats.ks_2samp(a_share[name], b_share[name]).pvalue > 0.01, name
