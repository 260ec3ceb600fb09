"""Build altered copies of the offline fixtures to test drift detection.

Each variant copies the whole ``fixtures/`` tree to a destination folder and
then edits that copy in place.  There are two kinds of variant:

* drift variants: the page really changed in a way a replayed procedure must
  notice (a button renamed, a link removed or hidden, a stricter rule...);
* cosmetic variants: the markup changed but every step of the procedure is
  still valid (class names, an extra banner, blocks in another order).  The
  tool must NOT report drift for those.

Every edit is an exact string replacement that raises ``VariantError`` when
the original text is not found (or not found the expected number of times),
so a variant can never silently stop drifting after a fixture is edited.

Usage::

    from tests.drift.make_variants import VARIANTS, DRIFT, COSMETIC, build_variant
    root = build_variant("renamed-button", tmp_path / "fixtures")
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "handwritten"

DOUANE_INDEX = "www.douane.gouv.fr/index.html"
DOUANE_SSO = "connexion.douane.gouv.fr/saml/singleSignOn.html"
DOUANE_OUBLI = "connexion.douane.gouv.fr/motDePasseOublie.html"
DOUANE_REINIT = "connexion.douane.gouv.fr/reinitialisation.html"
DGFIP_INDEX = "portail.dgfip.finances.gouv.fr/index.html"
DGFIP_OUBLI = "portail.dgfip.finances.gouv.fr/motdepasse-oublie.html"
DGFIP_ACCUEIL = "portail.dgfip.finances.gouv.fr/accueil.html"


class VariantError(RuntimeError):
    """A variant could not be applied: the fixture no longer has the expected text."""


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def _sub(text: str, old: str, new: str, rel: str, count: int = 1) -> str:
    """Return ``text`` with ``old`` replaced by ``new``; ``old`` must occur exactly ``count`` times."""
    found = text.count(old)
    if found != count:
        raise VariantError(f"{rel}: expected {count} occurrence(s) of {old!r}, found {found}")
    return text.replace(old, new)


def replace(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in the file ``root/rel`` (see ``_sub``)."""
    _write(root, rel, _sub(_read(root, rel), old, new, rel, count))


def _cut(text: str, start: str, end: str, rel: str) -> tuple[str, str]:
    """Remove the block from ``start`` to the first ``end`` after it; return (text, block)."""
    if text.count(start) != 1:
        raise VariantError(f"{rel}: expected exactly one {start!r}")
    i = text.index(start)
    j = text.find(end, i)
    if j < 0:
        raise VariantError(f"{rel}: {end!r} not found after {start!r}")
    j += len(end)
    return text[:i] + text[j:], text[i:j]


# --------------------------------------------------------------------------
# Drift variants
# --------------------------------------------------------------------------


def renamed_button(root: Path) -> None:
    """douane "Mot de passe oublié": button "Réinitialiser" becomes "Valider"."""
    replace(
        root,
        DOUANE_OUBLI,
        '<button class="btn" type="submit">Réinitialiser</button>',
        '<button class="btn" type="submit">Valider</button>',
    )


def removed_link(root: Path) -> None:
    """douane login page: the "MOT DE PASSE OUBLIÉ ?" link disappears."""
    replace(
        root,
        DOUANE_SSO,
        '    <p><a href="https://connexion.douane.gouv.fr/motDePasseOublie">MOT DE PASSE OUBLIÉ ?</a></p>\n',
        "",
    )


def hidden_element(root: Path) -> None:
    """DGFiP login page: the "Mot de passe -xt oublié" link is still there but display:none."""
    replace(
        root,
        DGFIP_INDEX,
        '<a href="https://portail.dgfip.finances.gouv.fr/motdepasse-oublie">Mot de passe -xt oublié</a>',
        '<a href="https://portail.dgfip.finances.gouv.fr/motdepasse-oublie" style="display:none">'
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
        form_open + '    <p><button class="btn btn--secondary" type="submit">Réinitialiser</button></p>\n',
    )


PROFESSIONNELS_MAIN = """<main id="contenu">
 <div class="container">
  <nav class="breadcrumb" aria-label="Vous êtes ici :">
   <ol>
    <li><a href="https://www.douane.gouv.fr/">Accueil</a></li>
    <li><span aria-hidden="true">›</span> <span aria-current="page">Professionnels</span></li>
   </ol>
  </nav>
  <h1>Professionnels</h1>
  <p class="lead">Importer, exporter, produire ou transporter des produits soumis à accises : les informations et démarches pour les entreprises.</p>
  <ul>
   <li><a href="https://www.douane.gouv.fr/professionnels/dedouanement">Dédouaner vos marchandises</a></li>
   <li><a href="https://www.douane.gouv.fr/professionnels/accises">Fiscalité et produits soumis à accises</a></li>
   <li><a href="https://www.douane.gouv.fr/professionnels/operateur-economique-agree">Devenir opérateur économique agréé</a></li>
  </ul>
 </div>
 </main>"""


def wrong_link(root: Path) -> None:
    """douane home: "Se connecter" leads to the "Professionnels" page instead of the login page."""
    text = _read(root, DOUANE_INDEX)
    replace(
        root,
        DOUANE_INDEX,
        '<a class="btn" href="https://connexion.douane.gouv.fr/saml/singleSignOn?SAMLRequest='
        'nZJPj9owEMW%2FSuR7%2FhAICxYg0UVv">Se connecter</a>',
        '<a class="btn" href="https://www.douane.gouv.fr/professionnels">Se connecter</a>',
    )
    # The target page exists in this variant only, built from the home page's header/footer.
    page, _ = _cut(text, "<main ", "</main>", DOUANE_INDEX)
    page = _sub(
        page, "<title>Accueil | douane.gouv.fr</title>", "<title>Professionnels | douane.gouv.fr</title>", DOUANE_INDEX
    )
    page = _sub(
        page,
        '<a href="https://www.douane.gouv.fr/" aria-current="page">Accueil</a>',
        '<a href="https://www.douane.gouv.fr/">Accueil</a>',
        DOUANE_INDEX,
    )
    page = _sub(
        page,
        '<a href="https://www.douane.gouv.fr/professionnels">Professionnels</a>',
        '<a href="https://www.douane.gouv.fr/professionnels" aria-current="page">Professionnels</a>',
        DOUANE_INDEX,
    )
    page = _sub(page, "</header>\n", "</header>\n" + PROFESSIONNELS_MAIN, DOUANE_INDEX)
    _write(root, "www.douane.gouv.fr/professionnels.html", page)


def changed_password_rule(root: Path) -> None:
    """douane reset form: minimum password length 8 -> 16 (JS rule and rule text)."""
    replace(root, DOUANE_REINIT, "longueurMin: 8,", "longueurMin: 16,")
    replace(root, DOUANE_REINIT, "d'au moins 8 caractères", "d'au moins 16 caractères")


def disabled_button(root: Path) -> None:
    """DGFiP "Mot de passe -xt oublié": the "Valider" button is disabled."""
    replace(
        root,
        DGFIP_OUBLI,
        '<button class="btn" type="submit">Valider</button>',
        '<button class="btn" type="submit" disabled>Valider</button>',
    )


# --------------------------------------------------------------------------
# Cosmetic variants (must NOT be reported as drift)
# --------------------------------------------------------------------------

CLASS_PREFIX = "v2-"
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_STYLE_BLOCK = re.compile(r"(<style>)(.*?)(</style>)", re.S)
_CSS_CLASS = re.compile(r"\.(?=[A-Za-z_][\w-]*)")


def _prefix_classes(text: str, rel: str) -> str:
    """Prefix every class name in class attributes and every class selector in <style>."""
    text, n_attrs = _CLASS_ATTR.subn(
        lambda m: 'class="' + " ".join(CLASS_PREFIX + c for c in m.group(1).split()) + '"', text
    )
    if n_attrs == 0:
        raise VariantError(f"{rel}: no class attribute found")

    def css(m: re.Match) -> str:
        return m.group(1) + _CSS_CLASS.sub("." + CLASS_PREFIX, m.group(2)) + m.group(3)

    text, n_styles = _STYLE_BLOCK.subn(css, text)
    if n_styles != 1:
        raise VariantError(f"{rel}: expected one <style> block, found {n_styles}")
    return text


def other_classes(root: Path) -> None:
    """douane home and login pages: every class renamed (``v2-`` prefix), CSS kept consistent."""
    for rel in (DOUANE_INDEX, DOUANE_SSO):
        _write(root, rel, _prefix_classes(_read(root, rel), rel))


BANNER = """<div role="note" style="margin:0;padding:.75rem 1.5rem;background:#fff;border-bottom:1px solid #ddd;font:.875rem/1.5 arial,sans-serif;color:#161616">
 <p style="margin:0">Ce site utilise des cookies nécessaires à son bon fonctionnement et des cookies de mesure d'audience. <a href="/cookies" style="color:#000091">En savoir plus</a></p>
</div>
"""


def extra_banner(root: Path) -> None:
    """Every HTML fixture: a cookie information banner at the top of <body>."""
    pages = sorted(root.rglob("*.html"))
    if not pages:
        raise VariantError(f"no HTML fixture under {root}")
    for page in pages:
        replace(root, page.relative_to(root).as_posix(), "<body>\n", "<body>\n" + BANNER)


def reordered_blocks(root: Path) -> None:
    """douane home: "Mon espace personnel" moved after the news; DGFiP home: tiles reversed."""
    # douane: cut the region out of the hero and put it after the news section.
    text = _read(root, DOUANE_INDEX)
    text, block = _cut(
        text, '    <section class="espace" aria-labelledby="mon-espace-titre">', "</section>\n", DOUANE_INDEX
    )
    anchor = '   <section class="section" aria-labelledby="services-titre">'
    moved = '   <div class="section" style="max-width:26rem">\n' + block + "   </div>\n"
    text = _sub(text, anchor, moved + anchor, DOUANE_INDEX)
    _write(root, DOUANE_INDEX, text)

    # DGFiP: reverse the order of the application tiles.
    text = _read(root, DGFIP_ACCUEIL)
    start, end = '   <ul class="tiles">\n', "   </ul>\n"
    if text.count(start) != 1:
        raise VariantError(f"{DGFIP_ACCUEIL}: expected exactly one {start!r}")
    i = text.index(start) + len(start)
    j = text.index(end, i)
    tiles = re.findall(r' *<li class="tile">.*?</li>\n', text[i:j], re.S)
    if len(tiles) < 2 or "".join(tiles) != text[i:j]:
        raise VariantError(f"{DGFIP_ACCUEIL}: unexpected tile markup")
    _write(root, DGFIP_ACCUEIL, text[:i] + "".join(reversed(tiles)) + text[j:])


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
}

VARIANTS: dict[str, Callable[[Path], None]] = {**DRIFT, **COSMETIC}


def build_variant(name: str, dest: Path) -> Path:
    """Copy the fixtures tree to ``dest`` (which must not exist), apply variant ``name``, return ``dest``."""
    try:
        edit = VARIANTS[name]
    except KeyError:
        raise KeyError(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}") from None
    dest = Path(dest)
    shutil.copytree(FIXTURES, dest)
    edit(dest)
    return dest


if __name__ == "__main__":  # python tests/drift/make_variants.py NAME DEST
    import sys

    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} VARIANT DEST\nvariants: {', '.join(VARIANTS)}")
    print(build_variant(sys.argv[1], Path(sys.argv[2])))
