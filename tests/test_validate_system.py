"""Validation on the whole system: entrants, the great powers by name, the system table."""

from __future__ import annotations

import numpy as np
import pytest

from equipoise.validate import system_statistics, validate_scenario
from equipoise.validate.whole_system import great_power_mask


@pytest.fixture(scope="module")
def validation():
    return validate_scenario(system=True, start=1816, end=1870, replications=4, seed=2)


def test_the_whole_system_is_simulated_with_its_entrants(validation):
    assert validation.settings["whole_system"] is True
    assert validation.settings["comparison"] == "system"
    alive = validation.inputs.alive
    assert (alive[:, 0].sum(axis=1) == 23).all()  # the COW system of 1816
    rows = validation.system.set_index("statistic")
    assert rows.loc["states_1850", "history"] == 39
    assert {"states_1850", "states_1870", "exit_rate_all", "allied_share"} <= set(rows.index)
    assert any("Whole system" in note for note in validation.notes)


def test_dyadic_onset_rates_by_contiguity_and_ratio_are_compared(validation):
    from equipoise.validate.dyads import DYAD_GROUPS, dyad_onset_rates, historical_dyad_cells

    rows = validation.system.set_index("statistic")
    history = dyad_onset_rates(historical_dyad_cells(1816, 1870)).iloc[0]
    for name in DYAD_GROUPS:
        assert rows.loc[name, "history"] == pytest.approx(history[name])
        assert "1816-1870" in rows.loc[name, "description"]
        assert np.isfinite(rows.loc[name, "sim_median"])
    # neighbours fight more often than distant states, in history as in the model
    assert (
        rows.loc["dyad_onsets_contiguous", "history"] > rows.loc["dyad_onsets_distant", "history"]
    )
    assert (
        rows.loc["dyad_onsets_contiguous", "sim_median"]
        > rows.loc["dyad_onsets_distant", "sim_median"]
    )


def test_the_great_powers_are_the_cow_majors_by_name():
    mask = great_power_mask(["UKG", "BAV", "JPN", "USA"], [1816, 1900, 1950])
    assert mask.tolist() == [
        [True, False, False, False],
        [True, False, True, True],  # Japan a major power 1895-1945
        [True, False, False, True],
    ]


def test_only_the_powers_enter_the_concentration():
    alive = np.ones((4, 3), dtype=bool)
    caps = np.array([[0.5, 0.5, 10.0]] * 4)
    wars = __import__("pandas").DataFrame({"start": [], "participants": [], "size": []})
    every = system_statistics(wars, alive, caps)
    powers = system_statistics(wars, alive, caps, powers=np.array([[True, True, False]] * 4))
    assert powers["con_mean"] == 0.0 and every["con_mean"] > 0.5


def test_entrants_are_not_at_risk_of_death_in_the_cohort_rate():
    wars = __import__("pandas").DataFrame({"start": [], "participants": [], "size": []})
    alive = np.array([[1, 0], [1, 1], [1, 0], [1, 0]], dtype=bool)  # state 1 enters and dies
    assert system_statistics(wars, alive)["state_death_rate"] == 0.0


def test_system_refuses_a_scenario_of_states_that_are_not_cow_states():
    with pytest.raises(ValueError, match="has state 'S0"):
        validate_scenario("balancers", system=True, replications=2)
