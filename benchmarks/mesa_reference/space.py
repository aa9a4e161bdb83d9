"""The map of the twin: provinces as the cells of a Mesa von Neumann grid.

A province is a :class:`~mesa.discrete_space.Cell` with an owner (a
:class:`~mesa_reference.agents.State`) and an output. Province ``p`` of
equipoise's lattice (column ``p % width``, row ``p // width``) is the cell at
coordinate ``(column, row)``; its neighbours are the cell's connections, sorted
by province index once at set-up so that ties are broken as in equipoise
(:func:`equipoise.maps.partition`: the lower index first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mesa.discrete_space import Cell, OrthogonalVonNeumannGrid

if TYPE_CHECKING:
    from mesa_reference.agents import State

__all__ = ["Province", "gradient", "lattice", "partition"]


class Province(Cell):
    """A cell of the map: a province with an owner and an output.

    ``output`` is in units of the owner's growth index ``level`` (as in
    equipoise: growth multiplies one number per state, not every province);
    the province produces ``output * owner.level``.
    """

    __slots__ = ("adjacent", "index", "output", "owner", "x", "y")

    def __init__(self, coordinate: tuple[int, ...], capacity: Any = None, random: Any = None):
        super().__init__(coordinate, capacity, random)
        self.x = float(coordinate[0])
        self.y = float(coordinate[1])
        self.index = -1
        self.owner: State | None = None
        self.output = 1.0
        self.adjacent: tuple[Province, ...] = ()


def lattice(
    width: int, height: int, random: Any
) -> tuple[OrthogonalVonNeumannGrid, list[Province]]:
    """A ``width`` x ``height`` von Neumann grid of provinces and its cells in index order."""
    grid = OrthogonalVonNeumannGrid(
        (width, height), torus=False, random=random, cell_klass=Province
    )
    cells: list[Province] = [None] * (width * height)  # type: ignore[list-item]
    for cell in grid.all_cells:
        x, y = cell.coordinate
        cell.index = y * width + x
        cells[cell.index] = cell
    for cell in cells:
        cell.adjacent = tuple(sorted(cell.connections.values(), key=lambda c: c.index))
    return grid, cells


def partition(capitals: Sequence[Province], states: Sequence[State]) -> None:
    """Give every province to the state whose capital is nearest on the grid.

    A breadth-first search from all capitals at once, in state order, so ties
    go to the state whose frontier reaches the province first.
    """
    queue: list[Province] = []
    for cell, state in zip(capitals, states, strict=True):
        cell.owner = state
        queue.append(cell)
    head = 0
    while head < len(queue):
        cell = queue[head]
        head += 1
        for nb in cell.adjacent:
            if nb.owner is None:
                nb.owner = cell.owner
                queue.append(nb)


def gradient(distance: float, reach: float, exponent: float) -> float:
    """Boulding's (1962) loss-of-strength gradient ``(1 + d / L) ** -k``."""
    base = 1.0 + distance / reach
    return 1.0 / base if exponent == 1.0 else base ** (-exponent)


def distance(a: Province, b: Province) -> float:
    """Euclidean distance between two province centres, in lattice units."""
    return math.hypot(a.x - b.x, a.y - b.y)
