"""Tutorial: run a sweep on a cluster, to find how much balancing it takes, against null.

A population of balancers (Waltz 1979) is one end of a line whose other end is the null world,
where no state balances or bandwagons. Between them lie populations in which a share
``strategies.none`` of the states stays out of it all (fixed arming, no alliances, no
sanctions) and the rest balance power. How does the hegemony rate move along that line, and
does it depend on whether allies keep their word (``alliances.alliance_reliability``, the
chance that an ally honours a call to war; Leeds, Long & Mitchell 2000 find about three in
four)? A grid of both parameters with hundreds of replications at every point answers it: a
job for a sweep.

The sweep runs on a Dask cluster. Here the cluster is a ``LocalCluster`` of worker processes
on this machine; pointing the same code at a real cluster needs only the scheduler's address
(``main(scheduler="tcp://scheduler:8786")``, i.e. ``Client("tcp://scheduler:8786")``), and the
command line does the same with ``equipoise sweep FILE --scheduler tcp://scheduler:8786``.
Results are written chunk by chunk, so rerunning after an interruption resumes. The script
prints the hegemony rate per point and writes ``tutorial-cluster-sweep.png``. Run from the
repository root::

    python docs/tutorials/cluster_sweep.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from equipoise.experiments import SweepSpec, analyse, dask_executor, sweep

SEED = 20260101


def main(
    replications: int = 200,
    steps: int = 500,
    none: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0),
    reliability: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0),
    workers: int = 2,
    scheduler: str | None = None,
    results: Path = Path("equipoise-results/tutorial-cluster-sweep"),
    out: Path = Path("docs/images"),
) -> pd.DataFrame:
    """Run the null share x reliability grid on Dask, analyse it and draw the figure.

    Parameters
    ----------
    replications : int
        Replications per design point.
    steps : int
        Steps per replication.
    none : tuple of float
        Levels of ``strategies.none``, the share of states that neither balance nor
        bandwagon (the rest balance power; 1 is the null world).
    reliability : tuple of float
        Levels of ``alliances.alliance_reliability``.
    workers : int
        Worker processes of the local cluster (ignored with ``scheduler``).
    scheduler : str, optional
        Address of a running Dask scheduler, e.g. ``"tcp://scheduler:8786"``; default: start
        a ``LocalCluster`` for the duration of the sweep.
    results : Path
        The sweep's output directory (rerunning the same sweep there resumes it).
    out : Path
        Directory of the figure ``tutorial-cluster-sweep.png``.

    Returns
    -------
    DataFrame
        ``analyse(results).points``: one row per design point with its hegemony rate, Wilson
        interval and other outcomes.
    """
    # 1. The sweep. The same thing as a sweep file (see the tutorial page) run by
    #    `equipoise sweep FILE`. A grid design is the Cartesian product of the levels. With
    #    common random numbers every point runs on the same seed: replication r of every
    #    point starts from the same map and economies, so the points are paired.
    spec = SweepSpec(
        name="tutorial-cluster-sweep",
        description="Balancers diluted towards the null world, x alliance reliability.",
        scenario="balancers",
        design="grid",
        replications=replications,
        steps=steps,
        seed=SEED,
        chunk_size=max(1, replications // 4),  # several chunks per point keep workers busy
        common_random_numbers=True,
        output=str(results),
        parameters={
            "strategies.none": list(none),
            "alliances.alliance_reliability": list(reliability),
        },
    )
    print(f"{spec.n_points} points x {replications} replications x {steps} steps")

    # 2. The cluster. dask_executor either connects to a running scheduler (a real cluster:
    #    its address) or starts a LocalCluster of single-threaded worker processes, each
    #    running one chunk at a time with one thread of the compiled kernel. Underneath it
    #    is dask.distributed's Client(...).get_executor().
    local = None if scheduler is not None else workers
    with dask_executor(scheduler=scheduler, n_workers=local) as (executor, threads):
        print(f"Dask cluster: {threads} worker threads")
        # Workers return each chunk's rows; this process writes them (no shared disk needed).
        # Seeds depend on the point and replication only, never on the worker.
        report = sweep(spec, executor, progress=True)
    print(f"chunks computed {report.computed}, already done {report.skipped}")

    # 3. The analysis: per point, hegemony rate with its 95% Wilson interval and more.
    points = analyse(results).points
    columns = [
        "strategies.none",
        "alliances.alliance_reliability",
        "hegemony_rate",
        "hegemony_ci_low",
        "hegemony_ci_high",
        "survivors",
        "final_leader_share",
    ]
    print(points[columns].round(3).to_string(index=False))
    rates = points.pivot(
        index="strategies.none", columns="alliances.alliance_reliability", values="hegemony_rate"
    )
    print("\nhegemony rate (rows: share of null states, columns: alliance reliability)")
    print(rates.round(3).to_string())

    # 4. The figure: (a) the rate over the grid; (b) the rate against the share of null
    #    states, one line per level of reliability, with the Wilson intervals.
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    ax_map, ax_lines = fig.subplots(1, 2)
    top = max(0.1, float(np.nanmax(rates.values)))
    image = ax_map.imshow(
        rates.values, origin="lower", cmap="Reds", vmin=0, vmax=top, aspect="auto"
    )
    for i, j in np.ndindex(rates.shape):
        value = rates.values[i, j]
        colour = "white" if value > 0.6 * top else "black"
        ax_map.text(j, i, f"{value:.3f}", ha="center", va="center", color=colour, fontsize=9)
    ax_map.set_xticks(range(rates.shape[1]), [f"{v:g}" for v in rates.columns])
    ax_map.set_yticks(range(rates.shape[0]), [f"{v:g}" for v in rates.index])
    ax_map.set_xlabel("alliances.alliance_reliability")
    ax_map.set_ylabel("strategies.none (1 = the null world)")
    ax_map.set_title("(a) hegemony rate, balancers diluted by null states")
    fig.colorbar(image, ax=ax_map, label="hegemony rate")

    for r, group in points.groupby("alliances.alliance_reliability"):
        x = group["strategies.none"].to_numpy()
        (line,) = ax_lines.plot(x, group["hegemony_rate"], marker="o", label=f"{r:g}")
        ax_lines.fill_between(
            x,
            group["hegemony_ci_low"],
            group["hegemony_ci_high"],
            color=line.get_color(),
            alpha=0.15,
            linewidth=0,
        )
    ax_lines.set_ylim(0, max(0.1, float(points["hegemony_ci_high"].max()) + 0.02))
    ax_lines.set_xlabel("strategies.none (share of non-aligned states)")
    ax_lines.set_ylabel("hegemony rate (95% Wilson interval)")
    ax_lines.set_title("(b) from balancers (0) to the null world (1)")
    ax_lines.legend(title="alliance_reliability")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-cluster-sweep.png", dpi=120)
    return points


if __name__ == "__main__":
    main()
