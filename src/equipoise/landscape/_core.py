"""Inputs and energy of landscape theory: validation, ``energy`` and propensity components.

Contract: every public function here validates its inputs and raises
:class:`LandscapeError` (a ``ValueError``) with a one-line message naming the
problem; nothing here searches configurations (see :mod:`._search`).

Sign conventions, as in Axelrod & Bennett (1993): a *configuration* gives
each state a coalition label, 0 or 1; ``d_ij = 1`` when i and j are in
different coalitions and 0 otherwise; a *propensity* ``p_ij > 0`` means that i
and j would rather be together, ``p_ij < 0`` that they would rather be apart.
The energy (frustration) of a configuration is

    E(X) = sum_{i<j} s_i s_j p_ij d_ij(X),

so separating friends raises it and separating enemies lowers it.

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "FloatArray",
    "LabelArray",
    "LandscapeError",
    "couplings",
    "energy",
    "propensity_from_components",
    "validate",
]

FloatArray = npt.NDArray[np.float64]
LabelArray = npt.NDArray[np.int8]

#: Relative tolerance of the symmetry check of a propensity matrix.
SYMMETRY_RTOL = 1e-9


class LandscapeError(ValueError):
    """Invalid input to landscape theory; the message (one line) names the problem."""


def _as_float(value: Any, what: str, ndim: int) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        shape = "a sequence" if ndim == 1 else "a square matrix with rows of equal length"
        raise LandscapeError(f"{what} must be numbers in {shape}") from None
    if arr.ndim != ndim:
        shape = "a 1-D sequence" if ndim == 1 else "a square matrix"
        raise LandscapeError(f"{what} must be {shape}, got an array of shape {arr.shape}")
    return arr


def _names(names: Sequence[str] | None, n: int) -> tuple[str, ...]:
    if names is None:
        width = len(str(n - 1))
        return tuple(f"S{i:0{width}d}" for i in range(n))
    if isinstance(names, str):
        raise LandscapeError("names must be a sequence of strings, not one string")
    out = tuple(names)
    if len(out) != n:
        raise LandscapeError(f"{len(out)} names given for {n} states")
    for name in out:
        if not isinstance(name, str) or not name.strip():
            raise LandscapeError(f"every name must be a non-empty string, got {name!r}")
    seen: set[str] = set()
    for name in out:
        if name in seen:
            raise LandscapeError(f"duplicate state name {name!r}")
        seen.add(name)
    return out


def _check_matrix(p: FloatArray, n: int, what: str, names: tuple[str, ...]) -> FloatArray:
    """A finite, symmetric (n, n) matrix with its diagonal set to 0 (the diagonal is ignored)."""
    if p.shape != (n, n):
        raise LandscapeError(f"{what} must be {n} x {n} (one row per state), got {p.shape}")
    off = ~np.eye(n, dtype=bool)
    bad = off & ~np.isfinite(p)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise LandscapeError(
            f"{what}[{i}, {j}] ({names[i]}, {names[j]}) must be a finite number, got {p[i, j]}"
        )
    q = np.where(off, p, 0.0)
    gap = np.abs(q - q.T)
    scale = max(1.0, float(np.abs(q).max(initial=0.0)))
    if gap.max(initial=0.0) > SYMMETRY_RTOL * scale:
        i, j = np.unravel_index(int(np.argmax(gap)), gap.shape)
        raise LandscapeError(
            f"{what} must be symmetric: [{i}, {j}] ({names[i]}, {names[j]}) is {q[i, j]:g} "
            f"but [{j}, {i}] is {q[j, i]:g}"
        )
    return (q + q.T) / 2.0


def validate(
    sizes: npt.ArrayLike, propensity: npt.ArrayLike, names: Sequence[str] | None = None
) -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
    """Check and normalise the inputs of landscape theory.

    Parameters
    ----------
    sizes : array_like, shape (n,)
        Sizes ``s_i >= 0`` (e.g. capability shares); any positive scale.
    propensity : array_like, shape (n, n)
        Symmetric propensities ``p_ij`` (positive: affinity, negative:
        hostility). The diagonal is ignored.
    names : sequence of str, optional
        Distinct state names (default ``S0``, ``S1``, ...).

    Returns
    -------
    sizes, propensity, names
        Float arrays (propensity exactly symmetric, zero diagonal) and a tuple.

    Raises
    ------
    LandscapeError
        Fewer than 2 states, a negative or non-finite size, a matrix of the
        wrong shape, a non-finite or asymmetric off-diagonal entry, or bad names.
    """
    s = _as_float(sizes, "sizes", 1)
    n = s.size
    if n < 2:
        raise LandscapeError(f"landscape theory needs at least 2 states, got {n}")
    label = _names(names, n)
    bad = ~np.isfinite(s) | (s < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise LandscapeError(f"sizes must be finite and >= 0; {label[i]} has size {s[i]}")
    p = _check_matrix(_as_float(propensity, "propensity", 2), n, "propensity", label)
    return s, p, label


def couplings(sizes: FloatArray, propensity: FloatArray) -> FloatArray:
    """Pair weights ``w_ij = s_i s_j p_ij`` (zero diagonal) of validated inputs."""
    w = np.outer(sizes, sizes) * propensity
    np.fill_diagonal(w, 0.0)
    return w


def _labels(configuration: npt.ArrayLike, n: int) -> LabelArray:
    x = np.asarray(configuration)
    if x.ndim == 0 or x.shape[-1] != n:
        raise LandscapeError(
            f"a configuration must give one coalition label per state ({n}), got shape {x.shape}"
        )
    if x.dtype == bool:
        return x.astype(np.int8)
    if not np.issubdtype(x.dtype, np.number):
        raise LandscapeError("a configuration must hold coalition labels 0 and 1")
    if not np.isin(x, (0, 1)).all():
        raise LandscapeError("a configuration must hold coalition labels 0 and 1 only")
    return x.astype(np.int8)


def energy(
    sizes: npt.ArrayLike, propensity: npt.ArrayLike, configuration: npt.ArrayLike
) -> float | FloatArray:
    """Energy (frustration) of a configuration, ``E(X) = sum_{i<j} s_i s_j p_ij d_ij(X)``.

    Parameters
    ----------
    sizes : array_like, shape (n,)
        Sizes ``s_i >= 0``.
    propensity : array_like, shape (n, n)
        Symmetric propensities; positive means i and j want to be together,
        negative that they want to be apart. The diagonal is ignored.
    configuration : array_like, shape (n,) or (..., n)
        Coalition label (0 or 1, or bool) of each state; several
        configurations may be stacked along leading axes.

    Returns
    -------
    float or ndarray
        The energy (a float for one configuration, an array of shape ``(...)``
        for a stack). ``d_ij = 1`` when i and j are in different coalitions, so
        swapping the two labels leaves the energy unchanged.

    Notes
    -----
    Axelrod & Bennett (1993) define the energy as ``sum_i s_i F_i`` with the
    frustration ``F_i = sum_{j != i} s_j p_ij d_ij``, a sum over ordered pairs
    that is exactly twice this one; minima and basins are the same. With
    labels ``x_i`` in {0, 1} and ``w_ij = s_i s_j p_ij``,
    ``E = sum_{i, j} x_i w_ij (1 - x_j)``: every pair on different sides
    counted once, so a configuration with everyone together has energy
    exactly 0.

    References
    ----------
    Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248

    Examples
    --------
    Britain and France like each other (+1) and both dislike Germany (-1):

    >>> p = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]
    >>> energy([2.0, 1.0, 3.0], p, [0, 0, 1])   # Britain + France vs Germany
    -9.0
    >>> energy([2.0, 1.0, 3.0], p, [0, 1, 0])   # Britain + Germany vs France
    -1.0
    """
    s, p, _ = validate(sizes, propensity)
    x = _labels(configuration, s.size)
    w = couplings(s, p)
    side = x.astype(np.float64)
    e = np.einsum("...i,ij,...j->...", side, w, 1.0 - side)
    return float(e) if np.ndim(e) == 0 else e


def propensity_from_components(
    components: Mapping[str, npt.ArrayLike] | Sequence[npt.ArrayLike],
    weights: Mapping[str, float] | Sequence[float] | None = None,
) -> FloatArray:
    """Propensity as a weighted sum of component matrices, as Axelrod & Bennett build it.

    Axelrod & Bennett (1993) add up pairwise components (for Europe in 1936:
    ethnic conflict, religion, border disputes, type of government and a
    history of wars), each coded so that positive means "would rather be
    together". This function does the same: ``p = sum_k w_k C_k``.

    Parameters
    ----------
    components : mapping of name to (n, n) array, or sequence of arrays
        Symmetric component matrices (diagonal ignored).
    weights : mapping or sequence of float, optional
        Weight of each component (default 1). For a mapping of components,
        a mapping of weights; components it does not name get weight 1.

    Returns
    -------
    ndarray, shape (n, n)
        The propensity matrix, symmetric with a zero diagonal.

    Raises
    ------
    LandscapeError
        No components, matrices of different or non-square shapes, an
        asymmetric or non-finite entry, a weight for an unknown component, or
        the wrong number of weights.

    Examples
    --------
    >>> allied = [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    >>> fought = [[0, 0, 1], [0, 0, 1], [1, 1, 0]]
    >>> propensity_from_components({"allied": allied, "fought": fought}, {"fought": -1.0})
    array([[ 0.,  1., -1.],
           [ 1.,  0., -1.],
           [-1., -1.,  0.]])
    """
    if isinstance(components, Mapping):
        keys = [str(k) for k in components]
        mats = list(components.values())
    else:
        mats = list(components)
        keys = [f"component {k}" for k in range(len(mats))]
    if not mats:
        raise LandscapeError("give at least one propensity component")
    if weights is None:
        w = [1.0] * len(mats)
    elif isinstance(weights, Mapping):
        if not isinstance(components, Mapping):
            raise LandscapeError("weights by name need components given by name (a mapping)")
        unknown = [k for k in weights if k not in keys]
        if unknown:
            raise LandscapeError(
                f"weight for unknown component {unknown[0]!r}: choose from {', '.join(keys)}"
            )
        w = [float(weights.get(k, 1.0)) for k in keys]
    else:
        w = [float(v) for v in weights]
        if len(w) != len(mats):
            raise LandscapeError(f"{len(w)} weights given for {len(mats)} components")
    if not all(np.isfinite(w)):
        raise LandscapeError("component weights must be finite numbers")
    first = _as_float(mats[0], keys[0], 2)
    n = first.shape[0]
    names = _names(None, max(n, 1))
    total = np.zeros((n, n))
    for key, mat, weight in zip(keys, mats, w, strict=True):
        total += weight * _check_matrix(_as_float(mat, key, 2), n, key, names)
    return total
