"""The mechanisms of model 0.2, one module per rule family, compiled with Numba.

Each rule is a compiled function over one replication's :class:`~equipoise.state.World`
(updated in place) and the scenario's :class:`~equipoise.state.Params`. The
kernel (:mod:`equipoise.kernel`) composes them into a step, in the order of
:data:`RULES`. Every random draw goes through :mod:`equipoise.rng` with a named
purpose, so each is a pure function of (seed, replication, step, actor,
purpose). The indexes the rules read (fronts, the ranking by military, bloc
and enemy lists) are kept apart from them, in :mod:`equipoise.rules.indexes`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULES", "RuleSpec"]


@dataclass(frozen=True)
class RuleSpec:
    """Metadata of a rule, in the spirit of the Axelrod library's classifiers."""

    name: str
    module: str
    stochastic: bool
    draws: tuple[str, ...]
    references: tuple[str, ...]


# Extension point: every module of rules/ has its entry here, with the draws it makes and
# the theory it cites (a new strategy's module too, beside the rules that read it).
#: The rules in the order the kernel applies them within a step.
RULES: dict[str, RuleSpec] = {
    "geography": RuleSpec(
        "geography", "equipoise.rules.geography", False, (), ("Cederman 1997", "Boulding 1962")
    ),
    "membership": RuleSpec(
        "membership",
        "equipoise.rules.membership",
        False,
        (),
        ("Correlates of War 2017", "Griffiths & Butcher 2013", "Fazal 2007"),
    ),
    "order": RuleSpec("order", "equipoise.rules.order", True, ("ORDER",), ()),
    "technology": RuleSpec(
        "technology",
        "equipoise.rules.technology",
        True,
        ("INNOVATE", "DIFFUSE"),
        ("Cederman 2003",),
    ),
    "threat": RuleSpec(
        "threat", "equipoise.rules.threat", False, (), ("Waltz 1979", "Walt 1987", "Singer 1972")
    ),
    "alliances": RuleSpec(
        "alliances",
        "equipoise.rules.alliances",
        True,
        ("ALLIANCE",),
        (
            "Waltz 1979",
            "Walt 1987",
            "Schweller 1994",
            "Levy & Thompson 2005",
            "Axelrod & Bennett 1993",
            "Kuik 2008",
            "Tessman 2012",
        ),
    ),
    "treaties": RuleSpec(
        "treaties",
        "equipoise.rules.treaties",
        True,
        ("PACT", "PACT_FORM", "PACT_END"),
        (
            "Walt 1987",
            "Lai & Reiter 2000",
            "Gibler & Wolford 2006",
            "Leeds & Savun 2007",
            "Leeds et al. 2000",
            "Leeds et al. 2002",
        ),
    ),
    "hedging": RuleSpec(
        "hedging",
        "equipoise.rules.hedging",
        False,
        (),
        ("Kuik 2008", "Tessman 2012"),
    ),
    "soft": RuleSpec(
        "soft",
        "equipoise.rules.soft",
        True,
        ("SANCTION", "REST"),
        ("Pape 2005", "Paul 2005", "Hufbauer et al. 2007", "Drezner 1999", "Early 2015"),
    ),
    "internal": RuleSpec(
        "internal",
        "equipoise.rules.internal",
        False,
        (),
        ("Waltz 1979", "Richardson 1960", "Morrow 1993", "Powell 1993"),
    ),
    "war": RuleSpec(
        "war",
        "equipoise.rules.war",
        True,
        ("ATTACK", "HONOUR", "BATTLE", "PATH", "CEASEFIRE"),
        (
            "Cederman 2003",
            "Tullock 1980",
            "Christensen & Snyder 1990",
            "Leeds et al. 2000",
            "Mearsheimer 1989",
        ),
    ),
    "growth": RuleSpec(
        "growth",
        "equipoise.rules.growth",
        True,
        ("SHOCK", "TREND"),
        (
            "Barro & Sala-i-Martin 1992",
            "Gerschenkron 1962",
            "Organski & Kugler 1980",
            "Powell 1993",
            "Dunne & Tian 2013",
        ),
    ),
}
