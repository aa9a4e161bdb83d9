"""Tutorial: which dyads go to war? A logit of war onset on a peace-science panel.

The classic dyadic analysis of war (Bremer 1992): the dyad-year is the unit, the onset of an
inter-state war the outcome, and the power ratio, alliance ties and distance the suspects.
This script

1. builds the undirected dyad-years 1816-2007 (the years of the COW war data) with
   ``equipoise.panels``: capabilities (NMC), major powers, ATOP alliances, COW wars, the
   distance between capitals and the power ratio, then peace years with the Carter &
   Signorino (2010) cubic, and keeps the politically relevant dyads (Lemke & Reed 2001);
2. drops the years of a war already under way (a dyad at war cannot start that war);
3. fits a logit of war onset on the log power ratio, a defence pact, the log distance and
   t, t², t³ with statsmodels, standard errors clustered by dyad, and prints the table;
4. plots the fitted probability of onset against the peace years, and the odds ratios.

It writes ``tutorial-panels.png``. Run from the repository root::

    python docs/tutorials/panels.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from matplotlib.figure import Figure

from equipoise.panels import (
    add_atop_alliance,
    add_capital_distance,
    add_cow_majors,
    add_cow_wars,
    add_nmc,
    add_peace_years,
    add_power_ratio,
    cite,
    dyad_years,
    filter_prd,
)

#: Regressors: name in the table -> how it is computed from the panel.
TERMS = {
    "log power ratio": lambda p: np.log(p["power_ratio"]),
    "defence pact": lambda p: p["atop_defense"].astype(float),
    "log distance (km)": lambda p: np.log(p["capdist"]),
    "t (peace years)": lambda p: p["cowinterspell"].astype(float),
    "t^2 / 100": lambda p: p["cowinterspell2"] / 100,
    "t^3 / 1000": lambda p: p["cowinterspell3"] / 1000,
}


def build(start: int = 1816, end: int = 2007) -> pd.DataFrame:
    """The politically relevant undirected dyad-years with every variable of the model."""
    panel = (
        dyad_years(start, end, directed=False)
        .pipe(add_nmc)
        .pipe(add_cow_majors)
        .pipe(add_atop_alliance)
        .pipe(add_cow_wars)
        .pipe(add_capital_distance)
        .pipe(add_power_ratio)
        .pipe(add_peace_years)  # before filtering: spells count every year of the dyad
        .pipe(filter_prd)
    )
    return panel


def main(start: int = 1816, end: int = 2007, out: Path = Path("docs/images")) -> dict[str, Any]:
    """Build the panel, fit the logit, print the table and draw the figure.

    Parameters
    ----------
    start, end : int
        Years of the panel (the COW war data end in 2007).
    out : Path
        Directory of the figure ``tutorial-panels.png``.

    Returns
    -------
    dict
        ``panel`` (the estimation sample), ``result`` (the statsmodels fit), ``table``
        (coefficients, clustered standard errors, p-values and odds ratios) and ``bibtex``.
    """
    panel = build(start, end)
    # A year in which the dyad is at war but did not start one cannot have an onset.
    sample = panel[(panel["cowinteronset"] == 1) | (panel["cowinterongoing"] == 0)]
    sample = sample.reset_index(drop=True)
    X = pd.DataFrame({name: f(sample) for name, f in TERMS.items()})
    X = sm.add_constant(X.astype(float))
    y = sample["cowinteronset"].astype(float)
    keep = np.isfinite(X).all(axis=1) & y.notna()  # drops missing CINC or distance
    X, y, sample = X[keep], y[keep], sample[keep]
    dyad = sample["ccode1"] * 1000 + sample["ccode2"]
    result = sm.Logit(y, X).fit(
        disp=False, cov_type="cluster", cov_kwds={"groups": dyad.to_numpy()}
    )
    print(
        f"{len(sample):,} politically relevant dyad-years {start}-{end} "
        f"({sample[['ccode1', 'ccode2']].drop_duplicates().shape[0]:,} dyads), "
        f"{int(y.sum())} war onsets"
    )
    print(result.summary(title="Logit of war onset (COW inter-state wars), SEs clustered by dyad"))
    table = pd.DataFrame(
        {
            "coef": result.params,
            "se": result.bse,
            "p": result.pvalues,
            "odds ratio": np.exp(result.params),
        }
    )
    print("\nodds ratios:")
    print(table["odds ratio"].drop("const").round(3).to_string())

    # The fitted probability of onset against peace years, other terms at their medians.
    t = np.arange(0, 101)
    grid = pd.DataFrame(
        {name: [X[name].median()] * len(t) for name in X.columns if name != "const"}
    )
    grid["t (peace years)"], grid["t^2 / 100"], grid["t^3 / 1000"] = t, t**2 / 100, t**3 / 1000
    fitted = result.predict(sm.add_constant(grid, has_constant="add")[X.columns])

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_t, ax_or = fig.subplots(1, 2)
    ax_t.plot(t, fitted, color="black")
    ax_t.set_xlabel("peace years t (years since the dyad was last at war)")
    ax_t.set_ylabel("fitted probability of war onset")
    ax_t.set_title("(a) time dependence: t, t², t³ (Carter & Signorino 2010)")
    terms = table.drop("const")
    lo = np.exp(terms["coef"] - 1.96 * terms["se"])
    hi = np.exp(terms["coef"] + 1.96 * terms["se"])
    ypos = np.arange(len(terms))[::-1]
    ax_or.errorbar(
        terms["odds ratio"],
        ypos,
        xerr=[terms["odds ratio"] - lo, hi - terms["odds ratio"]],
        fmt="o",
        color="#2166ac",
    )
    ax_or.axvline(1, color="grey", linestyle="--")
    ax_or.set_yticks(ypos, terms.index)
    ax_or.set_xlabel("odds ratio (95% interval, clustered by dyad)")
    ax_or.set_title("(b) odds ratios per unit of each term")
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-panels.png", dpi=120)

    bibtex = cite(panel)
    print(f"\ncite: {bibtex.count('@')} BibTeX entries (equipoise.panels.cite)")
    return {"panel": sample, "result": result, "table": table, "bibtex": bibtex}


if __name__ == "__main__":
    main()
