"""Tutorial: a new strategy in the compiled kernel, hedging, measured against balancing.

docs/tutorials/extending.md adds the strategy ``hedge`` to equipoise step by step (Kuik 2008;
Tessman 2012): a hedger balances power, but while the leading state is at war it joins no bloc
and answers no call to arms. This script is the experiment at the end: ten-state systems in
which every state balances power, every state hedges, or half do each, beside the null world,
all on the same seed (common random numbers). It prints the hegemony rate (95% Wilson
interval) with Fisher's exact test against the balancers, and what hedging changes directly:
how many states a war draws in, and the allied pairs in force. It writes
``tutorial-extending.png``. Run from the repository root::

    python docs/tutorials/extending.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.stats import fisher_exact

from equipoise import Scenario, run

SEED = 7


def main(
    replications: int = 200,
    steps: int = 500,
    n_states: int = 10,
    out: Path = Path("docs/images"),
) -> pd.DataFrame:
    """Run balancers, hedgers, a half-and-half mix and the null world; compare them.

    Parameters
    ----------
    replications : int
        Replications per world.
    steps : int
        Steps (years) per replication.
    n_states : int
        States in each system (10: few enough that leaders can rise within 500 steps).
    out : Path
        Directory of the figure ``tutorial-extending.png``.

    Returns
    -------
    DataFrame
        One row per world (``null``, ``balancers``, ``half-hedgers``, ``hedgers``): hegemony
        rate with its interval, survivors, mean participants per war, mean allied pairs per
        step, and the p-value of Fisher's exact test against ``balancers`` (NaN there).
    """
    # 1. The worlds. A hedger is one key of the [strategies] table, like any other strategy.
    balancers = Scenario.load("balancers").replace(n_states=n_states)
    worlds = {
        "null": Scenario.load("null").replace(n_states=n_states),
        "balancers": balancers,
        "half-hedgers": balancers.replace(
            name="half-hedgers", strategies={"balance_power": 0.5, "hedge": 0.5}
        ),
        "hedgers": balancers.replace(
            name="hedgers", strategies={"balance_power": 0.0, "hedge": 1.0}
        ),
    }

    # 2. The runs, on one seed: replication r of every world starts from the same map and
    #    economies, and draws the same numbers wherever the worlds agree.
    rows = []
    hits = {}
    for name, scenario in worlds.items():
        result = run(scenario, replications=replications, steps=steps, seed=SEED)
        summary = result.summary().iloc[0]
        hits[name] = round(summary["hegemony_rate"] * replications)
        wars = result.wars
        rows.append(
            {
                "world": name,
                "hegemony_rate": summary["hegemony_rate"],
                "hegemony_ci_low": summary["hegemony_ci_low"],
                "hegemony_ci_high": summary["hegemony_ci_high"],
                "survivors": summary["survivors"],
                "war_participants": float(wars["participants"].mean()) if len(wars) else 0.0,
                "allied_pairs": float(result.dataset["alliances"].values[:, 1:].mean()),
            }
        )
    table = pd.DataFrame(rows).set_index("world")

    # 3. Does hedging change the outcome? Fisher's exact test of each world's hegemony
    #    count against the balancers'.
    def p_value(name: str) -> float:
        if name == "balancers":
            return float("nan")
        a, b = hits[name], hits["balancers"]
        return float(fisher_exact([[a, replications - a], [b, replications - b]])[1])

    table["p_vs_balancers"] = [p_value(name) for name in table.index]
    print(f"{n_states} states, {replications} x {steps}, seed {SEED}")
    print(table.round(3).to_string())
    for name in ("half-hedgers", "hedgers"):
        print(
            f"{name} vs balancers: hegemony {table.loc[name, 'hegemony_rate']:.3f} against "
            f"{table.loc['balancers', 'hegemony_rate']:.3f} (Fisher p = "
            f"{table.loc[name, 'p_vs_balancers']:.2g}); a war draws in "
            f"{table.loc[name, 'war_participants']:.2f} states against "
            f"{table.loc['balancers', 'war_participants']:.2f}"
        )

    # 4. The figure: the hegemony rate with its interval, and the size of wars in states.
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax_rate, ax_war = fig.subplots(1, 2)
    x = np.arange(len(table))
    rate = table["hegemony_rate"].to_numpy()
    errors = np.vstack(
        [rate - table["hegemony_ci_low"].to_numpy(), table["hegemony_ci_high"].to_numpy() - rate]
    )
    colours = ["#8c564b", "#1f77b4", "#7f7fbf", "#9467bd"]
    ax_rate.bar(x, rate, yerr=errors, capsize=4, color=colours)
    ax_rate.set_ylabel("hegemony rate (95% Wilson interval)")
    ax_rate.set_title("(a) hegemony")
    ax_war.bar(x, table["war_participants"], color=colours)
    ax_war.set_ylim(2, max(3.0, float(table["war_participants"].max()) + 0.2))
    ax_war.set_ylabel("states per war (mean)")
    ax_war.set_title("(b) how many states a war draws in")
    for ax in (ax_rate, ax_war):
        ax.set_xticks(x, list(table.index))
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-extending.png", dpi=120)
    return table


if __name__ == "__main__":
    main()
