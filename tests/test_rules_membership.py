"""States entering and leaving without conquest: hand-built worlds and small runs."""

from __future__ import annotations

import numpy as np
import pytest

from equipoise import InvalidScenarioError, Scenario, run
from equipoise.rules import indexes, membership
from equipoise.rules.membership import DISSOLVE, DORMANT, ENTER, MERGE
from test_rules_geography import _check_fronts
from worldkit import make_world

# a 6 x 1 line: A holds 0-2 (capital 0), B holds 3-5 (capital 5); C's site is 1-2 (capital 2)
OWNER = [0, 0, 0, 1, 1, 1]
CAPITALS = [0, 5, 2]


def _line(events):
    owner = list(OWNER)
    w, p, graph = make_world(
        6, 1, owner, CAPITALS, [1.0, 1.0, 0.0], events=events, output=[1.0] * 6
    )
    site = np.array([0, 2, 2, 1, 1, 1], dtype=np.int64)
    return w, p, graph, site


def _shares(rows):
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def test_a_state_that_enters_later_is_dormant_until_its_date():
    events = np.array([[0, DORMANT, 2, -1], [3, ENTER, 2, -1]], dtype=np.int64)
    w, p, graph, site = _line(events)
    assert not w.alive[2] and w.alive[0] and w.alive[1]
    assert w.economy[2] == 0.0 and w.military[2] == 0.0
    shares = _shares([np.nan] * 3 + [0.2, 0.1, 1.0])
    k = membership.apply_events(w, p, events, shares, site, 2, 0)
    assert k == 1 and not w.alive[2]  # not yet
    k = membership.apply_events(w, p, events, shares, site, 3, k)
    assert k == 2 and w.alive[2]
    # it holds its site, capital included, taken from A
    assert np.asarray(w.owner).tolist() == [0, 2, 2, 1, 1, 1]
    # with the given shares of the living states' output and military on entry
    economy = np.asarray(w.economy)
    military = np.asarray(w.military)
    assert economy[2] / economy.sum() == pytest.approx(0.2)
    assert military[2] / military.sum() == pytest.approx(0.1)
    _check_fronts(w, graph, 3)


def test_an_entry_spares_a_living_holders_capital():
    events = np.array([[0, DORMANT, 2, -1], [1, ENTER, 2, -1]], dtype=np.int64)
    w, p, _, _ = _line(events)
    site = np.array([2, 2, 2, 1, 1, 1], dtype=np.int64)  # A's capital lies in C's site
    membership.apply_events(w, p, events, _shares([np.nan] * 3 + [0.2, 0.2, 1.0]), site, 1, 0)
    assert np.asarray(w.owner).tolist() == [0, 2, 2, 1, 1, 1]
    assert w.alive[0] and w.capital[0] == 0


def test_a_merge_hands_provinces_and_forces_to_the_successor_and_is_no_death():
    events = np.array([[2, MERGE, 0, 1]], dtype=np.int64)
    w, p, graph, site = _line(events)
    before = float(w.military[0] + w.military[1])
    output = float(w.economy[0] + w.economy[1])
    membership.apply_events(w, p, events, _shares([np.nan, np.nan, 1.0]), site, 2, 0)
    assert not w.alive[0] and w.alive[1]
    assert np.asarray(w.owner).tolist() == [1, 1, 1, 1, 1, 1]
    assert w.military[1] == pytest.approx(before)
    assert w.economy[1] == pytest.approx(output)  # the provinces keep their output
    assert w.clock[membership.CLK_DEATHS] == 0
    _check_fronts(w, graph, 3)


def test_a_dissolved_state_leaves_land_no_member_holds_until_a_successor_enters():
    events = np.array(
        [[0, DORMANT, 2, -1], [4, DISSOLVE, 0, -1], [4, ENTER, 2, -1]], dtype=np.int64
    )
    w, p, graph, site = _line(events)
    site = np.array([2, 2, 2, 1, 1, 1], dtype=np.int64)  # C succeeds A on all of its land
    shares = _shares([np.nan] * 6 + [0.3, 0.3, 1.0])
    membership.apply_events(w, p, events, shares, site, 4, 0)
    assert not w.alive[0] and w.alive[2]
    # the capital too: A had left before C entered
    assert np.asarray(w.owner).tolist() == [2, 2, 2, 1, 1, 1]
    _check_fronts(w, graph, 3)


def test_events_that_no_longer_apply_are_skipped():
    events = np.array([[2, MERGE, 0, 1]], dtype=np.int64)
    w, p, _, site = _line(events)
    indexes.transfer(w, p, 0, 1)  # A's capital taken: say the model conquered it
    w.alive[0] = False
    before = np.asarray(w.owner).tolist()
    membership.apply_events(w, p, events, _shares([np.nan] * 3), site, 2, 0)
    assert np.asarray(w.owner).tolist() == before


def _system(**extra):
    states = [
        {"name": "A", "economy": 1.0, "military": 0.25, "x": 0.0, "y": 0.0},
        {"name": "B", "economy": 1.0, "military": 0.25, "x": 6.0, "y": 0.0},
        {
            "name": "C",
            "economy": 0.4,
            "military": 0.1,
            "x": 3.0,
            "y": 4.0,
            "present": False,
            "held_by": "A",
        },
        {"name": "D", "economy": 0.4, "military": 0.1, "x": 3.0, "y": -4.0},
    ]
    data = {
        "name": "membership",
        "states": states,
        "war": {"enabled": False},
        "events": [
            {"step": 5, "kind": "enter", "state": "C", "economy": 0.2},
            {"step": 8, "kind": "merge", "state": "D", "successor": "B"},
        ],
    }
    data.update(extra)
    return Scenario.from_dict(data)


def test_a_run_applies_the_events_on_their_dates():
    result = run(_system(), replications=3, steps=12, seed=1, record_states=True)
    ds = result.dataset
    provinces = ds["provinces"].values
    share = ds["share"].values
    survivors = ds["survivors"].values
    assert (survivors[:, :5] == 3).all() and (survivors[:, 5:8] == 4).all()
    assert (survivors[:, 8:] == 3).all()
    assert (share[:, :5, 2] == 0).all() and (share[:, 5:, 2] > 0).all()
    assert (provinces[:, 8:, 3] == 0).all()
    assert (ds["deaths"].values == 0).all()
    # the same bits however the replications are grouped
    again = run(
        _system(), replications=3, steps=12, seed=1, record_states=True, threads=1, chunk_size=1
    )
    assert np.array_equal(again.dataset["share"].values, share)


def test_the_events_round_trip_through_toml():
    s = _system()
    assert Scenario.from_toml(s.to_toml()) == s


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([{"step": 3, "kind": "merge", "state": "A"}], "needs a successor"),
        ([{"step": 2, "kind": "dissolve", "state": "C"}], "cannot dissolve on step 2"),
        ([{"step": 3, "kind": "merge", "state": "Z", "successor": "A"}], "unknown state 'Z'"),
        ([{"step": 3, "kind": "dissolve", "state": "A", "economy": 0.1}], "only an entry"),
    ],
)
def test_bad_events_are_refused_in_one_line(events, message):
    entry = {"step": 5, "kind": "enter", "state": "C", "economy": 0.2}
    with pytest.raises(InvalidScenarioError, match=message) as err:
        _system(events=[entry, *events])
    assert "\n" not in str(err.value)


def test_an_absent_state_must_enter():
    with pytest.raises(InvalidScenarioError, match="absent at the start and never enters"):
        _system(events=[])


def test_a_restoration_of_a_state_the_model_has_not_conquered_does_nothing():
    entry = {"step": 5, "kind": "enter", "state": "C", "economy": 0.2}
    again = {"step": 9, "kind": "enter", "state": "A", "economy": 0.5}
    plain = run(_system(), replications=2, steps=12, seed=3, record_states=True)
    restored = run(
        _system(events=[entry, again, _system().events[1].model_dump()]),
        replications=2,
        steps=12,
        seed=3,
        record_states=True,
    )
    assert np.array_equal(plain.dataset["share"].values, restored.dataset["share"].values)


def test_an_entrant_starts_with_no_pacts_and_a_leaver_keeps_none():
    from equipoise.rules import treaties
    from worldkit import scenario_for

    events = np.array([[0, DORMANT, 2, -1], [3, ENTER, 2, -1], [6, ENTER, 2, -1]], np.int64)
    scenario = scenario_for(3, alliances={"treaties": True})
    w, p, _ = make_world(
        6, 1, OWNER, CAPITALS, [1.0, 1.0, 0.0], events=events, output=[1.0] * 6, scenario=scenario
    )
    site = np.array([0, 2, 2, 1, 1, 1], dtype=np.int64)
    none = np.full(3, -1, np.int64)
    treaties.start(w, p, np.array([[0, 1, 0], [0, 2, 0], [1, 2, 0]], np.int64), none)
    assert np.asarray(w.pact)[2].tolist() == [-1, -1, -1]  # dormant at the start: no pact
    shares = _shares([np.nan] * 3 + [0.2, 0.1, 1.0] + [0.2, 0.1, 1.0])
    membership.apply_events(w, p, events, shares, site, 3, 0)
    assert w.alive[2] and np.asarray(w.pact)[2].tolist() == [-1, -1, -1]
    treaties.start(w, p, np.array([[0, 2, 0]], np.int64), none)
    assert w.pact[0, 2] >= 0
    membership.leave(w, p, 2)
    membership.apply_events(w, p, events, shares, site, 6, 2)
    assert w.alive[2] and np.asarray(w.pact)[2].tolist() == [-1, -1, -1]
    assert w.side[2] == 0
