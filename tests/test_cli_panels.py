"""The ``equipoise panel state-years|dyad-years`` commands: files written, bad input refused.

Project rule under test: bad input gives exactly one line on stderr naming the problem, exit
code 2, and writes nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from clikit import assert_refused, write_files
from equipoise.cli import main
from equipoise.history import load_system
from equipoise.panels import (
    ADDONS,
    DYAD_ONLY_ADDONS,
    add_cow_majors,
    add_cow_wars,
    add_gml_mids,
    add_peace_years,
    add_spells,
    dyad_years,
    filter_prd,
    state_years,
)

ENV = {**os.environ, "COLUMNS": "200"}


def test_state_years_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "states.csv"
    code = main(
        [
            "panel",
            "state-years",
            "--from",
            "1900",
            "--to",
            "1910",
            "--add",
            "nmc,majors",
            "-o",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    table = pd.read_csv(out)
    n = int(load_system()["year"].between(1900, 1910).sum())
    assert len(table) == n
    assert {"cinc", "cowmaj", "milex"} <= set(table.columns)
    assert f"Wrote {n} state-years 1900-1910" in captured.out
    assert "singer1972capability" in captured.out
    assert captured.err == ""


def test_dyad_years_parquet_matches_python(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "dyads.parquet"
    argv = [
        "panel",
        "dyad-years",
        "--from",
        "1930",
        "--to",
        "1950",
        "--undirected",
        "--add",
        "peace-years,wars,majors",
        "--prd",
        "-o",
        str(out),
    ]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "6/6 steps" in err  # the progress bar: build, 3 add-ons, prd, write
    written = pd.read_parquet(out)
    expected = (
        dyad_years(1930, 1950, directed=False)
        .pipe(add_cow_majors)
        .pipe(add_cow_wars)
        .pipe(add_peace_years)
        .pipe(filter_prd)
    )
    pd.testing.assert_frame_equal(written, expected.reset_index(drop=True), check_like=False)
    assert [p.name for p in tmp_path.iterdir()] == ["dyads.parquet"]


def test_stata_file_through_the_console_script(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            "equipoise",
            "panel",
            "dyad-years",
            "--from",
            "1816",
            "--to",
            "1820",
            "--add",
            "atop,distance,power-ratio",
            "-o",
            "d.dta",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_stata(tmp_path / "d.dta")
    assert len(table) == len(dyad_years(1816, 1820))
    assert table["capdist"].notna().all() and table["atop_alliance"].isin([0, 1]).all()
    with pd.io.stata.StataReader(tmp_path / "d.dta") as reader:
        labels = reader.variable_labels()
    assert labels["capdist"].startswith("Great-circle distance")


def test_replacing_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 25: one word replaces an earlier output, --force; --overwrite stays, hidden."""
    out = tmp_path / "s.parquet"
    argv = ["panel", "state-years", "--from", "1816", "--to", "1817", "-o", str(out), "-q"]
    assert main([*argv[:5], "1816", *argv[6:]]) == 0
    capsys.readouterr()
    assert_refused(argv[:-1], tmp_path, capsys, ["s.parquet exists", "--force"])
    assert main([*argv, "--force"]) == 0
    assert len(pd.read_parquet(out)) == 23 + 23
    assert main([*argv[:5], "1816", *argv[6:], "--overwrite"]) == 0  # the former name
    assert len(pd.read_parquet(out)) == 23
    capsys.readouterr()
    assert main(["panel", "state-years", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--force" in text and "--overwrite" not in text


BAD = [
    (["state-years", "--add", "nmc,cinc"], ["unknown add-on 'cinc'", "nmc, majors"]),
    (["dyad-years", "--add", "peace-years"], ["peace-years", "add 'wars'"]),
    (["state-years", "--from", "1700"], ["year 1700 is outside", "1816-2016"]),
    (["dyad-years", "--to", "2030"], ["year 2030 is outside"]),
    (["dyad-years", "--from", "1950", "--to", "1900"], ["--from 1950 is after --to 1900"]),
    (["state-years", "--from", "soon"], ["--from", "'soon' is not a valid integer"]),
    (["dyad-years", "--prd-km", "-5", "--prd"], ["--prd-km"]),
    (["state-years", "--prd"], ["No such option", "--prd"]),
    (["state-years", "--add", "nmc,fpsim"], ["fpsim", "dyad-years"]),
    (["dyad-years", "--prd-km", "500"], ["--prd-km", "add --prd"]),
    (["dyad-years", "--prd", "--prd-conttype", "7"], ["--prd-conttype"]),
    (["dyad-years", "--prd", "--prd-conttype", "2", "--prd-km", "9"], ["choose one"]),
    (["dyad-years", "--add", "wars", "--history"], ["--history", "peace-years"]),
    (["dyad-years", "--add", "mids", "--spells", "gmlmid"], ["--spells", "'gmlmid'"]),
    (["state-years", "--add", "mids", "--spells", "n_gmlmidonset"], ["other than 0 and 1"]),
]


@pytest.mark.parametrize(("args", "needles"), BAD)
def test_bad_input_is_refused(args, needles, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_refused(["panel", *args, "-o", "out.parquet"], tmp_path, capsys, needles)


@pytest.mark.parametrize("name", ["out.xlsx", "out", "out.parquet.gz"])
def test_unknown_extension_is_refused(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_refused(
        ["panel", "state-years", "-o", name], tmp_path, capsys, ["unknown output format"]
    )


def test_directory_and_file_parents_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"taken.csv/": None, "plain": "x"})
    (tmp_path / "taken.csv/").mkdir(exist_ok=True)
    assert_refused(["panel", "state-years", "-o", "taken.csv"], tmp_path, capsys, ["taken.csv"])
    assert_refused(["panel", "state-years", "-o", "plain/p.csv"], tmp_path, capsys, ["plain"])


def test_filter_prd_is_what_the_cli_applies() -> None:
    panel = dyad_years(1990, 1990, directed=False)
    assert len(filter_prd(panel, distance_km=0.0)) == int(
        (add_cow_majors(panel)[["cowmaj1", "cowmaj2"]].max(axis=1) == 1).sum()
    )


def test_every_addon_on_the_command_line_matches_python(tmp_path: Path, capsys) -> None:
    names = ",".join(ADDONS)
    out = tmp_path / "all.parquet"
    argv = ["panel", "dyad-years", "--from", "1990", "--to", "1992", "--add", names, "-q"]
    assert main([*argv, "--spells", "gmlmidonset", "-o", str(out)]) == 0
    expected = dyad_years(1990, 1992)
    for addon in ADDONS.values():
        expected = addon(expected)
    expected = add_spells(expected, "gmlmidonset")
    pd.testing.assert_frame_equal(pd.read_parquet(out), expected.reset_index(drop=True))
    assert "hage2011choice" in capsys.readouterr().out
    states = tmp_path / "states.csv"
    names = ",".join(n for n in ADDONS if n not in DYAD_ONLY_ADDONS)
    argv = ["panel", "state-years", "--from", "1990", "--to", "1992", "--add", names, "-q"]
    assert main([*argv, "-o", str(states)]) == 0
    table = pd.read_csv(states)
    assert {"land", "gmlmidonset", "n_rivalries", "polity2", "minmindist"} <= set(table.columns)
    assert len(table) == len(state_years(1990, 1992))


def test_prd_choices_and_history(tmp_path: Path) -> None:
    base = ["panel", "dyad-years", "--from", "1946", "--to", "1960", "--undirected", "-q"]
    panel = dyad_years(1946, 1960, directed=False)
    for extra, expected in (
        ([], filter_prd(panel)),
        (["--prd-conttype", "1"], filter_prd(panel, max_conttype=1)),
        (["--prd-km", "750"], filter_prd(panel, distance_km=750.0)),
    ):
        out = tmp_path / f"prd{len(extra)}{extra[-1] if extra else ''}.parquet"
        assert main([*base, "--prd", *extra, "-o", str(out)]) == 0
        assert len(pd.read_parquet(out)) == len(expected) > 0
    out = tmp_path / "history.parquet"
    assert main([*base, "--add", "mids,peace-years", "--history", "-o", str(out)]) == 0
    written = pd.read_parquet(out)
    expected = add_peace_years(add_gml_mids(panel), history=True)
    assert written["gmlmidspell"].equals(expected["gmlmidspell"].reset_index(drop=True))
