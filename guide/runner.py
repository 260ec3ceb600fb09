"""Running one branch of a flow: the browser context, routing, the engine and its result.

`guide check`, `guide shots`, `guide live` and the pytest plugin all run branches through
`run_branch`; they differ only in the performer they hand the engine and in the context they
ask for (`CHECK`, `SHOTS`, `LIVE` below).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError

from . import masking, overlay, problems
from .browser import marker_of
from .engine import Drift, Engine, Performer, Resume, Stop
from .files import private_folder, publish_private
from .loader import LoadedFlow
from .reports import BranchResult, DriftReport, Walked
from .routing import Blocked, FixtureRouter, summarise
from .secrets import Values, redact_zip
from .session import Session, first_line
from .watchdog import watching

VIEWPORT = {"width": 1280, "height": 720}
TIMEZONE = "Europe/Paris"
# Pages showing "today" or a date computed from it must not change from one screenshot run
# to the next.
SCREENSHOT_CLOCK = datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo(TIMEZONE))


@dataclass(frozen=True)
class ContextSpec:
    """What kind of browser context a mode needs."""

    args: dict[str, Any]  # browser.new_context(**args)
    overlay: bool = False  # inject the overlay into every page
    clock: datetime | None = None  # a fixed clock (screenshots)
    lang: str = "fr"  # the overlay's own words


# Deterministic size, language, clock zone and motion: the check's settings.
CHECK = ContextSpec(
    {
        "viewport": VIEWPORT,
        "locale": "fr-FR",
        "timezone_id": TIMEZONE,
        "service_workers": "block",
        "reduced_motion": "reduce",
    }
)
# The same, pinned further so that pixels are the same on every run.
SHOTS = ContextSpec(
    {**CHECK.args, "screen": VIEWPORT, "device_scale_factor": 1, "color_scheme": "light", "forced_colors": "none"},
    overlay=True,
    clock=SCREENSHOT_CLOCK,
)
# A person's browser: their motion preferences count.
LIVE = ContextSpec({**CHECK.args, "reduced_motion": None}, overlay=True)

ContextMaker = Callable[[], BrowserContext]
P = TypeVar("P", bound=Performer)


def prepare(context: BrowserContext, spec: ContextSpec, fixtures: Path | None) -> FixtureRouter | None:
    """Route a fresh context to the fixtures (when given), with the overlay and clock asked."""
    if spec.clock is not None:
        context.clock.set_fixed_time(spec.clock)
    router = FixtureRouter(fixtures) if fixtures is not None else None
    if router is not None:
        router.install(context)
    if spec.overlay:
        overlay.install(context, spec.lang)
    return router


def open_context(browser: Browser, spec: ContextSpec, fixtures: Path | None) -> BrowserContext:
    """A fresh context of `spec`'s kind, routed to the fixtures when given (benchmarks, tests)."""
    context = browser.new_context(**spec.args)
    prepare(context, spec, fixtures)
    return context


def context_maker(browser: Browser, spec: ContextSpec) -> ContextMaker:
    """Fresh contexts on `browser`, for run_branch (the pytest plugin passes its own)."""
    return lambda: browser.new_context(**spec.args)


@dataclass
class Run(Generic[P]):
    """A branch's result, and the performer that walked it (its screenshots, its drifts)."""

    result: BranchResult
    performer: P
    stopped: bool = False  # the person quit
    drift: Drift | None = None  # what ended the branch, if a drift did
    answers: dict[str, str] = field(default_factory=dict)


def run_branch(
    loaded: LoadedFlow,
    branch: str,
    make_context: ContextMaker,
    spec: ContextSpec,
    fixtures: Path | None,
    make_performer: Callable[[Session], P],
    values: Values,
    *,
    start_url: str | None = None,
    artifacts: Path | None = None,
    close_furniture: bool = True,
    before_close: Callable[[BrowserContext], None] | None = None,
    deadline_s: float | None = None,
    resume: Resume | None = None,
    trace: bool = True,
) -> Run[P]:
    """Walk one branch in a fresh context; on drift, describe it (and keep artifacts).

    `close_furniture`: close the flow's banners and notices whenever they get in the way (not
    in live mode, where the person is asked to). `before_close`: a last look at the context
    (the pytest plugin masks secrets before pytest-playwright's screenshot). `deadline_s`:
    the most the branch may take (guide.watchdog); past it, its pages are ended and the branch
    is reported as a page that no longer responds. `artifacts`: where a drift's screenshot (and,
    with `trace`, its Playwright trace) go.
    """
    trace = trace and artifacts is not None
    context = make_context()
    router = prepare(context, spec, fixtures)
    page_errors: list[str] = []
    context.on("weberror", lambda error: page_errors.append(str(error.error)))
    crashed: list[str] = []  # a renderer that died mid-step can read as any drift: say it crashed
    context.on("page", lambda page: page.on("crash", lambda gone: crashed.append(gone.url)))
    if trace:
        context.tracing.start(snapshots=True, screenshots=False, sources=False)
    try:
        session = Session(context)
    except PlaywrightError:  # the renderer died as the tab was made (a crash elsewhere): one more tab
        session = Session(context)
    performer = make_performer(session)
    if close_furniture:
        session.close_furniture_automatically(loaded.flow.furniture, performer.timeout_ms)
    engine = Engine(loaded, session, performer, values, start_url=start_url)
    run = Run(BranchResult(loaded.flow.id, str(loaded.file), branch), performer)
    started = time.perf_counter()
    traced = False
    try:
        with watching(deadline_s, marker_of(context.browser)) as watch:
            try:
                run.answers = engine.run(resume)
            except PlaywrightError as error:  # the page crashed, hung (ended by the watchdog) or flooded
                raise unresponsive(engine, error, watch is not None and watch.expired, deadline_s) from None
    except Stop:
        run.stopped = True
    except Drift as drift:
        if crashed and drift.problem not in GONE:
            drift = unresponsive(engine, PlaywrightError(f"the renderer of {crashed[0]} crashed"), False, deadline_s)
        run.drift = drift
        run.result.drift = DriftReport.from_drift(drift, values)
        if router is not None:
            run.result.drift.blocked = blocked_during_step(router.blocked, engine.step_started, values)
        if artifacts is not None and drift.problem not in GONE:
            keep_artifacts(run.result.drift, session, performer, artifacts, values, trace)
            traced = trace
    finally:
        run.result.seconds = time.perf_counter() - started
        run.result.steps = engine.steps
        run.result.flow_title = loaded.flow.title
        run.result.walked = [
            Walked(step.id, loaded.where(path), values.mask(step.instruction), simulated)
            for step, path, simulated in engine.walked
        ]
        _close(context, trace and not traced, before_close)
    if router is not None:
        run.result.served = {
            url: None if file is None else file.relative_to(router.root).as_posix()
            for url, file in router.answered.items()
        }
        run.result.warnings += [values.mask(line) for line in summarise(router.blocked)]
        run.result.blocked = [values.mask(str(item)) for item in router.blocked]
    run.result.warnings += [f"page script error: {values.mask(e)}" for e in page_errors]
    return run


GONE = (problems.NOT_RESPONDING, problems.CRASHED)
SHOWN_BLOCKED = 5  # in a drift report; the warnings count them all


def blocked_during_step(blocked: list[Blocked], since: float, values: Values) -> list[str]:
    """The requests refused while the failing step ran: often the page or script it needed."""
    during = [values.mask(str(item)) for item in blocked if item.at >= since]
    more = len(during) - SHOWN_BLOCKED
    return during[:SHOWN_BLOCKED] + ([f"… and {more} more (see the warnings)"] if more > 0 else [])


def unresponsive(engine: Engine, error: PlaywrightError, expired: bool, deadline_s: float | None) -> Drift:
    """A page that stopped answering, as a drift of the step under way."""
    step, path = engine.current or (engine.flow.steps[0], ("steps", 0))
    where = engine.loaded.where(path)
    if expired:
        return Drift(
            where,
            step,
            problems.NOT_RESPONDING,
            "the page answering within the branch's bound",
            f"la page ne répond plus: nothing came back "
            f"in {deadline_s:.0f} s (a script that never ends, or a flood of windows)",
            problems.FIX_NOT_RESPONDING,
            engine.session.url,
        )
    return Drift(
        where,
        step,
        problems.CRASHED,
        "the page to keep running",
        f"la page a cessé de fonctionner: {first_line(error)}",
        problems.FIX_CRASHED,
        engine.session.url,
    )


def _close(context: BrowserContext, stop_tracing: bool, before_close: Callable[[BrowserContext], None] | None) -> None:
    """Close the context; after a crash it may be half gone: that is no new error."""
    try:
        if stop_tracing:
            context.tracing.stop()
        if before_close is not None:
            before_close(context)
        context.close()
    except PlaywrightError:
        pass


def keep_artifacts(
    drift: DriftReport, session: Session, performer: Performer, folder: Path, values: Values, trace: bool = True
) -> None:
    """A screenshot and a trace of a drift, with no secret in them.

    Both are made in a private temporary folder, the screenshot with every field and text
    showing a secret masked, the trace redacted; only then are they moved into `folder`.
    """
    screenshot, trace_file = folder / "failure.png", folder / "trace.zip"
    with private_folder() as work:
        masking.cover(session.page, values)
        fields = [session.page.locator("input[type=password]"), *getattr(performer, "secret_fields", [])]
        session.page.screenshot(path=work / screenshot.name, mask=fields, mask_color="#000000", full_page=False)
        publish_private(work / screenshot.name, screenshot)
        drift.screenshot = str(screenshot)
        if trace:
            session.context.tracing.stop(path=work / trace_file.name)
            redact_zip(work / trace_file.name, values)
            publish_private(work / trace_file.name, trace_file)
            drift.trace = str(trace_file)
