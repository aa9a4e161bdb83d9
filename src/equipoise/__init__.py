"""equipoise: simulate and measure the balance of power in international relations.

The names below are imported on first use (PEP 562), so that ``import equipoise``
and the command line start quickly.

>>> from equipoise import Scenario, run
>>> result = run(Scenario.load("balancers"), replications=8, steps=30, seed=7)
>>> list(result.summary().columns)[:3]
['replications', 'steps', 'hegemony_rate']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from equipoise._version import __version__

if TYPE_CHECKING:
    from equipoise.engine import run
    from equipoise.results import Result
    from equipoise.scenario import InvalidScenarioError, Scenario

__all__ = ["InvalidScenarioError", "Result", "Scenario", "__version__", "run"]

_LAZY = {
    "run": "equipoise.engine",
    "Result": "equipoise.results",
    "Scenario": "equipoise.scenario",
    "InvalidScenarioError": "equipoise.scenario",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'equipoise' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
