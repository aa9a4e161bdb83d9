"""Peak resident memory of large runs, each in a fresh process.

Run from the repository root::

    python benchmarks/peak_memory.py                 # headline and N=200, R=1000 (~4 min)
    python benchmarks/peak_memory.py --steps 50      # shorter runs, same chunk arrays

For each case it prints the wall time, the peak resident memory of the process
(VmHWM, so imports are included; the memory after ``import equipoise`` is shown
too) and the arrays that set the peak: the (R, N, N) arrays of one chunk
(``distance_discount`` float64, ``alliances`` int16, ``sanctions`` bool, each held
per chunk of replications, see ``engine._PAIR_BUDGET``) and the recorder's
per-step arrays, which grow with R and the number of steps.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CASES = (  # N, R, record_states
    (50, 1000, False),
    (50, 1000, True),
    (200, 1000, False),
    (200, 1000, True),
)


def _vmhwm_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(n: int, r: int, steps: int, record: bool) -> None:
    """Run one case in this process and print a JSON line."""
    import equipoise

    base = _vmhwm_mib()
    scenario = equipoise.Scenario.load("balancers").replace(n_states=n)
    start = time.perf_counter()
    equipoise.run(scenario, replications=r, steps=steps, seed=1, record_states=record)
    wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "peak": _vmhwm_mib(), "base": base}))


def arrays_mib(n: int, r: int, steps: int, record: bool) -> dict[str, float]:
    """Sizes in MiB of the arrays that dominate a run's memory."""
    from equipoise.engine import _PAIR_BUDGET
    from equipoise.results import SYSTEM_MEASURES

    chunk = min(r, max(1, _PAIR_BUDGET // (n * n)))
    pairs = chunk * n * n
    mib = 2**20
    return {
        "chunk": chunk,
        "distance_discount": 8 * pairs / mib,
        "alliances": 2 * pairs / mib,
        "sanctions": pairs / mib,
        "recorder": 8 * len(SYSTEM_MEASURES) * r * (steps + 1) / mib,
        "share": 4 * r * (steps + 1) * n / mib if record else 0.0,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=500, help="steps per run (default 500)")
    parser.add_argument("--_child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        n, r, steps, record = args._child
        child(int(n), int(r), int(steps), record == "1")
        return
    print(f"== peak memory, 'balancers', {args.steps} steps, each case in a fresh process")
    print(
        f"{'N':>4} {'R':>5} {'record':>6} {'wall s':>7} {'peak MiB':>9} {'import MiB':>10} "
        f"{'chunk':>6} {'discount':>9} {'alliances':>9} {'sanctions':>9} {'recorder':>9} "
        f"{'share':>7}"
    )
    for n, r, record in CASES:
        cmd = [sys.executable, os.path.abspath(__file__), "--_child"]
        cmd += [str(n), str(r), str(args.steps), "1" if record else "0"]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        res = json.loads(out.strip().splitlines()[-1])
        a = arrays_mib(n, r, args.steps, record)
        print(
            f"{n:>4} {r:>5} {record!s:>6} {res['wall']:>7.1f} {res['peak']:>9.0f} "
            f"{res['base']:>10.0f} {a['chunk']:>6} {a['distance_discount']:>9.1f} "
            f"{a['alliances']:>9.1f} {a['sanctions']:>9.1f} {a['recorder']:>9.1f} "
            f"{a['share']:>7.1f}"
        )


if __name__ == "__main__":
    main()
