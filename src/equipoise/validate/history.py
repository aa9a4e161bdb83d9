"""The history side of the table: the stylized facts measured on COW and ATOP.

:func:`historical_inputs` turns the built-in Correlates of War and ATOP tables
into the plain inputs of :mod:`equipoise.validate` (a war table, membership
matrices, the great powers' capabilities, alliance spells), and
:func:`historical_statistics` measures them with the same per-statistic
functions that measure a simulation.

Windows (each statistic where its data exist, inside ``[start, end]``):

============================  ==============================================
war sizes                     COW inter-state wars begun in ``size_window``
                              (Cederman's 1820-1997 by default)
war onsets, multiparty share  wars begun up to 2007 (the end of COW
                              Inter-State War Data v4.0)
state deaths                  the cohort, ``start`` to ``end``
concentration                 COW major powers, ``start`` to ``end``
alliance formation            new ATOP alliances, up to 2016 (the end of
                              COW system membership, the denominator)
alliance duration             ATOP alliances formed in ``[start, end]``,
                              censored at the end of ``end`` (or of 2018,
                              ATOP's last year)
============================  ==============================================

**Like with like.** The COW system grows from 23 states in 1816 to 195 in
2016, mostly by entry (unification, decolonisation, break-ups), which a
conquest model does not produce. State deaths are therefore always measured on
a closed **cohort**: the states of ``cohort`` that are system members in
``start``, followed until their first exit (death is absorbing, as in a
simulation; later entrants, and returns such as Germany's in 1955, are not
counted). The default cohort is every member of the start year (the 23
states of 1816, 14 of which exit by 2016, 9 of them by 1871);
``cohort="major"`` follows the great powers of the start year instead (the 5
of 1816: 3 exits, Austria-Hungary 1918, France 1942, Germany 1945).
Use the ``states`` you give ``scenario_from_history``. With ``population="cohort"``
the war and alliance rates are taken over the same cohort (wars and alliances
with at least two cohort states); by default they are those of the whole
system (``population="system"``).

References
----------
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
Correlates of War Project (2017). State System Membership List, v2016.
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *American Political Science Review*, 97(1), 135-150.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from equipoise.history.loaders import (
    load_alliances,
    load_majors,
    load_nmc,
    load_system,
    load_wars,
)
from equipoise.history.measures import capability_panel, major_mask
from equipoise.validate.alliances import alliance_formation_rate, alliance_mean_duration
from equipoise.validate.compare import STATISTICS
from equipoise.validate.concentration import concentration_statistics
from equipoise.validate.rates import state_death_rate, state_deaths
from equipoise.validate.wars import (
    multiparty_share,
    war_onset_rate,
    war_size_slope,
    war_size_tail,
)

__all__ = [
    "ALLIANCE_DATA_END",
    "CEDERMAN_WINDOW",
    "SYSTEM_YEARS",
    "WAR_DATA_END",
    "HistoricalInputs",
    "atop_alliance_spells",
    "cow_war_table",
    "historical_inputs",
    "historical_statistics",
    "war_size_sample",
]

#: Years of COW system membership and NMC (v2016 and v6.0).
SYSTEM_YEARS: tuple[int, int] = (1816, 2016)
#: Last year of COW Inter-State War Data v4.0 (Sarkees & Wayman 2010: 1816-2007).
WAR_DATA_END = 2007
#: Last year observed by ATOP 5.1 (alliances in force on 31 December 2018 are censored).
ALLIANCE_DATA_END = 2018
#: Cederman's (2003) window of war onsets for the size distribution.
CEDERMAN_WINDOW: tuple[int, int] = (1820, 1997)


def cow_war_table(wars: pd.DataFrame | None = None) -> pd.DataFrame:
    """COW inter-state wars as a war table: one row per war.

    Parameters
    ----------
    wars : DataFrame, optional
        Participant-level table shaped as :func:`~equipoise.history.load_wars`
        (default: the built-in COW Inter-State War Data v4.0).

    Returns
    -------
    DataFrame
        ``war_num``, ``name``, ``start`` (earliest start year of any
        participant), ``end`` (latest end year, second spells included),
        ``participants`` (distinct states), ``size`` (battle deaths summed over
        participants; a participant whose deaths are unknown adds 0),
        ``missing_deaths`` (participants with unknown deaths) and ``ccodes``
        (the participants' COW codes).

    Examples
    --------
    >>> w = cow_war_table()
    >>> len(w), int(w["start"].min()), int(w["start"].max())
    (95, 1823, 2003)
    >>> w.loc[w["war_num"] == 139, ["name", "participants"]].values.tolist()
    [['World War II', 25]]
    """
    wars = load_wars() if wars is None else wars
    needed = ["WarNum", "WarName", "ccode", "StartYear1", "EndYear1", "EndYear2", "BatDeath"]
    missing = [c for c in needed if c not in wars.columns]
    if missing:
        raise ValueError(
            f"The 'wars' table must be COW participant-level data (load_wars()); "
            f"missing column(s): {', '.join(missing)}."
        )
    rows = []
    for num, g in wars.groupby(wars["WarNum"].astype(np.int64), sort=True):
        ends = pd.concat([g["EndYear1"], g["EndYear2"]]).dropna()
        deaths = pd.to_numeric(g["BatDeath"]).astype("Float64")
        rows.append(
            (
                int(num),
                str(g["WarName"].iloc[0]),
                int(g["StartYear1"].min()),
                int(ends.max()) if len(ends) else int(g["StartYear1"].max()),
                int(g["ccode"].nunique()),
                float(deaths.fillna(0).sum()),
                int(deaths.isna().sum()),
                tuple(sorted({int(c) for c in g["ccode"]})),
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "war_num",
            "name",
            "start",
            "end",
            "participants",
            "size",
            "missing_deaths",
            "ccodes",
        ],
    )
    out["name"] = out["name"].astype("string")
    return out


def war_size_sample(
    start: int,
    end: int,
    size_window: tuple[int, int] = CEDERMAN_WINDOW,
    *,
    wars: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The COW wars whose sizes history's war-size statistics fit.

    :func:`historical_statistics` fits Cederman's slope and the power-law tail
    to the wars this function returns, and the validation report draws their
    distribution from it, so both use one sample: every COW inter-state war
    (not only a cohort's) begun in ``size_window`` intersected with
    ``[start, end]``, its size the battle deaths summed over participants
    (:func:`cow_war_table`).

    Parameters
    ----------
    start, end : int
        First and last year of the comparison.
    size_window : (int, int)
        Years of war onset for the size distribution (default Cederman's
        1820-1997).
    wars : DataFrame, optional
        A :func:`cow_war_table` (default: that of the built-in COW data).

    Returns
    -------
    DataFrame
        The rows of ``wars`` begun from ``max(size_window[0], start)`` to
        ``min(size_window[1], end)``, in their order.

    Raises
    ------
    ValueError
        If ``size_window`` is not two years in order.

    References
    ----------
    Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
        sandpiles. *American Political Science Review*, 97(1), 135-150.

    Examples
    --------
    >>> sample = war_size_sample(1816, 2016)
    >>> len(sample), int(sample["start"].min()), int(sample["start"].max())
    (90, 1823, 1995)
    """
    if (
        not isinstance(size_window, tuple | list)
        or len(size_window) != 2
        or not all(isinstance(y, int | np.integer) for y in size_window)
        or size_window[0] > size_window[1]
    ):
        raise ValueError(
            "The 'size_window' parameter must be two years (first, last). "
            f"Got {size_window!r} instead."
        )
    every = cow_war_table() if wars is None else wars
    lo, hi = max(int(size_window[0]), int(start)), min(int(size_window[1]), int(end))
    return every[(every["start"] >= lo) & (every["start"] <= hi)]


def _fractional_year(year: pd.Series, month: pd.Series, day: pd.Series) -> np.ndarray:
    """Dates as fractional years; a missing day is the 15th, a missing month June."""
    out = np.full(len(year), np.nan)
    for i, (y, m, d) in enumerate(zip(year, month, day, strict=True)):
        if pd.isna(y) or int(y) == 0:
            continue
        y = int(y)
        m = 6 if pd.isna(m) or not 1 <= int(m) <= 12 else int(m)
        length = calendar.monthrange(y, m)[1]
        d = 15 if pd.isna(d) or int(d) < 1 else min(int(d), length)
        days = 366 if calendar.isleap(y) else 365
        day_of_year = sum(calendar.monthrange(y, k)[1] for k in range(1, m)) + d - 1
        out[i] = y + day_of_year / days
    return out


def atop_alliance_spells(
    alliances: pd.DataFrame | None = None, members: pd.DataFrame | None = None
) -> pd.DataFrame:
    """ATOP alliances as spells: one row per alliance with its begin and end dates.

    Parameters
    ----------
    alliances : DataFrame, optional
        Alliance-level ATOP (``load_alliances("alliance")``; default built in).
    members : DataFrame, optional
        Member-level ATOP (``load_alliances("member")``; default built in),
        for the founding members.

    Returns
    -------
    DataFrame
        ``atopid``, ``begyr``, ``endyr`` (``<NA>`` while in force at the end
        of 2018), ``start`` and ``end`` (dates as fractional years: 4 April
        1949 is 1949.255; ``nan`` while in force), ``founders`` (COW codes of
        the members that entered in the begin year).

    Examples
    --------
    >>> spells = atop_alliance_spells().set_index("atopid")
    >>> nato = spells.loc[3180]
    >>> round(float(nato["start"]), 3), pd.isna(nato["end"]), nato["founders"][:3]
    (1949.255, True, (2, 20, 200))
    """
    alliances = load_alliances("alliance") if alliances is None else alliances
    members = load_alliances("member") if members is None else members
    for name, table, needed in (
        (
            "alliances",
            alliances,
            ["atopid", "begyr", "begmo", "begday", "endyr", "endmo", "endday"],
        ),
        ("members", members, ["atopid", "member", "yrent"]),
    ):
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise ValueError(
                f"The '{name}' table must be ATOP data; missing column(s): {', '.join(missing)}."
            )
    a = alliances.sort_values("atopid").reset_index(drop=True)
    endyr = pd.to_numeric(a["endyr"]).astype("Int64")
    in_force = endyr.isna() | (endyr == 0)
    start = _fractional_year(a["begyr"], a["begmo"], a["begday"])
    end = _fractional_year(a["endyr"], a["endmo"], a["endday"])
    end[in_force.to_numpy()] = np.nan
    first = members.groupby("atopid")["yrent"].transform("min")
    founding = members[members["yrent"] == first]
    founders = founding.groupby("atopid")["member"].apply(
        lambda s: tuple(sorted({int(c) for c in s}))
    )
    out = pd.DataFrame(
        {
            "atopid": a["atopid"].astype(np.int64),
            "begyr": pd.to_numeric(a["begyr"]).astype(np.int64),
            "endyr": endyr.mask(in_force),
            "start": start,
            "end": end,
        }
    )
    out["founders"] = [founders.get(int(i), ()) for i in out["atopid"]]
    return out


@dataclass(frozen=True, eq=False)
class HistoricalInputs:
    """The plain inputs of every statistic, built from COW and ATOP.

    Attributes
    ----------
    years : int array, shape (n_years,)
        ``start ... end``.
    codes : int array, shape (n_states,)
        COW codes of every state that is a system member in the window.
    alive : bool array, shape (n_years, n_states)
        COW system membership.
    cohort_codes : int array, shape (n_cohort,)
        The cohort: states of ``cohort`` that are members in ``start``.
    cohort_alive : bool array, shape (n_years, n_cohort)
        Their membership until first exit (absorbing).
    major_codes : int array, shape (n_majors,)
        COW major powers of the window.
    major_capabilities : float array, shape (n_years, n_majors)
        Their NMC capability (``nan`` when not major or not known).
    major_alive : bool array, shape (n_years, n_majors)
        Major power and system member that year.
    all_wars : DataFrame
        :func:`cow_war_table`: every COW inter-state war (the size
        distribution is always theirs).
    wars : DataFrame
        The wars the rates count: ``all_wars``, or under
        ``population="cohort"`` the wars with at least two cohort states
        (alive in the start year), ``participants`` and ``ccodes`` restricted
        to them.
    alliances : DataFrame
        :func:`atop_alliance_spells`, restricted likewise (at least two cohort
        states among the founders).
    settings : dict
        The arguments, resolved.
    """

    years: np.ndarray
    codes: np.ndarray
    alive: np.ndarray
    cohort_codes: np.ndarray
    cohort_alive: np.ndarray
    major_codes: np.ndarray
    major_capabilities: np.ndarray
    major_alive: np.ndarray
    all_wars: pd.DataFrame
    wars: pd.DataFrame
    alliances: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)


def check_year(name: str, value: object) -> int:
    """``value`` as a year of the COW system data, or a ValueError naming ``name``."""
    lo, hi = SYSTEM_YEARS
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not lo <= value <= hi:
        raise ValueError(
            f"The '{name}' parameter must be a year in {lo}-{hi} (the COW system data). "
            f"Got {value!r} instead."
        )
    return int(value)


def _cohort_codes(
    cohort: str | Sequence[int], start: int, members: set[int], majors: pd.DataFrame
) -> np.ndarray:
    if isinstance(cohort, str):
        if cohort == "all":
            return np.array(sorted(members), dtype=np.int64)
        if cohort == "major":
            codes = np.array(sorted(members), dtype=np.int64)
            return codes[major_mask(np.array([start]), codes, majors)[0]]
        raise ValueError(
            "The 'cohort' parameter must be 'all', 'major' or a list of COW codes. "
            f"Got {cohort!r} instead."
        )
    wanted = [int(c) for c in cohort]
    if not wanted:
        raise ValueError("The 'cohort' parameter must not be an empty list of COW codes.")
    absent = [c for c in wanted if c not in members]
    if absent:
        raise ValueError(
            f"The 'cohort' parameter names COW code {absent[0]}, which is not a system member "
            f"in {start}."
        )
    return np.array(sorted(set(wanted)), dtype=np.int64)


def historical_inputs(
    start: int = 1816,
    end: int = 2016,
    *,
    cohort: Literal["all", "major"] | Sequence[int] = "all",
    population: Literal["system", "cohort"] = "system",
    capability: str = "cinc",
    system: pd.DataFrame | None = None,
    majors: pd.DataFrame | None = None,
    nmc: pd.DataFrame | None = None,
    wars: pd.DataFrame | None = None,
    alliances: pd.DataFrame | None = None,
    members: pd.DataFrame | None = None,
) -> HistoricalInputs:
    """The Correlates of War and ATOP data as plain inputs of the statistics.

    Parameters are those of :func:`historical_statistics` (and the tables:
    ``system``, ``majors``, ``nmc``, ``wars`` and ATOP ``alliances`` and
    ``members``, shaped as the loaders return them; default the built-in
    copies).

    Returns
    -------
    HistoricalInputs

    Examples
    --------
    >>> h = historical_inputs(1816, 1914, cohort="major")
    >>> h.alive.shape, h.cohort_codes.tolist()
    ((99, 62), [200, 220, 255, 300, 365])
    """
    start = check_year("start", start)
    end = check_year("end", end)
    if end <= start:
        raise ValueError(f"The 'end' parameter must be after 'start' ({start}). Got {end} instead.")
    if population not in ("system", "cohort"):
        raise ValueError(
            f"The 'population' parameter must be 'system' or 'cohort'. Got {population!r} instead."
        )
    system = load_system() if system is None else system
    majors = load_majors() if majors is None else majors
    nmc = load_nmc() if nmc is None else nmc

    years = np.arange(start, end + 1)
    sy = system[(system["year"] >= start) & (system["year"] <= end)]
    codes = np.array(sorted({int(c) for c in sy["ccode"]}), dtype=np.int64)
    col = {int(c): j for j, c in enumerate(codes)}
    alive = np.zeros((len(years), len(codes)), dtype=bool)
    alive[
        sy["year"].to_numpy(dtype=np.int64) - start,
        [col[int(c)] for c in sy["ccode"]],
    ] = True

    first_year = {int(c) for c in sy.loc[sy["year"] == start, "ccode"]}
    cohort_codes = _cohort_codes(cohort, start, first_year, majors)
    cohort_alive = np.cumprod(alive[:, [col[int(c)] for c in cohort_codes]], axis=0).astype(bool)

    panel = capability_panel(nmc, capability, "major", start, end, majors)
    if not np.array_equal(panel.years, years):
        raise ValueError(f"The 'nmc' table must cover every year from {start} to {end}.")
    keep = panel.alive.any(axis=0)

    all_wars = cow_war_table(wars)
    war_table = all_wars
    spells = atop_alliance_spells(alliances, members)
    if population == "cohort":
        cohort_col = {int(c): j for j, c in enumerate(cohort_codes)}

        def alive_in(codes_of: tuple[int, ...], year: float) -> list[int]:
            t = int(np.floor(year)) - start
            if not 0 <= t < len(years):
                return []
            return [c for c in codes_of if c in cohort_col and cohort_alive[t, cohort_col[c]]]

        war_table = war_table.copy()
        war_table["ccodes"] = [
            tuple(alive_in(c, s))
            for c, s in zip(war_table["ccodes"], war_table["start"], strict=True)
        ]
        war_table["participants"] = [len(c) for c in war_table["ccodes"]]
        war_table = war_table[war_table["participants"] >= 2].reset_index(drop=True)
        spells = spells[
            [
                len(alive_in(f, s)) >= 2
                for f, s in zip(spells["founders"], spells["start"], strict=True)
            ]
        ].reset_index(drop=True)
    settings = {
        "start": start,
        "end": end,
        "cohort": cohort if isinstance(cohort, str) else tuple(int(c) for c in cohort),
        "population": population,
        "capability": capability,
    }
    return HistoricalInputs(
        years=years,
        codes=codes,
        alive=alive,
        cohort_codes=cohort_codes,
        cohort_alive=cohort_alive,
        major_codes=panel.codes[keep],
        major_capabilities=panel.caps[:, keep],
        major_alive=panel.alive[:, keep],
        all_wars=all_wars,
        wars=war_table,
        alliances=spells,
        settings=settings,
    )


def historical_statistics(
    start: int = 1816,
    end: int = 2016,
    *,
    cohort: Literal["all", "major"] | Sequence[int] = "all",
    population: Literal["system", "cohort"] = "system",
    size_window: tuple[int, int] = CEDERMAN_WINDOW,
    capability: str = "cinc",
    duration_method: Literal["exponential", "kaplan-meier", "naive"] = "exponential",
    inputs: HistoricalInputs | None = None,
) -> pd.Series:
    """Every statistic of :data:`~equipoise.validate.compare.STATISTICS` on the historical record.

    Each statistic is computed by the same function a simulation uses
    (:mod:`equipoise.validate`), over its own window (module docstring):

    - ``war_size_slope`` and ``war_size_alpha``: COW inter-state wars begun
      in ``size_window`` (intersected with ``[start, end]``), size = battle
      deaths summed over participants (:func:`cow_war_table`);
    - ``war_onset_rate`` and ``multiparty_war_share``: wars begun from
      ``start`` to ``min(end, 2007)``, over the state-years of the COW system
      (or of the cohort, with ``population="cohort"``);
    - ``state_death_rate``: first exits of the cohort from COW system
      membership per state-year at risk, ``start`` to ``end``;
    - ``con_mean``, ``con_diff_sd``, ``leader_third_share``,
      ``leader_half_share``: ``capability`` (CINC) of the COW major powers of
      each year, ``start`` to ``end``;
    - ``alliance_formation_rate``: new ATOP alliances (begin year) from
      ``start`` to ``min(end, 2016)`` per state-year of the COW system (or
      cohort alliances per cohort state-year);
    - ``alliance_mean_duration``: ATOP alliances formed from ``start`` to
      ``end``, dated to the day, those in force at the end of ``end`` (or of
      2018) censored (``duration_method``).

    Parameters
    ----------
    start, end : int
        First and last year (1816-2016).
    cohort : {"all", "major"} or list of int
        The closed cohort of the state-death rate: every member of ``start``,
        its major powers, or these COW codes (each a member in ``start``).
        Pass the ``states`` of the simulation's ``scenario_from_history``.
    population : {"system", "cohort"}
        Whose wars and alliances the rates count: the whole COW system
        (default), or the cohort (wars and alliances with at least two cohort
        states, over cohort state-years).
    size_window : (int, int)
        Years of war onset for the size distribution (default Cederman's
        1820-1997).
    capability : str
        NMC column of the concentration statistics.
    duration_method : {"exponential", "kaplan-meier", "naive"}
        See :func:`~equipoise.validate.alliances.alliance_mean_duration`.
    inputs : HistoricalInputs, optional
        Prebuilt inputs (from :func:`historical_inputs`); ``start``, ``end``,
        ``cohort``, ``population`` and ``capability`` are then taken from it.

    Returns
    -------
    Series
        Float values indexed by statistic name (the order of ``STATISTICS``),
        ready for :func:`~equipoise.validate.compare.compare_to_history`.
        ``attrs``: ``settings`` (every argument), ``windows`` (years of each
        statistic), ``counts`` (wars, state-years, deaths, alliances) and the
        full fits ``war_size_slope_fit`` and ``war_size_tail_fit`` (standard
        errors, ``x_min``, the likelihood ratio against the log-normal).

    Examples
    --------
    >>> h = historical_statistics()
    >>> round(float(h["war_size_slope"]), 2), h.attrs["counts"]["size_wars"]
    (-0.43, 90)
    """
    if inputs is None:
        inputs = historical_inputs(
            start, end, cohort=cohort, population=population, capability=capability
        )
    s = inputs.settings
    start, end = int(s["start"]), int(s["end"])
    sized = war_size_sample(start, end, size_window, wars=inputs.all_wars)
    size_lo, size_hi = max(int(size_window[0]), start), min(int(size_window[1]), end)
    years = inputs.years
    wars = inputs.wars

    slope = war_size_slope(sized["size"].to_numpy(dtype=np.float64))
    tail = war_size_tail(sized["size"].to_numpy(dtype=np.float64))

    alive = inputs.cohort_alive if s["population"] == "cohort" else inputs.alive
    war_end = min(end, WAR_DATA_END)
    war_rows = years <= war_end
    war_years = years[war_rows]
    war_alive = alive[war_rows]
    begun = wars[(wars["start"] >= start) & (wars["start"] <= war_end)]

    deaths, at_risk = state_deaths(inputs.cohort_alive)

    alliance_end = min(end, SYSTEM_YEARS[1])
    alliance_rows = years <= alliance_end
    spells = inputs.alliances
    formed = spells[(spells["begyr"] >= start) & (spells["begyr"] <= alliance_end)]
    lasting = spells[(spells["begyr"] >= start) & (spells["begyr"] <= end)]
    observed_until = float(min(end, ALLIANCE_DATA_END) + 1)

    values = {
        "war_size_slope": slope.slope,
        "war_size_alpha": tail.alpha,
        "war_onset_rate": war_onset_rate(begun, war_alive, war_years),
        "multiparty_war_share": multiparty_share(begun),
        "state_death_rate": state_death_rate(inputs.cohort_alive),
        **concentration_statistics(inputs.major_capabilities, inputs.major_alive),
        "alliance_formation_rate": alliance_formation_rate(
            formed, alive[alliance_rows], years[alliance_rows]
        ),
        "alliance_mean_duration": alliance_mean_duration(lasting, observed_until, duration_method),
    }
    out = pd.Series({k: float(values[k]) for k in STATISTICS}, dtype=np.float64, name="history")
    out.index.name = "statistic"
    ended = int((lasting["end"].notna() & (lasting["end"] <= observed_until)).sum())
    out.attrs.update(
        settings={
            **s,
            "size_window": tuple(int(y) for y in size_window),
            "duration_method": duration_method,
        },
        windows={
            "war_size": (size_lo, size_hi),
            "war_onsets": (start, war_end),
            "state_deaths": (start, end),
            "concentration": (start, end),
            "alliance_formation": (start, alliance_end),
            "alliance_duration": (start, end),
            "alliance_observed_until": observed_until,
        },
        counts={
            "size_wars": len(sized),
            "wars_begun": len(begun),
            "multiparty_wars": int((begun["participants"] > 2).sum()),
            "war_state_years": int(war_alive.sum()),
            "cohort_states": len(inputs.cohort_codes),
            "state_deaths": deaths,
            "cohort_state_years_at_risk": at_risk,
            "major_powers": len(inputs.major_codes),
            "alliances_formed": len(formed),
            "alliance_state_years": int(alive[alliance_rows].sum()),
            "alliances_for_duration": len(lasting),
            "alliances_ended": ended,
        },
        war_size_slope_fit=slope.as_dict(),
        war_size_tail_fit=tail.as_dict(),
    )
    return out
