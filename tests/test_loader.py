"""Loading flows: the bundled ones load, and every kind of bad input gets file:line:column."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from guide.cli import main
from guide.tree import branches
from guide.loader import FlowError, load_flow, load_flows
from guide.schema import SHIPPED, flow_schema, schema_text

from .conftest import FLOWS

MINIMAL = """\
version: 1
id: demo
title: Démo
source: {title: Démo}
audience: tout le monde
start: accueil
pages:
  accueil: {url: "https://exemple.fr/", heading: Accueil}
steps:
  - id: premier
    instruction: Cliquez sur « Suivant ».
    target: button "Suivant"
    action: click
"""


def write(tmp_path: Path, text: str, name: str = "flow.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    return [str(p) for p in caught.value.problems]


def test_bundled_flows_load_and_cover_both_documents():
    loaded = {item.flow.id: item for item in load_flows([FLOWS])}
    assert set(loaded) == {"douane-mot-de-passe-portailpro", "dgfip-mot-de-passe-xt"}
    names = [b.name for b in branches(loaded["dgfip-mot-de-passe-xt"].flow)]
    # the expired-password condition leaves only method n°2
    assert names == ["oublie › methode-1", "oublie › methode-2", "expire › methode-2"]


def test_every_label_of_the_seed_documents_is_in_a_flow():
    text = "\n".join(p.read_text(encoding="utf-8") for p in FLOWS.glob("*.yaml"))
    for label in ("Mon espace personnel", "Se connecter", "MOT DE PASSE OUBLIÉ", "Courriel",
                  "Réinitialiser", "Réinitialisation du mot de passe", "Identifiant", "Mot de passe",
                  "Confirmer le mot de passe", "au moins 8 caractères", "underscore",
                  "Mot de passe -xt oublié", "identifiant en -xt", "mot de passe provisoire",
                  "Méthode n°1", "Méthode n°2", "seule la méthode n°2 fonctionne",
                  "date d'expiration", "gérer ses informations et changer de mot de passe",
                  "ajouter votre numéro de téléphone", "d'un an", "différent à chaque fois",
                  "saisir une\n      sollicitation", "ddfip07.pgp.spl-pes@dgfip.finances.gouv.fr",
                  "ddfip26.pgp.spl-pes@dgfip.finances.gouv.fr", "ddfip38.pgp.spl-pes@dgfip.finances.gouv.fr",
                  "ddfip73.pgp.spl-pes@dgfip.finances.gouv.fr", "ddfip74.pgp.spl-pes@dgfip.finances.gouv.fr"):
        assert label in text, label


def test_positions_point_at_the_step(tmp_path):
    loaded = load_flow(write(tmp_path, MINIMAL))
    assert loaded.where(("steps", 0, "target")) == f"{tmp_path / 'flow.yaml'}:12"


@pytest.mark.parametrize("text, expected", [
    ("version: 1\nid: [unclosed\n", "flow.yaml:3:1: not valid YAML: expected ',' or ']', but got '<stream end>' (while parsing a flow sequence started on line 2, column 5)"),
    ("", "flow.yaml:1:1: the file is empty"),
    ("# only a comment\n", "the file is empty"),
    ("- version: 1\n- id: x\n", "flow.yaml:1:1: a flow is a mapping"),
    ("a: 1\n---\nb: 2\n", "one flow per file"),
])
def test_not_a_flow(tmp_path, text, expected):
    found = problems(write(tmp_path, text))
    assert any(expected in p for p in found), found


def test_not_yaml_names_line_and_column(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace("    action: click", "    action: click: twice")))
    assert found[0].startswith(f"{tmp_path / 'flow.yaml'}:13:"), found
    assert "not valid YAML" in found[0]


def test_unknown_key_suggests_the_right_one(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace("    target:", "    taget:")))
    assert f"{tmp_path / 'flow.yaml'}:12:5: unknown key 'taget' — did you mean 'target'?" in found


def test_wrong_types_and_missing_keys(tmp_path):
    text = MINIMAL.replace("version: 1", "version: 2").replace("title: Démo\n", "").replace(
        "pages:\n", "pages:\n  extra: [1, 2]\n")
    found = "\n".join(problems(write(tmp_path, text)))
    assert "flow.yaml:1:10: 2 is not allowed: write 1" in found
    assert "missing key 'title'" in found
    assert "flow.yaml:7:10: expected a mapping (key: value), found list" in found


def test_list_where_a_mapping_belongs(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace("source: {title: Démo}", "source: [Démo]")))
    assert any(":4:9: expected a mapping" in p for p in found), found


def test_target_shorthand_errors(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace('button "Suivant"', 'bouton "Suivant"')))
    assert any(":12:13: unknown role 'bouton'" in p for p in found), found
    found = problems(write(tmp_path, MINIMAL.replace('button "Suivant"', "Suivant")))
    assert any("write it as a role and a quoted name" in p for p in found), found


def test_css_needs_last_resort(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace('target: button "Suivant"', "target: {css: '#next'}")))
    assert any("last resort" in p for p in found), found


def test_duplicate_step_ids_and_unknown_pages(tmp_path):
    text = MINIMAL + (
        "  - id: premier\n"
        "    instruction: Encore.\n"
        "    target: link \"Suite\"\n"
        "    action: click\n"
        "    lands: acceuil\n")
    found = "\n".join(problems(write(tmp_path, text)))
    assert "flow.yaml:14:9: duplicate step id 'premier' (first used on line 10)" in found
    assert "unknown page 'acceuil' — did you mean 'accueil'?" in found


def test_duplicate_keys(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace("title: Démo\n", "title: Démo\ntitle: Autre\n")))
    assert any("flow.yaml:4:1: duplicate key 'title'" in p for p in found), found


def test_unknown_variable_reference(tmp_path):
    text = MINIMAL.replace('button "Suivant"\n    action: click', 'label "Courriel"\n    action: fill\n    value: "{courriel}"')
    assert any("unknown variable 'courriel'" in p for p in problems(write(tmp_path, text)))


def test_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, previous in zip("bcdefgh", "abcdefg"):
        bomb += f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, " \
                f"*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
    found = problems(write(tmp_path, bomb))
    assert any("expands to more than" in p for p in found), found


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# x\n" * 2_000_000)
    found = problems(path)
    assert "big.yaml:1:1:" in found[0] and "split it" in found[0]


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(MINIMAL.replace("Démo", "D\xe9mo").encode("latin-1"))
    assert "not UTF-8" in problems(path)[0]


def test_when_must_name_an_earlier_question(tmp_path):
    text = MINIMAL + (
        "  - id: methode\n"
        "    instruction: Choisissez.\n"
        "    question: Quelle méthode ?\n"
        "    options:\n"
        "      - {id: un, label: Un, when: {expire: oui}}\n"
        "      - {id: deux, label: Deux}\n")
    found = "\n".join(problems(write(tmp_path, text)))
    assert "'when' names 'expire', which is not an earlier question" in found


def test_lint_cli_exit_codes(tmp_path, capsys):
    good = write(tmp_path, MINIMAL, "good.yaml")
    assert main(["lint", str(good)]) == 0
    bad = write(tmp_path, MINIMAL.replace("target:", "taget:"), "bad.yaml")
    assert main(["lint", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:12:5: unknown key 'taget'" in err
    assert "Traceback" not in err
    assert main(["lint", str(tmp_path / "missing.yaml")]) == 2


def test_shipped_schema_is_generated_from_the_model():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), "run: guide schema --write"


def test_schema_accepts_the_bundled_flows_and_rejects_typos():
    schema = flow_schema()
    for path in FLOWS.glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == "# yaml-language-server: $schema=../guide/flow.schema.json"
    broken = yaml.safe_load(MINIMAL.replace("target:", "taget:"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    assert json.loads(schema_text())["title"].startswith("guide flow")
