"""Where a model 0.2 run spends its time: the engine's parts and the kernel's phases.

Run from the repository root::

    python benchmarks/profile_kernel.py                 # 200 replications x 500 steps
    python benchmarks/profile_kernel.py -r 50 -t 200    # smaller

Two tables, for one scenario (default ``balancers``) on one thread:

1. **The engine's parts.** The wall of :func:`equipoise.run` against the wall of
   the compiled kernel alone (:func:`equipoise.kernel.simulate` on the same
   replications and outputs) and the rest (output allocation, the measures
   computed from the shares in numpy, the war table, building the Result).
2. **The kernel's phases.** A copy of :func:`equipoise.kernel.step` that reads
   the processor's cycle counter (``llvm.readcyclecounter``, a few nanoseconds)
   around each rule, compiled in this script, so the kernel itself is not
   changed; each phase's share of the step's cycles is printed. The copy calls
   the same rules in the same order, so it follows the same trajectories: its
   outputs are checked against the kernel's.

Figures go in ``benchmarks/profile_notes.md`` with the load average printed here.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from equipoise import engine, run
from equipoise.kernel import KERNEL_MEASURES, _record, init_world, simulate
from equipoise.rules import alliances, growth, internal, soft, technology, threat, war
from equipoise.rules.indexes import refresh_fronts
from equipoise.rules.order import draw_order
from equipoise.scenario import Scenario
from equipoise.state import (
    CLK_OPEN,
    CLK_OVERFLOW,
    CLK_REP,
    CLK_STEP,
    COUNTERS,
    PACT_FIELDS,
    WAR_FIELDS,
    Params,
    World,
    new_world,
)

PHASES = (
    "reset",
    "order",
    "technology",
    "threat",
    "alliances",
    "soft decide",
    "internal",
    "war: ceasefires",
    "war: attacks",
    "war: battles",
    "war: close",
    "fronts",
    "soft losses",
    "growth",
    "aggression",
    "shares",
    "record",
)


@intrinsic
def _cycles(typingctx):  # type: ignore[no-untyped-def]
    """The processor's cycle counter (``llvm.readcyclecounter``)."""
    sig = types.uint64()

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        fnty = ir.FunctionType(ir.IntType(64), [])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.readcyclecounter")
        return builder.call(fn, [])

    return sig, codegen


@njit
def _timed_step(w: World, p: Params, acc: np.ndarray) -> None:
    """:func:`equipoise.kernel.step` with the cycle counter read between its phases."""
    n = p.n_states
    c = _cycles()
    w.clock[CLK_STEP] += 1
    for k in range(COUNTERS):
        if k != CLK_STEP and k != CLK_REP and k != CLK_OVERFLOW and k != CLK_OPEN:
            w.clock[k] = 0
    for i in range(n):
        w.attacked[i] = False
        w.loss[i] = 0.0
    c = _lap(acc, 0, c)
    draw_order(w, p)
    c = _lap(acc, 1, c)
    technology.change(w, p)
    c = _lap(acc, 2, c)
    threat.perceive(w, p)
    c = _lap(acc, 3, c)
    alliances.align(w, p)
    c = _lap(acc, 4, c)
    soft.decide(w, p)
    c = _lap(acc, 5, c)
    internal.arm(w, p)
    c = _lap(acc, 6, c)
    if p.war:  # war.fight, phase by phase
        war.ceasefires(w, p)
        c = _lap(acc, 7, c)
        war.attacks(w, p)
        c = _lap(acc, 8, c)
        war.battles(w, p)
        c = _lap(acc, 9, c)
        war.close_wars(w, p)
        c = _lap(acc, 10, c)
    refresh_fronts(w, p)
    c = _lap(acc, 11, c)
    if p.soft:
        soft.losses(w, p)
    c = _lap(acc, 12, c)
    growth.grow(w, p)
    c = _lap(acc, 13, c)
    for i in range(n):
        w.aggression[i] = p.aggression_memory * w.aggression[i] + (1.0 if w.attacked[i] else 0.0)
    c = _lap(acc, 14, c)
    threat.capability_shares(w, p)
    _lap(acc, 15, c)


@njit
def _lap(acc: np.ndarray, phase: int, since: int) -> int:
    """Add the cycles since ``since`` to ``phase``; return the counter now."""
    now = _cycles()
    acc[phase] += now - since
    return now


@njit
def _timed_simulate(
    p: Params,
    indptr: np.ndarray,
    indices: np.ndarray,
    pxy: np.ndarray,
    strategy: np.ndarray,
    init_owner: np.ndarray,
    init_capital: np.ndarray,
    init_output: np.ndarray,
    init_military: np.ndarray,
    init_arming: np.ndarray,
    init_bloc: np.ndarray,
    init_apart: np.ndarray,
    init_growth: np.ndarray,
    init_path: np.ndarray,
    reach: float,
    output_sigma: float,
    replications: np.ndarray,
    system: np.ndarray,
    share: np.ndarray,
    capacity: int,
    acc: np.ndarray,
) -> None:
    n = p.n_states
    for r in range(replications.size):
        sea = np.zeros(indices.size, np.bool_)  # the profiled scenarios are lattices: no seas
        w = new_world(
            indptr, indices, pxy, strategy, n, capacity, WAR_FIELDS, COUNTERS, sea, 0, PACT_FIELDS
        )
        init_world(
            w,
            p,
            replications[r],
            init_owner,
            init_capital,
            init_output,
            init_military,
            init_arming,
            init_bloc,
            init_apart,
            init_growth,
            init_path,
            reach,
            output_sigma,
            np.zeros((0, 4), np.int64),  # the profile runs scenarios without [[events]]
        )
        _record(w, p, 0, system[r], share[r])
        for t in range(1, p.steps + 1):
            _timed_step(w, p, acc)
            c = _cycles()
            _record(w, p, t, system[r], share[r])
            _lap(acc, 16, c)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--replications", type=int, default=200)
    parser.add_argument("-t", "--steps", type=int, default=500)
    parser.add_argument("-s", "--scenario", default="balancers")
    parser.add_argument("-n", "--states", type=int, default=None, help="override n_states")
    args = parser.parse_args()
    reps, steps, seed = args.replications, args.steps, 20261202
    scenario = Scenario.load(args.scenario)
    if args.states is not None:
        scenario = scenario.replace(n_states=args.states)
    print(
        f"load average {os.getloadavg()}; {args.scenario}, {scenario.size} states, "
        f"{reps} x {steps}, one thread"
    )

    graph = engine.build_map(scenario)
    params = engine.kernel_params(scenario, steps, seed)
    init = engine.initial_arrays(scenario, graph)
    strategy = engine.strategy_codes(scenario)
    n, capacity = scenario.size, max(64, steps) * 4
    index = np.arange(reps, dtype=np.int64)

    def kernel_only() -> np.ndarray:
        out = {
            "system": np.zeros((reps, steps + 1, len(KERNEL_MEASURES))),
            "share": np.zeros((reps, steps + 1, n)),
            "provinces": np.zeros((reps, 0, 0), dtype=np.int32),
            "blocs": np.zeros((reps, 0, 0), dtype=np.int32),
            "owners": np.zeros((reps, 0, 0), dtype=np.int16),
            "wars": np.zeros((reps, capacity, WAR_FIELDS)),
            "n_wars": np.zeros(reps, dtype=np.int64),
            "overflow": np.zeros(reps, dtype=np.int64),
        }
        engine._kernel_call(simulate, params, graph, strategy, init, scenario, index, out)
        assert not out["overflow"].any(), "war table too small for the profile"
        return out["system"]

    def timed() -> tuple[np.ndarray, np.ndarray]:
        system = np.zeros((reps, steps + 1, len(KERNEL_MEASURES)))
        share = np.zeros((reps, steps + 1, n))
        acc = np.zeros(len(PHASES), dtype=np.uint64)
        _timed_simulate(
            params,
            graph.indptr,
            graph.indices,
            graph.xy,
            strategy,
            init["init_owner"],
            init["init_capital"],
            init["init_output"],
            init["init_military"],
            init["init_arming"],
            init["init_bloc"],
            init["init_apart"],
            init["init_growth"],
            init["init_path"],
            float(scenario.power.reach),
            float(scenario.initial.output_inequality),
            index,
            system,
            share,
            capacity,
            acc,
        )
        return system, acc

    run(scenario, 2, 2, seed=1, record_states=False, threads=1)  # load the kernel
    kernel_only()
    timed()
    t0 = time.perf_counter()
    run(scenario, reps, steps, seed=seed, record_states=False, threads=1)
    t_run = time.perf_counter() - t0
    t0 = time.perf_counter()
    system = kernel_only()
    t_kernel = time.perf_counter() - t0
    t0 = time.perf_counter()
    system_timed, acc = timed()
    t_timed = time.perf_counter() - t0
    if not np.array_equal(system, system_timed):
        raise SystemExit("the timed copy of the step diverged from the kernel")

    rep_steps = reps * steps
    print("\n1. the engine's parts (one thread)")
    for label, wall in (("run()", t_run), ("kernel alone", t_kernel)):
        print(f"  {label:16s} {wall:7.3f} s  {1e6 * wall / rep_steps:6.2f} us per rep-step")
    rest = t_run - t_kernel
    print(f"  the rest         {rest:7.3f} s  ({100 * rest / t_run:.0f}% of run)")
    total = float(acc.sum())
    print(f"\n2. the kernel's phases (timed copy: {t_timed:.3f} s)")
    for name, cycles in sorted(zip(PHASES, acc, strict=True), key=lambda x: -int(x[1])):
        us = t_timed * float(cycles) / total / rep_steps * 1e6
        print(f"  {name:12s} {100 * float(cycles) / total:5.1f}%  {us:6.2f} us per rep-step")
    print(f"\nload average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
