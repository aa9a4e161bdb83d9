"""``equipoise scenario list | show``: the built-in scenarios (quick to start)."""

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
    """List and show the built-in scenarios."""


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

    if out is not None:
        if out.is_dir():
            raise InputError(f"output path is a directory: {out}")
        if out.exists() and not force:
            raise InputError(f"{out} exists: pass --force to replace it, or choose another file")
        check_folder(out, parents)
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
