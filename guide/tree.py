"""The step tree of a flow: one walk, and the branches a person can take through it.

A step's *path* names where it sits in the flow file, as the loader records positions:
("steps", 3), ("steps", 1, "options", 0, "steps", 2), ("steps", 6, "simulate", 1). Paths are
how the engine, the screenshots' numbering, the exported guide and the error messages agree
on which step they mean.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .model import Flow, Option, Step

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Node:
    path: Path_
    step: Step
    simulated: bool = False  # replayed against the fixtures for an outside step (`simulate:`)


def option_steps(path: Path_, number: int, option: Option) -> list[tuple[Path_, Step]]:
    """The steps of a question's option, with their paths."""
    return [(path + ("options", number, "steps", k), step) for k, step in enumerate(option.steps)]


def walk(steps: Sequence[Step], answers: Mapping[str, str] | None = None, path: Path_ = ("steps",)) -> Iterator[Node]:
    """Every step in document order: a step, its simulated sub-steps, then its options' steps.

    With `answers` ({question id: option id}) only the chosen options are entered: the steps
    one branch goes through, in the order the engine meets them.
    """
    for index, step in enumerate(steps):
        here = path + (index,)
        yield Node(here, step)
        for k, sub in enumerate(step.simulate):
            yield Node(here + ("simulate", k), sub, simulated=True)
        for number, option in enumerate(step.options):
            if answers is None or answers.get(step.id) == option.id:
                yield from walk(option.steps, answers, here + ("options", number, "steps"))


def answers_for(flow: Flow, step_id: str) -> dict[str, str] | None:
    """The answers that lead to a step (its options on the way, and what they require); None
    when the flow has no such step."""

    def search(steps: Sequence[Step], answers: dict[str, str]) -> dict[str, str] | None:
        for step in steps:
            if step.id == step_id or any(sub.id == step_id for sub in step.simulate):
                return answers
            for option in step.options:
                needed = {q: (w if isinstance(w, str) else w[0]) for q, w in option.when.items()}
                found = search(option.steps, {**needed, **answers, step.id: option.id})
                if found is not None:
                    return found
        return None

    return search(flow.steps, {})


def allowed(option: Option, answers: Mapping[str, str]) -> bool:
    """Is `option` offered after these answers (its `when:` conditions)?"""
    for question, wanted in option.when.items():
        if answers.get(question) not in ([wanted] if isinstance(wanted, str) else wanted):
            return False
    return True


@dataclass(frozen=True)
class Branch:
    """One combination of answers: (question id, option id) in the order they are asked."""

    answers: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return " › ".join(option for _, option in self.answers) or "main"


def branches(flow: Flow) -> list[Branch]:
    """Every combination of answers a person can give, in document order."""
    found: list[Branch] = []

    def explore(steps: list[Step], answers: tuple[tuple[str, str], ...]) -> None:
        for position, step in enumerate(steps):
            if step.options:
                given = dict(answers)
                for option in step.options:
                    if allowed(option, given):
                        explore(option.steps + steps[position + 1 :], answers + ((step.id, option.id),))
                return
        found.append(Branch(answers))

    explore(list(flow.steps), ())
    return found
