"""Hegemony in the whole state system, 1816-2016: the numbers of docs/findings.md section 9.

    python scripts/findings_whole_system.py [--quick] [--out DIR]

From the COW system of 1816, every later state entering on its date
(``scenario_from_history(1816, states="all", entries=True)``, alliances as treaties), P(one
state holds half of the whole system's capability for ten years) by 1914 and by 2016 with
every mechanism on and with each form of balancing, uneven growth, the territorial integrity
norm, or all balancing removed, with common random numbers (same seed, so replication r
meets the same shocks in every world); paired differences against every mechanism with
bootstrap intervals, and the leader's peak share of the system's capability (median and
5-95% band over replications) beside history's largest CINC share. Then the same for the
null world and for balancers on the lattice map instead of COW's land borders and seas (the
whole system's default, ``map.geography = "contiguity"``). Last, state deaths by conquest
per state-year by period, against the COW record, and each state's chance of dying by
conquest by 1913.

The table goes to ``--out`` (default ``docs/findings-data``) as CSV and is printed as
Markdown. Seeds are fixed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise import Scenario, run
from equipoise.history import load_nmc, load_system
from equipoise.history.loaders import load_succession
from equipoise.history.scenario_builder import scenario_from_history
from equipoise.metrics import wilson_interval
from findings_rivals import markdown  # scripts/ is on the path when a script runs

SEED = 20261207
START, END = 1816, 2016
STEPS = END - START + 1
BY_1914 = 1914 - START + 1  # step s is the year START + s - 1
NO_GROWTH_GAPS = {"convergence_rate": 0.0, "growth_dispersion": 0.0}


def _system(**options: object) -> Scenario:
    return scenario_from_history(START, states="all", entries=True, **options)  # type: ignore[arg-type]


def worlds() -> dict[str, Scenario]:
    """The worlds compared, every mechanism first."""
    full = _system()
    lattice = {"map": {"geography": "lattice"}}
    return {
        "every mechanism": full,
        "without arming (internal balancing)": full.replace(internal={"enabled": False}),
        "without alliances (external balancing)": full.replace(alliances={"enabled": False}),
        "without sanctions (soft balancing)": full.replace(soft_balancing={"enabled": False}),
        "without any balancing (null world)": _system(strategy="none"),
        "without uneven growth": full.replace(growth=NO_GROWTH_GAPS),
        "without the territorial integrity norm": _system(integrity_norm=None),
        "null world without the norm": _system(strategy="none", integrity_norm=None),
        "every mechanism, alliances as blocs": _system(alliances={"treaties": False}),
        "every mechanism, on the lattice": _system(**lattice),
        "null world, on the lattice": _system(strategy="none", **lattice),
    }


def _outcomes(scenario: Scenario, reps: int) -> tuple[np.ndarray, np.ndarray]:
    """Each replication's first step of hegemony (-1: none) and the leader's peak share."""
    data = run(scenario, replications=reps, steps=STEPS, seed=SEED).dataset
    peak = data["leader_share"].values.max(axis=1)
    return data["hegemony_onset"].values.astype(np.int64), peak


def history_peak() -> tuple[float, int, str]:
    """The largest share of the whole system's capability (CINC) any state held, 1816-2016."""
    nmc = load_nmc()
    nmc = nmc[(nmc["year"] >= START) & (nmc["year"] <= END)]
    share = nmc["cinc"] / nmc.groupby("year")["cinc"].transform("sum")
    top = nmc.loc[share.idxmax()]
    return float(share.max()), int(top["year"]), str(top["stateabb"])


def _paired(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> tuple[float, float, float]:
    """Mean of b - a with a 95% bootstrap interval over replications (common random numbers)."""
    diff = b - a
    boot = rng.choice(diff, size=(2000, diff.size)).mean(axis=1)
    return float(diff.mean()), float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def decomposition(reps: int) -> pd.DataFrame:
    """P(hegemony) by 1914 and by 2016 in each world, and the paired difference by 2016."""
    rng = np.random.default_rng(SEED)
    rows = []
    base: np.ndarray | None = None
    base_peak = np.zeros(reps)
    for label, scenario in worlds().items():
        began = time.perf_counter()
        onset, peak = _outcomes(scenario, reps)
        by_2016 = (onset >= 0).astype(float)
        by_1914 = ((onset >= 0) & (onset <= BY_1914)).astype(float)
        if base is None:
            base, base_peak = by_2016, peak
        lo, hi = wilson_interval(int(by_2016.sum()), reps)
        diff, dlo, dhi = _paired(base, by_2016, rng)
        rows.append(
            {
                "world": label,
                "hegemony_by_1914": by_1914.mean(),
                "hegemony_by_2016": by_2016.mean(),
                "ci_low": lo,
                "ci_high": hi,
                "minus_every_mechanism": diff,
                "diff_low": dlo,
                "diff_high": dhi,
                "peak_leader_share": float(np.median(peak)),
                "peak_low": float(np.quantile(peak, 0.05)),
                "peak_high": float(np.quantile(peak, 0.95)),
                "peak_minus_every_mechanism": float(np.mean(peak - base_peak)),
                "n": reps,
            }
        )
        seconds = time.perf_counter() - began
        print(f"  {label}: {by_2016.mean():.3f}, peak {np.median(peak):.3f} ({seconds:.0f} s)")
    return pd.DataFrame(rows)


PERIODS = ((1816, 1870), (1871, 1913), (1914, 1945), (1946, 2016))


def deaths_by_period(reps: int) -> pd.DataFrame:
    """State deaths by conquest per state-year, model (every mechanism) and COW, by period.

    History counts the exits the succession table codes as conquest
    (:func:`equipoise.history.loaders.load_succession`) over the COW system's state-years.
    """
    data = run(worlds()["every mechanism"], replications=reps, steps=STEPS, seed=SEED).dataset
    deaths = data["deaths"].values
    alive = data["survivors"].values  # row k: the system at the start of year START + k
    years = START + np.arange(deaths.shape[1]) - 1  # step s: the year START + s - 1
    members = load_system()
    record = load_succession()
    conquest = record[(record["event"] == "exit") & (record["kind"] == "conquest")]
    rows = []
    for lo, hi in PERIODS:
        steps = np.flatnonzero((years >= lo) & (years <= hi))
        rate = deaths[:, steps].sum(axis=1) / alive[:, steps - 1].sum(axis=1)
        state_years = int(((members["year"] >= lo) & (members["year"] <= hi)).sum())
        exits = int(((conquest["year"] >= lo) & (conquest["year"] <= hi)).sum())
        rows.append(
            {
                "period": f"{lo}-{hi}",
                "model": float(np.median(rate)),
                "model_low": float(np.quantile(rate, 0.05)),
                "model_high": float(np.quantile(rate, 0.95)),
                "history": exits / state_years,
                "history_exits": exits,
                "history_state_years": state_years,
            }
        )
    return pd.DataFrame(rows)


def deaths_by_state(reps: int, until: int = 1913) -> pd.DataFrame:
    """Each state's chance of dying by conquest by ``until`` (every mechanism), most at risk first.

    States the record merges or dissolves by then are left out (they leave without conquest).
    """
    scenario = _system(until=until)
    data = run(scenario, replications=reps, steps=until - START + 1, seed=SEED).dataset
    share = data["share"].values
    leaving = {e.state for e in scenario.events if e.kind in ("merge", "dissolve")}
    died = (share > 0).any(axis=1) & ~(share[:, -1, :] > 0)
    names = scenario.state_names()
    rows = [
        {"state": name, f"dies_by_{until}": float(died[:, i].mean())}
        for i, name in enumerate(names)
        if name not in leaving
    ]
    return pd.DataFrame(rows).sort_values(f"dies_by_{until}", ascending=False, kind="stable")


def main() -> None:
    """Run every world, write the table and print it with history's peak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 replications per world")
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    args = parser.parse_args()
    reps = 40 if args.quick else 1000
    table = decomposition(reps)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "whole_system_decomposition.csv", index=False)
    print(markdown(table))
    deaths = deaths_by_period(reps)
    deaths.to_csv(args.out / "whole_system_deaths.csv", index=False)
    print(markdown(deaths))
    by_state = deaths_by_state(reps)
    by_state.to_csv(args.out / "whole_system_deaths_by_state.csv", index=False)
    print(markdown(by_state.head(30)))
    share, year, state = history_peak()
    print(f"history: no hegemony; the largest share of the system's capability {share:.3f}")
    print(f"({state}, {year})")


if __name__ == "__main__":
    main()
