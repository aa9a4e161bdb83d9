"""Simulation-based calibration: whether posteriors cover the parameters simulated from.

:func:`simulation_based_calibration` checks the whole calibration pipeline (the statistics,
the distance, ABC-SMC and its budget) on synthetic data, after Talts et al. (2018): for each
of ``datasets`` synthetic histories it draws a "true" parameter vector from the prior,
simulates one replication at it (:func:`~equipoise.calibrate.synthetic_target`), calibrates
to that replication's statistics exactly as to history, and records where the truth falls
in the posterior:

- ``rank``: the weighted share of posterior particles below the truth (a fractional rank
  in [0, 1]); if the posterior is calibrated, ranks are uniform over datasets (Talts et al.
  2018, Theorem 1, applied to the ABC posterior at the tolerance reached);
- ``covered``: whether the truth lies in the central ``level`` posterior interval; if the
  posterior is calibrated, the share covered is about ``level`` (its binomial standard error
  is ``sqrt(level (1 - level) / datasets)``).

ABC posteriors at a finite tolerance are wider than the exact posterior, so coverage above
``level`` (conservative intervals) is the expected failure mode of a small budget; coverage
well below ``level`` means over-confident intervals. ``tests/test_calibrate.py`` runs a
small version; ``benchmarks/bench_calibrate.py`` the full one (at least 50 datasets).

**Derived quantities.** A calibration is used for what it implies, such as a
counterfactual effect, not only for its parameters. With ``effect``, the quantity
``effect(values, index)`` is evaluated at the truth and at ``effect_draws`` posterior draws,
and the truth's value is ranked among the draws' as a parameter is (rows ``effect:NAME``).
A quantity estimated by simulation carries noise; the truth and each draw are simulated with
distinct replications of the same number, so the truth's noisy value and the draws' are of
one law, and the ranks are uniform if the posterior is calibrated (the check is of the noisy
quantity, whose intervals are wider than those of its expectation).

References
----------
Talts, S., Betancourt, M., Simpson, D., Vehtari, A., & Gelman, A. (2018). Validating
    Bayesian inference algorithms with simulation-based calibration. arXiv:1804.06788.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise.calibrate.parameters import Parameter, check_parameters
from equipoise.calibrate.posterior import weighted_quantile
from equipoise.calibrate.simulator import DEFAULT_STATISTICS, synthetic_target

if TYPE_CHECKING:
    from equipoise.scenario import Scenario

__all__ = ["sbc_summary", "simulation_based_calibration"]


def simulation_based_calibration(
    scenario: Scenario,
    parameters: Sequence[Parameter],
    *,
    datasets: int,
    start: int = 1816,
    end: int = 1914,
    cohort: bool = True,
    statistics: Sequence[str] = DEFAULT_STATISTICS,
    population_size: int = 100,
    budget: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    system: bool = False,
    first: int = 0,
    effect: Callable[[Mapping[str, float], int], Mapping[str, float]] | None = None,
    effect_draws: int = 40,
) -> pd.DataFrame:
    """Calibrate to ``datasets`` synthetic histories simulated at prior draws (module docstring).

    Parameters
    ----------
    scenario : Scenario
        The scenario calibrated (e.g. ``scenario_from_history(1816)``).
    parameters : sequence of Parameter
        The calibrated parameters; the truths are drawn from their uniform priors.
    datasets : int
        Synthetic histories (Talts et al. use hundreds; the benchmark at least 50).
    start, end : int
        The years of each synthetic history (steps ``end - start + 1``).
    cohort : bool
        Capability shares by decade among the data (as a calibration of the default
        history scenario, and of the whole system, has them; with ``system``, ``False``
        leaves the great powers' shares out).
    statistics : sequence of str
        The validate statistics fitted.
    population_size, budget : int
        ABC-SMC settings of each calibration.
    level : float
        The central posterior interval checked.
    seed : int
        Dataset ``k`` draws its truth from ``derive_seed(seed, k)``, simulates replication
        ``k`` of that seed and calibrates with seed ``derive_seed(seed, k, salt=1)``: the
        whole check is reproducible, on any number of workers.
    workers : int
        Processes of each calibration.
    progress : callable, optional
        Called with ``(done, datasets)`` after each dataset.
    system : bool
        Synthetic histories of the whole system: ``scenario`` is a whole-system scenario
        (``scenario_from_history(start, states="all", entries=True, until=end)``) and each
        history has the statistics of a whole-system calibration
        (:func:`~equipoise.calibrate.whole_system.synthetic_system_target`).
    first : int
        The first dataset's index: datasets ``first`` to ``first + datasets - 1`` (a long
        check can run in parts, each the same as in one run).
    effect : callable, optional
        The check of a derived quantity, such as a counterfactual effect (module
        docstring): ``effect(values, index)`` returns named quantities at the parameter
        ``values``, simulated with replications labelled by ``index``. Every call of the
        whole check has its own index (dataset ``k``'s truth ``k (effect_draws + 1)``, its
        posterior draw ``d`` that plus ``d + 1``), so that the simulation noise is
        independent, and of one law, across the truth, the draws and the datasets; the
        callable should keep its replications apart from the synthetic histories' (which
        are replications ``0, 1, ...`` of ``seed``). Each name adds a row ``effect:NAME``
        per dataset.
    effect_draws : int
        Posterior draws (resampled by weight) at which ``effect`` is evaluated.

    Returns
    -------
    DataFrame
        One row per (dataset, parameter): ``dataset``, ``parameter``, ``truth``,
        ``median``, ``low``, ``high``, ``rank``, ``covered``, ``simulations`` and
        ``seconds`` (of that dataset's calibration). ``attrs`` holds the settings.
    """
    from equipoise.calibrate.plan import CalibrationSettings
    from equipoise.calibrate.smc import calibrate
    from equipoise.rng import check_seed, derive_seed

    params = check_parameters(parameters, scenario)
    for name, value, least in (("datasets", datasets, 1), ("first", first, 0)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least:
            raise ValueError(
                f"The '{name}' parameter must be an integer >= {least}. Got {value!r}."
            )
    if effect is not None and (
        isinstance(effect_draws, bool)
        or not isinstance(effect_draws, int | np.integer)
        or effect_draws < 2
    ):
        raise ValueError(
            f"The 'effect_draws' parameter must be an integer >= 2. Got {effect_draws!r}."
        )
    datasets, first = int(datasets), int(first)
    if not 0 < level < 1:
        raise ValueError(f"The 'level' parameter must be in (0, 1). Got {level!r}.")
    seed = check_seed(seed)
    settings = CalibrationSettings(
        population_size=population_size, budget=budget, predictive_draws=1
    )
    rows: list[dict[str, Any]] = []
    template = None
    if system:
        from equipoise.calibrate.whole_system import whole_system_target

        template = whole_system_target(
            scenario,
            start=start,
            end=end,
            statistics=statistics,
            capability_weight=1.0 if cohort else 0.0,
        )
    for k in range(first, first + datasets):
        rng = np.random.default_rng(derive_seed(seed, k))
        truth = {p.name: float(rng.uniform(p.low, p.high)) for p in params}
        if template is not None:
            from equipoise.calibrate.whole_system import synthetic_system_target

            target = synthetic_system_target(
                scenario, params, truth, template, replication=k, seed=seed
            )
        else:
            target = synthetic_target(
                scenario,
                params,
                truth,
                start=start,
                end=end,
                cohort=cohort,
                replication=k,
                seed=seed,
                statistics=statistics,
            )
        started = time.perf_counter()
        result = calibrate(
            scenario,
            parameters=params,
            target=target,
            settings=settings,
            seed=derive_seed(seed, k, salt=1),
            workers=workers,
        )
        seconds = time.perf_counter() - started
        intervals = result.interval(level).set_index("parameter")
        w = result.posterior["weight"].to_numpy(dtype=np.float64)
        for p in params:
            values = result.posterior[p.name].to_numpy(dtype=np.float64)
            low = float(intervals.loc[p.name, "low"])
            high = float(intervals.loc[p.name, "high"])
            rows.append(
                {
                    "dataset": k,
                    "parameter": p.name,
                    "truth": truth[p.name],
                    "median": weighted_quantile(values, w, 0.5),
                    "low": low,
                    "high": high,
                    "rank": float(w[values < truth[p.name]].sum() / w.sum()),
                    "covered": bool(low <= truth[p.name] <= high),
                    "simulations": int(result.settings["simulations"]),
                    "seconds": seconds,
                }
            )
        if effect is not None:
            rows.extend(_effect_rows(effect, truth, result, params, effect_draws, level, k, seed))
        if progress is not None:
            progress(k - first + 1, datasets)
    out = pd.DataFrame(rows)
    out.attrs.update(
        {
            "level": float(level),
            "datasets": datasets,
            "start": int(start),
            "end": int(end),
            "population_size": population_size,
            "budget": budget,
            "seed": seed,
            "scenario": scenario.name,
            "system": bool(system),
            "first": int(first),
        }
    )
    return out


def _effect_rows(
    effect: Callable[[Mapping[str, float], int], Mapping[str, float]],
    truth: Mapping[str, float],
    result: Any,
    params: Sequence[Parameter],
    draws: int,
    level: float,
    k: int,
    seed: int,
) -> list[dict[str, Any]]:
    """The rows ``effect:NAME`` of dataset ``k``: the truth's value among the posterior's."""
    from equipoise.rng import derive_seed

    base = k * (draws + 1)  # every call of the whole check has its own index
    true = dict(effect(truth, base))
    sample = result.draws(draws, seed=derive_seed(seed, k, salt=2))
    at_draws = [
        dict(effect({p.name: float(row[p.name]) for p in params}, base + d + 1))
        for d, (_, row) in enumerate(sample.iterrows())
    ]
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for name, value in true.items():
        v = np.array([a[name] for a in at_draws], dtype=np.float64)
        low, high = float(np.quantile(v, lo_q)), float(np.quantile(v, hi_q))
        ties = float((v == value).mean())  # a discrete quantity: half the ties below
        rows.append(
            {
                "dataset": k,
                "parameter": f"effect:{name}",
                "truth": float(value),
                "median": float(np.median(v)),
                "low": low,
                "high": high,
                "rank": float((v < value).mean() + ties / 2),
                "covered": bool(low <= value <= high),
                "simulations": int(result.settings["simulations"]),
                "seconds": float("nan"),
            }
        )
    return rows


def sbc_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the central intervals per parameter, with its binomial standard error.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`simulation_based_calibration`.

    Returns
    -------
    DataFrame
        One row per parameter and one ``all`` row: ``parameter``, ``datasets``,
        ``coverage`` (share of datasets whose interval covers the truth), ``se``
        (``sqrt(level (1 - level) / n)``, the standard error if the posterior is
        calibrated), ``mean_rank`` (0.5 if calibrated), ``mean_width`` (the intervals'
        mean width in the parameter's unit; ``nan`` in the ``all`` row of several
        parameters).

    Examples
    --------
    >>> t = pd.DataFrame({"parameter": ["a", "a", "b", "b"], "covered": [True, False, True, True],
    ...                   "rank": [0.2, 0.6, 0.5, 0.5], "low": [0, 0, 0, 0], "high": [1, 1, 2, 2]})
    >>> t.attrs["level"] = 0.9
    >>> sbc_summary(t)["coverage"].tolist()
    [0.5, 1.0, 0.75]
    """
    level = float(table.attrs.get("level", 0.9))
    rows = []
    groups = [(str(name), g) for name, g in table.groupby("parameter", sort=False)]
    for name, g in [*groups, ("all", table)]:
        n = len(g)
        rows.append(
            {
                "parameter": name,
                "datasets": n,
                "coverage": float(g["covered"].mean()),
                "se": math.sqrt(level * (1 - level) / n),
                "mean_rank": float(g["rank"].mean()),
                "mean_width": (
                    float((g["high"] - g["low"]).mean())
                    if name != "all" or len(groups) == 1
                    else float("nan")
                ),
            }
        )
    return pd.DataFrame(rows)
