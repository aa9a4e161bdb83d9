"""The alliances of Levy & Thompson's test: new alliances against the leading land power.

:func:`levy_thompson_data` gives, for every year, the leading land power, the
state the year's new alliances are counted against (the target) and the new
ATOP alliances formed against it; :func:`levy_thompson_alliances` one row per
counted alliance, with its founding great powers. The test itself,
:func:`~equipoise.history.levy_thompson`
(:mod:`equipoise.history.external_balancing`), is computed from these tables.

References
----------
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    https://doi.org/10.1080/09636410591001465
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from equipoise.history.balancing import (
    REGIONS,
    SEA_POWERS,
    _check_positive_int,
    _leaders,
    _region_mask,
)
from equipoise.history.loaders import load_alliances, load_majors, load_nmc
from equipoise.history.measures import Members

__all__ = ["AGAINST", "PACTS", "levy_thompson_alliances", "levy_thompson_data"]

#: ATOP obligation columns that can define an alliance.
PACTS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")

#: What makes a new alliance one formed *against* the target (see
#: :func:`~equipoise.history.levy_thompson`): ``"named"`` ATOP names the target as a
#: threat; ``"defensive"`` a defence pact of great powers without the target, formed in a
#: year in which it is the leading land power; ``"without"`` any alliance of great powers
#: formed without the target (the pre-0.2 count, which is not evidence of balancing
#: against it).
AGAINST: tuple[str, ...] = ("named", "defensive", "without")

#: Obligations that count by default under each definition of ``against``.
_DEFAULT_PACTS: dict[str, tuple[str, ...]] = {
    "named": ("defense", "offense"),
    "defensive": ("defense",),
    "without": ("defense", "offense"),
}


def _check_threshold(threshold: float) -> None:
    if not (isinstance(threshold, int | float | np.floating) and 0.0 < threshold <= 1.0):
        raise ValueError(
            f"The 'threshold' parameter must be a float in (0, 1]. Got {threshold!r} instead."
        )


def _check_pacts(pacts: Sequence[str]) -> tuple[str, ...]:
    pacts = (pacts,) if isinstance(pacts, str) else tuple(pacts)
    bad = [p for p in pacts if p not in PACTS]
    if not pacts or bad:
        raise ValueError(
            f"The 'pacts' parameter must be a non-empty subset of {', '.join(PACTS)}. "
            f"Got {pacts!r} instead."
        )
    return pacts


def _check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(
            f"The '{name}' parameter must be one of {', '.join(choices)}. Got {value!r} instead."
        )


def _majors_by_year(majors: pd.DataFrame, region: str = "world") -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for code, st, end in zip(majors["ccode"], majors["styear"], majors["endyear"], strict=True):
        if not _region_mask(np.array([int(code)]), region)[0]:
            continue
        for year in range(int(st), int(end) + 1):
            out.setdefault(year, set()).add(int(code))
    return out


@dataclass(frozen=True)
class _Founding:
    """A new ATOP alliance as its founding members (those entering in its begin year)."""

    atopid: int
    year: int
    members: frozenset[int]
    pact: bool
    threats: frozenset[int]


def _founding_alliances(
    alliances: pd.DataFrame, pacts: tuple[str, ...]
) -> dict[int, list[_Founding]]:
    """New alliances by begin year (the earliest entry of any member)."""
    needed = ["atopid", "member", "yrent", "statthr1", "statthr2", *pacts]
    a = alliances[needed].dropna(subset=["atopid", "member", "yrent"])
    atopid = a["atopid"].to_numpy(dtype=np.int64)
    yrent = a["yrent"].to_numpy(dtype=np.int64)
    member = a["member"].to_numpy(dtype=np.int64)
    begin = pd.Series(yrent).groupby(atopid).transform("min").to_numpy(dtype=np.int64)
    obligation = np.zeros(len(a), dtype=bool)
    for pact in pacts:
        obligation |= a[pact].fillna(0).to_numpy(dtype=np.int64) == 1
    threat = a[["statthr1", "statthr2"]].fillna(0).to_numpy(dtype=np.int64)
    founding = np.nonzero(yrent == begin)[0]
    founding = founding[np.argsort(atopid[founding], kind="stable")]
    per_year: dict[int, list[_Founding]] = {}
    for rows in np.split(founding, np.nonzero(np.diff(atopid[founding]))[0] + 1):
        if rows.size == 0:
            continue
        year = int(begin[rows[0]])
        per_year.setdefault(year, []).append(
            _Founding(
                atopid=int(atopid[rows[0]]),
                year=year,
                members=frozenset(member[rows].tolist()),
                pact=bool(obligation[rows].any()),
                threats=frozenset(int(t) for t in threat[rows].ravel() if t > 0),
            )
        )
    return per_year


def _settings(
    threshold: float,
    k: int,
    pacts: tuple[str, ...],
    against: str,
    capability: str,
    members: Members,
    exclude: Sequence[int],
    region: str,
    min_great_powers: int,
    lag: int,
    years: np.ndarray,
) -> dict[str, Any]:
    """Every setting of a Levy & Thompson test, for the ``attrs`` of its tables."""
    return {
        "threshold": float(threshold),
        "k": int(k),
        "pacts": tuple(pacts),
        "against": against,
        "capability": capability,
        "members": members if isinstance(members, str) else tuple(int(c) for c in members),
        "exclude": tuple(int(c) for c in exclude),
        "region": region,
        "min_great_powers": int(min_great_powers),
        "lag": int(lag),
        "start": int(years[0]),
        "end": int(years[-1]),
    }


def _levy_thompson_tables(
    threshold: float,
    k: int,
    pacts: Sequence[str] | None,
    against: str,
    capability: str,
    members: Members,
    exclude: Sequence[int],
    region: str,
    min_great_powers: int,
    lag: int,
    start: int | None,
    end: int | None,
    nmc: pd.DataFrame | None,
    majors: pd.DataFrame | None,
    alliances: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The year table and the alliance table of a Levy & Thompson test."""
    _check_threshold(threshold)
    _check_positive_int("k", k)
    _check_positive_int("min_great_powers", min_great_powers)
    _check_positive_int("lag", lag, minimum=0)
    _check_choice("against", against, AGAINST)
    _check_choice("region", region, tuple(REGIONS))
    pacts = _check_pacts(_DEFAULT_PACTS[against] if pacts is None else pacts)
    nmc = load_nmc() if nmc is None else nmc
    majors = load_majors() if majors is None else majors
    alliances = load_alliances("member") if alliances is None else alliances
    needed = ["atopid", "member", "yrent", "statthr1", "statthr2", *pacts]
    missing = [c for c in needed if c not in alliances.columns]
    if missing:
        raise ValueError(
            "The 'alliances' table must be ATOP member-level data "
            f"(load_alliances('member')); missing column(s): {', '.join(missing)}."
        )

    p, share, lead, lead_share, found = _leaders(
        nmc, capability, members, exclude, start, end, majors, region
    )
    years = p.years
    above = found & (np.nan_to_num(lead_share) >= threshold)
    lead_code = np.where(found, p.codes[lead], -1)
    column = {int(c): j for j, c in enumerate(p.codes)}

    # The target of a year: the land leader of the latest above-threshold year
    # among the k before it ("after" years), otherwise that year's land leader.
    above_years = years[above]
    above_leader = lead_code[above]
    group = np.full(len(years), "base", dtype=object)
    target = lead_code.copy()
    for i, year in enumerate(years):
        prior = (above_years >= year - k) & (above_years < year)
        if prior.any():
            group[i] = "after"
            target[i] = above_leader[prior][-1]
        elif above[i]:
            group[i] = "onset"

    per_year = _founding_alliances(alliances, pacts)
    great = _majors_by_year(majors, region)

    def counted(i: int, tgt: int) -> list[_Founding]:
        """The new alliances of year ``i`` that count as formed against ``tgt``."""
        if tgt < 0:
            return []
        year = int(years[i])
        others = great.get(year, set()) - {tgt}
        out = []
        for f in per_year.get(year, []):
            if not f.pact or tgt in f.members or len(f.members & others) < min_great_powers:
                continue
            if against == "named" and tgt not in f.threats:
                continue
            if against == "defensive" and lead_code[i] != tgt:
                continue
            out.append(f)
        return out

    position = {int(y): i for i, y in enumerate(years)}
    ids: list[tuple[int, ...]] = []
    dose_target = np.full(len(years), -1, dtype=np.int64)
    dose_share = np.full(len(years), np.nan)
    dose_count = np.zeros(len(years), dtype=np.int64)
    alliance_rows = []
    for i, year in enumerate(years):
        chosen = counted(i, int(target[i]))
        ids.append(tuple(f.atopid for f in chosen))
        for f in chosen:
            tgt = int(target[i])
            gps = sorted(f.members & (great.get(int(year), set()) - {tgt}))
            tgt_share = share[i, column[tgt]] if tgt in column else np.nan
            coalition = sum(float(np.nan_to_num(share[i, column[c]])) for c in gps if c in column)
            alliance_rows.append(
                (
                    int(f.atopid),
                    int(year),
                    str(group[i]),
                    tgt,
                    float(np.nan_to_num(tgt_share)),
                    len(f.members),
                    len(gps),
                    tuple(gps),
                    coalition,
                    tgt in f.threats,
                )
            )
        j = position.get(int(year) - lag)
        if j is not None and found[j]:
            dose_target[i] = lead_code[j]
            dose_share[i] = lead_share[j]
            dose_count[i] = len(counted(i, int(lead_code[j])))

    lookup = dict(zip(p.codes.tolist(), p.abb.tolist(), strict=True))

    def _abb(codes: Sequence[int] | np.ndarray) -> pd.api.extensions.ExtensionArray:
        return pd.array([lookup.get(int(c)) if c >= 0 else None for c in codes], dtype="string")

    def _code(codes: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.array([int(c) if c >= 0 else None for c in codes], dtype="Int64")

    settings = _settings(
        threshold,
        k,
        pacts,
        against,
        capability,
        members,
        exclude,
        region,
        min_great_powers,
        lag,
        years,
    )
    year_table = pd.DataFrame(
        {
            "land_leader": _code(lead_code),
            "land_leader_abb": _abb(lead_code),
            "land_leader_share": lead_share,
            "above": above,
            "group": pd.array(group, dtype="string"),
            "target": _code(target),
            "target_abb": _abb(target),
            "n_alliances": np.array([len(t) for t in ids], dtype=np.int64),
            "atopids": ids,
            "dose_target": _code(dose_target),
            "dose_target_abb": _abb(dose_target),
            "dose_share": dose_share,
            "dose_alliances": dose_count,
        },
        index=pd.Index(years, name="year"),
    )
    year_table.attrs.update(settings)
    columns = [
        "atopid",
        "year",
        "group",
        "target",
        "target_share",
        "n_members",
        "n_great_powers",
        "great_powers",
        "coalition_share",
        "names_target",
    ]
    alliance_table = pd.DataFrame(alliance_rows, columns=columns)
    alliance_table = alliance_table.astype(
        {
            "atopid": np.int64,
            "year": np.int64,
            "group": "string",
            "target": np.int64,
            "target_share": np.float64,
            "n_members": np.int64,
            "n_great_powers": np.int64,
            "coalition_share": np.float64,
            "names_target": bool,
        }
    )
    alliance_table.insert(4, "target_abb", _abb(alliance_table["target"].to_numpy()))
    alliance_table.attrs.update(settings)
    return year_table, alliance_table


def levy_thompson_data(
    threshold: float = 1 / 3,
    k: int = 5,
    pacts: Sequence[str] | None = None,
    *,
    against: Literal["named", "defensive", "without"] = "named",
    capability: str = "cinc",
    members: Members = "major",
    exclude: Sequence[int] = SEA_POWERS,
    region: Literal["world", "europe"] = "world",
    min_great_powers: int = 2,
    lag: int = 1,
    start: int | None = None,
    end: int | None = None,
    nmc: pd.DataFrame | None = None,
    majors: pd.DataFrame | None = None,
    alliances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The year table behind Levy & Thompson's test: leading land power and new alliances.

    Parameters are those of :func:`~equipoise.history.levy_thompson`.

    Returns
    -------
    DataFrame indexed by ``year``
        ``land_leader`` (COW code), ``land_leader_abb``, ``land_leader_share``,
        ``above`` (share >= ``threshold``), ``group`` (``"after"``: one of the
        ``k`` years after a year above the threshold; ``"onset"``: a year above
        the threshold not preceded by one within ``k`` years, left out of both
        rates; ``"base"``: every other year), ``target`` and ``target_abb``
        (the state the alliances of the year are counted against),
        ``n_alliances`` and ``atopids`` (the new ATOP alliances of the year
        formed against the target); for the dose-response regression,
        ``dose_target`` and ``dose_target_abb`` (the land leader ``lag`` years
        earlier), ``dose_share`` (its share then) and ``dose_alliances`` (new
        alliances of the year formed against it). ``attrs`` holds every
        setting.

    Examples
    --------
    >>> d = levy_thompson_data(start=1816, end=1830)
    >>> d.loc[1816, ["land_leader_abb", "group"]].tolist()
    ['RUS', 'base']
    >>> d.attrs["against"], d.attrs["pacts"]
    ('named', ('defense', 'offense'))
    """
    year_table, _ = _levy_thompson_tables(
        threshold,
        k,
        pacts,
        against,
        capability,
        members,
        exclude,
        region,
        min_great_powers,
        lag,
        start,
        end,
        nmc,
        majors,
        alliances,
    )
    return year_table


def levy_thompson_alliances(
    threshold: float = 1 / 3,
    k: int = 5,
    pacts: Sequence[str] | None = None,
    *,
    against: Literal["named", "defensive", "without"] = "named",
    capability: str = "cinc",
    members: Members = "major",
    exclude: Sequence[int] = SEA_POWERS,
    region: Literal["world", "europe"] = "world",
    min_great_powers: int = 2,
    lag: int = 1,
    start: int | None = None,
    end: int | None = None,
    nmc: pd.DataFrame | None = None,
    majors: pd.DataFrame | None = None,
    alliances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The alliance table behind the coalition-size test of Levy & Thompson.

    Parameters are those of :func:`~equipoise.history.levy_thompson`.

    Returns
    -------
    DataFrame
        One row per new alliance counted against a target (the rows behind
        ``atopids`` of :func:`levy_thompson_data`): ``atopid``, ``year``,
        ``group``, ``target``, ``target_abb``, ``target_share`` (the target's
        share that year), ``n_members`` (founding members), ``n_great_powers``
        and ``great_powers`` (founding great powers other than the target: the
        coalition's size), ``coalition_share`` (their combined share that
        year) and ``names_target`` (ATOP names the target as a threat).
        ``attrs`` holds every setting.

    Examples
    --------
    NATO (ATOP 3180) names no specific threat, so it counts against the Soviet
    Union only as a defensive pact formed while the Soviet Union led:

    >>> named = levy_thompson_alliances(capability="milper")
    >>> 3180 in set(named["atopid"])
    False
    >>> defensive = levy_thompson_alliances(capability="milper", against="defensive")
    >>> nato = defensive.set_index("atopid").loc[3180]
    >>> str(nato["target_abb"]), nato["great_powers"]  # the USA, Britain and France
    ('RUS', (2, 200, 220))
    """
    _, alliance_table = _levy_thompson_tables(
        threshold,
        k,
        pacts,
        against,
        capability,
        members,
        exclude,
        region,
        min_great_powers,
        lag,
        start,
        end,
        nmc,
        majors,
        alliances,
    )
    return alliance_table
