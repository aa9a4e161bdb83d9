"""Do equipoise and its Mesa twin give the same outcome distributions?

The two implementations draw different random numbers, so each replication is
one sample of the model's outcome distribution and the question is whether the
two samples could come from one distribution. Every outcome is one number per
replication, so the replications of each sample are independent:

- ``hegemony``: whether the replication reached hegemony (rate with its
  Wilson interval; Fisher's exact test);
- ``survivors``, ``concentration``, ``leader_share``: at the last step;
- ``war_onsets``, ``battles``: per step over the run;
- ``war_participants``, ``war_battles``, ``war_size``: means over the
  replication's wars (participants, battles, and military destroyed relative
  to the system's military at onset);
- ``largest_territory``: provinces held by the largest state at the last step.

Continuous outcomes get a mean with a normal interval, a Mann-Whitney U test
and a two-sample Kolmogorov-Smirnov test. With ``m`` p-values in all, an
outcome differs (:func:`rejects`) if a test rejects equality at ``alpha / m``
or the two intervals of level ``1 - alpha / m`` do not overlap (Bonferroni).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

from equipoise import Scenario, run
from equipoise.metrics import wilson_interval
from mesa_reference.model import GeoSimTwin

__all__ = [
    "OUTCOMES",
    "WAR_OUTCOMES",
    "agreement",
    "equipoise_outcomes",
    "p_value_count",
    "rejects",
    "twin_outcomes",
]

#: Outcomes measured once per replication.
OUTCOMES: tuple[str, ...] = (
    "hegemony",
    "survivors",
    "concentration",
    "leader_share",
    "war_onsets",
    "battles",
    "war_participants",
    "war_battles",
    "war_size",
    "largest_territory",
)
#: The outcomes that summarise a replication's wars (undefined without a war).
WAR_OUTCOMES: tuple[str, ...] = ("war_participants", "war_battles", "war_size")


def _war_means(wars: pd.DataFrame, replications: int) -> pd.DataFrame:
    """Mean participants, battles and relative size of each replication's wars (NaN: none)."""
    frame = pd.DataFrame(
        {
            "replication": wars["replication"].to_numpy(dtype=np.int64),
            "war_participants": wars["participants"].to_numpy(dtype=np.float64),
            "war_battles": wars["battles"].to_numpy(dtype=np.float64),
            "war_size": (wars["size"] / wars["world_military"]).to_numpy(dtype=np.float64),
        }
    )
    means = frame.groupby("replication")[list(WAR_OUTCOMES)].mean()
    return means.reindex(range(replications))


def equipoise_outcomes(
    scenario: Scenario, replications: int, steps: int, seed: int
) -> pd.DataFrame:
    """One row of :data:`OUTCOMES` per equipoise replication."""
    result = run(scenario, replications=replications, steps=steps, seed=seed)
    ds = result.dataset
    wars = result.wars.copy()
    wars["replication"] = wars["replication"].to_numpy() - int(ds["replication"].values[0])
    frame = pd.DataFrame(
        {
            "hegemony": ds["hegemony_onset"].values >= 0,
            "survivors": ds["survivors"].values[:, -1].astype(np.float64),
            "concentration": ds["concentration"].values[:, -1],
            "leader_share": ds["leader_share"].values[:, -1],
            "war_onsets": ds["war_onsets"].values[:, 1:].mean(axis=1),
            "battles": ds["battles"].values[:, 1:].mean(axis=1),
            "largest_territory": ds["provinces"].values[:, -1].max(axis=1).astype(np.float64),
        }
    )
    return frame.join(_war_means(wars, replications))[list(OUTCOMES)]


def twin_outcomes(
    scenario: Scenario,
    replications: int,
    steps: int,
    seed: int,
    model: type[GeoSimTwin] = GeoSimTwin,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """One row of :data:`OUTCOMES` per replication of the Mesa twin (or a variant ``model``).

    Replication ``r`` seeds its ``model.rng`` with the ``r``-th child of
    ``numpy.random.SeedSequence(seed)``.
    """
    rows = []
    war_frames = []
    for r, child in enumerate(np.random.SeedSequence(seed).spawn(replications)):
        twin = model(scenario, rng=np.random.default_rng(child))
        twin.run_for(steps)
        series = twin.datacollector.get_model_vars_dataframe()
        held = max(s.provinces for s in twin.agents)
        rows.append(
            {
                "hegemony": twin.hegemony_onset >= 0,
                "survivors": float(series["survivors"].iloc[-1]),
                "concentration": float(series["concentration"].iloc[-1]),
                "leader_share": float(series["leader_share"].iloc[-1]),
                "war_onsets": float(series["war_onsets"].iloc[1:].mean()),
                "battles": float(series["battles"].iloc[1:].mean()),
                "largest_territory": float(held),
            }
        )
        wars = twin.war_table()
        wars["replication"] = r
        war_frames.append(wars)
        if progress is not None:
            progress(1)
    frame = pd.DataFrame(rows)
    wars = pd.concat(war_frames, ignore_index=True)
    return frame.join(_war_means(wars, replications))[list(OUTCOMES)]


def _interval(x: np.ndarray, rate: bool, z: float) -> tuple[float, float, float]:
    if rate:
        k = int(x.sum())
        lo, hi = wilson_interval(k, x.size, z)
        return k / x.size, float(lo), float(hi)
    mean = float(x.mean())
    half = z * float(x.std(ddof=1)) / np.sqrt(x.size)
    return mean, mean - half, mean + half


def p_value_count(outcomes: tuple[str, ...] = OUTCOMES) -> int:
    """Number of p-values :func:`agreement` computes (the Bonferroni divisor)."""
    return sum(1 if name == "hegemony" else 2 for name in outcomes)


def agreement(
    equipoise: pd.DataFrame,
    twin: pd.DataFrame,
    outcomes: tuple[str, ...] = OUTCOMES,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Compare two samples of outcomes, one row per outcome.

    The intervals have level ``1 - alpha / m`` with ``m`` the number of tests
    (:func:`p_value_count`), Bonferroni-corrected like the tests.

    Returns
    -------
    DataFrame
        ``equipoise``, ``eq_low``, ``eq_high``, ``mesa``, ``mesa_low``,
        ``mesa_high`` (estimate and interval), ``overlap`` (the intervals
        overlap), ``p`` (Fisher's exact test for ``hegemony``, Mann-Whitney U
        otherwise) and ``p_ks`` (two-sample Kolmogorov-Smirnov; NaN for
        ``hegemony``). Replications without a war are left out of the war outcomes.
    """
    z = float(stats.norm.isf(alpha / p_value_count(outcomes) / 2))
    rows = []
    for name in outcomes:
        a = equipoise[name].dropna().to_numpy(dtype=np.float64)
        b = twin[name].dropna().to_numpy(dtype=np.float64)
        rate = name == "hegemony"
        ea, la, ha = _interval(a, rate, z)
        eb, lb, hb = _interval(b, rate, z)
        if rate:
            ka, kb = int(a.sum()), int(b.sum())
            p = float(stats.fisher_exact(np.array([[ka, a.size - ka], [kb, b.size - kb]])).pvalue)
            p_ks = np.nan
        elif np.unique(np.concatenate([a, b])).size == 1:
            p, p_ks = 1.0, 1.0  # both constant and equal
        else:
            p = float(stats.mannwhitneyu(a, b).pvalue)
            p_ks = float(stats.ks_2samp(a, b).pvalue)
        rows.append(
            {
                "outcome": name,
                "n_equipoise": a.size,
                "n_mesa": b.size,
                "equipoise": ea,
                "eq_low": la,
                "eq_high": ha,
                "mesa": eb,
                "mesa_low": lb,
                "mesa_high": hb,
                "overlap": bool(la <= hb and lb <= ha),
                "p": p,
                "p_ks": p_ks,
            }
        )
    return pd.DataFrame(rows).set_index("outcome")


def rejects(table: pd.DataFrame, alpha: float = 0.05) -> pd.Series:
    """Per outcome, whether the comparison tells the two samples apart.

    An outcome differs if its intervals do not overlap or either of its tests
    rejects equality at the Bonferroni-corrected level ``alpha / m``.
    """
    level = alpha / p_value_count(tuple(table.index))
    return (~table["overlap"]) | (table["p"] < level) | (table["p_ks"].fillna(1.0) < level)
