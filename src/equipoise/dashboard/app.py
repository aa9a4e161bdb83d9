"""The equipoise dashboard, a Streamlit app: start it with ``equipoise dashboard``.

This file builds the page and lays out its five tabs, one module each under
:mod:`equipoise.dashboard.tabs`:

- **Simulate** (:mod:`~equipoise.dashboard.tabs.simulate`): pick a built-in
  scenario or upload a TOML file, adjust the main parameters, run with a
  progress bar, and see the report's figures and tables.
- **Map** (:mod:`~equipoise.dashboard.tabs.map`): the territories of one
  replication of the last run, replayed exactly from the seed, with a step
  slider and a play button.
- **Compare** (:mod:`~equipoise.dashboard.tabs.compare`): two scenarios with
  the same seed, their hegemony rates with 95% Wilson intervals and a Fisher
  exact test.
- **History** (:mod:`~equipoise.dashboard.tabs.history`): the great powers'
  shares, concentration, an ATOP alliance network and war sizes for a range
  of years.
- **Calibration & counterfactuals** (:mod:`~equipoise.dashboard.tabs.calibration`):
  run a counterfactual and see its paired differences with their intervals,
  or open the output directory of ``equipoise calibrate``, ``equipoise
  counterfactual`` or ``equipoise validate`` and see its report sections.

What the tabs share (report sections in two columns, a job's progress) is in
:mod:`equipoise.dashboard.widgets`. Runs happen in a background
:class:`~equipoise.dashboard.jobs.Job` (a
:class:`~equipoise.dashboard.jobs.CounterfactualJob` for counterfactuals); a
fragment polls its progress, so a long run never freezes the page and can
be cancelled. Streamlit executes this file as ``__main__``; importing it
does nothing but define functions.
"""

from __future__ import annotations

import streamlit as st

from equipoise.dashboard.tabs.calibration import calibration_tab
from equipoise.dashboard.tabs.compare import compare_tab
from equipoise.dashboard.tabs.history import history_tab
from equipoise.dashboard.tabs.map import map_tab
from equipoise.dashboard.tabs.simulate import simulate_tab

__all__ = ["main"]


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
        simulate_tab()
    with territories:
        map_tab()
    with compare:
        compare_tab()
    with history:
        history_tab()
    with calibration:
        calibration_tab()


if __name__ == "__main__":
    main()
