"""The stylized facts of equipoise.validate: each statistic on small systems with known answers,
the power-law fit on synthetic Pareto samples, the comparison table, and the history side."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from equipoise.history import system_by_year
from equipoise.validate import (
    STATISTICS,
    alliance_durations,
    alliance_formation_rate,
    alliance_mean_duration,
    atop_alliance_spells,
    compare_to_history,
    concentration_statistics,
    cow_war_table,
    events_per_state_time,
    historical_inputs,
    historical_statistics,
    multiparty_share,
    replication_statistics,
    state_death_rate,
    state_deaths,
    system_statistics,
    war_onset_rate,
    war_size_sample,
    war_size_slope,
    war_size_tail,
)
from equipoise.validate.wars import MIN_TAIL_FIT

# --- war sizes: Cederman's slope ------------------------------------------------------------


def test_slope_of_an_exact_power_law():
    sizes = (20 / np.arange(1, 21)) ** (1 / 0.41)  # P(S >= s) = s^-0.41 exactly
    fit = war_size_slope(sizes)
    assert fit.slope == pytest.approx(-0.41)
    assert fit.intercept == pytest.approx(0.0, abs=1e-12)
    assert fit.r_squared == pytest.approx(1.0)
    assert fit.se == pytest.approx(0.0, abs=1e-12)
    assert fit.n == 20


def test_slope_points_are_the_empirical_ccdf_with_ties():
    sizes = np.array([1.0, 1.0, 2.0, 4.0, 4.0, 8.0])
    # P(S >= s): 1 -> 6/6, 2 -> 4/6, 4 -> 3/6, 8 -> 1/6; one point per war
    p = np.array([6, 6, 4, 3, 3, 1]) / 6
    expected = stats.linregress(np.log10(sizes), np.log10(p))
    fit = war_size_slope(sizes[::-1])  # order does not matter
    assert fit.slope == pytest.approx(expected.slope)
    assert fit.se == pytest.approx(expected.stderr)
    assert fit.r_squared == pytest.approx(expected.rvalue**2)


def test_slope_is_scale_free_and_takes_a_war_table():
    rng = np.random.default_rng(4)
    sizes = rng.pareto(0.5, 50) + 1
    a = war_size_slope(sizes)
    b = war_size_slope(pd.DataFrame({"size": sizes * 1e-6}))  # capability shares vs deaths
    assert b.slope == pytest.approx(a.slope)
    assert b.se == pytest.approx(a.se)


def test_slope_needs_three_distinct_sizes_and_positive_values():
    assert np.isnan(war_size_slope([1.0, 1.0, 2.0]).slope)
    assert war_size_slope([1.0, 1.0, 2.0]).n == 3
    for bad in ([1.0, 0.0, 2.0], [1.0, -3.0, 2.0], [1.0, np.nan, 2.0], [1.0, np.inf]):
        with pytest.raises(ValueError, match="The 'sizes' parameter must hold finite sizes > 0"):
            war_size_slope(bad)
    with pytest.raises(ValueError, match="missing: size"):
        war_size_slope(pd.DataFrame({"deaths": [1.0, 2.0, 3.0]}))


# --- war sizes: the power-law tail -----------------------------------------------------------


def _pareto(alpha: float, n: int, seed: int, xmin: float = 1.0) -> np.ndarray:
    """Continuous Pareto sample with density ~ s^-alpha above xmin."""
    return xmin * (np.random.default_rng(seed).pareto(alpha - 1, n) + 1)


@pytest.mark.parametrize(("alpha", "seed"), [(1.5, 11), (2.0, 12), (2.5, 13)])
def test_tail_recovers_the_pareto_exponent_within_its_standard_error(alpha, seed):
    fit = war_size_tail(_pareto(alpha, 3000, seed, xmin=5.0))  # x_min found by the KS distance
    assert abs(fit.alpha - alpha) <= fit.se
    assert fit.se == pytest.approx((fit.alpha - 1) / np.sqrt(fit.n_tail))
    assert fit.xmin >= 5.0  # at or above the true lower bound
    assert fit.n == 3000 and fit.n_tail >= 1000
    assert 0 < fit.ks_distance < 0.05


def test_tail_standard_error_has_its_nominal_coverage():
    """Over 400 seeded samples, alpha lies within one SE about 68% of the time, two 95%."""
    z = []
    for seed in range(400):
        fit = war_size_tail(_pareto(2.2, 100, 1000 + seed), xmin=1.0, lognormal=False)
        assert np.isnan(fit.loglik_ratio) and np.isnan(fit.p_value)
        z.append((fit.alpha - 2.2) / fit.se)
    z = np.abs(np.array(z))
    print(
        f"\nPareto alpha 2.2, n 100: within 1 SE {np.mean(z <= 1):.2f}, 2 SE {np.mean(z <= 2):.2f}"
    )
    assert 0.6 <= np.mean(z <= 1) <= 0.76  # 0.68 +- 3.5 binomial SD
    assert 0.92 <= np.mean(z <= 2) <= 0.99


def test_tail_is_scale_free():
    x = _pareto(2.0, 500, 21)
    a = war_size_tail(x, xmin=1.0)
    b = war_size_tail(x * 1e-4, xmin=1e-4)
    assert b.alpha == pytest.approx(a.alpha)
    assert b.xmin == pytest.approx(a.xmin * 1e-4)
    assert b.loglik_ratio == pytest.approx(a.loglik_ratio, abs=1e-6)


def test_tail_likelihood_ratio_against_the_lognormal():
    lognormal = np.random.default_rng(5).lognormal(0.0, 1.0, 3000)
    fit = war_size_tail(lognormal, xmin=float(lognormal.min()))
    assert fit.loglik_ratio < 0 and fit.normalized_ratio < 0  # the log-normal fits better
    assert fit.p_value < 0.01
    assert fit.n_tail == 3000
    pareto = war_size_tail(_pareto(2.5, 3000, 6), xmin=1.0)
    assert not (pareto.loglik_ratio < 0 and pareto.p_value < 0.1)  # not rejected for the log-normal


def test_tail_needs_enough_sizes():
    few = war_size_tail(np.arange(1.0, MIN_TAIL_FIT))
    assert np.isnan(few.alpha) and few.n == MIN_TAIL_FIT - 1 and few.n_tail == 0
    with pytest.raises(ValueError, match="The 'xmin' parameter"):
        war_size_tail(np.arange(1.0, 30.0), xmin=-1.0)


# --- war onsets and multiparty wars ---------------------------------------------------------


def test_war_onsets_per_state_year_by_hand():
    alive = np.ones((4, 5), dtype=bool)
    alive[2:, 4] = False  # 18 state-years
    wars = pd.DataFrame({"start": [1900, 1901, 1903, 1904, 1899], "participants": [2] * 5})
    years = np.arange(1900, 1904)
    assert war_onset_rate(wars, alive, years) == pytest.approx(3 / 18)  # 1904 and 1899 outside
    assert war_onset_rate(wars.iloc[:0], alive, years) == 0.0
    assert np.isnan(war_onset_rate(wars, np.zeros((4, 5), dtype=bool), years))
    # a window is a range of times: fractional starts count in the year they fall in
    assert events_per_state_time([1903.9, 1904.0], alive, years) == pytest.approx(1 / 18)


def test_rate_input_errors():
    alive = np.ones((3, 2), dtype=bool)
    with pytest.raises(ValueError, match="one entry per row of 'alive'"):
        events_per_state_time([0], alive, [0, 1])
    with pytest.raises(ValueError, match="must be increasing"):
        events_per_state_time([0], alive, [0, 2, 1])
    with pytest.raises(ValueError, match="matrix of booleans"):
        events_per_state_time([0], np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="booleans \\(or 0/1\\)"):
        state_death_rate(np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match="must have the column\\(s\\) start"):
        war_onset_rate(pd.DataFrame({"begin": [1]}), alive)
    with pytest.raises(ValueError, match="missing or non-numeric 'start' in row 1"):
        war_onset_rate(pd.DataFrame({"start": [1, None]}), alive)


def test_multiparty_share_by_hand():
    wars = pd.DataFrame({"participants": [2, 2, 3, 2, 26]})
    assert multiparty_share(wars) == 0.4
    assert np.isnan(multiparty_share(wars.iloc[:0]))
    with pytest.raises(ValueError, match="fewer than 2 participants in row 1"):
        multiparty_share(pd.DataFrame({"participants": [2, 1]}))


# --- state deaths ---------------------------------------------------------------------------


def test_state_deaths_by_hand():
    alive = np.array(
        [
            [1, 1, 1, 0],
            [1, 1, 0, 0],
            [1, 0, 0, 1],  # state 3 enters: at risk from here, never a death
            [1, 0, 0, 1],
        ],
        dtype=bool,
    )
    assert state_deaths(alive) == (2, 3 + 2 + 2)
    assert state_death_rate(alive) == pytest.approx(2 / 7)
    comeback = np.array([[1], [0], [1], [0]], dtype=bool)  # leaves twice
    assert state_deaths(comeback) == (2, 2)
    assert np.isnan(state_death_rate(np.ones((1, 3), dtype=bool)))  # no transition observed


# --- concentration --------------------------------------------------------------------------


def test_concentration_statistics_by_hand():
    caps = np.array(
        [
            [1.0, 1.0, 1.0, 1.0],  # CON 0, leader 1/4
            [2.0, 1.0, 1.0, np.nan],  # 3 states: leader 1/2
            [3.0, 1.0, 0.0, 0.0],  # 2 states: leader 3/4
            [1.0, 2.0, 0.0, 0.0],  # leader 2/3
        ]
    )
    con = []
    for row in caps:
        s = np.nan_to_num(row) / np.nansum(row)
        n = int((np.nan_to_num(row) > 0).sum())
        con.append(np.sqrt(((s**2).sum() - 1 / n) / (1 - 1 / n)))
    out = concentration_statistics(caps)
    assert out["con_mean"] == pytest.approx(np.mean(con))
    assert out["con_diff_sd"] == pytest.approx(np.std(np.diff(con), ddof=1))
    assert out["leader_third_share"] == 0.75
    assert out["leader_half_share"] == 0.75
    masked = concentration_statistics(caps, np.array([[True] * 4] * 3 + [[True, False] * 2]))
    # in the last row only the first state counts: alone, it has CON 1
    assert masked["con_mean"] == pytest.approx(np.mean([*con[:3], 1.0]))
    with pytest.raises(ValueError, match="negative"):
        concentration_statistics(-caps)
    with pytest.raises(ValueError, match="shape of 'capabilities'"):
        concentration_statistics(caps, np.ones((2, 2), dtype=bool))


def test_concentration_rows_without_states_are_left_out():
    caps = np.array([[1.0, 1.0], [np.nan, np.nan], [3.0, 1.0]])
    out = concentration_statistics(caps)
    assert out["con_mean"] == pytest.approx(0.25)  # rows 0 and 2: CON 0 and 0.5
    assert np.isnan(out["con_diff_sd"])  # no two consecutive rows


# --- alliances ------------------------------------------------------------------------------


def _spells() -> pd.DataFrame:
    return pd.DataFrame({"start": [0.0, 0.0, 0.0, 7.5], "end": [2.0, 4.0, np.nan, np.nan]})


def test_alliance_formation_rate_by_hand():
    alive = np.ones((8, 2), dtype=bool)  # steps 0..7, 16 state-steps
    assert alliance_formation_rate(_spells(), alive) == pytest.approx(4 / 16)
    assert alliance_formation_rate(_spells(), alive[:7]) == pytest.approx(3 / 14)


def test_alliance_durations_and_censoring():
    with pytest.raises(ValueError, match="starting after 'observed_until'"):
        alliance_durations(_spells(), observed_until=6.0)
    spells = _spells().iloc[:3]
    durations, ended = alliance_durations(spells, observed_until=6.0)
    assert durations.tolist() == [2.0, 4.0, 6.0] and ended.tolist() == [True, True, False]
    durations, ended = alliance_durations(spells, observed_until=3.0)  # the 4-year one censored
    assert durations.tolist() == [2.0, 3.0, 3.0] and ended.tolist() == [True, False, False]


def test_alliance_mean_duration_methods_by_hand():
    spells = _spells().iloc[:3]  # 2 and 4 ended, one in force after 6
    assert alliance_mean_duration(spells, 6.0) == pytest.approx((2 + 4 + 6) / 2)
    assert alliance_mean_duration(spells, 6.0, "naive") == pytest.approx(4.0)
    # Kaplan-Meier: S = 1 to 2, 2/3 to 4, 1/3 to 6: area 2 + 4/3 + 2/3
    assert alliance_mean_duration(spells, 6.0, "kaplan-meier") == pytest.approx(4.0)
    none_ended = pd.DataFrame({"start": [0.0], "end": [np.nan]})
    assert np.isnan(alliance_mean_duration(none_ended, 5.0))
    assert alliance_mean_duration(none_ended, 5.0, "kaplan-meier") == 5.0
    assert np.isnan(alliance_mean_duration(spells.iloc[:0], 5.0))


def test_kaplan_meier_without_censoring_is_the_mean():
    spells = pd.DataFrame({"start": [0.0] * 5, "end": [1.0, 2.0, 2.0, 5.0, 9.0]})
    assert alliance_mean_duration(spells, 20.0, "kaplan-meier") == pytest.approx(19 / 5)
    assert alliance_mean_duration(spells, 20.0) == pytest.approx(19 / 5)


def test_alliance_input_errors():
    with pytest.raises(ValueError, match="The 'method' parameter must be one of exponential"):
        alliance_mean_duration(_spells(), 10.0, "mean")
    with pytest.raises(ValueError, match="must have the columns start, end"):
        alliance_formation_rate(pd.DataFrame({"start": [0]}), np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="ending before it starts \\(row 0\\)"):
        alliance_mean_duration(pd.DataFrame({"start": [3.0], "end": [1.0]}), 5.0)
    with pytest.raises(ValueError, match="non-numeric end in row 0"):
        alliance_mean_duration(pd.DataFrame({"start": [3.0], "end": ["soon"]}), 5.0)
    with pytest.raises(ValueError, match="The 'observed_until' parameter"):
        alliance_mean_duration(_spells(), np.nan)


# --- one system, many replications, and the comparison --------------------------------------


def _synthetic_run(seed: int, n_rep: int = 3) -> tuple:
    rng = np.random.default_rng(seed)
    steps, states = 40, 6
    alive = np.ones((n_rep, steps, states), dtype=bool)
    for r in range(n_rep):
        for i in range(r + 1):  # replication r loses r + 1 states
            alive[r, 10 + 5 * i :, i] = False
    caps = rng.lognormal(size=(n_rep, steps, states)) * alive
    wars = pd.DataFrame(
        {
            "replication": np.repeat(np.arange(n_rep), 30),
            "start": rng.integers(0, steps, 30 * n_rep),
            "end": 0,
            "participants": rng.integers(2, 5, 30 * n_rep),
            "size": _pareto(1.6, 30 * n_rep, seed) * 1e-3,
        }
    )
    wars["end"] = wars["start"] + 1
    spells = pd.DataFrame(
        {
            "replication": np.repeat(np.arange(n_rep), 8),
            "start": np.tile(np.arange(0, 40, 5), n_rep).astype(float),
            "end": np.tile([3.0, 9.0, np.nan, 22.0, np.nan, 31.0, 39.0, np.nan], n_rep),
        }
    )
    return wars, alive, caps, spells


def test_system_statistics_match_the_single_functions():
    wars, alive, caps, spells = _synthetic_run(7)
    w0, s0 = wars[wars["replication"] == 0], spells[spells["replication"] == 0]
    out = system_statistics(w0, alive[0], caps[0], s0)
    assert list(out) == list(STATISTICS)
    assert out["war_size_slope"] == war_size_slope(w0["size"]).slope
    assert out["war_size_alpha"] == war_size_tail(w0["size"]).alpha
    assert out["war_onset_rate"] == pytest.approx(30 / alive[0].sum())
    assert out["multiparty_war_share"] == multiparty_share(w0)
    assert out["state_death_rate"] == pytest.approx(1 / (39 * 6 - 29))  # rows 0-38 at risk
    for key, value in concentration_statistics(caps[0], alive[0]).items():
        assert out[key] == value
    assert out["alliance_formation_rate"] == pytest.approx(8 / alive[0].sum())
    # formed at 0, 5, ..., 35; ended after 3, 4, 7, 6, 9 steps; in force after 30, 20, 5
    assert out["alliance_mean_duration"] == pytest.approx((3 + 4 + 7 + 6 + 9 + 30 + 20 + 5) / 5)
    empty = system_statistics(w0, alive[0])
    assert np.isnan(empty["con_mean"]) and np.isnan(empty["alliance_mean_duration"])


def test_system_statistics_window_leaves_out_a_burn_in():
    wars, alive, caps, spells = _synthetic_run(8)
    w0, s0 = wars[wars["replication"] == 0], spells[spells["replication"] == 0]
    late = np.arange(20, 40)
    out = system_statistics(w0, alive[0][20:], caps[0][20:], s0, times=late)
    kept = w0[w0["start"] >= 20]
    assert out["war_onset_rate"] == pytest.approx(len(kept) / alive[0][20:].sum())
    assert out["war_size_slope"] == pytest.approx(war_size_slope(kept["size"]).slope)
    assert out["alliance_formation_rate"] == pytest.approx(4 / alive[0][20:].sum())


def test_replication_statistics_is_system_statistics_per_replication():
    wars, alive, caps, spells = _synthetic_run(9)
    table = replication_statistics(wars, alive, caps, spells, progress=True)
    assert table.index.name == "replication" and len(table) == 3
    assert list(table.columns) == list(STATISTICS)
    for r in range(3):
        one = system_statistics(
            wars[wars["replication"] == r], alive[r], caps[r], spells[spells["replication"] == r]
        )
        assert table.loc[r].to_dict() == pytest.approx(one, nan_ok=True)
    assert table["state_death_rate"].is_monotonic_increasing  # replication r loses r + 1 states
    quiet = replication_statistics(wars[wars["replication"] != 1], alive, caps)
    assert quiet.loc[1, "war_onset_rate"] == 0.0 and np.isnan(quiet.loc[1, "war_size_alpha"])


def test_replication_statistics_errors():
    wars, alive, caps, _ = _synthetic_run(10)
    with pytest.raises(ValueError, match="replications x time x states"):
        replication_statistics(wars, alive[0])
    with pytest.raises(ValueError, match="'wars' table must have a 'replication' column"):
        replication_statistics(wars.drop(columns="replication"), alive)
    bad = wars.copy()
    bad.loc[5, "replication"] = 3
    with pytest.raises(ValueError, match="replication 3 in row 5; 'alive' has replications 0 to 2"):
        replication_statistics(bad, alive)
    with pytest.raises(ValueError, match="shape of 'alive'"):
        replication_statistics(wars, alive, caps[:, :5])


def test_compare_to_history_by_hand():
    simulated = pd.DataFrame(
        {
            "war_onset_rate": np.arange(1, 101) / 1000,  # 0.001 ... 0.100
            "con_mean": [np.nan] * 50 + list(np.linspace(0.2, 0.4, 50)),
        }
    )
    history = {"war_onset_rate": 0.0067, "con_mean": 0.45, "alliance_formation_rate": 0.05}
    table = compare_to_history(history, simulated).set_index("statistic")
    row = table.loc["war_onset_rate"]
    assert row["sim_median"] == pytest.approx(0.0505)
    assert row["sim_low"] == pytest.approx(np.quantile(simulated["war_onset_rate"], 0.05))
    assert row["sim_high"] == pytest.approx(np.quantile(simulated["war_onset_rate"], 0.95))
    assert row["inside"] == True  # noqa: E712  0.0067 >= 0.00595
    assert table.loc["con_mean", "n_replications"] == 50
    assert table.loc["con_mean", "inside"] == False  # noqa: E712
    assert pd.isna(table.loc["alliance_formation_rate", "inside"])  # not simulated
    assert table.loc["alliance_formation_rate", "n_replications"] == 0
    assert table.loc["war_onset_rate", "description"] == STATISTICS["war_onset_rate"]
    assert table.attrs["level"] == 0.9
    wide = compare_to_history(history, simulated, level=0.99).set_index("statistic")
    assert wide.loc["con_mean", "sim_high"] > table.loc["con_mean", "sim_high"]


def test_compare_to_history_errors():
    simulated = pd.DataFrame({"war_onset_rate": [0.01, 0.02]})
    with pytest.raises(ValueError, match="no historical value: war_onset_rate"):
        compare_to_history({"con_mean": 0.3}, simulated)
    with pytest.raises(ValueError, match="'history' value of 'con_mean' is not a number"):
        compare_to_history({"con_mean": "high", "war_onset_rate": 0.01}, simulated)
    with pytest.raises(ValueError, match="The 'level' parameter"):
        compare_to_history({"war_onset_rate": 0.01}, simulated, level=90)
    with pytest.raises(ValueError, match="must be a DataFrame"):
        compare_to_history({"war_onset_rate": 0.01}, simulated["war_onset_rate"])
    with pytest.raises(ValueError, match="column 'war_onset_rate' is not numeric"):
        compare_to_history({"war_onset_rate": 0.01}, pd.DataFrame({"war_onset_rate": ["a"]}))


def test_compare_to_history_end_to_end_on_a_synthetic_run():
    wars, alive, caps, spells = _synthetic_run(11, n_rep=4)
    simulated = replication_statistics(wars, alive, caps, spells)
    history = simulated.median()  # a "history" at the centre of the simulations: inside
    table = compare_to_history(history, simulated)
    assert table["statistic"].tolist() == list(STATISTICS)
    assert (table["n_replications"] == 4).all()
    assert table["inside"].all()
    assert_allclose(table["sim_median"], history.to_numpy())
    lowest = compare_to_history(simulated.min(), simulated)  # below the 5% quantile...
    unique_min = ((simulated == simulated.min()).sum() == 1).to_numpy()  # ...if not tied
    assert unique_min.sum() >= 5
    assert not lowest["inside"][unique_min].any()


# --- the history side -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def history() -> pd.Series:
    return historical_statistics()


def test_cow_war_table():
    w = cow_war_table()
    assert len(w) == 95 and w["war_num"].is_unique
    assert (w["participants"] >= 2).all() and (w["size"] > 0).all()
    ww1 = w.set_index("war_num").loc[106]
    assert ww1["name"] == "World War I" and (ww1["start"], ww1["end"]) == (1914, 1918)
    assert {200, 220, 255, 300, 365} <= set(ww1["ccodes"])
    assert w["missing_deaths"].sum() == 1  # one participant of one war has unknown deaths
    cederman = w[(w["start"] >= 1820) & (w["start"] <= 1997)]
    assert len(cederman) == 90


def test_atop_alliance_spells():
    spells = atop_alliance_spells()
    assert len(spells) == 789 and spells["atopid"].is_unique
    in_force = spells["end"].isna()
    assert in_force.sum() == 372  # ATOP's ineffect = 1 on 31 December 2018
    assert spells["endyr"].isna().sum() == 372
    assert (spells.loc[~in_force, "end"] >= spells.loc[~in_force, "start"]).all()
    assert (np.floor(spells["start"]) == spells["begyr"]).all()
    dual = spells.set_index("atopid").loc[1335]  # Dual Alliance, 7 October 1879
    assert dual["founders"] == (255, 300)
    assert dual["start"] == pytest.approx(1879 + (273 + 6) / 365)


def test_historical_inputs_cohorts():
    h = historical_inputs(1816, 2016)
    assert h.alive.shape == (201, len(h.codes)) and h.alive.sum() == 15951  # system2016 rows
    assert len(h.cohort_codes) == 23  # the members of 1816
    # death is absorbing in the cohort: Germany leaves in 1945 and never returns
    gmy = list(h.cohort_codes).index(255)
    assert h.cohort_alive[1945 - 1816, gmy] and not h.cohort_alive[1946 - 1816 :, gmy].any()
    assert h.alive[1991 - 1816 :, list(h.codes).index(255)].all()  # the system has it back
    major = historical_inputs(1816, 1914, cohort="major")
    assert major.cohort_codes.tolist() == [200, 220, 255, 300, 365]
    assert major.cohort_alive.all()  # no great power of 1816 died before 1914
    listed = historical_inputs(1816, 1900, cohort=[255, 267])  # Prussia and Baden
    assert state_deaths(listed.cohort_alive) == (1, 84 + 56)  # Prussia 1816-99, Baden 1816-71


def test_historical_inputs_cohort_population():
    h = historical_inputs(1816, 2016, cohort="major", population="cohort")
    assert (h.wars["participants"] >= 2).all()
    assert all(set(c) <= {200, 220, 255, 300, 365} for c in h.wars["ccodes"])
    crimean = h.wars.set_index("war_num").loc[22]  # UKG and FRN against RUS, 1853
    assert crimean["participants"] == 3
    assert all(len(set(f) & {200, 220, 255, 300, 365}) >= 2 for f in h.alliances["founders"])


def test_historical_inputs_errors():
    with pytest.raises(ValueError, match="The 'start' parameter must be a year in 1816-2016"):
        historical_inputs(1800, 1900)
    with pytest.raises(ValueError, match="The 'end' parameter must be a year in 1816-2016"):
        historical_inputs(1816, 2020)
    with pytest.raises(ValueError, match="The 'end' parameter must be after 'start' \\(1900\\)"):
        historical_inputs(1900, 1900)
    with pytest.raises(ValueError, match="COW code 20, which is not a system member in 1816"):
        historical_inputs(1816, 1900, cohort=[255, 20])  # Canada enters in 1920
    with pytest.raises(ValueError, match="The 'cohort' parameter must be 'all', 'major'"):
        historical_inputs(1816, 1900, cohort="great")
    with pytest.raises(ValueError, match="The 'population' parameter"):
        historical_inputs(1816, 1900, population="world")
    with pytest.raises(ValueError, match="The 'size_window' parameter"):
        historical_statistics(size_window=(1997, 1820))


def test_historical_statistics_real_values(history):
    a = history.attrs
    slope, tail = a["war_size_slope_fit"], a["war_size_tail_fit"]
    lines = [
        f"war sizes {a['windows']['war_size']}: Cederman slope {slope['slope']:.3f} "
        f"(se {slope['se']:.4f}, R2 {slope['r_squared']:.3f}, {slope['n']} wars)",
        f"  power law: alpha {tail['alpha']:.3f} +- {tail['se']:.3f}, x_min {tail['xmin']:,.0f} "
        f"({tail['n_tail']} wars in the tail, KS D {tail['ks_distance']:.3f}); vs log-normal "
        f"R {tail['loglik_ratio']:.3f} (normalised {tail['normalized_ratio']:.3f}), "
        f"p {tail['p_value']:.3f}",
    ]
    lines += [f"{name:24s} {value:.5g}" for name, value in history.items()]
    lines.append(f"counts {a['counts']}")
    lines.append(f"windows {a['windows']}")
    print("\nHistorical statistics (COW, ATOP):\n" + "\n".join(lines))
    assert list(history.index) == list(STATISTICS)
    assert slope["n"] == 90 and slope["slope"] == pytest.approx(-0.435, abs=0.005)  # ~ -0.43
    assert history["war_size_slope"] == slope["slope"]
    assert history["war_size_alpha"] == tail["alpha"] and 1 < tail["alpha"] < 3
    assert 0 < tail["se"] < 0.2 and tail["xmin"] >= 1000 and tail["n_tail"] <= 90
    assert 0 <= tail["p_value"] <= 1
    c = a["counts"]
    assert history["war_onset_rate"] == pytest.approx(c["wars_begun"] / c["war_state_years"])
    assert c["wars_begun"] == 95 and a["windows"]["war_onsets"] == (1816, 2007)
    assert history["multiparty_war_share"] == pytest.approx(c["multiparty_wars"] / 95)
    assert (c["cohort_states"], c["state_deaths"]) == (23, 14)
    assert history["state_death_rate"] == pytest.approx(14 / c["cohort_state_years_at_risk"])
    assert 0 < history["con_mean"] < 1 and 0 < history["con_diff_sd"] < 0.1
    assert 0 <= history["leader_half_share"] <= history["leader_third_share"] <= 1
    assert history["alliance_formation_rate"] == pytest.approx(
        c["alliances_formed"] / c["alliance_state_years"]
    )
    assert 10 < history["alliance_mean_duration"] < 100
    assert a["settings"]["cohort"] == "all" and a["settings"]["duration_method"] == "exponential"


def test_historical_concentration_is_system_by_year(history):
    """The same metrics: CON among the majors equals system_by_year(members="major")."""
    table = system_by_year(1816, 2016, members="major")
    assert history["con_mean"] == pytest.approx(table["concentration"].mean())
    assert history["con_diff_sd"] == pytest.approx(table["concentration"].diff().std())
    assert history["leader_third_share"] == pytest.approx((table["leader_share"] >= 1 / 3).mean())
    assert history["leader_half_share"] == pytest.approx((table["leader_share"] >= 1 / 2).mean())


def test_war_size_sample_is_the_sample_history_fits():
    sample = war_size_sample(1816, 1914)
    every = cow_war_table()
    expected = every[(every["start"] >= 1820) & (every["start"] <= 1914)]
    pd.testing.assert_frame_equal(sample, expected)
    h = historical_statistics(1816, 1914)
    assert h.attrs["counts"]["size_wars"] == len(sample)
    assert h.attrs["war_size_slope_fit"] == war_size_slope(sample["size"]).as_dict()
    assert h["war_size_alpha"] == war_size_tail(sample["size"]).alpha
    # the window is cut by the comparison's years, and can be given
    assert war_size_sample(1900, 1950)["start"].between(1900, 1950).all()
    narrow = war_size_sample(1816, 2016, (1850, 1860))
    pd.testing.assert_frame_equal(narrow, every[every["start"].between(1850, 1860)])
    assert len(narrow) == 7  # La Plata (1851) to the Neapolitan war (1860)
    with pytest.raises(ValueError, match="'size_window' parameter must be two years"):
        war_size_sample(1816, 2016, (1900, 1800))


def test_historical_statistics_options():
    major = historical_statistics(cohort="major")
    assert major.attrs["counts"]["state_deaths"] == 3  # Austria-Hungary, France, Germany
    assert major.attrs["counts"]["cohort_states"] == 5
    before_1914 = historical_statistics(1816, 1914, cohort="major")
    assert before_1914["state_death_rate"] == 0.0
    assert before_1914.attrs["windows"]["war_size"] == (1820, 1914)
    cohort = historical_statistics(cohort="major", population="cohort")
    assert cohort.attrs["counts"]["war_state_years"] < 1000
    assert cohort["war_onset_rate"] != major["war_onset_rate"]
    assert cohort["war_size_slope"] == major["war_size_slope"]  # sizes: every COW war
    km = historical_statistics(duration_method="kaplan-meier")
    naive = historical_statistics(duration_method="naive")
    assert naive["alliance_mean_duration"] <= km["alliance_mean_duration"]
    inputs = historical_inputs(1900, 1950)
    reused = historical_statistics(inputs=inputs)
    assert reused.attrs["settings"]["start"] == 1900
    assert_allclose(reused.to_numpy(), historical_statistics(1900, 1950).to_numpy())
