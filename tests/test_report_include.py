"""Reports that include calibrations, counterfactuals and validations (``--include``).

``equipoise report RESULTS_DIR --include DIR ...`` (and ``--history``) appends the sections
each included output's own report shows, in the order given, titled with its directory;
bad input is one line, exit code 2, nothing written; reading a calibration needs no pyabc,
and a report that includes none needs no module of the calibration package. The
calibration is the session's tiny one (tests/conftest.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from clikit import assert_refused
from equipoise import run
from equipoise.calibrate.counterfactual import counterfactual
from equipoise.cli import main
from equipoise.report.render import render_html, render_report
from equipoise.report.sections import (
    Block,
    Section,
    counterfactual_sections,
    find_outputs,
    included_sections,
    output_kind,
    output_sections,
)
from equipoise.validate import validate_scenario


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, tiny_calibration) -> dict[str, Path]:
    """A run, a counterfactual, a validation and the tiny calibration, side by side."""
    root = tmp_path_factory.mktemp("outputs")
    run("balancers", replications=2, steps=20, seed=1).to_parquet(root / "run")
    counterfactual(1871, "war.enabled=false", replications=12, steps=10, seed=2).to_files(
        root / "cf-1871"
    )
    validate_scenario(replications=2, end=1850, seed=1).to_files(root / "validate-1850")
    return {
        "run": root / "run",
        "cf": root / "cf-1871",
        "validation": root / "validate-1850",
        "calibration": tiny_calibration,
    }


def _titles(page: str) -> list[str]:
    return re.findall(r"<h2>([^<]*)</h2>", page)


def _anchors(page: str) -> list[str]:
    return re.findall(r'<section id="([^"]*)">', page)


# ------------------------------------------------------------------ sections
def test_output_kind_and_sections_of_each_kind(outputs):
    assert output_kind(outputs["calibration"]) == "calibration"
    assert output_kind(outputs["cf"]) == "counterfactual"
    assert output_kind(outputs["validation"]) == "validation"
    assert output_kind(outputs["run"]) is None
    assert output_kind(outputs["run"] / "nowhere") is None
    assert [s.title for s in output_sections(outputs["validation"])] == [
        "Validation against history",
        "Provenance",
    ]


def test_included_sections_are_titled_with_their_directory_in_order(outputs):
    sections = included_sections(outputs["cf"], outputs["calibration"])
    assert [s.title for s in sections] == [
        "Counterfactual (cf-1871)",
        "Posterior (cal-1845)",
        "Posterior predictive check (cal-1845)",
        "ABC-SMC (cal-1845)",
    ]
    # the blocks are those of the output's own report
    own = counterfactual_sections(outputs["cf"])[0]
    assert [b.caption for b in sections[0].blocks] == [b.caption for b in own.blocks]
    table = sections[1].blocks[0].table  # the posterior's, as calibration_sections makes it
    assert table is not None and list(table.columns)[:2] == ["prior", "median"]


def test_counterfactual_sections_from_the_object_equal_those_from_its_directory(tmp_path):
    cf = counterfactual(1871, "no-sanctions", replications=10, steps=8, seed=5)
    (a,), (b,) = counterfactual_sections(cf), counterfactual_sections(cf.to_files(tmp_path / "c"))
    assert [x.caption for x in a.blocks] == [x.caption for x in b.blocks]
    for x, y in zip(a.blocks, b.blocks, strict=True):
        if x.table is not None:
            pd.testing.assert_frame_equal(x.table, y.table, check_dtype=False)


@pytest.mark.parametrize(
    ("name", "needle"),
    [("nowhere", "no such directory"), ("run", "is not the output of `equipoise calibrate`")],
)
def test_output_sections_refuse_what_is_not_an_output(outputs, name, needle):
    with pytest.raises(ValueError, match=needle) as info:
        output_sections(outputs["run"].parent / name)
    assert "\n" not in str(info.value)


def test_repeated_anchors_get_a_suffix():
    page = render_html("t", "s", [Section("a", "A"), Section("b", "B"), Section("a", "A2")])
    assert _anchors(page) == ["a", "b", "a-2"]
    assert '<a href="#a-2">A2</a>' in page


def test_find_outputs_lists_them_breadth_first(outputs, tmp_path):
    root = outputs["run"].parent
    assert find_outputs(root) == [outputs["cf"], outputs["validation"]]  # not the run
    (tmp_path / "equipoise-results").mkdir()
    (tmp_path / "equipoise-results" / "cf").symlink_to(outputs["cf"])  # links are skipped
    (tmp_path / ".hidden").symlink_to(root)
    (tmp_path / "deep" / "er" / "still").mkdir(parents=True)
    assert find_outputs(tmp_path) == []
    (tmp_path / "a").symlink_to(root)
    assert find_outputs(tmp_path) == []
    nested = tmp_path / "deep" / "cf-copy"
    counterfactual(1871, "none", replications=2, steps=2, seed=1).to_files(nested)
    assert find_outputs(tmp_path) == [nested]
    assert find_outputs(tmp_path, depth=1) == []


# ---------------------------------------------------------------------- pages
def test_render_report_appends_included_sections_in_order(outputs):
    from equipoise.results import Result

    result = Result.from_parquet(outputs["run"])
    extra = Section("mine", "Mine", [Block(text="my own section")])
    page = render_report([result], samples=1, include=[outputs["cf"], extra, outputs["validation"]])
    titles = _titles(page)
    own = titles.index("Provenance")
    assert titles[own + 1 :] == [
        "Counterfactual (cf-1871)",
        "Mine",
        "Validation against history (validate-1850)",
        "Provenance (validate-1850)",
    ]
    assert _anchors(page)[-1] == "provenance-2"  # the validation's, after the run's
    assert "war.enabled=false" in page and "my own section" in page


def test_cli_report_with_includes_needs_no_pyabc(outputs, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyabc", None)  # `import pyabc` now fails
    out = tmp_path / "r.html"
    argv = ["report", str(outputs["run"]), "--samples", "1", "-o", str(out)]
    argv += ["--include", str(outputs["calibration"]), "--include", str(outputs["cf"])]
    assert main(argv) == 0
    assert "Report written to" in capsys.readouterr().out
    titles = _titles(out.read_text(encoding="utf-8"))
    assert titles[0] == "Summary"
    assert titles[-4:] == [
        "Posterior (cal-1845)",
        "Posterior predictive check (cal-1845)",
        "ABC-SMC (cal-1845)",
        "Counterfactual (cf-1871)",
    ]


def test_cli_history_report_with_an_include(outputs, tmp_path, capsys):
    out = tmp_path / "h.html"
    argv = ["report", "--history", "--from", "1900", "--to", "1910", "-o", str(out)]
    assert main([*argv, "--include", str(outputs["cf"])]) == 0
    page = out.read_text(encoding="utf-8")
    assert "equipoise history report: 1900-1910" in page
    assert _titles(page)[-1] == "Counterfactual (cf-1871)"
    capsys.readouterr()


def test_an_unfinished_calibration_is_refused(tmp_path, outputs, monkeypatch, capsys):
    cal = tmp_path / "cal"
    cal.mkdir()
    for name in ("calibration.json", "scenario.toml"):
        (cal / name).write_bytes((outputs["calibration"] / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run").symlink_to(outputs["run"], target_is_directory=True)
    argv = ["report", "run", "--include", "cal", "-o", "r.html"]
    assert_refused(argv, tmp_path, capsys, ["--include", "unfinished calibration"])


BAD = [
    (["run", "--include", "nowhere"], ["--include: no such directory: nowhere"]),
    (["run", "--include", "run"], ["--include: run is not the output of", "`equipoise validate`"]),
    (["run", "--include", "cf", "--include", "empty"], ["--include: empty is not the output"]),
    (["cf", "--include", "cf"], ["--include goes with the results of `equipoise run`"]),
    (["validation", "--include", "cf"], ["--include goes with the results"]),
    (["--include", "cf"], ["give a RESULTS_DIR, or --history"]),
]


@pytest.mark.parametrize(("args", "needles"), BAD)
def test_cli_bad_include_one_line_exit_2_nothing_written(
    args, needles, outputs, tmp_path, monkeypatch, capsys
):
    for name in ("run", "cf", "validation"):
        (tmp_path / name).symlink_to(outputs[name], target_is_directory=True)
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    assert_refused(["report", *args, "-o", "r.html"], tmp_path, capsys, needles)


def test_a_plain_report_imports_no_calibration_code(outputs, tmp_path, monkeypatch, capsys):
    # every module of the calibrate package (and pyabc) made unimportable for the test
    for name in [*sys.modules, "equipoise.calibrate", "pyabc"]:
        if name.split(".")[0] == "pyabc" or name.startswith("equipoise.calibrate"):
            monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "r.html"
    assert main(["report", str(outputs["run"]), "--samples", "1", "-o", str(out)]) == 0
    assert "<h2>Provenance</h2>" in out.read_text(encoding="utf-8")
    capsys.readouterr()
