"""`guide check` on the bundled flows against the same work written as bare Playwright.

What is timed, on both sides, is the same work: every branch of every bundled flow, each in a
fresh routed context (guide.runner.open_context: same viewport, locale, FixtureRouter) of one
browser launched beforehand. The browser launch is excluded on both sides; context creation,
routing and closing are included on both sides. guide runs in-process through the API `guide
check` itself uses per branch (guide.check.check_one: the engine, strict locating, landing
checks; the traced replay only happens on drift, which does not occur here).

Rounds alternate guide/bare/bare/guide… so machine noise (other jobs, CPU boost) hits both
sides alike; the figures are medians over rounds, and the ratio is guide ÷ bare.

    .venv/bin/python bench/bench_check.py [--rounds 7] [--profile] [--pages handwritten|dsfr]

--pages: the hand-written fixtures (tests/fixtures/handwritten, bench/baseline_bare.py; the
default) or the bundled real-DSFR ones (fixtures/, bench/baseline_dsfr.py: consent banner,
hints in labels, DSFR radios).

--profile: also run guide under cProfile for one round and print where the time goes inside
guide/ (per function, cumulative), and count Playwright protocol calls per step on both sides.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import baseline_bare  # noqa: E402
import baseline_dsfr  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from guide.browser import launch, resolve_browser  # noqa: E402
from guide.check import CheckOptions, check_one  # noqa: E402
from guide.loader import load_flows  # noqa: E402
from guide.runner import CHECK, open_context  # noqa: E402
from guide.tree import branches  # noqa: E402

PAGES = {  # fixtures, and the bare script written for them
    "handwritten": (ROOT / "tests" / "fixtures" / "handwritten", baseline_bare.BRANCHES),
    "dsfr": (ROOT / "fixtures", baseline_dsfr.BRANCHES),
}
FIXTURES, BRANCHES = PAGES["handwritten"]


def run_guide(browser: Browser, loaded, options: CheckOptions) -> int:
    steps = 0
    for item in loaded:
        for branch in branches(item.flow):
            result = check_one(browser, item, branch, options)
            assert result.passed, result.drift.text() if result.drift else result
            steps += result.steps
    return steps


def run_bare(browser: Browser) -> int:
    steps = 0
    for script in BRANCHES.values():
        context = open_context(browser, CHECK, FIXTURES)
        steps += script(context)
        context.close()
    return steps


def tree_cpu() -> float:
    """CPU seconds used so far by this process, the driver and the browser (live or reaped)."""
    total = 0.0
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            t = process.cpu_times()
        except psutil.Error:
            continue  # ended meanwhile: its parent's children_* fields have it
        total += t.user + t.system + t.children_user + t.children_system
    return total


def timed(work) -> tuple[float, float, int]:
    """Wall and CPU seconds of `work`; CPU barely moves when other jobs share the machine."""
    cpu, started = tree_cpu(), time.perf_counter()
    steps = work()
    return time.perf_counter() - started, tree_cpu() - cpu, steps


class CallCounter:
    """Counts messages the Python client sends to the Playwright driver, by method."""

    def __init__(self) -> None:
        from playwright._impl.connection import Connection

        self.calls: Counter[str] = Counter()
        self._cls, self._original = Connection, Connection.send_message_to_server
        counter = self.calls
        original = self._original

        def counting(self, obj, method, params, *args, **kwargs):  # type: ignore[no-untyped-def]
            counter[f"{obj._type}.{method}"] += 1
            return original(self, obj, method, params, *args, **kwargs)

        Connection.send_message_to_server = counting

    def close(self) -> None:
        self._cls.send_message_to_server = self._original


def profile_guide(browser: Browser, loaded, options: CheckOptions) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run_guide(browser, loaded, options)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"guide[/\\](engine|locate|check|routing|secrets)\.py", 30)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per side (default: 7)")
    parser.add_argument("--profile", action="store_true", help="profile guide and count protocol calls")
    parser.add_argument("--pages", choices=sorted(PAGES), default="handwritten", help="which fixtures")
    args = parser.parse_args()
    global FIXTURES, BRANCHES
    FIXTURES, BRANCHES = PAGES[args.pages]

    loaded = load_flows([ROOT / "flows"])
    options = CheckOptions(fixtures=FIXTURES, out=Path(os.devnull))
    guide_times: list[float] = []
    bare_times: list[float] = []
    guide_cpu: list[float] = []
    bare_cpu: list[float] = []
    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(None, playwright))
        run_guide(browser, loaded, options)  # warm-up: browser caches, Python imports
        run_bare(browser)
        for round_number in range(args.rounds):
            order = ("guide", "bare") if round_number % 2 == 0 else ("bare", "guide")
            for side in order:
                if side == "guide":
                    seconds, cpu, guide_steps = timed(lambda: run_guide(browser, loaded, options))
                    guide_times.append(seconds)
                    guide_cpu.append(cpu)
                else:
                    seconds, cpu, bare_steps = timed(lambda: run_bare(browser))
                    bare_times.append(seconds)
                    bare_cpu.append(cpu)
                print(
                    f"  round {round_number + 1} {side:<5} {seconds:.2f} s, {cpu:.2f} s CPU",
                    file=sys.stderr,
                    flush=True,
                )
        if args.profile:
            counter = CallCounter()
            run_guide(browser, loaded, options)
            guide_calls = Counter(counter.calls)
            counter.calls.clear()
            run_bare(browser)
            bare_calls = Counter(counter.calls)
            counter.close()
            report = profile_guide(browser, loaded, options)
        browser.close()

    guide_median, bare_median = statistics.median(guide_times), statistics.median(bare_times)
    print(
        f"bundled flows on the {args.pages} pages: {len(BRANCHES)} branches, {guide_steps} steps (guide) / {bare_steps} (bare); "
        f"{args.rounds} rounds, launch excluded; load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"guide check (in-process API): median {guide_median:.2f} s, min {min(guide_times):.2f} s, "
        f"{guide_median / guide_steps * 1000:.0f} ms/step"
    )
    print(
        f"bare Playwright script:       median {bare_median:.2f} s, min {min(bare_times):.2f} s, "
        f"{bare_median / bare_steps * 1000:.0f} ms/step"
    )
    print(
        f"ratio guide / bare: {guide_median / bare_median:.2f}x (medians), "
        f"{min(guide_times) / min(bare_times):.2f}x (best rounds); target <= 0.9x"
    )
    print(
        f"CPU time (Python + driver + browser) per run: guide {statistics.median(guide_cpu):.2f} s, "
        f"bare {statistics.median(bare_cpu):.2f} s: "
        f"{statistics.median(guide_cpu) / statistics.median(bare_cpu):.2f}x"
    )
    if args.profile:
        print(f"\nprotocol calls per run: guide {sum(guide_calls.values())}, bare {sum(bare_calls.values())}")
        for name in sorted(set(guide_calls) | set(bare_calls), key=lambda n: -guide_calls[n]):
            print(f"  {name:<40} guide {guide_calls[name]:>5}  bare {bare_calls[name]:>5}")
        print("\nwhere guide's time goes (cProfile, one round, cumulative):")
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
