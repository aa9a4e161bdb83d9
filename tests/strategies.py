"""Hypothesis builders of valid scenarios for the property tests.

Every builder draws values inside the documented range of each pydantic
``Field`` of :mod:`equipoise.scenario`, so whatever it returns must validate;
the property tests then check the engine's invariants on it. Explicitly given
``[[states]]`` are drawn with moderate magnitudes (the fields themselves are
unbounded above) so that 15-20 steps of growth stay far from overflow.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st
from hypothesis.strategies import composite

from equipoise.scenario import (
    STRATEGIES,
    AllianceParams,
    GrowthParams,
    HegemonyParams,
    InitialParams,
    InternalParams,
    RunParams,
    Scenario,
    SoftBalancingParams,
    StateSpec,
    StrategyMix,
    ThreatParams,
    WarParams,
)

__all__ = [
    "alliance_params",
    "batches",
    "growth_params",
    "hegemony_params",
    "initial_params",
    "internal_params",
    "scenarios",
    "seeds",
    "soft_balancing_params",
    "state_specs",
    "strategy_counts",
    "strategy_mixes",
    "threat_params",
    "war_params",
]

MIN_STATES, MAX_STATES = 2, 8


def unit(*, exclude_min: bool = False, exclude_max: bool = False) -> st.SearchStrategy[float]:
    """Floats in [0, 1] (bounds optionally open)."""
    return st.floats(0.0, 1.0, exclude_min=exclude_min, exclude_max=exclude_max)


def bounded(lo: float, hi: float, **kwargs: bool) -> st.SearchStrategy[float]:
    """Finite floats in [lo, hi]."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, **kwargs)


seeds = st.integers(min_value=0, max_value=2**63 - 1)
"""Root seeds accepted by :func:`equipoise.run` and :func:`equipoise.engine.iterate`."""

batches = st.integers(min_value=2, max_value=4)
"""Small numbers of replications simulated together."""


@composite
def strategy_counts(draw: st.DrawFn, n_states: int | None = None) -> list[int]:
    """Integer counts of states per strategy, in :data:`STRATEGIES` order, not all zero.

    With ``n_states`` they add up to it (so the mix is exact); otherwise their
    total is free. Pure populations and mixes of two to four strategies are all
    reachable.
    """
    if n_states is None:
        counts = draw(st.lists(st.integers(0, 10), min_size=4, max_size=4))
        if sum(counts) == 0:
            counts[draw(st.integers(0, 3))] = 1
        return counts
    present = draw(
        st.lists(st.sampled_from(range(len(STRATEGIES))), min_size=1, max_size=4, unique=True)
    )
    counts = [0] * len(STRATEGIES)
    for k in present:
        counts[k] = 1  # every chosen strategy gets at least one state (if there is room)
    if sum(counts) > n_states:
        counts = [0] * len(STRATEGIES)
        for k in present[:n_states]:
            counts[k] = 1
    for _ in range(n_states - sum(counts)):
        counts[draw(st.sampled_from(present))] += 1
    return counts


@composite
def strategy_mixes(draw: st.DrawFn, n_states: int | None = None) -> StrategyMix:
    """A valid :class:`StrategyMix` built from integer counts (shares sum to 1)."""
    counts = draw(strategy_counts(n_states))
    total = sum(counts)
    return StrategyMix(**{name: c / total for name, c in zip(STRATEGIES, counts, strict=True)})


@composite
def initial_params(draw: st.DrawFn) -> InitialParams:
    """Initial conditions over their documented ranges."""
    return InitialParams(
        economy_inequality=draw(bounded(0.0, 5.0)),
        military_ratio=draw(bounded(0.0, 100.0)),
        arming_share=draw(unit()),
    )


@composite
def growth_params(draw: st.DrawFn) -> GrowthParams:
    """Growth over its documented ranges (negative growth and zero volatility included)."""
    return GrowthParams(
        growth_rate=draw(bounded(-0.5, 1.0)),
        growth_volatility=draw(unit()),
        arming_drag=draw(bounded(0.0, 10.0)),
        depreciation=draw(unit()),
        economic_weight=draw(bounded(0.01, 1.0)),
    )


@composite
def threat_params(draw: st.DrawFn) -> ThreatParams:
    """Threat perception under both lenses."""
    return ThreatParams(
        perception=draw(st.sampled_from(["power", "threat"])),
        reach=draw(bounded(0.0, 100.0, exclude_min=True)),
        gradient_exponent=draw(bounded(0.0, 10.0)),
        aggression_weight=draw(bounded(0.0, 100.0)),
        aggression_memory=draw(unit(exclude_max=True)),
    )


@composite
def internal_params(draw: st.DrawFn) -> InternalParams:
    """Internal balancing, on or off, with ``arming_min <= arming_max``."""
    lo, hi = sorted((draw(unit()), draw(unit())))
    return InternalParams(
        enabled=draw(st.booleans()),
        arming_min=lo,
        arming_max=hi,
        arming_response=draw(bounded(0.0, 100.0)),
        adjustment_speed=draw(unit()),
    )


@composite
def alliance_params(draw: st.DrawFn) -> AllianceParams:
    """Alliances, on or off, with reliability and appeasement over [0, 1], either rule."""
    return AllianceParams(
        enabled=draw(st.booleans()),
        alliance_threshold=draw(unit()),
        alliance_reliability=draw(unit()),
        alliance_duration=draw(st.one_of(bounded(1.0, 100.0), bounded(1.0, 1e6))),
        proximity_weight=draw(bounded(0.0, 100.0)),
        appeasement=draw(unit()),
        alliance_rule=draw(st.sampled_from(["threat", "landscape"])),
        landscape_interval=draw(st.one_of(st.integers(1, 5), st.integers(1, 32767))),
    )


@composite
def soft_balancing_params(draw: st.DrawFn) -> SoftBalancingParams:
    """Soft balancing, on or off."""
    return SoftBalancingParams(
        enabled=draw(st.booleans()),
        soft_balancing_threshold=draw(unit()),
        soft_balancing_strength=draw(unit()),
        sanction_cost=draw(unit()),
    )


@composite
def war_params(draw: st.DrawFn) -> WarParams:
    """War, on or off, with decisiveness in (0, 50] and propensity in [0, 1]."""
    return WarParams(
        enabled=draw(st.booleans()),
        decisiveness=draw(bounded(0.0, 50.0, exclude_min=True)),
        war_propensity=draw(unit()),
        war_cost=draw(unit()),
        conquest_share=draw(unit()),
        elimination_floor=draw(unit()),
    )


@composite
def hegemony_params(draw: st.DrawFn) -> HegemonyParams:
    """What counts as hegemony and as a pole."""
    return HegemonyParams(
        hegemony_threshold=draw(unit(exclude_min=True)),
        hegemony_duration=draw(st.integers(1, 20)),
        pole_threshold=draw(unit(exclude_min=True)),
    )


_NAME_CHARS = string.ascii_letters + string.digits + "-_ "


@composite
def state_specs(
    draw: st.DrawFn, min_size: int = MIN_STATES, max_size: int = MAX_STATES
) -> tuple[StateSpec, ...]:
    """An explicit ``[[states]]`` list: unique names, positive economies, any strategy."""
    names = draw(
        st.lists(
            st.text(_NAME_CHARS, min_size=1, max_size=12),
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    return tuple(
        StateSpec(
            name=name,
            economy=draw(bounded(1e-3, 1e3)),
            military=draw(bounded(0.0, 1e3)),
            x=draw(bounded(-10.0, 10.0)),
            y=draw(bounded(-10.0, 10.0)),
            strategy=draw(st.sampled_from(STRATEGIES)),
            arming_share=draw(st.none() | unit()),
        )
        for name in names
    )


@composite
def scenarios(draw: st.DrawFn, explicit_states: bool | None = None) -> Scenario:
    """A random valid :class:`Scenario` of 2 to 8 states.

    Parameters
    ----------
    explicit_states : bool, optional
        Force (True) or forbid (False) an explicit ``[[states]]`` list; by
        default about one scenario in four has one.
    """
    if explicit_states is None:
        explicit_states = draw(st.integers(0, 3)) == 0
    kwargs: dict[str, object] = {
        "initial": draw(initial_params()),
        "growth": draw(growth_params()),
        "threat": draw(threat_params()),
        "internal": draw(internal_params()),
        "alliances": draw(alliance_params()),
        "soft_balancing": draw(soft_balancing_params()),
        "war": draw(war_params()),
        "hegemony": draw(hegemony_params()),
        "run": RunParams(replications=draw(batches), steps=draw(st.integers(1, 20))),
    }
    if explicit_states:
        states = draw(state_specs())
        kwargs["states"] = states
        if draw(st.booleans()):
            kwargs["n_states"] = len(states)
    else:
        n = draw(st.integers(MIN_STATES, MAX_STATES))
        kwargs["n_states"] = n
        # an exact mix for n states, or a free one that the engine rounds
        exact = draw(st.booleans())
        kwargs["strategies"] = draw(strategy_mixes(n if exact else None))
    return Scenario(**kwargs)
