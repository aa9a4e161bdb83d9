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

References
----------
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of
    interstate war, 1816-1965. *Journal of Conflict Resolution*, 36(2),
    309-341. https://doi.org/10.1177/0022002792036002005
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The
    Correlates of War Project direct contiguity data, version 3.0. *Conflict
    Management and Peace Science*, 19(2), 58-66.
"""

from __future__ import annotations

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

__all__ = ["DYAD_GROUPS", "cell_table", "dyad_onset_rates", "historical_dyad_cells"]

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
    index = np.arange(N_DYAD_CELLS, dtype=np.int64)
    frame = pd.DataFrame({"cell": index})
    for name, values in dyad_cell_fields(index).items():
        frame[name] = values
    frame["dyad_years"] = np.bincount(cells, minlength=N_DYAD_CELLS).astype(np.int64)
    frame["onsets"] = np.bincount(cells, weights=onsets, minlength=N_DYAD_CELLS).astype(np.int64)
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
    frame = cells
    if "replication" not in frame:
        frame = frame.assign(replication=0)
    out = {}
    for name, (_, field, value) in DYAD_GROUPS.items():
        if field not in DYAD_CELL_FIELDS:  # pragma: no cover - a group of an unknown field
            raise ValueError(f"unknown cell field {field!r}")
        part = frame[frame[field] == value].groupby("replication")[["dyad_years", "onsets"]]
        sums = part.sum().reindex(pd.unique(frame["replication"]), fill_value=0)
        years = sums["dyad_years"].to_numpy(dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = np.where(years > 0, sums["onsets"].to_numpy() / years, np.nan)
    return pd.DataFrame(out, index=pd.Index(pd.unique(frame["replication"]), name="replication"))
