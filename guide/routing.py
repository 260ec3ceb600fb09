"""Answer every request of a check from offline fixtures, and refuse and report the rest.

A request to https://HOST/PATH?QUERY is served from FIXTURES/HOST/PATH; a path ending in
`/` is `index.html`; `PATH.html` and `PATH/index.html` are tried next. Form posts are
answered the same way from their action URL. Only regular files strictly inside the host's
folder are served: a host name must be a valid DNS name (`https://../` is refused, not the
parent folder), and a path with NUL, an over-long segment, `..` or a symlink leading out of
the host's folder is refused. Anything else is aborted and recorded, as are the WebSocket
connections, WebRTC peers and the prefetches a page declares: the browser is launched so
that none of them can leave (guide.browser.OFFLINE_ARGS), and the report says what the page
tried.
"""

from __future__ import annotations

import mimetypes
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from playwright.sync_api import BrowserContext, Route, WebSocketRoute

# Chromium reads an HTML body without a charset as Latin-1: « Réinitialiser » would no
# longer match. Every text type is served as UTF-8.
TEXT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
    "": "text/html",
}
LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST = re.compile(rf"^(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*$")
MAX_SEGMENT_BYTES = 255  # a longer file name cannot exist on the usual file systems
MAX_PATH_BYTES = 2048
MAX_FILE_BYTES = 20_000_000  # a page or resource larger than this is a broken fixture, not a page
# What a page may ask the browser to contact on its own (the browser refuses: offline).
DECLARED = {"preconnect", "dns-prefetch", "prefetch", "prerender"}
# What Playwright cannot route — WebRTC peers and shared workers' own requests — is reported
# from the page: the offline browser refuses the connections anyway.
PROBES = """(() => {
  const report = what => { try { window.__guideRefused(what); } catch (e) {} };
  const watch = (name, describe) => {
    const Native = window[name];
    if (!Native) return;
    window[name] = new Proxy(Native, { construct(target, args) {
      describe(args).forEach(report);
      return Reflect.construct(target, args);
    } });
  };
  watch('RTCPeerConnection', args => ((args[0] || {}).iceServers || [])
    .flatMap(server => [].concat(server.urls || server.url || [])).map(url => 'WebRTC peer ' + url));
  watch('SharedWorker', args => ['SharedWorker ' + String(args[0]) + ' (its requests cannot be routed)']);
})();"""


@dataclass(frozen=True)
class Blocked:
    """A request the fixtures did not answer."""

    what: str  # "GET https://…", "WebSocket wss://…", "prefetch https://… (speculation rules)"
    why: str = "outside the fixtures"
    at: float = field(default_factory=time.monotonic, compare=False)  # when (a drift lists its step's)

    @property
    def host(self) -> str:
        """The host asked for (for grouping), or what stands in for it (a STUN server)."""
        url = next((part for part in self.what.split() if ":" in part), "")
        return urlsplit(url).hostname or url.split("?")[0]

    def __str__(self) -> str:
        return self.what if self.why == "outside the fixtures" else f"{self.what} ({self.why})"


def summarise(blocked: list[Blocked]) -> list[str]:
    """One line per host: how many requests, and the first one (the one that usually explains)."""
    by_host: dict[str, list[Blocked]] = {}
    for item in blocked:
        by_host.setdefault(item.host, []).append(item)
    lines = []
    for host, items in by_host.items():
        count = f"{len(items)} requests" if len(items) > 1 else "a request"
        lines.append(f"blocked {count} to {host or 'an unknown host'} outside the fixtures (first: {items[0]})")
    return lines


def routing_key(url: str) -> str:
    """What routing reads of a URL: scheme, host and path (the query and fragment never choose a file)."""
    return urlsplit(url)._replace(query="", fragment="").geturl()


class Refused(Exception):
    """A URL that must never be mapped to a file; the message says why."""


def fixture_path(root: Path, url: str) -> list[Path]:
    """The files that may answer `url`, in order of preference; Refused when it is unsafe."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return []
    host = parts.hostname
    if not HOST.match(host):
        raise Refused(f"host name {host!r} is not valid")
    path = unquote(parts.path or "/")
    if "\x00" in path or len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        raise Refused("the path holds a NUL character or is too long")
    segments = [s for s in path.split("/") if s]
    if any(len(s.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES for s in segments):
        raise Refused("a path segment is longer than a file name can be")
    if any(s in (".", "..") for s in segments):
        raise Refused("the path leaves its folder (..)")
    relative = "/".join(segments)
    if path.endswith("/"):
        names = [f"{relative}/index.html" if relative else "index.html"]
    else:
        names = [relative, relative + ".html", relative + "/index.html"]
    return [root / host / name for name in names]


@dataclass
class FixtureRouter:
    root: Path
    blocked: list[Blocked] = field(default_factory=list)
    # What each address the page asked for was answered with: its file, or None (blocked).
    # Addresses without query or fragment, which routing ignores (guide.cache reuses verdicts on it).
    answered: dict[str, Path | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    def file_for(self, url: str) -> Path | None:
        """The fixture file answering `url`, or None (also for a URL that must be refused)."""
        try:
            return self._file(url)
        except Refused:
            return None

    def _file(self, url: str) -> Path | None:
        for candidate in fixture_path(self.root, url):
            host_folder = self.root / candidate.relative_to(self.root).parts[0]
            try:
                real = candidate.resolve()
                # strictly inside the host's own folder, symlinks followed; a regular file
                if real.is_relative_to(host_folder) and real != host_folder and real.is_file():
                    return real
            except OSError:  # a name the file system refuses (too long, invalid)
                continue
        return None

    def handle(self, route: Route) -> None:
        request = route.request
        what = f"{request.method} {request.url}"
        try:
            file = self._file(request.url)
        except Refused as refusal:
            self._refuse(route, Blocked(what, f"refused: {refusal}"))
            return
        except Exception as error:
            self._refuse(route, Blocked(what, f"refused: {type(error).__name__}"))
            return
        self.answered[routing_key(request.url)] = file
        if file is None:
            self._refuse(route, Blocked(what))
            return
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            self._refuse(
                route,
                Blocked(
                    what, f"refused: the file is {size // 1_000_000} MB, more than {MAX_FILE_BYTES // 1_000_000} MB"
                ),
            )
            return
        body = file.read_bytes()
        if file.suffix.lower() in (".html", ".htm", ""):
            self._declared(request.url, body)
        route.fulfill(status=200, body=body, content_type=content_type(file), headers={"cache-control": "no-store"})

    def _refuse(self, route: Route, blocked: Blocked) -> None:
        self.blocked.append(blocked)
        try:
            route.abort("blockedbyclient")
        except Exception:
            pass

    def _declared(self, base: str, body: bytes) -> None:
        """Prefetches the page asks the browser to make outside the fixtures (it is refused)."""
        finder = _Declarations()
        try:
            finder.feed(body.decode("utf-8", "replace"))
        except Exception:
            return
        for kind, url in finder.found:
            absolute = urljoin(base, url)
            if self.file_for(absolute) is None:
                self.blocked.append(Blocked(f"{kind} {absolute}", "declared by the page; the browser is offline"))

    def _websocket(self, socket: WebSocketRoute) -> None:
        self.blocked.append(Blocked(f"WebSocket {socket.url}"))
        socket.close(code=1008, reason="offline: guide serves fixtures only")

    def install(self, context: BrowserContext) -> None:
        context.route("**/*", self.handle)
        context.route_web_socket(re.compile(".*"), self._websocket)
        context.expose_function("__guideRefused", lambda what: self.blocked.append(Blocked(str(what)[:300])))
        context.add_init_script(script=PROBES)


class _Declarations(HTMLParser):
    """<link rel=preconnect|dns-prefetch|prefetch|prerender> and speculation rules' URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._rules = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link":
            for rel in values.get("rel", "").lower().split():
                if rel in DECLARED and values.get("href"):
                    self.found.append((rel, values["href"]))
        self._rules = tag == "script" and values.get("type", "").lower() == "speculationrules"

    def handle_data(self, data: str) -> None:
        if self._rules:
            self.found += [("speculation rules", url) for url in re.findall(r'"((?:https?:)?//[^"]+|/[^"]*)"', data)]

    def handle_endtag(self, tag: str) -> None:
        self._rules = False


def content_type(file: Path) -> str:
    suffix = file.suffix.lower()
    if suffix in TEXT_TYPES:
        return f"{TEXT_TYPES[suffix]}; charset=utf-8"
    return mimetypes.guess_type(file.name)[0] or "application/octet-stream"
