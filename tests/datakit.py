"""The makers' CSV files, rebuilt byte for byte from the package's own data.

The built-in Parquet files (``src/equipoise/data``) hold every cell of the released
CSVs unchanged, as strings (``scripts/build_data.py``). Writing them back with each
file's recorded layout (line ending, newline after the last row; documented in
``src/equipoise/data/SOURCES.md``) gives the released files again, byte for byte, which
the tests prove against the SHA-256 that SOURCES.md records for each release. Tests use
these files wherever they need "the CSV as distributed"; nothing reads files outside the
repository.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from pathlib import Path

import pyarrow.parquet as pq

from equipoise.history.loaders import _builtin_path
from equipoise.history.specs import SPECS

ROOT = Path(__file__).resolve().parents[1]
SOURCES_MD = ROOT / "src" / "equipoise" / "data" / "SOURCES.md"

#: Layout of each released file, as SOURCES.md records it: the line ending and whether
#: the last row ends with one. COW: CRLF without a final newline, except the war data,
#: which has classic-Mac CR line endings; ATOP: CRLF with a final CRLF.
LAYOUT: dict[str, tuple[str, bool]] = {
    "nmc": ("\r\n", False),
    "states": ("\r\n", False),
    "majors": ("\r\n", False),
    "system": ("\r\n", False),
    "wars": ("\r", False),
    "atop_members": ("\r\n", True),
    "atop_alliances": ("\r\n", True),
    "atop_stateyear": ("\r\n", True),
}
COW = ("nmc", "states", "majors", "system", "wars")
ATOP = ("atop_members", "atop_alliances", "atop_stateyear")


@functools.cache
def source_bytes(name: str) -> bytes:
    """The released CSV of table ``name`` (a key of ``SPECS``), rebuilt from the built-in copy."""
    eol, final_newline = LAYOUT[name]
    table = pq.read_table(_builtin_path(SPECS[name])).to_pandas()
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=eol, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    writer.writerows(table.itertuples(index=False, name=None))
    text = buf.getvalue()
    if not final_newline:
        text = text[: -len(eol)]
    return text.encode("ascii")


def write_source(name: str, directory: Path) -> Path:
    """Write table ``name``'s released CSV into ``directory`` under its release file name."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / SPECS[name].filename
    path.write_bytes(source_bytes(name))
    return path


def recorded_sha256() -> dict[str, str]:
    """File name -> SHA-256 from the summary tables of SOURCES.md (``atop/`` prefix dropped)."""
    text = SOURCES_MD.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (?:atop/)?([\w.-]+\.csv) \|.*\| ([0-9a-f]{64}) \|$", text, re.M)
    return dict(rows)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
