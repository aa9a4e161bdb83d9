"""Finding a Chromium for the browser tests, or saying clearly why they cannot run.

The browser tests (tests/test_dashboard_browser.py) drive a real Chromium through
Playwright. Where none is installed they skip with a reason that says how to get one;
in continuous integration (``CI`` set, as GitHub Actions and ``.ci/run`` do) they fail
instead, so that a CI machine without a browser cannot pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

#: Environment variable naming the browser to use (a path to a Chromium or Chrome executable).
ENV_VAR = "EQUIPOISE_CHROMIUM"
#: Executable names looked up on PATH, in order (Debian/Ubuntu, older Ubuntu, Google's builds).
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: Absolute paths tried when PATH has none of the names (PATH may be trimmed under a venv).
PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

HOW_TO_INSTALL = (
    "install one (Debian/Ubuntu: `sudo apt-get install chromium`; anywhere: "
    "`python -m playwright install chromium`) or point EQUIPOISE_CHROMIUM at a Chromium "
    "or Chrome executable"
)


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``CI`` is set to something other than empty, 0, false or no."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _executable(path: str | os.PathLike[str]) -> bool:
    p = Path(path)
    return p.is_file() and os.access(p, os.X_OK)


def find_chromium(
    environ: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    playwright_browser: str | None = None,
) -> str | None:
    """The Chromium executable to drive, or ``None`` if none is installed.

    Order: ``$EQUIPOISE_CHROMIUM`` (which must then exist: a wrong setting is an
    error, not a reason to skip), a Chromium or Chrome on PATH, the usual absolute
    paths, then the browser that ``playwright install chromium`` downloaded
    (``playwright_browser``, its expected path).

    Raises
    ------
    FileNotFoundError
        If ``EQUIPOISE_CHROMIUM`` is set but names no executable file.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(ENV_VAR, "").strip()
    if chosen:
        if not _executable(chosen):
            raise FileNotFoundError(f"{ENV_VAR}={chosen} is not an executable file")
        return chosen
    for name in NAMES:
        found = which(name)
        if found:
            return found
    for path in PATHS:
        if _executable(path):
            return path
    if playwright_browser and _executable(playwright_browser):
        return playwright_browser
    return None


def chromium_or_skip(
    environ: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    playwright_browser: str | None = None,
) -> str:
    """:func:`find_chromium`, or skip the test (fail it in CI) with a reason saying what to do."""
    try:
        found = find_chromium(environ, which, playwright_browser)
    except FileNotFoundError as exc:
        pytest.fail(f"browser tests: {exc}")
    if found is not None:
        return found
    message = f"no Chromium or Chrome found for the browser tests: {HOW_TO_INSTALL}"
    if in_ci(environ):
        pytest.fail(f"{message} (CI is set, so the browser tests must run)")
    pytest.skip(message)
