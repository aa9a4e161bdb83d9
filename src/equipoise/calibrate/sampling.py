"""Where a calibration's particles are simulated: pyabc's model, its summaries, the sampler.

pyabc calls a model that simulates one replication at a particle's parameters and returns
its summaries (:func:`summaries`, in the order of :func:`summary_names`): the statistics of
the :class:`~equipoise.calibrate.simulator.Target` and an indicator ``NAME_defined`` for
each one a replication may leave undefined (:mod:`equipoise.calibrate.smc`).

**Reproducible whatever the workers.** Every execution uses the same sampler
(:class:`~equipoise.calibrate._pyabc.OrderedSampler`): candidate particle ``k`` of
generation ``t`` draws its proposal and its replication index from numpy's global generator
seeded by :func:`candidate_seed` ``(seed, t, k)``, a counter-based seed of the random-number
contract (:mod:`equipoise.rng`), and a generation is candidates ``0, 1, ...`` in index order
up to the ``n``-th accepted one, however many ran at once and whichever finished first
(pyabc's own parallel samplers accept whichever finish first, from worker-seeded draws). So
a calibration with a seed gives the same posterior, bit for bit, on ``workers=1`` (every
candidate in this process), ``workers=N`` (a pool of N worker processes started from a fork
server, batches of ``batch_size`` candidates), ``dask_local=N`` or
``scheduler="tcp://host:port"`` (a Dask cluster), with any batch size; and, with the
rejected particles of its last generation saved (:func:`save_generation`), a resumed
calibration gives the same as an uninterrupted one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from equipoise._dask import dask_client
from equipoise._errors import InputError
from equipoise.calibrate.simulator import NULLABLE, Simulator, Target

if TYPE_CHECKING:
    from equipoise.calibrate._pyabc import OrderedSampler

__all__ = [
    "candidate_seed",
    "load_generation",
    "save_array",
    "save_generation",
    "summaries",
    "summary_names",
]

#: The salt of the candidates' seeds in the random-number contract (:mod:`equipoise.rng`).
CANDIDATE = 0xCA7D
#: The folder of a calibration directory with the last generations' samples
#: (:func:`save_generation`).
SAMPLES = "samples"


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


def candidate_seed(seed: int, generation: int, index: int) -> tuple[int, int]:
    """The seed of candidate particle ``index`` of ``generation`` (-1: the prior sample).

    Both output words of ``threefry2x32(seed, CANDIDATE; index, generation + 1)``
    (:func:`equipoise.rng.threefry2x32`): 64 bits, so that the candidates of a calibration
    do not share a seed, and the same inputs always give the same seed.

    Examples
    --------
    >>> candidate_seed(1, 0, 5) == candidate_seed(1, 0, 5) != candidate_seed(1, 1, 5)
    True
    """
    from equipoise.rng import check_seed, threefry2x32

    words = threefry2x32(check_seed(seed), CANDIDATE, int(index), int(generation) + 1)
    return int(words[0]), int(words[1])


class _Model:
    """pyabc's model: one replication at the particle's parameters, as summaries.

    The replication index is drawn from numpy's global generator, which the sampler seeds
    for each candidate (:func:`candidate_seed`), so that particles draw independent
    randomness, the same wherever they run.
    """

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, np.ndarray]:
        replication = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - seeded per candidate
        values = self.simulator.statistics(parameters, replication)
        return summaries(values, self.simulator.target)


def save_array(path: Path, rows: np.ndarray) -> None:
    """Write ``rows`` to ``path`` (``.npy``) through a temporary file and a rename."""
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        np.save(f, rows)
    os.replace(tmp, path)


def save_generation(directory: Path, generation: int, sample: Any) -> None:
    """Save the summaries of a generation's every particle, accepted then rejected.

    pyabc's database keeps the accepted particles only, but the next generation's distance
    is scaled with the rejected ones too (the adaptive distance of
    :mod:`equipoise.calibrate.smc`): with this file a resumed calibration scales it as the
    uninterrupted one did. Written atomically as ``samples/generation-T.npy`` (one row of
    summaries per particle) before pyabc saves the generation, so that every saved
    generation has its file; those of generations before ``generation - 1`` are removed (a
    resumed run needs only the last saved one).
    """
    folder = directory / SAMPLES
    folder.mkdir(exist_ok=True)
    rows = [np.asarray(p.sum_stat[SUMMARY_KEY], dtype=np.float64) for p in sample.all_particles]
    table = np.vstack(rows) if rows else np.empty((0, 0))
    save_array(folder / f"generation-{generation}.npy", table)
    for old in folder.glob("generation-*.npy"):
        t = old.stem.removeprefix("generation-")
        if t.lstrip("-").isdigit() and int(t) < generation - 1:
            old.unlink(missing_ok=True)


def load_generation(directory: Path, generation: int) -> Any:
    """The sample :func:`save_generation` saved for ``generation``, or ``None`` if absent.

    A pyabc ``Sample`` whose particles carry only their summaries, in the saved order (the
    distance's scales read nothing else).
    """
    import pyabc

    path = directory / SAMPLES / f"generation-{generation}.npy"
    if not path.is_file():
        return None
    table = np.load(path)
    sample = pyabc.Sample(record_rejected=True)
    for row in table:
        sample.append(
            pyabc.population.Particle(
                m=0, parameter=pyabc.Parameter(), weight=1.0,
                sum_stat={SUMMARY_KEY: row}, distance=0.0, accepted=True,
            )
        )  # fmt: skip
    return sample


def _process_pool(workers: int) -> Any:
    from equipoise._procs import worker_pool

    return worker_pool(
        workers, ["equipoise.calibrate.simulator", "equipoise.calibrate._pyabc", "equipoise.kernel"]
    )


@contextlib.contextmanager
def _sampler(
    workers: int,
    dask_local: int | None,
    scheduler: str | None,
    seed: int,
    batch_size: int,
    report: Callable[[int], None],
    directory: Path | None,
) -> Iterator[OrderedSampler]:
    """The sampler of the chosen execution, and its resources for the run's length."""
    from equipoise.calibrate._pyabc import OrderedSampler

    def seed_of(generation: int, index: int) -> tuple[int, int]:
        return candidate_seed(seed, generation, index)

    def on_sample(generation: int, sample: Any) -> None:
        if directory is not None and generation >= 0:
            save_generation(directory, generation, sample)

    common: dict[str, Any] = {"report": report, "on_sample": on_sample}
    if dask_local is not None or scheduler is not None:
        with dask_client(scheduler, dask_local, InputError) as client:

            def submit(fn: Callable[..., Any], *args: Any) -> Any:
                return client.submit(fn, *args, pure=False)

            def cores() -> int:
                return 2 * sum(client.ncores().values())

            yield OrderedSampler(seed_of, batch_size, submit, cores, **common)
        return
    if workers == 1:
        yield OrderedSampler(seed_of, batch_size, **common)
        return
    pool = _process_pool(workers)
    try:
        yield OrderedSampler(seed_of, batch_size, pool.submit, lambda: 2 * workers, **common)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
