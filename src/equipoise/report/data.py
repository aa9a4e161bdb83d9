"""The numbers behind every plot of the report and the dashboard.

Each function here is pure data in, data out (numpy, pandas, networkx), so the
plots can be tested on what they show rather than on pixels; the figures in
:mod:`equipoise.report.figures` only draw what these functions return.

Contract
--------
- Simulation data come from a :class:`~equipoise.results.Result` (its
  ``dataset``); nothing is re-estimated or smoothed.
- Alliance networks are not stored in a result (it records alliance counts),
  so :func:`replay` re-runs the chosen replications from the result's
  provenance (scenario TOML and seed). A replication's random numbers depend
  only on the seed and its index, so the replay is exact; it is checked
  against the recorded leader share and alliance count, and the check's
  outcome travels with the snapshot.
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
from equipoise.engine import iterate
from equipoise.experiments.runner import MANIFEST as MANIFEST_NAME
from equipoise.results import Result
from equipoise.state import capability

if TYPE_CHECKING:
    from equipoise.experiments import Analysis

__all__ = [
    "MILITARY_PACTS",
    "OTHER_PACTS",
    "SWEEP_MANIFEST",
    "Snapshot",
    "SweepData",
    "alliance_graph",
    "graph_layout",
    "hegemony_rates",
    "hegemony_timing",
    "history_alliance_graph",
    "history_shares",
    "history_system",
    "history_war_sizes",
    "history_years",
    "is_sweep_dir",
    "load_results",
    "load_sweep",
    "quantile_bands",
    "rate_by_parameter",
    "rate_grid",
    "replay",
    "result_seed",
    "sample_replications",
    "sensitivity_bars",
    "share_stack",
    "snapshot_step",
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


# ------------------------------------------------------------- snapshots
@dataclass(frozen=True)
class Snapshot:
    """One replication's system at one step, rebuilt by :func:`replay`.

    Attributes
    ----------
    replication, step : int
    names, strategies : list of str
        Per state, length N.
    alive : bool array, shape (N,)
    share : float array, shape (N,)
        Capability shares (0 for dead states).
    allied : bool array, shape (N, N)
        Alliances in force, symmetric.
    position : float array, shape (N, 2)
        The states' coordinates in the model.
    reproduced : bool
        Whether the replay matches the recorded leader share and alliance count.
    """

    replication: int
    step: int
    names: list[str]
    strategies: list[str]
    alive: np.ndarray
    share: np.ndarray
    allied: np.ndarray
    position: np.ndarray
    reproduced: bool


def result_seed(result: Result) -> np.random.SeedSequence:
    """The root ``SeedSequence`` of a result, rebuilt from its provenance."""
    attrs = result.dataset.attrs
    spawn_key = tuple(int(k) for k in json.loads(attrs.get("spawn_key", "[]")))
    return np.random.SeedSequence(int(attrs["seed"]), spawn_key=spawn_key)


def snapshot_step(alliances: np.ndarray) -> int:
    """The step with the most alliances in force (the first such), else the last step.

    Parameters
    ----------
    alliances : int array, shape (T,)
        Alliances in force at each step of one replication.

    Examples
    --------
    >>> snapshot_step(np.array([0, 3, 5, 5, 2]))
    2
    >>> snapshot_step(np.array([0, 0, 0]))  # no alliance ever: the final system
    2
    """
    a = np.asarray(alliances)
    if a.size == 0:
        return 0
    return int(np.argmax(a)) if a.max() > 0 else a.size - 1


def replay(result: Result, wanted: Mapping[int, int]) -> dict[int, Snapshot]:
    """Re-run replications of a result to recover their full state at given steps.

    Parameters
    ----------
    result : Result
    wanted : mapping of int to int
        Replication index -> step at which to take its snapshot.

    Returns
    -------
    dict of int to Snapshot
        One snapshot per requested replication.
    """
    if not wanted:
        return {}
    ds = result.dataset
    scenario = result.scenario
    steps = int(ds.attrs["steps"])
    for rep, t in wanted.items():
        if rep not in set(ds["replication"].values.tolist()):
            raise ValueError(f"replication {rep} is not in this result")
        if not 0 <= t <= steps:
            raise ValueError(f"step {t} is outside 0..{steps}")
    reps = sorted(wanted)
    names = scenario.state_names()
    strategies = scenario.strategy_names()
    w = scenario.growth.economic_weight
    last = max(wanted.values())
    out: dict[int, Snapshot] = {}
    for state in iterate(scenario, reps, last, result_seed(result)):
        for k, rep in enumerate(reps):
            if wanted[rep] != state.step:
                continue
            share = np.nan_to_num(metrics.shares(capability(state, w), state.alive))[k]
            allied = state.alliances[k] > 0
            recorded = ds.sel(replication=rep, step=state.step)
            ok = bool(
                np.isclose(share.max(), float(recorded["leader_share"]), rtol=1e-9, atol=1e-12)
                and int(allied.sum()) // 2 == int(recorded["alliances"])
            )
            out[rep] = Snapshot(
                replication=rep,
                step=int(state.step),
                names=list(names),
                strategies=list(strategies),
                alive=state.alive[k].copy(),
                share=share,
                allied=allied,
                position=state.position[k].copy(),
                reproduced=ok,
            )
        if state.step >= last:
            break
    return out


def alliance_graph(snapshot: Snapshot) -> nx.Graph:
    """The alliance network of a snapshot: living states and alliances in force.

    Nodes are state names with attributes ``share``, ``strategy`` and ``pos``
    (the model coordinates); edges have ``kind="alliance"``.
    """
    g: nx.Graph[str] = nx.Graph()
    for i, name in enumerate(snapshot.names):
        if snapshot.alive[i]:
            g.add_node(
                name,
                share=float(snapshot.share[i]),
                strategy=snapshot.strategies[i],
                pos=(float(snapshot.position[i, 0]), float(snapshot.position[i, 1])),
            )
    ii, jj = np.nonzero(np.triu(snapshot.allied, k=1))
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        if snapshot.alive[i] and snapshot.alive[j]:
            g.add_edge(snapshot.names[i], snapshot.names[j], kind="alliance")
    return g


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
