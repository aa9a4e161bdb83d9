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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from equipoise.history.alignment import AlignmentComponents, alignment_components
    from equipoise.history.alliance_formation import levy_thompson_alliances, levy_thompson_data
    from equipoise.history.arming import internal_balancing, internal_balancing_data
    from equipoise.history.contiguity import contiguity_agreement, contiguity_types
    from equipoise.history.external_balancing import levy_thompson
    from equipoise.history.loaders import (
        DataError,
        data_dir,
        load_alliances,
        load_majors,
        load_nmc,
        load_states,
        load_succession,
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
    "contiguity_agreement",
    "contiguity_types",
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
    "load_succession",
    "load_system",
    "load_wars",
    "scenario_from_history",
    "shares_by_year",
    "status",
    "system_by_year",
    "update",
]

#: Where each public name lives: imported on first use (PEP 562), so that importing one
#: module of the package (the loaders, for ``equipoise.panels``) does not import them all.
_LAZY = {
    "AlignmentComponents": "equipoise.history.alignment",
    "alignment_components": "equipoise.history.alignment",
    "internal_balancing": "equipoise.history.arming",
    "internal_balancing_data": "equipoise.history.arming",
    "contiguity_agreement": "equipoise.history.contiguity",
    "contiguity_types": "equipoise.history.contiguity",
    "levy_thompson": "equipoise.history.external_balancing",
    "levy_thompson_alliances": "equipoise.history.alliance_formation",
    "levy_thompson_data": "equipoise.history.alliance_formation",
    "DataError": "equipoise.history.loaders",
    "data_dir": "equipoise.history.loaders",
    "load_alliances": "equipoise.history.loaders",
    "load_majors": "equipoise.history.loaders",
    "load_nmc": "equipoise.history.loaders",
    "load_states": "equipoise.history.loaders",
    "load_succession": "equipoise.history.loaders",
    "load_system": "equipoise.history.loaders",
    "load_wars": "equipoise.history.loaders",
    "cinc": "equipoise.history.measures",
    "shares_by_year": "equipoise.history.measures",
    "system_by_year": "equipoise.history.measures",
    "scenario_from_history": "equipoise.history.scenario_builder",
    "status": "equipoise.history.update",
    "update": "equipoise.history.update",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'equipoise.history' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
