"""A finished sweep for the report: its analysis and manifest, and the rates it plots.

:func:`load_sweep` analyses the sweep directory of ``equipoise sweep``
(:func:`equipoise.experiments.analyse`); :func:`rate_by_parameter`, :func:`rate_grid` and
:func:`sensitivity_bars` give the hegemony rate against the swept parameters and the
sensitivity indices in the form the figures draw.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise.experiments.directory import MANIFEST as MANIFEST_NAME

if TYPE_CHECKING:
    from equipoise.experiments import Analysis

__all__ = [
    "SWEEP_MANIFEST",
    "SweepData",
    "is_sweep_dir",
    "load_sweep",
    "rate_by_parameter",
    "rate_grid",
    "sensitivity_bars",
]

#: The file that marks a sweep output directory (see :mod:`equipoise.experiments.directory`).
SWEEP_MANIFEST = MANIFEST_NAME


@dataclass
class SweepData:
    """A finished sweep, analysed, with its directory's manifest.

    Attributes
    ----------
    analysis : equipoise.experiments.Analysis
        Outcomes per point, sensitivity indices and the discovered box.
    manifest : dict
        The directory's ``manifest.json`` (spec hash, versions, design).
    spec_toml : str
        The sweep's ``sweep.toml``.
    """

    analysis: Analysis
    manifest: dict[str, Any]
    spec_toml: str


def is_sweep_dir(directory: str | Path) -> bool:
    """Whether ``directory`` is a sweep output directory (it holds a sweep manifest)."""
    return (Path(directory) / SWEEP_MANIFEST).is_file()


def load_sweep(directory: str | Path) -> SweepData:
    """Analyse the finished sweep in ``directory`` for the report.

    Raises
    ------
    equipoise.experiments.IncompleteSweepError
        If chunks are missing.
    equipoise.experiments.InvalidSweepError
        If the directory's files disagree or cannot be read as a sweep.
    """
    from equipoise.experiments import analyse

    directory = Path(directory)
    analysis = analyse(directory)
    manifest = json.loads((directory / SWEEP_MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise ValueError(f"{directory / SWEEP_MANIFEST}: not a JSON object")
    spec_toml = (directory / "sweep.toml").read_text(encoding="utf-8")
    return SweepData(analysis=analysis, manifest=manifest, spec_toml=spec_toml)


def _levels(values: pd.Series, kind: str) -> list[str] | None:
    """Sorted levels of a categorical (bool or str) parameter, or None for a numeric one."""
    if kind in ("float", "int"):
        return None
    return [str(v) for v in sorted(pd.unique(values), key=lambda v: (str(type(v)), v))]


def rate_by_parameter(points: pd.DataFrame, factors: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """The hegemony rate of every design point against each varying parameter.

    Parameters
    ----------
    points : DataFrame
        :attr:`equipoise.experiments.Analysis.points` (one row per point).
    factors : mapping of str to str
        Varying parameter -> kind (``float``, ``int``, ``bool`` or ``str``), as
        :meth:`~equipoise.experiments.SweepSpec.factor_kinds` gives.

    Returns
    -------
    dict of str to DataFrame
        Parameter -> one row per point, sorted by position: ``point``,
        ``value``, ``x`` (the value, or the index of its level for a bool or
        str parameter), ``rate``, ``ci_low``, ``ci_high`` (95% Wilson) and
        ``replications``. A categorical parameter's levels are in
        ``frame.attrs["levels"]`` (None for a numeric one).
    """
    out: dict[str, pd.DataFrame] = {}
    for name, kind in factors.items():
        values = points[name]
        levels = _levels(values, kind)
        if levels is None:
            x = values.to_numpy(np.float64)
        else:
            where = {level: i for i, level in enumerate(levels)}
            x = np.array([where[str(v)] for v in values], dtype=np.float64)
        frame = pd.DataFrame(
            {
                "point": points["point"].to_numpy(),
                "value": values.to_numpy(),
                "x": x,
                "rate": points["hegemony_rate"].to_numpy(np.float64),
                "ci_low": points["hegemony_ci_low"].to_numpy(np.float64),
                "ci_high": points["hegemony_ci_high"].to_numpy(np.float64),
                "replications": points["replications"].to_numpy(),
            }
        )
        frame = frame.sort_values(["x", "point"], kind="stable").reset_index(drop=True)
        frame.attrs["levels"] = levels
        out[name] = frame
    return out


def rate_grid(points: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """The pooled hegemony rate in each cell of two parameters (a heat map's data).

    Replications of all points sharing the pair of values are pooled:
    ``sum(hegemonies) / sum(replications)``.

    Returns
    -------
    DataFrame
        Rows: the levels of ``y`` (sorted); columns: the levels of ``x``
        (sorted); NaN where no point has that pair.
    """
    pooled = points.groupby([y, x], sort=True)[["hegemonies", "replications"]].sum()
    rate = pooled["hegemonies"] / pooled["replications"]
    grid = rate.unstack(x)
    grid.index.name = y
    grid.columns.name = x
    return grid.astype(np.float64)


def sensitivity_bars(table: pd.DataFrame | None) -> pd.DataFrame:
    """Sensitivity indices in long form, one row per bar of the chart.

    Parameters
    ----------
    table : DataFrame or None
        :attr:`equipoise.experiments.Analysis.sensitivity`: Sobol' (``S1``,
        ``ST`` and their ``*_conf``) or Morris (``mu_star``, ``mu_star_conf``).

    Returns
    -------
    DataFrame
        Columns ``outcome``, ``parameter``, ``index`` (``S1``, ``ST`` or
        ``mu*``), ``value`` and ``conf`` (half-width of the 95% bootstrap
        interval, NaN if unknown), in the table's order; indices that could not
        be computed (an outcome constant across points) are left out.
    """
    columns = ["outcome", "parameter", "index", "value", "conf"]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    pairs = (
        [("S1", "S1", "S1_conf"), ("ST", "ST", "ST_conf")]
        if "S1" in table.columns
        else [("mu*", "mu_star", "mu_star_conf")]
    )
    rows = []
    for rec in table.to_dict("records"):
        for label, col, conf in pairs:
            value = rec.get(col)
            if value is None or pd.isna(value):
                continue
            c = rec.get(conf)
            rows.append(
                {
                    "outcome": rec["outcome"],
                    "parameter": rec["parameter"],
                    "index": label,
                    "value": float(value),
                    "conf": np.nan if c is None or pd.isna(c) else float(c),
                }
            )
    return pd.DataFrame(rows, columns=columns)
