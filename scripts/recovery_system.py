"""Recovery of known parameters from synthetic whole-system histories (issue 27, item 5).

    python scripts/recovery_system.py [--datasets N] [--population N] [--budget N]
                                      [--workers N] [--out DIR] [--name NAME]
                                      [--no-shares] [--no-effect]

Simulation-based calibration (Talts et al. 2018) of the whole-system calibration
(``calibrate --system``: 1816-1914, treaties, the default parameters with their priors):
for each of ``--datasets`` synthetic histories, a "true" parameter vector drawn from the
prior, one replication of the whole system at it reduced to the calibration's statistics
(:func:`equipoise.calibrate.whole_system.synthetic_system_target`), a calibration to those
statistics exactly as to history, and where the truth falls in the posterior.

The counterfactual quantity is checked the same way (issue 27, item 4): at the truth and
at ``--effect-draws`` posterior draws, ``--pairs`` pairs of replications of the whole system
1816-2016, balancing as it is against the null world (no state balances), with common random
numbers; the effect on P(hegemony by 2016) and on the leader's peak share of all capability
(rows ``effect:hegemony`` and ``effect:leader_peak_share``).

Prints, per parameter and effect, the coverage of the 90% intervals (0.9 if the posterior is
calibrated; binomial standard error ``sqrt(0.09 / datasets)``), the mean fractional rank (0.5)
and the median interval width as a share of the prior's (the issue's target: at most 0.5);
writes every (dataset, parameter) row to ``DIR/NAME.csv`` and the summary to
``DIR/NAME-summary.csv`` (default ``docs/findings-data/recovery-system``). Seeds are fixed:
the truths and synthetic histories are the same in every run, so ``--no-shares`` (the data
without the great powers' capability shares by decade) compares two sets of statistics on
the same histories; ``--no-effect`` skips the counterfactual check.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from equipoise import Scenario, run
from equipoise.calibrate.counterfactual import apply_intervention
from equipoise.calibrate.parameters import apply_parameters, check_parameters, default_parameters
from equipoise.calibrate.sbc import sbc_summary, simulation_based_calibration
from equipoise.history import scenario_from_history

SEED = 20261207
START, END = 1816, 1914
#: The effect's replications start here, far from the synthetic histories' (0, 1, ...).
EFFECT_REPLICATIONS = 1_000_000


class NullWorldEffect:
    """Balancing as it is minus the null world, 1816-2016, ``pairs`` pairs at given values.

    ``index`` (distinct for every call of the check) picks a block of replications of its
    own, so that the truth's and every draw's simulation noise is independent.
    """

    def __init__(self, calibrated: Scenario, pairs: int) -> None:
        self.base = scenario_from_history(START, states="all", entries=True)
        # the calibrated reach is in provinces of the 1816-1914 map: the same kilometres
        self.reach = float(self.base.power.reach) / float(calibrated.power.reach)
        self.pairs = pairs

    def __call__(self, values: Mapping[str, float], index: int) -> dict[str, float]:
        """The two effects at ``values``, from replications ``index * pairs`` onwards."""
        values = dict(values)
        if "power.reach" in values:
            values["power.reach"] *= self.reach
        world = apply_parameters(self.base, values)
        # replications of their own: past the synthetic histories (0, 1, ...), one block
        # per call of the check
        first = EFFECT_REPLICATIONS + index * self.pairs
        reps = range(first, first + self.pairs)
        steps = 2016 - START + 1
        out = {}
        for label, scenario in (("as_is", world), ("null", apply_intervention(world, "null"))):
            ds = run(scenario, reps, steps, SEED).dataset
            out[label] = (
                (ds["hegemony_onset"].values >= 0).astype(np.float64),
                ds["leader_share"].values[:, 1:].max(axis=1),
            )
        return {
            "hegemony": float((out["as_is"][0] - out["null"][0]).mean()),
            "leader_peak_share": float((out["as_is"][1] - out["null"][1]).mean()),
        }


def main() -> None:
    """Run the check and print and write its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", type=int, default=12)
    parser.add_argument("--population", type=int, default=200)
    parser.add_argument("--budget", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=8, help="pairs per effect estimate")
    parser.add_argument("--effect-draws", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    parser.add_argument("--name", default="recovery-system", help="file name's stem")
    parser.add_argument("--no-shares", action="store_true", help="leave out the shares")
    parser.add_argument("--no-effect", action="store_true", help="skip the effect's check")
    args = parser.parse_args()

    scenario = scenario_from_history(START, states="all", entries=True, until=END)
    params = check_parameters(default_parameters(scenario), scenario)
    effect = NullWorldEffect(scenario, args.pairs)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        minutes = (time.perf_counter() - started) / 60
        print(f"dataset {done}/{total}: {minutes:.1f} min", flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    parts = []
    for k in range(args.datasets):  # one at a time, each row written as it is done
        parts.append(
            simulation_based_calibration(
                scenario,
                params,
                datasets=1,
                first=k,
                start=START,
                end=END,
                system=True,
                cohort=not args.no_shares,
                population_size=args.population,
                budget=args.budget,
                seed=SEED,
                workers=args.workers,
                effect=None if args.no_effect else effect,
                effect_draws=args.effect_draws,
            )
        )
        pd.concat(parts).to_csv(args.out / f"{args.name}.csv", index=False)
        progress(k + 1, args.datasets)
    table = pd.concat(parts, ignore_index=True)
    table.attrs.update({**parts[0].attrs, "datasets": args.datasets, "first": 0})
    prior = {p.name: p.high - p.low for p in params}
    table["width_share"] = (table["high"] - table["low"]) / table["parameter"].map(prior)
    # an effect's prior range: its values at the truths, drawn from the prior
    for _, group in table[table["parameter"].str.startswith("effect:")].groupby("parameter"):
        span = group["truth"].max() - group["truth"].min()
        table.loc[group.index, "width_share"] = (group["high"] - group["low"]) / span
    summary = sbc_summary(table)
    widths = table.groupby("parameter", sort=False)["width_share"].median()
    summary["median_width_share"] = summary["parameter"].map(widths)
    summary.loc[summary["parameter"] == "all", "median_width_share"] = float(
        table["width_share"].median()
    )
    print(
        f"{args.datasets} synthetic histories, population {args.population}, budget "
        f"{args.budget}, {args.workers} workers, {(time.perf_counter() - started) / 60:.1f} min; "
        f"simulations per dataset {table.groupby('dataset')['simulations'].first().mean():.0f}"
    )
    print(summary.round(3).to_string(index=False))
    table.to_csv(args.out / f"{args.name}.csv", index=False)
    pd.DataFrame(summary).to_csv(args.out / f"{args.name}-summary.csv", index=False)


if __name__ == "__main__":
    main()
