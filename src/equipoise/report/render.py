"""One self-contained HTML page from report sections.

The page has no script and loads nothing: figures are SVG embedded as
``data:`` URIs, the style sheet is inline, and even the favicon is an empty
``data:`` URI, so the file opens offline and renders the same anywhere. The
output is deterministic: the same results give byte-identical HTML.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from equipoise._io import atomic_write_text
from equipoise._version import __version__
from equipoise.report import figures
from equipoise.report.data import SweepData, counterfactual_parts, validation_data
from equipoise.report.sections import (
    Block,
    Section,
    calibration_sections,
    counterfactual_sections,
    history_sections,
    included_sections,
    simulation_sections,
    sweep_sections,
    validation_sections,
)
from equipoise.results import Result

if TYPE_CHECKING:
    from equipoise.calibrate.counterfactual import Counterfactual
    from equipoise.calibrate.posterior import Calibration

__all__ = [
    "GENERATOR",
    "Page",
    "calibration_page",
    "counterfactual_page",
    "is_report",
    "render_calibration_report",
    "render_counterfactual_report",
    "render_html",
    "render_page",
    "render_report",
    "render_sweep_report",
    "render_validation_report",
    "report_page",
    "sweep_page",
    "validation_page",
    "write_report",
]


@dataclass(frozen=True)
class Page:
    """A report before it is rendered: its title, the line under it, and its sections.

    :func:`render_page` makes the HTML; ``equipoise report --figures`` writes the sections'
    figures as files (:func:`equipoise.report.export.write_figures`).
    """

    title: str
    subtitle: str
    sections: list[Section]


#: Content of the page's ``<meta name="generator">``: marks a file as ours to replace.
GENERATOR = "equipoise report"

_CSS = """
:root { --ink: #1d2327; --muted: #5f6b73; --rule: #d8dee3; --accent: #1f5f99; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fbfcfd; }
header { padding: 1.5rem 2rem 1rem; background: #fff; border-bottom: 1px solid var(--rule); }
header h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
header p { margin: 0; color: var(--muted); }
nav { padding: .6rem 2rem; border-bottom: 1px solid var(--rule); background: #fff; }
nav a { margin-right: 1.2rem; color: var(--accent); text-decoration: none; }
main { max-width: 1500px; padding: 0 2rem 3rem; }
section { margin-top: 2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--rule); padding-bottom: .3rem; }
.grid { display: grid; gap: 1.2rem 2rem;
        grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); }
.grid.two { grid-template-columns: 1fr 1fr; }
.colhead { font-weight: 600; color: var(--muted); text-transform: uppercase; font-size: .8rem; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; background: #fff; border: 1px solid var(--rule); }
figcaption, .caption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
table { border-collapse: collapse; font-size: .9rem; background: #fff; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .7rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid var(--ink); }
pre { background: #f3f5f7; padding: .8rem; overflow-x: auto; font-size: .8rem; }
.wide { grid-column: 1 / -1; }
.wide img { width: min(100%, 1100px); }
.prose td, .text-last td:last-child, .text-last th:last-child { text-align: left; }
.wrap { min-width: 0; }
.wrap table { max-width: 100%; }
.wrap td { overflow-wrap: anywhere; }
p.wide { margin: 0; }
footer { color: var(--muted); font-size: .8rem; padding: 1rem 2rem; }
"""


def _class(block: Block) -> str:
    """The HTML class attribute of a block's layout hints (empty without any)."""
    names = " ".join(html.escape(c, quote=True) for c in block.classes)
    return f' class="{names}"' if names else ""


def _figure_html(block: Block) -> str:
    svg = figures.to_svg(block.figure) if block.figure is not None else ""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(block.caption or "figure", quote=True)
    cap = f"<figcaption>{html.escape(block.caption)}</figcaption>" if block.caption else ""
    return f'<figure{_class(block)}><img alt="{alt}" src="{uri}">{cap}</figure>'


def _block_html(block: Block) -> str:
    if block.figure is not None:
        return _figure_html(block)
    if block.table is not None:
        cap = f'<div class="caption">{html.escape(block.caption)}</div>' if block.caption else ""
        table = block.table.rename_axis(index=None).to_html(escape=True, border=0, na_rep="—")
        return f"<div{_class(block)}>{cap}{table}</div>"
    if block.code is not None:
        summary = html.escape(block.caption or "details")
        return (
            f"<details{_class(block)}><summary>{summary}</summary>"
            f"<pre>{html.escape(block.code)}</pre></details>"
        )
    if block.text is not None:
        return f"<p{_class(block)}>{html.escape(block.text)}</p>"
    return "<div></div>"


def _section_html(section: Section) -> str:
    parts = [f'<section id="{html.escape(section.key, quote=True)}">']
    parts.append(f"<h2>{html.escape(section.title)}</h2>")
    if section.columns == 2:
        parts.append('<div class="grid two">')
        parts.append('<div class="colhead">history</div><div class="colhead">simulation</div>')
    else:
        parts.append('<div class="grid">')
    parts.extend(_block_html(b) for b in section.blocks)
    parts.append("</div></section>")
    return "\n".join(parts)


def _unique_keys(sections: Sequence[Section]) -> list[Section]:
    """The sections, a repeated anchor made unique by a suffix (``provenance-2``)."""
    seen: set[str] = set()
    out = []
    for s in sections:
        key, k = s.key, 1
        while key in seen:
            k += 1
            key = f"{s.key}-{k}"
        seen.add(key)
        out.append(s if key == s.key else replace(s, key=key))
    return out


def render_html(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """The complete HTML page for ``sections`` (a repeated anchor gets a suffix: ``-2``)."""
    sections = _unique_keys(sections)
    nav = " ".join(
        f'<a href="#{html.escape(s.key, quote=True)}">{html.escape(s.title)}</a>' for s in sections
    )
    body = "\n".join(_section_html(s) for s in sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{GENERATOR} {html.escape(__version__)}">
<link rel="icon" href="data:,">
<title>{html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header>
<nav>{nav}</nav>
<main>
{body}
</main>
<footer>Made by equipoise {html.escape(__version__)}. This file is self-contained: it needs no
network and no script.</footer>
</body>
</html>
"""


def render_report(
    results: Sequence[Result] = (),
    *,
    history: tuple[int, int] | None = None,
    samples: int = 3,
    replication: int | None = None,
    include: Sequence[Section | str | Path] = (),
) -> str:
    """The HTML report on simulation results, on history, or on history beside a simulation.

    Parameters
    ----------
    results : sequence of Result
        One result or several compared results.
    history : (int, int), optional
        First and last year: report on the historical system, with the first
        result (if any) side by side.
    samples : int
        Sample replications whose capability shares are shown, per result.
    replication : int, optional
        The replication whose map of territories (replayed exactly from the
        seed) and alliance networks are shown; default: the first.
    include : sequence of Section, str or Path
        More sections, appended in order after the report's own: a directory written by
        ``equipoise calibrate``, ``equipoise counterfactual`` or ``equipoise validate``
        stands for its sections, titled with its name
        (:func:`~equipoise.report.sections.included_sections`); a
        :class:`~equipoise.report.sections.Section` is appended as it is.

    Raises
    ------
    ValueError
        If there is nothing to report on, a result lacks ``replication``, or an included
        directory is none of those outputs or cannot be read (one line naming it).

    Examples
    --------
    ``render_report([result], include=["cal-1845", "cf-1871"])``: the report on
    ``result``, then the calibration's and the counterfactual's sections.
    """
    return render_page(
        report_page(
            results, history=history, samples=samples, replication=replication, include=include
        )
    )


def render_page(page: Page) -> str:
    """The complete HTML page of a :class:`Page`."""
    return render_html(page.title, page.subtitle, page.sections)


def report_page(
    results: Sequence[Result] = (),
    *,
    history: tuple[int, int] | None = None,
    samples: int = 3,
    replication: int | None = None,
    include: Sequence[Section | str | Path] = (),
) -> Page:
    """The report on results, on history or on both, before it is rendered (see render_report)."""
    extra = [
        s
        for item in include
        for s in ([item] if isinstance(item, Section) else included_sections(item))
    ]
    if history is not None:
        start, end = history
        sections = history_sections(
            start, end, results, samples=min(samples, 2), replication=replication
        )
        title = f"equipoise history report: {start}-{end}"
        sub = "Great powers' capabilities (COW) and alliances (ATOP)"
        if results:
            sub += f", beside the simulation '{results[0].provenance['scenario_name']}'"
        return Page(title, sub + ".", sections + extra)
    if not results:
        raise ValueError("give results, or history years, to report on")
    names = [str(r.provenance["scenario_name"]) for r in results]
    sections = simulation_sections(results, samples=samples, replication=replication)
    first = results[0].provenance
    sub = (
        f"{' vs '.join(names)}: {first['replications']} replications x {first['steps']} steps, "
        f"seed {first['seed']}."
    )
    return Page(f"equipoise report: {' vs '.join(names)}", sub, sections + extra)


def render_sweep_report(sweep: SweepData) -> str:
    """The HTML report on a finished sweep.

    Parameters
    ----------
    sweep : SweepData
        From :func:`~equipoise.report.data.load_sweep`.
    """
    return render_page(sweep_page(sweep))


def sweep_page(sweep: SweepData) -> Page:
    """The report on a finished sweep, before it is rendered."""
    spec = sweep.analysis.spec
    sub = (
        f"{spec.design} design, {len(sweep.analysis.points)} points x {spec.replications} "
        f"replications x {spec.steps} steps of scenario {spec.base_scenario.name}, "
        f"seed {spec.seed}."
    )
    return Page(f"equipoise sweep report: {spec.name}", sub, sweep_sections(sweep))


def render_validation_report(source: Any) -> str:
    """The HTML report on a validation against history.

    Parameters
    ----------
    source : Validation, ValidationData, str or Path
        :func:`equipoise.validate.validate_scenario`'s result, or the
        directory ``equipoise validate`` wrote.

    Returns
    -------
    str
        The page: the section "Validation against history"
        (:func:`~equipoise.report.sections.validation_section`) and the run's
        provenance.

    Raises
    ------
    FileNotFoundError, ValueError
        If ``source`` is not a validation or its directory cannot be read
        (:func:`~equipoise.report.data.validation_data`).
    """
    return render_page(validation_page(source))


def validation_page(source: Any) -> Page:
    """The report on a validation against history, before it is rendered."""
    vd = validation_data(source)
    s = vd.settings
    title = f"equipoise validation: {s.get('scenario')}, {s['start']}-{s['end']}"
    sub = (
        f"The model against history ({s.get('comparison')} comparison): "
        f"{s['replications']} replications x {s.get('steps')} steps, seed {s.get('seed')}."
    )
    return Page(title, sub, validation_sections(vd))


def render_calibration_report(source: Calibration | str | Path) -> str:
    """The HTML report on a calibration, or on the output of ``equipoise calibrate``.

    Its sections are those of :func:`~equipoise.report.sections.calibration_sections`: the
    posterior, the posterior predictive check and the ABC-SMC generations. Reading a
    calibration needs no pyabc.
    """
    return render_page(calibration_page(source))


def calibration_page(source: Calibration | str | Path) -> Page:
    """The report on a calibration, before it is rendered."""
    from equipoise.calibrate.posterior import Calibration

    cal = source if isinstance(source, Calibration) else Calibration.load(source)
    s = cal.settings
    title = f"equipoise calibration: {cal.scenario.name}, {s['start']}-{s['end']}"
    sub = (
        f"ABC-SMC (pyabc): {len(cal.parameters)} parameters, {len(cal.generations)} "
        f"generations, {s['simulations']} simulations, seed {s['seed']}."
    )
    return Page(title, sub, calibration_sections(cal))


def render_counterfactual_report(source: Counterfactual | str | Path) -> str:
    """The HTML report on a counterfactual, or on the output of ``equipoise counterfactual``."""
    return render_page(counterfactual_page(source))


def counterfactual_page(source: Counterfactual | str | Path) -> Page:
    """The report on a counterfactual, before it is rendered."""
    s = counterfactual_parts(source)[0]
    title = f"equipoise counterfactual: {s['year']}-{s['end']}, {s['intervention'] or 'none'}"
    sub = f"{s['replications']} paired replications, seed {s['seed']}."
    return Page(title, sub, counterfactual_sections(source))


def is_report(path: str | Path) -> bool:
    """Whether ``path`` is a file written by :func:`write_report` (safe to replace)."""
    try:
        with Path(path).open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}' in head


def write_report(path: str | Path, page: str) -> Path:
    """Write ``page`` to ``path`` atomically (a temporary file renamed into place).

    The file gets the usual permissions of a new file (``0o666`` less the
    umask), not the private ones of a temporary file.

    Raises
    ------
    FileExistsError
        If ``path`` is a directory, or an existing file that is not an
        equipoise report.
    """
    path = Path(path)
    if path.is_dir():
        raise FileExistsError(f"output path is a directory: {path}")
    if path.exists() and not is_report(path):
        raise FileExistsError(f"refusing to overwrite {path}: it is not an equipoise report")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FileExistsError(f"cannot create {path}: {parent} is not a directory")
            break
    atomic_write_text(path, page)  # a shared document, not a secret: the umask applies
    return path
