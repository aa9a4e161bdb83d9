"""COW inter-state wars (v4.0) on state-years and dyad-years.

Definitions, following peacesciencer's ``add_cow_wars(type = "inter")`` and its
``cow_war_inter`` table (Miller 2022):

* A **participation spell** is a row of the COW Inter-State War Data from its start date to its
  end date (``StartYear1``/``StartMonth1``/``StartDay1`` to ``EndYear1``/...), plus a second
  spell from ``StartYear2`` to ``EndYear2`` where a state left the war and came back (France
  in the Second World War: 1939-1940 and 1944-1945). A state that changed sides has one row per
  side (Romania and Bulgaria in 1944).
* **State-years**: a state is at war (``cowinterongoing`` = 1) in every calendar year touched by
  one of its spells; ``cowinteronset`` = 1 in the first year of a spell (a second spell is an
  onset with ``resume`` = 1). peacesciencer has no inter-state state-year version; this one
  applies its dyad-year rules to single states.
* **Dyad-years**: two states are at war when they fought **on opposite sides at the same time**:
  a spell of A and a spell of B in the same war, on different sides, that share at least one
  day; the dyad is at war in every calendar year of the shared days, with ``cowinteronset`` = 1
  in the first. So in the First World War the USA and Germany are at war from 1917 (onset
  1917), the UK and Germany from 1914, and Poland and Japan never in the Second (Poland's
  spell ended in 1939, Japan's began in 1941). ``resume`` = 1 when the shared days come from
  either state's second spell: France and Germany have onsets in 1939 and again in 1944.
  (peacesciencer pairs two second spells only, so its table misses France-Germany 1944-45; the
  rule here pairs every spell with every other.)
* When a state or dyad is in several wars in one year, one is kept, as peacesciencer does: an
  onset before a continuing war, then the war with the most battle deaths (the state's, or
  the sum of the two states'), then the lower war number.

Columns: ``warnum``, ``cowinteronset``, ``cowinterongoing``, ``sidea`` (the side, 1 or 2),
``initiator`` (1 if the state is coded as an initiator of the war), ``outcome`` (COW's code:
1 won, 2 lost, 3 compromise, 4 transformed, 6 stalemate, 7 continues below war level, 8
changed sides), ``batdeath`` (the state's battle deaths in the whole war, not the year) and
``resume``; on dyad-years ``sidea1``, ``sidea2``, ``initiator1`` ... with 1 for ``ccode1`` and
2 for ``ccode2``. Onset and ongoing are 0 in years without war inside the data's years
(1816-2007) and ``<NA>`` after; the other columns are ``<NA>`` when there is no war.

References
----------
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
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
    FloatArray,
    IntArray,
    cached,
    date_ordinal,
    dyad_key,
    expand_years,
    first_per_key,
    floats,
    ints,
    load_columns,
    lookup,
    month_end,
    pairs_within_groups,
    state_key,
    year_of,
)
from equipoise.panels._frame import DYAD_YEAR, extend, panel_kind
from equipoise.panels._state import keys

__all__ = ["WAR_YEARS", "add_cow_wars", "war_dyads", "war_events", "war_states"]

#: Years observed by the COW Inter-State War Data v4.0 (wars begun 1816-2007).
WAR_YEARS: tuple[int, int] = (1816, 2007)

_COLUMNS = [
    "WarNum",
    "ccode",
    "Side",
    *(
        f"{w}{part}{k}"
        for k in (1, 2)
        for w in ("Start", "End")
        for part in ("Year", "Month", "Day")
    ),
    "Initiator",
    "Outcome",
    "BatDeath",
]


@dataclass(frozen=True)
class _Spells:
    """Participation spells, sorted by war number."""

    warnum: IntArray
    ccode: IntArray
    side: IntArray
    start: IntArray
    end: IntArray
    resume: IntArray
    initiator: IntArray  # 1 initiator, 0 not, -1 unknown
    outcome: IntArray  # -1 unknown
    batdeath: FloatArray
    last_year: int


def _dates(w: pd.DataFrame, k: int) -> tuple[IntArray, IntArray]:
    y0 = ints(w[f"StartYear{k}"])
    y1 = ints(w[f"EndYear{k}"])
    m0 = ints(w[f"StartMonth{k}"].fillna(1))
    m1 = ints(w[f"EndMonth{k}"].fillna(12))
    d0 = ints(w[f"StartDay{k}"].fillna(1))
    end_day = w[f"EndDay{k}"].to_numpy(dtype=np.float64, na_value=np.nan)
    start = date_ordinal(y0, m0, d0)
    end = np.where(
        np.isnan(end_day),
        month_end(y1, m1),
        date_ordinal(y1, m1, np.nan_to_num(end_day, nan=1.0).astype(np.int64)),
    )
    return start, end


@cached("wars")
def _spells() -> _Spells:
    w = load_columns("wars", _COLUMNS)
    w = w[w["ccode"].notna() & w["StartYear1"].notna() & w["EndYear1"].notna()]
    w = w[(w["ccode"] >= 0) & (w["ccode"] < NCODES)]
    second = w[w["StartYear2"].notna() & w["EndYear2"].notna()]
    parts = []
    for k, rows in ((1, w), (2, second)):
        start, end = _dates(rows, k)
        parts.append(
            {
                "warnum": ints(rows["WarNum"]),
                "ccode": ints(rows["ccode"]),
                "side": ints(rows["Side"].fillna(-1)),
                "start": start,
                "end": end,
                "resume": np.full(len(rows), k - 1, dtype=np.int64),
                "initiator": np.where(
                    rows["Initiator"].isna().to_numpy(), -1, ints(rows["Initiator"].fillna(0)) == 1
                ).astype(np.int64),
                "outcome": ints(rows["Outcome"].fillna(-1)),
                "batdeath": floats(rows["BatDeath"]),
            }
        )
    cols = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    order = np.lexsort((cols["start"], cols["ccode"], cols["warnum"]))
    cols = {name: values[order] for name, values in cols.items()}
    last_year = max(WAR_YEARS[1], int(year_of(cols["end"]).max()))
    return _Spells(**cols, last_year=last_year)


@dataclass(frozen=True)
class WarTable:
    """One row per state-year (or directed dyad-year) at war, sorted by key.

    ``keys`` are :func:`state_key` (state-years) or :func:`dyad_key` (dyad-years); the
    other arrays hold the kept war's values (``-1`` for unknown codes, ``nan`` deaths).
    """

    keys: IntArray
    warnum: IntArray
    onset: IntArray
    resume: IntArray
    side: tuple[IntArray, ...]
    initiator: tuple[IntArray, ...]
    outcome: tuple[IntArray, ...]
    batdeath: tuple[FloatArray, ...]


def _deaths_priority(deaths: FloatArray) -> FloatArray:
    return np.where(np.isnan(deaths), np.inf, -deaths)  # most deaths first, unknown last


@cached("wars")
def war_states() -> WarTable:
    """State-years at war (module docstring), one war kept per state-year."""
    sp = _spells()
    row, year = expand_years(year_of(sp.start), year_of(sp.end))
    onset = (year == year_of(sp.start)[row]).astype(np.int64)
    key = state_key(sp.ccode[row], year)
    keep = first_per_key(key, -onset, _deaths_priority(sp.batdeath[row]), sp.warnum[row])
    r = row[keep]
    return WarTable(
        keys=key[keep],
        warnum=sp.warnum[r],
        onset=onset[keep],
        resume=sp.resume[r],
        side=(sp.side[r],),
        initiator=(sp.initiator[r],),
        outcome=(sp.outcome[r],),
        batdeath=(sp.batdeath[r],),
    )


@cached("wars")
def war_dyads() -> WarTable:
    """Directed dyad-years at war on opposite sides (module docstring), one war per dyad-year."""
    sp = _spells()
    _, sizes = np.unique(sp.warnum, return_counts=True)
    i, j = pairs_within_groups(sizes)
    lo, hi = np.maximum(sp.start[i], sp.start[j]), np.minimum(sp.end[i], sp.end[j])
    keep = (sp.ccode[i] != sp.ccode[j]) & (sp.side[i] != sp.side[j]) & (lo <= hi)
    i, j, lo, hi = i[keep], j[keep], lo[keep], hi[keep]
    row, year = expand_years(year_of(lo), year_of(hi))
    a, b = i[row], j[row]
    onset = (year == year_of(lo)[row]).astype(np.int64)
    key = dyad_key(sp.ccode[a], sp.ccode[b], year)
    d1, d2 = sp.batdeath[a], sp.batdeath[b]
    total = np.where(np.isnan(d1) & np.isnan(d2), np.nan, np.nan_to_num(d1) + np.nan_to_num(d2))
    kept = first_per_key(key, -onset, _deaths_priority(total), sp.warnum[a])
    a, b = a[kept], b[kept]
    return WarTable(
        keys=key[kept],
        warnum=sp.warnum[a],
        onset=onset[kept],
        resume=np.maximum(sp.resume[a], sp.resume[b]),
        side=(sp.side[a], sp.side[b]),
        initiator=(sp.initiator[a], sp.initiator[b]),
        outcome=(sp.outcome[a], sp.outcome[b]),
        batdeath=(sp.batdeath[a], sp.batdeath[b]),
    )


def war_events(
    kind: str, ccode1: IntArray, ccode2: IntArray | None, year: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """War onset, war ongoing, and inside the data's years, for state-years or dyad-years.

    The values :func:`add_cow_wars` puts in ``cowinteronset`` and ``cowinterongoing``;
    ``ccode2`` is ``None`` for state-years. Used to count peace years before a panel starts.
    """
    covered = (year >= WAR_YEARS[0]) & (year <= _spells().last_year)
    if kind == DYAD_YEAR and ccode2 is not None:
        table = war_dyads()
        pos, found = lookup(table.keys, dyad_key(ccode1, ccode2, year))
    else:
        table = war_states()
        pos, found = lookup(table.keys, state_key(ccode1, year))
    return found & (table.onset[pos] == 1), found, covered


def _flag(
    n: int, hit: IntArray, at: IntArray, values: IntArray | None, covered: npt.NDArray[np.bool_]
) -> pd.arrays.IntegerArray:
    """0/1 inside the data's years, ``<NA>`` outside: 1 at the rows ``hit`` (if ``values[at]``)."""
    on = np.zeros(n, dtype=np.int8)
    on[hit] = 1 if values is None else (values[at] == 1)
    return pd.arrays.IntegerArray(on, ~covered)


def _known(
    n: int, hit: IntArray, at: IntArray, values: IntArray, dtype: type[np.signedinteger]
) -> pd.arrays.IntegerArray:
    """``values[at]`` at the rows ``hit`` where known (not -1), ``<NA>`` everywhere else."""
    data = np.zeros(n, dtype=dtype)
    mask = np.ones(n, dtype=bool)
    v = values[at]
    data[hit] = np.where(v < 0, 0, v)
    mask[hit] = v < 0
    return pd.arrays.IntegerArray(data, mask)


def add_cow_wars(panel: pd.DataFrame) -> pd.DataFrame:
    """Add COW inter-state war onset, ongoing war, sides and battle deaths.

    peacesciencer's ``add_cow_wars(type = "inter")`` for dyad-years, and the same rules for a
    single state on state-years; the module docstring gives the definitions. Adds
    ``warnum``, ``cowinteronset``, ``cowinterongoing``, ``sidea``, ``initiator``,
    ``outcome``, ``batdeath`` and ``resume`` on state-years, and on dyad-years ``warnum``,
    ``cowinteronset``, ``cowinterongoing``, ``sidea1``, ``sidea2``, ``initiator1``,
    ``initiator2``, ``outcome1``, ``outcome2``, ``batdeath1``, ``batdeath2`` and ``resume``
    (nullable integers; battle deaths ``float64``).

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with the war columns added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_cow_wars(dyad_years(1914, 1918))
    >>> at_war = d.query("ccode1 == 2 and ccode2 == 255 and cowinterongoing == 1")
    >>> at_war["year"].tolist(), at_war["cowinteronset"].tolist()  # USA v Germany
    ([1917, 1918], [1, 0])
    """
    kind = panel_kind(panel, "add_cow_wars")
    spells = _spells()
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        table = war_dyads()
        pos, found = lookup(table.keys, dyad_key(c1, c2, year))
        suffixes: tuple[str, ...] = ("1", "2")
    else:
        code, year = keys(panel, "ccode", "year")
        table = war_states()
        pos, found = lookup(table.keys, state_key(code, year))
        suffixes = ("",)
    covered = (year >= WAR_YEARS[0]) & (year <= spells.last_year)
    n = len(year)
    hit = np.flatnonzero(found & covered)  # the few rows at war: fill only those
    at = pos[hit]
    new: dict[str, object] = {
        "warnum": _known(n, hit, at, table.warnum, np.int16),
        "cowinteronset": _flag(n, hit, at, table.onset, covered),
        "cowinterongoing": _flag(n, hit, at, None, covered),
    }
    for name, values in (
        ("sidea", table.side),
        ("initiator", table.initiator),
        ("outcome", table.outcome),
    ):
        for suffix, v in zip(suffixes, values, strict=True):
            new[name + suffix] = _known(n, hit, at, v, np.int8)
    for suffix, deaths in zip(suffixes, table.batdeath, strict=True):
        column = np.full(n, np.nan)
        column[hit] = deaths[at]
        new["batdeath" + suffix] = column
    new["resume"] = _known(n, hit, at, table.resume, np.int8)
    return extend(panel, new, ("cow_wars",))
