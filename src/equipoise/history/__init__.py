"""History: the Correlates of War and ATOP data, measured with the simulation's metrics.

Loaders return typed pandas DataFrames from the built-in copies of the data
(or from files fetched by ``equipoise data update``); the measures go through
:mod:`equipoise.metrics`, the same code that measures simulations; and
:func:`scenario_from_history` starts a
simulation from the real system in a given year.

Examples
--------
>>> from equipoise.history import system_by_year
>>> table = system_by_year(1913, 1913, members="major")
>>> str(table.loc[1913, "leader_abb"])
'USA'
"""

from equipoise.history.alignment import AlignmentComponents, alignment_components
from equipoise.history.alliance_formation import levy_thompson_alliances, levy_thompson_data
from equipoise.history.arming import internal_balancing, internal_balancing_data
from equipoise.history.external_balancing import levy_thompson
from equipoise.history.loaders import (
    DataError,
    data_dir,
    load_alliances,
    load_majors,
    load_nmc,
    load_states,
    load_system,
    load_wars,
)
from equipoise.history.measures import cinc, shares_by_year, system_by_year
from equipoise.history.scenario_builder import scenario_from_history
from equipoise.history.update import status, update

__all__ = [
    "AlignmentComponents",
    "DataError",
    "alignment_components",
    "cinc",
    "data_dir",
    "internal_balancing",
    "internal_balancing_data",
    "levy_thompson",
    "levy_thompson_alliances",
    "levy_thompson_data",
    "load_alliances",
    "load_majors",
    "load_nmc",
    "load_states",
    "load_system",
    "load_wars",
    "scenario_from_history",
    "shares_by_year",
    "status",
    "system_by_year",
    "update",
]
