"""Cached verdicts: a branch that passed is not replayed while nothing it depends on changed.

A verdict depends on the flow file (its steps, pages and test values), on every fixture file
routing answered the branch's requests with, on the addresses that found no file (a file added
there now answers them), on guide itself (its version and the digest of its source, overlay
included), on the browser (its executable and version) and on the options that change a
verdict (fixtures folder, --timeout, --explain). The first six are the key of an entry or are
checked against it; any change, and the branch runs again.

Only clean passes are stored: never a drift, never a flaky pass (it drifted once: it is run
again). An entry is one JSON file written atomically (a temporary file renamed over it), so
two runs sharing the folder at once never read half an entry; the last writer wins, and both
wrote the same verdict. Entries are private to their owner.

The folder: --cache-dir, else $XDG_CACHE_HOME/guide/verdicts, else ~/.cache/guide/verdicts.
`guide check --no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .files import write_atomic
from .loader import LoadedFlow
from .reports import BranchResult
from .routing import FixtureRouter
from .secrets import Values
from .tree import Branch

FORMAT = 1  # of an entry; a new format is a new key, old entries are simply never read
PACKAGE = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".py", ".js", ".css", ".json", ".po")


def default_folder(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guide" / "verdicts"


@cache
def guide_digest() -> str:
    """guide's version and a digest of its own files: an edited overlay or matcher is a new guide."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        name = version("guide")
    except PackageNotFoundError:
        name = "dev"
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{name}+{digest.hexdigest()[:16]}"


def browser_identity(executable: str | None) -> str:
    """The browser a run uses: its resolved executable, size, date and `--version`."""
    if executable is None:
        return "none"
    path = Path(executable).resolve()
    try:
        stat = path.stat()
    except OSError:
        return f"{path}|missing"
    try:
        said = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        said = ""
    return f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{said}"


@dataclass
class VerdictCache:
    """Where verdicts are kept, and what every key of this run shares (tool, browser, options)."""

    folder: Path
    fixtures: Path
    browser: str  # browser_identity()
    options: dict[str, Any]  # those that change a verdict
    run: str  # the run storing entries, as reports name it
    _hashes: dict[tuple[str, int, int], str] = field(default_factory=dict, repr=False)

    def key(self, loaded: LoadedFlow, branch: Branch) -> str:
        parts = {
            "format": FORMAT,
            "guide": guide_digest(),
            "browser": self.browser,
            "options": self.options,
            "fixtures": str(Path(self.fixtures).resolve()),
            "flow": str(Path(loaded.file).resolve()),
            "flow_sha256": hashlib.sha256(Path(loaded.file).read_bytes()).hexdigest(),
            "branch": branch.name,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def lookup(self, loaded: LoadedFlow, branch: Branch) -> BranchResult | None:
        """The stored pass of this branch, when every page it was served is still the same."""
        try:
            data = json.loads(self._entry(self.key(loaded, branch)).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or not self._same_pages(data["served"]):
                return None
            result = BranchResult.from_dict(data["result"])
        except (OSError, ValueError, KeyError, TypeError):  # none yet, or unreadable: run the branch
            return None
        result.reused_from = data["run"]
        return result

    def store(self, loaded: LoadedFlow, branch: Branch, result: BranchResult) -> None:
        """Keep a clean pass (never a drift, never a flaky pass) with the pages it was served."""
        if result.status != "passed" or result.reused_from is not None:
            return
        values = Values.for_fixtures(loaded.flow)
        if any(values.mask(url) != url for url in result.served):
            return  # a test value in an address: it stays out of the cache folder
        served = {url: file and [file, self._hash(file)] for url, file in result.served.items()}
        if any(value is not None and value[1] is None for value in served.values()):
            return  # a page that is gone already: nothing to key on
        entry = {"format": FORMAT, "run": self.run, "served": served, "result": result.to_dict()}
        try:
            write_atomic(self._entry(self.key(loaded, branch)), json.dumps(entry, ensure_ascii=False), private=True)
        except OSError:  # a full or read-only cache folder costs speed, never a verdict
            pass

    def _same_pages(self, served: dict[str, list[str] | None]) -> bool:
        router = FixtureRouter(self.fixtures)
        for url, was in served.items():
            now = router.file_for(url)
            if now is None or was is None:
                if now is not was:  # a page added where there was none, or one removed
                    return False
                continue
            file, digest = was
            if now.relative_to(router.root).as_posix() != file or self._hash(file) != digest:
                return False
        return True

    def _hash(self, relative: str) -> str | None:
        path = Path(self.fixtures).resolve() / relative
        try:
            stat = path.stat()
            seen = (str(path), stat.st_size, stat.st_mtime_ns)
            if seen not in self._hashes:
                self._hashes[seen] = hashlib.sha256(path.read_bytes()).hexdigest()
            return self._hashes[seen]
        except OSError:
            return None


def open_cache(
    folder: Path | None, fixtures: Path, executable: str | None, options: dict[str, Any], run: str
) -> VerdictCache:
    """The cache of a `guide check` run on this machine's browser (BrowserNotFound: exit 2)."""
    from concurrent.futures import ThreadPoolExecutor

    from .browser import playwright_chromium_path, resolve_browser

    def browser_path() -> str | None:
        choice = resolve_browser(executable)
        found = choice.executable or playwright_chromium_path()
        return str(found) if found else None

    # A thread of its own: finding Playwright's Chromium starts a sync Playwright, which cannot
    # run where one already runs (guide.cli.main called from a pytest-playwright test).
    with ThreadPoolExecutor(max_workers=1) as pool:
        path = pool.submit(browser_path).result()
    return VerdictCache(folder or default_folder(), fixtures, browser_identity(path), options, run)
