"""`guide live` with a simulated person who only uses what the overlay shows.

The person reads the overlay's state (where the cutout is, which buttons the popover
offers) and clicks or types with the real mouse and keyboard there: if the overlay pointed
at the wrong element, the procedure would not reach its end.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from guide.live import Person, run_live
from guide.loader import load_flow

from .conftest import FIXTURES, FLOWS, HANDWRITTEN, ROOT, guide
from .drift.dsfr_variants import build_variant

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"
SHOTS = ROOT / "test-results" / "live"


class SimulatedPerson:
    """Acts once per step the overlay shows, like someone following the popover."""

    def __init__(self, loaded, answers: dict[str, str], shots: Path, mailbox: str | None = None):
        self.flow = loaded.flow
        self.answers = answers  # question instruction -> option label to click
        self.values = {name: v.test for name, v in self.flow.variables.items()}
        self.shots, self.mailbox = shots, mailbox
        self.done: set[tuple[str, str, str]] = set()
        self.seen: list[str] = []
        self.drift_messages: list[str] = []
        self.last_seen: tuple | None = None
        self.deadline = time.monotonic() + 90
        shots.mkdir(parents=True, exist_ok=True)

    def __call__(self, person: Person) -> None:
        if time.monotonic() > self.deadline:
            raise AssertionError(f"the person got stuck after: {self.seen[-1:]}")
        page = person.session.page
        try:
            state = page.evaluate("() => window.__guide ? window.__guide.state() : null")
        except Exception:  # the page is navigating
            return
        if not state or not state["visible"] or state["status"] == "waiting":
            return
        key = (page.url, state["instruction"], state["status"] or "")
        if key in self.done:
            return
        settled = (state["cutout"], state["popover"])
        if settled != self.last_seen:  # wait until the page stops scrolling, as a person would
            self.last_seen = settled
            return
        self.done.add(key)
        if self.seen and self.seen[-1] == state["instruction"] and state["status"] != "drift":
            return  # the same card, redrawn in the tab the person just opened: already done
        self.seen.append(state["instruction"])
        page.screenshot(path=self.shots / f"{len(self.seen):02d}.png")
        if state["status"] == "drift":
            self.drift_messages.append(state["message"])
            self.click_button(page, state, "quit")
            return
        step = person.shown.step
        if state["instruction"].startswith("Fermez d'abord") and state["cutout"]:
            self.use_target(page, state, step)  # a banner first: click what the card points at
        elif step.question:
            wanted = self.answers[step.question]
            ident = state["buttonIds"][state["buttons"].index(wanted)]
            self.click_button(page, state, ident)
        elif step.outside and step.lands and self.mailbox:
            self.read_mail_in_this_browser(person)
        elif state["cutout"] and step.acts:
            self.use_target(page, state, step)
        else:
            self.click_button(page, state, "next")

    def click_button(self, page, state, ident: str) -> None:
        box = state["boxes"]["buttons"][ident]
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    def use_target(self, page, state, step) -> None:
        cut = (state["cutoutLines"] or [state["cutout"]])[0]  # a link over two lines: its first line
        page.mouse.click(cut["x"] + cut["width"] / 2, cut["y"] + cut["height"] / 2)
        if step.action == "fill" and not state["instruction"].startswith("Fermez d'abord"):
            name = step.value.strip("{}")
            page.keyboard.type(self.values[name])
            page.keyboard.press("Tab")

    def read_mail_in_this_browser(self, person: Person) -> None:
        """Open the webmail in a new tab, open the message and its link (which opens a tab)."""
        mail = person.session.context.new_page()
        mail.goto(self.mailbox)
        mail.get_by_role("link", name="Réinitialisation du mot de passe", exact=True).click()
        mail.get_by_role("link", name="Réinitialiser mon mot de passe", exact=True).click()


def walk(flow: Path, answers: dict[str, str], name: str, fixtures: Path = FIXTURES, wait_s: float = 10):
    loaded = load_flow(flow)
    person = SimulatedPerson(
        loaded, answers, SHOTS / name, mailbox="https://messagerie.exemple.fr/" if "douane" in flow.name else None
    )
    # a thread of its own: pytest-playwright's Playwright may already run in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(run_live, loaded, fixtures=fixtures, headless=True, wait_s=wait_s, idle=person).result()
    return outcome, person


@pytest.mark.parametrize("tree", ["dsfr", "handwritten"])
def test_person_completes_the_douane_procedure(tree):
    outcome, person = walk(DOUANE, {}, f"douane-{tree}", fixtures=FIXTURES if tree == "dsfr" else HANDWRITTEN)
    assert outcome.finished and not outcome.drifts
    instructions = [s.instruction for s in load_flow(DOUANE).flow.steps]
    # on the real-DSFR pages the cookie banner comes first: the person is asked to close it
    first = ["Fermez d'abord le bandeau des cookies : cliquez sur « Tout refuser »."] if tree == "dsfr" else []
    assert person.seen == first + instructions  # every step shown once, in order, tab changes included


@pytest.mark.parametrize(
    "expired, method, name",
    [
        (
            "Non, je l'ai oublié ou perdu",
            "Méthode n°1 : j'ai enregistré mon n° de téléphone portable",
            "dgfip-methode-1",
        ),
        ("Oui, il a expiré", "Méthode n°2 : je n'ai pas enregistré mon n° de téléphone portable", "dgfip-methode-2"),
    ],
)
def test_person_completes_each_dgfip_method(expired, method, name):
    answers = {
        "Votre mot de passe -xt a-t-il expiré ?": expired,
        "Avez-vous enregistré votre n° de téléphone portable ?": method,
    }
    outcome, person = walk(DGFIP, answers, name)
    assert outcome.finished and not outcome.drifts
    assert person.seen[-1].startswith("En cas de difficultés")
    if name.endswith("2"):
        assert any("DDFIP" in s for s in person.seen)
        assert not any("Mot de passe -xt oublié" in s for s in person.seen)


def test_missing_target_says_the_page_no_longer_matches(tmp_path):
    fixtures = build_variant("renamed-button", tmp_path / "fixtures")
    outcome, person = walk(DOUANE, {}, "douane-drift", fixtures=fixtures, wait_s=1)
    assert not outcome.finished
    assert [d.step.id for d in outcome.drifts] == ["reinitialiser"]
    assert person.drift_messages and "ne correspond plus au guide" in person.drift_messages[0]
    assert "Réinitialiser" in person.drift_messages[0]


def test_autoplay_cli_walks_both_flows_and_exits_1_on_drift(tmp_path):
    for flow in (DOUANE, DGFIP):
        done = guide("live", str(flow), "--fixtures", str(FIXTURES), "--autoplay", "--pace", "0", "--headless")
        assert done.returncode == 0, done.stderr
        assert "Procédure terminée." in done.stdout
    fixtures = build_variant("renamed-button", tmp_path / "fixtures")
    done = guide(
        "live", str(DOUANE), "--fixtures", str(fixtures), "--autoplay", "--pace", "0", "--headless", "--wait", "1"
    )
    assert done.returncode == 1
    assert f"{DOUANE}:" in done.stderr and "reinitialiser" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_var_is_a_usage_error():
    done = guide("live", str(DOUANE), "--var", "courriell=x", "--headless")
    assert done.returncode == 2
    assert "the flow has no such variable" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (guide doctor --install adds it as root)")
def test_headed_under_a_virtual_display():
    done = guide(
        "live", str(DOUANE), "--fixtures", str(FIXTURES), "--autoplay", "--pace", "0", runner=["xvfb-run", "-a"]
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("flow", sorted(FLOWS.glob("*.yaml")), ids=lambda path: path.stem)
def test_autoplay_completes_every_flow_in_english(flow):
    """The flows are French; `--lang en` guides in English to the end (the console's words here)."""
    done = guide(
        "live", str(flow), "--fixtures", str(FIXTURES), "--autoplay", "--pace", "0", "--lang", "en", "--headless"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Procedure finished." in done.stdout and "Procédure terminée" not in done.stdout


@pytest.mark.skipif(not shutil.which("xvfb-run"), reason="needs xvfb-run (guide doctor --install adds it as root)")
def test_headed_in_english_under_a_virtual_display():
    done = guide(
        "live",
        str(DGFIP),
        "--fixtures",
        str(FIXTURES),
        "--autoplay",
        "--pace",
        "0",
        "--lang",
        "en",
        runner=["xvfb-run", "-a"],
    )
    assert done.returncode == 0, done.stderr
    assert "Procedure finished." in done.stdout
