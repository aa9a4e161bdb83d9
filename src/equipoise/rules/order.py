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
    for i in range(n):
        keys[i] = rng.uniform(p.seed, rep, t, i, rng.ORDER)
    ranked = keys[:n].argsort(kind="mergesort")
    for k in range(n):
        w.order[k] = ranked[k]
