"""Territory rules on hand-built maps: fronts, conquest, cut-off provinces, capital collapse."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equipoise import maps, rng
from equipoise.rules import geography, indexes
from equipoise.rules.war import enter
from equipoise.state import CLK_STEP
from worldkit import brute_fronts, make_world, scenario_for


def _check_fronts(w, graph, n):
    ref = brute_fronts(w, graph, n)
    assert np.array_equal(np.asarray(w.border), ref["border"])
    assert np.array_equal(np.asarray(w.land), ref["land"])
    assert np.asarray(w.provinces).tolist() == ref["provinces"].tolist()
    np.testing.assert_allclose(np.asarray(w.held), ref["held"], rtol=1e-12)
    deg = np.asarray(w.deg)
    nbr = np.asarray(w.nbr)
    dist = np.asarray(w.front_dist)
    for i in range(n):
        listed = sorted(nbr[i, : deg[i]].tolist())
        assert listed == sorted(np.flatnonzero(ref["border"][i]).tolist())
        for j in listed:
            assert dist[i, j] == ref["front_dist"][i, j]
    # each state's bit set of provinces lists exactly the provinces it owns, in order
    owner = np.asarray(w.owner)
    out = np.zeros(owner.size, dtype=np.int64)
    foreign = np.array(
        [
            sum(owner[r] != owner[q] for r in graph.indices[graph.indptr[q] : graph.indptr[q + 1]])
            for q in range(owner.size)
        ]
    )
    assert np.asarray(w.foreign).tolist() == foreign.tolist()
    # and each province's distance from its owner's capital
    d = graph.xy - graph.xy[np.asarray(w.capital)[owner]]
    assert np.array_equal(np.asarray(w.home_dist), np.sqrt(d[:, 0] ** 2 + d[:, 1] ** 2))
    for i in range(n):
        count = indexes.provinces_of(w, i, out)
        assert out[:count].tolist() == np.flatnonzero(owner == i).tolist()
        # and its bit set of provinces on a front, those with a neighbour held by another
        count = indexes.front_provinces(w, i, out)
        assert out[:count].tolist() == np.flatnonzero((owner == i) & (foreign > 0)).tolist()


def _partitioned(capital_seed, side, n, **kw):
    """A side x side lattice shared among n states around random capitals (nearest capital)."""
    graph = maps.lattice(side, side)
    caps = maps.random_capitals(capital_seed, 0, graph.n_provinces, n)
    owner = maps.partition(graph.indptr, graph.indices, caps)
    w, p, graph = make_world(side, side, owner, caps, [1.0] * n, **kw)
    return w, p, graph, caps


def test_gradient_is_boulding_loss_of_strength():
    assert geography.gradient(0.0, 5.0, 1.0) == 1.0
    assert geography.gradient(5.0, 5.0, 1.0) == 0.5
    assert geography.gradient(5.0, 5.0, 2.0) == pytest.approx(0.25)
    assert geography.gradient(np.inf, 5.0, 1.0) == 0.0


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.integers(3, 7), st.lists(st.integers(0, 10**6), max_size=30))
def test_fronts_stay_equal_to_a_recount_as_provinces_change_hands(seed, side, moves):
    n = 4
    w, p, graph, caps = _partitioned(seed, side, n, output=np.linspace(1, 2, side * side))
    _check_fronts(w, graph, n)
    for k, m in enumerate(moves):
        q = m % graph.n_provinces
        if q in caps:
            continue
        indexes.transfer(w, p, q, (m // graph.n_provinces) % n)
        if k % 3 == 2:  # refreshed now and then: changes kept across refreshes, and between
            indexes.refresh_fronts(w, p)
            _check_fronts(w, graph, n)
    indexes.refresh_fronts(w, p)
    _check_fronts(w, graph, n)


def test_front_distance_is_from_the_capital_to_the_nearest_front_province():
    # 1 x 5 line: A = 0 1 (capital 0), B = 2 3 4 (capital 4)
    w, _, _ = make_world(5, 1, [0, 0, 1, 1, 1], [0, 4], [1.0, 1.0])
    assert w.border[0, 1] == 1 and w.border[1, 0] == 1
    assert w.front_dist[0, 1] == 1.0  # province 1 is one step from A's capital
    assert w.front_dist[1, 0] == 2.0  # province 2 is two steps from B's capital


def test_the_winner_takes_a_province_on_the_front():
    w, p, graph = make_world(5, 1, [0, 0, 1, 1, 1], [0, 4], [1.0, 1.0])
    moved = geography.conquer(w, p, 0, 1)
    assert moved == 1
    assert np.asarray(w.owner).tolist() == [0, 0, 0, 1, 1]
    indexes.refresh_fronts(w, p)
    _check_fronts(w, graph, 2)


def test_a_conqueror_without_output_takes_a_province_worth_nothing():
    # a growth index of 0 (an economy wiped out) holds no output anywhere: the province it
    # takes is worth 0 in its hands, not 0 / 0
    w, p, _ = make_world(5, 1, [0, 0, 1, 1, 1], [0, 4], [1.0, 1.0])
    np.asarray(w.level)[0] = 0.0
    assert geography.conquer(w, p, 0, 1) == 1
    assert np.asarray(w.owner).tolist() == [0, 0, 0, 1, 1]
    assert np.asarray(w.output)[2] == 0.0
    indexes.refresh_fronts(w, p)
    assert np.isfinite(np.asarray(w.output)).all() and np.asarray(w.economy)[0] == 0.0


def _seed_choosing(winner, loser, n, count, index, step=0):
    """A seed whose PATH draw picks candidate ``index`` of ``count``."""
    for seed in range(10_000):
        u = rng.uniform(seed, 0, step, winner * n + loser, rng.PATH)
        if int(u * count) == index:
            return seed
    raise AssertionError("no seed found")


def test_provinces_cut_off_from_the_capital_fall_to_the_winner():
    # 3 x 3:   0 1 2      A = 0 3 6, B = 1 2 4 7 (capital 2), C = 5 8
    #          3 4 5      if A takes 4, B's province 7 is cut off from 2
    #          6 7 8
    owner = [0, 1, 1, 0, 1, 2, 0, 1, 2]
    seed = _seed_choosing(0, 1, 3, 3, 1)  # candidates in index order: 1, 4, 7 -> pick 4
    w, p, graph = make_world(3, 3, owner, [0, 2, 5], [1.0, 1.0, 1.0], seed=seed)
    moved = geography.conquer(w, p, 0, 1)
    assert moved == 2
    assert np.asarray(w.owner).tolist() == [0, 1, 1, 0, 0, 2, 0, 0, 2]
    for c in (0, 2, 5):
        assert maps.connected(graph.indptr, graph.indices, np.asarray(w.owner), c)
    indexes.refresh_fronts(w, p)
    _check_fronts(w, graph, 3)


def test_a_capital_cut_off_from_its_territory_keeps_only_its_own_part():
    # 6 x 2:   0 1 2 3 4 5     B = top row (capital 0), A = bottom row (capital 6);
    #          6 7 8 9 10 11   A takes 1: B keeps 0 and loses 2..5, cut off from its capital
    owner = [1] * 6 + [0] * 6
    seed = _seed_choosing(0, 1, 2, 6, 1)  # candidates 0..5 -> pick 1
    w, p, graph = make_world(6, 2, owner, [6, 0], [1.0, 1.0], seed=seed)
    assert geography.conquer(w, p, 0, 1) == 5
    assert np.asarray(w.owner).tolist() == [1] + [0] * 11
    indexes.refresh_fronts(w, p)
    _check_fronts(w, graph, 2)


def test_a_territory_already_in_pieces_keeps_the_pieces_the_battle_did_not_cut():
    # 5 x 2:   0 1 2 3 4      B = 0 1 2 (capital 0) and 4, a piece apart (an entrant's
    #          5 6 7 8 9      land can split its holder's); A = 3 and the bottom row.
    # A takes 1: 2 is cut off from B's capital and falls; 4 was apart before and stays
    owner = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]
    seed = _seed_choosing(0, 1, 2, 4, 1)  # candidates in index order: 0, 1, 2, 4 -> pick 1
    w, p, _ = make_world(5, 2, owner, [9, 0], [1.0, 1.0], seed=seed)
    assert geography.conquer(w, p, 0, 1) == 2
    assert np.asarray(w.owner).tolist() == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def _touches(graph, owner, q, state):
    """Whether province ``q`` has a neighbour held by ``state``."""
    return any(owner[r] == state for r in graph.indices[graph.indptr[q] : graph.indptr[q + 1]])


def _without(owner, q):
    """The owners with province ``q`` held by no state."""
    out = np.array(owner)
    out[q] = -1
    return out


def _component(graph, owner, state, start):
    """The provinces of ``state`` reachable from ``start`` through provinces of ``state``."""
    seen, todo = {start}, [start]
    while todo:
        q = todo.pop()
        for r in graph.indices[graph.indptr[q] : graph.indptr[q + 1]]:
            if owner[r] == state and r not in seen:
                seen.add(int(r))
                todo.append(int(r))
    return seen


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(4, 9), st.lists(st.integers(0, 10**6), max_size=25))
def test_conquest_moves_exactly_the_taken_province_and_what_it_cut_off(seed, side, battles):
    # after each conquest the loser keeps exactly the part of its territory still joined to
    # its capital without the taken province (a search from the capital, done by brute force)
    n = 5
    w, p, graph, caps = _partitioned(seed, side, n, seed=seed)
    for step, b in enumerate(battles):
        np.asarray(w.clock)[CLK_STEP] = step + 1  # a fresh PATH draw for each battle
        winner, loser = b % n, (b // n) % n
        if winner == loser or not (w.alive[winner] and w.alive[loser]):
            continue
        before = np.asarray(w.owner).copy()
        moved = geography.conquer(w, p, winner, loser) if w.border[winner, loser] else 0
        after = np.asarray(w.owner)
        lost = set(np.flatnonzero((before == loser) & (after == winner)).tolist())
        assert moved == len(lost)
        indexes.refresh_fronts(w, p)
        if not moved or not w.alive[loser]:
            continue
        kept = set(np.flatnonzero(after == loser).tolist())

        taken = [
            x
            for x in lost
            if _touches(graph, before, x, winner)
            and _component(graph, _without(before, x), loser, caps[loser]) == kept
        ]
        assert taken, "the loser keeps its capital's part without one province on the front"
    _check_fronts(w, graph, n)


def test_taking_the_capital_kills_the_state_and_shares_it_among_its_enemies():
    # 1 x 7: A = 0, B = 1..5 (capital 1), C = 6; A and C are at war with B
    w, p, graph = make_world(7, 1, [0, 1, 1, 1, 1, 1, 2], [0, 1, 6], [1.0, 1.0, 1.0])
    enter(w, p, 0, 1)
    enter(w, p, 2, 1)
    assert w.hostile[0, 1] and w.hostile[2, 1]
    geography.conquer(w, p, 0, 1)  # the only candidate is the capital
    assert not w.alive[1]
    # the nearest enemy through the dead state's territory takes each province
    assert np.asarray(w.owner).tolist() == [0, 0, 0, 0, 2, 2, 2]
    assert not w.hostile[0, 1] and not w.hostile[2, 1] and w.n_pairs[0] == 0
    assert w.military[1] == 0.0 and w.bloc[1] == -1
    indexes.refresh_fronts(w, p)
    _check_fronts(w, graph, 3)


def test_a_collapsed_state_ends_the_coalition_against_it():
    # B is the target of a coalition (bloc 1 = "against state 1") of A and C
    w, p, _ = make_world(7, 1, [0, 1, 1, 1, 1, 1, 2], [0, 1, 6], [1.0, 1.0, 1.0], bloc=[1, -1, 1])
    enter(w, p, 0, 1)
    geography.conquer(w, p, 0, 1)
    assert not w.alive[1]
    assert np.asarray(w.bloc).tolist() == [-1, -1, -1]


def _norm_world(norm_step, step):
    """1 x 7: A = 0, B = 1..5 (capital 1), C = 6, A at war with B, at ``step``."""
    s = scenario_for(3, war={"integrity_norm_step": norm_step})
    w, p, graph = make_world(7, 1, [0, 1, 1, 1, 1, 1, 2], [0, 1, 6], [1.0] * 3, scenario=s)
    enter(w, p, 0, 1)
    w.clock[CLK_STEP] = step
    return w, p, graph


@pytest.mark.parametrize(("norm_step", "step"), [(None, 50), (51, 50), (500, 499)])
def test_before_the_territorial_integrity_norm_a_capital_can_fall(norm_step, step):
    w, p, _ = _norm_world(norm_step, step)
    geography.conquer(w, p, 0, 1)  # the only candidate is the capital
    assert not w.alive[1]


@pytest.mark.parametrize("step", [50, 51, 500])
def test_under_the_territorial_integrity_norm_no_capital_is_taken(step):
    w, p, graph = _norm_world(50, step)
    assert geography.conquer(w, p, 0, 1) == 0  # the only candidate is the capital
    assert w.alive[1] and np.asarray(w.owner).tolist() == [0, 1, 1, 1, 1, 1, 2]
    # the rest of the territory still changes hands: C takes B's far end
    enter(w, p, 2, 1)
    assert geography.conquer(w, p, 2, 1) == 1
    assert np.asarray(w.owner).tolist() == [0, 1, 1, 1, 1, 2, 2] and w.alive[1]
    indexes.refresh_fronts(w, p)
    _check_fronts(w, graph, 3)


def test_under_the_norm_no_state_dies_by_conquest_in_a_whole_run():
    from equipoise import Scenario, run

    base = Scenario(n_states=10, war={"attack_probability": 0.2})
    free = run(base, replications=6, steps=150, seed=3)
    normed = run(base.replace(war={"integrity_norm_step": 40}), replications=6, steps=150, seed=3)
    deaths = normed.dataset["deaths"].values
    assert free.dataset["deaths"].values[:, 40:].sum() > 0  # else the test shows nothing
    assert deaths[:, 40:].sum() == 0
    # before the norm the two runs are the same run
    np.testing.assert_array_equal(
        normed.dataset["share"].values[:, :40], free.dataset["share"].values[:, :40]
    )
