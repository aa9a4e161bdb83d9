"""Out-of-sample prediction: a calibration's posterior against history of another window.

A posterior predictive check inside the calibration's own years
(:meth:`~equipoise.calibrate.Calibration.predictive`) shows that the fit can reproduce the data
it was fitted to; it does not show that the model predicts. :func:`predict` takes a finished
calibration (say of 1816-1914) and another window (say 1919-2014), starts the model from
history's system at the window's first year (``scenario_from_history(start)``, or with a
whole-system calibration ``scenario_from_history(start, states="all", entries=True,
until=end)``), runs one replication at each of ``draws`` posterior draws, and measures them
and history of that window with the same statistics as the calibration (the same
:class:`~equipoise.calibrate.Simulator` and target functions): the table says, statistic by
statistic, whether history of the new window lies inside the central ``level`` band of the
prediction. Nothing of the new window was used to fit the parameters, provided the windows
do not overlap (the settings' ``overlap`` counts the years they share; the command line says
so when it is not 0).

**Against the prior.** A band wide enough covers anything. With ``prior=True`` the same
window is predicted from draws of the priors instead of the posterior (the prior predictive
check): what the calibration adds is how much narrower its bands are, and whether history
stays inside them.

A calibrated ``power.reach`` is in provinces of the calibration year's map; it is carried to
the map of ``start`` at the same distance in kilometres, as counterfactuals carry it.

``equipoise predict DIR --from 1919 --to 2014`` is the command line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise._io import MARKER, atomic_dir
from equipoise._json import jsonable
from equipoise._version import __version__

if TYPE_CHECKING:
    from equipoise.calibrate.posterior import Calibration
    from equipoise.calibrate.simulator import Simulator

__all__ = ["Prediction", "plan_prediction", "predict"]

#: Posterior draws of a prediction by default (one replication each).
DEFAULT_DRAWS = 200


@dataclass(frozen=True, eq=False)
class Prediction:
    """History of a window against replications at a calibration's posterior draws.

    Attributes
    ----------
    table : DataFrame
        :func:`~equipoise.validate.compare_to_history`'s table: ``statistic``, ``history``,
        ``sim_median``, ``sim_low``, ``sim_high``, ``n_replications``, ``inside``.
    replications : DataFrame
        One row per draw: ``draw`` (the particle, or the prior draw's number), the parameter
        values in the calibration's units (a reach in provinces of its map; the run used it
        times ``reach_factor``) and every statistic.
    settings : dict
        ``calibration`` (the directory), its window (``fitted_start``, ``fitted_end``),
        the predicted window (``start``, ``end``), ``draws``, ``level``, ``seed``,
        ``whole_system``, ``reach_factor``, ``seconds``.
    """

    table: pd.DataFrame
    replications: pd.DataFrame
    settings: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def inside(self) -> tuple[int, int]:
        """(statistics with history inside the band, statistics with a verdict)."""
        verdicts = self.table["inside"].dropna()
        return int(verdicts.astype(bool).sum()), len(verdicts)

    def to_files(self, directory: str | Path) -> Path:
        """Write ``predictive.csv``, ``replications.csv`` and ``prediction.json``, atomically."""
        from equipoise.calibrate.plan import check_not_calibration

        check_not_calibration(directory)
        fmt = "%.10g"
        with atomic_dir(directory) as tmp:
            self.table.to_csv(tmp / "predictive.csv", index=False, float_format=fmt)
            self.replications.to_csv(tmp / "replications.csv", index=False, float_format=fmt)
            record = {"settings": self.settings, "table": self.table.to_dict(orient="records")}
            text = json.dumps(jsonable(record), indent=2, allow_nan=False)
            (tmp / "prediction.json").write_text(text + "\n", encoding="utf-8")
            prov = jsonable({"command": "predict", **self.provenance})
            (tmp / MARKER).write_text(
                json.dumps(prov, indent=2, allow_nan=False) + "\n", encoding="utf-8"
            )
        return Path(directory)

    def __repr__(self) -> str:
        s = self.settings
        n_in, n = self.inside
        return (
            f"Prediction({s['start']}-{s['end']} from the {s['from']} of "
            f"{s['fitted_start']}-{s['fitted_end']}, {s['draws']} draws: history inside the "
            f"{100 * s['level']:.0f}% band for {n_in} of {n} statistics)"
        )


@dataclass(frozen=True, eq=False)
class PredictionPlan:
    """A prediction checked and ready to run (:func:`plan_prediction`)."""

    calibration: Calibration
    simulator: Simulator
    draws: pd.DataFrame
    reach_factor: float
    settings: dict[str, Any]


def plan_prediction(
    calibration: str | Path | Calibration,
    *,
    start: int,
    end: int,
    draws: int = DEFAULT_DRAWS,
    level: float = 0.9,
    prior: bool = False,
) -> PredictionPlan:
    """Check the arguments of :func:`predict` and build history's side (one-line errors).

    Raises
    ------
    ValueError
        A directory without a finished calibration, a window outside the COW data or
        shorter than two years, a number of draws below 1 or a level outside (0, 1).
    """
    from equipoise.calibrate.plan import plan_calibration
    from equipoise.calibrate.posterior import Calibration
    from equipoise.calibrate.simulator import Simulator
    from equipoise.validate.compare import STATISTICS

    cal = calibration if isinstance(calibration, Calibration) else Calibration.load(calibration)
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ValueError(f"The 'draws' parameter must be an integer >= 1. Got {draws!r}.")
    if not 0 < level < 1:
        raise ValueError(f"The 'level' parameter must be in (0, 1). Got {level!r}.")
    whole = cal.target.settings.get("comparison") == "whole_system"
    if not cal.of_history:
        raise ValueError(
            "Only a calibration of history's own scenario can predict another window (the "
            "default great powers, or --system without a scenario); this one calibrated "
            f"scenario '{cal.scenario.name}'."
        )
    main = [s for s in cal.target.statistics if s in STATISTICS]
    # the calibration's capability shares (or none, as it had none), of the new window
    shares = bool(cal.target.settings.get("capabilities"))
    plan = plan_calibration(
        None,
        start=start,
        end=end,
        parameters=cal.parameters,
        statistics=main,
        capability_weight=float(cal.target.settings["capability_weight"]) if shares else 0.0,
        system=whole,
    )
    factor = cal.reach_factor(plan.scenario)
    seed = int(cal.settings["seed"])
    simulator = Simulator(plan.scenario, cal.parameters, plan.target, seed)
    if prior:  # uniform draws of the priors, from the calibration's seed
        from equipoise.rng import derive_seed

        uniform = np.random.default_rng(derive_seed(seed, int(draws), salt=3))
        sample = pd.DataFrame(
            {p.name: uniform.uniform(p.low, p.high, int(draws)) for p in cal.parameters}
        )
        sample.insert(0, "draw", np.arange(int(draws)))
    else:
        sample = cal.draws(int(draws))
    fitted = (int(cal.settings["start"]), int(cal.settings["end"]))
    window = (int(plan.target.settings["start"]), int(plan.target.settings["end"]))
    settings = {
        "calibration": None if cal.directory is None else str(cal.directory),
        "fitted_start": fitted[0],
        "fitted_end": fitted[1],
        # years the calibration saw: a window that shares them is not out of sample
        "overlap": max(0, min(fitted[1], window[1]) - max(fitted[0], window[0]) + 1),
        "start": window[0],
        "end": window[1],
        "draws": int(draws),
        "level": float(level),
        "seed": seed,
        "whole_system": whole,
        "from": "prior" if prior else "posterior",
        "reach_factor": factor,
        "statistics": list(plan.target.names),
    }
    return PredictionPlan(
        calibration=cal,
        simulator=simulator,
        draws=sample,
        reach_factor=factor,
        settings=settings,
    )


def run_prediction(
    plan: PredictionPlan, *, progress: Callable[[int, int], None] | None = None
) -> Prediction:
    """Run a prediction planned by :func:`plan_prediction`.

    Draw ``k`` of the resampled posterior runs replication ``k`` of the calibration's seed,
    as :meth:`~equipoise.calibrate.Calibration.predictive` does.
    """
    from equipoise.calibrate.counterfactual import _draw_values  # same package
    from equipoise.engine import MODEL_VERSION
    from equipoise.validate.compare import compare_to_history

    started = time.perf_counter()
    names = plan.calibration.names
    target = plan.simulator.target
    rows = []
    total = len(plan.draws)
    if progress is not None:
        progress(0, total)
    for k, (_, row) in enumerate(plan.draws.iterrows()):
        values = _draw_values(row, names, plan.reach_factor)
        rows.append(plan.simulator.statistics(values, k))
        if progress is not None:
            progress(k + 1, total)
    simulated = pd.DataFrame(rows, columns=target.names)
    level = float(plan.settings["level"])
    table = compare_to_history(target.series(), simulated, level=level)
    # both samples (posterior particles, prior draws) number their rows in a "draw" column
    replications = pd.concat(
        [plan.draws[["draw", *names]].reset_index(drop=True), simulated], axis=1
    )
    settings = {**plan.settings, "seconds": time.perf_counter() - started}
    provenance = {
        "equipoise_version": __version__,
        "model_version": MODEL_VERSION,
        "numpy_version": np.__version__,
        "seed": settings["seed"],
        "calibration": settings["calibration"],
        "window": [settings["start"], settings["end"]],
        "scenario_hash": plan.simulator.scenario.content_hash(),
    }
    return Prediction(
        table=table, replications=replications, settings=settings, provenance=provenance
    )


def predict(
    calibration: str | Path | Calibration,
    *,
    start: int,
    end: int,
    draws: int = DEFAULT_DRAWS,
    level: float = 0.9,
    prior: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Prediction:
    """History of ``start``-``end`` against replications at a posterior (module docstring).

    Parameters
    ----------
    calibration : path or Calibration
        A finished calibration of a history scenario (the default cohort, or ``system``).
    start, end : int
        The window predicted (step 0 is history's system of ``start``).
    draws : int
        Posterior draws, resampled by weight, one replication each (default 200).
    level : float
        The central band (default 0.9).
    prior : bool
        Draw the parameters from the priors instead (module docstring): the baseline that
        shows what the calibration adds.
    progress : callable, optional
        Called with ``(done, draws)``.

    Returns
    -------
    Prediction
    """
    plan = plan_prediction(calibration, start=start, end=end, draws=draws, level=level, prior=prior)
    return run_prediction(plan, progress=progress)
