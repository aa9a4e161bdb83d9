"""``equipoise data update`` / ``data status`` against a local HTTP server on 127.0.0.1.

The server serves the makers' releases, rebuilt byte for byte from the package's own
data (tests/datakit.py): COW files as plain CSVs, ATOP as the official zip with its
``ATOP 5.1 (.csv)/`` folder. Nothing here
touches the internet: an autouse guard refuses every name lookup and connection
that is not for the loopback address, and the official addresses are exercised
through a fake transport under ``requests`` (which Pooch downloads with).

Guarantees under test: a truncated, interrupted, missing or malformed file
gives exit code 2 and one line on stderr naming the file; the previous data
stay exactly as they were and no temporary file is left behind.
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import socket
import ssl
import subprocess
import threading
import time
import types
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pooch
import pytest
import requests
from requests.structures import CaseInsensitiveDict

from datakit import source_bytes, write_source
from equipoise.cli import main
from equipoise.history import DataError, load_majors, load_nmc, load_system
from equipoise.history.loaders import _builtin_path, _load, data_source
from equipoise.history.specs import SPECS
from equipoise.history.update import MANIFEST, status, update

ATOP_ZIP = "atop_5.1__.csv_.zip"
ATOP_FOLDER = "ATOP 5.1 (.csv)/"
COW = ("nmc", "states", "majors", "system", "wars")
ATOP = ("atop_members", "atop_alliances", "atop_stateyear")
FILENAMES = {name: spec.filename for name, spec in SPECS.items()}
NAMES = {spec.filename: name for name, spec in SPECS.items()}
INSTALLED = {*FILENAMES.values(), MANIFEST}


def _release(filename: str) -> bytes:
    """The makers' file ``filename``, as released (rebuilt from the built-in copy)."""
    return source_bytes(NAMES[filename])


# ===================================================================== fixtures
@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any lookup or connection that is not for 127.0.0.1: no test may reach the
    internet. (urllib3, under requests and Pooch, resolves names with ``getaddrinfo`` and
    connects its own sockets, so both doors are guarded.) Proxies are ignored."""
    real_connect, real_lookup = socket.create_connection, socket.getaddrinfo
    loopback = ("127.0.0.1", "localhost")

    def connect(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        if address[0] not in loopback:
            raise OSError(f"test tried to reach {address[0]}")
        return real_connect(address, *args, **kwargs)

    def lookup(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host not in loopback:
            raise OSError(f"test tried to look up {host}")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture(autouse=True)
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses Pooch makes between attempts, recorded instead of waited for."""
    made: list[float] = []
    monkeypatch.setattr(pooch.core, "time", types.SimpleNamespace(sleep=made.append))
    return made


@pytest.fixture
def datadir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated user data directory (not created yet); wide terminal for Rich."""
    path = tmp_path / "user-data"
    monkeypatch.setenv("EQUIPOISE_DATA_DIR", str(path))
    monkeypatch.setenv("COLUMNS", "400")
    return path


def _atop_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(ATOP_FOLDER, "")
        for name in ATOP:
            zf.writestr(ATOP_FOLDER + FILENAMES[name], source_bytes(name))
        zf.writestr(ATOP_FOLDER + "atop5_1aph.csv", "atopid,phase\n1,1\n")


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """Folder the server serves: COW CSVs, and ATOP only inside its zip."""
    root = tmp_path / "served"
    root.mkdir()
    for name in COW:
        write_source(name, root)
    _atop_zip(root / ATOP_ZIP)
    return root


class _Handler(http.server.SimpleHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        name = self.path.lstrip("/")
        self.server.requests.append(name)
        if name in self.server.delay:
            time.sleep(self.server.delay[name])
        if name in self.server.cut_after:
            # Promise the whole file, send part of it, then hang up (once, for fail_once).
            cut = self.server.cut_after[name]
            if name in self.server.fail_once:
                self.server.fail_once.discard(name)
                del self.server.cut_after[name]
            data = (Path(self.directory) / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
        self.requests: list[str] = []
        self.cut_after: dict[str, int] = {}
        self.fail_once: set[str] = set()
        self.delay: dict[str, float] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A client that hangs up mid-transfer (as the tests make it) is no server error;
        the default would print a traceback to stderr, into whichever test is running."""


@pytest.fixture
def server(served: Path) -> Iterator[_Server]:
    srv = _Server(served)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    text = err.rstrip("\n")
    lines = text.split("\n")
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err}"
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in text
    return lines[0]


def _snapshot(directory: Path) -> dict[str, bytes] | None:
    """Every file in the data directory (hidden ones too) with its bytes."""
    if not directory.exists():
        return None
    return {p.name: p.read_bytes() for p in directory.iterdir()}


# Most tests update two small tables (fast to check); a few update everything.
SMALL = ("majors", "system")


def _only(*names: str) -> list[str]:
    return [arg for name in names for arg in ("--only", name)]


def _installed(*names: str) -> set[str]:
    return {*(FILENAMES[n] for n in names), MANIFEST}


def _good_update(
    capsys: pytest.CaptureFixture[str], source: str, datadir: Path, *names: str
) -> dict[str, bytes]:
    names = names or SMALL
    code, _, err = _run(capsys, "data", "update", "--source", source, *_only(*names))
    assert code == 0, err
    snap = _snapshot(datadir)
    assert snap is not None and set(snap) == _installed(*names)
    return snap


# ===================================================================== happy paths
def test_update_everything_from_http_server(
    server: _Server, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "data", "update", "--source", server.url)
    assert code == 0, err
    assert err == ""  # no terminal: no progress display
    assert "8 updated, 0 unchanged" in out
    for name, filename in FILENAMES.items():
        assert name in out
        assert (datadir / filename).read_bytes() == _release(filename)
    assert {p.name for p in datadir.iterdir()} == INSTALLED  # no temporary files
    # ATOP: the plain CSVs are not served, so the zip is fetched, once, for all three.
    assert server.requests.count(ATOP_ZIP) == 1
    assert server.requests.count("atop5_1m.csv") == 1

    # `data status` (which loads every table) shows the downloaded files.
    code, out, err = _run(capsys, "data", "status")
    assert code == 0, err
    assert err == ""
    assert "built-in" not in out
    for name, filename in FILENAMES.items():
        assert data_source(name) == datadir / filename
        assert str(datadir / filename) in out
    for text in ("15,951", "2,510", "11,923", "1816-2016", "1815-2018", "1823-2003"):
        assert text in out


def test_loaders_read_downloaded_files(server: _Server, datadir: Path) -> None:
    names = ("majors", "system", "atop_stateyear")
    builtin = {name: _load(name) for name in names}
    update(names, source=server.url)
    for name in names:
        assert data_source(name) == datadir / FILENAMES[name]
        pd.testing.assert_frame_equal(_load(name), builtin[name])


def test_status_before_any_update(datadir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "data", "status")
    assert code == 0, err
    assert out.count("built-in") == len(SPECS)
    assert "15,951" in out and "243" in out and "1816-2016" in out
    assert not datadir.exists()  # status writes nothing


def test_status_api(server: _Server, datadir: Path) -> None:
    update(["majors"], source=server.url)
    rows = {s.name: s for s in status()}
    assert rows["majors"].path == datadir / "majors2016.csv"
    assert not rows["majors"].builtin
    assert rows["majors"].origin == server.url + "majors2016.csv"
    assert rows["majors"].downloaded
    assert (rows["majors"].rows, rows["majors"].first_year) == (14, 1816)
    assert rows["nmc"].builtin and rows["nmc"].path == _builtin_path(SPECS["nmc"])
    assert rows["nmc"].origin is None
    assert (rows["atop_members"].first_year, rows["atop_members"].last_year) == (1815, 2018)
    # A downloaded file edited by hand loses its recorded origin.
    (datadir / "majors2016.csv").write_bytes(_release("majors2016.csv") + b"\r\n")
    assert status(["majors"])[0].origin is None


def test_second_update_is_unchanged(
    server: _Server, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("majors", "system", "atop_alliances")
    first = _good_update(capsys, server.url, datadir, *names)
    mtimes = {p.name: p.stat().st_mtime_ns for p in datadir.iterdir() if p.name != MANIFEST}
    code, out, err = _run(capsys, "data", "update", "--source", server.url, *_only(*names))
    assert code == 0, err
    assert "0 updated, 3 unchanged" in out
    after = _snapshot(datadir)
    assert after is not None
    first.pop(MANIFEST)
    after.pop(MANIFEST)
    assert after == first
    assert mtimes == {p.name: p.stat().st_mtime_ns for p in datadir.iterdir() if p.name != MANIFEST}


def test_update_replaces_an_older_download(server: _Server, served: Path, datadir: Path) -> None:
    lines = (served / "system2016.csv").read_bytes().split(b"\r\n")
    datadir.mkdir()
    (datadir / "system2016.csv").write_bytes(b"\r\n".join(lines[:-100]))  # an older, shorter file
    assert len(load_system()) == 15_951 - 100
    report = update(["system", "majors"], source=server.url)
    assert report.updated == ["system", "majors"] and report.unchanged == []
    assert [f.rows for f in report.files] == [15_951, 14]
    assert len(load_system()) == 15_951  # loader cache sees the new file


def test_only_selected_tables(
    server: _Server, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, "data", "update", "--source", server.url, *_only("majors", "wars")
    )
    assert code == 0, err
    assert "2 updated" in out
    assert {p.name for p in datadir.iterdir()} == _installed("majors", "wars")
    assert server.requests == ["majors2016.csv", FILENAMES["wars"]]
    assert data_source("nmc") == _builtin_path(SPECS["nmc"])
    code, out, _ = _run(capsys, "data", "status")
    assert code == 0
    assert out.count("built-in") == len(SPECS) - 2


def test_local_directory_source(
    served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snap = _good_update(capsys, str(served), datadir, "majors", "atop_stateyear")
    assert snap["atop5_1sy.csv"] == _release("atop5_1sy.csv")  # from the zip
    assert len(load_majors()) == 14


def test_files_one_folder_down_in_a_local_source(tmp_path: Path, datadir: Path) -> None:
    # A folder of downloads may keep the ATOP files one folder down, in atop/.
    folder = tmp_path / "downloads"
    write_source("majors", folder)
    write_source("atop_stateyear", folder / "atop")
    report = update(["majors", "atop_stateyear"], source=folder)
    assert report.updated == ["majors", "atop_stateyear"]
    assert report.files[1].origin == str(folder / "atop" / "atop5_1sy.csv")
    assert (datadir / "atop5_1sy.csv").read_bytes() == _release("atop5_1sy.csv")


def test_file_url_as_source(served: Path, datadir: Path) -> None:
    report = update(["majors", "atop_members"], source=served.as_uri())
    assert report.updated == ["majors", "atop_members"]
    assert (datadir / "atop5_1m.csv").read_bytes() == _release("atop5_1m.csv")


def test_ftp_source_through_poochs_ftp_downloader(
    datadir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ftp:// source goes through Pooch's FTP downloader (faked: no FTP server here); a
    550 reply is "not found", so the next place (the zip) is tried."""
    import ftplib

    asked: list[str] = []

    class FakeFTP:
        def __init__(self, **kwargs: object) -> None:
            pass

        def __call__(self, url: str, output_file: str, pooch_: object) -> None:
            asked.append(url)
            name = url.rsplit("/", 1)[1]
            if name != "majors2016.csv":
                raise ftplib.error_perm(f"550 {name}: No such file")
            Path(output_file).write_bytes(_release(name))

    monkeypatch.setattr(pooch, "FTPDownloader", FakeFTP)
    report = update(["majors"], source="ftp://ftp.example.org/cow/")
    assert report.updated == ["majors"]
    assert asked == ["ftp://ftp.example.org/cow/majors2016.csv"]
    asked.clear()
    message = "atop5_1m.csv: not found at ftp://ftp.example.org/cow/ (FTP 550 for atop5_1m.csv, "
    with pytest.raises(DataError, match=re.escape(message)):
        update(["atop_members"], source="ftp://ftp.example.org/cow/")
    assert len(asked) == 2  # the CSV, then the zip; a 550 is not retried


def test_progress_callback(server: _Server, datadir: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []
    update(["system", "atop_alliances"], source=server.url, progress=lambda *a: calls.append(a))
    system = [c for c in calls if c[0] == "system2016.csv"]
    size = len(_release("system2016.csv"))
    assert system[0][1] == 0 and system[-1] == ("system2016.csv", size, size)
    assert [c[1] for c in system] == sorted(c[1] for c in system)
    assert any(c[0] == ATOP_ZIP for c in calls)
    assert calls[-1] == ("atop5_1a.csv", *(2 * [len(_release("atop5_1a.csv"))]))


# ===================================================================== bad files
def _cut_mid_line(data: bytes, share: float) -> bytes:
    start = data.index(b"\n", int(len(data) * share)) + 1
    return data[: start + 6]  # a few characters into the next row


def _cut_at_line_end(data: bytes, share: float) -> bytes:
    return data[: data.index(b"\r\n", int(len(data) * share))]


def _drop_field(data: bytes, index: int) -> bytes:
    lines = [line.split(b",") for line in data.split(b"\r\n")]
    return b"\r\n".join(b",".join(f[:index] + f[index + 1 :]) for f in lines)


ROW8 = b"\r\nBAV,245,1816,2016"  # data row 8 of system2016.csv


def _row8(data: bytes, new: bytes) -> bytes:
    assert data.count(ROW8) == 1
    return data.replace(ROW8, b"\r\n" + new)


BAD_SYSTEM = {
    # name: (how to spoil system2016.csv, what the error must say)
    "truncated-mid-line": (
        lambda d: _cut_mid_line(d, 0.7),
        "has 2 fields, the header has 4 (truncated or damaged file)",
    ),
    "truncated-at-line-end": (
        lambda d: _cut_at_line_end(d, 0.4),
        "far fewer than the 15951 of the built-in copy (truncated download?)",
    ),
    "missing-column": (lambda d: _drop_field(d, 2), "missing column 'year'"),
    "garbage-rows": (
        lambda d: _row8(d, b"BAV,#REF!,1816,2016\r\nfoo,bar,baz,qux"),
        "column 'ccode', data row 8: '#REF!' is not a number",
    ),
    "extra-fields": (
        lambda d: _row8(d, b"BAV,245,1816,2016,7,8"),
        "data row 8 has 6 fields, the header has 4",
    ),
    "year-out-of-range": (
        lambda d: _row8(d, b"BAV,245,2816,2016"),
        "column 'year' has year 2816 outside 1816-2100",
    ),
    "web-page": (
        lambda d: b"<!DOCTYPE html>\n<html><body>Page moved</body></html>\n",
        "received a web page, not a CSV file",
    ),
    "empty": (lambda d: b"", "empty file"),
    "binary": (lambda d: bytes(range(256)) * 64, "not a text (UTF-8) CSV file"),
}


def _check_failure(
    capsys: pytest.CaptureFixture[str],
    datadir: Path,
    before: dict[str, bytes] | None,
    args: list[str],
    *needles: str,
) -> str:
    code, out, err = _run(capsys, "data", "update", *args)
    assert code == 2, (out, err)
    line = _one_line(err)
    for needle in needles:
        assert needle in line, line
    assert out == ""
    assert _snapshot(datadir) == before  # good data untouched, no temporary file left
    return line


@pytest.mark.parametrize("case", list(BAD_SYSTEM))
def test_bad_file_keeps_previous_download(
    case: str, server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _good_update(capsys, server.url, datadir)
    spoil, message = BAD_SYSTEM[case]
    path = served / "system2016.csv"
    path.write_bytes(spoil(path.read_bytes()))
    args = ["--source", server.url, *_only(*SMALL)]
    line = _check_failure(capsys, datadir, before, args, message)
    assert line.startswith(f"error: system2016.csv from {server.url}system2016.csv: ")
    assert len(load_system()) == 15_951  # the loaders still read the good download


@pytest.mark.parametrize("case", ["truncated-mid-line", "missing-column", "garbage-rows"])
def test_bad_file_on_first_update_writes_nothing(
    case: str, server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spoil, message = BAD_SYSTEM[case]
    path = served / "system2016.csv"
    path.write_bytes(spoil(path.read_bytes()))
    # The other tables are fine, but nothing is installed: all files or none.
    args = ["--source", server.url, *_only("majors", "system", "states")]
    _check_failure(capsys, datadir, None, args, message)
    for name in ("majors", "system", "states"):
        assert data_source(name) == _builtin_path(SPECS[name])


def test_bad_file_from_local_directory(
    served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _good_update(capsys, str(served), datadir, "majors", "nmc")
    path = served / FILENAMES["nmc"]
    path.write_bytes(path.read_bytes().replace(b",milex,", b",milx,"))
    args = ["--source", str(served), *_only("majors", "nmc")]
    _check_failure(capsys, datadir, before, args, f"{path}: missing column 'milex'")
    assert load_nmc()["milex"].notna().any()


def test_interrupted_download(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _good_update(capsys, server.url, datadir)
    size = (served / "system2016.csv").stat().st_size
    server.cut_after["system2016.csv"] = size // 2
    _check_failure(
        capsys,
        datadir,
        before,
        ["--source", server.url, *_only(*SMALL)],
        "system2016.csv from",
        f"download interrupted after {size // 2} of {size} bytes",
    )


def test_interrupted_zip_download(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _good_update(capsys, server.url, datadir, "majors", "atop_stateyear")
    server.cut_after[ATOP_ZIP] = 1000
    args = ["--source", server.url, *_only("majors", "atop_stateyear")]
    _check_failure(capsys, datadir, before, args, ATOP_ZIP, "download interrupted")


def test_missing_file_404(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _good_update(capsys, server.url, datadir)
    (served / "majors2016.csv").unlink()
    _check_failure(
        capsys,
        datadir,
        before,
        ["--source", server.url, *_only(*SMALL)],
        f"majors2016.csv: not found at {server.url} (HTTP 404 for majors2016.csv)",
    )


def test_missing_archive_404(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (served / ATOP_ZIP).unlink()
    _check_failure(
        capsys,
        datadir,
        None,
        ["--source", server.url, "--only", "atop_alliances"],
        f"atop5_1a.csv: not found at {server.url} (HTTP 404 for atop5_1a.csv, {ATOP_ZIP})",
    )


def test_damaged_archive(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("majors", "atop_stateyear")
    before = _good_update(capsys, server.url, datadir, *names)
    args = ["--source", server.url, *_only(*names)]
    data = bytearray((served / ATOP_ZIP).read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # corrupt compressed data
    (served / ATOP_ZIP).write_bytes(bytes(data))
    _check_failure(capsys, datadir, before, args, "damaged zip archive")
    (served / ATOP_ZIP).write_bytes(bytes(data[: len(data) // 2]))  # truncated zip
    _check_failure(capsys, datadir, before, args, "damaged zip archive")


def test_archive_without_the_member(
    served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with zipfile.ZipFile(served / ATOP_ZIP, "w") as zf:
        zf.writestr(ATOP_FOLDER + "readme.txt", "nothing here")
    _check_failure(
        capsys,
        datadir,
        None,
        ["--source", str(served), "--only", "atop_members"],
        f"the archive holds no '{ATOP_FOLDER}atop5_1m.csv'",
    )


def test_timeout(server: _Server, datadir: Path) -> None:
    server.delay["majors2016.csv"] = 1.0
    with pytest.raises(DataError, match=r"^majors2016\.csv from .*timed out"):
        update(["majors"], source=server.url, timeout=0.2)
    assert not datadir.exists()


def test_interrupted_by_user_leaves_nothing(server: _Server, datadir: Path) -> None:
    def stop(label: str, done: int, total: int | None) -> None:
        if done > 100_000:
            raise KeyboardInterrupt

    datadir.mkdir()
    (datadir / "keep.txt").write_text("x")
    with pytest.raises(KeyboardInterrupt):
        update(["majors", "system"], source=server.url, progress=stop)
    assert [p.name for p in datadir.iterdir()] == ["keep.txt"]


def test_bad_source_and_options(
    served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _check_failure(capsys, datadir, None, ["--source", str(datadir / "nowhere")])
    assert line == f"error: source directory not found: {datadir / 'nowhere'}"
    _check_failure(capsys, datadir, None, ["--only", "cow_alliances"], "'--only'")
    _check_failure(capsys, datadir, None, ["--timeout", "0"], "'--timeout'")
    _check_failure(
        capsys,
        datadir,
        None,
        ["--source", "http://127.0.0.1:9/"],  # nothing listens on the discard port
        "NMC-60-abridged.csv from http://127.0.0.1:9/NMC-60-abridged.csv: cannot download",
    )
    with pytest.raises(DataError, match="unknown table 'cow_alliances'"):
        update(["cow_alliances"], source=str(served))


def test_status_with_a_damaged_download(datadir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    datadir.mkdir()
    (datadir / "majors2016.csv").write_text("stateabb,ccode\nUSA,2\n")
    code, _, err = _run(capsys, "data", "status")
    assert code == 2
    assert _one_line(err) == "error: majors2016.csv: missing column 'styear'"


# ===================================================================== official addresses
def test_official_addresses() -> None:
    for name in COW:
        assert SPECS[name].url.startswith("https://correlatesofwar.org/wp-content/uploads/")
    for name in ATOP:
        assert SPECS[name].url.startswith("https://www.atopdata.org/")
        assert SPECS[name].url.endswith("/" + ATOP_ZIP)
        assert SPECS[name].archive_member == (ATOP_FOLDER + FILENAMES[name],)
    assert SPECS["nmc"].archive_member[-1] == FILENAMES["nmc"]
    assert "alliance_v4" not in " ".join(s.url for s in SPECS.values())  # no COW alliances


class _FakeTransport:
    """Stands in for requests' HTTP adapter: answers from ``bodies``, or with ``status``
    (an empty body), or raises ``error``; records every request."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        bodies: dict[str, bytes] | None = None,
        error: Exception | None = None,
        status: tuple[int, str] = (200, "OK"),
    ) -> None:
        self.bodies, self.error, self.status = bodies or {}, error, status
        self.seen: list[requests.PreparedRequest] = []
        monkeypatch.setattr(
            requests.adapters.HTTPAdapter,
            "send",
            lambda adapter, request, **kwargs: self._send(request, **kwargs),
        )

    def _send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        self.seen.append(request)
        if self.error is not None:
            raise self.error
        body = self.bodies.get(request.url, b"")
        response = requests.models.Response()
        response.status_code, response.reason = self.status
        response.url, response.request = request.url, request
        response.raw = io.BytesIO(body)
        response.headers = CaseInsensitiveDict({"Content-Length": str(len(body))})
        return response


def _nested_nmc_zip() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(FILENAMES["nmc"], source_bytes("nmc"))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("NMC_Documentation-6/NMC_Codebook.pdf", b"%PDF-1.4")
        zf.writestr("NMC_Documentation-6/NMC-60-abridged.zip", inner.getvalue())
    return outer.getvalue()


def test_default_addresses_without_network(
    tmp_path: Path, datadir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    atop = tmp_path / ATOP_ZIP
    _atop_zip(atop)
    bodies = {SPECS[n].url: source_bytes(n) for n in ("states", "wars")}
    bodies[SPECS["nmc"].url] = _nested_nmc_zip()  # zip in a zip, in a folder
    bodies[SPECS["atop_stateyear"].url] = atop.read_bytes()
    transport = _FakeTransport(monkeypatch, bodies)
    names = ("nmc", "states", "wars", "atop_stateyear")
    report = update(names)
    assert report.updated == list(names)
    assert [r.url for r in transport.seen] == [SPECS[n].url for n in names]
    assert all(r.headers["User-Agent"].startswith("equipoise/") for r in transport.seen)
    assert (datadir / FILENAMES["nmc"]).read_bytes() == source_bytes("nmc")
    assert {p.name for p in datadir.iterdir()} == _installed(*names)


@pytest.mark.parametrize(
    ("failure", "needle", "attempts"),
    [
        (
            {
                "error": requests.exceptions.SSLError(
                    ssl.SSLCertVerificationError(1, "certificate verify failed")
                )
            },
            "certificate verify failed; download it with a browser and use --source DIR",
            1,  # a refused certificate does not mend by itself: not retried
        ),
        (
            {"error": requests.exceptions.ConnectionError(OSError("Name or service not known"))},
            "cannot download: Name or service not known",
            3,
        ),
        ({"status": (503, "Service Unavailable")}, "HTTP 503 Service Unavailable", 3),
        ({"status": (403, "Forbidden")}, "download failed: HTTP 403 Forbidden", 1),
    ],
    ids=["tls", "dns", "http-503", "http-403"],
)
def test_network_errors_are_one_line(
    failure: dict,
    needle: str,
    attempts: int,
    datadir: Path,
    monkeypatch: pytest.MonkeyPatch,
    pauses: list[float],
) -> None:
    transport = _FakeTransport(monkeypatch, **failure)
    with pytest.raises(DataError) as err:
        update(["states"])
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"states2016.csv from {SPECS['states'].url}: ")
    assert needle in msg
    assert not datadir.exists()
    # failures that may pass are tried again (Pooch: 2 retries, pausing 1 s then 2 s)
    assert len(transport.seen) == attempts
    assert pauses == [1, 2][: attempts - 1]


def test_a_failure_that_passes_is_retried(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first request for system2016.csv is cut off, the second succeeds."""
    server.cut_after["system2016.csv"] = 5000
    server.fail_once.add("system2016.csv")
    code, _, err = _run(capsys, "data", "update", "--source", server.url, *_only(*SMALL))
    assert code == 0, err
    assert server.requests.count("system2016.csv") == 2
    assert (datadir / "system2016.csv").read_bytes() == _release("system2016.csv")
    assert {p.name for p in datadir.iterdir()} == _installed(*SMALL)  # no download left over


def test_retries_option(
    server: _Server, served: Path, datadir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.cut_after["majors2016.csv"] = 100
    args = ["--source", server.url, "--only", "majors", "--retries", "0"]
    _check_failure(capsys, datadir, None, args, "download interrupted after 100 of")
    assert server.requests.count("majors2016.csv") == 1
    _check_failure(capsys, datadir, None, ["--retries", "-1"], "'--retries'")
    with pytest.raises(ValueError, match="retries"):
        update(["majors"], source=server.url, retries=-1)


# ===================================================================== console script
def test_console_script(server: _Server, datadir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "EQUIPOISE_DATA_DIR": str(datadir), "COLUMNS": "400"}
    run = functools.partial(
        subprocess.run, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    proc = run(["equipoise", "data", "update", "--source", server.url, "--only", "majors"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "1 updated, 0 unchanged" in proc.stdout
    proc = run(["equipoise", "data", "status"])
    assert proc.returncode == 0, proc.stderr
    assert str(datadir / "majors2016.csv") in proc.stdout
    assert proc.stdout.count("built-in") == len(SPECS) - 1
