"""CSS selectors of `css:` targets, checked without a browser.

Parsed with soupsieve (Beautiful Soup's selector engine): it knows the selectors of CSS
Selectors level 4 that browsers run — :is(), :where(), :has(), :not() with lists,
:nth-child(… of S), attribute flags — and refuses unknown pseudo-classes, where cssselect
accepts any :name and knows neither :nth-child(of S) nor :not() with a list. On top of it this
refuses, conservatively, what soupsieve reads but Chromium's querySelectorAll does not: its own
:-soup-contains(), namespace prefixes (ns|a), pseudo-classes Chromium lacks, :has() in :has().
Playwright's own additions (:has-text(), :visible, >>, text=…) are not CSS: they get a hint.
"""

from __future__ import annotations

import re
import warnings

# Pseudo-classes soupsieve reads that Chromium refuses (its own, or not implemented there).
NOT_IN_CHROMIUM = frozenset(
    (
        "contains",
        "-soup-contains",
        "-soup-contains-own",
        "matches",
        "current",
        "past",
        "future",
        "local-link",
        "target-within",
        "muted",
        "buffering",
        "paused",
        "playing",
        "seeking",
        "stalled",
        "volume-locked",
    )
)
PLAYWRIGHT_ONLY = frozenset(
    (
        "has-text",
        "text",
        "text-is",
        "text-matches",
        "visible",
        "nth-match",
        "left-of",
        "right-of",
        "above",
        "below",
        "near",
        "light",
    )
)
ENGINE = re.compile(r"\s*(?://|\.\.|[\w+:*-]+=)")  # Playwright's text=…, xpath=…, //…
# Strings and escaped characters, blanked before looking for pseudo-classes and namespaces.
QUOTED = re.compile(r"""\\.|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""", re.DOTALL)
TOKENS = re.compile(r"::?(-?[A-Za-z_][\w-]*)(\()?|\(|\)|\|(?!=)")
FIX = "fix the selector, or name the element as a person sees it (role and name, label, text)"


def selector_problem(selector: str) -> str | None:
    """Why the browser would refuse `selector`, with what to do; None if it is fine."""
    shown = selector if len(selector) <= 80 else selector[:80] + "…"
    blanked = QUOTED.sub("_", selector)
    playwright = _playwright_syntax(selector, blanked)
    if playwright:
        return (
            f"css {shown!r} uses {playwright}, which is Playwright's selector syntax, not CSS: "
            'name the element as a person sees it instead, e.g. text "…" or button "…"'
        )
    problem = _parse_error(selector) or _chromium_problem(blanked)
    return f"css {shown!r} is not a selector the browser accepts: {problem}: {FIX}" if problem else None


def _playwright_syntax(selector: str, blanked: str) -> str | None:
    if ENGINE.match(selector):
        return "a selector engine prefix"
    if ">>" in blanked:
        return ">>"
    names = (token.group(1) for token in TOKENS.finditer(blanked) if token.group(1))
    return next((f":{name}" for name in names if name.lower() in PLAYWRIGHT_ONLY), None)


def _parse_error(selector: str) -> str | None:
    import soupsieve  # imported here: it brings Beautiful Soup, which only css targets need

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # soupsieve warns about its deprecated :contains()
            soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as error:
        return str(error).splitlines()[0].split(". ")[0].rstrip(".")
    except NotImplementedError:  # soupsieve's word for pseudo-elements
        return "pseudo-elements such as ::before are not elements a step can use"
    except RecursionError:
        return "it is nested too deeply"
    return None


def _chromium_problem(blanked: str) -> str | None:
    opened: list[str] = []  # the pseudo-class (or '') each open parenthesis belongs to
    for token in TOKENS.finditer(blanked):
        name, call = token.group(1), token.group(2)
        text = token.group(0)
        if text == "|":
            return "namespace prefixes (ns|a) are not supported"
        if name and name.lower() in NOT_IN_CHROMIUM:
            return f":{name} is not a pseudo-class Chromium knows"
        if name and name.lower() == "has" and "has" in opened:
            return ":has() cannot be nested in :has()"
        if call or text == "(":
            opened.append(name.lower() if name else "")
        elif text == ")" and opened:
            opened.pop()
    return None
