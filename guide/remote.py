"""Check against a remote Playwright browser server (`python -m playwright run-server`).

The client cannot launch anything on the server: it sends its wishes in the
`x-playwright-launch-options` header, in Playwright's own (camelCase) names. A server only
honours `executablePath` and `args` when started with `--unsafe`; otherwise it launches its own
Playwright-installed Chromium, and fails when it has none (offline machines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from .browser import BrowserNotFound, launch_args

LAUNCH_HEADER = "x-playwright-launch-options"
ENDPOINT = re.compile(r"^wss?://[^\s/]+(/\S*)?$")
CONNECT_TIMEOUT_MS = 30_000


class RemoteBrowserError(BrowserNotFound):
    """The browser server cannot be reached or cannot give a browser; the message says why."""


def check_endpoint(value: str) -> str:
    """A ws:// or wss:// address, else ValueError with an example."""
    if not ENDPOINT.match(value):
        raise ValueError(
            f"{value!r} is not a browser server address: write it as ws://HOST:PORT/ "
            "(as printed by python -m playwright run-server)"
        )
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def launch_header(options: Mapping[str, Any]) -> dict[str, str]:
    """The header carrying launch options, with Python names turned into Playwright's."""
    wire = {
        _camel(key): (str(value) if key == "executable_path" else value)
        for key, value in options.items()
        if value is not None
    }
    return {LAUNCH_HEADER: json.dumps(wire)}


def connect(
    playwright: Playwright,
    endpoint: str,
    executable: str | None = None,
    headless: bool = True,
    timeout_ms: float = CONNECT_TIMEOUT_MS,
) -> Browser:
    """A Chromium from the server at `endpoint`; `executable` is a path on the server."""
    wishes: dict[str, Any] = {"headless": headless, "args": launch_args(offline=True)}
    if executable:
        wishes["executable_path"] = executable
    from .matching import register

    register(playwright)
    try:
        return playwright.chromium.connect(endpoint, timeout=timeout_ms, headers=launch_header(wishes))
    except PlaywrightError as error:
        raise RemoteBrowserError(explain(endpoint, str(error), executable)) from None


def explain(endpoint: str, error: str, executable: str | None) -> str:
    """What went wrong with the server, and what to do about it."""
    text = " ".join(error.split())
    if "ECONNREFUSED" in text or "ENOTFOUND" in text or "Timeout" in text or "EHOSTUNREACH" in text:
        return (
            f"no browser server answers at {endpoint}: start one with "
            "`python -m playwright run-server --host 0.0.0.0 --port PORT` and check the address"
        )
    if "Executable doesn't exist" in text or "executable doesn't exist" in text.lower():
        hint = (
            "the server ignores --browser-path unless it was started with --unsafe"
            if executable
            else "pass --browser-path with a Chromium path on the server, and start the server with --unsafe"
        )
        return (
            f"the browser server at {endpoint} has no browser to launch: run "
            f"`python -m playwright install chromium` there, or {hint}"
        )
    first = text[:400]
    return f"the browser server at {endpoint} refused the connection: {first}"
