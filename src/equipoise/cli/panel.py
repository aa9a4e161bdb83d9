"""The ``equipoise panel`` commands (registered on the CLI group by :mod:`equipoise.cli`).

This module imports only click itself and imports Rich and the panel functions when a
command runs, so that ``--help`` is quick. ``--force`` replaces an existing output file
(``--overwrite``, its former name, is kept hidden so that scripts keep working), and a
folder of ``-o`` that does not exist is made only with ``--parents``. Every check
of the input (output extension, add-on names and their combinations, years, the ``--prd``
options; ``--spells`` columns on the first year's panel) happens before the panel is built,
and a panel the data refuse (a ``--spells`` column that is not 0/1) stops before anything is
written: bad input writes nothing and ends with one line and exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from equipoise.cli.common import check_folder, console, parents_option

__all__ = ["panel_group"]

#: Add-on names in the order they are applied (peace-years needs wars or mids first).
ADDON_NAMES = (
    "nmc",
    "majors",
    "atop",
    "wars",
    "mids",
    "contiguity",
    "distance",
    "mindist",
    "democracy",
    "rivalries",
    "fpsim",
    "power-ratio",
    "peace-years",
)
#: Add-ons defined on pairs of states only.
DYADIC_ONLY = ("fpsim",)
_EXTENSIONS = (".parquet", ".csv", ".dta")


def _addons(text: str, kind: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in ADDON_NAMES]
    if unknown:
        raise click.UsageError(
            f"unknown add-on '{unknown[0]}' in --add; choose from {', '.join(ADDON_NAMES)}"
        )
    if "peace-years" in names and "wars" not in names and "mids" not in names:
        raise click.UsageError(
            "--add peace-years counts years since a war or a dispute: add 'wars' or 'mids' too"
        )
    dyadic = [n for n in names if n in DYADIC_ONLY]
    if dyadic and kind == "state-years":
        raise click.UsageError(
            f"--add {dyadic[0]} measures pairs of states: use it with dyad-years"
        )
    return [n for n in ADDON_NAMES if n in names]


def _spell_columns(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _output(out: Path, force: bool, parents: bool) -> None:
    if out.suffix.lower() not in _EXTENSIONS:
        raise click.UsageError(
            f"unknown output format '{out.suffix or out.name}' for {out}: use "
            f"{', '.join(_EXTENSIONS)}"
        )
    if out.is_dir():
        raise click.UsageError(f"output path is a directory: {out}")
    check_folder(out, parents)
    if out.exists() and not force:
        raise click.UsageError(f"{out} exists: pass --force to replace it, or choose another file")


def _run(
    kind: str,
    start: int | None,
    end: int | None,
    directed: bool,
    add: str,
    prd: bool,
    prd_conttype: int | None,
    prd_km: float | None,
    history: bool,
    spells: str,
    out: Path,
    force: bool,
    parents: bool,
    quiet: bool,
) -> None:
    """Check everything, then build, add, filter and write with a progress bar."""
    names = _addons(add, kind)
    events = _spell_columns(spells)
    if not prd and (prd_conttype is not None or prd_km is not None):
        option = "--prd-conttype" if prd_conttype is not None else "--prd-km"
        raise click.UsageError(f"{option} chooses how --prd filters: add --prd")
    if prd_conttype is not None and prd_km is not None:
        raise click.UsageError(
            "--prd-conttype and --prd-km are two ways to call a dyad proximate: choose one"
        )
    if history and "peace-years" not in names:
        raise click.UsageError("--history counts peace years from 1816: add 'peace-years'")
    _output(out, force, parents)
    from equipoise.panels import (
        ADDONS,
        PanelError,
        add_peace_years,
        add_spells,
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

    if events:  # the columns come from the add-ons: try them on the first year alone
        probe = (
            dyad_years(first, first, directed)
            if kind == "dyad-years"
            else state_years(first, first)
        )
        for name in names:
            probe = ADDONS[name](probe)
        for event in events:  # whether it holds 0s and 1s only shows on the whole panel
            if event not in probe.columns:
                raise click.UsageError(
                    f"--spells: no column '{event}' in the panel; name a 0/1 column of the "
                    "chosen add-ons (e.g. gmlmidonset with --add mids)"
                )

    total = 2 + len(names) + len(events) + int(prd)
    from equipoise.cli.progress import progress_bar

    bar = progress_bar(console(stderr=True), quiet, "steps", remaining=False)
    try:
        with bar:
            try:
                task = bar.add_task(f"{kind} {first}-{last}", total=total)
                if kind == "dyad-years":
                    panel = dyad_years(first, last, directed=directed)
                else:
                    panel = state_years(first, last)
                bar.advance(task)
                for name in names:
                    bar.update(task, description=f"add {name}")
                    if name == "peace-years":
                        panel = add_peace_years(panel, history=history)
                    else:
                        panel = ADDONS[name](panel)
                    bar.advance(task)
                for event in events:
                    bar.update(task, description=f"spells of {event}")
                    panel = add_spells(panel, event)
                    bar.advance(task)
                if prd:
                    bar.update(task, description="politically relevant dyads")
                    if prd_km is not None:
                        panel = filter_prd(panel, distance_km=prd_km)
                    else:
                        panel = filter_prd(panel, max_conttype=prd_conttype or 5)
                    bar.advance(task)
                bar.update(task, description=f"write {out.name}")
                if parents:
                    out.parent.mkdir(parents=True, exist_ok=True)
                write_panel(panel, out, overwrite=force)
                bar.advance(task)
                bar.update(task, description="panel")
            except PanelError:
                # a panel the data refuse (a --spells column that is not 0/1): leave only
                # the one-line refusal, not a half-done progress bar
                bar.live.transient = True
                bar.console.quiet = not bar.console.is_terminal
                raise
    except PanelError as exc:
        raise click.UsageError(str(exc)) from None
    what = kind if kind == "state-years" else f"{'directed' if directed else 'undirected'} {kind}"
    where = f" (politically relevant: {panel.attrs['equipoise.prd']})" if prd else ""
    keys = [
        line.split("{", 1)[1].rstrip(",")
        for line in cite(panel).splitlines()
        if line.startswith("@")
    ]
    stdout = console()
    stdout.soft_wrap = True
    stdout.print(
        f"Wrote {len(panel):,} {what} {first}-{last}{where}, {panel.shape[1]} columns, to {out}"
    )
    stdout.print(f"Cite: {', '.join(keys)} (BibTeX: equipoise.panels.cite)")


@click.group("panel")
def panel_group() -> None:
    """Build state-year or dyad-year panels with COW, ATOP and peacesciencer's data.

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
_FORCE = click.option("--force", is_flag=True, help="Replace an existing output file.")
#: The former name of --force, hidden: scripts written for it keep working.
_OVERWRITE = click.option("--overwrite", is_flag=True, hidden=True)
_HISTORY = click.option(
    "--history",
    is_flag=True,
    help="Count peace years from 1816, not from --from (needs peace-years).",
)
_SPELLS = click.option(
    "--spells",
    default="",
    metavar="LIST",
    help="Comma-separated 0/1 columns to count spells since (add_spells), e.g. gmlmidonset.",
)
_QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")


@panel_group.command("state-years")
@_FROM
@_TO
@_ADD
@_HISTORY
@_SPELLS
@_OUT
@_FORCE
@_OVERWRITE
@parents_option
@_QUIET
def state_years_cmd(
    start: int | None,
    end: int | None,
    add: str,
    history: bool,
    spells: str,
    out: Path,
    force: bool,
    overwrite: bool,
    parents: bool,
    quiet: bool,
) -> None:
    """One row per COW state system member and year, with the chosen add-ons."""
    _run(
        "state-years",
        start,
        end,
        True,
        add,
        False,
        None,
        None,
        history,
        spells,
        out,
        force or overwrite,
        parents,
        quiet,
    )


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
@_HISTORY
@_SPELLS
@click.option(
    "--prd",
    is_flag=True,
    help="Keep politically relevant dyads only: a major power, or contiguous (COW types 1-5).",
)
@click.option(
    "--prd-conttype",
    type=click.IntRange(1, 5),
    default=None,
    help="With --prd: the largest COW contiguity type that counts (1 land border only, 2-5 "
    "up to 12, 24, 150, 400 miles of water; default 5).",
)
@click.option(
    "--prd-km",
    type=click.FloatRange(min=0),
    default=None,
    help="With --prd: call a dyad proximate when its capitals are at most this many km apart, "
    "instead of contiguity (the old proxy; 1000 selects about as many dyad-years).",
)
@_OUT
@_FORCE
@_OVERWRITE
@parents_option
@_QUIET
def dyad_years_cmd(
    start: int | None,
    end: int | None,
    directed: bool,
    add: str,
    history: bool,
    spells: str,
    prd: bool,
    prd_conttype: int | None,
    prd_km: float | None,
    out: Path,
    force: bool,
    overwrite: bool,
    parents: bool,
    quiet: bool,
) -> None:
    """One row per pair of COW system members and year, with the chosen add-ons."""
    _run(
        "dyad-years",
        start,
        end,
        directed,
        add,
        prd,
        prd_conttype,
        prd_km,
        history,
        spells,
        out,
        force or overwrite,
        parents,
        quiet,
    )
