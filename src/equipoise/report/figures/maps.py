"""Figures of maps of territories: one replication's lattice of provinces at some steps.

:func:`territory_figure` draws small multiples of a
:class:`~equipoise.report.data.TerritoryMap`, a colour per state and dots on the capitals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from equipoise.report.data.maps import map_image
from equipoise.report.figures.style import styled

if TYPE_CHECKING:
    from equipoise.report.data.maps import TerritoryMap

__all__ = ["territory_figure"]


@styled
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
            map_image(grid, colors), origin="lower", interpolation="nearest", aspect="equal"
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
