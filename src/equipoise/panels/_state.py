"""Add-ons built from attributes of single states: capabilities, major powers, capitals.

Each add-on takes a state-year or dyad-year panel and returns a new panel with columns added
(the input is not modified); on dyad-years a state attribute ``x`` becomes ``x1`` for
``ccode1`` and ``x2`` for ``ccode2``, as in peacesciencer (Miller 2022).

References
----------
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
    https://doi.org/10.1177/07388942221077926
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution, uncertainty, and
    major power war, 1820-1965. In B. Russett (Ed.), *Peace, War, and Numbers* (pp. 19-48).
    Sage.
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of interstate war,
    1816-1965. *Journal of Conflict Resolution*, 36(2), 309-341.
    https://doi.org/10.1177/0022002792036002005
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.history.capitals import load_capitals
from equipoise.history.measures import COMPONENTS
from equipoise.panels._build import spells
from equipoise.panels._data import (
    FloatArray,
    IntArray,
    StateTable,
    cached,
    expand_years,
    floats,
    ints,
    load_columns,
    state_table,
)
from equipoise.panels._frame import DYAD_YEAR, extend, panel_kind

__all__ = [
    "EARTH_RADIUS_KM",
    "add_capital_distance",
    "add_cow_majors",
    "add_nmc",
    "add_power_ratio",
    "capital_distance",
    "major_status",
    "nmc_table",
]

#: Radius of the sphere for great-circle distances (the mean Earth radius, km).
EARTH_RADIUS_KM = 6371.0
NMC_COLUMNS: tuple[str, ...] = (*COMPONENTS, "cinc")


def keys(frame: pd.DataFrame, *names: str) -> list[IntArray]:
    """Key columns of a panel as ``int64`` arrays."""
    return [np.asarray(frame[n].to_numpy(), dtype=np.int64) for n in names]


@cached("nmc")
def nmc_table() -> StateTable:
    nmc = load_columns("nmc", ["ccode", "year", *NMC_COLUMNS])
    columns = [floats(nmc[col]) for col in NMC_COLUMNS]
    return state_table(ints(nmc["ccode"]), ints(nmc["year"]), columns, np.nan, np.float64)


def add_nmc(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the COW National Material Capabilities (v6.0): peacesciencer's ``add_nmc()``.

    Adds the six components and CINC: ``milex`` (military expenditure, thousands of current
    US dollars; pounds sterling before 1914), ``milper`` (military personnel, thousands),
    ``irst`` (iron and steel production, thousands of tons), ``pec`` (primary energy
    consumption, thousands of coal-ton equivalents), ``tpop`` and ``upop`` (total and urban
    population, thousands) and ``cinc`` (the Composite Index of National Capability). On
    dyad-years each comes twice, ``milex1`` ... ``cinc1`` for ``ccode1`` and ``milex2`` ...
    ``cinc2`` for ``ccode2``. Missing values (COW's -9) and years outside the data are
    ``nan``.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with the columns added (``float64``).

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution, uncertainty,
        and major power war, 1820-1965. In B. Russett (Ed.), *Peace, War, and Numbers*
        (pp. 19-48). Sage.
    Greig, J. M., & Enterline, A. J. (2021). *National Material Capabilities (NMC) Data
        Documentation, Version 6.0*. Correlates of War Project.

    Examples
    --------
    >>> from equipoise.panels import state_years
    >>> p = add_nmc(state_years(1816, 1816))
    >>> round(float(p.loc[p["stateabb"] == "UKG", "cinc"].iloc[0]), 3)
    0.337
    """
    kind = panel_kind(panel, "add_nmc")
    table = nmc_table()
    new: dict[str, object] = {}
    sides: list[tuple[str, IntArray]]
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        sides = [("1", c1), ("2", c2)]
    else:
        code, year = keys(panel, "ccode", "year")
        sides = [("", code)]
    for side, code in sides:
        flat, ok = table.index(code, year)
        for k, col in enumerate(NMC_COLUMNS):
            new[col + side] = table.take(k, flat, ok, np.nan)
    return extend(panel, new, ("cow_nmc",))


@cached("majors")
def _majors() -> StateTable:
    m = load_columns("majors", ["ccode", "styear", "endyear"])
    row, year = expand_years(ints(m["styear"]), ints(m["endyear"]))
    return state_table(ints(m["ccode"])[row], year, [np.ones(len(row))], 0, np.int8)


def major_status(year: IntArray, ccode: IntArray) -> npt.NDArray[np.int8]:
    """1 where the state is a COW major power in the year (any day of a spell), else 0."""
    return _majors().get(0, ccode, year, 0)


def add_cow_majors(panel: pd.DataFrame) -> pd.DataFrame:
    """Add COW major-power status: peacesciencer's ``add_cow_majors()``.

    ``cowmaj`` (state-years), or ``cowmaj1`` and ``cowmaj2`` (dyad-years), is 1 in every
    calendar year touched by one of the state's spells in the COW major powers list v2016
    (so France is a major power in both 1940 and 1945), else 0 (``int8``).

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with the column(s) added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Correlates of War Project (2017). State System Membership List, v2016.

    Examples
    --------
    >>> from equipoise.panels import state_years
    >>> p = add_cow_majors(state_years(1900, 1900))
    >>> sorted(p.loc[p["cowmaj"] == 1, "stateabb"])
    ['AUH', 'FRN', 'GMY', 'ITA', 'JPN', 'RUS', 'UKG', 'USA']
    """
    kind = panel_kind(panel, "add_cow_majors")
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        new: dict[str, object] = {
            "cowmaj1": major_status(year, c1),
            "cowmaj2": major_status(year, c2),
        }
    else:
        code, year = keys(panel, "ccode", "year")
        new = {"cowmaj": major_status(year, code)}
    return extend(panel, new, ("cow_states",))


@dataclass(frozen=True)
class _Capitals:
    index: StateTable  # row of the capitals table by code and year, -1 if none
    distance: FloatArray  # (n_capitals + 1, n_capitals + 1) km; the last row/column is nan


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


@cached()
def _capitals() -> _Capitals:
    cap = load_capitals()
    row, year = expand_years(ints(cap["styear"]), ints(cap["endyear"]))
    index = state_table(ints(cap["ccode"])[row], year, [row], -1, np.int16)
    p = _unit_vectors(floats(cap["lat"]), floats(cap["lon"]))
    # central angle by atan2(|p x q|, p . q): accurate for near and antipodal points alike
    cross = np.linalg.norm(np.cross(p[:, None, :], p[None, :, :]), axis=-1)
    dot = p @ p.T
    n = len(cap)
    distance = np.full((n + 1, n + 1), np.nan)
    distance[:n, :n] = EARTH_RADIUS_KM * np.arctan2(cross, dot)
    return _Capitals(index, distance)


def capital_distance(year: IntArray, ccode1: IntArray, ccode2: IntArray) -> FloatArray:
    """Great-circle km between the capitals of two states in a year (``nan`` if unknown)."""
    cap = _capitals()
    i = cap.index.get(0, ccode1, year, -1).astype(np.int64)
    j = cap.index.get(0, ccode2, year, -1).astype(np.int64)
    return cap.distance[i, j]  # -1 picks the last (nan) row and column


def _min_distance(year: IntArray, ccode: IntArray) -> FloatArray:
    """Distance from each state's capital to the nearest capital of another member that year."""
    cap = _capitals()
    sp = spells()
    row, yrs = expand_years(sp.first, sp.last)  # all system state-years
    member_cap = cap.index.get(0, sp.ccode[row], yrs, -1).astype(np.int64)
    y0, y1 = int(yrs.min()), int(yrs.max())
    present = np.zeros((y1 - y0 + 1, cap.distance.shape[0]), dtype=bool)
    present[yrs - y0, member_cap] = True
    present[:, -1] = False  # states without a known capital
    own = cap.index.get(0, ccode, year, -1).astype(np.int64)
    out = np.full(len(year), np.nan)
    ok = (year >= y0) & (year <= y1) & (own >= 0)
    if ok.any():
        d = cap.distance[own[ok]].copy()  # (n_rows, n_capitals + 1)
        d[~present[year[ok] - y0]] = np.inf
        d[np.arange(len(d)), own[ok]] = np.inf  # not its own capital
        nearest = d.min(axis=1)
        out[ok] = np.where(np.isfinite(nearest), nearest, np.nan)
    return out


def add_capital_distance(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the great-circle distance between capitals: peacesciencer's ``add_capital_distance()``.

    On dyad-years, ``capdist`` is the distance in km between the capitals of ``ccode1`` and
    ``ccode2`` in force that year; on state-years, ``mincapdist`` is the distance from the
    state's capital to the nearest capital of another system member that year. Capitals and
    the years each was the seat of government come from ``equipoise/data/capitals.csv`` (see
    :func:`~equipoise.history.scenario_builder.load_capitals`; Russia's is St. Petersburg to
    1917 and Moscow from 1918, for example). Distances are on a sphere of radius 6,371 km, the
    central angle computed as ``atan2(|p x q|, p . q)`` of the unit vectors (exact on the
    sphere; within about 0.5% of the ellipsoidal distance). ``nan`` where a capital is unknown.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with ``capdist`` or ``mincapdist`` (``float64``, km) added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_capital_distance(dyad_years(1950, 1950))
    >>> round(float(d.query("ccode1 == 200 and ccode2 == 220")["capdist"].iloc[0]))  # London-Paris
    343
    """
    kind = panel_kind(panel, "add_capital_distance")
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        new: dict[str, object] = {"capdist": capital_distance(year, c1, c2)}
    else:
        code, year = keys(panel, "ccode", "year")
        new = {"mincapdist": _min_distance(year, code)}
    return extend(panel, new, ("capitals",))


def _leader_cinc() -> tuple[int, FloatArray]:
    """First year and the largest CINC of each year."""
    table = nmc_table()
    cinc = table.values[NMC_COLUMNS.index("cinc")]  # (codes, years)
    best = np.where(np.isnan(cinc), -np.inf, cinc).max(axis=0)
    return table.first_year, np.where(np.isfinite(best), best, np.nan)


def add_power_ratio(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the capability ratio of the stronger to the weaker side (Bremer 1992).

    On dyad-years, ``power_ratio`` is ``max(cinc1, cinc2) / min(cinc1, cinc2)`` from the COW
    CINC scores of the year: 1 for equals, large for a preponderant dyad; Bremer (1992) uses
    its logarithm. It is symmetric, so (A, B) and (B, A) have the same value. On state-years,
    ``power_ratio`` is the ratio of the strongest state's CINC that year to the state's own:
    the power ratio of the state's dyad with the system leader (1 for the leader). ``nan``
    where a CINC is missing. This is not a peacesciencer function; peacesciencer leaves the
    ratio to the user.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with ``power_ratio`` (``float64``) added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel.

    References
    ----------
    Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of interstate
        war, 1816-1965. *Journal of Conflict Resolution*, 36(2), 309-341.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_power_ratio(dyad_years(1816, 1816))
    >>> bool((d["power_ratio"] >= 1).all())
    True
    """
    kind = panel_kind(panel, "add_power_ratio")
    table = nmc_table()
    k = NMC_COLUMNS.index("cinc")
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == DYAD_YEAR:
            c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
            a, b = table.get(k, c1, year, np.nan), table.get(k, c2, year, np.nan)
            ratio = np.maximum(a, b) / np.minimum(a, b)
        else:
            code, year = keys(panel, "ccode", "year")
            y0, leader = _leader_cinc()
            row = year - y0
            ok = (row >= 0) & (row < len(leader))
            best = np.full(len(year), np.nan)
            best[ok] = leader[row[ok]]
            ratio = best / table.get(k, code, year, np.nan)
    ratio = np.where(np.isfinite(ratio), ratio, np.nan)
    return extend(panel, {"power_ratio": ratio}, ("cow_nmc", "bremer1992"))
