"""Hypothesis builders of valid scenarios for the property tests.

Every parameter table is drawn from its pydantic fields' own bounds (``ge``,
``gt``, ``le``, ``lt``), so whatever a builder returns must validate and every
documented value can be drawn. Scenario sizes are kept small (2-8 states, maps
of up to a few hundred provinces) so that a property test runs in seconds.
"""

from __future__ import annotations

import math
from typing import Any

import annotated_types as at
from hypothesis import strategies as st
from hypothesis.strategies import composite
from pydantic import BaseModel

from equipoise.scenario import (
    STRATEGIES,
    AllianceParams,
    GrowthParams,
    HegemonyParams,
    InitialParams,
    InternalParams,
    PowerParams,
    Scenario,
    SoftBalancingParams,
    TechnologyParams,
    ThreatParams,
    WarParams,
)

__all__ = ["params", "scenarios", "strategy_mixes"]

MIN_STATES, MAX_STATES = 2, 8

#: Tables drawn whole, and caps that keep runs small (field -> upper bound used).
TABLES: dict[str, type[BaseModel]] = {
    "initial": InitialParams,
    "growth": GrowthParams,
    "power": PowerParams,
    "technology": TechnologyParams,
    "threat": ThreatParams,
    "internal": InternalParams,
    "alliances": AllianceParams,
    "soft_balancing": SoftBalancingParams,
    "war": WarParams,
    "hegemony": HegemonyParams,
}
CAPS = {
    "hegemony_duration": 50,
    "landscape_interval": 20,
    "quiet_steps": 10,
    "integrity_norm_step": 300,
}


def _bounds(field: Any) -> tuple[float, float, bool, bool]:
    lo, hi, open_lo, open_hi = -math.inf, math.inf, False, False
    for m in field.metadata:
        if isinstance(m, at.Ge):
            lo = float(m.ge)
        elif isinstance(m, at.Gt):
            lo, open_lo = float(m.gt), True
        elif isinstance(m, at.Le):
            hi = float(m.le)
        elif isinstance(m, at.Lt):
            hi, open_hi = float(m.lt), True
    return lo, hi, open_lo, open_hi


def _field(name: str, field: Any) -> st.SearchStrategy[Any]:
    ann = field.annotation
    if ann is bool:
        return st.booleans()
    if ann == (int | None):  # an optional step (e.g. war.integrity_norm_step): none or a step
        lo, hi, _, _ = _bounds(field)
        return st.none() | st.integers(int(lo), int(min(hi, CAPS.get(name, 10_000))))
    if getattr(ann, "__origin__", None) is not None and str(ann).startswith("typing.Literal"):
        return st.sampled_from(ann.__args__)
    lo, hi, open_lo, open_hi = _bounds(field)
    if ann is int:
        lo_i = int(lo) + (1 if open_lo else 0)
        hi_i = min(int(hi) - (1 if open_hi else 0), CAPS.get(name, int(hi)))
        return st.integers(lo_i, hi_i)
    hi = min(hi, CAPS.get(name, hi))
    return st.floats(lo, hi, exclude_min=open_lo, exclude_max=open_hi, allow_nan=False)


@composite
def params(draw: Any, model: type[BaseModel]) -> dict[str, Any]:
    """A valid table of ``model`` (retried until its cross-field checks pass)."""
    while True:
        values = {
            name: draw(_field(name, f))
            for name, f in model.model_fields.items()
            if str(f.annotation) != "typing.Literal" or True
        }
        try:
            model(**values)
        except ValueError:
            continue
        return values


@composite
def strategy_mixes(draw: Any) -> dict[str, float]:
    """Shares of the strategies summing to 1 (often a single strategy)."""
    weights = draw(st.lists(st.integers(0, 4), min_size=len(STRATEGIES), max_size=len(STRATEGIES)))
    if sum(weights) == 0:
        weights[draw(st.integers(0, len(STRATEGIES) - 1))] = 1
    total = sum(weights)
    shares = [w / total for w in weights]
    shares[-1] = max(0.0, 1.0 - sum(shares[:-1]))  # rounding may leave -2e-16
    return dict(zip(STRATEGIES, shares, strict=True))


@composite
def scenarios(draw: Any) -> Scenario:
    """A small valid scenario with every table drawn from its documented ranges."""
    n = draw(st.integers(MIN_STATES, MAX_STATES))
    data: dict[str, Any] = {
        "name": "drawn",
        "n_states": n,
        "map": {"provinces_per_state": draw(st.floats(1.0, 20.0))},
        "strategies": draw(strategy_mixes()),
    }
    for key, model in TABLES.items():
        data[key] = draw(params(model))
    return Scenario.from_dict(data, source="hypothesis")
