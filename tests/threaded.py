"""A browser of guide's own launch, driven from a thread of its own.

Playwright's sync API belongs to one thread. pytest-playwright's session-wide `browser`
keeps a Playwright running in the main thread, and the CLI starts its own: both can only
live side by side in different threads. So the shots and export tests drive their browser
(guide.browser.launch, the way the CLI does) from a worker thread, and run the CLI in a
fresh thread each time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from playwright.sync_api import Browser, sync_playwright

from guide.browser import launch, resolve_browser
from guide.cli import main

T = TypeVar("T")


class BrowserThread:
    """One Chromium for a test module; `run(fn, …)` calls fn(browser, …) in its thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="guide-test-browser")
        self._pool.submit(self._start).result()

    def _start(self) -> None:
        self._playwright = sync_playwright().start()
        self.browser = launch(self._playwright, resolve_browser(None, self._playwright))

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._pool.submit(fn, self.browser, *args, **kwargs).result()

    def close(self) -> None:
        def stop() -> None:
            self.browser.close()
            self._playwright.stop()

        self._pool.submit(stop).result()
        self._pool.shutdown()


def cli(args: Sequence[str]) -> int:
    """guide.cli.main(args) in a thread of its own; returns the exit code (SystemExit too)."""
    outcome: dict[str, Any] = {}

    def body() -> None:
        try:
            outcome["code"] = main(list(args))
        except SystemExit as exit_:
            outcome["code"] = exit_.code
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=body, name="guide-test-cli")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"]


__all__ = ["Browser", "BrowserThread", "cli"]
