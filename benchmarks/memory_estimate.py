"""Measured peak memory of `equipoise run` against the estimate that refuses runs up front.

Run from the repository root::

    python benchmarks/memory_estimate.py            # six cases, about a minute

Each case runs in a fresh process: ``equipoise.run`` and then ``Result.to_parquet`` (what
``equipoise run`` does), and prints the peak resident memory above the imports (VmHWM
minus VmHWM after ``import equipoise``) beside
:func:`equipoise._limits.estimate_run_bytes`. The estimate is a bound for refusing runs
that cannot fit, so ``estimate / measured`` should stay at or above 1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CASES = (  # N, R, T, record_states
    (20, 2000, 200, True),
    (20, 2000, 200, False),
    (20, 20000, 5, True),
    (50, 500, 400, True),
    (200, 200, 100, True),
    (200, 200, 100, False),
)


def _vmhwm() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def child(n: int, r: int, t: int, record: bool) -> None:
    """Run and save one case in this process; print a JSON line."""
    import equipoise

    base = _vmhwm()
    scenario = equipoise.Scenario.load("balancers").replace(n_states=n)
    result = equipoise.run(scenario, replications=r, steps=t, seed=1, record_states=record)
    with tempfile.TemporaryDirectory() as tmp:
        result.to_parquet(f"{tmp}/out")
    print(json.dumps({"peak": _vmhwm() - base}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--_child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        n, r, t, record = args._child
        child(int(n), int(r), int(t), record == "1")
        return
    from equipoise.run_memory import estimate_run_bytes

    mib = 2**20
    print(f"{'N':>4} {'R':>6} {'T':>4} states  measured MiB  estimate MiB  estimate/measured")
    for n, r, t, record in CASES:
        proc = subprocess.run(
            [sys.executable, __file__, "--_child", str(n), str(r), str(t), str(int(record))],
            capture_output=True,
            text=True,
            check=True,
        )
        peak = json.loads(proc.stdout.strip().splitlines()[-1])["peak"]
        estimate = estimate_run_bytes(n, r, t, record)
        print(
            f"{n:>4} {r:>6} {t:>4} {record!s:>6}  {peak / mib:>12.0f}  {estimate / mib:>12.0f}"
            f"  {estimate / peak:>17.2f}"
        )


if __name__ == "__main__":
    main()
