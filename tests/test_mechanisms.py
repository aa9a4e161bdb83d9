"""A mechanism factorial against the null world: what each mechanism guarantees.

Arming x alliances x sanctions x strategy, over 10, 20 and 40 states and three
seeds. The assertions are what the rules guarantee whatever the outcome --
never a hoped-for hegemony rate (those are reported in docs/findings.md).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from equipoise import Scenario, run
from equipoise._numba_cache import KERNEL_SOURCES, source_hash

SIZES = (10, 20, 40)
SEEDS = (1, 2, 3)
STRATEGIES = ("balance_power", "bandwagon", "buck_pass", "none")
# alliances and sanctions start at a lower threshold than the default, so that the
# short runs here see them in action
LOW = {"alliance_threshold": 0.1}
LOW_SOFT = {"soft_balancing_threshold": 0.1}


def _cell(n, strategy, arming, allying, sanctioning):
    return Scenario(
        n_states=n,
        name="cell",
        strategies={strategy: 1.0},
        internal={"enabled": arming},
        alliances={"enabled": allying, **LOW},
        soft_balancing={"enabled": sanctioning, **LOW_SOFT},
    )


@pytest.mark.parametrize("n", SIZES)
def test_each_mechanism_acts_only_where_it_is_switched_on(n):
    for strategy, arming, allying, sanctioning in itertools.product(
        STRATEGIES, (True, False), (True, False), (True, False)
    ):
        s = _cell(n, strategy, arming, allying, sanctioning)
        for seed in SEEDS:
            ds = run(s, 4, 40, seed=seed, record_states=False).dataset
            balancer = strategy == "balance_power"
            if not allying or strategy in ("buck_pass", "none"):
                assert ds["alliances"].values.max() == 0, (strategy, allying)
                assert ds["alliances_formed"].values.max() == 0
            if not sanctioning or not balancer:
                assert ds["sanctioners"].values.max() == 0, (strategy, sanctioning)
            if not arming or strategy == "none":
                np.testing.assert_allclose(ds["mean_arming"].values, s.internal.arming_base, rtol=1e-12)
            survivors = ds["survivors"].values
            assert (np.diff(survivors, axis=1) <= 0).all()


@pytest.mark.parametrize("n", SIZES)
def test_the_null_world_is_balancing_switched_off(n):
    """States of strategy 'none' behave exactly as balancers with every balancing rule off."""
    null = Scenario(n_states=n, name="x", strategies={"none": 1.0})
    off = Scenario(
        n_states=n,
        name="x",
        internal={"enabled": False},
        alliances={"enabled": False},
        soft_balancing={"enabled": False},
    )
    for seed in SEEDS:
        a = run(null, 3, 60, seed=seed).dataset
        b = run(off, 3, 60, seed=seed).dataset
        for name in ("share", "provinces", "war_size", "war_participants"):
            assert np.array_equal(a[name].values, b[name].values), name


@pytest.mark.parametrize("n", SIZES)
def test_balancing_changes_the_world(n):
    """Each strategy's population is a different world from the null one (same seed)."""
    null = run(Scenario(n_states=n, name="x", strategies={"none": 1.0}), 3, 80, seed=7).dataset
    for strategy in ("balance_power", "bandwagon", "buck_pass"):
        other = run(_cell(n, strategy, True, True, True), 3, 80, seed=7).dataset
        assert not np.array_equal(null["share"].values, other["share"].values), strategy


def test_more_reliable_alliances_draw_allies_into_more_wars():
    def mean_participants(reliability):
        s = Scenario(
            n_states=20,
            name="x",
            alliances={"alliance_reliability": reliability, **LOW},
            soft_balancing={"enabled": False},
        )
        wars = run(s, 20, 120, seed=3, record_states=False).wars
        return wars["participants"].mean(), len(wars)

    low, n_low = mean_participants(0.0)
    high, n_high = mean_participants(1.0)
    assert n_low > 100 and n_high > 100
    assert high > low


def test_without_war_no_state_dies_and_no_province_changes_hands():
    ds = run(Scenario(n_states=10, name="x", war={"enabled": False}), 3, 50, seed=1).dataset
    assert (ds["survivors"].values == 10).all()
    assert ds["conquests"].values.sum() == 0 and ds["war_onsets"].values.sum() == 0
    assert (ds["provinces"].values == ds["provinces"].values[:, :1]).all()


def test_the_kernel_cache_is_keyed_on_every_rule_module():
    from pathlib import Path

    import equipoise.rules as rules

    listed = {Path(p).name for p in KERNEL_SOURCES if p.startswith("rules/")}
    present = {p.name for p in Path(rules.__file__).parent.glob("*.py")}
    assert present == listed
    assert len(source_hash()) == 64

    from numba.core import caching

    import equipoise.kernel as kernel

    locator = kernel.simulate._cache._impl._locator
    assert getattr(type(locator), "_equipoise", False)
    assert locator.get_source_stamp()[1] == source_hash()
    assert any(getattr(k, "_equipoise", False) for k in caching.CacheImpl._locator_classes)
