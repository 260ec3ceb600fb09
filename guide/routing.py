"""Answer every request of a check from offline fixtures, and block the rest.

A request to https://HOST/PATH?QUERY is served from FIXTURES/HOST/PATH; a path ending in
`/` is `index.html`; `PATH.html` and `PATH/index.html` are tried next. Form posts are
answered the same way from their action URL. Anything else is aborted and recorded, so a
check never reaches the real sites and says what it could not serve.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import BrowserContext, Route

# Chromium reads an HTML body without a charset as Latin-1: « Réinitialiser » would no
# longer match. Every text type is served as UTF-8.
TEXT_TYPES = {".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "text/javascript",
              ".json": "application/json", ".svg": "image/svg+xml", ".txt": "text/plain", "": "text/html"}


@dataclass
class FixtureRouter:
    root: Path
    blocked: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)

    def file_for(self, url: str) -> Path | None:
        """The fixture file answering `url`, or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        host_dir = (self.root / parts.hostname).resolve()
        path = unquote(parts.path or "/")
        relative = path.lstrip("/")
        candidates = [relative + "index.html"] if path.endswith("/") else [
            relative, relative + ".html", relative + "/index.html"]
        for candidate in candidates:
            file = (host_dir / candidate).resolve()
            # never serve outside the host's folder (../ in a URL)
            if file.is_relative_to(host_dir) and file.is_file():
                return file
        return None

    def handle(self, route: Route) -> None:
        url = route.request.url
        file = self.file_for(url)
        if file is None:
            self.blocked.append(f"{route.request.method} {url}")
            route.abort("blockedbyclient")
            return
        self.served.append(url)
        route.fulfill(status=200, body=file.read_bytes(), content_type=content_type(file),
                      headers={"cache-control": "no-store"})

    def install(self, context: BrowserContext) -> None:
        context.route("**/*", self.handle)


def content_type(file: Path) -> str:
    suffix = file.suffix.lower()
    if suffix in TEXT_TYPES:
        return f"{TEXT_TYPES[suffix]}; charset=utf-8"
    return mimetypes.guess_type(file.name)[0] or "application/octet-stream"
