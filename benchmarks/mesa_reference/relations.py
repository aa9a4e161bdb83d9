"""Collectives of the twin: blocs of allied states and wars (clusters of battles).

Both keep their members in insertion-ordered dicts (ordered sets), so a seeded
twin iterates them in the same order on every run and its results are
reproducible from its seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mesa_reference.agents import State

__all__ = ["AGAINST", "CAMP", "INITIAL", "SIDE", "Bloc", "War"]

#: Kinds of bloc (equipoise's bloc codes, see :mod:`equipoise.state`).
AGAINST = "against"  # the coalition balancing against ``anchor``
CAMP = "camp"  # the camp of ``anchor``: it and the states bandwagoning with it
SIDE = "side"  # one of the two coalitions of landscape theory
INITIAL = "initial"  # a group of alliances in force at the start


class Bloc:
    """A set of allied states: two states are allied exactly when they are in the same bloc."""

    __slots__ = ("anchor", "kind", "members")

    def __init__(self, kind: str, anchor: State | int) -> None:
        self.kind = kind
        self.anchor = anchor
        self.members: dict[State, None] = {}

    def __repr__(self) -> str:
        anchor = getattr(self.anchor, "index", self.anchor)
        return f"Bloc({self.kind}, {anchor}, {len(self.members)} members)"

    def add(self, state: State) -> None:
        """``state`` joins (leaving its former bloc, if any)."""
        if state.bloc is not None:
            state.bloc.discard(state)
        state.bloc = self
        self.members[state] = None

    def discard(self, state: State) -> None:
        """``state`` leaves this bloc."""
        self.members.pop(state, None)
        if state.bloc is self:
            state.bloc = None
            state.bloc_life = 0

    def dissolve(self) -> None:
        """Every member leaves."""
        for state in list(self.members):
            self.discard(state)

    def binds_against(self, member: State, enemy: State) -> bool:
        """Whether the partners of ``member`` are bound to join it in a war against ``enemy``.

        Members of the coalition against ``enemy``; the clients of ``member`` if it
        leads this camp; a landscape side against a member of the other side.
        """
        if self.kind == AGAINST:
            return self.anchor is enemy
        if self.kind == CAMP:
            return self.anchor is member
        other = enemy.bloc
        return self.kind == SIDE and other is not None and other.kind == SIDE and other is not self


class War:
    """A war: a cluster of battles in space and time (Cederman 2003)."""

    __slots__ = (
        "battles",
        "closed",
        "deaths",
        "id",
        "initiator",
        "last",
        "members",
        "pairs",
        "parent",
        "provinces",
        "size",
        "start",
        "target",
        "world_military",
    )

    def __init__(
        self, war_id: int, step: int, initiator: State, target: State, world_military: float
    ) -> None:
        self.id = war_id
        self.start = step
        self.last = step
        self.initiator = initiator
        self.target = target
        self.world_military = world_military
        self.members: dict[State, None] = {}
        self.battles = 0
        self.provinces = 0
        self.deaths = 0
        self.size = 0.0
        self.pairs = 0
        self.closed = False
        self.parent: War | None = None

    @property
    def participants(self) -> int:
        """States that have fought in the war (members of merged wars included)."""
        return len(self.members)

    def absorb(self, other: War) -> None:
        """Merge the younger war ``other`` into this one (a new pair joined them)."""
        self.battles += other.battles
        self.provinces += other.provinces
        self.deaths += other.deaths
        self.size += other.size
        self.pairs += other.pairs
        self.last = max(self.last, other.last)
        other.parent = self
        for state in other.members:
            state.war = self
            self.members[state] = None
        other.members = {}

    def row(self) -> dict[str, float]:
        """The war as a row of the model's ``wars`` table."""
        return {
            "war": self.id,
            "start": self.start,
            "end": self.last,
            "initiator": self.initiator.index,
            "target": self.target.index,
            "participants": self.participants,
            "battles": self.battles,
            "provinces": self.provinces,
            "states_destroyed": self.deaths,
            "size": self.size,
            "world_military": self.world_military,
            "ongoing": not self.closed,
        }
