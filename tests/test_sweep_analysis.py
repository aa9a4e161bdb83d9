"""Sweep analysis on synthetic responses whose right answers are known.

The evaluation is replaced by a cheap synthetic model (the ``evaluate`` hook of
``sweep``) in which each outcome depends on exactly one parameter:

- hegemony: each replication reaches it with probability ``alliance_reliability``
  (a uniform draw of the engine's random-number contract for the point's seed and the
  replication), at step ``10``;
- survivors: ``round(2 + 3 * decisiveness)``, nothing else;
- concentration: ``0.1 + 5 * growth_rate``, nothing else.

So the Sobol' indices and Morris mu* of each outcome must single out its parameter,
and the scenario-discovery box for a threshold response must restrict that
parameter alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equipoise import metrics, rng
from equipoise.experiments import (
    IncompleteSweepError,
    SerialExecutor,
    SweepSpec,
    analyse,
    discover,
    outcomes_by_point,
    sweep,
)
from equipoise.experiments.chunks import ChunkTask, chunk_filename

pytest.importorskip("SALib")

X1, X2, X3 = "alliances.alliance_reliability", "war.decisiveness", "growth.growth_rate"
PARAMS = {
    X1: {"min": 0.0, "max": 1.0},
    X2: {"min": 1.0, "max": 4.0},
    X3: {"min": 0.0, "max": 0.04},
}


def synthetic(task: ChunkTask) -> pd.DataFrame:
    """Outcomes that depend on one parameter each (see the module docstring)."""
    s = task.scenario
    reps = np.arange(task.start, task.stop)
    u = np.array([rng.uniform(task.seed, int(r), 0, 0, 0) for r in reps])
    hit = u < s.alliances.alliance_reliability
    n = len(reps)
    con = 0.1 + 5 * s.growth.growth_rate
    return pd.DataFrame(
        {
            "point": np.full(n, task.point),
            "replication": reps,
            "hegemony_onset": np.where(hit, 10, -1),
            "hegemon": np.where(hit, 0, -1),
            "hegemony_steps": np.where(hit, task.steps - 10, 0),
            "survivors": np.full(n, round(2 + 3 * s.war.decisiveness)),
            "mean_concentration": np.full(n, con),
            "final_concentration": np.full(n, con),
            "final_leader_share": np.where(hit, 0.6, 0.3),
            "wars": np.zeros(n, dtype=np.int64),
            "mean_arming": np.full(n, 0.05),
        }
    )


def threshold(task: ChunkTask) -> pd.DataFrame:
    """Hegemony in every replication where reliability > 0.75, none elsewhere."""
    rows = synthetic(task)
    hit = task.scenario.alliances.alliance_reliability > 0.75
    rows["hegemony_onset"] = 10 if hit else -1
    return rows


def _run(tmp_path: Path, evaluate=synthetic, **fields: object) -> Path:
    data: dict[str, object] = {
        "scenario": "balancers",
        "replications": 20,
        "steps": 50,
        "seed": 2024,
        "output": str(tmp_path / "sweep"),
        "parameters": PARAMS,
        **fields,
    }
    spec = SweepSpec.from_dict(data)
    sweep(spec, SerialExecutor(), evaluate=evaluate)
    return tmp_path / "sweep"


def _index(table: pd.DataFrame, outcome: str, column: str) -> pd.Series:
    return table[table["outcome"] == outcome].set_index("parameter")[column]


# ==================================================================== Sobol'
@pytest.fixture(scope="module")
def sobol(tmp_path_factory: pytest.TempPathFactory):
    out = _run(tmp_path_factory.mktemp("sobol"), design="sobol", samples=64)
    return analyse(out)


def test_sobol_first_order_index_of_the_only_driver_dominates(sobol) -> None:
    sens = sobol.sensitivity
    assert list(sens.columns) == [
        "outcome",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
        "check",
    ]
    assert len(sens) == 4 * 3
    s1 = _index(sens, "hegemony_rate", "S1")
    st = _index(sens, "hegemony_rate", "ST")
    conf = _index(sens, "hegemony_rate", "S1_conf")
    # Binomial noise over 20 replications leaves ~80% of the variance to reliability.
    assert s1[X1] > 0.6
    assert s1[X1] - conf[X1] > max(s1[X2], s1[X3]) + max(conf[X2], conf[X3])
    assert st[X2] < 0.25 and st[X3] < 0.25
    for outcome, driver in (("survivors", X2), ("mean_concentration", X3)):
        s1 = _index(sens, outcome, "S1")
        st = _index(sens, outcome, "ST")
        assert s1[driver] == pytest.approx(1.0, abs=0.1), outcome
        others = [p for p in (X1, X2, X3) if p != driver]
        assert all(abs(s1[p]) < 0.05 and st[p] < 0.05 for p in others), outcome
    assert (sens["S1_conf"] >= 0).all() and (sens["ST_conf"] >= 0).all()


def test_time_to_hegemony_follows_the_hegemony_driver(sobol) -> None:
    st = _index(sobol.sensitivity, "time_to_hegemony", "ST")
    assert st[X1] > 0.6 and st[X1] > 3 * max(st[X2], st[X3])


def test_sobol_analysis_is_reproducible(sobol) -> None:
    again = analyse(sobol.directory)
    pd.testing.assert_frame_equal(again.sensitivity, sobol.sensitivity, check_exact=True)


def test_sobol_discovery_restricts_reliability(sobol) -> None:
    box = sobol.box.set_index("parameter")
    assert box.loc[X1, "restricted"]
    assert box.loc[X1, "box_low"] > 0.5
    assert sobol.box_stats["density"] > 0.8
    assert sobol.box_stats["mass"] >= 0.05


def test_analysis_writes_csv_tables(sobol, tmp_path: Path) -> None:
    out = sobol.to_csv(tmp_path / "analysis")
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        ".equipoise-files.json",
        "discovery_box.csv",
        "discovery_trajectory.csv",
        "points.csv",
        "provenance.json",
        "sensitivity.csv",
    ]
    points = pd.read_csv(out / "points.csv")
    assert len(points) == sobol.spec.n_points == 64 * 5
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "sensitivity.csv"), sobol.sensitivity, check_exact=False
    )
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["spec_hash"] == sobol.spec.content_hash()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # atomic: no leftovers


def test_second_order_indices(tmp_path: Path) -> None:
    result = analyse(_run(tmp_path, design="sobol", samples=16, second_order=True, replications=4))
    assert result.second_order is not None
    pairs = result.second_order
    assert len(pairs) == 4 * 3
    assert {"outcome", "parameter_1", "parameter_2", "S2", "S2_conf"} == set(pairs.columns)
    survivors = pairs[pairs["outcome"] == "survivors"]
    assert survivors["S2"].abs().max() < 0.1  # additive in one parameter: no interactions


# ===================================================================== Morris
def test_morris_mu_star_ranks_the_driver_first(tmp_path: Path) -> None:
    result = analyse(_run(tmp_path, design="morris", samples=20, morris_levels=4))
    sens = result.sensitivity
    assert list(sens.columns) == [
        "outcome",
        "parameter",
        "mu_star",
        "mu_star_conf",
        "mu",
        "sigma",
        "check",
    ]
    for outcome, driver in (
        ("hegemony_rate", X1),
        ("survivors", X2),
        ("mean_concentration", X3),
    ):
        mu_star = _index(sens, outcome, "mu_star")
        assert mu_star.idxmax() == driver, outcome
    survivors = _index(sens, "survivors", "mu_star")
    assert survivors[X1] == 0 and survivors[X3] == 0  # exactly no effect
    assert _index(sens, "survivors", "mu")[X2] > 0  # more decisive wars, more survivors here
    assert result.second_order is None


# ===================================================================== grids
def test_grid_discovery_finds_the_threshold_box(tmp_path: Path) -> None:
    params = {
        X1: {"min": 0.0, "max": 1.0, "num": 11},
        X2: [1.0, 2.5, 4.0],
        "alliances.alliance_rule": ["threat", "landscape"],
    }
    result = analyse(_run(tmp_path, evaluate=threshold, parameters=params, replications=5))
    assert result.sensitivity is None
    assert result.notes == ["no sensitivity indices for a grid design (use sobol or morris)"]
    box = result.box.set_index("parameter")
    assert box.loc[X1, "box_low"] == pytest.approx(0.8)
    assert box.loc[X1, "box_high"] == 1.0
    assert box.loc[X1, "restricted"]
    assert not box.loc[X2, "restricted"]
    assert not box.loc["alliances.alliance_rule", "restricted"]
    assert box.loc["alliances.alliance_rule", "box_levels"] == "landscape threat"
    assert result.box_stats == {
        "density": 1.0,
        "coverage": 1.0,
        "mass": pytest.approx(3 / 11),
        "points": 18,
    }
    trajectory = result.trajectory
    assert trajectory["density"].is_monotonic_increasing
    assert trajectory.iloc[0]["mass"] == 1.0


def test_points_table_counts_and_intervals(tmp_path: Path) -> None:
    out = _run(tmp_path, parameters={X1: [0.0, 0.5, 1.0]}, replications=30)
    result = analyse(out)
    points = result.points
    assert points["replications"].tolist() == [30, 30, 30]
    assert points["hegemonies"].iloc[0] == 0 and points["hegemonies"].iloc[2] == 30
    lo, hi = metrics.wilson_interval(points["hegemonies"].to_numpy(), 30)
    np.testing.assert_allclose(points["hegemony_ci_low"], lo)
    np.testing.assert_allclose(points["hegemony_ci_high"], hi)
    assert np.isnan(points["time_to_hegemony"].iloc[0])  # no hegemony: no time
    assert points["time_to_hegemony"].iloc[2] == 10
    assert points["time_to_hegemony_restricted"].iloc[0] == 50  # censored at `steps`
    assert points["survivors"].tolist() == [5.0, 5.0, 5.0]  # default decisiveness 1
    assert points["wars_per_step"].tolist() == [0.0, 0.0, 0.0]


def test_outcomes_by_point_on_hand_made_rows() -> None:
    spec = SweepSpec.from_dict(
        {
            "scenario": "balancers",
            "replications": 4,
            "steps": 20,
            "seed": 1,
            "parameters": {X2: [1.0, 2.0]},
        }
    )
    rows = pd.DataFrame(
        {
            "point": [0, 0, 0, 0, 1, 1, 1, 1],
            "replication": [0, 1, 2, 3] * 2,
            "hegemony_onset": [5, -1, 7, -1, -1, -1, -1, 12],
            "survivors": [3, 4, 5, 6, 1, 1, 1, 1],
            "mean_concentration": [0.1, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5],
            "final_leader_share": [0.5] * 8,
            "wars": [2, 0, 0, 2, 0, 0, 0, 0],
        }
    )
    table = outcomes_by_point(rows, spec)
    assert table["hegemonies"].tolist() == [2, 1]
    assert table["hegemony_rate"].tolist() == [0.5, 0.25]
    assert table["time_to_hegemony"].tolist() == [6.0, 12.0]
    assert table["time_to_hegemony_restricted"].tolist() == [
        (5 + 20 + 7 + 20) / 4,
        (20 + 20 + 20 + 12) / 4,
    ]
    assert table["survivors"].tolist() == [4.5, 1.0]
    assert table["mean_concentration"].tolist() == pytest.approx([0.25, 0.5])
    assert table["wars_per_step"].tolist() == [4 / (4 * 20), 0.0]
    assert table[X2].tolist() == [1.0, 2.0]


def test_constant_outcome_gets_a_note_not_an_index(tmp_path: Path) -> None:
    result = analyse(_run(tmp_path, design="sobol", samples=8, replications=2))
    assert set(result.sensitivity["outcome"]) == {
        "hegemony_rate",
        "time_to_hegemony",
        "survivors",
        "mean_concentration",
    }
    assert result.sensitivity["S1"].notna().all()  # every outcome varies here
    const = result.points.copy()
    const["survivors"] = 3.0
    from equipoise.experiments.analysis import sensitivity

    table, _, notes = sensitivity(result.spec, const)
    assert "survivors is constant across points: no indices" in notes
    assert table[table["outcome"] == "survivors"]["S1"].isna().all()


def test_no_hegemony_anywhere(tmp_path: Path) -> None:
    def never(task: ChunkTask) -> pd.DataFrame:
        rows = synthetic(task)
        rows["hegemony_onset"] = -1
        return rows

    result = analyse(_run(tmp_path, evaluate=never, parameters={X1: [0.2, 0.8]}))
    assert "no replication reached hegemony: the box is the whole design" in result.notes
    assert not result.box["restricted"].any()
    assert result.box_stats["density"] == 0.0


def test_incomplete_sweep_cannot_be_analysed(tmp_path: Path) -> None:
    out = _run(tmp_path, parameters={X1: [0.2, 0.8]})
    (out / "chunks" / chunk_filename(1, 0, 20)).unlink()
    with pytest.raises(IncompleteSweepError, match="not finished: 1 of 2 chunks missing"):
        analyse(out)


def test_discover_with_categorical_driver() -> None:
    points = pd.DataFrame(
        {
            "mode": ["a", "b", "c"] * 20,
            "noise": np.linspace(0, 1, 60),
        }
    )
    hits = np.where(points["mode"] == "b", 9, 1)
    box, stats, trajectory = discover(
        points, {"mode": "str", "noise": "float"}, hits, np.full(60, 10), min_mass=0.1
    )
    row = box.set_index("parameter").loc["mode"]
    assert row["box_levels"] == "b"
    assert row["design_levels"] == "a b c"
    assert stats["density"] == 0.9
    assert stats["coverage"] == pytest.approx(180 / 220)
    assert "mode != a" in trajectory["move"].tolist() or "mode != c" in trajectory["move"].tolist()


def test_csv_tables_show_grid_levels_as_written(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        design="grid",
        replications=2,
        parameters={"war.attack_probability": {"min": 0.0, "max": 0.08, "num": 5}},
    )
    text = (analyse(out).to_csv(tmp_path / "tables") / "points.csv").read_text(encoding="utf-8")
    levels = [line.split(",")[1] for line in text.splitlines()[1:]]
    assert levels == ["0", "0.02", "0.04", "0.06", "0.08"]
    exact = pd.read_parquet(out / "points.parquet")["war.attack_probability"]
    assert exact.iloc[3] == np.linspace(0.0, 0.08, 5)[3], "the Parquet design keeps every bit"


# ============================================================ unreliable indices (issue 25)
def rare(task: ChunkTask) -> pd.DataFrame:
    """Hegemony in about 1.5% of replications (3% times reliability): noise at 20 per point."""
    rows = synthetic(task)
    u = np.array([rng.uniform(task.seed, int(r), 0, 0, 1) for r in rows["replication"]])
    hit = u < 0.03 * task.scenario.alliances.alliance_reliability
    rows["hegemony_onset"] = np.where(hit, 10, -1)
    return rows


def test_indices_of_a_rare_outcome_are_flagged_and_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 25: `analyse` printed Sobol' indices above 1 and below 0, with intervals of
    ±0.69, for an outcome in 2.3% of runs, and said nothing."""
    from rich.console import Console

    from equipoise.cli import main
    from equipoise.cli import sweep as sweep_cli

    out = _run(tmp_path, evaluate=rare, design="sobol", samples=32)
    result = analyse(out)
    sens = result.sensitivity
    for _, row in sens.iterrows():  # every flag is deserved, and none is missing
        for value, conf in (("S1", "S1_conf"), ("ST", "ST_conf")):
            v, c = row[value], row[conf]
            flags = {
                "wide": 2 * c > abs(v),
                "<0": v < 0,
                ">1": v > 1,
            }
            for flag, deserved in flags.items():
                assert (f"{value} " in row["check"] and flag in row["check"]) or not deserved
    heg = sens[sens["outcome"] == "hegemony_rate"]
    assert (heg["check"] != "ok").all()
    noise = [w for w in result.warnings if w.startswith("hegemony_rate: hegemony occurs in")]
    assert len(noise) == 1
    assert "sampling noise makes up about" in noise[0]
    assert "per point of 20" in noise[0] and "replications per point" in noise[0]
    (samples,) = [w for w in result.warnings if w.startswith("hegemony_rate: ") and "32" in w]
    assert "too wide to rank the parameters" in samples
    assert "base samples instead of 32 would narrow it to ±0.05" in samples

    # the command line prints the checks and the warnings under the table
    monkeypatch.setattr(sweep_cli, "_out", Console(width=200, highlight=False))
    assert main(["analyse", str(out), "-o", str(tmp_path / "tables")]) == 0
    text = capsys.readouterr().out
    assert "check" in text and "wide" in text
    assert "warning: hegemony_rate: hegemony occurs in" in text
    assert pd.read_csv(tmp_path / "tables" / "sensitivity.csv")["check"].notna().all()


def test_a_common_outcome_is_not_called_noise_and_its_clear_ranking_is_said(sobol) -> None:
    assert not [w for w in sobol.warnings if "hegemony occurs in" in w]
    for outcome, driver in (("hegemony_rate", X1), ("survivors", X2)):
        lines = [w for w in sobol.warnings if w.startswith(f"{outcome}: ")]
        assert all(f"the ranking holds ({driver} first)" in w for w in lines), lines
