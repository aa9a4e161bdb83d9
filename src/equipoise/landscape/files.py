"""Landscape input files: names, sizes and a propensity matrix as CSV or TOML.

Contract: :func:`read_landscape` returns validated inputs for
:func:`equipoise.landscape.solve`, or raises :class:`LandscapeError` with a
one-line message naming the file and the problem. Nothing is written.

CSV (``.csv``): a header ``name,size,<name 1>,...,<name n>`` and one row per
state, in the same order as the columns; the cells under the names are the
propensity matrix. Diagonal cells may be empty (they are ignored); every other
cell must be a number, and the matrix must be symmetric::

    name,size,GBR,FRA,GER
    GBR,2.0,,1,-1
    FRA,1.0,1,,-1
    GER,3.0,-1,-1,

TOML (``.toml``): arrays ``names`` and ``sizes`` and either a matrix
``propensity`` (a list of rows) or a table ``[components]`` of named matrices
with optional ``[weights]`` (see
:func:`~equipoise.landscape.propensity_from_components`)::

    names = ["GBR", "FRA", "GER"]
    sizes = [2.0, 1.0, 3.0]
    propensity = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from equipoise.landscape._core import (
    FloatArray,
    LandscapeError,
    propensity_from_components,
    validate,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["LandscapeInput", "read_landscape"]


@dataclass(frozen=True, eq=False)
class LandscapeInput:
    """Validated inputs of a landscape: names, sizes and the propensity matrix."""

    names: tuple[str, ...]
    sizes: FloatArray
    propensity: FloatArray


def _number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LandscapeError(f"{where}: {text!r} is not a number") from None


def _from_csv(text: str, source: str) -> LandscapeInput:
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise LandscapeError(f"{source}: the file is empty")
    header = [c.strip() for c in rows[0]]
    if len(header) < 4 or [h.lower() for h in header[:2]] != ["name", "size"]:
        raise LandscapeError(
            f"{source}: the header must be 'name,size,' followed by the state names "
            "(at least 2 states)"
        )
    names = header[2:]
    body = rows[1:]
    n = len(names)
    if len(body) != n:
        raise LandscapeError(f"{source}: {n} state columns but {len(body)} data rows")
    sizes: list[float] = []
    matrix: list[list[float]] = []
    for k, row in enumerate(body):
        line = k + 2
        cells = [c.strip() for c in row]
        if len(cells) != n + 2:
            raise LandscapeError(f"{source}: line {line} has {len(cells)} cells, expected {n + 2}")
        if cells[0] != names[k]:
            raise LandscapeError(
                f"{source}: line {line} is {cells[0]!r} but column {k + 3} is {names[k]!r}; "
                "rows must follow the order of the columns"
            )
        sizes.append(_number(cells[1], f"{source}: line {line}, size"))
        values = []
        for j, cell in enumerate(cells[2:]):
            if j == k and cell == "":
                values.append(0.0)
            else:
                values.append(_number(cell, f"{source}: line {line}, column {names[j]!r}"))
        matrix.append(values)
    return _validated(sizes, matrix, names, source)


def _from_toml(text: str, source: str) -> LandscapeInput:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LandscapeError(f"{source}: malformed TOML: {exc}") from None
    known = {"names", "sizes", "propensity", "components", "weights"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise LandscapeError(f"{source}: unknown key {unknown[0]!r}")
    for key in ("names", "sizes"):
        if key not in data:
            raise LandscapeError(f"{source}: missing key {key!r}")
    names = data["names"]
    if not isinstance(names, list):
        raise LandscapeError(f"{source}: 'names' must be an array of strings")
    if ("propensity" in data) == ("components" in data):
        raise LandscapeError(f"{source}: give either 'propensity' or a [components] table")
    if "weights" in data and "components" not in data:
        raise LandscapeError(f"{source}: [weights] needs a [components] table")
    if "propensity" in data:
        matrix = data["propensity"]
    else:
        comps = data["components"]
        weights = data.get("weights", {})
        if not isinstance(comps, dict) or not isinstance(weights, dict):
            raise LandscapeError(f"{source}: [components] and [weights] must be tables")
        try:
            matrix = propensity_from_components(comps, weights)
        except LandscapeError as exc:
            raise LandscapeError(f"{source}: {exc}") from None
    return _validated(data["sizes"], matrix, names, source)


def _validated(sizes: Any, matrix: Any, names: Any, source: str) -> LandscapeInput:
    try:
        s, p, label = validate(sizes, matrix, names)
    except LandscapeError as exc:
        raise LandscapeError(f"{source}: {exc}") from None
    return LandscapeInput(names=label, sizes=s, propensity=p)


def read_landscape(path: str | Path) -> LandscapeInput:
    """Read a landscape from a CSV or TOML file (format in the module docstring).

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.toml`` file.

    Returns
    -------
    LandscapeInput

    Raises
    ------
    LandscapeError
        The file is missing, unreadable, of another type, malformed, or its
        matrix is not square, not numeric or not symmetric.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".toml"):
        raise LandscapeError(f"{path}: expected a .csv or .toml file")
    if path.is_dir():
        raise LandscapeError(f"{path} is a directory, not a landscape file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LandscapeError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LandscapeError(f"{path}: cannot read: {exc}") from None
    if suffix == ".csv":
        try:
            return _from_csv(text, str(path))
        except csv.Error as exc:
            raise LandscapeError(f"{path}: malformed CSV: {exc}") from None
    return _from_toml(text, str(path))
