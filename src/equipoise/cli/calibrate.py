"""The ``equipoise calibrate``, ``equipoise counterfactual`` and ``equipoise predict`` commands.

The module imports only click, so that ``--help`` is quick; the calibration, pandas and
Rich are imported when a command runs. The defaults that ``calibrate --help`` names are
literals here (:data:`DEFAULT_PARAMETERS`, :data:`DEFAULT_BUDGET`,
:data:`DEFAULT_POPULATION`), kept in step with ``equipoise.calibrate`` by
tests/test_cli_startup.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from equipoise.cli.common import (
    SYSTEM_YEARS,
    check_folder,
    console,
    figure,
    parents_option,
    verdict_table,
)

T = TypeVar("T")

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_PARAMETERS",
    "DEFAULT_POPULATION",
    "calibrate_cmd",
    "counterfactual_cmd",
    "predict_cmd",
]

#: The parameters calibrated by default (``equipoise.calibrate.DEFAULT_PARAMETERS``).
DEFAULT_PARAMETERS = (
    "war.attack_probability",
    "war.superiority_threshold",
    "alliances.alliance_threshold",
    "growth.convergence_rate",
    "internal.arming_response",
    "war.ceasefire_probability",
    "alliances.alliance_duration",
    "power.reach",
)
#: Simulations and particles per generation (``CalibrationSettings``'s defaults).
DEFAULT_BUDGET = 20_000
DEFAULT_POPULATION = 500


#: Below this share of the particles, the posterior's effective sample is reported as too few.
LOW_ESS = 0.1
#: Below this share of simulated histories farther from the reference table than history,
#: an adjusted calibration warns of a misfit.
LOW_RANK = 0.05


def _report_ess(stdout: Any, err: Any, result: Any) -> None:
    """The last generation's effective sample size, and a warning if it is small."""
    ess = float(result.generations["ess"].iloc[-1])
    n = len(result.posterior)
    stdout.print(f"Effective sample of the posterior: {ess:.0f} of {n} particles", markup=False)
    if ess < LOW_ESS * n:
        more = (
            "a larger --budget or --accept"
            if result.settings.get("method") == "adjusted"
            else "more particles (--population) or a larger --budget"
        )
        err.print(
            f"warning: the posterior rests on {ess:.0f} effective particles (under "
            f"{LOW_ESS:.0%}); its intervals are unreliable: calibrate with {more}",
            markup=False,
        )


def _options_message(exc: Exception) -> str:
    """A ValueError's message with the Python parameter names replaced by the options."""
    message = str(exc)
    for name, option in (
        ("'start'", "--from"),
        ("'end'", "--to"),
        ("'steps'", "--steps"),
        ("'workers'", "--workers"),
        ("'dask_local'", "--dask-local"),
        ("'scheduler'", "--scheduler"),
        ("'replications'", "--replications"),
        ("'draws'", "--draws"),
        ("The 'budget' setting", "--budget"),
        ("The 'accept' setting", "--accept"),
    ):
        message = message.replace(f"The {name} parameter", option).replace(name, option)
    return message.replace("parameters disagree", "options disagree")


def _simulate(quiet: bool, work: Callable[[Callable[[int, int], None]], T]) -> T:
    """``work(progress)`` under a progress bar on stderr, after the compilation notice."""
    from equipoise.cli.progress import compile_notice

    err = console(stderr=True)
    compile_notice(err, quiet)
    with _progress(err, quiet) as bar:
        task = bar.add_task("Simulating", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(progress)


def _progress(console: Console, quiet: bool, *fields: str) -> Progress:
    """A progress bar with the given task fields after the count, fitted to the terminal."""
    from equipoise.cli.progress import progress_bar

    return progress_bar(console, quiet, *(f"{{task.fields[{f}]}}" for f in fields))


# ---------------------------------------------------------------------------- calibrate


def posterior_table(calibration: Any, level: float = 0.9) -> Table:
    """Each parameter's prior, median, central interval and width / prior (identifiability)."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    lo, hi = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    for name, justify in (
        ("parameter", "left"),
        ("prior", "right"),
        ("median", "right"),
        (f"{lo:.3g}%", "right"),
        (f"{hi:.3g}%", "right"),
        ("width/prior", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for _, row in calibration.interval(level).iterrows():
        table.add_row(
            str(row["parameter"]),
            f"{figure(row['prior_low'])}-{figure(row['prior_high'])}",
            figure(row["median"]),
            figure(row["low"]),
            figure(row["high"]),
            f"{float(row['width']):.2f}",
        )
    return table


def predictive_table(table: pd.DataFrame, statistics: list[str]) -> Table:
    """The posterior predictive validate table (validate statistics only)."""
    out: Table = verdict_table(table[table["statistic"].isin(statistics)], "5%", "95%")
    return out


@click.command("calibrate")
@click.argument("scenario", required=False)
@click.option("--from", "start", type=int, default=SYSTEM_YEARS[0], show_default=True,
              help="Year of step 0.")  # fmt: skip
@click.option("--to", "end", type=int, help="Last year compared [default: 1914].")
@click.option("--steps", "-t", type=click.IntRange(min=2), help="Years: --to is FROM + T - 1.")
@click.option("--params", "params", type=click.Path(path_type=Path),
              help="TOML file of the parameters and priors (and [abc], [statistics]).")  # fmt: skip
@click.option("--budget", type=click.IntRange(min=1),
              help=f"Simulations [default: {DEFAULT_BUDGET}].")  # fmt: skip
@click.option("--population", type=click.IntRange(min=2),
              help=f"Particles per generation [default: {DEFAULT_POPULATION}].")  # fmt: skip
@click.option("--generations", type=click.IntRange(min=1), help="Stop after this many.")
@click.option("--method", type=click.Choice(["smc", "adjusted"]),
              help="smc: ABC-SMC on all the statistics [default]; adjusted: a reference "
              "table from the priors, learned summaries and regression adjustment.")  # fmt: skip
@click.option("--accept", type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
              help="--method adjusted: the share of the table kept [default: 0.03].")  # fmt: skip
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes [default: all cores].")  # fmt: skip
@click.option("--dask-local", type=click.IntRange(min=1),
              help="Run on a local Dask cluster of N workers.")  # fmt: skip
@click.option("--scheduler", help="Run on the Dask cluster at tcp://HOST:PORT.")
@click.option("--seed", "-s", type=click.IntRange(min=0, max=2**32 - 1),
              help="Seed (default: the scenario's).")  # fmt: skip
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Output directory (default: equipoise-results/calibrate-SCENARIO); a "
              "calibration there is resumed.")  # fmt: skip
@click.option("--system", is_flag=True,
              help="Calibrate the whole COW system (every later state entering on its date; "
              "or SCENARIO, of COW states) to the whole system's statistics "
              "(validate --system's tables and the dangerous-dyads logit).")  # fmt: skip
@parents_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def calibrate_cmd(
    scenario: str | None,
    start: int,
    end: int | None,
    steps: int | None,
    params: Path | None,
    budget: int | None,
    population: int | None,
    generations: int | None,
    method: str | None,
    accept: float | None,
    workers: int | None,
    dask_local: int | None,
    scheduler: str | None,
    seed: int | None,
    out: Path | None,
    system: bool,
    parents: bool,
    quiet: bool,
) -> None:
    """Calibrate parameters to history by ABC-SMC (pyabc), resumably.

    Fits the parameters of SCENARIO (default: the great powers of the --from year,
    scenario_from_history, compared with the same states in history, 1816-1914 by
    default) to the statistics of `equipoise validate` and the great powers' capability
    shares by decade. Parameters and uniform priors: --params FILE, default the eight
    that the sensitivity analysis of docs/calibrate.md ranks highest, over their
    plausible ranges: war.attack_probability, war.superiority_threshold,
    alliances.alliance_threshold, growth.convergence_rate, internal.arming_response,
    war.ceasefire_probability, alliances.alliance_duration and power.reach. Writes
    posterior.parquet, calibrated.toml, predictive.csv and pyabc's database
    (calibration.db); run the same command again to resume an interrupted calibration or
    to extend it with a larger --budget. With a seed, the posterior is the same to the bit
    on any number of workers or a Dask cluster, and resumed or not. With --system, the
    whole COW system is simulated (states entering on their dates) and fitted to
    validate --system's statistics of the whole system, the dangerous-dyads
    coefficients and the great powers' capability shares by decade (docs/calibrate.md).
    --method adjusted simulates --budget runs at draws from the priors and keeps those
    nearest history on summaries learnt from the runs, with a regression adjustment: on
    synthetic whole-system histories its intervals are narrower at the same coverage; it
    warns when history lies farther from the simulations than simulations do
    (docs/calibrate.md).
    """
    from equipoise._errors import InputError
    from equipoise.calibrate.plan import plan_calibration
    from equipoise.calibrate.smc import GenerationReport, calibrate, check_execution

    chosen = sum(x is not None for x in (workers, dask_local, scheduler))
    if chosen > 1:
        raise click.ClickException("give one of --workers, --dask-local and --scheduler")
    check_folder(out, parents)
    try:
        import pyabc  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "calibration needs pyabc: pip install 'equipoise[calibrate]'"
        ) from None
    n_workers = workers if workers is not None else (1 if chosen else os.cpu_count() or 1)
    changes: dict[str, Any] = {}
    if budget is not None:
        changes["budget"] = budget
    if population is not None:
        changes["population_size"] = population
    if generations is not None:
        changes["generations"] = generations
    if method is not None:
        changes["method"] = method
    if accept is not None:
        changes["accept"] = accept
    try:
        check_execution(n_workers, dask_local, scheduler)
        default_name = f"history-{start}-{'system' if system else 'major'}"
        name = Path(scenario).stem if scenario else default_name
        target = out or Path("equipoise-results") / f"calibrate-{name}"
        plan = plan_calibration(
            scenario,
            start=start,
            end=end,
            steps=steps,
            parameters=params,
            seed=seed,
            out=target,
            system=system,
            overrides=changes,
        )
    except InputError:
        raise
    except ValueError as exc:
        message = _options_message(exc).replace("The 'system' comparison", "--system")
        message = message.replace(
            "scenario_from_history(year, states='all', entries=True)", "a whole-system scenario"
        )
        raise click.ClickException(message) from None

    s = plan.settings
    if s.method == "adjusted" and (population is not None or generations is not None):
        raise click.ClickException("--population and --generations apply to --method smc only")
    if s.method == "smc" and accept is not None:
        raise click.ClickException("--accept applies to --method adjusted only")
    stdout = console()
    err = console(stderr=True)
    if plan.resume:
        err.print(f"Resuming the calibration in {target}/", markup=False)
    if scheduler is None:
        from equipoise.cli.progress import compile_notice

        compile_notice(err, quiet)
    bar = _progress(err, quiet, "info")
    with bar:
        task = bar.add_task("Calibrating", total=s.budget, info="")

        def progress(report: GenerationReport) -> None:
            info = "reference table" if s.method == "adjusted" else f"gen {report.generation}"
            if report.stage == "generation":
                info = (
                    f"gen {report.generation} eps {report.epsilon:.3g} "
                    f"acc {report.acceptance_rate:.2f}"
                )
                bar.update(task, info=info)
            bar.update(task, completed=min(report.simulations, s.budget))

        try:
            result = calibrate(
                plan=plan,
                workers=n_workers,
                dask_local=dask_local,
                scheduler=scheduler,
                progress=progress,
            )
        except KeyboardInterrupt:
            bar.stop()
            saved = "runs" if s.method == "adjusted" else "generations"
            where = "samples/" if s.method == "adjusted" else "calibration.db"
            err.print(
                f"interrupted: the finished {saved} are saved in {target}/{where}; "
                "run the same command to resume",
                markup=False,
            )
            raise click.exceptions.Exit(130) from None
    st = result.settings
    how = (
        f"{st['simulations']} simulations from the priors, {len(result.posterior)} particles "
        "kept and adjusted"
        if s.method == "adjusted"
        else f"{len(result.generations)} generations, {st['simulations']} simulations, "
        f"{len(result.posterior)} particles"
    )
    stdout.print(f"equipoise calibrate: {plan.scenario.name}, {st['start']}-{st['end']}, {how}")
    stdout.print(posterior_table(result))
    _report_ess(stdout, err, result)
    if "tolerance_rank" in st:
        rank = float(st["tolerance_rank"])
        stdout.print(
            f"History's summaries are farther from the simulations than {1 - rank:.0%} of "
            "simulated histories' (tolerance_rank)",
            markup=False,
        )
        if rank < LOW_RANK:
            err.print(
                "warning: history lies farther from the simulations than nearly every "
                "simulated history: the model may misfit it, and the adjustment then "
                "extrapolates (docs/calibrate.md)",
                markup=False,
            )
    table = result.predictive()
    stats = result.target.table_statistics
    stdout.print("Posterior predictive check (history against replications at posterior draws):")
    stdout.print(predictive_table(table, stats))
    shares = table[table["statistic"].isin(result.target.share_names)]
    if len(shares):
        inside = int(shares["inside"].fillna(False).astype(bool).sum())
        stdout.print(
            f"Capability shares by decade: history inside the 90% interval for {inside} of "
            f"{len(shares)} (state, decade) pairs (predictive.csv)."
        )
    stdout.print(f"Results written to {target}/")


# ------------------------------------------------------------------------ counterfactual


def summary_tables(summary: pd.DataFrame, key: str, title: str, width: int) -> list[Table]:
    """Baseline, intervention and the paired difference with its interval.

    Split into parts (each repeating the first column) where the terminal is too narrow
    for all, so that no figure is ever cut.
    """
    from equipoise._tables import Col, fit_tables

    columns = [Col(key, justify="left", key=True, wrap=True)]
    columns += [Col(name) for name in ("baseline", "intervention")]
    columns += [Col("difference", group="d"), Col("95% interval", group="d")]
    rows = [
        [
            str(row[key]),
            figure(row["baseline"]),
            figure(row["intervention"]),
            f"{float(row['difference']):+.3g}",
            f"[{float(row['low']):+.3g}, {float(row['high']):+.3g}]",
        ]
        for _, row in summary.iterrows()
    ]
    return fit_tables(title, columns, rows, width)


@click.command("counterfactual")
@click.argument("year", type=int)
@click.option("--intervene", "-i", "intervene", multiple=True, required=True,
              help="An edit: TABLE.KEY=VALUE, STATE.KEY=VALUE, or an alias "
              "(no-sanctions, no-arming, no-alliances, buck-passing, null, none).")  # fmt: skip
@click.option("--posterior", type=click.Path(path_type=Path),
              help="A calibration directory: run at its posterior draws.")  # fmt: skip
@click.option("--replications", "-r", type=click.IntRange(min=1), default=1000,
              show_default=True, help="Pairs of replications.")  # fmt: skip
@click.option("--steps", "-t", type=click.IntRange(min=1), help="Years [default: to 2016].")
@click.option("--draws", type=click.IntRange(min=1), help="Posterior draws [default: 100].")
@click.option("--seed", "-s", type=click.IntRange(min=0, max=2**32 - 1),
              help="Seed (default: the scenario's).")  # fmt: skip
@click.option("--system", is_flag=True,
              help="The whole COW system of YEAR, later states entering on their dates "
              "(as validate --system and calibrate --system).")  # fmt: skip
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Output directory [default: equipoise-results/counterfactual-YEAR]; an "
              "earlier counterfactual there is replaced.")  # fmt: skip
@parents_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def counterfactual_cmd(
    year: int,
    intervene: tuple[str, ...],
    posterior: Path | None,
    replications: int,
    steps: int | None,
    draws: int | None,
    seed: int | None,
    system: bool,
    out: Path | None,
    parents: bool,
    quiet: bool,
) -> None:
    """Run a historical year with and without an intervention (common random numbers).

    Starts from the great powers of YEAR (scenario_from_history; with --system the
    whole COW system, later states entering on their dates), runs the baseline and
    the intervened world with the same seed and replication indices, so that their paired
    differences measure the intervention alone, and prints the mean of each outcome in
    both worlds with the paired difference and its 95% interval: hegemony, years without
    it, war onsets, the largest war, war losses, the leader's peak share and each state's
    survival (with --system, the states whose survival the intervention changed). With
    --posterior, every replication runs at a posterior draw of that calibration.
    """
    from equipoise._io import check_replaceable
    from equipoise.calibrate.counterfactual import plan_counterfactual, run_counterfactual
    from equipoise.calibrate.plan import check_not_calibration

    check_folder(out, parents)
    target = out or Path("equipoise-results") / f"counterfactual-{year}"
    try:
        plan = plan_counterfactual(
            year,
            list(intervene),
            posterior=posterior,
            replications=replications,
            steps=steps,
            seed=seed,
            draws=draws,
            system=system,
        )
    except ValueError as exc:
        raise click.ClickException(_options_message(exc)) from None
    check_replaceable(target)
    check_not_calibration(target)
    result = _simulate(quiet, lambda progress: run_counterfactual(plan, progress=progress))
    result.to_files(target)
    s = result.settings
    stdout = console()
    what = s["intervention"] or "none (the baseline against itself: every difference is 0)"
    stdout.print(
        f"equipoise counterfactual: {s['year']}-{s['end']}, {s['replications']} pairs"
        + (f" at {s['draws']} posterior draws" if s["draws"] else "")
        + f", intervention: {what}",
        markup=False,
    )
    for table in summary_tables(result.summary, "outcome", "Outcomes", stdout.width):
        stdout.print(table)
    survival, title = result.survival, "Survival to the end"
    if system:
        survival = survival[survival["changed"] > 0]
        title = f"Survival to the end: the {len(survival)} states the intervention changed"
    if len(survival):
        for table in summary_tables(survival, "state", title, stdout.width):
            stdout.print(table)
    stdout.print(
        "Paired differences: intervention minus baseline, replication by replication "
        "(same seed and replication indices); 95% normal intervals over replications."
    )
    stdout.print(f"Results written to {target}/")


@click.command("predict")
@click.argument("calibration", type=click.Path(path_type=Path))
@click.option("--from", "start", type=int, required=True, help="First year predicted.")
@click.option("--to", "end", type=int, required=True, help="Last year predicted.")
@click.option("--draws", type=click.IntRange(min=1), default=200, show_default=True,
              help="Posterior draws, one replication each.")  # fmt: skip
@click.option(
    "--prior",
    is_flag=True,
    help="Draw from the priors instead: the baseline the posterior should beat.",
)
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Output directory [default: equipoise-results/predict-FROM-TO]; an "
              "earlier prediction there is replaced.")  # fmt: skip
@parents_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def predict_cmd(
    calibration: Path,
    start: int,
    end: int,
    draws: int,
    prior: bool,
    out: Path | None,
    parents: bool,
    quiet: bool,
) -> None:
    """Predict the years --from to --to from a finished calibration's posterior.

    An out-of-sample check: starts the model from history's system of --from (the
    whole system if CALIBRATION calibrated it, else the great powers), runs one
    replication at each of --draws posterior draws, and prints, statistic by
    statistic, history of that window against the prediction's median and 90%
    band, measured as the calibration measured its own years. With --prior the
    draws are of the priors: wide bands cover anything, so compare the two. Writes
    predictive.csv, replications.csv and prediction.json.
    """
    from equipoise._io import check_replaceable
    from equipoise.calibrate.plan import check_not_calibration
    from equipoise.calibrate.predict import plan_prediction, run_prediction

    check_folder(out, parents)
    target = out or Path("equipoise-results") / f"predict-{start}-{end}"
    try:
        plan = plan_prediction(calibration, start=start, end=end, draws=draws, prior=prior)
    except ValueError as exc:
        raise click.ClickException(_options_message(exc)) from None
    check_replaceable(target)
    check_not_calibration(target)
    result = _simulate(quiet, lambda progress: run_prediction(plan, progress=progress))
    result.to_files(target)
    s = result.settings
    stdout = console()
    n_in, n = result.inside
    stdout.print(
        f"equipoise predict: {s['start']}-{s['end']} from the {s['from']} of "
        f"{s['fitted_start']}-{s['fitted_end']} ({s['draws']} draws): history inside the "
        f"90% band for {n_in} of {n} statistics.",
        markup=False,
    )
    if s["overlap"]:
        stdout.print(
            f"Note: {s['overlap']} of these years were in the calibration's own window, so "
            "this is not wholly out of sample.",
            markup=False,
        )
    stdout.print(predictive_table(result.table, list(result.table["statistic"])))
    stdout.print(f"Results written to {target}/")
