"""The engine: reproducibility across threads, chunks, workers and ranges; results; bad input."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from equipoise import InvalidScenarioError, Result, Scenario, rng, run

SMALL = Scenario(n_states=12, name="small")


def _same(a: Result, b: Result) -> None:
    da, db = a.dataset, b.dataset
    assert set(da.data_vars) == set(db.data_vars)
    for name in da.data_vars:
        assert np.array_equal(da[name].values, db[name].values), name
    assert np.array_equal(da["replication"].values, db["replication"].values)


def test_the_same_seed_gives_the_same_bits_and_another_seed_does_not():
    a = run(SMALL, 6, 40, seed=5)
    b = run(SMALL, 6, 40, seed=5)
    _same(a, b)
    c = run(SMALL, 6, 40, seed=6)
    assert not np.array_equal(a.dataset["share"].values, c.dataset["share"].values)


@pytest.mark.parametrize("chunk", [1, 3, 7])
def test_results_do_not_depend_on_chunk_size(chunk):
    _same(run(SMALL, 7, 40, seed=3), run(SMALL, 7, 40, seed=3, chunk_size=chunk))


def test_results_do_not_depend_on_threads():
    _same(run(SMALL, 8, 40, seed=3, threads=1), run(SMALL, 8, 40, seed=3, threads=2))


def test_results_do_not_depend_on_workers():
    _same(run(SMALL, 6, 30, seed=3), run(SMALL, 6, 30, seed=3, workers=2))


def test_replication_ranges_reproduce_a_whole_run():
    whole = run(SMALL, 9, 30, seed=11)
    parts = [run(SMALL, range(a, b), 30, seed=11) for a, b in ((0, 4), (4, 5), (5, 9))]
    _same(whole, Result.concat(parts))
    tail = run(SMALL, range(5, 9), 30, seed=11).dataset
    for name in ("share", "provinces", "bloc", "leader_share", "survivors", "hegemony_onset"):
        assert np.array_equal(tail[name].values, whole.dataset[name].values[5:9])
    wars = whole.wars
    assert tail["war_size"].values.tolist() == wars[wars.replication >= 5]["size"].tolist()


def test_recording_options_do_not_change_the_dynamics():
    full = run(SMALL, 4, 30, seed=2, record_map=True)
    lean = run(SMALL, 4, 30, seed=2, record_states=False)
    for name in lean.dataset.data_vars:
        assert np.array_equal(full.dataset[name].values, lean.dataset[name].values), name
    owner = full.dataset["owner"].values
    provinces = full.dataset["provinces"].values
    for r in range(4):
        for t in (0, 15, 30):
            assert np.bincount(owner[r, t], minlength=12).tolist() == provinces[r, t].tolist()


# Digest of a short trajectory. It pins the bits of the model (rules, random-number
# contract, arithmetic order): no fastmath, no machine-dependent vector maths. A change
# of the model changes it on purpose; then update it and say so in the commit.
DIGEST_SCENARIO = Scenario(
    n_states=8,
    name="digest",
    strategies={"balance_power": 0.5, "bandwagon": 0.25, "buck_pass": 0.25},
)


def _digest(result: Result) -> str:
    h = hashlib.sha256()
    for name in ("share", "provinces", "bloc", "leader_share", "war_losses", "conquests"):
        h.update(np.ascontiguousarray(result.dataset[name].values).tobytes())
    for col in ("start", "end", "participants", "battles", "size"):
        h.update(result.dataset[f"war_{col}"].values.tobytes())
    return h.hexdigest()


def test_a_short_trajectory_has_the_recorded_digest():
    result = run(DIGEST_SCENARIO, 3, 60, seed=20260101)
    again = run(DIGEST_SCENARIO, 3, 60, seed=20260101, threads=1, chunk_size=1)
    assert _digest(result) == _digest(again)
    assert _digest(result) == PINNED_DIGEST, (
        "the model's bits changed: if on purpose, update PINNED_DIGEST to " + _digest(result)
    )


PINNED_DIGEST = "7407aee8fa7b2b34a1b9f62f6799a3df6478c2b05ff828c82228932d9851ea20"


def test_provenance_records_the_contract_and_versions():
    result = run(SMALL, 2, 5, seed=9)
    prov = result.provenance
    assert prov["rng_contract"] == rng.CONTRACT_VERSION
    assert prov["model_version"] == "0.3"
    assert prov["seed"] == 9
    assert {"equipoise_version", "numba_version", "numpy_version", "python_version"} <= set(prov)


def test_the_parquet_round_trip_keeps_every_variable(tmp_path):
    result = run(SMALL, 3, 20, seed=4, record_map=True)
    back = Result.from_parquet(result.to_parquet(tmp_path / "out"))
    _same(result, back)
    assert back.provenance == result.provenance
    assert back.scenario == SMALL


def test_the_war_table_is_consistent_with_the_step_counts():
    result = run(SMALL, 5, 60, seed=8)
    wars = result.wars
    ds = result.dataset
    assert (wars["start"] >= 1).all() and (wars["end"] >= wars["start"]).all()
    assert (wars["participants"] >= 2).all()
    # battles counted per step add up to the battles of the wars
    assert wars["battles"].sum() == ds["battles"].values.sum()
    assert wars["states_destroyed"].sum() == ds["deaths"].values.sum()
    assert (
        ds["survivors"].values[:, 0] - ds["survivors"].values[:, -1]
        == ds["deaths"].values.sum(axis=1)
    ).all()
    assert (wars["relative_size"] >= 0).all()


def test_a_block_is_the_same_whatever_room_its_tables_start_with():
    # a war table that fills up reruns its replication with more room; a pact table grows in
    # the kernel and comes back on its own: the rows are those a roomy start gives
    from equipoise.engine import (
        build_map,
        initial_arrays,
        kernel_params,
        pact_rows,
        simulate_block,
        strategy_codes,
        war_rows,
    )
    from equipoise.kernel import KERNEL_MEASURES, simulate

    alliances = {"treaties": True, "pact_formation": 0.005, "alliance_threshold": 0.1}
    s = Scenario(n_states=12, alliances=alliances)
    graph = build_map(s)
    args = (simulate, kernel_params(s, 40, 9), graph, strategy_codes(s), initial_arrays(s, graph))
    reps = np.arange(4, dtype=np.int64)
    rows = {}
    for capacity in (1, 4000):
        out = simulate_block(
            *args, s, reps, 41, 12, graph.n_provinces, capacity, False, False,
            len(KERNEL_MEASURES), None,
        )  # fmt: skip
        rows[capacity] = (war_rows(out, reps), pact_rows(out, reps), out["system"])
    # both tables outgrew their room: more than one war, more than 64 pacts in a replication
    assert len(rows[1][0]) > 4 and np.bincount(rows[1][1][:, 0]).max() > 64
    for small, roomy in zip(rows[1], rows[4000], strict=True):
        np.testing.assert_array_equal(small, roomy)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": -1}, "seed must be an integer"),
        ({"seed": 2**32}, "seed must be an integer"),
        ({"steps": 0}, "steps must be a positive integer"),
        ({"replications": 0}, "replications must be a positive integer"),
        ({"replications": range(3, 3)}, "non-empty increasing range"),
        ({"chunk_size": 0}, "chunk_size must be a positive integer"),
        ({"workers": 0}, "workers must be a positive integer"),
        ({"threads": 0}, "threads must be a positive integer"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, message):
    args = {"replications": 2, "steps": 3, "seed": 1, **kwargs}
    with pytest.raises(InvalidScenarioError, match=message):
        run(SMALL, **args)


def test_a_map_smaller_than_the_system_is_refused():
    with pytest.raises(InvalidScenarioError, match="fewer provinces than the 20 states"):
        run(Scenario(n_states=20, map={"width": 3, "height": 3}), 1, 1, seed=1)


def test_summary_reports_the_headline_columns():
    row = run(SMALL, 4, 30, seed=1).summary().iloc[0]
    for col in (
        "hegemony_rate",
        "hegemony_ci_low",
        "hegemony_ci_high",
        "survivors",
        "mean_concentration",
        "wars_per_step",
        "deaths_per_state_step",
    ):
        assert np.isfinite(row[col])
    assert row["hegemony_ci_low"] <= row["hegemony_rate"] <= row["hegemony_ci_high"]


def test_concat_refuses_parts_of_different_runs():
    a = run(SMALL, range(0, 2), 10, seed=1)
    with pytest.raises(ValueError, match="results differ in seed"):
        Result.concat([a, run(SMALL, range(2, 3), 10, seed=2)])
    with pytest.raises(ValueError, match="overlap"):
        Result.concat([a, run(SMALL, range(1, 3), 10, seed=1)])
