"""The pieces of a calibration that subclass or call pyabc (imported only when one runs).

- :class:`MissingAwareDistance`: pyabc's adaptive weighted p-norm distance (Prangle 2017;
  Schälte, Alamoudi & Hasenauer 2022) that treats statistics a replication leaves undefined
  through their indicators (module :mod:`equipoise.calibrate.smc`);
- :func:`robust_scale`: the scale of each statistic, the combined median absolute deviation
  (spread plus deviation from the data) of Schälte, Alamoudi & Hasenauer (2022) over the
  values a generation produced, their standard deviation where that is 0;
- :class:`OrderedSampler`: pyabc's sampler for every execution (this process, a process pool,
  a Dask cluster), drawing each candidate particle from its own seed and accepting candidates
  in index order, so that the posterior does not depend on the workers
  (:mod:`equipoise.calibrate.sampling`).

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

import warnings
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyabc

__all__ = [
    "FastNormalTransition",
    "MissingAwareDistance",
    "OrderedSampler",
    "UniformPrior",
    "evaluate_candidates",
    "robust_scale",
]


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
        #: A resumed calibration's last generation, rejected particles included
        #: (:func:`~equipoise.calibrate.sampling.load_generation`): the sample from which an
        #: uninterrupted run would have scaled the next generation's distance.
        self.resumed_sample: pyabc.Sample | None = None

    def initialize(
        self,
        t: int,
        get_sample: Callable[[], pyabc.Sample],
        x_0: dict[str, Any],
        total_sims: int,
    ) -> None:
        """Fit the scales of generation ``t`` (pyabc's), from a resumed run's saved sample if any.

        pyabc resumes from the last generation's accepted particles only, since the database
        keeps no rejected ones; with :attr:`resumed_sample` a resumed run scales the distance
        exactly as the uninterrupted one did.
        """
        if self.resumed_sample is not None:
            saved = self.resumed_sample

            def get_sample() -> pyabc.Sample:
                return saved

        super().initialize(t=t, get_sample=get_sample, x_0=x_0, total_sims=total_sims)

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


#: The perturbation kernel's covariance as a multiple of the previous population's weighted
#: covariance (Beaumont, Cornuet, Marin & Robert 2009).
KERNEL_SCALE = 2.0


def _unit_bandwidth(n_samples: float, dimension: int) -> float:
    """A bandwidth factor of 1: the kernel's width is :data:`KERNEL_SCALE` alone."""
    return 1.0


class FastNormalTransition(pyabc.MultivariateNormalTransition):
    """The multivariate normal perturbation kernel of ABC population Monte Carlo.

    Each proposal is a particle of the previous population, picked by its weight, moved by a
    normal whose covariance is twice the population's weighted covariance: the kernel of
    Beaumont, Cornuet, Marin & Robert (2009), which minimises the Kullback-Leibler distance
    between the proposal and the target for a normal kernel (Filippi, Barnes, Cornebise &
    Stumpf 2013). pyabc's default, Silverman's rule on the effective sample size, is about a
    third of the covariance at 500 particles in nine dimensions: too narrow for posteriors
    that span most of their priors, it left particles in the tails of the proposal with
    importance weights in the hundreds (one particle carrying half the weight, an effective
    sample of 3.5 of 500, in a whole-system calibration with the great powers' shares).
    A draw adds ``L z`` with ``L L' = cov`` instead of a scipy call per proposal.

    References
    ----------
    Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive
        approximate Bayesian computation. *Biometrika*, 96(4), 983-990.
        https://doi.org/10.1093/biomet/asp052
    Filippi, S., Barnes, C. P., Cornebise, J., & Stumpf, M. P. H. (2013). On optimality of
        kernels for approximate Bayesian computation using sequential Monte Carlo.
        *Statistical Applications in Genetics and Molecular Biology*, 12(1), 87-107.
        https://doi.org/10.1515/sagmb-2012-0069
    """

    def __init__(self) -> None:
        super().__init__(scaling=KERNEL_SCALE, bandwidth_selector=_unit_bandwidth)

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


def evaluate_candidates(
    simulate_one: Callable[[], Any] | bytes, seeds: Sequence[Sequence[int]]
) -> list[Any]:
    """Evaluate one batch of candidate particles, each from its own seed, in order.

    Before candidate ``k`` runs pyabc's ``simulate_one`` (propose a parameter vector from the
    prior or the previous generation, simulate a replication, measure its distance, accept
    or reject), numpy's global generator, from which the proposal and the replication index
    are drawn, is seeded with ``seeds[k]`` (two 32-bit words). A candidate is then the same
    particle wherever it runs. ``simulate_one`` comes pickled (cloudpickle) to a worker.
    """
    if isinstance(simulate_one, bytes):
        import cloudpickle

        simulate: Callable[[], Any] = cloudpickle.loads(simulate_one)
    else:
        simulate = simulate_one
    particles = []
    for words in seeds:
        np.random.seed(np.asarray(words, dtype=np.uint32))  # noqa: NPY002 - pyabc draws from it
        particles.append(simulate())
    return particles


class _Evaluated:
    """A batch evaluated in this process, with the interface of a future."""

    def __init__(self, particles: list[Any]) -> None:
        self._particles = particles

    def result(self) -> list[Any]:
        return self._particles

    def cancel(self) -> bool:
        return False


class OrderedSampler(pyabc.sampler.Sampler):
    """A pyabc sampler whose generations do not depend on the workers or their timing.

    Candidate ``k`` of generation ``t`` (``t = -1``: the prior sample that scales the
    distance) is drawn from the seed ``seed_of(t, k)``
    (:func:`~equipoise.calibrate.sampling.candidate_seed`). Candidates are evaluated in
    batches of ``batch_size`` consecutive indices, up to ``jobs()`` batches at a time, and
    read back in index order: the generation is candidates ``0, 1, ...`` up to the ``n``-th
    accepted one, rejected candidates among them recorded as pyabc asks (its
    ``record_rejected``), whatever ran where and whichever finished first. Candidates
    evaluated beyond the ``n``-th acceptance (the rest of its batch, batches already under
    way) are discarded and not counted in ``nr_evaluations_``, which is then the number of
    candidates up to the ``n``-th acceptance, as with pyabc's single-core sampler, so that
    acceptance rates, the budget and therefore the whole run are the same for 1, 2 or a
    cluster of workers and any batch size. ``max_eval`` is honoured exactly (candidates
    ``0`` to ``max_eval - 1``); there is no look-ahead.

    Parameters
    ----------
    seed_of : callable
        ``(generation, index) -> (word, word)``, the seed of a candidate.
    batch_size : int
        Candidates per batch.
    submit : callable, optional
        ``submit(evaluate_candidates, simulate_one_pickled, seeds) -> future`` (a
        ``concurrent.futures`` executor's or a Dask client's); ``None``: evaluate in this
        process, one candidate at a time.
    jobs : callable, optional
        The number of batches to keep under way (read each generation; default 1).
    report : callable, optional
        Called with the number of candidates of each batch read back (the progress bar).
    on_sample : callable, optional
        Called with ``(generation, sample)`` before the sample goes back to pyabc (and
        therefore before the generation is saved): the rejected particles that a resumed
        run needs (:func:`~equipoise.calibrate.sampling.save_generation`).
    """

    def __init__(
        self,
        seed_of: Callable[[int, int], tuple[int, int]],
        batch_size: int,
        submit: Callable[..., Any] | None = None,
        jobs: Callable[[], int] | None = None,
        report: Callable[[int], None] | None = None,
        on_sample: Callable[[int, pyabc.Sample], None] | None = None,
    ) -> None:
        super().__init__()
        self.seed_of = seed_of
        self.batch_size = int(batch_size) if submit is not None else 1
        self.submit = submit
        self.jobs = jobs
        self.report = report
        self.on_sample = on_sample

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable[[], Any],
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: Any = None,
    ) -> pyabc.Sample:
        """Candidates ``0, 1, ...`` of generation ``t`` in order, up to the ``n``-th accepted."""
        sample = self._create_empty_sample()
        payload: Any = simulate_one
        if self.submit is not None:
            import cloudpickle

            payload = cloudpickle.dumps(simulate_one)
        jobs = max(1, int(self.jobs())) if self.jobs is not None else 1
        pending: deque[Any] = deque()
        queued = 0
        evaluated = 0
        try:
            while sample.n_accepted < n and evaluated < max_eval:
                while len(pending) < jobs and queued < max_eval:
                    size = int(min(self.batch_size, max_eval - queued))
                    seeds = [self.seed_of(t, k) for k in range(queued, queued + size)]
                    if self.submit is None:
                        pending.append(_Evaluated(evaluate_candidates(payload, seeds)))
                    else:
                        pending.append(self.submit(evaluate_candidates, payload, seeds))
                    queued += size
                batch = pending.popleft().result()
                if self.report is not None:
                    self.report(len(batch))
                for particle in batch:
                    sample.append(particle)
                    evaluated += 1
                    if sample.n_accepted >= n:
                        break
        finally:
            for future in pending:
                future.cancel()
        self.nr_evaluations_ = evaluated
        if sample.n_accepted < n:
            sample.ok = False
        if self.on_sample is not None:
            self.on_sample(t, sample)
        return sample
