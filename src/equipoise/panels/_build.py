"""State-years and dyad-years of the Correlates of War state system.

Both follow peacesciencer's ``create_stateyears()`` and ``create_dyadyears()`` (Miller 2022)
on the COW State System Membership list v2016, whose spells carry start and end dates:

* a **state-year** is a calendar year touched by one of the state's membership spells (the
  same 15,951 state-years, 1816-2016, as COW's ``system2016`` file);
* a **dyad-year** is an ordered pair of different states that were both members on at least
  one common day of the year. Pairing states that are merely members in the same calendar year
  would add 60 "false" dyad-years 1816-2016, pairs that never coexisted (Germany and Poland in
  1945: Germany's spell ends on 8 May, Poland's resumes on 28 June); peacesciencer removes
  them as well. A directed panel has (A, B) and (B, A); an undirected one only
  ``ccode1 < ccode2``.

Rows are sorted by ``ccode, year`` and by ``ccode1, ccode2, year``.

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
    https://doi.org/10.1177/07388942221077926
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from equipoise.history.loaders import DataError
from equipoise.panels._data import (
    IntArray,
    cached,
    date_ordinal,
    expand_years,
    ints,
    load_columns,
    pairs_within_groups,
    year_of,
)
from equipoise.panels._frame import DYAD_YEAR, STATE_YEAR, PanelError, declare

__all__ = ["check_years", "dyad_years", "state_years", "system_years"]


@dataclass(frozen=True)
class Spells:
    """Membership spells of the COW state system, one row per spell, sorted by code and start.

    Attributes
    ----------
    ccode, start, end : int arrays, shape (n_spells,)
        COW code and first and last day of the spell (days since 1970-01-01).
    first, last : int arrays, shape (n_spells,)
        Calendar years of ``start`` and ``end``.
    stateabb, statenme : object arrays, shape (n_spells,)
    repeats : bool
        Whether two spells of one state touch the same calendar year (none do in v2016).
    """

    ccode: IntArray
    start: IntArray
    end: IntArray
    first: IntArray
    last: IntArray
    stateabb: np.ndarray
    statenme: np.ndarray
    repeats: bool


@cached("states")
def spells() -> Spells:
    """The membership spells of ``states2016`` with exact dates."""
    s = load_columns(
        "states",
        [
            "ccode",
            "stateabb",
            "statenme",
            "styear",
            "stmonth",
            "stday",
            "endyear",
            "endmonth",
            "endday",
        ],
    )
    for col in ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"):
        if s[col].isna().any():
            raise DataError(f"states2016: column '{col}' has missing values")
    s = s.sort_values(["ccode", "styear", "stmonth", "stday"], kind="stable")
    start = date_ordinal(ints(s["styear"]), ints(s["stmonth"]), ints(s["stday"]))
    end = date_ordinal(ints(s["endyear"]), ints(s["endmonth"]), ints(s["endday"]))
    if (end < start).any():
        raise DataError("states2016: a membership spell ends before it starts")
    ccode = ints(s["ccode"])
    first, last = year_of(start), year_of(end)
    repeats = bool(((ccode[1:] == ccode[:-1]) & (first[1:] <= last[:-1])).any())
    return Spells(
        ccode=ccode,
        start=start,
        end=end,
        first=first,
        last=last,
        stateabb=s["stateabb"].astype(object).to_numpy(),
        statenme=s["statenme"].astype(object).to_numpy(),
        repeats=repeats,
    )


def system_years() -> tuple[int, int]:
    """First and last year of the state system data (1816-2016 built in)."""
    sp = spells()
    return int(sp.first.min()), int(sp.last.max())


def check_years(start: int, end: int, caller: str) -> tuple[int, int]:
    """Validate a year range against the state system data; return it as ints."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise PanelError(f"{caller}: '{name}' must be a year (an integer); got {value!r}")
    lo, hi = system_years()
    if start > end:
        raise PanelError(f"{caller}: start year {start} is after end year {end}")
    if start < lo or end > hi:
        bad = start if start < lo else end
        raise PanelError(
            f"{caller}: year {bad} is outside the state system data ({lo}-{hi}); "
            f"choose years in {lo}-{hi}"
        )
    return int(start), int(end)


def state_years(start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Every COW state-year from ``start`` to ``end``: peacesciencer's ``create_stateyears()``.

    Parameters
    ----------
    start, end : int, optional
        First and last year, inside the state system data (1816-2016 built in; default: all).

    Returns
    -------
    DataFrame
        Columns ``ccode``, ``stateabb``, ``statenme``, ``year``, one row per state and calendar
        year in which the state was a system member on at least one day, sorted by ``ccode``
        and ``year``; declared a state-year panel (see :func:`as_panel`).

    Raises
    ------
    PanelError
        If a year is not an integer, ``start > end``, or a year is outside the data.

    References
    ----------
    Correlates of War Project (2017). State System Membership List, v2016.
    Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
        research. *Conflict Management and Peace Science*, 39(6), 755-779.

    Examples
    --------
    >>> panel = state_years(1816, 1816)
    >>> len(panel), panel["stateabb"].iloc[0]
    (23, 'USA')
    """
    lo, hi = system_years()
    start, end = check_years(
        lo if start is None else start, hi if end is None else end, "state_years"
    )
    sp = spells()
    row, year = expand_years(np.maximum(sp.first, start), np.minimum(sp.last, end))
    frame = pd.DataFrame(
        {
            "ccode": sp.ccode[row],
            "stateabb": pd.array(sp.stateabb[row], dtype="string"),
            "statenme": pd.array(sp.statenme[row], dtype="string"),
            "year": year,
        }
    )
    if sp.repeats:  # two spells of a state touch one calendar year
        frame = frame.drop_duplicates(["ccode", "year"], ignore_index=True)
    return declare(frame, STATE_YEAR, None, ("peacesciencer", "cow_states"))


def dyad_years(
    start: int | None = None, end: int | None = None, directed: bool = True
) -> pd.DataFrame:
    """Every COW dyad-year from ``start`` to ``end``: peacesciencer's ``create_dyadyears()``.

    Parameters
    ----------
    start, end : int, optional
        First and last year, inside the state system data (1816-2016 built in; default: all).
    directed : bool
        ``True`` (default, as in peacesciencer): both (A, B) and (B, A); ``False``: only
        ``ccode1 < ccode2``.

    Returns
    -------
    DataFrame
        Columns ``ccode1``, ``ccode2``, ``year`` (``int64``), one row per pair of states that
        were both system members on at least one common day of the year, sorted by
        ``ccode1``, ``ccode2``, ``year``; declared a dyad-year panel.

    Raises
    ------
    PanelError
        If a year is not an integer, ``start > end``, or a year is outside the data.

    Notes
    -----
    Built without a Python loop: membership spells are paired with every other state's spells
    (about 59,000 pairs), the common calendar years of each pair expanded, and the dyad-years
    without a common day dropped. All 1,912,290 directed dyad-years 1816-2016 take about
    0.1 s.

    References
    ----------
    Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
        research. *Conflict Management and Peace Science*, 39(6), 755-779.

    Examples
    --------
    >>> d = dyad_years(1816, 1816)
    >>> len(d), len(dyad_years(1816, 1816, directed=False))  # 23 states: 23 * 22 ordered pairs
    (506, 253)
    """
    if not isinstance(directed, (bool, np.bool_)):
        raise PanelError(f"dyad_years: 'directed' must be True or False; got {directed!r}")
    lo, hi = system_years()
    start, end = check_years(
        lo if start is None else start, hi if end is None else end, "dyad_years"
    )
    sp = spells()
    i, j = pairs_within_groups(np.array([len(sp.ccode)]))
    keep = sp.ccode[i] < sp.ccode[j] if not directed else sp.ccode[i] != sp.ccode[j]
    first = np.maximum(np.maximum(sp.first[i], sp.first[j]), start)
    last = np.minimum(np.minimum(sp.last[i], sp.last[j]), end)
    keep &= first <= last
    i, j, first, last = i[keep], j[keep], first[keep], last[keep]
    # sort the spell pairs so that the expanded rows come out sorted by ccode1, ccode2, year
    order = np.lexsort((first, sp.ccode[j], sp.ccode[i]))
    i, j, first, last = i[order], j[order], first[order], last[order]
    row, year = expand_years(first, last)
    a, b = i[row], j[row]
    # a common day in the year: only the first and last year of a spell can be partial
    years = np.arange(start, end + 1, dtype=np.int64)
    jan1 = date_ordinal(years, np.ones_like(years), np.ones_like(years))[year - start]
    dec31 = date_ordinal(years, np.full_like(years, 12), np.full_like(years, 31))[year - start]
    lo_day = np.maximum(np.maximum(sp.start[a], sp.start[b]), jan1)
    hi_day = np.minimum(np.minimum(sp.end[a], sp.end[b]), dec31)
    real = lo_day <= hi_day
    frame = pd.DataFrame(
        {"ccode1": sp.ccode[a][real], "ccode2": sp.ccode[b][real], "year": year[real]}
    )
    if sp.repeats:  # two spells of a state touch one calendar year
        frame = frame.drop_duplicates(["ccode1", "ccode2", "year"], ignore_index=True)
    return declare(frame, DYAD_YEAR, bool(directed), ("peacesciencer", "cow_states"))
