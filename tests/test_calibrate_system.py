"""Calibration of the whole system (equipoise.calibrate.whole_system): history's whole-system
statistics as the data, the simulator against ``run`` + validate's measurement, the clipping of
infinite dangerous-dyads coefficients, and ``equipoise calibrate --system`` end to end (a tiny
run of 1816-1830) and refusing a scenario that is not of COW states."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clikit import assert_refused
from equipoise import run
from equipoise.calibrate import DEFAULT_PARAMETERS, Simulator, plan_calibration
from equipoise.calibrate.parameters import check_parameters
from equipoise.calibrate.sampling import SUMMARY_KEY, summaries, summary_names
from equipoise.calibrate.simulator import (
    DEFAULT_STATISTICS,
    NULLABLE,
    capability_names,
    historical_capabilities,
)
from equipoise.calibrate.whole_system import (
    COEFFICIENT_BOUND,
    COEFFICIENTS,
    clip_coefficients,
    great_powers_of,
    system_statistic_names,
    system_weights,
    whole_system_target,
)
from equipoise.cli import main
from equipoise.history import scenario_from_history
from equipoise.validate import simulated_inputs
from equipoise.validate.simulation import _statistics
from equipoise.validate.whole_system import (
    cow_codes_of,
    dangerous_dyads_table,
    great_power_mask,
    system_table,
)

START, END = 1816, 1914
YEARS = END - START + 1


@pytest.fixture(scope="module")
def whole():
    scenario = scenario_from_history(START, states="all", entries=True, until=END)
    target = whole_system_target(scenario, start=START, end=END)
    parameters = check_parameters(DEFAULT_PARAMETERS, scenario)
    return scenario, target, Simulator(scenario, parameters, target, seed=7)


def test_the_target_is_history_of_the_whole_system(whole):
    _, target, _ = whole
    assert target.settings["comparison"] == "whole_system"
    powers = target.settings["powers"]
    assert powers == ["USA", "UKG", "FRN", "GMY", "AUH", "ITA", "RUS", "JPN"]
    names = system_statistic_names(START, END, powers)
    assert names[:3] == ["states_1850", "states_1900", "states_1914"]
    main_stats = [s for s in DEFAULT_STATISTICS if s in target.values]
    assert target.names == [*main_stats, *[n for n in names if n in target.values]]
    assert list(target.statistics) == target.names  # the shares are among the statistics
    assert target.values["states_1850"] == 39
    # the coefficients of Bremer's logit, intercept left out, history's finite in 1816-1914
    assert "dangerous_dyads_intercept" not in target.values
    for name in COEFFICIENTS:
        assert abs(target.values[name]) < COEFFICIENT_BOUND
    assert target.values["dangerous_dyads_contiguous"] == pytest.approx(1.947, abs=1e-3)
    # each partition of the dyad-years and the states by year weigh as one statistic
    w = target.weights
    assert sum(w[n] for n in names if n.startswith("states_")) == pytest.approx(1)
    assert w["dyad_onsets_contiguous"] + w["dyad_onsets_distant"] == 1
    ratio = [n for n in names if n.startswith("dyad_onsets_")][2:]
    assert sum(w[n] for n in ratio) == 1
    assert w["war_onset_rate"] == w["dangerous_dyads_allied"] == w["allied_share"] == 1
    # a decade of the great powers' shares weighs as one statistic
    assert sum(w[n] for n in names if n.endswith("_1906")) == pytest.approx(1)


def test_the_great_powers_shares_are_of_the_whole_system(whole):
    scenario, target, sim = whole
    states = scenario.state_names()
    powers = great_powers_of(states, START, END)
    assert great_powers_of(states, START, 1850) == ["UKG", "FRN", "GMY", "AUH", "RUS"]
    caps = historical_capabilities(
        [int(c) for c in cow_codes_of(states)], START, END, membership="system"
    )
    # every year's shares of the system's members sum to 1, absent states hold 0
    np.testing.assert_allclose(caps.sum(axis=1), 1.0)
    usa = caps[:, states.index("USA")]
    want = usa[1906 - START :].mean()
    assert target.values["share_USA_1906"] == pytest.approx(want)
    # the model's shares at step 0 are history's of 1816 (scenario_from_history's rule)
    values = {p.name: p.low + 0.5 * (p.high - p.low) for p in sim.parameters}
    np.testing.assert_allclose(sim.raw(values, 0)["share"][0], caps[0], atol=1e-6)
    # the shares grow with the United States' rise, and Britain's fall
    assert target.values["share_USA_1906"] > 4 * target.values["share_USA_1816"]
    assert target.values["share_UKG_1906"] < target.values["share_UKG_1816"] / 2
    # capability weight 0: no shares
    none = whole_system_target(scenario, start=START, end=1830, capability_weight=0)
    assert not [n for n in none.names if n.startswith("share_")]
    assert none.settings["capabilities"] is False
    with pytest.raises(ValueError, match="capability weight"):
        whole_system_target(scenario, start=START, end=1830, capability_weight=-1)
    with pytest.raises(ValueError, match="membership"):
        historical_capabilities([2], START, 1830, membership="everyone")
    assert set(capability_names(powers, START, YEARS)) <= set(target.names)
    weights = system_weights(["war_onset_rate", *capability_names(["A", "B"], 1816, 20)], 2)
    assert weights["share_A_1816"] == weights["share_B_1826"] == 1.0


def _check_against_validate(sim: Simulator, replications: range) -> None:
    """The simulator's statistics equal those of ``run`` + validate's tables, one by one."""
    scenario = sim.scenario
    values = {p.name: p.low + 0.5 * (p.high - p.low) for p in sim.parameters}
    for r in replications:
        got = sim.summary(values, r)
        result = run(sim.scenario_for(values), range(r, r + 1), YEARS, 7, record_dyads=True)
        inputs = simulated_inputs(result, start=START, years=YEARS)
        powers = great_power_mask(scenario.state_names(), inputs.times)
        main_table = _statistics(inputs, "exponential", None, powers).iloc[0]
        # one replication: the median of validate's tables is its value
        rows = system_table(inputs, result, scenario.state_names()).set_index("statistic")
        logit = dangerous_dyads_table(result, START, END).set_index("statistic")
        for name, value in got.items():
            if name in main_table.index:
                want = float(main_table[name])
            elif name.startswith("share_"):  # the decade's mean of the recorded shares
                state, first = name[len("share_") :].rsplit("_", 1)
                rows_of = slice(int(first) - START, int(first) - START + 10)
                column = scenario.state_names().index(state)
                want = float(inputs.capabilities[0, rows_of, column].mean())
            elif name in COEFFICIENTS:
                coef = float(logit.loc[COEFFICIENTS[name], "sim_median"])
                want = float(clip_coefficients(np.array([coef]))[0])
            else:
                want = float(rows.loc[name, "sim_median"])
            np.testing.assert_allclose(value, want, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_simulator_statistics_equal_validate_of_run(whole):
    _check_against_validate(whole[2], range(3, 6))


def test_with_treaties_the_pacts_are_the_alliances(whole):
    _, target, _ = whole
    scenario = scenario_from_history(
        START, states="all", entries=True, until=END, alliances={"treaties": True}
    )
    sim = Simulator(scenario, check_parameters(DEFAULT_PARAMETERS, scenario), target, seed=7)
    values = {p.name: p.low + 0.5 * (p.high - p.low) for p in sim.parameters}
    assert len(sim.raw(values, 3)["pacts"]) > 0
    _check_against_validate(sim, range(3, 5))


def test_infinite_coefficients_are_clipped_and_the_summaries_stay_finite(whole):
    _, target, sim = whole
    assert clip_coefficients(np.array([-np.inf, np.inf, np.nan, 3.0])).tolist()[:2] == [
        -COEFFICIENT_BOUND,
        COEFFICIENT_BOUND,
    ]
    assert set(COEFFICIENTS) <= NULLABLE  # not estimable: nan, with an indicator
    values = {p.name: p.low + 0.5 * (p.high - p.low) for p in sim.parameters}
    names = summary_names(target)
    clipped = 0
    for r in range(8):
        stats = sim.statistics(values, r)
        coefs = np.array([stats[target.names.index(n)] for n in COEFFICIENTS])
        finite = coefs[~np.isnan(coefs)]
        assert (np.abs(finite) <= COEFFICIENT_BOUND).all()
        clipped += int((np.abs(finite) == COEFFICIENT_BOUND).sum())
        s = summaries(stats, target)[SUMMARY_KEY]
        # what the distance reads: finite but where a nullable statistic is undefined
        bad = [n for n, v in zip(names, s, strict=True) if not np.isfinite(v)]
        assert all(n in NULLABLE for n in bad)
    assert clipped > 0  # allied dyads that never fight: a separated term at mid-prior


def test_the_whole_systems_default_parameters_are_those_its_treaties_read():
    # with treaties (the whole system's default) no bloc forms: a bloc commitment's
    # lifetime is not read, and a treaty's takes its place among the defaults; the pacts'
    # formation rate is calibrated too
    plan = plan_calibration(system=True, end=1830)
    names = [p.name for p in plan.parameters]
    assert plan.scenario.alliances.treaties
    assert "alliances.pact_duration" in names and "alliances.alliance_duration" not in names
    assert names[-1] == "alliances.pact_formation"
    assert len(names) == len(DEFAULT_PARAMETERS) + 1
    assert [p.name for p in plan_calibration(end=1830).parameters] == [
        p.name for p in DEFAULT_PARAMETERS
    ]


def test_plan_refuses_a_scenario_of_states_that_are_not_cow_states():
    with pytest.raises(ValueError, match="has state 'S0"):
        plan_calibration("balancers", system=True)


def test_cli_calibrate_system_tiny_run_and_refusal(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "c"
    argv = ["calibrate", "--system", "--to", "1830", "--budget", "40", "--population", "20"]
    argv += ["--workers", "1", "-s", "2", "-q", "-o", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "1816-1830" in captured.out and "dangerous_dyads_contiguous" in captured.out
    assert (out / "posterior.parquet").is_file()
    # the great powers' shares are summed up in a line, not listed among the statistics
    predictive = pd.read_csv(out / "predictive.csv")
    shares = predictive[predictive["statistic"].str.startswith("share_")]
    assert len(shares) == 5 * 2  # the five great powers of 1816-1830, two decades
    assert "share_UKG_1816" not in captured.out
    inside = int(shares["inside"].sum())
    assert f"history inside the 90% interval for {inside} of 10" in captured.out
    refused = tmp_path / "refused"
    refused.mkdir()
    monkeypatch.chdir(refused)
    argv = ["calibrate", "balancers", "--system", "-q", "-o", "out"]
    assert_refused(argv, refused, capsys, ["--system", "'S0", "a whole-system scenario"])
