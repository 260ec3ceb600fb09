"""The overlay a person sees: injected in every page, drawn from a step's context.

The drawing lives in overlay/overlay.js and overlay/overlay.css (a closed shadow root, an
SVG cutout, a popover). This module only loads those files into a browser context and turns
a step into the card the overlay shows. Live mode and writers' screenshots both call
`show`, so what a person sees is what the screenshots show.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page

from .engine import StepContext

HERE = Path(__file__).with_name("overlay")


@cache
def script() -> str:
    """The init script: the CSS handed to the JS, which applies it inside its shadow root."""
    css = (HERE / "overlay.css").read_text(encoding="utf-8")
    js = (HERE / "overlay.js").read_text(encoding="utf-8")
    return f"window.__GUIDE_OVERLAY_CSS__ = {json.dumps(css)};\n{js}"


def install(context: BrowserContext) -> None:
    """Inject the overlay into every page the context opens, before the page's own scripts."""
    context.add_init_script(script=script())


def ensure(page: Page) -> None:
    """Pages opened before `install` (or by a remote browser) get the overlay now."""
    if not page.evaluate("() => typeof window.__guide === 'object'"):
        page.evaluate(script())


def card(ctx: StepContext, buttons: list[dict[str, Any]] | None = None, status: str | None = None,
         message: str | None = None) -> dict[str, Any]:
    """The popover's content for a step, in the flow's words."""
    step, flow = ctx.step, ctx.loaded.flow
    instruction = step.question or step.instruction
    data: dict[str, Any] = {
        "title": flow.title,
        "instruction": instruction,
        "note": step.note,
        "progress": ctx.progress if ctx.number else "",
        "status": status,
        "message": message,
        "buttons": buttons or [],
        "rules": [{"text": r.text, "pattern": r.pattern} for r in ctx.rules] if step.action == "fill" else [],
        "secret": ctx.secret,
    }
    if step.outside and step.lands:  # the link arrives by e-mail: let the person paste it
        data["paste"] = {"label": "Vous pouvez aussi coller ici le lien reçu :"}
    if step.table:
        table = flow.tables[step.table]
        data["table"] = {
            "title": table.title, "columns": table.columns, "rows": table.rows,
            "pick": table.pick.model_dump() if table.pick else None,
        }
    return data


def show(ctx: StepContext, page: Page | None = None, **kwargs: Any) -> None:
    """Draw the overlay for `ctx` on its target (or centred when the step has none)."""
    data = card(ctx, **kwargs)
    page = page or ctx.page
    # One round trip when the init script is there (the usual case); inject it only when not.
    if not _draw(ctx, page, data):
        ensure(page)
        _draw(ctx, page, data)


def _draw(ctx: StepContext, page: Page, data: dict[str, Any]) -> bool:
    """Ask the overlay to draw; False when the page has no overlay yet."""
    if ctx.locator is not None:
        return ctx.locator.evaluate("(el, card) => !!window.__guide && (window.__guide.show(el, card), true)", data)
    return page.evaluate("card => !!window.__guide && (window.__guide.show(null, card), true)", data)


def hide(page: Page) -> None:
    page.evaluate("() => window.__guide && window.__guide.hide()")


def state(page: Page) -> dict[str, Any]:
    return page.evaluate("() => window.__guide.state()")


def next_frame(page: Page, frames: int = 2) -> None:
    """Wait for the overlay's animation frames, so what is drawn is what is on screen."""
    page.evaluate("n => new Promise(r => { const f = k => k ? requestAnimationFrame(() => f(k - 1)) : r(); f(n); })",
                  frames)
