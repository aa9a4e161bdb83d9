"""Test configuration: Hypothesis profiles and the path to tests/strategies.py."""

from __future__ import annotations

import os

from hypothesis import settings

# In CI (CI=true) Hypothesis explores a fixed sequence of examples, so a green
# run is reproducible; locally it explores randomly to keep finding new cases.
# No deadlines: the first example of a test may include compiling Numba code.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
