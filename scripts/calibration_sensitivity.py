"""The sensitivity analysis behind the default calibrated parameters (docs/calibrate.md, "Priors").

    python scripts/calibration_sensitivity.py [--trajectories N] [--replications N]
        [--seed S] [--workers N] [--out DIR] [--stability]

Morris screening (:func:`equipoise.calibrate.sensitivity.sensitivity`) of the default
calibration's statistics (the five great powers of 1816, 1816-1914, closed cohort: the
validate statistics, their definedness indicators and the capability shares by decade)
with respect to every non-structural real-valued parameter with a plausible range in
docs/model.md. Prints the ranking as a Markdown table and the parameters the selection rule
of docs/calibrate.md picks (aggregate at least a quarter of the top one's, five to eight).

``--stability`` runs the analysis twice more, with another seed (design and simulations)
and with half the trajectories, and prints how the top of the ranking and the selected set
compare (Spearman's rho of the aggregates with the main run's).

Tables are written as CSV to ``--out`` (default ``docs/findings-data``):
``calibration-sensitivity.csv`` (the ranking), ``calibration-sensitivity-table.csv`` (the
scaled mu* of every parameter and statistic) and, with ``--stability``,
``calibration-sensitivity-stability.csv`` (the three runs' ranks and aggregates).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
from scipy.stats import spearmanr

from equipoise._io import atomic_write_text
from equipoise.calibrate.sensitivity import SensitivityResult, sensitivity

#: The seed of the published analysis (docs/calibrate.md).
SEED = 20261202


def _describe(label: str, result: SensitivityResult) -> str:
    s = result.settings
    return (
        f"{label}: {s['trajectories']} trajectories x {s['points'] // s['trajectories']} "
        f"points x {s['replications']} replications = {s['simulations']:,} simulations, "
        f"seed {s['seed']}, {s['seconds']:.0f} s on {s['workers']} workers; "
        f"noise reference {s['noise']:.3f}"
    )


def main() -> None:
    """Run the analysis; print and write the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trajectories", type=int, default=50)
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    parser.add_argument("--stability", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    size = {"replications": args.replications, "workers": args.workers}
    main_run = sensitivity(trajectories=args.trajectories, seed=args.seed, **size)
    print(_describe("main run", main_run))
    print()
    print(main_run.markdown())
    chosen = main_run.select()
    print()
    print(f"selected ({len(chosen)}): {', '.join(chosen)}")
    args.out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(
        args.out / "calibration-sensitivity.csv",
        main_run.ranking.to_csv(index=False, float_format="%.4g"),
    )
    atomic_write_text(
        args.out / "calibration-sensitivity-table.csv",
        main_run.table.to_csv(float_format="%.4g"),
    )
    if args.stability:
        others = {
            f"seed {args.seed + 1}": sensitivity(
                trajectories=args.trajectories, seed=args.seed + 1, **size
            ),
            f"{args.trajectories // 2} trajectories": sensitivity(
                trajectories=args.trajectories // 2, seed=args.seed, **size
            ),
        }
        table = main_run.ranking.set_index("parameter")[["rank", "aggregate"]]
        table.columns = pd.Index(["rank_main", "aggregate_main"])
        print()
        for label, result in others.items():
            print(_describe(label, result))
            ranked = result.ranking.set_index("parameter")
            key = label.replace(" ", "_")
            table[f"rank_{key}"] = ranked["rank"]
            table[f"aggregate_{key}"] = ranked["aggregate"]
            rho = spearmanr(table["aggregate_main"], table[f"aggregate_{key}"]).statistic
            picked = result.select()
            print(
                f"  top 8: {', '.join(result.ranking['parameter'].head(8))}\n"
                f"  selected ({len(picked)}): {', '.join(picked)}\n"
                f"  same as the main run's selection: {set(picked) == set(chosen)}; "
                f"in both: {len(set(picked) & set(chosen))}; "
                f"Spearman's rho of the aggregates with the main run's: {rho:.3f}"
            )
        atomic_write_text(
            args.out / "calibration-sensitivity-stability.csv",
            table.reset_index().to_csv(index=False, float_format="%.4g"),
        )
    print(f"\n{time.perf_counter() - started:.0f} s in all; tables in {args.out}")


if __name__ == "__main__":
    main()
