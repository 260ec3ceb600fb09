"""What a step can ask a person to do in the browser: one definition per action.

Everything else is derived from `ACTIONS`: the flow model's list of actions (and so the JSON
Schema), the engine's dispatch (`Action.perform`), which page events complete a step in live
mode (`Action.listen`, sent to the overlay as data), and how the screenshots' camera moves the
pointer (`Action.pointer`). Adding an action is one entry here, plus its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

# How an action moves the pointer, for the screenshots: "click" leaves it over the element,
# which the camera then parks where nothing reacts; "hover" leaves it there on purpose (the
# next step may be in the menu it opened); "none" does not move it.
Pointer = Literal["none", "click", "hover"]
Perform = Callable[[Locator, str, float], None]


class UnknownAction(ValueError):
    """An action name with no definition (the model refuses these; this guards the code)."""


@dataclass(frozen=True)
class Action:
    name: str
    summary: str  # one line, for the schema and the README
    perform: Perform  # (locator, value, timeout_ms): carried out as a person would
    listen: tuple[str, ...]  # DOM events on the target that show the person did it (live)
    needs_value: bool = False
    pointer: Pointer = "none"
    acts: bool = True  # False: nothing to do, only to see (expect)


def _click(locator: Locator, value: str, timeout_ms: float) -> None:
    locator.click(timeout=timeout_ms)


def _fill(locator: Locator, value: str, timeout_ms: float) -> None:
    locator.fill(value, timeout=timeout_ms)


# Where a person clicks a radio or a checkbox: the box the page draws. Design systems (DSFR)
# draw it with the label and keep the native input invisible (or under the label's drawing),
# so a person clicks the label — which is how the page means it to be used. The label, not
# the input, then goes through Playwright's checks: anything else over it is a real cover.
DRAWN_BY_LABEL = r"""el => {
  const labels = Array.from(el.labels || []);
  if (!labels.length) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  if (parseFloat(style.opacity) === 0 || style.visibility !== 'visible' || box.width < 4 || box.height < 4)
    return labels[0];
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return labels.find(label => hit && (label === hit || label.contains(hit))) || null;
}"""


def _toggle(locator: Locator, on: bool, timeout_ms: float) -> None:
    if locator.is_checked(timeout=timeout_ms) == on:
        return
    label = locator.evaluate_handle(DRAWN_BY_LABEL).as_element()
    if label is None:
        locator.set_checked(on, timeout=timeout_ms)
        return
    label.click(timeout=timeout_ms)
    if locator.is_checked(timeout=timeout_ms) != on:
        raise PlaywrightError("clicking its label did not change its state")


def _check(locator: Locator, value: str, timeout_ms: float) -> None:
    _toggle(locator, True, timeout_ms)


def _uncheck(locator: Locator, value: str, timeout_ms: float) -> None:
    _toggle(locator, False, timeout_ms)


def _select(locator: Locator, value: str, timeout_ms: float) -> None:
    locator.select_option(label=value, timeout=timeout_ms)


def _press(locator: Locator, value: str, timeout_ms: float) -> None:
    locator.press(value, timeout=timeout_ms)


def _hover(locator: Locator, value: str, timeout_ms: float) -> None:
    locator.hover(timeout=timeout_ms)


def _nothing(locator: Locator, value: str, timeout_ms: float) -> None:
    """expect: the engine has already found the target visible (and checked its text)."""


_DEFINITIONS = (
    Action("click", "click the element", _click, ("click",), pointer="click"),
    Action("fill", "type `value` into the field", _fill, ("change",), needs_value=True),
    Action("choose", "pick the radio button", _check, ("change", "click"), pointer="click"),
    Action("check", "tick the checkbox", _check, ("change", "click"), pointer="click"),
    Action("uncheck", "untick the checkbox", _uncheck, ("change", "click"), pointer="click"),
    Action("select", "pick the option labelled `value` in the list", _select, ("change",), needs_value=True),
    Action("press", "press the key `value` in the element", _press, ("keydown",), needs_value=True),
    Action(
        "hover", "move the pointer over the element (a menu opening on hover)", _hover, ("mouseover",), pointer="hover"
    ),
    Action("expect", "see the element (with `text:`, containing that text)", _nothing, (), acts=False),
)

ACTIONS: dict[str, Action] = {action.name: action for action in _DEFINITIONS}
NAMES: tuple[str, ...] = tuple(ACTIONS)


def action(name: str) -> Action:
    """The definition of `name`; UnknownAction when there is none."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise UnknownAction(f"unknown action {name!r}: use one of {', '.join(NAMES)}") from None
