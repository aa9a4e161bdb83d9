"""The ``equipoise sweep`` and ``equipoise analyse`` commands.

Registered on the main command group by :mod:`equipoise.cli`; the module imports only
click, so that ``--help`` is quick. Bad input (a sweep file that does not validate, an
output directory holding another sweep or in a missing folder, conflicting options, an
unreachable scheduler) raises an :class:`~equipoise.experiments.InvalidSweepError`, an
``InputError`` or a ``click.UsageError``, which the main entry point reports as one line
with exit code 2, before anything is written.

``sweep`` prints what it is about to run first (so that a log of standard output says it
even when the run is stopped), warns when the design is large (hours of work or gigabytes
of results), and on Ctrl-C stops within a second or two, keeping the finished chunks, and
says how to resume.
"""

from __future__ import annotations

import contextlib
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from equipoise.cli.common import check_folder, console, parents_option

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from equipoise.experiments.cost import SweepCost

__all__ = ["analyse_cmd", "sweep_cmd"]

#: The console tables and lines are printed on (None: standard output; tests set a width).
_out: Console | None = None
#: Rows of the per-point table printed (all rows go to points.csv).
_MAX_ROWS = 20


def _console() -> Console:
    return _out if _out is not None else console()


def _say(text: str) -> None:
    """Print one line, unwrapped (long paths stay whole), and flush it (a pipe, a log)."""
    _console().print(text, soft_wrap=True, markup=False)
    sys.stdout.flush()


def _num(x: Any, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, bool | str):
        return str(x)
    if hasattr(x, "dtype") and x.dtype.kind == "b":
        return str(bool(x))
    if isinstance(x, int) or (hasattr(x, "dtype") and x.dtype.kind in "iu"):
        return str(int(x))
    return f"{float(x):.{digits}g}" if abs(float(x)) >= 1000 else f"{float(x):.{digits}f}"


def _duration(seconds: float) -> str:
    """A rough duration in words: ``'40 minutes'``, ``'5.4 hours'``, ``'31 days'``, ``'7 years'``.

    Examples
    --------
    >>> _duration(2400), _duration(19500), _duration(2.7e6), _duration(3e8)
    ('40 minutes', '5.4 hours', '31 days', '9.5 years')
    """
    if seconds < 90:
        return f"{seconds:.0f} seconds"
    if seconds < 5400:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.2g} hours"
    if seconds < 730 * 86400:
        return f"{seconds / 86400:.0f} days"
    years = seconds / (365.25 * 86400)
    return f"{years:.2g} years" if years < 10 else f"{years:,.0f} years"


def _large_warning(cost: SweepCost) -> str:
    from equipoise._limits import format_bytes

    return (
        f"warning: a large sweep: {cost.replication_steps:,} replication-steps "
        f"({cost.rows:,} replications), roughly {_duration(cost.seconds)} on {cost.cores} "
        f"core{'s' if cost.cores != 1 else ''} and about {format_bytes(cost.bytes)} of "
        "results. Check the design (points, replications, steps); Ctrl-C stops the sweep "
        "and the same command resumes it."
    )


@click.command("sweep")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786.",
)
@click.option(
    "--dask-local",
    type=click.IntRange(min=1),
    metavar="N",
    help="Start a local Dask cluster of N single-threaded worker processes.",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    help="Processes of the local process pool (default: all cores).",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Output directory (default: the file's `output`, else equipoise-results/NAME); a "
    "sweep there is resumed.",
)
@parents_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def sweep_cmd(
    file: Path,
    scheduler: str | None,
    dask_local: int | None,
    workers: int | None,
    out: Path | None,
    parents: bool,
    quiet: bool,
) -> None:
    """Run a sweep file, or resume it: finished chunks are skipped.

    Chunks run on a local process pool by default, or on Dask with
    --scheduler or --dask-local. Results go to the output directory as one
    Parquet file per chunk, then outcomes.parquet; analyse them with
    `equipoise analyse DIR`. Ctrl-C stops the sweep at once (the chunks being
    computed are dropped); the same command resumes it.
    """
    import os

    from equipoise._procs import interrupt_latch
    from equipoise.cli.progress import compile_notice
    from equipoise.experiments.chunks import chunk_filename, plan
    from equipoise.experiments.cost import is_large, sweep_cost
    from equipoise.experiments.directory import check_directory
    from equipoise.experiments.executors import dask_executor
    from equipoise.experiments.runner import sweep
    from equipoise.experiments.spec import SweepSpec

    if scheduler is not None and dask_local is not None:
        raise click.UsageError("give --scheduler or --dask-local, not both")
    if workers is not None and (scheduler is not None or dask_local is not None):
        raise click.UsageError(
            "--workers sizes the local process pool; a Dask cluster has its own workers"
        )
    spec = SweepSpec.load(file)
    check_folder(out, parents)
    directory = out or spec.output_dir()
    resuming = check_directory(spec, directory)
    planned = plan(spec)
    _say(
        f"sweep {spec.name}: {spec.n_points} points ({spec.design}) x {spec.replications} "
        f"replications x {spec.steps} steps, {len(planned)} chunks of up to "
        f"{spec.effective_chunk_size} replications"
    )
    err = console(stderr=True)
    try:  # from here on, a Ctrl-C says how to resume, even one Numba swallowed
        with interrupt_latch():
            if scheduler is None:  # the local workers compile the kernel if this machine has not
                compile_notice(err, quiet)
            cores = dask_local or workers or os.cpu_count() or 1
            cost = sweep_cost(spec, cores)
            if is_large(cost):
                err.print(_large_warning(cost), markup=False, soft_wrap=True)
            chunk_dir = Path(directory) / "chunks"
            names = {chunk_filename(*c) for c in planned}
            done = len(names & {p.name for p in chunk_dir.iterdir()}) if chunk_dir.is_dir() else 0
            with _sweep_progress(err, quiet, spec.name, done, len(planned)) as advance:
                if scheduler is not None or dask_local is not None:
                    with dask_executor(scheduler=scheduler, n_workers=dask_local) as (
                        executor,
                        threads,
                    ):
                        where = (
                            f"Dask ({threads} worker threads at {scheduler or 'a local cluster'})"
                        )
                        report = sweep(
                            spec,
                            executor,
                            out=directory,
                            progress=advance,
                            max_pending=max(2 * threads, 16),
                        )
                else:
                    report = sweep(spec, workers=workers, out=directory, progress=advance)
                    where = f"{workers or 'all'} local processes"
    except KeyboardInterrupt:
        err.print(
            f"interrupted: the finished chunks are saved in {directory}/; run the same "
            "command to resume",
            markup=False,
            soft_wrap=True,
        )
        raise click.exceptions.Exit(130) from None
    if resuming:
        _say(f"resumed: {report.skipped} chunks were already done")
    rate = report.work / report.seconds if report.seconds > 0 else float("nan")
    _say(
        f"{report.computed} chunks computed on {where} in {report.seconds:.1f} s "
        f"({rate:,.0f} replication-steps/s)"
    )
    _say(f"spec sha256 {spec.content_hash()[:16]}…, seed {spec.seed}")
    _say(f"Results written to {directory}/ — next: equipoise analyse {directory}")


@contextlib.contextmanager
def _sweep_progress(
    err: Console, quiet: bool, name: str, done: int, chunks: int
) -> Iterator[Callable[[int, int], None]]:
    """A fitted progress bar of a sweep, and the callable that moves it.

    The callable gets replication-steps done and in all (once at the start, then after
    each chunk) and counts the chunks from the ``done`` already on disk.
    """
    from equipoise.cli.progress import progress_bar

    bar = progress_bar(err, quiet, "chunks {task.fields[chunks]}")
    state: dict[str, Any] = {"task": None, "chunks": done}

    def advance(work: int, total: int) -> None:
        if state["task"] is None:
            state["task"] = bar.add_task(
                f"sweep {name}", total=total, completed=work, chunks=f"{done}/{chunks}"
            )
            return
        state["chunks"] += 1
        bar.update(state["task"], completed=work, chunks=f"{state['chunks']}/{chunks}")

    with bar:
        yield advance


@click.command("analyse")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Where to write the CSV tables (default: DIRECTORY/analysis); an earlier analysis "
    "there is replaced.",
)
@parents_option
@click.option(
    "--min-mass",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.05,
    show_default=True,
    help="Smallest share of replications the discovered box may hold.",
)
@click.option(
    "--alpha",
    type=click.FloatRange(0, 0.5, min_open=True, max_open=True),
    default=0.05,
    show_default=True,
    help="Share of the box peeled at each step of the discovery.",
)
def analyse_cmd(
    directory: Path, out: Path | None, parents: bool, min_mass: float, alpha: float
) -> None:
    """Analyse a finished sweep: outcomes per point, sensitivity, where hegemony happens.

    Prints the tables and writes them as CSV to DIRECTORY/analysis (or --out). Each
    sensitivity index is checked: an interval wider than the index, or a Sobol' index
    outside [0, 1], is flagged, and a warning says when an outcome is too rare for the
    replications, or the indices too uncertain for the base samples, and what design
    would do.
    """
    from equipoise._io import check_replaceable
    from equipoise.experiments.analysis import analyse
    from equipoise.experiments.directory import require_directory

    require_directory(directory)  # named before the output directory inside it is checked
    check_folder(out, parents)
    target = out or directory / "analysis"
    check_replaceable(target)
    result = analyse(directory, alpha=alpha, min_mass=min_mass)
    spec = result.spec
    width = _console().width
    _print_all(_points_tables(result.points, list(spec.factors), width))
    if len(result.points) > _MAX_ROWS:
        _say(f"… {len(result.points) - _MAX_ROWS} more points in {target}/points.csv")
    if result.sensitivity is not None:
        _print_all(_sensitivity_tables(result.sensitivity, spec.design, width))
        if (~result.sensitivity["check"].isin(["ok", "—"])).any():
            _say(
                "check: 'wide', the 95% interval is wider than the index (it cannot be told "
                "from 0); '<0', '>1', a Sobol' index outside [0, 1], which a share of "
                "variance cannot be"
            )
        for warning in result.warnings:
            _say(f"warning: {warning}")
    _print_all(_trajectory_tables(result.trajectory, width))
    _print_all(_box_tables(result.box, result.box_stats, width))
    for note in result.notes:
        _say(f"note: {note}")
    result.to_csv(target)
    _say(f"Tables written to {target}/")


def _print_all(tables: list[Table]) -> None:
    out = _console()
    for table in tables:
        out.print(table)


def _points_tables(points: pd.DataFrame, factors: list[str], width: int) -> list[Table]:
    from equipoise._tables import Col, fit_tables

    # the key without its table keeps the columns narrow; the sensitivity and box tables
    # give the full names
    columns = [Col("point", key=True)]
    columns += [Col(name.rpartition(".")[2]) for name in factors]
    columns += [
        Col(label)
        for label in ("reps", "hegemony rate (95% CI)", "time to heg.", "survivors", "CON")
    ]
    rows = [
        [
            str(int(row["point"])),
            *(_num(row[f]) for f in factors),
            str(int(row["replications"])),
            f"{row['hegemony_rate']:.3f} ({row['hegemony_ci_low']:.3f}–"
            f"{row['hegemony_ci_high']:.3f})",
            _num(row["time_to_hegemony"], 1),
            _num(row["survivors"], 2),
            _num(row["mean_concentration"]),
        ]
        for _, row in points.head(_MAX_ROWS).iterrows()
    ]
    return fit_tables("Outcomes per point", columns, rows, width)


def _sensitivity_tables(sens: pd.DataFrame, design: str, width: int) -> list[Table]:
    from equipoise._tables import Col, fit_tables

    if design == "sobol":
        title = "Sobol' indices (first order S1, total ST; ± half-width of the 95% interval)"
        cols: tuple[tuple[str, str | None], ...] = (("S1", "S1_conf"), ("ST", "ST_conf"))
    else:
        title = "Morris elementary effects (mu* ± half-width of the 95% interval, mu, sigma)"
        cols = (("mu_star", "mu_star_conf"), ("mu", None), ("sigma", None))
    columns = [
        Col("outcome", justify="left", key=True, wrap=True),
        Col("parameter", justify="left", key=True, wrap=True),
    ]
    for value, conf in cols:
        columns.append(Col(value, group=value))
        if conf:
            columns.append(Col("±", group=value))
    rows = []
    for _, row in sens.iterrows():
        cells = [str(row["outcome"]), str(row["parameter"])]
        for value, conf in cols:
            cells.append(_num(row[value]))
            if conf:
                cells.append(_num(row[conf]))
        cells.append(str(row.get("check", "—")))
        rows.append(cells)
    columns.append(Col("check", justify="left", wrap=True))
    return fit_tables(title, columns, rows, width)


def _box_tables(box: pd.DataFrame, stats: dict[str, float], width: int) -> list[Table]:
    from equipoise._tables import Col, fit_tables

    title = (
        "Where hegemony is most likely (PRIM box): "
        f"density {_num(stats['density'])} (hegemony rate inside), "
        f"coverage {_num(stats['coverage'])} (share of all hegemonies inside), "
        f"mass {_num(stats['mass'])} (share of replications inside)"
    )
    columns = [
        Col("parameter", justify="left", key=True, wrap=True),
        Col("in the box"),
        Col("in the design"),
        Col("restricted", justify="left"),
    ]
    rows = []
    for _, row in box.iterrows():
        if isinstance(row["box_levels"], str) and row["box_levels"]:
            inside, design = row["box_levels"], row["design_levels"]
        else:
            inside = f"{_num(row['box_low'])} – {_num(row['box_high'])}"
            design = f"{_num(row['design_low'])} – {_num(row['design_high'])}"
        rows.append([str(row["parameter"]), inside, design, "yes" if row["restricted"] else ""])
    return fit_tables(title, columns, rows, width)


def _trajectory_tables(trajectory: pd.DataFrame, width: int) -> list[Table]:
    from equipoise._tables import Col, fit_tables

    columns = [
        Col("step", key=True),
        Col("move", justify="left", wrap=True),
        *(Col(name) for name in ("density", "coverage", "mass", "points")),
    ]
    rows = [
        [
            str(int(row["step"])),
            str(row["move"]) or "(whole design)",
            _num(row["density"]),
            _num(row["coverage"]),
            _num(row["mass"]),
            str(int(row["points"])),
        ]
        for _, row in trajectory.iterrows()
    ]
    title = "Scenario discovery: peeling (and pasting) trajectory, coverage against density"
    return fit_tables(title, columns, rows, width)
