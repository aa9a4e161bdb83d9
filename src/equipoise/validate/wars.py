"""Stylized facts of war: the size distribution, onsets per state-year, multiparty wars.

Every function takes a plain **war table**: a DataFrame with one row per war and
the columns

``start``
    time the war began (a year in history, a step in a simulation);
``end``
    time it ended;
``participants``
    number of states that took part (``>= 2``);
``size``
    its size (> 0): battle deaths in history, a share of the system's total
    capability at onset in a simulation.

Only the columns a function needs must be present. Sizes in different units
can be compared through the statistics here, because both tail measures are
scale-free: multiplying every size by a constant leaves the slope and the
exponent unchanged (and moves ``x_min`` by the same constant).

References
----------
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *American Political Science Review*, 97(1), 135-150.
    https://doi.org/10.1017/S0003055403000571
Clauset, A., Shalizi, C. R., & Newman, M. E. J. (2009). Power-law
    distributions in empirical data. *SIAM Review*, 51(4), 661-703.
    https://doi.org/10.1137/070710111
Alstott, J., Bullmore, E., & Plenz, D. (2014). powerlaw: a Python package for
    analysis of heavy-tailed distributions. *PLoS ONE*, 9(1), e85777.
    https://doi.org/10.1371/journal.pone.0085777
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from equipoise.validate.rates import _shown, events_per_state_time

__all__ = [
    "MIN_TAIL_FIT",
    "PowerLawTail",
    "WarSizeSlope",
    "check_war_table",
    "multiparty_share",
    "war_onset_rate",
    "war_size_slope",
    "war_size_tail",
]

#: Fewer sizes than this give a power-law fit of ``nan`` (not an error): a
#: replication with a handful of wars has no tail to measure.
MIN_TAIL_FIT = 10


def _sizes(sizes: npt.ArrayLike | pd.Series | pd.DataFrame) -> np.ndarray:
    """Sizes as a 1-d float array; a war table gives its ``size`` column."""
    if isinstance(sizes, pd.DataFrame):
        check_war_table(sizes, ("size",))
        sizes = sizes["size"]
    x = np.asarray(pd.to_numeric(pd.Series(np.ravel(sizes)), errors="coerce"), dtype=np.float64)
    bad = ~np.isfinite(x) | (x <= 0)
    if bad.any():
        raise ValueError(
            "The 'sizes' parameter must hold finite sizes > 0. "
            f"Got {_shown(np.ravel(sizes)[int(np.argmax(bad))])} at position {int(np.argmax(bad))}."
        )
    return x


def check_war_table(wars: pd.DataFrame, columns: Sequence[str]) -> None:
    """Raise a one-line ``ValueError`` unless ``wars`` is a war table with ``columns``.

    Parameters
    ----------
    wars : DataFrame
        A war table (module docstring).
    columns : sequence of str
        The columns the caller needs.
    """
    if not isinstance(wars, pd.DataFrame):
        raise ValueError(
            f"The 'wars' parameter must be a DataFrame. Got {type(wars).__name__} instead."
        )
    missing = [c for c in columns if c not in wars.columns]
    if missing:
        raise ValueError(
            f"The 'wars' table must have the column(s) {', '.join(columns)}; "
            f"missing: {', '.join(missing)}."
        )
    for c in columns:
        values = pd.to_numeric(wars[c], errors="coerce")
        if values.isna().any():
            row = int(np.argmax(values.isna().to_numpy()))
            raise ValueError(
                f"The 'wars' table has a missing or non-numeric {c!r} in row {row}: "
                f"{_shown(wars[c].iloc[row])}."
            )
    if "participants" in columns and (pd.to_numeric(wars["participants"]) < 2).any():
        row = int(np.argmax((pd.to_numeric(wars["participants"]) < 2).to_numpy()))
        raise ValueError(
            f"The 'wars' table has fewer than 2 participants in row {row}; "
            "a war has at least two sides."
        )


@dataclass(frozen=True)
class WarSizeSlope:
    """Cederman's (2003) fit of the cumulative war-size distribution.

    Attributes
    ----------
    slope : float
        OLS slope ``b`` of ``log10 P(S >= s) = a + b log10 s``.
    se : float
        Its ordinary least-squares standard error. Points of an empirical
        cumulative distribution are not independent, so this understates the
        uncertainty (Clauset, Shalizi & Newman 2009); compare it with the
        maximum-likelihood fit of :func:`war_size_tail`.
    intercept : float
        ``a``.
    r_squared : float
    n : int
        Number of wars (points).
    """

    slope: float
    se: float
    intercept: float
    r_squared: float
    n: int

    def as_dict(self) -> dict[str, float]:
        """The fields as a dict (counts stay ints)."""
        return {k: v if isinstance(v, int) else float(v) for k, v in asdict(self).items()}


def war_size_slope(sizes: npt.ArrayLike | pd.Series | pd.DataFrame) -> WarSizeSlope:
    """Cederman's OLS slope of the war-size distribution on log-log axes.

    Cederman (2003) plots the cumulative distribution of war sizes,
    ``P(S > s)``, on log-log axes and fits a straight line by least squares:
    ``log10 P(S > s) = a + b log10 s``; a power law is a straight line, and for
    COW inter-state wars 1820-1997 he reports ``b = -0.41`` (97 wars, an older
    COW version). Here every war is one point ``(log10 s_i, log10 P_i)`` with
    ``P_i`` the share of wars at least as large as ``s_i`` (the empirical
    complementary cumulative distribution; tied sizes share one value, and the
    largest war has ``P = 1/n``, so no point is lost to ``log 0``). All wars
    are used, not only a tail.

    Parameters
    ----------
    sizes : array-like or war table
        War sizes (> 0), or a war table whose ``size`` column is used.

    Returns
    -------
    WarSizeSlope
        ``nan`` fields when there are fewer than three distinct sizes.

    References
    ----------
    Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
        sandpiles. *American Political Science Review*, 97(1), 135-150.

    Examples
    --------
    The ``i``-th largest of ten sizes ``(10 / i)^2`` has ``P(S >= s) = i / 10
    = s^-0.5``, a straight line of slope -0.5:

    >>> fit = war_size_slope((10 / np.arange(1, 11)) ** 2)
    >>> round(fit.slope, 6), round(fit.r_squared, 6), fit.n
    (-0.5, 1.0, 10)
    """
    x = _sizes(sizes)
    n = len(x)
    if len(np.unique(x)) < 3:
        return WarSizeSlope(np.nan, np.nan, np.nan, np.nan, n)
    ordered = np.sort(x)
    at_least = n - np.searchsorted(ordered, x, side="left")  # wars with S >= s_i
    fit = stats.linregress(np.log10(x), np.log10(at_least / n))
    return WarSizeSlope(
        slope=float(fit.slope),
        se=float(fit.stderr),
        intercept=float(fit.intercept),
        r_squared=float(fit.rvalue**2),
        n=n,
    )


@dataclass(frozen=True)
class PowerLawTail:
    """A power-law fit to the tail of a size distribution (Clauset et al. 2009).

    Attributes
    ----------
    alpha : float
        Exponent of the density ``p(s) ~ s^-alpha`` for ``s >= x_min``
        (maximum likelihood, continuous). The slope of the complementary
        cumulative distribution in the tail is ``1 - alpha``.
    se : float
        Standard error of ``alpha``, ``(alpha - 1) / sqrt(n_tail)``.
    xmin : float
        Lower bound of the power-law region, chosen to minimise the
        Kolmogorov-Smirnov distance between the data above it and the fit.
    n_tail : int
        Sizes at or above ``xmin``.
    ks_distance : float
        That minimal Kolmogorov-Smirnov distance ``D``.
    loglik_ratio : float
        ``R``, the log-likelihood ratio of the power law against a log-normal
        fitted to the same tail: positive favours the power law.
    normalized_ratio : float
        ``R / (sigma sqrt(n_tail))``, the normalised ratio (Vuong's statistic).
    p_value : float
        Significance of the sign of ``R`` (Vuong's test, two-sided): above
        about 0.1 the data cannot tell the two apart.
    n : int
        Number of sizes.
    """

    alpha: float
    se: float
    xmin: float
    n_tail: int
    ks_distance: float
    loglik_ratio: float
    normalized_ratio: float
    p_value: float
    n: int

    def as_dict(self) -> dict[str, float]:
        """The fields as a dict (counts stay ints)."""
        return {k: v if isinstance(v, int) else float(v) for k, v in asdict(self).items()}


def war_size_tail(
    sizes: npt.ArrayLike | pd.Series | pd.DataFrame,
    xmin: float | None = None,
    *,
    lognormal: bool = True,
) -> PowerLawTail:
    """Power-law exponent of the war-size tail, with the test against the log-normal.

    Fits ``p(s) ~ s^-alpha`` above ``x_min`` with the ``powerlaw`` package
    (Alstott, Bullmore & Plenz 2014), which implements Clauset, Shalizi &
    Newman (2009): ``alpha`` by maximum likelihood (continuous: war sizes are
    counts in the thousands or shares of capability), ``x_min`` by the
    smallest Kolmogorov-Smirnov distance between the data above it and the
    fitted law, and the likelihood-ratio (Vuong) test of the power law against
    a log-normal fitted to the same tail. A power law is only plausible if
    the log-normal is not significantly better (``R < 0`` with a small
    ``p_value``); a tail often cannot tell them apart.

    Parameters
    ----------
    sizes : array-like or war table
        War sizes (> 0), or a war table whose ``size`` column is used.
    xmin : float, optional
        Fix ``x_min`` instead of choosing it by the KS distance.
    lognormal : bool
        Run the likelihood-ratio test against the log-normal (the slow part
        of the fit); with ``False`` its three fields are ``nan``.

    Returns
    -------
    PowerLawTail
        All ``nan`` (``n`` and ``n_tail`` aside) with fewer than
        :data:`MIN_TAIL_FIT` sizes.

    References
    ----------
    Clauset, A., Shalizi, C. R., & Newman, M. E. J. (2009). Power-law
        distributions in empirical data. *SIAM Review*, 51(4), 661-703.
    Alstott, J., Bullmore, E., & Plenz, D. (2014). powerlaw: a Python package
        for analysis of heavy-tailed distributions. *PLoS ONE*, 9(1), e85777.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> fit = war_size_tail(rng.pareto(1.5, 500) + 1)  # density exponent 2.5, x_min 1
    >>> bool(abs(fit.alpha - 2.5) < 2 * fit.se), fit.n
    (True, 500)
    """
    x = _sizes(sizes)
    n = len(x)
    if n < MIN_TAIL_FIT or len(np.unique(x)) < 3:
        nan = np.nan
        return PowerLawTail(nan, nan, nan, 0, nan, nan, nan, nan, n)
    if xmin is not None and not (np.isfinite(xmin) and xmin > 0):
        raise ValueError(f"The 'xmin' parameter must be a finite number > 0. Got {xmin!r} instead.")
    import powerlaw  # imports matplotlib: only when a fit is asked for

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            fit = powerlaw.Fit(x, discrete=False, xmin=xmin, verbose=0)
            tail = fit.power_law
            ratio = normalized = p = np.nan
            if lognormal:
                ratio, p = fit.distribution_compare("power_law", "lognormal")
                normalized, _ = fit.distribution_compare(
                    "power_law", "lognormal", normalized_ratio=True
                )
            return PowerLawTail(
                alpha=float(tail.alpha),
                se=float(tail.standard_err),
                xmin=float(fit.xmin),
                n_tail=int(fit.n),
                ks_distance=float(tail.D),
                loglik_ratio=float(ratio),
                normalized_ratio=float(normalized),
                p_value=float(p),
                n=n,
            )


def war_onset_rate(
    wars: pd.DataFrame, alive: npt.ArrayLike, times: npt.ArrayLike | None = None
) -> float:
    """Wars begun per state-year (per state-step in a simulation).

    The number of wars whose ``start`` lies in the window covered by
    ``alive`` (see :func:`events_per_state_time`), divided by the state-time
    at risk (the ``True`` cells of ``alive``). History: COW inter-state wars
    over the state-years of the COW system (or of a cohort); simulation: the
    wars of one replication over its alive state-steps.

    Parameters
    ----------
    wars : DataFrame
        A war table with a ``start`` column.
    alive : bool array, shape (n_times, n_states)
    times : array-like, shape (n_times,), optional
        Time of each row (default ``0, 1, ...``).

    Returns
    -------
    float

    Examples
    --------
    >>> wars = pd.DataFrame({"start": [1, 2, 2]})
    >>> war_onset_rate(wars, np.ones((4, 3), dtype=bool))  # 3 wars in 12 state-steps
    0.25
    """
    check_war_table(wars, ("start",))
    return events_per_state_time(wars["start"].to_numpy(dtype=np.float64), alive, times)


def multiparty_share(wars: pd.DataFrame) -> float:
    """Share of wars with more than two participants.

    Most wars are dyadic; the share fought by three or more states measures
    how far wars spread through alliances and intervention (the contagion of
    Cederman 2003). ``nan`` for an empty table.

    Parameters
    ----------
    wars : DataFrame
        A war table with a ``participants`` column.

    Returns
    -------
    float

    Examples
    --------
    >>> multiparty_share(pd.DataFrame({"participants": [2, 2, 3, 5]}))
    0.5
    """
    check_war_table(wars, ("participants",))
    if len(wars) == 0:
        return float("nan")
    return float((pd.to_numeric(wars["participants"]).to_numpy() > 2).mean())
