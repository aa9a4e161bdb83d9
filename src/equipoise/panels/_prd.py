"""Politically relevant dyads (Lemke & Reed 2001), with capital distance for contiguity.

A dyad is *politically relevant* when at least one of its states is a major power or the two
are contiguous (Maoz & Russett 1993; Lemke & Reed 2001): the dyads that can fight each other.
peacesciencer's ``filter_prd()`` (Miller 2022) uses COW major-power status and COW Direct
Contiguity (any type: land, or up to 400 miles of water).

**COW contiguity is not in equipoise's built-in data.** :func:`filter_prd` uses the distance
between capitals as a proxy: a dyad is proximate when its capitals are at most
``distance_km`` apart, :data:`PRD_DISTANCE_KM` = 1,000 km by default. That default is the
distance at which the proxy selects as many dyad-years as contiguity does. Checked during
development against COW Direct Contiguity v3.2 (through peacesciencer's copy, not shipped) on
the 956,145 undirected dyad-years 1816-2016:

- major power or contiguous: 123,151 dyad-years, keeping 298 of the 379 war onsets (79%);
- major power or capitals within 1,000 km: 125,877 dyad-years, keeping 290 onsets (77%).

The two sets share 90% of the contiguity-based set (recall 0.90) and 88% of the proxy's
(precision 0.88). Capitals of large neighbours can be far apart (Moscow and Beijing are
5,800 km apart), and capitals across a narrow sea close, so the proxy is not contiguity;
say so when you use it.

References
----------
Lemke, D., & Reed, W. (2001). The relevance of politically relevant dyads. *Journal of
    Conflict Resolution*, 45(1), 126-144. https://doi.org/10.1177/0022002701045001006
Maoz, Z., & Russett, B. (1993). Normative and structural causes of democratic peace,
    1946-1986. *American Political Science Review*, 87(3), 624-638.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, panel_kind
from equipoise.panels._state import capital_distance, keys, major_status

__all__ = ["PRD_DISTANCE_KM", "filter_prd"]

#: Default largest distance between capitals of a "proximate" dyad (km); see the module notes.
PRD_DISTANCE_KM = 1000.0


def filter_prd(panel: pd.DataFrame, distance_km: float = PRD_DISTANCE_KM) -> pd.DataFrame:
    """Keep the politically relevant dyad-years: peacesciencer's ``filter_prd()``.

    A dyad-year is kept when ``ccode1`` or ``ccode2`` is a COW major power that year, or their
    capitals are at most ``distance_km`` apart (the stand-in for COW contiguity, which is not
    in the built-in data; the module docstring compares the two). The panel's ``cowmaj1``,
    ``cowmaj2`` and ``capdist`` columns are used when present and computed otherwise (without
    being added). Filter after computing peace years: they count the rows of the panel.

    Parameters
    ----------
    panel : DataFrame
        A dyad-year panel.
    distance_km : float
        Largest distance between capitals, in km (default 1,000).

    Returns
    -------
    DataFrame
        The politically relevant rows, index reset, attrs kept.

    Raises
    ------
    PanelError
        If ``panel`` is not a dyad-year panel or ``distance_km`` is not a non-negative number.

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
    """
    kind = panel_kind(panel, "filter_prd")
    if kind != DYAD_YEAR:
        raise PanelError("filter_prd needs a dyad-year panel; politically relevant dyads are pairs")
    if (
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
    if "capdist" in panel.columns:
        dist = panel["capdist"].to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        dist = capital_distance(year, c1, c2)
    keep = major | (dist <= float(distance_km))
    out = extend(panel, {}, ("cow_states", "capitals", "lemke2001"))
    out = out[keep].reset_index(drop=True)
    out.attrs["equipoise.prd_km"] = float(distance_km)
    return out
