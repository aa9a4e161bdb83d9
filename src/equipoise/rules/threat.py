"""Threat perception: whom each state fears, by raw power or by Walt's balance of threat.

Every step each state identifies its top threat and its level, in units of
capability share (:func:`perceive`):

* **Power** (``balance_power``, ``bandwagon``, ``buck_pass``, ``hedge``): the
  strongest other state by capability share (Waltz 1979). Balancers, hedgers
  and buck-passers do not count their allies (members of their bloc, and their
  defence and offence partners: :mod:`equipoise.rules.treaties`); bandwagoners look for the
  strongest state whoever its friends are, since it is the state they may join.
* **Threat** (``balance_threat``; Walt 1987): the state ``j`` maximising
  ``s_j * g_ji * (1 + aggression_weight * intent_j)``, aggregate power (its
  share ``s_j``) times proximity and offensive capability (``g_ji``, the
  fraction of j's power that reaches i's capital under j's own reach, Boulding
  1962) times perceived intent (``intent = aggression * (1 - memory)``, the
  decayed record of its unprovoked attacks, in [0, 1)).
* ``none`` states perceive no threat.

The capability share (:func:`capability_shares`) follows the structure of the
COW CINC index: ``economic_weight`` times the state's share of the system's
output plus the rest times its share of the system's military stock (CINC
averages four economic and two military component shares; Singer, Bremer &
Stuckey 1972).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Boulding, K. E. (1962). *Conflict and Defense: A General Theory*. Harper.
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution,
    uncertainty, and major power war, 1820-1965. In B. Russett (ed.), *Peace,
    War, and Numbers*, 19-48. Sage.
"""

from __future__ import annotations

from numba import njit

from equipoise.rules import treaties
from equipoise.state import BALANCE_THREAT, BANDWAGON, NONE, FloatArray, Params, World

__all__ = ["capability_shares", "perceive", "shares_into"]


@njit
def capability_shares(w: World, p: Params) -> None:
    """Fill ``w.share``: CINC-like capability shares of living states (0 for the dead)."""
    shares_into(w, p, w.share)


@njit
def shares_into(w: World, p: Params, out: FloatArray) -> None:
    """Write the capability shares of :func:`capability_shares` into ``out`` (N,).

    The same arithmetic, for a reader that must not touch ``w.share`` (the dyad-year
    recorder, :mod:`equipoise.rules.dyads`, measures the system after a step's entries,
    before the shares are refreshed).
    """
    total_y = 0.0
    total_m = 0.0
    for i in range(p.n_states):
        if w.alive[i]:
            total_y += w.economy[i]
            total_m += w.military[i]
    # a system whose military is all but nothing (below the smallest normal double's
    # range, where shares would lose their precision) is measured by output alone
    armed = total_m > 1e-290
    we = p.economic_weight if armed else 1.0
    for i in range(p.n_states):
        if not w.alive[i] or total_y <= 0.0:
            out[i] = 0.0
            continue
        s = we * w.economy[i] / total_y
        if armed:
            s += (1.0 - we) * w.military[i] / total_m
        out[i] = s


@njit
def _allied(w: World, i: int, j: int) -> bool:
    """Members of one bloc, or partners in a defence or offence pact (rules.treaties)."""
    return (w.bloc[i] >= 0 and w.bloc[i] == w.bloc[j]) or treaties.allied(w, i, j)


@njit
def perceive(w: World, p: Params) -> None:
    """Fill ``w.threat`` and ``w.threat_level`` for every state (see the module docstring)."""
    n = p.n_states
    # the three strongest states, for the power lens (a full scan only if all are excluded)
    top0 = -1
    top1 = -1
    top2 = -1
    for j in range(n):
        if not w.alive[j]:
            continue
        s = w.share[j]
        if top0 < 0 or s > w.share[top0]:
            top0, top1, top2 = j, top0, top1
        elif top1 < 0 or s > w.share[top1]:
            top1, top2 = j, top1
        elif top2 < 0 or s > w.share[top2]:
            top2 = j
    intent_scale = 1.0 - p.aggression_memory
    for i in range(n):
        w.threat[i] = -1
        w.threat_level[i] = 0.0
        if not w.alive[i]:
            continue
        code = w.strategy[i]
        # Extension point: each strategy's lens on threat; a strategy not named below
        # (a hedger) sees power, the strongest other state outside its bloc.
        if code == NONE:
            continue
        best = -1
        level = 0.0
        if code == BALANCE_THREAT:
            for j in range(n):
                if j == i or not w.alive[j] or _allied(w, i, j):
                    continue
                intent = w.aggression[j] * intent_scale
                t = w.share[j] * w.exposure[i, j] * (1.0 + p.aggression_weight * intent)
                if t > level:
                    best = j
                    level = t
        else:
            skip_allies = code != BANDWAGON
            for j in (top0, top1, top2):
                if j >= 0 and j != i and not (skip_allies and _allied(w, i, j)):
                    best = j
                    break
            if best < 0:
                for j in range(n):
                    if j == i or not w.alive[j] or (skip_allies and _allied(w, i, j)):
                        continue
                    if best < 0 or w.share[j] > w.share[best]:
                        best = j
            if best >= 0:
                level = w.share[best]
        w.threat[i] = best
        w.threat_level[i] = level
