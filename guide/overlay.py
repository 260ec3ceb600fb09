"""The overlay a person sees: injected in every page, drawn from a step's context.

The drawing lives in guide/overlay/: one JavaScript file per part (see PARTS) and the CSS (see
STYLES). This module assembles them into the one classic script that is injected, turns a step
into the card the overlay shows, and asks the overlay to draw it. Live mode and writers'
screenshots both call `show`, so what a person sees is what the screenshots show.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import BrowserContext, Locator, Page

from . import protocol
from .actions import ACTIONS
from .engine import StepContext
from .i18n import Say, overlay_words, words

HERE = Path(__file__).with_name("overlay")

# The overlay's parts, concatenated in this order inside one function: each defines a factory,
# main.js (last) calls them. Listed, never globbed: other scripts live in that folder (mask.js).
PARTS: Final = (
    "natives.js",  # DOM/BOM functions captured at injection, before any page script
    "elements.js",  # building and updating nodes with those only
    "words.js",  # what the overlay itself says
    "card.js",  # the card from Python, checked and copied
    "state.js",  # what is shown: target, card
    "bridge.js",  # events to Python (__guideEvent)
    "dom.js",  # host element, closed shadow root, top layer
    "highlight.js",  # backdrop and cutout, clipping, sticky headers
    "popover.js",  # the card: layout, placement, its own sections
    "rules.js",  # live ✓/✗ rules
    "table.js",  # data table, department picker -> mailto
    "paste.js",  # paste the link received by e-mail
    "loop.js",  # following the target every frame
    "events.js",  # the target's events (the card's `listen`), keyboard commands
    "toolbar.js",  # the recorder's bar (guide record)
    "api.js",  # window.__guide: show, hide, state, toolbar
    "main.js",  # assembles the parts, publishes the API
)
STYLES: Final = ("base.css", "highlight.css", "popover.css", "fields.css", "toolbar.css", "preferences.css")

# Asks the overlay to draw; null when the document has no overlay, the error's message when
# show() threw.
_SHOW = """(target, card) => {
  const overlay = window.__guide;
  if (!overlay) return null;
  try { overlay.show(target, card); return true; } catch (e) { return String((e && e.message) || e) || 'error'; }
}"""


class OverlayError(RuntimeError):
    """The overlay could not draw a card; the message says why (the overlay's own words)."""


def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def assemble(words: dict[str, Any], texts: dict[str, str] | None = None, *, shadow_mode: str = "closed") -> str:
    """The injected script for a protocol (`protocol.as_json()`; tests pass their own), with the
    overlay's own words (guide.i18n.overlay_words; French by default).

    `shadow_mode="open"` is for tests only: the same overlay in an open shadow root, so that
    tools which cannot enter a closed one (axe-core, a MutationObserver on the live region)
    can look inside. guide itself always injects the closed one (`script`).
    """
    if shadow_mode not in ("closed", "open"):
        raise ValueError(f"shadow_mode must be 'closed' or 'open', not {shadow_mode!r}")
    css = "\n".join(_read(name) for name in STYLES)
    parts = "\n".join(
        f"/* ---------------------------------------------------------------- {name} */\n{_read(name)}"
        for name in PARTS
    )
    return (
        "/* guide overlay: assembled by guide/overlay.py from guide/overlay/ */\n"
        "(function () {\n'use strict';\n"
        f"var PROTOCOL = {json.dumps(words)};\n"
        f"var WORDS = {json.dumps(texts if texts is not None else overlay_words('fr'))};\n"
        f"var CSS_TEXT = {json.dumps(css)};\n"
        f"var SHADOW_MODE = {json.dumps(shadow_mode)};\n"
        f"{parts}\n}})();\n"
    )


@cache
def script(lang: str = "fr") -> str:
    """The init script, with the protocol Python speaks and the overlay's words in `lang`."""
    return assemble(protocol.as_json(), overlay_words(lang))


def install(context: BrowserContext, lang: str = "fr") -> None:
    """Inject the overlay into every page the context opens, before the page's own scripts."""
    context.add_init_script(script=script(lang))


def ensure(page: Page, lang: str = "fr") -> None:
    """Pages opened before `install` (or by a remote browser) get the overlay now.

    Late, so without the guarantee of `install`: the page's scripts have run first.
    """
    if not page.evaluate("() => typeof window.__guide === 'object'"):
        page.evaluate(script(lang))


def listen(ctx: StepContext) -> list[str]:
    """The DOM events on the target that complete the step (none without a target)."""
    step = ctx.step
    if step.target is None or step.action is None:
        return []
    return list(ACTIONS[step.action].listen)


def card(
    ctx: StepContext,
    buttons: list[dict[str, Any]] | None = None,
    status: str | None = None,
    message: str | None = None,
    instruction: str | None = None,
    say: Say | None = None,
    announce: bool = True,
) -> dict[str, Any]:
    """The popover's content for a step, in the flow's words (`instruction`: something to do first;
    `announce=False`: the same card drawn again on a new page, which a screen reader already said)."""
    step, flow = ctx.step, ctx.loaded.flow
    say = say or words(flow.lang)
    data: dict[str, Any] = {
        "title": flow.title,
        "instruction": instruction or step.question or step.instruction,
        "note": step.note,
        "progress": say("Step {number} of {total}", number=ctx.number, total=ctx.total) if ctx.number else "",
        "status": status,
        "message": message,
        "buttons": buttons or [],
        "listen": listen(ctx),
        "rules": [{"text": r.text, "pattern": r.pattern} for r in ctx.rules] if step.action == "fill" else [],
        "secret": ctx.secret,
        "announce": announce,
    }
    if step.outside and step.lands:  # the link arrives by e-mail: let the person paste it
        data["paste"] = {"label": say("You can also paste the link you received here:")}
    if step.table:
        table = flow.tables[step.table]
        data["table"] = {
            "title": table.title,
            "columns": table.columns,
            "rows": table.rows,
            "pick": table.pick.model_dump() if table.pick else None,
        }
    return data


def show(ctx: StepContext, page: Page | None = None, **kwargs: Any) -> None:
    """Draw the overlay for `ctx` on its target (or centred when the step has none).

    OverlayError when the overlay cannot draw the card; Playwright's Error when the page went
    away meanwhile (a navigation).
    """
    draw(page or ctx.page, card(ctx, **kwargs), ctx.locator)


def draw(page: Page, data: dict[str, Any], target: Locator | None = None) -> None:
    """Ask the page's overlay to draw the card `data` on `target` (None: centred)."""
    # One round trip when the init script is there (the usual case); inject it only when not.
    outcome = _ask(page, data, target)
    if outcome is None:
        ensure(page)
        outcome = _ask(page, data, target)
    if outcome is None:
        raise OverlayError(
            "no overlay in the target's document: the overlay draws in the top-level page only, "
            "and the target is in a frame"
        )
    if outcome is not True:
        raise OverlayError(str(outcome))


def _ask(page: Page, data: dict[str, Any], target: Locator | None) -> bool | str | None:
    """True when drawn; None when the document has no overlay; the overlay's error otherwise."""
    if target is not None:
        result: bool | str | None = target.evaluate(_SHOW, data)
    else:
        result = page.evaluate(f"card => ({_SHOW})(null, card)", data)
    return result


def next_frame(page: Page, frames: int = 2) -> None:
    """Wait for the overlay's animation frames, so what is drawn is what is on screen."""
    page.evaluate(
        "n => new Promise(r => { const f = k => k ? requestAnimationFrame(() => f(k - 1)) : r(); f(n); })", frames
    )
