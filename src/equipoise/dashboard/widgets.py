"""What the dashboard's tabs share: the run widgets' limits, report sections and job progress.

Report sections (:mod:`equipoise.report.sections`) are rendered once to PNG
bytes and tables (:func:`render_sections`) and shown on every rerun in two
columns (:func:`show_sections`); a background :class:`~equipoise.dashboard.jobs.Job`
is watched by a fragment that shows its progress and a Cancel button
(:func:`finished_job`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from equipoise.dashboard.jobs import Job
from equipoise.report import figures
from equipoise.report.sections import Block, Section
from equipoise.results import Result

__all__ = [
    "MAX_REPLICATIONS",
    "MAX_STATES",
    "MAX_STEPS",
    "POLL_SECONDS",
    "Item",
    "Rendered",
    "finished_job",
    "job_outcome",
    "render_sections",
    "show_sections",
]

#: Upper limits of the run widgets (the size check in jobs.py has the last word).
MAX_REPLICATIONS = 10_000
MAX_STEPS = 2_000
MAX_STATES = 200
#: Seconds between two looks at a running job.
POLL_SECONDS = 0.4

#: A block ready to show: kind, payload, caption and whether it spans both columns.
Item = tuple[str, Any, str, bool]
Rendered = list[tuple[str, list[Item]]]


def render_sections(sections: list[Section]) -> Rendered:
    """Turn report sections into PNG bytes and tables once, to show on every rerun."""
    return [(section.title, [_render_block(b) for b in section.blocks]) for section in sections]


def _render_block(b: Block) -> Item:
    wide = "wide" in b.classes
    if b.figure is not None:
        return ("image", figures.to_png(b.figure, dpi=100), b.caption, wide)
    if b.table is not None:
        return ("table", b.table, b.caption, wide)
    if b.code is not None:
        return ("code", b.code, b.caption, wide)
    return ("text", b.text or "", b.caption, wide)


def _show_item(kind: str, payload: Any, caption: str) -> None:
    if kind == "image":
        st.image(payload, caption=caption or None)
    elif kind == "table":
        if caption:
            st.caption(caption)
        st.table(payload)
    elif kind == "code":
        with st.expander(caption or "details"):
            st.code(payload, language="toml")
    elif payload:
        st.write(payload)


def show_sections(rendered: Rendered) -> None:
    """Each section's blocks in two columns, in turn; a wide block across both."""
    for title, items in rendered:
        st.subheader(title)
        cols: Sequence[Any] = ()
        i = 0
        for kind, payload, caption, wide in items:
            if wide:
                _show_item(kind, payload, caption)
                cols = ()
                continue
            if not cols:
                cols, i = st.columns(2), 0
            with cols[i % 2]:
                _show_item(kind, payload, caption)
            i += 1


@st.fragment(run_every=POLL_SECONDS)
def _watch(key: str) -> None:
    """Progress of the job in ``st.session_state[key]``; rerun the page when it is over."""
    job: Job | None = st.session_state.get(key)
    if job is None:
        return
    if job.finished:
        st.rerun()
    st.progress(job.fraction, text=f"Running: {job.done:,} of {job.total:,} replication-steps")
    if st.button("Cancel", key=f"{key}-cancel"):
        job.cancel()


def finished_job(key: str) -> Any:
    """The job in ``st.session_state[key]`` once it is done; None otherwise.

    None while it runs (its progress shown), after reporting a failure or a
    cancellation, or if there is none.
    """
    job = st.session_state.get(key)
    if job is None:
        return None
    if not job.finished:
        _watch(key)
        return None
    if job.status == "failed":
        st.error(f"The run failed: {job.error}")
        return None
    if job.status == "cancelled":
        st.warning("Run cancelled.")
        return None
    return job


def job_outcome(key: str) -> list[Result] | None:
    """Results of a finished :class:`Job` (:func:`finished_job`); None otherwise."""
    job: Job | None = finished_job(key)
    return None if job is None else job.results
