"""The result of a calibration: the posterior, the calibrated scenario and the checks.

A :class:`Calibration` holds the last ABC-SMC population: weighted particles (importance
weights of ABC-SMC, summing to 1), each a parameter vector with its distance to the data;
with the ``"adjusted"`` method (:mod:`equipoise.calibrate.reference`), the adjusted
particles of the reference table, weighted by the kernel of their distance.
Its files, in the calibration directory (:mod:`equipoise.calibrate.plan`):

- ``posterior.parquet``: one row per particle, ``draw`` (0 ... n-1), the parameters,
  ``weight`` and ``distance``; the file's metadata (key ``equipoise``) and
  ``provenance.json`` hold the provenance (versions, scenario hash, seed, years, settings,
  simulations, time);
- ``calibrated.toml``: the scenario at the posterior median of each parameter (a marginal
  median each: the vector of medians need not be a particle);
- ``predictive.csv``: the posterior predictive ``validate`` table: history against
  replications at posterior draws (one replication per draw, draws resampled by weight), the
  simulated median and 90 % interval of each statistic and whether history lies inside;
- ``generations.csv``: epsilon, simulations, acceptance rate and effective sample size of
  every generation.

:func:`scenario_from_posterior` (``scenario_from_posterior``) returns the calibrated
scenario, or the scenario at one particle.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from equipoise._io import MARKER, atomic_write_text
from equipoise._json import jsonable
from equipoise._version import __version__
from equipoise.calibrate.parameters import Parameter, apply_parameters
from equipoise.calibrate.simulator import Simulator, Target

if TYPE_CHECKING:
    from equipoise.calibrate.plan import CalibrationPlan
    from equipoise.scenario import Scenario

__all__ = [
    "Calibration",
    "load_calibration",
    "resample",
    "scenario_from_posterior",
    "weighted_quantile",
]

#: How each calibration method is named in a calibrated scenario's description.
METHOD_LABELS = {
    "smc": "ABC-SMC",
    "adjusted": "ABC on learned summaries with regression adjustment",
}


def weighted_quantile(
    values: Sequence[float] | np.ndarray, weights: Sequence[float] | np.ndarray, q: float
) -> float:
    """The ``q`` quantile of a weighted sample.

    The smallest value whose cumulative weight reaches ``q`` of the total (the inverse of
    the weighted empirical distribution).

    Examples
    --------
    >>> weighted_quantile([1.0, 2.0, 3.0], [0.2, 0.2, 0.6], 0.5)
    3.0
    >>> weighted_quantile([1.0, 2.0, 3.0], [1, 1, 1], 0.5)
    2.0
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if v.size == 0 or v.shape != w.shape or not (w >= 0).all() or w.sum() <= 0:
        raise ValueError("A weighted quantile needs values and non-negative weights, not all 0.")
    if not 0 <= q <= 1:
        raise ValueError(f"The quantile must be in [0, 1]. Got {q!r} instead.")
    order = np.argsort(v, kind="stable")
    cum = np.cumsum(w[order]) / w.sum()
    index = int(np.searchsorted(cum, q - 1e-12, side="left"))
    return float(v[order][min(index, v.size - 1)])


def resample(weights: Sequence[float] | np.ndarray, n: int, seed: int) -> np.ndarray:
    """Indices of ``n`` draws from a weighted sample (systematic resampling; Kitagawa 1996).

    Every particle appears ``floor(n w)`` or ``ceil(n w)`` times; one uniform number from
    ``seed`` places the comb.

    References
    ----------
    Kitagawa, G. (1996). Monte Carlo filter and smoother for non-Gaussian nonlinear state
        space models. *Journal of Computational and Graphical Statistics*, 5(1), 1-25.

    Examples
    --------
    >>> resample([0.5, 0.25, 0.25], 4, seed=1).tolist()
    [0, 0, 1, 2]
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0 or not (w >= 0).all() or w.sum() <= 0:
        raise ValueError("Resampling needs non-negative weights, not all 0.")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"The number of draws must be an integer >= 1. Got {n!r}.")
    u = (np.random.default_rng(seed).random() + np.arange(n)) / n
    cum = np.cumsum(w / w.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, u, side="right").astype(np.int64)


def _write_parquet(frame: pd.DataFrame, path: Path, meta: Mapping[str, Any]) -> None:
    """Write a Parquet file atomically (temporary name, then a rename)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    extra = {b"equipoise": json.dumps(meta, allow_nan=False).encode("utf-8")}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **extra})
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True, eq=False)
class Calibration:
    """A calibration's posterior and what produced it.

    Attributes
    ----------
    posterior : DataFrame
        The last population: ``draw``, one column per parameter, ``weight`` (summing to 1)
        and ``distance``.
    parameters : tuple of Parameter
        The calibrated parameters and their uniform priors.
    scenario : Scenario
        The scenario calibrated (the parameters' values in it are replaced by draws).
    target : Target
        The data fitted.
    generations : DataFrame
        One row per generation: ``generation``, ``epsilon``, ``simulations``,
        ``particles``, ``acceptance_rate``, ``ess`` and ``seconds``.
    settings : dict
        The ABC settings, the seed, the years, the simulations run and the time taken.
    directory : Path, optional
        Where it is saved.
    """

    posterior: pd.DataFrame
    parameters: tuple[Parameter, ...]
    scenario: Scenario
    target: Target
    generations: pd.DataFrame
    settings: dict[str, Any]
    directory: Path | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ build
    @classmethod
    def from_history(cls, plan: CalibrationPlan, history: Any, seconds: float) -> Calibration:
        """The result of a run from pyabc's History (its last population)."""
        names = [p.name for p in plan.parameters]
        t = int(history.max_t)
        if t < 0:
            raise ValueError("The calibration has no generation yet: nothing to report.")
        population = history.get_population(t=t)
        rows = []
        for k, particle in enumerate(population.particles):
            rows.append(
                {
                    "draw": k,
                    **{n: float(particle.parameter[n]) for n in names},
                    "weight": float(particle.weight),
                    "distance": float(particle.distance),
                }
            )
        posterior = pd.DataFrame(rows)
        posterior["weight"] = posterior["weight"] / posterior["weight"].sum()
        pops = history.get_all_populations()
        pops = pops[pops["t"] >= 0].sort_values("t").reset_index(drop=True)
        ess = []
        for g in pops["t"]:
            w = history.get_weighted_distances(t=int(g))["w"].to_numpy(dtype=np.float64)
            w = w / w.sum()
            ess.append(float(1.0 / np.sum(w**2)))
        generations = pd.DataFrame(
            {
                "generation": pops["t"].astype(np.int64),
                "epsilon": pops["epsilon"].astype(np.float64),
                "simulations": pops["samples"].astype(np.int64),
                "particles": pops["particles"].astype(np.int64),
                "acceptance_rate": pops["particles"] / pops["samples"],
                "ess": ess,
                "seconds": pops["wall_time"].astype(np.float64),
            }
        )
        simulations = int(history.total_nr_simulations) + plan.settings.population_size
        return cls.from_sample(plan, posterior, generations, simulations, seconds)

    @classmethod
    def from_sample(
        cls,
        plan: CalibrationPlan,
        posterior: pd.DataFrame,
        generations: pd.DataFrame,
        simulations: int,
        seconds: float,
    ) -> Calibration:
        """The result of a run from its weighted particles and its generations' table."""
        from dataclasses import asdict

        settings = {
            **asdict(plan.settings),
            "seed": plan.seed,
            "start": int(plan.target.settings["start"]),
            "end": int(plan.target.settings["end"]),
            "steps": plan.steps,
            "comparison": plan.target.settings["comparison"],
            "source": plan.target.settings.get("source", "history"),
            "default_scenario": plan.default_scenario,
            "simulations": int(simulations),
            "seconds": float(seconds),
            "fingerprint": plan.fingerprint,
        }
        return cls(
            posterior=posterior,
            parameters=plan.parameters,
            scenario=plan.scenario,
            target=plan.target,
            generations=generations,
            settings=settings,
            directory=plan.directory,
        )

    # ------------------------------------------------------------- summaries
    @property
    def names(self) -> list[str]:
        """The calibrated parameters' names."""
        return [p.name for p in self.parameters]

    def median(self) -> dict[str, float]:
        """The posterior median of each parameter (weighted)."""
        w = self.posterior["weight"].to_numpy()
        return {n: weighted_quantile(self.posterior[n].to_numpy(), w, 0.5) for n in self.names}

    @property
    def of_history(self) -> bool:
        """Whether the scenario calibrated is history's own, not one of the user's.

        True for the default calibration (the great powers of the first year) and for a
        whole-system calibration of ``scenario_from_history(start, states="all",
        entries=True, until=end)``: their maps are history's, so a calibrated reach can be
        carried to another year's map in kilometres, and another window can be predicted
        from history's system of its first year (:mod:`equipoise.calibrate.predict`).
        """
        if self.settings.get("default_scenario", False):
            return True
        if self.target.settings.get("comparison") != "whole_system":
            return False
        if "of_history" not in self._cache:
            from equipoise.history import scenario_from_history

            start, end = int(self.settings["start"]), int(self.settings["end"])
            default = scenario_from_history(start, states="all", entries=True, until=end)
            self._cache["of_history"] = default.content_hash() == self.scenario.content_hash()
        return bool(self._cache["of_history"])

    def reach_factor(self, scenario: Scenario) -> float:
        """What a calibrated ``power.reach`` is multiplied by to mean the same on ``scenario``.

        A reach is in provinces of a map; history's maps differ in scale from year to year,
        so a reach calibrated on history's own scenario (:attr:`of_history`) is carried to
        another history scenario at the same distance in kilometres. 1 when the reach is
        not calibrated or the scenario calibrated is a user's.
        """
        if "power.reach" not in self.names or not self.of_history:
            return 1.0
        return float(scenario.power.reach) / float(self.scenario.power.reach)

    def interval(self, level: float = 0.9) -> pd.DataFrame:
        """Posterior median, mean and central ``level`` interval of each parameter.

        Returns
        -------
        DataFrame
            One row per parameter: ``parameter``, ``prior_low``, ``prior_high``, ``mean``,
            ``median``, ``low``, ``high`` (the ``(1 - level) / 2`` and
            ``(1 + level) / 2`` weighted quantiles) and ``width``, the interval's width as a
            share of the prior's: the identifiability (about ``level`` for a parameter the
            data say nothing about, small for one they pin down). ``attrs["level"]``.
        """
        if not 0 < level < 1:
            raise ValueError(f"The 'level' parameter must be in (0, 1). Got {level!r}.")
        w = self.posterior["weight"].to_numpy()
        lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
        rows = []
        for p in self.parameters:
            v = self.posterior[p.name].to_numpy()
            rows.append(
                {
                    "parameter": p.name,
                    "prior_low": p.low,
                    "prior_high": p.high,
                    "mean": float(np.sum(v * w) / np.sum(w)),
                    "median": weighted_quantile(v, w, 0.5),
                    "low": weighted_quantile(v, w, lo_q),
                    "high": weighted_quantile(v, w, hi_q),
                }
            )
        out = pd.DataFrame(rows)
        out["width"] = (out["high"] - out["low"]) / (out["prior_high"] - out["prior_low"])
        out.attrs["level"] = float(level)
        return out

    def draws(self, n: int, seed: int | None = None) -> pd.DataFrame:
        """``n`` equally weighted draws (rows of :attr:`posterior`, resampled by weight)."""
        seed = int(self.settings["seed"]) if seed is None else int(seed)
        index = resample(self.posterior["weight"].to_numpy(), n, seed)
        return self.posterior.iloc[index].reset_index(drop=True)

    def scenario_at(self, draw: int | None = None) -> Scenario:
        """The scenario at the posterior median (``draw=None``) or at particle ``draw``."""
        base = self.scenario
        if draw is None:
            values = self.median()
            label = "calibrated"
        else:
            if isinstance(draw, bool) or not isinstance(draw, int | np.integer):
                raise ValueError(f"The 'draw' parameter must be an integer. Got {draw!r}.")
            if not 0 <= int(draw) < len(self.posterior):
                raise ValueError(
                    f"The 'draw' parameter must be in 0-{len(self.posterior) - 1} (the "
                    f"posterior's particles). Got {draw} instead."
                )
            row = self.posterior.iloc[int(draw)]
            values = {n: float(row[n]) for n in self.names}
            label = f"draw{int(draw)}"
        name = f"{base.name}-{label}"
        if len(name) > 64:
            name = f"{base.name[: 63 - len(label)]}-{label}"
        how = METHOD_LABELS[str(self.settings.get("method", "smc"))]
        described = (
            f"{base.description} Calibrated by {how} (equipoise calibrate, "
            f"{self.settings['start']}-{self.settings['end']}): "
            + ", ".join(f"{k} = {v:.6g}" for k, v in values.items())
            + (" (posterior medians)." if draw is None else f" (particle {int(draw)}).")
        ).strip()
        return apply_parameters(base, values).replace(name=name, description=described)

    def predictive(self, draws: int | None = None, level: float = 0.9) -> pd.DataFrame:
        """The posterior predictive ``validate`` table: history against posterior draws.

        ``draws`` posterior draws (default the settings' ``predictive_draws``), resampled by
        weight, one replication each (replication ``k`` of the seed for draw ``k``); every
        statistic of the data measured as in the calibration, compared with history by
        :func:`~equipoise.validate.compare_to_history`.
        """
        from equipoise.validate.compare import compare_to_history

        n = int(self.settings.get("predictive_draws", 200)) if draws is None else int(draws)
        key = f"predictive-{n}-{level}"
        if key in self._cache:
            cached: pd.DataFrame = self._cache[key]
            return cached
        sample = self.draws(n)
        simulator = Simulator(self.scenario, self.parameters, self.target, self.settings["seed"])
        rows = []
        for k, row in sample.iterrows():
            values = {p: float(row[p]) for p in self.names}
            rows.append(simulator.statistics(values, int(k)))  # type: ignore[call-overload]
        simulated = pd.DataFrame(rows, columns=self.target.names)
        table = compare_to_history(self.target.series(), simulated, level=level)
        self._cache[key] = table
        return table

    # ------------------------------------------------------------------ files
    def provenance(self) -> dict[str, Any]:
        """What produced this calibration (written to ``provenance.json`` and the Parquet)."""
        import platform

        import numba
        import pyabc

        from equipoise.engine import MODEL_VERSION
        from equipoise.rng import CONTRACT_VERSION

        return {
            "command": "calibrate",
            "equipoise_version": __version__,
            "model_version": MODEL_VERSION,
            "rng_contract": CONTRACT_VERSION,
            "pyabc_version": pyabc.__version__,
            "numpy_version": np.__version__,
            "numba_version": numba.__version__,
            "python_version": platform.python_version(),
            "scenario_name": self.scenario.name,
            "scenario_hash": self.scenario.content_hash(),
            "parameters": [[p.name, p.low, p.high] for p in self.parameters],
            "target": self.target.settings.get("source", "history"),
            **{k: v for k, v in self.settings.items()},
        }

    def write(self, directory: str | Path) -> Path:
        """Write the results into a calibration directory, file by file, atomically."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        prov = jsonable(self.provenance())
        _write_parquet(self.posterior, directory / "posterior.parquet", prov)
        atomic_write_text(directory / "calibrated.toml", self.scenario_at(None).to_toml())
        atomic_write_text(
            directory / "generations.csv",
            self.generations.to_csv(index=False, float_format="%.10g"),
        )
        table = self.predictive()
        atomic_write_text(
            directory / "predictive.csv", table.to_csv(index=False, float_format="%.10g")
        )
        atomic_write_text(
            directory / "posterior-summary.csv",
            self.interval().to_csv(index=False, float_format="%.10g"),
        )
        atomic_write_text(directory / MARKER, json.dumps(prov, indent=2, allow_nan=False) + "\n")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> Calibration:
        """A saved calibration; one-line ``ValueError`` if ``directory`` does not hold one."""
        from equipoise.calibrate.plan import CALIBRATION_FILE
        from equipoise.scenario import Scenario

        directory = Path(directory)
        record_path = directory / CALIBRATION_FILE
        if not record_path.is_file():
            raise ValueError(
                f"{directory} is not an equipoise calibration (no {CALIBRATION_FILE})."
            )
        posterior_path = directory / "posterior.parquet"
        if not posterior_path.is_file():
            raise ValueError(
                f"{directory} holds an unfinished calibration (no posterior.parquet): run the "
                "same `equipoise calibrate` command again to resume it."
            )
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            posterior = pd.read_parquet(posterior_path)
            scenario = Scenario.load(directory / "scenario.toml")
            prov = json.loads((directory / MARKER).read_text(encoding="utf-8"))
            generations = pd.read_csv(directory / "generations.csv")
        except (OSError, ValueError) as exc:
            raise ValueError(f"{directory}: cannot read the calibration: {exc}") from None
        params = tuple(Parameter(n, float(a), float(b)) for n, a, b in prov["parameters"])
        t = record["target"]
        values = {k: (float("nan") if v is None else float(v)) for k, v in t["values"].items()}
        target = Target(
            values=values,
            statistics=tuple(t["statistics"]),
            weights={k: float(v) for k, v in t["weights"].items()},
            settings=dict(t["settings"]),
        )
        missing = [p.name for p in params if p.name not in posterior.columns]
        if missing:
            raise ValueError(f"{posterior_path} has no column {missing[0]!r}.")
        keep = (
            "population_size", "budget", "generations", "min_epsilon", "p", "batch_size",
            "predictive_draws", "method", "accept", "pilot", "seed", "start", "end", "steps",
            "comparison", "source", "default_scenario", "simulations", "seconds", "fingerprint",
            "tolerance_rank",
        )  # fmt: skip
        settings = {k: prov[k] for k in keep if k in prov}
        return cls(
            posterior=posterior,
            parameters=params,
            scenario=scenario,
            target=target,
            generations=generations,
            settings=settings,
            directory=directory,
        )

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"Calibration({self.scenario.name}, {s['start']}-{s['end']}, "
            f"{len(self.parameters)} parameters, {len(self.generations)} generations, "
            f"{s['simulations']} simulations, {len(self.posterior)} particles)"
        )


def load_calibration(directory: str | Path) -> Calibration:
    """:meth:`Calibration.load`."""
    return Calibration.load(directory)


def scenario_from_posterior(directory: str | Path, draw: int | None = None) -> Scenario:
    """The calibrated scenario of a calibration directory, or its scenario at one particle.

    Parameters
    ----------
    directory : path
        A finished calibration (``equipoise calibrate -o DIR``).
    draw : int, optional
        A particle (row ``draw`` of ``posterior.parquet``); default the posterior median of
        each parameter (``calibrated.toml``).

    Returns
    -------
    Scenario

    Raises
    ------
    ValueError
        ``directory`` holds no finished calibration, or ``draw`` is not a particle.
    """
    return Calibration.load(directory).scenario_at(draw)
