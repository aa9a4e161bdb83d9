"""Tutorial: when does soft balancing suffice? Bounded sanctions against a rising state.

Soft balancing (Pape 2005; Paul 2005) is balancing without force: coordinated sanctions and
diplomatic denial that raise the costs of a leading state's rise without arming against it or
allying to fight it. Can it alone stop a rising state, compared with a world where no one
does anything? This script starts from the built-in ``soft-only`` scenario (50 states, no
arming response, no alliances; every state sanctions its top threat once that state's share
passes ``soft_balancing_threshold``) and the built-in ``null`` world, with growth shocks twice
the default, as power-transition theory (Organski & Kugler 1980; Gilpin 1981) locates the
danger in uneven growth, and varies

- ``soft_balancing.max_cost``: the share of its output level the target loses while every
  other state sanctions it (the bound; Hufbauer et al. 2007 put real episodes at about one per
  cent of GNP a year, mostly less);
- ``soft_balancing.sender_cost``: the senders' combined loss per unit of the target's loss.

It prints the hegemony rate (95% Wilson interval) of the null world and at every combination,
and writes ``tutorial-soft-balancing.png``. Run from the repository root::

    python docs/tutorials/soft_balancing.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise import Scenario, run

SEED = 7
#: Growth shocks twice the default (0.03): growth more uneven than the model's own.
GROWTH_VOLATILITY = 0.06


def main(
    replications: int = 200,
    steps: int = 500,
    max_costs: tuple[float, ...] = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1),
    sender_costs: tuple[float, ...] = (0.5, 1.0, 2.0),
    out: Path = Path("docs/images"),
) -> pd.DataFrame:
    """Run the null world and the soft-only world over a grid of sanction bounds and costs.

    Parameters
    ----------
    replications : int
        Replications per combination.
    steps : int
        Steps per replication.
    max_costs : tuple of float
        Values of ``soft_balancing.max_cost`` (0: sanctions cost nobody anything).
    sender_costs : tuple of float
        Values of ``soft_balancing.sender_cost``.
    out : Path
        Directory of the figure ``tutorial-soft-balancing.png``.

    Returns
    -------
    DataFrame
        One row per (sender_cost, max_cost), plus one for the null world (both NaN):
        hegemony rate with its interval, final leader share, mean number of sanctioning
        states per step.
    """
    # 1. The built-in soft-only scenario as shipped, beside the null world: with the default
    #    growth shocks, how often does hegemony arise?
    soft_only = Scenario.load("soft-only")
    for scenario in (soft_only, Scenario.load("null")):
        s = run(scenario, replications=replications, steps=steps, seed=SEED).summary()
        print(
            f"{scenario.name} as shipped: hegemony rate {s['hegemony_rate'].iloc[0]:.3f} "
            f"[{s['hegemony_ci_low'].iloc[0]:.3f}, {s['hegemony_ci_high'].iloc[0]:.3f}]"
        )
    # Rarely, if at all: there is little for sanctions to prevent. Make growth more uneven,
    # as in the power-transition story, in both worlds.
    uneven = {"growth_volatility": GROWTH_VOLATILITY}
    base = soft_only.replace(name="soft-only-uneven-growth", growth=uneven)
    null = Scenario.load("null").replace(name="null-uneven-growth", growth=uneven)

    # 2. The grid. The same seed everywhere (common random numbers): every combination and
    #    the null world start from the same maps and draw the same growth shocks, so
    #    differences come from the sanctions alone.
    def row(scenario: Scenario, **labels: float) -> dict[str, float]:
        result = run(scenario, replications=replications, steps=steps, seed=SEED)
        summary = result.summary().iloc[0]
        sanctioners = float(result.dataset["sanctioners"].values[:, 1:].mean())
        return {**labels, **summary, "sanctioners": sanctioners}

    rows = [row(null, sender_cost=np.nan, max_cost=np.nan)]
    for sender_cost in sender_costs:
        for max_cost in max_costs:
            scenario = base.replace(
                soft_balancing={"max_cost": max_cost, "sender_cost": sender_cost}
            )
            rows.append(row(scenario, sender_cost=sender_cost, max_cost=max_cost))
    table = pd.DataFrame(rows)
    columns = [
        "hegemony_rate",
        "hegemony_ci_low",
        "hegemony_ci_high",
        "final_leader_share",
        "sanctioners",
    ]
    print(
        f"\nuneven growth (volatility {GROWTH_VOLATILITY}), {replications} x {steps}, "
        f"seed {SEED}; first row: the null world"
    )
    shown = table.set_index(["sender_cost", "max_cost"])[columns]
    print(shown.round(3).to_string())

    # 3. The figure: hegemony rate and the leader's final share against max_cost, one line
    #    per sender_cost, with the Wilson interval as a band, and the null world as a line.
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_rate, ax_share = fig.subplots(1, 2)
    reference = table.iloc[0]
    for sender_cost, group in table.iloc[1:].groupby("sender_cost"):
        x = group["max_cost"].to_numpy()
        (line,) = ax_rate.plot(x, group["hegemony_rate"], marker="o", label=f"{sender_cost:g}")
        ax_rate.fill_between(
            x,
            group["hegemony_ci_low"],
            group["hegemony_ci_high"],
            color=line.get_color(),
            alpha=0.15,
            linewidth=0,
        )
        ax_share.plot(x, group["final_leader_share"], marker="o", color=line.get_color())
    for ax, value in (
        (ax_rate, reference["hegemony_rate"]),
        (ax_share, reference["final_leader_share"]),
    ):
        ax.axhline(value, color="black", linestyle="--", linewidth=1)
        ax.text(max(max_costs), value, "null world ", ha="right", va="bottom", fontsize=9)
    ax_rate.set_ylim(0, max(0.3, float(np.nanmax(table["hegemony_ci_high"])) + 0.05))
    ax_rate.set_xlabel("soft_balancing.max_cost (target's loss of output, at most)")
    ax_rate.set_ylabel("hegemony rate (95% Wilson interval)")
    ax_rate.set_title("(a) hegemony rate")
    ax_rate.legend(title="sender_cost")
    ax_share.set_xlabel("soft_balancing.max_cost (target's loss of output, at most)")
    ax_share.set_ylabel("mean share of the strongest state, last step")
    ax_share.set_title("(b) the leader's final share")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-soft-balancing.png", dpi=120)
    return table


if __name__ == "__main__":
    main()
