"""Swept parameters as the design sees them, and a design point's values as scenario edits.

A parameter of a sweep file (:class:`~equipoise.experiments.ParameterSpec`) becomes a
factor with a value type (``float``, ``int``, ``bool`` or ``str``), its levels in a grid
and its coordinates in SALib's design space; a design point's values become the arguments
of :meth:`~equipoise.scenario.Scenario.replace`, with the strategy shares a sweep does not
vary completed so that they still sum to 1. Used by :class:`~equipoise.experiments.SweepSpec`.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel

from equipoise.scenario import STRATEGIES, InvalidScenarioError, Scenario

if TYPE_CHECKING:
    from equipoise.experiments.spec import ParameterSpec

# The keys of one parameter's table; a table without them nests parameters ([parameters.war]).
_LEAF_KEYS = frozenset({"min", "max", "num", "levels"})


def _canonical(value: Any) -> tuple[str, Any]:
    """A hashable key telling ``1`` from ``True`` and ``1.0`` from ``"1.0"``."""
    return (type(value).__name__, value)


class _Factor:
    """A parameter with its value type, as the design sees it."""

    def __init__(self, name: str, spec: ParameterSpec, kind: str) -> None:
        self.name = name
        self.spec = spec
        self.kind = kind  # "float", "int", "bool" or "str"

    @property
    def numeric(self) -> bool:
        return self.kind in ("float", "int")

    def _range(self) -> tuple[int | float, int | float]:
        """``(min, max)`` of a range (``ParameterSpec`` checks that a range has both)."""
        s = self.spec
        assert s.min is not None and s.max is not None
        return s.min, s.max

    def grid_levels(self) -> list[Any]:
        s = self.spec
        if s.levels is not None:
            return [self.convert(v) for v in s.levels]
        if s.num is None:
            raise ValueError(f"parameter '{self.name}': a grid range needs 'num'")
        lo, hi = self._range()
        raw = np.linspace(lo, hi, s.num)
        return [self.convert(float(v)) for v in raw]

    def bounds(self) -> tuple[float, float]:
        """Bounds of the factor in design space (SALib's ``problem['bounds']``)."""
        s = self.spec
        if s.levels is not None:
            return (0.0, float(len(s.levels)))
        lo, hi = self._range()
        if self.kind == "int":
            return (float(lo) - 0.5, float(hi) + 0.5)
        return (float(lo), float(hi))

    def from_design(self, x: float) -> Any:
        """The parameter value at design coordinate ``x``."""
        s = self.spec
        if s.levels is not None:
            i = min(max(math.floor(x), 0), len(s.levels) - 1)
            return self.convert(s.levels[i])
        lo, hi = self._range()
        if self.kind == "int":
            return int(min(max(math.floor(x + 0.5), lo), hi))
        return float(min(max(x, lo), hi))

    def convert(self, value: Any) -> Any:
        if self.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if self.kind == "int" and isinstance(value, float):
            return math.floor(value + 0.5)
        return value


_KINDS: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str"}


def _kind(table: BaseModel, key: str, current: Any) -> str:
    """Value type of a scenario key: its current value's, or its annotation's when unset.

    A key whose default is ``None`` (``map.width``) takes the one non-``None`` type of
    its annotation (``int | None`` -> ``"int"``).
    """
    if current is not None:
        return _KINDS[type(current)]
    annotation = type(table).model_fields[key].annotation
    kinds = [_KINDS[t] for t in typing.get_args(annotation) if t in _KINDS]
    if len(kinds) != 1:
        raise ValueError(f"parameter '{key}' cannot be swept")
    return kinds[0]


def _design_coordinate(factor: _Factor, value: Any) -> float:
    if factor.spec.levels is not None:
        keys = [_canonical(factor.convert(v)) for v in factor.spec.levels]
        return float(keys.index(_canonical(value)))
    return float(value)


def _flatten(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn nested tables (``[parameters.war]``) into dotted keys; shorthand into specs."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and not (_LEAF_KEYS & set(value)):
            out.update(_flatten(value, prefix=f"{name}."))
        elif isinstance(value, list | tuple):
            out[name] = {"levels": list(value)}
        elif isinstance(value, Mapping):
            out[name] = dict(value)
        else:
            out[name] = {"levels": [value]}
    return out


def _nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"war.decisiveness": 2.0}`` -> ``{"war": {"decisiveness": 2.0}}`` for replace()."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        table, _, key = name.rpartition(".")
        if table:
            out.setdefault(table, {})[key] = value
        else:
            out[key] = value
    return out


def _overrides(base: Scenario, values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``replace()`` arguments of a point: :func:`_nested`, with strategy mixes completed.

    Strategy shares must sum to 1, so a sweep of some of them (say
    ``strategies.bandwagon`` from 0 to 0.5) gives the strategies it does not
    sweep what the swept ones leave, in their proportions in the base scenario:
    over a ``mixed`` base of 0.4 / 0.2 / 0.2 / 0.2, ``bandwagon = 0.5`` makes
    ``balance_power`` 0.25 and ``balance_threat`` and ``buck_pass`` 0.125 each.

    Raises
    ------
    InvalidScenarioError
        If the swept shares add up to more than 1, or leave a remainder that
        no strategy of the base scenario can take (the others all have share 0).
    """
    nested = _nested(values)
    swept = nested.get("strategies")
    if not swept or len(swept) == len(STRATEGIES):
        return nested
    rest = [s for s in STRATEGIES if s not in swept]
    total = math.fsum(swept.values())
    if total > 1.0 + 1e-9:
        shown = ", ".join(f"{k}={v:g}" for k, v in swept.items())
        raise InvalidScenarioError(f"swept strategy shares sum to {total:g} (> 1): {shown}")
    left = max(0.0, 1.0 - total)
    weights = {s: getattr(base.strategies, s) for s in rest}
    held = math.fsum(weights.values())
    if held == 0.0 and left > 1e-9:
        raise InvalidScenarioError(
            f"the strategies not swept ({', '.join(rest)}) have share 0 in the base "
            f"scenario, so none can take the remaining {left:g}: sweep another strategy "
            "share or give one of them a share in the base scenario"
        )
    if held == 0.0 or math.isclose(left, held, rel_tol=0.0, abs_tol=1e-12):
        rest_shares = weights  # nothing to share out, or the base's own remainder: to the bit
    else:
        rest_shares = {s: left * w / held for s, w in weights.items()}
    nested["strategies"] = {**swept, **rest_shares}
    return nested


def _python(values: Mapping[str, Any]) -> dict[str, Any]:
    """Numpy scalars -> Python scalars (scenarios are strictly typed)."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}
