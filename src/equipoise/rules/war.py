"""War: unprovoked attacks, allies drawn in, battles on fronts, wars as clusters of battles.

After Cederman's GeoSim (1997; 2003), with the commitments of balance-of-power
theory added.

**Hostilities** are between pairs of states (``hostile``). Each step, in this
order (:func:`fight`):

1. *Ceasefires.* Each hostile pair stops fighting with probability
   ``ceasefire_probability`` (draw ``CEASEFIRE``); the default 0.47 makes wars
   last as long as the 95 COW inter-state wars 1816-2007, which touched 2.13
   calendar years on average (a geometric duration with that mean).
2. *Unprovoked attacks* (:func:`attacks`). A state at war with no one weighs an
   attack with probability ``attack_probability`` (draw ``ATTACK``), as
   GeoSim's states do when no front is active. It looks at each bordering state
   outside its own bloc and the local balance it would face (:func:`attack_ratio`):
   its own strength at that front if it moved its mobile forces there, plus the
   expected help of the allies bound to join it, against the defender's
   strength at the front plus the expected help of the defender's allies, each
   projected over distance (Boulding 1962) and counted at the alliances'
   reliability. It attacks the state with the best ratio if that ratio is at
   least ``superiority_threshold`` (Mearsheimer 1989: the attacker's 3:1 rule).
   A state fighting elsewhere has no mobile forces on its other fronts, which
   is what lets wars spread to its other neighbours (GeoSim's contagion).
3. *Commitments* (:func:`enter`). When a state enters a war against another,
   the target's allies (its bloc) are called to defend it, and the entrant's
   allies are called to join it when they are bound to: members of a
   coalition against the target (hard balancing), the clients of a camp
   leader (bandwagoners joining the strong for the spoils, Schweller 1994),
   and, under the landscape rule, the entrant's side against a member of the
   other side.
   Each honours the call with probability ``alliance_reliability`` (draw
   ``HONOUR``, once per ally and enemy and step; Leeds, Long & Mitchell 2000
   find commitments honoured about three times in four). Every entry calls
   further allies in turn, so alliances drag their members into wars
   (chain-ganging, Christensen & Snyder 1990). Buck-passers and the
   non-aligned belong to no bloc and are never drawn in; a hedger refuses
   every call while the leading state is at war (:mod:`equipoise.rules.hedging`).
   With treaties (:mod:`equipoise.rules.treaties`) the target's defence-pact
   partners are called to defend it and the entrant's offence-pact partners
   to join it, after the bloc calls and with the same reliability (draw
   ``HONOUR``, actor ``N * N + partner * N + enemy``); no state attacks a pact
   partner or is called into a war against one, and an attacker's ratio
   counts the expected help of both sides' partners as it does allies'. A
   defence pact obliges its members to defend a partner that is attacked, not
   one whose side attacked: ATOP codes a defence obligation as one to assist
   a member that is attacked (Leeds et al. 2002), and the three-in-four
   reliability is measured where those conditions were met (Leeds 2003). So
   when a defence partner enters a war against the attacker's side, the
   attacker's own defence partners are not called; offence partners join
   their partner's side whichever it is.
4. *Battles* (:func:`battles`). Each hostile pair sharing a front fights one
   battle per step. A state's force on a front is a fixed part of its
   military spread evenly over all its fronts, ``(1 - mobile_share) M / fronts``,
   plus its mobile part ``mobile_share * M`` split over its enemies in
   proportion to their militaries (GeoSim's allocation), projected from its
   capital to the front; a belligerent with no front to its enemy sends that
   enemy's part of its mobile forces to its allies' fronts with it instead
   (expeditionary support, projected from its capital to theirs; with treaties
   its allies are its defence and offence partners). The winner
   is drawn by the contest success function ``F_a**m / (F_a**m + F_b**m)``
   (Tullock 1980; Hirshleifer 1989; draw ``BATTLE``) and takes a province
   (:func:`equipoise.rules.geography.conquer`). Where the two states' front
   is all water (a map with seas, and no land edge between them), each side
   attacks the other's shore with only ``map.across_water`` of its force, the
   stopping power of water (Mearsheimer 2001, ch. 4): a landing may be
   repulsed, and no province changes hands (:func:`across_water`); an attacker
   weighing such a front counts only that part of its own force. Each side loses
   ``battle_losses`` times the smaller of the two forces, shared among those
   who fought on that side in proportion to their force there. No cap holds a
   war's total losses: a war is as large as its battles add up to.
5. *Wars* are clusters of battles in space and time (Cederman 2003): a new
   hostile pair starts a war unless one of its states is already in one, in
   which case it joins it (two wars joined by a new pair merge). A war ends
   when none of its pairs has fought for ``quiet_steps`` steps. Its size is
   the military destroyed in all its battles, the analogue of battle deaths.

References
----------
Cederman, L.-E. (2003). Modeling the size of wars. *APSR*, 97(1), 135-150.
    https://doi.org/10.1017/S0003055403000571
Christensen, T. J., & Snyder, J. (1990). Chain gangs and passed bucks.
    *International Organization*, 44(2), 137-168.
    https://doi.org/10.1017/S0020818300035232
Hirshleifer, J. (1989). Conflict and rent-seeking success functions.
    *Public Choice*, 63(2), 101-112. https://doi.org/10.1007/BF00153394
Leeds, B. A. (2003). Alliance reliability in times of war: explaining state
    decisions to violate treaties. *International Organization*, 57(4),
    801-827. https://doi.org/10.1017/S0020818303574057
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International
    Interactions*, 28(3), 237-260. https://doi.org/10.1080/03050620213653
Leeds, B. A., Long, A. G., & Mitchell, S. M. (2000). Reevaluating alliance
    reliability. *Journal of Conflict Resolution*, 44(5), 686-699.
    https://doi.org/10.1177/0022002700044005006
Mearsheimer, J. J. (1989). Assessing the conventional balance: the 3:1 rule
    and its critics. *International Security*, 13(4), 54-89.
    https://doi.org/10.2307/2538780
Mearsheimer, J. J. (2001). *The Tragedy of Great Power Politics*. Norton,
    ch. 4 ("The primacy of land power": the stopping power of water).
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
Tullock, G. (1980). Efficient rent seeking. In Buchanan, Tollison & Tullock
    (eds), *Toward a Theory of the Rent-Seeking Society*, 97-112.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from equipoise import rng
from equipoise.rules import hedging, treaties
from equipoise.rules.geography import conquer, gradient
from equipoise.rules.indexes import (
    close_hostility,
    enemies_of,
    hostile_pair,
    open_hostility,
    partner,
    refresh_state,
    sole_enemy,
)
from equipoise.state import (
    CAMP,
    CLK_ATTACKS,
    CLK_BATTLES,
    CLK_CONQUESTS,
    CLK_DEATHS,
    CLK_ONSETS,
    CLK_OPEN,
    CLK_OVERFLOW,
    CLK_REP,
    CLK_STEP,
    DEFENCE,
    OFFENCE,
    W_BATTLES,
    W_CLOSED,
    W_DEATHS,
    W_INITIATOR,
    W_LAST,
    W_PAIRS,
    W_PARENT,
    W_PARTICIPANTS,
    W_PROVINCES,
    W_SIZE,
    W_START,
    W_TARGET,
    W_WORLD,
    Params,
    World,
)

__all__ = [
    "across_water",
    "attack_ratio",
    "attacks",
    "battles",
    "ceasefires",
    "close_wars",
    "contest_success",
    "enter",
    "fight",
]


@njit
def contest_success(fa: float, fb: float, decisiveness: float) -> float:
    """Probability that force ``fa`` beats force ``fb``: ``fa**m / (fa**m + fb**m)``.

    The Tullock (1980) contest success function (Hirshleifer 1989) with
    decisiveness ``m``; computed as ``1 / (1 + (fb/fa)**m)`` so that large forces
    do not overflow. A side with no force loses to any force; two sides with none
    draw even.

    Examples
    --------
    >>> contest_success(2.0, 1.0, 2.0)
    0.8
    """
    if fa <= 0.0 and fb <= 0.0:
        return 0.5
    if fa <= 0.0:
        return 0.0
    if fb <= 0.0:
        return 1.0
    return 1.0 / (1.0 + (fb / fa) ** decisiveness)


@njit
def fight(w: World, p: Params) -> None:
    """The war phase of a step: ceasefires, attacks, battles, and the end of quiet wars."""
    ceasefires(w, p)
    attacks(w, p)
    battles(w, p)
    close_wars(w, p)


@njit
def _remove_pair(w: World, k: int) -> None:
    """End hostile pair number ``k`` (the others keep their order); its war has one pair fewer."""
    c = w.war_of[hostile_pair(w, k)[0]]
    if c >= 0:
        w.war_table[c, W_PAIRS] -= 1.0
    close_hostility(w, k)


@njit
def ceasefires(w: World, p: Params) -> None:
    """Each hostile pair stops fighting with probability ``ceasefire_probability``."""
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    k = 0
    while k < w.n_pairs[0]:
        code = w.pairs[k]
        if rng.uniform(p.seed, rep, t, code, rng.CEASEFIRE) < p.ceasefire:
            _remove_pair(w, k)
        else:
            k += 1


@njit
def _world_military(w: World) -> float:
    total = 0.0
    for i in range(w.military.size):
        if w.alive[i]:
            total += w.military[i]
    return total


@njit
def _open_pair(w: World, p: Params, a: int, b: int) -> None:
    """Make ``a`` and ``b`` hostile and put the pair into a war (new, joined or merged)."""
    n = p.n_states
    open_hostility(w, a, b)
    ca = w.war_of[a]
    cb = w.war_of[b]
    if ca < 0 and cb < 0:
        c = w.n_wars[0]
        if c >= w.war_table.shape[0]:
            w.clock[CLK_OVERFLOW] = 1  # the engine reruns this replication with more room
            return
        w.n_wars[0] += 1
        row = w.war_table[c]
        row[:] = 0.0
        row[W_START] = w.clock[CLK_STEP]
        row[W_LAST] = w.clock[CLK_STEP]
        row[W_INITIATOR] = a
        row[W_TARGET] = b
        row[W_WORLD] = _world_military(w)
        row[W_PARENT] = -1.0
        w.clock[CLK_ONSETS] += 1
        w.clock[CLK_OPEN] += 1
    elif ca < 0:
        c = cb
    elif cb < 0 or ca == cb:
        c = ca
    else:  # two wars joined: the younger merges into the older
        c, other = (ca, cb) if ca < cb else (cb, ca)
        for f in (W_PARTICIPANTS, W_BATTLES, W_PROVINCES, W_DEATHS, W_SIZE, W_PAIRS):
            w.war_table[c, f] += w.war_table[other, f]
        w.war_table[c, W_LAST] = max(w.war_table[c, W_LAST], w.war_table[other, W_LAST])
        w.war_table[other, W_PARENT] = c
        w.clock[CLK_OPEN] -= 1
        for i in range(n):
            if w.war_of[i] == other:
                w.war_of[i] = c
    for s in (a, b):
        if w.war_of[s] != c:
            w.war_of[s] = c
            w.war_table[c, W_PARTICIPANTS] += 1.0
    w.war_table[c, W_PAIRS] += 1.0


@njit
def enter(w: World, p: Params, entrant: int, enemy: int) -> None:
    """``entrant`` goes to war against ``enemy``; allies are called in, in turn (a cascade).

    Called for an unprovoked attack; every ally that honours a call enters in
    its turn. Nothing happens if the two are already at war or allied.
    """
    n = p.n_states
    if w.hostile[entrant, enemy] or (w.bloc[entrant] >= 0 and w.bloc[entrant] == w.bloc[enemy]):
        return
    if p.treaties and w.pact[entrant, enemy] >= 0:
        return
    _open_pair(w, p, entrant, enemy)
    if not p.alliances:
        return
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    q = w.joinq
    q[0] = entrant
    q[1] = enemy
    head, tail = 0, 2
    while head < tail:
        x = q[head]
        y = q[head + 1]
        head += 2
        defending = x >= n  # with treaties: x entered on the side of a state attacked
        if defending:
            x -= n
        # the target's allies defend it
        by = w.bloc[y]
        bx = w.bloc[x]
        if by >= 0:
            for turn in range(n):  # allies are called in the step's order of moves
                k = w.order[turn]
                if k == y or k == x or not w.alive[k] or w.bloc[k] != by:
                    continue
                if w.hostile[k, x] or (bx >= 0 and w.bloc[k] == bx):
                    continue
                if p.treaties and w.pact[k, x] >= 0:
                    continue  # a state is never called into a war against a pact partner
                # Extension point: a strategy that refuses a call to arms says so here
                # (before the HONOUR draw) and in the partners' loop below.
                if hedging.stays_out(w, p, k):
                    continue
                if rng.uniform(p.seed, rep, t, k * n + x, rng.HONOUR) < p.reliability:
                    _open_pair(w, p, k, x)
                    q[tail] = k
                    q[tail + 1] = x
                    tail += 2
        # the entrant's partners against the target join it: its coalition against y,
        # its clients if it leads a camp, or its side against the other landscape coalition
        if bx == y or bx == CAMP * n + x or _opposed_sides(n, bx, by):
            for turn in range(n):
                k = w.order[turn]
                if k == x or k == y or not w.alive[k] or w.bloc[k] != bx:
                    continue
                if w.hostile[k, y] or (by >= 0 and w.bloc[k] == by):
                    continue
                if p.treaties and w.pact[k, y] >= 0:
                    continue
                if hedging.stays_out(w, p, k):
                    continue
                if rng.uniform(p.seed, rep, t, k * n + y, rng.HONOUR) < p.reliability:
                    _open_pair(w, p, k, y)
                    q[tail] = k
                    q[tail + 1] = y
                    tail += 2
        if p.treaties:
            # y's defence partners defend it when it is attacked (x is on the attacking
            # side); x's offence partners join x against y, on x's side (each but the
            # members of a bloc called above)
            if not defending:
                tail = _call_partners(w, p, y, x, DEFENCE, by, tail, n)
            joined = bx == y or bx == CAMP * n + x or _opposed_sides(n, bx, by)
            side = n if defending else 0
            tail = _call_partners(w, p, x, y, OFFENCE, bx if joined else -1, tail, side)


@njit
def _call_partners(
    w: World, p: Params, s: int, enemy: int, kind: int, called: int, tail: int, side: int
) -> int:
    """Call ``s``'s partners of ``kind`` into the war against ``enemy``; return the queue's tail.

    In the step's order of moves, each living partner not yet at war with ``enemy``, not
    its ally in a bloc or by a pact, and not in bloc ``called`` (called already; -1: none),
    honours the call with probability ``alliance_reliability``: draw ``HONOUR`` with actor
    ``N * N + partner * N + enemy``, beyond the bloc calls' actors (below ``N * N``), so
    once per partner, enemy and step (rules.treaties). An entry is queued as
    ``partner + side``: ``side`` is ``N`` when the partner enters on the side of a state
    attacked (whose enemies' defence partners are then not called), else 0.
    """
    n = p.n_states
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    q = w.joinq
    be = w.bloc[enemy]
    for turn in range(n):
        k = w.order[turn]
        if k == s or k == enemy or not w.alive[k] or treaties.kind_of(w, s, k) != kind:
            continue
        if w.hostile[k, enemy] or w.pact[k, enemy] >= 0:
            continue
        if (called >= 0 and w.bloc[k] == called) or (be >= 0 and w.bloc[k] == be):
            continue
        if hedging.stays_out(w, p, k):
            continue
        if rng.uniform(p.seed, rep, t, n * n + k * n + enemy, rng.HONOUR) < p.reliability:
            _open_pair(w, p, k, enemy)
            q[tail] = k + side
            q[tail + 1] = enemy
            tail += 2
    return tail


@njit
def _opposed_sides(n: int, bx: int, by: int) -> bool:
    """Whether two bloc codes are the two opposed coalitions of the landscape rule."""
    return bx >= 2 * n and bx <= 2 * n + 1 and by >= 2 * n and by <= 2 * n + 1 and bx != by


@njit
def _ally_help(w: World, p: Params, bloc: int, skip1: int, skip2: int, target: int) -> float:
    """Mobile forces of the members of ``bloc`` (but two) projected to ``target``'s capital."""
    total = 0.0
    for k in range(p.n_states):
        if k == skip1 or k == skip2 or not w.alive[k] or w.bloc[k] != bloc:
            continue
        total += p.mobile_share * w.military[k] * w.exposure[target, k]
    return total


@njit
def _fixed(w: World, p: Params, i: int) -> float:
    """Forces state ``i`` keeps on each of its fronts."""
    if w.deg[i] == 0:
        return 0.0
    return (1.0 - p.mobile_share) * w.military[i] / w.deg[i]


@njit
def attack_ratio(w: World, p: Params, i: int, j: int) -> float:
    """Expected local force ratio of ``i`` attacking its neighbour ``j`` (module docstring)."""
    n = p.n_states
    own = (_fixed(w, p, i) + p.mobile_share * w.military[i]) * gradient(
        w.front_dist[i, j], w.reach[i], p.gradient_exponent
    )
    if w.land[i, j] == 0:  # the front is all water: only part of the force crosses
        own *= p.across_water
    bi = w.bloc[i]
    if p.alliances and (bi == j or bi == CAMP * n + i or _opposed_sides(n, bi, w.bloc[j])):
        own += p.reliability * _ally_help(w, p, bi, i, j, j)
    if p.treaties:  # offence partners bound to join i (those in i's bloc counted above)
        own += p.reliability * treaties.partner_help(w, p, i, OFFENCE, j, bi, j)
    mobile = 0.0
    if w.enemies[j] == 0:  # at peace: mobile forces spread over fronts by neighbours' strength
        total = 0.0
        for k in range(w.deg[j]):
            total += w.military[w.nbr[j, k]]
        if total > 0.0:
            mobile = p.mobile_share * w.military[j] * w.military[i] / total
    defence = (_fixed(w, p, j) + mobile) * gradient(
        w.front_dist[j, i], w.reach[j], p.gradient_exponent
    )
    bj = w.bloc[j]
    if p.alliances and bj >= 0:
        defence += p.reliability * _ally_help(w, p, bj, j, i, j)
    if p.treaties:  # defence partners bound to defend j (those in j's bloc counted above)
        defence += p.reliability * treaties.partner_help(w, p, j, DEFENCE, i, bj, j)
    if defence <= 0.0:
        return np.inf if own > 0.0 else 0.0
    return own / defence


@njit
def attacks(w: World, p: Params) -> None:
    """States at peace weigh unprovoked attacks on their neighbours, in the step's order."""
    n = p.n_states
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    for turn in range(n):
        i = w.order[turn]
        if not w.alive[i] or w.enemies[i] > 0:
            continue
        if rng.uniform(p.seed, rep, t, i, rng.ATTACK) >= p.attack_probability:
            continue
        best = -1
        best_ratio = 0.0
        for k in range(w.deg[i]):
            j = w.nbr[i, k]
            if not w.alive[j] or (w.bloc[i] >= 0 and w.bloc[i] == w.bloc[j]):
                continue
            if p.treaties and w.pact[i, j] >= 0:
                continue  # no unprovoked attack on a pact partner
            r = attack_ratio(w, p, i, j)
            if r >= p.superiority and r > best_ratio:
                best = j
                best_ratio = r
        if best >= 0:
            w.attacked[i] = True
            w.clock[CLK_ATTACKS] += 1
            enter(w, p, i, best)


@njit
def _enemy_military(w: World, p: Params, a: int) -> float:
    """The summed militaries of the states at war with ``a``."""
    if w.enemies[a] == 1:  # the usual case, without a scan of all states
        return w.military[sole_enemy(w, a)]
    total = 0.0
    for b in range(p.n_states):
        if w.hostile[a, b]:
            total += w.military[b]
    return total


@njit
def _share_to(w: World, p: Params, a: int, b: int, enemy_total: float) -> float:
    """The part of ``a``'s mobile forces aimed at enemy ``b`` (by the enemies' militaries)."""
    if enemy_total <= 0.0:
        return 0.0
    return p.mobile_share * w.military[a] * w.military[b] / enemy_total


@njit
def _allies(w: World, p: Params, a: int, c: int) -> bool:
    """Members of one bloc or, with treaties, partners in a defence or offence pact."""
    return (w.bloc[a] >= 0 and w.bloc[a] == w.bloc[c]) or (p.treaties and treaties.allied(w, a, c))


@njit
def _relay_fronts(w: World, p: Params, a: int, b: int) -> int:
    """Allies of ``a`` at war with ``b`` on a front with it (where a's support for b goes)."""
    if w.bloc[a] < 0 and not p.treaties:
        return 0
    count = 0
    for k in range(w.n_pairs[0]):  # the states at war with b, from the hostile pairs
        c = partner(w, k, b)
        if c >= 0 and c != a and _allies(w, p, a, c) and w.border[c, b] > 0:
            count += 1
    return count


@njit
def _support_from(w: World, p: Params, a: int, c: int, b: int) -> float:
    """Expeditionary support of ``a`` on its ally ``c``'s front with ``b`` (0 if none)."""
    if a == c or not w.hostile[a, b] or w.border[a, b] > 0 or not _allies(w, p, a, c):
        return 0.0
    fronts = _relay_fronts(w, p, a, b)
    if fronts == 0:
        return 0.0
    part = _share_to(w, p, a, b, _enemy_military(w, p, a))
    return part * w.exposure[c, a] / fronts


@njit
def _force(w: World, p: Params, a: int, b: int) -> tuple[float, float]:
    """``a``'s own force on its front with ``b`` and the allied support there."""
    own = (_fixed(w, p, a) + _share_to(w, p, a, b, _enemy_military(w, p, a))) * gradient(
        w.front_dist[a, b], w.reach[a], p.gradient_exponent
    )
    support = 0.0
    if w.enemies[b] > 1:  # with a alone at war with b, no one supports a against it
        for m in range(enemies_of(w, b, w.foes)):
            support += _support_from(w, p, w.foes[m], a, b)
    return own, support


@njit
def _charge(w: World, p: Params, a: int, b: int, own: float, support: float, loss: float) -> None:
    """Share ``loss`` among ``a`` and its supporters on its front with ``b``, by force."""
    total = own + support
    if total <= 0.0:
        return
    take = min(w.military[a], loss * own / total)
    w.military[a] -= take
    w.loss[a] += take
    if support > 0.0:
        for m in range(enemies_of(w, b, w.foes)):
            s = w.foes[m]
            part = _support_from(w, p, s, a, b)
            if part > 0.0:
                take = min(w.military[s], loss * part / total)
                w.military[s] -= take
                w.loss[s] += take


@njit
def battles(w: World, p: Params) -> None:
    """One battle on each front between hostile states, in order of the pairs' onset."""
    n = p.n_states
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    count = w.n_pairs[0]
    snapshot = w.joinq  # free between cascades
    for k in range(count):
        snapshot[k] = w.pairs[k]
    for k in range(count):
        code = snapshot[k]
        a, b = code // n, code % n
        if not w.hostile[a, b] or w.border[a, b] == 0:
            continue
        # fronts moved by earlier battles of this step (the others' wait for refresh_fronts)
        refresh_state(w, a)
        refresh_state(w, b)
        own_a, sup_a = _force(w, p, a, b)
        own_b, sup_b = _force(w, p, b, a)
        fa = own_a + sup_a
        fb = own_b + sup_b
        if fa + fb <= 0.0:
            continue
        win_a = contest_success(fa, fb, p.decisiveness)
        u = rng.uniform(p.seed, rep, t, code, rng.BATTLE)
        winner, loser = (a, b) if u < win_a else (b, a)
        if w.land[a, b] == 0 and p.across_water < 1.0:  # the front is all water
            winner, loser = _landing(fa, fb, p, u, a, b)
        loss = p.battle_losses * min(fa, fb)
        _charge(w, p, a, b, own_a, sup_a, loss)
        _charge(w, p, b, a, own_b, sup_b, loss)
        c = w.war_of[a]
        deaths_before = w.clock[CLK_DEATHS]
        moved = conquer(w, p, winner, loser) if winner >= 0 else 0
        w.clock[CLK_BATTLES] += 1
        w.clock[CLK_CONQUESTS] += moved
        if c >= 0:
            row = w.war_table[c]
            row[W_BATTLES] += 1.0
            row[W_SIZE] += 2.0 * loss
            row[W_PROVINCES] += moved
            row[W_DEATHS] += w.clock[CLK_DEATHS] - deaths_before
            row[W_LAST] = t


@njit
def across_water(fa: float, fb: float, share: float, decisiveness: float, u: float) -> int:
    """Which side of a battle across water takes a province: 1 (a), -1 (b) or 0 (neither).

    The stopping power of water (Mearsheimer 2001, ch. 4): each side attacks the
    other's shore with only the fraction ``share`` of its force, and defends its
    own with all of it. Side a takes a province if ``u < CSF(share * fa, fb)``,
    side b if ``u >= 1 - CSF(share * fb, fa)``, and between the two the landing
    is repulsed (CSF: :func:`contest_success`). With ``share = 1`` the two
    intervals meet and a battle across water is a battle on land (computed as
    one); with less, each side takes less often than on land, with the same
    draw ``u``.

    Examples
    --------
    >>> across_water(2.0, 1.0, 1.0, 1.0, 0.6), across_water(2.0, 1.0, 0.5, 1.0, 0.6)
    (1, 0)
    """
    if share >= 1.0:  # exactly the land battle's outcome
        return 1 if u < contest_success(fa, fb, decisiveness) else -1
    if u < contest_success(share * fa, fb, decisiveness):
        return 1
    if u >= 1.0 - contest_success(share * fb, fa, decisiveness):
        return -1
    return 0


@njit
def _landing(fa: float, fb: float, p: Params, u: float, a: int, b: int) -> tuple[int, int]:
    """Winner and loser of a battle across water between ``a`` and ``b`` (-1, -1: repulsed)."""
    side = across_water(fa, fb, p.across_water, p.decisiveness, u)
    if side > 0:
        return a, b
    if side < 0:
        return b, a
    return -1, -1


@njit
def close_wars(w: World, p: Params) -> None:
    """Mark wars with hostile pairs as active this step; end those quiet for ``quiet_steps``."""
    n = p.n_states
    t = w.clock[CLK_STEP]
    for i in range(n):
        c = w.war_of[i]
        if c < 0:
            continue
        row = w.war_table[c]
        if row[W_PAIRS] > 0.0:
            row[W_LAST] = max(row[W_LAST], t)
            continue
        if t - row[W_LAST] >= p.quiet_steps:
            row[W_CLOSED] = 1.0
            w.clock[CLK_OPEN] -= 1
            for k in range(n):
                if w.war_of[k] == c:
                    w.war_of[k] = -1
