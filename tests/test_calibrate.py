"""Calibration to history by ABC-SMC (equipoise.calibrate): priors, parameter files, the
simulator against validate, a tiny calibration end to end with its files, resuming after an
interruption, scenario_from_posterior, recovery and a small simulation-based calibration on
synthetic data, and the ``equipoise calibrate`` command (bad input: exit 2, one line,
nothing written). Every calibration here is tiny (tens of particles, a few hundred
simulations of at most 60 steps)."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from clikit import assert_refused, write_files
from equipoise import Scenario, run
from equipoise._errors import InputError
from equipoise._paramdoc import plausible_ranges
from equipoise.calibrate import (
    DEFAULT_PARAMETERS,
    Calibration,
    CalibrationSettings,
    Parameter,
    Simulator,
    calibrate,
    load_parameter_file,
    plan_calibration,
    scenario_from_posterior,
    synthetic_target,
)
from equipoise.calibrate.sbc import sbc_summary, simulation_based_calibration
from equipoise.cli import main
from equipoise.history import scenario_from_history
from equipoise.validate import simulated_inputs
from equipoise.validate.simulation import _statistics

#: A short window keeps every calibration here cheap (30 steps of the 1816 great powers).
STEPS = 30
TINY = {"budget": 60, "population_size": 20}


# --- priors and parameter files ---------------------------------------------------------------


def test_default_priors_are_the_plausible_ranges_of_model_doc():
    # the scenario's fields declare the ranges, and tests/test_model_doc.py checks that
    # docs/model.md's table shows the same; tests/test_calibrate_sensitivity.py checks that
    # the defaults are the parameters its recorded analysis selects
    ranges = plausible_ranges()
    assert 5 <= len(DEFAULT_PARAMETERS) <= 8
    for p in DEFAULT_PARAMETERS:
        assert (p.low, p.high) == ranges[p.name], p.name


def test_parameter_file_flat_and_nested(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[parameters]\n"war.attack_probability" = [0.01, 0.2]\n'
        "[parameters.alliances]\nalliance_threshold = [0.2, 0.5]\n"
        "[abc]\npopulation_size = 30\n[statistics]\nexclude = ['con_mean']\n"
    )
    spec = load_parameter_file(path)
    assert spec.parameters == (
        Parameter("war.attack_probability", 0.01, 0.2),
        Parameter("alliances.alliance_threshold", 0.2, 0.5),
    )
    assert spec.abc == {"population_size": 30}
    plan = plan_calibration(parameters=path, steps=STEPS, settings=CalibrationSettings(budget=60))
    assert plan.settings.population_size == 30 and plan.settings.budget == 60
    assert "con_mean" not in plan.target.statistics
    assert [p.name for p in plan.parameters] == [
        "war.attack_probability",
        "alliances.alliance_threshold",
    ]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[parameters\n", "malformed TOML"),
        ("[other]\nx = 1\n", "unknown table 'other'"),
        ("[abc]\npopulation_size = 10\n", "no [parameters] table"),
        ('[parameters]\n"war.attack_probability" = 0.1\n', "[low, high]"),
        ('[parameters]\n"war.attack_probability" = [0.1, "x"]\n', "[low, high]"),
        ('[parameters]\n"war.nosuch" = [0, 1]\n', "Unknown parameter 'war.nosuch'"),
        ('[parameters]\n"hegemony.hegemony_duration" = [5, 20]\n', "Unknown parameter"),
        ('[parameters]\n"war.attack_probability" = [0.2, 0.1]\n', "low < high"),
        ('[parameters]\n"war.attack_probability" = [0.1, 1.5]\n', "not valid"),
        ('[parameters]\n"war.attack_probability" = [0.1, 0.2]\n[abc]\nbogus = 1\n', "bogus"),
        (
            '[parameters]\n"war.attack_probability" = [0.1, 0.2]\n[statistics]\nfoo = 1\n',
            "unknown key 'foo'",
        ),
        (
            '[parameters]\n"war.attack_probability" = [0.1, 0.2]\n[statistics]\n'
            'include = ["nope"]\n',
            "Unknown statistic 'nope'",
        ),
    ],
)
def test_bad_parameter_files_are_refused_with_one_line(tmp_path, text, needle):
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        plan_calibration(parameters=path, steps=STEPS)
    message = str(info.value)
    assert needle in message and "\n" not in message


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"population_size": 1}, "at least 2"),
        ({"generations": 0}, "'generations'"),
        ({"p": 0.5}, "'p'"),
        ({"min_epsilon": -1.0}, "'min_epsilon'"),
    ],
)
def test_bad_settings(changes, needle):
    with pytest.raises(ValueError, match=re.escape(needle)):
        CalibrationSettings(**changes)


def test_bad_arguments_of_calibrate():
    with pytest.raises(ValueError, match="at least twice the population size"):
        calibrate(steps=STEPS, budget=30, population_size=20)
    with pytest.raises(ValueError, match="year in 1816-2016"):
        calibrate(start=1700, **TINY)
    with pytest.raises(ValueError, match="'end' parameter must be after"):
        calibrate(start=1900, end=1850, **TINY)
    with pytest.raises(ValueError, match="given twice"):
        calibrate(parameters=[DEFAULT_PARAMETERS[0]] * 2, steps=STEPS, **TINY)
    with pytest.raises(ValueError, match="'workers'"):
        calibrate(steps=STEPS, workers=0, **TINY)


# --- the simulator measures what validate measures --------------------------------------------


def test_simulator_statistics_equal_validate_of_run():
    plan = plan_calibration(steps=STEPS)
    sim = Simulator(plan.scenario, plan.parameters, plan.target, seed=7)
    values = {p.name: p.low + 0.6 * (p.high - p.low) for p in plan.parameters}
    values["war.attack_probability"] = 0.2  # wars in 30 years of five states
    result = run(sim.scenario_for(values), range(3, 6), STEPS, 7)
    inputs = simulated_inputs(result, start=1816, years=STEPS)
    expected = _statistics(inputs, "exponential", None)
    n_stats = len(plan.target.statistics)
    for i, r in enumerate(range(3, 6)):
        got = sim.statistics(values, r)
        want = expected.loc[i, list(plan.target.statistics)].to_numpy(dtype=np.float64)
        np.testing.assert_allclose(got[:n_stats], want, rtol=1e-9, atol=1e-12, equal_nan=True)
        # the capability shares by decade: the recorded shares averaged over 10-year blocks
        caps = inputs.capabilities[i]
        blocks = np.concatenate([caps[a : a + 10].mean(axis=0) for a in range(0, STEPS, 10)])
        np.testing.assert_allclose(got[n_stats:], blocks, rtol=1e-6)


# --- a tiny calibration, its files, and the posterior as scenarios ---------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("cal") / "c"
    settings = CalibrationSettings(**TINY, predictive_draws=40)
    result = calibrate(steps=STEPS, seed=3, out=out, workers=1, settings=settings)
    return out, result


def test_tiny_calibration_writes_its_directory(finished):
    out, result = finished
    names = {
        "calibration.db", "calibration.json", "scenario.toml", "parameters.toml",
        "posterior.parquet", "calibrated.toml", "generations.csv", "predictive.csv",
        "posterior-summary.csv", "provenance.json",
    }  # fmt: skip
    assert names <= {p.name for p in out.iterdir()}
    post = pd.read_parquet(out / "posterior.parquet")
    assert len(post) == 20 and post["weight"].sum() == pytest.approx(1.0)
    for p in DEFAULT_PARAMETERS:
        assert post[p.name].between(p.low, p.high).all(), p.name
    meta = json.loads(pq.read_schema(out / "posterior.parquet").metadata[b"equipoise"])
    assert meta["command"] == "calibrate" and meta["seed"] == 3
    assert meta["scenario_hash"] == scenario_from_history(1816).content_hash()
    assert meta["pyabc_version"] and meta["model_version"]
    assert meta["simulations"] >= TINY["budget"]
    assert json.loads((out / "provenance.json").read_text()) == meta
    table = pd.read_csv(out / "predictive.csv")
    assert set(result.target.statistics) <= set(table["statistic"])
    interval = result.interval()
    assert (interval["low"] <= interval["median"]).all()
    assert (interval["median"] <= interval["high"]).all()
    span = interval["prior_high"] - interval["prior_low"]  # the identifiability
    np.testing.assert_allclose(interval["width"], (interval["high"] - interval["low"]) / span)
    assert interval["width"].between(0, 1).all()


def test_from_posterior_round_trip(finished):
    out, result = finished
    median = scenario_from_posterior(out)
    assert median == Scenario.load(out / "calibrated.toml")
    for name, value in result.median().items():
        table, key = name.split(".")
        assert getattr(getattr(median, table), key) == pytest.approx(value)
    post = pd.read_parquet(out / "posterior.parquet")
    for k in (0, 7):
        s = scenario_from_posterior(out, draw=k)
        assert s.name.endswith(f"-draw{k}")
        for p in DEFAULT_PARAMETERS:
            assert p.value_in(s) == post.loc[k, p.name]
        # everything else is the calibrated scenario's
        assert s.map == result.scenario.map and s.states == result.scenario.states
    with pytest.raises(ValueError, match="'draw' parameter must be in 0-19"):
        scenario_from_posterior(out, draw=20)
    loaded = Calibration.load(out)
    pd.testing.assert_frame_equal(loaded.posterior, result.posterior)


def test_from_posterior_refuses_what_is_not_a_calibration(tmp_path):
    with pytest.raises(ValueError, match="not an equipoise calibration"):
        scenario_from_posterior(tmp_path)


def test_a_different_calibration_in_the_directory_is_refused(finished):
    out, _ = finished
    with pytest.raises(InputError, match="holds a different calibration"):
        calibrate(steps=STEPS, seed=4, out=out, **TINY)


def _assert_same_calibration(a, b):
    """The same calibration to the bit: the posterior (particles, weights, distances), every
    generation's epsilon, simulations, acceptance rate and ESS, the simulations run (not the
    time taken)."""
    pd.testing.assert_frame_equal(a.posterior, b.posterior, check_exact=True)
    pd.testing.assert_frame_equal(
        a.generations.drop(columns="seconds"), b.generations.drop(columns="seconds"),
        check_exact=True,
    )  # fmt: skip
    assert a.settings["simulations"] == b.settings["simulations"]


#: One small calibration run on every execution: three generations of 20 particles.
PARALLEL = {"steps": STEPS, "seed": 6, "budget": 120, "population_size": 20}


@pytest.fixture(scope="module")
def one_process():
    return calibrate(**PARALLEL, workers=1)


def test_calibration_is_reproducible_in_one_process(one_process):
    _assert_same_calibration(calibrate(**PARALLEL, workers=1), one_process)
    assert len(one_process.generations) >= 2


def test_two_worker_processes_equal_one_process(one_process):
    # pyabc's parallel samplers accept whichever particles finish first, from worker-seeded
    # draws: two runs on two workers gave two posteriors. Each candidate now has its own
    # seed and candidates are accepted in index order: the same bits, run after run
    for _ in range(2):
        _assert_same_calibration(calibrate(**PARALLEL, workers=2), one_process)


def test_any_batch_size_gives_the_same_posterior(one_process):
    for batch in (1, 7):
        settings = CalibrationSettings(budget=120, population_size=20, batch_size=batch)
        result = calibrate(steps=STEPS, seed=6, settings=settings, workers=2)
        _assert_same_calibration(result, one_process)


def test_a_dask_cluster_equals_one_process(one_process):
    # on a running scheduler given by its address (--scheduler); --dask-local starts its
    # cluster with the same equipoise._dask.dask_client as sweeps (tests/test_sweep_cli.py)
    # and then runs this same sampler
    import distributed

    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        result = calibrate(**PARALLEL, scheduler=cluster.scheduler_address)
    _assert_same_calibration(result, one_process)
    for p in DEFAULT_PARAMETERS:
        assert result.posterior[p.name].between(p.low, p.high).all(), p.name


def test_another_seed_gives_another_posterior(one_process):
    other = calibrate(**{**PARALLEL, "seed": 7}, workers=1)
    assert not other.posterior.equals(one_process.posterior)


# --- resuming -------------------------------------------------------------------------------


def test_interrupted_calibration_resumes_from_its_last_generation(tmp_path):
    out = tmp_path / "c"
    args = {"steps": STEPS, "seed": 9, "out": out, "budget": 200, "population_size": 20}

    def stop_after_first(report):
        if report.stage == "generation" and report.generation == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        calibrate(**args, progress=stop_after_first)
    assert (out / "calibration.db").is_file()
    assert not (out / "posterior.parquet").exists()
    with pytest.raises(ValueError, match="unfinished calibration"):
        scenario_from_posterior(out)
    seen = []
    result = calibrate(**args, progress=seen.append, workers=2)
    # generations 0 and 1 were saved: the run continues with generation 2
    assert min(r.generation for r in seen) == 2
    assert result.generations["generation"].tolist()[:3] == [0, 1, 2]
    assert result.settings["simulations"] >= 200
    # and finishes as the uninterrupted run does, to the bit (on another number of workers:
    # the distance of generation 2 is scaled from generation 1's every particle, saved in
    # samples/, as pyabc's database keeps the accepted ones only)
    uninterrupted = calibrate(**{**args, "out": tmp_path / "u"}, workers=1)
    _assert_same_calibration(result, uninterrupted)
    # nothing left to do: the same command again returns at once with the same posterior
    again = calibrate(**args)
    pd.testing.assert_frame_equal(again.posterior, result.posterior)


# --- recovery and simulation-based calibration on synthetic data ------------------------------

#: A system of 20 generated states: enough wars in 60 years for war.attack_probability
#: to be identified by war onsets, state deaths and concentration.
SYNTHETIC = {"n_states": 20}
SYNTH_STATS = ("war_onset_rate", "state_death_rate", "con_mean")
ATTACK = Parameter("war.attack_probability", 0.01, 0.2)


def test_recovery_of_a_known_parameter():
    scenario = Scenario.load("null").replace(**SYNTHETIC)
    truth = 0.03
    target = synthetic_target(
        scenario, [ATTACK], {ATTACK.name: truth}, start=1816, end=1875,
        cohort=False, statistics=SYNTH_STATS, replication=7, seed=11,
    )  # fmt: skip
    result = calibrate(
        scenario, parameters=[ATTACK], target=target, budget=600, population_size=50, seed=3
    )
    row = result.interval(0.9).iloc[0]
    prior_mean = (ATTACK.low + ATTACK.high) / 2
    assert row["low"] <= truth <= row["high"]
    assert abs(row["median"] - truth) < 0.5 * abs(prior_mean - truth)
    assert row["high"] - row["low"] < 0.5 * (ATTACK.high - ATTACK.low)


def test_small_simulation_based_calibration_covers_the_truth():
    scenario = Scenario.load("null").replace(**SYNTHETIC)
    table = simulation_based_calibration(
        scenario, [ATTACK], datasets=6, start=1816, end=1865, cohort=False,
        statistics=SYNTH_STATS, population_size=30, budget=300, seed=5,
    )  # fmt: skip
    summary = sbc_summary(table).set_index("parameter")
    assert len(table) == 6 and table["rank"].between(0, 1).all()
    # 90% intervals: P(at most 3 of 6 covered) < 0.02 for a calibrated posterior
    assert summary.loc["all", "coverage"] >= 4 / 6
    # and the intervals are informative, not the whole prior
    assert summary.loc["all", "mean_width"] < 0.75 * (ATTACK.high - ATTACK.low)


# --- the command line -------------------------------------------------------------------------


def test_cli_calibrate_writes_results_and_resumes(tmp_path, capsys):
    out = tmp_path / "c"
    argv = ["calibrate", "--steps", str(STEPS), "--budget", "60", "--population", "20"]
    argv += ["--workers", "1", "-s", "2", "-q", "-o", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "war.attack_probability" in captured.out and "Results written" in captured.out
    assert (out / "posterior.parquet").is_file() and (out / "calibrated.toml").is_file()
    # the posterior's effective sample is reported, and warned of when under a tenth
    ess = float(pd.read_csv(out / "generations.csv")["ess"].iloc[-1])
    assert f"Effective sample of the posterior: {ess:.0f} of 20 particles" in captured.out
    assert ("rests on" in captured.err) == (ess < 2)
    # a larger budget resumes the same calibration
    assert main([*argv[:4], "120", *argv[5:]]) == 0
    captured = capsys.readouterr()
    assert "Resuming the calibration" in captured.err
    assert len(pd.read_csv(out / "generations.csv")) >= 2


def test_cli_interrupted_exits_130(tmp_path, capsys, monkeypatch):
    import equipoise.calibrate.smc as smc

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(smc, "calibrate", interrupted)
    code = main(["calibrate", "--steps", str(STEPS), "-q", "-o", str(tmp_path / "c")])
    assert code == 130
    assert "run the same command to resume" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "files", "needles"),
    [
        (["nosuch"], {}, ["unknown scenario 'nosuch'"]),
        (["--from", "1700"], {}, ["--from", "1816-2016"]),
        (["--from", "1900", "--to", "1850"], {}, ["--to", "after"]),
        (["--params", "missing.toml"], {}, ["Parameters file not found"]),
        (["--params", "p.toml"], {"p.toml": "[parameters]\n'war.x' = [0, 1]\n"}, ["war.x"]),
        (["--budget", "30"], {}, ["at least twice the population size (500)"]),
        (["--workers", "2", "--dask-local", "2"], {}, ["--workers", "--dask-local"]),
        (["--scheduler", "nowhere"], {}, ["--scheduler", "tcp://"]),
        (["-o", "full"], {"full/x.txt": "mine"}, ["not empty", "not an equipoise calibration"]),
        (["-o", "afile"], {"afile": "mine"}, ["not a directory"]),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(
    tmp_path, monkeypatch, capsys, args, files, needles
):
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    argv = ["calibrate", "--steps", str(STEPS), "-q", *args]
    if "-o" not in args:
        argv += ["-o", "out"]
    assert_refused(argv, tmp_path, capsys, needles)


# --- the report -------------------------------------------------------------------------------


def test_report_on_a_calibration(finished, tmp_path, capsys):
    out, result = finished
    from equipoise.report.sections import calibration_sections

    sections = calibration_sections(out)
    assert [s.title for s in sections] == ["Posterior", "Posterior predictive check", "ABC-SMC"]
    table = sections[0].blocks[0].table
    assert list(table.index) == [p.name for p in DEFAULT_PARAMETERS]
    assert table.loc["war.attack_probability", "median"] == "{:.4g}".format(
        result.median()["war.attack_probability"]
    )
    page = tmp_path / "cal.html"
    assert main(["report", str(out), "-o", str(page)]) == 0
    text = page.read_text()
    assert "equipoise calibration" in text and "Posterior predictive check" in text
    assert text.count("data:image/svg+xml") >= 2
    capsys.readouterr()


def test_report_on_an_unfinished_calibration_is_refused(tmp_path, monkeypatch, capsys):
    out = tmp_path / "c"
    args = {"steps": STEPS, "seed": 9, "out": out, "budget": 200, "population_size": 20}

    def stop(report):
        if report.stage == "generation":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        calibrate(**args, progress=stop)
    monkeypatch.chdir(tmp_path)
    assert_refused(["report", "c", "-o", "r.html"], tmp_path, capsys, ["unfinished calibration"])


def test_a_posterior_on_few_effective_particles_is_warned_of():
    from types import SimpleNamespace

    from rich.console import Console

    from equipoise.cli.calibrate import _report_ess

    def report(ess, method="smc"):
        out, err = Console(record=True, width=200), Console(record=True, width=200)
        result = SimpleNamespace(
            generations=pd.DataFrame({"ess": [400.0, ess]}),
            posterior=pd.DataFrame(index=range(500)),
            settings={"method": method},
        )
        _report_ess(out, err, result)
        return out.export_text(), err.export_text()

    out, err = report(3.5)
    assert "Effective sample of the posterior: 4 of 500 particles" in out
    assert "rests on 4 effective particles" in err and "unreliable" in err
    assert "(--population)" in err
    out, err = report(120.0)
    assert "120 of 500" in out and err == ""
    # the adjusted method has no population: a larger budget or share kept
    out, err = report(3.5, "adjusted")
    assert "--budget or --accept" in err and "--population" not in err


def test_the_proposal_kernel_is_twice_the_populations_weighted_covariance():
    from pyabc.transition.util import smart_cov

    from equipoise.calibrate._pyabc import KERNEL_SCALE, FastNormalTransition

    rng = np.random.default_rng(5)
    particles = pd.DataFrame(rng.normal(size=(300, 3)) * [1.0, 0.1, 3.0], columns=list("abc"))
    weights = rng.uniform(size=300)
    weights /= weights.sum()
    kernel = FastNormalTransition()
    kernel.fit(particles, weights)
    covariance = smart_cov(particles.to_numpy(), weights)
    assert KERNEL_SCALE == 2
    np.testing.assert_allclose(kernel.cov, 2 * covariance)
    # a proposal is a particle picked by weight plus the kernel's noise: its covariance is
    # the population's plus the kernel's, three times the population's
    np.random.seed(1)  # noqa: NPY002 - the kernel draws from numpy's global generator
    draws = pd.DataFrame([kernel.rvs_single() for _ in range(20_000)])
    np.testing.assert_allclose(np.diag(draws.cov()), 3 * np.diag(covariance), rtol=0.08)
