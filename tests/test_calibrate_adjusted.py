"""The "adjusted" calibration method (equipoise.calibrate.reference): a reference table
from the priors, learned summaries and regression adjustment. The table is the same on any
number of workers and resumed or not; bad budgets are refused; a known parameter is
recovered; the command line runs it. Every run here is small (hundreds of simulations of
30-60 steps)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clikit import assert_refused
from equipoise import Scenario
from equipoise._errors import InputError
from equipoise.calibrate import (
    CalibrationSettings,
    Parameter,
    calibrate,
    load_calibration,
    plan_calibration,
    reference,
    scenario_from_posterior,
    synthetic_target,
)
from equipoise.cli import main

STEPS = 30
#: 23 statistics at 30 steps: a pilot of 60 runs, 24 of the other 240 kept.
ADJUSTED = {"steps": STEPS, "budget": 300, "method": "adjusted", "seed": 4}
SETTINGS = CalibrationSettings(budget=300, method="adjusted", accept=0.1, predictive_draws=20)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("adj") / "c"
    return out, calibrate(steps=STEPS, seed=4, out=out, settings=SETTINGS, workers=1)


def test_an_adjusted_calibration_writes_its_directory(finished):
    out, result = finished
    names = {p.name for p in out.iterdir()}
    assert {"posterior.parquet", "calibrated.toml", "predictive.csv", "generations.csv"} <= names
    assert "calibration.db" not in names  # no pyabc database: the table is in samples/
    assert sorted(p.name for p in (out / "samples").iterdir()) == [
        "reference-000000000-000000250.npy",
        "reference-000000250-000000300.npy",
    ]
    post = result.posterior
    assert len(post) == 24 and post["weight"].sum() == pytest.approx(1.0)
    for p in result.parameters:
        assert post[p.name].between(p.low, p.high).all(), p.name
    gens = result.generations
    assert len(gens) == 1 and int(gens["simulations"].iloc[0]) == 300
    assert gens["acceptance_rate"].iloc[0] == pytest.approx(24 / 240)
    loaded = load_calibration(out)
    pd.testing.assert_frame_equal(loaded.posterior, post)
    assert loaded.settings["method"] == "adjusted" and loaded.settings["accept"] == 0.1
    assert "regression adjustment" in scenario_from_posterior(out).description


def test_the_table_is_the_same_on_any_workers(finished, monkeypatch):
    _, one = finished
    monkeypatch.setattr(reference, "CHUNK", 70)  # other jobs, on two processes
    two = calibrate(steps=STEPS, seed=4, settings=SETTINGS, workers=2)
    pd.testing.assert_frame_equal(two.posterior, one.posterior, check_exact=True)


def test_an_interrupted_adjusted_calibration_resumes(tmp_path, finished, monkeypatch):
    _, uninterrupted = finished
    monkeypatch.setattr(reference, "CHUNK", 100)
    out = tmp_path / "c"
    args = {"steps": STEPS, "seed": 4, "out": out, "settings": SETTINGS}

    def stop(report):
        if report.stage == "simulating" and report.simulations >= 200:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        calibrate(**args, progress=stop)
    assert len(list((out / "samples").glob("reference-*.npy"))) == 2
    seen = []
    result = calibrate(**args, progress=seen.append)
    assert seen[0].simulations == 200  # the two saved jobs are not simulated again
    pd.testing.assert_frame_equal(result.posterior, uninterrupted.posterior, check_exact=True)
    # a larger budget extends the table: only its new runs are simulated
    seen.clear()
    larger = calibrate(**{**args, "settings": SETTINGS.replace(budget=350)}, progress=seen.append)
    assert seen[0].simulations == 300
    assert len(larger.posterior) == round(0.1 * (350 - 70))
    files = sorted(p.name for p in (out / "samples").glob("reference-*.npy"))
    assert files[-1] == "reference-000000300-000000350.npy" and len(files) == 4


def test_a_smaller_budget_reuses_the_table_and_deletes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(reference, "CHUNK", 100)
    out = tmp_path / "c"
    args = {"steps": STEPS, "seed": 4, "out": out}
    calibrate(**args, settings=SETTINGS.replace(budget=350))  # jobs 0-100 ... 300-350
    (out / "samples" / "reference-mine.npy").write_bytes(b"not equipoise's")
    before = sorted(p.name for p in (out / "samples").iterdir())
    seen = []
    smaller = calibrate(**args, settings=SETTINGS.replace(budget=330), progress=seen.append)
    # runs 300-330 are the first rows of the saved job 300-350: nothing is simulated again
    assert seen[0].simulations == 330
    assert sorted(p.name for p in (out / "samples").iterdir()) == before
    fresh = calibrate(steps=STEPS, seed=4, settings=SETTINGS.replace(budget=330))
    pd.testing.assert_frame_equal(smaller.posterior, fresh.posterior, check_exact=True)
    # a job only partly covered by a saved one (300-330 of a budget of 400: job 300-400)
    # is simulated again whole
    seen.clear()
    calibrate(**args, settings=SETTINGS.replace(budget=400), progress=seen.append)
    assert seen[0].simulations == 300


def test_bad_settings_and_budgets_are_refused():
    with pytest.raises(ValueError, match="'method' setting must be one of smc, adjusted"):
        CalibrationSettings(method="mcmc")
    with pytest.raises(ValueError, match="'accept' setting must be a number in"):
        CalibrationSettings(accept=1.5)
    # 23 statistics need a pilot of 48 runs; 8 parameters, 11 runs kept
    with pytest.raises(ValueError, match="too small for the adjusted method") as info:
        plan_calibration(steps=STEPS, settings=CalibrationSettings(budget=200, method="adjusted"))
    assert "\n" not in str(info.value) and "a pilot of 40 runs, 5 kept" in str(info.value)
    # the budget the message names is the smallest that passes
    need = int(str(info.value).rsplit(" ", 1)[1].rstrip("."))
    adjusted = CalibrationSettings(budget=need, method="adjusted")
    assert plan_calibration(steps=STEPS, settings=adjusted).settings.budget == need
    with pytest.raises(ValueError, match=f"at least {need}"):
        plan_calibration(steps=STEPS, settings=adjusted.replace(budget=need - 1))
    with pytest.raises(ValueError, match="a pilot of 60 runs, 10 kept"):
        plan_calibration(
            steps=STEPS, settings=CalibrationSettings(budget=300, method="adjusted", accept=0.04)
        )


def test_settings_of_the_other_method_are_refused_on_the_command_line(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    base = ["calibrate", "--steps", str(STEPS), "--budget", "500", "-q", "-o", "out"]
    assert_refused(
        [*base, "--method", "adjusted", "--population", "50"], tmp_path, capsys,
        ["--population", "--method smc only"],
    )  # fmt: skip
    smc = [*base, "--population", "20", "--accept", "0.1"]
    assert_refused(smc, tmp_path, capsys, ["--accept", "adjusted only"])
    assert_refused(
        [*base, "--method", "adjusted", "--budget", "200"], tmp_path, capsys,
        ["--budget (200) is too small for the adjusted method", "at least"],
    )  # fmt: skip


def test_the_report_names_the_method(finished):
    from equipoise.report.sections import calibration_sections

    out, _ = finished
    sections = calibration_sections(out)
    assert sections[-1].title == "ABC on learned summaries, adjusted"
    assert "nearest 10% of the reference table" in sections[0].blocks[0].caption


def test_another_method_in_the_directory_is_refused(finished):
    out, _ = finished
    with pytest.raises(InputError, match="different calibration"):
        calibrate(steps=STEPS, seed=4, out=out, budget=300, population_size=50)


def test_recovery_of_a_known_parameter_by_the_adjusted_method():
    # as tests/test_calibrate.py's recovery by ABC-SMC: a system of 20 generated states,
    # the attack probability recovered from war onsets, state deaths and concentration
    attack = Parameter("war.attack_probability", 0.01, 0.2)
    scenario = Scenario.load("null").replace(n_states=20)
    truth = 0.03
    target = synthetic_target(
        scenario, [attack], {attack.name: truth}, start=1816, end=1875, cohort=False,
        statistics=("war_onset_rate", "state_death_rate", "con_mean"), replication=7, seed=11,
    )  # fmt: skip
    settings = CalibrationSettings(budget=600, method="adjusted", accept=0.1, predictive_draws=5)
    result = calibrate(scenario, parameters=[attack], target=target, settings=settings, seed=3)
    row = result.interval(0.9).iloc[0]
    assert row["low"] <= truth <= row["high"]
    assert row["high"] - row["low"] < 0.5 * (attack.high - attack.low)


def test_cli_calibrate_adjusted(tmp_path, capsys):
    out = tmp_path / "c"
    args = ["calibrate", "--steps", str(STEPS), "--budget", "300", "--method", "adjusted"]
    args += ["--accept", "0.1", "--workers", "1", "-s", "4", "-o", str(out), "-q"]
    assert main(args) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "300 simulations from the priors, 24 particles kept and adjusted" in text
    assert "Effective sample of the posterior" in text
    record = json.loads((out / "calibration.json").read_text())
    assert record["identity"]["method"] == "adjusted"
    assert record["settings"]["accept"] == 0.1
    post = pd.read_parquet(out / "posterior.parquet")
    assert np.isfinite(post.drop(columns="draw").to_numpy()).all()


def test_tolerance_rank_flags_data_unlike_any_simulation():
    rng = np.random.default_rng(8)
    table = rng.standard_normal((4_000, 3))
    pilot = rng.standard_normal((400, 3))
    spread = np.ones(3)

    def tolerance(observed):
        distance = np.sqrt(((table - observed) ** 2).sum(axis=1))
        return np.sort(distance)[39]

    # data drawn as the simulations are: their tolerance ranks anywhere among the pilot's
    typical = [
        reference.tolerance_rank(table, pilot, tolerance(x), spread, 40)
        for x in rng.standard_normal((20, 3))
    ]
    assert 0.3 < np.mean(typical) < 0.7
    # data far outside the cloud: every simulated history is nearer its neighbours
    assert reference.tolerance_rank(table, pilot, tolerance(np.full(3, 6.0)), spread, 40) == 0.0


def test_options_override_a_parameters_file_even_at_their_defaults(tmp_path, capsys):
    path = tmp_path / "p.toml"
    path.write_text(
        '[parameters]\n"war.attack_probability" = [0.01, 0.2]\n'
        '[abc]\nmethod = "adjusted"\nbudget = 500\naccept = 0.1\n'
    )
    plan = plan_calibration(steps=STEPS, parameters=path)
    assert (plan.settings.method, plan.settings.budget) == ("adjusted", 500)
    # --budget 20000 and --method smc are the defaults: the file's choices still give way
    plan = plan_calibration(
        steps=STEPS, parameters=path, overrides={"budget": 20_000, "method": "smc"}
    )
    assert (plan.settings.method, plan.settings.budget) == ("smc", 20_000)
    out = tmp_path / "c"
    args = ["calibrate", "--steps", str(STEPS), "--params", str(path), "--method", "smc"]
    args += ["--budget", "60", "--population", "20", "--workers", "1", "-s", "1", "-q"]
    assert main([*args, "-o", str(out)]) == 0
    assert (out / "calibration.db").is_file()  # ABC-SMC's database: the option won
    capsys.readouterr()
