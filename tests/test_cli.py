"""The command line: end-to-end runs of the console script and every bad-input path.

Project rule under test: bad input gives exactly one line on stderr naming the
problem, exit code 2, and writes nothing (no output files, no temporary files).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clikit import assert_refused, one_line, snapshot, write_files
from equipoise.cli import _fisher_lines, main
from equipoise.engine import MODEL_VERSION
from equipoise.history import scenario_from_history
from equipoise.results import Result
from equipoise.rng import CONTRACT_VERSION
from equipoise.scenario import Scenario, builtin_scenarios, builtin_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTINS = (
    "balancers",
    "bandwagoners",
    "buck-passers",
    "mixed",
    "no-alliances",
    "null",
    "soft-only",
    "threat-balancers",
)
RESULT_FILES = {
    ".equipoise-files.json",
    "provenance.json",
    "scenario.toml",
    "system.parquet",
    "states.parquet",
    "replications.parquet",
    "wars.parquet",
}
# Wide, fixed terminal width so Rich does not wrap the lines we look for.
ENV = {**os.environ, "COLUMNS": "200"}


def _equipoise(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["equipoise", *args], cwd=cwd, capture_output=True, text=True, env=ENV, timeout=120
    )


# ===================================================================== end to end
def test_console_script_run(tmp_path: Path) -> None:
    proc = _equipoise("run", "balancers", "-r", "3", "-t", "10", "-q", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # -q: no progress bar
    for needle in (
        "balancers",
        "hegemony rate",
        "95% interval",
        "survivors",
        "concentration",
        "wars begun per step",
        "state deaths per state-step",
    ):
        assert needle in proc.stdout
    assert "seed 20260101," in proc.stdout
    assert f"(model {MODEL_VERSION}, random numbers {CONTRACT_VERSION})" in proc.stdout
    assert "3 replications x 10 steps" in proc.stdout
    assert "Results written to out" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == RESULT_FILES
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["scenario_name"] == "balancers"
    assert prov["replications"] == 3
    assert prov["steps"] == 10
    assert prov["seed"] == 20260101
    assert prov["rng_contract"] == CONTRACT_VERSION
    assert prov["scenario_hash"] == Scenario.load("balancers").content_hash()
    saved = Scenario.from_toml((out / "scenario.toml").read_text(encoding="utf-8"))
    assert saved == Scenario.load("balancers")
    result = Result.from_parquet(out)
    assert result.dataset.sizes["replication"] == 3
    assert result.dataset.sizes["step"] == 11
    assert result.dataset.sizes["state"] == 50


DEFAULT_COMPARE = ["null", "balancers", "bandwagoners"]


def test_console_script_compare(tmp_path: Path) -> None:
    proc = _equipoise("compare", "-r", "5", "-t", "20", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    stdout = proc.stdout
    for needle in (
        "null",
        "balancers",
        "bandwagoners",
        "hegemony rate",
        "95% interval",
        "time to hegemony",
        "survivors",
        "concentration",
        "state deaths per state-step",
    ):
        assert needle in stdout, needle
    # Fisher's exact test of each scenario against null, Holm-adjusted over the two, each
    # with the rates it detects with 80% power (issue 25)
    for name in ("balancers", "bandwagoners"):
        assert f"Hegemony rate {name} vs null: Fisher exact test p = " in stdout
    assert stdout.count("(Holm-adjusted over 2 tests: ") == 2
    assert stdout.count("  power: with 5 replications each, a rate of at least ") == 2
    # Provenance: one hash line per scenario, then the versions.
    for name in DEFAULT_COMPARE:
        digest = Scenario.load(name).content_hash()[:16]
        assert f"{name}: scenario sha256 {digest}" in stdout
    assert stdout.count("seed 20260101,") == 3
    assert f"numpy {np.__version__}" in stdout
    assert f"Python {platform.python_version()}" in stdout
    assert "equipoise-results/compare" in stdout

    assert sorted(p.name for p in tmp_path.iterdir()) == ["equipoise-results"]
    assert sorted(p.name for p in (tmp_path / "equipoise-results").iterdir()) == ["compare"]
    out = tmp_path / "equipoise-results" / "compare"
    assert {p.name for p in out.iterdir()} == {
        ".equipoise-files.json",
        "summary.csv",
        "tests.csv",
        "provenance.json",
        *DEFAULT_COMPARE,
    }
    tests = pd.read_csv(out / "tests.csv", keep_default_na=False)
    assert list(tests["scenario"]) == ["balancers", "bandwagoners"]
    assert {"p_value", "p_holm", "detectable_rate", "replications_needed"} <= set(tests)
    # keep_default_na=False: pandas would read the name "null" as a missing value
    summary = pd.read_csv(out / "summary.csv", index_col="scenario", keep_default_na=False)
    assert list(summary.index) == DEFAULT_COMPARE
    assert (summary["replications"] == 5).all()
    assert (summary["steps"] == 20).all()
    assert summary["hegemony_rate"].between(0, 1).all()
    assert (summary["hegemony_ci_low"] <= summary["hegemony_ci_high"]).all()
    assert (summary["deaths_per_state_step"] >= 0).all()
    for name in DEFAULT_COMPARE:
        assert {p.name for p in (out / name).iterdir()} == RESULT_FILES
        result = Result.from_parquet(out / name)
        assert result.provenance["scenario_name"] == name
        assert result.provenance["replications"] == 5
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert [p["scenario_name"] for p in prov] == DEFAULT_COMPARE


def test_compare_five_scenarios_at_80_columns(tmp_path: Path) -> None:
    """Issue 16: at 80 columns names were cut ("bandwagon…", "replicati…"): every name and figure
    must stay whole, the table split into parts if it does not fit."""
    proc = subprocess.run(
        ["equipoise", "compare", *BUILTINS, "-r", "5", "-t", "10", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line[:1] in "┏┃┡│└"]
    assert lines and max(len(line) for line in lines) <= 80
    assert not [line for line in lines if "…" in line], "a cell was cut"
    table = "\n".join(lines)
    for name in BUILTINS:
        assert f" {name} " in table, name
    for label in ("replications", "survivors", "concentration", "wars begun per step"):
        assert label in table, label
    summary = pd.read_csv(tmp_path / "equipoise-results" / "compare" / "summary.csv")
    intervals = [
        f"{lo:.3f} – {hi:.3f}" for lo, hi in summary[["hegemony_ci_low", "hegemony_ci_high"]].values
    ]
    for interval in set(intervals):
        assert table.count(interval) >= intervals.count(interval), interval
    for column, digits in (("survivors", 2), ("mean_concentration", 3), ("wars_per_step", 3)):
        for value in summary[column]:
            assert f" {value:.{digits}f} " in table, (column, value)


def test_console_script_bad_input(tmp_path: Path) -> None:
    proc = _equipoise("run", "nosuch", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nosuch" in one_line(proc.stderr)
    assert proc.stdout == ""
    assert list(tmp_path.iterdir()) == []


# ================================================================ bad input (in process)
TABLE_HEAD = 'name = "custom"\nn_states = 3\n'


def _states_toml(*names: str, strategy: str = "balance_power", n_states: int | None = None) -> str:
    head = 'name = "custom"\n' + (f"n_states = {n_states}\n" if n_states else "")
    blocks = [
        f'[[states]]\nname = "{n}"\neconomy = 1.0\nmilitary = 0.5\nx = {i}.0\ny = 0.0\n'
        f'strategy = "{strategy}"\n'
        for i, n in enumerate(names)
    ]
    return head + "\n" + "\n".join(blocks)


DIR = None  # a value of None in a case's files makes a directory

# (id, files to create, argv, substrings the one-line message must contain)
BAD_CASES: list[tuple[str, dict[str, str | bytes | None], list[str], list[str]]] = [
    (
        "malformed-toml",
        {"bad.toml": 'name = "x"\nn_states = \n'},
        ["run", "bad.toml"],
        ["bad.toml", "malformed TOML"],
    ),
    (
        "unknown-top-level-key",
        {"scen.toml": TABLE_HEAD + "bogus = 1\n"},
        ["run", "scen.toml"],
        ["scen.toml", "bogus"],
    ),
    (
        "unknown-nested-key",
        {"scen.toml": TABLE_HEAD + "[war]\nbogus = 1\n"},
        ["run", "scen.toml"],
        ["scen.toml", "war.bogus"],
    ),
    (
        "unknown-table",
        {"scen.toml": TABLE_HEAD + "[bogus]\nlevel = 1\n"},
        ["run", "scen.toml"],
        ["scen.toml", "bogus"],
    ),
    (
        "unknown-key-with-newline",
        {"scen.toml": TABLE_HEAD + '"bo\\ngus" = 1\n'},
        ["run", "scen.toml"],
        ["scen.toml", "bo"],
    ),
    (
        "wrong-type-string-for-float",
        {"scen.toml": TABLE_HEAD + '[war]\ndecisiveness = "high"\n'},
        ["run", "scen.toml"],
        ["scen.toml", "war.decisiveness"],
    ),
    (
        "wrong-type-numeric-string-for-float",
        {"scen.toml": TABLE_HEAD + '[war]\ndecisiveness = "2.5"\n'},
        ["run", "scen.toml", "-r", "1", "-t", "1", "-q"],
        ["scen.toml", "war.decisiveness"],
    ),
    (
        "negative-value",
        {"scen.toml": TABLE_HEAD + "[growth]\ndepreciation = -0.1\n"},
        ["run", "scen.toml"],
        ["scen.toml", "growth.depreciation"],
    ),
    (
        "out-of-range",
        {"scen.toml": TABLE_HEAD + "[alliances]\nalliance_reliability = 1.5\n"},
        ["run", "scen.toml"],
        ["scen.toml", "alliances.alliance_reliability"],
    ),
    (
        "shares-not-summing",
        {"scen.toml": TABLE_HEAD + "[strategies]\nbalance_power = 0.5\nbandwagon = 0.4\n"},
        ["run", "scen.toml"],
        ["scen.toml", "strategies", "sum to 1"],
    ),
    (
        "unknown-strategy",
        {"scen.toml": _states_toml("A", "B", strategy="appease")},
        ["run", "scen.toml"],
        ["scen.toml", "strategy", "appease"],
    ),
    (
        "n_states-1",
        {"scen.toml": 'name = "x"\nn_states = 1\n'},
        ["run", "scen.toml"],
        ["scen.toml", "n_states"],
    ),
    (
        "n_states-disagrees-with-states",
        {"scen.toml": _states_toml("A", "B", n_states=3)},
        ["run", "scen.toml"],
        ["scen.toml", "n_states"],
    ),
    (
        "duplicate-state-names",
        {"scen.toml": _states_toml("Athens", "Sparta", "Athens")},
        ["run", "scen.toml"],
        ["scen.toml", "duplicate", "Athens"],
    ),
    ("missing-file", {}, ["run", "foo.toml"], ["foo.toml"]),
    ("missing-file-in-folder", {}, ["run", "sub/foo.toml"], ["sub/foo.toml"]),
    ("unknown-builtin", {}, ["run", "nosuch"], ["nosuch", "balancers"]),
    ("directory-as-scenario", {"scen_dir": DIR}, ["run", "scen_dir"], ["scen_dir"]),
    ("toml-directory-as-scenario", {"dir.toml": DIR}, ["run", "dir.toml"], ["dir.toml"]),
    (
        "non-utf8-file",
        {"latin1.toml": 'name = "café"\nn_states = 3\n'.encode("latin-1")},
        ["run", "latin1.toml"],
        ["latin1.toml"],
    ),
    ("replications-0", {}, ["run", "balancers", "--replications", "0"], ["--replications"]),
    ("replications-negative", {}, ["run", "balancers", "-r", "-3"], ["--replications"]),
    ("replications-abc", {}, ["run", "balancers", "-r", "abc"], ["--replications", "abc"]),
    ("steps-0", {}, ["run", "balancers", "--steps", "0"], ["--steps"]),
    ("seed-negative", {}, ["run", "balancers", "--seed", "-1"], ["--seed"]),
    ("seed-too-large", {}, ["run", "balancers", "--seed", "4294967296"], ["--seed", "4294967295"]),
    ("compare-seed-too-large", {}, ["compare", "-s", "4294967296"], ["--seed", "4294967295"]),
    # the command line takes what a scenario file's [run] table takes: 1..1,000,000
    (
        "replications-above-the-file-limit",
        {},
        ["run", "balancers", "-r", "2000000", "-t", "5"],
        ["--replications", "2000000", "1<=x<=1000000"],
    ),
    (
        "replications-huge",
        {},
        ["run", "balancers", "-r", "1000000000000"],
        ["--replications", "1000000000000", "1<=x<=1000000"],
    ),
    (
        "steps-huge",
        {},
        ["run", "balancers", "-t", "1000000000000"],
        ["--steps", "1000000000000", "1<=x<=1000000"],
    ),
    (
        "compare-steps-above-the-file-limit",
        {},
        ["compare", "-t", "1000001"],
        ["--steps", "1<=x<=1000000"],
    ),
    (
        "run-needs-more-memory-than-any-machine",
        {},
        ["run", "balancers", "-r", "1000000", "-t", "1000000", "-q"],
        ["1,000,000 replications x 1,000,000 steps of 50 states", "PiB of memory", "fewer"],
    ),
    (
        "compare-needs-more-memory-than-any-machine",
        {},
        ["compare", "-r", "1000000", "-t", "1000000", "-q"],
        ["these 3 scenarios need about", "of memory", "range(a, b)"],
    ),
    (
        "file-defaults-need-more-memory-than-any-machine",
        {"big.toml": 'name = "big"\nn_states = 2000\n[run]\nreplications = 1000000\n'},
        ["run", "big.toml", "-q"],
        ["1,000,000 replications x 200 steps of 2000 states", "of memory"],
    ),
    ("compare-replications-0", {}, ["compare", "-r", "0"], ["--replications"]),
    ("compare-steps-abc", {}, ["compare", "-t", "abc"], ["--steps"]),
    ("unknown-option", {}, ["run", "balancers", "--bogus"], ["--bogus"]),
    ("missing-scenario-argument", {}, ["run"], ["SCENARIO"]),
    (
        "compare-same-scenario-twice",
        {},
        ["compare", "balancers", "balancers"],
        ["balancers", "twice"],
    ),
    (
        "compare-file-named-like-builtin",
        {"copy.toml": builtin_text("balancers")},
        ["compare", "balancers", "copy.toml"],
        ["balancers", "copy.toml"],
    ),
    (
        "compare-with-one-bad-file",
        {"bad.toml": TABLE_HEAD + "[war]\nbogus = 1\n"},
        ["compare", "balancers", "bad.toml", "-r", "1", "-t", "1", "-q"],
        ["bad.toml", "war.bogus"],
    ),
    (
        "run-out-non-empty-foreign-dir",
        {"keep/notes.txt": "precious data\n", "keep/sub/more.csv": "a,b\n1,2\n"},
        ["run", "balancers", "-r", "1", "-t", "1", "-q", "--out", "keep"],
        ["keep", "not an equipoise output", "-o DIR"],
    ),
    (
        "run-out-non-empty-foreign-dir-even-with-force",
        {"keep/notes.txt": "precious data\n"},
        ["run", "balancers", "-r", "1", "-t", "1", "-q", "--out", "keep", "--force"],
        ["keep", "not an equipoise output", "-o DIR"],
    ),
    (
        "compare-out-non-empty-foreign-dir",
        {"keep/notes.txt": "precious data\n"},
        ["compare", "-r", "1", "-t", "1", "-q", "--out", "keep"],
        ["keep"],
    ),
    (
        "default-out-non-empty-foreign-dir",
        {"equipoise-results/balancers/notes.txt": "precious data\n"},
        ["run", "balancers", "-r", "1", "-t", "1", "-q"],
        ["equipoise-results/balancers"],
    ),
    (
        "run-out-is-a-file",
        {"notes.txt": "precious data\n"},
        ["run", "balancers", "-r", "1", "-t", "1", "-q", "--out", "notes.txt"],
        ["notes.txt"],
    ),
    (
        "run-out-below-a-file",
        {"notes.txt": "precious data\n"},
        ["run", "balancers", "-r", "1", "-t", "1", "-q", "--out", "notes.txt/a/b"],
        ["notes.txt"],
    ),
    (
        "scenario-name-with-path-separator",
        {"scen.toml": 'name = "../escape"\nn_states = 3\n'},
        ["run", "scen.toml", "-r", "1", "-t", "1", "-q"],
        ["name"],
    ),
    ("show-unknown-name", {}, ["scenario", "show", "nosuch"], ["nosuch"]),
    (
        "show-invalid-file",
        {"scen.toml": TABLE_HEAD + "[war]\nbogus = 1\n"},
        ["scenario", "show", "scen.toml"],
        ["scen.toml", "war.bogus"],
    ),
    (
        "show-out-existing-file",
        {"existing.toml": "# mine, keep me\n"},
        ["scenario", "show", "balancers", "--out", "existing.toml"],
        ["existing.toml"],
    ),
    (
        "show-full-out-existing-file",
        {"existing.toml": "# mine, keep me\n"},
        ["scenario", "show", "balancers", "--full", "--out", "existing.toml"],
        ["existing.toml"],
    ),
]


@pytest.mark.parametrize(
    ("files", "argv", "needles"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_bad_input(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes | None],
    argv: list[str],
    needles: list[str],
) -> None:
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert_refused(argv, tmp_path, capsys, needles)


# ================================================================ success paths
def test_scenario_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "list"]) == 0
    captured = capsys.readouterr()
    assert builtin_scenarios() == list(BUILTINS)
    for name in BUILTINS:
        assert name in captured.out
    assert captured.err == ""


def test_scenario_show_builtin_prints_its_toml(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "show", "balancers"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == builtin_text("balancers")
    assert Scenario.from_toml(captured.out) == Scenario.load("balancers")


@pytest.mark.parametrize("name", BUILTINS)
def test_scenario_show_full_round_trips(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "show", name, "--full"]) == 0
    out = capsys.readouterr().out
    for table in ("[run]", "[growth]", "[threat]", "[internal]", "[alliances]", "[war]"):
        assert table in out
    assert "decisiveness" in out
    assert Scenario.from_toml(out) == Scenario.load(name)


def test_scenario_show_file_prints_every_parameter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.toml").write_text(
        'name = "mine"\nn_states = 4\n[war]\ndecisiveness = 3.0\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["scenario", "show", "mine.toml"]) == 0
    out = capsys.readouterr().out
    assert "[hegemony]" in out
    assert Scenario.from_toml(out) == Scenario.load("mine.toml")


def test_scenario_show_out_writes_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["scenario", "show", "mixed", "--out", "sub/mixed.toml", "--parents"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert set(snapshot(tmp_path)) == {"sub/", "sub/mixed.toml"}
    text = (tmp_path / "sub" / "mixed.toml").read_text(encoding="utf-8")
    assert text == builtin_text("mixed")
    assert Scenario.load(tmp_path / "sub" / "mixed.toml") == Scenario.load("mixed")


def test_earlier_results_are_not_replaced_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16: `scenario show balancers --full -o my.toml` keeps the name "balancers", so
    `run my.toml` wrote into equipoise-results/balancers/, replaced an earlier run and deleted
    the notes the user had put there."""
    monkeypatch.chdir(tmp_path)
    assert main(["run", "balancers", "-r", "2", "-t", "3", "-q"]) == 0
    out = tmp_path / "equipoise-results" / "balancers"
    (out / "my-notes.txt").write_text("run 1: 2 replications, looked fine\n", encoding="utf-8")
    assert main(["scenario", "show", "balancers", "--full", "-o", "my.toml"]) == 0
    capsys.readouterr()

    line = assert_refused(
        ["run", "my.toml", "-r", "3", "-t", "4", "-q"],
        tmp_path,
        capsys,
        ["equipoise-results/balancers", "already holds results", "--force", "-o DIR"],
    )
    assert line.startswith("error: ")
    argv = ["compare", "my.toml", "bandwagoners", "-o", "equipoise-results/balancers"]
    assert_refused([*argv, "-r", "1", "-t", "1", "-q"], tmp_path, capsys, ["--force"])


def test_force_replaces_only_what_equipoise_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "balancers", "-r", "2", "-t", "3", "-q"]) == 0
    out = tmp_path / "equipoise-results" / "balancers"
    notes = "run 1: 2 replications, looked fine\n"
    (out / "my-notes.txt").write_text(notes, encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "fig1.svg").write_text("<svg/>", encoding="utf-8")
    assert main(["scenario", "show", "balancers", "--full", "-o", "my.toml"]) == 0

    assert main(["run", "my.toml", "-r", "3", "-t", "4", "-s", "7", "-q", "--force"]) == 0
    capsys.readouterr()
    second = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert (second["replications"], second["steps"], second["seed"]) == (3, 4, 7)
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == notes  # kept, unchanged
    assert (out / "figures" / "fig1.svg").read_text(encoding="utf-8") == "<svg/>"
    assert {p.name for p in out.iterdir()} == RESULT_FILES | {"my-notes.txt", "figures"}
    result = Result.from_parquet(out)
    assert result.dataset.sizes["replication"] == 3
    assert result.dataset.sizes["step"] == 5
    # no .tmp / .old siblings left
    assert sorted(p.name for p in out.parent.iterdir()) == ["balancers"]

    # --no-states: the earlier states.parquet was equipoise's and goes; the notes stay
    assert main(["run", "balancers", "-r", "2", "-t", "2", "-q", "--force", "--no-states"]) == 0
    assert {p.name for p in out.iterdir()} == (RESULT_FILES - {"states.parquet"}) | {
        "my-notes.txt",
        "figures",
    }
    assert "share" not in Result.from_parquet(out).dataset


def test_compare_force_keeps_files_in_the_scenario_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["compare", "-r", "2", "-t", "3", "-q"]
    assert main(args) == 0
    out = tmp_path / "equipoise-results" / "compare"
    (out / "balancers" / "why.txt").write_text("mine\n", encoding="utf-8")
    (out / "README.md").write_text("# my comparison\n", encoding="utf-8")
    assert main(args) == 2
    assert "--force" in one_line(capsys.readouterr().err)
    assert main(["compare", "balancers", "mixed", "-r", "2", "-t", "3", "-q", "--force"]) == 0
    capsys.readouterr()
    assert (out / "balancers" / "why.txt").read_text(encoding="utf-8") == "mine\n"
    assert (out / "README.md").read_text(encoding="utf-8") == "# my comparison\n"
    assert not (out / "bandwagoners").exists()  # equipoise's, from the first comparison
    assert {p.name for p in (out / "mixed").iterdir()} == RESULT_FILES
    summary = pd.read_csv(out / "summary.csv", index_col="scenario")
    assert list(summary.index) == ["balancers", "mixed"]


def test_a_user_file_where_equipoise_writes_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run", "balancers", "-r", "2", "-t", "2", "-q", "--no-states"]) == 0
    out = tmp_path / "equipoise-results" / "balancers"
    (out / "states.parquet").write_text("my own table\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["run", "balancers", "-r", "2", "-t", "2", "-q", "--force"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "states.parquet was not written by equipoise" in line
    assert snapshot(tmp_path) == before


def test_run_into_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["run", "soft-only", "-r", "1", "-t", "2", "-q", "--out", "empty"]) == 0
    assert "soft-only" in capsys.readouterr().out
    assert {p.name for p in (tmp_path / "empty").iterdir()} == RESULT_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_run_default_out_uses_scenario_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\nn_states = 3\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["run", "mine.toml", "-r", "1", "-t", "2", "-q"]) == 0
    capsys.readouterr()
    out = tmp_path / "equipoise-results" / "mine"
    assert {p.name for p in out.iterdir()} == RESULT_FILES
    assert Result.from_parquet(out).scenario == Scenario.load(tmp_path / "mine.toml")


@pytest.mark.parametrize("reserved", ["provenance.json", "summary.csv"])
def test_compare_scenario_named_like_an_output_file(
    reserved: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Either refuse cleanly (exit 2, one line, nothing written) or write a usable result."""
    (tmp_path / "odd.toml").write_text(f'name = "{reserved}"\nn_states = 3\n', encoding="utf-8")
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["compare", "odd.toml", "balancers", "-r", "1", "-t", "2", "-q", "--out", "c"])
    captured = capsys.readouterr()
    if code == 2:
        one_line(captured.err)
        assert snapshot(tmp_path) == before
    else:
        assert code == 0, captured.err
        summary = pd.read_csv(tmp_path / "c" / "summary.csv", index_col="scenario")
        assert list(summary.index) == [reserved, "balancers"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from equipoise import __version__

    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


# ======================================================================= Fisher tests
def _summary(rates: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """A summary frame with the hegemony counts given as ``name: (hits, replications)``."""
    return pd.DataFrame(
        {
            "replications": [n for _, n in rates.values()],
            "hegemony_rate": [k / n for k, n in rates.values()],
        },
        index=pd.Index(list(rates), name="scenario"),
    )


def test_fisher_tests_are_against_null_when_it_is_compared() -> None:
    from scipy.stats import fisher_exact

    lines = _fisher_lines(_summary({"balancers": (3, 100), "null": (20, 100), "x": (20, 100)}))
    tests = [line for line in lines if line.startswith("Hegemony rate")]
    assert [line.split(":")[0] for line in tests] == [
        "Hegemony rate balancers vs null",
        "Hegemony rate x vs null",
    ]
    p = fisher_exact([[3, 97], [20, 80]])[1]
    assert f"p = {p:.3g} (Holm-adjusted over 2 tests: {min(1.0, 2 * p):.3g})" in tests[0]
    assert "p = 1 (Holm-adjusted over 2 tests: 1)" in tests[1]  # same counts
    # one scenario against null: one test, nothing to adjust
    lines = _fisher_lines(_summary({"null": (0, 50), "soft-only": (5, 50)}))
    p = fisher_exact([[5, 45], [0, 50]])[1]
    assert lines[0] == f"Hegemony rate soft-only vs null: Fisher exact test p = {p:.3g}"


def test_without_null_two_scenarios_are_tested_and_more_are_not_and_it_says_why() -> None:
    """Issue 25: `compare balancers bandwagoners mixed` printed no test and did not say why."""
    lines = _fisher_lines(_summary({"a": (10, 40), "b": (2, 40)}))
    assert lines[0].startswith("Hegemony rate a vs b: Fisher exact test p = ")
    (line,) = _fisher_lines(_summary({"a": (1, 4), "b": (1, 4), "c": (1, 4)}))
    assert line.startswith("No test of the hegemony rates: 3 scenarios and no 'null'")
    assert "add null, or compare two scenarios" in line
    (line,) = _fisher_lines(_summary({"null": (1, 4)}))
    assert line == "No test of the hegemony rates: one scenario: no other to test it against."


def test_each_test_says_what_it_could_detect_and_what_would_detect_the_difference() -> None:
    """Issue 25: p = 0.12 at 200 replications and p = 0.00085 at 600 disagreed with no guidance:
    beside each test, the rates detected with 80% power and, when it is not significant, the
    replications that would detect the difference seen."""
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    lines = _fisher_lines(_summary({"null": (1, 200), "balancers": (6, 200), "b": (25, 200)}))
    assert lines[0].startswith("Hegemony rate balancers vs null: Fisher exact test p = 0.12")
    power = lines[1]
    assert power.startswith("  power: with 200 replications each, a rate of at least 0.04")
    assert "against null's 0.005 is detected 80% of the time (5% level, two-sided)" in power
    h = abs(proportion_effectsize(0.03, 0.005))
    n = int(np.ceil(NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8)))
    assert lines[2] == (
        f"  to detect the difference seen (0.030 against 0.005) 80% of the time: about {n:,} "
        "replications per scenario (-r)"
    )
    assert 300 < n < 450  # the tutorial's 600 replications were enough; the README's 200 not
    # bandwagoners' test is significant: its power line, no advice
    assert lines[3].startswith("Hegemony rate b vs null")
    assert lines[4].startswith("  power: ") and len(lines) == 5
    # a detectable rate below the baseline is given when there is one
    lines = _fisher_lines(_summary({"null": (100, 200), "x": (100, 200)}))
    assert " or at most 0.3" in lines[1]
    assert lines[2].startswith("  no difference seen, so none to size a larger run by")


# ============================================================== scenario show --full comments
def _leaves(data: dict, prefix: str = "") -> list[str]:
    """Dotted keys of every value in a parsed scenario (one entry of an array of tables)."""
    out = []
    for key, value in data.items():
        if isinstance(value, dict):
            out += _leaves(value, f"{prefix}{key}.")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out += _leaves(value[0], f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def _comment_above(text: str) -> dict[str, str]:
    """Dotted key -> the comment line right above it, for every key of the TOML text."""
    table, seen, out = "", set(), {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("["):
            table = line.strip("[]") + "."
            continue
        if " = " in line and not line.startswith(("#", " ")):
            key = table + line.split(" = ")[0]
            if key not in seen:
                seen.add(key)
                out[key] = lines[i - 1]
    return out


@pytest.mark.parametrize("name", [*BUILTINS, "history-1913"])
def test_scenario_show_full_comments_every_parameter(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each parameter has its description and unit (from the model's fields) as a comment above
    it, and the commented text still loads to an equal scenario."""
    from equipoise._paramdoc import parameter_docs

    if name == "history-1913":  # explicit [[states]] and initial alliances
        monkeypatch.chdir(tmp_path)
        scenario = scenario_from_history(1913)
        (tmp_path / "h.toml").write_text(scenario.to_toml(), encoding="utf-8")
        assert main(["scenario", "show", "h.toml"]) == 0
    else:
        scenario = Scenario.load(name)
        assert main(["scenario", "show", name, "--full"]) == 0
    text = capsys.readouterr().out
    assert Scenario.from_toml(text) == scenario
    docs = {p.key: p for p in parameter_docs()}
    comments = _comment_above(text)
    data = tomllib.loads(text)
    assert set(comments) == set(_leaves(data))
    for key, comment in comments.items():
        doc = docs[key]
        expected = f"# {doc.description}" + (f" [{doc.unit}]" if doc.unit else "")
        assert comment == expected, key
    assert (
        "# Exponent m of the battle's contest success function (Tullock 1980). [dimensionless]"
        in text
    )
    assert "# Replications (independent runs). [runs]" in text


def test_every_parameter_of_the_model_is_described() -> None:
    """The model is the one source of the comments: a parameter without a description, or a
    number without a unit, would print a bare key. (Walks the model, so new parameters count.)"""
    from equipoise._paramdoc import parameter_docs

    docs = parameter_docs()
    assert len(docs) >= 50
    undescribed = [d.key for d in docs if not d.description]
    assert not undescribed, f"parameters without a description: {undescribed}"
    no_unit = [
        d.key
        for d in docs
        if isinstance(d.default, int | float) and not isinstance(d.default, bool) and d.unit is None
    ]
    assert not no_unit, f"numeric parameters without a unit (json_schema_extra): {no_unit}"
    assert {d.key: d.unit for d in docs}["run.seed"] == "integer in [0, 2^32)"


# ================================================================== CSV for R and Stata
def test_run_and_compare_write_csv_beside_parquet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 25: results as CSV for users of R or Stata, as well as Parquet."""
    monkeypatch.chdir(tmp_path)
    assert main(["run", "balancers", "-r", "2", "-t", "3", "-q", "--csv", "-o", "r"]) == 0
    assert "Results written to r/ (Parquet and CSV)" in capsys.readouterr().out
    out = tmp_path / "r"
    tables = Result.from_parquet(out).tables()
    assert set(tables) == {"system", "replications", "wars", "states"}
    for name, frame in tables.items():
        csv = pd.read_csv(out / f"{name}.csv")
        assert list(csv.columns) == list(frame.columns), name
        assert len(csv) == len(frame), name
    system = pd.read_csv(out / "system.csv")
    np.testing.assert_allclose(system["leader_share"], tables["system"]["leader_share"])
    assert set(pd.read_csv(out / "states.csv")["state"]) == set(tables["states"]["state"])
    argv = ["compare", "null", "balancers", "-r", "2", "-t", "3", "-q", "--csv", "-o", "c"]
    assert main(argv) == 0
    capsys.readouterr()
    assert (tmp_path / "c" / "null" / "system.csv").is_file()
    assert (tmp_path / "c" / "tests.csv").is_file()
    # from Python: the tables alone, as CSV
    Result.from_parquet(out).to_csv(tmp_path / "only-csv")
    assert {p.name for p in (tmp_path / "only-csv").iterdir()} >= {
        "system.csv",
        "states.csv",
        "provenance.json",
        "scenario.toml",
    }
