"""Borders and seas: maps that follow COW direct contiguity, and the stopping power of water."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clikit import assert_refused
from equipoise import maps, run
from equipoise.engine import build_map
from equipoise.history.contiguity import contiguity_agreement, contiguity_types
from equipoise.history.scenario_builder import cow_codes, scenario_from_history
from equipoise.panels import add_contiguity, dyad_years
from equipoise.rules import geography, indexes, war
from equipoise.scenario import InvalidScenarioError, Scenario
from equipoise.state import CLK_STEP
from worldkit import brute_fronts, make_world, scenario_for


@pytest.fixture(scope="module")
def bordered() -> dict[int, tuple[Scenario, maps.Map]]:
    out = {}
    for year in (1816, 1914):
        s = scenario_from_history(year, states="all", map={"geography": "contiguity"})
        out[year] = (s, build_map(s))
    return out


# ------------------------------------------------------------------ the map
@pytest.mark.parametrize("year", [1816, 1914])
def test_sea_edges_are_symmetric_and_only_between_states(bordered, year):
    _, graph = bordered[year]
    assert graph.owner is not None and graph.capitals is not None
    rows = np.repeat(np.arange(graph.n_provinces), np.diff(graph.indptr))
    pairs = {
        (int(p), int(q)): bool(f) for p, q, f in zip(rows, graph.indices, graph.sea, strict=True)
    }
    assert all(pairs[(q, p)] == f for (p, q), f in pairs.items())  # symmetric, flags too
    for p in range(graph.n_provinces):  # rows sorted, no loops, no duplicates
        nb = graph.neighbours(p)
        assert np.all(np.diff(nb) > 0) and p not in nb
    owner = graph.owner
    assert np.all(owner[rows[graph.sea]] != owner[graph.indices[graph.sea]])
    assert graph.sea.any()
    for c in graph.capitals:  # every territory still connected (by land, inside the state)
        assert maps.connected(graph.indptr, graph.indices, owner, int(c))


@pytest.mark.parametrize("year", [1816, 1914])
def test_the_map_borders_exactly_as_cow_says(bordered, year):
    s, graph = bordered[year]
    codes = cow_codes(s.state_names(), year)
    index = {c: k for k, c in enumerate(codes)}
    types = contiguity_types(codes, year)
    land = {(index[a], index[b]) for (a, b), kind in types.items() if kind == 1}
    sea = {(index[a], index[b]) for (a, b), kind in types.items() if kind > 1}
    assert maps.land_pairs(graph) == land
    rows = np.repeat(np.arange(graph.n_provinces), np.diff(graph.indptr))
    a, b = graph.owner[rows], graph.owner[graph.indices]
    across = {(int(x), int(y)) for x, y in zip(a[graph.sea], b[graph.sea], strict=True) if x < y}
    assert across == sea


def test_agreement_in_1816_is_at_least_0_9(bordered):
    s, graph = bordered[1816]
    agreement = contiguity_agreement(graph, cow_codes(s.state_names(), 1816), 1816)
    assert agreement.bordering >= 0.9 and agreement.apart >= 0.9
    assert agreement.n_land == 36 and agreement.n_land + agreement.n_other == 23 * 22 // 2


def test_contiguity_types_are_the_panels_types():
    # the year's type is read as peacesciencer's slice = "first" reads it
    d = add_contiguity(dyad_years(1914, 1914))
    codes = sorted(set(d["ccode1"].astype(int)))
    ours = contiguity_types(codes, 1914)
    theirs = {
        (int(a), int(b)): int(k)
        for a, b, k in zip(d["ccode1"], d["ccode2"], d["conttype"], strict=True)
        if a < b and k > 0
    }
    assert ours == theirs


def test_the_lattice_stays_the_default():
    s = scenario_from_history(1816)
    assert s.map.geography == "lattice" and s.map.land_borders is None
    assert not build_map(s).sea.any()
    back = Scenario.from_toml(
        scenario_from_history(1816, map={"geography": "contiguity"}).to_toml()
    )
    assert back.map.sea_borders == (("UKG", "FRN"),)


# ------------------------------------------------------------------ bad input
def _pair(**map_table: object) -> dict[str, object]:
    states = [
        {"name": "A", "economy": 1.0, "military": 0.3, "x": 0.0, "y": 0.0},
        {"name": "B", "economy": 1.0, "military": 0.3, "x": 1.0, "y": 0.5},
    ]
    return {"states": states, "map": {"geography": "contiguity", **map_table}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_pair(), "map.geography = 'contiguity' needs the states' borders"),
        ({"n_states": 5, "map": {"geography": "contiguity"}}, "needs the states' borders"),
        (_pair(land_borders=[["A", "C"]]), "map.land_borders: unknown state 'C'"),
        (_pair(sea_borders=[["A", "A"]]), "state 'A' cannot border itself"),
        (_pair(land_borders=[["A", "B"]], sea_borders=[["B", "A"]]), "in both land_borders"),
        (
            {**_pair(), "map": {"land_borders": [["A", "B"]]}},
            "read only with map.geography = 'contiguity'",
        ),
        (_pair(land_borders=[], across_water=0.0), "across_water"),
    ],
)
def test_bad_borders_are_one_line(data, message):
    with pytest.raises(InvalidScenarioError, match=message) as info:
        Scenario.from_dict(data)
    assert "\n" not in str(info.value)


def test_the_cli_refuses_contiguity_without_borders(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seas.toml").write_text(
        '[map]\ngeography = "contiguity"\n\n'
        '[[states]]\nname = "A"\neconomy = 1.0\nmilitary = 0.3\nx = 0.0\ny = 0.0\n\n'
        '[[states]]\nname = "B"\neconomy = 1.0\nmilitary = 0.3\nx = 1.0\ny = 0.5\n'
    )
    assert_refused(["run", "seas.toml"], tmp_path, capsys, ["geography", "borders"])


# ------------------------------------------------------------------ the kernel
def test_across_water_splits_the_draws_of_a_land_battle():
    for fa, fb, m in ((2.0, 1.0, 1.0), (1.0, 3.0, 2.0), (1.0, 1.0, 0.5)):
        land = war.contest_success(fa, fb, m)
        us = np.linspace(0.0, 0.999, 1000)
        whole = [war.across_water(fa, fb, 1.0, m, u) for u in us]
        assert whole == [1 if u < land else -1 for u in us]  # share 1: a battle on land
        half = [war.across_water(fa, fb, 0.5, m, u) for u in us]
        assert all(
            h in (0, x) for h, x in zip(half, whole, strict=True)
        )  # only repulsed landings added
        assert 0 < half.count(0) < len(us)


def _duel(t: int, across: float, sea: bool, military=(2.0, 1.0)):
    """One battle between two states on a 4 x 1 lattice (front: provinces 1 and 2)."""
    scenario = scenario_for(2, map={"across_water": across})
    water = [(1, 2)] if sea else []
    w, p, _ = make_world(
        4, 1, [0, 0, 1, 1], [0, 3], list(military), scenario=scenario, sea_edges=water
    )
    np.asarray(w.clock)[CLK_STEP] = t
    war.enter(w, p, 0, 1)
    before = np.asarray(w.owner).copy()
    war.battles(w, p)
    return w, p, before, np.asarray(w.owner).copy()


def test_a_province_changes_hands_across_water_less_often():
    steps = range(1, 301)
    land = [_duel(t, 0.4, sea=False) for t in steps]
    sea = [_duel(t, 0.4, sea=True) for t in steps]
    won_land = [tuple(after) for *_, after in land]
    won_sea = [tuple(after) for *_, after in sea]
    start = (0, 0, 1, 1)
    # the same draws: across water only a subset of the land battle's conquests succeeds
    for lw, sw in zip(won_land, won_sea, strict=True):
        assert sw == start or sw == lw
    attacker_land = sum(after == (0, 0, 0, 1) for after in won_land)
    attacker_sea = sum(after == (0, 0, 0, 1) for after in won_sea)
    assert attacker_sea < attacker_land
    assert sum(after != start for after in won_sea) < sum(after != start for after in won_land)
    w, *_ = make_world(4, 1, [0, 0, 1, 1], [0, 3], [2.0, 1.0], sea_edges=[(1, 2)])
    assert w.land[0, 1] == 0 and w.border[0, 1] == 1  # a front all water
    # with across_water = 1, water is no obstacle: exactly the outcomes of the land battle
    same = [tuple(_duel(t, 1.0, sea=True)[3]) for t in steps]
    assert same == [tuple(after) for *_, after in (_duel(t, 1.0, sea=False) for t in steps)]


def test_an_attacker_weighs_a_front_across_water_at_its_share():
    scenario = scenario_for(2, map={"across_water": 0.4})
    layout = (4, 1, [0, 0, 1, 1], [0, 3], [2.0, 1.0])
    w_land, p, _ = make_world(*layout, scenario=scenario)
    w_sea, p, _ = make_world(*layout, scenario=scenario, sea_edges=[(1, 2)])
    ratio_land = war.attack_ratio(w_land, p, 0, 1)
    assert war.attack_ratio(w_sea, p, 0, 1) == pytest.approx(0.4 * ratio_land, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(4, 8),
    st.lists(st.booleans(), min_size=1, max_size=64),
    st.lists(st.integers(0, 10**6), max_size=20),
)
def test_the_land_part_of_each_front_is_kept_as_provinces_change_hands(seed, side, seas, battles):
    n = 4
    graph = maps.lattice(side, side)
    caps = maps.random_capitals(seed, 0, graph.n_provinces, n)
    owner = maps.partition(graph.indptr, graph.indices, caps)
    rows = np.repeat(np.arange(graph.n_provinces), np.diff(graph.indptr))
    edges = [(int(p), int(q)) for p, q in zip(rows, graph.indices, strict=True) if p < q]
    water = [e for e, flag in zip(edges, (seas * len(edges))[: len(edges)], strict=True) if flag]
    w, p, g = make_world(side, side, owner, caps, [1.0] * n, seed=seed, sea_edges=water)
    for step, b in enumerate(battles):
        np.asarray(w.clock)[CLK_STEP] = step + 1
        winner, loser = b % n, (b // n) % n
        if winner == loser or not (w.alive[winner] and w.alive[loser]):
            continue
        if not w.border[winner, loser]:
            continue
        by_land = w.land[winner, loser] > 0
        before = np.asarray(w.owner).copy()
        geography.conquer(w, p, winner, loser)
        indexes.refresh_fronts(w, p)
        taken = np.flatnonzero((before == loser) & (np.asarray(w.owner) == winner))
        if by_land and taken.size:  # the province taken first was reached by land
            reached = [
                q
                for q in taken
                for e in range(g.indptr[q], g.indptr[q + 1])
                if before[g.indices[e]] == winner and not g.sea[e]
            ]
            assert reached
        ref = brute_fronts(w, g, n)
        assert np.array_equal(np.asarray(w.land), ref["land"])
        assert np.array_equal(np.asarray(w.border), ref["border"])


# ------------------------------------------------------------------ the engine
def _two_states(kind: str, across: float) -> Scenario:
    data = _pair(**{f"{kind}_borders": [["A", "B"]], "across_water": across})
    data["war"] = {"attack_probability": 0.5, "superiority_threshold": 1.0}
    data["states"][0]["military"] = 0.6  # A is the stronger, and the attacker
    return Scenario.from_dict(data)


def test_a_run_across_water_conquers_less():
    def conquests(s: Scenario) -> float:
        ds = run(s, replications=40, steps=40, seed=3, record_states=False).dataset
        return float(ds["conquests"].sum())

    assert build_map(_two_states("sea", 0.6)).sea.any()
    assert not build_map(_two_states("land", 0.6)).sea.any()
    across = conquests(_two_states("sea", 0.6))
    assert 0 < across < conquests(_two_states("land", 0.6))
    # water that stops less lets more through (at 1 a battle across water is one on land; a
    # beachhead taken still has to be widened by land, so the runs differ from the land map's)
    assert across < conquests(_two_states("sea", 1.0))
