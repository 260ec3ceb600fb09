"""Overrides of pytest-playwright's browser fixtures, registered by guide's pytest plugin.

A separate plugin module, registered in `pytest_configure` after every entry-point plugin: its
fixtures are then "more specific" than pytest-playwright's and wrap them (a conftest.py still
wraps these in turn). Each one starts from what pytest-playwright computed from the command line,
so `--headed`, `--slowmo`, `--browser-channel`… keep working.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from .browser import BrowserNotFound, launch_args, resolve_browser
from .remote import CONNECT_TIMEOUT_MS, explain, launch_header

REMOTE_KEYS = ("headless", "slow_mo", "channel", "args", "executable_path", "timeout")


def _with_guide_args(args: list[str] | None, offline: bool) -> list[str]:
    args = list(args or [])
    return args + [arg for arg in launch_args(offline) if arg not in args]


def _checks_flows(request: pytest.FixtureRequest) -> bool:
    """Does this session run flows? Then its browser is offline (fixtures only).

    Other browser tests in a session without flows keep their network (localhost apps…).
    """
    from .pytest_plugin import FlowItem

    return any(isinstance(item, FlowItem) for item in request.session.items)


def _explicit_browser(config: pytest.Config) -> str | None:
    return config.getoption("guide_browser_path") or os.environ.get("GUIDE_BROWSER") or None


def _active_playwright(request: pytest.FixtureRequest) -> Any:
    """The session's Playwright if one already runs in this thread, else None.

    A second sync Playwright cannot start while one runs in the same thread, and starting the
    session's own here would break a conftest.py that looks the browser up with a short-lived
    one (as tests/conftest.py does): use whichever is possible.
    """
    try:
        asyncio.get_running_loop()  # the sync API marks its loop running between calls
    except RuntimeError:
        return None
    return request.getfixturevalue("playwright")


@pytest.fixture(scope="session")
def browser_type(browser_type: Any, playwright: Any) -> Any:
    """guide's selector engine, known to the session's Playwright before any context exists."""
    from .matching import register

    register(playwright)
    return browser_type


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict, browser_name: str, pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> dict:
    """Fall back to a system Chromium when Playwright's own is not installed (offline CI)."""
    args = dict(browser_type_launch_args)
    explicit = pytestconfig.getoption("guide_browser_path")
    if pytestconfig.getoption("guide_connect"):
        return args  # the server launches the browser: see connect_options
    offline = _checks_flows(request)
    if offline:
        args["args"] = _with_guide_args(args.get("args"), offline=True)
    if browser_name != "chromium" or args.get("channel") or (args.get("executable_path") and not explicit):
        return args  # the user chose: a channel, another engine, an executable
    try:
        choice = resolve_browser(explicit, _active_playwright(request))
    except BrowserNotFound as error:
        pytest.fail(f"guide: {error}", pytrace=False)
    if choice.executable:  # None: Playwright's own Chromium is installed, nothing to change
        args["executable_path"] = choice.executable
        args["args"] = _with_guide_args(args.get("args"), offline)
    return args


@pytest.fixture(scope="session")
def connect_options(
    pytestconfig: pytest.Config, browser_type_launch_args: dict, request: pytest.FixtureRequest
) -> dict | None:
    """--guide-connect: launch options travel in the header, in Playwright's camelCase names.

    pytest-playwright sends them with Python names (`executable_path`), which the server
    ignores; this header replaces that one.
    """
    endpoint = pytestconfig.getoption("guide_connect")
    if not endpoint:
        return None
    wishes = {key: value for key, value in browser_type_launch_args.items() if key in REMOTE_KEYS}
    wishes["args"] = _with_guide_args(wishes.get("args"), _checks_flows(request))
    explicit = _explicit_browser(pytestconfig)
    if explicit:
        wishes["executable_path"] = explicit
    return {"endpoint": endpoint, "timeout": CONNECT_TIMEOUT_MS, "headers": launch_header(wishes)}


@pytest.fixture(scope="session")
def launch_browser(launch_browser: Any, pytestconfig: pytest.Config) -> Any:
    """With --guide-connect, say what is wrong with the server in a sentence, not a stack."""
    endpoint = pytestconfig.getoption("guide_connect")
    if not endpoint:
        return launch_browser
    executable = _explicit_browser(pytestconfig)

    def launch(**kwargs: Any) -> Any:
        try:
            return launch_browser(**kwargs)
        except PlaywrightError as error:
            pytest.fail(f"guide: {explain(endpoint, str(error), executable)}", pytrace=False)

    return launch
