"""The Compare tab: two scenarios run with the same seed, and their hegemony rates.

Each rate comes with its 95% Wilson interval, followed by the report's
summary (with a Fisher exact test of the two rates), hegemony and war
sections of both runs.
"""

from __future__ import annotations

from typing import cast

import streamlit as st

from equipoise.dashboard.jobs import Job
from equipoise.dashboard.widgets import (
    MAX_REPLICATIONS,
    MAX_STEPS,
    job_outcome,
    render_sections,
    show_sections,
)
from equipoise.report import data
from equipoise.report.sections import simulation_sections
from equipoise.scenario import InvalidScenarioError, Scenario, builtin_scenarios

__all__ = ["compare_tab"]


def compare_tab() -> None:
    """Two scenarios, the run's size and seed; both hegemony rates and sections."""
    options: dict[str, Scenario | str] = {n: n for n in builtin_scenarios()}
    uploaded: Scenario | None = st.session_state.get("uploaded_scenario")
    if uploaded is not None:
        options[f"uploaded: {uploaded.name}"] = uploaded
    labels = list(options)
    c1, c2, c3, c4, c5 = st.columns(5)
    a = cast(str, c1.selectbox("Scenario A", labels, index=0, key="cmp_a"))
    default_b = (
        labels.index("bandwagoners") if "bandwagoners" in labels else min(1, len(labels) - 1)
    )
    b = cast(str, c2.selectbox("Scenario B", labels, index=default_b, key="cmp_b"))
    reps = int(c3.number_input("Replications", 1, MAX_REPLICATIONS, 100, 10, key="cmp_reps"))
    steps = int(c4.number_input("Steps", 1, MAX_STEPS, 500, 10, key="cmp_steps"))
    seed = int(c5.number_input("Seed", 0, 2**32 - 1, 42, 1, key="cmp_seed"))
    chosen = [options[a], options[b]]
    scenarios = [Scenario.load(x) if isinstance(x, str) else x for x in chosen]
    if a == b:
        st.warning("Scenario A and B are the same: pick two different scenarios.")
    running = (job := st.session_state.get("cmp_job")) is not None and not job.finished
    if st.button("Run comparison", type="primary", disabled=running or a == b, key="cmp_run"):
        try:
            st.session_state["cmp_job"] = Job(scenarios, reps, steps, seed).start()
        except InvalidScenarioError as exc:
            st.error(str(exc))
    results = job_outcome("cmp_job")
    if not results:
        return
    rates = data.hegemony_rates(results)
    cols = st.columns(len(results))
    for col, (name, row) in zip(cols, rates.iterrows(), strict=True):
        col.metric(f"Hegemony rate: {name}", f"{row['hegemony_rate']:.3f}")
        col.caption(
            f"95% Wilson interval {row['hegemony_ci_low']:.3f} – {row['hegemony_ci_high']:.3f}"
        )
    view = st.session_state.get("cmp_view")
    if view is None or view[0] is not st.session_state["cmp_job"]:
        with st.spinner("Drawing the figures…"):
            sections = simulation_sections(results, only=("summary", "hegemony", "wars"))
            view = (st.session_state["cmp_job"], render_sections(sections))
        st.session_state["cmp_view"] = view
    show_sections(view[1])
