"""Shared helpers of the command-line tests: one-line errors and untouched directories."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from equipoise.cli import main


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


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    """Create ``files`` under ``root``: text, bytes, or ``None`` for a directory."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.mkdir(parents=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def assert_refused(
    argv: list[str],
    root: Path,
    capsys: pytest.CaptureFixture[str],
    needles: Iterable[str],
) -> str:
    """Run ``equipoise ARGV`` in ``root`` (the current directory) and assert a clean refusal.

    Exit code 2, one line on stderr naming every needle, nothing on stdout, and nothing
    under ``root`` written, removed, changed or left behind. Returns the line.
    """
    before = snapshot(root)
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    line = one_line(captured.err)
    for needle in needles:
        assert needle in line, f"{needle!r} not named in {line!r}"
    assert captured.out == ""
    assert snapshot(root) == before
    return line
