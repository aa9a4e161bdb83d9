"""The command line starts without loading the kernel, pandas or the history data."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("numba", "pandas", "scipy", "xarray", "equipoise.engine", "equipoise.history")


@pytest.mark.parametrize("args", [["--help"], ["scenario", "list"], ["--version"]])
def test_quick_commands_import_nothing_heavy(args):
    code = (
        "import sys\n"
        "from equipoise.cli import main\n"
        f"main({args!r})\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def test_help_lists_every_command_with_its_summary(capsys):
    from equipoise.cli import COMMANDS, main

    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for name, (_, _, summary) in COMMANDS.items():
        assert name in text and summary.split()[0] in text


def test_every_lazy_command_resolves_to_a_click_command():
    import click

    from equipoise.cli import COMMANDS, cli

    ctx = click.Context(cli)
    for name, (_, attribute, _) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert isinstance(command, click.Command)
        assert command.name == name, (name, attribute)
