"""The order in which states move: drawn afresh each step, so no state gains from its index.

Where the moves of one state change what the next one faces -- unprovoked
attacks (a state attacked first is at war and no longer free to attack) and
joining alliances -- the states move one after another. Were they to move in
index order, the state listed first (Britain, in a scenario built from COW
codes) would always move first. Instead each step draws a uniform key per
state (draw ``ORDER``) and the states move in increasing order of their keys:
a random permutation, the same for every thread, chunk and worker because the
keys are pure functions of (seed, replication, step, state). Relabelling the
states then leaves the distribution of outcomes unchanged
(``tests/test_rules_growth.py``).
"""

from __future__ import annotations

from numba import njit

from equipoise import rng
from equipoise.state import CLK_REP, CLK_STEP, Params, World

__all__ = ["draw_order"]


@njit
def draw_order(w: World, p: Params) -> None:
    """Fill ``w.order`` with this step's order of moves: the states sorted by a uniform key."""
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    n = p.n_states
    keys = w.spare
    order = w.order
    # insertion sort of the states by key, ties to the lower index (a stable sort): last
    # step's order is no guide to this one's, but N is small and nothing is allocated
    for i in range(n):
        key = rng.uniform(p.seed, rep, t, i, rng.ORDER)
        keys[i] = key
        k = i
        while k > 0 and keys[order[k - 1]] > key:
            order[k] = order[k - 1]
            k -= 1
        order[k] = i
