"""Find a Chromium to drive, launch it, and install one when there is none.

Order: --browser-path / GUIDE_BROWSER; Playwright's own Chromium if installed; a system
Chromium or Chrome on PATH. Offline machines (CI here) cannot download Playwright's build,
so set-up falls back to Debian's `chromium` package when running as root.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from playwright.sync_api import Browser, Playwright

# Without these, Chromium keeps calling home on a closed network at every start.
QUIET_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-pings",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
]
# Offline by construction (check, shots, live --fixtures): Playwright's routing answers every
# request before it reaches the network, and these make sure nothing else can leave: no host
# name resolves, every connection — to loopback too — goes to a proxy that does not exist, and
# WebRTC may not send UDP outside that proxy. Prefetch, prerender, preconnect and DNS prefetch
# then fail inside the browser.
OFFLINE_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://offline.invalid:9",
    "--proxy-bypass-list=<-loopback>",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--force-webrtc-ip-handling-policy",
    "--dns-prefetch-disable",
]
SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class BrowserNotFound(Exception):
    """No usable browser; the message says how to get one."""


@dataclass
class BrowserChoice:
    executable: str | None  # None: Playwright's own build
    reason: str
    looked_at: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.executable or "Playwright's Chromium"


def playwright_chromium_path(playwright: Playwright | None = None) -> Path | None:
    """Where Playwright's own Chromium lives, if it is installed."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started:
            return playwright_chromium_path(started)
    path = Path(playwright.chromium.executable_path)
    return path if path.exists() else None


def resolve_browser(explicit: str | None = None, playwright: Playwright | None = None) -> BrowserChoice:
    looked: list[str] = []
    explicit = explicit or os.environ.get("GUIDE_BROWSER") or None
    if explicit:
        where = shutil.which(explicit) or explicit
        if not Path(where).is_file():
            raise BrowserNotFound(
                f"the browser {explicit!r} given by --browser-path / GUIDE_BROWSER does not exist: "
                "give the path of a Chromium or Chrome executable"
            )
        source = "--browser-path" if not os.environ.get("GUIDE_BROWSER") else "GUIDE_BROWSER"
        return BrowserChoice(where, f"given by {source}", [where])
    own = playwright_chromium_path(playwright)
    looked.append(f"Playwright's Chromium: {'found' if own else 'not installed'}")
    if own:
        return BrowserChoice(None, f"Playwright's own Chromium is installed ({own})", looked)
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        looked.append(f"{name} on PATH: {found or 'not found'}")
        if found:
            return BrowserChoice(found, f"system browser {name} found on PATH", looked)
    raise BrowserNotFound(
        "no Chromium found. Install one with: python -m playwright install chromium "
        "(needs internet), or as root on Debian: apt-get install -y chromium; "
        "or point GUIDE_BROWSER at a Chromium/Chrome executable.\n  looked at: " + "; ".join(looked)
    )


def add_browser_argument(parser: argparse.ArgumentParser) -> None:
    """`--browser-path EXE`, as every verb that opens a browser takes it (see resolve_browser)."""
    parser.add_argument(
        "--browser-path",
        metavar="EXE",
        help="Chromium/Chrome executable (default: $GUIDE_BROWSER, Playwright's, then PATH)",
    )


def launch_args(offline: bool) -> list[str]:
    return QUIET_ARGS + (OFFLINE_ARGS if offline else [])


_MARKERS: WeakKeyDictionary[Browser, str] = WeakKeyDictionary()


def marker_of(browser: Browser | None) -> str | None:
    """The switch a browser guide launched carries (guide.watchdog finds its processes by it)."""
    return _MARKERS.get(browser) if browser is not None else None


def launch(
    playwright: Playwright,
    choice: BrowserChoice | None,
    headless: bool = True,
    offline: bool = True,
    channel: str | None = None,
) -> Browser:
    """A Chromium for guide: offline (the default) for everything that uses the fixtures.

    `channel` (chrome, msedge…): the installed browser instead of `choice`, with the same
    quiet and offline switches."""
    from .matching import register
    from .watchdog import new_marker

    register(playwright)  # the guide's words are matched by its own selector engine
    marker = new_marker()
    browser = playwright.chromium.launch(
        executable_path=None if channel or choice is None else choice.executable,
        channel=channel,
        headless=headless,
        args=[*launch_args(offline), marker],
    )
    _MARKERS[browser] = marker
    return browser


def install_browser(echo: Callable[[str], object] = print) -> bool:
    """Make sure a browser exists: Playwright's download, else Debian's chromium as root."""
    try:
        choice = resolve_browser()
        echo(f"browser: {choice.label} ({choice.reason})")
        return True
    except BrowserNotFound:
        pass
    echo("browser: trying python -m playwright install chromium")
    done = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "chromium"], capture_output=True, text=True, timeout=600
    )
    if done.returncode == 0 and playwright_chromium_path():
        echo("browser: Playwright's Chromium installed")
        return True
    echo("browser: Playwright could not download Chromium (offline?)")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        echo("browser: installing Debian's chromium with apt-get (running as root)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            result = subprocess.run(command, capture_output=True, text=True, env=env)
            if result.returncode != 0:
                echo(f"browser: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
                return False
        return shutil.which("chromium") is not None
    echo(
        "browser: none found. As root run: apt-get install -y chromium, "
        "or set GUIDE_BROWSER to a Chromium/Chrome executable."
    )
    return False
