"""Step numbers as the guide shows them, shared by the screenshots and the exported guide.

Stable, derived from the flow only, never from the order of a run:
  * steps are numbered in document order, depth first: a question, then the steps of each of
    its options (alternatives) in turn, then the steps after the question. Every step has one
    number whatever branch reaches it, so a step shared by several branches keeps one number
    (and one screenshot file).
  * steps replayed against the fixtures for an outside step (`simulate:`) take their
    parent's number and a letter: 07a, 07b….
  * numbers have two digits, three when a flow has a hundred steps or more.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from .model import Flow, Step
from .tree import Path_, walk


@dataclass(frozen=True)
class Number:
    """A step's place in the guide: « 07 », « 07a »."""

    path: Path_  # the step's path in the flow (as the engine and the loader name it)
    step: Step
    number: str
    simulated: bool = False

    @property
    def file_name(self) -> str:
        """The step's screenshot: `07-saisir-courriel.png`."""
        return f"{self.number}-{self.step.id}.png"


def letters(index: int) -> str:
    """a, b, …, z, aa, ab…: simulated sub-steps of one step."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = string.ascii_lowercase[rest] + out
    return out


def number_steps(flow: Flow) -> dict[Path_, Number]:
    """Every step's number, keyed by the step's path, in document order."""
    nodes = list(walk(flow.steps))
    width = max(2, len(str(sum(not node.simulated for node in nodes))))
    numbers: dict[Path_, Number] = {}
    position, sub = 0, 0
    parent = ""
    for node in nodes:
        if node.simulated:
            numbers[node.path] = Number(node.path, node.step, parent + letters(sub), True)
            sub += 1
            continue
        position, sub = position + 1, 0
        parent = f"{position:0{width}d}"
        numbers[node.path] = Number(node.path, node.step, parent)
    return numbers
