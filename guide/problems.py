"""What a drift says: its problem and how to fix it, each from a closed set defined here once.

The engine, the locator, the session and the runner raise drifts with these words; results
files keep them in English (the CI log's language); the HTML report shows them in the report's
language through the message catalogues (N_ marks them for extraction). A fix names no value
of its own: the drift's "expected" and "found" say which page or element it is about.
"""

from __future__ import annotations

from .i18n import N_

PROBLEMS: set[str] = set()  # every problem defined below, as the reports look them up
FIXES: set[str] = set()  # every fix defined below


def _problem(text: str) -> str:
    PROBLEMS.add(text)
    return text


def _fix(text: str) -> str:
    FIXES.add(text)
    return text


# Problems: what went wrong, in a few words.
MISSING = _problem(N_("missing target"))
HIDDEN = _problem(N_("hidden target"))
AMBIGUOUS = _problem(N_("ambiguous target"))
DISABLED = _problem(N_("disabled target"))
COVERED = _problem(N_("covered target"))
PAGE_CHANGED = _problem(N_("page changed"))
WRONG_PAGE = _problem(N_("wrong page"))
LANDED_ELSEWHERE = _problem(N_("landed on the wrong page"))
LANDED_UNLIKE = _problem(N_("landed on a page that does not look as expected"))
NOT_OPENED = _problem(N_("page did not open"))
TEXT_DIFFERS = _problem(N_("text differs"))
CRASHED = _problem(N_("page crashed"))
NOT_RESPONDING = _problem(N_("page not responding"))

# Fixes: what the flow's author does about it.
FIX_RENAMED = _fix(
    N_("update the step's target to the name the page now uses, or its instruction if the procedure changed")
)
FIX_HIDDEN = _fix(
    N_(
        "the element is on the page but hidden: a step before it may be missing (a choice that reveals it), or the page changed"
    )
)
FIX_AMBIGUOUS = _fix(
    N_(
        "a person cannot tell them apart: scope the target with `within:` (the block it is in), or ask the site to give them distinct names"
    )
)
FIX_BLOCK_RENAMED = _fix(N_("the block's title changed: update `within:` to the title the page now shows"))
FIX_DISABLED = _fix(
    N_(
        "the page no longer lets the person use it: check the previous steps fill what the page requires, or update the guide"
    )
)
FIX_COVERED = _fix(
    N_(
        "something lies over the element: if it is a banner or a notice any page may show, declare it in the flow's `furniture:` with how to close it"
    )
)
FIX_REFUSED = _fix(N_("the element refused the action: check it still accepts it on the page"))
FIX_PAGE_CHANGED = _fix(N_("a step before this one may lead to another page than the flow says"))
FIX_URL = _fix(N_("check the URL in the flow's pages, and that a fixture serves it"))
FIX_RECOGNISED = _fix(N_("update how this page is recognised (its title and heading) in the flow's pages"))
FIX_LANDS = _fix(
    N_(
        "the element now leads elsewhere: update `lands:` and the following steps, or report the broken link to the site"
    )
)
FIX_TEXT = _fix(N_("update `text:` of the step"))
FIX_NOT_RESPONDING = _fix(
    N_("open the page in a browser: a script may loop; if the page is slow but fine, raise --timeout")
)
FIX_CRASHED = _fix(
    N_("open the page in a browser: it may exhaust memory or crash the renderer; a check cannot go on without it")
)
