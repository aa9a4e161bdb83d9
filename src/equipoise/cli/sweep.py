"""The ``equipoise sweep`` and ``equipoise analyse`` commands.

Registered on the main command group by :mod:`equipoise.cli`. Bad input (a sweep
file that does not validate, an output directory holding another sweep,
conflicting options, an unreachable scheduler) raises an
:class:`~equipoise.experiments.InvalidSweepError` or a ``click.UsageError``,
which the main entry point reports as one line with exit code 2, before
anything is written.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click
import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from equipoise._io import check_replaceable
from equipoise._tables import Col, fit_tables

__all__ = ["analyse_cmd", "sweep_cmd"]

_out = Console(highlight=False)
#: Rows of the per-point table printed (all rows go to points.csv).
_MAX_ROWS = 20


def _say(text: str) -> None:
    """Print one line, unwrapped (long paths stay whole)."""
    _out.print(text, soft_wrap=True)


def _num(x: Any, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, bool | np.bool_ | str):
        return str(x)
    if isinstance(x, int | np.integer):
        return str(int(x))
    return f"{float(x):.{digits}g}" if abs(float(x)) >= 1000 else f"{float(x):.{digits}f}"


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
    help="Output directory (default: the file's `output`, else equipoise-results/NAME).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def sweep_cmd(
    file: Path,
    scheduler: str | None,
    dask_local: int | None,
    workers: int | None,
    out: Path | None,
    quiet: bool,
) -> None:
    """Run a sweep file, or resume it: finished chunks are skipped.

    Chunks run on a local process pool by default, or on Dask with
    --scheduler or --dask-local. Results go to the output directory as one
    Parquet file per chunk, then outcomes.parquet; analyse them with
    `equipoise analyse DIR`.
    """
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
    directory = out or spec.output_dir()
    resuming = check_directory(spec, directory)
    if scheduler is not None or dask_local is not None:
        with dask_executor(scheduler=scheduler, n_workers=dask_local) as (executor, threads):
            where = f"Dask ({threads} worker threads at {scheduler or 'a local cluster'})"
            report = sweep(
                spec,
                executor,
                out=directory,
                progress=not quiet,
                max_pending=max(2 * threads, 16),
            )
    else:
        report = sweep(spec, workers=workers, out=directory, progress=not quiet)
        where = f"{workers or 'all'} local processes"
    _say(
        f"sweep {spec.name}: {spec.n_points} points ({spec.design}) x {spec.replications} "
        f"replications x {spec.steps} steps, {report.chunks} chunks of up to "
        f"{spec.effective_chunk_size} replications"
    )
    if resuming:
        _say(f"resumed: {report.skipped} chunks were already done")
    rate = report.work / report.seconds if report.seconds > 0 else float("nan")
    _say(
        f"{report.computed} chunks computed on {where} in {report.seconds:.1f} s "
        f"({rate:,.0f} replication-steps/s)"
    )
    _say(f"spec sha256 {spec.content_hash()[:16]}…, seed {spec.seed}")
    _say(f"Results written to {directory}/ — next: equipoise analyse {directory}")


@click.command("analyse")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="Where to write the CSV tables (default: DIRECTORY/analysis).",
)
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
def analyse_cmd(directory: Path, out: Path | None, min_mass: float, alpha: float) -> None:
    """Analyse a finished sweep: outcomes per point, sensitivity, where hegemony happens.

    Prints the tables and writes them as CSV to DIRECTORY/analysis (or --out).
    """
    from equipoise.experiments.analysis import analyse
    from equipoise.experiments.directory import require_directory

    require_directory(directory)  # named before the output directory inside it is checked
    out = out or directory / "analysis"
    check_replaceable(out)
    result = analyse(directory, alpha=alpha, min_mass=min_mass)
    spec = result.spec
    _print_all(_points_tables(result.points, list(spec.factors)))
    if len(result.points) > _MAX_ROWS:
        _say(f"… {len(result.points) - _MAX_ROWS} more points in {out}/points.csv")
    if result.sensitivity is not None:
        _print_all(_sensitivity_tables(result.sensitivity, spec.design))
    _print_all(_trajectory_tables(result.trajectory))
    _print_all(_box_tables(result.box, result.box_stats))
    for note in result.notes:
        _say(f"note: {note}")
    result.to_csv(out)
    _say(f"Tables written to {out}/")


def _print_all(tables: list[Table]) -> None:
    for table in tables:
        _out.print(table)


def _points_tables(points: pd.DataFrame, factors: list[str]) -> list[Table]:
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
    return fit_tables("Outcomes per point", columns, rows, _out.width)


def _sensitivity_tables(sens: pd.DataFrame, design: str) -> list[Table]:
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
        rows.append(cells)
    return fit_tables(title, columns, rows, _out.width)


def _box_tables(box: pd.DataFrame, stats: dict[str, float]) -> list[Table]:
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
    return fit_tables(title, columns, rows, _out.width)


def _trajectory_tables(trajectory: pd.DataFrame) -> list[Table]:
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
    return fit_tables(title, columns, rows, _out.width)
