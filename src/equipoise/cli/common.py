"""What every command shares: the options that write, the checks of an output path, consoles.

This module imports only click and the standard library, so that a command's ``--help``
starts in a few tens of milliseconds (issue 25): everything heavier is imported inside the
command bodies. The defaults that ``--help`` shows are literals here, and
``tests/test_cli_startup.py`` checks that they agree with the computations' own.

Every command that writes follows the same rules:

- **An output's folder must exist.** ``-o a/b/out`` with no folder ``a/b`` is refused in
  one line (exit code 2) before any work, unless ``--parents`` asks for the folders to be
  created (as ``mkdir -p`` does); equipoise's default output folders are always created.
- **One word replaces an earlier output: ``--force``.** (``equipoise panel`` also accepts
  its former ``--overwrite``, hidden, so that scripts keep working.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from equipoise._errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "DEFAULT_END",
    "DEFAULT_REPLICATIONS",
    "MAX_REPLICATIONS",
    "MAX_STEPS",
    "SEED_LIMIT",
    "SYSTEM_YEARS",
    "check_folder",
    "console",
    "force_option",
    "parents_option",
]

#: The command line takes what a scenario file's ``[run]`` table takes (``RunParams``).
MAX_REPLICATIONS = 1_000_000
MAX_STEPS = 1_000_000
#: Seeds are integers in ``[0, SEED_LIMIT)``.
SEED_LIMIT = 2**32
#: First and last year of the COW state system (``equipoise.validate.history.SYSTEM_YEARS``).
SYSTEM_YEARS = (1816, 2016)
#: ``equipoise validate``'s last year and replications (``equipoise.validate.validation``).
DEFAULT_END = 1914
DEFAULT_REPLICATIONS = 100

F = TypeVar("F", bound=Callable[..., Any])


def parents_option(f: F) -> F:
    """``--parents``: create the missing folders of the output path."""
    return click.option(
        "--parents",
        is_flag=True,
        help="Create the output's missing parent folders (without it, a missing folder is "
        "an error).",
    )(f)


def force_option(what: str) -> Callable[[F], F]:
    """``--force``: replace an earlier output of the command (``what`` says which)."""
    return click.option("--force", is_flag=True, help=f"Replace {what}.")


def check_folder(path: Path | None, parents: bool, option: str = "-o") -> None:
    """Refuse (one line) an output path whose parent folder is missing, or is a file.

    Parameters
    ----------
    path : Path or None
        The output the user gave (``None``: the command's default, always allowed).
    parents : bool
        ``--parents`` was given: missing folders will be created.
    option : str
        The option that gave the path, for the message.

    Raises
    ------
    InputError
        If a parent of ``path`` is a file, or the folder that would hold ``path`` does not
        exist and ``parents`` is false.
    """
    if path is None:
        return
    folder = path.parent
    for ancestor in (folder, *folder.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                raise InputError(f"cannot create {path}: {ancestor} is not a directory")
            break
    if not folder.is_dir() and not parents:
        raise InputError(
            f"the folder {folder} of {option} {path} does not exist: create it first, or add "
            "--parents to create it"
        )


def console(stderr: bool = False) -> Console:
    """A Rich console for a command's output (standard error with ``stderr``)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def figure(x: object) -> str:
    """A figure as the tables print it: three significant digits, 0 as 0, ``—`` if not finite."""
    import math

    value = float(x)  # type: ignore[arg-type]
    if not math.isfinite(value):
        return "—"
    return "0" if value == 0 else f"{value:.3g}"


def verdict_table(
    frame: Any,
    low: str,
    high: str,
    title: str | None = None,
    counts: str | None = None,
    inside: str = "right",
    error: str | None = None,
    show: Callable[[object], str] | None = None,
) -> Any:
    """History against a simulated median and interval, one row per statistic, as a rich table.

    ``frame`` has the columns ``statistic``, ``history``, ``sim_median``, ``sim_low``,
    ``sim_high`` and ``inside`` (True, False or missing: no verdict); ``low`` and ``high``
    label the interval's columns. ``counts`` names a column shown as ``n`` (the
    replications with a value) before the verdict, justified as ``inside`` says.
    ``error`` names a column shown as ``SE`` after the history (its standard error);
    ``show`` formats the figures (default :func:`figure`).
    """
    import pandas as pd
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    fmt = show or figure
    table.add_column("statistic", no_wrap=True)
    names = ("history", *(("SE",) if error else ()), "median", low, high)
    for name in (*names, *(("n",) if counts else ())):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("inside", justify=inside, no_wrap=True)  # type: ignore[arg-type]
    for _, row in frame.iterrows():
        verdict = row["inside"]
        shown = "—" if pd.isna(verdict) else ("[green]yes[/]" if bool(verdict) else "[red]no[/]")
        table.add_row(
            str(row["statistic"]),
            fmt(row["history"]),
            *((fmt(row[error]),) if error else ()),
            fmt(row["sim_median"]),
            fmt(row["sim_low"]),
            fmt(row["sim_high"]),
            *((str(int(row[counts])),) if counts else ()),
            shown,
        )
    return table
