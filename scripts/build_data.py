"""Build the built-in data (src/equipoise/data/*.parquet) from ../shared/data.

The Parquet files hold the CSV cells unchanged, as strings: the loaders type
and clean them exactly as they do a freshly downloaded CSV. Run from the
repository root: ``python scripts/build_data.py [SHARED_DATA_DIR]``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from equipoise.history.loaders import read_raw, validate
from equipoise.history.specs import SPECS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "equipoise" / "data"


def main(shared: Path) -> None:
    """Convert every table in SPECS and copy SOURCES.md."""
    OUT.mkdir(parents=True, exist_ok=True)
    for spec in SPECS.values():
        src = shared / spec.filename
        if not src.exists():
            src = shared / "atop" / spec.filename
        raw = read_raw(src)
        validate(raw, spec, src.name)  # refuse to ship a file that does not load
        table = pa.Table.from_pandas(raw, preserve_index=False)
        pq.write_table(table, OUT / f"{spec.name}.parquet", compression="zstd")
        print(f"{spec.name}: {len(raw)} rows from {src}")
    shutil.copyfile(shared / "SOURCES.md", OUT / "SOURCES.md")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
