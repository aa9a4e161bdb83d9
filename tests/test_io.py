"""Atomic writes: whole or nothing, replace only earlier outputs, the umask's modes."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from equipoise._io import RECORD, atomic_dir, atomic_write_text, written_files


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


def _output(path: Path, files: dict[str, str]) -> None:
    with atomic_dir(path) as tmp:
        for rel, text in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(text, encoding="utf-8")


def test_an_output_records_what_equipoise_wrote(tmp_path: Path) -> None:
    _output(tmp_path / "out", {"provenance.json": "{}", "sub/table.csv": "a\n"})
    assert written_files(tmp_path / "out") == {"provenance.json", "sub/table.csv", RECORD}
    assert written_files(tmp_path) is None


def test_replacing_an_output_keeps_files_equipoise_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _output(out, {"provenance.json": "1", "old.csv": "x", "sub/table.csv": "1"})
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    (out / "sub" / "mine.txt").write_text("also mine", encoding="utf-8")
    (out / ".hidden-notes").write_text("hidden", encoding="utf-8")
    (out / "empty-folder").mkdir()
    _output(out, {"provenance.json": "2", "sub/table.csv": "2"})
    assert (out / "provenance.json").read_text(encoding="utf-8") == "2"
    assert (out / "sub" / "table.csv").read_text(encoding="utf-8") == "2"
    assert not (out / "old.csv").exists()  # equipoise's own, from the earlier output
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "sub" / "mine.txt").read_text(encoding="utf-8") == "also mine"
    assert (out / ".hidden-notes").read_text(encoding="utf-8") == "hidden"
    assert (out / "empty-folder").is_dir()
    assert written_files(out) == {"provenance.json", "sub/table.csv", RECORD}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temporaries left"


def test_an_output_without_a_record_loses_only_what_is_rewritten(tmp_path: Path) -> None:
    """An output from before records were kept: only the files written again are replaced."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "provenance.json").write_text("old", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    _output(out, {"provenance.json": "new"})
    assert (out / "provenance.json").read_text(encoding="utf-8") == "new"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_user_file_in_the_way_stops_the_replacement(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _output(out, {"provenance.json": "1"})
    (out / "table.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"table\.csv was not written by equipoise"):
        _output(out, {"provenance.json": "2", "table.csv": "ours"})
    assert (out / "table.csv").read_text(encoding="utf-8") == "mine"
    assert (out / "provenance.json").read_text(encoding="utf-8") == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_swap_puts_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _output(out, {"provenance.json": "1"})
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    real = os.replace

    def failing(src, dst):  # type: ignore[no-untyped-def]
        if Path(src).name.endswith(".tmp") and Path(dst) == out:
            raise OSError("disk trouble")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="disk trouble"):
        _output(out, {"provenance.json": "2"})
    monkeypatch.undo()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "provenance.json").read_text(encoding="utf-8") == "1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
