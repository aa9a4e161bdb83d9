"""Terminal tables that fit the width without cutting a figure or a name.

Rich shrinks a table that is too wide by wrapping and, where a cell cannot wrap, by cutting
it with an ellipsis: "(0.00…" for an interval, "soft_ba / lancing / _thresh / old" for a
parameter. :func:`fit_tables` instead works out each column's smallest readable width
(a figure is never broken; labels wrap between words, dotted names after a dot) and, if the
columns still do not fit, splits the table into several, each repeating the key columns
(the row labels), so that every figure appears whole on one line.

Examples
--------
>>> import io
>>> from rich.console import Console
>>> from equipoise._tables import Col, fit_tables
>>> cols = [Col("measure", justify="left", key=True, wrap=True)]
>>> cols += [Col(f"scenario-{i}") for i in range(6)]
>>> rows = [["hegemony rate (95% interval)", *["0.120 – 0.434"] * 6]]
>>> tables = fit_tables("Comparison", cols, rows, width=60)
>>> len(tables)
3
>>> console = Console(width=60, record=True, file=io.StringIO())
>>> for t in tables:
...     console.print(t)
>>> console.export_text().count("0.120 – 0.434")
6
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.table import Table

__all__ = ["Col", "fit_tables"]

#: Width a column adds beyond its content: a space of padding each side and a rule.
_PER_COLUMN = 3
#: Narrowest a text column is made when even whole words do not fit (its words then fold).
_MIN_TEXT = 8


@dataclass(frozen=True)
class Col:
    """A column of :func:`fit_tables`.

    Attributes
    ----------
    header : str
        Its heading; wraps between words if the column is narrower.
    justify : {"left", "right"}
        Alignment of the cells.
    key : bool
        A row label: repeated in every part when the table is split.
    wrap : bool
        Text that may wrap between words and after the dots of dotted names
        (``alliances.`` / ``appeasement``); otherwise cells are figures, never broken.
    style : str, optional
        Rich style of the cells.
    group : str, optional
        Neighbouring columns with the same group stay in the same part when the table is
        split (an estimate and its ± half-width).
    """

    header: str
    justify: Literal["left", "right"] = "right"
    key: bool = False
    wrap: bool = False
    style: str | None = None
    group: str | None = None


def _tokens(text: str, dots: bool) -> list[tuple[str, str]]:
    """``(separator before, word)`` pairs: split at spaces and after dots of dotted names."""
    out: list[tuple[str, str]] = []
    for i, word in enumerate(text.split(" ")):
        # a dotted name may break after a dot before a letter; a number (0.05) never
        parts = re.split(r"(?<=\.)(?=[A-Za-z_])", word) if dots and word else [word]
        for j, part in enumerate(parts):
            out.append((" " if i and not j else "", part))
    return out


def _widest_token(text: str, dots: bool) -> int:
    return max(
        (cell_len(w) for line in text.split("\n") for _, w in _tokens(line, dots)), default=0
    )


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def _wrap(text: str, width: int, dots: bool) -> str:
    """``text`` with line breaks so that no line is wider than ``width`` (where possible)."""
    lines = []
    for paragraph in text.split("\n"):
        body = paragraph.lstrip(" ")
        line = paragraph[: len(paragraph) - len(body)]  # an indent stays on the first line
        for sep, word in _tokens(body, dots):
            if line.strip() and cell_len(line) + cell_len(sep) + cell_len(word) > width:
                lines.append(line)
                line = word
            else:
                line += sep + word if line.strip() else word
        lines.append(line)
    return "\n".join(lines)


def _span(widths: Sequence[int]) -> int:
    return sum(widths) + _PER_COLUMN * len(widths) + 1


def fit_tables(
    title: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[str]],
    width: int,
) -> list[Table]:
    """One or more Rich tables holding ``rows`` under ``columns``, each at most ``width`` wide.

    Parameters
    ----------
    title : str
        Title of the first table; the others are titled ``TITLE (continued)``.
    columns : sequence of Col
        The columns, key columns (row labels) first.
    rows : sequence of sequences of str
        The cells, already formatted.
    width : int
        The console width.

    Returns
    -------
    list of rich.table.Table
        A single table if it fits; otherwise parts with the key columns and as many other
        columns as fit. Where even that is too wide, the longest words of text columns are
        folded; a figure is folded only if its column alone is wider than the console.
    """
    n = len(columns)
    cells = [[row[i] for row in rows] for i in range(n)]
    natural = [
        max(_widest_line(c.header), *(_widest_line(v) for v in cells[i]))
        for i, c in enumerate(columns)
    ]
    smallest = []
    for i, c in enumerate(columns):
        body = (
            max((_widest_token(v, True) for v in cells[i]), default=0)
            if c.wrap
            else max((_widest_line(v) for v in cells[i]), default=0)
        )
        smallest.append(max(body, _widest_token(c.header, dots=True)))
    keys = [i for i, c in enumerate(columns) if c.key]
    units: list[list[int]] = []  # the other columns, neighbours of one group together
    for i, c in enumerate(columns):
        if c.key:
            continue
        if units and c.group is not None and columns[units[-1][-1]].group == c.group:
            units[-1].append(i)
        else:
            units.append([i])

    if _span(natural) <= width:
        parts = [list(range(n))]
    else:
        parts, current = [], list(keys)
        for unit in units:
            wider = [smallest[j] for j in [*current, *unit]]
            if len(current) > len(keys) and _span(wider) > width:
                parts.append(current)
                current = list(keys)
            current += unit
        parts.append(current)

    tables = []
    for number, part in enumerate(parts):
        widths = {i: smallest[i] for i in part}
        excess = _span(list(widths.values())) - width
        for i in part:  # still too wide: fold long words of text columns, never a figure
            if excess > 0 and columns[i].wrap:
                cut = min(excess, widths[i] - _MIN_TEXT)
                if cut > 0:
                    widths[i] -= cut
                    excess -= cut
        slack = width - _span(list(widths.values()))
        for i in part:  # key columns first: whole labels read best
            grow = max(0, min(natural[i] - widths[i], slack))
            widths[i] += grow
            slack -= grow
        table = Table(
            title=title if number == 0 else f"{title} (continued)",
            title_justify="left",
        )
        for i in part:
            c = columns[i]
            table.add_column(
                _wrap(c.header, widths[i], dots=True),
                justify=c.justify,
                style=c.style,
                width=widths[i],
                no_wrap=True,
                overflow="fold",
            )
        for r in range(len(rows)):
            table.add_row(
                *(
                    _wrap(cells[i][r], widths[i], dots=True) if columns[i].wrap else cells[i][r]
                    for i in part
                )
            )
        tables.append(table)
    return tables
