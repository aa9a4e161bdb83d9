"""Gibler-Miller-Little militarized interstate disputes (GML MIDs 2.2.1) on panels.

peacesciencer's ``add_gml_mids()``.

A militarized interstate dispute (MID) is a threat, display or use of force by one state
against another; war is its most severe form (hostility level 5). Gibler, Miller & Little
(2016) re-examined every MID of 1816-2001 in the COW MID data and extended them to 2010. The
bundled file is peacesciencer's ``gml_mid_ddydisps`` (Miller 2022): **directed dyadic
dispute-years, one row per dyad-year**, 1816-2010, 2,047 disputes.

Dyad-years (the file's columns, peacesciencer's names):

* ``gmlmidonset`` = 1 in the first year in which the two states were on opposite sides of a
  dispute: its outbreak, or the entry of one of them into a dispute already under way;
  ``gmlmidongoing`` = 1 in every year of it. Dyads on opposite sides of a multilateral dispute
  are paired even if they never met ("naive" dyads).
* ``dispnum`` (the dispute); ``gmlsidea1``/``gmlsidea2`` (on Side A, the side that took the
  first militarized action: peacesciencer's ``sidea1``/``sidea2``, renamed because
  :func:`~equipoise.panels.add_cow_wars` already has ``sidea1``/``sidea2``, the war side);
  ``orig1``/``orig2`` (an originator, there from the first day, rather than a joiner);
  ``hiact1``/``hiact2`` (highest action, 0-21); ``hostlev1``/``hostlev2`` (highest hostility
  level: 1 no militarized action, 2 threat, 3 display, 4 use of force, 5 war);
  ``fatality1``/``fatality2`` (fatality level, 0 none to 6 more than 999) and
  ``fatalpre1``/``fatalpre2`` (precise fatalities); for the dispute as a whole ``fatality``,
  ``hostlev``, ``recip`` (reciprocated: a state on Side B also took a militarized action),
  ``mindur``/``maxdur`` (least and most days it can have lasted) and ``stmon`` (start month).
* On a directed panel, ``init1`` and ``init2``: whether the state counts as an initiator, by
  peacesciencer's ``init`` rule: ``"sidea-all-joiners"`` (default: on Side A, or any joiner),
  ``"sidea-with-joiners"`` (on Side A, originator or joiner) or ``"sidea-orig"`` (an
  originator on Side A). Undirected panels have no initiator (peacesciencer's rule too).

**Where a dyad had several disputes in a year the file already holds one** (France and Italy
had three onsets in 1860), chosen by peacesciencer's script (``data-raw/gml/
gml_mid_ddydisps.R``) in this order: a dispute that begins for the dyad that year over one
continuing from before; then the highest dispute fatality level (unknown ranked between 0 and
1); then the highest hostility level; the longest ``mindur``, then ``maxdur``; a reciprocated
dispute over one that was not; the earliest start month; then the first row. The other
disputes are not in the file, so the selection cannot be redone here: an onset of a second
dispute in a year that already has a kept onset is lost, and in 104 directed dyad-years a
continuing dispute follows a year in which another dispute was kept.

Codes: COW's -9 (unknown) in ``fatality1``, ``fatality2``, ``fatalpre1``, ``fatalpre2`` and
``fatality`` becomes ``<NA>`` (peacesciencer keeps -9). Onset and ongoing are 0 in dyad-years
without a dispute inside the data's years (1816-2010) and ``<NA>`` outside; the other columns
are ``<NA>`` without a dispute.

State-years (peacesciencer builds them from GML's participant file, which is not bundled; they
are derived here from the dyadic file): a state is in a dispute in every year in which it
appears in a dyad of it, and its participation begins in the first such year.
``gmlmidongoing`` and ``gmlmidonset`` are 1 when the state is in a dispute, or began
participating in one, that year; ``gmlmidongoing_init`` and ``gmlmidonset_init`` the same for
disputes in which it is an initiator by the ``init`` rule; ``n_gmlmidongoing`` and
``n_gmlmidonset`` count the disputes. Because the dyadic file keeps one dispute per dyad-year,
a dispute that was dropped from every dyad-year of a state is missing from its counts (and a
participation whose first year was dropped begins a year late), so the counts are lower bounds.

References
----------
Gibler, D. M., Miller, S. V., & Little, E. K. (2016). An analysis of the Militarized
    Interstate Dispute (MID) dataset, 1816-2001. *International Studies Quarterly*, 60(4),
    719-730.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.panels._data import (
    NCODES,
    IntArray,
    StateTable,
    cached,
    dyad_key,
    ints,
    lookup,
    nullable,
    read_builtin,
    scattered,
)
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, is_directed, panel_kind
from equipoise.panels._state import keys

__all__ = [
    "INIT_RULES",
    "MID_COLUMNS",
    "MID_NAMES",
    "MID_YEARS",
    "add_gml_mids",
    "mid_dyads",
    "mid_events",
]

#: Years the GML MID data observe.
MID_YEARS: tuple[int, int] = (1816, 2010)
#: peacesciencer's rules for who initiated a dispute.
INIT_RULES = ("sidea-all-joiners", "sidea-with-joiners", "sidea-orig")
#: The dyad-year columns after ``gmlmidongoing`` and ``gmlmidonset``, with their dtypes.
MID_COLUMNS: dict[str, type[np.signedinteger]] = {
    "sidea1": np.int8,
    "sidea2": np.int8,
    "fatality1": np.int8,
    "fatality2": np.int8,
    "fatalpre1": np.int32,
    "fatalpre2": np.int32,
    "hiact1": np.int8,
    "hiact2": np.int8,
    "hostlev1": np.int8,
    "hostlev2": np.int8,
    "orig1": np.int8,
    "orig2": np.int8,
    "fatality": np.int8,
    "hostlev": np.int8,
    "recip": np.int8,
    "mindur": np.int16,
    "maxdur": np.int16,
    "stmon": np.int8,
}
#: Output names of the file's columns where they differ (the war add-on has sidea1/sidea2).
MID_NAMES = {"sidea1": "gmlsidea1", "sidea2": "gmlsidea2"}
#: Columns in which -9 means unknown.
_UNKNOWN_CODED = ("fatality1", "fatality2", "fatalpre1", "fatalpre2", "fatality")


@dataclass(frozen=True)
class MidDyads:
    """The directed dyad-years of the GML file, sorted by key; ``values`` by column name."""

    keys: IntArray
    dispnum: IntArray
    onset: IntArray
    values: dict[str, IntArray]


@cached("gml_mids")
def mid_dyads() -> MidDyads:
    """The bundled directed dyad-years (one dispute each), keyed for look-ups."""
    m = read_builtin("gml_mids")
    key = dyad_key(ints(m["ccode1"]), ints(m["ccode2"]), ints(m["year"]))
    order = np.argsort(key, kind="stable")
    return MidDyads(
        keys=key[order],
        dispnum=ints(m["dispnum"])[order],
        onset=ints(m["gmlmidonset"])[order],
        values={name: ints(m[name])[order] for name in MID_COLUMNS},
    )


def _initiator(sidea: IntArray, orig: IntArray, rule: str) -> IntArray:
    """Whether a participant initiated, by peacesciencer's ``init`` rules (1 yes, 0 no)."""
    if rule == "sidea-all-joiners":
        return ((sidea == 1) | (orig == 0)).astype(np.int64)
    if rule == "sidea-with-joiners":
        return (sidea == 1).astype(np.int64)
    return ((sidea == 1) & (orig == 1)).astype(np.int64)


@dataclass(frozen=True)
class _MidStates:
    ongoing: StateTable  # planes: disputes, onsets, then (ongoing, onset) init per rule
    first_year: int


@cached("gml_mids")
def _mid_states() -> _MidStates:
    """State-years in disputes, derived from the dyadic file (module docstring)."""
    table = mid_dyads()
    code = table.keys // 10_000 // NCODES
    year = table.keys % 10_000
    sidea, orig = table.values["sidea1"], table.values["orig1"]
    # one row per state, dispute and year; a state is in a dispute through several dyads
    part = np.unique((code * 10_000 + table.dispnum) * 10_000 + year)
    who, when = part // 10_000, part % 10_000  # who: state * 10**4 + dispute
    new = np.ones(len(who), dtype=bool)
    new[1:] = who[1:] != who[:-1]
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    onset = (when == when[starts][group]).astype(np.int64)  # the participation's first year
    # initiator status of a state in a dispute: any of its dyad rows qualifies
    by_group = np.searchsorted(who[starts], code * 10_000 + table.dispnum)
    state_code = who // 10_000
    y0, y1 = MID_YEARS
    planes: list[npt.NDArray[np.int16]] = []

    def count(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int16]:
        span = y1 - y0 + 1
        flat = np.bincount(state_code[mask] * span + when[mask] - y0, minlength=NCODES * span)
        return flat.reshape(NCODES, span).astype(np.int16)

    everything = np.ones(len(who), dtype=bool)
    planes += [count(everything), count(onset == 1)]
    for rule in INIT_RULES:
        init = np.zeros(len(starts), dtype=np.int64)
        np.maximum.at(init, by_group, _initiator(sidea, orig, rule))
        planes += [count(init[group] == 1), count((init[group] == 1) & (onset == 1))]
    return _MidStates(StateTable(y0, np.stack(planes)), y0)


def mid_events(
    kind: str, ccode1: IntArray, ccode2: IntArray | None, year: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Dispute onset, dispute ongoing, and inside the data's years, for state- or dyad-years.

    ``ccode2`` is ``None`` for state-years. Used to count peace years before a panel starts.
    """
    covered = (year >= MID_YEARS[0]) & (year <= MID_YEARS[1])
    if kind == DYAD_YEAR and ccode2 is not None:
        table = mid_dyads()
        pos, found = lookup(table.keys, dyad_key(ccode1, ccode2, year))
        return found & (table.onset[pos] == 1), found, covered
    states = _mid_states().ongoing
    flat, ok = states.index(ccode1, year)
    return states.take(1, flat, ok, 0) > 0, states.take(0, flat, ok, 0) > 0, covered


def add_gml_mids(panel: pd.DataFrame, init: str = "sidea-all-joiners") -> pd.DataFrame:
    """Add GML militarized interstate disputes (2.2.1): peacesciencer's ``add_gml_mids()``.

    On dyad-years: ``dispnum``, ``gmlmidongoing``, ``gmlmidonset``, ``gmlsidea1``, ``gmlsidea2``,
    ``fatality1``, ``fatality2``, ``fatalpre1``, ``fatalpre2``, ``hiact1``, ``hiact2``,
    ``hostlev1``, ``hostlev2``, ``orig1``, ``orig2``, ``fatality``, ``hostlev``, ``recip``,
    ``mindur``, ``maxdur``, ``stmon`` and, on directed panels, ``init1`` and ``init2``. On
    state-years: ``gmlmidongoing``, ``gmlmidonset``, ``gmlmidongoing_init``,
    ``gmlmidonset_init``, ``n_gmlmidongoing`` and ``n_gmlmidonset``. All nullable integers; the
    module docstring defines each, says which dispute a dyad-year with several keeps, and how
    the state-years are derived.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.
    init : {"sidea-all-joiners", "sidea-with-joiners", "sidea-orig"}
        Who counts as an initiator (peacesciencer's rules; the default is its own).

    Returns
    -------
    DataFrame
        The panel with the dispute columns added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel, or ``init`` is unknown.

    References
    ----------
    Gibler, D. M., Miller, S. V., & Little, E. K. (2016). An analysis of the Militarized
        Interstate Dispute (MID) dataset, 1816-2001. *International Studies Quarterly*,
        60(4), 719-730.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_gml_mids(dyad_years(1816, 2010, directed=False))
    >>> int(d["gmlmidonset"].sum()), int(d["gmlmidongoing"].sum())
    (3124, 4642)
    """
    kind = panel_kind(panel, "add_gml_mids")
    if init not in INIT_RULES:
        raise PanelError(
            f"add_gml_mids: 'init' must be one of {', '.join(map(repr, INIT_RULES))}; got {init!r}"
        )
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        return extend(panel, _dyad_columns(c1, c2, year, init, is_directed(panel)), ("gml_mids",))
    code, year = keys(panel, "ccode", "year")
    states = _mid_states().ongoing
    flat, ok = states.index(code, year)
    k = 2 + 2 * INIT_RULES.index(init)
    plane = {
        "gmlmidongoing": 0,
        "gmlmidonset": 1,
        "gmlmidongoing_init": k,
        "gmlmidonset_init": k + 1,
    }
    new: dict[str, object] = {
        name: nullable(states.take(p, flat, ok, 0) > 0, ~ok, np.int8) for name, p in plane.items()
    }
    new["n_gmlmidongoing"] = nullable(states.take(0, flat, ok, 0), ~ok, np.int16)
    new["n_gmlmidonset"] = nullable(states.take(1, flat, ok, 0), ~ok, np.int16)
    return extend(panel, new, ("gml_mids",))


def _dyad_columns(
    c1: IntArray, c2: IntArray, year: IntArray, init: str, directed: bool
) -> dict[str, object]:
    table = mid_dyads()
    pos, found = lookup(table.keys, dyad_key(c1, c2, year))
    covered = (year >= MID_YEARS[0]) & (year <= MID_YEARS[1])
    hit = found & covered
    n = len(year)
    rows = np.flatnonzero(hit)  # the few dyad-years in a dispute: fill only those
    at = pos[rows]

    def column(values: IntArray, dtype: type[np.signedinteger], unknown: bool) -> object:
        v = values[at]
        if unknown:  # COW's -9: missing
            known = v != -9
            return scattered(n, rows[known], v[known], dtype)
        return scattered(n, rows, v, dtype)

    onset = np.zeros(n, dtype=np.int8)
    onset[rows] = table.onset[at]
    new: dict[str, object] = {
        "dispnum": column(table.dispnum, np.int16, False),
        "gmlmidongoing": nullable(hit, ~covered, np.int8),
        "gmlmidonset": nullable(onset, ~covered, np.int8),
    }
    for name, dtype in MID_COLUMNS.items():
        new[MID_NAMES.get(name, name)] = column(table.values[name], dtype, name in _UNKNOWN_CODED)
    if directed:
        for side in ("1", "2"):
            flag = _initiator(table.values["sidea" + side], table.values["orig" + side], init)
            new["init" + side] = column(flag, np.int8, False)
    return new
