"""Where a calibration's particles are simulated: pyabc's model, its summaries, the samplers.

pyabc calls a model that simulates one replication at a particle's parameters and returns
its summaries (:func:`summaries`, in the order of :func:`summary_names`): the statistics of
the :class:`~equipoise.calibrate.simulator.Target` and an indicator ``NAME_defined`` for
each one a replication may leave undefined (:mod:`equipoise.calibrate.smc`).

**Samplers.** ``workers=1``: every particle in this process (pyabc's single-core sampler;
with a seed, reproducible). ``workers=N``: a pool of N worker processes started from a fork
server (pyabc's concurrent-futures sampler, jobs of ``batch_size`` particles). ``dask_local=N``
or ``scheduler="tcp://host:port"``: pyabc's Dask sampler on a local cluster of N processes
or a running one. Parallel samplers draw parameters from worker-seeded random numbers
(pyabc reseeds each job), so they are not bit-reproducible; the posterior is the same in
distribution.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from equipoise._dask import dask_client
from equipoise._errors import InputError
from equipoise.calibrate.simulator import NULLABLE, Simulator, Target

__all__ = ["summaries", "summary_names"]


#: The key of the summary statistics pyabc stores: one array per particle (one database row,
#: where a value per statistic would be one row each).
SUMMARY_KEY = "statistics"


def summary_names(target: Target) -> list[str]:
    """The names of the summaries pyabc compares, in order.

    The statistics of ``target``, then an indicator ``NAME_defined`` for each statistic a
    replication may leave undefined.

    Examples
    --------
    >>> t = Target({"war_onset_rate": 0.01, "war_size_slope": -0.4},
    ...            ("war_onset_rate", "war_size_slope"), {})
    >>> summary_names(t)
    ['war_onset_rate', 'war_size_slope', 'war_size_slope_defined']
    """
    return [*target.names, *(f"{n}_defined" for n in target.statistics if n in NULLABLE)]


def summaries(values: np.ndarray, target: Target) -> dict[str, np.ndarray]:
    """The summaries pyabc compares (:func:`summary_names` order) from the statistics' values.

    Examples
    --------
    >>> t = Target({"war_onset_rate": 0.01, "war_size_slope": -0.4},
    ...            ("war_onset_rate", "war_size_slope"), {})
    >>> summaries(np.array([0.02, np.nan]), t)["statistics"].tolist()
    [0.02, nan, 0.0]
    """
    v = np.asarray(values, dtype=np.float64)
    index = {n: i for i, n in enumerate(target.names)}
    defined = [float(np.isfinite(v[index[n]])) for n in target.statistics if n in NULLABLE]
    return {SUMMARY_KEY: np.concatenate([v, np.array(defined, dtype=np.float64)])}


class _Model:
    """pyabc's model: one replication at the particle's parameters, as summaries.

    The replication index is drawn from numpy's global generator, which pyabc seeds (and
    reseeds in each parallel job), so that particles draw independent randomness.
    """

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.on_simulation: Callable[[int], None] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"simulator": self.simulator, "on_simulation": None}

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, np.ndarray]:
        replication = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - pyabc seeds it
        values = self.simulator.statistics(parameters, replication)
        if self.on_simulation is not None:
            self.on_simulation(1)
        return summaries(values, self.simulator.target)


def _worker_init(parent: int) -> None:
    """Initializer of a calibration's worker processes: Ctrl-C is the parent's to handle."""
    from equipoise._procs import end_with

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with(parent)


def _process_pool(workers: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx: Any
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["equipoise.calibrate.simulator", "equipoise.kernel"])
    else:  # pragma: no cover - Windows
        ctx = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(),)
    )


@contextlib.contextmanager
def _sampler(
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    batch_size: int,
    report: Callable[[int], None],
    model: _Model,
) -> Iterator[Any]:
    """The pyabc sampler of the chosen execution, and its resources for the run's length."""
    import pyabc

    from equipoise.calibrate._pyabc import CountingClient, CountingExecutor

    if dask_local is not None or scheduler is not None:
        with dask_client(scheduler, dask_local, InputError) as client:
            yield pyabc.sampler.DaskDistributedSampler(
                dask_client=CountingClient(client, batch_size, report),
                batch_size=batch_size,
            )
        return
    if workers == 1:
        model.on_simulation = report
        try:
            yield pyabc.sampler.SingleCoreSampler()
        finally:
            model.on_simulation = None
        return
    pool = _process_pool(workers)
    try:
        yield pyabc.sampler.ConcurrentFutureSampler(
            cfuture_executor=CountingExecutor(pool, batch_size, report),
            client_max_jobs=2 * workers,
            batch_size=batch_size,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
