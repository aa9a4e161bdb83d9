"""Sweep files: designs, parameter normalisation, identity, and every validation error.

Project rule under test: a bad sweep file raises ``InvalidSweepError`` with one
line naming the offending key or parameter (the CLI side is in test_sweep_cli.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomllib

from equipoise import Scenario, run
from equipoise.experiments import InvalidSweepError, SweepSpec, simulate_chunk
from equipoise.experiments.chunks import ChunkTask
from equipoise.rng import derive_seed
from equipoise.scenario import STRATEGIES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*sweep*.toml"))

BASE = """
name = "t"
scenario = "balancers"
replications = 4
steps = 10
seed = 5
"""


def _spec(extra: str = "", **fields: object) -> SweepSpec:
    """BASE plus TOML text (top-level keys, then tables) plus keyword overrides."""
    return SweepSpec.from_dict({**tomllib.loads(BASE + extra), **fields})


# ====================================================================== examples
def test_there_are_example_sweeps() -> None:
    assert EXAMPLES, "examples/ must hold at least one *sweep*.toml"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_sweep_validates(path: Path) -> None:
    spec = SweepSpec.load(path)
    assert spec.n_points >= 2
    assert spec.factors
    points = spec.points()
    assert len(points) == spec.n_points
    for p in (0, spec.n_points - 1):  # every point is a valid scenario
        assert isinstance(spec.point_scenario(p), Scenario)
    # The self-contained copy written into a sweep directory round-trips.
    again = SweepSpec.from_toml(spec.to_toml())
    assert again.content_hash() == spec.content_hash()


# ======================================================================== grids
def test_grid_is_cartesian_product_first_parameter_slowest() -> None:
    spec = _spec(
        """
[parameters]
"alliances.alliance_reliability" = [0.3, 0.6, 0.9]
"war.decisiveness" = { min = 1.0, max = 3.0, num = 3 }
"""
    )
    points = spec.points()
    assert spec.n_points == 9
    assert points["alliances.alliance_reliability"].tolist() == [0.3] * 3 + [0.6] * 3 + [0.9] * 3
    assert points["war.decisiveness"].tolist() == [1.0, 2.0, 3.0] * 3
    assert points["point"].tolist() == list(range(9))
    assert spec.factors == ("alliances.alliance_reliability", "war.decisiveness")


def test_single_values_fix_a_parameter_and_are_not_factors() -> None:
    spec = _spec(
        """
[parameters]
"war.enabled" = false
"alliances.alliance_rule" = ["landscape"]
n_states = [6, 9]
"""
    )
    assert spec.factors == ("n_states",)
    assert spec.n_points == 2
    s0, s1 = spec.point_scenario(0), spec.point_scenario(1)
    assert (s0.n_states, s1.n_states) == (6, 9)
    assert not s0.war.enabled and not s1.war.enabled
    assert s0.alliances.alliance_rule == s1.alliances.alliance_rule == "landscape"


def test_grid_without_parameters_is_one_point() -> None:
    spec = _spec()
    assert spec.n_points == 1
    assert spec.point_scenario(0) == Scenario.load("balancers")


def test_nested_tables_equal_dotted_keys() -> None:
    dotted = _spec('[parameters]\n"war.decisiveness" = [1.0, 2.0]\n')
    nested = _spec("[parameters.war]\ndecisiveness = [1.0, 2.0]\n")
    assert nested.factors == ("war.decisiveness",)
    assert nested.content_hash() == dotted.content_hash()


def test_integer_range_in_grid_gives_integers() -> None:
    spec = _spec('[parameters]\n"hegemony.hegemony_duration" = { min = 5, max = 15, num = 3 }\n')
    values = spec.points()["hegemony.hegemony_duration"]
    assert values.tolist() == [5, 10, 15]
    assert values.dtype == np.int64
    assert spec.point_scenario(1).hegemony.hegemony_duration == 10


# ================================================================ sampled designs
@pytest.mark.parametrize(
    ("design", "options", "expected"),
    [
        ("lhs", "samples = 17", 17),
        ("sobol", "samples = 8", 8 * (3 + 2)),
        ("sobol", "samples = 8\nsecond_order = true", 8 * (2 * 3 + 2)),
        ("morris", "samples = 5", 5 * (3 + 1)),
        ("morris", "samples = 5\nmorris_levels = 6", 5 * (3 + 1)),
    ],
)
def test_sampled_designs_have_their_sizes_and_stay_in_range(
    design: str, options: str, expected: int
) -> None:
    text = f"""design = "{design}"
{options}
[parameters]
"alliances.alliance_reliability" = {{ min = 0.2, max = 0.9 }}
n_states = {{ min = 4, max = 12 }}
"alliances.alliance_rule" = ["threat", "landscape"]
"""
    spec = _spec(text)
    points = spec.points()
    assert spec.n_points == expected
    rel = points["alliances.alliance_reliability"]
    assert rel.between(0.2, 0.9).all()
    n = points["n_states"]
    assert n.dtype == np.int64 and n.between(4, 12).all()
    assert set(points["alliances.alliance_rule"]) <= {"threat", "landscape"}
    assert spec.design_matrix().shape == (expected, 3)
    # Same seed, same design; another seed, another design.
    assert spec.points().equals(_spec(text).points())
    other = SweepSpec.from_toml(BASE.replace("seed = 5", "seed = 6") + text)
    assert not other.points()[["alliances.alliance_reliability"]].equals(
        points[["alliances.alliance_reliability"]]
    )


def test_lhs_covers_every_stratum_and_integers_evenly() -> None:
    spec = _spec(
        """design = "lhs"
samples = 40
[parameters]
"growth.growth_rate" = { min = 0.0, max = 0.04 }
n_states = { min = 3, max = 6 }
"""
    )
    x = spec.points()["growth.growth_rate"].to_numpy()
    strata = np.floor(x / 0.04 * 40).astype(int)
    assert sorted(strata) == list(range(40))  # one point in each of 40 strata
    counts = spec.points()["n_states"].value_counts().sort_index()
    assert counts.index.tolist() == [3, 4, 5, 6]
    assert counts.tolist() == [10, 10, 10, 10]  # [min-0.5, max+0.5): equal shares


def test_problem_lists_the_factors_with_their_bounds() -> None:
    spec = _spec(
        """design = "morris"
samples = 4
[parameters]
"war.decisiveness" = { min = 1.0, max = 3.0 }
"war.enabled" = true
n_states = { min = 4, max = 8 }
"alliances.alliance_rule" = ["threat", "landscape"]
"""
    )
    assert spec.problem() == {
        "num_vars": 3,
        "names": ["war.decisiveness", "n_states", "alliances.alliance_rule"],
        "bounds": [[1.0, 3.0], [3.5, 8.5], [0.0, 2.0]],
    }


# ===================================================================== identity
def test_hash_ignores_labels_but_not_results_fields() -> None:
    a = _spec(name="a", description="x", output="somewhere")
    b = _spec(name="b", description="y", output="elsewhere")
    assert a.content_hash() == b.content_hash()
    for change in ({"seed": 6}, {"replications": 5}, {"steps": 11}, {"chunk_size": 2}):
        assert _spec(**change).content_hash() != a.content_hash(), change
    assert _spec(scenario="mixed").content_hash() != a.content_hash()


def test_default_chunk_size_is_in_the_hash() -> None:
    assert _spec(replications=4).effective_chunk_size == 4
    assert _spec(replications=250).effective_chunk_size == 100
    assert (
        _spec(replications=4).content_hash() == _spec(replications=4, chunk_size=4).content_hash()
    )


def test_scenario_file_relative_to_the_sweep_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    scenario = Scenario.load("mixed").replace(name="mine", n_states=7)
    (tmp_path / "sub" / "mine.toml").write_text(scenario.to_toml(), encoding="utf-8")
    (tmp_path / "sub" / "s.toml").write_text(
        'scenario = "mine.toml"\nreplications = 2\nsteps = 3\nseed = 1\n', encoding="utf-8"
    )
    spec = SweepSpec.load(tmp_path / "sub" / "s.toml")
    assert spec.base_scenario == scenario
    inline = SweepSpec.from_toml(spec.to_toml())
    assert inline.base_scenario == scenario
    assert inline.content_hash() == spec.content_hash()
    assert isinstance(inline.scenario, dict)


def test_output_is_relative_to_the_current_directory(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text(BASE + 'output = "out/x"\n', encoding="utf-8")
    assert SweepSpec.load(tmp_path / "s.toml").output_dir() == Path("out/x")
    assert _spec(name="abc").output_dir() == Path("equipoise-results/abc")


def test_point_seed_and_scenario_reproduce_a_chunk_with_run() -> None:
    spec = _spec('[parameters]\n"war.decisiveness" = [1.0, 4.0]\n', replications=6)
    task = ChunkTask(1, 2, 5, spec.point_scenario(1), spec.steps, spec.point_seed(1))
    rows = simulate_chunk(task)
    direct = run(
        spec.point_scenario(1), replications=range(2, 5), steps=10, seed=spec.point_seed(1)
    )
    assert rows["replication"].tolist() == [2, 3, 4]
    assert rows["hegemony_onset"].tolist() == direct.dataset["hegemony_onset"].values.tolist()
    final = direct.dataset["leader_share"].values[:, -1]
    np.testing.assert_array_equal(rows["final_leader_share"].to_numpy(), final)


def test_point_seeds_are_derived_from_the_sweep_seed() -> None:
    """Point p runs on ``derive_seed(seed, p)``: an int seed of the engine's contract."""
    spec = _spec('[parameters]\n"war.decisiveness" = [1.0, 2.0, 4.0]\n')
    seeds = [spec.point_seed(p) for p in range(3)]
    assert seeds == [derive_seed(5, p) for p in range(3)]
    assert all(isinstance(s, int) and 0 <= s < 2**32 for s in seeds)
    assert len(set(seeds)) == 3
    assert seeds == [
        _spec('[parameters]\n"war.decisiveness" = [1.0, 2.0, 4.0]\n').point_seed(p)
        for p in range(3)
    ]  # a pure function of the sweep seed and the point
    assert _spec(seed=6).point_seed(0) != _spec().point_seed(0)


def test_points_have_independent_seeds_unless_common_random_numbers() -> None:
    spec = _spec('[parameters]\n"war.decisiveness" = [1.0, 4.0]\n')
    assert spec.point_seed(0) != spec.point_seed(1)
    crn = _spec('[parameters]\n"war.decisiveness" = [1.0, 4.0]\n', common_random_numbers=True)
    assert crn.point_seed(0) == crn.point_seed(1) == 5  # the sweep's own seed
    assert crn.content_hash() != spec.content_hash()
    with pytest.raises(IndexError, match="point 2 out of range"):
        spec.point_scenario(2)
    with pytest.raises(IndexError, match="point 2 out of range"):
        spec.point_seed(2)


def test_the_design_does_not_share_the_points_seeds() -> None:
    """The sampled design is seeded with another salt than the points' seeds."""
    text = 'design = "lhs"\nsamples = 5\n[parameters]\n"war.decisiveness" = {min = 1, max = 3.0}\n'
    spec = _spec(text)
    from equipoise.experiments import designs
    from equipoise.experiments.spec import DESIGN_SALT

    expected = designs.sample("lhs", spec.problem(), 5, seed=derive_seed(5, 0, salt=DESIGN_SALT))
    np.testing.assert_array_equal(spec.design_matrix(), expected)
    assert derive_seed(5, 0, salt=DESIGN_SALT) != spec.point_seed(0)


def test_hash_covers_the_model_and_random_number_versions() -> None:
    from equipoise.engine import MODEL_VERSION
    from equipoise.rng import CONTRACT_VERSION

    canonical = _spec().canonical()
    assert canonical["format"] == "equipoise-sweep/2"
    assert (canonical["model_version"], canonical["rng_contract"]) == (
        MODEL_VERSION,
        CONTRACT_VERSION,
    )


def test_a_key_without_a_default_value_can_be_swept() -> None:
    """map.width is ``None`` by default: its type comes from its annotation, and it is
    valid only together with map.height, which every point is checked for."""
    spec = _spec('[parameters]\n"map.width" = [10, 12]\n"map.height" = [11]\n')
    assert spec.factors == ("map.width",)
    assert spec.factor_kinds() == {"map.width": "int"}
    assert [spec.point_scenario(p).map.width for p in range(2)] == [10, 12]
    assert spec.point_scenario(1).map.height == 11
    with pytest.raises(InvalidSweepError, match=r"give both map\.width and map\.height"):
        _spec('[parameters]\n"map.width" = [10, 12]\n')
    with pytest.raises(InvalidSweepError, match=r"'map.width': level 1 is invalid"):
        _spec('[parameters]\n"map.width" = [1, 12]\n"map.height" = [11]\n')


# ================================================================ validation
TOP = {"name": '"t"', "scenario": '"balancers"', "replications": "4", "steps": "10", "seed": "5"}
R13 = '"war.decisiveness" = { min = 1.0, max = 3.0 }\n'

# (label, top-level keys to change (None removes), tables, what the message must name)
BAD: list[tuple[str, dict[str, str | None], str, list[str]]] = [
    ("unknown top-level key", {"colour": '"red"'}, "", ["unknown key 'colour'"]),
    ("typo in design", {"design": '"sobl"'}, "", ["'design'", "sobl"]),
    ("negative seed", {"seed": "-1"}, "", ["'seed'", "greater than or equal to 0"]),
    ("seed too large", {"seed": str(2**32)}, "", ["'seed'", "less than 4294967296"]),
    ("float replications", {"replications": "2.5"}, "", ["'replications'"]),
    ("missing replications", {"replications": None}, "", ["missing required key 'replications'"]),
    (
        "missing run keys",
        {"replications": None, "steps": None, "seed": None},
        "",
        ["missing required keys 'replications', 'steps', 'seed'"],
    ),
    (
        "misspelt required key",
        {"replications": None, "replication": "4"},
        "",
        ["unknown key 'replication' [+1 more problem]"],
    ),
    ("malformed TOML", {"steps": "= 3"}, "", ["malformed TOML"]),
    ("bad name", {"name": '"a b"'}, "", ["'name'"]),
    ("unknown scenario", {"scenario": '"nowhere"'}, "", ["'nowhere'", "neither a built-in"]),
    (
        "bad inline scenario",
        {"scenario": None},
        "[scenario]\nn_states = 1\n",
        ["inline [scenario]", "n_states"],
    ),
    (
        "unknown parameter",
        {},
        '"alliances.reliability" = [0.1, 0.2]\n',
        ["alliances.reliability", "has no key 'reliability'"],
    ),
    ("unknown table", {}, '"army.size" = [1, 2]\n', ["unknown parameter 'army.size'"]),
    ("run table", {}, '"run.seed" = [1, 2]\n', ["'run.seed'", "sets replications"]),
    (
        "empty levels",
        {},
        '"war.decisiveness" = []\n',
        ["'parameters.war.decisiveness'", "levels must not be empty"],
    ),
    (
        "repeated levels",
        {},
        '"war.decisiveness" = [1.0, 1.0]\n',
        ["war.decisiveness", "must not repeat"],
    ),
    (
        "min not below max",
        {},
        '"war.decisiveness" = { min = 3.0, max = 1.0, num = 2 }\n',
        ["war.decisiveness", "min must be less than max"],
    ),
    (
        "range and levels",
        {},
        '"war.decisiveness" = { min = 1.0, max = 2.0, levels = [1.0] }\n',
        ["war.decisiveness", "not both"],
    ),
    (
        "unknown key in a range",
        {},
        '"war.decisiveness" = { min = 1.0, max = 2.0, step = 0.5 }\n',
        ["unknown key 'parameters.war.decisiveness.step'"],
    ),
    (
        "out of the scenario's range",
        {},
        '"alliances.alliance_reliability" = { min = 0.5, max = 1.5, num = 3 }\n',
        ["alliances.alliance_reliability", "max 1.5 is invalid", "less than or equal to 1"],
    ),
    (
        "level of the wrong type",
        {},
        '"war.decisiveness" = ["high", "low"]\n',
        ["war.decisiveness", "level 'high' is invalid"],
    ),
    (
        "unknown string level",
        {},
        '"alliances.alliance_rule" = ["threat", "fear"]\n',
        ["alliances.alliance_rule", "level 'fear' is invalid"],
    ),
    ("grid range without num", {}, R13, ["war.decisiveness", "needs 'num'"]),
    (
        "num outside a grid",
        {"design": '"lhs"', "samples": "4"},
        '"war.decisiveness" = { min = 1.0, max = 3.0, num = 3 }\n',
        ["war.decisiveness", "'num' applies to grid designs only"],
    ),
    (
        "samples in a grid",
        {"samples": "8"},
        '"war.decisiveness" = [1.0, 2.0]\n',
        ["'samples' does not apply to a grid design"],
    ),
    ("sobol without samples", {"design": '"sobol"'}, R13, ["a sobol design needs 'samples'"]),
    (
        "sobol samples not a power of two",
        {"design": '"sobol"', "samples": "100"},
        R13,
        ["power of 2", "got 100", "try 64 or 128"],
    ),
    (
        "second_order outside sobol",
        {"design": '"lhs"', "samples": "4", "second_order": "true"},
        R13,
        ["'second_order' applies to sobol designs only"],
    ),
    (
        "morris_levels outside morris",
        {"morris_levels": "4"},
        '"war.decisiveness" = [1.0, 2.0]\n',
        ["'morris_levels' applies to morris designs only"],
    ),
    (
        "sampling design with nothing to vary",
        {"design": '"lhs"', "samples": "4"},
        '"war.enabled" = false\n',
        ["a lhs design needs at least one parameter"],
    ),
    (
        "range of a boolean",
        {},
        '"war.enabled" = { min = 0, max = 1, num = 2 }\n',
        ["'war.enabled' takes bool values"],
    ),
    (
        "fractional bounds of an integer",
        {"design": '"lhs"', "samples": "4"},
        "n_states = { min = 2.5, max = 9 }\n",
        ["'n_states' is an integer"],
    ),
    (
        "integer grid too fine",
        {},
        "n_states = { min = 2, max = 4, num = 5 }\n",
        ["n_states", "repeat integers"],
    ),
    (
        "a point that is no scenario",
        {},
        '"internal.arming_base" = [0.1, 0.3]\n"internal.arming_max" = [0.2, 0.5]\n',
        ["point 2 (", "internal.arming_base=0.3", "arming_base must not exceed arming_max"],
    ),
]


def _bad_text(top: dict[str, str | None], tables: str) -> str:
    keys = {**TOP, **top}
    lines = [f"{k} = {v}" for k, v in keys.items() if v is not None]
    if tables.startswith("[scenario]"):
        return "\n".join(lines) + "\n" + tables
    return "\n".join(lines) + ("\n[parameters]\n" + tables if tables else "\n")


@pytest.mark.parametrize(("label", "top", "tables", "needles"), BAD, ids=[b[0] for b in BAD])
def test_validation_errors_are_one_line_naming_the_problem(
    label: str, top: dict[str, str | None], tables: str, needles: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(_bad_text(top, tables), encoding="utf-8")
    with pytest.raises(InvalidSweepError) as info:
        SweepSpec.load(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"


def test_load_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidSweepError, match="sweep file not found"):
        SweepSpec.load(tmp_path / "nope.toml")
    with pytest.raises(InvalidSweepError, match="is a directory"):
        SweepSpec.load(tmp_path)


def test_keyword_construction_reports_one_line() -> None:
    with pytest.raises(InvalidSweepError, match=r"^sweep: 'steps'"):
        SweepSpec(scenario="balancers", replications=2, steps=0, seed=1)
    spec = SweepSpec(scenario="balancers", replications=2, steps=3, seed=1)
    assert isinstance(spec.points(), pd.DataFrame)


# ============================================================ strategy shares
def test_swept_strategy_share_rescales_the_others_in_their_base_proportions() -> None:
    spec = _spec('[parameters]\n"strategies.bandwagon" = [0.0, 0.5, 1.0]\n', scenario="mixed")
    base = Scenario.load("mixed").strategies
    for p, bandwagon in enumerate([0.0, 0.5, 1.0]):
        mix = spec.point_scenario(p).strategies
        assert mix.bandwagon == bandwagon
        total = sum(getattr(mix, s) for s in STRATEGIES)
        assert total == pytest.approx(1.0, abs=1e-12)
        assert mix.none == 0.0  # no share in the base: none in any point
        # the others keep their proportions in the base mix
        rest = base.balance_power + base.balance_threat + base.buck_pass
        left = 1.0 - bandwagon
        assert mix.balance_power == pytest.approx(left * base.balance_power / rest)
        assert mix.buck_pass == pytest.approx(left * base.buck_pass / rest)
    assert spec.point_scenario(1).strategies.counts(20) == [5, 3, 10, 2, 0, 0]  # STRATEGIES order


def test_sweeping_the_null_share_mixes_the_base_with_the_null_world() -> None:
    """``strategies.none`` over a base population: the base strategies keep their mix."""
    spec = _spec('[parameters]\n"strategies.none" = [0.0, 0.5, 1.0]\n', scenario="mixed")
    base = Scenario.load("mixed").strategies
    for p, none in enumerate([0.0, 0.5, 1.0]):
        mix = spec.point_scenario(p).strategies
        assert mix.none == none
        for s in ("balance_power", "balance_threat", "bandwagon", "buck_pass"):
            assert getattr(mix, s) == pytest.approx((1 - none) * getattr(base, s)), (p, s)
    assert spec.point_scenario(0).content_hash() == Scenario.load("mixed").content_hash()
    assert spec.point_scenario(2).strategy_names() == Scenario.load("null").strategy_names()


@pytest.mark.parametrize("scenario", ["mixed", "balancers", "bandwagoners", "null"])
def test_a_strategy_share_at_its_base_value_gives_the_base_scenario(scenario: str) -> None:
    base = Scenario.load(scenario)
    for name in STRATEGIES:
        value = getattr(base.strategies, name)
        held = sum(getattr(base.strategies, s) for s in STRATEGIES if s != name)
        if held == 0 and value < 1:
            continue
        spec = _spec(f'[parameters]\n"strategies.{name}" = [{value!r}]\n', scenario=scenario)
        assert spec.point_scenario(0).content_hash() == base.content_hash(), name


def test_sweeping_every_strategy_share_needs_no_rescaling() -> None:
    spec = _spec(
        "[parameters]\n"
        '"strategies.balance_power" = [0.5]\n"strategies.balance_threat" = [0.0]\n'
        '"strategies.bandwagon" = [0.25]\n"strategies.buck_pass" = [0.125]\n'
        '"strategies.none" = [0.125]\n"strategies.hedge" = [0.0]\n'
    )
    mix = spec.point_scenario(0).strategies
    assert (mix.balance_power, mix.bandwagon, mix.buck_pass, mix.none) == (0.5, 0.25, 0.125, 0.125)
    with pytest.raises(InvalidSweepError, match=r"'strategies.bandwagon': level 1.5 is invalid"):
        _spec('[parameters]\n"strategies.balance_power" = [0.5]\n"strategies.bandwagon" = [1.5]\n')


@pytest.mark.parametrize(
    ("scenario", "parameters", "message"),
    [
        (
            "mixed",
            '"strategies.bandwagon" = [0.0, 0.7]\n"strategies.buck_pass" = [0.2, 0.5]\n',
            r"point 3 \(strategies.bandwagon=0.7, strategies.buck_pass=0.5\) is not a valid "
            r"scenario: swept strategy shares sum to 1.2 \(> 1\)",
        ),
        (
            "bandwagoners",
            '"strategies.bandwagon" = [0.5, 1.0]\n',
            r"parameter 'strategies.bandwagon': level 0.5 is invalid: the strategies not swept "
            r"\(balance_power, balance_threat, buck_pass, none, hedge\) have share 0 in the base "
            r"scenario",
        ),
    ],
)
def test_impossible_strategy_mixes_are_one_line_errors(
    scenario: str, parameters: str, message: str
) -> None:
    with pytest.raises(InvalidSweepError, match=message) as info:
        _spec("[parameters]\n" + parameters, scenario=scenario)
    assert "\n" not in str(info.value)
