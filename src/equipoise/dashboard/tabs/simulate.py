"""The Simulate tab: choose or upload a scenario, adjust its main parameters, run it, see it.

A built-in scenario or an uploaded TOML file (parsed and validated by
:meth:`Scenario.from_toml`; nothing in it is evaluated, and its errors are
shown in the page); widgets for the strategy mix, which mechanisms are on and
a few key numbers; a Run button that starts a background
:class:`~equipoise.dashboard.jobs.Job` with a progress bar; and the report's
figures and tables of the finished run.
"""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
import streamlit as st

from equipoise.dashboard.jobs import Job, check_size
from equipoise.dashboard.widgets import (
    MAX_REPLICATIONS,
    MAX_STATES,
    MAX_STEPS,
    job_outcome,
    render_sections,
    show_sections,
)
from equipoise.report.sections import SIMULATION_SECTIONS, simulation_sections
from equipoise.results import Result
from equipoise.scenario import STRATEGIES, InvalidScenarioError, Scenario, builtin_scenarios

__all__ = ["simulate_tab"]


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


# Extension point: every strategy of equipoise.scenario.STRATEGIES needs its slider's label.
#: Labels of the strategy sliders.
_STRATEGY_LABELS = {
    "balance_power": "balance power",
    "balance_threat": "balance threat",
    "bandwagon": "bandwagon",
    "buck_pass": "pass the buck",
    "none": "none (the null world)",
    "hedge": "hedge (no side in a great-power war)",
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


def simulate_tab() -> None:
    """Scenario and parameters on the left; the run's progress or its report on the right."""
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
        results = job_outcome("sim_job")
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
            view = (job, render_sections(simulation_sections([result], samples=2, only=keep)))
        st.session_state["sim_view"] = view
    show_sections(view[1])
    st.caption("The map of territories of a replication is in the Map tab.")
