"""Loading flows: the bundled ones load, and every kind of bad input gets file:line:column."""

from __future__ import annotations

import json
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from guide import jsregex
from guide.cli import main
from guide.loader import MAX_BYTES, FlowError, load_flow, load_flows
from guide.model import parse_target_shorthand
from guide.schema import SHIPPED, flow_schema, schema_text
from guide.tree import branches

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
    for label in (
        "Mon espace personnel",
        "Se connecter",
        "MOT DE PASSE OUBLIÉ",
        "Courriel",
        "Réinitialiser",
        "Réinitialisation du mot de passe",
        "Identifiant",
        "Mot de passe",
        "Confirmer le mot de passe",
        "au moins 8 caractères",
        "underscore",
        "Mot de passe -xt oublié",
        "identifiant en -xt",
        "mot de passe provisoire",
        "Méthode n°1",
        "Méthode n°2",
        "seule la méthode n°2 fonctionne",
        "date d'expiration",
        "gérer ses informations et changer de mot de passe",
        "ajouter votre numéro de téléphone",
        "d'un an",
        "différent à chaque fois",
        "saisir une\n      sollicitation",
        "ddfip07.pgp.spl-pes@dgfip.finances.gouv.fr",
        "ddfip26.pgp.spl-pes@dgfip.finances.gouv.fr",
        "ddfip38.pgp.spl-pes@dgfip.finances.gouv.fr",
        "ddfip73.pgp.spl-pes@dgfip.finances.gouv.fr",
        "ddfip74.pgp.spl-pes@dgfip.finances.gouv.fr",
    ):
        assert label in text, label


def test_positions_point_at_the_step(tmp_path):
    loaded = load_flow(write(tmp_path, MINIMAL))
    assert loaded.where(("steps", 0, "target")) == f"{tmp_path / 'flow.yaml'}:12"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "version: 1\nid: [unclosed\n",
            "flow.yaml:3:1: not valid YAML: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence started on line 2, column 5)",
        ),
        ("", "flow.yaml:1:1: the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("- version: 1\n- id: x\n", "flow.yaml:1:1: a flow is a mapping"),
        ("a: 1\n---\nb: 2\n", "one flow per file"),
    ],
)
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
    text = (
        MINIMAL.replace("version: 1", "version: 2")
        .replace("title: Démo\n", "")
        .replace("pages:\n", "pages:\n  extra: [1, 2]\n")
    )
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
        '  - id: premier\n    instruction: Encore.\n    target: link "Suite"\n    action: click\n    lands: acceuil\n'
    )
    found = "\n".join(problems(write(tmp_path, text)))
    assert "flow.yaml:14:9: duplicate step id 'premier' (first used on line 10)" in found
    assert "unknown page 'acceuil' — did you mean 'accueil'?" in found


def test_duplicate_keys(tmp_path):
    found = problems(write(tmp_path, MINIMAL.replace("title: Démo\n", "title: Démo\ntitle: Autre\n")))
    assert any("flow.yaml:4:1: duplicate key 'title'" in p for p in found), found


def test_unknown_variable_reference(tmp_path):
    text = MINIMAL.replace(
        'button "Suivant"\n    action: click', 'label "Courriel"\n    action: fill\n    value: "{courriel}"'
    )
    assert any("unknown variable 'courriel'" in p for p in problems(write(tmp_path, text)))


def test_alias_bomb_is_refused(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, previous in zip("bcdefgh", "abcdefg", strict=True):
        bomb += (
            f"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, "
            f"*{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
        )
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
        "      - {id: deux, label: Deux}\n"
    )
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


# --- what would crash later is refused by lint, with file:line:column and the fix ---------------

# MINIMAL with a variable whose rule holds PATTERN: the pattern's value is on line 15, column 18.
RULES = MINIMAL.replace(
    "steps:\n",
    (
        "variables:\n"
        "  mdp:\n"
        "    label: Mot de passe\n"
        "    test: Secret123!\n"
        "    rules:\n"
        "      - text: au moins 8 caractères\n"
        "        pattern: 'PATTERN'\n"
        "steps:\n"
    ),
)


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    """Lint `text` as flow.yaml: exit 2, no traceback; the messages."""
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["lint", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!Ref Démo", "!Ref"),
        ("!!timestamp 2022-13-45", "!!timestamp"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a}", "!!set"),
        ("!!python/object:os.system x", "!!python/object:os.system"),
    ],
)
def test_tags_outside_the_core_schema_are_refused(tmp_path, capsys, value, tag):
    err = refused(tmp_path, capsys, MINIMAL.replace("title: Démo\n", f"title: {value}\n", 1))
    assert (
        f"flow.yaml:3:8: unknown tag {tag}: a flow holds plain text, numbers, true/false, lists and mappings; "
        "remove the tag, or put the value in quotes"
    ) in err


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("version: 1", "version: !!int abc", "flow.yaml:1:10: 'abc' is not a whole number: write one, or remove !!int"),
        (
            "action: click",
            "action: click\n    outside: !!bool maybe",
            "flow.yaml:14:14: 'maybe' is not true or false: write one, or remove !!bool",
        ),
        ("title: Démo\n", "title: !!int [1]\n", "flow.yaml:3:8: the tag !!int does not fit this value: remove it"),
        (
            "title: Démo\n",
            "title: 2022-13-45\n",
            "flow.yaml:3:8: '2022-13-45' reads as a YAML timestamp but is not one "
            "(month must be in 1..12): put it in quotes to keep it as text",
        ),
        ("version: 1", "version: 0b_", "flow.yaml:1:10: '0b_' reads as a YAML int but is not one"),
    ],
)
def test_badly_typed_values_are_refused(tmp_path, capsys, old, new, expected):
    assert expected in refused(tmp_path, capsys, MINIMAL.replace(old, new, 1))


def test_deep_nesting_is_refused(tmp_path, capsys):
    err = refused(tmp_path, capsys, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "flow.yaml:1:67: nested more than 64 levels deep: a flow needs far fewer; check the indentation" in err
    block = "a:\n" + "".join(" " * depth + f"b{depth}:\n" for depth in range(1, 200))
    assert "flow.yaml:64:64: nested more than 64 levels deep" in refused(tmp_path, capsys, block)


def test_recursive_and_deeply_nested_aliases_are_refused(tmp_path, capsys):
    err = refused(tmp_path, capsys, "a: &a [*a]\n")
    assert "flow.yaml:1:4: this alias contains itself (a recursive alias): write the values out" in err
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 100))
    assert "nested more than 64 levels deep through aliases: write the values out" in refused(tmp_path, capsys, chain)


def test_a_number_thousands_of_digits_long_is_refused(tmp_path, capsys):
    err = refused(tmp_path, capsys, MINIMAL.replace("version: 1", "version: " + "9" * 5000))
    assert "flow.yaml:1:10: a number 5000 characters long is a mistake: write at most 100, or put text in quotes" in err


def test_lone_surrogates_are_refused(tmp_path, capsys):
    for text in ('title: "\\ud800"', 'title: "\\ud83d\\ude00"', '"\\udfff": x'):
        err = refused(tmp_path, capsys, MINIMAL.replace("title: Démo", text, 1))
        column = 1 if text.startswith('"') else 8
        assert f"flow.yaml:3:{column}: " in err
        assert (
            "holds half a UTF-16 pair" in err and "write the character itself, or escape it whole as \\U0001F600" in err
        )
    assert load_flow(write(tmp_path, MINIMAL.replace("title: Démo", 'title: "\\U0001F600"', 1))).flow.title == "😀"


def test_ids_and_names_longer_than_the_limit_are_refused(tmp_path, capsys):
    err = refused(tmp_path, capsys, MINIMAL.replace("id: premier", "id: " + "a" * 300))
    assert (
        f"flow.yaml:10:9: '{'a' * 60}…' is 300 characters long: an id or a name is at most 64 (ids become "
        "file names); shorten it" in err
    )
    err = refused(tmp_path, capsys, MINIMAL.replace("id: demo", "id: " + "d" * 65))
    assert "flow.yaml:2:5: " in err and "is 65 characters long" in err
    err = refused(
        tmp_path,
        capsys,
        MINIMAL.replace("  accueil: {", "  " + "p" * 100 + ": {").replace("start: accueil", "start: " + "p" * 100),
    )
    assert "flow.yaml:8:3: " in err and "is 100 characters long: an id or a name is at most 64" in err
    assert load_flow(write(tmp_path, MINIMAL.replace("id: premier", "id: " + "a" * 64)))


@pytest.mark.parametrize(
    "selector, expected",
    [
        ("div >", "Invalid character"),
        ("#1a", "Malformed id selector"),
        ("p::before", "pseudo-elements such as ::before are not elements a step can use"),
        (":-soup-contains(x)", ":-soup-contains is not a pseudo-class Chromium knows"),
        ("a:has(:not(:has(b)))", ":has() cannot be nested in :has()"),
        ("svg|a", "namespace prefixes (ns|a) are not supported"),
    ],
)
def test_invalid_css_targets_are_refused(tmp_path, capsys, selector, expected):
    text = MINIMAL.replace('target: button "Suivant"', f"target: {{css: '{selector}', last_resort: true}}")
    err = refused(tmp_path, capsys, text)
    assert f"flow.yaml:12:19: css {selector!r} is not a selector the browser accepts: {expected}" in err
    assert "fix the selector, or name the element as a person sees it (role and name, label, text)" in err


def test_playwright_selectors_are_not_css(tmp_path, capsys):
    for selector in ("button:has-text('Suivant')", "text=Suivant", "form >> button", "button:visible"):
        text = MINIMAL.replace('target: button "Suivant"', f'target: {{css: "{selector}", last_resort: true}}')
        err = refused(tmp_path, capsys, text)
        assert (
            "flow.yaml:12:19: " in err
            and "Playwright's selector syntax, not CSS: name the element as a person "
            'sees it instead, e.g. text "…" or button "…"'
            in err
        )


def test_modern_css_selectors_pass(tmp_path):
    for selector in (
        ":is(.a, .b) > a:has(> span):not(.x, .y)",
        "li:nth-child(2n+1 of .item)",
        'a[href^="https://x|y" i]',
        "input:placeholder-shown + label",
        "#next",
    ):
        text = MINIMAL.replace('target: button "Suivant"', f"target: {{css: '{selector}', last_resort: true}}")
        assert load_flow(write(tmp_path, text)).flow.steps[0].target.css == selector  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "exemple.fr/",
        "https:///chemin",
        "https://exemple.fr/a b",
    ],
)
def test_page_urls_must_be_web_addresses(tmp_path, capsys, url):
    err = refused(tmp_path, capsys, MINIMAL.replace('"https://exemple.fr/"', json.dumps(url)))
    assert (
        f"flow.yaml:8:18: {url!r} is not a web address: write the page's full address, starting with https:// "
        "(or http://), without spaces" in err
    )


def test_source_url_must_be_a_web_address_and_wildcards_are_bounded(tmp_path, capsys):
    source = 'source: {title: Démo, url: "javascript:x"}'
    err = refused(tmp_path, capsys, MINIMAL.replace("source: {title: Démo}", source))
    assert "flow.yaml:4:28: 'javascript:x' is not a web address" in err
    err = refused(tmp_path, capsys, MINIMAL.replace('"https://exemple.fr/"', '"https://*.fr/*/*/*"'))
    assert "flow.yaml:8:18: 'https://*.fr/*/*/*' has 4 wildcards (*): use at most 3" in err
    assert load_flow(write(tmp_path, MINIMAL.replace('"https://exemple.fr/"', '"HTTP://*.exemple.fr/*/x?y=*"')))


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("(?P<code>a)", "(?P<name>…) is Python syntax (character 1): write (?<name>…)"),
        ("(?P=code)", "(?P=name) is Python syntax (character 1): write \\k<name>"),
        ("abc\\Z", "\\Z is Python syntax (character 4): write ^ for the start and $ for the end"),
        ("(?i)abc", "inline flags such as (?i) are not JavaScript (character 1): write both cases, as in [Aa]"),
        ("a++", "possessive quantifiers (a++, a*+) are Python syntax (character 3): drop the second +"),
        ("\\p{Latin}", "unknown Unicode property 'Latin' (character 1): write \\p{Script=Latin}"),
        ("a\\-b", "\\- is not an escape JavaScript knows with the u flag (character 2): write - without the backslash"),
        ("[z-a]", "the range z-a goes backwards (character 2): write the smaller character first"),
        ("(ab", "unclosed ( (character 1): close it with )"),
        ("a{2,1}", "{2,1} counts down (character 2): write {1,2}"),
        ("\\2(a)", "\\2 refers to group 2, but the pattern has 1 (character 1)"),
    ],
)
def test_rule_patterns_must_be_javascript(tmp_path, capsys, pattern, expected):
    err = refused(tmp_path, capsys, RULES.replace("PATTERN", pattern))
    assert f"flow.yaml:15:18: pattern {pattern!r} is not a JavaScript regular expression: {expected}" in err


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("(a+)+$", "a quantifier inside a repeated group can take exponential time in the page"),
        ("(.*)*$", "a quantifier inside a repeated group"),
        ("^(\\w+\\s?)*$", "a quantifier inside a repeated group"),
        ("(a|a)*$", "alternatives that can start with the same character, in a repeated group"),
        ("^(\\d|\\w)+$", "alternatives that can start with the same character"),
        ("^.*a.*a.*a$", "more than 2 unbounded quantifiers in a row can take the same characters"),
        ("a?" * 12 + "a" * 12, "optional parts in a row that can take the same characters"),
    ],
)
def test_rule_patterns_that_could_freeze_the_page_are_refused(tmp_path, capsys, pattern, expected):
    err = refused(tmp_path, capsys, RULES.replace("PATTERN", pattern))
    assert f"flow.yaml:15:18: pattern {pattern!r} could freeze the page: {expected}" in err


def test_javascript_patterns_python_would_misread_pass(tmp_path):
    for pattern in (
        "^.{8,}$",
        "[^A-Za-z0-9_]",
        "-xt$",
        "(?<=@)exemple\\.fr$",
        "^(?<an>\\d{4})-\\k<an>$",
        "^\\p{Lu}",
        "\\p{Script=Latin}",
        "^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{12,}$",
        "^(?:\\+33|0)[1-9](?:[ .-]?\\d{2}){4}$",
        "^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$",
        "\\u{1F600}",
    ):
        loaded = load_flow(write(tmp_path, RULES.replace("PATTERN", pattern)))
        assert loaded.flow.variables["mdp"].rules[0].pattern == pattern
        jsregex.check(pattern)


def test_target_shorthand_reads_in_linear_time():
    def seconds(spaces: int) -> float:
        value = "button «" + " " * spaces + "x"
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            with pytest.raises(ValueError, match="write it as a role and a quoted name"):
                parse_target_shorthand(value)
            best = min(best, time.perf_counter() - start)
        return best

    # 10 times the spaces: about 10 times the time when linear, 1 000 times when cubic
    assert seconds(800_000) < 100 * max(seconds(80_000), 1e-4)


def _timed(path: Path, text: str, runs: int = 1) -> float:
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        try:
            load_flow(path)
        except FlowError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def _steps(size: int, step: Callable[[int], str]) -> str:
    """MINIMAL followed by as many steps as fit in `size` bytes."""
    count = (size - len(MINIMAL)) // len(step(10_000).encode())
    return MINIMAL + "".join(step(number) for number in range(count))


def test_a_pathological_megabyte_lints_in_time_linear_in_its_size(tmp_path):
    size = 950_000
    words = "Cliquez sur « Suivant » puis attendez que la page suivante se charge complètement. " * 4
    normal = _steps(
        size, lambda n: f'  - id: s{n}\n    instruction: {words}\n    target: button "Suivant {n}"\n    action: click\n'
    )
    # What the checks behind lint find hardest, each filling a file: the longest selectors and
    # patterns they parse (valid ones, so nothing stops early), an unclosed « followed by spaces,
    # nesting and tiny values (stopped early).
    selector = " ".join(f"div.c{n}" for n in range(110))
    pattern = "(?:(?:(?:a|b)|c)|d)" * 49
    attacks = {
        "css": _steps(
            size,
            lambda n: (
                f"  - id: c{n}\n    instruction: x\n    target: {{css: '{selector} p{n}', "
                "last_resort: true}\n    action: click\n"
            ),
        ),
        "patterns": _steps(
            size,
            lambda n: (
                f'  - id: p{n}\n    instruction: x\n    target: label "Champ"\n'
                f"    action: fill\n    value: x\n    rules:\n      - text: r\n"
                f"        pattern: '{pattern}{n}'\n"
            ),
        ),
        "shorthand": MINIMAL.replace('button "Suivant"', '"button «' + " " * size + 'x"'),
        "nesting": "a: " + "[" * size,
        "aliases": "a: &a [x]\nb: [" + "*a, " * (size // 4) + "]\n",
    }
    baseline = _timed(tmp_path / "normal.yaml", normal, runs=2)
    ratios = {name: _timed(tmp_path / f"{name}.yaml", text) / baseline for name, text in attacks.items()}
    # measured about 5 for css and patterns, under 1 for the others; linear means bounded
    assert max(ratios.values()) < 15, ratios
