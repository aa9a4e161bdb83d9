"""Matplotlib figures of the report and the dashboard.

Every function takes the data computed in :mod:`equipoise.report.data` and
returns a :class:`matplotlib.figure.Figure` built without ``pyplot``: no
global state, no GUI backend, safe in the dashboard's threads. The data a
figure shows can be read back from its artists (tests do so); :func:`to_svg`
and :func:`to_png` render it.

Why matplotlib (with networkx for graph layouts) rather than plotly: a
matplotlib figure renders to a static SVG or PNG of a few tens of kilobytes
that any browser shows offline with no script at all, whereas a self-contained
plotly report must inline its ~4 MB JavaScript bundle; and the same figures
serve the HTML report, the Streamlit dashboard and a printed paper.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, cast

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullFormatter

from equipoise.report import data

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

    from equipoise.report.data import SizePanel, TerritoryMap

__all__ = [
    "STRATEGY_COLORS",
    "bands_figure",
    "history_concentration_figure",
    "layer_colors",
    "network_figure",
    "rate_map_figure",
    "rates_figure",
    "sensitivity_figure",
    "shares_figure",
    "sweep_rate_figure",
    "territory_figure",
    "timing_figure",
    "to_png",
    "to_svg",
    "validation_sizes_figure",
    "validation_strip_figure",
    "war_size_figure",
]

#: Node colour of each strategy in alliance networks.
STRATEGY_COLORS: dict[str, str] = {
    "balance_power": "#1f77b4",
    "balance_threat": "#2ca02c",
    "bandwagon": "#d62728",
    "buck_pass": "#ff7f0e",
    "none": "#8c564b",
}
_NEUTRAL = "#7f7f7f"
_PALETTE = [mpl.colormaps["tab20"](i) for i in (0, 2, 4, 6, 8, 10, 12, 16, 18, 1, 3, 5, 7, 9)]
_STYLE: dict[RcKeyType, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "equipoise",
}


_P = ParamSpec("_P")


def _styled(func: Callable[_P, Figure]) -> Callable[_P, Figure]:
    """Build the figure under the report's matplotlib style, leaving global settings alone."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Figure:
        with mpl.rc_context(_STYLE):
            return func(*args, **kwargs)

    return wrapper


def _figure(width: float = 7.0, height: float = 3.2, ncols: int = 1) -> tuple[Figure, list[Axes]]:
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0].tolist()
    return fig, axes


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=_NEUTRAL)
    ax.set_xticks([])
    ax.set_yticks([])


def layer_colors(labels: Sequence[str]) -> list[str | tuple[float, float, float, float]]:
    """One colour per stack layer; the ``others`` layer is grey."""
    out: list[str | tuple[float, float, float, float]] = []
    for i, label in enumerate(labels):
        out.append(_NEUTRAL if label == "others" else _PALETTE[i % len(_PALETTE)])
    return out


@_styled
def shares_figure(
    labels: Sequence[str],
    layers: np.ndarray,
    *,
    title: str,
    x: np.ndarray | None = None,
    xlabel: str = "step",
    threshold: float | None = None,
    onset: int | None = None,
    run_up: int = 1,
    hegemon: str | None = None,
) -> Figure:
    """Capability shares over time as a stacked area, hegemony marked.

    Parameters
    ----------
    labels, layers
        From :func:`~equipoise.report.data.share_stack`: layer names and a
        (K, T) array, bottom layer first.
    title : str
    x : array, shape (T,), optional
        Horizontal positions (default ``0..T-1``: steps).
    xlabel : str
    threshold : float, optional
        Hegemony threshold, drawn as a dashed line (read it against the
        bottom layer).
    onset : int, optional
        Step at which hegemony is established (a solid vertical line); the
        ``run_up`` steps that established it are shaded.
    hegemon : str, optional
        Name shown with the onset.
    """
    fig, (ax,) = _figure(7.0, 3.0)
    layers = np.asarray(layers, dtype=np.float64)
    x = np.arange(layers.shape[1]) if x is None else np.asarray(x)
    ax.stackplot(x, layers, labels=list(labels), colors=layer_colors(labels), linewidth=0.3)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("capability share")
    ax.set_title(title, loc="left")
    if threshold is not None:
        ax.axhline(threshold, color="black", linestyle="--", linewidth=0.8, gid="threshold")
    if onset is not None and onset >= 0:
        ax.axvspan(onset - run_up + 1, onset, color="black", alpha=0.15, linewidth=0, gid="run-up")
        ax.axvline(onset, color="black", linewidth=1.4, gid="onset")
        who = f"{hegemon} " if hegemon else ""
        late = onset > x[0] + 0.6 * (x[-1] - x[0])
        ax.annotate(
            f"hegemony: {who}(step {onset})",
            xy=(onset, 0.97),
            xytext=(-4 if late else 4, 0),
            textcoords="offset points",
            ha="right" if late else "left",
            va="top",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ncol = 1 if len(labels) <= 12 else 2
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False, ncol=ncol)
    return fig


@_styled
def timing_figure(timing: pd.DataFrame, onset: np.ndarray, *, title: str) -> Figure:
    """Distribution of time to hegemony and the share of replications hegemonic by each step.

    Parameters
    ----------
    timing : DataFrame
        From :func:`~equipoise.report.data.hegemony_timing`.
    onset : int array, shape (R,)
        Onset per replication (``-1``: never).
    """
    fig, (left, right) = _figure(7.0, 2.8, ncols=2)
    steps = int(timing.index[-1])
    hits = np.asarray(onset)[np.asarray(onset) >= 0]
    if hits.size:
        # matplotlib's stubs want a sequence of edges; an array is what it uses anyway
        bins = cast(Sequence[float], np.linspace(0, steps + 1, min(30, steps + 1) + 1))
        left.hist(hits, bins=bins, color=_PALETTE[0], edgecolor="white", linewidth=0.4)
        left.set_xlim(0, steps + 1)
        left.set_xlabel("step at which hegemony is established")
        left.set_ylabel("replications")
    else:
        _empty(left, f"no replication reached hegemony\nin {steps} steps")
    left.set_title(f"{title}: time to hegemony", loc="left")
    t = timing.index.to_numpy()
    right.fill_between(
        t, timing["ci_low"], timing["ci_high"], step="post", color=_PALETTE[0], alpha=0.25
    )
    right.step(t, timing["cumulative"], where="post", color=_PALETTE[0], linewidth=1.5)
    right.set_xlim(0, steps)
    top = float(timing["ci_high"].max())
    right.set_ylim(0, max(0.05, min(1.0, top * 1.1)))
    right.set_xlabel("step")
    right.set_ylabel("share of replications hegemonic")
    right.set_title("cumulative, with 95% Wilson interval", loc="left")
    return fig


@_styled
def bands_figure(
    panels: Mapping[str, pd.DataFrame],
    *,
    x: np.ndarray | None = None,
    xlabel: str = "step",
    ylims: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """Measures over time: median, 50% and 90% bands across replications, and the mean.

    Parameters
    ----------
    panels : mapping of str to DataFrame
        Panel title -> :func:`~equipoise.report.data.quantile_bands` output.
    x : array, optional
        Horizontal positions (default: the bands' ``step`` index).
    ylims : mapping, optional
        Fixed vertical limits per panel title.
    """
    fig, axes = _figure(7.0, 2.8, ncols=len(panels))
    for ax, (name, b) in zip(axes, panels.items(), strict=True):
        t = b.index.to_numpy() if x is None else np.asarray(x)
        ax.fill_between(t, b["q05"], b["q95"], color=_PALETTE[0], alpha=0.18, linewidth=0)
        ax.fill_between(t, b["q25"], b["q75"], color=_PALETTE[0], alpha=0.35, linewidth=0)
        ax.plot(t, b["q50"], color=_PALETTE[0], linewidth=1.5, label="median", gid="median")
        ax.plot(t, b["mean"], color="black", linewidth=0.8, linestyle="--", label="mean")
        ax.set_xlim(t[0], t[-1])
        if ylims and name in ylims:
            ax.set_ylim(*ylims[name])
        ax.set_title(name, loc="left")
        ax.set_xlabel(xlabel)
    axes[0].legend(
        handles=[
            Line2D([], [], color=_PALETTE[0], linewidth=1.5, label="median"),
            Line2D([], [], color=_PALETTE[0], alpha=0.5, linewidth=6, label="25-75%"),
            Line2D([], [], color=_PALETTE[0], alpha=0.2, linewidth=6, label="5-95%"),
            Line2D([], [], color="black", linestyle="--", linewidth=0.8, label="mean"),
        ],
        fontsize=7,
        frameon=False,
    )
    return fig


@_styled
def network_figure(
    graph: nx.Graph,
    layout: Mapping[str, tuple[float, float]],
    *,
    title: str,
    by_strategy: bool = True,
) -> Figure:
    """An alliance network: node area proportional to capability share.

    Nodes are coloured by strategy (``by_strategy``) or all alike; edges of
    ``kind="other"`` (non-military pacts) are dashed, the rest solid.
    """
    fig, (ax,) = _figure(4.6, 4.0)
    ax.set_title(title, loc="left")
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        _empty(ax, "no state alive")
        return fig
    nodes = list(graph.nodes)
    share = np.array([graph.nodes[n].get("share", 0.0) for n in nodes])
    strategies: list[str | None] = [graph.nodes[n].get("strategy") for n in nodes]
    sizes = 60 + 2400 * share
    colors: list[str] | list[tuple[float, float, float, float]]
    if by_strategy:
        colors = [_NEUTRAL if s is None else STRATEGY_COLORS.get(s, _NEUTRAL) for s in strategies]
    else:
        colors = [_PALETTE[0]] * len(nodes)
    edges: list[tuple[str, str, str | None]] = list(graph.edges(data="kind"))
    solid = [(u, v) for u, v, k in edges if k != "other"]
    dashed = [(u, v) for u, v, k in edges if k == "other"]
    pos = {n: layout[n] for n in nodes}
    dense = len(solid) > 40  # a large bloc is a clique: thinner lines keep its members legible
    nx.draw_networkx_edges(
        graph,
        pos,
        edgelist=solid,
        ax=ax,
        width=max(0.3, 1.4 * np.sqrt(40 / len(solid))) if dense else 1.4,
        edge_color="#444444",
        alpha=0.6 if dense else 1.0,
    )
    nx.draw_networkx_edges(
        graph, pos, edgelist=dashed, ax=ax, width=1.0, edge_color="#888888", style="dashed"
    )
    drawn = nx.draw_networkx_nodes(
        graph, pos, nodelist=nodes, node_size=sizes, node_color=colors, ax=ax, linewidths=0.5
    )
    drawn.set_gid("nodes")
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7 if len(nodes) <= 30 else 5)
    handles = []
    if by_strategy:
        present = sorted({s for s in strategies if s is not None})
        handles += [
            Line2D(
                [], [], marker="o", linestyle="", color=STRATEGY_COLORS.get(s, _NEUTRAL), label=s
            )
            for s in present
        ]
    if dashed or not by_strategy:
        handles += [
            Line2D([], [], color="#444444", label="defence/offence pact"),
            Line2D([], [], color="#888888", linestyle="--", label="other pact"),
        ]
    if handles:
        ax.legend(
            handles=handles,
            fontsize=7,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=2,
        )
    ax.margins(0.12)
    return fig


@_styled
def territory_figure(
    tmap: TerritoryMap,
    steps: Sequence[int],
    colors: np.ndarray,
    *,
    title: str | None = None,
    ncols: int = 3,
    panel: float = 2.4,
) -> Figure:
    """Maps of territories at some steps of one replication (small multiples).

    Each panel shows the lattice of provinces coloured by owner (a state
    keeps its colour in every panel; dead states are gone) with the capitals
    of the living states marked, as in Cederman's (1997) GeoSim figures.

    Parameters
    ----------
    tmap : TerritoryMap
        From :func:`~equipoise.report.data.territory_map`.
    steps : sequence of int
        One panel per step, in order.
    colors : float array, shape (N, 3)
        From :func:`~equipoise.report.data.state_colors`.
    title : str, optional
        Figure title.
    ncols : int
        Panels per row.
    panel : float
        Width of a panel in inches.
    """
    k = max(1, len(steps))
    ncols = max(1, min(ncols, k))
    nrows = -(-k // ncols)
    aspect = tmap.height / tmap.width
    fig = Figure(
        figsize=(panel * ncols, panel * aspect * nrows + 0.35 * nrows + (0.3 if title else 0)),
        layout="constrained",
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    cell = panel * 72.0 / max(tmap.width, tmap.height)  # points per province
    marker = float(np.clip((0.55 * cell) ** 2, 1.0, 40.0))  # marker area in points^2
    for ax, t in zip(axes, steps, strict=False):
        grid = tmap.grid(t)
        image = ax.imshow(
            data.map_image(grid, colors), origin="lower", interpolation="nearest", aspect="equal"
        )
        image.set_gid(f"map-step-{t}")
        alive = tmap.alive(t)
        if tmap.capitals is not None:
            caps = tmap.capitals[alive]
            dots = ax.scatter(
                caps % tmap.width,
                caps // tmap.width,
                s=marker,
                c="black",
                edgecolors="white",
                linewidths=0.4,
                zorder=3,
            )
            dots.set_gid(f"capitals-{t}")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"step {t}: {int(alive.sum())} states", loc="left", fontsize=9)
    for ax in axes[k:]:
        ax.set_axis_off()
    if title:
        fig.suptitle(title, x=0.0, ha="left", fontsize=10)
    return fig


@_styled
def war_size_figure(
    ccdfs: Mapping[str, pd.DataFrame], *, xlabel: str, title: str = "war sizes"
) -> Figure:
    """War-size distributions, ``P(S >= s)`` on log-log axes, one line per series.

    Parameters
    ----------
    ccdfs : mapping of str to DataFrame
        Label -> :func:`~equipoise.report.data.war_size_ccdf` output.
    """
    fig, (ax,) = _figure(4.6, 3.2)
    ax.set_title(title, loc="left")
    drawn = 0
    for i, (label, c) in enumerate(ccdfs.items()):
        if len(c):
            ax.step(
                c["size"],
                c["ccdf"],
                where="post",
                color=_PALETTE[i % len(_PALETTE)],
                label=f"{label} ({len(c)} sizes)" if len(ccdfs) > 1 else label,
                marker="." if len(c) <= 300 else None,
                markersize=3,
                linewidth=1.0,
            )
            drawn += 1
    if not drawn:
        _empty(ax, "no war")
        return fig
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("P(size ≥ s)")
    if len(ccdfs) > 1:
        ax.legend(fontsize=7, frameon=False)
    return fig


@_styled
def rates_figure(rates: pd.DataFrame, *, title: str = "hegemony rate") -> Figure:
    """Hegemony rate per scenario with its 95% Wilson interval.

    Parameters
    ----------
    rates : DataFrame
        From :func:`~equipoise.report.data.hegemony_rates`, indexed by scenario.
    """
    fig, (ax,) = _figure(6.0, 0.9 + 0.45 * len(rates))
    y = np.arange(len(rates))[::-1]
    rate = rates["hegemony_rate"].to_numpy(dtype=np.float64)
    lo = rate - rates["hegemony_ci_low"].to_numpy(dtype=np.float64)
    hi = rates["hegemony_ci_high"].to_numpy(dtype=np.float64) - rate
    ax.errorbar(
        rate, y, xerr=[lo, hi], fmt="o", color=_PALETTE[0], capsize=4, linewidth=1.5, gid="rates"
    )
    for yi, r in zip(y, rate, strict=True):
        ax.annotate(f"{r:.3f}", (r, yi), xytext=(0, 6), textcoords="offset points", ha="center")
    ax.set_yticks(y, [str(i) for i in rates.index])
    ax.set_ylim(-0.7, len(rates) - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of replications reaching hegemony (95% Wilson interval)")
    ax.set_title(title, loc="left")
    return fig


@_styled
def history_concentration_figure(system: pd.DataFrame) -> Figure:
    """Concentration (CON) and the leader's share by year.

    Parameters
    ----------
    system : DataFrame
        From :func:`~equipoise.report.data.history_system`.
    """
    fig, (ax,) = _figure(7.0, 2.8)
    years = system.index.to_numpy()
    ax.plot(years, system["leader_share"], color=_PALETTE[1], linewidth=1.2, label="leader share")
    ax.plot(years, system["concentration"], color=_PALETTE[0], linewidth=1.5, label="CON, majors")
    ax.plot(
        years,
        system["concentration_all"],
        color=_PALETTE[0],
        linewidth=1.0,
        linestyle="--",
        label="CON, all states",
    )
    ax.set_xlim(years[0], years[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel("year")
    ax.set_title("concentration and the leader's share (COW CINC)", loc="left")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def _short(name: str) -> str:
    """A parameter's name without its section (``war.decisiveness`` -> ``decisiveness``)."""
    return name.rsplit(".", 1)[-1]


def _dodge(x: np.ndarray, width: float = 0.3) -> np.ndarray:
    """Spread points that share a value side by side (within ``width`` of the smallest gap).

    Examples
    --------
    >>> _dodge(np.array([0.0, 0.0, 1.0])).round(3).tolist()
    [-0.075, 0.075, 1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    levels = np.unique(x)
    if levels.size == x.size:
        return x
    gap = float(np.diff(levels).min()) if levels.size > 1 else 1.0
    out = x.copy()
    for level in levels:
        (idx,) = np.nonzero(x == level)
        if idx.size > 1:
            out[idx] = level + (np.arange(idx.size) / (idx.size - 1) - 0.5) * width * gap / 2
    return out


@_styled
def sweep_rate_figure(series: Mapping[str, pd.DataFrame]) -> Figure:
    """Hegemony rate of each design point against each swept parameter, with Wilson intervals.

    One panel per parameter (small multiples); with a single parameter the
    points are joined by a line.

    Parameters
    ----------
    series : mapping of str to DataFrame
        From :func:`~equipoise.report.data.rate_by_parameter`.
    """
    n = max(1, len(series))
    ncols = min(n, 3)
    nrows = -(-n // ncols)
    width = 7.0 if n == 1 else 3.2 * ncols
    fig = Figure(figsize=(width, 3.0 * nrows), layout="constrained")
    grid = fig.subplots(nrows, ncols, squeeze=False)
    axes = grid.ravel().tolist()
    if not series:
        _empty(axes[0], "no parameter varies")
        return fig
    for ax, (name, frame) in zip(axes, series.items(), strict=False):
        x = _dodge(frame["x"].to_numpy(np.float64))
        rate = frame["rate"].to_numpy(np.float64)
        err = [rate - frame["ci_low"].to_numpy(), frame["ci_high"].to_numpy() - rate]
        ax.errorbar(
            x,
            rate,
            yerr=err,
            fmt="o-" if len(series) == 1 else "o",
            color=_PALETTE[0],
            markersize=4,
            capsize=3,
            linewidth=1.2,
            elinewidth=0.8,
            alpha=1.0 if len(frame) <= 50 else 0.5,
            gid="rates",
        )
        levels = frame.attrs.get("levels")
        if levels is not None:
            ax.set_xticks(range(len(levels)), levels)
            ax.set_xlim(-0.5, len(levels) - 0.5)
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel(name)
        ax.set_title(_short(name), loc="left")
    for ax in axes[: len(series)][::ncols]:
        ax.set_ylabel("hegemony rate (95% Wilson)")
    for ax in axes[len(series) :]:
        ax.set_axis_off()
    return fig


@_styled
def rate_map_figure(grid: pd.DataFrame) -> Figure:
    """Heat map of the hegemony rate over two swept parameters, each cell labelled.

    Parameters
    ----------
    grid : DataFrame
        From :func:`~equipoise.report.data.rate_grid`: rows the levels of the
        vertical parameter, columns those of the horizontal one.
    """
    ny, nx_ = grid.shape
    fig, (ax,) = _figure(min(8.0, 2.5 + 0.8 * nx_), min(7.0, 1.6 + 0.55 * ny))
    values = grid.to_numpy(np.float64)
    image = ax.imshow(
        np.ma.masked_invalid(values),
        origin="lower",
        aspect="auto",
        cmap="viridis",
        vmin=0.0,
        vmax=1.0,
        interpolation="nearest",
    )
    image.set_gid("rate-map")
    if nx_ * ny <= 200:
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v < 0.6 else "black",
                )
    ax.set_xticks(range(nx_), [_fmt(v) for v in grid.columns])
    ax.set_yticks(range(ny), [_fmt(v) for v in grid.index])
    ax.set_xlabel(str(grid.columns.name))
    ax.set_ylabel(str(grid.index.name))
    ax.spines[:].set_visible(False)
    ax.set_title("hegemony rate (replications pooled per cell)", loc="left")
    fig.colorbar(image, ax=ax, label="hegemony rate", shrink=0.9)
    return fig


def _fmt(value: object) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.4g}"
    return str(value)


@_styled
def sensitivity_figure(bars: pd.DataFrame) -> Figure:
    """Sensitivity indices per parameter as bars with their 95% bootstrap intervals.

    One panel per outcome; Sobol' first-order (``S1``) and total (``ST``)
    indices side by side, or Morris ``mu*``.

    Parameters
    ----------
    bars : DataFrame
        From :func:`~equipoise.report.data.sensitivity_bars`.
    """
    outcomes = list(dict.fromkeys(bars["outcome"]))
    params = list(dict.fromkeys(bars["parameter"]))
    n = max(1, len(outcomes))
    ncols = min(n, 2)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(3.6 * ncols, 0.9 + (0.35 * len(params) + 0.6) * nrows))
    fig.set_layout_engine("constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    if not outcomes:
        _empty(axes[0], "no sensitivity index could be computed")
        return fig
    kinds = list(dict.fromkeys(bars["index"]))
    height = 0.8 / len(kinds)
    y0 = np.arange(len(params))[::-1].astype(np.float64)
    for ax, outcome in zip(axes, outcomes, strict=False):
        sub = bars[bars["outcome"] == outcome]
        for k, kind in enumerate(kinds):
            part = sub[sub["index"] == kind].set_index("parameter").reindex(params)
            y = y0 + (len(kinds) - 1) / 2 * height - k * height
            value = part["value"].to_numpy(np.float64)
            conf = part["conf"].to_numpy(np.float64)
            drawn = ax.barh(
                y,
                np.nan_to_num(value),
                height=height * 0.9,
                xerr=np.where(np.isfinite(conf), conf, 0.0),
                color=_PALETTE[k],
                error_kw={"elinewidth": 0.8, "capsize": 2},
                label=kind,
                gid=f"{outcome}:{kind}",
            )
            drawn.set_label(kind)
        ax.set_yticks(y0, [_short(p) for p in params])
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_title(outcome.replace("_", " "), loc="left")
        ax.set_xlabel("index (95% bootstrap interval)" if kinds != ["mu*"] else "mu*")
    axes[0].legend(fontsize=7, frameon=False, loc="lower right")
    for ax in axes[len(outcomes) :]:
        ax.set_axis_off()
    return fig


#: Colours of the validation figures: history (reference) and simulation.
_HISTORY_COLOR = "#c0392b"
_SIMULATION_COLOR = _PALETTE[0]


def _num(value: object, digits: int = 3) -> str:
    """A number to ``digits`` significant digits, or an em dash when missing."""
    if value is None:
        return "—"
    v = float(value)  # type: ignore[arg-type]
    return f"{v:.{digits}g}" if np.isfinite(v) else "—"


def _decades(ax: Axes, ccdf: pd.DataFrame) -> None:
    """Log-log axes spanning whole decades around the points, labelled at powers of ten."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    x = ccdf["size"].to_numpy(np.float64)
    y = ccdf["ccdf"].to_numpy(np.float64)
    ax.set_xlim(10 ** np.floor(np.log10(x.min())), 10 ** np.ceil(np.log10(x.max()) + 1e-9))
    ax.set_ylim(10 ** np.floor(np.log10(y.min()) - 1e-9), 1.5)
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_minor_formatter(NullFormatter())


@_styled
def validation_sizes_figure(panels: Sequence[SizePanel]) -> Figure:
    """War-size distributions of history and simulation with their fitted lines.

    One panel per :class:`~equipoise.report.data.SizePanel`, side by side
    (the sizes are in different units): ``P(S >= s)`` on log-log axes, one
    point per distinct size; Cederman's (2003) OLS line over all sizes
    (dashed); the power-law tail fitted above ``x_min`` (solid, Clauset,
    Shalizi & Newman 2009) and ``x_min`` itself (dotted). Lines carry the
    ``gid`` ``KEY-ccdf``, ``KEY-slope``, ``KEY-tail`` and ``KEY-xmin`` (KEY
    the panel's key), which the SVG keeps as element ids.

    Parameters
    ----------
    panels : sequence of SizePanel
        From :func:`~equipoise.report.data.validation_size_panels`.
    """
    fig, axes = _figure(4.9 * len(panels), 3.6, ncols=len(panels))
    for ax, panel in zip(axes, panels, strict=True):
        color = _HISTORY_COLOR if panel.key == "history" else _SIMULATION_COLOR
        ccdf = panel.ccdf()
        ax.set_title(panel.title, loc="left")
        if ccdf.empty:
            _empty(ax, "no war")
            continue
        n = int(panel.sizes.size)
        ax.plot(
            ccdf["size"],
            ccdf["ccdf"],
            linestyle="none",
            marker="o",
            markersize=3.5,
            color=color,
            alpha=0.8,
            label=f"{n} war{'s' if n != 1 else ''}",
            gid=f"{panel.key}-ccdf",
        )
        missing = []
        line = panel.slope_line()
        if line.empty:
            missing.append("no OLS slope (fewer than 3 distinct sizes)")
        else:
            ax.plot(
                line["size"],
                line["ccdf"],
                color="black",
                linestyle="--",
                linewidth=1.0,
                label=f"OLS slope {_num(panel.slope['slope'])} ± {_num(panel.slope['se'], 2)}",
                gid=f"{panel.key}-slope",
            )
        tail = panel.tail_line()
        if tail.empty:
            missing.append("no power-law fit (fewer than 10 wars)")
        else:
            t = panel.tail
            ax.plot(
                tail["size"],
                tail["ccdf"],
                color=color,
                linewidth=1.8,
                label=(
                    f"power law α = {_num(t['alpha'])} ± {_num(t['se'], 2)} "
                    f"({int(t['n_tail'])} wars ≥ x_min)"
                ),
                gid=f"{panel.key}-tail",
            )
            ax.axvline(
                float(t["xmin"]),
                color=_NEUTRAL,
                linestyle=":",
                linewidth=0.9,
                label=f"x_min = {_num(t['xmin'])}",
                gid=f"{panel.key}-xmin",
            )
        _decades(ax, ccdf)
        ax.set_xlabel(panel.xlabel)
        ax.set_ylabel("P(S ≥ s)")
        ax.legend(fontsize=7, frameon=False, loc="lower left")
        if missing:
            ax.text(
                0.98,
                0.98,
                "\n".join(missing),
                ha="right",
                va="top",
                transform=ax.transAxes,
                fontsize=7,
                color=_NEUTRAL,
            )
    return fig


@_styled
def validation_strip_figure(
    table: pd.DataFrame, replications: pd.DataFrame, *, level: float = 0.9, ncols: int = 4
) -> Figure:
    """Every statistic across replications, against history's value.

    One small panel per row of ``table``: a dot per replication with a value
    (jittered vertically, the same jitter every time), the simulated median
    and central ``level`` interval, and history's value as a reference line.
    Artists carry the ``gid`` ``STATISTIC-replications`` (the dots),
    ``STATISTIC-median``, ``STATISTIC-interval`` and ``STATISTIC-history``.

    Parameters
    ----------
    table : DataFrame
        The comparison (``statistic``, ``history``, ``sim_median``,
        ``sim_low``, ``sim_high``, ``n_replications``, ``inside``).
    replications : DataFrame
        One row per replication, one column per statistic.
    level : float
        Coverage of the interval (for the legend).
    ncols : int
        Panels per row.
    """
    names = [str(s) for s in table["statistic"]]
    n = max(1, len(names))
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(2.55 * ncols, 0.35 + 1.35 * nrows))
    fig.set_layout_engine("constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    jitter_rng = np.random.default_rng(0)
    for ax, rec in zip(axes, table.to_dict("records"), strict=False):
        name = str(rec["statistic"])
        values = (
            pd.to_numeric(replications[name], errors="coerce").to_numpy(np.float64)
            if name in replications.columns
            else np.zeros(0)
        )
        values = values[np.isfinite(values)]
        jitter = jitter_rng.uniform(-1.0, 1.0, values.size)
        low, high, med = (float(rec[k]) for k in ("sim_low", "sim_high", "sim_median"))
        if np.isfinite(low) and np.isfinite(high):
            ax.axvspan(
                low, high, color=_SIMULATION_COLOR, alpha=0.15, linewidth=0, gid=f"{name}-interval"
            )
        if np.isfinite(med):
            ax.axvline(med, color=_SIMULATION_COLOR, linewidth=1.2, gid=f"{name}-median")
        if values.size:
            ax.scatter(
                values,
                jitter,
                s=9,
                color=_SIMULATION_COLOR,
                alpha=0.6,
                linewidths=0,
                zorder=3,
                gid=f"{name}-replications",
            )
        history = float(rec["history"])
        if np.isfinite(history):
            ax.axvline(history, color=_HISTORY_COLOR, linewidth=1.8, gid=f"{name}-history")
        inside = rec["inside"]
        verdict = "no verdict" if pd.isna(inside) else ("inside" if bool(inside) else "outside")
        ax.set_title(name, loc="left", fontsize=8)
        ax.set_title(
            f"n = {int(rec['n_replications'])}, {verdict}",
            loc="right",
            fontsize=7,
            color=_HISTORY_COLOR if verdict == "outside" else _NEUTRAL,
        )
        ax.set_ylim(-1.8, 1.8)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.tick_params(axis="x", labelsize=7)
        shown = []
        if not values.size:
            shown.append("no replication has a value")
        if not np.isfinite(history):
            shown.append("no historical value")
        if shown:
            ax.text(
                0.5,
                0.1,
                "; ".join(shown),
                ha="center",
                va="bottom",
                transform=ax.transAxes,
                fontsize=7,
                color=_NEUTRAL,
            )
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    fig.legend(
        handles=[
            Line2D(
                [],
                [],
                color=_SIMULATION_COLOR,
                marker="o",
                linestyle="none",
                markersize=4,
                alpha=0.6,
                label="replication",
            ),
            Line2D([], [], color=_SIMULATION_COLOR, linewidth=1.2, label="simulated median"),
            Line2D(
                [],
                [],
                color=_SIMULATION_COLOR,
                alpha=0.3,
                linewidth=6,
                label=f"simulated {100 * level:.3g}% interval",
            ),
            Line2D([], [], color=_HISTORY_COLOR, linewidth=1.8, label="history"),
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=7,
        frameon=False,
    )
    return fig


def to_svg(fig: Figure) -> str:
    """The figure as SVG text, with text as paths (no fonts needed) and no date stamp."""
    buf = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "equipoise", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def to_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
