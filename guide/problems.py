"""What a drift says: its problem and how to fix it, each from a closed set defined here once.

The engine, the locator, the session and the runner raise drifts with these words; results
files keep them in English (the CI log's language); the HTML report shows them in the report's
language through the message catalogues (N_ marks them for extraction). A fix names no value
of its own: the drift's "expected" and "found" say which page or element it is about.
"""

from __future__ import annotations

from .i18n import N_

# Problems: what went wrong, in a few words.
MISSING = N_("missing target")
HIDDEN = N_("hidden target")
AMBIGUOUS = N_("ambiguous target")
DISABLED = N_("disabled target")
COVERED = N_("covered target")
PAGE_CHANGED = N_("page changed")
WRONG_PAGE = N_("wrong page")
LANDED_ELSEWHERE = N_("landed on the wrong page")
LANDED_UNLIKE = N_("landed on a page that does not look as expected")
NOT_OPENED = N_("page did not open")
TEXT_DIFFERS = N_("text differs")
CRASHED = N_("page crashed")
NOT_RESPONDING = N_("page not responding")

PROBLEMS = frozenset(
    {
        MISSING,
        HIDDEN,
        AMBIGUOUS,
        DISABLED,
        COVERED,
        PAGE_CHANGED,
        WRONG_PAGE,
        LANDED_ELSEWHERE,
        LANDED_UNLIKE,
        NOT_OPENED,
        TEXT_DIFFERS,
        CRASHED,
        NOT_RESPONDING,
    }
)

# Fixes: what the flow's author does about it.
FIX_RENAMED = N_("update the step's target to the name the page now uses, or its instruction if the procedure changed")
FIX_HIDDEN = N_(
    "the element is on the page but hidden: a step before it may be missing (a choice that reveals it), "
    "or the page changed"
)
FIX_AMBIGUOUS = N_(
    "a person cannot tell them apart: scope the target with `within:` (the block it is in), "
    "or ask the site to give them distinct names"
)
FIX_BLOCK_RENAMED = N_("the block's title changed: update `within:` to the title the page now shows")
FIX_DISABLED = N_(
    "the page no longer lets the person use it: check the previous steps fill what the page requires, "
    "or update the guide"
)
FIX_COVERED = N_(
    "something lies over the element: if it is a banner or a notice any page may show, "
    "declare it in the flow's `furniture:` with how to close it"
)
FIX_REFUSED = N_("the element refused the action: check it still accepts it on the page")
FIX_PAGE_CHANGED = N_("a step before this one may lead to another page than the flow says")
FIX_URL = N_("check the URL in the flow's pages, and that a fixture serves it")
FIX_RECOGNISED = N_("update how this page is recognised (its title and heading) in the flow's pages")
FIX_LANDS = N_(
    "the element now leads elsewhere: update `lands:` and the following steps, or report the broken link to the site"
)
FIX_TEXT = N_("update `text:` of the step")
FIX_NOT_RESPONDING = N_("open the page in a browser: a script may loop; if the page is slow but fine, raise --timeout")
FIX_CRASHED = N_(
    "open the page in a browser: it may exhaust memory or crash the renderer; a check cannot go on without it"
)

FIXES = frozenset(
    {
        FIX_RENAMED,
        FIX_HIDDEN,
        FIX_AMBIGUOUS,
        FIX_BLOCK_RENAMED,
        FIX_DISABLED,
        FIX_COVERED,
        FIX_REFUSED,
        FIX_PAGE_CHANGED,
        FIX_URL,
        FIX_RECOGNISED,
        FIX_LANDS,
        FIX_TEXT,
        FIX_NOT_RESPONDING,
        FIX_CRASHED,
    }
)
