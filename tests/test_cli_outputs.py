"""Every command that writes: a missing folder is refused unless --parents, --force replaces.

Issue 25: `panel dyad-years ... -o /nonexistent/dir/x.parquet` exited 0 after creating the
folder, and "replace an earlier output" had three spellings. Each refusal is one line, exit
code 2, and nothing written (clikit.assert_refused).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clikit import assert_refused, snapshot
from equipoise.cli import main
from equipoise.experiments import SerialExecutor, SweepSpec, sweep

SWEEP = """
name = "tiny"
scenario = "null"
replications = 2
steps = 3
seed = 3
[parameters]
"war.attack_probability" = [0.02, 0.08]
"""

#: (command line writing under the missing folder "no/such", what the option is called)
WRITERS = [
    (["run", "null", "-r", "1", "-t", "1", "-q", "-o", "no/such/out"], "-o"),
    (["compare", "-r", "1", "-t", "1", "-q", "-o", "no/such/out"], "-o"),
    (["validate", "-r", "1", "-q", "-o", "no/such/out"], "-o"),
    (["calibrate", "--budget", "4", "-q", "-o", "no/such/out"], "-o"),
    (["counterfactual", "1913", "-i", "none", "-r", "1", "-q", "-o", "no/such/out"], "-o"),
    (["sweep", "tiny.toml", "-q", "-o", "no/such/out"], "-o"),
    (["analyse", "done", "-o", "no/such/out"], "-o"),
    (["report", "done-run", "-o", "no/such/report.html"], "-o"),
    (["report", "done-run", "--figures", "no/such/figures"], "--figures"),
    (["scenario", "show", "null", "-o", "no/such/null.toml"], "-o"),
    (["panel", "state-years", "--from", "1816", "--to", "1816", "-o", "no/such/p.csv"], "-o"),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a sweep file, a finished sweep and a finished run."""
    root = tmp_path_factory.mktemp("outputs")
    (root / "tiny.toml").write_text(SWEEP, encoding="utf-8")
    sweep(SweepSpec.from_toml(f'output = "{root / "done"}"\n' + SWEEP), SerialExecutor())
    assert main(["run", "null", "-r", "2", "-t", "3", "-q", "-o", str(root / "done-run")]) == 0
    return root


@pytest.mark.parametrize(("argv", "option"), WRITERS, ids=[" ".join(w[0][:2]) for w in WRITERS])
def test_a_missing_folder_is_refused_unless_parents(
    argv: list[str],
    option: str,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workdir)
    capsys.readouterr()
    line = assert_refused(argv, workdir, capsys, ["no/such", "does not exist", "--parents"])
    assert f"of {option} no/such/" in line


def test_parents_creates_the_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["scenario", "show", "null", "-o", "a/b/null.toml", "--parents"]) == 0
    argv = ["run", "null", "-r", "1", "-t", "1", "-q", "-o", "c/d/out", "--parents"]
    assert main(argv) == 0
    capsys.readouterr()
    assert (tmp_path / "a" / "b" / "null.toml").is_file()
    assert (tmp_path / "c" / "d" / "out" / "provenance.json").is_file()


def test_a_file_where_a_folder_should_be_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    for argv in (
        ["scenario", "show", "null", "-o", "notes.txt/null.toml", "--parents"],
        ["panel", "state-years", "-o", "notes.txt/p.csv", "--parents"],
    ):
        assert_refused(argv, tmp_path, capsys, ["notes.txt is not a directory"])


def test_scenario_show_replaces_a_file_only_with_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").write_text("# mine\n", encoding="utf-8")
    assert_refused(
        ["scenario", "show", "null", "-o", "mine.toml"],
        tmp_path,
        capsys,
        ["mine.toml exists", "--force"],
    )
    assert main(["scenario", "show", "null", "-o", "mine.toml", "--force"]) == 0
    assert "[strategies]" in (tmp_path / "mine.toml").read_text(encoding="utf-8")


def test_a_folder_of_the_users_files_is_said_to_be_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 25: a folder holding only the user's files is not "overwritten": say so."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    line = assert_refused(
        ["run", "null", "-r", "1", "-t", "1", "-q", "-o", "keep"],
        tmp_path,
        capsys,
        ["keep holds files but is not an equipoise output", "nothing in it would be overwritten"],
    )
    assert "refusing to overwrite" not in line
    assert snapshot(tmp_path) == before
