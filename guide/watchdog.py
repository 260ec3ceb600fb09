"""A bound on every branch: a page that stops responding ends its branch, never the run.

Playwright's sync API waits for the page for some calls (reading the title, evaluating a
script) with no timeout of their own, and a page whose script spins never answers. A watchdog
thread gives each branch a deadline derived from its step count and --timeout; when it passes,
the watchdog ends the branch's renderer processes: every pending call then fails at once
("Target crashed"), the runner reports the branch as a page that no longer responds, and the
browser goes on with the next branch in a fresh context.

Processes are found through /proc (Linux, where CI runs): the renderers under the browser guide
launched, recognised by a marker switch it adds to the command line. Elsewhere the watchdog
cannot end a stuck page and says so once.
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
MARKER = "--guide-browser="  # Chromium ignores switches it does not know
BASE_S = 10.0  # opening the context and the first page
PER_STEP_TIMEOUTS = 4  # a step may wait for its target, its action, its landing and the page's look


def new_marker() -> str:
    """A switch to launch a browser with, so that its processes can be found again."""
    return f"{MARKER}{uuid.uuid4().hex}"


def branch_bound(steps: int, timeout_s: float) -> float:
    """The most a branch may take: every step waiting as long as --timeout allows, four times over."""
    return BASE_S + steps * PER_STEP_TIMEOUTS * max(timeout_s, 0.5) + steps


@dataclass
class Watch:
    """One branch's deadline; `expired` says the watchdog had to end it."""

    seconds: float
    marker: str | None
    expired: bool = False
    _done: threading.Event = field(default_factory=threading.Event)

    def _run(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.expired = True
        end_renderers(self.marker)


@contextmanager
def watching(seconds: float | None, marker: str | None) -> Iterator[Watch | None]:
    """Bound what runs inside by `seconds` (None: no bound, e.g. a person following the guide)."""
    if seconds is None:
        yield None
        return
    watch = Watch(seconds, marker)
    thread = threading.Thread(target=watch._run, name="guide-watchdog", daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        watch._done.set()
        thread.join(timeout=5)


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process we may see."""
    found: dict[int, tuple[int, str]] = {}
    for entry in PROC.iterdir() if PROC.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError):
            continue  # gone meanwhile, or not ours to read
        found[int(entry.name)] = (parent, command)
    return found


def _descendants(processes: dict[int, tuple[int, str]], roots: set[int]) -> set[int]:
    found, frontier = set(), set(roots)
    while frontier:
        children = {pid for pid, (parent, _) in processes.items() if parent in frontier and pid not in found}
        found |= children
        frontier = children
    return found


def renderers(marker: str | None) -> list[int]:
    """The renderer processes of the browser launched with `marker` (None: any browser of ours)."""
    processes = _processes()
    if marker:
        roots = {pid for pid, (_, command) in processes.items() if marker in command and "--type=" not in command}
    else:
        roots = {os.getpid()}
    return sorted(pid for pid in _descendants(processes, roots) if "--type=renderer" in processes[pid][1])


def end_renderers(marker: str | None) -> int:
    """End the renderers (their pages crash; the browser lives on); how many were ended."""
    ended = 0
    for pid in renderers(marker):
        try:
            os.kill(pid, signal.SIGKILL)
            ended += 1
        except OSError:
            pass
    return ended
