"""Water and hegemony in generated systems: the null world and balancers with 0, 1 and 2 channels.

Reprints the table of docs/findings.md, section 9 ("Water"): 400 replications x 500 steps per
cell, seed 7, the built-in ``null`` and ``balancers`` scenarios at 10 and 20 states with
``map.channels`` 0, 1 and 2 (straight water channels cutting the lattice; the stopping power of
water ``map.across_water`` at its default). P(hegemony) per world and Fisher's exact test of
balancers against the null world. About 30 s on 2 cores after compilation.
"""

from __future__ import annotations

from scipy.stats import fisher_exact

from equipoise import Scenario, run

REPLICATIONS, STEPS = 400, 500


def hegemony(name: str, n: int, channels: int) -> int:
    """Replications that reach hegemony."""
    scenario = Scenario.load(name).replace(n_states=n, map={"channels": channels})
    result = run(scenario, replications=REPLICATIONS, steps=STEPS, seed=7, record_states=False)
    return int((result.dataset["hegemony_onset"].values >= 0).sum())


def main() -> None:
    """Print one line per system size and number of channels."""
    print("states | channels | null | balancers | Fisher p")
    for n in (10, 20):
        for channels in (0, 1, 2):
            null, bal = hegemony("null", n, channels), hegemony("balancers", n, channels)
            table = [[null, REPLICATIONS - null], [bal, REPLICATIONS - bal]]
            p = fisher_exact(table)[1]
            print(
                f"{n} | {channels} | {null / REPLICATIONS:.3f} | {bal / REPLICATIONS:.3f} | {p:.2g}"
            )


if __name__ == "__main__":
    main()
