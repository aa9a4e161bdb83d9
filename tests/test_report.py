"""The HTML report: plot data (values, not pixels), figures' artists, the page and the CLI.

Browser rendering of the report is tested in tests/test_dashboard_browser.py.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection

from equipoise import Scenario, run
from equipoise.cli import main
from equipoise.report import data, figures
from equipoise.report.render import GENERATOR, is_report, render_report, write_report
from equipoise.report.sections import history_table, network_years, simulation_sections
from equipoise.results import SYSTEM_MEASURES, Result

STEPS = 500


FIXTURE = Scenario.load("bandwagoners").replace(growth={"convergence_rate": 0.005})
FIXTURE_SEED = 5


@pytest.fixture(scope="module")
def result() -> Result:
    # With slow catch-up, 1 of 16 replications reaches hegemony with this seed (7): both
    # kinds of sample exist, a camp of bandwagoners forms in replication 0 and some wars are
    # still on at the end.
    return run(FIXTURE, replications=16, steps=STEPS, seed=FIXTURE_SEED)


@pytest.fixture(scope="module")
def tmap(result) -> data.TerritoryMap:
    return data.territory_map(result, 0)


@pytest.fixture(scope="module")
def saved(result, tmp_path_factory) -> Path:
    return result.to_parquet(tmp_path_factory.mktemp("res") / "bandwagoners")


# ------------------------------------------------------------------ data
def test_sample_replications_alternates_hegemony_and_not():
    onset = np.array([-1, -1, 40, -1, 7, 9])
    labels = np.arange(10, 16)
    assert data.sample_replications(onset, labels, 4) == [12, 10, 14, 11]
    assert data.sample_replications(onset, labels, 10) == [12, 10, 14, 11, 15, 13]
    assert data.sample_replications(np.array([-1, -1]), np.array([3, 4]), 3) == [3, 4]


def test_share_stack_puts_hegemon_first_and_groups_the_rest():
    share = np.array([[0.1, 0.5, 0.2, 0.1, 0.1], [0.2, 0.4, 0.2, 0.1, 0.1]])
    labels, layers = data.share_stack(share, list("ABCDE"), first=3, max_layers=3)
    assert labels == ["D", "B", "others"]
    np.testing.assert_allclose(layers[0], share[:, 3])
    np.testing.assert_allclose(layers[1], share[:, 1])
    np.testing.assert_allclose(layers.sum(axis=0), share.sum(axis=1))
    labels, layers = data.share_stack(share, list("ABCDE"))
    assert labels == ["B", "C", "A", "D", "E"]
    assert layers.shape == (5, 2)


def test_share_stack_rejects_mismatched_names():
    with pytest.raises(ValueError, match="shape"):
        data.share_stack(np.zeros((3, 2)), ["A"])


def test_hegemony_timing_ends_at_the_rate_with_wilson_bounds(result):
    onset = result.dataset["hegemony_onset"].values
    assert 0 < (onset >= 0).sum() < onset.size  # the fixture has both kinds
    t = data.hegemony_timing(onset, STEPS)
    assert list(t.index) == list(range(STEPS + 1))
    assert t["onsets"].sum() == (onset >= 0).sum()
    s = result.summary().iloc[0]
    assert t["cumulative"].iloc[-1] == pytest.approx(s["hegemony_rate"])
    assert t["ci_low"].iloc[-1] == pytest.approx(s["hegemony_ci_low"])
    assert t["ci_high"].iloc[-1] == pytest.approx(s["hegemony_ci_high"])
    assert (np.diff(t["cumulative"]) >= 0).all()
    assert ((t["ci_low"] <= t["cumulative"]) & (t["cumulative"] <= t["ci_high"])).all()


def test_quantile_bands_match_numpy_and_ignore_nan():
    v = np.array([[1.0, np.nan], [2.0, 4.0], [3.0, 6.0], [10.0, np.nan]])
    b = data.quantile_bands(v)
    assert list(b.columns) == ["q05", "q25", "q50", "q75", "q95", "mean"]
    assert b.loc[0, "q50"] == pytest.approx(2.5)
    assert b.loc[1, "q50"] == pytest.approx(5.0)
    assert b.loc[0, "mean"] == pytest.approx(4.0)
    assert b.loc[0, "q05"] == pytest.approx(np.quantile([1, 2, 3, 10], 0.05))
    all_nan = data.quantile_bands(np.full((2, 3), np.nan))
    assert all_nan.isna().all().all()


def test_war_size_ccdf_is_the_survival_function():
    sizes = np.array([3.0, 1.0, 2.0, 2.0, -1.0, np.inf, 0.0])
    c = data.war_size_ccdf(sizes)
    assert c["size"].tolist() == [1.0, 2.0, 3.0]
    assert c["ccdf"].tolist() == [1.0, 0.75, 0.25]
    assert data.war_size_ccdf(np.array([0.0])).empty


def test_war_sizes_shown_are_relative_sizes_of_finished_wars(result):
    from equipoise.report.sections.simulation import war_ccdfs

    wars = result.wars
    assert (wars["ongoing"] == 1).any() and (wars["ongoing"] == 0).any()
    (shown,) = war_ccdfs([result]).values()
    finished = wars.loc[wars["ongoing"] == 0, "relative_size"].to_numpy()
    pd.testing.assert_frame_equal(shown, data.war_size_ccdf(finished))
    np.testing.assert_allclose(
        wars["relative_size"], wars["size"] / wars["world_military"], rtol=1e-12
    )


def test_hegemony_rates_come_from_the_summaries(result):
    rates = data.hegemony_rates([result])
    assert rates.loc["bandwagoners", "hegemony_rate"] == pytest.approx(
        result.summary().loc["bandwagoners", "hegemony_rate"]
    )


# ---------------------------------------------------------------- replays
def test_replay_is_bit_identical_and_records_the_map(result):
    again = data.replay(result, 3)
    assert again.reproduced and again.differing == ()
    ds, rep = again.result.dataset, result.dataset.sel(replication=3)
    assert ds["replication"].values.tolist() == [3]
    for name in (*SYSTEM_MEASURES, "share", "provinces", "bloc"):
        np.testing.assert_array_equal(ds[name].values[0], rep[name].values, err_msg=name)
    assert ds["owner"].shape == (1, STEPS + 1, 25 * 25)


def test_replay_of_a_partial_run_uses_the_replication_index():
    part = run(Scenario.load("bandwagoners"), replications=range(5, 8), steps=60, seed=11)
    again = data.replay(part, 6, record_map=False)
    assert again.reproduced
    assert "owner" not in again.result.dataset


def test_replay_flags_a_result_that_does_not_match(result):
    ds = result.dataset.copy(deep=True)
    ds["leader_share"][:] = 0.0  # as if the recorded measures came from another run
    again = data.replay(Result(ds), 1, record_map=False)
    assert not again.reproduced
    assert again.differing == ("leader_share",)
    assert data.territory_map(Result(ds), 1).source == "replay differs"


def test_replay_rejects_unknown_replications(result):
    with pytest.raises(ValueError, match="replication 99 is not in this result"):
        data.replay(result, 99)
    with pytest.raises(ValueError, match="replication 16"):
        data.territory_map(result, 16)


# ------------------------------------------------------------------- maps
def test_territory_map_matches_what_the_result_recorded(result, tmap):
    rec = result.dataset.sel(replication=0)
    assert tmap.source == "replayed"
    assert (
        (tmap.width, tmap.height) == (25, 25) == (rec.attrs["map_width"], rec.attrs["map_height"])
    )
    assert tmap.owner.shape == (STEPS + 1, 625) and tmap.steps == STEPS
    assert tmap.grid(0).shape == (25, 25)
    assert tmap.grid(3)[2, 7] == tmap.owner[3, 2 * 25 + 7]  # row p // width, column p % width
    held = np.stack([tmap.provinces(t) for t in range(STEPS + 1)])
    np.testing.assert_array_equal(held, rec["provinces"].values)  # every state, every step
    alive = np.stack([tmap.alive(t) for t in range(STEPS + 1)])
    np.testing.assert_array_equal(alive.sum(axis=1), rec["survivors"].values)
    assert (tmap.owner >= 0).all()  # every province is owned on a lattice of land
    assert tmap.names == [str(n) for n in result.dataset["state"].values]


def test_capitals_are_held_until_death_and_their_fall_kills_the_state(tmap):
    caps = tmap.capitals
    assert caps is not None and np.unique(caps).size == len(tmap.names)
    alive = np.stack([tmap.alive(t) for t in range(STEPS + 1)])  # (T + 1, N)
    holds = tmap.owner[:, caps] == np.arange(len(tmap.names))  # each state holds its capital
    np.testing.assert_array_equal(holds, alive)
    assert not alive[-1].all() and alive[-1].any()  # some died, some lived


def test_recorded_map_is_used_as_it_is_and_equals_the_replay(tmap):
    recorded = run(
        FIXTURE, replications=range(0, 2), steps=STEPS, seed=FIXTURE_SEED, record_map=True
    )
    again = data.territory_map(recorded, 0)
    assert again.source == "recorded"
    np.testing.assert_array_equal(again.owner, tmap.owner)
    np.testing.assert_array_equal(again.capitals, tmap.capitals)


def test_capitals_of_given_states_come_from_their_map():
    s = Scenario.from_toml(
        """
name = "three"
[[states]]
name = "A"
economy = 3.0
military = 1.0
x = 0.0
y = 0.0
[[states]]
name = "B"
economy = 1.0
military = 1.0
x = 10.0
y = 0.0
[[states]]
name = "C"
economy = 1.0
military = 1.0
x = 5.0
y = 8.0
"""
    )
    r = run(s, replications=2, steps=5, seed=1)
    tmap = data.territory_map(r, 1)
    assert tmap.capitals is not None
    np.testing.assert_array_equal(tmap.owner[0, tmap.capitals], [0, 1, 2])
    np.testing.assert_array_equal(tmap.capitals, data.state_capitals(s, 1, 0))  # same every rep
    assert tmap.provinces(0)[0] > tmap.provinces(0)[1]  # provinces in proportion to capability


def test_map_steps_are_evenly_spaced_and_end_at_the_last():
    assert data.map_steps(500) == [0, 100, 200, 300, 400, 500]
    assert data.map_steps(7, k=3) == [0, 4, 7]
    assert data.map_steps(2) == [0, 1, 2]


def test_neighbouring_states_get_clearly_different_colours(tmap):
    from equipoise.report.data.maps import _lab

    steps = data.map_steps(STEPS)
    borders = data.neighbours(tmap, steps)
    g = tmap.grid(0)
    a, b = int(g[0, 0]), int(g[0, 1])
    assert a == b or (min(a, b), max(a, b)) in borders
    colors = data.state_colors(len(tmap.names), borders)
    assert colors.shape == (50, 3) and ((0 <= colors) & (colors <= 1)).all()
    assert len({tuple(c) for c in colors.round(6)}) == 50  # one colour per state
    lab = _lab(colors)
    gaps = [np.linalg.norm(lab[i] - lab[j]) for i, j in borders]
    assert min(gaps) > 12  # neighbours are told apart (CIE76; ~2.3 is just noticeable)
    np.testing.assert_array_equal(colors, data.state_colors(50, borders))  # deterministic


def test_map_image_colours_each_province_by_its_owner():
    colors = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    img = data.map_image(np.array([[0, 1], [-1, 0]]), colors)
    np.testing.assert_array_equal(img[0, 1], [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(img[1, 0], [1.0, 1.0, 1.0])  # nobody's: white


# --------------------------------------------------------------- alliances
def test_network_steps_first_most_and_last():
    assert data.network_steps(np.array([0, 2, 7, 7, 1])) == [1, 2, 4]
    assert data.network_steps(np.array([0, 0, 5, 5, 5, 5, 5, 5, 5]), k=4) == [2, 4, 6, 8]
    assert data.network_steps(np.zeros(5, dtype=int)) == []


def test_alliance_graph_is_the_recorded_blocs(result):
    rep = 0
    alliances = result.dataset["alliances"].sel(replication=rep).values
    steps = data.network_steps(alliances)
    assert steps and alliances[steps[1]] == alliances.max() > 0
    for step in steps:
        snap = data.snapshot(result, rep, step)
        rec = result.dataset.sel(replication=rep, step=step)
        g = data.alliance_graph(snap)
        assert g.number_of_nodes() == int(rec["survivors"])
        assert g.number_of_edges() == int(rec["alliances"])  # one edge per allied pair
        assert sum(share for _, share in g.nodes(data="share")) == pytest.approx(1.0, rel=1e-5)
        for code in set(snap.bloc[snap.bloc >= 0].tolist()):  # every bloc is a clique
            members = [n for n, b in g.nodes(data="bloc") if b == code]
            k = len(members)
            assert g.subgraph(members).number_of_edges() == k * (k - 1) // 2
        assert {s for _, s in g.nodes(data="strategy")} == {"bandwagon"}
        labels = data.blocs(snap)
        assert sum(k * (k - 1) // 2 for _, k in labels) == g.number_of_edges()
        assert all(label.startswith("camp of S") for label, _ in labels)
        layout = data.graph_layout(g)
        assert set(layout) == set(g.nodes)
        assert layout == data.graph_layout(g)  # seeded: the same picture every time


def test_snapshot_without_recorded_states_replays_them(result):
    bare = run(
        FIXTURE, replications=range(0, 1), steps=STEPS, seed=FIXTURE_SEED, record_states=False
    )
    assert "bloc" not in bare.dataset
    step = data.network_steps(bare.dataset["alliances"].sel(replication=0).values)[-1]
    replayed, recorded = data.snapshot(bare, 0, step), data.snapshot(result, 0, step)
    np.testing.assert_array_equal(replayed.bloc, recorded.bloc)
    np.testing.assert_array_equal(replayed.alive, recorded.alive)
    with pytest.raises(ValueError, match="outside"):
        data.snapshot(result, 0, STEPS + 1)


def test_bloc_labels_follow_the_codes_of_the_state_module():
    names = ["A", "B", "C"]
    assert data.bloc_label(2, names) == "coalition against C"
    assert data.bloc_label(3, names) == "camp of A"
    assert data.bloc_label(7, names) == "landscape coalition 2"
    assert data.bloc_label(8, names) == "alliance in force at the start"


def test_graph_layout_keeps_blocs_legible_and_apart():
    g = nx.complete_graph([f"S{i:02d}" for i in range(12)])
    g.add_edge("A", "B")
    g.add_nodes_from(["X", "Y"])
    layout = data.graph_layout(g)
    names = sorted(layout)
    pts = np.array([layout[n] for n in names])
    dist = np.linalg.norm(pts[:, None] - pts[None, :], axis=-1)
    np.fill_diagonal(dist, np.inf)
    assert dist.min() > 0.3  # no two states drawn on top of each other
    bloc = np.array([layout[n] for n in names if n.startswith("S")])
    for other in ("A", "B", "X", "Y"):  # other components lie outside the bloc's box
        p = np.array(layout[other])
        inside = (bloc.min(axis=0) <= p) & (p <= bloc.max(axis=0))
        assert not inside.all()
    assert data.graph_layout(nx.Graph()) == {}


def test_load_results_reads_run_and_compare_directories(saved, tmp_path):
    (one,) = data.load_results(saved)
    assert one.provenance["scenario_name"] == "bandwagoners"
    assert main(["compare", "-r", "4", "-t", "20", "-q", "-o", str(tmp_path / "cmp")]) == 0
    both = data.load_results(tmp_path / "cmp")
    assert [r.provenance["scenario_name"] for r in both] == ["null", "balancers", "bandwagoners"]
    with pytest.raises(FileNotFoundError):
        data.load_results(tmp_path)


def test_history_shares_sum_to_one_over_the_great_powers():
    wide = data.history_shares(1900, 1920)
    assert list(wide.index) == list(range(1900, 1921))
    np.testing.assert_allclose(wide.sum(axis=1), 1.0)
    assert {"UKG", "USA", "GMY", "RUS"} <= set(wide.columns)
    assert wide.loc[1913, "USA"] == pytest.approx(0.285, abs=1e-3)  # as in docs/history.md


def test_history_system_matches_the_measures():
    sy = data.history_system(1913, 1913)
    assert sy.loc[1913, "leader"] == "USA"
    assert sy.loc[1913, "majors"] == 8
    assert 0 < sy.loc[1913, "concentration"] < 1
    assert 0 < sy.loc[1913, "concentration_all"] < 1


def test_history_alliance_graph_1913():
    g = data.history_alliance_graph(1913)
    assert set(g.nodes) == {"USA", "UKG", "FRN", "GMY", "AUH", "ITA", "RUS", "JPN"}
    # the Triple Alliance, the Franco-Russian alliance and the Anglo-Japanese alliance
    for u, v in [("GMY", "AUH"), ("GMY", "ITA"), ("AUH", "ITA"), ("FRN", "RUS"), ("UKG", "JPN")]:
        assert g.edges[u, v]["kind"] == "military"
    assert g.edges["UKG", "FRN"]["kind"] == "other"  # the Entente: consultation only
    assert not g.has_edge("USA", "UKG")
    assert sum(nx_share for _, nx_share in g.nodes(data="share")) == pytest.approx(1.0)


def test_history_war_sizes_are_battle_deaths_per_war():
    deaths = data.history_war_sizes(1914, 1914)
    assert deaths.max() > 8e6  # the First World War
    assert data.history_war_sizes(1816, 2016).size > 80


def test_history_years_cover_nmc():
    assert data.history_years() == (1816, 2016)


# --------------------------------------------------------------- figures
def test_shares_figure_stacks_the_layers_and_marks_hegemony():
    labels = ["A", "B", "others"]
    layers = np.array([[0.6, 0.6, 0.7], [0.3, 0.2, 0.2], [0.1, 0.2, 0.1]])
    fig = figures.shares_figure(
        labels, layers, title="t", threshold=0.5, onset=2, run_up=2, hegemon="A"
    )
    (ax,) = fig.axes
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(polys) == 3
    top = polys[-1].get_paths()[0].vertices
    assert top[:, 1].max() == pytest.approx(1.0)  # layers stack to the total
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
    gids = {line.get_gid(): line for line in ax.lines}
    assert gids["threshold"].get_ydata()[0] == 0.5
    assert gids["onset"].get_xdata()[0] == 2
    assert "hegemony: A (step 2)" in [t.get_text() for t in ax.texts]


def test_timing_figure_shows_the_cumulative_rate():
    onset = np.array([3, -1, 5, -1])
    timing = data.hegemony_timing(onset, 6)
    fig = figures.timing_figure(timing, onset, title="x")
    left, right = fig.axes
    assert sum(p.get_height() for p in left.patches) == 2
    (line,) = right.lines
    np.testing.assert_allclose(line.get_ydata(), timing["cumulative"])


def test_timing_figure_without_hegemony_says_so():
    onset = np.array([-1, -1])
    fig = figures.timing_figure(data.hegemony_timing(onset, 4), onset, title="x")
    assert "no replication reached hegemony" in fig.axes[0].texts[0].get_text()


def test_bands_figure_draws_median_and_mean():
    b = data.quantile_bands(np.arange(12, dtype=float).reshape(3, 4))
    fig = figures.bands_figure({"p": b}, ylims={"p": (0, 1)})
    (ax,) = fig.axes
    median = next(line for line in ax.lines if line.get_gid() == "median")
    np.testing.assert_allclose(median.get_ydata(), b["q50"])
    assert ax.get_ylim() == (0, 1)


def test_network_figure_sizes_nodes_by_share():
    g = data.history_alliance_graph(1913)
    fig = figures.network_figure(g, data.graph_layout(g), title="1913", by_strategy=False)
    (ax,) = fig.axes
    nodes = next(c for c in ax.collections if c.get_gid() == "nodes")
    sizes = dict(zip(g.nodes, nodes.get_sizes(), strict=True))
    assert sizes["USA"] > sizes["GMY"] > sizes["ITA"]
    assert {t.get_text() for t in ax.texts} == set(g.nodes)


def test_with_treaties_the_network_draws_the_pacts_in_force():
    """With treaties no bloc forms: the figure drew no edge. It draws the pacts in force."""
    from matplotlib.collections import LineCollection

    from equipoise.report.sections.simulation import network_blocks

    states = [
        {"name": n, "economy": 1.0 + i, "military": 1.0, "x": 0.1 * i, "y": 0.0}
        for i, n in enumerate("ABCDE")
    ]
    rows = [["A", "B", "defence", "t"], ["A", "C", "defence", "t"], ["B", "C", "defence", "t"]]
    s = Scenario(
        states=states,
        initial_pacts=[*rows, ["D", "E", "consultation"]],
        alliances={"treaties": True},
    )
    treaty = run(s, replications=1, steps=10, seed=1)
    blocks = network_blocks(treaty, 0)
    assert blocks and all(b.figure is not None for b in blocks)
    steps = data.network_steps(treaty.dataset["alliances"].values[0])
    for block, step in zip(blocks, steps, strict=True):
        snap = data.snapshot(treaty, 0, step)
        g = data.alliance_graph(snap)
        rec = treaty.dataset.sel(replication=0, step=step)
        military = [(u, v) for u, v, k in g.edges(data="kind") if k == "military"]
        assert len(military) == int(rec["alliances"]) > 0  # defence and offence pacts
        assert g.number_of_edges() == len(snap.pacts)  # every pact in force, of every kind
        ax = block.figure.axes[0]
        drawn = sum(len(c.get_segments()) for c in ax.collections if isinstance(c, LineCollection))
        assert drawn == g.number_of_edges()
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "defence/offence pact" in legend
        assert f"Pacts in force at step {step}:" in block.caption
    first = data.alliance_graph(data.snapshot(treaty, 0, 0))
    assert first.edges["A", "B"]["treaty"] == first.edges["B", "C"]["treaty"]  # one treaty
    assert first.edges["D", "E"]["pact"] == "consultation"
    assert first.edges["D", "E"]["kind"] == "other"


def test_war_size_figure_is_log_log():
    c = data.war_size_ccdf(np.array([1.0, 10.0, 100.0]))
    fig = figures.war_size_figure({"a": c}, xlabel="size")
    (ax,) = fig.axes
    assert ax.get_xscale() == ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_xdata(), c["size"])
    empty = figures.war_size_figure({"a": data.war_size_ccdf(np.zeros(0))}, xlabel="s")
    assert empty.axes[0].texts[0].get_text() == "no war"


def test_territory_figure_one_panel_per_step_owners_and_capitals(tmap):
    steps = [0, 250, STEPS]
    colors = data.state_colors(50, data.neighbours(tmap, steps))
    fig = figures.territory_figure(tmap, steps, colors, title="t")
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 3
    for ax, t in zip(panels, steps, strict=True):
        (image,) = ax.images
        assert image.get_gid() == f"map-step-{t}"
        np.testing.assert_array_equal(image.get_array(), data.map_image(tmap.grid(t), colors))
        (dots,) = (c for c in ax.collections if isinstance(c, PathCollection))
        living = np.flatnonzero(tmap.alive(t))
        caps = tmap.capitals[living]
        np.testing.assert_array_equal(dots.get_offsets(), np.column_stack([caps % 25, caps // 25]))
        assert ax.get_title(loc="left") == f"step {t}: {living.size} states"
    six = figures.territory_figure(tmap, data.map_steps(STEPS), colors)
    assert sum(1 for ax in six.axes if ax.images) == 6


def test_rates_figure_has_one_interval_per_scenario():
    rates = pd.DataFrame(
        {
            "replications": [10, 10],
            "hegemony_rate": [0.1, 0.6],
            "hegemony_ci_low": [0.02, 0.3],
            "hegemony_ci_high": [0.4, 0.85],
        },
        index=["a", "b"],
    )
    fig = figures.rates_figure(rates)
    (ax,) = fig.axes
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [0.1, 0.6])
    at = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert at["a"] > at["b"]  # first scenario on top
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [at["a"], at["b"]])


def test_svg_output_is_deterministic_and_font_free():
    def fig():
        return figures.war_size_figure({"a": data.war_size_ccdf(np.array([1.0, 2.0]))}, xlabel="s")

    svg = figures.to_svg(fig())
    assert svg == figures.to_svg(fig())
    assert "<text" not in svg  # text drawn as paths: no font needed to view it
    assert figures.to_png(fig()).startswith(b"\x89PNG")


# ------------------------------------------------------------------ page
def test_sections_cover_what_the_issue_asks_for(result):
    sections = simulation_sections([result], samples=2)
    keys = [s.key for s in sections]
    assert keys == [
        "summary",
        "shares",
        "hegemony",
        "bands",
        "map",
        "alliances",
        "wars",
        "provenance",
    ]
    (block,) = next(s for s in sections if s.key == "map").blocks
    assert "replayed exactly" in block.caption and "replication 0" in block.caption
    assert sum(1 for ax in block.figure.axes if ax.images) == 6
    networks = next(s for s in sections if s.key == "alliances").blocks
    assert len(networks) == 3
    assert all("camp of S" in b.caption for b in networks)


def _images(page: str) -> list[str]:
    return re.findall(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)"', page)


def _section(page: str, key: str) -> str:
    start = page.index(f'<section id="{key}">')
    return page[start : page.index("</section>", start)]


def test_report_is_self_contained_and_deterministic(result):
    page = render_report([result], samples=2)
    assert page == render_report([result], samples=2)
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page)  # nothing to fetch
    imgs = _images(page)
    # hegemony rate, 2 share plots, timing, bands, the map, 3 networks, war sizes
    assert len(imgs) == 10
    for b64 in imgs:
        svg = base64.b64decode(b64)
        assert svg.lstrip().startswith(b"<?xml")
        assert not re.search(rb"""(href)=["'](?!data:|#)""", svg)  # the SVGs fetch nothing
    (territories,) = _images(_section(page, "map"))
    svg = base64.b64decode(territories).decode("utf-8")
    assert svg.count("<image") == 6  # six panels, each an inline PNG of the lattice
    assert "Territories over time" in page and "replayed exactly" in page
    assert f'<meta name="generator" content="{GENERATOR}' in page
    assert "hegemony rate" in page
    assert result.provenance["scenario_hash"] in page


def test_only_the_sections_asked_for_are_built(result):
    sections = simulation_sections([result], only=("wars", "map"))
    assert [s.key for s in sections] == ["map", "wars"]  # in report order
    with pytest.raises(ValueError, match="unknown section 'maps'"):
        simulation_sections([result], only=("maps",))


def test_report_on_another_replication(result):
    sections = simulation_sections([result], samples=1, replication=7)
    (block,) = next(s for s in sections if s.key == "map").blocks
    assert "Territories of replication 7" in block.caption
    with pytest.raises(ValueError, match="replication 40 is not in the result"):
        render_report([result], replication=40)


def test_report_escapes_text(result):
    ds = result.dataset.copy()
    ds.attrs = {**ds.attrs, "scenario": ds.attrs["scenario"] + '\n# <script>alert("x")</script>\n'}
    page = render_report([Result(ds)], samples=1)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_history_report_beside_a_simulation(result):
    page = render_report([result], history=(1900, 1950), samples=1)
    assert "equipoise history report: 1900-1950" in page
    assert page.count('<div class="colhead">history</div>') == 4
    assert "great powers, 1900" in page or len(_images(page)) >= 10
    assert "By decade" in page


def test_history_table_every_decade_and_last_year():
    table = history_table(data.history_system(1816, 1850))
    assert list(table.index) == [1816, 1826, 1836, 1846, 1850]
    assert table.loc[1816, "leader"] == "UKG"


def test_network_years():
    assert network_years(1900, 1901) == [1900, 1901]
    assert network_years(1913, 1913) == [1913]


def test_write_report_replaces_only_reports(tmp_path, result):
    out = tmp_path / "sub" / "r.html"
    write_report(out, "<html>" + f'<meta name="generator" content="{GENERATOR} x">')
    assert is_report(out)
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)
    write_report(out, f'<meta name="generator" content="{GENERATOR} y">')
    other = tmp_path / "notes.html"
    other.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not an equipoise report"):
        write_report(other, "x")
    assert other.read_text(encoding="utf-8") == "mine"
    with pytest.raises(FileExistsError, match="directory"):
        write_report(tmp_path, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.html", "sub"]


# ------------------------------------------------------------------- CLI
def _equipoise(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "equipoise.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_report_writes_one_html_file(saved, tmp_path):
    proc = _equipoise(
        "report", str(saved), "-o", "out/report.html", "--samples", "1", "--parents", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "Report written to out/report.html" in proc.stdout
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "equipoise report: bandwagoners" in page
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]
    again = _equipoise(
        "report",
        str(saved),
        "-o",
        "out/report.html",
        "--samples",
        "1",
        "--replication",
        "10",
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Territories of replication 10" in page and "replayed exactly" in page


def test_cli_history_report(tmp_path):
    proc = _equipoise("report", "--history", "--from", "1890", "--to", "1900", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "history report: 1890-1900" in (tmp_path / "report.html").read_text(encoding="utf-8")


BAD = [
    (["report"], "give a RESULTS_DIR, or --history"),
    (["report", "missing-dir"], "not an equipoise result directory"),
    (["report", "--history", "--from", "1900", "--to", "1850"], "years must satisfy"),
    (["report", "--history", "--from", "1700"], "years must satisfy"),
    (["report", "--from", "1900"], "--from and --to go with --history"),
    (["report", "--history", "--samples", "0"], "samples"),
    (["report", "--history", "-o", "."], "directory"),
    (["report", "--history", "-o", "notes.html"], "not an equipoise report"),
    (["report", "broken"], "cannot read results in broken"),
    (["report", "--history", "--from", "x"], "--from"),
    (["report", "--history", "--replication", "1"], "--replication needs a RESULTS_DIR"),
    (["report", "--replication", "-1", "--history"], "--replication"),
    (["report", "saved", "--replication", "99"], "replication 99 is not in the results"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_cli_report_bad_input_one_line_exit_2_nothing_written(
    args, message, saved, tmp_path, monkeypatch, capsys
):
    (tmp_path / "notes.html").write_text("mine", encoding="utf-8")
    (tmp_path / "saved").symlink_to(saved, target_is_directory=True)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "provenance.json").write_text(json.dumps({"scenario_name": "x"}), encoding="utf-8")
    (broken / "system.parquet").write_bytes(b"not parquet")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    lines = err.rstrip("\n").split("\n")
    assert len(lines) == 1 and "Traceback" not in err, err
    assert message in lines[0]
    after = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert after == before
    assert (tmp_path / "notes.html").read_text(encoding="utf-8") == "mine"


def test_cli_report_lists_in_help():
    proc = _equipoise("--help", cwd=Path.cwd())
    assert proc.returncode == 0
    assert "report" in proc.stdout and "dashboard" in proc.stdout


@pytest.mark.parametrize(
    ("absent", "named"),
    [
        (("matplotlib", "networkx"), "matplotlib and networkx are missing"),
        (("networkx",), "networkx is missing"),
    ],
)
def test_report_without_its_extra_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    absent: tuple[str, ...],
    named: str,
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setitem(sys.modules, "equipoise.report.data", None)  # its import fails
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in absent else real(name, *a)
    )
    assert main(["report", "--history", "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert named in err and "pip install 'equipoise[report]'" in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------- issue 25: what a reader meets
def test_a_comparison_report_shows_the_tests_its_summary_promises(result):
    """The report of a three-scenario comparison left out the Fisher tests (only two got one)."""
    from equipoise.report.sections import comparison_blocks

    others = [run(name, replications=8, steps=20, seed=2) for name in ("null", "balancers")]
    (block,) = comparison_blocks([*others, result])
    table = block.table
    assert list(table.index) == ["balancers vs null", "bandwagoners vs null"]
    assert {"Fisher p", "Holm-adjusted p", "detectable with 80% power"} <= set(table.columns)
    assert "80% of the time" in block.caption
    (block,) = comparison_blocks([others[1], result, run("mixed", replications=4, steps=5, seed=2)])
    assert block.text is not None and "no 'null' among them" in block.text
    assert comparison_blocks([result]) == []


def test_a_step_without_alliances_is_said_to_have_none(result):
    """Replication 6 has alliances, and none at its last step: the caption read "in 0 blocs ()"."""
    from equipoise.report.sections.simulation import network_blocks

    blocks = network_blocks(result, 6)
    last = blocks[-1].caption
    assert f"No alliance in force at step {STEPS}:" in last
    assert "0 blocs" not in last and "()" not in last


def test_war_legend_and_caption_count_the_same_wars(result):
    """The legend counted distinct sizes (41,985) where the caption counted wars (42,011)."""
    other = run("null", replications=8, steps=STEPS, seed=2)
    (wars,) = simulation_sections([result, other], samples=1, only=["wars"])
    block = wars.blocks[0]
    legend = [t.get_text() for t in block.figure.axes[0].get_legend().get_texts()]
    for r, label in zip((result, other), legend, strict=True):
        done = r.wars[r.wars["ongoing"] == 0]
        drawn = int((done["relative_size"] > 0).sum())
        name = r.provenance["scenario_name"]
        assert label == f"{name} ({drawn:,} wars)"
        assert f"{name} {drawn:,}" in block.caption


def test_provenance_hashes_wrap_instead_of_widening_the_page(result):
    from equipoise.report.render import render_html

    (prov,) = simulation_sections([result], only=["provenance"])
    assert "wrap" in prov.blocks[0].classes
    page = render_html("provenance", "", [prov])
    assert ".wrap td { overflow-wrap: anywhere; }" in page
    assert '<div class="wide wrap">' in page


def test_a_single_year_of_history_draws_without_warnings(tmp_path, monkeypatch, capsys):
    """`report --history --from 1900 --to 1900` printed two matplotlib UserWarnings."""
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--history", "--from", "1900", "--to", "1900"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Report written to report.html" in captured.out


def test_report_warnings_are_one_line_each(tmp_path, monkeypatch, capsys):
    import warnings

    from equipoise.cli import report as report_cli

    def noisy():
        warnings.warn("something odd\n  in a long explanation", UserWarning, stacklevel=1)
        warnings.warn("something odd\n  said twice", UserWarning, stacklevel=1)
        return "page"

    assert report_cli._drawn(noisy) == "page"
    assert capsys.readouterr().err == "warning: something odd\n"


def test_cli_report_writes_each_figure_for_a_manuscript(tmp_path, monkeypatch, capsys):
    """Issue 25: any report figure on its own, as PNG, SVG or PDF, at a chosen size."""
    import csv
    import struct

    saved = run("bandwagoners", replications=2, steps=40, seed=2).to_parquet(tmp_path / "res")
    monkeypatch.chdir(tmp_path)
    argv = ["report", str(saved), "--samples", "1", "--figures", "figs"]
    assert main([*argv, "--format", "png", "--size", "4x3", "--dpi", "100"]) == 0
    out = capsys.readouterr().out
    assert "figures written to figs/ as PNG" in out
    assert not (tmp_path / "report.html").exists()  # figures only, unless -o is given
    with (tmp_path / "figs" / "figures.csv").open(encoding="utf-8") as fh:
        index = list(csv.DictReader(fh))
    names = sorted(p.name for p in (tmp_path / "figs").iterdir() if p.suffix == ".png")
    assert names == sorted(row["file"] for row in index) and len(names) >= 6
    assert index[0]["file"] == "01-summary-1.png" and index[0]["caption"]
    assert {row["inches"] for row in index} == {"4x3"}
    head = (tmp_path / "figs" / names[0]).read_bytes()[:24]
    assert struct.unpack(">II", head[16:24]) == (400, 300)  # 4 x 3 inches at 100 dpi
    # again as PDF and SVG (from Python): the earlier figures folder is equipoise's to replace
    from equipoise.report.export import write_figures
    from equipoise.report.render import report_page

    page = report_page([Result.from_parquet(saved)], samples=1)
    summary = [section for section in page.sections if section.key == "summary"]
    for fmt, magic in (("pdf", b"%PDF"), ("svg", b"<?xml")):
        (written,) = write_figures(summary, tmp_path / "figs", fmt=fmt, size=(6.5, 4.0))
        assert written.name == f"01-summary-1.{fmt}" and written.read_bytes().startswith(magic)
        shown = (p.name for p in (tmp_path / "figs").iterdir() if not p.name.startswith("."))
        assert sorted(shown) == [
            "01-summary-1." + fmt,
            "figures.csv",
        ]
    # bad sizes and a folder of the user's own files: one line, nothing written
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    for args, needle in (
        ([*argv, "--size", "big"], "not a figure size"),
        (["report", str(saved), "--figures", "mine"], "mine holds files"),
        (["report", str(saved), "--format", "pdf"], "go with --figures"),
    ):
        before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
        assert main(args) == 2
        err = capsys.readouterr().err
        assert needle in err and len(err.strip().splitlines()) == 1, err
        assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
