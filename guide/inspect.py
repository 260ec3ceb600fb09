"""`guide inspect URL|PAGE-ID`: every element a step could target on a page, named as a flow names it.

For a flow author writing a step: open the page (the fixtures, or the live site), list the
links, buttons, radios, checkboxes, fields (by their label's first line, without the hint),
headings, texts and titled blocks, grouped by the block they sit in, each with the YAML line
to paste and whether it is unique.

The names are the matching rule's readings (guide/page/reads.js, evaluated in the page), and
every verdict comes from the check's own code: the proposed line is parsed back as the flow
loader would, built with `locate.build`, and a visible element is called unique only when
`locate.find` — what `guide check` runs — finds that very element. When the name alone is
ambiguous, the enclosing blocks' titles (`locate.BLOCK_TITLE`'s reading) are tried as
`within:`. Hidden elements whose name a visible element already has (DSFR's JavaScript copies
the header links into the mobile menu, hidden on desktop) are not listed, as the check does
not count them either; other hidden elements are listed as hidden (a step must show them
first: their uniqueness can only be checked then).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from playwright.sync_api import BrowserContext, ElementHandle, Page
from playwright.sync_api import Error as PlaywrightError
from rich.console import Console
from rich.markup import escape

from . import locate, matching
from .browser import add_browser_argument
from .loader import FlowError, LoadedFlow, load_flow
from .model import ROLES as MODEL_ROLES
from .model import Target, parse_target_shorthand
from .routing import FixtureRouter, Refused, fixture_path

ROLES: tuple[Literal["link", "button", "radio", "checkbox", "heading"], ...] = (
    "link",
    "button",
    "radio",
    "checkbox",
    "heading",
)
# Form fields named by their label (radios and checkboxes are named by role, as flows do).
FIELDS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image])"
    ':not([type=radio]):not([type=checkbox]), select, textarea, [contenteditable=""], [contenteditable="true"], '
    "[role=textbox], [role=searchbox], [role=combobox], [role=spinbutton], [role=listbox]"
)
MAX_WITHIN = 4  # enclosing blocks tried, innermost first, to make a name unique
SETTLE_MS = 3000  # how long to let the page's own scripts settle (DSFR rewrites the header)

# In the page: what each candidate reads as (the engine's readings), whether it is shown, the
# block it sits in (locate.BLOCK_TITLE) and the titles of every enclosing block. A hidden
# label has no lines: its first line is computed from its children's display, as laid out.
DESCRIBE = r"""(arg) => {
  const engine = __ENGINE__;
  const blockTitle = __BLOCK_TITLE__;
  const collapse = t => String(t == null ? '' : t).replace(/\s+/g, ' ').trim();
  const lineOf = n => ((n.innerText || '').trim().split('\n')[0] || '').trim();
  const rendered = el => el.getClientRects().length > 0;
  // Playwright's definition of visible: a non-empty box, and not visibility: hidden
  function visible(el) {
    const style = getComputedStyle(el);
    if (style.display === 'contents') return Array.from(el.children).some(visible);
    if (style.visibility !== 'visible') return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }
  const flowing = n => { const d = getComputedStyle(n).display; return d.startsWith('inline') || d === 'contents'; };
  const INTERACTIVE = 'a, button, label, select, textarea, input, [role=button], [role=link]';
  const all = new Map(Array.from(document.querySelectorAll('*'), (el, i) => [el, i]));

  function firstLine(el) {
    const shown = rendered(el) ? (el.innerText.split('\n').map(s => s.trim()).filter(Boolean)[0] || '') : '';
    if (shown) return shown;
    let text = '';  // not laid out (display: none, visibility: hidden): its lines, as they would be
    const walk = node => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) { text += child.data; continue; }
        if (child.nodeType !== 1) continue;
        if (child.localName === 'br') { text += '\n'; continue; }
        if (getComputedStyle(child).display === 'none') continue;
        const block = !flowing(child);
        text += block ? '\n' : '';
        walk(child);
        text += block ? '\n' : '';
      }
    };
    walk(el);
    return text.split('\n').map(s => s.trim()).filter(Boolean)[0] || '';
  }
  function byIds(el, attribute) {
    return (el.getAttribute(attribute) || '').split(/\s+/).filter(Boolean)
      .map(id => document.getElementById(id)).filter(Boolean);
  }
  function fieldName(el) {
    for (const label of [...Array.from(el.labels || []), ...byIds(el, 'aria-labelledby')]) {
      const text = collapse(firstLine(label)).replace(/\s*:$/, '');
      if (text) return ['label', text];
    }
    const aria = collapse(el.getAttribute('aria-label'));
    if (aria) return ['label', aria];
    const placeholder = collapse(el.getAttribute('placeholder'));
    return placeholder ? ['placeholder', placeholder] : null;
  }
  function roleName(el, role) {
    if (role === 'radio' || role === 'checkbox') {  // named by their label, never by their value
      const named = fieldName(el);
      return named && named[0] === 'label' ? named[1] : collapse(el.getAttribute('title'));
    }
    const readings = engine.readings(el, JSON.stringify({kind: 'role'}));
    for (const how of ['rendered', 'aria-label', 'labelledby', 'source', 'title', 'alt']) {
      const reading = readings.find(r => r.how === how && collapse(r.text));
      if (reading) return collapse(reading.text);
    }
    return '';
  }
  // A block's first line is its title when it is a whole text a person reads as one (not a
  // link's or a button's, not the first half of a logo's two lines).
  function titleLine(n) {
    const walker = document.createTreeWalker(n, NodeFilter.SHOW_TEXT,
      {acceptNode: t => t.data.trim() && t.parentElement.getClientRects().length ? 1 : 3});
    const first = walker.nextNode();
    const holder = first && first.parentElement;
    if (!holder || holder.closest(INTERACTIVE)) return null;
    const line = lineOf(n);
    return collapse(holder.innerText) === collapse(line) ? line : null;
  }
  // Only titles whose block, as the engine finds it for `within:`, holds the element.
  const blocksOf = new Map();
  function holds(title, el) {
    if (!blocksOf.has(title)) {
      const body = {kind: 'block', words: engine.normalise(title, true), field: true, scan: true};
      blocksOf.set(title, engine.queryAll(document, JSON.stringify(body)));
    }
    return blocksOf.get(title).some(block => block.contains(el));
  }
  function titles(el) {
    const found = [], own = lineOf(el);
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      const named = n.getAttribute('aria-label');
      const title = n.querySelector(':scope > legend, :scope > h1, :scope > h2, :scope > h3, :scope > h4, ' +
                                    ':scope > h5, :scope > h6, :scope > caption');
      const first = lineOf(n);
      if (named) found.push(named.trim());
      else if (title && !title.contains(el) && lineOf(title)) found.push(lineOf(title));
      else if (first && first !== own && first.length <= 80 && titleLine(n)) found.push(first);
    }
    return [...new Set(found)].filter(title => holds(title, el));
  }
  return arg.items.map(({el, kind, role}) => {
    let words = null;
    if (kind === 'role') words = ['role', roleName(el, role)];
    else if (kind === 'field') words = fieldName(el);
    else words = ['text', collapse(el.innerText)];
    const scopes = titles(el), reported = blockTitle(el);
    const block = scopes[0] || null;
    if (reported && !scopes.includes(reported)) scopes.push(reported);  // as the check's reports name it
    return {kind: words ? words[0] : kind, words: words ? words[1] : '', order: all.get(el) ?? -1,
            block, titles: scopes, visible: visible(el),
            inside: !arg.blocks || arg.blocks.some(b => b === el || b.contains(el))};
  });
}"""

# Texts a step could `expect`: the smallest blocks of running text (paragraphs, list items,
# cells…), outside what is already listed by role or label.
TEXTS = r"""() => {
  const SKIP = 'a, button, label, legend, caption, h1, h2, h3, h4, h5, h6, select, option, optgroup, textarea, ' +
    'script, style, noscript, template, svg, [role=button], [role=link], [role=heading], [role=radio], ' +
    '[role=checkbox], [role=tab], [role=menuitem], [role=option], [role=switch]';
  const flowing = n => { const d = getComputedStyle(n).display; return d.startsWith('inline') || d === 'contents'; };
  const text = el => (el.innerText || '').replace(/\s+/g, ' ').trim();
  const found = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (el.closest(SKIP) || flowing(el) || el.querySelector('input, select, textarea, button, label')) continue;
    const children = Array.from(el.children);
    if (children.some(c => !flowing(c) && c.localName !== 'br' && getComputedStyle(c).display !== 'none')) continue;
    // some of its words are its own (a list of links is not a text: its links are listed)
    const words = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let own = false;
    for (let t = words.nextNode(); t && !own; t = words.nextNode()) {
      own = Boolean(t.data.trim()) && !(t.parentElement.closest(SKIP) && el.contains(t.parentElement.closest(SKIP)));
    }
    if (!own || !text(el)) continue;
    found.push(el);
  }
  return found;
}"""

SAME = "(found, element) => found === element || element.contains(found)"


class InspectError(Exception):
    """Bad input: an address or page id that cannot be opened; the message says what to give."""


@dataclass
class Entry:
    """One element a step could target, and the YAML that finds it."""

    group: str | None  # the title of the innermost block holding it that `within:` can name; None: none
    target: Target  # what the YAML line says, as the loader reads it
    yaml: str  # the line to paste under the step
    status: str  # "unique", "unique in its block", "ambiguous", "hidden"
    count: int = 1  # elements the name alone matches (visible ones; hidden ones for a hidden element)
    order: int = 0
    element: ElementHandle | None = field(default=None, repr=False, compare=False)

    @property
    def note(self) -> str:
        if self.status == "ambiguous":
            return f"appears {self.count} times: scope it with within:"
        if self.status == "hidden":
            many = f" ({self.count} such elements)" if self.count > 1 else ""
            return f"hidden until a step shows it{many}: unique or not, the check will tell then"
        if self.status == "unique in its block":
            return f"{self.count} on the page: unique in its block"
        return ""


@dataclass
class Group:
    title: str | None
    yaml: str | None  # `within: block "…"` when the block is unique
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Inspection:
    url: str
    title: str
    groups: list[Group]
    hidden_copies: int = 0  # hidden elements named like a visible one (not listed)
    unnamed: int = 0  # elements with no name a step can use

    @property
    def entries(self) -> list[Entry]:
        return [entry for group in self.groups for entry in group.entries]


# --- naming ----------------------------------------------------------------------------------------


def _shorthand(kind: str, words: str) -> str | None:
    if '"' not in words:
        return f'{kind} "{words}"'
    if "«" not in words and "»" not in words:
        return f"{kind} «{words}»"
    return None


def target_value(kind: str, words: str, within: str | None = None) -> Any:
    """The target as YAML data: the shorthand when it can say it, else the mapping form."""
    short = _shorthand(kind, words)
    if within is None and short is not None:
        return short
    value: dict[str, Any] = {"role": kind, "name": words} if kind in MODEL_ROLES else {kind: words}
    if within is not None:
        scope = _shorthand("block", within)
        value["within"] = scope if scope is not None else {"block": within}
    return value


def yaml_line(value: Any) -> str:
    """`target: …` on one line, quoted as YAML needs."""
    if isinstance(value, dict):
        body = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9, sort_keys=False)
        return "target: " + body.strip()
    text = yaml.safe_dump({"target": value}, allow_unicode=True, default_flow_style=False, width=10**9, sort_keys=False)
    return text.strip()


def parse_line(line: str) -> Target:
    """The target a pasted line gives, read as the flow loader reads it."""
    value = yaml.safe_load(line)["target"]
    return Target.model_validate(parse_target_shorthand(value))


def proposal(kind: str, words: str, within: str | None = None) -> tuple[Target, str]:
    line = yaml_line(target_value(kind, words, within))
    return parse_line(line), line


# --- looking at the page ------------------------------------------------------------------------


@dataclass
class _Candidate:
    kind: str
    words: str
    role: str | None
    order: int
    block: str | None
    titles: list[str]
    inside: bool
    visible: bool
    element: ElementHandle


def _candidates(page: Page, blocks: list[ElementHandle] | None) -> list[_Candidate]:
    items: list[dict[str, Any]] = []
    for role in ROLES:
        items += [
            {"el": h, "kind": "role", "role": role}
            for h in page.get_by_role(role, include_hidden=True).element_handles()
        ]
    items += [{"el": h, "kind": "field", "role": None} for h in page.locator(FIELDS).element_handles()]
    texts = page.evaluate_handle(TEXTS)
    items += [
        {"el": h.as_element(), "kind": "text", "role": None}
        for h in texts.get_properties().values()
        if h.as_element() is not None
    ]
    script = DESCRIBE.replace("__ENGINE__", matching.engine_script()).replace("__BLOCK_TITLE__", locate.BLOCK_TITLE)
    described = page.evaluate(script, {"items": items, "blocks": blocks})
    return [
        _Candidate(
            d["kind"] if item["kind"] != "role" else item["role"],
            d["words"],
            item["role"],
            d["order"],
            d["block"],
            d["titles"],
            d["inside"],
            d["visible"],
            item["el"],
        )
        for item, d in zip(items, described, strict=True)
    ]


def _find(page: Page, target: Target, candidate: _Candidate, timeout_ms: float) -> ElementHandle | None:
    """The element `locate.find` gives for `target`, if it is the candidate's (or, for a text, in it)."""
    try:
        found = locate.find(page, target, timeout_ms)
        if not found.evaluate(SAME, candidate.element):
            return None
        return found.element_handle() if candidate.kind == "text" else candidate.element
    except (locate.LocateError, PlaywrightError):
        return None


def _judge(page: Page, candidate: _Candidate, count: int, timeout_ms: float) -> Entry:
    """The entry of a visible candidate whose name `count` visible elements have."""
    kind = candidate.role or candidate.kind
    target, line = proposal(kind, candidate.words)
    if count == 1:
        found = _find(page, target, candidate, timeout_ms)
        if found is not None:
            return Entry(candidate.block, target, line, "unique", 1, candidate.order, found)
    for title in candidate.titles[:MAX_WITHIN]:
        scoped, scoped_line = proposal(kind, candidate.words, title)
        found = _find(page, scoped, candidate, timeout_ms)
        if found is not None:
            return Entry(candidate.block, scoped, scoped_line, "unique in its block", count, candidate.order, found)
    return Entry(candidate.block, target, line, "ambiguous", count, candidate.order, candidate.element)


def _count(page: Page, candidate: _Candidate, visible: bool) -> int:
    """How many elements the candidate's name alone finds (visible ones only, or all)."""
    target, _ = proposal(candidate.role or candidate.kind, candidate.words)
    every = locate.build(page, target)
    return (every.filter(visible=True) if visible else every).count()


def inspect_page(page: Page, at: str | None = None, timeout_ms: float = 1000) -> Inspection:
    """Every element of `page` a step could target (those in block `at` only, when given)."""
    blocks = None
    if at is not None:
        scope = locate.build(page, Target.model_validate({"block": at})).filter(visible=True)
        blocks = scope.element_handles()
        if not blocks:
            raise InspectError(
                f"no block « {at} » on {page.url}: give the title the page shows above the "
                "block (its heading, legend or first line)" + _blocks_hint(page, at)
            )
    candidates = [c for c in _candidates(page, blocks) if c.inside]
    unnamed = sum(1 for c in candidates if not c.words)
    named = [c for c in candidates if c.words]
    copies = 0
    entries: list[Entry] = []
    hidden: dict[tuple[str, str], list[_Candidate]] = {}
    unfindable = 0
    for candidate in named:
        count = _count(page, candidate, visible=True)
        if candidate.visible and count == 0:
            unfindable += 1  # shown, but the check cannot find it by these words
        elif candidate.visible:
            entries.append(_judge(page, candidate, count, timeout_ms))
        elif count == 0:  # hidden, and no visible element has its name (else: a hidden copy)
            kind = candidate.role or candidate.kind
            field = matching.is_field(_rule_kind(kind), candidate.role)
            hidden.setdefault((kind, matching.normalise(candidate.words, field)), []).append(candidate)
        else:
            copies += 1
    for group in hidden.values():
        first = group[0]
        target, line = proposal(first.role or first.kind, first.words)
        entries.append(Entry(first.block, target, line, "hidden", len(group), first.order, first.element))
    entries = _dedupe(entries)
    return Inspection(page.url, page.title(), _grouped(page, entries, timeout_ms), copies, unnamed + unfindable)


def _rule_kind(kind: str) -> str:
    return kind if kind in ("label", "placeholder", "text", "block") else "role"


def _dedupe(entries: list[Entry]) -> list[Entry]:
    """One line per line to paste in a block: the copies of an ambiguous name say how many there are."""
    kept: list[Entry] = []
    lines: set[tuple[str | None, str]] = set()
    for entry in sorted(entries, key=lambda e: e.order):
        if (entry.group, entry.yaml) not in lines:
            kept.append(entry)
            lines.add((entry.group, entry.yaml))
    return kept


def _grouped(page: Page, entries: list[Entry], timeout_ms: float) -> list[Group]:
    groups: dict[str | None, Group] = {}
    for entry in entries:
        if entry.group not in groups:
            groups[entry.group] = Group(entry.group, _block_yaml(page, entry.group, timeout_ms))
        groups[entry.group].entries.append(entry)
    return list(groups.values())


def _block_yaml(page: Page, title: str | None, timeout_ms: float) -> str | None:
    """`within: block "…"` when the block can be found by its title alone."""
    if title is None:
        return None
    target, line = proposal("block", title)
    try:
        locate.find(page, target, timeout_ms)
    except (locate.LocateError, PlaywrightError):
        return None
    return line.replace("target:", "within:", 1)


def _blocks_hint(page: Page, wanted: str) -> str:
    """The block titles of the page closest to the one asked for."""
    try:
        titles = sorted({title for candidate in _candidates(page, None) for title in candidate.titles})
    except PlaywrightError:
        return ""
    close = difflib.get_close_matches(wanted, titles, n=3, cutoff=0.5)
    return f"; did you mean {', '.join(f'« {t} »' for t in close)}?" if close else ""


# --- opening the page ----------------------------------------------------------------------------


def page_url(flow: LoadedFlow, page_id: str) -> str:
    """The address of a page id, its `*` wildcards removed as the engine does."""
    pages = flow.flow.pages
    if page_id not in pages:
        close = difflib.get_close_matches(page_id, list(pages), n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        raise InspectError(
            f"{flow.where(('pages',))}: no page '{page_id}' in this flow{hint} (pages: {', '.join(pages)})"
        )
    return pages[page_id].url.replace("*", "")


def resolve(what: str, flow_file: Path | None, fixtures: Path | None) -> tuple[str, str | None]:
    """(the URL to open, where it comes from in the flow) for a URL or a page id."""
    where = None
    if "://" in what:
        url = what
    elif flow_file is None:
        raise InspectError(f"'{what}' is not a URL (https://…): to give a page id, say which flow with --flow FLOW")
    else:
        loaded = load_flow(flow_file)
        url = page_url(loaded, what)
        where = loaded.where(("pages", what, "url"))
    parts = urlsplit(url)
    prefix = f"{where}: " if where else ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InspectError(f"{prefix}'{url}' is not a web address: write it as https://HOST/PATH")
    if fixtures is not None:
        if not fixtures.is_dir():
            raise InspectError(f"--fixtures {fixtures}: not a folder")
        try:
            candidates = fixture_path(fixtures, url)
        except Refused as refusal:
            raise InspectError(f"{prefix}{url}: {refusal}") from None
        if FixtureRouter(fixtures).file_for(url) is None:
            looked = ", ".join(str(c) for c in candidates)
            raise InspectError(f"{prefix}no file in {fixtures} answers {url} (looked for {looked})")
    return url, where


def open_page(context: BrowserContext, url: str, timeout_ms: float) -> Page:
    """`url` loaded in a new tab of `context`, its scripts given a moment to settle."""
    page = context.new_page()
    try:
        response = page.goto(url, timeout=timeout_ms, wait_until="load")
    except PlaywrightError as error:
        raise InspectError(f"could not open {url}: {str(error).strip().splitlines()[0]}") from None
    if response is not None and response.status >= 400:
        raise InspectError(f"{url} answered HTTP {response.status}: check the address")
    try:
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
    except PlaywrightError:
        pass  # a live page that never goes quiet (analytics) is inspected as it is
    return page


# --- output --------------------------------------------------------------------------------------

MARKS = {
    "unique": ("✓", "green"),
    "unique in its block": ("✓", "green"),
    "ambiguous": ("✗", "red"),
    "hidden": ("○", "yellow"),
}


def print_inspection(console: Console, result: Inspection, origin: str) -> None:
    entries = result.entries
    unique = sum(1 for e in entries if e.status.startswith("unique"))
    console.print(f"[bold]{escape(result.url)}[/] « {escape(result.title)} »")
    console.print(f"[dim]{escape(origin)}[/]")
    extras = []
    if result.hidden_copies:
        extras.append(
            f"{result.hidden_copies} hidden cop{'ies' if result.hidden_copies > 1 else 'y'} of listed "
            "elements not counted (e.g. DSFR's mobile menu)"
        )
    if result.unnamed:
        extras.append(f"{result.unnamed} element{'s' if result.unnamed > 1 else ''} without a name a step can use")
    console.print(
        f"{len(entries)} elements in {len(result.groups)} blocks: {unique} unique"
        + "".join(f"; {extra}" for extra in extras)
    )
    for group in result.groups:
        title = f"bloc « {escape(group.title)} »" if group.title else "hors bloc"
        scope = (
            f"   [dim]{escape(group.yaml)}[/]"
            if group.yaml
            else "   [dim](other blocks have this title: not usable in within:)[/]"
            if group.title
            else ""
        )
        console.print(f"\n[bold]{title}[/]{scope}")
        for entry in group.entries:
            mark, colour = MARKS[entry.status]
            note = f"   [dim]— {escape(entry.note)}[/]" if entry.note else ""
            console.print(f"  [{colour}]{mark}[/] {escape(entry.yaml)}{note}")


def yaml_lines(result: Inspection) -> list[str]:
    """Only paste-ready lines: the groups as comments, a note after any line that is not unique."""
    lines = [f"# {result.url}"]
    for group in result.groups:
        lines.append(
            f"# bloc « {group.title} »" + (f" — {group.yaml}" if group.yaml else "") if group.title else "# hors bloc"
        )
        lines += [
            entry.yaml + (f"  # {entry.note}" if entry.status in ("ambiguous", "hidden") else "")
            for entry in group.entries
        ]
    return lines


# --- command line (wired into `guide inspect` by guide/cli.py) --------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "page", metavar="URL|PAGE-ID", help="the address to open, or a page id of --flow (its pages: URL, * removed)"
    )
    parser.add_argument(
        "--fixtures",
        type=Path,
        metavar="DIR",
        help="serve the page from this fixture tree, offline (default: the live site)",
    )
    parser.add_argument("--flow", type=Path, metavar="FLOW", help="the flow whose page ids PAGE-ID names")
    parser.add_argument("--at", metavar="TEXT", help="only the block with this title (heading, legend, first line)")
    parser.add_argument("--yaml", action="store_true", help="print only the lines to paste")
    parser.add_argument(
        "--timeout",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="how long to wait for the page to load (default: 15)",
    )
    add_browser_argument(parser)


def run(args: argparse.Namespace) -> int:
    """0 listed, 2 bad input (the message on stderr)."""
    from playwright.sync_api import sync_playwright

    from .browser import BrowserNotFound, launch, resolve_browser
    from .runner import CHECK, open_context

    console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
    try:
        url, where = resolve(args.page, args.flow, args.fixtures)
        with sync_playwright() as playwright:
            browser = launch(
                playwright, resolve_browser(args.browser_path, playwright), offline=args.fixtures is not None
            )
            try:
                context = open_context(browser, CHECK, args.fixtures)
                page = open_page(context, url, args.timeout * 1000)
                result = inspect_page(page, args.at)
                origin = f"served from {args.fixtures}" if args.fixtures else "the live site"
                if where:
                    origin += f"; page '{args.page}' of {where}"
                if args.yaml:
                    sys.stdout.write("\n".join(yaml_lines(result)) + "\n")
                else:
                    print_inspection(console, result, origin)
            finally:
                browser.close()
    except (InspectError, BrowserNotFound) as error:
        print(f"guide inspect: {error}", file=sys.stderr)
        return 2
    except FlowError as error:
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        return 2
    return 0
