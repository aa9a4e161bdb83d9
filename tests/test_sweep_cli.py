"""``equipoise sweep`` and ``equipoise analyse``: end to end, and every bad-input path.

Project rule under test: bad input gives one line on stderr naming the problem,
exit code 2, and writes nothing (no output files, no temporary files).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from clikit import assert_refused, one_line, snapshot, write_files
from equipoise.cli import main
from equipoise.cli import sweep as experiments_cli
from equipoise.experiments import InvalidSweepError, SerialExecutor, SweepSpec, read_outcomes
from equipoise.experiments import sweep as run_sweep
from equipoise.experiments.executors import dask_executor

GRID = """
name = "tiny"
scenario = "null"
replications = 6
steps = 20
seed = 3
chunk_size = 4
[parameters]
"war.attack_probability" = [0.02, 0.08]
n_states = [6, 9]
"""

SOBOL = """
name = "tiny-sobol"
scenario = "balancers"
design = "sobol"
samples = 8
replications = 3
steps = 15
seed = 3
[parameters]
"war.attack_probability" = { min = 0.01, max = 0.1 }
"war.decisiveness" = { min = 1.0, max = 3.0 }
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide console, so that Rich does not wrap the lines looked for."""
    monkeypatch.setattr(experiments_cli, "_out", Console(width=200, highlight=False))


# =================================================================== end to end
def test_sweep_then_analyse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.toml").write_text(GRID, encoding="utf-8")
    assert main(["sweep", "tiny.toml", "-q", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "sweep tiny: 4 points (grid) x 6 replications x 20 steps, 8 chunks" in out
    assert "8 chunks computed on 2 local processes" in out
    assert "Results written to equipoise-results/tiny/" in out
    directory = tmp_path / "equipoise-results" / "tiny"
    assert {p.name for p in directory.iterdir()} == {
        "manifest.json",
        "sweep.toml",
        "points.parquet",
        "design.parquet",
        "chunks",
        "outcomes.parquet",
    }
    assert len(list((directory / "chunks").iterdir())) == 8

    assert main(["sweep", "tiny.toml", "-q"]) == 0  # nothing left to do
    out = capsys.readouterr().out
    assert "resumed: 8 chunks were already done" in out
    assert "0 chunks computed" in out

    assert main(["analyse", "equipoise-results/tiny"]) == 0
    out = capsys.readouterr().out
    for needle in (
        "Outcomes per point",
        "hegemony rate (95% CI)",
        "attack_probability",
        "PRIM box",
        "density",
        "coverage",
        "no sensitivity indices for a grid design",
        "Tables written to equipoise-results/tiny/analysis/",
    ):
        assert needle in out, needle
    tables = directory / "analysis"
    points = pd.read_csv(tables / "points.csv")
    assert len(points) == 4
    assert {"hegemony_rate", "hegemony_ci_low", "hegemony_ci_high", "survivors"} <= set(points)
    assert (tables / "discovery_box.csv").is_file()
    assert main(["analyse", "equipoise-results/tiny"]) == 0  # replaces its own output
    capsys.readouterr()


def test_analyse_sobol_prints_indices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = SweepSpec.from_toml(SOBOL)
    run_sweep(spec, SerialExecutor())
    assert main(["analyse", "equipoise-results/tiny-sobol", "--out", "tables"]) == 0
    out = capsys.readouterr().out
    assert "Sobol' indices" in out
    assert "hegemony_rate" in out and "war.decisiveness" in out
    assert "more points in tables/points.csv" in out  # 32 points, 20 printed
    sens = pd.read_csv(tmp_path / "tables" / "sensitivity.csv")
    assert set(sens["parameter"]) == {"war.attack_probability", "war.decisiveness"}


SOBOL_3 = """
name = "wide-sobol"
scenario = "bandwagoners"
design = "sobol"
samples = 8
replications = 3
steps = 15
seed = 3
[parameters]
"alliances.alliance_reliability" = { min = 0.5, max = 1.0 }
"war.decisiveness" = { min = 1.0, max = 3.0 }
"soft_balancing.soft_balancing_threshold" = { min = 0.2, max = 0.5 }
"""


def _table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]


def test_analyse_at_80_columns_keeps_every_figure_and_name_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16: at 80 columns the interval was cut to "(0.00…" and parameter names broken."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(experiments_cli, "_out", Console(width=80, highlight=False))
    run_sweep(SweepSpec.from_toml(SOBOL_3), SerialExecutor())
    assert main(["analyse", "equipoise-results/wide-sobol", "--out", "tables"]) == 0
    out = capsys.readouterr().out
    lines = _table_lines(out)
    assert lines and max(len(line) for line in lines) <= 80
    assert not [line for line in lines if "…" in line], "a cell was cut"
    points = pd.read_csv(tmp_path / "tables" / "points.csv").head(20)
    for _, row in points.iterrows():
        lo, hi = row["hegemony_ci_low"], row["hegemony_ci_high"]
        assert f"{row['hegemony_rate']:.3f} ({lo:.3f}–{hi:.3f})" in out
        assert f"{row['survivors']:.2f}" in out and f"{row['mean_concentration']:.3f}" in out
        assert f"{row['soft_balancing.soft_balancing_threshold']:.3f}" in out
    for leaf in ("alliance_reliability", "decisiveness", "soft_balancing_threshold"):
        assert f" {leaf} " in out, leaf  # whole, as a column heading
    sens = pd.read_csv(tmp_path / "tables" / "sensitivity.csv")
    values = sens[["S1", "S1_conf", "ST", "ST_conf"]].stack().dropna()
    assert len(values) >= 8
    for value in values:
        assert f"{value:.3f}" in out
    # a dotted name is whole, or broken only after its dot
    for name in ("alliances.alliance_reliability", "war.decisiveness"):
        assert name in out
    assert "soft_balancing.soft_balancing_threshold" in out or (
        "soft_balancing." in out and "soft_balancing_threshold" in out
    )


def test_dask_local_resumes_a_process_pool_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.toml").write_text(GRID, encoding="utf-8")
    assert main(["sweep", "tiny.toml", "-q", "-o", "a", "--workers", "1"]) == 0
    reference = read_outcomes(tmp_path / "a")
    for chunk in sorted((tmp_path / "a" / "chunks").iterdir())[::2]:
        chunk.unlink()
    capsys.readouterr()
    assert main(["sweep", "tiny.toml", "-q", "-o", "a", "--dask-local", "2"]) == 0
    out = capsys.readouterr().out
    assert "resumed: 4 chunks were already done" in out
    assert "4 chunks computed on Dask (2 worker threads at a local cluster)" in out
    pd.testing.assert_frame_equal(read_outcomes(tmp_path / "a"), reference, check_exact=True)


def test_unreachable_scheduler_isone_line() -> None:
    with pytest.raises(InvalidSweepError, match="cannot connect to the Dask scheduler"):
        with dask_executor(scheduler="tcp://127.0.0.1:9", timeout=0.5):
            pass


# ================================================================= bad input
BAD_CASES: list[tuple[str, dict[str, str], list[str], list[str]]] = [
    ("missing file", {}, ["sweep", "nope.toml"], ["sweep file not found: nope.toml"]),
    ("directory", {"d/x": ""}, ["sweep", "d"], ["d is a directory"]),
    (
        "unknown key",
        {"s.toml": GRID.replace('name = "tiny"', 'name = "tiny"\ncolour = 1')},
        ["sweep", "s.toml"],
        ["s.toml", "unknown key 'colour'"],
    ),
    (
        "empty levels",
        {"s.toml": GRID.replace("n_states = [6, 9]", "n_states = []")},
        ["sweep", "s.toml"],
        ["'parameters.n_states'", "levels must not be empty"],
    ),
    (
        "out of range",
        {"s.toml": GRID.replace("[0.02, 0.08]", "[0.02, 2.0]")},
        ["sweep", "s.toml"],
        ["war.attack_probability", "level 2.0 is invalid"],
    ),
    (
        "malformed",
        {"s.toml": "replications = = 2"},
        ["sweep", "s.toml"],
        ["s.toml: malformed TOML"],
    ),
    (
        "scheduler and local cluster",
        {"s.toml": GRID},
        ["sweep", "s.toml", "--scheduler", "tcp://127.0.0.1:9", "--dask-local", "2"],
        ["--scheduler or --dask-local, not both"],
    ),
    (
        "workers with dask",
        {"s.toml": GRID},
        ["sweep", "s.toml", "--workers", "2", "--dask-local", "2"],
        ["--workers sizes the local process pool"],
    ),
    ("zero workers", {"s.toml": GRID}, ["sweep", "s.toml", "--workers", "0"], ["--workers"]),
    (
        "seed beyond the random-number contract",
        {"s.toml": GRID.replace("seed = 3", "seed = 4294967296")},
        ["sweep", "s.toml"],
        ["s.toml", "'seed'", "less than 4294967296"],
    ),
    (
        "output is a file",
        {"s.toml": GRID, "taken": "x"},
        ["sweep", "s.toml", "-o", "taken"],
        ["output path exists and is not a directory: taken"],
    ),
    (
        "output below a file",
        {"s.toml": GRID, "taken": "x"},
        ["sweep", "s.toml", "-o", "taken/sub"],
        ["cannot create taken/sub: taken is not a directory"],
    ),
    (
        "foreign output directory",
        {"s.toml": GRID, "mine/notes.txt": "keep"},
        ["sweep", "s.toml", "-o", "mine"],
        ["refusing to use mine", "not an equipoise sweep directory"],
    ),
    (
        "analyse a non-sweep",
        {"mine/notes.txt": "keep"},
        ["analyse", "mine"],
        ["not an equipoise sweep directory (no manifest.json): mine"],
    ),
    ("analyse nothing", {}, ["analyse", "nowhere"], ["sweep directory nowhere does not exist"]),
    (
        "analyse nothing in a folder",
        {},
        ["analyse", "sub/nowhere"],
        ["sweep directory sub/nowhere does not exist"],
    ),
    (
        "analyse a file",
        {"s.toml": GRID},
        ["analyse", "s.toml"],
        ["s.toml is a file, not a sweep directory"],
    ),
    (
        "analyse bad min-mass",
        {},
        ["analyse", "nowhere", "--min-mass", "1.5"],
        ["--min-mass"],
    ),
]


@pytest.mark.parametrize(
    ("files", "argv", "needles"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    argv: list[str],
    needles: list[str],
) -> None:
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert_refused(argv, tmp_path, capsys, needles)


def _finished_sweep(tmp_path: Path, text: str = GRID) -> Path:
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    spec = SweepSpec.load(tmp_path / "s.toml")
    run_sweep(spec, SerialExecutor(), out=tmp_path / "res")
    return tmp_path / "res"


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("replications = 6", "replications = 7"), "changed: replications"),
        (("seed = 3", "seed = 4"), "changed: seed"),
        (("[0.02, 0.08]", "[0.02, 0.04]"), "changed: parameters"),
    ],
)
def test_changed_spec_in_the_same_directory_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    needle: str,
) -> None:
    _finished_sweep(tmp_path)
    (tmp_path / "s.toml").write_text(GRID.replace(*change), encoding="utf-8")
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["sweep", "s.toml", "-o", "res", "-q"])
    captured = capsys.readouterr()
    assert code == 2
    line = one_line(captured.err)
    assert "res holds a different sweep" in line and needle in line
    assert "restore the original sweep file" in line
    assert snapshot(tmp_path) == before


def test_analyse_incomplete_sweep_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    res = _finished_sweep(tmp_path)
    next(iter((res / "chunks").iterdir())).unlink()
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["analyse", "res"])
    captured = capsys.readouterr()
    assert code == 2
    line = one_line(captured.err)
    assert "the sweep in res is not finished: 1 of 8 chunks missing" in line
    assert snapshot(tmp_path) == before


def test_analyse_refuses_to_overwrite_a_foreign_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _finished_sweep(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    before = snapshot(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["analyse", "res", "--out", "mine"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "mine holds files but is not an equipoise output" in line
    assert snapshot(tmp_path) == before


# ================================================================ large designs (issue 25)
def test_a_large_design_is_warned_about_before_it_starts() -> None:
    """Issue 25: a 100,000 x 100,000 sweep was accepted silently (an ETA of 5:22:45 the only
    clue): its size and a rough time are worked out from the spec before anything runs."""
    from equipoise.experiments.cost import is_large, sweep_cost

    huge = SweepSpec.from_toml(GRID.replace("replications = 6", "replications = 100000"))
    huge = huge.model_copy(update={"steps": 100_000})
    cost = sweep_cost(huge, cores=2)
    assert cost.replication_steps == 4 * 100_000 * 100_000
    assert cost.state_steps == cost.replication_steps * 7.5  # n_states 6 and 9
    assert is_large(cost) and cost.seconds > 20 * 3600
    assert not is_large(sweep_cost(SweepSpec.from_toml(GRID), cores=2))


def test_sweep_prints_its_header_first_and_warns_of_a_large_design(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from equipoise.experiments import cost

    monkeypatch.setattr(cost, "LARGE_SECONDS", 0.0)  # this tiny sweep counts as large
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tiny.toml").write_text(GRID, encoding="utf-8")
    run_sweep(SweepSpec.load(tmp_path / "tiny.toml"), SerialExecutor())  # then resumed: no work
    assert main(["sweep", "tiny.toml", "-q", "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("sweep tiny: 4 points (grid) x 6 replications x 20 steps")
    (warning,) = captured.err.strip().splitlines()
    assert warning.startswith("warning: a large sweep: 480 replication-steps (24 replications)")
    assert "on 1 core" in warning and "Ctrl-C stops the sweep" in warning
