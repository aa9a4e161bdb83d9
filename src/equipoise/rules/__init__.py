"""The mechanisms of the model, one module per rule family.

Each rule is a pure function ``rule(state, scenario[, draws]) -> state``: it
never writes into its inputs. Stochastic rules take uniform draws in [0, 1)
prepared by the engine from one random stream per replication, which is what
makes a result independent of how replications are batched.

:data:`RULES` lists them in the order the engine applies them each step.
"""

from __future__ import annotations

from dataclasses import dataclass

from equipoise.rules import alliances, growth, internal, soft, threat, war

__all__ = ["RULES", "RuleSpec", "alliances", "growth", "internal", "soft", "threat", "war"]


@dataclass(frozen=True)
class RuleSpec:
    """Metadata of a rule, in the spirit of the Axelrod library's classifiers."""

    name: str
    module: str
    stochastic: bool
    references: tuple[str, ...]


RULES: dict[str, RuleSpec] = {
    "threat": RuleSpec(
        "threat", "equipoise.rules.threat", False, ("Walt 1987", "Boulding 1962", "Waltz 1979")
    ),
    "internal": RuleSpec("internal", "equipoise.rules.internal", False, ("Waltz 1979",)),
    "alliances": RuleSpec(
        "alliances",
        "equipoise.rules.alliances",
        True,
        ("Waltz 1979", "Walt 1987", "Christensen & Snyder 1990", "Axelrod & Bennett 1993"),
    ),
    "soft": RuleSpec("soft", "equipoise.rules.soft", False, ("Pape 2005", "Paul 2005")),
    "war": RuleSpec(
        "war", "equipoise.rules.war", True, ("Tullock 1980", "Hirshleifer 1989", "Fearon 1995")
    ),
    "growth": RuleSpec("growth", "equipoise.rules.growth", True, ("Powell 1993",)),
}
