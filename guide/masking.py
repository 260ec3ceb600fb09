"""Hiding secrets in screenshots: boxes drawn in the page over everything that shows one.

The script is guide/overlay/mask.js; the writers' camera (guide.shots) and the check's failure
screenshots (guide.runner) both use it, so no screenshot the tool writes shows a secret value
in any of the forms a page can show it (guide.secrets.encodings).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from .secrets import Values

COLOR = "#3b3b3b"


@cache
def script() -> str:
    """guide/overlay/mask.js: an object with mask(), unmask() and markSecret()."""
    return (Path(__file__).with_name("overlay") / "mask.js").read_text(encoding="utf-8")


def _call(name: str) -> str:
    return f"arg => ({script()}).{name}(arg)"


def cover(page: Page, values: Values, color: str = COLOR) -> dict[str, Any]:
    """Draw the masks; says {raise, over, masked} (see mask.js)."""
    result: dict[str, Any] = page.evaluate(_call("mask"), [values.forms(), color])
    return result


def uncover(page: Page) -> None:
    """Remove the masks (and hide the overlay, which the next shot draws again)."""
    page.evaluate(_call("unmask"), None)


def remember_secret_field(field: Locator) -> None:
    """The page may reformat what was typed: remember the field, not the value."""
    field.evaluate(_call("markSecret"))
