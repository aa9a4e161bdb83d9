"""Test configuration: Hypothesis profiles, the path to tests/strategies.py, shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI (CI=true) Hypothesis explores a fixed sequence of examples, so a green
# run is reproducible; locally it explores randomly to keep finding new cases.
# No deadlines: the first example of a test may include compiling Numba code.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def tiny_calibration(tmp_path_factory) -> Path:
    """A finished calibration as tiny as docs/calibrate.md's (30 years, 60 simulations, 20
    particles, 10 posterior predictive draws): for the tests that read one, not fit one."""
    from equipoise.calibrate import CalibrationSettings, calibrate

    out = tmp_path_factory.mktemp("calibration") / "cal-1845"
    abc = CalibrationSettings(budget=60, population_size=20, predictive_draws=10)
    calibrate(steps=30, settings=abc, seed=1, workers=1, out=out)
    return out
