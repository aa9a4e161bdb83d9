"""Packaging: CITATION.cff, the sdist and wheel from `python -m build`, and a clean install.

The build goes sdist first, then the wheel from the unpacked sdist (what `python -m build`
does by default), so a wheel that passes these checks also proves the sdist is complete.
The install test puts the wheel into a fresh virtual environment (no system site-packages,
dependencies from the package index or pip's cache) and runs equipoise from a directory
outside the source tree.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

import pytest

import equipoise

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "equipoise"
VERSION = equipoise.__version__

BUILD_TIMEOUT = 600  # seconds; an isolated build installs hatchling into a temporary env
INSTALL_TIMEOUT = 1200  # seconds; the wheel's dependencies may come from the index
RUN_TIMEOUT = 300

# Path components that must never be shipped in the sdist: caches, local results, a built
# documentation site, CI scripts and bytecode.
SDIST_JUNK = {
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".benchmarks",
    ".ci",
    ".git",
    "equipoise-results",
    "dist",
    "build",
}


def _run(cmd: list[str], *, timeout: float, cwd: Path | None = None, env=None):
    """Run a command; on failure or timeout, fail with its full output."""
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"timed out after {timeout} s: {' '.join(map(str, cmd))}\n"
            f"--- stdout ---\n{exc.stdout}\n--- stderr ---\n{exc.stderr}"
        )
    if proc.returncode != 0:
        pytest.fail(
            f"exit code {proc.returncode}: {' '.join(map(str, cmd))} (cwd {cwd})\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
        )
    return proc


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would put the source tree on the path."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env.pop("VIRTUAL_ENV", None)
    env.update(extra)
    return env


# --------------------------------------------------------------------------- CITATION.cff

CFF_REQUIRED = ("cff-version", "message", "title", "authors")


def _load_cff() -> dict:
    import yaml  # PyYAML: a dependency of mkdocs, in the [test] extra

    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_version_is_the_package_version():
    cff = _load_cff()
    assert str(cff["version"]) == VERSION, (
        f"CITATION.cff says version {cff['version']!r} but equipoise.__version__ is "
        f"{VERSION!r} (src/equipoise/_version.py is the one place to change it)"
    )


def test_citation_has_the_required_keys_and_data_references():
    cff = _load_cff()
    missing = [key for key in CFF_REQUIRED if key not in cff]
    assert not missing, f"CITATION.cff lacks required keys: {missing}"
    assert str(cff["cff-version"]) == "1.2.0"
    assert cff["title"] == "equipoise"
    assert cff["license"] == "MIT"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    assert isinstance(cff.get("references"), list)
    assert cff["authors"] == [{"name": "equipoise developers"}]
    for ref in cff["references"]:
        assert {"type", "title", "authors"} <= set(ref), ref
    titles = " | ".join(ref["title"] for ref in cff["references"])
    for needed in (
        "Capability Distribution, Uncertainty, and Major Power War",  # COW NMC
        "State System Membership List",  # COW State System
        "Resort to War",  # COW Inter-State Wars
        "Alliance Treaty Obligations and Provisions",  # ATOP
        "Direct Contiguity Data",  # COW contiguity
        "Militarized Interstate Dispute",  # GML MIDs
        "Handbook of International Rivalries",  # Thompson & Dreyer
        "CShapes 2.0",  # minimum distances
        "peacesciencer",  # the panels' conventions and those tables' copies
    ):
        assert needed in titles, f"CITATION.cff has no reference for {needed!r}"


_BIBTEX = re.compile(r"^```bibtex\n(@software\{equipoise,\n.*?^\})\n```", re.S | re.M)


def _bibtex_fields(page: Path) -> dict[str, str]:
    (entry,) = _BIBTEX.findall(page.read_text(encoding="utf-8"))
    return dict(re.findall(r"^  (\w+)\s*= \{(.*)\},$", entry, re.M))


@pytest.mark.parametrize("page", ["README.md", "docs/cite.md"])
def test_bibtex_entry_has_this_version_and_its_release_date(page):
    """The BibTeX entries that researchers copy carry the version and the year it was released,
    the same as CITATION.cff and src/equipoise/_version.py."""
    cff = _load_cff()
    released = str(cff["date-released"])
    fields = _bibtex_fields(ROOT / page)
    assert fields["version"] == VERSION
    assert fields["date"] == released
    assert fields["year"] == released[:4]
    assert fields["title"].startswith(f"{cff['title']}: ")
    assert fields["author"] == "{equipoise developers}"
    assert fields["license"] == cff["license"]


# --------------------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """Build the sdist, then the wheel from it, with an isolated `python -m build`."""
    pytest.importorskip("build", reason="`build` is in the [test] extra")
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT], timeout=BUILD_TIMEOUT)
    wheels = sorted(out.glob("*.whl"))
    sdists = sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


def _metadata_version(text: str) -> str:
    match = re.search(r"^Version: (\S+)$", text, re.M)
    assert match, "no Version: line in the metadata"
    return match.group(1)


def test_file_names_and_metadata_carry_the_package_version(dists):
    assert dists["wheel"].name == f"equipoise-{VERSION}-py3-none-any.whl"
    assert dists["sdist"].name == f"equipoise-{VERSION}.tar.gz"
    with zipfile.ZipFile(dists["wheel"]) as whl:
        metadata = whl.read(f"equipoise-{VERSION}.dist-info/METADATA").decode()
    assert _metadata_version(metadata) == VERSION
    with tarfile.open(dists["sdist"]) as sdist:
        pkg_info = sdist.extractfile(f"equipoise-{VERSION}/PKG-INFO").read().decode()
    assert _metadata_version(pkg_info) == VERSION


def test_wheel_ships_the_code_data_scenarios_and_type_marker(dists):
    with zipfile.ZipFile(dists["wheel"]) as whl:
        names = set(whl.namelist())
        entry_points = whl.read(f"equipoise-{VERSION}.dist-info/entry_points.txt").decode()

    expected = {"equipoise/py.typed", "equipoise/data/SOURCES.md", "equipoise/data/capitals.csv"}
    expected.add("equipoise/data/succession.csv")  # the hand-coded state entries and exits
    # the typed tables made from peacesciencer's data (scripts/build_data.py), read by the panels
    expected |= {
        f"equipoise/data/{name}.parquet"
        for name in ("contiguity", "gml_mids", "democracy", "rivalries", "mindist")
    }
    for pattern in ("data/*.parquet", "scenarios/*.toml", "**/*.py"):
        files = [p for p in PACKAGE.glob(pattern) if "__pycache__" not in p.parts]
        assert files, pattern
        expected |= {"equipoise/" + p.relative_to(PACKAGE).as_posix() for p in files}
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks {missing}"

    dist_info = f"equipoise-{VERSION}.dist-info/"
    strays = sorted(n for n in names if not n.startswith(("equipoise/", dist_info)))
    assert not strays, f"the wheel ships files outside the package: {strays}"
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]

    scripts = configparser.ConfigParser()
    scripts.read_string(entry_points)
    assert scripts["console_scripts"]["equipoise"].strip() == "equipoise.cli:main"


def test_sdist_is_complete_and_has_no_junk(dists):
    top = f"equipoise-{VERSION}"
    with tarfile.open(dists["sdist"]) as sdist:
        names = {PurePosixPath(n).relative_to(top).as_posix() for n in sdist.getnames()}
    for needed in (
        "LICENSE",
        "README.md",
        "CITATION.cff",
        "pyproject.toml",
        "PKG-INFO",
        "src/equipoise/_version.py",
        "src/equipoise/py.typed",
        "src/equipoise/data/SOURCES.md",
        "src/equipoise/data/nmc.parquet",
        "src/equipoise/scenarios/balancers.toml",
        "tests/test_packaging.py",
    ):
        assert needed in names, f"the sdist lacks {needed}"
    junk = sorted(
        n
        for n in names
        if SDIST_JUNK & set(PurePosixPath(n).parts)
        or n.endswith((".pyc", ".pyo"))
        or n.split("/")[0] in {"site", "sweeps", "results"}
    )
    assert not junk, f"the sdist ships local junk: {junk[:20]}"


# --------------------------------------------------------------------------- clean install


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs_outside_the_tree(dists, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], timeout=RUN_TIMEOUT)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    work = tmp_path / "elsewhere"  # not the source tree, so `src/` cannot shadow the install
    work.mkdir()
    env = _clean_env(EQUIPOISE_DATA_DIR=str(tmp_path / "user-data"), COLUMNS="120")

    pip = [python, "-m", "pip", "install", "--no-input", "--disable-pip-version-check"]
    _run([*pip, dists["wheel"]], cwd=work, env=env, timeout=INSTALL_TIMEOUT)

    code = "import equipoise; print(equipoise.__file__); print(equipoise.__version__)"
    out = _run([python, "-c", code], cwd=work, env=env, timeout=RUN_TIMEOUT).stdout.split()
    where = Path(out[0]).resolve()
    assert where.is_relative_to(venv.resolve()), f"imported {where}, not from the venv"
    assert not where.is_relative_to(ROOT), f"imported the source tree: {where}"
    assert out[1] == VERSION
    assert (where.parent / "py.typed").is_file()

    script = bindir / "equipoise"
    results = work / "results-out"
    cmd = [script, "run", "balancers", "-r", "3", "-t", "20", "-s", "1", "-o", results, "-q"]
    run = _run(cmd, cwd=work, env=env, timeout=RUN_TIMEOUT)
    assert "hegemony" in run.stdout.lower(), run.stdout
    for name in ("provenance.json", "system.parquet", "scenario.toml"):
        assert (results / name).is_file(), f"`equipoise run` wrote no {name}: {run.stdout}"

    status = _run([script, "data", "status"], cwd=work, env=env, timeout=RUN_TIMEOUT).stdout
    assert status.count("built-in") >= 8, f"the installed data are not the built-in copy:\n{status}"

    # the panels read the typed tables made from peacesciencer's data without rdata or R
    panel = work / "dyads.csv"
    adds = "contiguity,mids,democracy,rivalries,mindist,fpsim"
    cmd = [script, "panel", "dyad-years", "--from", "1990", "--to", "1990", "--add", adds]
    made = _run([*cmd, "-o", panel, "-q"], cwd=work, env=env, timeout=RUN_TIMEOUT).stdout
    assert "Wrote 27,044 directed dyad-years 1990-1990" in made, made
    header = panel.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"conttype", "gmlmidonset", "polity2_min", "mindist", "kallyv"} <= set(header)


# --------------------------------------------------------------------------- warnings policy
def test_the_suite_runs_with_warnings_as_errors_and_only_named_exceptions():
    """pyproject's pytest options make every warning an error; an exception must name the
    warning's message and category (``ignore:MESSAGE:CATEGORY...``), never a whole category."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    filters = options["pytest"]["ini_options"]["filterwarnings"]
    assert filters[0] == "error"
    for entry in filters[1:]:
        action, message, category, *_ = [*entry.split(":"), "", ""]
        assert action == "ignore", entry
        assert message.strip() and category.strip(), f"not a named exception: {entry!r}"
