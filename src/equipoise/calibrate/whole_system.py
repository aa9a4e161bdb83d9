"""The whole state system as calibration data: history's statistics and one replication's.

A calibration of the cohort (:func:`~equipoise.calibrate.historical_target`) fits the five
great powers of 1816 over a century: ten statistics resting on about eight war onsets.
:func:`whole_system_target` fits instead what ``equipoise validate --system`` measures of
the whole COW system, every later state entering on its COW date
(``scenario_from_history(start, states="all", entries=True, until=end)``):

- **the main table** (:data:`~equipoise.validate.STATISTICS` but ``war_size_alpha`` by
  default): war onsets per state-year, the multiparty share, the deaths of the members of
  ``start``, concentration among the COW major powers of each year, alliance formation and
  duration, each with a value in the window (history's
  :func:`~equipoise.validate.historical_statistics` of the whole system; the simulation's
  :func:`~equipoise.validate.system_statistics` with the great powers of
  :func:`~equipoise.validate.whole_system.great_power_mask`);
- **the whole-system table** (:func:`~equipoise.validate.whole_system.system_table`): the
  states in the system at the marks inside the window (``states_1850``, ``states_1900``
  and the last year, ``states_1914``), exits per state-year of every state
  (``exit_rate_all``), the share of state-years in an alliance (``allied_share``) and the
  war onsets per dyad-year of land-contiguous and other dyads and of each capability-ratio
  bin (``dyad_onsets_*``);
- **the dangerous-dyads logit** (Bremer 1992; :func:`~equipoise.validate.dyads.dangerous_dyads`)
  fitted to the dyad-year cells, the auxiliary model of indirect inference (Gouriéroux,
  Monfort & Renault 1993): its coefficients of contiguity, the three capability-ratio bins
  (parity the reference) and alliance (``dangerous_dyads_<term>``). **The intercept is left
  out**: it is the log odds of an onset in the reference cell (distant dyads at parity, not
  allied), a level that the war onset rate and the dyad onset rates already measure, and
  the term that turns ``-inf`` whenever another term holds every onset, so it would add
  weight to the level and noise to the distance without a contrast of its own.
- **the great powers' capability shares by decade** (``share_<STATE>_<decade>``): the share
  of the whole system's capabilities held by each state that is a COW major power in some
  year of the window (:func:`great_powers_of`), averaged over each decade, as the cohort
  calibration compares its states' (:func:`~equipoise.calibrate.simulator.capability_names`);
  history's are CINC recomputed over the system's members of each year
  (:func:`~equipoise.calibrate.simulator.historical_capabilities` with
  ``membership="system"``), the rule that sets the model's initial shares. The main table
  measures concentration, not which power leads; the shares see uneven growth, arming and
  the conquest of great powers.

History and simulation are measured by the same functions of :mod:`equipoise.validate`
(:func:`historical_system_statistics` for history's side of the whole-system table);
:func:`system_replication_statistics` reduces one replication of the kernel's output to the
same statistics in the same order.

**Infinite coefficients.** A replication whose allied dyads never fight (or whose every war
is between neighbours) has a separated term, whose maximum-likelihood coefficient is
``-inf`` (``+inf``). An ABC distance needs a number, so each coefficient is clipped to
``±``:data:`COEFFICIENT_BOUND` (10 on the log-odds scale): an odds ratio of e^10, about
22,000, beyond any finite estimate that a century of dyad-years supports (history's
largest in 1816-1914 is contiguity's, 1.95; the finite estimates of simulated replications
lie within about ±6), so a separated term stays farther from history than any finite one,
and its direction is kept, while the adaptive scale of the distance sees a finite spread.
A coefficient that cannot be estimated (no dyad-years on one side of a term, no onset at
all, a fit that did not converge) is undefined (``nan``), and enters the distance as the
other nullable statistics do: its term counts 0 and an indicator ``NAME_defined`` measures
how often the parameters leave it undefined (:mod:`equipoise.calibrate.smc`).

**Weights** (:func:`system_weights`; docs/calibrate.md): 1 for each main-table statistic,
each coefficient, the exit rate and the allied share; the states at the marks ``1/k`` each
(one statistic: the entries are history's, so the counts differ only by the model's deaths,
cumulatively); the dyad onset rates, two partitions of the same dyad-years, ``1/2`` each
for contiguity and ``1/4`` each for the ratio bins (each partition weighs as one statistic:
their level is the war onset rate's, their contrasts the coefficients'); a decade of the
great powers' shares ``capability_weight`` (default 1), shared equally among its powers.

References
----------
Bremer, S. A. (1992). Dangerous dyads: Conditions affecting the likelihood of interstate
    war, 1816-1965. *Journal of Conflict Resolution*, 36(2), 309-341.
Gouriéroux, C., Monfort, A., & Renault, E. (1993). Indirect inference. *Journal of Applied
    Econometrics*, 8(S1), S85-S118.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise.validate.compare import STATISTICS, system_statistics
from equipoise.validate.dyads import (
    DANGEROUS_DYADS_TERMS,
    DYAD_GROUPS,
    cells_from_counts,
    dangerous_dyads,
    dyad_onset_rates,
)
from equipoise.validate.history import WAR_DATA_END
from equipoise.validate.simulation import bloc_spells, pact_spells
from equipoise.validate.whole_system import (
    bloc_allied_share,
    cow_codes_of,
    exit_rate,
    great_power_mask,
    pact_allied_share,
    system_marks,
)

if TYPE_CHECKING:
    from equipoise.calibrate.simulator import Target
    from equipoise.scenario import Scenario

__all__ = [
    "COEFFICIENTS",
    "COEFFICIENT_BOUND",
    "WHOLE_SYSTEM",
    "clip_coefficients",
    "great_powers_of",
    "synthetic_system_target",
    "system_replication_statistics",
    "system_statistic_names",
    "system_weights",
    "whole_system_target",
]

#: The ``comparison`` setting of a whole-system target.
WHOLE_SYSTEM = "whole_system"
#: The dangerous-dyads coefficients fitted, by statistic name (the intercept left out).
COEFFICIENTS: dict[str, str] = {
    f"dangerous_dyads_{term}": term for term in DANGEROUS_DYADS_TERMS if term != "intercept"
}
#: Bound of the coefficients on the log-odds scale (module docstring).
COEFFICIENT_BOUND = 10.0


def clip_coefficients(values: np.ndarray) -> np.ndarray:
    """Coefficients clipped to ``±COEFFICIENT_BOUND``; ``nan`` (not estimable) stays ``nan``.

    Examples
    --------
    >>> clip_coefficients(np.array([-np.inf, 1.5, np.inf, np.nan, -12.0])).tolist()
    [-10.0, 1.5, 10.0, nan, -10.0]
    """
    return np.clip(np.asarray(values, dtype=np.float64), -COEFFICIENT_BOUND, COEFFICIENT_BOUND)


def great_powers_of(names: Sequence[str], start: int, end: int) -> list[str]:
    """The states of ``names`` that are COW major powers in some year of ``start``-``end``.

    In the order of ``names``: the states whose capability shares by decade a whole-system
    target compares.

    Examples
    --------
    >>> great_powers_of(["USA", "UKG", "BAV", "JPN"], 1816, 1890)
    ['UKG']
    >>> great_powers_of(["USA", "UKG", "BAV", "JPN"], 1816, 1914)
    ['USA', 'UKG', 'JPN']
    """
    mask = np.asarray(great_power_mask(names, np.arange(start, end + 1)).any(axis=0))
    return [name for name, major in zip(names, mask.tolist(), strict=True) if major]


def system_statistic_names(start: int, end: int, powers: Sequence[str] = ()) -> list[str]:
    """The whole-system statistics of the years ``start``-``end`` beyond the main table, in order.

    The states at :func:`~equipoise.validate.whole_system.system_marks`, the exit rate, the
    allied share, for a window with war data (to 2007) the dyad onset rates and the
    coefficients, and the capability shares by decade of ``powers``
    (:func:`~equipoise.calibrate.simulator.capability_names`).

    Examples
    --------
    >>> system_statistic_names(1816, 1914)[:5]
    ['states_1850', 'states_1900', 'states_1914', 'exit_rate_all', 'allied_share']
    >>> system_statistic_names(1816, 1830, ["UKG"])[-2:]
    ['share_UKG_1816', 'share_UKG_1826']
    """
    from equipoise.calibrate.simulator import capability_names

    names = [f"states_{mark}" for mark in system_marks(start, end)]
    names += ["exit_rate_all", "allied_share"]
    if start <= min(end, WAR_DATA_END):
        names += [*DYAD_GROUPS, *COEFFICIENTS]
    return names + capability_names(powers, start, end - start + 1)


def system_weights(names: Sequence[str], capability_weight: float = 1.0) -> dict[str, float]:
    """The fixed weight of each statistic of a whole-system target (module docstring).

    A decade of capability shares (``share_<STATE>_<decade>``) weighs
    ``capability_weight`` statistics, shared equally among its powers.
    """
    marks = sum(n.startswith("states_") for n in names)
    shares = [n for n in names if n.startswith("share_")]
    decades = len({n.rsplit("_", 1)[1] for n in shares})
    weights: dict[str, float] = {}
    for name in names:
        if name.startswith("states_"):
            weights[name] = 1.0 / marks
        elif name.startswith("share_"):
            weights[name] = float(capability_weight) * decades / len(shares)
        elif name in DYAD_GROUPS:
            weights[name] = 0.5 if DYAD_GROUPS[name][1] == "contiguous" else 0.25
        else:
            weights[name] = 1.0
    return weights


def _power_shares(
    caps: np.ndarray, names: Sequence[str], wanted: Sequence[str], start: int
) -> dict[str, float]:
    """The capability shares by decade named in ``wanted`` from ``caps`` (years x states)."""
    from equipoise.calibrate.simulator import DECADE

    col = {name: j for j, name in enumerate(names)}
    out: dict[str, float] = {}
    for stat in wanted:
        state, first = stat[len("share_") :].rsplit("_", 1)
        a = int(first) - start
        out[stat] = float(caps[a : min(a + DECADE, caps.shape[0]), col[state]].mean())
    return out


def _coefficients(cells: pd.DataFrame) -> dict[str, float]:
    fit = dangerous_dyads(cells).set_index("term")["coef"]
    values = clip_coefficients(np.array([fit[t] for t in COEFFICIENTS.values()]))
    return dict(zip(COEFFICIENTS, values.tolist(), strict=True))


def whole_system_target(
    scenario: Scenario,
    *,
    start: int,
    end: int,
    statistics: Sequence[str] | None = None,
    capabilities: bool = True,
    capability_weight: float = 1.0,
    duration_method: str = "exponential",
) -> Target:
    """History's whole-system statistics of ``start``-``end``, as a calibration's data.

    Parameters
    ----------
    scenario : Scenario
        The whole-system scenario simulated (its states are COW states: their names find
        the great powers of each year).
    start, end : int
        First and last year (a calibration's default 1816-1914).
    statistics : sequence of str, optional
        Main-table statistics to fit (default
        :data:`~equipoise.calibrate.simulator.DEFAULT_STATISTICS`); the whole-system rows
        and the coefficients are always fitted.
    capabilities : bool
        Add the capability shares by decade of the states that are COW major powers in some
        year of the window (:func:`great_powers_of`), each a share of the whole system's
        capabilities (:func:`~equipoise.calibrate.simulator.historical_capabilities` over
        every state of ``scenario``).
    capability_weight : float
        Weight of one decade of shares relative to one statistic (0: no shares).
    duration_method : str
        As for :func:`~equipoise.validate.historical_statistics`.

    Returns
    -------
    Target
        ``statistics`` holds every statistic (main table, whole-system rows,
        coefficients, the great powers' shares by decade), in that order; one undefined in
        history is dropped (named in the ``dropped_statistics`` setting). ``comparison`` is
        ``"whole_system"``; the ``powers`` setting names the states whose shares are
        compared (``capabilities``: whether any are).
    """
    from equipoise.calibrate.simulator import (
        DEFAULT_STATISTICS,
        Target,
        check_capability_weight,
        check_statistics,
        historical_capabilities,
    )
    from equipoise.validate.dyads import historical_dyad_cells
    from equipoise.validate.history import historical_inputs, historical_statistics
    from equipoise.validate.whole_system import historical_system_statistics

    main = check_statistics(DEFAULT_STATISTICS if statistics is None else statistics)
    check_capability_weight(capability_weight)
    history = historical_statistics(
        inputs=historical_inputs(start, end),
        duration_method=duration_method,  # type: ignore[arg-type]
    )
    observed = {s: float(history[s]) for s in main}
    last = min(end, WAR_DATA_END)
    cells = historical_dyad_cells(start, last) if start <= last else None
    observed.update(historical_system_statistics(start, end, cells))
    if cells is not None:
        observed.update(_coefficients(cells))
    states = scenario.state_names()
    with_caps = capabilities and capability_weight > 0
    powers = great_powers_of(states, start, end) if with_caps else []
    names = [*main, *system_statistic_names(start, end, powers)]
    if powers:
        caps = historical_capabilities(
            cow_codes_of(states),
            start,
            end,
            scenario.power.economic_weight,
            membership="system",
        )
        shares = [n for n in names if n.startswith("share_")]
        observed.update(_power_shares(caps, states, shares, start))
    values = {n: observed[n] for n in names if math.isfinite(observed[n])}
    weights = system_weights(list(values), capability_weight)
    return Target(
        values=values,
        statistics=tuple(values),
        weights=weights,
        settings={
            "source": "history",
            "start": int(start),
            "end": int(end),
            "comparison": WHOLE_SYSTEM,
            "cohort": None,
            "states": states,
            "capabilities": bool(powers),
            "capability_weight": float(capability_weight) if powers else 0.0,
            "powers": powers,
            "dropped_statistics": [n for n in names if n not in values],
            "duration_method": duration_method,
            "coefficient_bound": COEFFICIENT_BOUND,
            "counts": history.attrs.get("counts", {}),
            "windows": history.attrs.get("windows", {}),
        },
    )


def system_replication_statistics(
    raw: Mapping[str, Any],
    *,
    statistics: Sequence[str],
    start: int,
    years: int,
    replication: int,
    powers: np.ndarray,
    states: Sequence[str] = (),
    duration_method: str = "exponential",
) -> np.ndarray:
    """The whole-system statistics of one replication from the kernel's raw output.

    Parameters
    ----------
    raw : mapping
        :meth:`~equipoise.calibrate.Simulator.raw` with ``dyads``: ``share``,
        ``provinces``, ``blocs`` (steps + 1, N), ``wars`` (the war rows), ``dyads``
        (steps + 1, cells, 2: dyad-years and onsets) and ``pacts`` (the pact table, a
        DataFrame of :data:`~equipoise.results.PACT_COLUMNS`, or ``None`` without treaties).
    statistics : sequence of str
        The names wanted, in order (main-table statistics, then any of
        :func:`system_statistic_names`).
    start, years : int
        The year of step 0 and the years compared (``steps``).
    replication : int
        The replication's label (the pacts' ``replication``).
    powers : bool array, shape (years, N)
        The COW major powers of each year among the states
        (:func:`~equipoise.validate.whole_system.great_power_mask`).
    states : sequence of str
        The states' names, in column order (needed for capability shares, ``share_*``).
    duration_method : str
        As for :func:`~equipoise.validate.system_statistics`.

    Returns
    -------
    float array
        One value per name of ``statistics`` (``nan`` where undefined; the coefficients
        clipped, :func:`clip_coefficients`), measured as ``validate --system`` measures
        a replication (step ``s`` is the year ``start + s - 1``).
    """
    from equipoise.calibrate.simulator import wars_in_window

    times = np.arange(start, start + years, dtype=np.int64)
    alive = np.asarray(raw["provinces"][:years]) > 0
    # the shares rounded to float32, as a Result stores them
    caps = np.asarray(raw["share"][:years], dtype=np.float32).astype(np.float64)
    rows, sizes = wars_in_window(raw["wars"], years)
    wars = pd.DataFrame(
        {"start": start + rows[:, 2] - 1, "participants": rows[:, 6], "size": sizes}
    )
    pacts = raw.get("pacts")
    if pacts is not None:
        spells = pact_spells(pacts, [replication], years)
    else:
        spells = bloc_spells(np.asarray(raw["blocs"][: years + 1]))
    spells = spells[~spells["initial"]]
    formed = pd.DataFrame(
        {"start": start + spells["start"] - 1.0, "end": start + spells["end"] - 1.0}
    )
    main = [s for s in statistics if s in STATISTICS]
    out: dict[str, float] = system_statistics(
        wars,
        alive,
        caps,
        formed,
        times=times,
        duration_method=duration_method,  # type: ignore[arg-type]
        powers=powers,
        statistics=main,
    )
    for mark in system_marks(start, start + years - 1):
        out[f"states_{mark}"] = float(alive[mark - start].sum())
    out["exit_rate_all"] = exit_rate(alive)
    allied = min(years, 2016 - start + 1)
    if pacts is not None:
        labels = np.array([replication], dtype=np.int64)
        out["allied_share"] = float(pact_allied_share(pacts, labels, alive[None, :allied])[0])
    else:
        blocs = np.asarray(raw["blocs"][:allied])
        out["allied_share"] = float(bloc_allied_share(blocs[None], alive[None, :allied])[0])
    last = min(start + years - 1, WAR_DATA_END)
    if start <= last:
        counts = np.asarray(raw["dyads"][1 : last - start + 2]).sum(axis=0)
        cells = cells_from_counts(counts[:, 0], counts[:, 1])
        rates = dyad_onset_rates(cells).iloc[0]
        out.update({name: float(rates[name]) for name in DYAD_GROUPS})
        out.update(_coefficients(cells))
    shares = [s for s in statistics if s.startswith("share_")]
    if shares:
        out.update(_power_shares(caps, states, shares, start))
    return np.array([out[s] for s in statistics], dtype=np.float64)


def synthetic_system_target(
    scenario: Scenario,
    parameters: Sequence[Any],
    values: Mapping[str, float],
    template: Target,
    *,
    replication: int = 0,
    seed: int | None = None,
) -> Target:
    """One whole-system replication at known parameters, as data to calibrate to.

    The synthetic history of simulation-based calibration (Talts et al. 2018) and of
    recovery checks: the statistics, weights and settings of ``template`` (a
    :func:`whole_system_target` of the same scenario and window), with the values of
    replication ``replication`` of ``seed`` at ``values`` in place of history's. A
    statistic the replication leaves undefined is kept as ``nan`` if it is nullable (a
    coefficient that cannot be estimated, no war for the multiparty share), as it would be
    for a replication of the calibration; any other raises ``ValueError``.

    References
    ----------
    Talts, S., Betancourt, M., Simpson, D., Vehtari, A., & Gelman, A. (2018). Validating
        Bayesian inference algorithms with simulation-based calibration. arXiv:1804.06788.
    """
    from equipoise.calibrate.simulator import NULLABLE, Simulator, Target

    if template.settings.get("comparison") != WHOLE_SYSTEM:
        raise ValueError("The template must be a whole-system target (whole_system_target).")
    sim = Simulator(scenario, parameters, template, scenario.run.seed if seed is None else seed)
    observed = sim.statistics(values, replication)
    names = list(template.names)
    bad = [n for n, v in zip(names, observed, strict=True) if not math.isfinite(v)]
    bad = [n for n in bad if n not in NULLABLE]
    if bad:
        raise ValueError(f"The simulated statistic {bad[0]!r} is undefined at these parameters.")
    settings = {
        **template.settings,
        "source": "synthetic",
        "truth": {k: float(v) for k, v in values.items()},
        "replication": int(replication),
        "dropped_statistics": [],
    }
    for key in ("counts", "windows"):
        settings.pop(key, None)
    return Target(
        values=dict(zip(names, observed.tolist(), strict=True)),
        statistics=template.statistics,
        weights=dict(template.weights),
        settings=settings,
    )
