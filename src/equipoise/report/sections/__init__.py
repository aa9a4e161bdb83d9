"""The report's content as sections of figures and tables, shared by HTML and dashboard.

A :class:`Section` is a titled list of :class:`Block` s (a figure, a table, a
paragraph or a block of code; :mod:`~equipoise.report.sections.blocks`). One
module per kind of report builds them, every name also importable from this
package: :func:`simulation_sections` from results
(:mod:`~equipoise.report.sections.simulation`), :func:`history_sections` from
the historical data (:mod:`~equipoise.report.sections.history`),
:func:`sweep_sections` from a sweep (:mod:`~equipoise.report.sections.sweeps`),
:func:`validation_section` from a validation against history
(:mod:`~equipoise.report.sections.validation`), :func:`calibration_sections`
and :func:`counterfactual_sections` from a calibration and a counterfactual
(:mod:`~equipoise.report.sections.calibration`), and :func:`output_sections`
from the directory of any of the last three (:func:`included_sections`: for
inclusion in another report; :mod:`~equipoise.report.sections.included`).
:mod:`equipoise.report.render` turns them into one HTML page and the
dashboard shows the same figures in the browser.
"""

from equipoise.report.sections.blocks import Block, Section
from equipoise.report.sections.calibration import calibration_sections, counterfactual_sections
from equipoise.report.sections.history import history_sections, history_table, network_years
from equipoise.report.sections.included import (
    FIND_VISITS,
    INCLUDABLE,
    find_outputs,
    included_sections,
    output_kind,
    output_sections,
)
from equipoise.report.sections.simulation import (
    MAP_PANELS,
    SIMULATION_SECTIONS,
    WAR_SIZE_LABEL,
    comparison_blocks,
    simulation_sections,
    summary_table,
)
from equipoise.report.sections.sweeps import points_table, sweep_sections
from equipoise.report.sections.validation import (
    validation_section,
    validation_sections,
    validation_table,
)

__all__ = [
    "FIND_VISITS",
    "INCLUDABLE",
    "MAP_PANELS",
    "SIMULATION_SECTIONS",
    "WAR_SIZE_LABEL",
    "Block",
    "Section",
    "calibration_sections",
    "comparison_blocks",
    "counterfactual_sections",
    "find_outputs",
    "history_sections",
    "history_table",
    "included_sections",
    "network_years",
    "output_kind",
    "output_sections",
    "points_table",
    "simulation_sections",
    "summary_table",
    "sweep_sections",
    "validation_section",
    "validation_sections",
    "validation_table",
]
