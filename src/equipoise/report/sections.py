"""The report's content as sections of figures and tables, shared by HTML and dashboard.

A :class:`Section` is a titled list of :class:`Block` s (a figure, a table, a
paragraph or a block of code). :func:`simulation_sections` and
:func:`history_sections` build them from results and from the historical
data, :func:`validation_section` from a validation against history, and
:func:`output_sections` from the directory of a calibration, a counterfactual
or a validation (:func:`included_sections`: for inclusion in another report);
:mod:`equipoise.report.render` turns them into one HTML page and the
dashboard shows the same figures in the browser.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise.report import data, figures
from equipoise.results import Result

__all__ = [
    "FIND_VISITS",
    "INCLUDABLE",
    "SIMULATION_SECTIONS",
    "Block",
    "Section",
    "find_outputs",
    "history_sections",
    "history_table",
    "included_sections",
    "output_kind",
    "output_sections",
    "points_table",
    "simulation_sections",
    "summary_table",
    "sweep_sections",
    "validation_section",
    "validation_sections",
    "validation_table",
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
    "wars_per_step": ("war onsets per step", "{:.3f}"),
    "deaths_per_state_step": ("state deaths per state-step", "{:.4f}"),
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
    classes : tuple of str
        Layout hints for the HTML report: ``"wide"`` spans the whole width of
        the page, ``"prose"`` aligns a table's cells left (for text rather
        than numbers), ``"text-last"`` only its last column. The dashboard
        shows a wide block across both of its columns and ignores the others.
    """

    caption: str = ""
    figure: Figure | None = None
    table: pd.DataFrame | None = None
    text: str | None = None
    code: str | None = None
    classes: tuple[str, ...] = ()


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
    _, p = fisher_exact(np.array(table))
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


def _first_replication(result: Result, replication: int | None) -> int:
    """The replication to map (the first of the result unless one is asked for)."""
    labels = [int(x) for x in result.dataset["replication"].values]
    if replication is None:
        return labels[0]
    if int(replication) not in labels:
        raise ValueError(
            f"replication {replication} is not in the result "
            f"'{result.provenance['scenario_name']}' (it has {labels[0]}..{labels[-1]})"
        )
    return int(replication)


def _network_blocks(result: Result, replication: int, k: int = 3) -> list[Block]:
    """Alliance networks of one replication at up to ``k`` steps, from the recorded blocs."""
    ds = result.dataset
    name = str(result.provenance["scenario_name"])
    steps = data.network_steps(ds["alliances"].sel(replication=replication).values, k)
    if not steps:
        return [
            Block(
                text=(
                    f"{name}, replication {replication}: no alliance was in force at any step, "
                    "so there is no network to draw."
                )
            )
        ]
    blocks = []
    for step in steps:
        snap = data.snapshot(result, replication, step)
        g = data.alliance_graph(snap)
        fig = figures.network_figure(
            g,
            data.graph_layout(g),
            title=f"{name}: replication {replication}, step {step}",
        )
        found = data.blocs(snap)
        listed = "; ".join(f"{label} ({k} states)" for label, k in found[:4])
        if len(found) > 4:
            listed += f"; {len(found) - 4} more"
        caption = (
            f"Alliances in force at step {step}: {g.number_of_edges()} allied pairs among "
            f"{g.number_of_nodes()} living states, in {len(found)} "
            f"bloc{'s' if len(found) != 1 else ''} ({listed}). States in one bloc are all "
            "allied, so each bloc is a clique. Node area is proportional to capability share; "
            "colour is the strategy. Steps: the first with an alliance, the one with the most, "
            "and the last."
        )
        blocks.append(Block(caption=caption, figure=fig))
    return blocks


#: Panels of the map of territories.
MAP_PANELS = 6


def _map_block(result: Result, replication: int, panels: int = MAP_PANELS) -> Block:
    """Small multiples of one replication's map of territories."""
    tmap = data.territory_map(result, replication)
    steps = data.map_steps(tmap.steps, panels)
    colors = data.state_colors(len(tmap.names), data.neighbours(tmap, steps))
    name = str(result.provenance["scenario_name"])
    fig = figures.territory_figure(tmap, steps, colors, title=f"{name}: replication {replication}")
    seed = result.provenance["seed"]
    how = {
        "recorded": "recorded in the result",
        "replayed": (
            f"replayed exactly: re-run from the provenance (seed {seed}, replication "
            f"{replication}), every measure the result recorded for it matches bit for bit"
        ),
        "replay differs": (
            "WARNING: re-run from the provenance, but the replay does not match the recorded "
            "measures, so this may not be the map of this result"
        ),
    }[tmap.source]
    alive_end = int(tmap.alive(tmap.steps).sum())
    caption = (
        f"Territories of replication {replication} on the {tmap.width} x {tmap.height} lattice "
        f"of provinces, coloured by owner (a state keeps its colour in every panel), at steps "
        f"{', '.join(map(str, steps))}; {len(tmap.names)} states at the start, {alive_end} at "
        f"the end. "
        + (
            "Dots mark the capitals of living states; taking a capital destroys a state. "
            if tmap.capitals is not None
            else ""
        )
        + f"The map is {how}."
    )
    return Block(caption=caption, figure=fig)


def _war_ccdfs(results: Sequence[Result]) -> dict[str, pd.DataFrame]:
    """CCDF of the relative sizes of the wars that ended before the end of each run."""
    out = {}
    for r in results:
        wars = r.wars
        done = wars[wars["ongoing"] == 0]
        out[str(r.provenance["scenario_name"])] = data.war_size_ccdf(
            done["relative_size"].to_numpy()
        )
    return out


def _war_counts(results: Sequence[Result]) -> str:
    parts = []
    for r in results:
        wars = r.wars
        ongoing = int((wars["ongoing"] != 0).sum())
        parts.append(
            f"{r.provenance['scenario_name']} {len(wars) - ongoing}"
            + (f" (and {ongoing} still being fought at the end, left out)" if ongoing else "")
        )
    return ", ".join(parts)


#: Axis label of simulated war sizes.
WAR_SIZE_LABEL = "war size / world military"


#: Keys of the sections of a simulation report, in order.
SIMULATION_SECTIONS: tuple[str, ...] = (
    "summary",
    "shares",
    "hegemony",
    "bands",
    "map",
    "alliances",
    "wars",
    "provenance",
)


def simulation_sections(
    results: Sequence[Result],
    samples: int = 3,
    replication: int | None = None,
    only: Collection[str] | None = None,
) -> list[Section]:
    """Sections of a report on one result or on several compared results.

    Parameters
    ----------
    results : sequence of Result
        One result, or several (from ``equipoise compare``) shown side by side
        in the tables and the hegemony-rate chart.
    samples : int
        Sample replications whose capability shares are shown, per result.
    replication : int, optional
        The replication whose map of territories and alliance networks are
        shown (default: each result's first). Compared results run with the
        same seed start from the same map in the same replication.
    only : collection of str, optional
        Build only these sections (keys of :data:`SIMULATION_SECTIONS`; default all).

    Raises
    ------
    ValueError
        If there is no result, a result does not hold ``replication``, or
        ``only`` names an unknown section.
    """
    if not results:
        raise ValueError("no result to report on")
    wanted = set(SIMULATION_SECTIONS if only is None else only)
    unknown = sorted(wanted - set(SIMULATION_SECTIONS))
    if unknown:
        raise ValueError(
            f"unknown section {unknown[0]!r}; choose from {', '.join(SIMULATION_SECTIONS)}"
        )
    chosen = [_first_replication(r, replication) for r in results]
    built: dict[str, Section] = {
        "summary": Section("summary", "Summary"),
        "shares": Section("shares", "Capability shares over time"),
        "hegemony": Section("hegemony", "Time to hegemony"),
        "bands": Section("bands", "Survivors and concentration across replications"),
        "map": Section("map", "Territories over time"),
        "alliances": Section("alliances", "Alliance networks"),
        "wars": Section("wars", "War sizes"),
        "provenance": Section("provenance", "Provenance"),
    }
    if "summary" in wanted:
        summary = built["summary"]
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
    for r, mapped in zip(results, chosen, strict=True):
        ds = r.dataset
        name = str(r.provenance["scenario_name"])
        onset = ds["hegemony_onset"].values
        if "shares" in wanted:
            reps = data.sample_replications(onset, ds["replication"].values, samples)
            built["shares"].blocks.extend(_shares_block(r, rep) for rep in reps)
        if "hegemony" in wanted:
            steps = int(ds.attrs["steps"])
            built["hegemony"].blocks.append(
                Block(
                    caption=(
                        f"{name}: {int((onset >= 0).sum())} of {onset.size} replications reach "
                        f"hegemony within {steps} steps. Left, when it is established; right, "
                        "the share of replications hegemonic by each step."
                    ),
                    figure=figures.timing_figure(
                        data.hegemony_timing(onset, steps), onset, title=name
                    ),
                )
            )
        if "bands" in wanted:
            built["bands"].blocks.append(
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
        if "map" in wanted:
            built["map"].blocks.append(_map_block(r, mapped))
        if "alliances" in wanted:
            built["alliances"].blocks.extend(_network_blocks(r, mapped))
    if "wars" in wanted:
        built["wars"].blocks.append(
            Block(
                caption=(
                    "Complementary cumulative distribution P(S ≥ s) of war sizes on "
                    "log-log axes: a war's size is the military destroyed in all its "
                    "battles, both sides, divided by the world's military stock when it "
                    "began. A straight line is a power law (Richardson 1948); Cederman "
                    "(2003) reports a slope of about -0.41 for the COW inter-state wars. "
                    f"Wars: {_war_counts(results)}."
                ),
                figure=figures.war_size_figure(_war_ccdfs(results), xlabel=WAR_SIZE_LABEL),
            )
        )
    if "provenance" in wanted:
        prov = built["provenance"]
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
    return [built[key] for key in SIMULATION_SECTIONS if key in wanted]


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
        _simulation_blocks(sim, samples, _first_replication(sim, replication))
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
        caption=(
            f"Simulation {name}: sizes of its finished wars, military destroyed relative to the "
            f"world's military stock ({_war_counts([sim])})."
        ),
        figure=figures.war_size_figure(_war_ccdfs([sim]), xlabel=WAR_SIZE_LABEL),
    )
    return {
        "shares": shares,
        "concentration": [conc],
        "alliances": _network_blocks(sim, replication, k=4),
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


# ------------------------------------------------------------------ sweeps
#: Columns of the per-point table: outcome column -> (label, format).
_POINT_COLUMNS: dict[str, tuple[str, str]] = {
    "replications": ("replications", "{:.0f}"),
    "hegemonies": ("hegemonies", "{:.0f}"),
    "hegemony_rate": ("hegemony rate", "{:.3f}"),
    "hegemony_ci_low": ("95% low", "{:.3f}"),
    "hegemony_ci_high": ("95% high", "{:.3f}"),
    "time_to_hegemony": ("time to hegemony", "{:.1f}"),
    "survivors": ("survivors", "{:.2f}"),
    "mean_concentration": ("CON", "{:.3f}"),
    "final_leader_share": ("final leader share", "{:.3f}"),
    "wars_per_step": ("wars per step", "{:.3f}"),
}
#: Manifest fields shown in the sweep's provenance table, in order.
_MANIFEST_FIELDS = (
    "name",
    "description",
    "spec_hash",
    "design",
    "factors",
    "points",
    "replications",
    "steps",
    "seed",
    "chunk_size",
    "chunks",
    "created",
    "format",
    "equipoise_version",
    "numpy_version",
    "python_version",
)
#: At most this many cells (levels x levels) for a heat map of two parameters.
_MAX_MAP_CELLS = 400


def _cell(value: object, fmt: str | None = None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if fmt is not None:
        return fmt.format(float(value))  # type: ignore[arg-type]
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    return str(value)


def points_table(points: pd.DataFrame, parameters: Sequence[str]) -> pd.DataFrame:
    """The per-point table of a sweep as text: parameter values, then outcomes.

    Parameters
    ----------
    points : DataFrame
        :attr:`equipoise.experiments.Analysis.points`.
    parameters : sequence of str
        Parameter columns to show (the varying ones, or all).
    """
    cols: dict[str, list[str]] = {}
    for name in parameters:
        cols[name] = [_cell(v) for v in points[name].tolist()]
    for col, (label, fmt) in _POINT_COLUMNS.items():
        cols[label] = [_cell(v, fmt) for v in points[col].tolist()]
    return pd.DataFrame(cols, index=pd.Index(points["point"].to_numpy(), name="point"))


def _box_table(box: pd.DataFrame) -> pd.DataFrame:
    rows = {}
    for rec in box.to_dict("records"):
        numeric = not isinstance(rec.get("design_levels"), str) or not rec.get("design_levels")
        if numeric and not pd.isna(rec.get("design_low")):
            inside = f"{_cell(rec['box_low'])} to {_cell(rec['box_high'])}"
            whole = f"{_cell(rec['design_low'])} to {_cell(rec['design_high'])}"
        else:
            inside, whole = str(rec["box_levels"]), str(rec["design_levels"])
        rows[str(rec["parameter"])] = {
            "in the box": inside,
            "whole design": whole,
            "restricted": "yes" if bool(rec["restricted"]) else "no",
        }
    out = pd.DataFrame.from_dict(
        rows, orient="index", columns=["in the box", "whole design", "restricted"]
    )
    out.index.name = "parameter"
    return out


def _rate_blocks(sweep: data.SweepData) -> list[Block]:
    analysis = sweep.analysis
    points = analysis.points
    factors = analysis.spec.factor_kinds()
    names = list(factors)
    if len(names) == 2:
        x, y = names
        levels = points[x].nunique() * points[y].nunique()
        cells = len(points[[x, y]].drop_duplicates())
        if levels <= _MAX_MAP_CELLS and cells * 2 >= levels:
            grid = data.rate_grid(points, x, y)
            return [
                Block(
                    caption=(
                        f"Hegemony rate over {x} (across) and {y} (up): the share of "
                        "replications reaching hegemony in each cell, replications of points "
                        "with the same pair of values pooled. Per-point Wilson intervals are in "
                        "the table below."
                    ),
                    figure=figures.rate_map_figure(grid),
                ),
                Block(
                    caption="The same points against each parameter, with 95% Wilson intervals.",
                    figure=figures.sweep_rate_figure(data.rate_by_parameter(points, factors)),
                ),
            ]
    if not names:
        rates = points.set_index(points["point"].map("point {}".format))[
            ["replications", "hegemony_rate", "hegemony_ci_low", "hegemony_ci_high"]
        ]
        return [
            Block(
                caption="No parameter varies: the hegemony rate of the single point.",
                figure=figures.rates_figure(rates),
            )
        ]
    what = "its value" if len(names) == 1 else "each swept parameter (one panel each)"
    return [
        Block(
            caption=(
                f"Hegemony rate of each design point against {what}, with its 95% Wilson "
                f"interval over {analysis.spec.replications} replications."
            ),
            figure=figures.sweep_rate_figure(data.rate_by_parameter(points, factors)),
        )
    ]


def _sensitivity_blocks(analysis: Any) -> list[Block]:
    design = analysis.spec.design
    if analysis.sensitivity is None:
        return [
            Block(
                text=(
                    f"No sensitivity indices: a {design} design does not provide them "
                    "(use a sobol or morris design)."
                )
            )
        ]
    bars = data.sensitivity_bars(analysis.sensitivity)
    if design == "sobol":
        what = (
            "Sobol' first-order (S1) and total (ST) indices of each outcome, with 95% bootstrap "
            "intervals (SALib; Saltelli et al. 2010, Jansen 1999)."
        )
    else:
        what = (
            "Morris mu* (mean absolute elementary effect) of each outcome, with 95% bootstrap "
            "intervals (SALib; Morris 1991, Campolongo et al. 2007)."
        )
    blocks = [Block(caption=what, figure=figures.sensitivity_figure(bars))]
    table = analysis.sensitivity.copy()
    for col in table.columns[2:]:
        table[col] = [_cell(v, "{:.3f}") for v in table[col].tolist()]
    blocks.append(Block(caption="Sensitivity indices", table=table.set_index("outcome")))
    if analysis.second_order is not None and len(analysis.second_order):
        second = analysis.second_order.copy()
        for col in ("S2", "S2_conf"):
            second[col] = [_cell(v, "{:.3f}") for v in second[col].tolist()]
        blocks.append(
            Block(caption="Second-order Sobol' indices", table=second.set_index("outcome"))
        )
    return blocks


def _sweep_provenance(sweep: data.SweepData) -> pd.DataFrame:
    m = sweep.manifest
    rows = {}
    for key in _MANIFEST_FIELDS:
        if key in m and m[key] not in (None, ""):
            value = m[key]
            rows[key] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    out = pd.DataFrame({"value": rows})
    out.index.name = "provenance"
    return out


def sweep_sections(sweep: data.SweepData) -> list[Section]:
    """Sections of the report on a finished sweep.

    Parameters
    ----------
    sweep : SweepData
        From :func:`~equipoise.report.data.load_sweep`.

    Returns
    -------
    list of Section
        ``summary``, ``rate`` (hegemony rate against the swept parameters),
        ``sensitivity``, ``discovery`` (the PRIM box), ``points`` (the
        per-point table) and ``provenance``.
    """
    analysis = sweep.analysis
    spec = analysis.spec
    points = analysis.points
    hits = int(points["hegemonies"].sum())
    total = int(points["replications"].sum())
    factors = list(spec.factors)
    summary = Section("summary", "Summary")
    summary.blocks.append(
        Block(
            text=(
                f"Sweep {spec.name} of scenario {spec.base_scenario.name}: "
                f"a {spec.design} design of "
                f"{len(points)} points over {', '.join(factors) if factors else 'no parameter'}, "
                f"{spec.replications} replications of {spec.steps} steps each, seed {spec.seed}. "
                f"{hits} of {total} replications reach hegemony "
                f"({hits / total if total else float('nan'):.3f} overall)."
            )
        )
    )
    if analysis.notes:
        summary.blocks.append(Block(text="Notes: " + "; ".join(analysis.notes) + "."))
    rate = Section("rate", "Hegemony rate across the design", _rate_blocks(sweep))
    sens = Section("sensitivity", "Sensitivity", _sensitivity_blocks(analysis))
    stats = analysis.box_stats
    discovery = Section(
        "discovery",
        "Scenario discovery (PRIM box)",
        [
            Block(
                caption=(
                    "The region of the design where hegemony is likeliest, found by peeling "
                    "(Friedman & Fisher 1999; Bryant & Lempert 2010): density "
                    f"{_cell(stats.get('density'), '{:.3f}')} (hegemony rate inside), coverage "
                    f"{_cell(stats.get('coverage'), '{:.3f}')} (share of hegemonic replications "
                    f"inside), mass {_cell(stats.get('mass'), '{:.3f}')} (share of replications "
                    f"inside), {_cell(stats.get('points'), '{:.0f}')} points."
                ),
                table=_box_table(analysis.box),
            )
        ],
    )
    shown = factors or list(spec.parameters)
    table = Section(
        "points",
        "Per point",
        [
            Block(
                caption=(
                    "Outcomes of each design point: hegemony rate with its 95% Wilson interval, "
                    "median time to hegemony (among replications reaching it), survivors at the "
                    "end, mean Ray-Singer concentration (CON), final leader share, wars per step."
                ),
                table=points_table(points, shown),
            )
        ],
    )
    prov = Section(
        "provenance",
        "Provenance",
        [
            Block(
                caption="Spec hash, design and versions (manifest.json)",
                table=_sweep_provenance(sweep),
            ),
            Block(caption=f"Sweep {spec.name} (TOML)", code=sweep.spec_toml),
        ],
    )
    return [summary, rate, sens, discovery, table, prov]


# -------------------------------------------------------------- validation
def _sig(value: object, digits: int = 4) -> str:
    """A number to ``digits`` significant digits (``0`` for zero), or an em dash if missing."""
    if value is None or value is pd.NA:
        return "—"
    v = float(value)  # type: ignore[arg-type]
    if not np.isfinite(v):
        return "—"
    return "0" if v == 0 else f"{v:.{digits}g}"


def _verbatim(value: object) -> str:
    """A setting as validation.json holds it: strings as they are, the rest as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def validation_table(vd: data.ValidationData) -> pd.DataFrame:
    """The comparison as text, one row per statistic (the rows of ``comparison.csv``).

    Columns: ``history``, ``simulated median``, the central interval (``90%
    interval`` by default, as ``[low, high]``), ``n`` (replications with a
    value), ``inside`` (``yes``, ``no``, or ``—`` without a verdict) and
    ``what it measures``. Numbers have four significant digits; the CSV and
    JSON files keep every digit.
    """
    t = vd.table
    interval = [
        "—" if not (np.isfinite(lo) and np.isfinite(hi)) else f"[{_sig(lo)}, {_sig(hi)}]"
        for lo, hi in zip(t["sim_low"], t["sim_high"], strict=True)
    ]
    inside = ["—" if pd.isna(v) else ("yes" if bool(v) else "no") for v in t["inside"]]
    out = pd.DataFrame(
        {
            "history": [_sig(v) for v in t["history"]],
            "simulated median": [_sig(v) for v in t["sim_median"]],
            f"{100 * vd.level:.3g}% interval": interval,
            "n": [str(int(v)) for v in t["n_replications"]],
            "inside": inside,
            "what it measures": t["description"].astype(str).tolist(),
        },
        index=pd.Index(t["statistic"].astype(str).tolist(), name="statistic"),
    )
    return out


def _settings_table(vd: data.ValidationData) -> pd.DataFrame:
    rows = {str(k): _verbatim(v) for k, v in vd.settings.items()}
    for name, window in vd.history.get("windows", {}).items():
        rows[f"history window: {name}"] = _verbatim(window)
    out = pd.DataFrame({"value": rows})
    out.index.name = "setting"
    return out


def _fits_table(vd: data.ValidationData) -> pd.DataFrame:
    panels = data.validation_size_panels(vd)
    names = {
        "history": f"history ({data.HISTORY_SIZE_LABEL})",
        "simulation": "simulation, pooled (share of world military)",
    }
    rows = {}
    for panel in panels:
        b, t = panel.slope, panel.tail
        rows[names[panel.key]] = {
            "wars": str(int(panel.sizes.size)),
            "OLS slope": _sig(b.get("slope")),
            "slope SE": _sig(b.get("se"), 2),
            "R²": _sig(b.get("r_squared"), 3),
            "alpha": _sig(t.get("alpha")),
            "alpha SE": _sig(t.get("se"), 2),
            "x_min": _sig(t.get("xmin")),
            "wars ≥ x_min": str(int(t.get("n_tail") or 0)),
            "KS D": _sig(t.get("ks_distance"), 3),
            "R vs log-normal": _sig(t.get("loglik_ratio"), 3),
            "p": _sig(t.get("p_value"), 3),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "war sizes"
    return out


def validation_section(source: Any) -> Section:
    """The "Validation against history" section of a report.

    Shows, from a validation (:func:`equipoise.validate.validate_scenario`)
    or the directory ``equipoise validate`` wrote: the comparison table with
    its notes and settings verbatim; the war-size distributions of history
    and simulation on log-log axes (two panels, since the units differ), each
    with Cederman's (2003) OLS line and the power-law tail fitted above
    ``x_min`` (Clauset, Shalizi & Newman 2009), as the validation recorded
    them; and every statistic's per-replication values against history's.

    Parameters
    ----------
    source : Validation, ValidationData, str or Path
        The validation, or its output directory.

    Returns
    -------
    Section
        Key ``validation``.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`equipoise.report.data.validation_data`.
    """
    vd = data.validation_data(source)
    s = vd.settings
    verdicts = vd.verdicts()
    decided = len(verdicts["inside"]) + len(verdicts["outside"])
    level = f"{100 * vd.level:.3g}%"
    headline = (
        f"Scenario {s.get('scenario')} ({s.get('comparison')} comparison), "
        f"{s['start']}-{s['end']}: {s['replications']} replications of {s.get('steps')} steps, "
        f"seed {s.get('seed')}. History lies inside the simulated {level} interval for "
        f"{len(verdicts['inside'])} of {decided} statistics with a verdict."
        + (f" Outside: {', '.join(verdicts['outside'])}." if verdicts["outside"] else "")
        + (f" No verdict: {', '.join(verdicts['undecided'])}." if verdicts["undecided"] else "")
    )
    hist_n = int(vd.history_sizes.size)
    lo, hi = vd.history["windows"]["war_size"]
    sim_n = int(vd.simulated_sizes.size)
    sizes_caption = (
        "War sizes on log-log axes: P(S ≥ s), the share of wars at least as large as s, one "
        "point per distinct size. Two panels side by side, because the sizes are in different "
        f"units: history in battle deaths (the {hist_n} COW inter-state wars begun {lo}-{hi}, "
        "every war and not only the cohort's, rebuilt with equipoise.validate.war_size_sample "
        "from the recorded years), the simulation in military destroyed as a share of the "
        f"world's military at the war's onset (the {sim_n} wars of all {s['replications']} "
        "replications pooled). Dashed: Cederman's (2003) OLS line of log10 P(S ≥ s) on "
        "log10 s over all wars. Solid: the power-law tail fitted by maximum likelihood above "
        "x_min (dotted), chosen by the Kolmogorov-Smirnov distance (powerlaw; Clauset, "
        "Shalizi & Newman 2009), drawn as P(S ≥ s) = (n_tail / n)(s / x_min)^(1 − α). Both "
        "fits are scale-free, so slopes and exponents compare across the panels. The lines "
        "are the fits validation.json records; the simulated ones are on the pooled wars, "
        "whereas the table's simulated values are fits per replication."
    )
    strip_caption = (
        "Each statistic across replications (replications.csv): one dot per replication with a "
        f"value (spread vertically to be seen), the simulated median (line) and {level} "
        "interval (band), and history's value (red line). A replication with too few wars has "
        "no war-size fit (3 distinct sizes for the slope, 10 wars for the exponent), so those "
        "panels can have few dots or none."
    )
    blocks = [
        Block(text=headline, classes=("wide",)),
        Block(
            caption=(
                f"The comparison (comparison.csv): history's value, the simulated median and "
                f"central {level} interval across replications, the replications with a value "
                "(n), and whether history lies inside. Four significant digits; the CSV and "
                "JSON keep every digit."
            ),
            table=validation_table(vd),
            classes=("wide", "text-last"),
        ),
        Block(text="Notes (what is compared with what), verbatim:", classes=("wide",)),
        *(Block(text=note, classes=("wide",)) for note in vd.notes),
        Block(
            caption=sizes_caption,
            figure=figures.validation_sizes_figure(data.validation_size_panels(vd)),
            classes=("wide",),
        ),
        Block(
            caption=(
                "The war-size fits drawn above: Cederman's OLS slope with its standard error "
                "and R², and the power-law exponent alpha with its standard error, x_min, the "
                "wars above it, the Kolmogorov-Smirnov distance and the likelihood ratio R "
                "against a log-normal (positive favours the power law) with its p-value."
            ),
            table=_fits_table(vd),
            classes=("wide",),
        ),
        Block(
            caption=strip_caption,
            figure=figures.validation_strip_figure(vd.table, vd.replications, level=vd.level),
            classes=("wide",),
        ),
        Block(
            caption="Settings (validation.json), verbatim, and the years of each historical "
            "statistic",
            table=_settings_table(vd),
            classes=("wide", "prose"),
        ),
    ]
    return Section("validation", "Validation against history", blocks)


def validation_sections(source: Any) -> list[Section]:
    """Sections of the report on a validation: ``validation`` and ``provenance``.

    Parameters
    ----------
    source : Validation, ValidationData, str or Path
        The validation, or its output directory.
    """
    vd = data.validation_data(source)
    prov = pd.DataFrame({"value": {str(k): _verbatim(v) for k, v in vd.provenance.items()}})
    prov.index.name = "provenance"
    return [
        validation_section(vd),
        Section(
            "provenance",
            "Provenance",
            [Block(caption="Seed, scenario hash and versions of the run", table=prov)],
        ),
    ]


# ------------------------------------------------------------ included outputs
#: The outputs whose sections a report can include, and the command that writes each.
INCLUDABLE: dict[str, str] = {
    "calibration": "equipoise calibrate",
    "counterfactual": "equipoise counterfactual",
    "validation": "equipoise validate",
}


def output_kind(directory: str | Path) -> str | None:
    """Which of :data:`INCLUDABLE` the directory is the output of (None: none of them).

    The test is the same as ``equipoise report``'s: ``calibration.json`` marks a
    calibration, ``counterfactual.json`` a counterfactual, and ``validation.json`` (or a
    provenance recording the command ``validate``) a validation.
    """
    from equipoise.calibrate.report import is_calibration_dir, is_counterfactual_dir

    directory = Path(directory)
    if not directory.is_dir():
        return None
    if is_calibration_dir(directory):
        return "calibration"
    if is_counterfactual_dir(directory):
        return "counterfactual"
    if data.is_validation_dir(directory):
        return "validation"
    return None


#: Directories :func:`find_outputs` looks into at most (a bound on its time).
FIND_VISITS = 5000


def find_outputs(root: str | Path = ".", depth: int = 2) -> list[Path]:
    """The calibration, counterfactual and validation directories under ``root``.

    Breadth first, down to ``depth`` levels below ``root`` (``equipoise-results/cf-1871``
    is at level 2), in name order within a level; hidden directories and symbolic links
    are skipped, an output directory is not searched further, and the search stops after
    :data:`FIND_VISITS` directories. The dashboard lists them to open.
    """
    found: list[Path] = []
    level = [Path(root)]
    visits = 0
    for _ in range(depth):
        deeper: list[Path] = []
        for directory in level:
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                    continue
                visits += 1
                if visits > FIND_VISITS:
                    return found
                path = Path(entry.path)
                if output_kind(path) is not None:
                    found.append(path)
                else:
                    deeper.append(path)
        level = deeper
    return found


def output_sections(directory: str | Path) -> list[Section]:
    """The sections of the report on a calibration, counterfactual or validation directory.

    The sections its own report shows (``equipoise report DIR``):
    :func:`~equipoise.calibrate.report.calibration_sections`,
    :func:`~equipoise.calibrate.report.counterfactual_sections` or
    :func:`validation_sections`. Reading a calibration needs no pyabc.

    Raises
    ------
    ValueError
        With one line naming ``directory``: it does not exist, is none of
        :data:`INCLUDABLE`, or cannot be read (an unfinished calibration, a file missing).
    """
    from equipoise._errors import first_line
    from equipoise.calibrate.report import calibration_sections, counterfactual_sections

    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"no such directory: {directory}")
    kind = output_kind(directory)
    if kind is None:
        *others, last = (f"`{c}`" for c in INCLUDABLE.values())
        raise ValueError(f"{directory} is not the output of {', '.join(others)} or {last}")
    build = {
        "calibration": calibration_sections,
        "counterfactual": counterfactual_sections,
        "validation": validation_sections,
    }[kind]
    try:
        return build(directory)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"cannot report on the {kind} in {directory}: {first_line(exc)}") from None


def included_sections(*directories: str | Path) -> list[Section]:
    """The sections of each directory (:func:`output_sections`), in order, for another report.

    Each title names its directory (``Counterfactual (cf-1871)``), so that two outputs
    of one kind can be told apart; :func:`~equipoise.report.render.render_html` gives
    repeated anchors a suffix.

    Examples
    --------
    ``render_report([result], include=included_sections("cal-1845", "cf-1871"))`` appends
    the calibration's and then the counterfactual's sections to the report on ``result``.
    """
    out: list[Section] = []
    for directory in directories:
        name = Path(directory).resolve().name
        out.extend(replace(s, title=f"{s.title} ({name})") for s in output_sections(directory))
    return out
