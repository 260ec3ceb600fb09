"""JUnit XML: a suite per flow, a case per branch, the drift report as the failure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..files import write_atomic
from .results import BranchResult


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
