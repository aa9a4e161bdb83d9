"""Learned summaries and regression adjustment: ABC that uses what the statistics carry.

A calibration's distance adds up a hundred statistics, each scaled by its spread. Most of
them say little about any one parameter, and their noise swamps the few that say much: the
accepted particles then span nearly the whole prior although the statistics, taken
together, would tell the parameters apart (``scripts/identifiability_system.py`` measures
both, docs/calibrate.md). Two standard remedies:

- **Semi-automatic summaries** (Fearnhead & Prangle 2012): regress each parameter on the
  statistics over a sample from the prior; the fitted values, one per parameter, estimate
  its posterior mean and are the summaries the distance compares
  (:class:`SummaryProjection`). A statistic that can be undefined (no war to measure) enters
  with an indicator of its absence.
- **Regression adjustment** (Beaumont, Zhang & Balding 2002): of the particles nearest the
  observed summaries, weighted by an Epanechnikov kernel of their distance (its bandwidth
  the distance of the nearest run not kept), regress the parameters on the summaries and
  move each particle along the fitted plane to the observed summaries
  (:func:`adjusted_posterior`). What the tolerance lets through is corrected to
  first order; an adjusted value beyond a prior's bound is set to the bound.

Parameters are handled on the unit scale (0 and 1 at a prior's bounds). The functions are
deterministic and pure numpy, so a sample from the prior (a reference table) simulated on
any number of workers gives the same posterior.

References
----------
Beaumont, M. A., Zhang, W., & Balding, D. J. (2002). Approximate Bayesian computation in
    population genetics. Genetics, 162(4), 2025-2035.
Fearnhead, P., & Prangle, D. (2012). Constructing summary statistics for approximate
    Bayesian computation: semi-automatic approximate Bayesian computation. Journal of the
    Royal Statistical Society B, 74(3), 419-474.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["AdjustedSample", "SummaryProjection", "adjusted_posterior"]


def _matrix(values: np.ndarray, name: str) -> np.ndarray:
    out = np.asarray(values, dtype=np.float64)
    if out.ndim != 2 or out.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty two-dimensional array.")
    return out


def _features(
    statistics: np.ndarray, centre: np.ndarray, scale: np.ndarray, indicated: np.ndarray
) -> np.ndarray:
    """The regression's inputs, one row per run.

    1, the standardised statistics (0 where undefined) and an indicator of absence for
    each ``indicated`` statistic.
    """
    z = (statistics - centre) / scale
    absent = ~np.isfinite(z)
    return np.column_stack([np.ones(len(z)), np.where(absent, 0.0, z), absent[:, indicated]])


@dataclass(frozen=True)
class SummaryProjection:
    """Statistics -> one summary per parameter: a ridge regression fitted on a pilot sample.

    Attributes
    ----------
    centre, scale : ndarray
        Each statistic's mean and standard deviation over the pilot (scale 1 where constant).
    indicated : ndarray of bool
        The statistics undefined in some pilot run: each has an indicator of its absence.
    coef : ndarray
        Regression coefficients, (1 + statistics + indicators, parameters).
    spread : ndarray
        Each summary's standard deviation over the pilot: the distance's scale.
    """

    centre: np.ndarray
    scale: np.ndarray
    indicated: np.ndarray
    coef: np.ndarray
    spread: np.ndarray

    @classmethod
    def fit(
        cls,
        units: np.ndarray,
        statistics: np.ndarray,
        ridge: float = 1.0,
        nullable: np.ndarray | None = None,
    ) -> SummaryProjection:
        """Fit on a pilot: ``units`` (runs, parameters) in [0, 1], ``statistics`` (runs, stats).

        ``ridge`` is the penalty on the standardised coefficients (the intercept is not
        penalised); it keeps the fit stable when statistics are nearly collinear (the
        capability shares of one state in neighbouring decades). A statistic undefined
        (``nan`` or infinite) in some pilot run, or marked in ``nullable`` (a boolean per
        statistic: those a run may leave undefined), gets an indicator of its absence.
        """
        units = _matrix(units, "units")
        statistics = _matrix(statistics, "statistics")
        if len(units) != len(statistics):
            raise ValueError("units and statistics must have one row per run each.")
        if len(units) < 2 * (statistics.shape[1] + 1):
            raise ValueError(
                f"A pilot of {len(units)} runs is too small for {statistics.shape[1]} "
                "statistics: it needs at least twice as many runs as statistics."
            )
        if not ridge >= 0:
            raise ValueError(f"The ridge penalty must be >= 0. Got {ridge!r}.")
        statistics = np.where(np.isfinite(statistics), statistics, np.nan)  # inf: undefined
        finite = np.isfinite(statistics)
        with np.errstate(invalid="ignore"):
            centre = np.where(finite.any(axis=0), np.nanmean(statistics, axis=0), 0.0)
            scale = np.where(finite.sum(axis=0) > 1, np.nanstd(statistics, axis=0), 0.0)
        scale = np.where(scale > 0, scale, 1.0)
        indicated = ~finite.all(axis=0)
        if nullable is not None:
            indicated |= np.asarray(nullable, dtype=bool)
        x = _features(statistics, centre, scale, indicated)
        penalty = ridge * np.eye(x.shape[1])
        penalty[0, 0] = 0.0
        coef = np.linalg.solve(x.T @ x + penalty, x.T @ units)
        fitted = x @ coef
        spread = fitted.std(axis=0)
        return cls(centre, scale, indicated, coef, np.where(spread > 0, spread, 1.0))

    def __call__(self, statistics: np.ndarray) -> np.ndarray:
        """The summaries of ``statistics`` (runs, stats) or of one run (stats,)."""
        stats = np.asarray(statistics, dtype=np.float64)
        one = stats.ndim == 1
        x = _features(np.atleast_2d(stats), self.centre, self.scale, self.indicated)
        out = x @ self.coef
        return out[0] if one else out


@dataclass(frozen=True)
class AdjustedSample:
    """A weighted posterior sample on the unit scale, from :func:`adjusted_posterior`.

    ``units`` (particles, parameters) are the adjusted values, ``weights`` their
    Epanechnikov weights (summing to 1), ``accepted`` the rows of the reference table they
    came from, ``distances`` their distances to the observed summaries and ``tolerance``
    the farthest one's.
    """

    units: np.ndarray
    weights: np.ndarray
    accepted: np.ndarray
    distances: np.ndarray
    tolerance: float

    def interval(self, level: float = 0.9) -> np.ndarray:
        """The central ``level`` interval of each parameter: (2, parameters)."""
        from equipoise.calibrate.posterior import weighted_quantile

        tail = (1 - level) / 2
        return np.array(
            [
                [weighted_quantile(col, self.weights, q) for col in self.units.T]
                for q in (tail, 1 - tail)
            ]
        )


def adjusted_posterior(
    units: np.ndarray,
    summaries: np.ndarray,
    observed: np.ndarray,
    spread: np.ndarray,
    *,
    accept: int,
    adjust: bool = True,
) -> AdjustedSample:
    """Rejection ABC on learned summaries, with Beaumont et al.'s regression adjustment.

    Parameters
    ----------
    units : ndarray
        The reference table's parameters on the unit scale (runs, parameters), drawn from
        the prior.
    summaries : ndarray
        Their summaries (runs, parameters): a :class:`SummaryProjection` of their
        statistics, fitted on other runs.
    observed : ndarray
        The observed summaries (parameters,).
    spread : ndarray
        The summaries' scales (:attr:`SummaryProjection.spread`).
    accept : int
        How many of the nearest runs to keep (Euclidean distance of the scaled summaries).
    adjust : bool
        Move the kept runs to the observed summaries along a weighted local-linear fit
        (``False``: plain rejection with Epanechnikov weights).
    """
    units = _matrix(units, "units")
    summaries = _matrix(summaries, "summaries")
    observed = np.asarray(observed, dtype=np.float64)
    if summaries.shape[0] != units.shape[0] or observed.shape != summaries.shape[1:]:
        raise ValueError("units, summaries and observed do not match in shape.")
    if not 2 + summaries.shape[1] < accept <= len(units):
        raise ValueError(
            f"accept must be between {summaries.shape[1] + 3} and {len(units)}. Got {accept!r}."
        )
    offset = (summaries - observed) / spread
    distance = np.sqrt((offset**2).sum(axis=1))
    order = np.argsort(distance, kind="stable")
    kept = order[:accept]
    tolerance = float(distance[kept[-1]])
    # the bandwidth is the distance of the nearest run not kept, so that no kept run (nor
    # runs tied at the tolerance) has weight 0 unless it ties with one left out
    bandwidth = float(distance[order[accept]]) if accept < len(order) else tolerance
    if bandwidth > 0:
        kernel = np.maximum(1.0 - (distance[kept] / bandwidth) ** 2, 0.0)
    else:
        kernel = np.ones(accept)
    if kernel.sum() == 0:  # every kept run as far as the bandwidth
        kernel = np.ones(accept)
    values = units[kept]
    if adjust:
        x = np.column_stack([np.ones(accept), summaries[kept] - observed])
        wx = x * kernel[:, None]
        beta = np.linalg.lstsq(wx.T @ x, wx.T @ values, rcond=None)[0]
        values = np.clip(values - (summaries[kept] - observed) @ beta[1:], 0.0, 1.0)
    return AdjustedSample(values, kernel / kernel.sum(), kept, distance[kept], tolerance)
