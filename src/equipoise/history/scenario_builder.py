"""Scenarios from history: the real state system of a year as a starting point.

:func:`scenario_from_history` turns the Correlates of War (COW) and ATOP data
for one year into a :class:`~equipoise.scenario.Scenario` with explicit
``[[states]]`` and ``initial_alliances``, so that a simulation starts from the
system as it was. Every number comes from the data by a fixed rule:

* **Economy** ``E_i``: the mean of state *i*'s shares of the selected states'
  totals of the four non-military NMC components (iron and steel production
  ``irst``, primary energy consumption ``pec``, total and urban population
  ``tpop`` and ``upop``), averaging over the components available, as CINC
  does. The economies sum to about 1.
* **Military** ``M_i``: the mean of its shares of military expenditure
  ``milex`` and military personnel ``milper``, times the system's military
  stock relative to its output at rest on the mean growth path,
  ``arming_base / (exp(growth_rate) - 1 + depreciation)`` (0.25 by default). A
  state with neither component gets its economic mean instead, so its
  capability is the mean of its available components, as in CINC. Its
  peacetime arming share is left to the kernel, which sets the share that
  keeps this stock at rest (:func:`equipoise.rules.growth.at_rest`): a state
  whose military share exceeds its economic share, like Russia's army in
  1816, arms more than one whose does not, like Britain, and with nobody
  balancing and war off neither stock drifts.
* **Productivity**: the economy share over the share of total population
  ``tpop`` (1 where population is unknown), which catch-up reads
  (:mod:`equipoise.rules.growth`): Britain's industrial lead of 1816 is a
  productivity above the others', which they close.
* **Replayed economies** (``replay_economies=True``): each state's
  ``growth_path`` is the yearly change in the log of its economy share among
  the selected states (the same four components) from the start year to
  ``replay_until``, so that with war off and nobody balancing the economies
  follow history's and only the military side is the model's. Years in which
  a state has no economic component known, or is not a system member, leave
  its share unchanged.
* The model's capability share is ``power.economic_weight`` (2/3) times the
  output share plus the rest times the military share, so the initial
  capability shares are exactly the CINC of the selected states, recomputed
  over them (four economic and two military components, equally weighted),
  when all components are known.
* **Positions**: the capital in that year (``equipoise/data/capitals.csv``,
  approximate coordinates of the seat of government) on an azimuthal
  equidistant projection centred on the mean of the selected capitals, in
  units of 10,000 km. Distances from the centre are exact; the median
  pairwise distance is within about 1 % of the great-circle distance, and only
  pairs near the antipode of the centre (for example Australia and New Zealand
  in a world-wide system) are stretched.
* **Map**: a lattice laid over the capitals, with about
  ``map.provinces_per_state`` provinces per state shared out in proportion to
  capability around each capital (:func:`equipoise.maps.map_for_states`); every
  cell is land, so geography is kept in the large (who borders whom, how far
  apart capitals are) and simplified in the small.
* **Borders and seas** (``map={"geography": "contiguity"}``, the default of the whole
  system over time, ``entries=True``: on the lattice the United States dies by conquest
  before 1914 in seven runs of ten, with borders and seas in one of twenty-five):
  ``map.land_borders``
  are the pairs that COW direct contiguity codes as bordering by land (type 1)
  in that year, ``map.sea_borders`` those separated by at most 400 miles of water
  only (types 2-5; :func:`equipoise.history.contiguity.contiguity_types`). The
  engine then keeps an edge of the lattice between two states only if they
  border, as a sea edge if across water, and joins a bordering pair that does
  not touch on the lattice at its nearest provinces
  (:func:`equipoise.maps.with_borders`); attacks across water are weakened by
  ``map.across_water``.
* **Reach**: ``power.reach`` is L = 5,000 km (:data:`HISTORY_REACH_KM`)
  expressed in provinces of that map, so Boulding's (1962) loss-of-strength
  gradient ``(1 + d / L) ** -k`` keeps about 0.94 of strength from London to
  Paris, 0.79 from Berlin to St. Petersburg, 0.46 across the North Atlantic
  and 0.36 from Berlin to Tokyo (k = 1).
* **Alliances**: a pair of selected states is allied when both are members of
  the same ATOP alliance in force in that year (``yrent <= year <= yrexit``,
  ``yrexit`` = 0 meaning still in force in 2018) and at least one of them holds
  an obligation of one of the chosen pact types (defence and offence by
  default). With ``alliances={"treaties": True}`` each ATOP alliance in force
  is instead one treaty of its members, ``initial_pacts`` rows labelled
  ``atop-<atopid>`` (:func:`scenario_from_history`). Treaties are the default of
  the whole system over time (``entries=True``; ``alliances={"treaties": False}``
  keeps the blocs): with blocs its alliances form some 600 times too rarely against
  ATOP, with treaties at ATOP's rate (docs/validate.md).
* **Names**: COW state abbreviations (``stateabb``), in COW code order.
* Economies and militaries are rounded to six significant digits and
  positions to 1e-4 units (1 km), which keeps the TOML readable.

References
----------
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
War, and Numbers* (pp. 19-48). Sage.
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
28(3), 237-260. https://doi.org/10.1080/03050620213653
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
Correlates of War Project (2017). State System Membership List, v2016.
Stinnett, D. M., Tir, J., Schafer, P., Diehl, P. F., & Gochman, C. (2002). The
Correlates of War Project direct contiguity data, version 3.0. *Conflict
Management and Peace Science*, 19(2), 58-66.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
from pydantic import BaseModel

from equipoise.history.capitals import _capitals, load_capitals
from equipoise.history.contiguity import contiguity_types, contiguity_types_over
from equipoise.history.loaders import load_alliances, load_majors, load_nmc, load_states
from equipoise.maps import map_for_states
from equipoise.scenario import (
    PACT_KINDS,
    STRATEGIES,
    GrowthParams,
    InternalParams,
    InvalidScenarioError,
    MapParams,
    PowerParams,
    Scenario,
)

__all__ = [
    "ECONOMIC_COMPONENTS",
    "HISTORY_REACH_KM",
    "KM_PER_UNIT",
    "MILITARY_COMPONENTS",
    "PACT_TYPES",
    "capital_positions",
    "cow_codes",
    "great_circle_km",
    "load_capitals",
    "scenario_from_history",
]

#: NMC components averaged into the economy.
ECONOMIC_COMPONENTS: tuple[str, ...] = ("irst", "pec", "tpop", "upop")
#: NMC components averaged into the military.
MILITARY_COMPONENTS: tuple[str, ...] = ("milex", "milper")
#: ATOP obligation types (member-level columns of ``load_alliances("member")``).
PACT_TYPES: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")
#: Kilometres per unit of the scenario's x, y coordinates.
KM_PER_UNIT = 10_000.0
#: Reach L of historical scenarios, in km (set as ``power.reach`` in provinces of their map).
HISTORY_REACH_KM = 5_000.0
#: First year of the territorial integrity norm in historical scenarios (Zacher 2001; Fazal
#: 2007 finds violent state death all but ended after 1945): ``war.integrity_norm_step``.
INTEGRITY_NORM_YEAR = 1946
_EARTH_RADIUS_KM = 6371.0


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def _angle(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Central angle between unit vectors (broadcast), stable near 0 and pi."""
    return np.arctan2(np.linalg.norm(np.cross(p, q), axis=-1), np.sum(p * q, axis=-1))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6,371 km.

    Examples
    --------
    >>> round(great_circle_km(51.51, -0.13, 48.86, 2.35))  # London-Paris
    343
    """
    p = _unit_vectors(np.array(lat1), np.array(lon1))
    q = _unit_vectors(np.array(lat2), np.array(lon2))
    return float(_EARTH_RADIUS_KM * _angle(p, q))


def _project(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Azimuthal equidistant projection centred on the mean of the points.

    Returns (n, 2) coordinates in units of :data:`KM_PER_UNIT`, x pointing east
    and y north at the centre.
    """
    p = _unit_vectors(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    c = p.mean(axis=0)
    norm = np.linalg.norm(c)
    c = c / norm if norm > 1e-12 else np.array([1.0, 0.0, 0.0])
    east = np.cross([0.0, 0.0, 1.0], c)
    east = east / np.linalg.norm(east) if np.linalg.norm(east) > 1e-12 else np.array([0, 1.0, 0])
    north = np.cross(c, east)
    rho = _angle(p, c[None, :]) * _EARTH_RADIUS_KM / KM_PER_UNIT
    tangent = p - np.outer(p @ c, c)
    length = np.linalg.norm(tangent, axis=1)
    length[length == 0] = 1.0
    direction = np.stack([tangent @ east, tangent @ north], axis=1) / length[:, None]
    return rho[:, None] * direction


def capital_positions(ccodes: Sequence[int], year: int) -> pd.DataFrame:
    """Capitals of the given states in ``year`` and their projected x, y.

    Parameters
    ----------
    ccodes : sequence of int
        COW state codes, each a system member in ``year``.
    year : int
        Year of the capitals (seats of government move).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``ccode`` in the given order, with ``stateabb``,
        ``capital``, ``lat``, ``lon``, ``x`` and ``y`` (units of 10,000 km; see
        the module docstring for the projection).
    """
    cap = _capitals()
    rows = cap[(cap["styear"] <= year) & (cap["endyear"] >= year)].set_index("ccode")
    missing = [int(c) for c in ccodes if int(c) not in rows.index]
    if missing:
        raise InvalidScenarioError(f"no capital known for ccode {missing[0]} in {year}")
    out = rows.loc[[int(c) for c in ccodes], ["stateabb", "capital", "lat", "lon"]].copy()
    xy = _project(out["lat"].to_numpy(), out["lon"].to_numpy())
    out["x"], out["y"] = xy[:, 0], xy[:, 1]
    return out


def cow_codes(names: Sequence[str], year: int) -> list[int]:
    """COW codes of the states named by abbreviation (as ``scenario_from_history`` names them).

    The inverse of the naming rule of :func:`scenario_from_history`: each name is the
    ``stateabb`` of a COW system member in ``year``.

    Parameters
    ----------
    names : sequence of str
        COW state abbreviations, such as a historical scenario's ``state_names()``.
    year : int
        The year whose system members the names refer to.

    Returns
    -------
    list of int
        The COW codes, in the order of ``names``.

    Raises
    ------
    ValueError
        A name that is not the abbreviation of a system member in ``year``.

    Examples
    --------
    >>> cow_codes(["UKG", "FRN", "RUS"], 1816)
    [200, 220, 365]
    """
    states = load_states()
    current = states[(states["styear"] <= year) & (states["endyear"] >= year)]
    code = {str(a): int(c) for a, c in zip(current["stateabb"], current["ccode"], strict=True)}
    unknown = [n for n in names if n not in code]
    if unknown:  # pragma: no cover - from_history names states by these abbreviations
        raise ValueError(f"State {unknown[0]!r} is not a COW system member in {year}.")
    return [code[n] for n in names]


def component_shares(rows: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """Mean over the available components of each row's share of the column totals."""
    shares = []
    for col in columns:
        values = rows[col].astype("float64").to_numpy(na_value=np.nan)
        total = np.nansum(values)
        shares.append(values / total if total > 0 else np.full(len(values), np.nan))
    stacked = np.stack(shares, axis=1)
    known = ~np.isnan(stacked)
    count = known.sum(axis=1)
    mean = np.where(known, stacked, 0.0).sum(axis=1) / np.maximum(count, 1)
    return np.where(count > 0, mean, np.nan)


def _selection(year: int, states: str | Sequence[int]) -> tuple[pd.DataFrame, str]:
    """NMC rows of the selected states in ``year`` (ccode order) and the name tag."""
    nmc = load_nmc()
    first, last = int(nmc["year"].min()), int(nmc["year"].max())
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise InvalidScenarioError(f"year must be an integer, got {year!r}")
    year = int(year)
    if not first <= year <= last:
        raise InvalidScenarioError(
            f"year {year} is outside the NMC coverage {first}-{last}; choose a year in that range"
        )
    rows = nmc[nmc["year"] == year].sort_values("ccode")
    if isinstance(states, str):
        if states == "all":
            return rows, "all"
        if states == "major":
            majors = load_majors()
            spell = majors[(majors["styear"] <= year) & (majors["endyear"] >= year)]
            chosen = rows[rows["ccode"].isin(spell["ccode"])]
            if len(chosen) < 2:
                raise InvalidScenarioError(
                    f"fewer than 2 major powers in {year} ({len(chosen)}); use states='all'"
                )
            return chosen, "major"
        raise InvalidScenarioError(
            f"states must be 'major', 'all' or a sequence of COW codes, got {states!r}"
        )
    try:
        codes = list(states)
    except TypeError:
        raise InvalidScenarioError(
            f"states must be 'major', 'all' or a sequence of COW codes, got {states!r}"
        ) from None
    known = load_states()
    names = dict(zip(known["ccode"].astype(int), known["stateabb"], strict=True))
    seen: set[int] = set()
    for code in codes:
        if isinstance(code, bool) or not isinstance(code, int | np.integer):
            raise InvalidScenarioError(f"COW codes must be integers, got {code!r}")
        if int(code) not in names:
            raise InvalidScenarioError(f"unknown ccode {code}: not in the COW state list")
        if int(code) in seen:
            raise InvalidScenarioError(f"ccode {code} ({names[int(code)]}) is given twice")
        seen.add(int(code))
        if not (rows["ccode"] == int(code)).any():
            raise InvalidScenarioError(
                f"ccode {code} ({names[int(code)]}) is not a system member in {year}"
            )
    if len(seen) < 2:
        raise InvalidScenarioError(f"a scenario needs at least 2 states; got {len(seen)}")
    return rows[rows["ccode"].isin(seen)], "custom"


def productivity_of(rows: pd.DataFrame, economy: np.ndarray) -> np.ndarray:
    """Each state's economy share over its population share (1 where population is unknown)."""
    pop = rows["tpop"].astype("float64").to_numpy(na_value=np.nan)
    total = np.nansum(pop)
    if not total > 0:
        return np.ones(len(economy))
    ratio = economy / np.sum(economy) / (pop / total)
    ratio = np.where(np.isfinite(ratio) & (ratio > 0), ratio, np.nan)
    if np.isnan(ratio).all():
        return np.ones(len(economy))
    # relative to the geometric mean of the known, so the numbers read as "times the others"
    known = ratio[~np.isnan(ratio)]
    ratio = ratio / np.exp(np.mean(np.log(known)))
    return np.where(np.isnan(ratio), 1.0, ratio)


def _growth_paths(ccodes: Sequence[int], year: int, until: int | None) -> list[list[float]]:
    """History's yearly change in each state's log economy share among ``ccodes``."""
    nmc = load_nmc()
    last = int(nmc["year"].max())
    end = last if until is None else int(until)
    if not year < end <= last:
        raise InvalidScenarioError(
            f"replay_until must be after {year} and at most {last}, got {until!r}"
        )
    frame = nmc[nmc["ccode"].isin(list(ccodes)) & nmc["year"].between(year, end)]
    years = range(year, end + 1)
    shares = np.full((len(years), len(ccodes)), np.nan)
    for t, when in enumerate(years):
        rows = frame[frame["year"] == when].set_index("ccode").reindex(list(ccodes))
        present = rows["year"].notna().to_numpy()
        values = component_shares(rows[present], ECONOMIC_COMPONENTS)
        shares[t, present] = values
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.diff(np.log(shares), axis=0)
    change = np.where(np.isfinite(change), change, 0.0)
    return [[round(float(v), 6) for v in change[:, k]] for k in range(len(ccodes))]


def _alliance_pairs(
    ccodes: Sequence[int], year: int, pacts: Sequence[str]
) -> list[tuple[int, int]]:
    """Pairs (a, b), a before b in ``ccodes``, allied in ``year`` by a pact of a chosen type."""
    members = load_alliances("member")
    exit_year = members["yrexit"].where(members["yrexit"] != 0, 10_000)
    live = members[
        (members["yrent"] <= year) & (exit_year >= year) & members["member"].isin(list(ccodes))
    ]
    typed = live[list(pacts)].fillna(0).astype("int64").sum(axis=1) > 0
    order = {int(c): i for i, c in enumerate(ccodes)}
    pairs: set[tuple[int, int]] = set()
    for _, group in live.assign(typed=typed).groupby("atopid"):
        holders = group.groupby("member")["typed"].any()
        codes = sorted((int(c) for c in holders.index), key=order.__getitem__)
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                if holders[a] or holders[b]:
                    pairs.add((a, b))
    return sorted(pairs, key=lambda p: (order[p[0]], order[p[1]]))


def _pact_rows(ccodes: Sequence[int], year: int) -> list[tuple[int, int, int, int]]:
    """ATOP pacts in force in ``year`` as (a, b, kind, atopid), a before b in ``ccodes``.

    Every ATOP alliance in force is one treaty (``atopid``) of its members among
    ``ccodes``: a pact for every pair of them, with the strongest obligation either of
    them holds in it (in the order of :data:`PACT_TYPES`, which is that of the pact kinds,
    defence first). A pair in several alliances holds one pact, of the strongest kind
    over them, in the alliance that gives it (of lowest ``atopid`` on a tie); it is not a
    pact of the others, which bind their other pairs.
    """
    members = load_alliances("member")
    exit_year = members["yrexit"].where(members["yrexit"] != 0, 10_000)
    live = members[
        (members["yrent"] <= year) & (exit_year >= year) & members["member"].isin(list(ccodes))
    ]
    flags = live[list(PACT_TYPES)].fillna(0).astype("int64").to_numpy() > 0
    strongest = np.where(flags.any(axis=1), flags.argmax(axis=1), len(PACT_TYPES))
    order = {int(c): i for i, c in enumerate(ccodes)}
    pacts: dict[tuple[int, int], tuple[int, int]] = {}  # pair -> (kind, atopid)
    for atopid, group in live.assign(kind=strongest).groupby("atopid"):  # atopid ascending
        held = group.groupby("member")["kind"].min()
        codes = sorted((int(c) for c in held.index), key=order.__getitem__)
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                kind = int(min(held[a], held[b]))
                if kind < len(PACT_TYPES) and kind < pacts.get((a, b), (len(PACT_TYPES), 0))[0]:
                    pacts[(a, b)] = (kind, int(cast(int, atopid)))
    return [
        (a, b, *pacts[(a, b)]) for a, b in sorted(pacts, key=lambda p: (order[p[0]], order[p[1]]))
    ]


def _treaties_on(overrides: dict[str, Any], default: bool) -> bool:
    """Whether alliances are treaties: as the overrides say, else ``default``."""
    given = overrides.get("alliances")
    if isinstance(given, BaseModel):
        return bool(getattr(given, "treaties", False))
    if isinstance(given, dict) and "treaties" in given:
        return bool(given["treaties"])
    return default


def _entrant_specs(
    plan: Any, xy: np.ndarray, ratio: float, strategy: str, abb: dict[int, str]
) -> list[dict[str, Any]]:
    """``[[states]]`` entries of the states absent at the start (names added to ``abb``)."""
    out = []
    for entrant in plan.entrants:
        abb[entrant.ccode] = entrant.stateabb
    for k, entrant in enumerate(plan.entrants):
        spec: dict[str, Any] = {
            "name": entrant.stateabb,
            "economy": _round(max(entrant.economy, 1e-9)),
            "military": _round(ratio * entrant.military),
            "x": round(float(xy[k, 0]), 4),
            "y": round(float(xy[k, 1]), 4),
            "strategy": strategy,
            "productivity": _round(entrant.productivity),
            "present": False,
        }
        if entrant.predecessor is not None and entrant.predecessor in abb:
            spec["held_by"] = abb[entrant.predecessor]
        out.append(spec)
    return out


def _named_events(plan: Any, abb: dict[int, str]) -> list[dict[str, Any]]:
    """The plan's events naming states by abbreviation; one event per state and step."""
    seen: set[tuple[str, int]] = set()
    out = []
    for event in sorted(plan.events, key=lambda e: e["step"]):
        named = {**event, "state": abb[event["state"]]}
        if "successor" in event:
            named["successor"] = abb[event["successor"]]
        key = (named["state"], named["step"])
        if key in seen:
            continue
        seen.add(key)
        for share in ("economy", "military", "productivity"):
            if share in named:
                named[share] = _round(named[share])
        out.append(named)
    return out


def _borders(
    ccodes: Sequence[int], year: int, abb: dict[int, str], until: int | None = None
) -> dict[str, list[list[str]]]:
    """``map.land_borders`` and ``map.sea_borders`` of the states in ``year`` (COW contiguity).

    With ``until`` (a system with entries), the closest contiguity of each pair in any year
    from ``year`` to ``until`` while both are members (:func:`contiguity_types_over`).
    """
    types = (
        contiguity_types(ccodes, year)
        if until is None
        else contiguity_types_over(ccodes, year, until)
    )
    land = [[str(abb[a]), str(abb[b])] for (a, b), kind in types.items() if kind == 1]
    sea = [[str(abb[a]), str(abb[b])] for (a, b), kind in types.items() if kind > 1]
    return {"land_borders": land, "sea_borders": sea}


def _table(overrides: dict[str, Any], key: str, model: type[BaseModel]) -> dict[str, Any]:
    """Table ``key`` of the overrides merged over its defaults (invalid values left to Scenario)."""
    value = overrides.get(key)
    if isinstance(value, BaseModel):
        value = value.model_dump()
    base = model().model_dump()
    return {**base, **value} if isinstance(value, dict) else base


def _number(table: dict[str, Any], key: str, default: float) -> float:
    value = table.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value):
        return float(value)
    return default


def _round(value: float) -> float:
    """Six significant digits: readable TOML, capability shares unchanged to 1e-6."""
    return float(f"{float(value):.6g}")


def _merge(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Overrides on top of ``data``; nested tables given as dicts are merged key by key."""
    out = dict(data)
    for key, value in overrides.items():
        if isinstance(value, BaseModel):
            value = value.model_dump()
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def scenario_from_history(
    year: int,
    states: str | Sequence[int] = "major",
    pacts: str | Sequence[str] = ("defense", "offense"),
    strategy: str = "balance_power",
    name: str | None = None,
    replay_economies: bool = False,
    replay_until: int | None = None,
    entries: bool = False,
    until: int | None = None,
    exits: str = "peaceful",
    integrity_norm: int | None = INTEGRITY_NORM_YEAR,
    **overrides: Any,
) -> Scenario:
    """Build a scenario from the real state system of ``year``.

    Parameters
    ----------
    year : int
        A year covered by the COW National Material Capabilities data
        (1816-2016).
    states : {"major", "all"} or sequence of int
        ``"major"``: the COW major powers of that year; ``"all"``: every system
        member; or a list of COW state codes, each a system member in ``year``.
    pacts : str or sequence of str
        ATOP obligation types that make two states allies, from
        ``"defense"``, ``"offense"``, ``"neutral"``, ``"nonagg"``, ``"consul"``.
        With ``alliances={"treaties": True}`` the alliances in force are
        ``initial_pacts`` instead of ``initial_alliances``: each ATOP alliance
        in force, whatever its type, is one treaty labelled ``atop-<atopid>``
        among its members in the scenario, a pact for every pair of them with
        the strongest obligation either holds in it as its kind. A pair in
        several alliances holds one pact, of the strongest kind over them, in
        the alliance that gives it (the lowest ``atopid`` on a tie).
    strategy : str
        Strategy of every state (one of :data:`equipoise.scenario.STRATEGIES`).
    name : str, optional
        Scenario name; default ``history-<year>-<major|all|custom>``.
    replay_economies : bool
        Give each state history's economy as a ``growth_path`` (see the module
        docstring): the counterfactual that holds history's economies fixed.
    replay_until : int, optional
        Last year of the replayed path (default: the last year of NMC).
    entries : bool
        With ``states="all"``: the whole system over time. Every state that joins
        the COW system after ``year`` and by ``until`` is listed, absent until it
        enters on its date, and the exits that COW records without conquest
        happen on theirs (:mod:`equipoise.history.system_builder`); its map has
        COW's land borders and seas (``map.geography = "contiguity"``) unless
        ``map`` says otherwise, and its alliances are treaties
        (``alliances.treaties``) unless ``alliances={"treaties": False}``.
    until : int, optional
        Last year of entries and exits (default: the last year of NMC).
    exits : {"peaceful", "all", "none"}
        With ``entries``: which exits of the record are replayed (unifications
        and dissolutions; those and the conquests too; none).
    integrity_norm : int, optional
        First year of the territorial integrity norm (Zacher 2001): from its step
        on no capital is taken, so no state dies by conquest (Fazal 2007; see
        :mod:`equipoise.rules.geography`). Default 1946; ``None``: never. A
        ``war.integrity_norm_step`` given in ``overrides`` wins.
    **overrides
        Other :class:`~equipoise.scenario.Scenario` fields, e.g.
        ``war={"enabled": False}``, ``power={"reach": 10.0}`` or
        ``map={"geography": "contiguity"}`` (borders and seas from COW direct
        contiguity; module docstring); tables given as dicts are merged into the
        defaults of this function. The military
        stocks use the resulting ``internal.arming_base`` and
        ``growth.depreciation``; the reach in provinces uses the resulting map
        (``map.provinces_per_state``, ``power.economic_weight``) unless
        ``power.reach`` is given.

    Returns
    -------
    Scenario
        With one ``[[states]]`` entry per selected state (named by COW
        abbreviation, in COW code order) and the ``initial_alliances`` in
        force (with treaties, the ``initial_pacts``). See the module
        docstring for how the data map to parameters.

    Raises
    ------
    InvalidScenarioError
        For a year outside the NMC coverage, an unknown or absent COW code,
        fewer than 2 states, an unknown pact type or strategy, or overrides
        that make an invalid scenario.

    References
    ----------
    Singer, Bremer & Stuckey (1972), COW National Material Capabilities;
    Leeds, Ritter, Mitchell & Long (2002), ATOP,
    https://doi.org/10.1080/03050620213653; Boulding (1962), the
    loss-of-strength gradient. Full entries in the module docstring.

    Examples
    --------
    >>> from equipoise import run
    >>> from equipoise.history.scenario_builder import scenario_from_history
    >>> s = scenario_from_history(1913)
    >>> s.name
    'history-1913-major'
    >>> s.state_names()
    ['USA', 'UKG', 'FRN', 'GMY', 'AUH', 'ITA', 'RUS', 'JPN']
    >>> ("GMY", "AUH") in s.initial_alliances and ("FRN", "RUS") in s.initial_alliances
    True
    >>> result = run(s, replications=4, steps=20, seed=1)
    >>> result.dataset.sizes["state"]
    8
    """
    pact_list = [pacts] if isinstance(pacts, str) else list(pacts)
    if not pact_list:
        raise InvalidScenarioError(f"pacts must name at least one of {', '.join(PACT_TYPES)}")
    for pact in pact_list:
        if pact not in PACT_TYPES:
            raise InvalidScenarioError(
                f"unknown pact type {pact!r}: choose from {', '.join(PACT_TYPES)}"
            )
    if strategy not in STRATEGIES:
        raise InvalidScenarioError(
            f"unknown strategy {strategy!r}: choose from {', '.join(STRATEGIES)}"
        )
    if "initial_alliances" in overrides:
        raise InvalidScenarioError(
            "'initial_alliances' is built from ATOP and cannot be overridden; "
            "use replace() on the result"
        )

    rows, tag = _selection(year, states)
    year = int(year)
    ccodes = [int(c) for c in rows["ccode"]]
    if entries and tag != "all":
        raise InvalidScenarioError("entries=True needs states='all' (the whole system)")
    if entries and replay_economies:
        raise InvalidScenarioError("entries=True cannot replay economies (entrants have no path)")

    internal = _table(overrides, "internal", InternalParams)
    growth = _table(overrides, "growth", GrowthParams)
    upkeep = math.expm1(_number(growth, "growth_rate", GrowthParams().growth_rate)) + _number(
        growth, "depreciation", GrowthParams().depreciation
    )
    ratio = _number(internal, "arming_base", InternalParams().arming_base) / max(upkeep, 1e-12)
    economy = component_shares(rows, ECONOMIC_COMPONENTS)
    military = component_shares(rows, MILITARY_COMPONENTS)
    economy = np.where(np.isnan(economy), military, economy)
    military = np.where(np.isnan(military), economy, military)
    if np.isnan(economy).any():
        bad = rows["stateabb"].iloc[int(np.flatnonzero(np.isnan(economy))[0])]
        raise InvalidScenarioError(f"{bad} has no NMC component known in {year}")
    economy = np.maximum(economy, 1e-9)
    productivity = productivity_of(rows, economy)
    paths = _growth_paths(ccodes, year, replay_until) if replay_economies else None

    places = capital_positions(ccodes, year)
    abb = dict(zip(ccodes, rows["stateabb"], strict=True))
    plan = None
    if entries:
        from equipoise.history.system_builder import plan_system

        last = int(load_nmc()["year"].max())
        plan = plan_system(year, last if until is None else int(until), ccodes, exits)
        lat = np.concatenate([places["lat"].to_numpy(), [e.lat for e in plan.entrants]])
        lon = np.concatenate([places["lon"].to_numpy(), [e.lon for e in plan.entrants]])
        xy = _project(lat, lon)
        places["x"], places["y"] = xy[: len(ccodes), 0], xy[: len(ccodes), 1]
    specs = [
        {
            "name": str(abb[c]),
            "economy": _round(e),
            "military": _round(ratio * m),
            "x": round(float(cast(float, places.loc[c, "x"])), 4),
            "y": round(float(cast(float, places.loc[c, "y"])), 4),
            "strategy": strategy,
            "productivity": _round(pi),
            **({"growth_path": paths[k]} if paths is not None else {}),
        }
        for k, (c, e, m, pi) in enumerate(zip(ccodes, economy, military, productivity, strict=True))
    ]
    if plan is not None:
        specs += _entrant_specs(plan, xy[len(ccodes) :], ratio, strategy, abb)
    treaties = _treaties_on(overrides, default=entries)  # the whole system: treaties
    pairs = (
        []
        if treaties
        else [[str(abb[a]), str(abb[b])] for a, b in _alliance_pairs(ccodes, year, pact_list)]
    )
    label = {"major": "The major powers", "all": "All system members"}.get(tag, "Selected states")
    data: dict[str, Any] = {
        "name": name if name is not None else f"history-{year}-{tag}",
        "description": (
            f"{label} in {year}: economy and military from COW NMC v6.0 component shares, "
            f"alliances ({', '.join(pact_list)}) from ATOP 5.1, positions from capitals "
            "(azimuthal equidistant, 1 unit = 10,000 km)."
        ),
        "states": specs,
        "initial_alliances": pairs,
    }
    if treaties:  # the pacts in force as treaties of their kinds, not as blocs
        data["initial_pacts"] = [
            [str(abb[a]), str(abb[b]), PACT_KINDS[kind], f"atop-{atopid}"]
            for a, b, kind, atopid in _pact_rows(ccodes, year)
        ]
        data["description"] = data["description"].replace(
            f"alliances ({', '.join(pact_list)})", "pacts in force (every obligation type)"
        )
    if plan is not None:
        data["events"] = _named_events(plan, abb)
        data["description"] += (
            f" States entering by {until or 'the end of the data'} enter on their COW dates; "
            f"exits replayed: {exits}."
        )
    if integrity_norm is not None:  # step s is the year `year + s - 1`
        data["war"] = {"integrity_norm_step": max(0, int(integrity_norm) - year + 1)}
    if entries:  # the whole system on COW's land borders and seas unless a map is given
        data["map"] = {"geography": "contiguity"}
    if entries and treaties:  # and its alliances treaties unless told otherwise
        data["alliances"] = {"treaties": True}
    merged = _merge(data, overrides)
    layout_given = merged.get("map")
    if (
        isinstance(layout_given, dict)
        and layout_given.get("geography") == "contiguity"
        and layout_given.get("land_borders") is None
        and layout_given.get("sea_borders") is None
    ):
        if plan is None:
            merged["map"] = {**layout_given, **_borders(ccodes, year, abb)}
        else:
            everyone = [*ccodes, *(e.ccode for e in plan.entrants)]
            last_year = int(load_nmc()["year"].max()) if until is None else int(until)
            merged["map"] = {**layout_given, **_borders(everyone, year, abb, last_year)}
    power = _table(overrides, "power", PowerParams)
    given = overrides.get("power")
    reach_given = (isinstance(given, dict) and "reach" in given) or isinstance(given, BaseModel)
    if not reach_given:
        layout = _table(overrides, "map", MapParams)
        graph = map_for_states(
            np.array([sp["x"] for sp in specs]),
            np.array([sp["y"] for sp in specs]),
            np.array([sp["economy"] for sp in specs]),
            np.array([sp["military"] for sp in specs]),
            _number(power, "economic_weight", PowerParams().economic_weight),
            _number(layout, "provinces_per_state", MapParams().provinces_per_state),
            coordinate_km=KM_PER_UNIT,
        )
        assert graph.unit_km is not None
        merged["power"] = {**power, "reach": round(HISTORY_REACH_KM / graph.unit_km, 4)}
    return Scenario.from_dict(merged, source=f"history scenario {year}")
