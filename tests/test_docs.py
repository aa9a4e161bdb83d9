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


# A fenced ```python block at the start of a line, with optional attributes (title="...").
_FENCE = re.compile(r"^```python(?:[ \t][^\n]*)?\n(.*?)^```", re.S | re.M)
# A pymdownx.snippets include on a line of its own: --8<-- "path[:start:end | :section]",
# relative to the repository root (mkdocs.yml sets base_path: ["."]).
_SNIPPET = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])([^"']+)\1[ \t]*$""", re.M)


def _python_blocks(path: Path) -> list[str]:
    return _FENCE.findall(path.read_text(encoding="utf-8"))


def _include(spec: str) -> str:
    """The text a snippet include stands for: a whole file, lines ``a:b`` or a named section."""
    name, *where = spec.split(":")
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines(keepends=True)
    if len(where) == 2 and all(part.isdigit() for part in where):
        lines = lines[int(where[0]) - 1 : int(where[1])]
    elif len(where) == 1:
        start = next(i for i, line in enumerate(lines) if f"--8<-- [start:{where[0]}]" in line)
        end = next(i for i, line in enumerate(lines) if f"--8<-- [end:{where[0]}]" in line)
        lines = lines[start + 1 : end]
    elif where:
        raise ValueError(f"unsupported snippet include {spec!r}")
    return "".join(lines)


def _expand(code: str) -> str:
    return _SNIPPET.sub(lambda m: _include(m.group(2)), code)


def _only_includes(code: str) -> bool:
    return not _SNIPPET.sub("", code).strip()


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

    A later block may use what an earlier one defined. Snippet includes are expanded, so a
    tutorial that shows its script with ``--8<-- "docs/tutorials/NAME.py"`` runs that script
    (under ``__name__ == "__docs__"``, so a ``__main__`` guard keeps its full-size run out).
    Every block prints something, except a block that only includes a script: it shows
    definitions, which the blocks after it use.
    """
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    printed = False
    for index, code in enumerate(_python_blocks(ROOT / "docs" / page)):
        exec(compile(_expand(code), f"docs/{page} block {index}", "exec"), namespace)
        out = capsys.readouterr().out.strip()
        printed = printed or bool(out)
        if not _only_includes(code):
            assert out, f"docs/{page} block {index}: every documentation example prints something"
    assert printed, f"docs/{page}: its examples print nothing"


def test_snippet_includes_expand():
    code = 'x = 1\n--8<-- "src/equipoise/_version.py"\n'
    assert "__version__ =" in _expand(code)
    assert _only_includes('--8<-- "src/equipoise/_version.py"\n')
    assert not _only_includes(code)


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
