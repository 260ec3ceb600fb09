"""Shared test set-up. The browser comes from guide's pytest plugin (guide/pytest_browser.py),
which resolves it the way `guide` does: Playwright's Chromium, else a system one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"  # the bundled tree: pages built on the real DSFR
HANDWRITTEN = ROOT / "tests" / "fixtures" / "handwritten"  # the first, hand-written pages
FLOWS = ROOT / "flows"


def guide(
    *args: str,
    env: dict[str, str] | None = None,
    runner: Sequence[str] = (),
    timeout: float = 300,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as CI does (its own Playwright, outside pytest's).

    `runner` goes before the command (e.g. xvfb-run); `env` adds to the environment.
    """
    return subprocess.run(
        [*runner, sys.executable, "-m", "guide", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """guide live keeps where a person stopped under $XDG_STATE_HOME: never the tester's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))  # guide check's verdicts
    for name in ("CI", "GITHUB_ACTIONS", "GITLAB_CI"):  # --retries defaults to 1 on CI: tests say it
        monkeypatch.delenv(name, raising=False)
