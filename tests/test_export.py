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
    for heading in (
        "À qui s'adresse cette procédure ?",
        "Ce dont vous avez besoin",
        "Règles à respecter",
        "Pas à pas",
        "Méthode n°1 : j'ai enregistré mon n° de téléphone portable",
        "Méthode n°2 : je n'ai pas enregistré mon n° de téléphone portable",
        "Ensuite, quelle que soit la méthode",
        "Notes et astuces",
    ):
        assert heading in headings
    html = unescape(rendered)
    assert html.count("<table>") == 1 and "Haute-Savoie (74)" in html
    assert (
        'href="mailto:ddfip74.pgp.spl-pes@dgfip.finances.gouv.fr'
        '?subject=Mot%20de%20passe%20-xt%20oubli%C3%A9%20ou%20expir%C3%A9"'
    ) in html
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
    assert facts["methods"][:2] == [
        "Méthode n°1 : j'ai enregistré mon n° de téléphone portable",
        "Méthode n°2 : je n'ai pas enregistré mon n° de téléphone portable",
    ]
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
    assert cli(["export", str(DOUANE), "--format", "md", "--out", str(out), "--images", str(docs / "screenshots")]) == 0
    assert "wrote" in capsys.readouterr().out
    markdown = (out / "douane-mot-de-passe-portailpro.md").read_text(encoding="utf-8")
    assert markdown.count("![") == 16
    # without screenshots the guide is still written, and says what is missing
    assert cli(["export", str(DOUANE), "--format", "html", "--out", str(tmp_path / "bare")]) == 0
    assert "16 screenshot(s) not found" in capsys.readouterr().out
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli(["export", str(DOUANE), "--out", str(tmp_path / "file")]) == 2
    assert cli(["export", str(DOUANE), "--out", str(out), "--format", "docx"]) == 2
    assert cli(["export", str(tmp_path / "nope.yaml"), "--out", str(out)]) == 2
    assert "Traceback" not in capsys.readouterr().err


# --- PDF: the HTML guide printed by Chromium --------------------------------------------------
# (imports are local: this part was appended to the module as it was)

A4_POINTS = (595.28, 841.89)  # Chromium rounds the page to whole CSS pixels: within a point


def squeeze(text: str) -> str:
    """Text compared without its layout: NFKC folds the ligatures the text layer uses (« ﬁ »),
    and every whitespace goes, so a line wrapped anywhere (after « mot-de-passe- » too) or
    a space that became non-breaking still matches."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


def export_pdf(browser, out: Path, **options):
    return export(load_flows([str(FLOWS)]), ExportOptions(out=out, format="pdf", **options), browser)


def read_pdf(file: Path):
    from pypdf import PdfReader

    return PdfReader(file)


def images_of(page) -> list[tuple[int, int]]:
    """The pixel size of every image a page draws, as stored in the PDF."""
    objects = page["/Resources"].get("/XObject") or {}
    found = [objects[name].get_object() for name in sorted(objects)]
    return [(int(o["/Width"]), int(o["/Height"])) for o in found if o["/Subtype"] == "/Image"]


@pytest.fixture(scope="module")
def pdfs(pilot, docs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    shutil.copytree(docs / "screenshots", out / "screenshots")
    done = pilot.run(export_pdf, out)
    assert [item.file.name for item in done] == ["dgfip-mot-de-passe-xt.pdf", "douane-mot-de-passe-portailpro.pdf"]
    assert all(item.changed and not item.missing for item in done)
    return out


@pytest.mark.parametrize("flow", [DOUANE, DGFIP], ids=["douane", "dgfip"])
def test_pdf_has_every_instruction_in_order_each_beside_its_screenshot(pdfs, flow):
    loaded = load_flow(flow)
    reader = read_pdf(pdfs / f"{loaded.flow.id}.pdf")
    pages = [page.extract_text() for page in reader.pages]
    squeezed = [squeeze(text) for text in pages]
    # every instruction, in document order (simulated steps included), each whole on one page
    page_of: dict[str, int] = {}
    where = (0, 0)  # (page, offset): the search goes on from the previous instruction
    for node in walk(loaded.flow.steps):
        wanted = squeeze(node.step.instruction)
        for number in range(where[0], len(pages)):
            found = squeezed[number].find(wanted, where[1] if number == where[0] else 0)
            if found >= 0:
                where = (number, found + len(wanted))
                page_of[node.path] = number
                break
        else:
            raise AssertionError(f"step {node.step.id!r}: instruction missing, out of order or cut across pages")
    # every screenshot's caption is on the page of its step's instruction: no step split
    shots = number_steps(loaded.flow)
    for path, shot in shots.items():
        caption = f"Étape {shot.number.lstrip('0')}" + (" (exemple)" if shot.simulated else "")
        on = [n for n, text in enumerate(pages) if caption in (line.strip() for line in text.splitlines())]
        assert on == [page_of[path]], f"{caption}: on page(s) {on}, its instruction on {page_of[path]}"
    # A4 pages numbered « Page N / M », the guide's title in the margin
    total = len(reader.pages)
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5, (width, height)
        assert f"Page {number} / {total}" in text
        assert squeeze(loaded.flow.title) in squeeze(text)
    # the screenshots keep all their pixels: the PDF holds each PNG at its own size
    from PIL import Image

    stored = [size for page in reader.pages for size in images_of(page)]
    pngs = sorted((pdfs / "screenshots" / loaded.flow.id).glob("*.png"))
    assert len(stored) == len(shots) == len(pngs)
    assert sorted(stored) == sorted(Image.open(png).size for png in pngs)
    assert reader.metadata.title == loaded.flow.title


def test_pdf_is_stable_and_rewritten_only_when_what_it_shows_changes(pilot, pdfs, tmp_path):
    import os
    import stat
    import threading

    from guide.files import umask

    out = tmp_path / "out"
    shutil.copytree(pdfs, out)
    file = out / "douane-mot-de-passe-portailpro.pdf"
    before = file.read_bytes()
    assert b"/CreationDate" not in before and b"/ModDate" not in before  # no print date: same bytes each time
    assert stat.S_IMODE(file.stat().st_mode) == 0o666 & ~umask()  # published, like the HTML guide
    # as the CLI does it: no browser given, export launches its own (in a thread of its own:
    # Playwright's sync API allows one per thread)
    done: list = []
    worker = threading.Thread(target=lambda: done.extend(export_pdf(None, out)))
    worker.start()
    worker.join()
    assert done and not any(item.changed for item in done)
    assert file.read_bytes() == before
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]
    # one screenshot's pixels change: that guide is printed again, the other one is not
    from PIL import Image

    shot = out / "screenshots" / "douane-mot-de-passe-portailpro" / "05-reinitialiser.png"
    image = Image.open(shot).convert("RGB")
    image.putpixel((10, 10), (255, 0, 0))
    image.save(shot)
    again = {item.file.name: item.changed for item in pilot.run(export_pdf, out)}
    assert again == {"dgfip-mot-de-passe-xt.pdf": False, "douane-mot-de-passe-portailpro.pdf": True}


def test_pdf_print_style_keeps_steps_whole():
    css = (ROOT / "guide" / "export" / "pdf.css").read_text(encoding="utf-8")
    assert "break-inside: avoid" in css and "size: A4" in css
    from guide.export import FORMATS, PDF_MARGINS

    assert FORMATS == ("md", "html", "pdf")
    margins = re.search(r"@page \{ size: A4; margin: (\S+) (\S+) (\S+); \}", css)
    assert margins and margins.groups() == (PDF_MARGINS["top"], PDF_MARGINS["left"], PDF_MARGINS["bottom"])


def test_a_hand_written_file_in_the_way_is_kept_until_force(tmp_path, capsys):
    """`--index --out .` beside a hand-written README.md: it is kept, and said so."""
    out = tmp_path / "docs"
    out.mkdir()
    readme = out / "README.md"
    readme.write_text("# Notre documentation, écrite à la main\n", encoding="utf-8")
    args = ["export", str(DOUANE), "--out", str(out), "--index"]
    assert cli(args) == 0
    assert readme.read_text(encoding="utf-8") == "# Notre documentation, écrite à la main\n"
    assert "kept" in capsys.readouterr().out
    guide_file = out / "douane-mot-de-passe-portailpro.md"
    guide_file.write_text(guide_file.read_text(encoding="utf-8") + "\nUne note ajoutée à la main.\n", encoding="utf-8")
    assert cli(args) == 0  # the edited guide is kept too…
    assert guide_file.read_text(encoding="utf-8").endswith("Une note ajoutée à la main.\n")
    assert cli([*args, "--force"]) == 0  # …until the writer asks
    assert not guide_file.read_text(encoding="utf-8").endswith("Une note ajoutée à la main.\n")
    assert readme.read_text(encoding="utf-8").startswith("# Guides pas à pas")


# --- the guide's fixed words in another language (guide/i18n.py's catalogues) --------------


def french_fixed_words() -> list[str]:
    """The French of every fixed word export writes: each translation's text around its
    {placeholders}, where it has a word of its own (not « », « : » or « et »), and not a
    word both languages share (« Page »)."""
    from string import Formatter

    from babel.messages.extract import extract_from_file

    from guide.i18n import catalogue

    french = catalogue("fr")
    pieces = set()
    for _, message, _, _ in extract_from_file(
        "python", ROOT / "guide" / "export.py", keywords={"say": None, "N_": None}
    ):
        for literal, *_ in Formatter().parse(french[message]):
            piece = literal.strip(" :.,()/«»")
            if re.search(r"[^\W\d_]{3}", piece) and piece not in message:
                pieces.add(piece)
    return sorted(pieces)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_english_guide_says_its_own_words_in_english_and_the_flows_as_written(docs, tmp_path, fmt):
    out = tmp_path / "en"
    options = ExportOptions(out=out, format=fmt, images=docs / "screenshots", index=True, lang="en")
    done = export([load_flow(DOUANE)], options)
    assert all(not item.missing for item in done)
    guide = (out / f"douane-mot-de-passe-portailpro.{fmt}").read_text(encoding="utf-8")
    index = (out / ("README.md" if fmt == "md" else "index.html")).read_text(encoding="utf-8")
    shown = unescape(guide) + unescape(index)
    for words in (
        "Who is this procedure for?",
        "What you need",
        "Rules to follow",
        "Step by step",
        "Starting point: ",
        "Note:",
        "To do outside the site.",
        "Example in a demonstration mailbox:",
        "Screenshot of step 7a: Ouvrez votre messagerie.",
        "Document generated by",
        "Step-by-step guides",
        "Source: ",
    ):
        assert words in shown, words
    french = french_fixed_words()
    assert {"À qui s'adresse cette procédure ?", "Pas à pas", "Étape", "Document généré par"} <= set(french)
    assert [piece for piece in french if piece in shown] == []
    # the flow's own words stay as the flow says them
    assert "Cliquez sur le lien « MOT DE PASSE OUBLIÉ »." in shown
    if fmt == "html":
        assert '<html lang="en">' in guide and '<html lang="en">' in index
        assert "<figcaption>Step 7a (example)</figcaption>" in guide


def test_the_pdf_margin_numbers_pages_in_the_guides_language():
    from guide.export import pdf_footer
    from guide.i18n import words

    assert 'Page <span class="pageNumber"></span> / <span class="totalPages"></span>' in pdf_footer(words("fr"))
    assert 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>' in pdf_footer(words("en"))
