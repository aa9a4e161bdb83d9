"""The dashboard and the HTML report in a real headless browser (Playwright + Debian's Chromium).

A fixture starts ``equipoise dashboard`` on a free local port, as a user
would; the tests open it, change parameters, run, move through the map of a
replication with the step slider and the play button, upload a bad scenario
and cancel a long run, run counterfactuals (with and without a posterior) and
open a calibration and a counterfactual directory, and open the HTML report in
the same browser. Every
page is watched: no console error, and no request leaves the dashboard's own
address. Screenshots are saved as test artifacts under a temporary directory,
or under ``$EQUIPOISE_SCREENSHOTS`` when set (``EQUIPOISE_SCREENSHOTS=docs/images``
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
from equipoise.calibrate.counterfactual import counterfactual
from equipoise.report.render import render_report, render_validation_report, write_report
from equipoise.validate import validate_scenario

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
    """URL of a dashboard served by `equipoise dashboard` on a free loopback port.

    It runs in a working directory holding one output, a counterfactual in
    ``equipoise-results/cf-1871``, for the tab that lists the outputs it finds there.
    """
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    home = tmp_path_factory.mktemp("home")
    counterfactual(1871, "no-alliances", replications=12, steps=10, seed=3).to_files(
        home / "equipoise-results" / "cf-1871"
    )
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "equipoise.cli", "dashboard", "--port", str(port)],
            cwd=home,
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
    problems: list[str] = []
    elsewhere: list[str] = []
    pg.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on(
        "request",
        lambda r: (
            None if r.url.startswith((dashboard, "data:", "blob:")) else elsewhere.append(r.url)
        ),
    )
    pg.goto(dashboard)
    expect(pg.get_by_role("tab", name="Simulate")).to_be_visible()
    yield pg
    context.close()
    # every test's page: no console error, and nothing fetched from anywhere but the dashboard
    assert problems == [], problems
    assert elsewhere == [], elsewhere


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
    """Wait until ``within`` shows at least ``n`` decoded figures (wider than 200 px).

    Then wait for every other image in it to finish loading too (:func:`_settle_images`), so
    that the next input does not race the browser's fetches.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (k := _loaded_images(within, 200)) < n:
        if time.monotonic() > deadline:
            pytest.fail(f"only {k} of {n} figures rendered in {TIMEOUT_MS / 1000:.0f} s")
        time.sleep(0.2)
    _settle_images(within)


def _settle_images(within) -> None:
    """Wait until every image in ``within`` has finished loading.

    Streamlit drops a rerun's old media files, so an image still being fetched when an input
    changes is answered 404 and logged as a console error: a race of the test, not of the
    page. Waiting for every image before the next input removes it.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not within.locator("img").evaluate_all("els => els.every(e => e.complete)"):
        if time.monotonic() > deadline:
            pytest.fail(f"images still loading after {TIMEOUT_MS / 1000:.0f} s")
        time.sleep(0.2)


# ------------------------------------------------------------------- dashboard
def _run(page: Page, scenario: str, replications: int, steps: int, seed: int | None = None):
    """Run ``scenario`` from the Simulate tab and wait for its hegemony rate."""
    sim = _panel(page, "Simulate")
    sim.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=scenario, exact=True).click()
    _set_number(sim, "Replications", replications)
    _set_number(sim, "Steps", steps)
    if seed is not None:
        _set_number(sim, "Seed", seed)
    sim.get_by_role("button", name="Run", exact=True).click()
    metric = sim.get_by_test_id("stMetric").filter(has_text="Hegemony rate")
    expect(metric).to_be_visible()
    return sim, metric


def test_run_shows_chart_and_hegemony_rate(page, artifacts):
    sim = _panel(page, "Simulate")
    sim.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="bandwagoners").click()
    expect(sim.get_by_text("join the strongest's side", exact=False)).to_be_visible()
    # seed 3: under model 0.3 camps form in the replications the page shows (with the
    # scenario's own seed the leader never grows strong enough to draw bandwagoners)
    sim, metric = _run(page, "bandwagoners", 30, 500, seed=3)
    value = float(re.search(r"(\d\.\d{3})", metric.inner_text()).group(1))
    assert 0.0 <= value <= 1.0
    # the figure's caption proves the changed parameters were used
    expect(sim.get_by_text(re.compile(r"hegemony in \d+ of 30 replications"))).to_be_visible()
    expect(sim.get_by_text("95% Wilson interval", exact=False)).to_be_visible()
    images = sim.get_by_test_id("stImage")
    expect(images.first).to_be_visible()
    expect(page.get_by_text("Capability shares over time")).to_be_visible()
    expect(sim.get_by_text("camp of S", exact=False).first).to_be_visible()  # blocs named
    _wait_for_images(sim, 8)  # shares x2, timing, bands, networks x3, wars
    _no_exception(page)
    page.screenshot(path=artifacts / "dashboard.png")
    page.screenshot(path=artifacts / "dashboard-full.png", full_page=True)


def test_mechanism_switches_change_the_run(page):
    sim = _panel(page, "Simulate")
    sim.get_by_text("Model parameters").click()
    war = sim.get_by_label("War", exact=True)
    expect(war).to_be_checked()
    sim.get_by_text("War", exact=True).click()  # the switch's label toggles it
    expect(war).not_to_be_checked()
    expect(sim.get_by_role("slider", name="War decisiveness m")).to_be_disabled()
    expect(sim.get_by_text("none (the null world)")).to_be_visible()
    _set_number(sim, "Replications", 5)
    _set_number(sim, "Steps", 40)
    sim.get_by_role("button", name="Run", exact=True).click()
    metric = sim.get_by_test_id("stMetric").filter(has_text="Survivors at the end")
    expect(metric).to_contain_text("50.00")  # without war no state dies
    _no_exception(page)


def _map_state(panel) -> tuple[str, str]:
    """The map's caption and the address of its picture."""
    image = panel.get_by_test_id("stImage").locator("img")
    expect(image).to_have_count(1)
    caption = panel.get_by_text(re.compile(r"^Replication \d+ at step \d+ of \d+:"))
    return caption.inner_text(), image.get_attribute("src") or ""


def test_map_tab_slider_and_play_move_the_map(page, artifacts):
    _run(page, "balancers", 4, 200)
    page.get_by_role("tab", name="Map").click()
    panel = _panel(page, "Map")
    expect(panel.get_by_text("Replication 0 at step 0 of 200: 50 states alive")).to_be_visible()
    _wait_for_images(panel, 1)
    caption0, src0 = _map_state(panel)
    assert "replayed exactly from seed 20260101" in caption0
    slider = panel.get_by_role("slider")
    slider.focus()
    slider.press("End")
    expect(panel.get_by_text(re.compile(r"^Replication 0 at step 200 of 200:"))).to_be_visible()
    _wait_for_images(panel, 1)
    caption1, src1 = _map_state(panel)
    assert src1 != src0  # another picture
    alive = int(re.search(r"(\d+) states alive", caption1).group(1))
    assert 1 <= alive < 50  # states died on the way
    page.screenshot(path=artifacts / "dashboard-map.png")
    slider.press("Home")
    expect(panel.get_by_text(re.compile(r"^Replication 0 at step 0 of 200:"))).to_be_visible()
    # another replication starts from another map
    _set_number(panel, "Replication", 2)
    expect(panel.get_by_text(re.compile(r"^Replication 2 at step 0 of 200:"))).to_be_visible()
    _wait_for_images(panel, 1)
    assert _map_state(panel)[1] != src0
    # play: the step advances by itself, then pauses on request
    panel.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function(
        "() => { const m = document.body.innerText.match(/at step (\\d+) of 200:/);"
        " return m && Number(m[1]) >= 12; }"
    )
    panel.get_by_role("button", name="Pause", exact=True).click()
    expect(panel.get_by_role("button", name="Play", exact=True)).to_be_visible()
    # it stops: a frame already under way may still land, then the step holds for 1.5 s
    # (three frames of play) at a time
    deadline = time.monotonic() + 20
    before = _map_state(panel)[0]
    while True:
        time.sleep(1.5)
        after = _map_state(panel)[0]
        if after == before:
            break
        assert time.monotonic() < deadline, f"the map kept moving after Pause: {after}"
        before = after
    assert int(re.search(r"at step (\d+) of", after).group(1)) < 200  # stopped before the end
    _no_exception(page)


def test_map_tab_before_any_run_says_what_to_do(page):
    page.get_by_role("tab", name="Map").click()
    expect(_panel(page, "Map").get_by_text("Run a scenario in the Simulate tab")).to_be_visible()


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
    _set_number(sim, "Replications", 390)  # 50 states: just under the dashboard's size limit
    _set_number(sim, "Steps", 2000)
    sim.get_by_role("button", name="Run", exact=True).click()
    progress = sim.get_by_text(re.compile(r"Running: [\d,]+ of 780,000 replication-steps"))
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
    result = run("bandwagoners", replications=30, steps=500, seed=20260101)
    return {
        "report": write_report(where / "report.html", render_report([result], samples=2)),
        "report-history": write_report(
            where / "history.html", render_report([result], history=(1816, 2016), samples=1)
        ),
        # three scenarios: three columns of full hashes in the provenance table (issue 25)
        "report-compare": write_report(
            where / "compare.html",
            render_report(
                [run(name, replications=4, steps=100, seed=1) for name in ("null", "balancers")]
                + [result],
                samples=1,
            ),
        ),
    }


@pytest.mark.parametrize("which", ["report", "report-history", "report-compare"])
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
    # issue 25: the provenance table's full hashes made the page 1,944 px wide
    assert pg.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    pg.screenshot(path=artifacts / f"{which}.png")
    pg.screenshot(path=artifacts / f"{which}-full.png", full_page=True)
    if which == "report":  # the map of territories: six panels, one picture
        territories = pg.locator("section#map")
        expect(territories.locator("h2")).to_have_text("Territories over time")
        expect(territories.locator("img")).to_have_count(1)
        panels = territories.locator("img").evaluate(
            "e => (atob(e.src.split(',')[1]).match(/<image /g) || []).length"
        )
        assert panels == 6
        expect(territories.locator("figcaption")).to_contain_text("replayed exactly")
        territories.scroll_into_view_if_needed()
        territories.screenshot(path=artifacts / "report-map.png")
    others = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert others == [], others
    assert problems == [], problems
    context.close()


@pytest.fixture(scope="module")
def validation_report(tmp_path_factory) -> Path:
    """The report on `equipoise validate -r 100` (as docs/validate.md shows), via its folder."""
    where = tmp_path_factory.mktemp("validation")
    folder = validate_scenario(replications=100, seed=20260101).to_files(where / "validate")
    return write_report(where / "validation.html", render_validation_report(folder))


def test_validation_report_renders_offline(browser, validation_report, artifacts):
    context = browser.new_context(viewport=VIEWPORT, offline=True)
    pg = context.new_page()
    problems: list[str] = []
    requests: list[str] = []
    pg.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(validation_report.as_uri(), wait_until="load")
    expect(pg.locator("h1")).to_contain_text("equipoise validation: history-1816-major, 1816-1914")
    section = pg.locator("section#validation")
    expect(section.locator("h2")).to_have_text("Validation against history")
    images = section.locator("img")
    expect(images).to_have_count(2)  # the war-size panels and the strip plots
    assert _loaded_images(section, 600) == 2  # both decoded, and shown wide
    comparison = section.locator("table").first
    expect(comparison.locator("tbody tr")).to_have_count(11)
    expect(comparison.locator("tbody tr").first).to_contain_text("war_size_slope")
    sizes = images.first
    expect(section.locator("figcaption").first).to_contain_text("Two panels side by side")
    lines = sizes.evaluate(
        "e => ['history', 'simulation'].flatMap(k => ['slope', 'tail'].map(g => k + '-' + g))"
        "       .filter(id => atob(e.src.split(',')[1]).includes('id=\"' + id + '\"')).length"
    )
    assert lines == 4  # both panels have both fitted lines
    pg.screenshot(path=artifacts / "report-validation-full.png", full_page=True)
    # The picture of docs/validate.md: the section from its title to the war-size figure
    # and its caption.
    top = section.bounding_box()
    bottom = section.locator("figure").first.bounding_box()
    assert top is not None and bottom is not None
    pg.screenshot(
        path=artifacts / "report-validation.png",
        full_page=True,
        clip={
            "x": 0,
            "y": top["y"] - 8,
            "width": VIEWPORT["width"],
            "height": bottom["y"] + bottom["height"] - top["y"] + 20,
        },
    )
    others = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert others == [], others
    assert problems == [], problems
    context.close()


# ------------------------------------------------- calibration & counterfactuals
# tiny_calibration: tests/conftest.py


def _choose(page: Page, panel, label: str, option: str) -> None:
    panel.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def _type(panel, label: str, text: str) -> None:
    box = panel.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value(text)


def _table_row(panel, first_cell: str) -> list[str]:
    """The cells of the first table row whose header cell is ``first_cell``."""
    row = panel.get_by_role("row").filter(
        has=panel.page.get_by_role("rowheader", name=first_cell, exact=True)
    )
    expect(row.first).to_be_visible()
    return [c.strip() for c in row.first.get_by_role("cell").all_inner_texts()]


def test_counterfactual_tab_runs_a_counterfactual(page, tiny_calibration, artifacts):
    page.get_by_role("tab", name="Calibration & counterfactuals").click()
    tab = _panel(page, "Calibration & counterfactuals")
    expect(tab.get_by_text("Choose a start year and an intervention")).to_be_visible()
    expect(tab.get_by_text("States in 1871: UKG FRN GMY AUH ITA RUS")).to_be_visible()
    _set_number(tab, "Last year", 1880)
    _set_number(tab, "Pairs of replications", 20)
    run = tab.get_by_role("button", name="Run counterfactual")
    # bad input: one line in the page, nothing run
    _type(tab, "Edits", "XYZ.scale=2")
    run.click()
    alert = tab.get_by_test_id("stAlert").filter(has_text="no state 'XYZ'")
    expect(alert).to_be_visible()
    assert "\n" not in alert.inner_text().strip()
    _no_exception(page)
    # a named intervention over the whole record: both worlds, the paired differences
    _type(tab, "Edits", "")
    _set_number(tab, "Last year", 2016)
    _set_number(tab, "Pairs of replications", 200)
    run.click()
    expect(
        tab.get_by_text(
            re.compile(
                r"^Intervention: soft_balancing\.enabled=false\. 200 pairs of replications "
                r"from 1871 to 2016"
            )
        )
    ).to_be_visible()
    assert _table_row(tab, "hegemony")[-1] == "200"
    _wait_for_images(tab, 1)  # the paired differences with their intervals
    page.screenshot(path=artifacts / "dashboard-counterfactual.png", full_page=True)
    # a named intervention and an edit: without war, no war begins in any pair
    _set_number(tab, "Last year", 1880)
    _set_number(tab, "Pairs of replications", 20)
    _type(tab, "Edits", "war.enabled=false")
    run.click()
    caption = tab.get_by_text(re.compile(r"^Intervention: soft_balancing\.enabled=false; "))
    expect(caption).to_contain_text("war.enabled=false. 20 pairs of replications from 1871 to 1880")
    expect(tab.get_by_test_id("stMetric").filter(has_text="Paired difference")).to_be_visible()
    wars = _table_row(tab, "war_onsets")  # baseline, intervention, difference, low, high, ...
    assert float(wars[1]) == 0.0 and float(wars[0]) >= 0.0
    assert float(wars[2]) == -float(wars[0])  # the mean paired difference
    assert wars[-1] == "20"  # n: the pairs
    expect(tab.get_by_text("Survival to the end.", exact=True)).to_be_visible()
    _wait_for_images(tab, 1)  # the paired differences with their intervals
    expect(tab.get_by_role("button", name="Download the report (HTML)")).to_be_visible()
    # at posterior draws, with no edit: common random numbers make every difference 0
    _choose(page, tab, "Intervention", "none: no edit (every paired difference is 0)")
    _type(tab, "Edits", "")
    _type(tab, "Posterior (optional)", str(tiny_calibration))
    _set_number(tab, "Posterior draws", 4)
    run.click()
    expect(
        tab.get_by_text(
            re.compile(
                r"^Intervention: none \(the baseline again\)\. 20 pairs .*, at 4 posterior draws"
            )
        )
    ).to_be_visible()
    expect(tab.get_by_text(re.compile(r"^Seed 20260101; posterior .*cal-1845\."))).to_be_visible()
    for outcome in ("hegemony", "war_onsets", "war_losses"):
        cells = _table_row(tab, outcome)
        assert float(cells[2]) == 0.0 and cells[5] == "0", (outcome, cells)  # no pair changed
    expect(tab.get_by_text("Mean paired difference at each posterior draw.")).to_be_visible()
    _no_exception(page)


def test_counterfactual_tab_opens_output_directories(page, tiny_calibration, tmp_path, artifacts):
    page.get_by_role("tab", name="Calibration & counterfactuals").click()
    tab = _panel(page, "Calibration & counterfactuals")
    tab.get_by_role("tab", name="Open an output directory").click()
    opened = _panel(page, "Open an output directory")
    expect(opened.get_by_text("Choose or type the directory")).to_be_visible()
    _type(opened, "…or type its path", str(tiny_calibration))
    for title in ("Posterior", "Posterior predictive check", "ABC-SMC"):
        expect(opened.get_by_role("heading", name=title, exact=True)).to_be_visible()
    medians = _table_row(opened, "war.attack_probability")  # prior, median, 5%, 95%, ...
    assert medians[0] == "0.01-0.2"
    assert 0.01 <= float(medians[2]) <= float(medians[1]) <= float(medians[3]) <= 0.2
    _wait_for_images(opened, 2)  # the marginals and the pairs, then every other figure
    page.screenshot(path=artifacts / "dashboard-calibration.png", full_page=True)
    # the one output under the dashboard's working directory, from the list
    _type(opened, "…or type its path", "")
    _choose(page, opened, "Outputs found under", "equipoise-results/cf-1871 (counterfactual)")
    expect(opened.get_by_role("heading", name="Counterfactual", exact=True)).to_be_visible()
    expect(
        opened.get_by_text("Intervention: alliances.enabled=false; *.leaves=all.")
    ).to_be_visible()
    assert _table_row(opened, "hegemony")[-1] == "12"
    _settle_images(opened)
    # what is not an output: one line in the page
    _type(opened, "…or type its path", str(tmp_path / "nowhere"))
    expect(opened.get_by_test_id("stAlert")).to_have_text(f"no such directory: {tmp_path}/nowhere")
    _type(opened, "…or type its path", str(tmp_path))
    expect(opened.get_by_test_id("stAlert")).to_contain_text("is not the output of")
    _no_exception(page)
