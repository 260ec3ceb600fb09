"""The message catalogues (guide/i18n.py, guide/locale/): every message the code says is in
every catalogue, translated into French, with the same {placeholders}.

The messages are found as `pybabel extract -k say -k N_` finds them (Babel's extractor, on
guide/ but guide/draft/), so what these tests check is what the catalogues are built from.
When one fails: `make i18n` (pybabel extract, then pybabel update), then fill the French
translation in guide/locale/fr/LC_MESSAGES/guide.po.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from guide import i18n

from .conftest import ROOT

GUIDE = ROOT / "guide"
SKIPPED = {"draft"}  # folders of guide/ whose words are not the tool's own (the drafting heuristics)
KEYWORDS = {"say": None, "N_": None}  # what `pybabel extract -k say -k N_` looks for


@dataclass(frozen=True)
class Said:
    message: str
    where: str  # file:line, relative to the repository


def _searched(folder: str) -> bool:
    name = Path(folder).name
    return not (name in SKIPPED or name.startswith((".", "_")))


def said_by_code() -> list[Said]:
    """Every message the code says or names, where it does (Babel's extraction)."""
    found = []
    for file, line, message, _comments, _context in extract_from_dir(
        GUIDE, keywords=KEYWORDS, directory_filter=_searched
    ):
        if isinstance(message, str) and message:
            found.append(Said(message, f"guide/{Path(file).as_posix()}:{line}"))
    return found


def _po(lang: str) -> Path:
    return i18n.LOCALES / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def _shown(file: Path) -> str:
    return str(file.relative_to(ROOT)) if file.is_relative_to(ROOT) else str(file)


def read_catalogue(lang: str) -> Catalog:
    with _po(lang).open("rb") as stream:
        return read_po(stream, locale=lang, abort_invalid=True)


def missing(said: list[Said]) -> list[str]:
    """What each catalogue lacks, one line per message and place: French must translate each
    message; English must list it (an empty translation says the English text itself)."""
    problems = []
    translated = {str(m.id) for m in read_catalogue("fr") if m.id and m.string}
    for lang in i18n.LANGUAGES:
        known = i18n.catalogue(lang)  # what guide reads at run time
        for item in said:
            if item.message not in known:
                problems.append(f"{item.where}: {item.message!r} is missing from {_shown(_po(lang))}")
            elif lang == "fr" and item.message not in translated:
                problems.append(f"{item.where}: {item.message!r} has no French translation in {_shown(_po(lang))}")
    return problems


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


@pytest.fixture(scope="module")
def said() -> list[Said]:
    found = said_by_code()
    assert len({s.message for s in found}) > 100, "the extraction found too few messages: is the path right?"
    return found


# --- every message, in every catalogue ------------------------------------------------------


def test_every_message_the_code_says_is_in_every_catalogue(said: list[Said]) -> None:
    assert missing(said) == []


def test_every_literal_message_is_extractable(said: list[Said]) -> None:
    """A message written inside an f-string, or said inside another say(…)'s arguments, is
    invisible to the extractor (so to the catalogues): said here with its place."""
    extracted = {s.message for s in said}
    hidden = []
    for file in sorted(GUIDE.rglob("*.py")):
        if not all(_searched(str(parent)) for parent in file.relative_to(GUIDE).parents if parent != Path(".")):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            message = node.args[0].value
            if name in KEYWORDS and isinstance(message, str) and message and message not in extracted:
                hidden.append(f"{file.relative_to(ROOT)}:{node.lineno}: {message!r}")
    assert hidden == [], "say these outside f-strings and other say() calls, in a variable first"


def test_the_template_lists_what_the_code_says(said: list[Said]) -> None:
    """guide/locale/guide.pot is the extraction's output: regenerated when messages change."""
    with (i18n.LOCALES / f"{i18n.DOMAIN}.pot").open("rb") as stream:
        template = {m.id for m in read_po(stream) if m.id}
    extracted = {s.message for s in said}
    assert sorted(extracted - template) == [], "run pybabel extract (make i18n)"
    assert sorted(template - extracted) == [], "messages no longer said: run pybabel extract and update (make i18n)"


def test_the_catalogues_say_nothing_the_code_no_longer_says(said: list[Said]) -> None:
    extracted = {s.message for s in said}
    for lang in i18n.LANGUAGES:
        stale = sorted({str(m.id) for m in read_catalogue(lang) if m.id} - extracted)
        assert stale == [], f"{_po(lang)}: run pybabel update with --ignore-obsolete (make i18n)"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_catalogues_parse_without_fuzzy_or_obsolete_entries(lang: str) -> None:
    catalog = read_catalogue(lang)
    assert not catalog.obsolete, f"{_po(lang)}: obsolete entries {list(catalog.obsolete)}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [], f"{_po(lang)}: fuzzy entries (check the translation, then drop the fuzzy flag)"
    assert str(catalog.locale) == lang


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_translations_keep_every_placeholder(lang: str) -> None:
    translated = [(str(m.id), str(m.string)) for m in read_catalogue(lang) if m.id and m.string]
    wrong = [f"{source!r} -> {text!r}" for source, text in translated if placeholders(source) != placeholders(text)]
    assert wrong == []


def test_the_check_reports_a_message_a_catalogue_lacks(
    said: list[Said], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check above really fails: a French catalogue without one message, or with one left
    untranslated, is caught, and each place that says it is named."""
    gone, untranslated = "Step {number} of {total}", "Quit"
    assert {gone, untranslated} <= {s.message for s in said}
    copy = tmp_path / "locale"
    shutil.copytree(i18n.LOCALES, copy)
    po = copy / "fr" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with po.open("rb") as stream:
        catalog = read_po(stream, locale="fr")
    catalog.delete(gone)
    catalog[untranslated].string = ""
    with po.open("wb") as stream:
        write_po(stream, catalog)
    monkeypatch.setattr(i18n, "LOCALES", copy)
    i18n.catalogue.cache_clear()
    try:
        problems = missing(said)
        places = {s.where: s.message for s in said if s.message in (gone, untranslated)}
        assert sorted(problems) == sorted(
            f"{where}: {message!r} is missing from {po}"
            if message == gone
            else f"{where}: {message!r} has no French translation in {po}"
            for where, message in places.items()
        )
        assert i18n.words("fr")(gone, number=3, total=9) == "Step 3 of 9"  # guide would say it in English
    finally:
        i18n.catalogue.cache_clear()  # the next reader loads the real catalogues again


# --- choosing a language, saying a message -------------------------------------------------


def test_language_is_the_override_else_the_flows_else_french() -> None:
    assert i18n.language("fr-FR") == "fr"
    assert i18n.language("en-GB") == "en"
    assert i18n.language("de") == i18n.DEFAULT == "fr"
    assert i18n.language(None) == "fr"
    assert i18n.language("fr", "en") == "en"
    assert i18n.language("en", "xx") == "en"  # an unknown override falls back to the flow's


def test_words_fill_placeholders_in_each_language() -> None:
    assert i18n.words("en")("Step {number} of {total}", number=3, total=9) == "Step 3 of 9"
    assert i18n.words("fr")("Step {number} of {total}", number=3, total=9) == "Étape 3 sur 9"
    assert i18n.words("fr-FR")("Rules to follow") == "Règles à respecter"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_overlays_words_are_all_there(lang: str) -> None:
    said = i18n.overlay_words(lang)
    assert set(said) == set(i18n.OVERLAY)
    assert all(value.strip() for value in said.values())
