"""The step engine: one loop that walks a flow, for live, check, shots and the pytest plugin.

For each step the engine opens the page it names, finds its target strictly, hands the step to
a *performer* (who does it: the check's autopilot, the writer's camera, or the person in front
of the overlay) and verifies the page it lands on. Questions are answered by the performer
too: the check replays every branch, the person picks one.

The engine never touches Playwright: it goes through a session (guide.session.Session, or a
fake one in the tests), so this loop can be tested without a browser.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import problems
from .actions import action as action_named
from .loader import VARIABLE_REF, LoadedFlow
from .locate import LocateError, describe
from .model import Flow, Option, Rule, Step, Target
from .model import Page as PageSpec
from .secrets import Values
from .session import ActionError, PageError, url_matches
from .tree import Path_, allowed, option_steps


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


class Retry(Exception):
    """Do the step again (the site did not answer, the person went back to a known page)."""


class MovedTo(Exception):
    """The person is on another page than the step's: the engine finds where they are."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


@dataclass(frozen=True)
class Resume:
    """Where to start instead of the first step: a step id, and the answers leading to it."""

    step_id: str
    answers: dict[str, str] = field(default_factory=dict)


class CannotResume(ValueError):
    """The step asked for cannot be reached (unknown id, or an answer missing on the way)."""


class ResumeAt(Exception):
    """The person chose to pick up where they stopped last time."""

    def __init__(self, resume: Resume):
        super().__init__(resume.step_id)
        self.resume = resume


class Browsing(Protocol):
    """What the engine needs from the browser (guide.session.Session)."""

    @property
    def url(self) -> str: ...
    @property
    def page(self) -> Any: ...
    def open(self, url: str, timeout_ms: float) -> None: ...
    def differs(self, spec: PageSpec, timeout_ms: float) -> str | None: ...
    def follow(self, spec: PageSpec, timeout_ms: float) -> bool: ...
    def describe(self) -> str: ...
    def find(self, target: Target, timeout_ms: float) -> Any: ...
    def text_of(self, locator: Any, timeout_ms: float) -> str: ...
    def act(self, locator: Any, action: str, value: str, timeout_ms: float) -> None: ...


@dataclass
class StepContext:
    loaded: LoadedFlow
    step: Step
    path: Path_
    number: int  # 1-based position among the steps the person sees; 0 for simulated steps
    total: int
    session: Browsing
    answers: dict[str, str] = field(default_factory=dict)  # given so far (never a typed value)
    # The first step on this step's page (id, number): where to pick up again, since what was
    # typed on the page goes when the page is opened anew.
    page_start: tuple[str, int] | None = None
    locator: Any = None  # the target, once found (a Playwright Locator)
    value: str | None = None  # resolved fill/select/press value: may be a secret
    rules: list[Rule] = field(default_factory=list)
    secret: bool = False
    options: list[Option] = field(default_factory=list)

    @property
    def page(self) -> Any:
        """The tab the step happens in (a Playwright Page)."""
        return self.session.page

    @property
    def where(self) -> str:
        return self.loaded.where(self.path)


class Performer(Protocol):
    """Who carries the steps out. The engine calls these in this order for each step."""

    @property
    def simulates_outside(self) -> bool:
        """Replay `simulate:` for outside steps (check, shots), or wait for the person (live)."""

    @property
    def timeout_ms(self) -> float:
        """How long pages may take to open and elements to accept an action."""

    @property
    def wait_ms(self) -> float:
        """How long a missing target may take to appear before it is drift."""

    @property
    def patience_ms(self) -> float:
        """How long one look for the target waits before `waiting` is called."""

    def choose(self, ctx: StepContext) -> Option: ...
    def waiting(self, ctx: StepContext) -> None: ...
    def show(self, ctx: StepContext) -> None: ...
    def perform(self, ctx: StepContext) -> None: ...
    def landed(self, ctx: StepContext) -> None: ...
    def drifted(self, ctx: StepContext, drift: Drift) -> None: ...
    def lost(self, ctx: StepContext, url: str, known: str) -> None: ...


def do_action(ctx: StepContext, timeout_ms: float) -> None:
    """Carry out a step's action as a person would (check, shots and autoplay)."""
    step = ctx.step
    if ctx.locator is None or step.action is None or not action_named(step.action).acts:
        return
    try:
        ctx.session.act(ctx.locator, step.action, ctx.value or "", timeout_ms)
    except ActionError as error:
        if error.disabled and step.target is not None:  # decided from the action's failure, not a check first
            named = describe(step.target)
            raise Drift(
                ctx.loaded.where(ctx.path + ("target",)),
                step,
                problems.DISABLED,
                f"{named} usable",
                f"{named} is disabled",
                problems.FIX_DISABLED,
                ctx.session.url,
            ) from None
        if error.covered_by:
            raise Drift(
                ctx.where,
                step,
                problems.COVERED,
                f"{step.action} on the target",
                str(error),
                problems.FIX_COVERED,
                ctx.session.url,
            ) from None
        raise Drift(
            ctx.where,
            step,
            f"could not {step.action}",
            f"{step.action} on the target",
            str(error),
            problems.FIX_REFUSED,
            ctx.session.url,
        ) from None


@dataclass
class Engine:
    loaded: LoadedFlow
    session: Browsing
    performer: Performer
    values: Values
    start_url: str | None = None  # another address for the start page (a staging site)
    steps: int = 0  # steps shown so far (simulated ones included)
    walked: list[tuple[Step, Path_, bool]] = field(default_factory=list)  # (step, path, simulated), in order
    current: tuple[Step, Path_] | None = None  # the step under way (where a crash is reported)
    step_started: float = 0.0  # time.monotonic() when it began (the requests it made are after)

    @property
    def flow(self) -> Flow:
        return self.loaded.flow

    # --- the walk ------------------------------------------------------------------------

    def run(self, resume: Resume | None = None) -> dict[str, str]:
        """Walk the flow from its start page (or from `resume`); return the answers given."""
        queue: list[tuple[Path_, Step]] = [(("steps", i), s) for i, s in enumerate(self.flow.steps)]
        answers: dict[str, str] = {}
        index = 0
        if resume is not None:
            index, answers = self._prepare(queue, resume)
        self._open_with_retry(self._page_at(queue, index), queue[index] if queue else None)
        history: list[tuple[int, list[tuple[Path_, Step]], dict[str, str]]] = []
        while index < len(queue):
            path, step = queue[index]
            start = self._first_of_page(queue, index)
            ctx = StepContext(
                self.loaded,
                step,
                path,
                index + 1,
                len(queue),
                self.session,
                answers=dict(answers),
                page_start=(queue[start][1].id, start + 1),
            )
            history.append((index, list(queue), dict(answers)))
            try:
                if step.options:
                    option = self._ask(ctx, answers)
                    answers[step.id] = option.id
                    queue[index + 1 : index + 1] = option_steps(path, step.options.index(option), option)
                else:
                    self._step(ctx)
            except GoBack:
                history.pop()  # this step's own entry
                if history:
                    index, queue, answers = history.pop()
                continue
            except Retry:
                history.pop()
                continue
            except MovedTo as moved:
                history.pop()
                index = self._follow_person(ctx, queue, index, moved.url)
                continue
            except ResumeAt as picked:
                queue = [(("steps", i), s) for i, s in enumerate(self.flow.steps)]
                index, answers = self._prepare(queue, picked.resume)
                history = []
                self._open_with_retry(self._page_at(queue, index), queue[index])
                continue
            except Skip:
                pass
            index += 1
        return answers

    # --- where the person is ---------------------------------------------------------------

    def _page_at(self, queue: list[tuple[Path_, Step]], index: int) -> str:
        """The page id a step starts on: the page the last step before it led to, or opened."""
        for path, step in reversed(queue[: index + 1]):
            if step.open and (path, step) == queue[index]:
                return step.open
            if (path, step) != queue[index] and (step.lands or step.open):
                return step.lands or step.open  # type: ignore[return-value]
        return self.flow.start

    def _first_of_page(self, queue: list[tuple[Path_, Step]], index: int) -> int:
        """The first step of the run of steps that happen on the same page as step `index`."""
        page = self._page_at(queue, index)
        while index > 0 and self._page_at(queue, index - 1) == page and not queue[index - 1][1].options:
            index -= 1
        return index

    def _follow_person(self, ctx: StepContext, queue: list[tuple[Path_, Step]], index: int, url: str) -> int:
        """Where to go on when the person reached `url` their own way (Entrée, the back button…).

        Ahead: the steps between are done. Behind: back to the first step of that page.
        Nowhere the flow knows: the performer offers to go back to the last known page.
        """

        def on(position: int) -> bool:
            return url_matches(self.flow.pages[self._page_at(queue, position)], url)

        def first_of_page(position: int) -> int:
            while position > 0 and on(position - 1):
                position -= 1
            return position

        if on(index):  # this very page, afresh (a new tab): from its first step
            return first_of_page(index)
        ahead = [j for j in range(index + 1, len(queue)) if on(j)]
        if ahead:
            return ahead[0]
        behind = [j for j in range(index - 1, -1, -1) if on(j)]
        if behind:
            return first_of_page(behind[0])
        known = self.flow.pages[self._page_at(queue, index)]
        self.performer.lost(ctx, url, known.url.replace("*", ""))
        return index

    def _prepare(self, queue: list[tuple[Path_, Step]], resume: Resume) -> tuple[int, dict[str, str]]:
        """Lay out the queue up to `resume.step_id` with its answers, without doing anything."""
        answers: dict[str, str] = {}
        index = -1
        while index + 1 < len(queue):
            index += 1
            path, step = queue[index]
            if step.id == resume.step_id:
                return index, answers
            if step.options:
                chosen = next((o for o in step.options if o.id == resume.answers.get(step.id)), None)
                if chosen is None:
                    continue  # not answered: the steps after the question are still reachable
                answers[step.id] = chosen.id
                queue[index + 1 : index + 1] = option_steps(path, step.options.index(chosen), chosen)
        raise CannotResume(
            f"step {resume.step_id!r} is not on the way with the answers given "
            f"({', '.join(f'{q}: {a}' for q, a in resume.answers.items()) or 'none'})"
        )

    def _open_with_retry(self, page_id: str, first: tuple[Path_, Step] | None) -> None:
        """Open the page the walk starts on; a person may retry when the site does not answer."""
        step = first[1] if first else self.flow.steps[0]
        ctx = StepContext(self.loaded, step, first[0] if first else ("steps", 0), 1, 1, self.session)
        while True:
            try:
                self._open(page_id, ("start",), step, self.start_url if page_id == self.flow.start else None)
                return
            except Drift as drift:
                try:
                    self.performer.drifted(ctx, drift)
                except Retry:
                    continue
                except Skip:
                    raise drift from None
                raise

    def _ask(self, ctx: StepContext, answers: dict[str, str]) -> Option:
        ctx.options = [o for o in ctx.step.options if allowed(o, answers)]
        return self.performer.choose(ctx)

    def _step(self, ctx: StepContext) -> None:
        """One step; a drift is handed to the performer (the check stops, a person may skip)."""
        try:
            self.execute(ctx)
        except Drift as drift:
            self.performer.drifted(ctx, drift)
            raise

    def execute(self, ctx: StepContext) -> None:
        """One step: open, locate, show, perform (or simulate), verify the landing."""
        step = ctx.step
        self.current = (step, ctx.path)
        self.step_started = time.monotonic()
        if step.open:
            self._open(step.open, ctx.path + ("open",), step)
        if step.value is not None:
            ctx.value = self.values.substitute(step.value)
            ctx.secret = step.secret or self.values.is_secret_ref(step.value)
        ctx.rules = self._rules(step)
        if step.target:
            ctx.locator = self._locate(ctx, step.target)
            if step.action == "expect" and step.text is not None:
                self._expect_text(ctx)
        self.steps += 1
        self.walked.append((step, ctx.path, ctx.number == 0))
        self.performer.show(ctx)
        if step.outside and self.performer.simulates_outside:
            for number, sub in enumerate(step.simulate):
                self.execute(StepContext(self.loaded, sub, ctx.path + ("simulate", number), 0, ctx.total, self.session))
        else:
            self.performer.perform(ctx)
        if step.lands:
            self._land(ctx, step.lands)

    # --- pieces ----------------------------------------------------------------------------

    def _locate(self, ctx: StepContext, target: Target) -> Any:
        """The step's target, strictly: waits up to the performer's `wait_ms`, else Drift."""
        performer = self.performer
        deadline = time.monotonic() + performer.wait_ms / 1000
        while True:
            left = (deadline - time.monotonic()) * 1000
            try:
                return self.session.find(target, max(1.0, min(performer.patience_ms, left)))
            except LocateError as error:
                if time.monotonic() >= deadline:
                    raise Drift(
                        ctx.loaded.where(ctx.path + ("target",)),
                        ctx.step,
                        error.problem,
                        error.expected,
                        error.found,
                        error.fix,
                        self.session.url,
                    ) from None
            performer.waiting(ctx)

    def _open(self, page_id: str, path: Path_, step: Step, url: str | None = None) -> None:
        spec = self.flow.pages[page_id]
        where = self.loaded.where(path)
        try:
            self.session.open(url or spec.url.replace("*", ""), self.performer.timeout_ms)
        except PageError as error:
            raise Drift(
                where,
                step,
                problems.NOT_OPENED,
                f"page '{page_id}' at {spec.url}",
                str(error),
                problems.FIX_URL,
                spec.url,
            ) from None
        differs = self.session.differs(spec, self.performer.timeout_ms)
        if differs:
            raise Drift(
                where,
                step,
                problems.WRONG_PAGE,
                f"page '{page_id}'",
                differs,
                problems.FIX_RECOGNISED,
                self.session.url,
            )

    def _land(self, ctx: StepContext, page_id: str) -> None:
        step, spec = ctx.step, self.flow.pages[page_id]
        where = self.loaded.where(ctx.path + ("lands",))
        if not self.session.follow(spec, self.performer.timeout_ms):
            raise Drift(
                where,
                step,
                problems.LANDED_ELSEWHERE,
                f"page '{page_id}' ({spec.url})",
                self.session.describe(),
                problems.FIX_LANDS,
                self.session.url,
            )
        differs = self.session.differs(spec, self.performer.timeout_ms)
        if differs:
            raise Drift(
                where,
                step,
                problems.LANDED_UNLIKE,
                f"page '{page_id}'",
                differs,
                problems.FIX_RECOGNISED,
                self.session.url,
            )
        self.performer.landed(ctx)

    def _expect_text(self, ctx: StepContext) -> None:
        expected = self.values.substitute(ctx.step.text or "")
        actual = self.session.text_of(ctx.locator, self.performer.timeout_ms)
        if expected not in actual:
            raise Drift(
                ctx.where,
                ctx.step,
                problems.TEXT_DIFFERS,
                f'"{expected}"',
                f'"{actual.strip()[:200]}"',
                problems.FIX_TEXT,
                self.session.url,
            )

    def _rules(self, step: Step) -> list[Rule]:
        if step.rules is not None:
            return step.rules
        names = VARIABLE_REF.findall(step.value or "")
        return [rule for name in names for rule in self.flow.variables[name].rules]
