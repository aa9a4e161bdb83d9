"""The Scenario: every parameter of a simulated state system, validated, in and out of TOML."""

from __future__ import annotations

import contextvars
import hashlib
import sys
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from equipoise._builtins import builtin_scenarios, builtin_text
from equipoise._validation import validation_summary
from equipoise.scenario.events import EVENT_KINDS, EventSpec
from equipoise.scenario.groups import (
    PACT_KINDS,
    STRATEGIES,
    AllianceParams,
    GrowthParams,
    HegemonyParams,
    InitialParams,
    InternalParams,
    InvalidScenarioError,
    MapParams,
    PactRow,
    ParamGroup,
    PowerParams,
    RunParams,
    SoftBalancingParams,
    StateSpec,
    StrategyMix,
    TechnologyParams,
    ThreatParams,
    WarParams,
    unit_field,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Scenario", "builtin_scenarios"]

#: Set while :meth:`Scenario.from_dict` validates, so that ``__init__`` leaves
#: the error to it (and the message names the source once).
_IN_FROM_DICT: contextvars.ContextVar[bool] = contextvars.ContextVar("_IN_FROM_DICT", default=False)


class Scenario(ParamGroup):
    """A complete, validated description of a simulated state system.

    Parameters are grouped as in the TOML file, one table per mechanism. Build
    one with keywords (``Scenario(n_states=10, war={"decisiveness": 3})``),
    :meth:`load` a built-in or a file, or :meth:`replace` fields of another.
    See ``docs/model.md`` for every parameter with its default and source.
    """

    name: str = Field(
        "custom",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        description="Letters, digits, '-' and '_' (it names output folders).",
    )
    description: str = Field("", description="What the scenario is about (free text).")
    n_states: int | None = Field(
        None,
        ge=2,
        le=2000,
        description="Number of generated states.",
        json_schema_extra=unit_field("states"),
    )
    run: RunParams = RunParams()
    map: MapParams = MapParams()
    initial: InitialParams = InitialParams()
    strategies: StrategyMix = StrategyMix(balance_power=1.0)
    growth: GrowthParams = GrowthParams()
    power: PowerParams = PowerParams()
    technology: TechnologyParams = TechnologyParams()
    threat: ThreatParams = ThreatParams()
    internal: InternalParams = InternalParams()
    alliances: AllianceParams = AllianceParams()
    soft_balancing: SoftBalancingParams = SoftBalancingParams()
    war: WarParams = WarParams()
    hegemony: HegemonyParams = HegemonyParams()
    states: tuple[StateSpec, ...] = Field((), strict=False)
    initial_alliances: tuple[Annotated[tuple[str, str], Field(strict=False)], ...] = Field(
        (),
        strict=False,
        description="Pairs of state names allied at the start (needs explicit [[states]]).",
    )
    alliance_exclusions: tuple[Annotated[tuple[str, str], Field(strict=False)], ...] = Field(
        (),
        strict=False,
        description="Pairs of state names that never belong to the same alliance (bloc): "
        "neither joins a bloc the other is in (a counterfactual, e.g. Italy outside the Triple "
        "Alliance; needs explicit [[states]]).",
    )
    events: tuple[EventSpec, ...] = Field(
        (),
        strict=False,
        description="States entering and leaving the system on given steps (needs explicit "
        "[[states]]; see equipoise.scenario.events).",
    )
    initial_pacts: tuple[PactRow, ...] = Field(
        (),
        strict=False,
        description="Pacts in force at the start, [state, state, kind] with kind one of "
        "defence, offence, neutrality, non_aggression, consultation, each its own treaty, or "
        "[state, state, kind, treaty]: the rows with the same treaty label (a string, e.g. "
        "'atop-1040') are the pacts of one multilateral treaty (needs explicit [[states]] and "
        "alliances.treaties = true).",
    )

    def __init__(self, **data: Any) -> None:
        if _IN_FROM_DICT.get():  # pydantic routes model_validate through __init__
            super().__init__(**data)
            return
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidScenarioError(validation_summary(exc, "Scenario")) from None

    @field_validator("initial_pacts", mode="before")
    @classmethod
    def _pact_rows(cls, rows: Any) -> Any:
        """Each row is [state, state, kind] or [state, state, kind, treaty label], said plainly.

        The two shapes are a union, whose own errors would name the shape the row is not.
        """
        if not isinstance(rows, list | tuple):
            return rows
        for k, row in enumerate(rows):
            if not isinstance(row, list | tuple) or len(row) not in (3, 4):
                raise ValueError(
                    f"row {k} must be [state, state, kind] or [state, state, kind, treaty], "
                    f"got {row!r}"
                )
            if not all(isinstance(x, str) for x in row[:2]):
                raise ValueError(f"row {k}: the states are names (strings), got {row!r}")
            if row[2] not in PACT_KINDS:
                raise ValueError(
                    f"row {k}: unknown pact kind {row[2]!r}: choose from {', '.join(PACT_KINDS)}"
                )
            if len(row) == 4 and (not isinstance(row[3], str) or not row[3].strip()):
                raise ValueError(
                    f"row {k}: the treaty label is a non-empty string naming the treaty its "
                    f"pacts share (e.g. 'atop-1040'), got {row[3]!r}"
                )
        return rows

    @model_validator(mode="after")
    def _states_consistent(self) -> Scenario:
        if self.states:
            if self.n_states is not None and self.n_states != len(self.states):
                raise ValueError(
                    f"n_states = {self.n_states} but {len(self.states)} [[states]] are given; "
                    "drop n_states or make them agree"
                )
            if len(self.states) < 2:
                raise ValueError("a scenario needs at least 2 states")
            names = [s.name for s in self.states]
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"duplicate state names: {', '.join(dup)}")
        elif self.n_states is None:
            raise ValueError("give n_states or a list of [[states]]")
        self._check_pairs("initial_alliances", "cannot ally with itself")
        self._check_pairs("alliance_exclusions", "cannot be kept from itself")
        if self.alliance_exclusions:
            self._check_exclusions_apart()
        self._check_events()
        if self.states and self.map.channels:
            raise ValueError(
                "map.channels cut the lattice of generated states; given [[states]] get their "
                "seas from map.geography = 'contiguity'"
            )
        if self.initial_pacts:
            self._check_pacts()
        if self.map.geography == "contiguity":
            self._check_borders()
        return self

    def _check_borders(self) -> None:
        """Borders of ``map.geography = 'contiguity'`` are given and name distinct known states."""
        if not self.states or (self.map.land_borders is None and self.map.sea_borders is None):
            raise ValueError(
                "map.geography = 'contiguity' needs the states' borders: build the scenario "
                "with scenario_from_history(year, map={'geography': 'contiguity'}), which "
                "writes them from COW direct contiguity, or give [[states]] with "
                "map.land_borders and map.sea_borders (pairs of state names)"
            )
        known = set(self.state_names())
        seen: dict[frozenset[str], str] = {}
        for field in ("land_borders", "sea_borders"):
            for a, b in getattr(self.map, field) or ():
                unknown = [x for x in (a, b) if x not in known]
                if unknown:
                    raise ValueError(f"map.{field}: unknown state '{unknown[0]}'")
                if a == b:
                    raise ValueError(f"map.{field}: state '{a}' cannot border itself")
                pair = frozenset((a, b))
                if pair in seen and seen[pair] != field:
                    raise ValueError(
                        f"map: '{a}' and '{b}' are in both land_borders and sea_borders; "
                        "a pair that borders by land belongs in land_borders only"
                    )
                seen[pair] = field

    def _check_pacts(self) -> None:
        """``initial_pacts`` need treaties and name distinct known states, once per pair."""
        if not self.alliances.treaties:
            raise ValueError(
                "initial_pacts are pacts (treaties): set alliances.treaties = true, or list "
                "the pairs as initial_alliances"
            )
        self._check_pairs("initial_pacts", "cannot sign a pact with itself")
        seen: set[frozenset[str]] = set()
        for a, b, *_ in self.initial_pacts:
            pair = frozenset((a, b))
            if pair in seen:
                raise ValueError(f"initial_pacts: '{a}' and '{b}' have two pacts; keep one")
            seen.add(pair)

    def _check_events(self) -> None:
        """Events name known states in an order that can happen; absent states enter first.

        An entry of a state in the system by the schedule is allowed: it restores the
        state if the model has conquered it by then (and does nothing otherwise).
        """
        if self.events and not self.states:
            raise ValueError("events name states, so they need explicit [[states]]")
        known = {s.name for s in self.states}
        alive = {s.name: s.present for s in self.states}
        for spec in self.states:
            if spec.held_by is None:
                continue
            if spec.present:
                raise ValueError(f"'{spec.name}' has held_by but is present at the start")
            if spec.held_by not in known or spec.held_by == spec.name:
                raise ValueError(f"'{spec.name}': held_by names no other state ('{spec.held_by}')")
        if known and not any(alive.values()):
            raise ValueError("no state is present at the start")
        last: dict[str, int] = {}
        entered: set[str] = set()
        for event in self.ordered_events():
            for name in (event.state, event.successor):
                if name is not None and name not in known:
                    raise ValueError(f"events: unknown state '{name}'")
            if last.get(event.state) == event.step:
                raise ValueError(f"events: '{event.state}' has two events on step {event.step}")
            last[event.state] = event.step
            if event.kind != "enter" and not alive[event.state]:
                raise ValueError(
                    f"events: '{event.state}' cannot {event.kind} on step {event.step}: "
                    "it is not in the system then"
                )
            alive[event.state] = event.kind == "enter"
            entered.add(event.state)
        absent = [s.name for s in self.states if not s.present and s.name not in entered]
        if absent:
            raise ValueError(f"'{absent[0]}' is absent at the start and never enters")

    def ordered_events(self) -> list[EventSpec]:
        """The events in the order the kernel applies them.

        By step, then by kind (dissolutions, entries, merges), then as listed.
        """
        rank = {kind: k for k, kind in enumerate(EVENT_KINDS)}
        keyed = sorted(enumerate(self.events), key=lambda x: (x[1].step, rank[x[1].kind], x[0]))
        return [event for _, event in keyed]

    def _check_exclusions_apart(self) -> None:
        """No excluded pair is linked by the alliances in force at the start."""
        names = self.state_names()
        group = {names[i]: k for k, members in enumerate(self.allied_groups()) for i in members}
        for a, b in self.alliance_exclusions:
            if a in group and group[a] == group.get(b):
                raise ValueError(
                    f"alliance_exclusions: '{a}' and '{b}' are in one alliance in force at the "
                    "start (initial_alliances link them); remove the pairs that link them"
                )

    def allied_groups(self) -> list[list[int]]:
        """The alliances in force at the start as connected groups of allied states.

        Each group lists state indices in increasing order; groups come in the order of their
        first member, and a state in no alliance is in none. The engine makes each group one
        bloc (``initial_alliances``; docs/model.md, section 8).
        """
        if not self.initial_alliances:
            return []
        index = {name: i for i, name in enumerate(self.state_names())}
        parent = list(range(self.size))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in self.initial_alliances:
            ra, rb = find(index[a]), find(index[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[int, list[int]] = {}
        for i in range(self.size):
            members.setdefault(find(i), []).append(i)
        return [members[root] for root in sorted(members) if len(members[root]) > 1]

    def _check_pairs(self, field: str, itself: str) -> None:
        """The pairs of ``field`` name known, distinct states (which must be explicit)."""
        pairs: tuple[tuple[str, ...], ...] = getattr(self, field)
        if not pairs:
            return
        if not self.states:
            raise ValueError(f"{field} name states, so they need explicit [[states]]")
        known = {s.name for s in self.states}
        for a, b, *_ in pairs:
            unknown = [x for x in (a, b) if x not in known]
            if unknown:
                raise ValueError(f"{field}: unknown state '{unknown[0]}'")
            if a == b:
                raise ValueError(f"{field}: state '{a}' {itself}")

    # ------------------------------------------------------------------ sizes
    @property
    def size(self) -> int:
        """Number of states in the system."""
        return len(self.states) if self.states else int(self.n_states or 0)

    def strategy_names(self) -> list[str]:
        """Strategy of each state, in state order."""
        if self.states:
            return [s.strategy for s in self.states]
        out: list[str] = []
        for name, count in zip(STRATEGIES, self.strategies.counts(self.size), strict=True):
            out.extend([name] * count)
        return out

    def state_names(self) -> list[str]:
        """Names of the states (``S00``, ``S01``, ... for generated states)."""
        if self.states:
            return [s.name for s in self.states]
        width = len(str(self.size - 1))
        return [f"S{i:0{width}d}" for i in range(self.size)]

    # ----------------------------------------------------------- construction
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "scenario") -> Scenario:
        """Validate a mapping, raising :class:`InvalidScenarioError` on bad input."""
        token = _IN_FROM_DICT.set(True)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InvalidScenarioError(validation_summary(exc, source)) from None
        finally:
            _IN_FROM_DICT.reset(token)

    @classmethod
    def from_toml(cls, text: str, source: str = "scenario") -> Scenario:
        """Parse and validate TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidScenarioError(f"{source}: malformed TOML: {exc}") from None
        return cls.from_dict(data, source)

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        """Load a built-in scenario by name, or a TOML file by path.

        Raises
        ------
        InvalidScenarioError
            If the name is neither an existing file nor a built-in scenario, or
            the file is not a valid scenario.
        """
        path = Path(name_or_path)
        if path.is_dir():
            raise InvalidScenarioError(f"{path} is a directory, not a scenario file")
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InvalidScenarioError(f"{path}: cannot read scenario file: {exc}") from None
            return cls.from_toml(text, source=str(path))
        key = str(name_or_path)
        builtins = builtin_scenarios()
        if key in builtins:
            return cls.from_toml(builtin_text(key), source=f"built-in scenario '{key}'")
        if path.suffix.lower() == ".toml" or "/" in key or "\\" in key:
            raise InvalidScenarioError(f"scenario file not found: {key}")
        raise InvalidScenarioError(
            f"unknown scenario '{key}': not a file and not a built-in "
            f"(choose from {', '.join(builtins)})"
        )

    def replace(self, **changes: Any) -> Scenario:
        """Return a validated copy with top-level fields or whole tables replaced.

        Nested tables may be given as dicts of the keys to change, e.g.
        ``s.replace(war={"enabled": False})``.
        """
        data = self.model_dump()
        for key, value in changes.items():
            if isinstance(value, BaseModel):
                value = value.model_dump()
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Scenario.from_dict(data, source=f"scenario '{self.name}'")

    # ------------------------------------------------------------------ output
    def to_toml(self) -> str:
        """Write the scenario as TOML, every parameter included."""
        data = self.model_dump(mode="json", exclude_none=True)
        for key in ("initial_alliances", "alliance_exclusions", "events", "initial_pacts"):
            if not data.get(key):
                data.pop(key, None)
        if not data.get("states"):
            data.pop("states", None)
        else:
            data["states"] = [{k: v for k, v in s.items() if v is not None} for s in data["states"]]
        if data.get("events"):
            data["events"] = [{k: v for k, v in e.items() if v is not None} for e in data["events"]]
        return tomli_w.dumps(data)

    def content_hash(self) -> str:
        """SHA-256 of the canonical TOML text: equal scenarios have equal hashes."""
        return hashlib.sha256(self.to_toml().encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ built-ins
# builtin_scenarios and builtin_text live in equipoise._builtins (no pydantic needed to list
# the built-in files, which keeps `equipoise scenario list` fast) and are re-exported here.
