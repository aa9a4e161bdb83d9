"""The landscape alliance rule in the simulation: the table of docs/landscape.md.

Reprints the table of docs/landscape.md ("In the simulation"): the built-in scenarios of 50
states, 200 replications x 500 steps, seed 42, under the default ``threat`` alliance rule and
under ``landscape`` (Axelrod & Bennett 1993). ``null`` forms no alliances under ``threat``, so
it is the baseline. For each: the hegemony rate with its 95% Wilson interval, survivors at the
end, the leader's final share, wars begun and state deaths per state-step, allied pairs (mean
over steps 1-500) and the wall seconds of the run. Then the checks of the paragraph below the
table: wars begun per step among balancers under the landscape rule with 10 states instead of
50, or a ``superiority_threshold`` of 1 (50 replications x 300 steps each), with a threshold of
0.3, or with allies that never honour a call (``alliance_reliability = 0``; 20 replications x
100 steps each). Run from the repository root::

    python docs/scripts/landscape_rule.py
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from equipoise import Scenario, run

SEED = 42
RUNS = [
    ("null", "threat"),
    ("balancers", "threat"),
    ("balancers", "landscape"),
    ("bandwagoners", "threat"),
    ("bandwagoners", "landscape"),
    ("mixed", "threat"),
    ("mixed", "landscape"),
]

#: Balancers under the landscape rule with one change each: (label, scenario changes,
#: replications, steps).
CHECKS: list[tuple[str, dict[str, Any], int, int]] = [
    ("10 states", {"n_states": 10}, 50, 300),
    ("superiority_threshold 1", {"war": {"superiority_threshold": 1.0}}, 50, 300),
    ("superiority_threshold 0.3", {"war": {"superiority_threshold": 0.3}}, 20, 100),
    ("alliance_reliability 0", {"alliances": {"alliance_reliability": 0.0}}, 20, 100),
]


def main(replications: int = 200, steps: int = 500) -> pd.DataFrame:
    """Run every (scenario, rule) of the table and print it.

    Parameters
    ----------
    replications : int
        Replications per row.
    steps : int
        Steps per replication.

    Returns
    -------
    DataFrame
        One row per (scenario, rule), the columns of the table.
    """
    rows = []
    outsiders = ""
    for name, rule in RUNS:
        scenario = Scenario.load(name).replace(alliances={"alliance_rule": rule})
        start = time.perf_counter()
        result = run(scenario, replications=replications, steps=steps, seed=SEED)
        seconds = time.perf_counter() - start
        summary = result.summary().iloc[0]
        if (name, rule) == ("mixed", "landscape"):
            # who dies when buck-passers stay out of the coalitions: states outside both
            # coalitions at step 1 (bloc -1) among the states destroyed by the last step
            outside = result.dataset["bloc"].values[:, 1] < 0
            dead = result.dataset["share"].values[:, -1] <= 0
            outsiders = (
                f"\nmixed, landscape rule: {int((dead & outside).sum())} of the "
                f"{int(dead.sum())} states destroyed were outside both coalitions at step 1 "
                f"({int(outside.sum())} of {outside.size} states)"
            )
        rows.append(
            {
                "scenario": name,
                "rule": rule,
                "hegemony rate": f"{summary['hegemony_rate']:.3f} "
                f"[{summary['hegemony_ci_low']:.3f}, {summary['hegemony_ci_high']:.3f}]",
                "survivors": round(float(summary["survivors"]), 1),
                "final leader share": round(float(summary["final_leader_share"]), 3),
                "wars per step": round(float(summary["wars_per_step"]), 3),
                "deaths per state-step": round(float(summary["deaths_per_state_step"]), 4),
                "allied pairs": round(float(result.dataset["alliances"].values[:, 1:].mean())),
                "seconds": round(seconds, 1),
            }
        )
    table = pd.DataFrame(rows)
    print(f"{replications} replications x {steps} steps, 50 states, seed {SEED}")
    with pd.option_context("display.width", 200):
        print(table.to_string(index=False))
    print(outsiders)

    landscape = Scenario.load("balancers").replace(alliances={"alliance_rule": "landscape"})
    print("\nbalancers, landscape rule, one change each:")
    for label, changes, reps, length in CHECKS:
        scenario = landscape.replace(**changes)
        summary = run(scenario, replications=reps, steps=length, seed=SEED).summary().iloc[0]
        print(
            f"{label} ({reps} x {length}): {summary['wars_per_step']:.3f} wars begun per step, "
            f"{summary['survivors']:.1f} survivors, hegemony rate {summary['hegemony_rate']:.3f}"
        )
    return table


if __name__ == "__main__":
    main()
