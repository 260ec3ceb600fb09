"""The JSON Schema as editors read it.

yaml-language-server (VS Code's YAML extension, Neovim, Helix…) validates flows with a
JavaScript validator: it reads the YAML as YAML 1.2 with the `yaml` package and compiles every
`pattern` with `new RegExp(pattern, 'u')`. Python's jsonschema reads another regex dialect, so
these tests check the schema with Node: every pattern compiles as ECMA 262, and ajv, fed the
flows the way the editor reads them (tests/js/validate.mjs), accepts every flow `guide lint`
accepts and flags the common mistakes `guide lint` refuses.

Node and the npm packages come from `make test` (tests/js/package.json); without them these
tests fail, saying so: they never skip.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, get_args

import pytest

from guide import jsregex
from guide import schema as schema_module
from guide.loader import FlowError, load_flow
from guide.model import ROLES, SHORTHAND_KINDS, Flow
from guide.schema import FORMAT_VERSION, SCHEMA_ID, SHIPPED, flow_schema, modeline, schema_text, write_schema

from .conftest import FLOWS, ROOT

JS = ROOT / "tests" / "js"
SCRIPT = JS / "validate.mjs"
SETUP = "run `make test`: it installs them (npm install in tests/js, from tests/js/package.json)"


# --- running the editor's validator ---------------------------------------------------------------


def node() -> str:
    """Node, with ajv and yaml installed: a failure saying what to do when they are missing."""
    found = shutil.which("node")
    if found is None:
        pytest.fail(
            f"node is not on PATH: these tests validate the schema as editors do, with Node.js, ajv "
            f"and yaml; install Node.js (≥ 18), then {SETUP}",
            pytrace=False,
        )
    missing = [name for name in ("ajv", "yaml") if not (JS / "node_modules" / name / "package.json").is_file()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed in tests/js/node_modules: {SETUP}", pytrace=False)
    return found


def editor(documents: dict[str, str], schema: Path = SHIPPED) -> dict[str, Any]:
    """What tests/js/validate.mjs reports for these YAML texts, by name."""
    payload = json.dumps([{"name": name, "text": text} for name, text in documents.items()])
    run = subprocess.run(
        [node(), str(SCRIPT), str(schema)], input=payload, capture_output=True, text=True, timeout=120, cwd=JS
    )
    assert run.returncode == 0, f"validate.mjs failed:\n{run.stderr}"
    report: dict[str, Any] = json.loads(run.stdout)
    report["by_name"] = {doc["name"]: doc for doc in report["documents"]}
    return report


@cache
def shipped_schema_report() -> str:
    """The report for the bundled flows and the whole corpus, computed once (JSON text: cached immutably)."""
    return json.dumps(editor({**bundled(), **corpus(), **MISTAKES_TEXT}))


def report() -> dict[str, Any]:
    return json.loads(shipped_schema_report())  # type: ignore[no-any-return]


def problems(doc: dict[str, Any]) -> str:
    return "; ".join([*doc["yaml"], *(f"{e['path'] or '/'}: {e['message']} {e['params']}" for e in doc["errors"])])


def lint_accepts(name: str, text: str, tmp: Path) -> str | None:
    """None when `guide lint` accepts the flow (it runs load_flow), else its messages."""
    path = tmp / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_flow(path)
    except FlowError as error:
        return str(error)
    return None


# --- the flows: bundled, embedded in the tests, and written here ----------------------------------


def bundled() -> dict[str, str]:
    return {f"flows/{path.name}": path.read_text(encoding="utf-8") for path in sorted(FLOWS.glob("*.yaml"))}


def embedded() -> dict[str, str]:
    """Flows written out whole in the other test files (templates and broken ones are sorted out
    by lint in the test that uses them)."""
    found = {}
    for file in sorted((ROOT / "tests").glob("test_*.py")):
        if file.name == Path(__file__).name:
            continue
        for node_ in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (
                isinstance(node_, ast.Constant)
                and isinstance(node_.value, str)
                and "version: 1" in node_.value
                and "steps:" in node_.value
            ):
                found[f"tests/{file.name}:{node_.lineno}"] = textwrap.dedent(node_.value)
    return found


HEAD = """\
# yaml-language-server: $schema=../guide/flow.schema.json
version: 1
id: demo
title: Démo
source: {title: Démo}
audience: tout le monde
start: accueil
pages:
  accueil: {url: "https://exemple.fr/", heading: Accueil}
  suite: {url: "https://exemple.fr/suite*", title: Suite | exemple.fr}
  messagerie: {url: "https://messagerie.exemple.fr/", heading: Boîte de réception, simulated: true}
variables:
  courriel: {label: Votre courriel, env: GUIDE_COURRIEL, test: camille@exemple.fr}
tables:
  ddfip:
    title: Adresses
    columns: [Département, Adresse]
    rows: [["Ardèche (07)", ddfip07@exemple.fr]]
"""


def flow(steps: str, head: str = HEAD) -> str:
    """HEAD and these steps (written at the left margin, indented here)."""
    return textwrap.dedent(head) + "steps:\n" + textwrap.indent(textwrap.dedent(steps), "  ")


def step(target: str, action: str = "click", more: str = "") -> str:
    return flow(f"- id: un\n  instruction: Faites-le.\n  target: {target}\n  action: {action}\n{more}")


# Every form a target can take, every action, and the rest of the format, as `guide lint` accepts them.
VALID: dict[str, str] = {
    # the shorthand, each kind and quoting
    **{f"shorthand-{kind}": step(f'{kind} "Nom affiché"', "expect") for kind in (*SHORTHAND_KINDS, *ROLES)},
    "shorthand-guillemets": step("button « Réinitialiser »"),
    "shorthand-guillemets-collés": step("button «Réinitialiser»"),
    "shorthand-espaces": step("'  link   \"Se connecter\"  '"),
    "shorthand-apostrophe": step('label "Nom d\'usage"', "fill", "  value: Martin\n"),
    "shorthand-guillemets-dans-guillemets": step('text « Cliquez sur "Valider" »', "expect"),
    "shorthand-quoted-yaml": step("'button \"Valider\"'"),
    "shorthand-block-scalar": step('>-\n    button\n    "Valider"'),
    # the mapping, each way of finding an element
    "mapping-role": step("{role: button, name: Valider}"),
    "mapping-label": step("{label: Courriel}", "fill", "  value: '{courriel}'\n"),
    "mapping-text": step("{text: Bienvenue}", "expect", "  text: Bienv\n"),
    "mapping-placeholder": step("{placeholder: nom@exemple.fr}", "fill", "  value: x\n"),
    "mapping-block": step("{block: Mon espace}", "hover"),
    "mapping-css": step("{css: '#valider', last_resort: true}"),
    "mapping-testid": step("{testid: valider, last_resort: yes}"),
    "mapping-nulls": step("{role: button, name: Valider, label: ~, text: null, css: , last_resort: false}"),
    "mapping-block-style": step('\n    role: link\n    name: Se connecter\n    within: region "Mon espace"'),
    "within-shorthand": step('{role: button, name: Valider, within: region "Mon espace personnel"}'),
    "within-mapping": step("{text: Valider, within: {block: Connexion, within: {role: main, name: Contenu}}}"),
    # every action
    **{
        f"action-{name}": step('label "Champ"', name, "  value: x\n" if name in ("fill", "select", "press") else "")
        for name in ("click", "fill", "choose", "check", "uncheck", "select", "press", "hover", "expect")
    },
    "press-enter": step('textbox "Recherche"', "press", "  value: Enter\n"),
    # steps without a target, with open and lands
    "instruction-only": flow("- id: lire\n  instruction: Lisez la page.\n  note: ~\n"),
    "open-lands": flow(
        '- {id: ouvrir, instruction: Ouvrez la page., open: accueil, target: link "Suite", '
        "action: click, lands: suite}\n"
    ),
    "secret-step": step('label "Code"', "fill", "  value: '1234'\n  secret: true\n"),
    "table-step": flow("- id: ecrire\n  instruction: Écrivez à la DDFIP.\n  outside: true\n  table: ddfip\n"),
    "rules-on-step": step(
        'label "Mot de passe"',
        "fill",
        "  value: x\n  rules:\n"
        "    - {text: au moins 8 caractères, pattern: '^.{8,}$'}\n"
        '    - text: une majuscule\n      pattern: "[A-Z]"\n'
        "    - {text: un chiffre, pattern: '\\d'}\n"
        "    - {text: pas d'espace, pattern: '^\\S*$'}\n"
        "    - {text: une lettre accentuée, pattern: '\\p{L}'}\n",
    ),
    # outside steps and what stands in for them
    "outside-simulate": flow("""\
        - id: courriel-recu
          instruction: Ouvrez le courriel reçu.
          outside: yes
          simulate:
            - id: ouvrir-messagerie
              instruction: Ouvrez votre messagerie.
              open: messagerie
              target: link "Réinitialisation"
              action: click
              lands: suite
        """),
    # questions, options and when
    "question-when": flow("""\
        - id: expire
          instruction: Votre mot de passe a-t-il expiré ?
          question: A-t-il expiré ?
          options:
            - {id: oublie, label: "Non, oublié"}
            - {id: expire, label: "Oui, expiré", note: Seule la méthode 2 fonctionne.}
        - id: methode
          instruction: Choisissez une méthode.
          question: Laquelle ?
          options:
            - id: methode-1
              label: "Méthode n°1 : par SMS"
              when: {expire: oublie}
              steps:
                - {id: sms, instruction: Cliquez., target: link "SMS", action: click}
            - id: methode-2
              label: "Méthode n°2 : par courriel"
              when:
                expire: [oublie, expire]
              steps: []
            - {id: methode-3, label: Autre}
        """),
    # furniture
    "furniture": flow(
        '- {id: un, instruction: Cliquez., target: button "Suivant", action: click}\n',
        HEAD + "furniture:\n"
        '  - {id: cookies, name: le bandeau des cookies, appears: region "Cookies", '
        'dismiss: button "Tout refuser"}\n'
        "  - id: enquete\n    name: l'enquête de satisfaction\n"
        "    appears: {block: Votre avis nous intéresse}\n"
        '    dismiss: {role: button, name: Fermer, within: dialog "Votre avis"}\n',
    ),
    # the flow's other parts
    "everything-else": flow(
        '- id: un\n  instruction: "Saisissez {courriel}."\n  target: label "Courriel"\n'
        '  action: fill\n  value: "{courriel}"\n',
        """\
        ---
        # a comment
        version: 1
        id: tout-0
        title: "Tout : le reste du format"
        lang: fr-FR
        source:
          title: Le document
          date: Juin 2022
          publisher: Une administration
          url: https://www.exemple.gouv.fr/aide?page=1#haut
        audience: >-
          Les personnes
          qui en ont besoin.
        needs: ["NOTE : votre courriel", Un téléphone]
        start: accueil
        pages:
          accueil:
            url: HTTP://EXEMPLE.FR/*/page/*
            title: &titre Accueil
            heading: *titre
          autre: {url: "http://exemple.fr/?q=1", title: Autre, heading: null, simulated: no}
        variables:
          courriel:
            label: Votre courriel
            secret: false
            test: camille@exemple.fr
            example: nom@exemple.fr
            rules:
              - {text: une arobase, pattern: "@"}
          code: {label: Code, test: "0042", secret: On}
        tables:
          ddfip:
            title: Adresses
            columns: [Département, Adresse]
            rows:
              - [Ardèche (07), ddfip07@exemple.fr]
              - ["Drôme (26)", ddfip26@exemple.fr]
            pick: {label: "Votre département ?", column: 0, mailto_column: 1, subject: Mot de passe}
          vide: {title: Sans choix, columns: [A], rows: [[a]], pick: null}
        notes:
          - Une note.
        """,
    ),
    "booleans-yaml-1.1": flow(
        "- {id: un, instruction: Lisez., outside: True}\n"
        "- {id: deux, instruction: Lisez., outside: 'true', secret: NO}\n"
        '- {id: trois, instruction: Lisez., outside: "off", secret: Yes}\n'
    ),
    "empty-collections": flow(
        "- id: un\n  instruction: Lisez.\n  simulate: []\n  options: []\n  rules: ~\n",
        HEAD.replace("variables:\n", "needs: []\nnotes: []\nfurniture: []\nvariables:\n"),
    ),
    "long-id": flow(f"- id: {'a' * 64}\n  instruction: Lisez.\n"),
}


def corpus() -> dict[str, str]:
    return {**{f"valid/{name}": text for name, text in VALID.items()}, **embedded()}


# Common mistakes, each one change from a flow lint accepts, and where the editor must flag it
# (the path ajv reports; every error must be at or under it).
GOOD = step('button "Suivant"')
MISTAKES: dict[str, tuple[str, str]] = {
    "typo-in-a-step-key": (GOOD.replace("target:", "taget:"), "/steps/0"),
    "typo-in-a-top-level-key": (GOOD.replace("audience:", "audiance:"), ""),
    "typo-in-a-target-key": (step("{rol: button, name: Suivant}"), "/steps/0/target"),
    "unknown-action": (step('button "Suivant"', "clik"), "/steps/0/action"),
    "action-in-french": (step('button "Suivant"', "cliquer"), "/steps/0/action"),
    "shorthand-without-quotes": (step("button Suivant"), "/steps/0/target"),
    "shorthand-unknown-role": (step('buton "Suivant"'), "/steps/0/target"),
    "shorthand-capitalised-role": (step('Button "Suivant"'), "/steps/0/target"),
    "shorthand-empty-name": (step('button ""'), "/steps/0/target"),
    "shorthand-unclosed-quote": (step("'button \"Suivant'"), "/steps/0/target"),
    "unknown-role-in-mapping": (step("{role: bouton, name: Suivant}"), "/steps/0/target"),
    "missing-instruction": (flow('- {id: un, target: button "Suivant", action: click}\n'), "/steps/0"),
    "step-id-with-spaces": (GOOD.replace("id: un", "id: premier pas"), "/steps/0/id"),
    "step-id-capitalised": (GOOD.replace("id: un", "id: Premier"), "/steps/0/id"),
    "step-id-too-long": (GOOD.replace("id: un", f"id: {'a' * 65}"), "/steps/0/id"),
    "version-2": (GOOD.replace("version: 1", "version: 2"), "/version"),
    "version-as-text": (GOOD.replace("version: 1", "version: un"), "/version"),
    "no-version": (GOOD.replace("version: 1\n", ""), ""),
    "no-steps": (GOOD.split("steps:")[0] + "steps: []\n", "/steps"),
    "steps-as-a-mapping": (flow('un: {instruction: Cliquez., target: button "Suivant", action: click}\n'), "/steps"),
    "no-pages": (GOOD.replace("pages:", "pagse:"), ""),
    "url-without-scheme": (GOOD.replace('"https://exemple.fr/"', "www.exemple.fr"), "/pages/accueil/url"),
    "url-with-space": (GOOD.replace('"https://exemple.fr/"', '"https://exemple.fr/mon compte"'), "/pages/accueil/url"),
    "url-javascript": (GOOD.replace('"https://exemple.fr/"', '"javascript:alert(1)"'), "/pages/accueil/url"),
    "env-lower-case": (GOOD.replace("GUIDE_COURRIEL", "guide_courriel"), "/variables/courriel/env"),
    "variable-without-test": (GOOD.replace(", test: camille@exemple.fr", ""), "/variables/courriel"),
    "boolean-in-french": (step('button "Suivant"', more="  secret: oui\n"), "/steps/0/secret"),
    "lang-in-words": (GOOD.replace("start:", "lang: français\nstart:"), "/lang"),
    "title-a-number": (GOOD.replace("title: Démo", "title: 2024"), "/title"),
    "negative-column": (
        GOOD.replace("rows: [[", 'pick: {label: "Quel département ?", column: -1}\n    rows: [['),
        "/tables/ddfip/pick/column",
    ),
    "row-not-a-list": (
        GOOD.replace('rows: [["Ardèche (07)", ddfip07@exemple.fr]]', "rows: [Ardèche]"),
        "/tables/ddfip/rows/0",
    ),
    "option-without-label": (
        flow("- {id: q, instruction: Q ?, question: Q ?,\n   options: [{id: a}, {id: b, label: B}]}\n"),
        "/steps/0/options/0",
    ),
    "when-not-a-mapping": (
        flow(
            "- id: q\n  instruction: Q ?\n  question: Q ?\n  options:\n"
            "    - {id: a, label: A}\n    - {id: b, label: B, when: a}\n"
        ),
        "/steps/0/options/1/when",
    ),
    "furniture-without-dismiss": (
        flow(
            "- {id: un, instruction: Lisez.}\n",
            HEAD + 'furniture:\n  - {id: cookies, name: bandeau, appears: region "C"}\n',
        ),
        "/furniture/0",
    ),
    "rule-without-pattern": (
        step('label "Mot de passe"', "fill", "  value: x\n  rules: [{text: 8 caractères}]\n"),
        "/steps/0/rules/0",
    ),
    "simulate-not-a-list": (
        flow("- {id: un, instruction: Lisez., outside: true, simulate: ouvrir}\n"),
        "/steps/0/simulate",
    ),
}
MISTAKES_TEXT = {f"mistake/{name}": text for name, (text, _) in MISTAKES.items()}

# What a lax reading would take and editors flag, rightly. Pydantic's lax mode turns y, t, 1
# into true, "1" into 1 and true into 1; PyYAML reads YAML 1.1, where 1e3 and 0o17 are text,
# while a YAML 1.2 editor reads numbers. Lint refuses each with its fix (strict booleans and
# numbers in the model; plain scalars YAML 1.2 reads as numbers refused in the loader), not
# the schema: JSON has no trace of how 1e3 was written. name -> (flow, what the message says).
LAX_READINGS = {
    "boolean-written-y": (step('button "Suivant"', more="  secret: y\n"), "expected true or false, found 'y'"),
    "boolean-written-1": (step('button "Suivant"', more="  secret: 1\n"), "expected true or false, found 1"),
    "number-in-quotes": (
        GOOD.replace("rows: [[", 'pick: {label: "Quel département ?", column: "1"}\n    rows: [['),
        "expected a whole number, found '1'",
    ),
    "version-true": (GOOD.replace("version: 1", "version: true"), "expected the number 1, found true"),
    "text-yaml-1.2-reads-as-a-number": (
        step('label "Code"', "fill", "  value: 1e3\n"),
        "'1e3' reads as a number in YAML 1.2 (editors): put it in quotes",
    ),
    "text-yaml-1.2-reads-as-octal": (
        step('label "Code"', "fill", "  value: 0o17\n"),
        "'0o17' reads as a number in YAML 1.2 (editors): put it in quotes",
    ),
}
LAX_TEXT = {name: text for name, (text, _) in LAX_READINGS.items()}


# --- the tests ------------------------------------------------------------------------------------------------


def schema_patterns(schema: Any) -> Iterator[str]:
    """Every `pattern` keyword (not the property named "pattern") and patternProperties key."""
    if isinstance(schema, dict):
        if isinstance(schema.get("pattern"), str):
            yield schema["pattern"]
        yield from schema.get("patternProperties", {})
        for key, value in schema.items():
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    yield from schema_patterns(sub)
            elif key not in ("pattern", "examples", "default", "enum", "const", "required"):
                yield from schema_patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from schema_patterns(item)


def test_every_pattern_is_an_ecma_262_regex_with_the_u_flag():
    patterns = set(schema_patterns(flow_schema()))
    assert len(patterns) >= 6, patterns  # slugs, the shorthand, URLs, env, lang, YAML booleans
    for pattern in patterns:
        jsregex.check(pattern)  # raises RegexError: refused by the browser, or could freeze it
        assert "(?P<" not in pattern and "(?i)" not in pattern
    assert report()["compiled"] is None, "ajv cannot compile the schema"
    found = report()["patterns"]
    assert {p["pattern"] for p in found} == patterns, "validate.mjs and this test must see the same patterns"
    refused = [f"{p['where']}: {p['pattern']} — {p['error']}" for p in found if p["error"]]
    assert not refused, "new RegExp(pattern, 'u') refuses:\n" + "\n".join(refused)


def test_a_python_only_pattern_is_caught(tmp_path):
    """The check above is not vacuous: the pattern that broke editors is refused by both."""
    broken = flow_schema()
    broken["$defs"]["Step"]["properties"]["id"]["pattern"] = r"^(?P<slug>[a-z0-9-]+)$"
    path = tmp_path / "broken.schema.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    found = editor({}, schema=path)["patterns"]
    assert [p["where"] for p in found if p["error"]] == ["#/$defs/Step/properties/id/pattern"]
    assert "Invalid regular expression" in editor({}, schema=path)["compiled"]
    with pytest.raises(jsregex.RegexError):
        jsregex.check(r"^(?P<slug>[a-z0-9-]+)$")


def test_schema_names_its_dialect_and_the_format_version():
    schema = flow_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID == f"https://guide.example/schema/flow-{FORMAT_VERSION}.json"
    assert schema["properties"]["version"]["const"] == FORMAT_VERSION
    assert get_args(Flow.model_fields["version"].annotation) == (FORMAT_VERSION,)
    assert schema["title"] == f"guide flow (version {FORMAT_VERSION})"
    refs = set(values_of("$ref", schema))
    assert refs and all(ref.startswith("#/$defs/") for ref in refs), "every $ref stays inside the document"


def values_of(keyword: str, node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        if keyword in node:
            yield node[keyword]
        for value in node.values():
            yield from values_of(keyword, value)
    elif isinstance(node, list):
        for item in node:
            yield from values_of(keyword, item)


def test_editors_have_something_to_show_for_every_key():
    """Hover text for every key, examples for the target shorthand, messages for every pattern."""
    schema = flow_schema()
    models = {"Flow": schema, **schema["$defs"]}
    for name, model in models.items():
        assert model.get("description"), f"{name} has no description"
        for key, prop in model["properties"].items():
            assert prop.get("description"), f"{name}.{key} has no description"
    target = schema["$defs"]["Step"]["properties"]["target"]
    shorthand = next(branch for branch in target["anyOf"] if branch.get("type") == "string")
    assert 'button "Réinitialiser"' in shorthand["examples"]
    assert all(re.search(shorthand["pattern"], example) for example in shorthand["examples"])  # same in both dialects
    patterns = list(schema_patterns(schema))
    messages = list(values_of("patternErrorMessage", schema))
    assert len(messages) == len(patterns), "a patternErrorMessage beside every pattern, for the editor to show"
    action = schema["$defs"]["Step"]["properties"]["action"]["anyOf"][0]
    assert len(action["enumDescriptions"]) == len(action["enum"])


def test_schema_passes_the_draft_07_check_older_editors_make():
    """yaml-language-server up to 1.19 checks any schema against draft-07's meta-schema first and
    shows "Schema … is not valid" on every file when it fails."""
    assert report()["metaschema"] == {"valid": True, "errors": []}


def test_bundled_flows_show_no_error_in_an_editor():
    found = report()["by_name"]
    names = list(bundled())
    assert len(names) >= 2
    for name in names:
        assert found[name]["valid"], f"{name}: {problems(found[name])}"


def test_every_flow_lint_accepts_shows_no_error_in_an_editor(tmp_path):
    found = report()["by_name"]
    accepted = 0
    for name, text in corpus().items():
        refused = lint_accepts(name.replace("/", "_").replace(":", "_"), text, tmp_path)
        if name.startswith("valid/"):
            assert refused is None, f"{name} is meant to be a valid flow, but lint refuses it:\n{refused}"
        if refused is None:
            accepted += 1
            assert found[name]["valid"], f"{name}: lint accepts it, the editor shows: {problems(found[name])}"
    assert accepted >= len(VALID) + 3  # and some of the tests' own flows


def test_common_mistakes_are_flagged_where_they_are(tmp_path):
    found = report()["by_name"]
    for name, (text, where) in MISTAKES.items():
        assert lint_accepts(name, text, tmp_path) is not None, f"{name}: lint accepts it: not a mistake"
        doc = found[f"mistake/{name}"]
        assert not doc["yaml"], f"{name}: not even YAML, for the editor: {doc['yaml']}"
        assert not doc["valid"], f"{name}: lint refuses it, the editor shows no error"
        paths = {error["path"] for error in doc["errors"]}
        assert any(path == where or path.startswith(where + "/") for path in paths), (
            f"{name}: flagged at {sorted(paths)}, not at {where!r}"
        )
    good = step('button "Suivant"')
    assert lint_accepts("good", good, tmp_path) is None
    assert editor({"good": good})["by_name"]["good"]["valid"]


def test_editors_flag_what_only_a_lax_reading_accepts():
    found = editor(LAX_TEXT)["by_name"]
    for name in LAX_READINGS:
        assert not found[name]["valid"], f"{name}: the editor shows no error"


@pytest.mark.parametrize("name", list(LAX_READINGS))
def test_lint_refuses_what_editors_flag_and_says_the_fix(name, tmp_path):
    text, says = LAX_READINGS[name]
    problems = lint_accepts(name, text, tmp_path)
    assert problems is not None, f"{name}: lint accepts what an editor flags"
    assert says in problems, problems
    assert re.search(rf"{name}\.yaml:\d+:\d+: ", problems), "file:line:column"


def test_quoted_words_and_real_numbers_still_read_as_written(tmp_path):
    """The fix refuses the lax readings only: quoted 1e3 is text, `secret: yes` and 7 are fine."""
    assert lint_accepts("quoted", step('label "Code"', "fill", '  value: "1e3"\n'), tmp_path) is None
    assert lint_accepts("yes", step('button "Suivant"', more="  secret: yes\n"), tmp_path) is None
    assert (
        lint_accepts("one", GOOD.replace("rows: [[", 'pick: {label: "Quel ?", column: 1}\n    rows: [['), tmp_path)
        is None
    )


def test_validate_script_reads_files_as_an_editor_would(tmp_path):
    """The script's file mode (for people: node tests/js/validate.mjs SCHEMA FLOW…) and its YAML."""
    (tmp_path / "two.yaml").write_text("version: 1\n---\nversion: 1\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("steps: [\n", encoding="utf-8")
    files = [str(FLOWS / "dgfip-mot-de-passe-xt.yaml"), str(tmp_path / "two.yaml"), str(tmp_path / "broken.yaml")]
    run = subprocess.run([node(), str(SCRIPT), str(SHIPPED), *files], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    docs = json.loads(run.stdout)["documents"]
    assert [doc["valid"] for doc in docs] == [True, False, False]
    assert "2 YAML documents" in docs[1]["yaml"][0]
    assert docs[2]["yaml"]
    assert subprocess.run([node(), str(SCRIPT)], capture_output=True, text=True, timeout=60).returncode == 2


# --- writing the schema, and pointing editors at it ---------------------------------------------


def test_write_schema_anywhere(tmp_path, monkeypatch):
    elsewhere = tmp_path / "autre-depot" / "schemas" / "flow.schema.json"
    assert write_schema(elsewhere) == elsewhere  # folders made
    assert elsewhere.read_text(encoding="utf-8") == schema_text()
    folder = tmp_path / "dossier"
    folder.mkdir()
    assert write_schema(folder) == folder / "flow.schema.json"
    assert (folder / "flow.schema.json").read_text(encoding="utf-8") == schema_text()
    shipped = tmp_path / "guide" / "flow.schema.json"
    monkeypatch.setattr(schema_module, "SHIPPED", shipped)
    assert write_schema(None) == shipped  # no PATH: refresh the shipped copy
    assert shipped.read_text(encoding="utf-8") == schema_text()
    with pytest.raises(OSError):
        write_schema(elsewhere / "sous-fichier.json")  # under a file: the caller says so (exit 2)


def test_schema_verb_writes_where_asked(tmp_path, capsys):
    from guide.cli import main

    assert main(["schema", "--write", str(tmp_path)]) == 0
    assert (tmp_path / "flow.schema.json").read_text(encoding="utf-8") == schema_text()
    assert "wrote" in capsys.readouterr().out
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == SCHEMA_ID
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    assert main(["schema", "--write", str(tmp_path / "fichier" / "flow.schema.json")]) == 2
    error = capsys.readouterr().err
    assert "cannot write the schema" in error and "fix:" in error and "Traceback" not in error


def test_modeline_is_relative_to_the_flow(tmp_path):
    depot = tmp_path / "depot"
    assert (
        modeline(depot / "flows" / "demarche.yaml", depot / "schemas" / "flow.schema.json")
        == "# yaml-language-server: $schema=../schemas/flow.schema.json"
    )
    assert (
        modeline(tmp_path / "depot" / "demarche.yaml", tmp_path / "depot" / "flow.schema.json")
        == "# yaml-language-server: $schema=flow.schema.json"
    )
    for path in FLOWS.glob("*.yaml"):  # the bundled flows point at the shipped copy, the same way
        assert path.read_text(encoding="utf-8").splitlines()[0] == modeline(path, SHIPPED)
