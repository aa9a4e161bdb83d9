"""The sweep directory: its layout and manifest, resuming, and reading the outcomes back.

A sweep directory holds ``manifest.json`` (:data:`MANIFEST`: the spec's SHA-256, the
package versions), the spec as ``sweep.toml``, the design (``points.parquet``,
``design.parquet``), one Parquet file per finished chunk in ``chunks/`` and, when every
chunk is done, ``outcomes.parquet`` (the contract of :mod:`equipoise.experiments.runner`).
:func:`check_directory` says whether a directory can hold a sweep (and whether it resumes
one), :func:`load_sweep` and :func:`read_outcomes` read a finished sweep back.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import secrets
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from equipoise._io import atomic_dir
from equipoise._version import __version__
from equipoise.experiments.chunks import _KEYS, OUTCOMES, chunk_filename, plan
from equipoise.experiments.spec import FORMAT, InvalidSweepError, SweepSpec

__all__ = [
    "CHUNKS",
    "MANIFEST",
    "IncompleteSweepError",
    "SweepLockedError",
    "SweepMismatchError",
    "check_directory",
    "load_sweep",
    "read_outcomes",
    "require_directory",
]

#: The file that marks a sweep directory (the spec's hash, the package versions).
MANIFEST = "manifest.json"
#: The folder of a sweep directory that holds one Parquet file per finished chunk.
CHUNKS = "chunks"


class SweepMismatchError(InvalidSweepError):
    """The output directory holds a different sweep (or one from another version)."""


class IncompleteSweepError(InvalidSweepError):
    """A sweep directory is missing chunks (the sweep has not finished)."""


class SweepLockedError(InvalidSweepError):
    """Another sweep is writing to the output directory."""


def _manifest(spec: SweepSpec, n_chunks: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "name": spec.name,
        "description": spec.description,
        "spec_hash": spec.content_hash(),
        "equipoise_version": __version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "design": spec.design,
        "factors": list(spec.factors),
        "points": spec.n_points,
        "replications": spec.replications,
        "steps": spec.steps,
        "seed": spec.seed,
        "chunk_size": spec.effective_chunk_size,
        "chunks": n_chunks,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "spec": spec.canonical(),
    }


def _write_parquet(frame: pd.DataFrame, path: Path, meta: dict[str, Any] | None = None) -> None:
    """Write a Parquet file atomically and durably (fsync before the rename)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if meta:
        extra = {b"equipoise": json.dumps(meta).encode()}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(tmp, "xb") as fh:  # the umask applies, unlike mkstemp's 0600
            pq.write_table(table, fh, compression="zstd")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _create(spec: SweepSpec, directory: Path, n_chunks: int) -> None:
    """Lay out a new sweep directory in one atomic step."""
    # no record of the files written: chunks and outcomes are added later
    with atomic_dir(directory, marker=MANIFEST, record=False) as tmp:
        (tmp / CHUNKS).mkdir()
        (tmp / "sweep.toml").write_text(spec.to_toml(), encoding="utf-8")
        _write_parquet(spec.points(), tmp / "points.parquet")
        design = pd.DataFrame(spec.design_matrix(), columns=list(spec.factors))
        _write_parquet(design, tmp / "design.parquet")
        text = json.dumps(_manifest(spec, n_chunks), indent=2) + "\n"
        (tmp / MANIFEST).write_text(text, encoding="utf-8")


def _read_manifest(path: Path) -> dict[str, Any]:
    """A sweep directory's ``manifest.json``; a one-line error if it cannot be read."""
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidSweepError(f"{path}: unreadable manifest: {exc}") from None
    return manifest


def check_directory(spec: SweepSpec, directory: str | Path) -> bool:
    """Check that ``directory`` can hold ``spec``'s results, writing nothing.

    Returns
    -------
    bool
        True if it already holds this sweep (it will be resumed), False if it is
        absent or empty (it will be created).

    Raises
    ------
    SweepMismatchError
        If it holds a different sweep, or one started by another equipoise version.
    InvalidSweepError
        If it is a file, or a non-empty directory that is not a sweep.
    """
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if directory.exists() and not directory.is_dir():
        raise InvalidSweepError(f"output path exists and is not a directory: {directory}")
    if manifest_path.is_file():
        manifest = _read_manifest(manifest_path)
        if manifest.get("spec_hash") != spec.content_hash():
            old = manifest.get("spec", {})
            new = spec.canonical()
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            raise SweepMismatchError(
                f"{directory} holds a different sweep (changed: {', '.join(changed) or '?'}); "
                "restore the original sweep file to resume it, or choose another output directory"
            )
        if manifest.get("equipoise_version") != __version__:
            raise SweepMismatchError(
                f"{directory} was started with equipoise {manifest.get('equipoise_version')}, "
                f"this is {__version__}; finish it with that version or use another output "
                "directory (results of two versions would be mixed)"
            )
        return True
    if directory.is_dir() and any(directory.iterdir()):
        raise InvalidSweepError(
            f"refusing to use {directory}: it is not empty and not an equipoise sweep directory"
        )
    for parent in directory.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InvalidSweepError(f"cannot create {directory}: {parent} is not a directory")
            break
    return False


def _open(spec: SweepSpec, directory: Path, n_chunks: int) -> bool:
    """Create the directory, or check it holds this very sweep; True if it existed."""
    if check_directory(spec, directory):
        (directory / CHUNKS).mkdir(exist_ok=True)
        return True
    _create(spec, directory, n_chunks)
    return False


def _busy(directory: Path, holder: str) -> SweepLockedError:
    """The error of a sweep into a directory that another sweep is writing to."""
    return SweepLockedError(
        f"another sweep is writing to {directory} ({holder}); wait for it to finish"
    )


def _finished(directory: Path, spec_hash: str, planned: set[str]) -> set[str]:
    """Names of the planned chunks already written (stray temporary files removed)."""
    done = set()
    for path in (directory / CHUNKS).iterdir():
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # a write cut short by a crash
            continue
        if path.name not in planned:
            continue
        try:
            meta = pq.read_schema(path).metadata or {}
            tag = json.loads(meta.get(b"equipoise", b"{}"))
        except (OSError, ValueError, pa.ArrowException):
            warnings.warn(f"unreadable chunk {path.name} will be recomputed", stacklevel=3)
            path.unlink()
            continue
        if tag.get("spec_hash") != spec_hash:
            raise SweepMismatchError(f"chunk {path} belongs to another sweep; remove it")
        done.add(path.name)
    return done


def require_directory(directory: str | Path) -> Path:
    """``directory`` as a Path; a one-line :class:`InvalidSweepError` if it is no directory."""
    directory = Path(directory)
    if not directory.exists():
        raise InvalidSweepError(f"sweep directory {directory} does not exist")
    if not directory.is_dir():
        raise InvalidSweepError(f"{directory} is a file, not a sweep directory")
    return directory


def load_sweep(directory: str | Path) -> SweepSpec:
    """The spec of a sweep directory (from its ``sweep.toml``), checked against its manifest.

    Raises
    ------
    InvalidSweepError
        If ``directory`` does not exist, is not a sweep directory or its files disagree.
    """
    directory = require_directory(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise InvalidSweepError(f"not an equipoise sweep directory (no {MANIFEST}): {directory}")
    manifest = _read_manifest(manifest_path)
    spec = SweepSpec.from_toml(
        (directory / "sweep.toml").read_text(encoding="utf-8"),
        source=str(directory / "sweep.toml"),
        base_dir=directory,
    )
    if spec.content_hash() != manifest.get("spec_hash"):
        raise SweepMismatchError(
            f"{directory}: sweep.toml does not match the manifest's spec hash (edited by hand?)"
        )
    return spec


def read_outcomes(directory: str | Path, spec: SweepSpec | None = None) -> pd.DataFrame:
    """All rows of a finished sweep: one per (point, replication), with parameter values.

    Columns: ``point``, the parameters, ``replication`` and :data:`OUTCOMES`;
    sorted by point and replication.

    Raises
    ------
    IncompleteSweepError
        If chunks are missing (rerun the sweep to finish it).
    """
    directory = Path(directory)
    spec = spec or load_sweep(directory)
    chunks = plan(spec)
    names = [chunk_filename(*c) for c in chunks]
    missing = [n for n in names if not (directory / CHUNKS / n).is_file()]
    if missing:
        raise IncompleteSweepError(
            f"the sweep in {directory} is not finished: {len(missing)} of {len(names)} chunks "
            "missing; run `equipoise sweep` on its file again to finish it"
        )
    files = [str(directory / CHUNKS / n) for n in names]
    rows = ds.dataset(files, format="parquet").to_table().to_pandas()  # reads in parallel
    rows = rows.sort_values(list(_KEYS), kind="stable").reset_index(drop=True)
    expected = spec.n_points * spec.replications
    keys = rows[list(_KEYS)].to_numpy()
    want = np.stack(
        [
            np.repeat(np.arange(spec.n_points), spec.replications),
            np.tile(np.arange(spec.replications), spec.n_points),
        ],
        axis=1,
    )
    if len(rows) != expected or not np.array_equal(keys, want):
        raise InvalidSweepError(
            f"the chunks in {directory} do not hold each (point, replication) exactly once "
            f"({len(rows)} rows, expected {expected})"
        )
    points = pd.read_parquet(directory / "points.parquet")
    joined = rows.merge(points, on="point", how="left", validate="many_to_one")
    columns = ["point", *spec.parameters, "replication", *OUTCOMES]
    return joined[columns]
