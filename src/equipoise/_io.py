"""Atomic writes: a file or directory appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_dir", "atomic_write_text"]

#: A directory holding this file is an equipoise output that may be replaced.
MARKER = "provenance.json"


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / "x")
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
