"""The History tab: the great powers since 1816 for a range of years.

Their shares of capabilities (COW NMC), concentration, an ATOP alliance
network in one year and the sizes of their wars, then a table by decade.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from equipoise.report import data, figures
from equipoise.report.sections import history_table

__all__ = ["history_tab"]


@st.cache_data(show_spinner="Reading the Correlates of War and ATOP data…", max_entries=16)
def _history_view(start: int, end: int, year: int) -> dict[str, Any]:
    system = data.history_system(start, end)
    wide = data.history_shares(start, end)
    labels, layers = data.share_stack(wide.to_numpy(), list(wide.columns), max_layers=12)
    g = data.history_alliance_graph(year)
    deaths = data.history_war_sizes(start, end)
    return {
        "shares": figures.to_png(
            figures.shares_figure(
                labels,
                layers,
                title=f"great powers {start}-{end}",
                x=wide.index.to_numpy(),
                xlabel="year",
            )
        ),
        "concentration": figures.to_png(figures.history_concentration_figure(system)),
        "network": figures.to_png(
            figures.network_figure(
                g, data.graph_layout(g), title=f"great powers, {year}", by_strategy=False
            )
        ),
        "wars": figures.to_png(
            figures.war_size_figure(
                {"COW inter-state wars": data.war_size_ccdf(deaths)},
                xlabel="battle deaths",
                title=f"war sizes {start}-{end}",
            )
        ),
        "n_wars": int(deaths.size),
        "table": history_table(system),
    }


def history_tab() -> None:
    """The range of years and the alliance network's year; the figures and table."""
    first, last = data.history_years()
    start, end = st.slider("Years", first, last, (first, last), key="hist_years")
    if start < end:
        year = st.slider(
            "Alliance network in", start, end, min(max(1913, start), end), key="hist_y"
        )
    else:
        year = start
    view = _history_view(int(start), int(end), int(year))
    c1, c2 = st.columns(2)
    c1.image(
        view["shares"],
        caption="Each COW major power's share of the major powers' combined CINC (NMC v6.0).",
    )
    c2.image(
        view["concentration"],
        caption="Ray-Singer concentration among the major powers and all states; leader share.",
    )
    c1.image(
        view["network"],
        caption=f"ATOP 5.1 alliances in force among the major powers in {year} (solid: defence "
        "or offence; dashed: other pacts). Node area: share of great-power CINC.",
    )
    c2.image(
        view["wars"],
        caption=f"Battle deaths of the {view['n_wars']} COW inter-state wars begun in "
        f"{start}-{end}, P(deaths ≥ s) on log-log axes.",
    )
    st.subheader("By decade")
    st.table(view["table"])
