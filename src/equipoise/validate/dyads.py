"""Dyad-year rates of war onset by land contiguity and capability ratio, in history and the model.

The "dangerous dyads" of Bremer (1992) are contiguous and near parity: war
begins far more often between neighbours than between distant states, and
less often under preponderance. Both sides are counted in the covariate cells
of :func:`equipoise.metrics.dyad_cell` (land contiguity, capability-ratio bin,
alliance, at war the year before) and measured by the same function,
:func:`dyad_onset_rates`:

* **history** (:func:`historical_dyad_cells`): the undirected COW dyad-years of
  :mod:`equipoise.panels` (``dyad_years(directed=False)``), land contiguity
  COW direct contiguity type 1 (``add_contiguity``), the ratio of the two CINC
  scores (``add_power_ratio``), allied an ATOP defence or offence pact
  (``add_atop_alliance``), at war the dyad at war in the previous year and a war
  onset COW's dyadic inter-state war onset (``add_cow_wars``: ``cowinteronset``,
  the first year of two states at war on opposite sides);
* **the model** (:meth:`equipoise.results.Result.dyad_cells`): the kernel's counts
  of a run with ``record_dyads=True``; :mod:`equipoise.rules.dyads` says what a
  simulated dyad-year and onset are.

:func:`dangerous_dyads` fits Bremer's logit of war onset on land contiguity, the
capability-ratio bins and alliance to the same cells, a binomial GLM whose
coefficients and standard errors are those of the logit on the dyad-years as rows:
the auxiliary model of indirect inference (Gouriéroux, Monfort & Renault 1993;
Smith 1993), fitted alike to history and to each simulated replication.

References
----------
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of
    interstate war, 1816-1965. *Journal of Conflict Resolution*, 36(2),
    309-341. https://doi.org/10.1177/0022002792036002005
Gouriéroux, C., Monfort, A., & Renault, E. (1993). Indirect inference.
    *Journal of Applied Econometrics*, 8(S1), S85-S118.
    https://doi.org/10.1002/jae.3950080507
Smith, A. A. (1993). Estimating nonlinear time-series models using simulated
    vector autoregressions. *Journal of Applied Econometrics*, 8(S1), S63-S84.
    https://doi.org/10.1002/jae.3950080506
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The
    Correlates of War Project direct contiguity data, version 3.0. *Conflict
    Management and Peace Science*, 19(2), 58-66.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from equipoise.metrics import (
    DYAD_CELL_FIELDS,
    DYAD_RATIO_BINS,
    DYAD_RATIO_EDGES,
    N_DYAD_CELLS,
    dyad_cell,
    dyad_cell_fields,
)
from equipoise.validate.history import SYSTEM_YEARS, WAR_DATA_END

__all__ = [
    "DANGEROUS_DYADS_TERMS",
    "DYAD_GROUPS",
    "cell_table",
    "cells_from_counts",
    "dangerous_dyads",
    "dyad_onset_rates",
    "historical_dyad_cells",
]

_EDGES = (1.0, *DYAD_RATIO_EDGES)


def _ratio_text(k: int) -> str:
    low = _EDGES[k]
    if k + 1 < len(_EDGES):
        return f"capability ratio {low:g} to {_EDGES[k + 1]:g}"
    return f"capability ratio {low:g} or more"


#: The groups of dyad-years whose onset rates are compared: name -> (description, field, value).
DYAD_GROUPS: dict[str, tuple[str, str, int]] = {
    "dyad_onsets_contiguous": (
        "war onsets per dyad-year, land-contiguous dyads",
        "contiguous",
        1,
    ),
    "dyad_onsets_distant": (
        "war onsets per dyad-year, dyads not contiguous by land",
        "contiguous",
        0,
    ),
    **{
        f"dyad_onsets_{name}": (
            f"war onsets per dyad-year, {name} ({_ratio_text(k)})",
            "ratio_bin",
            k,
        )
        for k, name in enumerate(DYAD_RATIO_BINS)
    },
}


def cell_table(cells: np.ndarray, onsets: np.ndarray) -> pd.DataFrame:
    """Dyad-years and onsets by cell from one row per dyad-year (its cell and onset flag).

    Returns every cell (zeros where there is none): ``cell``, the covariates of
    :data:`~equipoise.metrics.DYAD_CELL_FIELDS`, ``dyad_years``, ``onsets``.

    Examples
    --------
    >>> t = cell_table(np.array([0, 0, 30]), np.array([0, 1, 1]))
    >>> t.loc[t["dyad_years"] > 0, ["cell", "dyad_years", "onsets"]].values.tolist()
    [[0, 2, 1], [30, 1, 1]]
    """
    return cells_from_counts(
        np.bincount(cells, minlength=N_DYAD_CELLS),
        np.bincount(cells, weights=onsets, minlength=N_DYAD_CELLS),
    )


def cells_from_counts(dyad_years: np.ndarray, onsets: np.ndarray) -> pd.DataFrame:
    """The table of :func:`cell_table` from counts by cell (one value per cell, in cell order).

    What a simulation's counts become (the kernel counts dyad-years and onsets by cell,
    :mod:`equipoise.rules.dyads`) for :func:`dyad_onset_rates` and :func:`dangerous_dyads`.

    Examples
    --------
    >>> years = np.zeros(N_DYAD_CELLS, dtype=np.int64); years[[0, 16]] = [90, 10]
    >>> onsets = np.zeros(N_DYAD_CELLS, dtype=np.int64); onsets[16] = 3
    >>> t = cells_from_counts(years, onsets)
    >>> t.loc[t["dyad_years"] > 0, ["cell", "contiguous", "dyad_years", "onsets"]].values.tolist()
    [[0, 0, 90, 0], [16, 1, 10, 3]]
    """
    index = np.arange(N_DYAD_CELLS, dtype=np.int64)
    frame = pd.DataFrame({"cell": index})
    for name, values in dyad_cell_fields(index).items():
        frame[name] = values
    frame["dyad_years"] = np.asarray(dyad_years).astype(np.int64)
    frame["onsets"] = np.asarray(onsets).astype(np.int64)
    return frame


def historical_dyad_cells(start: int, end: int) -> pd.DataFrame:
    """COW dyad-years ``start``-``end`` and their war onsets, by covariate cell.

    Undirected dyad-years of :func:`equipoise.panels.dyad_years` with the
    covariates of the module docstring; ``at_war`` is the dyad's
    ``cowinterongoing`` of the year before (0 in 1816, the first year of the
    data). Wars are recorded to 2007 (COW v4.0), so ``end`` must be at most 2007.
    Dyad-years with a missing CINC score have no capability ratio and are left
    out; ``attrs["dropped"]`` counts them.

    Returns
    -------
    DataFrame
        :func:`cell_table`, with ``attrs`` ``years`` (start, end), ``dropped``.

    Examples
    --------
    >>> cells = historical_dyad_cells(1914, 1914)
    >>> int(cells["dyad_years"].sum()), int(cells["onsets"].sum())
    (990, 18)
    """
    from equipoise.panels import (
        add_atop_alliance,
        add_contiguity,
        add_cow_wars,
        add_power_ratio,
        dyad_years,
    )

    if not SYSTEM_YEARS[0] <= start <= end <= WAR_DATA_END:
        raise ValueError(
            f"The years must lie within {SYSTEM_YEARS[0]}-{WAR_DATA_END} (COW wars), in "
            f"order. Got {start}-{end} instead."
        )
    first = max(start - 1, SYSTEM_YEARS[0])
    panel = (
        dyad_years(first, end, directed=False)
        .pipe(add_power_ratio)
        .pipe(add_contiguity)
        .pipe(add_atop_alliance)
        .pipe(add_cow_wars)
    )
    panel = panel.sort_values(["ccode1", "ccode2", "year"], kind="stable")
    year = panel["year"].to_numpy(dtype=np.int64)
    key = panel["ccode1"].to_numpy(dtype=np.int64) * 10_000 + panel["ccode2"].to_numpy(np.int64)
    ongoing = panel["cowinterongoing"].fillna(0).to_numpy(dtype=np.int64)
    before = np.zeros(len(panel), dtype=bool)
    before[1:] = (key[1:] == key[:-1]) & (year[1:] == year[:-1] + 1) & (ongoing[:-1] == 1)
    ratio = panel["power_ratio"].to_numpy(dtype=np.float64)
    keep = (year >= start) & ~np.isnan(ratio)
    dropped = int(((year >= start) & np.isnan(ratio)).sum())
    contiguous = panel["conttype"].fillna(0).to_numpy(dtype=np.int64) == 1
    allied = (panel["atop_defense"].fillna(0).to_numpy(dtype=np.int64) == 1) | (
        panel["atop_offense"].fillna(0).to_numpy(dtype=np.int64) == 1
    )
    onset = panel["cowinteronset"].fillna(0).to_numpy(dtype=np.int64)
    cells = dyad_cell(contiguous[keep], ratio[keep], allied[keep], before[keep])
    table = cell_table(cells, onset[keep])
    table.attrs = {"years": (start, end), "dropped": dropped}
    return table


def dyad_onset_rates(cells: pd.DataFrame) -> pd.DataFrame:
    """War onsets per dyad-year in each group of :data:`DYAD_GROUPS`, by replication.

    The one measure of both sides: ``cells`` is a table of dyad-years and onsets
    by cell (:func:`historical_dyad_cells`, or
    :meth:`~equipoise.results.Result.dyad_cells` with a ``replication`` column).

    Returns
    -------
    DataFrame
        One column per group, one row per replication (index ``replication``), or a
        single row (index 0) without a ``replication`` column; ``nan`` where a
        group has no dyad-years.

    Examples
    --------
    >>> t = cell_table(np.array([0, 0, 16, 30]), np.array([0, 0, 1, 1]))
    >>> dyad_onset_rates(t)[["dyad_onsets_contiguous", "dyad_onsets_distant"]].round(2)
                 dyad_onsets_contiguous  dyad_onsets_distant
    replication
    0                               1.0                  0.0
    """
    if "replication" in cells:
        codes, _ = pd.factorize(cells["replication"])  # replications in order of appearance
        labels = pd.unique(cells["replication"])
    else:
        codes, labels = np.zeros(len(cells), dtype=np.int64), np.zeros(1, dtype=np.int64)
    # sums by replication as bincounts (integers, exact in float64: a calibration measures
    # thousands of replications, one at a time, and a groupby costs milliseconds each)
    dyad_years = cells["dyad_years"].to_numpy(dtype=np.float64)
    onsets = cells["onsets"].to_numpy(dtype=np.float64)
    out = {}
    for name, (_, field, value) in DYAD_GROUPS.items():
        if field not in DYAD_CELL_FIELDS:  # pragma: no cover - a group of an unknown field
            raise ValueError(f"unknown cell field {field!r}")
        inside = cells[field].to_numpy() == value
        years = np.bincount(codes[inside], dyad_years[inside], minlength=len(labels))
        count = np.bincount(codes[inside], onsets[inside], minlength=len(labels))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(years > 0, count / years, np.nan)
    return pd.DataFrame(out, index=pd.Index(labels, name="replication"))


# --------------------------------------------------------------------------- Bremer's logit
#: The terms of the dangerous-dyads logit, in order: the intercept (distant, parity, not
#: allied), land contiguity, the capability-ratio bins above parity, alliance.
DANGEROUS_DYADS_TERMS: tuple[str, ...] = (
    "intercept",
    "contiguous",
    *(f"ratio_{name}" for name in DYAD_RATIO_BINS[1:]),
    "allied",
)


def _design(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Design (one column per term), onsets and dyad-years of the peace cells with dyad-years."""
    nb = len(DYAD_RATIO_BINS)
    peace = cells["at_war"].to_numpy() == 0
    key = (
        cells["contiguous"].to_numpy(dtype=np.int64) * nb
        + cells["ratio_bin"].to_numpy(dtype=np.int64)
    ) * 2 + cells["allied"].to_numpy(dtype=np.int64)
    size = 2 * nb * 2
    years = np.bincount(key[peace], cells["dyad_years"].to_numpy()[peace], minlength=size)
    onsets = np.bincount(key[peace], cells["onsets"].to_numpy()[peace], minlength=size)
    present = np.flatnonzero(years > 0)
    ratio = (present // 2) % nb
    x = np.column_stack(
        [
            np.ones(present.size),
            present // (2 * nb),
            *((ratio == k) for k in range(1, nb)),
            present % 2,
        ]
    ).astype(np.float64)
    return x, onsets[present], years[present]


def _fit_cells(
    x: np.ndarray, onsets: np.ndarray, years: np.ndarray
) -> list[tuple[str, float, float, str]]:
    """(term, coef, se, flag) of each term: the MLE, or its limit where a term is separated."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    terms = DANGEROUS_DYADS_TERMS
    coef = dict.fromkeys(terms, np.nan)
    se = dict.fromkeys(terms, np.nan)
    flag = dict.fromkeys(terms, "")
    if onsets.sum() == 0:
        return [(t, np.nan, np.nan, "no onsets") for t in terms]
    rows = np.ones(len(onsets), dtype=bool)
    active = list(range(1, len(terms)))
    changed = True
    while changed:  # one degenerate term at a time, until none is left
        changed = False
        for k in active:
            on = x[rows, k] == 1
            name = terms[k]
            if on.all() or not on.any():
                flag[name] = f"no dyad-years {'without' if on.all() else 'with'} {name}"
            elif onsets[rows][on].sum() == 0:  # beta -> -inf: fit the cells without it
                coef[name], flag[name] = -np.inf, f"no onsets with {name}"
                rows &= x[:, k] == 0
            elif onsets[rows][~on].sum() == 0:  # beta -> +inf, the intercept -> -inf
                coef[name], flag[name] = np.inf, f"every onset with {name}"
                coef["intercept"] = -np.inf
                flag["intercept"] = f"no onsets in the reference cells (every onset with {name})"
                rows &= x[:, k] == 1
            else:
                continue
            active.remove(k)
            changed = True
            break
    columns = [0, *active]
    design = x[rows][:, columns]
    if np.linalg.matrix_rank(design) < len(columns):
        for k in columns:
            flag[terms[k]] = flag[terms[k]] or "collinear with the other terms"
        return [(t, coef[t], se[t], flag[t]) for t in terms]
    # the binomial likelihood of the cells as a logit on two rows per cell, onset and no
    # onset, weighted by their counts: the dyad-years' rows with duplicates collapsed (with
    # a two-column endog, statsmodels takes a saturated fit, as many cells as terms, for a
    # perfect prediction and divides by its zero residual degrees of freedom)
    weights = np.r_[onsets[rows], years[rows] - onsets[rows]]
    endog = np.r_[np.ones(rows.sum()), np.zeros(rows.sum())][weights > 0]
    exog = np.vstack([design, design])[weights > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", PerfectSeparationWarning)
        try:
            fit = sm.GLM(
                endog, exog, family=sm.families.Binomial(), freq_weights=weights[weights > 0]
            ).fit(tol=1e-12, maxiter=100)
        except (ConvergenceWarning, PerfectSeparationWarning, PerfectSeparationError):
            fit = None
    for j, k in enumerate(columns):
        name = terms[k]
        if fit is None:
            flag[name] = flag[name] or "did not converge"
        elif k or np.isnan(coef[name]):  # an intercept of -inf stays so
            coef[name], se[name] = float(fit.params[j]), float(fit.bse[j])
    return [(t, coef[t], se[t], flag[t]) for t in terms]


def dangerous_dyads(cells: pd.DataFrame) -> pd.DataFrame:
    """Bremer's (1992) "dangerous dyads" logit of war onset, fitted to dyad-years by cell.

    The logit of a war onset in a dyad-year not already at war (``at_war`` 0) on
    land contiguity, the capability-ratio bins as dummies (parity the reference)
    and alliance, fitted as a binomial GLM on the cells (onsets out of dyad-years):
    the same likelihood as the logit on the dyad-years as rows, so the same
    coefficients and standard errors, without the rows. The auxiliary model of
    indirect inference (Gouriéroux, Monfort & Renault 1993): its coefficients,
    fitted alike to history (:func:`historical_dyad_cells`) and to each simulated
    replication (:meth:`~equipoise.results.Result.dyad_cells`), summarise both.

    **Degenerate cells.** A term whose cells hold no onset (allied dyads that
    never fight) has no finite estimate: its coefficient is ``-inf``, the limit
    of the maximum-likelihood sequence, and the other terms are those of the
    fit on the remaining cells, their limit too; one that holds every onset
    (all wars between neighbours) gets ``+inf`` and the intercept ``-inf``, the
    others fitted within its cells. A term without dyad-years on one side (no
    preponderance at all) cannot be estimated: ``nan``. Each case is named in
    ``flag``, checked again after each term is set aside; without any onset every
    term is ``nan`` (flag ``no onsets``). A fit statsmodels cannot bring to
    convergence (a separation by a combination of terms, cells of onsets only)
    is reported as ``nan`` with the flag ``did not converge``; its warning never
    escapes, and no other is silenced.

    Parameters
    ----------
    cells : DataFrame
        Dyad-years and onsets by cell (the columns of :func:`cell_table`); with a
        ``replication`` column, one fit per replication (drop the column to pool
        them: cells of the same covariates are summed).

    Returns
    -------
    DataFrame
        One row per term of :data:`DANGEROUS_DYADS_TERMS` (per replication, with a
        ``replication`` column first): ``term``, ``coef`` (log odds), ``se``
        (``nan`` when the coefficient is infinite) and ``flag`` (empty when the
        term was estimated as usual).

    Examples
    --------
    Distant dyads at parity (cell 0): 2 onsets in 90 dyad-years; neighbours (cell
    16): 3 in 10; allied distant dyads (cell 2): none in 50.

    >>> t = cell_table(np.repeat([0, 0, 16, 16, 2], [2, 88, 3, 7, 50]),
    ...                np.repeat([1, 0, 1, 0, 0], [2, 88, 3, 7, 50]))
    >>> fit = dangerous_dyads(t).set_index("term")
    >>> fit.loc["contiguous", ["coef", "se"]].round(3).tolist()  # log(3/7) - log(2/88)
    [2.937, 0.994]
    >>> float(fit.loc["allied", "coef"]), fit.loc["allied", "flag"]
    (-inf, 'no onsets with allied')
    >>> fit.loc["ratio_small", "flag"]
    'no dyad-years with ratio_small'
    """
    columns = ["term", "coef", "se", "flag"]
    if "replication" not in cells:
        fit = _fit_cells(*_design(cells))
        return pd.DataFrame(fit, columns=columns)
    frames = []
    for label, part in cells.groupby("replication", sort=False):
        frame = pd.DataFrame(_fit_cells(*_design(part)), columns=columns)
        frame.insert(0, "replication", label)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["replication", *columns])
    return pd.concat(frames, ignore_index=True)
