"""Broken and hostile pages: each ends its own branch with a report, the run goes on.

Every wait is bounded (guide.watchdog): a page whose script never ends, a renderer that
crashes, a page that floods windows, a file too big to be a page — each is a drift report for
its branch ("la page ne répond plus"…), the other branches are checked, and the summary and
JUnit are written.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from guide.browser import launch, marker_of, resolve_browser
from guide.check import CheckOptions, check_flow
from guide.loader import load_flow
from guide.watchdog import branch_bound, end_renderers

from .conftest import guide

FLOW = """\
version: 1
id: hostile
title: Pages hostiles
source: {{title: Tests}}
audience: les tests
start: accueil
pages:
  accueil: {{url: "https://hostile.test/", heading: Accueil}}
  suite: {{url: "https://hostile.test/{page}", heading: Suite}}
steps:
  - id: question
    instruction: Laquelle ?
    question: Laquelle ?
    options:
      - id: hostile
        label: La page hostile
        steps:
          - id: aller
            instruction: Cliquez sur « Suite ».
            target: link "Suite"
            action: click
            lands: suite
          - id: voir
            instruction: Regardez.
            target: text "Tout va bien"
            action: expect
      - id: sage
        label: Une page sage
  - id: fin
    instruction: C'est fini.
    target: heading "Accueil"
    action: expect
"""

HOME = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Accueil</title></head><body>'
    '<h1>Accueil</h1><p><a href="https://hostile.test/{page}">Suite</a></p></body></html>'
)
PAGES = {
    # a script that starts spinning once the page is up: every call to the page then waits forever
    "boucle": "<h1>Suite</h1><p>Tout va bien</p><script>setTimeout(() => { for (;;) {} }, 50);</script>",
    # fifty windows at once
    "fenetres": "<h1>Suite</h1><p>Tout va bien</p><script>for (let i = 0; i < 50; i++) "
    'window.open("https://hostile.test/", "_blank");</script>',
}


def site(root: Path, page: str, body: str | None = None, size: int = 0) -> tuple[Path, Path]:
    fixtures = root / "fixtures"
    (fixtures / "hostile.test").mkdir(parents=True)
    (fixtures / "hostile.test" / "index.html").write_text(HOME.format(page=page), encoding="utf-8")
    target = fixtures / "hostile.test" / f"{page}.html"
    if size:
        with target.open("wb") as stream:  # a sparse file: big, and written in no time
            stream.truncate(size)
    else:
        target.write_text(
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Suite</title>'
            f"</head><body>{body}</body></html>",
            encoding="utf-8",
        )
    flow = root / "hostile.yaml"
    flow.write_text(FLOW.format(page=page), encoding="utf-8")
    return flow, fixtures


def test_a_page_that_never_answers_is_reported_and_the_run_goes_on(tmp_path):
    flow, fixtures = site(tmp_path, "boucle", PAGES["boucle"])
    junit = tmp_path / "junit.xml"
    done = guide(
        "check",
        str(flow),
        "--fixtures",
        str(fixtures),
        "--timeout",
        "1",
        "--junit",
        str(junit),
        "--out",
        str(tmp_path / "out"),
        timeout=branch_bound(4, 1) * 3 + 60,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # drift, not a crash of the tool
    assert "page not responding" in done.stdout and "la page ne répond plus" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    assert cases["hostile"].find("failure") is not None
    assert cases["sage"].find("failure") is None  # the other branch was checked, and passed


def test_a_flood_of_windows_ends_in_a_verdict(tmp_path, browser):
    flow, fixtures = site(tmp_path, "fenetres", PAGES["fenetres"])
    results = check_flow(
        browser,
        load_flow(flow),
        CheckOptions(fixtures=fixtures, out=tmp_path / "out", timeout_ms=1000, artifacts=False, retries=0),
    )
    assert [r.branch for r in results] == ["hostile", "sage"]
    assert results[1].passed


def test_a_file_too_big_to_be_a_page_is_refused(tmp_path, browser):
    flow, fixtures = site(tmp_path, "enorme", size=50_000_000)
    results = check_flow(
        browser,
        load_flow(flow),
        CheckOptions(fixtures=fixtures, out=tmp_path / "out", timeout_ms=1000, artifacts=False, retries=0),
    )
    assert results[0].drift is not None and results[0].drift.step_id == "aller"
    assert any("more than 20 MB" in line for line in results[0].blocked)
    assert results[1].passed


def test_a_renderer_that_crashes_is_a_drift_of_its_branch(tmp_path):
    """The renderers are ended while the check waits on a page: that branch drifts, the next runs."""
    flow, fixtures = site(tmp_path, "boucle", PAGES["boucle"])
    stop = threading.Event()
    marker: list[str | None] = []

    def crash_renderers_soon() -> None:
        while not stop.wait(0.5):
            if end_renderers(marker[0]):  # the renderers of the browser this test launched only
                return

    crasher = threading.Thread(target=crash_renderers_soon, daemon=True)
    outcome: dict[str, object] = {}

    def body() -> None:
        with sync_playwright() as playwright:
            browser = launch(playwright, resolve_browser(None, playwright))
            marker.append(marker_of(browser))
            crasher.start()
            outcome["results"] = check_flow(
                browser,
                load_flow(flow),
                CheckOptions(fixtures=fixtures, out=tmp_path / "out", timeout_ms=5000, artifacts=False, retries=0),
            )
            browser.close()

    worker = threading.Thread(target=body)
    worker.start()
    worker.join(timeout=300)
    stop.set()
    results = outcome["results"]
    assert results[0].drift is not None and results[0].drift.problem in ("page crashed", "page not responding")
    assert results[1].passed  # the browser lived on: the next branch was checked


class _Context:
    """Just enough of a BrowserContext for a Session: tabs made on demand, events ignored."""

    def __init__(self, tabs: list) -> None:
        self.tabs = tabs

    def new_page(self):
        tab = self.tabs.pop(0)
        if isinstance(tab, Exception):
            raise tab
        return tab

    def on(self, event, handler) -> None:
        pass


class _Tab:
    def __init__(self, error: str) -> None:
        self.error = error

    def goto(self, url, timeout):
        raise PlaywrightError(self.error)


def test_a_renderer_that_dies_while_a_page_opens_is_a_crash_not_a_page_that_did_not_open():
    """What the loaded machine showed: the renderer killed mid-`goto`, or as the tab is made."""
    from guide.session import PageError, Session

    crashed = Session(_Context([_Tab("Navigation failed because page crashed!")]))
    with pytest.raises(PlaywrightError, match="crashed"):  # run_branch reports it as « page crashed »
        crashed.open("https://hostile.test/", 1000)
    offline = Session(_Context([_Tab("net::ERR_NAME_NOT_RESOLVED at https://hostile.test/")]))
    with pytest.raises(PageError):  # a page that did not open, as before
        offline.open("https://hostile.test/", 1000)
