"""The tutorials in docs/tutorials run at small sizes and give answers that make sense.

Each tutorial script defines ``main(<sizes>, out=...)``, writes its figure to ``out`` and
returns the numbers it prints. Here every script is loaded with ``runpy`` (so its
``if __name__ == "__main__"`` block does not run), run small, and checked.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import matplotlib.image
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _main(script: str) -> Any:
    return runpy.run_path(str(TUTORIALS / script), run_name="tutorial")["main"]


def _check_png(path: Path) -> None:
    assert path.is_file(), f"{path.name} was not written"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert path.stat().st_size > 10_000, "the figure is nearly empty"
    image = matplotlib.image.imread(path)
    height, width = image.shape[:2]
    assert width >= 600 and height >= 300
    assert np.ptp(image[..., :3]) > 0.5, "the figure has no contrast"


def test_balancing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _main("balancing.py")(replications=40, steps=200, out=tmp_path)
    _check_png(tmp_path / "tutorial-balancing.png")
    assert list(table.index) == ["balancers", "no-alliances", "bandwagoners"]
    rate = table["hegemony_rate"]
    assert rate["balancers"] < rate["bandwagoners"]
    assert rate["balancers"] <= rate["no-alliances"]
    assert (table["hegemony_ci_low"] <= rate).all() and (rate <= table["hegemony_ci_high"]).all()
    assert (table["replications"] == 40).all()
    out = capsys.readouterr().out
    assert "Fisher exact test" in out and "bandwagoners" in out


def test_soft_balancing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _main("soft_balancing.py")(
        replications=40, steps=200, strengths=(0.0, 0.2), costs=(0.25, 1.0), out=tmp_path
    )
    _check_png(tmp_path / "tutorial-soft-balancing.png")
    assert len(table) == 4
    rate = table.set_index(["sanction_cost", "strength"])["hegemony_rate"]
    # Without sanctions the cost cannot matter: same seed, same runs.
    assert rate[(0.25, 0.0)] == rate[(1.0, 0.0)]
    assert rate[(0.25, 0.0)] > 0.1, "uneven growth should make hegemony a real danger"
    # Strong, cheap sanctions prevent hegemony; costly ones prevent it less.
    assert rate[(0.25, 0.2)] < rate[(0.25, 0.0)]
    assert rate[(0.25, 0.2)] <= rate[(1.0, 0.2)]
    assert "soft-only as shipped" in capsys.readouterr().out


def test_europe_1913(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _main("europe_1913.py")(replications=20, steps=5, out=tmp_path)
    _check_png(tmp_path / "tutorial-europe-1913.png")
    shares = found["shares"]
    assert shares.sum() == pytest.approx(1.0, abs=1e-9)
    assert {"GMY", "UKG", "USA", "FRN", "RUS", "AUH", "ITA", "JPN"} == set(shares.index)
    assert shares.index[0] == "USA" and shares.index[1] == "GMY"
    assert sum(found["camps"].values()) == pytest.approx(1.0)
    assert found["camps"]["Triple Entente"] > found["camps"]["Triple Alliance"]
    system = found["system"]
    assert system["leader_abb"] == "USA" and 0 < system["concentration"] < 1
    assert ("GMY", "AUH") in found["alliances"] and ("FRN", "RUS") in found["alliances"]
    assert ("UKG", "FRN") in found["entente"] and ("UKG", "FRN") not in found["alliances"]
    simulated = found["simulated"]
    assert simulated["mean"].sum() == pytest.approx(1.0, abs=1e-6)
    assert simulated["leads"].sum() == pytest.approx(1.0)
    assert (simulated["p05"] <= simulated["p95"]).all()
    assert not np.isnan(simulated.loc["AUH", "history_1918"])  # AUH still exists in 1918
    assert "simulated from 1913" in capsys.readouterr().out


def test_landscape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _main("landscape.py")(windows=(40,), out=tmp_path)
    _check_png(tmp_path / "tutorial-landscape.png")
    a, b = found["coalitions"]
    assert a and b and not set(a) & set(b)
    assert len(a) + len(b) == 17
    assert "UKG" in a and "GMY" in b
    assert found["correct"] == int(found["states"]["match"].sum())
    assert 9 <= found["correct"] <= 17
    best = found["configurations"]["energy"].iloc[0]
    assert best <= found["historical_energy"]
    assert 0 <= found["share_below_historical"] < 1
    assert list(found["windows"].index) == [40]
    assert found["windows"].loc[40, "correct"] == found["correct"]
    assert "placed as in the war" in capsys.readouterr().out


def test_cluster_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    points = _main("cluster_sweep.py")(
        replications=6,
        steps=30,
        appeasement=(0.0, 0.05),
        decisiveness=(1.0, 3.0),
        workers=2,
        results=tmp_path / "sweep",
        out=tmp_path,
    )
    _check_png(tmp_path / "tutorial-cluster-sweep.png")
    assert len(points) == 4, "one row per design point"
    grid = points[["alliances.appeasement", "war.decisiveness"]].to_numpy().tolist()
    assert sorted(grid) == [[0.0, 1.0], [0.0, 3.0], [0.05, 1.0], [0.05, 3.0]]
    assert (points["replications"] == 6).all()
    assert points["hegemony_rate"].between(0, 1).all()
    assert (tmp_path / "sweep" / "outcomes.parquet").is_file()
    # chunks of 6 // 4 = 1 replication: 4 points x 6 chunks
    assert "chunks computed 24" in capsys.readouterr().out


def test_panels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _main("panels.py")(start=1816, end=2007, out=tmp_path)
    _check_png(tmp_path / "tutorial-panels.png")
    sample, result, table = found["panel"], found["result"], found["table"]
    assert int(result.nobs) == len(sample) > 100_000
    assert int(result.model.endog.sum()) == int((sample["cowinteronset"] == 1).sum()) > 250
    # politically relevant rows only, and no year of a war already under way
    relevant = (sample["cowmaj1"] == 1) | (sample["cowmaj2"] == 1) | (sample["capdist"] <= 1000)
    assert relevant.all()
    assert ((sample["cowinterongoing"] == 0) | (sample["cowinteronset"] == 1)).all()
    # Bremer (1992): preponderance deters; allies rarely fight; risk falls after a war
    assert table.loc["log power ratio", "coef"] < 0 and table.loc["log power ratio", "p"] < 0.01
    assert table.loc["defence pact", "coef"] < 0
    assert table.loc["t (peace years)", "coef"] < 0 and table.loc["t (peace years)", "p"] < 0.01
    assert np.allclose(table["odds ratio"], np.exp(table["coef"]))
    assert found["bibtex"].count("@") == 12
    out = capsys.readouterr().out
    assert "Logit of war onset" in out and "odds ratios:" in out and "290 war onsets" in out
