"""Stylized facts of alliances: how often they form, and how long they last.

Both functions take plain **alliance spells**: a DataFrame with one row per
alliance and the columns

``start``
    time the alliance was formed (a year, fractional when the date is known,
    in history; a step in a simulation);
``end``
    time it ended: the first time it is no longer in force (so an alliance
    formed at step 3 and last in force at step 7 has ``end = 8`` and lasts 5
    steps; in history the date of termination). Missing (``nan``) for an
    alliance still in force when observation stops: it is *right-censored*.

References
----------
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete
    observations. *Journal of the American Statistical Association*, 53(282),
    457-481.
Cox, D. R., & Oakes, D. (1984). *Analysis of Survival Data*. Chapman & Hall.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.validate.rates import _shown, events_per_state_time

__all__ = [
    "DURATION_METHODS",
    "alliance_durations",
    "alliance_formation_rate",
    "alliance_mean_duration",
    "check_alliance_spells",
]

#: How :func:`alliance_mean_duration` treats alliances still in force.
DURATION_METHODS: tuple[str, ...] = ("exponential", "kaplan-meier", "naive")


def check_alliance_spells(alliances: pd.DataFrame) -> None:
    """Raise a one-line ``ValueError`` unless ``alliances`` is a table of spells.

    Parameters
    ----------
    alliances : DataFrame
        Alliance spells (module docstring): ``start`` required and numeric,
        ``end`` numeric or missing, never before ``start``.
    """
    if not isinstance(alliances, pd.DataFrame):
        raise ValueError(
            "The 'alliances' parameter must be a DataFrame. "
            f"Got {type(alliances).__name__} instead."
        )
    missing = [c for c in ("start", "end") if c not in alliances.columns]
    if missing:
        raise ValueError(
            "The 'alliances' table must have the columns start, end; "
            f"missing: {', '.join(missing)}."
        )
    start = pd.to_numeric(alliances["start"], errors="coerce")
    if start.isna().any():
        row = int(np.argmax(start.isna().to_numpy()))
        raise ValueError(
            f"The 'alliances' table has a missing or non-numeric start in row {row}: "
            f"{_shown(alliances['start'].iloc[row])}."
        )
    end = pd.to_numeric(alliances["end"], errors="coerce")
    bad = end.isna() & alliances["end"].notna()
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise ValueError(
            f"The 'alliances' table has a non-numeric end in row {row}: "
            f"{_shown(alliances['end'].iloc[row])}."
        )
    before = (end < start).fillna(False)
    if before.any():
        row = int(np.argmax(before.to_numpy()))
        raise ValueError(
            f"The 'alliances' table has an alliance ending before it starts (row {row})."
        )


def alliance_formation_rate(
    alliances: pd.DataFrame, alive: npt.ArrayLike, times: npt.ArrayLike | None = None
) -> float:
    """New alliances per state-year (per state-step in a simulation).

    The number of alliances whose ``start`` lies in the window covered by
    ``alive`` (``[times[0], times[-1] + 1)``), divided by the state-time at
    risk (the ``True`` cells of ``alive``); see
    :func:`~equipoise.validate.rates.events_per_state_time`. History: new
    ATOP alliances over the state-years of the COW system (or of a cohort).

    Parameters
    ----------
    alliances : DataFrame
        Alliance spells with a ``start`` column.
    alive : bool array, shape (n_times, n_states)
    times : array-like, shape (n_times,), optional
        Time of each row (default ``0, 1, ...``).

    Returns
    -------
    float

    Examples
    --------
    >>> spells = pd.DataFrame({"start": [0, 0, 3], "end": [2, np.nan, 4]})
    >>> alliance_formation_rate(spells, np.ones((4, 3), dtype=bool))  # 3 in 12 state-steps
    0.25
    """
    check_alliance_spells(alliances)
    starts = pd.to_numeric(alliances["start"]).to_numpy(dtype=np.float64)
    return events_per_state_time(starts, alive, times)


def alliance_durations(
    alliances: pd.DataFrame, observed_until: float
) -> tuple[np.ndarray, np.ndarray]:
    """Observed durations and whether each ended (``False``: censored).

    An alliance ends at ``end`` if that is known and no later than
    ``observed_until``; otherwise it is censored at ``observed_until`` (still
    in force then, or ending after it).

    Parameters
    ----------
    alliances : DataFrame
        Alliance spells.
    observed_until : float
        The time observation stops (history: the end of the window; a
        simulation: the number of steps run).

    Returns
    -------
    (durations, ended) : (float array, bool array)

    Examples
    --------
    >>> spells = pd.DataFrame({"start": [0.0, 2.0, 5.0], "end": [4.0, np.nan, 12.0]})
    >>> durations, ended = alliance_durations(spells, observed_until=10.0)
    >>> durations.tolist(), ended.tolist()
    ([4.0, 8.0, 5.0], [True, False, False])
    """
    check_alliance_spells(alliances)
    if not np.isfinite(observed_until):
        raise ValueError(
            f"The 'observed_until' parameter must be a finite time. Got {observed_until!r} instead."
        )
    start = pd.to_numeric(alliances["start"]).to_numpy(dtype=np.float64)
    end = pd.to_numeric(alliances["end"]).to_numpy(dtype=np.float64, na_value=np.nan)
    if (start > observed_until).any():
        raise ValueError(
            "The 'alliances' table has an alliance starting after 'observed_until' "
            f"({observed_until!r})."
        )
    ended = np.isfinite(end) & (end <= observed_until)
    durations = np.where(ended, end, observed_until) - start
    return durations, ended


def _km_restricted_mean(durations: np.ndarray, ended: np.ndarray) -> float:
    """Area under the Kaplan-Meier survival curve up to the longest observed duration."""
    tau = float(durations.max())
    times = np.unique(durations[ended])
    survival = 1.0
    area = 0.0
    previous = 0.0
    for t in times:
        area += survival * (t - previous)
        at_risk = int((durations >= t).sum())
        events = int(((durations == t) & ended).sum())
        survival *= 1.0 - events / at_risk
        previous = float(t)
    return float(area + survival * (tau - previous))


def alliance_mean_duration(
    alliances: pd.DataFrame,
    observed_until: float,
    method: Literal["exponential", "kaplan-meier", "naive"] = "exponential",
) -> float:
    """Mean duration of alliances, with those still in force treated as censored.

    Alliances still in force when observation stops have not ended: their
    observed duration is a lower bound. ``method`` says how they enter the
    mean (one of :data:`DURATION_METHODS`):

    - ``"exponential"`` (default): the maximum-likelihood mean under a
      constant hazard of ending, total time in force (censored spells
      included) divided by the number of alliances that ended (Cox & Oakes
      1984). It uses the censored spells fully and is comparable between a
      window of history and a simulation of another length; it assumes the
      chance of ending does not change with age.
    - ``"kaplan-meier"``: the restricted mean, the area under the
      Kaplan-Meier survival curve up to the longest observed duration (Kaplan
      & Meier 1958): no assumption on the hazard, but it depends on that
      horizon and understates the mean when long alliances are censored.
    - ``"naive"``: the plain mean of observed durations, censored ones
      counted as if they ended when observation stopped: a lower bound.

    Parameters
    ----------
    alliances : DataFrame
        Alliance spells (``start``, ``end``; ``end`` missing when still in
        force).
    observed_until : float
        The time observation stops.
    method : {"exponential", "kaplan-meier", "naive"}

    Returns
    -------
    float
        ``nan`` for an empty table, and for ``"exponential"`` when no
        alliance has ended.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from
        incomplete observations. *JASA*, 53(282), 457-481.
    Cox, D. R., & Oakes, D. (1984). *Analysis of Survival Data*. Chapman &
        Hall.

    Examples
    --------
    Two alliances end after 2 and 4 years; one is still in force after 6:

    >>> spells = pd.DataFrame({"start": [0, 0, 0], "end": [2, 4, np.nan]})
    >>> alliance_mean_duration(spells, observed_until=6)  # (2 + 4 + 6) / 2 endings
    6.0
    >>> alliance_mean_duration(spells, observed_until=6, method="naive")
    4.0
    """
    if not isinstance(method, str) or method not in DURATION_METHODS:
        raise ValueError(
            f"The 'method' parameter must be one of {', '.join(DURATION_METHODS)}. "
            f"Got {method!r} instead."
        )
    durations, ended = alliance_durations(alliances, observed_until)
    if len(durations) == 0:
        return float("nan")
    if method == "naive":
        return float(durations.mean())
    if method == "kaplan-meier":
        return _km_restricted_mean(durations, ended)
    n_ended = int(ended.sum())
    return float(durations.sum() / n_ended) if n_ended else float("nan")
