"""Balancing tests on history: Levy & Thompson (2005) and internal balancing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from equipoise.history.balancing import (
    SEA_POWERS,
    internal_balancing,
    internal_balancing_data,
    levy_thompson,
    levy_thompson_data,
)
from equipoise.history.loaders import load_alliances, load_majors

LT_COLUMNS = [
    "measure",
    "group",
    "estimate",
    "ci_low",
    "ci_high",
    "n_years",
    "years_with_alliance",
    "alliances",
    "method",
]
LT_MEASURES = [
    "rate_after",
    "rate_base",
    "rate_difference",
    "rate_ratio",
    "alliances_per_year_after",
    "alliances_per_year_base",
    "alliance_rate_ratio",
]
IB_COLUMNS = ["predictor", "measure", "estimate", "ci_low", "ci_high", "n", "n_years", "lag"]


def _contains(table: pd.DataFrame) -> bool:
    ok = table["estimate"].notna()
    t = table[ok]
    return bool(((t["ci_low"] <= t["estimate"]) & (t["estimate"] <= t["ci_high"])).all())


@pytest.fixture(scope="module")
def lt() -> pd.DataFrame:
    return levy_thompson()


@pytest.fixture(scope="module")
def lt_years() -> pd.DataFrame:
    return levy_thompson_data()


@pytest.fixture(scope="module")
def ib() -> pd.DataFrame:
    return internal_balancing()


# --- Levy & Thompson on the real data -------------------------------------------------------


def test_levy_thompson_table(lt):
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("\nLevy & Thompson (CINC among major powers, threshold 1/3, k = 5):\n", lt)
    assert list(lt.columns) == LT_COLUMNS
    assert lt["measure"].tolist() == LT_MEASURES
    assert _contains(lt)
    assert lt.attrs == {"threshold": 1 / 3, "k": 5, "pacts": ("defense", "offense")}
    after, base = lt.iloc[0], lt.iloc[1]
    assert after["estimate"] == after["years_with_alliance"] / after["n_years"]
    assert base["estimate"] == base["years_with_alliance"] / base["n_years"]
    assert 0 <= after["ci_low"] <= after["ci_high"] <= 1


def test_levy_thompson_is_deterministic(lt):
    pd.testing.assert_frame_equal(lt, levy_thompson())


def test_levy_thompson_table_matches_year_data(lt, lt_years):
    for group, row in (("after", 0), ("base", 1)):
        g = lt_years[lt_years["group"] == group]
        assert lt.loc[row, "n_years"] == len(g)
        assert lt.loc[row, "years_with_alliance"] == (g["n_alliances"] > 0).sum()
        assert lt.loc[row, "alliances"] == g["n_alliances"].sum()


def test_levy_thompson_year_definitions(lt_years):
    d = lt_years
    assert d.index.min() == 1816 and d.index.max() == 2016
    assert not d["land_leader"].isin(SEA_POWERS).any()
    assert (d["above"] == (d["land_leader_share"] >= 1 / 3)).all()
    above_years = d.index[d["above"]]
    for year, row in d.iterrows():
        prior = above_years[(above_years >= year - 5) & (above_years < year)]
        expected = "after" if len(prior) else ("onset" if row["above"] else "base")
        assert row["group"] == expected
        if expected == "after":
            assert row["target"] == d.loc[prior.max(), "land_leader"]
        else:
            assert row["target"] == row["land_leader"]


def test_counted_alliances_exclude_target_and_join_two_great_powers(lt_years):
    members = load_alliances("member")
    begin = members.groupby("atopid")["yrent"].min()
    majors = load_majors()
    counted = 0
    for year, row in lt_years[lt_years["n_alliances"] > 0].iterrows():
        great = set(
            majors.loc[(majors["styear"] <= year) & (majors["endyear"] >= year), "ccode"].astype(
                int
            )
        )
        for aid in row["atopids"]:
            assert begin[aid] == year
            rows = members[(members["atopid"] == aid) & (members["yrent"] == year)]
            founders = set(rows["member"].astype(int))
            assert row["target"] not in founders
            assert len(founders & (great - {row["target"]})) >= 2
            assert ((rows["defense"] == 1) | (rows["offense"] == 1)).any()
            counted += 1
    assert counted == lt_years["n_alliances"].sum() > 0
    # NATO (ATOP 3180), signed 1949, is counted against the Soviet Union.
    assert 3180 in lt_years.loc[1949, "atopids"]
    assert lt_years.loc[1949, "target_abb"] == "RUS"


def test_levy_thompson_variants_print():
    lines = []
    for label, kwargs in [
        ("CINC, majors, k=5", {}),
        ("milper (army size), majors, k=5", {"capability": "milper"}),
        ("CINC, majors, k=10", {"k": 10}),
        ("CINC, all states, threshold 0.2", {"members": "all", "threshold": 0.2}),
        ("milper, named threat", {"capability": "milper", "named_threat": True}),
    ]:
        t = levy_thompson(**kwargs).set_index("measure")
        assert _contains(t.reset_index())
        a, b, r = t.loc["rate_after"], t.loc["rate_base"], t.loc["rate_ratio"]
        lines.append(
            f"{label:34s} after {a['estimate']:.3f} [{a['ci_low']:.3f}, {a['ci_high']:.3f}] "
            f"(n={a['n_years']})  base {b['estimate']:.3f} [{b['ci_low']:.3f}, "
            f"{b['ci_high']:.3f}] (n={b['n_years']})  ratio {r['estimate']:.2f} "
            f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
        )
    print("\nLevy & Thompson variants (share of years with a new alliance against the leader):")
    print("\n".join(lines))


def test_named_threat_and_pacts_only_narrow_or_widen():
    base = levy_thompson_data()
    named = levy_thompson_data(named_threat=True)
    wider = levy_thompson_data(pacts=("defense", "offense", "neutral", "consul"))
    assert (named["n_alliances"] <= base["n_alliances"]).all()
    assert (wider["n_alliances"] >= base["n_alliances"]).all()
    assert wider["n_alliances"].sum() > base["n_alliances"].sum()


# --- Levy & Thompson on a hand-made system --------------------------------------------------


def _toy_system() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    years = range(1900, 1910)
    caps = {1: 0.2, 2: 0.19, 3: 0.18, 200: 0.4}  # 1 = land leader, 200 = sea power
    rows = []
    for y in years:
        for code, c in caps.items():
            value = 0.5 if (code == 1 and y == 1902) else c
            rows.append((code, y, f"S{code}", value))
    rows.append((99, 1900, "MIN", 0.01))  # a minor power, member in 1900 only
    nmc = pd.DataFrame(rows, columns=["ccode", "year", "stateabb", "cinc"])
    majors = pd.DataFrame({"ccode": [1, 2, 3, 200], "styear": [1900] * 4, "endyear": [1909] * 4})

    def pact(aid, member, yrent, kind):
        flags = {p: int(p == kind) for p in ("defense", "offense", "neutral", "nonagg", "consul")}
        return {"atopid": aid, "member": member, "yrent": yrent, **flags}

    alliances = pd.DataFrame(
        [
            pact(10, 2, 1903, "defense"),  # B + C after A's peak: counted (after)
            pact(10, 3, 1903, "defense"),
            pact(11, 1, 1904, "defense"),  # includes the target: not counted
            pact(11, 2, 1904, "defense"),
            pact(12, 2, 1905, "defense"),  # one great power only: not counted
            pact(12, 99, 1905, "defense"),
            pact(13, 2, 1906, "consul"),  # consultation only: not counted by default
            pact(13, 3, 1906, "consul"),
            pact(14, 2, 1907, "offense"),  # B + sea power: counted (base)
            pact(14, 200, 1907, "offense"),
            pact(15, 2, 1908, "defense"),  # founded by B + C; A joins later: counted (base)
            pact(15, 3, 1908, "defense"),
            pact(15, 1, 1909, "defense"),
        ]
    )
    return nmc, majors, alliances


def test_levy_thompson_by_hand():
    nmc, majors, alliances = _toy_system()
    kw = {"nmc": nmc, "majors": majors, "alliances": alliances, "k": 2}
    d = levy_thompson_data(**kw)
    # A's share of major-power CINC in 1902: .5 / (.5 + .19 + .18 + .4) = .394 >= 1/3
    assert d["above"].tolist() == [False, False, True] + [False] * 7
    assert d["group"].tolist() == ["base", "base", "onset", "after", "after"] + ["base"] * 5
    assert (d["land_leader"] == 1).all()
    assert d["atopids"].tolist() == [(), (), (), (10,), (), (), (), (14,), (15,), ()]
    t = levy_thompson(**kw).set_index("measure")
    assert t.loc["rate_after", "estimate"] == 0.5  # 1 of 2 after years
    assert t.loc["rate_base", "estimate"] == pytest.approx(2 / 7)
    assert t.loc["rate_after", "n_years"] == 2 and t.loc["rate_base", "n_years"] == 7
    assert t.loc["rate_difference", "estimate"] == pytest.approx(0.5 - 2 / 7)
    assert t.loc["rate_ratio", "estimate"] == pytest.approx(0.5 / (2 / 7))
    assert _contains(t.reset_index())
    # Consultation pacts count when asked for; a lower threshold makes every year "above".
    wide = levy_thompson_data(pacts=("defense", "offense", "consul"), **kw)
    assert wide.loc[1906, "atopids"] == (13,)
    low = levy_thompson_data(threshold=0.1, **kw)
    assert low["group"].tolist() == ["onset"] + ["after"] * 9
    # With the sea power allowed to lead it is the leader every year but 1902.
    sea = levy_thompson_data(exclude=(), **kw)
    assert sea["land_leader"].tolist() == [200, 200, 1] + [200] * 7


def test_levy_thompson_errors():
    with pytest.raises(ValueError, match="The 'threshold' parameter"):
        levy_thompson(threshold=0)
    with pytest.raises(ValueError, match="The 'k' parameter"):
        levy_thompson(k=0)
    with pytest.raises(ValueError, match="The 'pacts' parameter"):
        levy_thompson(pacts=("defence",))
    with pytest.raises(ValueError, match="The 'min_great_powers' parameter"):
        levy_thompson(min_great_powers=0)
    nmc, majors, alliances = _toy_system()
    with pytest.raises(ValueError, match="missing column"):
        levy_thompson(nmc=nmc, majors=majors, alliances=alliances.drop(columns="offense"))


# --- Internal balancing ---------------------------------------------------------------------


def test_internal_balancing_table(ib):
    with pd.option_context("display.width", 200):
        print("\nInternal balancing (growth of others' log milex on leader share, lag 1):\n", ib)
    assert list(ib.columns) == IB_COLUMNS
    assert ib[["predictor", "measure"]].values.tolist() == [
        ["change", "slope"],
        ["change", "correlation"],
        ["level", "slope"],
        ["level", "correlation"],
    ]
    assert _contains(ib)
    corr = ib[ib["measure"] == "correlation"]
    assert corr[["estimate", "ci_low", "ci_high"]].abs().le(1).all().all()
    assert (ib["n"] > 500).all() and (ib["n_years"] > 150).all()


def test_internal_balancing_is_deterministic(ib):
    pd.testing.assert_frame_equal(ib, internal_balancing())
    other = internal_balancing(seed=1)
    np.testing.assert_array_equal(other["estimate"], ib["estimate"])
    assert not np.array_equal(other["ci_low"], ib["ci_low"])


def test_internal_balancing_estimates_match_plain_ols(ib):
    d = internal_balancing_data()
    assert len(d) == ib.loc[0, "n"] and d["year"].nunique() == ib.loc[0, "n_years"]
    for predictor, column in (("change", "leader_share_change"), ("level", "leader_share")):
        slope = np.polyfit(d[column], d["growth"], 1)[0]
        r = np.corrcoef(d[column], d["growth"])[0, 1]
        row = ib.set_index(["predictor", "measure"])
        assert row.loc[(predictor, "slope"), "estimate"] == pytest.approx(slope)
        assert row.loc[(predictor, "correlation"), "estimate"] == pytest.approx(r)


def test_internal_balancing_data_rules():
    d = internal_balancing_data()
    assert 1914 not in set(d["year"])  # pounds before 1914, dollars after
    assert 1913 in set(d["year"])
    assert (d["ccode"] != d["leader"]).all()
    assert d["leader_share"].between(0, 1).all()
    assert np.isfinite(d["growth"]).all()
    assert not d.duplicated(["year", "ccode"]).any()
    assert set(d["leader_abb"]) <= {"UKG", "USA", "RUS", "CHN"}
    lag2 = internal_balancing_data(lag=2)
    assert lag2["year"].min() == 1819  # needs the leader in t - 3


def test_internal_balancing_by_hand():
    rng = np.random.default_rng(3)
    years = np.arange(1900, 1921)
    lead = rng.uniform(0.5, 0.7, len(years))
    logm = np.zeros(len(years))
    for i in range(2, len(years)):
        logm[i] = logm[i - 1] + 2.0 * (lead[i - 1] - lead[i - 2])  # growth = 2 x change
    rows = []
    for i, y in enumerate(years):
        rows.append((1, y, "LDR", lead[i], 1.0))
        rows.append((2, y, "BBB", (1 - lead[i]) / 2, np.exp(logm[i])))
        rows.append((3, y, "CCC", (1 - lead[i]) / 2, 3 * np.exp(logm[i])))
    nmc = pd.DataFrame(rows, columns=["ccode", "year", "stateabb", "cinc", "milex"])
    majors = pd.DataFrame({"ccode": [1, 2, 3], "styear": [1900] * 3, "endyear": [1920] * 3})
    out = internal_balancing(
        nmc=nmc, majors=majors, drop_years=(), predictors="change", n_boot=200
    ).set_index("measure")
    assert out.loc["slope", "estimate"] == pytest.approx(2.0)
    assert out.loc["slope", "ci_low"] == pytest.approx(2.0)
    assert out.loc["slope", "ci_high"] == pytest.approx(2.0)
    assert out.loc["correlation", "estimate"] == pytest.approx(1.0)
    assert out.loc["slope", "n"] == 2 * (len(years) - 2)


def test_internal_balancing_variants_print():
    lines = []
    for label, kwargs in [
        ("lag 1", {}),
        ("lag 0", {"lag": 0}),
        ("lag 2", {"lag": 2}),
        ("land leader (no UKG/USA)", {"exclude": SEA_POWERS}),
        ("1816-1913", {"end": 1913}),
        ("1816-1939 without 1914-18", {"end": 1939, "drop_years": range(1914, 1920)}),
    ]:
        t = internal_balancing(n_boot=1000, **kwargs).set_index(["predictor", "measure"])
        assert _contains(t.reset_index())
        s, c = t.loc[("change", "slope")], t.loc[("level", "slope")]
        lines.append(
            f"{label:28s} change slope {s['estimate']:+.3f} [{s['ci_low']:+.3f}, "
            f"{s['ci_high']:+.3f}]  level slope {c['estimate']:+.3f} [{c['ci_low']:+.3f}, "
            f"{c['ci_high']:+.3f}]  n={int(s['n'])}"
        )
    print("\nInternal balancing variants:")
    print("\n".join(lines))


def test_internal_balancing_errors():
    with pytest.raises(ValueError, match="The 'predictors' parameter"):
        internal_balancing(predictors=("slope",))
    with pytest.raises(ValueError, match="The 'lag' parameter"):
        internal_balancing(lag=-1)
    with pytest.raises(ValueError, match="The 'n_boot' parameter"):
        internal_balancing(n_boot=0)
    with pytest.warns(UserWarning, match="no seed given"):
        internal_balancing(seed=None, n_boot=10)
