"""The commands ``equipoise run`` and ``equipoise compare``.

They are registered by :mod:`equipoise.cli`, which imports this module only when one of
them runs or shows its help; so that ``--help`` is quick, the module itself imports only
click, and the engine, pandas and Rich are imported inside the commands. Every problem with
the input (a malformed or unknown scenario, a bad option, an output path that is not ours
to replace or whose folder is missing) is reported as one line on standard error with exit
code 2, and nothing is written (see :func:`equipoise.cli.main`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from equipoise._errors import InputError
from equipoise.cli.common import (
    MAX_REPLICATIONS,
    MAX_STEPS,
    SEED_LIMIT,
    check_folder,
    console,
    parents_option,
)

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from equipoise.results import Result
    from equipoise.scenario import Scenario

__all__ = ["InputError", "compare_cmd", "run_cmd"]


def _load_all(names: Sequence[str]) -> list[Scenario]:
    from equipoise.scenario import Scenario

    scenarios = [Scenario.load(n) for n in names]
    seen: dict[str, str] = {}
    for given, s in zip(names, scenarios, strict=True):
        if s.name in seen:
            raise InputError(
                f"scenario name '{s.name}' appears twice ({seen[s.name]} and {given}); "
                "give each scenario a distinct name"
            )
        seen[s.name] = given
    return scenarios


def _check_out(out: Path, force: bool, given: Path | None, parents: bool) -> None:
    """Refuse (one line) an output directory that is not ours, or ours without ``--force``.

    ``given`` is the directory the user named with ``-o`` (``None`` for the default): its
    folder must exist unless ``--parents``.
    """
    from equipoise._io import check_replaceable

    try:
        check_replaceable(out)
    except FileExistsError as exc:
        raise InputError(f"{exc}; choose another directory with -o DIR") from None
    check_folder(given, parents)
    if not force and out.is_dir() and any(out.iterdir()):
        raise InputError(
            f"{out} already holds results of an earlier run; pass --force to replace them "
            "(files equipoise did not write there are kept), or choose another directory "
            "with -o DIR"
        )


def _check_memory(
    scenarios: Sequence[Scenario],
    replications: int | None,
    steps: int | None,
    record_states: bool,
) -> None:
    """Refuse (one line, before anything runs) a run that cannot fit in the machine's memory."""
    from equipoise._limits import available_memory_bytes, format_bytes
    from equipoise.run_memory import estimate_run_bytes

    have = available_memory_bytes()
    if have is None:
        return

    def need(states: bool) -> int:
        return sum(
            estimate_run_bytes(
                s.size, replications or s.run.replications, steps or s.run.steps, states
            )
            for s in scenarios
        )

    total = need(record_states)
    if total <= have:
        return
    if len(scenarios) == 1:
        s = scenarios[0]
        r, t = replications or s.run.replications, steps or s.run.steps
        what = f"{r:,} replications x {t:,} steps of {s.size} states need"
    else:
        what = f"these {len(scenarios)} scenarios need"
    advice = "use fewer replications (-r) or steps (-t)"
    if record_states and need(False) <= have:
        advice += f", or add --no-states (about {format_bytes(need(False))})"
    raise InputError(
        f"{what} about {format_bytes(total)} of memory, more than the {format_bytes(have)} "
        f"available: {advice}; or split the replications into parts, each run and saved on "
        "its own from Python with equipoise.run(..., replications=range(a, b))"
    )


def _simulate(
    scenarios: Sequence[Scenario],
    replications: int | None,
    steps: int | None,
    seed: int | None,
    quiet: bool,
    record_states: bool = True,
) -> list[Result]:
    """Run each scenario with a progress bar that moves in small steps (on standard error)."""
    from equipoise.cli.progress import compile_notice, progress_bar, progress_chunk
    from equipoise.engine import run as run_scenario

    err = console(stderr=True)
    compile_notice(err, quiet)
    results = []
    with progress_bar(err, quiet, "replication-steps") as bar:
        tasks = [
            bar.add_task(
                s.name,
                total=(replications or s.run.replications) * (steps or s.run.steps),
            )
            for s in scenarios
        ]
        for s, task in zip(scenarios, tasks, strict=True):
            reps = replications or s.run.replications

            def advance(work: int, task: Any = task) -> None:
                bar.advance(task, work)

            results.append(
                run_scenario(
                    s,
                    replications=replications,
                    steps=steps,
                    seed=seed,
                    chunk_size=progress_chunk(reps),
                    progress=advance,
                    record_states=record_states,
                )
            )
    return results


def _fmt(x: float, digits: int = 3) -> str:
    import math

    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


_ROWS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("replications", lambda r: str(int(r["replications"]))),
    ("steps", lambda r: str(int(r["steps"]))),
    ("hegemony rate", lambda r: _fmt(r["hegemony_rate"])),
    ("  95% interval", lambda r: f"{r['hegemony_ci_low']:.3f} – {r['hegemony_ci_high']:.3f}"),
    ("time to hegemony (median step)", lambda r: _fmt(r["time_to_hegemony"], 1)),
    ("survivors at the end (mean)", lambda r: _fmt(r["survivors"], 2)),
    ("mean concentration (CON)", lambda r: _fmt(r["mean_concentration"])),
    ("final leader share (mean)", lambda r: _fmt(r["final_leader_share"])),
    ("wars begun per step", lambda r: _fmt(r["wars_per_step"])),
    ("state deaths per state-step", lambda r: _fmt(r["deaths_per_state_step"], 4)),
)


def _summary_tables(summary: pd.DataFrame, title: str, width: int) -> list[Table]:
    """Measures as rows, scenarios side by side as columns (split to fit the terminal)."""
    from equipoise._tables import Col, fit_tables

    columns = [Col("measure", justify="left", key=True, wrap=True)]
    columns += [Col(str(name), style="bold") for name in summary.index]
    rows = [[label, *(fmt(row) for _, row in summary.iterrows())] for label, fmt in _ROWS]
    return fit_tables(title, columns, rows, width)


def _provenance_lines(results: Sequence[Result]) -> list[str]:
    lines = []
    for r in results:
        p = r.provenance
        lines.append(
            f"{p['scenario_name']}: scenario sha256 {p['scenario_hash'][:16]}…, "
            f"seed {int(p['seed'])}, {p['replications']} replications x {p['steps']} steps"
        )
    p = results[0].provenance
    lines.append(
        f"equipoise {p['equipoise_version']} (model {p.get('model_version', '?')}, "
        f"random numbers {p.get('rng_contract', '?')}), numpy {p['numpy_version']}, "
        f"numba {p.get('numba_version', '?')}, Python {p['python_version']}"
    )
    return lines


def _rate(x: float) -> str:
    return f"{x:.3f}" if x >= 0.001 or x == 0 else f"{x:.2g}"


def _test_lines(tests: pd.DataFrame) -> list[str]:
    """The Fisher tests of :func:`~equipoise.experiments.comparison.hegemony_tests` in words.

    Each test is one line, followed by what it could detect (80% power, 5% two-sided) and,
    when it is not significant, the replications that would detect the observed difference.
    """
    import math

    lines = []
    for _, t in tests.iterrows():
        a, b = t["scenario"], t["against"]
        line = f"Hegemony rate {a} vs {b}: Fisher exact test p = {t['p_value']:.3g}"
        if len(tests) > 1:
            line += f" (Holm-adjusted over {len(tests)} tests: {t['p_holm']:.3g})"
        lines.append(line)
        n, m = int(t["replications"]), int(t["against_replications"])
        each = f"{n} replications each" if n == m else f"{n} and {m} replications"
        below = t["detectable_rate_below"]
        either = "" if math.isnan(below) else f" or at most {_rate(below)}"
        lines.append(
            f"  power: with {each}, a rate of at least {_rate(t['detectable_rate'])}{either} "
            f"against {b}'s {_rate(t['against_rate'])} is detected 80% of the time (5% "
            "level, two-sided)"
        )
        if t["p_holm"] >= 0.05:
            needed = t["replications_needed"]
            if math.isinf(needed):
                lines.append(
                    "  no difference seen, so none to size a larger run by (the line above says "
                    "what this run could detect)"
                )
            else:
                lines.append(
                    f"  to detect the difference seen ({_rate(t['rate'])} against "
                    f"{_rate(t['against_rate'])}) 80% of the time: about {int(needed):,} "
                    "replications per scenario (-r)"
                )
    return lines


def _print_wrapped(out: Console, line: str) -> None:
    """Print a line wrapped to the console, its continuation indented under its own indent."""
    import textwrap

    indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
    text = textwrap.fill(line, width=max(out.width, 40), subsequent_indent=indent)
    out.print(text, markup=False, soft_wrap=True)


def _fisher_lines(summary: pd.DataFrame) -> list[str]:
    """The lines ``compare`` prints about its tests (a reason when there is none)."""
    from equipoise.experiments.comparison import hegemony_tests, untested_reason

    reason = untested_reason([str(n) for n in summary.index])
    if reason is not None:
        return [f"No test of the hegemony rates: {reason}."]
    return _test_lines(hegemony_tests(summary))


def _run_range(low: int, high: int) -> click.IntRange:
    """The bounds of a ``[run]`` key, so that the command line accepts what files accept."""
    return click.IntRange(min=low, max=high)


_R = click.option(
    "--replications",
    "-r",
    type=_run_range(1, MAX_REPLICATIONS),
    help="Replications (default: scenario's; at most 1,000,000).",
)
_T = click.option(
    "--steps",
    "-t",
    type=_run_range(1, MAX_STEPS),
    help="Steps (default: scenario's; at most 1,000,000).",
)
_S = click.option(
    "--seed",
    "-s",
    type=_run_range(0, SEED_LIMIT - 1),
    help="Seed, an integer in [0, 2^32) (default: scenario's).",
)
_Q = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
_F = click.option(
    "--force",
    is_flag=True,
    help="Replace the results already in the output directory (only the files equipoise "
    "wrote there; other files are kept).",
)
_NS = click.option(
    "--no-states",
    is_flag=True,
    help="Do not keep every state's share at every step (states.parquet): far less memory "
    "and disk for large runs; the report then leaves out the per-state figures.",
)
_CSV = click.option(
    "--csv",
    is_flag=True,
    help="Also write every table as CSV (system.csv, replications.csv, wars.csv and, with "
    "states, states.csv), for R, Stata or a spreadsheet.",
)


@click.command("run")
@click.argument("scenario")
@_R
@_T
@_S
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Output directory (default: equipoise-results/SCENARIO).",
)
@_F
@parents_option
@_NS
@_CSV
@_Q
def run_cmd(
    scenario: str,
    replications: int | None,
    steps: int | None,
    seed: int | None,
    out: Path | None,
    force: bool,
    parents: bool,
    no_states: bool,
    csv: bool,
    quiet: bool,
) -> None:
    """Run a built-in scenario (by name) or a scenario TOML file."""
    from equipoise.scenario import Scenario

    s = Scenario.load(scenario)
    target = out or Path("equipoise-results") / s.name
    _check_out(target, force, out, parents)
    _check_memory([s], replications, steps, not no_states)
    (result,) = _simulate([s], replications, steps, seed, quiet, not no_states)
    result.to_parquet(target, csv=csv)
    stdout = console()
    for table in _summary_tables(result.summary(), f"equipoise run: {s.name}", stdout.width):
        stdout.print(table)
    for line in _provenance_lines([result]):
        stdout.print(line)
    stdout.print(f"Results written to {target}/" + (" (Parquet and CSV)" if csv else ""))


#: The scenarios ``compare`` runs when none is named.
DEFAULT_SCENARIOS = ("null", "balancers", "bandwagoners")


@click.command("compare")
@click.argument("scenarios", nargs=-1)
@_R
@_T
@_S
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Output directory  [default: equipoise-results/compare]",
)
@_F
@parents_option
@_NS
@_CSV
@_Q
def compare_cmd(
    scenarios: tuple[str, ...],
    replications: int | None,
    steps: int | None,
    seed: int | None,
    out: Path | None,
    force: bool,
    parents: bool,
    no_states: bool,
    csv: bool,
    quiet: bool,
) -> None:
    """Compare scenarios side by side (default: null, balancers and bandwagoners).

    All scenarios run with the same seed (common random numbers). The hegemony
    rates are compared by Fisher's exact test: each scenario against `null` when
    `null` is among them (Holm-adjusted p-values beside the raw ones when there are
    several), otherwise the two scenarios given against each other. Beside each test
    it says which rates the run's replications detect with 80% power (5% level,
    two-sided) and, when the test is not significant, how many replications per
    scenario would detect the difference seen. The tests are also written to
    tests.csv.
    """
    import json

    import pandas as pd

    from equipoise._io import MARKER, atomic_dir
    from equipoise.experiments.comparison import hegemony_tests

    names = list(scenarios) or list(DEFAULT_SCENARIOS)
    loaded = _load_all(names)
    target = out or Path("equipoise-results/compare")
    _check_out(target, force, out, parents)
    _check_memory(loaded, replications, steps, not no_states)
    results = _simulate(loaded, replications, steps, seed, quiet, not no_states)
    summary = pd.concat([r.summary() for r in results])
    tests = hegemony_tests(summary)
    with atomic_dir(target) as tmp:
        for r in results:
            r.to_parquet(tmp / r.provenance["scenario_name"], csv=csv)
        summary.to_csv(tmp / "summary.csv")
        tests.to_csv(tmp / "tests.csv", index=False)
        (tmp / MARKER).write_text(
            json.dumps([r.provenance for r in results], indent=2) + "\n", encoding="utf-8"
        )
    stdout = console()
    title = "equipoise compare: does balancing prevent hegemony?"
    for table in _summary_tables(summary, title, stdout.width):
        stdout.print(table)
    for line in _fisher_lines(summary):
        _print_wrapped(stdout, line)
    for line in _provenance_lines(results):
        stdout.print(line)
    stdout.print(
        f"Results written to {target}/ (summary.csv, tests.csv and one folder per scenario"
        + (", with CSV beside the Parquet files)" if csv else ")")
    )
