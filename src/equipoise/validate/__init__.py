"""Validation against history: the stylized facts a model of the state system should reproduce.

One function per statistic, each taking plain arrays or tables, so that history
and simulation are measured by the same code:

- war sizes: :func:`~equipoise.validate.wars.war_size_slope` (Cederman's OLS
  slope) and :func:`~equipoise.validate.wars.war_size_tail` (power-law tail,
  ``powerlaw``), from sizes or a war table;
- war onsets per state-year: :func:`~equipoise.validate.wars.war_onset_rate`
  (war table, ``alive``);
- multiparty wars: :func:`~equipoise.validate.wars.multiparty_share` (war
  table);
- state deaths per state-year: :func:`~equipoise.validate.rates.state_death_rate`
  (``alive``);
- great-power concentration:
  :func:`~equipoise.validate.concentration.concentration_statistics`
  (capabilities);
- alliance formation per state-year and mean duration:
  :func:`~equipoise.validate.alliances.alliance_formation_rate` (spells,
  ``alive``) and :func:`~equipoise.validate.alliances.alliance_mean_duration`
  (spells).

The inputs: a **war table** (one row per war: ``start``, ``end``,
``participants``, ``size``), a **membership matrix** ``alive`` (time x
states, booleans), **capabilities** (time x states) of the great powers, and
**alliance spells** (one row per alliance: ``start``, ``end``, ``end`` missing
while in force). :func:`system_statistics` computes every statistic of one
system, :func:`replication_statistics` of every replication of a run,
:func:`historical_statistics` of the Correlates of War and ATOP record, and
:func:`compare_to_history` sets them side by side (the simulated median and
90 % interval against the historical value).

:func:`validate_scenario` (the command ``equipoise validate``) runs a
scenario, by default the great powers of 1816 from
``scenario_from_history(1816)``, one step per year, turns each replication into
these inputs (:func:`simulated_inputs`; alliances from the recorded blocs,
:func:`bloc_spells`) and returns a :class:`Validation`: the comparison table
with the notes that say what is compared with what, written as CSV and JSON
by :meth:`Validation.to_files`. The package itself is
``equipoise.validate``, so the function has its own name.

The array measures of power (CON's year-to-year variation, the share of years
above a threshold) live in :mod:`equipoise.metrics`, next to the other
measures of power; only :func:`validate_scenario` runs the engine (imported
when it is called).

Examples
--------
>>> from equipoise.validate import compare_to_history, historical_statistics
>>> history = historical_statistics()
>>> list(history.index[:3])
['war_size_slope', 'war_size_alpha', 'war_onset_rate']
"""

from equipoise.validate.alliances import (
    DURATION_METHODS,
    alliance_durations,
    alliance_formation_rate,
    alliance_mean_duration,
)
from equipoise.validate.compare import (
    STATISTICS,
    compare_to_history,
    replication_statistics,
    system_statistics,
)
from equipoise.validate.concentration import concentration_statistics
from equipoise.validate.history import (
    HistoricalInputs,
    atop_alliance_spells,
    cow_war_table,
    historical_inputs,
    historical_statistics,
    war_size_sample,
)
from equipoise.validate.rates import events_per_state_time, state_death_rate, state_deaths
from equipoise.validate.simulation import SimulatedInputs, bloc_spells, simulated_inputs
from equipoise.validate.validation import Validation, validate_scenario
from equipoise.validate.wars import (
    PowerLawTail,
    WarSizeSlope,
    multiparty_share,
    war_onset_rate,
    war_size_slope,
    war_size_tail,
)

__all__ = [
    "DURATION_METHODS",
    "STATISTICS",
    "HistoricalInputs",
    "PowerLawTail",
    "SimulatedInputs",
    "Validation",
    "WarSizeSlope",
    "alliance_durations",
    "alliance_formation_rate",
    "alliance_mean_duration",
    "atop_alliance_spells",
    "bloc_spells",
    "compare_to_history",
    "concentration_statistics",
    "cow_war_table",
    "events_per_state_time",
    "historical_inputs",
    "historical_statistics",
    "multiparty_share",
    "replication_statistics",
    "simulated_inputs",
    "state_death_rate",
    "state_deaths",
    "system_statistics",
    "validate_scenario",
    "war_onset_rate",
    "war_size_sample",
    "war_size_slope",
    "war_size_tail",
]
