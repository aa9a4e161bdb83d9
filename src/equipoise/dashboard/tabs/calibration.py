"""The Calibration & counterfactuals tab: run a counterfactual, or open an output directory.

A counterfactual is a historical year run with and without an intervention,
with common random numbers, optionally over the posterior draws of a
calibration (:mod:`equipoise.calibrate.counterfactual`); it runs in a
background :class:`~equipoise.dashboard.jobs.CounterfactualJob` and the tab
shows its paired differences with their intervals. An output directory of
``equipoise calibrate``, ``equipoise counterfactual`` or ``equipoise validate``
(typed, or chosen among those found under the working directory) is shown as
its report sections. None of it needs pyabc, which only making a calibration
does; without it the tab says how to install it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import cast

import streamlit as st

from equipoise._errors import first_line
from equipoise.calibrate.counterfactual import ALIASES, Counterfactual, plan_counterfactual
from equipoise.dashboard.jobs import CounterfactualJob
from equipoise.dashboard.widgets import (
    MAX_REPLICATIONS,
    finished_job,
    render_sections,
    show_sections,
)
from equipoise.history import scenario_from_history
from equipoise.report.render import render_counterfactual_report
from equipoise.report.sections import find_outputs, output_kind, output_sections
from equipoise.report.sections.calibration import counterfactual_sections
from equipoise.validate.history import SYSTEM_YEARS

__all__ = ["EDITS_ONLY", "PYABC_NOTE", "calibration_tab"]

#: The tab's note when pyabc (the ``calibrate`` extra) is not installed.
PYABC_NOTE = (
    "Running counterfactuals and opening calibrations need no pyabc, but making a "
    "calibration (`equipoise calibrate`) does: pip install 'equipoise[calibrate]'"
)
#: First choice of the named interventions: none of them, only the edits typed.
EDITS_ONLY = "(only the edits below)"


@st.cache_data(show_spinner="Reading the Correlates of War data…", max_entries=64)
def _states_of(year: int, system: bool = False) -> list[str]:
    """The states of a counterfactual from ``year`` (COW abbreviations).

    Its great powers, or with ``system`` every state of the whole system, later entrants
    included.
    """
    if system:
        return scenario_from_history(year, states="all", entries=True).state_names()
    return scenario_from_history(year).state_names()


def _intervention_label(name: str) -> str:
    if name == EDITS_ONLY:
        return name
    return f"{name}: {ALIASES[name] or 'no edit (every paired difference is 0)'}"


def _counterfactual_form() -> None:
    """The widgets of a counterfactual; Run starts a :class:`CounterfactualJob`."""
    first, last = SYSTEM_YEARS
    year = int(
        st.number_input(
            f"Start year ({first}-{last})",
            first,
            last,
            1871,
            1,
            key="cf_year",
            help="Step 0 is the system of that year: the great powers, their capabilities, "
            "capitals and alliances in force (COW, ATOP).",
        )
    )
    end = int(st.number_input("Last year", first, last, last, 1, key="cf_end"))
    named = cast(
        str,
        st.selectbox(
            "Intervention",
            [EDITS_ONLY, *ALIASES],
            index=1,
            format_func=_intervention_label,
            key="cf_named",
        ),
    )
    edits = st.text_input(
        "Edits",
        key="cf_edits",
        placeholder="GMY.scale=1.5; ITA.leaves=all",
        help="TABLE.KEY=VALUE (a parameter) or STATE.KEY=VALUE (strategy, arming_share, "
        "scale, economy, military, leaves), several separated by ';': the --intervene "
        "syntax of `equipoise counterfactual`, applied after the named intervention.",
    )
    system = st.checkbox(
        "The whole system",
        key="cf_system",
        help="Every state of the COW system of the start year instead of its great powers, "
        "later states entering on their dates (`equipoise counterfactual --system`).",
    )
    try:
        if system:
            st.caption(
                f"States in {year}: {len(_states_of(year, system=True))} with those that "
                "enter later (the whole COW system)."
            )
        else:
            st.caption(f"States in {year}: {' '.join(_states_of(year))}")
    except ValueError as exc:  # the year's data cannot be read: Run says why
        st.caption(first_line(exc))
    reps = int(
        st.number_input("Pairs of replications", 1, MAX_REPLICATIONS, 1000, 10, key="cf_reps")
    )
    seed = int(st.number_input("Seed", 0, 2**32 - 1, 20260101, 1, key="cf_seed"))
    posterior = st.text_input(
        "Posterior (optional)",
        key="cf_posterior",
        placeholder="equipoise-results/calibrate-history-1816-major",
        help="The directory of a finished `equipoise calibrate`: replication r runs at "
        "posterior draw r mod draws, in both worlds.",
    ).strip()
    draws = int(
        st.number_input(
            "Posterior draws", 1, MAX_REPLICATIONS, 100, 10, key="cf_draws", disabled=not posterior
        )
    )
    running = (job := st.session_state.get("cf_job")) is not None and not job.finished
    if not st.button("Run counterfactual", type="primary", disabled=running, key="cf_run"):
        return
    intervene = [x for x in (named if named != EDITS_ONLY else "", edits) if x.strip()]
    if end < year:
        st.error(f"The last year ({end}) is before the start year ({year}).")
        return
    try:
        plan = plan_counterfactual(
            year,
            intervene,
            replications=reps,
            steps=end - year + 1,
            seed=seed,
            posterior=Path(posterior).expanduser() if posterior else None,
            draws=draws if posterior else None,
            system=system,
        )
        job = CounterfactualJob(plan)
    except ValueError as exc:  # InvalidScenarioError is one too
        st.error(first_line(exc))
        return
    st.session_state["cf_job"] = job.start()
    st.session_state.pop("cf_view", None)


def _show_counterfactual(job: CounterfactualJob) -> None:
    cf: Counterfactual | None = job.result
    if cf is None:
        return
    s = cf.settings
    row = cf.summary.set_index("outcome").loc["hegemony"]
    c1, c2, c3 = st.columns(3)
    c1.metric("P(hegemony), baseline", f"{row['baseline']:.3f}")
    c2.metric("P(hegemony), intervention", f"{row['intervention']:.3f}")
    c3.metric(
        "Paired difference",
        f"{row['difference']:+.3f}",
        help="Intervention minus baseline, replication by replication (common random "
        "numbers), averaged over the pairs.",
    )
    c3.caption(f"95% interval {row['low']:+.3f} to {row['high']:+.3f}")
    st.caption(
        f"Seed {s['seed']}"
        + (f"; posterior {s['posterior']}" if s["draws"] else "")
        + ". Replication r of both worlds draws the same random numbers wherever both "
        "make the same draw, so a difference is the intervention's alone."
    )
    view = st.session_state.get("cf_view")
    if view is None or view[0] is not job:
        with st.spinner("Drawing the figures…"):
            view = (
                job,
                render_sections(counterfactual_sections(cf)),
                render_counterfactual_report(cf),
            )
        st.session_state["cf_view"] = view
    show_sections(view[1])
    st.download_button(
        "Download the report (HTML)",
        view[2],
        file_name=f"counterfactual-{s['year']}.html",
        mime="text/html",
        key="cf_download",
    )


def _run_counterfactual() -> None:
    left, right = st.columns([1, 3], gap="large")
    with left:
        _counterfactual_form()
    with right:
        job = finished_job("cf_job")
        if job is not None:
            _show_counterfactual(job)
        elif st.session_state.get("cf_job") is None:
            st.info(
                "Choose a start year and an intervention, then press Run counterfactual: "
                "both worlds run with the same seed and replication indices, and the page "
                "shows their paired differences with 95% intervals."
            )


@st.cache_data(ttl=30, show_spinner=False)
def _found_outputs(root: str) -> list[tuple[str, str]]:
    """The output directories under ``root`` (relative paths) and their kinds."""
    base = Path(root)
    return [(str(p.relative_to(base)), output_kind(p) or "") for p in find_outputs(base, depth=2)]


def _stamp(directory: Path) -> tuple[tuple[str, int], ...]:
    """The files of ``directory`` with their modification times: a rewrite changes it."""
    try:
        return tuple(
            sorted((p.name, p.stat().st_mtime_ns) for p in directory.iterdir() if p.is_file())
        )
    except OSError:
        return ()


def _open_output() -> None:
    """Show the report sections of a calibration, counterfactual or validation directory."""
    root = Path.cwd()
    found = _found_outputs(str(root))
    kinds = dict(found)
    choice = cast(
        str,
        st.selectbox(
            f"Outputs found under {root}" + ("" if found else " (none)"),
            ["", *kinds],
            format_func=lambda p: f"{p} ({kinds[p]})" if p else "—",
            key="open_found",
            help="Directories written by `equipoise calibrate`, `counterfactual` or "
            "`validate`, two levels deep at most.",
        ),
    )
    typed = st.text_input(
        "…or type its path",
        key="open_path",
        placeholder="equipoise-results/counterfactual-1871",
        help="A path typed here is shown rather than the choice above: clear it to use the list.",
    ).strip()
    chosen = typed or choice
    if not chosen:
        st.info(
            "Choose or type the directory of a calibration (its posterior, marginals, pairs "
            "and posterior predictive check), a counterfactual (its paired differences) or a "
            "validation (history against the simulation)."
        )
        return
    directory = Path(chosen).expanduser()
    key = (str(directory.resolve()), _stamp(directory))
    view = st.session_state.get("open_view")
    if view is None or view[0] != key:
        try:
            with st.spinner(f"Reading {directory}…"):
                view = (key, output_kind(directory), render_sections(output_sections(directory)))
        except ValueError as exc:
            st.error(first_line(exc))
            return
        st.session_state["open_view"] = view
    st.caption(f"The {view[1]} in {directory}, as `equipoise report {chosen}` shows it.")
    show_sections(view[2])


def _pyabc_missing() -> bool:
    """Whether pyabc (the ``calibrate`` extra) cannot be imported."""
    try:
        return importlib.util.find_spec("pyabc") is None
    except (ImportError, ValueError):  # a broken install, or blocked in sys.modules
        return True


def calibration_tab() -> None:
    """The pyabc note if need be, then the counterfactual and open-output sub-tabs."""
    if _pyabc_missing():
        st.info(PYABC_NOTE)
    run_tab, open_tab = st.tabs(["Run a counterfactual", "Open an output directory"])
    with run_tab:
        _run_counterfactual()
    with open_tab:
        _open_output()
