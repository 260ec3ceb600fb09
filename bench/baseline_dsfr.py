"""The bundled flows as plain Playwright for the real-DSFR fixtures (fixtures/): the yardstick
for `guide check` on pages built the way the État's sites are.

The same branches as bench/baseline_bare.py (written for tests/fixtures/handwritten), as a
tester who knows DSFR would script them: the consent banner closed by a locator handler
(`page.add_locator_handler`, Playwright's answer to overlays that come and go), radios clicked
through their label (DSFR draws them over the native input), labels that carry a hint text
matched on their first words, names as the accessibility tree gives them (« Mot de passe
oublié ? », not the capitals CSS shows). No drift diagnosis, no strictness beyond Playwright's
own strict mode, no overlay, no report.

Run on its own: `python bench/baseline_dsfr.py` (uses guide's routing to the fixtures).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from baseline_bare import (  # the shared helpers and test values
    COURRIEL,
    DGFIP,
    IDENTIFIANT_XT,
    MOT_DE_PASSE,
    NOUVEAU,
    PROVISOIRE,
    ROOT,
    click_to,
    goto,
    heading,
    run,
)
from playwright.sync_api import BrowserContext, Page


def new_page(context: BrowserContext) -> Page:
    """A tab that closes the consent banner whenever it shows (first visit of each site)."""
    page = context.new_page()
    refuse = page.get_by_role("button", name="Tout refuser", exact=True)
    page.add_locator_handler(refuse, lambda button: button.click())
    return page


def label_starting(page: Page, words: str):  # type: ignore[no-untyped-def]
    """A field whose label starts with `words` (DSFR puts the hint text inside the label)."""
    return page.get_by_label(re.compile("^" + re.escape(words)))


def douane_main(context: BrowserContext) -> int:
    page = new_page(context)
    page.goto("https://www.douane.gouv.fr/")
    assert page.title() == "Accueil | douane.gouv.fr"
    page.locator(".fr-header__tools").get_by_role("link", name="Se connecter", exact=True).click()
    page.wait_for_url("https://connexion.douane.gouv.fr/saml/singleSignOn**")
    heading(page, "Authentification")
    click_to(
        page,
        "link",
        "Mot de passe oublié ?",
        "https://connexion.douane.gouv.fr/motDePasseOublie",
        "Vous avez oublié votre mot de passe",
    )
    page.locator("label", has_text=re.compile("^Courriel$")).click()
    label_starting(page, "Courrier électronique").fill(COURRIEL)
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
    refuse = page.get_by_role("button", name="Tout refuser", exact=True)
    page.add_locator_handler(refuse, lambda button: button.click())
    page.wait_for_url("https://connexion.douane.gouv.fr/reinitialisation**")
    heading(page, "Réinitialisation de votre mot de passe")
    assert page.title() == "Réinitialisation de votre mot de passe | douane.gouv.fr"
    label_starting(page, "Identifiant *").fill(COURRIEL)
    label_starting(page, "Mot de passe *").fill(MOT_DE_PASSE)
    label_starting(page, "Confirmer le mot de passe *").fill(MOT_DE_PASSE)
    # typographic apostrophes and non-breaking spaces in the page: its first words are enough
    page.get_by_text(re.compile(r"^Règles pour créer un mot de passe valide\s*:")).wait_for()
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
    label_starting(page, "Identifiant").fill(IDENTIFIANT_XT)
    label_starting(page, "Mot de passe").fill(PROVISOIRE)
    click_to(page, "button", "Connexion", f"{DGFIP}/connexion", "Modification de votre mot de passe")
    label_starting(page, "Nouveau mot de passe").fill(NOUVEAU)
    label_starting(page, "Confirmation du nouveau mot de passe").fill(NOUVEAU)
    click_to(page, "button", "Valider", f"{DGFIP}/accueil", "Bienvenue sur votre espace")
    # typographic apostrophe and a non-breaking space before the colon, as the page writes them
    page.get_by_text(re.compile(r"^Date d.expiration de votre mot de passe\s*:\s*15/03/2027$")).wait_for()
    click_to(
        page, "link", "gérer ses informations et changer de mot de passe", f"{DGFIP}/profil", "Gérer mes informations"
    )
    page.get_by_role("textbox", name=re.compile("^Numéro de téléphone portable")).wait_for()
    page.get_by_role("button", name="Modifier le mot de passe", exact=True).wait_for()


def dgfip_methode_1(context: BrowserContext) -> int:
    page = new_page(context)
    goto(page, f"{DGFIP}/", "Connexion au portail de la DGFiP")
    goto(page, f"{DGFIP}/", "Connexion au portail de la DGFiP")  # the step opens the portal again
    click_to(page, "link", "Mot de passe -xt oublié", f"{DGFIP}/motdepasse-oublie", "Mot de passe -xt oublié")
    label_starting(page, "Identifiant en -xt").fill(IDENTIFIANT_XT)
    click_to(page, "button", "Valider", f"{DGFIP}/motdepasse-oublie/confirmation", "Mot de passe provisoire envoyé")
    click_to(page, "link", "Retour à la connexion", f"{DGFIP}/", "Connexion au portail de la DGFiP")
    _dgfip_connexion(page)
    return 16


def dgfip_methode_2(context: BrowserContext) -> int:
    page = new_page(context)
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


def main() -> int:
    return run(BRANCHES, ROOT / "fixtures")


if __name__ == "__main__":
    sys.exit(main())
