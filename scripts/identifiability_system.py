"""How much the whole-system statistics could tell about the parameters (docs/calibrate.md).

    python scripts/identifiability_system.py [--points N] [--replications N] [--workers N]
                                             [--out DIR]

Recovery (``scripts/recovery_system.py``) measures what the calibration learns from one
synthetic history: intervals spanning about 0.84 of their priors. This script asks what
*any* method could learn from the same 106 statistics, and why not more: the information
they carry about each parameter against the noise of a single replication.

A design of ``--points`` parameter vectors (a scrambled Sobol sequence over the nine
default priors, scaled to the unit cube) is simulated ``--replications`` times each
(whole system, 1816-1914, treaties, the calibration's statistics with the great powers'
shares). Then:

1. **Signal and noise, statistic by statistic**: the share of a statistic's variance over
   the prior that the parameters explain, ``1 - noise / total`` (noise: the mean variance
   between replications at the same point; total: the variance over all runs).
2. **The information of one history** (a Gaussian approximation, Fisher information):
   each statistic's mean as a quadratic in the nine scaled parameters (least squares on the
   points' means), its Jacobian ``J`` at each design point, the replications' covariance
   ``S`` (pooled within points, standardised), and ``I = J' S^-1 J`` per history. The
   Jacobian is fitted twice, on two disjoint halves of the replications, and the
   information is their cross product (``J_a' S^-1 J_b``, symmetrised), which the noise
   of the fits does not inflate. ``1 / sqrt(diag(I^-1))`` is the standard deviation of a
   parameter's posterior from ``k`` independent histories of this kind divided by
   ``sqrt(k)``; the 90% interval of a normal centred at the design point and truncated to
   the prior, as a share of the prior's range, is the predicted width; its median over the
   design points is comparable with recovery's median width (truths drawn from the prior).

3. **Recovery with what the statistics carry** (``--part recovery``): a reference table of
   ``--table`` runs, each at its own draw from the prior, and ``--truths`` synthetic
   histories (one replication at a truth drawn from the prior), calibrated by rejection
   ABC three ways at each of ``--accept`` (the share of the table kept): on the
   calibration's own distance (the weighted L1 of all the statistics, each scaled by its
   MAD plus MADO, undefined ones counting 0), on learned summaries (Fearnhead & Prangle
   2012, :class:`equipoise.calibrate.adjustment.SummaryProjection`, fitted on the first
   ``--pilot`` runs of the table, which are not used as particles), and on learned
   summaries with Beaumont et al.'s (2002) regression adjustment
   (:func:`equipoise.calibrate.adjustment.adjusted_posterior`). Per parameter: how often
   the 90% interval covers the truth and its median width as a share of the prior.

Prints the tables as Markdown and writes ``identifiability-system.csv`` (per parameter:
the predicted median width at 1, 2, 4, 8 and 16 histories, and the number of histories at
which it falls to 0.5), ``identifiability-system-statistics.csv`` (per statistic: the
share of variance explained, the fraction of runs where it is defined) and
``identifiability-system-recovery.csv`` (per method, acceptance and parameter: coverage and
median width) to ``--out`` (default ``docs/findings-data``). Seeds are fixed.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm, qmc

from equipoise._io import atomic_write_text
from equipoise.calibrate._pyabc import robust_scale
from equipoise.calibrate.adjustment import SummaryProjection, adjusted_posterior
from equipoise.calibrate.parameters import check_parameters, default_parameters
from equipoise.calibrate.posterior import weighted_quantile
from equipoise.calibrate.simulator import NULLABLE, Simulator
from equipoise.calibrate.whole_system import whole_system_target
from equipoise.history import scenario_from_history
from findings_rivals import markdown  # scripts/ is on the path when a script runs

SEED = 20261208
START, END = 1816, 1914
HISTORIES = (1, 2, 4, 8, 16)
#: Statistics defined in fewer runs than this share are left out of the information.
DEFINED = 0.98


def _simulator() -> tuple[Simulator, list]:
    scenario = scenario_from_history(START, states="all", entries=True, until=END)
    params = check_parameters(default_parameters(scenario), scenario)
    target = whole_system_target(scenario, start=START, end=END)
    return Simulator(scenario, params, target, SEED), params


def _simulate(job: tuple[list[dict[str, float]], list[int]]) -> np.ndarray:
    values, reps = job
    sim, _ = _simulator()
    return np.array([sim.statistics(v, r) for v, r in zip(values, reps, strict=True)])


def _features(u: np.ndarray) -> np.ndarray:
    """1, u, and the products u_i u_j (i <= j): a full quadratic in the scaled parameters."""
    n, d = u.shape
    cols = [np.ones(n)] + [u[:, i] for i in range(d)]
    cols += [u[:, i] * u[:, j] for i in range(d) for j in range(i, d)]
    return np.column_stack(cols)


def _jacobians(u: np.ndarray, means: np.ndarray) -> np.ndarray:
    """The fitted quadratic's Jacobian at every design point: (points, statistics, params)."""
    coef, *_ = np.linalg.lstsq(_features(u), means, rcond=None)  # (features, statistics)
    n, d = u.shape
    lin = coef[1 : 1 + d]  # (d, s)
    quad = coef[1 + d :]
    jac = np.broadcast_to(lin.T, (n, means.shape[1], d)).copy()
    k = 0
    for i in range(d):
        for j in range(i, d):
            q = quad[k]  # (s,)
            if i == j:
                jac[:, :, i] += 2 * u[:, [i]] * q
            else:
                jac[:, :, i] += u[:, [j]] * q
                jac[:, :, j] += u[:, [i]] * q
            k += 1
    return jac


def _width(sd: np.ndarray, centre: np.ndarray, level: float = 0.9) -> np.ndarray:
    """Width of the central ``level`` interval of N(centre, sd) truncated to [0, 1]."""
    lo, hi = norm.cdf((0 - centre) / sd), norm.cdf((1 - centre) / sd)
    tail = (1 - level) / 2
    a = norm.ppf(lo + tail * (hi - lo)) * sd + centre
    b = norm.ppf(hi - tail * (hi - lo)) * sd + centre
    return b - a


def _simulate_all(
    x: np.ndarray, reps: list[int], names: list[str], workers: int, label: str
) -> np.ndarray:
    """The statistics of one replication at each row of ``x``, ``reps[k]`` the k-th's index."""
    chunk = 64
    jobs = []
    for first in range(0, len(x), chunk):
        rows = range(first, min(first + chunk, len(x)))
        jobs.append(([dict(zip(names, x[k], strict=True)) for k in rows], [reps[k] for k in rows]))
    started = time.perf_counter()
    parts = []
    with ProcessPoolExecutor(workers) as pool:
        for i, part in enumerate(pool.map(_simulate, jobs)):
            parts.append(part)
            if (i + 1) % 20 == 0 or i + 1 == len(jobs):
                done = min((i + 1) * chunk, len(x))
                print(
                    f"  {label}: {done} of {len(x)} runs ({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
    return np.concatenate(parts)


def information(args: argparse.Namespace, sim: Simulator, params: list) -> list[pd.DataFrame]:
    """Parts 1 and 2: signal and noise by statistic, the information of one history."""
    names = list(sim.target.names)
    d = len(params)
    u = qmc.Sobol(d, scramble=True, seed=SEED).random(args.points)
    low = np.array([p.low for p in params])
    high = np.array([p.high for p in params])
    R = args.replications
    x = np.repeat(low + u * (high - low), R, axis=0)
    flat = _simulate_all(x, list(range(len(x))), [p.name for p in params], args.workers, "design")
    stats = flat.reshape(args.points, R, len(names))

    defined = np.isfinite(stats).mean(axis=(0, 1))
    total = np.nanvar(stats.reshape(-1, len(names)), axis=0, ddof=1)
    noise = np.nanmean(np.nanvar(stats, axis=1, ddof=1), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        explained = np.where(total > 0, 1 - noise / total, np.nan)
    per_stat = pd.DataFrame(
        {
            "statistic": names,
            "defined": defined,
            "explained": explained,
            "noise_sd": np.sqrt(noise),
            "total_sd": np.sqrt(total),
        }
    )

    keep = (defined >= DEFINED) & (noise > 0)
    s = stats[:, :, keep]
    complete = np.isfinite(s).all(axis=2)  # (points, reps)
    # an undefined value stands in for nothing: the point's mean of the other replications
    s = np.where(np.isfinite(s), s, np.nanmean(s, axis=1, keepdims=True))
    z = s / np.sqrt(noise[keep])
    dev = (z - z.mean(axis=1, keepdims=True))[complete]
    n_dev = int(complete.sum()) - args.points
    n_stat = int(keep.sum())
    # the inverse of an estimated covariance is biased up by n / (n - p - 2)
    precision = np.linalg.pinv(dev.T @ dev / n_dev) * (n_dev - n_stat - 2) / n_dev
    half = R // 2
    jac_a = _jacobians(u, z[:, :half].mean(axis=1))
    jac_b = _jacobians(u, z[:, half:].mean(axis=1))
    cross = np.einsum("nsi,st,ntj->nij", jac_a, precision, jac_b)
    info = (cross + cross.transpose(0, 2, 1)) / 2  # per history, per design point
    rows = []
    for i, p in enumerate(params):
        row: dict[str, object] = {"parameter": p.name}
        for k in HISTORIES:
            widths = []
            for m in range(args.points):
                try:
                    var = np.linalg.inv(k * info[m])[i, i]
                except np.linalg.LinAlgError:
                    var = np.inf
                # no information (or a cross product that is not positive): the prior's
                widths.append(_width(np.sqrt(var), u[m, i]) if 0 < var < np.inf else 0.9)
            row[f"width_{k}"] = float(np.median(widths))
        ks = [k for k in HISTORIES if row[f"width_{k}"] <= 0.5]
        row["histories_for_half"] = ks[0] if ks else np.nan
        rows.append(row)
    per_param = pd.DataFrame(rows)
    med = {f"width_{k}": float(per_param[f"width_{k}"].median()) for k in HISTORIES}
    per_param = pd.concat(
        [per_param, pd.DataFrame([{"parameter": "median of the nine", **med}])],
        ignore_index=True,
    )
    print(
        f"\n{n_stat} of {len(names)} statistics used ({n_dev} degrees of freedom); "
        "predicted median width of the 90% interval / prior, by number of histories:\n"
    )
    print(markdown(per_param.round(2)))
    top = per_stat.sort_values("explained", ascending=False)
    print("\nShare of each statistic's variance the parameters explain (top 15, bottom 5):\n")
    print(markdown(pd.concat([top.head(15), top.dropna().tail(5)]).round(3)))
    return [per_param, per_stat]


def _raw_distance(table: np.ndarray, observed: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The calibration's distance: weighted L1, scaled by MAD plus MADO, nan counting 0."""
    scale = robust_scale(samples=table, s0=observed)
    w = np.where(scale > 0, weights / np.where(scale > 0, scale, 1.0), 0.0)
    with np.errstate(invalid="ignore"):
        terms = np.abs(table - observed) * w
    return np.where(np.isfinite(terms), terms, 0.0).sum(axis=1)


def recovery(args: argparse.Namespace, sim: Simulator, params: list) -> list[pd.DataFrame]:
    """Part 3: rejection ABC on a reference table three ways, against known truths."""
    names = list(sim.target.names)
    d = len(params)
    rng = np.random.default_rng(SEED)
    n = args.table + args.truths
    u = rng.random((n, d))
    low = np.array([p.low for p in params])
    high = np.array([p.high for p in params])
    first = 5_000_000  # replications of their own, away from the design's
    stats = _simulate_all(
        low + u * (high - low),
        list(range(first, first + n)),
        [p.name for p in params],
        args.workers,
        "reference table",
    )
    pilot = slice(0, args.pilot)
    table = slice(args.pilot, args.table)
    truths = range(args.table, n)
    nullable = np.array([n in NULLABLE for n in names])
    projection = SummaryProjection.fit(u[pilot], stats[pilot], nullable=nullable)
    summaries = projection(stats[table])
    weights = np.array([float(sim.target.weights.get(s, 1.0)) for s in names])
    size = args.table - args.pilot
    rows = []
    for fraction in args.accept:
        accept = round(fraction * size)
        for method in ("calibration's distance", "learned summaries", "learned and adjusted"):
            covered, widths = [], []
            for k in truths:
                if method == "calibration's distance":
                    dist = _raw_distance(stats[table], stats[k], weights)
                    kept = np.argsort(dist, kind="stable")[:accept]
                    w = np.ones(accept) / accept
                    q = np.array(
                        [
                            [weighted_quantile(c, w, t) for c in u[table][kept].T]
                            for t in (0.05, 0.95)
                        ]
                    )
                else:
                    sample = adjusted_posterior(
                        u[table],
                        summaries,
                        projection(stats[k]),
                        projection.spread,
                        accept=accept,
                        adjust=method == "learned and adjusted",
                    )
                    q = sample.interval(0.9)
                covered.append((q[0] <= u[k]) & (u[k] <= q[1]))
                widths.append(q[1] - q[0])
            cov = np.mean(covered, axis=0)
            wid = np.median(widths, axis=0)
            for i, p in enumerate(params):
                rows.append(
                    {
                        "method": method,
                        "accept": fraction,
                        "parameter": p.name,
                        "coverage": cov[i],
                        "median_width": wid[i],
                    }
                )
            rows.append(
                {
                    "method": method,
                    "accept": fraction,
                    "parameter": "all nine",
                    "coverage": float(np.mean(covered)),
                    "median_width": float(np.median(wid)),
                }
            )
            print(
                f"  {method}, nearest {fraction:.0%}: coverage {np.mean(covered):.2f}, "
                f"median width {np.median(wid):.2f}",
                flush=True,
            )
    out = pd.DataFrame(rows)
    print(
        f"\n{args.truths} synthetic histories; reference table of {size} runs (pilot "
        f"{args.pilot}); coverage of the 90% intervals and their median width / prior:\n"
    )
    for value in ("coverage", "median_width"):
        wide = out.pivot_table(
            index="parameter", columns=["method", "accept"], values=value, sort=False
        )
        wide.columns = [f"{m[:12]} {a:.0%}" for m, a in wide.columns]
        print(f"{value}:\n")
        print(markdown(wide.round(2).reset_index()))
    return [out]


def main() -> None:
    """Run the parts asked for, print and write their tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("all", "information", "recovery"), default="all")
    parser.add_argument("--points", type=int, default=256)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--table", type=int, default=30_000)
    parser.add_argument("--pilot", type=int, default=6_000)
    parser.add_argument("--truths", type=int, default=300)
    parser.add_argument("--accept", type=float, nargs="+", default=[0.01, 0.03, 0.1])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("docs/findings-data"))
    args = parser.parse_args()
    if args.replications < 4 or args.replications % 2:
        parser.error("--replications must be an even number, at least 4")
    if not 0 < args.pilot < args.table:
        parser.error("--pilot must be between 0 and --table")
    sim, params = _simulator()
    labels = []
    frames = []
    if args.part in ("all", "information"):
        frames += information(args, sim, params)
        labels += ["identifiability-system", "identifiability-system-statistics"]
    if args.part in ("all", "recovery"):
        frames += recovery(args, sim, params)
        labels += ["identifiability-system-recovery"]
    for label, frame in zip(labels, frames, strict=True):
        path = args.out / f"{label}.csv"
        atomic_write_text(path, frame.to_csv(index=False))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
