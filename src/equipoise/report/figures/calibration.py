"""Figures of a calibration and a counterfactual: the posterior, and paired differences.

:func:`marginals_figure` and :func:`pairs_figure` show the weighted particles of a
calibration (``equipoise calibrate``) against their uniform priors; :func:`differences_figure`
the paired differences of a counterfactual (``equipoise counterfactual``) with their intervals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise.report.figures.style import STYLE

if TYPE_CHECKING:
    from equipoise.calibrate.posterior import Calibration

__all__ = ["differences_figure", "marginals_figure", "pairs_figure"]


def marginals_figure(cal: Calibration, level: float = 0.9) -> Figure:
    """Weighted histogram of each parameter over its prior range, median and interval marked.

    The uniform prior is the flat line at density ``1 / (high - low)``.
    """
    n = len(cal.parameters)
    cols = min(n, 3)
    rows = -(-n // cols)
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(3.3 * cols, 2.4 * rows), layout="constrained")
        axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
        w = cal.posterior["weight"].to_numpy(dtype=np.float64)
        table = cal.interval(level).set_index("parameter")
        for ax, p in zip(axes, cal.parameters, strict=False):
            v = cal.posterior[p.name].to_numpy(dtype=np.float64)
            ax.hist(v, bins=20, range=(p.low, p.high), weights=w, density=True, color="#4c78a8")
            ax.axhline(1 / (p.high - p.low), color="#888888", lw=1, ls="--", label="prior")
            ax.axvspan(table.loc[p.name, "low"], table.loc[p.name, "high"], color="#f58518",
                       alpha=0.15, label=f"{level:.0%} interval")  # fmt: skip
            ax.axvline(table.loc[p.name, "median"], color="#f58518", lw=1.5, label="median")
            ax.set_xlim(p.low, p.high)
            ax.set_title(p.name, fontsize=9)
            ax.set_yticks([])
        for ax in axes[n:]:
            ax.set_visible(False)
        axes[0].legend(fontsize=7, loc="upper right")
    return fig


def pairs_figure(cal: Calibration) -> Figure:
    """Every pair of parameters: the particles, point area proportional to weight."""
    params = cal.parameters
    n = len(params)
    w = cal.posterior["weight"].to_numpy(dtype=np.float64)
    size = 4 + 60 * w / w.max()
    with mpl.rc_context(STYLE):
        if n < 2:
            fig = Figure(figsize=(4, 2), layout="constrained")
            ax = fig.subplots()
            ax.text(0.5, 0.5, "one parameter: no pairs", ha="center", va="center")
            ax.set_axis_off()
            return fig
        fig = Figure(figsize=(1.9 * (n - 1) + 0.6, 1.9 * (n - 1) + 0.4), layout="constrained")
        axes = fig.subplots(n - 1, n - 1, squeeze=False)
        for i in range(1, n):
            for j in range(n - 1):
                ax = axes[i - 1][j]
                if j >= i:
                    ax.set_visible(False)
                    continue
                x, y = params[j], params[i]
                ax.scatter(cal.posterior[x.name], cal.posterior[y.name], s=size, alpha=0.5,
                           color="#4c78a8", linewidths=0)  # fmt: skip
                ax.set_xlim(x.low, x.high)
                ax.set_ylim(y.low, y.high)
                ax.tick_params(labelsize=6)
                if i == n - 1:
                    ax.set_xlabel(x.name.split(".")[1], fontsize=7)
                if j == 0:
                    ax.set_ylabel(y.name.split(".")[1], fontsize=7)
    return fig


def differences_figure(summary: pd.DataFrame, survival: pd.DataFrame) -> Figure:
    """Paired differences with their 95 % intervals: hegemony and each state's survival."""
    rows = pd.concat(
        [
            summary[summary["outcome"] == "hegemony"].assign(label="P(hegemony)"),
            survival.assign(label=[f"{s} survives" for s in survival["state"]]),
        ]
    )
    y = np.arange(len(rows))[::-1]
    d = rows["difference"].to_numpy(dtype=np.float64)
    lo = rows["low"].to_numpy(dtype=np.float64)
    hi = rows["high"].to_numpy(dtype=np.float64)
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(6.5, 0.35 * len(rows) + 1.0), layout="constrained")
        ax = fig.subplots()
        ax.axvline(0, color="#888888", lw=1)
        ax.errorbar(d, y, xerr=[d - lo, hi - d], fmt="o", color="#4c78a8", capsize=3)
        ax.set_yticks(y, rows["label"].tolist())
        ax.set_xlabel("intervention minus baseline (paired, 95% interval)")
    return fig
