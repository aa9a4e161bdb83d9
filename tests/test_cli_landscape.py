"""The ``equipoise landscape FILE`` command: tables of stable configurations and bad input.

Project rule under test: bad input gives exactly one line on stderr naming the
problem, exit code 2, and writes nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import clikit
from clikit import assert_refused, snapshot, write_files
from equipoise.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ENV = {**os.environ, "COLUMNS": "200"}


def one_line(err: str) -> str:
    """:func:`clikit.one_line`, and the line is click's ``error: ...``."""
    line = clikit.one_line(err)
    assert line.startswith("error: "), line
    return line


def test_console_script_prints_the_minima(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["equipoise", "landscape", str(EXAMPLES / "landscape-small.toml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    rows = [line for line in lines if line.startswith("│")]
    assert len(rows) == 3
    first = [c.strip() for c in rows[0].strip("│").split("│")]
    assert first == ["1", "-1", "0.750", "A B", "C D"]
    assert "Exact: all 8 configurations searched; 3 stable configurations" in proc.stdout
    assert list(tmp_path.iterdir()) == []


def test_europe_1936_example(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["landscape", str(EXAMPLES / "landscape-europe-1936.csv")]) == 0
    out = capsys.readouterr().out
    assert "17 states" in out and "65,536 configurations" in out
    assert "GMY POL HUN EST LAT FIN" in out
    # issue 25: the two configurations tie (same energy, basins 0.5 each): neither is "the
    # prediction"
    ranks = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert [r for r in ranks if r] == ["1=", "1="]
    assert "2 configurations tie at the lowest energy (rank 1=)" in " ".join(out.split())
    assert "Rank 1 is the prediction" not in out


def test_a_single_minimum_is_the_prediction() -> None:
    import numpy as np

    from equipoise.landscape import solve

    p = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]
    assert solve([2.0, 1.0, 3.0], p).tied == 1
    assert solve([1.0] * 4, -(1 - np.eye(4))).tied == 3  # every 2-2 split


def test_heuristic_says_it_is_not_exact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hostile.toml"
    n = 6
    names = ", ".join(f'"s{i}"' for i in range(n))
    rows = ", ".join(str([0.0 if i == j else -1.0 for j in range(n)]) for i in range(n))
    sizes = [float(k) for k in range(1, n + 1)]
    path.write_text(
        f"names = [{names}]\nsizes = {sizes}\npropensity = [{rows}]\n", encoding="utf-8"
    )
    assert main(["landscape", str(path), "--method", "heuristic", "--restarts", "50"]) == 0
    out = capsys.readouterr().out
    assert "Heuristic (not exact): 50 local searches" in out
    assert main(["landscape", str(path), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert out.count("│") // 6 == 1  # one row of 5 columns (6 bars)
    assert "shown" in out


BAD = [
    ("asym.csv", "name,size,A,B\nA,1,,1\nB,1,2,\n", "must be symmetric"),
    ("text.csv", "name,size,A,B\nA,1,,x\nB,1,1,\n", "'x' is not a number"),
    ("short.csv", "name,size,A,B\nA,1,,1\n", "2 state columns but 1 data rows"),
    ("ragged.csv", "name,size,A,B\nA,1,,1,7\nB,1,1,\n", "line 2 has 5 cells"),
    ("neg.csv", "name,size,A,B\nA,-1,,1\nB,1,1,\n", "A has size -1"),
    ("bad.toml", 'names = ["A", "B"\n', "malformed TOML"),
    ("square.toml", 'names = ["A", "B"]\nsizes = [1, 1]\npropensity = [[0, 1]]\n', "2 x 2"),
    ("asym.toml", 'names = ["A", "B"]\nsizes = [1, 1]\npropensity = [[0, 1], [3, 0]]\n', "symm"),
    ("notes.txt", "hello", "expected a .csv or .toml"),
]


@pytest.mark.parametrize(("name", "text", "match"), BAD)
def test_bad_files_exit_2_with_one_line_and_write_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    match: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {name: text})
    line = assert_refused(["landscape", name], tmp_path, capsys, [match, name])
    assert line.startswith("error: "), line


def test_missing_file_directory_and_too_many_states(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["landscape", "nope.csv"]) == 2
    assert "file not found" in one_line(capsys.readouterr().err)
    (tmp_path / "dir.csv").mkdir()
    assert main(["landscape", "dir.csv"]) == 2
    assert "is a directory" in one_line(capsys.readouterr().err)
    n = 29
    header = "name,size," + ",".join(f"s{i}" for i in range(n))
    body = [f"s{i},1," + ",".join("" if i == j else "-1" for j in range(n)) for i in range(n)]
    (tmp_path / "big.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["landscape", "big.csv", "--method", "exact"]) == 2
    assert "at most 28 states" in one_line(capsys.readouterr().err)
    assert main(["landscape", "big.csv", "--top", "0"]) == 2
    assert "--top" in one_line(capsys.readouterr().err)
    assert snapshot(tmp_path) == before


def test_console_script_bad_input(tmp_path: Path) -> None:
    (tmp_path / "asym.csv").write_text("name,size,A,B\nA,1,,1\nB,1,2,\n", encoding="utf-8")
    proc = subprocess.run(
        ["equipoise", "landscape", "asym.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "must be symmetric" in one_line(proc.stderr)
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["asym.csv"]
