"""Validation on the whole system: entrants, the great powers by name, the system table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equipoise.cli import main
from equipoise.cli.common import figure
from equipoise.validate import system_statistics, validate_scenario
from equipoise.validate.dyads import DANGEROUS_DYADS_TERMS, dangerous_dyads
from equipoise.validate.whole_system import great_power_mask, quantiles_with_infinities


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


def test_the_dangerous_dyads_logit_is_fitted_to_history_and_each_replication(validation):
    from equipoise.validate.dyads import historical_dyad_cells

    table = validation.dangerous_dyads.set_index("statistic")
    assert list(table.index) == list(DANGEROUS_DYADS_TERMS)
    history = dangerous_dyads(historical_dyad_cells(1816, 1870)).set_index("term")
    np.testing.assert_allclose(table["history"], history["coef"])
    np.testing.assert_allclose(table["history_se"], history["se"])
    assert table.loc["contiguous", "history"] > 0  # neighbours fight more often
    assert (table["n_replications"] <= 4).all()
    assert table["inside"].map(lambda v: v in (True, False, None)).all()
    assert "1816-1870" in table.loc["allied", "description"]


def test_quantiles_of_infinite_estimates_interpolate_as_numpy():
    finite = np.array([0.3, -1.0, 2.5, 0.0, 4.0])
    qs = [0.05, 0.5, 0.95]
    np.testing.assert_allclose(quantiles_with_infinities(finite, qs), np.quantile(finite, qs))
    values = np.array([-np.inf, -np.inf, 1.0, 2.0, np.inf])
    assert quantiles_with_infinities(values, [0.0, 0.3, 0.5, 0.75, 0.8, 1.0]).tolist() == [
        -np.inf,
        -np.inf,
        1.0,
        2.0,
        np.inf,
        np.inf,
    ]


def test_cli_prints_and_writes_the_dangerous_dyads_table(
    validation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setenv("COLUMNS", "80")
    argv = ["validate", "--system", "--to", "1870", "-r", "4", "-s", "2", "-q"]
    assert main([*argv, "-o", str(tmp_path / "v")]) == 0
    out = capsys.readouterr().out
    assert "Dangerous dyads (Bremer 1992): logit of war onset on cell counts" in out
    lines = out[out.index("Dangerous dyads") :].splitlines()
    assert max(len(line) for line in lines[:10]) <= 80
    for _, row in validation.dangerous_dyads.iterrows():
        words = next(line.split() for line in lines if line.split()[:1] == [row["statistic"]])
        assert words[1:3] == [figure(row["history"]), figure(row["history_se"])]
    written = pd.read_csv(tmp_path / "v" / "dangerous_dyads.csv")
    assert written["statistic"].tolist() == list(DANGEROUS_DYADS_TERMS)
    np.testing.assert_allclose(written["sim_pooled"], validation.dangerous_dyads["sim_pooled"])
    data = json.loads((tmp_path / "v" / "validation.json").read_text(encoding="utf-8"))
    assert [r["statistic"] for r in data["dangerous_dyads"]] == list(DANGEROUS_DYADS_TERMS)


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
