"""Peace-science panels: state-years and dyad-years with COW, ATOP and peacesciencer data.

The Python counterpart of the R package peacesciencer (Miller 2022), with its names and
definitions, on the data equipoise ships: build a panel of state-years or dyad-years from the
Correlates of War (COW) state system, add variables with ``.pipe``, and ask :func:`cite` for
the BibTeX of everything the panel used.

>>> from equipoise.panels import (add_atop_alliance, add_capital_distance, add_cow_majors,
...     add_cow_wars, add_nmc, add_peace_years, cite, dyad_years)
>>> panel = (dyad_years(1816, 2016, directed=False)
...          .pipe(add_nmc).pipe(add_cow_majors).pipe(add_atop_alliance)
...          .pipe(add_cow_wars).pipe(add_capital_distance).pipe(add_peace_years))
>>> len(panel), int(panel["cowinteronset"].sum())
(956145, 379)
>>> cite(panel).count("@")
10

Builders: :func:`state_years`, :func:`dyad_years` (any span of years inside 1816-2016).
Add-ons (each takes a state-year or dyad-year panel and returns it with columns added):
:func:`add_nmc`, :func:`add_cow_majors`, :func:`add_atop_alliance`, :func:`add_cow_wars`,
:func:`add_gml_mids`, :func:`add_contiguity`, :func:`add_capital_distance`,
:func:`add_minimum_distance`, :func:`add_democracy`, :func:`add_strategic_rivalries`,
:func:`add_fpsim` (dyad-years), :func:`add_power_ratio`, :func:`add_peace_years` and
:func:`add_spells`; :func:`filter_prd` keeps the politically relevant dyads. A panel knows its
kind (pandas ``attrs``), so an add-on refuses a frame that is neither with :class:`PanelError`;
:func:`as_panel` declares one. :func:`write_panel` writes Parquet, CSV or Stata. The command
line has the same: ``equipoise panel``.

Every add-on looks values up by integer keys (no merges, no loop over dyads): all 1.9 million
directed dyad-years 1816-2016 with every add-on take a few seconds (``benchmarks/
bench_panels.py``).

References
----------
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
    https://doi.org/10.1177/07388942221077926
"""

from collections.abc import Callable

import pandas as pd

from equipoise.panels._atop import add_atop_alliance
from equipoise.panels._build import check_years, dyad_years, state_years, system_years
from equipoise.panels._cite import cite
from equipoise.panels._contiguity import add_contiguity
from equipoise.panels._democracy import add_democracy
from equipoise.panels._fpsim import add_fpsim
from equipoise.panels._frame import PanelError, as_panel, panel_kind
from equipoise.panels._mids import add_gml_mids
from equipoise.panels._mindist import add_minimum_distance
from equipoise.panels._peace import add_peace_years, add_spells
from equipoise.panels._prd import PRD_DISTANCE_KM, filter_prd
from equipoise.panels._rivalries import add_strategic_rivalries
from equipoise.panels._state import add_capital_distance, add_cow_majors, add_nmc, add_power_ratio
from equipoise.panels._wars import add_cow_wars
from equipoise.panels._write import write_panel

__all__ = [
    "ADDONS",
    "DYAD_ONLY_ADDONS",
    "PRD_DISTANCE_KM",
    "PanelError",
    "add_atop_alliance",
    "add_capital_distance",
    "add_contiguity",
    "add_cow_majors",
    "add_cow_wars",
    "add_democracy",
    "add_fpsim",
    "add_gml_mids",
    "add_minimum_distance",
    "add_nmc",
    "add_peace_years",
    "add_power_ratio",
    "add_spells",
    "add_strategic_rivalries",
    "as_panel",
    "check_years",
    "cite",
    "dyad_years",
    "filter_prd",
    "panel_kind",
    "state_years",
    "system_years",
    "write_panel",
]

#: The add-ons by their command-line names, in the order ``equipoise panel`` applies them
#: (``peace-years`` needs ``wars`` or ``mids`` before it; ``fpsim`` is for dyad-years only).
ADDONS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "nmc": add_nmc,
    "majors": add_cow_majors,
    "atop": add_atop_alliance,
    "wars": add_cow_wars,
    "mids": add_gml_mids,
    "contiguity": add_contiguity,
    "distance": add_capital_distance,
    "mindist": add_minimum_distance,
    "democracy": add_democracy,
    "rivalries": add_strategic_rivalries,
    "fpsim": add_fpsim,
    "power-ratio": add_power_ratio,
    "peace-years": add_peace_years,
}

#: The add-ons of :data:`ADDONS` that take dyad-year panels only (a pair's similarity).
DYAD_ONLY_ADDONS = frozenset({"fpsim"})
