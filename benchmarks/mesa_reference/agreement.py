"""Do equipoise and the Mesa reference give the same outcome distributions?

Both are run on one scenario; their random numbers differ, so each run is a
sample of the model's outcome distribution, and the question is whether the two
samples could come from the same distribution. Per outcome:

- ``hegemony``: whether the replication reached hegemony (rate with its 95%
  Wilson interval; Fisher's exact test of equal rates);
- ``survivors``, ``concentration``, ``leader_share``: their values at the last
  step (mean with a 95% normal interval; Mann-Whitney U and two-sample
  Kolmogorov-Smirnov tests);
- ``wars``: wars started over the run (same tests).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from equipoise import Scenario, run
from equipoise.metrics import wilson_interval
from mesa_reference.model import run_replications

__all__ = ["OUTCOMES", "agreement", "equipoise_outcomes", "mesa_outcomes"]

OUTCOMES = ("hegemony", "survivors", "concentration", "leader_share", "wars")


def equipoise_outcomes(
    scenario: Scenario, replications: int, steps: int, seed: int
) -> pd.DataFrame:
    """One row of outcomes per equipoise replication, as :func:`mesa_outcomes` gives them."""
    ds = run(
        scenario, replications=replications, steps=steps, seed=seed, record_states=False
    ).dataset
    return pd.DataFrame(
        {
            "hegemony": ds["hegemony_onset"].values >= 0,
            "survivors": ds["survivors"].values[:, -1],
            "concentration": ds["concentration"].values[:, -1],
            "leader_share": ds["leader_share"].values[:, -1],
            "wars": ds["wars"].values[:, 1:].sum(axis=1),
        }
    )


def mesa_outcomes(scenario: Scenario, replications: int, steps: int, seed: int) -> pd.DataFrame:
    """One row of outcomes per Mesa replication."""
    frame = run_replications(scenario, replications, steps, seed)
    return pd.DataFrame(
        {
            "hegemony": frame["hegemony_onset"].to_numpy() >= 0,
            "survivors": frame["survivors"].to_numpy(),
            "concentration": frame["concentration"].to_numpy(),
            "leader_share": frame["leader_share"].to_numpy(),
            "wars": frame["wars"].to_numpy(),
        }
    )


def _interval(x: np.ndarray, rate: bool) -> tuple[float, float, float]:
    if rate:
        k = int(x.sum())
        lo, hi = wilson_interval(k, x.size)
        return k / x.size, float(lo), float(hi)
    mean = float(x.mean())
    half = 1.959963984540054 * float(x.std(ddof=1)) / np.sqrt(x.size) if x.size > 1 else np.inf
    return mean, mean - half, mean + half


def agreement(
    equipoise: pd.DataFrame, mesa: pd.DataFrame, outcomes: tuple[str, ...] = OUTCOMES
) -> pd.DataFrame:
    """Compare two samples of outcomes, one row per outcome.

    Returns
    -------
    DataFrame
        Columns ``equipoise``, ``eq_low``, ``eq_high``, ``mesa``, ``mesa_low``,
        ``mesa_high`` (estimate and 95% interval), ``overlap`` (the intervals
        overlap), ``p`` (Fisher's exact test for ``hegemony``, Mann-Whitney U
        otherwise) and ``p_ks`` (Kolmogorov-Smirnov; NaN for ``hegemony``).
    """
    rows = []
    for name in outcomes:
        a = equipoise[name].to_numpy()
        b = mesa[name].to_numpy()
        rate = name == "hegemony"
        ea, la, ha = _interval(a.astype(float), rate)
        eb, lb, hb = _interval(b.astype(float), rate)
        if rate:
            ka, kb = int(a.sum()), int(b.sum())
            p = stats.fisher_exact([[ka, a.size - ka], [kb, b.size - kb]]).pvalue
            p_ks = np.nan
        elif np.array_equal(np.unique(a), np.unique(b)) and np.unique(a).size == 1:
            p, p_ks = 1.0, 1.0  # both constant and equal
        else:
            p = stats.mannwhitneyu(a, b).pvalue
            p_ks = stats.ks_2samp(a, b).pvalue
        rows.append(
            {
                "outcome": name,
                "equipoise": ea,
                "eq_low": la,
                "eq_high": ha,
                "mesa": eb,
                "mesa_low": lb,
                "mesa_high": hb,
                "overlap": bool(la <= hb and lb <= ha),
                "p": float(p),
                "p_ks": float(p_ks),
            }
        )
    return pd.DataFrame(rows).set_index("outcome")
