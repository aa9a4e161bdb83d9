"""Thompson & Dreyer's strategic rivalries on dyad-years and state-years.

A *strategic rivalry* is a pair of states whose leaders regard each other as competitors, a
source of real or latent threats that may become militarized, and as enemies (Thompson &
Dreyer 2012): 197 rivalries 1494-2010, each of one to three types,

* ``spatial``: over territory;
* ``positional``: over relative position, influence or status (among great powers, or in a
  region);
* ``ideological``: over the political system's ideas;
* ``interventionary``: over interference in a third state or the other's internal affairs.

The bundled table is peacesciencer's ``td_rivalries`` (Miller 2022). As peacesciencer's
``add_strategic_rivalries()`` (version 1.0, which used these data) does, a rivalry covers every
year from its start to its end year (rivalries still going in 2010 end there), Austria-Hungary
(300) is Austria (305) in the Austria-Serbia rivalry from 1919, and years before 1816 are left
out. No dyad is in two rivalries in the same year.

Dyad-years: ``rivalryno`` and ``rivalryname`` of the rivalry under way, ``ongoingrivalry``
(1 in every year of a rivalry), ``rivalryonset`` (1 in its first year; a rivalry begun before
1816 has no onset in the panel), ``region`` and the type flags ``spatial``, ``positional``,
``ideological`` and ``interventionary`` (1 when the rivalry has that type among its up to three).
State-years: ``n_rivalries`` (rivalries under way), ``n_rivalryonset`` (rivalries begun that
year) and ``n_spatial``, ``n_positional``, ``n_ideological``, ``n_interventionary`` (rivalries
under way of each type). Within 1816-2010 a dyad or state without a rivalry has 0; after 2010
(the data end) every column is missing, where peacesciencer fills in 0 to 2020.

References
----------
Thompson, W. R., & Dreyer, D. (2012). *Handbook of International Rivalries, 1494-2010*. CQ
    Press.
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
    expand_years,
    ints,
    lookup,
    nullable,
    read_builtin,
)
from equipoise.panels._frame import DYAD_YEAR, extend, panel_kind
from equipoise.panels._state import keys

__all__ = ["RIVALRY_TYPES", "RIVALRY_YEARS", "add_strategic_rivalries"]

#: Thompson & Dreyer's four types of rivalry.
RIVALRY_TYPES = ("spatial", "positional", "ideological", "interventionary")
#: The years a panel can take from the data: COW's first year to the data's last.
RIVALRY_YEARS: tuple[int, int] = (1816, 2010)


@dataclass(frozen=True)
class _Rivalries:
    keys: IntArray  # directed dyad-years under way, sorted
    row: IntArray  # the rivalry (row of ``table``) of each
    onset: npt.NDArray[np.bool_]
    table: pd.DataFrame  # one row per rivalry: number, name, region, type bits
    bits: IntArray  # type bits per rivalry (bit k: RIVALRY_TYPES[k])
    states: StateTable  # rivalries, onsets, then one plane per type, by state and year


@cached("rivalries")
def _rivalries() -> _Rivalries:
    t = read_builtin("rivalries")
    bits = np.zeros(len(t), dtype=np.int64)
    for col in ("type1", "type2", "type3"):
        values = t[col].astype(object).to_numpy()
        for k, kind in enumerate(RIVALRY_TYPES):
            bits |= (values == kind).astype(np.int64) << k
    start, end = ints(t["styear"]), ints(t["endyear"])
    lo = np.maximum(start, RIVALRY_YEARS[0])
    row, year = expand_years(lo, np.minimum(end, RIVALRY_YEARS[1]))
    a, b = ints(t["ccode1"])[row], ints(t["ccode2"])[row]
    a = np.where((a == 300) & (year >= 1919), 305, a)  # Austria after Austria-Hungary
    b = np.where((b == 300) & (year >= 1919), 305, b)
    onset = year == start[row]
    # both directions
    key = np.concatenate([dyad_key(a, b, year), dyad_key(b, a, year)])
    row2, onset2 = np.concatenate([row, row]), np.concatenate([onset, onset])
    order = np.argsort(key, kind="stable")
    key, row2, onset2 = key[order], row2[order], onset2[order]
    if (np.diff(key) == 0).any():  # not in these data; refuse rather than pick one
        raise ValueError("rivalries: a dyad is in two rivalries in one year")
    # state-years: count each rivalry once per state (first side of the directed rows)
    code = key // 10_000 // NCODES
    when = key % 10_000
    y0, y1 = RIVALRY_YEARS
    span = y1 - y0 + 1
    flat = code * span + when - y0
    weights = [None, onset2.astype(np.float64)]
    weights += [((bits[row2] >> k) & 1).astype(np.float64) for k in range(len(RIVALRY_TYPES))]
    planes = np.stack(
        [
            np.bincount(flat, weights=w, minlength=NCODES * span).reshape(NCODES, span)
            for w in weights
        ]
    ).astype(np.int16)
    table = pd.DataFrame(
        {
            "rivalryno": ints(t["rivalryno"]),
            "rivalryname": t["rivalryname"].astype("category"),
            "region": t["region"].astype("category"),
        }
    )
    return _Rivalries(key, row2, onset2, table, bits, StateTable(y0, planes))


def add_strategic_rivalries(panel: pd.DataFrame) -> pd.DataFrame:
    """Add Thompson & Dreyer's strategic rivalries: peacesciencer's ``add_strategic_rivalries()``.

    On dyad-years: ``rivalryno``, ``rivalryname``, ``ongoingrivalry``, ``rivalryonset``,
    ``region`` and the type flags ``spatial``, ``positional``, ``ideological``,
    ``interventionary``. On state-years: ``n_rivalries``, ``n_rivalryonset``, ``n_spatial``,
    ``n_positional``, ``n_ideological``, ``n_interventionary``. Definitions in the module
    docstring; 0 without a rivalry in 1816-2010, missing after 2010.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with the rivalry columns added (nullable integers; the name and region are
        categorical).

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Thompson, W. R., & Dreyer, D. (2012). *Handbook of International Rivalries, 1494-2010*.
        CQ Press.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_strategic_rivalries(dyad_years(1947, 1947))
    >>> usa_ussr = d.query("ccode1 == 2 and ccode2 == 365")
    >>> usa_ussr[["ongoingrivalry", "rivalryonset", "positional", "ideological"]].values.tolist()
    [[1, 0, 1, 1]]
    """
    kind = panel_kind(panel, "add_strategic_rivalries")
    riv = _rivalries()
    new: dict[str, object] = {}
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        covered = (year >= RIVALRY_YEARS[0]) & (year <= RIVALRY_YEARS[1])
        pos, found = lookup(riv.keys, dyad_key(c1, c2, year))
        found &= covered
        r = np.where(found, riv.row[pos], 0)
        new["rivalryno"] = nullable(riv.table["rivalryno"].to_numpy()[r], ~found, np.int16)
        for name in ("rivalryname", "region"):
            cat = riv.table[name].cat
            codes = np.where(found, cat.codes.to_numpy()[r], -1).astype(np.int64)
            new[name] = pd.Categorical.from_codes(codes, categories=cat.categories)
        new["ongoingrivalry"] = nullable(found, ~covered, np.int8)
        new["rivalryonset"] = nullable(found & riv.onset[pos], ~covered, np.int8)
        for k, type_ in enumerate(RIVALRY_TYPES):
            on = found & (((riv.bits[r] >> k) & 1) == 1)
            new[type_] = nullable(on, ~covered, np.int8)
    else:
        code, year = keys(panel, "ccode", "year")
        flat, ok = riv.states.index(code, year)
        names = ["n_rivalries", "n_rivalryonset", *(f"n_{t}" for t in RIVALRY_TYPES)]
        for plane, name in enumerate(names):
            new[name] = nullable(riv.states.take(plane, flat, ok, 0), ~ok, np.int16)
    return extend(panel, new, ("thompson2012",))
