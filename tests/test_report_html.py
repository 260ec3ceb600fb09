"""The HTML report (guide/reports/html.py), opened in Chromium from file:// as a person would."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from guide import problems
from guide.i18n import words
from guide.reports import BranchResult, DriftReport, RunInfo, Walked
from guide.reports.html import FILTERED, ROWS, STATUS, write_html

from .conftest import ROOT

FLOW_FILE = "flows/douane-mot-de-passe-portailpro.yaml"
INJECTED = '<script>window.injected = 1</script><img src="x" onerror="window.injected = 2">'
SHOT = ROOT / "test-results" / "report" / "report.png"


def png(file: Path, size: tuple[int, int] = (640, 360)) -> Path:
    """A real screenshot-like PNG: a header band and a button."""
    file.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 48), fill="#000091")
    draw.rectangle((40, 160, 220, 200), fill="#6a6af4")
    image.save(file)
    return file


def walked(*ids: str) -> list[Walked]:
    return [
        Walked(step_id, f"{FLOW_FILE}:{10 * n}", f"Instruction de l'étape {step_id}.")
        for n, step_id in enumerate(ids, 1)
    ]


def drift_report(folder: Path, found: str = 'bouton "Valider" trouvé à la place de "Réinitialiser"') -> DriftReport:
    return DriftReport(
        where=f"{FLOW_FILE}:109",
        step_id="reinitialiser",
        instruction="Une fois l'information demandée renseignée, cliquez sur le bouton « Réinitialiser ».",
        problem=problems.MISSING,
        expected='bouton "Réinitialiser"',
        found=found,
        fix=problems.FIX_RENAMED,
        url="https://connexion.douane.gouv.fr/motDePasseOublie",
        screenshot=str(png(folder / "failure.png")),
        trace=str(folder / "trace.zip"),
    )


def results(tmp_path: Path, found: str = 'bouton "Valider" trouvé à la place de "Réinitialiser"') -> list[BranchResult]:
    """A passed branch, a drifting one (artifacts under the report's folder), a flaky one."""
    artifacts = tmp_path / "report" / "douane" / "main"
    artifacts.mkdir(parents=True)
    (artifacts / "trace.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    drifted = BranchResult(
        "douane-mot-de-passe-portailpro",
        FLOW_FILE,
        "main",
        steps=3,
        seconds=2.5,
        drift=drift_report(artifacts, found),
        walked=walked("se-connecter", "oubli", "courriel"),
        flow_title="Générer mon mot de passe douane.gouv.fr",
        warnings=["page script error: boom", "blocked a request to tracker.example outside…"],
        blocked=[
            "GET https://tracker.example/pixel.gif",
            "GET https://fonts.example/a.woff2",
            "GET https://fonts.example/b.woff2",
        ],
        notes=['« Se connecter » matched link "Se connecter" (capitals set by CSS)'],
    )
    elsewhere = tmp_path / "attempt-1"  # outside the report's folder: no link, the command only
    flaky = BranchResult(
        "dgfip-mot-de-passe-xt",
        "flows/dgfip-mot-de-passe-xt.yaml",
        "oublie › methode-1",
        steps=9,
        seconds=4.25,
        walked=walked(*(f"etape-{n}" for n in range(1, 10))),
        failures=[drift_report(elsewhere, "nothing close")],
        flow_title="Perte du mot de passe -xt",
    )
    passed = BranchResult(
        "dgfip-mot-de-passe-xt",
        "flows/dgfip-mot-de-passe-xt.yaml",
        "expire › methode-2",
        steps=7,
        seconds=3.0,
        walked=walked(*(f"etape-{n}" for n in range(1, 8))),
        flow_title="Perte du mot de passe -xt",
        reused_from="2024-11-23T10:00:00+0100",
    )
    return [drifted, flaky, passed]


def run_info(lang: str = "fr") -> RunInfo:
    return RunInfo(
        started="2024-11-24T09:30:05+0100", seconds=12.5, shard="1/2", lang=lang, machine="ci-runner-7", guide="0.1.0"
    )


def open_report(page, file: Path) -> list[str]:
    """Open the report from file://; return every URL the page requested."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(file.as_uri())
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    return requests


def visible_branches(page) -> list[str]:
    return page.locator("article.branch:visible .branch-name").all_inner_texts()


def test_report_shows_verdicts_filters_branches_and_embeds_the_screenshot(page, tmp_path):
    folder = tmp_path / "report"
    file = write_html(folder, results(tmp_path), run_info())
    assert file == folder / "index.html" and sorted(p.name for p in folder.iterdir()) == ["douane", "index.html"]
    page.set_viewport_size({"width": 1280, "height": 900})
    requests = open_report(page, file)

    assert page.locator("h1").inner_text() == "Rapport de vérification des guides"
    badges = page.locator("article.branch h3 .badge").all_inner_texts()
    assert [b.casefold() for b in badges] == ["dérive", "instable", "réussie", "verdict réutilisé"]
    assert page.locator("h2 .flow-title").all_inner_texts() == [
        "Générer mon mot de passe douane.gouv.fr",
        "Perte du mot de passe -xt",
    ]
    # a flow's verdict is its worst branch's
    assert [b.casefold() for b in page.locator("h2 .badge").all_inner_texts()] == ["dérive", "instable"]
    header = page.locator("header").inner_text()
    assert "24/11/2024 à 09:30:05" in header and "12,50 s" in header and "ci-runner-7" in header and "1/2" in header

    # the filters are real buttons that hide and show branches (and flows left empty)
    everything = ["main", "oublie › methode-1", "expire › methode-2"]
    assert visible_branches(page) == everything
    page.get_by_role("button", name="En échec").click()
    assert visible_branches(page) == ["main"]
    assert page.locator("section.flow:visible .flow-title").all_inner_texts() == [
        "Générer mon mot de passe douane.gouv.fr"
    ]
    assert page.get_by_role("button", name="En échec").get_attribute("aria-pressed") == "true"
    page.screenshot(path=SHOT.with_name("report-failed.png"), full_page=True)
    page.get_by_role("button", name="Instables").click()
    assert visible_branches(page) == ["oublie › methode-1"]
    page.get_by_role("button", name="Réussies").click()
    assert visible_branches(page) == ["expire › methode-2"]
    page.get_by_role("button", name="Toutes").click()
    assert visible_branches(page) == everything
    assert page.locator(".showing").inner_text() == "3 branche(s) affichée(s) sur 3"

    # the drift: the step it broke on, the report, the screenshot inline, the trace
    drift = page.locator("article.drift section.drift")
    assert drift.locator(".found dd").inner_text() == 'bouton "Valider" trouvé à la place de "Réinitialiser"'
    assert drift.locator(".found .name").all_inner_texts() == ['"Valider"', '"Réinitialiser"']
    assert drift.locator(".problem dd").inner_text() == "cible introuvable"  # in the flow's language
    assert drift.locator(".fix dd").inner_text().startswith("mettez la cible de l'étape au nom que la page emploie")
    assert drift.locator(".url dd").inner_text() == "https://connexion.douane.gouv.fr/motDePasseOublie"
    broke = page.locator("article.drift li.broke")
    assert broke.count() == 1 and "reinitialiser" in broke.inner_text() and "Dérive ici" in broke.inner_text()
    assert f"{FLOW_FILE}:109" in broke.inner_text()
    assert page.locator("article.drift ol.steps > li").count() == 4  # 3 walked + the one that drifted
    image = drift.locator("figure img")
    assert image.get_attribute("src").startswith("data:image/png;base64,")
    assert image.evaluate("i => i.complete && i.naturalWidth") == 640
    trace = str(folder / "douane" / "main" / "trace.zip")
    assert drift.locator("code.command").inner_text() == f"python -m playwright show-trace {trace}"
    assert drift.get_by_role("link", name="Télécharger la trace").get_attribute("href") == "douane/main/trace.zip"

    # flaky: the failed attempt with its artifacts, then the pass; no link to a trace outside the folder
    flaky = page.locator("article.flaky")
    assert flaky.locator("section.attempt h4").inner_text() == "Tentative 1\u00a0: dérive"
    assert flaky.locator(".attempt-passed").inner_text().endswith("Tentative 2\u00a0: réussie")
    assert flaky.locator("section.attempt img").evaluate("i => i.naturalWidth") == 640
    assert flaky.get_by_role("link").count() == 0 and flaky.locator("code.command").count() == 1

    # nothing but the page itself was requested: no font, script, image or style from anywhere
    assert requests == [file.as_uri()]
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOT, full_page=True)


def test_warnings_blocked_requests_and_notes_are_folded_and_grouped_by_host(page, tmp_path):
    file = write_html(tmp_path / "report", results(tmp_path), run_info())
    open_report(page, file)
    branch = page.locator("article.drift")
    blocked = branch.locator("details.blocked")
    assert not blocked.locator(":scope > ul").is_visible()  # folded until asked for
    blocked.locator("summary").click()
    assert blocked.locator("summary").inner_text() == "Requêtes bloquées hors des fixtures (3, 2 hôte(s))"
    hosts = blocked.locator(":scope > ul > li > strong").all_inner_texts()
    assert hosts == ["tracker.example", "fonts.example"]
    assert blocked.locator("li li").count() == 3
    # the routing's summary line is not repeated among the warnings: the grouped list says it
    branch.locator("details.warnings summary").click()
    assert branch.locator("details.warnings li").all_inner_texts() == ["page script error: boom"]
    branch.locator("details.notes summary").click()
    assert "capitals set by CSS" in branch.locator("details.notes li").inner_text()


def test_text_from_pages_is_shown_as_text_never_run(page, tmp_path):
    file = write_html(tmp_path / "report", results(tmp_path, found=INJECTED), run_info())
    requests = open_report(page, file)
    assert page.locator("section.drift .found dd").first.inner_text() == INJECTED
    assert page.evaluate("() => window.injected") is None
    assert page.locator("main script, main img:not(figure img)").count() == 0
    assert requests == [file.as_uri()]  # the injected <img src="x"> was never fetched


@pytest.mark.parametrize("lang", ["fr", "en", "en-GB", "de"])
def test_the_reports_words_follow_the_runs_language(page, tmp_path, lang):
    file = write_html(tmp_path / "report", results(tmp_path), run_info(lang))
    open_report(page, file)
    say = words("fr" if lang == "fr" else "en")  # unknown languages read English
    assert page.locator("html").get_attribute("lang") == ("fr" if lang == "fr" else "en")
    assert page.locator("h1").inner_text() == say("Guide check report")
    buttons = page.locator("nav.filters button").all_inner_texts()
    assert [re.sub(r"\s*\d+$", "", b) for b in buttons] == [
        say(FILTERED[n]).capitalize() for n in ("all", "failed", "flaky", "passed")
    ]
    assert page.locator("article.drift h3 .badge").inner_text().casefold() == say(STATUS["drift"]).casefold()
    assert page.locator("article.drift section.drift dt").first.inner_text() == say(ROWS["where"])
    header = page.locator("header").inner_text()
    assert ("12,50 s" in header) == (lang == "fr") and ("12.50 s" in header) == (lang != "fr")


def test_every_language_has_every_word():
    """The report's words are in the catalogues (tests/test_i18n.py checks every message)."""
    from babel.messages.extract import extract_from_file

    from guide.i18n import catalogue

    said = [
        message
        for _, message, _, _ in extract_from_file(
            "python", ROOT / "guide" / "reports" / "html.py", keywords={"say": None, "N_": None}
        )
    ]
    assert len(said) > 40
    assert [m for m in said if m not in catalogue("fr") or m not in catalogue("en")] == []


def test_the_page_is_one_self_contained_file_that_refers_to_nothing_outside(tmp_path):
    data = results(tmp_path)
    data[0].drift.screenshot = str(tmp_path / "gone.png")  # a screenshot deleted since: said, not broken
    file = write_html(tmp_path / "report", data, run_info())
    text = file.read_text(encoding="utf-8")
    assert f"introuvable\u00a0: {tmp_path / 'gone.png'}" in text
    assert not re.search(r"""(?:src|href)=["'](?!data:|#|douane/main/trace\.zip)""", text)
    style = re.search(r"<style>(.*?)</style>", text, re.DOTALL)
    assert style and not re.search(r"@import|url\(|@font-face", style.group(1))
    assert "<link" not in text and text.count("<script>") == 1  # the filters' own, inline
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # it embeds the private failure screenshots


def test_a_run_without_branches_says_so(page, tmp_path):
    file = write_html(tmp_path / "report", [], run_info("en"))
    open_report(page, file)
    assert page.get_by_text("No branch was checked.").is_visible()
    assert page.locator("nav.filters button").count() == 4
