"""The capitals table: each COW state's seat of government, with the years it was one.

Kept apart from :mod:`equipoise.history.scenario_builder` (which re-exports
:func:`load_capitals`) so that reading it does not import the maps and the scenario models:
``equipoise.panels`` measures distances between capitals with it.
"""

from __future__ import annotations

import functools
import importlib.resources

import pandas as pd

__all__ = ["load_capitals"]


@functools.lru_cache(maxsize=1)
def _capitals() -> pd.DataFrame:
    res = importlib.resources.files("equipoise") / "data" / "capitals.csv"
    with res.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(
            fh,
            dtype={"ccode": "int64", "stateabb": "string", "capital": "string"},
            keep_default_na=False,
        )
    return table


def load_capitals() -> pd.DataFrame:
    """The table of capitals: one row per state and seat of government.

    Columns ``ccode``, ``stateabb``, ``capital``, ``lat``, ``lon`` (decimal
    degrees, rounded to 0.01) and ``styear``, ``endyear``, the years in which
    that city was the seat of government, clipped to the state's COW
    membership. Most states have one row; states whose seat moved by more
    than about 100 km have one row per seat (for example Russia: St.
    Petersburg to 1917, Moscow from 1918). Every system member of every year
    in ``load_system()`` is covered by exactly one row.

    The coordinates are approximate facts from general reference knowledge,
    not a data set; see ``docs/history.md``.
    """
    return _capitals().copy()
