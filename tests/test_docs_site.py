"""The documentation site builds with `mkdocs build --strict` and reads offline.

Strict mode turns every warning into an error: a broken link or anchor, a page missing from
the navigation, a docstring that documents a parameter the function does not have, a snippet
include that names a missing file. The python blocks of the pages run in tests/test_docs.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PAGES = [
    "index.html",
    "quickstart/index.html",
    "theory/index.html",
    "cite/index.html",
    "model/index.html",
    "history/index.html",
    "landscape/index.html",
    "sweeps/index.html",
    "tutorials/balancing/index.html",
    "tutorials/soft-balancing/index.html",
    "tutorials/europe-1913/index.html",
    "tutorials/landscape/index.html",
    "tutorials/cluster-sweep/index.html",
    "tutorials/panels/index.html",
    "panels/index.html",
    "reference/panels/index.html",
    "reference/cli/index.html",
    "reference/api/index.html",
    "reference/metrics/index.html",
    "reference/rules/index.html",
    "reference/history/index.html",
    "reference/landscape/index.html",
    "reference/experiments/index.html",
    "reference/report/index.html",
]

# A tag that makes the browser fetch something when the page loads: scripts, style sheets,
# fonts, images, frames. Links a reader may click (<a href="https://...">) are fine.
_FETCHING_TAG = re.compile(
    r"<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?"
    r"""\b(?:src|href|data)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""",
    re.I,
)
_CSS_REMOTE = re.compile(r"""(?:@import\s+|url\(\s*)["']?((?:https?:)?//[^"')\s]+)""", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    print(f"mkdocs build --strict: {elapsed:.1f} s")
    return out


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
def test_page_is_built(site, page):
    assert (site / page).is_file(), f"{page} missing from the built site"


def test_api_reference_is_generated_from_docstrings(site):
    api = _text(site / "reference/api/index.html")
    for name in ("equipoise.engine.run", "equipoise.scenario.Scenario", "equipoise.results.Result"):
        assert f'id="{name}"' in api, f"{name} missing from the API reference"
    assert "Replications" in api  # a docstring's text, not just a heading
    rules = _text(site / "reference/rules/index.html")
    for module in ("threat", "internal", "alliances", "soft", "war", "growth"):
        assert f'id="equipoise.rules.{module}"' in rules
    assert "Walt" in rules  # the References sections are rendered


def test_cli_reference_is_generated_from_the_commands(site):
    cli = _text(site / "reference/cli/index.html")
    for command in ("run", "compare", "scenario", "sweep", "analyse", "landscape", "report"):
        assert f"equipoise {command}" in cli, f"`equipoise {command}` missing from the CLI page"
    assert "--replications" in cli
    assert "Sentinel" not in cli  # click's marker for "no default", shown by the table style


def test_sphinx_roles_in_docstrings_are_rendered(site):
    # docs/scripts/griffe_sphinx_roles.py turns :func:`x` into links or code
    for page in site.glob("reference/*/index.html"):
        text = _text(page)
        for raw in (":func:`", ":class:`", ":mod:`", ":meth:`", "<autoref", "&lt;autoref"):
            assert raw not in text, f"{raw} left in {page.relative_to(site)}"
    api = _text(site / "reference/api/index.html")
    assert 'class="autorefs autorefs-internal"' in api


def test_cite_page_shows_the_citation_file_and_the_data(site):
    cite = _text(site / "cite/index.html")
    assert "cff-version" in cite  # CITATION.cff, included by pymdownx.snippets
    assert "National Material Capabilities" in cite and "ATOP" in cite


def test_snippet_includes_are_expanded(site):
    for page in site.rglob("*.html"):
        text = _text(page)
        assert "--8&lt;--" not in text and "--8<--" not in text, page.relative_to(site)
    tutorial = _text(site / "tutorials/balancing/index.html")
    assert 'class="nf">main<' in tutorial  # docs/tutorials/balancing.py, shown in full


def test_scripts_are_not_pages(site):
    assert not (site / "scripts").exists()
    assert not list(site.glob("tutorials/*.py"))


def test_site_fetches_nothing_from_other_hosts(site):
    remote = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            text = _text(path)
            remote += [(path, url) for url in _FETCHING_TAG.findall(text)]
            remote += [(path, url) for url in _CSS_REMOTE.findall(text)]
        elif path.suffix == ".css":
            remote += [(path, url) for url in _CSS_REMOTE.findall(_text(path))]
    remote = [(p.relative_to(site).as_posix(), url) for p, url in remote]
    assert not remote, f"pages load resources from other hosts: {remote[:10]}"
    index = _text(site / "index.html")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index
