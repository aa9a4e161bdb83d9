"""Speed and peak memory of equipoise.panels: every add-on on every dyad-year and state-year.

Run from the repository root::

    python benchmarks/bench_panels.py            # three cases, ~1 min
    python benchmarks/bench_panels.py --repeat 5 # more warm repeats

Each case runs in a fresh process, which

1. imports ``equipoise.panels`` (the import time is shown, not counted);
2. builds the panel and applies every add-on of ``equipoise.panels.ADDONS`` (``nmc``,
   ``majors``, ``atop``, ``wars``, ``mids``, ``contiguity``, ``distance``, ``mindist``,
   ``democracy``, ``rivalries``, ``fpsim`` (dyad-years only), ``power-ratio``,
   ``peace-years``) once: the **cold** time, which includes reading and checking the data
   files and building the look-up tables (paid once per process);
3. builds it again ``--repeat`` times: the **warm** time (median), the panel work alone;
4. reports the peak resident memory of the process (VmHWM, imports included) and the size
   of the finished frame.

Times are wall-clock seconds with the process's CPU seconds beside them in parentheses: on a
machine shared with other work the wall time grows with the load, the CPU time much less
(the load average is printed in the header).

Targets (issues 14 and 24): all directed dyad-years 1816-2016 with every add-on in < 5 s
wall from a fresh process and < 2 GiB peak; all state-years with every add-on in < 0.5 s.
Each line says whether the warm and the cold time meet the target; the **fresh** column adds
the import of ``equipoise.panels`` to the cold time (the whole cost of a fresh process's
first panel). Of the cold time, reading and checking the data files and building the
look-up tables (the foreign-policy similarity of every pair of every year, the contiguity
months) is most; it is paid once per process and shown per step below the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CASES = (  # label, kind, directed, target seconds
    ("directed dyad-years 1816-2016", "dyad", True, 5.0),
    ("undirected dyad-years 1816-2016", "dyad", False, 5.0),
    ("state-years 1816-2016", "state", True, 0.5),
)


def _vmhwm_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, directed: bool, repeat: int) -> None:
    """Run one case in this process and print a JSON line."""
    start = time.perf_counter()
    import equipoise.panels as ep

    imported = time.perf_counter() - start
    base = _vmhwm_mib()

    def build() -> tuple[object, dict[str, float]]:
        steps: dict[str, float] = {}
        t = time.perf_counter()
        panel = ep.dyad_years(directed=directed) if kind == "dyad" else ep.state_years()
        steps["build"] = time.perf_counter() - t
        for name, addon in ep.ADDONS.items():
            if kind == "state" and name in ep.DYAD_ONLY_ADDONS:
                continue
            t = time.perf_counter()
            panel = addon(panel)
            steps[name] = time.perf_counter() - t
        return panel, steps

    t, c = time.perf_counter(), time.process_time()
    panel, cold_steps = build()
    cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
    warm, warm_cpu, warm_steps = [], [], []
    for _ in range(repeat):
        del panel
        t, c = time.perf_counter(), time.process_time()
        panel, steps = build()
        warm.append(time.perf_counter() - t)
        warm_cpu.append(time.process_time() - c)
        warm_steps.append(steps)
    import pandas as pd

    assert isinstance(panel, pd.DataFrame)
    median_steps = {k: statistics.median(s[k] for s in warm_steps) for k in warm_steps[0]}
    print(
        json.dumps(
            {
                "rows": len(panel),
                "columns": panel.shape[1],
                "frame_mib": float(panel.memory_usage(deep=True).sum()) / 2**20,
                "import": imported,
                "base": base,
                "cold": cold,
                "cold_cpu": cold_cpu,
                "cold_steps": cold_steps,
                "warm": statistics.median(warm),
                "warm_cpu": statistics.median(warm_cpu),
                "warm_min": min(warm),
                "warm_steps": median_steps,
                "peak": _vmhwm_mib(),
            }
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm builds per case (default 3)")
    parser.add_argument("--_child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        kind, directed, repeat = args._child
        child(kind, directed == "1", int(repeat))
        return
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"== equipoise.panels, every add-on, each case in a fresh process "
        f"({os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    print(
        f"{'case':<33} {'rows':>10} {'cols':>5} {'fresh s':>7} {'cold s':>7} {'(cpu)':>6} "
        f"{'warm s':>7} {'(cpu)':>6} {'target':>7} {'peak MiB':>9} {'import MiB':>10} "
        f"{'frame MiB':>9}"
    )
    details = []
    for label, kind, directed, target in CASES:
        cmd = [sys.executable, os.path.abspath(__file__), "--_child"]
        cmd += [kind, "1" if directed else "0", str(args.repeat)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        res = json.loads(out.strip().splitlines()[-1])
        fresh = res["import"] + res["cold"]
        verdict = ", ".join(
            f"{name} {'ok' if ok else 'MISSED'}"
            for name, ok in (
                ("fresh", fresh < target),
                ("warm", res["warm"] < target),
                ("cold", res["cold"] < target),
                ("peak", res["peak"] < 2048),
            )
        )
        print(
            f"{label:<33} {res['rows']:>10,} {res['columns']:>5} {fresh:>7.2f} "
            f"{res['cold']:>7.2f} {res['cold_cpu']:>6.2f} {res['warm']:>7.2f} "
            f"{res['warm_cpu']:>6.2f} {target:>6.1f}s {res['peak']:>9.0f} {res['base']:>10.0f} "
            f"{res['frame_mib']:>9.0f}  {verdict}"
        )
        details.append((label, res))
    print("\nper step, seconds (cold = first call in the process, with the data files read):")
    for label, res in details:
        cold = ", ".join(f"{k} {v:.3f}" for k, v in res["cold_steps"].items())
        warm = ", ".join(f"{k} {v:.3f}" for k, v in res["warm_steps"].items())
        print(f"  {label}\n    cold: {cold}\n    warm: {warm}")
    imports = ", ".join(f"{res['import']:.2f}" for _, res in details)
    print(f"  (import equipoise.panels: {imports} s; counted in 'fresh' only)")


if __name__ == "__main__":
    main()
