"""Shared helpers of the rule tests: small explicit systems and mutation checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from numpy.testing import assert_array_equal

from equipoise.engine import initial_state
from equipoise.scenario import Scenario
from equipoise.state import SystemState


def system(
    specs: Iterable[Mapping[str, Any]], replications: int = 1, **params: Any
) -> tuple[Scenario, SystemState]:
    """Scenario of explicit states (named S0, S1, ...) and its initial state."""
    states = [{"name": f"S{i}", **spec} for i, spec in enumerate(specs)]
    scenario = Scenario(states=states, **params)
    gens = [np.random.default_rng(i) for i in range(replications)]
    return scenario, initial_state(scenario, gens)


def snapshot(state: SystemState) -> dict[str, np.ndarray]:
    """Copies of every array of a state, to check later that nothing was mutated."""
    return {f.name: np.copy(getattr(state, f.name)) for f in dataclasses.fields(state)}


def assert_unchanged(state: SystemState, before: dict[str, np.ndarray]) -> None:
    """Fail if any array of ``state`` differs from its snapshot."""
    for name, value in before.items():
        assert_array_equal(getattr(state, name), value, err_msg=f"{name} was mutated")
