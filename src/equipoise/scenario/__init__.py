"""Scenarios: every parameter of a simulated state system, validated in one place.

A :class:`Scenario` is a frozen pydantic model read from and written to TOML.
Unknown keys, wrong types and out-of-range values raise
:class:`InvalidScenarioError` with a one-line message naming the offending key.
A scenario holds parameters only; everything derived from them (capabilities,
distances, strategy codes) is computed by the engine, so a TOML round trip
reproduces the object exactly.

Examples
--------
>>> from equipoise import Scenario
>>> s = Scenario.load("balancers")
>>> s.alliances.alliance_reliability
0.75
>>> Scenario.from_toml(s.to_toml()) == s
True
"""

from __future__ import annotations

from equipoise._builtins import builtin_scenarios, builtin_text
from equipoise.scenario.core import Scenario
from equipoise.scenario.events import EVENT_KINDS, EventSpec
from equipoise.scenario.groups import (
    PACT_KINDS,
    STRATEGIES,
    AllianceParams,
    GrowthParams,
    HegemonyParams,
    InitialParams,
    InternalParams,
    InvalidScenarioError,
    MapParams,
    PowerParams,
    RunParams,
    SoftBalancingParams,
    StateSpec,
    StrategyMix,
    TechnologyParams,
    ThreatParams,
    WarParams,
)

__all__ = [
    "EVENT_KINDS",
    "PACT_KINDS",
    "STRATEGIES",
    "AllianceParams",
    "EventSpec",
    "GrowthParams",
    "HegemonyParams",
    "InitialParams",
    "InternalParams",
    "InvalidScenarioError",
    "MapParams",
    "PowerParams",
    "RunParams",
    "Scenario",
    "SoftBalancingParams",
    "StateSpec",
    "StrategyMix",
    "TechnologyParams",
    "ThreatParams",
    "WarParams",
    "builtin_scenarios",
    "builtin_text",
]
