"""The report on a finished sweep: the hegemony rate across the design, sensitivity, PRIM box.

:func:`sweep_sections` builds the report on the directory of ``equipoise sweep``
(:func:`~equipoise.report.data.load_sweep`): the rate against the swept parameters, the
sensitivity indices, the scenario-discovery box, the per-point table and the provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from equipoise.report import data, figures
from equipoise.report.sections.blocks import Block, Section

__all__ = ["points_table", "sweep_sections"]

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
        if col != "check":
            table[col] = [_cell(v, "{:.3f}") for v in table[col].tolist()]
    caption = "Sensitivity indices"
    if "check" in table and (~table["check"].isin(["ok", "—"])).any():
        caption += (
            " (check: 'wide', the 95% interval is wider than the index; '<0', '>1', a "
            "Sobol' index outside [0, 1], which a share of variance cannot be)"
        )
    blocks.append(Block(caption=caption, table=table.set_index("outcome")))
    for warning in getattr(analysis, "warnings", []):
        blocks.append(Block(text=f"Warning: {warning}."))
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
                classes=("wrap",),
            ),
            Block(caption=f"Sweep {spec.name} (TOML)", code=sweep.spec_toml),
        ],
    )
    return [summary, rate, sens, discovery, table, prov]
