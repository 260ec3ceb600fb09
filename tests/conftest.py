"""Shared test set-up: pytest-playwright's browser, resolved the way guide resolves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from guide.browser import QUIET_ARGS, resolve_browser

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
FLOWS = ROOT / "flows"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Use guide's browser choice (Playwright's Chromium, else a system one) and quiet flags."""
    choice = resolve_browser()
    args = [*browser_type_launch_args.get("args", []), *QUIET_ARGS]
    return {**browser_type_launch_args, "executable_path": choice.executable, "args": args}
