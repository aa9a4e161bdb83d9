"""The dashboard and the HTML report in a real headless browser (Playwright + Debian's Chromium).

A fixture starts ``equipoise dashboard`` on a free local port, as a user
would; the tests open it, change parameters, run, upload a bad scenario and
cancel a long run, and open the HTML report in the same browser. Screenshots
are saved as test artifacts under a temporary directory, or under
``$EQUIPOISE_SCREENSHOTS`` when set (``EQUIPOISE_SCREENSHOTS=docs/images``
refreshes the README's pictures).

The browser is the first Chromium found (``tests/browserkit.py``): ``$EQUIPOISE_CHROMIUM``,
a ``chromium``/``google-chrome`` on PATH, or the one ``python -m playwright install chromium``
downloads. Without one these tests skip, saying how to install it; with ``CI`` set they fail
instead (``.ci/run`` installs Debian's ``chromium`` and sets ``CI``).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from browserkit import chromium_or_skip
from equipoise import run
from equipoise.report.render import render_report, write_report

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
# Generous: CI machines have two cores and may be busy; a passing test never waits this long.
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    where = os.environ.get("EQUIPOISE_SCREENSHOTS")
    if where:
        path = Path(where)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = chromium_or_skip(playwright_browser=p.chromium.executable_path)
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory) -> Iterator[str]:
    """URL of a dashboard served by `equipoise dashboard` on a free loopback port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "equipoise.cli", "dashboard", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended below by its id
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the dashboard exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the dashboard did not start in 60 s:\n{log.read_text()}")
            time.sleep(0.25)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture
def page(browser, dashboard) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(dashboard)
    expect(pg.get_by_role("tab", name="Simulate")).to_be_visible()
    yield pg
    context.close()


def _panel(page: Page, name: str):
    return page.get_by_role("tabpanel", name=name)


def _set_number(panel, label: str, value: int) -> None:
    box = panel.get_by_label(label, exact=True)
    expect(box).to_have_count(1)  # a rerun that replaces the widget has finished
    box.fill(str(value))
    box.press("Enter")
    expect(box).to_have_value(str(value))


def _no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _loaded_images(within, min_width: int = 0) -> int:
    """Number of images in ``within`` that the browser has decoded (naturalWidth > min_width)."""
    return within.locator("img").evaluate_all(
        f"els => els.filter(e => e.complete && e.naturalWidth > {min_width}).length"
    )


def _wait_for_images(within, n: int) -> None:
    """Wait until ``within`` shows at least ``n`` decoded figures (wider than 200 px)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (k := _loaded_images(within, 200)) < n:
        if time.monotonic() > deadline:
            pytest.fail(f"only {k} of {n} figures rendered in {TIMEOUT_MS / 1000:.0f} s")
        time.sleep(0.2)


# ------------------------------------------------------------------- dashboard
def test_run_shows_chart_and_hegemony_rate(page, artifacts):
    sim = _panel(page, "Simulate")
    sim.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="bandwagoners").click()
    expect(sim.get_by_text("ally with the strongest", exact=False)).to_be_visible()
    _set_number(sim, "Replications", 60)
    _set_number(sim, "Steps", 150)
    sim.get_by_role("button", name="Run", exact=True).click()

    metric = sim.get_by_test_id("stMetric").filter(has_text="Hegemony rate")
    expect(metric).to_be_visible()
    value = float(re.search(r"(\d\.\d{3})", metric.inner_text()).group(1))
    assert 0.0 <= value <= 1.0
    # the figure's caption proves the changed parameters were used
    expect(sim.get_by_text(re.compile(r"hegemony in \d+ of 60 replications"))).to_be_visible()
    expect(sim.get_by_text("95% Wilson interval", exact=False)).to_be_visible()
    images = sim.get_by_test_id("stImage")
    expect(images.first).to_be_visible()
    expect(page.get_by_text("Capability shares over time")).to_be_visible()
    _wait_for_images(sim, 7)  # shares x2, timing, bands, networks x2, wars
    _no_exception(page)
    page.screenshot(path=artifacts / "dashboard.png")
    page.screenshot(path=artifacts / "dashboard-full.png", full_page=True)


BAD_TOML = b'name = "oops"\nn_states = 5\n[war]\ndecisivness = 3.0\n'


def test_bad_toml_upload_shows_the_error_and_runs_nothing(page, artifacts):
    sim = _panel(page, "Simulate")
    sim.locator("input[type=file]").set_input_files(
        files=[{"name": "bad.toml", "mimeType": "application/toml", "buffer": BAD_TOML}]
    )
    alert = sim.get_by_test_id("stAlert").filter(has_text="unknown key")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("bad.toml")
    expect(alert).to_contain_text("unknown key 'war.decisivness'")
    expect(sim.get_by_role("button", name="Run", exact=True)).to_be_disabled()
    _no_exception(page)
    page.screenshot(path=artifacts / "dashboard-bad-toml.png")

    sim.locator("input[type=file]").set_input_files(
        files=[{"name": "worse.toml", "mimeType": "application/toml", "buffer": b"n_states = ="}]
    )
    expect(sim.get_by_test_id("stAlert").filter(has_text="malformed TOML")).to_be_visible()

    good = b'name = "five"\nn_states = 5\n[strategies]\nbandwagon = 1.0\n'
    sim.locator("input[type=file]").set_input_files(
        files=[{"name": "good.toml", "mimeType": "application/toml", "buffer": good}]
    )
    expect(sim.get_by_text("Loaded scenario 'five' (5 states) from good.toml.")).to_be_visible()
    expect(sim.get_by_role("button", name="Run", exact=True)).to_be_enabled()


def test_long_run_keeps_the_page_alive_and_can_be_cancelled(page, artifacts):
    sim = _panel(page, "Simulate")
    _set_number(sim, "Replications", 1400)
    _set_number(sim, "Steps", 2000)
    sim.get_by_role("button", name="Run", exact=True).click()
    progress = sim.get_by_text(re.compile(r"Running: [\d,]+ of 2,800,000 replication-steps"))
    expect(progress).to_be_visible()
    first = int(re.search(r"Running: ([\d,]+)", progress.inner_text()).group(1).replace(",", ""))
    # the page keeps answering: a widget change reruns the script while the job goes on
    _set_number(sim, "Seed", 7)
    page.get_by_role("tab", name="History").click()
    expect(_panel(page, "History").get_by_text("By decade")).to_be_visible()
    page.get_by_role("tab", name="Simulate").click()
    page.wait_for_function(
        "n => { const m = document.body.innerText.match(/Running: ([\\d,]+) of/);"
        " return m && Number(m[1].replaceAll(',', '')) > n; }",
        arg=first,
    )
    page.screenshot(path=artifacts / "dashboard-running.png")
    sim.get_by_role("button", name="Cancel").click()
    expect(sim.get_by_text("Run cancelled.")).to_be_visible()
    expect(sim.get_by_role("button", name="Run", exact=True)).to_be_enabled()
    _no_exception(page)


def test_compare_tab_shows_hegemony_rates_with_intervals(page, artifacts):
    page.get_by_role("tab", name="Compare").click()
    cmp = _panel(page, "Compare")
    _set_number(cmp, "Replications", 40)
    _set_number(cmp, "Steps", 150)
    cmp.get_by_role("button", name="Run comparison").click()
    for name in ("balancers", "bandwagoners"):
        expect(
            cmp.get_by_test_id("stMetric").filter(has_text=f"Hegemony rate: {name}")
        ).to_be_visible()
    expect(cmp.get_by_text("95% Wilson interval", exact=False).first).to_be_visible()
    expect(cmp.get_by_text("Fisher exact test", exact=False)).to_be_visible()
    _wait_for_images(cmp, 4)  # hegemony rates, timing x2, war sizes
    _no_exception(page)
    page.screenshot(path=artifacts / "dashboard-compare.png", full_page=True)


def test_history_tab_shows_the_great_powers(page, artifacts):
    page.get_by_role("tab", name="History").click()
    hist = _panel(page, "History")
    expect(hist.get_by_text("By decade")).to_be_visible()
    expect(hist.get_by_role("table").first).to_contain_text("UKG")
    _wait_for_images(hist, 4)  # shares, concentration, network, war sizes
    expect(
        hist.get_by_text("ATOP 5.1 alliances in force among the major powers in 1913")
    ).to_be_visible()
    _no_exception(page)
    page.screenshot(path=artifacts / "dashboard-history.png", full_page=True)


# ---------------------------------------------------------------------- report
@pytest.fixture(scope="module")
def report_files(tmp_path_factory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("report")
    result = run("bandwagoners", replications=60, steps=150, seed=3)
    return {
        "report": write_report(where / "report.html", render_report([result], samples=2)),
        "history": write_report(
            where / "history.html", render_report([result], history=(1816, 2016), samples=1)
        ),
    }


@pytest.mark.parametrize("which", ["report", "history"])
def test_report_renders_offline_without_console_errors(browser, report_files, artifacts, which):
    context = browser.new_context(viewport=VIEWPORT, offline=True)
    pg = context.new_page()
    problems: list[str] = []
    requests: list[str] = []

    def on_console(message) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"{message.type}: {message.text}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(report_files[which].as_uri(), wait_until="load")
    expect(pg.locator("h1")).to_contain_text("equipoise")
    n = pg.locator("img").count()
    assert n >= 7
    assert _loaded_images(pg.locator("main")) == n  # every figure decoded
    widths = pg.locator("img").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert min(widths) > 200
    assert pg.locator("table").count() >= 1
    others = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert others == [], others
    assert problems == [], problems
    pg.screenshot(path=artifacts / f"{which}.png")
    pg.screenshot(path=artifacts / f"{which}-full.png", full_page=True)
    context.close()
