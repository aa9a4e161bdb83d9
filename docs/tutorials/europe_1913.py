"""Tutorial: what did the balance of power look like in 1913? Data, measures, simulation.

On the eve of the First World War the great powers of Europe stood in two camps, the Triple
Alliance and the Triple Entente, with the United States and Japan outside Europe. Was that a
balance of power, and how concentrated was power compared with the rest of the COW record?
This script

1. reads the COW National Material Capabilities (Singer, Bremer & Stuckey 1972) shares of the
   eight major powers of 1913 and the two camps' totals;
2. measures the system with ``system_by_year``: leader, Ray-Singer concentration CON (Ray &
   Singer 1973), HHI and poles, and places 1913 among all years 1816-2016;
3. lists the alliances in force in 1913 from ATOP 5.1 (Leeds et al. 2002);
4. starts simulations from 1913 with ``scenario_from_history``: the eight powers on a map laid
   over their capitals, balancing power from the alliances of 1913, and the same powers in the
   null world (no balancing, no alliances); and compares their capability shares after 20
   steps with each other and with the COW record for 1933.

It writes ``tutorial-europe-1913.png``. Run from the repository root::

    python docs/tutorials/europe_1913.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from equipoise import run
from equipoise.history import scenario_from_history, shares_by_year, system_by_year

YEAR = 1913
SEED = 1
#: The two European camps of 1914 (historical knowledge, not derived from the data).
CAMPS = {"Triple Alliance": ("GMY", "AUH", "ITA"), "Triple Entente": ("UKG", "FRN", "RUS")}
CAMP_COLOURS = {"Triple Alliance": "#4d4d4d", "Triple Entente": "#2166ac", "outside": "#d6604d"}
SHOWN = ("USA", "GMY", "RUS", "UKG")


def main(
    replications: int = 500, steps: int = 20, out: Path = Path("docs/images")
) -> dict[str, Any]:
    """Measure the system of 1913, list its alliances and simulate from it.

    Parameters
    ----------
    replications : int
        Replications of the simulation started in 1913.
    steps : int
        Steps simulated (one step is read as one year: 20 steps end in 1933).
    out : Path
        Directory of the figure ``tutorial-europe-1913.png``.

    Returns
    -------
    dict
        ``shares`` (Series: state -> 1913 CINC share over the major powers), ``camps``
        (camp -> total share), ``system`` (the 1913 row of ``system_by_year``),
        ``alliances`` (ATOP defence and offence pairs), ``entente`` (pairs with consultation
        and neutrality pacts too), ``simulated`` (DataFrame, one row per state),
        ``initial_allied_pairs`` (allied pairs at step 0 of each balancing replication) and
        ``null_allied_pairs`` (the most allied pairs at any step of the null world).
    """
    # 1. Capability shares. COW's CINC averages each state's shares of six components
    #    (iron and steel, energy, total and urban population, military spending and
    #    personnel); shares_by_year renormalises it over the chosen states.
    table = shares_by_year(YEAR, YEAR, members="major")
    shares = table.set_index("stateabb")["share"].astype(float).sort_values(ascending=False)
    camps = {camp: float(shares[list(members)].sum()) for camp, members in CAMPS.items()}
    camps["outside"] = 1.0 - sum(camps.values())
    print(f"CINC shares of the major powers, {YEAR}:")
    print(shares.round(3).to_string())
    print("camps:", ", ".join(f"{k} {v:.3f}" for k, v in camps.items()))

    # 2. The same measures the simulation records, computed on history. Where does 1913 sit
    #    among all 201 years of the record?
    record = system_by_year(1816, 2016, members="major")
    system = record.loc[YEAR]
    rank = float((record["concentration"] < system["concentration"]).mean())
    print(
        f"\nleader {system['leader_abb']} ({system['leader_share']:.3f}), "
        f"runner-up {system['runner_up_abb']} ({system['runner_up_share']:.3f}), "
        f"CON {system['concentration']:.3f}, HHI {system['hhi']:.3f}, "
        f"{int(system['n_poles'])} poles (share >= 0.1)"
    )
    print(f"CON in {YEAR} is lower than in {1 - rank:.0%} of the years 1816-2016")

    # 3. Alliances in force: scenario_from_history reads ATOP. By default it keeps defence and
    #    offence pacts; the Anglo-French and Anglo-Russian ententes were consultation pacts.
    scenario = scenario_from_history(YEAR)
    alliances = scenario.initial_alliances
    entente = scenario_from_history(
        YEAR, pacts=("defense", "offense", "neutral", "consul")
    ).initial_alliances
    print("\nATOP defence/offence pairs:", ", ".join("-".join(p) for p in alliances))
    print("adding consultation/neutrality:", ", ".join("-".join(p) for p in entente))

    # 4. Simulate forward from 1913. from_history lays a lattice of provinces over the
    #    capitals (each power gets provinces in proportion to its capability) and starts from
    #    the 1913 capabilities and the defence/offence alliances. Every state balances power
    #    (the default strategy). The null world: the same powers, map and seed, but no state
    #    balances or bandwagons, and no alliance is in force. Same seed: common random numbers.
    worlds = {
        "balancing": scenario,
        "null": scenario_from_history(YEAR, strategy="none", name="history-1913-null").replace(
            initial_alliances=()
        ),
    }
    results = {
        name: run(world, replications=replications, steps=steps, seed=SEED)
        for name, world in worlds.items()
    }
    share = results["balancing"].dataset["share"]  # replication x step x state
    final = share.sel(step=steps)
    null_share = results["null"].dataset["share"]
    names = dict(enumerate(scenario.state_names()))
    leaders = pd.Series(final.argmax("state").values).map(names)
    null_leaders = pd.Series(null_share.sel(step=steps).argmax("state").values).map(names)
    history = (
        shares_by_year(YEAR, YEAR + steps, members=[int(c) for c in table["ccode"]])
        .pivot(index="year", columns="stateabb", values="share")
        .astype(float)
    )
    simulated = pd.DataFrame(
        {
            "start": share.sel(step=0).mean("replication").to_series(),
            "mean": final.mean("replication").to_series(),
            "p05": final.quantile(0.05, dim="replication").to_series(),
            "p95": final.quantile(0.95, dim="replication").to_series(),
            "leads": leaders.value_counts(normalize=True),
            "null_mean": null_share.sel(step=steps).mean("replication").to_series(),
            "null_leads": null_leaders.value_counts(normalize=True),
            f"history_{YEAR + steps}": history.loc[YEAR + steps],
        }
    ).loc[list(scenario.state_names())]
    simulated[["leads", "null_leads"]] = simulated[["leads", "null_leads"]].fillna(0.0)
    balancing = results["balancing"].dataset
    initial_pairs = balancing["alliances"].values[:, 0]
    null_pairs = int(results["null"].dataset["alliances"].values.max())
    print(f"\nsimulated from {YEAR}: {replications} replications x {steps} steps, seed {SEED}")
    print(simulated.round(3).to_string())
    print(
        "(mean, p05, p95, leads: balancing from the 1913 alliances; null_*: the null world; "
        "start: the model's initial capability shares, built by scenario_from_history from the "
        "NMC components; history renormalised over the states present that year: AUH ended "
        "in 1918)"
    )
    summaries = pd.concat([r.summary() for r in results.values()])
    summaries.index = list(results)
    columns = ["survivors", "final_leader_share", "wars_per_step", "deaths_per_state_step"]
    print(summaries[columns].round(4).to_string())
    print(
        f"allied pairs at the start: {int(initial_pairs[0])} (balancing), "
        f"at most {null_pairs} (null)"
    )

    # 5. The figure: (a) shares by camp, (b) concentration over the whole record,
    #    (c) simulated leader shares against history.
    fig = Figure(figsize=(14, 4.4), layout="constrained")
    ax_shares, ax_con, ax_sim = fig.subplots(1, 3, width_ratios=(1, 1.3, 1.3))
    camp_of = {s: c for c, members in CAMPS.items() for s in members}
    colours = [CAMP_COLOURS[camp_of.get(s, "outside")] for s in shares.index]
    ax_shares.bar(shares.index, shares.values, color=colours)
    handles = [
        Patch(color=c, label=f"{camp} ({camps[camp]:.2f})") for camp, c in CAMP_COLOURS.items()
    ]
    ax_shares.legend(handles=handles, fontsize=8)
    ax_shares.set_ylabel("CINC share of the major powers")
    ax_shares.set_title(f"(a) the great powers in {YEAR}")

    ax_con.plot(record.index, record["concentration"], color="black", linewidth=1)
    ax_con.axvline(YEAR, color=CAMP_COLOURS["Triple Entente"], linestyle="--")
    ax_con.annotate(
        f"{YEAR}: CON {system['concentration']:.2f}",
        (YEAR, system["concentration"]),
        xytext=(0.04, 0.9),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->"},
    )
    ax_con.set_xlabel("year")
    ax_con.set_ylabel("Ray-Singer concentration CON")
    ax_con.set_title("(b) concentration among the major powers")

    years = YEAR + share["step"].values
    for k, state in enumerate(SHOWN):
        colour = f"C{k}"
        band = share.sel(state=state).quantile([0.05, 0.95], dim="replication").values
        ax_sim.fill_between(years, band[0], band[1], color=colour, alpha=0.12, linewidth=0)
        ax_sim.plot(years, share.sel(state=state).mean("replication"), color=colour, label=state)
        ax_sim.plot(
            years, null_share.sel(state=state).mean("replication"), color=colour, linestyle=":"
        )
        ax_sim.plot(history.index, history[state], color=colour, linestyle="--", marker=".")
    ax_sim.plot([], [], color="grey", label="balancing: mean, 5-95%")
    ax_sim.plot([], [], color="grey", linestyle=":", label="null world: mean")
    ax_sim.plot([], [], color="grey", linestyle="--", marker=".", label="COW record")
    ax_sim.set_xticks(range(YEAR, YEAR + steps + 1, 5 if steps >= 10 else 1))
    ax_sim.set_xlabel("year (one step = one year)")
    ax_sim.set_ylabel("capability share")
    top = max(float(np.nanmax(history.values)), float(simulated["p95"].max()))
    ax_sim.set_ylim(0, max(0.55, top + 0.05))
    ax_sim.set_title(f"(c) simulated from {YEAR} vs history")
    ax_sim.legend(fontsize=8, ncols=2, loc="upper left")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-europe-1913.png", dpi=120)
    return {
        "shares": shares,
        "camps": camps,
        "system": system,
        "alliances": alliances,
        "entente": entente,
        "simulated": simulated,
        "initial_allied_pairs": initial_pairs,
        "null_allied_pairs": null_pairs,
    }


if __name__ == "__main__":
    main()
