"""Rates per state-year: events begun in a window, and state deaths.

The time axis is a **membership matrix** ``alive`` of shape
``(n_times, n_states)``: row ``t`` covers the unit interval
``[times[t], times[t] + 1)`` (a year in history, a step in a simulation) and
``alive[t, i]`` says whether state ``i`` is in the system then. Its ``True``
cells are the state-time at risk (state-years, state-steps), the denominator
of every rate here.

References
----------
Fazal, T. M. (2007). *State Death: The Politics and Geography of Conquest,
    Occupation, and Annexation*. Princeton University Press.
Correlates of War Project (2017). State System Membership List, v2016.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["events_per_state_time", "state_death_rate", "state_deaths"]


def _shown(value: object) -> str:
    """``repr`` of a value, numpy scalars shown as the Python number they hold."""
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def _alive(alive: npt.ArrayLike) -> np.ndarray:
    a = np.asarray(alive)
    if a.ndim != 2:
        raise ValueError(
            "The 'alive' parameter must be a (time x states) matrix of booleans. "
            f"Got {a.ndim} dimension(s) instead."
        )
    if a.dtype != bool:
        if not np.isin(a, (0, 1)).all():
            raise ValueError("The 'alive' parameter must hold booleans (or 0/1).")
        a = a.astype(bool)
    return a


def _times(alive: np.ndarray, times: npt.ArrayLike | None) -> np.ndarray:
    t = (
        np.arange(alive.shape[0], dtype=np.float64)
        if times is None
        else np.asarray(times, dtype=np.float64)
    )
    if t.shape != (alive.shape[0],):
        raise ValueError(
            f"The 'times' parameter must have one entry per row of 'alive' ({alive.shape[0]}). "
            f"Got shape {t.shape} instead."
        )
    if len(t) > 1 and not (np.diff(t) > 0).all():
        raise ValueError("The 'times' parameter must be increasing.")
    return t


def events_per_state_time(
    starts: npt.ArrayLike, alive: npt.ArrayLike, times: npt.ArrayLike | None = None
) -> float:
    """Events begun in the window of ``alive`` per unit of state-time at risk.

    An event counts when its start lies in ``[times[0], times[-1] + 1)``; the
    exposure is the number of ``True`` cells of ``alive`` (state-years,
    state-steps). ``nan`` with no exposure.

    Parameters
    ----------
    starts : array-like
        Start time of each event (may be fractional, e.g. a date as a year).
    alive : bool array, shape (n_times, n_states)
        Which states are in the system at each time.
    times : array-like, shape (n_times,), optional
        Time of each row (default ``0, 1, ...``).

    Returns
    -------
    float

    Examples
    --------
    >>> events_per_state_time([0, 1, 1, 5], np.ones((3, 2), dtype=bool))  # 3 of 4 in window
    0.5
    """
    a = _alive(alive)
    t = _times(a, times)
    s = np.asarray(starts, dtype=np.float64).ravel()
    if np.isnan(s).any():
        raise ValueError("The 'starts' parameter must not hold missing values.")
    exposure = int(a.sum())
    if exposure == 0:
        return float("nan")
    inside = (s >= t[0]) & (s < t[-1] + 1)
    return float(inside.sum() / exposure)


def state_deaths(alive: npt.ArrayLike) -> tuple[int, int]:
    """Deaths (exits from the system) and the state-time at risk of dying.

    A death is a state alive in row ``t - 1`` and not in row ``t``; the
    state-time at risk is the number of ``True`` cells in rows ``0 ... n-2``
    (a state alive in the last row may still die, but not within the window).
    A state that leaves and comes back dies each time it leaves; to count
    only first exits, make death absorbing in ``alive`` (as a simulation
    does, and as :func:`~equipoise.validate.history.historical_inputs` does
    for its cohorts).

    Parameters
    ----------
    alive : bool array, shape (n_times, n_states)

    Returns
    -------
    (int, int)
        ``(deaths, at_risk)``.

    Examples
    --------
    >>> state_deaths(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=bool))
    (2, 5)
    """
    a = _alive(alive)
    if a.shape[0] < 2:
        return 0, 0
    deaths = int((a[:-1] & ~a[1:]).sum())
    return deaths, int(a[:-1].sum())


def state_death_rate(alive: npt.ArrayLike) -> float:
    """State deaths per state-year (per state-step) at risk.

    Exits from system membership divided by the state-time at risk (see
    :func:`state_deaths`); ``nan`` with no state-time at risk. In history the
    exits are those of COW system membership (conquest, occupation,
    unification, dissolution; Fazal 2007 counts most of them as violent);
    in a simulation, eliminations. Entry is not counted: compare like with
    like by passing a membership matrix without entrants (a cohort, see
    ``docs/history.md``).

    Parameters
    ----------
    alive : bool array, shape (n_times, n_states)

    Returns
    -------
    float

    References
    ----------
    Fazal, T. M. (2007). *State Death*. Princeton University Press.

    Examples
    --------
    >>> state_death_rate(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=bool))
    0.4
    """
    deaths, at_risk = state_deaths(alive)
    return float(deaths / at_risk) if at_risk else float("nan")
