"""Background jobs of the dashboard (runs and counterfactuals), its command line, its server
command, and its Calibration & counterfactuals tab without pyabc (Streamlit's AppTest; no
browser).

The page itself is tested in a real browser in tests/test_dashboard_browser.py.
"""

from __future__ import annotations

import importlib
import sys
import time

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from equipoise import Scenario, run
from equipoise.calibrate.counterfactual import counterfactual, plan_counterfactual
from equipoise.cli import main
from equipoise.dashboard import APP, streamlit_command
from equipoise.dashboard.jobs import (
    BLOCK_WORK,
    MAX_CELLS,
    CounterfactualJob,
    Job,
    block_size,
    check_size,
)
from equipoise.scenario import InvalidScenarioError


def test_job_gives_the_same_result_as_run():
    s = Scenario.load("bandwagoners")
    job = Job([s], replications=6, steps=40, seed=9).start()
    assert job.wait(60)
    assert job.status == "done" and job.finished and job.error is None
    assert job.done == job.total == 6 * 40
    assert job.fraction == 1.0
    (got,) = job.results
    want = run(s, replications=6, steps=40, seed=9)
    xr.testing.assert_identical(got.dataset, want.dataset)


def test_job_reports_progress_block_by_block_with_the_same_result(monkeypatch):
    import equipoise.dashboard.jobs as jobs

    monkeypatch.setattr(jobs, "BLOCK_WORK", 2 * 30 * 50)  # two replications per block
    s = Scenario.load("balancers")
    seen: list[int] = []
    job = Job([s], replications=7, steps=30, seed=4)
    advance = job._advance

    def spy(k: int) -> None:
        seen.append(k)
        advance(k)

    monkeypatch.setattr(job, "_advance", spy)
    assert job.start().wait(60) and job.status == "done"
    assert seen == [60, 60, 60, 30]  # blocks of 2, 2, 2 and 1 replications x 30 steps
    (got,) = job.results
    xr.testing.assert_identical(got.dataset, run(s, replications=7, steps=30, seed=4).dataset)


def test_block_size_aims_at_a_second_of_work():
    s = Scenario.load("balancers")  # 50 states
    assert block_size(s, 1000, 500) == BLOCK_WORK // (500 * 50)
    assert block_size(s, 3, 500) == 3
    assert block_size(s, 1000, 1_000_000) == 1


def test_job_runs_several_scenarios_in_order():
    a, b = Scenario.load("balancers"), Scenario.load("bandwagoners")
    job = Job([a, b], replications=3, steps=10, seed=1).start()
    assert job.wait(60)
    assert [r.provenance["scenario_name"] for r in job.results] == ["balancers", "bandwagoners"]


def test_job_reports_progress_and_can_be_cancelled():
    s = Scenario.load("balancers")
    job = Job([s], replications=300, steps=2000, seed=1)
    assert job.status == "pending" and job.fraction == 0.0
    job.start()
    deadline = time.monotonic() + 30
    while job.done == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert job.status == "running"
    assert 0 < job.fraction < 1
    job.cancel()
    assert job.wait(30)
    assert job.status == "cancelled"
    assert job.results == []
    assert job.done < job.total


def test_job_failure_is_kept_not_raised(monkeypatch):
    import equipoise.dashboard.jobs as jobs

    def boom(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(jobs, "run", boom)
    job = Job([Scenario.load("balancers")], 2, 2, 0).start()
    assert job.wait(10)
    assert job.status == "failed"
    assert job.error == "MemoryError: out of memory"


def test_check_size_refuses_runs_too_large_for_a_page():
    s = Scenario.load("balancers")  # 50 states
    assert s.size == 50
    check_size(s, 100, 100)
    reps = MAX_CELLS // (50 * 101) + 1
    check_size(s, reps - 1, 100)
    with pytest.raises(InvalidScenarioError, match="too large for the dashboard"):
        check_size(s, reps, 100)
    with pytest.raises(InvalidScenarioError, match="equipoise run"):
        Job([s], reps, 100, 0)
    with pytest.raises(ValueError, match="at least one scenario"):
        Job([], 1, 1, 0)


def test_streamlit_command_binds_loopback_by_default():
    cmd = streamlit_command("py")
    assert cmd[:5] == ["py", "-m", "streamlit", "run", str(APP)]
    opts = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert opts["--server.address"] == "127.0.0.1"
    assert opts["--server.port"] == "8501"
    assert opts["--server.headless"] == "true"
    assert opts["--browser.gatherUsageStats"] == "false"
    cmd = streamlit_command("py", host="0.0.0.0", port=9000)
    other = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert other["--server.address"] == "0.0.0.0" and other["--server.port"] == "9000"
    assert APP.is_file()


def test_app_module_imports_without_running():
    app = importlib.import_module("equipoise.dashboard.app")
    assert callable(app.main)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dashboard", "--port", "0"], "--port"),
        (["dashboard", "--port", "70000"], "--port"),
        (["dashboard", "--host", ""], "--host"),
        (["dashboard", "--host", "a b"], "--host"),
    ],
)
def test_dashboard_bad_options_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.rstrip("\n").split("\n")) == 1
    assert message in err


def test_shares_and_blocs_are_recorded_for_the_page():
    # The dashboard's share plots and alliance networks need what a default run records.
    r = run("balancers", replications=2, steps=5, seed=0)
    assert {"share", "bloc", "provinces"} <= set(r.dataset.data_vars)
    np.testing.assert_allclose(r.dataset["share"].sum("state"), 1.0, rtol=1e-5)


# ------------------------------------------------------------- counterfactual jobs
def test_counterfactual_job_gives_the_same_result_as_counterfactual(monkeypatch):
    import equipoise.dashboard.jobs as jobs

    monkeypatch.setattr(jobs, "BLOCK_WORK", 3 * 10 * 6)  # three replications per block
    seen: list[int] = []
    edits = ["no-sanctions", "GMY.scale=1.5"]
    job = CounterfactualJob(plan_counterfactual(1871, edits, replications=8, steps=10, seed=3))
    assert job.status == "pending" and job.total == 2 * 8 * 10 and job.chunk_size == 3
    reached = job._reached

    def spy(done: int, total: int) -> None:
        seen.append(done)
        reached(done, total)

    monkeypatch.setattr(job, "_reached", spy)
    assert job.start().wait(60)
    assert job.status == "done" and job.error is None and job.fraction == 1.0
    assert seen == [0, 30, 60, 80, 110, 140, 160]  # blocks of 3, 3 and 2 in each world
    want = counterfactual(1871, edits, replications=8, steps=10, seed=3)
    pd.testing.assert_frame_equal(job.result.pairs, want.pairs)
    pd.testing.assert_frame_equal(job.result.summary, want.summary)


def test_counterfactual_job_can_be_cancelled(monkeypatch):
    import equipoise.dashboard.jobs as jobs

    monkeypatch.setattr(jobs, "BLOCK_WORK", 6 * 100)  # one replication per block
    plan = plan_counterfactual(1871, "none", replications=5000, steps=100, seed=1)
    job = CounterfactualJob(plan).start()
    deadline = time.monotonic() + 30
    while job.done == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    job.cancel()
    assert job.wait(30)
    assert job.status == "cancelled" and job.result is None
    assert 0 < job.done < job.total


def test_counterfactual_job_refuses_a_run_too_large_for_the_page():
    plan = plan_counterfactual(1871, "none", replications=10**6, steps=2000)
    with pytest.raises(InvalidScenarioError, match="too large for the dashboard") as info:
        CounterfactualJob(plan)
    assert "\n" not in str(info.value)


# ------------------------------------------------------------- the tab without pyabc
def test_calibration_tab_without_pyabc_says_how_to_install_it_and_works(
    tiny_calibration, monkeypatch
):
    """Streamlit's AppTest runs the page in this process with pyabc unimportable: the tab
    says how to install it, opens a calibration and runs a counterfactual at its draws."""
    from streamlit.testing.v1 import AppTest

    from equipoise.dashboard.tabs.calibration import PYABC_NOTE

    monkeypatch.setitem(sys.modules, "pyabc", None)  # `import pyabc` now fails
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert PYABC_NOTE in [i.value for i in at.info]
    assert "pip install 'equipoise[calibrate]'" in PYABC_NOTE
    at.text_input(key="open_path").input(str(tiny_calibration)).run()
    headings = [s.value for s in at.subheader]
    assert headings[-3:] == ["Posterior", "Posterior predictive check", "ABC-SMC"]
    at.number_input(key="cf_end").set_value(1880)
    at.number_input(key="cf_reps").set_value(12)
    at.text_input(key="cf_posterior").input(str(tiny_calibration)).run()
    at.number_input(key="cf_draws").set_value(3)
    at.button(key="cf_run").click().run()
    job = at.session_state["cf_job"]
    assert job.wait(60) and job.status == "done", job.error
    at.run()
    assert [m.label for m in at.metric][-1] == "Paired difference"
    assert any("at 3 posterior draws" in c.value for c in at.caption)
    assert not at.exception and not at.error


def test_the_counterfactual_tab_runs_the_whole_system():
    """The "whole system" box runs every state of the year, later entrants included."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.number_input(key="cf_year").set_value(1900)
    at.number_input(key="cf_end").set_value(1902)
    at.number_input(key="cf_reps").set_value(2)
    at.checkbox(key="cf_system").check().run()
    assert any("(the whole COW system)" in c.value for c in at.caption)
    at.button(key="cf_run").click().run()
    job = at.session_state["cf_job"]
    assert job.wait(120) and job.status == "done", job.error
    assert job.result.settings["system"] is True
    assert len(job.result.survival) > 40  # not the great powers alone
    at.run()
    assert [m.label for m in at.metric][-1] == "Paired difference"
    assert not at.exception and not at.error
