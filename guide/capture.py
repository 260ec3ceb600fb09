"""`guide capture FLOW --into DIR`: walk a flow on a site and keep what it loaded as fixtures.

Every branch of the flow is walked by the check's own autopilot (guide.runner.run_branch,
the flow's test values or --var), in a browser context that Playwright records as a HAR
(`record_har_path`): its recorder already keeps every request and response, form posts and
redirects included, so guide does not record anything itself. The HARs are then laid out as a
fixtures tree by guide.routing's rules, so that `guide check --fixtures DIR` replays them:

* `https://HOST/PATH/` → `HOST/PATH/index.html`; an HTML answer at a path without `.html` →
  `HOST/PATH.html` (`/motDePasseOublie`, `/page.php`: routing tries `PATH.html`, served as
  HTML); anything else → `HOST/PATH`. A form post's answer is saved at its action URL.
* Query strings are dropped, as routing ignores them: `/saml/singleSignOn?SAMLRequest=…` is
  `saml/singleSignOn.html`. When two answers land on one file (another query, GET and POST of
  one URL) the later one is kept and the clash is reported: routing serves one file per path.
* A redirect (a POST answered 302 → GET) becomes, when nothing else answers its URL, a small
  page that moves on to the target (meta refresh and `location.replace`): routing cannot
  answer 3xx, and the replay then lands where the site led.
* Failed requests (4xx, 5xx, aborted) are not saved; they are reported.

`--from-url BASE` fetches every host from a mirror laid out `BASE/HOST/PATH` (a staging copy,
the tests' local server); `--from-url ORIGIN=BASE` maps one origin to a base. The browser
still sees the real URLs (Playwright routing answers each request with the mapped fetch), so
the flow's `pages:` patterns match and the files are saved under the real host names. With a
mirror for every host, the browser is launched offline: nothing it does can reach a real site.
Pages the flow marks `simulated` (a webmail) are answered from the tree they were written in
(`--simulated-from`, by default DIR itself) when it holds them.

Personal values — every variable's value used during the walk, in every encoding
(guide.secrets.encodings), in lower and upper case — are replaced by `[name]` in every text
body and file name; a binary file holding one is not saved. Headers (cookies,
authorization) are never saved: a fixtures tree keeps bodies only. The HARs live in a
private temporary folder, removed at the end.

Against the existing tree at DIR, pages are compared as what they say and do: the HTML with
its spacing, comments, nonces, hidden inputs' values (CSRF tokens) and long random tokens
set aside, so that a page served again with a new session token is not "changed"; other
files byte for byte. An unchanged file is left as it is (no rewrite, no git noise); new and
changed files are written atomically; nothing is ever deleted — a page of the flow that the
capture no longer loaded is reported as removed and left for a person to delete. Each page
is reported with the steps whose `pages:` it is (guide.session.url_matches), with file:line.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import fnmatch
import html
import json
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from playwright.sync_api import Browser, BrowserContext, Request, Route
from playwright.sync_api import Error as PlaywrightError
from rich.console import Console
from rich.markup import escape

from .autopilot import AutoPilot
from .browser import add_browser_argument
from .files import private_folder, write_atomic
from .loader import FlowError, LoadedFlow, load_flow
from .model import Flow
from .model import Page as PageSpec
from .reports import DriftReport
from .routing import HOST, FixtureRouter, Refused, content_type, fixture_path
from .runner import CHECK, run_branch
from .secrets import Values, encodings
from .session import Session, url_matches
from .tree import Path_, branches, walk

MIN_VALUE = 4  # shorter values cannot be scrubbed without destroying the pages
REDIRECTS = (301, 302, 303, 307, 308)
# Not passed on when a mapped answer is handed to the browser: the body is already decoded.
HOP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
TEXT_MIME = re.compile(
    r"^(text/|application/(json|javascript|ecmascript|xml|xhtml\+xml|ld\+json|manifest\+json)"
    r"|image/svg\+xml|[a-z]+/[a-z.+-]*(json|xml))",
    re.IGNORECASE,
)
HTML_MIME = re.compile(r"html", re.IGNORECASE)
# A token a server makes anew for each answer (session ids, CSRF tokens): set aside when comparing.
TOKEN = re.compile(r"[A-Za-z0-9+/_-]{32,}={0,2}")
VOLATILE_ATTRIBUTES = {"nonce"}
STUB = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<!-- guide capture: the site answered {status} to {method} here, towards this address (routing cannot answer 3xx) -->
<meta http-equiv="refresh" content="0; url={href}"><title>Redirection</title>
<script>location.replace({target})</script></head>
<body><p><a href="{href}">{text}</a></p></body></html>
"""


class CaptureError(Exception):
    """Bad input: the message says what to give instead."""


# --- where requests go ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """`origin` (scheme://host[:port]) fetched from `base`; origin None: every host, at BASE/HOST/."""

    origin: str | None
    base: str

    def fetches(self, url: str) -> str | None:
        parts = urlsplit(url)
        tail = parts.path + (f"?{parts.query}" if parts.query else "")
        if self.origin is None:
            return f"{self.base}/{parts.hostname}{tail}" if parts.hostname else None
        return f"{self.base}{tail}" if f"{parts.scheme}://{parts.netloc}" == self.origin else None

    def real(self, url: str, scheme: str) -> str | None:
        """The real URL a fetched one stands for (a redirect's Location), if it is this base's."""
        if not (url == self.base or url.startswith(self.base + "/")):
            return None
        rest = url[len(self.base) :]
        if self.origin is not None:
            return self.origin + (rest or "/")
        host, _, path = rest.lstrip("/").partition("/")
        return f"{scheme}://{host}/{path}"


def parse_mapping(value: str) -> Mapping:
    """`BASE` (a mirror of every host) or `ORIGIN=BASE`; CaptureError when it is not that."""
    origin, sep, base = value.partition("=")
    if not sep:
        origin, base = "", value
    base = base.rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise CaptureError(f"--from-url {value}: '{base}' is not a base address: write http://HOST[:PORT][/PATH]")
    if not sep:
        return Mapping(None, base)
    real = urlsplit(origin)
    if real.scheme not in ("http", "https") or not real.hostname or real.path not in ("", "/") or real.query:
        raise CaptureError(f"--from-url {value}: '{origin}' is not an origin: write https://HOST=BASE")
    return Mapping(f"{real.scheme}://{real.netloc}", base)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@dataclass
class Upstream:
    """Answers the browser's requests during a capture: mapped fetches, simulated pages."""

    mappings: list[Mapping]
    simulated: FixtureRouter | None = None
    is_simulated: Callable[[str], bool] = lambda url: False
    timeout_ms: float = 30000
    failures: list[str] = field(default_factory=list)
    local: set[str] = field(default_factory=set)  # URLs answered from the simulated pages' tree
    _schemes: dict[str, str] = field(default_factory=dict)

    def install(self, context: BrowserContext) -> None:
        if self.mappings or self.simulated is not None:
            context.route("**/*", self.handle)

    def target(self, url: str) -> str | None:
        return next((t for t in (m.fetches(url) for m in self._ordered()) if t is not None), None)

    def _ordered(self) -> list[Mapping]:
        return sorted(self.mappings, key=lambda m: m.origin is None)  # an origin's own base first

    def real(self, url: str) -> str:
        for mapping in self._ordered():
            host = urlsplit(url).path.lstrip("/").partition("/")[0]
            real = mapping.real(url, self._schemes.get(host, "https"))
            if real is not None:
                return real
        return url

    def handle(self, route: Route) -> None:
        request = route.request
        try:
            if self.simulated is not None and self.is_simulated(request.url):
                file = self.simulated.file_for(request.url)
                if file is not None:
                    self.local.add(request.url)
                    route.fulfill(status=200, body=file.read_bytes(), content_type=content_type(file))
                    return
            target = self.target(request.url)
            if target is None:
                route.fallback()
                return
            parts = urlsplit(request.url)
            self._schemes[parts.hostname or ""] = parts.scheme
            response = route.fetch(url=target, max_redirects=0, timeout=self.timeout_ms)
            headers = {k: v for k, v in response.headers.items() if k.lower() not in HOP_HEADERS}
            if "location" in headers:
                headers["location"] = self.real(urljoin(target, headers["location"]))
            route.fulfill(status=response.status, headers=headers, body=response.body())
        except Exception as error:  # a route handler must answer, never raise
            self.failures.append(f"{request.method} {request.url}: {_first_line(error)}")
            try:
                route.abort()
            except Exception:  # the page went away meanwhile
                pass


# --- what the HAR holds --------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request of the walk and its answer, as the HAR recorded it."""

    method: str
    url: str
    status: int
    mime: str
    body: bytes
    redirect: str = ""
    sent: tuple[tuple[str, str], ...] = ()  # the fields a form sent: its query, or its urlencoded body

    @property
    def html(self) -> bool:
        return bool(HTML_MIME.search(self.mime))


def read_har(path: Path) -> list[Exchange]:
    """The exchanges of a HAR written with record_har_content="attach" (a .zip) or "embed"."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            log = json.loads(archive.read("har.har"))["log"]
            return [_exchange(entry, archive) for entry in log["entries"]]
    log = json.loads(path.read_text(encoding="utf-8"))["log"]
    return [_exchange(entry, None) for entry in log["entries"]]


def _exchange(entry: dict[str, Any], archive: zipfile.ZipFile | None) -> Exchange:
    request, response = entry["request"], entry["response"]
    content = response.get("content", {})
    if content.get("_file") and archive is not None:
        body = archive.read(content["_file"])
    elif content.get("encoding") == "base64":
        body = base64.b64decode(content.get("text", ""))
    else:
        body = str(content.get("text", "")).encode("utf-8")
    post = request.get("postData") or {}
    sent = [(str(q.get("name", "")), str(q.get("value", ""))) for q in request.get("queryString", [])]
    if "urlencoded" in str(post.get("mimeType", "")):
        sent += parse_qsl(str(post.get("text", "")), keep_blank_values=True)
    elif "json" in str(post.get("mimeType", "")):  # a form sent by a script
        sent += _json_fields(str(post.get("text", "")))
    return Exchange(
        request["method"],
        request["url"],
        int(response.get("status", -1)),
        str(content.get("mimeType", "")),
        body,
        str(response.get("redirectURL") or ""),
        tuple(sent),
    )


def _json_fields(text: str) -> list[tuple[str, str]]:
    """(key, text value) of every string or number in a JSON body, at any depth."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    found: list[tuple[str, str]] = []

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, str(name))
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found.append((key, str(value)))

    walk(data, "")
    return found


# --- the fixtures tree ---------------------------------------------------------------------------


def fixture_name(url: str, html_page: bool) -> str:
    """Where routing looks for `url` first among the names this content can have (HOST/PATH)."""
    candidates = fixture_path(Path("."), url)  # Refused for an unsafe URL
    if not candidates:
        raise Refused("not a web address")
    path = unquote(urlsplit(url).path or "/")
    if html_page and not path.endswith("/") and not path.lower().endswith((".html", ".htm")):
        return candidates[1].as_posix()  # PATH.html: routing serves it as HTML
    return candidates[0].as_posix()


def url_of(name: str) -> list[str]:
    """The URLs a file of the tree answers (https and http: the tree does not say which)."""
    host, _, rest = name.partition("/")
    paths = [rest]
    if rest == "index.html" or rest.endswith("/index.html"):
        paths = [rest[: -len("index.html")], rest[: -len("/index.html")]]
    elif rest.endswith(".html"):
        paths = [rest[: -len(".html")], rest]
    return [f"{scheme}://{host}/{p}" for p in paths for scheme in ("https", "http")]


@dataclass
class Saved:
    """A file of the new tree: its bytes and the requests it answers."""

    name: str
    data: bytes
    page: bool
    requests: list[str] = field(default_factory=list)  # "GET https://…"
    stub: bool = False


@dataclass
class Tree:
    files: dict[str, Saved] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # failed requests, unsafe URLs
    clashes: list[str] = field(default_factory=list)  # two different answers for one file


def redirect_stub(exchange: Exchange) -> bytes:
    # without the query and fragment: routing ignores them, and tickets and session ids live there
    target = urljoin(exchange.url, exchange.redirect).split("#")[0].split("?")[0]
    text = STUB.format(
        status=exchange.status,
        method=exchange.method,
        href=html.escape(target),
        target=json.dumps(target).replace("</", "<\\/"),
        text=html.escape(target),
    )
    return text.encode("utf-8")


def build_tree(exchanges: Iterable[Exchange]) -> Tree:
    """Lay the walk's answers out as routing reads them; later answers win, stubs never do."""
    tree = Tree()
    failed: dict[str, str] = {}  # reported when no other request answered the same URL
    for exchange in exchanges:
        what = f"{exchange.method} {exchange.url}"
        if urlsplit(exchange.url).scheme not in ("http", "https"):
            continue
        redirect = exchange.status in REDIRECTS and bool(exchange.redirect)
        try:
            name = fixture_name(exchange.url, exchange.html or redirect)
        except Refused as refusal:
            tree.skipped.append(f"{what}: {refusal}")
            continue
        if not (200 <= exchange.status < 300 or redirect):
            failed[exchange.url] = f"{what}: {'no answer' if exchange.status <= 0 else f'HTTP {exchange.status}'}"
            continue
        data = redirect_stub(exchange) if redirect else exchange.body
        _keep(tree, Saved(name, data, exchange.html or redirect, [what], stub=redirect))
    answered = {request.split(" ", 1)[1] for saved in tree.files.values() for request in saved.requests}
    tree.skipped += [line for url, line in failed.items() if url not in answered]
    return tree


def _keep(tree: Tree, new: Saved) -> None:
    old = tree.files.get(new.name)
    if old is None:
        tree.files[new.name] = new
        return
    if new.stub and not old.stub:  # a redirect never hides a page that answers here
        old.requests += new.requests
        return
    if not old.stub and old.requests[-1] != new.requests[0] and not same_content(old, new.data):
        tree.clashes.append(
            f"{new.name}: {old.requests[-1]} and {new.requests[0]} answered differently; "
            "routing serves one file per path (query ignored): kept the later"
        )
    new.requests = old.requests + new.requests
    tree.files[new.name] = new


# --- personal values ----------------------------------------------------------------------------


def scrub_forms(values: Values) -> list[tuple[bytes, bytes]]:
    """(bytes to find, placeholder), longest first, for every value used, in every encoding."""
    pairs: dict[bytes, bytes] = {}
    for name, value in values.values.items():
        if not value:
            continue
        placeholder = f"[{name}]".encode()
        for variant in _shown_forms(value):
            for form in encodings(variant):
                for charset in ("utf-8", "latin-1"):
                    try:
                        pairs.setdefault(form.encode(charset), placeholder)
                    except UnicodeEncodeError:
                        continue
    return sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True)


def _shown_forms(value: str) -> set[str]:
    """How a site may write a value back: as typed, in lower or upper case, with capitalised
    words (« Camille Martin »), without its spaces (« 0612345678 » for « 06 12 34 56 78 »)."""
    forms = {value, value.lower(), value.upper(), value.title()}
    squeezed = re.sub(r"[\s.\-]", "", value)
    if len(squeezed) >= MIN_VALUE and squeezed != value:
        forms |= {squeezed, squeezed.lower(), squeezed.upper()}
    return forms


def scrub(tree: Tree, values: Values) -> tuple[list[str], list[str]]:
    """Replace personal values in every text file and name; (files scrubbed, files dropped)."""
    forms = scrub_forms(values)
    scrubbed, dropped = [], []
    for name in list(tree.files):
        saved = tree.files.pop(name)
        clean_name = _replace(name.encode("utf-8"), forms).decode("utf-8")
        data = saved.data
        if _text(saved, name):
            data = _replace(data, forms)
        if any(form in data for form, _ in forms):
            dropped.append(f"{clean_name}: a personal value sits in a binary file; not saved")
            continue
        if data != saved.data or clean_name != name:
            scrubbed.append(clean_name)
        saved.name, saved.data = clean_name, data
        tree.files[clean_name] = saved
    return scrubbed, dropped


def _text(saved: Saved, name: str) -> bool:
    suffix = Path(name).suffix.lower()
    return (
        saved.page
        or suffix in (".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml", ".map", "")
        or name.endswith(".html")
    )


def _replace(data: bytes, forms: list[tuple[bytes, bytes]]) -> bytes:
    for _ in range(3):  # a replacement cannot bring a value back, but be sure
        before = data
        for form, placeholder in forms:
            data = data.replace(form, placeholder)
        if data == before:
            break
    return data


def check_values(values: Values) -> None:
    short = [name for name, value in values.values.items() if value and len(value) < MIN_VALUE]
    if short:
        raise CaptureError(
            f"the value of {', '.join(short)} is shorter than {MIN_VALUE} characters: it cannot be "
            "scrubbed from the pages without destroying them; give a longer test value"
        )


# --- comparing with the existing tree -------------------------------------------------------------


class _Outline(HTMLParser):
    """An HTML page as what it says and does, volatile parts set aside."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self.text: list[str] = []
        self._quiet = 0  # inside <script> / <style>: code, not text a person reads

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = tag == "input" and (values.get("type") or "").lower() == "hidden"
        kept = sorted(
            (k, "" if hidden and k == "value" else _calm(v or "")) for k, v in attrs if k not in VOLATILE_ATTRIBUTES
        )
        self.tokens.append(f"<{tag} {kept}>")
        self._quiet += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"</{tag}>")
        self._quiet -= tag in ("script", "style") and self._quiet > 0

    def handle_data(self, data: str) -> None:
        text = _calm(" ".join(data.split()))
        if text:
            self.tokens.append(text)
            if not self._quiet:
                self.text.append(text)


def _calm(text: str) -> str:
    return TOKEN.sub("…", text)


def outline(data: bytes) -> _Outline:
    parser = _Outline()
    try:
        parser.feed(data.decode("utf-8", "replace"))
        parser.close()
    except Exception:  # a page the parser gives up on: compared byte for byte
        parser.tokens = [data.hex()]
    return parser


def same_content(saved: Saved, old: bytes) -> bool:
    if saved.data == old:
        return True
    return saved.page and outline(saved.data).tokens == outline(old).tokens


def text_diff(old: bytes, new: bytes, limit: int = 4) -> list[str]:
    """The lines of text a person reads that differ (the first few), cut to where they differ."""
    before, after = outline(old).text, outline(new).text
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone, came = before[i1:i2], after[j1:j2]
        for k, line in enumerate(gone):
            lines.append("- " + _around(line, came[k] if k < len(came) else ""))
        for k, line in enumerate(came):
            lines.append("+ " + _around(line, gone[k] if k < len(gone) else ""))
    return lines[:limit] + (["  …"] if len(lines) > limit else [])


def _around(line: str, other: str, width: int = 100) -> str:
    """`line`, starting a little before where it stops being `other`."""
    same = next((i for i, (a, b) in enumerate(zip(line, other, strict=False)) if a != b), min(len(line), len(other)))
    start = max(0, same - 30)
    return ("…" if start else "") + line[start : start + width] + ("…" if len(line) > start + width else "")


@dataclass
class Change:
    kind: str  # "added", "changed", "unchanged", "removed"
    name: str
    page: bool
    pages: list[str] = field(default_factory=list)  # the flow's page ids it is
    steps: list[str] = field(default_factory=list)  # "step-id (line N)" of the flow file
    diff: list[str] = field(default_factory=list)


def steps_by_page(loaded: LoadedFlow) -> dict[str, list[tuple[str, Path_]]]:
    """For each page id, the steps that happen on it or land on it, in every branch."""
    flow = loaded.flow
    found: dict[str, dict[str, Path_]] = {}
    for branch in branches(flow):
        current, pending = flow.start, None
        for node in walk(flow.steps, dict(branch.answers)):
            step = node.step
            if not node.simulated and pending is not None:
                current = pending[0]
                found.setdefault(current, {})[pending[1]] = pending[2]
                pending = None
            current = step.open or current
            if step.target is not None or step.open or step.lands:
                found.setdefault(current, {})[step.id] = node.path
            if step.lands and step.simulate:
                pending = (step.lands, step.id, node.path)  # where it resumes, after its simulated steps
            elif step.lands:
                current = step.lands
                found.setdefault(current, {})[step.id] = node.path
    return {page: list(steps.items()) for page, steps in found.items()}


def pages_of(flow: Flow, name: str) -> list[str]:
    """The page ids a file of the tree answers; the most specific patterns only."""
    matching = [
        (page_id, spec) for page_id, spec in flow.pages.items() if any(url_matches(spec, url) for url in url_of(name))
    ]
    if not matching:
        return []
    best = max(_literal(spec) for _, spec in matching)
    return [page_id for page_id, spec in matching if _literal(spec) == best]


def _literal(spec: PageSpec) -> int:
    return len(spec.url.replace("*", "")) - 1000 * spec.url.count("*")


def compare(tree: Tree, into: Path, loaded: LoadedFlow) -> list[Change]:
    """What the new tree changes in the existing one, page by page, with the steps it affects."""
    flow, steps = loaded.flow, steps_by_page(loaded)
    changes = []
    for name, saved in sorted(tree.files.items()):
        old_file = into / name
        if not old_file.is_file():
            change = Change("added", name, saved.page)
        else:
            old = old_file.read_bytes()
            same = same_content(saved, old)
            change = Change(
                "unchanged" if same else "changed",
                name,
                saved.page,
                diff=[] if same or not saved.page else text_diff(old, saved.data),
            )
        changes.append(change)
    hosts = {name.split("/", 1)[0] for name in tree.files}
    for host in sorted(hosts):
        folder = into / host
        if not folder.is_dir():
            continue
        for file in sorted(folder.rglob("*")):
            name = file.relative_to(into).as_posix()
            if file.is_file() and name not in tree.files and pages_of(flow, name):
                changes.append(Change("removed", name, True))
    for change in changes:
        change.pages = pages_of(flow, change.name) if change.page else []
        change.steps = [
            f"{step_id} (line {loaded.position(path)[0]})"
            for page in change.pages
            for step_id, path in steps.get(page, [])
        ]
    return changes


def shadowed(tree: Tree, into: Path) -> list[str]:
    """Files of the existing tree that routing would serve before a captured one."""
    found = []
    for name, saved in tree.files.items():
        url = saved.requests[0].split(" ", 1)[1]
        try:
            candidates = fixture_path(into, url)
        except Refused:
            continue
        for candidate in candidates:
            if candidate == into / name:
                break
            if candidate.is_file():
                found.append(f"{candidate} answers {url} before {into / name} (routing tries it first): delete it")
                break
    return found


# --- the walk --------------------------------------------------------------------------------------


@dataclass
class CaptureOptions:
    into: Path
    mappings: list[Mapping] = field(default_factory=list)
    simulated_from: Path | None = None  # default: `into`
    given: dict[str, str] = field(default_factory=dict)  # --var values, instead of the test values
    timeout_ms: float = 10000
    check: bool = False  # compare only: write nothing

    @property
    def mirrors_every_host(self) -> bool:
        """`--from-url BASE`: every host answered from a mirror (the browser can be offline)."""
        return any(mapping.origin is None for mapping in self.mappings)


@dataclass
class CaptureResult:
    flow: LoadedFlow
    branches: list[str] = field(default_factory=list)
    drifts: list[DriftReport] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    scrubbed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_captured: str = ""  # live: why nothing was captured (the person quit, a value too short)

    @property
    def differs(self) -> bool:
        return any(change.kind != "unchanged" for change in self.changes)


def values_for(flow: Flow, given: dict[str, str]) -> Values:
    """The flow's test values, with --var values instead where given."""
    values = Values.for_fixtures(flow)
    unknown = sorted(set(given) - set(flow.variables))
    if unknown:
        raise CaptureError(
            f"--var {unknown[0]}: the flow has no such variable; known: {', '.join(flow.variables) or 'none'}"
        )
    values.values.update(given)
    check_values(values)
    return values


def simulated_check(flow: Flow) -> Callable[[str], bool]:
    """Is a URL one of the flow's simulated pages, or on a host only they use?"""
    simulated = [spec for spec in flow.pages.values() if spec.simulated]
    real_hosts = {urlsplit(spec.url).hostname for spec in flow.pages.values() if not spec.simulated}
    hosts = {urlsplit(spec.url).hostname for spec in simulated} - real_hosts

    def check(url: str) -> bool:
        return urlsplit(url).hostname in hosts or any(url_matches(spec, url) for spec in simulated)

    return check


def walk_flow(
    browser: Browser, loaded: LoadedFlow, options: CaptureOptions, values: Values, work: Path, result: CaptureResult
) -> list[Exchange]:
    """Walk every branch in a recording context; the exchanges of the branches that finished."""
    exchanges: list[Exchange] = []
    simulated_tree = options.simulated_from or options.into
    for number, branch in enumerate(branches(loaded.flow)):
        har = work / f"branch-{number}.har.zip"
        upstream = Upstream(
            options.mappings,
            FixtureRouter(simulated_tree) if simulated_tree.is_dir() else None,
            simulated_check(loaded.flow),
            options.timeout_ms,
        )

        run = run_branch(
            loaded,
            branch.name,
            _recording(browser, har, upstream),
            CHECK,
            None,
            _pilot(dict(branch.answers), options.timeout_ms),
            values,
        )
        result.branches.append(branch.name)
        result.warnings += [values.mask(line) for line in run.result.warnings + upstream.failures]
        if run.result.drift is not None:
            result.drifts.append(run.result.drift)
            continue
        # simulated pages taken from DIR itself are DIR's already: not captured again
        mine = upstream.local if _same_folder(simulated_tree, options.into) else set()
        exchanges += [exchange for exchange in read_har(har) if exchange.url not in mine]
    return exchanges


def _same_folder(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _recording(browser: Browser, har: Path, upstream: Upstream) -> Callable[[], BrowserContext]:
    """Contexts of the check's kind, recorded as a HAR, answered by `upstream`."""

    def make() -> BrowserContext:
        context = browser.new_context(**CHECK.args, record_har_path=str(har), record_har_content="attach")
        upstream.install(context)
        return context

    return make


def _pilot(answers: dict[str, str], timeout_ms: float) -> Callable[[Session], AutoPilot]:
    return lambda session: AutoPilot(answers, timeout_ms)


def capture(browser: Browser, loaded: LoadedFlow, options: CaptureOptions) -> CaptureResult:
    """Walk the flow, lay its pages out as fixtures, compare, and write unless it drifted."""
    values = values_for(loaded.flow, options.given)
    result = CaptureResult(loaded)
    with private_folder() as work:
        exchanges = walk_flow(browser, loaded, options, values, work, result)
    lay_out(exchanges, values, options, result)
    return result


def lay_out(exchanges: list[Exchange], values: Values, options: CaptureOptions, result: CaptureResult) -> None:
    """The exchanges as a fixtures tree: personal values scrubbed, compared with `options.into`,
    and written there unless the walk drifted or `--check` only compares."""
    tree = build_tree(exchanges)
    result.scrubbed, dropped = scrub(tree, values)
    result.warnings += [
        values.mask(line) for line in tree.skipped + tree.clashes + dropped + shadowed(tree, options.into)
    ]
    if any(saved.stub for saved in tree.files.values()):
        result.warnings.append("redirects are replayed by small pages that move on (routing cannot answer 3xx)")
    result.changes = compare(tree, options.into, result.flow)
    if result.drifts or options.check:
        return
    for change in result.changes:
        if change.kind in ("added", "changed"):
            _write(options.into, change.name, tree.files[change.name].data, result)


# --- guide live --capture ------------------------------------------------------------------------------


@dataclass
class LiveRecording:
    """`guide live --capture DIR`: the person's own walk, recorded by Playwright as a HAR, laid out
    as a fixtures tree when the procedure is finished.

    The values to scrub are the ones the person typed in the flow's fields (guide.live reads
    them from the fields as each step is done, and knows each field's name, so that a form sent
    before it could look is read back from what the form sent). Only what the flow's pages
    asked for is kept, decided request by request from the tab that made it: the pages of the
    flow's hosts, the redirects on the way to them, and the files a tab loaded while it showed
    one of them (a CDN's style sheets, scripts, fonts). What a tab loads while it shows
    anything else — the person's webmail, a search — never is.
    """

    options: CaptureOptions
    har: Path
    upstream: Upstream
    on_flow: Callable[[str], bool] = lambda url: False
    asked: set[tuple[str, str]] = field(default_factory=set)  # (method, URL) asked for by the flow's pages

    @classmethod
    def into(cls, options: CaptureOptions, work: Path, flow: Flow) -> LiveRecording:
        upstream = Upstream(options.mappings, None, simulated_check(flow), options.timeout_ms)
        return cls(options, work / "live.har.zip", upstream, on_flow_host(flow))

    def context_args(self) -> dict[str, Any]:
        return {"record_har_path": str(self.har), "record_har_content": "attach"}

    def install(self, context: BrowserContext) -> None:
        self.upstream.install(context)
        context.on("request", self.note)

    def note(self, request: Request) -> None:
        """Was `request` asked for by a page of the flow (or on the way to one)?"""
        navigation = request.is_navigation_request()
        try:
            page = request.frame.page
        except PlaywrightError:  # a new tab's first address (no frame yet), or a service worker's
            page = None
        if page is None:
            wanted = navigation and self.on_flow(request.url)
        elif navigation and request.frame == page.main_frame:
            wanted = self.on_flow(request.url) or self.on_flow(page.url)  # a flow page, or a hop from one
        else:
            wanted = self.on_flow(page.url)  # a file the tab loads while it shows a flow page
        if wanted:
            self.asked.add((request.method, request.url))

    def finish(
        self, loaded: LoadedFlow, finished: bool, typed: dict[str, str], fields: dict[str, str]
    ) -> CaptureResult:
        """Lay the walk out once the context is closed (the HAR is written then)."""
        result = CaptureResult(loaded, ["live"])
        values = Values({**self.options.given, **typed}, set(loaded.flow.variables))
        try:
            self._lay_out(result, finished, fields, values)
        finally:  # whatever the way out, the report never shows what the person typed
            result.warnings = [values.mask(line) for line in result.warnings]
        return result

    def _lay_out(self, result: CaptureResult, finished: bool, fields: dict[str, str], values: Values) -> None:
        result.warnings += self.upstream.failures
        if not finished:
            result.not_captured = "the procedure was not finished: nothing captured"
            return
        exchanges, left_out = kept_for_the_flow(read_har(self.har), self.asked, self.on_flow)
        values.values = {**from_forms(exchanges, fields), **values.values}  # what was read in the field wins
        if left_out:
            result.warnings.append(f"{left_out} request(s) of pages outside the flow (another tab, a webmail) not kept")
        try:
            check_values(values)
        except CaptureError as error:
            result.not_captured = f"nothing captured: {error}"
            return
        lay_out(exchanges, values, self.options, result)
        result.warnings.append(
            "the pages keep what the site showed about the person (a name, an address…): only what was typed "
            "in the flow's fields is scrubbed; capture with a test account, or read the pages before sharing them"
        )


def on_flow_host(flow: Flow) -> Callable[[str], bool]:
    """Is a URL on a host of the flow's own (not simulated) pages? Host patterns as pages write them."""
    hosts = {urlsplit(spec.url).hostname or "" for spec in flow.pages.values() if not spec.simulated}
    return lambda url: any(fnmatch.fnmatchcase(urlsplit(url).hostname or "", host) for host in hosts)


def kept_for_the_flow(
    exchanges: list[Exchange], asked: set[tuple[str, str]], on_flow: Callable[[str], bool]
) -> tuple[list[Exchange], int]:
    """The exchanges the flow's pages asked for (see LiveRecording.note); an HTML answer from
    another host only as a redirect on the way (an SSO hop), never as a page; and how many
    were left out."""
    kept = [
        exchange
        for exchange in exchanges
        if (exchange.method, exchange.url) in asked
        and (not exchange.html or on_flow(exchange.url) or exchange.status in REDIRECTS)
    ]
    return kept, len(exchanges) - len(kept)


def from_forms(exchanges: list[Exchange], fields: dict[str, str]) -> dict[str, str]:
    """Variable -> the value its field sent, for fields read by name (variable -> field name)."""
    found: dict[str, str] = {}
    for exchange in exchanges:
        sent = dict(exchange.sent)
        for variable, name in fields.items():
            if sent.get(name):
                found[variable] = sent[name]
    return found


def _write(into: Path, name: str, data: bytes, result: CaptureResult) -> None:
    host = name.split("/", 1)[0]
    target = into / name
    try:
        inside = (into / host).resolve()
        if not target.resolve().is_relative_to(inside) or not HOST.match(host):
            raise OSError("it would leave the host's folder (a symlink?)")
        write_atomic(target, data)
        result.written.append(name)
    except OSError as error:
        result.warnings.append(f"{target}: not written: {error.strerror or error}")


# --- output ----------------------------------------------------------------------------------------

SIGNS = {"added": ("+", "green"), "changed": ("~", "yellow"), "removed": ("−", "red")}


def print_result(console: Console, result: CaptureResult, options: CaptureOptions) -> None:
    flow = result.flow.flow
    source = ", ".join(f"{m.origin or 'every host'} from {m.base}" for m in options.mappings) or "the live sites"
    console.print(
        f"[bold]{escape(flow.id)}[/] ({escape(str(result.flow.file))}): walked {len(result.branches)} branch"
        f"{'es' if len(result.branches) > 1 else ''} ({escape(', '.join(result.branches))}) on "
        f"{escape(source)}"
    )
    for drift in result.drifts:
        console.print(escape(drift.text()), style="red")
    pages = [c for c in result.changes if c.page]
    resources = [c for c in result.changes if not c.page]
    for change in pages:
        if change.kind == "unchanged":
            continue
        sign, colour = SIGNS[change.kind]
        where = f" page '{', '.join(change.pages)}'" if change.pages else ""
        steps = f"; steps: {', '.join(change.steps)}" if change.steps else ""
        kept = (
            " (not loaded this time; kept: delete it by hand if the site removed it)"
            if change.kind == "removed"
            else ""
        )
        console.print(f"  [{colour}]{sign}[/] {escape(change.name)}{escape(where)}{escape(steps)}{kept}")
        for line in change.diff:
            console.print(f"      [dim]{escape(line)}[/]")
    counts = {kind: sum(1 for c in pages if c.kind == kind) for kind in ("added", "changed", "removed", "unchanged")}
    console.print(
        f"pages: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed, "
        f"{counts['unchanged']} unchanged"
    )
    res = {kind: sum(1 for c in resources if c.kind == kind) for kind in ("added", "changed", "unchanged")}
    console.print(f"other files: {res['added']} added, {res['changed']} changed, {res['unchanged']} unchanged")
    if result.scrubbed:
        console.print(
            f"personal values replaced by \\[name] in {len(result.scrubbed)} file(s): "
            f"{escape(', '.join(result.scrubbed))}"
        )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    if result.not_captured:
        console.print(escape(result.not_captured))
    elif result.drifts:
        console.print("nothing written: the flow did not go through; fix the flow or the site, then capture again")
    elif options.check:
        console.print(
            f"nothing written (--check): {options.into} "
            f"{'differs from the site' if result.differs else 'matches the site'}"
        )
    else:
        console.print(
            f"wrote {len(result.written)} file(s) into {escape(str(options.into))}; left the unchanged "
            "ones as they were; deleted nothing"
        )


# --- command line (wired into `guide capture` by guide/cli.py) --------------------------------------


def add_from_url_argument(parser: argparse.ArgumentParser) -> None:
    """--from-url, for guide capture and guide live --capture."""
    parser.add_argument(
        "--from-url",
        action="append",
        default=[],
        metavar="BASE|ORIGIN=BASE",
        help="fetch the pages from BASE/HOST/PATH (a mirror of every host), or ORIGIN from BASE "
        "(repeatable); the files keep the real host names (default: the live sites)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("flow", type=Path, metavar="FLOW", help="the flow to walk")
    parser.add_argument(
        "--into",
        type=Path,
        required=True,
        metavar="DIR",
        help="the fixtures tree to write (HOST/PATH); compared with what it holds",
    )
    add_from_url_argument(parser)
    parser.add_argument(
        "--simulated-from",
        type=Path,
        metavar="DIR",
        help="where the flow's simulated pages (a webmail) come from (default: --into)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable's value instead of its test value (scrubbed from every file)",
    )
    parser.add_argument(
        "--check", action="store_true", help="compare only: write nothing, exit 1 when the tree differs from the site"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for each element, page or request (default: 10)",
    )
    add_browser_argument(parser)


def options_from(args: argparse.Namespace) -> CaptureOptions:
    given = {}
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep or not name:  # never echo it: it may be the value itself
            raise CaptureError("--var needs NAME=VALUE (what was given is not shown: it may be personal)")
        given[name] = value
    if args.into.exists() and not args.into.is_dir():
        raise CaptureError(f"--into {args.into}: not a folder")
    if args.simulated_from is not None and not args.simulated_from.is_dir():
        raise CaptureError(f"--simulated-from {args.simulated_from}: not a folder")
    return CaptureOptions(
        args.into,
        [parse_mapping(value) for value in args.from_url],
        args.simulated_from,
        given,
        args.timeout * 1000,
        args.check,
    )


def run(args: argparse.Namespace) -> int:
    """0 captured (or, with --check, the tree matches), 1 the flow drifted on the site (nothing
    written) or --check found differences, 2 bad input (the message on stderr)."""
    from playwright.sync_api import sync_playwright

    from .browser import BrowserNotFound, launch, resolve_browser

    console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
    try:
        options = options_from(args)
        loaded = load_flow(args.flow)
        values_for(loaded.flow, options.given)  # bad --var or short values: before any browser
        with sync_playwright() as playwright:
            browser = launch(
                playwright, resolve_browser(args.browser_path, playwright), offline=options.mirrors_every_host
            )
            try:
                result = capture(browser, loaded, options)
            finally:
                browser.close()
    except (CaptureError, BrowserNotFound) as error:
        print(f"guide capture: {error}", file=sys.stderr)
        return 2
    except FlowError as error:
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        return 2
    print_result(console, result, options)
    if result.drifts or (options.check and result.differs):
        return 1
    return 0
