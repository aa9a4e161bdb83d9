"""The system state: one plain dataclass of numpy arrays, batched over replications.

All dynamic arrays have a leading replication axis ``R`` and a state axis
``N``; pairwise relations are ``(R, N, N)``. Rules never write into a state they
are given: they build the arrays they change and return
``dataclasses.replace(state, ...)``, so the unchanged arrays are shared, not
copied. Static arrays (positions, distance discounts, strategies) are built
once by the engine and passed along untouched.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from equipoise.metrics import shares

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

__all__ = ["SystemState", "capability", "capability_share", "remove_states"]


@dataclass(frozen=True, slots=True)
class SystemState:
    """The state of R independent replications of an N-state system.

    Attributes
    ----------
    economy : (R, N) float
        Economic size E (0 for dead states).
    military : (R, N) float
        Military stock M (0 for dead states).
    arming_share : (R, N) float
        Share ``a`` of output spent on arms (guns versus butter).
    alive : (R, N) bool
        Whether each state still exists.
    aggression : (R, N) float
        Record of past attacks, decayed each step; in [0, 1/(1 - memory)).
    alliances : (R, N, N) int16
        Remaining lifetime in steps of the alliance between i and j (0: none).
        Symmetric, with an empty diagonal.
    sanctions : (R, N, N) bool
        ``sanctions[r, i, j]``: i sanctions j this step (soft balancing).
    threat_level : (R, N) float
        Perceived level of each state's top threat (capability-share units).
    top_threat : (R, N) int
        Index of each state's top threat (-1 for dead states).
    war_target : (R, N) int
        Target of the war each state started this step (-1: none).
    war_won : (R, N) bool
        Whether that war was won by the attacker.
    war_size : (R, N) float
        Military stock destroyed in that war (both sides, allies included).
    position : (R, N, 2) float
        Static coordinates of each state.
    distance_discount : (R, N, N) float
        Static loss-of-strength gradient ``(1 + d_ij / reach) ** -k`` (1 on the
        diagonal), Boulding (1962).
    strategy : (N,) int8
        Static strategy code of each state (index into
        :data:`equipoise.scenario.STRATEGIES`).
    step : int
        Number of steps taken.
    """

    economy: FloatArray
    military: FloatArray
    arming_share: FloatArray
    alive: BoolArray
    aggression: FloatArray
    alliances: npt.NDArray[np.int16]
    sanctions: BoolArray
    threat_level: FloatArray
    top_threat: IntArray
    war_target: IntArray
    war_won: BoolArray
    war_size: FloatArray
    position: FloatArray
    distance_discount: FloatArray
    strategy: npt.NDArray[np.int8]
    step: int = 0

    @property
    def replications(self) -> int:
        """Number of replications R."""
        return self.economy.shape[0]

    @property
    def n_states(self) -> int:
        """Number of states N."""
        return self.economy.shape[1]

    @property
    def allied(self) -> BoolArray:
        """Boolean alliance matrix, shape (R, N, N)."""
        return self.alliances > 0


def capability(state: SystemState, economic_weight: float) -> FloatArray:
    """Capability ``C = w * E + (1 - w) * M`` of each state, 0 for dead states.

    A linear index keeps capability additive over coalitions, as the
    Correlates of War CINC score is an average of component shares
    (Singer, Bremer & Stuckey 1972).
    """
    c = economic_weight * state.economy + (1.0 - economic_weight) * state.military
    return np.where(state.alive, c, 0.0)


def capability_share(state: SystemState, economic_weight: float) -> FloatArray:
    """Capability share ``s_i = C_i / sum of alive C`` of each state, 0 where none is alive.

    This is the share every rule and the recorder see. It depends only on
    ``economy``, ``military`` and ``alive``, so the engine computes it once per
    step and hands it to the rules that read it (see :func:`equipoise.engine.step`).
    The returned array is read-only because it is shared.
    """
    share = np.nan_to_num(shares(capability(state, economic_weight), state.alive))
    share.flags.writeable = False
    return share


def remove_states(state: SystemState, dead: BoolArray) -> SystemState:
    """Take the states marked in ``dead`` (R, N) out of the system.

    They lose their economy, military, arming, aggression record, alliances
    and sanctions; the arrays that change are copied, never written in place.
    A relation matrix is copied only if a removed state has a relation in it
    (the (R, N, N) copies dominate the cost of this function, and most
    eliminated states have no sanctions and often no alliance left).
    """
    rr, ii = np.nonzero(dead & state.alive)
    if rr.size == 0:
        return state
    alive = state.alive & ~dead
    return dataclasses.replace(
        state,
        alive=alive,
        economy=np.where(alive, state.economy, 0.0),
        military=np.where(alive, state.military, 0.0),
        arming_share=np.where(alive, state.arming_share, 0.0),
        aggression=np.where(alive, state.aggression, 0.0),
        alliances=_cut(state.alliances, rr, ii),
        sanctions=_cut(state.sanctions, rr, ii),
    )


def _cut(relation: np.ndarray, rr: np.ndarray, ii: np.ndarray) -> np.ndarray:
    """``relation`` with rows and columns ``ii`` of replications ``rr`` zeroed.

    Returns ``relation`` itself (not a copy) when those rows and columns are
    already all zero, which leaves the result unchanged.
    """
    if not (relation[rr, ii, :].any() or relation[rr, :, ii].any()):
        return relation
    out = relation.copy()
    out[rr, ii, :] = 0
    out[rr, :, ii] = 0
    return out
