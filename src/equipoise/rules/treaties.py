"""Alliances as treaties: bilateral pacts that form and end by hazards (``alliances.treaties``).

Beside the blocs of :mod:`equipoise.rules.alliances`, two living states may hold
a **pact**, several per state: ``pact[i, j]`` is the row of the pair's pact in
force in the replication's pact table (-1: none; columns in
:mod:`equipoise.state`). A pact has one of ATOP's obligation types (Leeds et
al. 2002), the strongest it holds: defence, offence, neutrality,
non-aggression or consultation. Each step, after the blocs are aligned
(:func:`negotiate`):

1. **Termination** (Leeds & Savun 2007). A pact in force ends with annual
   probability ``1 / pact_duration``, times ``changed_factor`` when the
   conditions that made it have changed: the threat the two shared when they
   signed is no longer the top threat of each member (it died, or another
   state took its place), or a member's share of the pair's capability has
   moved by more than ``power_shift`` since then (draw ``PACT_END``, actor: the
   pact's row). A pact also ends when a member dies or leaves the system
   (:func:`dissolve`, from :func:`equipoise.rules.geography.kill`).
2. **Formation.** Each living pair without a pact forms one with annual
   probability ``pact_formation * (1 + pact_proximity * g_ij) * f_ij`` (at most
   1), with ``g_ij`` the mean of the two projections between their capitals
   (``exposure``, as the landscape rule's propensities) and ``f_ij =
   shared_threat_factor`` when both face the same top threat (Walt 1987; a
   common external threat raises the odds of alliance: Lai & Reiter 2000;
   Gibler & Wolford 2006), or when one of them bandwagons and the other is the
   state it fears (joining the strong: Schweller 1994), else 1. No pact forms
   between states at war with each other, kept apart (``alliance_exclusions``),
   or of which one balances against the other (it is the other's top threat and
   the other does not bandwagon). Buck-passers and the non-aligned sign nothing
   (Christensen & Snyder 1990); a hedger signs nothing while a great-power war
   is on (:mod:`equipoise.rules.hedging`), like any balancer otherwise. The
   kind of a new pact is drawn with ATOP's shares (:data:`KIND_SHARES`).

The pairs are weighed by thinning, so that a step costs draws in proportion to
the pacts likely to form, not to the N(N-1)/2 pairs: with ``q_max`` the
largest probability any pair can have, the gap to the next pair weighed (in
the order (0, 1), (0, 2), ..., (1, 2), ...) is geometric with parameter
``q_max`` (draw ``PACT``, actor: the position of the last pair weighed plus 1,
0 for the first), and a pair weighed forms a pact when its draw ``PACT_FORM``
``u < q_ij / q_max`` (actor: its position), the kind read from ``u / (q_ij /
q_max)``, uniform given acceptance. Each pair thus forms a pact with
probability exactly ``q_ij``, independently of the others.

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
    CLK_OVERFLOW,
    CLK_REP,
    CLK_STEP,
    NONE,
    OFFENCE,
    P_A,
    P_B,
    P_END,
    P_KIND,
    P_POWER,
    P_START,
    P_THREAT,
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
    row = w.pact[i, j]
    return -1 if row < 0 else int(w.pact_table[row, P_KIND])


@njit
def allied(w: World, i: int, j: int) -> bool:
    """Whether ``i`` and ``j`` hold a defence or offence pact (allies in threat perception)."""
    row = w.pact[i, j]
    return row >= 0 and w.pact_table[row, P_KIND] <= OFFENCE


@njit
def _signs(w: World, p: Params, i: int) -> bool:
    """Whether state ``i`` signs pacts now (not a buck-passer, non-aligned or hedging)."""
    code = w.strategy[i]
    if code == BUCK_PASS or code == NONE:
        return False
    return not hedging.stays_out(w, p, i)


@njit
def _reason(w: World, a: int, b: int) -> int:
    """The threat that brings ``a`` and ``b`` together (-1: none; module docstring)."""
    ta = w.threat[a]
    tb = w.threat[b]
    band_a = w.strategy[a] == BANDWAGON
    band_b = w.strategy[b] == BANDWAGON
    if band_a and ta == b:
        return b
    if band_b and tb == a:
        return a
    if ta >= 0 and ta == tb and not band_a and not band_b:
        return ta
    return -1


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
    if w.hostile[a, b] or w.apart[a, b]:
        return 0.0
    if not _signs(w, p, a) or not _signs(w, p, b):
        return 0.0
    if (w.threat[a] == b and w.strategy[a] != BANDWAGON) or (
        w.threat[b] == a and w.strategy[b] != BANDWAGON
    ):
        return 0.0  # one balances against the other
    proximity = 0.5 * (w.exposure[a, b] + w.exposure[b, a])
    q = p.pact_formation * (1.0 + p.pact_proximity * proximity)
    if _reason(w, a, b) >= 0:
        q *= p.shared_threat_factor
    return min(q, 1.0)


@njit
def _open(w: World, p: Params, a: int, b: int, kind: int, step: int) -> None:
    """Record a new pact between ``a`` and ``b`` (a < b) of ``kind``, formed at ``step``."""
    row = w.n_pacts[0]
    if row >= w.pact_table.shape[0]:
        w.clock[CLK_OVERFLOW] = 1  # the engine reruns this replication with more room
        return
    w.n_pacts[0] += 1
    rec = w.pact_table[row]
    rec[P_START] = step
    rec[P_END] = -1.0
    rec[P_A] = a
    rec[P_B] = b
    rec[P_KIND] = kind
    rec[P_THREAT] = _reason(w, a, b)
    rec[P_POWER] = _power(w, a, b)
    w.pact[a, b] = row
    w.pact[b, a] = row


@njit
def _close(w: World, row: int, step: int) -> None:
    """End pact ``row`` at ``step`` (the first step it is no longer in force)."""
    rec = w.pact_table[row]
    rec[P_END] = step
    a = int(rec[P_A])
    b = int(rec[P_B])
    w.pact[a, b] = -1
    w.pact[b, a] = -1


@njit
def start(w: World, p: Params, init_pacts: np.ndarray) -> None:
    """Open the pacts in force at the start: rows ``(a, b, kind)`` between states alive then."""
    for k in range(init_pacts.shape[0]):
        a = min(init_pacts[k, 0], init_pacts[k, 1])
        b = max(init_pacts[k, 0], init_pacts[k, 1])
        if a != b and w.alive[a] and w.alive[b] and w.pact[a, b] < 0:
            _open(w, p, a, b, init_pacts[k, 2], 0)


@njit
def dissolve(w: World, p: Params, i: int, step: int) -> None:
    """End every pact of state ``i`` at ``step`` (it dies or leaves the system)."""
    if not p.treaties:
        return
    for k in range(p.n_states):
        row = w.pact[i, k]
        if row >= 0:
            _close(w, row, step)


@njit
def _changed(w: World, p: Params, row: int) -> bool:
    """Whether the conditions under which pact ``row`` was formed have changed."""
    rec = w.pact_table[row]
    a = int(rec[P_A])
    b = int(rec[P_B])
    threat = int(rec[P_THREAT])
    if threat >= 0:
        for m in (a, b):
            if m != threat and w.threat[m] != threat:
                return True
    return abs(_power(w, a, b) - rec[P_POWER]) > p.power_shift


@njit
def _terminate(w: World, p: Params) -> None:
    t = w.clock[CLK_STEP]
    rep = w.clock[CLK_REP]
    base = 1.0 / p.pact_duration
    changed = min(1.0, base * p.changed_factor)
    for row in range(w.n_pacts[0]):
        if w.pact_table[row, P_END] >= 0.0:
            continue
        h = changed if _changed(w, p, row) else base
        if rng.uniform(p.seed, rep, t, row, rng.PACT_END) < h:
            _close(w, row, t)


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
                _open(w, p, a, b, _kind(u / accept), t)
        m += 1 + _gap(rng.uniform(p.seed, rep, t, m + 1, rng.PACT), q_max)


@njit
def negotiate(w: World, p: Params) -> None:
    """End pacts by their hazard, then form new ones (module docstring)."""
    if not p.treaties:
        return
    _terminate(w, p)
    _form(w, p)


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
