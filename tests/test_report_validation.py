"""The report on a validation against history: its data (from the object and from the folder
``equipoise validate`` writes), the war-size panels with their fitted lines, the strip plots,
the HTML section and ``equipoise report VALIDATION_DIR`` (bad folders: exit 2, one line,
nothing written).

Browser rendering of the validation report is tested in tests/test_dashboard_browser.py.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection

import equipoise.report as report
from clikit import assert_refused
from equipoise.cli import main
from equipoise.report import data, figures
from equipoise.report.render import GENERATOR, render_validation_report
from equipoise.report.sections import validation_section, validation_sections
from equipoise.validate import (
    STATISTICS,
    Validation,
    validate_scenario,
    war_size_sample,
    war_size_slope,
)

SIZE_GIDS = {"ccdf", "slope", "tail", "xmin"}


@pytest.fixture(scope="module")
def validation() -> Validation:
    # The great powers of 1816 to 1914, 12 replications: 13 simulated wars pooled, enough
    # for both fits on both sides (history: 39 COW wars begun 1820-1914).
    return validate_scenario(replications=12, end=1914, seed=1)


@pytest.fixture(scope="module")
def folder(validation, tmp_path_factory) -> Path:
    return validation.to_files(tmp_path_factory.mktemp("validate") / "validate-1914")


@pytest.fixture(scope="module")
def few_wars() -> Validation:
    # 1816-1850: history has fewer than 10 wars begun 1820-1850, so no power-law tail.
    return validate_scenario(replications=2, end=1850, seed=1)


@pytest.fixture(scope="module")
def page(folder) -> str:
    return render_validation_report(folder)


# ------------------------------------------------------------------ data
def test_folder_and_object_give_the_same_data(validation, folder):
    a, b = data.validation_data(validation), data.validation_data(folder)
    assert data.is_validation_dir(folder)
    assert list(a.table.columns) == list(data.COMPARISON_COLUMNS)
    assert a.table["statistic"].tolist() == list(STATISTICS)
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=False, rtol=1e-14)
    pd.testing.assert_frame_equal(
        a.replications, b.replications, check_exact=False, rtol=1e-14, check_names=False
    )
    np.testing.assert_allclose(a.simulated_sizes, b.simulated_sizes, rtol=1e-14)
    np.testing.assert_array_equal(a.history_sizes, b.history_sizes)
    assert a.settings == b.settings and a.notes == b.notes == list(validation.notes)
    assert a.pooled == b.pooled and a.history == b.history
    assert a.verdicts() == {
        "inside": validation.inside,
        "outside": validation.outside,
        "undecided": validation.undecided,
    }
    assert data.validation_data(a) is a


def test_history_sizes_are_rebuilt_with_validates_function(validation):
    vd = data.validation_data(validation)
    np.testing.assert_array_equal(
        vd.history_sizes, war_size_sample(1816, 1914)["size"].to_numpy(np.float64)
    )
    assert war_size_slope(vd.history_sizes).as_dict() == vd.history["war_size_slope_fit"]
    np.testing.assert_array_equal(
        vd.simulated_sizes, validation.inputs.wars["size"].to_numpy(np.float64)
    )
    assert vd.simulated_sizes.size == validation.pooled["wars"] >= 10


def test_slope_and_tail_lines_follow_the_fits():
    sizes = np.array([2.0, 5.0, 40.0, 300.0])
    line = data.slope_line(sizes, {"slope": -0.4, "intercept": 0.3})
    np.testing.assert_allclose(line["size"], [2.0, 300.0])
    np.testing.assert_allclose(np.log10(line["ccdf"]), 0.3 - 0.4 * np.log10([2.0, 300.0]))
    tail = data.tail_line(sizes, {"alpha": 2.5, "xmin": 5.0, "n_tail": 3, "n": 4})
    np.testing.assert_allclose(tail["size"], [5.0, 300.0])
    np.testing.assert_allclose(tail["ccdf"], [0.75, 0.75 * (300 / 5) ** -1.5])
    for fit in ({}, {"slope": None, "intercept": 0.1}, {"slope": float("nan"), "intercept": 0}):
        assert data.slope_line(sizes, fit).empty
    assert data.tail_line(sizes, {"alpha": None, "xmin": None, "n_tail": 0, "n": 4}).empty
    assert data.slope_line(np.zeros(0), {"slope": -1.0, "intercept": 0.0}).empty


def test_the_tail_line_meets_the_points_at_x_min(validation):
    """At x_min the line is the share of wars in the tail, which the CCDF shows there."""
    for panel in data.validation_size_panels(data.validation_data(validation)):
        ccdf = panel.ccdf().set_index("size")["ccdf"]
        first = panel.tail_line().iloc[0]
        assert first["ccdf"] == pytest.approx(ccdf[first["size"]])


# ------------------------------------------------------------------ figures
def _lines(ax) -> dict[str, object]:
    return {str(line.get_gid()): line for line in ax.get_lines() if line.get_gid()}


def test_two_log_log_panels_with_both_fitted_lines(validation):
    vd = data.validation_data(validation)
    panels = data.validation_size_panels(vd)
    fig = figures.validation_sizes_figure(panels)
    assert len(fig.axes) == 2
    for ax, panel in zip(fig.axes, panels, strict=True):
        assert ax.get_xscale() == ax.get_yscale() == "log"
        lines = _lines(ax)
        assert set(lines) == {f"{panel.key}-{g}" for g in SIZE_GIDS}
        ccdf = data.war_size_ccdf(panel.sizes)
        np.testing.assert_allclose(lines[f"{panel.key}-ccdf"].get_xdata(), ccdf["size"])
        np.testing.assert_allclose(lines[f"{panel.key}-ccdf"].get_ydata(), ccdf["ccdf"])
        for kind, expected in (("slope", panel.slope_line()), ("tail", panel.tail_line())):
            line = lines[f"{panel.key}-{kind}"]
            np.testing.assert_allclose(line.get_xdata(), expected["size"])
            np.testing.assert_allclose(line.get_ydata(), expected["ccdf"])
        assert lines[f"{panel.key}-xmin"].get_xdata()[0] == panel.tail["xmin"]
    history, simulation = panels
    assert fig.axes[0].get_xlabel() == "battle deaths"
    assert fig.axes[1].get_xlabel() == "military destroyed / world military at onset"
    assert history.slope == vd.history["war_size_slope_fit"]
    assert history.tail == vd.history["war_size_tail_fit"]
    assert simulation.slope == validation.pooled["slope"]
    assert simulation.tail == validation.pooled["tail"]
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    alpha = vd.history["war_size_tail_fit"]["alpha"]
    assert any(f"α = {alpha:.3g}" in t for t in labels)
    slope = vd.history["war_size_slope_fit"]["slope"]
    assert any(f"OLS slope {slope:.3g}" in t for t in labels)


def test_a_panel_without_a_fit_says_so(few_wars):
    vd = data.validation_data(few_wars)
    assert vd.history["war_size_tail_fit"]["alpha"] is None  # fewer than 10 wars
    fig = figures.validation_sizes_figure(data.validation_size_panels(vd))
    history = fig.axes[0]
    assert set(_lines(history)) == {"history-ccdf", "history-slope"}
    assert any("no power-law fit" in t.get_text() for t in history.texts)


def test_a_panel_without_wars_is_empty():
    panel = data.SizePanel("simulation", "none", "x", np.zeros(0), {}, {})
    fig = figures.validation_sizes_figure([panel])
    assert not fig.axes[0].get_lines()
    assert [t.get_text() for t in fig.axes[0].texts] == ["no war"]


def test_strip_plots_show_every_replication_against_history(validation):
    vd = data.validation_data(validation)
    fig = figures.validation_strip_figure(vd.table, vd.replications, level=vd.level)
    used = [ax for ax in fig.axes if ax.axison]
    assert len(used) == len(STATISTICS)
    for ax, rec in zip(used, vd.table.to_dict("records"), strict=True):
        name = rec["statistic"]
        assert ax.get_title(loc="left") == name
        values = vd.replications[name].to_numpy(np.float64)
        values = values[np.isfinite(values)]
        dots = [c for c in ax.collections if isinstance(c, PathCollection)]
        if values.size:
            (scatter,) = dots
            assert scatter.get_gid() == f"{name}-replications"
            np.testing.assert_allclose(np.sort(scatter.get_offsets()[:, 0]), np.sort(values))
        else:
            assert not dots
        lines = _lines(ax)
        assert lines[f"{name}-history"].get_xdata()[0] == rec["history"]
        if np.isfinite(rec["sim_median"]):
            assert lines[f"{name}-median"].get_xdata()[0] == rec["sim_median"]
        verdict = (
            "no verdict" if pd.isna(rec["inside"]) else ("inside" if rec["inside"] else "outside")
        )
        assert ax.get_title(loc="right") == f"n = {rec['n_replications']}, {verdict}"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["replication", "simulated median", "simulated 90% interval", "history"]


# ------------------------------------------------------------------ page
class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, text):
        if self._cell is not None:
            self._cell.append(text)


def _section(page: str, key: str) -> str:
    start = page.index(f'<section id="{key}">')
    return page[start : page.index("</section>", start)]


def _images(html: str) -> list[str]:
    found = re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)"', html)
    return [base64.b64decode(b).decode("utf-8") for b in found]


def _close(shown: str, value: float) -> bool:
    if shown == "—":
        return bool(np.isnan(value))
    return float(shown) == pytest.approx(value, rel=5e-4, abs=0.0)


def test_table_rows_equal_comparison_csv(page, folder):
    parser = _Tables()
    parser.feed(_section(page, "validation"))
    header, *rows = parser.tables[0]
    assert header == [
        "",
        "history",
        "simulated median",
        "90% interval",
        "n",
        "inside",
        "what it measures",
    ]
    csv = pd.read_csv(folder / "comparison.csv")
    assert [r[0] for r in rows] == csv["statistic"].tolist() == list(STATISTICS)
    for row, rec in zip(rows, csv.to_dict("records"), strict=True):
        _, history, median, interval, n, inside, what = row
        assert _close(history, rec["history"]) and _close(median, rec["sim_median"])
        if interval == "—":
            assert np.isnan(rec["sim_low"]) and np.isnan(rec["sim_high"])
        else:
            low, high = interval.strip("[]").split(", ")
            assert _close(low, rec["sim_low"]) and _close(high, rec["sim_high"])
        assert int(n) == rec["n_replications"]
        expected = "—" if pd.isna(rec["inside"]) else ("yes" if rec["inside"] else "no")
        assert inside == expected
        assert what == rec["description"]


def test_page_shows_notes_settings_and_figures_and_fetches_nothing(page, folder):
    record = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page)  # nothing to fetch
    assert f'<meta name="generator" content="{GENERATOR}' in page
    section = _section(page, "validation")
    assert "<h2>Validation against history</h2>" in section

    for note in record["notes"]:
        assert f'<p class="wide">{html.escape(note)}</p>' in section
    parser = _Tables()
    parser.feed(section)
    settings = {r[0]: r[1] for r in parser.tables[-1][1:]}
    assert settings["comparison"] == "cohort"
    assert settings["cohort"] == "[200, 220, 255, 300, 365]"
    assert settings["start"] == "1816" and settings["end"] == "1914"
    assert settings["history window: war_size"] == "[1820, 1914]"
    assert settings["time"] == record["settings"]["time"]
    fits = {r[0]: r[1:] for r in parser.tables[1][1:]}
    assert list(fits) == [
        "history (battle deaths)",
        "simulation, pooled (share of world military)",
    ]
    images = _images(section)
    assert len(images) == 2  # the war-size panels and the strip plots
    sizes, strips = images
    for key in ("history", "simulation"):
        for gid in SIZE_GIDS:
            assert f'id="{key}-{gid}"' in sizes
    for name in STATISTICS:
        assert f'id="{name}-history"' in strips
    for svg in images:
        assert not re.search(r"""href=["'](?!data:|#)""", svg)
    assert "Two panels side by side, because the sizes are in different units" in section
    assert str(record["provenance"]["scenario_hash"]) in _section(page, "provenance")


def test_page_is_deterministic(folder, page):
    assert render_validation_report(folder) == page


def test_section_from_python_takes_the_object_or_the_folder(validation, folder):
    for source in (validation, folder, str(folder)):
        section = validation_section(source)
        assert section.key == "validation" and section.title == "Validation against history"
        assert sum(b.figure is not None for b in section.blocks) == 2
    assert report.validation_section is validation_section
    assert report.render_validation_report is render_validation_report
    assert [s.key for s in validation_sections(folder)] == ["validation", "provenance"]
    page = report.render_validation_report(validation)
    assert "equipoise validation: history-1816-major, 1816-1914" in page
    loaded = report.load_validation(folder)
    assert isinstance(loaded, data.ValidationData)


def test_bad_sources_are_refused(folder, tmp_path):
    with pytest.raises(ValueError, match="must be a Validation or the directory"):
        data.validation_data(42)
    with pytest.raises(FileNotFoundError, match=r"comparison\.csv is missing"):
        data.load_validation(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    record = json.loads((copy / "validation.json").read_text(encoding="utf-8"))
    record["history"]["counts"]["size_wars"] += 1
    (copy / "validation.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match="the built-in COW war data give 39 wars"):
        data.load_validation(copy)
    shutil.copy(folder / "validation.json", copy / "validation.json")
    wars = pd.read_csv(copy / "wars.csv")
    wars.iloc[1:].to_csv(copy / "wars.csv", index=False)
    with pytest.raises(ValueError, match="simulated wars, but the pooled fit was on"):
        data.load_validation(copy)


# ------------------------------------------------------------------ CLI
def test_cli_writes_the_validation_report(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(folder), "-o", "out/validation.html", "--parents"]) == 0
    assert "Report written to out/validation.html" in capsys.readouterr().out
    written = (tmp_path / "out" / "validation.html").read_text(encoding="utf-8")
    assert written == render_validation_report(folder)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["validation.html"]


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["report", "notes"], ["not an equipoise result directory: notes", "equipoise validate"]),
        (["report", "empty"], ["not an equipoise result directory: empty"]),
        (["report", "partial"], ["cannot report on the validation in partial", "wars.csv"]),
        (["report", "garbled"], ["cannot report on the validation in garbled", "cannot read"]),
        (["report", "val", "--history"], ["--history does not apply to a validation report"]),
        (["report", "val", "--replication", "1"], ["--replication does not apply"]),
        (["report", "val", "-o", "mine.html"], ["not an equipoise report"]),
    ],
)
def test_cli_refuses_bad_folders(argv, needles, folder, tmp_path, monkeypatch, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    shutil.copytree(folder, tmp_path / "partial")
    (tmp_path / "partial" / "wars.csv").unlink()
    shutil.copytree(folder, tmp_path / "garbled")
    (tmp_path / "garbled" / "validation.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "val").symlink_to(folder, target_is_directory=True)
    (tmp_path / "mine.html").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert_refused(argv, tmp_path, capsys, needles)
