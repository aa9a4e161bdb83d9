"""Britain's and Germany's 1906-14 shares of the five great powers of 1816, whole system.

Reprints the figures of docs/history.md ("Germany's rise"): from 1816 with every later state
entering on its date and the unifications replayed, sanctions off, 1,000 runs per world, the
5-95% band of each state's share of the five's capability (shares renormalised over the five),
averaged over 1906-14, and the percentile of history's value among the runs. History (COW
NMC, recomputed over the five): Britain 0.239, Germany 0.279.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from equipoise import run
from equipoise.history import scenario_from_history

FIVE = ["UKG", "FRN", "GMY", "AUH", "RUS"]
WORLDS: list[tuple[str, dict[str, Any]]] = [
    ("defaults", {}),
    ("trend dispersion 0.01", {"growth": {"growth_dispersion": 0.01}}),
    (
        "dispersion 0.01, catch-up 0.03",
        {"growth": {"growth_dispersion": 0.01, "convergence_rate": 0.03}},
    ),
    (
        "dispersion 0.01, calibrated catch-up 0.009",
        {"growth": {"growth_dispersion": 0.01, "convergence_rate": 0.009}},
    ),
    ("conquests replayed too", {"exits": "all"}),
]


def bands(war: bool, extra: dict[str, Any], replications: int = 1000) -> dict[str, np.ndarray]:
    """5th, 50th and 95th percentiles of each of the five's 1906-14 share, and history's rank."""
    options = dict(extra)
    exits = options.pop("exits", "peaceful")
    scenario = scenario_from_history(
        1816,
        states="all",
        entries=True,
        until=1914,
        exits=exits,
        soft_balancing={"enabled": False},
        war={"enabled": war},
        **options,
    )
    result = run(scenario, replications=replications, steps=98, seed=11, record_states=True)
    names = scenario.state_names()
    share = result.dataset["share"].values[:, 90:99][:, :, [names.index(n) for n in FIVE]]
    total = share.sum(axis=2, keepdims=True)
    relative = (share / np.where(total > 0, total, 1.0)).mean(axis=1)
    history = {"UKG": 0.239, "GMY": 0.279}
    out = {}
    for k, n in enumerate(FIVE):
        q = np.quantile(relative[:, k], [0.05, 0.5, 0.95])
        rank = float(np.mean(relative[:, k] < history[n])) if n in history else np.nan
        out[n] = np.append(q, rank)
    return out


def main() -> None:
    """Print the table of docs/history.md."""
    print("world | war | Britain (0.239) | Germany (0.279); [5%, 95%], history's percentile")
    for label, extra in WORLDS:
        for war in (False, True):
            b = bands(war, extra)
            cells = [
                f"{b[n][1]:.3f} [{b[n][0]:.3f}, {b[n][2]:.3f}], {100 * b[n][3]:.1f}"
                for n in ("UKG", "GMY")
            ]
            print(f"{label} | {'on' if war else 'off'} | {cells[0]} | {cells[1]}")


if __name__ == "__main__":
    main()
