"""How much memory a run of the engine needs, to refuse hopeless runs up front.

:func:`estimate_run_bytes` is the one place that knows the engine's memory model (it sits
beside the engine and reads its block budget and measures); the command line compares it
with :func:`equipoise._limits.available_memory_bytes` before simulating, so a run that
cannot fit is refused in one line instead of failing after minutes (or with a traceback)
when an allocation fails.

``benchmarks/memory_estimate.py`` measures the peak memory of real runs and prints it
beside the estimate.

Examples
--------
>>> from equipoise.run_memory import estimate_run_bytes
>>> small = estimate_run_bytes(20, 100, 200, record_states=True)
>>> small < estimate_run_bytes(20, 1000, 200, record_states=True)
True
>>> estimate_run_bytes(20, 1000, 200, record_states=False) < estimate_run_bytes(
...     20, 1000, 200, record_states=True
... )
True
"""

from __future__ import annotations

import os

from equipoise.engine import BLOCK_BUDGET
from equipoise.kernel import KERNEL_MEASURES
from equipoise.results import SYSTEM_MEASURES

__all__ = ["estimate_run_bytes"]

#: Bytes per state-step of writing ``states.parquet``: the tidy table (replication and step as
#: int64, the state as a categorical code, share float32, provinces and bloc int32) and its
#: Arrow copy.
_TIDY_STATE_BYTES = 64
#: Bytes per replication-step of writing ``system.parquet`` per column (int64/float64 in
#: pandas, then in Arrow).
_TIDY_SYSTEM_BYTES = 16
#: Working memory that does not grow with the run: allocator pools, the Parquet writer's
#: buffers, modules imported on first use, the compiled kernel and Numba's compiler. 192 MiB
#: fell short by up to 105 MiB (benchmarks/memory_estimate.py, estimate/measured 0.65-0.86 in
#: four of its six cases); 320 MiB bounds every case (1.04-1.18).
_FIXED_BYTES = 320 * 2**20


def estimate_run_bytes(n_states: int, replications: int, steps: int, record_states: bool) -> int:
    """Peak memory, in bytes, of running and saving ``replications`` x ``steps`` of ``n_states``.

    The model of the engine (:func:`equipoise.engine.run`, model 0.2) and of
    :meth:`equipoise.results.Result.to_parquet`:

    * the run's result arrays, held to the end: one ``R x (T + 1)`` array of 8-byte values
      per system measure (``SYSTEM_MEASURES``) and, with ``record_states``, each state's
      share (float32), provinces and bloc (int32): 12 bytes per state-step;
    * the working memory of two blocks of replications in the kernel (each at most
      ``engine.BLOCK_BUDGET`` state-steps of float64 shares, with the block's system
      measures, provinces and blocs: with several threads the next block runs while the
      last is turned into measures) and one World per thread (its N x N relations and
      its provinces);
    * after the run, the tidy tables written to Parquet, which replace the block's memory:
      ``system.parquet`` (the measures plus replication and step columns) and, with
      ``record_states``, ``states.parquet``, about five times the recorded state arrays;
    * a fixed allowance for what does not grow with the run.

    The estimate errs high (it is a bound for refusing runs, not a forecast) and does not
    count the interpreter and its imports (about 200 MB).

    Parameters
    ----------
    n_states : int
        States N in the system.
    replications, steps : int
        R and T.
    record_states : bool
        Whether every state's share, provinces and bloc are kept at every step.

    Returns
    -------
    int
        Bytes.
    """
    n, r, t1 = int(n_states), int(replications), int(steps) + 1
    cells = r * t1  # replication-steps
    measures = len(SYSTEM_MEASURES)
    held = 8 * measures * cells + (12 * cells * n if record_states else 0)
    per_rep = t1 * (n + len(KERNEL_MEASURES))
    threads = os.cpu_count() or 1
    block = min(r, max(threads, BLOCK_BUDGET // per_rep))
    per_block = block * t1 * (8 * n + 8 * len(KERNEL_MEASURES) + (8 * n if record_states else 0))
    block_bytes = 2 * per_block
    provinces = int(n * 12.5) + 1
    # a World: its N x N relations (about 114 bytes a pair with the pair and war-entry queues,
    # the pact ties and the treaties' scratch) and its per-province arrays and bit sets (about
    # 66 bytes a province)
    worlds = threads * (120 * n * n + 72 * provinces)
    stepping = block_bytes + worlds
    saving = _TIDY_SYSTEM_BYTES * (measures + 2) * cells
    if record_states:
        saving += _TIDY_STATE_BYTES * cells * n
    return _FIXED_BYTES + held + max(stepping, saving)
