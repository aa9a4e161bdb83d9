"""The model against history: run a scenario and set its stylized facts against the record.

:func:`validate_scenario` runs a scenario (by default the great powers of the
start year, :func:`~equipoise.history.scenario_from_history`)
for one step per year from ``start`` to ``end``, turns each replication into
the plain inputs of :mod:`equipoise.validate` with
:func:`~equipoise.validate.simulated_inputs` (:mod:`equipoise.validate.simulation`
says how steps, wars, membership and alliances of the model map to their
historical counterparts), measures it with the same per-statistic functions that
measure history (:func:`~equipoise.validate.compare.system_statistics`), and sets
the simulated distribution of every statistic against its historical value
(:func:`~equipoise.validate.compare.compare_to_history`) in a :class:`Validation`.

**Like with like.** The model has no state births: the COW system grows from
23 states in 1816 to 195 in 2016 mostly by entry. By default the comparison
is therefore a closed cohort: the great powers of ``start`` (the states of
the default scenario) followed from ``start`` to ``end`` (default 1914: the
European great-power system before the First World War, when no great power
of 1816 has left the system), with the historical wars and
alliances those among at least two of them, over their state-years
(``historical_statistics(cohort=<their COW codes>, population="cohort")``).
Any other scenario is compared with the whole COW system (the defaults of
:func:`~equipoise.validate.history.historical_statistics`). The notes of a
:class:`Validation` say which, and what remains unlike.

References
----------
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to
    sandpiles. *American Political Science Review*, 97(1), 135-150.
    https://doi.org/10.1017/S0003055403000571
Leeds, B. A., Ritter, J. M., Mitchell, S. M., & Long, A. G. (2002). Alliance
    Treaty Obligations and Provisions, 1815-1944. *International Interactions*,
    28(3), 237-260. https://doi.org/10.1080/03050620213653
Sarkees, M. R., & Wayman, F. (2010). *Resort to War: 1816-2007*. CQ Press.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from equipoise._io import MARKER, atomic_dir
from equipoise._json import jsonable
from equipoise._version import __version__
from equipoise.history.scenario_builder import cow_codes
from equipoise.validate.alliances import DURATION_METHODS
from equipoise.validate.compare import compare_to_history
from equipoise.validate.history import (
    CEDERMAN_WINDOW,
    SYSTEM_YEARS,
    WAR_DATA_END,
    HistoricalInputs,
    check_year,
    historical_inputs,
    historical_statistics,
)
from equipoise.validate.simulation import (
    ProgressCallback,
    SimulatedInputs,
    _statistics,
    simulated_inputs,
)
from equipoise.validate.wars import war_size_slope, war_size_tail

if TYPE_CHECKING:
    from equipoise.scenario import Scenario

__all__ = [
    "DEFAULT_END",
    "DEFAULT_REPLICATIONS",
    "Validation",
    "validate_scenario",
]

#: Last year of the default comparison: the great-power system before the First World War
#: (no great power of 1816 leaves the COW system before 1919).
DEFAULT_END = 1914
#: Replications of a validation run unless told otherwise.
DEFAULT_REPLICATIONS = 100


# --------------------------------------------------------------------------- the run


def _norm_text(scenario: Scenario, start: int) -> str:
    """How the note names the territorial integrity norm of ``scenario`` (empty: none)."""
    step = scenario.war.integrity_norm_step
    if step is None:
        return ""
    return f", none after {start + step - 2} (the territorial integrity norm)"


def resolve_window(start: object, end: object, steps: object) -> tuple[int, int]:
    """The first and last years of a comparison with history, checked (one step is one year).

    ``end`` defaults to ``start + steps - 1`` when ``steps`` is given, else to 1914 when that
    is after ``start`` and to the last year of the data otherwise. Raises a one-line
    ``ValueError`` for a year outside the COW system data, ``end`` not after ``start``, a
    window past 2016, and ``steps`` and ``end`` that disagree.
    """
    first = check_year("start", start)
    if first == SYSTEM_YEARS[1]:
        raise ValueError(
            f"The 'start' parameter must be a year in {SYSTEM_YEARS[0]}-{SYSTEM_YEARS[1] - 1}: "
            "a comparison needs at least two years of data. Got 2016 instead."
        )
    n_steps = None if steps is None else _count("steps", steps, low=2)
    if end is None:
        if n_steps is not None:
            end = first + n_steps - 1
        else:  # 1914 when it is after start, else the last year of the data
            end = DEFAULT_END if first < DEFAULT_END else SYSTEM_YEARS[1]
        if end > SYSTEM_YEARS[1]:
            raise ValueError(
                f"The 'steps' parameter ({n_steps}) runs from {first} to {end}, past "
                f"{SYSTEM_YEARS[1]} (the COW system data); give at most "
                f"{SYSTEM_YEARS[1] - first + 1} steps."
            )
    last = check_year("end", end)
    if last <= first:
        raise ValueError(
            f"The 'end' parameter must be after 'start' ({first}). Got {last} instead."
        )
    if n_steps is not None and n_steps != last - first + 1:
        raise ValueError(
            f"The 'steps' ({n_steps}) and 'end' ({last}) parameters disagree: one step is one "
            f"year, so {first}-{last} is {last - first + 1} steps; give one of them."
        )
    return first, last


def resolve_scenario(scenario: object, start: int, system_until: int | None = None) -> Scenario:
    """The scenario to compare with history (``scenario_from_history(start)`` when None).

    A built-in name or TOML path is loaded and a Scenario taken as it is; anything else is a
    one-line ``ValueError``.
    """
    from equipoise.history import scenario_from_history
    from equipoise.scenario import Scenario

    if scenario is None and system_until is not None:
        return scenario_from_history(start, states="all", entries=True, until=system_until)
    if scenario is None:
        return scenario_from_history(start)
    if isinstance(scenario, str):
        return Scenario.load(scenario)
    if isinstance(scenario, Scenario):
        return scenario
    raise ValueError(
        "The 'scenario' parameter must be a Scenario, a built-in name or a TOML path. "
        f"Got {type(scenario).__name__} instead."
    )


def check_system_scenario(scenario: Scenario) -> None:
    """Refuse (one-line ``ValueError``) a scenario whose states are not all COW states.

    A whole-system comparison reads the simulated states as the COW states of their names
    (the great powers of each year, the system's members), so a scenario given for it must
    be one of ``scenario_from_history(year, states="all", entries=True)``'s kind.
    """
    from equipoise.validate.whole_system import cow_code_table

    known = cow_code_table()
    strangers = [name for name in scenario.state_names() if name not in known]
    if strangers:
        raise ValueError(
            f"The 'system' comparison reads the states as COW states, but scenario "
            f"'{scenario.name}' has state {strangers[0]!r}: give a scenario from "
            "scenario_from_history(year, states='all', entries=True), or none."
        )


def _count(name: str, value: object, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ValueError(
            f"The '{name}' parameter must be an integer >= {low}. Got {value!r} instead."
        )
    return int(value)


@dataclass(frozen=True)
class _Plan:
    """Every argument of :func:`validate_scenario`, checked and resolved."""

    scenario: Scenario
    default: bool
    system: bool
    replications: int
    steps: int
    seed: int
    start: int
    end: int
    level: float
    duration_method: str


def plan_validation(
    scenario: Scenario | str | None = None,
    *,
    replications: int = DEFAULT_REPLICATIONS,
    steps: int | None = None,
    seed: int | None = None,
    start: int = 1816,
    end: int | None = None,
    level: float = 0.9,
    duration_method: str = "exponential",
    system: bool = False,
) -> _Plan:
    """Check the arguments of :func:`validate_scenario` before anything runs.

    Raises ``ValueError`` (one line) for a year outside 1816-2016, ``end``
    not after ``start``, ``steps`` and ``end`` that disagree, a bad count,
    seed or level, and :class:`~equipoise.scenario.InvalidScenarioError` for
    an unknown or invalid scenario. The command line calls it first, so that
    bad input writes nothing.
    """
    from equipoise.rng import check_seed

    start, end = resolve_window(start, end, steps)
    replications = _count("replications", replications)
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise ValueError(f"The 'level' parameter must be in (0, 1). Got {level!r} instead.")
    if duration_method not in DURATION_METHODS:
        raise ValueError(
            f"The 'duration_method' parameter must be one of {', '.join(DURATION_METHODS)}. "
            f"Got {duration_method!r} instead."
        )
    default = scenario is None and not system
    loaded = resolve_scenario(scenario, start, end if system else None)
    if system and scenario is not None:
        check_system_scenario(loaded)
    seed = check_seed(loaded.run.seed if seed is None else seed)
    return _Plan(
        scenario=loaded,
        default=default,
        system=bool(system),
        replications=replications,
        steps=end - start + 1,
        seed=seed,
        start=start,
        end=end,
        level=float(level),
        duration_method=duration_method,
    )


@dataclass(frozen=True, eq=False)
class Validation:
    """The model against history: the table of stylized facts and everything behind it.

    Attributes
    ----------
    table : DataFrame
        :func:`~equipoise.validate.compare.compare_to_history`: one row per
        statistic with ``history``, ``sim_median``, ``sim_low``, ``sim_high``
        (the central ``level`` interval across replications),
        ``n_replications`` (replications with a value) and ``inside``.
    replications : DataFrame
        Every statistic of every replication (index ``replication``).
    history : Series
        :func:`~equipoise.validate.history.historical_statistics` for the
        same years and cohort, with its ``attrs`` (windows, counts, fits).
    inputs : SimulatedInputs
        What the statistics measured (wars, alliance spells, membership,
        capabilities).
    pooled : dict
        The war-size fits on the simulated wars of all replications pooled
        (``wars``, ``slope``, ``tail``): a replication of a few states has
        few wars, often too few for a fit of its own.
    settings : dict
        Scenario, seed, replications, steps, years, level, the comparison
        (``"cohort"`` or ``"system"``) and the history options.
    notes : tuple of str
        What is compared with what, and what remains unlike.
    provenance : dict
        :attr:`~equipoise.results.Result.provenance` of the run.
    system : DataFrame or None
        With ``system=True``: the whole system's size and alignment, history
        against the simulated median and interval
        (:func:`~equipoise.validate.whole_system.system_table`).
    dangerous_dyads : DataFrame or None
        With ``system=True``: Bremer's dangerous-dyads logit fitted to history's
        dyad-years and to each replication's, term by term
        (:func:`~equipoise.validate.whole_system.dangerous_dyads_table`).
    """

    table: pd.DataFrame
    replications: pd.DataFrame
    history: pd.Series
    inputs: SimulatedInputs
    pooled: dict[str, Any]
    settings: dict[str, Any]
    notes: tuple[str, ...]
    provenance: dict[str, Any] = field(default_factory=dict)
    system: pd.DataFrame | None = None
    dangerous_dyads: pd.DataFrame | None = None

    @property
    def inside(self) -> list[str]:
        """Statistics whose historical value lies inside the simulated interval."""
        return self._where(True)

    @property
    def outside(self) -> list[str]:
        """Statistics whose historical value lies outside the simulated interval."""
        return self._where(False)

    @property
    def undecided(self) -> list[str]:
        """Statistics without a verdict (no historical value, or no replication with one)."""
        return self._where(None)

    def _where(self, verdict: bool | None) -> list[str]:
        out = []
        for name, inside in zip(self.table["statistic"], self.table["inside"], strict=True):
            value = None if pd.isna(inside) else bool(inside)
            if value is verdict:
                out.append(str(name))
        return out

    def to_dict(self) -> dict[str, Any]:
        """Everything but the per-war and per-alliance tables, JSON-ready (``nan`` as null)."""
        table = self.table.astype(object).where(self.table.notna(), None)
        return jsonable(
            {
                "settings": self.settings,
                "notes": list(self.notes),
                "comparison": table.to_dict(orient="records"),
                "inside": self.inside,
                "outside": self.outside,
                "undecided": self.undecided,
                "history": {
                    "values": self.history.to_dict(),
                    **{k: v for k, v in self.history.attrs.items()},
                },
                "pooled_war_sizes": self.pooled,
                "whole_system": None
                if self.system is None
                else self.system.astype(object)
                .where(self.system.notna(), None)
                .to_dict(orient="records"),
                "dangerous_dyads": None
                if self.dangerous_dyads is None
                else self.dangerous_dyads.to_dict(orient="records"),
                "simulated_counts": {
                    "wars": len(self.inputs.wars),
                    "dropped_wars": self.inputs.dropped_wars,
                    "alliances": len(self.inputs.formed_alliances),
                    "initial_alliances": int(self.inputs.alliances["initial"].sum()),
                    "state_years": int(self.inputs.alive.sum()),
                },
                "provenance": self.provenance,
            }
        )

    def to_files(self, directory: str | Path) -> Path:
        """Write the validation as CSV and JSON into ``directory``, atomically.

        Files: ``comparison.csv`` (:attr:`table`), ``replications.csv``,
        ``wars.csv`` and ``alliances.csv`` (the simulated wars and alliance
        spells), ``validation.json`` (:meth:`to_dict`), ``provenance.json``
        and, with ``system=True``, ``system.csv`` and ``dangerous_dyads.csv``.
        Numbers are written to 15 significant digits. The directory appears
        whole or not at all; an existing one is replaced
        only if it is empty or an earlier equipoise output, otherwise
        ``FileExistsError`` and nothing is written.

        Returns
        -------
        Path
        """
        fmt = "%.15g"
        with atomic_dir(directory) as tmp:
            self.table.to_csv(tmp / "comparison.csv", index=False, float_format=fmt)
            if self.system is not None:
                self.system.to_csv(tmp / "system.csv", index=False, float_format=fmt)
            if self.dangerous_dyads is not None:
                self.dangerous_dyads.to_csv(
                    tmp / "dangerous_dyads.csv", index=False, float_format=fmt
                )
            self.replications.to_csv(tmp / "replications.csv", float_format=fmt)
            self.inputs.wars.to_csv(tmp / "wars.csv", index=False, float_format=fmt)
            self.inputs.alliances.to_csv(tmp / "alliances.csv", index=False, float_format=fmt)
            text = json.dumps(self.to_dict(), indent=2, allow_nan=False)
            (tmp / "validation.json").write_text(text + "\n", encoding="utf-8")
            prov = jsonable(
                {
                    "command": "validate",
                    **self.provenance,
                    "start": self.settings["start"],
                    "end": self.settings["end"],
                    "comparison": self.settings["comparison"],
                    "equipoise_version": __version__,
                }
            )
            (tmp / MARKER).write_text(
                json.dumps(prov, indent=2, allow_nan=False) + "\n", encoding="utf-8"
            )
        return Path(directory)

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"Validation({s['scenario']}, {s['start']}-{s['end']}, {s['replications']} "
            f"replications, {s['comparison']} comparison: {len(self.inside)} inside, "
            f"{len(self.outside)} outside, {len(self.undecided)} undecided)"
        )


def _names(codes: Sequence[int], year: int) -> list[str]:
    from equipoise.history.loaders import load_states

    states = load_states()
    current = states[(states["styear"] <= year) & (states["endyear"] >= year)]
    abb = {int(c): str(a) for a, c in zip(current["stateabb"], current["ccode"], strict=True)}
    every = {int(c): str(a) for a, c in zip(states["stateabb"], states["ccode"], strict=True)}
    return [abb.get(int(c), every.get(int(c), str(c))) for c in codes]


def _notes(
    plan: _Plan, history: pd.Series, h: HistoricalInputs, inputs: SimulatedInputs
) -> list[str]:
    """What is compared with what, from the data of this comparison."""
    a = history.attrs
    counts, windows = a["counts"], a["windows"]
    start, end = plan.start, plan.end
    cohort = [int(c) for c in h.cohort_codes]
    notes = []
    if plan.default:
        names = " ".join(plan.scenario.state_names())
        notes.append(
            f"Cohort comparison: the {len(cohort)} great powers of {start} ({names}), "
            f"simulated from scenario_from_history({start}), against the same states in history "
            f"{start}-{end}: their deaths, and the COW wars and ATOP alliances with at least two "
            "of them, over their state-years (historical_statistics(cohort=their COW codes, "
            "population='cohort'))."
        )
    elif plan.system:
        entering = sum(not spec.present for spec in plan.scenario.states)
        notes.append(
            f"Whole system: the {plan.scenario.size - entering} members of {start} and the "
            f"{entering} states that join by {end}, each entering on its COW date with its NMC "
            "shares of that year, unifications and dissolutions on their dates, conquests the "
            f"model's own{_norm_text(plan.scenario, start)} "
            f"(scenario_from_history({start}, states='all', entries=True)); history "
            f"is the whole COW system {start}-{end} (state deaths of the "
            f"{counts['cohort_states']} members of {start} as a closed cohort, in both)."
        )
    else:
        notes.append(
            f"System comparison: scenario '{plan.scenario.name}' is not the default, so it has "
            f"no historical cohort; history is the whole COW system {start}-{end} "
            f"(historical_statistics defaults: wars and alliances of every member; state deaths "
            f"of the {counts['cohort_states']} members of {start} as a closed cohort), "
            f"the simulation its {plan.scenario.size} states."
        )
    notes.append(
        f"Time: one step is one year; step s is the year {start} + s - 1, the state recorded "
        f"at step k the system at the start of year {start} + k ({plan.steps} steps for "
        f"{start}-{end})."
    )
    lo, hi = windows["war_size"]
    n_size = counts["size_wars"]
    pooled = len(inputs.wars)
    notes.append(
        f"War sizes: history fits every COW inter-state war begun {lo}-{hi} ({n_size} wars, "
        "battle deaths), not only the cohort's; the simulation fits each replication's wars "
        "(military destroyed / world military at onset), so n counts the replications with "
        f"enough wars (3 distinct sizes for the slope, 10 for alpha). Pooled over "
        f"replications: {pooled} simulated wars."
    )
    if windows["war_onsets"][1] < end:
        notes.append(
            f"War onsets: COW war data end in {WAR_DATA_END}; history counts wars begun "
            f"{start}-{windows['war_onsets'][1]}, the simulation {start}-{end}."
        )
    entrants = []
    cohort_set = set(cohort)
    for j, code in enumerate(h.major_codes):
        if int(code) in cohort_set:
            continue
        years = np.flatnonzero(h.major_alive[:, j])
        if years.size:
            entrants.append((int(h.years[years[0]]), int(code)))
    if plan.default:
        if entrants:
            entrants.sort()
            listed = ", ".join(
                f"{n} {y}"
                for (y, _), n in zip(entrants, _names([c for _, c in entrants], end), strict=True)
            )
            notes.append(
                f"Concentration: history among the COW major powers of each year "
                f"({counts['major_powers']} in {start}-{end}: the cohort and, from the year "
                f"given, {listed}); the simulation among the surviving states of the cohort. "
                "The model has no state births, so it cannot produce these entrants."
            )
        exits = []
        for j, code in enumerate(h.cohort_codes):
            gone = np.flatnonzero(~h.cohort_alive[:, j])
            if gone.size:
                exits.append((int(h.years[gone[0]]) - 1, int(code)))
        if exits:
            exits.sort()
            named = _names([c for _, c in exits], end)
            listed = ", ".join(f"{n} {y}" for (y, _), n in zip(exits, named, strict=True))
            notes.append(
                f"State deaths: {len(exits)} of the cohort leave the COW system by {end} "
                f"(last year as a member: {listed}), by dissolution or occupation as much as by "
                "conquest, and returns are not counted; the model's only death is the conquest "
                "of a capital. Past the first exit the cohort comparison weakens; the default "
                f"end, {DEFAULT_END}, stops before the First World War and any exit."
            )
        else:
            notes.append(f"State deaths: no great power of {start} leaves the COW system by {end}.")
    elif plan.system:
        notes.append(
            "Concentration: among the COW major powers of each year, in history and, by name, "
            "in the simulation (those the model has not destroyed)."
        )
        notes.append(
            f"Dyad-years (the dyad_onsets rows of the whole-system table): war onsets per "
            f"undirected dyad-year {start}-{min(end, WAR_DATA_END)}; history COW dyadic "
            "inter-state war onsets, land contiguity COW type 1, the CINC ratio; the model a "
            "hostility opened between two states living at the start of a step, contiguity a "
            "front by land, the ratio of capability shares (equipoise.rules.dyads). COW pairs "
            "every state on one side of a war with every state on the other, the model only "
            "the pairs that fought. The dangerous-dyads table fits Bremer's logit of onset on "
            "contiguity, ratio bins (parity the reference) and alliance to these cells; an "
            "infinite coefficient is a term without onsets on one side (its flag says which)."
        )
    else:
        notes.append(
            "Concentration: history among the COW major powers of each year, the simulation "
            f"among all {plan.scenario.size} states of the scenario."
        )
    initial = int(inputs.alliances["initial"].sum())
    if plan.scenario.alliances.enabled and plan.scenario.alliances.treaties:
        notes.append(
            "Alliances: treaties are on, so a simulated alliance is a treaty (its pacts, "
            "bilateral or multilateral, counted once as ATOP counts an alliance), from the "
            "step its first pact is formed to the first step none is in force (censored if "
            f"still in force at the end). The {initial} treaties in force at step 0 over the "
            f"{inputs.alive.shape[0]} replications (alliances of {start}, formed before) are "
            f"left out, as history counts ATOP alliances formed from {start}."
        )
    else:
        notes.append(
            "Alliances: a simulated alliance is a bloc with at least two members, from the first "
            "step it has two to the first step it has fewer (censored if still in force at the "
            f"end). The {initial} blocs in force at step 0 over the {inputs.alive.shape[0]} "
            f"replications (alliances of {start}, formed before) are left out, as history counts "
            f"ATOP alliances formed from {start}. A bloc is a coalition, not a treaty: one bloc "
            "may stand for several ATOP alliances."
        )
    if inputs.dropped_wars:
        notes.append(
            f"{inputs.dropped_wars} simulated wars with no military destroyed were left out "
            "(a war size must be > 0)."
        )
    return notes


def validate_scenario(
    scenario: Scenario | str | None = None,
    *,
    replications: int = DEFAULT_REPLICATIONS,
    steps: int | None = None,
    seed: int | None = None,
    start: int = 1816,
    end: int | None = None,
    level: float = 0.9,
    duration_method: Literal["exponential", "kaplan-meier", "naive"] = "exponential",
    progress: ProgressCallback | None = None,
    system: bool = False,
) -> Validation:
    """Run a scenario from ``start`` to ``end`` and compare its stylized facts with history.

    The command ``equipoise validate`` in Python (the package
    :mod:`equipoise.validate` holds the statistics, hence the name). Each
    replication is measured by the functions that measure the Correlates of
    War and ATOP record (:func:`~equipoise.validate.compare.system_statistics`),
    and every statistic's simulated median and central ``level`` interval is
    set against its historical value
    (:func:`~equipoise.validate.compare.compare_to_history`).
    :mod:`equipoise.validate.simulation` says how steps, wars, membership and
    alliances of the model map to their historical counterparts.

    Parameters
    ----------
    scenario : Scenario or str, optional
        The scenario (or a built-in name or TOML path). Default:
        ``scenario_from_history(start)``, the great powers of ``start``,
        compared with the same states in history (a closed cohort; wars and
        alliances among them). Any other scenario is compared with the whole
        COW system (``historical_statistics(start, end)``).
    replications : int
        Replications (default 100).
    steps : int, optional
        Steps (years) to run; ``end = start + steps - 1``. Give ``steps`` or
        ``end``, or both if they agree.
    seed : int, optional
        Seed in ``[0, 2**32)`` (default: the scenario's).
    start : int
        The year of step 0 (1816-2015).
    end : int, optional
        The last year simulated and compared (default 1914, the great-power
        system before the First World War, with no exit of a great power of
        1816; when ``start`` is 1914 or later, 2016). At most 2016.
    level : float
        Coverage of the simulated interval (default 0.9).
    duration_method : {"exponential", "kaplan-meier", "naive"}
        Mean alliance duration with censoring, history and simulation alike.
    progress : callable, optional
        Called as ``progress(stage, done, total)`` while simulating (stage
        ``"simulating"``, replication-steps) and measuring (``"measuring"``,
        replications).
    system : bool
        Simulate the whole COW system instead, every later state entering on
        its date and the unifications and dissolutions happening on theirs
        (``scenario_from_history(start, states="all", entries=True,
        until=end)``, or the given scenario, whose states must be COW states,
        e.g. the same with ``map={"geography": "contiguity"}``), and compare it
        with the whole system in history. The
        great powers of the concentration statistics are then the COW major
        powers of each year, in the model as in history, and
        :attr:`Validation.system` adds the number of states, the share of
        state-years in an alliance and the war onsets per dyad-year by land
        contiguity and capability ratio (the run counts its dyad-years,
        ``record_dyads=True``; :mod:`equipoise.validate.dyads`).

    Returns
    -------
    Validation

    Raises
    ------
    ValueError
        A year outside 1816-2016, ``end`` not after ``start``, ``steps`` and
        ``end`` that disagree, or a bad count, seed or level.
    equipoise.InvalidScenarioError
        An unknown or invalid scenario.

    References
    ----------
    Cederman, L.-E. (2003). Modeling the size of wars. *APSR*, 97(1),
        135-150. Sarkees & Wayman (2010), COW wars; Leeds et al. (2002),
        ATOP. Full entries in the module docstring.

    Examples
    --------
    >>> from equipoise.validate import validate_scenario
    >>> v = validate_scenario(replications=4, end=1850, seed=1)
    >>> v.settings["comparison"], v.settings["steps"], len(v.replications)
    ('cohort', 35, 4)
    >>> list(v.table.columns[:4])
    ['statistic', 'description', 'history', 'sim_median']
    """
    plan = plan_validation(
        scenario,
        replications=replications,
        steps=steps,
        seed=seed,
        start=start,
        end=end,
        level=level,
        duration_method=duration_method,
        system=system,
    )
    from equipoise.engine import run

    if plan.default:
        cohort = cow_codes(plan.scenario.state_names(), plan.start)
        h = historical_inputs(plan.start, plan.end, cohort=cohort, population="cohort")
    else:
        h = historical_inputs(plan.start, plan.end)
    history = historical_statistics(inputs=h, duration_method=duration_method)

    total = plan.replications * plan.steps
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress("simulating", done, total)

    result = run(
        plan.scenario,
        replications=plan.replications,
        steps=plan.steps,
        seed=plan.seed,
        progress=advance,
        record_states=True,
        record_dyads=plan.system,
    )
    inputs = simulated_inputs(result, start=plan.start, years=plan.steps)
    powers = None
    extra = logit = None
    if plan.system:
        from equipoise.validate.dyads import historical_dyad_cells
        from equipoise.validate.whole_system import (
            dangerous_dyads_table,
            great_power_mask,
            system_table,
        )

        powers = great_power_mask(plan.scenario.state_names(), inputs.times)
        last = min(plan.end, WAR_DATA_END)
        cells = historical_dyad_cells(plan.start, last) if plan.start <= last else None
        names = plan.scenario.state_names()
        extra = system_table(inputs, result, names, plan.level, cells)
        logit = dangerous_dyads_table(result, plan.start, plan.end, plan.level, cells)
    simulated = _statistics(inputs, duration_method, progress, powers)
    table = compare_to_history(history, simulated, level=plan.level)

    sizes = inputs.wars["size"].to_numpy(dtype=np.float64)
    pooled = {
        "wars": int(sizes.size),
        "slope": war_size_slope(sizes).as_dict(),
        "tail": war_size_tail(sizes).as_dict(),
    }
    settings: dict[str, Any] = {
        "scenario": plan.scenario.name,
        "scenario_hash": plan.scenario.content_hash(),
        "default_scenario": plan.default,
        "seed": plan.seed,
        "replications": plan.replications,
        "steps": plan.steps,
        "start": plan.start,
        "end": plan.end,
        "level": plan.level,
        "duration_method": duration_method,
        "comparison": "cohort" if plan.default else "system",
        "whole_system": plan.system,
        "cohort": [int(c) for c in h.cohort_codes] if plan.default else "all",
        "cohort_names": plan.scenario.state_names() if plan.default else None,
        "population": "cohort" if plan.default else "system",
        "size_window": CEDERMAN_WINDOW,
        "time": "step s is the year start + s - 1; "
        "the state recorded at step k is the start of year start + k",
        "alliance": (
            "a treaty (its pacts counted once), from the step its first pact is formed to "
            "the first step none is in force; treaties in force at step 0 left out"
            if plan.scenario.alliances.enabled and plan.scenario.alliances.treaties
            else "a bloc code with at least two members, from the first step it has two "
            "to the first step it has fewer; blocs in force at step 0 left out"
        ),
    }
    notes = _notes(plan, history, h, inputs)
    return Validation(
        table=table,
        replications=simulated,
        history=history,
        inputs=inputs,
        pooled=pooled,
        settings=settings,
        notes=tuple(notes),
        provenance=dict(result.provenance),
        system=extra,
        dangerous_dyads=logit,
    )
