"""Simulation results for the report: loading them, their measures across replications, replays.

:func:`load_results` reads the output of ``equipoise run`` or ``equipoise compare``; the
functions below turn a result's recorded measures into what the report plots (sample
replications, stacked capability shares, time to hegemony, bands across replications, war-size
distributions, hegemony rates), and :func:`replay` re-runs one replication exactly to recover
what the result did not record (its map, its blocs). Every random number of model 0.2 depends
only on the seed, the replication, the step, the actor and the purpose, so a replay is exact;
it is checked bit for bit against everything the result recorded for that replication.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise import metrics
from equipoise._io import MARKER
from equipoise.results import SYSTEM_MEASURES, Result

__all__ = [
    "BAND_QUANTILES",
    "Replay",
    "check_replication",
    "hegemony_rates",
    "hegemony_timing",
    "load_results",
    "quantile_bands",
    "replay",
    "sample_replications",
    "share_stack",
    "war_size_ccdf",
]

#: Quantiles of the bands across replications, as (low, high) pairs plus the median.
BAND_QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)


# ----------------------------------------------------------------- loading
def load_results(directory: str | Path) -> list[Result]:
    """Read the results of ``equipoise run`` or ``equipoise compare``.

    Parameters
    ----------
    directory : str or Path
        A result directory (``provenance.json`` holds one record) or a
        comparison directory (``provenance.json`` holds a list, one result per
        scenario in a sub-directory named after it).

    Returns
    -------
    list of Result
        One result, or one per compared scenario in the order compared.

    Raises
    ------
    FileNotFoundError
        If ``directory`` is not an equipoise result or comparison directory.
    ValueError
        If its provenance cannot be read.
    """
    directory = Path(directory)
    marker = directory / MARKER
    if not marker.is_file():
        raise FileNotFoundError(f"not an equipoise result directory: {directory}")
    try:
        meta = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {marker}: {exc}") from None
    if isinstance(meta, list):
        names = [str(m.get("scenario_name", "")) for m in meta if isinstance(m, dict)]
        if not names or len(names) != len(meta):
            raise ValueError(f"{marker} does not list the compared scenarios")
        return [Result.from_parquet(directory / name) for name in names]
    if not isinstance(meta, dict):
        raise ValueError(f"{marker} is not an equipoise provenance record")
    return [Result.from_parquet(directory)]


# ----------------------------------------------------------- simulations
def sample_replications(onset: np.ndarray, labels: np.ndarray, k: int = 3) -> list[int]:
    """Pick ``k`` replications to show: with and without hegemony, alternately.

    Parameters
    ----------
    onset : int array, shape (R,)
        Hegemony onset per replication (``-1``: never).
    labels : int array, shape (R,)
        The replications' indices (the ``replication`` coordinate).
    k : int
        How many to pick.

    Returns
    -------
    list of int
        Replication indices: the first with hegemony, the first without, the
        second with, and so on, taking from the other group when one runs out.

    Examples
    --------
    >>> sample_replications(np.array([-1, 12, -1, 30]), np.arange(4), k=3)
    [1, 0, 3]
    """
    onset = np.asarray(onset)
    labels = np.asarray(labels)
    hits = [int(x) for x in labels[onset >= 0]]
    misses = [int(x) for x in labels[onset < 0]]
    out: list[int] = []
    while len(out) < k and (hits or misses):
        for group in (hits, misses):
            if group and len(out) < k:
                out.append(group.pop(0))
    return out


def share_stack(
    share: np.ndarray,
    names: Sequence[str],
    first: int | None = None,
    max_layers: int = 10,
) -> tuple[list[str], np.ndarray]:
    """Layers of a stacked-area plot of capability shares.

    Parameters
    ----------
    share : array, shape (T, N)
        Capability shares of N states over T steps (0 for dead states).
    names : sequence of str
        State names, length N.
    first : int, optional
        A state to put at the bottom of the stack (the hegemon), so that a
        horizontal line at the hegemony threshold reads against it.
    max_layers : int
        At most this many layers; the smallest states (by mean share) are
        summed into a last layer named ``"others"``.

    Returns
    -------
    labels : list of str
    layers : array, shape (K, T)
        One row per layer, bottom first; the columns sum to the total share.

    Examples
    --------
    >>> labels, layers = share_stack(np.array([[0.5, 0.3, 0.2]]), ["A", "B", "C"], max_layers=2)
    >>> labels, layers[:, 0].tolist()
    (['A', 'others'], [0.5, 0.5])
    """
    share = np.nan_to_num(np.asarray(share, dtype=np.float64))
    if share.ndim != 2 or share.shape[1] != len(names):
        raise ValueError(
            f"share must have shape (T, {len(names)}) to match the names; got {share.shape}"
        )
    if max_layers < 2:
        raise ValueError(f"max_layers must be at least 2, got {max_layers}")
    order = [int(i) for i in np.argsort(-share.mean(axis=0), kind="stable")]
    if first is not None and first >= 0:
        order.remove(int(first))
        order.insert(0, int(first))
    if len(order) > max_layers:
        kept, rest = order[: max_layers - 1], order[max_layers - 1 :]
        layers = np.vstack([share[:, kept].T, share[:, rest].sum(axis=1)[None, :]])
        return [str(names[i]) for i in kept] + ["others"], layers
    return [str(names[i]) for i in order], share[:, order].T


def hegemony_timing(onset: np.ndarray, steps: int) -> pd.DataFrame:
    """When replications reach hegemony: counts and cumulative incidence by step.

    Parameters
    ----------
    onset : int array, shape (R,)
        Hegemony onset per replication (``-1``: never).
    steps : int
        Steps of the run (so the table covers steps 0..steps).

    Returns
    -------
    DataFrame indexed by ``step``
        ``onsets`` (replications whose hegemony begins at that step),
        ``cumulative`` (share of replications hegemonic by then; its last
        value is the hegemony rate) and its 95% Wilson interval ``ci_low``,
        ``ci_high``.

    Examples
    --------
    >>> t = hegemony_timing(np.array([2, -1, 2, 4]), steps=5)
    >>> t["cumulative"].tolist()
    [0.0, 0.0, 0.5, 0.5, 0.75, 0.75]
    """
    onset = np.asarray(onset, dtype=np.int64)
    r = onset.size
    counts = np.bincount(onset[onset >= 0], minlength=steps + 1)[: steps + 1]
    cum = np.cumsum(counts)
    lo, hi = metrics.wilson_interval(cum, r) if r else (np.zeros(steps + 1),) * 2
    frac = cum / r if r else np.zeros(steps + 1)
    return pd.DataFrame(
        {"onsets": counts, "cumulative": frac, "ci_low": lo, "ci_high": hi},
        index=pd.Index(np.arange(steps + 1), name="step"),
    )


def quantile_bands(values: np.ndarray, quantiles: Sequence[float] = BAND_QUANTILES) -> pd.DataFrame:
    """Bands across replications of a measure recorded at every step.

    Parameters
    ----------
    values : array, shape (R, T)
        One row per replication (``nan`` is ignored, e.g. concentration of a
        system with a single survivor).
    quantiles : sequence of float
        Quantiles to compute at each step.

    Returns
    -------
    DataFrame indexed by ``step``
        One column per quantile, named ``q05``, ``q50``, ... (percent), and
        ``mean``.

    Examples
    --------
    >>> b = quantile_bands(np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]), (0.5,))
    >>> b.to_dict("list")
    {'q50': [2.0, 3.0], 'mean': [2.0, 3.0]}
    """
    v = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-nan steps give nan
        q = np.nanquantile(v, list(quantiles), axis=0)
        mean = np.nanmean(v, axis=0)
    cols = {f"q{round(p * 100):02d}": q[i] for i, p in enumerate(quantiles)}
    cols["mean"] = mean
    return pd.DataFrame(cols, index=pd.Index(np.arange(v.shape[1]), name="step"))


def war_size_ccdf(sizes: np.ndarray) -> pd.DataFrame:
    """Empirical complementary cumulative distribution of war sizes.

    ``P(S >= s)`` at each distinct positive size, the form in which Richardson
    (1948) and Cederman (2003) show that war sizes follow a power law (a
    straight line on log-log axes). Sizes that are not positive or not finite
    are left out (they have no place on a log axis).

    Returns
    -------
    DataFrame
        ``size`` (ascending) and ``ccdf``; empty if no size is positive. ``attrs["n"]``
        is the number of sizes it was drawn from (ties share a row).

    Examples
    --------
    >>> war_size_ccdf(np.array([1.0, 2.0, 2.0, 0.0, 8.0])).to_dict("list")
    {'size': [1.0, 2.0, 8.0], 'ccdf': [1.0, 0.75, 0.25]}
    """
    s = np.asarray(sizes, dtype=np.float64)
    s = s[np.isfinite(s) & (s > 0)]
    if s.size == 0:
        out = pd.DataFrame({"size": np.zeros(0), "ccdf": np.zeros(0)})
    else:
        values, counts = np.unique(s, return_counts=True)
        at_least = s.size - np.cumsum(counts) + counts
        out = pd.DataFrame({"size": values, "ccdf": at_least / s.size})
    out.attrs["n"] = int(s.size)
    return out


def hegemony_rates(results: Sequence[Result]) -> pd.DataFrame:
    """Hegemony rate with its 95% Wilson interval, one row per result."""
    summary = pd.concat([r.summary() for r in results])
    return summary[["replications", "hegemony_rate", "hegemony_ci_low", "hegemony_ci_high"]]


# ----------------------------------------------------------------- replays
#: Per-replication variables compared between a result and its replay.
_REPLAYED = (*SYSTEM_MEASURES, "share", "provinces", "bloc", "hegemony_onset", "hegemon")


@dataclass(frozen=True)
class Replay:
    """One replication of a result, run again from the result's provenance.

    Attributes
    ----------
    replication : int
    result : Result
        The replay: a result of that one replication (with the map when asked for).
    reproduced : bool
        Whether every measure recorded in the original result for this
        replication (system measures, shares, provinces, blocs, hegemony) is
        bit-identical in the replay.
    differing : tuple of str
        The recorded variables that differ (empty when reproduced).
    """

    replication: int
    result: Result
    reproduced: bool
    differing: tuple[str, ...] = ()


def check_replication(result: Result, replication: int) -> None:
    """Raise a one-line ``ValueError`` unless ``replication`` is one of the result's."""
    labels = result.dataset["replication"].values.tolist()
    if replication not in labels:
        shown = f"{labels[0]}..{labels[-1]}" if labels else "none"
        raise ValueError(f"replication {replication} is not in this result (it has {shown})")


def replay(result: Result, replication: int, *, record_map: bool = True) -> Replay:
    """Re-run one replication of a result, to recover what the result did not record.

    A result records the system measures and, by default, every state's share,
    provinces and bloc, but not the owner of every province at every step (the
    map). Model 0.2 draws every random number from (seed, replication, step,
    actor, purpose) alone (:mod:`equipoise.rng`), so
    ``run(scenario, range(k, k + 1), steps, seed)`` reproduces replication
    ``k`` of any run bit for bit. The replay is checked against everything the
    result recorded for that replication.

    Parameters
    ----------
    result : Result
    replication : int
        A value of the result's ``replication`` coordinate.
    record_map : bool
        Record the map in the replay (``owner``).

    Returns
    -------
    Replay

    Raises
    ------
    ValueError
        If the result has no such replication.
    """
    from equipoise.engine import run

    replication = int(replication)
    check_replication(result, replication)
    ds = result.dataset
    again = run(
        result.scenario,
        range(replication, replication + 1),
        int(ds.attrs["steps"]),
        int(ds.attrs["seed"]),
        record_map=record_map,
    )
    mine = ds.sel(replication=[replication])
    theirs = again.dataset
    differing = tuple(
        name
        for name in _REPLAYED
        if name in mine
        and not (
            name in theirs
            and np.array_equal(mine[name].values, theirs[name].values, equal_nan=True)
        )
    )
    return Replay(replication, again, not differing, differing)
