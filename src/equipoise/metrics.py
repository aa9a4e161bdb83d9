"""Measures of the distribution of power, shared by simulations and history.

Every function here takes plain numpy arrays of capabilities (or shares) whose
**last axis indexes states**; any leading axes (replications, steps, years) are
kept. Nothing here knows about simulation objects, so the same code measures a
simulated system and the Correlates of War data (``equipoise.history``).

Dead states (or states outside the system in a given year) are marked by an
``alive`` mask of the same shape, or by a capability of ``nan``/``0``.

The covariate cells of dyad-years (:func:`dyad_cell`: land contiguity, capability
ratio bin, alliance, at war the year before) are shared the same way by the
kernel's dyad-year counts (:mod:`equipoise.rules.dyads`) and the record's
(:mod:`equipoise.validate.dyads`).

References
----------
Ray, J. L., & Singer, J. D. (1973). Measuring the concentration of power in the
    international system. *Sociological Methods & Research*, 1(4), 403-437.
    https://doi.org/10.1177/004912417300100401
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Niou, E. M. S., Ordeshook, P. C., & Rose, G. F. (1989). *The Balance of Power:
    Stability in International Systems*. Cambridge University Press.
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of
    interstate war, 1816-1965. *Journal of Conflict Resolution*, 36(2), 309-341.
    https://doi.org/10.1177/0022002792036002005
Organski, A. F. K., & Kugler, J. (1980). *The War Ledger*. University of Chicago Press.
Weede, E. (1976). Overwhelming preponderance as a pacifying condition among
    contiguous Asian dyads, 1950-1969. *Journal of Conflict Resolution*, 20(3),
    395-411. https://doi.org/10.1177/002200277602000302
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.integer]

__all__ = [
    "DYAD_CELL_FIELDS",
    "DYAD_RATIO_BINS",
    "DYAD_RATIO_EDGES",
    "N_DYAD_CELLS",
    "N_RATIO_BINS",
    "alive_count",
    "concentration",
    "concentration_from_hhi",
    "dyad_cell",
    "dyad_cell_fields",
    "first_difference_sd",
    "hegemony_spells",
    "hhi",
    "leader",
    "leader_share",
    "n_poles",
    "power_ratio_bin",
    "share_of_time_at_least",
    "shares",
    "wilson_interval",
]


def _alive_mask(capabilities: FloatArray, alive: BoolArray | None) -> BoolArray:
    present = np.isfinite(capabilities) & (capabilities > 0)
    return present if alive is None else present & alive


def shares(capabilities: FloatArray, alive: BoolArray | None = None) -> npt.NDArray[np.float64]:
    """Capability shares ``s_i = C_i / sum of alive C`` along the last axis.

    Parameters
    ----------
    capabilities : array, shape (..., n_states)
        Non-negative capabilities (any unit: simulated capability, CINC, ...).
    alive : bool array of the same shape, optional
        States in the system. States that are not alive, or whose capability is
        ``nan`` or ``0``, get share 0.

    Returns
    -------
    array of the same shape
        Shares that sum to 1 over alive states (``nan`` where no state is alive).

    Examples
    --------
    >>> shares(np.array([3.0, 1.0, 0.0]))
    array([0.75, 0.25, 0.  ])
    """
    caps = np.asarray(capabilities, dtype=np.float64)
    mask = _alive_mask(caps, alive)
    c = np.where(mask, caps, 0.0)
    total = c.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, c / total, np.nan)


def alive_count(capabilities: FloatArray, alive: BoolArray | None = None) -> IntArray:
    """Number of states in the system (alive, with positive capability)."""
    caps = np.asarray(capabilities, dtype=np.float64)
    return _alive_mask(caps, alive).sum(axis=-1)


def _finite(values: npt.ArrayLike, nan: float = 0.0) -> FloatArray:
    """``values`` as float64, NaN replaced by ``nan`` (as :func:`numpy.nan_to_num` does).

    Without a copy when all values are finite: a copy of a run's (replication, step,
    state) array of shares was the largest cost of computing its measures.
    """
    s = np.asarray(values, dtype=np.float64)
    if np.isfinite(s).all():
        return s
    return np.nan_to_num(s, nan=nan)


def hhi(share: FloatArray) -> FloatArray:
    """Herfindahl-Hirschman index ``sum s_i**2`` of shares along the last axis."""
    s = _finite(share)
    return np.einsum("...i,...i->...", s, s)


def concentration(share: FloatArray, n: IntArray | None = None) -> FloatArray:
    """Ray-Singer concentration index CON.

    ``CON = sqrt((sum s_i**2 - 1/N) / (1 - 1/N))``, in [0, 1]: 0 when power is
    spread equally, 1 when one state holds all of it (Ray & Singer 1973).

    Parameters
    ----------
    share : array, shape (..., n_states)
        Shares summing to 1 over the states in the system.
    n : int array, shape (...), optional
        Number of states in the system (default: states with a positive share).
        A lone surviving state is full concentration (CON = 1); with no state
        alive CON is ``nan``.

    Examples
    --------
    >>> float(concentration(np.array([0.25, 0.25, 0.25, 0.25])))
    0.0
    >>> float(concentration(np.array([1.0, 0.0, 0.0])))
    1.0
    """
    s = _finite(share)
    if n is None:
        n = (s > 0).sum(axis=-1)
    return concentration_from_hhi(hhi(s), n)


def concentration_from_hhi(h: FloatArray, n: IntArray) -> FloatArray:
    """Ray-Singer CON from a Herfindahl-Hirschman index and the number of states.

    The second half of :func:`concentration`, for callers that have the HHI
    already (the engine's recorder): ``sqrt((h - 1/n) / (1 - 1/n))``, 1 for a
    lone state and ``nan`` for an empty system.

    Parameters
    ----------
    h : array
        ``sum s_i**2`` of each system.
    n : int array of the same shape
        Number of states in each system.

    Examples
    --------
    >>> float(concentration_from_hhi(np.array(0.25), np.array(4)))
    0.0
    """
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(n > 0, 1.0 / n, np.nan)
        con = np.sqrt(np.clip((h - inv) / (1.0 - inv), 0.0, 1.0))
    return np.where(n == 1, 1.0, np.where(n >= 2, con, np.nan))


def leader(share: FloatArray) -> IntArray:
    """Index of the state with the largest share along the last axis."""
    return np.argmax(_finite(share, nan=-1.0), axis=-1)


def leader_share(share: FloatArray) -> FloatArray:
    """Largest share along the last axis (``nan`` where no state is alive)."""
    return np.fmax.reduce(np.asarray(share, dtype=np.float64), axis=-1)


def n_poles(share: FloatArray, pole_threshold: float = 0.1) -> IntArray:
    """Number of poles: states holding at least ``pole_threshold`` of capabilities.

    Waltz (1979) counts great powers by their capabilities; a fixed share
    threshold is the common operationalisation. With the default 0.1 a system of
    ten equal states is multipolar with ten poles, a 0.5/0.5 system is bipolar.
    """
    if not 0.0 < pole_threshold <= 1.0:
        raise ValueError(
            f"The 'pole_threshold' parameter must be in (0, 1]. Got {pole_threshold!r} instead."
        )
    s = _finite(share)
    return (s >= pole_threshold).sum(axis=-1)


def hegemony_spells(
    leader_index: IntArray,
    leader_share_series: FloatArray,
    hegemony_threshold: float = 0.5,
    hegemony_duration: int = 1,
) -> dict[str, np.ndarray]:
    """Detect hegemony in time series of the leader and its share.

    Hegemony is a single state holding a share of at least
    ``hegemony_threshold`` for ``hegemony_duration`` consecutive steps; with
    more than half of all resources a state can defeat every coalition of the
    others (Niou, Ordeshook & Rose 1989).

    Parameters
    ----------
    leader_index : int array, shape (..., n_steps)
        Leading state at each step.
    leader_share_series : array, shape (..., n_steps)
        Its share at each step.
    hegemony_threshold : float
        Share at or above which the leader is a would-be hegemon.
    hegemony_duration : int
        Consecutive steps the same state must hold it.

    Returns
    -------
    dict of arrays, each of shape (...)
        ``onset``: first step at which hegemony is established (the step the
        run of ``hegemony_duration`` steps is completed), ``-1`` if never;
        ``hegemon``: the state (``-1`` if none); ``steps``: number of steps
        during which an established hegemony held.

    Examples
    --------
    >>> out = hegemony_spells(np.array([0, 0, 0, 0]), np.array([0.4, 0.6, 0.7, 0.8]), 0.5, 2)
    >>> int(out["onset"]), int(out["hegemon"]), int(out["steps"])
    (2, 0, 2)
    """
    if hegemony_duration < 1:
        raise ValueError(
            "The 'hegemony_duration' parameter must be an int >= 1. "
            f"Got {hegemony_duration!r} instead."
        )
    lead = np.asarray(leader_index)
    above = _finite(leader_share_series) >= hegemony_threshold
    n_steps = lead.shape[-1]
    streak = np.zeros(lead.shape[:-1], dtype=np.int64)
    onset = np.full(lead.shape[:-1], -1, dtype=np.int64)
    hegemon = np.full(lead.shape[:-1], -1, dtype=np.int64)
    steps = np.zeros(lead.shape[:-1], dtype=np.int64)
    prev = np.full(lead.shape[:-1], -1, dtype=lead.dtype if lead.size else np.int64)
    for t in range(n_steps):
        same = above[..., t] & (lead[..., t] == prev)
        streak = np.where(above[..., t], np.where(same, streak + 1, 1), 0)
        prev = np.where(above[..., t], lead[..., t], -1)
        established = streak >= hegemony_duration
        new = established & (onset < 0)
        onset = np.where(new, t, onset)
        hegemon = np.where(new, lead[..., t], hegemon)
        steps = steps + established
    return {"onset": onset, "hegemon": hegemon, "steps": steps}


def wilson_interval(
    successes: int | np.ndarray, trials: int | np.ndarray, z: float = 1.959963984540054
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion (95% by default).

    Better behaved than the normal approximation near 0 and 1, which is where
    hegemony rates often sit (Wilson 1927, *JASA* 22(158)).

    Examples
    --------
    >>> lo, hi = wilson_interval(0, 100)
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.037)
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(trials, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1.0 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    high = np.where(k >= n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low[()], high[()]


def first_difference_sd(series: FloatArray) -> FloatArray:
    """Standard deviation of the step-to-step changes of a time series (last axis).

    The year-to-year variation of a measure such as Ray-Singer CON: the sample
    standard deviation (``ddof=1``) of ``x[t] - x[t-1]`` along the last axis.
    Changes touching a ``nan`` (a step with no value) are left out; fewer than
    two changes give ``nan``. Unlike the standard deviation of the level, it
    does not grow with slow trends, so a system that drifts smoothly and one
    that jumps from year to year are told apart.

    Parameters
    ----------
    series : array, shape (..., n_steps)
        One time series per leading index (replications, ...).

    Returns
    -------
    array, shape (...)

    Examples
    --------
    >>> float(first_difference_sd(np.array([1.0, 2.0, 3.0, 4.0])))  # a steady trend
    0.0
    >>> round(float(first_difference_sd(np.array([0.1, 0.3, 0.1, 0.3]))), 4)
    0.2309
    """
    x = np.asarray(series, dtype=np.float64)
    d = np.diff(x, axis=-1)
    n = np.isfinite(d).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sd = np.nanstd(d, axis=-1, ddof=1)
    return np.where(n >= 2, sd, np.nan)[()]


def share_of_time_at_least(series: FloatArray, threshold: float) -> FloatArray:
    """Share of the steps of a time series (last axis) at or above ``threshold``.

    With the leader's capability share as ``series`` and thresholds 1/3 and 1/2,
    the share of years in which the leading power holds a third (Levy &
    Thompson 2005) or half (Niou, Ordeshook & Rose 1989) of capabilities. Steps
    whose value is ``nan`` are left out of numerator and denominator; with no
    finite step the result is ``nan``.

    Parameters
    ----------
    series : array, shape (..., n_steps)
    threshold : float

    Returns
    -------
    array, shape (...)

    Examples
    --------
    >>> float(share_of_time_at_least(np.array([0.2, 0.4, 0.6, np.nan]), 1 / 3))
    0.6666666666666666
    """
    x = np.asarray(series, dtype=np.float64)
    finite = np.isfinite(x)
    n = finite.sum(axis=-1)
    hits = (finite & (np.where(finite, x, -np.inf) >= threshold)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, hits / np.where(n > 0, n, 1), np.nan)[()]


# --------------------------------------------------------------------------- dyad-year cells
# The covariate cells of dyad-years, shared by the kernel's counts (equipoise.rules.dyads, which
# defines what a simulated dyad-year and onset are) and the record's (equipoise.validate.dyads).
# Land contiguity and alliance are flags; the capability ratio (stronger over weaker) is binned
# at parity (below 1.25: the weaker holds at least 80% of the stronger's capability; Organski &
# Kugler 1980) and at Bremer's (1992) thresholds of 3 and 10 (10:1 is Weede's 1976
# "overwhelming preponderance"); at_war flags a dyad at war in the previous year.

#: Lower edges of the capability-ratio bins above the first (stronger share / weaker share).
DYAD_RATIO_EDGES: tuple[float, float, float] = (1.25, 3.0, 10.0)
#: Names of the capability-ratio bins, in order.
DYAD_RATIO_BINS: tuple[str, ...] = ("parity", "small", "medium", "preponderance")
#: The covariates of a cell, in the order of :func:`dyad_cell_fields`.
DYAD_CELL_FIELDS: tuple[str, ...] = ("contiguous", "ratio_bin", "allied", "at_war")
#: Number of capability-ratio bins.
N_RATIO_BINS = len(DYAD_RATIO_BINS)
#: Cells: contiguous (2) x ratio bin (4) x allied (2) x at war (2).
N_DYAD_CELLS = 2 * N_RATIO_BINS * 2 * 2


def power_ratio_bin(ratio: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Bin of a capability ratio (stronger over weaker, >= 1; ``inf`` when the weaker has none).

    Examples
    --------
    >>> power_ratio_bin([1.0, 1.25, 2.9, 3.0, 9.99, 10.0, np.inf]).tolist()
    [0, 1, 1, 2, 2, 3, 3]
    """
    r = np.asarray(ratio, dtype=np.float64)
    out = np.zeros(r.shape, dtype=np.int64)
    for edge in DYAD_RATIO_EDGES:
        out += r >= edge
    return out


def dyad_cell(
    contiguous: npt.ArrayLike, ratio: npt.ArrayLike, allied: npt.ArrayLike, at_war: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """The cell of each dyad-year (0 to ``N_DYAD_CELLS - 1``), from its covariates (vectorised).

    ``((contiguous * 4 + power_ratio_bin(ratio)) * 2 + allied) * 2 + at_war``, each flag 0 or 1.

    Examples
    --------
    >>> dyad_cell([0, 1], [1.0, 12.0], [0, 1], [0, 0]).tolist()
    [0, 30]
    """
    c = np.asarray(contiguous).astype(bool).astype(np.int64)
    a = np.asarray(allied).astype(bool).astype(np.int64)
    w = np.asarray(at_war).astype(bool).astype(np.int64)
    b = power_ratio_bin(ratio)
    return np.asarray(((c * N_RATIO_BINS + b) * 2 + a) * 2 + w, dtype=np.int64)


def dyad_cell_fields(cell: npt.ArrayLike) -> dict[str, npt.NDArray[np.int64]]:
    """The covariates of cells (the inverse of :func:`dyad_cell`): ``DYAD_CELL_FIELDS`` -> arrays.

    Examples
    --------
    >>> {k: v.tolist() for k, v in dyad_cell_fields([30]).items()}
    {'contiguous': [1], 'ratio_bin': [3], 'allied': [1], 'at_war': [0]}
    """
    c = np.asarray(cell, dtype=np.int64)
    nb = N_RATIO_BINS
    return {
        "contiguous": c // (nb * 4),
        "ratio_bin": (c // 4) % nb,
        "allied": (c // 2) % 2,
        "at_war": c % 2,
    }
