"""Foreign-policy similarity of alliance portfolios (S, Scott's pi, Cohen's kappa), computed here.

Two states whose alliance ties to the rest of the system look alike are taken to have similar
foreign policies: Signorino & Ritter's (1999) *S* and Häge's (2011) chance-corrected
alternatives measure that likeness. peacesciencer's ``add_fpsim()`` (Miller 2022) merges
pre-computed scores; equipoise computes them from the ATOP data it ships, with peacesciencer's
names and the valued ATOP coding of Miller's ``fpsim`` scripts.

**Portfolios.** In a year, every COW system member (every state with a state-year) has a
portfolio: its tie to each member, itself included. A's tie to B is the strongest obligation A
owes B in any ATOP alliance in force that year (the directed ATOP dyad-years of
:func:`~equipoise.panels.add_atop_alliance`), valued

* 3: defence or offence; 2: neutrality or consultation; 1: non-aggression only;
  0: none; and 3 to itself (every state is committed to defend itself);
* binary: 1 for any of these obligations (or itself), 0 for none.

**Measures** of the portfolios x and y of two states over the n members k, with the distance
of two tie values a and b on the scale's range (3 valued, 1 binary) ``d(a, b) = |a - b| / 3``
("absolute") or ``((a - b) / 3)^2`` ("squared"):

* S (Signorino & Ritter 1999): ``1 - 2 * mean_k d(x_k, y_k)``, from -1 to 1; weighted S
  weights each member k by its CINC that year: ``1 - 2 * sum_k w_k d(x_k, y_k) / sum_k w_k``
  (members without a CINC left out);
* Cohen's kappa and Scott's pi (Häge 2011): ``1 - D_o / D_e`` with ``D_o = mean_k d(x_k, y_k)``
  and the distance expected by chance, ``D_e = sum_{a,b} p(a) q(b) d(a, b)``: for kappa, p and
  q are the two states' own shares of each tie value (it allows for states differing in how
  many ties they form); for pi both are the pooled shares ``(p + q) / 2``. Valued kappa and pi
  use squared distances (Cohen's 1968 weighted kappa with quadratic weights); on binary ties
  the two distances agree, and kappa and pi are the classic ones. Missing when ``D_e = 0``.

Columns (peacesciencer's names: ``s``/``p``/``k`` for S, pi, kappa; ``ally``; ``v`` valued or
``b`` binary; ``u`` unweighted or ``w`` weighted; ``s`` squared or ``a`` absolute distances):
``sallyvus``, ``sallyvua``, ``sallybus``, ``sallybua``, ``sallyvwa``, ``sallybwa``,
``pallyv``, ``pallyb``, ``kallyv``, ``kallyb`` (``float64``). All are symmetric in the two
states, so directed and undirected panels agree. Missing outside ATOP's years (1815-2018), for
a state that is not a member that year, and (weighted S) without capabilities.

Differences from peacesciencer's downloaded scores: those round to three decimals; their
``pallyv`` is Scott's pi on nominal categories (any disagreement counts 1), where it is weighted
by squared distance here as kappa is; there is no Kendall's tau-b (Signorino & Ritter show why
it is not a similarity measure) and no UN-voting scores (no vote data ship with equipoise).

Computed without a loop over dyads and without dense matrix products: since ``|a - b| = a + b
- 2 min(a, b)`` and ``(a - b)^2 = a^2 + b^2 - 2ab``, the summed distances of every pair follow
from per-state sums and from sums over the states both are tied to, to which only tied pairs
contribute (portfolios are sparse: about 5 million such pairs over 1816-2016); the chance terms
come from each state's shares of the four tie values. :func:`similarity_table` does it once per
process for every pair of every year.

References
----------
Signorino, C. S., & Ritter, J. M. (1999). Tau-b or not tau-b: Measuring the similarity of
    foreign policy positions. *International Studies Quarterly*, 43(1), 115-144.
Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy similarity
    for chance agreement. *Political Analysis*, 19(3), 287-305.
    https://doi.org/10.1093/pan/mpr023
Cohen, J. (1968). Weighted kappa: Nominal scale agreement with provision for scaled
    disagreement or partial credit. *Psychological Bulletin*, 70(4), 213-220.
Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale coding.
    *Public Opinion Quarterly*, 19(3), 321-325.
Miller, S. V. (2022). peacesciencer: An R package for quantitative peace science research.
    *Conflict Management and Peace Science*, 39(6), 755-779.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.panels._atop import PACTS, atop_directed
from equipoise.panels._build import spells
from equipoise.panels._data import (
    NCODES,
    YEARS,
    FloatArray,
    IntArray,
    cached,
    expand_years,
)
from equipoise.panels._frame import DYAD_YEAR, PanelError, extend, panel_kind
from equipoise.panels._state import NMC_COLUMNS, keys, nmc_table

__all__ = ["FPSIM_COLUMNS", "SimilarityTable", "add_fpsim", "similarity_table"]

#: The similarity columns, in peacesciencer's order.
FPSIM_COLUMNS = (
    "sallyvus",
    "sallyvua",
    "sallybus",
    "sallybua",
    "sallyvwa",
    "sallybwa",
    "pallyv",
    "pallyb",
    "kallyv",
    "kallyb",
)
_LEVELS = 4  # tie values 0-3


def _valued(bits: npt.NDArray[np.uint8]) -> npt.NDArray[np.int8]:
    """ATOP obligation bits (``PACTS`` order) as the valued tie 0-3."""
    b = bits.astype(np.int64)
    on = {p: ((b >> k) & 1) == 1 for k, p in enumerate(PACTS)}
    return np.select(
        [on["defense"] | on["offense"], on["neutral"] | on["consul"], on["nonagg"]],
        [3, 2, 1],
        0,
    ).astype(np.int8)


def _column_pairs(
    start: IntArray,
    sizes: IntArray,
    base: IntArray,
    n: IntArray,
    row: IntArray,
    value: IntArray,
    weight: FloatArray,
) -> tuple[IntArray, npt.NDArray[np.int8], npt.NDArray[np.int8], FloatArray]:
    """Every pair of rows ``a < b`` tied to the same column, with what the pair sums need.

    ``start`` and ``sizes`` delimit each column's entries (sorted by row); ``base`` and ``n``
    are the column's year's first pair and member count. Returns the position of each pair in
    the upper triangle of its year (:meth:`SimilarityTable.index`), ``min(value_a, value_b)``,
    ``value_a * value_b`` and the column's weight. Columns of one size are expanded together
    by broadcasting: a year's columns have at most about a hundred tied states, so there are
    few distinct sizes and no loop over columns.
    """
    places, lows, products, weights = [], [], [], []
    value8 = value.astype(np.int8)
    for size in np.unique(sizes[sizes > 1]):
        a, b = np.triu_indices(int(size), k=1)
        which = np.flatnonzero(sizes == size)
        entries = start[which][:, None] + np.arange(int(size))[None, :]  # (columns, size)
        rows, values = row[entries], value8[entries]
        ra, rb = rows[:, a], rows[:, b]
        places.append(
            (
                base[which][:, None] + ra * n[which][:, None] - ra * (ra + 1) // 2 + rb - ra - 1
            ).ravel()
        )
        lows.append(np.minimum(values[:, a], values[:, b]).ravel())
        products.append((values[:, a] * values[:, b]).ravel())
        weights.append(np.repeat(weight[start[which]], len(a)))
    if not places:
        return np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0, np.int8), np.zeros(0)
    return (
        np.concatenate(places),
        np.concatenate(lows),
        np.concatenate(products),
        np.concatenate(weights),
    )


def _upper_triangles(size: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Year index and rows ``a < b`` of every pair of every year, in the triangles' order."""
    years, firsts, seconds = [], [], []
    cache: dict[int, tuple[IntArray, IntArray]] = {}
    for t, n in enumerate(size.tolist()):
        if n < 2:
            continue
        if n not in cache:
            cache[n] = np.triu_indices(n, k=1)
        a, b = cache[n]
        years.append(np.full(len(a), t, dtype=np.int64))
        firsts.append(a)
        seconds.append(b)
    if not years:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(years), np.concatenate(firsts), np.concatenate(seconds)


@dataclass(frozen=True)
class SimilarityTable:
    """Every measure for every pair of members of every year, upper triangle by year.

    Attributes
    ----------
    first_year : int
    position : int32 array, shape (NCODES, n_years)
        Row of each code in its year's sorted member list, -1 for non-members.
    size : int array, shape (n_years,)
        Members per year.
    offset : int array, shape (n_years + 1,)
        Start of each year's pairs: the pair ``i < j`` of year t is at ``offset[t] + i * n -
        i * (i + 1) // 2 + j - i - 1``.
    covered : bool array, shape (n_years,)
        Inside ATOP's years.
    scores : dict of float arrays
        One array per column of :data:`FPSIM_COLUMNS`.
    """

    first_year: int
    position: npt.NDArray[np.int32]
    size: IntArray
    offset: IntArray
    covered: npt.NDArray[np.bool_]
    scores: dict[str, FloatArray]

    def index(self, t: IntArray, i: IntArray, j: IntArray) -> IntArray:
        """Flat position of the pairs (``i != j``) of years ``first_year + t``."""
        a, b = np.minimum(i, j), np.maximum(i, j)
        return self.offset[t] + a * self.size[t] - a * (a + 1) // 2 + b - a - 1


def _ties() -> tuple[Any, ...]:
    """Every year's members and their ties, as one list of entries (module docstring)."""
    sp = spells()
    row, year = expand_years(sp.first, sp.last)
    pair = np.unique(year * NCODES + sp.ccode[row])  # one per state-year, by year and code
    year, code = pair // NCODES, pair % NCODES
    y0, y1 = int(year.min()), int(year.max())
    t_member = year - y0
    size = np.bincount(t_member, minlength=y1 - y0 + 1).astype(np.int64)
    row_offset = np.concatenate([[0], np.cumsum(size)])
    position = np.full((NCODES, y1 - y0 + 1), -1, dtype=np.int32)
    position[code, t_member] = np.arange(len(code)) - row_offset[t_member]
    atop = atop_directed()
    years = np.arange(y0, y1 + 1)
    covered = (years >= atop.first_year) & (years <= atop.last_year)
    # ATOP's directed obligations among the year's members, and 3 to itself
    a_t = atop.keys % YEARS - y0
    a_in = (a_t >= 0) & (a_t <= y1 - y0)
    a_t = a_t[a_in]
    a_i = position[atop.keys[a_in] // YEARS // NCODES, a_t]
    a_k = position[atop.keys[a_in] // YEARS % NCODES, a_t]
    a_v = _valued(atop.bits[a_in]).astype(np.int64)
    ok = (a_i >= 0) & (a_k >= 0) & (a_v > 0)
    own = covered[t_member]
    self_row = position[code[own], t_member[own]]
    t = np.concatenate([a_t[ok], t_member[own]])
    i = np.concatenate([a_i[ok], self_row]).astype(np.int64)
    k = np.concatenate([a_k[ok], self_row]).astype(np.int64)
    v = np.concatenate([a_v[ok], np.full(len(self_row), 3, dtype=np.int64)])
    cinc = nmc_table().get(NMC_COLUMNS.index("cinc"), code, year, np.nan)
    cinc = np.where(np.isnan(cinc), 0.0, cinc)  # members without a CINC weigh nothing
    return y0, position, size, row_offset, covered, cinc, t, i, k, v


@cached("states", "atop_members", "nmc")
def similarity_table() -> SimilarityTable:
    """Compute :class:`SimilarityTable` (module docstring for the method)."""
    y0, position, size, row_offset, covered, cinc, t, i, k, v = _ties()
    w = cinc[row_offset[t] + k]  # the weight of the column state
    n_rows = int(row_offset[-1])
    r = row_offset[t] + i

    def per_row(values: npt.NDArray[Any]) -> FloatArray:
        return np.asarray(np.bincount(r, weights=values, minlength=n_rows), dtype=np.float64)

    # per member: sums over its own row, and its shares of the tie values 0-3
    total, squares, ties = per_row(v), per_row(v * v), per_row(np.ones(len(v)))
    total_w, ties_w = per_row(w * v), per_row(w)
    counts = np.stack([per_row((v == a).astype(np.float64)) for a in (1, 2, 3)], axis=1)
    # per pair i < j: sums over the columns both are tied to (pairs of each column's ties)
    order = np.lexsort((i, k, t))
    t, i, k, v, w = t[order], i[order], k[order], v[order], w[order]
    start = np.flatnonzero(np.diff(t * NCODES + k, prepend=-1) != 0)
    offset = np.concatenate([[0], np.cumsum(size * (size - 1) // 2)])
    place, low, product, weight = _column_pairs(
        start,
        np.diff(np.append(start, len(t))),
        offset[t[start]],
        size[t[start]],
        i,
        v,
        w,
    )  # rows are sorted within a column, so each pair has a < b
    n_pairs = int(offset[-1])
    low_f = low.astype(np.float64)
    sums = {
        name: np.asarray(np.bincount(place, weights=values, minlength=n_pairs), np.float64)
        for name, values in (
            ("common", low_f),
            ("product", product.astype(np.float64)),
            ("both", None),
            ("common_w", weight * low_f),
            ("both_w", weight),
        )
    }
    del place, low, low_f, product, weight  # the 5 million tied pairs are summed
    # every pair of every year at once: rows a < b of year index t
    pair_year, a, b = _upper_triangles(size)
    ra, rb = row_offset[pair_year] + a, row_offset[pair_year] + b
    n = size[pair_year].astype(np.float64)
    member_year = np.repeat(np.arange(len(size)), size)
    weight_total = np.asarray(np.bincount(member_year, weights=cinc, minlength=len(size)), float)
    members = size[member_year].astype(np.float64)[:, None]
    shares = np.column_stack([members[:, 0] - counts.sum(axis=1), counts]) / members
    scores = _measures(
        n,
        {
            "total": total,
            "squares": squares,
            "ties": ties,
            "total_w": total_w,
            "ties_w": ties_w,
        },
        shares,
        sums,
        weight_total[pair_year],
        ra,
        rb,
    )
    outside = ~covered[pair_year]  # years outside ATOP: nothing to measure
    for values in scores.values():
        values[outside] = np.nan
    return SimilarityTable(y0, position, size, offset, covered, scores)


def _measures(
    n: FloatArray,
    rows: dict[str, FloatArray],
    shares_v: FloatArray,
    pairs: dict[str, FloatArray],
    weight_total: FloatArray,
    ra: IntArray,
    rb: IntArray,
) -> dict[str, FloatArray]:
    """The ten measures of the pairs (member rows ``ra``, ``rb``) from the row and pair sums."""

    def spread(per_row: FloatArray, per_pair: FloatArray) -> FloatArray:
        out = per_row[ra] + per_row[rb]
        out -= 2 * per_pair
        return out

    def nan_if_zero(values: FloatArray) -> FloatArray:
        return np.where(values > 0, values, np.nan)

    sq_v = spread(rows["squares"], pairs["product"]) / (9 * n)  # mean ((x_ik - x_jk) / 3)^2
    diff_b = spread(rows["ties"], pairs["both"]) / n  # binary: absolute and squared alike
    w_total = nan_if_zero(weight_total)
    out: dict[str, FloatArray] = {
        "sallyvus": 1 - 2 * sq_v,
        "sallyvua": 1 - 2 * spread(rows["total"], pairs["common"]) / (3 * n),
        "sallybus": 1 - 2 * diff_b,
        "sallybua": 1 - 2 * diff_b,
        "sallyvwa": 1 - 2 * spread(rows["total_w"], pairs["common_w"]) / (3 * w_total),
        "sallybwa": 1 - 2 * spread(rows["ties_w"], pairs["both_w"]) / w_total,
    }
    shares_b = np.column_stack([shares_v[:, 0], 1 - shares_v[:, 0]])
    levels = np.arange(_LEVELS, dtype=np.float64)
    for label, observed, shares, gap in (
        ("v", sq_v, shares_v, ((levels[:, None] - levels[None, :]) / 3) ** 2),
        ("b", diff_b, shares_b, np.array([[0.0, 1.0], [1.0, 0.0]])),
    ):
        mixed = shares @ gap  # per member: the expected distance to each tie value
        own = np.einsum("rk,rk->r", mixed, shares)  # q_ii
        q = np.einsum("rk,rk->r", mixed[ra], shares[rb])  # q_ij, with each state's own shares
        pooled = (2 * q + own[ra] + own[rb]) / 4  # ... and with the pooled shares
        out[f"pally{label}"] = 1 - observed / nan_if_zero(pooled)
        out[f"kally{label}"] = 1 - observed / nan_if_zero(q)
    return out


def add_fpsim(panel: pd.DataFrame) -> pd.DataFrame:
    """Add the similarity of the two states' alliance portfolios: peacesciencer's ``add_fpsim()``.

    Adds ``sallyvus``, ``sallyvua``, ``sallybus``, ``sallybua``, ``sallyvwa``, ``sallybwa``
    (Signorino & Ritter's S: valued or binary ties, unweighted or weighted by CINC, squared or
    absolute distances), ``pallyv``, ``pallyb`` (Scott's pi) and ``kallyv``, ``kallyb``
    (Cohen's kappa), computed from ATOP 5.1 as the module docstring describes (``float64``;
    missing outside 1815-2018 and for non-members).

    Parameters
    ----------
    panel : DataFrame
        A dyad-year panel.

    Returns
    -------
    DataFrame
        The panel with the ten similarity columns added.

    Raises
    ------
    PanelError
        If ``panel`` is not a dyad-year panel (similarity is a property of pairs).

    References
    ----------
    Signorino, C. S., & Ritter, J. M. (1999). Tau-b or not tau-b: Measuring the similarity of
        foreign policy positions. *International Studies Quarterly*, 43(1), 115-144.
    Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy
        similarity for chance agreement. *Political Analysis*, 19(3), 287-305.

    Examples
    --------
    >>> from equipoise.panels import dyad_years
    >>> d = add_fpsim(dyad_years(1913, 1913))
    >>> fra_rus = d.query("ccode1 == 220 and ccode2 == 365")  # Franco-Russian alliance
    >>> gmy_rus = d.query("ccode1 == 255 and ccode2 == 365")
    >>> bool(fra_rus["kallyv"].iloc[0] > gmy_rus["kallyv"].iloc[0])
    True
    """
    kind = panel_kind(panel, "add_fpsim")
    if kind != DYAD_YEAR:
        raise PanelError(
            "add_fpsim needs a dyad-year panel: foreign-policy similarity is a property of "
            "pairs of states"
        )
    c1, c2, year = keys(panel, "ccode1", "ccode2", "year")
    table = similarity_table()
    n_years = table.position.shape[1]
    t = year - table.first_year
    inside = (t >= 0) & (t < n_years) & (c1 >= 0) & (c1 < NCODES) & (c2 >= 0) & (c2 < NCODES)
    rows = np.flatnonzero(inside)
    t_in = t[rows]
    i = table.position[c1[rows], t_in].astype(np.int64)
    j = table.position[c2[rows], t_in].astype(np.int64)
    ok = (i >= 0) & (j >= 0) & (i != j) & table.covered[t_in]
    rows, at = rows[ok], table.index(t_in[ok], i[ok], j[ok])
    out: dict[str, object] = {}
    for name in FPSIM_COLUMNS:
        column = np.full(len(year), np.nan)
        column[rows] = table.scores[name][at]
        out[name] = column
    used = {
        "signorino1999": [c for c in FPSIM_COLUMNS if c.startswith("s")],
        "hage2011": [c for c in FPSIM_COLUMNS if not c.startswith("s")],
        "atop": list(FPSIM_COLUMNS),
        "cow_nmc": ["sallyvwa", "sallybwa"],  # weighted by CINC
    }
    return extend(panel, out, used)
