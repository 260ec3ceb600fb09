"""Cached verdicts (guide.cache): a pass is reused while nothing it depends on changed, and each
input, changed, makes the branch run again. Real runs in a real browser; what is replayed is
read from the jobs handed to the browsers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guide import cache, parallel
from guide.cli import main
from guide.reports.results import RESULTS_FILE, load

from .conftest import FIXTURES, FLOWS, ROOT
from .drift.dsfr_variants import build_variant

DOUANE = "douane-mot-de-passe-portailpro"
DGFIP = "dgfip-mot-de-passe-xt"
DOUANE_MAIN = f"{DOUANE} › main"
ALL = {DOUANE_MAIN, f"{DGFIP} › oublie › methode-1", f"{DGFIP} › oublie › methode-2", f"{DGFIP} › expire › methode-2"}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the flows and fixtures to change, a cache folder, and a record of what ran."""
    shutil.copytree(FLOWS, tmp_path / "flows")
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    replayed: list[set[str]] = []
    real = parallel._dispatch

    def dispatch(loaded, jobs, *args, **kwargs):
        replayed.append({job.key for job in jobs})
        return real(loaded, jobs, *args, **kwargs)

    monkeypatch.setattr(parallel, "_dispatch", dispatch)
    monkeypatch.chdir(tmp_path)

    def check(*extra: str, flows: str = "flows", fixtures: str = "fixtures") -> tuple[int, set[str]]:
        code = main(["check", flows, "--fixtures", fixtures, "--timeout", "3", "--cache-dir", "cache", *extra])
        return code, replayed[-1]

    return tmp_path, check


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("cache/*/*.json"))


def test_a_second_run_reuses_every_pass_and_opens_no_browser(project, capsys):
    root, check = project
    assert check("--junit", "first.xml") == (0, ALL)
    assert len(entries(root)) == 4
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in entries(root)), "private entries"
    capsys.readouterr()
    code, replayed = check("--junit", "second.xml", "--report", "report")
    assert (code, replayed) == (0, set())
    printed = capsys.readouterr().out
    assert "4 verdicts reused from earlier runs" in printed and "ok (cached)" in printed
    # reports say which run each verdict comes from
    [result, *_] = load(root / "report" / RESULTS_FILE)[0]
    assert result.reused_from and result.reused_from[:4].isdigit()
    cases = ET.parse(root / "second.xml").getroot().iter("testcase")
    assert all(case.find("properties/property[@name='reused_from']") is not None for case in cases)
    assert not any(ET.parse(root / "first.xml").getroot().iter("property")), "the first run reused nothing"


def test_a_changed_page_reruns_only_the_branches_it_was_served_to(project):
    root, check = project
    check()
    page = root / "fixtures" / "portail.dgfip.finances.gouv.fr" / "motdepasse-oublie" / "confirmation.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>Mis à jour.</p></body>"), "utf-8")
    # Only « méthode n°1 » (the « mot de passe oublié » link) reaches that confirmation page;
    # « méthode n°2 » goes through the profile, and the douane flow is on other sites.
    assert check() == (0, {f"{DGFIP} › oublie › methode-1"})
    # the same bytes again, with a new date: nothing to replay
    page.touch()
    assert check() == (0, set())


def test_a_shared_stylesheet_change_reruns_every_branch_that_loaded_it(project):
    root, check = project
    check()
    css = next((root / "fixtures" / "cdn.jsdelivr.net").rglob("dsfr.min.css"))
    css.write_bytes(css.read_bytes() + b"\n/* 1.15.4 */\n")
    assert check() == (0, ALL)


def test_a_changed_flow_reruns_its_branches_only(project):
    root, check = project
    check()
    flow = root / "flows" / f"{DOUANE}.yaml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("cliquez sur", "cliquez bien sur", 1), "utf-8")
    assert check() == (0, {DOUANE_MAIN})


def test_a_changed_test_value_reruns_the_branch(project):
    root, check = project
    check()
    flow = root / "flows" / f"{DOUANE}.yaml"
    text = flow.read_text(encoding="utf-8")
    assert "test: camille.martin@exemple.fr" in text
    flow.write_text(text.replace("test: camille.martin@exemple.fr", "test: dominique.durand@exemple.fr"), "utf-8")
    assert check() == (0, {DOUANE_MAIN})


def test_a_file_added_where_a_request_was_blocked_reruns_the_branch(project, tmp_path):
    root, check = project
    site = root / "fixtures" / "sans-style.test"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><title>Accueil</title><link rel="stylesheet" href="/style.css">'
        '</head><body><main><a href="/suite">Continuer</a></main></body></html>',
        "utf-8",
    )
    (site / "suite.html").write_text(
        '<!doctype html><html lang="fr"><head><title>Suite</title></head>'
        "<body><main><h1>Suite</h1></main></body></html>",
        "utf-8",
    )
    (root / "petit").mkdir()
    (root / "petit" / "petit.yaml").write_text(
        "version: 1\nid: petit\ntitle: Petit\nsource: {title: Aide}\naudience: les usagers\n"
        "pages:\n  accueil: {url: 'https://sans-style.test/', title: Accueil}\n"
        "  suite: {url: 'https://sans-style.test/suite', heading: Suite}\n"
        "start: accueil\nsteps:\n  - id: continuer\n    instruction: Cliquez sur « Continuer ».\n"
        '    target: link "Continuer"\n    action: click\n    lands: suite\n',
        "utf-8",
    )
    assert check(flows="petit") == (0, {"petit › main"})
    assert check(flows="petit") == (0, set())
    (site / "style.css").write_text("a { display: none }", "utf-8")  # it now answers, and hides the link
    assert check("--retries", "0", flows="petit") == (1, {"petit › main"})


@pytest.mark.parametrize("change", ["guide", "browser", "timeout", "explain", "fixtures folder"])
def test_the_tool_the_browser_and_the_options_are_inputs(project, monkeypatch, change):
    root, check = project
    assert check(flows=f"flows/{DOUANE}.yaml")[0] == 0
    extra: list[str] = []
    folder = "fixtures"
    if change == "guide":
        monkeypatch.setattr(cache, "guide_digest", lambda: "0.0+autre")
    elif change == "browser":
        real = cache.browser_identity
        monkeypatch.setattr(cache, "browser_identity", lambda path: real(path) + "|mis à jour")
    elif change == "timeout":
        extra = ["--timeout", "4"]
    elif change == "explain":
        extra = ["--explain"]
    else:
        shutil.copytree(root / "fixtures", root / "copie")
        folder = "copie"
    assert check(*extra, flows=f"flows/{DOUANE}.yaml", fixtures=folder) == (0, {DOUANE_MAIN})


def test_a_drift_is_never_kept_and_never_reused_as_a_pass(project):
    root, check = project
    build_variant("renamed-button", root / "drifting")
    for _ in range(2):
        assert check("--retries", "0", flows=f"flows/{DOUANE}.yaml", fixtures="drifting") == (1, {DOUANE_MAIN})
    assert entries(root) == []


def test_a_flaky_pass_is_not_kept(project, monkeypatch):
    from guide import check as check_module

    root, check = project
    real = check_module.check_branch
    calls = []

    def drifts_once(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(result)
        if len(calls) == 1:  # pretend the first attempt met a slow page
            from guide.reports.results import DriftReport

            result.drift = DriftReport("flows/x.yaml:1", "ouvrir", "", "missing target", "", "", "")
        return result

    monkeypatch.setattr(check_module, "check_branch", drifts_once)
    assert check("--retries", "1", flows=f"flows/{DOUANE}.yaml") == (0, {DOUANE_MAIN})
    assert entries(root) == [], "flaky: it drifted once, it runs again next time"


def test_no_cache_neither_reads_nor_writes(project):
    root, check = project
    assert check("--no-cache", flows=f"flows/{DOUANE}.yaml") == (0, {DOUANE_MAIN})
    assert entries(root) == []
    check(flows=f"flows/{DOUANE}.yaml")
    assert check("--no-cache", flows=f"flows/{DOUANE}.yaml") == (0, {DOUANE_MAIN})


def test_an_unreadable_entry_is_a_miss_not_an_error(project):
    root, check = project
    check(flows=f"flows/{DOUANE}.yaml")
    [entry] = entries(root)
    entry.write_text('{"format": 1, "run": "x", "served": {', "utf-8")  # cut short by a full disk
    assert check(flows=f"flows/{DOUANE}.yaml") == (0, {DOUANE_MAIN})
    json.loads(entry.read_text(encoding="utf-8"))  # and written whole again


def test_two_runs_sharing_the_cache_at_once(tmp_path):
    """Two `guide check` processes on one cache folder: both pass, every entry whole, then reused."""
    cache_dir = tmp_path / "shared"
    command = [
        sys.executable,
        "-m",
        "guide",
        "check",
        str(FLOWS),
        "--fixtures",
        str(FIXTURES),
        "--timeout",
        "5",
        "--cache-dir",
        str(cache_dir),
    ]
    runs = [
        subprocess.Popen(
            [*command, "--out", str(tmp_path / f"out-{n}")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in (1, 2)
    ]
    for run in runs:
        output, _ = run.communicate(timeout=300)
        assert run.returncode == 0, output
    files = sorted(cache_dir.glob("*/*.json"))
    assert len(files) == 4 and not list(cache_dir.glob("*/.*.tmp")), "no temporary file left behind"
    for file in files:
        assert json.loads(file.read_text(encoding="utf-8"))["result"]["status"] == "passed"
    again = subprocess.run(
        [*command, "--out", str(tmp_path / "out-3")], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0 and "4 verdicts reused" in again.stdout, again.stdout + again.stderr


def test_the_cache_works_where_a_playwright_already_runs(browser, tmp_path, capsys):
    """`guide.cli.main` called from a test that holds pytest-playwright's browser: the cache
    finds the browser's identity without starting a second Playwright in this thread."""
    assert browser.is_connected()
    args = [
        "check",
        str(FLOWS / f"{DOUANE}.yaml"),
        "--timeout",
        "3",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--out",
        str(tmp_path / "out"),
    ]
    assert main(args) == 0, capsys.readouterr().err
    assert main(args) == 0 and "1 verdict reused" in capsys.readouterr().out
