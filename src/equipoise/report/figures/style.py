"""The look every figure of the report shares, and figures rendered as SVG or PNG.

Figures are built under :data:`STYLE` (:func:`styled`) with matplotlib's ``rc_context``, so
that global settings are left alone; :data:`PALETTE` and the named colours keep a series the
same colour across figures. :func:`to_svg` and :func:`to_png` render a figure deterministically
(no date stamp, text as paths).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

import matplotlib as mpl
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

__all__ = [
    "HISTORY_COLOR",
    "NEUTRAL",
    "PALETTE",
    "SIMULATION_COLOR",
    "STYLE",
    "mark_empty",
    "new_figure",
    "set_span",
    "styled",
    "to_png",
    "to_svg",
]

#: Grey: states without a strategy, "others", messages on empty panels.
NEUTRAL = "#7f7f7f"
#: Colours of series, in order (matplotlib's tab20, dark shades first).
PALETTE = [mpl.colormaps["tab20"](i) for i in (0, 2, 4, 6, 8, 10, 12, 16, 18, 1, 3, 5, 7, 9)]
#: The report's matplotlib settings (rcParams), applied to every figure it builds.
STYLE: dict[RcKeyType, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "equipoise",
}


_P = ParamSpec("_P")


def styled(func: Callable[_P, Figure]) -> Callable[_P, Figure]:
    """Build the figure under the report's matplotlib style, leaving global settings alone."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Figure:
        with mpl.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def new_figure(
    width: float = 7.0, height: float = 3.2, ncols: int = 1
) -> tuple[Figure, list[Axes]]:
    """A figure of ``width`` x ``height`` inches with one row of ``ncols`` axes."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0].tolist()
    return fig, axes


def mark_empty(ax: Axes, message: str) -> None:
    """Say on an axes that it has nothing to show (``message`` in grey, no ticks)."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=NEUTRAL)
    ax.set_xticks([])
    ax.set_yticks([])


def set_span(ax: Axes, low: float, high: float) -> None:
    """Set the horizontal limits to ``[low, high]``, half a unit each side when they are one.

    A single year or step (``--from 1900 --to 1900``) has no width; matplotlib would widen
    it with a warning.
    """
    if high <= low:
        low, high = low - 0.5, low + 0.5
    ax.set_xlim(low, high)


#: Colours of the validation figures: history (reference) and simulation.
HISTORY_COLOR = "#c0392b"
SIMULATION_COLOR = PALETTE[0]


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
