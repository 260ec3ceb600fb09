"""`pytest flows/`: the pytest plugin collects flows as tests and reports drift like guide check."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, FLOWS
from .drift.dsfr_variants import build_variant
from .junit_readers import failed_places

pytest_plugins = ["pytester"]

DOUANE = "douane-mot-de-passe-portailpro"
NODE_IDS = [
    "flows/dgfip-mot-de-passe-xt.yaml::dgfip-mot-de-passe-xt[oublie/methode-1]",
    "flows/dgfip-mot-de-passe-xt.yaml::dgfip-mot-de-passe-xt[oublie/methode-2]",
    "flows/dgfip-mot-de-passe-xt.yaml::dgfip-mot-de-passe-xt[expire/methode-2]",
    f"flows/{DOUANE}.yaml::{DOUANE}[main]",
]
NOT_FLOWS = {
    # a CI file has steps but no version: 1; a data file has version: 1 but no steps
    "flows/ci.yml": "name: check\nsteps:\n  - run: make check\n",
    "flows/data.yaml": "version: 1\nrows: [1, 2]\n",
}


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A copy of the repository's flows and fixtures, plus YAML files that are not flows."""
    shutil.copytree(FLOWS, pytester.path / "flows")
    shutil.copytree(FIXTURES, pytester.path / "fixtures")
    for name, text in NOT_FLOWS.items():
        (pytester.path / name).write_text(text, encoding="utf-8")
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    return pytester


def line_of(flow: Path, step_id: str) -> int:
    lines = flow.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == f"- id: {step_id}")


def test_collects_one_test_per_flow_and_branch_and_nothing_else(project):
    result = project.runpytest("flows", "--collect-only", "-q")
    assert result.ret == 0
    collected = [line for line in result.outlines if "::" in line]
    assert collected == NODE_IDS
    assert not any("ci.yml" in line or "data.yaml" in line for line in result.outlines)


def test_k_selects_branches_by_name(project):
    result = project.runpytest("flows", "--collect-only", "-q", "-k", "methode-2")
    assert [line for line in result.outlines if "::" in line] == NODE_IDS[1:3]


def test_guide_shard_splits_the_branches(project):
    seen = []
    for index in (1, 2, 3):
        result = project.runpytest("flows", "--collect-only", "-q", f"--guide-shard={index}/3")
        seen += [line for line in result.outlines if "::" in line]
    assert sorted(seen) == sorted(NODE_IDS)


def test_a_broken_flow_is_a_collection_error_with_file_line(project):
    broken = project.path / "flows" / "broken.yaml"
    broken.write_text("version: 1\nid: cassé\ntitle: x\nsteps: []\n", encoding="utf-8")
    result = project.runpytest("flows", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # collection errors stop the run
    output = result.stdout.str()
    assert "flows/broken.yaml:2:" in output and "Traceback" not in output


def test_bad_options_are_usage_errors(project):
    result = project.runpytest("flows", "--guide-fixtures", "nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--guide-fixtures: 'nowhere' is not a folder" in result.stderr.str()
    result = project.runpytest("flows", "--guide-shard", "3/2")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "is not a shard" in result.stderr.str()


def test_flows_pass_in_a_real_browser(project):
    """Offline machine: Playwright's Chromium is absent, the plugin falls back to the system one."""
    result = project.runpytest_subprocess("flows", "-p", "no:warnings")
    result.assert_outcomes(passed=4)


def test_drift_fails_with_the_drift_report_under_xdist_with_traces(project, tmp_path):
    """The acceptance scenario: the button « Réinitialiser » renamed « Valider »."""
    fixtures = build_variant("renamed-button", tmp_path / "fixtures")
    output = tmp_path / "results"
    result = project.runpytest_subprocess(
        "flows",
        "-n",
        "2",
        "--guide-fixtures",
        str(fixtures),
        "--guide-timeout",
        "3",
        "--tracing",
        "retain-on-failure",
        "--screenshot",
        "only-on-failure",
        "--output",
        str(output),
        "--junitxml",
        str(tmp_path / "junit.xml"),
        "-p",
        "no:warnings",
    )
    result.assert_outcomes(passed=3, failed=1)
    text = result.stdout.str()
    line = line_of(project.path / "flows" / f"{DOUANE}.yaml", "reinitialiser")
    where = next(w for w in text.split() if w.startswith(f"flows/{DOUANE}.yaml:"))
    assert line <= int(where.split(":")[1].rstrip(":")) <= line + 6, where
    assert "step 'reinitialiser': missing target" in text
    assert 'bouton "Valider" trouvé à la place de "Réinitialiser"' in text
    # guide's report, not a Playwright stack
    assert "Traceback" not in text and "playwright/_impl" not in text and "def run_flow_branch" not in text
    junit = (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert "step &apos;reinitialiser&apos;: missing target" in junit or "step 'reinitialiser': missing target" in junit
    case = next(c for c in ET.fromstring(junit).iter("testcase") if c.find("failure") is not None)
    assert case.get("classname") == DOUANE, "one name, not split on dots (flows/x.yaml -> 'yaml')"
    # where a CI's JUnit annotations land (mikepenz/action-junit-report's rule): the drifting step
    [(file, line_number)] = failed_places(tmp_path / "junit.xml", project.path)
    assert file is not None and file.resolve() == (project.path / "flows" / f"{DOUANE}.yaml").resolve()
    assert line_number == int(where.split(":")[1])
    # pytest-playwright's artifacts, with the flow's secret values masked in the trace
    kept = list(output.rglob("*"))
    assert any(p.name == "test-failed-1.png" for p in kept), kept
    trace = next(p for p in kept if p.name == "trace.zip")
    with zipfile.ZipFile(trace) as archive:
        blob = b"".join(archive.read(name) for name in archive.namelist())
    assert b"fill" in blob and b"camille.martin@exemple.fr" not in blob
