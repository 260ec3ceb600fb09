"""The bundled flows written by hand as plain Playwright: the yardstick for `guide check`.

Each function replays one branch the way a tester would script it: page.goto, get_by_role /
get_by_label / get_by_text, fill, check, click, wait_for_url and a wait for each page's heading
(or title), with exact names. Same pages, same clicks, fills and waits as the flows; no drift
diagnosis, no strictness checks beyond Playwright's own strict mode, no overlay, no report.

Run on its own: `python bench/baseline_bare.py` (uses guide's routing to the fixtures).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[1]

DGFIP = "https://portail.dgfip.finances.gouv.fr"
IDENTIFIANT_XT, PROVISOIRE, NOUVEAU = "jdupont-xt", "Provisoire-2026", "Chorus-Pro-2027"
COURRIEL, MOT_DE_PASSE = "camille.martin@exemple.fr", "Douane2022!ok"


def heading(page: Page, name: str) -> None:
    page.get_by_role("heading", level=1, name=name, exact=True).wait_for()


def goto(page: Page, url: str, name: str) -> None:
    page.goto(url)
    heading(page, name)


def click_to(page: Page, role: str, name: str, url: str, title: str) -> None:
    page.get_by_role(role, name=name, exact=True).click()  # type: ignore[arg-type]
    page.wait_for_url(url)
    heading(page, title)


def douane_main(context: BrowserContext) -> int:
    page = context.new_page()
    page.goto("https://www.douane.gouv.fr/")
    assert page.title() == "Accueil | douane.gouv.fr"
    page.get_by_role("region", name="Mon espace personnel", exact=True).get_by_role(
        "link", name="Se connecter", exact=True
    ).click()
    page.wait_for_url("https://connexion.douane.gouv.fr/saml/singleSignOn**")
    heading(page, "Authentification")
    click_to(
        page,
        "link",
        "MOT DE PASSE OUBLIÉ ?",
        "https://connexion.douane.gouv.fr/motDePasseOublie",
        "Vous avez oublié votre mot de passe",
    )
    page.get_by_role("radio", name="Courriel", exact=True).check()
    page.get_by_label("Courrier électronique", exact=True).fill(COURRIEL)
    click_to(
        page,
        "button",
        "Réinitialiser",
        "https://connexion.douane.gouv.fr/motDePasseOublie/confirmation",
        "Réinitialisation de votre mot de passe",
    )
    page.get_by_text(
        "Une demande de confirmation pour la réinitialisation de votre mot de passe a été "
        "envoyée à votre adresse email",
        exact=True,
    ).wait_for()
    # the e-mail, simulated: the reset link opens a new tab
    goto(page, "https://messagerie.exemple.fr/", "Boîte de réception")
    click_to(
        page,
        "link",
        "Réinitialisation du mot de passe",
        "https://messagerie.exemple.fr/messages/reinitialisation-douane",
        "Réinitialisation du mot de passe",
    )
    with context.expect_page() as opened:
        page.get_by_role("link", name="Réinitialiser mon mot de passe", exact=True).click()
    page = opened.value
    page.wait_for_url("https://connexion.douane.gouv.fr/reinitialisation**")
    heading(page, "Réinitialisation de votre mot de passe")
    assert page.title() == "Réinitialisation de votre mot de passe | douane.gouv.fr"
    page.get_by_label("Identifiant *", exact=True).fill(COURRIEL)
    page.get_by_label("Mot de passe *", exact=True).fill(MOT_DE_PASSE)
    page.get_by_label("Confirmer le mot de passe *", exact=True).fill(MOT_DE_PASSE)
    page.get_by_text(
        "Règles pour créer un mot de passe valide : doit être composé d'au moins 8 caractères, "
        "contenir des lettres minuscules, majuscules, de chiffres et de caractères spéciaux "
        "(le caractère « underscore » _ n'est pas considéré comme un caractère spécial).",
        exact=True,
    ).wait_for()
    click_to(
        page,
        "button",
        "Réinitialiser",
        "https://connexion.douane.gouv.fr/reinitialisation/confirmation",
        "Votre mot de passe a été modifié",
    )
    page.get_by_role("heading", name="Votre mot de passe a été modifié", exact=True).wait_for()
    return 16


def _dgfip_connexion(page: Page) -> None:
    """The steps every DGFiP branch shares, from the portal's login form on."""
    page.get_by_label("Identifiant", exact=True).fill(IDENTIFIANT_XT)
    page.get_by_label("Mot de passe", exact=True).fill(PROVISOIRE)
    click_to(page, "button", "Connexion", f"{DGFIP}/connexion", "Modification de votre mot de passe")
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NOUVEAU)
    page.get_by_label("Confirmation du nouveau mot de passe", exact=True).fill(NOUVEAU)
    click_to(page, "button", "Valider", f"{DGFIP}/accueil", "Bienvenue sur votre espace")
    page.get_by_text("Date d'expiration de votre mot de passe : 15/03/2027", exact=True).wait_for()
    click_to(
        page, "link", "gérer ses informations et changer de mot de passe", f"{DGFIP}/profil", "Gérer mes informations"
    )
    page.get_by_role("textbox", name="Numéro de téléphone portable", exact=True).wait_for()
    page.get_by_role("button", name="Modifier le mot de passe", exact=True).wait_for()


def dgfip_methode_1(context: BrowserContext) -> int:
    page = context.new_page()
    goto(page, f"{DGFIP}/", "Connexion au portail de la DGFiP")
    goto(page, f"{DGFIP}/", "Connexion au portail de la DGFiP")  # the step opens the portal again
    click_to(page, "link", "Mot de passe -xt oublié", f"{DGFIP}/motdepasse-oublie", "Mot de passe -xt oublié")
    page.get_by_label("Identifiant en -xt", exact=True).fill(IDENTIFIANT_XT)
    click_to(page, "button", "Valider", f"{DGFIP}/motdepasse-oublie/confirmation", "Mot de passe provisoire envoyé")
    click_to(page, "link", "Retour à la connexion", f"{DGFIP}/", "Connexion au portail de la DGFiP")
    _dgfip_connexion(page)
    return 16


def dgfip_methode_2(context: BrowserContext) -> int:
    page = context.new_page()
    goto(page, f"{DGFIP}/", "Connexion au portail de la DGFiP")
    goto(page, f"{DGFIP}/", "Connexion au portail de la DGFiP")  # "reponse-ddfip" opens the portal
    _dgfip_connexion(page)
    return 13


# (flow id, branch name) -> script, in the order `guide check` lists them
BRANCHES: dict[tuple[str, str], Callable[[BrowserContext], int]] = {
    ("dgfip-mot-de-passe-xt", "oublie › methode-1"): dgfip_methode_1,
    ("dgfip-mot-de-passe-xt", "oublie › methode-2"): dgfip_methode_2,
    ("dgfip-mot-de-passe-xt", "expire › methode-2"): dgfip_methode_2,
    ("douane-mot-de-passe-portailpro", "main"): douane_main,
}


def run(branches: dict[tuple[str, str], Callable[[BrowserContext], int]], fixtures: Path) -> int:
    """Replay `branches` against `fixtures` in fresh routed contexts of one browser; print the times."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from guide.browser import launch, resolve_browser
    from guide.runner import CHECK, open_context

    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(None, playwright))
        started = time.perf_counter()
        for (flow, branch), script in branches.items():
            context = open_context(browser, CHECK, fixtures)
            begun = time.perf_counter()
            steps = script(context)
            context.close()
            print(f"{flow} › {branch}: {steps} steps in {time.perf_counter() - begun:.2f} s")
        print(f"total {time.perf_counter() - started:.2f} s")
        browser.close()
    return 0


def main() -> int:
    return run(BRANCHES, ROOT / "tests" / "fixtures" / "handwritten")


if __name__ == "__main__":
    sys.exit(main())
