"""The ``equipoise panel`` commands (registered on the CLI group by :mod:`equipoise.cli`).

This module imports only click and rich itself and calls the panel functions when a command
runs (importing it runs ``equipoise/panels/__init__.py``, about 50 ms on top of what
``equipoise.cli`` imports anyway, the same pattern as ``equipoise landscape``). Every check
of the input (output extension, add-on names, years) happens before any work, so
bad input writes nothing and ends with one line and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["panel_group"]

#: Add-on names in the order they are applied (peace-years needs wars first).
ADDON_NAMES = ("nmc", "majors", "atop", "wars", "distance", "power-ratio", "peace-years")
_EXTENSIONS = (".parquet", ".csv", ".dta")


def _addons(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in ADDON_NAMES]
    if unknown:
        raise click.UsageError(
            f"unknown add-on '{unknown[0]}' in --add; choose from {', '.join(ADDON_NAMES)}"
        )
    if "peace-years" in names and "wars" not in names:
        raise click.UsageError("--add peace-years counts years since a war: add 'wars' too")
    return [n for n in ADDON_NAMES if n in names]


def _output(out: Path, overwrite: bool) -> None:
    if out.suffix.lower() not in _EXTENSIONS:
        raise click.UsageError(
            f"unknown output format '{out.suffix or out.name}' for {out}: use "
            f"{', '.join(_EXTENSIONS)}"
        )
    if out.is_dir():
        raise click.UsageError(f"output path is a directory: {out}")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise click.UsageError(f"cannot create {out}: {parent} is not a directory")
            break
    if out.exists() and not overwrite:
        raise click.UsageError(f"refusing to overwrite existing file {out} (add --overwrite)")


def _run(
    kind: str,
    start: int | None,
    end: int | None,
    directed: bool,
    add: str,
    prd: bool,
    prd_km: float,
    out: Path,
    overwrite: bool,
    quiet: bool,
) -> None:
    """Check everything, then build, add, filter and write with a progress bar."""
    names = _addons(add)
    _output(out, overwrite)
    from equipoise.panels import (
        ADDONS,
        PanelError,
        check_years,
        cite,
        dyad_years,
        filter_prd,
        state_years,
        system_years,
        write_panel,
    )

    lo, hi = system_years()
    first = lo if start is None else start
    last = hi if end is None else end
    try:
        check_years(first, last, f"equipoise panel {kind}")
    except PanelError as exc:
        text = str(exc).replace("start year", "--from").replace("end year", "--to")
        raise click.UsageError(text) from None

    total = 2 + len(names) + int(prd)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("steps"),
        TimeElapsedColumn(),
        console=Console(stderr=True, highlight=False),
        disable=quiet,
        transient=False,
    )
    try:
        with bar:
            task = bar.add_task(f"{kind} {first}-{last}", total=total)
            if kind == "dyad-years":
                panel = dyad_years(first, last, directed=directed)
            else:
                panel = state_years(first, last)
            bar.advance(task)
            for name in names:
                bar.update(task, description=f"add {name}")
                panel = ADDONS[name](panel)
                bar.advance(task)
            if prd:
                bar.update(task, description="politically relevant dyads")
                panel = filter_prd(panel, prd_km)
                bar.advance(task)
            bar.update(task, description=f"write {out.name}")
            write_panel(panel, out, overwrite=overwrite)
            bar.advance(task)
            bar.update(task, description="panel")
    except PanelError as exc:
        raise click.ClickException(str(exc)) from None
    what = kind if kind == "state-years" else f"{'directed' if directed else 'undirected'} {kind}"
    where = f" (politically relevant: major power or capitals within {prd_km:g} km)" if prd else ""
    keys = [
        line.split("{", 1)[1].rstrip(",")
        for line in cite(panel).splitlines()
        if line.startswith("@")
    ]
    stdout = Console(highlight=False, soft_wrap=True)
    stdout.print(
        f"Wrote {len(panel):,} {what} {first}-{last}{where}, {panel.shape[1]} columns, to {out}"
    )
    stdout.print(f"Cite: {', '.join(keys)} (BibTeX: equipoise.panels.cite)")


@click.group("panel")
def panel_group() -> None:
    """Build state-year or dyad-year panels with COW and ATOP data (peacesciencer's).

    Writes Parquet, CSV or Stata .dta, chosen by the extension of -o. See docs/panels.md
    for every column and definition.
    """


_FROM = click.option("--from", "start", type=int, help="First year (default: 1816).")
_TO = click.option("--to", "end", type=int, help="Last year (default: 2016).")
_ADD = click.option(
    "--add",
    default="",
    metavar="LIST",
    help=f"Comma-separated add-ons: {', '.join(ADDON_NAMES)}.",
)
_OUT = click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file: .parquet, .csv or .dta.",
)
_OVERWRITE = click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
_QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")


@panel_group.command("state-years")
@_FROM
@_TO
@_ADD
@_OUT
@_OVERWRITE
@_QUIET
def state_years_cmd(
    start: int | None, end: int | None, add: str, out: Path, overwrite: bool, quiet: bool
) -> None:
    """One row per COW state system member and year, with the chosen add-ons."""
    _run("state-years", start, end, True, add, False, 0.0, out, overwrite, quiet)


@panel_group.command("dyad-years")
@_FROM
@_TO
@click.option(
    "--directed/--undirected",
    default=True,
    show_default=True,
    help="Both (A, B) and (B, A), or only ccode1 < ccode2.",
)
@_ADD
@click.option(
    "--prd",
    is_flag=True,
    help="Keep politically relevant dyads only: a major power, or capitals within --prd-km.",
)
@click.option(
    "--prd-km",
    type=click.FloatRange(min=0),
    default=1000.0,
    show_default=True,
    help="Largest capital distance (km) of a proximate dyad: a stand-in for COW contiguity, "
    "which is not in the built-in data.",
)
@_OUT
@_OVERWRITE
@_QUIET
def dyad_years_cmd(
    start: int | None,
    end: int | None,
    directed: bool,
    add: str,
    prd: bool,
    prd_km: float,
    out: Path,
    overwrite: bool,
    quiet: bool,
) -> None:
    """One row per pair of COW system members and year, with the chosen add-ons."""
    _run("dyad-years", start, end, directed, add, prd, prd_km, out, overwrite, quiet)
