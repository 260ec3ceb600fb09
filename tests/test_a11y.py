"""The overlay for people using a keyboard or a screen reader, checked with the real axe-core.

axe-core (npm, installed by `make test` into tests/js) is injected into a page with the overlay
shown. It cannot enter a closed shadow root, so these pages get the same overlay assembled in an
open one (guide.overlay.assemble(shadow_mode="open")); guide itself always injects the closed
one. Figures: the number of violations by impact, printed for the README.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from guide import overlay, protocol
from guide.i18n import overlay_words

from .test_overlay import BUTTONS, ORIGIN, VIEWPORT, _serve, card, open_page, show  # noqa: F401 - a fixture

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
OPEN = overlay.assemble(protocol.as_json(), overlay_words("fr"), shadow_mode="open")


def host_shadow(page):
    """The overlay's (open, for tests) shadow root, as a JS handle."""
    return page.evaluate_handle("[...document.documentElement.children].find(e => e.shadowRoot).shadowRoot")


@pytest.fixture
def shown(open_page):  # noqa: F811 - the imported fixture, used here
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (it installs tests/js with npm)")
    session = open_page("plain.html", script=OPEN)
    page = session.page
    show(page, "#name", card(buttons=BUTTONS))
    page.wait_for_function(
        "() => { const h = [...document.documentElement.children].find(e => e.shadowRoot);"
        " return !!h && !!h.shadowRoot.querySelector('[role=dialog]'); }"
    )
    return page


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          // a node inside a shadow root is named by a list of selectors (host, then inside): the overlay's
          return result.violations.map(v => ({id: v.id, impact: v.impact,
            inOverlay: v.nodes.filter(n => Array.isArray(n.target[0])).length, help: v.help}));
        }"""
    )


def test_axe_sees_inside_the_overlay(shown):
    """The check below can fail: a nameless button put in the card is found, as critical."""
    host_shadow(shown).evaluate("r => r.querySelector('[role=dialog]').appendChild(document.createElement('button'))")
    found = axe_violations(shown)
    assert any(v["id"] == "button-name" and v["inOverlay"] and v["impact"] == "critical" for v in found), found


def test_axe_finds_no_serious_or_critical_violation_in_the_overlay(shown):
    page = shown
    found = axe_violations(page)
    ours = [v for v in found if v["inOverlay"]]
    print(
        "axe-core violations in the overlay:",
        ours or "none",
        "; on the test page around it:",
        [v["id"] for v in found if not v["inOverlay"]],
    )
    assert [v for v in ours if v["impact"] in ("serious", "critical")] == []


def test_alt_shift_g_goes_to_the_card_and_back_to_the_target(shown):
    page = shown
    page.locator("#intro").click()  # the person reads the page; focus is nowhere in particular
    page.keyboard.press("Alt+Shift+KeyG")
    page.wait_for_function(
        "() => { const h = [...document.documentElement.children].find(e => e.shadowRoot);"
        " const a = h.shadowRoot.activeElement; return !!a && !!a.closest('[role=dialog]'); }"
    )
    page.keyboard.press("Alt+Shift+KeyG")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'name'")
    page.keyboard.type("Martin")  # and the keys go to the field the step names
    assert page.locator("#name").input_value() == "Martin"


def test_the_dialog_is_named_described_and_announces_each_step_once(shown):
    page = shown
    root = host_shadow(page)
    dialog = root.evaluate(
        """r => { const d = r.querySelector('[role=dialog]');
          return {labelled: d.getAttribute('aria-labelledby'), described: d.getAttribute('aria-describedby'),
                  keys: d.getAttribute('aria-keyshortcuts'), lang: d.getAttribute('lang'),
                  regions: r.querySelectorAll('[aria-live]').length}; }"""
    )
    assert dialog == {
        "labelled": "g-title",
        "described": "g-progress-text g-instr",
        "keys": "Alt+Shift+G",
        "lang": "fr",
        "regions": 1,
    }
    said = root.evaluate_handle("r => r.querySelector('[aria-live]')")
    page.wait_for_function("el => el.textContent.includes('Étape 3 sur 9')", arg=said)
    said.evaluate(
        """el => { window.__said = [];
          new MutationObserver(() => window.__said.push(el.textContent))
            .observe(el, {childList: true, characterData: true, subtree: true}); }"""
    )
    show(page, "#name", card(buttons=BUTTONS))  # the same step drawn again (a scroll, a redraw): silence
    show(page, "#go", card(buttons=BUTTONS, progress="Étape 4 sur 9", instruction="Cliquez sur « Continuer »."))
    page.wait_for_function("() => window.__said.some(t => t.includes('Étape 4 sur 9'))")
    said_texts = page.evaluate("window.__said")
    assert not any("Étape 3" in text for text in said_texts), said_texts  # step 3 was not said again


def card_at_font_size(pixels: int, tmp_path: Path) -> dict:
    """The card over plain.html in a browser whose default font size is `pixels` (the person's
    « very large » text setting: Chromium's webkit.webprefs.default_font_size preference)."""
    from playwright.sync_api import sync_playwright

    from guide.browser import launch_args, resolve_browser

    profile = tmp_path / f"profil-{pixels}"
    (profile / "Default").mkdir(parents=True)
    preferences = {"webkit": {"webprefs": {"default_font_size": pixels}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences), encoding="utf-8")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=resolve_browser(None, playwright).executable,
            headless=True,
            args=launch_args(offline=True),
            viewport=VIEWPORT,
        )
        try:
            context.add_init_script(script=OPEN)
            page = context.new_page()
            page.route("**/*", _serve)
            page.goto(f"{ORIGIN}/plain.html")
            show(page, "#go", card(buttons=BUTTONS))
            return host_shadow(page).evaluate(
                """r => { const pop = r.querySelector('[role=dialog]'), b = pop.getBoundingClientRect();
                  const instr = r.querySelector('#g-instr');
                  return {font: parseFloat(getComputedStyle(instr).fontSize), left: b.left, top: b.top,
                          right: b.right, bottom: b.bottom, width: innerWidth, height: innerHeight,
                          clipped: instr.scrollWidth > instr.clientWidth + 1}; }"""
            )
        finally:
            context.close()


def test_text_at_200_percent_keeps_the_card_readable_and_on_screen(tmp_path):
    # a thread of its own: pytest-playwright's Playwright may already run in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        normal = pool.submit(card_at_font_size, 16, tmp_path).result()
        large = pool.submit(card_at_font_size, 32, tmp_path).result()
    assert large["font"] == 2 * normal["font"], (normal, large)  # the card's text follows the setting
    assert large["left"] >= 0 and large["right"] <= large["width"], large  # and stays on screen
    assert large["top"] >= 0 and large["bottom"] <= large["height"], large
    assert not large["clipped"], large


@pytest.mark.parametrize("announce", [True, False])
def test_a_card_drawn_again_on_a_new_page_is_shown_but_not_said(open_page, announce):  # noqa: F811 - the fixture
    """live sends `announce: false` for the card a reload brings back: the new overlay draws it and
    its live region stays silent. With `announce: true` (the control) the same card is said."""
    page = open_page("plain.html", script=OPEN).page
    show(page, "#name", card(buttons=BUTTONS, announce=announce))
    page.wait_for_function("() => window.__guide.state().visible && !window.__guide.state().saying")
    assert page.evaluate("() => window.__guide.state().announce") is announce
    region = host_shadow(page).evaluate("r => r.querySelector('[aria-live]').textContent")
    assert ("Étape 3 sur 9" in region) is announce, region
