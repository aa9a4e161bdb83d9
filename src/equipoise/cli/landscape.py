"""The ``equipoise landscape`` command (registered on the CLI group by :mod:`equipoise.cli`).

The module imports only click, so that ``--help`` is quick; landscape theory's code and
Rich are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from equipoise.cli.common import console

if TYPE_CHECKING:
    from rich.table import Table

    from equipoise.landscape import LandscapeResult

__all__ = ["AUTO_EXACT_LIMIT", "landscape_cmd", "landscape_table"]

#: States up to which ``--method auto`` searches exactly (``equipoise.landscape``'s own).
AUTO_EXACT_LIMIT = 24


def landscape_table(result: LandscapeResult, title: str, top: int | None = None) -> Table:
    """The stable configurations as a table: rank, energy, basin and the two coalitions.

    Configurations tied at the lowest energy share rank ``1=``.
    """
    from rich.table import Table

    tied = result.tied
    table = Table(title=title, title_justify="left")
    table.add_column("rank", justify="right")
    table.add_column("energy", justify="right", style="bold")
    table.add_column("basin", justify="right")
    table.add_column(f"coalition A (with {result.names[0]})", overflow="fold")
    table.add_column("coalition B", overflow="fold")
    shown = len(result) if top is None else min(top, len(result))
    for k in range(shown):
        a, b = result.coalitions(k)
        table.add_row(
            "1=" if tied > 1 and k < tied else str(k + 1),
            f"{result.energies[k]:.6g}",
            f"{result.basins[k]:.3f}",
            " ".join(a),
            " ".join(b) or "—",
        )
    return table


@click.command("landscape")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Show at most this many stable configurations.",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "exact", "heuristic"]),
    default="auto",
    show_default=True,
    help=f"'auto': exact up to {AUTO_EXACT_LIMIT} states, local search beyond.",
)
@click.option(
    "--restarts",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Local searches of the heuristic.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the heuristic's random starts.",
)
def landscape_cmd(file: Path, top: int, method: str, restarts: int, seed: int) -> None:
    """Predict the alignment of states into two coalitions (Axelrod & Bennett 1993).

    FILE is a CSV (header name,size,<names...>, one row per state) or a TOML
    file (names, sizes, propensity) with each state's size and the symmetric
    matrix of propensities (positive: would rather be together). Prints every
    stable configuration (no single state gains by switching sides), lowest
    energy first, with its basin of attraction. Nothing is written.
    """
    from equipoise.landscape import LandscapeError, read_landscape, solve

    out = console()
    try:
        data = read_landscape(file)
        n = len(data.names)
        if method == "auto":
            method = "exact" if n <= AUTO_EXACT_LIMIT else "heuristic"
        result = solve(
            data.sizes,
            data.propensity,
            data.names,
            method=method,  # type: ignore[arg-type]
            restarts=restarts,
            seed=seed,
        )
    except LandscapeError as exc:
        raise click.ClickException(str(exc)) from None
    title = f"equipoise landscape: {file} ({n} states)"
    out.print(landscape_table(result, title, top))
    shown = min(top, len(result))
    if result.exact:
        out.print(
            f"Exact: all {result.searched:,} configurations searched; "
            f"{len(result)} stable configuration{'s' if len(result) != 1 else ''}"
            f"{f', {shown} shown' if shown < len(result) else ''}. "
            + (
                f"{result.tied} configurations tie at the lowest energy (rank 1=): landscape "
                "theory predicts no single alignment here, and their basins say how often "
                "each is reached from a random start."
                if result.tied > 1
                else "Rank 1 is the prediction (global minimum)."
            )
        )
    else:
        out.print(
            f"Heuristic (not exact): {result.searched:,} local searches from random starts "
            f"(seed {seed}) found {len(result)} stable configuration"
            f"{'s' if len(result) != 1 else ''}"
            f"{f', {shown} shown' if shown < len(result) else ''}; "
            "the list may be incomplete, rank 1 may not be the global minimum, "
            "and basins are estimates."
            + (
                f" {result.tied} of them tie at the lowest energy (rank 1=): none of "
                "them is the prediction over the others."
                if result.tied > 1
                else ""
            )
        )
    out.print("Energy E = sum over pairs i<j of s_i s_j p_ij d_ij (Axelrod & Bennett 1993).")
