"""Cached verdicts at scale: `guide check` on 200 generated flows, three times.

    .venv/bin/python bench/bench_cache.py [--flows 200]

End to end, as a user runs it (`python -m guide check … --cache-dir DIR`, a new process each
time, browser launch included), on the corpus of bench/corpus.py (one browser, -j 1):
  1. first run   an empty cache: every branch is replayed, and its pass is kept;
  2. unchanged   nothing changed: every verdict is reused, no browser is started;
  3. one page    one flow's confirmation page edited: only the branches that were served that
                 page are replayed (read from the run's results.json: `reused_from` is empty).
Prints each time, the speed-up over the first run (target: >= 20x for the unchanged run) and
which branches the third run replayed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

from guide.reports.results import RESULTS_FILE, load  # noqa: E402

CHANGED = 7  # the flow whose confirmation page the third run finds edited


def check(root: Path, name: str) -> tuple[float, list[str], int]:
    """One `guide check` process: its wall time, the branches it replayed, how many it reported."""
    report = root / name
    command = [
        sys.executable,
        "-m",
        "guide",
        "check",
        str(root / "flows"),
        "--fixtures",
        str(root / "fixtures"),
        "--cache-dir",
        str(root / "cache"),
        "--report",
        str(report),
        "--out",
        str(report),
        "--retries",
        "0",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=root)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"guide check failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    results, _ = load(report / RESULTS_FILE)
    return seconds, [f"{r.flow_id} › {r.branch}" for r in results if r.reused_from is None], len(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=200, help="flows to generate (default: 200)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="guide-bench-cache-"))
    try:
        corpus.generate(root, args.flows)
        load_before = os.getloadavg()[0]
        first, replayed_first, total = check(root, "first")
        assert len(replayed_first) == total == corpus.branch_count(args.flows)
        unchanged, replayed_unchanged, _ = check(root, "unchanged")
        page = root / "fixtures" / corpus.host(CHANGED) / f"demarche-{CHANGED}" / "envoye.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace("</h1>", "</h1><p>Un courriel de confirmation suit.</p>"),
            encoding="utf-8",
        )
        one_page, replayed_one, _ = check(root, "one-page")
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(
        f"corpus: {args.flows} flows, {total} branches; {os.cpu_count()} CPUs; "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"{'run':<34} {'time':>8} {'replayed':>9} {'speed-up':>9}")
    for label, seconds, replayed in (
        ("1. first run (empty cache)", first, replayed_first),
        ("2. nothing changed", unchanged, replayed_unchanged),
        ("3. one fixture page changed", one_page, replayed_one),
    ):
        print(f"{label:<34} {seconds:>7.2f}s {len(replayed):>9} {first / seconds:>8.1f}x")
    print(f"nothing changed: {first / unchanged:.1f}x faster than the first run (target >= 20x)")
    expected = {f"demarche-{CHANGED} › main"} if not corpus.asks(CHANGED) else None
    print(
        f"one page changed: replayed {', '.join(replayed_one) or 'nothing'}"
        + (
            ""
            if expected is None
            else f" ({'only' if set(replayed_one) == expected else 'NOT only'} the branches served that page)"
        )
    )
    assert not replayed_unchanged, replayed_unchanged
    assert expected is None or set(replayed_one) == expected, replayed_one
    return 0


if __name__ == "__main__":
    sys.exit(main())
