"""The words guide itself says, in the flow's language: one message catalogue per language.

Catalogues are gettext PO files (guide/locale/<lang>/LC_MESSAGES/guide.po), the standard format
translators and their tools read; they are loaded with Babel, so no compiled .mo file has to
be built or shipped. Message ids are the English text. The live console, the overlay (its
fixed words are handed to the injected script as data, see `overlay_words`) and the exported
guides all take their words from here; tests/test_i18n.py fails when a catalogue lacks one.

    say = words("fr")
    say("Step {number} of {total}", number=3, total=9)  ->  "Étape 3 sur 9"
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).with_name("locale")
DOMAIN = "guide"
LANGUAGES = ("fr", "en")
DEFAULT = "fr"

Say = Callable[..., str]


def N_(message: str) -> str:
    """Marks a message for the catalogues where it is only named, not said yet."""
    return message


def language(lang: str | None, override: str | None = None) -> str:
    """The catalogue to use: the override, else the flow's `lang` (fr-FR -> fr), else French."""
    for candidate in (override, lang):
        base = (candidate or "").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for one language (an empty translation means: the English text)."""
    from babel.messages.pofile import read_po

    with (LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as stream:
        catalog = read_po(stream, locale=lang)
    return {
        str(message.id): str(message.string or message.id)
        for message in catalog
        if message.id and isinstance(message.id, str)
    }


def words(lang: str) -> Say:
    """A function saying a message in `lang`, with {placeholders} filled."""
    table = catalogue(language(lang))

    def say(message: str, **values: object) -> str:
        text = table.get(message, message)
        return text.format(**values) if values else text

    return say


# What the overlay says by itself (the card's own words come from the flow): sent to the
# injected script as data, by key.
OVERLAY = {
    "waiting": N_("Waiting for the page…"),
    "drift": N_("The page shown does not match the step expected."),
    "ok": N_(" — met"),
    "ko": N_(" — not met"),
    "rules": N_("Rules to follow"),
    "pick": N_("Choose a department"),
    "choose": N_("— Select —"),
    "paste": N_("Paste the link here"),
    "pasteSubmit": N_("Open"),
    "mailto": N_("Write to "),
    "dialog": N_("Guide"),
    # the card's keyboard shortcut (guide/overlay/events.js), said to screen readers with the card
    "shortcut": N_("Alt+Shift+G: go from this guide to the element to use, and back."),
    # the card's lang attribute: the language of these words (BCP 47)
    "lang": N_("en"),
}


def overlay_words(lang: str) -> dict[str, str]:
    say = words(lang)
    return {key: say(message) for key, message in OVERLAY.items()}
