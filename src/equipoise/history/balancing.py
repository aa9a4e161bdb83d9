"""Tests of balancing claims on the historical record (COW capabilities, ATOP alliances).

Two claims of balance-of-power theory are put to the data, each returning a
tidy table of effect sizes with 95% intervals:

- **External balancing** (:func:`levy_thompson`): great powers form alliances
  against a leading land power once it holds about a third of capabilities
  (Levy & Thompson 2005).
- **Internal balancing** (:func:`internal_balancing`): the other great powers
  arm faster when the leader's share rises (Waltz 1979).

Shares, leaders and intervals come from :mod:`equipoise.metrics` (through
:mod:`equipoise.history.measures`), the code that measures simulations. Each
test also has ``*_data`` functions returning the year, state-year or alliance
table it is computed from, so every number can be traced to the rows behind
it, and stores every setting it used in the ``attrs`` of its output.

References
----------
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    https://doi.org/10.1080/09636410591001465
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from equipoise import metrics
from equipoise.history.loaders import load_alliances, load_majors, load_nmc
from equipoise.history.measures import CapabilityPanel, Members, capability_panel, major_mask

__all__ = [
    "AGAINST",
    "PACTS",
    "REGIONS",
    "SEA_POWERS",
    "internal_balancing",
    "internal_balancing_data",
    "levy_thompson",
    "levy_thompson_alliances",
    "levy_thompson_data",
]

#: COW codes of the states not counted as land powers by default: the USA (2)
#: and the United Kingdom (200), the offshore sea powers of the period.
SEA_POWERS: tuple[int, ...] = (2, 200)

#: ATOP obligation columns that can define an alliance.
PACTS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")

#: What makes a new alliance one formed *against* the target (see :func:`levy_thompson`):
#: ``"named"`` ATOP names the target as a threat; ``"defensive"`` a defence pact of
#: great powers without the target, formed in a year in which it is the leading
#: land power; ``"without"`` any alliance of great powers formed without the target
#: (the pre-0.2 count, which is not evidence of balancing against it).
AGAINST: tuple[str, ...] = ("named", "defensive", "without")

#: Regions a test can be restricted to, as a range of COW state codes (COW numbers
#: the states of Europe, Russia included and Turkey not, 200-399).
REGIONS: dict[str, tuple[int, int] | None] = {"world": None, "europe": (200, 399)}

#: Obligations that count by default under each definition of ``against``.
_DEFAULT_PACTS: dict[str, tuple[str, ...]] = {
    "named": ("defense", "offense"),
    "defensive": ("defense",),
    "without": ("defense", "offense"),
}

#: A comparison group with fewer years than this gets a warning.
MIN_GROUP_YEARS = 30

_Z95 = float(stats.norm.ppf(0.975))

_LT_COLUMNS = [
    "measure",
    "group",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "n_years",
    "years_with_alliance",
    "alliances",
    "method",
]
_IB_COLUMNS = ["predictor", "measure", "estimate", "ci_low", "ci_high", "n", "n_years", "lag"]


def _check_threshold(threshold: float) -> None:
    if not (isinstance(threshold, int | float | np.floating) and 0.0 < threshold <= 1.0):
        raise ValueError(
            f"The 'threshold' parameter must be a float in (0, 1]. Got {threshold!r} instead."
        )


def _check_positive_int(name: str, value: int, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(
            f"The '{name}' parameter must be an int >= {minimum}. Got {value!r} instead."
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


def _region_mask(codes: np.ndarray, region: str) -> np.ndarray:
    """Which COW codes lie in ``region`` (all of them for ``"world"``)."""
    bounds = REGIONS[region]
    if bounds is None:
        return np.ones(len(codes), dtype=bool)
    return (codes >= bounds[0]) & (codes <= bounds[1])


def _leaders(
    nmc: pd.DataFrame,
    capability: str,
    members: Members,
    exclude: Sequence[int],
    start: int | None,
    end: int | None,
    majors: pd.DataFrame,
    region: str = "world",
) -> tuple[CapabilityPanel, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Panel, shares, and the leading major power (not in ``exclude``) per year.

    With a ``region`` other than ``"world"`` the panel keeps only the states of
    the region, so shares are shares of the region's chosen members.
    """
    p = capability_panel(nmc, capability, members, start, end, majors)
    if region != "world":
        inside = _region_mask(p.codes, region)[None, :]
        p = CapabilityPanel(
            p.years, p.codes, p.abb, np.where(inside, p.caps, np.nan), p.alive & inside
        )
    share = metrics.shares(p.caps, p.alive)
    candidate = (
        p.alive
        & major_mask(p.years, p.codes, majors)
        & ~np.isin(p.codes, np.asarray(list(exclude), dtype=np.int64))[None, :]
    )
    masked = np.where(candidate, share, np.nan)
    found = candidate.any(axis=-1)
    lead = metrics.leader(masked)
    lead_share = np.where(found, metrics.leader_share(masked), np.nan)
    return p, share, lead, lead_share, found


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
    """The year table behind :func:`levy_thompson`: leading land power and new alliances.

    Parameters are those of :func:`levy_thompson`.

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
    """The alliance table behind the coalition-size test of :func:`levy_thompson`.

    Parameters are those of :func:`levy_thompson`.

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


def _poisson_interval(count: int, exposure: int, z: float = _Z95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson rate ``count / exposure``."""
    if exposure <= 0:
        return np.nan, np.nan
    alpha = 2 * stats.norm.sf(z)
    low = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return low / exposure, high / exposure


def _logistic_dose_response(share: np.ndarray, event: np.ndarray) -> tuple[float, ...]:
    """Logit of ``event`` on ``share``: slope, Wald 95% interval and p-value.

    All ``nan`` when the maximum-likelihood estimate does not exist (no events,
    all events, perfect separation) or the fit does not converge.
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import (
        ConvergenceWarning,
        PerfectSeparationError,
        PerfectSeparationWarning,
    )

    nan4 = (np.nan, np.nan, np.nan, np.nan)
    if len(share) < 3 or event.all() or not event.any() or np.ptp(share) == 0:
        return nan4
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            fit = sm.Logit(event.astype(np.float64), sm.add_constant(share)).fit(disp=0)
        except (
            ConvergenceWarning,
            PerfectSeparationWarning,
            PerfectSeparationError,
            np.linalg.LinAlgError,
        ):
            return nan4
    b = float(fit.params[1])
    se = float(fit.bse[1])
    if not np.isfinite(se):
        return nan4
    return b, b - _Z95 * se, b + _Z95 * se, float(fit.pvalues[1])


def _mean_interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and its 95% Student-t interval (``nan`` bounds for fewer than 2 values)."""
    n = len(values)
    if n == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if n < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Spearman's rho, its 95% interval (Fisher z, Bonett-Wright SE) and p-value."""
    n = len(x)
    if n < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan, np.nan, np.nan, np.nan
    result = stats.spearmanr(x, y)
    rho, p = float(result.statistic), float(result.pvalue)
    z = np.arctanh(np.clip(rho, -0.999999, 0.999999))
    se = np.sqrt((1 + rho**2 / 2) / (n - 3))
    # |rho| = 1 has no finite z: the interval then reaches the bound it sits on.
    low = min(float(np.tanh(z - _Z95 * se)), rho)
    high = max(float(np.tanh(z + _Z95 * se)), rho)
    return rho, low, high, p


def levy_thompson(
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
    """Test whether great powers ally against a land power holding a third of capabilities.

    Levy & Thompson (2005) find that European great powers balanced against
    the leading land power when it held a third or more of the great powers'
    military capabilities (army sizes), but not at lower concentrations. This
    function compares how often the other great powers form new alliances
    against the leading land power in the ``k`` years after a year in which it
    held at least ``threshold`` of capabilities with the base rate in other
    years; fits the dose-response (the probability of a new alliance against
    the leader as a function of its share); and asks whether coalitions grow
    with the leader they face.

    Operationalisation (each choice is a parameter):

    - **Capabilities**: shares of ``capability`` (CINC by default) among
      ``members`` (the COW major powers of the year by default, as Levy &
      Thompson measure shares of great-power capabilities), computed with
      :func:`equipoise.metrics.shares`. Levy & Thompson measure army size in
      Europe; ``capability="milper"`` (military personnel) is the closer
      analogue in the NMC data, and ``region="europe"`` keeps only the states
      of Europe (COW codes 200-399: shares of the European great powers, the
      leader among them, and only European great powers counted in
      alliances). ``end=1944`` restricts the test to the pre-1945 system they
      study.
    - **Leading land power**: the COW major power with the largest share,
      leaving out ``exclude`` (default the USA and the United Kingdom, the
      offshore sea powers; their capabilities still count in the total). Pass
      ``exclude=()`` to take the overall leader.
    - **Threshold years**: years in which its share is ``>= threshold``.
    - **"After" years**: the ``k`` years following a threshold year
      (``t0 + 1 ... t0 + k``); their target is the leader of the latest such
      threshold year. **Base years**: years that are neither after years nor
      threshold years; their target is the year's own leading land power.
      Threshold years that follow no threshold year within ``k`` (onsets)
      are in neither group.
    - **New alliances** are counted in their ATOP begin year (earliest entry
      of any member); their founding members are those entering in that year.
      Every definition below requires founding members to include at least
      ``min_great_powers`` COW major powers of that year other than the
      target (of the region, with ``region="europe"``), not to include the
      target, and one founding member to undertake one of the ``pacts``
      obligations.
    - **Against the target** (``against``), one of :data:`AGAINST`:

      - ``"named"`` (default): ATOP names the target as a specific threat of
        the alliance (``statthr1`` or ``statthr2`` of a founding member: the
        COW codes of up to two states named as threats, which the shipped
        ATOP 5.1 tables give for 121 of 789 alliances; ``specthrt`` says
        whether a threat is specified at all, 155 of 789, and states are
        named only for some of its codes). This is "against" in the treaty's
        own words. Its blind spot: treaties that name no state, such as NATO
        (1949), never count.
      - ``"defensive"``: a defence pact (``pacts`` defaults to
        ``("defense",)``) of great powers that excludes the target and is
        formed in a year in which the target is the leading land power. A
        structural reading that needs no named threat (NATO counts against
        the Soviet Union), but it cannot tell whom a pact is aimed at: under
        ``capability="milper"`` the 1882 Triple Alliance (ATOP names France)
        counts against Russia.
      - ``"without"``: any alliance of great powers formed without the target,
        leading or not. This is the count of equipoise before 0.2; it is not
        evidence of balancing against the target (under milper, the 1939
        German-Italian pact "balances" Russia), and is kept only to compare
        with earlier results.

    Parameters
    ----------
    threshold : float
        Share of the leading land power that marks a hegemonic threat.
    k : int
        Years after a threshold year in which alliances are counted.
    pacts : sequence of str, optional
        ATOP obligations that make an alliance count (any of ``PACTS``);
        default defence or offence, and defence only for
        ``against="defensive"``.
    against : {"named", "defensive", "without"}
        What makes a new alliance one formed against the target (above).
    capability : str
        NMC column measured (``"cinc"`` or a component such as ``"milper"``).
    members : {"all", "major"} or list of int
        States over which shares are computed.
    exclude : sequence of int
        COW codes that cannot be the leading land power.
    region : {"world", "europe"}
        Keep only the states of a region (:data:`REGIONS`).
    min_great_powers : int
        Other great powers an alliance must have among its founding members.
    lag : int
        Years between the leader's share and the alliances it should predict
        in the dose-response regression (``>= 0``).
    start, end : int, optional
        First and last year analysed (default: the NMC years, 1816-2016).
    nmc, majors, alliances : DataFrame, optional
        Tables shaped as :func:`~equipoise.history.load_nmc`,
        :func:`~equipoise.history.load_majors` and
        ``load_alliances("member")`` (default: the built-in copies).

    Returns
    -------
    DataFrame
        One row per measure. Columns: ``measure``, ``group``, ``estimate``,
        ``ci_low``, ``ci_high`` (95%), ``p_value`` (where a test applies),
        ``n_years``, ``years_with_alliance``, ``alliances``, ``method``.

        - ``rate_after`` and ``rate_base``: share of years with at least one
          new alliance against the target (Wilson interval via
          :func:`equipoise.metrics.wilson_interval`);
        - ``rate_difference`` (after minus base, Newcombe's hybrid score
          interval) and ``rate_ratio`` (after / base, Katz log interval, 0.5
          added to every cell when one is zero, and the bound at 0 or
          infinity on the side of a zero count), both with the p-value of
          Fisher's exact test;
        - ``alliances_per_year_after`` and ``alliances_per_year_base``
          (Poisson rates, exact Garwood interval) and ``alliance_rate_ratio``
          (exact interval and binomial test conditional on the total count);
        - ``dose_response_slope``: logistic regression (statsmodels) of "at
          least one new alliance against the land leader of ``lag`` years
          before" on that leader's share then, over every year that has one:
          the slope in log-odds per unit share, Wald interval and p-value;
          ``dose_response_odds_ratio_10pp`` is ``exp(0.1 * slope)``, the odds
          ratio for ten percentage points of share. Balancing predicts a
          positive slope. ``nan`` when the estimate does not exist (no
          alliance at all, or perfect separation);
        - ``coalition_size_after`` and ``coalition_size_base``: mean number
          of great powers (other than the target) among the founding members
          of the alliances counted in after and base years (t interval);
          ``coalition_size_correlation``: Spearman's rho between the target's
          share in the year of formation and that number, over every counted
          alliance (Fisher-z interval with the Bonett-Wright standard error;
          p-value of the rank test). Balancing predicts bigger coalitions
          against a stronger leader. The rows behind these are
          :func:`levy_thompson_alliances`.

        ``attrs`` holds every setting (threshold, k, pacts, against,
        capability, members, exclude, region, min_great_powers, lag, start,
        end). Years are not independent (the after windows overlap and
        alliances cluster in time), so the intervals are optimistic; see
        :func:`levy_thompson_data` for the year table.

    Warns
    -----
    UserWarning
        When the after or the base group has fewer than ``MIN_GROUP_YEARS``
        (30) years: its rate then rests on a handful of years, and a small
        change of ``k`` or ``threshold`` can empty or reverse the comparison
        (with ``capability="milper"`` the base group is 24 years).

    References
    ----------
    Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
        balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
        https://doi.org/10.1080/09636410591001465
    Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002).
        Alliance Treaty Obligations and Provisions, 1815-1944. *International
        Interactions*, 28(3), 237-260.
    Newcombe, R. G. (1998). Interval estimation for the difference between
        independent proportions. *Statistics in Medicine*, 17(8), 873-890.
    Bonett, D. G., & Wright, T. A. (2000). Sample size requirements for
        estimating Pearson, Kendall and Spearman correlations.
        *Psychometrika*, 65(1), 23-28.

    Examples
    --------
    >>> lt = levy_thompson()
    >>> lt["measure"].tolist()[:4]
    ['rate_after', 'rate_base', 'rate_difference', 'rate_ratio']
    >>> ok = lt["estimate"].notna()
    >>> bool((lt["ci_low"] <= lt["estimate"])[ok].all())
    True
    >>> lt.attrs["against"], lt.attrs["region"], lt.attrs["end"]
    ('named', 'world', 2016)
    """
    d, per_alliance = _levy_thompson_tables(
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
    counts = {}
    for g in ("after", "base"):
        rows = d[d["group"] == g]
        counts[g] = (
            len(rows),
            int((rows["n_alliances"] > 0).sum()),
            int(rows["n_alliances"].sum()),
        )
        if len(rows) < MIN_GROUP_YEARS:
            warnings.warn(
                f"levy_thompson: the {g!r} group has {len(rows)} years (fewer than "
                f"{MIN_GROUP_YEARS}); its rate is imprecise, and a small change of k or the "
                "threshold can empty or reverse the comparison",
                UserWarning,
                stacklevel=2,
            )
    (n1, e1, a1), (n2, e2, a2) = (
        tuple(np.float64(v) for v in counts[g]) for g in ("after", "base")
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = e1 / n1 if n1 else np.nan, e2 / n2 if n2 else np.nan
        l1, u1 = (float(v) for v in metrics.wilson_interval(e1, n1)) if n1 else (np.nan, np.nan)
        l2, u2 = (float(v) for v in metrics.wilson_interval(e2, n2)) if n2 else (np.nan, np.nan)
        diff = p1 - p2
        diff_lo = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        diff_hi = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        # Katz log interval for the ratio of proportions.
        c = 0.5 if 0 in (e1, e2, n1 - e1, n2 - e2) else 0.0
        rr = p1 / p2
        rr_c = ((e1 + c) / (n1 + 2 * c)) / ((e2 + c) / (n2 + 2 * c))
        se = np.sqrt(1 / (e1 + c) - 1 / (n1 + 2 * c) + 1 / (e2 + c) - 1 / (n2 + 2 * c))
        rr_lo, rr_hi = rr_c * np.exp(-_Z95 * se), rr_c * np.exp(_Z95 * se)
        if e1 == 0:
            rr_lo = 0.0
        if e2 == 0:
            rr_hi = np.inf
        # Poisson rates and their ratio (exact, conditional on the total count).
        r1, r2 = a1 / n1 if n1 else np.nan, a2 / n2 if n2 else np.nan
        pl1, pu1 = _poisson_interval(a1, n1)
        pl2, pu2 = _poisson_interval(a2, n2)
        irr = r1 / r2
        if a1 + a2 > 0 and n1 and n2:
            b_lo = stats.beta.ppf(0.025, a1, a2 + 1) if a1 > 0 else 0.0
            b_hi = stats.beta.ppf(0.975, a1 + 1, a2) if a2 > 0 else 1.0
            irr_lo = b_lo / (1 - b_lo) * n2 / n1
            irr_hi = b_hi / (1 - b_hi) * n2 / n1 if b_hi < 1 else np.inf
            irr_p = stats.binomtest(int(a1), int(a1 + a2), n1 / (n1 + n2)).pvalue
        else:
            irr_lo = irr_hi = irr_p = np.nan
    fisher_p = (
        float(stats.fisher_exact(np.array([[e1, n1 - e1], [e2, n2 - e2]], dtype=np.int64)).pvalue)
        if n1 and n2
        else np.nan
    )

    # Dose-response: every year with a land leader `lag` years before.
    has_dose = d["dose_target"].notna().to_numpy()
    x = d["dose_share"].to_numpy(dtype=np.float64)[has_dose]
    hit = d["dose_alliances"].to_numpy(dtype=np.int64)[has_dose]
    slope, slope_lo, slope_hi, slope_p = _logistic_dose_response(x, hit > 0)
    dose_counts = (int(has_dose.sum()), int((hit > 0).sum()), int(hit.sum()))

    # Coalition size: great powers among the founders of each counted alliance.
    size = {
        g: per_alliance.loc[per_alliance["group"] == g, "n_great_powers"].to_numpy(np.float64)
        for g in ("after", "base")
    }
    size_after, size_after_lo, size_after_hi = _mean_interval(size["after"])
    size_base, size_base_lo, size_base_hi = _mean_interval(size["base"])
    rho, rho_lo, rho_hi, rho_p = _spearman(
        per_alliance["target_share"].to_numpy(np.float64),
        per_alliance["n_great_powers"].to_numpy(np.float64),
    )

    na = pd.NA
    no_counts = (na, na, na)
    table = [
        ("rate_after", "after", p1, l1, u1, np.nan, *counts["after"], "Wilson score"),
        ("rate_base", "base", p2, l2, u2, np.nan, *counts["base"], "Wilson score"),
        (
            "rate_difference",
            "after - base",
            diff,
            diff_lo,
            diff_hi,
            fisher_p,
            *no_counts,
            "Newcombe hybrid; Fisher exact p",
        ),
        (
            "rate_ratio",
            "after / base",
            rr,
            rr_lo,
            rr_hi,
            fisher_p,
            *no_counts,
            "Katz log; Fisher exact p",
        ),
        (
            "alliances_per_year_after",
            "after",
            r1,
            pl1,
            pu1,
            np.nan,
            *counts["after"],
            "Poisson exact",
        ),
        ("alliances_per_year_base", "base", r2, pl2, pu2, np.nan, *counts["base"], "Poisson exact"),
        (
            "alliance_rate_ratio",
            "after / base",
            irr,
            irr_lo,
            irr_hi,
            irr_p,
            *no_counts,
            "exact cond.; binomial test",
        ),
        (
            "dose_response_slope",
            f"leader share at t-{lag}",
            slope,
            slope_lo,
            slope_hi,
            slope_p,
            *dose_counts,
            "logistic regression (statsmodels), Wald",
        ),
        (
            "dose_response_odds_ratio_10pp",
            f"leader share at t-{lag}",
            np.exp(0.1 * slope),
            np.exp(0.1 * slope_lo),
            np.exp(0.1 * slope_hi),
            slope_p,
            *dose_counts,
            "exp(0.1 x slope)",
        ),
        (
            "coalition_size_after",
            "after",
            size_after,
            size_after_lo,
            size_after_hi,
            np.nan,
            na,
            na,
            len(size["after"]),
            "mean great powers per alliance, t",
        ),
        (
            "coalition_size_base",
            "base",
            size_base,
            size_base_lo,
            size_base_hi,
            np.nan,
            na,
            na,
            len(size["base"]),
            "mean great powers per alliance, t",
        ),
        (
            "coalition_size_correlation",
            "all counted alliances",
            rho,
            rho_lo,
            rho_hi,
            rho_p,
            na,
            na,
            len(per_alliance),
            "Spearman rho with target share; Fisher z",
        ),
    ]
    out = pd.DataFrame(table, columns=_LT_COLUMNS)
    for col in ("estimate", "ci_low", "ci_high", "p_value"):
        out[col] = out[col].astype(np.float64)
    for col in ("n_years", "years_with_alliance", "alliances"):
        out[col] = out[col].astype("Int64")
    for col in ("measure", "group", "method"):
        out[col] = out[col].astype("string")
    out.attrs.update(d.attrs)
    return out


def internal_balancing_data(
    lag: int = 1,
    *,
    capability: str = "cinc",
    members: Members = "major",
    exclude: Sequence[int] = (),
    drop_years: Sequence[int] = (1914,),
    start: int | None = None,
    end: int | None = None,
    nmc: pd.DataFrame | None = None,
    majors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The state-year table behind :func:`internal_balancing`.

    Parameters are those of :func:`internal_balancing`.

    Returns
    -------
    DataFrame
        One row per other major power and year ``t``: ``year``, ``ccode``,
        ``stateabb``, ``growth`` (``log milex[t] - log milex[t-1]``),
        ``leader`` and ``leader_abb`` (the leader in year ``t - lag``),
        ``leader_share`` (its share in ``t - lag``) and
        ``leader_share_change`` (its share in ``t - lag`` minus its own share
        in ``t - lag - 1``).

    Examples
    --------
    >>> d = internal_balancing_data(start=1818, end=1818)
    >>> d[["stateabb", "leader_abb"]].values.tolist()
    [['FRN', 'UKG'], ['GMY', 'UKG'], ['AUH', 'UKG'], ['RUS', 'UKG']]
    """
    _check_positive_int("lag", lag, minimum=0)
    nmc = load_nmc() if nmc is None else nmc
    majors = load_majors() if majors is None else majors
    p, share, lead, lead_share, found = _leaders(
        nmc, capability, members, exclude, None, None, majors
    )
    years, codes = p.years, p.codes
    pos = {int(y): i for i, y in enumerate(years)}
    milex = capability_panel(nmc, "milex", "all", None, None, majors)
    if not np.array_equal(milex.codes, codes) or not np.array_equal(milex.years, years):
        raise ValueError("The 'nmc' table must give every state-year a row.")
    with np.errstate(invalid="ignore", divide="ignore"):
        logm = np.where(milex.caps > 0, np.log(milex.caps), np.nan)
    is_major = major_mask(years, codes, majors)
    drop = {int(y) for y in drop_years}
    lo = -np.inf if start is None else start
    hi = np.inf if end is None else end
    frames = []
    for i, year in enumerate(years):
        t = int(year)
        if not (lo <= t <= hi) or t in drop:
            continue
        prev, ref, ref_prev = pos.get(t - 1), pos.get(t - lag), pos.get(t - lag - 1)
        if prev is None or ref is None or ref_prev is None or not found[ref]:
            continue
        leader_col = lead[ref]
        if not p.alive[ref_prev, leader_col]:
            continue
        growth = logm[i] - logm[prev]
        keep = is_major[i] & is_major[prev] & np.isfinite(growth)
        keep[leader_col] = False
        cols = np.nonzero(keep)[0]
        if cols.size == 0:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "year": t,
                    "ccode": codes[cols],
                    "stateabb": p.abb[cols],
                    "growth": growth[cols],
                    "leader": int(codes[leader_col]),
                    "leader_abb": p.abb[leader_col],
                    "leader_share": float(lead_share[ref]),
                    "leader_share_change": float(
                        share[ref, leader_col] - share[ref_prev, leader_col]
                    ),
                }
            )
        )
    columns = [
        "year",
        "ccode",
        "stateabb",
        "growth",
        "leader",
        "leader_abb",
        "leader_share",
        "leader_share_change",
    ]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    out = out[columns].astype(
        {
            "year": np.int64,
            "ccode": np.int64,
            "stateabb": "string",
            "growth": np.float64,
            "leader": np.int64,
            "leader_abb": "string",
            "leader_share": np.float64,
            "leader_share_change": np.float64,
        }
    )
    return out


def _slope_and_r(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS slope of y on x and Pearson r from sums (n, x, y, xx, xy, yy) on the last axis."""
    n, sx, sy, sxx, sxy, syy = np.moveaxis(sums, -1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        vx = sxx - sx * sx / n
        vy = syy - sy * sy / n
        cxy = sxy - sx * sy / n
        slope = np.where(vx > 0, cxy / vx, np.nan)
        r = np.where((vx > 0) & (vy > 0), cxy / np.sqrt(vx * vy), np.nan)
    return slope, r


def internal_balancing(
    lag: int = 1,
    *,
    predictors: Sequence[str] = ("change", "level"),
    capability: str = "cinc",
    members: Members = "major",
    exclude: Sequence[int] = (),
    drop_years: Sequence[int] = (1914,),
    n_boot: int = 2000,
    seed: int | np.random.SeedSequence | np.random.Generator | None = 0,
    start: int | None = None,
    end: int | None = None,
    nmc: pd.DataFrame | None = None,
    majors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Test whether the other great powers arm faster when the leader's share rises.

    Internal balancing is arming by one's own means (Waltz 1979). The test
    regresses the year-on-year growth of the other great powers' military
    expenditure on the leader's capability share ``lag`` years earlier.

    Operationalisation (each choice is a parameter):

    - **Leader**: in each year, the state with the largest share of
      ``capability`` (CINC by default) among ``members`` (the COW major powers
      by default), leaving out ``exclude`` (nobody by default; pass
      :data:`SEA_POWERS` for the leading land power of :func:`levy_thompson`).
      Shares and the leader come from :mod:`equipoise.metrics`.
    - **Outcome**: for every other major power ``i`` (a major power in both
      ``t - 1`` and ``t``, other than the leader of ``t - lag``) with known,
      positive military expenditure, ``growth = log milex[i, t] -
      log milex[i, t - 1]``. Years whose leader was not among ``members``
      in ``t - lag - 1`` are left out. NMC ``milex`` is nominal (pounds
      sterling before 1914, US dollars from 1914), so growth into 1914
      crosses a change of unit and ``drop_years`` leaves it out.
    - **Predictors**: ``"change"``, the leader's share in ``t - lag`` minus
      the same state's share in ``t - lag - 1`` (the leader's share rising);
      ``"level"``, the leader's share in ``t - lag``.
    - **Estimates**: pooled OLS slope of growth on the predictor and the
      Pearson correlation, over state-years. Intervals are 95% percentile
      intervals from a bootstrap that resamples years (clusters, since every
      state in a year shares the predictor) ``n_boot`` times with a fixed
      ``seed``, so results are deterministic.

    A positive slope means faster arming by the others when the leader is
    stronger or gaining, as balancing predicts. The test is descriptive:
    world wars, inflation and common shocks move all states together. Read
    both predictors: on the built-in data (lag 1, CINC among the majors) the
    change slope is -0.33 [-2.48, 1.14], no effect, and the level slope is
    -0.66 [-1.08, -0.28], which runs *against* balancing (the others armed
    more slowly when the leader was stronger) and vanishes for the land
    leader or before 1914 (``docs/history.md``).

    Parameters
    ----------
    lag : int
        Years between the leader's share and the growth it should predict
        (``>= 0``).
    predictors : sequence of {"change", "level"}
        Which predictors to report.
    capability : str
        NMC column the shares are computed from.
    members : {"all", "major"} or list of int
        States over which shares are computed.
    exclude : sequence of int
        COW codes that cannot be the leader.
    drop_years : sequence of int
        Outcome years left out (default 1914, the change of currency unit).
    n_boot : int
        Bootstrap replications.
    seed : int, SeedSequence or Generator
        Seed of the bootstrap (default 0; ``None`` draws fresh entropy and
        warns).
    start, end : int, optional
        First and last outcome year.
    nmc, majors : DataFrame, optional
        Tables shaped as :func:`~equipoise.history.load_nmc` and
        :func:`~equipoise.history.load_majors` (default: the built-in copies).

    Returns
    -------
    DataFrame
        One row per predictor and measure (``slope``, ``correlation``):
        ``predictor``, ``measure``, ``estimate``, ``ci_low``, ``ci_high``,
        ``n`` (state-years), ``n_years``, ``lag``.

    References
    ----------
    Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
    Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
        balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
        uncertainty, and major power war, 1820-1965. In B. Russett (Ed.),
        *Peace, War, and Numbers* (pp. 19-48). Sage.

    Examples
    --------
    >>> ib = internal_balancing(n_boot=200)
    >>> ib[["predictor", "measure"]].values.tolist()
    [['change', 'slope'], ['change', 'correlation'], ['level', 'slope'], ['level', 'correlation']]
    >>> ib.equals(internal_balancing(n_boot=200))  # fixed seed: deterministic
    True
    """
    predictors = (predictors,) if isinstance(predictors, str) else tuple(predictors)
    column = {"change": "leader_share_change", "level": "leader_share"}
    bad = [x for x in predictors if x not in column]
    if not predictors or bad:
        raise ValueError(
            "The 'predictors' parameter must be a non-empty subset of change, level. "
            f"Got {predictors!r} instead."
        )
    _check_positive_int("n_boot", n_boot)
    if seed is None:
        seed = np.random.SeedSequence()
        warnings.warn(
            f"no seed given: the bootstrap is not reproducible unless you reuse "
            f"seed=np.random.SeedSequence({seed.entropy})",
            UserWarning,
            stacklevel=2,
        )
    d = internal_balancing_data(
        lag,
        capability=capability,
        members=members,
        exclude=exclude,
        drop_years=drop_years,
        start=start,
        end=end,
        nmc=nmc,
        majors=majors,
    )
    year_codes, year_index = np.unique(d["year"].to_numpy(), return_inverse=True)
    n_years = len(year_codes)
    rng = np.random.default_rng(seed)
    weights = (
        rng.multinomial(n_years, np.full(n_years, 1.0 / n_years), size=n_boot)
        if n_years
        else np.zeros((n_boot, 0))
    )
    y = d["growth"].to_numpy(dtype=np.float64)
    rows = []
    for name in predictors:
        x = d[column[name]].to_numpy(dtype=np.float64)
        terms = np.column_stack([np.ones_like(x), x, y, x * x, x * y, y * y])
        per_year = np.zeros((n_years, 6))
        np.add.at(per_year, year_index, terms)
        slope, r = _slope_and_r(per_year.sum(axis=0))
        boot_slope, boot_r = _slope_and_r(weights @ per_year)
        for measure, est, boot in (("slope", slope, boot_slope), ("correlation", r, boot_r)):
            finite = boot[np.isfinite(boot)]
            lo, hi = np.percentile(finite, [2.5, 97.5]) if finite.size else (np.nan, np.nan)
            rows.append((name, measure, float(est), float(lo), float(hi), len(d), n_years, lag))
    out = pd.DataFrame(rows, columns=_IB_COLUMNS)
    out["predictor"] = out["predictor"].astype("string")
    out["measure"] = out["measure"].astype("string")
    out.attrs.update(
        method=f"pooled OLS / Pearson r; year-cluster bootstrap percentile, {n_boot} draws",
        n_boot=int(n_boot),
    )
    return out
