"""Tests of equipoise.metrics: shares, concentration, poles, hegemony, Wilson intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise import metrics

# ---------------------------------------------------------------------- shares


def test_shares_docstring_example():
    assert_allclose(metrics.shares(np.array([3.0, 1.0, 0.0])), [0.75, 0.25, 0.0])


def test_shares_alive_mask_excludes_dead_states():
    caps = np.array([2.0, 1.0, 1.0])
    alive = np.array([True, False, True])
    assert_allclose(metrics.shares(caps, alive), [2 / 3, 0.0, 1 / 3])


def test_shares_nan_capability_gets_zero_share():
    assert_allclose(metrics.shares(np.array([np.nan, 1.0, 3.0])), [0.0, 0.25, 0.75])


def test_shares_nan_when_no_state_alive():
    out = metrics.shares(np.array([[1.0, 1.0], [0.0, 0.0]]))
    assert_allclose(out[0], [0.5, 0.5])
    assert np.isnan(out[1]).all()


def test_shares_sum_to_one_over_batch_axes():
    caps = np.random.default_rng(0).lognormal(size=(3, 5, 7))
    s = metrics.shares(caps)
    assert s.shape == caps.shape
    assert_allclose(s.sum(axis=-1), np.ones((3, 5)))


def test_alive_count():
    caps = np.array([[1.0, 0.0, np.nan, 2.0], [1.0, 1.0, 1.0, 1.0]])
    alive = np.array([[True, True, True, True], [True, False, True, True]])
    assert_array_equal(metrics.alive_count(caps), [2, 4])
    assert_array_equal(metrics.alive_count(caps, alive), [2, 3])


# ------------------------------------------------------------- hhi and CON


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        ([0.5, 0.5], 0.5),
        ([1.0, 0.0, 0.0], 1.0),
        ([0.25] * 4, 0.25),
        ([0.6, 0.3, 0.1], 0.36 + 0.09 + 0.01),
        ([0.5, np.nan, 0.5], 0.5),  # nan counts as 0
    ],
)
def test_hhi(share, expected):
    assert float(metrics.hhi(np.array(share))) == pytest.approx(expected)


@pytest.mark.parametrize("n", [2, 3, 4, 10])
def test_concentration_zero_for_equal_shares(n):
    assert float(metrics.concentration(np.full(n, 1.0 / n))) == pytest.approx(0.0, abs=1e-7)


@pytest.mark.parametrize("n", [2, 3, 10])
def test_concentration_one_for_monopoly(n):
    share = np.zeros(n)
    share[n - 1] = 1.0
    assert float(metrics.concentration(share, n=np.array(n))) == pytest.approx(1.0)
    assert float(metrics.concentration(share)) == 1.0  # lone state with positive share


@pytest.mark.parametrize(
    ("share", "n", "expected"),
    [
        # sum s^2 = 0.52, 1/N = 0.5: sqrt(0.02 / 0.5) = 0.2
        ([0.6, 0.4], None, 0.2),
        # sum s^2 = 0.5, N = 4 given: sqrt((0.5 - 0.25) / 0.75) = sqrt(1/3)
        ([0.5, 0.5, 0.0, 0.0], 4, math.sqrt(1 / 3)),
        # default N counts positive shares only: two equal states
        ([0.5, 0.5, 0.0, 0.0], None, 0.0),
        # sum s^2 = 0.46, N = 3: sqrt((0.46 - 1/3) / (2/3)) = sqrt(0.19)
        ([0.6, 0.3, 0.1], None, math.sqrt(0.19)),
    ],
)
def test_concentration_hand_computed(share, n, expected):
    n_arg = None if n is None else np.array(n)
    assert float(metrics.concentration(np.array(share), n_arg)) == pytest.approx(expected)


def test_concentration_nan_when_no_state():
    assert np.isnan(metrics.concentration(np.zeros(3)))
    assert np.isnan(metrics.concentration(np.array([0.5, 0.5]), n=np.array(0)))


def test_concentration_keeps_batch_axes_and_stays_in_unit_interval():
    caps = np.random.default_rng(1).lognormal(sigma=2.0, size=(4, 6, 9))
    con = metrics.concentration(metrics.shares(caps))
    assert con.shape == (4, 6)
    assert np.all((con >= 0) & (con <= 1))
    # batched result equals element-wise computation
    assert float(con[2, 3]) == pytest.approx(
        float(metrics.concentration(metrics.shares(caps[2, 3])))
    )


# ------------------------------------------------------------------- leader


def test_leader_and_leader_share():
    share = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
    assert_array_equal(metrics.leader(share), [1, 0])
    assert_allclose(metrics.leader_share(share), [0.5, 0.6])


def test_leader_ignores_nan():
    share = np.array([np.nan, 0.3, 0.7])
    assert int(metrics.leader(share)) == 2
    assert float(metrics.leader_share(share)) == pytest.approx(0.7)


def test_leader_keeps_batch_axes():
    share = metrics.shares(np.random.default_rng(2).lognormal(size=(2, 3, 5)))
    assert metrics.leader(share).shape == (2, 3)
    assert metrics.leader_share(share).shape == (2, 3)
    assert_array_equal(metrics.leader(share), share.argmax(axis=-1))


# ------------------------------------------------------------------ n_poles


@pytest.mark.parametrize(
    ("share", "threshold", "expected"),
    [
        ([0.1] * 10, 0.1, 10),
        ([0.5, 0.5], 0.1, 2),
        ([0.95, 0.05], 0.1, 1),
        ([0.4, 0.35, 0.25], 0.3, 2),
        ([0.4, 0.35, 0.25], 1.0, 0),
    ],
)
def test_n_poles(share, threshold, expected):
    assert int(metrics.n_poles(np.array(share), threshold)) == expected


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_n_poles_rejects_bad_threshold(threshold):
    with pytest.raises(ValueError, match="The 'pole_threshold' parameter must be in"):
        metrics.n_poles(np.array([0.5, 0.5]), threshold)


def test_n_poles_keeps_batch_axes():
    share = np.array([[[0.5, 0.5, 0.0]], [[0.05, 0.05, 0.9]]])
    assert_array_equal(metrics.n_poles(share), [[2], [1]])


# --------------------------------------------------------- hegemony_spells


def _spells(lead, share, threshold=0.5, duration=1):
    out = metrics.hegemony_spells(np.array(lead), np.array(share), threshold, duration)
    return int(out["onset"]), int(out["hegemon"]), int(out["steps"])


def test_hegemony_docstring_example():
    assert _spells([0, 0, 0, 0], [0.4, 0.6, 0.7, 0.8], 0.5, 2) == (2, 0, 2)


def test_hegemony_never():
    assert _spells([0, 1, 0, 1], [0.4, 0.45, 0.49, 0.3], 0.5, 1) == (-1, -1, 0)


def test_hegemony_threshold_is_inclusive():
    assert _spells([2, 2], [0.3, 0.5], 0.5, 1) == (1, 2, 1)


def test_hegemony_duration_one_starts_at_first_step_above():
    assert _spells([1, 1, 1], [0.2, 0.7, 0.3], 0.5, 1) == (1, 1, 1)


def test_hegemony_leader_change_resets_streak():
    # streaks: 1, 2, 1 (new leader), 2, 3 -> established at t = 4 by state 1
    assert _spells([0, 0, 1, 1, 1], [0.6] * 5, 0.5, 3) == (4, 1, 1)


def test_hegemony_dip_below_threshold_resets_streak():
    # streaks: 1, 2, 0, 1, 2, 3 -> established at t = 5
    assert _spells([0] * 6, [0.6, 0.6, 0.4, 0.6, 0.6, 0.6], 0.5, 3) == (5, 0, 1)


def test_hegemony_steps_count_every_established_step():
    # duration 2, streaks 1, 2, 3, 0, 1, 2: established at t = 1, 2, 5
    assert _spells([0] * 6, [0.6, 0.6, 0.6, 0.4, 0.6, 0.6], 0.5, 2) == (1, 0, 3)


def test_hegemony_streak_shorter_than_duration_is_not_hegemony():
    assert _spells([0, 0, 1, 1], [0.9] * 4, 0.5, 3) == (-1, -1, 0)


def test_hegemony_nan_share_is_below_threshold():
    assert _spells([0, 0, 0], [0.6, np.nan, 0.6], 0.5, 2) == (-1, -1, 0)


def test_hegemony_keeps_batch_axes():
    lead = np.array([[[0, 0, 0, 0]], [[0, 0, 1, 1]], [[2, 2, 2, 2]]])
    share = np.array([[[0.4, 0.6, 0.7, 0.8]], [[0.6, 0.6, 0.6, 0.6]], [[0.1, 0.2, 0.3, 0.4]]])
    out = metrics.hegemony_spells(lead, share, 0.5, 2)
    for key in ("onset", "hegemon", "steps"):
        assert out[key].shape == (3, 1)
    assert_array_equal(out["onset"][:, 0], [2, 1, -1])
    assert_array_equal(out["hegemon"][:, 0], [0, 0, -1])
    # the second series: state 0 established at t = 1, state 1 re-establishes at t = 3
    assert_array_equal(out["steps"][:, 0], [2, 2, 0])


@pytest.mark.parametrize("duration", [0, -3])
def test_hegemony_rejects_bad_duration(duration):
    with pytest.raises(ValueError, match="The 'hegemony_duration' parameter must be an int >= 1"):
        metrics.hegemony_spells(np.array([0, 0]), np.array([0.6, 0.6]), 0.5, duration)


# --------------------------------------------------------- wilson_interval


def test_wilson_zero_successes_docstring_value():
    lo, hi = metrics.wilson_interval(0, 100)
    assert float(lo) == 0.0
    assert float(hi) == pytest.approx(0.03699, abs=1e-5)


def test_wilson_half_known_value():
    # 50/100 at 95%: the textbook Wilson interval (0.4038, 0.5962)
    lo, hi = metrics.wilson_interval(50, 100)
    assert float(lo) == pytest.approx(0.4038, abs=1e-4)
    assert float(hi) == pytest.approx(0.5962, abs=1e-4)


def test_wilson_matches_formula_and_is_vectorised():
    k = np.array([0, 3, 17, 100])
    n = np.array([10, 20, 40, 100])
    z = 1.959963984540054
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    lo, hi = metrics.wilson_interval(k, n)
    assert lo.shape == hi.shape == (4,)
    assert_allclose(lo, np.clip(centre - half, 0, 1))
    assert_allclose(hi, np.clip(centre + half, 0, 1))
    assert np.all((lo <= p) & (p <= hi))
    assert float(hi[-1]) == pytest.approx(1.0)


def test_wilson_wider_for_larger_z():
    lo95, hi95 = metrics.wilson_interval(30, 100)
    lo99, hi99 = metrics.wilson_interval(30, 100, z=2.5758293035489)
    assert lo99 < lo95 < 0.3 < hi95 < hi99


# ------------------------------------------------- variation and time above a share


def test_first_difference_sd_by_hand():
    x = np.array([0.2, 0.5, 0.3, 0.6, 0.6])  # changes +.3 -.2 +.3 0
    assert metrics.first_difference_sd(x) == pytest.approx(np.std([0.3, -0.2, 0.3, 0.0], ddof=1))
    assert metrics.first_difference_sd(np.array([1.0, 2.0, 3.0])) == 0.0  # a steady trend


def test_first_difference_sd_batches_and_gaps():
    x = np.array([[0.0, 1.0, 0.0, 1.0], [0.0, np.nan, 2.0, 4.0], [1.0, np.nan, np.nan, 2.0]])
    out = metrics.first_difference_sd(x)
    assert out.shape == (3,)
    assert out[0] == pytest.approx(np.std([1, -1, 1], ddof=1))
    assert np.isnan(out[1])  # only one change (2 -> 4) without a gap
    assert np.isnan(out[2])
    assert math.isnan(metrics.first_difference_sd(np.array([0.5])))


def test_share_of_time_at_least_by_hand():
    lead = np.array([0.30, 1 / 3, 0.5, 0.49, np.nan])
    assert metrics.share_of_time_at_least(lead, 1 / 3) == 0.75  # 1/3 itself counts
    assert metrics.share_of_time_at_least(lead, 0.5) == 0.25
    batch = np.array([[0.6, 0.6], [0.1, 0.2], [np.nan, np.nan]])
    out = metrics.share_of_time_at_least(batch, 0.5)
    assert out[:2].tolist() == [1.0, 0.0] and np.isnan(out[2])
