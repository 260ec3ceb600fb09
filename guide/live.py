"""`guide live`: walk a person through a flow in a visible browser, with the overlay.

The person is the performer: the engine (the same one `guide check` uses) finds each target
strictly and shows it; this module waits until the person has done what the step asks
(clicked the highlighted element, filled the field, picked the radio, or the expected page
loaded). It follows full navigations and new tabs, waits for slow pages, and when the page
no longer matches the guide it says so plainly and records the drift.

Nothing the person types is read here: the overlay evaluates a field's rules in the page.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from . import locate, overlay
from .engine import Drift, GoBack, Session, Skip, StepContext, Stop, do_action, url_matches
from .model import Option
from .report import DriftReport
from .secrets import Values

PREV = {"id": "prev", "label": "Précédent"}
NEXT = {"id": "next", "label": "Suivant", "primary": True}
QUIT = {"id": "quit", "label": "Quitter"}
SKIP = {"id": "skip", "label": "Passer cette étape"}
WAITING = "En attente de la page…"

# Which overlay events complete a step, by action.
COMPLETES = {"click": {"click"}, "fill": {"change"}, "select": {"change"}, "choose": {"change", "click"},
             "check": {"change", "click"}, "uncheck": {"change", "click"}, "press": {"input", "change"}}


@dataclass
class Person:
    """The performer for live mode: shows each step and waits for the person to do it."""

    session: Session
    values: Values
    wait_ms: float = 20_000  # how long a missing target may take to appear before it is drift
    autoplay_s: float | None = None  # --autoplay: do each step after this pause
    idle: Callable[[Person], None] | None = None  # called while waiting (tests drive a person here)
    timeout_ms: float = 30_000
    simulates_outside: bool = False
    drifts: list[Drift] = field(default_factory=list)
    events: deque[dict[str, Any]] = field(default_factory=deque)
    shown: StepContext | None = None
    _navigated: bool = False

    def __post_init__(self) -> None:
        context = self.session.context
        context.expose_binding("__guideEvent", lambda source, event: self.events.append(event))
        context.on("page", self._new_tab)
        self._watch(self.session.page)

    # --- the Performer protocol -------------------------------------------------------------

    def choose(self, ctx: StepContext) -> Option:
        buttons = [{"id": o.id, "label": o.label} for o in ctx.options]
        self._show(ctx, buttons + self._nav(ctx, next_button=False))
        if self.autoplay_s is not None:
            self._pause()
            return ctx.options[0]
        event = self._wait(lambda e: e.get("type") == "button" and e.get("id") in {o.id for o in ctx.options})
        return next(o for o in ctx.options if o.id == event["id"])  # type: ignore[index]

    def locate(self, ctx: StepContext) -> Locator:
        assert ctx.step.target is not None
        target, enabled = ctx.step.target, ctx.step.acts
        try:
            return locate.find(self.session.page, target, 500, enabled)
        except locate.LocateError:
            pass
        ctx.locator = None
        self._show(ctx, self._nav(ctx, next_button=False), status="waiting", message=WAITING)
        deadline = time.monotonic() + self.wait_ms / 1000
        error: locate.LocateError | None = None
        while time.monotonic() < deadline:
            self._drain()
            try:
                found = locate.find(self.session.page, target, 250, enabled)
                ctx.page = self.session.page
                return found
            except locate.LocateError as missing:
                error = missing
            except PlaywrightError:  # the page is navigating: try again on the new one
                self._pump(100)
        assert error is not None
        return self._no_longer_matches(ctx, error)

    def show(self, ctx: StepContext) -> None:
        # what the person did for the previous step (a radio fires click *and* change) must
        # not complete this one
        self.events = deque(e for e in self.events if e.get("type") != "target")
        self._show(ctx, self._nav(ctx, next_button=not ctx.step.acts))

    def perform(self, ctx: StepContext) -> None:
        step = ctx.step
        if self.autoplay_s is not None:
            self._pause()
            do_action(ctx, self.timeout_ms, self.values)
            return
        if step.outside or not step.acts:
            self._wait(lambda e: e.get("type") == "button" and e.get("id") == "next", until=self._landed_if(ctx),
                       on_paste=self._open_pasted, ctx=ctx)
            return
        wanted = COMPLETES.get(step.action or "", set())
        self._wait(lambda e: e.get("type") == "target" and e.get("action") in wanted, until=self._landed_if(ctx),
                   ctx=ctx)

    def landed(self, ctx: StepContext) -> None:
        pass

    # --- waiting for the person -----------------------------------------------------------------

    def _wait(self, accept: Callable[[dict[str, Any]], bool], until: Callable[[], bool] | None = None,
              on_paste: Callable[[str], None] | None = None, ctx: StepContext | None = None) -> dict[str, Any] | None:
        """Pump the browser's events until one is accepted, or `until()` holds."""
        while True:
            while self.events:
                event = self.events.popleft()
                self._global(event)
                if event.get("type") == "paste" and on_paste:
                    on_paste(str(event.get("value", "")))
                elif accept(event):
                    return event
            if until and until():
                return None
            if self._navigated and ctx is not None:  # a full load wiped the overlay: draw it again
                self._navigated = False
                self._redraw(ctx)
            self._pump()

    def _global(self, event: dict[str, Any]) -> None:
        kind, ident = event.get("type"), event.get("id") or event.get("key")
        if (kind == "button" and ident == "quit") or (kind == "key" and ident == "Escape"):
            raise Stop()
        if (kind == "button" and ident == "prev") or (kind == "key" and ident == "prev"):
            raise GoBack()
        if kind == "key" and ident == "next":
            event.update(type="button", id="next")

    def _drain(self) -> None:
        """Handle quit/back while the person waits for a page."""
        while self.events:
            self._global(self.events.popleft())

    def _pump(self, ms: float = 50) -> None:
        try:
            self.session.page.wait_for_timeout(ms)
        except PlaywrightError:  # the tab was closed: go on in the newest one
            pages = [p for p in self.session.context.pages if not p.is_closed()]
            if not pages:
                raise Stop() from None
            self.session.page = pages[-1]
        if self.idle:
            self.idle(self)

    def _pause(self) -> None:
        deadline = time.monotonic() + (self.autoplay_s or 0)
        while time.monotonic() < deadline:
            self._drain()
            self._pump(50)

    def _landed_if(self, ctx: StepContext) -> Callable[[], bool] | None:
        """For steps that lead to a page, reaching that page completes them, however done."""
        lands = ctx.step.lands
        if not lands:
            return None
        spec = ctx.loaded.flow.pages[lands]

        def arrived() -> bool:
            return any(not p.is_closed() and url_matches(spec, p.url) for p in self.session.context.pages)
        return arrived

    def _open_pasted(self, url: str) -> None:
        if url.startswith(("https://", "http://")):
            self.session.page.goto(url)

    # --- drawing --------------------------------------------------------------------------------

    def _nav(self, ctx: StepContext, next_button: bool) -> list[dict[str, Any]]:
        buttons = [PREV] if ctx.number > 1 else []
        return buttons + ([NEXT] if next_button else []) + [QUIT]

    def _show(self, ctx: StepContext, buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        self.shown = ctx
        try:
            overlay.show(ctx, self.session.page, buttons=buttons, **kwargs)
        except PlaywrightError:
            self._navigated = True  # drawn on a page that went away: redraw on the next one

    def _redraw(self, ctx: StepContext) -> None:
        if ctx.step.target is not None:
            try:
                ctx.locator = locate.find(self.session.page, ctx.step.target, 1000, ctx.step.acts)
                ctx.page = self.session.page
            except (locate.LocateError, PlaywrightError):
                ctx.locator = None
        self._show(ctx, self._nav(ctx, next_button=not ctx.step.acts or ctx.locator is None))

    def _no_longer_matches(self, ctx: StepContext, error: locate.LocateError) -> Locator:
        drift = Drift(ctx.loaded.where(ctx.path + ("target",)), ctx.step, error.problem, error.expected,
                      self.values.mask(error.found), error.fix, self.session.page.url)
        self.drifts.append(drift)
        if self.autoplay_s is not None:  # nobody to ask: a demo stops at the first drift
            raise Stop()
        message = (f"Cette page ne correspond plus au guide : « {error.expected} » est introuvable. "
                   "Vous pouvez passer cette étape ou quitter le guide.")
        self._show(ctx, [SKIP, QUIT], status="drift", message=message)
        self._wait(lambda e: e.get("type") == "button" and e.get("id") == "skip")
        raise Skip()

    # --- tabs and navigations ---------------------------------------------------------------

    def _new_tab(self, page: Page) -> None:
        """Follow the person into a tab the site opened."""
        self.session.page = page
        self._watch(page)
        self._navigated = True

    def _watch(self, page: Page) -> None:
        page.on("load", lambda loaded: self._loaded(loaded))

    def _loaded(self, page: Page) -> None:
        if page == self.session.page:
            self._navigated = True


@dataclass
class LiveOutcome:
    finished: bool  # walked to the last step (else the person quit)
    drifts: list[Drift]
    reports: list[DriftReport]  # the drifts as guide check words them, secrets masked


def run_live(loaded, *, fixtures=None, start_url: str | None = None, given: dict[str, str] | None = None,
             autoplay_s: float | None = None, headless: bool = False, browser_path: str | None = None,
             wait_s: float = 20.0, idle: Callable[[Person], None] | None = None) -> LiveOutcome:
    """Open a browser on the flow's first page and guide the person to the end."""
    from playwright.sync_api import sync_playwright

    from .browser import launch, resolve_browser
    from .check import drift_report, new_context
    from .engine import Engine
    from .routing import FixtureRouter

    flow = loaded.flow
    # Against fixtures the test values fit the pages; on the real site only autoplay types.
    values = Values.for_fixtures(flow) if fixtures else Values.for_person(flow, given or {})
    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(browser_path, playwright), headless=headless)
        context = new_context(browser, FixtureRouter(fixtures) if fixtures else None, reduced_motion=None)
        overlay.install(context)
        session = Session(context)
        person = Person(session, values, wait_ms=wait_s * 1000, autoplay_s=autoplay_s, idle=idle,
                        # a demo on fixtures plays the mailbox too; on the real site the person reads it
                        simulates_outside=autoplay_s is not None and fixtures is not None)
        finished = True
        try:
            Engine(loaded, session, person, values, start_url=start_url).run()
        except Stop:
            finished = False
        except Drift as drift:  # the start page or a landing did not match
            person.drifts.append(drift)
            finished = False
        finally:
            context.close()
            browser.close()
    return LiveOutcome(finished, person.drifts, [drift_report(d, values) for d in person.drifts])
