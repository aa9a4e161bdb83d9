"""Atomic writes: whole or nothing, replace only earlier outputs, the umask's modes."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from equipoise._io import atomic_dir, atomic_write_text


@pytest.fixture
def umask_002():
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_outputs_get_the_modes_of_the_umask(tmp_path: Path, umask_002) -> None:
    with atomic_dir(tmp_path / "out") as tmp:
        (tmp / "provenance.json").write_text("{}", encoding="utf-8")
    atomic_write_text(tmp_path / "page.html", "<html></html>")
    assert _mode(tmp_path / "out") == 0o775, "a group-shared folder stays shared"
    assert _mode(tmp_path / "page.html") == 0o664


def test_a_failed_build_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), atomic_dir(tmp_path / "out") as tmp:
        (tmp / "half").write_text("x", encoding="utf-8")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_output_is_replaced_whole(tmp_path: Path) -> None:
    for text in ("first", "second"):
        with atomic_dir(tmp_path / "out") as tmp:
            (tmp / "provenance.json").write_text(text, encoding="utf-8")
    assert (tmp_path / "out" / "provenance.json").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temporaries left"


def test_a_foreign_directory_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not an equipoise output"):
        with atomic_dir(tmp_path / "out"):
            pass
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def test_write_text_replaces_atomically(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "a" / "f.txt", "one")
    atomic_write_text(tmp_path / "a" / "f.txt", "two")
    assert (tmp_path / "a" / "f.txt").read_text(encoding="utf-8") == "two"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["f.txt"]
