"""See it: a self-contained HTML report on simulation results and on history.

``equipoise report RESULTS_DIR -o report.html`` (or :func:`render_report` and
:func:`write_report`) writes one HTML file that opens offline: capability
shares over time with hegemony marked, time to hegemony, survivors and
concentration with bands across replications, the map of territories of one
replication over time (replayed exactly from the seed), its alliance
networks, the war-size distribution on log-log axes, and the summary tables.
``equipoise report --history --from 1816 --to 2016`` shows the great powers'
shares and concentration (COW) and alliance networks (ATOP), beside a
simulation when one is given. On a finished sweep directory (``equipoise
sweep``), the report shows the hegemony rate against the swept parameters,
the sensitivity indices, the PRIM box, the per-point table and provenance.
On the output of ``equipoise validate`` (or a
:class:`~equipoise.validate.Validation`: :func:`render_validation_report`,
:func:`validation_section`), it shows the validation against history: the
comparison table with its notes and settings, both war-size distributions on
log-log axes with their fitted lines, and every statistic across replications
against history's value. On the output of ``equipoise calibrate`` or
``equipoise counterfactual`` (or a :class:`~equipoise.calibrate.Calibration`
or :class:`~equipoise.calibrate.counterfactual.Counterfactual`:
:func:`render_calibration_report`, :func:`render_counterfactual_report`,
:func:`calibration_sections`, :func:`counterfactual_sections`) it shows the
posterior or the paired differences; ``--include DIR`` (``render_report(...,
include=[...])``) appends those sections, or a validation's, to the report on
results or on history. For a manuscript, :func:`write_figures` (``equipoise report ...
--figures DIR``) writes every figure of a report (:func:`report_page` and its like give the
sections) as a PNG, SVG or PDF file of its own at a chosen size.

Modules: :mod:`~equipoise.report.data` computes what each plot shows,
:mod:`~equipoise.report.figures` draws it with matplotlib,
:mod:`~equipoise.report.sections` groups figures and tables, and
:mod:`~equipoise.report.render` writes the page (:mod:`~equipoise.report.export` the
figures as files); each of the first three has a
module per kind of report. The report reads what the computations
(:mod:`equipoise.results`, :mod:`equipoise.experiments`,
:mod:`equipoise.validate`, :mod:`equipoise.calibrate`) produce, and none of
them imports it. Needs the ``report`` extra (matplotlib, networkx).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "calibration_sections",
    "counterfactual_sections",
    "load_results",
    "load_validation",
    "render_calibration_report",
    "render_counterfactual_report",
    "render_report",
    "render_validation_report",
    "report_page",
    "validation_section",
    "write_figures",
    "write_report",
]

_WHERE = {
    "calibration_sections": "sections",
    "counterfactual_sections": "sections",
    "load_results": "data",
    "load_validation": "data",
    "render_calibration_report": "render",
    "render_counterfactual_report": "render",
    "render_report": "render",
    "render_validation_report": "render",
    "report_page": "render",
    "validation_section": "sections",
    "write_figures": "export",
    "write_report": "render",
}


def __getattr__(name: str) -> Any:
    # Lazy: the CLI imports this package for its command without loading matplotlib.
    if name in _WHERE:
        return getattr(importlib.import_module(f"equipoise.report.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'equipoise.report' has no attribute {name!r}")
