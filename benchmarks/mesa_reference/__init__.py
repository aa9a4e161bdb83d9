"""A Mesa 3 reference implementation of the equipoise model, for benchmarks only.

Written as an idiomatic Mesa model (agents in an ``AgentSet``, a
``DataCollector``) of the same rules, parameters (an :class:`equipoise.Scenario`)
and step order as :mod:`equipoise.engine`. Install with
``pip install -e ".[mesa-bench]"``; ``benchmarks/compare_mesa.py`` times it
against equipoise and ``tests/test_mesa_equivalence.py`` checks that both give
the same outcome distributions.
"""

from mesa_reference.agents import StateAgent, contest
from mesa_reference.agreement import OUTCOMES, agreement, equipoise_outcomes, mesa_outcomes
from mesa_reference.model import BalanceOfPower, hegemony, outcomes, run_replications

__all__ = [
    "OUTCOMES",
    "BalanceOfPower",
    "StateAgent",
    "agreement",
    "contest",
    "equipoise_outcomes",
    "hegemony",
    "mesa_outcomes",
    "outcomes",
    "run_replications",
]
