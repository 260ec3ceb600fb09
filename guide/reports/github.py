"""GitHub Actions: an annotation on the flow's line for each drift, and a job summary.

On GitHub Actions (GITHUB_ACTIONS=true) `guide check` also prints workflow commands —
`::error file=…,line=…,title=…::…` for a drift, `::warning …` for a flaky branch — which GitHub
shows on the flow file in the pull request, and appends a Markdown table to the file named by
$GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from .results import BranchResult


def _data(text: str) -> str:
    """A workflow command's message: newlines and % escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also , and : escaped."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_commands(results: list[BranchResult]) -> list[str]:
    lines = []
    for result in results:
        report = result.drift or (result.failures[0] if result.failures else None)
        if report is None:
            continue
        kind = "error" if result.drift else "warning"
        what = "drift" if result.drift else "flaky (drifted, then passed)"
        title = f"{result.flow_id} › {result.branch}: {what}, {report.problem} at step {report.step_id}"
        lines.append(
            f"::{kind} file={_property(report.file)},line={report.line},title={_property(title)}::"
            f"{_data(report.text())}"
        )
    return lines


def summary(results: list[BranchResult]) -> str:
    """The Markdown table for the job summary."""
    rows = ["## guide check", "", "| flow | branch | result | step | where |", "|---|---|---|---|---|"]
    for result in results:
        report = result.drift or (result.failures[0] if result.failures else None)
        verdict = {"passed": "✅ passed", "drift": "❌ drift", "flaky": "⚠️ flaky"}[result.status]
        step = f"`{report.step_id}`: {report.problem}" if report else ""
        where = f"`{report.where}`" if report else f"`{result.flow_file}`"
        rows.append(f"| {result.flow_id} | {result.branch} | {verdict} | {step} | {where} |")
    counts = {status: sum(r.status == status for r in results) for status in ("passed", "drift", "flaky")}
    rows += ["", f"{counts['passed']} passed, {counts['drift']} drifted, {counts['flaky']} flaky."]
    return "\n".join(rows) + "\n"


def on_github(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def report(
    results: list[BranchResult], print_line: Callable[[str], object], environ: Mapping[str, str] = os.environ
) -> None:
    """Print the annotations, and append the summary to $GITHUB_STEP_SUMMARY when it is set."""
    for line in workflow_commands(results):
        print_line(line)
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as stream:
            stream.write(summary(results))
