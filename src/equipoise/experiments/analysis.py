"""Analysis of a finished sweep: outcomes per point, sensitivity, scenario discovery.

Three products, all from the per-replication rows of :func:`read_outcomes`:

1. **Outcomes per point** — hegemony rate with its 95% Wilson interval, time to
   hegemony (median onset among replications that reach it), survivors,
   concentration (Ray-Singer CON), final leader share and wars per step.
2. **Sensitivity indices** (``sobol`` and ``morris`` designs) for each outcome in
   :data:`SENSITIVITY_OUTCOMES`, computed by SALib with bootstrap confidence
   intervals: first-order and total Sobol' indices (Saltelli et al. 2010;
   Jansen 1999), or the Morris elementary-effect statistics mu*, mu and sigma
   (Morris 1991; Campolongo et al. 2007). ``grid`` and ``lhs`` designs get none. Each
   index is checked (:mod:`equipoise.experiments.diagnostics`): an interval wider than the
   index, or a Sobol' index outside [0, 1], is flagged, and an outcome too rare for the
   replications or indices too uncertain for the base samples get a warning saying what
   design would do.
3. **Scenario discovery** — a PRIM-style box (Friedman & Fisher 1999; Bryant &
   Lempert 2010): starting from the whole design, peel off a fraction
   ``alpha`` of the points at the low or high end of one parameter (or one level
   of a categorical one), whichever leaves the highest hegemony rate, until no
   peel raises it or the box would hold less than ``min_mass`` of the
   replications. The box's **density** is the hegemony rate inside it, its
   **coverage** the share of all hegemonic replications that fall inside, its
   **mass** the share of all replications inside.

References
----------
Bryant, B. P., & Lempert, R. J. (2010). Thinking inside the box. *Technological
    Forecasting and Social Change* 77(1), 34-49. https://doi.org/10.1016/j.techfore.2009.08.002
Campolongo, F., Cariboni, J., & Saltelli, A. (2007). An effective screening design for
    sensitivity analysis of large models. *Environmental Modelling & Software* 22(10),
    1509-1518. https://doi.org/10.1016/j.envsoft.2006.10.004
Friedman, J. H., & Fisher, N. I. (1999). Bump hunting in high-dimensional data.
    *Statistics and Computing* 9(2), 123-143. https://doi.org/10.1023/A:1008894516817
Saltelli, A., et al. (2010). Variance based sensitivity analysis of model output.
    *Computer Physics Communications* 181(2), 259-270.
    https://doi.org/10.1016/j.cpc.2009.09.018
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from equipoise import metrics
from equipoise._io import MARKER, atomic_dir
from equipoise._version import __version__
from equipoise.experiments.designs import require_salib
from equipoise.experiments.diagnostics import index_checks, sensitivity_warnings
from equipoise.experiments.directory import load_sweep, read_outcomes
from equipoise.experiments.spec import ANALYSIS_SALT, SweepSpec
from equipoise.rng import derive_seed

__all__ = ["SENSITIVITY_OUTCOMES", "Analysis", "analyse", "discover", "outcomes_by_point"]

#: Per-point outcomes whose sensitivity is analysed: name -> description.
SENSITIVITY_OUTCOMES: dict[str, str] = {
    "hegemony_rate": "share of replications that reach hegemony",
    "time_to_hegemony": "mean onset step, replications without hegemony counted at `steps`",
    "survivors": "mean number of states alive at the end",
    "mean_concentration": "Ray-Singer CON averaged over steps and replications",
}
_BOX_COLUMNS = [
    "parameter",
    "box_low",
    "box_high",
    "box_levels",
    "design_low",
    "design_high",
    "design_levels",
    "restricted",
]


@dataclass
class Analysis:
    """The analysis of a sweep (see :func:`analyse`).

    Attributes
    ----------
    spec : SweepSpec
        The sweep analysed.
    directory : Path
        Its directory.
    points : DataFrame
        One row per point: parameter values and outcomes.
    sensitivity : DataFrame or None
        One row per (outcome, parameter): ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` (sobol) or ``mu_star``, ``mu_star_conf``, ``mu``, ``sigma``
        (morris); ``*_conf`` are half-widths of the 95% bootstrap intervals; ``check``
        flags unreliable indices (:func:`~equipoise.experiments.diagnostics.index_checks`).
    second_order : DataFrame or None
        Sobol' ``S2`` and ``S2_conf`` per pair of parameters, if the design allows.
    box : DataFrame
        The discovered box: one row per varying parameter with its range (or
        levels) inside the box and over the whole design.
    box_stats : dict
        ``density``, ``coverage``, ``mass`` and ``points`` of the box.
    trajectory : DataFrame
        The peeling trajectory, one row per box from the whole design on.
    notes : list of str
        What could not be computed and why.
    warnings : list of str
        Why the sensitivity indices may not be trusted, and the design that would do
        (:func:`~equipoise.experiments.diagnostics.sensitivity_warnings`).
    """

    spec: SweepSpec
    directory: Path
    points: pd.DataFrame
    sensitivity: pd.DataFrame | None
    second_order: pd.DataFrame | None
    box: pd.DataFrame
    box_stats: dict[str, float]
    trajectory: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_csv(self, directory: str | Path) -> Path:
        """Write every table as CSV into ``directory``, atomically.

        Files: ``points.csv``, ``sensitivity.csv`` and
        ``sensitivity_second_order.csv`` (when computed), ``discovery_box.csv``,
        ``discovery_trajectory.csv`` and ``provenance.json``. An existing
        directory is replaced only if it is an earlier equipoise output. Numbers are
        written to 15 significant digits, so a grid level of 0.6 reads ``0.6``,
        not its binary neighbour ``0.6000000000000001`` (the sweep's Parquet files
        keep every bit).
        """
        tables = {
            "points.csv": self.points,
            "sensitivity.csv": self.sensitivity,
            "sensitivity_second_order.csv": self.second_order,
            "discovery_box.csv": self.box,
            "discovery_trajectory.csv": self.trajectory,
        }
        with atomic_dir(directory) as tmp:
            for name, table in tables.items():
                if table is not None:
                    table.to_csv(tmp / name, index=False, float_format="%.15g")
            prov = {
                "sweep": self.spec.name,
                "spec_hash": self.spec.content_hash(),
                "design": self.spec.design,
                "box": self.box_stats,
                "notes": self.notes,
                "warnings": self.warnings,
                "equipoise_version": __version__,
            }
            (tmp / MARKER).write_text(json.dumps(prov, indent=2) + "\n", encoding="utf-8")
        return Path(directory)


def outcomes_by_point(rows: pd.DataFrame, spec: SweepSpec) -> pd.DataFrame:
    """Aggregate per-replication rows (:func:`read_outcomes`) into one row per point.

    Columns: ``point``, the parameters, ``replications``, ``hegemonies``
    (replications reaching hegemony), ``hegemony_rate``,
    ``hegemony_ci_low``, ``hegemony_ci_high`` (95% Wilson), ``time_to_hegemony``
    (median onset among replications with hegemony, NaN if none),
    ``time_to_hegemony_restricted`` (mean onset counting ``steps`` for none),
    ``survivors``, ``mean_concentration``, ``final_leader_share``,
    ``wars_per_step``.
    """
    onset = rows["hegemony_onset"].to_numpy()
    hit = onset >= 0
    frame = pd.DataFrame(
        {
            "point": rows["point"].to_numpy(),
            "hit": hit,
            "onset_hit": np.where(hit, onset, np.nan),
            "onset_restricted": np.where(hit, onset, spec.steps).astype(np.float64),
            "survivors": rows["survivors"].to_numpy(np.float64),
            "mean_concentration": rows["mean_concentration"].to_numpy(),
            "final_leader_share": rows["final_leader_share"].to_numpy(),
            "wars": rows["wars"].to_numpy(np.float64),
        }
    )
    g = frame.groupby("point", sort=True)
    n = g.size().to_numpy()
    hits = g["hit"].sum().to_numpy()
    low, high = metrics.wilson_interval(hits, n)
    params = spec.points().set_index("point")
    out = params.loc[g.size().index].reset_index()
    out["replications"] = n
    out["hegemonies"] = hits
    out["hegemony_rate"] = hits / n
    out["hegemony_ci_low"] = low
    out["hegemony_ci_high"] = high
    out["time_to_hegemony"] = g["onset_hit"].median().to_numpy()
    out["time_to_hegemony_restricted"] = g["onset_restricted"].mean().to_numpy()
    out["survivors"] = g["survivors"].mean().to_numpy()
    out["mean_concentration"] = g["mean_concentration"].mean().to_numpy()
    out["final_leader_share"] = g["final_leader_share"].mean().to_numpy()
    out["wars_per_step"] = g["wars"].sum().to_numpy() / (n * spec.steps)
    return out


def _sensitivity_values(points: pd.DataFrame) -> dict[str, np.ndarray]:
    return {
        "hegemony_rate": points["hegemony_rate"].to_numpy(np.float64),
        "time_to_hegemony": points["time_to_hegemony_restricted"].to_numpy(np.float64),
        "survivors": points["survivors"].to_numpy(np.float64),
        "mean_concentration": points["mean_concentration"].to_numpy(np.float64),
    }


def sensitivity(
    spec: SweepSpec, points: pd.DataFrame, num_resamples: int = 200, conf_level: float = 0.95
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[str]]:
    """Sobol' or Morris indices of each outcome, with bootstrap confidence intervals.

    Returns
    -------
    (first/total or Morris table, second-order table, notes)
    """
    if spec.design not in ("sobol", "morris"):
        return (
            None,
            None,
            [f"no sensitivity indices for a {spec.design} design (use sobol or morris)"],
        )
    problem = spec.problem()
    names = problem["names"]
    rows: list[dict[str, Any]] = []
    pairs: list[dict[str, Any]] = []
    notes: list[str] = []
    for k, (outcome, y) in enumerate(_sensitivity_values(points).items()):
        seed = derive_seed(spec.seed, k, salt=ANALYSIS_SALT)
        if not np.isfinite(y).all() or np.ptp(y) == 0:
            why = "is constant across points" if np.isfinite(y).all() else "has missing values"
            notes.append(f"{outcome} {why}: no indices")
            for name in names:
                rows.append({"outcome": outcome, "parameter": name})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if spec.design == "sobol":
                analyze = require_salib("analyze.sobol")
                res = analyze.analyze(
                    problem,
                    y,
                    calc_second_order=bool(spec.second_order),
                    num_resamples=num_resamples,
                    conf_level=conf_level,
                    seed=seed,
                )
                for i, name in enumerate(names):
                    rows.append(
                        {
                            "outcome": outcome,
                            "parameter": name,
                            "S1": float(res["S1"][i]),
                            "S1_conf": float(res["S1_conf"][i]),
                            "ST": float(res["ST"][i]),
                            "ST_conf": float(res["ST_conf"][i]),
                        }
                    )
                if spec.second_order:
                    for i in range(len(names)):
                        for j in range(i + 1, len(names)):
                            pairs.append(
                                {
                                    "outcome": outcome,
                                    "parameter_1": names[i],
                                    "parameter_2": names[j],
                                    "S2": float(res["S2"][i, j]),
                                    "S2_conf": float(res["S2_conf"][i, j]),
                                }
                            )
            else:
                analyze = require_salib("analyze.morris")
                res = analyze.analyze(
                    problem,
                    spec.design_matrix(),
                    y,
                    num_resamples=num_resamples,
                    conf_level=conf_level,
                    num_levels=spec.morris_levels or 4,
                    seed=seed,
                )
                for i, name in enumerate(names):
                    rows.append(
                        {
                            "outcome": outcome,
                            "parameter": name,
                            "mu_star": float(np.ma.filled(res["mu_star"], np.nan)[i]),
                            "mu_star_conf": float(np.ma.filled(res["mu_star_conf"], np.nan)[i]),
                            "mu": float(np.ma.filled(res["mu"], np.nan)[i]),
                            "sigma": float(np.ma.filled(res["sigma"], np.nan)[i]),
                        }
                    )
    columns = (
        ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
        if spec.design == "sobol"
        else ["outcome", "parameter", "mu_star", "mu_star_conf", "mu", "sigma"]
    )
    table = pd.DataFrame(rows).reindex(columns=columns)
    table["check"] = index_checks(table, spec.design)
    second = pd.DataFrame(pairs) if spec.design == "sobol" and spec.second_order else None
    return table, second, notes


def discover(
    points: pd.DataFrame,
    factors: dict[str, str],
    hits: np.ndarray,
    trials: np.ndarray,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> tuple[pd.DataFrame, dict[str, float], pd.DataFrame]:
    """Find the box of parameter space where the outcome is most frequent (PRIM).

    Peeling (Friedman & Fisher 1999): repeatedly drop the ``alpha`` share of
    the box's points at the low or high end of one numeric factor, or one level
    of a categorical factor, whichever leaves the highest rate, while that
    rate rises and the box keeps ``min_mass`` of the replications. Pasting
    then widens the box again one value at a time wherever that does not
    lower the rate, recovering coverage lost to coarse peels.

    Parameters
    ----------
    points : DataFrame
        One row per point with a column per factor.
    factors : dict
        Factor name -> kind (``float``, ``int``: an interval; ``bool``,
        ``str``: a set of levels).
    hits, trials : arrays
        Replications with the outcome, and replications, at each point.
    alpha : float
        Share of the box's points removed by one peel.
    min_mass : float
        Smallest share of all replications a box may keep.

    Returns
    -------
    (box, stats, trajectory)
        ``box`` has one row per factor with its range (or levels) inside the
        box and over the design; ``stats`` the box's ``density``,
        ``coverage``, ``mass`` and ``points``; ``trajectory`` one row per
        peel or paste.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> pts = pd.DataFrame({"x": np.arange(100) / 100, "y": np.tile([0.0, 1.0], 50)})
    >>> hits = np.where(pts["x"] >= 0.7, 10, 0)            # only x matters
    >>> box, stats, _ = discover(pts, {"x": "float", "y": "float"}, hits, np.full(100, 10))
    >>> stats["density"], stats["coverage"]
    (1.0, 1.0)
    >>> box[["parameter", "box_low", "box_high", "restricted"]].values.tolist()
    [['x', 0.7, 0.99, True], ['y', 0.0, 1.0, False]]
    """
    hits = np.asarray(hits, dtype=np.float64)
    trials = np.asarray(trials, dtype=np.float64)
    total_hits, total_trials = hits.sum(), trials.sum()
    box = _Box(points, factors)

    def stats(mask: np.ndarray) -> dict[str, Any]:
        t, h = trials[mask].sum(), hits[mask].sum()
        return {
            "density": float(h / t) if t else float("nan"),
            "coverage": float(h / total_hits) if total_hits else float("nan"),
            "mass": float(t / total_trials) if total_trials else float("nan"),
            "points": int(mask.sum()),
        }

    def density(mask: np.ndarray) -> float:
        t = trials[mask].sum()
        return float(hits[mask].sum() / t) if t else -1.0

    trajectory = [{"step": 0, "move": "", **stats(box.mask())}]
    if total_hits > 0:
        while True:  # peel
            inside = box.mask()
            best: tuple[float, float, str, _Move] | None = None
            for move in box.peels(alpha):
                keep = box.mask_after(move)
                t = trials[keep].sum()
                if not keep.any() or t < min_mass * total_trials:
                    continue
                key = (density(keep), t)
                if best is None or key > best[:2]:
                    best = (*key, move.label, move)
            if best is None or best[0] <= density(inside) + 1e-12:
                break
            box.apply(best[3])
            trajectory.append({"step": len(trajectory), "move": best[2], **stats(box.mask())})
        while True:  # paste
            current = density(box.mask())
            best = None
            for move in box.pastes():
                grown = box.mask_after(move)
                key = (density(grown), trials[grown].sum())
                if key[0] >= current - 1e-12 and (best is None or key > best[:2]):
                    best = (*key, move.label, move)
            if best is None:
                break
            box.apply(best[3])
            trajectory.append({"step": len(trajectory), "move": best[2], **stats(box.mask())})
    return box.table(), stats(box.mask()), pd.DataFrame(trajectory)


class _Move:
    """A change of one factor's limits: new (low, high) or new level set."""

    def __init__(self, name: str, limits: Any, label: str) -> None:
        self.name, self.limits, self.label = name, limits, label


class _Box:
    """Limits on each factor: an interval for numbers, a set of levels otherwise."""

    def __init__(self, points: pd.DataFrame, factors: dict[str, str]) -> None:
        self.factors = factors
        self.values: dict[str, np.ndarray] = {}
        self.limits: dict[str, Any] = {}
        for name, kind in factors.items():
            if kind in ("float", "int"):
                v = points[name].to_numpy(np.float64)
                self.limits[name] = (v.min(), v.max())
            else:
                v = np.array([str(x) for x in points[name]], dtype=object)
                self.limits[name] = frozenset(v)
            self.values[name] = v
        self.n = len(points)

    def numeric(self, name: str) -> bool:
        return self.factors[name] in ("float", "int")

    def _within(self, name: str, limits: Any) -> np.ndarray:
        v = self.values[name]
        if self.numeric(name):
            return (v >= limits[0]) & (v <= limits[1])
        return np.isin(v, list(limits))

    def mask(self, skip: str | None = None) -> np.ndarray:
        out = np.ones(self.n, dtype=bool)
        for name, limits in self.limits.items():
            if name != skip:
                out &= self._within(name, limits)
        return out

    def mask_after(self, move: _Move) -> np.ndarray:
        return self.mask(skip=move.name) & self._within(move.name, move.limits)

    def apply(self, move: _Move) -> None:
        self.limits[move.name] = move.limits

    def peels(self, alpha: float) -> list[_Move]:
        inside = self.mask()
        moves = []
        for name in self.factors:
            v = self.values[name][inside]
            if self.numeric(name):
                lo, hi = self.limits[name]
                if v.min() == v.max():
                    continue
                above = v[v >= np.quantile(v, alpha)]
                new_lo = above.min() if above.min() > v.min() else v[v > v.min()].min()
                below = v[v <= np.quantile(v, 1 - alpha)]
                new_hi = below.max() if below.max() < v.max() else v[v < v.max()].max()
                moves.append(_Move(name, (new_lo, hi), f"{name} >= {new_lo:g}"))
                moves.append(_Move(name, (lo, new_hi), f"{name} <= {new_hi:g}"))
            else:
                present = sorted(set(v))
                if len(present) > 1:
                    for level in present:
                        rest = self.limits[name] - {level}
                        moves.append(_Move(name, rest, f"{name} != {level}"))
        return moves

    def pastes(self) -> list[_Move]:
        moves = []
        for name in self.factors:
            others = self.mask(skip=name)
            v = self.values[name][others]
            if self.numeric(name):
                lo, hi = self.limits[name]
                lower, higher = v[v < lo], v[v > hi]
                if lower.size:
                    moves.append(_Move(name, (lower.max(), hi), f"{name} >= {lower.max():g}"))
                if higher.size:
                    moves.append(_Move(name, (lo, higher.min()), f"{name} <= {higher.min():g}"))
            else:
                for level in sorted(set(v) - self.limits[name]):
                    moves.append(_Move(name, self.limits[name] | {level}, f"{name} += {level}"))
        return moves

    def table(self) -> pd.DataFrame:
        rows = []
        inside = self.mask()
        for name in self.factors:
            v = self.values[name]
            if self.numeric(name):
                lo, hi = v[inside].min(), v[inside].max()
                row = {
                    "parameter": name,
                    "box_low": lo,
                    "box_high": hi,
                    "design_low": v.min(),
                    "design_high": v.max(),
                    "restricted": bool(lo > v.min() or hi < v.max()),
                }
            else:
                box_levels, all_levels = sorted(set(v[inside])), sorted(set(v))
                row = {
                    "parameter": name,
                    "box_levels": " ".join(box_levels),
                    "design_levels": " ".join(all_levels),
                    "restricted": len(box_levels) < len(all_levels),
                }
            rows.append(row)
        return pd.DataFrame(rows, columns=_BOX_COLUMNS)


def analyse(
    directory: str | Path,
    *,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    num_resamples: int = 200,
) -> Analysis:
    """Analyse a finished sweep directory.

    Parameters
    ----------
    directory : path
        A sweep directory (written by :func:`sweep`).
    alpha, min_mass : float
        Peeling fraction and smallest box mass of the scenario discovery.
    num_resamples : int
        Bootstrap resamples of the sensitivity confidence intervals.

    Returns
    -------
    Analysis

    Raises
    ------
    IncompleteSweepError
        If the sweep has not finished.
    """
    for name, value, lo, hi in (("alpha", alpha, 0.0, 0.5), ("min_mass", min_mass, 0.0, 1.0)):
        if not lo < value < hi:
            raise ValueError(f"{name} must be in ({lo}, {hi}), got {value}")
    spec = load_sweep(directory)
    rows = read_outcomes(directory, spec)
    points = outcomes_by_point(rows, spec)
    table, second, notes = sensitivity(spec, points, num_resamples=num_resamples)
    warned = (
        []
        if table is None
        else sensitivity_warnings(table, points, spec.design, spec.samples or 0, spec.replications)
    )
    hits = points["hegemonies"].to_numpy()
    factors = spec.factor_kinds()
    if not factors:
        notes.append("no parameter varies: nothing to discover")
    elif hits.sum() == 0:
        notes.append("no replication reached hegemony: the box is the whole design")
    box, stats, trajectory = discover(
        points, factors, hits, points["replications"].to_numpy(), alpha=alpha, min_mass=min_mass
    )
    return Analysis(
        spec=spec,
        directory=Path(directory),
        points=points,
        sensitivity=table,
        second_order=second,
        box=box,
        box_stats=stats,
        trajectory=trajectory,
        notes=notes,
        warnings=warned,
    )
