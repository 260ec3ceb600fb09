"""Tests for the in-page guidance overlay (guide/overlay/*.js, *.css, guide/overlay.py).

Pages are served from tests/overlay_pages/ through page.route, in the browser guide's pytest
plugin resolves (headless Chromium), and the overlay is injected and driven the way guide does
it: guide.overlay.install (the init script built by guide.overlay.script), guide.overlay.draw
and guide.overlay.show. The overlay lives in a closed shadow root, so it is observed through
window.__guide.state() (the overlay's own model), real input events, pixels, and — for what a
person perceives — the browser's accessibility tree.

No test sleeps before asserting: positive checks wait for their condition; negative checks
either send a marker event behind the events they rule out (the binding delivers in order,
see `flush`) or poll for a bounded time (`assert_never`).
"""

from __future__ import annotations

import itertools
import json
import pathlib
import re
import struct
import time
import zlib
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest

from guide import overlay, protocol
from guide.actions import ACTIONS
from guide.model import Rule, Step
from guide.overlay import OverlayError
from guide.protocol import Button, Event, Key, Status

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = pathlib.Path(__file__).resolve().parent / "overlay_pages"
SHOTS = ROOT / "test-results" / "overlay"
ORIGIN = "http://guide.test"
CSP = "default-src 'none'; script-src 'self'; style-src 'self'"
VIEWPORT = {"width": 1280, "height": 800}
TOL = 2  # px
EVIL = "tapez votre mot de passe sur https://evil.example"

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
    {"id": Button.PREV, "label": "Précédent"},
    {"id": Button.NEXT, "label": "Suivant", "primary": True},
    {"id": Button.QUIT, "label": "Quitter"},
]
CLICKED = {"type": Event.TARGET, "event": "click"}


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


def pressed(button_id):
    return {"type": Event.BUTTON, "id": button_id}


# --------------------------------------------------------------------------- fixtures


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
def open_page(browser):
    """Open a test page in a fresh context, with the overlay installed as guide installs it."""
    sessions = []

    def _open(name, viewport=None, reduced_motion="no-preference", script=None, install=True):
        context = browser.new_context(viewport=viewport or VIEWPORT, reduced_motion=reduced_motion)
        page = context.new_page()
        s = Session(context, page)
        context.expose_binding("__guideEvent", lambda source, obj: s.events.append(obj))
        if script is not None:
            context.add_init_script(script=script)
        elif install:
            overlay.install(context)
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
    """Draw a card as guide does (guide.overlay.draw): OverlayError when the overlay refuses it."""
    overlay.draw(page, c, page.locator(selector) if selector else None)


def state(page):
    return page.evaluate("window.__guide.state()")


def step_context(
    page,
    locator=None,
    *,
    instruction="Saisissez votre mot de passe.",
    target='label "Mot de passe"',
    action="fill",
    rules=(),
    number=2,
    total=5,
    **step,
):
    """What guide.overlay.card reads from the engine's StepContext, for a one-step flow."""
    if action in ("fill", "select", "press"):
        step.setdefault("value", "{mot_de_passe}")
    return SimpleNamespace(
        step=Step(id="etape", instruction=instruction, target=target, action=action, **step),
        loaded=SimpleNamespace(flow=SimpleNamespace(title="Générer mon mot de passe", tables={}, lang="fr")),
        number=number,
        total=total,
        progress=f"Étape {number} sur {total}",
        rules=[Rule.model_construct(text=text, pattern=pattern) for text, pattern in rules],  # as given
        secret=action == "fill",
        locator=locator,
        page=page,
    )


_markers = itertools.count()


def flush(s, timeout=3.0):
    """Every event the page has sent so far, removed from s.events.

    The binding delivers in order: a marker sent from the page now arrives after every event
    the page sent before, so what precedes it is all there is (no waiting for "nothing").
    """
    marker = {"type": "marker", "n": next(_markers)}
    s.page.evaluate("m => window.__guideEvent(m)", marker)
    wait_until(s.page, lambda: marker in s.events, timeout, "marker event")
    i = s.events.index(marker)
    before = s.events[:i]
    del s.events[: i + 1]
    return before


def assert_never(page, happened, within=0.3, message="unexpected"):
    """A bounded poll for what must not happen (when no marker can follow it)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        assert not happened(), message
        page.wait_for_timeout(25)
    assert not happened(), message


def perceived_card(page):
    """The card as a person perceives it: the text of the dialog in the browser's accessibility
    tree (which sees inside the closed shadow root; Playwright's aria_snapshot does not)."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}
    dialogs = [n for n in nodes if not n.get("ignored") and n.get("role", {}).get("value") == "dialog"]
    assert len(dialogs) == 1, [d.get("name") for d in dialogs]
    texts, todo = [dialogs[0].get("name", {}).get("value", "")], list(dialogs[0].get("childIds", []))
    while todo:
        node = by_id.get(todo.pop(0))
        if node is None:
            continue
        if not node.get("ignored") and node.get("role", {}).get("value") in ("StaticText", "button", "heading", "list"):
            texts.append(node.get("name", {}).get("value", ""))
        todo.extend(node.get("childIds", []))
    return texts


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
    assert max(abs(a - b) for a, b in zip(after_center, base_center, strict=True)) <= 12, (after_center, base_center)
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
                host: !!document.querySelector('guide-overlay-root'),
            };
        }"""
    )
    assert info == {
        "type": "object",
        "enumerable": False,
        "configurable": False,
        "writable": False,
        "inKeys": False,
        "frozen": True,
        "host": False,
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
    frame = next(f for f in page.frames if f != page.main_frame)
    assert frame.evaluate("typeof window.__guide") == "undefined"
    # The one global the injection adds is __guide: its parts, PROTOCOL and the CSS stay inside.
    bare = open_page("plain.html", install=False).page
    names = "() => Object.getOwnPropertyNames(window)"
    assert set(page.evaluate(names)) - set(bare.evaluate(names)) == {"__guide"}


def test_injected_script_is_the_parts_in_order():
    script = overlay.script()
    assert script == overlay.assemble(protocol.as_json())
    # The protocol constant comes first, then the parts, in PARTS order, each exactly once.
    assert script.index(f"var PROTOCOL = {json.dumps(protocol.as_json())};") < script.index("var CSS_TEXT")
    offsets = [script.index(f" {name} */") for name in overlay.PARTS]
    assert offsets == sorted(offsets)
    assert all(script.count(f" {name} */") == 1 for name in overlay.PARTS)
    # Only listed files: the screenshots' mask script beside the parts is not injected.
    assert "mask.js" not in overlay.PARTS and "guide-shot-masks" not in script
    for name in overlay.PARTS + overlay.STYLES:
        assert (overlay.HERE / name).is_file(), name


def test_overlay_injected_when_missing(open_page):
    """A page opened without the init script (a remote browser, a tab opened before install):
    draw injects the overlay, then draws (one retry)."""
    s = open_page("plain.html", install=False)
    page = s.page
    assert page.evaluate("typeof window.__guide") == "undefined"
    show(page, "#go", card())
    st = state(page)
    assert st["visible"] and st["instruction"].startswith("Cliquez sur")
    assert_cutout_matches(page, "#go", st)


def test_show_draws_synchronously_and_follows_cheaply(open_page):
    s = open_page("plain.html")
    page = s.page
    res = page.evaluate(
        """c => {
            const t0 = performance.now();
            const ok = window.__guide.show(document.querySelector('#go'), c);
            const st = window.__guide.state();
            return {ok, ms: performance.now() - t0, cutout: st.cutout, popover: st.popover, visible: st.visible};
        }""",
        card(),
    )
    assert res["ok"] is True and res["visible"] is True
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
    draws = state(page)["draws"]
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
    assert state(page)["draws"] - draws >= 40  # and redrew while the target moved
    # At rest the following loop only reads; nothing is rewritten.
    frames(page, 3)
    assert_cutout_matches(page, "#name")
    at_rest = state(page)
    frames(page, 5)
    after = state(page)
    assert after["frameMs"]["frames"] >= at_rest["frameMs"]["frames"] + 4
    assert after["draws"] == at_rest["draws"] and after["cutout"] == at_rest["cutout"]


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
                   box.scrollTop += t.getBoundingClientRect().top
                                    - (box.getBoundingClientRect().top + box.clientTop) + 15; }"""
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
        "(() => { const r = document.getElementById('under').getBoundingClientRect();"
        " window.scrollTo({top: scrollY + r.top - 30, behavior: 'instant'}); })()"
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
        "(() => { const r = document.getElementById('low').getBoundingClientRect();"
        " window.scrollTo({top: scrollY + r.top - (innerHeight - 40), behavior: 'instant'}); })()"
    )
    banner_top = page.evaluate("document.getElementById('cookies').getBoundingClientRect().top")
    assert rect(page, "#low")["y"] + rect(page, "#low")["height"] > banner_top
    show(page, "#low", card(instruction="Saisissez votre numéro de téléphone."))
    wait_until(
        page, lambda: rect(page, "#low")["y"] + rect(page, "#low")["height"] <= banner_top, 5, "target above the banner"
    )
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
    page.evaluate(
        "document.getElementById('intro')"
        ".insertAdjacentHTML('afterend', '<p>Nouveau paragraphe inséré.</p><p>Et un autre.</p>')"
    )
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
    assert max(abs(a - b) for a, b in zip(pixel(page, *center(r)), base_center, strict=True)) <= 12
    click_button(s, Button.NEXT)
    wait_event(s, lambda e: e == pressed(Button.NEXT))


@pytest.mark.parametrize("target", ["#tl", "#tc", "#tr", "#ml", "#mr", "#bl", "#bc", "#br", "#tall"])
def test_popover_stays_inside_viewport_near_edges(open_page, target):
    s = open_page("edges.html", viewport={"width": 1024, "height": 700})
    page = s.page
    show(
        page,
        target,
        card(instruction="Un texte d'instruction assez long pour occuper plusieurs lignes dans la bulle d'aide."),
    )
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
    show(page, "#go", card(listen=["click"]))
    frames(page)
    page.click("#go")  # Playwright's hit-test: nothing of the overlay is in the way
    assert page.inner_text("#count") == "1"
    wait_event(s, lambda e: e == CLICKED)
    assert flush(s) == [CLICKED]
    # A click elsewhere in the page is not a target event.
    page.click("#intro")
    assert flush(s) == []


def test_listen_mouseover_reports_hovering_the_target(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card(listen=["mouseover"]))
    frames(page)
    page.hover("#intro")  # elsewhere: nothing
    page.click("#go")  # a click is not what this card listens to
    assert flush(s) == [{"type": Event.TARGET, "event": "mouseover"}]  # the pointer came over it to click
    page.hover("#intro")
    flush(s)
    page.hover("#go")
    wait_event(s, lambda e: e == {"type": Event.TARGET, "event": "mouseover"})
    assert flush(s) == [{"type": Event.TARGET, "event": "mouseover"}]
    assert state(page)["listen"] == ["mouseover"]


def test_click_only_card_does_not_report_change(open_page):
    s = open_page("listen.html")
    page = s.page
    # « Cochez la case » as a click: the label (the target) is clicked, then the browser
    # clicks its checkbox (also inside the target) and fires change.
    show(page, "#consent", card(instruction="Cochez « J'accepte ».", listen=["click"]))
    frames(page)
    page.click("#consent-text")
    assert page.evaluate("document.getElementById('cb').checked")
    assert page.inner_text("#changes") == "1" and page.inner_text("#clicks") == "2"  # the page saw both
    assert flush(s) == [CLICKED]  # one click reported (the label's synthetic click is not), no change
    # The same step as `choose` listens to change and click: both, once each.
    show(page, "#consent", card(instruction="Cochez « J'accepte ».", listen=list(ACTIONS["choose"].listen)))
    page.click("#consent-text")
    wait_event(s, lambda e: e == {"type": Event.TARGET, "event": "change"})
    assert sorted(e["event"] for e in flush(s)) == ["change", "click"]
    # A select listens to change only.
    show(page, "#dept", card(instruction="Choisissez votre département.", listen=list(ACTIONS["select"].listen)))
    page.select_option("#dept", label="02 — Aisne")
    wait_event(s, lambda e: e == {"type": Event.TARGET, "event": "change"})
    assert flush(s) == [{"type": Event.TARGET, "event": "change"}]
    # A card without `listen` (expect, no target) reports nothing.
    show(page, "#dept", card(instruction="Vérifiez le département.", listen=[]))
    page.select_option("#dept", label="01 — Ain")
    page.click("#consent-text")
    assert flush(s) == []


def test_card_listen_comes_from_the_actions():
    for name, action in ACTIONS.items():
        ctx = step_context(None, action=name)
        assert overlay.card(ctx)["listen"] == list(action.listen), name
    assert overlay.card(step_context(None, action="expect"))["listen"] == []
    assert overlay.card(step_context(None, action=None, target=None))["listen"] == []
    assert overlay.card(step_context(None, action="click"))["listen"] == ["click"]


def test_popover_buttons_and_keyboard(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card())
    frames(page)
    click_button(s, Button.NEXT)
    wait_event(s, lambda e: e == pressed(Button.NEXT))
    click_button(s, Button.PREV)
    wait_event(s, lambda e: e == pressed(Button.PREV))
    click_button(s, Button.QUIT)
    wait_event(s, lambda e: e == pressed(Button.QUIT))
    assert flush(s) == [pressed(Button.NEXT), pressed(Button.PREV), pressed(Button.QUIT)]

    # Keyboard with focus on body.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Escape")
    wait_event(s, lambda e: e == pressed(Button.QUIT))
    page.keyboard.press("Enter")
    wait_event(s, lambda e: e == pressed(Button.NEXT))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    wait_event(s, lambda e: e == pressed(Button.PREV))
    assert flush(s) == [pressed(Button.QUIT), pressed(Button.NEXT), pressed(Button.NEXT), pressed(Button.PREV)]

    # Never steal keys from a field the person is typing into.
    page.focus("#name")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    assert flush(s) == []
    # Nor obey a key a page script makes up.
    page.evaluate("document.activeElement.blur(); window.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
    assert flush(s) == []

    # Without the matching button, a key event is sent instead.
    show(page, "#go", card(buttons=[{"id": Button.NEXT, "label": "Suivant", "primary": True}]))
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowLeft")
    wait_event(s, lambda e: e == {"type": Event.KEY, "key": Key.PREV})
    assert flush(s) == [{"type": Event.KEY, "key": Key.QUIT}, {"type": Event.KEY, "key": Key.PREV}]

    # Focus inside the popover: Tab from the page reaches its buttons; Enter activates the
    # focused button natively (once), not 'next' on top of it.
    show(page, "#go", card())
    frames(page)
    page.focus("#go")
    page.keyboard.press("Tab")  # iframe
    page.keyboard.press("Tab")  # into the overlay (after <body>)
    for _ in range(4):
        if state(page)["focusInside"]:
            break
        page.keyboard.press("Tab")
    assert state(page)["focusInside"]
    page.keyboard.press("Enter")  # first focusable button of the card: « Quitter »
    wait_event(s, lambda e: e.get("type") == Event.BUTTON)
    assert flush(s) == [pressed(Button.QUIT)]


def test_rules_are_evaluated_in_page_and_value_never_sent(open_page):
    s = open_page("plain.html")
    page = s.page
    rules = [
        {"text": "au moins 8 caractères", "pattern": "^.{8,}$"},
        {"text": "une majuscule", "pattern": "\\p{Lu}"},
        {"text": "un chiffre", "pattern": "[0-9]"},
        {"text": "un caractère spécial", "pattern": "[^\\p{L}\\p{N}]"},
    ]
    # Listening to input as well, to check bursts of keystrokes are reported once.
    show(
        page,
        "#pwd",
        card(instruction="Choisissez un mot de passe.", rules=rules, secret=True, listen=["change", "input"]),
    )
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
    wait_event(s, lambda e: e == {"type": Event.TARGET, "event": "change"})
    events = flush(s)
    assert {"type": Event.TARGET, "event": "input"} in events
    dumped = json.dumps(events, ensure_ascii=False)
    for secret in ("abc", "Abcdef1!", "Abcdefgh", "Abcde"):
        assert secret not in dumped
    assert all(set(e) == {"type", "event"} for e in events), events
    # Bursts of keystrokes are reported once, not per key (no length leak).
    assert sum(1 for e in events if e["event"] == "input") <= 4
    # Nor in the state.
    assert "Abcdef1!" not in json.dumps(state(page), ensure_ascii=False)
    # The rules are evaluated whatever the card listens to.
    show(page, "#pwd", card(instruction="Choisissez un mot de passe.", rules=rules, secret=True, listen=["click"]))
    page.fill("#pwd", "abc")
    frames(page)
    assert state(page)["rulesState"] == [False, False, False, False]
    page.fill("#pwd", "Abcdefg1")
    wait_until(page, lambda: state(page)["rulesState"] == [True, True, True, False], 3, "rules re-evaluated")
    assert flush(s) == []


def test_no_target_centered_card_moves_and_restores_focus(open_page):
    s = open_page("plain.html")
    page = s.page
    vp = viewport_size(page)
    base_mid = pixel(page, 600, 100)
    page.focus("#name")
    show(
        page,
        None,
        card(
            title="Bienvenue",
            instruction="Ce guide vous accompagne pas à pas.",
            progress="",
            buttons=[
                {"id": Button.NEXT, "label": "Commencer", "primary": True},
                {"id": Button.QUIT, "label": "Quitter"},
            ],
        ),
    )
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
    wait_event(s, lambda e: e == pressed(Button.NEXT))
    # Next step (with a target): the keyboard user's focus stays in the card.
    show(page, "#go", card())
    frames(page)
    assert state(page)["focusInside"]
    page.keyboard.press("Enter")
    wait_until(page, lambda: sum(1 for e in s.events if e == pressed(Button.NEXT)) == 2, 3, "second next")
    page.evaluate("window.__guide.hide()")
    assert state(page)["visible"] is False
    assert page.evaluate("document.activeElement.id") == "name"


def test_status_waiting_drift_and_alternatives(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card(status=Status.WAITING))
    frames(page)
    assert state(page)["status"] == Status.WAITING
    save_shot(page, "status-waiting")
    show(
        page,
        None,
        card(
            status=Status.DRIFT,
            message="Cette page ne correspond pas à l'étape attendue. Revenez en arrière ou reprenez le guide.",
            buttons=[
                {"id": Button.SKIP, "label": "Passer cette étape", "primary": True},
                {"id": Button.QUIT, "label": "Quitter"},
            ],
        ),
    )
    frames(page)
    st = state(page)
    assert st["status"] == Status.DRIFT and st["focusInside"]
    assert st["message"].startswith("Cette page")
    save_shot(page, "status-drift")
    # A status the protocol does not define is refused, loudly; the card on screen stays.
    with pytest.raises(OverlayError, match="unknown card status «done»"):
        show(page, None, card(status="done", message="Votre demande a été envoyée."))
    assert state(page)["status"] == Status.DRIFT
    alts = [
        {"id": "alt1", "label": "Méthode n°1 : avec FranceConnect", "primary": True},
        {"id": "alt2", "label": "Méthode n°2 : avec un identifiant et un mot de passe"},
        {"id": "alt3", "label": "Méthode n°3 : par courrier"},
        {"id": Button.QUIT, "label": "Quitter"},
    ]
    show(page, "#go", card(instruction="Comment souhaitez-vous vous connecter ?", buttons=alts))
    frames(page)
    st = state(page)
    assert st["buttons"] == [b["label"] for b in alts]
    assert_popover_inside(page, st)
    save_shot(page, "alternatives")
    click_button(s, "alt2")
    wait_event(s, lambda e: e == pressed("alt2"))


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
    show(
        page,
        None,
        card(
            instruction="Écrivez à la préfecture de votre département.",
            table=table,
            note="La réponse arrive en général sous huit jours.",
            paste={"label": "Collez ici le lien reçu par courriel"},
        ),
    )
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
    page.wait_for_function("() => window.__guide.state().picked === 1")
    frames(page)
    st = state(page)
    assert st["mailto"] == "mailto:pref-etrangers@aisne.gouv.fr?subject=Demande%20de%20rendez-vous"
    save_shot(page, "table-paste")
    url = "https://exemple.gouv.fr/rdv?id=42"
    page.mouse.click(*center(st["boxes"]["paste"]))
    page.keyboard.type(url)
    page.mouse.click(*center(state(page)["boxes"]["pasteSubmit"]))
    wait_event(s, lambda e: e == {"type": Event.PASTE, "value": url})
    # Picking a department stays in the page (no event); typing in the overlay's own field
    # never triggers next/prev, and the page's bubble-phase listeners do not see it.
    assert flush(s) == [{"type": Event.PASTE, "value": url}]


def test_target_inside_modal_dialog(open_page):
    s = open_page("dialog.html")
    page = s.page
    assert page.evaluate("document.getElementById('dlg').matches(':modal')")
    show(page, "#ok", card(instruction="Cliquez sur « Confirmer ».", listen=["click"]))
    frames(page)
    st = state(page)
    assert st["visible"] and st["topLayer"]
    assert_cutout_matches(page, "#ok", st)
    page.click("#ok")
    assert page.inner_text("#count") == "1"
    wait_event(s, lambda e: e == CLICKED)
    click_button(s, Button.NEXT)  # not inert although a modal dialog is open
    wait_event(s, lambda e: e == pressed(Button.NEXT))
    save_shot(page, "dialog")


def test_hide_removes_everything_and_stops_loop(open_page):
    s = open_page("plain.html")
    page = s.page
    show(page, "#go", card(listen=["click"]))
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
    flush(s)
    page.click("#go")
    page.keyboard.press("Escape")
    assert flush(s) == []
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
    assert state(page)["visible"]
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
    show(
        page,
        "#go",
        card(
            status=Status.WAITING,
            rules=[{"text": "x", "pattern": "x"}],
            table={"columns": ["a", "b"], "rows": [["1", "x@y.fr"]], "pick": {"label": "l", "mailto_column": 1}},
            paste={"label": "Lien"},
        ),
    )
    frames(page, 10)
    show(page, None, card(status=Status.DRIFT, message="m"))
    frames(page, 10)
    assert_never(page, lambda: s.requests[n:], message="the overlay made a request")
    # The listener does see requests: a page fetch is caught.
    page.evaluate("fetch('/nothing.png').catch(() => {})")
    wait_until(page, lambda: any(u.endswith("/nothing.png") for u in s.requests[n:]), 3, "a page request")


# --------------------------------------------------------------------------- failures are loud


def test_show_failure_raises_overlay_error_with_the_overlay_message(open_page):
    s = open_page("plain.html")
    page = s.page
    rules = [("au moins 8 caractères", "^.{8,}$")]
    overlay.show(step_context(page, page.locator("#pwd"), rules=rules))
    assert state(page)["instruction"] == "Saisissez votre mot de passe."
    # A rule written in Python's dialect: the browser cannot compile it, so the overlay cannot
    # evaluate it (guide/jsregex.py is meant to catch these before; the overlay still says so).
    broken = step_context(
        page,
        page.locator("#pwd"),
        instruction="Choisissez un nouveau mot de passe.",
        rules=[("un chiffre", "(?P<chiffre>[0-9])")],
    )
    with pytest.raises(OverlayError) as raised:
        overlay.show(broken)
    message = str(raised.value)
    assert "rule «un chiffre»: /(?P<chiffre>[0-9])/ is not a JavaScript regular expression" in message
    assert "Invalid regular expression" in message  # the browser's own words
    st = state(page)  # nothing half-drawn: the previous card is still the one shown
    assert st["visible"] and st["instruction"] == "Saisissez votre mot de passe."
    # The JS API itself throws, it does not return false.
    thrown = page.evaluate("""() => { try { window.__guide.show(null, {status: 'fini'}); return null; }
                                      catch (e) { return e.message; } }""")
    assert thrown == f"guide overlay: unknown card status «fini» (known: {Status.WAITING}, {Status.DRIFT})"


def test_target_in_a_frame_raises_overlay_error(open_page):
    s = open_page("plain.html")
    page = s.page
    with pytest.raises(OverlayError, match="draws in the top-level page only"):
        overlay.draw(page, card(), page.frame_locator("#child").locator("p"))


# --------------------------------------------------------------------------- protocol


def renamed_protocol():
    """Every word of the protocol changed: the overlay must speak whatever it is given."""
    return {group: {name: f"x-{value}" for name, value in words.items()} for group, words in protocol.as_json().items()}


def test_the_overlay_speaks_the_protocol_it_is_given(open_page):
    words = renamed_protocol()
    event, button, key, status = words["event"], words["button"], words["key"], words["status"]
    s = open_page("plain.html", script=overlay.assemble(words))
    page = s.page
    buttons = [
        {"id": button["PREV"], "label": "Précédent"},
        {"id": button["NEXT"], "label": "Suivant"},
        {"id": button["QUIT"], "label": "Quitter"},
    ]
    show(page, "#go", card(buttons=buttons, status=status["WAITING"], listen=["click"]))
    frames(page)
    st = state(page)
    assert st["status"] == status["WAITING"]
    assert (
        st["boxes"]["buttons"][button["QUIT"]]["y"] < st["boxes"]["buttons"][button["NEXT"]]["y"]
    )  # quit: in the head
    click_button(s, button["NEXT"])
    page.click("#go")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowLeft")
    assert flush(s) == [
        {"type": event["BUTTON"], "id": button["NEXT"]},
        {"type": event["TARGET"], "event": "click"},
        {"type": event["BUTTON"], "id": button["QUIT"]},
        {"type": event["BUTTON"], "id": button["PREV"]},
    ]
    show(
        page,
        None,
        card(buttons=[], paste={"label": "Lien"}, status=status["DRIFT"], message="Plus rien ne correspond."),
    )
    assert state(page)["instruction"] and state(page)["boxes"]["paste"] is None  # drift: no paste field
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    assert flush(s) == [{"type": event["KEY"], "key": key["QUIT"]}, {"type": event["KEY"], "key": key["NEXT"]}]
    show(page, None, card(buttons=[], paste={"label": "Lien"}))
    page.mouse.click(*center(state(page)["boxes"]["paste"]))
    page.keyboard.type("https://exemple.gouv.fr/r")
    page.keyboard.press("Enter")
    wait_event(s, lambda e: e.get("type") == event["PASTE"])
    assert flush(s) == [{"type": event["PASTE"], "value": "https://exemple.gouv.fr/r"}]
    # Python's own words are not hard-wired in the overlay.
    with pytest.raises(OverlayError, match="unknown card status"):
        show(page, None, card(status=Status.WAITING))


def test_no_protocol_word_is_written_in_the_overlay_by_hand():
    words = {value for group in ("button", "status", "key") for value in protocol.as_json()[group].values()}
    words |= {"done", "pick"}  # removed from the protocol: gone from the overlay too
    for name in overlay.PARTS:
        source = (overlay.HERE / name).read_text(encoding="utf-8")
        literals = set(re.findall(r"'([^'\\]*)'", source)) | set(re.findall(r'"([^"\\]*)"', source))
        assert not literals & words, (name, literals & words)
    assert "g-status--done" not in "".join((overlay.HERE / name).read_text(encoding="utf-8") for name in overlay.STYLES)


# --------------------------------------------------------------------------- a page rewriting the card


def test_page_cannot_rewrite_the_card(open_page):
    """tamper.html patches the DOM prototypes (appendChild, setAttribute, the textContent,
    innerHTML and data setters, createElement, attachShadow, CSSStyleSheet.replaceSync…) to
    say « tapez votre mot de passe sur https://evil.example » and to grab the shadow root. The
    card a person perceives still says the flow's words, and the page reached none of its nodes."""
    s = open_page("tamper.html")
    page = s.page
    assert page.inner_text("#own") == EVIL  # the page's patches are live: they rewrite its own text
    rules = [("au moins 8 caractères", "^.{8,}$"), ("un chiffre", "[0-9]")]
    ctx = step_context(
        page,
        page.get_by_label("Mot de passe"),
        rules=rules,
        instruction="Saisissez votre nouveau mot de passe dans le champ « Mot de passe ».",
    )
    overlay.show(ctx, buttons=BUTTONS)
    page.fill("#pwd", "abc1")  # the rules are redrawn as the person types
    ticks = page.evaluate("window.__tamper.ticks")
    page.wait_for_function("n => window.__tamper.ticks > n + 3", arg=ticks)  # the page had its frames to act
    seen = perceived_card(page)
    text = "\n".join(seen)
    assert "evil.example" not in text, seen
    assert seen[0] == "Générer mon mot de passe"  # the dialog's name: the flow's title
    for words in (
        "Étape 2 sur 5",
        "Saisissez votre nouveau mot de passe dans le champ « Mot de passe ».",
        "au moins 8 caractères",
        "un chiffre",
        "Précédent",
        "Suivant",
        "Quitter",
    ):
        assert words in seen, (words, seen)
    assert page.evaluate("({roots: window.__tamper.roots, nodes: window.__tamper.nodes})") == {"roots": 0, "nodes": 0}
    # The next step's card too.
    overlay.show(
        step_context(page, None, action=None, target=None, instruction="Consultez votre messagerie."), buttons=BUTTONS
    )
    ticks = page.evaluate("window.__tamper.ticks")
    page.wait_for_function("n => window.__tamper.ticks > n + 3", arg=ticks)
    seen = perceived_card(page)
    assert "Consultez votre messagerie." in seen and "evil.example" not in "\n".join(seen), seen
    assert page.evaluate("window.__tamper.nodes") == 0


# --------------------------------------------------------------------------- hostile pages


def _visible_and_working(s, selector, name):
    page = s.page
    vp = viewport_size(page)
    r = rect(page, selector)
    target_center = center(r)
    base_center = pixel(page, *target_center)
    show(page, selector, card(instruction="Cliquez sur le bouton.", listen=["click"]))
    frames(page, 3)
    st = state(page)
    assert st["visible"] and st["topLayer"]
    assert_cutout_matches(page, selector, st)
    assert_popover_inside(page, st)
    corner = corner_outside(st, vp)
    page.evaluate("window.__guide.hide()")
    frames(page, 3)
    base_corner = pixel(page, *corner)
    show(page, selector, card(instruction="Cliquez sur le bouton.", listen=["click"]))
    frames(page, 3)
    check_dimming(page, st, base_corner, base_center, corner, target_center)
    save_shot(page, name)
    click_button(s, Button.NEXT)
    wait_event(s, lambda e: e == pressed(Button.NEXT))
    page.click(selector)
    wait_event(s, lambda e: e == CLICKED)
    return st


def test_hostile_css_page(open_page):
    s = open_page("hostile.html")
    page = s.page
    # The page's rules really are hostile.
    assert page.evaluate("getComputedStyle(document.querySelector('div')).display") == "none"
    assert page.evaluate("getComputedStyle(document.documentElement).filter") != "none"
    cover = page.evaluate(
        "(() => { const r = document.querySelector('.cover').getBoundingClientRect();"
        " return [r.x + 20, r.y + r.height - 10]; })()"
    )
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
    assert host == {
        "display": "block",
        "position": "fixed",
        "pe": "none",
        "opacity": "1",
        "visibility": "visible",
        "z": "2147483647",
        "transition": "0s",
        "w": vp["w"],
        "h": vp["h"],
    }


def test_strict_csp_page(open_page):
    s = open_page("csp.html")
    page = s.page
    assert s.response.headers.get("content-security-policy") == CSP
    assert page.evaluate("getComputedStyle(document.getElementById('go')).backgroundColor") == "rgb(0, 0, 145)"
    assert page.evaluate("Array.isArray(window.__violations)"), "same-origin page script ran"
    s.console.clear()
    _visible_and_working(s, "#go", "csp")
    show(
        page,
        None,
        card(
            status=Status.WAITING,
            rules=[{"text": "x", "pattern": "x"}],
            paste={"label": "Lien"},
            table={"columns": ["a", "b"], "rows": [["1", "x@y.fr"]], "pick": {"label": "l", "mailto_column": 1}},
        ),
    )
    frames(page, 5)
    assert state(page)["boxes"]["pick"] and state(page)["boxes"]["paste"]
    assert_never(
        page,
        lambda: [m for m in s.console if "Content Security Policy" in m] or page.evaluate("window.__violations"),
        message="a CSP violation",
    )
    # The CSP really is enforced, and the console listener does catch violations.
    blocked = page.evaluate(
        """() => { const st = document.createElement('style');
                   st.textContent = 'body { background: rgb(255, 0, 0) !important; }';
                   document.head.appendChild(st); return getComputedStyle(document.body).backgroundColor; }"""
    )
    assert blocked != "rgb(255, 0, 0)"
    wait_until(page, lambda: any("Content Security Policy" in m for m in s.console), 3, "CSP console message")
