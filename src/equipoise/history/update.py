"""Download current releases of the COW and ATOP data into the user data directory.

:func:`update` fetches every table (or the ones named) from the address in its
:class:`~equipoise.history.specs.DataSpec` (``url``, and ``archive_member``
when the makers ship a zip archive), checks it exactly as the loaders check
the built-in copies (columns, numbers, year ranges) and, only if every file
passed, moves the files into :func:`~equipoise.history.loaders.data_dir`,
where the loaders prefer them to the built-in copies.

The official addresses are correlatesofwar.org (COW) and atopdata.org (ATOP);
they can be overridden with ``source``: a URL prefix (``http://host/dir/``) or
a local directory, under which each file is looked up by its ``filename`` (or,
for zipped tables, by the archive's name). A local directory may keep files
one folder down (``atop/atop5_1m.csv``).

Downloading is Pooch's (https://www.fatiando.org/pooch; Uieda et al. 2020): HTTP with
``requests`` (redirects, proxies, TLS), a temporary file renamed into place only when the
transfer is complete, retries with a growing pause for failures that may pass, and SHA-256
checksums (:func:`pooch.file_hash`), recorded in the data directory's ``downloads.json`` and
compared to tell a changed release from an unchanged one. What is equipoise's own stays here:
where each table is looked up, unpacking the makers' archives, checking every table exactly
as the loaders check the built-in copies, and replacing good data only with good data.

Guarantees: a download that is interrupted, truncated, not a CSV, or a CSV
with a missing column, garbage rows or years out of range never replaces good
data. Each file is downloaded into a hidden folder of the data directory and
checked there; nothing is replaced unless every requested file passed, and
the folder is removed whatever happens. A failure raises
:class:`~equipoise.history.loaders.DataError` with a one-line message naming
the file and the problem.

Every update asks the server again: the files are not kept between runs (no
known checksum can be given in advance for a release that its makers may correct
in place, and a stale copy must not mask a corrected one).

References
----------
Uieda, L., Soler, S. R., Rampin, R., van Kemenade, H., Turk, M., Shapero, D.,
Banihirwe, A., & Leeman, J. (2020). Pooch: A friend to fetch your data files.
*Journal of Open Source Software*, 5(45), 1943. https://doi.org/10.21105/joss.01943

Examples
--------
>>> from equipoise.history.specs import SPECS
>>> SPECS["states"].url
'https://correlatesofwar.org/wp-content/uploads/states2016.csv'
>>> SPECS["atop_members"].archive_member
('ATOP 5.1 (.csv)/atop5_1m.csv',)
>>> from equipoise.history.update import update
>>> report = update(source="/path/to/downloaded/files")  # doctest: +SKIP
>>> report.updated  # doctest: +SKIP
['nmc', 'states', ...]
"""

from __future__ import annotations

import contextlib
import csv
import glob
import json
import logging
import os
import re
import shutil
import tempfile
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pandas as pd
import pyarrow.parquet as pq

from equipoise._errors import first_line as _first_line
from equipoise._io import atomic_write_text
from equipoise._version import __version__
from equipoise.history.loaders import (
    DataError,
    _builtin_path,
    _load,
    data_dir,
    data_source,
    read_raw,
    validate,
)
from equipoise.history.specs import SPECS, DataSpec

__all__ = [
    "MANIFEST",
    "MIN_ROW_FRACTION",
    "TableStatus",
    "UpdateReport",
    "UpdatedFile",
    "status",
    "update",
]

#: A download with fewer data rows than this share of the built-in copy's is
#: refused as truncated.
MIN_ROW_FRACTION = 0.5
#: Largest download or archive member accepted, in bytes.
MAX_BYTES = 1 << 30
#: Times a download that failed for a reason that may pass is tried again.
RETRIES = 2
#: File in the data directory recording where each downloaded file came from.
MANIFEST = "downloads.json"

_CHUNK = 1 << 16
_TMP_SUFFIX = ".part"

#: ``progress(label, done, total)``: ``done`` bytes of ``label`` (a file or
#: archive name) transferred so far, of ``total`` (``None`` when unknown).
ProgressFn = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class UpdatedFile:
    """One table fetched and checked by :func:`update`."""

    name: str
    path: Path
    origin: str
    rows: int
    first_year: int | None
    last_year: int | None
    sha256: str
    changed: bool


@dataclass(frozen=True)
class UpdateReport:
    """What :func:`update` did: one entry per requested table."""

    data_dir: Path
    files: tuple[UpdatedFile, ...]

    @property
    def updated(self) -> list[str]:
        """Tables whose file was replaced (or newly added)."""
        return [f.name for f in self.files if f.changed]

    @property
    def unchanged(self) -> list[str]:
        """Tables whose download was identical to the file already in place."""
        return [f.name for f in self.files if not f.changed]


@dataclass(frozen=True)
class TableStatus:
    """Which file a loader reads for a table, and what it holds."""

    name: str
    path: Path
    builtin: bool
    rows: int
    first_year: int | None
    last_year: int | None
    origin: str | None = None
    downloaded: str | None = None


# --------------------------------------------------------------------------- helpers


def _is_url(source: str) -> bool:
    scheme = urllib.parse.urlsplit(source).scheme
    return len(scheme) > 1 and scheme.lower() in {"http", "https", "file", "ftp"}


def _url_basename(url: str) -> str:
    return urllib.parse.unquote(PurePosixPath(urllib.parse.urlsplit(url).path).name)


def _sha256(path: Path) -> str:
    import pooch

    return str(pooch.file_hash(str(path), alg="sha256"))


def _year_span(df: pd.DataFrame, spec: DataSpec) -> tuple[int | None, int | None]:
    years = []
    for col in spec.year_columns:
        ys = df[col].dropna()
        if col in spec.open_end:
            ys = ys[ys != 0]
        years.append(ys)
    allyears = pd.concat(years) if years else pd.Series([], dtype="Int64")
    if allyears.empty:
        return None, None
    return int(allyears.min()), int(allyears.max())


class _NotFound(DataError):
    """The server answered 404 or 410: try the next place, if any."""


class _Final(Exception):
    """A download error that trying again cannot mend (HTTP 404, a TLS failure, too large).

    Pooch retries a download that raises ``ValueError`` (which :class:`DataError` is) or a
    ``requests`` error; this wrapper, neither, stops it at once. :meth:`_Run.fetch` unwraps it.
    """

    def __init__(self, error: DataError) -> None:
        super().__init__(str(error))
        self.error = error


class _Bar:
    """The progress bar Pooch's ``HTTPDownloader`` drives, reporting to a :data:`ProgressFn`.

    Pooch sets ``total`` (0 when the server sends no length), calls ``update(chunk_size)``
    after each chunk and, at the end, ``reset()`` and ``update(total)``. Reported counts never
    run ahead of the bytes written, so they only grow. The byte limit is enforced here too.
    """

    def __init__(self, label: str, shown: str, progress: ProgressFn | None) -> None:
        self.label, self.shown, self.progress = label, shown, progress
        self.known: int | None = None
        self.done = 0

    @property
    def total(self) -> int | None:
        return self.known

    @total.setter
    def total(self, value: int | None) -> None:
        self.known = int(value) if value else None
        self.done = 0
        self._check(self.known or 0)
        self._report(0)

    def update(self, n: int) -> None:
        if not n:
            return
        self.done += int(n)
        self._check(self.done - _CHUNK)  # the last chunk may be short
        self._report(min(self.done, self.known) if self.known else self.done - _CHUNK)

    def reset(self) -> None:
        self.done = 0

    def close(self) -> None:
        pass

    def _check(self, size: int) -> None:
        if size > MAX_BYTES:
            raise _Final(DataError(f"{self.label}: the download is larger than {MAX_BYTES} bytes"))

    def _report(self, done: int) -> None:
        if self.progress is not None:
            self.progress(self.shown, max(0, done), self.known)


def _incomplete(exc: BaseException) -> tuple[int, int] | None:
    """Bytes read and expected, from an ``IncompleteRead`` among ``exc``'s arguments."""
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        partial, expected = getattr(item, "partial", None), getattr(item, "expected", None)
        if isinstance(partial, int) and isinstance(expected, int):
            return partial, partial + expected
        if isinstance(item, BaseException):
            todo += [*item.args, item.__cause__, item.__context__]
    return None


def _reason(exc: BaseException) -> str:
    """The telling part of a ``requests`` error: its innermost reason, without object reprs."""
    inner: object = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None)
    if isinstance(reason, BaseException | str) and str(reason):
        inner = reason
    return re.sub(r"^<[^>]*>:\s*", "", _first_line(str(inner))) or type(exc).__name__


class _Downloader:
    """Pooch's downloader with this module's one-line messages, progress and byte limit.

    A failure that may pass (timeout, reset or interrupted transfer, server error) raises a
    :class:`DataError`, which Pooch retries; a final one (HTTP 4xx, a refused certificate)
    raises it wrapped in :class:`_Final`, which Pooch does not retry.
    """

    def __init__(self, label: str, shown: str, timeout: float, progress: ProgressFn | None):
        self.label, self.shown, self.timeout, self.progress = label, shown, timeout, progress

    def __call__(self, url: str, output_file: str, pooch_: object) -> None:
        import pooch

        if urllib.parse.urlsplit(url).scheme.lower() == "ftp":
            self._ftp(pooch.FTPDownloader(timeout=self.timeout), url, output_file, pooch_)
            return
        bar = _Bar(self.label, self.shown, self.progress)
        headers = {"User-Agent": f"equipoise/{__version__} (data update)"}
        http = pooch.HTTPDownloader(
            progressbar=bar, chunk_size=_CHUNK, timeout=self.timeout, headers=headers
        )
        self._http(http, url, output_file, pooch_, bar)
        size = Path(output_file).stat().st_size
        if bar.total is not None and size < bar.total:
            raise DataError(self._cut(size, bar.total))
        if self.progress is not None:
            self.progress(self.shown, size, bar.total or size)

    def _cut(self, done: int, total: int) -> str:
        return (
            f"{self.label}: download interrupted after {done} of {total} bytes (connection closed)"
        )

    def _http(self, http: Any, url: str, output_file: str, pooch_: object, bar: _Bar) -> None:
        import requests

        label = self.label
        try:
            http(url, output_file, pooch_)
        except requests.exceptions.HTTPError as exc:
            code = exc.response.status_code if exc.response is not None else 0
            why = exc.response.reason if exc.response is not None else ""
            if exc.response is not None:
                # Pooch streams and raises before reading the error page: without this the
                # connection (and its socket) stays open until garbage collection
                exc.response.close()
            message = f"{label}: download failed: HTTP {code} {why}".rstrip()
            if code in (404, 410):
                raise _Final(_NotFound(message)) from None
            raise (
                _Final(DataError(message)) if 400 <= code < 500 else DataError(message)
            ) from None
        except requests.exceptions.SSLError as exc:
            hint = "download it with a browser and use --source DIR"
            raise _Final(DataError(f"{label}: cannot download: {_reason(exc)}; {hint}")) from None
        except requests.exceptions.Timeout as exc:
            raise DataError(f"{label}: download timed out: {_reason(exc)}") from None
        except (requests.exceptions.RequestException, OSError) as exc:
            got = _incomplete(exc)
            if got is not None:
                raise DataError(self._cut(*got)) from None
            if bar.done:  # the body had begun
                kind = "timed out" if "timed out" in str(exc) else "interrupted"
                raise DataError(f"{label}: download {kind}: {_reason(exc)}") from None
            raise DataError(f"{label}: cannot download: {_reason(exc)}") from None

    def _ftp(self, ftp: Any, url: str, output_file: str, pooch_: object) -> None:
        import ftplib

        try:
            ftp(url, output_file, pooch_)
        except ftplib.error_perm as exc:  # 5xx: no such file, no permission
            message = f"{self.label}: download failed: FTP {_first_line(exc)}"
            error = _NotFound(message) if str(exc).startswith("550") else DataError(message)
            raise _Final(error) from None
        except (*ftplib.all_errors,) as exc:
            raise DataError(f"{self.label}: cannot download: {_first_line(exc)}") from None


class _Run:
    """The files of one update run: Pooch's download store and the extracted tables.

    Everything lives in one hidden folder of the data directory (so that checked files are
    moved into place by a rename on the same file system) and is removed at the end.
    """

    def __init__(
        self, directory: Path, timeout: float, retries: int, progress: ProgressFn | None
    ) -> None:
        import pooch

        self.store = Path(tempfile.mkdtemp(prefix=".download.", suffix=_TMP_SUFFIX, dir=directory))
        self.timeout = timeout
        self.progress = progress
        self.archives: dict[str, Path] = {}
        self.count = 0
        # Pooch fetches each URL into the store: requests, retries with a growing pause,
        # a temporary file renamed into place only when complete
        self.pooch = pooch.create(path=self.store, base_url="", retry_if_failed=retries)

    def cleanup(self) -> None:
        shutil.rmtree(self.store, ignore_errors=True)

    def _name(self, shown: str) -> str:
        self.count += 1
        return f"{self.count:03d}-{shown}"

    def fetch(self, location: str, label: str) -> Path:
        """Fetch a URL (with Pooch) or copy a local file into the store; DataError on failure."""
        if not _is_url(location):
            path = self.store / self._name(Path(location).name)
            try:
                shutil.copyfile(location, path)
            except OSError as exc:
                raise DataError(f"{label}: cannot read: {exc.strerror or exc}") from None
            return path
        shown = _url_basename(location)
        name = self._name(shown)
        self.pooch.registry[name] = None  # no known hash: a release may be corrected in place
        self.pooch.urls[name] = location
        try:
            return Path(
                self.pooch.fetch(
                    name, downloader=_Downloader(label, shown, self.timeout, self.progress)
                )
            )
        except _Final as exc:
            raise exc.error from None

    # -- archives

    def _unpack(self, src: IO[bytes], label: str, info: zipfile.ZipInfo, member: str) -> Path:
        """Copy an archive member into the store, counting its bytes (a zip bomb stops)."""
        shown = PurePosixPath(info.filename).name
        path = self.store / self._name(shown)
        done = 0
        if self.progress:
            self.progress(shown, 0, info.file_size)
        with open(path, "xb") as out:
            while block := src.read(_CHUNK):
                done += len(block)
                if done > MAX_BYTES:
                    raise DataError(f"{label}: {member!r} is larger than {MAX_BYTES} bytes")
                out.write(block)
                if self.progress:
                    self.progress(shown, done, info.file_size)
        return path

    def extract(self, archive: Path, members: Iterable[str], label: str) -> Path:
        """Copy a (possibly nested) member of a zip archive into the store."""
        current = archive
        for member in members:
            try:
                with zipfile.ZipFile(current) as zf:
                    info = _find_member(zf, member)
                    if info is None:
                        raise DataError(f"{label}: the archive holds no {member!r}")
                    if info.file_size > MAX_BYTES:
                        raise DataError(f"{label}: {member!r} is larger than {MAX_BYTES} bytes")
                    with zf.open(info) as src:
                        current = self._unpack(src, label, info, member)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise DataError(f"{label}: damaged zip archive: {_first_line(exc)}") from None
        return current


def _find_member(zf: zipfile.ZipFile, member: str) -> zipfile.ZipInfo | None:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    for info in infos:
        if info.filename == member:
            return info
    base = PurePosixPath(member).name
    same = [i for i in infos if PurePosixPath(i.filename).name == base]
    return same[0] if len(same) == 1 else None


def _looks_like_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04" or zipfile.is_zipfile(path)


def _locations(spec: DataSpec, source: str | None) -> list[str]:
    """Where to look for a table, in order of preference."""
    if source is None:
        if not spec.url:
            raise DataError(f"{spec.filename}: no download address is known; use a source")
        return [spec.url]
    names = [spec.filename]
    if spec.archive_member and spec.url:
        names.append(_url_basename(spec.url))
    if _is_url(source):
        base = source if source.endswith("/") else source + "/"
        return [urllib.parse.urljoin(base, urllib.parse.quote(n)) for n in names]
    root = Path(source).expanduser()
    if not root.is_dir():
        raise DataError(f"source directory not found: {source}")
    found: list[str] = []
    for n in names:
        found += [str(p) for p in [root / n, *sorted(root.glob("*/" + glob.escape(n)))]]
    return found


def _check_fields(path: Path, label: str) -> None:
    """Refuse a file whose rows do not all have as many fields as its header."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh)
            header = next(rows, None)
            if header is None:
                raise DataError(f"{label}: empty file")
            width = len(header)
            data_row = 0
            for row in rows:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line, skipped by the reader too
                data_row += 1
                if len(row) != width:
                    raise DataError(
                        f"{label}: data row {data_row} has {len(row)} fields, the header "
                        f"has {width} (truncated or damaged file)"
                    )
    except UnicodeDecodeError:
        raise DataError(f"{label}: not a text (UTF-8) CSV file") from None
    except csv.Error as exc:
        raise DataError(f"{label}: cannot read as CSV: {_first_line(exc)}") from None


def _builtin_rows(spec: DataSpec) -> int:
    return pq.read_metadata(_builtin_path(spec)).num_rows


def _check(path: Path, spec: DataSpec, label: str) -> tuple[int, int | None, int | None]:
    """All checks a downloaded CSV must pass; return rows and year span."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if head.lstrip().startswith(b"<"):
        raise DataError(f"{label}: received a web page, not a CSV file")
    _check_fields(path, label)
    try:
        raw = read_raw(path)
    except DataError as exc:
        raise DataError(str(exc).replace(str(path), label)) from None
    df = validate(raw, spec, label)
    expected = _builtin_rows(spec)
    if len(df) < MIN_ROW_FRACTION * expected:
        raise DataError(
            f"{label}: only {len(df)} data rows, far fewer than the {expected} of the "
            "built-in copy (truncated download?)"
        )
    first, last = _year_span(df, spec)
    return len(df), first, last


def _stage(run: _Run, spec: DataSpec, source: str | None) -> tuple[Path, str]:
    """Fetch one table to a temporary file; return it and where it came from."""
    locations = _locations(spec, source)
    local = source is not None and not _is_url(source)
    if local:
        locations = [loc for loc in locations if Path(loc).is_file()]
        if not locations:
            raise DataError(f"{spec.filename}: not found in {source}")
    for location in locations:
        label = f"{spec.filename} from {location}"
        try:
            fetched = run.archives.get(location) or run.fetch(location, label)
        except _NotFound:
            if source is None:
                raise
            continue
        if _looks_like_zip(fetched):
            run.archives[location] = fetched
            members = spec.archive_member or (spec.filename,)
            return run.extract(fetched, members, label), location
        return fetched, location
    tried = ", ".join(_url_basename(loc) for loc in locations)
    answer = "FTP 550" if urllib.parse.urlsplit(str(source)).scheme.lower() == "ftp" else "HTTP 404"
    raise DataError(f"{spec.filename}: not found at {source} ({answer} for {tried})")


def _read_manifest(directory: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _resolve(names: Iterable[str] | None) -> list[DataSpec]:
    if names is None:
        return list(SPECS.values())
    if isinstance(names, str):
        names = [names]
    out: list[DataSpec] = []
    for name in names:
        if name not in SPECS:
            raise DataError(f"unknown table '{name}' (choose from {', '.join(SPECS)})")
        if SPECS[name] not in out:
            out.append(SPECS[name])
    if not out:
        raise DataError("no table named")
    return out


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    """Silence Pooch's own log lines (it reports each download at INFO on stderr)."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _data_directory() -> Iterator[Path]:
    """The data directory, created if needed and removed again if left empty by a failure."""
    directory = data_dir()
    created = [p for p in (directory, *directory.parents) if not p.exists()]  # leaf first
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"cannot create data directory {directory}: {exc.strerror or exc}"
        ) from None
    try:
        yield directory
    except BaseException:
        for path in created:
            try:
                path.rmdir()  # only if still empty
            except OSError:
                break
        raise


# --------------------------------------------------------------------------- public


def update(
    names: Iterable[str] | None = None,
    source: str | os.PathLike[str] | None = None,
    timeout: float = 60.0,
    progress: ProgressFn | None = None,
    retries: int = RETRIES,
) -> UpdateReport:
    """Download, check and install current copies of the data tables.

    Parameters
    ----------
    names : iterable of str, optional
        Tables to update (keys of ``SPECS``: ``nmc``, ``states``, ``majors``,
        ``system``, ``wars``, ``atop_members``, ``atop_alliances``,
        ``atop_stateyear``); default all.
    source : str or path, optional
        Where to fetch from instead of the official addresses: a URL prefix
        such as ``http://127.0.0.1:8000/`` or a local directory. Each file is
        looked up under it by its file name (``NMC-60-abridged.csv``); tables
        the makers ship zipped are also looked up by the archive's name
        (``atop_5.1__.csv_.zip``).
    timeout : float
        Seconds to wait for a server before giving up.
    progress : callable, optional
        Called as ``progress(label, done, total)`` while bytes arrive.
    retries : int
        Times a failed download is tried again (after 1, 2, ... seconds) when the
        failure may pass: a timeout, a reset or interrupted connection, a server
        error (HTTP 5xx). A missing file (HTTP 404), a refused certificate or a file
        that fails the checks is not retried.

    Returns
    -------
    UpdateReport
        One entry per table, saying whether its file changed.

    Raises
    ------
    DataError
        If any download fails or any file does not pass the checks (one-line
        message naming the file). Then nothing in the data directory changed
        and no temporary file is left. (Only an operating-system error while
        moving the checked files into place could leave some of them moved.)
    """
    specs = _resolve(names)
    src = None if source is None else os.fspath(source)
    if src is not None and urllib.parse.urlsplit(src).scheme.lower() == "file":
        src = urllib.request.url2pathname(urllib.parse.urlsplit(src).path)  # a local folder
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative integer, got {retries!r}")
    with _data_directory() as directory, _quiet_pooch():
        run = _Run(directory, timeout, retries, progress)
        try:
            staged = []
            for spec in specs:
                path, origin = _stage(run, spec, src)
                rows, first, last = _check(path, spec, f"{spec.filename} from {origin}")
                staged.append((spec, path, origin, rows, first, last))
            files = []
            for spec, path, origin, rows, first, last in staged:
                target = directory / spec.filename
                digest = _sha256(path)
                changed = not (target.is_file() and _sha256(target) == digest)
                if changed:
                    try:
                        os.replace(path, target)
                    except OSError as exc:
                        raise DataError(f"{target}: cannot write: {exc.strerror or exc}") from None
                files.append(
                    UpdatedFile(spec.name, target, origin, rows, first, last, digest, changed)
                )
        finally:
            run.cleanup()
        manifest = _read_manifest(directory)
        stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        for f in files:
            entry = manifest.get(f.name) if not f.changed else None
            manifest[f.name] = {
                "file": f.path.name,
                "origin": f.origin,
                "sha256": f.sha256,
                "rows": f.rows,
                "downloaded": (entry or {}).get("downloaded", stamp),
                "checked": stamp,
            }
        with contextlib.suppress(OSError):
            atomic_write_text(directory / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return UpdateReport(directory, tuple(files))


def status(names: Iterable[str] | None = None) -> list[TableStatus]:
    """For each table: the file the loaders read, its rows and year span.

    Raises :class:`DataError` if a file does not load.
    """
    specs = _resolve(names)
    manifest = _read_manifest(data_dir())
    out = []
    for spec in specs:
        path = data_source(spec.name)
        builtin = path == _builtin_path(spec)
        df = _load(spec.name)
        first, last = _year_span(df, spec)
        entry = {} if builtin else manifest.get(spec.name, {})
        if entry.get("file") != spec.filename or entry.get("sha256") != _sha256(path):
            entry = {}  # edited or replaced since: origin unknown
        origin = entry.get("origin")
        downloaded = entry.get("downloaded")
        out.append(
            TableStatus(
                spec.name,
                path,
                builtin,
                len(df),
                first,
                last,
                str(origin) if origin else None,
                str(downloaded) if downloaded else None,
            )
        )
    return out
