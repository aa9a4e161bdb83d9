"""equipoise against its Mesa 3 twin: same answers, and how much faster.

Run from the repository root (needs ``pip install -e ".[mesa-bench]"``)::

    python benchmarks/compare_mesa.py            # full run, about 3 minutes
    python benchmarks/compare_mesa.py --quick    # smoke run, under a minute

It prints, measured in one run:

1. **Agreement.** The outcome distributions of both implementations on the same
   scenarios (hegemony rate, survivors, concentration and leader share at the
   last step, wars), with 95% intervals, Fisher / Mann-Whitney U / two-sample
   Kolmogorov-Smirnov p-values (:mod:`mesa_reference.agreement`).
2. **Speed against N.** State-steps per second, ``replications * n_states * steps
   / wall``, for N in {10, 50, 100} with the ``balancers`` scenario: equipoise with
   1,000 replications batched in one process, Mesa with enough replications for
   a few seconds of work (its rate does not depend on how many it runs, since it
   runs them one after the other), and the ratio. The best of ``--repeats`` runs
   is reported for each. Walls include building the models or the initial state
   and collecting the results.
3. **Speed against replications** at N = 50: equipoise's rate climbs with R as the
   per-step cost of numpy calls is shared by more replications; Mesa's is flat.
4. A context row: the arming-only model (alliances, sanctions and war off), the
   kind of minimal model for which batched numpy is known to win by far more.
5. **The floor** at N = 50: the part of every step that no faster rule code can
   remove while results stay bit-identical: the engine's own random draws
   (``N_DRAWS`` uniforms per state per step from each replication's stream, in the
   engine's blocks), the growth rule (inverse-normal shocks) and the capability
   shares. Its rate over Mesa's is what this numpy engine, in one process, would
   reach if perception, arming, alliances, sanctions and war cost nothing.

It saves ``benchmarks/compare_mesa.png``: cost per state-step against N, and wall
time against replications, for both (log axes).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mesa

from equipoise import Scenario, run
from equipoise.engine import SHOCK, _draw_blocks, _generators, initial_state, replication_seeds
from equipoise.rules.growth import grow
from equipoise.state import capability_share
from mesa_reference import (
    BalanceOfPower,
    agreement,
    equipoise_outcomes,
    mesa_outcomes,
)

SIZES = (10, 50, 100)
EQ_R = 1000
MESA_R = {10: 150, 50: 60, 100: 30}  # Mesa replications per size: about 4 s each
SWEEP_EQ = (1, 10, 100, 1000)
SWEEP_MESA = (1, 3, 10, 30)
AGREEMENT = (  # scenario, N, steps, Mesa replications, equipoise replications
    ("balancers", 50, 200, 100, 1000),
    ("mixed", 20, 200, 200, 2000),
    ("bandwagoners", 20, 200, 200, 2000),
)
PNG = Path(__file__).resolve().parent / "compare_mesa.png"


@dataclass
class Timing:
    """One measured configuration."""

    impl: str
    n: int
    r: int
    steps: int
    wall: float

    @property
    def rate(self) -> float:
        return self.r * self.n * self.steps / self.wall


def time_equipoise(scenario: Scenario, r: int, steps: int, repeats: int) -> Timing:
    """Best wall of ``repeats`` equipoise runs (``record_states=False``, one process)."""
    run(scenario, replications=min(r, 10), steps=2, seed=1, record_states=False)  # warm-up
    walls = []
    for k in range(repeats):
        start = time.perf_counter()
        run(scenario, replications=r, steps=steps, seed=100 + k, record_states=False)
        walls.append(time.perf_counter() - start)
    return Timing("equipoise", scenario.size, r, steps, min(walls))


def time_mesa(scenario: Scenario, r: int, steps: int, repeats: int) -> Timing:
    """Best wall of ``repeats`` runs of ``r`` Mesa replications, one after the other."""
    walls = []
    for k in range(repeats):
        start = time.perf_counter()
        for i in range(r):
            model = BalanceOfPower(scenario, seed=1000 * k + i)
            for _ in range(steps):
                model.step()
        walls.append(time.perf_counter() - start)
    return Timing("mesa", scenario.size, r, steps, min(walls))


def _rate(x: float) -> str:
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.1f} k"


def machine() -> None:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, mesa {mesa.__version__}, "
        f"{cores} usable cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def section_agreement(quick: bool) -> None:
    print("== 1. same answers: outcome distributions (95% intervals; p of equality tests)")
    pd.set_option("display.width", 160)
    for name, n, steps, mesa_r, eq_r in AGREEMENT:
        if quick:
            n, steps, mesa_r, eq_r = min(n, 10), 60, 40, 400
        scenario = Scenario.load(name).replace(n_states=n)
        start = time.perf_counter()
        table = agreement(
            equipoise_outcomes(scenario, eq_r, steps, seed=1),
            mesa_outcomes(scenario, mesa_r, steps, seed=2),
        )
        print(
            f"-- {name}, N={n}, {steps} steps: equipoise {eq_r} replications, "
            f"Mesa {mesa_r} ({time.perf_counter() - start:.0f} s)"
        )
        out = pd.DataFrame(
            {
                "equipoise [95% CI]": [
                    f"{r.equipoise:.3f} [{r.eq_low:.3f}, {r.eq_high:.3f}]"
                    for r in table.itertuples()
                ],
                "Mesa [95% CI]": [
                    f"{r.mesa:.3f} [{r.mesa_low:.3f}, {r.mesa_high:.3f}]"
                    for r in table.itertuples()
                ],
                "overlap": table["overlap"],
                "p (Fisher/MWU)": table["p"].map("{:.3f}".format),
                "p (KS)": table["p_ks"].map(lambda p: "-" if np.isnan(p) else f"{p:.3f}"),
            },
            index=table.index,
        )
        print(out.to_string())
    print()


def section_speed(steps: int, repeats: int, quick: bool) -> list[tuple[Timing, Timing]]:
    eq_r = 100 if quick else EQ_R
    print(
        f"== 2. speed against N: 'balancers', {steps} steps, best of {repeats}; "
        f"equipoise {eq_r} replications in one process"
    )
    print(
        f"{'N':>4} {'equipoise s':>12} {'eq state-steps/s':>17} {'Mesa R':>7} {'Mesa s':>7} "
        f"{'Mesa state-steps/s':>19} {'ratio':>7}"
    )
    pairs = []
    for n in SIZES:
        scenario = Scenario.load("balancers").replace(n_states=n)
        mesa_r = max(1, MESA_R[n] // (4 if quick else 1))
        e = time_equipoise(scenario, eq_r, steps, repeats)
        m = time_mesa(scenario, mesa_r, steps, repeats)
        pairs.append((e, m))
        print(
            f"{n:>4} {e.wall:>12.2f} {_rate(e.rate):>17} {m.r:>7} {m.wall:>7.2f} "
            f"{_rate(m.rate):>19} {e.rate / m.rate:>6.1f}x"
        )
    print()
    return pairs


def section_replications(steps: int, repeats: int, quick: bool) -> tuple[list, list]:
    n = 50
    print(f"== 3. speed against replications: 'balancers', N={n}, {steps} steps")
    scenario = Scenario.load("balancers").replace(n_states=n)
    sweep_eq = SWEEP_EQ[:-1] if quick else SWEEP_EQ
    eq = [time_equipoise(scenario, r, steps, repeats) for r in sweep_eq]
    me = [time_mesa(scenario, r, steps, 1) for r in SWEEP_MESA[: 2 if quick else None]]
    mesa_rate = sum(t.r * t.n * t.steps for t in me) / sum(t.wall for t in me)
    print(f"Mesa: {', '.join(f'R={t.r} {t.wall:.2f} s' for t in me)} -> {_rate(mesa_rate)}/s")
    print(f"{'R':>6} {'equipoise s':>12} {'eq state-steps/s':>17} {'ratio to Mesa':>14}")
    for t in eq:
        print(f"{t.r:>6} {t.wall:>12.3f} {_rate(t.rate):>17} {t.rate / mesa_rate:>13.1f}x")
    print()
    return eq, me


def section_arming_only(steps: int, repeats: int, quick: bool) -> None:
    n = 50
    scenario = (
        Scenario.load("balancers")
        .replace(n_states=n)
        .replace(alliances={"enabled": False}, soft_balancing={"enabled": False})
        .replace(war={"enabled": False})
    )
    e = time_equipoise(scenario, 100 if quick else EQ_R, steps, repeats)
    m = time_mesa(scenario, 3 if quick else 10, steps, repeats)
    print(f"== 4. context: arming-only model (no alliances, sanctions or war), N={n}")
    print(
        f"equipoise {_rate(e.rate)}/s, Mesa {_rate(m.rate)}/s: ratio {e.rate / m.rate:.0f}x "
        "(dense pairwise rules are what the full model pays for)"
    )
    print()


def time_floor(scenario: Scenario, r: int, steps: int, repeats: int) -> Timing:
    """Best wall of the irreducible part of ``steps`` engine steps: draws, growth, shares."""
    walls = []
    for k in range(repeats):
        start = time.perf_counter()
        gens = _generators(replication_seeds(100 + k, range(r)))
        state = initial_state(scenario, gens)
        for draws in _draw_blocks(gens, scenario.size, steps):
            state = grow(state, scenario, draws[:, SHOCK])
            capability_share(state, scenario.growth.economic_weight)
        walls.append(time.perf_counter() - start)
    return Timing("floor", scenario.size, r, steps, min(walls))


def section_ceiling(
    steps: int, repeats: int, quick: bool, pairs: list[tuple[Timing, Timing]]
) -> None:
    n = 50
    scenario = Scenario.load("balancers").replace(n_states=n)
    e, m = next((e, m) for e, m in pairs if e.n == n)
    f = time_floor(scenario, e.r, steps, repeats)
    print(f"== 5. floor at N={n}: draws + growth shocks + shares alone, {e.r} replications")
    print(
        f"floor {_rate(f.rate)}/s ({f.wall:.2f} s) = {f.rate / m.rate:.0f}x Mesa: the ratio "
        f"of this engine in one process if every other rule cost nothing; the full engine "
        f"is at {e.rate / m.rate:.1f}x and spends {f.wall / e.wall:.0%} of its wall on the floor"
    )
    print()


def plot(pairs: list[tuple[Timing, Timing]], eq: list[Timing], me: list[Timing]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ns = [e.n for e, _ in pairs]
    ax1.plot(ns, [1e6 / e.rate for e, _ in pairs], "o-", label=f"equipoise (R={pairs[0][0].r})")
    ax1.plot(ns, [1e6 / m.rate for _, m in pairs], "s-", label="Mesa")
    ax1.set(xscale="log", yscale="log", xlabel="states N", ylabel="µs per state-step")
    ax1.set_title("cost against N ('balancers')")
    ax1.set_xticks(ns, [str(n) for n in ns])
    ax1.legend()
    ax2.plot([t.r for t in eq], [t.wall for t in eq], "o-", label="equipoise (measured)")
    ax2.plot([t.r for t in me], [t.wall for t in me], "s-", label="Mesa (measured)")
    per_rep = sum(t.wall for t in me) / sum(t.r for t in me)
    rs = np.array([1, max(t.r for t in eq)])
    ax2.plot(rs, per_rep * rs, "s:", color="C1", alpha=0.6, label="Mesa (x R)")
    ax2.set(xscale="log", yscale="log", xlabel="replications R", ylabel="wall time (s)")
    ax2.set_title(f"cost against replications (N={eq[0].n}, {eq[0].steps} steps)")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(PNG, dpi=120)
    print(f"saved {PNG.relative_to(Path.cwd()) if PNG.is_relative_to(Path.cwd()) else PNG}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run, under a minute")
    parser.add_argument("--steps", type=int, default=200, help="steps per run (default 200)")
    parser.add_argument("--repeats", type=int, help="timed repeats per cell (default 2)")
    parser.add_argument("--no-agreement", action="store_true", help="skip section 1")
    args = parser.parse_args(argv)
    steps = 40 if args.quick else args.steps
    repeats = args.repeats or (1 if args.quick else 2)
    t0 = time.perf_counter()
    print("== equipoise vs Mesa" + (" (--quick)" if args.quick else ""))
    machine()
    print()
    if not args.no_agreement:
        section_agreement(args.quick)
    pairs = section_speed(steps, repeats, args.quick)
    eq, me = section_replications(steps, repeats, args.quick)
    section_arming_only(steps, repeats, args.quick)
    section_ceiling(steps, repeats, args.quick, pairs)
    plot(pairs, eq, me)
    print(f"total {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
