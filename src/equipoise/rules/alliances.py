"""External balancing and bandwagoning: blocs of allied states (Waltz 1979; Walt 1987).

Alliances are commitments between members of a bloc (codes in
:mod:`equipoise.state`); two states are allied exactly when they share a bloc,
and allies are called into each other's wars (:mod:`equipoise.rules.war`).
Each step (:func:`align`):

1. **Commitments age.** A member's commitment has a geometric lifetime with
   mean ``alliance_duration`` steps (draw ``ALLIANCE`` when it joins); the
   default of 10 years is the mean duration of ATOP 5.1 alliances formed before
   1945 (exponential fit with the few still in force treated as censored).
   When it runs out the state leaves and may join again at once if its reasons
   still hold. A camp with no clients left dissolves; a bloc whose target dies
   dissolves (:func:`equipoise.rules.geography.kill`).
2. **Rule "threat".** A state without a bloc whose top threat ``j`` (see
   :mod:`equipoise.rules.threat`) reaches ``alliance_threshold``:

   * *balances* (``balance_power``, ``balance_threat``): joins the coalition
     against ``j`` -- every state balancing against ``j`` is allied with every
     other (a multilateral pact; Levy & Thompson 2005 put the threshold at
     which great powers balance a leading land power near one third of
     capabilities, the default);
   * *bandwagons* (``bandwagon``): joins ``j``'s side -- ``j``'s bloc if it
     has one, else the camp ``j`` then leads -- and so fights ``j``'s wars and
     shares the spoils (Schweller 1994); it pays no tribute;
   * *passes the buck* (``buck_pass``) or is non-aligned (``none``): never
     joins (Christensen & Snyder 1990; Mearsheimer 2001).
   * *hedges* (``hedge``): balances as ``balance_power`` does, but joins
     nothing while a great-power war is on, the leading state at war
     (:mod:`equipoise.rules.hedging`; Kuik 2008; Tessman 2012).

   No state joins a bloc one of whose members it is at war with, or is kept
   apart from (a scenario's ``alliance_exclusions``: a counterfactual such as
   Italy outside the Triple Alliance).
3. **Rule "landscape"** (Axelrod & Bennett 1993). Every
   ``landscape_interval`` steps all living states are split into two
   coalitions (blocs ``2N`` and ``2N + 1``) at a local minimum of the
   frustration ``E = sum_{i<j} s_i s_j p_ij d_ij`` reached by single moves
   from the coalitions in force -- the stable alignment landscape theory
   predicts -- with shares ``s``, propensities
   ``p_ij = -(1 + proximity_weight * g_ij) * (1 + aggression_weight * (intent_i + intent_j))``
   (every pair potentially hostile under anarchy, more so when close or
   aggressive; ``g_ij`` the mean of the two projections between their
   capitals) and ``d_ij = 1`` for states in different coalitions. Strategies
   play no part in forming these alliances, except that buck-passers and the
   non-aligned stay out (hedgers take a side like any aligned state). With states kept apart
   (``alliance_exclusions``) the number of kept-apart pairs in one coalition
   comes first: a state is placed on the side with fewer of its kept-apart
   states, and the descent makes no move that raises that number, a move
   that lowers it before any that only lowers frustration.

**With treaties** (``alliances.treaties``) no bloc forms: alliances are the
pacts of :mod:`equipoise.rules.treaties`, and the rules above become reasons to
sign them there (balancing against a common threat at ``alliance_threshold``,
bandwagoning with the state feared). The landscape split still runs every
``landscape_interval`` steps, into ``w.side`` (+1 or -1 for the two sides, 0
for a state on neither) instead of blocs; blocs given at the start become
defence treaties (:func:`equipoise.rules.treaties.start`).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
Christensen, T. J., & Snyder, J. (1990). Chain gangs and passed bucks.
    *International Organization*, 44(2), 137-168.
    https://doi.org/10.1017/S0020818300035232
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    https://doi.org/10.1080/09636410591001465
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://doi.org/10.1017/S000712340000673X
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International
    Interactions*, 28(3), 237-260. https://doi.org/10.1080/03050620213653
Kuik, C.-C. (2008). The essence of hedging: Malaysia and Singapore's response
    to a rising China. *Contemporary Southeast Asia*, 30(2), 159-185.
    https://doi.org/10.1355/CS30-2A
Tessman, B. F. (2012). System structure and state strategy: adding hedging to
    the menu. *Security Studies*, 21(2), 192-231.
    https://doi.org/10.1080/09636412.2012.679203
"""

from __future__ import annotations

import math

from numba import njit

from equipoise import rng
from equipoise.rules import hedging
from equipoise.state import (
    BALANCE_POWER,
    BALANCE_THREAT,
    BANDWAGON,
    BUCK_PASS,
    CAMP,
    CLK_JOINS,
    CLK_REP,
    CLK_STEP,
    HEDGE,
    NONE,
    FloatArray,
    Params,
    World,
)

__all__ = ["align", "geometric_lifetime", "landscape"]


@njit
def geometric_lifetime(u: float, mean: float) -> int:
    """A geometric lifetime (at least 1 step) with the given mean, from a uniform ``u`` in (0, 1).

    ``1 + floor(log(u) / log(1 - 1/mean))``; a mean of 1 gives 1.
    """
    if mean <= 1.0:
        return 1
    life = 1.0 + math.floor(math.log(u) / math.log(1.0 - 1.0 / mean))
    return int(min(life, 1e9))


@njit
def _barred(w: World, i: int, bloc: int) -> bool:
    """Whether ``i`` may not join ``bloc``: a member is at war with it or kept apart from it."""
    for k in range(w.bloc.size):
        if k != i and w.bloc[k] == bloc and (w.hostile[i, k] or w.apart[i, k]):
            return True
    return False


@njit
def _join(w: World, p: Params, i: int, bloc: int) -> None:
    w.bloc[i] = bloc
    u = rng.uniform(p.seed, w.clock[CLK_REP], w.clock[CLK_STEP], i, rng.ALLIANCE)
    w.bloc_life[i] = geometric_lifetime(u, p.alliance_duration)
    w.clock[CLK_JOINS] += 1


@njit
def align(w: World, p: Params) -> None:
    """Age commitments and form new ones (see the module docstring)."""
    n = p.n_states
    if not p.alliances:
        return
    if p.treaties:  # no blocs: the strategies are reasons to sign pacts (rules.treaties)
        if p.landscape and (w.clock[CLK_STEP] - 1) % p.landscape_interval == 0:
            landscape(w, p)
        return
    for i in range(n):
        b = w.bloc[i]
        if not w.alive[i] or b < 0 or b == CAMP * n + i:
            continue
        w.bloc_life[i] -= 1
        if w.bloc_life[i] <= 0:
            w.bloc[i] = -1
            w.bloc_life[i] = 0
    for i in range(n):  # camps without clients dissolve
        b = w.bloc[i]
        if b != CAMP * n + i:
            continue
        clients = False
        for k in range(n):
            if k != i and w.bloc[k] == b:
                clients = True
                break
        if not clients:
            w.bloc[i] = -1
    if p.landscape:
        if (w.clock[CLK_STEP] - 1) % p.landscape_interval == 0:
            landscape(w, p)
        return
    for turn in range(n):  # one after another, in the step's order of moves
        i = w.order[turn]
        if not w.alive[i] or w.bloc[i] >= 0:
            continue
        j = w.threat[i]
        if j < 0 or w.threat_level[i] < p.alliance_threshold:
            continue
        code = w.strategy[i]
        # Extension point: each strategy's alignment decision. A new strategy that joins
        # blocs adds its branch here, or maps itself onto an existing one.
        if code == HEDGE:  # a hedger balances power unless a great-power war is on
            if hedging.stays_out(w, p, i):
                continue
            code = BALANCE_POWER
        if code == BALANCE_POWER or code == BALANCE_THREAT:
            if not _barred(w, i, j):
                _join(w, p, i, j)
        elif code == BANDWAGON:
            if w.hostile[i, j] or w.apart[i, j]:
                continue
            side = w.bloc[j] if w.bloc[j] >= 0 else CAMP * n + j
            if side == i or _barred(w, i, side):
                continue
            if w.bloc[j] < 0:
                w.bloc[j] = side  # j leads a camp while it has clients
                w.bloc_life[j] = 0
            _join(w, p, i, side)


@njit
def landscape(w: World, p: Params) -> None:
    """Split the living states into two coalitions at a local minimum of frustration.

    The coalitions are blocs ``2N`` and ``2N + 1``; with treaties, sides ``+1`` and ``-1``
    of ``w.side`` (0 for a state on neither), which no bloc holds.
    """
    n = p.n_states
    left = 2 * n
    sigma = w.spare  # +1 / -1 for the two coalitions, 0 for the dead
    field = w.spare2  # f_i = sum_j s_j p_ij sigma_j
    scale = 1.0 - p.aggression_memory
    for i in range(n):
        sigma[i] = 0.0
        field[i] = 0.0
    # the coalitions in force, then states not in one, by descending share, to the side
    # where they add the least frustration
    order = w.queue  # at least N entries (P >= N)
    m = 0
    for i in range(n):
        # Extension point: the strategies that stay out of the landscape coalitions
        if not w.alive[i] or w.strategy[i] == BUCK_PASS or w.strategy[i] == NONE:
            continue  # buck-passers and the non-aligned stay out of every coalition
        if w.bloc[i] == left or (p.treaties and w.side[i] > 0):
            sigma[i] = 1.0
        elif w.bloc[i] == left + 1 or (p.treaties and w.side[i] < 0):
            sigma[i] = -1.0
        else:
            order[m] = i
            m += 1
    for a in range(m):  # insertion sort by share (descending), index breaking ties
        b = a
        while b > 0 and w.share[order[b - 1]] < w.share[order[b]]:
            order[b - 1], order[b] = order[b], order[b - 1]
            b -= 1
    for i in range(n):
        if sigma[i] != 0.0:
            _add_field(w, p, i, sigma[i], scale, field)
    apart = False
    for i in range(n):
        for j in range(n):
            apart = apart or w.apart[i, j]
    for a in range(m):
        i = order[a]
        side = _apart_side(w, i, sigma) if apart else 0.0
        if side == 0.0:
            side = 1.0 if field[i] >= 0.0 else -1.0
        sigma[i] = side
        _add_field(w, p, i, sigma[i], scale, field)
    # steepest descent by single moves: flipping i changes E by s_i sigma_i f_i, and the
    # number of kept-apart pairs in one coalition by ``clash``, which is minimised first
    while True:
        best = -1
        best_clash = 0
        best_gain = -1e-15
        for i in range(n):
            if sigma[i] == 0.0:
                continue
            clash = _clash_change(w, i, sigma) if apart else 0
            if clash > best_clash:
                continue
            gain = w.share[i] * sigma[i] * field[i]
            if clash < best_clash or gain < best_gain:
                best = i
                best_clash = clash
                best_gain = gain
        if best < 0:
            break
        _add_field(w, p, best, -2.0 * sigma[best], scale, field)
        sigma[best] = -sigma[best]
    if p.treaties:  # sides, not blocs: a reason to sign pacts (rules.treaties)
        for i in range(n):
            w.side[i] = 1 if sigma[i] > 0.0 else (-1 if sigma[i] < 0.0 else 0)
        return
    for i in range(n):
        if sigma[i] == 0.0:
            continue
        side = left if sigma[i] > 0.0 else left + 1
        if w.bloc[i] != side:
            w.clock[CLK_JOINS] += 1
        w.bloc[i] = side
        w.bloc_life[i] = p.landscape_interval


@njit
def _apart_side(w: World, i: int, sigma: FloatArray) -> float:
    """The coalition (+1 or -1) with fewer of i's kept-apart states, 0 on a tie."""
    count = 0.0
    for j in range(sigma.size):
        if w.apart[i, j]:
            count += sigma[j]
    return -1.0 if count > 0.0 else (1.0 if count < 0.0 else 0.0)


@njit
def _clash_change(w: World, i: int, sigma: FloatArray) -> int:
    """Change in kept-apart pairs sharing a coalition if i changes sides."""
    change = 0
    for j in range(sigma.size):
        if w.apart[i, j] and sigma[j] != 0.0:
            change += -1 if sigma[j] == sigma[i] else 1
    return change


@njit
def _add_field(w: World, p: Params, i: int, delta: float, scale: float, field: FloatArray) -> None:
    """Add ``delta`` times state i's contribution ``s_i p_ji`` to every other state's field."""
    for j in range(p.n_states):
        if j == i or not w.alive[j]:
            continue
        proximity = 0.5 * (w.exposure[i, j] + w.exposure[j, i])
        intent = (w.aggression[i] + w.aggression[j]) * scale
        propensity = -(1.0 + p.proximity_weight * proximity) * (1.0 + p.aggression_weight * intent)
        field[j] += delta * w.share[i] * propensity
