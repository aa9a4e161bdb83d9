"""External balancing on the record: Levy & Thompson's test of alliances against a hegemon.

:func:`levy_thompson` compares how often the other great powers form new
alliances against the leading land power in the years after it held a third of
capabilities with the base rate in other years, fits the dose-response, and
asks whether coalitions grow with the leader they face. The year and alliance
tables behind it are in :mod:`equipoise.history.alliance_formation`.

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

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from equipoise import metrics
from equipoise.history.alliance_formation import _levy_thompson_tables
from equipoise.history.balancing import SEA_POWERS
from equipoise.history.measures import Members

__all__ = ["levy_thompson"]

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
    - **Against the target** (``against``), one of
      :data:`~equipoise.history.alliance_formation.AGAINST`:

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
        Keep only the states of a region (:data:`~equipoise.history.balancing.REGIONS`).
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
          :func:`~equipoise.history.levy_thompson_alliances`.

        ``attrs`` holds every setting (threshold, k, pacts, against,
        capability, members, exclude, region, min_great_powers, lag, start,
        end). Years are not independent (the after windows overlap and
        alliances cluster in time), so the intervals are optimistic; see
        :func:`~equipoise.history.levy_thompson_data` for the year table.

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
