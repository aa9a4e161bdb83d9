"""equipoise against its Mesa 3 twin on large samples: the p-values on record.

Run from the repository root (needs ``pip install -e ".[mesa-bench]"``)::

    python benchmarks/mesa_equivalence.py            # 2,000 / 1,000 / 300 replications
    python benchmarks/mesa_equivalence.py --twin 400 --altered 100

The comparison of ``tests/test_mesa_equivalence.py`` (:func:`mesa_reference.agreement`:
Wilson or normal intervals, Fisher's exact test or Mann-Whitney U and two-sample
Kolmogorov-Smirnov on every outcome, Bonferroni over all p-values) on the same
12-state mixed system over 120 steps (:func:`mesa_reference.equivalence.scenario`)
and the same seeds, with larger samples than the test can afford: ``--equipoise``
replications of equipoise, ``--twin`` of the Mesa twin, and ``--altered`` of each
twin with one rule altered (:data:`mesa_reference.equivalence.ALTERED`). Prints
each table and its verdict; exits 1 if the twin is told apart from equipoise or
an altered twin is not.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mesa_reference import GeoSimTwin, agreement, equipoise_outcomes, twin_outcomes
from mesa_reference.equivalence import ALTERED, STEPS, scenario
from mesa_reference.outcomes import p_value_count, rejects

ALPHA = 0.05
#: The seeds of tests/test_mesa_equivalence.py: equipoise, the twin, the altered twins.
SEEDS = (11, 12, 13)


def _table(table: pd.DataFrame) -> str:
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        return table.to_string(
            formatters={"p": "{:.2e}".format, "p_ks": "{:.2e}".format},
            float_format="{:.4f}".format,
        )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--equipoise", type=_positive, default=2000, help="replications (2000)")
    parser.add_argument("--twin", type=_positive, default=1000, help="twin replications (1000)")
    parser.add_argument(
        "--altered", type=_positive, default=300, help="replications of each altered twin (300)"
    )
    args = parser.parse_args(argv)
    s = scenario()
    level = ALPHA / p_value_count()
    print(
        f"{s.n_states} states, {STEPS} steps; {p_value_count()} p-values, each at "
        f"{ALPHA:g}/{p_value_count()} = {level:.5f}"
    )
    t0 = time.perf_counter()
    eq = equipoise_outcomes(s, args.equipoise, STEPS, seed=SEEDS[0])
    print(f"equipoise: {args.equipoise} replications in {time.perf_counter() - t0:.1f} s")
    plan: list[tuple[type[GeoSimTwin], int, tuple[str, ...]]] = [(GeoSimTwin, args.twin, ())]
    plan += [(model, args.altered, outcomes) for model, outcomes in ALTERED.items()]
    failures = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        for model, reps, outcomes in plan:
            task = progress.add_task(model.__name__, total=reps)
            t0 = time.perf_counter()
            twin = twin_outcomes(
                s,
                reps,
                STEPS,
                seed=SEEDS[1] if model is GeoSimTwin else SEEDS[2],
                model=model,
                progress=partial(progress.advance, task),
            )
            wall = time.perf_counter() - t0
            table = agreement(eq, twin, alpha=ALPHA)
            differs = rejects(table, ALPHA)
            print(f"\n{model.__name__}: {reps} replications in {wall:.1f} s")
            print(_table(table))
            p_min = table[["p", "p_ks"]].min(axis=1)
            if model is GeoSimTwin:
                ok = not differs.any()
                verdict = (
                    f"agrees with equipoise (smallest p {p_min.min():.3g})"
                    if ok
                    else f"DIFFERS on {list(table.index[differs])}"
                )
            else:
                told = [o for o in outcomes if differs[o]]
                ok = bool(told)
                verdict = (
                    f"told apart on {told} (p {p_min[told].min():.2g}); "
                    f"all rejected: {list(table.index[differs])}"
                    if ok
                    else f"NOT told apart on any of {list(outcomes)}"
                )
            print(f"verdict: {verdict}")
            failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
