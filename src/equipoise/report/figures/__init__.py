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

One module per family of figures, every figure also importable from this
package: :mod:`~equipoise.report.figures.series` (measures over time),
:mod:`~equipoise.report.figures.maps` (territories),
:mod:`~equipoise.report.figures.networks` (alliances),
:mod:`~equipoise.report.figures.wars` (war sizes),
:mod:`~equipoise.report.figures.sweeps` (hegemony rates and sensitivity),
:mod:`~equipoise.report.figures.validation` (statistics against history) and
:mod:`~equipoise.report.figures.calibration` (posteriors and counterfactuals);
:mod:`~equipoise.report.figures.style` holds the look they share.
"""

from equipoise.report.figures.calibration import (
    differences_figure,
    marginals_figure,
    pairs_figure,
)
from equipoise.report.figures.maps import territory_figure
from equipoise.report.figures.networks import STRATEGY_COLORS, network_figure
from equipoise.report.figures.series import (
    bands_figure,
    history_concentration_figure,
    layer_colors,
    shares_figure,
    timing_figure,
)
from equipoise.report.figures.style import to_png, to_svg
from equipoise.report.figures.sweeps import (
    rate_map_figure,
    rates_figure,
    sensitivity_figure,
    sweep_rate_figure,
)
from equipoise.report.figures.validation import validation_strip_figure
from equipoise.report.figures.wars import validation_sizes_figure, war_size_figure

__all__ = [
    "STRATEGY_COLORS",
    "bands_figure",
    "differences_figure",
    "history_concentration_figure",
    "layer_colors",
    "marginals_figure",
    "network_figure",
    "pairs_figure",
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
