"""Tutorial: which dyads fight? The standard dyadic logit of dispute and war onset.

The workhorse of quantitative peace science: the dyad-year is the unit, the onset of a
militarized interstate dispute (MID) the outcome, and contiguity, the balance of capabilities,
alliance ties, joint democracy and time since the last dispute the regressors (Bremer 1992;
Oneal & Russett 1997; Carter & Signorino 2010). This script

1. builds the undirected dyad-years 1816-2010 (the years of the GML MID data) with
   ``equipoise.panels``: capabilities (NMC), major powers, ATOP alliances, COW contiguity,
   Polity scores, GML disputes and COW wars, the power ratio, then the years since the last
   dispute and the last war with the Carter & Signorino (2010) cubic, and keeps the politically
   relevant dyads (contiguous or with a major power; Lemke & Reed 2001);
2. fits a logit of MID onset, and the same model of war onset (to 2007, the COW war data's
   last year), each on the dyad-years without a dispute (war) already under way, with
   standard errors clustered by dyad, and prints them side by side;
3. plots the fitted probability of onset against the years of peace, and the odds ratios.

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
    add_contiguity,
    add_cow_majors,
    add_cow_wars,
    add_democracy,
    add_gml_mids,
    add_nmc,
    add_peace_years,
    add_power_ratio,
    cite,
    dyad_years,
    filter_prd,
)

#: Regressors: name in the table -> how it is computed from the panel (``spell`` is the
#: prefix of the outcome's own peace years: gmlmid or cowinter).
TERMS = {
    "land contiguity": lambda p, spell: (p["conttype"] == 1).astype(float),
    "log capability ratio": lambda p, spell: np.log(p["power_ratio"]),
    "defence pact": lambda p, spell: p["atop_defense"].astype(float),
    "joint democracy": lambda p, spell: (p["polity2_min"] >= 6).astype(float),
    "t (peace years)": lambda p, spell: p[f"{spell}spell"].astype(float),
    "t^2 / 100": lambda p, spell: p[f"{spell}spell2"] / 100,
    "t^3 / 1000": lambda p, spell: p[f"{spell}spell3"] / 1000,
}
#: The two outcomes: label -> (onset column, ongoing column, spell prefix, last year).
OUTCOMES = {
    "MID onset": ("gmlmidonset", "gmlmidongoing", "gmlmid", 2010),
    "war onset": ("cowinteronset", "cowinterongoing", "cowinter", 2007),
}


def build(start: int = 1816, end: int = 2010) -> pd.DataFrame:
    """The politically relevant undirected dyad-years with every variable of the models."""
    return (
        dyad_years(start, end, directed=False)
        .pipe(add_nmc)
        .pipe(add_cow_majors)
        .pipe(add_atop_alliance)
        .pipe(add_contiguity)
        .pipe(add_democracy, measures=["polity2"])
        .pipe(add_gml_mids)
        .pipe(add_cow_wars)
        .pipe(add_power_ratio)
        .pipe(add_peace_years)  # before filtering: spells count every year of the dyad
        .pipe(filter_prd)  # contiguous (COW types 1-5) or with a major power
    )


def fit(panel: pd.DataFrame, outcome: str) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """The logit of one outcome: the statsmodels fit, its estimation sample and its table."""
    onset, ongoing, spell, last = OUTCOMES[outcome]
    # A dyad-year with a dispute (war) under way but no new one cannot have an onset.
    sample = panel[(panel["year"] <= last) & ((panel[onset] == 1) | (panel[ongoing] == 0))]
    sample = sample.reset_index(drop=True)
    X = pd.DataFrame({name: f(sample, spell) for name, f in TERMS.items()})
    X = sm.add_constant(X.astype(float))
    y = sample[onset].astype(float)
    keep = np.isfinite(X).all(axis=1) & y.notna()  # drops missing CINC or Polity scores
    X, y, sample = X[keep], y[keep], sample[keep]
    dyad = sample["ccode1"] * 1000 + sample["ccode2"]
    result = sm.Logit(y, X).fit(
        disp=False, cov_type="cluster", cov_kwds={"groups": dyad.to_numpy()}
    )
    table = pd.DataFrame(
        {
            "coef": result.params,
            "se": result.bse,
            "p": result.pvalues,
            "odds ratio": np.exp(result.params),
        }
    )
    return result, sample, table


def side_by_side(fits: dict[str, tuple[Any, pd.DataFrame, pd.DataFrame]]) -> pd.DataFrame:
    """The coefficients with clustered standard errors and stars, one column per model."""

    def cell(coef: float, se: float, p: float) -> str:
        stars = "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
        return f"{coef:.3f}{stars} ({se:.3f})"

    columns = {}
    for outcome, (result, sample, table) in fits.items():
        cells = [cell(r.coef, r.se, r.p) for r in table.itertuples()]
        cells += [f"{int(result.nobs):,}", f"{int(result.model.endog.sum()):,}"]
        cells += [f"{sample[['ccode1', 'ccode2']].drop_duplicates().shape[0]:,}"]
        cells += [f"{result.prsquared:.3f}"]
        columns[outcome] = cells
    index = [*fits[next(iter(fits))][2].index, "dyad-years", "onsets", "dyads", "pseudo R2"]
    return pd.DataFrame(columns, index=index)


def main(start: int = 1816, end: int = 2010, out: Path = Path("docs/images")) -> dict[str, Any]:
    """Build the panel, fit both logits, print the table and draw the figure.

    Parameters
    ----------
    start, end : int
        Years of the panel (the GML MID data end in 2010; the war model stops in 2007).
    out : Path
        Directory of the figure ``tutorial-panels.png``.

    Returns
    -------
    dict
        ``panel`` (the politically relevant dyad-years), ``fits`` (outcome -> (statsmodels
        result, estimation sample, table of coefficients, clustered standard errors,
        p-values and odds ratios)), ``table`` (the printed side-by-side table) and
        ``bibtex``.
    """
    panel = build(start, end)
    fits = {outcome: fit(panel, outcome) for outcome in OUTCOMES}
    table = side_by_side(fits)
    print(
        f"{len(panel):,} politically relevant undirected dyad-years {start}-{end}: logits of "
        "dispute and war onset, standard errors clustered by dyad (in parentheses)"
    )
    print(table.to_string())
    print("* p < 0.05, ** p < 0.01, *** p < 0.001")
    print("\nodds ratios:")
    odds = pd.DataFrame({o: f[2]["odds ratio"] for o, f in fits.items()}).drop("const")
    print(odds.round(3).to_string())

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax_t, ax_or = fig.subplots(1, 2)
    t = np.arange(0, 101)
    colours = {"MID onset": "#b2182b", "war onset": "black"}
    for outcome, (result, _, coefficients) in fits.items():
        X = result.model.exog
        grid = pd.DataFrame(
            np.repeat(np.median(X, axis=0)[None, :], len(t), axis=0),
            columns=result.model.exog_names,
        )
        grid["t (peace years)"], grid["t^2 / 100"], grid["t^3 / 1000"] = (
            t,
            t**2 / 100,
            t**3 / 1000,
        )
        ax_t.plot(t, result.predict(grid), color=colours[outcome], label=outcome)
        terms = coefficients.drop("const")
        ypos = np.arange(len(terms))[::-1] + (0.15 if outcome == "MID onset" else -0.15)
        lo = np.exp(terms["coef"] - 1.96 * terms["se"])
        hi = np.exp(terms["coef"] + 1.96 * terms["se"])
        ax_or.errorbar(
            terms["odds ratio"],
            ypos,
            xerr=[terms["odds ratio"] - lo, hi - terms["odds ratio"]],
            fmt="o",
            color=colours[outcome],
            label=outcome,
        )
    ax_t.set_yscale("log")
    ax_t.set_xlabel("peace years t (years since the last dispute, or war, of the dyad)")
    ax_t.set_ylabel("fitted probability of onset (log scale)")
    ax_t.set_title("(a) time dependence: t, t², t³ (Carter & Signorino 2010)")
    ax_t.legend()
    ax_or.axvline(1, color="grey", linestyle="--")
    ax_or.set_xscale("log")
    names = list(fits["MID onset"][2].drop("const").index)
    ax_or.set_yticks(np.arange(len(names))[::-1], names)
    ax_or.set_xlabel("odds ratio (95% interval, clustered by dyad; log scale)")
    ax_or.set_title("(b) odds ratios per unit of each term")
    ax_or.legend()
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-panels.png", dpi=120)

    bibtex = cite(panel)
    print(f"\ncite: {bibtex.count('@')} BibTeX entries (equipoise.panels.cite)")
    return {"panel": panel, "fits": fits, "table": table, "bibtex": bibtex}


if __name__ == "__main__":
    main()
