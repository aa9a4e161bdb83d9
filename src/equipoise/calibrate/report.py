"""The report on a calibration: posterior marginals and pairs, predictive table, generations.

``equipoise report DIR`` on the directory of ``equipoise calibrate`` writes one self-contained
HTML page (:func:`render_calibration_report`) with:

- **Posterior**: each parameter's median and 90 % interval against its uniform prior (table),
  the weighted marginal histograms over the prior ranges (figure), and every pair of
  parameters as a scatter of the particles, point area proportional to weight (figure);
- **Posterior predictive check**: the ``validate`` table of history against replications at
  posterior draws (``predictive.csv``), the capability shares by decade summarised;
- **ABC-SMC**: epsilon, simulations, acceptance rate and effective sample size of each
  generation, and the provenance.

On the directory of ``equipoise counterfactual``, or on a
:class:`~equipoise.calibrate.counterfactual.Counterfactual` (:func:`render_counterfactual_report`):
the summary of both worlds with the paired differences, a figure of the differences in hegemony
and survival with their intervals, survival by state, and the effect at each posterior draw.

The same sections can close another report: ``equipoise report RESULTS_DIR --include DIR``
(:func:`~equipoise.report.sections.included_sections`), and the dashboard's tab "Calibration &
counterfactuals" shows them. Reading a calibration needs no pyabc (only running one does).

Needs the ``report`` extra (matplotlib).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from equipoise.calibrate.counterfactual import Counterfactual
    from equipoise.calibrate.posterior import Calibration
    from equipoise.report.sections import Section

__all__ = [
    "calibration_sections",
    "counterfactual_sections",
    "differences_figure",
    "is_calibration_dir",
    "is_counterfactual_dir",
    "marginals_figure",
    "pairs_figure",
    "render_calibration_report",
    "render_counterfactual_report",
]


def is_calibration_dir(path: str | Path) -> bool:
    """Whether ``path`` is a directory written by ``equipoise calibrate``."""
    from equipoise.calibrate.plan import CALIBRATION_FILE

    return (Path(path) / CALIBRATION_FILE).is_file()


def marginals_figure(cal: Calibration, level: float = 0.9) -> Figure:
    """Weighted histogram of each parameter over its prior range, median and interval marked.

    The uniform prior is the flat line at density ``1 / (high - low)``.
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from equipoise.report.figures import _STYLE

    n = len(cal.parameters)
    cols = min(n, 3)
    rows = -(-n // cols)
    with mpl.rc_context(_STYLE):
        fig = Figure(figsize=(3.3 * cols, 2.4 * rows), layout="constrained")
        axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
        w = cal.posterior["weight"].to_numpy(dtype=np.float64)
        table = cal.interval(level).set_index("parameter")
        for ax, p in zip(axes, cal.parameters, strict=False):
            v = cal.posterior[p.name].to_numpy(dtype=np.float64)
            ax.hist(v, bins=20, range=(p.low, p.high), weights=w, density=True, color="#4c78a8")
            ax.axhline(1 / (p.high - p.low), color="#888888", lw=1, ls="--", label="prior")
            ax.axvspan(table.loc[p.name, "low"], table.loc[p.name, "high"], color="#f58518",
                       alpha=0.15, label=f"{level:.0%} interval")  # fmt: skip
            ax.axvline(table.loc[p.name, "median"], color="#f58518", lw=1.5, label="median")
            ax.set_xlim(p.low, p.high)
            ax.set_title(p.name, fontsize=9)
            ax.set_yticks([])
        for ax in axes[n:]:
            ax.set_visible(False)
        axes[0].legend(fontsize=7, loc="upper right")
    return fig


def pairs_figure(cal: Calibration) -> Figure:
    """Every pair of parameters: the particles, point area proportional to weight."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from equipoise.report.figures import _STYLE

    params = cal.parameters
    n = len(params)
    w = cal.posterior["weight"].to_numpy(dtype=np.float64)
    size = 4 + 60 * w / w.max()
    with mpl.rc_context(_STYLE):
        if n < 2:
            fig = Figure(figsize=(4, 2), layout="constrained")
            ax = fig.subplots()
            ax.text(0.5, 0.5, "one parameter: no pairs", ha="center", va="center")
            ax.set_axis_off()
            return fig
        fig = Figure(figsize=(1.9 * (n - 1) + 0.6, 1.9 * (n - 1) + 0.4), layout="constrained")
        axes = fig.subplots(n - 1, n - 1, squeeze=False)
        for i in range(1, n):
            for j in range(n - 1):
                ax = axes[i - 1][j]
                if j >= i:
                    ax.set_visible(False)
                    continue
                x, y = params[j], params[i]
                ax.scatter(cal.posterior[x.name], cal.posterior[y.name], s=size, alpha=0.5,
                           color="#4c78a8", linewidths=0)  # fmt: skip
                ax.set_xlim(x.low, x.high)
                ax.set_ylim(y.low, y.high)
                ax.tick_params(labelsize=6)
                if i == n - 1:
                    ax.set_xlabel(x.name.split(".")[1], fontsize=7)
                if j == 0:
                    ax.set_ylabel(y.name.split(".")[1], fontsize=7)
    return fig


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
            "width / prior": ((t["high"] - t["low"]) / (t["prior_high"] - t["prior_low"])).map(
                "{:.2f}".format
            ),
        }
    )
    out.index = pd.Index(t["parameter"], name="parameter")
    return out


def _predictive_tables(cal: Calibration) -> tuple[pd.DataFrame, str]:
    if cal.directory is not None and (cal.directory / "predictive.csv").is_file():
        table = pd.read_csv(cal.directory / "predictive.csv")
    else:
        table = cal.predictive()
    stats = list(cal.target.statistics)
    shown = table[table["statistic"].isin(stats)].set_index("statistic")
    cols = [c for c in ("history", "sim_median", "sim_low", "sim_high", "inside") if c in shown]
    out = shown[cols].copy()
    for c in cols[:-1]:
        out[c] = out[c].map(lambda v: "—" if pd.isna(v) else f"{float(v):.4g}")
    shares = table[~table["statistic"].isin(stats)]
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
    from equipoise.report.sections import Block, Section

    cal = source if isinstance(source, Calibration) else Calibration.load(source)
    s = cal.settings
    posterior = Section(
        "posterior",
        "Posterior",
        [
            Block(
                caption=(
                    f"Posterior median and 90% interval of each parameter ({len(cal.posterior)} "
                    "weighted particles of the last generation) against its uniform prior."
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
    abc = Section(
        "abc-smc",
        "ABC-SMC",
        [
            Block(caption="Generations.", table=gens.round(4)),
            Block(caption="Provenance.", table=prov, classes=("prose",)),
        ],
    )
    return [posterior, predictive, abc]


def _read_provenance(directory: Path) -> dict[str, Any]:
    import json

    from equipoise._io import MARKER

    data: dict[str, Any] = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    return data


def render_calibration_report(source: Calibration | str | Path) -> str:
    """The HTML report on a calibration (module docstring)."""
    from equipoise.calibrate.posterior import Calibration
    from equipoise.report.render import render_html

    cal = source if isinstance(source, Calibration) else Calibration.load(source)
    s = cal.settings
    title = f"equipoise calibration: {cal.scenario.name}, {s['start']}-{s['end']}"
    sub = (
        f"ABC-SMC (pyabc): {len(cal.parameters)} parameters, {len(cal.generations)} "
        f"generations, {s['simulations']} simulations, seed {s['seed']}."
    )
    return render_html(title, sub, calibration_sections(cal))


# ------------------------------------------------------------------------ counterfactuals


def is_counterfactual_dir(path: str | Path) -> bool:
    """Whether ``path`` is a directory written by ``equipoise counterfactual``."""
    return (Path(path) / "counterfactual.json").is_file()


def differences_figure(summary: pd.DataFrame, survival: pd.DataFrame) -> Figure:
    """Paired differences with their 95 % intervals: hegemony and each state's survival."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from equipoise.report.figures import _STYLE

    rows = pd.concat(
        [
            summary[summary["outcome"] == "hegemony"].assign(label="P(hegemony)"),
            survival.assign(label=[f"{s} survives" for s in survival["state"]]),
        ]
    )
    y = np.arange(len(rows))[::-1]
    d = rows["difference"].to_numpy(dtype=np.float64)
    lo = rows["low"].to_numpy(dtype=np.float64)
    hi = rows["high"].to_numpy(dtype=np.float64)
    with mpl.rc_context(_STYLE):
        fig = Figure(figsize=(6.5, 0.35 * len(rows) + 1.0), layout="constrained")
        ax = fig.subplots()
        ax.axvline(0, color="#888888", lw=1)
        ax.errorbar(d, y, xerr=[d - lo, hi - d], fmt="o", color="#4c78a8", capsize=3)
        ax.set_yticks(y, rows["label"].tolist())
        ax.set_xlabel("intervention minus baseline (paired, 95% interval)")
    return fig


def _counterfactual_parts(
    source: Counterfactual | str | Path,
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Settings, summary, survival and effect by draw of a counterfactual or its directory."""
    import json

    from equipoise.calibrate.counterfactual import Counterfactual

    if isinstance(source, Counterfactual):
        return source.settings, source.summary, source.survival, source.by_draw
    directory = Path(source)
    record = json.loads((directory / "counterfactual.json").read_text(encoding="utf-8"))
    by_draw = directory / "by_draw.csv"
    return (
        record["settings"],
        pd.read_csv(directory / "summary.csv"),
        pd.read_csv(directory / "survival.csv"),
        pd.read_csv(by_draw) if by_draw.is_file() else pd.DataFrame(),
    )


def counterfactual_sections(source: Counterfactual | str | Path) -> list[Section]:
    """The report's sections on a counterfactual or on the directory of ``counterfactual``."""
    from equipoise.report.sections import Block, Section

    s, summary, survival, by_draw = _counterfactual_parts(source)
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


def render_counterfactual_report(source: Counterfactual | str | Path) -> str:
    """The HTML report on a counterfactual, or on the output of ``equipoise counterfactual``."""
    from equipoise.report.render import render_html

    s = _counterfactual_parts(source)[0]
    title = f"equipoise counterfactual: {s['year']}-{s['end']}, {s['intervention'] or 'none'}"
    sub = f"{s['replications']} paired replications, seed {s['seed']}."
    return render_html(title, sub, counterfactual_sections(source))
