"""How the popular JUnit-annotation action (mikepenz/action-junit-report) finds a failure's place.

Its rule, reimplemented to test our JUnit against: the file is the case's `file` attribute, else
its failure's, else its suite's, else the last dot-separated part of the classname; the line is
the case's (or failure's, or suite's) `line`, else the last ` <path>…:<n>` in the failure text
that names that file, else 1. The file is then taken as a path from the workspace if it exists,
else searched as `**/<file>.*`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path


def _first(*values: str | None) -> str | None:
    return next((value for value in values if value), None)


def place(case: ET.Element, suite: ET.Element, workspace: Path) -> tuple[Path | None, int]:
    """The file (None when the action would find none) and line it annotates for a failed case."""
    failure = case.find("failure")
    failure_attrs = failure.attrib if failure is not None else {}
    name = _first(case.get("file"), failure_attrs.get("file"), suite.get("file"))
    name = name or (case.get("classname") or case.get("name") or "").split(".")[-1]
    text = (failure.text or "") if failure is not None else ""
    given = _first(case.get("line"), failure_attrs.get("line"), suite.get("line"))
    line = int(given) if given and given.isdigit() else None
    if line is None:
        found = re.findall(rf" [^ ]*{re.escape(name)}.*?:(\d+)", text)
        line = int(found[-1]) if found else 1
    path = workspace / name
    if not path.is_file():
        path = next(iter(sorted(workspace.glob(f"**/{name.removeprefix('./')}.*"))), None)
    return path, line


def failed_places(junit: Path, workspace: Path) -> list[tuple[Path | None, int]]:
    """Where each failed case of a JUnit file would be annotated."""
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    return [
        place(case, suite, workspace)
        for suite in suites
        for case in suite.findall("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
