"""Atomic writes: a file or directory appears whole or not at all.

Temporary files and directories are created with the default modes (0o666 and
0o777 less the umask), as ``open`` and ``mkdir`` would create the final ones, so
results in a group-shared folder are as readable as any other file there
(``tempfile.mkstemp``/``mkdtemp`` would make them private to their owner).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_dir", "atomic_write_text"]

#: A directory holding this file is an equipoise output that may be replaced.
MARKER = "provenance.json"


def _sibling(path: Path, suffix: str) -> Path:
    """A fresh hidden name beside ``path``: ``.NAME.<random>SUFFIX``."""
    return path.parent / f".{path.name}.{secrets.token_hex(8)}{suffix}"


def _make_dir(path: Path, suffix: str) -> Path:
    """Create a new directory beside ``path`` with the default mode; return it."""
    while True:
        tmp = _sibling(path, suffix)
        try:
            tmp.mkdir()
        except FileExistsError:  # pragma: no cover - 64 random bits
            continue
        return tmp


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _sibling(path, ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def check_replaceable(path: str | Path, marker: str = MARKER) -> None:
    """Raise ``FileExistsError`` unless ``path`` is absent, empty or an earlier output."""
    path = Path(path)
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FileExistsError(f"cannot create {path}: {parent} is not a directory")
            break
    if path.exists():
        if not path.is_dir():
            raise FileExistsError(f"output path exists and is not a directory: {path}")
        if any(path.iterdir()) and not (path / marker).exists():
            raise FileExistsError(
                f"refusing to overwrite {path}: it is not empty and not an equipoise output"
            )


@contextlib.contextmanager
def atomic_dir(path: str | Path, marker: str = MARKER) -> Iterator[Path]:
    """Build a directory in a temporary sibling, then move it into place.

    An existing directory at ``path`` is replaced only if it is empty or holds
    ``marker`` (an earlier equipoise output); otherwise ``FileExistsError``.
    On any error the temporary directory is removed and ``path`` is untouched.
    """
    path = Path(path)
    check_replaceable(path, marker)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _make_dir(path, ".tmp")
    try:
        yield tmp
        if path.exists():
            old = _make_dir(path, ".old")
            os.replace(path, old / "x")
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
