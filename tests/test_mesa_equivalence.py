"""equipoise and its Mesa 3 twin (benchmarks/mesa_reference) give the same answers.

Both implementations run the same scenario with their own random numbers, so
their outcomes are two samples of one distribution. For each outcome, the 95%
intervals must overlap and the two-sample tests must not reject equality at a
Bonferroni-corrected 5% level. A control with a different war propensity must
be rejected, which shows the tests can tell the models apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("mesa")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from equipoise import Scenario
from mesa_reference import (
    BalanceOfPower,
    agreement,
    equipoise_outcomes,
    hegemony,
    mesa_outcomes,
)

N, STEPS, MESA_R, EQ_R = 10, 100, 120, 1000
CASES = ("mixed", "bandwagoners")
TESTS = len(CASES) * 9  # p-values per case: Fisher for hegemony, MWU and KS for 4 outcomes
ALPHA = 0.05 / TESTS


def _scenario(name: str) -> Scenario:
    return Scenario.load(name).replace(n_states=N)


@pytest.fixture(scope="module", params=CASES)
def compared(request):
    scenario = _scenario(request.param)
    eq = equipoise_outcomes(scenario, EQ_R, STEPS, seed=11)
    me = mesa_outcomes(scenario, MESA_R, STEPS, seed=12)
    return request.param, agreement(eq, me)


def test_outcome_distributions_agree(compared) -> None:
    name, table = compared
    assert table["overlap"].all(), f"{name}: intervals do not overlap\n{table}"
    assert (table["p"] > ALPHA).all(), f"{name}: a test rejects equality\n{table}"
    ks = table["p_ks"].dropna()
    assert (ks > ALPHA).all(), f"{name}: a KS test rejects equality\n{table}"


def test_the_comparison_can_tell_a_different_model_apart() -> None:
    base = _scenario("mixed")
    eq = equipoise_outcomes(base, EQ_R, STEPS, seed=11)
    warlike = base.replace(war={"war_propensity": 0.15})
    me = mesa_outcomes(warlike, MESA_R, STEPS, seed=12)
    table = agreement(eq, me)
    assert (table[["p", "p_ks"]].min(axis=1) < ALPHA).sum() >= 2, table


def test_hegemony_onset_matches_equipoise() -> None:
    from equipoise.metrics import hegemony_spells

    leader = [0, 1, 1, 1, 2, 2, 2, 2, 2]
    share = [0.6, 0.6, 0.7, 0.4, 0.5, 0.5, 0.9, 0.5, 0.2]
    for duration in (1, 2, 3, 4, 6):
        expected = int(hegemony_spells([leader], [share], 0.5, duration)["onset"][0])
        assert hegemony(leader, share, 0.5, duration) == expected


def test_the_mesa_model_is_a_mesa_model() -> None:
    model = BalanceOfPower(_scenario("mixed"), seed=3)
    assert len(model.agents) == N
    for _ in range(5):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 6  # the initial state and five steps
    assert frame["survivors"].iloc[0] == N
    assert frame["leader_share"].between(0, 1).all()
