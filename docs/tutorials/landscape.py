"""Tutorial: which alignments does landscape theory predict? Europe in 1936.

Landscape theory (Axelrod & Bennett 1993) predicts how states split into two coalitions from
their sizes s_i and their pairwise propensities p_ij to work together (positive) or apart
(negative). A configuration X that puts i and j on different sides "frustrates" them by
s_i s_j p_ij, and the energy E(X) = sum over pairs i<j on different sides of s_i s_j p_ij is
lowest where friends are together and enemies apart. States switch sides one at a time when
that lowers their frustration, so the system settles in a local minimum of E; the global
minimum is the prediction. Axelrod & Bennett's best-known test takes 17 European states in
1936 and predicts the sides of the Second World War.

This script builds the 1936 landscape from the data shipped with equipoise (alliances in force
from ATOP 5.1, wars fought in the previous 40 years from COW; sizes are CINC shares), lists
the stable configurations, compares the prediction with the wartime alignment, computes the
energy of all 2^16 configurations to see how deep the prediction's minimum is, checks how the
prediction depends on the war window, and then asks what landscape coalitions do in the
simulation: 50 balancers forming their alliances by landscape theory (``alliance_rule =
"landscape"``) against the same balancers allying against their top threat and the null world.
It writes ``tutorial-landscape.png``. Run from the repository root::

    python docs/tutorials/landscape.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise import Scenario, run
from equipoise.history.alignment import AB1936_ALIGNMENT, AB1936_STATES, alignment_components
from equipoise.landscape import energy

YEAR = 1936
WAR_YEARS = 40
SEED = 42


def _with_germany(names: tuple[str, ...], configuration: np.ndarray) -> dict[str, bool]:
    """For each state, whether the configuration puts it on Germany's side."""
    side = dict(zip(names, configuration, strict=True))
    return {n: bool(side[n] == side["GMY"]) for n in names}


def main(
    windows: tuple[int, ...] = (20, 30, 40, 50, 60, 80),
    replications: int = 100,
    steps: int = 500,
    out: Path = Path("docs/images"),
) -> dict[str, Any]:
    """Solve the 1936 landscape, compare it with history, simulate it and draw the figure.

    Parameters
    ----------
    windows : tuple of int
        War windows (years before 1936 whose wars count) for the sensitivity table.
    replications, steps : int
        Size of the simulation runs of step 6.
    out : Path
        Directory of the figure ``tutorial-landscape.png``.

    Returns
    -------
    dict
        ``coalitions`` (the predicted two coalitions), ``states`` (DataFrame: size, predicted
        and historical side per state), ``correct`` (states placed as in the war),
        ``configurations`` (stable configurations: energy and basin), ``historical_energy``,
        ``share_below_historical``, ``windows`` (DataFrame: correct states per window),
        ``simulation`` (DataFrame: outcomes of the three simulated worlds) and
        ``in_two_coalitions`` (whether every living state of the landscape world was in one
        of the two coalitions at every step).
    """
    # 1. The inputs. alignment_components returns the CINC sizes of the 17 states and three
    #    0/1 matrices: allied in 1936 (ATOP defence or offence pact), fought on opposite sides,
    #    fought on the same side (COW wars begun in the 40 years before). The propensity adds
    #    them with weights +1, -1 and +1.
    europe = alignment_components(YEAR, AB1936_STATES, war_years=WAR_YEARS)
    names, sizes = europe.names, europe.sizes
    propensity = europe.propensity()

    # 2. Every stable configuration (exact: all 2^16 = 65,536 configurations are searched),
    #    lowest energy first, with the share of starting points that end in each (basin).
    result = europe.solve()
    configurations = result.to_frame()
    print(f"Europe {YEAR}: {len(names)} states, wars of {YEAR - WAR_YEARS}-{YEAR - 1}")
    print(configurations.to_string())

    # 3. The prediction against the wartime alignment that Axelrod & Bennett compare with
    #    (AB1936_ALIGNMENT: 1 = on Germany's side).
    predicted = _with_germany(names, result.best)
    states = pd.DataFrame(
        {
            "size": sizes,
            "predicted": ["Germany" if predicted[n] else "Britain" for n in names],
            "historical": ["Germany" if AB1936_ALIGNMENT[n] else "Britain" for n in names],
        },
        index=pd.Index(names, name="state"),
    )
    states["match"] = states["predicted"] == states["historical"]
    correct = int(states["match"].sum())
    print()
    print(states.round(4).to_string())
    print(f"placed as in the war: {correct} of {len(names)}")

    # 4. How good a prediction is "the war"? The energy of every configuration (the first
    #    state held on side 0, so each split is counted once) against that of history.
    n = len(names)
    codes = np.arange(2 ** (n - 1))
    every = (codes[:, None] >> np.arange(n - 1)) & 1  # one row per configuration
    every = np.hstack([np.zeros((codes.size, 1), dtype=every.dtype), every])
    energies = energy(sizes, propensity, every)
    history = np.array([AB1936_ALIGNMENT[name] for name in names])
    if history[0]:  # keep the first state on side 0, as in the enumeration
        history = 1 - history
    historical_energy = float(energy(sizes, propensity, history))
    below = float((energies < historical_energy).mean())
    print(
        f"energy: prediction {result.best_energy:.5f}, wartime alignment "
        f"{historical_energy:.5f}; {below:.2%} of all {codes.size:,} configurations lie lower"
    )

    # 5. Sensitivity: how many states are placed right as the war window changes?
    rows = []
    for years in windows:
        components = alignment_components(YEAR, AB1936_STATES, war_years=years)
        best = _with_germany(components.names, components.solve().best)
        rows.append(
            {
                "war_years": years,
                "correct": sum(best[m] == bool(AB1936_ALIGNMENT[m]) for m in components.names),
                "with_germany": " ".join(m for m in components.names if best[m]),
            }
        )
    sensitivity = pd.DataFrame(rows).set_index("war_years")
    print()
    print(sensitivity.to_string())

    # 6. Landscape coalitions in the simulation. The built-in balancers ally against their top
    #    threat; with alliance_rule = "landscape" every living state is instead put, every
    #    landscape_interval steps, into one of two coalitions at a local minimum of the same
    #    energy (sizes: capability shares; propensities: hostile, more so when close or
    #    aggressive). Against the null world, where nobody allies, what changes?
    balancers = Scenario.load("balancers")
    worlds = {
        "null": Scenario.load("null"),
        "balancers, threat rule": balancers,
        "balancers, landscape rule": balancers.replace(
            name="landscape-balancers", alliances={"alliance_rule": "landscape"}
        ),
    }
    outcomes = {}
    in_two = True
    for label, scenario in worlds.items():
        simulated = run(scenario, replications=replications, steps=steps, seed=SEED)
        ds = simulated.dataset
        summary = simulated.summary().iloc[0]
        outcomes[label] = {
            "hegemony_rate": summary["hegemony_rate"],
            "hegemony_ci_high": summary["hegemony_ci_high"],
            "survivors": summary["survivors"],
            "wars_per_step": summary["wars_per_step"],
            "deaths_per_state_step": summary["deaths_per_state_step"],
            "allied_pairs": float(ds["alliances"].values[:, 1:].mean()),
        }
        if scenario.alliances.alliance_rule == "landscape":
            # the mechanism: from the first formation on, every living state (one holding
            # provinces) is in one of the two coalitions, blocs 2N and 2N + 1
            size = scenario.size
            alive = ds["provinces"].values[:, 1:] > 0
            bloc = ds["bloc"].values[:, 1:]
            in_two = bool(np.isin(bloc[alive], (2 * size, 2 * size + 1)).all())
    simulation = pd.DataFrame(outcomes).T
    print(f"\nsimulated, 50 states, {replications} replications x {steps} steps, seed {SEED}")
    print(simulation.round(4).to_string())
    print(f"every living state in one of two coalitions under the landscape rule: {in_two}")

    # 7. The figure: (a) the energy landscape with the prediction and history marked;
    #    (b) the propensity matrix ordered by the predicted coalitions; (c) the simulation.
    fig = Figure(figsize=(16, 5), layout="constrained")
    ax_energy, ax_matrix, ax_sim = fig.subplots(1, 3, width_ratios=(1, 1.1, 0.9))
    ax_energy.hist(energies, bins=80, color="#999999")
    ax_energy.set_yscale("log")
    ax_energy.axvline(result.best_energy, color="#b2182b", label="prediction (global minimum)")
    ax_energy.axvline(historical_energy, color="#2166ac", linestyle="--", label="wartime sides")
    ax_energy.set_xlabel("energy E(X)")
    ax_energy.set_ylabel("configurations")
    ax_energy.set_title(f"(a) energy of all {codes.size:,} configurations")
    ax_energy.legend(fontsize=9)

    order = states.assign(side=states["predicted"] == "Germany").sort_values(
        ["side", "size"], ascending=[True, False]
    )
    index = [names.index(name) for name in order.index]
    matrix = propensity[np.ix_(index, index)].astype(float)
    np.fill_diagonal(matrix, np.nan)
    limit = float(np.nanmax(np.abs(matrix))) or 1.0
    image = ax_matrix.imshow(matrix, cmap="RdBu", vmin=-limit, vmax=limit)
    ticks = np.arange(n)
    ax_matrix.set_xticks(ticks, order.index, rotation=90, fontsize=8)
    ax_matrix.set_yticks(ticks, order.index, fontsize=8)
    for label in (*ax_matrix.get_xticklabels(), *ax_matrix.get_yticklabels()):
        if not order.loc[label.get_text(), "match"]:
            label.set_color("#b2182b")
            label.set_fontweight("bold")
    split = int((~order["side"]).sum()) - 0.5
    ax_matrix.axhline(split, color="black")
    ax_matrix.axvline(split, color="black")
    ax_matrix.set_title(
        "(b) propensity, ordered by predicted coalition\n(red: side differs from the war)"
    )
    fig.colorbar(image, ax=ax_matrix, label="propensity p_ij (+ together, - apart)", shrink=0.8)

    x = np.arange(len(simulation))
    colours = ["#4d4d4d", "#1b7837", "#762a83"]
    ax_sim.bar(x, simulation["wars_per_step"], color=colours, alpha=0.8)
    for xi, (_, row) in zip(x, simulation.iterrows(), strict=True):
        ax_sim.annotate(
            f"{row['survivors']:.1f} survive\nhegemony {row['hegemony_rate']:.3f}",
            (xi, row["wars_per_step"]),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax_sim.set_xticks(x, [label.replace(", ", "\n") for label in simulation.index], fontsize=8)
    ax_sim.set_ylim(0, max(0.1, float(simulation["wars_per_step"].max()) * 1.35))
    ax_sim.set_ylabel("wars begun per step")
    ax_sim.set_title(f"(c) simulated, 50 states, {steps} steps")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-landscape.png", dpi=120)
    return {
        "coalitions": result.coalitions(),
        "states": states,
        "correct": correct,
        "configurations": configurations,
        "historical_energy": historical_energy,
        "share_below_historical": below,
        "windows": sensitivity,
        "simulation": simulation,
        "in_two_coalitions": in_two,
    }


if __name__ == "__main__":
    main()
