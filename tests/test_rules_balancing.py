"""Balancing rules on hand-built worlds: commitments in war, bandwagoning, buck-passing,
sanctions bounds, arming under threat, growth, technology, ceasefires and war clusters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from equipoise.rules import (
    alliances,
    geography,
    growth,
    indexes,
    internal,
    soft,
    technology,
    threat,
    war,
)
from equipoise.state import CAMP, W_PARTICIPANTS
from worldkit import make_world, scenario_for

LINE4 = dict(width=4, height=1, owner=[0, 1, 2, 3], capitals=[0, 1, 2, 3])


def _world(military=(1.0, 1.0, 1.0, 1.0), **kw):
    spec = {**LINE4, **kw.pop("layout", {})}
    return make_world(
        spec["width"], spec["height"], spec["owner"], spec["capitals"], list(military), **kw
    )


@pytest.mark.parametrize(("reliability", "joins"), [(1.0, True), (0.0, False)])
def test_allies_of_the_target_are_drawn_into_the_war(reliability, joins):
    # B (1) and D (3) are in the coalition against A (bloc 0); A attacks B
    s = scenario_for(4, alliances={"alliance_reliability": reliability})
    w, p, _ = _world(bloc=[-1, 0, -1, 0], scenario=s)
    war.enter(w, p, 0, 1)
    assert w.hostile[0, 1]
    assert bool(w.hostile[3, 0]) is joins  # D honours its commitment to B
    assert not w.hostile[2, 0]  # C has none
    c = w.war_of[0]
    assert w.war_table[c, W_PARTICIPANTS] == (3 if joins else 2)


def test_coalition_partners_join_an_attack_on_their_common_target():
    # A (0) and C (2) balance against B (bloc 1); A attacks B; C joins A
    s = scenario_for(4, alliances={"alliance_reliability": 1.0})
    w, p, _ = _world(bloc=[1, -1, 1, -1], scenario=s)
    war.enter(w, p, 0, 1)
    assert w.hostile[2, 1] and not w.hostile[2, 0]


def test_bandwagoners_fight_the_wars_of_the_state_they_joined():
    # A (0) leads a camp (bloc N + 0) joined by C and D; A attacks B; its clients join
    s = scenario_for(4, alliances={"alliance_reliability": 1.0})
    n = 4
    w, p, _ = _world(
        bloc=[CAMP * n, -1, CAMP * n, CAMP * n],
        strategies=["balance_power", "balance_power", "bandwagon", "bandwagon"],
        scenario=s,
    )
    war.enter(w, p, 0, 1)
    assert w.hostile[2, 1] and w.hostile[3, 1]


def test_chain_ganging_drags_in_the_allies_of_the_allies():
    # blocs: {B, C} against A; A attacks B; C joins against A; A's camp {A, D} then calls D
    s = scenario_for(4, alliances={"alliance_reliability": 1.0})
    n = 4
    w, p, _ = _world(bloc=[CAMP * n, 0, 0, CAMP * n], scenario=s)
    war.enter(w, p, 0, 1)
    assert w.hostile[2, 0]  # C defends its ally B
    assert w.hostile[3, 2]  # D defends its camp leader A against C


def test_buck_passers_never_join_a_bloc():
    s = scenario_for(4)
    w, p, _ = _world(military=(10.0, 1.0, 1.0, 1.0), strategies=["buck_pass"] * 4, scenario=s)
    for _ in range(20):
        threat.perceive(w, p)
        alliances.align(w, p)
    assert np.asarray(w.bloc).tolist() == [-1, -1, -1, -1]


def test_balancers_join_the_coalition_against_a_state_over_the_threshold():
    s = scenario_for(4, alliances={"alliance_threshold": 0.3})
    w, p, _ = _world(military=(10.0, 1.0, 1.0, 1.0), output=[10, 1, 1, 1], scenario=s)
    threat.capability_shares(w, p)
    threat.perceive(w, p)
    alliances.align(w, p)
    assert np.asarray(w.bloc).tolist() == [-1, 0, 0, 0]


@pytest.mark.parametrize(
    ("apart", "blocs"),
    [
        ((), [4, 4, 4, 4]),  # the camp of state 0 (N + 0)
        ([(0, 3)], [4, 4, 4, -1]),  # one kept apart from the strongest never joins its camp
    ],
)
def test_bandwagoners_join_the_strongest_states_camp(apart, blocs):
    s = scenario_for(4, alliances={"alliance_threshold": 0.3})
    w, p, _ = _world(
        military=(10.0, 1.0, 1.0, 1.0),
        output=[10, 1, 1, 1],
        strategies=["bandwagon"] * 4,
        scenario=s,
        apart=apart,
    )
    threat.capability_shares(w, p)
    threat.perceive(w, p)
    alliances.align(w, p)
    assert np.asarray(w.bloc).tolist() == blocs


def test_the_null_strategy_neither_allies_nor_arms_nor_sanctions():
    s = scenario_for(4)
    w, p, _ = _world(
        military=(10.0, 1.0, 1.0, 1.0), output=[10, 1, 1, 1], strategies=["none"] * 4, scenario=s
    )
    threat.capability_shares(w, p)
    threat.perceive(w, p)
    alliances.align(w, p)
    soft.decide(w, p)
    internal.arm(w, p)
    assert np.asarray(w.bloc).tolist() == [-1] * 4
    assert np.asarray(w.sanctioning).tolist() == [-1] * 4
    assert np.asarray(w.arming).tolist() == [p.arming_base] * 4


@settings(max_examples=60)
@given(
    st.lists(st.floats(0.01, 100.0), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=3, max_size=3),
    st.floats(0.0, 0.2),
    st.floats(0.0, 10.0),
)
def test_sanctions_never_cost_more_than_their_bounds(outputs, sends, max_cost, sender_cost):
    assume(sender_cost * max_cost < 1.0)  # a scenario refuses senders that pay all they have
    s = scenario_for(4, soft_balancing={"max_cost": max_cost, "sender_cost": sender_cost})
    w, p, _ = _world(output=outputs, scenario=s)
    for i, send in enumerate(sends, start=1):
        w.sanctioning[i] = 0 if send else -1
    soft.losses(w, p)
    keep = 1.0 - np.asarray(w.sanction_loss)  # the share of its output level each keeps
    assert keep[0] >= 1.0 - max_cost - 1e-15  # the target loses at most max_cost
    for i, send in enumerate(sends, start=1):
        if send:  # each sender at most sender_cost * max_cost, so it keeps some output
            assert keep[i] >= 1.0 - sender_cost * max_cost - 1e-15
            assert keep[i] > 0.0
        else:
            assert keep[i] == 1.0
    if not any(sends):
        assert keep[0] == 1.0


def test_the_leader_arms_against_the_coalition_it_faces():
    # A is strongest; B, C, D balance against it (bloc 0) with more military together
    s = scenario_for(4, internal={"adjustment_speed": 1.0})
    w, p, _ = _world(
        military=(3.0, 2.0, 2.0, 2.0), output=[10, 3, 3, 3], bloc=[-1, 0, 0, 0], scenario=s
    )
    threat.capability_shares(w, p)
    threat.perceive(w, p)
    internal.arm(w, p)
    assert w.arming[0] > p.arming_base
    coalition = sum(w.military[k] * w.exposure[0, k] for k in (1, 2, 3))
    upkeep = np.exp(p.growth_rate + w.trend[0]) - 1 + p.depreciation  # on its trend path
    expected = min(p.arming_max, max(p.arming_base, upkeep * coalition / w.economy[0]))
    assert w.arming[0] == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 100.0), min_size=6, max_size=6),
    st.lists(st.integers(-1, 1), min_size=6, max_size=6),
    st.lists(st.floats(0.2, 40.0), min_size=6, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=6),
    st.sampled_from(["balance_power", "buck_pass"]),
)
def test_the_hostile_military_is_the_largest_threat_by_a_full_scan(
    military, blocs, reaches, wars, strategy
):
    # the pruned scan (states by military, stopped by the bound on projection) and the
    # short cut for a single enemy give what a scan of every state gives
    layout = dict(width=6, height=1, owner=list(range(6)), capitals=list(range(6)))
    w, p, _ = _world(military, layout=layout, bloc=blocs, strategies=[strategy] * 6)
    for j, reach in enumerate(reaches):
        w.reach[j] = reach
        geography.refresh_exposure(w, p, j)
    for a, b in wars:
        if a != b and not w.hostile[a, b] and (blocs[a] < 0 or blocs[a] != blocs[b]):
            war.enter(w, p, a, b)
    order = np.array(sorted(range(6), key=lambda k: -military[k]), dtype=np.int64)
    for i in range(6):
        exposure = np.asarray(w.exposure)[i]
        assert w.exposed[i] >= max(exposure[j] for j in range(6) if j != i)
        hostile = [j for j in range(6) if w.hostile[i, j]]
        if strategy == "buck_pass":
            rivals = [j for j in range(6) if w.border[i, j] > 0 or j in hostile]
        else:
            rivals = range(6)
        allied = [j for j in range(6) if j == i or (blocs[i] >= 0 and blocs[j] == blocs[i])]
        single = max(
            [military[j] * exposure[j] for j in rivals if j not in allied or j in hostile],
            default=0.0,
        )
        at_war = sum(military[j] * exposure[j] for j in hostile)
        expected = max(single, 0.0, at_war)
        assert internal.hostile_military(w, p, i, 0.0, order) == pytest.approx(expected, rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.5, 7.0]), min_size=6, max_size=6),
        min_size=1,
        max_size=4,
    ),
    st.integers(-1, 5),
)
def test_internal_balancing_ranks_the_living_by_military_ties_by_index(militaries, dead):
    # the ranking kept from step to step is the one a stable sort of all states gives,
    # whatever the ranking it starts from (ties are common here: few distinct values)
    layout = dict(width=6, height=1, owner=list(range(6)), capitals=list(range(6)))
    w, p, _ = _world(militaries[0], layout=layout)
    for step, military in enumerate(militaries):
        np.asarray(w.military)[:] = military
        if step == len(militaries) - 1 and dead >= 0:
            w.alive[dead] = False
        internal.arm(w, p)
        living = [k for k in range(6) if w.alive[k]]
        expected = sorted(living, key=lambda k: (-military[k], k))
        assert np.asarray(w.ranked)[: w.n_ranked[0]].tolist() == expected


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-1, 3), min_size=6, max_size=6),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_the_bloc_index_walks_each_blocs_living_members_in_order(blocs, alive):
    layout = dict(width=6, height=1, owner=list(range(6)), capitals=list(range(6)))
    w = _world([1.0] * 6, layout=layout)[0]
    np.asarray(w.bloc)[:] = blocs
    np.asarray(w.alive)[:] = alive
    indexes.index_blocs(w)
    for b in range(-1, 4):
        walked = []
        k = indexes.first_in_bloc(w, b)
        while k >= 0:
            walked.append(k)
            k = indexes.next_in_bloc(w, k)
        assert walked == [k for k in range(6) if b >= 0 and alive[k] and blocs[k] == b]
    indexes.clear_bloc_index(w)
    assert (np.asarray(w.first_member) == -1).all()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=20))
def test_the_enemy_lists_agree_with_the_hostile_pairs(moves):
    # a move (a, b) opens the pair if a and b are at peace, else closes it
    layout = dict(width=6, height=1, owner=list(range(6)), capitals=list(range(6)))
    w = _world([1.0] * 6, layout=layout)[0]
    onsets = []
    for a, b in moves:
        if a == b:
            continue
        pair = (min(a, b), max(a, b))
        if w.hostile[a, b]:
            indexes.close_hostility(w, onsets.index(pair))
            onsets.remove(pair)
        else:
            indexes.open_hostility(w, a, b)
            onsets.append(pair)
        hostile = np.asarray(w.hostile)
        assert (hostile == hostile.T).all()
        assert [indexes.hostile_pair(w, k) for k in range(w.n_pairs[0])] == onsets
        out = np.zeros(6, dtype=np.int64)
        for i in range(6):
            enemies = np.flatnonzero(hostile[i]).tolist()
            assert w.enemies[i] == len(enemies)
            assert out[: indexes.enemies_of(w, i, out)].tolist() == enemies
            if len(enemies) == 1:
                assert indexes.sole_enemy(w, i) == enemies[0]


def test_a_lone_state_keeps_the_base_arming_share():
    s = scenario_for(2, internal={"adjustment_speed": 1.0})
    w, p, _ = make_world(2, 1, [0, 1], [0, 1], [1.0, 0.0], scenario=s)
    w.alive[1] = False
    w.military[1] = 0.0
    internal.arm(w, p)
    assert w.arming[0] == p.arming_base


def test_growth_is_the_documented_factor_and_military_accumulates():
    s = scenario_for(
        4, growth={"growth_volatility": 0.0, "growth_rate": 0.03, "convergence_rate": 0.0}
    )
    trend = [0.0, 0.01, -0.01, 0.002]
    w, p, _ = _world(
        military=(1.0, 2.0, 3.0, 4.0), arming=[0.0, 0.1, 0.2, 0.3], scenario=s, trend=trend
    )
    for i, rise in enumerate([0.0, 0.0, 0.05, 0.1]):  # arming above the peacetime share
        w.arming[i] += rise
    econ = np.asarray(w.economy).copy()
    mil = np.asarray(w.military).copy()
    arming = np.asarray(w.arming).copy()
    growth.grow(w, p)
    rise = arming - np.asarray(w.rest_arming)
    expected = econ * np.exp(0.03 + np.array(trend) - p.arming_drag * rise)
    np.testing.assert_allclose(np.asarray(w.economy), expected, rtol=1e-14)
    np.testing.assert_allclose(
        np.asarray(w.military), (1 - p.depreciation) * mil + arming * econ, rtol=1e-14
    )


def test_technology_diffuses_the_longer_reach_of_a_neighbour():
    s = scenario_for(4, technology={"innovation_rate": 0.0, "diffusion_rate": 1.0})
    w, p, _ = _world(scenario=s)
    w.reach[0] = 10.0
    w.clock[0] = 1
    technology.change(w, p)
    assert np.asarray(w.reach).tolist() == [10.0, 10.0, 5.0, 5.0]  # one border a step
    # state 1's power now reaches state 0's capital (one province away) with reach 10
    assert w.exposure[0, 1] == pytest.approx(1.0 / (1.0 + 1.0 / 10.0))
    assert w.exposure[3, 2] == pytest.approx(1.0 / (1.0 + 1.0 / 5.0))


def test_innovation_lengthens_reach_by_the_documented_factor():
    s = scenario_for(
        4, technology={"innovation_rate": 1.0, "innovation_size": 0.5, "diffusion_rate": 0.0}
    )
    w, p, _ = _world(scenario=s)
    w.clock[0] = 1
    technology.change(w, p)
    assert np.asarray(w.reach).tolist() == [7.5] * 4


def test_ceasefire_with_certainty_ends_every_hostility():
    s = scenario_for(4, war={"ceasefire_probability": 1.0})
    w, p, _ = _world(scenario=s)
    war.enter(w, p, 0, 1)
    war.enter(w, p, 2, 3)
    assert w.n_pairs[0] == 2
    war.ceasefires(w, p)
    assert w.n_pairs[0] == 0 and not np.asarray(w.hostile).any()


def test_a_new_pair_between_two_wars_merges_them_into_one():
    s = scenario_for(4, alliances={"enabled": False})
    w, p, _ = _world(scenario=s)
    war.enter(w, p, 0, 1)
    war.enter(w, p, 3, 2)
    assert w.war_of[0] != w.war_of[3]
    war.enter(w, p, 1, 2)
    assert len({int(w.war_of[i]) for i in range(4)}) == 1
    c = w.war_of[0]
    assert w.war_table[c, W_PARTICIPANTS] == 4


def test_a_quiet_war_ends_after_the_quiet_steps():
    s = scenario_for(4, war={"quiet_steps": 2, "ceasefire_probability": 1.0})
    w, p, _ = _world(scenario=s)
    w.clock[0] = 1
    war.enter(w, p, 0, 1)
    war.ceasefires(w, p)
    for t, still in ((2, True), (3, False)):
        w.clock[0] = t
        war.close_wars(w, p)
        assert bool(w.war_of[0] >= 0) is still


def test_attack_ratio_counts_reliable_allies_of_the_defender():
    base = dict(military=(6.0, 1.0, 1.0, 5.0))
    s0 = scenario_for(4, alliances={"alliance_reliability": 0.0})
    s1 = scenario_for(4, alliances={"alliance_reliability": 1.0})
    w0, p0, _ = _world(bloc=[-1, 0, -1, 0], scenario=s0, **base)
    w1, p1, _ = _world(bloc=[-1, 0, -1, 0], scenario=s1, **base)
    assert war.attack_ratio(w1, p1, 0, 1) < war.attack_ratio(w0, p0, 0, 1)


def test_an_attack_needs_the_superiority_threshold():
    for threshold, attacks in ((1.0, True), (100.0, False)):
        s = scenario_for(4, war={"attack_probability": 1.0, "superiority_threshold": threshold})
        w, p, _ = _world(military=(50.0, 1.0, 1.0, 1.0), scenario=s)
        w.clock[0] = 1
        war.attacks(w, p)
        assert bool(w.hostile[0, 1]) is attacks


def test_geometric_lifetime_has_the_requested_mean():
    u = (np.arange(200_000) + 0.5) / 200_000
    life = np.array([alliances.geometric_lifetime(x, 10.0) for x in u])
    assert life.min() >= 1
    assert life.mean() == pytest.approx(10.0, rel=0.01)
    assert alliances.geometric_lifetime(0.3, 1.0) == 1


def test_landscape_coalitions_are_a_local_minimum_of_frustration():
    s = scenario_for(6, alliances={"alliance_rule": "landscape"})
    w, p, _ = make_world(
        6, 1, list(range(6)), list(range(6)), [3.0, 1.0, 2.0, 1.0, 2.5, 1.5], scenario=s
    )
    threat.capability_shares(w, p)
    w.clock[0] = 1
    alliances.align(w, p)
    side = np.where(np.asarray(w.bloc) == 2 * 6, 1.0, -1.0)
    share = np.asarray(w.share)
    exp_ = np.asarray(w.exposure)
    prop = -(1.0 + p.proximity_weight * 0.5 * (exp_ + exp_.T))

    def energy(sig):
        e = 0.0
        for i in range(6):
            for j in range(i + 1, 6):
                e += share[i] * share[j] * prop[i, j] * (sig[i] != sig[j])
        return e

    e0 = energy(side)
    for i in range(6):
        flipped = side.copy()
        flipped[i] = -flipped[i]
        assert energy(flipped) >= e0 - 1e-12
    assert set(np.asarray(w.bloc).tolist()) <= {12, 13}
    assert math.isfinite(e0)


def test_the_landscape_rule_leaves_the_non_aligned_and_buck_passers_out():
    s = scenario_for(6, alliances={"alliance_rule": "landscape"})
    w, p, _ = make_world(
        6,
        1,
        list(range(6)),
        list(range(6)),
        [3.0, 1.0, 2.0, 1.0, 2.5, 1.5],
        strategies=["balance_power"] * 3 + ["buck_pass", "none", "none"],
        scenario=s,
    )
    threat.capability_shares(w, p)
    w.clock[0] = 1
    alliances.align(w, p)
    bloc = np.asarray(w.bloc).tolist()
    assert bloc[3:] == [-1, -1, -1]
    assert set(bloc[:3]) <= {12, 13}


def test_a_landscape_side_joins_its_members_war_against_the_other_side():
    s = scenario_for(4, alliances={"alliance_rule": "landscape", "alliance_reliability": 1.0})
    n = 4
    w, p, _ = _world(bloc=[2 * n, 2 * n + 1, 2 * n, 2 * n + 1], scenario=s)
    war.enter(w, p, 0, 1)
    assert w.hostile[2, 1]  # A's side (C) joins the attack on B
    assert w.hostile[3, 0]  # B's side (D) defends B


def test_a_balancer_kept_apart_from_a_member_stays_out_of_the_coalition():
    # B (1) and C (2) would both balance A (0); B is kept apart from C, so whichever of
    # them looks second finds the other in the coalition and stays out
    s = scenario_for(4, alliances={"alliance_threshold": 0.3})
    w, p, _ = _world(
        military=(10.0, 1.0, 1.0, 1.0), output=[10, 1, 1, 1], scenario=s, apart=[(1, 2)]
    )
    threat.capability_shares(w, p)
    for _ in range(30):
        threat.perceive(w, p)
        alliances.align(w, p)
        bloc = np.asarray(w.bloc)
        assert bloc[1] < 0 or bloc[1] != bloc[2]
    assert np.asarray(w.bloc).tolist() == [-1, 0, -1, 0]  # D joins as before; C is barred


@pytest.mark.parametrize("apart", [[(0, 1)], [(2, 3), (0, 5)], [(0, 1), (0, 5)]])
def test_landscape_coalitions_never_hold_a_pair_kept_apart(apart):
    s = scenario_for(6, alliances={"alliance_rule": "landscape"})
    military = [3.0, 1.0, 2.0, 1.0, 2.5, 1.5]
    plain, p0, _ = make_world(6, 1, list(range(6)), list(range(6)), military, scenario=s)
    w, p, _ = make_world(6, 1, list(range(6)), list(range(6)), military, scenario=s, apart=apart)
    for world, params in ((plain, p0), (w, p)):
        threat.capability_shares(world, params)
        world.clock[0] = 1
        alliances.align(world, params)
    # without exclusions every one of these pairs is in one coalition ...
    before = np.asarray(plain.bloc)
    assert all(before[a] == before[b] for a, b in apart)
    # ... and with them none is
    bloc = np.asarray(w.bloc)
    assert set(bloc.tolist()) <= {12, 13}
    assert all(bloc[a] != bloc[b] for a, b in apart)
