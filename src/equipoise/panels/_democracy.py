"""Democracy scores on state-years and both sides of a dyad: peacesciencer's ``add_democracy()``.

Three measures per COW state-year, 1816-2020, from peacesciencer's ``ccode_democracy``
(Miller 2022), each missing where its source does not code the state-year:

``v2x_polyarchy``
    V-Dem's electoral democracy index (version 10), 0-1 (Coppedge et al. 2020).
``polity2``
    Polity IV's combined score (2017), -10 (autocracy) to 10 (democracy), with Polity's
    interruption and interregnum codes already converted by Polity (Marshall, Gurr & Jaggers
    2017).
``xm_qudsest``
    Marquez's (2016) extension of the Unified Democracy Scores (Pemstein, Meserve & Melton
    2010): a latent democracy estimate, mean about 0 and standard deviation about 1, covering
    more state-years than either source alone.

On dyad-years each comes twice (``v2x_polyarchy1``, ``polity21``, ``xm_qudsest1`` for
``ccode1`` and ``...2`` for ``ccode2``), plus the **weak link** (Dixon 1994; Oneal & Russett
1997): ``v2x_polyarchy_min``, ``polity2_min`` and ``xm_qudsest_min``, the score of the less
democratic state, missing when either is missing. "Joint democracy" is then, for instance,
``polity2_min >= 6`` (both states at 6 or more on Polity). peacesciencer has no weak-link
columns; users compute them.

References
----------
Coppedge, M., et al. (2020). *V-Dem Codebook v10*. Varieties of Democracy (V-Dem) Project.
Dixon, W. J. (1994). Democracy and the peaceful settlement of international conflict.
    *American Political Science Review*, 88(1), 14-32.
Marquez, X. (2016). A quick method for extending the Unified Democracy Scores. SSRN 2753830.
Marshall, M. G., Gurr, T. R., & Jaggers, K. (2017). *Polity IV Project: Political Regime
    Characteristics and Transitions, 1800-2016*. Center for Systemic Peace.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
Oneal, J. R., & Russett, B. M. (1997). The classical liberals were right: Democracy,
    interdependence, and conflict, 1950-1985. *International Studies Quarterly*, 41(2),
    267-294.
Pemstein, D., Meserve, S. A., & Melton, J. (2010). Democratic compromise: A latent variable
    analysis of ten measures of regime type. *Political Analysis*, 18(4), 426-449.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from equipoise.panels._data import (
    StateTable,
    cached,
    floats,
    ints,
    read_builtin,
    state_table,
)
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, panel_kind
from equipoise.panels._state import keys

__all__ = ["DEMOCRACY_MEASURES", "add_democracy"]

#: The measures, in peacesciencer's order, with the source each is cited from.
DEMOCRACY_MEASURES: dict[str, str] = {
    "v2x_polyarchy": "vdem",
    "polity2": "polity",
    "xm_qudsest": "uds",
}


@cached("democracy")
def _democracy() -> StateTable:
    d = read_builtin("democracy")
    columns = [floats(d[m]) for m in DEMOCRACY_MEASURES]
    return state_table(ints(d["ccode"]), ints(d["year"]), columns, np.nan, np.float64)


def _column(name: str, values: np.ndarray) -> object:
    """polity2 as a nullable ``Int8`` (whole numbers); the others ``float64`` with ``nan``."""
    if name != "polity2":
        return values
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.nan_to_num(values, nan=0.0).astype(np.int8), missing)


def add_democracy(
    panel: pd.DataFrame, measures: Sequence[str] = tuple(DEMOCRACY_MEASURES)
) -> pd.DataFrame:
    """Add V-Dem polyarchy, Polity's polity2 and extended UDS: peacesciencer's ``add_democracy()``.

    On state-years adds the chosen measures (``v2x_polyarchy``, ``polity2``, ``xm_qudsest``);
    on dyad-years each with ``1`` (``ccode1``) and ``2`` (``ccode2``), then its weak link
    ``<measure>_min``, the lower of the two (module docstring). Missing (``nan``; ``<NA>``
    for the ``Int8`` polity2 columns) where a source does not code a state-year, and outside
    1816-2020.

    Parameters
    ----------
    panel : DataFrame
        A state-year or dyad-year panel.
    measures : sequence of str
        Which of ``"v2x_polyarchy"``, ``"polity2"``, ``"xm_qudsest"`` to add (default all;
        peacesciencer's ``keep``).

    Returns
    -------
    DataFrame
        The panel with the democracy columns added.

    Raises
    ------
    PanelError
        If ``panel`` is neither a state-year nor a dyad-year panel, or a measure is unknown.

    References
    ----------
    Coppedge, M., et al. (2020). *V-Dem Codebook v10*.
    Marshall, M. G., Gurr, T. R., & Jaggers, K. (2017). *Polity IV Project*.
    Marquez, X. (2016). A quick method for extending the Unified Democracy Scores.
    Pemstein, D., Meserve, S. A., & Melton, J. (2010). Democratic compromise. *Political
        Analysis*, 18(4), 426-449.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_democracy(dyad_years(1990, 1990), measures=["polity2"])
    >>> usa_ussr = d.query("ccode1 == 2 and ccode2 == 365")
    >>> usa_ussr[["polity21", "polity22", "polity2_min"]].values.tolist()
    [[10, 0, 0]]
    """
    kind = panel_kind(panel, "add_democracy")
    if isinstance(measures, str):
        measures = [measures]
    chosen = list(measures)
    unknown = [m for m in chosen if m not in DEMOCRACY_MEASURES]
    if unknown or not chosen:
        what = f"unknown measure {unknown[0]!r}" if unknown else "no measure chosen"
        raise PanelError(f"add_democracy: {what}; choose from {', '.join(DEMOCRACY_MEASURES)}")
    chosen = [m for m in DEMOCRACY_MEASURES if m in chosen]  # the data's order, once each
    table = _democracy()
    index = list(DEMOCRACY_MEASURES)
    new: dict[str, object] = {}
    if kind == DYAD_YEAR:
        c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
        flat1, ok1 = table.index(c1, year)
        flat2, ok2 = table.index(c2, year)
        both = {
            m: (
                table.take(index.index(m), flat1, ok1, np.nan),
                table.take(index.index(m), flat2, ok2, np.nan),
            )
            for m in chosen
        }
        for suffix, side in (("1", 0), ("2", 1)):
            for m in chosen:
                new[m + suffix] = _column(m, both[m][side])
        for m in chosen:
            a, b = both[m]
            new[m + "_min"] = _column(m, np.minimum(a, b))  # nan if either is nan
    else:
        code, year = keys(panel, "ccode", "year")
        flat, ok = table.index(code, year)
        for m in chosen:
            new[m] = _column(m, table.take(index.index(m), flat, ok, np.nan))
    used = {DEMOCRACY_MEASURES[m]: [c for c in new if c.startswith(m)] for m in chosen}
    return extend(panel, new, used)
