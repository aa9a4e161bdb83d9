"""The whole state system over time: the states that enter after a start year, and the exits.

:func:`equipoise.history.scenario_from_history` with ``entries=True`` simulates
the whole Correlates of War system from a start year: besides the members of
that year it lists every state that joins the system later (by ``until``),
dormant until its COW entry year (:mod:`equipoise.rules.membership`), and the
exits that COW records without conquest. This module works out those states
and their ``[[events]]`` from the data:

* **Entries.** Every membership spell (``states2016``) that starts after the
  start year and by ``until`` is an entry on step ``entry year - start year``,
  with the entrant's shares of the system's economy and military in its entry
  year (the same NMC components as the start, recomputed over that year's
  members) and its productivity then. A state's later spells (a restoration
  after occupation) are entries too; if the model has not killed it, the entry
  does nothing. The entrant's provinces at the start are held by its
  predecessor when the succession table names one that is in the scenario
  (``held_by``), otherwise they are land no member holds.
* **Exits.** The project's succession table
  (:func:`equipoise.history.loaders.load_succession`) says how each spell ended.
  With ``exits="peaceful"`` (the default) unifications become merges into the
  successor and dissolutions dissolve; conquests stay the model's own (Fazal
  2007's violent state deaths are what the model's wars produce or do not).
  ``exits="all"`` replays the conquests too, as merges into the conqueror: a
  counterfactual that holds history's map of who swallowed whom fixed.
  ``exits="none"`` replays no exit.
* **Capitals** are placed in one projection with the start year's (each at its
  seat of government in its entry year).
* **Dates.** The state recorded at step ``k`` is the system at the start of year
  ``start + k`` (:mod:`equipoise.validate.simulation`), and a state is a member in
  each year COW counts it: an entry in year ``Y`` applies at the start of step
  ``Y - start`` (present in that year's row), an exit in year ``E`` at the start of
  step ``E - start + 1`` (present in the row of its last year, gone in the next).

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
Fazal, T. M. (2007). *State Death*. Princeton University Press.
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from equipoise.history.capitals import load_capitals
from equipoise.history.loaders import load_nmc, load_states, load_succession
from equipoise.scenario import InvalidScenarioError

__all__ = ["EXIT_MODES", "Entrant", "SystemPlan", "plan_system"]

#: How the exits of the record are replayed (see the module docstring).
EXIT_MODES: tuple[str, ...] = ("peaceful", "all", "none")


@dataclass(frozen=True)
class Entrant:
    """A state that is not a member in the start year and enters by ``until``."""

    ccode: int
    stateabb: str
    year: int  #: first entry year after the start
    economy: float  #: share of the system's economy in that year
    military: float  #: share of the system's military in that year
    productivity: float  #: economy share over population share in that year
    lat: float
    lon: float
    predecessor: int | None = None


@dataclass
class SystemPlan:
    """The entrants, the events (as ``[[events]]`` tables, naming states by COW code)."""

    entrants: list[Entrant] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


def _shares_in(year: int) -> pd.DataFrame:
    """Every member's economy and military shares and productivity in ``year`` (by ccode)."""
    from equipoise.history.scenario_builder import (
        ECONOMIC_COMPONENTS,
        MILITARY_COMPONENTS,
        component_shares,
        productivity_of,
    )

    rows = load_nmc()
    rows = rows[rows["year"] == year].sort_values("ccode")
    economy = component_shares(rows, ECONOMIC_COMPONENTS)
    military = component_shares(rows, MILITARY_COMPONENTS)
    economy = np.where(np.isnan(economy), military, economy)
    military = np.where(np.isnan(military), economy, military)
    # a state with no component known that year: a token share (it is small; NMC knows
    # every sizeable state)
    economy = np.where(np.isnan(economy), 1e-5, np.maximum(economy, 1e-9))
    military = np.where(np.isnan(military), economy, military)
    productivity = productivity_of(rows, economy)
    return pd.DataFrame(
        {"economy": economy, "military": military, "productivity": productivity},
        index=rows["ccode"].astype(int).to_numpy(),
    )


def _capital(ccode: int, year: int) -> tuple[float, float]:
    cap = load_capitals()
    rows = cap[(cap["ccode"] == ccode) & (cap["styear"] <= year) & (cap["endyear"] >= year)]
    if rows.empty:
        rows = cap[cap["ccode"] == ccode]
    if rows.empty:
        raise InvalidScenarioError(f"no capital known for ccode {ccode}")
    return float(rows["lat"].iloc[0]), float(rows["lon"].iloc[0])


def plan_system(
    year: int, until: int, members: Sequence[int], exits: str = "peaceful"
) -> SystemPlan:
    """The entrants after ``year`` and by ``until``, and the events of every state.

    Parameters
    ----------
    year : int
        The start year; ``members`` are the system members in it.
    until : int
        Last year whose entries and exits are listed.
    members : sequence of int
        COW codes of the start year's members.
    exits : {"peaceful", "all", "none"}
        Which exits of the record are replayed (see the module docstring).
    """
    if exits not in EXIT_MODES:
        raise InvalidScenarioError(f"exits must be one of {', '.join(EXIT_MODES)}, got {exits!r}")
    if until <= year:
        raise InvalidScenarioError(f"until ({until}) must come after the start year ({year})")
    spells = load_states()
    spells = spells[(spells["endyear"] >= year) & (spells["styear"] <= until)]
    succession = load_succession()
    present = {int(c) for c in members}
    plan = SystemPlan()
    shares: dict[int, pd.DataFrame] = {}
    first_entry: dict[int, int] = {}
    for row in spells.sort_values(["styear", "stmonth", "stday", "ccode"]).itertuples():
        code, start = int(row.ccode), int(row.styear)
        if start <= year:
            continue
        if start not in shares:
            shares[start] = _shares_in(start)
        table = shares[start]
        e, m, pi = (
            (float(v) for v in table.loc[code, ["economy", "military", "productivity"]])
            if code in table.index
            else (1e-5, 1e-5, 1.0)
        )
        plan.events.append(
            {
                "step": start - year,
                "kind": "enter",
                "state": code,
                "economy": min(max(e, 1e-9), 1.0),
                "military": min(max(m, 0.0), 1.0),
                "productivity": min(max(pi, 1e-6), 1e6),
            }
        )
        if code not in present and code not in first_entry:
            first_entry[code] = start
            lat, lon = _capital(code, start)
            plan.entrants.append(
                Entrant(
                    code,
                    str(row.stateabb),
                    start,
                    e,
                    m,
                    pi,
                    lat,
                    lon,
                    _predecessor(succession, code, start),
                )
            )
    known = present | set(first_entry)
    if exits != "none":
        for ex in succession[succession["event"] == "exit"].itertuples():
            code, end = int(ex.ccode), int(ex.year)
            if not (year <= end <= until) or code not in known:
                continue
            kind = str(ex.kind)
            other = None if pd.isna(ex.other_ccode) else int(ex.other_ccode)
            if kind == "conquest" and exits != "all":
                continue
            if kind == "dissolution" or other is None or other not in known:
                if kind == "conquest":
                    continue
                plan.events.append({"step": end - year + 1, "kind": "dissolve", "state": code})
            else:
                plan.events.append(
                    {"step": end - year + 1, "kind": "merge", "state": code, "successor": other}
                )
    return plan


def _predecessor(succession: pd.DataFrame, code: int, start: int) -> int | None:
    rows = succession[
        (succession["event"] == "entry")
        & (succession["ccode"] == code)
        & (succession["year"] == start)
    ]
    if rows.empty or pd.isna(rows["other_ccode"].iloc[0]):
        return None
    return int(rows["other_ccode"].iloc[0])
