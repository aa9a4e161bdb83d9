"""The Map tab: the territories of one replication of the last run, step by step.

The replication is replayed exactly from the seed
(:func:`equipoise.report.data.territory_map`); a step slider and a Play
button show its provinces, capitals and states alive over time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from equipoise.dashboard.jobs import Job
from equipoise.report import data, figures
from equipoise.results import Result

__all__ = ["map_tab"]

#: Seconds between two frames of the map when it plays.
PLAY_SECONDS = 0.5
#: Frames of a map played from the first step to the last.
PLAY_FRAMES = 50
#: Map pictures kept per page (a few tens of kilobytes each).
MAP_CACHE = 400
#: Width of the map picture in inches, and its resolution (dots per inch).
MAP_INCHES, MAP_DPI = 5.5, 100


def _map_view(job: Job, result: Result, replication: int) -> dict[str, Any]:
    """The replayed map of one replication and its colours, computed once per run and choice."""
    view: dict[str, Any] | None = st.session_state.get("map_view")
    if view is None or view["job"] is not job or view["replication"] != replication:
        with st.spinner(f"Replaying replication {replication}…"):
            tmap = data.territory_map(result, replication)
            steps = range(0, tmap.steps + 1, max(1, tmap.steps // 100))
            colors = data.state_colors(len(tmap.names), data.neighbours(tmap, steps))
        view = {
            "job": job,
            "replication": replication,
            "map": tmap,
            "colors": colors,
            "name": str(result.provenance["scenario_name"]),
            "seed": result.provenance["seed"],
            "png": {},
        }
        st.session_state["map_view"] = view
    return view


def _map_picture(view: dict[str, Any], step: int) -> bytes:
    """The map at ``step`` as PNG bytes (kept for the page's later looks)."""
    pngs: dict[int, bytes] = view["png"]
    if step not in pngs:
        if len(pngs) >= MAP_CACHE:
            pngs.pop(next(iter(pngs)))
        tmap: data.TerritoryMap = view["map"]
        fig = figures.territory_figure(
            tmap,
            [step],
            view["colors"],
            title=f"{view['name']}: replication {tmap.replication}",
            ncols=1,
            panel=MAP_INCHES,
        )
        pngs[step] = figures.to_png(fig, dpi=MAP_DPI)
    return pngs[step]


def _map_caption(view: dict[str, Any], step: int) -> str:
    tmap: data.TerritoryMap = view["map"]
    held = tmap.provinces(step)
    alive = np.flatnonzero(held > 0)
    largest = sorted(alive.tolist(), key=lambda i: (-held[i], i))[:5]
    listed = ", ".join(f"{tmap.names[i]} {held[i]}" for i in largest)
    how = {
        "recorded": "recorded in the result",
        "replayed": f"replayed exactly from seed {view['seed']}",
        "replay differs": "replayed, but it does NOT match the recorded run",
    }[tmap.source]
    return (
        f"Replication {tmap.replication} at step {step} of {tmap.steps}: {alive.size} states "
        "alive; provinces of the largest: "
        f"{listed}. Dots mark capitals. The map is {how}."
    )


def _map_frame(view: dict[str, Any]) -> None:
    """The step slider and the map (a fragment: moving the slider redraws only this)."""
    last = view["map"].steps
    if st.session_state.get("map_playing"):
        stride = max(1, round(last / PLAY_FRAMES))
        now = int(st.session_state.get("map_step", 0))
        if now >= last:
            st.session_state["map_playing"] = False
            st.rerun()  # the whole page: the fragment stops playing
        st.session_state["map_step"] = min(last, now + stride)
    step = st.slider("Step", 0, last, key="map_step")
    st.image(
        _map_picture(view, int(step)),
        caption=_map_caption(view, int(step)),
        width=round(MAP_INCHES * MAP_DPI),
    )


def _toggle_play(last: int) -> None:
    playing = not st.session_state.get("map_playing", False)
    st.session_state["map_playing"] = playing
    if playing and int(st.session_state.get("map_step", 0)) >= last:
        st.session_state["map_step"] = 0  # play again from the start


def map_tab() -> None:
    """The map of a replication of the last Simulate run, with its step slider and Play."""
    job: Job | None = st.session_state.get("sim_job")
    if job is None or job.status != "done" or not job.results:
        st.info(
            "Run a scenario in the Simulate tab: the map of one of its replications is shown here."
        )
        return
    result = job.results[0]
    labels = [int(x) for x in result.dataset["replication"].values]
    c1, c2 = st.columns([1, 3])
    replication = int(
        c1.number_input(
            "Replication",
            labels[0],
            labels[-1],
            labels[0],
            1,
            key="map_rep",
            help="Replayed exactly from the seed (model 0.2 draws every random number from "
            "the seed, the replication, the step, the actor and the purpose).",
        )
    )
    view = _map_view(job, result, replication)
    last = view["map"].steps
    if int(st.session_state.get("map_step", 0)) > last:
        st.session_state["map_step"] = last
    playing = bool(st.session_state.get("map_playing", False))
    c1.button(
        "Pause" if playing else "Play",
        key="map_play",
        on_click=_toggle_play,
        args=(last,),
        help=f"Show the steps one after the other, about {PLAY_FRAMES} frames in all.",
    )
    with c2:
        st.fragment(_map_frame, run_every=PLAY_SECONDS if playing else None)(view)
