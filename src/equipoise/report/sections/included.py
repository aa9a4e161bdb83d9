"""Other outputs in a report: the sections of a calibration, counterfactual or validation.

:func:`output_kind` tells which of :data:`INCLUDABLE` a directory is the output of,
:func:`output_sections` builds the sections its own report shows, and
:func:`included_sections` those of several directories, titled with their names, for
inclusion in another report (``equipoise report RESULTS_DIR --include DIR``).
:func:`find_outputs` lists such directories for the dashboard.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from equipoise._errors import first_line
from equipoise.report import data
from equipoise.report.sections.blocks import Section
from equipoise.report.sections.calibration import calibration_sections, counterfactual_sections
from equipoise.report.sections.validation import validation_sections

__all__ = [
    "FIND_VISITS",
    "INCLUDABLE",
    "find_outputs",
    "included_sections",
    "output_kind",
    "output_sections",
]

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
    directory = Path(directory)
    if not directory.is_dir():
        return None
    if data.is_calibration_dir(directory):
        return "calibration"
    if data.is_counterfactual_dir(directory):
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
    :func:`~equipoise.report.sections.calibration_sections`,
    :func:`~equipoise.report.sections.counterfactual_sections` or
    :func:`validation_sections`. Reading a calibration needs no pyabc.

    Raises
    ------
    ValueError
        With one line naming ``directory``: it does not exist, is none of
        :data:`INCLUDABLE`, or cannot be read (an unfinished calibration, a file missing).
    """
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
