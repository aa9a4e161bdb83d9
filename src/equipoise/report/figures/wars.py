"""Figures of war sizes: distributions on log-log axes, with the validation's fitted lines.

:func:`war_size_figure` draws ``P(S >= s)`` of one or more series (simulations, history's
battle deaths); :func:`validation_sizes_figure` draws history's and the simulation's sizes
side by side with Cederman's OLS line and the power-law tail that ``equipoise validate``
fitted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from equipoise.report.figures.style import (
    HISTORY_COLOR,
    NEUTRAL,
    PALETTE,
    SIMULATION_COLOR,
    mark_empty,
    new_figure,
    styled,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from equipoise.report.data.validation import SizePanel

__all__ = ["validation_sizes_figure", "war_size_figure"]


@styled
def war_size_figure(
    ccdfs: Mapping[str, pd.DataFrame], *, xlabel: str, title: str = "war sizes"
) -> Figure:
    """War-size distributions, ``P(S >= s)`` on log-log axes, one line per series.

    Parameters
    ----------
    ccdfs : mapping of str to DataFrame
        Label -> :func:`~equipoise.report.data.war_size_ccdf` output.
    """
    fig, (ax,) = new_figure(4.6, 3.2)
    ax.set_title(title, loc="left")
    drawn = 0
    for i, (label, c) in enumerate(ccdfs.items()):
        if len(c):
            ax.step(
                c["size"],
                c["ccdf"],
                where="post",
                color=PALETTE[i % len(PALETTE)],
                label=f"{label} ({_wars(c):,} wars)" if len(ccdfs) > 1 else label,
                marker="." if len(c) <= 300 else None,
                markersize=3,
                linewidth=1.0,
            )
            drawn += 1
    if not drawn:
        mark_empty(ax, "no war")
        return fig
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("P(size ≥ s)")
    if len(ccdfs) > 1:
        ax.legend(fontsize=7, frameon=False)
    return fig


def _wars(ccdf: pd.DataFrame) -> int:
    """The wars a CCDF was drawn from (``attrs["n"]``; else its distinct sizes)."""
    return int(ccdf.attrs.get("n", len(ccdf)))


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


@styled
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
    fig, axes = new_figure(4.9 * len(panels), 3.6, ncols=len(panels))
    for ax, panel in zip(axes, panels, strict=True):
        color = HISTORY_COLOR if panel.key == "history" else SIMULATION_COLOR
        ccdf = panel.ccdf()
        ax.set_title(panel.title, loc="left")
        if ccdf.empty:
            mark_empty(ax, "no war")
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
                color=NEUTRAL,
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
                color=NEUTRAL,
            )
    return fig
