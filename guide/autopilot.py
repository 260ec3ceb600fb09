"""The autopilot: performs each step itself, as fast as the page allows.

The performer of `guide check`, the base of the screenshots' camera, and `guide live
--autoplay`'s hands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import locate
from .engine import Drift, StepContext, do_action
from .model import Option


@dataclass
class AutoPilot:
    answers: dict[str, str]  # the branch to take: question id -> option id
    timeout_ms: float = 3000
    simulates_outside: bool = True
    secret_fields: list[Any] = field(default_factory=list)  # locators of fields filled with a secret
    explain: bool = False  # say how each target matched when the words needed normalising
    explained: list[str] = field(default_factory=list)

    @property
    def wait_ms(self) -> float:
        return self.timeout_ms

    @property
    def patience_ms(self) -> float:  # one look, as long as the timeout allows
        return self.timeout_ms

    def choose(self, ctx: StepContext) -> Option:
        wanted = self.answers.get(ctx.step.id)
        return next((option for option in ctx.options if option.id == wanted), ctx.options[0])

    def waiting(self, ctx: StepContext) -> None:
        pass

    def show(self, ctx: StepContext) -> None:
        if self.explain and ctx.locator is not None and ctx.step.target is not None:
            how = locate.explain(ctx.locator, ctx.step.target)
            if how is not None and how.ignored:
                self.explained.append(
                    f"{ctx.loaded.where(ctx.path + ('target',))}: step '{ctx.step.id}': "
                    f"{locate.describe(ctx.step.target)} read as « {how.reading} »; "
                    f"ignored: {'; '.join(how.ignored)}"
                )

    def perform(self, ctx: StepContext) -> None:
        if ctx.secret and ctx.locator is not None:
            self.secret_fields.append(ctx.locator)
        do_action(ctx, self.timeout_ms)

    def landed(self, ctx: StepContext) -> None:
        pass

    def drifted(self, ctx: StepContext, drift: Drift) -> None:
        pass  # the engine raises it: the branch stops here

    def lost(self, ctx: StepContext, url: str, known: str) -> None:
        pass  # the autopilot goes only where the flow says
