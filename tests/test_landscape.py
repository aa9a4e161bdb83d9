"""Tests of equipoise.landscape: energy, exact and heuristic search, inputs and files.

The exact search is checked against a naive reference written from the
definitions of Axelrod & Bennett (1993) with plain Python loops: energy as a
double sum over pairs, stability under single moves, steepest descent by
trying every move.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from equipoise.landscape import (
    LandscapeError,
    energy,
    global_minima,
    multistart_minima,
    propensity_from_components,
    read_landscape,
    solve,
)


# ------------------------------------------------------------ naive reference
def naive_energy(s, p, x):
    n = len(s)
    return sum(s[i] * s[j] * p[i][j] for i in range(n) for j in range(i + 1, n) if x[i] != x[j])


def naive_landscape(s, p, tol=1e-12):
    """{configuration: (energy, basin)} of every local minimum, by brute force."""
    n = len(s)
    configs = [(0, *bits) for bits in itertools.product((0, 1), repeat=n - 1)]
    e = {x: naive_energy(s, p, x) for x in configs}
    scale = sum(abs(s[i] * s[j] * p[i][j]) for i in range(n) for j in range(i + 1, n))

    def canonical(x):
        return x if x[0] == 0 else tuple(1 - v for v in x)

    def steepest(x):
        best, to = 0.0, None
        for k in range(n):  # lowest index first: ties go to it
            y = canonical(tuple(1 - v if i == k else v for i, v in enumerate(x)))
            if e[y] - e[x] < -tol * scale and (to is None or e[y] - e[x] < best):
                best, to = e[y] - e[x], y
        return to

    ends: dict[tuple[int, ...], int] = {}
    for x in configs:
        while (y := steepest(x)) is not None:
            x = y
        ends[x] = ends.get(x, 0) + 1
    return {x: (e[x], count / len(configs)) for x, count in ends.items()}


def random_problem(rng, n, hostile=False):
    s = rng.random(n)
    p = -(1 + rng.random((n, n))) if hostile else rng.normal(size=(n, n))
    return s, (p + p.T) / 2


def as_dict(result):
    return {
        tuple(int(v) for v in x): (e, b)
        for x, e, b in zip(result.configurations, result.energies, result.basins, strict=True)
    }


# ------------------------------------------------------- hand-worked examples
def test_three_states_hand_worked():
    """Britain (2), France (1) friends, both hostile to Germany (3).

    E(GBR FRA | GER) = 2*3*(-1) + 1*3*(-1) = -9; E(GBR GER | FRA) = 2*1*1 + 1*3*(-1) = -1;
    E(GBR | FRA GER) = 2*1*1 + 2*3*(-1) = -4; E(all together) = 0. Only the first is
    stable, and every configuration descends to it.
    """
    p = [[0, 1, -1], [1, 0, -1], [-1, -1, 0]]
    s = [2.0, 1.0, 3.0]
    assert energy(s, p, [0, 0, 1]) == -9.0
    assert energy(s, p, [0, 1, 0]) == -1.0
    assert energy(s, p, [0, 1, 1]) == -4.0
    assert energy(s, p, [0, 0, 0]) == 0.0
    r = solve(s, p, names=["GBR", "FRA", "GER"])
    assert r.exact and r.searched == 4
    assert len(r) == 1
    assert r.coalitions() == (("GBR", "FRA"), ("GER",))
    assert r.best_energy == -9.0
    assert_allclose(r.basins, [1.0])


def test_three_equal_hostile_states_have_three_degenerate_minima():
    """p = -1 everywhere: any one state against the other two, E = -2 each.

    From "all together" every move gains 2; the tie goes to the first state, so its
    basin holds that configuration too: 2/4, and 1/4 for each other split.
    """
    r = solve([1, 1, 1], -(1 - np.eye(3)), names=["a", "b", "c"])
    assert_allclose(r.energies, [-2.0, -2.0, -2.0])
    got = {r.coalitions(k): r.basins[k] for k in range(3)}
    assert got == {
        (("a",), ("b", "c")): 0.5,
        (("a", "c"), ("b",)): 0.25,
        (("a", "b"), ("c",)): 0.25,
    }


def test_four_states_hand_worked():
    """Equal sizes; friends 1-2 and 3-4 (+1), rivals 1-3 and 2-4 (-1), 1-4 and 2-3 +0.5.

    Energies (cross pairs): 12|34 = -1-1+0.5+0.5 = -1; 14|23 = 1-1-1+1 = 0; 1234| = 0;
    13|24 = 3; each single state against the rest = 0.5. Stable: 12|34, 1234|, 14|23.
    Every lone state and 13|24 (through its first state) descend to 12|34: basin 6/8.
    """
    p = [[0, 1, -1, 0.5], [1, 0, 0.5, -1], [-1, 0.5, 0, 1], [0.5, -1, 1, 0]]
    r = solve([1, 1, 1, 1], p, names=["1", "2", "3", "4"])
    assert as_dict(r) == {
        (0, 0, 1, 1): (-1.0, 0.75),
        (0, 0, 0, 0): (0.0, 0.125),
        (0, 1, 1, 0): (0.0, 0.125),
    }
    assert r.coalitions(0) == (("1", "2"), ("3", "4"))
    assert energy([1, 1, 1, 1], p, [0, 1, 0, 1]) == 3.0
    frame = r.to_frame()
    assert list(frame.columns) == ["rank", "energy", "basin", "coalition_a", "coalition_b"]
    assert frame["coalition_a"].tolist() == ["1 2", "1 2 3 4", "1 4"]


def test_equal_hostility_predicts_the_most_even_split():
    """With p = -1 the energy is -S_A S_B: the minimum is the most even split of sizes."""
    s = np.array([5.0, 4.0, 3.0, 3.0, 2.0, 1.0])
    r = solve(s, -(1 - np.eye(6)))
    a = s[r.best == 0].sum()
    assert a * (s.sum() - a) == pytest.approx(-r.best_energy)
    assert a == pytest.approx(9.0)  # 18 split evenly, e.g. 5+4 against 3+3+2+1


# ----------------------------------------------------------- against naive
@pytest.mark.parametrize("seed", range(40))
def test_exact_matches_naive_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    s, p = random_problem(rng, n, hostile=seed % 4 == 0)
    got = as_dict(solve(s, p))
    want = naive_landscape(s.tolist(), p.tolist())
    assert got.keys() == want.keys()
    for x, (e, b) in want.items():
        assert got[x][0] == pytest.approx(e, rel=1e-9, abs=1e-12)
        assert got[x][1] == pytest.approx(b)


def test_small_chunks_give_the_same_result():
    rng = np.random.default_rng(7)
    s, p = random_problem(rng, 15)
    a, b = solve(s, p), solve(s, p, chunk_size=100)
    assert_array_equal(a.configurations, b.configurations)
    assert_array_equal(a.energies, b.energies)
    assert_array_equal(a.basins, b.basins)


def test_result_is_sorted_and_consistent():
    rng = np.random.default_rng(3)
    s, p = random_problem(rng, 12)
    r = solve(s, p)
    assert (np.diff(r.energies) >= 0).all()
    assert r.basins.sum() == pytest.approx(1.0)
    assert (r.configurations[:, 0] == 0).all()
    assert_allclose(energy(s, p, r.configurations), r.energies)
    # every minimum is stable under every single move, and the best is the global minimum
    for x, e in zip(r.configurations, r.energies, strict=True):
        flips = np.where(np.eye(12, dtype=bool), 1 - x, x)
        assert (energy(s, p, flips) >= e - 1e-12).all()
    every = np.array(list(itertools.product((0, 1), repeat=11)), dtype=np.int8)
    every = np.concatenate([np.zeros((every.shape[0], 1), dtype=np.int8), every], axis=1)
    assert energy(s, p, every).min() == pytest.approx(r.best_energy)


# --------------------------------------------------------------- invariances
@pytest.mark.parametrize("seed", range(5))
def test_relabelling_states(seed):
    rng = np.random.default_rng(100 + seed)
    n = 10
    s, p = random_problem(rng, n)
    perm = rng.permutation(n)
    a = solve(s, p)
    b = solve(s[perm], p[np.ix_(perm, perm)])
    assert_allclose(a.energies, b.energies, rtol=1e-10)
    assert_allclose(a.basins, b.basins)
    # the same partition, whichever label the first state of the new order carries
    back = b.best[np.argsort(perm)]
    assert_array_equal(back ^ back[0], a.best)


def test_swapping_coalition_labels_keeps_the_energy():
    rng = np.random.default_rng(11)
    s, p = random_problem(rng, 9)
    x = rng.integers(0, 2, size=(50, 9))
    assert_allclose(energy(s, p, x), energy(s, p, 1 - x))
    assert_allclose(energy(s, p, x.astype(bool)), energy(s, p, x))


@pytest.mark.parametrize("factor", [1e-6, 0.5, 3.0, 1e6])
def test_scaling_sizes_scales_energies_only(factor):
    rng = np.random.default_rng(5)
    s, p = random_problem(rng, 11)
    a, b = solve(s, p), solve(factor * s, p)
    assert_array_equal(a.configurations, b.configurations)
    assert_allclose(b.energies, factor**2 * a.energies, rtol=1e-9)
    assert_allclose(a.basins, b.basins)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 7),
    data=st.data(),
)
def test_energy_symmetries(n, data):
    """E is symmetric in the labels, in relabelling states, and additive over pairs."""
    floats = st.floats(-10, 10, allow_nan=False)
    s = np.array(data.draw(st.lists(st.floats(0, 10), min_size=n, max_size=n)))
    upper = data.draw(st.lists(floats, min_size=n * n, max_size=n * n))
    p = np.triu(np.array(upper).reshape(n, n), 1)
    p = p + p.T
    x = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    perm = np.array(data.draw(st.permutations(range(n))))
    e = energy(s, p, x)
    scale = 1.0 + np.abs(np.outer(s, s) * p).sum()
    assert e == pytest.approx(naive_energy(s, p, x), abs=1e-12 * scale)
    assert energy(s, p, 1 - x) == pytest.approx(e, abs=1e-12 * scale)
    assert energy(s[perm], p[np.ix_(perm, perm)], x[perm]) == pytest.approx(e, abs=1e-12 * scale)
    assert energy(s, p, np.zeros(n, dtype=int)) == 0.0


# ----------------------------------------------------------------- heuristic
def test_heuristic_finds_true_minima_and_says_it_is_not_exact():
    rng = np.random.default_rng(21)
    s, p = random_problem(rng, 14)
    exact = solve(s, p)
    h = solve(s, p, method="heuristic", restarts=3000, seed=1)
    assert not h.exact and exact.exact and h.searched == 3000
    assert h.basins.sum() == pytest.approx(1.0)
    known = as_dict(exact)
    for x, (e, _) in as_dict(h).items():
        assert x in known  # only true local minima are reported
        assert e == pytest.approx(known[x][0])
    assert h.best_energy == pytest.approx(exact.best_energy)
    # with many restarts the basin estimates approach the exact ones
    for x, (_, b) in as_dict(h).items():
        assert b == pytest.approx(known[x][1], abs=0.05)
    again = solve(s, p, method="heuristic", restarts=3000, seed=1)
    assert_array_equal(again.configurations, h.configurations)


def test_auto_switches_to_the_heuristic_with_a_warning_beyond_the_exact_limit():
    rng = np.random.default_rng(2)
    s, p = random_problem(rng, 26)
    with pytest.warns(UserWarning, match="may miss the global minimum"):
        r = solve(s, p, restarts=200)
    assert not r.exact and r.searched == 200
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not solve(s, p, method="heuristic", restarts=50).exact


# ---------------------------------------------------------- batched problems
def test_global_minima_agree_with_solve_and_do_not_depend_on_batching():
    rng = np.random.default_rng(9)
    n = 11
    sizes = rng.random((30, n))
    _, p = random_problem(rng, n)
    x, e = global_minima(sizes, p)
    for k in range(30):
        r = solve(sizes[k], p)
        assert e[k] == pytest.approx(r.best_energy, rel=1e-12)
        assert_array_equal(x[k], r.best)
        one_x, one_e = global_minima(sizes[k], p)
        assert_array_equal(one_x, x[k])
        assert one_e == e[k]  # bit-identical alone and in a batch
    x2, e2 = global_minima(sizes, p, chunk_size=1)
    assert_array_equal(x2, x)
    assert_array_equal(e2, e)


def test_multistart_reaches_stable_configurations():
    rng = np.random.default_rng(4)
    n = 12
    sizes = rng.random((10, n))
    p = -(1 + rng.random((10, n, n)))
    p = (p + p.transpose(0, 2, 1)) / 2
    starts = rng.integers(0, 2, size=(16, n))
    best_x, best_e = global_minima(sizes, p)
    for pairs in (True, False):
        x, e = multistart_minima(sizes, p, starts, pairs=pairs)
        assert (e >= best_e - 1e-12).all()
        for k in range(10):
            assert energy(sizes[k], p[k], x[k]) == pytest.approx(e[k])
            flips = np.where(np.eye(n, dtype=bool), 1 - x[k], x[k])
            assert (energy(sizes[k], p[k], flips) >= e[k] - 1e-12).all()
    x, e = multistart_minima(sizes, p, np.broadcast_to(best_x[:, None, :], (10, 1, n)))
    assert_allclose(e, best_e)


# ---------------------------------------------------------------- components
def test_propensity_from_components():
    a = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]])
    b = np.array([[0, 0, 1], [0, 0, 1], [1, 1, 0]])
    assert_array_equal(propensity_from_components([a, b], [2.0, -1.0]), 2 * a - b)
    assert_array_equal(propensity_from_components({"a": a, "b": b}, {"b": -3}), a - 3 * b)
    assert_array_equal(propensity_from_components({"a": a + 5 * np.eye(3)}), a)  # diagonal


@pytest.mark.parametrize(
    ("components", "weights", "match"),
    [
        ([], None, "at least one"),
        ([np.zeros((2, 2)), np.zeros((3, 3))], None, "must be 2 x 2"),
        ([np.array([[0, 1], [2, 0]])], None, "must be symmetric"),
        ({"a": np.zeros((2, 2))}, {"b": 1.0}, "unknown component 'b'"),
        ([np.zeros((2, 2))], [1.0, 2.0], "2 weights given for 1"),
        ([np.zeros((2, 2))], {"a": 1.0}, "weights by name"),
        ([np.array([[0, np.nan], [np.nan, 0]])], None, "finite"),
    ],
)
def test_propensity_from_components_rejects(components, weights, match):
    with pytest.raises(LandscapeError, match=match):
        propensity_from_components(components, weights)


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("sizes", "p", "match"),
    [
        ([1.0], [[0.0]], "at least 2 states"),
        ([1.0, -1.0], [[0, 1], [1, 0]], "B has size -1"),
        ([1.0, np.nan], [[0, 1], [1, 0]], "finite"),
        ([1.0, 1.0], [[0, 1, 0], [1, 0, 0]], "must be 2 x 2"),
        ([1.0, 1.0], [[0, 1], [0.5, 0]], r"symmetric: \[0, 1\] \(A, B\) is 1 but \[1, 0\] is 0.5"),
        ([1.0, 1.0], [[0, np.inf], [np.inf, 0]], "must be a finite number"),
        ([[1.0, 1.0]], [[0, 1], [1, 0]], "1-D"),
        (["a", "b"], [[0, 1], [1, 0]], "must be numbers"),
    ],
)
def test_invalid_inputs_are_one_line_errors(sizes, p, match):
    with pytest.raises(LandscapeError, match=match) as info:
        solve(sizes, p, names=["A", "B"] if np.ndim(sizes) == 1 and len(sizes) == 2 else None)
    assert "\n" not in str(info.value)


def test_invalid_options_and_names():
    s, p = [1.0, 2.0], [[0, 1], [1, 0]]
    with pytest.raises(LandscapeError, match="method must be"):
        solve(s, p, method="fast")
    with pytest.raises(LandscapeError, match="duplicate state name 'x'"):
        solve(s, p, names=["x", "x"])
    with pytest.raises(LandscapeError, match="3 names given for 2"):
        solve(s, p, names=["x", "y", "z"])
    with pytest.raises(LandscapeError, match="restarts"):
        solve(s, p, method="heuristic", restarts=0)
    with pytest.raises(LandscapeError, match="at most 28 states"):
        solve(np.ones(29), -(1 - np.eye(29)), method="exact")
    with pytest.raises(LandscapeError, match="every configuration is equally stable"):
        solve([0.0, 0.0, 1.0], np.ones((3, 3)))
    with pytest.raises(LandscapeError, match="labels 0 and 1"):
        energy(s, p, [0, 2])
    with pytest.raises(LandscapeError, match="one coalition label per state"):
        energy(s, p, [0, 1, 0])


def test_diagonal_is_ignored_and_inputs_not_modified():
    s = np.array([1.0, 2.0, 3.0])
    p = np.array([[9.0, 1.0, -1.0], [1.0, -7.0, 0.5], [-1.0, 0.5, np.nan]])
    before = p.copy()
    r = solve(s, p)
    assert_array_equal(np.diag(r.propensity), 0.0)
    assert_array_equal(p, before)
    assert r.best_energy == pytest.approx(solve(s, np.nan_to_num(p) * (1 - np.eye(3))).best_energy)


# --------------------------------------------------------------------- files
def test_read_csv_and_toml(tmp_path):
    csv = tmp_path / "l.csv"
    csv.write_text("name,size,A,B,C\nA,2,,1,-1\nB,1,1,,-1\nC,3,-1,-1,\n", encoding="utf-8")
    toml = tmp_path / "l.toml"
    toml.write_text(
        'names = ["A", "B", "C"]\nsizes = [2, 1, 3]\n'
        "[components]\nfriends = [[0, 1, 0], [1, 0, 0], [0, 0, 0]]\n"
        "enemies = [[0, 0, 1], [0, 0, 1], [1, 1, 0]]\n[weights]\nenemies = -1.0\n",
        encoding="utf-8",
    )
    a, b = read_landscape(csv), read_landscape(toml)
    assert a.names == b.names == ("A", "B", "C")
    assert_array_equal(a.sizes, b.sizes)
    assert_array_equal(a.propensity, b.propensity)
    assert solve(a.sizes, a.propensity, a.names).coalitions() == (("A", "B"), ("C",))


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("a.csv", "name,size,A,B\nA,1,,1\nB,1,2,\n", "must be symmetric"),
        ("a.csv", "name,size,A,B\nA,1,,x\nB,1,1,\n", "line 2, column 'B': 'x' is not a number"),
        ("a.csv", "name,size,A,B\nA,1,,1\n", "2 state columns but 1 data rows"),
        ("a.csv", "name,size,A,B\nB,1,,1\nA,1,1,\n", "rows must follow the order"),
        ("a.csv", "name,size,A,B\nA,1,,1,5\nB,1,1,\n", "line 2 has 5 cells"),
        ("a.csv", "state,size,A,B\nA,1,,1\nB,1,1,\n", "header must be"),
        ("a.csv", "name,size,A,B\nA,1,1\nB,1,1,\n", "line 2 has 3 cells"),
        ("a.csv", "name,size,A,B\nA,1,0,\nB,1,1,\n", "'B': '' is not a number"),
        ("a.csv", "", "empty"),
        ("a.toml", 'names = ["A", "B"\n', "malformed TOML"),
        ("a.toml", 'names = ["A", "B"]\nsizes = [1, 1]\n', "either 'propensity'"),
        ("a.toml", 'names = ["A"]\nsizes = [1, 1]\npropensity = [[0, 1], [1, 0]]\n', "1 names"),
        ("a.toml", 'names = ["A", "B"]\nsizes = [1, 1]\npropensity = [[0, 1], [1]]\n', "square"),
        ("a.toml", 'names = ["A", "B"]\nsizes = [1, 1, 1]\npropensity = [[0]]\n', "2 names given"),
        ("a.toml", "sizes = [1, 1]\npropensity = [[0, 1], [1, 0]]\n", "missing key 'names'"),
        ("a.toml", 'names = ["A", "B"]\nsizes = [1, 1]\nextra = 1\n', "unknown key 'extra'"),
        ("a.txt", "whatever", "expected a .csv or .toml"),
    ],
)
def test_read_rejects_bad_files(tmp_path, name, text, match):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LandscapeError, match=match) as info:
        read_landscape(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))


def test_read_missing_file(tmp_path):
    with pytest.raises(LandscapeError, match="file not found"):
        read_landscape(tmp_path / "nope.csv")


# ---------------------------------------------------------------------- docs
DOC = Path(__file__).resolve().parents[1] / "docs" / "landscape.md"
EXAMPLES = re.findall(
    r"```python\n(.*?)```\n\n(?:prints\n\n)?```\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S
)


def test_docs_have_runnable_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_docs_examples_print_what_the_docs_show(index):
    code, shown = EXAMPLES[index]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"docs/landscape.md example {index}", "exec"), {"__name__": "__doc__"})
    assert out.getvalue() == shown
