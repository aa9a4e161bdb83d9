"""The succession table: how every state enters and leaves the COW system (issue 28, item 1).

``equipoise/data/succession.csv`` is the project's own hand coding of every boundary of a
membership spell in COW's State System Membership v2016. These tests hold it to COW's spells
(each boundary exactly once), to its vocabularies, to the membership of the successors and
predecessors it names, and to the codings the documentation states for the unifications of
Germany and Italy, the end of Austria-Hungary and the continuity of Russia/USSR (365).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from equipoise.history import DataError, load_states, load_succession, load_system
from equipoise.history.loaders import ENTRY_KINDS, EXIT_KINDS, _check_succession

#: Exits by kind, as docs/history.md and SOURCES.md report them.
EXIT_COUNTS = {"conquest": 33, "unification": 13, "dissolution": 2}


@pytest.fixture(autouse=True)
def builtin_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read the built-in COW copies, not files a user has downloaded."""
    monkeypatch.setenv("EQUIPOISE_DATA_DIR", str(tmp_path / "userdata"))


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return load_succession()


def _event(table: pd.DataFrame, abb: str, event: str, year: int | None = None) -> pd.Series:
    rows = table[(table["stateabb"] == abb) & (table["event"] == event)]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1, (abb, event, year)
    return rows.iloc[0]


def _boundaries() -> set[tuple[int, str, int, int, int]]:
    """Every start and end of a COW spell, less 1 January 1816 entries and 2016 exits."""
    states = load_states()
    out = set()
    for row in states.itertuples():
        start = (int(row.styear), int(row.stmonth), int(row.stday))
        end = (int(row.endyear), int(row.endmonth), int(row.endday))
        if start != (1816, 1, 1):
            out.add((int(row.ccode), "entry", *start))
        if end != (2016, 12, 31):
            out.add((int(row.ccode), "exit", *end))
    return out


def test_every_spell_boundary_is_coded_exactly_once(table):
    keys = [
        (int(r.ccode), str(r.event), int(r.year), int(r.month), int(r.day))
        for r in table.itertuples()
    ]
    assert len(keys) == len(set(keys))
    assert set(keys) == _boundaries()
    assert len(keys) == 268  # 220 entries after 1816 and 48 exits before the end of 2016


def test_abbreviations_are_cow_s(table):
    states = load_states()
    abb = dict(zip(states["ccode"].astype(int), states["stateabb"], strict=False))
    assert all(abb[int(c)] == a for c, a in zip(table["ccode"], table["stateabb"], strict=True))


def test_kinds_come_from_the_allowed_sets_and_every_row_has_a_note(table):
    entries, exits = table[table["event"] == "entry"], table[table["event"] == "exit"]
    assert set(entries["kind"]) <= ENTRY_KINDS
    assert set(exits["kind"]) <= EXIT_KINDS
    assert len(entries) + len(exits) == len(table)
    assert (table["note"].str.len() > 10).all()


def test_exit_counts_by_kind_are_the_documented_ones(table):
    exits = table[table["event"] == "exit"]
    assert exits["kind"].value_counts().to_dict() == EXIT_COUNTS


def test_rows_are_in_date_order(table):
    order = table.assign(ev=(table["event"] == "entry").astype(int))
    order = order.sort_values(["year", "month", "day", "ev", "ccode"], kind="stable")
    assert order.index.tolist() == table.index.tolist()


def test_successors_and_predecessors_are_system_members_at_the_time(table):
    system = load_system()
    members = set(zip(system["ccode"].astype(int), system["year"].astype(int), strict=True))
    named = table[table["other_ccode"].notna()]
    for row in named.itertuples():
        other, year = int(row.other_ccode), int(row.year)
        assert other != int(row.ccode), row
        if row.event == "entry":
            # the predecessor held the land just before: a member that year or the year before
            assert (other, year) in members or (other, year - 1) in members, row
        else:
            # the successor takes the land: a member that year or later (Austria-Hungary's
            # successor states entered in 1918-1919; Germany's 1945 successor is the USSR)
            assert any((other, y) in members for y in range(year, 2017)), row


def test_who_has_no_other_state(table):
    """Only admissions and two decolonisations without a single holder lack a predecessor."""
    entries = table[table["event"] == "entry"]
    missing = entries[entries["other_ccode"].isna()]
    assert set(missing["kind"]) <= {"admission", "decolonisation", "restoration"}
    assert set(missing.loc[missing["kind"] != "admission", "stateabb"]) == {"VAN", "AUS"}
    assert entries.loc[entries["kind"] == "admission", "other_ccode"].isna().all()
    # every exit names a successor, and every secession, dissolution and unification a predecessor
    assert table.loc[table["event"] == "exit", "other_ccode"].notna().all()
    named = entries["kind"].isin(["secession", "dissolution", "unification"])
    assert entries.loc[named, "other_ccode"].notna().all()


def test_german_unification(table):
    for abb in ("BAV", "BAD", "WRT", "MEC"):
        row = _event(table, abb, "exit")
        assert (row["kind"], int(row["other_ccode"])) == ("unification", 255), abb
    for abb in ("HAN", "HSE", "SAX", "HSG"):  # annexed or absorbed after defeat in 1866
        row = _event(table, abb, "exit")
        assert (row["kind"], int(row["other_ccode"])) == ("conquest", 255), abb
    assert int(_event(table, "BAV", "exit")["year"]) == 1871


def test_italian_unification(table):
    for abb in ("TUS", "MOD", "PMA"):
        row = _event(table, abb, "exit")
        assert (row["kind"], int(row["other_ccode"])) == ("unification", 325), abb
    for abb in ("PAP", "SIC"):  # conquered in the wars of 1860-61
        row = _event(table, abb, "exit")
        assert (row["kind"], int(row["other_ccode"])) == ("conquest", 325), abb


def test_austria_hungary_dissolves_into_successor_states(table):
    assert _event(table, "AUH", "exit")["kind"] == "dissolution"
    for abb, year in (("CZE", 1918), ("HUN", 1918), ("AUS", 1919)):
        row = _event(table, abb, "entry", year)
        assert (row["kind"], int(row["other_ccode"])) == ("dissolution", 300), abb


def test_russia_and_yugoslavia_continue_as_cow_codes_them(table):
    """365 and 345 never exit; the Soviet and Yugoslav republics enter as their successors."""
    assert not ((table["ccode"] == 365) & (table["event"] == "exit")).any()
    assert not ((table["ccode"] == 345) & (table["event"] == "exit") & (table["year"] > 1945)).any()
    soviet = table[(table["year"] == 1991) & (table["month"] == 12) & (table["event"] == "entry")]
    assert len(soviet) == 11
    assert set(soviet["kind"]) == {"dissolution"}
    assert set(soviet["other_ccode"].astype(int)) == {365}
    for abb in ("EST", "LAT", "LIT"):  # members 1918-1940: restored, not new
        row = _event(table, abb, "entry", 1991)
        assert (row["kind"], int(row["other_ccode"])) == ("restoration", 365), abb
    for abb in ("CRO", "SLV", "BOS", "MAC"):
        assert int(_event(table, abb, "entry")["other_ccode"]) == 345, abb


def test_the_unifications_of_1990_and_the_czechoslovak_split(table):
    for abb in ("GFR", "GDR"):
        row = _event(table, abb, "exit")
        assert (row["kind"], int(row["other_ccode"])) == ("unification", 255), abb
    germany = _event(table, "GMY", "entry", 1990)
    assert (germany["kind"], int(germany["other_ccode"])) == ("unification", 260)
    for abb in ("YAR", "YPR"):
        row = _event(table, abb, "exit")
        assert (row["kind"], int(row["other_ccode"])) == ("unification", 679), abb
    assert _event(table, "YEM", "entry")["kind"] == "unification"
    assert _event(table, "CZE", "exit", 1992)["kind"] == "dissolution"
    assert _event(table, "CZE", "exit", 1939)["kind"] == "conquest"


def test_occupied_states_of_the_second_world_war_are_conquered_and_restored(table):
    for abb in ("POL", "NOR", "DEN", "BEL", "NTH", "LUX", "FRN", "GRC", "YUG"):
        assert _event(table, abb, "exit", None if abb != "POL" else 1939)["kind"] == "conquest"
        entry = table[(table["stateabb"] == abb) & (table["event"] == "entry")]
        assert entry["year"].between(1944, 1945).any(), abb
        assert set(entry.loc[entry["year"] >= 1944, "kind"]) == {"restoration"}, abb


def test_the_loader_returns_a_fresh_typed_copy(table):
    assert table["ccode"].dtype == "Int64" and table["other_ccode"].dtype == "Int64"
    assert table["kind"].dtype == "string"
    again = load_succession()
    again.loc[0, "kind"] = "changed"
    assert load_succession().loc[0, "kind"] == table.loc[0, "kind"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("kind", "annexation", "exit kind 'annexation' is not one of"),
        ("event", "birth", "event 'birth' is not entry or exit"),
        ("note", "", "column 'note' is empty"),
    ],
)
def test_a_malformed_row_is_a_one_line_data_error(table, column, value, message):
    bad = table.copy()
    row = int(bad.index[bad["event"] == "exit"][0])
    bad.loc[row, column] = value
    with pytest.raises(DataError, match=message) as err:
        _check_succession(bad, "succession.csv")
    assert "\n" not in str(err.value)
