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


#: Every command and subcommand, as ``equipoise ... --help`` takes it.
HELPS = [
    ["run"],
    ["compare"],
    ["scenario"],
    ["scenario", "list"],
    ["scenario", "show"],
    ["scenario", "history"],
    ["validate"],
    ["calibrate"],
    ["counterfactual"],
    ["sweep"],
    ["analyse"],
    ["report"],
    ["dashboard"],
    ["landscape"],
    ["panel"],
    ["panel", "state-years"],
    ["panel", "dyad-years"],
    ["data"],
    ["data", "update"],
    ["data", "status"],
]
#: What a command's --help must not import (issue 25: `run --help` took 1.75 s, `validate
#: --help` 7.5 s under load): the kernel, the data stack, the report's plotting.
HELP_HEAVY = (
    *HEAVY,
    "numpy",
    "pydantic",
    "pyarrow",
    "matplotlib",
    "statsmodels",
    "rich",
    "equipoise.scenario",
)


def test_every_subcommand_help_imports_nothing_heavy():
    """Each --help in turn in one fresh interpreter; the first that imports a heavy module is
    named with what it imported."""
    code = (
        "import contextlib, io, sys\n"
        "from equipoise.cli import main\n"
        f"for args in {HELPS!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "        assert main([*args, '--help']) == 0, args\n"
        "    assert 'Usage: equipoise' in out.getvalue(), args\n"
        f"    loaded = sorted(m for m in {HELP_HEAVY!r} if m in sys.modules)\n"
        "    print(' '.join(args), loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert len(lines) == len(HELPS)
    assert all(line.endswith(" []") for line in lines), "\n".join(lines)


def test_python_m_equipoise_cli_runs_the_command_line():
    out = subprocess.run(
        [sys.executable, "-m", "equipoise.cli", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "equipoise, version" in out.stdout


# --------------------------------------------- the defaults --help shows, kept in step (issue 25)
def test_help_defaults_agree_with_the_code():
    """The commands' modules hold literal copies of defaults (so that --help imports nothing):
    each must be the computation's own."""
    from equipoise.calibrate.parameters import DEFAULT_PARAMETERS
    from equipoise.calibrate.plan import CalibrationSettings
    from equipoise.cli import calibrate, common, data, landscape
    from equipoise.history.specs import SPECS
    from equipoise.landscape import AUTO_EXACT_LIMIT
    from equipoise.scenario import RunParams
    from equipoise.validate import validation
    from equipoise.validate.history import SYSTEM_YEARS

    assert calibrate.DEFAULT_PARAMETERS == tuple(p.name for p in DEFAULT_PARAMETERS)
    settings = CalibrationSettings()
    assert (calibrate.DEFAULT_BUDGET, calibrate.DEFAULT_POPULATION) == (
        settings.budget,
        settings.population_size,
    )
    assert data.DATA_TABLES == tuple(SPECS)
    assert landscape.AUTO_EXACT_LIMIT == AUTO_EXACT_LIMIT
    assert common.SYSTEM_YEARS == SYSTEM_YEARS
    assert (common.DEFAULT_END, common.DEFAULT_REPLICATIONS) == (
        validation.DEFAULT_END,
        validation.DEFAULT_REPLICATIONS,
    )

    def bound(field: str, kind: str) -> int | None:
        metadata = RunParams.model_fields[field].metadata
        return next((getattr(m, kind) for m in metadata if hasattr(m, kind)), None)

    assert (bound("replications", "ge"), bound("replications", "le")) == (
        1,
        common.MAX_REPLICATIONS,
    )
    assert (bound("steps", "ge"), bound("steps", "le")) == (1, common.MAX_STEPS)
    assert (bound("seed", "ge"), bound("seed", "lt")) == (0, common.SEED_LIMIT)


def test_calibrate_help_names_the_parameters_it_calibrates(capsys):
    """Issue 25: `calibrate --help` named the old defaults (war, reach, alliance, innovation)."""
    from equipoise.calibrate.parameters import DEFAULT_PARAMETERS
    from equipoise.cli import main

    assert main(["calibrate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for p in DEFAULT_PARAMETERS:
        assert p.name in text, p.name
    assert "innovation" not in text
    assert f"default: {len(DEFAULT_PARAMETERS)}" not in text  # no stale count either
    assert "the eight" in text and len(DEFAULT_PARAMETERS) == 8
