"""ATOP 5.1 alliance obligations on state-years and dyad-years.

Dyad-years follow peacesciencer's ``add_atop_alliance()`` (Miller 2022), which merges ATOP's
own directed dyad-year file. equipoise ships the ATOP member-level file instead (see
``equipoise/data/SOURCES.md``), and derives the directed dyad-years from it the way the ATOP
codebook (Leeds 2022, section 2.7) describes its own:

1. every ordered pair (A, B) of different members of the same phase of an alliance whose
   membership spells (entry to exit date; the member file has one row per member and phase)
   share at least one day is allied in every calendar year of the shared period; an exit
   year of 0 means still in force at the end of the ATOP data (31 December 2018); a missing
   entry day is read as the 1st and a missing exit day as the last of the month;
2. A's obligations towards B are A's own obligation codes on that row (``defense``,
   ``offense``, ``neutral``, ``nonagg``, ``consul``): the member-level codes say what the
   member promised, so a one-sided pact is one-sided here too;
3. in a year in which an alliance moves to a new phase, the pair takes the obligations of
   the latest phase it shares that year, as ATOP's dyad-year file does;
4. a directed dyad-year takes the union (maximum) over all the alliances the pair shares that
   year, and ``atop_alliance`` is 1 for every such dyad-year.

The member-level data cannot say *to which* partners a member with different obligations
towards different partners (``obvary`` = 1, 54 of the 2,510 member rows) owes what: those
members' codes are applied to every partner, which over-states some of their directed
obligations (the codebook's example: in the 1855 treaty Britain and France promised to defend
Sweden, not each other, but both carry ``defense`` = 1). Checked against ATOP's own directed
dyad-year file (``atop5_1ddyr``, 273,296 directed dyad-years, through peacesciencer's copy):
every one of its dyad-years is derived, with the same five codes on 272,950 (99.87%); the
other 346 all involve a member with ``obvary`` = 1, and on each the derived table has an
obligation ATOP's file does not (never the reverse). The derived table has 8 more
dyad-years, in 1990, between the two Germanys or the two Yemens and the unified state:
pairs that never coexisted and are in no COW panel.

Undirected panels take the maximum over both directions: a dyad-year has ``atop_defense`` = 1
when either state owes the other defence, which is ATOP's undirected dyad-year coding.
Within ATOP's years (1815-2018) a dyad-year with no shared alliance has 0 in every column;
outside them, ``<NA>``.

State-years take ATOP's own state-year file (``atop5_1sy``): ``atop_alliance`` is 1 when the
state is a member of any alliance in force, and each obligation column 1 when the state holds
that obligation in at least one of them.

References
----------
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance Treaty
    Obligations and Provisions, 1815-1944. *International Interactions*, 28(3), 237-260.
    https://doi.org/10.1080/03050620213653
Leeds, B. A. (2022). *Alliance Treaty Obligations and Provisions (ATOP) Codebook*, version
    5.1.
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
    cached,
    date_ordinal,
    dyad_key,
    expand_years,
    ints,
    load_columns,
    lookup,
    month_end,
    pairs_within_groups,
    state_key,
    year_of,
)
from equipoise.panels._frame import DYAD_YEAR, extend, is_directed, panel_kind
from equipoise.panels._state import keys

__all__ = ["ATOP_COLUMNS", "PACTS", "add_atop_alliance", "atop_directed"]

#: ATOP's five obligations, in the codebook's order.
PACTS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")
#: The columns added: the alliance indicator and one per obligation.
ATOP_COLUMNS: tuple[str, ...] = ("atop_alliance", *(f"atop_{p}" for p in PACTS))


@dataclass(frozen=True)
class AtopDyads:
    """Directed ATOP dyad-years: sorted unique keys and the obligations packed as bits.

    Attributes
    ----------
    keys : int array, shape (n,)
        ``(A * 1000 + B) * 10**4 + year``, sorted.
    bits : uint8 array, shape (n,)
        Bit k set when A holds obligation ``PACTS[k]`` towards B that year.
    first_year, last_year : int
        The years ATOP observes.
    """

    keys: IntArray
    bits: npt.NDArray[np.uint8]
    first_year: int
    last_year: int


def _flags(frame: pd.DataFrame) -> npt.NDArray[np.uint8]:
    bits = np.zeros(len(frame), dtype=np.uint8)
    for k, pact in enumerate(PACTS):
        on = frame[pact].fillna(0).to_numpy(dtype=np.int64) == 1
        bits |= (on.astype(np.uint8) << k).astype(np.uint8)
    return bits


@cached("atop_members")
def atop_directed() -> AtopDyads:
    """Derive ATOP's directed dyad-years from the member-level file (module docstring)."""
    m = load_columns(
        "atop_members",
        [
            "atopid",
            "member",
            "phase",
            "yrent",
            "moent",
            "dayent",
            "yrexit",
            "moexit",
            "dayexit",
            *PACTS,
        ],
    )
    m = m[m["member"].notna() & (m["member"] < NCODES)]
    m = m.sort_values(["atopid", "member", "yrent"], kind="stable")
    yrent, yrexit = ints(m["yrent"]), ints(m["yrexit"])
    last_year = int(max(yrent.max(), yrexit.max()))
    first_year = int(yrent.min())
    open_end = yrexit == 0
    start = date_ordinal(yrent, ints(m["moent"].fillna(1)), ints(m["dayent"].fillna(1)))
    exit_month = np.where(open_end, 12, ints(m["moexit"].fillna(12)))
    exit_year = np.where(open_end, last_year, yrexit)
    day = m["dayexit"].to_numpy(dtype=np.float64, na_value=np.nan)
    end_of_month = month_end(exit_year, exit_month)
    end = np.where(
        open_end | np.isnan(day),
        end_of_month,
        date_ordinal(exit_year, exit_month, np.nan_to_num(day, nan=1.0).astype(np.int64)),
    )
    member, atopid = ints(m["member"]), ints(m["atopid"])
    phase = ints(m["phase"].fillna(0))
    bits = _flags(m)
    _, sizes = np.unique(atopid, return_counts=True)
    i, j = pairs_within_groups(sizes)
    lo, hi = np.maximum(start[i], start[j]), np.minimum(end[i], end[j])
    keep = (member[i] != member[j]) & (phase[i] == phase[j]) & (lo <= hi)
    i, j, lo, hi = i[keep], j[keep], lo[keep], hi[keep]
    row, year = expand_years(year_of(lo), year_of(hi))
    key = dyad_key(member[i][row], member[j][row], year)
    pair_bits, pair_phase, pair_alliance = bits[i][row], phase[i][row], atopid[i][row]
    # sort by dyad-year, alliance and phase; keep each alliance's latest phase of the year
    order = np.lexsort((pair_phase, pair_alliance, key))
    key, pair_bits = key[order], pair_bits[order]
    pair_phase, pair_alliance = pair_phase[order], pair_alliance[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (pair_alliance[1:] != pair_alliance[:-1])
    group = np.cumsum(new) - 1
    latest = np.maximum.reduceat(pair_phase, np.flatnonzero(new)) if len(key) else pair_phase
    kept = pair_phase == latest[group]
    key, pair_bits = key[kept], pair_bits[kept]
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    merged = np.bitwise_or.reduceat(pair_bits, starts) if len(key) else pair_bits
    return AtopDyads(key[starts], merged.astype(np.uint8), first_year, last_year)


@cached("atop_stateyear")
def _atop_stateyear() -> tuple[IntArray, npt.NDArray[np.uint8], int, int]:
    sy = load_columns("atop_stateyear", ["state", "year", *PACTS])
    key = state_key(ints(sy["state"]), ints(sy["year"]))
    order = np.argsort(key, kind="stable")
    bits = _flags(sy)[order]
    years = ints(sy["year"])
    return key[order], bits, int(years.min()), int(years.max())


def _columns(
    found: npt.NDArray[np.bool_], bits: npt.NDArray[np.uint8], covered: npt.NDArray[np.bool_]
) -> dict[str, object]:
    """The six nullable ``Int8`` columns: 0/1 inside ATOP's years, ``<NA>`` outside."""
    mask = ~covered
    out: dict[str, object] = {
        "atop_alliance": pd.arrays.IntegerArray(found.astype(np.int8), mask.copy())
    }
    for k, pact in enumerate(PACTS):
        on = ((bits >> k) & 1).astype(np.int8)
        out[f"atop_{pact}"] = pd.arrays.IntegerArray(on, mask.copy())
    return out


def add_atop_alliance(panel: pd.DataFrame) -> pd.DataFrame:
    """Add ATOP 5.1 alliance obligations: peacesciencer's ``add_atop_alliance()``.

    Adds ``atop_alliance`` (the two states, or the state, share at least one ATOP alliance in
    force that year) and ``atop_defense``, ``atop_offense``, ``atop_neutral``, ``atop_nonagg``
    and ``atop_consul`` (nullable ``Int8``: 0 or 1 in 1815-2018, ``<NA>`` outside). On a
    directed panel the obligation columns of (A, B) say what A owes B; on an undirected panel,
    what either owes the other; on state-years, whether the state holds the obligation in any
    alliance. The module docstring explains how the dyad-years are derived from ATOP's member
    file and how closely they match ATOP's own dyad-year file.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with the six columns added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance Treaty
        Obligations and Provisions, 1815-1944. *International Interactions*, 28(3), 237-260.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_atop_alliance(dyad_years(1913, 1913, directed=False))
    >>> int(d.query("ccode1 == 220 and ccode2 == 365")["atop_defense"].iloc[0])  # FRN-RUS
    1
    """
    kind = panel_kind(panel, "add_atop_alliance")
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        table = atop_directed()
        covered = (year >= table.first_year) & (year <= table.last_year)
        pos, found = lookup(table.keys, dyad_key(c1, c2, year))
        bits = np.where(found, table.bits[pos], 0).astype(np.uint8)
        if not is_directed(panel):
            pos2, found2 = lookup(table.keys, dyad_key(c2, c1, year))
            bits |= np.where(found2, table.bits[pos2], 0).astype(np.uint8)
            found = found | found2
        new = _columns(found, bits, covered)
    else:
        code, year = keys(panel, "ccode", "year")
        sy_keys, sy_bits, y0, y1 = _atop_stateyear()
        pos, found = lookup(sy_keys, state_key(code, year))
        bits = np.where(found, sy_bits[pos], 0).astype(np.uint8)
        new = _columns(found, bits, (year >= y0) & (year <= y1))
    return extend(panel, new, ("atop",))
