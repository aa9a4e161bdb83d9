"""Morrow's security-autonomy trade-off, measured in ATOP and in the model (docs/validate.md).

    python scripts/alliance_asymmetry.py [--runs N] [--out DIR]

Morrow (1991) predicts that alliances between unequal states (security for the weak,
autonomy for the strong) form more readily and last longer than alliances between equals,
which only aggregate capability against a common threat; Bennett (1997) tests the duration
side. The model has no term for the trade-off: its pacts form for shared threats and
proximity and end when their conditions change. Whether history asks for one is measured
here on both sides with the same definitions:

* the **asymmetry** of a founding pair of states ``a, b`` in the year the alliance begins
  is ``|2 c_a / (c_a + c_b) - 1|`` (0 between equals, 1 when one holds everything), with
  ``c`` history's COW CINC (NMC 6.0) or the model's capability share that year; every pair
  of an alliance's founding members counts (ATOP 5.1 alliances begun 1816-2016; the model's
  treaties of the whole system 1816-2016 at its defaults, ``N`` runs, seed fixed); beside it
  the mean asymmetry of all pairs of the system's states in the same founding years, the
  pairs that could have allied (founders more unequal than that lean to Morrow's side);
* the **duration** of a bilateral alliance (two founding members, as both sides count
  them) against its asymmetry: the mean duration by tercile of asymmetry and the slope of
  log duration on asymmetry (least squares, conventional standard error). Alliances still in
  force at the end of the record count to its end (ATOP: 2018; the model: 2017), on both
  sides alike.

The table goes to ``--out`` (default ``docs/findings-data``) as ``alliance-asymmetry.csv`` and
is printed as Markdown.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from equipoise import run
from equipoise.history import load_nmc
from equipoise.history.loaders import load_alliances
from equipoise.history.scenario_builder import scenario_from_history
from findings_rivals import markdown  # scripts/ is on the path when a script runs

SEED = 20261207
START, END = 1816, 2016
STEPS = END - START + 1
ATOP_END = 2018  # ATOP 5.1's last year: an alliance still in force counts to it


def asymmetry(ca: Any, cb: Any) -> Any:
    """``|2 c_a / (c_a + c_b) - 1|``: 0 between equals, 1 when one holds everything."""
    return np.abs(2 * ca / (ca + cb) - 1)


def pairs_asymmetry(shares: np.ndarray) -> float:
    """Mean asymmetry of every pair of the positive ``shares`` (one year's system)."""
    c = shares[shares > 0]
    if c.size < 2:
        return np.nan
    a, b = np.triu_indices(c.size, 1)
    return float(np.mean(asymmetry(c[a], c[b])))


def history_pairs() -> pd.DataFrame:
    """ATOP's founding pairs.

    Columns ``alliance``, ``founders``, ``asymmetry``, ``duration`` and ``baseline``, the
    mean asymmetry of all pairs of COW members in the founding year.
    """
    nmc = load_nmc()
    cinc = nmc.set_index(["ccode", "year"])["cinc"]
    baseline = {int(y): pairs_asymmetry(g["cinc"].to_numpy(float)) for y, g in nmc.groupby("year")}
    members = load_alliances("member")
    rows = []
    for atopid, g in members.groupby("atopid"):
        begun = int(g["yrent"].min())
        if not START <= begun <= END:
            continue
        ended = int(g["yrexit"].max()) if (g["yrexit"] > 0).all() else ATOP_END
        founders = sorted(set(g.loc[g["yrent"] == begun, "member"]))
        for a, b in itertools.combinations(founders, 2):
            ca, cb = cinc.get((a, begun)), cinc.get((b, begun))
            if ca is None or cb is None or not ca + cb > 0:
                continue  # a founder outside the COW system that year
            pair = float(asymmetry(ca, cb))
            rows.append((atopid, len(founders), pair, ended - begun, baseline[begun]))
    columns = ["alliance", "founders", "asymmetry", "duration", "baseline"]
    return pd.DataFrame(rows, columns=columns)


def model_pairs(runs: int) -> pd.DataFrame:
    """The model's founding pairs, by the same definitions (docstring)."""
    scenario = scenario_from_history(START, states="all", entries=True)
    result = run(scenario, replications=runs, steps=STEPS, seed=SEED, record_states=True)
    share = result.dataset["share"].values  # (replication, step, state)
    pacts = result.pacts
    begun = pacts.groupby(["replication", "treaty"])["start"].transform("min")
    founding = pacts[pacts["start"] == begun].copy()
    founding["founders"] = founding.groupby(["replication", "treaty"])["pact"].transform("size")
    founding["founders"] = np.where(founding["founders"] == 1, 2, 3)  # bilateral or more
    rep, step = founding["replication"].to_numpy(), founding["start"].to_numpy()
    ca = share[rep, step, founding["a"].to_numpy()]
    cb = share[rep, step, founding["b"].to_numpy()]
    keep = ca + cb > 0
    # a treaty ends with its last pact (members may accede after the founders): in force at
    # the end, it counts to the step after the last
    end = pacts["end"].where(pacts["end"] >= 0, STEPS + 1)
    treaty_end = end.groupby([pacts["replication"], pacts["treaty"]]).transform("max")
    ended = treaty_end[founding.index].to_numpy()
    cells = {(r, t) for r, t in zip(rep.tolist(), step.tolist(), strict=True)}
    baseline = {cell: pairs_asymmetry(share[cell[0], cell[1]]) for cell in cells}
    return pd.DataFrame(
        {
            "alliance": founding["treaty"].to_numpy()[keep],
            "founders": founding["founders"].to_numpy()[keep],
            "asymmetry": asymmetry(ca[keep], cb[keep]),
            "duration": (ended - step)[keep],
            "baseline": np.array([baseline[c] for c in zip(rep, step, strict=True)])[keep],
        }
    )


def summary(side: str, pairs: pd.DataFrame) -> dict[str, object]:
    """Asymmetry of founding pairs; duration of bilateral alliances by asymmetry."""
    bilateral = pairs[pairs["founders"] == 2]
    thirds = pd.qcut(bilateral["asymmetry"], 3, labels=["low", "middle", "high"])
    by_third = bilateral.groupby(thirds, observed=True)["duration"].mean()
    x = sm.add_constant(bilateral[["asymmetry"]].astype(float))
    y = np.log(bilateral["duration"].clip(lower=1).astype(float))
    fit = sm.OLS(y, x).fit()
    return {
        "side": side,
        "founding_pairs": len(pairs),
        "asymmetry_mean": float(pairs["asymmetry"].mean()),
        "asymmetry_median": float(pairs["asymmetry"].median()),
        "all_pairs_asymmetry_mean": float(pairs["baseline"].mean()),
        "bilateral": len(bilateral),
        "bilateral_asymmetry_mean": float(bilateral["asymmetry"].mean()),
        "duration_low_third": float(by_third["low"]),
        "duration_middle_third": float(by_third["middle"]),
        "duration_high_third": float(by_third["high"]),
        "log_duration_slope": float(fit.params["asymmetry"]),
        "slope_se": float(fit.bse["asymmetry"]),
    }


def main() -> None:
    """Measure both sides, write and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="model runs (default 100)")
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    args = parser.parse_args()
    began = time.perf_counter()
    table = pd.DataFrame(
        [
            summary("ATOP 5.1, 1816-2016", history_pairs()),
            summary(f"model, {args.runs} runs", model_pairs(args.runs)),
        ]
    )
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "alliance-asymmetry.csv", index=False, float_format="%.6g")
    print(markdown(table.set_index("side").T.reset_index().rename(columns={"index": "measure"})))
    print(f"({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
