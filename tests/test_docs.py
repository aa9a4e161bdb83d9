"""Documentation examples run as tests: README code blocks and module doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import equipoise

ROOT = Path(__file__).resolve().parents[1]


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_readme_has_python_example():
    assert _python_blocks(ROOT / "README.md")


DOC_PAGES = sorted((ROOT / "docs").glob("*.md"))
DOC_BLOCKS = [(page.name, i) for page in DOC_PAGES for i in range(len(_python_blocks(page)))]


@pytest.mark.parametrize(("page", "index"), DOC_BLOCKS)
def test_docs_python_blocks_run(page, index, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = _python_blocks(ROOT / "docs" / page)[index]
    exec(compile(code, f"docs/{page} block {index}", "exec"), {"__name__": "__docs__"})
    assert capsys.readouterr().out.strip(), "every documentation example prints something"


@pytest.mark.parametrize("index", range(len(_python_blocks(ROOT / "README.md"))))
def test_readme_python_blocks_run(index, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = _python_blocks(ROOT / "README.md")[index]
    exec(compile(code, f"README.md block {index}", "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert out.strip(), "every README example prints what it computes"
    if "to_parquet" in code:
        assert (tmp_path / "no-appeasement-results" / "provenance.json").is_file()
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
