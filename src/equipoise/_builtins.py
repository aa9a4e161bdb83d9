"""The built-in scenario files, found without importing the scenario model (fast start-up)."""

from __future__ import annotations

import importlib.resources

__all__ = ["builtin_scenarios", "builtin_text"]


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped with equipoise, default first."""
    files = importlib.resources.files("equipoise") / "scenarios"
    names = sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml"))
    names.remove("balancers")
    return ["balancers", *names]


def builtin_text(name: str) -> str:
    """The TOML text of a built-in scenario, comments included."""
    res = importlib.resources.files("equipoise") / "scenarios" / f"{name}.toml"
    return res.read_text(encoding="utf-8")
