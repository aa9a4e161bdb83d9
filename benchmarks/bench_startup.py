"""Start-up time of the command line (issue 15: under 0.3 s for help and the scenario list).

    python benchmarks/bench_startup.py [--repeats 7]

Times ``equipoise --help``, ``equipoise scenario list`` and ``equipoise --version`` as a user
types them (the installed console script, a fresh process each time; best and median of
``--repeats``), next to a bare ``python -c pass``, and prints the load average.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TARGET = 0.3


def _times(cmd: list[str], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    exe = shutil.which("equipoise")
    base = [exe] if exe else [sys.executable, "-m", "equipoise.cli"]
    print(f"load average {os.getloadavg()}; command: {' '.join(base)}")
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "equipoise --help": [*base, "--help"],
        "equipoise scenario list": [*base, "scenario", "list"],
        "equipoise --version": [*base, "--version"],
    }
    for label, cmd in cases.items():
        t = _times(cmd, args.repeats)
        share = min(t) / TARGET
        flag = "" if label.startswith("python") else f"  ({share:.2f} of the 0.3 s target)"
        print(f"{label:26s} best {min(t):.3f} s, median {statistics.median(t):.3f} s{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
