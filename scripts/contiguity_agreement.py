"""How far the historical maps' land borders agree with COW direct contiguity (docs/history.md).

    python scripts/contiguity_agreement.py [YEAR ...]

For each year (default 1816, 1914 and 1990), the map of every system member
(``scenario_from_history(year, states="all")``) is built as the engine builds
it, once with the default geography (``"lattice"``: territories grown around
the capitals, every cell land) and once with ``"contiguity"`` (COW's borders
and seas), and compared with COW direct contiguity of that year
(:func:`equipoise.history.contiguity.contiguity_agreement`): the share of the
pairs that COW codes as bordering by land that share a land edge on the map,
and the share of the other pairs that share none. Prints a Markdown table.
"""

from __future__ import annotations

import sys

from equipoise.engine import build_map
from equipoise.history.contiguity import contiguity_agreement
from equipoise.history.scenario_builder import cow_codes, scenario_from_history

YEARS = (1816, 1914, 1990)


def main(years: tuple[int, ...]) -> None:
    """Print the agreement of both geographies for each year."""
    print("| year | states | land-contiguous pairs | other pairs | geography | bordering | apart |")
    print("|---|---:|---:|---:|---|---:|---:|")
    for year in years:
        for geography in ("lattice", "contiguity"):
            scenario = scenario_from_history(year, states="all", map={"geography": geography})
            graph = build_map(scenario)
            codes = cow_codes(scenario.state_names(), year)
            a = contiguity_agreement(graph, codes, year)
            print(
                f"| {year} | {scenario.size} | {a.n_land} | {a.n_other} | {geography} "
                f"| {a.bordering:.3f} | {a.apart:.3f} |"
            )


if __name__ == "__main__":
    main(tuple(int(y) for y in sys.argv[1:]) or YEARS)
