"""The report on simulation results: summary, shares, hegemony, bands, map, alliances, wars.

:func:`simulation_sections` builds the sections of the report on one result of ``equipoise
run`` or on several compared results (``equipoise compare``); the blocks of one replication
(:func:`shares_block`, :func:`network_blocks`) and of war sizes (:func:`war_ccdfs`,
:func:`war_counts`) also make the simulation's column of the history report.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from equipoise.report import data, figures
from equipoise.report.sections.blocks import Block, Section
from equipoise.results import Result

__all__ = [
    "MAP_PANELS",
    "SIMULATION_SECTIONS",
    "WAR_SIZE_LABEL",
    "comparison_blocks",
    "network_blocks",
    "shares_block",
    "shown_replication",
    "simulation_sections",
    "summary_table",
    "war_ccdfs",
    "war_counts",
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


def comparison_blocks(results: Sequence[Result]) -> list[Block]:
    """The tests of the hegemony rates that ``equipoise compare`` prints, with their power.

    Each scenario against ``null`` when it is among them (Holm-adjusted), else the two
    given against each other (:func:`equipoise.experiments.comparison.hegemony_tests`); a
    single result gets no block, and several without a baseline a sentence saying why.
    """
    from equipoise.experiments.comparison import hegemony_tests, untested_reason

    if len(results) < 2:
        return []
    summary = pd.concat([r.summary() for r in results])
    reason = untested_reason([str(n) for n in summary.index])
    if reason is not None:
        return [Block(text=f"No test of the hegemony rates: {reason}.")]
    tests = hegemony_tests(summary)
    rows = {}
    for _, t in tests.iterrows():
        below = t["detectable_rate_below"]
        needed = t["replications_needed"]
        rows[f"{t['scenario']} vs {t['against']}"] = {
            "hegemonies": f"{t['hegemonies']}/{t['replications']} vs "
            f"{t['against_hegemonies']}/{t['against_replications']}",
            "Fisher p": f"{t['p_value']:.3g}",
            "Holm-adjusted p": f"{t['p_holm']:.3g}",
            "detectable with 80% power": (
                f"≥ {t['detectable_rate']:.3f}" + ("" if np.isnan(below) else f" or ≤ {below:.3f}")
            ),
            "replications for the difference seen": (
                "—" if t["p_holm"] < 0.05 else ("never" if np.isinf(needed) else f"{needed:,.0f}")
            ),
        }
    table = pd.DataFrame(rows).T
    table.index.name = "test"
    caption = (
        "Hegemony rates tested by the Fisher exact test (Holm-adjusted over the tests), with "
        "the rates each test detects 80% of the time at the 5% level (two-sided; Cohen's "
        "arcsine approximation) and, for a test that is not significant, the replications "
        "per scenario that would detect the difference seen."
    )
    return [Block(caption=caption, table=table, classes=("wide",))]


def shares_block(result: Result, rep: int) -> Block:
    """One replication's capability shares over time, hegemony marked, with its caption."""
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


def shown_replication(result: Result, replication: int | None) -> int:
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


def network_blocks(result: Result, replication: int, k: int = 3) -> list[Block]:
    """Alliance networks of one replication at up to ``k`` steps.

    From the recorded blocs, or with treaties the pacts in force (defence and offence pacts
    solid, the others dashed), at the steps the ``alliances`` measure picks
    (:func:`~equipoise.report.data.network_steps`).
    """
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
        if snap.pacts is not None:
            military = sum(1 for _, _, e in g.edges(data=True) if e["kind"] == "military")
            count = len(set(snap.pacts[:, 3].tolist()))
            inforce = (
                f"Pacts in force at step {step}: {g.number_of_edges()} pairs of "
                f"{g.number_of_nodes()} living states hold one, {military} of them a defence or "
                f"offence pact (solid; the other kinds dashed), in {count} "
                f"treat{'ies' if count != 1 else 'y'}. A multilateral treaty is a pact between "
                "each pair of its members."
            )
        elif found:
            inforce = (
                f"Alliances in force at step {step}: {g.number_of_edges()} allied pairs among "
                f"{g.number_of_nodes()} living states, in {len(found)} "
                f"bloc{'s' if len(found) != 1 else ''} ({listed}). States in one bloc are all "
                "allied, so each bloc is a clique."
            )
        else:
            inforce = (
                f"No alliance in force at step {step}: {g.number_of_nodes()} living states, "
                "none allied."
            )
        caption = (
            f"{inforce} Node area is proportional to capability share; colour is the "
            "strategy. Steps: the first with an alliance, the one with the most, and the last."
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


def war_ccdfs(results: Sequence[Result]) -> dict[str, pd.DataFrame]:
    """CCDF of the relative sizes of the wars that ended before the end of each run."""
    out = {}
    for r in results:
        wars = r.wars
        done = wars[wars["ongoing"] == 0]
        out[str(r.provenance["scenario_name"])] = data.war_size_ccdf(
            done["relative_size"].to_numpy()
        )
    return out


def war_counts(results: Sequence[Result]) -> str:
    """The wars of each result drawn, and those left out (still being fought, or of size 0).

    The counts are those of the figure's legend (:func:`war_ccdfs`): a war still being
    fought at the end has no final size, and one that destroyed nothing has no place on a
    log axis.
    """
    parts = []
    for r in results:
        wars = r.wars
        ongoing = int((wars["ongoing"] != 0).sum())
        done = wars[wars["ongoing"] == 0]
        size = done["relative_size"].to_numpy(dtype=np.float64)
        drawn = int((np.isfinite(size) & (size > 0)).sum())
        left = [f"{ongoing:,} still being fought at the end"] if ongoing else []
        if len(done) - drawn:
            left.append(f"{len(done) - drawn:,} of size 0")
        parts.append(
            f"{r.provenance['scenario_name']} {drawn:,}"
            + (f" (left out: {' and '.join(left)})" if left else "")
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
    chosen = [shown_replication(r, replication) for r in results]
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
        summary.blocks.extend(comparison_blocks(results))
    for r, mapped in zip(results, chosen, strict=True):
        ds = r.dataset
        name = str(r.provenance["scenario_name"])
        onset = ds["hegemony_onset"].values
        if "shares" in wanted:
            reps = data.sample_replications(onset, ds["replication"].values, samples)
            built["shares"].blocks.extend(shares_block(r, rep) for rep in reps)
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
            built["alliances"].blocks.extend(network_blocks(r, mapped))
    if "wars" in wanted:
        built["wars"].blocks.append(
            Block(
                caption=(
                    "Complementary cumulative distribution P(S ≥ s) of war sizes on "
                    "log-log axes: a war's size is the military destroyed in all its "
                    "battles, both sides, divided by the world's military stock when it "
                    "began. A straight line is a power law (Richardson 1948); Cederman "
                    "(2003) reports a slope of about -0.41 for the COW inter-state wars. "
                    f"Wars: {war_counts(results)}."
                ),
                figure=figures.war_size_figure(war_ccdfs(results), xlabel=WAR_SIZE_LABEL),
            )
        )
    if "provenance" in wanted:
        prov = built["provenance"]
        prov.blocks.append(
            Block(
                caption="Scenario hash, seed and versions",
                table=_provenance_table(results),
                classes=("wide", "wrap"),
            )
        )
        for r in results:
            prov.blocks.append(
                Block(
                    caption=f"Scenario {r.provenance['scenario_name']} (TOML)",
                    code=r.dataset.attrs["scenario"],
                )
            )
    return [built[key] for key in SIMULATION_SECTIONS if key in wanted]
