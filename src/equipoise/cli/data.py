"""The commands ``equipoise data update`` and ``equipoise data status``.

Registered by :mod:`equipoise.cli`; the module imports only click, so that ``--help`` is
quick, and the history package (pandas, the data loaders) is imported when a command runs.
"""

from __future__ import annotations

import click

from equipoise.cli.common import console

__all__ = ["DATA_TABLES", "data_group"]

#: The tables ``data update --only`` accepts, in order (``equipoise.history.specs.SPECS``;
#: tests/test_cli_startup.py checks that the two agree).
DATA_TABLES = (
    "nmc",
    "states",
    "majors",
    "system",
    "wars",
    "atop_members",
    "atop_alliances",
    "atop_stateyear",
)


@click.group("data")
def data_group() -> None:
    """Download and inspect the COW and ATOP data.

    The loaders use downloaded files from the user data directory (or
    EQUIPOISE_DATA_DIR) in preference to the built-in copies.
    """


def _years(first: int | None, last: int | None) -> str:
    return "—" if first is None else f"{first}-{last}"


@data_group.command("update")
@click.option(
    "--source",
    metavar="URL_OR_DIR",
    help="Fetch from this URL prefix or local directory instead of the official sites.",
)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(list(DATA_TABLES)),
    metavar="NAME",
    help=f"Update only this table (repeatable): {', '.join(DATA_TABLES)}.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for a server.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=2,
    show_default=True,
    help="Times to try a download again after a timeout, a dropped connection or a server error.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def data_update(
    source: str | None, only: tuple[str, ...], timeout: float, retries: int, quiet: bool
) -> None:
    """Download current releases, check them and use them instead of the built-in copies.

    A file that fails to download or to pass the checks (columns, numbers,
    year ranges, row count) replaces nothing: the previous data stay in use.
    """
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskID,
        TextColumn,
        TransferSpeedColumn,
    )
    from rich.table import Table

    from equipoise.history.update import update

    err = console(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def progress(label: str, done: int, total: int | None) -> None:
        if label not in tasks:
            tasks[label] = bar.add_task(label, total=total)
        bar.update(tasks[label], completed=done, total=total)

    with bar:
        report = update(
            only or None, source=source, timeout=timeout, progress=progress, retries=retries
        )
    table = Table(title=f"equipoise data update: {report.data_dir}", title_justify="left")
    table.add_column("table", style="bold")
    table.add_column("")
    table.add_column("rows", justify="right")
    table.add_column("years")
    table.add_column("from", overflow="fold")
    for f in report.files:
        state = "updated" if f.changed else "unchanged"
        table.add_row(f.name, state, f"{f.rows:,}", _years(f.first_year, f.last_year), f.origin)
    out = console()
    out.print(table)
    out.print(
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged; "
        "the loaders now read these files."
    )


@data_group.command("status")
def data_status() -> None:
    """Show, for each table, the file the loaders read, its rows and years."""
    from rich.table import Table

    from equipoise.history.loaders import data_dir
    from equipoise.history.update import status

    table = Table(title=f"Data directory: {data_dir()}", title_justify="left")
    table.add_column("table", style="bold")
    table.add_column("source", overflow="fold")
    table.add_column("rows", justify="right")
    table.add_column("years")
    table.add_column("downloaded")
    for st in status():
        where = "built-in" if st.builtin else str(st.path)
        table.add_row(
            st.name,
            where,
            f"{st.rows:,}",
            _years(st.first_year, st.last_year),
            (st.downloaded or "")[:16].replace("T", " "),
        )
    console().print(table)
