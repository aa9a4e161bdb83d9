"""What each scenario parameter means, from the model itself: descriptions, units, commented TOML.

The one source is the pydantic model (:class:`~equipoise.scenario.Scenario` and its tables):
each field's ``description`` and the ``unit`` and ``plausible`` range in its
``json_schema_extra``. This module walks the model, so a parameter added to it is documented
here without further code: :func:`parameter_docs` lists every parameter (for docs/model.md's
table, for instance), :func:`plausible_ranges` the plausible range of each parameter that
has one (the priors of a calibration, the region of its sensitivity analysis), and
:func:`commented_toml` writes a scenario with each parameter's description and unit as a
comment above it (``equipoise scenario show NAME --full``).

Examples
--------
>>> from equipoise import Scenario
>>> from equipoise._paramdoc import commented_toml, parameter_docs, plausible_ranges
>>> doc = {p.key: p for p in parameter_docs()}["war.decisiveness"]
>>> doc.description, doc.unit
("Exponent m of the battle's contest success function (Tullock 1980).", 'dimensionless')
>>> doc.plausible
(0.5, 4.0)
>>> plausible_ranges()["war.attack_probability"]
(0.01, 0.2)
>>> text = commented_toml(Scenario.load("balancers"))
>>> Scenario.from_toml(text) == Scenario.load("balancers")
True
"""

from __future__ import annotations

import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tomli_w
from pydantic import BaseModel
from pydantic.fields import FieldInfo

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from equipoise.scenario import Scenario

__all__ = [
    "ParamDoc",
    "commented_toml",
    "parameter_docs",
    "plausible_of",
    "plausible_ranges",
    "unit_of",
]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class ParamDoc:
    """One parameter: key, description, unit, default and plausible range.

    ``unit`` is ``None`` for what is not a quantity, ``plausible`` for a parameter without
    a plausible range.
    """

    key: str
    description: str
    unit: str | None
    default: Any
    plausible: tuple[float, float] | None = None


def unit_of(info: FieldInfo) -> str | None:
    """The ``unit`` a field declares in its ``json_schema_extra`` (``None`` if it has none)."""
    extra = info.json_schema_extra
    if isinstance(extra, dict):
        unit = extra.get("unit")
        return unit if isinstance(unit, str) else None
    return None


def plausible_of(info: FieldInfo) -> tuple[float, float] | None:
    """The plausible range ``(low, high)`` a field declares (``None`` if it declares none)."""
    extra = info.json_schema_extra
    if isinstance(extra, dict):
        value = extra.get("plausible")
        if isinstance(value, list | tuple) and len(value) == 2:
            low, high = value
            if isinstance(low, int | float) and isinstance(high, int | float):
                return (low, high)
    return None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _table_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a field that is a table (``RunParams``), else ``None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _array_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a field that is an array of tables (``tuple[StateSpec, ...]``), else None."""
    if typing.get_origin(annotation) in (tuple, list):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        if len(args) == 1:
            return _table_model(args[0])
    return None


def parameter_docs(model: type[BaseModel] | None = None, prefix: str = "") -> list[ParamDoc]:
    """Every parameter of ``model`` (default: :class:`~equipoise.scenario.Scenario`), in order.

    Tables are walked into (``war.decisiveness``); for arrays of tables (``[[states]]``)
    the keys of one entry are listed (``states.economy``).
    """
    if model is None:
        from equipoise.scenario import Scenario

        model = Scenario
    out: list[ParamDoc] = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        sub = _table_model(info.annotation) or _array_model(info.annotation)
        if sub is not None:
            out += parameter_docs(sub, f"{key}.")
        else:
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            out.append(
                ParamDoc(
                    key, _one_line(info.description), unit_of(info), default, plausible_of(info)
                )
            )
    return out


def plausible_ranges() -> dict[str, tuple[float, float]]:
    """The plausible range of every scenario parameter that has one (``table.key`` -> range).

    The one source of the ranges (docs/model.md's table is checked against it); in the
    order of :func:`parameter_docs`.
    """
    return {p.key: p.plausible for p in parameter_docs() if p.plausible is not None}


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else tomli_w.dumps({name: 0}).split(" = ")[0]


def _comment(info: FieldInfo | None) -> list[str]:
    if info is None or not info.description:
        return []
    unit = unit_of(info)
    return [f"# {_one_line(info.description)}" + (f" [{unit}]" if unit else "")]


def _plain(text: str) -> str:
    """Docstring markup as plain text: ``:func:`equipoise.run``` and ````x```` become ``x``."""
    return re.sub(r"(?::\w+:)?`+~?([^`]+?)`+", r"\1", text)


def _table_title(model: type[BaseModel]) -> list[str]:
    doc = (model.__doc__ or "").strip().splitlines()
    return [f"# {_plain(doc[0].strip())}"] if doc else []


def _lines(model: type[BaseModel] | None, data: dict[str, Any], path: str) -> Iterator[str]:
    """TOML lines of ``data`` (``model``'s values): commented keys, then (arrays of) tables."""
    fields = model.model_fields if model is not None else {}
    tables, arrays = [], []
    for name, value in data.items():
        info = fields.get(name)
        annotation = info.annotation if info is not None else None
        if isinstance(value, dict):
            tables.append((name, _table_model(annotation), value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            arrays.append((name, _array_model(annotation), value))
        else:
            yield from _comment(info)
            yield tomli_w.dumps({name: value}).rstrip("\n")
    for name, sub, value in tables:
        dotted = f"{path}{_key(name)}"
        yield ""
        yield from _table_title(sub) if sub is not None else ()
        yield f"[{dotted}]"
        yield from _lines(sub, value, f"{dotted}.")
    for name, sub, items in arrays:
        dotted = f"{path}{_key(name)}"
        for index, item in enumerate(items):
            yield ""
            if index == 0 and sub is not None:
                yield from _table_title(sub)
            yield f"[[{dotted}]]"
            # each key's comment once, on the first entry; the others stay compact
            yield from _lines(sub if index == 0 else None, item, f"{dotted}.")


def commented_toml(scenario: Scenario, title: str | None = None) -> str:
    """``scenario`` as TOML with every parameter's description and unit commented above it.

    The values are those of :meth:`Scenario.to_toml`, so the text loads back to an equal
    scenario (comments are ignored); ``title`` becomes a comment on the first line.
    """
    data = tomllib.loads(scenario.to_toml())
    head = [f"# {title}"] if title else []
    return "\n".join([*head, *_lines(type(scenario), data, "")]) + "\n"
