"""Build altered copies of the DSFR fixtures (``fixtures/``, the bundled tree) to test drift detection.

The same variants as ``make_variants.py``, applied to the fixture tree built with the État's
design system (DSFR 1.15.3: its CSS and JavaScript, hint text inside labels, capitals set by
CSS, typographic apostrophes, consent banners, radios drawn by their labels, header links
copied into the mobile menu by DSFR's own script):

* drift variants: the page really changed in a way a replayed procedure must notice;
* cosmetic variants: the markup changed but every step of the procedure is still valid.
  The tool must NOT report drift for those. One is DSFR-specific: ``consent-accepted``,
  the pages as a returning visitor gets them once the cookie choice is made (no banner).

Every edit is an exact string replacement that raises ``VariantError`` when the original
text is not found (or not found the expected number of times), so a variant can never
silently stop drifting after a fixture is edited.

Usage::

    from tests.drift.dsfr_variants import VARIANTS, DRIFT, COSMETIC, build_variant
    root = build_variant("renamed-button", tmp_path / "fixtures")
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

try:
    from .make_variants import VariantError, _cut, _read, _sub, _write, replace
except ImportError:  # run as a script: python tests/drift/dsfr_variants.py NAME DEST
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.drift.make_variants import VariantError, _cut, _read, _sub, _write, replace

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

DOUANE_INDEX = "www.douane.gouv.fr/index.html"
DOUANE_SSO = "connexion.douane.gouv.fr/saml/singleSignOn.html"
DOUANE_OUBLI = "connexion.douane.gouv.fr/motDePasseOublie.html"
DOUANE_REINIT = "connexion.douane.gouv.fr/reinitialisation.html"
DGFIP_INDEX = "portail.dgfip.finances.gouv.fr/index.html"
DGFIP_OUBLI = "portail.dgfip.finances.gouv.fr/motdepasse-oublie.html"
DGFIP_ACCUEIL = "portail.dgfip.finances.gouv.fr/accueil.html"

# The government sites (DSFR pages and their site stylesheets); the webmail is not one.
GOV_HOSTS = ("www.douane.gouv.fr", "connexion.douane.gouv.fr", "portail.dgfip.finances.gouv.fr")
SITE_CSS = ("www.douane.gouv.fr/themes/douane/css/site.css", "portail.dgfip.finances.gouv.fr/static/css/portail.css")

SSO_URL = "https://connexion.douane.gouv.fr/saml/singleSignOn?SAMLRequest=nZJPj9owEMW%2FSuR7%2FhAICxYg0UVv"


def _gov_pages(root: Path) -> list[str]:
    pages = sorted(p.relative_to(root).as_posix() for host in GOV_HOSTS for p in (root / host).rglob("*.html"))
    if not pages:
        raise VariantError(f"no government page under {root}")
    return pages


# --------------------------------------------------------------------------
# Drift variants
# --------------------------------------------------------------------------


def renamed_button(root: Path) -> None:
    """douane "Mot de passe oublié": button "Réinitialiser" becomes "Valider"."""
    replace(
        root,
        DOUANE_OUBLI,
        '<button class="fr-btn" type="submit">Réinitialiser</button>',
        '<button class="fr-btn" type="submit">Valider</button>',
    )


def removed_link(root: Path) -> None:
    """douane login page: the "MOT DE PASSE OUBLIÉ ?" link disappears."""
    replace(
        root,
        DOUANE_SSO,
        '         <p class="fr-mt-2w fr-mb-0"><a class="fr-link lien-majuscules" '
        'href="https://connexion.douane.gouv.fr/motDePasseOublie">Mot de passe oublié&#8239;?</a></p>\n',
        "",
    )


def hidden_element(root: Path) -> None:
    """DGFiP login page: the "Mot de passe -xt oublié" link is still there but display:none."""
    replace(
        root,
        DGFIP_INDEX,
        '<a class="fr-link" href="https://portail.dgfip.finances.gouv.fr/motdepasse-oublie">Mot de passe -xt oublié</a>',
        '<a class="fr-link" href="https://portail.dgfip.finances.gouv.fr/motdepasse-oublie" style="display:none">'
        "Mot de passe -xt oublié</a>",
    )


def duplicated_button(root: Path) -> None:
    """douane reset form: a second "Réinitialiser" button at the top of the form."""
    form_open = (
        '<form id="form-reinitialisation" method="post" '
        'action="https://connexion.douane.gouv.fr/reinitialisation/confirmation" novalidate>\n'
    )
    replace(
        root,
        DOUANE_REINIT,
        form_open,
        form_open + '      <p><button class="fr-btn fr-btn--secondary" type="submit">Réinitialiser</button></p>\n',
    )


PROFESSIONNELS_MAIN = """<main id="contenu" role="main">
 <div class="fr-container">
  <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici&nbsp;:">
   <button type="button" class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">Voir le fil d’Ariane</button>
   <div class="fr-collapse" id="fil-ariane">
    <ol class="fr-breadcrumb__list">
     <li><a class="fr-breadcrumb__link" href="https://www.douane.gouv.fr/">Accueil</a></li>
     <li><a class="fr-breadcrumb__link" aria-current="page">Professionnels</a></li>
    </ol>
   </div>
  </nav>
  <h1>Professionnels</h1>
  <p class="fr-text--lead">Importer, exporter, produire ou transporter des produits soumis à accises&nbsp;: les informations et démarches pour les entreprises.</p>
  <ul class="fr-mb-8w">
   <li><a href="https://www.douane.gouv.fr/professionnels/dedouanement">Dédouaner vos marchandises</a></li>
   <li><a href="https://www.douane.gouv.fr/professionnels/accises">Fiscalité et produits soumis à accises</a></li>
   <li><a href="https://www.douane.gouv.fr/professionnels/operateur-economique-agree">Devenir opérateur économique agréé</a></li>
  </ul>
 </div>
</main>
"""


def wrong_link(root: Path) -> None:
    """douane home: "Se connecter" leads to the "Professionnels" page instead of the login page."""
    text = _read(root, DOUANE_INDEX)
    replace(
        root,
        DOUANE_INDEX,
        f'<a class="fr-btn fr-btn--account" href="{SSO_URL}">Se connecter</a>',
        '<a class="fr-btn fr-btn--account" href="https://www.douane.gouv.fr/professionnels">Se connecter</a>',
    )
    # The target page exists in this variant only, built from the home page's header/footer.
    page, _ = _cut(text, '<main id="contenu" role="main">', "</main>\n", DOUANE_INDEX)
    page = _sub(
        page, "<title>Accueil | douane.gouv.fr</title>", "<title>Professionnels | douane.gouv.fr</title>", DOUANE_INDEX
    )
    page = _sub(
        page,
        '<a class="fr-nav__link" href="https://www.douane.gouv.fr/" target="_self" aria-current="page">Accueil</a>',
        '<a class="fr-nav__link" href="https://www.douane.gouv.fr/" target="_self">Accueil</a>',
        DOUANE_INDEX,
    )
    page = _sub(
        page,
        '<a class="fr-nav__link" href="https://www.douane.gouv.fr/professionnels" target="_self">Professionnels</a>',
        '<a class="fr-nav__link" href="https://www.douane.gouv.fr/professionnels" target="_self" '
        'aria-current="page">Professionnels</a>',
        DOUANE_INDEX,
    )
    page = _sub(page, "</header>\n", "</header>\n" + PROFESSIONNELS_MAIN, DOUANE_INDEX)
    _write(root, "www.douane.gouv.fr/professionnels.html", page)


def changed_password_rule(root: Path) -> None:
    """douane reset form: minimum password length 8 -> 16 (JS rule and rule text)."""
    replace(root, DOUANE_REINIT, "longueurMin: 8,", "longueurMin: 16,")
    replace(root, DOUANE_REINIT, "d’au moins 8 caractères", "d’au moins 16 caractères")


def disabled_button(root: Path) -> None:
    """DGFiP "Mot de passe -xt oublié": the "Valider" button is disabled."""
    replace(
        root,
        DGFIP_OUBLI,
        '<button class="fr-btn" type="submit">Valider</button>',
        '<button class="fr-btn" type="submit" disabled>Valider</button>',
    )


# --------------------------------------------------------------------------
# Cosmetic variants (must NOT be reported as drift)
# --------------------------------------------------------------------------

CLASS_PREFIX = "v2-"
_CLASS_ATTR = re.compile(r'class="([^"]*)"')


def other_classes(root: Path) -> None:
    """Both sites: every class of the site's own (not DSFR's ``fr-`` ones) renamed with a ``v2-``
    prefix, in the pages and in the site stylesheets, so the pages look and read the same."""
    own: set[str] = set()

    def rename(m: re.Match) -> str:
        names = []
        for c in m.group(1).split():
            if c.startswith("fr-") or c.startswith("fr--"):
                names.append(c)
            else:
                own.add(c)
                names.append(CLASS_PREFIX + c)
        return 'class="' + " ".join(names) + '"'

    for rel in _gov_pages(root):
        text, n = _CLASS_ATTR.subn(rename, _read(root, rel))
        if n == 0:
            raise VariantError(f"{rel}: no class attribute found")
        _write(root, rel, text)
    if not own:
        raise VariantError("no site class found in the government pages")
    selector = re.compile(r"\.(" + "|".join(sorted(map(re.escape, own), key=len, reverse=True)) + r")(?![\w-])")
    for rel in SITE_CSS:
        text, n = selector.subn(lambda m: "." + CLASS_PREFIX + m.group(1), _read(root, rel))
        if n == 0:
            raise VariantError(f"{rel}: none of the site classes {sorted(own)} found")
        _write(root, rel, text)


NOTICE = """<div class="fr-notice fr-notice--info">
 <div class="fr-container">
  <div class="fr-notice__body">
   <p class="fr-notice__title">Maintenance programmée le samedi 12 décembre de 20&nbsp;h à 23&nbsp;h&nbsp;: certains services en ligne seront momentanément indisponibles.</p>
  </div>
 </div>
</div>
"""

MAIL_BANNER = """<div role="note" style="margin:0;padding:.75rem 1.5rem;background:#fff;border-bottom:1px solid #ddd;font:.875rem/1.5 arial,sans-serif;color:#161616">
 <p style="margin:0">Nouveau&nbsp;: retrouvez vos contacts et votre agenda dans la messagerie. <a href="/nouveautes" style="color:#0b57d0">Découvrir</a></p>
</div>
"""


def extra_banner(root: Path) -> None:
    """Every page: an information banner at the top of <body> (a DSFR notice on the government
    sites, a plain one on the webmail)."""
    gov = set(_gov_pages(root))
    pages = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not p.relative_to(root).as_posix().startswith("cdn.")
    )
    for rel in pages:
        replace(root, rel, "<body>\n", "<body>\n" + (NOTICE if rel in gov else MAIL_BANNER))


def reordered_blocks(root: Path) -> None:
    """douane home: "Créer mon espace" before "Se connecter" in « Mon espace personnel », and the
    online services before the news; DGFiP home: application tiles in reverse order."""
    text = _read(root, DOUANE_INDEX)
    se_connecter = f'        <li><a class="fr-btn fr-btn--account" href="{SSO_URL}">Se connecter</a></li>\n'
    creer = (
        '        <li><a class="fr-btn" href="https://connexion.douane.gouv.fr/inscription">Créer mon espace</a></li>\n'
    )
    text = _sub(text, se_connecter + creer, creer + se_connecter, DOUANE_INDEX)
    text, services = _cut(
        text, '  <section class="fr-mt-6w" aria-labelledby="services-titre">\n', "  </section>\n", DOUANE_INDEX
    )
    news = '  <section aria-labelledby="actualites-titre">\n'
    text = _sub(
        text,
        news,
        services.replace('class="fr-mt-6w" ', "") + news.replace("<section ", '<section class="fr-mt-6w" '),
        DOUANE_INDEX,
    )
    _write(root, DOUANE_INDEX, text)

    text = _read(root, DGFIP_ACCUEIL)
    start = '   <h2 id="applications-titre">Mes applications</h2>\n   <div class="fr-grid-row fr-grid-row--gutters">\n'
    end = "   </div>\n  </section>\n"
    if text.count(start) != 1:
        raise VariantError(f"{DGFIP_ACCUEIL}: expected exactly one {start!r}")
    i = text.index(start) + len(start)
    j = text.index(end, i)
    tiles = re.findall(r'     <div class="fr-col-12 fr-col-md-4">\n.*?\n     </div>\n', text[i:j], re.S)
    if len(tiles) < 2 or "".join(tiles) != text[i:j]:
        raise VariantError(f"{DGFIP_ACCUEIL}: unexpected tile markup")
    _write(root, DGFIP_ACCUEIL, text[:i] + "".join(reversed(tiles)) + text[j:])


def consent_accepted(root: Path) -> None:
    """Every government page as served to a returning visitor: the cookie choice is made, the
    server leaves the consent banner out (the « Gestion des cookies » panel stays)."""
    for rel in _gov_pages(root):
        text, _ = _cut(
            _read(root, rel), '<div class="fr-consent-banner" id="bandeau-consentement">\n', " </ul>\n</div>\n", rel
        )
        _write(root, rel, text)


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

DRIFT: dict[str, Callable[[Path], None]] = {
    "renamed-button": renamed_button,
    "removed-link": removed_link,
    "hidden-element": hidden_element,
    "duplicated-button": duplicated_button,
    "wrong-link": wrong_link,
    "changed-password-rule": changed_password_rule,
    "disabled-button": disabled_button,
}

COSMETIC: dict[str, Callable[[Path], None]] = {
    "other-classes": other_classes,
    "extra-banner": extra_banner,
    "reordered-blocks": reordered_blocks,
    "consent-accepted": consent_accepted,
}

VARIANTS: dict[str, Callable[[Path], None]] = {**DRIFT, **COSMETIC}


def build_variant(name: str, dest: Path) -> Path:
    """Copy the DSFR fixtures tree to ``dest`` (which must not exist), apply variant ``name``, return ``dest``."""
    try:
        edit = VARIANTS[name]
    except KeyError:
        raise KeyError(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}") from None
    dest = Path(dest)
    shutil.copytree(FIXTURES, dest)
    edit(dest)
    return dest


if __name__ == "__main__":  # python tests/drift/dsfr_variants.py NAME DEST
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} VARIANT DEST\nvariants: {', '.join(VARIANTS)}")
    print(build_variant(sys.argv[1], Path(sys.argv[2])))
