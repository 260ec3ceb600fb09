"""Regenerate tests/documents/fiche.pdf, the small PDF the reader tests use (committed, so the
tests need no browser): Chromium prints an HTML « fiche » with page.pdf().

    .venv/bin/python tests/documents/make_pdf.py
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from guide.browser import launch, resolve_browser

HERE = Path(__file__).resolve().parent
FICHE = """<!doctype html><html lang="fr"><meta charset="utf-8"><title>Fiche</title>
<body style="font-family: sans-serif">
<h1>Modifier mon adresse de messagerie</h1>
<p>Mars 2024</p>
<p>Cette procédure est destinée aux usagers qui changent d'adresse de messagerie.</p>
<p>Depuis la page d'accueil de https://www.exemple.gouv.fr/</p>
<ul>
<li>Cliquez sur le lien « Mon compte ».</li>
<li>Saisissez votre nouvelle adresse dans le champ « Adresse électronique ».</li>
<li>Cliquez sur le bouton « Enregistrer ».</li>
<li>Vous recevrez un courriel de confirmation.</li>
</ul>
</body></html>"""


def main() -> None:
    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(None, playwright))
        page = browser.new_page()
        page.set_content(FICHE)
        (HERE / "fiche.pdf").write_bytes(page.pdf(format="A4"))
        browser.close()


if __name__ == "__main__":
    main()
