"""`guide shots`: the guide's screenshots, regenerated from the flow against the fixtures.

The `Camera` performer acts like the check's autopilot, but before each step it draws the
live overlay (guide.overlay, the very code a person sees) on the step's target and takes a
screenshot. Branches run through guide.runner like every other mode: drift during shots is
drift. Files are named by guide.numbering (DIR/<flow-id>/<NN>-<step-id>.png) and written by
guide.gallery, only once every branch of the flow went through.

Determinism: fixed viewport, device scale, locale, time zone, colour scheme and clock (runner.SHOTS);
reduced motion, animations and caret off, fonts loaded. The overlay lays itself out
synchronously in show() and the screenshot captures a fresh frame, so no extra wait is needed.
Secrets are masked with a solid box (guide/overlay/mask.js).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ElementHandle, Page

from . import furniture, masking, overlay
from .actions import action as action_named
from .autopilot import AutoPilot
from .check import CheckOptions, check_branch
from .engine import StepContext
from .loader import LoadedFlow
from .model import Option
from .numbering import Number, number_steps
from .reports import BranchResult, artifacts_folder
from .runner import CHECK, SHOTS, context_maker, run_branch
from .secrets import Values
from .tree import Branch, Path_, branches, walk
from .watchdog import branch_bound


@dataclass
class Camera(AutoPilot):
    """The autopilot, plus: draw the overlay and take the step's screenshot before acting.

    The overlay and the masks stay up after a shot, as the overlay stays up in live mode: the
    next shot redraws them, and a step that is not shot takes them down before it acts.
    """

    values: Values = field(default_factory=Values)
    numbers: dict[Path_, Number] = field(default_factory=dict)
    taken: dict[str, bytes] = field(default_factory=dict)  # file name -> PNG, shared by branches
    seconds: float = 0.0  # time spent drawing and shooting
    _drawn_on: Page | None = None  # the page our overlay and masks are up on
    _over_target: bool = False  # the card covers the target (nothing fitted beside it)

    def start(self, branch: Branch) -> Camera:
        """A new branch, in a new context: forget the pages of the previous one."""
        self.answers, self.secret_fields = dict(branch.answers), []
        self._drawn_on, self._over_target = None, False
        return self

    def choose(self, ctx: StepContext) -> Option:
        if self._wanted(ctx):
            self._shoot(ctx, None, buttons=[{"id": option.id, "label": option.label} for option in ctx.options])
        return super().choose(ctx)

    def show(self, ctx: StepContext) -> None:
        super().show(ctx)
        if self._wanted(ctx):
            # Draw on the very element the strict check validated, without resolving it again.
            pinned = ctx.locator.element_handle(timeout=self.timeout_ms) if ctx.locator is not None else None
            self._shoot(ctx, pinned)
        else:
            self._take_down()

    def perform(self, ctx: StepContext) -> None:
        pointer = action_named(ctx.step.action).pointer if ctx.step.action else "none"
        if self._over_target and pointer != "none":
            self._take_down()  # the card would catch the pointer meant for the target
        super().perform(ctx)
        if pointer == "click":
            # Left over the clicked spot, the pointer would hover whatever the next page puts
            # there, whenever Chromium gets round to it: park it where nothing reacts.
            ctx.page.mouse.move(0, 0)
        if ctx.secret and ctx.locator is not None and ctx.step.action == "fill":
            masking.remember_secret_field(ctx.locator)

    def _wanted(self, ctx: StepContext) -> bool:
        number = self.numbers.get(ctx.path)
        return number is not None and number.file_name not in self.taken  # shared steps: first branch only

    def _shoot(self, ctx: StepContext, pinned: ElementHandle | None, **card: Any) -> None:
        started = time.perf_counter()
        page, number = ctx.page, self.numbers[ctx.path]
        furniture.close_all(page, ctx.loaded.flow.furniture, self.timeout_ms)  # never in a screenshot
        drawn = replace(ctx, locator=pinned) if pinned is not None else ctx
        overlay.show(drawn, page, **card)
        self._drawn_on = page
        placed = masking.cover(page, self.values)
        if placed["raise"]:  # the page has top-layer elements: masks went above them, overlay too
            overlay.show(drawn, page, **card)
        self._over_target = placed["over"]
        self.taken[number.file_name] = page.screenshot(type="png", animations="disabled", caret="hide", scale="device")
        self.seconds += time.perf_counter() - started

    def _take_down(self) -> None:
        page, self._drawn_on, self._over_target = self._drawn_on, None, False
        if page is not None and not page.is_closed():
            masking.uncover(page)


# --- one flow ------------------------------------------------------------------------------


@dataclass
class ShotOptions:
    out: Path
    fixtures: Path = Path("fixtures")
    results: Path = Path("guide-results")  # screenshot and trace of a drifting branch
    timeout_ms: float = 3000
    check: bool = False  # compare with the files instead of writing them
    tolerance: float = 0.0  # per-pixel colour distance ignored, 0–1
    max_diff_pixels: int = 0  # pixels allowed to differ before a file counts as changed
    artifacts: bool = True
    force: bool = False  # replace files guide did not write (or that were edited since)
    prune: bool = False  # remove the screenshots of steps that no longer exist


@dataclass
class FlowShots:
    """What one flow produced: screenshots by file name, or the drift that stopped it."""

    loaded: LoadedFlow
    shots: dict[str, bytes] = field(default_factory=dict)
    drift: BranchResult | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    shooting: float = 0.0  # of which drawing the overlay and taking screenshots

    @property
    def flow_id(self) -> str:
        return self.loaded.flow.id


def shoot_flow(
    browser: Browser, loaded: LoadedFlow, options: ShotOptions, camera_type: type[Camera] = Camera
) -> FlowShots:
    """Every branch that still has a step to shoot; stops at the first drift."""
    flow = loaded.flow
    started = time.perf_counter()
    values = Values.for_fixtures(flow)
    camera = camera_type({}, options.timeout_ms, values=values, numbers=number_steps(flow))
    outcome = FlowShots(loaded)
    make_context = context_maker(browser, SHOTS)
    for branch in branches(flow):
        paths = [node.path for node in walk(flow.steps, dict(branch.answers))]
        if all(camera.numbers[p].file_name in camera.taken for p in paths):
            continue  # nothing new to see in this branch
        result = run_branch(
            loaded,
            branch.name,
            make_context,
            SHOTS,
            options.fixtures,
            lambda session: camera.start(branch),  # noqa: B023 - called here
            values,
            deadline_s=branch_bound(len(paths), options.timeout_ms / 1000),
        ).result
        outcome.warnings += result.warnings
        if result.drift:
            outcome.drift = _with_artifacts(browser, loaded, branch, result, options)
            break
    outcome.shots = {} if outcome.drift else dict(camera.taken)
    outcome.seconds = time.perf_counter() - started
    outcome.shooting = camera.seconds
    return outcome


def _with_artifacts(
    browser: Browser, loaded: LoadedFlow, branch: Branch, result: BranchResult, options: ShotOptions
) -> BranchResult:
    """Replay the branch as the check does, to keep its screenshot and trace."""
    if not options.artifacts:
        return result
    check = CheckOptions(fixtures=options.fixtures, out=options.results, timeout_ms=options.timeout_ms)
    folder = artifacts_folder(options.results, loaded.flow.id, branch.name)
    again = check_branch(context_maker(browser, CHECK), loaded, branch, check, artifacts=folder)
    if again.drift:
        again.seconds, again.warnings = result.seconds, result.warnings
        return again
    result.warnings.append(
        "this drift happens only with the overlay drawn: the overlay may be in the "
        "way of the page (report it with the flow and the fixtures)"
    )
    return result


# --- the whole run -------------------------------------------------------------------------


@dataclass
class RunResult:
    flows: list[FlowShots] = field(default_factory=list)
    saved: list[Any] = field(default_factory=list)  # gallery.Saved, one per flow without drift

    @property
    def drifted(self) -> bool:
        return any(f.drift for f in self.flows)

    @property
    def changed(self) -> bool:
        return any(s.changes for s in self.saved)

    def total(self, kind: str) -> int:
        if kind == "unchanged":
            return sum(s.unchanged for s in self.saved)
        return sum(s.count(kind) for s in self.saved)


def run(
    browser: Browser, loaded: list[LoadedFlow], options: ShotOptions, on_flow: Callable[[FlowShots], None] | None = None
) -> RunResult:
    """Shoot every flow; save (or compare) each flow that went through without drift."""
    from .gallery import save
    from .manifest import Manifest

    result = RunResult()
    manifest = Manifest.load(options.out)
    for item in loaded:
        outcome = shoot_flow(browser, item, options)
        result.flows.append(outcome)
        if not outcome.drift:
            result.saved.append(save(outcome, options, manifest))
        if on_flow:
            on_flow(outcome)
    if result.saved:
        manifest.save()
    return result
