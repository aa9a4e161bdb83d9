"""A Dask client for the commands that run on a cluster (sweeps, calibration).

:func:`dask_client` connects to a running scheduler or starts a ``LocalCluster`` of
single-threaded worker processes, and turns what can go wrong into the caller's own
one-line input error (a sweep's or a calibration's).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["dask_client"]


@contextlib.contextmanager
def dask_client(
    scheduler: str | None,
    n_workers: int | None,
    error: type[Exception],
    timeout: float = 30.0,
) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``, or for a new local cluster of ``n_workers``.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).
    n_workers : int, optional
        Start a ``LocalCluster`` of this many single-threaded worker processes instead
        (used when ``scheduler`` is None).
    error : type of Exception
        Raised, with a one-line message, when dask.distributed is not installed or the
        scheduler cannot be reached.
    timeout : float
        Seconds to wait for the scheduler.

    Yields
    ------
    distributed.Client
        Closed, with the local cluster if one was started, on leaving the context.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise error(
            "Dask execution needs dask.distributed: pip install 'equipoise[dask]'"
        ) from None
    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            try:
                client = stack.enter_context(Client(scheduler, timeout=timeout))
            except (OSError, TimeoutError) as exc:
                raise error(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from None
        else:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                )
            )
            client = stack.enter_context(Client(cluster))
        yield client
