"""The whole state system 1816-2016 (issue 28, item 6): 1,000 replications, wall and peak memory.

Runs ``scenario_from_history(1816, states="all", entries=True)`` (217 states listed, 23 at the
start, each later one entering on its COW date; alliances as treaties, and again with blocs)
for 201 steps, 1,000 replications, on all cores,
after compilation, in a fresh process per measurement so that each peak RSS is its own; then
the state-steps per second of generated systems of 50 and 200 states (balancers, 200 steps) in
the same session (M state-steps/s), and of the whole system (over living states). The target:
under 20 s on 2 cores, peak under 2 GiB. The machine is shared: the load average is printed and
only figures of one run are compared.

Usage: ``python benchmarks/bench_whole_system.py`` (``--quick``: 200 replications).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    import numpy as np
    from equipoise import Scenario, run
    from equipoise.history import scenario_from_history

    kind, reps, steps, record = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if kind == "system":  # alliances as treaties, the whole system's default
        s = scenario_from_history(1816, states="all", entries=True)
    elif kind == "blocs":  # the same with blocs, for comparison
        s = scenario_from_history(1816, states="all", entries=True, alliances={"treaties": False})
    else:
        s = Scenario.load("balancers").replace(n_states=int(kind))
    run(s, replications=2, steps=5, seed=1, record_states=False)  # compiled or loaded
    t = time.perf_counter()
    r = run(s, replications=reps, steps=steps, seed=1, record_states=record == "states",
            record_dyads=record == "dyads")
    wall = time.perf_counter() - t
    living = float(r.dataset["survivors"].values[:, 1:].sum())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "living_state_steps": living, "peak_mib": peak,
                      "states": s.size}))
    """
)


def measure(kind: str, reps: int, steps: int, record: str) -> dict[str, float]:
    """One measurement in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(reps), str(steps), record],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Print the figures of benchmarks/README.md, section "The whole system"."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 replications, not 1,000")
    args = parser.parse_args()
    reps = 200 if args.quick else 1000
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    whole = measure("system", reps, 201, "none")
    per = whole["wall"] * 1000 / reps
    print(
        f"whole system 1816-2016 ({whole['states']:.0f} states listed), {reps} x 201 steps, "
        f"all cores: {whole['wall']:.2f} s (per 1,000: {per:.2f} s; target 20 s: "
        f"{per / 20:.2f} of it), peak {whole['peak_mib']:.0f} MiB; "
        f"{whole['living_state_steps'] / whole['wall'] / 1e6:.2f} M living state-steps/s"
    )
    blocs = measure("blocs", reps, 201, "none")
    print(
        f"  with blocs instead of treaties: {blocs['wall']:.2f} s (treaties "
        f"{whole['wall'] / blocs['wall']:.2f}x as long), peak {blocs['peak_mib']:.0f} MiB"
    )
    states = measure("system", max(reps // 5, 20), 201, "states")
    print(
        f"  with states recorded ({max(reps // 5, 20)} replications): {states['wall']:.2f} s, "
        f"peak {states['peak_mib']:.0f} MiB"
    )
    dyads = measure("system", reps, 201, "dyads")
    print(
        f"  with dyad-years counted ({reps} replications, record_dyads=True): "
        f"{dyads['wall']:.2f} s ({dyads['wall'] / whole['wall']:.2f} of the run without), "
        f"peak {dyads['peak_mib']:.0f} MiB"
    )
    for n in (50, 200):
        m = measure(str(n), reps, 200, "none")
        rate = n * 200 * reps / m["wall"] / 1e6
        print(f"generated, {n} states, {reps} x 200 steps: {m['wall']:.2f} s, {rate:.2f} M/s")
    print(f"load at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
