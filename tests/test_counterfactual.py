"""Counterfactuals (equipoise.calibrate.counterfactual): parsing and applying interventions,
common random numbers (no edit gives paired differences of exactly zero), an intervention
whose effect the mechanism guarantees, runs at posterior draws, and the ``equipoise
counterfactual`` command (bad input: exit 2, one line, nothing written)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clikit import assert_refused
from equipoise import Scenario, run
from equipoise.calibrate import CalibrationSettings, calibrate
from equipoise.calibrate.counterfactual import (
    OUTCOMES,
    apply_intervention,
    counterfactual,
    parse_intervention,
)
from equipoise.cli import main
from equipoise.history import scenario_from_history

YEAR = 1871
SMALL = {"replications": 40, "steps": 30, "seed": 4}


# --- interventions ----------------------------------------------------------------------------


def test_parse_aliases_and_edits():
    edits = parse_intervention(["no-alliances", "GMY.scale=1.5; war.attack_probability=0.1"])
    assert [(e.target, e.value) for e in edits] == [
        ("alliances.enabled", False),
        ("*.leaves", "all"),
        ("GMY.scale", 1.5),
        ("war.attack_probability", 0.1),
    ]
    assert parse_intervention("none") == ()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        ("war.attack_probability", "Cannot read"),
        ("attack=0.1", "Cannot read"),
    ],
)
def test_malformed_interventions(text, needle):
    with pytest.raises(ValueError, match=needle):
        parse_intervention(text)


def test_apply_intervention_edits_states_and_alliances():
    base = scenario_from_history(YEAR)
    names = base.state_names()
    assert {"GMY", "ITA", "AUH"} <= set(names)
    s = apply_intervention(base, "GMY.scale=2; ITA.leaves=all; RUS.strategy=bandwagon")
    i = names.index("GMY")
    assert s.states[i].economy == pytest.approx(2 * base.states[i].economy)
    assert s.states[i].military == pytest.approx(2 * base.states[i].military)
    assert not any("ITA" in pair for pair in s.initial_alliances)
    assert s.states[names.index("RUS")].strategy == "bandwagon"
    everyone = apply_intervention(base, "buck-passing")
    assert {st.strategy for st in everyone.states} == {"buck_pass"}
    assert apply_intervention(base, "none") == base


def test_with_treaties_a_state_that_leaves_drops_its_pacts_in_force():
    base = scenario_from_history(1913, alliances={"treaties": True})
    pacts = {frozenset(row[:2]) for row in base.initial_pacts}
    assert frozenset(("ITA", "GMY")) in pacts and frozenset(("GMY", "AUH")) in pacts
    left = apply_intervention(base, "ITA.leaves=GMY,AUH")
    after = {frozenset(row[:2]) for row in left.initial_pacts}
    # exactly Italy's pacts with Germany and Austria-Hungary go; the others stay
    assert after == pacts - {frozenset(("ITA", "GMY")), frozenset(("ITA", "AUH"))}
    alone = apply_intervention(base, "ITA.leaves=all")
    assert not any("ITA" in row[:2] for row in alone.initial_pacts)
    assert len(alone.initial_pacts) < len(left.initial_pacts) < len(base.initial_pacts)


def test_a_state_that_never_allies_stays_out_of_the_alliance_for_the_whole_run():
    # Italy outside the Triple Alliance from 1913: ``leaves`` drops the alliances in force
    # only, and Italy may share a bloc with Germany or Austria again later; ``never_allies``
    # keeps it out for the whole run
    base = scenario_from_history(1913)
    names = base.state_names()
    ita, gmy, auh = (names.index(x) for x in ("ITA", "GMY", "AUH"))

    def together(text):
        s = apply_intervention(base, text)
        bloc = run(s, 30, 60, seed=3).dataset["bloc"].transpose("replication", "step", ...)
        b = bloc.values
        mine = b[:, :, ita]
        return s, (mine >= 0) & ((mine == b[:, :, gmy]) | (mine == b[:, :, auh]))

    left, again = together("ITA.leaves=GMY,AUH")
    kept, never = together("ITA.never_allies=GMY,AUH")
    assert left.initial_alliances == kept.initial_alliances
    assert not any("ITA" in pair for pair in kept.initial_alliances)
    assert {frozenset(p) for p in kept.alliance_exclusions} == {
        frozenset(("ITA", "GMY")),
        frozenset(("ITA", "AUH")),
    }
    assert again.any()  # the exclusion binds: without it Italy rejoins in some runs
    assert not never.any()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("XYZ.never_allies=GMY", "no state 'XYZ'"),
        ("ITA.never_allies=GMY,XYZ", "no state 'XYZ'"),
        ("XYZ.scale=2", "no state 'XYZ'"),
        ("GMY.scale=-1", "scale must be > 0"),
        ("GMY.strategy=appease", "unknown strategy 'appease'"),
        ("GMY.colour=1", "no 'colour'"),
        ("war.attack_probability=3", "not valid"),
        ("run.seed=1", "neither a parameter table"),
    ],
)
def test_invalid_interventions(text, needle):
    with pytest.raises(ValueError, match=needle):
        apply_intervention(scenario_from_history(YEAR), text)


# --- common random numbers and the mechanism ---------------------------------------------------


def test_no_edit_gives_zero_paired_differences():
    cf = counterfactual(YEAR, "none", **SMALL)
    assert (cf.summary["difference"] == 0).all()
    assert (cf.summary["changed"] == 0).all()
    assert (cf.survival["changed"] == 0).all()
    for k in OUTCOMES:
        np.testing.assert_array_equal(cf.pairs[f"{k}_baseline"], cf.pairs[f"{k}_intervention"])
    # and the baseline really has events, so that zero is not trivially zero
    assert cf.summary.set_index("outcome").loc["war_onsets", "baseline"] > 0


def test_an_edit_to_the_same_value_changes_nothing():
    base = scenario_from_history(YEAR)
    same = f"war.attack_probability={base.war.attack_probability!r}"
    cf = counterfactual(YEAR, same, **SMALL)
    assert (cf.summary["changed"] == 0).all()


def test_no_war_means_no_war_onsets_and_everyone_survives():
    cf = counterfactual(YEAR, "war.enabled=false", **SMALL)
    s = cf.summary.set_index("outcome")
    assert s.loc["war_onsets", "intervention"] == 0
    assert s.loc["largest_war", "intervention"] == 0
    assert s.loc["war_onsets", "baseline"] > 0
    # pair by pair, never more wars, and every state survives without war
    d = cf.pairs["war_onsets_intervention"] - cf.pairs["war_onsets_baseline"]
    assert (d <= 0).all() and (d < 0).any()
    assert s.loc["war_onsets", "high"] < 0  # the interval excludes zero
    assert (cf.survival["intervention"] == 1).all()
    assert (cf.survival["difference"] >= 0).all()


def test_counterfactual_at_posterior_draws(tmp_path):
    out = tmp_path / "cal"
    settings = CalibrationSettings(budget=60, population_size=20, predictive_draws=10)
    calibrate(steps=30, settings=settings, seed=2, out=out)
    cf = counterfactual(YEAR, "none", posterior=out, draws=5, **SMALL)
    assert cf.settings["draws"] == 5
    assert sorted(cf.pairs["draw"].unique().tolist()) == [0, 1, 2, 3, 4]
    assert (cf.summary["changed"] == 0).all()
    assert len(cf.by_draw) == 5
    # the draws' parameters differ, so the baseline outcomes are not those of one scenario
    plain = counterfactual(YEAR, "none", **SMALL)
    assert not cf.pairs["war_onsets_baseline"].equals(plain.pairs["war_onsets_baseline"])


# --- the command line -------------------------------------------------------------------------


def test_cli_counterfactual_writes_its_files(tmp_path, capsys):
    out = tmp_path / "cf"
    argv = ["counterfactual", str(YEAR), "-i", "war.enabled=false", "-r", "20", "-t", "20"]
    assert main([*argv, "-q", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "war_onsets" in printed and "Survival" in printed
    for name in ("summary.csv", "survival.csv", "pairs.parquet", "baseline.toml",
                 "intervention.toml", "counterfactual.json", "provenance.json"):  # fmt: skip
        assert (out / name).is_file(), name
    summary = pd.read_csv(out / "summary.csv").set_index("outcome")
    assert summary.loc["war_onsets", "intervention"] == 0
    record = json.loads((out / "counterfactual.json").read_text())
    assert record["settings"]["intervention"] == "war.enabled=false"
    assert Scenario.load(out / "intervention.toml").war.enabled is False
    # and its report: the paired differences as a table and a figure
    page = tmp_path / "cf.html"
    assert main(["report", str(out), "-o", str(page)]) == 0
    text = page.read_text()
    assert "equipoise counterfactual" in text and "war.enabled=false" in text
    assert "Survival to the end" in text and "data:image/svg+xml" in text


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["1700", "-i", "none"], ["year", "1816-2016"]),
        ([str(YEAR), "-i", "XYZ.scale=2"], ["no state 'XYZ'"]),
        ([str(YEAR), "-i", "nonsense"], ["Cannot read the intervention 'nonsense'"]),
        ([str(YEAR), "-i", "none", "--posterior", "nowhere"], ["not an equipoise calibration"]),
    ],
)
def test_cli_counterfactual_bad_input(tmp_path, monkeypatch, capsys, args, needles):
    monkeypatch.chdir(tmp_path)
    assert_refused(["counterfactual", *args, "-q", "-o", "out"], tmp_path, capsys, needles)


def test_cli_counterfactual_says_what_no_intervention_is(tmp_path, capsys):
    """Issue 25: `-i none` printed an empty "intervention:"."""
    argv = ["counterfactual", str(YEAR), "-i", "none", "-r", "2", "-t", "2", "-q"]
    assert main([*argv, "-o", str(tmp_path / "cf")]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "pairs, intervention: none (the baseline against itself: every difference is 0)" in text


def test_cli_counterfactual_refuses_a_foreign_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    argv = ["counterfactual", str(YEAR), "-i", "none", "-r", "2", "-t", "2", "-q", "-o", "mine"]
    assert_refused(argv, tmp_path, capsys, ["not an equipoise output"])
