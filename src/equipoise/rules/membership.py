"""Membership: states that enter the system and states that leave it without conquest.

The scenario's ``[[events]]`` (:mod:`equipoise.scenario.events`) come to the
kernel as rows ``(step, kind, state, other)`` in the order they apply (by
step; within a step dissolutions, then entries, then merges), with the
entrants' shares in a float table; rows of kind ``DORMANT`` at step 0 name the
states absent at the start. Deaths by conquest are not events: they are
the model's own (:mod:`equipoise.rules.geography`).

* **Dormant states.** A state absent at the start is not alive until it
  enters: its site (the provinces the map gives it) is land no member holds,
  or is held by its predecessor (``held_by``). A dormant state has no
  output, forces or capability share and cannot be attacked (the war rule
  picks living targets only), as territory outside the state system is not
  fought over in the model.
* **Entry** (secession, decolonisation, a state admitted or restored;
  Correlates of War Project 2017; Griffiths & Butcher 2013). At the start of
  its step the entrant takes every province of its site from whoever holds it
  (a living holder's capital excepted), and starts with the given shares of
  the living states' output and military at that moment, so that its size at
  birth is history's. Its growth index is the geometric mean of the living
  states' (so catch-up compares its given productivity with theirs, not with
  a level reset to 1), its reach the mean of theirs (technology has diffused
  to it), its arming the share that holds its forces at rest
  (:func:`equipoise.rules.growth.at_rest`). A holder left with territory in
  more than one piece keeps it (as Pakistan was 1947-71).
* **Pacts** (:mod:`equipoise.rules.treaties`) end when a member leaves, and an
  entrant starts with none.
* **Merge** (unification, as the German and Italian states in 1860-71). The
  state leaves; its provinces, with their output, and its forces pass to the
  successor, if the successor is alive; otherwise its provinces become land
  no member holds. It is not counted as a state death.
* **Dissolution** (Austria-Hungary 1918, the Soviet Union 1991). The state
  leaves and its provinces are no member's until its successors enter, which
  they do later in the same step when they are dated with it.

An event that no longer applies (an entrant already alive, a merging state the
model has already conquered) is skipped: the model's history may differ from
the record.

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
    http://correlatesofwar.org
Griffiths, R. D., & Butcher, C. R. (2013). Introducing the International
    System(s) Dataset (ISD), 1816-2011. *International Interactions*, 39(5),
    748-768. https://doi.org/10.1080/03050629.2013.834259
Fazal, T. M. (2007). *State Death*. Princeton University Press.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from equipoise.rules import treaties
from equipoise.rules.geography import kill, refresh_exposure
from equipoise.rules.indexes import provinces_of, refresh_fronts, transfer
from equipoise.rules.threat import capability_shares
from equipoise.state import CLK_DEATHS, CLK_STEP, Params, World

__all__ = [
    "DISSOLVE",
    "DORMANT",
    "ENTER",
    "MERGE",
    "apply_events",
    "dormant_at_start",
    "enter",
    "leave",
    "merge",
]

#: Kernel codes of the event kinds (:data:`equipoise.scenario.EVENT_KINDS`, in that order),
#: and of the rows (at step 0) naming the states absent at the start.
DISSOLVE, ENTER, MERGE, DORMANT = 0, 1, 2, 3
#: Columns of an event row.
E_STEP, E_KIND, E_STATE, E_OTHER = 0, 1, 2, 3
#: Columns of an entrant's row of shares.
X_ECONOMY, X_MILITARY, X_PRODUCTIVITY = 0, 1, 2


@njit
def dormant_at_start(events: np.ndarray, n_states: int, dormant: np.ndarray) -> None:
    """Mark in ``dormant`` the states absent at the start (the ``DORMANT`` rows)."""
    for k in range(events.shape[0]):
        if events[k, E_KIND] == DORMANT:
            dormant[events[k, E_STATE]] = True


@njit
def apply_events(
    w: World, p: Params, events: np.ndarray, shares: np.ndarray, site: np.ndarray, t: int, k: int
) -> int:
    """Apply the events of step ``t`` from row ``k`` on; return the first row of a later step."""
    changed = False
    while k < events.shape[0] and events[k, E_STEP] <= t:
        if events[k, E_STEP] == t and events[k, E_KIND] != DORMANT:
            kind = events[k, E_KIND]
            i = events[k, E_STATE]
            if kind == ENTER:
                changed |= enter(
                    w,
                    p,
                    i,
                    site,
                    shares[k, X_ECONOMY],
                    shares[k, X_MILITARY],
                    shares[k, X_PRODUCTIVITY],
                )
            elif kind == MERGE:
                changed |= merge(w, p, i, events[k, E_OTHER])
            else:
                changed |= leave(w, p, i)
        k += 1
    if changed:
        refresh_fronts(w, p)
        capability_shares(w, p)  # the step's rules read the shares of the system as it now is
    return k


@njit
def enter(
    w: World,
    p: Params,
    i: int,
    site: np.ndarray,
    economy_share: float,
    military_share: float,
    productivity: float,
) -> bool:
    """State ``i`` enters: it takes its site and the given shares (see the module docstring)."""
    if w.alive[i]:
        return False
    log_level = 0.0
    reach = 0.0
    living = 0
    for j in range(p.n_states):
        if w.alive[j] and w.level[j] > 0.0:  # a state that paid all its output has no level
            log_level += math.log(w.level[j])
            reach += w.reach[j]
            living += 1
    level = math.exp(log_level / living) if living > 0 else 1.0
    w.level[i] = level
    for q in range(site.size):
        if site[q] != i or w.owner[q] == i:
            continue
        holder = w.owner[q]
        if w.alive[holder] and w.capital[holder] == q:
            continue
        transfer(w, p, q, i)
    refresh_fronts(w, p)  # the holders' outputs without the provinces they lost
    total_y = 0.0
    total_m = 0.0
    for j in range(p.n_states):
        if w.alive[j]:
            total_y += w.economy[j]
            total_m += w.military[j]
    held = provinces_of(w, i, w.listed)
    if held == 0:  # nothing of its site is left to it
        return False
    # its share of the living states' output after entry: Y_i = s (Y + Y_i)
    s = min(economy_share, 0.999)
    y = s * total_y / (1.0 - s) if total_y > 0.0 else s
    per = y / held / level
    for m in range(held):
        w.output[w.listed[m]] = per
    w.alive[i] = True
    w.regrouped[i] = True
    w.dirty[i] = True
    w.productivity[i] = productivity
    sm = min(military_share, 0.999)
    w.military[i] = sm * total_m / (1.0 - sm) if total_m > 0.0 else 0.0
    w.reach[i] = reach / living if living > 0 else w.reach[i]
    w.economy[i] = y
    upkeep = math.exp(p.growth_rate + w.trend[i]) - 1.0 + p.depreciation
    w.upkeep[i] = upkeep
    w.arming[i] = min(w.military[i] / y * upkeep, 1.0) if y > 0.0 else p.arming_base
    w.rest_arming[i] = w.arming[i]
    w.aggression[i] = 0.0
    w.bloc[i] = -1
    w.bloc_life[i] = 0
    w.sanctioning[i] = -1
    w.sanction_life[i] = 0
    w.sanction_loss[i] = 0.0
    w.sanctioned_for[i] = 0
    w.rest[i] = 0
    w.threat[i] = -1
    w.threat_level[i] = 0.0
    w.war_of[i] = -1
    w.enemies[i] = 0
    listed = False  # a state that died this step may still be in the ranking
    for m in range(w.n_ranked[0]):
        listed |= w.ranked[m] == i
    if not listed:
        w.ranked[w.n_ranked[0]] = i
        w.n_ranked[0] += 1
    refresh_exposure(w, p, i)
    return True


@njit
def merge(w: World, p: Params, i: int, successor: int) -> bool:
    """State ``i`` leaves, its provinces and forces passing to ``successor`` if it is alive."""
    if not w.alive[i]:
        return False
    if w.alive[successor]:
        held = provinces_of(w, i, w.listed)
        for m in range(held):
            transfer(w, p, w.listed[m], successor)
        w.military[successor] += w.military[i]
    return leave(w, p, i)


@njit
def leave(w: World, p: Params, i: int) -> bool:
    """State ``i`` leaves the system without conquest (not counted as a death)."""
    if not w.alive[i]:
        return False
    # events apply before the step's clock advances: its pacts are last in force at the step
    # before (step t's record shows it gone)
    treaties.dissolve(w, p, i, w.clock[CLK_STEP] + 1)
    kill(w, p, i)
    w.clock[CLK_DEATHS] -= 1
    w.dirty[i] = True
    return True
