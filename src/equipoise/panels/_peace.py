"""Peace years and the Carter-Signorino cubic polynomial of time.

Binary time-series cross-section models of war onset must allow for time dependence: a dyad
that fought last year is not like one at peace for a century. Beck, Katz & Tucker (1998)
count the *peace years* of each unit; Carter & Signorino (2010) show that a cubic polynomial
of that count, t, t² and t³, does as well as splines and is simpler. peacesciencer's
``add_peace_years()`` (Miller 2022) adds the count; this module adds the count and its square
and cube.

The count is made for every conflict the panel holds: COW inter-state wars
(``cowinterspell``, from :func:`~equipoise.panels.add_cow_wars`) and GML militarized disputes
(``gmlmidspell``, from :func:`~equipoise.panels.add_gml_mids`), as peacesciencer does.
:func:`add_spells` counts the same way for any 0/1 column of a panel.

Definition (peacesciencer's, from Beck, Katz & Tucker's ``btscs``): order each unit's rows (a
state, or a dyad) by year; the spell of a row is the number of consecutive rows immediately
before it without the event. So the spell is 0 in a unit's first row, counts 1, 2, ... through
years of peace, is the number of peaceful years before the war in a year when a war is
ongoing after peace, and is 0 again in the year after a war year. With ``event="ongoing"``
(the default, as in peacesciencer) the event is ``cowinterongoing`` (``gmlmidongoing``): the
spell counts years of peace since the last year at war (in a dispute). With ``event="onset"``
the event is ``cowinteronset`` (``gmlmidonset``): the spell counts years since the last onset,
through years of continuing war.

The count runs over the rows of the panel as given: a panel that starts in 1946 starts every
spell at 0 in 1946, and years in which a unit is absent from the panel (a state out of the
system) are skipped, not counted. With ``history=True`` the years before the panel's first
year count too, taken from the COW state system and the war or dispute data themselves, so a
panel of 1946-2000 gets the spells of a panel built from 1816 (without building it). Rows
where the event is missing (after 2007 in the COW war data, after 2010 in the MID data) get a
missing spell and are left out of the count.

References
----------
Beck, N., Katz, J. N., & Tucker, R. (1998). Taking time seriously: Time-series-cross-section
    analysis with a binary dependent variable. *American Journal of Political Science*, 42(4),
    1260-1288. https://doi.org/10.2307/2991857
Carter, D. B., & Signorino, C. S. (2010). Back to the future: Modeling time dependence in
    binary data. *Political Analysis*, 18(3), 271-292. https://doi.org/10.1093/pan/mpq013
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.panels._build import dyad_years, state_years, system_years
from equipoise.panels._data import NCODES, YEARS, IntArray
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, is_directed, panel_kind
from equipoise.panels._mids import mid_events
from equipoise.panels._state import keys
from equipoise.panels._wars import war_events

__all__ = ["CONFLICTS", "add_peace_years", "add_spells", "spell_counts"]

Events = Callable[
    [str, IntArray, "IntArray | None", IntArray],
    tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]],
]

#: Conflict data whose spells :func:`add_peace_years` counts: prefix -> (ongoing column,
#: onset column, where the events come from for years before the panel).
CONFLICTS: dict[str, tuple[str, str, Events]] = {
    "cowinter": ("cowinterongoing", "cowinteronset", war_events),
    "gmlmid": ("gmlmidongoing", "gmlmidonset", mid_events),
}


def spell_counts(unit: IntArray, year: IntArray, event: npt.NDArray[np.bool_]) -> IntArray:
    """Rows since the unit's last event row, by Beck, Katz & Tucker's (1998) rule.

    Parameters
    ----------
    unit, year : int arrays, shape (n,)
        The unit (state or dyad) and year of each row; rows may come in any order, and each
        (unit, year) once.
    event : bool array, shape (n,)

    Returns
    -------
    int array, shape (n,)
        For each row, the number of consecutive earlier rows of its unit, immediately before
        it, without the event. No Python loop: after sorting by unit and year, a running
        maximum of the positions of event rows gives each row's last earlier event.

    Examples
    --------
    >>> y = np.arange(1900, 1908)
    >>> war = np.array([0, 0, 0, 1, 1, 0, 0, 1], dtype=bool)
    >>> spell_counts(np.zeros(8, dtype=np.int64), y, war).tolist()
    [0, 1, 2, 3, 0, 0, 1, 2]
    """
    n = len(unit)
    key = unit * YEARS + (year - year.min() if n else year)
    ordered = bool(n < 2 or (np.diff(key) > 0).all())  # panels come sorted: skip the sort
    order = np.arange(n) if ordered else np.argsort(key, kind="stable")
    u, e = unit[order], event[order]
    pos = np.arange(n, dtype=np.int64)
    group_start = np.zeros(n, dtype=np.int64)
    if n:
        new = np.ones(n, dtype=bool)
        new[1:] = u[1:] != u[:-1]
        group_start = np.maximum.accumulate(np.where(new, pos, 0))
    last_event = np.maximum.accumulate(np.where(e, pos, -1)) if n else pos
    before = np.concatenate([[-1], last_event[:-1]]) if n else pos
    since = pos - np.maximum(before + 1, group_start)
    if ordered:
        return since
    out = np.empty(n, dtype=np.int64)
    out[order] = since
    return out


def _cubic(name: str, spell: IntArray, known: npt.NDArray[np.bool_]) -> dict[str, object]:
    """The spell as a nullable ``Int32`` and its square and cube (``float64``)."""
    t = spell.astype(np.float64)
    t[~known] = np.nan
    return {
        name: pd.arrays.IntegerArray(np.where(known, spell, 0).astype(np.int32), ~known),
        f"{name}2": t**2,
        f"{name}3": t**3,
    }


def _values(panel: pd.DataFrame, column: str) -> npt.NDArray[np.float64]:
    try:
        return pd.to_numeric(panel[column]).to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise PanelError(f"column '{column}' is not a 0/1 event column") from None


def add_peace_years(
    panel: pd.DataFrame, event: str = "ongoing", history: bool = False
) -> pd.DataFrame:
    """Add peace years and their square and cube (Carter & Signorino 2010).

    peacesciencer's ``add_peace_years()``: for every conflict data set in the panel, adds the
    spell t (as defined in the module docstring), t² and t³: ``cowinterspell``,
    ``cowinterspell2``, ``cowinterspell3`` for COW wars (:func:`~equipoise.panels.add_cow_wars`)
    and ``gmlmidspell``, ``gmlmidspell2``, ``gmlmidspell3`` for GML disputes
    (:func:`~equipoise.panels.add_gml_mids`), by state on state-years and by dyad on
    dyad-years. The spells are nullable ``Int32``, the powers ``float64``; all are missing where
    the event is.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel with the columns of at least one of the two add-ons.
    event : {"ongoing", "onset"}
        Count years since the last year at war or in a dispute (default, peacesciencer's
        choice) or since the last onset.
    history : bool
        Also count the years before the panel's first year, from the COW state system and
        the conflict data (as if the panel had been built from 1816); default: count the
        panel's rows only, as peacesciencer does.

    Returns
    -------
    DataFrame
        The panel with three columns added per conflict data set.

    Raises
    ------
    PanelError
        If ``panel`` is not a panel, has neither the war nor the dispute columns, or ``event``
        is unknown.

    References
    ----------
    Carter, D. B., & Signorino, C. S. (2010). Back to the future: Modeling time dependence
        in binary data. *Political Analysis*, 18(3), 271-292.

    Examples
    --------
    >>> from equipoise.panels import add_cow_wars, state_years
    >>> p = state_years(1860, 1875).pipe(add_cow_wars).pipe(add_peace_years)
    >>> prussia = p[p["ccode"] == 255].set_index("year")
    >>> prussia.loc[1864:1872, ["cowinterongoing", "cowinterspell"]].T.values.tolist()
    [[1, 0, 1, 0, 0, 0, 1, 1, 0], [4, 0, 1, 0, 1, 2, 3, 0, 0]]
    >>> late = state_years(1900, 1905).pipe(add_cow_wars)
    >>> full = state_years(1816, 1905).pipe(add_cow_wars).pipe(add_peace_years)
    >>> mine = add_peace_years(late, history=True)  # the same spells without the 1800s rows
    >>> bool((mine["cowinterspell"].to_numpy() == full[full["year"] >= 1900]["cowinterspell"]
    ...     .to_numpy()).all())
    True
    """
    kind = panel_kind(panel, "add_peace_years")
    if event not in ("ongoing", "onset"):
        raise PanelError(f"add_peace_years: 'event' must be 'ongoing' or 'onset'; got {event!r}")
    if not isinstance(history, (bool, np.bool_)):
        raise PanelError(f"add_peace_years: 'history' must be True or False; got {history!r}")
    present = [
        prefix
        for prefix, (ongoing, onset, _) in CONFLICTS.items()
        if ongoing in panel.columns and onset in panel.columns
    ]
    if not present:
        raise PanelError(
            "add_peace_years needs the war or dispute columns: run add_cow_wars first "
            "(or add_gml_mids)"
        )
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        unit = c1 * NCODES + c2
    else:
        unit, year = keys(panel, "ccode", "year")
    before = _history(panel, kind, unit, year) if history else None
    new: dict[str, object] = {}
    for prefix in present:
        ongoing, onset, source = CONFLICTS[prefix]
        values = _values(panel, ongoing if event == "ongoing" else onset)
        known = ~np.isnan(values)
        units, years, events = unit[known], year[known], values[known] == 1
        if before is not None:
            h_unit, h_year, h1, h2 = before
            h_onset, h_ongoing, covered = source(kind, h1, h2, h_year)
            happened = h_ongoing if event == "ongoing" else h_onset
            units = np.concatenate([h_unit[covered], units])
            years = np.concatenate([h_year[covered], years])
            events = np.concatenate([happened[covered], events])
        counted = spell_counts(units, years, events)
        spell = np.zeros(len(year), dtype=np.int64)
        spell[known] = counted[len(counted) - int(known.sum()) :]
        new.update(_cubic(f"{prefix}spell", spell, known))
    return extend(panel, new, ("btscs", "carter2010"))


def _history(
    panel: pd.DataFrame, kind: str, unit: IntArray, year: IntArray
) -> tuple[IntArray, IntArray, IntArray, IntArray | None] | None:
    """The COW units and years before the panel's first year, for the panel's units."""
    if not len(year):
        return None
    first, last = system_years()[0], int(year.min()) - 1
    if last < first:
        return None
    if kind == DYAD_YEAR:
        h = dyad_years(first, last, directed=is_directed(panel))
        h1, h2, h_year = keys(h, "ccode1", "ccode2", "year")
        h_unit = h1 * NCODES + h2
        keep = np.isin(h_unit, unit)
        return h_unit[keep], h_year[keep], h1[keep], h2[keep]
    h = state_years(first, last)
    h_unit, h_year = keys(h, "ccode", "year")
    keep = np.isin(h_unit, unit)
    return h_unit[keep], h_year[keep], h_unit[keep], None


def add_spells(panel: pd.DataFrame, event: str, name: str | None = None) -> pd.DataFrame:
    """Add the spell since the last event of any 0/1 column, and its square and cube.

    peacesciencer's ``add_spells()`` for any binary event (a dispute onset, a rivalry onset, a
    defence pact, a column of your own): by state on state-years and by dyad on dyad-years,
    the spell of a row is the number of consecutive earlier rows of its unit without the
    event, by Beck, Katz & Tucker's rule (the module docstring; the same count as
    :func:`add_peace_years`). Rows where the column is missing get a missing spell and are
    left out of the count; the count runs over the panel's rows.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.
    event : str
        A column of 0s and 1s (missing values allowed).
    name : str, optional
        Name of the spell column; its square and cube get ``2`` and ``3`` appended. Default:
        the column's name with a final ``onset`` or ``ongoing`` replaced by ``spell``
        (``gmlmidonset`` -> ``gmlmidspell``), else ``<event>_spell``.

    Returns
    -------
    DataFrame
        The panel with ``name`` (nullable ``Int32``), ``name2`` and ``name3`` (``float64``).

    Raises
    ------
    PanelError
        If ``panel`` is not a panel, ``event`` is not a column or holds values other than 0
        and 1, or ``name`` is a key column.

    References
    ----------
    Beck, N., Katz, J. N., & Tucker, R. (1998). Taking time seriously: Time-series-cross-
        section analysis with a binary dependent variable. *American Journal of Political
        Science*, 42(4), 1260-1288.

    Examples
    --------
    >>> import pandas as pd
    >>> from equipoise.panels import as_panel
    >>> toy = as_panel(pd.DataFrame({"ccode": [1] * 6, "year": range(2000, 2006),
    ...                              "coup": [0, 1, 0, 0, 1, 0]}))
    >>> add_spells(toy, "coup")["coup_spell"].tolist()
    [0, 1, 0, 1, 2, 0]
    """
    kind = panel_kind(panel, "add_spells")
    if not isinstance(event, str) or event not in panel.columns:
        raise PanelError(f"add_spells: the panel has no column {event!r}")
    if name is None:
        for suffix in ("onset", "ongoing"):
            if event.endswith(suffix) and len(event) > len(suffix):
                name = event[: -len(suffix)] + "spell"
                break
        else:
            name = f"{event}_spell"
    if not isinstance(name, str) or not name or name in ("ccode", "ccode1", "ccode2", "year"):
        raise PanelError(f"add_spells: {name!r} cannot name the spell column")
    values = _values(panel, event)
    known = ~np.isnan(values)
    if not np.isin(values[known], (0.0, 1.0)).all():
        raise PanelError(f"add_spells: column '{event}' holds values other than 0 and 1")
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        unit = c1 * NCODES + c2
    else:
        unit, year = keys(panel, "ccode", "year")
    spell = np.zeros(len(year), dtype=np.int64)
    spell[known] = spell_counts(unit[known], year[known], values[known] == 1)
    return extend(panel, _cubic(name, spell, known), ("btscs", "carter2010"))
