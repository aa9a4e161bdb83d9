"""The browser tests find an installed Chromium, skip without one, and fail without one in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

import browserkit
from browserkit import chromium_or_skip, find_chromium, in_ci


def _nothing_on_path(name: str) -> str | None:
    return None


@pytest.fixture
def no_system_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend that none of the usual absolute paths holds a browser."""
    monkeypatch.setattr(browserkit, "PATHS", ())


@pytest.fixture
def fake_browser(tmp_path: Path) -> Path:
    exe = tmp_path / "my-chromium"
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_environment_variable_comes_first(fake_browser: Path) -> None:
    def which(name: str) -> str:
        return f"/opt/{name}"

    env = {"EQUIPOISE_CHROMIUM": str(fake_browser)}
    assert find_chromium(env, which) == str(fake_browser)


def test_a_wrong_environment_variable_fails_even_outside_ci(tmp_path: Path) -> None:
    env = {"EQUIPOISE_CHROMIUM": str(tmp_path / "nowhere")}
    with pytest.raises(FileNotFoundError, match="EQUIPOISE_CHROMIUM"):
        find_chromium(env, _nothing_on_path)
    with pytest.raises(pytest.fail.Exception, match="EQUIPOISE_CHROMIUM"):
        chromium_or_skip(env, _nothing_on_path)


def test_path_lookup_in_order(no_system_browser: None) -> None:
    found = {"google-chrome": "/usr/local/bin/google-chrome"}
    assert find_chromium({}, found.get) == "/usr/local/bin/google-chrome"
    found["chromium"] = "/usr/bin/chromium"
    assert find_chromium({}, found.get) == "/usr/bin/chromium"


def test_playwrights_own_browser_is_used_last(no_system_browser: None, fake_browser: Path) -> None:
    assert find_chromium({}, _nothing_on_path, str(fake_browser)) == str(fake_browser)
    assert find_chromium({}, _nothing_on_path, str(fake_browser.with_name("absent"))) is None


def test_no_browser_skips_with_how_to_install(no_system_browser: None) -> None:
    with pytest.raises(pytest.skip.Exception) as exc:
        chromium_or_skip({}, _nothing_on_path)
    reason = str(exc.value)
    assert "apt-get install chromium" in reason
    assert "playwright install chromium" in reason
    assert "EQUIPOISE_CHROMIUM" in reason


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_no_browser_in_ci_fails(no_system_browser: None, value: str) -> None:
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        chromium_or_skip({"CI": value}, _nothing_on_path)


@pytest.mark.parametrize(("value", "expected"), [("", False), ("false", False), ("0", False)])
def test_ci_values_that_mean_no(value: str, expected: bool) -> None:
    assert in_ci({"CI": value}) is expected
    assert in_ci({}) is False
