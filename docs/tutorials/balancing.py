"""Tutorial: does balancing prevent hegemony? A comparison of three populations.

Waltz (1979) predicts that in an anarchic system states balance against a rising power, so
no state comes to dominate the system. Walt (1987) and Schweller (1994) hold that states may
instead bandwagon: join the strongest. This script runs three populations of 20 states with
the same seed and everything else equal, and asks how often one state comes to hold at least
half of all capabilities for ten consecutive steps (hegemony, Niou, Ordeshook & Rose 1989):

- ``balancers``: every state arms, allies and sanctions against the strongest other state;
- ``no-alliances``: states only arm (internal balancing), with no alliances or sanctions;
- ``bandwagoners``: every state allies with the strongest and pays it appeasement.

It prints the hegemony rate with its 95% Wilson interval, a Fisher exact test of balancers
against bandwagoners, and writes ``tutorial-balancing.png``: the hegemony rates and the
leader's share over time. Run from the repository root::

    python docs/tutorials/balancing.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.stats import fisher_exact

from equipoise import Scenario, run

#: The built-in scenarios compared: identical except for how states respond to power.
SCENARIOS = ("balancers", "no-alliances", "bandwagoners")
#: One seed for every scenario: replication r of each starts from the same initial system.
SEED = 42
COLOURS = {"balancers": "#1b7837", "no-alliances": "#8c6d31", "bandwagoners": "#b2182b"}


def main(
    replications: int = 300, steps: int = 200, out: Path = Path("docs/images")
) -> pd.DataFrame:
    """Run the three populations, print their outcomes and draw the figure.

    Parameters
    ----------
    replications : int
        Replications per scenario.
    steps : int
        Steps per replication (think of a step as a year).
    out : Path
        Directory of the figure ``tutorial-balancing.png``.

    Returns
    -------
    DataFrame
        ``Result.summary()`` of each scenario, one row per scenario.
    """
    # 1. Run each population. Scenario.load reads a built-in scenario (or a TOML file);
    #    run() simulates all replications at once and returns a Result.
    results = {
        name: run(Scenario.load(name), replications=replications, steps=steps, seed=SEED)
        for name in SCENARIOS
    }

    # 2. The headline table: hegemony rate with its Wilson interval (Wilson 1927), the median
    #    step at which hegemony was reached, how many of the 20 states survive, and the mean
    #    Ray-Singer concentration of capabilities (Ray & Singer 1973).
    table = pd.concat([result.summary() for result in results.values()])
    columns = [
        "hegemony_rate",
        "hegemony_ci_low",
        "hegemony_ci_high",
        "time_to_hegemony",
        "survivors",
        "mean_concentration",
        "final_leader_share",
    ]
    print(f"{replications} replications x {steps} steps, seed {SEED}")
    print(table[columns].round(3).to_string())

    # 3. Is the difference between balancers and bandwagoners more than chance? With rates
    #    near 0 a normal approximation misleads; Fisher's exact test does not.
    hits = (table["hegemony_rate"] * table["replications"]).round().astype(int)
    n = table["replications"].astype(int)
    a, b = "balancers", "bandwagoners"
    _, pvalue = fisher_exact([[hits[a], n[a] - hits[a]], [hits[b], n[b] - hits[b]]])
    print(f"Fisher exact test, {a} vs {b}: p = {pvalue:.2g}")

    # 4. The figure: (a) hegemony rates with their intervals; (b) the share of the strongest
    #    state over time, median and 10-90% range over replications.
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_rate, ax_share = fig.subplots(1, 2, width_ratios=(1, 2))
    x = np.arange(len(SCENARIOS))
    rate = table["hegemony_rate"].to_numpy()
    err = np.vstack([rate - table["hegemony_ci_low"], table["hegemony_ci_high"] - rate])
    ax_rate.bar(x, rate, color=[COLOURS[s] for s in SCENARIOS], alpha=0.8)
    ax_rate.errorbar(x, rate, yerr=err, fmt="none", ecolor="black", capsize=6)
    for xi, r in zip(x, rate, strict=True):
        ax_rate.annotate(f"{r:.2f}", (xi, r), xytext=(8, 4), textcoords="offset points")
    ax_rate.set_xticks(x, SCENARIOS)
    ax_rate.set_ylim(0, 1)
    ax_rate.set_ylabel("hegemony rate (95% Wilson interval)")
    ax_rate.set_title("(a) how often one state dominates")

    for name, result in results.items():
        share = result.dataset["leader_share"]  # replication x step
        low, mid, high = (share.quantile(q, dim="replication") for q in (0.1, 0.5, 0.9))
        step = share["step"].values
        ax_share.fill_between(step, low, high, color=COLOURS[name], alpha=0.15, linewidth=0)
        ax_share.plot(step, mid, color=COLOURS[name], label=name)
    threshold = Scenario.load("balancers").hegemony.hegemony_threshold
    ax_share.axhline(threshold, color="grey", linestyle="--", linewidth=1)
    ax_share.text(0, threshold + 0.01, "hegemony threshold", color="grey", fontsize=9)
    ax_share.set_xlabel("step")
    ax_share.set_ylabel("share of the strongest state")
    ax_share.set_ylim(0, 1)
    ax_share.set_title("(b) leader's share: median and 10-90% of replications")
    ax_share.legend(loc="upper left")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-balancing.png", dpi=120)
    return table


if __name__ == "__main__":
    main()
