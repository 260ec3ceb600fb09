"""`guide live`: walk a person through a flow in a visible browser, with the overlay.

The person is the performer: the engine (the same one `guide check` uses) finds each target
strictly and shows it; this module waits until the person has done what the step asks — however
they did it: the highlighted click, Entrée in a field, the browser's back button, a link
opened in a new tab, the expected page reached by another way — and says the right thing when
something goes wrong: a site that does not answer is not drift, a target twice on the page is
not « introuvable ». It speaks the flow's language (guide.i18n), never asks in the terminal
what the person types in the page, saves the step reached after each step (guide.progress) and
offers to pick up there next time.

Nothing the person types is read here: the overlay evaluates a field's rules in the page.
"""

from __future__ import annotations

import html
import time
from collections import deque
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from . import furniture, locate, overlay, problems, progress
from .actions import action as action_named
from .capture import CaptureOptions, CaptureResult, LiveRecording
from .engine import Drift, GoBack, MovedTo, Resume, ResumeAt, Retry, Skip, StepContext, Stop, do_action
from .files import private_folder
from .i18n import Say, language, words
from .loader import VARIABLE_REF, LoadedFlow
from .locate import LocateError
from .model import Option
from .protocol import Button, Event, Key, Status
from .reports import DriftReport
from .secrets import Values
from .session import Session, url_matches

NETWORK = (
    "net::ERR_",
    "NS_ERROR_",
    "ERR_CONNECTION",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_TIMED_OUT",
    "ERR_INTERNET_DISCONNECTED",
    "Timeout",
)


def _button(ident: str, label: str, primary: bool = False) -> dict[str, Any]:
    return {"id": ident, "label": label, "primary": primary}


@dataclass
class Person:
    """The performer for live mode: shows each step and waits for the person to do it."""

    session: Session
    values: Values
    say: Say = field(default_factory=lambda: words("fr"))
    wait_ms: float = 20_000  # how long a missing target may take to appear before it is drift
    autoplay_s: float | None = None  # --autoplay: do each step after this pause
    idle: Callable[[Person], None] | None = None  # called while waiting (tests drive a person here)
    timeout_ms: float = 30_000
    simulates_outside: bool = False
    patience_ms: float = 250  # one look for a missing target, between two looks at the person
    answers: dict[str, str] = field(default_factory=dict)  # autoplay: the answers to give
    keep_progress: bool = True
    offer: progress.Progress | None = None  # where the previous run stopped: offered once
    drifts: list[Drift] = field(default_factory=list)
    events: deque[dict[str, Any]] = field(default_factory=deque)
    shown: StepContext | None = None
    last_known: str = ""  # the last page of the flow the person was on
    _navigated: bool = False
    _reloaded: bool = False  # the last load was of the page the person was on (see _restart_reloaded_page)
    _card: tuple[StepContext, list[dict[str, Any]], dict[str, Any]] | None = None  # the last card shown
    _said: tuple[Any, ...] | None = None  # the words of the last card drawn (and so announced)
    # guide live --capture: what the person typed in the flow's fields (variable -> value), and
    # each field's name (to read a value back from the form that sent it), to scrub them; in
    # memory only, never written, never shown
    remember_typed: bool = False
    typed: dict[str, str] = field(default_factory=dict)
    field_names: dict[str, str] = field(default_factory=dict)
    _field_page: str = ""  # the address the field was shown on

    def __post_init__(self) -> None:
        context = self.session.context
        context.expose_binding("__guideEvent", lambda source, event: self.events.append(event))
        context.on("page", self._new_tab)
        self._watch(self.session.page)

    # --- the Performer protocol -------------------------------------------------------------

    def choose(self, ctx: StepContext) -> Option:
        self._offer_resume(ctx)
        self._furniture_first(ctx)
        self._redraw(ctx)
        if self.autoplay_s is not None:
            self._pause()
            wanted = self.answers.get(ctx.step.id)
            return next((o for o in ctx.options if o.id == wanted), ctx.options[0])
        ids = {o.id for o in ctx.options}
        event = self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") in ids, ctx=ctx)
        assert event is not None
        return next(o for o in ctx.options if o.id == event["id"])

    def waiting(self, ctx: StepContext) -> None:
        """The target is not there yet: say so once, and keep listening to the person."""
        if self.shown is not ctx or ctx.locator is not None:
            ctx.locator = None
            self._show(
                ctx, self._nav(ctx, next_button=False), status=Status.WAITING, message=self.say("Waiting for the page…")
            )
        self._drain(ctx)
        self._followed(ctx, done_if_landed=False)  # already past it (Entrée sent the form)?

    def show(self, ctx: StepContext) -> None:
        # what the person did for the previous step (a radio fires click *and* change) must
        # not complete this one
        self.events = deque(e for e in self.events if e.get("type") != Event.TARGET)
        self._offer_resume(ctx)
        self._furniture_first(ctx)
        if ctx.number and self.keep_progress:  # from the page's first step: what was typed there goes
            step_id, number = ctx.page_start or (ctx.step.id, ctx.number)
            progress.save(ctx.loaded, step_id, number, ctx.answers)
        if not ctx.step.outside:
            self.last_known = self.session.url
        self._show(ctx, self._nav(ctx, next_button=not ctx.step.acts))
        self._remember(ctx, value=False)

    def perform(self, ctx: StepContext) -> None:
        step = ctx.step
        if self.autoplay_s is not None:
            self._pause()
            do_action(ctx, self.timeout_ms)
            return
        if step.outside or not step.acts:
            self._wait(
                lambda e: e.get("type") == Event.BUTTON and e.get("id") == Button.NEXT,
                until=self._landed_if(ctx),
                on_paste=self._open_pasted,
                ctx=ctx,
            )
            return
        wanted = set(action_named(step.action).listen) if step.action else set()
        self._wait(
            lambda e: e.get("type") == Event.TARGET and e.get("event") in wanted, until=self._landed_if(ctx), ctx=ctx
        )
        self._remember(ctx, value=True)

    def _remember(self, ctx: StepContext, value: bool) -> None:
        """--capture: the variable a fill step's field holds, read from the field (its name when
        shown, its value once done); a page already gone leaves the form's own record to read."""
        variables = VARIABLE_REF.fullmatch((ctx.step.value or "").strip())
        if not self.remember_typed or ctx.step.action != "fill" or ctx.locator is None or variables is None:
            return
        try:
            if not value:
                self.field_names[variables[1]] = ctx.locator.get_attribute("name", timeout=500) or ""
                self._field_page = self.session.url
            elif self.session.url == self._field_page:  # moved on (Entrée): a field there is another's
                typed = ctx.locator.input_value(timeout=500)
                if typed:
                    self.typed[variables[1]] = typed
        except PlaywrightError:
            pass

    def landed(self, ctx: StepContext) -> None:
        pass

    def drifted(self, ctx: StepContext, drift: Drift) -> None:
        """Say what went wrong in the person's words: a silent site, or a page that changed."""
        if _network(drift):
            self._site_silent(ctx, drift)
        self.drifts.append(drift)
        if self.autoplay_s is not None:  # nobody to ask: a demo stops at the first drift
            raise Stop()
        ctx.locator = None
        self._show(
            ctx,
            [_button(Button.SKIP, self.say("Skip this step")), self._quit_button()],
            status=Status.DRIFT,
            message=self._drift_words(ctx, drift),
        )
        self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") == Button.SKIP)
        raise Skip()

    def lost(self, ctx: StepContext, url: str, known: str) -> None:
        """The person is on a page the flow does not know: say where, offer the way back."""
        if self.autoplay_s is not None:
            raise Stop()
        message = self.say(
            "You are on a page this guide does not know ({url}). You can go back to the last "
            "page of the guide, or quit.",
            url=url,
        )
        self._show(
            replace(ctx, locator=None),
            [_button(Button.BACK, self.say("Go back"), primary=True), self._quit_button()],
            status=Status.DRIFT,
            message=message,
        )
        self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") == Button.BACK)
        self._goto(self.last_known or known)

    def _offer_resume(self, ctx: StepContext) -> None:
        """The previous run stopped at step N: pick up there, or start again."""
        offer, self.offer = self.offer, None
        if offer is None:
            return
        resume = self.say("Resume at step {number}", number=offer.number)
        self._show(
            replace(ctx, locator=None),
            [_button(Button.RESUME, resume, primary=True), _button(Button.RESTART, self.say("Start again"))],
            instruction=self.say("Last time you stopped at step {number}.", number=offer.number),
        )
        answer = self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") in (Button.RESUME, Button.RESTART))
        if answer is not None and answer.get("id") == Button.RESUME:
            raise ResumeAt(Resume(offer.step_id, offer.answers))

    # --- what to say ---------------------------------------------------------------------------

    def _drift_words(self, ctx: StepContext, drift: Drift) -> str:
        named = locate.describe(ctx.step.target) if ctx.step.target else ""
        say = self.say
        texts = {
            problems.MISSING: say("This page no longer matches the guide: {what} cannot be found.", what=named),
            problems.HIDDEN: say("This page no longer matches the guide: {what} is not shown.", what=named),
            problems.AMBIGUOUS: say(
                "This page no longer matches the guide: {what} appears more than once, and "
                "the guide cannot tell which one to use.",
                what=named,
            ),
            problems.DISABLED: say("{what} cannot be used on this page for now.", what=named),
            problems.COVERED: say("{what} is hidden by something else on the page.", what=named),
            problems.NOT_RESPONDING: say("The page no longer responds."),
            problems.CRASHED: say("The page stopped working."),
        }
        text = texts.get(drift.problem, say("This page is not the one the guide expected."))
        return text + " " + say("You can skip this step or quit the guide.")

    def _site_silent(self, ctx: StepContext, drift: Drift) -> None:
        """The site does not answer (network, certificate, down): not drift. Retry, or quit."""
        certificate = "CERT" in drift.found
        message = (
            self.say("The site's connection is not secure: the guide will not open it.")
            if certificate
            else self.say("The site does not respond. Check your connection, then try again.")
        )
        if self.autoplay_s is not None:
            self.drifts.append(drift)
            raise Stop()
        try:  # the browser's own error page takes no overlay: a plain page holds the card
            self.session.page.set_content(f"<!doctype html><title>{html.escape(ctx.loaded.flow.title)}</title>")
        except PlaywrightError:
            pass
        self._show(
            replace(ctx, locator=None),
            [_button(Button.RETRY, self.say("Try again"), primary=True), self._quit_button()],
            status=Status.DRIFT,
            message=message,
        )
        self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") == Button.RETRY)
        raise Retry()

    def _quit_button(self) -> dict[str, Any]:
        return _button(Button.QUIT, self.say("Quit"))

    def _nav(self, ctx: StepContext, next_button: bool) -> list[dict[str, Any]]:
        buttons = [_button(Button.PREV, self.say("Previous"))] if ctx.number > 1 else []
        if next_button:
            buttons.append(_button(Button.NEXT, self.say("Next"), primary=True))
        return [*buttons, self._quit_button()]

    # --- waiting for the person -----------------------------------------------------------------

    def _wait(
        self,
        accept: Callable[[dict[str, Any]], bool],
        until: Callable[[], bool] | None = None,
        on_paste: Callable[[str], None] | None = None,
        ctx: StepContext | None = None,
    ) -> dict[str, Any] | None:
        """Pump the browser's events until one is accepted, or `until()` holds."""
        while True:
            while self.events:
                event = self.events.popleft()
                self._global(event, ctx)
                if event.get("type") == Event.PASTE and on_paste:
                    on_paste(str(event.get("value", "")))
                elif accept(event):
                    return event
            if until and until():
                return None
            if ctx is not None:
                self._followed(ctx)
            if self._navigated and ctx is not None:  # a full load wiped the overlay: draw it again
                self._navigated = False
                self._back_in_new_tab()
                self._restart_reloaded_page(ctx)
                self._redraw(ctx)
            self._pump()

    def _restart_reloaded_page(self, ctx: StepContext) -> None:
        """The page was loaded afresh (F5) in the middle of its steps: what the person chose or
        typed there is gone, so the engine takes them back to the page's first step."""
        reloaded, self._reloaded = self._reloaded, False
        first = ctx.page_start[1] if ctx.page_start else ctx.number
        if reloaded and self.shown is ctx and not ctx.step.outside and first < ctx.number:
            raise MovedTo(self.session.url)

    def _followed(self, ctx: StepContext, done_if_landed: bool = True) -> None:
        """The person left the step's page their own way: the engine finds where they are."""
        step = ctx.step
        if step.outside or self.shown is not ctx or not self.last_known or self.autoplay_s is not None:
            return  # reading e-mail, or not shown yet: leaving is expected
        here = self.session.url
        if here == self.last_known or here.startswith(("about:", "chrome")):
            return
        lands = ctx.loaded.flow.pages[step.lands] if step.lands else None
        if done_if_landed and lands is not None and url_matches(lands, here):
            return  # arriving where the step leads completes it (see _landed_if)
        known = ctx.loaded.flow.pages
        if any(url_matches(page, here) and url_matches(page, self.last_known) for page in known.values()):
            return  # the same page of the flow (another query, an anchor)
        raise MovedTo(here)

    def _global(self, event: dict[str, Any], ctx: StepContext | None) -> None:
        kind, ident = event.get("type"), event.get("id") or event.get("key")
        if (kind == Event.BUTTON and ident == Button.QUIT) or (kind == Event.KEY and ident == Key.QUIT):
            self._confirm_quit(ctx)
        if (kind == Event.BUTTON and ident == Button.PREV) or (kind == Event.KEY and ident == Key.PREV):
            raise GoBack()
        if kind == Event.KEY and ident == Key.NEXT:
            event.update(type=Event.BUTTON, id=Button.NEXT)

    def _confirm_quit(self, ctx: StepContext | None) -> None:
        """Échap or « Quitter »: ask first; what was done is kept for next time."""
        if ctx is None or self.autoplay_s is not None:
            raise Stop()
        self._show(
            replace(ctx, locator=None),
            [
                _button(Button.LEAVE, self.say("Quit the guide"), primary=True),
                _button(Button.STAY, self.say("Continue")),
            ],
            status=Status.DRIFT,
            message=self.say("Quit the guide? You can pick up at this step next time."),
        )
        answer = self._wait(lambda e: e.get("type") == Event.BUTTON and e.get("id") in (Button.LEAVE, Button.STAY))
        if answer is not None and answer.get("id") == Button.LEAVE:
            raise Stop()
        self._redraw(ctx)

    def _drain(self, ctx: StepContext | None = None) -> None:
        """Handle quit/back while the person waits for a page."""
        while self.events:
            self._global(self.events.popleft(), ctx)

    def _pump(self, ms: float = 50) -> None:
        try:
            self.session.page.wait_for_timeout(ms)
        except PlaywrightError:  # the tab was closed: go on in another one, or pause
            self._tab_closed()
        if self.idle:
            self.idle(self)

    def _tab_closed(self) -> None:
        """The person closed the tab: go on in another, or wait for a new one (the guide pauses)."""
        pages = [p for p in self.session.context.pages if not p.is_closed()]
        if pages:
            page = pages[-1]
        else:
            try:
                page = self.session.context.wait_for_event("page", timeout=0)  # until the person opens one
            except PlaywrightError:  # the browser itself was closed
                raise Stop() from None
        self.session.page = page
        if self.last_known and page.url in ("", "about:blank"):  # a new empty tab: back to where they were
            self._goto(self.last_known)
        self._navigated = True

    def _back_in_new_tab(self) -> None:
        """An empty tab the person opened (not one the site did): take them back where they were,
        to the first step of that page (what they had typed there went with the closed tab)."""
        page = self.session.page
        try:
            blank = page.url in ("", "about:blank") and page.opener() is None
        except PlaywrightError:
            return
        if blank and self.last_known:
            self._goto(self.last_known)
            raise MovedTo(self.last_known)

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
            self._goto(url)

    def _goto(self, url: str) -> None:
        try:
            self.session.page.goto(url, timeout=self.timeout_ms)
        except PlaywrightError:
            pass  # the next look at the page says what is wrong
        self._navigated = True

    # --- drawing --------------------------------------------------------------------------------

    def _show(self, ctx: StepContext, buttons: list[dict[str, Any]], **kwargs: Any) -> None:
        self.shown = ctx
        self._card = (ctx, buttons, kwargs)
        # The overlay says each card once per page; a new page (a reload, Entrée on a form that
        # stays) brings a new overlay: the card it redraws was already said, so it stays silent.
        words = (ctx.step.id, kwargs.get("status"), kwargs.get("message"), kwargs.get("instruction"))
        try:
            overlay.show(ctx, self.session.page, buttons=buttons, say=self.say, announce=words != self._said, **kwargs)
        except PlaywrightError:
            self._navigated = True  # drawn on a page that went away: redraw on the next one
            return
        self._said = words

    def _furniture_first(self, ctx: StepContext) -> None:
        """A banner or notice on the page: the person closes it first, then the step goes on."""
        if self.autoplay_s is not None:
            return  # closed automatically (runner)
        for piece in furniture.showing(self.session.page, ctx.loaded.flow.furniture):
            shown = furniture.appears(self.session.page, piece)
            button = furniture.closer(shown, piece)
            message = self.say(
                "First close {name}: click « {button} ».", name=piece.name, button=locate.words_of(piece.dismiss)
            )
            self._show(replace(ctx, locator=button), [self._quit_button()], instruction=message)
            self._wait(lambda e: False, until=lambda: not shown.count())  # noqa: B023 - waited for here
        self.events = deque(e for e in self.events if e.get("type") != Event.TARGET)

    def _redraw(self, ctx: StepContext) -> None:
        if self._card is not None and self._card[2] and self._card[2].get("status") == Status.DRIFT:
            self._show(*self._card[:2], **self._card[2])  # a question to the person: ask it again as it was
            return
        self._furniture_first(ctx)
        if ctx.step.options:  # a question: its answers again
            self._show(ctx, [_button(o.id, o.label) for o in ctx.options] + self._nav(ctx, next_button=False))
            return
        if ctx.step.target is not None:
            try:
                ctx.locator = self.session.find(ctx.step.target, 1000)
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
            self._reloaded = page.url == self.last_known  # the same page, loaded afresh (F5)


def _network(drift: Drift) -> bool:
    """Drift that is only the site not answering: a person retries, nothing changed in the guide."""
    return drift.problem == "page did not open" and any(word in drift.found for word in NETWORK)


@dataclass
class LiveOutcome:
    finished: bool  # walked to the last step (else the person quit)
    drifts: list[Drift]
    reports: list[DriftReport]  # the drifts as guide check words them, secrets masked
    captured: CaptureResult | None = None  # --capture: the fixtures tree made of the walk


@dataclass
class LiveOptions:
    """How the person's browser is set up (guide live's options)."""

    fixtures: Path | None = None  # serve the pages from fixtures (demos, training)
    start_url: str | None = None
    given: dict[str, str] = field(default_factory=dict)  # --var: values for autoplay
    autoplay_s: float | None = None
    headless: bool = False
    browser_path: str | None = None
    channel: str | None = None  # chrome, msedge: the installed browser
    device: str | None = None  # a Playwright device name: "iPhone 13"
    profile: Path | None = None  # a persistent browser profile (logins, cookies) kept between runs
    lang: str | None = None  # overrides the flow's lang
    wait_s: float = 20.0
    resume: Resume | None = None
    answers: dict[str, str] = field(default_factory=dict)  # autoplay: which option to take
    capture: CaptureOptions | None = None  # --capture DIR: keep the walk's pages as fixtures


def run_live(
    loaded: LoadedFlow, options: LiveOptions | None = None, idle: Callable[[Person], None] | None = None, **legacy: Any
) -> LiveOutcome:
    """Open a browser on the flow's first page (or where `resume` says) and guide the person."""
    from playwright.sync_api import sync_playwright

    from .browser import launch, resolve_browser
    from .runner import LIVE, ContextMaker, run_branch

    options = options or LiveOptions(**legacy)
    flow = loaded.flow
    say = words(language(flow.lang, options.lang))
    # Against fixtures the test values fit the pages. On the real site the person types in the
    # page: values are needed by --autoplay only, and the command line gathered them beforehand.
    values = (
        Values.for_fixtures(flow)
        if options.fixtures
        else Values.for_person(flow, options.given, interactive=False, missing_ok=options.autoplay_s is None)
    )

    offer = None
    # --capture needs the whole walk in this run (what was typed before is not known to scrub)
    if options.resume is None and options.autoplay_s is None and options.capture is None:
        last = progress.load(loaded)
        offer = last if last is not None and last.number > 1 else None

    def person(session: Session) -> Person:
        return Person(
            session,
            values,
            say,
            wait_ms=options.wait_s * 1000,
            autoplay_s=options.autoplay_s,
            idle=idle,
            answers=options.answers,
            keep_progress=options.autoplay_s is None,
            offer=offer,
            # a demo on fixtures plays the mailbox too; on the real site the person reads it
            simulates_outside=options.autoplay_s is not None and options.fixtures is not None,
            remember_typed=options.capture is not None,
        )

    with ExitStack() as stack, sync_playwright() as playwright:
        recording = None
        if options.capture is not None:
            recording = LiveRecording.into(options.capture, stack.enter_context(private_folder()), flow)
        recorded = recording.context_args() if recording else {}
        # every host from a mirror (--from-url BASE): nothing needs the network, as with --fixtures
        offline = options.fixtures is not None or (options.capture is not None and options.capture.mirrors_every_host)
        spec = replace(LIVE, args=_context_args(playwright, options), lang=language(flow.lang, options.lang))
        make_context: ContextMaker
        close: Callable[[], None] | None
        if options.profile is not None:
            # a browser of the person's own: logins and cookies stay from one run to the next
            options.profile.mkdir(parents=True, exist_ok=True)
            executable = None if options.channel else resolve_browser(options.browser_path, playwright).executable
            from .browser import launch_args
            from .matching import register

            register(playwright)
            context = playwright.chromium.launch_persistent_context(
                options.profile,
                headless=options.headless,
                channel=options.channel,
                executable_path=executable,
                args=launch_args(offline=offline),
                **spec.args,
                **recorded,
            )
            if recording is not None:
                recording.install(context)
            make_context, close = (lambda: context), None  # run_branch closes it, and so the browser
        else:
            browser = launch(  # an installed Chrome/Edge (--channel) gets the same offline switches
                playwright,
                None if options.channel else resolve_browser(options.browser_path, playwright),
                headless=options.headless,
                offline=offline,
                channel=options.channel,
            )

            def make_context() -> BrowserContext:
                context = browser.new_context(**spec.args, **recorded)
                if recording is not None:
                    recording.install(context)
                return context

            close = browser.close
        try:
            run = run_branch(
                loaded,
                "live",
                make_context,
                spec,
                options.fixtures,
                person,
                values,
                start_url=options.start_url,
                close_furniture=options.autoplay_s is not None,
                resume=options.resume,
            )
        finally:
            if close is not None:
                close()
        # a drift the person could not skip (the start page did not match) ends the guide
        drifts = run.performer.drifts + ([run.drift] if run.drift is not None else [])
        finished = not run.stopped and run.drift is None
        captured = None
        if recording is not None:  # the context is closed: its HAR is written
            walked = run.performer
            captured = recording.finish(loaded, finished and not drifts, walked.typed, walked.field_names)
    if finished and options.autoplay_s is None:
        progress.clear(loaded)
    return LiveOutcome(finished, drifts, [DriftReport.from_drift(d, values) for d in drifts], captured)


def _context_args(playwright: Any, options: LiveOptions) -> dict[str, Any]:
    """The window a person lives in: the page fills it and follows its size, or a phone's."""
    from .runner import LIVE

    args = dict(LIVE.args)
    if options.device:
        device = dict(playwright.devices[options.device])
        device.pop("default_browser_type", None)
        return {**args, **device}
    if options.headless:
        return args  # no window to fill: the check's 1280×720
    args.pop("viewport", None)
    return {**args, "no_viewport": True}
