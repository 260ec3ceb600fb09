"""What a run found, as data: every report (console, JUnit, GitHub, HTML) and the result files
that sharded CI jobs merge are made from these.

A result file (`results.json`, see `save`/`load`) holds one run: where it ran and the result of
each branch. Secret values are masked before anything reaches these objects.
"""

from __future__ import annotations

import json
import platform
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..files import write_atomic

if TYPE_CHECKING:
    from ..engine import Drift
    from ..secrets import Values

FORMAT = 1  # the result file's format version
RESULTS_FILE = "results.json"
Status = Literal["passed", "drift", "flaky"]


@dataclass
class DriftReport:
    where: str  # flow file:line
    step_id: str
    instruction: str
    problem: str
    expected: str
    found: str
    fix: str
    url: str = ""
    screenshot: str | None = None
    trace: str | None = None
    blocked: list[str] = field(default_factory=list)  # requests refused during the failing step

    @classmethod
    def from_drift(cls, drift: Drift, values: Values) -> DriftReport:
        """The report of a drift, every text that could hold a secret masked."""
        return cls(
            drift.where,
            drift.step.id,
            values.mask(drift.step.instruction),
            drift.problem,
            values.mask(drift.expected),
            values.mask(drift.found),
            drift.fix,
            values.mask(drift.url),
        )

    @property
    def file(self) -> str:
        return self.where.rsplit(":", 1)[0]

    @property
    def line(self) -> int:
        tail = self.where.rsplit(":", 1)[-1]
        return int(tail) if tail.isdigit() else 1

    def text(self) -> str:
        lines = [
            f"{self.where}: step '{self.step_id}': {self.problem}",
            f"  instruction: « {self.instruction} »",
            f"  expected:    {self.expected}",
            f"  found:       {self.found}",
        ]
        if self.url:
            lines.append(f"  page:        {self.url}")
        for number, request in enumerate(self.blocked):  # what the step may have needed
            lines.append(f"  {'blocked:' if number == 0 else '':<13}{request}")
        lines.append(f"  fix:         {self.fix}")
        if self.screenshot:
            lines.append(f"  screenshot:  {self.screenshot}")
        if self.trace:
            lines.append(f"  trace:       {self.trace}  (python -m playwright show-trace {self.trace})")
        return "\n".join(lines)


@dataclass
class Walked:
    """A step the branch went through, as the guide numbers and words it."""

    step_id: str
    where: str  # flow file:line
    instruction: str
    simulated: bool = False


@dataclass
class BranchResult:
    flow_id: str
    flow_file: str
    branch: str
    steps: int = 0
    seconds: float = 0.0
    drift: DriftReport | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # --explain: how targets matched
    blocked: list[str] = field(default_factory=list)  # every request refused, in order (secrets masked)
    walked: list[Walked] = field(default_factory=list)  # the steps gone through, in order
    failures: list[DriftReport] = field(default_factory=list)  # earlier attempts that drifted (--retries)
    flow_title: str = ""
    reused_from: str | None = None  # the run whose verdict was reused (cache), if any
    # Not reported: what routing answered each address with (a fixture file relative to the
    # fixtures folder, or None when blocked); guide.cache keys a reused verdict on it.
    served: dict[str, str | None] = field(default_factory=dict, repr=False)

    @property
    def passed(self) -> bool:
        return self.drift is None

    @property
    def status(self) -> Status:
        if self.drift is not None:
            return "drift"
        return "flaky" if self.failures else "passed"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["served"]
        data["status"] = self.status
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BranchResult:
        data = {k: v for k, v in data.items() if k != "status"}
        drift = data.pop("drift", None)
        walked = [Walked(**w) for w in data.pop("walked", [])]
        failures = [DriftReport(**f) for f in data.pop("failures", [])]
        return cls(**data, drift=DriftReport(**drift) if drift else None, walked=walked, failures=failures)


@dataclass
class RunInfo:
    """Where and when a run happened (shown by the HTML report, used to merge shards)."""

    started: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    seconds: float = 0.0
    shard: str | None = None  # "1/3"
    lang: str = "fr"
    machine: str = field(default_factory=platform.node)
    guide: str = ""

    def __post_init__(self) -> None:
        if not self.guide:
            from importlib.metadata import PackageNotFoundError, version

            try:
                self.guide = version("guide")
            except PackageNotFoundError:
                self.guide = "dev"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "main"


def artifacts_folder(out: Path, flow_id: str, branch: str) -> Path:
    """Where a drifting branch's screenshot and trace go: OUT/<flow-id>/<branch>/."""
    return out / flow_id / slug(branch)


def _reports(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [report for report in (data.get("drift"), *data.get("failures", [])) if report]


def _artifacts(results: list[dict[str, Any]], change: Callable[[str], str]) -> None:
    for data in results:
        for report in _reports(data):
            for name in ("screenshot", "trace"):
                if report.get(name):
                    report[name] = change(report[name])


def save(path: Path, results: list[BranchResult], run: RunInfo) -> None:
    """The machine-readable result of a run (private: it may name test values' pages).

    Screenshots and traces inside the file's folder are named relative to it, so the folder can
    travel (a CI artifact downloaded elsewhere, then merged) with its files still found.
    """
    base = path.parent.resolve()

    def portable(name: str) -> str:
        file = Path(name).resolve()
        return file.relative_to(base).as_posix() if file.is_relative_to(base) else str(file)

    records = [r.to_dict() for r in results]
    _artifacts(records, portable)
    data = {"format": FORMAT, "run": asdict(run), "results": records}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1), private=True)


class ResultFileError(ValueError):
    """A result file that cannot be read; the message names it and says why."""


def load(path: Path) -> tuple[list[BranchResult], RunInfo]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ResultFileError(
                f"{path}: result file format {data.get('format')!r}, expected {FORMAT}: "
                "make it with the same guide version"
            )
        records = data["results"]
        _artifacts(records, lambda name: str(path.parent.resolve() / name))  # absolute names stay as they are
        return [BranchResult.from_dict(r) for r in records], RunInfo(**data["run"])
    except ResultFileError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ResultFileError(
            f"{path}: not a guide result file ({type(error).__name__}: {error}); fix: name the folder that "
            "`guide check --report DIR` wrote, or its results.json"
        ) from None
