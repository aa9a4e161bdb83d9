"""Borders from history: COW direct contiguity of a year, and how far a map agrees with it.

The Correlates of War direct contiguity data (Stinnett et al. 2002; v3.2 as
peacesciencer ships it, ``equipoise/data/contiguity.parquet``, see SOURCES.md)
code how two states touch, month by month: type 1 a land or river border,
types 2-5 separated by at most 12, 24, 150 or 400 miles of water, 0 (spells
peacesciencer added) not contiguous. The types are categories, not a scale.

:func:`contiguity_types` gives the type of each pair of given states in a year,
read from the first month of the year on record, as peacesciencer's
``slice = "first"`` and :func:`equipoise.panels.add_contiguity` read it: January
for every pair that existed on 1 January, a real spell before an added type-0
spell, the spell begun earlier before one begun later.
:func:`equipoise.history.scenario_builder.scenario_from_history` writes the
pairs into a scenario's ``map.land_borders`` (type 1) and ``map.sea_borders``
(types 2-5) when asked for ``map.geography = "contiguity"``, and
:func:`contiguity_agreement` measures how far a map's land borders agree with
them.

References
----------
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The
    Correlates of War Project direct contiguity data, version 3.0. *Conflict
    Management and Peace Science*, 19(2), 58-66.
    https://doi.org/10.1177/073889420201900203
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science
    research. *Conflict Management and Peace Science*, 39(6), 755-779.
    https://doi.org/10.1177/07388942221077926
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from equipoise.history.loaders import DataError
from equipoise.maps import Map, land_border_agreement

__all__ = [
    "ContiguityAgreement",
    "contiguity_agreement",
    "contiguity_types",
    "contiguity_types_over",
    "load_contiguity",
]


def load_contiguity() -> pd.DataFrame:
    """COW direct contiguity spells (built-in table; columns as in SOURCES.md).

    ``ccode1``, ``ccode2``, ``conttype``, ``styear``, ``stmonth``, ``endyear``,
    ``endmonth``: one row per directed spell (every A-B spell has its B-A spell).
    """
    return _contiguity().copy()


@functools.cache
def _contiguity() -> pd.DataFrame:
    path = Path(str(importlib.resources.files("equipoise") / "data" / "contiguity.parquet"))
    try:
        frame = pq.read_table(path).to_pandas()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from None
    return frame.astype("int64")


def contiguity_types(ccodes: Sequence[int], year: int) -> dict[tuple[int, int], int]:
    """The COW contiguity type (1-5) of each contiguous pair of the given states in ``year``.

    Parameters
    ----------
    ccodes : sequence of int
        COW state codes.
    year : int
        The year (1816-2016); the type is read from its first month on record
        (module docstring).

    Returns
    -------
    dict
        ``(a, b) -> type`` for each pair with type 1-5, ``a`` before ``b`` in
        ``ccodes``; pairs not contiguous that year are left out.

    Examples
    --------
    >>> types = contiguity_types([2, 20, 200, 220], 1990)  # USA CAN UKG FRN
    >>> types[(2, 20)], types[(200, 220)], (2, 200) in types
    (1, 3, False)
    """
    order = {int(c): k for k, c in enumerate(ccodes)}
    spells = _contiguity()
    spells = spells[
        spells["ccode1"].isin(list(order))
        & spells["ccode2"].isin(list(order))
        & (spells["styear"] <= year)
        & (spells["endyear"] >= year)
    ]
    start = spells["styear"] * 12 + spells["stmonth"] - 1
    first = np.maximum(start, year * 12)  # the spell's first month in the year
    ranked = spells.assign(
        first=first, unreal=(spells["conttype"] == 0).astype("int64"), began=start
    ).sort_values(["ccode1", "ccode2", "first", "unreal", "began"], kind="stable")
    chosen = ranked.drop_duplicates(["ccode1", "ccode2"], keep="first")
    out: dict[tuple[int, int], int] = {}
    for a, b, kind in zip(chosen["ccode1"], chosen["ccode2"], chosen["conttype"], strict=True):
        if kind > 0 and order[int(a)] < order[int(b)]:
            out[(int(a), int(b))] = int(kind)
    return dict(sorted(out.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])))


def contiguity_types_over(
    ccodes: Sequence[int], first: int, last: int
) -> dict[tuple[int, int], int]:
    """The closest COW contiguity type (1-5) of each pair of the given states in any of the years.

    For a system whose members change (``scenario_from_history(..., entries=True)``): two states
    border by land if COW records them as land-contiguous (type 1) in any year from ``first`` to
    ``last`` while both are members, else by water if it records a water type (2-5), else not
    at all. Geography is what stays; the borders of one year come and go with conquest, which
    the model plays out for itself.

    Examples
    --------
    >>> types = contiguity_types_over([255, 290, 365], 1816, 2016)  # GMY POL RUS
    >>> types[(255, 290)], types[(290, 365)], types[(255, 365)]
    (1, 1, 1)
    """
    order = {int(c): k for k, c in enumerate(ccodes)}
    spells = _contiguity()
    spells = spells[
        spells["ccode1"].isin(list(order))
        & spells["ccode2"].isin(list(order))
        & (spells["styear"] <= last)
        & (spells["endyear"] >= first)
        & (spells["conttype"] > 0)
    ]
    out: dict[tuple[int, int], int] = {}
    for a, b, kind in zip(spells["ccode1"], spells["ccode2"], spells["conttype"], strict=True):
        a, b = int(a), int(b)
        if order[a] > order[b]:
            a, b = b, a
        out[(a, b)] = min(int(kind), out.get((a, b), 9))
    return dict(sorted(out.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])))


@dataclass(frozen=True)
class ContiguityAgreement:
    """How far a map's land borders agree with COW direct contiguity in a year.

    Attributes
    ----------
    year : int
    bordering : float
        Share of the pairs of states that COW codes as bordering by land (type
        1) that share a land edge on the map.
    apart : float
        Share of the other pairs (not land-contiguous: across water or not at
        all) that share no land edge on the map.
    n_land, n_other : int
        Number of pairs of each kind.
    """

    year: int
    bordering: float
    apart: float
    n_land: int
    n_other: int


def contiguity_agreement(graph: Map, ccodes: Sequence[int], year: int) -> ContiguityAgreement:
    """How far the land borders of a map of the given states agree with COW's in ``year``.

    Parameters
    ----------
    graph : Map
        A map of given states (state ``k`` is ``ccodes[k]``), as the engine builds
        it (:func:`equipoise.engine.build_map`).
    ccodes : sequence of int
        The states' COW codes, in the map's state order.
    year : int
        The year of the contiguity compared with.

    Returns
    -------
    ContiguityAgreement
    """
    index = {int(c): k for k, c in enumerate(ccodes)}
    types = contiguity_types(ccodes, year)
    land = [(index[a], index[b]) for (a, b), kind in types.items() if kind == 1]
    bordering, apart, n_land, n_other = land_border_agreement(graph, land)
    return ContiguityAgreement(int(year), bordering, apart, n_land, n_other)
