"""The historical system for the report: great powers' shares, concentration, alliances, wars.

Historical data come from :mod:`equipoise.history` (COW National Material Capabilities v6.0,
major-power spells, Inter-State Wars v4.0 and ATOP 5.1) and are measured with the same
:mod:`equipoise.metrics` as simulations, so that the history report and a simulation can be
read side by side.
"""

from __future__ import annotations

from typing import cast

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "MILITARY_PACTS",
    "OTHER_PACTS",
    "history_alliance_graph",
    "history_shares",
    "history_system",
    "history_war_sizes",
    "history_years",
]

#: ATOP obligations drawn as solid edges (a promise to fight).
MILITARY_PACTS: tuple[str, ...] = ("defense", "offense")
#: ATOP obligations drawn as dashed edges (neutrality, non-aggression, consultation).
OTHER_PACTS: tuple[str, ...] = ("neutral", "nonagg", "consul")


def history_years() -> tuple[int, int]:
    """First and last year of the capability data (1816-2016 built in)."""
    from equipoise.history import load_nmc

    years = load_nmc()["year"]
    return int(years.min()), int(years.max())


def history_shares(start: int, end: int) -> pd.DataFrame:
    """Great powers' shares of great-power capabilities (CINC), one row per year.

    Returns
    -------
    DataFrame indexed by ``year``
        One column per COW major power (abbreviation) that is one at some time
        in ``start..end``, 0 in years it is not; rows sum to 1.
    """
    from equipoise.history import shares_by_year

    long = shares_by_year(start, end, members="major")
    wide = long.pivot_table(index="year", columns="stateabb", values="share", aggfunc="sum")
    wide = wide.reindex(range(start, end + 1)).fillna(0.0)
    wide.columns = [str(c) for c in wide.columns]
    wide.columns.name = None
    return wide


def history_system(start: int, end: int) -> pd.DataFrame:
    """Leader and concentration by year: among the great powers and the whole system.

    Returns
    -------
    DataFrame indexed by ``year``
        ``majors`` (number of major powers), ``leader``, ``leader_share``,
        ``concentration`` (Ray-Singer CON among the major powers),
        ``n_poles`` and ``concentration_all`` (CON over every system member).
    """
    from equipoise.history import system_by_year

    major = system_by_year(start, end, members="major")
    everyone = system_by_year(start, end, members="all")
    return pd.DataFrame(
        {
            "majors": major["n_states"],
            "leader": major["leader_abb"],
            "leader_share": major["leader_share"],
            "concentration": major["concentration"],
            "n_poles": major["n_poles"],
            "concentration_all": everyone["concentration"],
        }
    )


def history_alliance_graph(year: int) -> nx.Graph:
    """The great powers' alliance network in ``year`` (ATOP 5.1).

    Nodes are the COW major powers of the year (abbreviations) with
    ``share`` (share of great-power CINC) and ``pos`` (the capital, projected
    as in :func:`~equipoise.history.scenario_builder.capital_positions`).
    Two powers are linked when both are members of an ATOP alliance in force
    that year (``yrent <= year <= yrexit``, ``yrexit = 0`` meaning still in
    force); the edge's ``kind`` is ``"military"`` when either holds a defence
    or offence obligation in one of their shared alliances, ``"other"`` when
    they share only neutrality, non-aggression or consultation pacts.
    """
    from equipoise.history import load_alliances, shares_by_year
    from equipoise.history.scenario_builder import capital_positions

    shares = shares_by_year(year, year, members="major")
    codes = [int(c) for c in shares["ccode"]]
    abb = dict(zip(codes, shares["stateabb"].astype(str), strict=True))
    caps = capital_positions(codes, year)
    g: nx.Graph[str] = nx.Graph()
    for code, s in zip(codes, shares["share"], strict=True):
        g.add_node(
            abb[code],
            share=float(s),
            ccode=code,
            pos=(float(cast(float, caps.loc[code, "x"])), float(cast(float, caps.loc[code, "y"]))),
        )
    members = load_alliances("member")
    exit_year = members["yrexit"].where(members["yrexit"] != 0, 10_000)
    live = members[(members["yrent"] <= year) & (exit_year >= year) & members["member"].isin(codes)]
    military = live[list(MILITARY_PACTS)].fillna(0).astype("int64").sum(axis=1) > 0
    live = live.assign(military=military)
    for atopid, group in live.groupby("atopid"):
        holders = group.groupby("member")["military"].any()
        inside = sorted(int(c) for c in holders.index)
        for i, a in enumerate(inside):
            for b in inside[i + 1 :]:
                kind = "military" if holders[a] or holders[b] else "other"
                u, v = abb[a], abb[b]
                if g.has_edge(u, v):
                    g.edges[u, v]["atopids"].append(int(atopid))
                    if kind == "military":
                        g.edges[u, v]["kind"] = "military"
                else:
                    g.add_edge(u, v, kind=kind, atopids=[int(atopid)])
    return g


def history_war_sizes(start: int, end: int) -> np.ndarray:
    """Battle deaths of each COW inter-state war that began in ``start..end``.

    Deaths are summed over a war's participants with a known count; wars with
    no known count are left out.
    """
    from equipoise.history import load_wars

    wars = load_wars()
    begun = wars.groupby("WarNum")["StartYear1"].min()
    deaths = wars.groupby("WarNum")["BatDeath"].sum(min_count=1)
    keep = (begun >= start) & (begun <= end) & deaths.notna()
    return deaths[keep].to_numpy(dtype=np.float64)
