"""`guide record`: a simulated author does a procedure with real mouse clicks and keys; the flow
written lints, names elements as a person reads them, keeps no typed value, and `guide check`
passes on the same pages."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from guide.cli import main
from guide.record import ANSWER, END_QUESTION, EXPECT, NOTE, QUESTION, STOP, RecordError, RecordOptions, record

TYPED = "camille.secret@exemple.fr"  # what the author types: never in the flow
NOTE_TEXT = "Le code arrive en quelques minutes."

HOME = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Accueil | demarche.test</title></head>
<body><header><div><h2>Mon espace</h2><a href="/connexion">Se connecter</a></div></header>
<main><h1>Bienvenue</h1><p>Faites vos démarches en ligne.</p></main>
<footer><div><h2>Aide</h2><a href="/connexion">Se connecter</a></div></footer></body></html>"""
FORM = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Connexion | demarche.test</title>
<style>.fr-hint-text { display: block }</style></head>
<body><main><h1>Connexion</h1><form action="/envoye" method="get">
<label for="courriel">Courriel * <span class="fr-hint-text">exemple : nom@domaine.fr</span></label>
<input id="courriel" name="courriel" type="email" required>
<fieldset><legend>Recevoir le code par</legend>
<input type="radio" id="r1" name="canal" value="courriel"><label for="r1">E-mail</label>
<input type="radio" id="r2" name="canal" value="sms"><label for="r2">SMS</label></fieldset>
<button type="submit">Valider</button></form></main></body></html>"""
DONE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Envoyé | demarche.test</title></head>
<body><main><h1>Demande envoyée</h1><p>Un message vous a été envoyé.</p></main></body></html>"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "fixtures" / "demarche.test"
    root.mkdir(parents=True)
    (root / "index.html").write_text(HOME, encoding="utf-8")
    (root / "connexion.html").write_text(FORM, encoding="utf-8")
    (root / "envoye.html").write_text(DONE, encoding="utf-8")
    return tmp_path / "fixtures"


class Author:
    """Does the procedure once the recorder has read each page, as a person with a mouse would."""

    def __init__(self) -> None:
        self.plan = [
            self.sign_in,
            self.type_email,
            self.pick_sms,
            self.send,
            self.write_note,
            self.ask_expect,
            self.check_text,
            self.finish,
        ]

    leaving: str | None = None  # the address a navigating click leaves: wait for the next page

    def __call__(self, recorder) -> None:
        if self.leaving is not None and recorder.page.url == self.leaving:
            return  # as a person would: the next page first
        self.leaving = None
        if self.plan:
            self.plan.pop(0)(recorder.page)

    @staticmethod
    def click(page, locator) -> None:
        box = locator.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    @staticmethod
    def bar_button(page, ident: str) -> None:
        box = page.evaluate("id => window.__guide.toolbarState().buttons[id]", ident)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    def sign_in(self, page) -> None:
        self.leaving = page.url
        self.click(page, page.locator("header a"))

    def type_email(self, page) -> None:
        self.click(page, page.locator("#courriel"))
        page.keyboard.type(TYPED)
        page.keyboard.press("Tab")

    def pick_sms(self, page) -> None:
        self.click(page, page.locator("label[for=r2]"))

    def send(self, page) -> None:
        self.leaving = page.url
        self.click(page, page.get_by_role("button", name="Valider"))

    def write_note(self, page) -> None:
        box = page.evaluate("() => window.__guide.toolbarState().field")
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.keyboard.type(NOTE_TEXT)
        self.bar_button(page, NOTE)

    def ask_expect(self, page) -> None:
        self.bar_button(page, EXPECT)

    def check_text(self, page) -> None:
        self.click(page, page.get_by_text("Un message vous a été envoyé."))

    def finish(self, page) -> None:
        self.bar_button(page, STOP)


def recorded(site: Path, out: Path) -> dict:
    options = RecordOptions("https://demarche.test/", out, fixtures=site, headless=True)
    # a thread of its own: pytest-playwright's Playwright may already run in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, Author(), 120).result()
    return yaml.safe_load(out.read_text(encoding="utf-8"))


def test_a_recorded_procedure_lints_names_as_a_person_reads_and_passes_check(site, tmp_path, capsys):
    out = tmp_path / "flows" / "connexion.yaml"
    flow = recorded(site, out)
    text = out.read_text(encoding="utf-8")
    assert TYPED not in text, "the author's value is never written"
    steps = flow["steps"]
    assert [(s["action"], s["target"]) for s in steps] == [
        ("click", {"role": "link", "name": "Se connecter", "within": 'block "Mon espace"'}),
        ("fill", 'label "Courriel *"'),
        ("choose", 'radio "SMS"'),
        ("click", 'button "Valider"'),
        ("expect", 'text "Un message vous a été envoyé."'),
    ], steps
    assert steps[0]["instruction"] == "Cliquez sur le lien « Se connecter »."
    assert steps[0]["lands"] == "connexion" and steps[3]["lands"] == "demande-envoyee"
    assert steps[3]["note"] == NOTE_TEXT  # written in the recorder's bar, for the last step
    assert flow["pages"]["connexion"] == {
        "url": "https://demarche.test/connexion",
        "title": "Connexion | demarche.test",
        "heading": "Connexion",
    }
    [variable] = flow["variables"].values()
    assert variable["secret"] is True and variable["test"] != TYPED
    assert steps[1]["value"] == "{" + next(iter(flow["variables"])) + "}"
    assert "# TODO: the variable's `test:` value is a stand-in" in text
    # what guide check makes of it: the same pages, passed
    capsys.readouterr()
    assert main(["lint", str(out)]) == 0
    assert main(["check", str(out), "--fixtures", str(site), "--out", str(tmp_path / "out"), "--no-cache"]) == 0, (
        capsys.readouterr().out
    )


def test_record_never_overwrites_and_needs_an_address(tmp_path):
    out = tmp_path / "flow.yaml"
    out.write_text("# hand-written\n", encoding="utf-8")
    with pytest.raises(RecordError, match="never overwrites"):
        record(RecordOptions("https://demarche.test/", out))
    assert out.read_text(encoding="utf-8") == "# hand-written\n"
    assert main(["record", "https://demarche.test/", "--out", str(out)]) == 2


class PicksAnAmbiguousName(Author):
    """Types in a field whose label reads like a radio's on the same page (« Courriel »)."""

    def __init__(self) -> None:
        self.plan = [self.sign_in, self.type_email, self.read_bar, self.finish]
        self.bar_message = ""

    def read_bar(self, page) -> None:
        self.bar_message = page.evaluate("() => window.__guide.toolbarState().message")


def test_a_name_that_is_not_unique_is_said_in_the_page_and_marked_todo(site, tmp_path):
    form = site / "demarche.test" / "connexion.html"
    form.write_text(form.read_text(encoding="utf-8").replace(">E-mail<", ">Courriel<"), encoding="utf-8")
    out = tmp_path / "ambigu.yaml"
    author = PicksAnAmbiguousName()
    options = RecordOptions("https://demarche.test/", out, fixtures=site, headless=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, author, 120).result()
    assert author.bar_message == "« Courriel * » apparaît 2 fois sur cette page : aucun nom n'est unique."
    assert '# TODO: « Courriel * » appears 2 times on this page: say which with `within: block "…"`' in (
        out.read_text(encoding="utf-8")
    )


class GoesOn(Author):
    """From the last page of a recorded flow: back home, and checks the welcome heading."""

    def __init__(self) -> None:
        self.plan = [self.home, self.ask_expect, self.check_heading, self.finish]

    def home(self, page) -> None:
        self.leaving = page.url
        self.click(page, page.get_by_role("link", name="Retour à l'accueil"))

    def check_heading(self, page) -> None:
        self.click(page, page.get_by_role("heading", name="Bienvenue"))


def test_append_goes_on_from_the_last_page_and_keeps_every_line_of_the_flow(site, tmp_path, capsys):
    done = site / "demarche.test" / "envoye.html"
    done.write_text(done.read_text(encoding="utf-8").replace("</p>", "</p><a href='/'>Retour à l'accueil</a>"), "utf-8")
    out = tmp_path / "flows" / "connexion.yaml"
    recorded(site, out)
    before = out.read_text(encoding="utf-8").replace("# Recorded by", "# Mes remarques.\n# Recorded by")
    out.write_text(before, encoding="utf-8")  # the author's own comment, which must stay
    options = RecordOptions(None, out, fixtures=site, headless=True, append=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, GoesOn(), 120).result()
    after = out.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")), "every line already there is kept as it was"
    steps = yaml.safe_load(after)["steps"]
    assert [(s["action"], s["target"]) for s in steps[-2:]] == [
        ("click", 'link "Retour à l\'accueil"'),
        ("expect", 'heading "Bienvenue"'),
    ]
    assert steps[-2]["lands"] == "bienvenue"  # a page the flow already had
    capsys.readouterr()
    assert main(["check", str(out), "--fixtures", str(site), "--out", str(tmp_path / "out"), "--no-cache"]) == 0, (
        capsys.readouterr().out
    )


SIGN_UP = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Inscription | demarche.test</title></head>
<body><main><h1>Créer un compte</h1><form action="/envoye" method="get">
<label for="dep">Département</label>
<select id="dep" name="dep"><option value="">— Choisir —</option><option value="07">Ardèche (07)</option>
<option value="26">Drôme (26)</option></select>
<button type="submit">Créer mon compte</button></form></main></body></html>"""
QUESTION_TEXT = "Avez-vous déjà un compte ?"


class AnswersAQuestion(Author):
    """Asks whether the person has an account; records each answer's path, then what follows both."""

    def __init__(self) -> None:
        self.plan = [
            self.ask,
            self.answer_yes,
            self.sign_in,
            self.type_email,
            self.send,
            self.answer_no,
            self.sign_up,
            self.pick_department,
            self.create,
            self.end_question,
            self.ask_expect,
            self.check_text,
            self.finish,
        ]

    def say_in_bar(self, page, text: str, ident: str) -> None:
        box = page.evaluate("() => window.__guide.toolbarState().field")
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.keyboard.type(text)
        self.bar_button(page, ident)

    def ask(self, page) -> None:
        self.say_in_bar(page, QUESTION_TEXT, QUESTION)

    def answer_yes(self, page) -> None:
        self.say_in_bar(page, "Oui", ANSWER)

    def answer_no(self, page) -> None:
        self.leaving = page.url  # the recorder takes the browser back to where the question was asked
        self.say_in_bar(page, "Non, pas encore", ANSWER)

    def sign_up(self, page) -> None:
        self.leaving = page.url
        self.click(page, page.get_by_role("link", name="Créer un compte"))

    def pick_department(self, page) -> None:
        page.focus("#dep")  # a person's keys on a closed list: the choice changes at once
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")

    def create(self, page) -> None:
        self.leaving = page.url
        self.click(page, page.get_by_role("button", name="Créer mon compte"))

    def end_question(self, page) -> None:
        self.bar_button(page, END_QUESTION)


def test_a_question_is_recorded_answer_by_answer_and_check_walks_each(site, tmp_path, capsys):
    home = site / "demarche.test" / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</p>", "</p><a href='/inscription'>Créer un compte</a>"))
    (site / "demarche.test" / "inscription.html").write_text(SIGN_UP, encoding="utf-8")
    out = tmp_path / "flows" / "compte.yaml"
    options = RecordOptions("https://demarche.test/", out, fixtures=site, headless=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, AnswersAQuestion(), 180).result()
    text = out.read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    question, after = flow["steps"]
    assert question["question"] == question["instruction"] == QUESTION_TEXT
    yes, no = question["options"]
    assert (yes["label"], no["label"]) == ("Oui", "Non, pas encore")
    assert [(s["action"], s["target"]) for s in yes["steps"]] == [
        ("click", {"role": "link", "name": "Se connecter", "within": 'block "Mon espace"'}),
        ("fill", 'label "Courriel *"'),
        ("click", 'button "Valider"'),
    ]
    assert [(s["action"], s["target"], s.get("value")) for s in no["steps"]] == [
        ("click", 'link "Créer un compte"', None),
        ("select", 'label "Département"', "Drôme (26)"),  # the page's option label, chosen by the author
        ("click", 'button "Créer mon compte"', None),
    ]
    assert no["steps"][1]["instruction"] == "Choisissez « Drôme (26) » dans « Département »."
    assert (after["action"], after["target"]) == ("expect", 'text "Un message vous a été envoyé."')
    assert "# TODO: the answers end on different pages" not in text  # both end on « Demande envoyée »
    assert TYPED not in text
    capsys.readouterr()
    assert main(["lint", str(out)]) == 0
    checked = main(["check", str(out), "--fixtures", str(site), "--out", str(tmp_path / "out"), "--no-cache"])
    report = capsys.readouterr().out
    assert checked == 0, report
    assert "│ oui " in report and "│ non-pas-encore " in report, "guide check walks each answer"


class AsksWithOneAnswer(Author):
    """Asks a question, gives one answer, and finishes without closing the question."""

    def __init__(self) -> None:
        self.plan = [self.ask, self.answer, self.sign_in, self.finish]

    ask = AnswersAQuestion.ask
    say_in_bar = AnswersAQuestion.say_in_bar

    def answer(self, page) -> None:
        self.say_in_bar(page, "Oui", ANSWER)


def test_a_question_left_open_with_one_answer_still_lints_and_says_what_to_write(site, tmp_path):
    out = tmp_path / "flows" / "une-reponse.yaml"
    options = RecordOptions("https://demarche.test/", out, fixtures=site, headless=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, AsksWithOneAnswer(), 120).result()
    text = out.read_text(encoding="utf-8")
    [question] = yaml.safe_load(text)["steps"]
    assert [o["label"] for o in question["options"]] == ["Oui", "Autre réponse"]
    assert "# TODO: only one answer was recorded" in text
    assert main(["lint", str(out)]) == 0


UNTITLED = """<!doctype html><html lang="fr"><head><meta charset="utf-8"></head>
<body><main><p>Bienvenue</p><a href="/connexion">Se connecter</a></main></body></html>"""


class JustSignsIn(Author):
    def __init__(self) -> None:
        self.plan = [self.go, self.finish]

    def go(self, page) -> None:
        self.leaving = page.url
        self.click(page, page.get_by_role("link", name="Se connecter"))


def test_a_page_without_title_or_h1_is_written_with_a_title_to_fill_in(site, tmp_path):
    (site / "demarche.test" / "index.html").write_text(UNTITLED, encoding="utf-8")
    out = tmp_path / "sans-titre.yaml"
    options = RecordOptions("https://demarche.test/", out, fixtures=site, headless=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, JustSignsIn(), 120).result()  # it used to fail: « does not lint »
    pages = yaml.safe_load(out.read_text(encoding="utf-8"))["pages"]
    untitled = next(spec for spec in pages.values() if spec["url"] == "https://demarche.test/")
    assert untitled["title"].startswith("TODO: this page has no <title> and no <h1>")


ECHO = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Envoyé | demarche.test</title></head>
<body><main><h1 id="h">Demande envoyée</h1><p id="p"></p>
<script>var c = new URLSearchParams(location.search).get('courriel');
document.getElementById('h').textContent = 'Code envoyé à ' + c.toUpperCase();
document.getElementById('p').textContent = 'Un message a été envoyé à ' + c + '.';</script></main></body></html>"""


class ChecksTheEcho(Author):
    """Sends the form; the next page shows the address back, in its heading and in a sentence
    the author then checks."""

    def __init__(self) -> None:
        self.plan = [self.sign_in, self.type_email, self.send, self.ask_expect, self.check_echo, self.finish]

    def check_echo(self, page) -> None:
        self.click(page, page.locator("#p"))


def test_what_the_page_shows_back_of_a_typed_value_is_written_as_its_variable(site, tmp_path):
    (site / "demarche.test" / "envoye.html").write_text(ECHO, encoding="utf-8")
    out = tmp_path / "echo.yaml"
    options = RecordOptions("https://demarche.test/", out, fixtures=site, headless=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(record, options, ChecksTheEcho(), 120).result()
    text = out.read_text(encoding="utf-8")
    assert TYPED not in text.lower(), text  # in no page, id, heading, target or instruction, in any case
    flow = yaml.safe_load(text)
    [variable] = flow["variables"]
    assert flow["pages"]["code-envoye-a-" + variable.replace("_", "-")]["heading"] == "Code envoyé à {" + variable + "}"
    assert flow["steps"][-1]["target"] == 'text "Un message a été envoyé à {' + variable + '}."'
    assert "# TODO: the page showed back what was typed" in text
    assert main(["lint", str(out)]) == 0


def test_an_address_that_does_not_open_is_a_message_not_a_crash(site, tmp_path, capsys):
    out = tmp_path / "absent.yaml"
    argv = ["record", "https://absent.test/", "--out", str(out), "--fixtures", str(site), "--headless"]
    with ThreadPoolExecutor(max_workers=1) as pool:  # its own Playwright, not pytest-playwright's thread
        code = pool.submit(main, argv).result()
    err = capsys.readouterr().err
    assert code == 2 and "https://absent.test/ did not open" in err and "Traceback" not in err, err
    assert not out.exists()
