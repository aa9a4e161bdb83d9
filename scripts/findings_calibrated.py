"""The calibrated numbers of docs/findings.md (section 5), from one command.

    python scripts/findings_calibrated.py [--out DIR] [--calibration DIR] [--pairs N]

1. **Calibration** of the default parameters (docs/calibrate.md) to the five great powers
   of 1816, 1816-1914, by ABC-SMC in one process (reproducible: seed of the scenario), budget
   20,000 simulations, population 500; written to ``--calibration`` (default
   ``equipoise-results/calibrate-findings``; an existing finished calibration there is reused:
   the same call resumes it with nothing to do).
2. **Counterfactuals from 1816 to 2016** at the posterior (100 draws, ``--pairs`` paired
   replications, default 1,000, common random numbers): balancing as it is against the null
   world (``null``: no state balances), and against each form of balancing removed
   (``no-alliances``, ``no-sanctions``, ``no-arming``) or replaced by buck-passing.

Prints the posterior, the posterior predictive check and a Markdown table of the paired
differences in the probability of hegemony by 2016 (intervention minus balancing as it is,
with 95% intervals over pairs), and how that difference depends on the posterior: Spearman's
rho, over the 100 draws, of each draw's mean difference (10 pairs) with each parameter. Tables
are written as CSV to ``DIR`` (default ``docs/findings-data``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
from scipy.stats import spearmanr

from equipoise.calibrate import calibrate
from equipoise.calibrate.counterfactual import counterfactual

INTERVENTIONS = ("null", "no-alliances", "no-sanctions", "no-arming", "buck-passing")


def main() -> None:
    """Run the calibration and the counterfactuals; print and write the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--budget", type=int, default=20_000)
    parser.add_argument(
        "--calibration", type=Path, default=Path("equipoise-results/calibrate-findings")
    )
    args = parser.parse_args()
    started = time.perf_counter()
    cal = calibrate(budget=args.budget, workers=1, out=args.calibration)
    print(cal)
    print(cal.interval(0.9).round(4).to_string(index=False))
    table = cal.predictive()
    stats = list(cal.target.statistics)
    print(table[table["statistic"].isin(stats)].round(4).to_string(index=False))
    rows = []
    draws = []
    for name in INTERVENTIONS:
        cf = counterfactual(
            1816, name, posterior=args.calibration, replications=args.pairs, draws=100
        )
        draws.append(cf.by_draw.assign(intervention=name))
        s = cf.summary.set_index("outcome")
        for outcome in ("hegemony", "years_without_hegemony", "war_onsets"):
            rows.append(
                {
                    "intervention": name,
                    "outcome": outcome,
                    "as_it_is": s.loc[outcome, "baseline"],
                    "intervened": s.loc[outcome, "intervention"],
                    "difference": s.loc[outcome, "difference"],
                    "low": s.loc[outcome, "low"],
                    "high": s.loc[outcome, "high"],
                    "pairs": int(s.loc[outcome, "n"]),
                }
            )
    out = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    # "null" would read back as a missing value in pandas: the CSV files say "null-world"
    csv_label = {"null": "null-world"}
    out.replace({"intervention": csv_label}).to_csv(
        args.out / "calibrated-counterfactuals.csv", index=False, float_format="%.6g"
    )
    print("| intervention | outcome | as it is | intervened | difference [95%] |")
    print("|---|---|---:|---:|---|")
    for r in out.itertuples():
        print(
            f"| `{r.intervention}` | {r.outcome} | {r.as_it_is:.3f} | {r.intervened:.3f} | "
            f"{r.difference:+.3f} [{r.low:+.3f}, {r.high:+.3f}] |"
        )
    by_draw = pd.concat(draws, ignore_index=True)
    by_draw.replace({"intervention": csv_label}).to_csv(
        args.out / "calibrated-by-draw.csv", index=False, float_format="%.6g"
    )
    # how the answer depends on the posterior: Spearman's rho of the per-draw difference in
    # the probability of hegemony with each calibrated parameter, over the draws
    print("| intervention | " + " | ".join(cal.names) + " |")
    print("|---|" + "---|" * len(cal.names))
    for name in INTERVENTIONS:
        d = by_draw[by_draw["intervention"] == name]
        cells = []
        for p in cal.names:
            rho, pval = spearmanr(d[p], d["hegemony"])
            cells.append(f"{rho:+.2f} (p {pval:.2g})")
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
