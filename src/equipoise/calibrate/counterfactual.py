"""Counterfactuals: a historical year run with and without an intervention, pair by pair.

:func:`counterfactual` (``equipoise counterfactual YEAR --intervene ...``) starts from
``scenario_from_history(year)`` (the great powers of that year, their capabilities, capitals
and alliances in force), applies an intervention and runs the baseline and the intervened
world with **common random numbers**: the same seed and the same replication indices. The
model's random numbers are counter-based (every draw a function of seed, replication, step,
actor and purpose; docs/model.md, section 4), so replication ``r`` of both worlds draws the
same numbers wherever both make the same draw, and an intervention that changes nothing
gives paired differences of exactly zero. Paired differences have far smaller variance than
differences of two independent samples (Law 2015, ch. 11).

**Posterior draws.** With ``posterior=DIR`` (a finished ``equipoise calibrate``), each
replication runs at a posterior draw: ``draws`` draws resampled by weight, replication ``r``
at draw ``r mod draws``, baseline and intervention alike, so the intervals include the
uncertainty about the parameters. A calibrated ``power.reach`` is in provinces of the
calibration year's map; it is carried to the map of ``year`` at the same distance in
kilometres (the history maps' scale differs from year to year).

**Interventions** (one edit per ``--intervene``, or several separated by ``;``):

==============================  ===========================================================
``TABLE.KEY=VALUE``             a scenario parameter, e.g. ``war.attack_probability=0.1``,
                                ``soft_balancing.enabled=false``
``STATE.strategy=NAME``         one state's strategy (``GMY.strategy=bandwagon``);
                                ``*.strategy=NAME`` every state's
``STATE.arming_share=X``        the state's arming share at the start
``STATE.scale=X``               the state's capability times X (economy and military)
``STATE.economy=X``,            its initial output or military stock
``STATE.military=X``
``STATE.leaves=A,B``            the state leaves its alliances in force with A and B
                                (``ITA.leaves=GMY,AUH``: Italy leaves the Triple Alliance
                                at the start, free to ally with them again later; with
                                treaties, its pacts with them in ``initial_pacts``);
                                ``STATE.leaves=all``: with everyone
``STATE.never_allies=A,B``      the state leaves its alliances in force with A and B and
                                never joins a bloc with either (``ITA.never_allies=GMY,AUH``:
                                Italy stays out of the Triple Alliance for the whole run;
                                the scenario's ``alliance_exclusions``); ``=all``: with
                                everyone
``no-sanctions``                ``soft_balancing.enabled=false``
``no-arming``                   ``internal.enabled=false``
``no-alliances``                ``alliances.enabled=false`` and no alliance in force
``buck-passing``                ``*.strategy=buck_pass`` (every state passes the buck)
``null``                        ``*.strategy=none`` (the null world: no balancing at all)
``none``                        no edit: the intervention is the baseline, a check of the
                                common random numbers (every paired difference is 0)
==============================  ===========================================================

State names are COW abbreviations (``UKG``, ``GMY``, ...; ``equipoise scenario`` of a
history scenario lists them).

**Outcomes** per replication, each reported as the mean in both worlds and the mean paired
difference with a 95 % interval (normal approximation over replications):
hegemony (one state holding half of the system's capability for
``hegemony.hegemony_duration`` years), the years without hegemony (the onset, or the
whole run if none: a restricted mean time to hegemony), war onsets, the largest war (its
military destroyed relative to the system's at onset; 0 without war), the total military
destroyed (relative to the system's each year, summed), the largest share of all capability
any state reached (a continuous measure of how near the leader came) and whether each state
survives.

**The whole system.** With ``system=True`` (``--system``) the baseline is
``scenario_from_history(year, states="all", entries=True)``: every state of the COW system of
``year``, every later one entering on its date, unifications and dissolutions on theirs (as
``validate --system`` and ``calibrate --system`` simulate it).

References
----------
Law, A. M. (2015). *Simulation Modeling and Analysis* (5th ed.). McGraw-Hill. Chapter 11:
    common random numbers.
Salmon, J. K., Moraes, M. A., Dror, R. O., & Shaw, D. E. (2011). Parallel random numbers:
    as easy as 1, 2, 3. *SC'11*.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise._io import MARKER, atomic_dir
from equipoise._json import jsonable
from equipoise._version import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from equipoise.results import Result
    from equipoise.scenario import Scenario

__all__ = [
    "ALIASES",
    "Counterfactual",
    "CounterfactualPlan",
    "Edit",
    "apply_intervention",
    "counterfactual",
    "parse_intervention",
    "plan_counterfactual",
    "run_counterfactual",
]

#: Shorthands for common interventions.
ALIASES: dict[str, str] = {
    "no-sanctions": "soft_balancing.enabled=false",
    "no-arming": "internal.enabled=false",
    "no-alliances": "alliances.enabled=false; *.leaves=all",
    "buck-passing": "*.strategy=buck_pass",
    "null": "*.strategy=none",
    "none": "",
}
#: State attributes an intervention may set.
STATE_KEYS: tuple[str, ...] = (
    "strategy",
    "arming_share",
    "scale",
    "economy",
    "military",
    "leaves",
    "never_allies",
)
#: Z of the 95 % normal interval.
_Z95 = 1.959963984540054
#: Default number of posterior draws.
DEFAULT_DRAWS = 100


@dataclass(frozen=True)
class Edit:
    """One edit of an intervention: ``target`` (``table.key``, ``STATE.key``, ``*.key``) = value."""

    target: str
    value: Any
    text: str

    @property
    def is_state(self) -> bool:
        """Whether it edits a state (``STATE.key`` or ``*.key``) rather than a parameter."""
        head = self.target.partition(".")[0]
        return head == "*" or not head.islower()


def _value(text: str) -> Any:
    """A TOML value (``0.1``, ``true``, ``"x"``), or the bare text as a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_intervention(text: str | Sequence[str]) -> tuple[Edit, ...]:
    """Parse interventions (module docstring) into edits; one-line ``ValueError`` if malformed.

    Examples
    --------
    >>> [e.target for e in parse_intervention("no-sanctions; GMY.scale=1.5")]
    ['soft_balancing.enabled', 'GMY.scale']
    >>> parse_intervention("war.attack_probability=0.1")[0].value
    0.1
    >>> parse_intervention("none")
    ()
    """
    items = [text] if isinstance(text, str) else list(text)
    edits: list[Edit] = []
    explicit_none = False
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"An intervention must be text. Got {type(item).__name__}.")
        for part in item.split(";"):
            part = part.strip()
            if not part:
                continue
            if part == "none":
                explicit_none = True
                continue
            if part in ALIASES:
                edits.extend(parse_intervention(ALIASES[part]))
                continue
            target, eq, value = part.partition("=")
            target, value = target.strip(), value.strip()
            if not eq or not value or target.count(".") != 1 or not all(target.split(".")):
                raise ValueError(
                    f"Cannot read the intervention {part!r}: write TABLE.KEY=VALUE, "
                    f"STATE.KEY=VALUE or one of {', '.join(ALIASES)}."
                )
            edits.append(Edit(target, _value(value), part))
    if not edits and not explicit_none:
        raise ValueError(
            "The intervention is empty: give at least one edit (or 'none' for the baseline)."
        )
    return tuple(edits)


def _state_edits(scenario: Scenario, edits: Sequence[Edit]) -> dict[str, Any]:
    """The state edits' ``states``, ``initial_alliances``, ``initial_pacts``, exclusions."""
    from equipoise.scenario import STRATEGIES

    names = scenario.state_names()
    states = [dict(s) for s in scenario.model_dump()["states"]]
    index = {n: i for i, n in enumerate(names)}
    pairs = [tuple(p) for p in scenario.initial_alliances]
    pacts = [tuple(p) for p in scenario.initial_pacts]  # with treaties: the pacts in force
    apart = [tuple(p) for p in scenario.alliance_exclusions]
    for edit in edits:
        who, _, key = edit.target.partition(".")
        if key not in STATE_KEYS:
            raise ValueError(
                f"Intervention {edit.text!r}: a state has no {key!r} to set "
                f"(choose from {', '.join(STATE_KEYS)})."
            )
        if not states:
            if who == "*" and key in ("strategy", "leaves", "never_allies"):
                continue  # a generated system: the strategy mix; no alliance in force
            raise ValueError(
                f"Intervention {edit.text!r}: scenario '{scenario.name}' has no named states."
            )
        if who != "*" and who not in index:
            raise ValueError(
                f"Intervention {edit.text!r}: no state {who!r} in this scenario "
                f"(states: {' '.join(names)})."
            )
        chosen = list(range(len(states))) if who == "*" else [index[who]]
        value = edit.value
        if key in ("leaves", "never_allies"):
            others = (
                set(names)
                if value == "all"
                else {v.strip() for v in str(value).split(",") if v.strip()}
            )
            unknown = sorted(others - set(names))
            if unknown:
                raise ValueError(
                    f"Intervention {edit.text!r}: no state {unknown[0]!r} in this scenario."
                )
            leaving = {names[i] for i in chosen}
            broken = {frozenset((x, y)) for x in leaving for y in others if x != y}
            pairs = [(a, b) for a, b in pairs if frozenset((a, b)) not in broken]
            pacts = [row for row in pacts if frozenset(row[:2]) not in broken]
            if key == "never_allies":
                known = {frozenset(p) for p in apart}
                for a in sorted(leaving):
                    for b in sorted(others - {a}):
                        if frozenset((a, b)) not in known:
                            known.add(frozenset((a, b)))
                            apart.append((a, b))
            continue
        if key == "strategy":
            if value not in STRATEGIES:
                raise ValueError(
                    f"Intervention {edit.text!r}: unknown strategy {value!r} "
                    f"(choose from {', '.join(STRATEGIES)})."
                )
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"Intervention {edit.text!r}: {key} must be a number.")
        for i in chosen:
            if key == "scale":
                if not (math.isfinite(value) and value > 0):
                    raise ValueError(f"Intervention {edit.text!r}: the scale must be > 0.")
                states[i]["economy"] = float(states[i]["economy"]) * float(value)
                states[i]["military"] = float(states[i]["military"]) * float(value)
            elif key == "strategy":
                states[i]["strategy"] = value
            else:
                states[i][key] = float(value)
    out: dict[str, Any] = {
        "initial_alliances": [list(p) for p in pairs],
        "initial_pacts": [list(p) for p in pacts],
        "alliance_exclusions": [list(p) for p in apart],
    }
    if states:
        out["states"] = states
    return out


def apply_intervention(scenario: Scenario, edits: Sequence[Edit] | str) -> Scenario:
    """``scenario`` with an intervention applied (validated).

    Raises
    ------
    ValueError
        An unknown state or attribute, or a value the scenario does not accept
        (:class:`~equipoise.scenario.InvalidScenarioError` is a ``ValueError``).

    Examples
    --------
    >>> from equipoise import Scenario
    >>> s = Scenario.load("null")
    >>> apply_intervention(s, "war.attack_probability=0.2").war.attack_probability
    0.2
    """
    from equipoise.scenario import InvalidScenarioError

    if isinstance(edits, str):
        edits = parse_intervention(edits)
    tables: dict[str, dict[str, Any]] = {}
    fields = type(scenario).model_fields
    names = set(scenario.state_names())
    state_edits = [e for e in edits if e.is_state or e.target.partition(".")[0] in names]
    for edit in edits:
        if edit in state_edits:
            continue
        table, _, key = edit.target.partition(".")
        if table not in fields or table in (
            "run",
            "states",
            "initial_alliances",
            "alliance_exclusions",
        ):
            raise ValueError(
                f"Intervention {edit.text!r}: {table!r} is neither a parameter table nor a "
                f"state of this scenario (states: {' '.join(scenario.state_names())})."
            )
        tables.setdefault(table, {})[key] = edit.value
    changes: dict[str, Any] = dict(tables)
    if state_edits:
        changes.update(_state_edits(scenario, state_edits))
        if not scenario.states:
            for e in state_edits:
                if e.target == "*.strategy":
                    changes["strategies"] = {s: 0.0 for s in _strategies()} | {e.value: 1.0}
            changes.pop("initial_alliances", None)
            changes.pop("alliance_exclusions", None)
    try:
        return scenario.replace(**changes)
    except InvalidScenarioError as exc:
        raise InvalidScenarioError(f"The intervention is not valid: {exc}") from None


def _strategies() -> tuple[str, ...]:
    from equipoise.scenario import STRATEGIES

    return STRATEGIES


# ------------------------------------------------------------------------------- run


def _outcomes(result: Result) -> dict[str, np.ndarray]:
    """Per-replication outcomes of a run (module docstring)."""
    ds = result.dataset
    steps = int(ds.attrs["steps"])
    onset = ds["hegemony_onset"].values.astype(np.int64)
    wars = result.wars
    reps = ds["replication"].values.astype(np.int64)
    position = {int(r): i for i, r in enumerate(reps)}
    largest = np.zeros(reps.size)
    if len(wars):
        for r, size in zip(wars["replication"], wars["relative_size"], strict=True):
            i = position[int(r)]
            largest[i] = max(largest[i], float(size))
    alive = ds["provinces"].values[:, -1, :] > 0
    return {
        "hegemony": (onset >= 0).astype(np.float64),
        "years_without_hegemony": np.where(onset >= 0, onset, steps).astype(np.float64),
        "war_onsets": ds["war_onsets"].values[:, 1:].sum(axis=1).astype(np.float64),
        "largest_war": largest,
        "war_losses": ds["war_losses"].values[:, 1:].sum(axis=1).astype(np.float64),
        "leader_peak_share": ds["leader_share"].values[:, 1:].max(axis=1).astype(np.float64),
        "survives": alive.astype(np.float64),
    }


#: The outcomes of the summary, with what each measures.
OUTCOMES: dict[str, str] = {
    "hegemony": "probability of hegemony (a state holding half of all capability)",
    "years_without_hegemony": "years before hegemony (the whole run if none)",
    "war_onsets": "wars begun",
    "largest_war": "largest war: military destroyed / the system's at its onset",
    "war_losses": "military destroyed, summed over years (share of the system's)",
    "leader_peak_share": "the largest share of all capability any state reached",
}


def _paired(base: np.ndarray, other: np.ndarray) -> dict[str, float]:
    d = other - base
    n = d.size
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if n > 1 else float("nan")
    half = _Z95 * sd / math.sqrt(n) if n > 1 else float("nan")
    return {
        "baseline": float(base.mean()),
        "intervention": float(other.mean()),
        "difference": mean,
        "low": mean - half,
        "high": mean + half,
        "changed": int((d != 0).sum()),
        "n": n,
    }


@dataclass(frozen=True, eq=False)
class Counterfactual:
    """Baseline and intervention, replication by replication, and their paired differences.

    Attributes
    ----------
    summary : DataFrame
        One row per outcome (:data:`OUTCOMES`): ``outcome``, ``description``,
        ``baseline``, ``intervention`` (means), ``difference`` (mean paired difference),
        ``low``, ``high`` (its 95 % interval), ``changed`` (replications whose outcome
        differs) and ``n``.
    survival : DataFrame
        The same for each state's survival to the end (``state`` instead of ``outcome``).
    pairs : DataFrame
        One row per replication: ``replication``, ``draw`` (posterior draw, -1 without),
        then every outcome in both worlds (``hegemony_baseline``,
        ``hegemony_intervention``, ...; ``survives_<STATE>_...``).
    by_draw : DataFrame
        With a posterior: the mean paired difference of each outcome at each draw (how
        the answer depends on the parameters); empty otherwise.
    settings : dict
        Year, steps, replications, seed, the intervention, the posterior and its draws.
    baseline, intervention : Scenario
        The two worlds (at the posterior median with a posterior; each draw sets its own
        parameters).
    """

    summary: pd.DataFrame
    survival: pd.DataFrame
    pairs: pd.DataFrame
    by_draw: pd.DataFrame
    settings: dict[str, Any]
    baseline: Scenario
    intervention: Scenario
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_files(self, directory: str | Path) -> Path:
        """Write the counterfactual's files into ``directory``, atomically.

        ``summary.csv``, ``survival.csv``, ``pairs.parquet``, ``by_draw.csv``,
        ``baseline.toml``, ``intervention.toml``, ``counterfactual.json`` and
        ``provenance.json`` into ``directory``, atomically (an existing directory is replaced
        only if it is an earlier equipoise output).
        """
        from equipoise.calibrate.plan import check_not_calibration

        check_not_calibration(directory)
        fmt = "%.10g"
        with atomic_dir(directory) as tmp:
            self.summary.to_csv(tmp / "summary.csv", index=False, float_format=fmt)
            self.survival.to_csv(tmp / "survival.csv", index=False, float_format=fmt)
            self.by_draw.to_csv(tmp / "by_draw.csv", index=False, float_format=fmt)
            self.pairs.to_parquet(tmp / "pairs.parquet", index=False)
            (tmp / "baseline.toml").write_text(self.baseline.to_toml(), encoding="utf-8")
            (tmp / "intervention.toml").write_text(self.intervention.to_toml(), encoding="utf-8")
            record = {
                "settings": self.settings,
                "summary": self.summary.to_dict(orient="records"),
                "survival": self.survival.to_dict(orient="records"),
            }
            text = json.dumps(jsonable(record), indent=2, allow_nan=False)
            (tmp / "counterfactual.json").write_text(text + "\n", encoding="utf-8")
            prov = jsonable({"command": "counterfactual", **self.provenance})
            (tmp / MARKER).write_text(
                json.dumps(prov, indent=2, allow_nan=False) + "\n", encoding="utf-8"
            )
        return Path(directory)

    def __repr__(self) -> str:
        s = self.settings
        row = self.summary.set_index("outcome").loc["hegemony"]
        return (
            f"Counterfactual({s['year']}+{s['steps']} years, {s['replications']} pairs, "
            f"{s['intervention']!r}: hegemony {row['baseline']:.3f} -> "
            f"{row['intervention']:.3f}, difference {row['difference']:+.3f} "
            f"[{row['low']:+.3f}, {row['high']:+.3f}])"
        )


@dataclass(frozen=True)
class CounterfactualPlan:
    """A counterfactual checked and ready to run (:func:`plan_counterfactual`).

    Attributes
    ----------
    base : Scenario
        The baseline: ``scenario_from_history(year)``.
    edits : tuple of Edit
        The intervention.
    year, steps, replications, seed : int
    draws : DataFrame or None
        The posterior draws, resampled by weight (None without a posterior).
    names : tuple of str
        The calibrated parameters (empty without a posterior).
    reach_factor : float
        A calibrated ``power.reach`` times this is the same distance on the map of ``year``.
    posterior : str or None
        The calibration directory.
    system : bool
        The whole system (``scenario_from_history(year, states="all", entries=True)``).
    """

    base: Scenario
    edits: tuple[Edit, ...]
    year: int
    steps: int
    replications: int
    seed: int
    draws: pd.DataFrame | None
    names: tuple[str, ...]
    reach_factor: float
    posterior: str | None
    system: bool = False


def plan_counterfactual(
    year: int,
    intervene: str | Sequence[str],
    *,
    posterior: str | Path | None = None,
    replications: int = 1000,
    steps: int | None = None,
    seed: int | None = None,
    draws: int | None = None,
    states: str | Sequence[int] = "major",
    system: bool = False,
) -> CounterfactualPlan:
    """Check the arguments of :func:`counterfactual` before anything runs (one-line errors).

    Returns
    -------
    CounterfactualPlan
        What :func:`run_counterfactual` runs.

    Raises
    ------
    ValueError
        A year outside the COW data, a count below 1, an intervention that cannot be read
        or applied, or a directory that holds no finished calibration.
    """
    from equipoise.calibrate.posterior import Calibration
    from equipoise.history import scenario_from_history
    from equipoise.rng import check_seed
    from equipoise.validate.history import SYSTEM_YEARS

    lo, hi = SYSTEM_YEARS
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not lo <= year <= hi:
        raise ValueError(f"The year must be in {lo}-{hi} (the COW data). Got {year!r} instead.")
    year = int(year)
    for name, value in (("replications", replications), ("steps", steps), ("draws", draws)):
        if value is None and name != "replications":
            continue
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ValueError(f"The '{name}' parameter must be an integer >= 1. Got {value!r}.")
    steps = int(steps) if steps is not None else max(hi - year + 1, 1)
    edits = parse_intervention(intervene)
    if system:
        base = scenario_from_history(year, states="all", entries=True)
    else:
        base = scenario_from_history(year, states=states)
    seed = check_seed(base.run.seed if seed is None else seed)
    apply_intervention(base, edits)  # fails now, before anything runs, if it is not valid
    table: pd.DataFrame | None = None
    names: tuple[str, ...] = ()
    factor = 1.0
    if posterior is not None:
        cal = Calibration.load(posterior)
        names = tuple(cal.names)
        n = min(int(draws or DEFAULT_DRAWS), int(replications))
        table = cal.draws(n, seed=seed)
        factor = cal.reach_factor(base)
        for k in range(min(len(table), 1)):  # the first draw must make a valid scenario
            from equipoise.calibrate.parameters import apply_parameters

            apply_parameters(base, _draw_values(table.iloc[k], names, factor))
    return CounterfactualPlan(
        base=base,
        edits=edits,
        year=year,
        steps=steps,
        replications=int(replications),
        seed=seed,
        draws=table,
        names=names,
        reach_factor=factor,
        posterior=None if posterior is None else str(posterior),
        system=bool(system),
    )


def _draw_values(row: pd.Series, names: Sequence[str], reach_factor: float) -> dict[str, float]:
    values = {n: float(row[n]) for n in names}
    if "power.reach" in values:
        values["power.reach"] *= reach_factor
    return values


def counterfactual(
    year: int,
    intervene: str | Sequence[str],
    *,
    posterior: str | Path | None = None,
    replications: int = 1000,
    steps: int | None = None,
    seed: int | None = None,
    draws: int | None = None,
    states: str | Sequence[int] = "major",
    system: bool = False,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> Counterfactual:
    """Run a historical year with and without an intervention (module docstring).

    :func:`run_counterfactual` of :func:`plan_counterfactual` of the same arguments.

    Parameters
    ----------
    year : int
        The start (step 0 is the system of that year, ``scenario_from_history(year)``).
    intervene : str or sequence of str
        The intervention (module docstring).
    posterior : path, optional
        A finished calibration: run each replication at a posterior draw.
    replications : int
        Pairs of replications (default 1000).
    steps : int, optional
        Years to run (default to 2016: ``2016 - year + 1``).
    seed : int, optional
        Seed (default the scenario's).
    draws : int, optional
        Posterior draws (default 100, at most ``replications``).
    states : {"major", "all"} or list of int
        The states of the history scenario (``scenario_from_history``).
    system : bool
        The whole system instead (module docstring): every state, later ones entering on
        their COW dates (``states`` is then ignored).
    progress : callable, optional
        Called with ``(done, total)`` replication-steps, after each block of replications.
    chunk_size : int, optional
        Replications per block (:func:`equipoise.run`'s ``chunk_size``; default: as many as
        fit its memory budget). Smaller blocks report progress more often; results do not
        depend on it.

    Returns
    -------
    Counterfactual

    Examples
    --------
    >>> cf = counterfactual(1871, "no-sanctions", replications=20, steps=30, seed=1)
    >>> cf.summary.set_index("outcome").loc["hegemony", "n"]
    np.int64(20)
    """
    plan = plan_counterfactual(
        year,
        intervene,
        posterior=posterior,
        replications=replications,
        steps=steps,
        seed=seed,
        draws=draws,
        states=states,
        system=system,
    )
    return run_counterfactual(plan, progress=progress, chunk_size=chunk_size)


def run_counterfactual(
    plan: CounterfactualPlan,
    *,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> Counterfactual:
    """Run a counterfactual planned by :func:`plan_counterfactual`.

    ``progress`` and ``chunk_size`` are those of :func:`counterfactual`, which is this
    function of that plan.
    """
    from equipoise.calibrate.parameters import apply_parameters
    from equipoise.engine import run

    n_rep = plan.replications
    groups: list[tuple[range, Scenario]] = []
    if plan.draws is None:
        groups.append((range(n_rep), plan.base))
        draw_of = np.full(n_rep, -1, dtype=np.int64)
    else:
        d = len(plan.draws)
        draw_of = np.arange(n_rep, dtype=np.int64) % d
        for g in range(d):
            values = _draw_values(plan.draws.iloc[g], plan.names, plan.reach_factor)
            groups.append((range(g, n_rep, d), apply_parameters(plan.base, values)))
    total = 2 * n_rep * plan.steps
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    names = plan.base.state_names()
    worlds: dict[str, dict[str, np.ndarray]] = {}
    for label in ("baseline", "intervention"):
        parts: dict[str, np.ndarray] = {}
        for reps, scenario in groups:
            world = scenario if label == "baseline" else apply_intervention(scenario, plan.edits)
            result = run(
                world, reps, plan.steps, plan.seed, chunk_size=chunk_size, progress=advance
            )
            for key, value in _outcomes(result).items():
                if key not in parts:
                    parts[key] = np.zeros((n_rep, *value.shape[1:]))
                parts[key][np.asarray(reps)] = value
        worlds[label] = parts
    b, i = worlds["baseline"], worlds["intervention"]
    rows = [{"outcome": k, "description": OUTCOMES[k], **_paired(b[k], i[k])} for k in OUTCOMES]
    summary = pd.DataFrame(rows)
    survival = pd.DataFrame(
        [
            {"state": name, **_paired(b["survives"][:, j], i["survives"][:, j])}
            for j, name in enumerate(names)
        ]
    )
    columns: dict[str, np.ndarray] = {"replication": np.arange(n_rep), "draw": draw_of}
    for k in OUTCOMES:
        columns[f"{k}_baseline"] = b[k]
        columns[f"{k}_intervention"] = i[k]
    for j, name in enumerate(names):  # one frame at once: the whole system has 200 states
        columns[f"survives_{name}_baseline"] = b["survives"][:, j]
        columns[f"survives_{name}_intervention"] = i["survives"][:, j]
    pairs = pd.DataFrame(columns)
    if plan.draws is not None:
        diffs = pd.DataFrame({k: i[k] - b[k] for k in OUTCOMES})
        diffs["draw"] = draw_of
        by_draw = diffs.groupby("draw").mean().reset_index()
        by_draw = by_draw.join(
            plan.draws[list(plan.names)].reset_index(drop=True), on="draw", how="left"
        )
    else:
        by_draw = pd.DataFrame(columns=["draw", *OUTCOMES])
    baseline = plan.base
    if plan.draws is not None:
        from equipoise.calibrate.posterior import weighted_quantile

        median = {
            n: weighted_quantile(plan.draws[n].to_numpy(), np.ones(len(plan.draws)), 0.5)
            for n in plan.names
        }
        if "power.reach" in median:
            median["power.reach"] *= plan.reach_factor
        baseline = apply_parameters(plan.base, median)
    settings = {
        "year": plan.year,
        "steps": plan.steps,
        "end": plan.year + plan.steps - 1,
        "replications": n_rep,
        "seed": plan.seed,
        "intervention": "; ".join(e.text for e in plan.edits),
        "edits": [{"target": e.target, "value": e.value} for e in plan.edits],
        "posterior": plan.posterior,
        "draws": 0 if plan.draws is None else len(plan.draws),
        "reach_factor": plan.reach_factor,
        "system": plan.system,
        "states": names,
        "interval": "95% normal interval of the mean paired difference over replications",
    }
    import platform

    from equipoise.engine import MODEL_VERSION
    from equipoise.rng import CONTRACT_VERSION

    provenance = {
        "equipoise_version": __version__,
        "model_version": MODEL_VERSION,
        "rng_contract": CONTRACT_VERSION,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "seed": plan.seed,
        "year": plan.year,
        "steps": plan.steps,
        "replications": n_rep,
        "baseline_hash": plan.base.content_hash(),
        "intervention": settings["intervention"],
        "posterior": plan.posterior,
    }
    return Counterfactual(
        summary=summary,
        survival=survival,
        pairs=pairs,
        by_draw=by_draw,
        settings=settings,
        baseline=baseline,
        intervention=apply_intervention(baseline, plan.edits),
        provenance=provenance,
    )
