"""The rivals of balancing in model 0.3: the numbers of docs/findings.md sections 6-8.

    python scripts/findings_rivals.py [--quick] [--out DIR]

1. **Uneven growth against the record** -- from the five great powers of 1816,
   Britain's and Germany's capability shares in 1906-14 (5-95% band over
   replications) against COW NMC's, and the null world's hegemony rate with war
   off (what growth alone does).
2. **Decomposition, 1816-1914** -- P(one of the five holds half of their
   capability for ten years by 1914), with every mechanism on and with each form
   of balancing, uneven growth or all balancing removed, with common random
   numbers (same seed, so replication r meets the same shocks in every world);
   paired differences with bootstrap intervals.
3. **Sensitivity of the findings to the costs** -- for every cost parameter over
   its plausible range (docs/model.md), the balancing effect (balancers minus
   null world) at 10, 20 and 40 generated states and from 1816: where does its
   sign change?

Tables go to ``--out`` (default ``docs/findings-data``) as CSV and are printed
as Markdown. Seeds are fixed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from equipoise import Scenario, run
from equipoise._paramdoc import plausible_ranges
from equipoise.history import load_nmc
from equipoise.history.scenario_builder import (
    ECONOMIC_COMPONENTS,
    MILITARY_COMPONENTS,
    scenario_from_history,
)
from equipoise.metrics import wilson_interval

SEED = 20261207
FIVE = {200: "UKG", 220: "FRN", 255: "GMY", 300: "AUH", 365: "RUS"}
TO_1914 = 1914 - 1816
#: The cost parameters whose plausible ranges the sensitivity study sweeps.
COSTS = (
    "soft_balancing.max_cost",
    "soft_balancing.sender_cost",
    "soft_balancing.evasion_rate",
    "soft_balancing.fatigue",
    "soft_balancing.episode_length",
    "internal.arming_drag",
)
NO_GROWTH_GAPS = {"convergence_rate": 0.0, "growth_dispersion": 0.0}


def _edit(scenario: Scenario, dotted: dict[str, float]) -> Scenario:
    tables: dict[str, dict[str, float]] = {}
    for key, value in dotted.items():
        table, field = key.split(".")
        tables.setdefault(table, {})[field] = value
    return scenario.replace(**tables)


def history_shares() -> pd.DataFrame:
    """COW NMC capability shares of the five powers of 1816, recomputed among them, by year."""
    nmc = load_nmc()
    rows = nmc[nmc["ccode"].isin(list(FIVE)) & nmc["year"].between(1816, 1914)]
    parts = list(ECONOMIC_COMPONENTS) + list(MILITARY_COMPONENTS)
    out = {}
    for year, group in rows.groupby("year"):
        values = group.set_index("ccode")[parts].astype("float64")
        share = (values / values.sum()).mean(axis=1, skipna=True)
        out[int(year)] = share / share.sum()
    return pd.DataFrame(out).T.rename(columns=FIVE)


def _band(values: np.ndarray) -> tuple[float, float, float]:
    lo, mid, hi = np.quantile(values, [0.05, 0.5, 0.95])
    return float(lo), float(mid), float(hi)


def growth_against_record(reps: int) -> pd.DataFrame:
    """Britain's and Germany's 1906-14 shares in several worlds, against history's."""
    hist = history_shares().loc[1906:1914].mean()
    worlds = {
        "balancers, sanctions off, war off": scenario_from_history(
            1816, soft_balancing={"enabled": False}, war={"enabled": False}
        ),
        "balancers, sanctions off, war on": scenario_from_history(
            1816, soft_balancing={"enabled": False}
        ),
        "null world, war off": scenario_from_history(1816, strategy="none", war={"enabled": False}),
        "null world, war off, growth dispersion 0.01": scenario_from_history(
            1816, strategy="none", war={"enabled": False}, growth={"growth_dispersion": 0.01}
        ),
        "null world, war off, history's economies replayed": scenario_from_history(
            1816,
            strategy="none",
            war={"enabled": False},
            replay_economies=True,
            replay_until=1914,
        ),
    }
    rows = []
    for label, scenario in worlds.items():
        result = run(scenario, replications=reps, steps=TO_1914, seed=SEED)
        share = result.dataset["share"].values[:, 90:99, :].mean(axis=1)
        names = list(result.dataset["state"].values)
        for state in ("UKG", "GMY"):
            lo, mid, hi = _band(share[:, names.index(state)])
            rows.append(
                {
                    "world": label,
                    "state": state,
                    "history": float(hist[state]),
                    "p05": lo,
                    "median": mid,
                    "p95": hi,
                    "brackets": bool(lo <= hist[state] <= hi),
                }
            )
    return pd.DataFrame(rows)


def at_rest(reps: int) -> pd.DataFrame:
    """Hegemony with nobody balancing and war off, 1816-2016: what growth alone does."""
    rows = []
    for label, growth in (
        ("defaults", {}),
        ("no catch-up", {"convergence_rate": 0.0}),
        ("no trend dispersion", {"growth_dispersion": 0.0}),
        ("no growth differences", {**NO_GROWTH_GAPS, "growth_volatility": 0.0}),
    ):
        s = scenario_from_history(1816, strategy="none", war={"enabled": False}, growth=growth)
        onset = (
            run(s, replications=reps, steps=2016 - 1816, seed=SEED).dataset["hegemony_onset"].values
        )
        hits = int((onset >= 0).sum())
        lo, hi = wilson_interval(hits, reps)
        rows.append(
            {
                "growth": label,
                "hegemony_by_2016": hits / reps,
                "ci_low": lo,
                "ci_high": hi,
                "n": reps,
            }
        )
    return pd.DataFrame(rows)


def _onsets(scenario: Scenario, reps: int, steps: int) -> np.ndarray:
    onset = (
        run(scenario, replications=reps, steps=steps, seed=SEED).dataset["hegemony_onset"].values
    )
    return (onset >= 0).astype(float)


def _paired(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> tuple[float, float, float]:
    """Mean of b - a with a 95% bootstrap interval over replications (common random numbers)."""
    diff = b - a
    boot = rng.choice(diff, size=(2000, diff.size)).mean(axis=1)
    return float(diff.mean()), float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def decomposition(reps: int) -> pd.DataFrame:
    """P(hegemony by 1914) from 1816 with each rival or form of balancing removed."""
    full = scenario_from_history(1816)
    worlds = {
        "every mechanism": full,
        "without arming (internal balancing)": full.replace(internal={"enabled": False}),
        "without alliances (external balancing)": full.replace(alliances={"enabled": False}),
        "without sanctions (soft balancing)": full.replace(soft_balancing={"enabled": False}),
        "without any balancing (null world)": scenario_from_history(1816, strategy="none"),
        "without uneven growth": full.replace(growth=NO_GROWTH_GAPS),
        "null world without uneven growth": scenario_from_history(
            1816, strategy="none", growth=NO_GROWTH_GAPS
        ),
        "history's economies replayed": scenario_from_history(
            1816, replay_economies=True, replay_until=1914
        ),
        "null world, history's economies replayed": scenario_from_history(
            1816, strategy="none", replay_economies=True, replay_until=1914
        ),
    }
    base = _onsets(full, reps, TO_1914)
    rng = np.random.default_rng(SEED)
    rows = []
    for label, scenario in worlds.items():
        hits = base if label == "every mechanism" else _onsets(scenario, reps, TO_1914)
        lo, hi = wilson_interval(int(hits.sum()), reps)
        diff, dlo, dhi = _paired(base, hits, rng)
        rows.append(
            {
                "world": label,
                "hegemony_by_1914": hits.mean(),
                "ci_low": lo,
                "ci_high": hi,
                "minus_every_mechanism": diff,
                "diff_low": dlo,
                "diff_high": dhi,
                "n": reps,
            }
        )
    return pd.DataFrame(rows)


def _effect(balancers: Scenario, null: Scenario, reps: int, steps: int) -> dict[str, float]:
    b = _onsets(balancers, reps, steps)
    z = _onsets(null, reps, steps)
    table = [[int(b.sum()), reps - int(b.sum())], [int(z.sum()), reps - int(z.sum())]]
    return {
        "balancers": b.mean(),
        "null": z.mean(),
        "effect": b.mean() - z.mean(),
        "p": float(stats.fisher_exact(table)[1]),
    }


def sensitivity(reps: int, points: int) -> pd.DataFrame:
    """The balancing effect across each cost parameter's plausible range."""
    ranges = plausible_ranges()
    rows = []
    for name in COSTS:
        low, high = ranges[name]
        for value in np.linspace(low, high, points):
            edit = {name: float(value)}
            for n in (10, 20, 40):
                b = _edit(Scenario.load("balancers").replace(n_states=n), edit)
                z = _edit(Scenario.load("null").replace(n_states=n), edit)
                rows.append(
                    {
                        "parameter": name,
                        "value": float(value),
                        "world": f"{n} states",
                        **_effect(b, z, reps, 500),
                    }
                )
            b = _edit(scenario_from_history(1816), edit)
            z = _edit(scenario_from_history(1816, strategy="none"), edit)
            rows.append(
                {
                    "parameter": name,
                    "value": float(value),
                    "world": "1816-1914",
                    **_effect(b, z, reps, TO_1914),
                }
            )
    return pd.DataFrame(rows)


def sign_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Per parameter and world: the effect's range, and whether it is significant both ways."""
    rows = []
    for (name, world), group in table.groupby(["parameter", "world"], sort=False):
        significant = group[group["p"] < 0.05]
        rows.append(
            {
                "parameter": name,
                "world": world,
                "effect_min": group["effect"].min(),
                "effect_max": group["effect"].max(),
                "flips": bool(
                    (significant["effect"] > 0).any() and (significant["effect"] < 0).any()
                ),
            }
        )
    return pd.DataFrame(rows)


def markdown(frame: pd.DataFrame) -> str:
    """A Markdown table, numbers to three significant digits."""

    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.3g}"
        return str(v)

    head = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def main(argv: list[str] | None = None) -> int:
    """Run the studies, write the CSV tables and print them as Markdown."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the replications")
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    tables = {
        "rivals-growth-record": growth_against_record(400 // scale),
        "rivals-at-rest": at_rest(400 // scale),
        "rivals-decomposition": decomposition(1000 // scale),
    }
    cost = sensitivity(200 // scale, 5)
    tables["rivals-sensitivity"] = cost
    tables["rivals-sign-changes"] = sign_changes(cost)
    for name, table in tables.items():
        table.to_csv(args.out / f"{name}.csv", index=False, float_format="%.6g")
        print(f"\n## {name}\n\n{markdown(table)}")
    print(f"done in {time.time() - started:.0f} s; tables in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
