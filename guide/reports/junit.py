"""JUnit XML: a suite per flow, a case per branch, the drift report as the failure.

Each case names the flow file and, when it drifted, the line of the step that broke (`file`,
`line`): the JUnit readers of CI systems (GitLab, GitHub's JUnit-annotation actions, Jenkins)
point there. A flaky branch passes with a `flakyFailure` per failed attempt, a drifting one
lists its earlier attempts as `rerunFailure` (Maven Surefire's rerun format); artifacts are attached with `[[ATTACHMENT|…]]`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..files import write_atomic
from .results import BranchResult, DriftReport


def _attachments(parent: ET.Element, report: DriftReport) -> None:
    files = [p for p in (report.screenshot, report.trace) if p]
    if files:  # the convention Jenkins and GitLab read to attach files
        out = ET.SubElement(parent, "system-out")
        out.text = "\n".join(f"[[ATTACHMENT|{Path(p).resolve()}]]" for p in files)


def _message(report: DriftReport) -> str:
    return f"step {report.step_id!r} ({report.where}): {report.problem}"


def junit_xml(results: list[BranchResult]) -> bytes:
    """JUnit XML: a suite per flow, a test case per branch, the drift report as failure."""
    suites = ET.Element("testsuites", name="guide check")
    by_flow: dict[str, list[BranchResult]] = {}
    for result in results:
        by_flow.setdefault(result.flow_id, []).append(result)
    for flow_id, items in by_flow.items():
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=flow_id,
            tests=str(len(items)),
            failures=str(sum(not r.passed for r in items)),
            errors="0",
            time=f"{sum(r.seconds for r in items):.3f}",
            file=items[0].flow_file,
        )
        for result in items:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=flow_id,
                name=result.branch,
                time="0.000" if result.reused_from else f"{result.seconds:.3f}",
                file=result.flow_file,
            )
            if result.reused_from:  # a cached verdict: say from which run (guide.cache)
                properties = ET.SubElement(case, "properties")
                ET.SubElement(properties, "property", name="reused_from", value=result.reused_from)
            if result.drift:
                case.set("line", str(result.drift.line))
                failure = ET.SubElement(case, "failure", message=_message(result.drift), type="drift")
                failure.text = result.drift.text()
                _attachments(case, result.drift)
            # Surefire's rerun format: earlier failed attempts of a failing case, or of a flaky one
            tag = "rerunFailure" if result.drift else "flakyFailure"
            for earlier in result.failures:
                flaky = ET.SubElement(case, tag, message=_message(earlier), type="drift")
                ET.SubElement(flaky, "stackTrace").text = earlier.text()
                _attachments(flaky, earlier)
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True)


def write_junit(path: Path, results: list[BranchResult]) -> None:
    write_atomic(path, junit_xml(results))  # published: CI servers and colleagues read it
