"""Shared helpers of the command-line tests: one-line errors and untouched directories."""

from __future__ import annotations

import os
from pathlib import Path


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and directory under ``root``, hidden ones included."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for d in dirnames:
            out[(base / d).relative_to(root).as_posix() + "/"] = None
        for f in filenames:
            out[(base / f).relative_to(root).as_posix()] = (base / f).read_bytes()
    return out


def one_line(err: str) -> str:
    """Assert that stderr holds exactly one non-empty line and no traceback; return it."""
    text = err.rstrip("\n")
    lines = text.split("\n")
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err}"
    assert lines[0].strip(), "stderr is empty"
    assert "Traceback" not in text
    return lines[0]
