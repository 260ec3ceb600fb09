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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from . import furniture, locate, overlay
from .actions import action as action_named
from .engine import Drift, GoBack, Skip, StepContext, Stop, do_action
from .locate import LocateError
from .loader import LoadedFlow
from .model import Option
from .protocol import Button, Event, Key, Status
from .reports import DriftReport
from .secrets import Values
from .session import Session, url_matches

PREV = {"id": Button.PREV, "label": "Précédent"}
NEXT = {"id": Button.NEXT, "label": "Suivant", "primary": True}
QUIT = {"id": Button.QUIT, "label": "Quitter"}
SKIP = {"id": Button.SKIP, "label": "Passer cette étape"}
WAITING = "En attente de la page…"


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
    patience_ms: float = 250  # one look for a missing target, between two looks at the person
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
        self._furniture_first(ctx)
        buttons = [{"id": o.id, "label": o.label} for o in ctx.options]
        self._show(ctx, buttons + self._nav(ctx, next_button=False))
        if self.autoplay_s is not None:
            self._pause()
            return ctx.options[0]
        ids = {o.id for o in ctx.options}
        event = self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") in ids)
        assert event is not None
        return next(o for o in ctx.options if o.id == event["id"])

    def waiting(self, ctx: StepContext) -> None:
        """The target is not there yet: say so once, and keep listening to the person."""
        if self.shown is not ctx or ctx.locator is not None:
            ctx.locator = None
            self._show(ctx, self._nav(ctx, next_button=False), status=Status.WAITING, message=WAITING)
        self._drain()

    def show(self, ctx: StepContext) -> None:
        # what the person did for the previous step (a radio fires click *and* change) must
        # not complete this one
        self.events = deque(e for e in self.events if e.get("type") != Event.TARGET)
        self._furniture_first(ctx)
        self._show(ctx, self._nav(ctx, next_button=not ctx.step.acts))

    def perform(self, ctx: StepContext) -> None:
        step = ctx.step
        if self.autoplay_s is not None:
            self._pause()
            do_action(ctx, self.timeout_ms)
            return
        if step.outside or not step.acts:
            self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") == Button.NEXT,
                       until=self._landed_if(ctx), on_paste=self._open_pasted, ctx=ctx)
            return
        wanted = set(action_named(step.action).listen) if step.action else set()
        self._wait(lambda e: e.get("type") == Event.TARGET and e.get("event") in wanted,
                   until=self._landed_if(ctx), ctx=ctx)

    def landed(self, ctx: StepContext) -> None:
        pass

    def drifted(self, ctx: StepContext, drift: Drift) -> None:
        """Say plainly that the page no longer matches; the person skips the step or quits."""
        self.drifts.append(drift)
        if self.autoplay_s is not None:  # nobody to ask: a demo stops at the first drift
            raise Stop()
        message = (f"Cette page ne correspond plus au guide : « {self.values.mask(drift.expected)} » est "
                   "introuvable. Vous pouvez passer cette étape ou quitter le guide.")
        ctx.locator = None
        self._show(ctx, [SKIP, QUIT], status=Status.DRIFT, message=message)
        self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") == Button.SKIP)
        raise Skip()

    # --- waiting for the person -----------------------------------------------------------------

    def _wait(self, accept: Callable[[dict[str, Any]], bool], until: Callable[[], bool] | None = None,
              on_paste: Callable[[str], None] | None = None, ctx: StepContext | None = None) -> dict[str, Any] | None:
        """Pump the browser's events until one is accepted, or `until()` holds."""
        while True:
            while self.events:
                event = self.events.popleft()
                self._global(event)
                if event.get("type") == Event.PASTE and on_paste:
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
        if (kind == Event.BUTTON and ident == Button.QUIT) or (kind == Event.KEY and ident == Key.QUIT):
            raise Stop()
        if (kind == Event.BUTTON and ident == Button.PREV) or (kind == Event.KEY and ident == Key.PREV):
            raise GoBack()
        if kind == Event.KEY and ident == Key.NEXT:
            event.update(type=Event.BUTTON, id=Button.NEXT)

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

    def _furniture_first(self, ctx: StepContext) -> None:
        """A banner or notice on the page: the person closes it first, then the step goes on."""
        if self.autoplay_s is not None:
            return  # closed automatically (runner)
        for piece in furniture.showing(self.session.page, ctx.loaded.flow.furniture):
            shown = furniture.appears(self.session.page, piece)
            button = furniture.closer(shown, piece)
            message = f"Fermez d'abord {piece.name} : cliquez sur « {locate.words_of(piece.dismiss)} »."
            self._show(replace(ctx, locator=button), [QUIT], instruction=message)
            self._wait(lambda e: False, until=lambda: not shown.count())
        self.events = deque(e for e in self.events if e.get("type") != Event.TARGET)

    def _redraw(self, ctx: StepContext) -> None:
        self._furniture_first(ctx)
        if ctx.step.target is not None:
            try:
                ctx.locator = self.session.find(ctx.step.target, 1000, ctx.step.acts)
            except LocateError:
                ctx.locator = None
        self._show(ctx, self._nav(ctx, next_button=not ctx.step.acts or ctx.locator is None))

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


def run_live(loaded: LoadedFlow, *, fixtures: Path | None = None, start_url: str | None = None,
             given: dict[str, str] | None = None, autoplay_s: float | None = None, headless: bool = False,
             browser_path: str | None = None, wait_s: float = 20.0,
             idle: Callable[[Person], None] | None = None) -> LiveOutcome:
    """Open a browser on the flow's first page and guide the person to the end."""
    from playwright.sync_api import sync_playwright

    from .browser import launch, resolve_browser
    from .runner import LIVE, context_maker, run_branch

    flow = loaded.flow
    # Against fixtures the test values fit the pages; on the real site only autoplay types.
    values = Values.for_fixtures(flow) if fixtures else Values.for_person(flow, given or {})

    def person(session: Session) -> Person:
        return Person(session, values, wait_ms=wait_s * 1000, autoplay_s=autoplay_s, idle=idle,
                      # a demo on fixtures plays the mailbox too; on the real site the person reads it
                      simulates_outside=autoplay_s is not None and fixtures is not None)

    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(browser_path, playwright), headless=headless,
                         offline=fixtures is not None)
        try:
            run = run_branch(loaded, "live", context_maker(browser, LIVE), LIVE, fixtures, person, values,
                             start_url=start_url, close_furniture=autoplay_s is not None)
        finally:
            browser.close()
    # a drift the person could not skip (the start page did not match) ends the guide
    drifts = run.performer.drifts + ([run.drift] if run.drift is not None else [])
    finished = not run.stopped and run.drift is None
    return LiveOutcome(finished, drifts, [DriftReport.from_drift(d, values) for d in drifts])
