"""Command-line interface: ``equipoise COMMAND ...``.

The commands live in their own modules and are imported only when one runs, so
``equipoise --help`` and ``equipoise scenario list`` start without loading the
simulation kernel, pandas or the history data; a command's module imports only
click at its top, so its ``--help`` is as quick (the rest is imported inside the
command). ``python -m equipoise.cli`` runs the same entry point. Every problem with the input (a
malformed or unknown scenario, a bad option, an output path that is not ours to
replace) is reported as one line on standard error with exit code 2, and
nothing is written.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from equipoise._version import __version__

__all__ = ["COMMANDS", "cli", "main"]

#: Every command: name -> (module, attribute, the one line ``equipoise --help`` shows).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": ("equipoise.cli.run", "run_cmd", "Run a scenario and save its results."),
    "compare": (
        "equipoise.cli.run",
        "compare_cmd",
        "Run several scenarios with the same seed and compare them.",
    ),
    "scenario": (
        "equipoise.cli.scenario",
        "scenario_group",
        "List and show the built-in scenarios, or write a historical one.",
    ),
    "validate": (
        "equipoise.cli.validate",
        "validate_cmd",
        "Compare a scenario's stylized facts with the historical record.",
    ),
    "calibrate": (
        "equipoise.cli.calibrate",
        "calibrate_cmd",
        "Calibrate parameters to history by ABC-SMC (pyabc).",
    ),
    "counterfactual": (
        "equipoise.cli.calibrate",
        "counterfactual_cmd",
        "Run a historical year with and without an intervention.",
    ),
    "predict": (
        "equipoise.cli.calibrate",
        "predict_cmd",
        "Predict another window from a calibration's posterior (out of sample).",
    ),
    "sweep": ("equipoise.cli.sweep", "sweep_cmd", "Run a parameter sweep from a TOML file."),
    "analyse": ("equipoise.cli.sweep", "analyse_cmd", "Analyse a finished sweep."),
    "report": ("equipoise.cli.report", "report_cmd", "Write a self-contained HTML report."),
    "dashboard": ("equipoise.cli.dashboard", "dashboard_cmd", "Serve the browser dashboard."),
    "landscape": (
        "equipoise.cli.landscape",
        "landscape_cmd",
        "Predict two coalitions with landscape theory.",
    ),
    "panel": (
        "equipoise.cli.panel",
        "panel_group",
        "Build a state-year or dyad-year panel from COW and ATOP.",
    ),
    "data": ("equipoise.cli.data", "data_group", "Update and inspect the COW and ATOP data."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they are invoked, not when it is built."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, summary) for name, (_, _, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="equipoise")
def cli() -> None:
    """Equipoise: simulate and measure the balance of power."""


def _input_error(exc: BaseException) -> bool:
    """Whether ``exc`` is bad input, reported in one line with exit code 2."""
    from equipoise._errors import InputError

    if isinstance(exc, InputError | FileExistsError):
        return True
    scenario = sys.modules.get("equipoise.scenario")
    if scenario is not None and isinstance(exc, scenario.InvalidScenarioError):
        return True
    loaders = sys.modules.get("equipoise.history.loaders")
    return loaders is not None and isinstance(exc, loaders.DataError)


def _error(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(message, markup=False, soft_wrap=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 for bad input)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        click.echo(cli.get_help(click.Context(cli, info_name="equipoise")))
        return 0
    try:
        # a command that raises click's Exit(code) (a calibration interrupted, exit 130) has
        # its code returned here, outside standalone mode
        code = cli.main(args=args, prog_name="equipoise", standalone_mode=False)
        if isinstance(code, int) and not isinstance(code, bool) and code:
            return code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        _error("aborted")
        return 130
    except click.ClickException as exc:
        _error(f"error: {exc.format_message()}")
        return 2
    except Exception as exc:
        if _input_error(exc):
            _error(f"error: {exc}")
            return 2
        raise
    return 0


def __getattr__(name: str) -> Any:
    """Names of the commands' module, for code written against the former single module."""
    if name.startswith("__"):  # the import system probes __path__ and the like
        raise AttributeError(name)
    commands = importlib.import_module("equipoise.cli.run")
    try:
        return getattr(commands, name)
    except AttributeError:
        raise AttributeError(f"module 'equipoise.cli' has no attribute {name!r}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
