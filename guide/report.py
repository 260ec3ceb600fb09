"""What a check tells people: drift messages, the summary table, JUnit XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from .files import write_atomic

if TYPE_CHECKING:
    from .engine import Drift
    from .secrets import Values


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

    @classmethod
    def from_drift(cls, drift: Drift, values: Values) -> DriftReport:
        """The report of a drift, every text that could hold a secret masked."""
        return cls(drift.where, drift.step.id, values.mask(drift.step.instruction), drift.problem,
                   values.mask(drift.expected), values.mask(drift.found), drift.fix, values.mask(drift.url))

    def text(self) -> str:
        lines = [
            f"{self.where}: step '{self.step_id}': {self.problem}",
            f"  instruction: « {self.instruction} »",
            f"  expected:    {self.expected}",
            f"  found:       {self.found}",
        ]
        if self.url:
            lines.append(f"  page:        {self.url}")
        lines.append(f"  fix:         {self.fix}")
        if self.screenshot:
            lines.append(f"  screenshot:  {self.screenshot}")
        if self.trace:
            lines.append(f"  trace:       {self.trace}  (python -m playwright show-trace {self.trace})")
        return "\n".join(lines)


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

    @property
    def passed(self) -> bool:
        return self.drift is None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "main"


def artifacts_folder(out: Path, flow_id: str, branch: str) -> Path:
    """Where a drifting branch's screenshot and trace go: OUT/<flow-id>/<branch>/."""
    return out / flow_id / slug(branch)


def summary_table(results: list[BranchResult]) -> Table:
    table = Table(title="guide check", title_justify="left")
    for column in ("flow", "branch", "steps", "result", "time"):
        table.add_column(column, justify="right" if column in ("steps", "time") else "left")
    for result in results:
        verdict = f"[red]drift[/] at {result.drift.step_id}" if result.drift else "[green]ok[/]"
        table.add_row(result.flow_id, result.branch, str(result.steps), verdict, f"{result.seconds:.2f} s")
    return table


def print_results(console: Console, results: list[BranchResult]) -> None:
    told: set[str] = set()  # branches share steps: say each explanation once
    for result in results:
        if result.drift:
            console.print(f"\n[bold red]✗ {result.flow_id} › {result.branch}[/]", highlight=False)
            console.print(result.drift.text(), markup=False, highlight=False)
        for warning in result.warnings:
            console.print(f"[yellow]! {result.flow_id} › {result.branch}: {warning}[/]", highlight=False)
        for note in result.notes:
            if note not in told:
                told.add(note)
                console.print(f"[dim]i {note}[/]", highlight=False)
    console.print()
    console.print(summary_table(results))
    failed = sum(not r.passed for r in results)
    if failed:
        console.print(f"[bold red]{failed} of {len(results)} branches drifted from the guide.[/]")
    else:
        console.print(f"[bold green]All {len(results)} branches match the pages.[/]")


def junit_xml(results: list[BranchResult]) -> bytes:
    """JUnit XML: a suite per flow, a test case per branch, the drift report as failure."""
    suites = ET.Element("testsuites", name="guide check")
    by_flow: dict[str, list[BranchResult]] = {}
    for result in results:
        by_flow.setdefault(result.flow_id, []).append(result)
    for flow_id, items in by_flow.items():
        suite = ET.SubElement(suites, "testsuite", name=flow_id, tests=str(len(items)),
                              failures=str(sum(not r.passed for r in items)), errors="0",
                              time=f"{sum(r.seconds for r in items):.3f}", file=items[0].flow_file)
        for result in items:
            case = ET.SubElement(suite, "testcase", classname=flow_id, name=result.branch,
                                 time=f"{result.seconds:.3f}", file=result.flow_file)
            if result.drift:
                failure = ET.SubElement(case, "failure", message=f"{result.drift.where}: {result.drift.problem}",
                                        type="drift")
                failure.text = result.drift.text()
                attachments = [p for p in (result.drift.screenshot, result.drift.trace) if p]
                if attachments:  # the convention Jenkins and GitLab read to attach files
                    out = ET.SubElement(case, "system-out")
                    out.text = "\n".join(f"[[ATTACHMENT|{Path(p).resolve()}]]" for p in attachments)
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)


def write_junit(path: Path, results: list[BranchResult]) -> None:
    write_atomic(path, junit_xml(results))  # published: CI servers and colleagues read it
