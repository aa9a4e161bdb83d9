"""Tests of compared scenarios' hegemony rates, with the power of each test.

``equipoise compare`` and the report on a comparison test whether scenarios run on the same
seed differ in how often they end in hegemony. :func:`hegemony_tests` gives, for each pair
tested, Fisher's exact test (exact at any rate, where a normal approximation misleads near
0), Holm's adjustment when there are several tests, and two numbers that say what the test
could have seen (Cohen 1988): the smallest difference from the baseline's rate that the run's
replications detect with 80% power at the 5% level (two-sided), and, for the difference
observed, how many replications per scenario would detect it with that power. Both use the
normal approximation on Cohen's arcsine effect size ``h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0))``
(statsmodels' ``NormalIndPower``), which holds near 0 and 1 better than the raw difference.

Which pairs: every scenario against ``null`` when it is among them (the null world is the
baseline every strategy is measured against), else the two scenarios given against each
other; three or more scenarios without ``null`` have no baseline and get no test
(:func:`untested_reason` says so).

References
----------
Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.),
    chapter 6 (differences between proportions). Erlbaum.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65-70.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame(
...     {"replications": [200, 200], "hegemony_rate": [0.005, 0.03]},
...     index=pd.Index(["null", "balancers"], name="scenario"),
... )
>>> row = hegemony_tests(summary).iloc[0]
>>> row["scenario"], row["against"], round(float(row["p_value"]), 2)
('balancers', 'null', 0.12)
>>> round(float(row["detectable_rate"]), 3), int(row["replications_needed"])
(0.044, 368)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "ALPHA",
    "BASELINE",
    "POWER",
    "detectable_rates",
    "hegemony_tests",
    "holm",
    "replications_needed",
    "tested_pairs",
    "untested_reason",
]

#: The scenario every other is tested against when it is compared.
BASELINE = "null"
#: Level of the tests (two-sided) and the power of the power statements.
ALPHA = 0.05
POWER = 0.8

_COLUMNS = [
    "scenario",
    "against",
    "hegemonies",
    "replications",
    "rate",
    "against_hegemonies",
    "against_replications",
    "against_rate",
    "difference",
    "p_value",
    "p_holm",
    "detectable_difference",
    "detectable_rate",
    "detectable_rate_below",
    "replications_needed",
]


def tested_pairs(names: Sequence[str]) -> list[tuple[str, str]]:
    """The (scenario, baseline) pairs that :func:`hegemony_tests` tests, in order."""
    names = list(names)
    if BASELINE in names and len(names) > 1:
        return [(name, BASELINE) for name in names if name != BASELINE]
    if len(names) == 2:
        return [(names[0], names[1])]
    return []


def untested_reason(names: Sequence[str]) -> str | None:
    """Why scenarios compared get no test (``None`` when they get one)."""
    names = list(names)
    if tested_pairs(names):
        return None
    if len(names) < 2:
        return "one scenario: no other to test it against"
    return (
        f"{len(names)} scenarios and no '{BASELINE}' among them: no baseline to test each "
        f"against (add {BASELINE}, or compare two scenarios)"
    )


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's (1979) step-down adjusted p-values, in the order given.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def _smallest_h(n1: int, n0: int, alpha: float, power: float) -> float:
    """Cohen's h that ``n1`` against ``n0`` replications detect with ``power`` at ``alpha``."""
    from statsmodels.stats.power import NormalIndPower

    return float(
        NormalIndPower().solve_power(
            effect_size=None, nobs1=n1, alpha=alpha, power=power, ratio=n0 / n1
        )
    )


def detectable_rates(
    rate: float, n1: int, n0: int, alpha: float = ALPHA, power: float = POWER
) -> tuple[float, float | None]:
    """The rates a test of ``n1`` against ``n0`` replications tells from ``rate`` (80% power).

    Returns
    -------
    (above, below)
        The smallest rate above ``rate``, and the largest below it (``None`` when no rate
        below is far enough: a baseline near 0), that the test detects with ``power`` at
        level ``alpha``, two-sided.

    Examples
    --------
    >>> above, below = detectable_rates(0.5, 100, 100)
    >>> round(above, 3), round(below, 3)
    (0.693, 0.307)
    >>> detectable_rates(0.0, 200, 200)[1] is None
    True
    """
    h = _smallest_h(n1, n0, alpha, power)
    angle = math.asin(math.sqrt(min(max(rate, 0.0), 1.0)))
    up = angle + h / 2
    above = 1.0 if up >= math.pi / 2 else math.sin(up) ** 2
    down = angle - h / 2
    below = None if down < 0 else math.sin(down) ** 2
    return above, below


def replications_needed(
    rate: float, baseline: float, alpha: float = ALPHA, power: float = POWER
) -> float:
    """Replications per scenario that detect ``rate`` against ``baseline`` (80% power).

    ``inf`` when the rates are equal: no number of replications tells them apart.

    Examples
    --------
    >>> replications_needed(0.03, 0.005)
    368
    """
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    h = abs(float(proportion_effectsize(rate, baseline)))
    if h == 0:
        return math.inf
    n = NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power)
    return math.ceil(float(n))


def hegemony_tests(
    summary: pd.DataFrame, alpha: float = ALPHA, power: float = POWER
) -> pd.DataFrame:
    """Fisher's exact test of each tested pair's hegemony rates, with its power.

    Parameters
    ----------
    summary : DataFrame
        One row per scenario, indexed by name, with ``replications`` and ``hegemony_rate``
        (:meth:`equipoise.results.Result.summary`, concatenated).
    alpha, power : float
        Level (two-sided) and power of the power statements.

    Returns
    -------
    DataFrame
        One row per pair of :func:`tested_pairs` (none without a baseline): the counts
        and rates of both, ``difference`` (scenario minus baseline), ``p_value``,
        ``p_holm`` (Holm-adjusted over the tests; equal to ``p_value`` for one test),
        ``detectable_difference`` and ``detectable_rate`` (the smallest rise from the
        baseline's rate detected with ``power``), ``detectable_rate_below`` (the largest
        rate below it so detected; NaN if none) and ``replications_needed`` (per
        scenario, to detect the observed difference with ``power``; ``inf`` if the rates
        are equal).
    """
    from scipy.stats import fisher_exact

    names = [str(n) for n in summary.index]
    replications = dict(zip(names, summary["replications"].to_numpy(dtype=np.int64), strict=True))
    rates = dict(zip(names, summary["hegemony_rate"].to_numpy(dtype=np.float64), strict=True))
    rows = []
    for a, b in tested_pairs(names):
        na, nb = int(replications[a]), int(replications[b])
        ka, kb = round(float(rates[a]) * na), round(float(rates[b]) * nb)
        _, p = fisher_exact(np.array([[ka, na - ka], [kb, nb - kb]]))
        above, below = detectable_rates(kb / nb, na, nb, alpha, power)
        rows.append(
            {
                "scenario": a,
                "against": b,
                "hegemonies": ka,
                "replications": na,
                "rate": ka / na,
                "against_hegemonies": kb,
                "against_replications": nb,
                "against_rate": kb / nb,
                "difference": ka / na - kb / nb,
                "p_value": float(p),
                "detectable_difference": above - kb / nb,
                "detectable_rate": above,
                "detectable_rate_below": np.nan if below is None else below,
                "replications_needed": replications_needed(ka / na, kb / nb, alpha, power),
            }
        )
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table["p_holm"] = holm(table["p_value"].tolist()) if len(table) else []
    return table
