"""The numbers behind every plot of the report and the dashboard.

Each function here is pure data in, data out (numpy, pandas, networkx), so the
plots can be tested on what they show rather than on pixels; the figures in
:mod:`equipoise.report.figures` only draw what these functions return.

Contract
--------
- Simulation data come from a :class:`~equipoise.results.Result` (its
  ``dataset``); nothing is re-estimated or smoothed.
- Alliance networks come from the recorded ``bloc`` of every state (states
  in one bloc are allied).
- Maps of territories are not recorded by default (they are large), so
  :func:`territory_map` re-runs the chosen replication with the map recorded
  (:func:`replay`). Every random number of model 0.2 depends only on the
  seed, the replication, the step, the actor and the purpose, so the replay is
  exact; it is checked bit for bit against everything the result recorded for
  that replication, and the outcome travels with the map.
- Historical data come from :mod:`equipoise.history` (COW National Material
  Capabilities v6.0, major-power spells, Inter-State Wars v4.0 and ATOP 5.1)
  and are measured with the same :mod:`equipoise.metrics` as simulations.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np
import pandas as pd

from equipoise import metrics
from equipoise._io import MARKER
from equipoise.experiments.directory import MANIFEST as MANIFEST_NAME
from equipoise.results import SYSTEM_MEASURES, Result

if TYPE_CHECKING:
    from equipoise.experiments import Analysis
    from equipoise.scenario import Scenario

__all__ = [
    "COMPARISON_COLUMNS",
    "HISTORY_SIZE_LABEL",
    "MILITARY_PACTS",
    "OTHER_PACTS",
    "SIMULATED_SIZE_LABEL",
    "SWEEP_MANIFEST",
    "VALIDATION_FILES",
    "Replay",
    "SizePanel",
    "Snapshot",
    "SweepData",
    "TerritoryMap",
    "ValidationData",
    "alliance_graph",
    "bloc_label",
    "blocs",
    "graph_layout",
    "hegemony_rates",
    "hegemony_timing",
    "history_alliance_graph",
    "history_shares",
    "history_system",
    "history_war_sizes",
    "history_years",
    "is_sweep_dir",
    "is_validation_dir",
    "load_results",
    "load_sweep",
    "load_validation",
    "map_image",
    "map_steps",
    "neighbours",
    "network_steps",
    "quantile_bands",
    "rate_by_parameter",
    "rate_grid",
    "replay",
    "sample_replications",
    "sensitivity_bars",
    "share_stack",
    "slope_line",
    "snapshot",
    "state_capitals",
    "state_colors",
    "tail_line",
    "territory_map",
    "validation_data",
    "validation_size_panels",
    "war_size_ccdf",
]

#: ATOP obligations drawn as solid edges (a promise to fight).
MILITARY_PACTS: tuple[str, ...] = ("defense", "offense")
#: ATOP obligations drawn as dashed edges (neutrality, non-aggression, consultation).
OTHER_PACTS: tuple[str, ...] = ("neutral", "nonagg", "consul")

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
        ``size`` (ascending) and ``ccdf``; empty if no size is positive.

    Examples
    --------
    >>> war_size_ccdf(np.array([1.0, 2.0, 2.0, 0.0, 8.0])).to_dict("list")
    {'size': [1.0, 2.0, 8.0], 'ccdf': [1.0, 0.75, 0.25]}
    """
    s = np.asarray(sizes, dtype=np.float64)
    s = s[np.isfinite(s) & (s > 0)]
    if s.size == 0:
        return pd.DataFrame({"size": np.zeros(0), "ccdf": np.zeros(0)})
    values, counts = np.unique(s, return_counts=True)
    at_least = s.size - np.cumsum(counts) + counts
    return pd.DataFrame({"size": values, "ccdf": at_least / s.size})


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


def _check_replication(result: Result, replication: int) -> None:
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
    _check_replication(result, replication)
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


# ------------------------------------------------------------------ maps
@dataclass(frozen=True)
class TerritoryMap:
    """Who owns each province at every step of one replication.

    Attributes
    ----------
    replication : int
    owner : int array, shape (T + 1, P)
        Owner of province ``p`` at step ``t`` (``-1``: nobody).
    width, height : int
        The lattice: province ``p`` is at column ``p % width``, row ``p // width``.
    names, strategies : list of str
        Per state, length N.
    capitals : int array, shape (N,), or None
        Each state's capital province (fixed for its life), or None if it
        could not be derived (then none is drawn).
    source : str
        ``"recorded"`` (the result holds the map), ``"replayed"`` (re-run and
        bit-identical to the result) or ``"replay differs"`` (re-run, but
        something recorded does not match: the map may not be the result's).
    """

    replication: int
    owner: np.ndarray
    width: int
    height: int
    names: list[str]
    strategies: list[str]
    capitals: np.ndarray | None
    source: str

    @property
    def steps(self) -> int:
        """The last step (the map covers steps 0..steps)."""
        return int(self.owner.shape[0] - 1)

    def grid(self, step: int) -> np.ndarray:
        """Owners at ``step`` as a (height, width) array: row ``r``, column ``c``."""
        return np.asarray(self.owner[step]).reshape(self.height, self.width)

    def provinces(self, step: int) -> np.ndarray:
        """Provinces held by each state at ``step`` (0: dead), shape (N,)."""
        row = np.asarray(self.owner[step])
        return np.bincount(row[row >= 0], minlength=len(self.names))[: len(self.names)]

    def alive(self, step: int) -> np.ndarray:
        """Which states hold territory (are alive) at ``step``, shape (N,)."""
        return self.provinces(step) > 0


def state_capitals(scenario: Scenario, seed: int, replication: int) -> np.ndarray:
    """The capital of every state in one replication (:func:`equipoise.engine.capitals`)."""
    from equipoise.engine import capitals

    return capitals(scenario, seed, replication)


def territory_map(result: Result, replication: int | None = None) -> TerritoryMap:
    """The map of one replication: recorded in the result, or replayed exactly.

    Parameters
    ----------
    result : Result
    replication : int, optional
        A value of the ``replication`` coordinate (default: the first).

    Returns
    -------
    TerritoryMap
        Capitals are given when they are consistent with the map (each
        state owns its capital at step 0), else None.
    """
    ds = result.dataset
    if replication is None:
        replication = int(ds["replication"].values[0])
    replication = int(replication)
    _check_replication(result, replication)
    if "owner" in ds:
        source = "recorded"
        owner = ds["owner"].sel(replication=replication).values
        attrs = ds.attrs
    else:
        again = replay(result, replication, record_map=True)
        source = "replayed" if again.reproduced else "replay differs"
        owner = again.result.dataset["owner"].values[0]
        attrs = again.result.dataset.attrs
    scenario = result.scenario
    names = [str(n) for n in ds["state"].values]
    caps: np.ndarray | None = state_capitals(scenario, int(ds.attrs["seed"]), replication)
    if caps is not None and (
        caps.shape != (len(names),)
        or caps.max(initial=-1) >= owner.shape[1]
        or not np.array_equal(owner[0, caps], np.arange(len(names)))
    ):
        caps = None
    return TerritoryMap(
        replication=replication,
        owner=np.asarray(owner, dtype=np.int16),
        width=int(attrs["map_width"]),
        height=int(attrs["map_height"]),
        names=names,
        strategies=scenario.strategy_names(),
        capitals=caps,
        source=source,
    )


def map_steps(steps: int, k: int = 6) -> list[int]:
    """``k`` evenly spaced steps from 0 to ``steps`` (fewer when the run is short).

    Examples
    --------
    >>> map_steps(500)
    [0, 100, 200, 300, 400, 500]
    >>> map_steps(3, k=6)
    [0, 1, 2, 3]
    """
    return sorted({round(float(t)) for t in np.linspace(0, steps, k)})


def neighbours(tmap: TerritoryMap, steps: Sequence[int]) -> set[tuple[int, int]]:
    """Pairs of states ``(a, b)``, ``a < b``, that share a border at any of ``steps``."""
    pairs: set[tuple[int, int]] = set()
    for t in steps:
        g = tmap.grid(t)
        for a, b in ((g[:, :-1], g[:, 1:]), (g[:-1, :], g[1:, :])):
            cut = (a != b) & (a >= 0) & (b >= 0)
            lo = np.minimum(a[cut], b[cut]).astype(np.int64)
            hi = np.maximum(a[cut], b[cut]).astype(np.int64)
            pairs.update(zip(lo.tolist(), hi.tolist(), strict=True))
    return pairs


def _palette(n: int) -> np.ndarray:
    """``n`` distinct colours (RGB in [0, 1]): golden-ratio hues at three saturations."""
    from matplotlib.colors import hsv_to_rgb

    i = np.arange(n)
    hsv = np.column_stack(
        [
            (i * 0.618033988749895 + 0.08) % 1.0,
            np.array([0.55, 0.8, 0.35])[i % 3],
            np.array([0.95, 0.78, 0.88])[(i // 3) % 3],
        ]
    )
    return np.asarray(hsv_to_rgb(hsv), dtype=np.float64)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) of sRGB colours in [0, 1], shape (..., 3)."""
    c = np.asarray(rgb, dtype=np.float64)
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


def state_colors(n: int, borders: set[tuple[int, int]] | Sequence[tuple[int, int]]) -> np.ndarray:
    """One colour per state, as different as possible between neighbours.

    A greedy colouring: states in order of decreasing number of neighbours
    each take the unused colour of a palette of ``max(n, 12)`` distinct
    colours that is farthest (CIE76 distance in L*a*b*) from the colours its
    neighbours already have. The same states and borders always give the same
    colours, so a state keeps its colour in every panel.

    Parameters
    ----------
    n : int
        Number of states.
    borders : pairs of int
        Neighbouring states, e.g. from :func:`neighbours`.

    Returns
    -------
    float array, shape (n, 3)
        RGB in [0, 1].

    Examples
    --------
    >>> c = state_colors(3, {(0, 1), (1, 2)})
    >>> c.shape, bool((c[0] != c[1]).any())
    ((3, 3), True)
    """
    palette = _palette(max(n, 12))
    lab = _lab(palette)
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in borders:
        adj[a].append(b)
        adj[b].append(a)
    order = sorted(range(n), key=lambda s: (-len(adj[s]), s))
    chosen = np.full(n, -1, dtype=np.int64)
    free = np.ones(len(palette), dtype=bool)
    for s in order:
        taken = [int(chosen[b]) for b in adj[s] if chosen[b] >= 0]
        if taken:
            dist = np.linalg.norm(lab[:, None, :] - lab[None, taken, :], axis=-1).min(axis=1)
        else:
            dist = np.zeros(len(palette))
        dist[~free] = -1.0
        pick = int(np.argmax(dist))
        chosen[s] = pick
        free[pick] = False
    return palette[chosen]


def map_image(grid: np.ndarray, colors: np.ndarray) -> np.ndarray:
    """An RGB image of a (height, width) grid of owners: white where nobody owns."""
    rgb = np.ones((*grid.shape, 3), dtype=np.float64)
    owned = grid >= 0
    rgb[owned] = colors[grid[owned]]
    return rgb


# --------------------------------------------------------------- alliances
@dataclass(frozen=True)
class Snapshot:
    """The states and their blocs at one step of one replication.

    Attributes
    ----------
    replication, step : int
    names, strategies : list of str
        Per state, length N.
    alive : bool array, shape (N,)
    share : float array, shape (N,)
        Capability shares (0 for dead states).
    bloc : int array, shape (N,)
        Bloc of each state (``-1``: none); states in one bloc are allied.
        Codes as in :mod:`equipoise.state`.
    """

    replication: int
    step: int
    names: list[str]
    strategies: list[str]
    alive: np.ndarray
    share: np.ndarray
    bloc: np.ndarray


def network_steps(alliances: np.ndarray, k: int = 3) -> list[int]:
    """Steps at which to draw one replication's alliance network.

    The first step with an alliance in force, the step with the most (the
    first such) and the last step, then steps evenly spaced between the first
    and the last, up to ``k`` in all; without any alliance, no step.

    Parameters
    ----------
    alliances : int array, shape (T + 1,)
        Allied pairs at each step (the ``alliances`` measure).
    k : int
        At most this many steps.

    Examples
    --------
    >>> network_steps(np.array([0, 0, 3, 6, 6, 2, 0]))
    [2, 3, 6]
    >>> network_steps(np.zeros(5, dtype=int))
    []
    """
    a = np.asarray(alliances)
    (some,) = np.nonzero(a > 0)
    if some.size == 0 or k < 1:
        return []
    first, last = int(some[0]), a.size - 1
    picks = list(dict.fromkeys([first, int(np.argmax(a)), last]))[:k]
    for t in np.linspace(first, last, k)[1:-1]:
        if len(picks) >= k:
            break
        if round(float(t)) not in picks:
            picks.append(round(float(t)))
    return sorted(picks)


def snapshot(result: Result, replication: int, step: int) -> Snapshot:
    """The blocs and shares of one replication at one step.

    Read from the result's ``bloc`` and ``share`` when it recorded them (the
    default), else from an exact :func:`replay` of the replication.

    Raises
    ------
    ValueError
        If the replication or step is not in the result.
    """
    ds = result.dataset
    replication = int(replication)
    _check_replication(result, replication)
    steps = int(ds.attrs["steps"])
    if not 0 <= step <= steps:
        raise ValueError(f"step {step} is outside 0..{steps}")
    if "bloc" in ds and "share" in ds:
        at = ds.sel(replication=replication, step=step)
    else:
        at = replay(result, replication, record_map=False).result.dataset.isel(replication=0)
        at = at.sel(step=step)
    share = np.nan_to_num(np.asarray(at["share"].values, dtype=np.float64))
    alive = share > 0
    if "provinces" in at:
        alive = np.asarray(at["provinces"].values) > 0
    bloc = np.where(alive, np.asarray(at["bloc"].values, dtype=np.int64), -1)
    return Snapshot(
        replication=replication,
        step=int(step),
        names=[str(n) for n in ds["state"].values],
        strategies=result.scenario.strategy_names(),
        alive=alive,
        share=share,
        bloc=bloc,
    )


def bloc_label(code: int, names: Sequence[str]) -> str:
    """What a bloc is, in words (codes as in :mod:`equipoise.state`).

    Examples
    --------
    >>> for code in (1, 2, 4, 5, 6):
    ...     print(bloc_label(code, ["A", "B"]))
    coalition against B
    camp of A
    landscape coalition 1
    landscape coalition 2
    alliance in force at the start
    """
    n = len(names)
    if 0 <= code < n:
        return f"coalition against {names[code]}"
    if n <= code < 2 * n:
        return f"camp of {names[code - n]}"
    if code in (2 * n, 2 * n + 1):
        return f"landscape coalition {code - 2 * n + 1}"
    return "alliance in force at the start"


def alliance_graph(snap: Snapshot) -> nx.Graph:
    """The alliance network of a snapshot: living states, and an edge per allied pair.

    Two states are allied exactly when they are in the same bloc, so each
    bloc is a clique. Nodes are state names with attributes ``share``,
    ``strategy`` and ``bloc``; edges have ``kind="alliance"`` and ``bloc``.
    The number of edges is the ``alliances`` measure of that step.
    """
    g: nx.Graph[str] = nx.Graph()
    for i, name in enumerate(snap.names):
        if snap.alive[i]:
            g.add_node(
                name,
                share=float(snap.share[i]),
                strategy=snap.strategies[i],
                bloc=int(snap.bloc[i]),
            )
    for code in np.unique(snap.bloc[snap.bloc >= 0]).tolist():
        members = [snap.names[i] for i in np.flatnonzero(snap.bloc == code)]
        for i, u in enumerate(members):
            for v in members[i + 1 :]:
                g.add_edge(u, v, kind="alliance", bloc=int(code))
    return g


def blocs(snap: Snapshot) -> list[tuple[str, int]]:
    """The blocs of a snapshot as (label, members), largest first."""
    codes, counts = np.unique(snap.bloc[snap.bloc >= 0], return_counts=True)
    order = sorted(zip(codes.tolist(), counts.tolist(), strict=True), key=lambda x: (-x[1], x[0]))
    return [(bloc_label(c, snap.names), k) for c, k in order]


def graph_layout(graph: nx.Graph, seed: int = 0) -> dict[str, tuple[float, float]]:
    """A seeded layout: each alliance bloc drawn by force, the blocs packed in rows.

    Every connected component gets its own ``networkx.spring_layout``
    (Fruchterman-Reingold, fixed seed) in a square whose side grows with the
    square root of its size, so that a bloc of twenty is as legible as a pair;
    the squares are then packed left to right in rows, largest first, as
    Graphviz's ``pack`` does. (One spring layout of the whole graph squeezes a
    dense bloc into a point when isolated states push it away.) The same graph
    always gets the same picture.

    Examples
    --------
    >>> g = nx.Graph([("A", "B")])
    >>> g.add_node("C")
    >>> sorted(graph_layout(g))
    ['A', 'B', 'C']
    """
    if graph.number_of_nodes() == 0:
        return {}
    comps = sorted(
        (sorted(map(str, c)) for c in nx.connected_components(graph)), key=lambda c: -len(c)
    )
    sides = [1.0 if len(c) == 1 else 1.3 * np.sqrt(len(c)) for c in comps]
    width = max(max(sides), np.sqrt(sum(x * x for x in sides)) * 1.3)
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for comp, side in zip(comps, sides, strict=True):
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - row, 0.0
        if len(comp) == 1:
            local = {comp[0]: np.zeros(2)}
        else:
            sub = graph.subgraph(comp)
            local = nx.spring_layout(sub, seed=seed, k=2.0 / np.sqrt(len(comp)), iterations=100)
        pts = np.array([local[n] for n in comp], dtype=np.float64).reshape(len(comp), 2)
        span = np.ptp(pts, axis=0)
        pts = (pts - pts.min(axis=0)) / np.where(span > 0, span, 1.0)  # into [0, 1]
        inner = side - 1.0 if len(comp) > 1 else 0.0  # half a unit of margin on each side
        for n, p in zip(comp, pts, strict=True):
            out[n] = (float(x + 0.5 + p[0] * inner), float(y - 0.5 - p[1] * inner))
        x += side
        row = max(row, side)
    return out


# ---------------------------------------------------------------- history
def history_years() -> tuple[int, int]:
    """First and last year of the capability data (1816-2016 built in)."""
    from equipoise.history import load_nmc

    years = load_nmc()["year"]
    return int(years.min()), int(years.max())


def history_shares(start: int, end: int) -> pd.DataFrame:
    """Great powers' shares of great-power capabilities (CINC), one row per year.

    Returns
    -------
    DataFrame indexed by ``year``
        One column per COW major power (abbreviation) that is one at some time
        in ``start..end``, 0 in years it is not; rows sum to 1.
    """
    from equipoise.history import shares_by_year

    long = shares_by_year(start, end, members="major")
    wide = long.pivot_table(index="year", columns="stateabb", values="share", aggfunc="sum")
    wide = wide.reindex(range(start, end + 1)).fillna(0.0)
    wide.columns = [str(c) for c in wide.columns]
    wide.columns.name = None
    return wide


def history_system(start: int, end: int) -> pd.DataFrame:
    """Leader and concentration by year: among the great powers and the whole system.

    Returns
    -------
    DataFrame indexed by ``year``
        ``majors`` (number of major powers), ``leader``, ``leader_share``,
        ``concentration`` (Ray-Singer CON among the major powers),
        ``n_poles`` and ``concentration_all`` (CON over every system member).
    """
    from equipoise.history import system_by_year

    major = system_by_year(start, end, members="major")
    everyone = system_by_year(start, end, members="all")
    return pd.DataFrame(
        {
            "majors": major["n_states"],
            "leader": major["leader_abb"],
            "leader_share": major["leader_share"],
            "concentration": major["concentration"],
            "n_poles": major["n_poles"],
            "concentration_all": everyone["concentration"],
        }
    )


def history_alliance_graph(year: int) -> nx.Graph:
    """The great powers' alliance network in ``year`` (ATOP 5.1).

    Nodes are the COW major powers of the year (abbreviations) with
    ``share`` (share of great-power CINC) and ``pos`` (the capital, projected
    as in :func:`~equipoise.history.scenario_builder.capital_positions`).
    Two powers are linked when both are members of an ATOP alliance in force
    that year (``yrent <= year <= yrexit``, ``yrexit = 0`` meaning still in
    force); the edge's ``kind`` is ``"military"`` when either holds a defence
    or offence obligation in one of their shared alliances, ``"other"`` when
    they share only neutrality, non-aggression or consultation pacts.
    """
    from equipoise.history import load_alliances, shares_by_year
    from equipoise.history.scenario_builder import capital_positions

    shares = shares_by_year(year, year, members="major")
    codes = [int(c) for c in shares["ccode"]]
    abb = dict(zip(codes, shares["stateabb"].astype(str), strict=True))
    caps = capital_positions(codes, year)
    g: nx.Graph[str] = nx.Graph()
    for code, s in zip(codes, shares["share"], strict=True):
        g.add_node(
            abb[code],
            share=float(s),
            ccode=code,
            pos=(float(cast(float, caps.loc[code, "x"])), float(cast(float, caps.loc[code, "y"]))),
        )
    members = load_alliances("member")
    exit_year = members["yrexit"].where(members["yrexit"] != 0, 10_000)
    live = members[(members["yrent"] <= year) & (exit_year >= year) & members["member"].isin(codes)]
    military = live[list(MILITARY_PACTS)].fillna(0).astype("int64").sum(axis=1) > 0
    live = live.assign(military=military)
    for atopid, group in live.groupby("atopid"):
        holders = group.groupby("member")["military"].any()
        inside = sorted(int(c) for c in holders.index)
        for i, a in enumerate(inside):
            for b in inside[i + 1 :]:
                kind = "military" if holders[a] or holders[b] else "other"
                u, v = abb[a], abb[b]
                if g.has_edge(u, v):
                    g.edges[u, v]["atopids"].append(int(atopid))
                    if kind == "military":
                        g.edges[u, v]["kind"] = "military"
                else:
                    g.add_edge(u, v, kind=kind, atopids=[int(atopid)])
    return g


def history_war_sizes(start: int, end: int) -> np.ndarray:
    """Battle deaths of each COW inter-state war that began in ``start..end``.

    Deaths are summed over a war's participants with a known count; wars with
    no known count are left out.
    """
    from equipoise.history import load_wars

    wars = load_wars()
    begun = wars.groupby("WarNum")["StartYear1"].min()
    deaths = wars.groupby("WarNum")["BatDeath"].sum(min_count=1)
    keep = (begun >= start) & (begun <= end) & deaths.notna()
    return deaths[keep].to_numpy(dtype=np.float64)


# ------------------------------------------------------------------ sweeps
#: The file that marks a sweep output directory (see :mod:`equipoise.experiments.runner`).
SWEEP_MANIFEST = MANIFEST_NAME


@dataclass
class SweepData:
    """A finished sweep, analysed, with its directory's manifest.

    Attributes
    ----------
    analysis : equipoise.experiments.Analysis
        Outcomes per point, sensitivity indices and the discovered box.
    manifest : dict
        The directory's ``manifest.json`` (spec hash, versions, design).
    spec_toml : str
        The sweep's ``sweep.toml``.
    """

    analysis: Analysis
    manifest: dict[str, Any]
    spec_toml: str


def is_sweep_dir(directory: str | Path) -> bool:
    """Whether ``directory`` is a sweep output directory (it holds a sweep manifest)."""
    return (Path(directory) / SWEEP_MANIFEST).is_file()


def load_sweep(directory: str | Path) -> SweepData:
    """Analyse the finished sweep in ``directory`` for the report.

    Raises
    ------
    equipoise.experiments.IncompleteSweepError
        If chunks are missing.
    equipoise.experiments.InvalidSweepError
        If the directory's files disagree or cannot be read as a sweep.
    """
    from equipoise.experiments import analyse

    directory = Path(directory)
    analysis = analyse(directory)
    manifest = json.loads((directory / SWEEP_MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise ValueError(f"{directory / SWEEP_MANIFEST}: not a JSON object")
    spec_toml = (directory / "sweep.toml").read_text(encoding="utf-8")
    return SweepData(analysis=analysis, manifest=manifest, spec_toml=spec_toml)


def _levels(values: pd.Series, kind: str) -> list[str] | None:
    """Sorted levels of a categorical (bool or str) parameter, or None for a numeric one."""
    if kind in ("float", "int"):
        return None
    return [str(v) for v in sorted(pd.unique(values), key=lambda v: (str(type(v)), v))]


def rate_by_parameter(points: pd.DataFrame, factors: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """The hegemony rate of every design point against each varying parameter.

    Parameters
    ----------
    points : DataFrame
        :attr:`equipoise.experiments.Analysis.points` (one row per point).
    factors : mapping of str to str
        Varying parameter -> kind (``float``, ``int``, ``bool`` or ``str``), as
        :meth:`~equipoise.experiments.SweepSpec.factor_kinds` gives.

    Returns
    -------
    dict of str to DataFrame
        Parameter -> one row per point, sorted by position: ``point``,
        ``value``, ``x`` (the value, or the index of its level for a bool or
        str parameter), ``rate``, ``ci_low``, ``ci_high`` (95% Wilson) and
        ``replications``. A categorical parameter's levels are in
        ``frame.attrs["levels"]`` (None for a numeric one).
    """
    out: dict[str, pd.DataFrame] = {}
    for name, kind in factors.items():
        values = points[name]
        levels = _levels(values, kind)
        if levels is None:
            x = values.to_numpy(np.float64)
        else:
            where = {level: i for i, level in enumerate(levels)}
            x = np.array([where[str(v)] for v in values], dtype=np.float64)
        frame = pd.DataFrame(
            {
                "point": points["point"].to_numpy(),
                "value": values.to_numpy(),
                "x": x,
                "rate": points["hegemony_rate"].to_numpy(np.float64),
                "ci_low": points["hegemony_ci_low"].to_numpy(np.float64),
                "ci_high": points["hegemony_ci_high"].to_numpy(np.float64),
                "replications": points["replications"].to_numpy(),
            }
        )
        frame = frame.sort_values(["x", "point"], kind="stable").reset_index(drop=True)
        frame.attrs["levels"] = levels
        out[name] = frame
    return out


def rate_grid(points: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """The pooled hegemony rate in each cell of two parameters (a heat map's data).

    Replications of all points sharing the pair of values are pooled:
    ``sum(hegemonies) / sum(replications)``.

    Returns
    -------
    DataFrame
        Rows: the levels of ``y`` (sorted); columns: the levels of ``x``
        (sorted); NaN where no point has that pair.
    """
    pooled = points.groupby([y, x], sort=True)[["hegemonies", "replications"]].sum()
    rate = pooled["hegemonies"] / pooled["replications"]
    grid = rate.unstack(x)
    grid.index.name = y
    grid.columns.name = x
    return grid.astype(np.float64)


def sensitivity_bars(table: pd.DataFrame | None) -> pd.DataFrame:
    """Sensitivity indices in long form, one row per bar of the chart.

    Parameters
    ----------
    table : DataFrame or None
        :attr:`equipoise.experiments.Analysis.sensitivity`: Sobol' (``S1``,
        ``ST`` and their ``*_conf``) or Morris (``mu_star``, ``mu_star_conf``).

    Returns
    -------
    DataFrame
        Columns ``outcome``, ``parameter``, ``index`` (``S1``, ``ST`` or
        ``mu*``), ``value`` and ``conf`` (half-width of the 95% bootstrap
        interval, NaN if unknown), in the table's order; indices that could not
        be computed (an outcome constant across points) are left out.
    """
    columns = ["outcome", "parameter", "index", "value", "conf"]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    pairs = (
        [("S1", "S1", "S1_conf"), ("ST", "ST", "ST_conf")]
        if "S1" in table.columns
        else [("mu*", "mu_star", "mu_star_conf")]
    )
    rows = []
    for rec in table.to_dict("records"):
        for label, col, conf in pairs:
            value = rec.get(col)
            if value is None or pd.isna(value):
                continue
            c = rec.get(conf)
            rows.append(
                {
                    "outcome": rec["outcome"],
                    "parameter": rec["parameter"],
                    "index": label,
                    "value": float(value),
                    "conf": np.nan if c is None or pd.isna(c) else float(c),
                }
            )
    return pd.DataFrame(rows, columns=columns)


# -------------------------------------------------------------- validation
#: Files of a validation output directory (``equipoise validate``,
#: :meth:`equipoise.validate.Validation.to_files`) that the report reads.
VALIDATION_FILES: tuple[str, ...] = (
    "comparison.csv",
    "replications.csv",
    "wars.csv",
    "validation.json",
)
#: Columns of the comparison table (:func:`equipoise.validate.compare_to_history`).
COMPARISON_COLUMNS: tuple[str, ...] = (
    "statistic",
    "description",
    "history",
    "sim_median",
    "sim_low",
    "sim_high",
    "n_replications",
    "inside",
)


@dataclass
class ValidationData:
    """A validation against history, as the report shows it.

    Built by :func:`validation_data` from a
    :class:`~equipoise.validate.Validation` or from the directory its
    :meth:`~equipoise.validate.Validation.to_files` wrote, so a report on
    either is the same.

    Attributes
    ----------
    table : DataFrame
        The comparison (``comparison.csv``): :data:`COMPARISON_COLUMNS`, one
        row per statistic, ``inside`` a nullable boolean.
    replications : DataFrame
        Every statistic of every replication (``replications.csv``, index
        ``replication``).
    settings : dict
        Scenario, seed, years, level, the comparison (cohort or system) and
        the history options (``validation.json``).
    notes : list of str
        What is compared with what, verbatim.
    history : dict
        History's side (``validation.json``): ``values``, ``settings``,
        ``windows``, ``counts`` and the fits ``war_size_slope_fit`` and
        ``war_size_tail_fit``.
    pooled : dict
        The war-size fits on the simulated wars of all replications pooled:
        ``wars``, ``slope`` and ``tail``.
    history_sizes : ndarray
        Battle deaths of the wars history's fits used, rebuilt by
        :func:`equipoise.validate.war_size_sample` from the recorded years and
        checked against the recorded fit.
    simulated_sizes : ndarray
        Sizes of every simulated war (``wars.csv``: military destroyed as a
        share of the world's military at onset), the sample of ``pooled``.
    provenance : dict
        The run's provenance (seed, scenario hash, versions).
    """

    table: pd.DataFrame
    replications: pd.DataFrame
    settings: dict[str, Any]
    notes: list[str]
    history: dict[str, Any]
    pooled: dict[str, Any]
    history_sizes: np.ndarray
    simulated_sizes: np.ndarray
    provenance: dict[str, Any]

    @property
    def level(self) -> float:
        """Coverage of the simulated interval (0.9 by default)."""
        return float(self.settings["level"])

    def verdicts(self) -> dict[str, list[str]]:
        """Statistics by verdict: ``inside``, ``outside`` and ``undecided`` (no verdict)."""
        out: dict[str, list[str]] = {"inside": [], "outside": [], "undecided": []}
        for name, inside in zip(self.table["statistic"], self.table["inside"], strict=True):
            key = "undecided" if pd.isna(inside) else ("inside" if bool(inside) else "outside")
            out[key].append(str(name))
        return out


def is_validation_dir(directory: str | Path) -> bool:
    """Whether ``directory`` is the output of ``equipoise validate``.

    It is if it holds ``validation.json``, or if its ``provenance.json``
    records the command ``validate``.
    """
    directory = Path(directory)
    if (directory / "validation.json").is_file():
        return True
    try:
        meta = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(meta, dict) and meta.get("command") == "validate"


def _comparison_table(table: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in COMPARISON_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{where} lacks the column(s) {', '.join(missing)}")
    out = table.loc[:, list(COMPARISON_COLUMNS)].copy()
    out["statistic"] = out["statistic"].astype(str)
    out["description"] = out["description"].fillna("").astype(str)
    for col in ("history", "sim_median", "sim_low", "sim_high"):
        out[col] = pd.to_numeric(out[col], errors="raise").astype(np.float64)
    out["n_replications"] = pd.to_numeric(out["n_replications"]).astype(np.int64)
    inside: list[bool | Any] = []
    for value in out["inside"].tolist():
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            inside.append(pd.NA)
        elif isinstance(value, str):
            if value not in ("True", "False"):
                raise ValueError(f"{where} has 'inside' = {value!r}; expected True, False or empty")
            inside.append(value == "True")
        else:
            inside.append(bool(value))
    out["inside"] = pd.array(inside, dtype="boolean")
    return out.reset_index(drop=True)


def _record_part(record: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = record.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"{where} has no {key!r} {kind.__name__}")
    return value


def _validation_from(
    record: Mapping[str, Any],
    table: pd.DataFrame,
    replications: pd.DataFrame,
    sizes: np.ndarray,
    where: str,
) -> ValidationData:
    """The report's view of a validation: ``record`` is :meth:`Validation.to_dict`."""
    from equipoise.validate import war_size_sample, war_size_slope

    settings = _record_part(record, "settings", dict, where)
    history = _record_part(record, "history", dict, where)
    pooled = _record_part(record, "pooled_war_sizes", dict, where)
    notes = _record_part(record, "notes", list, where)
    for key in ("start", "end", "level", "size_window", "replications"):
        if key not in settings:
            raise ValueError(f"{where} has no setting {key!r}")
    for key in ("war_size_slope_fit", "war_size_tail_fit", "counts", "windows"):
        if not isinstance(history.get(key), dict):
            raise ValueError(f"{where} has no history {key!r}")
    window = history["windows"].get("war_size")
    if not isinstance(window, list | tuple) or len(window) != 2:
        raise ValueError(f"{where} has no history window 'war_size'")
    for key in ("slope", "tail"):
        if not isinstance(pooled.get(key), dict):
            raise ValueError(f"{where} has no pooled war-size {key!r} fit")
    sim = np.asarray(sizes, dtype=np.float64)
    if sim.size != int(pooled.get("wars", -1)):
        raise ValueError(
            f"{where}: {sim.size} simulated wars, but the pooled fit was on {pooled.get('wars')}"
        )
    sample = war_size_sample(
        int(settings["start"]), int(settings["end"]), tuple(settings["size_window"])
    )
    deaths = sample["size"].to_numpy(dtype=np.float64)
    fit = history["war_size_slope_fit"]
    recorded = fit.get("slope")
    again = war_size_slope(deaths).slope if deaths.size else np.nan
    same_slope = (recorded is None and not np.isfinite(again)) or (
        recorded is not None and np.isclose(again, float(recorded), rtol=1e-9, atol=0.0)
    )
    if deaths.size != int(history["counts"].get("size_wars", -1)) or not same_slope:
        raise ValueError(
            f"{where}: the built-in COW war data give {deaths.size} wars for the war-size "
            f"distribution, not the {history['counts'].get('size_wars')} this validation fitted "
            "(the data were updated since: run equipoise validate again)"
        )
    statistics = table["statistic"].tolist()
    unknown = [c for c in replications.columns if c not in statistics]
    if unknown:
        raise ValueError(f"{where}: replications has statistic(s) not in the table: {unknown[0]}")
    return ValidationData(
        table=table,
        replications=replications.astype(np.float64),
        settings=dict(settings),
        notes=[str(n) for n in notes],
        history=dict(history),
        pooled=dict(pooled),
        history_sizes=deaths,
        simulated_sizes=sim,
        provenance=dict(record.get("provenance") or {}),
    )


def load_validation(directory: str | Path) -> ValidationData:
    """Read the output of ``equipoise validate`` for the report.

    Parameters
    ----------
    directory : str or Path
        A directory written by :meth:`equipoise.validate.Validation.to_files`
        (:data:`VALIDATION_FILES`).

    Returns
    -------
    ValidationData

    Raises
    ------
    FileNotFoundError
        If a file of :data:`VALIDATION_FILES` is missing.
    ValueError
        If a file cannot be read as a validation's, or the built-in COW war
        data no longer give the war sizes the validation fitted.
    """
    directory = Path(directory)
    for name in VALIDATION_FILES:
        if not (directory / name).is_file():
            raise FileNotFoundError(f"{name} is missing from {directory}")
    where = str(directory / "validation.json")
    try:
        record = json.loads((directory / "validation.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {where}: {exc}") from None
    if not isinstance(record, dict):
        raise ValueError(f"{where} is not a JSON object")
    try:
        table = pd.read_csv(directory / "comparison.csv", keep_default_na=True)
        replications = pd.read_csv(directory / "replications.csv", index_col="replication")
        wars = pd.read_csv(directory / "wars.csv")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the tables in {directory}: {exc}") from None
    if "size" not in wars.columns:
        raise ValueError(f"{directory / 'wars.csv'} has no 'size' column")
    return _validation_from(
        record,
        _comparison_table(table, str(directory / "comparison.csv")),
        replications,
        pd.to_numeric(wars["size"]).to_numpy(dtype=np.float64),
        where,
    )


def validation_data(source: Any) -> ValidationData:
    """The report's view of a validation, from the object or from its output directory.

    Parameters
    ----------
    source : Validation, ValidationData, str or Path
        :func:`equipoise.validate.validate_scenario`'s result, or the
        directory ``equipoise validate`` wrote.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`load_validation`; ``ValueError`` also for another kind of
        ``source``.
    """
    from equipoise.validate import Validation

    if isinstance(source, ValidationData):
        return source
    if isinstance(source, str | Path):
        return load_validation(source)
    if isinstance(source, Validation):
        return _validation_from(
            source.to_dict(),
            _comparison_table(source.table, "the validation's table"),
            source.replications,
            source.inputs.wars["size"].to_numpy(dtype=np.float64),
            "the validation",
        )
    raise ValueError(
        "The 'source' parameter must be a Validation or the directory `equipoise validate` "
        f"wrote. Got {type(source).__name__} instead."
    )


def slope_line(sizes: np.ndarray, fit: Mapping[str, Any]) -> pd.DataFrame:
    """Cederman's OLS line of ``log10 P(S >= s)`` on ``log10 s``, over the sizes' range.

    Parameters
    ----------
    sizes : ndarray
        The sizes the line was fitted to.
    fit : mapping
        :meth:`equipoise.validate.WarSizeSlope.as_dict` (``slope``,
        ``intercept``; ``None`` or ``nan`` when there was no fit).

    Returns
    -------
    DataFrame
        ``size`` and ``ccdf`` at the smallest and the largest size (a straight
        line on log-log axes); empty without a fit.

    References
    ----------
    Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
        sandpiles. *American Political Science Review*, 97(1), 135-150.

    Examples
    --------
    >>> slope_line(np.array([1.0, 10.0, 100.0]), {"slope": -0.5, "intercept": 0.0})
        size  ccdf
    0    1.0   1.0
    1  100.0   0.1
    """
    slope, intercept = _finite(fit.get("slope")), _finite(fit.get("intercept"))
    s = np.asarray(sizes, dtype=np.float64)
    s = s[np.isfinite(s) & (s > 0)]
    if slope is None or intercept is None or s.size == 0:
        return pd.DataFrame({"size": np.zeros(0), "ccdf": np.zeros(0)})
    x = np.array([s.min(), s.max()])
    return pd.DataFrame({"size": x, "ccdf": 10 ** (intercept + slope * np.log10(x))})


def tail_line(sizes: np.ndarray, fit: Mapping[str, Any]) -> pd.DataFrame:
    """The fitted power-law tail as ``P(S >= s)``, from ``x_min`` to the largest size.

    Above ``x_min`` the fitted density is ``p(s) ~ s^-alpha``, so the
    complementary cumulative distribution of all sizes is ``P(S >= s) =
    (n_tail / n) (s / x_min)^(1 - alpha)``: the share of sizes in the tail
    times the tail's own distribution (Clauset, Shalizi & Newman 2009).

    Parameters
    ----------
    sizes : ndarray
        The sizes the tail was fitted to.
    fit : mapping
        :meth:`equipoise.validate.PowerLawTail.as_dict` (``alpha``, ``xmin``,
        ``n_tail``, ``n``; ``None`` or ``nan`` without a fit).

    Returns
    -------
    DataFrame
        ``size`` and ``ccdf`` at ``x_min`` and at the largest size; empty
        without a fit.

    References
    ----------
    Clauset, A., Shalizi, C. R., & Newman, M. E. J. (2009). Power-law
        distributions in empirical data. *SIAM Review*, 51(4), 661-703.

    Examples
    --------
    >>> fit = {"alpha": 2.0, "xmin": 10.0, "n_tail": 5, "n": 10}
    >>> tail_line(np.array([1.0, 10.0, 100.0]), fit)
        size  ccdf
    0   10.0  0.50
    1  100.0  0.05
    """
    alpha, xmin = _finite(fit.get("alpha")), _finite(fit.get("xmin"))
    n_tail, n = fit.get("n_tail") or 0, fit.get("n") or 0
    s = np.asarray(sizes, dtype=np.float64)
    s = s[np.isfinite(s) & (s > 0)]
    if alpha is None or xmin is None or not n_tail or not n or s.size == 0:
        return pd.DataFrame({"size": np.zeros(0), "ccdf": np.zeros(0)})
    x = np.array([xmin, max(s.max(), xmin)])
    return pd.DataFrame({"size": x, "ccdf": (n_tail / n) * (x / xmin) ** (1.0 - alpha)})


def _finite(value: Any) -> float | None:
    """``value`` as a float, or None if it is missing or not finite."""
    if value is None:
        return None
    v = float(value)
    return v if np.isfinite(v) else None


@dataclass
class SizePanel:
    """One panel of the validation's war-size distributions: sizes and their two fits.

    Attributes
    ----------
    key : str
        ``"history"`` or ``"simulation"`` (names the panel's lines).
    title : str
    xlabel : str
        The unit of the sizes.
    sizes : ndarray
        The sizes both fits were made on.
    slope : dict
        Cederman's OLS fit (:meth:`equipoise.validate.WarSizeSlope.as_dict`).
    tail : dict
        The power-law tail (:meth:`equipoise.validate.PowerLawTail.as_dict`).
    """

    key: str
    title: str
    xlabel: str
    sizes: np.ndarray
    slope: dict[str, Any]
    tail: dict[str, Any]

    def ccdf(self) -> pd.DataFrame:
        """:func:`war_size_ccdf` of the sizes: the points fitted."""
        return war_size_ccdf(self.sizes)

    def slope_line(self) -> pd.DataFrame:
        """:func:`slope_line` of the sizes and the OLS fit."""
        return slope_line(self.sizes, self.slope)

    def tail_line(self) -> pd.DataFrame:
        """:func:`tail_line` of the sizes and the power-law fit."""
        return tail_line(self.sizes, self.tail)


#: Unit of history's war sizes in the validation.
HISTORY_SIZE_LABEL = "battle deaths"
#: Unit of the simulated war sizes in the validation (``relative_size``).
SIMULATED_SIZE_LABEL = "military destroyed / world military at onset"


def validation_size_panels(vd: ValidationData) -> list[SizePanel]:
    """History's and the simulation's war sizes with the fits the validation recorded.

    History: the wars of :func:`equipoise.validate.war_size_sample` (battle
    deaths) with ``war_size_slope_fit`` and ``war_size_tail_fit``; simulation:
    every simulated war of every replication (a share of the world's
    military) with the pooled fits. The sizes are in different units, so each
    gets its own panel.
    """
    lo, hi = vd.history["windows"]["war_size"]
    reps = int(vd.settings["replications"])
    return [
        SizePanel(
            key="history",
            title=f"history: COW inter-state wars begun {lo}-{hi}",
            xlabel=HISTORY_SIZE_LABEL,
            sizes=vd.history_sizes,
            slope=dict(vd.history["war_size_slope_fit"]),
            tail=dict(vd.history["war_size_tail_fit"]),
        ),
        SizePanel(
            key="simulation",
            title=f"simulation: {reps} replication{'s' if reps != 1 else ''} pooled",
            xlabel=SIMULATED_SIZE_LABEL,
            sizes=vd.simulated_sizes,
            slope=dict(vd.pooled["slope"]),
            tail=dict(vd.pooled["tail"]),
        ),
    ]
