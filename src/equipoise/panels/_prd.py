"""Politically relevant dyads (Lemke & Reed 2001): contiguous, or with a major power.

A dyad is *politically relevant* when at least one of its states is a major power or the two
are contiguous (Maoz & Russett 1993; Lemke & Reed 2001): the dyads that can fight each other.
peacesciencer's ``filter_prd()`` (Miller 2022) uses COW major-power status and COW Direct
Contiguity of any type (a land border, or up to 400 miles of water: ``conttype`` 1-5), and so
does :func:`filter_prd` by default; ``max_conttype`` narrows contiguity to a land border
(``1``) or to at most 12, 24 or 150 miles of water (``2``, ``3``, ``4``).

Before COW contiguity was in equipoise's data, the filter stood on a proxy, kept as an option
(``distance_km``): a dyad is proximate when its capitals are at most ``distance_km`` apart
(:data:`PRD_DISTANCE_KM` = 1,000 km selects about as many dyad-years as contiguity does). On the
956,145 undirected dyad-years 1816-2016 (``docs/panels.md`` has the table):

- major power or contiguous (types 1-5): 123,122 dyad-years, keeping 297 of the 379 COW war
  onsets;
- major power or capitals within 1,000 km: 125,877 dyad-years, keeping 290 onsets.

The two sets share 90% of the contiguity-based set. Capitals of large neighbours can be far
apart (Moscow and Beijing are 5,800 km apart), and capitals across a narrow sea close, so the
proxy is not contiguity; say so when you use it.

References
----------
Lemke, D., & Reed, W. (2001). The relevance of politically relevant dyads. *Journal of
    Conflict Resolution*, 45(1), 126-144. https://doi.org/10.1177/0022002701045001006
Maoz, Z., & Russett, B. (1993). Normative and structural causes of democratic peace,
    1946-1986. *American Political Science Review*, 87(3), 624-638.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The Correlates of
    War Project direct contiguity data, version 3.0. *Conflict Management and Peace Science*,
    19(2), 58-66.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from equipoise.panels._contiguity import conttype
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, panel_kind
from equipoise.panels._state import capital_distance, keys, major_status

__all__ = ["PRD_DISTANCE_KM", "filter_prd"]

#: A distance between capitals that selects about as many dyad-years as contiguity (km).
PRD_DISTANCE_KM = 1000.0


def filter_prd(
    panel: pd.DataFrame, *, max_conttype: int = 5, distance_km: float | None = None
) -> pd.DataFrame:
    """Keep the politically relevant dyad-years: peacesciencer's ``filter_prd()``.

    A dyad-year is kept when ``ccode1`` or ``ccode2`` is a COW major power that year, or the
    two are contiguous: COW contiguity type 1 to ``max_conttype`` (default 5: a land border or
    up to 400 miles of water, as peacesciencer), or, if ``distance_km`` is given, capitals at
    most ``distance_km`` apart instead (the capital-distance proxy; the module docstring
    compares the two). The panel's ``cowmaj1``, ``cowmaj2``, ``conttype`` and ``capdist``
    columns are used when present and computed otherwise (without being added). Filter after
    computing peace years on the panel's own rows (or compute them with ``history=True``).

    Parameters
    ----------
    panel : DataFrame
        A dyad-year panel.
    max_conttype : int
        Largest COW contiguity type that counts: 1 (land border), 2, 3, 4 or 5 (up to 12,
        24, 150 or 400 miles of water).
    distance_km : float, optional
        Use capitals at most this many km apart instead of contiguity.

    Returns
    -------
    DataFrame
        The politically relevant rows, index reset, attrs kept (``attrs["equipoise.prd"]``
        says which rule was used).

    Raises
    ------
    PanelError
        If ``panel`` is not a dyad-year panel, ``max_conttype`` is not 1-5 or ``distance_km``
        is not a non-negative number.

    References
    ----------
    Lemke, D., & Reed, W. (2001). The relevance of politically relevant dyads. *Journal of
        Conflict Resolution*, 45(1), 126-144.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> prd = filter_prd(dyad_years(1816, 1816, directed=False))
    >>> len(prd) < 253 and bool(((prd["ccode1"] == 200) | (prd["ccode2"] == 200)).sum() == 22)
    True
    >>> prd.attrs["equipoise.prd"]
    'major power or COW contiguity type 1-5'
    """
    kind = panel_kind(panel, "filter_prd")
    if kind != DYAD_YEAR:
        raise PanelError("filter_prd needs a dyad-year panel; politically relevant dyads are pairs")
    if (
        isinstance(max_conttype, bool)
        or not isinstance(max_conttype, (int, np.integer))
        or not 1 <= max_conttype <= 5
    ):
        raise PanelError(
            f"filter_prd: 'max_conttype' must be a COW contiguity type 1-5; got {max_conttype!r}"
        )
    if distance_km is not None and (
        isinstance(distance_km, bool)
        or not isinstance(distance_km, (int, float, np.integer, np.floating))
        or not math.isfinite(float(distance_km))
        or distance_km < 0
    ):
        raise PanelError(
            f"filter_prd: 'distance_km' must be a non-negative number of km; got {distance_km!r}"
        )
    c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
    if "cowmaj1" in panel.columns and "cowmaj2" in panel.columns:
        major = (panel["cowmaj1"].to_numpy(dtype=np.float64, na_value=0) == 1) | (
            panel["cowmaj2"].to_numpy(dtype=np.float64, na_value=0) == 1
        )
    else:
        major = (major_status(year, c1) == 1) | (major_status(year, c2) == 1)
    if distance_km is not None:
        if "capdist" in panel.columns:
            dist = panel["capdist"].to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            dist = capital_distance(year, c1, c2)
        near = dist <= float(distance_km)
        rule = f"major power or capitals within {float(distance_km):g} km"
        used: tuple[str, ...] = ("cow_states", "capitals", "lemke2001")
    else:
        if "conttype" in panel.columns:
            types = panel["conttype"].to_numpy(dtype=np.float64, na_value=0)
        else:
            types = conttype(c1, c2, year)[0].astype(np.float64)
        near = (types >= 1) & (types <= max_conttype)
        rule = f"major power or COW contiguity type 1-{max_conttype}"
        used = ("cow_states", "prd_contiguity", "lemke2001")
    out = extend(panel, {}, used)
    out = out[major | near].reset_index(drop=True)
    out.attrs["equipoise.prd"] = rule
    if distance_km is not None:
        out.attrs["equipoise.prd_km"] = float(distance_km)
    return out
