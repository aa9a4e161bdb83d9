"""Figures of hegemony rates: per scenario compared, across a sweep's design, and sensitivity.

:func:`rates_figure` compares scenarios; :func:`sweep_rate_figure` and
:func:`rate_map_figure` show the rate of every design point of a sweep against the swept
parameters, and :func:`sensitivity_figure` the sweep's Sobol' or Morris indices.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise.report.figures.style import PALETTE, mark_empty, new_figure, styled

__all__ = ["rate_map_figure", "rates_figure", "sensitivity_figure", "sweep_rate_figure"]


@styled
def rates_figure(rates: pd.DataFrame, *, title: str = "hegemony rate") -> Figure:
    """Hegemony rate per scenario with its 95% Wilson interval.

    Parameters
    ----------
    rates : DataFrame
        From :func:`~equipoise.report.data.hegemony_rates`, indexed by scenario.
    """
    fig, (ax,) = new_figure(6.0, 0.9 + 0.45 * len(rates))
    y = np.arange(len(rates))[::-1]
    rate = rates["hegemony_rate"].to_numpy(dtype=np.float64)
    lo = rate - rates["hegemony_ci_low"].to_numpy(dtype=np.float64)
    hi = rates["hegemony_ci_high"].to_numpy(dtype=np.float64) - rate
    ax.errorbar(
        rate, y, xerr=[lo, hi], fmt="o", color=PALETTE[0], capsize=4, linewidth=1.5, gid="rates"
    )
    for yi, r in zip(y, rate, strict=True):
        ax.annotate(f"{r:.3f}", (r, yi), xytext=(0, 6), textcoords="offset points", ha="center")
    ax.set_yticks(y, [str(i) for i in rates.index])
    ax.set_ylim(-0.7, len(rates) - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of replications reaching hegemony (95% Wilson interval)")
    ax.set_title(title, loc="left")
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


@styled
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
        mark_empty(axes[0], "no parameter varies")
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
            color=PALETTE[0],
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


@styled
def rate_map_figure(grid: pd.DataFrame) -> Figure:
    """Heat map of the hegemony rate over two swept parameters, each cell labelled.

    Parameters
    ----------
    grid : DataFrame
        From :func:`~equipoise.report.data.rate_grid`: rows the levels of the
        vertical parameter, columns those of the horizontal one.
    """
    ny, nx_ = grid.shape
    fig, (ax,) = new_figure(min(8.0, 2.5 + 0.8 * nx_), min(7.0, 1.6 + 0.55 * ny))
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


@styled
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
        mark_empty(axes[0], "no sensitivity index could be computed")
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
                color=PALETTE[k],
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
