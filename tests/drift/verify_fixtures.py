"""Check the offline fixtures and their drift variants in a real browser.

Run from the repository root::

    .venv/bin/python tests/drift/verify_fixtures.py [--shots DIR] [--no-variants]

What is checked:

* static: every HTML fixture has a doctype, ``lang="fr"``, a utf-8 charset,
  is smaller than 15 KB and references no external resource;
* every page loads through a route handler implementing the fixture routing
  rule, and each element the procedures use is found exactly once (by role or
  label, ``exact=True``) and visible;
* the pages' own JavaScript validations block bad input and let good input
  through to the next page (both procedures are replayed end to end);
* no request is blocked (nothing outside the fixtures is ever fetched);
* drift variants drift the way they should, and the cosmetic variants pass
  every check above unchanged.

Exit status 0 when everything passes, 1 otherwise (failures are listed).
"""

from __future__ import annotations

import argparse
import mimetypes
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drift.make_variants import COSMETIC, DRIFT, FIXTURES, build_variant  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
MAX_BYTES = 15 * 1024

DOUANE = "https://www.douane.gouv.fr/"
SSO = "https://connexion.douane.gouv.fr/saml/singleSignOn?SAMLRequest=nZJPj9owEMW%2FSuR7%2FhAICxYg0UVv"
CONNEXION = "https://connexion.douane.gouv.fr"
MAIL = "https://messagerie.exemple.fr"
DGFIP = "https://portail.dgfip.finances.gouv.fr"

# url -> (title, h1, [(kind, role_or_None, name)]) ; kind is "role" or "label".
PAGES = {
    DOUANE: ("Accueil | douane.gouv.fr", "Bienvenue sur douane.gouv.fr", [
        ("role", "region", "Mon espace personnel"),
        ("role", "link", "Se connecter"),
        ("role", "link", "Créer mon espace"),
    ]),
    SSO: ("Authentification | douane.gouv.fr", "Authentification", [
        ("label", None, "Identifiant (obligatoire)"),
        ("label", None, "Mot de passe (obligatoire)"),
        ("role", "link", "MOT DE PASSE OUBLIÉ ?"),
        ("role", "button", "ME CONNECTER"),
        ("role", "link", "Créez votre compte personnel"),
    ]),
    f"{CONNEXION}/motDePasseOublie": ("Mot de passe oublié | douane.gouv.fr",
                                      "Vous avez oublié votre mot de passe", [
        ("role", "group", "Choisissez un des éléments pour réinitialiser votre mot de passe"),
        ("role", "radio", "Identifiant"),
        ("role", "radio", "Courriel"),
        ("role", "button", "Réinitialiser"),
    ]),
    f"{CONNEXION}/motDePasseOublie/confirmation": (
        "Réinitialisation de votre mot de passe | douane.gouv.fr",
        "Réinitialisation de votre mot de passe", []),
    f"{MAIL}/": ("Boîte de réception | Messagerie", "Boîte de réception", [
        ("role", "link", "Réinitialisation du mot de passe"),
    ]),
    f"{MAIL}/messages/reinitialisation-douane": ("Réinitialisation du mot de passe | Messagerie",
                                                 "Réinitialisation du mot de passe", [
        ("role", "link", "Réinitialiser mon mot de passe"),
    ]),
    f"{CONNEXION}/reinitialisation?jeton=7f3a9c2e": (
        "Réinitialisation de votre mot de passe | douane.gouv.fr",
        "Réinitialisation de votre mot de passe", [
            ("label", None, "Identifiant *"),
            ("label", None, "Mot de passe *"),
            ("label", None, "Confirmer le mot de passe *"),
            ("role", "button", "Réinitialiser"),
        ]),
    f"{CONNEXION}/reinitialisation/confirmation": ("Mot de passe modifié | douane.gouv.fr",
                                                   "Votre mot de passe a été modifié", [
        ("role", "link", "Me connecter"),
    ]),
    f"{DGFIP}/": ("Connexion | Portail de la DGFiP", "Connexion au portail de la DGFiP", [
        ("label", None, "Identifiant"),
        ("label", None, "Mot de passe"),
        ("role", "button", "Connexion"),
        ("role", "link", "Mot de passe -xt oublié"),
    ]),
    f"{DGFIP}/motdepasse-oublie": ("Mot de passe -xt oublié | Portail de la DGFiP",
                                   "Mot de passe -xt oublié", [
        ("label", None, "Identifiant en -xt"),
        ("role", "button", "Valider"),
        ("role", "link", "Retour à la connexion"),
    ]),
    f"{DGFIP}/motdepasse-oublie/confirmation": (
        "Mot de passe provisoire envoyé | Portail de la DGFiP", "Mot de passe provisoire envoyé", [
            ("role", "link", "Retour à la connexion"),
        ]),
    f"{DGFIP}/connexion": ("Modification du mot de passe | Portail de la DGFiP",
                           "Modification de votre mot de passe", [
        ("label", None, "Nouveau mot de passe"),
        ("label", None, "Confirmation du nouveau mot de passe"),
        ("role", "button", "Valider"),
    ]),
    f"{DGFIP}/accueil": ("Accueil | Portail de la DGFiP", "Bienvenue sur votre espace", [
        ("role", "link", "gérer ses informations et changer de mot de passe"),
    ]),
    f"{DGFIP}/profil": ("Mes informations | Portail de la DGFiP", "Gérer mes informations", [
        ("label", None, "Numéro de téléphone portable"),
        ("role", "button", "Enregistrer le numéro"),
        ("label", None, "Mot de passe actuel"),
        ("label", None, "Nouveau mot de passe"),
        ("label", None, "Confirmation du nouveau mot de passe"),
        ("role", "button", "Modifier le mot de passe"),
    ]),
}

# Texts that must appear verbatim (url -> texts).
TEXTS = {
    SSO: ["L'inscription sur douane.gouv.fr est nécessaire pour l'utilisation de vos services en ligne "
          "ou faire appel à l'assistance et de bien d'autres services encore"],
    f"{CONNEXION}/motDePasseOublie/confirmation": [
        "Une demande de confirmation pour la réinitialisation de votre mot de passe a été envoyée à votre adresse email",
        "Veuillez consulter votre messagerie électronique et cliquer sur le lien présent dans le message "
        "pour finaliser la procédure."],
    f"{MAIL}/messages/reinitialisation-douane": [
        "douane.gouv.fr <ne-pas-repondre@douane.gouv.fr>",
        "Pour finaliser la procédure, cliquez sur le lien de réinitialisation ci-dessous"],
    f"{CONNEXION}/reinitialisation/confirmation": [
        "Vous avez maintenant la possibilité de vous connecter sur le portail douane à l'aide de votre "
        "identifiant utilisateur et votre mot de passe."],
    f"{DGFIP}/": ["Les agents et partenaires disposant d'un compte sécurisé en -xt se connectent ici."],
    f"{DGFIP}/connexion": ["Votre mot de passe est provisoire : vous devez le modifier pour continuer.",
                           "Le nouveau mot de passe doit être différent du précédent."],
    f"{DGFIP}/profil": ["Date d'expiration de votre mot de passe : 15/03/2027",
                        "À chaque modification, la durée de vie de votre mot de passe est prolongée d'un an. "
                        "Le mot de passe doit être différent à chaque fois."],
}

REGLES_TEXTE = ("Règles pour créer un mot de passe valide : doit être composé d'au moins 8 caractères, "
                "contenir des lettres minuscules, majuscules, de chiffres et de caractères spéciaux "
                "(le caractère « underscore » _ n'est pas considéré comme un caractère spécial).")


# --------------------------------------------------------------------------
# Routing (same rule as the tool) and bookkeeping
# --------------------------------------------------------------------------

def resolve(root: Path, url: str) -> Path | None:
    """fixtures/HOST/PATH, else PATH.html, else PATH/index.html; a trailing "/" means index.html."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = unquote(parts.path) or "/"
    if path.endswith("/"):
        path += "index.html"
    base = (root / parts.hostname / path.lstrip("/")).resolve()
    for candidate in (base, Path(f"{base}.html"), base / "index.html"):
        if candidate.is_file() and root.resolve() in candidate.parents:
            return candidate
    return None


class Run:
    """One browser context serving one fixtures tree, collecting failures."""

    def __init__(self, browser, root: Path, label: str):
        self.root, self.label = root, label
        self.failures: list[str] = []
        self.blocked: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
        self.context.route("**/*", self._handle)
        self.context.on("page", lambda p: p.on("pageerror", lambda e: self.fail(f"JS error: {e}")))

    def _handle(self, route):
        path = resolve(self.root, route.request.url)
        if path is None:
            self.blocked.append(f"{route.request.method} {route.request.url}")
            return route.abort("blockedbyclient")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            ctype = "text/html; charset=utf-8"
        route.fulfill(status=200, body=path.read_bytes(), content_type=ctype)

    def fail(self, message: str) -> None:
        self.failures.append(f"[{self.label}] {message}")

    def check(self, condition: bool, message: str) -> bool:
        if not condition:
            self.fail(message)
        return condition

    def close(self) -> list[str]:
        self.context.close()
        for request in self.blocked:
            self.fail(f"blocked request: {request}")
        return self.failures


def locate(page: Page, kind: str, role: str | None, name: str):
    if kind == "label":
        return page.get_by_label(name, exact=True)
    return page.get_by_role(role, name=name, exact=True)


def expect_unique(run: Run, page: Page, kind: str, role: str | None, name: str) -> None:
    loc = locate(page, kind, role, name)
    n = loc.count()
    if run.check(n == 1, f"{page.url}: {kind} {role or ''} {name!r} found {n} times"):
        run.check(loc.is_visible(), f"{page.url}: {kind} {role or ''} {name!r} not visible")


def expect_title(run: Run, page: Page, title: str) -> bool:
    page.wait_for_load_state()
    return run.check(page.title() == title, f"{page.url}: title {page.title()!r} != {title!r}")


def alert_text(page: Page) -> str:
    alert = page.get_by_role("alert")
    return alert.inner_text().strip() if alert.count() == 1 and alert.is_visible() else ""


def submit_expect_alert(run: Run, page: Page, button: str, expected: str, exact: bool = False) -> None:
    url = page.url
    page.get_by_role("button", name=button, exact=True).click()
    text = alert_text(page)
    ok = (text == expected) if exact else (expected in text)
    run.check(ok, f"{url}: expected alert {expected!r}, got {text!r}")
    run.check(page.url == url, f"{url}: invalid input was submitted (now at {page.url})")


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def check_static(root: Path) -> list[str]:
    failures = []
    external = re.compile(r"""<link\b|<img\b[^>]*src=["']?http|<script\b[^>]*\bsrc=|@import|url\(\s*["']?http""", re.I)
    for path in sorted(root.rglob("*.html")):
        text, rel = path.read_text(encoding="utf-8"), path.relative_to(root)
        size = len(text.encode())
        for ok, what in ((text.startswith("<!doctype html>"), "doctype"),
                         ('<html lang="fr">' in text, 'lang="fr"'),
                         ('<meta charset="utf-8">' in text, "charset"),
                         (size < MAX_BYTES, f"size {size} B"),
                         (not external.search(text), "external resource")):
            if not ok:
                failures.append(f"[static] {rel}: {what}")
    return failures


def check_pages(run: Run, page: Page) -> None:
    for url, (title, h1, elements) in PAGES.items():
        page.goto(url)
        if not expect_title(run, page, title):
            continue
        expect_unique(run, page, "role", "heading", h1)
        for kind, role, name in elements:
            expect_unique(run, page, kind, role, name)
        body = re.sub(r"\s+", " ", page.locator("body").inner_text())
        for text in TEXTS.get(url, []):
            run.check(text in body, f"{url}: text missing: {text!r}")


def flow_douane(run: Run, page: Page) -> None:
    page.goto(DOUANE)
    region = page.get_by_role("region", name="Mon espace personnel", exact=True)
    region.get_by_role("link", name="Se connecter", exact=True).click()
    expect_title(run, page, "Authentification | douane.gouv.fr")
    submit_expect_alert(run, page, "ME CONNECTER", "identifiant")
    page.get_by_role("link", name="MOT DE PASSE OUBLIÉ ?", exact=True).click()
    expect_title(run, page, "Mot de passe oublié | douane.gouv.fr")

    # Conditional fields are hidden until a choice is made.
    for label in ("Identifiant de connexion", "Courrier électronique"):
        run.check(not page.get_by_label(label, exact=True).is_visible(), f"{label!r} visible at load")
    run.check(page.locator("input[name=choix]:checked").count() == 0, "a radio is checked at load")
    submit_expect_alert(run, page, "Réinitialiser", "Veuillez choisir")
    page.get_by_role("radio", name="Courriel", exact=True).check()
    courriel = page.get_by_label("Courrier électronique", exact=True)
    run.check(courriel.is_visible(), "e-mail field not shown after choosing Courriel")
    run.check(courriel.get_attribute("placeholder") == "exemple : nom@moncourriel.fr", "e-mail placeholder")
    courriel.fill("nom@moncourriel")
    submit_expect_alert(run, page, "Réinitialiser",
                        "Veuillez saisir une adresse électronique valide, exemple : nom@moncourriel.fr",
                        exact=True)
    courriel.fill("camille.martin@exemple.fr")
    page.get_by_role("button", name="Réinitialiser", exact=True).click()
    expect_title(run, page, "Réinitialisation de votre mot de passe | douane.gouv.fr")
    run.check(page.url.endswith("/motDePasseOublie/confirmation"), f"unexpected URL {page.url}")

    # The "Identifiant" branch submits too.
    page.goto(f"{CONNEXION}/motDePasseOublie")
    page.get_by_role("radio", name="Identifiant", exact=True).check()
    page.get_by_label("Identifiant de connexion", exact=True).fill("cmartin")
    page.get_by_role("button", name="Réinitialiser", exact=True).click()
    expect_title(run, page, "Réinitialisation de votre mot de passe | douane.gouv.fr")

    # Webmail: the reset link opens in a new tab.
    page.goto(f"{MAIL}/")
    page.get_by_role("link", name="Réinitialisation du mot de passe", exact=True).click()
    expect_title(run, page, "Réinitialisation du mot de passe | Messagerie")
    with page.context.expect_page() as popup_info:
        page.get_by_role("link", name="Réinitialiser mon mot de passe", exact=True).click()
    reset = popup_info.value
    expect_title(run, reset, "Réinitialisation de votre mot de passe | douane.gouv.fr")
    rules = reset.locator("#regles-mot-de-passe")
    run.check(rules.count() == 1 and rules.inner_text().strip() == REGLES_TEXTE, "password rule text")

    ident = reset.get_by_label("Identifiant *", exact=True)
    mdp = reset.get_by_label("Mot de passe *", exact=True)
    conf = reset.get_by_label("Confirmer le mot de passe *", exact=True)
    bad = [("", "Abcdef1!", "Abcdef1!", "identifiant"),
           ("nom@moncourriel.fr", "Ab1!xyz", "Ab1!xyz", "8 caractères"),
           ("nom@moncourriel.fr", "ABCDEF1!", "ABCDEF1!", "minuscule"),
           ("nom@moncourriel.fr", "abcdef1!", "abcdef1!", "majuscule"),
           ("nom@moncourriel.fr", "Abcdefg!", "Abcdefg!", "chiffre"),
           ("nom@moncourriel.fr", "Abcdef1_", "Abcdef1_", "spécial"),
           ("nom@moncourriel.fr", "Abcdef12", "Abcdef12", "spécial"),
           ("nom@moncourriel.fr", "Abcdef1!", "Abcdef1?", "Les deux mots de passe ne sont pas identiques")]
    for i, p, c, expected in bad:
        ident.fill(i), mdp.fill(p), conf.fill(c)
        submit_expect_alert(run, reset, "Réinitialiser", expected)
    ident.fill("nom@moncourriel.fr"), mdp.fill("Abcdef1!"), conf.fill("Abcdef1!")
    reset.get_by_role("button", name="Réinitialiser", exact=True).click()
    expect_title(run, reset, "Mot de passe modifié | douane.gouv.fr")
    reset.get_by_role("link", name="Me connecter", exact=True).click()
    expect_title(run, reset, "Authentification | douane.gouv.fr")
    reset.close()


def flow_dgfip(run: Run, page: Page) -> None:
    page.goto(f"{DGFIP}/")
    submit_expect_alert(run, page, "Connexion", "identifiant")
    page.get_by_label("Identifiant", exact=True).fill("jdupont-xt")
    submit_expect_alert(run, page, "Connexion", "mot de passe")
    page.get_by_label("Mot de passe", exact=True).fill("Provisoire-123")
    page.get_by_role("button", name="Connexion", exact=True).click()
    expect_title(run, page, "Modification du mot de passe | Portail de la DGFiP")

    nouveau = page.get_by_label("Nouveau mot de passe", exact=True)
    conf = page.get_by_label("Confirmation du nouveau mot de passe", exact=True)
    submit_expect_alert(run, page, "Valider", "Veuillez saisir")
    nouveau.fill("court"), conf.fill("court")
    submit_expect_alert(run, page, "Valider", "8 caractères")
    nouveau.fill("Nouveau-2026!"), conf.fill("Nouveau-2026?")
    submit_expect_alert(run, page, "Valider", "identiques")
    conf.fill("Nouveau-2026!")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect_title(run, page, "Accueil | Portail de la DGFiP")

    run.check(page.locator("#expiration").inner_text().strip()
              == "Date d'expiration de votre mot de passe : 15/03/2027", "#expiration text")
    link = page.get_by_role("link", name="gérer ses informations et changer de mot de passe", exact=True)
    box = link.bounding_box()
    run.check(box is not None and box["y"] > VIEWPORT["height"], f"profile link not below the fold: {box}")
    run.check(link.evaluate("a => !!a.closest('footer')"), "profile link is not in the footer")
    link.click()
    expect_title(run, page, "Mes informations | Portail de la DGFiP")

    tel = page.get_by_label("Numéro de téléphone portable", exact=True)
    tel.fill("01 23")
    submit_expect_alert(run, page, "Enregistrer le numéro", "numéro de téléphone portable valide")
    tel.fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer le numéro", exact=True).click()
    run.check("enregistré" in page.locator("#statut-telephone").inner_text(), "phone number not saved")
    page.get_by_label("Mot de passe actuel", exact=True).fill("Nouveau-2026!")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Nouveau-2026!")
    page.get_by_label("Confirmation du nouveau mot de passe", exact=True).fill("Nouveau-2026!")
    submit_expect_alert(run, page, "Modifier le mot de passe", "différent")
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Encore-2027!")
    page.get_by_label("Confirmation du nouveau mot de passe", exact=True).fill("Encore-2027!")
    page.get_by_role("button", name="Modifier le mot de passe", exact=True).click()
    run.check("modifié" in page.locator("#statut-mdp").inner_text(), "password change not confirmed")

    # Forgotten -xt password.
    page.goto(f"{DGFIP}/")
    page.get_by_role("link", name="Mot de passe -xt oublié", exact=True).click()
    expect_title(run, page, "Mot de passe -xt oublié | Portail de la DGFiP")
    champ = page.get_by_label("Identifiant en -xt", exact=True)
    champ.fill("jdupont")
    submit_expect_alert(run, page, "Valider", "Votre identifiant doit se terminer par -xt (exemple : jdupont-xt).",
                        exact=True)
    champ.fill("jdupont-xt")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect_title(run, page, "Mot de passe provisoire envoyé | Portail de la DGFiP")
    page.get_by_role("link", name="Retour à la connexion", exact=True).click()
    expect_title(run, page, "Connexion | Portail de la DGFiP")


def check_tree(browser, root: Path, label: str) -> list[str]:
    run = Run(browser, root, label)
    page = run.context.new_page()
    for step in (check_pages, flow_douane, flow_dgfip):
        try:
            step(run, page)
        except Exception as exc:  # a timeout etc. is a failure, not a crash
            run.fail(f"{step.__name__}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    return run.close()


# --------------------------------------------------------------------------
# Drift variants: each must break the procedure in its own way
# --------------------------------------------------------------------------

def drift_expectations(run: Run, page: Page, name: str) -> None:
    def count(kind, role, label):
        return locate(page, kind, role, label).count()

    if name == "renamed-button":
        page.goto(f"{CONNEXION}/motDePasseOublie")
        run.check(count("role", "button", "Réinitialiser") == 0, "button still named Réinitialiser")
        run.check(count("role", "button", "Valider") == 1, "no Valider button")
    elif name == "removed-link":
        page.goto(SSO)
        run.check(count("role", "link", "MOT DE PASSE OUBLIÉ ?") == 0, "link still there")
    elif name == "hidden-element":
        page.goto(f"{DGFIP}/")
        run.check(count("role", "link", "Mot de passe -xt oublié") == 0, "hidden link still found by role")
        raw = page.locator('a[href$="/motdepasse-oublie"]')
        run.check(raw.count() == 1 and not raw.is_visible(), "link should be in the DOM but not visible")
    elif name == "duplicated-button":
        page.goto(f"{CONNEXION}/reinitialisation?jeton=7f3a9c2e")
        run.check(count("role", "button", "Réinitialiser") == 2, "expected two Réinitialiser buttons")
    elif name == "wrong-link":
        page.goto(DOUANE)
        page.get_by_role("link", name="Se connecter", exact=True).click()
        expect_title(run, page, "Professionnels | douane.gouv.fr")
        run.check(count("role", "button", "ME CONNECTER") == 0, "landed on the login page")
    elif name == "changed-password-rule":
        page.goto(f"{CONNEXION}/reinitialisation?jeton=7f3a9c2e")
        run.check("d'au moins 16 caractères" in page.locator("#regles-mot-de-passe").inner_text(), "rule text")
        page.get_by_label("Identifiant *", exact=True).fill("nom@moncourriel.fr")
        for label in ("Mot de passe *", "Confirmer le mot de passe *"):
            page.get_by_label(label, exact=True).fill("Abcdef1!")
        submit_expect_alert(run, page, "Réinitialiser", "16 caractères")
        for label in ("Mot de passe *", "Confirmer le mot de passe *"):
            page.get_by_label(label, exact=True).fill("Abcdef1!Abcdef1!")
        page.get_by_role("button", name="Réinitialiser", exact=True).click()
        expect_title(run, page, "Mot de passe modifié | douane.gouv.fr")
    elif name == "disabled-button":
        page.goto(f"{DGFIP}/motdepasse-oublie")
        run.check(page.get_by_role("button", name="Valider", exact=True).is_disabled(), "button enabled")
    else:
        run.fail(f"no expectation written for drift variant {name!r}")


def check_variants(browser, workdir: Path) -> list[str]:
    failures = []
    for name in DRIFT:
        root = build_variant(name, workdir / name)
        run = Run(browser, root, f"drift:{name}")
        try:
            drift_expectations(run, run.context.new_page(), name)
        except Exception as exc:
            run.fail(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        failures += run.close()
    for name in COSMETIC:
        root = build_variant(name, workdir / name)
        failures += check_static(root)
        failures += check_tree(browser, root, f"cosmetic:{name}")
    return failures


def screenshots(browser, root: Path, outdir: Path, label: str) -> dict[str, bytes]:
    outdir.mkdir(parents=True, exist_ok=True)
    run = Run(browser, root, label)
    page = run.context.new_page()
    shots = {}
    for name, url in (("douane-accueil", DOUANE), ("douane-authentification", SSO),
                      ("douane-reinitialisation", f"{CONNEXION}/reinitialisation?jeton=7f3a9c2e"),
                      ("messagerie", f"{MAIL}/"), ("dgfip-connexion", f"{DGFIP}/"),
                      ("dgfip-accueil", f"{DGFIP}/accueil")):
        page.goto(url)
        shots[name] = page.screenshot(path=str(outdir / f"{label}-{name}.png"))
    run.close()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="write 1280x720 screenshots to this folder")
    parser.add_argument("--no-variants", action="store_true", help="check the base fixtures only")
    args = parser.parse_args()

    failures = check_static(FIXTURES)
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        failures += check_tree(browser, FIXTURES, "fixtures")
        if not args.no_variants:
            failures += check_variants(browser, Path(tmp))
            # Renaming every class must not change the rendering at all.
            base = screenshots(browser, FIXTURES, Path(tmp) / "shots", "base")
            other = screenshots(browser, build_variant("other-classes", Path(tmp) / "oc"),
                                Path(tmp) / "shots", "other-classes")
            for key in ("douane-accueil", "douane-authentification"):
                if base[key] != other[key]:
                    failures.append(f"[cosmetic:other-classes] {key} renders differently")
        if args.shots:
            screenshots(browser, FIXTURES, args.shots, "fixtures")
        browser.close()

    for failure in failures:
        print("FAIL", failure)
    print(f"{len(failures)} failure(s)" if failures else "all fixture checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
