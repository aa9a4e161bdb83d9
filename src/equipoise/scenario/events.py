"""Changes of membership on a date: states that enter the system and states that leave it.

A scenario of given states may list ``[[events]]``: on the given step a state
**enters** (it had no provinces of its own in the system, or was held by
another member, and now governs the provinces around its capital), **merges**
into another member (it leaves, and its provinces and forces pass to the
``successor``, as the German and Italian states did in 1860-71), or
**dissolves** (it leaves, and its provinces are no member's until the states
that succeed it enter). Deaths by conquest are never events: they are the
model's own (:mod:`equipoise.rules.geography`). These are the exits that the
Correlates of War state system records without conquest, and its entries
(Correlates of War Project 2017; Griffiths & Butcher 2013 on how states are
born), which :func:`equipoise.history.scenario_from_history` reads so that a
historical system grows as the real one did.

A state marked ``present = false`` in ``[[states]]`` is *dormant* at the start:
its provinces are land no member holds (or held by ``held_by``, its predecessor) and it has
no output, forces or capability share until it enters. On entry it takes the
provinces of its site from whoever holds them, with output and forces equal
to the given shares of the system's totals at that moment (the data's state
at the entry date), so that its relative size at birth is history's.

References
----------
Correlates of War Project (2017). State System Membership List, v2016.
    http://correlatesofwar.org
Griffiths, R. D., & Butcher, C. R. (2013). Introducing the International
    System(s) Dataset (ISD), 1816-2011. *International Interactions*, 39(5),
    748-768. https://doi.org/10.1080/03050629.2013.834259
Fazal, T. M. (2007). *State Death*. Princeton University Press.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from equipoise.scenario.groups import ParamGroup, unit_field

__all__ = ["EVENT_KINDS", "EventSpec"]

#: The kinds of event, in the order the kernel applies them within a step: a state
#: dissolves before its successors enter, and a state enters before others merge into it.
EVENT_KINDS: tuple[str, ...] = ("dissolve", "enter", "merge")


class EventSpec(ParamGroup):
    """A change of membership on a given step (see the module docstring)."""

    step: int = Field(
        ge=1,
        le=100_000,
        description="Step at the start of which the event happens (step 1 is the first).",
        json_schema_extra=unit_field("steps"),
    )
    kind: Literal["enter", "merge", "dissolve"] = Field(
        description="enter: the state takes its site and starts to act; merge: it leaves and "
        "its provinces and forces pass to the successor; dissolve: it leaves and its "
        "provinces are no member's."
    )
    state: str = Field(min_length=1, max_length=64, description="The state (a [[states]] name).")
    successor: str | None = Field(
        None, min_length=1, max_length=64, description="For merge: the state it joins."
    )
    economy: float | None = Field(
        None,
        gt=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="For enter: the entrant's share of the living states' output on entry.",
        json_schema_extra=unit_field("share"),
    )
    military: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="For enter: its share of the living states' military on entry "
        "(default: its economy share).",
        json_schema_extra=unit_field("share"),
    )
    productivity: float | None = Field(
        None,
        gt=0.0,
        le=1e6,
        allow_inf_nan=False,
        description="For enter: output per head relative to the others on entry "
        "(default: 1, the mean).",
        json_schema_extra=unit_field("relative to the mean"),
    )

    @model_validator(mode="after")
    def _fields_of_kind(self) -> EventSpec:
        if self.kind == "merge":
            if self.successor is None:
                raise ValueError(f"a merge of '{self.state}' needs a successor")
            if self.successor == self.state:
                raise ValueError(f"'{self.state}' cannot merge into itself")
        elif self.successor is not None:
            raise ValueError(f"only a merge has a successor ('{self.state}' {self.kind}s)")
        if self.kind == "enter":
            if self.economy is None:
                raise ValueError(f"the entry of '{self.state}' needs its economy share")
        elif self.economy is not None or self.military is not None:
            raise ValueError(f"only an entry gives economy and military ('{self.state}')")
        return self
