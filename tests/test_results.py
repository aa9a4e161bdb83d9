"""Results: provenance, summary, and the tidy Parquet round trip."""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import equipoise
from equipoise import Result, Scenario, run
from equipoise.metrics import wilson_interval
from equipoise.results import SYSTEM_MEASURES, WAR_COLUMNS

R, STEPS, SEED = 6, 30, 314


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Scenario.load("mixed").replace(
        name="results-test", n_states=7, war={"attack_probability": 0.25}
    )


@pytest.fixture(scope="module")
def result(scenario: Scenario) -> Result:
    return run(scenario, replications=R, steps=STEPS, seed=SEED)


@pytest.fixture(scope="module")
def explicit() -> Scenario:
    return Scenario(
        name="explicit",
        states=[
            {"name": "Prussia", "economy": 2.0, "military": 1.0, "x": 0.0, "y": 0.0},
            {"name": "Austria", "economy": 1.5, "military": 1.0, "x": 0.3, "y": 0.1},
            {
                "name": "Russia",
                "economy": 3.0,
                "military": 2.0,
                "x": 1.0,
                "y": 0.2,
                "strategy": "bandwagon",
                "arming_share": 0.2,
            },
        ],
        war={"attack_probability": 0.3},
    )


def tmp_leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.endswith((".tmp", ".old")))


def test_result_is_not_trivial(result: Result) -> None:
    ds = result.dataset
    assert ds.sizes["war"] > 0
    assert set(ds.dims) == {"replication", "step", "state", "war"}
    assert {"share", "provinces", "bloc"} <= set(ds.data_vars)
    assert list(ds["state"].values) == [f"S{i}" for i in range(7)]


# -------------------------------------------------------------- provenance
def test_provenance(result: Result, scenario: Scenario) -> None:
    prov = result.provenance
    assert prov["scenario_name"] == "results-test"
    assert prov["scenario_hash"] == scenario.content_hash()
    assert prov["seed"] == SEED
    assert prov["model_version"] == "0.3"
    assert prov["rng_contract"] == equipoise.rng.CONTRACT_VERSION
    assert prov["replications"] == R
    assert prov["steps"] == STEPS
    assert prov["equipoise_version"] == equipoise.__version__
    assert prov["numpy_version"] == np.__version__
    assert prov["python_version"] == platform.python_version()
    assert result.dataset.attrs["scenario"] == scenario.to_toml()


def test_result_scenario_equals_input(result: Result, scenario: Scenario) -> None:
    assert result.scenario == scenario
    assert result.scenario.content_hash() == result.provenance["scenario_hash"]


def test_result_scenario_with_explicit_states(explicit: Scenario) -> None:
    res = run(explicit, replications=2, steps=5, seed=1)
    assert res.scenario == explicit
    assert list(res.dataset["state"].values) == ["Prussia", "Austria", "Russia"]


# ------------------------------------------------------------------ summary
SUMMARY_COLUMNS = [
    "replications",
    "steps",
    "hegemony_rate",
    "hegemony_ci_low",
    "hegemony_ci_high",
    "time_to_hegemony",
    "survivors",
    "mean_concentration",
    "final_leader_share",
    "wars_per_step",
    "deaths_per_state_step",
]


@pytest.mark.parametrize("name", ["balancers", "bandwagoners"])
def test_summary_columns_and_values(name: str) -> None:
    res = run(name, replications=40, steps=120, seed=5, record_states=False)
    summary = res.summary()
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert list(summary.index) == [name]
    assert summary.index.name == "scenario"
    row = summary.iloc[0]
    ds = res.dataset
    onset = ds["hegemony_onset"].values
    assert row["replications"] == 40
    assert row["steps"] == 120
    assert row["hegemony_rate"] == pytest.approx(np.mean(onset >= 0))
    assert row["hegemony_ci_low"] <= row["hegemony_rate"] <= row["hegemony_ci_high"]
    lo, hi = wilson_interval(int((onset >= 0).sum()), 40)
    assert (row["hegemony_ci_low"], row["hegemony_ci_high"]) == pytest.approx((lo, hi))
    if (onset >= 0).any():
        assert row["time_to_hegemony"] == np.median(onset[onset >= 0])
    else:
        assert np.isnan(row["time_to_hegemony"])
    assert row["survivors"] == pytest.approx(ds["survivors"].values[:, -1].mean())
    assert 1 <= row["survivors"] <= 50
    assert 0 <= row["mean_concentration"] <= 1
    assert row["final_leader_share"] == pytest.approx(ds["leader_share"].values[:, -1].mean())
    assert row["wars_per_step"] == pytest.approx(ds["war_onsets"].values[:, 1:].mean())
    alive = ds["survivors"].values[:, :-1].sum()
    assert row["deaths_per_state_step"] == pytest.approx(ds["deaths"].values.sum() / alive)


def test_summary_when_some_runs_reach_hegemony() -> None:
    # a small null world reaches hegemony in some runs but not all (checked below):
    # the rate, its onset and the interval are then all informative
    small = Scenario(n_states=6, name="small-null", strategies={"none": 1.0})
    res = run(small, replications=40, steps=200, seed=5, record_states=False)
    row = res.summary().iloc[0]
    onset = res.dataset["hegemony_onset"].values
    assert 0 < row["hegemony_rate"] < 1
    assert row["hegemony_ci_low"] < row["hegemony_rate"] < row["hegemony_ci_high"]
    assert row["time_to_hegemony"] == np.median(onset[onset >= 0])
    hegemons = res.dataset["hegemon"].values
    assert ((onset >= 0) == (hegemons >= 0)).all()


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (10, 10), (1, 1), (57, 200)])
def test_wilson_interval_contains_the_rate(k: int, n: int) -> None:
    lo, hi = wilson_interval(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


# ------------------------------------------------------------------ Parquet
def test_parquet_round_trip_is_identical(result: Result, tmp_path: Path) -> None:
    out = result.to_parquet(tmp_path / "out")
    assert out == tmp_path / "out"
    back = Result.from_parquet(out)
    assert back.dataset.identical(result.dataset)
    assert back.dataset.attrs == result.dataset.attrs
    assert back.provenance == result.provenance
    assert back.scenario == result.scenario
    for name, var in result.dataset.variables.items():
        assert back.dataset[name].dtype == var.dtype, name
    assert (out / "scenario.toml").read_text(encoding="utf-8") == result.dataset.attrs["scenario"]
    assert tmp_leftovers(tmp_path) == []


def test_parquet_round_trip_without_states(scenario: Scenario, tmp_path: Path) -> None:
    lean = run(scenario, replications=3, steps=10, seed=1, record_states=False)
    lean.to_parquet(tmp_path / "lean")
    assert not (tmp_path / "lean" / "states.parquet").exists()
    assert Result.from_parquet(tmp_path / "lean").dataset.identical(lean.dataset)


def test_parquet_round_trip_without_wars(scenario: Scenario, tmp_path: Path) -> None:
    calm = run(scenario.replace(war={"enabled": False}), replications=3, steps=10, seed=1)
    assert calm.dataset.sizes["war"] == 0
    calm.to_parquet(tmp_path / "calm")
    assert Result.from_parquet(tmp_path / "calm").dataset.identical(calm.dataset)


def test_parquet_round_trip_with_explicit_states(explicit: Scenario, tmp_path: Path) -> None:
    res = run(explicit, replications=3, steps=15, seed=2)
    res.to_parquet(tmp_path / "explicit")
    back = Result.from_parquet(tmp_path / "explicit")
    assert back.dataset.identical(res.dataset)
    assert back.scenario == explicit


def test_parquet_tables_are_tidy(result: Result, tmp_path: Path) -> None:
    out = result.to_parquet(tmp_path / "tidy")
    ds = result.dataset
    r, t, n = ds.sizes["replication"], ds.sizes["step"], ds.sizes["state"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".equipoise-files.json",
        "provenance.json",
        "replications.parquet",
        "scenario.toml",
        "states.parquet",
        "system.parquet",
        "wars.parquet",
    ]

    system = pq.read_table(out / "system.parquet").to_pandas()
    assert list(system.columns[:2]) == ["replication", "step"]
    assert list(system.columns[2:]) == list(SYSTEM_MEASURES)
    assert len(system) == r * t
    assert not system.duplicated(["replication", "step"]).any()
    row = system[(system["replication"] == 2) & (system["step"] == 17)].iloc[0]
    assert row["leader_share"] == ds["leader_share"].values[2, 17]
    assert row["survivors"] == ds["survivors"].values[2, 17]

    states = pq.read_table(out / "states.parquet").to_pandas()
    assert list(states.columns) == ["replication", "step", "state", "share", "provinces", "bloc"]
    assert len(states) == r * t * n
    assert not states.duplicated(["replication", "step", "state"]).any()
    assert set(states["state"].astype(str)) == set(ds["state"].values)
    wide = states.pivot_table(
        index=["replication", "step"], columns="state", values="share", observed=True
    )
    np.testing.assert_array_equal(
        wide[list(ds["state"].values)].to_numpy().reshape(r, t, n), ds["share"].values
    )

    reps = pq.read_table(out / "replications.parquet").to_pandas()
    assert list(reps.columns) == ["replication", "hegemony_onset", "hegemon", "hegemony_steps"]
    assert len(reps) == r
    np.testing.assert_array_equal(reps["hegemony_onset"], ds["hegemony_onset"].values)

    wars = pq.read_table(out / "wars.parquet").to_pandas()
    assert list(wars.columns) == list(WAR_COLUMNS)
    assert len(wars) == ds.sizes["war"]
    pd.testing.assert_frame_equal(wars, result.wars[list(WAR_COLUMNS)])
    assert (wars["initiator"] != wars["target"]).all()
    assert (wars["start"] >= 1).all()
    order = wars[["replication", "war"]].to_records(index=False).tolist()
    assert order == sorted(order)
    starts = wars.groupby("replication")["start"].apply(lambda s: s.is_monotonic_increasing)
    assert starts.all()


def test_parquet_tables_carry_provenance(result: Result, tmp_path: Path) -> None:
    out = result.to_parquet(tmp_path / "meta")
    for name in ("system", "states", "replications", "wars"):
        meta = pq.read_schema(out / f"{name}.parquet").metadata
        assert json.loads(meta[b"equipoise"]) == result.provenance
    saved = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert saved["scenario_hash"] == result.provenance["scenario_hash"]
    assert saved["states"] == list(result.dataset["state"].values)


def test_to_parquet_into_an_empty_directory(result: Result, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result.to_parquet(tmp_path / "empty")
    assert Result.from_parquet(tmp_path / "empty").dataset.identical(result.dataset)
    assert tmp_leftovers(tmp_path) == []


def test_to_parquet_refuses_a_foreign_directory(result: Result, tmp_path: Path) -> None:
    target = tmp_path / "thesis"
    target.mkdir()
    (target / "chapter1.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not an equipoise output"):
        result.to_parquet(target)
    assert [p.name for p in target.iterdir()] == ["chapter1.tex"]
    assert (target / "chapter1.tex").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_to_parquet_refuses_a_file(result: Result, tmp_path: Path) -> None:
    target = tmp_path / "results"
    target.write_text("not a directory", encoding="utf-8")
    with pytest.raises(FileExistsError):
        result.to_parquet(target)
    assert target.read_text(encoding="utf-8") == "not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]


def test_to_parquet_replaces_an_earlier_result(
    result: Result, scenario: Scenario, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    result.to_parquet(target)
    newer = run(scenario, replications=2, steps=8, seed=7, record_states=False)
    newer.to_parquet(target)
    back = Result.from_parquet(target)
    assert back.dataset.identical(newer.dataset)
    assert not (target / "states.parquet").exists(), "stale table of the earlier result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_from_parquet_rejects_a_non_result(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not an equipoise result directory"):
        Result.from_parquet(tmp_path)


def test_failed_write_leaves_no_trace(result: Result, tmp_path: Path) -> None:
    # the scenario attribute is needed only inside the atomic block, after the
    # Parquet tables have been written to the temporary directory
    ds = result.dataset.copy()
    del ds.attrs["scenario"]
    broken = Result(ds)
    with pytest.raises(KeyError, match="scenario"):
        broken.to_parquet(tmp_path / "new")
    assert list(tmp_path.iterdir()) == []

    result.to_parquet(tmp_path / "earlier")
    with pytest.raises(KeyError, match="scenario"):
        broken.to_parquet(tmp_path / "earlier")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["earlier"]
    assert Result.from_parquet(tmp_path / "earlier").dataset.identical(result.dataset)


def test_repr_names_the_run(result: Result) -> None:
    text = repr(result)
    assert "results-test" in text and f"replications={R}" in text and f"seed={SEED}" in text
