"""The ``equipoise report`` command (registered on the CLI group by :mod:`equipoise.cli`)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
import pyarrow as pa

from equipoise._errors import first_line as _first_line
from equipoise._io import MARKER

if TYPE_CHECKING:
    from equipoise.report.sections import Section

#: The file that marks a sweep directory (equipoise.experiments.directory.MANIFEST).
SWEEP_MANIFEST = "manifest.json"

__all__ = ["report_cmd"]


@click.command("report")
@click.argument("results_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="HTML file to write (replaces only an earlier equipoise report).",
)
@click.option("--history", is_flag=True, help="Report on the historical system (COW, ATOP).")
@click.option("--from", "start", type=int, help="First year of --history (default 1816).")
@click.option("--to", "end", type=int, help="Last year of --history (default 2016).")
@click.option(
    "--samples",
    type=click.IntRange(1, 12),
    default=3,
    show_default=True,
    help="Sample replications whose capability shares are shown, per scenario.",
)
@click.option(
    "--replication",
    type=click.IntRange(0, 2**32 - 1),
    default=None,
    help="Replication whose map of territories and alliance networks are shown "
    "[default: the first].",
)
@click.option(
    "--include",
    "include",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Append the sections of the output of `equipoise calibrate`, `equipoise "
    "counterfactual` or `equipoise validate` (repeat it for several, in order).",
)
def report_cmd(
    results_dir: Path | None,
    out: Path,
    history: bool,
    start: int | None,
    end: int | None,
    samples: int,
    replication: int | None,
    include: tuple[Path, ...],
) -> None:
    """Write a self-contained HTML report (opens offline) on RESULTS_DIR or on history.

    RESULTS_DIR is the output of `equipoise run` or `equipoise compare`, a
    finished sweep directory of `equipoise sweep` (a sweep report), or the
    output of `equipoise validate` (the validation against history: the
    comparison table, both war-size distributions with their fitted lines,
    every statistic across replications), or the output of `equipoise
    calibrate` (posterior marginals and pairs, the posterior predictive
    table, the generations) or of `equipoise counterfactual` (paired
    differences with intervals). The map of
    territories of one replication is replayed exactly from the seed. With
    --history the report shows the great powers' shares, concentration,
    alliance networks and war sizes from FROM to TO, beside RESULTS_DIR when
    given. Each --include DIR appends the sections of a calibration,
    counterfactual or validation to the report on results or on history.
    """
    try:
        from equipoise.report.data import history_years, is_validation_dir, load_results
        from equipoise.report.render import is_report, render_report
    except ImportError:  # the report extra is not installed
        missing = [m for m in ("matplotlib", "networkx") if importlib.util.find_spec(m) is None]
        raise click.ClickException(
            f"the report needs matplotlib and networkx ({' and '.join(missing) or 'a part'} "
            f"{'are' if len(missing) > 1 else 'is'} missing): pip install 'equipoise[report]'"
        ) from None
    if not history and (start is not None or end is not None):
        raise click.UsageError("--from and --to go with --history")
    if not history and results_dir is None:
        raise click.UsageError("give a RESULTS_DIR, or --history")
    if replication is not None and results_dir is None:
        raise click.UsageError("--replication needs a RESULTS_DIR")
    if out.is_dir():
        raise click.ClickException(f"output path is a directory: {out}")
    if out.exists() and not is_report(out):
        raise click.ClickException(f"refusing to overwrite {out}: it is not an equipoise report")
    if include:
        _check_includes(results_dir, history)
    years = None
    if history:
        first, last = history_years()
        years = (first if start is None else start, last if end is None else end)
        if not first <= years[0] <= years[1] <= last:
            raise click.ClickException(
                f"years must satisfy {first} <= --from <= --to <= {last}; "
                f"got --from {years[0]} --to {years[1]}"
            )
    if results_dir is not None and not history and (results_dir / SWEEP_MANIFEST).is_file():
        if replication is not None:
            raise click.UsageError("--replication does not apply to a sweep report")
        _sweep_report(results_dir, out)
        return
    if results_dir is not None and (results_dir / "calibration.json").is_file():
        if history or replication is not None:
            raise click.UsageError("--history and --replication do not apply to a calibration")
        _calibration_report(results_dir, out)
        return
    if results_dir is not None and (results_dir / "counterfactual.json").is_file():
        if history or replication is not None:
            raise click.UsageError("--history and --replication do not apply to a counterfactual")
        _calibration_report(results_dir, out, counterfactual=True)
        return
    if results_dir is not None and is_validation_dir(results_dir):
        if history:
            raise click.UsageError("--history does not apply to a validation report")
        if replication is not None:
            raise click.UsageError("--replication does not apply to a validation report")
        _validation_report(results_dir, out)
        return
    results = []
    if results_dir is not None:
        if not (results_dir / MARKER).is_file():
            raise click.ClickException(
                f"not an equipoise result directory: {results_dir} (give the output of "
                "`equipoise run`, `equipoise compare`, `equipoise sweep` or `equipoise validate`)"
            )
        try:
            results = load_results(results_dir)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            raise click.ClickException(
                f"cannot read results in {results_dir}: {_first_line(exc)}"
            ) from None
    for result in results:
        labels = result.dataset["replication"].values
        if replication is not None and replication not in labels:
            raise click.ClickException(
                f"replication {replication} is not in the results in {results_dir} "
                f"(they hold replications {int(labels[0])}..{int(labels[-1])})"
            )
    extra = _included(include)
    page = render_report(
        results, history=years, samples=samples, replication=replication, include=extra
    )
    _write(out, page)


def _check_includes(results_dir: Path | None, history: bool) -> None:
    """Refuse --include beside a report it does not go with (a sweep's, a calibration's...)."""
    from equipoise.report.sections import output_kind

    if results_dir is not None and (
        output_kind(results_dir) is not None
        or (not history and (results_dir / SWEEP_MANIFEST).is_file())
    ):
        raise click.UsageError(
            "--include goes with the results of `equipoise run` or `compare`, or with --history"
        )


def _included(include: tuple[Path, ...]) -> list[Section]:
    """The sections of the included directories, in order (one-line errors).

    A directory missing, of none of the kinds, or unreadable is a ClickException.
    """
    from equipoise.report.sections import included_sections

    try:
        return included_sections(*include)
    except ValueError as exc:
        raise click.ClickException(f"--include: {exc}") from None


def _sweep_report(directory: Path, out: Path) -> None:
    """Write the report on the sweep in ``directory`` to ``out`` (one-line errors)."""
    from equipoise.report.data import load_sweep
    from equipoise.report.render import render_sweep_report

    try:
        sweep = load_sweep(directory)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        # IncompleteSweepError and InvalidSweepError are ValueErrors.
        raise click.ClickException(
            f"cannot report on the sweep in {directory}: {_first_line(exc)}"
        ) from None
    page = render_sweep_report(sweep)
    _write(out, page)


def _calibration_report(directory: Path, out: Path, counterfactual: bool = False) -> None:
    """Write the report on the calibration (or counterfactual) in ``directory`` to ``out``."""
    from equipoise.report.render import render_calibration_report, render_counterfactual_report

    if counterfactual:
        _render_and_write(render_counterfactual_report, "counterfactual", directory, out)
    else:
        _render_and_write(render_calibration_report, "calibration", directory, out)


def _validation_report(directory: Path, out: Path) -> None:
    """Write the report on the validation in ``directory`` to ``out`` (one-line errors)."""
    from equipoise.report.render import render_validation_report

    _render_and_write(render_validation_report, "validation", directory, out)


def _render_and_write(render: Callable[[Path], str], what: str, directory: Path, out: Path) -> None:
    """Render the report on the ``what`` in ``directory`` and write it (one-line errors)."""
    try:
        page = render(directory)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(
            f"cannot report on the {what} in {directory}: {_first_line(exc)}"
        ) from None
    _write(out, page)


def _write(out: Path, page: str) -> None:
    """Write the page to ``out`` (atomically) and say where, with its size."""
    from equipoise.report.render import write_report

    try:
        write_report(out, page)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from None
    click.echo(f"Report written to {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB)")
