"""What a calibration compares: the observed statistics and one simulation's statistics.

**The data** (:func:`historical_target`) are the statistics of ``equipoise validate`` for the
chosen years (:func:`equipoise.validate.historical_statistics`), plus the great powers'
capability shares by decade:

- the default scenario is ``scenario_from_history(start)``, the great powers of ``start``,
  compared with the same states in history as a closed cohort, as ``equipoise validate`` does
  (their wars and alliances among themselves, over their state-years; docs/validate.md). The
  model has no state births, while the real system grows from 23 states in 1816 to 195 in 2016
  mostly by entry; validate's default window is therefore 1816-1914, the great-power system
  before the First World War, in which none of the five leaves the system, and so is a
  calibration's;
- **capability shares by decade**: each cohort state's capability as a share of the cohort's,
  averaged over each decade of the window (``share_UKG_1816`` for 1816-1825, the last block
  shorter when the window is not a whole number of decades). History's are recomputed from
  the NMC components over the cohort exactly as ``scenario_from_history`` computes the
  initial capabilities (economic and military component shares averaged, weighted by
  ``power.economic_weight``), so the first year of history and step 0 of the simulation agree;
  a state that has left the system holds 0, as a destroyed state does in the model;
- ``war_size_alpha``, the power-law exponent, is left out by default: it needs ten wars in one
  replication, which a system of five great powers never fights in a century (validate's
  ``n`` is 0 for it), so it carries no information.

Any other scenario is compared with the whole COW system over the same years, as validate
compares it, without capability shares (its states are not the historical ones).

**A simulation** (:class:`Simulator`) is one replication of ``steps = end - start + 1`` years
at one parameter vector, measured by the same per-statistic functions as history
(:mod:`equipoise.validate`) and by validate's conventions (:func:`replication_statistics`):
step ``s`` is the year ``start + s - 1``, membership and capabilities are the states recorded
at steps ``0 ... steps - 1``, a war is a cluster of battles sized by the military it destroyed
relative to the system's at its onset, an alliance a bloc with at least two members. The
simulator calls the compiled kernel directly for a single replication (the map and initial
arrays of the scenario are built once), without assembling a :class:`~equipoise.results.Result`:
a particle of a calibration costs well under a millisecond of kernel time plus the
statistics. ``tests/test_calibrate.py`` checks that its statistics equal those of
``run`` + :func:`~equipoise.validate.simulated_inputs` +
:func:`~equipoise.validate.system_statistics`, replication by replication.

References
----------
Cederman, L.-E. (2003). Modeling the size of wars: from billiard balls to sandpiles.
    *American Political Science Review*, 97(1), 135-150.
Singer, J. D., Bremer, S., & Stuckey, J. (1972). Capability distribution, uncertainty, and
    major power war, 1820-1965. In B. Russett (Ed.), *Peace, War, and Numbers* (pp. 19-48).
    Sage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise.calibrate.parameters import Parameter, apply_parameters
from equipoise.validate.alliances import alliance_mean_duration
from equipoise.validate.compare import STATISTICS
from equipoise.validate.concentration import concentration_statistics
from equipoise.validate.dyads import DANGEROUS_DYADS_TERMS
from equipoise.validate.rates import events_per_state_time, state_death_rate
from equipoise.validate.wars import war_size_slope, war_size_tail

if TYPE_CHECKING:
    from equipoise.scenario import Scenario

__all__ = [
    "DEFAULT_STATISTICS",
    "NULLABLE",
    "Simulator",
    "Target",
    "capability_names",
    "check_capability_weight",
    "check_statistics",
    "historical_capabilities",
    "historical_target",
    "replication_statistics",
    "synthetic_target",
    "wars_in_window",
]

#: The validate statistics a calibration fits by default (all but ``war_size_alpha``).
DEFAULT_STATISTICS: tuple[str, ...] = tuple(s for s in STATISTICS if s != "war_size_alpha")
#: Statistics that a replication may leave undefined: too few war sizes for a slope (3
#: distinct) or an exponent (10), no war for the multiparty share, no alliance that ended for
#: the mean duration. The distance treats them as described in :mod:`equipoise.calibrate.smc`.
NULLABLE: frozenset[str] = frozenset(
    {
        "war_size_slope",
        "war_size_alpha",
        "multiparty_war_share",
        "alliance_mean_duration",
        # the dangerous-dyads coefficients of a whole-system target, where a term cannot be
        # estimated (equipoise.calibrate.whole_system)
        *(f"dangerous_dyads_{term}" for term in DANGEROUS_DYADS_TERMS if term != "intercept"),
    }
)
#: Years per block of the capability shares.
DECADE = 10


def capability_names(states: Sequence[str], start: int, years: int) -> list[str]:
    """Names of the capability-share statistics: ``share_<STATE>_<first year of the decade>``.

    Examples
    --------
    >>> capability_names(["UKG", "FRN"], 1816, 12)
    ['share_UKG_1816', 'share_FRN_1816', 'share_UKG_1826', 'share_FRN_1826']
    """
    return [f"share_{name}_{start + first}" for first in range(0, years, DECADE) for name in states]


def _decade_means(shares: np.ndarray) -> np.ndarray:
    """Column means of ``shares`` (years x states) over blocks of :data:`DECADE` rows, flat."""
    years = shares.shape[0]
    return np.concatenate(
        [shares[a : min(a + DECADE, years)].mean(axis=0) for a in range(0, years, DECADE)]
    )


def _formed_spells(blocs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First step and end step (``nan``: censored) of the alliances formed after step 0.

    The alliances of :func:`~equipoise.validate.bloc_spells` (a bloc code with at least two
    members, from the first step it has two to the first it has fewer) for one replication,
    without those in force at step 0, as plain arrays (the same spells, faster).
    """
    n_steps = blocs.shape[0]
    firsts: list[int] = []
    stops: list[float] = []
    for code in np.unique(blocs[blocs >= 0]):
        count = (blocs == code).sum(axis=1)
        allied = np.concatenate(([False], count >= 2, [False]))
        edges = np.flatnonzero(allied[1:] != allied[:-1])
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if a > 0:
                firsts.append(int(a))
                stops.append(float(b) if b < n_steps else np.nan)
    first = np.array(firsts, dtype=np.float64)
    stop = np.array(stops, dtype=np.float64)
    order = np.argsort(first, kind="stable")
    return first[order], stop[order]


def wars_in_window(wars: np.ndarray, years: int) -> tuple[np.ndarray, np.ndarray]:
    """The war rows begun at steps ``1 ... years`` with a positive size, and their sizes.

    A war's size is the military it destroyed relative to the system's at its onset
    (``size / world_military``, columns 10 and 11 of the engine's war rows; 0 where the
    system had none), as :attr:`~equipoise.results.Result.wars` computes ``relative_size``;
    :func:`~equipoise.validate.simulated_inputs` leaves out the wars of size 0, as here.
    """
    step = wars[:, 2] if wars.size else np.zeros(0)
    keep = (step >= 1) & (step <= years)
    rows = wars[keep] if wars.size else np.zeros((0, 13))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(rows[:, 11] > 0, rows[:, 10] / rows[:, 11], 0.0)
    positive = rel > 0
    return rows[positive], rel[positive]


def replication_statistics(
    share: np.ndarray,
    provinces: np.ndarray,
    blocs: np.ndarray,
    wars: np.ndarray,
    *,
    start: int,
    years: int,
    statistics: Sequence[str] = DEFAULT_STATISTICS,
    capabilities: bool = False,
    duration_method: str = "exponential",
) -> np.ndarray:
    """The statistics of one replication from the kernel's raw output.

    Parameters
    ----------
    share : float array, shape (steps + 1, N)
        Capability shares recorded at every step (rounded to float32, as a
        :class:`~equipoise.results.Result` stores them).
    provinces, blocs : int arrays, shape (steps + 1, N)
        Provinces held and bloc codes at every step.
    wars : float array, shape (n_wars, 13)
        The replication's war rows in the engine's column order (``start`` step, ``end``,
        ..., ``participants`` in column 6, ``size`` in 10, ``world_military`` in 11).
    start : int
        The year of step 0.
    years : int
        Years compared (``steps``): rows ``0 ... years - 1``, wars begun at steps
        ``1 ... years``.
    statistics : sequence of str
        Names from :data:`equipoise.validate.STATISTICS`, in the order wanted.
    capabilities : bool
        Append the capability shares by decade (:func:`capability_names` order).
    duration_method : str
        As for :func:`~equipoise.validate.alliance_mean_duration`.

    Returns
    -------
    float array
        One value per statistic (``nan`` where undefined), then the shares.
    """
    times = np.arange(start, start + years, dtype=np.float64)
    alive = provinces[:years] > 0
    caps = np.asarray(share[:years], dtype=np.float32).astype(np.float64)
    rows, sizes = wars_in_window(wars, years)
    out: dict[str, float] = {}
    wanted = set(statistics)
    if "war_size_slope" in wanted:
        out["war_size_slope"] = war_size_slope(sizes).slope
    if "war_size_alpha" in wanted:
        out["war_size_alpha"] = war_size_tail(sizes).alpha
    if "war_onset_rate" in wanted:
        out["war_onset_rate"] = events_per_state_time(start + rows[:, 2] - 1, alive, times)
    if "multiparty_war_share" in wanted:
        out["multiparty_war_share"] = float((rows[:, 6] > 2).mean()) if len(rows) else float("nan")
    if "state_death_rate" in wanted:
        out["state_death_rate"] = state_death_rate(alive)
    if wanted & {"con_mean", "con_diff_sd", "leader_third_share", "leader_half_share"}:
        out.update(concentration_statistics(caps, alive))
    if wanted & {"alliance_formation_rate", "alliance_mean_duration"}:
        first, stop = _formed_spells(blocs[: years + 1])
        begun = start + first - 1.0
        out["alliance_formation_rate"] = events_per_state_time(begun, alive, times)
        until = float(start + years)
        if len(first) and duration_method == "exponential":
            # alliance_mean_duration's exponential mean without its table checks: time in
            # force over the alliances that ended (tests/test_calibrate.py checks equality)
            end = start + stop - 1.0
            ended = np.isfinite(end) & (end <= until)
            n_ended = int(ended.sum())
            total = float(np.where(ended, end - begun, until - begun).sum())
            out["alliance_mean_duration"] = total / n_ended if n_ended else float("nan")
        elif len(first):
            formed = pd.DataFrame({"start": begun, "end": start + stop - 1.0})
            out["alliance_mean_duration"] = alliance_mean_duration(
                formed,
                until,
                duration_method,  # type: ignore[arg-type]
            )
        else:
            out["alliance_mean_duration"] = float("nan")
    values = np.array([out[s] for s in statistics], dtype=np.float64)
    if capabilities:
        values = np.concatenate([values, _decade_means(caps)])
    return values


def historical_capabilities(
    codes: Sequence[int],
    start: int,
    end: int,
    economic_weight: float = 2 / 3,
    *,
    membership: str = "cohort",
) -> np.ndarray:
    """Capability shares of the states ``codes`` among themselves, each year of the window.

    Recomputed from the NMC v6.0 components over these states as
    ``scenario_from_history`` computes the initial capabilities: each state's shares of the
    four economic components (iron and steel, energy, total and urban population) and of
    the two military ones (expenditure, personnel) among the states alive in the cohort,
    averaged within each group over the components known (a group without any takes the
    other's mean); each group's means as shares of their sum (the model's output and
    military shares), weighted ``economic_weight`` and ``1 - economic_weight``. A state out
    of the system (absorbing, as in a closed cohort) holds 0.

    With ``membership="system"`` the states are those of a whole system over time: each is
    among them in the years COW records it a system member (``states2016``: entering,
    leaving and returning), so that each share is of the whole system's capabilities, as
    the model's shares of a whole-system scenario are.

    Returns
    -------
    float array, shape (end - start + 1, len(codes))
        Rows sum to 1.

    Examples
    --------
    >>> caps = historical_capabilities([200, 220, 255, 300, 365], 1816, 1914)
    >>> caps.shape, bool(np.allclose(caps.sum(axis=1), 1))
    ((99, 5), True)
    """
    from equipoise.history.loaders import load_nmc
    from equipoise.history.scenario_builder import ECONOMIC_COMPONENTS, MILITARY_COMPONENTS
    from equipoise.validate.history import historical_inputs

    if membership == "system":
        from equipoise.history.loaders import load_system

        system = load_system()
        system = system[(system["year"] >= start) & (system["year"] <= end)]
        place = {int(c): j for j, c in enumerate(codes)}
        system = system[system["ccode"].isin(list(place))]
        alive = np.zeros((end - start + 1, len(codes)), dtype=bool)
        alive[
            system["year"].to_numpy(dtype=np.int64) - start,
            [place[int(c)] for c in system["ccode"]],
        ] = True
    elif membership == "cohort":
        h = historical_inputs(start, end, cohort=list(codes), population="cohort")
        order = [list(h.cohort_codes).index(int(c)) for c in codes]
        alive = h.cohort_alive[:, order]
    else:
        raise ValueError(f"membership must be 'cohort' or 'system'. Got {membership!r}.")
    nmc = load_nmc()
    nmc = nmc[(nmc["year"] >= start) & (nmc["year"] <= end) & nmc["ccode"].isin(list(codes))]
    years = end - start + 1
    col = {int(c): j for j, c in enumerate(codes)}

    def group(columns: Sequence[str]) -> np.ndarray:
        total = np.zeros((years, len(codes)))
        count = np.zeros((years, len(codes)))
        for name in columns:
            x = np.full((years, len(codes)), np.nan)
            x[
                nmc["year"].to_numpy(dtype=np.int64) - start,
                [col[int(c)] for c in nmc["ccode"]],
            ] = pd.to_numeric(nmc[name], errors="coerce").to_numpy(dtype=np.float64)
            x = np.where(alive & (x >= 0), x, np.nan)
            sums = np.nansum(x, axis=1, keepdims=True)
            ok = np.isfinite(x) & (sums > 0)
            share = np.divide(x, sums, out=np.zeros_like(x), where=ok)
            total += np.where(ok, share, 0.0)
            count += ok
        return np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)

    econ, mil = group(ECONOMIC_COMPONENTS), group(MILITARY_COMPONENTS)
    econ = np.where(np.isnan(econ), mil, econ)
    mil = np.where(np.isnan(mil), econ, mil)

    def normalised(x: np.ndarray) -> np.ndarray:
        x = np.where(alive & np.isfinite(x), x, 0.0)
        sums = x.sum(axis=1, keepdims=True)
        return np.divide(x, sums, out=np.zeros_like(x), where=sums > 0)

    # output and military shares, as the model's capability share weighs them
    return economic_weight * normalised(econ) + (1 - economic_weight) * normalised(mil)


@dataclass(frozen=True, eq=False)
class Target:
    """The observed statistics a calibration fits.

    Attributes
    ----------
    values : dict of str to float
        Statistic name -> observed value: the validate statistics in their order, then (a
        cohort comparison) the capability shares by decade; a whole-system target's
        statistics, its great powers' shares by decade last.
    statistics : tuple of str
        The validate statistics among them: the main table's (a cohort target), or every
        statistic (a whole-system target, comparison ``"whole_system"``:
        :func:`~equipoise.calibrate.whole_system.whole_system_target`).
    weights : dict of str to float
        Fixed weight of each statistic in the distance (before the adaptive scales): 1 for a
        validate statistic, ``capability_weight / N`` for each of the N states' shares in a
        decade, so that a decade of shares weighs as much as ``capability_weight`` statistics.
    settings : dict
        ``start``, ``end``, ``comparison`` (``"cohort"`` or ``"system"``), ``cohort``
        (COW codes), ``states`` (names), ``source`` (``"history"`` or ``"synthetic"``)
        and what else describes the data.
    """

    values: dict[str, float]
    statistics: tuple[str, ...]
    weights: dict[str, float]
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Every statistic name, in order."""
        return list(self.values)

    @property
    def capabilities(self) -> bool:
        """Whether the capability shares by decade are part of the data."""
        return bool(self.share_names)

    @property
    def share_names(self) -> list[str]:
        """The capability shares by decade among the statistics (``share_<STATE>_<decade>``).

        A cohort target holds them after :attr:`statistics`; a whole-system target among
        them (its ``statistics`` are every statistic).
        """
        return [n for n in self.values if n.startswith("share_")]

    @property
    def table_statistics(self) -> list[str]:
        """The statistics other than the capability shares: the rows of a predictive table."""
        shares = set(self.share_names)
        return [n for n in self.statistics if n not in shares]

    def series(self) -> pd.Series:
        """The values as a Series (index ``statistic``)."""
        out = pd.Series(self.values, dtype=np.float64, name="observed")
        out.index.name = "statistic"
        return out


def check_capability_weight(capability_weight: object) -> float:
    """The weight of a decade of capability shares, refused (``ValueError``) unless >= 0."""
    if not (isinstance(capability_weight, int | float) and capability_weight >= 0):
        raise ValueError(
            f"The capability weight must be a number >= 0. Got {capability_weight!r} instead."
        )
    return float(capability_weight)


def check_statistics(statistics: Sequence[str]) -> tuple[str, ...]:
    """The statistics as a tuple, refused (``ValueError``) if unknown, repeated or none."""
    stats = tuple(statistics)
    unknown = [s for s in stats if s not in STATISTICS]
    if unknown:
        raise ValueError(f"Unknown statistic {unknown[0]!r}: choose from {', '.join(STATISTICS)}.")
    if len(set(stats)) != len(stats) or not stats:
        raise ValueError("The statistics must be distinct, and at least one.")
    return stats


def historical_target(
    scenario: Scenario,
    *,
    start: int,
    end: int,
    cohort: Sequence[int] | None,
    statistics: Sequence[str] = DEFAULT_STATISTICS,
    capabilities: bool = True,
    capability_weight: float = 1.0,
    duration_method: str = "exponential",
) -> Target:
    """The historical statistics a calibration fits (module docstring).

    Parameters
    ----------
    scenario : Scenario
        The scenario simulated (its states name the capability shares).
    start, end : int
        First and last year.
    cohort : sequence of int, optional
        COW codes of the scenario's states in order (a cohort comparison); ``None``: the
        whole COW system, no capability shares.
    statistics : sequence of str
        Validate statistics to fit (default :data:`DEFAULT_STATISTICS`).
    capabilities : bool
        Add the capability shares by decade (cohort comparison only).
    capability_weight : float
        Weight of one decade of shares relative to one statistic.
    duration_method : str
        As for :func:`~equipoise.validate.historical_statistics`.

    Returns
    -------
    Target
        Statistics undefined in history (``nan``) are dropped: they carry no information.
    """
    from equipoise.validate.history import historical_inputs, historical_statistics

    stats = check_statistics(statistics)
    check_capability_weight(capability_weight)
    if cohort is not None:
        h = historical_inputs(start, end, cohort=list(cohort), population="cohort")
    else:
        h = historical_inputs(start, end)
    history = historical_statistics(
        inputs=h,
        duration_method=duration_method,  # type: ignore[arg-type]
    )
    values = {s: float(history[s]) for s in stats if math.isfinite(float(history[s]))}
    dropped = [s for s in stats if s not in values]
    weights = dict.fromkeys(values, 1.0)
    names = scenario.state_names()
    with_caps = cohort is not None and capabilities and capability_weight > 0
    if with_caps:
        assert cohort is not None
        caps = historical_capabilities(cohort, start, end, scenario.power.economic_weight)
        for name, value in zip(
            capability_names(names, start, end - start + 1), _decade_means(caps), strict=True
        ):
            values[name] = float(value)
            weights[name] = float(capability_weight) / len(names)
    return Target(
        values=values,
        statistics=tuple(s for s in stats if s in values),
        weights=weights,
        settings={
            "source": "history",
            "start": int(start),
            "end": int(end),
            "comparison": "system" if cohort is None else "cohort",
            "cohort": None if cohort is None else [int(c) for c in cohort],
            "states": names,
            "capabilities": with_caps,
            "capability_weight": float(capability_weight),
            "dropped_statistics": dropped,
            "duration_method": duration_method,
            "counts": history.attrs.get("counts", {}),
            "windows": history.attrs.get("windows", {}),
        },
    )


class Simulator:
    """One replication of a scenario at a parameter vector, reduced to its statistics.

    The map and initial arrays are built once from ``scenario`` (unless a calibrated
    parameter changes them: :attr:`Parameter.structural`), so a call costs the kernel's time
    for one replication plus the statistics. Picklable: worker processes and Dask workers
    receive it whole.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose parameters are calibrated.
    parameters : sequence of Parameter
        The calibrated parameters (their values come with each call).
    target : Target
        What to measure (its statistics, and whether the capability shares are part of it).
    seed : int
        Seed of the counter-based random numbers; a call's randomness is that of replication
        ``replication`` of this seed.
    """

    def __init__(
        self,
        scenario: Scenario,
        parameters: Sequence[Parameter],
        target: Target,
        seed: int,
    ) -> None:
        from equipoise.rng import check_seed

        self.scenario = scenario
        self.parameters = tuple(parameters)
        self.target = target
        self.seed = check_seed(seed)
        self.start = int(target.settings["start"])
        self.years = int(target.settings["end"]) - self.start + 1
        self.structural = any(p.structural for p in self.parameters)
        self.whole_system = target.settings.get("comparison") == "whole_system"
        self._fixed: tuple[Any, ...] | None = None
        self._powers: np.ndarray | None = None
        self._states: list[str] = self.scenario.state_names()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_fixed"] = None  # rebuilt where it is used
        return state

    def scenario_for(self, values: Mapping[str, float]) -> Scenario:
        """The scenario with the calibrated parameters set to ``values`` (validated).

        The values are set on the scenario as :meth:`~equipoise.scenario.Scenario.replace`
        sets them, exactly as :func:`~equipoise.calibrate.scenario_from_posterior` does: a
        parameter that the engine reads when it builds the map or the initial state (map,
        initial output, economic weight) rebuilds them for each call; the military stocks
        that ``scenario_from_history`` derived from ``arming_base / depreciation`` stay
        those of the scenario.
        """
        names = [p.name for p in self.parameters]
        missing = [n for n in names if n not in values]
        if missing:
            raise ValueError(f"No value given for parameter {missing[0]!r}.")
        return apply_parameters(self.scenario, {n: float(values[n]) for n in names})

    def _arrays(self, scenario: Scenario) -> tuple[Any, ...]:
        from equipoise.engine import build_map, initial_arrays, strategy_codes

        graph = build_map(scenario)
        return graph, initial_arrays(scenario, graph), strategy_codes(scenario)

    def raw(self, values: Mapping[str, float], replication: int) -> dict[str, Any]:
        """The kernel's output for one replication: ``share``, ``provinces``, ``blocs``, ``wars``.

        ``wars`` holds the war rows in the engine's column order. For a whole-system
        target also ``dyads`` (the dyad-years and war onsets of every step by cell, as
        ``run(..., record_dyads=True)`` counts them) and ``pacts`` (the pact table, a
        DataFrame of :data:`~equipoise.results.PACT_COLUMNS`, with treaties; else ``None``).
        Replication
        ``replication`` of :attr:`seed` is exactly replication ``replication`` of
        ``equipoise.run(self.scenario_for(values), ..., seed=self.seed)``.
        """
        from equipoise.engine import (
            kernel_params,
            pact_rows,
            simulate_block,
            war_capacity,
            war_rows,
        )
        from equipoise.kernel import KERNEL_MEASURES, simulate

        scenario = self.scenario_for(values)
        if self.structural:
            graph, init, strategy = self._arrays(scenario)
        else:
            if self._fixed is None:
                self._fixed = self._arrays(self.scenario)
            graph, init, strategy = self._fixed
        steps = self.years
        params = kernel_params(scenario, steps, self.seed)
        reps = np.array([int(replication)], dtype=np.int64)
        out = simulate_block(
            simulate,
            params,
            graph,
            strategy,
            init,
            scenario,
            reps,
            steps + 1,
            scenario.size,
            graph.n_provinces,
            war_capacity(scenario.size, steps),
            True,
            False,
            len(KERNEL_MEASURES),
            None,
            self.whole_system,
        )
        raw: dict[str, Any] = {
            "share": out["share"][0],
            "provinces": out["provinces"][0],
            "blocs": out["blocs"][0],
            "wars": war_rows(out, reps),
        }
        if self.whole_system:
            from equipoise.results import PACT_COLUMNS

            raw["dyads"] = out["dyads"][0]
            raw["pacts"] = (
                pd.DataFrame(pact_rows(out, reps).astype(np.int64), columns=list(PACT_COLUMNS))
                if params.treaties
                else None
            )
        return raw

    def statistics(self, values: Mapping[str, float], replication: int) -> np.ndarray:
        """The target's statistics of one replication, in :attr:`Target.names` order."""
        raw = self.raw(values, replication)
        method = str(self.target.settings.get("duration_method", "exponential"))
        if self.whole_system:
            from equipoise.calibrate.whole_system import system_replication_statistics

            if self._powers is None:
                from equipoise.validate.whole_system import great_power_mask

                times = np.arange(self.start, self.start + self.years)
                self._powers = great_power_mask(self._states, times)
            return system_replication_statistics(
                raw,
                statistics=self.target.statistics,
                start=self.start,
                years=self.years,
                replication=int(replication),
                powers=self._powers,
                states=self._states,
                duration_method=method,
            )
        return replication_statistics(
            raw["share"],
            raw["provinces"],
            raw["blocs"],
            raw["wars"],
            start=self.start,
            years=self.years,
            statistics=self.target.statistics,
            capabilities=self.target.capabilities,
            duration_method=method,
        )

    def summary(self, values: Mapping[str, float], replication: int) -> dict[str, float]:
        """:meth:`statistics` as a dict (statistic name -> value)."""
        return dict(
            zip(self.target.names, self.statistics(values, replication).tolist(), strict=True)
        )


def synthetic_target(
    scenario: Scenario,
    parameters: Sequence[Parameter],
    values: Mapping[str, float],
    *,
    start: int,
    end: int,
    cohort: bool = True,
    replication: int = 0,
    seed: int | None = None,
    statistics: Sequence[str] = DEFAULT_STATISTICS,
    capability_weight: float = 1.0,
    duration_method: str = "exponential",
) -> Target:
    """Statistics of one simulated replication at known parameters, as data to calibrate to.

    Simulation-based calibration (Talts et al. 2018) fits such a target and checks that the
    posterior covers ``values``. The target has the form of :func:`historical_target`'s (the
    same statistics, capability shares by decade if ``cohort``, the same weights); a
    nullable statistic the replication leaves undefined is kept as ``nan`` (its indicator
    is then 0, as it would be for a replication of the calibration).

    References
    ----------
    Talts, S., Betancourt, M., Simpson, D., Vehtari, A., & Gelman, A. (2018). Validating
        Bayesian inference algorithms with simulation-based calibration. arXiv:1804.06788.
    """
    stats = check_statistics(statistics)
    names = scenario.state_names()
    years = end - start + 1
    weights = dict.fromkeys(stats, 1.0)
    shares = capability_names(names, start, years) if cohort and capability_weight > 0 else []
    weights.update(dict.fromkeys(shares, float(capability_weight) / len(names)))
    settings: dict[str, Any] = {
        "source": "synthetic",
        "start": int(start),
        "end": int(end),
        "comparison": "cohort" if cohort else "system",
        "cohort": None,
        "states": names,
        "capabilities": bool(shares),
        "capability_weight": float(capability_weight),
        "dropped_statistics": [],
        "duration_method": duration_method,
        "truth": {k: float(v) for k, v in values.items()},
        "replication": int(replication),
    }
    template = Target(
        values=dict.fromkeys([*stats, *shares], float("nan")),
        statistics=stats,
        weights=weights,
        settings=settings,
    )
    sim = Simulator(scenario, parameters, template, scenario.run.seed if seed is None else seed)
    observed = sim.statistics(values, replication)
    bad = [n for n, v in zip(template.names, observed, strict=True) if not math.isfinite(v)]
    bad = [n for n in bad if n not in NULLABLE]
    if bad:
        raise ValueError(f"The simulated statistic {bad[0]!r} is undefined at these parameters.")
    return Target(
        values=dict(zip(template.names, observed.tolist(), strict=True)),
        statistics=stats,
        weights=weights,
        settings=settings,
    )
