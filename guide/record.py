"""`guide record URL [--out FLOW]`: the author does the procedure in a browser; each click,
choice, fill and page change becomes a step of a new flow.

How an element is named is `guide inspect`'s business (guide/inspect.py): each time a page
settles, it is inspected and every element a step could target carries the index of its
inspection entry (`__guideEntry`); guide/page/record.js tells which one the author used. The
name is so the matching rule's reading, checked by `locate.find` as `guide check` would; a
name that is not unique on the page is said in the recorder's bar and marked `# TODO` in the
flow (with `within:` when a block makes it unique). The page an action lands on is added to
`pages:` (URL pattern, title, level-1 heading). A typed value becomes a variable, secret,
whose `test:` value is a stand-in made up here: the author's value is never written, and where a
later page shows it back its `{variable}` is written instead (`Echoes`: record.js gives only a
salted fingerprint of what was typed).

The bar (guide/overlay/toolbar.js, in the overlay's shadow root) offers « Vérifier un
élément » (the next click names an `expect` step instead of acting), a note for the last step,
a question, and « Terminer ». A question is recorded as the person will meet it: « Poser une
question » with its words, then each answer (« Ajouter une réponse ») followed by the steps of
that answer; from the second answer on, the browser goes back to the page where the question
was asked. « Fin de la question »: the next steps follow the question, whatever the answer.
A list (`select`) keeps the label of the option chosen: a choice offered by the page, not a
value the author typed. `--append` goes on from the last page of an existing flow.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from . import inspect
from .browser import add_browser_argument
from .draft.text import fold
from .draft.text import slug as words_slug
from .files import write_atomic
from .i18n import LANGUAGES, N_, Say, words
from .inspect import Entry, Inspection
from .loader import FlowError, load_flow
from .model import Step
from .protocol import Event
from .session import first_line
from .session import url_pattern as page_url_regex

RECORD_JS = (Path(__file__).with_name("page") / "record.js").read_text(encoding="utf-8")
PUMP_MS = 100  # how long the recorder lets Playwright deliver the page's events between looks
MARK = """([elements, generation]) => elements.forEach((element, index) => {
  if (!element) return;
  element.__guideEntry = index;
  element.__guideGeneration = generation;
})"""
DIRTY = """() => { const d = window.__guideRecordDirty === true; window.__guideRecordDirty = false; return d; }"""
WATCH = """() => {
  if (window.__guideRecordWatch) return;
  window.__guideRecordWatch = new MutationObserver(records => {
    if (records.some(r => !(r.target.localName === 'guide-overlay-root' || (r.target.closest &&
        r.target.closest('guide-overlay-root'))))) window.__guideRecordDirty = true;
  });
  window.__guideRecordWatch.observe(document.documentElement, {childList: true, subtree: true, attributes: true});
}"""

# Stand-in test values by field type: what `guide check` types; the author's value is never kept.
STAND_INS = {
    "email": "prenom.nom@exemple.fr",
    "password": "Exemple-2026!ok",
    "tel": "0612345678",
    "number": "12",
    "date": "2026-01-15",
    "url": "https://exemple.fr/",
}

# Buttons of the recorder's bar.
EXPECT, NOTE, STOP = "record-expect", "record-note", "record-stop"
QUESTION, ANSWER, END_QUESTION = "record-question", "record-answer", "record-end-question"

# The instruction a recorded step proposes, by action and kind of target (the flow's language).
INSTRUCTIONS = {
    ("click", "link"): N_("Click the link « {name} »."),
    ("click", "button"): N_("Click the button « {name} »."),
    ("click", "other"): N_("Click « {name} »."),
    ("fill", "other"): N_("Fill in « {name} »."),
    ("choose", "other"): N_("Choose « {name} »."),
    ("check", "other"): N_("Tick « {name} »."),
    ("uncheck", "other"): N_("Untick « {name} »."),
    ("select", "other"): N_("Choose « {value} » in « {name} »."),
    ("expect", "other"): N_("Check that « {name} » is shown."),
}


class RecordError(Exception):
    """Bad input for `guide record`: the message says what and how to fix it."""


def slug(text: str, default: str = "page") -> str:
    """An id from `text`, folded as guide draft folds it (`guide.draft.text.slug`), cut to stay a
    valid id; `default` when the text has no letter or digit."""
    if not re.search(r"[a-z0-9]", fold(text)):
        return default
    return words_slug(text, max_words=6)[:48].strip("-")


@dataclass
class Recorded:
    """The flow being written."""

    lang: str
    pages: dict[str, dict[str, str]] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    todos: dict[str, list[str]] = field(default_factory=dict)  # step id -> comments
    start: str | None = None
    where: list[list[dict[str, Any]]] = field(default_factory=list)  # innermost last: where steps go
    kept: set[str] = field(default_factory=set)  # --append: ids of the file's own steps, never changed

    def __post_init__(self) -> None:
        self.where = self.where or [self.steps]

    def shows(self, url: str, page_id: str | None) -> bool:
        """Is `url` the address of page `page_id`?"""
        return page_id is not None and address_matches(self.pages[page_id]["url"], url)

    def page_for(self, page: Page, unveil: Callable[[str], str] = lambda text: text) -> str:
        """The id of the page `page` shows, added to `pages:` the first time (`unveil`: a typed
        value the page shows back written as its `{variable}`)."""
        parts = urlsplit(page.url)
        url = url_pattern(page.url)
        for page_id, spec in self.pages.items():
            if address_matches(spec["url"], page.url):
                return page_id
        spec = {"url": url}
        title = unveil(page.title().strip())
        heading = unveil(_first_heading(page))
        if title:
            spec["title"] = title
        if heading:
            spec["heading"] = heading
        if not title and not heading:  # the check recognises a page by one of them: the author says which
            spec["title"] = "TODO: this page has no <title> and no <h1>: write what identifies it"
        page_id = _unique(slug(heading or title or parts.path.rsplit("/", 1)[-1] or parts.netloc), self.pages)
        self.pages[page_id] = spec
        self.start = self.start or page_id
        return page_id

    def add_step(self, step: dict[str, Any], todos: list[str]) -> dict[str, Any]:
        step["id"] = _unique(step["id"], self.ids())
        self.where[-1].append(step)
        if todos:
            self.todos.setdefault(step["id"], []).extend(todos)
        return step

    def ids(self) -> set[str]:
        """Every step and option id so far (one namespace: a TODO is placed by its id)."""
        return {item["id"] for item in _items(self.steps)}

    def acting_steps(self) -> list[dict[str, Any]]:
        """The steps recorded, answers' steps included, in order (not the questions, not the options)."""
        return [item for item in _items(self.steps) if "instruction" in item and "question" not in item]

    def count(self) -> int:
        return len(self.acting_steps())

    def variable(self, words_: str, kind: str) -> str:
        name = _unique(slug(words_, "valeur").replace("-", "_"), self.variables)
        self.variables[name] = {"label": words_, "secret": True, "test": STAND_INS.get(kind, "exemple")}
        return name


def _items(steps: list[dict[str, Any]]) -> Any:
    """Every step and option of a recorded step list, depth first."""
    for step in steps:
        yield step
        for option in step.get("options", []):
            yield option
            yield from _items(option.get("steps", []))


@dataclass
class Asking:
    """A question being recorded: its step, where it was asked, where each answer ended. Its
    first option exists from the start, unnamed (label ""), so that the steps done before the
    first answer is named are in the tree (ids, notes) like any other."""

    step: dict[str, Any]
    url: str
    ends: list[str | None] = field(default_factory=list)


@dataclass
class Echoes:
    """What the author typed, known only by fingerprints (length, salted SHA-256 of the lower-case
    text, made in the page by record.js), so that a page showing it back (« Code envoyé à … »)
    gets `{variable}` written instead: the flow never holds the value."""

    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    prints: list[tuple[int, str, str]] = field(default_factory=list)  # (length, hash, variable)

    def add(self, length: int, digest: str, variable: str) -> None:
        if 0 < length <= 1000 and (length, digest, variable) not in self.prints:
            self.prints.append((length, digest, variable))

    def script(self, source: str) -> str:
        return source.replace("__GUIDE_RECORD_SALT__", self.salt)

    def unveil(self, text: str) -> str:
        """`text` with every stretch that is a typed value replaced by its `{variable}`."""
        for length, digest, variable in self.prints:
            lower, start = text.lower(), 0
            while start + length <= len(lower):
                window = lower[start : start + length]
                if hashlib.sha256((self.salt + window).encode("utf-8")).hexdigest() == digest:
                    text = text[:start] + "{" + variable + "}" + text[start + length :]
                    lower = text.lower()
                    start += len(variable) + 2
                else:
                    start += 1
        return text

    def unveil_all(self, data: Any) -> Any:
        """The same through a target's YAML (text, or a mapping of texts)."""
        if isinstance(data, str):
            return self.unveil(data)
        if isinstance(data, dict):
            return {key: self.unveil_all(value) for key, value in data.items()}
        return data


def address_matches(pattern: str, url: str) -> bool:
    """Does `url` match a `pages:` URL pattern, as the check reads it (guide.session)?"""
    compared = url if "?" in pattern else url.split("#")[0].split("?")[0]
    return bool(page_url_regex(pattern).match(compared))


def url_pattern(url: str) -> str:
    """A page's address as `pages:` writes it: without its query (then matched with `*`)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("*" if parts.query else "")


def _unique(base: str, taken: Any) -> str:
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


def _first_heading(page: Page) -> str:
    try:
        text = page.locator("h1").first.inner_text(timeout=500)
    except PlaywrightError:
        return ""
    return " ".join(text.split())


@dataclass
class RecordOptions:
    url: str | None
    out: Path
    fixtures: Path | None = None
    lang: str = "fr"
    title: str | None = None
    append: bool = False
    headless: bool = False
    browser_path: str | None = None
    timeout_ms: float = 3000


class Recorder:
    """Turns what the author does into steps, page after page."""

    def __init__(
        self,
        context: BrowserContext,
        page: Page,
        options: RecordOptions,
        recorded: Recorded,
        events: deque[dict[str, Any]],  # filled by the page's bindings (record.js, the bar)
        echoes: Echoes | None = None,  # the fingerprints' salt, as given to record.js
    ):
        self.context, self.page, self.options, self.flow = context, page, options, recorded
        self.say: Say = words(options.lang)
        self.events = events
        self.inspection: Inspection | None = None
        self.entries: list[Entry] = []
        self.generation = 0
        self.page_id: str | None = None
        self.last_click: dict[str, Any] | None = None  # the step whose click may land on a new page
        self.message = ""
        self.stopped = False
        self.asking: list[Asking] = []  # the questions being recorded, innermost last
        self.unsettled = False  # the last read of the page failed (it moved on): read it again
        self.fields: dict[tuple[Any, Any], str] = {}  # (entry, generation) of a field filled -> its variable
        self.key: tuple[Any, Any] = (None, None)  # the (entry, generation) of the event being handled
        self.echoes = echoes or Echoes()  # typed values, as record.js fingerprints them

    # --- the page -------------------------------------------------------------------------------

    def settle(self) -> None:
        """Inspect the page as it is now and name its elements for record.js; a page that moves
        on meanwhile (a redirect, a script) is read again on the next look."""
        try:
            self.read_page()
            self.unsettled = False
        except PlaywrightError:
            self.generation += 1  # what record.js tells of the old marks is stale
            self.unsettled = True

    def read_page(self) -> None:
        self.bar(self.say("Reading the page…"))
        try:
            self.page.wait_for_load_state("load", timeout=self.options.timeout_ms)
        except PlaywrightError:
            pass
        page_id = self.flow.page_for(self.page, self.echoes.unveil)
        if page_id != self.page_id:
            if self.last_click is not None and self.page_id is not None:
                self.last_click["lands"] = page_id
            self.page_id = page_id
            self.last_click = None
        self.inspection = inspect.inspect_page(self.page, timeout_ms=500)
        self.entries = [entry for group in self.inspection.groups for entry in group.entries]
        self.generation += 1
        handles = [entry.element for entry in self.entries]
        self.page.evaluate(MARK, [handles, self.generation])
        self.page.evaluate(WATCH)
        self.page.evaluate(DIRTY)
        self.bar(self.say("Ready: do the procedure; each action becomes a step."))

    def bar(self, status: str) -> None:
        buttons = [
            {"id": EXPECT, "label": self.say("Check an element")},
            {"id": NOTE, "label": self.say("Add the note")},
            {"id": QUESTION, "label": self.say("Ask a question")},
        ]
        if self.asking:
            buttons += [
                {"id": ANSWER, "label": self.say("Add an answer")},
                {"id": END_QUESTION, "label": self.say("End of the question")},
            ]
        spec = {
            "status": status,
            "message": self.message,
            "field": {"label": self.say("Your words: a note for the last step, a question, an answer")},
            "buttons": [*buttons, {"id": STOP, "label": self.say("Finish"), "primary": True}],
        }
        try:
            self.page.evaluate("spec => window.__guide && window.__guide.toolbar(spec)", spec)
        except PlaywrightError:
            pass  # the page is going away: the next one gets the bar

    # --- what the author did --------------------------------------------------------------------

    def handle(self, event: dict[str, Any]) -> None:
        if event.get("type") == Event.BUTTON:
            self.button(str(event.get("id")), str(event.get("text") or ""))
            return
        if event.get("type") == "typed":  # a fingerprint of what was typed in a field filled just before
            variable = self.fields.get((event.get("entry"), event.get("generation")))
            if variable and isinstance(event.get("hash"), str) and isinstance(event.get("length"), int):
                self.echoes.add(event["length"], event["hash"], variable)
            return
        entry = self.entry(event)
        self.key = (event.get("entry"), event.get("generation"))  # which field, for its `typed` event
        if entry is None:
            self.message = self.say("That element has no name a step can use: pick another, or write the step by hand.")
            self.bar(self.say("Not recorded."))
            return
        kind = event.get("type")
        if kind == "click":
            step = self.step(entry, "click")
            self.last_click = step
        elif kind == "expect":
            self.step(entry, "expect")
        elif kind == "change":
            field_kind = str(event.get("kind"))
            if field_kind == "radio":
                if event.get("checked"):
                    self.step(entry, "choose")
            elif field_kind == "checkbox":
                self.step(entry, "check" if event.get("checked") else "uncheck")
            elif field_kind == "select":
                if event.get("option"):  # an option without words cannot be named: nothing to record
                    self.step(entry, "select", value=str(event["option"]))
            elif not event.get("empty"):
                self.step(entry, "fill", field_kind=field_kind)

    def entry(self, event: dict[str, Any]) -> Entry | None:
        index = event.get("entry")
        if event.get("generation") != self.generation or not isinstance(index, int):
            return None
        return self.entries[index] if 0 <= index < len(self.entries) else None

    def step(self, entry: Entry, action: str, field_kind: str = "text", value: str | None = None) -> dict[str, Any]:
        shown = inspect.locate.words_of(entry.target)
        name = self.echoes.unveil(shown)
        shown_back = name != shown  # the page shows what the author typed
        role = entry.target.role if entry.target.role in ("link", "button") else "other"
        instruction = self.say(INSTRUCTIONS[(action, role)], name=name, value=value)
        target = self.echoes.unveil_all(yaml.safe_load(entry.yaml.split(":", 1)[1]))
        again = self.changed_again(action, target)
        if again is not None:  # the same field changed again (arrow keys in a list): the last choice holds
            if value is not None:
                again.update(instruction=instruction, value=value)
            if action == "fill":
                self.fields[self.key] = str(again["value"]).strip("{}")
            return again
        step: dict[str, Any] = {
            "id": slug(f"{action}-{name}", action),
            "instruction": instruction,
            "target": target,
            "action": action,
        }
        todos: list[str] = []
        if value is not None:
            step["value"] = value
        if action == "fill":
            variable = self.flow.variable(name, field_kind)
            step["value"] = "{" + variable + "}"
            self.fields[self.key] = variable
            todos.append("the variable's `test:` value is a stand-in: guide record never keeps what was typed")
        if shown_back:
            todos.append(
                "the page showed back what was typed: it is written as its {variable}, never as typed; "
                "guide check types the stand-in there, so name the element by words that do not change"
            )
        self.message = ""
        if entry.status == "ambiguous":
            todos.append(f'« {name} » appears {entry.count} times on this page: say which with `within: block "…"`')
            self.message = self.say(
                "« {name} » appears {count} times on this page: no name is unique.", name=name, count=entry.count
            )
        self.flow.add_step(step, todos)
        self.bar(self.say("Step {number} recorded: {instruction}", number=self.flow.count(), instruction=instruction))
        return step

    def note(self, step: dict[str, Any], text: str) -> None:
        if step["id"] in self.flow.kept:  # --append: the file's own steps are kept as written
            self.message = self.say("A note goes with a step recorded now: the flow's own steps are kept as written.")
            self.bar(self.say("Nothing recorded."))
            return
        step["note"] = text
        self.message = ""
        self.bar(self.say("Note added to step {number}.", number=self.flow.count()))

    def changed_again(self, action: str, target: Any) -> dict[str, Any] | None:
        """The step just recorded, when it filled or selected this same field: one step, not two."""
        steps = self.flow.where[-1]
        last = steps[-1] if steps else None
        if action in ("fill", "select") and last and last.get("action") == action and last.get("target") == target:
            return last
        return None

    def button(self, ident: str, text: str) -> None:
        if ident == STOP:
            self.stopped = True
        elif ident == EXPECT:
            self.page.evaluate("() => window.__guideRecorder && window.__guideRecorder.expect()")
            self.bar(self.say("Click the element the step must find."))
        elif ident == NOTE and text and (steps := self.flow.acting_steps()):
            self.note(steps[-1], text)
        elif ident == QUESTION:
            self.ask(text)
        elif ident == ANSWER:
            self.answer(text)
        elif ident == END_QUESTION:
            self.end_question()
        else:
            self.message = self.say("Type your words in the field first, then press the button.")
            self.bar(self.say("Nothing recorded."))

    # --- questions ------------------------------------------------------------------------------

    def ask(self, text: str) -> None:
        """« Poser une question »: the next steps belong to its answers."""
        if not text:
            self.message = self.say(
                "Type the question in the field first, then press « {button} ».", button=self.say("Ask a question")
            )
            self.bar(self.say("Nothing recorded."))
            return
        step = self.flow.add_step(
            {"id": slug(text, "question"), "instruction": text, "question": text, "options": []}, []
        )
        first: dict[str, Any] = {"id": _unique("reponse", self.flow.ids()), "label": "", "steps": []}
        step["options"].append(first)
        self.asking.append(Asking(step, self.page.url))
        self.flow.where.append(first["steps"])
        self.message = ""
        self.bar(
            self.say(
                "Question recorded: type its first answer in the field, then press « {button} ».",
                button=self.say("Add an answer"),
            )
        )

    def answer(self, label: str) -> None:
        """« Ajouter une réponse »: the next steps are this answer's; from the second answer on,
        back to the page where the question was asked."""
        if not self.asking or not label:
            self.message = self.say(
                "Type the answer in the field first, then press « {button} ».", button=self.say("Add an answer")
            )
            self.bar(self.say("Nothing recorded."))
            return
        asking = self.asking[-1]
        options = asking.step["options"]
        if options[-1]["label"]:  # a new answer (the first one is named in place)
            asking.ends.append(self.page_id)
            options.append({"id": "", "label": "", "steps": []})
        option = options[-1]
        option["label"], option["id"] = label, ""
        option["id"] = _unique(slug(label, "reponse"), self.flow.ids())
        self.flow.where[-1] = option["steps"]
        self.message = ""
        if len(options) > 1 and self.page.url != asking.url:
            self.last_click = None  # going back is not a step
            try:
                self.page.goto(asking.url, timeout=max(self.options.timeout_ms, 10_000))
                self.message = self.say("Back on the page where the question was asked.")
            except PlaywrightError:  # the site did not answer: the author goes back by hand
                self.message = self.say("Go back to the page where the question was asked: {url}", url=asking.url)
        self.bar(self.say("Answer « {label} »: do this answer's steps.", label=label))

    def end_question(self) -> None:
        """« Fin de la question »: the next steps follow it, whatever the answer."""
        if not self.asking:
            return
        asking = self.asking.pop()
        self.flow.where.pop()
        asking.ends.append(self.page_id)
        step, options, todos = asking.step, asking.step["options"], []
        if not options[0]["label"]:  # steps done, no answer named
            options[0]["label"] = self.say("Answer 1")
            todos.append("the first answer has no words: write its label")
        if len(options) < 2:
            options.append({"id": _unique("autre-reponse", self.flow.ids()), "label": self.say("Another answer")})
            todos.append("only one answer was recorded: write the other's label (and its steps, or record them)")
        for option in options:
            if not option.get("steps"):
                option.pop("steps", None)
        if len({end for end in asking.ends if end}) > 1:
            todos.append(
                "the answers end on different pages: the steps after the question start from one page "
                "(add `open:` to the next step, or end each answer there)"
            )
        self.flow.todos.setdefault(step["id"], []).extend(todos)
        self.message = ""
        self.bar(self.say("End of the question: the next steps follow it, whatever the answer."))

    # --- the loop -------------------------------------------------------------------------------

    def run(self, author: Any = None, deadline_s: float | None = None) -> None:
        """Until « Terminer », the browser closed, or (tests) the deadline."""
        self.settle()
        ends = time.monotonic() + deadline_s if deadline_s else None
        while not self.stopped:
            if ends is not None and time.monotonic() > ends:
                raise RecordError("the recording did not end in time")
            try:
                self.page.wait_for_timeout(PUMP_MS)  # Playwright delivers the page's events meanwhile
            except PlaywrightError:
                if not self.follow_tab():
                    return  # the author closed the browser: what was recorded is kept
                continue
            while self.events:
                self.handle(self.events.popleft())
            if self.stopped:
                break
            self.follow_tab()
            if self.page_changed():
                self.settle()
            elif author is not None:
                author(self)

    def follow_tab(self) -> bool:
        """Go on in the newest open tab (a link opened a new one, or this one closed)."""
        tabs = [page for page in self.context.pages if not page.is_closed()]
        if not tabs:
            return False
        if tabs[-1] is not self.page:
            self.page = tabs[-1]
            if self.last_click is None:  # not opened by the last click: no step lands there
                self.page_id = None
        return True

    def page_changed(self) -> bool:
        if self.unsettled:
            return True
        try:
            if self.flow.shows(self.page.url, self.page_id):
                return bool(self.page.evaluate(DIRTY))
        except PlaywrightError:
            return False
        return True


# --- the flow file -----------------------------------------------------------------------------


def render(recorded: Recorded, options: RecordOptions, url: str) -> str:
    """The flow as YAML, with a `# TODO` above each step that needs the author's eye."""
    from .schema import SHIPPED, modeline

    say = words(options.lang)
    flow: dict[str, Any] = {
        "version": 1,
        "id": slug(options.out.stem, "procedure"),
        "title": options.title or say("Recorded procedure"),
        "lang": options.lang,
        "source": {"title": say("Recorded with guide record from {url}", url=url)},
        "audience": say("TODO: who this procedure is for"),
        "start": recorded.start,
        "pages": recorded.pages,
    }
    if recorded.variables:
        flow["variables"] = recorded.variables
    flow["steps"] = recorded.steps
    text = yaml.safe_dump(flow, allow_unicode=True, sort_keys=False, width=110)
    lines = _with_todos(text.splitlines(), recorded.todos)
    header = [modeline(options.out, SHIPPED), "# Recorded by guide record: read each instruction, and every TODO."]
    return "\n".join(header + lines) + "\n"


def _with_todos(lines: list[str], todos: dict[str, list[str]]) -> list[str]:
    """`lines` of YAML with each step's TODO comments above its `- id:` line (steps of answers too)."""
    out = []
    for line in lines:
        found = re.match(r"^(\s*)- id: (.+)$", line)
        if found and found.group(2) in todos:
            out += [f"{found.group(1)}# TODO: {todo}" for todo in todos[found.group(2)]]
        out.append(line)
    return out


TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):")


def _block_end(lines: list[str], key: str) -> int | None:
    """The index of the line after top-level block `key` (its last line + 1), or None."""
    start = next((n for n, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        return None
    end = next((n for n in range(start + 1, len(lines)) if TOP_KEY.match(lines[n])), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _indented(data: Any, indent: str) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    return [indent + line if line else line for line in text.splitlines()]


def appended(text: str, recorded: Recorded, known: Recorded) -> str:
    """The flow file `text` with the new pages, variables and steps added, every line already
    there kept as it was (comments included)."""
    lines = text.splitlines()
    if "steps" not in {m.group(1) for line in lines if (m := TOP_KEY.match(line))} or any(
        TOP_KEY.match(line) for line in lines[_steps_at(lines) + 1 :]
    ):
        raise RecordError("--append adds steps at the end of the file: `steps:` must be its last block")
    step_lines = [line for line in lines[_steps_at(lines) + 1 :] if line.lstrip().startswith("- ")]
    indent = step_lines[0][: len(step_lines[0]) - len(step_lines[0].lstrip())] if step_lines else "  "
    new_steps = []
    for step in recorded.steps[len(known.steps) :]:
        new_steps += _with_todos(_indented([step], indent), recorded.todos)
    while lines and not lines[-1].strip():
        lines.pop()
    lines += new_steps
    for key, before in (("variables", "steps"), ("pages", "variables")):
        new = {k: v for k, v in getattr(recorded, key).items() if k not in getattr(known, key)}
        if not new:
            continue
        end = _block_end(lines, key)
        if end is None:  # no such block yet: a new one before the next
            at = next(n for n, line in enumerate(lines) if line.startswith(f"{before}:") or line.startswith("steps:"))
            lines[at:at] = [f"{key}:", *_indented(new, "  ")]
        else:
            lines[end:end] = _indented(new, "  ")
    return "\n".join(lines) + "\n"


def _steps_at(lines: list[str]) -> int:
    return next(n for n, line in enumerate(lines) if line.startswith("steps:"))


def resume_point(out: Path) -> tuple[str, Recorded, Recorded]:
    """For --append: the address of the flow's last page, and what the flow already has."""
    try:
        loaded = load_flow(out)
    except FlowError as error:
        raise RecordError(f"--append: {out} does not lint ({error.problems[0]}): fix it first") from None
    flow = loaded.flow
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    known = Recorded(
        flow.lang,
        dict(data.get("pages") or {}),
        list(data.get("steps") or []),
        dict(data.get("variables") or {}),
        start=flow.start,
    )
    last = _last_landing(flow.steps) or flow.start
    url = flow.pages[last].url.replace("*", "")
    recorded = Recorded(flow.lang, dict(known.pages), list(known.steps), dict(known.variables), start=flow.start)
    recorded.kept = recorded.ids()
    return url, recorded, known


def _last_landing(steps: Sequence[Step]) -> str | None:
    """The page the last step that leads somewhere leads to (the last answer's, after a question)."""
    for step in reversed(steps):
        if step.lands:
            return step.lands
        for option in reversed(step.options):
            found = _last_landing(option.steps)
            if found:
                return found
    return None


def record(options: RecordOptions, author: Any = None, deadline_s: float | None = None) -> Path:
    """Open the browser on `options.url`, record until « Terminer », write the flow."""
    from dataclasses import replace

    from playwright.sync_api import sync_playwright

    from .browser import launch, resolve_browser
    from .runner import LIVE, prepare

    known = None
    if options.append:
        if not options.out.is_file():
            raise RecordError(f"--append: {options.out} does not exist: record it first, without --append")
        url, recorded, known = resume_point(options.out)
        options.url = options.url or url
        options.lang = recorded.lang
    elif options.out.exists():
        raise RecordError(f"{options.out} exists: give another --out (guide record never overwrites a flow)")
    else:
        recorded = Recorded(options.lang)
    if not options.url:
        raise RecordError("give the address where the procedure starts: guide record URL --out flows/NAME.yaml")
    with sync_playwright() as playwright:
        browser = launch(
            playwright,
            resolve_browser(options.browser_path, playwright),
            headless=options.headless,
            offline=options.fixtures is not None,
        )
        try:
            spec = replace(LIVE, lang=options.lang)
            context = browser.new_context(**spec.args)
            prepare(context, spec, options.fixtures)
            echoes = Echoes()
            context.add_init_script(script=echoes.script(RECORD_JS))
            events: deque[dict[str, Any]] = deque()
            context.expose_binding("__guideRecordEvent", lambda source, event: events.append(event))
            context.expose_binding("__guideEvent", lambda source, event: events.append(event))
            page = context.new_page()
            try:
                page.goto(options.url, timeout=max(options.timeout_ms, 10_000))
            except PlaywrightError as error:
                raise RecordError(f"{options.url} did not open ({first_line(error)}): check the address") from None
            recorder = Recorder(context, page, options, recorded, events, echoes)
            try:
                recorder.run(author, deadline_s)
            finally:
                while recorder.asking:  # « Terminer » inside a question ends it first
                    recorder.end_question()
        finally:
            browser.close()
    if len(recorded.steps) == (len(known.steps) if known else 0):
        raise RecordError("nothing was recorded: no step to write")
    if known is not None:
        text = appended(options.out.read_text(encoding="utf-8"), recorded, known)
    else:
        text = render(recorded, options, options.url)
    write_atomic(options.out, text)
    try:
        load_flow(options.out)
    except FlowError as error:  # a bug of ours: say it, the file stays for the author to fix
        raise RecordError(f"{options.out} was written but does not lint: {error.problems[0]}") from None
    return options.out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", metavar="URL", help="where the procedure starts (--append: the last page)")
    parser.add_argument("--out", type=Path, required=True, metavar="FLOW", help="the flow to write (a new file)")
    parser.add_argument("--append", action="store_true", help="go on with --out's flow from its last page")
    parser.add_argument("--fixtures", type=Path, metavar="DIR", help="record on the fixtures instead of the site")
    parser.add_argument("--lang", choices=LANGUAGES, default="fr", help="the instructions' language (default: fr)")
    parser.add_argument("--title", help="the flow's title")
    parser.add_argument("--headless", action="store_true", help="no visible window (tests)")
    add_browser_argument(parser)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    options = RecordOptions(
        args.url,
        args.out,
        fixtures=args.fixtures,
        lang=args.lang,
        title=args.title,
        append=args.append,
        headless=args.headless,
        browser_path=args.browser_path,
    )
    try:
        written = record(options)
    except RecordError as error:
        Console(stderr=True, soft_wrap=True).print(f"guide record: {error}", markup=False)
        return 2
    Console(soft_wrap=True).print(f"wrote {written}: check it with  guide lint {written}  then  guide check {written}")
    return 0
