"""equipoise.panels: every add-on against an independent computation on chosen states and years.

The independent computations use the loaders' raw tables (``load_system``, ``load_wars``,
``load_alliances``, ...) with plain Python loops and :mod:`datetime`, not the panels' integer
look-ups, and known historical facts (who fought whom and when, who was allied with whom).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from equipoise.history import (
    load_alliances,
    load_majors,
    load_nmc,
    load_states,
    load_system,
    load_wars,
)
from equipoise.history.scenario_builder import load_capitals
from equipoise.panels import (
    ADDONS,
    DYAD_ONLY_ADDONS,
    PRD_DISTANCE_KM,
    PanelError,
    add_atop_alliance,
    add_capital_distance,
    add_cow_majors,
    add_cow_wars,
    add_nmc,
    add_peace_years,
    add_power_ratio,
    as_panel,
    cite,
    dyad_years,
    filter_prd,
    panel_kind,
    state_years,
    write_panel,
)
from equipoise.panels._peace import spell_counts

USA, CAN, UKG, FRN, GMY, POL, AUH, ITA, RUS, JPN = 2, 20, 200, 220, 255, 290, 300, 325, 365, 740


@pytest.fixture(scope="module")
def undirected() -> pd.DataFrame:
    """All undirected dyad-years 1816-2016 with every add-on."""
    panel = dyad_years(directed=False)
    for addon in ADDONS.values():
        panel = addon(panel)
    return panel


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    panel = state_years()
    for name, addon in ADDONS.items():
        if name not in DYAD_ONLY_ADDONS:
            panel = addon(panel)
    return panel


def row(panel: pd.DataFrame, a: int, b: int, year: int) -> pd.Series:
    found = panel[(panel["ccode1"] == a) & (panel["ccode2"] == b) & (panel["year"] == year)]
    assert len(found) == 1, (a, b, year)
    return found.iloc[0]


def keyset(frame: pd.DataFrame, *columns: str) -> set[tuple[int, ...]]:
    """The rows' values of ``columns`` as a set of tuples."""
    return set(zip(*(frame[c].tolist() for c in columns), strict=True))


def _date(y: int, m: int, d: int) -> dt.date:
    return dt.date(int(y), int(m), int(d))


# ------------------------------------------------------------------ state-years and dyad-years
def test_state_years_are_the_system_membership_list():
    panel = state_years()
    system = load_system()
    assert len(panel) == len(system) == 15_951
    assert keyset(panel, "ccode", "year") == keyset(system, "ccode", "year")
    per_year = panel.groupby("year").size()
    assert per_year[1816] == 23 and per_year[2016] == 195
    assert panel_kind(panel) == "state_year"
    assert list(panel.columns[:4]) == ["ccode", "stateabb", "statenme", "year"]


def _false_pairs(year: int) -> int:
    """Ordered pairs of the year's members that share no day, by brute force over dates."""
    spans = {}
    for r in load_states().itertuples():
        start, end = _date(r.styear, r.stmonth, r.stday), _date(r.endyear, r.endmonth, r.endday)
        lo, hi = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        if lo <= hi:
            spans.setdefault(r.ccode, []).append((lo, hi))
    partial = [c for c, s in spans.items() if s != [(dt.date(year, 1, 1), dt.date(year, 12, 31))]]
    false = 0
    for a in partial:
        for b in spans:
            if a == b:
                continue
            meet = any(max(x[0], y[0]) <= min(x[1], y[1]) for x in spans[a] for y in spans[b])
            if not meet:
                # counted once from each partial side: a pair of two partial states twice
                false += 1 if b in partial else 2
    return false


def test_dyad_years_sizes_per_year_from_membership_counts():
    directed = dyad_years()
    members = load_system().groupby("year").size()
    sizes = directed.groupby("year").size()
    for year in (1816, 1860, 1918, 1945, 1958, 1964, 1975, 1990, 2016):
        n = members[year]
        assert sizes[year] == n * (n - 1) - _false_pairs(year), year
    # without false dyads: n(n-1) summed over years minus the 60 pairs that never met
    assert len(directed) == int((members * (members - 1)).sum()) - 60 == 1_912_290
    undirected = dyad_years(directed=False)
    assert len(undirected) * 2 == len(directed)
    assert (undirected["ccode1"] < undirected["ccode2"]).all()
    assert not directed.duplicated(["ccode1", "ccode2", "year"]).any()
    assert directed.equals(directed.sort_values(["ccode1", "ccode2", "year"], ignore_index=True))


def test_germany_and_poland_never_met_in_1945():
    d = dyad_years(1945, 1945)
    pairs = keyset(d, "ccode1", "ccode2")
    assert (GMY, POL) not in pairs and (POL, GMY) not in pairs  # GMY ended 8 May, POL back 28 June
    assert (GMY, UKG) in pairs and (POL, UKG) in pairs


def test_year_range_selects_years():
    d = dyad_years(1900, 1910, directed=False)
    assert d["year"].min() == 1900 and d["year"].max() == 1910
    assert len(state_years(1950, 1950)) == int((load_system()["year"] == 1950).sum())


# ------------------------------------------------------------------ NMC, majors, power ratio
def test_nmc_values_are_the_cow_values():
    nmc = load_nmc().set_index(["ccode", "year"])
    d = add_nmc(dyad_years(1913, 1913))
    r = row(d, USA, GMY, 1913)
    for col in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        assert r[col + "1"] == pytest.approx(float(nmc.loc[(USA, 1913), col]))
        assert r[col + "2"] == pytest.approx(float(nmc.loc[(GMY, 1913), col]))
    s = add_nmc(state_years(1816, 2016))
    merged = s.merge(load_nmc(), on=["ccode", "year"], suffixes=("", "_cow"))
    assert len(merged) == len(s)
    for col in ("milex", "cinc", "tpop"):
        expected = merged[col + "_cow"].astype("float64")
        assert np.allclose(merged[col], expected, equal_nan=True)
    assert s["milex"].isna().sum() == load_nmc()["milex"].isna().sum()  # COW's -9 stays missing


def test_major_powers_by_year():
    spells = load_majors()
    s = add_cow_majors(state_years())
    for year in (1816, 1898, 1900, 1940, 1942, 1945, 1950, 1991, 2016):
        expected = {
            int(r.ccode) for r in spells.itertuples() if r.styear <= year <= r.endyear
        } & set(s.loc[s["year"] == year, "ccode"])
        assert set(s.loc[(s["year"] == year) & (s["cowmaj"] == 1), "ccode"]) == expected, year
    france = s[s["ccode"] == FRN].set_index("year")["cowmaj"]
    assert france[1940] == 1 and france[1945] == 1  # spells end 22 June 1940, start 15 Aug 1945
    assert france[1941] == france[1942] == france[1944] == 0 and 1943 not in france.index
    d = add_cow_majors(dyad_years(1897, 1898, directed=False))
    assert row(d, USA, UKG, 1897)[["cowmaj1", "cowmaj2"]].tolist() == [0, 1]
    assert row(d, USA, UKG, 1898)[["cowmaj1", "cowmaj2"]].tolist() == [1, 1]


def test_power_ratio_is_stronger_over_weaker():
    cinc = load_nmc().set_index(["ccode", "year"])["cinc"].astype(float)
    d = add_power_ratio(dyad_years(1900, 1900))
    r = row(d, UKG, ITA, 1900)
    a, b = cinc[(UKG, 1900)], cinc[(ITA, 1900)]
    assert r["power_ratio"] == pytest.approx(max(a, b) / min(a, b))
    assert row(d, ITA, UKG, 1900)["power_ratio"] == pytest.approx(r["power_ratio"])
    s = add_power_ratio(state_years(1900, 1900)).set_index("ccode")["power_ratio"]
    leader = cinc.xs(1900, level="year").max()
    assert s[ITA] == pytest.approx(leader / cinc[(ITA, 1900)])
    assert s.min() == pytest.approx(1.0)  # the leader's own ratio


# ------------------------------------------------------------------ ATOP
def _members_in_force(atopid: int, year: int) -> set[int]:
    m = load_alliances("member")
    m = m[m["atopid"] == atopid]
    return {
        int(r.member)
        for r in m.itertuples()
        if r.yrent <= year and (r.yrexit == 0 or r.yrexit >= year)
    }


def test_nato_members_are_allied_with_defence():
    members = _members_in_force(3180, 1960)
    assert {USA, CAN, UKG, FRN, ITA, 260} <= members  # West Germany joined in 1955
    d = add_atop_alliance(dyad_years(1960, 1960))
    allied = d[(d["atop_defense"] == 1)]
    pairs = keyset(allied, "ccode1", "ccode2")
    assert {(a, b) for a in members for b in members if a != b} <= pairs


def test_1913_alliances():
    d = add_atop_alliance(dyad_years(1913, 1913, directed=False))
    assert row(d, GMY, AUH, 1913)["atop_defense"] == 1  # the Triple Alliance
    assert row(d, FRN, RUS, 1913)["atop_defense"] == 1  # the Franco-Russian alliance
    entente = row(d, UKG, FRN, 1913)
    assert entente["atop_defense"] == 0 and entente["atop_consul"] == 1
    assert entente["atop_alliance"] == 1
    assert row(d, UKG, GMY, 1913)[["atop_alliance", "atop_defense"]].tolist() == [0, 0]


def test_a_new_phase_replaces_the_old_in_its_year():
    # Central American treaty (ATOP 1362): neutrality in phase 1, dropped in phase 2 from 24
    # November 1888; ATOP's own dyad-year file codes 1888 with phase 2's obligations.
    # Guatemala and Honduras were not both COW members then: declare the frame ourselves.
    frame = pd.DataFrame({"ccode1": [90] * 3, "ccode2": [91] * 3, "year": [1887, 1888, 1889]})
    d = add_atop_alliance(as_panel(frame, "dyad_year", directed=True))
    for year, neutral in ((1887, 1), (1888, 0), (1889, 0)):
        r = row(d, 90, 91, year)
        assert (r["atop_defense"], r["atop_neutral"]) == (1, neutral), year


def _atop_brute_force(year: int) -> dict[tuple[int, int], set[str]]:
    """Directed obligations A -> B in ``year`` by looping over the member file.

    Members of the same phase of an alliance on a common day are allied; A owes B its own
    codes; in a year with a new phase the latest shared phase counts; alliances are pooled.
    """
    m = load_alliances("member")
    rows = []
    for r in m.itertuples():
        if r.member >= 1000:
            continue
        start = _date(r.yrent, r.moent, 1 if pd.isna(r.dayent) else r.dayent)
        if r.yrexit == 0:
            end = dt.date(2018, 12, 31)
        else:
            month = 12 if pd.isna(r.moexit) else int(r.moexit)
            if pd.isna(r.dayexit):
                nxt = dt.date(int(r.yrexit) + month // 12, month % 12 + 1, 1)
                end = nxt - dt.timedelta(days=1)
            else:
                end = _date(r.yrexit, month, r.dayexit)
        if start.year <= year <= end.year:
            pacts = {
                p
                for p in ("defense", "offense", "neutral", "nonagg", "consul")
                if getattr(r, p) == 1
            }
            rows.append((int(r.atopid), int(r.phase), int(r.member), start, end, pacts))
    shared: dict[tuple[int, int, int], dict[int, set[str]]] = {}
    for aid, ph, a, s1, e1, pacts in rows:
        for bid, ph2, b, s2, e2, _ in rows:
            if aid == bid and ph == ph2 and a != b and max(s1, s2) <= min(e1, e2):
                lo, hi = max(s1, s2), min(e1, e2)
                if lo.year <= year <= hi.year:
                    shared.setdefault((a, b, aid), {}).setdefault(ph, set()).update(pacts)
    out: dict[tuple[int, int], set[str]] = {}
    for (a, b, _), phases in shared.items():
        out.setdefault((a, b), set()).update(phases[max(phases)])
    return out


@pytest.mark.parametrize("year", [1855, 1888, 1913, 1939, 1985])
def test_atop_directed_obligations_match_a_loop_over_members(year):
    expected = _atop_brute_force(year)
    d = add_atop_alliance(dyad_years(year, year))
    allied = d[d["atop_alliance"] == 1]
    got = {
        (int(r.ccode1), int(r.ccode2)): {
            p
            for p in ("defense", "offense", "neutral", "nonagg", "consul")
            if getattr(r, f"atop_{p}") == 1
        }
        for r in allied.itertuples()
    }
    in_panel = keyset(d, "ccode1", "ccode2")
    assert got == {k: v for k, v in expected.items() if k in in_panel}
    assert len(got) > 10


def test_one_sided_pacts_are_one_sided_when_directed():
    m = load_alliances("member")
    bilateral = m[m["bilat"] == 1]
    # a bilateral pact in which exactly one member promised defence
    by_id = bilateral.groupby("atopid")["defense"].agg(["sum", "count"])
    one_sided = by_id[(by_id["count"] == 2) & (by_id["sum"] == 1)].index
    assert len(one_sided) > 0
    checked = 0
    for aid in one_sided[:20]:
        pair = bilateral[bilateral["atopid"] == aid]
        giver = int(pair.loc[pair["defense"] == 1, "member"].iloc[0])
        taker = int(pair.loc[pair["defense"] == 0, "member"].iloc[0])
        year = int(pair["yrent"].max())
        d = dyad_years(year, year)
        keys = keyset(d, "ccode1", "ccode2")
        if (giver, taker) not in keys:
            continue
        d = add_atop_alliance(d)
        if _atop_brute_force(year).get((taker, giver), set()) & {"defense"}:
            continue  # another pact of the year binds the taker too
        assert row(d, giver, taker, year)["atop_defense"] == 1
        assert row(d, taker, giver, year)["atop_defense"] == 0
        lo, hi = sorted((giver, taker))
        u = add_atop_alliance(dyad_years(year, year, directed=False))
        assert row(u, lo, hi, year)["atop_defense"] == 1  # either owes the other
        checked += 1
    assert checked >= 3


def test_atop_state_years_are_atops_own_file():
    s = add_atop_alliance(state_years(1816, 2016))
    sy = load_alliances("state-year").rename(columns={"state": "ccode"})
    merged = s.merge(sy, on=["ccode", "year"], how="left")
    assert (merged["atop_alliance"] == merged["atopally"].notna().astype(int)).all()
    inside = merged["atopally"].notna()
    for p in ("defense", "offense", "neutral", "nonagg", "consul"):
        assert (merged.loc[inside, f"atop_{p}"] == merged.loc[inside, p]).all()
        assert (merged.loc[~inside, f"atop_{p}"] == 0).all()


# ------------------------------------------------------------------ wars
def _war_spells() -> list[tuple[int, int, int, dt.date, dt.date, int]]:
    """(war, ccode, side, start, end, resumed) for every participation spell."""
    out = []
    for r in load_wars().itertuples():
        out.append(
            (
                r.WarNum,
                r.ccode,
                r.Side,
                _date(r.StartYear1, r.StartMonth1, r.StartDay1),
                _date(r.EndYear1, r.EndMonth1, r.EndDay1),
                0,
            )
        )
        if not pd.isna(r.StartYear2):
            out.append(
                (
                    r.WarNum,
                    r.ccode,
                    r.Side,
                    _date(r.StartYear2, r.StartMonth2, r.StartDay2),
                    _date(r.EndYear2, r.EndMonth2, r.EndDay2),
                    1,
                )
            )
    return out


def test_dyad_wars_match_a_loop_over_participants(undirected):
    ongoing: set[tuple[int, int, int]] = set()
    onsets: set[tuple[int, int, int]] = set()
    spells = _war_spells()
    for w1, a, s1, st1, en1, _ in spells:
        for w2, b, s2, st2, en2, _ in spells:
            if w1 == w2 and a < b and s1 != s2 and max(st1, st2) <= min(en1, en2):
                lo, hi = max(st1, st2), min(en1, en2)
                onsets.add((a, b, lo.year))
                ongoing.update((a, b, y) for y in range(lo.year, hi.year + 1))
    in_panel = keyset(undirected, "ccode1", "ccode2", "year")
    at_war = undirected[undirected["cowinterongoing"] == 1]
    assert keyset(at_war, "ccode1", "ccode2", "year") == ongoing & in_panel
    began = undirected[undirected["cowinteronset"] == 1]
    assert keyset(began, "ccode1", "ccode2", "year") == onsets & in_panel
    assert (undirected.loc[undirected["year"] <= 2007, "cowinterongoing"].notna()).all()
    assert undirected.loc[undirected["year"] > 2007, "cowinterongoing"].isna().all()


def test_famous_war_dyads(undirected):
    usa_gmy = undirected[(undirected["ccode1"] == USA) & (undirected["ccode2"] == GMY)]
    ww1 = usa_gmy[usa_gmy["warnum"] == 106]
    assert ww1["year"].tolist() == [1917, 1918] and ww1["cowinteronset"].tolist() == [1, 0]
    r = row(undirected, USA, GMY, 1917)
    assert (r["sidea1"], r["sidea2"], r["batdeath1"], r["batdeath2"]) == (1, 2, 116516, 1773700)
    assert row(undirected, UKG, GMY, 1914)["cowinteronset"] == 1
    # France and Germany: 1939-1940, and again when France came back in 1944
    fg = undirected[(undirected["ccode1"] == FRN) & (undirected["ccode2"] == GMY)]
    ww2 = fg[fg["warnum"] == 139].set_index("year")
    assert list(ww2.index) == [1939, 1940, 1944, 1945]
    assert ww2["cowinteronset"].tolist() == [1, 0, 1, 0] and ww2["resume"].tolist() == [0, 0, 1, 1]
    # Poland's war ended in 1939, Japan's began in 1941: never at war with each other
    pj = undirected[(undirected["ccode1"] == POL) & (undirected["ccode2"] == JPN)]
    assert (pj["cowinterongoing"].fillna(0) == 0).all()
    # allies are never at war with each other
    assert row(undirected, UKG, FRN, 1915)["cowinterongoing"] == 0


def test_directed_war_columns_follow_the_order():
    d = add_cow_wars(dyad_years(1917, 1917))
    ab, ba = row(d, USA, GMY, 1917), row(d, GMY, USA, 1917)
    assert (ab["sidea1"], ab["sidea2"]) == (ba["sidea2"], ba["sidea1"])
    assert (ab["batdeath1"], ab["batdeath2"]) == (ba["batdeath2"], ba["batdeath1"])
    assert ab["warnum"] == ba["warnum"] == 106


def test_state_wars_match_a_loop_over_participants(states):
    at_war: dict[tuple[int, int], set[int]] = {}
    onset: set[tuple[int, int]] = set()
    for war, c, _, start, end, _ in _war_spells():
        onset.add((c, start.year))
        for y in range(start.year, end.year + 1):
            at_war.setdefault((c, y), set()).add(war)
    panel = states[states["year"] <= 2007]
    keys = keyset(panel, "ccode", "year")
    ongoing = panel[panel["cowinterongoing"] == 1]
    assert keyset(ongoing, "ccode", "year") == set(at_war) & keys
    began = panel[panel["cowinteronset"] == 1]
    assert keyset(began, "ccode", "year") == onset & keys
    for r in ongoing.itertuples():
        assert r.warnum in at_war[(r.ccode, r.year)]
    germany = states[(states["ccode"] == GMY) & (states["year"] == 1914)].iloc[0]
    assert (germany["warnum"], germany["cowinteronset"], germany["sidea"]) == (106, 1, 2)


# ------------------------------------------------------------------ capital distance
def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _capital(ccode: int, year: int) -> tuple[float, float]:
    cap = load_capitals()
    r = cap[(cap["ccode"] == ccode) & (cap["styear"] <= year) & (cap["endyear"] >= year)]
    return float(r["lat"].iloc[0]), float(r["lon"].iloc[0])


def test_capital_distances_by_haversine():
    d = add_capital_distance(dyad_years(1917, 1918))
    for a, b, year in ((UKG, FRN, 1917), (USA, RUS, 1918), (GMY, RUS, 1917), (GMY, RUS, 1918)):
        expected = _haversine(*_capital(a, year), *_capital(b, year))
        assert row(d, a, b, year)["capdist"] == pytest.approx(expected, rel=1e-9)
        assert row(d, b, a, year)["capdist"] == pytest.approx(expected, rel=1e-9)
    assert row(d, UKG, FRN, 1917)["capdist"] == pytest.approx(344, abs=5)  # London-Paris
    # Russia moved its capital from St. Petersburg to Moscow in 1918
    assert row(d, GMY, RUS, 1917)["capdist"] == pytest.approx(1320, abs=20)
    assert row(d, GMY, RUS, 1918)["capdist"] == pytest.approx(1610, abs=20)
    assert not d["capdist"].isna().any()


def test_state_min_capital_distance():
    s = add_capital_distance(state_years(1816, 1816)).set_index("ccode")["mincapdist"]
    members = list(s.index)
    for c in (USA, UKG, RUS):
        expected = min(
            _haversine(*_capital(c, 1816), *_capital(o, 1816)) for o in members if o != c
        )
        assert s[c] == pytest.approx(expected, rel=1e-9)


# ------------------------------------------------------------------ peace years
def _synthetic(events: dict[tuple[int, int], list[int]], start: int = 2000) -> pd.DataFrame:
    rows = []
    for (a, b), seq in events.items():
        for k, e in enumerate(seq):
            onset = int(e == 1 and (k == 0 or seq[k - 1] == 0))
            rows.append(
                {
                    "ccode1": a,
                    "ccode2": b,
                    "year": start + k,
                    "cowinterongoing": e,
                    "cowinteronset": onset,
                }
            )
    frame = pd.DataFrame(rows)
    frame["cowinterongoing"] = frame["cowinterongoing"].astype("Int8")
    frame["cowinteronset"] = frame["cowinteronset"].astype("Int8")
    return as_panel(frame, "dyad_year")


def test_peace_years_on_a_synthetic_panel():
    panel = _synthetic({(1, 2): [0, 0, 0, 1, 1, 0, 0, 1, 0], (1, 3): [1, 0, 0, 0]})
    out = add_peace_years(panel)
    a = out[out["ccode2"] == 2]
    assert a["cowinterspell"].tolist() == [0, 1, 2, 3, 0, 0, 1, 2, 0]
    assert a["cowinterspell2"].tolist() == [0, 1, 4, 9, 0, 0, 1, 4, 0]
    assert a["cowinterspell3"].tolist() == [0, 1, 8, 27, 0, 0, 1, 8, 0]
    assert out[out["ccode2"] == 3]["cowinterspell"].tolist() == [0, 0, 1, 2]
    # the same rows in another order give the same spells, row by row
    shuffled = as_panel(panel.sample(frac=1, random_state=3), like=panel)
    again = add_peace_years(shuffled).sort_values(["ccode1", "ccode2", "year"])
    assert again["cowinterspell"].tolist() == out["cowinterspell"].tolist()


def test_peace_years_count_onsets_and_skip_missing_years():
    frame = pd.DataFrame(
        {
            "ccode": [5] * 7,
            "year": range(2000, 2007),
            "cowinterongoing": pd.array([0, 1, 1, 1, 0, None, 0], dtype="Int8"),
            "cowinteronset": pd.array([0, 1, 0, 0, 0, None, 0], dtype="Int8"),
        }
    )
    panel = as_panel(frame, "state_year")
    ongoing = add_peace_years(panel)["cowinterspell"]
    assert ongoing.tolist()[:5] == [0, 1, 0, 0, 0] and pd.isna(ongoing.iloc[5])
    assert ongoing.iloc[6] == 1  # the missing year is left out of the count
    onset = add_peace_years(panel, event="onset")["cowinterspell"]
    assert onset.tolist()[:5] == [0, 1, 0, 1, 2] and onset.iloc[6] == 3


def test_spell_counts_against_a_loop():
    rng = np.random.default_rng(5)
    unit = np.repeat(np.arange(30), 40)
    year = np.tile(np.arange(1900, 1940), 30)
    event = rng.random(len(unit)) < 0.15
    order = rng.permutation(len(unit))
    got = spell_counts(unit[order], year[order], event[order])
    expected = np.empty(len(unit), dtype=np.int64)
    for u in range(30):
        run = 0
        for k in range(40):
            i = u * 40 + k
            expected[i] = run
            run = 0 if event[i] else run + 1
    assert (got == expected[order]).all()


def test_peace_years_on_real_wars(states):
    russia = states[states["ccode"] == RUS].set_index("year")
    assert russia.loc[1816, "cowinterspell"] == 0
    last_war = max(y for y in range(1816, 1904) if russia.loc[y, "cowinterongoing"] == 1)
    assert russia.loc[1904, "cowinterspell"] == 1904 - last_war - 1  # Russo-Japanese War
    assert russia.loc[1905, "cowinterspell"] == 0
    assert pd.isna(russia.loc[2010, "cowinterspell"])


# ------------------------------------------------------------------ politically relevant dyads
def _split(panel: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``panel`` that ``kept`` lacks, checking that ``kept`` is a subset."""
    merged = panel.merge(kept[["ccode1", "ccode2", "year"]], how="left", indicator=True)
    dropped = merged[merged["_merge"] == "left_only"]
    assert len(dropped) + len(kept) == len(panel)
    return dropped


def test_filter_prd_on_contiguity(undirected):
    prd = filter_prd(undirected)
    assert prd.attrs["equipoise.prd"] == "major power or COW contiguity type 1-5"
    major = (prd["cowmaj1"] == 1) | (prd["cowmaj2"] == 1)
    assert (major | prd["conttype"].between(1, 5)).all()
    dropped = _split(undirected, prd)
    assert ((dropped["cowmaj1"] == 0) & (dropped["cowmaj2"] == 0)).all()
    assert (dropped["conttype"] == 0).all()
    # most wars are fought by politically relevant dyads (Lemke & Reed 2001)
    assert int(prd["cowinteronset"].sum()) == 297 and len(prd) == 123_122
    # land borders only: a subset; without the columns, filter_prd computes them itself
    land = filter_prd(dyad_years(directed=False), max_conttype=1)
    assert "conttype" not in land.columns and "cowmaj1" not in land.columns
    expected = ((undirected["cowmaj1"] == 1) | (undirected["cowmaj2"] == 1)) | (
        undirected["conttype"] == 1
    )
    assert len(land) == int(expected.sum()) < len(prd)
    assert "stinnett2002correlates" in cite(land) and "lemke2001relevance" in cite(land)


def test_filter_prd_on_capital_distance(undirected):
    prd = filter_prd(undirected, distance_km=PRD_DISTANCE_KM)
    major = (prd["cowmaj1"] == 1) | (prd["cowmaj2"] == 1)
    assert (major | (prd["capdist"] <= PRD_DISTANCE_KM)).all()
    dropped = _split(undirected, prd)
    assert ((dropped["cowmaj1"] == 0) & (dropped["cowmaj2"] == 0)).all()
    assert (dropped["capdist"] > PRD_DISTANCE_KM).all()
    assert prd["cowinteronset"].sum() / undirected["cowinteronset"].sum() > 0.7
    bare = filter_prd(dyad_years(directed=False), distance_km=500.0)
    assert len(bare) == int(
        (
            ((undirected["cowmaj1"] == 1) | (undirected["cowmaj2"] == 1))
            | (undirected["capdist"] <= 500)
        ).sum()
    )
    assert "capdist" not in bare.columns and bare.attrs["equipoise.prd_km"] == 500.0
    assert "lemke2001relevance" in cite(bare) and "stinnett2002correlates" not in cite(bare)


# ------------------------------------------------------------------ attrs, kinds, citations
def test_attrs_survive_pipes_selections_and_as_panel(undirected):
    assert panel_kind(undirected) == "dyad_year"
    assert undirected.attrs["equipoise.directed"] is False
    subset = undirected[undirected["year"] > 1990].reset_index(drop=True)
    assert cite(subset) == cite(undirected)
    extra = pd.DataFrame({"year": [2000], "note": ["x"]})
    merged = subset.merge(extra, how="left")
    assert merged.attrs == {}  # pandas drops attrs in merges
    with pytest.raises(PanelError, match="as_panel"):
        add_nmc(merged)
    again = as_panel(merged, like=subset)
    assert cite(again) == cite(subset) and panel_kind(again) == "dyad_year"
    assert add_nmc(again).attrs["equipoise.directed"] is False


def test_cite_lists_every_dataset(undirected, states):
    bib = cite(undirected)
    keys = [line.split("{")[1].rstrip(",") for line in bib.splitlines() if line.startswith("@")]
    assert keys == [
        "equipoise",
        "miller2022peacesciencer",
        "cow2017states",
        "singer1972capability",
        "singer1987reconstructing",
        "leeds2002atop",
        "leeds2022atopcodebook",
        "sarkees2010resort",
        "gibler2016analysis",
        "stinnett2002correlates",
        "schvitz2022mapping",
        "coppedge2020vdem",
        "marshall2017polity",
        "marquez2016quick",
        "pemstein2010democratic",
        "thompson2012handbook",
        "signorino1999tau",
        "hage2011choice",
        "bremer1992dangerous",
        "beck1998taking",
        "carter2010back",
    ]
    assert bib.count("@") == len(keys) and "10.1177/07388942221077926" in bib
    assert cite(dyad_years(1816, 1816)).count("@") == 3
    assert "sarkees2010resort" in cite(states)


def test_counts_of_the_full_panels(undirected):
    counts = Counter(undirected["year"])
    assert counts[1816] == 253 and counts[2016] == 195 * 194 // 2
    assert int(undirected["cowinteronset"].sum()) == 379


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: state_years(1700, 1800), "year 1700 is outside the state system data"),
        (lambda: dyad_years(1900, 2020), "year 2020 is outside"),
        (lambda: dyad_years(1950, 1900), "start year 1950 is after end year 1900"),
        (lambda: state_years(1900.5, 1901), "'start' must be a year"),
        (lambda: dyad_years(1900, 1901, directed="yes"), "'directed' must be True or False"),
        (lambda: add_nmc(pd.DataFrame({"ccode": [2], "year": [1900]})), "is neither"),
        (lambda: add_cow_wars(pd.Series([1, 2])), "got Series"),
        (lambda: filter_prd(state_years(1900, 1900)), "needs a dyad-year panel"),
        (lambda: filter_prd(dyad_years(1900, 1900), distance_km=-1), "'distance_km'"),
        (lambda: add_peace_years(state_years(1900, 1901)), "run add_cow_wars first"),
        (
            lambda: add_peace_years(add_cow_wars(state_years(1900, 1901)), event="x"),
            "'event' must be 'ongoing' or 'onset'",
        ),
        (lambda: as_panel(pd.DataFrame({"year": [1]}), "state_year"), "needs a column 'ccode'"),
        (lambda: as_panel(pd.DataFrame({"ccode": [1], "year": [1]}), "x"), "unknown panel kind"),
        (
            lambda: as_panel(pd.DataFrame({"ccode": [1, 1], "year": [2, 2]}), "state_year"),
            "repeat",
        ),
        (
            lambda: as_panel(
                pd.DataFrame({"ccode1": [2], "ccode2": [1], "year": [3]}), directed=False
            ),
            "ccode1 < ccode2",
        ),
        (lambda: as_panel(pd.DataFrame({"ccode": [1.5], "year": [2]})), "whole numbers"),
        (lambda: as_panel(pd.DataFrame({"ccode": [None, 2], "year": [2, 2]})), "missing values"),
    ],
)
def test_bad_input_is_refused_in_one_line(call, message):
    with pytest.raises(PanelError) as info:
        call()
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_lost_key_column_is_named():
    panel = state_years(1900, 1900).drop(columns="ccode")
    with pytest.raises(PanelError, match="lost its key column 'ccode'"):
        add_nmc(panel)


def test_frames_outside_the_data_get_missing_values():
    frame = as_panel(pd.DataFrame({"ccode": [2, 2, 999], "year": [1815, 2016, 1900]}))
    out = frame.pipe(add_nmc).pipe(add_cow_majors).pipe(add_atop_alliance).pipe(add_cow_wars)
    out = out.pipe(add_capital_distance).pipe(add_power_ratio)
    assert np.isnan(out.loc[0, "cinc"]) and out.loc[0, "cowmaj"] == 0
    assert out.loc[1, "cowmaj"] == 1 and pd.isna(out.loc[1, "cowinterongoing"])
    assert out.loc[0, "atop_alliance"] == 0  # ATOP observes 1815
    assert np.isnan(out.loc[2, "mincapdist"]) and np.isnan(out.loc[2, "power_ratio"])


# ------------------------------------------------------------------ writing
@pytest.mark.parametrize("ext", [".parquet", ".csv", ".dta"])
def test_write_panel_round_trip(tmp_path, ext):
    panel = add_cow_wars(add_atop_alliance(dyad_years(1914, 1915, directed=False)))
    path = write_panel(panel, tmp_path / f"p{ext}")
    back = {
        ".parquet": pd.read_parquet,
        ".csv": pd.read_csv,
        ".dta": pd.read_stata,
    }[ext](path)
    assert len(back) == len(panel) and list(back.columns) == list(panel.columns)
    assert back["cowinteronset"].sum() == panel["cowinteronset"].sum()
    assert back["warnum"].isna().sum() == panel["warnum"].isna().sum()
    if ext == ".parquet":
        assert back.dtypes.equals(panel.dtypes)
    assert [p.name for p in tmp_path.iterdir()] == [f"p{ext}"]  # no temporary file left


def test_write_panel_refuses(tmp_path):
    panel = state_years(1900, 1900)
    with pytest.raises(PanelError, match=r"unknown output format '\.xlsx'"):
        write_panel(panel, tmp_path / "p.xlsx")
    (tmp_path / "p.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        write_panel(panel, tmp_path / "p.csv")
    assert (tmp_path / "p.csv").read_text(encoding="utf-8") == "mine\n"
    write_panel(panel, tmp_path / "p.csv", overwrite=True)
    assert len(pd.read_csv(tmp_path / "p.csv")) == len(panel)


# ------------------------------------------------------------------ data files and the CLI's names
def test_a_downloaded_file_replaces_the_builtin_copy(tmp_path, monkeypatch):
    """Panels read what the loaders read: a CSV in the data directory, re-read when it changes."""
    from equipoise.history.loaders import data_source, read_raw

    raw = read_raw(data_source("nmc"))  # the built-in copy, every cell as text
    uk = (raw["ccode"] == "200") & (raw["year"] == "1900")
    raw.loc[uk, "milex"] = "123456"
    monkeypatch.setenv("EQUIPOISE_DATA_DIR", str(tmp_path))
    raw.to_csv(tmp_path / "NMC-60-abridged.csv", index=False)
    panel = add_nmc(state_years(1900, 1900)).set_index("ccode")
    assert panel.loc[UKG, "milex"] == 123456
    raw.loc[uk, "milex"] = "-9"  # COW's missing-value code
    raw.to_csv(tmp_path / "NMC-60-abridged.csv", index=False)
    assert np.isnan(add_nmc(state_years(1900, 1900)).set_index("ccode").loc[UKG, "milex"])
    (tmp_path / "NMC-60-abridged.csv").write_text("ccode,year\n200,1900\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column 'milex'"):
        add_nmc(state_years(1900, 1900))


def test_cli_addon_names_are_the_addons():
    from equipoise.cli.panel import ADDON_NAMES

    assert ADDON_NAMES == tuple(ADDONS)
