"""Documentation examples run as tests: README code blocks and module doctests."""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import equipoise

ROOT = Path(__file__).resolve().parents[1]


# A fenced ```python block at the start of a line, with optional attributes (title="...").
_FENCE = re.compile(r"^```python(?:[ \t][^\n]*)?\n(.*?)^```", re.S | re.M)
# A pymdownx.snippets include on a line of its own: --8<-- "path".
_SNIPPET = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])([^"']+)\1[ \t]*$""", re.M)


def _python_blocks(path: Path) -> list[str]:
    return _FENCE.findall(path.read_text(encoding="utf-8"))


def test_readme_has_python_example():
    assert _python_blocks(ROOT / "README.md")


# Every page of the documentation site, tutorials and reference included.
DOC_PAGES = sorted(
    page.relative_to(ROOT / "docs").as_posix()
    for page in (ROOT / "docs").rglob("*.md")
    if _python_blocks(page)
)


def test_docs_pages_have_python_examples():
    assert {"quickstart.md", "theory.md"} <= set(DOC_PAGES)


@pytest.mark.parametrize("page", DOC_PAGES)
def test_docs_python_blocks_run(page, tmp_path, monkeypatch, capsys):
    """Run a page's python blocks in order in one namespace, as a reader would.

    A later block may use what an earlier one defined. Every block prints something.
    (Tutorial pages show their scripts through snippet includes in ``py`` blocks; those
    scripts run in tests/test_tutorials.py.)
    """
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    for index, code in enumerate(_python_blocks(ROOT / "docs" / page)):
        exec(compile(code, f"docs/{page} block {index}", "exec"), namespace)
        out = capsys.readouterr().out.strip()
        assert out, f"docs/{page} block {index}: every documentation example prints something"


def test_included_scripts_are_tutorials_that_run_as_tests():
    """A snippet include is never in a ``python`` block (which runs as it stands), and every
    included Python file is a tutorial script that tests/test_tutorials.py runs."""
    tested = (ROOT / "tests" / "test_tutorials.py").read_text(encoding="utf-8")
    included = []
    for page in (ROOT / "docs").rglob("*.md"):
        for block in _python_blocks(page):
            assert not _SNIPPET.search(block), f"{page.name}: an include in a python block"
        included += [m.group(2) for m in _SNIPPET.finditer(page.read_text(encoding="utf-8"))]
    scripts = [name for name in included if name.endswith(".py")]
    assert len(scripts) == 7
    for name in scripts:
        assert name.startswith("docs/tutorials/") and (ROOT / name).is_file(), name
        assert f'"{Path(name).name}"' in tested, f"{name} is not run by test_tutorials.py"


@pytest.mark.parametrize("index", range(len(_python_blocks(ROOT / "README.md"))))
def test_readme_python_blocks_run(index, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = _python_blocks(ROOT / "README.md")[index]
    exec(compile(code, f"README.md block {index}", "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert out.strip(), "every README example prints what it computes"
    if "to_parquet" in code:
        assert (tmp_path / "fickle-allies-results" / "provenance.json").is_file()
    if "summary()" in code:
        assert "hegemony_rate" in out or "final_leader_share" in out


def _doctests() -> dict[str, list[doctest.DocTest]]:
    names = ["equipoise"] + [
        info.name for info in pkgutil.walk_packages(equipoise.__path__, prefix="equipoise.")
    ]
    finder = doctest.DocTestFinder(exclude_empty=True)
    found = {}
    for name in sorted(names):
        module = importlib.import_module(name)
        globs = {**vars(module), "np": np}
        tests = [t for t in finder.find(module, name, globs=globs) if t.examples]
        if tests:
            found[name] = tests
    return found


DOCTESTS = _doctests()


def test_docstring_examples_exist():
    assert sum(len(t.examples) for tests in DOCTESTS.values() for t in tests) >= 10


@pytest.mark.parametrize("name", sorted(DOCTESTS))
def test_module_doctests(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for test in DOCTESTS[name]:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"


# ------------------------------------------------------------- shell examples
#: Documented ``equipoise`` command lines that a test cannot run, each with its reason.
#: Every other ``equipoise`` line in a bash block of README.md or docs/ runs, in order, in one
#: scratch directory per page, so a new command in the docs is tested unless exempted here.
NOT_RUN = {
    "equipoise data update": "downloads from COW and ATOP (tests/test_data_update.py serves "
    "them from a local HTTP server)",
    "equipoise data update --source ~/Downloads/cow": "needs the reader's downloaded files",
    "equipoise dashboard": "a server (tests/test_dashboard_browser.py drives it in Chromium)",
    "equipoise sweep examples/hegemony-sweep.toml": "384 points: minutes on two cores",
    "equipoise sweep examples/hegemony-sweep.toml --workers 2": "384 points",
    "equipoise sweep examples/hegemony-sweep.toml --dask-local 4": "384 points",
    "equipoise sweep examples/hegemony-sweep.toml --scheduler tcp://host-a:8786": "a cluster",
    "equipoise analyse equipoise-results/hegemony-sweep": "needs the 384-point sweep",
    "equipoise analyse DIR --out tables --min-mass 0.1": "DIR is a placeholder",
    "equipoise sweep tutorial-cluster-sweep.toml --dask-local 2": "the file is shown on the "
    "page, not shipped; tests/test_tutorials.py runs the tutorial's sweep",
    "equipoise sweep tutorial-cluster-sweep.toml --scheduler tcp://scheduler:8786": "a cluster",
    "equipoise analyse equipoise-results/tutorial-cluster-sweep": "needs the tutorial's sweep",
    "equipoise calibrate --budget 20000 -o calibrate-1914": "20,000 simulations: minutes",
    "equipoise calibrate --params my-priors.toml --workers 2 -o calibrate-mine": "the reader's "
    "file, and the default budget",
    "equipoise calibrate --system --budget 50000 --workers 2 -o calibrate-system-1914": "50,000 "
    "whole-system simulations: tens of minutes",
}


def _shell_commands(path: Path) -> list[str]:
    """The ``equipoise`` command lines of a page's bash blocks, comments stripped.

    ``pip install ... && equipoise ...`` keeps the part after ``&&``: the test environment
    has equipoise installed already.
    """
    text = path.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```(?:bash|console|sh)[^\n]*\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith("pip install") and "&&" in line:
                line = line.split("&&", 1)[1].strip()
            if line.startswith("equipoise "):
                commands.append(line)
    return commands


PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
#: Pages with at least one command that runs.
SHELL_PAGES = [
    str(page.relative_to(ROOT))
    for page in PAGES
    if any(c not in NOT_RUN for c in _shell_commands(page))
]


def test_not_run_list_is_current():
    documented = {c for page in PAGES for c in _shell_commands(page)}
    assert set(NOT_RUN) <= documented, f"stale: {sorted(set(NOT_RUN) - documented)}"
    assert len(SHELL_PAGES) >= 5


@pytest.mark.parametrize("page", SHELL_PAGES)
def test_docs_shell_commands_run(page, tmp_path):
    """Run a page's ``equipoise`` commands as a reader would, from a scratch directory.

    The directory has the repository's ``examples/`` beside it, as in a clone, and the
    commands run in order (a later one may read what an earlier one wrote).
    """
    exe = shutil.which("equipoise")
    assert exe, "the equipoise console script is installed"
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {**os.environ, "EQUIPOISE_DATA_DIR": str(tmp_path / "data-dir")}
    ran = 0
    for command in _shell_commands(ROOT / page):
        if command in NOT_RUN:
            continue
        proc = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {command}"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, f"{page}: `{command}` exited {proc.returncode}:\n{proc.stderr}"
        ran += 1
    assert ran
