"""The browser side of the step engine: the tab the person is on, pages, targets, actions.

The engine (guide.engine) never calls Playwright itself: it asks a `Session` to open a page,
to tell whether the page is the one a step expects, to follow the person to the page a step
leads to (in this tab or in one the site opened), to find a target and to act on it. Tests
give the engine a fake session instead (tests/test_engine.py).
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import BrowserContext, Locator, Page, Request
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import furniture, locate, problems
from .actions import action as action_named
from .model import Furniture, Target
from .model import Page as PageSpec


class PageError(Exception):
    """A page could not be opened; the message is Playwright's first line."""


class ActionError(Exception):
    """The element refused the action; the message says why, as Playwright's call log does."""

    def __init__(self, message: str, covered_by: str | None = None, disabled: bool = False):
        super().__init__(message)
        self.covered_by = covered_by  # what lies over the element, named as a person sees it
        self.disabled = disabled  # the element stayed disabled (or read-only) the whole time


def url_pattern(url: str) -> re.Pattern[str]:
    """A page URL with `*` wildcards; the query only counts when the pattern has one."""
    return re.compile("^" + ".*".join(map(re.escape, url.split("*"))) + "$")


def url_matches(spec: PageSpec, url: str) -> bool:
    compared = url if "?" in spec.url else url.split("#")[0].split("?")[0]
    return bool(url_pattern(spec.url).match(compared))


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Session:
    """A browser context and the tab the person is on; follows the tabs the site opens."""

    def __init__(self, context: BrowserContext, page: Page | None = None):
        self.context = context
        self.page = page or context.new_page()
        # Navigations seen in any tab, newest last: a step's landing may have started before
        # the engine looks for it (a click returns before the page it opens has committed).
        self._navigations: list[Request] = []
        self._opened: list[Page] = []  # tabs the site opened since the last page the engine saw
        context.on("request", self._record_navigation)
        context.on("page", self._record_tab)

    @property
    def url(self) -> str:
        return self.page.url

    def close_furniture_automatically(self, pieces: list[Furniture], timeout_ms: float) -> None:
        """Close banners and notices whenever they get in the way, in this tab and new ones."""
        if not pieces:
            return
        furniture.handle_automatically(self.page, pieces, timeout_ms)
        self.context.on("page", lambda page: furniture.handle_automatically(page, pieces, timeout_ms))

    def _record_navigation(self, request: Request) -> None:
        if request.is_navigation_request():
            self._navigations.append(request)
            del self._navigations[:-20]

    def _record_tab(self, page: Page) -> None:
        self._opened.append(page)

    def _forget_navigations(self) -> None:
        self._navigations.clear()
        self._opened.clear()

    # --- pages ---------------------------------------------------------------------------

    def open(self, url: str, timeout_ms: float) -> None:
        self._forget_navigations()
        try:
            self.page.goto(url, timeout=timeout_ms)
        except PlaywrightError as error:
            if "crash" in str(error).lower():
                raise  # the renderer died: a crashed page (runner.unresponsive), not one that did not open
            raise PageError(first_line(error)) from None

    def differs(self, spec: PageSpec, timeout_ms: float) -> str | None:
        """None when the tab shows the page `spec` describes, else what differs."""
        return page_differs(self.page, spec, timeout_ms)

    def follow(self, spec: PageSpec, timeout_ms: float) -> bool:
        """Wait until this tab, or a tab the site opened, shows `spec`'s URL; go on in that tab.

        Event-driven: returns as soon as a tab commits to that URL, waking on the navigation
        requests the context reports, never by polling.
        """
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            page = self._showing(spec)
            if page is not None:
                page.wait_for_load_state("load", timeout=max(1.0, (deadline - time.monotonic()) * 1000))
                self.page = page
                self._forget_navigations()
                return True
            left = (deadline - time.monotonic()) * 1000
            if left <= 0:
                return False
            try:
                self._wait_for_navigation(spec, left)
            except PlaywrightTimeout:
                deadline = time.monotonic()  # one last look, then give up
            except PlaywrightError:  # the tab closed or crashed: look at the others
                self.page = self._open_tabs()[-1] if self._open_tabs() else self.page

    def _open_tabs(self) -> list[Page]:
        return [page for page in self.context.pages if not page.is_closed()]

    def _showing(self, spec: PageSpec) -> Page | None:
        """The tab showing `spec`: this one first, then the newest."""
        tabs = self._open_tabs()
        for page in ([self.page] if self.page in tabs else []) + tabs[::-1]:
            if url_matches(spec, page.url):
                return page
        return None

    def _wait_for_navigation(self, spec: PageSpec, timeout_ms: float) -> None:
        """Until the tab heading for `spec` gets there, or a navigation towards it starts."""

        def there(url: str) -> bool:
            return url_matches(spec, url)

        request = next((r for r in reversed(self._navigations) if there(r.url)), None)
        if request is None:
            self.context.wait_for_event(
                "request", timeout=timeout_ms, predicate=lambda r: r.is_navigation_request() and there(r.url)
            )
            return
        try:
            tab: Page | None = request.frame.page
        except PlaywrightError:  # a new tab's first request comes before its frame exists
            opened = [page for page in self._opened if not page.is_closed()]
            tab = opened[-1] if opened else None
        if tab is None:
            self.context.wait_for_event("page", timeout=timeout_ms)  # the new tab is on its way
        else:
            tab.wait_for_url(there, timeout=timeout_ms)

    def describe(self) -> str:
        return describe_page(self.page)

    # --- targets -------------------------------------------------------------------------

    def find(self, target: Target, timeout_ms: float) -> Locator:
        """The one visible element matching `target`; locate.LocateError when there is none."""
        try:
            return locate.find(self.page, target, timeout_ms)
        except locate.LocateError:
            raise
        except PlaywrightError as error:  # the tab navigated while we looked (a crash is not that)
            if "crash" in str(error).lower() or "closed" in str(error).lower():
                raise
            raise locate.LocateError(
                problems.PAGE_CHANGED,
                locate.describe(target),
                f"the page changed while looking for it ({first_line(error)})",
                problems.FIX_PAGE_CHANGED,
            ) from None

    def text_of(self, locator: Locator, timeout_ms: float) -> str:
        return locator.inner_text(timeout=timeout_ms)

    def act(self, locator: Locator, action: str, value: str, timeout_ms: float) -> None:
        """Do `action` on the element as a person would; ActionError when it refuses."""
        try:
            action_named(action).perform(locator, value, timeout_ms)
        except PlaywrightError as error:
            raise action_failure(error, locator) from None


# Call-log lines that say why an action could not be done (Playwright retries until its
# timeout, so the first line alone says only "Timeout 3000ms exceeded").
CAUSES = (
    "intercepts pointer events",
    "not visible",
    "not enabled",
    "is disabled",
    "not stable",
    "outside of the viewport",
    "not attached",
    "detached",
    "did not change its state",
    "not an <input>",
    "not a checkbox",
    "not editable",
    "did not find some options",
    "is readonly",
)
# What covers an element, named as a person sees it: the block it belongs to (its name, its
# heading or legend), else its own first line of text.
COVERING = r"""el => {
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  if (!hit || hit === el || el.contains(hit)) return null;
  if (Array.from(el.labels || []).some(label => label === hit || label.contains(hit))) return null;
  const line = n => ((n.innerText || n.textContent || '').trim().split('\n')[0] || '').trim().slice(0, 80);
  for (let n = hit; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
    const named = n.getAttribute('aria-label');
    if (named) return named.trim();
    const title = n.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > legend, ' +
      ':scope > * > h1, :scope > * > h2, :scope > * > h3, :scope > * > h4');
    if (title && line(title)) return line(title);
  }
  return line(hit) || '<' + hit.localName + '>';
}"""


def action_failure(error: PlaywrightError, locator: Locator) -> ActionError:
    """Why the element refused: Playwright's first line, its call log's cause, what covers it."""
    text = str(error)
    message = first_line(error)
    causes = [line.strip().lstrip("- ").strip() for line in text.splitlines() if any(cause in line for cause in CAUSES)]
    if causes:
        message += f" — {causes[-1]}"
    try:
        cover = locator.evaluate(COVERING, timeout=1000)
    except PlaywrightError:
        cover = None
    if cover:
        message = f"covered by « {cover} » — {message}"
    disabled = bool(causes) and any(
        word in causes[-1] for word in ("not enabled", "is disabled", "not editable", "is readonly")
    )
    return ActionError(message, cover, disabled)


def page_differs(page: Page, spec: PageSpec, timeout_ms: float) -> str | None:
    """None when `page` is the page `spec` describes, else what differs."""
    if spec.title is not None:
        title = page.title()
        if title != spec.title:
            return f'title "{title}" instead of "{spec.title}"'
    if spec.heading is not None:
        heading = page.get_by_role("heading", level=1, name=spec.heading, exact=True)
        try:
            heading.first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeout:
            found = page.get_by_role("heading", level=1).all_inner_texts()
            return f'heading {" / ".join(map(repr, found)) or "none"} instead of "{spec.heading}"'
    return None


def describe_page(page: Page) -> str:
    try:
        headings = page.get_by_role("heading", level=1).all_inner_texts()
        return f'{page.url} (title "{page.title()}", heading "{" / ".join(headings)}")'
    except PlaywrightError:
        return page.url
