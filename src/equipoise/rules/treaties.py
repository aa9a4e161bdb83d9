"""Alliances as treaties: pacts that form and end by hazards (``alliances.treaties``).

With treaties on, alliances are treaties only: no bloc forms
(:mod:`equipoise.rules.alliances` keeps ``bloc`` at -1), and the strategies
that made blocs become reasons to sign treaties. A **treaty** binds two or more
living states; it is held as **pacts**, one row of the replication's pact
table per pair of members (columns in :mod:`equipoise.state`), the rows of one
treaty sharing its number (``P_TREATY``), kind and threat (a treaty in force
at the start may hold pacts of several kinds: :func:`start`). ``pact[i, j]`` is
the row of the pair's pact in force (-1: none); a state holds several, in
several treaties. A treaty has one of ATOP's obligation types (Leeds et al.
2002), the strongest it holds: defence, offence, neutrality, non-aggression or
consultation. Each step, after alignment (:func:`negotiate`):

1. **Termination** (Leeds & Savun 2007), member by member. A member of a
   treaty withdraws with annual probability ``1 - sqrt(1 - h)``, ending all
   its pacts of that treaty, with ``h = 1 / pact_duration``, or ``h`` times
   ``changed_factor`` (at most 1) when the conditions that made its pacts
   have changed for it: the threat the treaty was formed against is no longer
   its top threat (it died, or another state took its place), its landscape
   side is no longer the treaty's, or its share of a partner's and its own
   capability has moved by more than ``power_shift`` since their pact was
   signed. A bilateral treaty so ends with probability ``h`` a step, as a pact
   of mean lifetime ``pact_duration`` (either member withdrawing ends it); a
   treaty lasts while two members hold a pact in it. The draw (``PACT_END``)
   has the actor ``2 * row + side``, ``row`` the member's first pact in force
   in the treaty and ``side`` 0 if it is that pact's ``a``, 1 if its ``b``:
   one draw per member, treaty and step. A member's pacts also end when it
   dies or leaves the system (:func:`dissolve`, from
   :func:`equipoise.rules.geography.kill`); its treaties go on among the
   others.
2. **Formation.** Each living pair without a pact forms one with annual
   probability ``pact_formation * (1 + pact_proximity * g_ij) * f_ij`` (at most
   1), with ``g_ij`` the mean of the two projections between their capitals
   (``exposure``, as the landscape rule's propensities) and ``f_ij =
   shared_threat_factor`` when they have a reason to ally, else 1. The
   reasons are the alignment strategies, as ways of forming treaties:

   * *balancing*: both face the same top threat (Walt 1987; a common external
     threat raises the odds of alliance: Lai & Reiter 2000; Gibler & Wolford
     2006) at a level of at least ``alliance_threshold`` for each, the
     threshold at which the bloc rule balanced (Levy & Thompson 2005 put the
     level at which great powers balance a leading land power near one third
     of capabilities), neither of them bandwagoning;
   * *bandwagoning*: one bandwagons and the other is the state it fears, at a
     level of at least ``alliance_threshold`` (joining the strong: Schweller
     1994);
   * *landscape* (with the landscape rule): both are on the same side of the
     split of :func:`equipoise.rules.alliances.landscape`, computed every
     ``landscape_interval`` steps into ``w.side`` -- the alignment landscape
     theory predicts (Axelrod & Bennett 1993). Under this rule the side is the
     only reason, as it is the only rule of the blocs, and two states on
     opposite sides form no pact.

   No pact forms between states at war with each other, kept apart
   (``alliance_exclusions``), or of which one balances against the other (it
   is the other's top threat and the other does not bandwagon). Buck-passers
   and the non-aligned sign nothing (Christensen & Snyder 1990); a hedger
   signs nothing while a great-power war is on (:mod:`equipoise.rules.hedging`),
   like any balancer otherwise. The kind of a new treaty is drawn with ATOP's
   shares (:data:`KIND_SHARES`).
3. **Accession.** A pact formed for a shared threat ``j`` (or a landscape
   side) when one of the two already belongs to a treaty in force formed
   against ``j`` (or for that side) is an accession, not a new alliance: the
   other joins that treaty (the one of lowest number if several), signing
   pacts of its kind with every member it holds no pact with and may ally with
   (the conditions above, strategies aside). Balancing coalitions and
   landscape sides so grow into multilateral treaties, as the blocs did;
   bandwagoning pacts stay bilateral. Otherwise the pact opens a new treaty.
   ATOP counts one treaty as one alliance whatever its members
   (:mod:`equipoise.validate.simulation`), and so does ``alliances_formed``.

The pairs are weighed by thinning, so that a step costs draws in proportion to
the pacts likely to form, not to the N(N-1)/2 pairs: with ``q_max`` the
largest probability any pair can have, the gap to the next pair weighed (in
the order (0, 1), (0, 2), ..., (1, 2), ...) is geometric with parameter
``q_max`` (draw ``PACT``, actor: the position of the last pair weighed plus 1,
0 for the first), and a pair weighed forms a pact when its draw ``PACT_FORM``
``u < q_ij / q_max`` (actor: its position), the kind read from ``u / (q_ij /
q_max)``, uniform given acceptance. Each pair thus forms a pact with
probability exactly ``q_ij``, independently of the others.

At the start (:func:`start`) the scenario's pacts in force
(``initial_pacts``) are opened, each its own treaty or, when rows share a
treaty label, one treaty of all of them -- history's ATOP alliances in force
are so one multilateral treaty each (:mod:`equipoise.history.scenario_builder`;
its pacts may differ in kind, as ATOP records obligations member by member) --
and each bloc given at the start (``initial_alliances``) becomes one defence
treaty among its members.

**War** (:func:`equipoise.rules.war.enter`). When a state is attacked, its
defence partners are called to defend it, and when a state enters a war its
offence partners are called to join it; each honours the call with
probability ``alliance_reliability`` (Leeds, Long & Mitchell 2000). No state
attacks a pact partner of any kind unprovoked or is called into a war against
one, and defence and offence partners are allies in threat perception
(:mod:`equipoise.rules.threat`).

References
----------
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Lai, B., & Reiter, D. (2000). Democracy, political similarity, and
    international alliances, 1816-1992. *Journal of Conflict Resolution*,
    44(2), 203-227. https://doi.org/10.1177/0022002700044002003
Gibler, D. M., & Wolford, S. (2006). Alliances, then democracy: an
    examination of the relationship between regime type and alliance
    formation. *Journal of Conflict Resolution*, 50(1), 129-153.
    https://doi.org/10.1177/0022002705281360
Levy, J. S., & Thompson, W. R. (2005). Hegemonic threats and great-power
    balancing in Europe, 1495-1999. *Security Studies*, 14(1), 1-33.
    https://doi.org/10.1080/09636410591001465
Axelrod, R., & Bennett, D. S. (1993). A landscape theory of aggregation.
    *British Journal of Political Science*, 23(2), 211-233.
    https://doi.org/10.1017/S000712340000673X
Leeds, B. A., & Savun, B. (2007). Terminating alliances: why do states
    abrogate agreements? *The Journal of Politics*, 69(4), 1118-1132.
    https://doi.org/10.1111/j.1468-2508.2007.00612.x
Leeds, B. A., Long, A. G., & Mitchell, S. M. (2000). Reevaluating alliance
    reliability. *Journal of Conflict Resolution*, 44(5), 686-699.
    https://doi.org/10.1177/0022002700044005006
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International
    Interactions*, 28(3), 237-260. https://doi.org/10.1080/03050620213653
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
Christensen, T. J., & Snyder, J. (1990). Chain gangs and passed bucks.
    *International Organization*, 44(2), 137-168.
    https://doi.org/10.1017/S0020818300035232
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from equipoise import rng
from equipoise.rules import hedging
from equipoise.state import (
    BANDWAGON,
    BUCK_PASS,
    CLK_JOINS,
    CLK_REP,
    CLK_STEP,
    DEFENCE,
    NONE,
    OFFENCE,
    P_A,
    P_B,
    P_END,
    P_KIND,
    P_POWER,
    P_SIDE,
    P_START,
    P_THREAT,
    P_TREATY,
    Params,
    World,
)

__all__ = [
    "KIND_NAMES",
    "KIND_SHARES",
    "allied",
    "dissolve",
    "formation_probability",
    "kind_of",
    "negotiate",
    "partner_help",
    "partner_military",
    "start",
]

#: Names of the pact kinds, in the order of their codes (:mod:`equipoise.state`).
KIND_NAMES: tuple[str, ...] = (
    "defence",
    "offence",
    "neutrality",
    "non_aggression",
    "consultation",
)
#: Shares of the kinds among new pacts: the 775 ATOP 5.1 alliances formed 1816-2016, each
#: counted by its strongest obligation (defence, then offence, neutrality, non-aggression,
#: consultation); tests/test_rules_treaties.py recomputes them from the data.
KIND_SHARES: tuple[float, ...] = (0.352, 0.018, 0.134, 0.388, 0.108)


@njit
def kind_of(w: World, i: int, j: int) -> int:
    """The kind of ``i`` and ``j``'s pact in force (-1: none)."""
    return int(w.pact_kind[i, j])


@njit
def allied(w: World, i: int, j: int) -> bool:
    """Whether ``i`` and ``j`` hold a defence or offence pact (allies in threat perception)."""
    kind = w.pact_kind[i, j]
    return kind >= 0 and kind <= OFFENCE


@njit
def _signs(w: World, p: Params, i: int) -> bool:
    """Whether state ``i`` signs pacts now (not a buck-passer, non-aligned or hedging)."""
    code = w.strategy[i]
    if code == BUCK_PASS or code == NONE:
        return False
    return not hedging.stays_out(w, p, i)


@njit
def _may_ally(w: World, a: int, b: int) -> bool:
    """Whether ``a`` and ``b`` may hold a pact (module docstring).

    Not at war, not kept apart, neither balancing against the other (its top threat, and
    it does not bandwagon).
    """
    if w.hostile[a, b] or w.apart[a, b]:
        return False
    if w.threat[a] == b and w.strategy[a] != BANDWAGON:
        return False
    return not (w.threat[b] == a and w.strategy[b] != BANDWAGON)


@njit
def _reason(w: World, p: Params, a: int, b: int) -> int:
    """The threat that brings ``a`` and ``b`` together (-1: none; module docstring).

    Under the landscape rule no threat is a reason (the side is: :func:`_side`).
    """
    if p.landscape:
        return -1
    ta = w.threat[a]
    tb = w.threat[b]
    band_a = w.strategy[a] == BANDWAGON
    band_b = w.strategy[b] == BANDWAGON
    high_a = w.threat_level[a] >= p.alliance_threshold
    high_b = w.threat_level[b] >= p.alliance_threshold
    if band_a and ta == b and high_a:
        return b
    if band_b and tb == a and high_b:
        return a
    if ta >= 0 and ta == tb and not band_a and not band_b and high_a and high_b:
        return ta
    return -1


@njit
def _side(w: World, p: Params, a: int, b: int) -> int:
    """The landscape side ``a`` and ``b`` share (+1 or -1; 0: none, or not that rule)."""
    if not p.landscape or w.side[a] == 0 or w.side[a] != w.side[b]:
        return 0
    return int(w.side[a])


@njit
def _power(w: World, a: int, b: int) -> float:
    """``a``'s share of the pair's capability (0.5 when neither has any)."""
    total = w.share[a] + w.share[b]
    return w.share[a] / total if total > 0.0 else 0.5


@njit
def formation_probability(w: World, p: Params, a: int, b: int) -> float:
    """Annual probability that ``a`` and ``b`` form a pact now (0 where they may not)."""
    if a == b or not w.alive[a] or not w.alive[b] or w.pact[a, b] >= 0:
        return 0.0
    if not _may_ally(w, a, b):
        return 0.0
    if not _signs(w, p, a) or not _signs(w, p, b):
        return 0.0
    if p.landscape and w.side[a] * w.side[b] < 0:
        return 0.0  # on opposite sides of the landscape split
    proximity = 0.5 * (w.exposure[a, b] + w.exposure[b, a])
    q = p.pact_formation * (1.0 + p.pact_proximity * proximity)
    if _reason(w, p, a, b) >= 0 or _side(w, p, a, b) != 0:
        q *= p.shared_threat_factor
    return min(q, 1.0)


@njit
def _open(
    w: World,
    p: Params,
    a: int,
    b: int,
    kind: int,
    step: int,
    treaty: int,
    threat: int,
    side: int,
) -> None:
    """Record a new pact between ``a`` and ``b`` of ``kind`` in ``treaty``, formed at ``step``."""
    if a > b:
        a, b = b, a
    row = w.n_pacts[0]
    if row >= w.pact_table.shape[0]:
        _grow(w)
    w.n_pacts[0] += 1
    w.live[w.n_live[0]] = row  # rows only grow, so the list stays ascending
    w.n_live[0] += 1
    rec = w.pact_table[row]
    rec[P_START] = step
    rec[P_END] = -1.0
    rec[P_A] = a
    rec[P_B] = b
    rec[P_KIND] = kind
    rec[P_THREAT] = threat
    rec[P_POWER] = _power(w, a, b)
    rec[P_TREATY] = treaty
    rec[P_SIDE] = side
    w.pact[a, b] = row
    w.pact[b, a] = row
    w.pact_kind[a, b] = kind
    w.pact_kind[b, a] = kind
    if kind <= OFFENCE:
        w.n_allies[a] += 1
        w.n_allies[b] += 1
    _enrol(w, a, treaty)
    _enrol(w, b, treaty)


@njit
def _grow(w: World) -> None:
    """Double the room of the pact table (and of the lists sized by it), keeping its rows."""
    old = w.pact_table.shape[0]
    room = max(64, 2 * old)
    table = np.zeros((room, w.pact_table.shape[1]))
    table[:old] = w.pact_table
    w.pact_table = table
    live = np.zeros(room, np.int64)
    live[:old] = w.live
    w.live = live
    head = np.full(room, -1, np.int64)
    head[:old] = w.roster_head
    w.roster_head = head
    tail = np.zeros(room, np.int64)
    tail[:old] = w.roster_tail
    w.roster_tail = tail
    member = np.zeros(2 * room, np.int64)
    member[: 2 * old] = w.roster_member
    w.roster_member = member
    following = np.zeros(2 * room, np.int64)
    following[: 2 * old] = w.roster_next
    w.roster_next = following


@njit
def _enrol(w: World, m: int, treaty: int) -> None:
    """Put ``m`` on ``treaty``'s roster, if not on it yet.

    A treaty's roster lists its members in the order of their first pact in force in it
    (a linked list: ``roster_head``, ``roster_next``, ``roster_member``, ``roster_tail``);
    ``enrolled[m, :n_enrolled[m]]`` are the treaties ``m`` is on the roster of. The rosters
    are rebuilt from the pacts in force at each step's termination and kept up as pacts open,
    so that an accession visits a treaty's members, not every pact in force.
    """
    for c in range(w.n_enrolled[m]):
        if w.enrolled[m, c] == treaty:
            return
    w.enrolled[m, w.n_enrolled[m]] = treaty
    w.n_enrolled[m] += 1
    e = w.n_roster[0]
    w.n_roster[0] += 1
    w.roster_member[e] = m
    w.roster_next[e] = -1
    if w.roster_head[treaty] < 0:
        w.roster_head[treaty] = e
    else:
        w.roster_next[w.roster_tail[treaty]] = e
    w.roster_tail[treaty] = e


@njit
def _new_treaty(w: World) -> int:
    """The number of a new treaty."""
    treaty = w.n_treaties[0]
    w.n_treaties[0] += 1
    return treaty


@njit
def _close(w: World, row: int, step: int) -> None:
    """End pact ``row`` at ``step`` (the first step it is no longer in force)."""
    rec = w.pact_table[row]
    rec[P_END] = step
    a = int(rec[P_A])
    b = int(rec[P_B])
    w.pact[a, b] = -1
    w.pact[b, a] = -1
    if w.pact_kind[a, b] <= OFFENCE:
        w.n_allies[a] -= 1
        w.n_allies[b] -= 1
    w.pact_kind[a, b] = -1
    w.pact_kind[b, a] = -1


@njit
def start(w: World, p: Params, init_pacts: np.ndarray, init_bloc: np.ndarray) -> None:
    """Open the treaties in force at the start between states alive then.

    ``init_pacts`` rows ``(a, b, kind, group)``: the rows of one ``group`` are the pacts of
    one treaty, numbered when its first pact opens (rows ``(a, b, kind)``, without the
    column, are one treaty each). A pair of which one is not alive, or already holding a
    pact, signs none. Then the members of each bloc of ``init_bloc`` (N,; -1: none) form one
    defence treaty, every pair of them without a pact signing one.
    """
    rows = init_pacts.shape[0]
    grouped = init_pacts.shape[1] > 3
    number = np.full(rows, -1, dtype=np.int64)  # the treaty of each group, once opened
    for k in range(rows):
        a = min(init_pacts[k, 0], init_pacts[k, 1])
        b = max(init_pacts[k, 0], init_pacts[k, 1])
        if a != b and w.alive[a] and w.alive[b] and w.pact[a, b] < 0:
            group = init_pacts[k, 3] if grouped else k
            if number[group] < 0:
                number[group] = _new_treaty(w)
            _open(w, p, a, b, init_pacts[k, 2], 0, number[group], -1, 0)
    n = p.n_states
    for i in range(init_bloc.size):  # each bloc once, at its first living member
        code = init_bloc[i]
        if code < 0 or not w.alive[i]:
            continue
        first = True
        for k in range(i):
            first = first and not (init_bloc[k] == code and w.alive[k])
        if not first:
            continue
        treaty = -1
        for a in range(i, n):
            if init_bloc[a] != code or not w.alive[a]:
                continue
            for b in range(a + 1, n):
                if init_bloc[b] == code and w.alive[b] and w.pact[a, b] < 0:
                    if treaty < 0:
                        treaty = _new_treaty(w)
                    _open(w, p, a, b, DEFENCE, 0, treaty, -1, 0)


@njit
def dissolve(w: World, p: Params, i: int, step: int) -> None:
    """End every pact of state ``i`` at ``step`` (it dies or leaves the system).

    Its treaties go on among their other members while two of them hold a pact.
    """
    if not p.treaties:
        return
    for k in range(p.n_states):
        row = w.pact[i, k]
        if row >= 0:
            _close(w, row, step)
    w.side[i] = 0


@njit
def _member_changed(w: World, m: int, threat: int, side: int, shifted: bool) -> bool:
    """Whether the conditions of ``m``'s membership of a treaty have changed (docstring).

    ``threat`` and ``side``: the treaty's; ``shifted``: whether the power of ``m``'s pact
    with any partner in the treaty has moved by more than ``power_shift`` since it was signed.
    """
    if threat >= 0 and m != threat and w.threat[m] != threat:
        return True
    if side != 0 and w.side[m] != side:
        return True
    return shifted


@njit
def _withdraws(
    w: World, p: Params, m: int, first: int, shifted: bool, base: float, changed: float
) -> bool:
    """Whether member ``m`` withdraws this step from the treaty of pact ``first``.

    ``first`` is ``m``'s first pact in force in the treaty: one draw a member and treaty,
    its actor from ``first`` (module docstring).
    """
    rec = w.pact_table[first]
    actor = 2 * first + (0 if int(rec[P_A]) == m else 1)
    h = base
    if _member_changed(w, m, int(rec[P_THREAT]), int(rec[P_SIDE]), shifted):
        h = changed
    u = rng.uniform(p.seed, w.clock[CLK_REP], w.clock[CLK_STEP], actor, rng.PACT_END)
    return u < h


@njit
def _entry(w: World, m: int, treaty: int) -> int:
    """The column of ``m``'s entry for ``treaty`` in ``choice`` (-1: none yet)."""
    for c in range(w.n_choice[m]):
        if w.choice[m, c, 0] == treaty:
            return c
    return -1


@njit
def _terminate(w: World, p: Params) -> None:
    t = w.clock[CLK_STEP]
    base_h = 1.0 / p.pact_duration
    changed_h = min(1.0, base_h * p.changed_factor)
    base = 1.0 - math.sqrt(1.0 - base_h)  # per member: a bilateral treaty ends at base_h
    changed = 1.0 - math.sqrt(1.0 - changed_h)
    # Every member decides once on each of its treaties in force at the start of the step
    # (a pure function of the step's state), and a pact ends when either member withdraws.
    # First pass: one entry per member and treaty, choice[m, c] = (treaty, first pact, shifted,
    # withdraws), made at the member's first pact in force in the treaty (the list of pacts
    # is ascending), noting whether any of its pacts in the treaty has shifted in power.
    for i in range(p.n_states):
        w.n_choice[i] = 0
    for k in range(w.n_live[0]):
        row = w.live[k]
        rec = w.pact_table[row]
        if rec[P_END] >= 0.0:
            continue  # ended since the list was last compacted (a member died)
        treaty = int(rec[P_TREATY])
        a = int(rec[P_A])
        b = int(rec[P_B])
        shifted = abs(_power(w, a, b) - rec[P_POWER]) > p.power_shift
        for m in (a, b):
            c = _entry(w, m, treaty)
            if c < 0:
                c = w.n_choice[m]
                w.n_choice[m] += 1
                w.choice[m, c, 0] = treaty
                w.choice[m, c, 1] = row
                w.choice[m, c, 2] = 0
            if shifted:
                w.choice[m, c, 2] = 1
    for m in range(p.n_states):  # the decisions
        for c in range(w.n_choice[m]):
            quits = _withdraws(w, p, m, w.choice[m, c, 1], w.choice[m, c, 2] == 1, base, changed)
            w.choice[m, c, 3] = 1 if quits else 0
    # close the pacts a member withdraws from; list the others, and rebuild the rosters
    for treaty in range(w.n_treaties[0]):
        w.roster_head[treaty] = -1
    for i in range(p.n_states):
        w.n_enrolled[i] = 0
    w.n_roster[0] = 0
    kept = 0
    for k in range(w.n_live[0]):
        row = w.live[k]
        rec = w.pact_table[row]
        if rec[P_END] >= 0.0:
            continue
        treaty = int(rec[P_TREATY])
        a = int(rec[P_A])
        b = int(rec[P_B])
        if w.choice[a, _entry(w, a, treaty), 3] == 1 or w.choice[b, _entry(w, b, treaty), 3] == 1:
            _close(w, row, t)
        else:
            w.live[kept] = row
            kept += 1
            _enrol(w, a, treaty)
            _enrol(w, b, treaty)
    w.n_live[0] = kept


@njit
def _treaty_for(w: World, p: Params, a: int, b: int, threat: int, side: int) -> int:
    """The row of a pact in force of ``a`` or ``b`` in a treaty formed for the same reason.

    Formed against ``threat`` (the threat not one of its members) or for landscape ``side``;
    of the lowest treaty number if several; -1: none.
    """
    found = -1
    for m in (a, b):
        for k in range(p.n_states):
            row = w.pact[m, k]
            if row < 0 or k == threat:
                continue
            rec = w.pact_table[row]
            same = (threat >= 0 and rec[P_THREAT] == threat) or (side != 0 and rec[P_SIDE] == side)
            if same and (found < 0 or rec[P_TREATY] < w.pact_table[found, P_TREATY]):
                found = row
    return found


@njit
def _accede(w: World, p: Params, x: int, model: int, step: int) -> None:
    """``x`` joins the treaty of pact ``model``: a pact with each member it may ally with.

    The members are visited in the order of their first pact in force in the treaty (its
    roster, :func:`_enrol`).
    """
    ref = w.pact_table[model]
    treaty = int(ref[P_TREATY])
    kind = int(ref[P_KIND])
    threat = int(ref[P_THREAT])
    side = int(ref[P_SIDE])
    e = w.roster_head[treaty]
    while e >= 0:
        m = w.roster_member[e]
        if m != x and w.alive[m] and w.pact[x, m] < 0 and _may_ally(w, x, m):
            _open(w, p, x, m, kind, step, treaty, threat, side)
        e = w.roster_next[e]


@njit
def _sign(w: World, p: Params, a: int, b: int, kind: int, step: int) -> None:
    """``a`` and ``b`` sign a pact: one joins the other's treaty, or they open a new one."""
    threat = _reason(w, p, a, b)
    side = _side(w, p, a, b)
    balancing = threat >= 0 and threat != a and threat != b
    if balancing or side != 0:
        row = _treaty_for(w, p, a, b, threat if balancing else -1, side)
        if row >= 0:
            rec = w.pact_table[row]
            joiner = b if (rec[P_A] == a or rec[P_B] == a) else a
            if _holds(w, p, joiner, row):  # both are members already: their own pact in it
                _open(w, p, a, b, int(rec[P_KIND]), step, int(rec[P_TREATY]), threat, side)
            else:
                _accede(w, p, joiner, row, step)
            return
    w.clock[CLK_JOINS] += 1
    _open(w, p, a, b, kind, step, _new_treaty(w), threat, side)


@njit
def _holds(w: World, p: Params, m: int, row: int) -> bool:
    """Whether ``m`` holds a pact in force in the treaty of pact ``row``."""
    treaty = w.pact_table[row, P_TREATY]
    for k in range(p.n_states):
        other = w.pact[m, k]
        if other >= 0 and w.pact_table[other, P_TREATY] == treaty:
            return True
    return False


@njit
def _gap(u: float, q: float) -> int:
    """Pairs skipped before the next one weighed: geometric with parameter ``q``, from ``u``."""
    if q >= 1.0:
        return 0
    gap = math.log(u) / math.log1p(-q)  # a float: Numba's floor of a huge one would wrap
    return math.floor(gap) if gap < 4e18 else 4_000_000_000_000_000_000


@njit
def _kind(v: float) -> int:
    """The kind of a new pact from a uniform ``v`` (ATOP's shares, :data:`KIND_SHARES`)."""
    cumulative = 0.0
    for k in range(len(KIND_SHARES) - 1):
        cumulative += KIND_SHARES[k]
        if v < cumulative:
            return k
    return len(KIND_SHARES) - 1


@njit
def _form(w: World, p: Params) -> None:
    n = p.n_states
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    factor = max(1.0, p.shared_threat_factor)
    q_max = min(1.0, p.pact_formation * (1.0 + p.pact_proximity) * factor)
    if q_max <= 0.0:
        return
    total = n * (n - 1) // 2
    m = _gap(rng.uniform(p.seed, rep, t, 0, rng.PACT), q_max)
    a = 0
    row_start = 0  # position of the pair (a, a + 1)
    while m < total:
        while m >= row_start + (n - 1 - a):
            row_start += n - 1 - a
            a += 1
        b = a + 1 + (m - row_start)
        q = formation_probability(w, p, a, b)
        if q > 0.0:
            u = rng.uniform(p.seed, rep, t, m, rng.PACT_FORM)
            accept = q / q_max
            if u < accept:
                _sign(w, p, a, b, _kind(u / accept), t)
        m += 1 + _gap(rng.uniform(p.seed, rep, t, m + 1, rng.PACT), q_max)


@njit
def negotiate(w: World, p: Params) -> None:
    """End pacts by their members' withdrawals, then form new ones (module docstring)."""
    if not p.treaties:
        return
    _terminate(w, p)
    _form(w, p)


@njit
def partner_military(w: World, p: Params, i: int) -> float:
    """``sum of M_k g_ki`` over ``i``'s living defence and offence partners, in order."""
    total = 0.0
    left = w.n_allies[i]  # the scan stops at the last of them
    k = 0
    while left > 0 and k < p.n_states:
        if k != i and allied(w, i, k):
            left -= 1
            if w.alive[k]:
                total += w.military[k] * w.exposure[i, k]
        k += 1
    return total


@njit
def partner_help(
    w: World, p: Params, i: int, kind: int, skip: int, bloc: int, target: int
) -> float:
    """Mobile forces of ``i``'s partners of ``kind`` projected to ``target``'s capital.

    The partners counted are living, not ``skip``, not in ``bloc`` (counted with
    the bloc already) and not pact partners of ``skip`` (they would not fight it).
    """
    total = 0.0
    for k in range(p.n_states):
        if k == skip or not w.alive[k] or kind_of(w, i, k) != kind:
            continue
        if (bloc >= 0 and w.bloc[k] == bloc) or w.pact[k, skip] >= 0:
            continue
        total += p.mobile_share * w.military[k] * w.exposure[target, k]
    return total
