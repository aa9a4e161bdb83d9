"""COW Direct Contiguity (v3.2) on dyad-years and state-years: peacesciencer's ``add_contiguity()``.

COW codes how two states touch, month by month (Stinnett et al. 2002):

====  =====================================================
type  meaning
====  =====================================================
1     a land or river border
2     separated by 12 miles of water or less
3     separated by 13-24 miles of water
4     separated by 25-150 miles of water
5     separated by 151-400 miles of water
0     not contiguous (no border and more than 400 miles of water)
====  =====================================================

**The types are not ordinal.** They are categories of *how* two states are near each other:
a land border (1) is not "more" contiguity than 12 miles of sea (2) in any measured sense,
and two states can share a land border and a narrow strait at once while COW records only the
first. Use them as indicator variables (land border, any water contiguity up to a distance),
not as a scale.

The bundled file is peacesciencer's ``cow_contdir`` (Miller 2022): COW's directed spells
(begin and end month) plus spells of type 0 that peacesciencer added for dyads that were
contiguous at some time, for the months in which both were system members but not contiguous.

**Which type a dyad-year gets** (peacesciencer's ``slice``): a spell covers every month from
its begin month to its end month. With ``slice="first"`` (the default) the dyad-year takes
the type in force in the first month of the year on record: January for every dyad that
existed on 1 January, otherwise the month its record begins (a state created in August). With
``slice="last"``, the type of the last month on record (December). Where two spells cover that
month, a real contiguity spell (types 1-5) wins over an added type-0 spell, and of two real
spells the one begun earlier for ``"first"`` (it was in force when the month began) and the one
begun later for ``"last"``. peacesciencer orders the spells covering a month by their begin
month only, so where an added type-0 spell spans a real one (peacesciencer's type-0 spells run
from a dyad's first to its last non-contiguous month, across any contiguous months between) the
type-0 spell hides it: 1,272 directed dyad-years 1816-2016 have type 0 in peacesciencer and a
real type here, in 19 dyads, among them the USSR and Afghanistan 1920-91, Italy and Yugoslavia
1920-2006, Greece and Yugoslavia 1914-93, the USSR and Hungary 1940-91, the USSR and
Czechoslovakia 1946-91, Germany and Hungary 1939-45, and Italy and the Ottoman Empire
1862-1912.

A dyad-year without a record in 1816-2016 has type 0; outside those years, ``<NA>``.

State-years get peacesciencer's counts: ``land`` is the number of states that border the state
by land (type 1) that year, ``sea`` the number it is contiguous with by water (types 2-5),
counting partners that are system members in the year.

References
----------
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The Correlates of
    War Project direct contiguity data, version 3.0. *Conflict Management and Peace Science*,
    19(2), 58-66.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.panels._build import spells
from equipoise.panels._data import (
    NCODES,
    IntArray,
    StateTable,
    cached,
    dyad_key,
    expand_years,
    first_per_key,
    ints,
    lookup,
    nullable,
    read_builtin,
    state_table,
)
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, panel_kind
from equipoise.panels._state import keys

__all__ = ["SLICES", "ContiguityTable", "add_contiguity", "contiguity_table", "conttype"]

#: The months a dyad-year's type is read from (peacesciencer's ``slice``).
SLICES = ("first", "last")


@dataclass(frozen=True)
class ContiguityTable:
    """Directed dyad-years on record in the contiguity data, sorted by key.

    Attributes
    ----------
    keys : int array
        :func:`~equipoise.panels._data.dyad_key` of each dyad-year with a record.
    first, last : int8 arrays
        The type under ``slice="first"`` and ``slice="last"`` (module docstring).
    first_year, last_year : int
        The years the data cover (1816-2016).
    """

    keys: IntArray
    first: npt.NDArray[np.int8]
    last: npt.NDArray[np.int8]
    first_year: int
    last_year: int


@cached("contiguity")
def contiguity_table() -> ContiguityTable:
    """Expand the month spells to dyad-years and pick each dyad-year's type (docstring)."""
    c = read_builtin("contiguity")
    c1, c2, kind = ints(c["ccode1"]), ints(c["ccode2"]), ints(c["conttype"])
    start = ints(c["styear"]) * 12 + ints(c["stmonth"]) - 1  # months since year 0
    end = ints(c["endyear"]) * 12 + ints(c["endmonth"]) - 1
    row, year = expand_years(start // 12, end // 12)
    lo = np.maximum(start[row], year * 12)  # first and last month of the spell in the year
    hi = np.minimum(end[row], year * 12 + 11)
    key = dyad_key(c1[row], c2[row], year)
    real = (kind[row] > 0).astype(np.int64)
    began = start[row]
    # the first month on record; a real spell before a type-0 one; the earlier-begun spell
    first = first_per_key(key, lo, -real, began)
    # the last month on record; a real spell before a type-0 one; the later-begun spell
    last = first_per_key(key, -hi, -real, -began)
    years = ints(c["styear"]), ints(c["endyear"])
    return ContiguityTable(
        keys=key[first],
        first=kind[row][first].astype(np.int8),
        last=kind[row][last].astype(np.int8),
        first_year=int(years[0].min()),
        last_year=int(years[1].max()),
    )


def _check_slice(slice: str, caller: str) -> None:
    if slice not in SLICES:
        raise PanelError(f"{caller}: 'slice' must be 'first' or 'last'; got {slice!r}")


def conttype(
    ccode1: IntArray, ccode2: IntArray, year: IntArray, slice: str = "first"
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """The COW contiguity type of each dyad-year, and whether the year is inside the data.

    Type 0 where the dyad has no record in a covered year; the values outside the data's years
    are 0 too, so use the second array to mask them.
    """
    _check_slice(slice, "conttype")
    table = contiguity_table()
    pos, found = lookup(table.keys, dyad_key(ccode1, ccode2, year))
    types = table.first if slice == "first" else table.last
    out = np.where(found, types[pos], 0).astype(np.int8)
    covered = (year >= table.first_year) & (year <= table.last_year)
    return out, covered


@cached("contiguity", "states")
def _neighbours() -> tuple[StateTable, StateTable]:
    """Counts of land and sea neighbours by state and year (``first`` and ``last`` planes)."""
    table = contiguity_table()
    code1 = table.keys // 10_000 // 1000
    code2 = table.keys // 10_000 % 1000
    year = table.keys % 10_000
    sp = spells()
    row, member_year = expand_years(sp.first, sp.last)
    member = state_table(sp.ccode[row], member_year, [np.ones(len(row))], 0, np.int8)
    partner_in = member.get(0, code2, year, 0) == 1
    y0, y1 = table.first_year, table.last_year
    planes = []
    for types in (table.first, table.last):
        counts = []
        for hit in (types == 1, (types >= 2) & (types <= 5)):
            sel = hit & partner_in
            span = y1 - y0 + 1
            flat = np.bincount(code1[sel] * span + year[sel] - y0, minlength=NCODES * span)
            counts.append(flat.reshape(NCODES, span).astype(np.int16))
        planes.append(StateTable(y0, np.stack(counts)))
    return planes[0], planes[1]


def add_contiguity(panel: pd.DataFrame, slice: str = "first") -> pd.DataFrame:
    """Add COW direct contiguity (v3.2): peacesciencer's ``add_contiguity()``.

    On dyad-years, ``conttype`` is the COW contiguity type of the dyad (0 not contiguous,
    1 land border, 2-5 separated by at most 12, 24, 150 or 400 miles of water): **categories,
    not a scale** (see the module docstring). On state-years, ``land`` and ``sea`` count the
    states the state borders by land and is contiguous with by water. Nullable integers: 0 when
    there is no contiguity inside the data's years (1816-2016), ``<NA>`` outside.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.
    slice : {"first", "last"}
        Read the type of the first month of the year on record (January for every dyad that
        existed on 1 January; the default, as in peacesciencer) or of the last.

    Returns
    -------
    DataFrame
        The panel with ``conttype`` (``Int8``), or ``land`` and ``sea`` (``Int16``), added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel, or ``slice`` is unknown.

    References
    ----------
    Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The Correlates
        of War Project direct contiguity data, version 3.0. *Conflict Management and Peace
        Science*, 19(2), 58-66.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_contiguity(dyad_years(1990, 1990))
    >>> d.query("ccode1 == 2 and ccode2 in (20, 70, 365)")["conttype"].tolist()  # CAN MEX RUS
    [1, 1, 2]
    """
    kind = panel_kind(panel, "add_contiguity")
    _check_slice(slice, "add_contiguity")
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        types, covered = conttype(c1, c2, year, slice)
        new: dict[str, object] = {"conttype": nullable(types, ~covered, np.int8)}
    else:
        code, year = keys(panel, "ccode", "year")
        table = _neighbours()[0 if slice == "first" else 1]
        flat, ok = table.index(code, year)
        new = {
            "land": nullable(table.take(0, flat, ok, 0), ~ok, np.int16),
            "sea": nullable(table.take(1, flat, ok, 0), ~ok, np.int16),
        }
    return extend(panel, new, ("cow_contiguity",))
