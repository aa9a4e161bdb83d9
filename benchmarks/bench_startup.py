"""Start-up time of the command line (issues 15 and 25: under 0.3 s for help and the list).

    python benchmarks/bench_startup.py [--repeats 7]

Times ``equipoise --help``, ``equipoise scenario list``, ``equipoise --version`` and the
``--help`` of every command and subcommand as a user types them (the installed console
script, a fresh process each time; best and median of ``--repeats``), next to a bare
``python -c pass``, and prints the load average. The target is 0.3 s over the bare
interpreter (issue 25).
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
#: Every command and subcommand whose --help is timed.
SUBCOMMANDS = [
    ["run"],
    ["compare"],
    ["scenario", "show"],
    ["scenario", "history"],
    ["validate"],
    ["calibrate"],
    ["counterfactual"],
    ["sweep"],
    ["analyse"],
    ["report"],
    ["dashboard"],
    ["landscape"],
    ["panel", "state-years"],
    ["panel", "dyad-years"],
    ["data", "update"],
    ["data", "status"],
]


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
    for command in SUBCOMMANDS:
        cases[f"equipoise {' '.join(command)} --help"] = [*base, *command, "--help"]
    bare = 0.0
    for label, cmd in cases.items():
        t = _times(cmd, args.repeats)
        if label.startswith("python"):
            bare = min(t)
            flag = ""
        else:
            over = min(t) - bare
            flag = f"  (+{over:.3f} s over python: {over / TARGET:.2f} of the 0.3 s target)"
        print(f"{label:38s} best {min(t):.3f} s, median {statistics.median(t):.3f} s{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
