"""Feedback while a command runs (issue 25): the compile notice, a bar that moves, no cut figure.

The first `equipoise compare` sat at 0 for 43 s while the kernel compiled, with no word of it;
at 200 replications each bar jumped from 0 to 100%; at 80 columns the calibrate bar read
``19320/200…`` and the counterfactual table ``[-0.0254, +0.0064…``.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from equipoise.cli import main


def _console(width: int = 80) -> Console:
    return Console(width=width, file=io.StringIO(), force_terminal=False, highlight=False)


def test_the_kernel_cache_is_known_to_be_empty_or_full(tmp_path: Path) -> None:
    """A fresh cache directory: the next run compiles; once run in a process, it does not."""
    code = "from equipoise.engine import kernel_needs_compiling\nprint(kernel_needs_compiling())\n"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "True"
    from equipoise import run
    from equipoise.engine import kernel_needs_compiling

    run("null", replications=1, steps=1, seed=1)
    assert kernel_needs_compiling() is False


def test_run_says_it_compiles_the_kernel_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("equipoise.engine.kernel_needs_compiling", lambda: True)
    assert main(["run", "null", "-r", "2", "-t", "2"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("Compiling the simulation kernel (once, about a minute; later runs")
    assert main(["run", "null", "-r", "2", "-t", "2", "-q", "--force"]) == 0
    assert capsys.readouterr().err == ""  # -q: nothing, not even the notice


def test_the_progress_bar_moves_in_small_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """200 replications (the default) move the bar about 25 times, not once."""
    from equipoise.cli.progress import UPDATES, progress_chunk

    assert progress_chunk(200, threads=2) == 8
    assert 200 / progress_chunk(200, threads=2) == UPDATES
    assert progress_chunk(3, threads=4) == 4  # at least one replication per thread
    import equipoise.engine

    calls: list[int] = []
    real = equipoise.engine.run

    def counting(*args: object, **kwargs: object) -> object:
        progress = kwargs["progress"]
        kwargs["progress"] = lambda work: (calls.append(work), progress(work))  # type: ignore[operator]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(equipoise.engine, "run", counting)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "null", "-r", "50", "-t", "3", "-q"]) == 0
    capsys.readouterr()
    assert len(calls) >= 13 and sum(calls) == 50 * 3


def test_a_progress_bar_at_80_columns_keeps_its_figures_whole() -> None:
    from equipoise.cli.calibrate import _progress
    from equipoise.cli.progress import progress_bar

    console = _console(80)
    bar = _progress(console, False, "info")
    bar.add_task("Calibrating", total=20000, completed=19320, info="gen 17 eps 0.0123 acc 0.12")
    console.print(bar.get_renderable())
    run = progress_bar(console, False, "replication-steps")
    run.add_task("bandwagoners", total=100000, completed=5000)
    run.add_task("threat-balancers", total=100000, completed=100000)
    console.print(run.get_renderable())
    assert isinstance(console.file, io.StringIO)
    lines = console.file.getvalue().splitlines()
    assert "…" not in "".join(lines), lines
    assert "19320/20000" in lines[0] and "gen 17 eps 0.0123 acc 0.12" in lines[0]
    assert "5000/100000 replication-steps" in lines[1]
    assert "100000/100000" in lines[2] and "threat-balancers" in lines[2]
    assert all(len(line) <= 80 for line in lines)
    narrow = _console(40)  # no room for a bar: the figures stay, the bar goes
    bar = progress_bar(narrow, False)
    bar.add_task("Simulating", total=1000, completed=10)
    narrow.print(bar.get_renderable())
    assert isinstance(narrow.file, io.StringIO)
    assert "10/1000" in narrow.file.getvalue() and "…" not in narrow.file.getvalue()


def test_the_counterfactual_tables_at_80_columns_cut_no_figure() -> None:
    from equipoise.cli.calibrate import summary_tables

    summary = pd.DataFrame(
        {
            "outcome": ["hegemony by the end", "largest war (share of world military)"],
            "baseline": [0.1234, 0.5],
            "intervention": [0.1111, 0.25],
            "difference": [-0.00954, 0.00645],
            "low": [-0.0254, -0.0111],
            "high": [0.00645, 0.0234],
        }
    )
    console = _console(80)
    for table in summary_tables(summary, "outcome", "Outcomes", 80):
        console.print(table)
    assert isinstance(console.file, io.StringIO)
    text = console.file.getvalue()
    assert "…" not in text
    assert "[-0.0254, +0.00645]" in text and "[-0.0111, +0.0234]" in text
    assert all(len(line) <= 80 for line in text.splitlines())
