"""Where a sweep's chunks run: in this process, on local worker processes, or on Dask.

Any ``concurrent.futures`` executor runs a sweep (:func:`~equipoise.experiments.sweep`);
these are the ones equipoise provides: :class:`SerialExecutor` (this process, for
debugging and reference runs), :func:`process_pool` (the default) and
:func:`dask_executor` (a Dask cluster, local or running).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from equipoise._dask import dask_client
from equipoise._procs import worker_pool
from equipoise.experiments.spec import InvalidSweepError

__all__ = ["SerialExecutor", "dask_executor", "process_pool", "stop_workers"]


class SerialExecutor(Executor):
    """Run each task in the calling process when it is submitted.

    For debugging (tracebacks stay in one process) and for reference runs: a
    sweep gives the same files on this as on a process pool or Dask.
    """

    _max_workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Call ``fn(*args, **kwargs)`` now; return a finished future."""
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # delivered through the future, as executors do
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(exc)
        return future


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers start from a fork server that has equipoise loaded.

    ``forkserver`` (``spawn`` where it is missing) rather than ``fork``: the
    workers do not inherit the caller's threads, e.g. a Dask client's. The workers and
    their server ignore Ctrl-C (:func:`~equipoise._procs.worker_context`): the process
    that made the pool stops them (:func:`stop_workers`).
    """
    # the workers end when the sweep does, even if it is killed
    return worker_pool(workers or os.cpu_count() or 1, ["equipoise.experiments.runner"])


def stop_workers(pool: Executor) -> None:
    """End a process pool's workers now, abandoning the tasks they run (after a Ctrl-C).

    ``shutdown`` waits for running tasks to finish, which for a sweep's chunks may take
    minutes; a stopped sweep loses only its unfinished chunks, which a rerun computes.
    Executors without worker processes of their own are left alone.
    """
    processes = getattr(pool, "_processes", None)
    if not isinstance(processes, dict):
        return
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.terminate()
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.join(timeout=1.0)


@contextlib.contextmanager
def dask_executor(
    scheduler: str | None = None, n_workers: int | None = None, timeout: float = 30.0
) -> Iterator[tuple[Executor, int]]:
    """A ``concurrent.futures`` executor on a Dask cluster, and its number of threads.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).
    n_workers : int, optional
        Start a ``LocalCluster`` of this many single-threaded worker processes
        instead.
    timeout : float
        Seconds to wait for the scheduler.

    Yields
    ------
    (Executor, int)
        ``Client.get_executor()`` and the threads the cluster has now.
    """
    if (scheduler is None) == (n_workers is None):
        raise InvalidSweepError("give a scheduler address or a number of local workers")
    with dask_client(scheduler, n_workers, InvalidSweepError, timeout) as client:
        threads = sum(client.nthreads().values())
        yield client.get_executor(pure=False), threads


def _capacity(executor: Executor) -> int:
    n = getattr(executor, "_max_workers", None)
    return int(n) if n else os.cpu_count() or 1
