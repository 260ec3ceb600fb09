"""How much a `guide shots` screenshot costs next to a bare Playwright page.screenshot.

For every step the camera shoots, the same page is first captured with a bare
`page.screenshot()` (timed), then the camera draws the overlay (guide.overlay.show), masks
the secrets and takes its screenshot (timed). Both run interleaved in one browser, so the
verdict is the median of the paired ratios: a load spike from another process hits one
pair, not the result. The budget is 1.3× per screenshot; the total-time ratio is printed too.

    .venv/bin/python bench/bench_shots.py [--flows flows] [--fixtures fixtures] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from guide.browser import launch, resolve_browser  # noqa: E402
from guide.engine import StepContext  # noqa: E402
from guide.loader import load_flows  # noqa: E402
from guide.shots import Camera, ShotOptions, shoot_flow  # noqa: E402

BUDGET = 1.3


@dataclass
class TimedCamera(Camera):
    """The camera, with a bare screenshot of the same page taken just before each shot."""

    bare: list[float] = field(default_factory=list)
    shot: list[float] = field(default_factory=list)

    def _shoot(self, ctx: StepContext, **card: object) -> None:
        shot = self.plan.get(ctx.path)
        if shot is None or shot.name in self.taken:
            return
        started = time.perf_counter()
        ctx.page.screenshot()
        self.bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        super()._shoot(ctx, **card)
        self.shot.append(time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", default=str(ROOT / "flows"))
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    parser.add_argument("--rounds", type=int, default=3, help="replays of every flow (default: 3)")
    args = parser.parse_args()

    cameras: list[TimedCamera] = []

    def camera(*a, **k) -> TimedCamera:  # keep every camera shoot_flow builds, to read its timings
        cameras.append(TimedCamera(*a, **k))
        return cameras[-1]

    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(None, playwright))
        options = ShotOptions(out=Path("/nonexistent"), fixtures=args.fixtures, artifacts=False)
        for _ in range(args.rounds):
            for loaded in load_flows([args.flows]):
                outcome = shoot_flow(browser, loaded, options, camera_type=camera)  # type: ignore[arg-type]
                if outcome.drift:
                    print(outcome.drift.drift.text())  # type: ignore[union-attr]
                    return 1
        browser.close()

    bare = [t for c in cameras for t in c.bare]
    shot = [t for c in cameras for t in c.shot]
    paired = statistics.median(s / b for s, b in zip(shot, bare, strict=True))
    print(
        f"screenshots: {len(shot)} ({args.rounds} rounds), load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print(
        f"bare page.screenshot      : median {statistics.median(bare) * 1000:6.1f} ms, mean {statistics.mean(bare) * 1000:6.1f} ms"
    )
    print(
        f"guide shots, per screenshot: median {statistics.median(shot) * 1000:6.1f} ms, mean {statistics.mean(shot) * 1000:6.1f} ms"
        "  (overlay.show + masks + screenshot)"
    )
    print(
        f"ratio: {paired:.2f}x per screenshot (median of the {len(shot)} paired ratios; budget {BUDGET}x); "
        f"{sum(shot) / sum(bare):.2f}x in total time (sensitive to load spikes from other processes)"
    )
    return 0 if paired <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
