"""equipoise: simulate and measure the balance of power in international relations.

>>> from equipoise import Scenario, run
>>> result = run(Scenario.load("balancers"), replications=8, steps=30, seed=7)
>>> list(result.summary().columns)[:3]
['replications', 'steps', 'hegemony_rate']
"""

from equipoise._version import __version__
from equipoise.engine import run
from equipoise.results import Result
from equipoise.scenario import InvalidScenarioError, Scenario

__all__ = ["InvalidScenarioError", "Result", "Scenario", "__version__", "run"]
