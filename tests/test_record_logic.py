"""`guide record`'s bookkeeping without a browser, as tests/test_engine.py does for the engine: a
fake page, inspection entries made by hand, the bar's buttons pressed in orders an author may
press them. Whatever the order, the flow written lints, ids are unique, a note goes with the
step just recorded, and nothing crashes (a crash would lose the whole recording). The browser
side is tests/test_record.py."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from guide.inspect import Entry
from guide.loader import load_flow
from guide.model import Target, parse_target_shorthand
from guide.record import ANSWER, END_QUESTION, NOTE, QUESTION, Recorded, Recorder, RecordOptions, render

URL = "https://demarche.test/"
ENTRIES = ['target: link "Continuer"', 'target: label "Courriel"', 'target: label "Pays"', 'target: button "Valider"']
CONTINUE, EMAIL, COUNTRY, SUBMIT = range(4)


class FakePage:
    def __init__(self, url: str) -> None:
        self.url = url

    def evaluate(self, *args: object, **kwargs: object) -> None:
        return None  # the bar: nothing to draw

    def goto(self, url: str, **kwargs: object) -> None:
        self.url = url


def entry(line: str) -> Entry:
    target = Target.model_validate(parse_target_shorthand(yaml.safe_load(line.split(":", 1)[1])))
    return Entry(None, target, line, "unique")  # type: ignore[arg-type]


def recorder(tmp_path: Path) -> Recorder:
    flow = Recorded("fr", pages={"accueil": {"url": URL, "title": "Accueil"}}, start="accueil")
    made = Recorder(None, FakePage(URL), RecordOptions(URL, tmp_path / "flux.yaml"), flow, deque())  # type: ignore[arg-type]
    made.page_id, made.generation, made.entries = "accueil", 1, [entry(line) for line in ENTRIES]
    return made


def click(r: Recorder, at: int = CONTINUE) -> None:
    r.handle({"type": "click", "entry": at, "generation": 1})


def fill(r: Recorder) -> None:
    r.handle({"type": "change", "kind": "email", "entry": EMAIL, "generation": 1, "empty": False})


def select(r: Recorder, label: str) -> None:
    r.handle({"type": "change", "kind": "select", "option": label, "entry": COUNTRY, "generation": 1, "empty": False})


def press(r: Recorder, button: str, text: str = "") -> None:
    r.handle({"type": "button", "id": button, "text": text})


def written(r: Recorder) -> tuple[str, dict]:
    """The flow as guide record writes it (open questions ended first); it must lint."""
    while r.asking:
        r.end_question()
    r.options.out.write_text(render(r.flow, r.options, URL), encoding="utf-8")
    load_flow(r.options.out)  # FlowError if not
    text = r.options.out.read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def every_id(steps: list[dict]) -> list[str]:
    ids = []
    for step in steps:
        ids.append(step["id"])
        for option in step.get("options", []):
            ids += [option["id"], *every_id(option.get("steps", []))]
    return ids


SEQUENCES: dict[str, Callable[[Recorder], None]] = {
    "fill right after the end of a question": lambda r: (
        press(r, QUESTION, "Avez-vous un compte ?"),
        press(r, ANSWER, "Oui"),
        click(r),
        press(r, ANSWER, "Non"),
        click(r, SUBMIT),
        press(r, END_QUESTION),
        fill(r),
    ),
    "select right after the end of a question": lambda r: (
        press(r, QUESTION, "Avez-vous un compte ?"),
        press(r, ANSWER, "Oui"),
        click(r),
        press(r, END_QUESTION),
        select(r, "France"),
    ),
    "the same click twice before the first answer": lambda r: (
        press(r, QUESTION, "Avez-vous un compte ?"),
        click(r),
        click(r),
        press(r, END_QUESTION),
    ),
    "a question in a question, same words": lambda r: (
        press(r, QUESTION, "Oui ou non ?"),
        press(r, QUESTION, "Oui ou non ?"),
        press(r, END_QUESTION),
        press(r, END_QUESTION),
    ),
    "a question in an answer": lambda r: (
        press(r, QUESTION, "Q1 ?"),
        press(r, ANSWER, "A"),
        press(r, QUESTION, "Q2 ?"),
        press(r, ANSWER, "B"),
        click(r),
        press(r, END_QUESTION),
        press(r, ANSWER, "C"),
        click(r, SUBMIT),
        press(r, END_QUESTION),
    ),
    "a question and nothing else": lambda r: (press(r, QUESTION, "Q ?"), press(r, END_QUESTION)),
    "an answer named like a step before it": lambda r: (
        press(r, QUESTION, "Q ?"),
        click(r),
        press(r, ANSWER, "click continuer"),
        press(r, ANSWER, "b"),
    ),
    "a question named « Réponse »": lambda r: (press(r, QUESTION, "Reponse"), press(r, END_QUESTION)),
}


@pytest.mark.parametrize("name", list(SEQUENCES))
def test_any_order_of_buttons_gives_a_flow_that_lints_with_unique_ids(name, tmp_path):
    r = recorder(tmp_path)
    SEQUENCES[name](r)
    _, flow = written(r)
    ids = every_id(flow["steps"])
    assert len(ids) == len(set(ids)), ids


def test_a_note_before_the_first_answer_goes_with_the_step_just_done(tmp_path):
    r = recorder(tmp_path)
    click(r, SUBMIT)
    press(r, QUESTION, "Q ?")
    click(r)
    press(r, NOTE, "Pour le clic sur Continuer")
    _, flow = written(r)
    before, question = flow["steps"]
    assert "note" not in before
    assert question["options"][0]["steps"][0]["note"] == "Pour le clic sur Continuer"


def test_arrow_keys_in_a_list_make_one_step_with_the_last_choice(tmp_path):
    r = recorder(tmp_path)
    select(r, "Belgique")
    select(r, "France")
    select(r, "")  # an option without words: nothing a step could select
    _, flow = written(r)
    [step] = flow["steps"]
    assert (step["action"], step["value"]) == ("select", "France")


ENDS_WITH_A_QUESTION = """version: 1
id: compte
title: Compte
lang: fr
source: {title: Fiche}
audience: Tout le monde
start: bienvenue
pages:
  bienvenue: {url: "https://demarche.test/", heading: Bienvenue}
  connexion: {url: "https://demarche.test/connexion", heading: Connexion}
  envoyee: {url: "https://demarche.test/envoye", heading: Demande envoyée}
steps:
  - id: compte
    instruction: Avez-vous un compte ?
    question: Avez-vous un compte ?
    options:
      - id: oui
        label: Oui
        steps:
          - {id: a, instruction: Connectez-vous., target: link "Se connecter", action: click, lands: connexion}
          - {id: b, instruction: Validez., target: button "Valider", action: click, lands: envoyee}
      - id: non
        label: Non
        steps:
          - {id: c, instruction: Créez un compte., target: link "Créer", action: click, lands: envoyee}
"""


def appending(tmp_path: Path) -> tuple[Recorder, Recorded, Recorded]:
    from guide.record import resume_point

    out = tmp_path / "compte.yaml"
    out.write_text(ENDS_WITH_A_QUESTION, encoding="utf-8")
    url, flow, known = resume_point(out)
    made = Recorder(None, FakePage(url), RecordOptions(url, out, append=True), flow, deque())  # type: ignore[arg-type]
    made.page_id, made.generation, made.entries = "envoyee", 1, [entry(line) for line in ENTRIES]
    return made, flow, known


def test_append_after_a_question_goes_on_where_its_answers_end_and_keeps_the_files_steps(tmp_path):
    from guide.record import appended

    r, flow, known = appending(tmp_path)
    assert r.page.url == "https://demarche.test/envoye"  # where every answer lands, not the start page
    press(r, NOTE, "Une note pour une étape du fichier")  # not a step recorded now: refused
    assert "les étapes du fichier restent telles qu" in r.message
    fill(r)  # the first new step, right after the file's question
    text = appended(r.options.out.read_text(encoding="utf-8"), flow, known)
    lines = iter(text.splitlines())
    assert all(line in lines for line in ENDS_WITH_A_QUESTION.splitlines()), "every line kept, in order"
    assert "Une note" not in text
    r.options.out.write_text(text, encoding="utf-8")
    steps = load_flow(r.options.out).flow.steps
    assert [s.id for s in steps] == ["compte", "fill-courriel"]
