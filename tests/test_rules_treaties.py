"""Alliances as treaties on hand-built worlds: pacts form and end by their hazards, partners fight.

The option ``alliances.treaties`` (:mod:`equipoise.rules.treaties`): treaties of ATOP's kinds
instead of blocs, bilateral or multilateral (a member accedes to a treaty against the threat
it shares), a formation hazard raised by proximity and a reason to ally (balancing at the
alliance threshold, bandwagoning, a landscape side), members withdrawing at a hazard raised
when their conditions change (Leeds & Savun 2007), and defence partners called into a war with
``alliance_reliability`` (Leeds, Long & Mitchell 2000).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clikit import assert_refused
from equipoise import Scenario, run
from equipoise.rules import alliances, geography, membership, threat, treaties, war
from equipoise.scenario import PACT_KINDS, InvalidScenarioError
from equipoise.state import (
    CLK_JOINS,
    CLK_STEP,
    CONSULTATION,
    DEFENCE,
    NEUTRALITY,
    OFFENCE,
    P_END,
    P_KIND,
    P_THREAT,
    P_TREATY,
)
from equipoise.validate.simulation import pact_spells
from worldkit import make_world, scenario_for

#: Four states in a row (0-1-2-3); state 0 the strongest, so the top threat of 1, 2 and 3.
LINE4 = dict(width=4, height=1, owner=[0, 1, 2, 3], capitals=[0, 1, 2, 3])


def _world(strategies=None, seed=0, replication=0, **alliances):
    table = {"treaties": True, "alliance_reliability": 1.0, **alliances}
    s = scenario_for(4, strategies, alliances=table)
    w, p, _ = make_world(
        LINE4["width"],
        LINE4["height"],
        LINE4["owner"],
        LINE4["capitals"],
        [10.0, 1.0, 1.0, 1.0],
        output=[10.0, 1.0, 1.0, 1.0],
        strategies=strategies,
        scenario=s,
        seed=seed,
        replication=replication,
        steps=5000,
    )
    threat.capability_shares(w, p)
    threat.perceive(w, p)
    return w, p


def _next_step(w, p):
    w.clock[CLK_STEP] += 1
    threat.perceive(w, p)
    treaties.negotiate(w, p)


def _in_force(w):
    pact = np.asarray(w.pact)
    return {(a, b) for a, b in zip(*np.nonzero(pact >= 0), strict=True) if a < b}


def _sign(w, p, rows, blocs=None):
    blocs = np.full(p.n_states, -1, np.int64) if blocs is None else np.asarray(blocs, np.int64)
    treaties.start(w, p, np.asarray(rows, dtype=np.int64).reshape(-1, 3), blocs)


def test_at_probability_one_every_pair_that_may_sign_does_and_ties_are_symmetric():
    w, p = _world(pact_formation=1.0)
    _next_step(w, p)
    # 1, 2 and 3 balance against 0 (their top threat): no pact with it; 0 fears 1
    assert _in_force(w) == {(1, 2), (1, 3), (2, 3)}
    pact = np.asarray(w.pact)
    assert (pact == pact.T).all()
    table = np.asarray(w.pact_table)
    for row in range(int(w.n_pacts[0])):
        a, b = int(table[row, 2]), int(table[row, 3])
        assert pact[a, b] == row and table[row, P_END] == -1.0
        assert table[row, 5] == 0  # the threat they shared when they signed


def test_at_probability_zero_no_pact_forms():
    w, p = _world(pact_formation=0.0)
    for _ in range(50):
        _next_step(w, p)
    assert int(w.n_pacts[0]) == 0


def test_buck_passers_and_the_non_aligned_sign_nothing():
    w, p = _world(["balance_power", "balance_power", "buck_pass", "none"], pact_formation=1.0)
    _next_step(w, p)
    assert _in_force(w) == set()  # 1 alone may sign, with no one


def test_pacts_form_at_the_documented_rate():
    # three pairs may sign, each with probability q a step; every pact ends the next step
    q = 0.2
    w, p = _world(pact_formation=q, pact_proximity=0.0, shared_threat_factor=1.0, pact_duration=1.0)
    steps = 1000
    for _ in range(steps):
        _next_step(w, p)
    formed = int(w.n_pacts[0])
    mean, sd = 3 * steps * q, np.sqrt(3 * steps * q * (1 - q))
    assert abs(formed - mean) < 4 * sd, (formed, mean)
    kinds = np.asarray(w.pact_table)[:formed, 4].astype(int)
    assert (np.bincount(kinds, minlength=5) > 0).sum() >= 4  # ATOP's mix of kinds


def test_proximity_and_a_shared_threat_raise_the_formation_probability():
    w, p = _world(pact_formation=0.01, pact_proximity=2.0, shared_threat_factor=3.0)
    g = 0.5 * (w.exposure[1, 2] + w.exposure[2, 1])
    assert treaties.formation_probability(w, p, 1, 2) == pytest.approx(0.01 * (1 + 2 * g) * 3)
    assert treaties.formation_probability(w, p, 0, 1) == 0.0  # 1 balances against 0


def test_pacts_end_at_their_hazard():
    duration = 5.0
    w, p = _world(pact_formation=1.0, pact_duration=duration, changed_factor=1.0, power_shift=1.0)
    steps = 1000
    for _ in range(steps):
        _next_step(w, p)
    ended = int((np.asarray(w.pact_table)[: int(w.n_pacts[0]), P_END] >= 0).sum())
    h = 1 / duration
    mean, sd = 3 * steps * h, np.sqrt(3 * steps * h * (1 - h))
    assert abs(ended - mean) < 4 * sd, (ended, mean)


def test_a_pact_whose_conditions_changed_ends_at_the_raised_hazard():
    # hazard 0.01 a step unchanged, 1 once the pair's relative power has moved
    w, p = _world(pact_formation=0.0, pact_duration=100.0, changed_factor=100.0, power_shift=0.05)
    _sign(w, p, [[1, 2, DEFENCE]])
    _next_step(w, p)
    assert _in_force(w) == {(1, 2)}
    w.economy[2] *= 3.0
    w.military[2] *= 3.0
    threat.capability_shares(w, p)
    _next_step(w, p)
    assert _in_force(w) == set()
    assert np.asarray(w.pact_table)[0, P_END] == w.clock[CLK_STEP]


def test_a_pact_ends_when_a_member_dies_or_leaves():
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[1, 2, DEFENCE], [2, 3, CONSULTATION], [1, 3, OFFENCE]])
    w.clock[CLK_STEP] = 7
    geography.kill(w, p, 2)
    assert _in_force(w) == {(1, 3)}
    assert np.asarray(w.pact_table)[:2, P_END].tolist() == [7.0, 7.0]
    membership.leave(w, p, 3)  # before the step's clock advances: ends at the next step
    assert _in_force(w) == set() and np.asarray(w.pact_table)[2, P_END] == 8.0


def test_no_pact_between_states_at_war():
    w, p = _world(pact_formation=1.0)
    war.enter(w, p, 1, 2)
    _next_step(w, p)
    assert (1, 2) not in _in_force(w) and (1, 3) in _in_force(w)


def test_a_defence_partner_defends_at_reliability_one_and_not_at_zero():
    for reliability, expected in ((1.0, True), (0.0, False)):
        w, p = _world(pact_formation=0.0, alliance_reliability=reliability)
        _sign(w, p, [[1, 2, DEFENCE], [1, 3, CONSULTATION]])
        war.enter(w, p, 0, 1)
        assert bool(w.hostile[2, 0]) is expected
        assert not w.hostile[3, 0]  # consultation binds no one to fight


def test_an_offence_partner_joins_the_entrant():
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[0, 3, OFFENCE]])
    war.enter(w, p, 0, 1)
    assert w.hostile[3, 1]


def test_the_attackers_defence_partners_are_not_called_against_its_victims_defenders():
    # 0 attacks 1; 2 defends 1 (a defence pact); 3 holds a defence pact with the attacker,
    # which obliges it to defend 0 if 0 is attacked, not to join 0's war on 1's defender
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[1, 2, DEFENCE], [0, 3, DEFENCE]])
    war.enter(w, p, 0, 1)
    assert w.hostile[2, 0]
    assert not w.hostile[3, 2] and not w.hostile[3, 1]
    # attacked itself, 0 is defended by 3
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[0, 3, DEFENCE]])
    war.enter(w, p, 1, 0)
    assert w.hostile[3, 1]


def test_an_offence_partner_joins_its_partners_side_whichever_it_is():
    # 2 defends 1 against 0; 3, 2's offence partner, joins 2 (on the defending side)
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[1, 2, DEFENCE], [2, 3, OFFENCE]])
    war.enter(w, p, 0, 1)
    assert w.hostile[2, 0] and w.hostile[3, 0]


def test_defence_partners_honour_with_the_reliability():
    honoured = 0
    trials = 300
    for r in range(trials):
        w, p = _world(pact_formation=0.0, alliance_reliability=0.5, replication=r)
        w.clock[CLK_STEP] = 1
        _sign(w, p, [[1, 2, DEFENCE]])
        war.enter(w, p, 0, 1)
        honoured += bool(w.hostile[2, 0])
    assert abs(honoured / trials - 0.5) < 4 * np.sqrt(0.25 / trials)


def test_no_war_between_pact_partners_and_partners_count_as_allies():
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[0, 1, CONSULTATION], [1, 2, DEFENCE]])
    war.enter(w, p, 0, 1)
    assert not w.hostile[0, 1]
    threat.perceive(w, p)
    assert w.threat[1] == 0  # a consultation partner may still be a threat
    bound, _ = _world(pact_formation=0.0)
    _sign(bound, p, [[0, 1, DEFENCE]])
    threat.perceive(bound, p)
    assert bound.threat[1] not in (0, -1)  # a defence partner is not
    # a defence partner adds the expected help of its forces to the defender's side
    alone, _ = _world(pact_formation=0.0)
    assert war.attack_ratio(w, p, 3, 2) < war.attack_ratio(alone, p, 3, 2)


def test_the_gap_to_the_next_pair_weighed_is_geometric_and_never_wraps():
    assert treaties._gap(0.5, 1.0) == 0
    assert treaties._gap(0.5, 0.5) == 1  # floor(log 0.5 / log 0.5)
    assert treaties._gap(0.5, 1e-300) == 4 * 10**18  # a formation rate all but zero


def test_invariants_over_a_run_no_dead_state_in_a_pact():
    s = Scenario(n_states=12, alliances={"treaties": True, "pact_formation": 0.02})
    result = run(s, replications=3, steps=80, seed=3)
    pacts = result.pacts
    assert len(pacts) > 0
    alive = result.dataset["provinces"].values > 0
    labels = list(result.dataset["replication"].values)
    for row in pacts.itertuples():
        stop = 81 if row.end < 0 else row.end
        assert row.a < row.b and row.start <= stop  # formed and ended in one step: a war
        life = alive[labels.index(row.replication), row.start : stop]
        assert life[:, row.a].all() and life[:, row.b].all()
    # a pair holds at most one pact at a time
    for _, group in pacts.groupby(["replication", "a", "b"]):
        ends = group["end"].to_numpy()
        assert (ends[:-1] >= 0).all() and (group["start"].to_numpy()[1:] >= ends[:-1]).all()


def test_treaties_without_pacts_change_nothing_where_no_bloc_formed():
    # with treaties no bloc forms: a run whose blocs never formed runs alike without pacts
    base = Scenario.load("balancers").replace(n_states=10)
    idle = base.replace(alliances={"treaties": True, "pact_formation": 0.0})
    a = run(base, replications=2, steps=60, seed=5)
    b = run(idle, replications=2, steps=60, seed=5)
    assert (a.dataset["bloc"].values == -1).all()
    for name in ("share", "bloc", "provinces", "war_onsets", "war_size"):
        np.testing.assert_array_equal(a.dataset[name].values, b.dataset[name].values)
    assert "pact" not in a.dataset.dims and len(b.pacts) == 0 and len(a.pacts) == 0


def test_the_result_keeps_its_pacts_through_parquet_and_concat(tmp_path: Path):
    s = Scenario(n_states=8, alliances={"treaties": True, "pact_formation": 0.05})
    whole = run(s, replications=4, steps=30, seed=2)
    again = type(whole).from_parquet(whole.to_parquet(tmp_path / "r"))
    assert again.pacts.equals(whole.pacts)
    parts = [run(s, replications=range(0, 2), steps=30, seed=2)]
    parts.append(run(s, replications=range(2, 4), steps=30, seed=2))
    assert type(whole).concat(parts).pacts.equals(whole.pacts)


def test_kinds_and_their_shares_are_atop_s():
    from equipoise.history.loaders import load_alliances

    assert treaties.KIND_NAMES == PACT_KINDS
    a = load_alliances("alliance")
    a = a[(a["begyr"] >= 1816) & (a["begyr"] <= 2016)]
    flags = a[["defense", "offense", "neutral", "nonagg", "consul"]].fillna(0).to_numpy() > 0
    strongest = flags.argmax(axis=1)[flags.any(axis=1)]
    shares = np.bincount(strongest, minlength=5) / flags.shape[0]
    np.testing.assert_allclose(shares, treaties.KIND_SHARES, atol=0.001)
    assert sum(treaties.KIND_SHARES) == pytest.approx(1.0)


def test_initial_pacts_need_treaties_and_known_states():
    states = [
        {"name": n, "economy": 1.0, "military": 1.0, "x": i, "y": 0.0} for i, n in enumerate("ABC")
    ]
    with pytest.raises(InvalidScenarioError, match=r"alliances\.treaties"):
        Scenario(states=states, initial_pacts=[["A", "B", "defence"]])
    with pytest.raises(InvalidScenarioError, match="unknown state 'D'"):
        Scenario(states=states, initial_pacts=[["A", "D", "defence"]], alliances={"treaties": True})
    with pytest.raises(InvalidScenarioError, match="initial_pacts"):
        Scenario(
            states=states, initial_pacts=[["A", "B", "friendship"]], alliances={"treaties": True}
        )
    s = Scenario(states=states, initial_pacts=[["A", "B", "defence"]], alliances={"treaties": True})
    assert Scenario.from_toml(s.to_toml()) == s
    result = run(s, replications=1, steps=3, seed=1)
    assert result.pacts[["start", "a", "b", "kind"]].iloc[0].tolist() == [0, 0, 1, DEFENCE]


def test_history_with_treaties_loads_atop_pacts_in_force_as_pacts():
    from equipoise.history import scenario_from_history

    s = scenario_from_history(1913, alliances={"treaties": True})
    assert not s.initial_alliances
    pacts = {(a, b): (kind, label) for a, b, kind, label in s.initial_pacts}
    assert pacts[("GMY", "AUH")] == ("defence", "atop-1335")  # the Dual Alliance
    assert pacts[("FRN", "RUS")] == ("defence", "atop-1385")
    assert pacts[("UKG", "FRN")] == ("consultation", "atop-1445")  # the Entente Cordiale


def test_an_atop_alliance_in_force_at_the_start_is_one_multilateral_treaty():
    from equipoise.history import scenario_from_history

    s = scenario_from_history(1913, alliances={"treaties": True})
    # the Triple Alliance binds Italy to both; Germany and Austria-Hungary's pact is the
    # Dual Alliance's (of the same kind, the earlier alliance), not a second one
    triple = {(a, b) for a, b, _, label in s.initial_pacts if label == "atop-1350"}
    assert triple == {("GMY", "ITA"), ("AUH", "ITA")}
    assert Scenario.from_toml(s.to_toml()) == s
    result = run(s, replications=1, steps=1, seed=1)
    names = s.state_names()
    table = result.pacts[result.pacts["start"] == 0]
    treaty = {
        (names[int(a)], names[int(b)]): int(t)
        for a, b, t in table[["a", "b", "treaty"]].itertuples(index=False)
    }
    assert len(treaty) == len(s.initial_pacts)  # one pact per pair, as listed
    assert treaty[("GMY", "ITA")] == treaty[("AUH", "ITA")] != treaty[("GMY", "AUH")]
    assert len(set(treaty.values())) == len({row[3] for row in s.initial_pacts})
    spells = pact_spells(result.pacts, [0], last=0)
    members = spells.set_index("bloc")["founders"]
    assert members[treaty[("GMY", "ITA")]] == 3 and members[treaty[("GMY", "AUH")]] == 2
    assert spells["initial"].all()  # in force at step 0: no formation counted


def test_initial_pacts_with_one_label_are_one_treaty_and_others_one_each():
    states = [
        {"name": n, "economy": 1.0, "military": 1.0, "x": i, "y": 0.0}
        for i, n in enumerate("ABCDE")
    ]
    rows = [
        ["A", "B", "defence", "t"],
        ["D", "E", "consultation"],
        ["A", "C", "defence", "t"],
        ["B", "C", "neutrality", "t"],  # a treaty's pacts may differ in kind
        ["C", "D", "non_aggression"],
    ]
    s = Scenario(states=states, initial_pacts=rows, alliances={"treaties": True})
    assert s.initial_pacts[1] == ("D", "E", "consultation")
    assert Scenario.from_toml(s.to_toml()) == s
    result = run(s, replications=1, steps=1, seed=1)
    table = result.pacts[result.pacts["start"] == 0]
    treaty = {(int(a), int(b)): int(t) for a, b, t in table[["a", "b", "treaty"]].to_numpy()}
    assert treaty == {(0, 1): 0, (3, 4): 1, (0, 2): 0, (1, 2): 0, (2, 3): 2}
    kinds = {(int(a), int(b)): int(k) for a, b, k in table[["a", "b", "kind"]].to_numpy()}
    assert kinds[(1, 2)] == NEUTRALITY and kinds[(0, 1)] == DEFENCE


def test_a_treaty_group_is_numbered_when_its_first_pact_opens():
    w, p = _world()
    w.alive[0] = False  # its pacts are not signed; the group's treaty opens with (1, 2)
    rows = [[0, 1, DEFENCE, 0], [2, 3, CONSULTATION, 1], [1, 2, DEFENCE, 0], [0, 3, DEFENCE, 2]]
    treaties.start(w, p, np.asarray(rows, np.int64), np.full(p.n_states, -1, np.int64))
    assert _in_force(w) == {(1, 2), (2, 3)}
    assert (_treaty_of(w, 2, 3), _treaty_of(w, 1, 2)) == (0, 1)
    assert int(w.n_treaties[0]) == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('["A", "B", "defence", 5]', "treaty label"),
        ('["A", "B", "defence", ""]', "treaty label"),
        ('["A", "B", "defence", "t", "u"]', "[state, state, kind, treaty]"),
        ('["A", "B"]', "[state, state, kind]"),
    ],
)
def test_bad_initial_pact_rows_are_refused_in_one_line(tmp_path, monkeypatch, capsys, row, message):
    monkeypatch.chdir(tmp_path)
    states = "".join(
        f'[[states]]\nname = "{n}"\neconomy = 1.0\nmilitary = 1.0\nx = {i}.0\ny = 0.0\n'
        for i, n in enumerate("AB")
    )
    (tmp_path / "scen.toml").write_text(
        f'name = "custom"\ninitial_pacts = [{row}]\n[alliances]\ntreaties = true\n{states}'
    )
    assert_refused(["run", "scen.toml"], tmp_path, capsys, ["scen.toml", "initial_pacts", message])


@pytest.mark.parametrize(
    ("key", "value"),
    [("pact_formation", -0.1), ("pact_duration", 0.5), ("changed_factor", 0.5)],
)
def test_bad_treaty_parameters_are_refused_in_one_line(tmp_path, monkeypatch, capsys, key, value):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scen.toml").write_text(
        f'name = "custom"\nn_states = 3\n[alliances]\ntreaties = true\n{key} = {value}\n'
    )
    assert_refused(["run", "scen.toml"], tmp_path, capsys, ["scen.toml", f"alliances.{key}"])


def _treaty_of(w, a, b):
    row = int(w.pact[a, b])
    return -1 if row < 0 else int(np.asarray(w.pact_table)[row, P_TREATY])


def _coalition(w, p):
    """States 1 and 2 sign against 0 at step 1; then 3 signs with 1, and so joins them."""
    w.clock[CLK_STEP] = 1
    treaties._sign(w, p, 1, 2, DEFENCE, 1)
    treaties._sign(w, p, 1, 3, NEUTRALITY, 1)


def test_no_bloc_ever_forms_with_treaties_on():
    for rule in ("threat", "landscape"):
        w, p = _world(alliance_rule=rule, pact_formation=0.0)
        for _ in range(12):
            w.clock[CLK_STEP] += 1
            threat.perceive(w, p)
            alliances.align(w, p)
            assert (np.asarray(w.bloc) == -1).all()
        s = Scenario.load("balancers").replace(n_states=10)
        s = s.replace(alliances={"treaties": True, "alliance_rule": rule})
        assert (run(s, replications=2, steps=40, seed=4).dataset["bloc"].values == -1).all()


def test_blocs_given_at_the_start_become_one_defence_treaty_each():
    w, p = _world(pact_formation=0.0)
    _sign(w, p, [[0, 1, CONSULTATION]], blocs=[7, 7, 7, -1])
    table = np.asarray(w.pact_table)
    assert _in_force(w) == {(0, 1), (0, 2), (1, 2)}
    assert table[int(w.pact[0, 1]), P_KIND] == CONSULTATION  # the given pact stays
    assert _treaty_of(w, 0, 2) == _treaty_of(w, 1, 2) != _treaty_of(w, 0, 1)
    assert table[int(w.pact[0, 2]), P_KIND] == table[int(w.pact[1, 2]), P_KIND] == DEFENCE


def test_a_balancer_below_the_alliance_threshold_has_no_shared_threat_reason():
    w, p = _world(pact_formation=0.01, pact_proximity=0.0, shared_threat_factor=3.0)
    level = float(w.threat_level[1])
    assert w.threat[1] == w.threat[2] == 0 and level == w.threat_level[2]
    at = p._replace(alliance_threshold=level)
    above = p._replace(alliance_threshold=np.nextafter(level, 1.0))
    assert treaties.formation_probability(w, at, 1, 2) == pytest.approx(0.03)
    assert treaties.formation_probability(w, above, 1, 2) == pytest.approx(0.01)


def test_a_bandwagoner_allies_with_the_state_it_fears_from_the_threshold():
    w, p = _world(
        ["balance_power", "balance_power", "bandwagon", "bandwagon"],
        pact_formation=0.01,
        pact_proximity=0.0,
        shared_threat_factor=3.0,
    )
    level = float(w.threat_level[3])
    assert w.threat[3] == 0
    at = p._replace(alliance_threshold=level)
    above = p._replace(alliance_threshold=np.nextafter(level, 1.0))
    assert treaties.formation_probability(w, at, 0, 3) == pytest.approx(0.03)
    assert treaties.formation_probability(w, above, 0, 3) == pytest.approx(0.01)


def test_a_state_sharing_the_threat_accedes_to_the_treaty_against_it():
    w, p = _world(pact_formation=0.0)
    _coalition(w, p)
    table = np.asarray(w.pact_table)
    assert _in_force(w) == {(1, 2), (1, 3), (2, 3)}  # 3 signed with every member
    assert _treaty_of(w, 1, 2) == _treaty_of(w, 1, 3) == _treaty_of(w, 2, 3) == 0
    for row in range(3):  # the treaty's kind and threat, not the accession's draw
        assert table[row, P_KIND] == DEFENCE and table[row, P_THREAT] == 0
    assert int(w.n_treaties[0]) == 1 and int(w.clock[CLK_JOINS]) == 1  # one alliance formed


def test_an_accession_counts_no_new_alliance():
    pacts = pd.DataFrame(
        {
            "replication": 0,
            "pact": [0, 1, 2, 3],
            "start": [1, 4, 4, 6],
            "end": [-1, -1, -1, 8],
            "a": [1, 1, 2, 0],
            "b": [2, 3, 3, 1],
            "kind": 0,
            "treaty": [0, 0, 0, 1],
        }
    )
    spells = pact_spells(pacts, [0], last=10)
    assert spells["bloc"].tolist() == [0, 1]
    assert spells["max_members"].tolist() == [3, 2] and spells["founders"].tolist() == [2, 2]
    assert spells["end"].isna().tolist() == [True, False]


def test_a_member_that_withdraws_ends_its_pacts_only():
    # members withdraw at a negligible hazard unless their conditions changed (then surely)
    w, p = _world(pact_formation=0.0)
    p = p._replace(pact_duration=1e12, changed_factor=1e12, power_shift=1.0)
    _coalition(w, p)
    w.clock[CLK_STEP] = 2
    w.threat[3] = 1  # 3 no longer fears 0: it withdraws
    treaties.negotiate(w, p)
    assert _in_force(w) == {(1, 2)} and _treaty_of(w, 1, 2) == 0
    ends = np.asarray(w.pact_table)[:3, P_END].tolist()
    assert ends == [-1.0, 2.0, 2.0]


def test_a_dead_members_pacts_end_and_its_treaty_goes_on():
    w, p = _world(pact_formation=0.0)
    _coalition(w, p)
    w.clock[CLK_STEP] = 5
    geography.kill(w, p, 3)
    assert _in_force(w) == {(1, 2)} and _treaty_of(w, 1, 2) == 0
    geography.kill(w, p, 2)
    assert _in_force(w) == set()  # one member left: the treaty is over


def test_invariants_over_a_run_with_multilateral_treaties():
    s = Scenario(
        n_states=12,
        alliances={"treaties": True, "pact_formation": 0.02, "alliance_threshold": 0.1},
    )
    result = run(s, replications=3, steps=80, seed=3)
    pacts = result.pacts
    members = pd.concat(
        [
            pacts[["replication", "treaty", "a"]].rename(columns={"a": "m"}),
            pacts[["replication", "treaty", "b"]].rename(columns={"b": "m"}),
        ]
    )
    size = members.drop_duplicates().groupby(["replication", "treaty"]).size()
    assert size.max() > 2  # some treaty is multilateral
    assert (pacts.groupby(["replication", "treaty"])["kind"].nunique() == 1).all()
    assert (result.dataset["bloc"].values == -1).all()
    # the alliances measure counts pairs holding a defence or offence pact
    alliances_at = result.dataset["alliances"].values
    for r, label in enumerate(result.dataset["replication"].values):
        rows = pacts[(pacts.replication == label) & (pacts.kind <= OFFENCE)]
        for t in (10, 40, 80):
            live = rows[(rows.start <= t) & ((rows.end > t) | (rows.end < 0))]
            assert alliances_at[r, t] == len(live)


def test_a_treaty_world_keeps_its_invariants_step_by_step():
    from equipoise.kernel import step

    w, p = _world(pact_formation=0.05, alliance_threshold=0.0, pact_duration=5.0)
    w.clock[CLK_STEP] = 0
    for _ in range(200):
        step(w, p)
        pact = np.asarray(w.pact)
        table = np.asarray(w.pact_table)
        assert (pact == pact.T).all()
        alive = np.asarray(w.alive)
        for a, b in zip(*np.nonzero(pact >= 0), strict=True):
            assert alive[a] and alive[b] and table[pact[a, b], P_END] == -1.0
        used = table[: int(w.n_pacts[0])]
        for number in np.unique(used[:, P_TREATY]):
            rows = used[used[:, P_TREATY] == number]
            assert len(np.unique(rows[:, P_KIND])) == 1 and len(np.unique(rows[:, P_THREAT])) == 1


def test_a_run_with_treaties_is_the_same_across_threads_and_chunks():
    # the first replication outgrows the room the engine gives its pacts (64 rows here): its
    # table grows in the kernel and comes back on its own, the others' not: the tables agree
    # however they are grouped
    alliances = {"treaties": True, "pact_formation": 0.005, "alliance_threshold": 0.1}
    s = Scenario(n_states=12, alliances=alliances)
    a = run(s, replications=6, steps=40, seed=9, threads=1)
    b = run(s, replications=6, steps=40, seed=9, threads=2, chunk_size=2)
    sizes = a.pacts.groupby("replication").size()
    assert sizes.max() > 64 and sizes.min() <= 64
    assert a.pacts.equals(b.pacts)
    for name in a.dataset.data_vars:
        np.testing.assert_array_equal(a.dataset[name].values, b.dataset[name].values)


def test_validation_counts_a_treaty_once_whatever_its_members():
    from equipoise.validate.simulation import simulated_inputs

    alliances = {"treaties": True, "pact_formation": 0.02, "alliance_threshold": 0.1}
    result = run(Scenario(n_states=12, alliances=alliances), replications=3, steps=60, seed=3)
    pacts = result.pacts
    inputs = simulated_inputs(result, start=1816)
    treaties_formed = pacts[pacts.start <= 60].groupby(["replication", "treaty"]).ngroups
    assert len(inputs.alliances) == treaties_formed < len(pacts[pacts.start <= 60])
    assert inputs.alliances["max_members"].max() > 2
    first = pacts.groupby(["replication", "treaty"])["start"].min().to_numpy()
    assert sorted(inputs.alliances["start_step"]) == sorted(first[first <= 60])


def test_defence_partners_are_allies_in_arming_and_sanctions():
    from equipoise.rules import internal, soft
    from equipoise.rules.indexes import rank_by_military

    alone, p = _world(pact_formation=0.0)
    bound, _ = _world(pact_formation=0.0)
    _sign(bound, p, [[0, 1, DEFENCE]])
    faced = [internal.hostile_military(w, p, 1, 0.0, rank_by_military(w)) for w in (alone, bound)]
    assert faced[1] < faced[0]  # 0, the strongest, is no threat to its partner
    assert treaties.partner_military(bound, p, 1) == pytest.approx(
        bound.military[0] * bound.exposure[1, 0]
    )
    assert treaties.partner_military(alone, p, 1) == 0.0
    assert soft._may_sanction(alone, 1, 0) and not soft._may_sanction(bound, 1, 0)


def test_initial_alliances_under_treaties_are_one_defence_treaty_per_bloc():
    states = [
        {"name": n, "economy": 1.0, "military": 1.0, "x": i, "y": 0.0}
        for i, n in enumerate("ABCDE")
    ]
    s = Scenario(
        states=states,
        initial_alliances=[["A", "B"], ["B", "C"], ["D", "E"]],
        alliances={"treaties": True, "pact_formation": 0.0},
    )
    result = run(s, replications=1, steps=2, seed=1)
    first = result.pacts[result.pacts.start == 0]
    assert (first["kind"] == DEFENCE).all() and (result.dataset["bloc"].values == -1).all()
    groups = {t: set(g.a) | set(g.b) for t, g in first.groupby("treaty")}
    assert sorted(map(sorted, groups.values())) == [[0, 1, 2], [3, 4]]
    assert len(first) == 4  # the pairs of A, B, C and the pair D-E


def test_the_landscape_split_gives_sides_that_are_reasons_to_sign():
    w, p = _world(
        alliance_rule="landscape", pact_formation=0.01, pact_proximity=0.0, shared_threat_factor=3.0
    )
    w.clock[CLK_STEP] = 1
    alliances.align(w, p)
    side = np.asarray(w.side)
    assert set(side.tolist()) == {-1, 1} and (np.asarray(w.bloc) == -1).all()
    for a in range(4):
        for b in range(a + 1, 4):
            q = treaties.formation_probability(w, p, a, b)
            if side[a] != side[b]:
                assert q == 0.0  # opposite sides sign nothing
            elif w.threat[a] != b and w.threat[b] != a:
                assert q == pytest.approx(0.03)
    assert side[1] == side[2] and treaties.formation_probability(w, p, 1, 2) == pytest.approx(0.03)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0.0, 100.0), min_size=14, max_size=14),
    st.lists(st.floats(0.2, 40.0), min_size=14, max_size=14),
    st.sets(st.integers(1, 13), max_size=13),
    st.integers(0, 13),
)
def test_the_hostile_military_with_many_partners_is_still_the_full_scans_maximum(
    military, reaches, partners, leader
):
    # with more partners at the top of the ranking than the walk weighs one by one, the
    # walk turns to a scan of every state; the result is the maximum of a full scan
    from equipoise.rules import internal
    from equipoise.rules.indexes import rank_by_military

    n = 14
    s = scenario_for(n, None, alliances={"treaties": True, "pact_formation": 0.0})
    military = [m + (100.0 if k == leader else 0.0) for k, m in enumerate(military)]
    w, p, _ = make_world(
        n, 1, list(range(n)), list(range(n)), military, output=military, scenario=s, steps=10
    )
    for j, reach in enumerate(reaches):
        w.reach[j] = reach
        geography.refresh_exposure(w, p, j)
    _sign(w, p, [[0, k, DEFENCE] for k in sorted(partners)])
    exposure = np.asarray(w.exposure)[0]
    expected = max(
        [military[j] * exposure[j] for j in range(1, n) if j not in partners], default=0.0
    )
    faced = internal.hostile_military(w, p, 0, 0.0, rank_by_military(w))
    assert faced == pytest.approx(expected, rel=1e-12)
