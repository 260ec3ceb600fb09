"""guide check at scale: 200 generated flows, against bare Playwright, -j 1 against -j 2, memory.

    .venv/bin/python bench/bench_scale.py [--flows 200] [--compare-pools]

In one run, on a corpus generated into a temporary folder (bench/corpus.py):
  1. bare   the corpus as a hand-written Playwright script (corpus.bare), one browser, a fresh
            routed context per branch;
  2. -j 1   guide's API as `guide check -j 1` calls it (guide.parallel.run_checks, workers=1);
  3. -j 2   the same with two worker processes, each with its own browser.
  [--compare-pools] also -j 2 with two threads in this process, each with its own Playwright and
            browser: the alternative to processes that the sync API allows.
The "cores" column is CPU time over wall time: how much of the machine a run kept busy.
Every figure is end to end and includes starting Playwright and the browser(s) (and, for -j 2,
the worker processes), on every side alike. Memory is the peak of the summed RSS of this
process and all its descendants (workers, Playwright drivers, every Chromium process), sampled
every 0.1 s with psutil from a separate process. RSS counts the pages Chromium's processes
share (its binary, shared memory) once per process, so the proportional set size (PSS,
sampled every second) is printed beside it: the tree's real footprint.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from guide.check import CheckOptions  # noqa: E402
from guide.loader import load_flows  # noqa: E402
from guide.parallel import BrowserSource, plan, run_checks  # noqa: E402
from guide.runner import CHECK, open_context  # noqa: E402

GIB = 1024**3


SAMPLER = """
import os, select, sys, psutil
root, me = psutil.Process(int(sys.argv[1])), os.getpid()
peak_rss = peak_pss = turn = 0
cpu = {}  # pid -> CPU seconds last seen, for every process of the run
def total(processes, measure):
    result = 0
    for process in processes:
        try:
            result += measure(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass  # ended between listing and reading
    return result
def own_cpu(process):
    times = process.cpu_times()
    return times.user + times.system
root_start = own_cpu(root)
while not select.select([sys.stdin], [], [], 0.1)[0]:
    tree = [root, *(p for p in root.children(recursive=True) if p.pid != me)]
    peak_rss = max(peak_rss, total(tree, lambda p: p.memory_info().rss))
    if turn % 10 == 0:
        peak_pss = max(peak_pss, total(tree, lambda p: p.memory_full_info().pss))
    for process in tree:
        try:
            cpu[process.pid] = own_cpu(process)
        except psutil.Error:
            pass
    turn += 1
cpu[root.pid] = own_cpu(root) - root_start  # the measured process only counts from the start
print(peak_rss, peak_pss, sum(cpu.values()))
"""


class MemorySampler:
    """Peak RSS (every 0.1 s) and PSS (every 1 s) of this process tree while work runs, and the
    CPU time its processes used (each one as last seen alive, at most 0.1 s before its end).

    The sampler is a separate process, so the measured process has no extra thread: it
    neither competes for the GIL nor stops `-j 2` from forking its workers.
    """

    def __enter__(self) -> MemorySampler:
        self._process = subprocess.Popen(
            [sys.executable, "-c", SAMPLER, str(os.getpid())], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        time.sleep(0.3)  # let it take its first sample before the work starts
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self._process.communicate("stop\n", timeout=60)
        rss, pss, cpu = out.split()
        self.peak_rss, self.peak_pss, self.cpu = int(rss), int(pss), float(cpu)


def run_bare(fixtures: Path, count: int) -> int:
    from playwright.sync_api import sync_playwright

    from guide.browser import launch, resolve_browser

    steps = 0
    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(None, playwright))
        for i in range(count):
            for mode in ("courriel", "courrier") if corpus.asks(i) else (None,):
                context = open_context(browser, CHECK, fixtures)
                steps += corpus.bare(context, i, mode)
                context.close()
        browser.close()
    return steps


def cpu_seconds() -> float:
    """CPU time of this process and of every descendant that has ended and been waited for.

    A measured run ends with its browsers, drivers and workers gone, so the difference
    across a run is the CPU the whole run used, whatever else the machine was doing.
    """
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(label: str, work: Callable[[], int]) -> dict:
    print(f"  running {label}…", file=sys.stderr, flush=True)
    with MemorySampler() as memory:
        reaped, started = cpu_seconds(), time.perf_counter()
        steps = work()
        seconds, reaped = time.perf_counter() - started, cpu_seconds() - reaped
    cpu = max(memory.cpu, reaped)  # both undercount a little, differently: keep the larger
    figure = {
        "label": label,
        "seconds": seconds,
        "cpu": cpu,
        "steps": steps,
        "rss": memory.peak_rss,
        "pss": memory.peak_pss,
    }
    print(f"  (CPU as sampled {memory.cpu:.1f} s, as reaped {reaped:.1f} s)", file=sys.stderr, flush=True)
    print(
        f"  {label}: {seconds:.1f} s, {cpu:.1f} s CPU, peak RSS {memory.peak_rss / GIB:.2f} GiB",
        file=sys.stderr,
        flush=True,
    )
    return figure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=200, help="flows to generate (default: 200)")
    parser.add_argument("--compare-pools", action="store_true", help="also run -j 2 with threads")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="guide-bench-"))
    try:
        flows, fixtures = corpus.generate(root, args.flows)
        loaded = load_flows([flows])
        jobs = plan(loaded)
        assert len(jobs) == corpus.branch_count(args.flows)
        options = CheckOptions(fixtures=fixtures, out=root / "guide-results")
        load_before = os.getloadavg()[0]

        def guide(workers: int, pool: str = "process") -> Callable[[], int]:
            def work() -> int:
                results = run_checks(loaded, jobs, options, BrowserSource(), workers=workers, pool=pool)  # type: ignore[arg-type]
                drifted = [r.drift.text() for r in results if r.drift]
                assert not drifted, drifted[:3]
                return sum(r.steps for r in results)

            return work

        figures = [
            measure("bare Playwright", lambda: run_bare(fixtures, args.flows)),
            measure("guide check -j 1", guide(1)),
            measure("guide check -j 2 (processes)", guide(2)),
        ]
        if args.compare_pools:
            figures.append(measure("guide check -j 2 (threads)", guide(2, "thread")))
        load_after = os.getloadavg()[0]
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    bare, one, two = figures[0], figures[1], figures[2]
    print(
        f"corpus: {args.flows} flows, {len(jobs)} branches, {one['steps']} steps; "
        f"{os.cpu_count()} CPUs; load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"{'run':<30} {'time':>8} {'ms/step':>8} {'CPU':>8} {'cores':>6} {'peak RSS':>10} {'peak PSS':>10}")
    for figure in figures:
        print(
            f"{figure['label']:<30} {figure['seconds']:>7.1f}s {figure['seconds'] / figure['steps'] * 1000:>8.0f} "
            f"{figure['cpu']:>7.1f}s {figure['cpu'] / figure['seconds']:>6.2f} "
            f"{figure['rss'] / GIB:>8.2f}Gi {figure['pss'] / GIB:>8.2f}Gi"
        )
    assert bare["steps"] == one["steps"] == two["steps"], "both sides must do the same steps"
    ratio, speedup = one["seconds"] / bare["seconds"], one["seconds"] / two["seconds"]
    print(f"guide -j 1 / bare: {ratio:.2f}x wall time, {one['cpu'] / bare['cpu']:.2f}x CPU time (target <= 1.3x)")
    busy = one["cpu"] / one["seconds"]
    print(
        f"-j 1 / -j 2 (processes): {speedup:.2f}x faster (target >= 1.6x); -j 1 already keeps {busy:.2f} "
        f"cores busy (Chromium's processes work beside Python's), so {os.cpu_count()} CPUs allow at most "
        f"{min(2, (os.cpu_count() or 1) / busy):.2f}x"
    )
    if args.compare_pools:
        print(f"-j 1 / -j 2 (threads):   {one['seconds'] / figures[3]['seconds']:.2f}x faster")
    print(f"peak memory -j 2: {two['rss'] / GIB:.2f} GiB RSS, {two['pss'] / GIB:.2f} GiB PSS (target < 1 GiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
