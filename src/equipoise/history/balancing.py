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
test also has a ``*_data`` function returning the year or state-year table it
is computed from, so every number can be traced to the rows behind it.

References
----------
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
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

import numpy as np
import pandas as pd
from scipy import stats

from equipoise import metrics
from equipoise.history.loaders import load_alliances, load_majors, load_nmc
from equipoise.history.measures import Members, _Panel, _panel, major_mask

__all__ = [
    "PACTS",
    "SEA_POWERS",
    "internal_balancing",
    "internal_balancing_data",
    "levy_thompson",
    "levy_thompson_data",
]

#: COW codes of the states not counted as land powers by default: the USA (2)
#: and the United Kingdom (200), the offshore sea powers of the period.
SEA_POWERS: tuple[int, ...] = (2, 200)

#: ATOP obligation columns that can define an alliance.
PACTS: tuple[str, ...] = ("defense", "offense", "neutral", "nonagg", "consul")

_Z95 = float(stats.norm.ppf(0.975))

_LT_COLUMNS = [
    "measure",
    "group",
    "estimate",
    "ci_low",
    "ci_high",
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


def _leaders(
    nmc: pd.DataFrame,
    capability: str,
    members: Members,
    exclude: Sequence[int],
    start: int | None,
    end: int | None,
    majors: pd.DataFrame,
) -> tuple[_Panel, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Panel, shares, and the leading major power (not in ``exclude``) per year."""
    p = _panel(nmc, capability, members, start, end, majors)
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


def _majors_by_year(majors: pd.DataFrame) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for code, st, end in zip(majors["ccode"], majors["styear"], majors["endyear"], strict=True):
        for year in range(int(st), int(end) + 1):
            out.setdefault(year, set()).add(int(code))
    return out


def levy_thompson_data(
    threshold: float = 1 / 3,
    k: int = 5,
    pacts: Sequence[str] = ("defense", "offense"),
    *,
    capability: str = "cinc",
    members: Members = "major",
    exclude: Sequence[int] = SEA_POWERS,
    min_great_powers: int = 2,
    named_threat: bool = False,
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
        ``n_alliances`` and ``atopids`` (the qualifying new ATOP alliances).

    Examples
    --------
    >>> d = levy_thompson_data(start=1816, end=1830)
    >>> d.loc[1816, ["land_leader_abb", "group"]].tolist()
    ['RUS', 'base']
    """
    _check_threshold(threshold)
    _check_positive_int("k", k)
    _check_positive_int("min_great_powers", min_great_powers)
    pacts = _check_pacts(pacts)
    nmc = load_nmc() if nmc is None else nmc
    majors = load_majors() if majors is None else majors
    alliances = load_alliances("member") if alliances is None else alliances
    needed = ["atopid", "member", "yrent", *pacts]
    if named_threat:
        needed += ["statthr1", "statthr2"]
    missing = [c for c in needed if c not in alliances.columns]
    if missing:
        raise ValueError(
            "The 'alliances' table must be ATOP member-level data "
            f"(load_alliances('member')); missing column(s): {', '.join(missing)}."
        )

    p, _, lead, lead_share, found = _leaders(nmc, capability, members, exclude, start, end, majors)
    years = p.years
    above = found & (np.nan_to_num(lead_share) >= threshold)
    lead_code = np.where(found, p.codes[lead], -1)

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

    # New alliances: ATOP begin year (earliest entry of any member); founding
    # members are those who entered in that year.
    a = alliances[needed].dropna(subset=["atopid", "member", "yrent"])
    atopid = a["atopid"].to_numpy(dtype=np.int64)
    yrent = a["yrent"].to_numpy(dtype=np.int64)
    member = a["member"].to_numpy(dtype=np.int64)
    begin = pd.Series(yrent).groupby(atopid).transform("min").to_numpy(dtype=np.int64)
    obligation = np.zeros(len(a), dtype=bool)
    for pact in pacts:
        obligation |= a[pact].fillna(0).to_numpy(dtype=np.int64) == 1
    threat = (
        a[["statthr1", "statthr2"]].fillna(0).to_numpy(dtype=np.int64)
        if named_threat
        else np.zeros((len(a), 0), dtype=np.int64)
    )
    great = _majors_by_year(majors)
    founding = np.nonzero(yrent == begin)[0]
    founding = founding[np.argsort(atopid[founding], kind="stable")]
    per_year: dict[int, list[tuple[int, set[int], bool, set[int]]]] = {}
    for rows in np.split(founding, np.nonzero(np.diff(atopid[founding]))[0] + 1):
        if rows.size == 0:
            continue
        threats = {int(t) for t in threat[rows].ravel() if t > 0}
        per_year.setdefault(int(begin[rows[0]]), []).append(
            (
                int(atopid[rows[0]]),
                set(member[rows].tolist()),
                bool(obligation[rows].any()),
                threats,
            )
        )

    ids: list[tuple[int, ...]] = []
    for year, tgt in zip(years, target, strict=True):
        gp = great.get(int(year), set()) - {int(tgt)}
        chosen = tuple(
            aid
            for aid, mem, pact, threats in per_year.get(int(year), [])
            if pact
            and tgt >= 0
            and int(tgt) not in mem
            and len(mem & gp) >= min_great_powers
            and (not named_threat or int(tgt) in threats)
        )
        ids.append(chosen)

    def _abb(codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
        lookup = dict(zip(p.codes.tolist(), p.abb.tolist(), strict=True))
        return pd.array([lookup.get(int(c)) if c >= 0 else None for c in codes], dtype="string")

    def _code(codes: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.array([int(c) if c >= 0 else None for c in codes], dtype="Int64")

    return pd.DataFrame(
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
        },
        index=pd.Index(years, name="year"),
    )


def _poisson_interval(count: int, exposure: int, z: float = _Z95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson rate ``count / exposure``."""
    if exposure <= 0:
        return np.nan, np.nan
    alpha = 2 * stats.norm.sf(z)
    low = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return low / exposure, high / exposure


def levy_thompson(
    threshold: float = 1 / 3,
    k: int = 5,
    pacts: Sequence[str] = ("defense", "offense"),
    *,
    capability: str = "cinc",
    members: Members = "major",
    exclude: Sequence[int] = SEA_POWERS,
    min_great_powers: int = 2,
    named_threat: bool = False,
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
    years.

    Operationalisation (each choice is a parameter):

    - **Capabilities**: shares of ``capability`` (CINC by default) among
      ``members`` (the COW major powers of the year by default, as Levy &
      Thompson measure shares of great-power capabilities), computed with
      :func:`equipoise.metrics.shares`. Levy & Thompson measure army size in
      Europe; ``capability="milper"`` (military personnel) is the closer
      analogue in the NMC data.
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
    - **Alliances against the target**: new ATOP alliances counted in their
      begin year (earliest entry of any member) whose founding members (those
      entering in the begin year) include at least ``min_great_powers``
      COW major powers of that year other than the target, do not include
      the target, and of which a founding member undertakes one of the
      ``pacts`` obligations (defence or offence by default). With
      ``named_threat=True`` the target must also be named as a specific
      threat (ATOP ``statthr1``/``statthr2``).

    Parameters
    ----------
    threshold : float
        Share of the leading land power that marks a hegemonic threat.
    k : int
        Years after a threshold year in which alliances are counted.
    pacts : sequence of str
        ATOP obligations that make an alliance count (any of ``PACTS``).
    capability : str
        NMC column measured (``"cinc"`` or a component such as ``"milper"``).
    members : {"all", "major"} or list of int
        States over which shares are computed.
    exclude : sequence of int
        COW codes that cannot be the leading land power.
    min_great_powers : int
        Other great powers an alliance must have among its founding members.
    named_threat : bool
        Count only alliances that name the target as a threat.
    start, end : int, optional
        First and last year analysed (default: the NMC years, 1816-2016).
    nmc, majors, alliances : DataFrame, optional
        Tables shaped as :func:`~equipoise.history.load_nmc`,
        :func:`~equipoise.history.load_majors` and
        ``load_alliances("member")`` (default: the built-in copies).

    Returns
    -------
    DataFrame
        One row per measure: ``rate_after`` and ``rate_base`` (share of years
        with at least one new alliance against the target, Wilson 95%
        interval via :func:`equipoise.metrics.wilson_interval`),
        ``rate_difference`` (after minus base, Newcombe's hybrid score
        interval), ``rate_ratio`` (after / base, Katz log interval, 0.5 added
        to every cell when one is zero, and the bound at 0 or infinity on the
        side of a zero count), ``alliances_per_year_after`` and
        ``alliances_per_year_base`` (Poisson rates, exact Garwood interval)
        and ``alliance_rate_ratio`` (exact conditional interval). Columns:
        ``measure``, ``group``, ``estimate``, ``ci_low``, ``ci_high``,
        ``n_years``, ``years_with_alliance``, ``alliances``, ``method``.
        Years are not independent (the after windows overlap and alliances
        cluster in time), so the intervals are optimistic; see
        :func:`levy_thompson_data` for the year table.

    References
    ----------
    Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
        balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002).
        Alliance Treaty Obligations and Provisions, 1815-1944. *International
        Interactions*, 28(3), 237-260.
    Newcombe, R. G. (1998). Interval estimation for the difference between
        independent proportions. *Statistics in Medicine*, 17(8), 873-890.

    Examples
    --------
    >>> lt = levy_thompson()
    >>> lt["measure"].tolist()[:4]
    ['rate_after', 'rate_base', 'rate_difference', 'rate_ratio']
    >>> bool((lt["ci_low"] <= lt["estimate"]).all() and (lt["estimate"] <= lt["ci_high"]).all())
    True
    """
    d = levy_thompson_data(
        threshold,
        k,
        pacts,
        capability=capability,
        members=members,
        exclude=exclude,
        min_great_powers=min_great_powers,
        named_threat=named_threat,
        start=start,
        end=end,
        nmc=nmc,
        majors=majors,
        alliances=alliances,
    )
    counts = {}
    for g in ("after", "base"):
        rows = d[d["group"] == g]
        counts[g] = (
            len(rows),
            int((rows["n_alliances"] > 0).sum()),
            int(rows["n_alliances"].sum()),
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
        else:
            irr_lo = irr_hi = np.nan
    na = pd.NA
    table = [
        ("rate_after", "after", p1, l1, u1, *counts["after"], "Wilson score"),
        ("rate_base", "base", p2, l2, u2, *counts["base"], "Wilson score"),
        ("rate_difference", "after - base", diff, diff_lo, diff_hi, na, na, na, "Newcombe hybrid"),
        ("rate_ratio", "after / base", rr, rr_lo, rr_hi, na, na, na, "Katz log"),
        ("alliances_per_year_after", "after", r1, pl1, pu1, *counts["after"], "Poisson exact"),
        ("alliances_per_year_base", "base", r2, pl2, pu2, *counts["base"], "Poisson exact"),
        ("alliance_rate_ratio", "after / base", irr, irr_lo, irr_hi, na, na, na, "exact cond."),
    ]
    out = pd.DataFrame(table, columns=_LT_COLUMNS)
    for col in ("estimate", "ci_low", "ci_high"):
        out[col] = out[col].astype(np.float64)
    for col in ("n_years", "years_with_alliance", "alliances"):
        out[col] = out[col].astype("Int64")
    for col in ("measure", "group", "method"):
        out[col] = out[col].astype("string")
    out.attrs.update(threshold=float(threshold), k=int(k), pacts=tuple(pacts))
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
    milex = _panel(nmc, "milex", "all", None, None, majors)
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
    world wars, inflation and common shocks move all states together.

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
