"""The table of stylized facts: every statistic of a system, and history against simulation.

:func:`system_statistics` measures one system (one replication, or one window
of history) from plain inputs with the functions of
:mod:`equipoise.validate`; :func:`replication_statistics` does it for every
replication of a run; :func:`compare_to_history` sets the simulated
distribution of each statistic against its historical value. The history side
comes from :func:`equipoise.validate.history.historical_statistics`, which
calls the same per-statistic functions on the Correlates of War and ATOP data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.validate.alliances import (
    alliance_formation_rate,
    alliance_mean_duration,
    check_alliance_spells,
)
from equipoise.validate.concentration import concentration_statistics
from equipoise.validate.rates import _alive, _shown, _times, state_death_rate
from equipoise.validate.wars import (
    check_war_table,
    multiparty_share,
    war_onset_rate,
    war_size_slope,
    war_size_tail,
)

__all__ = [
    "STATISTICS",
    "compare_to_history",
    "replication_statistics",
    "system_statistics",
]

#: The statistics of the table, in order, with what each measures.
STATISTICS: dict[str, str] = {
    "war_size_slope": "Cederman's OLS slope of log10 P(S >= s) on log10 s, all wars",
    "war_size_alpha": "power-law exponent of war sizes above x_min (powerlaw, KS x_min)",
    "war_onset_rate": "wars begun per state-year",
    "multiparty_war_share": "share of wars with more than two participants",
    "state_death_rate": "exits from the system per state-year at risk (no entrants)",
    "con_mean": "mean Ray-Singer CON among the great powers",
    "con_diff_sd": "SD of year-to-year changes of CON among the great powers",
    "leader_third_share": "share of years the leading great power holds >= 1/3",
    "leader_half_share": "share of years the leading great power holds >= 1/2",
    "alliance_formation_rate": "new alliances per state-year",
    "alliance_mean_duration": "mean alliance duration, censored spells (exponential MLE)",
}


def system_statistics(
    wars: pd.DataFrame,
    alive: npt.ArrayLike,
    capabilities: npt.ArrayLike | None = None,
    alliances: pd.DataFrame | None = None,
    *,
    times: npt.ArrayLike | None = None,
    duration_method: Literal["exponential", "kaplan-meier", "naive"] = "exponential",
    powers: npt.ArrayLike | None = None,
    statistics: Collection[str] | None = None,
) -> dict[str, float]:
    """Every statistic of :data:`STATISTICS` for one system over one window.

    This is what a simulation feeds to :func:`compare_to_history`, one call
    per replication: the same per-statistic functions measure history in
    :func:`~equipoise.validate.history.historical_statistics`.

    Parameters
    ----------
    wars : DataFrame
        War table (``start``, ``participants``, ``size``; ``end`` optional).
        Every statistic of wars uses the wars begun in the window of
        ``alive`` (``[times[0], times[-1] + 1)``): pass the whole run and a
        window of ``alive`` to leave out a burn-in.
    alive : bool array, shape (n_times, n_states)
        System membership; one row per time (step) of the window.
    capabilities : array, shape (n_times, n_states), optional
        Capabilities of the states that play the great powers (all states of
        a small simulated system); without it the concentration statistics
        are ``nan``.
    alliances : DataFrame, optional
        Alliance spells (``start``, ``end``, ``end`` missing when still in
        force); without it the alliance statistics are ``nan``. Spells that
        start outside the window are left out of both statistics; the others
        are censored at the end of the window.
    times : array-like, shape (n_times,), optional
        Time of each row (default ``0, 1, ...``).
    duration_method : {"exponential", "kaplan-meier", "naive"}
        How censored alliances enter the mean duration
        (:func:`~equipoise.validate.alliances.alliance_mean_duration`).
    powers : bool array, shape (n_times, n_states), optional
        Which states are the great powers in each row (for example the COW
        major powers of that year, in a simulated whole system); default all.
        Only the concentration statistics read it.
    statistics : collection of str, optional
        Measure only these keys of :data:`STATISTICS` (default all): a calibration measures
        thousands of replications and need not fit the power-law tail (about 0.1-0.5 s)
        when it does not use it.

    Returns
    -------
    dict of str to float
        One value per key of :data:`STATISTICS` (of ``statistics``), in that order. The state-death
        rate counts the first exits of the states alive in the first row, per
        state-time at risk (a closed cohort, as history's; states that enter
        later are not at risk).

    Examples
    --------
    >>> wars = pd.DataFrame({"start": [0, 3, 5], "participants": [2, 3, 2],
    ...                      "size": [0.01, 0.2, 0.05]})
    >>> alive = np.ones((10, 4), dtype=bool)
    >>> alive[6:, 3] = False                          # one state eliminated at step 6
    >>> out = system_statistics(wars, alive)
    >>> out["war_onset_rate"]                         # 3 wars in 36 state-steps
    0.08333333333333333
    >>> out["state_death_rate"]                       # 1 death in 33 state-steps at risk
    0.030303030303030304
    """
    check_war_table(wars, ("start", "participants", "size"))
    wanted = set(STATISTICS if statistics is None else statistics)
    unknown = sorted(wanted - set(STATISTICS))
    if unknown:
        raise ValueError(f"Unknown statistic {unknown[0]!r}: choose from {', '.join(STATISTICS)}.")
    a = _alive(alive)
    t = _times(a, times)
    starts = pd.to_numeric(wars["start"]).to_numpy(dtype=np.float64)
    in_window = (starts >= t[0]) & (starts < t[-1] + 1) if len(t) else np.zeros(0, bool)
    sizes = pd.to_numeric(wars["size"]).to_numpy(dtype=np.float64)[in_window]
    out = {
        "war_size_slope": war_size_slope(sizes).slope if "war_size_slope" in wanted else np.nan,
        "war_size_alpha": war_size_tail(sizes).alpha if "war_size_alpha" in wanted else np.nan,
        "war_onset_rate": war_onset_rate(wars, a, t),
        "multiparty_war_share": multiparty_share(wars[in_window]),
        "state_death_rate": state_death_rate(np.cumprod(a & a[:1], axis=0).astype(bool)),
    }
    if capabilities is None:
        out.update(dict.fromkeys(("con_mean", "con_diff_sd"), np.nan))
        out.update(dict.fromkeys(("leader_third_share", "leader_half_share"), np.nan))
    else:
        caps = np.asarray(capabilities, dtype=np.float64)
        if caps.shape != a.shape:
            raise ValueError(
                f"The 'capabilities' parameter must have the shape of 'alive' {a.shape}. "
                f"Got {caps.shape} instead."
            )
        great = a if powers is None else a & np.asarray(powers, dtype=bool)
        out.update(concentration_statistics(caps, great))
    if alliances is None:
        out["alliance_formation_rate"] = np.nan
        out["alliance_mean_duration"] = np.nan
    else:
        check_alliance_spells(alliances)
        begin = pd.to_numeric(alliances["start"]).to_numpy(dtype=np.float64)
        inside = alliances[(begin >= t[0]) & (begin < t[-1] + 1)]
        out["alliance_formation_rate"] = alliance_formation_rate(inside, a, t)
        out["alliance_mean_duration"] = alliance_mean_duration(
            inside, float(t[-1] + 1), duration_method
        )
    return {k: float(out[k]) for k in STATISTICS if k in wanted}


def replication_statistics(
    wars: pd.DataFrame,
    alive: npt.ArrayLike,
    capabilities: npt.ArrayLike | None = None,
    alliances: pd.DataFrame | None = None,
    *,
    times: npt.ArrayLike | None = None,
    duration_method: Literal["exponential", "kaplan-meier", "naive"] = "exponential",
    progress: bool = False,
    powers: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    """:func:`system_statistics` of every replication: the ``simulated`` table of the comparison.

    Parameters
    ----------
    wars : DataFrame
        War table with a ``replication`` column (``0 ... R-1``) besides
        ``start``, ``participants`` and ``size``.
    alive : bool array, shape (R, n_times, n_states)
    capabilities : array, shape (R, n_times, n_states), optional
    alliances : DataFrame, optional
        Alliance spells with a ``replication`` column.
    times : array-like, shape (n_times,), optional
    duration_method : {"exponential", "kaplan-meier", "naive"}
    progress : bool
        Show a rich progress bar (the power-law fits take about 0.1 s each).
    powers : bool array, shape (n_times, n_states), optional
        The great powers of each row, the same in every replication (see
        :func:`system_statistics`).

    Returns
    -------
    DataFrame
        One row per replication (index ``replication``), one column per key
        of :data:`STATISTICS`.

    Examples
    --------
    >>> wars = pd.DataFrame({"replication": [0, 0, 1], "start": [0, 1, 2],
    ...                      "participants": [2, 3, 2], "size": [0.1, 0.2, 0.3]})
    >>> table = replication_statistics(wars, np.ones((2, 5, 3), dtype=bool))
    >>> table["war_onset_rate"].round(4).tolist()
    [0.1333, 0.0667]
    """
    a = np.asarray(alive)
    if a.ndim != 3:
        raise ValueError(
            "The 'alive' parameter must be a (replications x time x states) array. "
            f"Got {a.ndim} dimension(s) instead."
        )
    n_rep = a.shape[0]
    caps = None if capabilities is None else np.asarray(capabilities, dtype=np.float64)
    if caps is not None and caps.shape != a.shape:
        raise ValueError(
            f"The 'capabilities' parameter must have the shape of 'alive' {a.shape}. "
            f"Got {caps.shape} instead."
        )
    tables = {"wars": wars} if alliances is None else {"wars": wars, "alliances": alliances}
    for name, table in tables.items():
        if not isinstance(table, pd.DataFrame) or "replication" not in table.columns:
            raise ValueError(f"The '{name}' table must have a 'replication' column.")
        rep = pd.to_numeric(table["replication"], errors="coerce")
        bad = rep.isna() | (rep < 0) | (rep >= n_rep) | (rep != rep.round())
        if bad.any():
            row = int(np.argmax(bad.to_numpy()))
            raise ValueError(
                f"The '{name}' table has replication {_shown(table['replication'].iloc[row])} "
                f"in row {row}; 'alive' has replications 0 to {n_rep - 1}."
            )
    war_groups = dict(tuple(wars.groupby(wars["replication"].astype(np.int64))))
    spell_groups = (
        {} if alliances is None else dict(tuple(alliances.groupby(alliances["replication"])))
    )
    empty_wars = wars.iloc[0:0]
    empty_spells = None if alliances is None else alliances.iloc[0:0]
    rows = []
    task_iter: range = range(n_rep)
    if progress:
        from rich.progress import track

        task_iter = track(range(n_rep), description="Measuring replications")  # type: ignore[assignment]
    for r in task_iter:
        rows.append(
            system_statistics(
                war_groups.get(r, empty_wars),
                a[r],
                None if caps is None else caps[r],
                None if alliances is None else spell_groups.get(r, empty_spells),
                times=times,
                duration_method=duration_method,
                powers=powers,
            )
        )
    return pd.DataFrame(rows, index=pd.RangeIndex(n_rep, name="replication"))


def compare_to_history(
    history: Mapping[str, float] | pd.Series,
    simulated: pd.DataFrame,
    level: float = 0.9,
) -> pd.DataFrame:
    """Historical value against the simulated distribution, statistic by statistic.

    Parameters
    ----------
    history : mapping or Series
        Statistic name to historical value, as returned by
        :func:`~equipoise.validate.history.historical_statistics`; ``nan``
        where history has no value.
    simulated : DataFrame
        One row per replication, one column per statistic (every column must
        be a statistic of ``history``), as returned by
        :func:`replication_statistics`. ``nan`` cells (a replication with too
        few wars for a fit) are left out of that statistic.
    level : float
        Coverage of the central interval (default 0.9: the 5 % and 95 %
        quantiles).

    Returns
    -------
    DataFrame
        One row per statistic of ``history``, in its order: ``statistic``,
        ``description`` (from :data:`STATISTICS`, empty for others),
        ``history``, ``sim_median``, ``sim_low``, ``sim_high`` (the central
        ``level`` interval across replications), ``n_replications`` (with a
        finite value) and ``inside`` (history within ``[sim_low,
        sim_high]``; ``<NA>`` when either side has no value). ``attrs``:
        ``level``.

    Examples
    --------
    >>> sims = pd.DataFrame({"war_onset_rate": np.linspace(0.01, 0.03, 101)})
    >>> table = compare_to_history({"war_onset_rate": 0.005, "con_mean": 0.4}, sims)
    >>> table[["statistic", "sim_median", "sim_low", "inside"]]
            statistic  sim_median  sim_low  inside
    0  war_onset_rate        0.02    0.011   False
    1        con_mean         NaN      NaN    <NA>
    """
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise ValueError(f"The 'level' parameter must be in (0, 1). Got {level!r} instead.")
    if not isinstance(simulated, pd.DataFrame):
        raise ValueError(
            "The 'simulated' parameter must be a DataFrame (one row per replication). "
            f"Got {type(simulated).__name__} instead."
        )
    hist = pd.Series(history, dtype=object)
    values = pd.to_numeric(hist, errors="coerce")
    bad = values.isna() & hist.notna()
    if bad.any():
        name = str(hist.index[int(np.argmax(bad.to_numpy()))])
        raise ValueError(f"The 'history' value of {name!r} is not a number: {_shown(hist[name])}.")
    unknown = [str(c) for c in simulated.columns if c not in hist.index]
    if unknown:
        raise ValueError(
            f"The 'simulated' table has statistic(s) with no historical value: "
            f"{', '.join(unknown)}."
        )
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for name, value in values.items():
        h = float(value)
        if name in simulated.columns:
            sim = pd.to_numeric(simulated[name], errors="coerce").to_numpy(dtype=np.float64)
            if np.isnan(sim).all() and simulated[name].notna().any():
                raise ValueError(f"The 'simulated' column {name!r} is not numeric.")
            sim = sim[np.isfinite(sim)]
        else:
            sim = np.zeros(0)
        if sim.size:
            med, low, high = (float(v) for v in np.quantile(sim, [0.5, lo_q, hi_q]))
        else:
            med = low = high = np.nan
        inside = pd.NA if not (np.isfinite(h) and sim.size) else bool(low <= h <= high)
        rows.append(
            (str(name), STATISTICS.get(str(name), ""), h, med, low, high, int(sim.size), inside)
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "statistic",
            "description",
            "history",
            "sim_median",
            "sim_low",
            "sim_high",
            "n_replications",
            "inside",
        ],
    )
    out["statistic"] = out["statistic"].astype("string")
    out["description"] = out["description"].astype("string")
    out["inside"] = out["inside"].astype("boolean")
    out.attrs["level"] = float(level)
    return out
