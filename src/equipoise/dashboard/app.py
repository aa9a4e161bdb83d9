"""The equipoise dashboard, a Streamlit app: start it with ``equipoise dashboard``.

Five tabs:

- **Simulate**: pick a built-in scenario or upload a TOML file (parsed and
  validated by :meth:`Scenario.from_toml`; nothing in it is evaluated, and
  its errors are shown in the page), adjust the main parameters (strategy
  mix, which mechanisms are on, a few key numbers), run with a progress bar,
  and see the report's figures and tables.
- **Map**: the territories of one replication of the last run, replayed
  exactly from the seed, with a step slider and a play button.
- **Compare**: two scenarios with the same seed, their hegemony rates with
  95% Wilson intervals and a Fisher exact test.
- **History**: the great powers' shares, concentration, an ATOP alliance
  network and war sizes for a range of years.
- **Calibration & counterfactuals**: run a counterfactual (a historical year
  with and without an intervention, common random numbers, optionally over the
  posterior draws of a calibration; :mod:`equipoise.calibrate.counterfactual`)
  and see its paired differences with their intervals; or open the output
  directory of ``equipoise calibrate``, ``equipoise counterfactual`` or
  ``equipoise validate`` (typed, or chosen among those found under the working
  directory) and see its report sections. None of it needs pyabc, which only
  making a calibration does; without it the tab says how to install it.

Runs happen in a background :class:`~equipoise.dashboard.jobs.Job` (a
:class:`~equipoise.dashboard.jobs.CounterfactualJob` for counterfactuals); a
fragment polls its progress, so a long run never freezes the page and can
be cancelled. Streamlit executes this file as ``__main__``; importing it
does nothing but define functions.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import streamlit as st

from equipoise._errors import first_line
from equipoise.calibrate.counterfactual import ALIASES, Counterfactual, plan_counterfactual
from equipoise.dashboard.jobs import CounterfactualJob, Job, check_size
from equipoise.report import data, figures
from equipoise.report.render import render_counterfactual_report
from equipoise.report.sections import (
    SIMULATION_SECTIONS,
    Block,
    Section,
    counterfactual_sections,
    find_outputs,
    history_table,
    output_kind,
    output_sections,
    simulation_sections,
)
from equipoise.results import Result
from equipoise.scenario import STRATEGIES, InvalidScenarioError, Scenario, builtin_scenarios
from equipoise.validate.history import SYSTEM_YEARS

__all__ = ["main"]

#: Upper limits of the run widgets (the size check in jobs.py has the last word).
MAX_REPLICATIONS = 10_000
MAX_STEPS = 2_000
MAX_STATES = 200
#: Seconds between two looks at a running job.
POLL_SECONDS = 0.4
#: Seconds between two frames of the map when it plays.
PLAY_SECONDS = 0.5
#: Frames of a map played from the first step to the last.
PLAY_FRAMES = 50
#: Map pictures kept per page (a few tens of kilobytes each).
MAP_CACHE = 400
#: Width of the map picture in inches, and its resolution (dots per inch).
MAP_INCHES, MAP_DPI = 5.5, 100

#: A block ready to show: kind, payload, caption and whether it spans both columns.
Item = tuple[str, Any, str, bool]
Rendered = list[tuple[str, list[Item]]]


# ------------------------------------------------------------------ helpers
def _render(sections: list[Section]) -> Rendered:
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


def _show(rendered: Rendered) -> None:
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


def _finished_job(key: str) -> Any:
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


def _job_outcome(key: str) -> list[Result] | None:
    """Results of a finished :class:`Job` (:func:`_finished_job`); None otherwise."""
    job: Job | None = _finished_job(key)
    return None if job is None else job.results


def _uploaded_scenario() -> tuple[Scenario | None, bool]:
    """The uploaded scenario (None if there is none) and whether an upload was rejected.

    A rejected upload's problem is shown in the page; the TOML is only parsed
    and validated, never evaluated.
    """
    upload = st.file_uploader(
        "…or upload a scenario TOML",
        type=["toml"],
        key="upload",
        help="Parsed and validated as a scenario; nothing in it is run as code.",
    )
    st.session_state.pop("uploaded_scenario", None)
    if upload is None:
        return None, False
    try:
        text = upload.getvalue().decode("utf-8")
        scenario = Scenario.from_toml(text, source=upload.name)
    except UnicodeDecodeError:
        st.error(f"{upload.name}: not a UTF-8 text file")
        return None, True
    except InvalidScenarioError as exc:
        st.error(str(exc))
        return None, True
    st.success(f"Loaded scenario '{scenario.name}' ({scenario.size} states) from {upload.name}.")
    st.session_state["uploaded_scenario"] = scenario
    return scenario, False


#: Labels of the strategy sliders.
_STRATEGY_LABELS = {
    "balance_power": "balance power",
    "balance_threat": "balance threat",
    "bandwagon": "bandwagon",
    "buck_pass": "pass the buck",
    "none": "none (the null world)",
}

#: Mechanism switches: (table, label, help).
_SWITCHES = (
    ("internal", "Internal balancing (arming)", "States arm against the threat they face."),
    ("alliances", "Alliances", "States form blocs: coalitions, camps or landscape coalitions."),
    ("soft_balancing", "Soft balancing (sanctions)", "Balancers sanction a rising state."),
    ("war", "War", "Unprovoked attacks, battles on fronts and conquest of provinces."),
    ("technology", "Technology", "Innovation and diffusion of the reach of power."),
)


def _strategy_widgets(base: Scenario, key: str) -> dict[str, float] | None:
    st.caption("Strategy weights (normalised to shares of the states)")
    weights = {
        name: st.slider(
            _STRATEGY_LABELS[name],
            0.0,
            1.0,
            float(getattr(base.strategies, name)),
            0.05,
            key=f"{key}-{name}",
        )
        for name in STRATEGIES
    }
    total = sum(weights.values())
    if total <= 0:
        st.error("Give at least one strategy a positive weight.")
        return None
    return {k: v / total for k, v in weights.items()}


def _slider(label: str, low: float, high: float, value: float, step: float, **kw: Any) -> float:
    """A float slider whose default is clipped into its range."""
    return float(st.slider(label, low, high, float(min(max(value, low), high)), step, **kw))


def _parameters(base: Scenario) -> tuple[Scenario | None, int, int, int]:
    """Widgets for the main parameters; the adjusted, validated scenario (None if invalid)."""
    key = f"p-{base.content_hash()[:12]}"
    reps = st.number_input(
        "Replications",
        1,
        MAX_REPLICATIONS,
        min(base.run.replications, MAX_REPLICATIONS),
        10,
        key=f"{key}-reps",
    )
    steps = st.number_input(
        "Steps", 1, MAX_STEPS, min(base.run.steps, MAX_STEPS), 10, key=f"{key}-steps"
    )
    seed = st.number_input("Seed", 0, 2**32 - 1, base.run.seed, 1, key=f"{key}-seed")
    changes: dict[str, Any] = {}
    with st.expander("Model parameters", expanded=False):
        if not base.states:
            changes["n_states"] = st.slider(
                "States", 2, MAX_STATES, min(int(base.size), MAX_STATES), key=f"{key}-n"
            )
            mix = _strategy_widgets(base, key)
            if mix is None:
                return None, int(reps), int(steps), int(seed)
            changes["strategies"] = mix
        st.caption("Mechanisms")
        on: dict[str, bool] = {}
        for table, label, text in _SWITCHES:
            on[table] = st.toggle(
                label, bool(getattr(base, table).enabled), help=text, key=f"{key}-{table}"
            )
            changes[table] = {"enabled": on[table]}
        st.caption("Key numbers")
        rule = st.selectbox(
            "Alliance rule",
            ["threat", "landscape"],
            index=["threat", "landscape"].index(base.alliances.alliance_rule),
            disabled=not on["alliances"],
            help="'threat': ally against the top threat (Walt 1987); 'landscape': two "
            "coalitions of landscape theory (Axelrod & Bennett 1993).",
            key=f"{key}-rule",
        )
        changes["alliances"] |= {
            "alliance_rule": rule,
            "alliance_threshold": _slider(
                "Alliance threshold (share)",
                0.05,
                1.0,
                base.alliances.alliance_threshold,
                0.05,
                disabled=not on["alliances"],
                key=f"{key}-athreshold",
            ),
            "alliance_reliability": _slider(
                "Alliance reliability",
                0.0,
                1.0,
                base.alliances.alliance_reliability,
                0.05,
                disabled=not on["alliances"],
                key=f"{key}-reliability",
            ),
        }
        changes["soft_balancing"]["max_cost"] = _slider(
            "Sanctions: most output lost per step",
            0.0,
            0.2,
            base.soft_balancing.max_cost,
            0.005,
            disabled=not on["soft_balancing"],
            key=f"{key}-maxcost",
        )
        changes["war"] |= {
            "attack_probability": _slider(
                "Attack probability per step",
                0.0,
                1.0,
                base.war.attack_probability,
                0.01,
                disabled=not on["war"],
                key=f"{key}-attack",
            ),
            "decisiveness": _slider(
                "War decisiveness m",
                0.5,
                10.0,
                base.war.decisiveness,
                0.5,
                disabled=not on["war"],
                key=f"{key}-decisiveness",
            ),
        }
        changes["power"] = {
            "reach": _slider(
                "Reach L of power (provinces)",
                0.5,
                50.0,
                base.power.reach,
                0.5,
                help="Distance L of the loss-of-strength gradient (1 + d/L)^-k (Boulding 1962).",
                key=f"{key}-reach",
            )
        }
        changes["hegemony"] = {
            "hegemony_threshold": _slider(
                "Hegemony threshold",
                0.2,
                1.0,
                base.hegemony.hegemony_threshold,
                0.05,
                key=f"{key}-threshold",
            )
        }
    try:
        scenario = base.replace(**changes)
        check_size(scenario, int(reps), int(steps))
    except InvalidScenarioError as exc:
        st.error(str(exc))
        return None, int(reps), int(steps), int(seed)
    return scenario, int(reps), int(steps), int(seed)


# ---------------------------------------------------------------------- tabs
def _simulate_tab() -> None:
    left, right = st.columns([1, 3], gap="large")
    with left:
        # a selectbox over a non-empty list with the default index returns an option, never None
        name = cast(str, st.selectbox("Built-in scenario", builtin_scenarios(), key="builtin"))
        uploaded, rejected = _uploaded_scenario()
        base = uploaded if uploaded is not None else Scenario.load(name)
        st.caption(base.description or f"Scenario '{base.name}'")
        scenario, reps, steps, seed = _parameters(base)
        if rejected:
            scenario = None  # run nothing until the upload is fixed or removed
        running = (job := st.session_state.get("sim_job")) is not None and not job.finished
        clicked = st.button("Run", type="primary", disabled=scenario is None or running, key="run")
        if clicked and scenario is not None:
            st.session_state["sim_job"] = Job([scenario], reps, steps, seed).start()
            st.session_state.pop("sim_view", None)
    with right:
        results = _job_outcome("sim_job")
        if not results:
            if rejected:
                st.info("Fix or remove the uploaded scenario file to run.")
            elif st.session_state.get("sim_job") is None:
                st.info("Choose a scenario and its parameters, then press Run.")
            return
        _show_result(results[0], st.session_state["sim_job"])


def _show_result(result: Result, job: Job) -> None:
    s = result.summary().iloc[0]
    k = round(s["hegemony_rate"] * s["replications"])
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Hegemony rate",
        f"{s['hegemony_rate']:.3f}",
        help="Share of replications in which one state holds the hegemony threshold "
        "for the hegemony duration.",
    )
    ttl = s["time_to_hegemony"]
    c2.metric("Time to hegemony (median step)", "—" if pd.isna(ttl) else f"{ttl:.0f}")
    c3.metric("Survivors at the end (mean)", f"{s['survivors']:.2f}")
    c4.metric("Mean concentration (CON)", f"{s['mean_concentration']:.3f}")
    st.caption(
        f"'{result.provenance['scenario_name']}': hegemony in {k} of {int(s['replications'])} "
        f"replications, 95% Wilson interval {s['hegemony_ci_low']:.3f} – "
        f"{s['hegemony_ci_high']:.3f}; {int(s['steps'])} steps, seed {result.provenance['seed']}."
    )
    view = st.session_state.get("sim_view")
    if view is None or view[0] is not job:
        with st.spinner("Drawing the figures…"):
            keep = [k for k in SIMULATION_SECTIONS if k not in ("summary", "map")]
            view = (job, _render(simulation_sections([result], samples=2, only=keep)))
        st.session_state["sim_view"] = view
    _show(view[1])
    st.caption("The map of territories of a replication is in the Map tab.")


# ---------------------------------------------------------------------- map
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


def _map_tab() -> None:
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


def _compare_tab() -> None:
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
    results = _job_outcome("cmp_job")
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
            view = (st.session_state["cmp_job"], _render(sections))
        st.session_state["cmp_view"] = view
    _show(view[1])


@st.cache_data(show_spinner="Reading the Correlates of War and ATOP data…", max_entries=16)
def _history_view(start: int, end: int, year: int) -> dict[str, Any]:
    system = data.history_system(start, end)
    wide = data.history_shares(start, end)
    labels, layers = data.share_stack(wide.to_numpy(), list(wide.columns), max_layers=12)
    g = data.history_alliance_graph(year)
    deaths = data.history_war_sizes(start, end)
    return {
        "shares": figures.to_png(
            figures.shares_figure(
                labels,
                layers,
                title=f"great powers {start}-{end}",
                x=wide.index.to_numpy(),
                xlabel="year",
            )
        ),
        "concentration": figures.to_png(figures.history_concentration_figure(system)),
        "network": figures.to_png(
            figures.network_figure(
                g, data.graph_layout(g), title=f"great powers, {year}", by_strategy=False
            )
        ),
        "wars": figures.to_png(
            figures.war_size_figure(
                {"COW inter-state wars": data.war_size_ccdf(deaths)},
                xlabel="battle deaths",
                title=f"war sizes {start}-{end}",
            )
        ),
        "n_wars": int(deaths.size),
        "table": history_table(system),
    }


def _history_tab() -> None:
    first, last = data.history_years()
    start, end = st.slider("Years", first, last, (first, last), key="hist_years")
    if start < end:
        year = st.slider(
            "Alliance network in", start, end, min(max(1913, start), end), key="hist_y"
        )
    else:
        year = start
    view = _history_view(int(start), int(end), int(year))
    c1, c2 = st.columns(2)
    c1.image(
        view["shares"],
        caption="Each COW major power's share of the major powers' combined CINC (NMC v6.0).",
    )
    c2.image(
        view["concentration"],
        caption="Ray-Singer concentration among the major powers and all states; leader share.",
    )
    c1.image(
        view["network"],
        caption=f"ATOP 5.1 alliances in force among the major powers in {year} (solid: defence "
        "or offence; dashed: other pacts). Node area: share of great-power CINC.",
    )
    c2.image(
        view["wars"],
        caption=f"Battle deaths of the {view['n_wars']} COW inter-state wars begun in "
        f"{start}-{end}, P(deaths ≥ s) on log-log axes.",
    )
    st.subheader("By decade")
    st.table(view["table"])


# ---------------------------------------------------- calibration & counterfactuals
#: The tab's note when pyabc (the ``calibrate`` extra) is not installed.
PYABC_NOTE = (
    "Running counterfactuals and opening calibrations need no pyabc, but making a "
    "calibration (`equipoise calibrate`) does: pip install 'equipoise[calibrate]'"
)
#: First choice of the named interventions: none of them, only the edits typed.
EDITS_ONLY = "(only the edits below)"


@st.cache_data(show_spinner="Reading the Correlates of War data…", max_entries=64)
def _states_of(year: int) -> list[str]:
    """The great powers of ``year`` (COW abbreviations): the states of its counterfactual."""
    return Scenario.from_history(year).state_names()


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
    try:
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
            view = (job, _render(counterfactual_sections(cf)), render_counterfactual_report(cf))
        st.session_state["cf_view"] = view
    _show(view[1])
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
        job = _finished_job("cf_job")
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
                view = (key, output_kind(directory), _render(output_sections(directory)))
        except ValueError as exc:
            st.error(first_line(exc))
            return
        st.session_state["open_view"] = view
    st.caption(f"The {view[1]} in {directory}, as `equipoise report {chosen}` shows it.")
    _show(view[2])


def _pyabc_missing() -> bool:
    """Whether pyabc (the ``calibrate`` extra) cannot be imported."""
    try:
        return importlib.util.find_spec("pyabc") is None
    except (ImportError, ValueError):  # a broken install, or blocked in sys.modules
        return True


def _calibration_tab() -> None:
    if _pyabc_missing():
        st.info(PYABC_NOTE)
    run_tab, open_tab = st.tabs(["Run a counterfactual", "Open an output directory"])
    with run_tab:
        _run_counterfactual()
    with open_tab:
        _open_output()


def main() -> None:
    """Lay out the page; Streamlit calls this on every interaction."""
    st.set_page_config(page_title="equipoise", layout="wide")
    st.title("equipoise: the balance of power")
    st.caption(
        "Does balancing prevent hegemony? Simulate a system of states, compare strategies, "
        "look at the great powers since 1816, and ask what would have happened had they "
        "acted otherwise."
    )
    simulate, territories, compare, history, calibration = st.tabs(
        ["Simulate", "Map", "Compare", "History", "Calibration & counterfactuals"]
    )
    with simulate:
        _simulate_tab()
    with territories:
        _map_tab()
    with compare:
        _compare_tab()
    with history:
        _history_tab()
    with calibration:
        _calibration_tab()


if __name__ == "__main__":
    main()
