"""`guide check` in a real headless Chromium: passes on the fixtures, catches every drift."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from guide.check import CheckOptions, check_flow
from guide.cli import main
from guide.loader import load_flow
from guide.routing import FixtureRouter

from .conftest import FIXTURES, FLOWS, HANDWRITTEN, guide
from .drift import dsfr_variants, make_variants
from .drift.dsfr_variants import build_variant

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"


def run(browser, flow: Path, fixtures: Path, out: Path):
    return check_flow(browser, load_flow(flow), CheckOptions(fixtures=fixtures, out=out, timeout_ms=1500, retries=0))


def line_of(flow: Path, step_id: str) -> int:
    for number, line in enumerate(flow.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == f"- id: {step_id}":
            return number
    raise AssertionError(f"no step {step_id} in {flow}")


# The pages built on the real DSFR (bundled), and the first hand-written ones.
TREES = {"dsfr": dsfr_variants, "handwritten": make_variants}


@pytest.mark.parametrize("tree", [FIXTURES, HANDWRITTEN], ids=["dsfr", "handwritten"])
@pytest.mark.parametrize("flow", [DOUANE, DGFIP], ids=["douane", "dgfip"])
def test_bundled_fixtures_pass_every_branch(browser, tmp_path, flow, tree):
    results = run(browser, flow, tree, tmp_path)
    assert results and all(r.passed for r in results), [r.drift.text() for r in results if r.drift]
    assert all(not r.warnings for r in results), [r.warnings for r in results]
    assert all(r.steps >= 10 for r in results)
    assert not list(tmp_path.iterdir()), "a passing check leaves no artifacts"


# variant -> flow, drifting step, words the report must contain
DRIFTS = {
    "renamed-button": (
        DOUANE,
        "reinitialiser",
        "missing target",
        'bouton "Valider" trouvé à la place de "Réinitialiser"',
    ),
    "removed-link": (DOUANE, "mot-de-passe-oublie", "missing target", 'lien "MOT DE PASSE OUBLIÉ ?"'),
    "hidden-element": (DGFIP, "mot-de-passe-xt-oublie", "hidden target", "none visible"),
    "duplicated-button": (DOUANE, "valider-nouveau-mot-de-passe", "ambiguous target", "2 elements match"),
    "wrong-link": (DOUANE, "se-connecter", "landed on the wrong page", "https://www.douane.gouv.fr/professionnels"),
    "changed-password-rule": (DOUANE, "regles-du-mot-de-passe", "missing target", "au moins 16 caractères"),
    "disabled-button": (DGFIP, "valider-identifiant", "disabled target", 'bouton "Valider" is disabled'),
}


@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize("variant", DRIFTS)
def test_drift_variant_fails_at_the_right_step(browser, tmp_path, variant, tree):
    flow, step_id, problem, words = DRIFTS[variant]
    fixtures = TREES[tree].build_variant(variant, tmp_path / "fixtures")
    results = run(browser, flow, fixtures, tmp_path / "out")
    drifted = [r for r in results if r.drift]
    assert drifted, f"{variant} was not detected"
    report = drifted[0].drift
    assert report.step_id == step_id
    assert report.problem == problem
    assert words in report.text()
    assert report.where.startswith(f"{flow}:")
    line = int(report.where.rsplit(":", 1)[1])
    assert line_of(flow, step_id) <= line <= line_of(flow, step_id) + 12, report.where
    # artifacts a writer can open: a screenshot and a Playwright trace of the failing page
    assert Path(report.screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with zipfile.ZipFile(report.trace) as trace:
        assert any(name.endswith(".trace") for name in trace.namelist())


def test_hidden_element_only_breaks_the_branch_that_uses_it(browser, tmp_path):
    fixtures = build_variant("hidden-element", tmp_path / "fixtures")
    results = {r.branch: r for r in run(browser, DGFIP, fixtures, tmp_path / "out")}
    assert not results["oublie › methode-1"].passed
    assert results["oublie › methode-2"].passed and results["expire › methode-2"].passed


@pytest.mark.parametrize(
    ("tree", "variant"), [(tree, variant) for tree, module in TREES.items() for variant in module.COSMETIC]
)
def test_cosmetic_changes_still_pass(browser, tmp_path, tree, variant):
    fixtures = TREES[tree].build_variant(variant, tmp_path / "fixtures")
    for flow in (DOUANE, DGFIP):
        results = run(browser, flow, fixtures, tmp_path / "out")
        assert all(r.passed for r in results), [r.drift.text() for r in results if r.drift]


def test_secrets_never_reach_reports_or_traces(browser, tmp_path):
    """A drift after the password was typed: the report, the trace and the XML hold no secret."""
    fixtures = build_variant("duplicated-button", tmp_path / "fixtures")
    results = run(browser, DOUANE, fixtures, tmp_path / "out")
    secrets = ["Douane2022!ok", "camille.martin@exemple.fr"]
    report = results[0].drift
    with zipfile.ZipFile(report.trace) as trace:
        blob = b"".join(trace.read(name) for name in trace.namelist())
    assert b"fill" in blob  # the trace does record the fills…
    for secret in secrets:  # …but not what was typed
        assert secret.encode() not in blob
        assert secret not in report.text()


def test_cli_exit_codes_junit_and_report(tmp_path):
    junit = tmp_path / "junit.xml"
    done = guide("check", str(DOUANE), "--junit", str(junit), "--out", str(tmp_path / "ok"))
    assert done.returncode == 0, done.stdout + done.stderr
    suites = ET.parse(junit).getroot()
    assert suites.find("testsuite").get("tests") == "1"
    assert suites.find("testsuite").get("failures") == "0"

    fixtures = build_variant("renamed-button", tmp_path / "fixtures")
    done = guide(
        "check",
        str(DOUANE),
        "--fixtures",
        str(fixtures),
        "--junit",
        str(junit),
        "--out",
        str(tmp_path / "out"),
        "--timeout",
        "1",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    output = done.stdout
    assert f"{DOUANE}:" in output and "step 'reinitialiser'" in output
    assert 'bouton "Valider" trouvé à la place de "Réinitialiser"' in output
    assert "Traceback" not in output + done.stderr
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and "reinitialiser" in failure.get("message") + failure.text
    assert "camille.martin@exemple.fr" not in output + junit.read_text(encoding="utf-8")


def test_cli_bad_input_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    with pytest.raises(SystemExit) as caught:
        main(["check", "--fixtures", str(tmp_path / "missing")])
    assert caught.value.code == 2
    assert "is not a folder" in capsys.readouterr().err


def test_routing_serves_fixtures_and_blocks_the_rest(tmp_path):
    router = FixtureRouter(FIXTURES)
    assert router.file_for("https://www.douane.gouv.fr/") == (FIXTURES / "www.douane.gouv.fr/index.html").resolve()
    assert (
        router.file_for("https://connexion.douane.gouv.fr/saml/singleSignOn?SAMLRequest=x").name == "singleSignOn.html"
    )
    assert router.file_for("https://connexion.douane.gouv.fr/motDePasseOublie/confirmation").name == "confirmation.html"
    assert router.file_for("https://www.douane.gouv.fr/../../etc/passwd") is None
    assert router.file_for("https://ailleurs.example/") is None
    assert router.file_for("data:text/html,hi") is None


def test_routed_pages_are_utf8_and_outside_requests_blocked(browser):
    router = FixtureRouter(FIXTURES)
    context = browser.new_context()
    router.install(context)
    page = context.new_page()
    page.goto("https://connexion.douane.gouv.fr/motDePasseOublie")
    assert page.get_by_role("button", name="Réinitialiser", exact=True).count() == 1
    # the fetch settles only once routing has answered it: no fixed wait needed
    assert page.evaluate("fetch('https://tracker.example/pixel').then(() => 'served', () => 'blocked')") == "blocked"
    context.close()
    assert [str(b) for b in router.blocked] == ["GET https://tracker.example/pixel"]
