"""The memory estimate that refuses hopeless runs up front, and the machine's available memory.

The estimate's formula follows the engine's memory model and will change with it, so these
tests check its behaviour (it grows with every dimension, states cost memory, the refusal
path) rather than exact byte counts; benchmarks/memory_estimate.py compares it with
measured peaks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clikit import assert_refused
from equipoise import _limits
from equipoise._limits import available_memory_bytes, format_bytes
from equipoise.cli import main
from equipoise.run_memory import estimate_run_bytes

BASE = {"n_states": 20, "replications": 200, "steps": 100, "record_states": True}


@pytest.mark.parametrize("key", ["n_states", "replications", "steps"])
def test_estimate_grows_with_every_dimension(key: str) -> None:
    sizes = []
    for factor in (1, 2, 10, 100):
        args = {**BASE, key: BASE[key] * factor}
        sizes.append(estimate_run_bytes(**args))
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes), sizes


def test_recording_states_costs_memory_in_proportion() -> None:
    with_states = estimate_run_bytes(20, 10_000, 1000, record_states=True)
    without = estimate_run_bytes(20, 10_000, 1000, record_states=False)
    assert with_states > without
    # the float32 shares alone are R x (T+1) x N x 4 bytes, and are held to the end
    assert with_states - without >= 10_000 * 1001 * 20 * 4


def test_estimate_bounds_the_arrays_the_run_keeps() -> None:
    """At least the result arrays themselves: 8 bytes per measure per replication-step."""
    from equipoise.results import SYSTEM_MEASURES

    r, t = 100_000, 1000
    assert estimate_run_bytes(2, r, t, record_states=False) >= 8 * len(SYSTEM_MEASURES) * r * (
        t + 1
    )


def test_the_issues_runs_are_far_beyond_any_machine() -> None:
    assert estimate_run_bytes(20, 1_000_000, 1_000_000, True) > 2**50  # > 1 PiB
    assert estimate_run_bytes(20, 1_000_000, 5, True) < estimate_run_bytes(20, 1_000_000, 500, True)


def test_available_memory_reads_meminfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    info = tmp_path / "meminfo"
    info.write_text(
        "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    8000000 kB\n",
        encoding="ascii",
    )
    assert _limits._meminfo_available(info) == 8_000_000 * 1024
    assert _limits._meminfo_available(tmp_path / "absent") is None
    (tmp_path / "old").write_text("MemTotal: 16000000 kB\n", encoding="ascii")  # Linux < 3.14
    assert _limits._meminfo_available(tmp_path / "old") is None


def test_available_memory_falls_back_to_sysconf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_limits, "_meminfo_available", lambda: None)
    values = {"SC_AVPHYS_PAGES": 1000, "SC_PAGE_SIZE": 4096}
    monkeypatch.setattr(os, "sysconf", values.__getitem__)
    assert available_memory_bytes() == 4_096_000
    monkeypatch.setattr(os, "sysconf", lambda name: (_ for _ in ()).throw(ValueError(name)))
    assert available_memory_bytes() is None


def test_available_memory_on_this_machine() -> None:
    have = available_memory_bytes()
    assert have is None or have > 2**20


def test_format_bytes() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(300 * 2**20) == "300 MiB"
    assert format_bytes(7.28 * 2**40) == "7.3 TiB"


# ------------------------------------------------------------------ the refusal on the CLI
@pytest.fixture
def scarce(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make the machine have ``have`` bytes available."""

    def set_available(have: int | None) -> None:
        monkeypatch.setattr("equipoise._limits.available_memory_bytes", lambda: have)

    return set_available


def test_refused_run_suggests_no_states_when_that_fits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scarce
) -> None:
    monkeypatch.chdir(tmp_path)
    full = estimate_run_bytes(50, 50_000, 300, True)
    lean = estimate_run_bytes(50, 50_000, 300, False)
    scarce((full + lean) // 2)
    line = assert_refused(
        ["run", "balancers", "-r", "50000", "-t", "300", "-q"],
        tmp_path,
        capsys,
        [
            "50,000 replications x 300 steps of 50 states need about",
            "more than the",
            "fewer replications (-r) or steps (-t)",
            f"--no-states (about {format_bytes(lean)})",
            "replications=range(a, b)",
        ],
    )
    assert format_bytes(full) in line


def test_refused_run_without_a_no_states_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scarce
) -> None:
    monkeypatch.chdir(tmp_path)
    scarce(2**20)
    line = assert_refused(
        ["run", "balancers", "-r", "10", "-t", "10", "-q"],
        tmp_path,
        capsys,
        ["of memory, more than the 1 MiB available", "fewer replications"],
    )
    assert "--no-states" not in line
    # --no-states itself is estimated without the states
    assert_refused(
        ["run", "balancers", "-r", "10", "-t", "10", "-q", "--no-states"],
        tmp_path,
        capsys,
        ["more than the 1 MiB available"],
    )


def test_compare_counts_every_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scarce
) -> None:
    monkeypatch.chdir(tmp_path)
    one = estimate_run_bytes(50, 1000, 100, True)
    scarce(one + one // 2)  # one scenario fits, three (the default comparison) do not
    assert main(["run", "balancers", "-r", "1000", "-t", "100", "-q", "-o", "single"]) == 0
    capsys.readouterr()
    assert_refused(
        ["compare", "-r", "1000", "-t", "100", "-q"],
        tmp_path,
        capsys,
        ["these 3 scenarios need about"],
    )


def test_unknown_available_memory_refuses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scarce
) -> None:
    monkeypatch.chdir(tmp_path)
    scarce(None)
    assert main(["run", "balancers", "-r", "2", "-t", "2", "-q"]) == 0
    assert "Results written" in capsys.readouterr().out
