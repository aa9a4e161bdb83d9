"""Landscape theory: which two coalitions states form (Axelrod & Bennett 1993).

Each state i has a size ``s_i`` and each pair a propensity ``p_ij`` to be
on the same side (positive) or on opposite sides (negative). A
configuration X splits the states into two coalitions; ``d_ij(X)`` is 1 when
i and j are on different sides and 0 otherwise. The energy, or frustration,

    E(X) = sum_{i<j} s_i s_j p_ij d_ij(X)

is high when friends are apart and low when enemies are. States are myopic
and incremental: one at a time, a state switches sides if that lowers its own
frustration, which (propensities being symmetric) lowers E. The system comes
to rest in a local minimum of E under single moves, a *stable* configuration;
the global minimum is the theory's prediction, and the size of each
minimum's basin of attraction says how likely it is to be reached.

With equal hostility between every pair (``p_ij = -1``) the energy is
``-S_A S_B`` (the product of the two coalitions' total sizes), so the
prediction is the most even split of capabilities: landscape theory then
reproduces the balance of power.

Functions
---------
:func:`energy`
    ``E(X)`` of one configuration or a stack of them.
:func:`solve`
    All stable configurations with energies and basins: exact enumeration of
    the ``2^(n-1)`` configurations up to 24 states (about 0.1-0.2 s at
    n = 20), a labelled many-restart local search beyond.
:func:`global_minima`
    The exact global minimum of many landscapes at once (how the prediction
    shifts as sizes change; the simulation's ``alliance_rule = "landscape"``).
:func:`propensity_from_components`
    A weighted sum of component matrices, as Axelrod & Bennett build
    propensity; :func:`equipoise.history.alignment_components` builds
    components from the COW and ATOP data.
:func:`read_landscape`
    Names, sizes and a propensity matrix from a CSV or TOML file
    (``equipoise landscape FILE`` on the command line).

References
----------
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://www.jstor.org/stable/194248

Examples
--------
>>> from equipoise.landscape import solve
>>> p = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]
>>> solve([2.0, 1.0, 3.0], p, names=["GBR", "FRA", "GER"]).coalitions()
(('GBR', 'FRA'), ('GER',))
"""

from equipoise.landscape._core import (
    LandscapeError,
    energy,
    propensity_from_components,
    validate,
)
from equipoise.landscape._search import (
    AUTO_EXACT_LIMIT,
    MAX_BATCH_EXACT,
    MAX_EXACT,
    LandscapeResult,
    global_minima,
    multistart_minima,
    solve,
)
from equipoise.landscape.files import LandscapeInput, read_landscape

__all__ = [
    "AUTO_EXACT_LIMIT",
    "MAX_BATCH_EXACT",
    "MAX_EXACT",
    "LandscapeError",
    "LandscapeInput",
    "LandscapeResult",
    "energy",
    "global_minima",
    "multistart_minima",
    "propensity_from_components",
    "read_landscape",
    "solve",
    "validate",
]
