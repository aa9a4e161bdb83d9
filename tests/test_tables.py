"""Terminal tables that fit the width: no figure cut or broken, names broken only after a dot."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from equipoise._tables import Col, fit_tables


def _render(tables, width: int) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=width, record=True, file=io.StringIO(), highlight=False)
    for table in tables:
        console.print(table)
    return console.export_text()


FIGURE = st.builds(
    lambda a, b: f"{a:.3f} ({a:.3f}–{b:.3f})",
    st.floats(0, 1, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
)
NAME = st.from_regex(r"[a-z]{3,12}(_[a-z]{3,12})?", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(50, 160),
    names=st.lists(NAME, min_size=1, max_size=7, unique=True),
    cells=st.lists(FIGURE, min_size=7, max_size=7),
)
def test_every_figure_and_heading_whole_at_any_width(width, names, cells) -> None:
    columns = [Col("parameter", justify="left", key=True, wrap=True)]
    columns += [Col(name) for name in names]
    rows = [
        ["soft_balancing.soft_balancing_threshold", *cells[: len(names)]],
        ["time to hegemony (median step)", *reversed(cells[: len(names)])],
    ]
    text = _render(fit_tables("t", columns, rows, width), width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in text
    for name in names:
        assert f" {name} " in text, name
    for cell in cells[: len(names)]:
        assert text.count(cell) >= 2 * cells[: len(names)].count(cell)
    # where its longest part fits beside the widest figure column, the dotted name is whole
    # or broken right after its dot (narrower still, the label folds, never a figure)
    widest = max(len(c) for c in [*names, *cells[: len(names)]])
    if width >= len("soft_balancing_threshold") + widest + 7:
        assert "soft_balancing.soft_balancing_threshold" in text or (
            "soft_balancing." in text and "soft_balancing_threshold" in text
        )


def test_a_table_that_fits_is_one_table() -> None:
    columns = [Col("measure", justify="left", key=True, wrap=True), Col("a"), Col("b")]
    tables = fit_tables("t", columns, [["rate", "0.1", "0.2"]], 80)
    assert len(tables) == 1
    assert [c.header for c in tables[0].columns] == ["measure", "a", "b"]


def test_split_parts_repeat_the_keys_and_keep_groups_together() -> None:
    columns = [
        Col("outcome", justify="left", key=True),
        Col("S1", group="S1"),
        Col("±", group="S1"),
        Col("ST", group="ST"),
        Col("±", group="ST"),
    ]
    rows = [["hegemony_rate", "0.123456789", "0.2", "0.987654321", "0.4"]]
    tables = fit_tables("Sobol'", columns, rows, 45)
    headers = [[str(c.header) for c in t.columns] for t in tables]
    assert headers == [["outcome", "S1", "±"], ["outcome", "ST", "±"]]
    assert tables[1].title == "Sobol' (continued)"


def test_numbers_never_break_at_their_decimal_point() -> None:
    columns = [Col("step", key=True), Col("move", justify="left", wrap=True)]
    rows = [["1", "alliances.appeasement >= 0.012345 and war.decisiveness <= 2.5"]]
    text = _render(fit_tables("t", columns, rows, 30), 30)
    assert "0.012345" in text and "2.5" in text
