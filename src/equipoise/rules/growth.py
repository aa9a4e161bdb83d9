"""Growth: output, guns versus butter, and the military stock (one step is a year).

Each step every living state draws a growth shock ``z`` (draw ``SHOCK``) and
every province it holds grows by the factor

    exp(g - drag * a + sigma * z - sigma**2 / 2),

with ``g`` the mean growth rate, ``a`` the state's arming share and
``drag`` the growth lost per unit of arming share: guns crowd out butter
(Powell 1993), in the modest magnitude the defence-economics literature finds
(Dunne & Tian 2013). Output also falls by the sanctions losses of the step
(:mod:`equipoise.rules.soft`). The military stock depreciates and is fed by
the arming share of output,

    M <- (1 - depreciation) * M + a * Y,

after the step's battle losses have been taken from it
(:mod:`equipoise.rules.war`), with ``Y`` the output at the start of growth. A
state arming a constant share ``a`` thus tends to ``M = a Y / depreciation``.

References
----------
Powell, R. (1993). Guns, butter, and anarchy. *American Political Science
    Review*, 87(1), 115-132. https://doi.org/10.2307/2938960
Dunne, J. P., & Tian, N. (2013). Military expenditure and economic growth: a
    survey. *The Economics of Peace and Security Journal*, 8(1), 5-11.
    https://doi.org/10.15355/epsj.8.1.5
"""

from __future__ import annotations

import math

from numba import njit

from equipoise import rng
from equipoise.state import CLK_REP, CLK_STEP, FloatArray, Params, World

__all__ = ["grow"]


@njit
def grow(w: World, p: Params, factor: FloatArray) -> None:
    """Update military stocks, then grow every state's output by its factor.

    ``factor`` (N,) enters holding each state's output kept after sanctions
    (1 without them) and is multiplied by the growth factor here. All of a
    state's provinces grow by the same factor, which the state's growth index
    ``level`` carries (a province's output is its ``output`` times its owner's
    ``level``), so growth costs one multiplication per state, not per province.
    """
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    sigma = p.growth_volatility
    keep = 1.0 - p.depreciation
    for i in range(p.n_states):
        if not w.alive[i]:
            continue
        w.military[i] = keep * w.military[i] + w.arming[i] * w.economy[i]
        z = rng.normal(p.seed, rep, t, i, rng.SHOCK) if sigma > 0.0 else 0.0
        mu = p.growth_rate - p.arming_drag * w.arming[i]
        w.level[i] *= factor[i] * math.exp(mu + sigma * z - 0.5 * sigma * sigma)
        w.economy[i] = w.level[i] * w.held[i]
