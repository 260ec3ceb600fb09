"""`guide check`: replay every branch of every flow against the fixtures.

One browser per run, a fresh context per branch. A branch that drifts is replayed once more
with tracing on, so passing runs pay nothing for traces and failing ones leave a screenshot
and a trace (secrets redacted) under the output folder.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator

from .engine import Branch, Drift, Engine, Session, StepContext, branches, do_action, locate_strictly
from .loader import LoadedFlow
from .model import Option
from .report import BranchResult, DriftReport
from .routing import FixtureRouter
from .secrets import Values, redact_zip

VIEWPORT = {"width": 1280, "height": 720}
# Every context a check opens: deterministic size, language, clock zone and motion.
CONTEXT_ARGS: dict = {"viewport": VIEWPORT, "locale": "fr-FR", "timezone_id": "Europe/Paris",
                      "service_workers": "block", "reduced_motion": "reduce"}
# Makes a routed context for a branch: the default opens one on a browser; the pytest plugin
# passes pytest-playwright's `new_context`, so its tracing/screenshot/video options apply.
ContextMaker = Callable[[FixtureRouter], BrowserContext]


@dataclass
class CheckOptions:
    fixtures: Path = Path("fixtures")
    out: Path = Path("guide-results")
    timeout_ms: float = 3000
    artifacts: bool = True  # screenshot + trace of a drifting branch


@dataclass
class AutoPilot:
    """Performs each step itself, as fast as the page allows: the check's performer."""

    answers: dict[str, str]
    values: Values
    timeout_ms: float = 3000
    simulates_outside: bool = True
    steps: int = 0
    secret_fields: list[Locator] = field(default_factory=list)

    def choose(self, ctx: StepContext) -> Option:
        wanted = self.answers.get(ctx.step.id)
        for option in ctx.options:
            if option.id == wanted:
                return option
        return ctx.options[0]

    def locate(self, ctx: StepContext) -> Locator:
        return locate_strictly(ctx, self.timeout_ms, self.values)

    def show(self, ctx: StepContext) -> None:
        self.steps += 1

    def perform(self, ctx: StepContext) -> None:
        if ctx.secret and ctx.locator is not None:
            self.secret_fields.append(ctx.locator)
        do_action(ctx, self.timeout_ms, self.values)

    def landed(self, ctx: StepContext) -> None:
        pass


def new_context(browser: Browser, router: FixtureRouter | None,
                reduced_motion: str | None = "reduce") -> BrowserContext:
    """A fresh, deterministic context; with a router, every request is served offline."""
    # CONTEXT_ARGS: the same settings the pytest plugin gives pytest-playwright's contexts
    context = browser.new_context(**{**CONTEXT_ARGS, "reduced_motion": reduced_motion})
    if router:
        router.install(context)
    return context


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "main"


def drift_report(drift: Drift, values: Values) -> DriftReport:
    """The report of a drift, every text that could hold a secret masked."""
    return DriftReport(drift.where, drift.step.id, values.mask(drift.step.instruction), drift.problem,
                       values.mask(drift.expected), values.mask(drift.found), drift.fix, values.mask(drift.url))


def blocked_warnings(router: FixtureRouter, values: Values) -> list[str]:
    return [f"blocked request outside the fixtures: {values.mask(b)}" for b in router.blocked]


def check_branch(browser: Browser | None, loaded: LoadedFlow, branch: Branch, options: CheckOptions,
                 trace_to: Path | None = None, make_context: ContextMaker | None = None) -> BranchResult:
    """Replay one branch in a fresh context; on drift, describe it (and keep artifacts)."""
    flow = loaded.flow
    values = Values.for_fixtures(flow)
    router = FixtureRouter(options.fixtures)
    if make_context is not None:
        context = make_context(router)
    else:
        assert browser is not None, "check_branch needs a browser or make_context"
        context = new_context(browser, router)
    page_errors: list[str] = []
    context.on("weberror", lambda error: page_errors.append(values.mask(str(error.error))))
    if trace_to:
        context.tracing.start(snapshots=True, screenshots=False, sources=False)
    pilot = AutoPilot(dict(branch.answers), values, options.timeout_ms)
    session = Session(context)
    result = BranchResult(flow.id, str(loaded.file), branch.name)
    started = time.perf_counter()
    try:
        Engine(loaded, session, pilot, values).run()
    except Drift as drift:
        result.drift = drift_report(drift, values)
        if trace_to:
            _keep_artifacts(result.drift, session, pilot, trace_to, values)
    finally:
        result.seconds = time.perf_counter() - started
        result.steps = pilot.steps
        if trace_to and not result.drift:
            context.tracing.stop()
        context.close()
    result.warnings += blocked_warnings(router, values)
    result.warnings += [f"page script error: {e}" for e in page_errors]
    return result


def _keep_artifacts(drift: DriftReport, session: Session, pilot: AutoPilot, folder: Path, values: Values) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    screenshot, trace = folder / "failure.png", folder / "trace.zip"
    masks = [session.page.locator("input[type=password]"), *pilot.secret_fields]
    session.page.screenshot(path=screenshot, mask=masks, mask_color="#000000", full_page=False)
    session.context.tracing.stop(path=trace)
    redact_zip(str(trace), values)
    drift.screenshot, drift.trace = str(screenshot), str(trace)


def check_one(browser: Browser, loaded: LoadedFlow, branch: Branch, options: CheckOptions) -> BranchResult:
    """One branch as `guide check` runs it: a fast pass, and a traced replay only on drift."""
    result = check_branch(browser, loaded, branch, options)
    if result.drift and options.artifacts:
        folder = options.out / loaded.flow.id / slug(branch.name)
        again = check_branch(browser, loaded, branch, options, trace_to=folder)
        if again.drift:  # same drift, now with its screenshot and trace
            again.seconds = result.seconds
            result = again
    return result


def check_flow(browser: Browser, loaded: LoadedFlow, options: CheckOptions, on_branch=None) -> list[BranchResult]:
    results = []
    for branch in branches(loaded.flow):
        result = check_one(browser, loaded, branch, options)
        results.append(result)
        if on_branch:
            on_branch(result)
    return results
