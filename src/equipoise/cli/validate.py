"""The ``equipoise validate`` command (registered on the CLI group by :mod:`equipoise.cli`).

The module imports only click, so that ``--help`` is quick; the validation, pandas and
Rich are imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from equipoise.cli.common import (
    DEFAULT_END,
    DEFAULT_REPLICATIONS,
    SYSTEM_YEARS,
    check_folder,
    console,
    figure,
    parents_option,
    verdict_table,
)

if TYPE_CHECKING:
    from rich.table import Table

    from equipoise.validate.validation import Validation

__all__ = ["validate_cmd", "validation_table"]


def validation_table(validation: Validation, title: str | None = None) -> Table:
    """The comparison as a rich table that fits 80 columns.

    One row per statistic: its historical value, the simulated median and
    central interval (three significant digits; the CSV and JSON files keep
    every digit), the replications with a value (``n``) and whether history
    lies inside the interval (``yes``, ``no``, or ``—`` without a verdict).
    """
    level = validation.table.attrs.get("level", validation.settings["level"])
    low_q, high_q = (1 - level) / 2, 1 - (1 - level) / 2
    table: Table = verdict_table(
        validation.table,
        f"{100 * low_q:.3g}%",
        f"{100 * high_q:.3g}%",
        title,
        counts="n_replications",
        inside="center",
    )
    return table


def system_table(validation: Validation) -> Table:
    """The whole system's size, exits, alignment and dyad-year rates (``--system``)."""
    assert validation.system is not None
    table: Table = verdict_table(validation.system, "low", "high", "The whole system")
    return table


def signed_figure(x: object) -> str:
    """:func:`~equipoise.cli.common.figure`, with infinite values as ``-inf`` and ``inf``."""
    value = float(x)  # type: ignore[arg-type]
    if value in (float("inf"), float("-inf")):
        return "-inf" if value < 0 else "inf"
    return figure(value)


def dangerous_dyads_table(validation: Validation) -> Table:
    """Bremer's dangerous-dyads logit, history against the replications, term by term."""
    assert validation.dangerous_dyads is not None
    table: Table = verdict_table(
        validation.dangerous_dyads,
        "5%",
        "95%",
        "Dangerous dyads (Bremer 1992): logit of war onset on cell counts",
        counts="n_replications",
        error="history_se",
        show=signed_figure,
    )
    return table


@click.command("validate")
@click.argument("scenario", required=False)
@click.option(
    "--replications",
    "-r",
    type=click.IntRange(min=1),
    default=DEFAULT_REPLICATIONS,
    show_default=True,
    help="Replications.",
)
@click.option(
    "--steps",
    "-t",
    type=click.IntRange(min=2),
    help="Steps (years) to run: --to is then FROM + T - 1.",
)
@click.option(
    "--from",
    "start",
    type=int,
    default=SYSTEM_YEARS[0],
    show_default=True,
    help="Year of step 0.",
)
@click.option(
    "--to",
    "end",
    type=int,
    help=f"Last year simulated and compared [default: {DEFAULT_END}].",
)
@click.option(
    "--seed",
    "-s",
    type=click.IntRange(min=0, max=2**32 - 1),
    help="Seed (default: the scenario's).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Output directory (default: equipoise-results/validate-SCENARIO); an earlier "
    "validation there is replaced.",
)
@click.option(
    "--system",
    is_flag=True,
    help="Simulate the whole COW system (every later state entering on its date, "
    "unifications and dissolutions on theirs; or SCENARIO, of COW states) and compare it "
    "with the whole system.",
)
@parents_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def validate_cmd(
    scenario: str | None,
    replications: int,
    steps: int | None,
    start: int,
    end: int | None,
    seed: int | None,
    out: Path | None,
    system: bool,
    parents: bool,
    quiet: bool,
) -> None:
    """Compare the model's stylized facts with history (COW wars, ATOP alliances, NMC).

    Runs SCENARIO (a built-in name or a TOML file; default: the great powers
    of the --from year, scenario_from_history) one step per year from --from
    to --to, measures every replication as history is measured, and prints,
    for each statistic, the historical value, the simulated median and 90%
    interval, and whether history lies inside. The default scenario is
    compared with the same states in history (a closed cohort); any other
    with the whole COW system. With --system the model simulates the whole
    system too, states entering and leaving as in the record, and a second
    table compares the number of states, exits and alliance membership, and a
    third Bremer's dangerous-dyads logit of war onset fitted to history and to
    each replication. Writes comparison.csv, replications.csv, wars.csv,
    alliances.csv, validation.json (and system.csv, dangerous_dyads.csv).
    """
    from equipoise._io import check_replaceable
    from equipoise.cli.progress import compile_notice, progress_bar
    from equipoise.validate.validation import plan_validation, validate_scenario

    check_folder(out, parents)
    out_console = console()
    err_console = console(stderr=True)
    try:
        plan = plan_validation(
            scenario,
            replications=replications,
            steps=steps,
            seed=seed,
            start=start,
            end=end,
            system=system,
        )
    except ValueError as exc:
        message = str(exc)  # name the options, not the Python parameters
        for name, option in (("'start'", "--from"), ("'end'", "--to"), ("'steps'", "--steps")):
            message = message.replace(f"The {name} parameter", option).replace(name, option)
        message = message.replace("parameters disagree", "options disagree")
        message = message.replace("The 'system' comparison", "--system")
        message = message.replace(
            "scenario_from_history(year, states='all', entries=True)", "a whole-system scenario"
        )
        raise click.ClickException(message) from None
    target = out or Path("equipoise-results") / f"validate-{plan.scenario.name}"
    check_replaceable(target)

    compile_notice(err_console, quiet)
    with progress_bar(err_console, quiet) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "Simulating" if stage == "simulating" else "Measuring"
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done)

        validation = validate_scenario(
            plan.scenario if scenario is not None else None,
            replications=plan.replications,
            seed=plan.seed,
            start=plan.start,
            end=plan.end,
            progress=progress,
            system=system,
        )
    validation.to_files(target)

    s = validation.settings
    title = (
        f"equipoise validate: {s['scenario']}, {s['start']}-{s['end']}, "
        f"{s['replications']} replications"
    )
    out_console.print(validation_table(validation, title))
    inside, outside, undecided = validation.inside, validation.outside, validation.undecided
    out_console.print(
        f"History inside the simulated interval: {len(inside)} of "
        f"{len(inside) + len(outside)} statistics with a verdict."
        + (f" Outside: {', '.join(outside)}." if outside else "")
        + (f" No verdict: {', '.join(undecided)}." if undecided else "")
    )
    if validation.system is not None:
        out_console.print(system_table(validation))
    if validation.dangerous_dyads is not None and len(validation.dangerous_dyads):
        out_console.print(dangerous_dyads_table(validation))
    pooled = validation.pooled
    slope, tail = pooled["slope"], pooled["tail"]
    hist_slope = validation.history.attrs["war_size_slope_fit"]
    hist_tail = validation.history.attrs["war_size_tail_fit"]
    out_console.print(
        f"War sizes pooled over replications ({pooled['wars']} wars): slope "
        f"{figure(slope['slope'])}, alpha {figure(tail['alpha'])} ± {figure(tail['se'])}; history "
        f"({hist_slope['n']} wars): slope {figure(hist_slope['slope'])}, alpha "
        f"{figure(hist_tail['alpha'])} ± {figure(hist_tail['se'])}."
    )
    for note in validation.notes:
        out_console.print(f"note: {note}")
    p = validation.provenance
    out_console.print(
        f"seed {p.get('seed')}, scenario sha256 {str(p.get('scenario_hash', ''))[:16]}…, "
        f"model {p.get('model_version', '?')}"
    )
    out_console.print(f"Results written to {target}/")
