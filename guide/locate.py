"""Find a step's target the way a person names it, strictly.

What "the guide's words match an element" means is guide.matching's rule, applied in the page
by its selector engine. On top of it, strictness: only visible elements count; exactly one
must match (two visible matches is ambiguous, hidden copies are not matches); an element the
step acts on must be enabled — decided from the action's own failure, so that the pass path
pays no extra round trip (guide.session.action_failure). Anything else is drift, and the error
says what the page offers instead.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import matching, problems
from .model import Target

# Role names as a French reader sees them, for messages.
ROLE_WORDS = {
    "button": "bouton",
    "link": "lien",
    "radio": "bouton radio",
    "checkbox": "case à cocher",
    "textbox": "champ",
    "heading": "titre",
    "region": "bloc",
    "combobox": "liste",
    "navigation": "menu",
    "tab": "onglet",
    "img": "image",
    "text": "texte",
    "group": "groupe",
    "searchbox": "champ de recherche",
    "spinbutton": "champ",
    "switch": "interrupteur",
}
SNAPSHOT_KEY = re.compile(r'^(?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?: \[[^\]]*\])*$')
# Latin letters and digits: what separates the words of a text in the candidates' prefilter.
WORD = "0-9A-Za-zÀ-ÖØ-öø-ÿŒœ"
CLOSE_ENOUGH = 0.6  # similarity above which a name anywhere on the page is offered instead
NEAR_ENOUGH = 0.3  # the same, in the block the step names or the form the person is filling


class LocateError(Exception):
    """The target is not where the guide says; `expected`, `found` and `fix` explain it."""

    def __init__(self, problem: str, expected: str, found: str, fix: str):
        self.problem, self.expected, self.found, self.fix = problem, expected, found, fix
        super().__init__(f"{problem}: expected {expected}; found {found}")


def words_of(target: Target) -> str:
    return target.name or target.label or target.text or target.placeholder or target.block or ""


def text_prefilter(words: str) -> re.Pattern[str]:
    """A loose pattern for Playwright's text engine: the same words, any separators or case.

    Only a first sieve (the page's text engine finds the smallest element holding them); the
    rule itself is applied to what it finds by guide/page/reads.js.
    """
    tokens = re.findall(r"[^\W_]+", matching.normalise(words))
    if not tokens:
        return re.compile(r"[\s\S]*")
    separator = f"[^{WORD}]+"
    return re.compile(f"^[^{WORD}]*" + separator.join(map(re.escape, tokens)) + f"[^{WORD}]*$", re.IGNORECASE)


def build(root: Page | Locator, target: Target) -> Locator:
    """Every element the words name, visible or not (see guide.matching for the rule)."""
    scope = build(root, target.within) if target.within else root
    if target.role:
        candidates = scope.get_by_role(target.role, include_hidden=True)
        return candidates.locator(matching.spec("role", target.name or "", target.role))
    if target.text:
        return scope.get_by_text(text_prefilter(target.text)).locator(matching.spec("text", target.text))
    if target.label:
        return scope.locator(matching.spec("label", target.label, scan=True))
    if target.placeholder:
        return scope.locator(matching.spec("placeholder", target.placeholder, scan=True))
    if target.block:
        return scope.locator(matching.spec("block", target.block, scan=True))
    if target.css:
        return scope.locator(target.css)
    return scope.get_by_test_id(target.testid or "")


def find(page: Page, target: Target, timeout_ms: float) -> Locator:
    """The one visible element matching `target`, waiting up to `timeout_ms` for it."""
    if target.within:
        try:
            find(page, target.within, timeout_ms)
        except LocateError as error:
            raise _elsewhere(page, target, error) from None
    every = build(page, target)
    locator = every.filter(visible=True)
    try:
        # One round trip on the pass path: a locator's wait is strict, so this returns once
        # exactly one match is visible, and fails at once when two or more are.
        locator.wait_for(state="visible", timeout=timeout_ms)
    except PlaywrightTimeout:
        visible = locator.count()  # one now: it came just as the wait ended, on a busy machine
        if visible == 0:
            raise _absent_or_hidden(page, target, every) from None
        if visible > 1:
            raise _ambiguous(target, locator, visible) from None
    except PlaywrightError as error:
        if "strict mode violation" not in str(error):
            raise
        raise _ambiguous(target, locator, locator.count()) from None
    return locator


def _elsewhere(page: Page, target: Target, missing: LocateError) -> LocateError:
    """The block is not there: is the element itself, in another block? (A renamed block.)"""
    if missing.problem != problems.MISSING:
        return missing
    alone = build(page, target.model_copy(update={"within": None})).filter(visible=True)
    found = [
        f'{describe(target.model_copy(update={"within": None}))} dans bloc "{block}"'
        for block in (block_of(alone.nth(i)) for i in range(min(alone.count(), 3)))
        if block
    ]
    if not found:
        return missing
    return LocateError(
        problems.MISSING,
        describe(target),
        f"{', '.join(found)} trouvé à la place",
        problems.FIX_BLOCK_RENAMED,
    )


def _ambiguous(target: Target, locator: Locator, count: int) -> LocateError:
    return LocateError(
        problems.AMBIGUOUS,
        f"one {describe(target)}",
        f"{count} elements match: " + "; ".join(_outline(locator.nth(i)) for i in range(min(count, 5))),
        problems.FIX_AMBIGUOUS,
    )


def _absent_or_hidden(page: Page, target: Target, every: Locator) -> LocateError:
    count = every.count()
    if count:
        return LocateError(
            problems.HIDDEN,
            f"{describe(target)} visible",
            f"{count} matching element{'s' if count > 1 else ''}, none visible",
            problems.FIX_HIDDEN,
        )
    return LocateError(
        problems.MISSING,
        describe(target),
        offers_instead(page, target),
        problems.FIX_RENAMED,
    )


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
    elif target.block:
        text = f'bloc "{target.block}"'
    else:
        text = f"css {target.css}" if target.css else f"test id {target.testid}"
    return f"{text} dans {describe(target.within)}" if target.within else text


# --- what the page offers instead -------------------------------------------------------------


def accessible_names(snapshot: str) -> list[tuple[str, str]]:
    """(role, name) of every named element, and ("text", …) of every text, in an ARIA snapshot.

    The snapshot is YAML (names holding « : » are quoted): it is read as YAML, not scraped.
    """
    try:
        tree = yaml.safe_load(snapshot)
    except yaml.YAMLError:
        return []
    found: list[tuple[str, str]] = []
    _collect(tree, found)
    return found


def _collect(node: Any, found: list[tuple[str, str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _collect(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            _collect_item(str(key), value, found)
    elif isinstance(node, str):
        _collect_item(node, None, found)


def _collect_item(key: str, value: Any, found: list[tuple[str, str]]) -> None:
    if key.startswith("/"):  # a property such as /url
        return
    if key == "text":
        if isinstance(value, str | int | float):
            found.append(("text", str(value)))
        return
    match = SNAPSHOT_KEY.match(key)
    if match and match["name"] is not None:
        found.append((match["role"], json.loads(f'"{match["name"]}"')))
    if isinstance(value, str | int | float):  # `paragraph: some text`
        found.append(("text", str(value)))
    else:
        _collect(value, found)


def _pool(names: list[tuple[str, str]], target: Target) -> list[tuple[str, str]]:
    """The names of the same kind as the target."""
    if target.role:
        return [(r, n) for r, n in names if r == target.role]
    if target.label or target.placeholder:
        return [(r, n) for r, n in names if r in matching.FIELD_ROLES]
    if target.text:
        return [(r, n) for r, n in names if r == "text"]
    if target.block:
        return [(r, n) for r, n in names if r in ("region", "group", "navigation", "heading", "form")]
    return names


def _similarity(wanted: str, name: str, field: bool) -> float:
    a, b = matching.normalise(wanted, field).casefold(), matching.normalise(name, field).casefold()
    if a and b and (a in b or b in a):
        return max(0.75, difflib.SequenceMatcher(None, a, b).ratio())
    return difflib.SequenceMatcher(None, a, b).ratio()


def closest(
    names: list[tuple[str, str]], target: Target, cutoff: float = CLOSE_ENOUGH, limit: int = 3
) -> list[tuple[str, str]]:
    """The names a person could have meant, closest first; none when nothing is close."""
    wanted = words_of(target)
    field = matching.is_field("role" if target.role else "label", target.role)
    pool = set(_pool(names, target))
    scored = sorted(((_similarity(wanted, n, field), r, n) for r, n in pool), reverse=True)
    return [(r, n) for score, r, n in scored if score >= cutoff][:limit]


def _near(names: list[tuple[str, str]], target: Target) -> list[tuple[str, str]]:
    """In the block or form where the step happens: close names, or the only one of its kind."""
    pool = sorted(set(_pool(names, target)))
    return closest(names, target, NEAR_ENOUGH) or (pool if len(pool) == 1 else [])


def _snapshot(root: Page | Locator) -> str:
    scope = root.locator("body") if isinstance(root, Page) else root
    try:
        if not scope.count():
            return ""
        return scope.first.aria_snapshot(timeout=2000)
    except PlaywrightError:
        return ""


def offers_instead(page: Page, target: Target) -> str:
    """The names on the page closest to what the target expected: in its block first."""
    wanted = words_of(target)
    kind = ROLE_WORDS.get(target.role or "", "élément") if target.role else describe(target).split(" ")[0]
    # Where the step happens: the block it names (find checked it is there), and the form the
    # person is filling (the field the previous step filled has the focus).
    places = [build(page, target.within).filter(visible=True)] if target.within else []
    places.append(page.locator("form:focus-within"))
    for place in places:
        near = _near(accessible_names(_snapshot(place)), target)
        if near:
            return _shown(near, wanted)
    names = accessible_names(_snapshot(page))
    near = closest(names, target)
    if near:
        return _shown(near, wanted)
    # Nothing a person could take for it: say so, and only then what the page has of that kind.
    others = sorted(set(_pool(names, target)))
    listed = "; the page has " + ", ".join(f'{ROLE_WORDS.get(r, r)} "{n}"' for r, n in others[:6]) if others else ""
    return f'nothing close to "{wanted}": no {kind} on this page reads like it{listed} (url: {page.url})'


def _shown(names: list[tuple[str, str]], wanted: str) -> str:
    shown = ", ".join(f'{ROLE_WORDS.get(r, r)} "{n}"' for r, n in names)
    return f'{shown} trouvé à la place de "{wanted}"'


# The title of the block an element sits in, as a person would name the block: its landmark
# name, its legend or heading, or the first line of text it shows above the element.
BLOCK_TITLE = r"""el => {
  const line = n => ((n.innerText || '').trim().split('\n')[0] || '').trim();
  const own = line(el);
  for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
    const named = n.getAttribute('aria-label');
    if (named) return named.trim();
    const title = n.querySelector(':scope > legend, :scope > h1, :scope > h2, :scope > h3, :scope > h4, ' +
                                  ':scope > h5, :scope > h6, :scope > caption');
    if (title && !title.contains(el) && line(title)) return line(title);
    const first = line(n);
    if (first && first !== own && first.length <= 80) return first;
  }
  return null;
}"""


def block_of(locator: Locator) -> str | None:
    """The title of the block the element is in (for reports), if it has one."""
    try:
        title = locator.evaluate(BLOCK_TITLE, timeout=1000)
    except PlaywrightError:
        return None
    return str(title) if title else None


def _outline(locator: Locator) -> str:
    """A short, person-readable description of one element, for 'which ones matched'."""
    try:
        box, text = locator.evaluate(
            "el => { const b = el.getBoundingClientRect();"
            " return [[Math.round(b.x), Math.round(b.y)], (el.innerText || el.value || '').trim().slice(0, 40)]; }",
            timeout=1000,
        )
    except PlaywrightError:
        return "(element gone)"
    block = block_of(locator)
    return f'"{text}"' + (f' dans bloc "{block}"' if block else "") + f" at {box[0]},{box[1]}"


# --- --explain --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    words: str
    reading: str  # what the person reads on the element
    ignored: list[str]  # the invisible differences the rule set aside


HOW = {
    "rendered": "the text as shown",
    "label-first-line": "the label's first line (the hint under it is not part of the name)",
}


def explain(locator: Locator, target: Target) -> Explanation | None:
    """How the words matched the element, when they did only after normalisation."""
    kind = (
        next(k for k in ("role", "text", "label", "placeholder", "block") if getattr(target, k))
        if not (target.css or target.testid)
        else None
    )
    if kind is None or kind == "block":
        return None
    words = words_of(target)
    field = matching.is_field(kind, target.role)
    body = matching.spec(kind, words, target.role).split("=", 1)[1]
    readings = locator.evaluate(f"(el, body) => ({matching.engine_script()}).readings(el, body)", body)
    wanted = matching.normalise(words, field)
    for reading in readings:
        text = reading["text"] or ""
        if matching.normalise(text, field) != wanted:
            continue
        ignored = matching.explain(words, text, field)
        source = next((r["text"] for r in readings if r["how"] == "source"), "")
        if reading["how"] == "rendered" and matching.normalise(source, field) != wanted:
            ignored.append(f"capitals set by the page's style (the source says « {' '.join(source.split())} »)")
        if reading["how"] == "label-first-line" and reading.get("whole", "").strip() != text.strip():
            ignored.append(
                "the hint shown under the label (« " + " ".join(reading["whole"].split()[len(text.split()) :]) + " »)"
            )
        return Explanation(words, " ".join(text.split()), ignored) if ignored else None
    return None
