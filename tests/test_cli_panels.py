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
    add_cow_majors,
    add_cow_wars,
    add_peace_years,
    dyad_years,
    filter_prd,
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


def test_overwrite_needs_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.parquet"
    assert (
        main(["panel", "state-years", "--from", "1816", "--to", "1816", "-o", str(out), "-q"]) == 0
    )
    capsys.readouterr()
    assert_refused(
        ["panel", "state-years", "--from", "1816", "--to", "1817", "-o", str(out)],
        tmp_path,
        capsys,
        ["refusing to overwrite", "--overwrite"],
    )
    assert (
        main(
            [
                "panel",
                "state-years",
                "--from",
                "1816",
                "--to",
                "1817",
                "-o",
                str(out),
                "-q",
                "--overwrite",
            ]
        )
        == 0
    )
    assert len(pd.read_parquet(out)) == 23 + 23


BAD = [
    (["state-years", "--add", "nmc,cinc"], ["unknown add-on 'cinc'", "nmc, majors"]),
    (["dyad-years", "--add", "peace-years"], ["peace-years", "add 'wars'"]),
    (["state-years", "--from", "1700"], ["year 1700 is outside", "1816-2016"]),
    (["dyad-years", "--to", "2030"], ["year 2030 is outside"]),
    (["dyad-years", "--from", "1950", "--to", "1900"], ["--from 1950 is after --to 1900"]),
    (["state-years", "--from", "soon"], ["--from", "'soon' is not a valid integer"]),
    (["dyad-years", "--prd-km", "-5", "--prd"], ["--prd-km"]),
    (["state-years", "--prd"], ["No such option", "--prd"]),
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
