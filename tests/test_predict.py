"""Out of sample and beyond the parameters (issue 27): ``equipoise.calibrate.predict`` and
``equipoise predict`` (another window measured as the calibration measured its own, from the
posterior or the priors), simulation-based calibration of the whole system, in parts and of
a derived quantity, counterfactuals of the whole system, and the remembered map of given
states. Every calibration here is tiny."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clikit import assert_refused
from equipoise import Scenario, maps, run
from equipoise.calibrate import (
    Calibration,
    CalibrationSettings,
    Parameter,
    Simulator,
    calibrate,
    plan_calibration,
)
from equipoise.calibrate.counterfactual import counterfactual
from equipoise.calibrate.predict import predict
from equipoise.calibrate.sbc import simulation_based_calibration
from equipoise.calibrate.whole_system import synthetic_system_target, whole_system_target
from equipoise.cli import main
from equipoise.history import scenario_from_history
from equipoise.inputs import build_map
from equipoise.validate import STATISTICS

ATTACK = Parameter("war.attack_probability", 0.01, 0.2)
SYNTH_STATS = ("war_onset_rate", "state_death_rate", "con_mean")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A tiny calibration of the five great powers of 1816 (1816-1845)."""
    out = tmp_path_factory.mktemp("cal") / "c"
    settings = CalibrationSettings(budget=60, population_size=20, predictive_draws=4)
    calibrate(steps=30, seed=3, out=out, workers=1, settings=settings)
    return out


def test_a_prediction_measures_its_window_as_the_calibration_measured_its_own(cohort):
    cal = Calibration.load(cohort)
    p = predict(cohort, start=1850, end=1870, draws=5)
    main_stats = [s for s in cal.target.statistics if s in STATISTICS]
    plan = plan_calibration(
        None, start=1850, end=1870, parameters=cal.parameters, statistics=main_stats
    )
    assert list(p.table["statistic"]) == plan.target.names
    np.testing.assert_array_equal(p.table["history"], plan.target.series().to_numpy())
    assert (p.table["n_replications"] <= 5).all() and len(p.replications) == 5
    # replication k is the Simulator's replication k at draw k, on the scenario of 1850
    sim = Simulator(plan.scenario, cal.parameters, plan.target, int(cal.settings["seed"]))
    for k in (0, 4):
        row = p.replications.iloc[k]
        values = {n: float(row[n]) for n in cal.names}  # in the calibration's units:
        values["power.reach"] *= p.settings["reach_factor"]  # the reach in 1816's provinces
        expected = sim.statistics(values, k)
        np.testing.assert_array_equal(row[plan.target.names].to_numpy(float), expected)
    inside, verdicts = p.inside
    assert verdicts == int(p.table["inside"].notna().sum()) and 0 <= inside <= verdicts
    again = predict(cohort, start=1850, end=1870, draws=5)
    pd.testing.assert_frame_equal(p.table, again.table)
    assert p.settings["fitted_end"] == 1845 and p.settings["from"] == "posterior"


def test_a_prediction_keeps_the_calibrations_capability_shares_or_their_absence(cohort, tmp_path):
    shared = predict(cohort, start=1850, end=1870, draws=2).table["statistic"]
    assert "share_UKG_1850" in set(shared)
    out = tmp_path / "no-shares"
    settings = CalibrationSettings(budget=40, population_size=20, predictive_draws=2)
    calibrate(steps=30, seed=3, out=out, workers=1, settings=settings, capability_weight=0)
    assert Calibration.load(out).target.settings["capabilities"] is False
    alone = predict(out, start=1850, end=1870, draws=2).table["statistic"]
    assert not [s for s in alone if s.startswith("share_")]
    assert set(alone) == {s for s in shared if not s.startswith("share_")}


def test_a_prediction_from_the_priors_draws_inside_them(cohort):
    cal = Calibration.load(cohort)
    posterior = predict(cohort, start=1850, end=1870, draws=5)
    prior = predict(cohort, start=1850, end=1870, draws=5, prior=True)
    assert prior.settings["from"] == "prior"
    for p in cal.parameters:
        assert prior.replications[p.name].between(p.low, p.high).all()
    assert not np.array_equal(
        prior.replications[cal.names].to_numpy(), posterior.replications[cal.names].to_numpy()
    )


def test_cli_predict_writes_its_files_and_refuses_bad_input(cohort, tmp_path, capsys,
                                                            monkeypatch):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "p"
    argv = ["predict", str(cohort), "--from", "1850", "--to", "1870", "--draws", "3", "-q"]
    assert main([*argv, "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1850-1870 from the posterior of 1816-1845" in printed
    assert {"predictive.csv", "replications.csv", "prediction.json"} <= {
        f.name for f in out.iterdir()
    }
    record = json.loads((out / "prediction.json").read_text(encoding="utf-8"))
    assert record["settings"]["draws"] == 3 and len(record["table"]) > 0
    bad = [
        (["predict", str(cohort), "--from", "1850", "--to", "1840"], ["--to", "1840"]),
        (["predict", str(tmp_path / "none"), "--from", "1850", "--to", "1870"], ["calibration"]),
        (["predict", str(cohort), "--from", "1850", "--to", "2030"], ["--to", "2030"]),
    ]
    # the calibration it reads is never the output: nothing runs, the calibration stays whole
    before = sorted(f.name for f in cohort.iterdir())
    assert main([*argv, "-o", str(cohort)]) == 2
    assert "holds a calibration" in capsys.readouterr().err
    assert sorted(f.name for f in cohort.iterdir()) == before
    Calibration.load(cohort)
    for args, needles in bad:
        folder = tmp_path / f"refused-{len(needles)}-{args[-1]}"
        folder.mkdir()
        monkeypatch.chdir(folder)
        assert_refused([*args, "-q", "-o", "out"], folder, capsys, needles)


def test_only_a_calibration_of_historys_own_scenario_predicts_another_window(cohort):
    assert Calibration.load(cohort).of_history
    mine = calibrate(
        Scenario.load("null").replace(n_states=10), steps=12, parameters=[ATTACK],
        budget=40, population_size=20, seed=1, workers=1,
    )  # fmt: skip
    assert not mine.of_history
    with pytest.raises(ValueError, match="history's own scenario"):
        predict(mine, start=1850, end=1870, draws=2)
    p = predict(cohort, start=1830, end=1870, draws=2)  # shares 1830-1845 with the fit
    assert p.settings["overlap"] == 16


# --- simulation-based calibration: the whole system, in parts, a derived quantity -------------


def test_sbc_in_parts_equals_one_run_and_checks_a_derived_quantity():
    scenario = Scenario.load("null").replace(n_states=20)
    calls: list[int] = []

    def effect(values, index):
        calls.append(index)
        return {"attack": float(values[ATTACK.name])}

    common = dict(
        start=1816, end=1845, cohort=False, statistics=SYNTH_STATS, population_size=20,
        budget=80, seed=5,
    )  # fmt: skip
    whole = simulation_based_calibration(
        scenario, [ATTACK], datasets=2, effect=effect, effect_draws=6, **common
    )
    # every call of the check has its own index: the truth's and the draws' noise independent
    assert calls == list(range(14))
    calls.clear()
    second = simulation_based_calibration(
        scenario, [ATTACK], datasets=1, first=1, effect=effect, effect_draws=6, **common
    )
    columns = ["dataset", "parameter", "truth", "median", "low", "high", "rank", "covered"]
    # dataset 1 alone: the truth (index 7), then each posterior draw (8, 9, ...), as in one run
    assert calls == list(range(7, 14))
    pd.testing.assert_frame_equal(
        whole[whole["dataset"] == 1].reset_index(drop=True)[columns],
        second.reset_index(drop=True)[columns],
    )
    row = second[second["parameter"] == "effect:attack"].iloc[0]
    truth = float(whole[whole["dataset"] == 1]["truth"].iloc[0])
    assert row["truth"] == truth and 0 <= row["rank"] <= 1
    assert row["low"] <= row["median"] <= row["high"]
    with pytest.raises(ValueError, match="'first'"):
        simulation_based_calibration(scenario, [ATTACK], datasets=1, first=-1, **common)
    with pytest.raises(ValueError, match="'effect_draws'"):
        simulation_based_calibration(
            scenario, [ATTACK], datasets=1, effect=effect, effect_draws=0, **common
        )


def test_a_synthetic_whole_system_history_has_the_form_of_historys():
    start, end = 1816, 1826
    scenario = scenario_from_history(start, states="all", entries=True, until=end)
    template = whole_system_target(scenario, start=start, end=end)
    values = {ATTACK.name: 0.05}
    target = synthetic_system_target(scenario, [ATTACK], values, template, replication=2, seed=9)
    assert target.names == template.names and target.weights == template.weights
    assert target.settings["source"] == "synthetic" and target.settings["truth"] == values
    sim = Simulator(scenario, [ATTACK], template, 9)
    np.testing.assert_array_equal(
        np.array([target.values[n] for n in target.names]), sim.statistics(values, 2)
    )
    with pytest.raises(ValueError, match="whole-system"):
        cohort_scenario = scenario_from_history(start)
        synthetic_system_target(
            cohort_scenario, [ATTACK], values, _cohort_target(cohort_scenario), seed=9
        )
    table = simulation_based_calibration(
        scenario, [ATTACK], datasets=1, start=start, end=end, system=True,
        population_size=10, budget=30, seed=4,
    )  # fmt: skip
    assert table.attrs["system"] and len(table) == 1
    assert ATTACK.low <= table["truth"].iloc[0] <= ATTACK.high


def _cohort_target(scenario):
    return plan_calibration(scenario, start=1816, end=1826).target


# --- counterfactuals of the whole system, and the map remembered -----------------------------


def test_a_whole_system_counterfactual_runs_every_state():
    cf = counterfactual(1900, "none", system=True, replications=2, steps=3, seed=2)
    states = scenario_from_history(1900, states="all", entries=True).state_names()
    assert list(cf.survival["state"]) == states
    summary = cf.summary.set_index("outcome")
    assert (summary["difference"] == 0).all()
    assert 0 < summary.loc["leader_peak_share", "baseline"] < 1
    assert cf.settings["system"] is True


def test_the_map_of_given_states_is_remembered_and_depends_only_on_what_makes_it():
    scenario = scenario_from_history(1870)
    graph = build_map(scenario)
    specs = scenario.states
    fresh = maps.map_for_states(
        np.array([s.x for s in specs]), np.array([s.y for s in specs]),
        np.array([s.economy for s in specs]), np.array([s.military for s in specs]),
        scenario.power.economic_weight, scenario.map.provinces_per_state,
    )  # fmt: skip
    for name in ("owner", "capitals", "indptr", "indices", "xy"):
        np.testing.assert_array_equal(getattr(graph, name), getattr(fresh, name))
    other_war = scenario.replace(war={"attack_probability": 0.11})
    assert build_map(other_war) is graph
    finer = scenario.replace(map={"provinces_per_state": 20.0})
    assert build_map(finer).n_provinces != graph.n_provinces
    weight = scenario.power.economic_weight
    other_weight = scenario.replace(power={"economic_weight": 1.0 if weight < 1 else 0.5})
    assert not np.array_equal(build_map(other_weight).owner, graph.owner)
    a = run(scenario, 2, 5, 1).dataset
    b = run(other_war.replace(war={"attack_probability": scenario.war.attack_probability}), 2, 5, 1)
    np.testing.assert_array_equal(a["share"].values, b.dataset["share"].values)
