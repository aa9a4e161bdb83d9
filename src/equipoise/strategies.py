"""Strategies: how a state responds to the threats it perceives.

Every state follows one strategy for the whole run; a population may mix them.

``balance_power``
    Balances against the strongest other state, by raw capability share
    (Waltz 1979).
``balance_threat``
    Balances against the most threatening state: capability projected over
    distance and weighted by past aggression (Walt 1987).
``bandwagon``
    Allies with the strongest state instead of against it, and neither arms
    against it nor sanctions it (Walt 1987; Schweller 1994).
``buck_pass``
    Balances like ``balance_power`` unless others already balance its top
    threat, in which case it free-rides: it neither arms nor allies nor
    sanctions (Christensen & Snyder 1990; Mearsheimer 2001).

References
----------
Waltz, K. N. (1979). *Theory of International Politics*. Addison-Wesley.
Walt, S. M. (1987). *The Origins of Alliances*. Cornell University Press.
Schweller, R. L. (1994). Bandwagoning for profit. *International Security*,
    19(1), 72-107. https://doi.org/10.2307/2539149
Christensen, T. J., & Snyder, J. (1990). Chain gangs and passed bucks.
    *International Organization*, 44(2), 137-168.
    https://doi.org/10.1017/S0020818300035232
Mearsheimer, J. J. (2001). *The Tragedy of Great Power Politics*. Norton.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from equipoise.scenario import STRATEGIES
from equipoise.state import BoolArray, FloatArray, SystemState

__all__ = [
    "BALANCE_POWER",
    "BALANCE_THREAT",
    "BANDWAGON",
    "BUCK_PASS",
    "balancing",
    "is_balancer",
    "passing_the_buck",
    "strategy_codes",
    "uses_threat_lens",
]

BALANCE_POWER, BALANCE_THREAT, BANDWAGON, BUCK_PASS = range(len(STRATEGIES))


def strategy_codes(names: Sequence[str]) -> npt.NDArray[np.int8]:
    """Integer codes of strategy names (indices into ``STRATEGIES``)."""
    unknown = sorted(set(names) - set(STRATEGIES))
    if unknown:
        raise ValueError(f"unknown strategy {unknown[0]!r}: choose from {', '.join(STRATEGIES)}")
    return np.array([STRATEGIES.index(n) for n in names], dtype=np.int8)


def uses_threat_lens(strategy: npt.NDArray[np.int8], perception: str) -> BoolArray:
    """Which states perceive Walt's threat rather than raw power, shape (N,).

    ``balance_threat`` states always do and ``balance_power`` states never do;
    bandwagoners and buck-passers use the scenario's ``threat.perception``.
    """
    default = perception == "threat"
    return np.where(
        strategy == BALANCE_THREAT,
        True,
        np.where(strategy == BALANCE_POWER, False, default),
    )


def is_balancer(strategy: npt.NDArray[np.int8]) -> BoolArray:
    """States whose strategy is to balance whatever others do, shape (N,)."""
    return (strategy == BALANCE_POWER) | (strategy == BALANCE_THREAT)


def passing_the_buck(state: SystemState, share: FloatArray) -> BoolArray:
    """Buck-passers that free-ride this step, shape (R, N).

    A buck-passer passes when the states that balance its top threat (by
    strategy, ``balance_power`` or ``balance_threat``) already hold at least
    as much capability as the threat itself (Christensen & Snyder 1990).
    """
    r, n = share.shape
    top = state.top_threat
    balancer = is_balancer(state.strategy)[None, :] & state.alive & (top >= 0)
    flat = (np.arange(r)[:, None] * n + np.where(top >= 0, top, 0))[balancer]
    against = np.bincount(flat, weights=share[balancer], minlength=r * n).reshape(r, n)
    safe_top = np.where(top >= 0, top, 0)
    rows = np.arange(r)[:, None]
    covered = against[rows, safe_top] >= share[rows, safe_top]
    return (state.strategy == BUCK_PASS)[None, :] & state.alive & (top >= 0) & covered


def balancing(state: SystemState, share: FloatArray) -> BoolArray:
    """States that balance (arm, ally against, sanction) this step, shape (R, N)."""
    if not (state.strategy == BUCK_PASS).any():  # strategies are static: skip the test
        return state.alive & is_balancer(state.strategy)[None, :]
    buck = (state.strategy == BUCK_PASS)[None, :] & ~passing_the_buck(state, share)
    return state.alive & (is_balancer(state.strategy)[None, :] | buck)
