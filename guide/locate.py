"""Find a step's target the way a person names it, strictly.

A target must exist, be unique, visible and (for an action) enabled, with the guide's exact
label. Anything else is drift, and the error says what the page offers instead.
"""

from __future__ import annotations

import difflib
import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .model import Target

# Role names as a French reader sees them, for messages.
ROLE_WORDS = {"button": "bouton", "link": "lien", "radio": "bouton radio", "checkbox": "case à cocher",
              "textbox": "champ", "heading": "titre", "region": "bloc", "combobox": "liste",
              "navigation": "menu", "tab": "onglet", "img": "image", "text": "texte"}
SNAPSHOT_LINE = re.compile(r'^\s*- (?P<role>[a-z]+) "(?P<name>(?:[^"\\]|\\.)*)"')
SNAPSHOT_TEXT = re.compile(r'^\s*- (?:[a-z]+(?: "(?:[^"\\]|\\.)*")?|text): (?P<text>.+)$')
FIELD_ROLES = ("textbox", "searchbox", "combobox", "checkbox", "radio", "spinbutton", "listbox", "switch")


class LocateError(Exception):
    """The target is not where the guide says; `expected`, `found` and `fix` explain it."""

    def __init__(self, problem: str, expected: str, found: str, fix: str):
        self.problem, self.expected, self.found, self.fix = problem, expected, found, fix
        super().__init__(f"{problem}: expected {expected}; found {found}")


def build(root: Page | Locator, target: Target, include_hidden: bool = False) -> Locator:
    """The Playwright locator for a target, matching names whole and case-sensitively."""
    scope = build(root, target.within, include_hidden) if target.within else root
    if target.role:
        return scope.get_by_role(target.role, name=target.name, exact=True,
                                 include_hidden=include_hidden or None)
    if target.label:
        return scope.get_by_label(target.label, exact=True)
    if target.text:
        return scope.get_by_text(target.text, exact=True)
    if target.placeholder:
        return scope.get_by_placeholder(target.placeholder, exact=True)
    if target.css:
        return scope.locator(target.css)
    return scope.get_by_test_id(target.testid or "")


def find(page: Page, target: Target, timeout_ms: float, must_be_enabled: bool) -> Locator:
    """The one visible element matching `target`, waiting up to `timeout_ms` for it."""
    if target.within:
        find(page, target.within, timeout_ms, must_be_enabled=False)
    locator = build(page, target)
    try:
        # One round trip on the pass path: a locator's wait is strict, so this returns once
        # exactly one match is visible, and fails at once when two or more match.
        locator.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise _absent_or_hidden(page, target, locator) from None
    except PlaywrightError as error:
        if "strict mode violation" not in str(error):
            raise
        count = locator.count()
        raise LocateError(
            "ambiguous target", f"one {describe(target)}",
            f"{count} elements match: " + "; ".join(_outline(locator.nth(i)) for i in range(min(count, 5))),
            "a person cannot tell them apart: scope the target with `within:` (the block it is in), "
            "or ask the site to give them distinct names") from None
    if must_be_enabled and not locator.is_enabled():
        raise LocateError("disabled target", f"{describe(target)} usable", f"{describe(target)} is disabled",
                          "the page no longer lets the person use it: check the previous steps "
                          "fill what the page requires, or update the guide")
    return locator


def _absent_or_hidden(page: Page, target: Target, locator: Locator) -> LocateError:
    count = locator.count()
    if not count and target.role:  # roles only see the accessibility tree: look among hidden ones too
        count = build(page, target, include_hidden=True).count()
    if count:
        return LocateError("hidden target", f"{describe(target)} visible",
                           f"{count} matching element{'s' if count > 1 else ''}, none visible",
                           "the element is on the page but hidden: a step before it may be missing "
                           "(a choice that reveals it), or the page changed")
    found = offers_instead(page, target)
    return LocateError("missing target", describe(target), found,
                       "update the step's target to the name the page now uses, "
                       "or its instruction if the procedure changed")


def describe(target: Target) -> str:
    """`bouton "Réinitialiser"`, as the drift messages word it."""
    if target.role:
        text = f'{ROLE_WORDS.get(target.role, target.role)} "{target.name}"'
    elif target.label:
        text = f'champ "{target.label}"'
    elif target.text:
        text = f'texte "{target.text}"'
    elif target.placeholder:
        text = f'champ d\'indication "{target.placeholder}"'
    else:
        text = f"css {target.css}" if target.css else f"test id {target.testid}"
    return f'{text} dans {describe(target.within)}' if target.within else text


def accessible_names(page: Page) -> list[tuple[str, str]]:
    """(role, name) of every named element of the page, from Playwright's ARIA snapshot."""
    try:
        snapshot = page.locator("body").aria_snapshot(timeout=2000)
    except PlaywrightError:
        return []
    names = []
    for line in snapshot.splitlines():
        match = SNAPSHOT_LINE.match(line)
        if match:
            names.append((match["role"], match["name"].replace('\\"', '"')))
        text = SNAPSHOT_TEXT.match(line)
        if text:  # visible text, for `text` targets
            names.append(("text", text["text"].strip().strip('"')))
    return names


def offers_instead(page: Page, target: Target) -> str:
    """The page's closest accessible names to what the target expected."""
    wanted = target.name or target.label or target.text or target.placeholder or ""
    names = accessible_names(page)
    if target.role:
        pool = [(r, n) for r, n in names if r == target.role]
    elif target.label or target.placeholder:
        pool = [(r, n) for r, n in names if r in FIELD_ROLES]
    elif target.text:
        pool = [(r, n) for r, n in names if r == "text"]
    else:
        pool = names
    by_name = {n: r for r, n in pool}
    close = difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.3) if wanted else []
    close += [n for n in by_name if wanted and wanted.lower() in n.lower() and n not in close][:2]
    if close:
        shown = ", ".join(f'{ROLE_WORDS.get(by_name[n], by_name[n])} "{n}"' for n in close)
        return f"{shown} trouvé à la place de \"{wanted}\""
    if pool:
        shown = ", ".join(f'{ROLE_WORDS.get(r, r)} "{n}"' for r, n in pool[:6])
        return f"nothing close; the page offers: {shown}"
    return f"nothing of that kind on the page (title: {page.title()!r}, url: {page.url})"


def _outline(locator: Locator) -> str:
    """A short, person-readable description of one element, for 'which ones matched'."""
    try:
        return locator.evaluate(
            "el => { const box = el.getBoundingClientRect();"
            " const where = el.closest('header,nav,main,footer,form,section,aside');"
            " return `<${el.tagName.toLowerCase()}> \"${(el.innerText||el.value||'').trim().slice(0,40)}\"`"
            " + (where ? ` in <${where.tagName.toLowerCase()}${where.id ? '#' + where.id : ''}>` : '')"
            " + ` at ${Math.round(box.x)},${Math.round(box.y)}`; }", timeout=1000)
    except PlaywrightError:
        return "(element gone)"
