"""The random-number contract: Threefry-2x32-20 known answers, uniforms, AS241 normals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.special import ndtri

from equipoise import rng

# Random123's known-answer vectors for threefry2x32 with 20 rounds (key; counter -> output),
# as listed in ../shared/REFERENCES.md (Salmon et al. 2011).
KAT = [
    ((0x00000000, 0x00000000), (0x00000000, 0x00000000), (0x6B200159, 0x99BA4EFE)),
    ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
    ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
]


@pytest.mark.parametrize(("key", "counter", "expected"), KAT)
def test_threefry_known_answers(key, counter, expected):
    assert rng.threefry2x32(*key, *counter) == expected


def test_uniform_is_the_documented_function_of_the_cipher():
    x0, x1 = rng.threefry2x32(7, 3, 11, 5 * 256 + rng.SHOCK)
    k = ((x0 << 32) | x1) >> 12
    assert rng.uniform(7, 3, 11, 5, rng.SHOCK) == (k + 0.5) * 2.0**-52


def test_uniforms_lie_strictly_inside_the_unit_interval_and_look_uniform():
    u = rng.uniforms(20260101, 0, 1, np.arange(200_000), rng.BATTLE)
    assert u.min() > 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3


def test_extreme_words_stay_inside_the_unit_interval():
    # k = 0 and k = 2**52 - 1 are the extreme 52-bit integers
    assert (0 + 0.5) * 2.0**-52 > 0.0
    assert ((2**52 - 1) + 0.5) * 2.0**-52 < 1.0


def test_draws_differ_by_every_coordinate():
    base = rng.uniform(1, 2, 3, 4, rng.BATTLE)
    others = [
        rng.uniform(2, 2, 3, 4, rng.BATTLE),
        rng.uniform(1, 3, 3, 4, rng.BATTLE),
        rng.uniform(1, 2, 4, 4, rng.BATTLE),
        rng.uniform(1, 2, 3, 5, rng.BATTLE),
        rng.uniform(1, 2, 3, 4, rng.PATH),
    ]
    assert all(o != base for o in others)


def test_inverse_normal_matches_scipy_to_double_precision():
    p = np.concatenate(
        [np.geomspace(1e-300, 0.4, 2000), np.linspace(0.05, 0.95, 20001), 1 - np.geomspace(1e-16, 0.4, 2000)]
    )
    z = np.array([rng.inverse_normal(x) for x in p])
    ref = ndtri(p)
    assert np.max(np.abs(z - ref) / np.maximum(1.0, np.abs(ref))) < 1e-14


def test_inverse_normal_edges():
    assert rng.inverse_normal(0.5) == 0.0
    assert rng.inverse_normal(0.0) == -np.inf
    assert rng.inverse_normal(1.0) == np.inf
    assert np.isnan(rng.inverse_normal(1.5))


def test_normal_draws_are_standard_normal():
    z = np.array([rng.normal(3, 0, 1, i, rng.SHOCK) for i in range(50_000)])
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1.0) < 0.02
    assert stats.kstest(z, "norm").pvalue > 1e-3


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "7", True, None])
def test_check_seed_rejects_what_the_contract_cannot_key(bad):
    with pytest.raises(ValueError, match=r"seed must be an integer in \[0, 2\*\*32\)"):
        rng.check_seed(bad)


def test_derived_seeds_are_valid_distinct_and_stable():
    seeds = [rng.derive_seed(42, i) for i in range(1000)]
    assert len(set(seeds)) == 1000
    assert all(0 <= s < 2**32 for s in seeds)
    assert seeds[:3] == [rng.derive_seed(42, i) for i in range(3)]
    assert rng.derive_seed(42, 0) != rng.derive_seed(43, 0)


def test_purposes_are_distinct_bytes():
    codes = list(rng.PURPOSES.values())
    assert len(set(codes)) == len(codes)
    assert all(0 <= c < 256 for c in codes)
