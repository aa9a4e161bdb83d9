"""The parts of a report: a :class:`Section` is a titled list of :class:`Block` s.

A block is a figure, a table, a paragraph or a block of code; the HTML report
(:mod:`equipoise.report.render`) and the dashboard show the same sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

__all__ = ["Block", "Section"]


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
        than numbers), ``"text-last"`` only its last column, ``"wrap"`` breaks long
        cells (hashes, paths) anywhere rather than widen the page. The dashboard
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
