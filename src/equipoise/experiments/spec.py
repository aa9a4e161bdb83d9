"""Sweep files: a base scenario, the parameters to vary, a design, and how to run it.

A :class:`SweepSpec` is a frozen pydantic model read from TOML and validated the
way scenarios are: unknown keys, wrong types and out-of-range values raise
:class:`InvalidSweepError` with a one-line message naming the offending key.
Validation goes as far as building the scenario of every design point, so a
sweep that loads will run.

Parameters are scenario keys written as dotted names (``"war.decisiveness"``,
or ``n_states``). Each is given one of

- a range, ``{ min = 0.2, max = 0.9 }`` (plus ``num`` levels in a ``grid``),
- levels, ``{ levels = [1.0, 2.0, 3.0] }`` or just ``[1.0, 2.0, 3.0]``,
- a single value, which fixes the parameter for the whole sweep.

A ``grid`` is the Cartesian product of the levels (mesa's ``batch_run``,
first parameter slowest); ``lhs``, ``sobol`` and ``morris`` draw ``samples``
from the ranges (levels are then sampled uniformly by index). Integer
parameters are sampled on ``[min - 0.5, max + 0.5)`` and rounded, so every
integer is equally likely.

Examples
--------
>>> spec = SweepSpec.from_toml('''
... name = "reliability"
... scenario = "balancers"
... replications = 4
... steps = 20
... seed = 1
... [parameters]
... "alliances.alliance_reliability" = [0.3, 0.6, 0.9]
... "war.decisiveness" = { min = 1.0, max = 3.0, num = 2 }
... ''')
>>> spec.n_points, spec.factors
(6, ('alliances.alliance_reliability', 'war.decisiveness'))
>>> spec.points().to_dict("records")[1]
{'point': 1, 'alliances.alliance_reliability': 0.3, 'war.decisiveness': 3.0}
"""

from __future__ import annotations

import contextvars
import hashlib
import itertools
import json
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import numpy as np
import pandas as pd
import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from equipoise._validation import validation_summary
from equipoise.engine import MODEL_VERSION
from equipoise.experiments.factors import (
    _canonical,
    _design_coordinate,
    _Factor,
    _flatten,
    _kind,
    _overrides,
    _python,
)
from equipoise.rng import CONTRACT_VERSION, derive_seed
from equipoise.scenario import (
    InvalidScenarioError,
    Scenario,
    builtin_scenarios,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "DESIGNS",
    "InvalidSweepError",
    "ParameterSpec",
    "SweepSpec",
]

#: The experimental designs a sweep file may name.
DESIGNS: tuple[str, ...] = ("grid", "lhs", "sobol", "morris")
Design = Literal["grid", "lhs", "sobol", "morris"]
_T = TypeVar("_T")
Level = StrictBool | StrictInt | StrictFloat | StrictStr

#: Scenario tables whose keys may be swept (``run`` is set by the sweep itself).
SWEEPABLE_TABLES: tuple[str, ...] = (
    "map",
    "initial",
    "strategies",
    "growth",
    "power",
    "technology",
    "threat",
    "internal",
    "alliances",
    "soft_balancing",
    "war",
    "hegemony",
)
#: Most design points a sweep may have (each becomes at least one task).
MAX_POINTS = 1_000_000
#: Default upper bound on replications per chunk.
DEFAULT_CHUNK = 100
#: Format of sweep directories and of :meth:`SweepSpec.canonical` (2: integer seeds of
#: model 0.2's counter-based random numbers, ``derive_seed(seed, point)`` per point).
FORMAT = "equipoise-sweep/2"
#: Directory that relative scenario paths are resolved against, while validating.
_BASE_DIR: contextvars.ContextVar[Path] = contextvars.ContextVar("_BASE_DIR", default=Path())
#: What error messages name as the origin of the spec, while validating.
_SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("_SOURCE", default="sweep")


class InvalidSweepError(InvalidScenarioError):
    """A sweep file or sweep directory is not valid; the message names the problem."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)


class ParameterSpec(_Model):
    """How one parameter varies: a range (``min``, ``max``, ``num``) or ``levels``.

    Attributes
    ----------
    min, max : int or float, optional
        Bounds of a range (``min < max``).
    num : int, optional
        Number of evenly spaced levels of a range in a ``grid`` design.
    levels : list, optional
        Explicit values (numbers, booleans or strings); a single level fixes
        the parameter.
    """

    min: StrictInt | StrictFloat | None = Field(None, allow_inf_nan=False)
    max: StrictInt | StrictFloat | None = Field(None, allow_inf_nan=False)
    num: int | None = Field(None, ge=2, le=100_000)
    levels: Annotated[tuple[Level, ...], Field(strict=False)] | None = None

    @model_validator(mode="after")
    def _shape(self) -> ParameterSpec:
        if self.levels is not None:
            if self.min is not None or self.max is not None or self.num is not None:
                raise ValueError("give either levels or min/max, not both")
            if not self.levels:
                raise ValueError("levels must not be empty")
            seen = [_canonical(v) for v in self.levels]
            if len(set(seen)) != len(seen):
                raise ValueError("levels must not repeat a value")
            return self
        if self.min is None or self.max is None:
            raise ValueError("give min and max (a range) or levels")
        if not self.min < self.max:
            raise ValueError(f"min must be less than max (got min={self.min}, max={self.max})")
        return self

    @property
    def is_range(self) -> bool:
        """Whether this is a range (else a list of levels)."""
        return self.levels is None

    @property
    def is_fixed(self) -> bool:
        """Whether the parameter takes a single value (it is then not a factor)."""
        return self.levels is not None and len(self.levels) == 1

    def as_dict(self) -> dict[str, Any]:
        """The non-empty keys, as written to TOML and hashed."""
        return self.model_dump(exclude_none=True, mode="json")


class SweepSpec(_Model):
    """A validated sweep: base scenario, parameters, design, replications, steps, seed.

    Build one with :meth:`load` (a TOML file), :meth:`from_toml` or
    :meth:`from_dict`. A scenario file named by a relative path is looked
    up next to the sweep file; a relative ``output`` is relative to the
    current directory.

    Attributes
    ----------
    name : str
        Names the sweep (and its default output directory).
    description : str
        Free text.
    scenario : str or dict
        A built-in scenario name, a path to a scenario TOML file, or an inline
        scenario table.
    parameters : dict
        Dotted scenario keys mapped to a :class:`ParameterSpec`, a list of
        levels or a single value.
    design : {"grid", "lhs", "sobol", "morris"}
        How points are chosen. ``sobol`` and ``morris`` use SALib and allow
        the matching sensitivity analysis.
    samples : int, optional
        Sample size of ``lhs`` (points), ``sobol`` (base samples N, a power of
        2; points = N(D+2), or N(2D+2) with ``second_order``) and ``morris``
        (trajectories; points = N(D+1)). Not used by ``grid``.
    second_order : bool, optional
        ``sobol`` only: also estimate second-order indices.
    morris_levels : int, optional
        ``morris`` only: levels of the Morris grid (default 4).
    replications, steps, seed : int
        Replications per point, steps per replication, root seed.
    chunk_size : int, optional
        Replications per task (default ``min(replications, 100)``). Results
        do not depend on it.
    common_random_numbers : bool
        Run every point on the sweep's own ``seed`` (common random numbers:
        replication ``r`` of every point starts from the same initial system
        and, where the points agree, draws the same numbers). Default: each
        point ``p`` runs on its own seed ``derive_seed(seed, p)``.
    output : str, optional
        Output directory (default ``equipoise-results/NAME``; relative to the
        current directory).
    """

    name: str = Field("sweep", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    description: str = ""
    scenario: str | dict[str, Any] = "balancers"
    parameters: dict[str, ParameterSpec] = Field(default_factory=dict, strict=False)
    design: Design = "grid"
    samples: int | None = Field(None, ge=1, le=MAX_POINTS)
    second_order: bool | None = None
    morris_levels: int | None = Field(None, ge=2, le=100)
    replications: int = Field(ge=1, le=1_000_000)
    steps: int = Field(ge=1, le=1_000_000)
    seed: int = Field(ge=0, lt=2**32)
    chunk_size: int | None = Field(None, ge=1, le=1_000_000)
    common_random_numbers: bool = False
    output: str | None = Field(None, min_length=1)

    _base_dir: Path = PrivateAttr(default_factory=Path)
    _base: Scenario | None = PrivateAttr(default=None)
    _factors: tuple[_Factor, ...] = PrivateAttr(default=())
    _points: pd.DataFrame | None = PrivateAttr(default=None)
    _design: np.ndarray | None = PrivateAttr(default=None)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidSweepError(validation_summary(exc, _SOURCE.get())) from None

    # ------------------------------------------------------------ validation
    @model_validator(mode="before")
    @classmethod
    def _flatten_parameters(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("parameters"), Mapping):
            data = {**data, "parameters": _flatten(data["parameters"])}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        self._base_dir = _BASE_DIR.get()
        self._check_design_options()
        self._base = self._resolve_base()
        self._factors = tuple(self._make_factor(n, p) for n, p in self.parameters.items())
        if self.design != "grid" and not self.factors:
            raise ValueError(
                f"a {self.design} design needs at least one parameter with a range or "
                "several levels"
            )
        self._points, self._design = self._build_points()
        self._check_points()
        return self

    def _check_design_options(self) -> None:
        if self.design == "grid":
            if self.samples is not None:
                raise ValueError("'samples' does not apply to a grid design (give levels or num)")
        elif self.samples is None:
            raise ValueError(f"a {self.design} design needs 'samples'")
        if self.design == "sobol" and self.samples is not None:
            n = self.samples
            if n & (n - 1):
                lo = 1 << (n.bit_length() - 1)
                raise ValueError(
                    f"'samples' must be a power of 2 for a sobol design (got {n}); "
                    f"try {lo} or {lo * 2}"
                )
        if self.second_order is not None and self.design != "sobol":
            raise ValueError("'second_order' applies to sobol designs only")
        if self.morris_levels is not None and self.design != "morris":
            raise ValueError("'morris_levels' applies to morris designs only")
        for name, p in self.parameters.items():
            if p.num is not None and self.design != "grid":
                raise ValueError(
                    f"parameter '{name}': 'num' applies to grid designs only "
                    f"(a {self.design} design samples the range)"
                )
            if p.is_range and p.num is None and self.design == "grid":
                raise ValueError(
                    f"parameter '{name}': a range in a grid design needs 'num' (number of levels)"
                )

    def _resolve_base(self) -> Scenario:
        if isinstance(self.scenario, dict):
            return Scenario.from_dict(self.scenario, source="inline [scenario]")
        name = self.scenario
        if name in builtin_scenarios() and not (self._base_dir / name).is_file():
            return Scenario.load(name)
        path = Path(name)
        if not path.is_absolute():
            path = self._base_dir / path
        if not path.exists() and name not in builtin_scenarios():
            raise InvalidSweepError(
                f"scenario '{name}' is neither a built-in ({', '.join(builtin_scenarios())}) "
                f"nor a file (looked for {path})"
            )
        return Scenario.load(path)

    def _make_factor(self, name: str, p: ParameterSpec) -> _Factor:
        base = self.base_scenario
        parts = name.split(".")
        if parts[0] == "run":
            raise ValueError(
                f"parameter '{name}': the sweep sets replications, steps and seed itself"
            )
        if parts == ["n_states"]:
            if base.states:
                raise ValueError(
                    "parameter 'n_states': the base scenario lists its [[states]] explicitly"
                )
            current: Any = base.n_states
        elif len(parts) == 2 and parts[0] in SWEEPABLE_TABLES:
            table = getattr(base, parts[0])
            if parts[1] not in type(table).model_fields:
                raise ValueError(
                    f"unknown parameter '{name}': [{parts[0]}] has no key {parts[1]!r}"
                )
            current = getattr(table, parts[1])
        else:
            raise ValueError(
                f"unknown parameter '{name}': give a scenario key as 'table.key' (tables: "
                f"{', '.join(SWEEPABLE_TABLES)}) or 'n_states'"
            )
        kind = _kind(base if parts == ["n_states"] else getattr(base, parts[0]), parts[-1], current)
        if p.is_range:
            if kind in ("bool", "str"):
                raise ValueError(
                    f"parameter '{name}' takes {kind} values: give levels, not a range"
                )
            if kind == "int" and not (isinstance(p.min, int) and isinstance(p.max, int)):
                raise ValueError(f"parameter '{name}' is an integer: min and max must be integers")
        factor = _Factor(name, p, kind)
        values: list[tuple[str, Any]] = [("min", p.min), ("max", p.max)] if p.is_range else []
        values += [("level", v) for v in (p.levels or ())]
        # Keys of one table swept together may be valid only together (strategy shares sum
        # to 1; map.width needs map.height): every point is checked by _check_points. Here
        # each value is checked with the others at their base values; with another key of
        # its table swept, only what concerns the key alone counts (a strategy share lies
        # in [0, 1]; an error that names the key itself, not its table)
        together = len(parts) == 2 and (
            sum(n.startswith(f"{parts[0]}.") for n in self.parameters) > 1
        )
        for label, value in values:
            if kind == "float" and isinstance(value, bool):
                raise ValueError(f"parameter '{name}': {label} {value!r} is not a number")
            if together and parts[0] == "strategies":
                if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                    raise ValueError(
                        f"parameter '{name}': {label} {value!r} is invalid: a strategy share "
                        "lies between 0 and 1"
                    )
                continue
            try:
                base.replace(**_overrides(base, {name: factor.convert(value)}))
            except InvalidScenarioError as exc:
                if together and f"'{name}'" not in str(exc):
                    continue  # a constraint across the table's keys: checked per point
                raise ValueError(
                    f"parameter '{name}': {label} {value!r} is invalid: {exc}"
                ) from None
        if p.is_range and p.num is not None and kind == "int":
            levels = factor.grid_levels()
            if len(set(levels)) != len(levels):
                raise ValueError(
                    f"parameter '{name}': {p.num} levels between {p.min} and {p.max} repeat "
                    "integers; lower num"
                )
        return factor

    def _build_points(self) -> tuple[pd.DataFrame, np.ndarray]:
        from equipoise.experiments import designs

        factors = [f for f in self._factors if not f.spec.is_fixed]
        fixed = {f.name: f.grid_levels()[0] for f in self._factors if f.spec.is_fixed}
        if self.design == "grid":
            levels = [f.grid_levels() for f in factors]
            count = math.prod(len(v) for v in levels)
            if count > MAX_POINTS:
                raise ValueError(f"the grid has {count:,} points, more than {MAX_POINTS:,}")
            rows = list(itertools.product(*levels))
            x = np.array(
                [
                    [_design_coordinate(f, v) for f, v in zip(factors, row, strict=True)]
                    for row in rows
                ],
                dtype=np.float64,
            ).reshape(len(rows), len(factors))
        else:
            problem = self.problem()
            n_points = designs.design_size(
                self.design, self.samples or 0, len(factors), bool(self.second_order)
            )
            if n_points > MAX_POINTS:
                raise ValueError(
                    f"the {self.design} design has {n_points:,} points, more than {MAX_POINTS:,}"
                )
            x = designs.sample(
                self.design,
                problem,
                self.samples or 0,
                seed=derive_seed(self.seed, 0, salt=DESIGN_SALT),
                second_order=bool(self.second_order),
                morris_levels=self.morris_levels or 4,
            )
            rows = [
                tuple(f.from_design(float(v)) for f, v in zip(factors, xi, strict=True)) for xi in x
            ]
        columns: dict[str, Any] = {"point": np.arange(len(rows), dtype=np.int64)}
        for name in self.parameters:
            if name in fixed:
                columns[name] = [fixed[name]] * len(rows)
            else:
                j = [f.name for f in factors].index(name)
                columns[name] = [row[j] for row in rows]
        points = pd.DataFrame(columns)
        for f in self._factors:
            if f.kind in ("float", "int", "bool"):
                points[f.name] = points[f.name].astype(
                    {"float": "float64", "int": "int64", "bool": "bool"}[f.kind]
                )
        return points, x

    def _check_points(self) -> None:
        names = list(self.parameters)
        for row in self.points().itertuples(index=False):
            values = dict(zip(names, row[1:], strict=True))
            try:
                self.base_scenario.replace(**_overrides(self.base_scenario, _python(values)))
            except InvalidScenarioError as exc:
                shown = ", ".join(f"{k}={v!r}" for k, v in _python(values).items())
                raise ValueError(
                    f"point {row[0]} ({shown}) is not a valid scenario: {exc}"
                ) from None

    # ------------------------------------------------------------ properties
    @property
    def base_scenario(self) -> Scenario:
        """The scenario every point starts from."""
        return _validated(self._base)

    @property
    def factors(self) -> tuple[str, ...]:
        """The parameters that vary (more than one value), in file order."""
        return tuple(f.name for f in self._factors if not f.spec.is_fixed)

    @property
    def n_points(self) -> int:
        """Number of design points."""
        return len(_validated(self._points))

    @property
    def effective_chunk_size(self) -> int:
        """Replications per chunk (``chunk_size`` or its default)."""
        return self.chunk_size or min(self.replications, DEFAULT_CHUNK)

    def points(self) -> pd.DataFrame:
        """The design points: column ``point`` and one column per parameter (values)."""
        return _validated(self._points).copy()

    def design_matrix(self) -> np.ndarray:
        """The design in SALib's space, shape (points, factors).

        Ranges are in their own units (integers widened by 0.5 on each side);
        levels are indices ``i`` in ``[i, i + 1)``.
        """
        return _validated(self._design).copy()

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition of the factors."""
        factors = [f for f in self._factors if not f.spec.is_fixed]
        return {
            "num_vars": len(factors),
            "names": [f.name for f in factors],
            "bounds": [list(f.bounds()) for f in factors],
        }

    def factor_kinds(self) -> dict[str, str]:
        """Value type of each varying parameter: float, int, bool or str."""
        return {f.name: f.kind for f in self._factors if not f.spec.is_fixed}

    def point_values(self, point: int) -> dict[str, Any]:
        """Parameter values of a point as Python scalars."""
        points = _validated(self._points)
        return _python({name: points[name].iat[int(point)] for name in self.parameters})

    def point_scenario(self, point: int) -> Scenario:
        """The scenario of a design point (the base with the point's values)."""
        if not 0 <= int(point) < self.n_points:
            raise IndexError(f"point {point} out of range (the sweep has {self.n_points})")
        return self.base_scenario.replace(
            **_overrides(self.base_scenario, self.point_values(point))
        )

    def point_seed(self, point: int) -> int:
        """The seed of a point's replications: ``derive_seed(seed, point)``.

        The point's replications ``0..replications-1`` are replications
        ``0..replications-1`` of this seed, so ``equipoise.run(spec.point_scenario(p),
        spec.replications, spec.steps, spec.point_seed(p))`` gives exactly the
        point's results, and ``replications=range(a, b)`` exactly its replications
        ``a..b-1``, with every per-step measure. With ``common_random_numbers``
        every point runs on the sweep's own ``seed``.

        Examples
        --------
        >>> from equipoise.rng import derive_seed
        >>> spec = SweepSpec(scenario="null", replications=2, steps=5, seed=7,
        ...                  parameters={"war.attack_probability": [0.02, 0.1]})
        >>> spec.point_seed(1) == derive_seed(7, 1)
        True
        """
        if not 0 <= int(point) < self.n_points:
            raise IndexError(f"point {point} out of range (the sweep has {self.n_points})")
        if self.common_random_numbers:
            return self.seed
        return derive_seed(self.seed, int(point), salt=POINT_SALT)

    # ---------------------------------------------------------------- identity
    def canonical(self) -> dict[str, Any]:
        """Everything that determines the results, in a canonical JSON-able form.

        Leaves out ``name``, ``description`` and ``output``, which do not
        change a single number; the base scenario is given in full, and the
        versions of the model's rules and of the random-number contract are
        included, so a sweep is never resumed by a model that would give other
        numbers.
        """
        return {
            "format": FORMAT,
            "model_version": MODEL_VERSION,
            "rng_contract": CONTRACT_VERSION,
            "scenario": self.base_scenario.model_dump(mode="json", exclude_none=True),
            "parameters": [[n, p.as_dict()] for n, p in self.parameters.items()],
            "design": self.design,
            "samples": self.samples,
            "second_order": bool(self.second_order) if self.design == "sobol" else None,
            "morris_levels": (self.morris_levels or 4) if self.design == "morris" else None,
            "replications": self.replications,
            "steps": self.steps,
            "seed": self.seed,
            "chunk_size": self.effective_chunk_size,
            "common_random_numbers": self.common_random_numbers,
        }

    def content_hash(self) -> str:
        """SHA-256 of :meth:`canonical`: equal hashes mean identical results."""
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_toml(self) -> str:
        """The sweep as self-contained TOML (base scenario inline, no ``output``)."""
        data: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "design": self.design,
            "replications": self.replications,
            "steps": self.steps,
            "seed": self.seed,
            "chunk_size": self.effective_chunk_size,
            "common_random_numbers": self.common_random_numbers,
        }
        for key in ("samples", "second_order", "morris_levels"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data["parameters"] = {n: p.as_dict() for n, p in self.parameters.items()}
        scenario = tomllib.loads(self.base_scenario.to_toml())
        data["scenario"] = scenario
        return tomli_w.dumps(data)

    def output_dir(self) -> Path:
        """Where results go: ``output``, or ``equipoise-results/NAME``.

        A relative path is relative to the current directory, as for
        ``equipoise run --out``: rerun a sweep from where it was started to resume it.
        """
        return Path(self.output) if self.output else Path("equipoise-results") / self.name

    # ------------------------------------------------------------ construction
    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], source: str = "sweep", base_dir: str | Path = "."
    ) -> SweepSpec:
        """Validate a mapping; relative scenario paths are taken from ``base_dir``."""
        tokens = (_BASE_DIR.set(Path(base_dir)), _SOURCE.set(source))
        try:
            return cls(**dict(data))
        finally:
            _BASE_DIR.reset(tokens[0])
            _SOURCE.reset(tokens[1])

    @classmethod
    def from_toml(cls, text: str, source: str = "sweep", base_dir: str | Path = ".") -> SweepSpec:
        """Parse and validate TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidSweepError(f"{source}: malformed TOML: {exc}") from None
        return cls.from_dict(data, source, base_dir)

    @classmethod
    def load(cls, path: str | Path) -> SweepSpec:
        """Load a sweep file.

        Raises
        ------
        InvalidSweepError
            If the file does not exist, cannot be read or is not a valid sweep.
        """
        path = Path(path)
        if path.is_dir():
            raise InvalidSweepError(f"{path} is a directory, not a sweep file")
        if not path.is_file():
            raise InvalidSweepError(f"sweep file not found: {path}")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidSweepError(f"{path}: cannot read sweep file: {exc}") from None
        return cls.from_toml(text, source=str(path), base_dir=path.parent)


#: Salts of :func:`equipoise.rng.derive_seed`: the seed of point ``p`` is
#: ``derive_seed(seed, p, POINT_SALT)``; the sampled design's generator is seeded with
#: ``derive_seed(seed, 0, DESIGN_SALT)`` and the analysis' bootstrap of outcome ``k`` with
#: ``derive_seed(seed, k, ANALYSIS_SALT)``. Distinct salts keep the families apart.
POINT_SALT = 0
DESIGN_SALT = 1
ANALYSIS_SALT = 2


def _validated(value: _T | None) -> _T:
    """A value set by validation (never None on a validated spec)."""
    if value is None:
        raise RuntimeError("SweepSpec used before validation")
    return value
