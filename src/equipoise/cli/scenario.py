"""``equipoise scenario list | show | history``: built-in scenarios, and historical ones."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from equipoise._builtins import builtin_scenarios, builtin_text
from equipoise._errors import InputError
from equipoise.cli.common import check_folder, parents_option

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["scenario_group"]


@click.group("scenario")
def scenario_group() -> None:
    """List and show the built-in scenarios, or write a historical one."""


def _check_out(out: Path | None, force: bool, parents: bool) -> None:
    """Refuse an output file that is a folder, exists without --force, or has no parent."""
    if out is not None:
        if out.is_dir():
            raise InputError(f"output path is a directory: {out}")
        if out.exists() and not force:
            raise InputError(f"{out} exists: pass --force to replace it, or choose another file")
        check_folder(out, parents)


@scenario_group.command("list")
def scenario_list() -> None:
    """List built-in scenarios with their descriptions."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Built-in scenarios", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("states", justify="right")
    table.add_column("description")
    for name in builtin_scenarios():
        # the shipped files are validated by the tests; reading their two keys directly
        # keeps this command free of the scenario model's import
        data = tomllib.loads(builtin_text(name))
        size = data.get("n_states", len(data.get("states", [])))
        table.add_row(name, str(size), str(data.get("description", "")))
    Console(highlight=False).print(table)


@scenario_group.command("show")
@click.argument("name")
@click.option(
    "--full",
    is_flag=True,
    help="Print every parameter, defaults included, each with its meaning and unit.",
)
@click.option(
    "--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of stdout."
)
@click.option("--force", is_flag=True, help="Replace the file given with -o if it exists.")
@parents_option
def scenario_show(name: str, full: bool, out: Path | None, force: bool, parents: bool) -> None:
    """Print a scenario as TOML, ready to copy and edit."""
    from rich.console import Console

    from equipoise._io import atomic_write_text
    from equipoise._paramdoc import commented_toml
    from equipoise.scenario import Scenario

    _check_out(out, force, parents)
    s = Scenario.load(name)
    if full or name not in builtin_scenarios():
        title = (
            f"Scenario '{s.name}': every parameter, with its meaning and [unit] (see docs/model.md)"
        )
        text = commented_toml(s, title)
    else:
        text = builtin_text(name)
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
        Console(stderr=True, highlight=False).print(f"Wrote {out}")


@scenario_group.command("history")
@click.argument("year", type=int)
@click.option(
    "--states",
    "selection",
    type=click.Choice(["major", "all"]),
    default="major",
    show_default=True,
    help="The COW major powers of YEAR, or every system member.",
)
@click.option(
    "--entries",
    is_flag=True,
    help="The whole system over time: every later state enters on its COW date, "
    "unifications and dissolutions on theirs (needs --states all).",
)
@click.option("--until", type=int, help="Last year of entries and exits (default: 2016).")
@click.option(
    "--exits",
    type=click.Choice(["peaceful", "all", "none"]),
    default="peaceful",
    show_default=True,
    help="With --entries: exits replayed (unifications and dissolutions; conquests too; none).",
)
@click.option(
    "--geography",
    type=click.Choice(["lattice", "contiguity"]),
    help="A lattice of land, or COW's land borders and seas [default: contiguity with "
    "--entries, else lattice].",
)
@click.option(
    "--alliances",
    type=click.Choice(["blocs", "treaties"]),
    help="Alliances as blocs, or as treaties of ATOP's kinds [default: treaties with "
    "--entries, else blocs].",
)
@click.option(
    "--integrity-norm",
    "norm",
    type=int,
    default=1946,
    show_default=True,
    help="First year of the territorial integrity norm: no state dies by conquest from "
    "then on (Zacher 2001; Fazal 2007).",
)
@click.option("--no-integrity-norm", "no_norm", is_flag=True, help="No territorial integrity norm.")
@click.option(
    "--out", "-o", type=click.Path(path_type=Path), help="Write to this file instead of stdout."
)
@click.option("--force", is_flag=True, help="Replace the file given with -o if it exists.")
@parents_option
def scenario_history(
    year: int,
    selection: str,
    entries: bool,
    until: int | None,
    exits: str,
    geography: str | None,
    alliances: str | None,
    norm: int,
    no_norm: bool,
    out: Path | None,
    force: bool,
    parents: bool,
) -> None:
    """Print the scenario of the real state system of YEAR as TOML (scenario_from_history).

    Economies and militaries from COW NMC, alliances from ATOP, capitals on the
    globe; with --entries the states that join later enter on their dates. Run
    the file with `equipoise run FILE`, or compare the whole system with
    history with `equipoise validate FILE --system`.
    """
    from rich.console import Console

    from equipoise._io import atomic_write_text
    from equipoise.history import scenario_from_history

    _check_out(out, force, parents)
    options: dict[str, object] = {"integrity_norm": None if no_norm else norm}
    if geography is not None:
        options["map"] = {"geography": geography}
    if alliances is not None:
        options["alliances"] = {"treaties": alliances == "treaties"}
    if entries:
        options.update(entries=True, until=until, exits=exits)
    elif until is not None or exits != "peaceful":
        raise InputError("--until and --exits go with --entries")
    scenario = scenario_from_history(year, states=selection, **options)  # type: ignore[arg-type]
    text = scenario.to_toml()
    if out is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(out, text)
        Console(stderr=True, highlight=False).print(
            f"Wrote {out}: {scenario.size} states, {len(scenario.events)} events"
        )
