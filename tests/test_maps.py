"""Province maps: lattices, initial partitions, maps laid over given capitals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from equipoise import maps


def test_lattice_adjacency_is_von_neumann_and_symmetric():
    m = maps.lattice(4, 3)
    assert m.n_provinces == 12
    assert m.neighbours(0).tolist() == [1, 4]
    assert m.neighbours(5).tolist() == [1, 4, 6, 9]
    assert m.neighbours(11).tolist() == [7, 10]
    for p in range(12):
        for q in m.neighbours(p):
            assert p in m.neighbours(int(q))
    assert m.xy[6].tolist() == [2.0, 1.0]


def test_lattice_shape_gives_about_the_asked_provinces_per_state():
    assert maps.lattice_shape(200, 12.5) == (50, 50)  # GeoSim's 50 x 50 with ~200 states
    w, h = maps.lattice_shape(50, 12.5)
    assert w == h == 25


@given(
    st.integers(2, 12),
    st.integers(2, 12),
    st.integers(0, 2**32 - 1),
    st.integers(0, 50),
)
def test_partition_gives_every_province_to_a_contiguous_state(width, height, seed, rep):
    m = maps.lattice(width, height)
    n = max(1, min(m.n_provinces, (width * height) // 3))
    caps = maps.random_capitals(seed, rep, m.n_provinces, n)
    assert len(set(caps.tolist())) == n
    owner = maps.partition(m.indptr, m.indices, caps)
    assert (owner >= 0).all() and owner.max() == n - 1
    for i, c in enumerate(caps):
        assert owner[c] == i
        assert maps.connected(m.indptr, m.indices, owner, int(c))


def test_random_capitals_are_uniform_over_provinces():
    m = maps.lattice(5, 5)
    hits = np.zeros(25)
    for rep in range(4000):
        hits[maps.random_capitals(1, rep, 25, 1)[0]] += 1
    assert hits.min() > 100 and hits.max() < 220  # expected 160 each


def test_grow_territories_meets_quotas_and_stays_contiguous():
    m = maps.lattice(10, 10)
    caps = np.array([0, 9, 90, 99, 55])
    quotas = np.array([10, 20, 30, 15, 25])
    owner = maps.grow_territories(m, caps, quotas)
    counts = np.bincount(owner, minlength=5)
    assert counts.sum() == 100
    # quotas are met unless a state is enclosed by others first (then the nearest takes the rest)
    assert np.all(np.abs(counts - quotas) <= np.maximum(2, 0.2 * quotas))
    for i, c in enumerate(caps):
        assert maps.connected(m.indptr, m.indices, owner, int(c))


def test_explicit_map_shares_provinces_by_capability_and_keeps_capitals():
    x = np.array([0.0, 1.0, 0.0, 1.0])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    econ = np.array([4.0, 2.0, 1.0, 1.0])
    mil = econ.copy()
    m = maps.map_for_states(x, y, econ, mil, 2 / 3, 20, coordinate_km=1000.0)
    assert m.owner is not None and m.capitals is not None
    counts = np.bincount(m.owner, minlength=4)
    assert counts.sum() == m.n_provinces
    assert counts[0] > counts[1] > max(counts[2], counts[3])
    for i, c in enumerate(m.capitals):
        assert m.owner[c] == i
        assert maps.connected(m.indptr, m.indices, m.owner, int(c))
    # the capitals keep their relative placement
    cx = m.xy[m.capitals, 0]
    cy = m.xy[m.capitals, 1]
    assert cx[1] > cx[0] and cy[2] > cy[0]
    assert m.unit_km is not None and m.unit_km > 0


def test_colliding_capitals_get_distinct_cells():
    m = maps.explicit_map(np.zeros(3), np.zeros(3), np.ones(3), 5)
    assert m.capitals is not None and len(set(m.capitals.tolist())) == 3


def test_state_weights_are_cinc_style_shares():
    w = maps.state_weights(np.array([3.0, 1.0]), np.array([1.0, 1.0]), 2 / 3)
    assert w == pytest.approx([2 / 3 * 0.75 + 1 / 3 * 0.5, 2 / 3 * 0.25 + 1 / 3 * 0.5])
    assert maps.state_weights(np.array([3.0, 1.0]), np.zeros(2), 2 / 3) == pytest.approx([0.75, 0.25])


def test_bad_lattice_is_refused():
    with pytest.raises(ValueError, match="positive width and height"):
        maps.lattice(0, 3)
