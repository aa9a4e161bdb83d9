"""Peace years and the Carter-Signorino cubic polynomial of time.

Binary time-series cross-section models of war onset must allow for time dependence: a dyad
that fought last year is not like one at peace for a century. Beck, Katz & Tucker (1998)
count the *peace years* of each unit; Carter & Signorino (2010) show that a cubic polynomial
of that count, t, t² and t³, does as well as splines and is simpler. peacesciencer's
``add_peace_years()`` (Miller 2022) adds the count; this module adds the count and its square
and cube.

Definition (peacesciencer's, from Beck, Katz & Tucker's ``btscs``): order each unit's rows (a
state, or a dyad) by year; the spell of a row is the number of consecutive rows immediately
before it without the event. So the spell is 0 in a unit's first row, counts 1, 2, ... through
years of peace, is the number of peaceful years before the war in a year when a war is
ongoing after peace, and is 0 again in the year after a war year. With ``event="ongoing"``
(the default, as in peacesciencer) the event is ``cowinterongoing``: the spell counts years of
peace since the last year at war. With ``event="onset"`` the event is ``cowinteronset``: the
spell counts years since the last onset, through years of continuing war.

The count runs over the rows of the panel as given: a panel that starts in 1946 starts every
spell at 0 in 1946, and years in which a unit is absent from the panel (a state out of the
system) are skipped, not counted. Build the panel from 1816 and select years afterwards to
count from the start of the data. Rows where the event is missing (after 2007 in the COW war
data) get a missing spell and are left out of the count.

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

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.panels._data import NCODES, YEARS, IntArray
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, panel_kind
from equipoise.panels._state import keys

__all__ = ["add_peace_years", "spell_counts"]

_EVENTS = {"ongoing": "cowinterongoing", "onset": "cowinteronset"}


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


def add_peace_years(panel: pd.DataFrame, event: str = "ongoing") -> pd.DataFrame:
    """Add peace years and their square and cube (Carter & Signorino 2010).

    peacesciencer's ``add_peace_years()``: needs the war columns of
    :func:`~equipoise.panels.add_cow_wars` and adds ``cowinterspell`` (t, the peace years, as
    defined in the module docstring), ``cowinterspell2`` (t²) and ``cowinterspell3`` (t³),
    by state on state-years and by dyad on dyad-years. ``cowinterspell`` is a nullable
    ``Int32``, the powers ``float64``; all are missing where the event is.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel with ``cowinterongoing`` and ``cowinteronset``.
    event : {"ongoing", "onset"}
        Count years since the last year at war (default, peacesciencer's choice) or since
        the last war onset.

    Returns
    -------
    DataFrame
        The panel with the three columns added.

    Raises
    ------
    PanelError
        If ``panel`` is not a panel, lacks the war columns, or ``event`` is unknown.

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
    """
    kind = panel_kind(panel, "add_peace_years")
    if event not in _EVENTS:
        raise PanelError(f"add_peace_years: 'event' must be 'ongoing' or 'onset'; got {event!r}")
    column = _EVENTS[event]
    missing = [c for c in ("cowinterongoing", "cowinteronset") if c not in panel.columns]
    if missing:
        raise PanelError(
            f"add_peace_years needs the war column '{missing[0]}': run add_cow_wars first"
        )
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        unit = c1 * NCODES + c2
    else:
        unit, year = keys(panel, "ccode", "year")
    values = pd.to_numeric(panel[column]).to_numpy(dtype=np.float64, na_value=np.nan)
    known = ~np.isnan(values)
    event_on = values == 1
    spell = np.zeros(len(year), dtype=np.int64)
    spell[known] = spell_counts(unit[known], year[known], event_on[known])
    t = spell.astype(np.float64)
    t[~known] = np.nan
    return extend(
        panel,
        {
            "cowinterspell": pd.arrays.IntegerArray(spell.astype(np.int32), ~known),
            "cowinterspell2": t**2,
            "cowinterspell3": t**3,
        },
        ("btscs", "carter2010"),
    )
