"""When the guide's words match an element: the one rule, for every kind of target.

The words match an element when, after the normalisation below, they are exactly what a
person reads as that element's name:

* what a person reads: the element's rendered text (CSS `text-transform` applied: the
  capitals the person sees), or its accessible name (the words a screen reader says); for a
  form field, its label as shown — the label's first line: a hint shown on its own line under
  it (DSFR's `fr-hint-text`) is not part of the name; for `placeholder`, the placeholder;
* the normalisation removes only differences a person cannot see, or does not read as part
  of the name (`STEPS`, in order): typographic apostrophes, quotes and dashes, no-break and
  narrow spaces, invisible characters, runs of spaces, the spaces French typography puts
  before « : ; ? ! », an ellipsis written as three dots; and for form fields (labels,
  placeholders, the roles of fields) a trailing « : » and required or optional markers
  (« * », « (obligatoire) »…);
* everything else stays different: other words, a longer or shorter name, a letter in
  another case typed in the page's source and shown as such.

The rule lives here once: `normalise` is the Python side (the words of the flow, explanations,
reports); `engine_script` hands the same table to the in-page selector engine
(guide/page/reads.js), which computes what a person reads on the page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ENGINE = "guide-reads"  # the selector engine's name: page.locator("guide-reads={…}")

# Character classes a person cannot tell apart, and what each becomes.
APOSTROPHES = "'’‘ʼ`´′"
QUOTES = '"“”„«»″'
DASHES = "-‐‑‒–—―−"
SPACES = " \t\n\r\f\v\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u3000\u2028\u2029\x85"
INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad\ufeff"
# Words around a field's name that are not its name: required/optional markers.
MARKERS = ("*", "(obligatoire)", "(requis)", "(required)", "(facultatif)", "(optionnel)", "(optional)")
FIELD_ROLES = ("textbox", "searchbox", "combobox", "checkbox", "radio", "spinbutton", "listbox", "switch", "slider")


@dataclass(frozen=True)
class Step:
    name: str
    explains: str  # what --explain says was ignored
    fields_only: bool = False


STEPS = (
    Step("unicode", "a different Unicode form of the same letters"),
    Step("invisible", "invisible characters (zero-width spaces, soft hyphens)"),
    Step("apostrophes", "a typographic apostrophe (’ for ')"),
    Step("quotes", 'typographic quotes (« » “ ” for ")'),
    Step("dashes", "a typographic dash (– — ‑ for -)"),
    Step("ellipsis", "an ellipsis (… for ...)"),
    Step("spaces", "no-break, narrow or repeated spaces"),
    Step("french-spacing", "the space French typography puts before « : ; ? ! »"),
    Step("markers", "a trailing « : » or a required/optional marker (« * », « (obligatoire) »)", fields_only=True),
)


def _translate(text: str, chars: str, into: str) -> str:
    return text.translate({ord(c): into for c in chars})


def _step(name: str, text: str) -> str:
    if name == "unicode":
        return unicodedata.normalize("NFC", text)
    if name == "invisible":
        return _translate(text, INVISIBLE, "")
    if name == "apostrophes":
        return _translate(text, APOSTROPHES, "'")
    if name == "quotes":
        return _translate(text, QUOTES, '"')
    if name == "dashes":
        return _translate(text, DASHES, "-")
    if name == "ellipsis":
        return text.replace("…", "...")
    if name == "spaces":
        return re.sub(" +", " ", _translate(text, SPACES, " ")).strip(" ")
    if name == "french-spacing":
        return _french(text)
    if name == "markers":
        return _strip_markers(text)
    raise ValueError(name)


def _french(text: str) -> str:
    """Spaces before « : ; ? ! » and inside « » are typography, not words."""
    text = re.sub(r" +([:;?!])", r"\1", text)
    return re.sub(r' *" *', '"', text) if '"' in text else text


def _strip_markers(text: str) -> str:
    while True:
        before = text
        text = text.rstrip(" ").removesuffix(":").rstrip(" ")
        for marker in MARKERS:
            if text.lower().endswith(marker):
                text = text[: len(text) - len(marker)].rstrip(" ")
        if text == before:
            return text


def normalise(text: str, field: bool = False, skip: str = "") -> str:
    """`text` as the matching rule compares it (`skip`: all steps but that one)."""
    for step in STEPS:
        if (field or not step.fields_only) and step.name != skip:
            text = _step(step.name, text)
    return text


def explain(words: str, reading: str, field: bool = False) -> list[str]:
    """Which invisible differences had to be set aside for `words` to read as `reading`:
    the steps without which they would not be the same."""
    if words == reading or normalise(words, field) != normalise(reading, field):
        return []
    return [
        step.explains
        for step in STEPS
        if (field or not step.fields_only)
        and normalise(words, field, skip=step.name) != normalise(reading, field, skip=step.name)
    ]


def is_field(kind: str, role: str | None = None) -> bool:
    """Field names carry markers (« * », « : ») that are not part of the name."""
    return kind in ("label", "placeholder", "block") or (kind == "role" and role in FIELD_ROLES)


def spec(kind: str, words: str, role: str | None = None, scan: bool = False) -> str:
    """The selector of the in-page engine: elements whose reading is `words`.

    `scan` searches the whole scope (labels, placeholders, blocks); otherwise the engine only
    says whether the element it is given (a candidate Playwright found by role or text) reads
    as `words`.
    """
    field = is_field(kind, role)
    body = {"kind": kind, "words": normalise(words, field), "field": field, "scan": scan}
    return f"{ENGINE}={json.dumps(body, ensure_ascii=False)}"


def rule_table() -> dict[str, Any]:
    """The normalisation as data, for the in-page engine."""
    return {
        "apostrophes": APOSTROPHES,
        "quotes": QUOTES,
        "dashes": DASHES,
        "spaces": SPACES,
        "invisible": INVISIBLE,
        "markers": list(MARKERS),
        "steps": [{"name": s.name, "explains": s.explains, "fieldsOnly": s.fields_only} for s in STEPS],
    }


@cache
def engine_script() -> str:
    """guide/page/reads.js with the rule table: a Playwright selector engine."""
    source = (Path(__file__).with_name("page") / "reads.js").read_text(encoding="utf-8")
    return source.replace("/*RULES*/null", json.dumps(rule_table(), ensure_ascii=False))


def register(playwright: Any) -> None:
    """Make the engine known to this Playwright, before its contexts are created.

    In an isolated world (content_script): the page's own scripts cannot change what it reads.
    """
    try:
        playwright.selectors.register(ENGINE, engine_script(), content_script=True)
    except Exception as error:  # Playwright's Error when this Playwright already has it
        if "already registered" not in str(error):
            raise
