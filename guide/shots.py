"""`guide shots`: the guide's screenshots, regenerated from the flow against the fixtures.

The `Camera` performer acts like the check's autopilot, but before each step it draws the
live overlay (guide.overlay, the very code a person sees) on the step's target and takes a
screenshot. The engine loop is the one of guide.engine: drift during shots is drift.

Naming (stable, derived from the flow only, never from the order of a run):
  DIR/<flow-id>/<NN>-<step-id>.png
  * NN numbers the steps in document order, depth first: a question, then the steps of each
    of its options (alternatives) in turn, then the steps after the question. Every step has
    one number whatever branch reaches it, so a step shared by several branches is shot once
    (by the first branch, in document order, that reaches it) and keeps one file.
  * steps replayed against the fixtures for an outside step (`simulate:`) take their
    parent's number and a letter: 07a-…, 07b-….
  * NN has two digits, three when a flow has a hundred steps or more.

Determinism: fixed viewport, device scale, locale, time zone, colour scheme and clock; reduced
motion, animations and caret off, fonts loaded. The overlay lays itself out synchronously in
show() and the screenshot captures a fresh frame, so no extra wait is needed.
Secrets are masked with a solid box: password inputs, fields filled with a secret value,
and any text on the page that shows a secret value.

Files are only touched when their pixels changed, and only once every branch of the flow
went through: a drifting flow leaves its previous screenshots exactly as they were.
"""

from __future__ import annotations

import io
import re
import string
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageChops, ImageDraw, UnidentifiedImageError
from rich.console import Console
from rich.table import Table
from playwright.sync_api import Browser, BrowserContext, ElementHandle, Locator, Page

from . import overlay
from .check import CONTEXT_ARGS, VIEWPORT, AutoPilot, CheckOptions, blocked_warnings, check_branch, drift_report, slug
from .engine import Branch, Drift, Engine, Session, StepContext, branches
from .files import write_atomic
from .loader import LoadedFlow, Path_
from .model import Flow, Option, Step
from .report import BranchResult
from .routing import FixtureRouter
from .secrets import Values

SCALE = 1
TIMEZONE = CONTEXT_ARGS["timezone_id"]
# Pages showing "today" or a date computed from it must not change from one run to the next.
CLOCK = datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo(TIMEZONE))
MASK_COLOR = "#3b3b3b"
# Masks are boxes in the page itself, under the overlay (which sits in the top layer): the
# instruction card stays readable over them, unlike screenshot(mask=…), which paints over
# everything. They cover password inputs holding a value, fields the flow filled with a
# secret (marked when filled), fields whose value contains a secret, and every piece of
# text that shows a secret. Rectangles are snapped outwards to whole pixels.
# Says whether the page has top-layer elements of its own (the masks then go to the top
# layer too and the overlay is raised again above them), and whether the card had to sit
# over the target.
MASK = """([secrets, color]) => {
  const old = document.querySelector('guide-shot-masks'); if (old) old.remove();
  const boxes = [];
  const add = r => { if (r.width > 0 && r.height > 0) boxes.push(r); };
  // case-insensitive, unless lower-casing changes the length (offsets would no longer match)
  const fold = t => { const l = t.toLowerCase(); return l.length === t.length ? l : t; };
  secrets = secrets.map(fold);
  const filled = window.__guideSecretFields;
  for (const el of document.querySelectorAll('input, textarea')) {
    const v = fold(el.value || '');
    if ((el.type === 'password' && v) || (filled && filled.has(el)) || (v && secrets.some(s => v.includes(s))))
      add(el.getBoundingClientRect());
  }
  if (secrets.length && document.body) {
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const text = fold(node.data);
      for (const s of secrets) {
        for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length)) {
          range.setStart(node, at); range.setEnd(node, at + s.length);
          for (const r of range.getClientRects()) add(r);
        }
      }
    }
  }
  const over = !!(window.__guide && window.__guide.state().placement === 'over');
  let ownTopLayer = false;
  try { ownTopLayer = [...document.querySelectorAll(':modal, :popover-open')].some(e => e.localName !== 'guide-overlay-root'); } catch (e) {}
  if (!boxes.length) return document.fonts.ready.then(() => ({raise: false, over}));
  const host = document.createElement('guide-shot-masks');
  const style = (el, props) => { for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, 'important'); };
  style(host, {all: 'initial', position: 'fixed', inset: '0', margin: '0', padding: '0', border: '0', background: 'transparent',
               'pointer-events': 'none', 'z-index': '2147483646', overflow: 'visible', width: 'auto', height: 'auto'});
  for (const r of boxes) {
    const box = document.createElement('div');
    const left = Math.floor(r.left) - 1, top = Math.floor(r.top) - 1;
    style(box, {all: 'initial', display: 'block', position: 'absolute', left: left + 'px', top: top + 'px',
                width: (Math.ceil(r.right) + 1 - left) + 'px', height: (Math.ceil(r.bottom) + 1 - top) + 'px',
                background: color, margin: '0', padding: '0', border: '0'});
    host.appendChild(box);
  }
  document.documentElement.appendChild(host);
  if (ownTopLayer && host.showPopover) { host.setAttribute('popover', 'manual'); host.showPopover(); }
  return document.fonts.ready.then(() => ({raise: ownTopLayer, over}));
}"""
UNMASK = "() => { const m = document.querySelector('guide-shot-masks'); if (m) m.remove(); window.__guide && window.__guide.hide(); }"
POINTER_ACTIONS = ("click", "choose", "check", "uncheck")
MARK_SECRET = "el => { (window.__guideSecretFields = window.__guideSecretFields || new WeakSet()).add(el); }"
# Files this tool owns in a flow's folder: screenshots and --check diff images.
OWNED = re.compile(r"^\d{2,3}[a-z]*-[a-z0-9][a-z0-9-]*(\.diff)?\.png$")


# --- naming --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """Where a step's screenshot goes."""

    path: Path_  # the step's path in the flow (as the engine and the loader name it)
    step: Step
    number: str  # "07", "07a"
    simulated: bool = False

    @property
    def name(self) -> str:
        return f"{self.number}-{self.step.id}.png"


def _letters(index: int) -> str:
    """a, b, …, z, aa, ab…: simulated sub-steps of one step."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = string.ascii_lowercase[rest] + out
    return out


def plan(flow: Flow) -> dict[Path_, Shot]:
    """Every step's screenshot, keyed by the step's path, in document order."""
    ordered: list[tuple[Path_, Step]] = []

    def walk(steps: list[Step], path: Path_) -> None:
        for index, step in enumerate(steps):
            here = path + (index,)
            ordered.append((here, step))
            for number, option in enumerate(step.options):
                walk(option.steps, here + ("options", number, "steps"))

    walk(list(flow.steps), ("steps",))
    width = max(2, len(str(len(ordered))))
    shots: dict[Path_, Shot] = {}
    for position, (path, step) in enumerate(ordered, 1):
        number = f"{position:0{width}d}"
        shots[path] = Shot(path, step, number)
        for k, sub in enumerate(step.simulate):
            shots[path + ("simulate", k)] = Shot(path + ("simulate", k), sub, number + _letters(k), True)
    return shots


def branch_paths(flow: Flow, branch: Branch) -> list[Path_]:
    """The steps a branch walks through, in order (what the engine's queue will hold)."""
    answers = dict(branch.answers)
    found: list[Path_] = []

    def walk(steps: list[Step], path: Path_) -> None:
        for index, step in enumerate(steps):
            here = path + (index,)
            found.append(here)
            found.extend(here + ("simulate", k) for k in range(len(step.simulate)))
            for number, option in enumerate(step.options):
                if option.id == answers.get(step.id):
                    walk(option.steps, here + ("options", number, "steps"))

    walk(list(flow.steps), ("steps",))
    return found


# --- the performer -------------------------------------------------------------------------


@dataclass
class Camera(AutoPilot):
    """The autopilot, plus: draw the overlay and take the step's screenshot before acting.

    The overlay and the masks stay up after a shot, as the overlay stays up in live mode: the
    next shot redraws them, and a step that is not shot takes them down before it acts.
    """

    plan: dict[Path_, Shot] = field(default_factory=dict)
    taken: dict[str, bytes] = field(default_factory=dict)  # file name -> PNG, shared by branches
    seconds: float = 0.0  # time spent drawing and shooting
    _pinned: ElementHandle | None = None  # the target the strict check found, for the overlay
    _drawn_on: Page | None = None  # the page our overlay and masks are up on
    _over_target: bool = False  # the card covers the target (nothing fitted beside it)

    def start(self, branch: Branch) -> None:
        """A new branch, in a new context: forget the pages of the previous one."""
        self.answers, self.secret_fields, self.steps = dict(branch.answers), [], 0
        self._pinned, self._drawn_on, self._over_target = None, None, False

    def choose(self, ctx: StepContext) -> Option:
        if self._wanted(ctx):
            self._shoot(ctx, buttons=[{"id": option.id, "label": option.label} for option in ctx.options])
        return super().choose(ctx)

    def locate(self, ctx: StepContext) -> Locator:
        locator = super().locate(ctx)
        # Draw on the very element the strict check validated, without resolving it again.
        self._pinned = locator.element_handle(timeout=self.timeout_ms) if self._wanted(ctx) else None
        return locator

    def show(self, ctx: StepContext) -> None:
        super().show(ctx)
        if self._wanted(ctx):
            self._shoot(ctx)
        else:
            self._take_down()

    def perform(self, ctx: StepContext) -> None:
        if self._over_target and ctx.step.action in POINTER_ACTIONS:
            self._take_down()  # the card would catch the click meant for the target
        super().perform(ctx)
        if ctx.step.action in POINTER_ACTIONS:
            # Left over the clicked spot, the pointer would hover whatever the next page puts
            # there, whenever Chromium gets round to it: park it where nothing reacts.
            ctx.page.mouse.move(0, 0)
        if ctx.secret and ctx.locator is not None and ctx.step.action == "fill":
            # the page may reformat what was typed: remember the field, not the value
            ctx.locator.evaluate(MARK_SECRET)

    def _wanted(self, ctx: StepContext) -> bool:
        shot = self.plan.get(ctx.path)
        return shot is not None and shot.name not in self.taken  # shared steps: first branch only

    def _shoot(self, ctx: StepContext, **card: object) -> None:
        started = time.perf_counter()
        page, shot = ctx.page, self.plan[ctx.path]
        drawn = replace(ctx, locator=self._pinned) if self._pinned is not None else ctx
        overlay.show(drawn, page, **card)  # type: ignore[arg-type]
        self._drawn_on = page
        placed = page.evaluate(MASK, [self.values.secrets(), MASK_COLOR])
        if placed["raise"]:  # the page has top-layer elements: masks went above them, overlay too
            overlay.show(drawn, page, **card)  # type: ignore[arg-type]
        self._over_target = placed["over"]
        self.taken[shot.name] = page.screenshot(type="png", animations="disabled", caret="hide", scale="device")
        self._pinned = None
        self.seconds += time.perf_counter() - started

    def _take_down(self) -> None:
        page, self._drawn_on, self._over_target = self._drawn_on, None, False
        if page is not None and not page.is_closed():
            page.evaluate(UNMASK)


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


def new_context(browser: Browser, router: FixtureRouter) -> BrowserContext:
    """A deterministic context: same pixels on every run, every request from the fixtures."""
    # the check's settings (viewport, fr-FR, time zone, reduced motion), pinned further for pixels
    context = browser.new_context(**CONTEXT_ARGS, screen=VIEWPORT,
                                  device_scale_factor=SCALE, color_scheme="light", forced_colors="none")
    context.clock.set_fixed_time(CLOCK)
    router.install(context)
    overlay.install(context)
    return context


def shoot_branch(browser: Browser, loaded: LoadedFlow, branch: Branch, camera: Camera,
                 options: ShotOptions) -> BranchResult:
    """Replay one branch with the camera; the shots land in camera.taken."""
    router = FixtureRouter(options.fixtures)
    context = new_context(browser, router)
    result = BranchResult(loaded.flow.id, str(loaded.file), branch.name)
    camera.start(branch)
    started = time.perf_counter()
    try:
        Engine(loaded, Session(context), camera, camera.values).run()
    except Drift as drift:
        result.drift = drift_report(drift, camera.values)
    finally:
        result.seconds = time.perf_counter() - started
        result.steps = camera.steps
        context.close()
    result.warnings += blocked_warnings(router, camera.values)
    return result


def shoot_flow(browser: Browser, loaded: LoadedFlow, options: ShotOptions,
               camera_type: type[Camera] = Camera) -> FlowShots:
    """Every branch that still has a step to shoot; stops at the first drift."""
    flow = loaded.flow
    started = time.perf_counter()
    camera = camera_type({}, Values.for_fixtures(flow), options.timeout_ms, plan=plan(flow))
    outcome = FlowShots(loaded)
    for branch in branches(flow):
        if all(camera.plan[p].name in camera.taken for p in branch_paths(flow, branch)):
            continue  # nothing new to see in this branch
        result = shoot_branch(browser, loaded, branch, camera, options)
        outcome.warnings += result.warnings
        if result.drift:
            outcome.drift = _with_artifacts(browser, loaded, branch, result, options)
            break
    outcome.shots = {} if outcome.drift else dict(camera.taken)
    outcome.seconds = time.perf_counter() - started
    outcome.shooting = camera.seconds
    return outcome


def _with_artifacts(browser: Browser, loaded: LoadedFlow, branch: Branch, result: BranchResult,
                    options: ShotOptions) -> BranchResult:
    """Replay the branch as the check does, to keep its screenshot and trace."""
    if not options.artifacts:
        return result
    folder = options.results / loaded.flow.id / slug(branch.name)
    check = CheckOptions(fixtures=options.fixtures, out=options.results, timeout_ms=options.timeout_ms)
    again = check_branch(browser, loaded, branch, check, trace_to=folder)
    if again.drift:
        again.seconds, again.warnings = result.seconds, result.warnings
        return again
    result.warnings.append("this drift happens only with the overlay drawn: the overlay may be in the "
                           "way of the page (report it with the flow and the fixtures)")
    return result


# --- comparing and saving ------------------------------------------------------------------


@dataclass
class Comparison:
    differing: int  # pixels that differ beyond the tolerance
    diff: Image.Image | None = None


def decode(data: bytes | Path) -> Image.Image:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with Image.open(source) as image:
        return image.convert("RGBA")


def compare(old: Image.Image, new: Image.Image, tolerance: float = 0.0, want_diff: bool = False) -> Comparison:
    """Count the pixels whose colour moved more than `tolerance` (0–1) on any channel."""
    if old.size != new.size:  # lay both on one canvas: the uncovered part counts as changed
        size = (max(old.width, new.width), max(old.height, new.height))
        old, new = _canvas(old, size), _canvas(new, size)
    delta = ImageChops.difference(old, new).split()
    strongest = delta[0]
    for channel in delta[1:]:
        strongest = ImageChops.lighter(strongest, channel)
    cut = round(max(0.0, min(1.0, tolerance)) * 255)
    changed = strongest.point(lambda v: 255 if v > cut else 0)
    differing = changed.histogram()[255]
    if not differing or not want_diff:
        return Comparison(differing)
    return Comparison(differing, diff_image(new, changed))


def _canvas(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    canvas.paste(image, (0, 0))
    return canvas


def diff_image(new: Image.Image, changed: Image.Image) -> Image.Image:
    """The new screenshot, faded, with the changed pixels in red and a frame around them."""
    faded = Image.blend(new.convert("L").convert("RGB"), Image.new("RGB", new.size, "white"), 0.65)
    faded.paste((230, 0, 0), mask=changed)
    box = changed.getbbox()
    if box:
        left, top, right, bottom = box
        ImageDraw.Draw(faded).rectangle((left - 4, top - 4, right + 3, bottom + 3), outline=(230, 0, 0), width=2)
    return faded


@dataclass
class FileChange:
    file: Path
    kind: str  # new | changed | removed
    pixels: int = 0  # differing pixels; -1 when the old file could not be read
    diff: Path | None = None
    diff_image: Image.Image | None = field(default=None, repr=False)


@dataclass
class Saved:
    """What a flow's folder got (or, with --check, would get)."""

    flow_id: str
    folder: Path
    unchanged: int = 0
    changes: list[FileChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(change.kind == kind for change in self.changes)


def diff_path(file: Path) -> Path:
    return file.with_name(file.stem + ".diff.png")


def save(outcome: FlowShots, options: ShotOptions) -> Saved:
    """Write new and changed screenshots, remove obsolete ones; with --check, only compare."""
    folder = options.out / outcome.flow_id
    saved = Saved(outcome.flow_id, folder)
    writes: list[tuple[Path, bytes]] = []
    for name, png in sorted(outcome.shots.items()):
        file = folder / name
        change = _compare_file(file, png, options)
        if change is None:
            saved.unchanged += 1
            continue
        saved.changes.append(change)
        writes.append((file, png))
    old = _owned(folder)
    for file in old:
        if not file.name.endswith(".diff.png") and file.name not in outcome.shots:
            saved.changes.append(FileChange(file, "removed"))
    if options.check:
        _write_diffs(saved, old)
        return saved
    for file, png in writes:  # each file atomically; all of them only after the whole flow passed
        write_atomic(file, png)
    for file in old:
        if file.name.endswith(".diff.png") or file.name not in outcome.shots:
            file.unlink(missing_ok=True)
    return saved


def _compare_file(file: Path, png: bytes, options: ShotOptions) -> FileChange | None:
    if not file.is_file():
        return FileChange(file, "new")
    try:
        old = decode(file)
    except (OSError, UnidentifiedImageError):
        return FileChange(file, "changed", -1)  # unreadable: replace it
    result = compare(old, decode(png), options.tolerance, want_diff=options.check)
    if result.differing <= options.max_diff_pixels:
        return None
    if result.diff is None:
        return FileChange(file, "changed", result.differing)
    return FileChange(file, "changed", result.differing, diff_path(file), result.diff)


def _write_diffs(saved: Saved, old: list[Path]) -> None:
    """Diff images next to the changed files; earlier ones that no longer apply go."""
    keep = set()
    for change in saved.changes:
        if change.diff_image is not None and change.diff is not None:
            buffer = io.BytesIO()
            change.diff_image.save(buffer, format="PNG")
            write_atomic(change.diff, buffer.getvalue())
            keep.add(change.diff)
    for file in old:
        if file.name.endswith(".diff.png") and file not in keep:
            file.unlink(missing_ok=True)


def _owned(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and OWNED.match(p.name))


# --- the whole run -------------------------------------------------------------------------


@dataclass
class RunResult:
    flows: list[FlowShots] = field(default_factory=list)
    saved: list[Saved] = field(default_factory=list)

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


def run(browser: Browser, loaded: list[LoadedFlow], options: ShotOptions, on_flow=None) -> RunResult:
    """Shoot every flow; save (or compare) each flow that went through without drift."""
    result = RunResult()
    for item in loaded:
        outcome = shoot_flow(browser, item, options)
        result.flows.append(outcome)
        if not outcome.drift:
            result.saved.append(save(outcome, options))
        if on_flow:
            on_flow(outcome)
    return result


# --- what the run tells the writer ---------------------------------------------------------


def print_run(console: Console, result: RunResult, options: ShotOptions) -> None:
    """Drift reports as the check prints them, each file that changed, then the counts."""
    for outcome in result.flows:
        drift = outcome.drift
        if drift and drift.drift:
            console.print(f"\n[bold red]✗ {outcome.flow_id} › {drift.branch}[/]", highlight=False)
            console.print(drift.drift.text(), markup=False, highlight=False, soft_wrap=True)
            console.print(f"[red]  no screenshot of {outcome.flow_id} was {'compared' if options.check else 'written'}: "
                          "fix the drift first[/]", highlight=False)
        for warning in dict.fromkeys(outcome.warnings):
            console.print(f"[yellow]! {outcome.flow_id}: {warning}[/]", highlight=False)
    for saved in result.saved:
        for change in saved.changes:
            console.print(_change_line(change, options), highlight=False, soft_wrap=True)  # whole paths
    console.print()
    console.print(_table(result, options))
    console.print(_verdict(result, options), highlight=False)


def _change_line(change: FileChange, options: ShotOptions) -> str:
    colour = {"new": "green", "changed": "yellow", "removed": "red"}[change.kind]
    if options.check:
        what = {"new": "missing", "changed": "differs", "removed": "obsolete"}[change.kind]
    else:
        what = {"new": "new", "changed": "changed", "removed": "removed"}[change.kind]
    line = f"  [{colour}]{what:8}[/] {change.file}"
    if change.pixels > 0:
        line += f"  ({change.pixels} pixels)"
    if change.diff:
        line += f"  diff: {change.diff}"
    return line


def _table(result: RunResult, options: ShotOptions) -> Table:
    title = "guide shots --check" if options.check else "guide shots"
    table = Table(title=f"{title} → {options.out}", title_justify="left")
    for column, justify in (("flow", "left"), ("screenshots", "right"), ("new", "right"), ("changed", "right"),
                            ("unchanged", "right"), ("removed", "right"), ("time", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    saved = {s.flow_id: s for s in result.saved}
    for outcome in result.flows:
        done = saved.get(outcome.flow_id)
        if done is None:
            table.add_row(outcome.flow_id, "[red]drift[/]", "", "", "", "", f"{outcome.seconds:.1f} s")
            continue
        table.add_row(outcome.flow_id, str(len(outcome.shots)), str(done.count("new")), str(done.count("changed")),
                      str(done.unchanged), str(done.count("removed")), f"{outcome.seconds:.1f} s")
    return table


def _verdict(result: RunResult, options: ShotOptions) -> str:
    counts = (f"{result.total('new')} new, {result.total('changed')} changed, "
              f"{result.total('unchanged')} unchanged, {result.total('removed')} removed")
    drifted = sum(1 for f in result.flows if f.drift)
    if drifted:
        return f"[bold red]{drifted} flow(s) drifted from the guide; their screenshots were left as they were.[/] ({counts})"
    if options.check:
        if result.changed:
            return f"[bold red]The screenshots differ from the pages: {counts}.[/] Run guide shots to update them."
        return f"[bold green]The screenshots match the pages:[/] {counts}."
    return f"[bold green]Screenshots up to date:[/] {counts}."
