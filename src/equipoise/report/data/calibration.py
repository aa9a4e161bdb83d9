"""Calibrations and counterfactuals for the report: telling their directories, reading them.

A directory holding ``calibration.json`` is the output of ``equipoise calibrate`` (read by
:meth:`equipoise.calibrate.Calibration.load`), one holding ``counterfactual.json`` the output
of ``equipoise counterfactual`` (:func:`counterfactual_parts`). Nothing of the calibration
package is imported until a calibration is asked about, and reading one needs no pyabc.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from equipoise.calibrate.counterfactual import Counterfactual

__all__ = ["counterfactual_parts", "is_calibration_dir", "is_counterfactual_dir"]


def is_calibration_dir(path: str | Path) -> bool:
    """Whether ``path`` is a directory written by ``equipoise calibrate``."""
    from equipoise.calibrate.plan import CALIBRATION_FILE

    return (Path(path) / CALIBRATION_FILE).is_file()


def is_counterfactual_dir(path: str | Path) -> bool:
    """Whether ``path`` is a directory written by ``equipoise counterfactual``."""
    return (Path(path) / "counterfactual.json").is_file()


def counterfactual_parts(
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
