"""Print the table of docs/history.md: simulated versus historical leader shares.

For each start year the major powers of that year are simulated with
``scenario_from_history`` defaults (200 replications, 20 steps, seed 1) and
compared with the COW record 20 years later. Historical shares are the
published NMC ``cinc`` renormalised to sum to 1 over the set of states named.

Run from the repository root: ``python docs/scripts/history_table.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equipoise import run
from equipoise.history import load_majors, load_nmc
from equipoise.history.scenario_builder import scenario_from_history

YEARS = (1816, 1913, 1938)
HORIZON = 20
REPLICATIONS = 200
SEED = 1


def majors_in(year: int) -> list[int]:
    """COW codes of the major powers in ``year``."""
    m = load_majors()
    return sorted(int(c) for c in m[(m["styear"] <= year) & (m["endyear"] >= year)]["ccode"])


def leader(nmc: pd.DataFrame, year: int, ccodes: list[int]) -> tuple[str, float, int]:
    """Leader, its CINC share over ``ccodes`` present in ``year``, and how many were present."""
    rows = nmc[(nmc["year"] == year) & nmc["ccode"].isin(ccodes)]
    share = rows["cinc"].astype(float) / rows["cinc"].astype(float).sum()
    top = int(np.argmax(share.to_numpy()))
    return str(rows["stateabb"].iloc[top]), float(share.iloc[top]), len(rows)


def main() -> None:
    """Print the markdown table."""
    nmc = load_nmc()
    header = [
        "start",
        "major powers",
        "alliances at start",
        "history: leader, CINC share",
        "simulated, step 0",
        f"history +{HORIZON} y, same states",
        f"history +{HORIZON} y, majors of that year",
        f"simulated, step {HORIZON}: leader share mean [5%, 95%]",
        f"simulated, step {HORIZON}: most frequent leader",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for year in YEARS:
        codes = majors_in(year)
        scenario = scenario_from_history(year, "major")
        names = scenario.state_names()
        result = run(scenario, replications=REPLICATIONS, steps=HORIZON, seed=SEED)
        ds = result.dataset
        s0 = ds["leader_share"].sel(step=0).to_numpy()
        sh = ds["leader_share"].sel(step=HORIZON).to_numpy()
        lead = ds["leader"].sel(step=HORIZON).to_numpy()
        counts = np.bincount(lead, minlength=len(names))
        modal = int(np.argmax(counts))
        lo, hi = np.quantile(sh, [0.05, 0.95])
        start_name, start_share, _ = leader(nmc, year, codes)
        later = year + HORIZON
        same_name, same_share, present = leader(nmc, later, codes)
        maj_codes = majors_in(later)
        maj_name, maj_share, _ = leader(nmc, later, maj_codes)
        maj_abbs = nmc[(nmc["year"] == later) & nmc["ccode"].isin(maj_codes)]["stateabb"]
        gone = [
            n
            for c, n in zip(sorted(codes), names, strict=True)
            if present < len(codes) and not ((nmc["year"] == later) & (nmc["ccode"] == c)).any()
        ]
        same_note = f" (without {', '.join(gone)})" if gone else ""
        step0 = names[int(ds["leader"].sel(step=0)[0])]
        pairs = ", ".join(f"{a}-{b}" for a, b in scenario.initial_alliances) or "none"
        cells = [
            str(year),
            ", ".join(names),
            pairs,
            f"{start_name} {start_share:.3f}",
            f"{step0} {s0.mean():.3f}",
            f"{later}: {same_name} {same_share:.3f}{same_note}",
            f"{later} ({', '.join(maj_abbs)}): {maj_name} {maj_share:.3f}",
            f"{sh.mean():.3f} [{lo:.3f}, {hi:.3f}]",
            f"{names[modal]} ({counts[modal] / REPLICATIONS:.0%})",
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
