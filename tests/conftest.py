"""Shared test set-up. The browser comes from guide's pytest plugin (guide/pytest_browser.py),
which resolves it the way `guide` does: Playwright's Chromium, else a system one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
FLOWS = ROOT / "flows"
