"""The architecture holds: imports point down the layers, and modules stay a size one can read.

docs/contributing.md draws the layers and gives the rule behind each arrow. import-linter
checks the arrows (the contracts in pyproject.toml, lazy imports inside functions included);
the checks it cannot make are here: no private name (or private module) of one package
imported by another, no module over 800 lines, and every module says on its first line what
it is for.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "equipoise"
MAX_LINES = 800


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _unit(module: str) -> str:
    """The top-level room a module belongs to: ``equipoise.X`` (a module or a package)."""
    return ".".join(module.split(".")[:2])


def _imports(module: str, path: Path) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import of equipoise code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                stem = base[: len(base) - node.level + 1]
                target = ".".join(stem + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("equipoise"):
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}"
                if full in MODULES:
                    out.append((full, None, node.lineno))
                else:
                    out.append((target, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            out.extend(
                (a.name, None, node.lineno) for a in node.names if a.name.startswith("equipoise")
            )
    return out


def _private_module(target: str, importer: str) -> bool:
    """Whether ``target`` is a private module of a package that ``importer`` is outside of.

    The package's own plumbing (``equipoise._io`` and its like, directly under the root)
    serves every room; a private module inside a room (``equipoise.panels._build``) serves
    only that room.
    """
    parts = target.split(".")
    for depth in range(2, len(parts)):
        if parts[depth].startswith("_") and not parts[depth].startswith("__"):
            owner = ".".join(parts[:depth])
            return not (importer == owner or importer.startswith(owner + "."))
    return False


def test_imports_follow_the_layers():
    """import-linter's contracts (pyproject.toml [tool.importlinter]) are all kept."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports; "
            "raise SystemExit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_no_private_name_crosses_a_package():
    crossings = []
    for module, path in MODULES.items():
        for target, name, line in _imports(module, path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if _private_module(target, module):
                crossings.append(f"{where} imports the private module {target}")
            elif (
                name is not None
                and name.startswith("_")
                and not name.startswith("__")
                and _unit(target) != _unit(module)
            ):
                crossings.append(f"{where} imports {target}.{name}")
    assert not crossings, "\n".join(crossings)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_is_a_room_a_reader_can_hold(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_LINES})"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and doc.strip().splitlines()[0].strip(), (
        f"{path.relative_to(ROOT)}: its docstring's first line should say what it is for"
    )


def test_the_checks_see_what_they_forbid():
    """The private-name check flags what it should, and lets the package's plumbing through."""
    assert _private_module("equipoise.panels._build", "equipoise.cli.panel")
    assert not _private_module("equipoise.panels._build", "equipoise.panels._write")
    assert not _private_module("equipoise._io", "equipoise.history.update")
    assert not _private_module("equipoise.engine", "equipoise.calibrate.simulator")
    assert _unit("equipoise.report.figures") == "equipoise.report"
    assert "equipoise.cli" in MODULES and "equipoise.scenario" in MODULES
