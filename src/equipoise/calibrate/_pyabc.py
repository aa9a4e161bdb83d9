"""The pieces of a calibration that subclass or call pyabc (imported only when one runs).

- :class:`MissingAwareDistance`: pyabc's adaptive weighted p-norm distance (Prangle 2017;
  Schälte, Alamoudi & Hasenauer 2022) that treats statistics a replication leaves undefined
  through their indicators (module :mod:`equipoise.calibrate.smc`);
- :func:`robust_scale`: the scale of each statistic, the combined median absolute deviation
  (spread plus deviation from the data) of Schälte, Alamoudi & Hasenauer (2022) over the
  values a generation produced, their standard deviation where that is 0;
- :class:`CountingExecutor` and :class:`CountingClient`: executors that report each finished
  batch of simulations, for the progress bar.

References
----------
Prangle, D. (2017). Adapting the ABC distance function. *Bayesian Analysis*, 12(1),
    289-309. https://doi.org/10.1214/16-BA1002
Schälte, Y., Alamoudi, E., & Hasenauer, J. (2022). Robust adaptive distance functions for
    approximate Bayesian inference on outlier-corrupted data. *bioRxiv*
    2021.07.29.454327. https://doi.org/10.1101/2021.07.29.454327
Schälte, Y., Klinger, E., Alamoudi, E., & Hasenauer, J. (2022). pyABC: efficient and robust
    easy-to-use approximate Bayesian computation. *Journal of Open Source Software*, 7(74),
    4304. https://doi.org/10.21105/joss.04304
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyabc

__all__ = ["CountingClient", "CountingExecutor", "MissingAwareDistance", "robust_scale"]


def robust_scale(*, samples: np.ndarray, s0: np.ndarray, **kwargs: Any) -> np.ndarray:
    """Scale of each summary (column of ``samples``): MAD plus MADO, or SD where that is 0.

    The combined median absolute deviation of Schälte, Alamoudi & Hasenauer (2022): the
    median absolute deviation of a generation's values from their median (their spread)
    plus their median absolute deviation from the observed value ``s0`` (their bias). A
    statistic the model cannot bring near the data (an outlier, or a misfit of the model)
    is thereby scaled down instead of dominating the distance, while statistics it does
    reproduce are scaled by their spread, as in Prangle (2017). Computed over the finite
    values only (an undefined statistic is ``nan``); where both deviations are 0 (a 0/1
    indicator that is mostly one value) the standard deviation is used; a column with
    fewer than two finite values, or constant at the observed value, gets scale 0, which
    pyabc turns into weight 0.

    Examples
    --------
    >>> robust_scale(samples=np.array([[0.0, 1.0, 5.0], [0.0, 0.0, 7.0],
    ...                                [0.0, 0.0, np.nan], [0.0, 0.0, 9.0]]),
    ...              s0=np.array([0.0, 0.0, 6.0]))
    array([0.       , 0.4330127, 3.       ])
    """
    x = np.atleast_2d(np.asarray(samples, dtype=np.float64))
    obs = np.broadcast_to(np.asarray(s0, dtype=np.float64), (x.shape[1],))
    out = np.zeros(x.shape[1])
    for j in range(x.shape[1]):
        col = x[:, j][np.isfinite(x[:, j])]
        if col.size < 2:
            continue
        scale = float(np.median(np.abs(col - np.median(col))))
        if np.isfinite(obs[j]):
            scale += float(np.median(np.abs(col - obs[j])))
        out[j] = scale if scale > 0 else float(col.std())
    return out


class MissingAwareDistance(pyabc.AdaptivePNormDistance):
    """Adaptive weighted p-norm distance in which an undefined statistic adds nothing.

    Each statistic that a replication may leave undefined comes with its 0/1 indicator
    (``NAME_defined``); where the statistic is undefined (``nan``) its own term is 0, so a
    replication without enough wars for a slope is measured by that indicator, not
    rejected. A ``nan`` in any other statistic makes the distance infinite.

    Parameters
    ----------
    nullable : sequence of str
        Names of the statistics that may be ``nan``.
    **kwargs
        As for :class:`pyabc.distance.AdaptivePNormDistance`.
    """

    def __init__(self, nullable: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.nullable = tuple(nullable)
        self._mask: np.ndarray | None = None

    def __call__(
        self,
        x: dict[str, Any],
        x_0: dict[str, Any],
        t: int | None = None,
        par: dict[str, Any] | None = None,
    ) -> float:
        """The weighted p-norm of the differences, undefined statistics counting 0."""
        weights = self.get_weights(t=t)
        s = np.asarray(self.sumstat(x), dtype=np.float64).ravel()
        s0 = np.asarray(self.sumstat(x_0), dtype=np.float64).ravel()
        if self._mask is None or self._mask.shape != s.shape:
            ids = list(self.sumstat.get_ids())
            self._mask = np.array([i in self.nullable for i in ids], dtype=bool)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            diff = s - s0
        missing = ~np.isfinite(diff)
        if (missing & ~self._mask).any():
            return float("inf")
        terms = np.abs(weights * np.where(missing, 0.0, diff))
        if self.p == np.inf:
            return float(terms.max())
        return float((terms**self.p).sum() ** (1 / self.p))

    def get_config(self) -> dict[str, Any]:
        """Pyabc's configuration record, with the nullable statistics."""
        config: dict[str, Any] = super().get_config()
        config["nullable"] = list(self.nullable)
        return config


class _Progress:
    """A thread-safe counter of simulations that calls ``report(done)``."""

    def __init__(self, report: Callable[[int], None]) -> None:
        self._report = report
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self._report(n)


class CountingExecutor:
    """A ``concurrent.futures`` executor that reports each finished job of ``batch`` simulations.

    pyabc's :class:`~pyabc.sampler.ConcurrentFutureSampler` submits jobs of ``batch_size``
    particles; this wrapper tells the progress bar when each ends.
    """

    def __init__(self, executor: Any, batch: int, report: Callable[[int], None]) -> None:
        self.executor = executor
        self.batch = int(batch)
        self._progress = _Progress(report)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Submit to the wrapped executor; report ``batch`` simulations when it is done."""
        future = self.executor.submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Any) -> None:
        if not future.cancelled():
            self._progress.add(self.batch)


class CountingClient(CountingExecutor):
    """A Dask client for :class:`~pyabc.sampler.DaskDistributedSampler` that reports jobs."""

    def ncores(self) -> dict[str, int]:
        """The threads of the cluster's workers (as ``Client.ncores``)."""
        cores: dict[str, int] = self.executor.ncores()
        return cores

    def close(self) -> None:
        """Nothing: the client belongs to whoever opened it."""


class UniformPrior(pyabc.random_variables.RVBase):
    """A uniform random variable on ``[low, high]`` for pyabc, without scipy's overhead.

    pyabc evaluates the prior density of every proposal; scipy's frozen distributions take
    about 0.1 ms a call, this a microsecond. Same density, same draws' distribution.
    """

    def __init__(self, low: float, high: float) -> None:
        self.low = float(low)
        self.high = float(high)
        self._density = 1.0 / (self.high - self.low)

    def rvs(self, *args: Any, **kwargs: Any) -> float:
        """A draw from numpy's global generator (which pyabc seeds)."""
        return float(np.random.uniform(self.low, self.high))  # noqa: NPY002

    def pdf(self, x: float, *args: Any, **kwargs: Any) -> float:
        """The density at ``x``."""
        return self._density if self.low <= x <= self.high else 0.0

    def pmf(self, x: float, *args: Any, **kwargs: Any) -> float:
        """0: a continuous variable."""
        return 0.0

    def cdf(self, x: float, *args: Any, **kwargs: Any) -> float:
        """The distribution function at ``x``."""
        return float(min(max((x - self.low) * self._density, 0.0), 1.0))

    def copy(self) -> UniformPrior:
        """A copy."""
        return UniformPrior(self.low, self.high)

    def __repr__(self) -> str:
        return f"<UniformPrior [{self.low}, {self.high}]>"


class FastNormalTransition(pyabc.MultivariateNormalTransition):
    """pyabc's multivariate normal perturbation kernel, drawing without scipy's overhead.

    The same kernel (the previous population, each particle moved by a normal with the
    Silverman-scaled weighted covariance); a draw picks a particle by its weight and adds
    ``L z`` with ``L L' = cov``, instead of a scipy call per proposal.
    """

    def fit(self, X: Any, w: np.ndarray) -> None:
        """Fit the kernel, and keep the cumulative weights and a square root of the covariance."""
        super().fit(X, w)
        values, vectors = np.linalg.eigh(np.atleast_2d(self.cov))
        self._root = vectors * np.sqrt(np.clip(values, 0.0, None))
        weights = np.asarray(self.w, dtype=np.float64)
        self._cumulative = np.cumsum(weights / weights.sum())
        self._columns = list(self.X.columns)

    def rvs_single(self) -> Any:
        """One proposal."""
        u = np.random.random_sample()  # noqa: NPY002 - pyabc seeds the global generator
        index = min(int(np.searchsorted(self._cumulative, u, side="right")), len(self._X_arr) - 1)
        z = np.random.standard_normal(self._root.shape[1])  # noqa: NPY002
        x = self._X_arr[index] + self._root @ z
        return pyabc.Parameter(dict(zip(self._columns, x.tolist(), strict=True)))
