"""A generated corpus for bench_scale.py: N flows over generated fixture pages.

Flow i fills a form on https://site{i % 20}.exemple.fr/demarche-{i}/ (name, e-mail, a
checkbox), sends it, lands on its confirmation page and checks the confirmation text. Every
tenth flow first asks how the answer should be sent (two options, two branches), so the corpus
has branches as well as flows. Pages are ~6 kB with a shared stylesheet, like a real site's.

`bare(context, i)` is the same procedure written by hand in plain Playwright.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext

HOSTS = 20
NAME, EMAIL = "Camille Martin", "camille.martin@exemple.fr"
CSS = (
    "body{font:16px/1.5 sans-serif;margin:0}header,footer{background:#000091;color:#fff;padding:1rem}"
    "main{max-width:60rem;margin:auto;padding:1rem}label{display:block;margin-top:1rem}"
)


def host(i: int) -> str:
    return f"site{i % HOSTS}.exemple.fr"


def asks(i: int) -> bool:
    return i % 10 == 0


def form_url(i: int) -> str:
    return f"https://{host(i)}/demarche-{i}/"


def done_url(i: int) -> str:
    return f"https://{host(i)}/demarche-{i}/envoye"


def flow_yaml(i: int) -> str:
    question = (
        """
  - id: mode
    instruction: Comment voulez-vous recevoir la réponse ?
    question: Comment voulez-vous recevoir la réponse ?
    options:
      - id: courriel
        label: Par courriel
        steps:
          - id: choisir-courriel
            instruction: Choisissez « Par courriel ».
            target: radio "Par courriel"
            action: choose
      - id: courrier
        label: Par courrier
        steps:
          - id: choisir-courrier
            instruction: Choisissez « Par courrier ».
            target: radio "Par courrier"
            action: choose
"""
        if asks(i)
        else ""
    )
    return f"""version: 1
id: demarche-{i}
title: Démarche {i}
source:
  title: Démarche {i} (corpus de mesure)
audience: Banc d'essai
start: formulaire
pages:
  formulaire:
    url: {form_url(i)}
    heading: Démarche n°{i}
  envoye:
    url: {done_url(i)}
    heading: Demande {i} envoyée
variables:
  nom:
    label: Votre nom
    secret: false
    test: {NAME}
  courriel:
    label: Votre courriel
    test: {EMAIL}
steps:{question}
  - id: nom
    instruction: Saisissez votre nom.
    target: label "Nom"
    action: fill
    value: "{{nom}}"
  - id: courriel
    instruction: Saisissez votre courriel.
    target: label "Courriel"
    action: fill
    value: "{{courriel}}"
  - id: conditions
    instruction: Acceptez les conditions.
    target: checkbox "J'accepte les conditions"
    action: check
  - id: envoyer
    instruction: Cliquez sur « Envoyer la demande ».
    target: button "Envoyer la demande"
    action: click
    lands: envoye
  - id: confirmation
    instruction: Votre demande est enregistrée.
    target: text "Votre demande n°{i} a bien été enregistrée."
    action: expect
"""


def _page(i: int, title: str, body: str) -> str:
    links = "".join(f'<li><a href="https://{host(i)}/rubrique-{n}">Rubrique {n}</a></li>' for n in range(20))
    filler = "".join(
        f"<p>Paragraphe d'information {n} sur la démarche {i} : conditions, délais, "
        "pièces justificatives et voies de recours.</p>"
        for n in range(12)
    )
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="stylesheet" href="https://{host(i)}/style.css"></head><body>'
        f'<header><p>Site {i % HOSTS}</p><nav aria-label="Menu principal"><ul>{links}</ul></nav></header>'
        f"<main>{body}{filler}</main><footer><p>Mentions légales</p></footer></body></html>"
    )


def form_html(i: int) -> str:
    choice = (
        "<fieldset><legend>Réponse</legend>"
        '<label><input type="radio" name="mode" value="courriel"> Par courriel</label>'
        '<label><input type="radio" name="mode" value="courrier"> Par courrier</label></fieldset>'
        if asks(i)
        else ""
    )
    body = (
        f"<h1>Démarche n°{i}</h1>"
        f'<form method="post" action="{done_url(i)}">{choice}'
        '<label for="nom">Nom</label><input id="nom" name="nom" autocomplete="name">'
        '<label for="courriel">Courriel</label><input id="courriel" name="courriel" type="email">'
        '<label><input type="checkbox" name="ok"> J\'accepte les conditions</label>'
        '<p><button type="submit">Envoyer la demande</button></p></form>'
    )
    return _page(i, f"Démarche {i}", body)


def done_html(i: int) -> str:
    return _page(
        i, f"Demande {i} envoyée", f"<h1>Demande {i} envoyée</h1><p>Votre demande n°{i} a bien été enregistrée.</p>"
    )


def generate(root: Path, count: int) -> tuple[Path, Path]:
    """Write `count` flows and their fixtures under `root`; return (flows, fixtures) folders."""
    flows, fixtures = root / "flows", root / "fixtures"
    flows.mkdir(parents=True, exist_ok=True)
    for n in range(HOSTS):
        (fixtures / f"site{n}.exemple.fr").mkdir(parents=True, exist_ok=True)
        (fixtures / f"site{n}.exemple.fr" / "style.css").write_text(CSS, encoding="utf-8")
    for i in range(count):
        (flows / f"demarche-{i:03d}.yaml").write_text(flow_yaml(i), encoding="utf-8")
        folder = fixtures / host(i) / f"demarche-{i}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(form_html(i), encoding="utf-8")
        (folder / "envoye.html").write_text(done_html(i), encoding="utf-8")
    return flows, fixtures


def branch_count(count: int) -> int:
    return sum(2 if asks(i) else 1 for i in range(count))


def bare(context: BrowserContext, i: int, mode: str | None) -> int:
    """Flow i as a hand-written Playwright script; returns the number of steps it did."""
    page = context.new_page()
    page.goto(form_url(i))
    page.get_by_role("heading", level=1, name=f"Démarche n°{i}", exact=True).wait_for()
    steps = 5
    if mode:
        page.get_by_role("radio", name="Par courriel" if mode == "courriel" else "Par courrier", exact=True).check()
        steps += 1
    page.get_by_label("Nom", exact=True).fill(NAME)
    page.get_by_label("Courriel", exact=True).fill(EMAIL)
    page.get_by_role("checkbox", name="J'accepte les conditions", exact=True).check()
    page.get_by_role("button", name="Envoyer la demande", exact=True).click()
    page.wait_for_url(done_url(i))
    page.get_by_role("heading", level=1, name=f"Demande {i} envoyée", exact=True).wait_for()
    page.get_by_text(f"Votre demande n°{i} a bien été enregistrée.", exact=True).wait_for()
    return steps
