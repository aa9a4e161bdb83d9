"""The tutorials in docs/tutorials run at small sizes and give answers that make sense.

Each tutorial script defines ``main(<sizes>, out=...)``, writes its figure to ``out`` and
returns the numbers it prints. Here every script is loaded with ``runpy`` (so its
``if __name__ == "__main__"`` block does not run), run small, and checked.
"""

from __future__ import annotations

import re
import runpy
import textwrap
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


def _sane_rates(table) -> None:
    """Rates in [0, 1] inside their ordered Wilson intervals."""
    rate = table["hegemony_rate"]
    assert rate.between(0, 1).all()
    assert (table["hegemony_ci_low"] <= rate).all() and (rate <= table["hegemony_ci_high"]).all()
    assert (table["hegemony_ci_low"] >= 0).all() and (table["hegemony_ci_high"] <= 1).all()


def test_balancing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _main("balancing.py")(replications=40, steps=200, out=tmp_path)
    _check_png(tmp_path / "tutorial-balancing.png")
    assert list(table.index) == ["null", "balancers", "no-alliances", "bandwagoners"]
    _sane_rates(table)
    assert (table["replications"] == 40).all()
    assert table["survivors"].between(1, 50).all()
    # what the mechanisms guarantee: the null world and the no-alliances world form no
    # alliance, and null states keep the fixed arming share arming_base (0.03)
    assert table.loc["null", "allied_pairs"] == 0
    assert table.loc["no-alliances", "allied_pairs"] == 0
    assert table.loc["null", "mean_arming"] == pytest.approx(0.03, abs=1e-12)
    assert np.isnan(table.loc["null", "p_vs_null"])
    assert table.drop("null")["p_vs_null"].between(0, 1).all()
    out = capsys.readouterr().out
    for name in ("balancers", "no-alliances", "bandwagoners"):
        assert f"Fisher exact test, {name} vs null: p = " in out


def test_soft_balancing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _main("soft_balancing.py")(
        replications=40, steps=400, max_costs=(0.0, 0.05), sender_costs=(0.5, 2.0), out=tmp_path
    )
    _check_png(tmp_path / "tutorial-soft-balancing.png")
    assert len(table) == 5  # the null world, then 2 x 2 combinations
    assert np.isnan(table["max_cost"].iloc[0]) and np.isnan(table["sender_cost"].iloc[0])
    _sane_rates(table)
    assert table["sanctioners"].iloc[0] == 0  # nobody sanctions in the null world
    grid = table.iloc[1:].set_index(["sender_cost", "max_cost"])
    # Sanctions bounded at 0 cost the target nothing, so what the senders pay per unit of
    # it cannot matter: same seed, same runs, whatever sender_cost is.
    for column in ("hegemony_rate", "final_leader_share", "survivors", "sanctioners"):
        assert grid.loc[(0.5, 0.0), column] == grid.loc[(2.0, 0.0), column], column
    out = capsys.readouterr().out
    assert "soft-only as shipped" in out and "null as shipped" in out


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
    for column in ("start", "mean", "null_mean"):  # shares of the living sum to 1
        assert simulated[column].sum() == pytest.approx(1.0, abs=1e-6), column
    assert simulated["leads"].sum() == pytest.approx(1.0)
    assert simulated["null_leads"].sum() == pytest.approx(1.0)
    assert (simulated["p05"] <= simulated["mean"] + 1e-9).all()
    assert (simulated["mean"] <= simulated["p95"] + 1e-9).all()
    assert not np.isnan(simulated.loc["AUH", "history_1918"])  # AUH still exists in 1918
    # the mechanisms: the 1913 alliances (UKG-JPN, FRN-RUS, GMY-AUH-ITA) are blocs at the
    # start, 1 + 1 + 3 allied pairs in every replication; the null world has none, ever
    assert (found["initial_allied_pairs"] == 5).all()
    assert found["null_allied_pairs"] == 0
    assert "simulated from 1913" in capsys.readouterr().out


def test_landscape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _main("landscape.py")(windows=(40,), replications=20, steps=60, out=tmp_path)
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
    simulation = found["simulation"]
    assert list(simulation.index) == [
        "null",
        "balancers, threat rule",
        "balancers, landscape rule",
    ]
    assert simulation["hegemony_rate"].between(0, 1).all()
    assert simulation["survivors"].between(1, 50).all()
    # the mechanisms: nobody allies in the null world; under the landscape rule every
    # living state is in one of the two coalitions at every step
    assert simulation.loc["null", "allied_pairs"] == 0
    assert found["in_two_coalitions"] is True
    assert simulation.loc["balancers, landscape rule", "allied_pairs"] > 0
    assert "placed as in the war" in capsys.readouterr().out


def test_cluster_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    points = _main("cluster_sweep.py")(
        replications=6,
        steps=30,
        none=(0.0, 1.0),
        reliability=(0.5, 1.0),
        workers=2,
        results=tmp_path / "sweep",
        out=tmp_path,
    )
    _check_png(tmp_path / "tutorial-cluster-sweep.png")
    assert len(points) == 4, "one row per design point"
    grid = points[["strategies.none", "alliances.alliance_reliability"]].to_numpy().tolist()
    assert sorted(grid) == [[0.0, 0.5], [0.0, 1.0], [1.0, 0.5], [1.0, 1.0]]
    assert (points["replications"] == 6).all()
    _sane_rates(points)
    assert (tmp_path / "sweep" / "outcomes.parquet").is_file()
    # Common random numbers: in the null world (none = 1) nobody allies, so how reliable
    # allies are cannot matter: the two points are the same runs.
    null = points[points["strategies.none"] == 1.0]
    for column in ("hegemony_rate", "survivors", "mean_concentration", "wars_per_step"):
        assert null[column].nunique() == 1, column
    # chunks of 6 // 4 = 1 replication: 4 points x 6 chunks
    assert "chunks computed 24" in capsys.readouterr().out


def test_panels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _main("panels.py")(start=1816, end=2010, out=tmp_path)
    _check_png(tmp_path / "tutorial-panels.png")
    panel, fits = found["panel"], found["fits"]
    # politically relevant rows only: contiguous (COW types 1-5) or with a major power
    relevant = (panel["cowmaj1"] == 1) | (panel["cowmaj2"] == 1) | panel["conttype"].between(1, 5)
    assert relevant.all()
    for outcome, (onset, ongoing) in {
        "MID onset": ("gmlmidonset", "gmlmidongoing"),
        "war onset": ("cowinteronset", "cowinterongoing"),
    }.items():
        result, sample, table = fits[outcome]
        assert int(result.nobs) == len(sample) > 90_000
        assert int(result.model.endog.sum()) == int((sample[onset] == 1).sum())
        # no year of a dispute (war) already under way
        assert ((sample[ongoing] == 0) | (sample[onset] == 1)).all()
        assert np.allclose(table["odds ratio"], np.exp(table["coef"]))
        # the classic findings: neighbours fight, preponderance and joint democracy pacify,
        # and the risk falls after a dispute
        for term, sign in (
            ("land contiguity", 1),
            ("log capability ratio", -1),
            ("joint democracy", -1),
            ("t (peace years)", -1),
        ):
            assert np.sign(table.loc[term, "coef"]) == sign and table.loc[term, "p"] < 0.05, (
                outcome,
                term,
            )
    assert int(fits["MID onset"][0].model.endog.sum()) > 2000
    assert int(fits["war onset"][0].model.endog.sum()) > 200
    assert list(found["table"].columns) == ["MID onset", "war onset"]
    assert found["bibtex"].count("@") == 15
    out = capsys.readouterr().out
    assert "logits of dispute and war onset" in out and "odds ratios:" in out


def test_extending(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _main("extending.py")(replications=40, steps=200, out=tmp_path)
    _check_png(tmp_path / "tutorial-extending.png")
    assert list(table.index) == ["null", "balancers", "half-hedgers", "hedgers"]
    _sane_rates(table)
    assert table["survivors"].between(1, 10).all()
    # what the worlds guarantee: nobody allies in the null world, hedgers and balancers do;
    # a war has at least two sides
    assert table.loc["null", "allied_pairs"] == 0
    assert (table.drop("null")["allied_pairs"] > 0).all()
    assert (table["war_participants"] >= 2).all()
    assert np.isnan(table.loc["balancers", "p_vs_balancers"])
    assert table.drop("balancers")["p_vs_balancers"].between(0, 1).all()
    out = capsys.readouterr().out
    for name in ("half-hedgers", "hedgers"):
        assert f"{name} vs balancers: hegemony " in out


#: A fenced block whose title names a file of the repository: ```py title="src/..."
_EXCERPT = re.compile(r'^```(?:py|markdown) title="([^"]+)"\n(.*?)^```', re.S | re.M)


def test_the_extending_tutorial_quotes_the_code_as_it_is() -> None:
    """Every excerpt of docs/tutorials/extending.md is in the file its title names, verbatim
    (up to its indentation there), so that the worked example cannot drift from the code."""
    page = (TUTORIALS / "extending.md").read_text(encoding="utf-8")
    excerpts = [
        (path, text) for path, text in _EXCERPT.findall(page) if not text.startswith("--8<--")
    ]
    assert len(excerpts) >= 8
    for path, text in excerpts:
        source = (ROOT / path).read_text(encoding="utf-8").splitlines()
        lines = text.rstrip("\n").splitlines()
        found = any(
            textwrap.dedent("\n".join(source[k : k + len(lines)])) == "\n".join(lines)
            for k in range(len(source) - len(lines) + 1)
        )
        assert found, f"docs/tutorials/extending.md quotes {path} as it no longer is:\n{text}"
