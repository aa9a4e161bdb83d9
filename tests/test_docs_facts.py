"""Facts the README and the docs state about the code, kept in step with it (issue 25).

The README said seven browser tests when 13 ran, its extras table left out `calibrate`, it
called the core light while powerlaw pulls in matplotlib, and docs/validate.md's prose gave a
median the table beside it did not. Each fact is checked here against its source.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else None]


def _browser_tests() -> int:
    """The tests of tests/test_dashboard_browser.py, parametrized cases counted (from its AST).

    Every ``pytest.mark.parametrize`` there gives its cases as a literal list or tuple.
    """
    tree = ast.parse((ROOT / "tests" / "test_dashboard_browser.py").read_text(encoding="utf-8"))
    total = 0
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
            continue
        cases = 1
        for decorator in node.decorator_list:
            if isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith(
                "mark.parametrize"
            ):
                values = decorator.args[1]
                assert isinstance(values, ast.List | ast.Tuple), ast.unparse(decorator)
                cases *= len(values.elts)
        total += cases
    return total


def test_readme_counts_the_browser_tests():
    said = re.search(r"The (\d+)\s+browser tests", README)
    assert said, "the README says how many browser tests there are"
    assert int(said.group(1)) == _browser_tests()


def test_readme_extras_table_lists_every_extra():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    table = _section(README, "## Install and optional extras")
    listed = re.findall(r"^\| `([a-z-]+)` \|", table, re.M)
    assert sorted(listed) == sorted(extras)


def test_readme_says_what_the_core_install_brings_through_powerlaw():
    needs = [r.split(";")[0] for r in importlib.metadata.requires("powerlaw") or []]
    install = " ".join(_section(README, "## Install and optional extras").split())
    if any(re.match(r"matplotlib\b", r) for r in needs):
        assert "powerlaw requires matplotlib" in install
    else:  # pragma: no cover - a powerlaw without matplotlib: the sentence must go
        assert "powerlaw requires matplotlib" not in install


def test_validate_prose_quotes_its_own_table():
    text = (ROOT / "docs" / "validate.md").read_text(encoding="utf-8")
    page = _section(text, "## The model against 1816-1914")
    rows = {
        m.group(1): m.group(2).split()
        for m in re.finditer(r"^ (\w+)\s+(.+)$", page, re.M)
        if m.group(1) in ("con_mean", "leader_third_share")
    }
    history, median, low, high = rows["con_mean"][:4]
    prose = " ".join(page.split())
    assert f"CON {history} against a simulated median of {median}" in prose
    history, median, low, high = (_two(v) for v in rows["leader_third_share"][:4])
    assert f"({history}, inside a wide interval from {low} to {high.rstrip('.0')})" in prose


def _two(value: str) -> str:
    """A table's figure as prose gives it: two decimals, halves rounded up (0.585 -> 0.59)."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# ------------------------------------------------- first experiments show an effect
def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def test_the_readme_example_prints_what_the_readme_shows_and_shows_an_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ten lines of Python print the output the README gives, hegemony in some world and
    not the same in all (it printed 0.0 for all three worlds; issue 25, item 3)."""
    section = _section(README, "## Python in ten lines")
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code and shown, "the section shows its code and what it prints"
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md, Python in ten lines", "exec"), {"__name__": "__doc__"})
    out = capsys.readouterr().out
    assert _lines(out) == _lines(shown.group(1))
    rates = [
        float(r) for r in re.findall(r"^(?:null|balancers|fickle-allies) +([0-9.]+)", out, re.M)
    ]
    assert len(rates) == 3
    assert max(rates) > 0 and len(set(rates)) == 3


def test_the_quick_sweep_shows_hegemony_that_depends_on_what_it_sweeps() -> None:
    """examples/quick-sweep.toml, run as the sweep runs it (a point's scenario, its seed), gives
    hegemony at some point and more of it with more states that do not balance (it gave 0 in
    all 270 replications; issue 25, item 3). Its two corners at the default attack rate."""
    from equipoise import run
    from equipoise.experiments import SweepSpec

    spec = SweepSpec.load(ROOT / "examples" / "quick-sweep.toml")
    points = spec.points()
    rates = {}
    for none in (0.0, 1.0):
        (point,) = points.index[
            (points["strategies.none"] == none) & (points["war.attack_probability"] == 0.05)
        ]
        scenario = spec.point_scenario(int(point))
        result = run(scenario, spec.replications, spec.steps, seed=spec.point_seed(int(point)))
        rates[none] = float(result.summary()["hegemony_rate"].iloc[0])
    assert 0 < rates[0.0] < rates[1.0], rates
