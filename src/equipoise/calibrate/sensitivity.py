"""Which parameters move a calibration's data: Morris screening of its statistics.

A calibration should estimate the parameters its data can tell apart, so issue 18 takes
the default set from a global sensitivity analysis of the calibration's statistics.
:func:`sensitivity` is that analysis, by Morris's (1991) elementary effects with the
``mu*`` of Campolongo, Cariboni & Saltelli (2007):

- **Parameters.** By default every real-valued scenario parameter with a plausible range
  (:func:`~equipoise.calibrate.parameters.plausible_parameters`; docs/model.md, section 8),
  except the structural ones (:attr:`Parameter.structural`: the map, the initial outputs and
  ``power.economic_weight``, with which the historical capability shares are computed, so
  that varying it would change the data as well as the model). Each varies over its
  plausible range.
- **Design.** ``trajectories`` Morris trajectories on a grid of ``levels`` levels (SALib's
  sampler, as ``equipoise sweep`` draws its Morris designs: :mod:`equipoise.experiments.designs`):
  each trajectory is ``k + 1`` points, consecutive points differing in one parameter by
  ``levels / (2 (levels - 1))`` of its range (2/3 with the four levels Saltelli et al. 2008
  recommend).
- **Simulation with common random numbers.** Every point simulates replications
  ``0 ... replications - 1`` of the same seed (:class:`~equipoise.calibrate.Simulator`: one
  replication of ``end - start + 1`` years, measured as the calibration measures it). The
  model's draws are counter-based (docs/model.md, section 4), so two points draw the same
  numbers wherever they make the same draw: an elementary effect is the parameter's effect,
  not the difference of two independent samples, and a parameter the statistics do not
  depend on has elementary effects of exactly 0.
- **Statistics.** The calibration's summaries
  (:func:`~equipoise.calibrate.sampling.summary_names`): the validate statistics, the
  capability shares by decade (cohort comparison), and the indicator ``NAME_defined`` of
  each statistic a replication may leave undefined. A point's value of a statistic is its
  mean over the replications.
- **Undefined values.** A statistic a replication leaves undefined (no war, so no
  multiparty share) is averaged over the replications that define it, and its indicator's
  value, the share that do, carries how often that is: as in the calibration's distance,
  nothing is imputed. At a point where no replication defines it the statistic has no
  value, and the elementary effects through that point are left out: its ``mu*`` is the
  mean over the others (``effects`` counts them), ``nan`` if none is left, and a ``nan`` is
  left out of the parameter's aggregate (whose weights are then those of the rest).
- **Indices.** For each parameter and statistic, from the elementary effects per unit of
  the parameter's range (:func:`elementary_effects`: computed here, since SALib's analyser
  cannot leave undefined values out; ``tests/test_calibrate_sensitivity.py`` checks that its
  ``mu*`` is SALib's where every value is defined): ``mu_star`` (mean absolute effect),
  ``mu`` (mean effect) and ``sigma`` (their standard deviation: interactions and
  non-linearity; Morris 1991), and ``mu_star_conf``, the half-width of a 95 % bootstrap
  interval over trajectories (as SALib's). **Scaled**: ``mu_star`` divided by the
  statistic's standard deviation over every simulated replication of the design
  (``scale``), so that statistics in different units compare: a scaled ``mu*`` of 1 means
  that moving the parameter across its range moves the statistic's expected value by one
  standard deviation of what single replications show, the spread by which the
  calibration's distance measures each statistic. A statistic constant over the whole
  design has scale 0 and scaled ``mu*`` 0.
- **Ranking.** A parameter's ``aggregate`` is the weighted mean of its scaled ``mu*`` over
  the statistics, with the weights of the calibration's distance
  (:attr:`~equipoise.calibrate.simulator.Target.weights`, and 1 for an indicator): 1 for each
  validate statistic and indicator, ``capability_weight / N`` for each of the N states'
  capability shares in a decade, so that a decade of shares weighs as much as one
  statistic. ``low`` and ``high`` bound its 95 % bootstrap interval (trajectories resampled,
  the same resample for every statistic); ``validate`` and ``capabilities`` are the same
  mean over the validate statistics (with their indicators) and over the capability shares
  alone. :meth:`SensitivityResult.select` applies the rule that chose the default
  calibrated parameters (docs/calibrate.md).
- **Noise reference** (``settings["noise"]``). The aggregate that a parameter without
  effect would get if each step of a trajectory re-drew the replications' randomness
  (independent replications at its two ends: ``E|N(0, 2 s^2 / R)|`` per statistic, ``s``
  the standard deviation within a point, ``R`` the replications, over the step and the
  scale). Common random numbers bring the noise of real elementary effects below it; an
  aggregate near it cannot be told from noise with confidence.

References
----------
Campolongo, F., Cariboni, J., & Saltelli, A. (2007). An effective screening design for
    sensitivity analysis of large models. *Environmental Modelling & Software*, 22(10),
    1509-1518. https://doi.org/10.1016/j.envsoft.2006.10.004
Herman, J., & Usher, W. (2017). SALib: An open-source Python library for sensitivity
    analysis. *Journal of Open Source Software*, 2(9), 97. https://doi.org/10.21105/joss.00097
Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
    *Technometrics*, 33(2), 161-174. https://doi.org/10.1080/00401706.1991.10484804
Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., Saisana,
    M., & Tarantola, S. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise.calibrate.parameters import (
    Parameter,
    plausible_parameter,
    plausible_parameters,
)

if TYPE_CHECKING:
    from equipoise.calibrate.simulator import Simulator
    from equipoise.scenario import Scenario

__all__ = ["SensitivityResult", "candidate_parameters", "elementary_effects", "sensitivity"]

#: Salts of the seeds derived from the analysis's seed (the simulations use the seed itself).
DESIGN_SALT = 1
BOOTSTRAP_SALT = 2
#: Bootstrap resamples of the trajectories (intervals of mu* and of the aggregate).
RESAMPLES = 1000


def candidate_parameters(scenario: Scenario | None = None) -> tuple[Parameter, ...]:
    """The parameters :func:`sensitivity` screens by default (module docstring).

    Every real-valued scenario parameter with a plausible range, except the structural ones
    and those of a mechanism switched off in ``scenario`` (default: the defaults, in which
    ``alliances.treaties`` is off; :data:`~equipoise.calibrate.parameters.OPTIONAL_MECHANISMS`).
    """
    from equipoise.scenario import Scenario

    base = scenario if scenario is not None else Scenario(n_states=2)

    def switched_on(option: str | None) -> bool:
        if option is None:
            return True
        table, key = option.split(".", 1)
        return bool(getattr(getattr(base, table), key))

    return tuple(p for p in plausible_parameters() if not p.structural and switched_on(p.option))


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """The Morris indices of a calibration's statistics, and the ranking of the parameters.

    Attributes
    ----------
    indices : DataFrame
        One row per (parameter, statistic): ``parameter``, ``statistic``, ``group``
        (``validate``, ``defined`` for an indicator, ``capabilities``), ``weight`` (in the
        aggregate), ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``, ``effects`` (the
        elementary effects behind them), ``scale`` and ``scaled_mu_star``.
    ranking : DataFrame
        One row per parameter, highest first: ``rank``, ``parameter``, ``low_value`` and
        ``high_value`` (its range), ``aggregate`` with its 95 % interval ``low``-``high``,
        ``validate`` and ``capabilities``.
    settings : dict
        Scenario, years, trajectories, replications, levels, seed, simulations, seconds.
    """

    indices: pd.DataFrame
    ranking: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> pd.DataFrame:
        """Scaled ``mu*``, parameter x statistic, parameters in ranking order."""
        wide = self.indices.pivot(index="parameter", columns="statistic", values="scaled_mu_star")
        order = list(dict.fromkeys(self.indices["statistic"]))
        return wide.loc[list(self.ranking["parameter"]), order]

    def select(
        self, fraction: float = 0.25, at_least: int = 5, at_most: int = 8
    ) -> tuple[str, ...]:
        """The top-ranked parameters, by the rule of docs/calibrate.md.

        Those whose aggregate is at least ``fraction`` of the highest, but no fewer than
        ``at_least`` and no more than ``at_most`` (issue 18's five to eight).
        """
        agg = self.ranking["aggregate"].to_numpy(dtype=np.float64)
        names = list(self.ranking["parameter"])
        count = int(np.sum(agg >= fraction * agg[0])) if len(agg) else 0
        count = min(max(count, at_least), at_most, len(names))
        return tuple(names[:count])

    def markdown(self, top: int | None = None) -> str:
        """The ranking as a Markdown table (the first ``top`` rows, or all)."""
        rows = self.ranking if top is None else self.ranking.head(top)
        lines = [
            "| rank | parameter | range | aggregate (95 % interval) | validate | capabilities |",
            "|---:|---|---|---|---:|---:|",
        ]
        for r in rows.to_dict("records"):
            lines.append(
                f"| {r['rank']} | `{r['parameter']}` | {r['low_value']:g}-{r['high_value']:g} | "
                f"{r['aggregate']:.3f} ({r['low']:.3f}-{r['high']:.3f}) | {r['validate']:.3f} | "
                f"{r['capabilities']:.3f} |"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        s = self.settings
        head = (
            f"Morris screening of {len(self.ranking)} parameters, {s.get('start')}-"
            f"{s.get('end')}: {s.get('trajectories')} trajectories x "
            f"{len(self.ranking) + 1} points x {s.get('replications')} replications = "
            f"{s.get('simulations')} simulations (seed {s.get('seed')})"
        )
        cols = ["rank", "parameter", "aggregate", "low", "high", "validate", "capabilities"]
        return head + "\n" + self.ranking[cols].round(3).to_string(index=False)


def _check_int(name: str, value: object, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least:
        raise ValueError(f"The {name!r} parameter must be an integer >= {least}. Got {value!r}.")
    return int(value)


def _parameters(parameters: Sequence[Parameter | str] | None) -> tuple[Parameter, ...]:
    if parameters is None:
        return candidate_parameters()
    if isinstance(parameters, str | Parameter):
        parameters = [parameters]
    return tuple(p if isinstance(p, Parameter) else plausible_parameter(p) for p in parameters)


def elementary_effects(design: np.ndarray, outputs: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Morris's elementary effects of each parameter along each trajectory.

    Parameters
    ----------
    design : float array, shape (trajectories x (k + 1), k)
        A Morris design: consecutive points of a trajectory differ in one parameter.
    outputs : float array, shape (trajectories x (k + 1), S)
        The statistics at each point (``nan``: undefined there).
    bounds : float array, shape (k, 2)
        Each parameter's range; an effect is the change per unit of the range.

    Returns
    -------
    float array, shape (trajectories, k, S)
        ``(y(x + d e_i) - y(x)) / d`` for the parameter ``i`` that changes at each step of a
        trajectory, ``d`` in units of its range; ``nan`` where either point is undefined.

    Examples
    --------
    >>> x = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
    >>> y = np.array([[0.0], [2.0], [2.5]])
    >>> elementary_effects(x, y, np.array([[0.0, 1.0], [0.0, 2.0]]))[0, :, 0].tolist()
    [2.0, 1.0]
    """
    k = design.shape[1]
    outputs = outputs.reshape(design.shape[0], -1)
    unit = (design - bounds[:, 0]) / (bounds[:, 1] - bounds[:, 0])
    n_traj = design.shape[0] // (k + 1)
    unit = unit.reshape(n_traj, k + 1, k)
    y = outputs.reshape(n_traj, k + 1, outputs.shape[1])
    step = np.diff(unit, axis=1)  # (T, k, k): the move of each step
    moved = np.argmax(np.abs(step), axis=2)  # (T, k): the parameter each step moves
    size = np.take_along_axis(step, moved[:, :, None], axis=2)[:, :, 0]
    dy = np.diff(y, axis=1) / size[:, :, None]
    out = np.full_like(dy, np.nan)
    rows = np.arange(n_traj)[:, None]
    out[rows, moved] = dy
    return out


def _simulate(simulator: Simulator, points: np.ndarray, replications: int) -> np.ndarray:
    """The summaries of ``replications`` replications at each point: (points, reps, S)."""
    from equipoise.calibrate.sampling import SUMMARY_KEY, summaries

    names = [p.name for p in simulator.parameters]
    out: list[np.ndarray] = []
    for point in points:
        values = dict(zip(names, point.tolist(), strict=True))
        out.append(
            np.stack(
                [
                    summaries(simulator.statistics(values, r), simulator.target)[SUMMARY_KEY]
                    for r in range(replications)
                ]
            )
        )
    return np.stack(out)


def _run_design(
    simulator: Simulator, design: np.ndarray, replications: int, workers: int, progress: bool
) -> np.ndarray:
    """Simulate every point of ``design`` (in ``workers`` processes), with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from equipoise.calibrate.sampling import _process_pool

    chunk = max(1, min(16, len(design) // (8 * workers)))
    parts = [design[a : a + chunk] for a in range(0, len(design), chunk)]
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    results: list[np.ndarray] = []
    with Progress(*columns, disable=not progress, transient=False) as bar:
        task = bar.add_task("Morris points", total=len(design))
        if workers == 1:
            for part in parts:
                results.append(_simulate(simulator, part, replications))
                bar.advance(task, len(part))
        else:
            pool = _process_pool(workers)
            try:
                futures = [pool.submit(_simulate, simulator, p, replications) for p in parts]
                for part, future in zip(parts, futures, strict=True):
                    results.append(future.result())
                    bar.advance(task, len(part))
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    return np.concatenate(results)


def _mu_star(effects: np.ndarray) -> np.ndarray:
    """Mean absolute elementary effect over trajectories (axis 0), ignoring ``nan``."""
    absolute = np.abs(effects)
    count = np.sum(np.isfinite(absolute), axis=0)
    total = np.nansum(absolute, axis=0)
    return np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)


def _spread(values: np.ndarray) -> np.ndarray:
    """Standard deviation of each column's finite values (0 with fewer than two)."""
    ok = np.isfinite(values)
    n = ok.sum(axis=0)
    x = np.where(ok, values, 0.0)
    mean = np.divide(x.sum(axis=0), n, out=np.zeros(n.shape), where=n > 0)
    squares = np.where(ok, (values - mean) ** 2, 0.0).sum(axis=0)
    return np.sqrt(np.divide(squares, n - 1, out=np.zeros(n.shape), where=n >= 2))


def _aggregate(scaled: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over statistics (last axis) of the finite values."""
    ok = np.isfinite(scaled)
    w = np.where(ok, weights, 0.0)
    total = np.sum(np.where(ok, scaled, 0.0) * w, axis=-1)
    norm = np.sum(w, axis=-1)
    return np.divide(total, norm, out=np.full(total.shape, np.nan), where=norm > 0)


#: The columns of :attr:`SensitivityResult.indices` computed from the elementary effects.
INDEX_COLUMNS = ("mu_star", "mu_star_conf", "mu", "sigma", "effects")


def _analyse(
    design: np.ndarray,
    runs: np.ndarray,
    bounds: np.ndarray,
    weights: np.ndarray,
    levels: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """The Morris indices of every (parameter, statistic) from the simulations (module docs).

    ``runs`` holds the statistics of every replication at every point, shape (points,
    replications, S). Returns arrays (k, S) for :data:`INDEX_COLUMNS` and
    ``scaled_mu_star``, (S,) for ``scale`` and ``noise`` (the scaled ``mu*`` that
    independent replications at the two ends of a step would give a parameter without
    effect, the noise that common random numbers reduce), (k,) for the bootstrap interval
    of the aggregate (``low``, ``high``).
    """
    count = np.sum(np.isfinite(runs), axis=1)
    means = np.divide(
        np.nansum(runs, axis=1), count, out=np.full(count.shape, np.nan), where=count > 0
    )
    scale = _spread(runs.reshape(-1, runs.shape[2]))
    effects = elementary_effects(design, means, bounds)  # (trajectories, k, S)

    def scaled_of(mu_star: np.ndarray) -> np.ndarray:
        return np.where(scale > 0, mu_star / np.where(scale > 0, scale, 1.0), 0.0)

    # E|N(0, v)| = sqrt(2 v / pi), v the variance of a difference of two independent means
    within = np.sqrt(np.nanmean([_spread(r) ** 2 for r in runs], axis=0))
    n_mean = np.maximum(count.mean(axis=0), 1.0)
    step = levels / (2.0 * (levels - 1))
    noise = scaled_of(np.sqrt(2.0 / np.pi) * within * np.sqrt(2.0 / n_mean) / step)
    if runs.shape[1] < 2:  # one replication: the noise is not measured
        noise = np.full_like(noise, np.nan)

    n_traj = effects.shape[0]
    boot_mu = np.empty((RESAMPLES, *effects.shape[1:]))
    boot_agg = np.empty((RESAMPLES, effects.shape[1]))
    for b in range(RESAMPLES):
        pick = rng.integers(n_traj, size=n_traj)
        boot_mu[b] = _mu_star(effects[pick])
        boot_agg[b] = _aggregate(scaled_of(boot_mu[b]), weights)
    with warnings.catch_warnings():  # a parameter without any defined effect: nan, by design
        warnings.simplefilter("ignore", RuntimeWarning)
        mu_star = _mu_star(effects)
        return {
            "mu_star": mu_star,
            "mu_star_conf": 1.959963984540054 * np.nanstd(boot_mu, axis=0, ddof=1),
            "mu": np.nanmean(effects, axis=0),
            "sigma": np.nanstd(effects, axis=0, ddof=1),
            "effects": np.sum(np.isfinite(effects), axis=0),
            "scale": scale,
            "scaled_mu_star": scaled_of(mu_star),
            "noise": noise,
            "low": np.nanpercentile(boot_agg, 2.5, axis=0),
            "high": np.nanpercentile(boot_agg, 97.5, axis=0),
        }


def sensitivity(
    scenario: Scenario | str | None = None,
    parameters: Sequence[Parameter | str] | None = None,
    *,
    start: int = 1816,
    end: int = 1914,
    trajectories: int = 40,
    replications: int = 40,
    levels: int = 4,
    seed: int | None = None,
    workers: int = 1,
    progress: bool = True,
) -> SensitivityResult:
    """Morris screening of a calibration's statistics (module docstring).

    Parameters
    ----------
    scenario : Scenario or str, optional
        As for :func:`~equipoise.calibrate.calibrate`: default ``scenario_from_history(start)``,
        compared with the same states in history as a closed cohort (with capability shares
        by decade); any other scenario is measured by the validate statistics alone.
    parameters : sequence of Parameter or str, optional
        The parameters screened, each over its range (a name: its plausible range); default
        :func:`candidate_parameters`.
    start, end : int
        The calibration's years (``end - start + 1`` steps).
    trajectories : int
        Morris trajectories (at least 2; 20-50 is usual: Campolongo et al. 2007).
    replications : int
        Replications per point, the same at every point (common random numbers).
    levels : int
        Levels of the Morris grid (even, at least 2).
    seed : int, optional
        Seed of the simulations (default: the scenario's); the design and the bootstrap use
        seeds derived from it.
    workers : int
        Processes that simulate the points.
    progress : bool
        Show a progress bar (rich, on the terminal).

    Returns
    -------
    SensitivityResult
        The indices, the ranking and the settings. Raises a one-line ``ValueError`` for an
        unknown parameter, a bad size or year.
    """
    from equipoise.calibrate.plan import plan_calibration
    from equipoise.calibrate.sampling import summary_names
    from equipoise.calibrate.simulator import Simulator
    from equipoise.experiments.designs import sample
    from equipoise.rng import derive_seed

    trajectories = _check_int("trajectories", trajectories, 2)
    replications = _check_int("replications", replications, 1)
    workers = _check_int("workers", workers, 1)
    levels = _check_int("levels", levels, 2)
    if levels % 2:
        raise ValueError(f"The 'levels' parameter must be even. Got {levels}.")
    params = _parameters(parameters)
    plan = plan_calibration(scenario, start=start, end=end, parameters=params, seed=seed)
    params, target = plan.parameters, plan.target
    names = summary_names(target)
    weights = np.array([float(target.weights.get(n, 1.0)) for n in names])
    shares = set(target.names) - set(target.statistics)
    # summary_names: the target's statistics, then an indicator per nullable statistic
    groups = [
        "capabilities" if n in shares else "validate" if n in target.names else "defined"
        for n in names
    ]
    bounds = np.array([[p.low, p.high] for p in params], dtype=np.float64)
    problem = {"num_vars": len(params), "names": [p.name for p in params], "bounds": bounds}
    design = sample(
        "morris",
        problem,
        trajectories,
        derive_seed(plan.seed, 0, salt=DESIGN_SALT),
        morris_levels=levels,
    )
    simulator = Simulator(plan.scenario, params, target, plan.seed)
    began = time.perf_counter()
    runs = _run_design(simulator, design, replications, workers, progress)
    seconds = time.perf_counter() - began

    rng = np.random.default_rng(derive_seed(plan.seed, 0, salt=BOOTSTRAP_SALT))
    out = _analyse(design, runs, bounds, weights, levels, rng)
    indices = pd.DataFrame(
        {
            "parameter": np.repeat([p.name for p in params], len(names)),
            "statistic": np.tile(names, len(params)),
            "group": np.tile(groups, len(params)),
            "weight": np.tile(weights, len(params)),
            **{key: out[key].ravel() for key in INDEX_COLUMNS},
            "scale": np.tile(out["scale"], len(params)),
            "scaled_mu_star": out["scaled_mu_star"].ravel(),
        }
    )
    capability = np.array([g == "capabilities" for g in groups])
    scaled = out["scaled_mu_star"]
    ranking = pd.DataFrame(
        {
            "parameter": [p.name for p in params],
            "low_value": bounds[:, 0],
            "high_value": bounds[:, 1],
            "aggregate": _aggregate(scaled, weights),
            "low": out["low"],
            "high": out["high"],
            "validate": _aggregate(scaled[:, ~capability], weights[~capability]),
            "capabilities": _aggregate(scaled[:, capability], weights[capability]),
        }
    )
    ranking = ranking.sort_values("aggregate", ascending=False, kind="stable")
    ranking = ranking.reset_index(drop=True)
    ranking.insert(0, "rank", np.arange(1, len(ranking) + 1))
    settings = {
        "scenario": plan.scenario.name,
        "start": int(target.settings["start"]),
        "end": int(target.settings["end"]),
        "comparison": target.settings.get("comparison"),
        "parameters": [p.name for p in params],
        "trajectories": trajectories,
        "replications": replications,
        "levels": levels,
        "seed": plan.seed,
        "points": len(design),
        "simulations": int(len(design) * replications),
        "workers": workers,
        "seconds": round(seconds, 2),
        "resamples": RESAMPLES,
        "noise": round(float(_aggregate(out["noise"], weights)), 4),
    }
    return SensitivityResult(indices, ranking, settings)
