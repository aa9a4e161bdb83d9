"""Scenario validation: built-ins, TOML round trips, hashes, replace() and error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from equipoise.scenario import (
    STRATEGIES,
    InvalidScenarioError,
    Scenario,
    StateSpec,
    StrategyMix,
    WarParams,
    builtin_scenarios,
    builtin_text,
)

BUILTINS = (
    "balancers",
    "bandwagoners",
    "buck-passers",
    "mixed",
    "no-alliances",
    "null",
    "soft-only",
    "threat-balancers",
)


def _explicit() -> Scenario:
    """A scenario with explicit [[states]], one with and one without arming_share."""
    return Scenario.from_dict(
        {
            "name": "triad",
            "description": "Three explicit states",
            "states": [
                {"name": "Athens", "economy": 2.0, "military": 1.0, "x": 0.0, "y": 0.0},
                {
                    "name": "Sparta",
                    "economy": 1.5,
                    "military": 2.5,
                    "x": 1.0,
                    "y": -0.5,
                    "strategy": "balance_threat",
                    "arming_share": 0.2,
                },
                {
                    "name": "Corinth",
                    "economy": 0.5,
                    "military": 0.0,
                    "x": -1.0,
                    "y": 2.0,
                    "strategy": "bandwagon",
                },
            ],
            "war": {"decisiveness": 3.5},
        }
    )


def _assert_one_line(message: str, *needles: str) -> None:
    assert message.strip(), "empty message"
    assert "\n" not in message and "\r" not in message, f"multi-line message: {message!r}"
    for needle in needles:
        assert needle in message, f"{needle!r} not named in {message!r}"


# ------------------------------------------------------------------ built-ins
def test_builtin_scenarios_listed_default_first() -> None:
    assert builtin_scenarios() == list(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_every_builtin_loads(name: str) -> None:
    s = Scenario.load(name)
    assert s.name == name
    assert s.description
    assert s.size == 50
    assert len(s.strategy_names()) == 50
    assert s.run.steps == 500
    assert set(s.strategy_names()) <= set(STRATEGIES)
    assert Scenario.from_toml(builtin_text(name)) == s


def test_builtins_differ_where_documented() -> None:
    balancers = Scenario.load("balancers")
    assert set(balancers.strategy_names()) == {"balance_power"}
    assert set(Scenario.load("bandwagoners").strategy_names()) == {"bandwagon"}
    no_alliances = Scenario.load("no-alliances")
    assert not no_alliances.alliances.enabled
    assert not no_alliances.soft_balancing.enabled
    assert no_alliances.internal.enabled
    soft_only = Scenario.load("soft-only")
    assert not soft_only.internal.enabled
    assert not soft_only.alliances.enabled
    assert soft_only.soft_balancing.enabled
    mixed = Scenario.load("mixed")
    assert mixed.strategies.counts(mixed.size) == [20, 10, 10, 10, 0, 0]
    assert set(Scenario.load("null").strategy_names()) == {"none"}
    assert set(Scenario.load("buck-passers").strategy_names()) == {"buck_pass"}
    assert set(Scenario.load("threat-balancers").strategy_names()) == {"balance_threat"}
    # Apart from name, description and strategies, every strategy world equals the null
    # world: same map, growth and war
    null = Scenario.load("null")
    for name in ("balancers", "bandwagoners", "buck-passers", "threat-balancers", "mixed"):
        other = Scenario.load(name)
        assert (
            other.replace(name="null", description=null.description, strategies=null.strategies)
            == null
        )


def test_load_file_by_str_and_path(tmp_path: Path) -> None:
    text = 'name = "mine"\nn_states = 4\n[war]\ndecisiveness = 3.0\n'
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    expected = Scenario.from_toml(text)
    assert Scenario.load(path) == expected
    assert Scenario.load(str(path)) == expected
    assert expected.war.decisiveness == 3.0
    assert expected.war.battle_losses == WarParams().battle_losses


def test_file_takes_precedence_over_builtin_name(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "balancers").write_text('name = "local"\nn_states = 3\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert Scenario.load("balancers").name == "local"


# ------------------------------------------------------------------ round trip
@pytest.mark.parametrize("name", BUILTINS)
def test_toml_round_trip_builtin(name: str) -> None:
    s = Scenario.load(name)
    text = s.to_toml()
    back = Scenario.from_toml(text)
    assert back == s
    assert back.to_toml() == text


def test_toml_round_trip_explicit_states() -> None:
    s = _explicit()
    text = s.to_toml()
    assert "[[states]]" in text
    back = Scenario.from_toml(text)
    assert back == s
    assert back.to_toml() == text
    assert isinstance(back.states, tuple)
    assert back.states[0].arming_share is None
    assert back.states[1].arming_share == 0.2
    assert back.n_states is None
    assert back.size == 3
    assert back.strategy_names() == ["balance_power", "balance_threat", "bandwagon"]


def test_toml_round_trip_non_default_everywhere() -> None:
    s = Scenario.load("mixed").replace(
        name="odd",
        description='quotes " and \\ backslashes',
        n_states=7,
        run={"replications": 3, "steps": 4, "seed": 0},
        map={"width": 9, "height": 4},
        initial={"output_inequality": 1.5},
        growth={"growth_rate": -0.2, "depreciation": 1.0},
        power={"reach": 2.5, "economic_weight": 0.0, "mobile_share": 1.0},
        technology={"enabled": False, "innovation_size": 3.0},
        threat={"aggression_memory": 0.0},
        internal={"enabled": False, "arming_base": 0.1, "arming_max": 0.1},
        alliances={"enabled": False, "alliance_duration": 1.0, "alliance_rule": "landscape"},
        soft_balancing={"soft_balancing_threshold": 1.0, "max_cost": 0.2},
        war={"decisiveness": 50.0, "attack_probability": 1.0, "quiet_steps": 7},
        hegemony={"hegemony_threshold": 1.0, "hegemony_duration": 1},
    )
    assert Scenario.from_toml(s.to_toml()) == s


def test_int_accepted_for_float_field_and_round_trips() -> None:
    s = Scenario.from_toml("n_states = 3\n[war]\ndecisiveness = 3\n")
    assert s.war.decisiveness == 3.0
    assert isinstance(s.war.decisiveness, float)
    assert Scenario.from_toml(s.to_toml()) == s


# ----------------------------------------------------------------- content hash
def test_content_hash_equal_for_equal_scenarios() -> None:
    a = Scenario.load("balancers")
    b = Scenario.from_dict(
        {
            "strategies": {"balance_power": 1.0},
            "n_states": 50,
            "run": {"steps": 500},
            "description": a.description,
            "name": "balancers",
        }
    )
    c = Scenario.from_toml("# a comment\n" + a.to_toml())
    assert a == b == c
    assert a.content_hash() == b.content_hash() == c.content_hash()
    assert len(a.content_hash()) == 64
    int(a.content_hash(), 16)
    e = _explicit()
    assert e.content_hash() == Scenario.from_toml(e.to_toml()).content_hash()


@pytest.mark.parametrize(
    "change",
    [
        {"name": "other"},
        {"description": "changed"},
        {"n_states": 51},
        {"map": {"provinces_per_state": 10.0}},
        {"power": {"reach": 6.0}},
        {"run": {"seed": 1}},
        {"war": {"decisiveness": 2.5}},
        {"alliances": {"enabled": False}},
        {"strategies": {"balance_power": 0.5, "bandwagon": 0.5}},
        {"hegemony": {"hegemony_duration": 11}},
    ],
    ids=lambda c: next(iter(c)),
)
def test_content_hash_differs_for_different_scenarios(change: dict) -> None:
    a = Scenario.load("balancers")
    b = a.replace(**change)
    assert b != a
    assert b.content_hash() != a.content_hash()


def test_content_hash_differs_between_explicit_states() -> None:
    e = _explicit()
    moved = e.replace(
        states=[
            {**e.states[0].model_dump(), "x": 0.25},
            *(s.model_dump() for s in e.states[1:]),
        ]
    )
    assert moved != e
    assert moved.content_hash() != e.content_hash()


# --------------------------------------------------------------------- replace
def test_replace_merges_nested_tables() -> None:
    s = Scenario.load("balancers")
    r = s.replace(war={"decisiveness": 3.0})
    assert r.war.decisiveness == 3.0
    assert r.war.battle_losses == s.war.battle_losses
    assert r.war.enabled is True
    assert r.war.ceasefire_probability == s.war.ceasefire_probability
    for table in ("run", "growth", "power", "threat", "internal", "alliances", "soft_balancing"):
        assert getattr(r, table) == getattr(s, table)
    assert s.war.decisiveness == 1.0  # the original is unchanged


def test_replace_twice_keeps_earlier_changes() -> None:
    s = Scenario.load("balancers").replace(war={"enabled": False})
    s = s.replace(war={"battle_losses": 0.5})
    assert s.war.enabled is False
    assert s.war.battle_losses == 0.5


def test_replace_with_model_and_top_level_fields() -> None:
    s = Scenario.load("balancers")
    r = s.replace(war=WarParams(enabled=False), n_states=5, name="five")
    assert r.war == WarParams(enabled=False)
    assert r.size == 5
    assert r.name == "five"
    assert len(r.state_names()) == 5


def test_replace_strategy_mix_must_still_sum_to_one() -> None:
    s = Scenario.load("balancers")
    # Merging {"bandwagon": 0.5} into balance_power=1.0 gives a total of 1.5.
    with pytest.raises(InvalidScenarioError) as info:
        s.replace(strategies={"bandwagon": 0.5})
    _assert_one_line(str(info.value), "strategies", "sum to 1")
    ok = s.replace(strategies={"balance_power": 0.5, "bandwagon": 0.5})
    assert ok.strategies.counts(20) == [10, 0, 10, 0, 0, 0]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"war": {"decisiveness": -1.0}}, "war.decisiveness"),
        ({"war": {"bogus": 1}}, "war.bogus"),
        ({"bogus": 1}, "bogus"),
        ({"n_states": 1}, "n_states"),
        ({"growth": {"depreciation": 1.5}}, "growth.depreciation"),
        ({"growth": {"depreciation": 1e-300}}, "growth.depreciation"),
        ({"soft_balancing": {"max_cost": 0.2, "sender_cost": 5.0}}, "sender_cost x max_cost"),
        ({"alliances": {"alliance_rule": "fear"}}, "alliances.alliance_rule"),
        ({"internal": {"arming_min": 0.5, "arming_max": 0.1}}, "internal"),
        ({"name": ""}, "name"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_replace_validates(change: dict, key: str) -> None:
    s = Scenario.load("balancers")
    with pytest.raises(InvalidScenarioError) as info:
        s.replace(**change)
    _assert_one_line(str(info.value), key, "'balancers'")


def test_replace_n_states_must_agree_with_explicit_states() -> None:
    with pytest.raises(InvalidScenarioError) as info:
        _explicit().replace(n_states=4)
    _assert_one_line(str(info.value), "n_states")
    assert _explicit().replace(n_states=3).size == 3


def test_alliance_exclusions_round_trip_and_change_the_hash() -> None:
    s = _explicit().replace(alliance_exclusions=[["Athens", "Sparta"]])
    text = s.to_toml()
    assert "alliance_exclusions" in text
    assert "alliance_exclusions" not in _explicit().to_toml()  # absent when empty
    assert Scenario.from_toml(text) == s
    assert s.content_hash() != _explicit().content_hash()


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"alliance_exclusions": [["Athens", "Rome"]]}, "unknown state 'Rome'"),
        ({"alliance_exclusions": [["Athens", "Athens"]]}, "from itself"),
        (
            {
                "initial_alliances": [["Athens", "Sparta"], ["Sparta", "Corinth"]],
                "alliance_exclusions": [["Athens", "Corinth"]],
            },
            "in one alliance in force",
        ),
    ],
)
def test_alliance_exclusions_are_checked(change: dict, needle: str) -> None:
    with pytest.raises(InvalidScenarioError) as info:
        _explicit().replace(**change)
    _assert_one_line(str(info.value), needle)


def test_alliance_exclusions_need_named_states() -> None:
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.load("null").replace(alliance_exclusions=[["A", "B"]])
    _assert_one_line(str(info.value), "need explicit [[states]]")


# ------------------------------------------------------------- error messages
def _base() -> dict:
    return {"name": "x", "n_states": 3}


def _states(*names: str, strategy: str = "balance_power") -> list[dict]:
    return [
        {"name": n, "economy": 1.0, "military": 0.5, "x": float(i), "y": 0.0, "strategy": strategy}
        for i, n in enumerate(names)
    ]


BAD_DATA = [
    ("unknown-top-level", {**_base(), "bogus": 1}, ["bogus"]),
    ("unknown-nested", {**_base(), "war": {"bogus": 1}}, ["war.bogus"]),
    ("unknown-table", {**_base(), "bogus": {"a": 1}}, ["bogus"]),
    ("wrong-type", {**_base(), "war": {"decisiveness": "high"}}, ["war.decisiveness"]),
    ("table-not-table", {**_base(), "war": 3}, ["war"]),
    ("negative", {**_base(), "growth": {"depreciation": -0.1}}, ["growth.depreciation", "-0.1"]),
    (
        "out-of-range",
        {**_base(), "alliances": {"alliance_reliability": 1.5}},
        ["alliances.alliance_reliability", "1.5"],
    ),
    ("zero-not-allowed", {**_base(), "war": {"decisiveness": 0.0}}, ["war.decisiveness"]),
    ("nan", {**_base(), "war": {"decisiveness": float("nan")}}, ["war.decisiveness"]),
    ("n_states-1", {"name": "x", "n_states": 1}, ["n_states"]),
    ("n_states-fraction", {"name": "x", "n_states": 3.5}, ["n_states"]),
    ("no-states", {"name": "x"}, ["n_states"]),
    (
        "shares-not-summing",
        {**_base(), "strategies": {"balance_power": 0.5, "bandwagon": 0.4}},
        ["strategies", "sum to 1"],
    ),
    (
        "unknown-strategy",
        {"name": "x", "states": _states("A", "B", strategy="appease")},
        ["strategy", "appease"],
    ),
    (
        "n_states-disagrees",
        {"name": "x", "n_states": 3, "states": _states("A", "B")},
        ["n_states"],
    ),
    ("one-state", {"name": "x", "states": _states("A")}, ["at least 2 states"]),
    (
        "duplicate-state-names",
        {"name": "x", "states": _states("Athens", "Sparta", "Athens")},
        ["duplicate", "Athens"],
    ),
    (
        "state-infinite-x",
        {"name": "x", "states": [*_states("A"), {**_states("B")[0], "x": float("inf")}]},
        ["states.1.x"],
    ),
    (
        "state-missing-economy",
        {"name": "x", "states": [*_states("A"), {"name": "B", "military": 0.0, "x": 0, "y": 0}]},
        ["states.1.economy"],
    ),
    (
        "arming-min-above-max",
        {**_base(), "internal": {"arming_min": 0.5, "arming_max": 0.1}},
        ["internal", "arming_min"],
    ),
]


@pytest.mark.parametrize(
    ("data", "needles"), [c[1:] for c in BAD_DATA], ids=[c[0] for c in BAD_DATA]
)
def test_invalid_scenario_message_is_one_line_and_names_key(data: dict, needles: list[str]) -> None:
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.from_dict(data, source="my.toml")
    assert isinstance(info.value, ValueError)
    _assert_one_line(str(info.value), "my.toml", *needles)


def test_several_problems_reported_in_one_line() -> None:
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.from_dict({**_base(), "war": {"decisiveness": -1, "battle_losses": 2}})
    _assert_one_line(str(info.value), "war.decisiveness", "more problem")


@pytest.mark.parametrize(
    "text",
    ['name = "x"\nn_states = \n', "name = [\n", "[war\n", 'name = "x"\nname = "y"\n'],
    ids=["missing-value", "unclosed-array", "unclosed-table", "duplicate-key"],
)
def test_malformed_toml_is_one_line(text: str) -> None:
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.from_toml(text, source="bad.toml")
    _assert_one_line(str(info.value), "bad.toml", "malformed TOML")


def test_unknown_key_with_newline_is_still_one_line() -> None:
    # A quoted TOML key may hold a newline; the message must stay on one line.
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.from_toml('n_states = 3\n"bo\\ngus" = 1\n', source="nl.toml")
    _assert_one_line(str(info.value), "nl.toml", "bo")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('n_states = 3\n[war]\ndecisiveness = "2.5"\n', "war.decisiveness"),
        ("n_states = 3\n[war]\ndecisiveness = true\n", "war.decisiveness"),
        ('n_states = 3\n[war]\nenabled = "yes"\n', "war.enabled"),
        ("n_states = 3\n[war]\nenabled = 1\n", "war.enabled"),
        ('n_states = "3"\n', "n_states"),
    ],
    ids=["str-for-float", "bool-for-float", "str-for-bool", "int-for-bool", "str-for-int"],
)
def test_wrong_type_is_rejected_not_coerced(text: str, key: str) -> None:
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.from_toml(text, source="typed.toml")
    _assert_one_line(str(info.value), "typed.toml", key)


def test_load_unknown_name_lists_builtins() -> None:
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.load("nosuch")
    _assert_one_line(str(info.value), "nosuch", *BUILTINS)


def test_load_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "foo.toml"
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.load(missing)
    _assert_one_line(str(info.value), "foo.toml")


def test_load_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "café"\nn_states = 3\n'.encode("latin-1"))
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.load(path)
    _assert_one_line(str(info.value), "latin1.toml")


def test_load_invalid_file_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "scen.toml"
    path.write_text("n_states = 3\n[growth]\ndepreciation = -0.1\n", encoding="utf-8")
    with pytest.raises(InvalidScenarioError) as info:
        Scenario.load(path)
    _assert_one_line(str(info.value), "scen.toml", "growth.depreciation")


# -------------------------------------------------------------- strategy mix
def test_counts_largest_remainder_exact() -> None:
    mix = StrategyMix(balance_power=0.4, balance_threat=0.2, bandwagon=0.2, buck_pass=0.2)
    assert mix.counts(20) == [8, 4, 4, 4, 0, 0]
    assert mix.counts(10) == [4, 2, 2, 2, 0, 0]


def test_counts_largest_remainder_with_rounding() -> None:
    mix = StrategyMix(balance_power=0.4, balance_threat=0.2, bandwagon=0.2, buck_pass=0.2)
    counts = mix.counts(7)  # 2.8, 1.4, 1.4, 1.4 -> floors 2,1,1,1; two seats by remainder
    assert sum(counts) == 7
    assert counts == [3, 2, 1, 1, 0, 0]  # largest remainder first, ties in STRATEGIES order


@pytest.mark.parametrize(
    "shares",
    [
        (1.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        (0.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        (0.0, 0.0, 0.0, 0.0, 1.0, 0.0),
        (0.0, 0.0, 0.0, 0.0, 0.0, 1.0),
        (0.4, 0.2, 0.2, 0.2, 0.0, 0.0),
        (0.2, 0.2, 0.2, 0.2, 0.2, 0.0),
        (1 / 3, 1 / 3, 1 / 3, 0.0, 0.0, 0.0),
        (0.55, 0.05, 0.3, 0.05, 0.05, 0.0),
        (0.01, 0.01, 0.01, 0.01, 0.96, 0.0),
        (0.3, 0.1, 0.1, 0.1, 0.1, 0.3),
    ],
)
def test_counts_sum_and_stay_within_one_of_exact(shares: tuple[float, ...]) -> None:
    mix = StrategyMix(**dict(zip(STRATEGIES, shares, strict=True)))
    for n in range(1, 61):
        counts = mix.counts(n)
        assert sum(counts) == n
        assert all(c >= 0 for c in counts)
        for c, share in zip(counts, shares, strict=True):
            assert abs(c - share * n) < 1
            if share == 0.0:
                assert c == 0


def test_strategy_mix_must_sum_to_one() -> None:
    with pytest.raises(ValidationError):
        StrategyMix(balance_power=0.6)
    with pytest.raises(ValidationError):
        StrategyMix()  # all shares default to 0
    with pytest.raises(ValidationError):
        StrategyMix(balance_power=-0.5, bandwagon=1.5)


def test_strategy_names_in_blocks_for_mixed() -> None:
    names = Scenario.load("mixed").strategy_names()
    assert names == (
        ["balance_power"] * 20 + ["balance_threat"] * 10 + ["bandwagon"] * 10 + ["buck_pass"] * 10
    )


# ---------------------------------------------------------------- state names
@pytest.mark.parametrize(
    ("n", "first", "last"),
    [
        (2, "S0", "S1"),
        (10, "S0", "S9"),
        (11, "S00", "S10"),
        (20, "S00", "S19"),
        (101, "S000", "S100"),
    ],
)
def test_state_names_generated(n: int, first: str, last: str) -> None:
    names = Scenario.from_dict({"n_states": n}).state_names()
    assert len(names) == n
    assert names[0] == first
    assert names[-1] == last
    assert len(set(names)) == n
    assert len({len(x) for x in names}) == 1
    assert names == sorted(names)


def test_state_names_explicit() -> None:
    assert _explicit().state_names() == ["Athens", "Sparta", "Corinth"]


# --------------------------------------------------------------------- frozen
def test_scenario_is_frozen() -> None:
    s = Scenario.load("balancers")
    with pytest.raises(ValidationError):
        s.name = "changed"
    with pytest.raises(ValidationError):
        s.n_states = 3
    with pytest.raises(ValidationError):
        s.war.decisiveness = 9.0
    with pytest.raises(ValidationError):
        s.strategies.bandwagon = 1.0
    e = _explicit()
    assert isinstance(e.states, tuple)
    with pytest.raises(ValidationError):
        e.states[0].economy = 10.0
    assert isinstance(e.states[0], StateSpec)
    assert s == Scenario.load("balancers")
    assert e == _explicit()
