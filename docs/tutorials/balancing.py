"""Tutorial: does balancing prevent hegemony? Three populations against the null world.

Waltz (1979) predicts that in an anarchic system states balance against a rising power, so no
state comes to dominate the system. Walt (1987) and Schweller (1994) hold that states may
instead bandwagon: join the strongest. Whether either matters can only be judged against a
world in which states do neither. This script runs four built-in populations of 50 states on
the same map, with the same growth, technology and war, and the same seed, and asks how often
one state comes to hold at least half of all capabilities for ten consecutive steps
(hegemony, Niou, Ordeshook & Rose 1989):

- ``null``: no state balances or bandwagons (fixed arming share, no alliances, no sanctions);
- ``balancers``: every state arms against the military it faces, joins the coalition against
  a state that grows too strong, and sanctions it;
- ``no-alliances``: states only arm (internal balancing), with no alliances or sanctions;
- ``bandwagoners``: every state joins the strongest state's side, fights its wars and shares
  the spoils.

It prints the hegemony rate with its 95% Wilson interval and other outcomes, Fisher exact
tests of each population against ``null`` (Holm-adjusted), and writes
``tutorial-balancing.png``: the hegemony rates, the leader's share and the survivors over time.
Run from the repository root::

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
SCENARIOS = ("null", "balancers", "no-alliances", "bandwagoners")
#: One seed for every scenario: replication r of each starts from the same map and economies.
SEED = 42
COLOURS = {
    "null": "#4d4d4d",
    "balancers": "#1b7837",
    "no-alliances": "#8c6d31",
    "bandwagoners": "#b2182b",
}


def main(
    replications: int = 300, steps: int = 500, out: Path = Path("docs/images")
) -> pd.DataFrame:
    """Run the four populations, print their outcomes and draw the figure.

    Parameters
    ----------
    replications : int
        Replications per scenario.
    steps : int
        Steps per replication (a step is a year).
    out : Path
        Directory of the figure ``tutorial-balancing.png``.

    Returns
    -------
    DataFrame
        ``Result.summary()`` of each scenario, one row per scenario, with two more columns:
        ``allied_pairs`` (allied pairs of states, mean over replications and steps) and
        ``mean_arming`` (mean arming share of living states, likewise), and ``p_vs_null``
        (Fisher's exact test of the hegemony rate against ``null``; NaN for ``null``).
    """
    # 1. Run each population. Scenario.load reads a built-in scenario (or a TOML file);
    #    run() simulates all replications (in parallel threads) and returns a Result.
    results = {
        name: run(Scenario.load(name), replications=replications, steps=steps, seed=SEED)
        for name in SCENARIOS
    }

    # 2. The headline table: hegemony rate with its Wilson interval (Wilson 1927), the median
    #    step at which hegemony was reached, how many of the 50 states survive, the mean
    #    Ray-Singer concentration of capabilities (Ray & Singer 1973), state deaths per
    #    state-step, and two checks of what the strategies do: how many pairs of states are
    #    allied, and how much of their output states put into arms.
    table = pd.concat([result.summary() for result in results.values()])
    for name, result in results.items():
        ds = result.dataset
        table.loc[name, "allied_pairs"] = float(ds["alliances"].values[:, 1:].mean())
        table.loc[name, "mean_arming"] = float(ds["mean_arming"].values[:, 1:].mean())

    # 3. Is each population's hegemony rate different from the null world's by more than
    #    chance? With rates near 0 a normal approximation misleads; Fisher's exact test does
    #    not. Three tests: Holm's (1979) adjustment keeps the family-wise error at 5%.
    hits = (table["hegemony_rate"] * table["replications"]).round().astype(int)
    n = table["replications"].astype(int)
    others = [name for name in SCENARIOS if name != "null"]
    pvalues = [
        fisher_exact([[hits[s], n[s] - hits[s]], [hits["null"], n["null"] - hits["null"]]])[1]
        for s in others
    ]
    order = np.argsort(pvalues)
    holm = np.maximum.accumulate(
        np.minimum(1.0, (len(pvalues) - np.arange(len(pvalues))) * np.asarray(pvalues)[order])
    )
    table["p_vs_null"] = np.nan
    for k, s in enumerate(others):
        table.loc[s, "p_vs_null"] = pvalues[k]

    columns = [
        "hegemony_rate",
        "hegemony_ci_low",
        "hegemony_ci_high",
        "time_to_hegemony",
        "survivors",
        "mean_concentration",
        "final_leader_share",
        "deaths_per_state_step",
        "allied_pairs",
        "mean_arming",
    ]
    print(f"{replications} replications x {steps} steps, 50 states, seed {SEED}")
    with pd.option_context("display.width", 200):
        print(table[columns].round(4).to_string())
    for rank, k in enumerate(order):
        print(
            f"Fisher exact test, {others[k]} vs null: p = {pvalues[k]:.2g} "
            f"(Holm-adjusted {holm[rank]:.2g})"
        )

    # 4. The figure: (a) hegemony rates with their intervals; (b) the share of the strongest
    #    state over time and (c) the states still alive, median and 10-90% over replications.
    fig = Figure(figsize=(14, 4.4), layout="constrained")
    ax_rate, ax_share, ax_alive = fig.subplots(1, 3, width_ratios=(1, 1.4, 1.4))
    x = np.arange(len(SCENARIOS))
    rate = table["hegemony_rate"].to_numpy()
    err = np.vstack([rate - table["hegemony_ci_low"], table["hegemony_ci_high"] - rate])
    ax_rate.bar(x, rate, color=[COLOURS[s] for s in SCENARIOS], alpha=0.8)
    ax_rate.errorbar(x, rate, yerr=err, fmt="none", ecolor="black", capsize=6)
    for xi, r in zip(x, rate, strict=True):
        ax_rate.annotate(f"{r:.3f}", (xi, r), xytext=(6, 4), textcoords="offset points")
    ax_rate.set_xticks(x, SCENARIOS, rotation=20)
    ax_rate.set_ylim(0, max(0.25, float(table["hegemony_ci_high"].max()) + 0.05))
    ax_rate.set_ylabel("hegemony rate (95% Wilson interval)")
    ax_rate.set_title("(a) how often one state dominates")

    for name, result in results.items():
        for ax, variable in ((ax_share, "leader_share"), (ax_alive, "survivors")):
            values = result.dataset[variable]  # replication x step
            low, mid, high = (values.quantile(q, dim="replication") for q in (0.1, 0.5, 0.9))
            step = values["step"].values
            ax.fill_between(step, low, high, color=COLOURS[name], alpha=0.12, linewidth=0)
            ax.plot(step, mid, color=COLOURS[name], label=name)
    threshold = Scenario.load("balancers").hegemony.hegemony_threshold
    ax_share.axhline(threshold, color="grey", linestyle="--", linewidth=1)
    ax_share.text(0, threshold + 0.01, "hegemony threshold", color="grey", fontsize=9)
    ax_share.set_xlabel("step (year)")
    ax_share.set_ylabel("share of the strongest state")
    ax_share.set_ylim(0, 1)
    ax_share.set_title("(b) leader's share: median and 10-90% of replications")
    ax_share.legend(loc="upper left")
    ax_alive.set_xlabel("step (year)")
    ax_alive.set_ylabel("states alive")
    ax_alive.set_ylim(0, 52)
    ax_alive.set_title("(c) survivors: median and 10-90% of replications")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-balancing.png", dpi=120)
    return table


if __name__ == "__main__":
    main()
