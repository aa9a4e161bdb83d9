"""Hedging: a balancer that takes no side while the leading state is at war (Kuik 2008).

Hedging is the alignment of a state that will not choose between the great powers while
choosing is dangerous: it keeps its options open, insuring against the risks of every side
instead of betting on one (Kuik 2008), and prepares for a conflict with the system's leader
without confronting it (Tessman 2012, "strategic hedging"). In the model a hedger (strategy
``hedge``) is a ``balance_power`` state except in two decisions, taken while a **great-power
war** is on (:func:`great_power_war`): the *leading state*, the living state with the
largest capability share (ties to the lower index; :func:`leading_state`), is at war with at
least one state (``w.enemies[leader] > 0``). While it is on, a hedger

* joins no bloc (:func:`equipoise.rules.alliances.align`, rule "threat"), and
* answers no call to arms: an ally's call into a war is refused before its ``HONOUR`` draw,
  whichever bloc the hedger is in and whoever the war is against
  (:func:`equipoise.rules.war.enter`).

At every other time, and in every other decision, it balances power: it sees the strongest
other state outside its bloc as its top threat (:mod:`equipoise.rules.threat`), arms against
the hostile military it faces (:mod:`equipoise.rules.internal`: Tessman's internal
preparation), joins the coalition against its top threat when that state's share reaches
``alliance_threshold``, honours its commitments with probability ``alliance_reliability``,
and sanctions its top threat (:mod:`equipoise.rules.soft`: Kuik's "dominance denial", which
makes no ally and no enemy). A commitment it made in peacetime stays on the books until it
lapses; the hedger keeps it but does not fight for it. Under the landscape rule (7.3.1 of
docs/model.md) a hedger takes its side in the coalitions like any aligned state (they are
re-formed, not joined) and still refuses calls during a great-power war.

The state checked is the leading state of the last capability shares (those the threat
perception of the step read) and its hostilities at the moment of the decision: at
alignment, those that outlasted the last step; at a call, those of this step so far, the
war that made the call included.

This module is the worked example of docs/tutorials/extending.md (adding a strategy to the
compiled kernel).

References
----------
Kuik, C.-C. (2008). The essence of hedging: Malaysia and Singapore's response to a rising
    China. *Contemporary Southeast Asia*, 30(2), 159-185. https://doi.org/10.1355/CS30-2A
Tessman, B. F. (2012). System structure and state strategy: adding hedging to the menu.
    *Security Studies*, 21(2), 192-231. https://doi.org/10.1080/09636412.2012.679203
"""

from __future__ import annotations

from numba import njit

from equipoise.state import HEDGE, Params, World

__all__ = ["great_power_war", "leading_state", "stays_out"]


@njit
def leading_state(w: World, p: Params) -> int:
    """The living state with the largest capability share (ties to the lower index; -1: none)."""
    best = -1
    for j in range(p.n_states):
        if w.alive[j] and (best < 0 or w.share[j] > w.share[best]):
            best = j
    return best


@njit
def great_power_war(w: World, p: Params) -> bool:
    """Whether the leading state (:func:`leading_state`) is at war with at least one state."""
    leader = leading_state(w, p)
    return leader >= 0 and w.enemies[leader] > 0


@njit
def stays_out(w: World, p: Params, i: int) -> bool:
    """Whether state ``i`` is a hedger during a great-power war: it joins and answers nothing."""
    return w.strategy[i] == HEDGE and great_power_war(w, p)
