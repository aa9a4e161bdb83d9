"""War sizes at calibrated parameters (issue 28, item 5): the numbers of docs/findings.md 9.

    python scripts/war_tail_calibrated.py CALIBRATION [CALIBRATION ...] [--draws N] [--out DIR]

Each ``CALIBRATION`` is the directory of a whole-system calibration (``equipoise calibrate
--system -o DIR``; its rows are labelled by the directory's name). Its posterior is resampled
by weight into ``N`` draws (default 100); draw k runs the whole system 1816-2016
(``scenario_from_history(1816, states="all", entries=True)``, the window's parameters set to
the draw's) as replication k of a fixed seed, so each run meets its own shocks and the pool
spans the posterior's uncertainty. The war
sizes of all runs are pooled, measured as history measures them (military destroyed in all
battles, the analogue of battle deaths) and relative to the system's military at onset, and
their tail fitted with ``powerlaw`` (Clauset, Shalizi & Newman 2009): exponent, x_min, the
decades of size above it, and the likelihood-ratio test against the log-normal
(:func:`equipoise.validate.wars.war_size_tail`). Beside them: the same at the whole system's
defaults (the same seed and replications), the per-run exponent's 5-95% band, and COW's
inter-state wars of 1820-1997 (Cederman's window, as validate).

The table goes to ``--out`` (default ``docs/findings-data``) as ``war-tail-calibrated.csv``
and is printed as Markdown.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise import Scenario, run
from equipoise.calibrate import load_calibration
from equipoise.calibrate.parameters import apply_parameters
from equipoise.history.scenario_builder import scenario_from_history
from equipoise.validate.history import war_size_sample
from equipoise.validate.wars import war_size_tail
from findings_rivals import markdown  # scripts/ is on the path when a script runs

SEED = 20261207
START, END = 1816, 2016
STEPS = END - START + 1


def _sizes(scenario: Scenario, replication: int) -> tuple[np.ndarray, np.ndarray]:
    """Absolute and relative sizes of one replication's wars that destroyed anything."""
    result = run(scenario, replications=range(replication, replication + 1), steps=STEPS, seed=SEED)
    wars = result.wars
    wars = wars[wars["size"] > 0]
    return wars["size"].to_numpy(float), wars["relative_size"].to_numpy(float)


def _row(sample: str, measure: str, sizes: np.ndarray, per_run: list[float]) -> dict[str, object]:
    fit = war_size_tail(sizes)
    finite = np.asarray([a for a in per_run if np.isfinite(a)])
    band = np.quantile(finite, [0.05, 0.95]) if finite.size else [np.nan, np.nan]
    return {
        "sample": sample,
        "measure": measure,
        "wars": fit.n,
        "alpha": fit.alpha,
        "se": fit.se,
        "x_min": fit.xmin,
        "tail_wars": fit.n_tail,
        "decades": float(np.log10(sizes.max() / fit.xmin)) if fit.n_tail else np.nan,
        "lr_vs_lognormal": fit.loglik_ratio,
        "p": fit.p_value,
        "run_alpha_5": float(band[0]),
        "run_alpha_95": float(band[1]),
    }


def _pooled(label: str, scenarios: list[Scenario], progress: str) -> list[dict[str, object]]:
    absolute, relative, per_abs, per_rel = [], [], [], []
    for k, scenario in enumerate(scenarios):
        a, r = _sizes(scenario, k)
        absolute.append(a)
        relative.append(r)
        per_abs.append(war_size_tail(a, lognormal=False).alpha)
        per_rel.append(war_size_tail(r, lognormal=False).alpha)
        if (k + 1) % 20 == 0:
            print(f"{progress}: {k + 1}/{len(scenarios)} runs", flush=True)
    return [
        _row(label, "military destroyed", np.concatenate(absolute), per_abs),
        _row(label, "relative to the system's military", np.concatenate(relative), per_rel),
    ]


def main() -> None:
    """Run the draws and the defaults, fit the tails, write and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "calibrations", type=Path, nargs="+", help="whole-system calibration directories"
    )
    parser.add_argument("--draws", type=int, default=100, help="posterior draws (runs)")
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    args = parser.parse_args()
    began = time.perf_counter()
    base = scenario_from_history(START, states="all", entries=True)
    rows = []
    for directory in args.calibrations:
        cal = load_calibration(directory)
        draws = cal.draws(args.draws, seed=SEED)
        calibrated = [
            apply_parameters(base, {name: float(draw[name]) for name in cal.names})
            for _, draw in draws.iterrows()
        ]
        label = f"posterior draws ({directory.name}, {len(cal.names)} parameters)"
        rows += _pooled(label, calibrated, directory.name)
    rows += _pooled("defaults", [base] * args.draws, "defaults")
    history = war_size_sample(START, END)["size"].to_numpy(float)
    rows.append(_row("COW 1820-1997", "battle deaths", history, []))
    table = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "war-tail-calibrated.csv", index=False, float_format="%.6g")
    print(markdown(table))
    print(f"({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
