"""Theory tests: the model reproduces the claims it was built to examine.

(a) Balancing prevents hegemony: among states that balance (Waltz 1979)
    hegemony is significantly rarer than among states that bandwagon with the
    strongest (Walt 1987; Schweller 1994).
(b) External and soft balancing matter: with alliances and sanctions switched
    off (self-help by arming alone), hegemony is significantly more frequent
    than under full balancing.

Each test prints its numbers; run ``pytest -s tests/test_theory.py`` to see them.
Every run uses the scenarios' default number of steps and a fixed seed.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import fisher_exact

from equipoise import Result, Scenario, run

REPLICATIONS = 300
SEED = 19790101
ALPHA = 0.01

pytestmark = pytest.mark.slow


def hegemonies(result: Result) -> int:
    return int((result.dataset["hegemony_onset"].values >= 0).sum())


def compare(label_a: str, a: Result, label_b: str, b: Result) -> tuple[float, float, float]:
    """Print both hegemony rates and a two-sided Fisher exact test; return (rate_a, rate_b, p)."""
    ha, hb = hegemonies(a), hegemonies(b)
    na, nb = a.dataset.sizes["replication"], b.dataset.sizes["replication"]
    table = [[ha, na - ha], [hb, nb - hb]]
    odds, p = fisher_exact(table, alternative="two-sided")
    for label, res in ((label_a, a), (label_b, b)):
        row = res.summary().iloc[0]
        print(
            f"\n  {label:<24} hegemony {row['hegemony_rate']:.3f} "
            f"[{row['hegemony_ci_low']:.3f}, {row['hegemony_ci_high']:.3f}] "
            f"({hegemonies(res)}/{int(row['replications'])}), steps {int(row['steps'])}, "
            f"survivors {row['survivors']:.2f}, CON {row['mean_concentration']:.3f}",
            end="",
        )
    print(f"\n  Fisher exact test: table {table}, odds ratio {odds:.3g}, p = {p:.3g}")
    return ha / na, hb / nb, float(p)


@pytest.fixture(scope="module")
def balancers() -> Scenario:
    return Scenario.load("balancers")


@pytest.fixture(scope="module")
def balancing_result(balancers: Scenario) -> Result:
    return run(balancers, replications=REPLICATIONS, seed=SEED)


def test_default_scenarios_are_the_documented_ones(balancers: Scenario) -> None:
    bandwagoners = Scenario.load("bandwagoners")
    assert balancers.size == bandwagoners.size == 20
    assert balancers.run.steps == bandwagoners.run.steps == 200
    assert balancers.strategy_names() == ["balance_power"] * 20
    assert bandwagoners.strategy_names() == ["bandwagon"] * 20
    # apart from the strategies, the two systems are the same
    same = bandwagoners.replace(
        name=balancers.name, description=balancers.description, strategies=balancers.strategies
    )
    assert same == balancers


def test_balancing_prevents_hegemony_better_than_bandwagoning(
    balancing_result: Result,
) -> None:
    bandwagoning = run(Scenario.load("bandwagoners"), replications=REPLICATIONS, seed=SEED)
    rate_bal, rate_band, p = compare("balancers", balancing_result, "bandwagoners", bandwagoning)
    assert rate_bal < rate_band
    assert p < ALPHA
    # the Wilson intervals do not even overlap
    bal, band = balancing_result.summary().iloc[0], bandwagoning.summary().iloc[0]
    assert bal["hegemony_ci_high"] < band["hegemony_ci_low"]


def test_without_alliances_and_soft_balancing_hegemony_is_more_frequent(
    balancers: Scenario, balancing_result: Result
) -> None:
    alone = run(Scenario.load("no-alliances"), replications=REPLICATIONS, seed=SEED)
    rate_full, rate_alone, p = compare("balancers (full)", balancing_result, "no-alliances", alone)
    assert rate_alone > rate_full
    assert p < ALPHA


def test_switching_off_alliances_and_sanctions_equals_the_builtin(
    balancers: Scenario,
) -> None:
    switched = balancers.replace(alliances={"enabled": False}, soft_balancing={"enabled": False})
    builtin = Scenario.load("no-alliances")
    assert switched.replace(name=builtin.name, description=builtin.description) == builtin
    a = run(switched, replications=100, seed=SEED, record_states=False)
    b = run(builtin, replications=100, seed=SEED, record_states=False)
    np.testing.assert_array_equal(a.dataset["hegemony_onset"], b.dataset["hegemony_onset"])
    print(
        f"\n  balancers.replace(alliances off, soft off): {hegemonies(a)}/100 hegemonies; "
        f"built-in no-alliances: {hegemonies(b)}/100"
    )
