"""What Python and the overlay say to each other, defined once.

The overlay (guide/overlay/*.js) receives this as the `PROTOCOL` constant of the injected
script (see guide.overlay.script): neither side writes an event type, a reserved button id or
a status by hand.

Events go from the page to Python through the `__guideEvent` binding, as objects:
  {type: "button", id}        a card button was pressed (reserved ids below, or an option id)
  {type: "target", event}     the person used the highlighted element; `event` is the DOM
                              event type, one of the card's `listen` list (see guide.actions)
  {type: "key", key}          a keyboard command with no button on the card (KEYS)
  {type: "paste", value}      the person pasted a link into the card (outside steps)
"""

from __future__ import annotations

from typing import Any, Final


class Event:
    BUTTON: Final = "button"
    TARGET: Final = "target"
    KEY: Final = "key"
    PASTE: Final = "paste"


class Button:
    """Card buttons with a meaning of their own (question options use their option ids)."""

    PREV: Final = "prev"
    NEXT: Final = "next"
    QUIT: Final = "quit"  # asks first: LEAVE confirms, STAY goes on
    SKIP: Final = "skip"
    RETRY: Final = "retry"  # the site did not answer: try again
    BACK: Final = "back"  # go back to the last page the guide knows
    LEAVE: Final = "leave"
    STAY: Final = "stay"
    RESUME: Final = "resume"  # pick up where the previous run stopped
    RESTART: Final = "restart"


class Status:
    """What the card says besides the instruction."""

    WAITING: Final = "waiting"  # the target is not on the page yet
    DRIFT: Final = "drift"  # the page no longer matches the guide


class Key:
    """Keyboard commands: Échap, Entrée / →, ←."""

    QUIT: Final = "quit"
    NEXT: Final = "next"
    PREV: Final = "prev"


def _constants(kind: type) -> dict[str, str]:
    return {name: value for name, value in vars(kind).items() if name.isupper()}


def as_json() -> dict[str, Any]:
    """The protocol as the overlay's script receives it."""
    return {
        "event": _constants(Event),
        "button": _constants(Button),
        "status": _constants(Status),
        "key": _constants(Key),
    }
