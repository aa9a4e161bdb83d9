"""Validation of a simulation against history: a Result as the inputs of the statistics
(wars, membership, capabilities, alliance spells from blocs), validate_scenario end to end,
the files it writes, and the ``equipoise validate`` command (bad input: exit 2, one line,
nothing written)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from clikit import assert_refused, one_line, snapshot, write_files
from equipoise import Scenario, run
from equipoise.cli import main
from equipoise.cli.validate import validation_table
from equipoise.history import scenario_from_history
from equipoise.validate import (
    STATISTICS,
    Validation,
    bloc_spells,
    historical_statistics,
    replication_statistics,
    simulated_inputs,
    validate_scenario,
)
from equipoise.validate.simulation import _statistics
from equipoise.validate.validation import plan_validation

GREAT_POWERS_1816 = [200, 220, 255, 300, 365]  # UKG FRN GMY(Prussia) AUH RUS

# --- alliance spells from blocs ---------------------------------------------------------------


def test_bloc_spells_by_hand():
    n = -1
    blocs = np.array(
        [
            # replication 0: states 0-3, steps 0-7
            [
                [9, 9, n, n],  # step 0: bloc 9 in force at the start
                [9, 9, 7, 7],  # step 1: bloc 7 formed by states 2 and 3
                [9, n, 7, 7],  # step 2: bloc 9 down to one member: it ends here
                [n, 7, 7, 7],  # step 3: state 1 joins 7 (three members)
                [n, n, 7, n],  # step 4: bloc 7 down to one member: it ends here
                [n, n, 7, 0],  # step 5: bloc 0 has one member: no alliance
                [7, n, 7, 0],  # step 6: code 7 has two members again: a new alliance
                [7, n, 7, n],  # step 7: still in force at the last step: censored
            ],
            # replication 1: nobody ever allied (lone codes do not count)
            [[n, 3, n, n]] * 8,
        ]
    )
    spells = bloc_spells(blocs)
    expected = pd.DataFrame(
        {
            "replication": [0, 0, 0],
            "bloc": [9, 7, 7],
            "start": [0, 1, 6],
            "end": [2.0, 4.0, np.nan],
            "founders": [2, 2, 2],
            "max_members": [2, 3, 2],
            "initial": [True, False, False],
        }
    )
    pd.testing.assert_frame_equal(spells, expected, check_dtype=False)
    assert spells["start"].dtype == np.int64 and spells["end"].dtype == np.float64
    # a 2-d array is one replication
    pd.testing.assert_frame_equal(bloc_spells(blocs[0]), spells)
    assert bloc_spells(blocs[1:]).empty


def test_bloc_spells_errors():
    with pytest.raises(ValueError, match="integer \\(replications x steps x states\\) array"):
        bloc_spells(np.zeros((2, 3, 4), dtype=float))
    with pytest.raises(ValueError, match="Got 1 dimension"):
        bloc_spells(np.zeros(3, dtype=np.int32))


# --- a Result as the inputs of the statistics --------------------------------------------------


@pytest.fixture(scope="module")
def small_run():
    return run(Scenario(n_states=8), replications=4, steps=60, seed=11)


def test_simulated_inputs_map_steps_to_years(small_run):
    ds = small_run.dataset
    inputs = simulated_inputs(small_run, start=1900)
    assert inputs.times.tolist() == list(range(1900, 1960))  # 60 steps: 60 years
    # rows are the states recorded at steps 0 ... 59 (the start of each year)
    np.testing.assert_array_equal(inputs.alive, ds["provinces"].values[:, :60] > 0)
    np.testing.assert_array_equal(inputs.capabilities, ds["share"].values[:, :60])
    wars = small_run.wars
    assert len(inputs.wars) == len(wars) > 0  # every war begins in steps 1 ... 60
    np.testing.assert_array_equal(inputs.wars["start"], 1900 + wars["start"] - 1)
    np.testing.assert_array_equal(inputs.wars["start_step"], wars["start"])
    np.testing.assert_array_equal(inputs.wars["size"], wars["relative_size"])
    np.testing.assert_array_equal(inputs.wars["participants"], wars["participants"])
    assert inputs.wars["start"].between(1900, 1959).all()
    # the spells are bloc_spells of all 61 recorded steps, dated like the wars
    spells = bloc_spells(ds["bloc"].values)
    np.testing.assert_array_equal(inputs.alliances["start_step"], spells["start"])
    np.testing.assert_array_equal(inputs.alliances["start"], 1900 + spells["start"] - 1)
    np.testing.assert_array_equal(inputs.alliances["end"], 1900 + spells["end"] - 1)
    assert not inputs.alliances["initial"].any()  # generated states start without alliances
    assert inputs.dropped_wars == 0


def test_simulated_inputs_of_fewer_years(small_run):
    inputs = simulated_inputs(small_run, start=0, years=30)
    assert inputs.alive.shape == (4, 30, 8)
    assert (inputs.wars["start_step"] <= 30).all()
    assert len(inputs.wars) == int((small_run.wars["start"] <= 30).sum())
    ds = small_run.dataset
    spells = bloc_spells(ds["bloc"].values[:, :31])  # still in force at step 30: censored
    np.testing.assert_array_equal(inputs.alliances["end_step"], spells["end"])


def test_statistics_are_replication_statistics(small_run):
    """validate_scenario measures each replication exactly as replication_statistics does."""
    inputs = simulated_inputs(small_run, start=1816)
    spells = inputs.formed_alliances
    expected = replication_statistics(
        inputs.wars, inputs.alive, inputs.capabilities, spells, times=inputs.times
    )
    seen = []
    ours = _statistics(inputs, "exponential", lambda *a: seen.append(a))
    pd.testing.assert_frame_equal(ours, expected)
    assert seen[-1] == ("measuring", 4, 4)


def test_no_war_gives_zero_war_statistics():
    result = run(Scenario(n_states=6, war={"enabled": False}), 3, 40, seed=2)
    inputs = simulated_inputs(result, start=1816)
    assert inputs.wars.empty
    assert inputs.alive.all()  # no war, no conquest, no death
    table = replication_statistics(
        inputs.wars,
        inputs.alive,
        inputs.capabilities,
        inputs.formed_alliances,
        times=inputs.times,
    )
    assert (table["war_onset_rate"] == 0).all()
    assert (table["state_death_rate"] == 0).all()
    assert table[["war_size_slope", "war_size_alpha", "multiparty_war_share"]].isna().all().all()


def test_no_alliances_gives_no_spells():
    result = run(Scenario(n_states=6, alliances={"enabled": False}), 3, 40, seed=2)
    assert (result.dataset["bloc"].values == -1).all()
    inputs = simulated_inputs(result, start=1816)
    assert inputs.alliances.empty and len(inputs.wars) > 0
    table = replication_statistics(
        inputs.wars,
        inputs.alive,
        inputs.capabilities,
        inputs.formed_alliances,
        times=inputs.times,
    )
    assert (table["alliance_formation_rate"] == 0).all()
    assert table["alliance_mean_duration"].isna().all()


def test_initial_alliances_are_listed_but_not_counted():
    scenario = scenario_from_history(1816)  # the Quadruple Alliance is in force
    result = run(scenario, 2, 10, seed=3)
    inputs = simulated_inputs(result, start=1816)
    initial = inputs.alliances[inputs.alliances["initial"]]
    assert len(initial) == 2  # one per replication
    assert (initial["start"] == 1815).all() and (initial["founders"] == 4).all()
    assert not inputs.formed_alliances["initial"].any()
    assert len(inputs.formed_alliances) == len(inputs.alliances) - 2


def test_simulated_inputs_of_a_range_of_replications():
    part = run(Scenario(n_states=8), range(2, 4), steps=60, seed=11)
    whole = run(Scenario(n_states=8), 4, steps=60, seed=11)
    a, b = simulated_inputs(part, 1816), simulated_inputs(whole, 1816)
    np.testing.assert_array_equal(a.alive, b.alive[2:])
    later = b.wars[b.wars["replication"] >= 2].assign(replication=lambda w: w["replication"] - 2)
    pd.testing.assert_frame_equal(a.wars, later.reset_index(drop=True))


def test_simulated_inputs_errors(small_run):
    bare = run(Scenario(n_states=4), 1, 5, seed=1, record_states=False)
    with pytest.raises(ValueError, match=r"no recorded provinces, share, bloc.*record_states"):
        simulated_inputs(bare)
    with pytest.raises(ValueError, match="The 'years' parameter must be an integer in 1-60"):
        simulated_inputs(small_run, years=61)
    with pytest.raises(ValueError, match=r"The 'years' parameter.*Got 2\.5"):
        simulated_inputs(small_run, years=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="The 'start' parameter must be an integer year"):
        simulated_inputs(small_run, start="1816")  # type: ignore[arg-type]


def test_wars_without_size_are_left_out(small_run):
    ds = small_run.dataset.copy(deep=True)
    ds["war_size"].values[0] = 0.0
    inputs = simulated_inputs(type(small_run)(ds), start=1816)
    assert inputs.dropped_wars == 1
    assert len(inputs.wars) == len(small_run.wars) - 1


# --- validate_scenario ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_validation() -> Validation:
    return validate_scenario(replications=4, end=1850, seed=5)


def test_validation_table_structure(default_validation):
    v = default_validation
    assert list(v.table.columns) == [
        "statistic",
        "description",
        "history",
        "sim_median",
        "sim_low",
        "sim_high",
        "n_replications",
        "inside",
    ]
    assert v.table["statistic"].tolist() == list(STATISTICS)
    assert list(v.replications.columns) == list(STATISTICS) and len(v.replications) == 4
    assert (v.table["n_replications"] <= 4).all()
    assert v.table.attrs["level"] == 0.9
    finite = v.table["sim_low"].notna()
    assert (v.table.loc[finite, "sim_low"] <= v.table.loc[finite, "sim_median"]).all()
    assert (v.table.loc[finite, "sim_median"] <= v.table.loc[finite, "sim_high"]).all()
    assert sorted(v.inside + v.outside + v.undecided) == sorted(STATISTICS)
    s = v.settings
    assert (s["start"], s["end"], s["steps"], s["replications"], s["seed"]) == (
        1816,
        1850,
        35,
        4,
        5,
    )
    assert s["comparison"] == "cohort" and s["population"] == "cohort"
    assert s["cohort"] == GREAT_POWERS_1816
    assert s["cohort_names"] == ["UKG", "FRN", "GMY", "AUH", "RUS"]
    assert v.inputs.alive.shape == (4, 35, 5)
    assert v.provenance["seed"] == 5 and v.provenance["steps"] == 35
    assert any(n.startswith("Cohort comparison: the 5 great powers of 1816") for n in v.notes)
    assert "cohort comparison" in repr(v)


def test_history_is_historical_statistics_of_the_same_cohort(default_validation):
    expected = historical_statistics(1816, 1850, cohort=GREAT_POWERS_1816, population="cohort")
    pd.testing.assert_series_equal(default_validation.history, expected)
    table = default_validation.table.set_index("statistic")
    np.testing.assert_array_equal(table["history"].to_numpy(), expected.to_numpy())


def test_simulated_side_is_a_plain_run(default_validation):
    """The replications are those of equipoise.run with the same settings."""
    scenario = scenario_from_history(1816)
    result = run(scenario, 4, 35, seed=5)
    inputs = simulated_inputs(result, start=1816)
    expected = replication_statistics(
        inputs.wars,
        inputs.alive,
        inputs.capabilities,
        inputs.formed_alliances,
        times=inputs.times,
    )
    pd.testing.assert_frame_equal(default_validation.replications, expected)


def test_any_scenario_is_compared_with_the_whole_system():
    v = validate_scenario(Scenario(n_states=6), replications=2, start=1900, steps=20, seed=1)
    assert v.settings["comparison"] == "system" and v.settings["cohort"] == "all"
    assert (v.settings["start"], v.settings["end"]) == (1900, 1919)
    pd.testing.assert_series_equal(v.history, historical_statistics(1900, 1919))
    assert v.notes[0].startswith("System comparison: scenario 'custom' is not the default")
    assert not any(n.startswith("War onsets") for n in v.notes)  # 1919 is within the war data


def test_progress_reports_both_stages():
    seen: list[tuple[str, int, int]] = []
    validate_scenario(
        Scenario(n_states=4),
        replications=2,
        end=1825,
        seed=1,
        progress=lambda *a: seen.append(a),
    )
    simulating = [s for s in seen if s[0] == "simulating"]
    assert simulating[-1] == ("simulating", 20, 20)
    assert [s for s in seen if s[0] == "measuring"] == [("measuring", 1, 2), ("measuring", 2, 2)]


def test_notes_past_1914_name_the_exits_and_the_entrants():
    v = validate_scenario(replications=2, end=1950, seed=2)
    text = " ".join(v.notes)
    assert "AUH 1918" in text and "FRN 1942" in text and "GMY 1945" in text
    assert "ITA 1860" in text and "USA 1898" in text
    assert "COW war data end" not in text  # 1950 is within the war data


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start": 1700}, "The 'start' parameter must be a year in 1816-2016"),
        ({"start": 2016}, "The 'start' parameter must be a year in 1816-2015"),
        ({"end": 2020}, "The 'end' parameter must be a year in 1816-2016"),
        ({"start": 1900, "end": 1900}, "The 'end' parameter must be after 'start' \\(1900\\)"),
        ({"steps": 300}, "runs from 1816 to 2115, past 2016.*at most 201 steps"),
        ({"steps": 10, "end": 1914}, "disagree: .*1816-1914 is 99 steps"),
        ({"steps": 1}, "The 'steps' parameter must be an integer >= 2"),
        ({"replications": 0}, "The 'replications' parameter must be an integer >= 1"),
        ({"level": 1.5}, "The 'level' parameter must be in \\(0, 1\\)"),
        ({"seed": -1}, "seed must be an integer in \\[0, 2\\*\\*32\\)"),
        ({"duration_method": "mean"}, "The 'duration_method' parameter must be one of"),
        ({"scenario": 3}, "must be a Scenario, a built-in name or a TOML path"),
    ],
)
def test_plan_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plan_validation(**kwargs)


def test_plan_defaults():
    plan = plan_validation()
    assert (plan.start, plan.end, plan.steps, plan.replications) == (1816, 1914, 99, 100)
    assert plan.default and plan.scenario.name == "history-1816-major"
    assert plan.seed == plan.scenario.run.seed
    late = plan_validation(start=1950)  # past 1914 the default end is the last year of data
    assert (late.end, late.steps) == (2016, 67)
    assert plan_validation(steps=99).end == 1914
    assert plan_validation("balancers").default is False


# --- files ------------------------------------------------------------------------------------


def test_to_files_writes_csv_and_json(default_validation, tmp_path: Path):
    out = default_validation.to_files(tmp_path / "v")
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".equipoise-files.json",
        "alliances.csv",
        "comparison.csv",
        "provenance.json",
        "replications.csv",
        "validation.json",
        "wars.csv",
    ]
    table = pd.read_csv(out / "comparison.csv")
    assert table["statistic"].tolist() == list(STATISTICS)
    np.testing.assert_allclose(table["history"], default_validation.table["history"], rtol=1e-14)
    data = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert data["settings"]["comparison"] == "cohort"
    assert [row["statistic"] for row in data["comparison"]] == list(STATISTICS)
    assert data["notes"] == list(default_validation.notes)
    assert data["history"]["values"]["war_onset_rate"] == pytest.approx(
        float(default_validation.history["war_onset_rate"])
    )
    assert data["inside"] == default_validation.inside
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["command"] == "validate" and prov["seed"] == 5
    reps = pd.read_csv(out / "replications.csv", index_col="replication")
    assert list(reps.columns) == list(STATISTICS) and len(reps) == 4
    # an earlier output is replaced; a folder of someone else's files is not touched
    default_validation.to_files(out)
    write_files(tmp_path, {"mine/notes.txt": "keep"})
    before = snapshot(tmp_path)
    with pytest.raises(FileExistsError, match="not an equipoise output"):
        default_validation.to_files(tmp_path / "mine")
    assert snapshot(tmp_path) == before


def test_json_has_no_nan(default_validation, tmp_path: Path):
    out = default_validation.to_files(tmp_path / "v")
    text = (out / "validation.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text)
    alpha = next(r for r in data["comparison"] if r["statistic"] == "war_size_alpha")
    row = default_validation.table.set_index("statistic").loc["war_size_alpha"]
    assert (alpha["sim_median"] is None) == bool(pd.isna(row["sim_median"]))


# --- the command ------------------------------------------------------------------------------


def test_table_fits_80_columns(default_validation):
    console = Console(width=80, record=True, highlight=False)
    console.print(validation_table(default_validation, "equipoise validate: a long title"))
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in text  # nothing truncated
    for name in STATISTICS:
        assert sum(line.split()[0] == name for line in lines if line.split()) == 1


def test_cli_writes_and_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["validate", "-r", "3", "--to", "1840", "-s", "4", "-q"]) == 0
    out = capsys.readouterr().out
    assert "equipoise validate: history-1816-major, 1816-1840, 3 replications" in out
    assert "History inside the simulated interval:" in out
    assert "note: Cohort comparison" in out
    folder = tmp_path / "equipoise-results" / "validate-history-1816-major"
    assert (folder / "comparison.csv").is_file() and (folder / "validation.json").is_file()
    data = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
    assert data["settings"]["end"] == 1840 and data["settings"]["seed"] == 4
    expected = historical_statistics(1816, 1840, cohort=GREAT_POWERS_1816, population="cohort")
    assert data["history"]["values"]["con_mean"] == pytest.approx(expected["con_mean"])
    # a built-in scenario, by steps, to a chosen folder; running again replaces it
    argv = ["validate", "balancers", "-r", "2", "-t", "12", "--from", "1900", "-o", "b", "-q"]
    assert main(argv) == 0
    assert main(argv) == 0
    data = json.loads((tmp_path / "b" / "validation.json").read_text(encoding="utf-8"))
    assert data["settings"]["comparison"] == "system"
    assert (data["settings"]["start"], data["settings"]["end"]) == (1900, 1911)
    assert "note: System comparison" in capsys.readouterr().out


BAD_ARGS = [
    (["validate", "atlantis"], ["unknown scenario 'atlantis'"]),
    (["validate", "missing.toml"], ["scenario file not found: missing.toml"]),
    (["validate", "--from", "1700"], ["--from", "1816-2016", "1700"]),
    (["validate", "--to", "2020"], ["--to", "1816-2016", "2020"]),
    (["validate", "--from", "2016"], ["--from", "1816-2015", "2016"]),
    (["validate", "--from", "1900", "--to", "1850"], ["--to", "must be after --from (1900)"]),
    (["validate", "-t", "300"], ["--steps", "past 2016"]),
    (["validate", "-t", "10", "--to", "1914"], ["disagree"]),
    (["validate", "-r", "0"], ["--replications", "0"]),
    (["validate", "-s", "-1"], ["--seed"]),
    (["validate", "-s", str(2**32)], ["--seed"]),
    (["validate", "--from", "soon"], ["--from", "soon"]),
    (["validate", "balancers", "extra"], ["extra"]),
    (["validate", "--replicas", "3"], ["--replicas"]),
]


@pytest.mark.parametrize(("argv", "needles"), BAD_ARGS)
def test_cli_bad_input(
    argv: list[str],
    needles: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.chdir(tmp_path)
    line = assert_refused(argv, tmp_path, capsys, needles)
    assert line.startswith("error: "), line


def test_console_script_bad_input(tmp_path: Path):
    proc = subprocess.run(
        ["equipoise", "validate", "--to", "1800"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=300,
    )
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        "error: --to must be a year in 1816-2016 (the COW system data). Got 1800 instead."
    )
    assert proc.stdout == "" and list(tmp_path.iterdir()) == []


def test_cli_refuses_a_folder_it_did_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"theirs/data.csv": "a,b\n1,2\n", "scenario.toml": "n_states = "})
    assert_refused(
        ["validate", "-o", "theirs"],
        tmp_path,
        capsys,
        ["theirs holds files but is not an equipoise output"],
    )
    assert_refused(["validate", "scenario.toml"], tmp_path, capsys, ["malformed TOML"])
    assert_refused(
        ["validate", "-o", "scenario.toml"], tmp_path, capsys, ["not a directory: scenario.toml"]
    )
