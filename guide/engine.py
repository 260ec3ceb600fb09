"""The step engine: one loop that walks a flow in a browser, for live, check and shots.

The engine finds each step's target strictly, hands the step to a *performer* (who does it:
the check's autopilot, the writer's camera, or the person in front of the overlay), and
verifies the page it lands on. Questions and alternatives are answered by the performer too:
the check replays every branch, the person picks one.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Protocol

from playwright.sync_api import BrowserContext, Locator, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from . import locate
from .loader import VARIABLE_REF, LoadedFlow, Path_
from .model import Flow, Option, Page as PageSpec, Rule, Step
from .secrets import Values


class Drift(Exception):
    """The pages no longer match the guide at one step."""

    def __init__(self, where: str, step: Step, problem: str, expected: str, found: str, fix: str, url: str = ""):
        self.where, self.step, self.problem = where, step, problem
        self.expected, self.found, self.fix, self.url = expected, found, fix, url
        super().__init__(f"{where}: step '{step.id}': {problem}")


class Stop(Exception):
    """The person quit the guide."""


class GoBack(Exception):
    """The person asked for the previous step."""


class Skip(Exception):
    """The person skipped a step the page no longer offers (the drift is recorded)."""


@dataclass
class StepContext:
    loaded: LoadedFlow
    step: Step
    path: Path_
    number: int  # 1-based position among the steps the person sees; 0 for simulated steps
    total: int
    page: Page
    session: Session
    locator: Locator | None = None
    value: str | None = None  # resolved fill/select/press value: may be a secret
    rules: list[Rule] = field(default_factory=list)
    secret: bool = False
    options: list[Option] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.loaded.where(self.path)

    @property
    def progress(self) -> str:
        return f"Étape {self.number} sur {self.total}"


class Performer(Protocol):
    """Who carries the steps out. The engine calls these in this order for each step."""

    simulates_outside: bool  # replay `simulate:` for outside steps (check, shots) or wait (live)
    timeout_ms: float

    def choose(self, ctx: StepContext) -> Option: ...
    def locate(self, ctx: StepContext) -> Locator: ...
    def show(self, ctx: StepContext) -> None: ...
    def perform(self, ctx: StepContext) -> None: ...
    def landed(self, ctx: StepContext) -> None: ...


def url_pattern(url: str) -> re.Pattern[str]:
    """A page URL with `*` wildcards; the query only counts when the pattern has one."""
    return re.compile("^" + ".*".join(map(re.escape, url.split("*"))) + "$")


def url_matches(spec: PageSpec, url: str) -> bool:
    compared = url if "?" in spec.url else url.split("#")[0].split("?")[0]
    return bool(url_pattern(spec.url).match(compared))


class Session:
    """A browser context and the tab the person is on; follows new tabs."""

    def __init__(self, context: BrowserContext, page: Page | None = None):
        self.context = context
        self.page = page or context.new_page()

    def goto(self, url: str, timeout_ms: float) -> None:
        self.page.goto(url, timeout=timeout_ms)

    def wait_for_page(self, spec: PageSpec, timeout_ms: float) -> Page | None:
        """Wait until this tab, or a tab it opened, shows `spec`'s URL; follow that tab."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            for page in reversed(self.context.pages):
                if not page.is_closed() and url_matches(spec, page.url):
                    page.wait_for_load_state("load", timeout=max(1.0, (deadline - time.monotonic()) * 1000))
                    self.page = page
                    return page
            left = (deadline - time.monotonic()) * 1000
            if left <= 0:
                return None
            try:  # returns at once when this tab navigates there; new tabs are caught next turn
                self.page.wait_for_url(lambda u: url_matches(spec, u),
                                       timeout=min(left, 100))
            except PlaywrightTimeout:
                pass
            except PlaywrightError:  # the tab closed or crashed: look at the others
                self.page = self.context.pages[-1] if self.context.pages else self.page


def page_is(page: Page, spec: PageSpec, timeout_ms: float) -> str | None:
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


@dataclass
class Engine:
    loaded: LoadedFlow
    session: Session
    performer: Performer
    values: Values
    start_url: str | None = None  # another address for the start page (a staging site)

    @property
    def flow(self) -> Flow:
        return self.loaded.flow

    # --- the walk ------------------------------------------------------------------------

    def run(self) -> dict[str, str]:
        """Walk the whole flow from its start page; return the answers given to questions."""
        start = self.flow.pages[self.flow.start]
        self._open(start, self.flow.start, ("start",), self.flow.steps[0], self.start_url)
        queue: list[tuple[Path_, Step]] = [(("steps", i), s) for i, s in enumerate(self.flow.steps)]
        answers: dict[str, str] = {}
        history: list[tuple[int, list[tuple[Path_, Step]], dict[str, str]]] = []
        index = 0
        while index < len(queue):
            path, step = queue[index]
            ctx = StepContext(self.loaded, step, path, index + 1, len(queue), self.session.page, self.session)
            try:
                if step.options:
                    option = self._ask(ctx, answers)
                    history.append((index, list(queue), dict(answers)))
                    answers[step.id] = option.id
                    number = step.options.index(option)
                    queue[index + 1:index + 1] = [(path + ("options", number, "steps", k), s)
                                                  for k, s in enumerate(option.steps)]
                else:
                    history.append((index, list(queue), dict(answers)))
                    self.execute(ctx)
            except GoBack:
                if history and history[-1][0] == index:
                    history.pop()
                if history:
                    index, queue, answers = history.pop()
                continue
            except Skip:
                pass
            index += 1
        return answers

    def _ask(self, ctx: StepContext, answers: dict[str, str]) -> Option:
        ctx.options = [o for o in ctx.step.options if _allowed(o, answers)]
        return self.performer.choose(ctx)

    def execute(self, ctx: StepContext) -> None:
        """One step: open, locate, show, perform (or simulate), verify the landing."""
        step = ctx.step
        if step.open:
            self._open(self.flow.pages[step.open], step.open, ctx.path + ("open",), step)
            ctx.page = self.session.page
        if step.value is not None:
            ctx.value = self.values.substitute(step.value)
            ctx.secret = step.secret or self.values.is_secret_ref(step.value)
        ctx.rules = self._rules(step)
        if step.target:
            ctx.locator = self.performer.locate(ctx)
            if step.action == "expect" and step.text is not None:
                self._expect_text(ctx)
        self.performer.show(ctx)
        if step.outside and self.performer.simulates_outside:
            for number, sub in enumerate(step.simulate):
                self.execute(StepContext(self.loaded, sub, ctx.path + ("simulate", number), 0, ctx.total,
                                         self.session.page, self.session))
        else:
            self.performer.perform(ctx)
        if step.lands:
            self._land(ctx)

    # --- pieces ----------------------------------------------------------------------------

    def _open(self, spec: PageSpec, page_id: str, path: Path_, step: Step, url: str | None = None) -> None:
        try:
            self.session.goto(url or spec.url.replace("*", ""), self.performer.timeout_ms)
        except PlaywrightError as error:
            raise Drift(self.loaded.where(path), step, "page did not open", f"page '{page_id}' at {spec.url}",
                        _first_line(error), "check the URL in the flow's pages, and that a fixture serves it",
                        spec.url) from None
        differs = page_is(self.session.page, spec, self.performer.timeout_ms)
        if differs:
            raise Drift(self.loaded.where(path), step, "wrong page", f"page '{page_id}'", differs,
                        f"update how page '{page_id}' is recognised (title/heading) in the flow's pages",
                        self.session.page.url)

    def _land(self, ctx: StepContext) -> None:
        step = ctx.step
        spec = self.flow.pages[step.lands]  # type: ignore[index]
        page = self.session.wait_for_page(spec, self.performer.timeout_ms)
        where = self.loaded.where(ctx.path + ("lands",))
        if page is None:
            raise Drift(where, step, "landed on the wrong page", f"page '{step.lands}' ({spec.url})",
                        describe_page(self.session.page),
                        "the element now leads elsewhere: update `lands:` and the following steps, "
                        "or report the broken link to the site", self.session.page.url)
        differs = page_is(page, spec, self.performer.timeout_ms)
        if differs:
            raise Drift(where, step, "landed on a page that does not look as expected",
                        f"page '{step.lands}'", differs,
                        f"update the title/heading of page '{step.lands}' in the flow", page.url)
        ctx.page = page
        self.performer.landed(ctx)

    def _expect_text(self, ctx: StepContext) -> None:
        expected = self.values.substitute(ctx.step.text or "")
        actual = (ctx.locator.inner_text(timeout=self.performer.timeout_ms) if ctx.locator else "")
        if expected not in actual:
            raise Drift(ctx.where, ctx.step, "text differs", f'"{self.values.mask(expected)}"',
                        f'"{self.values.mask(actual.strip()[:200])}"', "update `text:` of the step",
                        ctx.page.url)

    def _rules(self, step: Step) -> list[Rule]:
        if step.rules is not None:
            return step.rules
        names = VARIABLE_REF.findall(step.value or "")
        return [rule for name in names for rule in self.flow.variables[name].rules]


def _allowed(option: Option, answers: dict[str, str]) -> bool:
    for question, wanted in option.when.items():
        if answers.get(question) not in ([wanted] if isinstance(wanted, str) else wanted):
            return False
    return True


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def locate_strictly(ctx: StepContext, timeout_ms: float, values: Values | None = None) -> Locator:
    """Find the target or raise Drift with the page's alternatives (shared by all performers)."""
    assert ctx.step.target is not None
    try:
        return locate.find(ctx.page, ctx.step.target, timeout_ms, must_be_enabled=ctx.step.acts)
    except locate.LocateError as error:
        found = values.mask(error.found) if values else error.found
        raise Drift(ctx.loaded.where(ctx.path + ("target",)), ctx.step, error.problem, error.expected,
                    found, error.fix, ctx.page.url) from None


# --- branches ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    answers: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return " › ".join(option for _, option in self.answers) or "main"


def branches(flow: Flow) -> list[Branch]:
    """Every combination of answers a person can give, in document order."""
    found: list[Branch] = []

    def walk(steps: list[Step], answers: tuple[tuple[str, str], ...]) -> None:
        for position, step in enumerate(steps):
            if step.options:
                given = dict(answers)
                for option in step.options:
                    if _allowed(option, given):
                        walk(option.steps + steps[position + 1:], answers + ((step.id, option.id),))
                return
        found.append(Branch(answers))

    walk(list(flow.steps), ())
    return found



def do_action(ctx: StepContext, timeout_ms: float, values: Values) -> None:
    """Carry out a step's action as a person would (used by check, shots and autoplay)."""
    locator, action, value = ctx.locator, ctx.step.action, ctx.value
    if locator is None or action in (None, "expect"):
        return
    try:
        if action == "click":
            locator.click(timeout=timeout_ms)
        elif action == "fill":
            locator.fill(value or "", timeout=timeout_ms)
        elif action in ("choose", "check"):
            locator.check(timeout=timeout_ms)
        elif action == "uncheck":
            locator.uncheck(timeout=timeout_ms)
        elif action == "select":
            locator.select_option(label=value, timeout=timeout_ms)
        elif action == "press":
            locator.press(value or "", timeout=timeout_ms)
    except PlaywrightError as error:
        raise Drift(ctx.where, ctx.step, f"could not {action}", f"{action} on the target",
                    values.mask(_first_line(error)),
                    "the element refused the action: check it still accepts it on the page",
                    ctx.page.url) from None
