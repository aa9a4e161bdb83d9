"""The report's content as sections of figures and tables, shared by HTML and dashboard.

A :class:`Section` is a titled list of :class:`Block` s (a figure, a table, a
paragraph or a block of code). :func:`simulation_sections` and
:func:`history_sections` build them from results and from the historical
data; :mod:`equipoise.report.render` turns them into one HTML page and the
dashboard shows the same figures in the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise.report import data, figures
from equipoise.results import Result

__all__ = [
    "Block",
    "Section",
    "history_sections",
    "history_table",
    "simulation_sections",
    "summary_table",
]

#: Rows of the summary table: summary column -> (label, format).
_SUMMARY_ROWS: dict[str, tuple[str, str]] = {
    "replications": ("replications", "{:.0f}"),
    "steps": ("steps", "{:.0f}"),
    "hegemony_rate": ("hegemony rate", "{:.3f}"),
    "hegemony_ci_low": ("  95% interval, low", "{:.3f}"),
    "hegemony_ci_high": ("  95% interval, high", "{:.3f}"),
    "time_to_hegemony": ("time to hegemony (median step)", "{:.1f}"),
    "survivors": ("survivors at the end (mean)", "{:.2f}"),
    "mean_concentration": ("mean concentration (CON)", "{:.3f}"),
    "final_leader_share": ("final leader share (mean)", "{:.3f}"),
    "wars_per_step": ("wars per step", "{:.3f}"),
}


@dataclass
class Block:
    """One item of a section: exactly one of figure, table, text or code.

    Attributes
    ----------
    caption : str
        Shown under a figure, above a table.
    figure : matplotlib Figure, optional
    table : DataFrame, optional
        Shown with its index.
    text : str, optional
        A paragraph of plain text.
    code : str, optional
        Preformatted text (a scenario's TOML), folded away in the HTML report.
    """

    caption: str = ""
    figure: Figure | None = None
    table: pd.DataFrame | None = None
    text: str | None = None
    code: str | None = None


@dataclass
class Section:
    """A titled part of the report.

    Attributes
    ----------
    key : str
        Anchor name (letters, digits and ``-``).
    title : str
    blocks : list of Block
    columns : int
        1, or 2 to show blocks side by side (history left, simulation right).
    """

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    columns: int = 1


def summary_table(results: Sequence[Result]) -> pd.DataFrame:
    """The headline outcomes, measures as rows and scenarios side by side, as text."""
    summary = pd.concat([r.summary() for r in results])
    rows = {}
    for col, (label, fmt) in _SUMMARY_ROWS.items():
        rows[label] = ["—" if pd.isna(v) else fmt.format(float(v)) for v in summary[col].to_numpy()]
    out = pd.DataFrame(rows, index=[str(i) for i in summary.index]).T
    out.index.name = "measure"
    return out


def _provenance_table(results: Sequence[Result]) -> pd.DataFrame:
    cols = {}
    for r in results:
        p = r.provenance
        cols[str(p["scenario_name"])] = {k: str(v) for k, v in p.items() if k != "scenario_name"}
    out = pd.DataFrame(cols)
    out.index.name = "provenance"
    return out


def _fisher_text(results: Sequence[Result]) -> str | None:
    if len(results) != 2:
        return None
    from scipy.stats import fisher_exact

    table = []
    names = []
    for r in results:
        onset = r.dataset["hegemony_onset"].values
        hits = int((onset >= 0).sum())
        table.append([hits, onset.size - hits])
        names.append(r.provenance["scenario_name"])
    _, p = fisher_exact(table)
    return (
        f"Hegemony rate {names[0]} vs {names[1]}: Fisher exact test p = {p:.3g} "
        f"({table[0][0]}/{sum(table[0])} vs {table[1][0]}/{sum(table[1])} replications)."
    )


def _shares_block(result: Result, rep: int) -> Block:
    ds = result.dataset
    scenario = result.scenario
    names = [str(n) for n in ds["state"].values]
    onset = int(ds["hegemony_onset"].sel(replication=rep))
    hegemon = int(ds["hegemon"].sel(replication=rep))
    if "share" in ds:
        share = ds["share"].sel(replication=rep).values
        labels, layers = data.share_stack(share, names, first=hegemon if onset >= 0 else None)
    else:
        labels = ["leader"]
        layers = ds["leader_share"].sel(replication=rep).values[None, :]
    who = names[hegemon] if onset >= 0 else None
    fig = figures.shares_figure(
        labels,
        layers,
        title=f"{scenario.name}: replication {rep}",
        threshold=scenario.hegemony.hegemony_threshold,
        onset=onset if onset >= 0 else None,
        run_up=scenario.hegemony.hegemony_duration,
        hegemon=who,
    )
    if onset >= 0:
        note = (
            f"{who} holds at least {scenario.hegemony.hegemony_threshold:g} of capabilities "
            f"for {scenario.hegemony.hegemony_duration} steps: hegemony from step {onset} "
            "(vertical line; the shaded steps established it). It is the bottom layer, so "
            "read it against the dashed threshold line."
        )
    else:
        note = "No hegemony in this replication."
    return Block(caption=note, figure=fig)


def _network_blocks(result: Result, reps: Sequence[int]) -> list[Block]:
    ds = result.dataset
    wanted = {r: data.snapshot_step(ds["alliances"].sel(replication=r).values) for r in reps}
    snaps = data.replay(result, wanted)
    blocks = []
    for rep in reps:
        snap = snaps[rep]
        g = data.alliance_graph(snap)
        fig = figures.network_figure(
            g,
            data.graph_layout(g),
            title=f"{result.scenario.name}: replication {rep}, step {snap.step}",
        )
        check = (
            "replayed exactly from the provenance"
            if snap.reproduced
            else "WARNING: the replay does not match the recorded measures"
        )
        caption = (
            f"Alliances in force at step {snap.step} ({g.number_of_edges()} alliances among "
            f"{g.number_of_nodes()} living states; the step with the most alliances, or the "
            f"last step if none formed). Node area is proportional to capability share; "
            f"colour is the strategy. State {check}."
        )
        blocks.append(Block(caption=caption, figure=fig))
    return blocks


def _war_ccdfs(results: Sequence[Result]) -> dict[str, pd.DataFrame]:
    return {
        str(r.provenance["scenario_name"]): data.war_size_ccdf(r.wars["size"].to_numpy())
        for r in results
    }


def simulation_sections(results: Sequence[Result], samples: int = 3) -> list[Section]:
    """Sections of a report on one result or on several compared results.

    Parameters
    ----------
    results : sequence of Result
        One result, or several (from ``equipoise compare``) shown side by side
        in the tables and the hegemony-rate chart.
    samples : int
        Sample replications shown per result (stacked shares and networks).
    """
    if not results:
        raise ValueError("no result to report on")
    sections: list[Section] = []
    summary = Section("summary", "Summary")
    summary.blocks.append(
        Block(caption="Headline outcomes (as printed by the CLI)", table=summary_table(results))
    )
    summary.blocks.append(
        Block(
            caption="Hegemony rate with its 95% Wilson interval",
            figure=figures.rates_figure(data.hegemony_rates(results)),
        )
    )
    fisher = _fisher_text(results)
    if fisher:
        summary.blocks.append(Block(text=fisher))
    sections.append(summary)

    shares = Section("shares", "Capability shares over time")
    timing = Section("hegemony", "Time to hegemony")
    bands = Section("bands", "Survivors and concentration across replications")
    networks = Section("alliances", "Alliance networks")
    for r in results:
        ds = r.dataset
        name = str(r.provenance["scenario_name"])
        onset = ds["hegemony_onset"].values
        reps = data.sample_replications(onset, ds["replication"].values, samples)
        shares.blocks.extend(_shares_block(r, rep) for rep in reps)
        steps = int(ds.attrs["steps"])
        timing.blocks.append(
            Block(
                caption=(
                    f"{name}: {int((onset >= 0).sum())} of {onset.size} replications reach "
                    f"hegemony within {steps} steps. Left, when it is established; right, "
                    "the share of replications hegemonic by each step."
                ),
                figure=figures.timing_figure(data.hegemony_timing(onset, steps), onset, title=name),
            )
        )
        bands.blocks.append(
            Block(
                caption=(
                    f"{name}: states alive and Ray-Singer concentration (CON) at each step, "
                    f"over {onset.size} replications."
                ),
                figure=figures.bands_figure(
                    {
                        f"{name}: survivors": data.quantile_bands(ds["survivors"].values),
                        f"{name}: concentration (CON)": data.quantile_bands(
                            ds["concentration"].values
                        ),
                    },
                    ylims={f"{name}: concentration (CON)": (0.0, 1.0)},
                ),
            )
        )
        networks.blocks.extend(_network_blocks(r, reps))
    sections += [shares, timing, bands, networks]

    n_wars = {str(r.provenance["scenario_name"]): len(r.wars) for r in results}
    sections.append(
        Section(
            "wars",
            "War sizes",
            [
                Block(
                    caption=(
                        "Complementary cumulative distribution of war sizes (military stock "
                        "destroyed, both sides) on log-log axes; a straight line is a power "
                        "law (Richardson 1948; Cederman 2003). Wars: "
                        + ", ".join(f"{k} {v}" for k, v in n_wars.items())
                        + "."
                    ),
                    figure=figures.war_size_figure(
                        _war_ccdfs(results), xlabel="war size (military destroyed)"
                    ),
                )
            ],
        )
    )
    prov = Section("provenance", "Provenance")
    prov.blocks.append(
        Block(caption="Scenario hash, seed and versions", table=_provenance_table(results))
    )
    for r in results:
        prov.blocks.append(
            Block(
                caption=f"Scenario {r.provenance['scenario_name']} (TOML)",
                code=r.dataset.attrs["scenario"],
            )
        )
    sections.append(prov)
    return sections


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
    start: int, end: int, results: Sequence[Result] = (), samples: int = 1
) -> list[Section]:
    """Sections of the history report, side by side with a simulation when one is given.

    Parameters
    ----------
    start, end : int
        Years (inclusive), within the capability data (1816-2016 built in).
    results : sequence of Result
        Simulations to show next to history (the first is used).
    samples : int
        Sample replications of the simulation shown.
    """
    first, last = data.history_years()
    if not first <= start <= end <= last:
        raise ValueError(
            f"years must satisfy {first} <= from <= to <= {last}; got from {start}, to {end}"
        )
    system = data.history_system(start, end)
    hist = _history_blocks(start, end, system)
    sim = results[0] if results else None
    simulated = _simulation_blocks(sim, samples) if sim is not None else {}
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


def _simulation_blocks(sim: Result, samples: int) -> dict[str, list[Block]]:
    """The simulation column of the history report."""
    ds = sim.dataset
    name = str(sim.provenance["scenario_name"])
    reps = data.sample_replications(ds["hegemony_onset"].values, ds["replication"].values, samples)
    shares = []
    for rep in reps:
        block = _shares_block(sim, rep)
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
        caption=f"Simulation {name}: war sizes (military stock destroyed).",
        figure=figures.war_size_figure(_war_ccdfs([sim]), xlabel="war size (military destroyed)"),
    )
    return {
        "shares": shares,
        "concentration": [conc],
        "alliances": _network_blocks(sim, reps),
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
