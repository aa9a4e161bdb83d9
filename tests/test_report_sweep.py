"""The sweep report: figure data (values, not pixels), sections, the page and the CLI.

Every sweep here uses a cheap synthetic evaluation (the ``evaluate`` hook of
``sweep``) in which hegemony depends on alliance reliability alone: the report
is tested on the sweep machinery's real files (manifest, chunks, analysis)
without simulating, and its sensitivity indices exist without long runs. The
evaluation draws from the point and replication indices, not from the sweep's
seeds, so it does not depend on how the runner seeds the model.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer

from equipoise.cli import main
from equipoise.experiments import SerialExecutor, SweepSpec, sweep
from equipoise.experiments.chunks import ChunkTask
from equipoise.experiments.directory import CHUNKS
from equipoise.report import data, figures
from equipoise.report.render import GENERATOR, render_sweep_report
from equipoise.report.sections import points_table, sweep_sections

COST, DECISIVE, RELIABLE = (
    "soft_balancing.max_cost",
    "war.decisiveness",
    "alliances.alliance_reliability",
)


def synthetic(task: ChunkTask) -> pd.DataFrame:
    """Hegemony with probability ``alliance_reliability``; other outcomes fixed."""
    s = task.scenario
    reps = np.arange(task.start, task.stop)
    u = np.array([np.random.default_rng([task.point, int(r), 2026]).random() for r in reps])
    hit = u < s.alliances.alliance_reliability
    n = len(reps)
    return pd.DataFrame(
        {
            "point": np.full(n, task.point),
            "replication": reps,
            "hegemony_onset": np.where(hit, 10, -1),
            "hegemon": np.where(hit, 0, -1),
            "hegemony_steps": np.where(hit, task.steps - 10, 0),
            "survivors": np.full(n, round(2 + 3 * s.war.decisiveness)),
            "mean_concentration": np.full(n, 0.2 + s.soft_balancing.max_cost),
            "final_concentration": np.full(n, 0.2),
            "final_leader_share": np.where(hit, 0.6, 0.3),
            "wars": np.zeros(n, dtype=np.int64),
            "mean_arming": np.full(n, 0.05),
        }
    )


def _grid(out: Path, parameters: dict[str, object], replications: int = 4) -> Path:
    spec = SweepSpec.from_dict(
        {
            "name": "tiny",
            "scenario": "bandwagoners",
            "replications": replications,
            "steps": 120,
            "seed": 2,
            "output": str(out),
            "parameters": parameters,
        }
    )
    sweep(spec, SerialExecutor(), evaluate=synthetic)
    return out


def _synthetic(out: Path, design: str, **fields: object) -> Path:
    spec = SweepSpec.from_dict(
        {
            "name": f"synthetic-{design}",
            "scenario": "balancers",
            "design": design,
            "replications": 10,
            "steps": 50,
            "seed": 5,
            "output": str(out),
            "parameters": {
                RELIABLE: {"min": 0.0, "max": 1.0},
                DECISIVE: {"min": 1.0, "max": 4.0},
            },
            **fields,
        }
    )
    sweep(spec, SerialExecutor(), evaluate=synthetic)
    return out


@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _grid(tmp_path_factory.mktemp("one") / "sweep", {COST: [0.0, 0.05, 0.1]})


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _grid(
        tmp_path_factory.mktemp("two") / "sweep",
        {COST: [0.0, 0.05], DECISIVE: [1.0, 3.0], "war.enabled": True},
        replications=3,
    )


@pytest.fixture(scope="module")
def sobol(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("SALib")
    return _synthetic(tmp_path_factory.mktemp("sobol") / "sweep", "sobol", samples=16)


def _images(page: str) -> list[str]:
    return re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)"', page)


def _bars(ax) -> dict[str, BarContainer]:
    return {c.get_label(): c for c in ax.containers if isinstance(c, BarContainer)}


def _points(**columns: object) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame.insert(0, "point", np.arange(len(frame)))
    return frame


# ------------------------------------------------------------------ data
def test_rate_by_parameter_sorts_points_and_keeps_wilson_bounds():
    points = _points(
        a=[0.5, 0.1, 0.3],
        flag=[True, False, True],
        hegemony_rate=[0.5, 0.0, 1.0],
        hegemony_ci_low=[0.2, 0.0, 0.6],
        hegemony_ci_high=[0.8, 0.4, 1.0],
        replications=[4, 4, 4],
    )
    series = data.rate_by_parameter(points, {"a": "float", "flag": "bool"})
    a = series["a"]
    assert a["point"].tolist() == [1, 2, 0]
    np.testing.assert_allclose(a["x"], [0.1, 0.3, 0.5])
    np.testing.assert_allclose(a["rate"], [0.0, 1.0, 0.5])
    np.testing.assert_allclose(a["ci_high"], [0.4, 1.0, 0.8])
    assert a.attrs["levels"] is None
    flag = series["flag"]
    assert flag.attrs["levels"] == ["False", "True"]
    np.testing.assert_allclose(flag["x"], [0, 1, 1])
    assert flag["point"].tolist() == [1, 0, 2]


def test_rate_grid_pools_replications_per_cell():
    points = _points(
        x=[1, 1, 2, 2, 2],
        y=["a", "b", "a", "b", "b"],
        hegemonies=[1, 0, 3, 2, 0],
        replications=[4, 4, 4, 4, 4],
    )
    grid = data.rate_grid(points, "x", "y")
    assert grid.index.tolist() == ["a", "b"] and grid.columns.tolist() == [1, 2]
    np.testing.assert_allclose(grid.to_numpy(), [[0.25, 0.75], [0.0, 0.25]])


def test_sensitivity_bars_long_form_skips_missing_indices():
    sobol = pd.DataFrame(
        {
            "outcome": ["hegemony_rate", "hegemony_rate", "survivors", "survivors"],
            "parameter": ["p", "q", "p", "q"],
            "S1": [0.7, 0.1, np.nan, np.nan],
            "S1_conf": [0.05, 0.02, np.nan, np.nan],
            "ST": [0.8, 0.15, np.nan, np.nan],
            "ST_conf": [0.06, 0.03, np.nan, np.nan],
        }
    )
    bars = data.sensitivity_bars(sobol)
    assert bars["index"].tolist() == ["S1", "ST", "S1", "ST"]
    assert set(bars["outcome"]) == {"hegemony_rate"}
    np.testing.assert_allclose(bars["value"], [0.7, 0.8, 0.1, 0.15])
    np.testing.assert_allclose(bars["conf"], [0.05, 0.06, 0.02, 0.03])
    morris = pd.DataFrame(
        {
            "outcome": ["survivors"],
            "parameter": ["p"],
            "mu_star": [2.0],
            "mu_star_conf": [0.5],
            "mu": [2.0],
            "sigma": [0.1],
        }
    )
    assert data.sensitivity_bars(morris)[["index", "value", "conf"]].values.tolist() == [
        ["mu*", 2.0, 0.5]
    ]
    assert data.sensitivity_bars(None).empty


def test_is_sweep_dir(one, tmp_path):
    assert data.is_sweep_dir(one)
    assert not data.is_sweep_dir(tmp_path)


# --------------------------------------------------------------- figures
def test_sweep_rate_figure_draws_each_point_with_its_interval():
    points = _points(
        a=[0.0, 0.5, 1.0],
        hegemony_rate=[0.1, 0.5, 0.9],
        hegemony_ci_low=[0.0, 0.2, 0.6],
        hegemony_ci_high=[0.4, 0.8, 1.0],
        replications=[5, 5, 5],
    )
    fig = figures.sweep_rate_figure(data.rate_by_parameter(points, {"a": "float"}))
    (ax,) = fig.axes
    line = ax.lines[0]  # the data line; caps follow
    np.testing.assert_allclose(line.get_xdata(), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(line.get_ydata(), [0.1, 0.5, 0.9])
    segments = ax.collections[0].get_segments()  # the error bars
    np.testing.assert_allclose([s[:, 1] for s in segments], [[0.0, 0.4], [0.2, 0.8], [0.6, 1.0]])
    assert ax.get_xlabel() == "a"


def test_sweep_rate_figure_small_multiples_and_levels():
    points = _points(
        a=[0.0, 0.0, 1.0, 1.0],
        b=[True, False, True, False],
        c=["x", "y", "y", "x"],
        hegemony_rate=[0.1, 0.2, 0.3, 0.4],
        hegemony_ci_low=[0.0] * 4,
        hegemony_ci_high=[1.0] * 4,
        replications=[3] * 4,
    )
    series = data.rate_by_parameter(points, {"a": "float", "b": "bool", "c": "str"})
    fig = figures.sweep_rate_figure(series)
    drawn = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_xlabel() for ax in drawn] == ["a", "b", "c"]
    assert [t.get_text() for t in drawn[1].get_xticklabels()] == ["False", "True"]
    assert [t.get_text() for t in drawn[2].get_xticklabels()] == ["x", "y"]
    # points sharing a value sit side by side, rates in sorted-point order
    xs = drawn[0].lines[0].get_xdata()
    assert xs[0] < xs[1] < 0.5 < xs[2] < xs[3]
    np.testing.assert_allclose(drawn[0].lines[0].get_ydata(), [0.1, 0.2, 0.3, 0.4])


def test_rate_map_figure_shows_the_grid():
    grid = pd.DataFrame(
        [[0.0, 0.5], [0.25, np.nan]],
        index=pd.Index([1.0, 3.0], name="y"),
        columns=pd.Index([0.0, 0.05], name="x"),
    )
    fig = figures.rate_map_figure(grid)
    ax = fig.axes[0]
    (image,) = ax.images
    shown = image.get_array()
    np.testing.assert_allclose(shown.filled(np.nan), grid.to_numpy())
    assert shown.mask[1, 1]
    assert [t.get_text() for t in ax.texts] == ["0.00", "0.50", "0.25"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.05"]


def test_sensitivity_figure_bars_and_intervals():
    bars = pd.DataFrame(
        {
            "outcome": ["hegemony_rate"] * 4,
            "parameter": ["p", "p", "q", "q"],
            "index": ["S1", "ST", "S1", "ST"],
            "value": [0.7, 0.8, 0.1, 0.15],
            "conf": [0.05, 0.06, 0.02, 0.03],
        }
    )
    fig = figures.sensitivity_figure(bars)
    (ax,) = fig.axes
    widths = {k: [p.get_width() for p in c.patches] for k, c in _bars(ax).items()}
    assert widths == {"S1": pytest.approx([0.7, 0.1]), "ST": pytest.approx([0.8, 0.15])}
    for c in _bars(ax).values():
        (err,) = c.errorbar.lines[2]
        half = [s[1, 0] - s[0, 0] for s in err.get_segments()]
        want = [0.1, 0.04] if c.get_label() == "S1" else [0.12, 0.06]
        np.testing.assert_allclose(half, want)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["p", "q"]
    empty = figures.sensitivity_figure(data.sensitivity_bars(None))
    assert "no sensitivity index" in empty.axes[0].texts[0].get_text()


# ------------------------------------------------------------ the report
def _check_page(page: str) -> None:
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page)  # nothing to fetch
    assert not re.search(r"https?://", page.replace("http://www.w3.org", ""))
    assert f'<meta name="generator" content="{GENERATOR}' in page


def test_sweep_report_one_parameter(one):
    sweep_data = data.load_sweep(one)
    keys = [s.key for s in sweep_sections(sweep_data)]
    assert keys == ["summary", "rate", "sensitivity", "discovery", "points", "provenance"]
    page = render_sweep_report(sweep_data)
    assert page == render_sweep_report(data.load_sweep(one))  # deterministic
    _check_page(page)
    assert "equipoise sweep report: tiny" in page
    assert len(_images(page)) == 1  # rate vs the sanctions' cost; a grid has no indices
    assert "a grid design does not provide them" in page
    assert "Scenario discovery (PRIM box)" in page and "density" in page
    assert sweep_data.manifest["spec_hash"] in page
    assert sweep_data.manifest["numpy_version"] in page
    assert "[scenario.war]" in page and "seed = 2\n" in page  # the spec TOML
    table = points_table(sweep_data.analysis.points, [COST])
    assert table[COST].tolist() == ["0", "0.05", "0.1"]
    assert (table["replications"] == "4").all()


def test_sweep_report_names_the_base_scenario(one):
    """The heading and the summary name the base scenario, not its whole table as a dict.

    A finished sweep keeps its base scenario inline in sweep.toml, so the reloaded spec's
    ``scenario`` is a dict; the report must still print ``bandwagoners``.
    """
    sweep_data = data.load_sweep(one)
    assert isinstance(sweep_data.analysis.spec.scenario, dict)
    page = render_sweep_report(sweep_data)
    assert "steps of scenario bandwagoners, seed 2." in page
    summary = next(s for s in sweep_sections(sweep_data) if s.key == "summary")
    assert summary.blocks[0].text.startswith("Sweep tiny of scenario bandwagoners: a grid design")
    assert "{&#x27;name&#x27;" not in page and "{'name'" not in page
    assert "of scenario {" not in page


def test_sweep_report_two_parameters_heat_map(two):
    sweep_data = data.load_sweep(two)
    rate = next(s for s in sweep_sections(sweep_data) if s.key == "rate")
    assert len(rate.blocks) == 2
    (image,) = rate.blocks[0].figure.axes[0].images
    points = sweep_data.analysis.points
    want = data.rate_grid(points, COST, DECISIVE).to_numpy()
    np.testing.assert_allclose(np.asarray(image.get_array()), want)
    page = render_sweep_report(sweep_data)
    _check_page(page)
    assert len(_images(page)) == 2
    assert "war.enabled" not in points_table(points, list(sweep_data.analysis.spec.factors))


def test_sweep_report_sobol_indices(sobol):
    sweep_data = data.load_sweep(sobol)
    sens = next(s for s in sweep_sections(sweep_data) if s.key == "sensitivity")
    fig = sens.blocks[0].figure
    assert fig is not None
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.axison]
    assert "hegemony rate" in titles
    ax = fig.axes[titles.index("hegemony rate")]
    widths = {k: [p.get_width() for p in c.patches] for k, c in _bars(ax).items()}
    table = sweep_data.analysis.sensitivity
    rows = table[table["outcome"] == "hegemony_rate"]
    np.testing.assert_allclose(widths["S1"], rows["S1"])
    np.testing.assert_allclose(widths["ST"], rows["ST"])
    assert widths["ST"][0] > widths["ST"][1]  # reliability drives hegemony
    page = render_sweep_report(sweep_data)
    _check_page(page)
    assert "Sobol&#x27; first-order (S1)" in page or "Sobol' first-order (S1)" in page
    # rate vs each parameter (too sparse for a heat map), and the indices
    assert len(_images(page)) == 2
    rate = next(s for s in sweep_sections(sweep_data) if s.key == "rate")
    (block,) = rate.blocks
    assert [a.get_xlabel() for a in block.figure.axes if a.axison] == [RELIABLE, DECISIVE]
    assert not any(a.images for a in block.figure.axes)


def test_sweep_report_morris(tmp_path):
    pytest.importorskip("SALib")
    out = _synthetic(tmp_path / "sweep", "morris", samples=6, morris_levels=4)
    sweep_data = data.load_sweep(out)
    page = render_sweep_report(sweep_data)
    _check_page(page)
    assert "Morris mu*" in page
    bars = data.sensitivity_bars(sweep_data.analysis.sensitivity)
    assert set(bars["index"]) == {"mu*"}


# ------------------------------------------------------------------- CLI
def test_cli_sweep_report(one, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(one), "-o", "out/report.html", "--parents"]) == 0
    assert "Report written to out/report.html" in capsys.readouterr().out
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    _check_page(page)
    assert "equipoise sweep report: tiny" in page
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]
    assert main(["report", str(one), "-o", "out/report.html"]) == 0  # replaces its own report


def _incomplete(source: Path, tmp_path: Path) -> Path:
    broken = tmp_path / "incomplete"
    shutil.copytree(source, broken)
    next((broken / CHUNKS).iterdir()).unlink()
    return broken


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("chunk", "is not finished"),
        ("toml", "does not match the manifest"),
        ("manifest", "unreadable manifest"),
    ],
)
def test_cli_sweep_report_bad_input_one_line_exit_2(
    damage, message, one, tmp_path, monkeypatch, capsys
):
    broken = _incomplete(one, tmp_path)
    if damage != "chunk":
        shutil.rmtree(broken)
        shutil.copytree(one, broken)
        if damage == "toml":
            toml = broken / "sweep.toml"
            toml.write_text(
                toml.read_text(encoding="utf-8").replace("\nseed = 2\n", "\nseed = 3\n")
            )
        else:
            (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(broken), "-o", "report.html"]) == 2
    err = capsys.readouterr().err
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "cannot report on the sweep in" in lines[0] and message in lines[0]
    after = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert after == before
    assert not (tmp_path / "report.html").exists()


def test_sweep_manifest_name_matches_the_runner():
    from equipoise.cli.report import SWEEP_MANIFEST
    from equipoise.experiments.directory import MANIFEST

    assert SWEEP_MANIFEST == MANIFEST == data.SWEEP_MANIFEST
