"""Minimum distance between two states' territories (CShapes 2.0): ``add_minimum_distance()``.

The minimum distance is the shortest distance in km between any point of one state's territory
and any point of the other's, 0 when they touch (Gleditsch & Ward 2001 used it to extend
contiguity). peacesciencer's ``cow_mindist`` (Miller 2022) computes it from the CShapes 2.0
polygons (Schvitz et al. 2022) of the COW states on **1 January** of every year 1886-2019
(simplified polygons, so small distances are approximate).

* Dyad-years: ``mindist``, km. **Missing before 1886**, where CShapes has no maps, and for a
  dyad-year in which either state was not a system member on 1 January (a state that entered
  later in the year: Canada on 10 January 1920, so USA-Canada 1920 is missing), as in
  peacesciencer.
* State-years: ``minmindist``, the smallest ``mindist`` from the state to any other state that
  year: 0 for a state with a neighbour on land. peacesciencer's version (1.0) took the minimum
  over the dyads in which the state has the lower code only, which misses every partner with a
  lower code (the USA, code 2, is right; Canada, 20, has no partner the USA there); here both
  sides count.

References
----------
Schvitz, G., Girardin, L., Rüegger, S., Weidmann, N. B., Cederman, L.-E., & Gleditsch, K. S.
    (2022). Mapping the international system, 1886-2017: The CShapes 2.0 dataset. *Journal of
    Conflict Resolution*, 66(1), 144-161.
Gleditsch, K. S., & Ward, M. D. (2001). Measuring space: A minimum-distance database and
    applications to international studies. *Journal of Peace Research*, 38(6), 739-758.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equipoise.panels._data import (
    NCODES,
    FloatArray,
    IntArray,
    StateTable,
    cached,
    dyad_key,
    floats,
    ints,
    lookup,
    read_builtin,
)
from equipoise.panels._frame import DYAD_YEAR, extend, panel_kind
from equipoise.panels._state import keys

__all__ = ["MINDIST_YEARS", "add_minimum_distance", "minimum_distance"]

#: Years of the CShapes-based minimum distances.
MINDIST_YEARS: tuple[int, int] = (1886, 2019)


@dataclass(frozen=True)
class _MinDist:
    keys: IntArray  # non-directed dyad-years (ccode1 < ccode2), sorted
    km: FloatArray


@cached("mindist")
def _mindist() -> _MinDist:
    m = read_builtin("mindist")
    key = dyad_key(ints(m["ccode1"]), ints(m["ccode2"]), ints(m["year"]))
    km = floats(m["mindist"])
    if not (np.diff(key) > 0).all():  # the built-in file is sorted; a rebuilt one may not be
        order = np.argsort(key, kind="stable")
        key, km = key[order], km[order]
    return _MinDist(key, km)


@cached("mindist")
def _nearest() -> StateTable:
    """The smallest distance from each state to another, by state and year."""
    m = read_builtin("mindist")
    c1, c2, year = ints(m["ccode1"]), ints(m["ccode2"]), ints(m["year"])
    km = floats(m["mindist"])
    y0 = int(year.min())
    span = int(year.max()) - y0 + 1
    flat = np.full(NCODES * span, np.inf)
    for code in (c1, c2):  # a one-dimensional ufunc.at on intp indices is the fast one
        np.minimum.at(flat, (code * span + year - y0).astype(np.intp), km)
    flat[np.isinf(flat)] = np.nan
    return StateTable(y0, flat.reshape(1, NCODES, span))


def minimum_distance(ccode1: IntArray, ccode2: IntArray, year: IntArray) -> FloatArray:
    """Minimum distance in km between two states on 1 January (``nan`` where not in the data)."""
    table = _mindist()
    low, high = np.minimum(ccode1, ccode2), np.maximum(ccode1, ccode2)
    pos, found = lookup(table.keys, dyad_key(low, high, year))
    return np.where(found, table.km[pos], np.nan)


def add_minimum_distance(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the minimum distance between territories (CShapes 2.0): ``add_minimum_distance()``.

    On dyad-years, ``mindist`` is the km between the two states' territories on 1 January (0
    when they touch); on state-years, ``minmindist`` is the smallest of the state's
    distances to the other states. Both ``float64``, ``nan`` before 1886 and where a state was
    not a system member on 1 January (module docstring).

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with ``mindist`` or ``minmindist`` added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Schvitz, G., et al. (2022). Mapping the international system, 1886-2017: The CShapes 2.0
        dataset. *Journal of Conflict Resolution*, 66(1), 144-161.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_minimum_distance(dyad_years(1885, 1886))
    >>> usa_mex = d.query("ccode1 == 2 and ccode2 == 70")
    >>> usa_mex["mindist"].tolist()  # nothing before 1886; neighbours touch
    [nan, 0.0]
    """
    kind = panel_kind(panel, "add_minimum_distance")
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        new: dict[str, object] = {"mindist": minimum_distance(c1, c2, year)}
    else:
        code, year = keys(panel, "ccode", "year")
        new = {"minmindist": _nearest().get(0, code, year, np.nan)}
    return extend(panel, new, ("cshapes",))
