"""Bremer's dangerous-dyads logit on cell counts: the row logit's estimates, degenerate cells,
history's signs, and a fit per simulated replication and pooled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from equipoise import run
from equipoise.history import scenario_from_history
from equipoise.metrics import N_DYAD_CELLS, dyad_cell_fields
from equipoise.validate.dyads import (
    DANGEROUS_DYADS_TERMS,
    cell_table,
    dangerous_dyads,
    historical_dyad_cells,
)


def _table(years: np.ndarray, onsets: np.ndarray) -> pd.DataFrame:
    """A cell table of the given dyad-years and onsets per cell (every cell)."""
    table = cell_table(np.zeros(0, dtype=np.int64), np.zeros(0))
    table["dyad_years"] = years.astype(np.int64)
    table["onsets"] = onsets.astype(np.int64)
    return table


def _row_logit(table: pd.DataFrame, terms: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels' Logit on the dyad-years as rows (at peace the year before), first terms."""
    peace = table[table["at_war"] == 0]
    rows = peace.loc[peace.index.repeat(peace["dyad_years"])].copy()
    rank = rows.groupby(level=0).cumcount().to_numpy()
    onset = (rank < rows["onsets"].to_numpy()).astype(np.float64)
    x = np.column_stack(
        [
            np.ones(len(rows)),
            rows["contiguous"],
            *((rows["ratio_bin"] == k) for k in (1, 2, 3)),
            rows["allied"],
        ]
    ).astype(np.float64)[:, :terms]
    fit = sm.Logit(onset, x).fit(method="newton", tol=1e-12, disp=0)
    return np.asarray(fit.params), np.asarray(fit.bse)


def _synthetic(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = rng.integers(40, 400, N_DYAD_CELLS)
    f = dyad_cell_fields(np.arange(N_DYAD_CELLS))
    p = 0.02 * np.exp(1.2 * f["contiguous"] - 0.4 * (f["ratio_bin"] == 3) - 0.3 * f["allied"])
    return _table(years, rng.binomial(years, p))


def test_the_glm_on_cells_is_the_logit_on_rows():
    table = _synthetic()
    fit = dangerous_dyads(table)
    assert fit["term"].tolist() == list(DANGEROUS_DYADS_TERMS)
    assert (fit["flag"] == "").all()
    coef, se = _row_logit(table)
    np.testing.assert_allclose(fit["coef"], coef, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fit["se"], se, rtol=0, atol=1e-8)
    # the cells at war the year before are not at risk of an onset
    at_war = table.assign(onsets=np.where(table["at_war"] == 1, 0, table["onsets"]))
    pd.testing.assert_frame_equal(dangerous_dyads(at_war), fit)


def test_a_term_without_onsets_is_minus_infinity_and_the_rest_its_limit():
    table = _synthetic()
    table.loc[table["allied"] == 1, "onsets"] = 0  # allied dyads never fight
    fit = dangerous_dyads(table).set_index("term")
    assert fit.loc["allied", "coef"] == -np.inf and np.isnan(fit.loc["allied", "se"])
    assert fit.loc["allied", "flag"] == "no onsets with allied"
    coef, se = _row_logit(table[table["allied"] == 0], terms=5)
    others = [t for t in DANGEROUS_DYADS_TERMS if t != "allied"]
    np.testing.assert_allclose(fit.loc[others, "coef"], coef, atol=1e-8)
    np.testing.assert_allclose(fit.loc[others, "se"], se, atol=1e-8)
    assert (fit.loc[others, "flag"] == "").all()


def test_a_term_with_every_onset_is_plus_infinity_and_the_intercept_minus():
    table = _synthetic()
    table.loc[table["contiguous"] == 0, "onsets"] = 0  # wars only between neighbours
    fit = dangerous_dyads(table).set_index("term")
    assert fit.loc["contiguous", "coef"] == np.inf
    assert fit.loc["contiguous", "flag"] == "every onset with contiguous"
    assert fit.loc["intercept", "coef"] == -np.inf
    assert "reference cells" in fit.loc["intercept", "flag"]
    assert np.isfinite(fit.loc[["ratio_small", "allied"], "coef"]).all()


def test_terms_without_dyad_years_or_onsets_are_named_not_estimated():
    table = _synthetic()
    table.loc[table["ratio_bin"] == 3, "dyad_years"] = 0  # no preponderance at all
    table.loc[table["ratio_bin"] == 3, "onsets"] = 0
    fit = dangerous_dyads(table).set_index("term")
    assert np.isnan(fit.loc["ratio_preponderance", "coef"])
    assert fit.loc["ratio_preponderance", "flag"] == "no dyad-years with ratio_preponderance"
    assert np.isfinite(fit.drop(index="ratio_preponderance")["se"]).all()
    calm = dangerous_dyads(table.assign(onsets=0))
    assert calm["coef"].isna().all() and (calm["flag"] == "no onsets").all()


def test_history_has_bremers_signs():
    cells = historical_dyad_cells(1816, 2007)
    fit = dangerous_dyads(cells).set_index("term")
    assert (fit["flag"] == "").all()
    # contiguity raises the odds of war, by far; preponderance lowers them against parity
    assert fit.loc["contiguous", "coef"] > 5 * fit.loc["contiguous", "se"] > 0
    assert fit.loc["ratio_preponderance", "coef"] < 0
    assert fit.loc["ratio_preponderance", "coef"] < fit.loc["ratio_small", "coef"]


@pytest.fixture(scope="module")
def system_cells() -> pd.DataFrame:
    scenario = scenario_from_history(1816, states="all", entries=True, until=1850)
    result = run(scenario, replications=3, steps=35, seed=2, record_dyads=True)
    return result.dyad_cells(1, 35)


def test_a_run_is_fitted_per_replication_and_pooled(system_cells):
    per = dangerous_dyads(system_cells)
    assert per["replication"].tolist() == np.repeat([0, 1, 2], 6).tolist()
    for _, part in per.groupby("replication"):
        assert part["term"].tolist() == list(DANGEROUS_DYADS_TERMS)
    one = dangerous_dyads(
        system_cells[system_cells["replication"] == 1].drop(columns="replication")
    )
    pd.testing.assert_frame_equal(
        per[per["replication"] == 1].drop(columns="replication").reset_index(drop=True), one
    )
    pooled = dangerous_dyads(system_cells.drop(columns="replication")).set_index("term")
    summed = system_cells.groupby("cell", as_index=False).agg(
        {
            "contiguous": "first",
            "ratio_bin": "first",
            "allied": "first",
            "at_war": "first",
            "dyad_years": "sum",
            "onsets": "sum",
        }
    )
    pd.testing.assert_frame_equal(pooled.reset_index(), dangerous_dyads(summed))
    # neighbours fight more in the model too; pooling narrows the estimate
    contiguous = per[per["term"] == "contiguous"]
    assert (contiguous["coef"] > 0).all()
    assert pooled.loc["contiguous", "coef"] > 0
    finite = contiguous["se"].dropna()
    if finite.size:
        assert pooled.loc["contiguous", "se"] < finite.min()
