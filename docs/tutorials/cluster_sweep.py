"""Tutorial: run a sweep on a cluster, to find where bandwagoners let a hegemon emerge.

Bandwagoning (Walt 1987; Schweller 1994) has two sides in the model: bandwagoners ally with
the strongest state and pay it ``appeasement``, a share of their economy every step, and wars
are more or less decisive (``decisiveness``, the exponent m of the contest success function,
Hirshleifer 1989). Which of the two turns a world of bandwagoners into a hegemony? A grid of
both parameters answers it, with many replications at each point: a job for a sweep.

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
    steps: int = 150,
    appeasement: tuple[float, ...] = (0.0, 0.01, 0.02, 0.03, 0.04, 0.05),
    decisiveness: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 4.0),
    workers: int = 2,
    scheduler: str | None = None,
    results: Path = Path("equipoise-results/tutorial-cluster-sweep"),
    out: Path = Path("docs/images"),
) -> pd.DataFrame:
    """Run the appeasement x decisiveness grid on Dask, analyse it and draw the figure.

    Parameters
    ----------
    replications : int
        Replications per design point.
    steps : int
        Steps per replication.
    appeasement : tuple of float
        Levels of ``alliances.appeasement``.
    decisiveness : tuple of float
        Levels of ``war.decisiveness``.
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
    #    `equipoise sweep FILE`. A grid design is the Cartesian product of the levels.
    spec = SweepSpec(
        name="tutorial-cluster-sweep",
        description="Bandwagoners: appeasement x decisiveness of war.",
        scenario="bandwagoners",
        design="grid",
        replications=replications,
        steps=steps,
        seed=SEED,
        chunk_size=max(1, replications // 4),  # several chunks per point keep workers busy
        output=str(results),
        parameters={
            "alliances.appeasement": list(appeasement),
            "war.decisiveness": list(decisiveness),
        },
    )
    print(f"{spec.n_points} points x {replications} replications x {steps} steps")

    # 2. The cluster. dask_executor either connects to a running scheduler (a real cluster:
    #    its address) or starts a LocalCluster of single-threaded worker processes: the engine
    #    is vectorised numpy and holds the GIL between array operations, so threads would not
    #    add speed. Underneath it is dask.distributed's Client(...).get_executor().
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
        "alliances.appeasement",
        "war.decisiveness",
        "hegemony_rate",
        "hegemony_ci_low",
        "hegemony_ci_high",
        "final_leader_share",
    ]
    print(points[columns].round(3).to_string(index=False))
    rates = points.pivot(
        index="alliances.appeasement", columns="war.decisiveness", values="hegemony_rate"
    )
    print("\nhegemony rate (rows: appeasement, columns: decisiveness)")
    print(rates.round(2).to_string())

    # 4. The figure: (a) the rate over the grid; (b) the rate against appeasement, one line per
    #    level of decisiveness, with the Wilson intervals.
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    ax_map, ax_lines = fig.subplots(1, 2)
    image = ax_map.imshow(rates.values, origin="lower", cmap="Reds", vmin=0, vmax=1, aspect="auto")
    for i, j in np.ndindex(rates.shape):
        value = rates.values[i, j]
        colour = "white" if value > 0.6 else "black"
        ax_map.text(j, i, f"{value:.2f}", ha="center", va="center", color=colour, fontsize=9)
    ax_map.set_xticks(range(rates.shape[1]), [f"{v:g}" for v in rates.columns])
    ax_map.set_yticks(range(rates.shape[0]), [f"{v:g}" for v in rates.index])
    ax_map.set_xlabel("war.decisiveness (m)")
    ax_map.set_ylabel("alliances.appeasement")
    ax_map.set_title("(a) hegemony rate of bandwagoners")
    fig.colorbar(image, ax=ax_map, label="hegemony rate")

    for m, group in points.groupby("war.decisiveness"):
        x = group["alliances.appeasement"].to_numpy()
        (line,) = ax_lines.plot(x, group["hegemony_rate"], marker="o", label=f"{m:g}")
        ax_lines.fill_between(
            x,
            group["hegemony_ci_low"],
            group["hegemony_ci_high"],
            color=line.get_color(),
            alpha=0.15,
            linewidth=0,
        )
    ax_lines.set_ylim(0, 1)
    ax_lines.set_xlabel("alliances.appeasement")
    ax_lines.set_ylabel("hegemony rate (95% Wilson interval)")
    ax_lines.set_title("(b) appeasement drives it, decisive war amplifies it")
    ax_lines.legend(title="decisiveness")

    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "tutorial-cluster-sweep.png", dpi=120)
    return points


if __name__ == "__main__":
    main()
