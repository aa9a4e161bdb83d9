"""Searching the energy landscape: exact enumeration, local search, batched global minima.

Contract: :func:`solve` returns every stable configuration (local minimum
under single moves) with its energy and basin of attraction, exactly up to
:data:`AUTO_EXACT_LIMIT` states (more on request, up to :data:`MAX_EXACT`), and
by a many-restart local search beyond, which it labels as not exact.
:func:`global_minima` finds the global minimum of many small problems at once
(the simulation's alliance rule uses it). Inputs are validated by
:mod:`._core`; nothing here writes into its inputs.

Algorithm
---------
Write ``sigma_i = 1 - 2 x_i`` (+1 in coalition 0, -1 in coalition 1) and
``w_ij = s_i s_j p_ij``. Moving state k to the other side changes the energy
by ``Delta_k = sigma_k h_k`` with the local field ``h_k = sum_j w_kj sigma_j``,
and ``E = (sum_{i<j} w_ij - sum_k Delta_k / 2) / 2``.

*Exact.* State 0 is held in coalition 0 (swapping the labels changes
nothing), so there are ``2^(n-1)`` configurations; configuration ``c`` puts
state ``i >= 1`` in coalition ``(c >> (i - 1)) & 1``. The field is linear in
``sigma``, so it splits into a part that depends on the low bits of ``c`` and
one that depends on the high bits: ``h(c) = H_low[c mod 2^b] + H_high[c >> b]``,
two small tables. A chunk of configurations is one broadcast addition and
one multiplication, then an ``argmin`` over k gives each configuration's
steepest-descent move. Memory is one chunk of ``chunk_size`` floats plus
4 bytes per configuration for the descent map (2 MB at n = 20, 32 MB at
n = 24). Basins follow by pointer jumping on the descent map
(``succ = succ[succ]``, ``log2`` of the longest path passes).

*Heuristic.* Steepest descent from many random configurations, vectorised
over restarts; the field is updated incrementally after each move.

*Batched global minimum* (:func:`global_minima`). Meet in the middle: split
the states into halves A (with state 0) and B; ``sigma' W sigma`` is the sum
of a term of A, a term of B and the bilinear cross term
``2 sigma_A' W_AB sigma_B``. With ``u = W_AB' sigma_A`` computed once per
half-configuration of A, the cross terms with all half-configurations of B
follow by doubling: one subtraction per configuration.

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from equipoise.landscape._core import (
    FloatArray,
    LabelArray,
    LandscapeError,
    couplings,
    validate,
)

__all__ = [
    "AUTO_EXACT_LIMIT",
    "MAX_BATCH_EXACT",
    "MAX_EXACT",
    "LandscapeResult",
    "global_minima",
    "multistart_minima",
    "solve",
]

#: ``solve(method="auto")`` enumerates exactly up to this many states.
AUTO_EXACT_LIMIT = 24
#: ``solve(method="exact")`` refuses more states than this (4 B x 2^(n-1) for the
#: descent map, twice that while basins are computed: 1 GB at 28).
MAX_EXACT = 28
#: :func:`global_minima` handles at most this many states per problem.
MAX_BATCH_EXACT = 24
#: Moves that lower the energy by less than this fraction of ``sum |w_ij|`` do not count.
RELATIVE_TOLERANCE = 1e-12
#: Floats per working chunk of the exact search (16 MB).
DEFAULT_CHUNK = 1 << 21

Method = Literal["auto", "exact", "heuristic"]
_MAX_MOVES_PER_STATE = 1000


@dataclass(frozen=True, eq=False)
class LandscapeResult:
    """Stable configurations of a landscape, best first.

    Attributes
    ----------
    names : tuple of str
        State names, in input order.
    sizes : (n,) float
        Sizes as given.
    propensity : (n, n) float
        Propensities (symmetric, zero diagonal).
    configurations : (k, n) int8
        Coalition label (0 or 1) of each state in each of the k stable
        configurations (local minima), state 0 always in coalition 0.
    energies : (k,) float
        Their energies ``E(X) = sum_{i<j} s_i s_j p_ij d_ij(X)``, ascending.
    basins : (k,) float
        Share of configurations whose steepest descent ends in each minimum
        (exact search), or share of the local searches that ended there
        (heuristic, an estimate). They sum to 1.
    exact : bool
        True if every configuration was enumerated, so that the first row is
        the global minimum and the list of minima is complete. False for the
        heuristic, whose best configuration may not be the global minimum.
    searched : int
        Configurations enumerated (exact) or local searches run (heuristic).

    Examples
    --------
    >>> from equipoise.landscape import solve
    >>> p = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]
    >>> result = solve([2.0, 1.0, 3.0], p, names=["GBR", "FRA", "GER"])
    >>> result.coalitions()
    (('GBR', 'FRA'), ('GER',))
    >>> result.best_energy, result.exact
    (-9.0, True)
    """

    names: tuple[str, ...]
    sizes: FloatArray
    propensity: FloatArray
    configurations: LabelArray
    energies: FloatArray
    basins: FloatArray
    exact: bool
    searched: int

    def __len__(self) -> int:
        return int(self.energies.size)

    @property
    def best(self) -> LabelArray:
        """Configuration of lowest energy: the prediction (global minimum if ``exact``)."""
        return self.configurations[0]

    @property
    def best_energy(self) -> float:
        """Energy of :attr:`best`."""
        return float(self.energies[0])

    @property
    def tied(self) -> int:
        """How many stable configurations share the lowest energy (1: a single prediction).

        Energies within a billionth of the landscape's total weight
        ``sum |s_i s_j p_ij|`` of the lowest count as equal (rounding). When more than one
        configuration ties, the theory predicts none of them over the others; their basins
        say how often each is reached from a random start.

        Examples
        --------
        >>> from equipoise.landscape import solve
        >>> solve([1.0, 1.0, 1.0, 1.0], -(1 - np.eye(4))).tied   # any 2-2 split
        3
        """
        if not len(self):
            return 0
        weight = float(np.abs(np.outer(self.sizes, self.sizes) * self.propensity).sum()) or 1.0
        return int(np.sum(np.abs(self.energies - self.energies[0]) <= 1e-9 * weight))

    def coalitions(self, rank: int = 0) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Names in coalition 0 (with the first state) and coalition 1 of minimum ``rank``."""
        if not 0 <= rank < len(self):
            raise IndexError(f"rank must be in 0..{len(self) - 1}, got {rank}")
        x = self.configurations[rank]
        return (
            tuple(n for n, c in zip(self.names, x, strict=True) if c == 0),
            tuple(n for n, c in zip(self.names, x, strict=True) if c == 1),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per stable configuration: rank, energy, basin and both coalitions."""
        rows = []
        for k in range(len(self)):
            a, b = self.coalitions(k)
            rows.append(
                {
                    "rank": k + 1,
                    "energy": float(self.energies[k]),
                    "basin": float(self.basins[k]),
                    "coalition_a": " ".join(a),
                    "coalition_b": " ".join(b),
                }
            )
        return pd.DataFrame(rows, columns=["rank", "energy", "basin", "coalition_a", "coalition_b"])


# ----------------------------------------------------------------- helpers
def _tolerance(w: FloatArray) -> float:
    return RELATIVE_TOLERANCE * float(np.abs(np.triu(w, 1)).sum())


def _sign_table(count: int, n: int, columns: Sequence[int], fixed: int | None = None) -> FloatArray:
    """(2^len(columns), n) table: row c has sigma of ``columns[k]`` from bit k of c."""
    rows = np.arange(count, dtype=np.int64)
    table = np.zeros((count, n))
    for k, col in enumerate(columns):
        table[:, col] = 1.0 - 2.0 * ((rows >> k) & 1)
    if fixed is not None:
        table[:, fixed] = 1.0
    return table


def _labels_of(index: npt.NDArray[np.int64], n: int) -> LabelArray:
    """Configurations (k, n) of canonical indices (state 0 in coalition 0)."""
    bits = (index[:, None] >> np.arange(n - 1, dtype=np.int64)[None, :]) & 1
    return np.concatenate([np.zeros((index.size, 1), dtype=np.int8), bits.astype(np.int8)], axis=1)


def _energies(w: FloatArray, labels: LabelArray) -> FloatArray:
    side = labels.astype(np.float64)
    return np.einsum("ki,ij,kj->k", side, w, 1.0 - side)


def _ranked(
    w: FloatArray, labels: LabelArray, basins: FloatArray
) -> tuple[LabelArray, FloatArray, FloatArray]:
    e = _energies(w, labels)
    # by energy, then by canonical order of the configuration (state n-1 most significant)
    order = np.lexsort((*labels[:, 1:].T, e))
    return labels[order], e[order], basins[order]


# ------------------------------------------------------------------- exact
def _descent_map(w: FloatArray, chunk_size: int) -> npt.NDArray[np.int32]:
    """Steepest-descent successor of every canonical configuration (itself at a minimum)."""
    n = w.shape[0]
    free = n - 1
    total = 1 << free
    low = min(free, 12)
    n_low, n_high = 1 << low, 1 << (free - low)
    sig_low = _sign_table(n_low, n, range(1, low + 1))
    sig_high = _sign_table(n_high, n, range(low + 1, n), fixed=0)
    h_low, h_high = sig_low @ w, sig_high @ w
    flip = np.array([total - 1] + [1 << k for k in range(free)], dtype=np.int32)
    tol = _tolerance(w)
    succ = np.empty(total, dtype=np.int32)
    rows = max(1, chunk_size // (n_low * n))
    base = np.arange(n_low, dtype=np.int32)
    for g0 in range(0, n_high, rows):
        g1 = min(n_high, g0 + rows)
        delta = h_low[None, :, :] + h_high[g0:g1, None, :]
        delta *= sig_low[None, :, :] + sig_high[g0:g1, None, :]
        delta = delta.reshape(-1, n)
        k = np.argmin(delta, axis=1)
        gain = np.take_along_axis(delta, k[:, None], axis=1)[:, 0]
        c = (np.arange(g0, g1, dtype=np.int32)[:, None] * n_low + base[None, :]).ravel()
        succ[g0 * n_low : g1 * n_low] = np.where(gain < -tol, c ^ flip[k], c)
    return succ


def _exact(w: FloatArray, chunk_size: int) -> tuple[LabelArray, FloatArray, int]:
    n = w.shape[0]
    succ = _descent_map(w, chunk_size)
    total = succ.size
    for _ in range(64):  # each pass doubles the followed path; energies strictly fall
        nxt = succ[succ]
        if np.array_equal(nxt, succ):
            break
        succ = nxt
    else:  # pragma: no cover - impossible: descent paths are shorter than 2^64
        raise RuntimeError("steepest descent did not converge")
    minima = np.flatnonzero(succ == np.arange(total, dtype=np.int32))
    basins = np.bincount(succ, minlength=total)[minima] / total
    return _labels_of(minima.astype(np.int64), n), basins, total


# --------------------------------------------------------------- heuristic
def _descend(w: FloatArray, sigma: FloatArray, tol: float | FloatArray) -> FloatArray:
    """Steepest descent of stacked configurations to local minima.

    Parameters
    ----------
    w : (n, n) or (B, n, n)
        Pair weights (one problem, or one per leading index of ``sigma``).
    sigma : (S, n) or (B, S, n)
        Starting spins (+1/-1); not modified.
    tol : float or (B,) array
        A move must lower the energy by more than ``tol``.

    Returns
    -------
    Spins of the local minima reached, same shape as ``sigma``. Ties between
    moves go to the lowest state index.
    """
    batched = w.ndim == 3
    sigma = sigma.copy()
    h = sigma @ w  # w symmetric: h[..., s, :] = W sigma_s
    tol_rows = np.broadcast_to(np.asarray(tol, dtype=np.float64), w.shape[:-2])
    flat_s = sigma.reshape(-1, sigma.shape[-1])
    flat_h = h.reshape(-1, h.shape[-1])
    problem = (
        np.repeat(np.arange(w.shape[0]), sigma.shape[1])
        if batched
        else np.zeros(flat_s.shape[0], dtype=np.int64)
    )
    tols = tol_rows[problem] if batched else np.full(flat_s.shape[0], float(tol_rows))
    active = np.arange(flat_s.shape[0])
    # every move lowers E by more than tol, so descent ends; the cap only guards
    # against rounding drift of the incrementally updated field
    for _ in range(_MAX_MOVES_PER_STATE * sigma.shape[-1]):
        if not active.size:
            break
        s, hh = flat_s[active], flat_h[active]
        delta = s * hh
        k = np.argmin(delta, axis=1)
        gain = np.take_along_axis(delta, k[:, None], axis=1)[:, 0]
        move = gain < -tols[active]
        active, k = active[move], k[move]
        if not active.size:
            break
        flat_s[active, k] *= -1.0
        rows = w[problem[active], k] if batched else w[k]
        flat_h[active] += 2.0 * flat_s[active, k][:, None] * rows
    return flat_s.reshape(sigma.shape)


def _descend_pairs(
    w: FloatArray, sigma: FloatArray, tol: FloatArray, chunk_size: int
) -> FloatArray:
    """Steepest descent over single moves and moves of two states at once.

    Parameters
    ----------
    w : (B, n, n)
        Pair weights of each problem.
    sigma : (B, S, n)
        Starting spins (+1/-1); not modified.
    tol : (B,) array
        A move must lower the energy by more than ``tol``.
    chunk_size : int
        Floats of move gains evaluated at once.

    Returns
    -------
    Spins (B, S, n) of configurations that no single or double move improves.
    Moving i and j together changes the energy by
    ``Delta_i + Delta_j - 2 w_ij sigma_i sigma_j``; ties go to single moves,
    then to the lowest index.
    """
    b, starts, n = sigma.shape
    iu, ju = np.triu_indices(n, 1)
    flat_s = sigma.reshape(-1, n).copy()
    flat_h = (sigma @ w).reshape(-1, n)
    problem = np.repeat(np.arange(b), starts)
    tols = np.asarray(tol, dtype=np.float64)[problem]
    per = max(1, chunk_size // (n + iu.size))
    active = np.arange(flat_s.shape[0])
    for _ in range(_MAX_MOVES_PER_STATE * n):  # see _descend
        if not active.size:
            break
        moving = []
        for lo in range(0, active.size, per):
            rows = active[lo : lo + per]
            s = flat_s[rows]
            d1 = s * flat_h[rows]
            pair_w = w[problem[rows][:, None], iu[None, :], ju[None, :]]
            d2 = d1[:, iu] + d1[:, ju] - 2.0 * pair_w * s[:, iu] * s[:, ju]
            gains = np.concatenate([d1, d2], axis=1)
            k = np.argmin(gains, axis=1)
            ok = np.take_along_axis(gains, k[:, None], axis=1)[:, 0] < -tols[rows]
            moving.append((rows[ok], k[ok]))
        active = np.concatenate([m[0] for m in moving])
        k = np.concatenate([m[1] for m in moving])
        first = np.where(k < n, k, iu[np.maximum(k - n, 0)])
        second = np.where(k < n, -1, ju[np.maximum(k - n, 0)])
        for rows, j in ((active, first), (active[second >= 0], second[second >= 0])):
            flat_s[rows, j] *= -1.0
            flat_h[rows] += 2.0 * flat_s[rows, j][:, None] * w[problem[rows], j]
    return flat_s.reshape(sigma.shape)


def _heuristic(
    w: FloatArray, restarts: int, rng: np.random.Generator, chunk_size: int
) -> tuple[LabelArray, FloatArray, int]:
    n = w.shape[0]
    tol = _tolerance(w)
    block = max(1, chunk_size // (4 * n))
    found: dict[bytes, int] = {}
    for start in range(0, restarts, block):
        size = min(block, restarts - start)
        sigma = 1.0 - 2.0 * rng.integers(0, 2, size=(size, n)).astype(np.float64)
        end = _descend(w, sigma, tol)
        end *= end[:, :1]  # canonical: state 0 in coalition 0 (sigma = +1)
        labels = (end < 0).astype(np.int8)
        keys, counts = np.unique(np.packbits(labels, axis=1), axis=0, return_counts=True)
        for key, count in zip(keys, counts, strict=True):
            found[key.tobytes()] = found.get(key.tobytes(), 0) + int(count)
    packed = np.array([np.frombuffer(k, dtype=np.uint8) for k in found])
    labels = np.unpackbits(packed, axis=1, count=n).astype(np.int8)
    basins = np.array(list(found.values()), dtype=np.float64) / restarts
    return labels, basins, restarts


# ------------------------------------------------------------------- solve
def solve(
    sizes: npt.ArrayLike,
    propensity: npt.ArrayLike,
    names: Sequence[str] | None = None,
    *,
    method: Method = "auto",
    restarts: int = 10_000,
    seed: int | np.random.Generator | None = 0,
    chunk_size: int = DEFAULT_CHUNK,
) -> LandscapeResult:
    """Stable alignments of n states into two coalitions (Axelrod & Bennett 1993).

    Landscape theory predicts that states settle in a configuration where no
    single state can lower the system's energy (frustration)
    ``E(X) = sum_{i<j} s_i s_j p_ij d_ij(X)`` by switching sides: a local
    minimum of the energy landscape. The global minimum is the prediction;
    the basin of a minimum is the share of configurations from which steepest
    descent (each step moving the state whose switch lowers the energy most)
    ends there, i.e. how likely the system is to arrive there from an
    arbitrary start.

    Parameters
    ----------
    sizes : array_like, shape (n,)
        Sizes ``s_i >= 0``, e.g. capability shares (any scale: scaling every
        size by c scales every energy by c^2 and changes nothing else).
    propensity : array_like, shape (n, n)
        Symmetric propensities: ``p_ij > 0`` if i and j would rather be in the
        same coalition, ``< 0`` if apart. The diagonal is ignored.
    names : sequence of str, optional
        State names (default ``S0``, ``S1``, ...).
    method : {"auto", "exact", "heuristic"}
        ``"exact"`` enumerates all ``2^(n-1)`` configurations (n up to
        :data:`MAX_EXACT`; n = 20 takes well under a second, each extra
        state about doubles the time). ``"heuristic"`` runs ``restarts``
        steepest descents from random configurations: the minima it reports
        are true local minima, but it may miss some, including the global
        minimum, and its basins are estimates. ``"auto"`` is exact up to
        :data:`AUTO_EXACT_LIMIT` states and heuristic (with a warning) beyond.
    restarts : int
        Local searches of the heuristic.
    seed : int or Generator, optional
        Random starts of the heuristic (the exact search uses no randomness).
    chunk_size : int
        Floats held in one working chunk; bounds memory, not the result.

    Returns
    -------
    LandscapeResult
        Every stable configuration found, by ascending energy (ties in the
        canonical order of configurations), with basins. Ties between moves
        in the descent go to the lowest state index, and a move counts only
        if it lowers the energy by more than ``1e-12 * sum |s_i s_j p_ij|``.

    Raises
    ------
    LandscapeError
        Invalid sizes, propensities or names (see
        :func:`equipoise.landscape.validate`), all pair weights zero, an
        unknown method, too many states for ``"exact"``, or ``restarts < 1``.

    References
    ----------
    Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248

    Examples
    --------
    Four states of equal size: 1 and 2 are friends, so are 3 and 4, 1 and 3 and
    2 and 4 are enemies, the cross pairs mildly friendly. Three configurations
    are stable; "12 versus 34" is the prediction and attracts 6 of the 8
    configurations:

    >>> p = [[0, 1, -1, 0.5], [1, 0, 0.5, -1], [-1, 0.5, 0, 1], [0.5, -1, 1, 0]]
    >>> r = solve([1, 1, 1, 1], p, names=["1", "2", "3", "4"])
    >>> r.to_frame()
       rank  energy  basin coalition_a coalition_b
    0     1    -1.0  0.750         1 2         3 4
    1     2     0.0  0.125     1 2 3 4
    2     3     0.0  0.125         1 4         2 3
    """
    s, p, label = validate(sizes, propensity, names)
    n = s.size
    if method not in ("auto", "exact", "heuristic"):
        raise LandscapeError(f"method must be 'auto', 'exact' or 'heuristic', got {method!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise LandscapeError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    w = couplings(s, p)
    if not w.any():
        raise LandscapeError(
            "every pair has s_i s_j p_ij = 0 (sizes or propensities all zero), "
            "so every configuration is equally stable"
        )
    use_exact = method == "exact" or (method == "auto" and n <= AUTO_EXACT_LIMIT)
    if use_exact:
        if n > MAX_EXACT:
            raise LandscapeError(
                f"exact search handles at most {MAX_EXACT} states (2^(n-1) configurations), "
                f"got {n}; use method='heuristic'"
            )
        labels, basins, searched = _exact(w, chunk_size)
    else:
        if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 1:
            raise LandscapeError(f"restarts must be a positive integer, got {restarts!r}")
        if method == "auto":
            warnings.warn(
                f"{n} states: more than {AUTO_EXACT_LIMIT}, so the landscape is searched by "
                f"{restarts} local searches, which may miss the global minimum "
                "(pass method='heuristic' to silence this)",
                UserWarning,
                stacklevel=2,
            )
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        labels, basins, searched = _heuristic(w, restarts, rng, chunk_size)
    labels, energies, basins = _ranked(w, labels, basins)
    return LandscapeResult(
        names=label,
        sizes=s,
        propensity=p,
        configurations=labels,
        energies=energies,
        basins=basins,
        exact=use_exact,
        searched=searched,
    )


# ------------------------------------------------------- batched problems
def _batch_inputs(
    sizes: npt.ArrayLike, propensity: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, bool]:
    s = np.asarray(sizes, dtype=np.float64)
    single = s.ndim == 1
    s = np.atleast_2d(s)
    if s.ndim != 2:
        raise LandscapeError(f"sizes must have shape (n,) or (B, n), got {s.shape}")
    b, n = s.shape
    p = np.asarray(propensity, dtype=np.float64)
    if p.ndim == 2:
        p = np.broadcast_to(p, (b, n, n))
    if p.shape != (b, n, n):
        raise LandscapeError(f"propensity must have shape ({n}, {n}) or ({b}, {n}, {n})")
    if n < 2:
        raise LandscapeError(f"landscape theory needs at least 2 states, got {n}")
    if not (np.isfinite(s).all() and (s >= 0).all()):
        raise LandscapeError("sizes must be finite and >= 0")
    off = ~np.eye(n, dtype=bool)
    if not np.isfinite(p[:, off]).all():
        raise LandscapeError("propensities must be finite")
    if not np.allclose(p, p.transpose(0, 2, 1), rtol=1e-9, atol=1e-12):
        raise LandscapeError("propensity matrices must be symmetric")
    w = s[:, :, None] * s[:, None, :] * np.where(off, p, 0.0)
    return (w + w.transpose(0, 2, 1)) / 2.0, s, single


def _batch_energies(w: FloatArray, sigma: FloatArray) -> FloatArray:
    """Energies (B, ...) of spins (B, ..., n) under pair weights (B, n, n)."""
    side = (sigma < 0).astype(np.float64)
    return np.einsum("b...i,bij,b...j->b...", side, w, 1.0 - side)


def global_minima(
    sizes: npt.ArrayLike,
    propensity: npt.ArrayLike,
    *,
    chunk_size: int = 1 << 20,
) -> tuple[LabelArray, FloatArray]:
    """Exact global minimum of each of many landscapes at once.

    For the simulation's alliance rule and for tracing how the prediction
    shifts as sizes change (one row of ``sizes`` per year, scenario or
    perturbation), without the local minima and basins of :func:`solve`.

    Parameters
    ----------
    sizes : array_like, shape (n,) or (B, n)
        Sizes of each problem.
    propensity : array_like, shape (n, n) or (B, n, n)
        One symmetric propensity matrix for all problems, or one each.
    chunk_size : int
        Floats held at once (``2^(n-1)`` per problem); bounds memory only.

    Returns
    -------
    configurations : int8 array, shape (B, n) (or (n,) for one problem)
        Coalition labels of the global minimum, state 0 in coalition 0; among
        exactly tied configurations the first in canonical order.
    energies : float array, shape (B,) (or a 0-d array)
        Their energies.

    Notes
    -----
    Meet in the middle: with halves A (states ``0..a-1``) and B, every
    energy is ``(sum_{i<j} w_ij - Q / 2) / 2`` with
    ``Q = Q_A + Q_B + 2 sigma_A' W_AB sigma_B``. For every half-configuration
    of A, ``u = W_AB' sigma_A`` is computed once; the cross terms with all
    ``2^(n-a)`` half-configurations of B then follow by doubling (switching a
    state j of B subtracts ``4 u_j``), one subtraction per configuration.
    About 0.6 ms per 20-state problem.
    Each problem's arithmetic depends only on its own inputs and n, so
    results do not depend on how problems are batched.

    Examples
    --------
    Three mutually hostile states split two against one, as evenly as their
    sizes allow. When the first outgrows the other two together, it stands
    alone:

    >>> hostile = -(1 - np.eye(3))
    >>> x, e = global_minima([[1, 1, 1], [3, 1, 1], [0.5, 1, 1]], hostile)
    >>> x
    array([[0, 1, 0],
           [0, 1, 1],
           [0, 1, 0]], dtype=int8)
    >>> e
    array([-2. , -6. , -1.5])
    """
    w, s, single = _batch_inputs(sizes, propensity)
    b, n = s.shape
    if n > MAX_BATCH_EXACT:
        raise LandscapeError(f"global_minima handles at most {MAX_BATCH_EXACT} states, got {n}")
    a = (n + 1) // 2
    na, nb = 1 << (a - 1), 1 << (n - a)
    sig_a = _sign_table(na, a, range(1, a), fixed=0)  # (na, a)
    sig_b = _sign_table(nb, n - a, range(n - a))  # (nb, n - a)
    per = max(1, chunk_size // (na * nb))
    labels = np.zeros((b, n), dtype=np.int8)
    buf = np.empty((min(per, b), nb, na))
    for lo in range(0, b, per):
        hi = min(b, lo + per)
        k = hi - lo
        wc = w[lo:hi]
        q_a = ((sig_a @ wc[:, :a, :a]) * sig_a).sum(axis=-1)  # (k, na)
        q_b = ((sig_b @ wc[:, a:, a:]) * sig_b).sum(axis=-1)  # (k, nb)
        u = sig_a @ wc[:, :a, a:]  # (k, na, n - a): W_AB' sigma_A for every sigma_A
        # q[:, beta, alpha] = Q_A + 2 u . sigma_B (flat index = canonical c), built by
        # doubling over the bits of beta: switching state j of B subtracts 4 u_j
        q = buf[:k]
        q[:, 0, :] = 2.0 * u.sum(axis=-1) + q_a
        width = 1
        for j in range(n - a):
            np.subtract(q[:, :width, :], 4.0 * u[:, None, :, j], out=q[:, width : 2 * width, :])
            width *= 2
        # + Q_B[beta] is constant along a row: best row first, then best column in it
        row = np.argmax(q.max(axis=2) + q_b, axis=1)
        col = np.argmax(q[np.arange(k), row], axis=1)
        labels[lo:hi] = _labels_of(row.astype(np.int64) * na + col, n)
    sigma = 1.0 - 2.0 * labels.astype(np.float64)
    energies = _batch_energies(w, sigma[:, None, :])[:, 0]
    if single:
        return labels[0], energies[0]
    return labels, energies


def multistart_minima(
    sizes: npt.ArrayLike,
    propensity: npt.ArrayLike,
    starts: npt.ArrayLike,
    *,
    pairs: bool = True,
    chunk_size: int = 1 << 20,
) -> tuple[LabelArray, FloatArray]:
    """Best stable configuration of each of many landscapes from given starts.

    A heuristic for problems too large for :func:`global_minima`: steepest
    descent from every start, keeping the lowest energy reached (first start
    among ties). Deterministic, and each problem's result depends only on its
    own inputs and the starts. The result is a local minimum under single
    moves (a stable configuration of landscape theory) but not necessarily
    the global minimum.

    Parameters
    ----------
    sizes : array_like, shape (B, n)
    propensity : array_like, shape (n, n) or (B, n, n)
    starts : array_like, shape (S, n) or (B, S, n)
        Coalition labels (0/1) of the starting configurations, shared by all
        problems or one set per problem.
    pairs : bool
        Also try moving two states at once (which includes swapping two
        states between the coalitions). With all-hostile propensities
        single-move descent stalls far more often: on 22-state simulation
        states, 32 starts with pair moves reach the global minimum about 8
        times in 10, single moves from 66 starts less than 1 time in 10. A
        step costs ``O(n^2)`` instead of ``O(n)`` per start.
    chunk_size : int
        Floats of move gains evaluated at once (pair moves); bounds memory.

    Returns
    -------
    configurations : int8 array, shape (B, n)
        Best configuration found, state 0 in coalition 0.
    energies : float array, shape (B,)
    """
    w, s, _ = _batch_inputs(sizes, propensity)
    b, n = s.shape
    x0 = np.asarray(starts)
    if x0.ndim not in (2, 3) or x0.shape[-1] != n or (x0.ndim == 3 and x0.shape[0] != b):
        raise LandscapeError(f"starts must have shape (S, {n}) or ({b}, S, {n}), got {x0.shape}")
    sigma0 = 1.0 - 2.0 * x0.astype(np.float64)
    tol = RELATIVE_TOLERANCE * np.abs(np.triu(w, 1)).sum(axis=(1, 2))
    sigma0 = np.broadcast_to(sigma0, (b, *sigma0.shape[-2:]))
    sigma = _descend_pairs(w, sigma0, tol, chunk_size) if pairs else _descend(w, sigma0, tol)
    e = _batch_energies(w, sigma)  # (B, S)
    pick = np.argmin(e, axis=1)
    best = sigma[np.arange(w.shape[0]), pick]
    best *= best[:, :1]
    return (best < 0).astype(np.int8), e[np.arange(w.shape[0]), pick]
