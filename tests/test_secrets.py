"""Secrets never leak: not in any encoding, not in any artifact, not in any screenshot.

A page (tests/sites/secrets.test) shows what was typed in every way a page can — text, a link,
an attribute, CSS generated content, base64, JSON, an open shadow root, a same-origin frame,
a field's value, the console — and a flow types random secret values into it, submits them
(as a GET form: they end up in the URL) and drifts, so that every artifact is written. Every
byte guide wrote is then searched for every encoding of every value.
"""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest

from guide import masking
from guide.secrets import MASK, Values, encodings

from .conftest import ROOT, guide

SITES = ROOT / "tests" / "sites"
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789éèàçßüøœ漢字\"'&%+ <>=/?#!*~()"
SEEDS = [7, 2026, 31415]

FLOW = """\
version: 1
id: secrets
title: Secrets
source: {{title: Test}}
audience: les tests
start: connexion
pages:
  connexion: {{url: "https://secrets.test/", heading: Connexion}}
  resultat: {{url: "https://secrets.test/resultat", heading: Résultat}}
variables:
  courriel: {{label: Courriel, test: {courriel}}}
  mdp: {{label: Mot de passe, test: {mdp}}}
steps:
  - id: courriel
    instruction: Saisissez votre courriel.
    target: label "Courriel"
    action: fill
    value: "{{courriel}}"
  - id: mdp
    instruction: Saisissez votre mot de passe.
    target: label "Mot de passe"
    action: fill
    value: "{{mdp}}"
  - id: envoyer
    instruction: Cliquez sur « Se connecter ».
    target: button "Se connecter"
    action: click
    lands: resultat
  - id: absent
    instruction: Vérifiez le message.
    target: text "Ce texte n'existe pas"
    action: expect
"""


def random_secret(rng: random.Random) -> str:
    """12 to 20 characters, with at least one of the characters encodings treat specially."""
    body = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(10, 17)))
    return body[:4] + rng.choice("\"&%+ é'") + body[4:] + rng.choice("漢&%ü")


def everything_written(*places: Path) -> bytes:
    """Every file under these folders, zip members unpacked (traces)."""
    chunks = []
    for place in places:
        for file in [place] if place.is_file() else place.rglob("*"):
            if file.is_file():
                chunks.append(file.read_bytes())
                if file.suffix == ".zip":
                    with zipfile.ZipFile(file) as archive:
                        chunks += [archive.read(item) for item in archive.infolist()]
    return b"\n".join(chunks)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_encoding_of_a_secret_reaches_any_artifact(tmp_path, seed):
    rng = random.Random(seed)
    courriel, mdp = random_secret(rng), random_secret(rng)
    flow = tmp_path / "secrets.yaml"
    flow.write_text(
        FLOW.format(courriel=json.dumps(courriel, ensure_ascii=False), mdp=json.dumps(mdp, ensure_ascii=False)),
        encoding="utf-8",
    )
    out, junit = tmp_path / "out", tmp_path / "junit.xml"
    done = guide(
        "check", str(flow), "--fixtures", str(SITES), "--out", str(out), "--junit", str(junit), "--retries", "1"
    )
    assert done.returncode == 1, done.stdout + done.stderr  # the last step drifts: artifacts are kept
    kept = out / "secrets" / "main"  # the fast attempt: a screenshot; the replay: a screenshot and a trace
    assert (kept / "attempt-1" / "failure.png").is_file() and (kept / "attempt-2" / "trace.zip").is_file()
    assert "https://secrets.test/resultat?courriel=" + MASK in done.stdout  # the URL's values, masked
    written = everything_written(out, junit) + done.stdout.encode() + done.stderr.encode()
    for secret in (courriel, mdp):
        for form in encodings(secret):
            assert form.encode("utf-8") not in written, f"seed {seed}: {form!r} (a form of {secret!r}) leaked"


def test_every_form_a_page_can_show_a_secret_in_is_masked_in_screenshots(page):
    """Text, attribute, generated content, shadow root, frame, field: each under a box."""
    from guide.routing import FixtureRouter

    router = FixtureRouter(SITES)
    router.install(page.context)
    values = Values({"courriel": "camille@exemple.fr", "mdp": "Douane2022!ok"}, {"courriel", "mdp"})
    page.goto("https://secrets.test/resultat?courriel=camille%40exemple.fr&mdp=Douane2022%21ok")
    page.frame_locator("#cadre").locator("body").get_by_text("Cadre :").wait_for()
    placed = masking.cover(page, values)
    covered = page.evaluate("""() => {
      const boxes = [...document.querySelectorAll('guide-shot-masks > div')].map(b => b.getBoundingClientRect());
      const under = (r, dx = 0, dy = 0) => boxes.some(b => b.left <= r.left + dx + 1 && b.top <= r.top + dy + 1 &&
                                                           b.right >= r.right + dx - 1 && b.bottom >= r.bottom + dy - 1);
      const element = id => under(document.getElementById(id).getBoundingClientRect());
      // text: the words that spell the secret, wherever they are
      const text = (node, secret, dx, dy) => {
        const at = node.data.indexOf(secret), range = node.ownerDocument.createRange();
        range.setStart(node, at); range.setEnd(node, at + secret.length);
        return under(range.getBoundingClientRect(), dx, dy);
      };
      const cadre = document.getElementById('cadre'), c = cadre.getBoundingClientRect();
      return {attribut: element('attribut'), genere: element('genere'), base64: element('base64'),
              rempli: element('rempli'), texte: text(document.getElementById('texte').firstChild, 'Douane2022!ok', 0, 0),
              ombre: text(document.getElementById('ombre').shadowRoot.firstChild, 'Douane2022!ok', 0, 0),
              cadre: text(cadre.contentDocument.body.firstChild, 'camille@exemple.fr', c.left + cadre.clientLeft,
                          c.top + cadre.clientTop)};
    }""")
    assert placed["masked"] >= 6
    assert covered == {
        "attribut": True,
        "genere": True,
        "base64": True,
        "rempli": True,
        "texte": True,
        "ombre": True,
        "cadre": True,
    }


def test_a_forgotten_variable_name_does_not_echo_the_value():
    done = guide("live", str(ROOT / "flows" / "douane-mot-de-passe-portailpro.yaml"), "--var", "Secret!Value42")
    assert done.returncode == 2
    assert "Secret!Value42" not in done.stdout + done.stderr and "NAME=VALUE" in done.stderr
