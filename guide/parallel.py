"""Spread a check's branches over workers, CI shards and remote browsers.

Playwright's sync API drives one browser from one thread, so `-j N` runs N worker *processes*,
each with its own Playwright driver and browser, pulling branches from a shared queue (a slow
branch never holds a whole slice back). Results are put back in plan order, so the report, the
summary table and the JUnit XML do not depend on who ran what. bench/RESULTS.md has the
measurements behind this choice (processes against threads and against one process).

Sharding (`--shard I/N`) deals the branches round-robin over their sorted names: every branch
lands in exactly one shard, shard sizes differ by at most one, and every CI job computes the
same split from the same checkout.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from playwright.sync_api import Browser

from .browser import BrowserNotFound, launch, resolve_browser
from .check import CheckOptions, check_one
from .loader import LoadedFlow
from .reports import BranchResult
from .tree import Branch, branches

Pool = Literal["process", "thread"]
POLL_SECONDS = 0.5


class WorkerCrash(RuntimeError):
    """A worker stopped without reporting its branches (killed, out of memory, a bug)."""


class BrowserLost(BrowserNotFound):
    """The browser crashed or its remote server stopped in the middle of a run."""


@dataclass(frozen=True)
class Job:
    flow: int  # index in the loaded flows
    branch: Branch
    key: str  # "flow-id › branch": what shards are dealt on


def plan(loaded: Sequence[LoadedFlow]) -> list[Job]:
    """Every branch of every flow, in the order the report lists them."""
    return [
        Job(number, branch, f"{item.flow.id} › {branch.name}")
        for number, item in enumerate(loaded)
        for branch in branches(item.flow)
    ]


def parse_shard(text: str) -> tuple[int, int]:
    """`2/3` -> (2, 3); ValueError that says how to write it otherwise."""
    index, slash, total = text.partition("/")
    if slash and index.strip().isdigit() and total.strip().isdigit():
        i, n = int(index), int(total)
        if 1 <= i <= n:
            return i, n
    raise ValueError(f"{text!r} is not a shard: write I/N with 1 <= I <= N, e.g. --shard 1/3")


def shard(jobs: Sequence[Job], index: int, total: int) -> list[Job]:
    """The jobs of shard `index` (1-based) of `total`, kept in plan order."""
    ranked = sorted(range(len(jobs)), key=lambda n: jobs[n].key)
    mine = {n for rank, n in enumerate(ranked) if rank % total == index - 1}
    return [job for n, job in enumerate(jobs) if n in mine]


def parse_workers(text: str) -> int:
    """`-j` value: a positive number, or `auto`: one worker per two CPUs.

    A worker is not one busy core: its browser's processes work beside it, and one worker keeps
    1.7 cores busy (bench/RESULTS.md). More workers than CPUs / 2 only add contention.
    """
    if text == "auto":
        return max(1, (os.cpu_count() or 1) // 2)
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise ValueError(f"{text!r} is not a number of workers: write a number >= 1, or auto")


@dataclass(frozen=True)
class BrowserSource:
    """How a worker gets its browser: launch one here, or ask a remote browser server."""

    executable: str | None = None  # --browser-path: local path, or a path on the server
    connect: str | None = None  # ws:// address of `python -m playwright run-server`
    headless: bool = True

    def open(self, playwright: Any) -> Browser:
        if self.connect:
            from .remote import connect

            return connect(
                playwright, self.connect, self.executable or os.environ.get("GUIDE_BROWSER"), headless=self.headless
            )
        return launch(playwright, resolve_browser(self.executable, playwright), headless=self.headless)


OnResult = Callable[[BranchResult], None]


def run_checks(
    loaded: Sequence[LoadedFlow],
    jobs: Sequence[Job],
    options: CheckOptions,
    source: BrowserSource,
    workers: int = 1,
    on_result: OnResult | None = None,
    pool: Pool = "process",
) -> list[BranchResult]:
    """Check `jobs` with up to `workers` browsers; results in the order of `jobs`.

    With a verdict cache (options.cache), a branch whose stored pass still holds is reported
    from it first, and only the others open a browser: none at all when every verdict holds.
    """
    report = on_result or (lambda result: None)
    reused: dict[int, BranchResult] = {}
    if options.cache is not None:
        for number, job in enumerate(jobs):
            found = options.cache.lookup(loaded[job.flow], job.branch)
            if found is not None:
                reused[number] = found
                report(found)
    todo = [job for number, job in enumerate(jobs) if number not in reused]
    fresh = iter(_dispatch(loaded, todo, options, source, workers, report, pool))
    return [reused[number] if number in reused else next(fresh) for number in range(len(jobs))]


def _dispatch(
    loaded: Sequence[LoadedFlow],
    jobs: Sequence[Job],
    options: CheckOptions,
    source: BrowserSource,
    workers: int,
    on_result: OnResult,
    pool: Pool,
) -> list[BranchResult]:
    workers = max(1, min(workers, len(jobs)))
    if not jobs:
        return []
    if workers == 1:
        return _in_this_process(loaded, jobs, options, source, on_result)
    if pool == "thread":
        return _with_threads(loaded, jobs, options, source, workers, on_result)
    return _with_processes(loaded, jobs, options, source, workers, on_result)


# --- the work one worker does ----------------------------------------------------------------


def _work(
    source: BrowserSource,
    loaded: Sequence[LoadedFlow],
    options: CheckOptions,
    next_task: Callable[[], tuple[int, Job] | None],
    emit: Callable[[int, BranchResult], None],
) -> None:
    """Open one browser, then check branches until there are none left."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = source.open(playwright)
        try:
            while (task := next_task()) is not None:
                number, job = task
                try:
                    result = check_one(browser, loaded[job.flow], job.branch, options)
                except PlaywrightError as error:
                    if browser.is_connected() and not _closed(error):
                        raise  # not the browser's end: a bug, keep its traceback
                    raise BrowserLost(
                        f"the browser went away while checking {job.key}: {str(error).strip().splitlines()[0]}"
                    ) from None
                if result.drift and not browser.is_connected():  # a drift that is only the crash
                    raise BrowserLost(f"the browser went away while checking {job.key}")
                emit(number, result)
        finally:
            try:
                browser.close()
            except PlaywrightError:
                pass  # already gone (crashed, or a remote server that stopped)


def _closed(error: Exception) -> bool:
    """Playwright's words for a browser, or a connection to one, that has gone."""
    text = str(error)
    return any(
        words in text
        for words in (
            "Browser closed",
            "Browser has been closed",
            "has been closed",
            "Playwright connection closed",
            "Target closed",
        )
    )


def _sync_playwright_running() -> bool:
    """Does a sync Playwright already run in this thread? (It marks its loop running.)"""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _in_this_process(
    loaded: Sequence[LoadedFlow], jobs: Sequence[Job], options: CheckOptions, source: BrowserSource, on_result: OnResult
) -> list[BranchResult]:
    tasks = iter(list(enumerate(jobs)))
    results: list[BranchResult] = []

    def emit(number: int, result: BranchResult) -> None:
        results.append(result)
        on_result(result)

    if not _sync_playwright_running():
        _work(source, loaded, options, lambda: next(tasks, None), emit)
        return results
    # A caller's Playwright (a pytest-playwright session…) owns this thread, and a second sync
    # Playwright cannot start in it: work in a thread of our own, with the same results.
    failure: list[BaseException] = []

    def body() -> None:
        try:
            _work(source, loaded, options, lambda: next(tasks, None), emit)
        except BaseException as error:
            failure.append(error)

    worker = threading.Thread(target=body, name="guide-check")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return results


# --- processes -------------------------------------------------------------------------------


def _process_main(
    source: BrowserSource, loaded: Sequence[LoadedFlow], options: CheckOptions, tasks: Any, results: Any
) -> None:
    """Entry point of a worker process: every outcome goes back as a message, never a traceback."""
    try:
        _work(source, loaded, options, tasks.get, lambda n, r: results.put(("result", n, r)))
    except BrowserNotFound as error:
        results.put(("browser", str(error)))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group; the parent reports it
        pass
    except BaseException:
        results.put(("crash", traceback.format_exc()))


def _start_method() -> str:
    """fork when it is safe, else a clean server process that forks the workers.

    fork starts a worker in ~20 ms against ~0.8 s for a fresh interpreter (spawn), but a
    thread of the parent may hold a lock at that instant and the child would inherit it held,
    and a caller's running Playwright would be inherited half-alive: then use forkserver, which
    pays the fresh interpreter once and forks the workers from a process with none of that.
    """
    methods = multiprocessing.get_all_start_methods()
    alone = threading.active_count() == 1 and not _sync_playwright_running()  # nothing to inherit
    if sys.platform.startswith("linux") and "fork" in methods and alone:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _with_processes(
    loaded: Sequence[LoadedFlow],
    jobs: Sequence[Job],
    options: CheckOptions,
    source: BrowserSource,
    workers: int,
    on_result: OnResult | None,
) -> list[BranchResult]:
    method = _start_method()
    context: Any = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["guide.check", "playwright.sync_api"])
    tasks, results = context.Queue(), context.Queue()
    processes = [
        context.Process(
            target=_process_main, args=(source, list(loaded), options, tasks, results), name=f"guide-worker-{n + 1}"
        )
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    for task in enumerate(jobs):
        tasks.put(task)
    for _ in processes:
        tasks.put(None)  # one "no more work" per worker
    try:
        return _collect(len(jobs), results.get, processes, on_result)
    finally:
        _stop(processes)
        tasks.cancel_join_thread()


def _collect(
    expected: int, get: Callable[..., Any], workers: Sequence[Any], on_result: OnResult | None
) -> list[BranchResult]:
    """Gather `expected` results from workers, failing fast when one of them dies or errs."""
    done: dict[int, BranchResult] = {}
    quiet = 0  # polls in a row with every worker gone and nothing received
    while len(done) < expected:
        try:
            message = get(timeout=POLL_SECONDS)
        except queue.Empty:
            quiet = quiet + 1 if _all_gone(workers, expected - len(done)) else 0
            if quiet >= 2:  # a last message could still have been in flight at the first poll
                raise WorkerCrash(
                    f"the check workers stopped with {expected - len(done)} branch(es) unchecked"
                ) from None
            continue
        kind = message[0]
        if kind == "browser":
            raise BrowserNotFound(message[1])
        if kind == "crash":
            raise WorkerCrash(f"a check worker failed:\n{message[1]}")
        _, number, result = message
        done[number] = result
        if on_result:
            on_result(result)
    return [done[number] for number in range(expected)]


def _all_gone(workers: Sequence[Any], missing: int) -> bool:
    """True when no worker is left; WorkerCrash at once when one was killed or crashed."""
    for worker in workers:
        code = getattr(worker, "exitcode", None)  # threads have none
        if code not in (None, 0):
            raise WorkerCrash(f"{worker.name} stopped (exit code {code}) with {missing} branch(es) unchecked")
    return all(not worker.is_alive() for worker in workers)


def _stop(processes: Sequence[Any]) -> None:
    for process in processes:
        process.join(timeout=10)
    for process in processes:
        if process.is_alive():  # interrupted or failed run: do not leave browsers behind
            process.terminate()
            process.join(timeout=10)


# --- threads (measured against processes, see bench/bench_scale.py) --------------------------


def _with_threads(
    loaded: Sequence[LoadedFlow],
    jobs: Sequence[Job],
    options: CheckOptions,
    source: BrowserSource,
    workers: int,
    on_result: OnResult | None,
) -> list[BranchResult]:
    """One process, one Playwright + browser per thread (the sync API is per thread)."""
    tasks: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()
    for task in enumerate(jobs):
        tasks.put(task)

    def next_task() -> tuple[int, Job] | None:
        try:
            return tasks.get_nowait()
        except queue.Empty:
            return None

    def body() -> None:
        try:
            _work(source, loaded, options, next_task, lambda n, r: results.put(("result", n, r)))
        except BrowserNotFound as error:
            results.put(("browser", str(error)))
        except BaseException:
            results.put(("crash", traceback.format_exc()))

    threads = [threading.Thread(target=body, name=f"guide-worker-{n + 1}", daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    try:
        return _collect(len(jobs), results.get, threads, on_result)
    finally:
        while not tasks.empty():  # on failure, let the other threads finish quickly
            next_task()
        for thread in threads:
            thread.join(timeout=30)
