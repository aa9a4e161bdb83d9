"""docs/model.md lists every scenario parameter with its current default and plausible range."""

from __future__ import annotations

import re
from pathlib import Path

from equipoise._paramdoc import plausible_ranges
from equipoise.scenario import Scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"


def _documented() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \| ([^|]+) \|", DOC.read_text(), re.M)
    return {name: default.strip() for name, default in rows}


def _parameters() -> dict[str, object]:
    scenario = Scenario(n_states=20)  # the defaults, not a built-in's
    out = {}
    for section, model in scenario:
        if hasattr(type(model), "model_fields"):
            for field in type(model).model_fields:
                out[f"{section}.{field}"] = getattr(model, field)
    return out


def _render(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def test_every_parameter_is_documented_with_its_default():
    documented = _documented()
    params = _parameters()
    assert len(params) >= 50
    missing = sorted(set(params) - set(documented))
    assert not missing, f"parameters missing from docs/model.md: {missing}"
    stale = {
        k: (documented[k], _render(v)) for k, v in params.items() if documented[k] != _render(v)
    }
    assert not stale, f"docs/model.md defaults differ from the code (doc, code): {stale}"


def test_no_documented_parameter_is_unknown():
    unknown = sorted(set(_documented()) - set(_parameters()))
    assert not unknown, f"docs/model.md documents parameters the code lacks: {unknown}"


def test_plausible_ranges_are_the_code_s():
    """The table's plausible ranges are those the scenario's fields declare.

    The fields are the one source of calibration priors and of the region of the
    sensitivity analysis; every range written ``low-high`` in the table is declared.
    """
    row = r"^\| `([a-z_]+\.[a-z_]+)` \| [^|]+ \| [^|]+ \| ([^|]+) \|"
    rows = re.findall(row, DOC.read_text(), re.M)
    documented = {}
    for name, text in rows:
        match = re.fullmatch(r"\s*([0-9.]+)-([0-9.]+)\s*", text)
        if match:
            documented[name] = (float(match.group(1)), float(match.group(2)))
    code = {k: (float(lo), float(hi)) for k, (lo, hi) in plausible_ranges().items()}
    assert len(code) >= 30
    assert documented == code
    base = Scenario(n_states=20)
    for name, ends in plausible_ranges().items():
        table, key = name.split(".")
        assert ends[0] < ends[1], name
        for end in ends:  # both ends are values a scenario accepts
            assert getattr(getattr(base.replace(**{table: {key: end}}), table), key) == end
