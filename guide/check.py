"""`guide check`: replay every branch of every flow against the fixtures.

One browser per run, a fresh context per branch. A branch that drifts is replayed (--retries
times, with tracing on), so passing runs pay nothing for traces and failing ones leave a
screenshot and a trace (secrets redacted) under the output folder. A branch that drifts and
then passes is *flaky*: reported with the artifacts of its failed attempts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext

from .autopilot import AutoPilot
from .cache import VerdictCache
from .loader import LoadedFlow
from .reports import BranchResult, artifacts_folder
from .runner import CHECK, ContextMaker, context_maker, run_branch
from .secrets import Values
from .tree import Branch, branches, walk
from .watchdog import branch_bound


@dataclass
class CheckOptions:
    fixtures: Path = Path("fixtures")
    out: Path = Path("guide-results")
    timeout_ms: float = 3000
    artifacts: bool = True  # screenshot + trace of a drifting branch
    explain: bool = False  # say which invisible differences the matching rule set aside
    retries: int = 1  # replays of a drifting branch (traced): a pass then makes it flaky
    cache: VerdictCache | None = None  # reuse and keep clean passes (guide.cache)


def check_branch(
    make_context: ContextMaker,
    loaded: LoadedFlow,
    branch: Branch,
    options: CheckOptions,
    artifacts: Path | None = None,
    before_close: Callable[[BrowserContext], None] | None = None,
    trace: bool = True,
) -> BranchResult:
    """Replay one branch with the autopilot in a fresh routed context, within its bound."""
    steps = len(list(walk(loaded.flow.steps, dict(branch.answers))))
    run = run_branch(
        loaded,
        branch.name,
        make_context,
        CHECK,
        options.fixtures,
        lambda session: AutoPilot(dict(branch.answers), options.timeout_ms, explain=options.explain),
        Values.for_fixtures(loaded.flow),
        artifacts=artifacts,
        before_close=before_close,
        deadline_s=branch_bound(steps, options.timeout_ms / 1000),
        trace=trace,
    )
    run.result.notes += run.performer.explained
    return run.result


def check_one(browser: Browser, loaded: LoadedFlow, branch: Branch, options: CheckOptions) -> BranchResult:
    """One branch as `guide check` runs it: a fast pass, then traced replays only on drift.

    Each failed attempt keeps its artifacts in OUT/<flow>/<branch>/attempt-N/ (the first, not
    traced, a screenshot). All attempts drift: the branch drifts, with the last report. One
    passes: the branch is flaky, its failures listed. With no retries the one attempt is traced,
    so a drift always comes with a trace.
    """
    make_context = context_maker(browser, CHECK)
    folder = artifacts_folder(options.out, loaded.flow.id, branch.name)
    failures = []
    seconds = 0.0
    retries = max(options.retries, 0)
    for attempt in range(1, 2 + retries):
        where = folder / f"attempt-{attempt}" if options.artifacts else None
        result = check_branch(make_context, loaded, branch, options, artifacts=where, trace=attempt > 1 or retries == 0)
        seconds += result.seconds
        if result.drift is None:
            break
        failures.append(result.drift)
    result.seconds = seconds
    result.failures = failures[:-1] if result.drift else failures
    if options.cache is not None:
        options.cache.store(loaded, branch, result)
    return result


def check_flow(
    browser: Browser, loaded: LoadedFlow, options: CheckOptions, on_branch: Callable[[BranchResult], None] | None = None
) -> list[BranchResult]:
    results = []
    for branch in branches(loaded.flow):
        result = check_one(browser, loaded, branch, options)
        results.append(result)
        if on_branch:
            on_branch(result)
    return results
