"""Balance-of-power measures on the Correlates of War capability data, by year.

Every measure here is computed by :mod:`equipoise.metrics`, the same code that
measures simulated systems: the functions below only turn the COW tables into
``(years x states)`` capability matrices with a membership mask, call the
metrics on them, and label the result. There is no second implementation of a
share, a concentration index or a pole count.

Contract
--------
- Rows of the National Material Capabilities (NMC) table are state-years; the
  set of state-years is the COW state system (identical to ``system2016``).
- ``members="all"`` measures over every system member in a year;
  ``members="major"`` over the COW major powers of that year (a state counts as
  major in every calendar year touched by one of its ``majors2016`` spells, so
  France counts in both 1940 and 1945); a list of COW codes measures over those
  states when they are members.
- Shares are renormalised over the chosen set, so with ``members="major"`` the
  leader share is a share of great-power capabilities.
- Years are those of the NMC table (1816-2016 in the built-in v6.0 copy).

References
----------
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (Ed.), *Peace,
    War, and Numbers* (pp. 19-48). Sage.
Ray, J. L., & Singer, J. D. (1973). Measuring the concentration of power in the
    international system. *Sociological Methods & Research*, 1(4), 403-437.
    https://doi.org/10.1177/004912417300100401
Greig, J. M., & Enterline, A. J. (2021). *Correlates of War Project National
    Material Capabilities (NMC) Data Documentation, Version 6.0*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import pandas as pd

from equipoise import metrics
from equipoise.history.loaders import load_majors, load_nmc

__all__ = [
    "COMPONENTS",
    "CapabilityPanel",
    "capability_panel",
    "cinc",
    "major_mask",
    "shares_by_year",
    "system_by_year",
]

#: The six NMC components that make up CINC, in COW's order.
COMPONENTS: tuple[str, ...] = ("milex", "milper", "irst", "pec", "tpop", "upop")

Members = Literal["all", "major"] | Sequence[int]


@dataclass(frozen=True)
class CapabilityPanel:
    """A capability table reshaped to ``(n_years, n_states)`` matrices.

    Attributes
    ----------
    years : int array, shape (n_years,)
    codes : int array, shape (n_states,)
        COW codes of the columns.
    abb : object array, shape (n_states,)
        COW state abbreviations of the columns.
    caps : float array, shape (n_years, n_states)
        Capability, ``nan`` where the state is not in the chosen set that year
        or its value is missing.
    alive : bool array, shape (n_years, n_states)
        State is a system member and in the chosen set that year.
    """

    years: np.ndarray
    codes: np.ndarray
    abb: np.ndarray
    caps: np.ndarray
    alive: np.ndarray


def _check_columns(nmc: pd.DataFrame, needed: Sequence[str]) -> None:
    missing = [c for c in needed if c not in nmc.columns]
    if missing:
        raise ValueError(
            f"The 'nmc' table must have the columns {', '.join(needed)}. "
            f"Missing: {', '.join(missing)}."
        )


def _index(nmc: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Years, codes, and each row's (year, state) position in the matrices."""
    year = nmc["year"].to_numpy(dtype=np.int64)
    code = nmc["ccode"].to_numpy(dtype=np.int64)
    years, yi = np.unique(year, return_inverse=True)
    codes, ci = np.unique(code, return_inverse=True)
    flat = yi * len(codes) + ci
    if len(np.unique(flat)) != len(flat):
        dup = pd.Series(flat).duplicated().to_numpy().nonzero()[0][0]
        raise ValueError(
            f"The 'nmc' table has more than one row for ccode {code[dup]} in {year[dup]}."
        )
    return years, codes, yi, ci


def _matrix(
    values: pd.Series, yi: np.ndarray, ci: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    out = np.full(shape, np.nan)
    out[yi, ci] = pd.to_numeric(values).to_numpy(dtype=np.float64, na_value=np.nan)
    return out


def major_mask(
    years: np.ndarray, codes: np.ndarray, majors: pd.DataFrame | None = None
) -> np.ndarray:
    """Which states are COW major powers in which years.

    Parameters
    ----------
    years : int array, shape (n_years,)
    codes : int array, shape (n_states,)
        COW state codes.
    majors : DataFrame, optional
        Major-power spells with ``ccode``, ``styear`` and ``endyear``
        (default: :func:`~equipoise.history.load_majors`). A state is major in
        every calendar year a spell touches.

    Returns
    -------
    bool array, shape (n_years, n_states)

    Examples
    --------
    >>> m = major_mask(np.array([1816, 1900]), np.array([2, 200]))
    >>> m.tolist()  # the USA became a major power in 1898
    [[False, True], [True, True]]
    """
    majors = load_majors() if majors is None else majors
    years = np.asarray(years, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    mask = np.zeros((len(years), len(codes)), dtype=bool)
    for code, st, end in zip(majors["ccode"], majors["styear"], majors["endyear"], strict=True):
        col = codes == int(code)
        rows = (years >= int(st)) & (years <= int(end))
        mask |= rows[:, None] & col[None, :]
    return mask


def capability_panel(
    nmc: pd.DataFrame,
    capability: str,
    members: Members,
    start: int | None,
    end: int | None,
    majors: pd.DataFrame | None,
) -> CapabilityPanel:
    """Reshape a capability column of the NMC table into ``(years x states)`` matrices.

    The first step of every measure here, of the balancing tests and of the
    historical concentration statistic of :mod:`equipoise.validate`: one row per
    year, one column per state ever in the table, the chosen set of states
    marked alive.

    Parameters
    ----------
    nmc : DataFrame
        Shaped as :func:`~equipoise.history.load_nmc` (``ccode``, ``year``,
        ``stateabb`` and the capability column).
    capability : str
        The column measured (``"cinc"`` or a component such as ``"milper"``).
    members : {"all", "major"} or list of int
        The states in the chosen set (module docstring).
    start, end : int, optional
        First and last year kept (default: every year of the table).
    majors : DataFrame, optional
        Major-power spells for ``members="major"`` (default:
        :func:`~equipoise.history.load_majors`).

    Returns
    -------
    CapabilityPanel
        ``caps`` is ``nan`` and ``alive`` False outside the chosen set.

    Raises
    ------
    ValueError
        An unknown column, missing columns, no rows in the years asked for, a
        state-year given twice, or a bad ``members``.

    Examples
    --------
    >>> p = capability_panel(load_nmc(), "cinc", "major", 1816, 1816, None)
    >>> int(p.alive.sum()), p.caps.shape == p.alive.shape
    (5, True)
    """
    if not isinstance(capability, str) or capability not in nmc.columns:
        raise ValueError(
            "The 'capability' parameter must name a numeric column of the NMC table "
            f"(cinc, {', '.join(COMPONENTS)}). Got {capability!r} instead."
        )
    _check_columns(nmc, ("ccode", "year", "stateabb"))
    lo = -np.inf if start is None else start
    hi = np.inf if end is None else end
    years_all = nmc["year"].to_numpy(dtype=np.int64)
    nmc = nmc[(years_all >= lo) & (years_all <= hi)]
    if nmc.empty:
        raise ValueError(
            f"No NMC rows between {start} and {end}. "
            "Choose 'start' and 'end' inside the years of the data (1816-2016 built in)."
        )
    years, codes, yi, ci = _index(nmc)
    shape = (len(years), len(codes))
    caps = _matrix(nmc[capability], yi, ci, shape)
    present = np.zeros(shape, dtype=bool)
    present[yi, ci] = True
    abb = np.empty(len(codes), dtype=object)
    # pandas-stubs reject na_value=None, which pandas accepts for an object array
    abb[ci] = nmc["stateabb"].astype("string").to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    if isinstance(members, str):
        if members == "all":
            chosen = present
        elif members == "major":
            chosen = present & major_mask(years, codes, majors)
        else:
            raise ValueError(
                "The 'members' parameter must be 'all', 'major' or a list of COW codes. "
                f"Got {members!r} instead."
            )
    else:
        wanted = np.asarray(list(members), dtype=np.int64)
        if wanted.size == 0:
            raise ValueError("The 'members' parameter must not be an empty list of COW codes.")
        chosen = present & np.isin(codes, wanted)[None, :]
    return CapabilityPanel(years, codes, abb, np.where(chosen, caps, np.nan), chosen)


def cinc(nmc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Recompute the Composite Index of National Capability from its six components.

    For each year and each component (military expenditure, military
    personnel, iron and steel production, primary energy consumption, total
    and urban population) a state's share of the system total is computed with
    :func:`equipoise.metrics.shares`; CINC is the mean of the component shares
    that are available for the state (a missing component is left out of the
    mean, not counted as zero), as COW computes it (Singer, Bremer & Stuckey
    1972; Greig & Enterline 2021). The system is every state in the table in
    that year.

    Parameters
    ----------
    nmc : DataFrame, optional
        A table shaped as :func:`~equipoise.history.load_nmc` (``ccode``,
        ``year``, ``stateabb`` and the six components; ``cinc``, if present,
        is returned as ``cinc_published``). Default: the built-in NMC v6.0.

    Returns
    -------
    DataFrame
        One row per row of ``nmc``, in its order: ``ccode``, ``year``,
        ``stateabb``, ``cinc`` (recomputed), ``cinc_published``,
        ``n_components`` (components available for the state-year), and
        ``<component>_share`` for each component (``nan`` where missing).
        Passing this table as ``nmc=`` to :func:`system_by_year` measures the
        recomputed index.

    References
    ----------
    Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
        uncertainty, and major power war, 1820-1965. In B. Russett (Ed.),
        *Peace, War, and Numbers* (pp. 19-48). Sage.

    Examples
    --------
    Two states, one of which has no military-expenditure figure:

    >>> toy = pd.DataFrame({
    ...     "ccode": [1, 2], "year": [1900, 1900], "stateabb": ["AAA", "BBB"],
    ...     "milex": [3.0, np.nan], "milper": [1.0, 1.0], "irst": [1.0, 3.0],
    ...     "pec": [1.0, 1.0], "tpop": [1.0, 1.0], "upop": [1.0, 1.0]})
    >>> out = cinc(toy)
    >>> out["milex_share"].tolist()
    [1.0, nan]
    >>> out["cinc"].round(4).tolist()  # (1 + .5 + .25 + .5 * 3) / 6 and (.5 + .75 + .5 * 3) / 5
    [0.5417, 0.55]

    On the built-in data the recomputed index agrees with the published one:

    >>> full = cinc()
    >>> bool((full["cinc"] - full["cinc_published"]).abs().max() < 1e-6)
    True
    """
    nmc = load_nmc() if nmc is None else nmc
    _check_columns(nmc, ("ccode", "year", "stateabb", *COMPONENTS))
    years, codes, yi, ci = _index(nmc)
    shape = (len(years), len(codes))
    out = pd.DataFrame(
        {
            "ccode": nmc["ccode"].to_numpy(dtype=np.int64),
            "year": nmc["year"].to_numpy(dtype=np.int64),
            "stateabb": nmc["stateabb"].astype("string").to_numpy(),
        }
    )
    total = np.zeros(len(nmc))
    count = np.zeros(len(nmc), dtype=np.int64)
    comp_shares = {}
    for comp in COMPONENTS:
        values = _matrix(nmc[comp], yi, ci, shape)
        share = metrics.shares(values)[yi, ci]
        available = np.isfinite(values[yi, ci]) & np.isfinite(share)
        share = np.where(available, share, np.nan)
        comp_shares[f"{comp}_share"] = share
        total += np.where(available, share, 0.0)
        count += available
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cinc"] = np.where(count > 0, total / count, np.nan)
    if "cinc" in nmc.columns:
        out["cinc_published"] = pd.to_numeric(nmc["cinc"]).to_numpy(
            dtype=np.float64, na_value=np.nan
        )
    else:
        out["cinc_published"] = np.nan
    out["n_components"] = count
    for name, share in comp_shares.items():
        out[name] = share
    out["stateabb"] = out["stateabb"].astype("string")
    return out


def shares_by_year(
    start: int | None = None,
    end: int | None = None,
    members: Members = "all",
    nmc: pd.DataFrame | None = None,
    capability: str = "cinc",
    majors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Capability shares of each state in each year.

    Shares are :func:`equipoise.metrics.shares` of ``capability`` over the
    chosen members of each year, so they sum to 1 per year.

    Parameters
    ----------
    start, end : int, optional
        First and last year (inclusive); default the whole table.
    members : {"all", "major"} or list of int
        Every system member, the COW major powers of the year, or these COW
        codes (when they are members).
    nmc : DataFrame, optional
        A table shaped as :func:`~equipoise.history.load_nmc` (default: the
        built-in NMC v6.0), or the output of :func:`cinc`.
    capability : str
        Column measured: ``"cinc"`` or one of the six components.
    majors : DataFrame, optional
        Major-power spells (default :func:`~equipoise.history.load_majors`).

    Returns
    -------
    DataFrame
        Long form, one row per member state-year: ``year``, ``ccode``,
        ``stateabb``, the capability (column named after it) and ``share``.
        States whose capability is missing or zero get share 0.

    References
    ----------
    Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
        uncertainty, and major power war, 1820-1965. In B. Russett (Ed.),
        *Peace, War, and Numbers* (pp. 19-48). Sage.

    Examples
    --------
    >>> s = shares_by_year(1913, 1913, members="major")
    >>> s.pivot(index="year", columns="stateabb", values="share").round(3)
    stateabb    AUH    FRN    GMY    ITA    JPN   RUS    UKG    USA
    year
    1913      0.058  0.088  0.186  0.043  0.044  0.15  0.146  0.285
    """
    nmc = load_nmc() if nmc is None else nmc
    p = capability_panel(nmc, capability, members, start, end, majors)
    share = metrics.shares(p.caps, p.alive)
    yi, ci = np.nonzero(p.alive)
    return pd.DataFrame(
        {
            "year": p.years[yi],
            "ccode": p.codes[ci],
            "stateabb": pd.array(p.abb[ci], dtype="string"),
            capability: p.caps[yi, ci],
            "share": np.nan_to_num(share[yi, ci]),
        }
    )


def system_by_year(
    start: int | None = None,
    end: int | None = None,
    members: Members = "all",
    pole_threshold: float = 0.1,
    nmc: pd.DataFrame | None = None,
    capability: str = "cinc",
    majors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Distribution of capabilities in the system, one row per year.

    Builds the ``(years x states)`` capability matrix of the chosen members and
    measures it with :mod:`equipoise.metrics`: shares, the leader and its
    share, the Ray-Singer concentration index CON (Ray & Singer 1973), the
    Herfindahl-Hirschman index and the number of poles.

    Parameters
    ----------
    start, end : int, optional
        First and last year (inclusive); default the whole table.
    members : {"all", "major"} or list of int
        Every system member, the COW major powers of the year, or these COW
        codes (when they are members). Shares are renormalised over them.
    pole_threshold : float
        Share at or above which a state is a pole (in (0, 1]).
    nmc : DataFrame, optional
        A table shaped as :func:`~equipoise.history.load_nmc` (default: the
        built-in NMC v6.0), or the output of :func:`cinc` to measure the
        recomputed index.
    capability : str
        Column measured: ``"cinc"`` or one of the six components.
    majors : DataFrame, optional
        Major-power spells (default :func:`~equipoise.history.load_majors`).

    Returns
    -------
    DataFrame indexed by ``year``
        ``n_states`` (members with a positive known capability; the ``N`` of
        CON), ``leader`` (COW code), ``leader_abb``, ``leader_share``,
        ``runner_up``, ``runner_up_abb``, ``runner_up_share`` (the second
        largest), ``concentration`` (CON, in [0, 1]), ``hhi`` and ``n_poles``.

    References
    ----------
    Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
        uncertainty, and major power war, 1820-1965. In B. Russett (Ed.),
        *Peace, War, and Numbers* (pp. 19-48). Sage.
    Ray, J. L., & Singer, J. D. (1973). Measuring the concentration of power in
        the international system. *Sociological Methods & Research*, 1(4),
        403-437. https://doi.org/10.1177/004912417300100401

    Examples
    --------
    >>> sy = system_by_year(1816, 1816)
    >>> int(sy.loc[1816, "n_states"]), sy.loc[1816, "leader_abb"]
    (23, 'UKG')
    >>> major = system_by_year(1913, 1913, members="major", pole_threshold=0.15)
    >>> str(major.loc[1913, "leader_abb"]), int(major.loc[1913, "n_poles"])
    ('USA', 3)
    """
    nmc = load_nmc() if nmc is None else nmc
    p = capability_panel(nmc, capability, members, start, end, majors)
    share = metrics.shares(p.caps, p.alive)
    n = metrics.alive_count(p.caps, p.alive)
    lead = metrics.leader(share)
    rows = np.arange(len(p.years))
    others = share.copy()
    others[rows, lead] = np.nan
    second = metrics.leader(others)
    none_alive = n == 0
    second_alive = n >= 2

    def _code(index: np.ndarray, ok: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.array(
            [int(c) if k else None for c, k in zip(p.codes[index], ok, strict=True)],
            dtype="Int64",
        )

    def _abb(index: np.ndarray, ok: np.ndarray) -> pd.api.extensions.ExtensionArray:
        # numpy's stubs do not take None for the `y` of np.where (an object array at run time)
        return pd.array(cast(np.ndarray, np.where(ok, p.abb[index], None)), dtype="string")

    out = pd.DataFrame(
        {
            "n_states": n.astype(np.int64),
            "leader": _code(lead, ~none_alive),
            "leader_abb": _abb(lead, ~none_alive),
            "leader_share": metrics.leader_share(share),
            "runner_up": _code(second, second_alive),
            "runner_up_abb": _abb(second, second_alive),
            "runner_up_share": np.where(second_alive, metrics.leader_share(others), np.nan),
            "concentration": metrics.concentration(share, n),
            "hhi": np.where(none_alive, np.nan, metrics.hhi(share)),
            "n_poles": metrics.n_poles(share, pole_threshold).astype(np.int64),
        },
        index=pd.Index(p.years, name="year"),
    )
    return out
