"""The report on a calibration and on a counterfactual: posterior, predictive check, effects.

On the directory of ``equipoise calibrate`` (or a :class:`~equipoise.calibrate.Calibration`),
:func:`calibration_sections` builds:

- **Posterior**: each parameter's median and 90 % interval against its uniform prior (table),
  the weighted marginal histograms over the prior ranges (figure), and every pair of
  parameters as a scatter of the particles, point area proportional to weight (figure);
- **Posterior predictive check**: the ``validate`` table of history against replications at
  posterior draws (``predictive.csv``), the capability shares by decade summarised;
- **ABC-SMC**: epsilon, simulations, acceptance rate and effective sample size of each
  generation, and the provenance.

On the directory of ``equipoise counterfactual``, or on a
:class:`~equipoise.calibrate.counterfactual.Counterfactual`, :func:`counterfactual_sections`
builds the summary of both worlds with the paired differences, a figure of the differences in
hegemony and survival with their intervals, survival by state, and the effect at each
posterior draw.

Their own reports are :func:`~equipoise.report.render.render_calibration_report` and
:func:`~equipoise.report.render.render_counterfactual_report`; the same sections can close
another report (``equipoise report RESULTS_DIR --include DIR``,
:func:`~equipoise.report.sections.included_sections`), and the dashboard's tab "Calibration &
counterfactuals" shows them. Reading a calibration needs no pyabc (only running one does), and
nothing of the calibration package is imported until a calibration or counterfactual is read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from equipoise._io import MARKER
from equipoise.report.data.calibration import counterfactual_parts
from equipoise.report.figures.calibration import (
    differences_figure,
    marginals_figure,
    pairs_figure,
)
from equipoise.report.sections.blocks import Block, Section

if TYPE_CHECKING:
    from equipoise.calibrate.counterfactual import Counterfactual
    from equipoise.calibrate.posterior import Calibration

__all__ = ["calibration_sections", "counterfactual_sections"]


def _particles(cal: Calibration) -> str:
    """Where the posterior's particles come from, for a caption."""
    if cal.settings.get("method") == "adjusted":
        share = float(cal.settings.get("accept", 0.03))
        return f"from the nearest {share:.0%} of the reference table, adjusted"
    return "of the last generation"


def _interval_table(cal: Calibration) -> pd.DataFrame:
    t = cal.interval(0.9)
    out = pd.DataFrame(
        {
            "prior": [
                f"{a:.4g}-{b:.4g}" for a, b in zip(t["prior_low"], t["prior_high"], strict=True)
            ],
            "median": t["median"].map("{:.4g}".format),
            "5%": t["low"].map("{:.4g}".format),
            "95%": t["high"].map("{:.4g}".format),
            "width / prior": t["width"].map("{:.2f}".format),
        }
    )
    out.index = pd.Index(t["parameter"], name="parameter")
    return out


def _predictive_tables(cal: Calibration) -> tuple[pd.DataFrame, str]:
    if cal.directory is not None and (cal.directory / "predictive.csv").is_file():
        table = pd.read_csv(cal.directory / "predictive.csv")
    else:
        table = cal.predictive()
    stats = cal.target.table_statistics
    shown = table[table["statistic"].isin(stats)].set_index("statistic")
    cols = [c for c in ("history", "sim_median", "sim_low", "sim_high", "inside") if c in shown]
    out = shown[cols].copy()
    for c in cols[:-1]:
        out[c] = out[c].map(lambda v: "—" if pd.isna(v) else f"{float(v):.4g}")
    shares = table[table["statistic"].isin(cal.target.share_names)]
    text = ""
    if len(shares):
        inside = int(shares["inside"].fillna(False).astype(bool).sum())
        text = (
            f"Capability shares by decade: history inside the simulated 90% interval for "
            f"{inside} of {len(shares)} (state, decade) pairs (predictive.csv)."
        )
    return out, text


def calibration_sections(source: Calibration | str | Path) -> list[Section]:
    """The report's sections on a calibration (module docstring)."""
    from equipoise.calibrate.posterior import Calibration

    cal = source if isinstance(source, Calibration) else Calibration.load(source)
    s = cal.settings
    posterior = Section(
        "posterior",
        "Posterior",
        [
            Block(
                caption=(
                    f"Posterior median and 90% interval of each parameter ({len(cal.posterior)} "
                    f"weighted particles {_particles(cal)}) against its uniform prior."
                ),
                table=_interval_table(cal),
            ),
            Block(
                caption="Weighted marginal histograms over the prior ranges (dashed: the prior).",
                figure=marginals_figure(cal),
                classes=("wide",),
            ),
            Block(
                caption="Pairs of parameters: every particle, area proportional to its weight.",
                figure=pairs_figure(cal),
                classes=("wide",),
            ),
        ],
    )
    table, shares = _predictive_tables(cal)
    predictive_blocks = [
        Block(
            caption=(
                "Posterior predictive check: history against one replication at each of "
                f"{s.get('predictive_draws', 200)} posterior draws (median and 90% interval)."
            ),
            table=table,
        )
    ]
    if shares:
        predictive_blocks.append(Block(text=shares))
    predictive = Section("predictive", "Posterior predictive check", predictive_blocks)
    gens = cal.generations.copy()
    gens = gens.set_index("generation")
    provenance = cal.provenance() if cal.directory is None else _read_provenance(cal.directory)
    prov = pd.DataFrame(
        {"value": [str(v) for v in provenance.values()]},
        index=pd.Index(list(provenance), name="field"),
    )
    adjusted = s.get("method") == "adjusted"
    abc = Section(
        "abc-smc",
        "ABC on learned summaries, adjusted" if adjusted else "ABC-SMC",
        [
            Block(
                caption=(
                    "The reference table: its tolerance (epsilon), the runs kept, their "
                    "effective sample size."
                    if adjusted
                    else "Generations."
                ),
                table=gens.round(4),
            ),
            Block(caption="Provenance.", table=prov, classes=("prose", "wrap")),
        ],
    )
    return [posterior, predictive, abc]


def _read_provenance(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    return data


def counterfactual_sections(source: Counterfactual | str | Path) -> list[Section]:
    """The report's sections on a counterfactual or on the directory of ``counterfactual``."""
    s, summary, survival, by_draw = counterfactual_parts(source)
    cols = ["baseline", "intervention", "difference", "low", "high", "changed", "n"]
    blocks = [
        Block(
            caption=(
                f"Intervention: {s['intervention'] or 'none (the baseline again)'}. "
                f"{s['replications']} pairs of replications "
                f"from {s['year']} to {s['end']} with common random numbers"
                + (f", at {s['draws']} posterior draws" if s.get("draws") else "")
                + "; means in both worlds and the mean paired difference with its 95% interval."
            ),
            table=summary.set_index("outcome")[cols].round(4),
            classes=("wide",),
        ),
        Block(
            caption="Paired differences: hegemony and each state's survival to the end.",
            figure=differences_figure(summary, survival),
        ),
        Block(
            caption="Survival to the end.",
            table=survival.set_index("state")[cols].round(4),
            classes=("wide",),
        ),
    ]
    if len(by_draw):
        blocks.append(
            Block(
                caption="Mean paired difference at each posterior draw.",
                table=by_draw.set_index("draw").round(4),
                classes=("wide",),
            )
        )
    return [Section("counterfactual", "Counterfactual", blocks)]
