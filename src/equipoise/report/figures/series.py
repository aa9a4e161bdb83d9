"""Figures of measures over time: capability shares, time to hegemony, bands, concentration.

A simulation's capability shares as a stacked area with hegemony marked
(:func:`shares_figure`, also history's great powers), when replications reach hegemony
(:func:`timing_figure`), survivors and concentration across replications
(:func:`bands_figure`), and history's concentration and leader's share by year
(:func:`history_concentration_figure`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from equipoise.report.figures.style import (
    NEUTRAL,
    PALETTE,
    mark_empty,
    new_figure,
    set_span,
    styled,
)

__all__ = [
    "bands_figure",
    "history_concentration_figure",
    "layer_colors",
    "shares_figure",
    "timing_figure",
]


def layer_colors(labels: Sequence[str]) -> list[str | tuple[float, float, float, float]]:
    """One colour per stack layer; the ``others`` layer is grey."""
    out: list[str | tuple[float, float, float, float]] = []
    for i, label in enumerate(labels):
        out.append(NEUTRAL if label == "others" else PALETTE[i % len(PALETTE)])
    return out


@styled
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
    fig, (ax,) = new_figure(7.0, 3.0)
    layers = np.asarray(layers, dtype=np.float64)
    x = np.arange(layers.shape[1]) if x is None else np.asarray(x)
    ax.stackplot(x, layers, labels=list(labels), colors=layer_colors(labels), linewidth=0.3)
    set_span(ax, float(x[0]), float(x[-1]))
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


@styled
def timing_figure(timing: pd.DataFrame, onset: np.ndarray, *, title: str) -> Figure:
    """Distribution of time to hegemony and the share of replications hegemonic by each step.

    Parameters
    ----------
    timing : DataFrame
        From :func:`~equipoise.report.data.hegemony_timing`.
    onset : int array, shape (R,)
        Onset per replication (``-1``: never).
    """
    fig, (left, right) = new_figure(7.0, 2.8, ncols=2)
    steps = int(timing.index[-1])
    hits = np.asarray(onset)[np.asarray(onset) >= 0]
    if hits.size:
        # matplotlib's stubs want a sequence of edges; an array is what it uses anyway
        bins = cast(Sequence[float], np.linspace(0, steps + 1, min(30, steps + 1) + 1))
        left.hist(hits, bins=bins, color=PALETTE[0], edgecolor="white", linewidth=0.4)
        left.set_xlim(0, steps + 1)
        left.set_xlabel("step at which hegemony is established")
        left.set_ylabel("replications")
    else:
        mark_empty(left, f"no replication reached hegemony\nin {steps} steps")
    left.set_title(f"{title}: time to hegemony", loc="left")
    t = timing.index.to_numpy()
    right.fill_between(
        t, timing["ci_low"], timing["ci_high"], step="post", color=PALETTE[0], alpha=0.25
    )
    right.step(t, timing["cumulative"], where="post", color=PALETTE[0], linewidth=1.5)
    right.set_xlim(0, steps)
    top = float(timing["ci_high"].max())
    right.set_ylim(0, max(0.05, min(1.0, top * 1.1)))
    right.set_xlabel("step")
    right.set_ylabel("share of replications hegemonic")
    right.set_title("cumulative, with 95% Wilson interval", loc="left")
    return fig


@styled
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
    fig, axes = new_figure(7.0, 2.8, ncols=len(panels))
    for ax, (name, b) in zip(axes, panels.items(), strict=True):
        t = b.index.to_numpy() if x is None else np.asarray(x)
        ax.fill_between(t, b["q05"], b["q95"], color=PALETTE[0], alpha=0.18, linewidth=0)
        ax.fill_between(t, b["q25"], b["q75"], color=PALETTE[0], alpha=0.35, linewidth=0)
        ax.plot(t, b["q50"], color=PALETTE[0], linewidth=1.5, label="median", gid="median")
        ax.plot(t, b["mean"], color="black", linewidth=0.8, linestyle="--", label="mean")
        set_span(ax, float(t[0]), float(t[-1]))
        if ylims and name in ylims:
            ax.set_ylim(*ylims[name])
        ax.set_title(name, loc="left")
        ax.set_xlabel(xlabel)
    axes[0].legend(
        handles=[
            Line2D([], [], color=PALETTE[0], linewidth=1.5, label="median"),
            Line2D([], [], color=PALETTE[0], alpha=0.5, linewidth=6, label="25-75%"),
            Line2D([], [], color=PALETTE[0], alpha=0.2, linewidth=6, label="5-95%"),
            Line2D([], [], color="black", linestyle="--", linewidth=0.8, label="mean"),
        ],
        fontsize=7,
        frameon=False,
    )
    return fig


@styled
def history_concentration_figure(system: pd.DataFrame) -> Figure:
    """Concentration (CON) and the leader's share by year.

    Parameters
    ----------
    system : DataFrame
        From :func:`~equipoise.report.data.history_system`.
    """
    fig, (ax,) = new_figure(7.0, 2.8)
    years = system.index.to_numpy()
    ax.plot(years, system["leader_share"], color=PALETTE[1], linewidth=1.2, label="leader share")
    ax.plot(years, system["concentration"], color=PALETTE[0], linewidth=1.5, label="CON, majors")
    ax.plot(
        years,
        system["concentration_all"],
        color=PALETTE[0],
        linewidth=1.0,
        linestyle="--",
        label="CON, all states",
    )
    set_span(ax, float(years[0]), float(years[-1]))
    ax.set_ylim(0, 1)
    ax.set_xlabel("year")
    ax.set_title("concentration and the leader's share (COW CINC)", loc="left")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
