"""The whole state system against history: who the great powers are, how many states, who is allied.

A simulation of the whole COW system (``scenario_from_history(start,
states="all", entries=True)``, :mod:`equipoise.history.system_builder`) names
its states by COW abbreviation, so the model and the record can be read the same
way:

* :func:`great_power_mask`: the COW major powers of each year among the
  simulated states, so that the concentration statistics measure the same
  states in the model as in history (Ray & Singer's CON among the great powers,
  not among two hundred states);
* :func:`system_table`: the number of states in the system at fifty-year
  marks (the COW system grew from 23 states in 1816 to 195 in 2016, mostly by
  entry: the model's entries are history's, its deaths its own), the exits per
  state-year of every state (entrants included), and the share of state-years
  a state spends in an alliance (ATOP defence or offence pacts; in the model a
  bloc of at least two living members, or with treaties a defence or offence
  pact) and, for a run that counted its dyad-years, the war onsets per dyad-year
  of land-contiguous and other dyads and of each capability-ratio bin
  (:func:`dyad_rows`, :mod:`equipoise.validate.dyads`; Bremer 1992), history
  against the simulated median and central interval;
* :func:`dangerous_dyads_table`: for a run that counted its dyad-years, the
  coefficients of Bremer's (1992) dangerous-dyads logit
  (:func:`~equipoise.validate.dyads.dangerous_dyads`) fitted to history's cells
  and to each replication's, history's estimate against the simulated median and
  central interval of the per-replication estimates.

References
----------
Ray, J. L., & Singer, J. D. (1973). Measuring the concentration of power in
    the international system. *Sociological Methods & Research*, 1(4),
    403-437. https://doi.org/10.1177/004912417300100401
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International
    Interactions*, 28(3), 237-260. https://doi.org/10.1080/03050620213653
Correlates of War Project (2017). State System Membership List, v2016.
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of
    interstate war, 1816-1965. *Journal of Conflict Resolution*, 36(2), 309-341.
    https://doi.org/10.1177/0022002792036002005
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.history.loaders import load_alliances, load_majors, load_states, load_system
from equipoise.validate.dyads import (
    DANGEROUS_DYADS_TERMS,
    DYAD_GROUPS,
    dangerous_dyads,
    dyad_onset_rates,
    historical_dyad_cells,
)
from equipoise.validate.history import WAR_DATA_END

if TYPE_CHECKING:
    from equipoise.results import Result
    from equipoise.validate.simulation import SimulatedInputs

__all__ = [
    "bloc_allied_share",
    "dangerous_dyads_table",
    "dyad_rows",
    "exit_rate",
    "great_power_mask",
    "historical_allied_share",
    "historical_system_statistics",
    "pact_allied_share",
    "system_marks",
    "system_table",
]

#: Years at which the number of states is compared (those inside the window).
MARKS: tuple[int, ...] = (1850, 1900, 1950, 2000)


def cow_code_table() -> dict[str, int]:
    """Every COW state abbreviation with its code (abbreviations are unique across years)."""
    states = load_states()
    return {str(a): int(c) for a, c in zip(states["stateabb"], states["ccode"], strict=True)}


def cow_codes_of(names: Sequence[str]) -> list[int]:
    """The COW codes of states named by their COW abbreviations (any year).

    Raises ``ValueError`` naming the first name that is not a COW abbreviation.
    """
    code = cow_code_table()
    unknown = [n for n in names if n not in code]
    if unknown:
        raise ValueError(f"State {unknown[0]!r} is not a COW state abbreviation.")
    return [code[n] for n in names]


def great_power_mask(names: Sequence[str], times: npt.ArrayLike) -> np.ndarray:
    """Which simulated states are COW major powers in each year, shape (len(times), len(names)).

    Examples
    --------
    >>> m = great_power_mask(["UKG", "BAV", "JPN"], [1816, 1900])
    >>> m.tolist()
    [[True, False, False], [True, False, True]]
    """
    codes = np.array(cow_codes_of(names))
    years = np.asarray(times, dtype=np.int64)
    mask = np.zeros((years.size, codes.size), dtype=bool)
    majors = load_majors()
    for code, first, last in zip(
        majors["ccode"].astype(int),
        majors["styear"].astype(int),
        majors["endyear"].astype(int),
        strict=True,
    ):
        inside = (years >= first) & (years <= last)
        mask[np.ix_(inside, codes == code)] = True
    return mask


def historical_allied_share(years: np.ndarray) -> tuple[float, int]:
    """Share of COW system state-years in an ATOP defence or offence pact, and state-years."""
    system = load_system()
    system = system[(system["year"] >= years[0]) & (system["year"] <= years[-1])]
    sy = load_alliances("state-year")
    pact = sy[(sy["defense"] == 1) | (sy["offense"] == 1)]
    allied = set(zip(pact["state"].astype(int), pact["year"].astype(int), strict=True))
    pairs = list(zip(system["ccode"].astype(int), system["year"].astype(int), strict=True))
    if not pairs:
        return float("nan"), 0
    return sum(p in allied for p in pairs) / len(pairs), len(pairs)


def bloc_allied_share(blocs: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Per replication: share of living state-years in a bloc with another living member."""
    r, t, _ = alive.shape
    out = np.full(r, np.nan)
    for k in range(r):
        b = np.where(alive[k], blocs[k, :t], -1)
        # a member of a bloc that another living state shares in the same year
        same = (b[:, :, None] == b[:, None, :]).sum(axis=2)
        allied = (b >= 0) & (same >= 2)
        years = alive[k].sum()
        out[k] = allied.sum() / years if years else np.nan
    return out


def pact_allied_share(pacts: pd.DataFrame, labels: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Per replication: share of living state-years in a defence or offence pact.

    A pact is in force at the recorded steps ``start ... end - 1`` (to the last while
    in force at the end); ``alive`` holds the recorded steps ``0 ... t - 1``.
    """
    r, t, n = alive.shape
    out = np.full(r, np.nan)
    binding = pacts[pacts["kind"] <= 1]
    groups = dict(tuple(binding.groupby("replication")))
    for k in range(r):
        bound = np.zeros((t, n), dtype=bool)
        rows = groups.get(int(labels[k]))
        if rows is not None:
            ends = rows["end"].to_numpy()
            ends = np.where(ends < 0, t, np.minimum(ends, t))
            for first, stop, a, b in zip(
                rows["start"].to_numpy(),
                ends,
                rows["a"].to_numpy(),
                rows["b"].to_numpy(),
                strict=True,
            ):
                bound[first:stop, a] = True
                bound[first:stop, b] = True
        years = alive[k].sum()
        out[k] = (bound & alive[k]).sum() / years if years else np.nan
    return out


def exit_rate(alive: np.ndarray) -> float:
    """Exits (alive one year, not the next) per state-year at risk, every state."""
    at_risk = alive[:-1].sum()
    return float((alive[:-1] & ~alive[1:]).sum() / at_risk) if at_risk else float("nan")


def dyad_rows(
    result: Result, start: int, end: int, history_cells: pd.DataFrame | None = None
) -> list[tuple[str, str, float, np.ndarray]]:
    """Dyad-year war onset rates by contiguity and capability ratio, history and each replication.

    The groups of :data:`~equipoise.validate.dyads.DYAD_GROUPS` over the years
    ``start`` to ``min(end, 2007)`` (COW wars end in 2007): history from the COW
    dyad-years (:func:`~equipoise.validate.dyads.historical_dyad_cells`), the model
    from the run's dyad counts (``record_dyads=True``; step ``s`` is the year
    ``start + s - 1``), both measured by
    :func:`~equipoise.validate.dyads.dyad_onset_rates`. Rows are (statistic,
    description, history, per-replication values); none when the window has no year
    of war data. ``history_cells``: history's cells of these years, if already counted.
    """
    last = min(end, WAR_DATA_END)
    if last < start:
        return []
    if history_cells is None:
        history_cells = historical_dyad_cells(start, last)
    history = dyad_onset_rates(history_cells).iloc[0]
    simulated = dyad_onset_rates(result.dyad_cells(1, last - start + 1))
    return [
        (name, f"{text}, {start}-{last}", float(history[name]), simulated[name].to_numpy())
        for name, (text, _, _) in DYAD_GROUPS.items()
    ]


def system_marks(first: int, last: int) -> list[int]:
    """The years whose number of states is compared: the marks inside the window, then its last.

    Examples
    --------
    >>> system_marks(1816, 1914)
    [1850, 1900, 1914]
    >>> system_marks(1816, 1900)
    [1850, 1900]
    """
    marks = [m for m in MARKS if first <= m <= last]
    return marks if last in marks else [*marks, int(last)]


def historical_system_statistics(
    start: int, end: int, history_cells: pd.DataFrame | None = None, *, dyads: bool = True
) -> dict[str, float]:
    """History's column of :func:`system_table` for the years ``start``-``end``.

    ``states_<year>`` (COW members in each year of :func:`system_marks`),
    ``exit_rate_all`` (:func:`exit_rate` of COW membership), ``allied_share``
    (:func:`historical_allied_share`, years to 2016) and, with ``dyads`` and a
    window with war data, the dyad-year onset rates of
    :data:`~equipoise.validate.dyads.DYAD_GROUPS` (:func:`dyad_rows`' history;
    ``history_cells``: history's cells of ``start``-``min(end, 2007)`` if already counted).
    """
    system = load_system()
    years = np.arange(start, end + 1, dtype=np.int64)
    out: dict[str, float] = {}
    for mark in system_marks(start, end):
        out[f"states_{mark}"] = float((system["year"] == mark).sum())
    sy = system[(system["year"] >= start) & (system["year"] <= end)]
    codes = sorted({int(c) for c in sy["ccode"]})
    col = {c: j for j, c in enumerate(codes)}
    alive = np.zeros((years.size, len(codes)), dtype=bool)
    alive[sy["year"].to_numpy() - start, [col[int(c)] for c in sy["ccode"]]] = True
    out["exit_rate_all"] = exit_rate(alive)
    out["allied_share"] = historical_allied_share(years[years <= 2016])[0]
    last = min(end, WAR_DATA_END)
    if dyads and start <= last:
        if history_cells is None:
            history_cells = historical_dyad_cells(start, last)
        rates = dyad_onset_rates(history_cells).iloc[0]
        out.update({name: float(rates[name]) for name in DYAD_GROUPS})
    return out


def system_table(
    inputs: SimulatedInputs,
    result: Result,
    names: Sequence[str],
    level: float = 0.9,
    history_cells: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """History against the model on the whole system's size, exits and alignment.

    Parameters
    ----------
    inputs : SimulatedInputs
        The run as :func:`~equipoise.validate.simulated_inputs` gives it.
    result : Result
        The run (its recorded blocs).
    names : sequence of str
        The simulated states' COW abbreviations.
    level : float
        Coverage of the simulated interval.
    history_cells : DataFrame, optional
        History's dyad-year cells of the years compared (:func:`dyad_rows`), if
        already counted.

    Returns
    -------
    DataFrame
        One row per statistic: ``statistic``, ``description``, ``history``,
        ``sim_median``, ``sim_low``, ``sim_high``, ``inside``.
    """
    years = np.asarray(inputs.times, dtype=np.int64)
    alive = inputs.alive
    past = historical_system_statistics(int(years[0]), int(years[-1]), dyads=False)
    rows: list[tuple[str, str, float, np.ndarray]] = []
    for mark in system_marks(int(years[0]), int(years[-1])):
        t = int(mark - years[0])
        rows.append(
            (
                f"states_{mark}",
                f"states in the system in {mark}",
                past[f"states_{mark}"],
                alive[:, t].sum(axis=1),
            )
        )
    rows.append(
        (
            "exit_rate_all",
            "exits per state-year, every state (entrants included)",
            past["exit_rate_all"],
            np.array([exit_rate(alive[k]) for k in range(alive.shape[0])]),
        )
    )
    allied_years = years[years <= 2016]
    share = past["allied_share"]
    if "pact" in result.dataset.dims:  # treaties: defence and offence pacts
        labels = np.asarray(result.dataset["replication"].values, dtype=np.int64)
        model = pact_allied_share(result.pacts, labels, alive[:, : allied_years.size])
        text = "share of state-years in an alliance (ATOP defence/offence; model: such a pact)"
    else:
        blocs = np.asarray(result.dataset["bloc"].values)
        model = bloc_allied_share(blocs[:, : allied_years.size], alive[:, : allied_years.size])
        text = "share of state-years in an alliance (ATOP defence/offence; model: a bloc)"
    rows.append(("allied_share", text, share, model))
    if "dyad_years" in result.dataset:
        rows.extend(dyad_rows(result, int(years[0]), int(years[-1]), history_cells))
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    out = []
    for name, text, history, simulated in rows:
        values = simulated[~np.isnan(simulated)]
        if values.size:
            low, median, high = np.quantile(values, [lo_q, 0.5, hi_q])
            inside: bool | None = bool(low <= history <= high) if np.isfinite(history) else None
        else:
            low = median = high = np.nan
            inside = None
        out.append(
            {
                "statistic": name,
                "description": text,
                "history": history,
                "sim_median": float(median),
                "sim_low": float(low),
                "sim_high": float(high),
                "inside": inside,
            }
        )
    return pd.DataFrame(out)


#: What each term of the dangerous-dyads logit compares (its log odds ratio of a war onset).
TERM_TEXT: dict[str, str] = {
    "intercept": "log odds of a war onset, distant dyads at parity, not allied",
    "contiguous": "log odds ratio, land-contiguous dyads against the others",
    "ratio_small": "log odds ratio, capability ratio 1.25 to 3 against parity",
    "ratio_medium": "log odds ratio, capability ratio 3 to 10 against parity",
    "ratio_preponderance": "log odds ratio, capability ratio 10 or more against parity",
    "allied": "log odds ratio, allied dyads against the others",
}


def quantiles_with_infinities(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of values that may be infinite, interpolated as numpy's default (linear).

    Between an infinite order statistic and a finite one the quantile is the infinite
    one (numpy would give ``nan``).

    Examples
    --------
    >>> quantiles_with_infinities(np.array([-np.inf, 1.0, 2.0, 3.0]), [0.05, 0.5, 1.0]).tolist()
    [-inf, 1.5, 3.0]
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    pos = (x.size - 1) * np.asarray(qs, dtype=np.float64)
    low = np.floor(pos).astype(np.int64)
    high = np.ceil(pos).astype(np.int64)
    a, b = x[low], x[high]
    with np.errstate(invalid="ignore"):
        out = np.where(low == high, a, a + (b - a) * (pos - low))
    out = np.where(np.isneginf(a) & ~np.isposinf(b), -np.inf, out)
    return np.where(np.isposinf(b) & ~np.isneginf(a), np.inf, out)


def dangerous_dyads_table(
    result: Result,
    start: int,
    end: int,
    level: float = 0.9,
    history_cells: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Bremer's dangerous-dyads logit fitted to history and to each replication, term by term.

    :func:`~equipoise.validate.dyads.dangerous_dyads` on history's cells
    (:func:`~equipoise.validate.dyads.historical_dyad_cells`) and on each
    replication's (``record_dyads=True``), over ``start`` to ``min(end, 2007)``
    (COW wars end in 2007; step ``s`` is the year ``start + s - 1``). A replication
    whose term is separated (no onset among allied dyads) counts with its infinite
    coefficient; one whose term cannot be estimated (``nan``) is left out of the
    band, and ``n_replications`` counts the others. ``history_cells``: history's
    cells of these years, if already counted.

    Returns
    -------
    DataFrame
        One row per term: ``statistic`` (the term), ``description``, ``history``
        and ``history_se`` (history's coefficient and standard error),
        ``history_flag``, ``sim_median``, ``sim_low``, ``sim_high`` (the central
        ``level`` interval of the replications' coefficients), ``n_replications``,
        ``n_infinite`` (replications with an infinite coefficient), ``sim_pooled``
        and ``sim_pooled_se`` (the fit to every replication's cells pooled) and
        ``inside``; no row when the window has no year of war data.
    """
    columns = [
        "statistic",
        "description",
        "history",
        "history_se",
        "history_flag",
        "sim_median",
        "sim_low",
        "sim_high",
        "n_replications",
        "n_infinite",
        "sim_pooled",
        "sim_pooled_se",
        "inside",
    ]
    last = min(end, WAR_DATA_END)
    if last < start:
        return pd.DataFrame(columns=columns)
    if history_cells is None:
        history_cells = historical_dyad_cells(start, last)
    history = dangerous_dyads(history_cells).set_index("term")
    cells = result.dyad_cells(1, last - start + 1)
    per = dangerous_dyads(cells)
    pooled = dangerous_dyads(cells.drop(columns="replication")).set_index("term")
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for term in DANGEROUS_DYADS_TERMS:
        values = per.loc[per["term"] == term, "coef"].to_numpy(dtype=np.float64)
        values = values[~np.isnan(values)]
        h = float(history.loc[term, "coef"])
        low = median = high = np.nan
        inside: bool | None = None
        if values.size:
            low, median, high = quantiles_with_infinities(values, [lo_q, 0.5, hi_q])
            inside = None if np.isnan(h) else bool(low <= h <= high)
        rows.append(
            [
                term,
                f"{TERM_TEXT[term]}, {start}-{last}",
                h,
                float(history.loc[term, "se"]),
                str(history.loc[term, "flag"]),
                float(median),
                float(low),
                float(high),
                int(values.size),
                int(np.isinf(values).sum()),
                float(pooled.loc[term, "coef"]),
                float(pooled.loc[term, "se"]),
                inside,
            ]
        )
    return pd.DataFrame(rows, columns=columns)
