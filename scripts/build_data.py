"""Build the built-in data (src/equipoise/data/*.parquet) from ../shared/data.

Two kinds of tables are built:

* the COW and ATOP CSVs (``equipoise.history._specs.SPECS``): the Parquet files hold the CSV
  cells unchanged, as strings, and the loaders type and clean them exactly as they do a
  freshly downloaded CSV;
* peacesciencer's R data files (``peacesciencer/*.rda``: contiguity, GML MIDs, democracy,
  rivalries, minimum distances; Miller 2022), read here with the ``rdata`` package and written
  as typed Parquet (small integer types, dictionary-encoded text, zstd) that
  ``equipoise.panels`` reads directly. Values are as the source had them, missing values as
  Parquet nulls; only dates become year and month columns.

``rdata`` is needed by this script only, never by equipoise at run time or by the tests: it is
the ``[data-build]`` extra (``pip install -e ".[data-build]"``; rdata 1.1 was used).

``src/equipoise/data/SOURCES.md`` is the shared provenance file followed by a section,
written here, on how each typed Parquet file was made (source file and its sha256, rows,
columns and types). Run from the repository root::

    python scripts/build_data.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import hashlib
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from equipoise.history.loaders import read_raw, validate
from equipoise.history.specs import SPECS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "equipoise" / "data"


def build_cow(shared: Path) -> None:
    """Convert every table in SPECS (strings, as the CSV had them)."""
    for spec in SPECS.values():
        src = shared / spec.filename
        if not src.exists():
            src = shared / "atop" / spec.filename
        raw = read_raw(src)
        validate(raw, spec, src.name)  # refuse to ship a file that does not load
        table = pa.Table.from_pandas(raw, preserve_index=False)
        pq.write_table(table, OUT / f"{spec.name}.parquet", compression="zstd")
        print(f"{spec.name}: {len(raw)} rows from {src}")


# --------------------------------------------------------------------------- peacesciencer


def read_rda(path: Path) -> pd.DataFrame:
    """The one data frame of an R ``.rda`` file (R's numbers arrive as float64)."""
    try:
        import rdata
    except ImportError:
        raise SystemExit(
            "scripts/build_data.py needs the 'rdata' package to read peacesciencer's .rda "
            "files: pip install -e '.[data-build]' (build time only; equipoise does not need it)"
        ) from None
    with warnings.catch_warnings():
        # tibbles and Date columns have no Python constructor: rdata falls back to plain
        # data frames and numbers (days since 1970-01-01), which is what is wanted here
        warnings.simplefilter("ignore", UserWarning)
        frames = list(rdata.read_rda(str(path)).values())
    if len(frames) != 1 or not isinstance(frames[0], pd.DataFrame):
        raise SystemExit(f"{path}: expected one data frame")
    return frames[0].reset_index(drop=True)


def _whole(values: pd.Series, dtype: str, name: str) -> pa.Array:
    """A float column of whole numbers as a (nullable) integer Arrow array."""
    v = values.to_numpy(dtype=np.float64, na_value=np.nan)
    known = ~np.isnan(v)
    if not (v[known] == np.round(v[known])).all():
        raise SystemExit(f"column '{name}' holds values that are not whole numbers")
    ints = np.zeros(len(v), dtype=np.int64)
    ints[known] = v[known]
    return pa.array(ints, mask=~known).cast(dtype)


def _year_month(days: pd.Series) -> tuple[pd.Series, pd.Series]:
    dates = pd.to_datetime(days.astype("int64"), unit="D")
    return dates.dt.year, dates.dt.month


def contiguity(raw: pd.DataFrame) -> pa.Table:
    """COW Direct Contiguity v3.2 spells by month (days in the R dates mean nothing)."""
    raw = raw.copy()
    raw["styear"], raw["stmonth"] = _year_month(raw["stdate"])
    raw["endyear"], raw["endmonth"] = _year_month(raw["enddate"])
    raw = raw.sort_values(["ccode1", "ccode2", "styear", "stmonth"], kind="stable")
    types = {
        "ccode1": "int16",
        "ccode2": "int16",
        "conttype": "int8",
        "styear": "int16",
        "stmonth": "int8",
        "endyear": "int16",
        "endmonth": "int8",
    }
    return pa.table({c: _whole(raw[c], t, c) for c, t in types.items()})


#: GML MID columns and their Arrow types (the file's own column order).
MID_TYPES = {
    "dispnum": "int16",
    "ccode1": "int16",
    "ccode2": "int16",
    "year": "int16",
    "gmlmidongoing": "int8",
    "gmlmidonset": "int8",
    "sidea1": "int8",
    "sidea2": "int8",
    "fatality1": "int8",
    "fatality2": "int8",
    "fatalpre1": "int32",
    "fatalpre2": "int32",
    "hiact1": "int8",
    "hiact2": "int8",
    "hostlev1": "int8",
    "hostlev2": "int8",
    "orig1": "int8",
    "orig2": "int8",
    "fatality": "int8",
    "hostlev": "int8",
    "recip": "int8",
    "mindur": "int16",
    "maxdur": "int16",
    "stmon": "int8",
}


def gml_mids(raw: pd.DataFrame) -> pa.Table:
    """GML MIDs 2.2.1 directed dyad-years, one dispute per dyad-year, sorted by dyad-year."""
    if list(raw.columns) != list(MID_TYPES):
        raise SystemExit(f"gml_mid_ddydisps: unexpected columns {list(raw.columns)}")
    raw = raw.sort_values(["ccode1", "ccode2", "year"], kind="stable")
    return pa.table({c: _whole(raw[c], t, c) for c, t in MID_TYPES.items()})


def democracy(raw: pd.DataFrame) -> pa.Table:
    """V-Dem polyarchy, Polity polity2 and extended UDS by COW state-year."""
    raw = raw.sort_values(["ccode", "year"], kind="stable")
    return pa.table(
        {
            "ccode": _whole(raw["ccode"], "int16", "ccode"),
            "year": _whole(raw["year"], "int16", "year"),
            "v2x_polyarchy": pa.array(raw["v2x_polyarchy"].to_numpy(), from_pandas=True),
            "polity2": _whole(raw["polity2"], "int8", "polity2"),
            "xm_qudsest": pa.array(raw["xm_qudsest"].to_numpy(), from_pandas=True),
        }
    )


def _text(values: pd.Series) -> pa.Array:
    return pa.array(values.astype(object).where(values.notna(), None), type=pa.string())


def rivalries(raw: pd.DataFrame) -> pa.Table:
    """Thompson & Dreyer (2012) strategic rivalries, one row per rivalry."""
    raw = raw.sort_values("rivalryno", kind="stable")
    out: dict[str, pa.Array] = {
        "rivalryno": _whole(raw["rivalryno"], "int16", "rivalryno"),
        "rivalryname": _text(raw["rivalryname"]),
    }
    for c in ("ccode1", "ccode2", "styear", "endyear"):
        out[c] = _whole(raw[c], "int16", c)
    for c in ("region", "type1", "type2", "type3"):
        out[c] = _text(raw[c]).dictionary_encode()
    return pa.table(out)


def mindist(raw: pd.DataFrame) -> pa.Table:
    """Minimum distances (km) between COW states on 1 January, ``ccode1 < ccode2``."""
    raw = raw.sort_values(["ccode1", "ccode2", "year"], kind="stable")
    return pa.table(
        {
            "ccode1": _whole(raw["ccode1"], "int16", "ccode1"),
            "ccode2": _whole(raw["ccode2"], "int16", "ccode2"),
            "year": _whole(raw["year"], "int16", "year"),
            "mindist": pa.array(raw["mindist"].to_numpy(dtype=np.float64)),
        }
    )


#: Built-in name -> (source .rda under peacesciencer/, converter, what it is).
PEACESCIENCER: dict[str, tuple[str, Callable[[pd.DataFrame], pa.Table], str]] = {
    "contiguity": (
        "cow_contdir.rda",
        contiguity,
        "COW Direct Contiguity v3.2, directed spells by month, with peacesciencer's "
        "non-contiguous (type 0) spells; `stdate`/`enddate` became `styear`, `stmonth`, "
        "`endyear`, `endmonth` (COW codes contiguity by month)",
    ),
    "gml_mids": (
        "gml_mid_ddydisps.rda",
        gml_mids,
        "GML MIDs 2.2.1, directed dyad-years, one dispute per dyad-year as peacesciencer "
        "kept it; codes unchanged (-9 still means unknown)",
    ),
    "democracy": (
        "ccode_democracy.rda",
        democracy,
        "V-Dem v10 polyarchy, Polity IV polity2, extended UDS (xm_qudsest) per COW "
        "state-year; missing values are nulls",
    ),
    "rivalries": (
        "td_rivalries.rda",
        rivalries,
        "Thompson & Dreyer (2012) strategic rivalries, one row per rivalry; text columns "
        "dictionary-encoded",
    ),
    "mindist": (
        "cow_mindist.rda",
        mindist,
        "CShapes 2.0 minimum distances (km) between COW states on 1 January, "
        "non-directed (`ccode1 < ccode2`), values unchanged (float64)",
    ),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_peacesciencer(shared: Path) -> str:
    """Write the typed Parquet files; return the SOURCES.md section describing them."""
    lines = [
        "",
        "---",
        "",
        "# Built-in typed Parquet files made from the peacesciencer .rda files",
        "",
        "Written by `scripts/build_data.py`, which reads each `.rda` above with the `rdata` "
        "package (build time only) and writes the same rows and values as typed Parquet "
        "(zstd), so that `equipoise.panels` reads them without R or `rdata`. Whole-number "
        "columns become the smallest integer type that holds them, text columns strings "
        "(repeated labels dictionary-encoded), missing values Parquet nulls; rows are sorted "
        "by their keys. Nothing else is changed: missing-value codes such as GML's -9 are "
        "kept, and `equipoise.panels` documents how it reads them.",
        "",
        "| built-in file | from | sha256 of the source | rows | what |",
        "|---|---|---|---:|---|",
    ]
    details = []
    for name, (filename, convert, what) in PEACESCIENCER.items():
        src = shared / "peacesciencer" / filename
        raw = read_rda(src)
        table = convert(raw)
        if table.num_rows != len(raw):
            raise SystemExit(f"{filename}: {len(raw)} rows read but {table.num_rows} written")
        pq.write_table(table, OUT / f"{name}.parquet", compression="zstd")
        lines.append(
            f"| {name}.parquet | peacesciencer/{filename} | {_sha256(src)[:16]}... | "
            f"{table.num_rows:,} | {what} |"
        )
        schema = ", ".join(f"`{f.name}` {f.type}" for f in table.schema)
        details.append(f"- **{name}.parquet**: {schema}.")
        print(f"{name}: {table.num_rows} rows from {src}")
    return "\n".join([*lines, "", "Columns and types:", "", *details, ""])


def main(shared: Path) -> None:
    """Convert every table and write SOURCES.md (shared provenance + the typed files)."""
    OUT.mkdir(parents=True, exist_ok=True)
    build_cow(shared)
    section = build_peacesciencer(shared)
    text = (shared / "SOURCES.md").read_text(encoding="utf-8").rstrip("\n") + "\n"
    (OUT / "SOURCES.md").write_text(text + section, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
