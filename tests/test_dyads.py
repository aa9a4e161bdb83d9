"""Dyad-years as cell counts: the kernel's counts, the cells by hand, history's cells."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from equipoise import Result, Scenario, run
from equipoise.metrics import DYAD_RATIO_EDGES, N_DYAD_CELLS, dyad_cell, dyad_cell_fields
from equipoise.rules import dyads, indexes
from equipoise.validate.dyads import (
    DYAD_GROUPS,
    cell_table,
    dyad_onset_rates,
    historical_dyad_cells,
)
from worldkit import make_world


def _pair(w, a, b):
    """Index of the hostile pair (a, b) in the World's list."""
    for k in range(w.n_pairs[0]):
        if set(indexes.hostile_pair(w, k)) == {a, b}:
            return k
    raise AssertionError("not hostile")


def test_the_kernel_twin_bins_as_the_vectorised_cell_index():
    ratios = [1.0, 1.2, *DYAD_RATIO_EDGES, 2.0, 9.999, 50.0, math.inf]
    for c, r, a, w in itertools.product((0, 1), ratios, (0, 1), (0, 1)):
        assert dyads.cell_of(bool(c), r, bool(a), bool(w)) == int(dyad_cell(c, r, a, w))
    cells = np.arange(N_DYAD_CELLS)
    f = dyad_cell_fields(cells)
    edges = np.array([1.0, *DYAD_RATIO_EDGES])
    ratio = edges[f["ratio_bin"]]
    assert (dyad_cell(f["contiguous"], ratio, f["allied"], f["at_war"]) == cells).all()


def test_cells_and_onsets_on_a_hand_built_world():
    # four one-province states in a row: 0-1, 1-2 and 2-3 share a front; capability shares
    # in proportion to 1, 1.1, 4, 50 (military proportional to output); 0 and 1 allied
    w, p, _ = make_world(
        4,
        1,
        [0, 1, 2, 3],
        [0, 1, 2, 3],
        [1.0, 1.1, 4.0, 50.0],
        output=[1.0, 1.1, 4.0, 50.0],
        bloc=[8, 8, -1, -1],
    )
    indexes.open_hostility(w, 2, 3)  # at war at the start of the step
    cells = np.full(16, -1, dtype=np.int64)
    counts = np.zeros((N_DYAD_CELLS, 2), dtype=np.int32)
    dyads.open_year(w, p, cells, np.zeros(4), counts)
    # by hand: ((contiguous * 4 + ratio bin) * 2 + allied) * 2 + at war
    expected = {
        (0, 1): 18,  # contiguous, ratio 1.1 (parity), allied
        (1, 2): 24,  # contiguous, 3.6 (medium)
        (2, 3): 29,  # contiguous, 12.5 (preponderance), at war
        (0, 2): 8,  # not contiguous, 4 (medium)
        (0, 3): 12,  # not contiguous, 50 (preponderance)
        (1, 3): 12,
    }
    for (i, j), cell in expected.items():
        assert cells[i * 4 + j] == cell
    assert counts[:, 0].sum() == 6
    assert {c: int(counts[c, 0]) for c in np.flatnonzero(counts[:, 0])} == {
        8: 1,
        12: 2,
        18: 1,
        24: 1,
        29: 1,
    }
    assert w.opened[0] == 0
    # the step: 0 attacks 1 and 3 joins against 1 (no front: an ally called in); 2 and 3
    # agree a ceasefire and fight again; 0 and 1 stop and start again in the same step
    indexes.open_hostility(w, 0, 1)
    indexes.open_hostility(w, 3, 1)
    indexes.close_hostility(w, _pair(w, 2, 3))
    indexes.open_hostility(w, 2, 3)
    indexes.close_hostility(w, _pair(w, 0, 1))
    indexes.open_hostility(w, 1, 0)
    dyads.count_onsets(w, p, cells, counts)
    assert {c: int(counts[c, 1]) for c in np.flatnonzero(counts[:, 1])} == {18: 1, 12: 1}
    assert w.opened[0] == 0


def test_a_state_out_of_the_system_has_no_dyad_years():
    w, p, _ = make_world(3, 1, [0, 1, 2], [0, 1, 2], [1.0, 1.0, 1.0])
    w.alive[2] = False
    counts = np.zeros((N_DYAD_CELLS, 2), dtype=np.int32)
    dyads.open_year(w, p, np.full(9, -1, dtype=np.int64), np.zeros(3), counts)
    assert counts[:, 0].sum() == 1 and counts[16, 0] == 1  # 0-1: contiguous, parity


def test_without_war_every_living_pair_counts_and_none_begins_a_war():
    s = Scenario(n_states=10, name="calm", war={"enabled": False})
    ds = run(s, replications=3, steps=20, seed=1, record_dyads=True).dataset
    years = ds["dyad_years"].values.sum(axis=2)
    assert (years[:, 0] == 0).all() and (years[:, 1:] == 45).all()  # C(10, 2) every step
    assert ds["dyad_onsets"].values.sum() == 0


@pytest.fixture(scope="module")
def fighting() -> Result:
    return run(
        "balancers", replications=6, steps=40, seed=5, record_dyads=True, threads=1, chunk_size=1
    )


def test_dyad_years_are_the_pairs_living_at_the_start_of_each_step(fighting):
    ds = fighting.dataset
    living = ds["survivors"].values[:, :-1]
    assert (ds["dyad_years"].values.sum(axis=2)[:, 1:] == living * (living - 1) // 2).all()
    onsets = ds["dyad_onsets"].values
    assert (onsets <= ds["dyad_years"].values).all()
    assert onsets[..., 1::2].sum() == 0  # no onset in a dyad at war at the start
    # every new war begins with a pair of states at peace: at least one dyadic onset each
    assert (onsets.sum(axis=2) >= ds["war_onsets"].values).all()
    assert ds["war_onsets"].values.sum() > 0


def test_dyad_counts_do_not_depend_on_threads_or_blocks(fighting):
    again = run("balancers", replications=6, steps=40, seed=5, record_dyads=True, threads=2)
    for name in ("dyad_years", "dyad_onsets", "war_onsets", "survivors"):
        assert np.array_equal(again.dataset[name].values, fighting.dataset[name].values)
    part = run("balancers", replications=range(3, 6), steps=40, seed=5, record_dyads=True)
    assert np.array_equal(part.dataset["dyad_onsets"].values, fighting.dataset["dyad_onsets"][3:])


def test_dyad_cells_sum_the_steps_and_survive_parquet(fighting, tmp_path):
    frame = fighting.dyad_cells()
    assert len(frame) == 6 * N_DYAD_CELLS
    ds = fighting.dataset
    assert frame["dyad_years"].sum() == ds["dyad_years"].values.sum()
    assert frame["onsets"].sum() == ds["dyad_onsets"].values.sum()
    window = fighting.dyad_cells(1, 10)
    assert window["onsets"].sum() == ds["dyad_onsets"].values[:, 1:11].sum()
    assert list(frame["ratio"].cat.categories) == ["parity", "small", "medium", "preponderance"]
    back = Result.from_parquet(fighting.to_parquet(tmp_path / "r"))
    for name in ("dyad_years", "dyad_onsets"):
        assert np.array_equal(back.dataset[name].values, ds[name].values)
    pd.testing.assert_frame_equal(back.dyad_cells(), frame)
    joined = Result.concat(
        [run("balancers", range(a, b), 40, 5, record_dyads=True) for a, b in ((0, 2), (2, 6))]
    )
    assert np.array_equal(joined.dataset["dyad_onsets"].values, ds["dyad_onsets"].values)


def test_a_run_without_dyads_says_how_to_get_them():
    result = run("balancers", replications=1, steps=3, seed=1)
    assert "dyad_years" not in result.dataset
    with pytest.raises(ValueError, match="record_dyads=True"):
        result.dyad_cells()


def test_history_cells_match_a_direct_count_of_the_panel():
    from equipoise.panels import (
        add_atop_alliance,
        add_contiguity,
        add_cow_wars,
        add_power_ratio,
        dyad_years,
    )

    cells = historical_dyad_cells(1900, 1905)
    panel = (
        dyad_years(1899, 1905, directed=False)
        .pipe(add_power_ratio)
        .pipe(add_contiguity)
        .pipe(add_atop_alliance)
        .pipe(add_cow_wars)
    )
    panel = panel.sort_values(["ccode1", "ccode2", "year"])
    prev = panel.groupby(["ccode1", "ccode2"])[["year", "cowinterongoing"]].shift()
    panel["at_war"] = (prev["year"] == panel["year"] - 1) & (prev["cowinterongoing"] == 1)
    panel = panel[panel["year"] >= 1900]
    assert cells.attrs["dropped"] == int(panel["power_ratio"].isna().sum())
    panel = panel[panel["power_ratio"].notna()]
    assert cells["dyad_years"].sum() == len(panel)
    assert cells["onsets"].sum() == panel["cowinteronset"].sum() > 0
    land = panel["conttype"] == 1
    allied = (panel["atop_defense"] == 1) | (panel["atop_offense"] == 1)
    pre = panel["power_ratio"] >= 10
    par = panel["power_ratio"] < 1.25
    for mask, field, value in (
        (land, "contiguous", 1),
        (allied, "allied", 1),
        (pre, "ratio_bin", 3),
        (par, "ratio_bin", 0),
        (panel["at_war"], "at_war", 1),
    ):
        mine = cells[cells[field] == value]
        assert mine["dyad_years"].sum() == mask.sum()
        assert mine["onsets"].sum() == panel.loc[mask, "cowinteronset"].sum()


def test_onset_rates_measure_history_and_replications_alike():
    t = cell_table(np.array([0, 0, 16, 30]), np.array([0, 0, 1, 1]))
    h = dyad_onset_rates(t)
    assert list(h.columns) == list(DYAD_GROUPS)
    assert h.loc[0, "dyad_onsets_contiguous"] == 1.0 and h.loc[0, "dyad_onsets_distant"] == 0.0
    assert h.loc[0, "dyad_onsets_parity"] == pytest.approx(1 / 3)
    assert np.isnan(h.loc[0, "dyad_onsets_small"])
    reps = pd.concat([t.assign(replication=7), t.assign(replication=3)])
    per = dyad_onset_rates(reps)
    assert list(per.index) == [7, 3]
    assert (per.loc[3].fillna(-1) == h.loc[0].fillna(-1)).all()


def test_history_refuses_years_without_war_data():
    with pytest.raises(ValueError, match="1816-2007"):
        historical_dyad_cells(1990, 2010)
