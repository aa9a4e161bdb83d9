"""Print a SHA-256 digest of every array of a few seeded runs.

Run it before and after a performance change: equal digests mean the change
kept results bit-identical. ``python benchmarks/digest.py``.
"""

from __future__ import annotations

import hashlib

import numpy as np

from equipoise import Scenario, run

CASES = (
    ("balancers", 50, 100, 200),
    ("balancers", 10, 200, 300),
    ("bandwagoners", 20, 200, 200),
    ("mixed", 20, 200, 200),
    ("no-alliances", 20, 100, 200),
    ("soft-only", 20, 100, 200),
)


def digest(name: str, n: int, reps: int, steps: int) -> str:
    scenario = Scenario.load(name).replace(n_states=n)
    ds = run(scenario, replications=reps, steps=steps, seed=7).dataset
    h = hashlib.sha256()
    for var in sorted(ds.data_vars):
        h.update(var.encode())
        h.update(np.ascontiguousarray(ds[var].values).tobytes())
    return h.hexdigest()[:16]


if __name__ == "__main__":
    print(f"numpy {np.__version__}")
    for case in CASES:
        print(f"{case[0]:13s} N={case[1]:3d} R={case[2]:3d} T={case[3]:3d} {digest(*case)}")
