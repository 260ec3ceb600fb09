"""The step engine without a browser: a fake site behind the session, a fake performer.

The engine's whole walk — branches, questions, `when:`, back, skip, outside steps, waiting for
a target, landings — runs here in milliseconds; the browser tests then only need to show that
the real session does what the fake one stands for.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from guide.actions import ACTIONS, UnknownAction, action
from guide.engine import Drift, Engine, GoBack, Skip, StepContext
from guide.loader import LoadedFlow, load_flow
from guide.locate import LocateError, describe
from guide.model import Option, Target
from guide.model import Page as PageSpec
from guide.secrets import Values
from guide.session import PageError, url_matches
from guide.tree import branches

FLOW = """\
version: 1
id: demo
title: Démo
source: {title: Démo}
audience: tout le monde
start: accueil
pages:
  accueil: {url: "https://site.test/", heading: Accueil}
  formulaire: {url: "https://site.test/formulaire", heading: Formulaire}
  fin: {url: "https://site.test/fin*", heading: Terminé}
variables:
  courriel: {label: Courriel, test: camille@exemple.fr}
steps:
  - id: entrer
    instruction: Cliquez sur « Entrer ».
    target: link "Entrer"
    action: click
    lands: formulaire
  - id: perdu
    instruction: Avez-vous perdu votre mot de passe ?
    question: Avez-vous perdu votre mot de passe ?
    options:
      - id: oui
        label: Oui
        steps:
          - id: cocher
            instruction: Cochez « Perdu ».
            target: checkbox "Perdu"
            action: check
      - id: non
        label: Non
  - id: methode
    instruction: Quelle méthode ?
    question: Quelle méthode ?
    options:
      - id: sms
        label: Par SMS
        when: {perdu: non}
      - id: courrier
        label: Par courrier
  - id: saisir
    instruction: Saisissez votre courriel.
    target: label "Courriel"
    action: fill
    value: "{courriel}"
  - id: attendre
    instruction: Attendez le message.
    outside: true
    lands: fin
    simulate:
      - id: envoyer
        instruction: Envoyez.
        target: button "Envoyer"
        action: click
  - id: voir
    instruction: Vérifiez le message.
    target: text "C'est fait"
    action: expect
    text: fait
"""


@dataclass
class FakePage:
    heading: str
    title: str = ""
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)  # describe(target) -> behaviour


SITE = {
    "https://site.test/": FakePage("Accueil", targets={'lien "Entrer"': {"goes": "https://site.test/formulaire"}}),
    "https://site.test/formulaire": FakePage(
        "Formulaire",
        targets={
            'case à cocher "Perdu"': {},
            'champ "Courriel"': {},
            'bouton "Envoyer"': {"goes": "https://site.test/fin?ok=1"},
        },
    ),
    "https://site.test/fin?ok=1": FakePage("Terminé", targets={'texte "C\'est fait"': {"text": "C'est fait !"}}),
}


class FakeSession:
    """The engine's view of a browser, over SITE: what it asked is in `log`."""

    def __init__(self, site: dict[str, FakePage], late: dict[str, int] | None = None):
        self.site, self.current, self.log = site, "about:blank", []
        self.late = dict(late or {})  # target -> how many looks before it appears

    @property
    def url(self) -> str:
        return self.current

    @property
    def page(self) -> Any:
        return self.site.get(self.current)

    def open(self, url: str, timeout_ms: float) -> None:
        self.log.append(("open", url))
        if url not in self.site:
            raise PageError("net::ERR_NAME_NOT_RESOLVED")
        self.current = url

    def differs(self, spec: PageSpec, timeout_ms: float) -> str | None:
        page = self.site[self.current]
        return None if spec.heading in (None, page.heading) else f'heading "{page.heading}"'

    def follow(self, spec: PageSpec, timeout_ms: float) -> bool:
        return url_matches(spec, self.current)

    def describe(self) -> str:
        return self.current

    def find(self, target: Target, timeout_ms: float) -> str:
        name = describe(target)
        self.log.append(("find", name))
        if self.late.get(name, 0) > 0:
            self.late[name] -= 1
            raise LocateError("missing target", name, "nothing yet", "wait")
        if name not in self.site[self.current].targets:
            raise LocateError("missing target", name, "nothing close", "update the target")
        return name

    def text_of(self, locator: str, timeout_ms: float) -> str:
        return self.site[self.current].targets[locator].get("text", "")

    def act(self, locator: str, action: str, value: str, timeout_ms: float) -> None:
        self.log.append((action, locator, value))
        goes = self.site[self.current].targets[locator].get("goes")
        if goes:
            self.current = goes


@dataclass
class FakePerformer:
    """Answers from `answers`, does every step at once; may go back or skip once."""

    session: FakeSession
    answers: dict[str, str] = field(default_factory=dict)
    simulates_outside: bool = True
    timeout_ms: float = 100
    wait_ms: float = 100
    patience_ms: float = 100
    back_at: str | None = None  # step id where the person presses « Précédent » once
    skip_drifts: bool = False
    mail_link: str | None = None  # where the person's e-mail link leads (outside steps)
    seen: list[str] = field(default_factory=list)
    offered: dict[str, list[str]] = field(default_factory=dict)
    waited: int = 0
    drifts: list[Drift] = field(default_factory=list)

    def choose(self, ctx: StepContext) -> Option:
        self.seen.append(ctx.step.id)
        self.offered[ctx.step.id] = [o.id for o in ctx.options]
        wanted = self.answers.get(ctx.step.id)
        return next((o for o in ctx.options if o.id == wanted), ctx.options[0])

    def waiting(self, ctx: StepContext) -> None:
        self.waited += 1

    def show(self, ctx: StepContext) -> None:
        self.seen.append(ctx.step.id)
        if ctx.step.id == self.back_at:
            self.back_at = None
            raise GoBack()

    def perform(self, ctx: StepContext) -> None:
        if ctx.step.outside and self.mail_link:
            self.session.current = self.mail_link
        if ctx.locator is not None and ctx.step.action:
            ctx.session.act(ctx.locator, ctx.step.action, ctx.value or "", self.timeout_ms)

    def landed(self, ctx: StepContext) -> None:
        self.seen.append(f"→ {ctx.step.lands}")

    def drifted(self, ctx: StepContext, drift: Drift) -> None:
        self.drifts.append(drift)
        if self.skip_drifts:
            raise Skip()


@pytest.fixture
def loaded(tmp_path: Path) -> LoadedFlow:
    file = tmp_path / "demo.yaml"
    file.write_text(FLOW, encoding="utf-8")
    return load_flow(file)


def walk(loaded: LoadedFlow, site: dict[str, FakePage] = SITE, **performer: Any) -> tuple[FakePerformer, FakeSession]:
    session = FakeSession(site, performer.pop("late", None))
    pilot = FakePerformer(session, **performer)
    Engine(loaded, session, pilot, Values.for_fixtures(loaded.flow)).run()
    return pilot, session


def test_a_branch_is_walked_in_order_with_its_landings(loaded):
    pilot, session = walk(loaded, answers={"perdu": "oui", "methode": "courrier"})
    assert pilot.seen == [
        "entrer",
        "→ formulaire",
        "perdu",
        "cocher",
        "methode",
        "saisir",
        "attendre",
        "envoyer",
        "→ fin",
        "voir",
    ]
    assert ("fill", 'champ "Courriel"', "camille@exemple.fr") in session.log
    assert session.url == "https://site.test/fin?ok=1"


def test_when_conditions_decide_which_options_are_offered(loaded):
    pilot, _ = walk(loaded, answers={"perdu": "oui"})
    assert pilot.offered["methode"] == ["courrier"]  # « Par SMS » only after « non »
    pilot, _ = walk(loaded, answers={"perdu": "non", "methode": "sms"})
    assert pilot.offered["methode"] == ["sms", "courrier"] and "cocher" not in pilot.seen


def test_branches_are_every_combination_a_person_can_choose(loaded):
    assert [b.name for b in branches(loaded.flow)] == ["oui › courrier", "non › sms", "non › courrier"]


def test_back_returns_to_the_previous_step_and_walks_on(loaded):
    pilot, _ = walk(loaded, answers={"perdu": "oui"}, back_at="saisir")
    assert pilot.seen[:8] == ["entrer", "→ formulaire", "perdu", "cocher", "methode", "saisir", "methode", "saisir"]
    assert pilot.seen[-1] == "voir"


def test_a_drift_ends_the_walk_with_where_it_happened(loaded):
    site = {**SITE, "https://site.test/formulaire": FakePage("Formulaire", targets={})}
    with pytest.raises(Drift) as caught:
        walk(loaded, site)
    drift = caught.value
    assert drift.step.id == "cocher" and drift.problem == "missing target"
    assert drift.where == f"{loaded.file}:{_line(loaded, 'target: checkbox')}"


def test_a_skipped_drift_goes_on_to_the_next_step(loaded):
    site = {
        **SITE,
        "https://site.test/formulaire": FakePage(
            "Formulaire", targets={'champ "Courriel"': {}, 'bouton "Envoyer"': {"goes": "https://site.test/fin?ok=1"}}
        ),
    }
    pilot, _ = walk(loaded, site, answers={"perdu": "oui"}, skip_drifts=True)
    assert [d.step.id for d in pilot.drifts] == ["cocher"]
    assert pilot.seen[-1] == "voir"


def test_outside_steps_are_simulated_or_left_to_the_person(loaded):
    pilot, session = walk(loaded, answers={"perdu": "non"})
    assert "envoyer" in pilot.seen and ("click", 'bouton "Envoyer"', "") in session.log
    # a person reads the e-mail themselves: the simulation is not replayed
    person, session = walk(
        loaded, answers={"perdu": "non"}, simulates_outside=False, mail_link="https://site.test/fin?ok=1"
    )
    assert "envoyer" not in person.seen and person.seen[-3:] == ["attendre", "→ fin", "voir"]
    assert not any(entry[0] == "click" and entry[1] == 'bouton "Envoyer"' for entry in session.log)


def test_a_late_target_is_waited_for_through_the_performer(loaded):
    pilot, _ = walk(loaded, answers={"perdu": "non"}, wait_ms=10_000, patience_ms=1, late={'champ "Courriel"': 2})
    assert pilot.waited == 2 and pilot.seen[-1] == "voir"


def test_expect_text_and_landing_drifts_name_what_was_found(loaded):
    site = {**SITE, "https://site.test/fin?ok=1": FakePage("Terminé", targets={'texte "C\'est fait"': {"text": "Non"}})}
    with pytest.raises(Drift) as caught:
        walk(loaded, site)
    assert caught.value.problem == "text differs" and '"Non"' in caught.value.found
    site = {
        **SITE,
        "https://site.test/": FakePage("Accueil", targets={'lien "Entrer"': {"goes": "https://site.test/"}}),
    }
    with pytest.raises(Drift) as caught:
        walk(loaded, site)
    assert caught.value.problem == "landed on the wrong page" and caught.value.step.id == "entrer"


def test_a_start_page_that_does_not_open_is_a_drift(loaded):
    with pytest.raises(Drift) as caught:
        walk(loaded, {})
    assert caught.value.problem == "page did not open" and "ERR_NAME_NOT_RESOLVED" in caught.value.found


def test_every_action_is_one_definition():
    assert set(ACTIONS) >= {"click", "fill", "choose", "check", "uncheck", "select", "press", "hover", "expect"}
    assert all(a.listen for a in ACTIONS.values() if a.acts) and not action("expect").listen
    with pytest.raises(UnknownAction, match="use one of click"):
        action("dance")


def _line(loaded: LoadedFlow, text: str) -> int:
    for number, line in enumerate(Path(loaded.file).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == text.strip() or line.strip().startswith(text):
            return number
    raise AssertionError(text)


FLOW = textwrap.dedent(FLOW)
