"""The whole state system over time: entrants, their dates and shares, and the exits replayed."""

from __future__ import annotations

import numpy as np
import pytest

from equipoise import InvalidScenarioError, Scenario, run
from equipoise.history import scenario_from_history
from equipoise.history.loaders import load_states


@pytest.fixture(scope="module")
def system_1816():
    return scenario_from_history(1816, states="all", entries=True, until=1914)


def test_every_state_joining_by_the_last_year_is_listed_absent_until_its_date(system_1816):
    spells = load_states()
    later = set(spells[(spells["styear"] > 1816) & (spells["styear"] <= 1914)]["stateabb"])
    start = set(spells[(spells["styear"] <= 1816) & (spells["endyear"] >= 1816)]["stateabb"])
    names = {s.name: s for s in system_1816.states}
    assert later - start <= set(names)
    assert all(not names[a].present for a in later - start)
    assert all(names[a].present for a in start)
    entry = {(e.state, e.step) for e in system_1816.events if e.kind == "enter"}
    assert ("BEL", 1830 - 1816) in entry and ("JPN", 1860 - 1816) in entry


def test_the_unifications_are_merges_and_conquests_are_left_to_the_model(system_1816):
    merges = {(e.state, e.successor, e.step) for e in system_1816.events if e.kind == "merge"}
    assert ("BAV", "GMY", 1871 - 1816 + 1) in merges  # a member in 1871, gone in 1872
    assert ("TUS", "ITA", 1860 - 1816 + 1) in merges
    merged = {state for state, _, _ in merges}
    assert "HAN" not in merged and "PAP" not in merged  # annexed after war: the model's own


def test_exits_all_replays_the_conquests_too():
    s = scenario_from_history(1816, states="all", entries=True, until=1914, exits="all")
    merges = {(e.state, e.successor) for e in s.events if e.kind == "merge"}
    assert ("HAN", "GMY") in merges and ("PAP", "ITA") in merges
    none = scenario_from_history(1816, states="all", entries=True, until=1914, exits="none")
    assert {e.kind for e in none.events} == {"enter"}


def test_a_secession_starts_on_its_predecessors_land(system_1816):
    names = {s.name: s for s in system_1816.states}
    assert names["BEL"].held_by == "NTH"
    assert names["GRC"].held_by == "TUR"


def test_an_entrant_has_its_entry_years_share_of_the_system(system_1816):
    result = run(
        system_1816.replace(war={"enabled": False}),
        replications=2,
        steps=20,
        seed=5,
        record_states=True,
    )
    names = system_1816.state_names()
    share = result.dataset["share"].values
    bel = names.index("BEL")
    step = 1830 - 1816
    assert (share[:, :step, bel] == 0).all()
    assert (share[:, step:, bel] > 0).all()
    survivors = result.dataset["survivors"].values
    assert survivors[0, 0] == sum(s.present for s in system_1816.states)
    assert np.all(np.diff(survivors[:, :12], axis=1) >= 0)  # entries only, war off


def test_entries_need_the_whole_system():
    with pytest.raises(InvalidScenarioError, match="states='all'"):
        scenario_from_history(1816, entries=True)
    with pytest.raises(InvalidScenarioError, match="exits must be one of"):
        scenario_from_history(1816, states="all", entries=True, exits="some")
    with pytest.raises(InvalidScenarioError, match="must come after"):
        scenario_from_history(1900, states="all", entries=True, until=1890)


def test_the_cli_writes_the_whole_system_and_refuses_bad_input_in_one_line(tmp_path):
    import subprocess

    from equipoise import Scenario

    def equipoise(*args):
        return subprocess.run(
            ["equipoise", "scenario", "history", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
        )

    ok = equipoise("1816", "--states", "all", "--entries", "--until", "1850", "-o", "s.toml")
    assert ok.returncode == 0, ok.stderr
    s = Scenario.load(tmp_path / "s.toml")
    assert sum(not spec.present for spec in s.states) > 0
    assert s.war.integrity_norm_step == 131
    assert s.alliances.treaties and s.initial_pacts and not s.initial_alliances
    ok = equipoise(
        "1816", "--states", "all", "--entries", "--until", "1850", "--alliances", "blocs",
        "-o", "b.toml",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    blocs = Scenario.load(tmp_path / "b.toml")
    assert not blocs.alliances.treaties and blocs.initial_alliances and not blocs.initial_pacts
    for args, step in ((["--integrity-norm", "1920"], 105), (["--no-integrity-norm"], None)):
        ok = equipoise("1816", *args, "-o", "n.toml", "--force")
        assert ok.returncode == 0, ok.stderr
        assert Scenario.load(tmp_path / "n.toml").war.integrity_norm_step == step
    for args, message in (
        (["1700"], "outside the NMC coverage"),
        (["1816", "--entries"], "needs states='all'"),
        (["1816", "--until", "1900"], "go with --entries"),
    ):
        bad = equipoise(*args, "-o", "x.toml")
        assert bad.returncode == 2
        assert message in bad.stderr and bad.stderr.strip().count("\n") == 0
        assert not (tmp_path / "x.toml").exists()


def test_the_territorial_integrity_norm_starts_in_the_step_of_1946():
    # step s is the year start + s - 1: the norm's first step is the step of 1946
    assert scenario_from_history(1816).war.integrity_norm_step == 1946 - 1816 + 1
    assert scenario_from_history(1990).war.integrity_norm_step == 0  # in force from the start
    assert scenario_from_history(1816, integrity_norm=None).war.integrity_norm_step is None
    given = scenario_from_history(1816, war={"integrity_norm_step": 7})
    assert given.war.integrity_norm_step == 7
    assert given.war.attack_probability == Scenario(n_states=2).war.attack_probability


def test_the_whole_system_has_borders_and_seas_by_default():
    whole = scenario_from_history(1816, states="all", entries=True, until=1830)
    assert whole.map.geography == "contiguity"
    assert whole.map.land_borders and whole.map.sea_borders
    lattice = scenario_from_history(
        1816, states="all", entries=True, until=1830, map={"geography": "lattice"}
    )
    assert lattice.map.geography == "lattice" and lattice.map.land_borders is None
    assert scenario_from_history(1816, states="all").map.geography == "lattice"


def test_the_whole_system_has_treaties_by_default_and_blocs_on_request():
    """With blocs the whole system formed alliances ~600 times too rarely against ATOP."""
    whole = scenario_from_history(1816, states="all", entries=True, until=1830)
    assert whole.alliances.treaties
    assert whole.initial_pacts and not whole.initial_alliances
    assert all(str(row[3]).startswith("atop-") for row in whole.initial_pacts)  # ATOP's ids
    blocs = scenario_from_history(
        1816, states="all", entries=True, until=1830, alliances={"treaties": False}
    )
    assert not blocs.alliances.treaties and not blocs.initial_pacts
    other = scenario_from_history(
        1816, states="all", entries=True, until=1830, alliances={"pact_duration": 20.0}
    )  # other alliance settings keep the default
    assert other.alliances.treaties and other.alliances.pact_duration == 20.0
    # a snapshot (no entries) keeps the blocs, as every scenario outside the whole system
    assert not scenario_from_history(1816, states="all").alliances.treaties
