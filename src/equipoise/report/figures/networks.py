"""Figures of alliance networks: states as nodes sized by capability, alliances as edges.

:func:`network_figure` draws a simulated network (nodes coloured by strategy,
:data:`STRATEGY_COLORS`) or history's great powers (defence and offence pacts solid, other
pacts dashed), on a layout from :func:`~equipoise.report.data.graph_layout`.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from equipoise.report.figures.style import NEUTRAL, PALETTE, mark_empty, new_figure, styled

__all__ = ["STRATEGY_COLORS", "network_figure"]

# Extension point: a new strategy gets its colour here (else it is drawn in grey).
#: Node colour of each strategy in alliance networks.
STRATEGY_COLORS: dict[str, str] = {
    "balance_power": "#1f77b4",
    "balance_threat": "#2ca02c",
    "bandwagon": "#d62728",
    "buck_pass": "#ff7f0e",
    "none": "#8c564b",
    "hedge": "#9467bd",
}


@styled
def network_figure(
    graph: nx.Graph,
    layout: Mapping[str, tuple[float, float]],
    *,
    title: str,
    by_strategy: bool = True,
) -> Figure:
    """An alliance network: node area proportional to capability share.

    Nodes are coloured by strategy (``by_strategy``) or all alike; edges of
    ``kind="other"`` (non-military pacts) are dashed, the rest solid. The legend names the
    two kinds of edge when there are pacts (an edge of ``kind`` ``"military"`` or
    ``"other"``) or the nodes are not coloured by strategy.
    """
    fig, (ax,) = new_figure(4.6, 4.0)
    ax.set_title(title, loc="left")
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        mark_empty(ax, "no state alive")
        return fig
    nodes = list(graph.nodes)
    share = np.array([graph.nodes[n].get("share", 0.0) for n in nodes])
    strategies: list[str | None] = [graph.nodes[n].get("strategy") for n in nodes]
    sizes = 60 + 2400 * share
    colors: list[str] | list[tuple[float, float, float, float]]
    if by_strategy:
        colors = [NEUTRAL if s is None else STRATEGY_COLORS.get(s, NEUTRAL) for s in strategies]
    else:
        colors = [PALETTE[0]] * len(nodes)
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
            Line2D([], [], marker="o", linestyle="", color=STRATEGY_COLORS.get(s, NEUTRAL), label=s)
            for s in present
        ]
    if dashed or not by_strategy or any(k == "military" for _, _, k in edges):
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
