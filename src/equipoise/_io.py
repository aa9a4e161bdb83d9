"""Atomic writes: a file or directory appears whole or not at all, one writer at a time.

An output directory records the files equipoise wrote into it (:data:`RECORD`), so that
replacing it removes those files only: equipoise never deletes a file it did not write.
A directory that grows while a command runs (a sweep's, a calibration's) is held by
:func:`directory_lock`, so that a second command cannot write to it at the same time.

Temporary files and directories are created with the default modes (0o666 and
0o777 less the umask), as ``open`` and ``mkdir`` would create the final ones, so
results in a group-shared folder are as readable as any other file there
(``tempfile.mkstemp``/``mkdtemp`` would make them private to their owner).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import secrets
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

from equipoise._version import __version__

__all__ = [
    "MARKER",
    "RECORD",
    "atomic_dir",
    "atomic_write_text",
    "directory_lock",
    "written_files",
]

#: A directory holding this file is an equipoise output that may be replaced.
MARKER = "provenance.json"
#: Hidden file in every output directory listing the files equipoise wrote there: replacing
#: the output removes those and keeps every other file (a user's notes, say).
RECORD = ".equipoise-files.json"


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
                f"{path} holds files but is not an equipoise output: nothing in it would be "
                "overwritten, but equipoise writes only into a new or empty directory or over "
                "its own earlier output"
            )


def _files(root: Path) -> list[str]:
    """Every file (and symbolic link) under ``root``, as POSIX paths relative to it."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        names = filenames + [d for d in dirnames if (base / d).is_symlink()]
        out += [(base / f).relative_to(root).as_posix() for f in names]
    return sorted(out)


def _empty_dirs(root: Path) -> list[str]:
    """Directories under ``root`` with nothing in them, relative to it."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        if not dirnames and not filenames and Path(dirpath) != root:
            out.append(Path(dirpath).relative_to(root).as_posix())
    return out


def written_files(path: str | Path) -> set[str] | None:
    """The files equipoise wrote into output directory ``path`` (from its :data:`RECORD`).

    ``None`` if the directory has no readable record (not an output of this version).
    """
    try:
        data = json.loads((Path(path) / RECORD).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def _write_record(tmp: Path) -> None:
    files = [f for f in _files(tmp) if f != RECORD]
    record = {"written_by": f"equipoise {__version__}", "files": [*files, RECORD]}
    (tmp / RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def _carry_over(old: Path, new: Path) -> list[str]:
    """Move the files of ``old`` that equipoise did not write into ``new``, at the same paths.

    Which files equipoise wrote comes from ``old``'s record; an older output without one
    counts as equipoise's only the files the new output replaces. Raises
    ``FileExistsError`` (having moved nothing) if such a file would be overwritten. Returns
    the moved paths; on any error the ones already moved are moved back first.
    """
    new_files = set(_files(new))
    ours = written_files(old)
    if ours is None:
        ours = new_files
    foreign = [f for f in _files(old) if f not in ours and f != RECORD]
    for rel in foreign:
        parents = [p.as_posix() for p in Path(rel).parents if p != Path(".")]
        if rel in new_files or (new / rel).is_dir() or any(p in new_files for p in parents):
            raise FileExistsError(
                f"{old / rel} was not written by equipoise and the new output has a file "
                "there; move it away or choose another directory"
            )
    moved: list[str] = []
    try:
        for rel in foreign:
            (new / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(old / rel, new / rel)
            moved.append(rel)
        for rel in _empty_dirs(old):
            (new / rel).mkdir(parents=True, exist_ok=True)
    except BaseException:
        _move(moved, new, old)
        raise
    return moved


def _move(files: list[str], src: Path, dst: Path) -> None:
    """Move ``files`` (relative paths) from ``src`` back to ``dst``; best effort, never delete."""
    for rel in files:
        with contextlib.suppress(OSError):
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src / rel, dst / rel)


def _discard(holder: Path, root: Path, ours: set[str]) -> None:
    """Delete the files equipoise wrote under ``root`` (inside ``holder``), then empty folders.

    Anything else left there (a file created while the output was being replaced) is kept:
    then ``holder`` stays, hidden beside the output.
    """
    for rel in _files(root):
        if rel in ours:
            with contextlib.suppress(FileNotFoundError):
                (root / rel).unlink()
    for dirpath, _, _ in sorted(os.walk(holder), key=lambda w: -len(w[0])):
        with contextlib.suppress(OSError):
            os.rmdir(dirpath)  # only if empty


@contextlib.contextmanager
def atomic_dir(path: str | Path, marker: str = MARKER, *, record: bool = True) -> Iterator[Path]:
    """Build a directory in a temporary sibling, then move it into place.

    An existing directory at ``path`` is replaced only if it is empty or holds
    ``marker`` (an earlier equipoise output); otherwise ``FileExistsError``.
    Replacing it removes only the files equipoise wrote there (listed in its
    :data:`RECORD`); every other file is moved into the new output at the same
    place. On any error the temporary directory is removed and ``path`` is
    untouched. ``record=False`` writes no :data:`RECORD`: for a directory that
    grows after it is created (a sweep's), whose record would go stale.
    """
    path = Path(path)
    check_replaceable(path, marker)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _make_dir(path, ".tmp")
    try:
        yield tmp
        if record:
            _write_record(tmp)
        if path.exists():
            ours = (written_files(path) or set()) | set(_files(tmp))
            moved = _carry_over(path, tmp)
            old = _make_dir(path, ".old")
            try:
                os.replace(path, old / "x")
            except BaseException:
                _move(moved, tmp, path)
                os.rmdir(old)
                raise
            try:
                os.replace(tmp, path)
            except BaseException:
                os.replace(old / "x", path)
                _move(moved, tmp, path)
                os.rmdir(old)
                raise
            _discard(old, old / "x", ours)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _try_lock(fd: int) -> bool:
    """Take an exclusive, non-blocking lock on an open file; False if another holds it.

    The operating system releases the lock when its holder exits, however it exits,
    so a killed command never leaves a lock behind.
    """
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks (some network mounts)
        warnings.warn(
            f"cannot lock sweep directory ({exc.strerror}): make sure no other sweep writes to it",
            stacklevel=4,
        )
    return True


def _holder(fd: int) -> str:
    """Who holds a lock, from the record its holder wrote: ``pid N on HOST, since T``."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        record = json.loads(os.read(fd, 4096).decode("utf-8"))
        return f"pid {record['pid']} on {record['host']}, since {record['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "it is starting"


@contextlib.contextmanager
def directory_lock(directory: Path, busy: Callable[[str], Exception]) -> Iterator[None]:
    """Hold the lock of an output directory: one command writes to a directory at a time.

    The lock is ``.NAME.lock`` beside the directory ``NAME``, so it also covers the
    directory's creation. It is an operating-system lock on that file (``flock``), not
    the file's existence: it ends when its holder exits, even by SIGKILL, and the
    file only records who holds it, for the error message. The holder removes the file
    when it is done; a command that opened the file just before that checks, once it
    holds the lock, that the file it locked is still the one at the path.

    Parameters
    ----------
    directory : Path
        The output directory (it need not exist yet).
    busy : callable
        Makes the error raised when another process holds the lock, from a description
        of the holder (``"pid N on HOST, since T"``).

    Raises
    ------
    Exception
        ``busy(holder)``, if another process holds the lock.
    """
    path = directory.parent / f".{directory.name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            holder = _holder(fd)
            os.close(fd)
            raise busy(holder)
        try:
            current = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)  # locked a file its holder has just removed: lock the new one
    try:
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        record = {"pid": os.getpid(), "host": platform.node(), "started": started}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(record).encode("utf-8"))
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still holding the lock (Windows: the file stays)
        os.close(fd)
