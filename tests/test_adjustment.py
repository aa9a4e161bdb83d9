"""Learned summaries and regression adjustment (equipoise.calibrate.adjustment)."""

from __future__ import annotations

import numpy as np
import pytest

from equipoise.calibrate.adjustment import SummaryProjection, adjusted_posterior


def _linear_world(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two parameters, five statistics: two informative, one a mix, two pure noise."""
    rng = np.random.default_rng(seed)
    u = rng.random((n, 2))
    s = np.column_stack(
        [
            3 * u[:, 0] + noise * rng.standard_normal(n),
            -2 * u[:, 1] + 1 + noise * rng.standard_normal(n),
            u[:, 0] + u[:, 1] + noise * rng.standard_normal(n),
            rng.standard_normal(n),
            rng.standard_normal(n),
        ]
    )
    return u, s


def test_projection_recovers_parameters_that_statistics_determine_linearly() -> None:
    u, s = _linear_world(200, 0.0, 1)
    projection = SummaryProjection.fit(u, s, ridge=0.0)
    np.testing.assert_allclose(projection(s), u, atol=1e-9)
    np.testing.assert_allclose(projection(s[3]), u[3], atol=1e-9)  # one run


def test_projection_gives_undefined_statistics_an_indicator() -> None:
    u, s = _linear_world(300, 0.1, 2)
    s[::7, 4] = np.nan  # the pure-noise statistic is sometimes undefined
    projection = SummaryProjection.fit(u, s)
    assert projection.indicated.tolist() == [False, False, False, False, True]
    out = projection(s)
    assert np.isfinite(out).all()
    # an undefined value of a statistic never seen undefined counts as its pilot mean
    row = s[1].copy()
    row[3] = np.nan
    filled = s[1].copy()
    filled[3] = projection.centre[3]
    np.testing.assert_allclose(projection(row), projection(filled))


@pytest.mark.parametrize(
    ("units", "stats", "message"),
    [
        (np.zeros((10, 2)), np.zeros((10, 5)), "too small"),
        (np.zeros((20, 2)), np.zeros((19, 5)), "one row per run"),
        (np.zeros(20), np.zeros((20, 5)), "two-dimensional"),
    ],
)
def test_projection_refuses_bad_pilots(units: np.ndarray, stats: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SummaryProjection.fit(units, stats)


def test_adjustment_removes_what_the_tolerance_lets_through() -> None:
    # s = u + N(0, 0.05^2) with a flat prior: the posterior at s = 0.5 is N(0.5, 0.05^2)
    # (far from the bounds), whose 90% interval is 2 * 1.645 * 0.05 = 0.164 wide. Keeping
    # the nearest half of the table lets through u up to about 0.25 from 0.5 whatever the
    # noise; the linear adjustment, exact here, takes that back out.
    rng = np.random.default_rng(3)
    n = 20_000
    u = rng.random((n, 1))
    s = u + 0.05 * rng.standard_normal((n, 1))
    plain = adjusted_posterior(u, s, np.array([0.5]), np.ones(1), accept=n // 2, adjust=False)
    adjusted = adjusted_posterior(u, s, np.array([0.5]), np.ones(1), accept=n // 2)
    exact = 2 * 1.6449 * 0.05
    width = np.diff(adjusted.interval(0.9), axis=0)[0, 0]
    assert abs(width - exact) < 0.1 * exact
    assert np.diff(plain.interval(0.9), axis=0)[0, 0] > 1.5 * exact
    mean = float(adjusted.units[:, 0] @ adjusted.weights)
    assert abs(mean - 0.5) < 0.01
    assert adjusted.weights.sum() == pytest.approx(1.0)
    assert (adjusted.units >= 0).all() and (adjusted.units <= 1).all()
    assert adjusted.tolerance == pytest.approx(np.sort(np.abs(s[:, 0] - 0.5))[n // 2 - 1])


def test_adjusted_values_stay_inside_the_priors_and_the_result_is_deterministic() -> None:
    u, s = _linear_world(2_000, 0.3, 4)
    projection = SummaryProjection.fit(u[:500], s[:500])
    summaries = projection(s[500:])
    observed = projection(np.array([3.0, -1.0, 2.0, 0.0, 0.0]))  # at the prior's corner
    first = adjusted_posterior(u[500:], summaries, observed, projection.spread, accept=150)
    again = adjusted_posterior(u[500:], summaries, observed, projection.spread, accept=150)
    assert (first.units >= 0).all() and (first.units <= 1).all()
    np.testing.assert_array_equal(first.units, again.units)
    np.testing.assert_array_equal(first.accepted, again.accepted)
    assert first.accepted.size == 150


def test_adjusted_posterior_refuses_bad_input() -> None:
    u, s = _linear_world(100, 0.1, 5)
    with pytest.raises(ValueError, match="accept must be between"):
        adjusted_posterior(u, s[:, :2], s[0, :2], np.ones(2), accept=3)
    with pytest.raises(ValueError, match="do not match"):
        adjusted_posterior(u, s[:, :2], s[0], np.ones(2), accept=20)
