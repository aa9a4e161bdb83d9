"""The commands ``equipoise run | compare | scenario show | data``.

They are registered by :mod:`equipoise.cli`, which imports this module only when
one of them runs. Every problem with the input (a malformed or unknown
scenario, a bad option, an output path that is not ours to replace) is
reported as one line on standard error with exit code 2, and nothing is
written (see :func:`equipoise.cli.main`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import click
import numpy as np
import pandas as pd
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from equipoise._errors import InputError
from equipoise._io import MARKER, atomic_dir, check_replaceable
from equipoise._limits import available_memory_bytes, format_bytes
from equipoise._tables import Col, fit_tables
from equipoise.engine import run as run_scenario
from equipoise.history.loaders import data_dir
from equipoise.history.specs import SPECS
from equipoise.results import Result
from equipoise.run_memory import estimate_run_bytes
from equipoise.scenario import (
    RunParams,
    Scenario,
)

__all__ = ["InputError", "compare_cmd", "data_group", "run_cmd"]

_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False)


def _progress(disable: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replication-steps"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=_err,
        disable=disable,
        transient=False,
    )


def _load_all(names: Sequence[str]) -> list[Scenario]:
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


def _check_out(out: Path, force: bool) -> None:
    """Refuse (one line) an output directory that is not ours, or ours without ``--force``."""
    try:
        check_replaceable(out)
    except FileExistsError as exc:
        raise InputError(f"{exc}; choose another directory with -o DIR") from None
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
    results = []
    with _progress(disable=quiet) as bar:
        tasks = [
            bar.add_task(
                s.name,
                total=(replications or s.run.replications) * (steps or s.run.steps),
            )
            for s in scenarios
        ]
        for s, task in zip(scenarios, tasks, strict=True):
            results.append(
                run_scenario(
                    s,
                    replications=replications,
                    steps=steps,
                    seed=seed,
                    progress=functools.partial(bar.advance, task),
                    record_states=record_states,
                )
            )
    return results


def _fmt(x: float, digits: int = 3) -> str:
    return "—" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.{digits}f}"


_ROWS = (
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


def _summary_tables(summary: pd.DataFrame, title: str) -> list[Table]:
    """Measures as rows, scenarios side by side as columns (split to fit the terminal)."""
    columns = [Col("measure", justify="left", key=True, wrap=True)]
    columns += [Col(str(name), style="bold") for name in summary.index]
    rows = [[label, *(fmt(row) for _, row in summary.iterrows())] for label, fmt in _ROWS]
    return fit_tables(title, columns, rows, _out.width)


def _print_all(tables: Sequence[Table]) -> None:
    for table in tables:
        _out.print(table)


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


#: The scenario that ``compare`` tests the others against when it is present.
NULL = "null"


def _fisher_lines(summary: pd.DataFrame) -> list[str]:
    """Fisher exact tests of the hegemony rates: each scenario against ``null``, or a pair.

    With ``null`` among the scenarios, every other scenario is tested against it
    (the null world is the baseline every strategy's effect is measured against),
    and with more than one such test the p-values are also given Holm-adjusted
    (Holm 1979), which keeps the family-wise error rate at the nominal level.
    Without ``null``, two scenarios are tested against each other; three or more
    get no test.
    """
    from scipy.stats import fisher_exact

    names = list(summary.index)
    if NULL in names and len(names) > 1:
        pairs = [(name, NULL) for name in names if name != NULL]
    elif len(names) == 2:
        pairs = [(names[0], names[1])]
    else:
        return []

    replications = dict(zip(names, summary["replications"].to_numpy(dtype=np.int64), strict=True))
    rates = dict(zip(names, summary["hegemony_rate"].to_numpy(dtype=np.float64), strict=True))

    def counts(name: str) -> tuple[int, int]:
        n = int(replications[name])
        return round(float(rates[name]) * n), n

    pvalues = []
    for a, b in pairs:
        (ka, na), (kb, nb) = counts(a), counts(b)
        _, pvalue = fisher_exact(np.array([[ka, na - ka], [kb, nb - kb]]))
        pvalues.append(float(pvalue))
    adjusted = _holm(pvalues)
    lines = []
    for (a, b), pvalue, adj in zip(pairs, pvalues, adjusted, strict=True):
        line = f"Hegemony rate {a} vs {b}: Fisher exact test p = {pvalue:.3g}"
        if len(pairs) > 1:
            line += f" (Holm-adjusted over {len(pairs)} tests: {adj:.3g})"
        lines.append(line)
    return lines


def _holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's (1979) step-down adjusted p-values, in the order given.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
        *Scandinavian Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    >>> _holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def _run_range(field: str) -> click.IntRange:
    """The bounds of a ``[run]`` key, so that the command line accepts what files accept."""
    info = RunParams.model_fields[field]
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    below = next((m.lt for m in info.metadata if hasattr(m, "lt")), None)
    if below is not None:
        high = below - 1
    return click.IntRange(min=low, max=high)


_R = click.option(
    "--replications",
    "-r",
    type=_run_range("replications"),
    help="Replications (default: scenario's; at most 1,000,000).",
)
_T = click.option(
    "--steps",
    "-t",
    type=_run_range("steps"),
    help="Steps (default: scenario's; at most 1,000,000).",
)
_S = click.option(
    "--seed",
    "-s",
    type=_run_range("seed"),
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
@_NS
@_Q
def run_cmd(
    scenario: str,
    replications: int | None,
    steps: int | None,
    seed: int | None,
    out: Path | None,
    force: bool,
    no_states: bool,
    quiet: bool,
) -> None:
    """Run a built-in scenario (by name) or a scenario TOML file."""
    s = Scenario.load(scenario)
    out = out or Path("equipoise-results") / s.name
    _check_out(out, force)
    _check_memory([s], replications, steps, not no_states)
    (result,) = _simulate([s], replications, steps, seed, quiet, not no_states)
    result.to_parquet(out)
    _print_all(_summary_tables(result.summary(), f"equipoise run: {s.name}"))
    for line in _provenance_lines([result]):
        _out.print(line)
    _out.print(f"Results written to {out}/")


@click.command("compare")
@click.argument("scenarios", nargs=-1)
@_R
@_T
@_S
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("equipoise-results/compare"),
    show_default=True,
    help="Output directory.",
)
@_F
@_NS
@_Q
def compare_cmd(
    scenarios: tuple[str, ...],
    replications: int | None,
    steps: int | None,
    seed: int | None,
    out: Path,
    force: bool,
    no_states: bool,
    quiet: bool,
) -> None:
    """Compare scenarios side by side (default: null, balancers and bandwagoners).

    All scenarios run with the same seed (common random numbers). The hegemony
    rates are compared by Fisher's exact test: each scenario against `null` when
    `null` is among them (Holm-adjusted p-values beside the raw ones when there are
    several), otherwise the two scenarios given against each other.
    """
    names = list(scenarios) or [NULL, "balancers", "bandwagoners"]
    loaded = _load_all(names)
    _check_out(out, force)
    _check_memory(loaded, replications, steps, not no_states)
    results = _simulate(loaded, replications, steps, seed, quiet, not no_states)
    summary = pd.concat([r.summary() for r in results])
    with atomic_dir(out) as tmp:
        for r in results:
            r.to_parquet(tmp / r.provenance["scenario_name"])
        summary.to_csv(tmp / "summary.csv")
        (tmp / MARKER).write_text(
            json.dumps([r.provenance for r in results], indent=2) + "\n", encoding="utf-8"
        )
    _print_all(_summary_tables(summary, "equipoise compare: does balancing prevent hegemony?"))
    for line in _fisher_lines(summary):
        _out.print(line)
    for line in _provenance_lines(results):
        _out.print(line)
    _out.print(f"Results written to {out}/ (summary.csv and one folder per scenario)")


@click.group("data")
def data_group() -> None:
    """Download and inspect the COW and ATOP data.

    The loaders use downloaded files from the user data directory (or
    EQUIPOISE_DATA_DIR) in preference to the built-in copies.
    """


def _years(first: int | None, last: int | None) -> str:
    return "—" if first is None else f"{first}-{last}"


@data_group.command("update")
@click.option(
    "--source",
    metavar="URL_OR_DIR",
    help="Fetch from this URL prefix or local directory instead of the official sites.",
)
@click.option(
    "--only",
    multiple=True,
    type=click.Choice(list(SPECS)),
    metavar="NAME",
    help=f"Update only this table (repeatable): {', '.join(SPECS)}.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for a server.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=2,
    show_default=True,
    help="Times to try a download again after a timeout, a dropped connection or a server error.",
)
@_Q
def data_update(
    source: str | None, only: tuple[str, ...], timeout: float, retries: int, quiet: bool
) -> None:
    """Download current releases, check them and use them instead of the built-in copies.

    A file that fails to download or to pass the checks (columns, numbers,
    year ranges, row count) replaces nothing: the previous data stay in use.
    """
    from equipoise.history.update import update

    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=_err,
        disable=quiet or not _err.is_terminal,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def progress(label: str, done: int, total: int | None) -> None:
        if label not in tasks:
            tasks[label] = bar.add_task(label, total=total)
        bar.update(tasks[label], completed=done, total=total)

    with bar:
        report = update(
            only or None, source=source, timeout=timeout, progress=progress, retries=retries
        )
    table = Table(title=f"equipoise data update: {report.data_dir}", title_justify="left")
    table.add_column("table", style="bold")
    table.add_column("")
    table.add_column("rows", justify="right")
    table.add_column("years")
    table.add_column("from", overflow="fold")
    for f in report.files:
        state = "updated" if f.changed else "unchanged"
        table.add_row(f.name, state, f"{f.rows:,}", _years(f.first_year, f.last_year), f.origin)
    _out.print(table)
    _out.print(
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged; "
        "the loaders now read these files."
    )


@data_group.command("status")
def data_status() -> None:
    """Show, for each table, the file the loaders read, its rows and years."""
    from equipoise.history.update import status

    table = Table(title=f"Data directory: {data_dir()}", title_justify="left")
    table.add_column("table", style="bold")
    table.add_column("source", overflow="fold")
    table.add_column("rows", justify="right")
    table.add_column("years")
    table.add_column("downloaded")
    for st in status():
        where = "built-in" if st.builtin else str(st.path)
        table.add_row(
            st.name,
            where,
            f"{st.rows:,}",
            _years(st.first_year, st.last_year),
            (st.downloaded or "")[:16].replace("T", " "),
        )
    _out.print(table)
