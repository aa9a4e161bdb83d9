"""Every number in docs/findings.md, from one command.

    python scripts/findings.py [--quick] [--out DIR]

Three studies of model 0.3, each against the null world (no balancing, no
bandwagoning, same growth, catch-up, technology and war):

1. **Mechanism factorial** -- strategy (balance power, balance threat,
   bandwagon, buck-pass) x arming x alliances x sanctions, at 10, 20 and 40
   states: the hegemony rate of every cell with its 95% Wilson interval and a
   Fisher exact test against the null world of the same size.
2. **Latin hypercube** over the plausible region of the parameters that docs/model.md
   marks as uncertain: for every point, the hegemony rates of the null world,
   balancers and bandwagoners, their differences, and which parameters decide
   the sign of the balancing effect.
3. **War sizes and state deaths** -- Cederman's (2003) CCDF slope of war sizes
   (relative to the system's military at onset) per window of 100 steps after
   a burn-in, with bootstrap intervals over replications, against COW's
   -0.41 (Cederman 2003) / -0.435 (COW v4.0, equipoise.validate); state deaths
   per state-step.

Tables are written as CSV to ``--out`` (default ``docs/findings-data``) and
printed as Markdown. ``--quick`` runs a tenth of the replications (for a
smoke test; the published numbers use the full run). Seeds are fixed, so the
output is the same on every machine.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from rich.progress import Progress
from scipy import stats
from scipy.stats import qmc

from equipoise import Scenario, run
from equipoise._paramdoc import plausible_ranges
from equipoise.metrics import wilson_interval
from equipoise.validate import war_size_slope

SEED = 20261202
SIZES = (10, 20, 40)
STEPS = 500
STRATEGIES = ("balance_power", "balance_threat", "bandwagon", "buck_pass")
#: The hypercube's parameters, each over its plausible range (docs/model.md, section 8, as the
#: scenario's fields declare it).
LHS_PARAMETERS: dict[str, tuple[float, float]] = {
    name: plausible_ranges()[name]
    for name in (
        "alliances.alliance_threshold",
        "alliances.alliance_reliability",
        "soft_balancing.max_cost",
        "internal.arming_response",
        "internal.arming_max",
        "internal.arming_drag",
        "soft_balancing.evasion_rate",
        "soft_balancing.fatigue",
        "growth.convergence_rate",
        "growth.growth_dispersion",
        "war.attack_probability",
        "war.superiority_threshold",
        "war.decisiveness",
        "war.ceasefire_probability",
        "power.reach",
        "technology.innovation_rate",
    )
}


def _rate(result) -> tuple[int, int]:
    onset = result.dataset["hegemony_onset"].values
    return int((onset >= 0).sum()), int(onset.size)


def _row(label: dict, hits: int, r: int, null: tuple[int, int] | None) -> dict:
    lo, hi = wilson_interval(hits, r)
    row = {**label, "hegemony_rate": hits / r, "ci_low": float(lo), "ci_high": float(hi), "n": r}
    if null is not None:
        table = [[hits, r - hits], [null[0], null[1] - null[0]]]
        row["difference"] = hits / r - null[0] / null[1]
        row["fisher_p"] = float(stats.fisher_exact(table).pvalue)
    return row


def factorial(reps: int, progress: Progress) -> pd.DataFrame:
    """Study 1: the mechanism factorial against the null world, at every size."""
    combos = list(itertools.product((True, False), repeat=3))
    task = progress.add_task("factorial", total=len(SIZES) * (1 + len(STRATEGIES) * len(combos)))
    rows = []
    for n in SIZES:
        base = Scenario(n_states=n, name=f"null-{n}", strategies={"none": 1.0})
        null = _rate(run(base, reps, STEPS, seed=SEED, record_states=False))
        rows.append(
            _row(
                {
                    "states": n,
                    "strategy": "none (null)",
                    "arming": "-",
                    "alliances": "-",
                    "sanctions": "-",
                },
                *null,
                None,
            )
        )
        progress.advance(task)
        for strategy, (arm, ally, soft) in itertools.product(STRATEGIES, combos):
            s = Scenario(
                n_states=n,
                name="cell",
                strategies={strategy: 1.0},
                internal={"enabled": arm},
                alliances={"enabled": ally},
                soft_balancing={"enabled": soft},
            )
            hits = _rate(run(s, reps, STEPS, seed=SEED, record_states=False))
            label = {
                "states": n,
                "strategy": strategy,
                "arming": "on" if arm else "off",
                "alliances": "on" if ally else "off",
                "sanctions": "on" if soft else "off",
            }
            rows.append(_row(label, *hits, null))
            progress.advance(task)
    return pd.DataFrame(rows)


def _scenario(n: int, strategy: str, values: dict[str, float]) -> Scenario:
    tables: dict[str, dict[str, float]] = {}
    for path, value in values.items():
        table, key = path.split(".")
        tables.setdefault(table, {})[key] = float(value)
    return Scenario(n_states=n, name="lhs", strategies={strategy: 1.0}, **tables)  # type: ignore[arg-type]


def hypercube(points: int, reps: int, progress: Progress, n: int = 20) -> pd.DataFrame:
    """Study 2: hegemony rates of three worlds at every point of a Latin hypercube."""
    names = list(LHS_PARAMETERS)
    lo = np.array([LHS_PARAMETERS[k][0] for k in names])
    hi = np.array([LHS_PARAMETERS[k][1] for k in names])
    design = qmc.scale(qmc.LatinHypercube(d=len(names), seed=SEED).random(points), lo, hi)
    task = progress.add_task("hypercube", total=points * 3)
    rows = []
    for p, x in enumerate(design):
        values = dict(zip(names, x, strict=True))
        row: dict[str, float] = {"point": p, **values}
        rates = {}
        for world, strategy in (
            ("null", "none"),
            ("balancers", "balance_power"),
            ("bandwagoners", "bandwagon"),
        ):
            hits, r = _rate(
                run(_scenario(n, strategy, values), reps, STEPS, seed=SEED, record_states=False)
            )
            rates[world] = (hits, r)
            row[world] = hits / r
            progress.advance(task)
        for world in ("balancers", "bandwagoners"):
            (h1, r1), (h0, r0) = rates[world], rates["null"]
            row[f"{world}_minus_null"] = h1 / r1 - h0 / r0
            row[f"{world}_p"] = float(stats.fisher_exact([[h1, r1 - h1], [h0, r0 - h0]]).pvalue)
        rows.append(row)
    return pd.DataFrame(rows)


def flips(cube: pd.DataFrame) -> pd.DataFrame:
    """Which parameters decide the sign of the balancing effect (Spearman, tercile means)."""
    rows = []
    for name in LHS_PARAMETERS:
        rho, p = stats.spearmanr(cube[name], cube["balancers_minus_null"])
        low = cube[name] <= cube[name].quantile(1 / 3)
        high = cube[name] >= cube[name].quantile(2 / 3)
        rows.append(
            {
                "parameter": name,
                "spearman_rho": float(rho),
                "p": float(p),
                "effect_low_third": float(cube.loc[low, "balancers_minus_null"].mean()),
                "effect_high_third": float(cube.loc[high, "balancers_minus_null"].mean()),
            }
        )
    return pd.DataFrame(rows).sort_values("spearman_rho", key=abs, ascending=False)


def war_sizes(reps: int, progress: Progress, burn_in: int = 100, window: int = 100) -> pd.DataFrame:
    """Study 3: war-size slopes per window and state deaths, with bootstrap intervals."""
    task = progress.add_task("war sizes", total=2 * len(SIZES))
    rng = np.random.default_rng(SEED)
    rows = []
    for n, (world, strategy) in itertools.product(
        SIZES, (("null", "none"), ("balancers", "balance_power"))
    ):
        result = run(
            Scenario(n_states=n, name=world, strategies={strategy: 1.0}),
            reps,
            STEPS,
            seed=SEED,
            record_states=False,
        )
        wars = result.wars
        ds = result.dataset
        alive = ds["survivors"].values[:, burn_in:-1].sum()
        deaths = ds["deaths"].values[:, burn_in + 1 :].sum()
        for start in range(burn_in, STEPS, window):
            part = wars[(wars["start"] > start) & (wars["start"] <= start + window)]
            sizes = part["relative_size"].to_numpy()
            sizes = sizes[sizes > 0]
            if sizes.size < 20:
                continue
            slope = war_size_slope(sizes).slope
            boot = []
            groups = [g["relative_size"].to_numpy() for _, g in part.groupby("replication")]
            for _ in range(200):
                pick = rng.integers(0, len(groups), len(groups))
                sample = np.concatenate([groups[i] for i in pick])
                sample = sample[sample > 0]
                if sample.size >= 20:
                    boot.append(war_size_slope(sample).slope)
            rows.append(
                {
                    "states": n,
                    "world": world,
                    "window": f"{start + 1}-{start + window}",
                    "wars": int(sizes.size),
                    "slope": float(slope),
                    "ci_low": float(np.percentile(boot, 2.5)),
                    "ci_high": float(np.percentile(boot, 97.5)),
                    "deaths_per_state_step": float(deaths / alive),
                }
            )
        progress.advance(task)
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the studies, write the CSV tables and print them as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the replications")
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    parser.add_argument("--only", choices=("factorial", "hypercube", "wars"), default=None)
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with Progress() as progress:
        if args.only in (None, "factorial"):
            table = factorial(300 // scale, progress)
            table.to_csv(args.out / "factorial.csv", index=False, float_format="%.6g")
        if args.only in (None, "hypercube"):
            cube = hypercube(48 // (2 if args.quick else 1), 100 // scale, progress)
            cube.to_csv(args.out / "hypercube.csv", index=False, float_format="%.6g")
            flips(cube).to_csv(args.out / "hypercube-flips.csv", index=False, float_format="%.6g")
        if args.only in (None, "wars"):
            war_sizes(200 // scale, progress).to_csv(
                args.out / "war-sizes.csv", index=False, float_format="%.6g"
            )
    print(f"done in {time.time() - started:.0f} s; tables in {args.out}", file=sys.stderr)
    for name in sorted(args.out.glob("*.csv")):
        print(f"\n## {name.stem}\n")
        print(markdown(pd.read_csv(name, keep_default_na=False)))
    return 0


def markdown(frame: pd.DataFrame) -> str:
    """A Markdown table, numbers to three significant digits."""

    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.3g}"
        return str(v)

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
