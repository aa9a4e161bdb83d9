"""Scenarios from history: COW capabilities, ATOP alliances and capitals as a starting point."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equipoise import run
from equipoise.history import load_nmc, load_states, load_system
from equipoise.history.scenario_builder import (
    HISTORY_REACH_KM,
    KM_PER_UNIT,
    capital_positions,
    great_circle_km,
    load_capitals,
    scenario_from_history,
)
from equipoise.scenario import InvalidScenarioError, Scenario

YEARS = (1816, 1913, 1938)
MAJORS_1913 = ["USA", "UKG", "FRN", "GMY", "AUH", "ITA", "RUS", "JPN"]


@pytest.fixture(scope="module")
def built() -> dict[tuple[int, str], Scenario]:
    return {(y, s): scenario_from_history(y, s) for y in YEARS for s in ("major", "all")}


def _unit_km(s: Scenario) -> float:
    """Kilometres per province of the scenario's map (its capitals are 10,000 km units)."""
    from equipoise import maps

    graph = maps.map_for_states(
        np.array([st.x for st in s.states]),
        np.array([st.y for st in s.states]),
        np.array([st.economy for st in s.states]),
        np.array([st.military for st in s.states]),
        s.power.economic_weight,
        s.map.provinces_per_state,
        coordinate_km=KM_PER_UNIT,
    )
    assert graph.unit_km is not None
    return graph.unit_km


def _distance(s: Scenario, a: str, b: str) -> float:
    pos = {st.name: (st.x, st.y) for st in s.states}
    return math.dist(pos[a], pos[b]) * KM_PER_UNIT


# ------------------------------------------------------------------ building and running
@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("which", ["major", "all"])
def test_builds_and_runs(built, year, which):
    s = built[(year, which)]
    assert s.name == f"history-{year}-{which}"
    members = load_system().query("year == @year")
    if which == "all":
        assert s.size == len(members)
    else:
        assert 5 <= s.size <= 8
    assert all(st.economy > 0 and st.military >= 0 for st in s.states)
    assert sum(st.economy for st in s.states) == pytest.approx(1.0, abs=0.05)
    assert s.power.reach == pytest.approx(HISTORY_REACH_KM / _unit_km(s), rel=1e-3)
    result = run(s, replications=20, steps=20, seed=1)
    share = result.dataset["leader_share"].to_numpy()
    assert share.shape == (20, 21)
    assert np.all((share > 0) & (share <= 1))


def test_majors_1913(built):
    assert built[(1913, "major")].state_names() == MAJORS_1913


def test_majors_1816_and_1938(built):
    assert built[(1816, "major")].state_names() == ["UKG", "FRN", "GMY", "AUH", "RUS"]
    assert built[(1938, "major")].state_names() == ["USA", "UKG", "FRN", "GMY", "ITA", "RUS", "JPN"]


def test_alliances_1913(built):
    pairs = {frozenset(p) for p in built[(1913, "major")].initial_alliances}
    assert frozenset({"GMY", "AUH"}) in pairs  # Dual / Triple Alliance
    assert frozenset({"GMY", "ITA"}) in pairs  # Triple Alliance
    assert frozenset({"FRN", "RUS"}) in pairs  # Franco-Russian alliance
    assert frozenset({"UKG", "JPN"}) in pairs  # Anglo-Japanese alliance
    assert frozenset({"UKG", "FRN"}) not in pairs  # the Entente is consultative, not a pact


def test_pact_types_are_a_parameter():
    narrow = scenario_from_history(1913, pacts="defense")
    wide = scenario_from_history(1913, pacts=("defense", "offense", "neutral", "consul"))
    narrow_pairs = {frozenset(p) for p in narrow.initial_alliances}
    wide_pairs = {frozenset(p) for p in wide.initial_alliances}
    assert narrow_pairs <= wide_pairs
    assert frozenset({"UKG", "FRN"}) in wide_pairs  # Entente consultation pacts (ATOP consul)


def test_alliances_name_selected_states_only(built):
    for s in built.values():
        names = set(s.state_names())
        assert all(a in names and b in names and a != b for a, b in s.initial_alliances)


def test_capabilities_are_cinc_over_the_selection(built):
    """With the default weights, initial capability shares are CINC recomputed over the set."""
    s = built[(1913, "major")]
    nmc = load_nmc()
    rows = nmc[(nmc["year"] == 1913) & nmc["stateabb"].isin(MAJORS_1913)].sort_values("ccode")
    comps = ["milex", "milper", "irst", "pec", "tpop", "upop"]
    x = rows[comps].astype(float).to_numpy()
    assert not np.isnan(x).any()
    cinc = (x / x.sum(axis=0)).mean(axis=1)
    w = s.power.economic_weight
    econ = np.array([st.economy for st in s.states])
    mil = np.array([st.military for st in s.states])
    cap = w * econ / econ.sum() + (1 - w) * mil / mil.sum()
    np.testing.assert_allclose(cap, cinc, atol=1e-5)
    # and the simulation starts from exactly those shares
    share0 = run(s, replications=1, steps=1, seed=1).dataset["share"].values[0, 0]
    np.testing.assert_allclose(share0, cinc, atol=1e-5)


def test_missing_components_are_averaged_over_available():
    # AUH's milex is missing in 1816: its military comes from milper alone.
    s = scenario_from_history(1816)
    nmc = load_nmc()
    rows = nmc[(nmc["year"] == 1816) & nmc["ccode"].isin([200, 220, 255, 300, 365])]
    assert pd.isna(rows.set_index("stateabb").loc["AUH", "milex"])
    milper = rows["milper"].astype(float)
    auh = next(st for st in s.states if st.name == "AUH")
    # the system's military at rest on the mean growth path: a / (exp(g) - 1 + depreciation)
    ratio = s.internal.arming_base / (math.expm1(s.growth.growth_rate) + s.growth.depreciation)
    expected = ratio * float(rows.set_index("stateabb").loc["AUH", "milper"]) / milper.sum()
    assert auh.military == pytest.approx(expected, rel=1e-5)


def test_steady_state_overrides_scale_military():
    base = scenario_from_history(1913)
    doubled = scenario_from_history(1913, internal={"arming_base": 0.06})
    for a, b in zip(base.states, doubled.states, strict=True):
        assert b.military == pytest.approx(2 * a.military, rel=1e-5)
        assert b.economy == a.economy


def test_the_peacetime_arming_shares_keep_the_data_at_rest():
    """Given no arming share, each state arms what holds its NMC military at rest (1816)."""
    from equipoise.engine import build_map, initial_arrays, kernel_params
    from worldkit import world_from_arrays

    s = scenario_from_history(1816)
    graph = build_map(s)
    w = world_from_arrays(s, graph, initial_arrays(s, graph))
    p = kernel_params(s, 1, 0)
    for i, st in enumerate(s.states):
        upkeep = math.exp(p.growth_rate + w.trend[i]) - 1 + p.depreciation
        assert w.arming[i] == pytest.approx(st.military / w.economy[i] * upkeep, rel=1e-12)
        assert w.rest_arming[i] == w.arming[i]
    names = s.state_names()
    # Russia's army was large for its economy, Britain's small: Russia arms a larger share
    assert w.arming[names.index("RUS")] > 2 * w.arming[names.index("UKG")]


def test_overrides_merge_into_tables():
    s = scenario_from_history(1938, war={"enabled": False}, power={"gradient_exponent": 2.0})
    assert s.war.enabled is False
    assert s.power.gradient_exponent == 2.0
    assert s.power.reach == pytest.approx(HISTORY_REACH_KM / _unit_km(s), rel=1e-3)  # from the map
    s = scenario_from_history(1938, power={"reach": 1.0}, strategy="balance_threat")
    assert s.power.reach == 1.0
    assert set(s.strategy_names()) == {"balance_threat"}


def test_explicit_ccodes_and_name():
    s = scenario_from_history(1913, states=[365, 255, 220], name="eastern-front")
    assert s.name == "eastern-front"
    assert s.state_names() == ["FRN", "GMY", "RUS"]  # COW code order
    assert scenario_from_history(1913, states=[220, 365]).name == "history-1913-custom"


# ------------------------------------------------------------------ capitals and distances
def test_capitals_cover_every_cow_state():
    cap = load_capitals()
    assert set(load_states()["ccode"].astype(int)) <= set(cap["ccode"])
    assert cap["ccode"].nunique() == 217
    assert cap["lat"].between(-90, 90).all() and cap["lon"].between(-180, 180).all()
    assert (cap["styear"] <= cap["endyear"]).all()


def test_capitals_cover_every_system_year_once():
    cap = load_capitals()
    sy = load_system()[["ccode", "year"]].astype(int)
    merged = sy.merge(cap, on="ccode")
    inside = merged[(merged["styear"] <= merged["year"]) & (merged["year"] <= merged["endyear"])]
    assert len(inside) == len(sy)
    assert not inside.duplicated(["ccode", "year"]).any()


def test_capital_abbreviations_match_cow():
    cap = load_capitals()
    cow = load_states()
    pairs = set(zip(cap["ccode"].astype(int), cap["stateabb"].astype(str), strict=True))
    assert pairs == set(zip(cow["ccode"].astype(int), cow["stateabb"].astype(str), strict=True))


def test_historical_capitals():
    assert capital_positions([365], 1913).loc[365, "capital"] == "St. Petersburg"
    assert capital_positions([365], 1938).loc[365, "capital"] == "Moscow"
    assert capital_positions([640], 1913).loc[640, "capital"] == "Constantinople"
    assert capital_positions([255, 300, 327, 245], 1850)["capital"].tolist() == [
        "Berlin",
        "Vienna",
        "Rome",
        "Munich",
    ]


def test_distances_plausible(built):
    s = built[(1913, "all")]
    london_paris = _distance(s, "UKG", "FRN")
    london_tokyo = _distance(s, "UKG", "JPN")
    assert london_paris < london_tokyo
    assert london_paris == pytest.approx(great_circle_km(51.51, -0.13, 48.86, 2.35), rel=0.1)
    assert 300 < london_paris < 400
    assert 8_500 < london_tokyo < 10_500  # great circle about 9,560 km
    majors = built[(1913, "major")]
    for a, b, km in [("GMY", "RUS", 1_320), ("UKG", "USA", 5_900), ("USA", "JPN", 10_900)]:
        assert _distance(majors, a, b) == pytest.approx(km, rel=0.15)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"year": 1700}, "year 1700 is outside the NMC coverage 1816-2016"),
        ({"year": 2017}, "outside the NMC coverage"),
        ({"year": "1913"}, "year must be an integer"),
        ({"year": 1913, "states": [2, 999]}, "unknown ccode 999"),
        ({"year": 1913, "states": [2]}, "at least 2 states"),
        ({"year": 1913, "states": [2, 2]}, "given twice"),
        ({"year": 1950, "states": [2, 255]}, r"ccode 255 \(GMY\) is not a system member in 1950"),
        ({"year": 1913, "states": "majors"}, "states must be 'major', 'all'"),
        ({"year": 1913, "states": [2, "200"]}, "COW codes must be integers"),
        ({"year": 1913, "pacts": ["defence"]}, "unknown pact type 'defence'"),
        ({"year": 1913, "pacts": []}, "pacts must name at least one"),
        ({"year": 1913, "strategy": "appease"}, "unknown strategy 'appease'"),
        ({"year": 1913, "name": "bad name"}, "'name'"),
        ({"year": 1913, "war": {"decisiveness": -1.0}}, "war.decisiveness"),
        ({"year": 1913, "initial_alliances": []}, "cannot be overridden"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(InvalidScenarioError, match=match) as info:
        scenario_from_history(**kwargs)
    assert "\n" not in str(info.value)


# ------------------------------------------------------------------ TOML
@pytest.mark.parametrize("key", [(1913, "major"), (1938, "all")])
def test_toml_round_trip(built, key):
    s = built[key]
    back = Scenario.from_toml(s.to_toml())
    assert back == s
    assert back.content_hash() == s.content_hash()


def test_alliances_in_force_start_as_blocs_and_territories_follow_capability(built):
    s = built[(1913, "major")]
    result = run(s, replications=1, steps=1, seed=1)
    bloc = dict(zip(s.state_names(), result.dataset["bloc"].values[0, 0].tolist(), strict=True))
    assert bloc["GMY"] == bloc["AUH"] == bloc["ITA"] >= 0
    assert bloc["FRN"] == bloc["RUS"] >= 0 and bloc["FRN"] != bloc["GMY"]
    assert bloc["UKG"] == bloc["JPN"] >= 0
    assert bloc["USA"] == -1
    held = dict(
        zip(s.state_names(), result.dataset["provinces"].values[0, 0].tolist(), strict=True)
    )
    share = dict(zip(s.state_names(), result.dataset["share"].values[0, 0].tolist(), strict=True))
    assert max(held, key=held.get) == max(share, key=share.get) == "USA"
    assert held["GMY"] > held["ITA"]
