"""`guide live` with people who do what people do: Entrée instead of a click, the back button,
a closed tab, quitting and coming back, no network, a phone. Each ends where a person would
expect. The screenshots of each are kept under test-results/live-people/ to look at.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from guide.live import LiveOptions, Person, run_live
from guide.loader import load_flow

from .conftest import FIXTURES, FLOWS, ROOT
from .test_live import SimulatedPerson

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"
SHOTS = ROOT / "test-results" / "live-people"
MAILBOX = "https://messagerie.exemple.fr/"


def live(person: SimulatedPerson, options: LiveOptions):
    # a thread of its own: pytest-playwright's Playwright may already run in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run_live, load_flow(DOUANE), options, person).result()


def instruction(step_id: str) -> str:
    from guide.tree import walk

    return next(node.step.instruction for node in walk(load_flow(DOUANE).flow.steps) if node.step.id == step_id)


class PressesEnter(SimulatedPerson):
    """Types the e-mail, then presses Entrée: the form is sent without the highlighted button."""

    def use_target(self, page, state, step) -> None:
        if step.id != "saisir-courriel":
            return super().use_target(page, state, step)
        cut = state["cutout"]
        page.mouse.click(cut["x"] + cut["width"] / 2, cut["y"] + cut["height"] / 2)
        page.keyboard.type(self.values["courriel"])
        page.keyboard.press("Enter")


def test_enter_in_a_field_is_followed_as_the_click_it_replaces():
    person = PressesEnter(load_flow(DOUANE), {}, SHOTS / "entree", mailbox=MAILBOX)
    outcome = live(person, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert outcome.finished and not outcome.drifts, person.seen
    assert instruction("demande-envoyee") in person.seen
    assert instruction("reinitialiser") not in person.seen  # done by Entrée: not asked again


class OnceAt(SimulatedPerson):
    """Does something unusual once, when the card of step `at` is shown, instead of using its
    target; the cards the guide then shows are acted on again."""

    at = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.did = False

    def once(self, page) -> None:
        raise NotImplementedError

    def use_target(self, page, state, step) -> None:
        if step.id == self.at and not self.did:
            self.did = True
            self.once(page)
            self.done.clear()
            return
        super().use_target(page, state, step)


class GoesBack(OnceAt):
    """On the forgotten-password form, uses the browser's back button once."""

    at = "choisir-courriel"

    def once(self, page) -> None:
        page.go_back()  # the cards of the page it comes back to are shown again


def test_the_back_button_takes_the_guide_back_to_that_page_s_step():
    person = GoesBack(load_flow(DOUANE), {}, SHOTS / "retour", mailbox=MAILBOX)
    outcome = live(person, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert outcome.finished and not outcome.drifts, person.seen
    link_step = instruction("mot-de-passe-oublie")
    assert person.seen.count(link_step) == 2  # shown again on the page the person went back to
    assert person.seen.index(link_step) < person.seen.index(instruction("choisir-courriel"))


class ReloadsThePage(OnceAt):
    """Reloads the page while a step is shown: the card comes back, and is not said twice."""

    at = "choisir-courriel"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.heard: list[tuple[str, bool]] = []  # (step, whether this page's live region said it)

    def use_target(self, page, state, step) -> None:
        page.wait_for_function("() => !window.__guide.state().saying")  # what it had to say is said
        spoken = page.evaluate("() => window.__guide.state().spoken")
        self.heard.append((step.id, any(state["instruction"] in words for words in spoken)))
        super().use_target(page, state, step)

    def once(self, page) -> None:
        page.reload()
        self.seen.pop()  # the same card, drawn on the new page: acted on then


def test_a_reloaded_page_shows_the_step_again_without_saying_it_twice():
    person = ReloadsThePage(load_flow(DOUANE), {}, SHOTS / "recharge", mailbox=MAILBOX)
    outcome = live(person, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert outcome.finished and not outcome.drifts, person.seen
    heard = [(step, said) for step, said in person.heard if step in ("choisir-courriel", "saisir-courriel")]
    # said on arrival; the same card on the reloaded page shown but not said; the next step said
    assert heard == [("choisir-courriel", True), ("choisir-courriel", False), ("saisir-courriel", True)], heard


class ReloadsMidPage(OnceAt):
    """Reloads the form after choosing « Courriel »: the choice is gone, and so is the field."""

    at = "saisir-courriel"

    def once(self, page) -> None:
        page.reload()


def test_a_reload_in_the_middle_of_a_page_takes_the_person_back_to_its_first_step():
    person = ReloadsMidPage(load_flow(DOUANE), {}, SHOTS / "recharge-milieu", mailbox=MAILBOX)
    outcome = live(person, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert outcome.finished and not outcome.drifts, person.seen
    choose, fill = instruction("choisir-courriel"), instruction("saisir-courriel")
    at = person.seen.index(fill)
    assert person.seen[at - 1 : at + 3] == [choose, fill, choose, fill], person.seen  # « Courriel » again


class ClosesTheTab(OnceAt):
    """Closes the tab in the middle of the procedure, then opens a new one."""

    at = "saisir-courriel"

    def once(self, page) -> None:
        context = page.context
        page.close()
        context.new_page()  # the guide picks up in the new tab; what was typed went with the old one


def test_a_closed_tab_pauses_and_a_new_tab_resumes():
    person = ClosesTheTab(load_flow(DOUANE), {}, SHOTS / "onglet-ferme", mailbox=MAILBOX)
    outcome = live(person, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert outcome.finished and not outcome.drifts, person.seen
    # back in the new tab at the first step of that page: the choice made there is asked again
    assert person.did and person.seen.count(instruction("choisir-courriel")) == 2


class QuitsAt(SimulatedPerson):
    """Quits (and confirms) when the given step is shown."""

    def __init__(self, *args, at: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at

    def __call__(self, person: Person) -> None:
        page = person.session.page
        try:
            state = page.evaluate("() => window.__guide ? window.__guide.state() : null")
        except Exception:
            return
        if state and state["visible"] and "leave" in state["buttonIds"]:
            self.click_button(page, state, "leave")  # « Quitter le guide ? » — yes
            return
        if state and state["visible"] and person.shown is not None and person.shown.step.id == self.at:
            self.seen.append(state["instruction"])
            self.click_button(page, state, "quit")
            return
        super().__call__(person)


class Resumes(SimulatedPerson):
    """Answers « Reprendre à l'étape N » when it is offered."""

    offered = ""

    def __call__(self, person: Person) -> None:
        page = person.session.page
        try:
            state = page.evaluate("() => window.__guide ? window.__guide.state() : null")
        except Exception:
            return
        if state and state["visible"] and "resume" in state["buttonIds"] and not self.offered:
            self.offered = state["instruction"]
            page.screenshot(path=self.shots / "reprendre.png")
            self.click_button(page, state, "resume")
            return
        super().__call__(person)


def test_quitting_then_coming_back_picks_up_at_the_step_reached():
    first = QuitsAt(load_flow(DOUANE), {}, SHOTS / "quitter", mailbox=MAILBOX, at="reinitialiser")
    outcome = live(first, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert not outcome.finished and not outcome.drifts
    again = Resumes(load_flow(DOUANE), {}, SHOTS / "reprendre", mailbox=MAILBOX)
    outcome = live(again, LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10))
    assert outcome.finished and not outcome.drifts, again.seen
    # « reinitialiser » (5th) is on the form of the 3rd: what was typed there went with the page,
    # so the guide picks up at the form's first step, not at the very beginning
    assert "étape 3" in again.offered
    steps = [seen for seen in again.seen if not seen.startswith("Fermez d'abord")]  # a new browser: the banner again
    assert steps[0] == instruction("choisir-courriel")


class Reads(SimulatedPerson):
    """Reads the card and quits: to see what a person is told."""

    def __call__(self, person: Person) -> None:
        if time.monotonic() > self.deadline:
            raise AssertionError("the person was never told anything")
        page = person.session.page
        try:
            state = page.evaluate("() => window.__guide ? window.__guide.state() : null")
        except Exception:
            return
        if not state or not state["visible"]:
            return
        if "leave" in state["buttonIds"]:
            self.click_button(page, state, "leave")
            return
        if state["message"] and not self.drift_messages:
            self.drift_messages.append(state["message"])
            self.seen.append(state["instruction"])
            page.screenshot(path=self.shots / "site-muet.png")
            self.last_buttons = state["buttonIds"]
            self.click_button(page, state, "quit")


def test_no_network_is_a_site_that_does_not_answer_not_drift():
    person = Reads(load_flow(DOUANE), {}, SHOTS / "sans-reseau")
    outcome = live(person, LiveOptions(start_url="https://hote-injoignable.invalid/", headless=True, wait_s=5))
    assert not outcome.finished and not outcome.drifts  # nothing is wrong with the guide
    message = person.drift_messages[0]
    assert message.startswith("Le site ne répond pas") and "retry" in person.last_buttons
    assert "net::" not in message and "fixture" not in message  # no developer words for a taxpayer


class OnAPhone(SimulatedPerson):
    """Follows the guide on a phone, and checks the card never hides the element to use."""

    overlaps: list[str]

    def __call__(self, person: Person) -> None:
        page = person.session.page
        if not hasattr(self, "overlaps"):
            self.overlaps = []
        try:
            state = page.evaluate("() => window.__guide ? window.__guide.state() : null")
        except Exception:
            state = None
        stable = state is not None and (state["cutout"], state["popover"]) == getattr(self, "previous", None)
        self.previous = (state["cutout"], state["popover"]) if state else None
        if stable and state["visible"] and state["cutout"] and state["popover"] and state["status"] != "waiting":
            cut, card = state["cutout"], state["popover"]  # where the page came to rest (not mid-scroll)
            covered = not (
                card["x"] >= cut["x"] + cut["width"]
                or card["x"] + card["width"] <= cut["x"]
                or card["y"] >= cut["y"] + cut["height"]
                or card["y"] + card["height"] <= cut["y"]
            )
            if covered and state["instruction"] not in self.overlaps:
                self.overlaps.append(state["instruction"])
        super().__call__(person)


def test_a_phone_gets_the_page_at_its_size_and_the_card_beside_the_target():
    """The DGFiP procedure on a phone. (The douane one starts in the desktop header: on a phone
    DSFR puts those links in the menu, and the guide rightly says the link is not shown.)"""
    answers = {
        "Votre mot de passe -xt a-t-il expiré ?": "Non, je l'ai oublié ou perdu",
        "Avez-vous enregistré votre n° de téléphone portable ?": "Méthode n°1 : j'ai enregistré mon n° de téléphone portable",
    }
    person = OnAPhone(load_flow(DGFIP), answers, SHOTS / "telephone")
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(
            run_live,
            load_flow(DGFIP),
            LiveOptions(fixtures=FIXTURES, headless=True, wait_s=10, device="iPhone 13"),
            person,
        ).result()
    assert outcome.finished and not outcome.drifts, person.seen
    assert person.overlaps == []
    from PIL import Image

    with Image.open(person.shots / "02.png") as shot:
        assert shot.size == (390 * 3, 664 * 3)  # the phone's screen, at its pixel ratio


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux: /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_no_question_in_the_terminal_and_a_clean_stop(tmp_path):
    """Without --autoplay nothing is asked in the terminal; SIGTERM ends it cleanly."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guide",
            "live",
            str(DOUANE),
            "--headless",
            "--start",
            "https://hote-injoignable.invalid/",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        process.wait(timeout=5)  # the guide waits for the person: still running after 5 s is right
    except subprocess.TimeoutExpired:
        pass
    assert process.poll() is None, process.communicate()
    # On a busy machine 5 s may end before guide has even started: a SIGTERM during its imports
    # kills it the default way (-15). Playwright's driver running means the handler is in place.
    deadline = time.monotonic() + 60
    while not children_of(process.pid) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)  # polling the process table: there is no event to wait on
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 143, out + err
    assert "Courriel" not in out + err and "Traceback" not in out + err and "EOFError" not in out + err
    assert "stopped" in err


def test_a_sigterm_at_any_moment_of_the_start_ends_guide_cleanly():
    """SIGTERM sent while guide is still starting (imports, Playwright's driver, the browser): it
    ends with 143 and « stopped », or -15 before its handler exists — never « the tool itself
    failed » (seen: Playwright interrupted mid-start fails as it unwinds), never a hang (its
    cleanup can wait forever on a half-started driver: guide ends once the grace is over)."""
    for tenths in range(3, 25, 2):  # the moments to signal at: the stimulus, not a wait
        process = subprocess.Popen(
            [sys.executable, "-m", "guide", "live", str(DOUANE), "--headless", "--start", "https://hote.invalid/"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(tenths / 10)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        assert process.returncode in (143, -15), (tenths, process.returncode, out + err)
        assert process.returncode == -15 or "stopped" in err, (tenths, err)
        assert "Traceback" not in err and "the tool itself failed" not in err, (tenths, err)


def test_autoplay_on_the_real_site_says_how_to_give_values_when_there_is_no_terminal():
    done = subprocess.run(
        [sys.executable, "-m", "guide", "live", str(DOUANE), "--autoplay", "--headless"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--var courriel=" in done.stderr and "Traceback" not in done.stderr


class Wanders(SimulatedPerson):
    """On the « mot de passe oublié » step, goes to another page of the site the guide does not
    know, reads what the guide says, takes its way back, and goes on to the end."""

    lost_message = ""

    def __call__(self, person: Person) -> None:
        page = person.session.page
        if not self.lost_message:
            try:
                state = page.evaluate("() => window.__guide ? window.__guide.state() : null")
            except Exception:
                return
            if state and state["visible"] and "back" in state["buttonIds"]:
                self.lost_message = state["message"]
                page.screenshot(path=self.shots / "ailleurs.png")
                self.click_button(page, state, "back")
                return
            if state and state["visible"] and person.shown.step.id == "mot-de-passe-oublie" and not self.wandered:
                self.wandered = True
                page.goto("https://www.douane.gouv.fr/professionnels")
                return
        super().__call__(person)

    wandered = False


def test_a_page_the_guide_does_not_know_says_where_and_leads_back(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    (fixtures / "www.douane.gouv.fr" / "professionnels.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Professionnels | douane.gouv.fr</title>'
        "</head><body><main><h1>Professionnels</h1><p>Dédouaner vos marchandises.</p></main></body></html>",
        encoding="utf-8",
    )
    person = Wanders(load_flow(DOUANE), {}, SHOTS / "ailleurs", mailbox=MAILBOX)
    outcome = live(person, LiveOptions(fixtures=fixtures, headless=True, wait_s=10))
    assert person.lost_message.startswith("Vous êtes sur une page que ce guide ne connaît pas")
    assert "https://www.douane.gouv.fr/professionnels" in person.lost_message
    assert outcome.finished and not outcome.drifts, person.seen  # back on the guide's page, then to the end
