"""The engine: reproducibility, independence of replications, argument checking."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from equipoise import InvalidScenarioError, Result, Scenario, run
from equipoise.engine import iterate, replication_seeds, resolve_seed

R = 12
STEPS = 40
SEED = 20240607


@pytest.fixture(scope="module")
def mixed() -> Scenario:
    # A small mixed population with frequent wars, so that eliminations, war
    # tables and alliances all take part in the comparisons.
    return Scenario.load("mixed").replace(n_states=10, war={"war_propensity": 0.2})


@pytest.fixture(scope="module")
def reference(mixed: Scenario) -> Result:
    return run(mixed, replications=R, steps=STEPS, seed=SEED)


def test_reference_run_is_not_trivial(reference: Result) -> None:
    ds = reference.dataset
    assert ds.sizes == {"replication": R, "step": STEPS + 1, "state": 10, "war": ds.sizes["war"]}
    assert ds.sizes["war"] > 0
    assert (ds["survivors"].values[:, -1] < 10).any()
    assert (ds["alliances"].values > 0).any()


@pytest.mark.parametrize("chunk_size", [1, 3, 7, R])
def test_chunking_does_not_change_results(
    mixed: Scenario, reference: Result, chunk_size: int
) -> None:
    chunked = run(mixed, replications=R, steps=STEPS, seed=SEED, chunk_size=chunk_size)
    assert chunked.dataset.identical(reference.dataset)


def test_chunk_larger_than_the_run(mixed: Scenario, reference: Result) -> None:
    big = run(mixed, replications=R, steps=STEPS, seed=SEED, chunk_size=10 * R)
    assert big.dataset.identical(reference.dataset)


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**40 + 3])
@pytest.mark.parametrize("replications", [1, 5, 17])
def test_replication_seeds_match_spawn(seed: int, replications: int) -> None:
    ours = replication_seeds(seed, replications)
    theirs = np.random.SeedSequence(seed).spawn(replications)
    assert len(ours) == len(theirs) == replications
    for a, b in zip(ours, theirs, strict=True):
        assert a.entropy == b.entropy
        assert a.spawn_key == b.spawn_key
        np.testing.assert_array_equal(a.generate_state(8), b.generate_state(8))


def test_replication_seeds_of_a_subset_match_spawn() -> None:
    children = np.random.SeedSequence(7).spawn(10)
    subset = replication_seeds(7, range(4, 9))
    for a, b in zip(subset, children[4:9], strict=True):
        np.testing.assert_array_equal(a.generate_state(4), b.generate_state(4))


def test_replication_seeds_from_a_seed_sequence() -> None:
    root = np.random.SeedSequence(99)
    ours = replication_seeds(root, 3)
    theirs = np.random.SeedSequence(99).spawn(3)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a.generate_state(4), b.generate_state(4))


def test_iterate_replications_use_their_own_child_seed(mixed: Scenario) -> None:
    batch = list(iterate(mixed, 4, 10, SEED))
    for i in range(4):
        alone = list(iterate(mixed, range(i, i + 1), 10, SEED))
        for a, b in zip(batch, alone, strict=True):
            np.testing.assert_array_equal(a.economy[i], b.economy[0])
            np.testing.assert_array_equal(a.alliances[i], b.alliances[0])


def test_same_seed_gives_identical_results(mixed: Scenario, reference: Result) -> None:
    again = run(mixed, replications=R, steps=STEPS, seed=SEED)
    assert again.dataset.identical(reference.dataset)


def test_different_seeds_give_different_results(mixed: Scenario, reference: Result) -> None:
    other = run(mixed, replications=R, steps=STEPS, seed=SEED + 1)
    assert not other.dataset.identical(reference.dataset)
    assert not np.array_equal(other.dataset["share"].values, reference.dataset["share"].values)
    assert other.provenance["seed"] != reference.provenance["seed"]


def test_seed_sequence_equals_its_integer(mixed: Scenario, reference: Result) -> None:
    ss = run(mixed, replications=R, steps=STEPS, seed=np.random.SeedSequence(SEED))
    assert ss.dataset.identical(reference.dataset)
    as_numpy = run(mixed, replications=R, steps=STEPS, seed=np.int64(SEED))
    assert as_numpy.dataset.identical(reference.dataset)


def test_replications_do_not_depend_on_how_many_are_run(mixed: Scenario) -> None:
    many = run(mixed, replications=20, steps=STEPS, seed=SEED)
    few = run(mixed, replications=5, steps=STEPS, seed=SEED)
    head = many.dataset.isel(replication=slice(0, 5))
    for name, var in few.dataset.data_vars.items():
        if "war" in var.dims:
            continue
        np.testing.assert_array_equal(var.values, head[name].values, err_msg=name)
    wars_many = many.wars
    wars_head = wars_many[wars_many["replication"] < 5].reset_index(drop=True)
    assert len(few.wars) > 0
    assert wars_head.equals(few.wars)


def test_default_run_parameters_come_from_the_scenario(mixed: Scenario) -> None:
    small = mixed.replace(run={"replications": 3, "steps": 7, "seed": 11})
    result = run(small)
    assert result.dataset.sizes["replication"] == 3
    assert result.dataset.sizes["step"] == 8
    assert result.provenance["seed"] == "11"
    assert result.dataset.identical(run(small, replications=3, steps=7, seed=11).dataset)


def test_run_accepts_a_scenario_name() -> None:
    by_name = run("balancers", replications=2, steps=5, seed=3)
    by_object = run(Scenario.load("balancers"), replications=2, steps=5, seed=3)
    assert by_name.dataset.identical(by_object.dataset)


def test_run_without_seed_uses_the_scenario_seed(mixed: Scenario) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        default = run(mixed, replications=3, steps=5, seed=None)
    explicit = run(mixed, replications=3, steps=5, seed=mixed.run.seed)
    assert default.dataset.identical(explicit.dataset)


def test_no_seed_warns_and_names_a_reusable_seed(mixed: Scenario) -> None:
    with pytest.warns(UserWarning, match="no seed given") as record:
        states = list(iterate(mixed, 2, 5, None))
    entropy = int(re.search(r"seed=(\d+)", str(record[0].message)).group(1))
    again = list(iterate(mixed, 2, 5, entropy))
    for a, b in zip(states, again, strict=True):
        np.testing.assert_array_equal(a.economy, b.economy)
        np.testing.assert_array_equal(a.alive, b.alive)


def test_replication_seeds_without_seed_warns_at_the_caller() -> None:
    with pytest.warns(UserWarning, match="results are not reproducible") as record:
        seeds = replication_seeds(None, 2)
    assert len(seeds) == 2
    assert record[0].filename == __file__


def test_resolve_seed_passes_a_seed_sequence_through() -> None:
    ss = np.random.SeedSequence(5)
    assert resolve_seed(ss) is ss


@pytest.mark.parametrize("value", [0, -1, 2.5, 3.0, True, "3"])
@pytest.mark.parametrize("name", ["replications", "steps"])
def test_bad_sizes_raise(mixed: Scenario, name: str, value: object) -> None:
    kwargs = {"replications": 2, "steps": 3, "seed": 1, name: value}
    with pytest.raises(InvalidScenarioError, match=f"{name} must be a positive integer"):
        run(mixed, **kwargs)


@pytest.mark.parametrize("seed", [-1, 1.5, "42", True, [1, 2]])
def test_bad_seed_raises(mixed: Scenario, seed: object) -> None:
    with pytest.raises(InvalidScenarioError, match="seed must be a non-negative integer"):
        run(mixed, replications=2, steps=3, seed=seed)
    with pytest.raises(InvalidScenarioError, match="seed must be a non-negative integer"):
        replication_seeds(seed, 2)


@pytest.mark.parametrize("chunk_size", [0, -2, 1.5, "4", True])
def test_bad_chunk_size_raises(mixed: Scenario, chunk_size: object) -> None:
    with pytest.raises(InvalidScenarioError, match="chunk_size must be a positive integer"):
        run(mixed, replications=2, steps=3, seed=1, chunk_size=chunk_size)


@pytest.mark.parametrize("name", ["replications", "steps", "chunk_size"])
def test_numpy_integers_are_accepted(mixed: Scenario, name: str) -> None:
    kwargs = {"replications": 3, "steps": 4, "seed": 1, "chunk_size": 2}
    expected = run(mixed, **kwargs)
    kwargs[name] = np.int64(kwargs[name])
    assert run(mixed, **kwargs).dataset.identical(expected.dataset)


def test_bad_seed_in_iterate_raises() -> None:
    s = Scenario(n_states=3)
    with pytest.raises(InvalidScenarioError, match="seed must be a non-negative integer"):
        next(iterate(s, 2, 3, -5))


def test_record_states_false_omits_share(mixed: Scenario, reference: Result) -> None:
    lean = run(mixed, replications=R, steps=STEPS, seed=SEED, record_states=False)
    assert "share" not in lean.dataset
    assert "share" in reference.dataset
    assert lean.dataset.identical(reference.dataset.drop_vars("share"))


def test_share_matches_iterate(mixed: Scenario, reference: Result) -> None:
    from equipoise.metrics import shares
    from equipoise.state import capability

    w = mixed.growth.economic_weight
    for state in iterate(mixed, R, STEPS, SEED):
        expected = np.nan_to_num(shares(capability(state, w), state.alive)).astype(np.float32)
        got = reference.dataset["share"].values[:, state.step]
        np.testing.assert_array_equal(got, expected, err_msg=f"step {state.step}")
        np.testing.assert_array_equal(
            reference.dataset["survivors"].values[:, state.step], state.alive.sum(axis=1)
        )


def test_progress_counts_every_replication_step(mixed: Scenario) -> None:
    done: list[int] = []
    run(mixed, replications=5, steps=6, seed=1, chunk_size=2, progress=done.append)
    assert sum(done) == 5 * 6


def test_replication_ranges_concatenate_to_the_whole_run():
    whole = run("mixed", replications=12, steps=40, seed=3)
    parts = [
        run("mixed", replications=range(6, 12), steps=40, seed=3),
        run("mixed", replications=range(0, 6), steps=40, seed=3, chunk_size=4),
    ]
    joined = Result.concat(parts)
    assert joined.dataset.identical(whole.dataset)
    assert list(parts[0].dataset["replication"].values) == list(range(6, 12))


def test_concat_refuses_overlaps_and_other_runs():
    a = run("mixed", replications=range(0, 3), steps=10, seed=3)
    with pytest.raises(ValueError, match="overlap"):
        Result.concat([a, a])
    other = run("mixed", replications=range(3, 6), steps=10, seed=4)
    with pytest.raises(ValueError, match="seed"):
        Result.concat([a, other])


@pytest.mark.parametrize("bad", [range(0), range(-1, 3), range(5, 0, -1)])
def test_bad_replication_ranges_are_rejected(bad):
    with pytest.raises(InvalidScenarioError, match="replications"):
        run("balancers", replications=bad, steps=5, seed=1)
