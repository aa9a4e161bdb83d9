"""External balancing: alliances against a threat, and their decay.

Each step, in order:

1. **Decay.** Every alliance ages one step. Lifetimes are drawn when an
   alliance forms from a geometric distribution with mean
   ``alliance_duration``, which is the same as a constant per-step chance of
   dissolution ``1 / alliance_duration``. Under anarchy nothing holds an
   alliance together once the interest behind it fades (Waltz 1979).
2. **Defection from the threat.** A balancing state whose top threat is one
   of its own allies, with a threat level at or above ``alliance_threshold``,
   leaves that alliance.
3. **Formation.** Every balancing state whose threat level is at or above
   ``alliance_threshold`` proposes an alliance to one partner: the alive,
   not-yet-allied, balancing state (not the threat itself) with the highest
   score ``shared + proximity_weight * discount_ik``, where ``shared`` is 1 if
   the partner's top threat is the same state (Walt 1987: states ally against
   a common threat) and ``discount_ik`` is the loss-of-strength gradient
   between them. Bandwagoners instead propose to their top threat, the
   strongest state, which always accepts (Schweller 1994).
4. **Appeasement.** A bandwagoner allied with its top threat concedes the
   share ``appeasement`` of its economy to it each step. Walt (1987, p. 17)
   describes bandwagoning as "a form of appeasement": the weaker side buys
   safety by accommodating the stronger, which is why a world of
   bandwagoners lets the strong grow stronger. Set it to 0 to study
   bandwagoning as pure alignment.

Allies honour their commitments in war only with probability
``alliance_reliability`` (see :mod:`equipoise.rules.war`): under anarchy no
one enforces a treaty. Chain-ganging emerges because honouring allies share
the losses of wars their partners start; buck-passing is a strategy
(:mod:`equipoise.strategies`), following Christensen & Snyder (1990).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
Christensen, T. J., & Snyder, J. (1990). Chain gangs and passed bucks.
    *International Organization*, 44(2), 137-168.
    https://doi.org/10.1017/S0020818300035232
"""

from __future__ import annotations

import dataclasses

import numpy as np

from equipoise.metrics import shares
from equipoise.scenario import Scenario
from equipoise.state import FloatArray, SystemState, capability
from equipoise.strategies import BANDWAGON, balancing

__all__ = ["align", "geometric_lifetime"]

_MAX_LIFETIME = np.iinfo(np.int16).max


def geometric_lifetime(u: FloatArray, mean: float) -> np.ndarray:
    """Geometric lifetimes (>= 1 step) with the given mean, from uniforms in (0, 1)."""
    if mean <= 1.0:
        return np.ones(u.shape, dtype=np.int16)
    q = 1.0 - 1.0 / mean
    u = np.clip(u, 1e-300, 1.0)
    life = 1.0 + np.floor(np.log(u) / np.log(q))
    return np.minimum(life, _MAX_LIFETIME).astype(np.int16)


def align(state: SystemState, scenario: Scenario, u_lifetime: FloatArray) -> SystemState:
    """Age, break and form alliances for one step.

    Parameters
    ----------
    u_lifetime : (R, N) array of uniforms
        Lifetime draw for the alliance each state may propose this step.
    """
    p = scenario.alliances
    if not p.enabled:
        if state.alliances.any():
            return dataclasses.replace(state, alliances=np.zeros_like(state.alliances))
        return state
    r, n = state.economy.shape
    rows = np.arange(r)[:, None]
    alliances = state.alliances - (state.alliances > 0).astype(np.int16)

    share = np.nan_to_num(shares(capability(state, scenario.growth.economic_weight), state.alive))
    top = state.top_threat
    safe_top = np.where(top >= 0, top, 0)
    threatened = state.alive & (top >= 0) & (state.threat_level >= p.alliance_threshold)
    balancer = balancing(state, share)
    bandwagoner = (state.strategy == BANDWAGON)[None, :] & state.alive

    # 2. balancers leave alliances with their own top threat
    seekers = threatened & balancer
    ri, ii = np.nonzero(seekers)
    ti = safe_top[ri, ii]
    gone = alliances[ri, ii, ti] > 0
    alliances[ri[gone], ii[gone], ti[gone]] = 0
    alliances[ri[gone], ti[gone], ii[gone]] = 0

    # 3a. balancers propose to the best partner against the same threat; only the
    # seekers' rows are scored, (K, N) work instead of (R, N, N)
    partner = safe_top.copy()
    propose = np.zeros_like(seekers)
    if ri.size:
        idx = np.arange(n)
        ok = (balancer & state.alive)[ri] & (alliances[ri, ii] == 0)
        ok &= idx[None, :] != ii[:, None]
        ok &= idx[None, :] != ti[:, None]
        score = p.proximity_weight * state.distance_discount[ri, ii]
        score += top[ri] == top[ri, ii][:, None]  # shared threat: +1
        score[~ok] = -np.inf
        has = ok.any(axis=1)
        partner[ri, ii] = np.argmax(score, axis=1)
        propose[ri[has], ii[has]] = True

    # 3b. bandwagoners join the strongest state
    any_bandwagon = bool(bandwagoner.any())
    if any_bandwagon:
        join = threatened & bandwagoner & (alliances[rows, np.arange(n)[None, :], safe_top] == 0)
        partner = np.where(join, safe_top, partner)
        propose |= join

    ri, ii = np.nonzero(propose)
    kk = partner[ri, ii]
    life = geometric_lifetime(u_lifetime[ri, ii], p.alliance_duration)
    alliances[ri, ii, kk] = life
    alliances[ri, kk, ii] = life
    # i -> k and k -> i in the same step: both cells keep the longer lifetime
    both = np.maximum(alliances[ri, ii, kk], alliances[ri, kk, ii])
    alliances[ri, ii, kk] = both
    alliances[ri, kk, ii] = both

    # 4. appeasement: bandwagoners pay the state they joined
    economy = state.economy
    if p.appeasement > 0 and any_bandwagon:
        paying = bandwagoner & (top >= 0) & (alliances[rows, np.arange(n)[None, :], safe_top] > 0)
        if paying.any():
            paid = np.where(paying, p.appeasement * economy, 0.0)
            received = np.bincount(
                (rows * n + safe_top)[paying], weights=paid[paying], minlength=r * n
            ).reshape(r, n)
            economy = economy - paid + received
    return dataclasses.replace(state, alliances=alliances, economy=economy)
