"""What CI reads after `guide check`: flaky branches, JUnit file:line, GitHub annotations and summary.

Each run is a real check in headless Chromium. A "flaky" page is made the way it happens in the
field: the first attempt meets a page that drifts (a deploy half done), the replay meets the good one.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guide import check
from guide.cli import main
from guide.reports.results import RESULTS_FILE, load

from .conftest import FIXTURES, FLOWS, ROOT
from .drift.dsfr_variants import build_variant
from .junit_readers import failed_places

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"


def run_check(flows: Path, tree: Path, out: Path, *options: str, timeout: str = "1") -> int:
    """`guide check FLOWS` on the fixtures `tree`, artifacts under `out`, with each test's own options."""
    return main(["check", str(flows), "--fixtures", str(tree), "--timeout", timeout, "--out", str(out), *options])


def line_of(flow: Path, text: str) -> int:
    lines = flow.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip() == text)


# The drift is the target no longer found: the report points at the target's own line.
TARGET_LINE = line_of(DOUANE, 'target: button "Réinitialiser"')


@pytest.fixture
def heals_after_first_attempt(tmp_path, monkeypatch):
    """A fixtures tree that drifts on the first attempt of each check and is whole after it."""
    tree = tmp_path / "fixtures"
    calls = []
    real = check.check_branch

    def attempt(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(result.drift is not None)
        if len(calls) == 1:  # the deploy finishes between the two attempts
            shutil.rmtree(tree)
            shutil.copytree(FIXTURES, tree)
        return result

    def reset():
        calls.clear()
        shutil.rmtree(tree, ignore_errors=True)
        build_variant("renamed-button", tree)
        return tree

    monkeypatch.setattr(check, "check_branch", attempt)
    reset()
    return tree, calls, reset


def test_a_branch_that_drifts_then_passes_is_flaky_not_failed(tmp_path, heals_after_first_attempt, capsys):
    tree, calls, reset = heals_after_first_attempt
    junit, report, out = tmp_path / "junit.xml", tmp_path / "report", tmp_path / "out"
    code = run_check(DOUANE, tree, out, "--junit", str(junit), "--report", str(report), "--retries", "1")
    printed = capsys.readouterr().out
    assert calls == [True, False], "one drift, then the traced replay passes"
    assert code == 0, printed
    assert "flaky — drifted, then passed" in printed and "1 flaky" in printed
    assert "Réinitialiser" in printed  # the failed attempt's report is shown

    case = ET.parse(junit).getroot().find("testsuite/testcase")
    assert case.find("failure") is None
    flaky = case.find("flakyFailure")
    assert flaky is not None and "reinitialiser" in flaky.get("message")
    assert (out / "douane-mot-de-passe-portailpro" / "main" / "attempt-1" / "failure.png").is_file()

    [result] = load(report / RESULTS_FILE)[0]
    assert result.status == "flaky" and result.passed and len(result.failures) == 1

    reset()
    code = run_check(DOUANE, tree, out, "--retries", "1", "--fail-on-flaky")
    assert calls == [True, False] and code == 1, capsys.readouterr().out


def test_every_attempt_drifts_then_the_branch_drifts_with_a_trace(tmp_path, capsys):
    tree = build_variant("renamed-button", tmp_path / "fixtures")
    out, junit = tmp_path / "out", tmp_path / "junit.xml"
    code = run_check(DOUANE, tree, out, "--junit", str(junit), "--retries", "2")
    capsys.readouterr()
    assert code == 1
    kept = out / "douane-mot-de-passe-portailpro" / "main"
    assert sorted(p.name for p in kept.iterdir()) == ["attempt-1", "attempt-2", "attempt-3"]
    assert not (kept / "attempt-1" / "trace.zip").exists(), "the fast first attempt is not traced"
    assert (kept / "attempt-3" / "trace.zip").is_file()
    case = ET.parse(junit).getroot().find("testsuite/testcase")
    assert case.find("failure") is not None and case.find("flakyFailure") is None
    assert len(case.findall("rerunFailure")) == 2  # the two earlier attempts, Surefire's way


def test_junit_points_at_the_flow_file_and_the_line_of_the_step(tmp_path, capsys):
    tree = build_variant("renamed-button", tmp_path / "fixtures")
    junit = tmp_path / "junit.xml"
    run_check(DOUANE, tree, tmp_path / "out", "--retries", "0", "--junit", str(junit))
    capsys.readouterr()
    suite = ET.parse(junit).getroot().find("testsuite")
    case = suite.find("testcase")
    # What mikepenz/action-junit-report and GitLab read: the file, resolvable from the checkout, and the line.
    assert Path(case.get("file")).resolve() == DOUANE.resolve() == Path(suite.get("file")).resolve()
    assert int(case.get("line")) == TARGET_LINE
    [(file, line)] = failed_places(junit, ROOT)  # as mikepenz/action-junit-report reads it
    assert file is not None and file.resolve() == DOUANE.resolve() and line == TARGET_LINE
    attachments = case.find("system-out").text.splitlines()
    assert all(line.startswith("[[ATTACHMENT|/") and Path(line[13:-2]).is_file() for line in attachments)


def test_on_github_actions_drifts_are_annotations_on_the_flow_line_and_a_summary(tmp_path, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier steps wrote here\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    tree = build_variant("renamed-button", tmp_path / "fixtures")
    run_check(FLOWS, tree, tmp_path / "out", "--retries", "0")
    printed = capsys.readouterr().out
    [annotation] = [line for line in printed.splitlines() if line.startswith("::")]
    where, message = annotation[2:].split("::", 1)
    kind, properties = where.split(" ", 1)
    fields = dict(item.split("=", 1) for item in properties.split(","))
    assert kind == "error"
    assert Path(fields["file"]).resolve() == DOUANE.resolve()
    assert fields["line"] == str(TARGET_LINE)
    assert "reinitialiser" in fields["title"] and "%3A" not in fields["file"]
    assert "\n" not in message and "%0A" in message  # one line, GitHub unescapes it
    assert "Valider" in message

    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier steps wrote here\n"), "the summary is appended, not overwritten"
    assert "| douane-mot-de-passe-portailpro | main | ❌ drift |" in text
    assert "| dgfip-mot-de-passe-xt |" in text and "✅ passed" in text


def test_off_github_actions_no_workflow_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    tree = build_variant("renamed-button", tmp_path / "fixtures")
    run_check(DOUANE, tree, tmp_path / "out", "--retries", "0")
    assert "::error" not in capsys.readouterr().out


def test_retries_default_to_one_on_ci_and_none_elsewhere(monkeypatch):
    from guide.cli import build_parser

    assert build_parser().parse_args(["check"]).retries == 0  # locally, a drift is seen at once
    for name in ("CI", "GITHUB_ACTIONS", "GITLAB_CI"):
        monkeypatch.setenv(name, "true")
        assert build_parser().parse_args(["check"]).retries == 1, name
        monkeypatch.delenv(name)
    assert build_parser().parse_args(["check", "--retries", "3"]).retries == 3


def test_the_drift_report_names_the_requests_blocked_during_the_failing_step(tmp_path, capsys):
    """A page missing from the fixtures: the step that needed it says which request was refused."""
    tree = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, tree)
    (tree / "connexion.douane.gouv.fr" / "motDePasseOublie" / "confirmation.html").unlink()
    code = run_check(
        DOUANE,
        tree,
        tmp_path / "out",
        "--retries",
        "0",
        "--report",
        str(tmp_path / "report"),
        timeout="2",
    )
    printed = capsys.readouterr().out
    assert code == 1
    report = printed[printed.index("✗ douane-mot-de-passe-portailpro") :]
    blocked = [line for line in report.splitlines() if line.startswith("  blocked:")]
    assert blocked and "https://connexion.douane.gouv.fr/motDePasseOublie/confirmation" in blocked[0], report
    # and only that step's: the pages loaded earlier in the branch asked nothing outside the fixtures
    assert "www.douane.gouv.fr" not in "\n".join(line for line in report.splitlines() if "blocked" in line)
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")  # the HTML report says it too
    assert "Requêtes bloquées pendant cette étape" in page
    assert "POST https://connexion.douane.gouv.fr/motDePasseOublie/confirmation" in page
