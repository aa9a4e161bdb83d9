"""Morris screening of the calibration's statistics (equipoise.calibrate.sensitivity): what
common random numbers guarantee (a parameter the statistics cannot depend on has effects of
exactly 0), that a parameter driving a statistic is seen, that the elementary effects are
SALib's, the selection rule, that the default calibrated parameters are the selection of the
recorded analysis, and one-line errors for bad input. Every run here is tiny (30 years, a
few trajectories and replications)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import morris as salib_morris

from equipoise._paramdoc import plausible_ranges
from equipoise.calibrate import DEFAULT_PARAMETERS
from equipoise.calibrate.sensitivity import (
    SensitivityResult,
    _mu_star,
    candidate_parameters,
    elementary_effects,
    sensitivity,
)
from equipoise.experiments.designs import sample

RANKING = Path(__file__).resolve().parents[1] / "docs" / "findings-data"
#: war.attack_probability drives war onsets; hegemony.hegemony_threshold is read only by the
#: hegemony measures, which no calibration statistic uses; alliances.proximity_weight belongs
#: to the landscape rule of alliances, which the 1816 great powers do not follow.
DRIVER = "war.attack_probability"
INERT = ("hegemony.hegemony_threshold", "alliances.proximity_weight")


@pytest.fixture(scope="module")
def screened() -> SensitivityResult:
    return sensitivity(
        parameters=[DRIVER, *INERT],
        end=1845,
        trajectories=3,
        replications=4,
        seed=1,
        progress=False,
    )


def test_parameters_the_statistics_cannot_depend_on_have_exactly_zero_effects(screened):
    for name in INERT:
        rows = screened.indices[screened.indices["parameter"] == name]
        defined = rows[rows["effects"] > 0]  # a statistic no replication defines has none
        assert len(defined) >= len(rows) - 3
        assert (defined["mu_star"] == 0).all() and (defined["mu"] == 0).all(), name
    ranking = screened.ranking.set_index("parameter")
    assert (ranking.loc[list(INERT), ["aggregate", "low", "high"]] == 0).all().all()


def test_the_attack_probability_moves_war_onsets(screened):
    rows = screened.indices.set_index(["parameter", "statistic"])
    assert rows.loc[(DRIVER, "war_onset_rate"), "mu_star"] > 0
    assert rows.loc[(DRIVER, "war_onset_rate"), "scaled_mu_star"] > 0
    assert screened.ranking["parameter"].iloc[0] == DRIVER
    # the table is parameter x statistic, in ranking order
    assert list(screened.table.index) == list(screened.ranking["parameter"])
    assert screened.table.shape == (3, screened.indices["statistic"].nunique())
    assert screened.settings["simulations"] == 3 * 4 * 4


def test_elementary_effects_are_salib_s():
    problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1], [2, 6], [-1, 1]]}
    x = sample("morris", problem, 6, seed=3)
    y = 3 * x[:, 0] + x[:, 1] ** 2 - np.abs(x[:, 2])
    ours = _mu_star(elementary_effects(x, y[:, None], np.array(problem["bounds"], float)))
    theirs = salib_morris.analyze(problem, x, y, num_levels=4, seed=1)
    np.testing.assert_allclose(ours[:, 0], theirs["mu_star"], rtol=1e-12)


def test_undefined_points_leave_their_effects_out():
    x = np.array([[0.0], [1.0], [1.0], [0.0]])  # two trajectories of one parameter
    y = np.array([[1.0], [np.nan], [5.0], [2.0]])  # undefined at the second point
    effects = elementary_effects(x, y, np.array([[0.0, 1.0]]))
    assert np.isnan(effects[0, 0, 0]) and effects[1, 0, 0] == 3.0  # per unit increase
    assert _mu_star(effects)[0, 0] == 3.0


def test_selection_rule():
    aggregate = [1.0, 0.9, 0.5, 0.3, 0.26, 0.25, 0.2, 0.1, 0.05, 0.0]
    ranking = pd.DataFrame({"parameter": [f"p{i}" for i in range(10)], "aggregate": aggregate})
    result = SensitivityResult(pd.DataFrame(), ranking)
    assert result.select() == ("p0", "p1", "p2", "p3", "p4", "p5")  # >= a quarter of the top
    assert result.select(fraction=0.8) == ("p0", "p1", "p2", "p3", "p4")  # at least five
    assert len(result.select(fraction=0.0)) == 8  # at most eight


def test_default_parameters_are_the_selection_of_the_recorded_analysis():
    ranking = pd.read_csv(RANKING / "calibration-sensitivity.csv")
    chosen = SensitivityResult(pd.DataFrame(), ranking).select()
    assert tuple(p.name for p in DEFAULT_PARAMETERS) == chosen
    assert set(ranking["parameter"]) == {p.name for p in candidate_parameters()}


def test_candidates_are_the_non_structural_real_parameters_with_a_plausible_range():
    names = {p.name for p in candidate_parameters()}
    assert DRIVER in names and "power.reach" in names
    assert not names & {"power.economic_weight", "map.provinces_per_state"}  # structural
    assert "war.quiet_steps" not in names  # an integer
    assert names <= set(plausible_ranges())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parameters": ["war.no_such_thing"]}, "Unknown parameter 'war.no_such_thing'"),
        ({"parameters": ["war.quiet_steps"]}, "Unknown parameter 'war.quiet_steps'"),
        ({"trajectories": 1}, "'trajectories' parameter must be an integer >= 2"),
        ({"replications": 0}, "'replications' parameter must be an integer >= 1"),
        ({"levels": 3}, "'levels' parameter must be even"),
        ({"workers": 0}, "'workers' parameter must be an integer >= 1"),
    ],
)
def test_bad_input_is_one_line(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        sensitivity(**{"trajectories": 2, "replications": 1, "progress": False, **kwargs})
    assert "\n" not in str(info.value)


def test_parameters_of_a_mechanism_switched_off_are_not_candidates():
    from equipoise import Scenario

    off = {p.name for p in candidate_parameters()}
    on = {p.name for p in candidate_parameters(Scenario(n_states=4, alliances={"treaties": True}))}
    assert "alliances.pact_formation" not in off
    assert on - off == {
        "alliances.pact_formation",
        "alliances.pact_proximity",
        "alliances.shared_threat_factor",
        "alliances.pact_duration",
        "alliances.changed_factor",
        "alliances.power_shift",
    }
