"""Internal balancing on the record: the other great powers' arming against a rising leader.

:func:`internal_balancing` regresses the growth of the other great powers'
military expenditure on the leader's capability share (Waltz 1979);
:func:`internal_balancing_data` gives the state-year table it is computed from.

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from equipoise.history.balancing import _check_positive_int, _leaders
from equipoise.history.loaders import load_majors, load_nmc
from equipoise.history.measures import Members, capability_panel, major_mask

__all__ = ["internal_balancing", "internal_balancing_data"]

_IB_COLUMNS = ["predictor", "measure", "estimate", "ci_low", "ci_high", "n", "n_years", "lag"]


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
      :data:`~equipoise.history.balancing.SEA_POWERS` for the leading land power
      of :func:`~equipoise.history.levy_thompson`).
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
