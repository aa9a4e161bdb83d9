"""A Mesa 3 twin of the equipoise model 0.3, for the equivalence test and the benchmark.

The twin implements the rules of :mod:`equipoise.rules` (docs/model.md) the way a
careful Mesa user would write them from that description:

* the map is Mesa's discrete space, an :class:`~mesa.discrete_space.OrthogonalVonNeumannGrid`
  whose cells are the provinces (:class:`~mesa_reference.space.Province`: owner and output);
* states are :class:`~mesa.discrete_space.FixedAgent` s (:class:`~mesa_reference.agents.State`)
  standing on their capital cell, held in the model's ``AgentSet`` and scheduled with
  ``model.agents.do(...)`` in index order, or in a random order of moves drawn each step
  (``model.agents.shuffle()``) where one state's move changes what the next faces
  (attacks, joining alliances, allies called into a war); a state that dies is removed
  from the model;
* randomness comes from ``model.rng`` (a numpy ``Generator``), so the twin reproduces
  the distribution of equipoise's outcomes, not its counter-based draws;
* a :class:`~mesa.DataCollector` records the system's measures every step, each
  state's share and provinces, and a table of wars.

It takes an :class:`equipoise.Scenario` (generated states, or explicit ``[[states]]``
with their map), so both implementations run the same parameters. Install with
``pip install -e ".[mesa-bench]"`` (Mesa 3.3.1 needs Python >= 3.11).
``tests/test_mesa_equivalence.py`` checks that the two give the same outcome
distributions; ``benchmarks/compare_mesa.py`` times them against each other.
"""

from mesa_reference.agents import State
from mesa_reference.model import MEASURES, GeoSimTwin
from mesa_reference.outcomes import (
    OUTCOMES,
    WAR_OUTCOMES,
    agreement,
    equipoise_outcomes,
    twin_outcomes,
)
from mesa_reference.relations import Bloc, War
from mesa_reference.space import Province, gradient

__all__ = [
    "MEASURES",
    "OUTCOMES",
    "WAR_OUTCOMES",
    "Bloc",
    "GeoSimTwin",
    "Province",
    "State",
    "War",
    "agreement",
    "equipoise_outcomes",
    "gradient",
    "twin_outcomes",
]
