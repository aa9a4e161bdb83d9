"""Technology: shocks that lengthen a state's reach, and their diffusion (Cederman 2003).

Cederman (2003) finds that war sizes follow a power law only when
technological change keeps shifting the loss-of-strength gradient and its
effects spread between neighbours. Here each living state innovates with
probability ``innovation_rate`` per step (draw ``INNOVATE``), multiplying its
reach ``L`` by ``1 + innovation_size``; then a state whose neighbour (sharing
a front) has a longer reach than its own adopts the longest such reach with
probability ``diffusion_rate`` (draw ``DIFFUSE``, made only when there is
something to adopt). Diffusion reads the reaches of the step after innovation,
so the order in which states are visited does not matter.

References
----------
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *APSR*, 97(1), 135-150. https://doi.org/10.1017/S0003055403000571
"""

from __future__ import annotations

from numba import njit

from equipoise import rng
from equipoise.rules.geography import refresh_exposure
from equipoise.state import CLK_REP, CLK_STEP, Params, World

__all__ = ["change"]


@njit
def change(w: World, p: Params) -> None:
    """Innovation, then diffusion, of reach; refresh the projections of states that changed."""
    if not p.technology:
        return
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    n = p.n_states
    before = w.spare2
    for i in range(n):
        before[i] = w.reach[i]
        if w.alive[i] and p.innovation_rate > 0.0:
            if rng.uniform(p.seed, rep, t, i, rng.INNOVATE) < p.innovation_rate:
                w.reach[i] *= 1.0 + p.innovation_size
    after = w.spare
    for i in range(n):
        after[i] = w.reach[i]
    if p.diffusion_rate > 0.0:
        for i in range(n):
            if not w.alive[i]:
                continue
            best = after[i]
            for k in range(w.deg[i]):  # the longest reach around, without a branch per neighbour
                j = w.nbr[i, k]
                r = after[j] if w.alive[j] else 0.0
                best = r if r > best else best
            if best > after[i] and rng.uniform(p.seed, rep, t, i, rng.DIFFUSE) < p.diffusion_rate:
                w.reach[i] = best
    for i in range(n):
        if w.alive[i] and w.reach[i] != before[i]:
            refresh_exposure(w, p, i)
