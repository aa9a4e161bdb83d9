"""equipoise.panels 0.2: each new add-on against an independent computation on chosen cases.

The independent computations read the package's own built-in copies of the data
(``equipoise/data/*.parquet``, never ../shared) with pandas and work through them with plain
Python loops, sets and dates, not the panels' integer look-ups; known historical facts check
the rest (who borders whom, who fought whom, who was allied).
"""

from __future__ import annotations

import importlib.resources
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equipoise.history import load_nmc
from equipoise.panels import (
    ADDONS,
    DYAD_ONLY_ADDONS,
    PanelError,
    add_atop_alliance,
    add_contiguity,
    add_cow_wars,
    add_democracy,
    add_fpsim,
    add_gml_mids,
    add_minimum_distance,
    add_peace_years,
    add_spells,
    add_strategic_rivalries,
    as_panel,
    cite,
    dyad_years,
    filter_prd,
    state_years,
)

USA, CAN, CUB, UKG, IRE, NTH, FRN, GMY, HUN, ITA, YUG = (
    2,
    20,
    40,
    200,
    205,
    210,
    220,
    255,
    310,
    325,
    345,
)
RUS, AFG, IND, PAK = 365, 700, 750, 770
DATA = Path(str(importlib.resources.files("equipoise") / "data"))


def shipped(name: str) -> pd.DataFrame:
    """The package's built-in copy of a peacesciencer table, read plainly."""
    return pd.read_parquet(DATA / f"{name}.parquet")


def value(panel: pd.DataFrame, column: str, **where: int) -> object:
    rows = panel
    for key, v in where.items():
        rows = rows[rows[key] == v]
    assert len(rows) == 1, where
    return rows[column].iloc[0]


def sample_rows(panel: pd.DataFrame, n: int, seed: int = 7) -> pd.DataFrame:
    return panel.sample(n=min(n, len(panel)), random_state=seed)


# ------------------------------------------------------------------ contiguity
def _contiguity_by_hand(a: int, b: int, year: int, slice_: str = "first") -> int:
    """COW type of a dyad-year from the month spells, by enumerating months."""
    spells = shipped("contiguity")
    spells = spells[(spells["ccode1"] == a) & (spells["ccode2"] == b)]
    covering: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # month -> spells
    for s in spells.itertuples():
        for month in range(1, 13):
            m = year * 12 + month
            if s.styear * 12 + s.stmonth <= m <= s.endyear * 12 + s.endmonth:
                covering[month].append((s.conttype, s.styear, s.stmonth))
    if not covering:
        return 0
    month = min(covering) if slice_ == "first" else max(covering)
    candidates = covering[month]
    real = [c for c in candidates if c[0] > 0] or candidates
    began = sorted(real, key=lambda c: (c[1], c[2]))
    return int(began[0][0] if slice_ == "first" else began[-1][0])


def test_contiguity_known_borders():
    d = add_contiguity(dyad_years(1990, 1990))
    assert value(d, "conttype", ccode1=USA, ccode2=CAN) == 1
    assert value(d, "conttype", ccode1=USA, ccode2=RUS) == 2  # the Bering Strait
    assert value(d, "conttype", ccode1=UKG, ccode2=FRN) == 3  # the Channel
    assert value(d, "conttype", ccode1=UKG, ccode2=IRE) == 1
    assert value(d, "conttype", ccode1=USA, ccode2=IND) == 0
    assert d["conttype"].dtype == "Int8"
    types = dict(zip(zip(d["ccode1"], d["ccode2"], strict=True), d["conttype"], strict=True))
    assert all(types[(b, a)] == t for (a, b), t in types.items())  # symmetric


@pytest.mark.parametrize(
    ("a", "b", "year", "first", "last"),
    [
        (NTH, FRN, 1830, 1, 5),  # Belgium's independence in December 1830
        (UKG, FRN, 1940, 3, 0),  # France occupied from July 1940
        (GMY, HUN, 1939, 1, 1),  # peacesciencer's added type-0 spell spans it: 0 there
        (GMY, HUN, 1938, 0, 1),  # the Anschluss: a border from March 1938
        (ITA, YUG, 1992, 1, 4),  # Yugoslavia breaks up in January 1992
        (RUS, AFG, 1950, 1, 1),
        (USA, CUB, 1902, 4, 4),  # Cuba from May 1902: its first month on record
    ],
)
def test_contiguity_first_and_last_month(a, b, year, first, last):
    assert _contiguity_by_hand(a, b, year, "first") == first
    assert _contiguity_by_hand(a, b, year, "last") == last
    frame = as_panel(pd.DataFrame({"ccode1": [a, b], "ccode2": [b, a], "year": [year, year]}))
    assert add_contiguity(frame)["conttype"].tolist() == [first, first]
    assert add_contiguity(frame, slice="last")["conttype"].tolist() == [last, last]


def test_contiguity_matches_the_months_on_a_sample():
    panel = add_contiguity(dyad_years(1816, 2016))
    spells = shipped("contiguity")
    on_record = set(zip(spells["ccode1"], spells["ccode2"], strict=True))
    recorded = panel[
        [(a, b) in on_record for a, b in zip(panel["ccode1"], panel["ccode2"], strict=True)]
    ]
    for r in sample_rows(recorded, 150).itertuples():
        assert r.conttype == _contiguity_by_hand(r.ccode1, r.ccode2, r.year), r
    others = panel[~panel.index.isin(recorded.index)]
    assert (others["conttype"] == 0).all()


def test_contiguity_state_years_count_neighbours():
    states = add_contiguity(state_years(1990, 1990)).set_index("ccode")
    dyads = add_contiguity(dyad_years(1990, 1990))
    members = set(states.index)
    for code in (USA, RUS, UKG, 710, 530):
        mine = dyads[(dyads["ccode1"] == code) & dyads["ccode2"].isin(members)]
        assert states.loc[code, "land"] == int((mine["conttype"] == 1).sum())
        assert states.loc[code, "sea"] == int(mine["conttype"].between(2, 5).sum())
    assert states.loc[USA, "land"] == 2  # Canada and Mexico


def test_contiguity_outside_the_data_is_missing():
    frame = as_panel(pd.DataFrame({"ccode1": [2, 2], "ccode2": [20, 20], "year": [1990, 2017]}))
    out = add_contiguity(frame)["conttype"]
    assert out.iloc[0] == 1 and pd.isna(out.iloc[1])
    states = add_contiguity(as_panel(pd.DataFrame({"ccode": [2, 2], "year": [1815, 1816]})))
    assert pd.isna(states.loc[0, "land"]) and states.loc[1, "land"] == 0


# ------------------------------------------------------------------ GML MIDs
def _mid_rows() -> pd.DataFrame:
    return shipped("gml_mids")


def test_mid_dyad_years_are_the_file_rows():
    panel = add_gml_mids(dyad_years(1816, 2010))
    mids = _mid_rows()
    assert int(panel["gmlmidonset"].sum()) == int(mids["gmlmidonset"].sum()) == 6248
    assert int(panel["gmlmidongoing"].sum()) == len(mids) == 9284  # every row is a COW dyad-year
    by_key = {(r.ccode1, r.ccode2, r.year): r for r in mids.itertuples()}
    hits = panel[panel["gmlmidongoing"] == 1]
    for r in sample_rows(hits, 300).itertuples():
        src = by_key[(r.ccode1, r.ccode2, r.year)]
        assert (r.dispnum, r.gmlmidonset, r.gmlsidea1, r.gmlsidea2) == (
            src.dispnum,
            src.gmlmidonset,
            src.sidea1,
            src.sidea2,
        )
        assert (r.hostlev1, r.hostlev2, r.hostlev, r.recip, r.orig1, r.mindur) == (
            src.hostlev1,
            src.hostlev2,
            src.hostlev,
            src.recip,
            src.orig1,
            src.mindur,
        )
        for column in ("fatality", "fatality1", "fatalpre2"):
            raw = getattr(src, column)
            got = getattr(r, column)
            assert (pd.isna(got) and raw == -9) or got == raw, (column, r)
        assert r.init1 == int(src.sidea1 == 1 or src.orig1 == 0)  # sidea-all-joiners
    quiet = panel[panel["gmlmidongoing"] == 0]
    assert quiet["dispnum"].isna().all() and quiet["hostlev"].isna().all()


def test_mid_initiator_rules_and_undirected_panels():
    directed = dyad_years(1950, 1960)
    mids = _mid_rows()
    mids = mids[mids["year"].between(1950, 1960)]
    for rule, expected in (
        ("sidea-all-joiners", (mids["sidea1"] == 1) | (mids["orig1"] == 0)),
        ("sidea-with-joiners", mids["sidea1"] == 1),
        ("sidea-orig", (mids["sidea1"] == 1) & (mids["orig1"] == 1)),
    ):
        got = add_gml_mids(directed, init=rule)
        assert int(got["init1"].sum()) == int(expected.sum()), rule
    undirected = add_gml_mids(dyad_years(1950, 1960, directed=False))
    assert "init1" not in undirected.columns
    assert int(undirected["gmlmidonset"].sum()) * 2 == int(mids["gmlmidonset"].sum())


def test_mid_state_years_by_hand():
    mids = _mid_rows()
    years: dict[tuple[int, int], set[int]] = defaultdict(set)  # (state, dispute) -> years
    side: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for r in mids.itertuples():
        years[(r.ccode1, r.dispnum)].add(r.year)
        side[(r.ccode1, r.dispnum)].add((r.sidea1, r.orig1))
    states = add_gml_mids(state_years(1816, 2016)).set_index(["ccode", "year"])
    for code in (USA, UKG, RUS, 666, 750):  # the USA, the UK, Russia, Israel, India
        for year in range(1816, 2011):
            if (code, year) not in states.index:
                continue
            ongoing = [d for (c, d), ys in years.items() if c == code and year in ys]
            onset = [d for d in ongoing if min(years[(code, d)]) == year]
            init = {d for d in ongoing if any(s == 1 or o == 0 for s, o in side[(code, d)])}
            row = states.loc[(code, year)]
            assert row["n_gmlmidongoing"] == len(ongoing), (code, year)
            assert row["n_gmlmidonset"] == len(onset), (code, year)
            assert row["gmlmidongoing"] == int(bool(ongoing))
            assert row["gmlmidonset"] == int(bool(onset))
            assert row["gmlmidongoing_init"] == int(bool(init))
            assert row["gmlmidonset_init"] == int(bool(init.intersection(onset)))
    assert states.loc[(USA, 2011)].isna()[["gmlmidonset", "n_gmlmidongoing"]].all()


def test_mid_years_outside_the_data_are_missing():
    frame = as_panel(pd.DataFrame({"ccode1": [2, 2], "ccode2": [365, 365], "year": [2010, 2011]}))
    out = add_gml_mids(frame)
    assert out.loc[0, "gmlmidongoing"] in (0, 1) and pd.isna(out.loc[1, "gmlmidongoing"])
    assert pd.isna(out.loc[1, "gmlmidonset"])


# ------------------------------------------------------------------ democracy
def test_democracy_values_are_the_file_values():
    demo = shipped("democracy")
    by_key = {(r.ccode, r.year): r for r in demo.itertuples()}
    panel = add_democracy(dyad_years(1816, 2016))
    for r in sample_rows(panel, 400).itertuples():
        for side, code in (("1", r.ccode1), ("2", r.ccode2)):
            src = by_key.get((code, r.year))
            for m in ("v2x_polyarchy", "polity2", "xm_qudsest"):
                got = getattr(r, m + side)
                want = np.nan if src is None else getattr(src, m)
                assert (pd.isna(got) and pd.isna(want)) or got == want, (m, side, r)
        for m in ("v2x_polyarchy", "polity2", "xm_qudsest"):
            a, b, low = getattr(r, m + "1"), getattr(r, m + "2"), getattr(r, m + "_min")
            if pd.isna(a) or pd.isna(b):
                assert pd.isna(low)
            else:
                assert low == min(a, b)
    assert panel["polity21"].dtype == "Int8" and panel["v2x_polyarchy1"].dtype == "float64"
    states = add_democracy(state_years(2016, 2016)).set_index("ccode")
    assert states.loc[USA, "polity2"] == by_key[(USA, 2016)].polity2


def test_democracy_subset_missing_years_and_joint_democracy():
    d = add_democracy(dyad_years(1990, 1990), measures=["polity2"])
    assert [c for c in d.columns if "polity" in c] == ["polity21", "polity22", "polity2_min"]
    assert not any("polyarchy" in c for c in d.columns)
    usa_can = d[(d["ccode1"] == USA) & (d["ccode2"] == CAN)]
    assert int((usa_can["polity2_min"] >= 6).sum()) == 1  # joint democracy
    frame = as_panel(pd.DataFrame({"ccode": [2, 2], "year": [2016, 2021]}))
    out = add_democracy(frame)
    assert not np.isnan(out.loc[0, "v2x_polyarchy"]) and np.isnan(out.loc[1, "v2x_polyarchy"])
    assert pd.isna(out.loc[1, "polity2"])


# ------------------------------------------------------------------ rivalries
def _rivalries_by_hand(year: int) -> dict[tuple[int, int], int]:
    """Directed dyads in a rivalry that year -> rivalry number, by a loop over rivalries."""
    out = {}
    for r in shipped("rivalries").itertuples():
        if r.styear <= year <= r.endyear:
            a, b = r.ccode1, r.ccode2
            if year >= 1919:
                a, b = (305 if a == 300 else a), (305 if b == 300 else b)
            out[(a, b)] = out[(b, a)] = r.rivalryno
    return out


@pytest.mark.parametrize("year", [1816, 1870, 1919, 1947, 1990, 2010])
def test_rivalries_by_hand(year):
    panel = add_strategic_rivalries(dyad_years(year, year))
    expected = _rivalries_by_hand(year)
    got = panel[panel["ongoingrivalry"] == 1]
    assert {
        (a, b): n for a, b, n in zip(got["ccode1"], got["ccode2"], got["rivalryno"], strict=True)
    } == {
        k: v
        for k, v in expected.items()
        if k in set(zip(panel["ccode1"], panel["ccode2"], strict=True))
    }
    starts = {r.rivalryno for r in shipped("rivalries").itertuples() if r.styear == year}
    assert set(got.loc[got["rivalryonset"] == 1, "rivalryno"]) <= starts


def test_rivalry_types_names_and_state_counts():
    d = add_strategic_rivalries(dyad_years(1947, 1947))
    r = d[(d["ccode1"] == USA) & (d["ccode2"] == RUS)].iloc[0]
    assert r["rivalryname"] == "Russia-United States 1" and r["region"] == "Global"
    assert (r["positional"], r["ideological"], r["spatial"], r["rivalryonset"]) == (1, 1, 0, 0)
    india = add_strategic_rivalries(dyad_years(1947, 1947))
    assert value(india, "rivalryonset", ccode1=IND, ccode2=PAK, year=1947) == 1
    assert (
        value(
            add_strategic_rivalries(dyad_years(1919, 1919)),
            "ongoingrivalry",
            ccode1=305,
            ccode2=YUG,
            year=1919,
        )
        == 1
    )  # Austria, not Austria-Hungary
    states = add_strategic_rivalries(state_years(1950, 1950)).set_index("ccode")
    by_hand = _rivalries_by_hand(1950)
    rows = {r.rivalryno: r for r in shipped("rivalries").itertuples()}
    for code in (USA, RUS, IND, 710):
        mine = [n for (a, _), n in by_hand.items() if a == code]
        assert states.loc[code, "n_rivalries"] == len(mine)
        spatial = sum("spatial" in (rows[n].type1, rows[n].type2, rows[n].type3) for n in mine)
        assert states.loc[code, "n_spatial"] == spatial
    frame = as_panel(pd.DataFrame({"ccode1": [2], "ccode2": [365], "year": [2011]}))
    assert add_strategic_rivalries(frame)[["ongoingrivalry", "spatial"]].isna().all(axis=None)


# ------------------------------------------------------------------ minimum distance
def test_minimum_distance_is_the_file_value():
    md = shipped("mindist")
    by_key = dict(
        zip(zip(md["ccode1"], md["ccode2"], md["year"], strict=True), md["mindist"], strict=True)
    )
    panel = add_minimum_distance(dyad_years(1880, 2016))
    for r in sample_rows(panel, 500).itertuples():
        want = by_key.get((min(r.ccode1, r.ccode2), max(r.ccode1, r.ccode2), r.year), np.nan)
        assert (np.isnan(r.mindist) and np.isnan(want)) or r.mindist == want, r
    assert panel.loc[panel["year"] < 1886, "mindist"].isna().all()  # before CShapes
    assert value(panel, "mindist", ccode1=USA, ccode2=CAN, year=1921) == 0
    assert np.isnan(value(panel, "mindist", ccode1=USA, ccode2=CAN, year=1920))  # 10 January


def test_state_minimum_distance_takes_both_sides():
    md = shipped("mindist")
    year = md[md["year"] == 1950]
    nearest = (
        pd.concat(
            [
                year[["ccode1", "mindist"]].rename(columns={"ccode1": "ccode"}),
                year[["ccode2", "mindist"]].rename(columns={"ccode2": "ccode"}),
            ]
        )
        .groupby("ccode")["mindist"]
        .min()
    )
    states = add_minimum_distance(state_years(1950, 1950)).set_index("ccode")
    common = nearest.index.intersection(states.index)
    assert len(common) > 70
    assert np.allclose(states.loc[common, "minmindist"], nearest[common])
    assert states.loc[CAN, "minmindist"] == 0  # its only neighbour, the USA, has a lower code
    assert np.isnan(add_minimum_distance(state_years(1885, 1885))["minmindist"]).all()


# ------------------------------------------------------------------ foreign-policy similarity
def _portfolios(year: int) -> tuple[list[int], dict[tuple[int, int], int]]:
    """Members and valued ties of a year, from the ATOP add-on and plain Python."""
    members = sorted(state_years(year, year)["ccode"].tolist())
    atop = add_atop_alliance(dyad_years(year, year))
    ties = {}
    for r in atop.itertuples():
        if r.atop_defense == 1 or r.atop_offense == 1:
            v = 3
        elif r.atop_neutral == 1 or r.atop_consul == 1:
            v = 2
        elif r.atop_nonagg == 1:
            v = 1
        else:
            v = 0
        ties[(r.ccode1, r.ccode2)] = v
    for m in members:
        ties[(m, m)] = 3
    return members, ties


def _weighted_kappa(x: list[int], y: list[int], levels: list[int], power: int) -> float:
    """Cohen's (1968) weighted kappa from the table of the two raters, by loops."""
    n = len(x)
    top = max(levels) - min(levels)
    table = {(a, b): 0 for a in levels for b in levels}
    for a, b in zip(x, y, strict=True):
        table[(a, b)] += 1
    px = {a: sum(table[(a, b)] for b in levels) / n for a in levels}
    py = {b: sum(table[(a, b)] for a in levels) / n for b in levels}
    weight = {(a, b): (abs(a - b) / top) ** power for a in levels for b in levels}
    observed = sum(weight[c] * table[c] / n for c in table)
    expected = sum(weight[(a, b)] * px[a] * py[b] for a in levels for b in levels)
    return 1 - observed / expected if expected > 0 else float("nan")


def _scotts_pi(x: list[int], y: list[int], levels: list[int], power: int) -> float:
    n = len(x)
    top = max(levels) - min(levels)
    pooled = {a: (x.count(a) + y.count(a)) / (2 * n) for a in levels}
    observed = sum((abs(a - b) / top) ** power for a, b in zip(x, y, strict=True)) / n
    expected = sum(
        (abs(a - b) / top) ** power * pooled[a] * pooled[b] for a in levels for b in levels
    )
    return 1 - observed / expected if expected > 0 else float("nan")


def _similarity_by_hand(year: int, a: int, b: int) -> dict[str, float]:
    members, ties = _portfolios(year)
    cinc = load_nmc().set_index(["ccode", "year"])["cinc"]
    x = [ties.get((a, k), 0) for k in members]
    y = [ties.get((b, k), 0) for k in members]
    xb, yb = [min(v, 1) for v in x], [min(v, 1) for v in y]
    w = [0.0 if pd.isna(cinc.get((k, year))) else float(cinc[(k, year)]) for k in members]
    n = len(members)

    def s_score(p: list[int], q: list[int], top: int, power: int) -> float:
        return 1 - 2 * sum((abs(u - v) / top) ** power for u, v in zip(p, q, strict=True)) / n

    def s_weighted(p: list[int], q: list[int], top: int) -> float:
        total = sum(wk * abs(u - v) / top for wk, u, v in zip(w, p, q, strict=True))
        return 1 - 2 * total / sum(w)

    return {
        "sallyvus": s_score(x, y, 3, 2),
        "sallyvua": s_score(x, y, 3, 1),
        "sallybus": s_score(xb, yb, 1, 2),
        "sallybua": s_score(xb, yb, 1, 1),
        "sallyvwa": s_weighted(x, y, 3),
        "sallybwa": s_weighted(xb, yb, 1),
        "kallyv": _weighted_kappa(x, y, [0, 1, 2, 3], 2),
        "kallyb": _weighted_kappa(xb, yb, [0, 1], 1),
        "pallyv": _scotts_pi(x, y, [0, 1, 2, 3], 2),
        "pallyb": _scotts_pi(xb, yb, [0, 1], 1),
    }


@pytest.mark.parametrize(
    ("year", "a", "b"),
    [
        (1816, UKG, RUS),
        (1913, FRN, RUS),  # allies
        (1913, GMY, RUS),  # on opposite sides
        (1962, USA, RUS),
        (1962, USA, UKG),  # NATO
        (2016, USA, 710),
        (2016, 70, 155),  # Mexico and Chile, both in the Rio Treaty
        (1900, USA, 160),
    ],
)
def test_fpsim_against_brute_force(year, a, b):
    expected = _similarity_by_hand(year, a, b)
    panel = add_fpsim(dyad_years(year, year))
    for x, y in ((a, b), (b, a)):
        row = panel[(panel["ccode1"] == x) & (panel["ccode2"] == y)].iloc[0]
        for name, want in expected.items():
            assert row[name] == pytest.approx(want, abs=1e-12, nan_ok=True), (name, x, y)


def test_fpsim_kappa_agrees_with_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    members, ties = _portfolios(1962)
    panel = add_fpsim(dyad_years(1962, 1962, directed=False))
    for r in sample_rows(panel, 40).itertuples():
        x = [ties.get((r.ccode1, k), 0) for k in members]
        y = [ties.get((r.ccode2, k), 0) for k in members]
        if len(set(x) | set(y)) < 2:
            continue
        want = metrics.cohen_kappa_score(x, y, labels=[0, 1, 2, 3], weights="quadratic")
        assert r.kallyv == pytest.approx(want, abs=1e-12)
        xb, yb = [min(v, 1) for v in x], [min(v, 1) for v in y]
        assert r.kallyb == pytest.approx(metrics.cohen_kappa_score(xb, yb), abs=1e-12)


def test_fpsim_properties_and_missing_values():
    panel = add_fpsim(dyad_years(1816, 2016, directed=False))
    for name in ("sallyvus", "sallyvua", "sallybua", "kallyv", "pallyb"):
        values = panel[name].dropna()
        assert values.between(-1, 1).all(), name
    assert (panel["sallybus"].dropna() == panel["sallybua"].dropna()).all()
    assert panel["sallyvus"].notna().all()
    with pytest.raises(PanelError, match="dyad-year panel"):
        add_fpsim(state_years(1900, 1900))
    frame = as_panel(
        pd.DataFrame({"ccode1": [2, 2, 2], "ccode2": [20, 999, 20], "year": [1990, 1990, 2019]})
    )
    out = add_fpsim(frame)
    assert out.loc[0, "kallyv"] > 0.3 and np.isnan(out.loc[1:, "sallyvus"]).all()


# ------------------------------------------------------------------ spells and history
def test_add_spells_counts_like_peace_years():
    panel = dyad_years(1990, 2010, directed=False).pipe(add_gml_mids)
    by_peace = add_peace_years(panel)
    by_spells = add_spells(panel, "gmlmidongoing")
    for suffix in ("", "2", "3"):
        assert by_spells[f"gmlmidspell{suffix}"].equals(by_peace[f"gmlmidspell{suffix}"])
    onsets = add_spells(panel, "gmlmidonset", name="since_onset")
    assert {"since_onset", "since_onset2", "since_onset3"} <= set(onsets.columns)
    toy = as_panel(
        pd.DataFrame(
            {
                "ccode": [1] * 6,
                "year": range(2000, 2006),
                "coup": pd.array([0, 1, None, 0, 1, 0], dtype="Int8"),
            }
        )
    )
    out = add_spells(toy, "coup")["coup_spell"]
    assert out.tolist()[:2] == [0, 1] and pd.isna(out[2]) and out.tolist()[3:] == [0, 1, 0]


def test_rivalry_onset_spells():
    panel = dyad_years(1816, 2010, directed=False).pipe(add_strategic_rivalries)
    out = add_spells(panel, "rivalryonset")
    india = out[(out["ccode1"] == IND) & (out["ccode2"] == PAK)].set_index("year")
    assert india.loc[1947, "rivalryspell"] == 0 and india.loc[1950, "rivalryspell"] == 2


@pytest.mark.parametrize("directed", [True, False])
def test_history_gives_the_spells_of_a_panel_built_from_1816(directed):
    late = dyad_years(1946, 2016, directed=directed).pipe(add_cow_wars).pipe(add_gml_mids)
    mine = add_peace_years(late, history=True)
    full = dyad_years(1816, 2016, directed=directed).pipe(add_cow_wars).pipe(add_gml_mids)
    full = add_peace_years(full)
    full = full[full["year"] >= 1946].reset_index(drop=True)
    for column in ("cowinterspell", "gmlmidspell", "gmlmidspell3"):
        assert mine[column].equals(full[column]), column
    counted_from_1946 = add_peace_years(late)
    assert not counted_from_1946["gmlmidspell"].equals(mine["gmlmidspell"])


def test_history_on_state_years_and_onsets():
    late = state_years(1900, 1950).pipe(add_cow_wars).pipe(add_gml_mids)
    mine = add_peace_years(late, event="onset", history=True)
    full = state_years(1816, 1950).pipe(add_cow_wars).pipe(add_gml_mids)
    full = add_peace_years(full, event="onset")
    full = full[full["year"] >= 1900].reset_index(drop=True)
    assert mine["cowinterspell"].equals(full["cowinterspell"])
    assert mine["gmlmidspell"].equals(full["gmlmidspell"])


# ------------------------------------------------------------------ every add-on, citations
def test_every_addon_on_a_span_of_years():
    panel = dyad_years(1946, 1950)
    for addon in ADDONS.values():
        panel = addon(panel)
    assert len(panel) == len(dyad_years(1946, 1950))
    states = state_years(1946, 1950)
    for name, addon in ADDONS.items():
        if name not in DYAD_ONLY_ADDONS:
            states = addon(states)
    assert {"gmlmidspell", "cowinterspell", "land", "minmindist", "n_rivalries"} <= set(
        states.columns
    )


def test_cite_follows_the_columns_present():
    panel = add_democracy(dyad_years(1990, 1991))
    keys = {
        line.split("{")[1].rstrip(",") for line in cite(panel).splitlines() if line.startswith("@")
    }
    assert {"coppedge2020vdem", "marshall2017polity", "marquez2016quick"} <= keys
    no_polity = panel.drop(columns=["polity21", "polity22", "polity2_min"])
    assert "marshall2017polity" not in cite(no_polity)
    assert "coppedge2020vdem" in cite(no_polity)
    merged = as_panel(no_polity.merge(pd.DataFrame({"year": [1990]}), how="left"), like=no_polity)
    assert cite(merged) == cite(no_polity)
    fp = add_fpsim(dyad_years(1990, 1990))
    assert "singer1972capability" in cite(fp)  # the weighted S uses CINC
    assert "singer1972capability" not in cite(fp.drop(columns=["sallyvwa", "sallybwa"]))
    prd = filter_prd(dyad_years(1990, 1990))
    assert "stinnett2002correlates" in cite(prd)  # filtered on contiguity, no column kept


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: add_contiguity(dyad_years(1900, 1900), slice="middle"), "'slice' must be"),
        (lambda: add_gml_mids(dyad_years(1900, 1900), init="all"), "'init' must be one of"),
        (lambda: add_democracy(state_years(1900, 1900), measures=["fh"]), "unknown measure"),
        (lambda: add_democracy(state_years(1900, 1900), measures=[]), "no measure chosen"),
        (lambda: add_fpsim(state_years(1900, 1900)), "needs a dyad-year panel"),
        (lambda: add_spells(state_years(1900, 1900), "nothing"), "no column 'nothing'"),
        (lambda: add_spells(state_years(1900, 1900), "year"), "values other than 0 and 1"),
        (lambda: filter_prd(dyad_years(1900, 1900), max_conttype=6), "'max_conttype'"),
        (lambda: filter_prd(dyad_years(1900, 1900), max_conttype=True), "'max_conttype'"),
        (lambda: add_peace_years(state_years(1900, 1901)), "run add_cow_wars first"),
        (
            lambda: add_peace_years(add_cow_wars(state_years(1900, 1901)), history="yes"),
            "'history' must be True or False",
        ),
        (lambda: add_minimum_distance(pd.DataFrame({"ccode": [2]})), "is neither"),
    ],
)
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(PanelError) as info:
        call()
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_random_dyads_agree_directed_and_undirected():
    """Every add-on gives an undirected row the values of the directed (ccode1 < ccode2) row."""
    rng = random.Random(3)
    years = sorted(rng.sample(range(1886, 2011), 6))
    for year in years:
        directed = dyad_years(year, year)
        undirected = dyad_years(year, year, directed=False)
        for addon in (
            add_contiguity,
            add_minimum_distance,
            add_democracy,
            add_strategic_rivalries,
            add_fpsim,
        ):
            a = addon(directed)
            a = a[a["ccode1"] < a["ccode2"]].reset_index(drop=True)
            b = addon(undirected)
            pd.testing.assert_frame_equal(a, b, check_like=False)
