"""History: the Correlates of War and ATOP data, measured with the simulation's metrics.

Loaders return typed pandas DataFrames from the built-in copies of the data
(or from files fetched by ``equipoise data update``).
"""

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

__all__ = [
    "DataError",
    "data_dir",
    "load_alliances",
    "load_majors",
    "load_nmc",
    "load_states",
    "load_system",
    "load_wars",
]
