"""The whole system's answer at the calibrated posterior, decomposed (docs/findings.md 10).

    python scripts/findings_posterior_system.py CALIBRATION [--pairs N] [--draws N] [--out DIR]

CALIBRATION is a finished ``equipoise calibrate --system`` (1816-1914, treaties; the one of
docs/calibrate.md). From history's whole system of 1816 and of 1919 (every later state
entering on its COW date: ``counterfactual(..., system=True)``), to 2016, at ``--draws``
posterior draws (``--pairs`` pairs of replications, replication r at draw r mod draws, common
random numbers): P(one state holds half of all capability for ten years by 2016) and the
leader's peak share of all capability with balancing as it is, in the null world (no state
balances), without each form of balancing (arming, alliances, sanctions), with every state
passing the buck, and without uneven growth (no catch-up, no trend differences). Paired
differences (intervention minus as it is) with 95% intervals over pairs, and the share of the
null world's difference that each removal recovers, ``(P_X - P_as_is) / (P_null - P_as_is)``,
with a paired bootstrap interval (2,000 resamples of the pairs; a resample whose null-world
difference is exactly 0 has no ratio and is left out), reported where the null world's
difference is clear of zero.

Then how the effects depend on the posterior: Spearman's rho, over the draws, of each draw's
mean difference with each parameter, and the effect of the null world within the lower and
upper thirds of each parameter's posterior draws (where it changes sign, the finding is
fragile inside the posterior).

Last, who the hegemons are: 300 runs from 1816 at posterior draws (three at each of 100
draws), the state that reaches hegemony and the year (``--part hegemons`` runs only this).

Writes ``posterior-decomposition.csv``, ``posterior-dependence.csv`` and
``posterior-hegemons.csv`` (each name with ``--suffix`` before ``.csv``) to ``--out``
(default ``docs/findings-data``) and prints them as
Markdown. Seeds are fixed.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from equipoise import run
from equipoise.calibrate import load_calibration
from equipoise.calibrate.counterfactual import counterfactual
from equipoise.calibrate.parameters import apply_parameters
from equipoise.history import scenario_from_history
from findings_rivals import markdown  # scripts/ is on the path when a script runs

SEED = 20261207
YEARS = (1816, 1919)
#: The worlds compared with balancing as it is, by their counterfactual edits.
WORLDS = {
    "null world (no state balances)": "null",
    "without arming": "no-arming",
    "without alliances": "no-alliances",
    "without sanctions": "no-sanctions",
    "every state passes the buck": "buck-passing",
    "without uneven growth": "growth.convergence_rate=0; growth.growth_dispersion=0",
}
OUTCOMES = ("hegemony", "leader_peak_share", "war_onsets")
RESAMPLES = 2000


def _share(null: pd.DataFrame, other: pd.DataFrame, rng: np.random.Generator) -> list[float]:
    """``(P_X - P_as_is) / (P_null - P_as_is)`` and its paired bootstrap 95% interval."""
    base = null["hegemony_baseline"].to_numpy()
    h0 = null["hegemony_intervention"].to_numpy()
    hx = other["hegemony_intervention"].to_numpy()
    n = base.size
    difference = h0 - base
    half = 1.96 * difference.std(ddof=1) / np.sqrt(n)
    if abs(difference.mean()) <= half:  # the null world's difference is not clear of zero
        return [float("nan")] * 3
    point = (hx.mean() - base.mean()) / difference.mean()
    ratios = []
    for _ in range(RESAMPLES):
        i = rng.integers(0, n, n)
        denominator = h0[i].mean() - base[i].mean()
        if denominator != 0:
            ratios.append((hx[i].mean() - base[i].mean()) / denominator)
    low, high = np.quantile(ratios, [0.025, 0.975])
    return [float(point), float(low), float(high)]


def hegemons(calibration: Path, draws: int = 100, per_draw: int = 3) -> pd.DataFrame:
    """The runs from 1816 that reach hegemony at posterior draws: who and when."""
    cal = load_calibration(calibration)
    base = scenario_from_history(1816, states="all", entries=True)
    factor = cal.reach_factor(base)  # the same kilometres on the map of 1816-2016
    names = base.state_names()
    rows = []
    for k, row in cal.draws(draws, seed=SEED).iterrows():
        values = {p: float(row[p]) for p in cal.names}
        values["power.reach"] *= factor
        reps = range(int(k) * per_draw, (int(k) + 1) * per_draw)
        ds = run(apply_parameters(base, values), reps, 2016 - 1816 + 1, SEED).dataset
        for r, onset in zip(reps, ds["hegemony_onset"].values, strict=True):
            if onset >= 0:
                leader = int(ds["leader"].values[r - reps.start, onset])
                rows.append({"draw": int(k), "replication": r, "state": names[leader],
                             "onset": 1816 + int(onset) - 1})  # fmt: skip
    out = pd.DataFrame(rows, columns=["draw", "replication", "state", "onset"])
    out.attrs["runs"] = draws * per_draw
    return out


def main() -> None:
    """Run the counterfactuals and print and write their tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("calibration", type=Path)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    parser.add_argument("--part", choices=["all", "hegemons"], default="all")
    parser.add_argument("--suffix", default="", help="appended to the files' names")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    who = hegemons(args.calibration)
    who.to_csv(args.out / f"posterior-hegemons{args.suffix}.csv", index=False)
    counts = who["state"].value_counts()
    print(
        f"hegemony from 1816 at posterior draws: {len(who)} of {who.attrs['runs']} runs; "
        + ", ".join(f"{state} {n}" for state, n in counts.items())
        + f"; onsets {who['onset'].min()}-{who['onset'].max()}, median {who['onset'].median()}"
    )
    if args.part == "hegemons":
        return
    rng = np.random.default_rng(SEED)
    # a draw-level effect that is the same at every draw has no rank correlation: nan
    warnings.filterwarnings("ignore", message="An input array is constant")
    rows, dependence = [], []
    for year in YEARS:
        results = {}
        for label, edit in WORLDS.items():
            started = time.perf_counter()
            cf = counterfactual(
                year,
                edit,
                system=True,
                posterior=args.calibration,
                replications=args.pairs,
                draws=args.draws,
                seed=SEED,
            )
            results[label] = cf
            print(f"{year} {label}: {time.perf_counter() - started:.0f} s", flush=True)
        null = results["null world (no state balances)"]
        for label, cf in results.items():
            summary = cf.summary.set_index("outcome")
            row = {"start": year, "world": label}
            for outcome in OUTCOMES:
                s = summary.loc[outcome]
                row[f"{outcome}_as_is"] = float(s["baseline"])
                row[f"{outcome}"] = float(s["intervention"])
                row[f"{outcome}_difference"] = float(s["difference"])
                row[f"{outcome}_low"] = float(s["low"])
                row[f"{outcome}_high"] = float(s["high"])
            share = _share(null.pairs, cf.pairs, rng)
            row.update({"share_of_null": share[0], "share_low": share[1], "share_high": share[2]})
            rows.append(row)
            params = [c for c in cf.by_draw.columns if "." in c]  # the calibrated ones
            for p in params:
                for outcome in ("hegemony", "leader_peak_share"):
                    rho, pvalue = spearmanr(cf.by_draw[p], cf.by_draw[outcome])
                    lower = cf.by_draw[p] <= cf.by_draw[p].quantile(1 / 3)
                    upper = cf.by_draw[p] >= cf.by_draw[p].quantile(2 / 3)
                    dependence.append(
                        {
                            "start": year,
                            "world": label,
                            "parameter": p,
                            "outcome": outcome,
                            "rho": float(rho),
                            "p": float(pvalue),
                            "effect_lower_third": float(cf.by_draw.loc[lower, outcome].mean()),
                            "effect_upper_third": float(cf.by_draw.loc[upper, outcome].mean()),
                        }
                    )
    table = pd.DataFrame(rows)
    dep = pd.DataFrame(dependence)
    table.to_csv(
        args.out / f"posterior-decomposition{args.suffix}.csv", index=False, float_format="%.6g"
    )
    dep.to_csv(
        args.out / f"posterior-dependence{args.suffix}.csv", index=False, float_format="%.6g"
    )
    print(markdown(table.round(4)))
    strong = dep[dep["p"] < 0.001].sort_values(["start", "world", "p"])
    print(markdown(strong.round(4)))


if __name__ == "__main__":
    main()
