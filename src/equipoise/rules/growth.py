"""Growth: uneven growth and catch-up, guns versus butter, and the military stock (a year a step).

Leaders decline and challengers rise for reasons of their own, not only
because others balance them (Gilpin 1981; Kennedy 1987; Organski & Kugler
1980). Each step every living state ``i`` draws a growth shock ``z`` (draw
``SHOCK``) and every province it holds grows by the factor ``exp(mu_i + sigma
z - sigma**2 / 2)`` with

    mu_i = g + trend_i - beta * (log pi_i - mean of log pi over living states)
           - drag * (a_i - a0_i),

* ``g`` the mean growth rate;
* ``trend_i`` the state's persistent trend above the mean (population,
  industrialisation), drawn once per replication with standard deviation
  ``growth_dispersion`` (draw ``TREND``) unless given;
* catch-up (Gerschenkron 1962; Abramovitz 1986): ``pi_i`` is the state's
  productivity (output per head at the start, times its growth index), and a
  state below the others' mean grows faster by ``beta`` per unit of log gap,
  a state above it slower: beta-convergence at ``convergence_rate`` (about 2%
  a year, Barro & Sala-i-Martin 1992). Measured from the mean, catch-up moves
  growth between states and leaves the mean growth rate unchanged;
* ``drag * (a_i - a0_i)`` the growth lost to arming above the state's
  peacetime share ``a0_i``, beyond the output the guns take from butter
  (small and mixed in the defence-economics literature: Dunne & Tian 2013;
  Alptekin & Levine 2012; zero allowed). The peacetime burden is part of the
  trend the state grows at, so a state at rest pays no drag.

A state with a replayed history (``growth_path``, from COW NMC) grows instead
by ``g`` plus its path's entry for the step while the path lasts, without
shock, trend, catch-up or drag: the economies of history held fixed, so that
a counterfactual asks only what power politics did.

Output is the growth index times the provinces held, less the step's
sanctions losses (:mod:`equipoise.rules.soft`), which are a *level*: they cut
the output of the years in which sanctions are in force and are recovered
when they end, instead of compounding into the growth index. The military
stock depreciates and is fed by the arming share of output (Powell 1993: guns
are bought within output),

    M <- (1 - depreciation) * M + a * Y,

after the step's battle losses have been taken from it
(:mod:`equipoise.rules.war`), with ``Y`` the output at the start of growth. A
state arming a constant share ``a`` on a path growing at ``mu`` holds
``M / Y = a / (exp(mu) - 1 + depreciation)``, which is where every state
starts (:func:`at_rest`).

References
----------
Barro, R. J., & Sala-i-Martin, X. (1992). Convergence. *Journal of Political
    Economy*, 100(2), 223-251. https://doi.org/10.1086/261816
Gerschenkron, A. (1962). *Economic Backwardness in Historical Perspective*.
    Harvard University Press.
Abramovitz, M. (1986). Catching up, forging ahead, and falling behind.
    *Journal of Economic History*, 46(2), 385-406.
    https://doi.org/10.1017/S0022050700046209
Organski, A. F. K., & Kugler, J. (1980). *The War Ledger*. University of
    Chicago Press.
Gilpin, R. (1981). *War and Change in World Politics*. Cambridge University
    Press.
Kennedy, P. (1987). *The Rise and Fall of the Great Powers*. Random House.
Powell, R. (1993). Guns, butter, and anarchy. *American Political Science
    Review*, 87(1), 115-132. https://doi.org/10.2307/2938960
Dunne, J. P., & Tian, N. (2013). Military expenditure and economic growth: a
    survey. *The Economics of Peace and Security Journal*, 8(1), 5-11.
    https://doi.org/10.15355/epsj.8.1.5
Alptekin, A., & Levine, P. (2012). Military expenditure and economic growth:
    a meta-analysis. *European Journal of Political Economy*, 28(4), 636-650.
    https://doi.org/10.1016/j.ejpoleco.2012.07.002
"""

from __future__ import annotations

import math

from numba import njit

from equipoise import rng
from equipoise.state import CLK_REP, CLK_STEP, FloatArray, Params, World

__all__ = ["at_rest", "grow", "output_of"]


@njit
def output_of(w: World, i: int) -> float:
    """State ``i``'s output: growth index times provinces held, less its sanctions losses."""
    return w.level[i] * w.held[i] * (1.0 - w.sanction_loss[i])


@njit
def at_rest(w: World, p: Params, generated: bool) -> None:
    """Set every state's military and peacetime arming share so that, unperturbed, M / Y stays.

    Generated states arm ``arming_base`` and get the stock that share keeps on
    their trend path. Given states keep their given military; a given arming
    share is kept, and a missing one (NaN) becomes the share that holds the
    given military at rest, ``M / Y * (exp(g + trend) - 1 + depreciation)``.
    Either way the stock is at its steady ratio to output, so that with nobody
    balancing and war off the capability shares move only by growth. Each state's
    ``upkeep`` (the share of output that keeps a stock of one unit of output on its
    trend path, constant over the run) is kept for internal balancing.
    """
    for i in range(p.n_states):
        if not w.alive[i]:
            continue
        upkeep = math.exp(p.growth_rate + w.trend[i]) - 1.0 + p.depreciation
        w.upkeep[i] = upkeep
        y = w.economy[i]
        if generated:
            w.arming[i] = p.arming_base
        elif math.isnan(w.arming[i]):
            w.arming[i] = w.military[i] / y * upkeep if y > 0.0 else p.arming_base
        w.arming[i] = min(w.arming[i], 1.0)
        if generated:
            w.military[i] = w.arming[i] * y / upkeep if upkeep > 0.0 else 0.0
        w.rest_arming[i] = w.arming[i]


@njit
def _log_productivity(w: World, p: Params, logs: FloatArray) -> float:
    """Fill ``logs`` with each living state's log productivity; return their mean."""
    total = 0.0
    count = 0
    for i in range(p.n_states):
        if w.alive[i]:
            logs[i] = math.log(w.productivity[i] * w.level[i])
            total += logs[i]
            count += 1
    return total / count if count > 0 else 0.0


@njit
def grow(w: World, p: Params) -> None:
    """Update military stocks, then grow every state's output (see the module docstring).

    All of a state's provinces grow by the same factor, which the state's growth
    index ``level`` carries (a province's output is its ``output`` times its
    owner's ``level``), so growth costs one multiplication per state, not per
    province.
    """
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    sigma = p.growth_volatility
    keep = 1.0 - p.depreciation
    beta = p.convergence_rate
    logs = w.spare
    mean_log = _log_productivity(w, p, logs) if beta > 0.0 else 0.0
    replayed = w.growth_path.shape[1]
    for i in range(p.n_states):
        if not w.alive[i]:
            continue
        w.military[i] = keep * w.military[i] + w.arming[i] * w.economy[i]
        if 1 <= t <= replayed:
            w.level[i] *= math.exp(p.growth_rate + w.growth_path[i, t - 1])
        else:
            z = rng.normal(p.seed, rep, t, i, rng.SHOCK) if sigma > 0.0 else 0.0
            mu = p.growth_rate + w.trend[i] - p.arming_drag * (w.arming[i] - w.rest_arming[i])
            if beta > 0.0:
                mu -= beta * (logs[i] - mean_log)
            w.level[i] *= math.exp(mu + sigma * z - 0.5 * sigma * sigma)
        w.economy[i] = output_of(w, i)
