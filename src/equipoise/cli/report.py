"""The ``equipoise report`` command (registered on the CLI group by :mod:`equipoise.cli`).

The module imports only click, so that ``--help`` is quick; the report (matplotlib,
pandas, the results) is imported when the command runs. Every check of the input (the
directory, the options, the output file and figures folder) comes before any work, so bad
input writes nothing and ends with one line and exit code 2. Warnings raised while the
figures are drawn are printed as one line each, without matplotlib's source lines.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from equipoise._errors import InputError
from equipoise._errors import first_line as _first_line
from equipoise.cli.common import check_folder, console, parents_option

if TYPE_CHECKING:
    from equipoise.report.render import Page
    from equipoise.report.sections import Section

#: The file that marks a sweep directory (equipoise.experiments.directory.MANIFEST).
SWEEP_MANIFEST = "manifest.json"
#: The file that marks a run's or a comparison's output (equipoise._io.MARKER).
_MARKER = "provenance.json"

__all__ = ["report_cmd"]


@click.command("report")
@click.argument("results_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    help="HTML file to write (replaces only an earlier equipoise report)  [default: "
    "report.html, unless --figures is given]",
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
@click.option(
    "--figures",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="Write each figure of the report to DIR as a file of its own, with figures.csv "
    "listing them with their captions (replaces only an earlier figures folder); the HTML "
    "page is then written only if -o is given too.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf"]),
    default="png",
    show_default=True,
    help="File format of --figures.",
)
@click.option(
    "--size",
    metavar="WxH",
    help="Size of every figure of --figures in inches, e.g. 6.5x4 [default: each figure's own].",
)
@click.option(
    "--dpi",
    type=click.IntRange(50, 1200),
    default=300,
    show_default=True,
    help="Resolution of PNG figures.",
)
@parents_option
def report_cmd(
    results_dir: Path | None,
    out: Path | None,
    history: bool,
    start: int | None,
    end: int | None,
    samples: int,
    replication: int | None,
    include: tuple[Path, ...],
    figures: Path | None,
    fmt: str,
    size: str | None,
    dpi: int,
    parents: bool,
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
    With --figures DIR, every figure of the report is written as a PNG, SVG or
    PDF file of its own (--format, --size, --dpi), for a manuscript.
    """
    try:
        from equipoise.report.data import history_years, is_validation_dir
        from equipoise.report.export import parse_size
        from equipoise.report.render import is_report
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
    if figures is None and (size is not None or fmt != "png" or dpi != 300):
        raise click.UsageError("--format, --size and --dpi go with --figures DIR")
    dimensions = None
    if size is not None:
        try:
            dimensions = parse_size(size)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--size") from None
    html = out if out is not None or figures is not None else Path("report.html")
    if html is not None:
        if html.is_dir():
            raise click.ClickException(f"output path is a directory: {html}")
        if html.exists() and not is_report(html):
            raise click.ClickException(
                f"refusing to overwrite {html}: it is not an equipoise report"
            )
        check_folder(out, parents)
    if figures is not None:
        _check_figures(figures, parents)
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
    kind = _kind(results_dir, history, replication, is_validation_dir)
    page = _drawn(lambda: _page(kind, results_dir, years, samples, replication, include))
    if html is not None:
        _write(html, page)
    if figures is not None:
        _write_figures(page, figures, fmt, dimensions, dpi)


def _kind(
    results_dir: Path | None,
    history: bool,
    replication: int | None,
    is_validation_dir: Callable[[Path], bool],
) -> str:
    """What RESULTS_DIR holds (``results``, ``sweep``, ...), checked against the options."""
    if results_dir is not None and not history and (results_dir / SWEEP_MANIFEST).is_file():
        if replication is not None:
            raise click.UsageError("--replication does not apply to a sweep report")
        return "sweep"
    for marker, what in (
        ("calibration.json", "calibration"),
        ("counterfactual.json", "counterfactual"),
    ):
        if results_dir is not None and (results_dir / marker).is_file():
            if history or replication is not None:
                raise click.UsageError(f"--history and --replication do not apply to a {what}")
            return what
    if results_dir is not None and is_validation_dir(results_dir):
        if history:
            raise click.UsageError("--history does not apply to a validation report")
        if replication is not None:
            raise click.UsageError("--replication does not apply to a validation report")
        return "validation"
    if results_dir is not None and not (results_dir / _MARKER).is_file():
        raise click.ClickException(
            f"not an equipoise result directory: {results_dir} (give the output of "
            "`equipoise run`, `equipoise compare`, `equipoise sweep` or `equipoise validate`)"
        )
    return "results"


def _page(
    kind: str,
    results_dir: Path | None,
    years: tuple[int, int] | None,
    samples: int,
    replication: int | None,
    include: tuple[Path, ...],
) -> Page:
    """Build the report's page (one-line errors for a directory that cannot be read)."""
    import pyarrow as pa

    from equipoise.report import render
    from equipoise.report.data import load_results, load_sweep

    if kind != "results":
        assert results_dir is not None
        build: dict[str, Callable[[Path], Page]] = {
            "sweep": lambda d: render.sweep_page(load_sweep(d)),
            "calibration": render.calibration_page,
            "counterfactual": render.counterfactual_page,
            "validation": render.validation_page,
        }
        try:
            return build[kind](results_dir)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            # IncompleteSweepError and InvalidSweepError are ValueErrors.
            raise click.ClickException(
                f"cannot report on the {kind} in {results_dir}: {_first_line(exc)}"
            ) from None
    results = []
    if results_dir is not None:
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
    return render.report_page(
        results, history=years, samples=samples, replication=replication, include=_included(include)
    )


def _drawn(build: Callable[[], Page]) -> Page:
    """Build the page, printing each warning raised while drawing as one line on stderr."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = build()
    err = console(stderr=True)
    for message in dict.fromkeys(_first_line(str(w.message)) for w in caught):
        err.print(f"warning: {message}", markup=False, soft_wrap=True)
    return page


def _check_figures(figures: Path, parents: bool) -> None:
    """Refuse (one line) a figures folder that is a file, holds other files, or has no parent."""
    from equipoise._io import check_replaceable
    from equipoise.report.export import INDEX

    try:
        check_replaceable(figures, marker=INDEX)
    except FileExistsError as exc:
        raise InputError(f"--figures: {exc}; choose another folder") from None
    check_folder(figures, parents, option="--figures")


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


def _write(out: Path, page: Page) -> None:
    """Write the page to ``out`` (atomically) and say where, with its size."""
    from equipoise.report.render import render_page, write_report

    text = render_page(page)
    try:
        write_report(out, text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from None
    click.echo(f"Report written to {out} ({len(text.encode('utf-8')) / 1e6:.1f} MB)")


def _write_figures(
    page: Page, figures: Path, fmt: str, size: tuple[float, float] | None, dpi: int
) -> None:
    """Write the page's figures to ``figures`` and say how many, where."""
    from equipoise.report.export import INDEX, write_figures

    try:
        files: list[Any] = write_figures(page.sections, figures, fmt=fmt, size=size, dpi=dpi)
    except OSError as exc:
        raise click.ClickException(f"cannot write {figures}: {exc}") from None
    click.echo(
        f"{len(files)} figure{'s' if len(files) != 1 else ''} written to {figures}/ as "
        f"{fmt.upper()} ({INDEX} lists them with their captions)"
    )
