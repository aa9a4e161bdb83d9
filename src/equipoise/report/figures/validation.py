"""Figures of a validation against history: every statistic across replications.

:func:`validation_strip_figure` shows, for each statistic of ``equipoise validate``, the
replications' values, the simulated median and interval, and history's value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from equipoise.report.figures.style import HISTORY_COLOR, NEUTRAL, SIMULATION_COLOR, styled

__all__ = ["validation_strip_figure"]


@styled
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
                low, high, color=SIMULATION_COLOR, alpha=0.15, linewidth=0, gid=f"{name}-interval"
            )
        if np.isfinite(med):
            ax.axvline(med, color=SIMULATION_COLOR, linewidth=1.2, gid=f"{name}-median")
        if values.size:
            ax.scatter(
                values,
                jitter,
                s=9,
                color=SIMULATION_COLOR,
                alpha=0.6,
                linewidths=0,
                zorder=3,
                gid=f"{name}-replications",
            )
        history = float(rec["history"])
        if np.isfinite(history):
            ax.axvline(history, color=HISTORY_COLOR, linewidth=1.8, gid=f"{name}-history")
        inside = rec["inside"]
        verdict = "no verdict" if pd.isna(inside) else ("inside" if bool(inside) else "outside")
        ax.set_title(name, loc="left", fontsize=8)
        ax.set_title(
            f"n = {int(rec['n_replications'])}, {verdict}",
            loc="right",
            fontsize=7,
            color=HISTORY_COLOR if verdict == "outside" else NEUTRAL,
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
                color=NEUTRAL,
            )
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    fig.legend(
        handles=[
            Line2D(
                [],
                [],
                color=SIMULATION_COLOR,
                marker="o",
                linestyle="none",
                markersize=4,
                alpha=0.6,
                label="replication",
            ),
            Line2D([], [], color=SIMULATION_COLOR, linewidth=1.2, label="simulated median"),
            Line2D(
                [],
                [],
                color=SIMULATION_COLOR,
                alpha=0.3,
                linewidth=6,
                label=f"simulated {100 * level:.3g}% interval",
            ),
            Line2D([], [], color=HISTORY_COLOR, linewidth=1.8, label="history"),
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=7,
        frameon=False,
    )
    return fig
