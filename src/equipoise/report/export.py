"""A report's figures as files of their own, for a manuscript: PNG, SVG or PDF at any size.

``equipoise report ... --figures DIR`` builds the same sections as the HTML report and
writes each figure to ``DIR`` as ``NN-SECTION-K.EXT`` (``03-hegemony-1.pdf``: the first
figure of the report's third section, "hegemony"), with ``figures.csv`` listing every file
with its section and caption (the caption to reuse in the text). A size given in inches
re-lays out each figure (its layout is constrained, so labels stay inside); PNG is drawn at
the chosen resolution. Files are deterministic: no date stamp in any format, text drawn as
paths in SVG.

Examples
--------
>>> from equipoise.report.sections import Block, Section
>>> from equipoise.report.figures import rates_figure
>>> import pandas as pd
>>> rates = pd.DataFrame({"replications": [10], "hegemony_rate": [0.2],
...                       "hegemony_ci_low": [0.06], "hegemony_ci_high": [0.51]},
...                      index=pd.Index(["null"], name="scenario"))
>>> section = Section("summary", "Summary", [Block(caption="rates", figure=rates_figure(rates))])
>>> [name for name, _, _ in figure_files([section], "pdf")]
['01-summary-1.pdf']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from equipoise._io import atomic_dir
from equipoise.report.figures.style import STYLE
from equipoise.report.sections.blocks import Block, Section

__all__ = ["FORMATS", "INDEX", "figure_files", "parse_size", "write_figures"]

#: The formats a figure may be written in.
FORMATS = ("png", "svg", "pdf")
#: The index of a figures directory (also what marks it as equipoise's to replace).
INDEX = "figures.csv"

#: Metadata that would make two writes of the same figure differ (a date, the software).
_NO_STAMP = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def figure_files(sections: Sequence[Section], fmt: str) -> list[tuple[str, Section, Block]]:
    """Each figure of ``sections`` with its file name, in the report's order."""
    out = []
    for number, section in enumerate(sections, start=1):
        k = 0
        for block in section.blocks:
            if block.figure is not None:
                k += 1
                out.append((f"{number:02d}-{section.key}-{k}.{fmt}", section, block))
    return out


def parse_size(text: str) -> tuple[float, float]:
    """A size ``WIDTHxHEIGHT`` in inches (``6.5x4``); ``ValueError`` if it is not one.

    Examples
    --------
    >>> parse_size("6.5x4")
    (6.5, 4.0)
    """
    width, sep, height = text.lower().partition("x")
    try:
        size = (float(width), float(height))
    except ValueError:
        size = (0.0, 0.0)
    if not sep or not all(0.5 <= v <= 100 for v in size):
        raise ValueError(
            f"not a figure size: {text!r} (give WIDTHxHEIGHT in inches, each 0.5 to 100, "
            "e.g. 6.5x4)"
        )
    return size


def _render(fig: Figure, fmt: str, size: tuple[float, float] | None, dpi: int) -> bytes:
    if size is not None:
        fig.set_size_inches(*size)
    buf = io.BytesIO()
    with mpl.rc_context({**STYLE, "svg.fonttype": "path"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_NO_STAMP[fmt])
    return buf.getvalue()


def write_figures(
    sections: Sequence[Section],
    directory: str | Path,
    fmt: str = "png",
    size: tuple[float, float] | None = None,
    dpi: int = 300,
) -> list[Path]:
    """Write every figure of ``sections`` into ``directory``, atomically, with its index.

    Parameters
    ----------
    sections : sequence of Section
        A report's sections (``equipoise.report.render.report_page(...).sections`` and its
        like).
    directory : path
        Created; an earlier figures directory of equipoise is replaced (only the files it
        wrote), a directory holding other files is refused (``FileExistsError``).
    fmt : {"png", "svg", "pdf"}
    size : (float, float), optional
        Width and height in inches (default: each figure's own).
    dpi : int
        Resolution of PNG files (dots per inch).

    Returns
    -------
    list of Path
        The files written, in the report's order.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; choose from {', '.join(FORMATS)}")
    files = figure_files(sections, fmt)
    directory = Path(directory)
    with atomic_dir(directory, marker=INDEX) as tmp:
        rows = []
        for name, section, block in files:
            assert block.figure is not None
            (tmp / name).write_bytes(_render(block.figure, fmt, size, dpi))
            width, height = block.figure.get_size_inches()
            rows.append([name, section.title, f"{width:g}x{height:g}", block.caption])
        with (tmp / INDEX).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "section", "inches", "caption"])
            writer.writerows(rows)
    return [directory / name for name, _, _ in files]
