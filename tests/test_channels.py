"""Seas for generated systems: straight water channels across the lattice."""

from __future__ import annotations

import numpy as np
import pytest

from equipoise import InvalidScenarioError, Scenario, run
from equipoise.inputs import build_map
from equipoise.maps import lattice, with_channels


def test_channels_cut_the_lattice_into_land_masses():
    m = with_channels(lattice(6, 6), 2)  # one vertical, one horizontal channel
    land = lattice(6, 6)
    assert np.array_equal(m.indices, land.indices) and np.array_equal(m.indptr, land.indptr)
    # sea flags are symmetric
    pairs = {
        (p, int(q))
        for p in range(m.n_provinces)
        for q, s in zip(m.neighbours(p), m.sea[m.indptr[p] : m.indptr[p + 1]], strict=True)
        if s
    }
    assert all((q, p) in pairs for p, q in pairs)
    # four land masses: flood fill over land edges only
    seen = np.full(m.n_provinces, -1)
    masses = 0
    for start in range(m.n_provinces):
        if seen[start] >= 0:
            continue
        stack = [start]
        seen[start] = masses
        while stack:
            p = stack.pop()
            for e in range(m.indptr[p], m.indptr[p + 1]):
                q = int(m.indices[e])
                if not m.sea[e] and seen[q] < 0:
                    seen[q] = masses
                    stack.append(q)
        masses += 1
    assert masses == 4
    assert not with_channels(lattice(6, 6), 0).sea.any()


def test_a_generated_scenario_gets_its_channels_and_runs():
    s = Scenario.load("balancers").replace(n_states=12, map={"channels": 1})
    assert build_map(s).sea.any()
    plain = run(s.replace(map={"channels": 0}), replications=20, steps=100, seed=4)
    cut = run(s, replications=20, steps=100, seed=4)
    assert int(cut.dataset["conquests"].values.sum()) < int(plain.dataset["conquests"].values.sum())


def test_channels_are_for_generated_states_only():
    from equipoise.history import scenario_from_history

    with pytest.raises(InvalidScenarioError, match=r"map\.channels"):
        scenario_from_history(1816, map={"channels": 1})
