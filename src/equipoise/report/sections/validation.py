"""The report on a validation against history: the comparison, war sizes, every statistic.

:func:`validation_section` builds the section "Validation against history" from a
:class:`~equipoise.validate.Validation` or the directory ``equipoise validate`` wrote;
:func:`validation_sections` adds the run's provenance for a report of its own.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from equipoise.report import data, figures
from equipoise.report.sections.blocks import Block, Section

__all__ = ["validation_section", "validation_sections", "validation_table"]


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
            [
                Block(
                    caption="Seed, scenario hash and versions of the run",
                    table=prov,
                    classes=("wrap",),
                )
            ],
        ),
    ]
