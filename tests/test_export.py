"""`guide export`: the guide regenerated from the flow, in Markdown and HTML, with its screenshots."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from guide.export import ExportOptions, export, md_escape
from guide.loader import load_flow, load_flows
from guide.numbering import number_steps
from guide.shots import ShotOptions, run
from guide.tree import walk

from .conftest import FIXTURES, FLOWS, ROOT
from .threaded import BrowserThread, cli

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"
RESULTS = ROOT / "test-results"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pilot():
    runner = BrowserThread()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def docs(pilot, tmp_path_factory) -> Path:
    """A docs folder with the screenshots of both flows, as `make docs` lays it out."""
    out = tmp_path_factory.mktemp("docs")
    result = pilot.run(run, load_flows([str(FLOWS)]), ShotOptions(out=out / "screenshots", fixtures=FIXTURES))
    assert not result.drifted
    return out


def export_to(docs: Path, tmp_path: Path, fmt: str, **options) -> Path:
    out = tmp_path / "out"
    shutil.copytree(docs / "screenshots", out / "screenshots")
    done = export(load_flows([str(FLOWS)]), ExportOptions(out=out, format=fmt, **options))
    assert all(not item.missing for item in done)
    return out


@pytest.mark.parametrize("flow", [DOUANE, DGFIP], ids=["douane", "dgfip"])
def test_markdown_has_every_instruction_in_order_and_links_every_screenshot(docs, tmp_path, flow):
    out = export_to(docs, tmp_path, "md")
    loaded = load_flow(flow)
    markdown = (out / f"{loaded.flow.id}.md").read_text(encoding="utf-8")
    position = 0
    for node in walk(loaded.flow.steps):  # document order, simulated steps included
        found = markdown.find(md_escape(flat(node.step.instruction)), position)
        assert found > position, f"step {node.step.id!r} missing or out of order"
        position = found
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    shots = sorted((out / "screenshots" / loaded.flow.id).glob("*.png"))
    assert sorted(links) == [f"screenshots/{loaded.flow.id}/{p.name}" for p in shots]
    assert len(links) == len(number_steps(loaded.flow))
    for link in links:
        assert (out / link).is_file()  # relative to the Markdown file: GitHub shows it


def test_markdown_renders_the_documents_parts(docs, tmp_path):
    out = export_to(docs, tmp_path, "md", index=True)
    text = (out / "dgfip-mot-de-passe-xt.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    headings = [unescape(h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", rendered)]
    for heading in ("À qui s'adresse cette procédure ?", "Ce dont vous avez besoin", "Règles à respecter",
                    "Pas à pas", "Méthode n°1 : j'ai enregistré mon n° de téléphone portable",
                    "Méthode n°2 : je n'ai pas enregistré mon n° de téléphone portable",
                    "Ensuite, quelle que soit la méthode", "Notes et astuces"):
        assert heading in headings
    html = unescape(rendered)
    assert html.count("<table>") == 1 and "Haute-Savoie (74)" in html
    assert ('href="mailto:ddfip74.pgp.spl-pes@dgfip.finances.gouv.fr'
            '?subject=Mot%20de%20passe%20-xt%20oubli%C3%A9%20ou%20expir%C3%A9"') in html
    assert "Seulement si vous avez répondu « Non, je l'ai oublié ou perdu »" in html
    assert '<ol start="10">' in html  # numbering goes on after the alternatives
    assert "au moins 8 caractères" in html
    douane = (out / "douane-mot-de-passe-portailpro.md").read_text(encoding="utf-8")
    assert "des caractères spéciaux (le caractère « underscore » \\_ n'est pas" in douane
    assert "**7a.** Ouvrez votre messagerie." in douane
    index = (out / "README.md").read_text(encoding="utf-8")
    assert "(<dgfip-mot-de-passe-xt.md>)" in index and "(<douane-mot-de-passe-portailpro.md>)" in index


def test_exporting_twice_rewrites_nothing(docs, tmp_path):
    out = export_to(docs, tmp_path, "html", link_images=True, index=True)
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.html")}
    again = export(load_flows([str(FLOWS)]), ExportOptions(out=out, format="html", link_images=True, index=True))
    assert not any(item.changed for item in again)
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.html")} == before


def render_in_chromium(browser, page_file: Path, shot: Path) -> dict:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(page_file.as_uri())
        page.evaluate("() => Promise.all([...document.images].map(i => i.decode()))")
        facts = page.evaluate("""() => ({
            images: document.images.length,
            broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length,
            external: [...document.querySelectorAll('[src], link[href]')].filter(e => !(e.getAttribute('src') || 'data:').startsWith('data:') || e.localName === 'link').length,
            steps: document.querySelectorAll('li.step').length,
            methods: [...document.querySelectorAll('h3')].map(h => h.textContent),
            title: document.title })""")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=shot, full_page=True)
        page.emulate_media(media="print")
        facts["print_width"] = page.evaluate("() => document.querySelector('main').getBoundingClientRect().width")
        page.screenshot(path=shot.with_name(shot.stem + "-print.png"), full_page=True)
        return facts
    finally:
        page.close()


def test_html_is_one_self_contained_page_that_renders_in_chromium(pilot, docs, tmp_path):
    out = export_to(docs, tmp_path, "html")
    page = out / "dgfip-mot-de-passe-xt.html"
    shutil.rmtree(out / "screenshots")  # self-contained: the pictures travel inside the page
    facts = pilot.run(render_in_chromium, page, RESULTS / "export" / "dgfip-mot-de-passe-xt.png")
    assert facts["title"] == "Perte ou expiration de votre mot de passe sécurisé sur Chorus Pro"
    assert facts["images"] == len(number_steps(load_flow(DGFIP).flow)) and facts["broken"] == 0
    assert facts["external"] == 0
    assert facts["steps"] == 20
    assert facts["methods"][:2] == ["Méthode n°1 : j'ai enregistré mon n° de téléphone portable",
                                    "Méthode n°2 : je n'ai pas enregistré mon n° de téléphone portable"]
    css = page.read_text(encoding="utf-8")
    assert "@media print" in css and "break-inside: avoid" in css


def test_html_can_link_the_screenshots_beside_it(pilot, docs, tmp_path):
    out = export_to(docs, tmp_path, "html", link_images=True)
    page = out / "douane-mot-de-passe-portailpro.html"
    text = page.read_text(encoding="utf-8")
    assert "data:image" not in text and 'src="screenshots/douane-mot-de-passe-portailpro/01-se-connecter.png"' in text
    facts = pilot.run(render_in_chromium, page, RESULTS / "export" / "douane-mot-de-passe-portailpro.png")
    assert facts["images"] == 16 and facts["broken"] == 0


def test_cli_export_exit_codes(docs, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(["export", str(DOUANE), "--format", "md", "--out", str(out),
                "--images", str(docs / "screenshots")]) == 0
    assert "wrote" in capsys.readouterr().out
    markdown = (out / "douane-mot-de-passe-portailpro.md").read_text(encoding="utf-8")
    assert markdown.count("![") == 16
    # without screenshots the guide is still written, and says what is missing
    assert cli(["export", str(DOUANE), "--format", "html", "--out", str(tmp_path / "bare")]) == 0
    assert "16 screenshot(s) not found" in capsys.readouterr().out
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli(["export", str(DOUANE), "--out", str(tmp_path / "file")]) == 2
    assert cli(["export", str(DOUANE), "--out", str(out), "--format", "pdf"]) == 2
    assert cli(["export", str(tmp_path / "nope.yaml"), "--out", str(out)]) == 2
    assert "Traceback" not in capsys.readouterr().err
