"""History loaders: typed frames, missing codes as NA, built-in copies equal the sources.

"The sources" are the makers' CSV releases. The tests rebuild them from the package's own
Parquet files (tests/datakit.py) and prove the rebuilt bytes against the SHA-256 of each
release recorded in src/equipoise/data/SOURCES.md, so nothing outside the repository is read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from datakit import LAYOUT, recorded_sha256, sha256, source_bytes, write_source
from equipoise.history import (
    DataError,
    data_dir,
    load_alliances,
    load_majors,
    load_nmc,
    load_states,
    load_system,
    load_wars,
)
from equipoise.history.loaders import _builtin_path, data_source, read_raw, validate
from equipoise.history.specs import SPECS

LOADERS: dict[str, Callable[[], pd.DataFrame]] = {
    "nmc": load_nmc,
    "states": load_states,
    "majors": load_majors,
    "system": load_system,
    "wars": load_wars,
    "atop_members": lambda: load_alliances("member"),
    "atop_alliances": lambda: load_alliances("alliance"),
    "atop_stateyear": lambda: load_alliances("state-year"),
}
# Row counts documented in SOURCES.md.
ROWS = {
    "nmc": 15_951,
    "states": 243,
    "majors": 14,
    "system": 15_951,
    "wars": 337,
    "atop_members": 2_510,
    "atop_alliances": 789,
    "atop_stateyear": 11_923,
}
DTYPES = {"int": "Int64", "float": "Float64", "str": "string"}
COW = ("nmc", "states", "majors", "system", "wars")


@pytest.fixture(autouse=True)
def builtin_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory at an empty folder so the built-in copies are read."""
    empty = tmp_path / "userdata"
    monkeypatch.setenv("EQUIPOISE_DATA_DIR", str(empty))
    return empty


def _one_line(msg: str) -> str:
    assert "\n" not in msg and "\r" not in msg, msg
    assert msg.strip()
    return msg


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# ===================================================================== shape and types
def test_specs_and_loaders_cover_the_same_tables() -> None:
    assert set(LOADERS) == set(SPECS) == set(ROWS)


@pytest.mark.parametrize("name", list(LOADERS))
def test_loader_reads_builtin_copy(name: str) -> None:
    assert data_source(name) == _builtin_path(SPECS[name])
    assert data_source(name).is_file()


@pytest.mark.parametrize("name", list(LOADERS))
def test_documented_dtypes(name: str) -> None:
    df = LOADERS[name]()
    spec = SPECS[name]
    for col, kind in spec.columns.items():
        assert str(df[col].dtype) == DTYPES[kind], (name, col, df[col].dtype)
    # Every other column is typed too: nothing is left as object or float64.
    assert {str(t) for t in df.dtypes} <= set(DTYPES.values()), df.dtypes.value_counts()


def test_some_documented_columns() -> None:
    nmc = load_nmc()
    assert list(nmc.columns[:10]) == list(SPECS["nmc"].columns)
    assert str(nmc["version"].dtype) == "Int64"
    assert str(load_wars()["WarName"].dtype) == "string"
    assert str(load_wars()["BatDeath"].dtype) == "Float64"
    assert str(load_alliances()["version"].dtype) == "Float64"  # "5.1"


@pytest.mark.parametrize("name", list(LOADERS))
def test_row_counts_match_sources_md(name: str) -> None:
    assert len(LOADERS[name]()) == ROWS[name]


@pytest.mark.parametrize("name", list(LOADERS))
def test_years_in_range(name: str) -> None:
    df = LOADERS[name]()
    spec = SPECS[name]
    lo, hi = spec.year_range
    for col in spec.year_columns:
        years = df[col].dropna()
        if col in spec.open_end:
            years = years[years != 0]
        assert years.between(lo, hi).all(), col


def test_known_values() -> None:
    nmc = load_nmc()
    assert (int(nmc["year"].min()), int(nmc["year"].max())) == (1816, 2016)
    assert not nmc.duplicated(["ccode", "year"]).any()
    assert nmc.set_index(["ccode", "year"]).loc[(2, 1816), "stateabb"] == "USA"
    majors = load_majors()
    assert set(majors["stateabb"]) == {
        "USA",
        "UKG",
        "FRN",
        "GMY",
        "AUH",
        "ITA",
        "RUS",
        "CHN",
        "JPN",
    }
    nato = load_alliances("member").query("atopid == 3180")
    assert nato["member"].nunique() == 30
    assert (nato["defense"] == 1).all()
    assert (load_alliances("member")["yrexit"] == 0).sum() == 1_146  # still in force


# ===================================================================== missing codes
def test_nmc_milex_minus_nine_is_na() -> None:
    milex = load_nmc()["milex"]
    assert milex.isna().any()
    assert not (milex.dropna() == -9).any()


@pytest.mark.parametrize("name", COW)
def test_no_missing_codes_left_in_cow_tables(name: str) -> None:
    df = LOADERS[name]()
    codes = SPECS[name].missing
    for col in df.columns:
        if str(df[col].dtype) != "string":
            assert not df[col].isin(codes).any(), (name, col)


def test_minus_nine_in_source_becomes_na(tmp_path: Path) -> None:
    raw = read_raw(write_source("nmc", tmp_path))
    typed = load_nmc()
    coded = raw["milex"].str.strip() == "-9"
    assert coded.sum() > 0
    assert typed["milex"][coded.to_numpy()].isna().all()
    assert typed["milex"][~coded.to_numpy()].notna().all()


def test_wars_minus_eight_is_na() -> None:
    wars = load_wars()
    assert not wars["BatDeath"].dropna().isin([-8, -9]).any()
    assert wars.isna().any().any()


# ===================================================================== built-in = source
def test_sources_md_records_every_release() -> None:
    recorded = recorded_sha256()
    assert set(recorded) == {spec.filename for spec in SPECS.values()}
    assert set(LAYOUT) == set(SPECS)


@pytest.mark.parametrize("name", list(LOADERS))
def test_builtin_copy_holds_the_release_byte_for_byte(name: str) -> None:
    """Every cell of the release is in the Parquet file, unchanged: written back with the
    release's layout it has the SHA-256 that SOURCES.md records for the release."""
    assert sha256(source_bytes(name)) == recorded_sha256()[SPECS[name].filename]


@pytest.mark.parametrize("name", list(LOADERS))
def test_builtin_equals_fresh_read_of_source(name: str, tmp_path: Path) -> None:
    """Loading the built-in copy gives what loading the release CSV itself gives."""
    spec = SPECS[name]
    src = write_source(name, tmp_path)
    fresh = validate(read_raw(src), spec, src.name)
    pd.testing.assert_frame_equal(LOADERS[name](), fresh)


# ===================================================================== errors
@pytest.fixture
def nmc_lines() -> list[str]:
    header = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version"
    rows = [
        "USA,2,1816,3823,17,80,254,8659,101,0.039,2021",
        "UKG,200,1816,16383,255,325,7920,19520,1119,0.337,2021",
        "FRN,220,1816,-9,210,-9,1000,30000,1500,0.2,2021",
    ]
    return [header, *rows]


def _validate_file(path: Path, name: str = "nmc") -> pd.DataFrame:
    return validate(read_raw(path), SPECS[name], path.name)


def test_small_valid_file(tmp_path: Path, nmc_lines: list[str]) -> None:
    df = _validate_file(_write(tmp_path / "ok.csv", "\r\n".join(nmc_lines)))
    assert len(df) == 3
    assert pd.isna(df.loc[2, "milex"]) and pd.isna(df.loc[2, "irst"])


def test_missing_column(tmp_path: Path, nmc_lines: list[str]) -> None:
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in nmc_lines]
    path = _write(tmp_path / "nomilex.csv", "\n".join(lines))
    with pytest.raises(DataError) as err:
        _validate_file(path)
    msg = _one_line(str(err.value))
    assert "nomilex.csv" in msg and "missing column 'milex'" in msg


def test_garbage_value_names_column_and_row(tmp_path: Path, nmc_lines: list[str]) -> None:
    nmc_lines[3] = nmc_lines[3].replace("30000", "lots")
    path = _write(tmp_path / "garbage.csv", "\n".join(nmc_lines))
    with pytest.raises(DataError) as err:
        _validate_file(path)
    msg = _one_line(str(err.value))
    assert "garbage.csv" in msg and "'tpop'" in msg and "data row 3" in msg and "'lots'" in msg


def test_non_whole_number_in_int_column(tmp_path: Path, nmc_lines: list[str]) -> None:
    nmc_lines[1] = nmc_lines[1].replace("USA,2,", "USA,2.5,")
    with pytest.raises(DataError, match=r"column 'ccode' holds non-whole numbers"):
        _validate_file(_write(tmp_path / "frac.csv", "\n".join(nmc_lines)))


def test_year_out_of_range(tmp_path: Path, nmc_lines: list[str]) -> None:
    nmc_lines[2] = nmc_lines[2].replace(",1816,", ",1700,")
    path = _write(tmp_path / "old.csv", "\n".join(nmc_lines))
    with pytest.raises(DataError) as err:
        _validate_file(path)
    msg = _one_line(str(err.value))
    assert "old.csv" in msg and "'year'" in msg and "1700" in msg and "1816-2100" in msg


def test_open_end_zero_allowed_only_where_documented(tmp_path: Path) -> None:
    header = "atopid,member,yrent,yrexit,defense,offense,neutral,nonagg,consul"
    ok = _write(tmp_path / "m.csv", f"{header}\n1,2,1900,0,1,0,0,0,0\n")
    assert int(_validate_file(ok, "atop_members")["yrexit"].iloc[0]) == 0
    bad = _write(tmp_path / "m0.csv", f"{header}\n1,2,0,1901,1,0,0,0,0\n")
    with pytest.raises(DataError, match=r"column 'yrent' has year 0"):
        _validate_file(bad, "atop_members")


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.csv", "")
    with pytest.raises(DataError) as err:
        _validate_file(path)
    msg = _one_line(str(err.value))
    assert "empty.csv" in msg


def test_header_only(tmp_path: Path, nmc_lines: list[str]) -> None:
    path = _write(tmp_path / "header.csv", nmc_lines[0] + "\n")
    with pytest.raises(DataError) as err:
        _validate_file(path)
    assert "header.csv: no data rows" == _one_line(str(err.value))


@pytest.mark.parametrize(
    "payload",
    [
        bytes(range(256)) * 8,  # binary noise
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(128, 256)) * 4,  # zip-like
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\xff\xfe",  # image
    ],
    ids=["noise", "zip", "png"],
)
def test_non_csv_bytes(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(payload)
    with pytest.raises(DataError) as err:
        _validate_file(path)
    msg = _one_line(str(err.value))
    assert "binary.csv" in msg


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        read_raw(tmp_path / "nowhere.csv")
    assert "nowhere.csv: file not found" in _one_line(str(err.value))


def test_extra_field_on_data_rows_does_not_shift_columns(tmp_path: Path) -> None:
    # Regression: a trailing comma on every data row (not the header) made
    # pandas use the first column as the index and shift every column left.
    path = _write(tmp_path / "trailing.csv", "stateabb,ccode,year\nUSA,2,1816,\nUKG,200,1816,\n")
    with pytest.warns(pd.errors.ParserWarning):
        df = _validate_file(path, "system")
    assert list(df["stateabb"]) == ["USA", "UKG"]
    assert list(df["ccode"]) == [2, 200]
    assert list(df.index) == [0, 1]


# ===================================================================== data directory
def test_data_dir_env_override(builtin_only: Path) -> None:
    assert data_dir() == builtin_only


def test_data_dir_default_is_platform_user_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EQUIPOISE_DATA_DIR", raising=False)
    import platformdirs

    expected = Path(platformdirs.user_data_dir("equipoise", appauthor=False)) / "data"
    assert data_dir() == expected


def test_downloaded_file_takes_precedence(builtin_only: Path) -> None:
    builtin_only.mkdir()
    text = (
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
        "XYZ,999,Testland,1900,1,1,1950,6,30,2016\n"
    )
    path = _write(builtin_only / "states2016.csv", text)
    assert data_source("states") == path
    states = load_states()
    assert len(states) == 2
    assert states["statenme"].iloc[1] == "Testland"
    assert str(states["ccode"].dtype) == "Int64"
    # Other tables still come from the built-in copies.
    assert data_source("majors") == _builtin_path(SPECS["majors"])
    # Removing the file falls back to the built-in copy.
    path.unlink()
    assert len(load_states()) == ROWS["states"]


def test_bad_downloaded_file_raises_one_line(builtin_only: Path) -> None:
    builtin_only.mkdir()
    _write(builtin_only / "majors2016.csv", "stateabb,ccode\nUSA,2\n")
    with pytest.raises(DataError) as err:
        load_majors()
    assert _one_line(str(err.value)) == "majors2016.csv: missing column 'styear'"


def test_replaced_file_is_reread(builtin_only: Path) -> None:
    builtin_only.mkdir()
    path = _write(builtin_only / "system2016.csv", "stateabb,ccode,year\nUSA,2,1816\n")
    assert len(load_system()) == 1
    _write(path, "stateabb,ccode,year\nUSA,2,1816\nUKG,200,1816\n")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # coarse-clock filesystems
    assert len(load_system()) == 2


# ===================================================================== cache
@pytest.mark.parametrize("name", ["nmc", "atop_members"])
def test_cache_does_not_leak_mutations(name: str) -> None:
    first = LOADERS[name]()
    before = first.copy()
    first.iloc[0, 0] = first.iloc[1, 0]
    first.iloc[:, 1] = pd.NA
    first["added"] = 1
    first.loc[first.index[:5], first.columns[2]] = pd.NA
    second = LOADERS[name]()
    pd.testing.assert_frame_equal(second, before)
    assert second is not first


def test_cache_does_not_leak_column_mutations() -> None:
    nmc = load_nmc()
    nmc["milex"] *= 2
    nmc["stateabb"] = nmc["stateabb"].str.lower()
    fresh = load_nmc()
    assert fresh["stateabb"].iloc[0] == "USA"
    assert fresh["milex"].iloc[0] != nmc["milex"].iloc[0]


# ===================================================================== whole-number fast path
def _general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every column the general way (as before the fast path existed)."""
    from equipoise.history import loaders

    monkeypatch.setattr(loaders, "_whole_numbers", lambda col, missing: None)


@pytest.mark.parametrize("name", list(LOADERS))
def test_whole_number_fast_path_changes_nothing(name: str, monkeypatch) -> None:
    import dataclasses

    spec = SPECS[name]
    raw = read_raw(_builtin_path(spec))
    # the table as loaded, and with every other numeric column declared a whole number (as
    # equipoise.panels declares the columns it reads that the spec does not name)
    ints = {c: "int" for c in validate(raw, spec, name).select_dtypes("Int64").columns}
    wide = dataclasses.replace(spec, columns={**ints, **spec.columns})
    for checked in (spec, wide):
        fast = validate(raw, checked, name)
        with monkeypatch.context() as m:
            _general_path(m)
            general = validate(raw, checked, name)
        pd.testing.assert_frame_equal(fast, general)


@pytest.mark.parametrize(
    "cells",
    [
        ["1", " 12 ", "", "-9", "0012", "-0"],  # plain: the fast path
        ["1", "NA", "3"],  # 'NA' is missing: the general path
        ["1", "2.0", "3"],  # a whole number written as a decimal
        ["1", "+5", "3"],
        ["1", "1e3", "3"],
        ["1", "\u00a012", "3"],  # non-ASCII space
        ["1", "x", "3"],  # not a number: the general path's error
        ["1", "2.5", "3"],  # not whole
        ["1", "1234567890123456789", "3"],  # beyond 18 digits
    ],
)
def test_whole_number_fast_path_on_edge_cells(cells: list[str], monkeypatch) -> None:
    import dataclasses

    spec = dataclasses.replace(SPECS["majors"], columns={"ccode": "int"}, year_columns=())
    raw = pd.DataFrame({"ccode": pd.array(cells, dtype="str")})

    def run() -> pd.DataFrame | str:
        try:
            return validate(raw, spec, "edge.csv")
        except DataError as exc:
            return str(exc)

    fast = run()
    with monkeypatch.context() as m:
        _general_path(m)
        general = run()
    if isinstance(general, str):
        assert fast == general and "edge.csv: column 'ccode'" in general
    else:
        assert isinstance(fast, pd.DataFrame)
        pd.testing.assert_frame_equal(fast, general)
