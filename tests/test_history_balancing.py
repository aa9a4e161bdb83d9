"""Balancing tests on history: Levy & Thompson (2005) and internal balancing."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from equipoise.history import (
    internal_balancing,
    internal_balancing_data,
    levy_thompson,
    levy_thompson_alliances,
    levy_thompson_data,
)
from equipoise.history.alliance_formation import AGAINST
from equipoise.history.balancing import SEA_POWERS
from equipoise.history.external_balancing import MIN_GROUP_YEARS, _logistic_dose_response
from equipoise.history.loaders import load_alliances, load_majors

LT_COLUMNS = [
    "measure",
    "group",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
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
    "dose_response_slope",
    "dose_response_odds_ratio_10pp",
    "coalition_size_after",
    "coalition_size_base",
    "coalition_size_correlation",
]
LT_SETTINGS = {
    "threshold",
    "k",
    "pacts",
    "against",
    "capability",
    "members",
    "exclude",
    "region",
    "min_great_powers",
    "lag",
    "start",
    "end",
}
IB_COLUMNS = ["predictor", "measure", "estimate", "ci_low", "ci_high", "n", "n_years", "lag"]


def _contains(table: pd.DataFrame) -> bool:
    """Every estimate with an interval lies inside it (no interval from a single value)."""
    ok = table[["estimate", "ci_low", "ci_high"]].notna().all(axis=1)
    t = table[ok]
    return bool(((t["ci_low"] <= t["estimate"]) & (t["estimate"] <= t["ci_high"])).all())


def _quiet(function, **kwargs):
    """Call a Levy & Thompson function with the small-group warning silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="levy_thompson: the")
        return function(**kwargs)


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
    assert set(lt.attrs) == LT_SETTINGS
    assert lt.attrs["threshold"] == 1 / 3 and lt.attrs["k"] == 5
    assert lt.attrs["pacts"] == ("defense", "offense") and lt.attrs["against"] == "named"
    assert (lt.attrs["start"], lt.attrs["end"], lt.attrs["region"]) == (1816, 2016, "world")
    assert lt.attrs["exclude"] == SEA_POWERS and lt.attrs["members"] == "major"
    after, base = lt.iloc[0], lt.iloc[1]
    assert after["estimate"] == after["years_with_alliance"] / after["n_years"]
    assert base["estimate"] == base["years_with_alliance"] / base["n_years"]
    assert 0 <= after["ci_low"] <= after["ci_high"] <= 1
    p = lt.set_index("measure")["p_value"]
    assert p[["rate_difference", "rate_ratio", "alliance_rate_ratio"]].between(0, 1).all()


def test_levy_thompson_is_deterministic(lt):
    pd.testing.assert_frame_equal(lt, levy_thompson())


def test_levy_thompson_table_matches_year_data(lt, lt_years):
    for group, row in (("after", 0), ("base", 1)):
        g = lt_years[lt_years["group"] == group]
        assert lt.loc[row, "n_years"] == len(g)
        assert lt.loc[row, "years_with_alliance"] == (g["n_alliances"] > 0).sum()
        assert lt.loc[row, "alliances"] == g["n_alliances"].sum()
    dose = lt.set_index("measure").loc["dose_response_slope"]
    used = lt_years[lt_years["dose_target"].notna()]
    assert dose["n_years"] == len(used) == len(lt_years) - 1  # the first year has no t-1
    assert dose["years_with_alliance"] == (used["dose_alliances"] > 0).sum()


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
        if year > 1816:
            assert row["dose_target"] == d.loc[year - 1, "land_leader"]
            assert row["dose_share"] == d.loc[year - 1, "land_leader_share"]


@pytest.mark.parametrize("against", AGAINST)
def test_counted_alliances_follow_the_definition(against):
    """Every counted alliance satisfies its definition of "against", on the real data."""
    years = _quiet(levy_thompson_data, capability="milper", against=against)
    members = load_alliances("member")
    begin = members.groupby("atopid")["yrent"].min()
    majors = load_majors()
    counted = 0
    for year, row in years[years["n_alliances"] > 0].iterrows():
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
            threats = set(rows["statthr1"].dropna().astype(int)) | set(
                rows["statthr2"].dropna().astype(int)
            )
            if against == "named":
                assert row["target"] in threats
                assert ((rows["defense"] == 1) | (rows["offense"] == 1)).any()
            elif against == "defensive":
                assert (rows["defense"] == 1).any()
                assert row["target"] == row["land_leader"]  # formed while it leads
            else:
                assert ((rows["defense"] == 1) | (rows["offense"] == 1)).any()
            counted += 1
    assert counted == years["n_alliances"].sum() > 0


def test_against_definitions_on_known_alliances():
    """The review's cases: who balances Russia under army size (milper)?"""
    kw = {"capability": "milper"}
    named = _quiet(levy_thompson_alliances, against="named", **kw).set_index("atopid")
    defensive = _quiet(levy_thompson_alliances, against="defensive", **kw).set_index("atopid")
    without = _quiet(levy_thompson_alliances, against="without", **kw).set_index("atopid")
    # 1879 Dual Alliance (1335): ATOP names Russia, so it is balancing Russia.
    assert named.loc[1335, "target_abb"] == "RUS" and named.loc[1335, "names_target"]
    # 1882 Triple Alliance (1350): ATOP names France; it counts against Russia only under
    # the structural definitions.
    assert 1350 not in named.index
    assert 1350 in defensive.index and 1350 in without.index
    # 1939 German-Italian pact (2445): Germany, not Russia, led in 1939.
    assert 2445 in without.index and without.loc[2445, "target_abb"] == "RUS"
    assert 2445 not in named.index and 2445 not in defensive.index
    # NATO (3180) names no state: a defensive pact against the leading Soviet Union only.
    assert 3180 not in named.index
    assert defensive.loc[3180, "target_abb"] == "RUS"


def test_definitions_nest_and_pacts_widen():
    base = levy_thompson_data(against="without")
    for against in ("named", "defensive"):
        narrow = levy_thompson_data(against=against)
        for a, b in zip(narrow["atopids"], base["atopids"], strict=True):
            assert set(a) <= set(b)
    wider = levy_thompson_data(against="without", pacts=("defense", "offense", "neutral", "consul"))
    assert (wider["n_alliances"] >= base["n_alliances"]).all()
    assert wider["n_alliances"].sum() > base["n_alliances"].sum()


def test_levy_thompson_windows_europe_and_pre_1945():
    lt = _quiet(levy_thompson, capability="milper", region="europe", end=1944)
    assert (lt.attrs["region"], lt.attrs["start"], lt.attrs["end"]) == ("europe", 1816, 1944)
    d = _quiet(levy_thompson_data, capability="milper", region="europe", end=1944)
    assert d.index.max() == 1944
    leaders = d["land_leader"].dropna().astype(int)
    assert leaders.between(200, 399).all()  # European land powers only
    assert set(d["land_leader_abb"].dropna()) <= {"FRN", "GMY", "AUH", "ITA", "RUS"}
    per_alliance = _quiet(levy_thompson_alliances, capability="milper", region="europe", end=1944)
    for gps in per_alliance["great_powers"]:
        assert all(200 <= c <= 399 for c in gps)
    # In 1913 shares are of the European great powers: the USA and Japan are left out.
    world = _quiet(levy_thompson_data, capability="milper", end=1944)
    assert d.loc[1913, "land_leader_share"] > world.loc[1913, "land_leader_share"]


def test_small_groups_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        levy_thompson()  # CINC: 39 after and 160 base years, no warning
    with pytest.warns(UserWarning, match=r"the 'base' group has 24 years \(fewer than 30\)"):
        levy_thompson(capability="milper")


def test_levy_thompson_variants_print():
    lines = []
    for label, kwargs in [
        ("CINC, majors, k=5", {}),
        ("milper (army size), named threat", {"capability": "milper"}),
        ("milper, defensive pact", {"capability": "milper", "against": "defensive"}),
        ("milper, without the leader", {"capability": "milper", "against": "without"}),
        ("milper, Europe, 1816-1944", {"capability": "milper", "region": "europe", "end": 1944}),
        (
            "milper, Europe, 1816-1944, defensive",
            {"capability": "milper", "region": "europe", "end": 1944, "against": "defensive"},
        ),
        ("CINC, majors, k=10", {"k": 10}),
        ("CINC, all states, threshold 0.2", {"members": "all", "threshold": 0.2}),
    ]:
        t = _quiet(levy_thompson, **kwargs).set_index("measure")
        assert _contains(t.reset_index())
        a, b, r = t.loc["rate_after"], t.loc["rate_base"], t.loc["rate_ratio"]
        s, c = t.loc["dose_response_slope"], t.loc["coalition_size_correlation"]
        lines.append(
            f"{label:38s} after {a['estimate']:.3f} [{a['ci_low']:.3f}, {a['ci_high']:.3f}] "
            f"(n={a['n_years']})  base {b['estimate']:.3f} [{b['ci_low']:.3f}, "
            f"{b['ci_high']:.3f}] (n={b['n_years']})  ratio {r['estimate']:.2f} "
            f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]  dose {s['estimate']:+.2f} "
            f"[{s['ci_low']:+.2f}, {s['ci_high']:+.2f}]  size rho {c['estimate']:+.2f} "
            f"(n={c['alliances']})"
        )
    print("\nLevy & Thompson variants (share of years with a new alliance against the leader):")
    print("\n".join(lines))


# --- Levy & Thompson on a hand-made system --------------------------------------------------


def _toy_system() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    years = range(1900, 1910)
    caps = {1: 0.2, 5: 0.19, 3: 0.18, 200: 0.4}  # 1 = A, the land leader; 200 = sea power
    rows = []
    for y in years:
        for code, c in caps.items():
            value = c
            if code == 1 and y == 1902:
                value = 0.5  # A's peak: .5 / 1.27 = .394 >= 1/3
            if code == 5 and y == 1904:
                value = 0.25  # B leads the land powers in 1904, below the threshold
            rows.append((code, y, f"S{code}", value))
    rows.append((99, 1900, "MIN", 0.01))  # a minor power, member in 1900 only
    nmc = pd.DataFrame(rows, columns=["ccode", "year", "stateabb", "cinc"])
    majors = pd.DataFrame({"ccode": [1, 5, 3, 200], "styear": [1900] * 4, "endyear": [1909] * 4})

    def pact(aid, member, yrent, kind, threat=0):
        flags = {p: int(p == kind) for p in ("defense", "offense", "neutral", "nonagg", "consul")}
        return {
            "atopid": aid,
            "member": member,
            "yrent": yrent,
            "statthr1": threat,
            "statthr2": 0,
            **flags,
        }

    alliances = pd.DataFrame(
        [
            pact(10, 5, 1903, "defense", threat=1),  # B + C name A, after its peak: all three
            pact(10, 3, 1903, "defense", threat=1),
            pact(11, 1, 1904, "defense"),  # includes the target: never
            pact(11, 5, 1904, "defense"),
            pact(17, 5, 1904, "defense", threat=1),  # names A, but B leads in 1904:
            pact(17, 3, 1904, "defense", threat=1),  # named and without, not defensive
            pact(17, 200, 1904, "defense", threat=1),
            pact(12, 5, 1905, "defense", threat=1),  # one great power only: never
            pact(12, 99, 1905, "defense", threat=1),
            pact(13, 5, 1906, "consul", threat=1),  # consultation only: never by default
            pact(13, 3, 1906, "consul", threat=1),
            pact(14, 5, 1907, "offense"),  # B + sea power, offence, no threat: without only
            pact(14, 200, 1907, "offense"),
            pact(15, 5, 1908, "defense", threat=99),  # names a minor: defensive and without
            pact(15, 3, 1908, "defense", threat=99),
            pact(15, 1, 1909, "defense"),  # A joins later; founders are B + C
            pact(16, 5, 1909, "defense", threat=1),  # B + C name A: all three
            pact(16, 3, 1909, "defense", threat=1),
        ]
    )
    return nmc, majors, alliances


# Expected new alliances per year under each definition, 1900-1909.
TOY_COUNTED = {
    "named": [(), (), (), (10,), (17,), (), (), (), (), (16,)],
    "defensive": [(), (), (), (10,), (), (), (), (), (15,), (16,)],
    "without": [(), (), (), (10,), (17,), (), (), (14,), (15,), (16,)],
}
# (after years with an alliance, base years with an alliance); 2 after and 7 base years.
TOY_RATES = {"named": (2, 1), "defensive": (1, 2), "without": (2, 3)}


@pytest.mark.parametrize("against", AGAINST)
def test_levy_thompson_by_hand(against):
    nmc, majors, alliances = _toy_system()
    kw = {"nmc": nmc, "majors": majors, "alliances": alliances, "k": 2, "against": against}
    d = levy_thompson_data(**kw)
    assert d["above"].tolist() == [False, False, True] + [False] * 7
    assert d["group"].tolist() == ["base", "base", "onset", "after", "after"] + ["base"] * 5
    assert d["land_leader"].tolist() == [1, 1, 1, 1, 5, 1, 1, 1, 1, 1]
    assert (d["target"] == 1).all()  # 1904 is an after year of A's 1902 peak
    assert d["atopids"].tolist() == TOY_COUNTED[against]
    with pytest.warns(UserWarning, match="fewer than 30") as record:
        t = levy_thompson(**kw).set_index("measure")
    assert {str(w.message).split("'")[1] for w in record} == {"after", "base"}
    after_hits, base_hits = TOY_RATES[against]
    assert t.loc["rate_after", "estimate"] == after_hits / 2
    assert t.loc["rate_base", "estimate"] == pytest.approx(base_hits / 7)
    assert t.loc["rate_after", "n_years"] == 2 and t.loc["rate_base", "n_years"] == 7
    assert t.loc["rate_difference", "estimate"] == pytest.approx(after_hits / 2 - base_hits / 7)
    assert _contains(t.reset_index())
    assert t.attrs["against"] == against and t.attrs["k"] == 2
    assert t.attrs["pacts"] == (("defense",) if against == "defensive" else ("defense", "offense"))


def test_levy_thompson_by_hand_dose_and_coalitions():
    nmc, majors, alliances = _toy_system()
    kw = {"nmc": nmc, "majors": majors, "alliances": alliances, "k": 2}
    d = levy_thompson_data(**kw)
    # The dose target is last year's land leader: B (5) for 1905, A otherwise.
    assert d["dose_target"].fillna(-1).tolist() == [-1, 1, 1, 1, 1, 5, 1, 1, 1, 1]
    assert d["dose_alliances"].tolist() == [0, 0, 0, 1, 1, 0, 0, 0, 0, 1]
    assert d.loc[1903, "dose_share"] == pytest.approx(0.5 / 1.27)
    per = levy_thompson_alliances(**kw).set_index("atopid")
    assert per.index.tolist() == [10, 17, 16]
    assert per["n_great_powers"].tolist() == [2, 3, 2]  # 17: B, C and the sea power
    assert per.loc[17, "great_powers"] == (3, 5, 200)
    assert per.loc[17, "coalition_share"] == pytest.approx((0.25 + 0.18 + 0.4) / 1.03)
    assert per.loc[10, "target_share"] == pytest.approx(0.2 / 0.97)
    with pytest.warns(UserWarning):
        t = levy_thompson(**kw).set_index("measure")
    assert t.loc["coalition_size_after", "estimate"] == 2.5
    assert t.loc["coalition_size_base", "estimate"] == 2.0
    assert t.loc["coalition_size_after", "alliances"] == 2
    dose = t.loc["dose_response_slope"]
    assert (dose["n_years"], dose["years_with_alliance"], dose["alliances"]) == (9, 3, 3)
    used = d[d["dose_target"].notna()]
    fit = sm.Logit((used["dose_alliances"] > 0).astype(float), sm.add_constant(used["dose_share"]))
    assert dose["estimate"] == pytest.approx(fit.fit(disp=0).params.iloc[1])


def test_dose_response_slope_is_the_log_odds_ratio():
    """With two values of the share, the logit slope is the log odds ratio per unit share."""
    x = np.repeat([0.2, 0.5], [40, 40])
    y = np.concatenate([np.arange(40) < 8, np.arange(40) < 20])  # 8/40 and 20/40
    slope, low, high, p = _logistic_dose_response(x, y)
    log_or = np.log((20 / 20) / (8 / 32))
    assert slope == pytest.approx(log_or / 0.3)
    se = np.sqrt(1 / 8 + 1 / 32 + 1 / 20 + 1 / 20) / 0.3
    assert (high - low) / 2 == pytest.approx(1.959964 * se, rel=1e-5)
    assert 0 < p < 0.05
    assert all(np.isnan(_logistic_dose_response(x, np.zeros(80, dtype=bool))))
    separated = _logistic_dose_response(x, x > 0.3)  # perfect separation: no estimate
    assert all(np.isnan(separated))


def test_levy_thompson_errors():
    with pytest.raises(ValueError, match="The 'threshold' parameter"):
        levy_thompson(threshold=0)
    with pytest.raises(ValueError, match="The 'k' parameter"):
        levy_thompson(k=0)
    with pytest.raises(ValueError, match="The 'pacts' parameter"):
        levy_thompson(pacts=("defence",))
    with pytest.raises(ValueError, match="The 'min_great_powers' parameter"):
        levy_thompson(min_great_powers=0)
    with pytest.raises(ValueError, match="The 'against' parameter must be one of named"):
        levy_thompson(against="aimed")
    with pytest.raises(ValueError, match="The 'region' parameter"):
        levy_thompson(region="asia")
    with pytest.raises(ValueError, match="The 'lag' parameter"):
        levy_thompson(lag=-1)
    nmc, majors, alliances = _toy_system()
    with pytest.raises(ValueError, match="missing column"):
        levy_thompson(nmc=nmc, majors=majors, alliances=alliances.drop(columns="offense"))
    with pytest.raises(ValueError, match="statthr1"):
        levy_thompson(nmc=nmc, majors=majors, alliances=alliances.drop(columns="statthr1"))


def test_min_group_years_constant():
    assert MIN_GROUP_YEARS == 30


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
