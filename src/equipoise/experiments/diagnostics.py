"""Whether a sweep's sensitivity indices can be trusted, and what would make them so.

A Sobol' index is a share of variance, so it lies in [0, 1]; an estimate outside that range,
or one whose bootstrap interval is wider than the index itself, says that the design is too
small for the outcome, not something about the model. Two things make it so:

- **Too few base samples** (Sobol' N, Morris trajectories r): the bootstrap interval narrows
  as ``1/sqrt(N)``, so the N that would bring the widest half-width down to a target is
  ``N * (half-width / target)^2`` (SALib's advice: raise N until the indices settle;
  Sarrazin et al. 2016 on convergence).
- **Too rare an outcome for the replications per point**: the per-point hegemony rate is a
  binomial estimate whose sampling variance ``p(1-p)/R`` is part of the variance the indices
  decompose. When that noise makes up most of the variance across points, the indices
  apportion noise (EMA Workbench's practice is to check the share of the outcome that
  replications leave unexplained before reading them). Since the noise falls as ``1/R``,
  the replications that would cut it to a tenth of the variance are
  ``9 R noise / (variance - noise)``.

:func:`index_checks` flags each index; :func:`sensitivity_warnings` says, in a line per
outcome that needs one, what is wrong and what design would do.

References
----------
Sarrazin, F., Pianosi, F., & Wagener, T. (2016). Global sensitivity analysis of
    environmental models: convergence and validation. *Environmental Modelling & Software*
    79, 135-152. https://doi.org/10.1016/j.envsoft.2016.02.005

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"outcome": ["y", "y"], "parameter": ["a", "b"],
...                       "S1": [0.7, -0.2], "S1_conf": [0.05, 0.3],
...                       "ST": [0.8, 1.1], "ST_conf": [0.05, 0.7]})
>>> index_checks(table, "sobol")
['ok', 'S1 wide, <0; ST wide, >1']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "HALF_WIDTH_TARGET",
    "NOISE_SHARE_LIMIT",
    "index_checks",
    "noise_share",
    "sensitivity_warnings",
]

#: Half-width of a Sobol' index's 95% interval that counts as settled; Morris mu*: this share
#: of the largest mu* of the outcome.
HALF_WIDTH_TARGET = 0.05
#: Share of an outcome's variance across points that sampling noise may make up before its
#: indices are said to measure mostly noise.
NOISE_SHARE_LIMIT = 0.5
#: An index's half-width beyond which its outcome gets a warning (Sobol'; Morris: this
#: share of the largest mu*).
_WARN_HALF_WIDTH = 0.1


def _columns(design: str) -> list[tuple[str, str]]:
    return (
        [("S1", "S1_conf"), ("ST", "ST_conf")]
        if design == "sobol"
        else [("mu_star", "mu_star_conf")]
    )


def index_checks(table: pd.DataFrame, design: str) -> list[str]:
    """A check for each row of a sensitivity table: ``ok`` if its indices look sound.

    ``wide``: the 95% interval is wider than the index (it cannot be told from zero, nor
    from twice itself); ``<0``, ``>1``: a Sobol' index outside [0, 1], which a share of
    variance cannot be. Rows without an index (a constant outcome) get ``—``.
    """
    out = []
    for _, row in table.iterrows():
        parts = []
        measured = False
        for value, conf in _columns(design):
            v, c = float(row.get(value, np.nan)), float(row.get(conf, np.nan))
            if math.isnan(v):
                continue
            measured = True
            flags = []
            if not math.isnan(c) and 2 * c > abs(v):
                flags.append("wide")
            if design == "sobol" and v < 0:
                flags.append("<0")
            if design == "sobol" and v > 1:
                flags.append(">1")
            if flags:
                parts.append(f"{value} {', '.join(flags)}")
        out.append("; ".join(parts) or ("ok" if measured else "—"))
    return out


def noise_share(hits: np.ndarray, trials: np.ndarray) -> float:
    """Share of the per-point rates' variance that binomial sampling noise makes up.

    ``mean(p_i (1 - p_i) / (R_i - 1)) / var(p_i)`` (each term an unbiased estimate), at most
    1; NaN when the rates do not vary.

    Examples
    --------
    >>> noise_share(np.array([0, 1, 0, 1]), np.array([40, 40, 40, 40]))   # all noise
    1.0
    >>> round(noise_share(np.array([0, 40, 0, 40]), np.array([40, 40, 40, 40])), 3)
    0.0
    """
    hits = np.asarray(hits, dtype=np.float64)
    trials = np.asarray(trials, dtype=np.float64)
    p = hits / trials
    total = float(np.var(p, ddof=1)) if p.size > 1 else 0.0
    if total <= 0:
        return math.nan
    noise = float(np.mean(p * (1 - p) / np.maximum(trials - 1, 1)))
    return min(1.0, noise / total)


def _power_of_two(n: float) -> int:
    return int(2 ** math.ceil(math.log2(max(n, 1.0))))


def _sample_warning(table: pd.DataFrame, outcome: str, design: str, samples: int) -> str | None:
    """The line about ``outcome``'s indices when they are too uncertain, else ``None``.

    Said when an index lies outside [0, 1] or the widest interval is wider than
    ``_WARN_HALF_WIDTH``; it says whether the ranking by total effect (Morris: mu*) still
    holds, the widest interval, and the base samples (trajectories) that would narrow it to
    ``HALF_WIDTH_TARGET``.
    """
    rows = table[table["outcome"] == outcome]
    if design == "sobol":
        values = rows[["S1", "ST"]].to_numpy(np.float64)
        confs = rows[["S1_conf", "ST_conf"]].to_numpy(np.float64)
        names = [f"{c} of {p}" for p in rows["parameter"] for c in ("S1", "ST")]
        rank, rank_conf = values[:, 1], confs[:, 1]
        target, limit = HALF_WIDTH_TARGET, _WARN_HALF_WIDTH
        outside = int(np.sum((values < 0) | (values > 1)))
    else:
        values = rows[["mu_star"]].to_numpy(np.float64)
        confs = rows[["mu_star_conf"]].to_numpy(np.float64)
        names = [f"mu* of {p}" for p in rows["parameter"]]
        rank, rank_conf = values[:, 0], confs[:, 0]
        largest = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else math.nan
        if not math.isfinite(largest) or largest == 0:
            return None
        target, limit = HALF_WIDTH_TARGET * largest, _WARN_HALF_WIDTH * largest
        outside = 0
    flat = confs.reshape(-1)
    if not np.isfinite(flat).any() or not np.isfinite(rank).any():
        return None
    k = int(np.nanargmax(flat))
    widest = float(flat[k])
    if widest <= limit and not outside:
        return None
    top = int(np.nanargmax(rank))
    others = np.delete(np.arange(rank.size), top)
    clear = bool(
        others.size == 0 or np.all(rank[top] - rank_conf[top] > rank[others] + rank_conf[others])
    )
    what = "base samples" if design == "sobol" else "trajectories"
    needed = samples * (widest / target) ** 2
    needed_text = f"{_power_of_two(needed):,}" if design == "sobol" else f"{math.ceil(needed):,}"
    problem = f"the widest 95% interval is ±{widest:.2g} ({names[k]})"
    if outside:
        plural = "index is" if outside == 1 else "indices are"
        problem = f"{outside} {plural} outside [0, 1] and {problem}"
    verdict = (
        f"the ranking holds ({rows['parameter'].iloc[top]} first) but the values are rough"
        if clear
        else "too wide to rank the parameters"
    )
    return (
        f"{outcome}: {problem}: {verdict}; about {needed_text} {what} instead of {samples} "
        f"would narrow it to ±{target:.2g} (intervals narrow as 1/√N; raise N until the "
        "indices settle)"
    )


def sensitivity_warnings(
    table: pd.DataFrame, points: pd.DataFrame, design: str, samples: int, replications: int
) -> list[str]:
    """What makes a sweep's indices unreliable, and the design that would do: one line each.

    Parameters
    ----------
    table : DataFrame
        The sensitivity table (``Analysis.sensitivity``).
    points : DataFrame
        Outcomes per point, with ``hegemonies`` and ``replications``.
    design : {"sobol", "morris"}
    samples : int
        Base samples (Sobol' N) or trajectories (Morris r) of the design.
    replications : int
        Replications per point.
    """
    out = []
    hits = points["hegemonies"].to_numpy(np.float64)
    trials = points["replications"].to_numpy(np.float64)
    share = noise_share(hits, trials)
    if math.isfinite(share) and share > NOISE_SHARE_LIMIT:
        rate = hits.sum() / trials.sum()
        p = hits / trials
        total = float(np.var(p, ddof=1))
        noise = float(np.mean(p * (1 - p) / np.maximum(trials - 1, 1)))
        signal = total - noise
        if signal > 0:
            needed = math.ceil(9 * replications * noise / signal)
            advice = (
                f"about {needed:,} replications per point instead of {replications} would cut "
                "the noise to a tenth of the variance"
            )
        else:
            advice = (
                "the rates vary no more than noise would make them: use many more "
                "replications per point, or a design where hegemony is more common"
            )
        out.append(
            f"hegemony_rate: hegemony occurs in {100 * rate:.2g}% of replications (about "
            f"{rate * replications:.2g} per point of {replications}), so sampling noise makes "
            f"up about {100 * share:.0f}% of the rate's variance across points and its indices "
            f"(and time_to_hegemony's) measure mostly noise; {advice}"
        )
    for outcome in dict.fromkeys(table["outcome"]):
        line = _sample_warning(table, str(outcome), design, samples)
        if line is not None:
            out.append(line)
    return out
