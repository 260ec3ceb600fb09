"""Tests for the in-page guidance overlay (guide/overlay/overlay.js + overlay.css).

Self-contained on purpose: the browser is launched here (module scope, system
Chromium, no network), pages are served from tests/overlay_pages/ through
page.route, and the overlay is injected exactly as the Python side does:

    context.add_init_script(script="window.__GUIDE_OVERLAY_CSS__ = " + json.dumps(css) + ";\\n" + js)

The overlay lives in a closed shadow root, so everything is observed through
window.__guide.state() (the overlay's own model), real input events, and pixels.
"""

from __future__ import annotations

import json
import pathlib
import struct
import time
import zlib
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[1]
OVERLAY_DIR = ROOT / "guide" / "overlay"
PAGES = pathlib.Path(__file__).resolve().parent / "overlay_pages"
SHOTS = ROOT / "test-results" / "overlay"
ORIGIN = "http://guide.test"
CSP = "default-src 'none'; script-src 'self'; style-src 'self'"
LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
TOL = 2  # px

# The strict-CSP page may only load same-origin files: served from here.
CSP_CSS = """
body { margin: 0; font-family: Arial, Helvetica, sans-serif; color: #161616; background: #ffffff; }
header { padding: 16px 32px; background: #f6f6f6; border-bottom: 1px solid #dddddd; font-weight: bold; }
main { padding: 24px 32px; }
label { display: block; margin: 16px 0 4px; }
input { font: inherit; padding: 8px; width: 280px; border: 1px solid #888888; }
#go { font: inherit; padding: 10px 24px; background: #000091; color: #ffffff; border: 0; }
"""
CSP_JS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
document.addEventListener('DOMContentLoaded', function () {
  document.getElementById('go').addEventListener('click', function () {
    var c = document.getElementById('count');
    c.textContent = String(Number(c.textContent) + 1);
  });
});
"""
EXTRA_FILES = {
    "/csp.css": (CSP_CSS, "text/css; charset=utf-8"),
    "/csp.js": (CSP_JS, "text/javascript; charset=utf-8"),
}

BUTTONS = [
    {"id": "prev", "label": "Précédent"},
    {"id": "next", "label": "Suivant", "primary": True},
    {"id": "quit", "label": "Quitter"},
]


def card(**kw):
    base = {
        "title": "Demande d'acte de naissance",
        "instruction": "Cliquez sur « Continuer » pour passer à l'étape suivante.",
        "progress": "Étape 3 sur 9",
        "status": None,
        "buttons": BUTTONS,
    }
    base.update(kw)
    return base


# --------------------------------------------------------------------------- fixtures


def overlay_init_script() -> str:
    js = (OVERLAY_DIR / "overlay.js").read_text(encoding="utf-8")
    css = (OVERLAY_DIR / "overlay.css").read_text(encoding="utf-8")
    return "window.__GUIDE_OVERLAY_CSS__ = " + json.dumps(css) + ";\n" + js


@pytest.fixture(scope="module")
def ov_browser(request):
    """Our own Chromium (system build, quiet flags), independent of any conftest.

    Two sync Playwright drivers cannot coexist in one thread. We start our own; if another
    module already has one running (pytest-playwright's session-scoped `playwright`), we
    reuse that driver and still launch our own browser with our own settings.
    """
    manager = None
    try:
        manager = sync_playwright()
        pw = manager.start()
    except PlaywrightError:
        manager = None
        pw = request.getfixturevalue("playwright")
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        if manager is not None:
            pw.stop()


def _serve(route, request):
    path = urlparse(request.url).path
    if path in EXTRA_FILES:
        body, ctype = EXTRA_FILES[path]
        route.fulfill(status=200, body=body, content_type=ctype)
        return
    name = path.lstrip("/")
    f = PAGES / name
    if name.endswith(".html") and "/" not in name and f.is_file():
        headers = {"Content-Security-Policy": CSP} if name.startswith("csp") else {}
        route.fulfill(status=200, body=f.read_bytes(), content_type="text/html; charset=utf-8", headers=headers)
    else:
        route.fulfill(status=404, body="not found", content_type="text/plain; charset=utf-8")


class Session:
    def __init__(self, context, page):
        self.context = context
        self.page = page
        self.events: list = []
        self.console: list = []
        self.requests: list = []


@pytest.fixture
def open_page(ov_browser):
    sessions = []

    def _open(name, viewport=None, reduced_motion="no-preference"):
        context = ov_browser.new_context(viewport=viewport or VIEWPORT, reduced_motion=reduced_motion)
        page = context.new_page()
        s = Session(context, page)
        context.expose_binding("__guideEvent", lambda source, obj: s.events.append(obj))
        context.add_init_script(script=overlay_init_script())
        page.on("console", lambda m: s.console.append(m.text))
        page.on("request", lambda r: s.requests.append(r.url))
        page.route("**/*", _serve)
        resp = page.goto(f"{ORIGIN}/{name}")
        assert resp is not None and resp.ok
        s.response = resp
        sessions.append(s)
        return s

    yield _open
    for s in sessions:
        s.context.close()


# --------------------------------------------------------------------------- helpers


def frames(page, n=2):
    page.evaluate(
        """n => new Promise(resolve => {
            let i = 0;
            const step = () => { if (++i >= n) resolve(); else requestAnimationFrame(step); };
            requestAnimationFrame(step);
        })""",
        n,
    )


def show(page, selector, c):
    return page.evaluate(
        "([sel, c]) => window.__guide.show(sel ? document.querySelector(sel) : null, c)",
        [selector, c],
    )


def state(page):
    return page.evaluate("window.__guide.state()")


def rect(page, selector):
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return {x: r.x, y: r.y, width: r.width, height: r.height}; }""",
        selector,
    )


def viewport_size(page):
    return page.evaluate("({w: document.documentElement.clientWidth, h: document.documentElement.clientHeight})")


def assert_cutout_matches(page, selector, st=None):
    st = st or state(page)
    cut, pad = st["cutout"], st["padding"]
    r = rect(page, selector)
    assert cut is not None, "no cutout"
    assert abs(cut["x"] + pad - r["x"]) <= TOL, (cut, r)
    assert abs(cut["y"] + pad - r["y"]) <= TOL, (cut, r)
    assert abs(cut["width"] - 2 * pad - r["width"]) <= TOL, (cut, r)
    assert abs(cut["height"] - 2 * pad - r["height"]) <= TOL, (cut, r)


def assert_popover_inside(page, st=None):
    st = st or state(page)
    pop = st["popover"]
    vp = viewport_size(page)
    assert pop is not None
    assert pop["x"] >= 0 and pop["y"] >= 0, pop
    assert pop["x"] + pop["width"] <= vp["w"], (pop, vp)
    assert pop["y"] + pop["height"] <= vp["h"], (pop, vp)


def overlaps(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def wait_until(page, predicate, timeout=3.0, message="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"timed out waiting for {message}")


SCROLL_STABLE_JS = """() => new Promise(resolve => {
    const a = [scrollX, scrollY];
    requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(
        () => resolve(a[0] === scrollX && a[1] === scrollY))));
})"""


def wait_scroll_settled(page, timeout=5.0):
    wait_until(page, lambda: page.evaluate(SCROLL_STABLE_JS), timeout, "scroll settled")


def wait_event(s, predicate, timeout=3.0):
    wait_until(s.page, lambda: any(predicate(e) for e in s.events), timeout, "event")


def center(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def click_button(s, button_id):
    box = state(s.page)["boxes"]["buttons"][button_id]
    s.page.mouse.click(*center(box))


def _png_first_pixel(data: bytes):
    """RGB of the first pixel of an 8-bit RGB/RGBA PNG (enough for 1x1 clips)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, color_type = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            bit_depth, color_type = chunk[8], chunk[9]
            assert bit_depth == 8 and color_type in (2, 6), (bit_depth, color_type)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    # The first pixel of the first row is unchanged by every PNG filter (neighbours are 0).
    return tuple(raw[1:4])


def pixel(page, x, y):
    png = page.screenshot(clip={"x": int(x), "y": int(y), "width": 1, "height": 1}, animations="disabled")
    return _png_first_pixel(png)


def brightness(px):
    return sum(px) / 3


def save_shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), animations="disabled")


def corner_outside(st, vp):
    """A point near a viewport corner, outside the popover and the cutout."""
    for x, y in ((4, vp["h"] - 4), (vp["w"] - 4, vp["h"] - 4), (4, 4), (vp["w"] - 4, 4)):
        pt = {"x": x - 1, "y": y - 1, "width": 2, "height": 2}
        if st["popover"] and overlaps(pt, st["popover"]):
            continue
        if st["cutout"] and overlaps(pt, st["cutout"]):
            continue
        return x, y
    raise AssertionError("no free corner")


def check_dimming(page, st, base_corner, base_center, corner_xy, center_xy):
    """The cutout's centre is not dimmed, the corner is darker than the page."""
    after_center = pixel(page, *center_xy)
    after_corner = pixel(page, *corner_xy)
    assert max(abs(a - b) for a, b in zip(after_center, base_center)) <= 12, (after_center, base_center)
    assert brightness(after_corner) < brightness(base_corner) - 60, (after_corner, base_corner)


# --------------------------------------------------------------------------- API & injection


def test_global_api_and_injection(open_page):
    s = open_page("plain.html")
    page = s.page
    info = page.evaluate(
        """() => {
            const d = Object.getOwnPropertyDescriptor(window, '__guide');
            return {
                type: typeof window.__guide,
                enumerable: d.enumerable, configurable: d.configurable, writable: d.writable,
                inKeys: Object.keys(window).includes('__guide'),
                frozen: Object.isFrozen(window.__guide),
                cssLeft: '__GUIDE_OVERLAY_CSS__' in window,
                host: !!document.querySelector('guide-overlay-root'),
            };
        }"""
    )
    assert info == {
        "type": "object", "enumerable": False, "configurable": False, "writable": False,
        "inKeys": False, "frozen": True, "cssLeft": False, "host": False,
    }
    # Cannot be replaced by the page.
    page.evaluate("() => { try { window.__guide = 1; } catch (e) {} try { delete window.__guide; } catch (e) {} }")
    assert page.evaluate("typeof window.__guide.show") == "function"
    st = state(page)
    assert st["visible"] is False and st["cutout"] is None and st["popover"] is None
    assert st["buttons"] == [] and st["rulesState"] == [] and st["status"] is None
    # Only the top frame gets the overlay.
    child = page.frame_locator("#child")
    assert child.locator("p").inner_text() == "cadre enfant"
    frame = [f for f in page.frames if f != page.main_frame][0]
    assert frame.evaluate("typeof window.__guide") == "undefined"


def test_show_draws_synchronously_and_follows_cheaply(open_page):
    s = open_page("plain.html")
    page = s.page
    res = page.evaluate(
        """c => {
            const t0 = performance.now();
            window.__guide.show(document.querySelector('#go'), c);
            const st = window.__guide.state();
            return {ms: performance.now() - t0, cutout: st.cutout, popover: st.popover, visible: st.visible};
        }""",
        card(),
    )
    assert res["visible"] is True
    assert res["cutout"] is not None and res["popover"] is not None
    # The cutout is already in the model (drawn) when show() returns, i.e. before the next
    # paint. How long show() takes is measured by bench/bench_overlay.py, not asserted here.
    assert_cutout_matches(page, "#go")
    for i in range(3):
        res = page.evaluate(
            """c => {
                const t0 = performance.now();
                window.__guide.show(document.querySelector('#name'), c);
                return {ms: performance.now() - t0, cutout: window.__guide.state().cutout};
            }""",
            card(instruction=f"Saisissez votre nom de naissance ({i}).", progress=f"Étape {4 + i} sur 9"),
        )
        assert res["cutout"] is not None
    assert_cutout_matches(page, "#name")
    frames(page, 10)
    # Per-frame following cost, sampled over 90 frames: at rest, then with the target
    # moving every frame (a layout change above it: cutout and popover rewritten each time).
    samples = page.evaluate(
        """() => new Promise(resolve => {
            const out = [];
            let i = 0;
            const step = () => {
                out.push(window.__guide.state().frameMs.last);
                if (i >= 45) document.getElementById('intro').style.paddingTop = (i % 2 ? 3 : 0) + 'px';
                if (++i >= 90) resolve(out); else requestAnimationFrame(step);
            };
            requestAnimationFrame(step);
        })"""
    )
    assert len(samples) == 90 and all(sample >= 0 for sample in samples)
    assert state(page)["frameMs"]["frames"] >= 90  # the follow loop ran every frame
    # At rest the following loop only reads; nothing is rewritten.
    frames(page, 3)
    assert_cutout_matches(page, "#name")
    page.evaluate("window.__m = window.__guide.state().cutout")
    frames(page, 5)
    assert state(page)["cutout"] == page.evaluate("window.__m")


# --------------------------------------------------------------------------- geometry


def test_plain_page_cutout_popover_and_pixels(open_page):
    s = open_page("plain.html")
    page = s.page
    vp = viewport_size(page)
    r = rect(page, "#go")
    target_center = center(r)
    base_center = pixel(page, *target_center)
    base_corner = pixel(page, 4, vp["h"] - 4)
    show(page, "#go", card())
    frames(page)
    st = state(page)
    assert st["visible"] and st["topLayer"]
    assert st["instruction"].startswith("Cliquez sur")
    assert st["progress"] == "Étape 3 sur 9"
    assert st["buttons"] == ["Précédent", "Suivant", "Quitter"]
    assert_cutout_matches(page, "#go", st)
    assert_popover_inside(page, st)
    assert st["placement"] == "bottom"
    assert not overlaps(st["popover"], r)
    check_dimming(page, st, base_corner, base_center, corner_outside(st, vp), target_center)
    assert not st["focusInside"], "focus must stay in the page for a targeted step"
    save_shot(page, "plain")


def test_long_page_scrolls_target_into_view_and_follows(open_page):
    s = open_page("long.html")
    page = s.page
    assert page.evaluate("scrollY") == 0
    show(page, "#far", card(instruction="Cliquez sur « J'ai lu et j'accepte »."))
    # Smooth scrolling: wait for it to settle, the cutout following every frame.
    wait_until(page, lambda: abs(rect(page, "#far")["y"] + rect(page, "#far")["height"] / 2 - 400) < 60, 5, "scroll")
    wait_scroll_settled(page)
    frames(page, 2)
    assert page.evaluate("scrollY") > 2000
    assert_cutout_matches(page, "#far")
    assert_popover_inside(page)
    save_shot(page, "long")
    page.evaluate("window.scrollBy({top: 137, behavior: 'instant'})")
    frames(page)
    assert_cutout_matches(page, "#far")
    assert_popover_inside(page)
    page.evaluate("window.scrollBy({top: -311, behavior: 'instant'})")
    frames(page)
    assert_cutout_matches(page, "#far")


def test_reduced_motion_scrolls_instantly(open_page):
    s = open_page("long.html", reduced_motion="reduce")
    page = s.page
    show(page, "#far", card())
    # Instant scroll: already in view in the same task.
    assert page.evaluate("scrollY") > 2000
    assert_cutout_matches(page, "#far")


def test_scroll_container(open_page):
    s = open_page("container.html", reduced_motion="reduce")
    page = s.page
    show(page, "#inner", card(instruction="Choisissez « Facture d'électricité »."))
    frames(page)
    assert page.evaluate("document.getElementById('box').scrollTop") > 0, "container scrolled to the target"
    assert_cutout_matches(page, "#inner")
    save_shot(page, "container")
    page.evaluate("document.getElementById('box').scrollTop -= 40")
    frames(page)
    assert_cutout_matches(page, "#inner")
    assert_popover_inside(page)

    # Partly scrolled out at the top: the cutout is clipped to the container's box.
    page.evaluate(
        """() => { const box = document.getElementById('box'), t = document.getElementById('inner');
                   box.scrollTop += t.getBoundingClientRect().top - (box.getBoundingClientRect().top + box.clientTop) + 15; }"""
    )
    frames(page)
    st = state(page)
    box_top = page.evaluate(
        "(() => { const b = document.getElementById('box'); return b.getBoundingClientRect().top + b.clientTop; })()"
    )
    r = rect(page, "#inner")
    assert r["y"] < box_top
    assert abs(st["cutout"]["y"] - box_top) <= TOL, (st["cutout"], box_top)
    assert abs(st["cutout"]["y"] + st["cutout"]["height"] - (r["y"] + r["height"] + st["padding"])) <= TOL

    # Entirely scrolled out: no cutout, the popover stays on screen.
    page.evaluate("document.getElementById('box').scrollTop = 0")
    frames(page)
    st = state(page)
    assert st["visible"] and st["cutout"] is None
    assert_popover_inside(page, st)


def test_sticky_header_and_fixed_footer_are_cleared(open_page):
    s = open_page("sticky.html")
    page = s.page
    # Put the field right under the 80px sticky header.
    page.evaluate(
        "(() => { const r = document.getElementById('under').getBoundingClientRect(); window.scrollTo({top: scrollY + r.top - 30, behavior: 'instant'}); })()"
    )
    assert rect(page, "#under")["y"] < 80
    show(page, "#under", card(instruction="Saisissez votre adresse électronique."))
    header_bottom = page.evaluate("document.getElementById('bar').getBoundingClientRect().bottom")
    assert header_bottom == 80
    wait_until(page, lambda: rect(page, "#under")["y"] >= header_bottom, 5, "target below the header")
    wait_scroll_settled(page)
    frames(page)
    assert rect(page, "#under")["y"] >= header_bottom
    assert_cutout_matches(page, "#under")
    save_shot(page, "sticky")

    # A field hidden behind the fixed cookie banner at the bottom.
    page.evaluate(
        "(() => { const r = document.getElementById('low').getBoundingClientRect(); window.scrollTo({top: scrollY + r.top - (innerHeight - 40), behavior: 'instant'}); })()"
    )
    banner_top = page.evaluate("document.getElementById('cookies').getBoundingClientRect().top")
    assert rect(page, "#low")["y"] + rect(page, "#low")["height"] > banner_top
    show(page, "#low", card(instruction="Saisissez votre numéro de téléphone."))
    wait_until(page, lambda: rect(page, "#low")["y"] + rect(page, "#low")["height"] <= banner_top, 5, "target above the banner")
    wait_scroll_settled(page)
    frames(page, 2)
    assert_cutout_matches(page, "#low")


def test_viewport_resize_and_layout_change(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card())
    frames(page)
    assert_cutout_matches(page, "#go")
    page.set_viewport_size({"width": 700, "height": 520})
    frames(page, 3)
    assert_cutout_matches(page, "#go")
    assert_popover_inside(page)
    page.set_viewport_size({"width": 420, "height": 640})
    frames(page, 3)
    st = state(page)
    assert_cutout_matches(page, "#go", st)
    assert_popover_inside(page, st)
    assert st["popover"]["width"] <= 420 - 16 + 1
    save_shot(page, "narrow")
    # Layout change without scroll or resize: content inserted above the target.
    page.evaluate("document.getElementById('intro').insertAdjacentHTML('afterend', '<p>Nouveau paragraphe inséré.</p><p>Et un autre.</p>')")
    frames(page)
    assert_cutout_matches(page, "#go")


def test_page_css_zoom_is_cancelled(open_page):
    s = open_page("plain.html")
    page = s.page
    page.evaluate("document.documentElement.style.zoom = '1.5'")
    r = rect(page, "#go")
    base_center = pixel(page, *center(r))
    show(page, "#go", card())
    frames(page)
    st = state(page)
    assert_cutout_matches(page, "#go", st)
    assert_popover_inside(page, st)
    assert not overlaps(st["popover"], r)
    assert max(abs(a - b) for a, b in zip(pixel(page, *center(r)), base_center)) <= 12
    click_button(s, "next")
    wait_event(s, lambda e: e == {"type": "button", "id": "next"})


@pytest.mark.parametrize("target", ["#tl", "#tc", "#tr", "#ml", "#mr", "#bl", "#bc", "#br", "#tall"])
def test_popover_stays_inside_viewport_near_edges(open_page, target):
    s = open_page("edges.html", viewport={"width": 1024, "height": 700})
    page = s.page
    show(page, target, card(instruction="Un texte d'instruction assez long pour occuper plusieurs lignes dans la bulle d'aide."))
    frames(page)
    st = state(page)
    assert_cutout_matches(page, target, st)
    assert_popover_inside(page, st)
    if target != "#tall":
        assert not overlaps(st["popover"], rect(page, target)), (target, st["placement"])
    else:
        assert st["placement"] in ("right", "left", "over")
    if target in ("#br", "#tall"):
        save_shot(page, "edges" + target.replace("#", "-"))


# --------------------------------------------------------------------------- events


def test_target_click_reaches_page_and_binding(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card())
    frames(page)
    page.click("#go")  # Playwright's hit-test: nothing of the overlay is in the way
    assert page.inner_text("#count") == "1"
    wait_event(s, lambda e: e == {"type": "target", "action": "click"})
    # A click elsewhere in the page is not a target event.
    n = len(s.events)
    page.click("#intro")
    page.wait_for_timeout(150)
    assert [e for e in s.events[n:] if e.get("type") == "target"] == []


def test_popover_buttons_and_keyboard(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card())
    frames(page)
    click_button(s, "next")
    wait_event(s, lambda e: e == {"type": "button", "id": "next"})
    click_button(s, "prev")
    wait_event(s, lambda e: e == {"type": "button", "id": "prev"})
    click_button(s, "quit")
    wait_event(s, lambda e: e == {"type": "button", "id": "quit"})

    # Keyboard with focus on body.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    s.events.clear()
    page.keyboard.press("Escape")
    wait_event(s, lambda e: e == {"type": "button", "id": "quit"})
    page.keyboard.press("Enter")
    wait_event(s, lambda e: e == {"type": "button", "id": "next"})
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    wait_event(s, lambda e: e == {"type": "button", "id": "prev"})
    assert sum(1 for e in s.events if e == {"type": "button", "id": "next"}) == 2

    # Never steal keys from a field the person is typing into.
    page.focus("#name")
    s.events.clear()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    assert [e for e in s.events if e.get("type") in ("button", "key")] == []

    # Without the matching button, a key event is sent instead.
    show(page, "#go", card(buttons=[{"id": "next", "label": "Suivant", "primary": True}]))
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Escape")
    wait_event(s, lambda e: e == {"type": "key", "key": "Escape"})

    # Focus inside the popover: Tab from the page reaches its buttons; Enter activates the
    # focused button natively (once), not 'next' on top of it.
    show(page, "#go", card())
    frames(page)
    page.focus("#go")
    s.events.clear()
    page.keyboard.press("Tab")  # iframe
    page.keyboard.press("Tab")  # into the overlay (after <body>)
    for _ in range(4):
        if state(page)["focusInside"]:
            break
        page.keyboard.press("Tab")
    assert state(page)["focusInside"]
    page.keyboard.press("Enter")  # first focusable button of the card: « Quitter »
    wait_event(s, lambda e: e.get("type") == "button")
    page.wait_for_timeout(150)
    assert [e for e in s.events if e.get("type") == "button"] == [{"type": "button", "id": "quit"}]


def test_rules_are_evaluated_in_page_and_value_never_sent(open_page):
    s = open_page("plain.html")
    page = s.page
    rules = [
        {"text": "au moins 8 caractères", "pattern": "^.{8,}$"},
        {"text": "une majuscule", "pattern": "\\p{Lu}"},
        {"text": "un chiffre", "pattern": "[0-9]"},
        {"text": "un caractère spécial", "pattern": "[^\\p{L}\\p{N}]"},
    ]
    show(page, "#pwd", card(instruction="Choisissez un mot de passe.", rules=rules, secret=True))
    frames(page)
    assert state(page)["rulesState"] == [False, False, False, False]
    page.click("#pwd")
    page.keyboard.type("abc")
    frames(page)
    assert state(page)["rulesState"] == [False, False, False, False]
    save_shot(page, "rules-partial")
    page.fill("#pwd", "")
    page.keyboard.type("Abcdef1!")
    frames(page)
    assert state(page)["rulesState"] == [True, True, True, True]
    page.fill("#pwd", "Abcdefgh")
    frames(page)
    assert state(page)["rulesState"] == [True, True, False, False]
    page.fill("#pwd", "")
    page.keyboard.type("Abcdef1!")
    frames(page)
    save_shot(page, "rules")
    page.keyboard.press("Tab")  # blur → change
    wait_event(s, lambda e: e == {"type": "target", "action": "change"})
    wait_event(s, lambda e: e == {"type": "target", "action": "input"})
    dumped = json.dumps(s.events, ensure_ascii=False)
    for secret in ("abc", "Abcdef1!", "Abcdefgh", "Abcde"):
        assert secret not in dumped
    assert all(set(e) <= {"type", "action", "id", "key"} for e in s.events), s.events
    # Bursts of keystrokes are reported once, not per key (no length leak).
    assert sum(1 for e in s.events if e.get("action") == "input") <= 4
    # Nor in the state.
    assert "Abcdef1!" not in json.dumps(state(page), ensure_ascii=False)


def test_no_target_centered_card_moves_and_restores_focus(open_page):
    s = open_page("plain.html")
    page = s.page
    vp = viewport_size(page)
    base_mid = pixel(page, 600, 100)
    page.focus("#name")
    show(page, None, card(title="Bienvenue", instruction="Ce guide vous accompagne pas à pas.", progress="",
                           buttons=[{"id": "next", "label": "Commencer", "primary": True}, {"id": "quit", "label": "Quitter"}]))
    frames(page)
    st = state(page)
    assert st["cutout"] is None
    pop = st["popover"]
    assert abs(pop["x"] + pop["width"] / 2 - vp["w"] / 2) <= 2
    assert abs(pop["y"] + pop["height"] / 2 - vp["h"] / 2) <= 2
    assert st["focusInside"], "focus moves into a card without target"
    assert brightness(pixel(page, 600, 100)) < brightness(base_mid) - 60, "whole page dimmed"
    save_shot(page, "no-target")
    # Enter on the focused dialog → next.
    page.keyboard.press("Enter")
    wait_event(s, lambda e: e == {"type": "button", "id": "next"})
    # Next step (with a target): the keyboard user's focus stays in the card.
    show(page, "#go", card())
    frames(page)
    assert state(page)["focusInside"]
    page.keyboard.press("Enter")
    wait_until(page, lambda: sum(1 for e in s.events if e == {"type": "button", "id": "next"}) == 2, 3, "second next")
    page.evaluate("window.__guide.hide()")
    assert state(page)["visible"] is False
    assert page.evaluate("document.activeElement.id") == "name"


def test_status_waiting_drift_done_and_alternatives(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card(status="waiting"))
    frames(page)
    assert state(page)["status"] == "waiting"
    save_shot(page, "status-waiting")
    show(page, None, card(status="drift", message="Cette page ne correspond pas à l'étape attendue. Revenez en arrière ou reprenez le guide.",
                           buttons=[{"id": "back", "label": "Revenir à l'étape", "primary": True}, {"id": "quit", "label": "Quitter"}]))
    frames(page)
    st = state(page)
    assert st["status"] == "drift" and st["focusInside"]
    assert st["message"].startswith("Cette page")
    save_shot(page, "status-drift")
    show(page, None, card(status="done", message="Votre demande a été envoyée.", progress="Étape 9 sur 9",
                           instruction="Vous recevrez un courriel de confirmation.", buttons=[{"id": "quit", "label": "Fermer"}]))
    frames(page)
    assert state(page)["status"] == "done"
    save_shot(page, "status-done")
    alts = [
        {"id": "alt1", "label": "Méthode n°1 : avec FranceConnect", "primary": True},
        {"id": "alt2", "label": "Méthode n°2 : avec un identifiant et un mot de passe"},
        {"id": "alt3", "label": "Méthode n°3 : par courrier"},
        {"id": "quit", "label": "Quitter"},
    ]
    show(page, "#go", card(instruction="Comment souhaitez-vous vous connecter ?", buttons=alts))
    frames(page)
    st = state(page)
    assert st["buttons"] == [b["label"] for b in alts]
    assert_popover_inside(page, st)
    save_shot(page, "alternatives")
    click_button(s, "alt2")
    wait_event(s, lambda e: e == {"type": "button", "id": "alt2"})


def test_table_pick_and_paste(open_page):
    s = open_page("plain.html")
    page = s.page
    table = {
        "title": "Services des étrangers",
        "columns": ["Département", "Service", "Adresse électronique"],
        "rows": [
            ["01 — Ain", "Préfecture de l'Ain", "pref-etrangers@ain.gouv.fr"],
            ["02 — Aisne", "Préfecture de l'Aisne", "pref-etrangers@aisne.gouv.fr"],
            ["03 — Allier", "Préfecture de l'Allier", "pref-etrangers@allier.gouv.fr"],
        ],
        "pick": {"label": "Choisir un département", "mailto_column": 2, "subject": "Demande de rendez-vous"},
    }
    show(page, None, card(instruction="Écrivez à la préfecture de votre département.", table=table,
                           note="La réponse arrive en général sous huit jours.",
                           paste={"label": "Collez ici le lien reçu par courriel"}))
    frames(page)
    st = state(page)
    assert st["note"] == "La réponse arrive en général sous huit jours."
    boxes = st["boxes"]
    assert boxes["pick"] and boxes["paste"] and boxes["pasteSubmit"]
    assert_popover_inside(page, st)
    page.mouse.click(*center(boxes["pick"]))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    wait_event(s, lambda e: e == {"type": "pick", "row": 1})
    frames(page)
    st = state(page)
    assert st["picked"] == 1
    assert st["mailto"] == "mailto:pref-etrangers@aisne.gouv.fr?subject=Demande%20de%20rendez-vous"
    save_shot(page, "table-paste")
    url = "https://exemple.gouv.fr/rdv?id=42"
    st = state(page)
    page.mouse.click(*center(st["boxes"]["paste"]))
    page.keyboard.type(url)
    page.mouse.click(*center(state(page)["boxes"]["pasteSubmit"]))
    wait_event(s, lambda e: e == {"type": "paste", "value": url})
    # Typing in the overlay's own field never triggers next/prev, and the page's
    # bubble-phase listeners do not see those keystrokes.
    assert not any(e.get("type") in ("button", "key") for e in s.events)


def test_target_inside_modal_dialog(open_page):
    s = open_page("dialog.html")
    page = s.page
    assert page.evaluate("document.getElementById('dlg').matches(':modal')")
    show(page, "#ok", card(instruction="Cliquez sur « Confirmer »."))
    frames(page)
    st = state(page)
    assert st["visible"] and st["topLayer"]
    assert_cutout_matches(page, "#ok", st)
    page.click("#ok")
    assert page.inner_text("#count") == "1"
    wait_event(s, lambda e: e == {"type": "target", "action": "click"})
    click_button(s, "next")  # not inert although a modal dialog is open
    wait_event(s, lambda e: e == {"type": "button", "id": "next"})
    save_shot(page, "dialog")


def test_hide_removes_everything_and_stops_loop(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card())
    frames(page, 5)
    assert page.evaluate("!!document.querySelector('guide-overlay-root')")
    page.evaluate("window.__guide.hide()")
    st = state(page)
    assert st["visible"] is False and st["cutout"] is None and st["popover"] is None
    assert page.evaluate("document.querySelector('guide-overlay-root')") is None
    n = st["frameMs"]["frames"]
    frames(page, 10)
    assert state(page)["frameMs"]["frames"] == n
    # Listeners are idle.
    s.events.clear()
    page.click("#go")
    page.keyboard.press("Escape")
    page.wait_for_timeout(150)
    assert s.events == []
    # And it can be shown again.
    show(page, "#go", card())
    frames(page)
    assert_cutout_matches(page, "#go")


def test_host_page_styles_unchanged(open_page):
    s = open_page("plain.html")
    page = s.page
    snap = """() => {
        const out = {};
        for (const sel of ['html', 'body', 'main', 'h1', '#go', '#name', 'header']) {
            const cs = getComputedStyle(document.querySelector(sel));
            const o = {};
            for (let i = 0; i < cs.length; i++) o[cs[i]] = cs.getPropertyValue(cs[i]);
            const r = document.querySelector(sel).getBoundingClientRect();
            o.__rect = [r.x, r.y, r.width, r.height].join(',');
            out[sel] = o;
        }
        out.__sheets = document.styleSheets.length;
        out.__adopted = document.adoptedStyleSheets.length;
        out.__headChildren = document.head.children.length;
        out.__bodyChildren = document.body.children.length;
        return out;
    }"""
    before = page.evaluate(snap)
    show(page, "#go", card(rules=[{"text": "x", "pattern": "x"}], paste={"label": "Lien"}))
    frames(page)
    during = page.evaluate(snap)
    page.evaluate("window.__guide.hide()")
    after = page.evaluate(snap)
    for sel in before:
        assert before[sel] == during[sel], sel
        assert before[sel] == after[sel], sel


def test_no_network_requests(open_page):
    s = open_page("plain.html")
    page = s.page
    page.wait_for_load_state("networkidle")
    n = len(s.requests)
    show(page, "#go", card(status="waiting", rules=[{"text": "x", "pattern": "x"}],
                           table={"columns": ["a", "b"], "rows": [["1", "x@y.fr"]], "pick": {"label": "l", "mailto_column": 1}},
                           paste={"label": "Lien"}))
    frames(page, 10)
    show(page, None, card(status="drift", message="m"))
    frames(page, 10)
    page.wait_for_timeout(200)
    assert s.requests[n:] == []


# --------------------------------------------------------------------------- hostile pages


def _visible_and_working(s, selector, name):
    page = s.page
    vp = viewport_size(page)
    r = rect(page, selector)
    target_center = center(r)
    base_center = pixel(page, *target_center)
    show(page, selector, card(instruction="Cliquez sur le bouton."))
    frames(page, 3)
    st = state(page)
    assert st["visible"] and st["topLayer"]
    assert_cutout_matches(page, selector, st)
    assert_popover_inside(page, st)
    corner = corner_outside(st, vp)
    page.evaluate("window.__guide.hide()")
    frames(page, 3)
    base_corner = pixel(page, *corner)
    show(page, selector, card(instruction="Cliquez sur le bouton."))
    frames(page, 3)
    check_dimming(page, st, base_corner, base_center, corner, target_center)
    save_shot(page, name)
    click_button(s, "next")
    wait_event(s, lambda e: e == {"type": "button", "id": "next"})
    page.click(selector)
    wait_event(s, lambda e: e == {"type": "target", "action": "click"})
    return st


def test_hostile_css_page(open_page):
    s = open_page("hostile.html")
    page = s.page
    # The page's rules really are hostile.
    assert page.evaluate("getComputedStyle(document.querySelector('div')).display") == "none"
    assert page.evaluate("getComputedStyle(document.documentElement).filter") != "none"
    cover = page.evaluate("(() => { const r = document.querySelector('.cover').getBoundingClientRect(); return [r.x + 20, r.y + r.height - 10]; })()")
    base_cover = pixel(page, *cover)
    st = _visible_and_working(s, "#go", "hostile")
    assert page.inner_text("#count") == "1"
    # The max-z-index fixed banner is dimmed too (the overlay is above it).
    assert not overlaps({"x": cover[0], "y": cover[1], "width": 1, "height": 1}, st["popover"])
    assert max(pixel(page, *cover)) < max(base_cover) * 0.7, (pixel(page, *cover), base_cover)
    host = page.evaluate(
        """() => { const h = document.querySelector('guide-overlay-root'); const cs = getComputedStyle(h);
                   const r = h.getBoundingClientRect();
                   return {display: cs.display, position: cs.position, pe: cs.pointerEvents, opacity: cs.opacity,
                           visibility: cs.visibility, z: cs.zIndex, transition: cs.transitionDuration,
                           w: r.width, h: r.height}; }"""
    )
    vp = viewport_size(page)
    assert host == {"display": "block", "position": "fixed", "pe": "none", "opacity": "1", "visibility": "visible",
                    "z": "2147483647", "transition": "0s", "w": vp["w"], "h": vp["h"]}


def test_strict_csp_page(open_page):
    s = open_page("csp.html")
    page = s.page
    assert s.response.headers.get("content-security-policy") == CSP
    assert page.evaluate("getComputedStyle(document.getElementById('go')).backgroundColor") == "rgb(0, 0, 145)"
    assert page.evaluate("Array.isArray(window.__violations)"), "same-origin page script ran"
    s.console.clear()
    _visible_and_working(s, "#go", "csp")
    show(page, None, card(status="waiting", rules=[{"text": "x", "pattern": "x"}], paste={"label": "Lien"},
                          table={"columns": ["a", "b"], "rows": [["1", "x@y.fr"]], "pick": {"label": "l", "mailto_column": 1}}))
    frames(page, 5)
    page.wait_for_timeout(200)
    assert [m for m in s.console if "Content Security Policy" in m] == []
    assert page.evaluate("window.__violations") == []
    # The CSP really is enforced, and the console listener does catch violations.
    blocked = page.evaluate(
        """() => { const st = document.createElement('style'); st.textContent = 'body { background: rgb(255, 0, 0) !important; }';
                   document.head.appendChild(st); return getComputedStyle(document.body).backgroundColor; }"""
    )
    assert blocked != "rgb(255, 0, 0)"
    wait_until(page, lambda: any("Content Security Policy" in m for m in s.console), 3, "CSP console message")
