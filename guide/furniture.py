"""Page furniture: what may appear on any page (a consent banner, a survey, a maintenance
notice), declared once per flow with how to make it go away.

Check, shots and autoplay close it whenever it gets in the way of an action, with Playwright's
`page.add_locator_handler`; the screenshots' camera also closes it before each shot. Live mode
asks the person to close it first (guide.live).
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from . import locate
from .model import Furniture


def appears(page: Page | Locator, piece: Furniture) -> Locator:
    return locate.build(page, piece.appears).filter(visible=True)


def closer(shown: Locator, piece: Furniture) -> Locator:
    """What closes it (« Tout refuser »), inside it."""
    return locate.build(shown, piece.dismiss).filter(visible=True).first


def handle_automatically(page: Page, pieces: list[Furniture], timeout_ms: float) -> None:
    """Close each piece whenever it shows up before an action (Playwright calls the handler)."""
    for piece in pieces:
        page.add_locator_handler(
            appears(page, piece), lambda shown, piece=piece: closer(shown, piece).click(timeout=timeout_ms)
        )


def showing(page: Page, pieces: list[Furniture]) -> list[Furniture]:
    """The pieces visible on the page now."""
    found = []
    for piece in pieces:
        try:
            if appears(page, piece).count():
                found.append(piece)
        except PlaywrightError:  # the page is navigating
            pass
    return found


def close_all(page: Page, pieces: list[Furniture], timeout_ms: float) -> None:
    """Close every piece showing (before a screenshot), and wait until it is gone."""
    for piece in showing(page, pieces):
        shown = appears(page, piece)
        closer(shown, piece).click(timeout=timeout_ms)
        shown.first.wait_for(state="hidden", timeout=timeout_ms)
