"""`guide draft`: reading documents, recognising instructions, writing a flow that lints.

No browser: the PDF reader reads tests/documents/fiche.pdf (made once by make_pdf.py), the DOCX
is written here with python-docx.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from guide.draft import DraftError, add_arguments, draft, read_document, run
from guide.draft.recognise import condition_question, recognise, split_condition
from guide.draft.text import repair_columns, vocabulary
from guide.draft.values import recognise_rules
from guide.loader import load_flow
from guide.model import Flow, Step

from .conftest import ROOT

DOCUMENTS = Path(__file__).resolve().parent / "documents"
SEEDS = ["douane-portailpro.txt", "dgfip-chorus-pro.txt"]


def seen(step: Step) -> tuple[str | None, str | None, str | None]:
    """(action, role or kind, name) of a step's target."""
    target = step.target
    if target is None:
        return step.action, None, None
    kind = target.role or next(k for k in ("label", "text", "placeholder") if getattr(target, k))
    return step.action, kind, target.name or getattr(target, kind)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def drafted(tmp_path: Path, text: str, name: str = "fiche.txt") -> tuple[str, Flow]:
    """Draft from a text document; the result must load as a flow (what `guide lint` checks)."""
    result = draft(write(tmp_path, name, text))
    out = tmp_path / "flow.yaml"
    out.write_text(result.text, encoding="utf-8")
    return result.text, load_flow(out).flow


def steps_of(flow: Flow) -> list[Step]:
    out: list[Step] = []
    for step in flow.steps:
        out.append(step)
        for option in step.options:
            out.extend(option.steps)
    return out


# --- readers ------------------------------------------------------------------------------------------


def test_reads_plain_text_in_utf8_and_windows_encoding(tmp_path: Path) -> None:
    assert "« Valider »" in read_document(write(tmp_path, "a.txt", "Cliquez sur « Valider »."))
    latin = tmp_path / "b.txt"
    latin.write_bytes("Cliquez sur « Réinitialiser ».".encode("cp1252"))
    assert "Réinitialiser" in read_document(latin)


def test_reads_markdown_as_the_words_it_shows(tmp_path: Path) -> None:
    text = read_document(
        write(
            tmp_path,
            "a.md",
            """\
        # Changer d'adresse

        1. Cliquez sur **« Mon compte »** dans [le portail](https://www.exemple.gouv.fr/).
        ![capture](capture.png)
        """,
        )
    )
    assert "# " not in text and "**" not in text and "capture.png" not in text
    assert "Cliquez sur « Mon compte » dans le portail (https://www.exemple.gouv.fr/)." in text


def test_reads_the_text_layer_of_a_pdf() -> None:
    text = read_document(DOCUMENTS / "fiche.pdf")
    assert "Cliquez sur le lien « Mon compte »." in text
    assert "https://www.exemple.gouv.fr/" in text


def test_reads_docx_paragraphs_lists_and_tables(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Écrire au service", level=1)
    document.add_paragraph("Cliquez sur le bouton « Envoyer ».", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Ardèche"
    table.rows[0].cells[1].text = "service07@exemple.gouv.fr"
    path = tmp_path / "fiche.docx"
    document.save(str(path))
    text = read_document(path)
    assert "Écrire au service" in text
    assert "- Cliquez sur le bouton « Envoyer »." in text
    assert "Ardèche : service07@exemple.gouv.fr" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("fiche.doc", b"\xd0\xcf", "save it as .docx"),
        ("fiche", b"text", "files without an extension"),
        ("empty.txt", b"  \n\n", "the document is empty"),
        ("broken.pdf", b"%PDF-1.4 this is not a pdf", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", "not a readable DOCX"),
    ],
)
def test_bad_documents_name_the_file_and_the_fix(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DraftError) as error:
        read_document(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_pdf_without_text_layer_says_to_run_ocr(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as stream:
        writer.write(stream)
    with pytest.raises(DraftError, match=r"no text layer.*OCR"):
        read_document(path)


def test_a_password_protected_pdf_says_to_save_an_unprotected_copy(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(DOCUMENTS / "fiche.pdf"))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as stream:
        writer.write(stream)
    with pytest.raises(DraftError, match="protected by a password"):
        read_document(path)


def test_a_document_without_instructions_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="no instruction found"):
        draft(write(tmp_path, "a.txt", "Rapport annuel\n\nLe service a traité 3 000 demandes.\n"))


# --- recognising one sentence ----------------------------------------------------------------------------

RULES = [
    # French: role noun + « name », "name", “name”, names without quotes, blocks
    (
        "Dans le bloc « Mon espace personnel », cliquez sur le lien « Se connecter ».",
        "click",
        "link",
        "Se connecter",
        "Mon espace personnel",
    ),
    ('Cliquer sur le bouton "Réinitialiser"', "click", "button", "Réinitialiser", None),
    ("Cliquez sur l'onglet “Mes documents”.", "click", "tab", "Mes documents", None),
    ("Cliquez sur « Connexion ».", "click", "button", "Connexion", None),
    ("Cliquez sur Enregistrer.", "click", "button", "Enregistrer", None),
    ("Utiliser la fonctionnalité Mot de passe -xt oublié", "click", "link", "Mot de passe -xt oublié", None),
    ("Saisissez votre identifiant dans le champ « Identifiant ».", "fill", "label", "Identifiant", None),
    ("Saisir votre identifiant en -xt", "fill", "label", "Identifiant en -xt", None),
    (
        "Renseignez le courriel de votre compte dans le champ « Courrier électronique ».",
        "fill",
        "label",
        "Courrier électronique",
        None,
    ),
    ("Confirmez votre nouveau mot de passe.", "fill", "label", "Confirmer le nouveau mot de passe", None),
    ("Choisir de réinitialiser votre mot de passe par Courriel :", "choose", "radio", "Courriel", None),
    ("Sélectionnez l'option « Par SMS ».", "choose", "radio", "Par SMS", None),
    ("Sélectionnez « Paris » dans la liste « Département ».", "select", "label", "Département", None),
    ("Cochez la case « J'accepte les conditions ».", "check", "checkbox", "J'accepte les conditions", None),
    ("Validez.", "click", "button", "Valider", None),
    (
        "Le message « Votre demande est enregistrée » s'affiche.",
        "expect",
        "text",
        "Votre demande est enregistrée",
        None,
    ),
    # English
    ('In the "My account" block, click the "Sign in" link.', "click", "link", "Sign in", "My account"),
    ("Click the Continue button.", "click", "button", "Continue", None),
    ("Click on the “Forgot password?” link.", "click", "link", "Forgot password?", None),
    ("Enter your email address in the “Email” field.", "fill", "label", "Email", None),
    ("Type your password.", "fill", "label", "Password", None),
    ("Select “Text message”.", "choose", "radio", "Text message", None),
    ("Select 'France' from the 'Country' list.", "select", "label", "Country", None),
    ("Tick the “I agree” box.", "check", "checkbox", "I agree", None),
    ("Submit.", "click", "button", "Submit", None),
]


@pytest.mark.parametrize(("sentence", "action", "kind", "name", "within"), RULES)
def test_recognises_action_and_target(sentence: str, action: str, kind: str, name: str, within: str | None) -> None:
    found = recognise(sentence)
    assert (found.action, found.target and found.target.kind, found.target and found.target.name) == (
        action,
        kind,
        name,
    )
    assert found.target is not None and found.target.within == within


@pytest.mark.parametrize(
    "sentence",
    [
        "c) Vous recevrez votre mot de passe provisoire sur votre portable.",
        "Lorsque vous aurez reçu l'email « Réinitialisation », cliquez sur le lien de réinitialisation.",
        "Vous devez contacter par mail la DDFIP de votre département.",
        "Consultez votre messagerie.",
        "You will receive an email with a link.",
        "Check your inbox and click the link.",
        "Write to the help desk.",
    ],
)
def test_steps_outside_the_browser(sentence: str) -> None:
    found = recognise(sentence)
    assert found.outside and found.target is None and found.action is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Vous serez redirigé vers la page d'authentification (connexion.exemple.fr)",
        "vous accederez alors a la page ou vous pourrez renseigner un nouveau mot de passe.",
        "You will be redirected to the sign-in page.",
    ],
)
def test_results_are_notes_not_steps(sentence: str) -> None:
    assert recognise(sentence).result


def test_a_quoted_label_is_not_read_as_a_verb() -> None:
    found = recognise("Référez-vous à la procédure « saisir une sollicitation ».")
    assert found.action is None and not found.acts


def test_conditions_become_questions() -> None:
    assert split_condition("Si vous n'avez rien reçu, cliquez sur « Renvoyer ».") == (
        "Si vous n'avez rien reçu",
        "cliquez sur « Renvoyer ».",
    )
    assert (
        condition_question("Si vous avez enregistré votre n° de téléphone portable :", "fr")
        == "Avez-vous enregistré votre n° de téléphone portable ?"
    )
    assert condition_question("If you have a mobile phone", "en") == "Do you have a mobile phone?"
    assert condition_question("If you did not receive the email", "en") == "Did you not receive the email?"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Il doit être composé d'au moins 8 caractères, contenir des lettres minuscules, majuscules, des chiffres "
            "et des caractères spéciaux (le caractère « underscore » _ n'est pas considéré comme un caractère "
            "spécial).",
            ["^.{8,}$", "[a-z]", "[A-Z]", "[0-9]", "[^A-Za-z0-9_]"],
        ),
        ("It must contain at least 12 characters, an upper-case letter and a digit.", ["^.{12,}$", "[A-Z]", "[0-9]"]),
        ("Entre 8 et 16 caractères, avec des symboles.", ["^.{8,16}$", "[^A-Za-z0-9]"]),
    ],
)
def test_rules_become_javascript_patterns(sentence: str, expected: list[str]) -> None:
    assert [rule.pattern for rule in recognise_rules(sentence)] == expected


def test_columns_cut_by_the_pdf_text_layer_are_put_back() -> None:
    known = vocabulary("Choisissez par Courriel. Cliquer sur le bouton.")
    line = "Choisir par Courr Une fois prêt, cliqu\tiel : er sur le bouton « Valider »"
    assert repair_columns(line, known) == ["Choisir par Courriel :", "Une fois prêt, cliquer sur le bouton « Valider »"]
    assert repair_columns("Accueil\tAuthentification", known) is None


# --- whole documents -----------------------------------------------------------------------------------------

FICHE = """\
Réinitialiser son mot de passe

Mars 2024

Cette procédure est destinée aux usagers qui ont oublié leur mot de passe.

Depuis la page d'accueil de https://www.exemple.gouv.fr/

- Cliquez sur le lien « Mot de passe oublié ».
- Saisissez votre identifiant puis cliquez sur le bouton « Continuer ».
- Vous recevrez un courriel : cliquez sur le lien qu'il contient.
- Saisissez votre nouveau mot de passe dans le champ « Nouveau mot de passe ». Il doit contenir au
moins 10 caractères et des chiffres.
- Confirmez votre nouveau mot de passe dans le champ « Confirmation ».
- Cliquez sur Valider.

Si le lien a expiré, cliquez sur « Renvoyer le lien ».
"""


def test_a_fiche_becomes_a_flow_that_lints(tmp_path: Path) -> None:
    text, flow = drafted(tmp_path, FICHE)
    assert text.startswith("# yaml-language-server: $schema=")
    assert yaml.safe_load(text)["id"] == flow.id
    assert flow.title == "Réinitialiser son mot de passe" and flow.source.date == "Mars 2024"
    assert flow.audience.startswith("Cette procédure est destinée")
    assert flow.pages[flow.start].url == "https://www.exemple.gouv.fr/"
    steps = steps_of(flow)
    by_target = {seen(s)[1:]: s for s in steps if s.target}
    assert by_target[("link", "Mot de passe oublié")].action == "click"
    assert by_target[("button", "Continuer")].instruction == "… puis cliquez sur le bouton « Continuer »."
    assert by_target[("label", "Nouveau mot de passe")].value == "{nouveau_mot_de_passe}"
    assert by_target[("label", "Confirmation")].value == "{nouveau_mot_de_passe}"  # the same value, confirmed
    variable = flow.variables["nouveau_mot_de_passe"]
    assert variable.secret and variable.env == "GUIDE_NOUVEAU_MOT_DE_PASSE"
    assert [r.pattern for r in variable.rules] == ["^.{10,}$", "[0-9]"]
    assert all(__import__("re").search(r.pattern, variable.test) for r in variable.rules)
    outside = next(s for s in steps if s.outside)
    assert outside.instruction.startswith("Vous recevrez un courriel") and outside.target is None
    question = next(s for s in flow.steps if s.question)
    assert question.question == "Le lien a expiré ?"
    assert [o.id for o in question.options] == ["oui", "non"]
    assert seen(question.options[0].steps[0]) == ("click", "button", "Renvoyer le lien")


def test_todos_mark_what_the_document_does_not_say(tmp_path: Path) -> None:
    text, _ = drafted(tmp_path, FICHE)
    lines = text.splitlines()

    def todos_of(instruction_start: str) -> str:
        at = next(i for i, line in enumerate(lines) if f"instruction: {instruction_start}" in line)
        start = max(i for i in range(at) if lines[i].lstrip().startswith("- id:"))
        return "\n".join(lines[start:at])

    assert "which page does this lead to? add lands:" in todos_of("Cliquez sur le lien « Mot de passe oublié »")
    assert "label 'Identifiant' is guessed" in todos_of("Saisissez votre identifiant")
    assert "not quoted in the document" in todos_of("Cliquez sur Valider")
    assert "add simulate:" in todos_of("'Vous recevrez un courriel")
    assert "heading 'Accueil' is a placeholder" in text
    assert "# TODO: publisher" in text


def test_methods_conditions_and_address_tables(tmp_path: Path) -> None:
    text, flow = drafted(
        tmp_path,
        """\
        PERTE DU MOT DE PASSE

        Procédure en cas de mot de passe oublié :

        Méthode n°1 : Si vous avez enregistré votre téléphone :
        a) Utiliser la fonctionnalité « Mot de passe oublié »
        b) Saisir votre identifiant en -xt et valider :

        Méthode n°2 : Vous n'avez pas enregistré votre téléphone
        Vous devez écrire au service de votre département à l'adresse suivante :
        Ardèche: service07@exemple.gouv.fr
        service26@exemple.gouv.fr

        En cas de mot de passe expiré seule la méthode n°2 fonctionne.
        """,
    )
    cases, methods = flow.steps[0], flow.steps[1]
    assert [o.label for o in cases.options] == ["Mot de passe oublié", "Mot de passe expiré"]
    assert methods.instruction == "Procédure en cas de mot de passe oublié"
    assert methods.question == "Avez-vous enregistré votre téléphone ?"
    assert [o.id for o in methods.options] == ["methode-1", "methode-2"]
    assert methods.options[0].when == {"cas": ["mot-de-passe-oublie"]} and methods.options[1].when == {}
    first = methods.options[0].steps
    assert [seen(s) for s in first] == [
        ("click", "link", "Mot de passe oublié"),
        ("fill", "label", "Identifiant en -xt"),
        ("click", "button", "Valider"),
    ]
    assert flow.variables["identifiant_en_xt"].rules[0].pattern == "-xt$"
    assert flow.variables["identifiant_en_xt"].test.endswith("-xt")
    write_step = methods.options[1].steps[0]
    assert write_step.outside and write_step.table
    table = flow.tables[write_step.table]
    assert table.columns[0] == "Département" and table.pick and table.pick.mailto_column == 1
    assert table.rows == [["Ardèche", "service07@exemple.gouv.fr"], ["?", "service26@exemple.gouv.fr"]]
    assert "# TODO: the document gives no place for this address" in text
    assert "# TODO: the document's title is in capitals" in text


def test_a_form_seen_in_a_screenshot_gives_fill_steps(tmp_path: Path) -> None:
    text, flow = drafted(
        tmp_path,
        """\
        Changer de mot de passe

        - Cliquez sur le lien « Changer ».
        Mot de passe *
        Confirmer le mot de passe *
        - Cliquez sur le bouton « Enregistrer ».
        """,
    )
    fills = [s for s in flow.steps if s.action == "fill"]
    assert [seen(s)[2] for s in fills] == ["Mot de passe *", "Confirmer le mot de passe *"]
    assert fills[0].value == fills[1].value == "{mot_de_passe}"
    assert "shows this field in a screenshot" in text


def test_english_procedure(tmp_path: Path) -> None:
    _, flow = drafted(
        tmp_path,
        """\
        # Reset your password

        This procedure is for people who forgot their password.

        1. Go to https://www.example.gov/
        2. Click the "Forgot password?" link.
        3. Enter your email address in the "Email" field.
        4. You will receive an email. Open it and click the link.
        """,
        name="fiche.md",
    )
    assert flow.lang == "en"
    steps = flow.steps
    assert steps[0].open == flow.start and flow.pages[flow.start].url == "https://www.example.gov/"
    assert seen(steps[1]) == ("click", "link", "Forgot password?")
    assert steps[2].value == "{email_address}" and "@" in flow.variables["email_address"].test
    assert steps[3].outside and steps[3].note == "Open it and click the link."


def test_a_named_block_becomes_within_block(tmp_path: Path) -> None:
    document = write(
        tmp_path, "a.txt", "Titre\n\n- Dans le bloc « Mon espace », cliquez sur le lien « Se connecter ».\n"
    )
    result = draft(document)
    assert "within: {block: Mon espace}" in result.text
    out = tmp_path / "flow.yaml"
    out.write_text(result.text, encoding="utf-8")
    assert load_flow(out).flow.steps[0].target.within.block == "Mon espace"  # type: ignore[union-attr]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_bundled_documents_draft_into_flows_that_load(tmp_path: Path, seed: str) -> None:
    result = draft(DOCUMENTS / seed)
    out = tmp_path / "flow.yaml"
    out.write_text(result.text, encoding="utf-8")
    flow = load_flow(out).flow
    assert result.steps >= 12 and result.todos > 0 and result.text.count("# TODO") == result.todos
    assert flow.id == result.flow_id


def test_the_pdf_document_drafts_too(tmp_path: Path) -> None:
    result = draft(DOCUMENTS / "fiche.pdf")
    out = tmp_path / "flow.yaml"
    out.write_text(result.text, encoding="utf-8")
    flow = load_flow(out).flow
    assert [seen(s)[2] for s in flow.steps if s.target] == ["Mon compte", "Adresse électronique", "Enregistrer"]


# --- command line ---------------------------------------------------------------------------------------------


def call(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="guide draft")
    add_arguments(parser)
    return run(parser.parse_args(argv))


def test_run_writes_the_flow_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = write(tmp_path, "fiche.txt", FICHE)
    out = tmp_path / "flows" / "fiche.yaml"
    assert call([str(document), "--out", str(out)]) == 0
    assert load_flow(out).flow.title == "Réinitialiser son mot de passe"
    assert "steps" in capsys.readouterr().err
    assert call([str(document), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert call([str(document), "--out", str(out), "--force"]) == 0


def test_run_reports_bad_input_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert call([str(tmp_path / "absent.pdf")]) == 2
    err = capsys.readouterr().err
    assert "absent.pdf: no such file" in err and "Traceback" not in err
    document = write(tmp_path, "fiche.txt", FICHE)
    assert call([str(document), "--out", str(tmp_path / "flow.json")]) == 2
    assert "a flow is a .yaml file" in capsys.readouterr().err


def test_run_prints_to_stdout_without_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert call([str(write(tmp_path, "fiche.txt", FICHE))]) == 0
    assert capsys.readouterr().out.startswith("# yaml-language-server: $schema=../guide/flow.schema.json")


# --- the bench's scoring ---------------------------------------------------------------------------------------


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_draft", ROOT / "bench" / "bench_draft.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_draft"] = module
    spec.loader.exec_module(module)
    return module


def flow_of(steps: list[dict]) -> Flow:
    return Flow.model_validate(
        {
            "version": 1,
            "id": "f",
            "title": "F",
            "source": {"title": "F"},
            "audience": "a",
            "start": "p",
            "pages": {"p": {"url": "https://x.fr/", "heading": "P"}},
            "steps": steps,
        }
    )


def test_bench_scores_instruction_action_and_target() -> None:
    scoring = bench()
    document = 'Cliquer sur le lien "MOT DE PASSE OUBLIE".\nVous recevrez un SMS.\nSaisir votre code.'
    hand = flow_of(
        [
            {
                "id": "a",
                "instruction": "Cliquez sur le lien « MOT DE PASSE OUBLIÉ ».",
                "target": 'link "MOT DE PASSE OUBLIÉ ?"',
                "action": "click",
            },
            {"id": "b", "instruction": "Vous recevrez un SMS.", "outside": True},
            {
                "id": "c",
                "instruction": "Saisissez votre code dans le champ « Code ».",
                "target": 'label "Code"',
                "action": "fill",
                "value": "x",
            },
            {"id": "d", "instruction": "Revenez à l'accueil.", "target": 'link "Accueil"', "action": "click"},
        ]
    )
    drafted_flow = flow_of(
        [
            {
                "id": "x",
                "instruction": "Cliquer sur le lien « MOT DE PASSE OUBLIE ».",
                "target": 'link "MOT DE PASSE OUBLIE"',
                "action": "click",
            },
            {"id": "y", "instruction": "Vous recevrez un SMS.", "outside": True},
            {
                "id": "z",
                "instruction": "Saisir votre code.",
                "target": 'label "Votre code"',
                "action": "fill",
                "value": "x",
            },
        ]
    )
    scores = {s.step_id: s for s in scoring.score(hand, drafted_flow, document)}
    assert (scores["a"].drafted_id, scores["a"].right) == ("x", True)  # accents and « ? » fold away
    assert scores["b"].right
    # « champ » and « Code » are the author's words, not the document's: the instruction is right,
    # the label is not.
    assert (scores["c"].instruction, scores["c"].action, scores["c"].target) == (True, True, False)
    assert scores["d"].drafted_id is None and not scores["d"].right and not scores["d"].in_document
