"""equipoise's compiled kernel against its Mesa 3 twin and its own floor, like for like.

Run from the repository root (needs ``pip install -e ".[mesa-bench]"``)::

    python benchmarks/compare_mesa.py              # full run, about 5 minutes
    python benchmarks/compare_mesa.py --quick      # smoke run, under a minute

It prints, in one run (issue 15):

1. **The machine**: CPU, cores, versions, ``NUMBA_NUM_THREADS`` and the load
   average before and after. The machine may be shared: compare only ratios
   measured in the same run.
2. **Rates** in state-steps per second (``replications * states * steps /
   wall``) for 10, 50 and 200 generated states (scenario ``balancers``, all
   rules on, on the default lattices of 144, 625 and 2,500 provinces), every
   implementation on the same scenario and number of steps, back to back:

   - *equipoise, all cores*: ``run(..., threads=None)``, the kernel on
     ``NUMBA_NUM_THREADS`` threads (one per core), a few replications per task;
   - *equipoise, one thread*: ``run(..., threads=1)`` (no thread pool at all);
   - *floor, all cores* and *floor, one thread*: the same kernel and map on the
     floor scenario (below);
   - *Mesa*: the twin (:mod:`mesa_reference`), one replication after another in
     this one process.

   Each cell is timed over enough replications for about ``--seconds`` of work
   (calibrated by short probes), best of ``--repeats``. Walls include building
   every model or initial state and recording results: equipoise runs with
   ``record_states=True`` (share, provinces and bloc of every state at every
   step), the twin's DataCollector records the system measures and every
   state's share and provinces at every step. Printed: the ratio of each
   equipoise rate to Mesa's, and *full model rate / floor rate*; and the same
   ratios per CPU second of the process (``time.process_time``) for the
   single-threaded cells, which other processes on a shared machine move much
   less than the walls (they still share its caches and memory bandwidth).
3. **Compile time**: a fresh process with an empty ``NUMBA_CACHE_DIR`` imports
   equipoise and runs 1 replication x 1 step (cold: the kernel compiles), then
   a second fresh process with that cache does the same (cached); each prints
   import and first-run times; the sum is its time to the first result.
   ``--quick`` times only the cached start, on the default cache.
4. **Headline and peak memory**: 1,000 replications x 50 states x 500 steps of
   ``balancers`` in fresh child processes (after loading the cached kernel
   with a 2 x 2 run): all cores with ``record_states=True`` (``run``'s default)
   and with ``record_states=False``, and one thread with
   ``record_states=False``; each reports its wall and its peak resident memory
   (``VmHWM``, imports included).
5. **Cost by rule**: for 50 and 200 states, the one-thread rate per CPU second
   with all rules on and with each of technology, internal balancing,
   alliances, soft balancing and war switched off in turn (``enabled =
   false``): where the kernel's time goes. Not additive: a rule switched off
   changes what the others do (without war no state dies).
6. **Targets** of issue 15, each with the figure that decides it.

And it saves ``benchmarks/compare_mesa.png``: cost per state-step against the
number of states, every implementation, log axes.

The floor
---------
The same compiled kernel, map, initial state, recorder and number of draws per
state-step of growth, set by scenario parameters only (no code path is
special-cased): ``balancers`` with ``technology.enabled``, ``internal.enabled``,
``alliances.enabled``, ``soft_balancing.enabled`` and ``war.enabled`` all
``false`` and every state of strategy ``none`` (so threat perception finds no
threat). What still runs each step: the step's bookkeeping, the rules'
switch tests, the refresh of fronts, growth (one shock draw per state, every
province's output grows, military stocks accumulate), the aggression record,
capability shares, and the recorder of every measure (with
``record_states=True``) -- draws, growth and measures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mesa
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

import equipoise
from equipoise import Scenario, run
from equipoise.engine import build_map
from mesa_reference import GeoSimTwin

SCENARIO = "balancers"
SIZES = (10, 50, 200)
RULE_SIZES = (50, 200)
SEED = 20261203
PNG = Path(__file__).resolve().parent / "compare_mesa.png"
ALL, ONE, FLOOR_ALL, FLOOR_ONE, MESA = (
    "equipoise, all cores",
    "equipoise, one thread",
    "floor, all cores",
    "floor, one thread",
    "Mesa",
)
IMPLEMENTATIONS = (ALL, ONE, FLOOR_ALL, FLOOR_ONE, MESA)
#: Issue 15's targets.
TARGET_ALL, TARGET_ONE, TARGET_FLOOR = 200.0, 100.0, 0.5
TARGET_HEADLINE, TARGET_PEAK_MIB, TARGET_COMPILE, TARGET_START = 3.0, 1024.0, 30.0, 1.0


def floor_scenario(scenario: Scenario) -> Scenario:
    """``scenario`` with every rule off but draws, growth and measures (module docstring)."""
    return scenario.replace(
        strategies={
            "balance_power": 0.0,
            "balance_threat": 0.0,
            "bandwagon": 0.0,
            "buck_pass": 0.0,
            "none": 1.0,
        },
        technology={"enabled": False},
        internal={"enabled": False},
        alliances={"enabled": False},
        soft_balancing={"enabled": False},
        war={"enabled": False},
    )


@dataclass
class Cell:
    """One timed configuration: an implementation at a size."""

    impl: str
    states: int
    replications: int
    steps: int
    wall: float
    cpu: float

    @property
    def rate(self) -> float:
        """State-steps per second."""
        return self.replications * self.states * self.steps / self.wall

    @property
    def cost_us(self) -> float:
        """Microseconds per state-step."""
        return 1e6 / self.rate

    @property
    def cpu_rate(self) -> float:
        """State-steps per CPU second of the process (all its threads)."""
        return self.replications * self.states * self.steps / self.cpu


def _time_equipoise(
    scenario: Scenario, reps: int, steps: int, threads: int | None
) -> tuple[float, float]:
    """Wall and CPU seconds of one ``run``."""
    t0, c0 = time.perf_counter(), time.process_time()
    run(scenario, reps, steps, seed=SEED, threads=threads)
    return time.perf_counter() - t0, time.process_time() - c0


def _time_mesa(scenario: Scenario, reps: int, steps: int, first: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``reps`` twin replications, one after another."""
    t0, c0 = time.perf_counter(), time.process_time()
    for r in range(first, first + reps):
        model = GeoSimTwin(scenario, rng=np.random.default_rng([SEED, r]))
        model.run_for(steps)
    return time.perf_counter() - t0, time.process_time() - c0


def _calibrated(timer: Callable[[int], tuple[float, float]], seconds: float, multiple: int) -> int:
    """Replications for about ``seconds`` of work, a multiple of ``multiple``.

    Probes with ``multiple`` replications, four times more until a probe takes
    a tenth of the target (so that fixed costs per call do not inflate the
    estimate), then scales.
    """
    reps = multiple
    wall = timer(reps)[0]
    while wall < 0.1 * seconds:
        reps *= 4
        wall = timer(reps)[0]
    wanted = max(1, round(seconds * reps / wall))
    return max(multiple, math.ceil(wanted / multiple) * multiple)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _threads() -> int:
    import numba

    return int(getattr(numba.config, "NUMBA_NUM_THREADS", 0) or os.cpu_count() or 1)


def measure(
    sizes: tuple[int, ...], steps: int, seconds: float, repeats: int, progress: Progress
) -> list[Cell]:
    """Time every implementation at each size, back to back."""
    threads = _threads()
    cells: list[Cell] = []
    task = progress.add_task("timing", total=len(sizes) * len(IMPLEMENTATIONS) * (repeats + 1))
    for n in sizes:
        full = Scenario.load(SCENARIO).replace(n_states=n)
        floor = floor_scenario(full)
        run(full, 2, 2, seed=SEED)  # loads the cached kernel
        timers: dict[str, tuple[Callable[[int], tuple[float, float]], int]] = {
            ALL: (partial(_time_equipoise, full, steps=steps, threads=None), 4 * threads),
            ONE: (partial(_time_equipoise, full, steps=steps, threads=1), 4),
            FLOOR_ALL: (partial(_time_equipoise, floor, steps=steps, threads=None), 4 * threads),
            FLOOR_ONE: (partial(_time_equipoise, floor, steps=steps, threads=1), 4),
            MESA: (partial(_time_mesa, full, steps=steps, first=10_000), 1),
        }
        plan: dict[str, int] = {}
        for impl, (timer, multiple) in timers.items():
            progress.update(task, description=f"N={n:>3} {impl}: calibrating")
            plan[impl] = _calibrated(timer, seconds, multiple)
            progress.advance(task)
        best = dict.fromkeys(IMPLEMENTATIONS, (math.inf, math.inf))
        for _ in range(repeats):
            for impl in IMPLEMENTATIONS:
                reps = plan[impl]
                progress.update(task, description=f"N={n:>3} {impl} x{reps}")
                if impl == MESA:
                    timed = _time_mesa(full, reps, steps, first=0)
                else:
                    timed = timers[impl][0](reps)
                best[impl] = min(best[impl], timed)
                progress.advance(task)
        cells.extend(Cell(impl, n, plan[impl], steps, *best[impl]) for impl in IMPLEMENTATIONS)
    return cells


#: The rule switches of the cost-by-rule section (scenario tables with ``enabled``).
SWITCHES = ("technology", "internal", "alliances", "soft_balancing", "war")


def cost_by_rule(
    sizes: tuple[int, ...], steps: int, seconds: float, progress: Progress
) -> dict[int, dict[str, float]]:
    """One-thread rate per CPU second with each rule switched off in turn, and all on.

    Not additive: a rule switched off also changes what the others do (without
    war no state dies, so more states stay alive for every other rule).
    """
    rates: dict[int, dict[str, float]] = {}
    task = progress.add_task("cost by rule", total=len(sizes) * (len(SWITCHES) + 1))
    for n in sizes:
        full = Scenario.load(SCENARIO).replace(n_states=n)
        variants = {"all rules on": full}
        variants.update(
            {f"{name} off": full.replace(**{name: {"enabled": False}}) for name in SWITCHES}
        )
        rates[n] = {}
        for label, scenario in variants.items():
            progress.update(task, description=f"cost by rule: N={n:>3} {label}")
            timer = partial(_time_equipoise, scenario, steps=steps, threads=1)
            reps = _calibrated(timer, seconds, 4)
            cpu = timer(reps)[1]
            rates[n][label] = reps * n * steps / cpu
            progress.advance(task)
    return rates


def _child(code: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run ``code`` in a fresh Python; its last line of output is one JSON object."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


_FIRST_RESULT = """
import json, time
t0 = time.perf_counter()
from equipoise import run
t1 = time.perf_counter()
run("balancers", 1, 1, seed=1, record_states=False)
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_run": t2 - t1}))
"""


def compile_times(cold: bool) -> dict[str, dict[str, float]]:
    """Import and first-run times of fresh processes: cold (empty cache), then cached."""
    if not cold:
        return {"cached": _child(_FIRST_RESULT)}
    with tempfile.TemporaryDirectory(prefix="equipoise-numba-") as cache:
        first = _child(_FIRST_RESULT, {"NUMBA_CACHE_DIR": cache})
        second = _child(_FIRST_RESULT, {"NUMBA_CACHE_DIR": cache})
    return {"cold": first, "cached": second}


_HEADLINE = """
import json, time
from equipoise import run
threads = {threads}
run("balancers", 2, 2, seed=1, threads=threads)  # loads the cached kernel
t0 = time.perf_counter()
run("balancers", {reps}, {steps}, seed={seed}, record_states={record}, threads=threads)
wall = time.perf_counter() - t0
with open("/proc/self/status") as fh:
    peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
print(json.dumps({{"wall": wall, "peak_mib": peak}}))
"""


def headline(reps: int, steps: int, threads: int | None, record: bool) -> dict[str, float]:
    """Wall and peak resident memory of one headline run in a fresh process."""
    code = _HEADLINE.format(threads=threads, reps=reps, steps=steps, seed=SEED, record=record)
    return _child(textwrap.dedent(code))


def plot(cells: list[Cell], path: Path, title: str) -> None:
    """Cost per state-step against the number of states, for each implementation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import ScalarFormatter

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    styles = {
        ALL: ("o", "-"),
        ONE: ("s", "-"),
        FLOOR_ALL: ("o", ":"),
        FLOOR_ONE: ("s", ":"),
        MESA: ("^", "-"),
    }
    for impl in IMPLEMENTATIONS:
        rows = [c for c in cells if c.impl == impl]
        marker, line = styles[impl]
        ax.plot(
            [c.states for c in rows],
            [c.cost_us for c in rows],
            marker=marker,
            linestyle=line,
            label=impl,
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sorted({c.states for c in cells}))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set_xlabel("states (provinces: 12.5 per state)")
    ax.set_ylabel("cost per state-step (µs, log)")
    ax.set_title(title, fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=100)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _verdict(ok: bool) -> str:
    return "holds" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: short cells and runs")
    parser.add_argument("--steps", type=int, default=None, help="steps per replication (200)")
    parser.add_argument("--seconds", type=float, default=None, help="target wall per cell (3)")
    parser.add_argument("--repeats", type=int, default=None, help="best of this many (2)")
    parser.add_argument("--png", type=Path, default=PNG, help="where to save the plot")
    args = parser.parse_args()
    steps = args.steps or (50 if args.quick else 200)
    seconds = args.seconds or (0.5 if args.quick else 3.0)
    repeats = args.repeats or (1 if args.quick else 2)
    if steps < 1 or seconds <= 0 or repeats < 1:
        parser.error("--steps and --repeats must be positive integers, --seconds positive")
    if not args.png.parent.is_dir():
        parser.error(f"--png: no such directory {args.png.parent}")
    head_reps, head_steps = (100, 50) if args.quick else (1000, 500)

    import numba

    print(f"machine: {_cpu_model()}, {os.cpu_count()} cores, {platform.system()}")
    print(
        f"python {platform.python_version()}, equipoise {equipoise.__version__}, "
        f"numpy {np.__version__}, numba {numba.__version__} "
        f"(NUMBA_NUM_THREADS={_threads()}), mesa {mesa.__version__}"
    )
    load_before = os.getloadavg()
    print(f"load average before: {_load()}")
    print(
        f"scenario {SCENARIO!r}, {steps} steps, cells of about {seconds:g} s, best of "
        f"{repeats}; equipoise with record_states=True, Mesa with its DataCollector"
    )
    for n in SIZES:
        graph = build_map(Scenario.load(SCENARIO).replace(n_states=n))
        print(f"  N={n:>3}: {graph.width} x {graph.height} lattice, {graph.n_provinces} provinces")
    print(
        "floor: the same kernel with technology, internal balancing, alliances, soft "
        "balancing and war off and every state 'none' (draws, growth, measures)"
    )

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=True
    ) as progress:
        cells = measure(SIZES, steps, seconds, repeats, progress)
        by_rule = cost_by_rule(RULE_SIZES, steps, seconds / 2, progress)
        task = progress.add_task("compile and headline", total=4)
        progress.update(task, description="compile: fresh processes")
        comp = compile_times(cold=not args.quick)
        progress.advance(task)
        heads = {}
        for key, threads, record in (
            ("all cores, record_states=True", None, True),
            ("all cores, record_states=False", None, False),
            ("one thread, record_states=False", 1, False),
        ):
            progress.update(task, description=f"headline: {key}")
            heads[key] = headline(head_reps, head_steps, threads, record)
            progress.advance(task)

    print()
    print("1. rates (state-steps per second)")
    print(
        f"{'N':>4} {'implementation':<22} {'reps':>6} {'wall s':>7} {'CPU s':>7} "
        f"{'state-steps/s':>14} {'us/state-step':>14}"
    )
    for c in cells:
        print(
            f"{c.states:>4} {c.impl:<22} {c.replications:>6} {c.wall:>7.2f} {c.cpu:>7.2f} "
            f"{c.rate:>14,.0f} {c.cost_us:>14.3f}"
        )
    print()
    print("2. ratios, same run")
    table = {(c.states, c.impl): c.rate for c in cells}
    for n in SIZES:
        mesa_rate = table[n, MESA]
        print(
            f"  N={n:>3}: vs one Mesa process: all cores {table[n, ALL] / mesa_rate:7.1f}x, "
            f"one thread {table[n, ONE] / mesa_rate:7.1f}x (floor: "
            f"{table[n, FLOOR_ALL] / mesa_rate:.1f}x, {table[n, FLOOR_ONE] / mesa_rate:.1f}x); "
            f"full model / floor: all cores {table[n, ALL] / table[n, FLOOR_ALL]:.2f}, "
            f"one thread {table[n, ONE] / table[n, FLOOR_ONE]:.2f}; "
            f"parallel speed-up {table[n, ALL] / table[n, ONE]:.2f}x"
        )
    print("  per CPU second (single-threaded cells; the other agents' load does not enter):")
    cpu = {(c.states, c.impl): c.cpu_rate for c in cells}
    for n in SIZES:
        print(
            f"  N={n:>3}: one thread / Mesa {cpu[n, ONE] / cpu[n, MESA]:7.1f}x, "
            f"floor one thread / Mesa {cpu[n, FLOOR_ONE] / cpu[n, MESA]:.1f}x, "
            f"full model / floor {cpu[n, ONE] / cpu[n, FLOOR_ONE]:.2f}"
        )
    print()
    print("3. compile time (fresh processes; import + 1 replication x 1 step)")
    for key, t in comp.items():
        label = "cold, empty NUMBA_CACHE_DIR" if key == "cold" else "cached, second process"
        print(
            f"  {label}: import {t['import']:.2f} s + first run {t['first_run']:.2f} s "
            f"= {t['import'] + t['first_run']:.2f} s to the first result"
        )
    print()
    print(
        f"4. headline {head_reps} replications x 50 states x {head_steps} steps (fresh processes)"
    )
    for key, h in heads.items():
        print(f"  {key}: {h['wall']:.2f} s, peak {h['peak_mib']:.0f} MiB (VmHWM)")
    print()
    print("5. cost by rule: one thread, state-steps per CPU second with one rule off")
    for n, rates in by_rule.items():
        on = rates["all rules on"]
        cells_text = ", ".join(
            f"{label} {rate / on:.2f}x" for label, rate in rates.items() if label != "all rules on"
        )
        print(f"  N={n:>3}: all rules on {on:,.0f}/s; relative to it: {cells_text}")
    print()
    print(f"load average after: {_load()}")

    print()
    print("6. targets of issue 15")
    r_all, r_one = table[50, ALL] / table[50, MESA], table[50, ONE] / table[50, MESA]
    f_all = table[50, ALL] / table[50, FLOOR_ALL]
    f_one = table[50, ONE] / table[50, FLOOR_ONE]
    print(
        f"  >= {TARGET_ALL:.0f}x Mesa, all cores, N=50: {r_all:.1f}x, "
        f"{_verdict(r_all >= TARGET_ALL)}"
    )
    print(
        f"  >= {TARGET_ONE:.0f}x Mesa, one thread, N=50: {r_one:.1f}x "
        f"({cpu[50, ONE] / cpu[50, MESA]:.1f}x per CPU second), {_verdict(r_one >= TARGET_ONE)}"
    )
    print(
        f"  full model >= {TARGET_FLOOR:.0%} of its floor, N=50: all cores {f_all:.0%}, "
        f"one thread {f_one:.0%} (per CPU second {cpu[50, ONE] / cpu[50, FLOOR_ONE]:.0%}), "
        f"{_verdict(min(f_all, f_one) >= TARGET_FLOOR)}"
    )
    if (head_reps, head_steps) == (1000, 500):
        best = min(h["wall"] for k, h in heads.items() if k.startswith("all cores"))
        peak = max(h["peak_mib"] for h in heads.values())
        print(
            f"  headline < {TARGET_HEADLINE:g} s: {best:.2f} s, {_verdict(best < TARGET_HEADLINE)}"
        )
        print(f"  peak < 1 GiB: {peak:.0f} MiB, {_verdict(peak < TARGET_PEAK_MIB)}")
    else:
        print("  headline and peak: not at full size in --quick")
    if "cold" in comp:
        cold = comp["cold"]["import"] + comp["cold"]["first_run"]
        print(
            f"  first compile < {TARGET_COMPILE:g} s: {cold:.1f} s, "
            f"{_verdict(cold < TARGET_COMPILE)}"
        )
    cached = comp["cached"]["import"] + comp["cached"]["first_run"]
    print(
        f"  cached second process runs in < {TARGET_START:g} s: {cached:.2f} s to the first "
        f"result, {_verdict(cached < TARGET_START)}"
    )

    title = (
        f"{SCENARIO}, {steps} steps; {_cpu_model()}, {os.cpu_count()} cores, "
        f"load {load_before[0]:.2f}-{os.getloadavg()[0]:.2f}"
    )
    plot(cells, args.png, title)
    print(f"saved {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
