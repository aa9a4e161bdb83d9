"""The history report: the great powers' shares, concentration, alliances and wars, by year.

:func:`history_sections` builds the report on the historical system (COW, ATOP) from one
year to another, side by side with a simulation when one is given (history left, the
simulation right).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from equipoise.report import data, figures
from equipoise.report.sections.blocks import Block, Section
from equipoise.report.sections.simulation import (
    WAR_SIZE_LABEL,
    network_blocks,
    shares_block,
    shown_replication,
    summary_table,
    war_ccdfs,
    war_counts,
)
from equipoise.results import Result

__all__ = ["history_sections", "history_table", "network_years"]


def history_table(system: pd.DataFrame, every: int = 10) -> pd.DataFrame:
    """The history measures every ``every`` years (and the last year), formatted as text."""
    years = system.index.to_numpy()
    keep = [y for y in years if (y - years[0]) % every == 0]
    if years[-1] not in keep:
        keep.append(years[-1])
    rows = system.loc[keep]
    return pd.DataFrame(
        {
            "major powers": rows["majors"].astype(int).astype(str),
            "leader": rows["leader"].astype(str),
            "leader share": rows["leader_share"].map("{:.3f}".format),
            "CON, majors": rows["concentration"].map("{:.3f}".format),
            "poles (≥ 0.1)": rows["n_poles"].astype(int).astype(str),
            "CON, all states": rows["concentration_all"].map("{:.3f}".format),
        },
        index=pd.Index(keep, name="year"),
    )


def network_years(start: int, end: int, k: int = 4) -> list[int]:
    """``k`` evenly spaced years from ``start`` to ``end`` (fewer if the range is short).

    Examples
    --------
    >>> network_years(1816, 2016)
    [1816, 1883, 1949, 2016]
    """
    return sorted({round(float(y)) for y in np.linspace(start, end, k)})


def history_sections(
    start: int,
    end: int,
    results: Sequence[Result] = (),
    samples: int = 1,
    replication: int | None = None,
) -> list[Section]:
    """Sections of the history report, side by side with a simulation when one is given.

    Parameters
    ----------
    start, end : int
        Years (inclusive), within the capability data (1816-2016 built in).
    results : sequence of Result
        Simulations to show next to history (the first is used).
    samples : int
        Sample replications of the simulation whose shares are shown.
    replication : int, optional
        The simulated replication whose alliance networks are shown (default:
        the first).
    """
    first, last = data.history_years()
    if not first <= start <= end <= last:
        raise ValueError(
            f"years must satisfy {first} <= from <= to <= {last}; got from {start}, to {end}"
        )
    system = data.history_system(start, end)
    hist = _history_blocks(start, end, system)
    sim = results[0] if results else None
    simulated = (
        _simulation_blocks(sim, samples, shown_replication(sim, replication))
        if sim is not None
        else {}
    )
    titles = {
        "shares": "Great powers' capability shares",
        "concentration": "Concentration",
        "alliances": "Alliance networks (ATOP)",
        "wars": "War sizes",
    }
    sections = [
        Section(key, title, _side_by_side(hist[key], simulated.get(key)), 2 if sim else 1)
        for key, title in titles.items()
    ]
    table = Section(
        "table",
        "By decade",
        [Block(caption="History: the distribution of capabilities", table=history_table(system))],
    )
    if sim is not None:
        table.blocks.append(Block(caption="Simulation", table=summary_table([sim])))
    sources = Section(
        "sources",
        "Sources",
        [
            Block(
                text=(
                    "Capabilities: Correlates of War National Material Capabilities v6.0 "
                    "(Singer, Bremer & Stuckey 1972; Greig & Enterline 2021); major powers: COW "
                    "State System Membership v2016; wars: COW Inter-State War Data v4.0 "
                    "(Sarkees & Wayman 2010); alliances: ATOP 5.1 (Leeds et al. 2002). "
                    "Measures are computed with equipoise.metrics, the code that measures "
                    "simulations. Versions and terms: src/equipoise/data/SOURCES.md."
                )
            )
        ],
    )
    return [*sections, table, sources]


def _history_blocks(start: int, end: int, system: pd.DataFrame) -> dict[str, list[Block]]:
    """The history column: shares, concentration, alliance networks and war sizes."""
    wide = data.history_shares(start, end)
    labels, layers = data.share_stack(wide.to_numpy(), list(wide.columns), max_layers=12)
    out: dict[str, list[Block]] = {}
    out["shares"] = [
        Block(
            caption=(
                f"History, {start}-{end}: each COW major power's share of the major powers' "
                "combined CINC (Correlates of War National Material Capabilities v6.0)."
            ),
            figure=figures.shares_figure(
                labels,
                layers,
                title=f"great powers {start}-{end}",
                x=wide.index.to_numpy(),
                xlabel="year",
            ),
        )
    ]
    out["concentration"] = [
        Block(
            caption=(
                "History: Ray-Singer concentration (CON) among the major powers and over all "
                "system members, and the leading power's share of great-power capabilities."
            ),
            figure=figures.history_concentration_figure(system),
        )
    ]
    out["alliances"] = []
    for year in network_years(start, end):
        g = data.history_alliance_graph(year)
        out["alliances"].append(
            Block(
                caption=(
                    f"History, {year}: the major powers and the ATOP 5.1 alliances in force "
                    "among them (solid: defence or offence pact; dashed: neutrality, "
                    "non-aggression or consultation only). Node area is proportional to the "
                    "share of great-power CINC."
                ),
                figure=figures.network_figure(
                    g, data.graph_layout(g), title=f"great powers, {year}", by_strategy=False
                ),
            )
        )
    deaths = data.history_war_sizes(start, end)
    out["wars"] = [
        Block(
            caption=(
                f"History: battle deaths of the {deaths.size} COW inter-state wars begun in "
                f"{start}-{end} with a known count (Inter-State War Data v4.0), as "
                "P(deaths ≥ s) on log-log axes."
            ),
            figure=figures.war_size_figure(
                {"COW inter-state wars": data.war_size_ccdf(deaths)},
                xlabel="battle deaths",
                title=f"war sizes {start}-{end}",
            ),
        )
    ]
    return out


def _simulation_blocks(sim: Result, samples: int, replication: int) -> dict[str, list[Block]]:
    """The simulation column of the history report."""
    ds = sim.dataset
    name = str(sim.provenance["scenario_name"])
    reps = data.sample_replications(ds["hegemony_onset"].values, ds["replication"].values, samples)
    shares = []
    for rep in reps:
        block = shares_block(sim, rep)
        block.caption = f"Simulation {name}, replication {rep}. " + block.caption
        shares.append(block)
    conc = Block(
        caption=(
            f"Simulation {name}: CON and the leader's share across "
            f"{ds.sizes['replication']} replications (median, 50% and 90% bands)."
        ),
        figure=figures.bands_figure(
            {
                "simulated CON": data.quantile_bands(ds["concentration"].values),
                "simulated leader share": data.quantile_bands(ds["leader_share"].values),
            },
            ylims={"simulated CON": (0, 1), "simulated leader share": (0, 1)},
        ),
    )
    wars = Block(
        caption=(
            f"Simulation {name}: sizes of its finished wars, military destroyed relative to the "
            f"world's military stock ({war_counts([sim])})."
        ),
        figure=figures.war_size_figure(war_ccdfs([sim]), xlabel=WAR_SIZE_LABEL),
    )
    return {
        "shares": shares,
        "concentration": [conc],
        "alliances": network_blocks(sim, replication, k=4),
        "wars": [wars],
    }


def _side_by_side(hist: list[Block], sim: list[Block] | None) -> list[Block]:
    """Alternate history and simulation blocks (left and right columns), padding with blanks."""
    if sim is None:
        return hist
    out: list[Block] = []
    for i in range(max(len(hist), len(sim))):
        out.append(hist[i] if i < len(hist) else Block())
        out.append(sim[i] if i < len(sim) else Block())
    return out
