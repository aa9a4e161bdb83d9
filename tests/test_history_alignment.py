"""Landscape inputs from COW and ATOP: equipoise.history.alignment, and the 1936 case."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from equipoise.history import alignment_components, load_nmc
from equipoise.history.alignment import AB1936_ALIGNMENT, AB1936_STATES, DEFAULT_WEIGHTS
from equipoise.scenario import InvalidScenarioError


@pytest.fixture(scope="module")
def europe():
    return alignment_components(1936, AB1936_STATES)


def pair(c, a, b, name):
    return c.components[name][c.names.index(a), c.names.index(b)]


def test_sizes_are_cinc_shares(europe):
    nmc = load_nmc()
    rows = nmc[(nmc["year"] == 1936) & nmc["ccode"].isin(AB1936_STATES)].sort_values("ccode")
    cinc = rows["cinc"].astype(float).to_numpy()
    assert europe.ccodes == AB1936_STATES
    assert_allclose(europe.sizes, cinc / cinc.sum())
    assert set(europe.names) == set(AB1936_ALIGNMENT)


def test_components_from_the_data(europe):
    for m in europe.components.values():
        assert_array_equal(m, m.T)
        assert_array_equal(np.diag(m), 0)
        assert set(np.unique(m)) <= {0.0, 1.0}
    assert pair(europe, "FRN", "RUS", "alliance") == 1  # Franco-Soviet pact, 1935
    assert pair(europe, "CZE", "ROM", "alliance") == 1  # Little Entente
    assert pair(europe, "GMY", "FRN", "war_enemies") == 1  # First World War
    assert pair(europe, "POL", "RUS", "war_enemies") == 1  # Russo-Polish war, 1919-20
    assert pair(europe, "UKG", "ITA", "war_allies") == 1
    assert pair(europe, "UKG", "DEN", "war_enemies") == 0
    p = europe.propensity()
    expected = sum(DEFAULT_WEIGHTS[k] * europe.components[k] for k in DEFAULT_WEIGHTS)
    assert_array_equal(p, expected)
    assert_array_equal(
        europe.propensity({"war_enemies": -2.0}), p - europe.components["war_enemies"]
    )


def test_war_window_and_pacts():
    short = alignment_components(1936, AB1936_STATES, war_years=10)
    assert pair(short, "GMY", "FRN", "war_enemies") == 0  # 1914 is outside 1926-1935
    loose = alignment_components(1936, AB1936_STATES, pacts=("nonagg",))
    assert pair(loose, "GMY", "POL", "alliance") == 1  # German-Polish declaration, 1934
    assert pair(short, "GMY", "POL", "alliance") == 0


def test_1936_prediction_against_the_second_world_war(europe):
    """13 of 17 states fall on the side they took (Axelrod & Bennett: 15, with 5 components)."""
    result = europe.solve()
    assert result.exact
    side = dict(zip(europe.names, result.best, strict=True))
    axis = side["GMY"]
    agree = [n for n in europe.names if (side[n] == axis) == (AB1936_ALIGNMENT[n] == 1)]
    assert sorted(set(europe.names) - set(agree)) == ["ITA", "LIT", "POL", "ROM"]
    assert result.coalitions()[1] == ("GMY", "POL", "HUN", "EST", "LAT", "FIN")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pacts": ("alliance",)}, "unknown pact type 'alliance'"),
        ({"pacts": ()}, "unknown pact type"),
        ({"war_years": 0}, "war_years must be a positive integer"),
        ({"states": [200]}, "at least 2 states"),
    ],
)
def test_invalid_arguments(kwargs, match):
    args = {"states": AB1936_STATES, **kwargs}
    with pytest.raises(InvalidScenarioError, match=match):
        alignment_components(1936, **args)


def test_shipped_1936_csv_is_derived_from_the_data(europe, tmp_path):
    """examples/landscape-europe-1936.csv is exactly what to_csv derives from COW and ATOP."""
    from pathlib import Path

    from equipoise.landscape import read_landscape

    shipped = Path(__file__).resolve().parents[1] / "examples" / "landscape-europe-1936.csv"
    assert europe.to_csv() == shipped.read_text(encoding="utf-8")
    out = tmp_path / "europe.csv"
    assert europe.to_csv(out) == out.read_text(encoding="utf-8")
    back = read_landscape(out)
    assert back.names == europe.names
    assert_allclose(back.sizes, europe.sizes / europe.sizes.sum(), atol=1e-5)
    assert_array_equal(back.propensity, europe.propensity())
    assert list(tmp_path.iterdir()) == [out]  # atomic: no temporary file left behind


def test_to_csv_weights_and_errors(europe):
    text = europe.to_csv(weights={"war_enemies": -0.5}, digits=3)
    header, first = text.splitlines()[:2]
    assert header.startswith("name,size,UKG,FRN,POR,GMY")
    assert first.startswith("UKG,0.155,,2,2,0.5,")  # Locarno (+1) with Germany, WWI (-0.5)
    with pytest.raises(ValueError, match="The 'digits' parameter"):
        europe.to_csv(digits=0)


def test_locarno_keeps_germany_allied_in_1936(europe):
    """ATOP ends Germany's Locarno membership in 1936 (March), so 1936 still counts it."""
    for other in ("UKG", "FRN", "ITA"):
        assert pair(europe, "GMY", other, "alliance") == 1
        assert europe.propensity()[europe.names.index("GMY"), europe.names.index(other)] == 0
    later = alignment_components(1937, AB1936_STATES)
    assert not later.components["alliance"][later.names.index("GMY")].any()
