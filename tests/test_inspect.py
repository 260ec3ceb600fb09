"""`guide inspect` in a real headless Chromium: what it proposes is what the check finds."""

from __future__ import annotations

import argparse
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from guide import inspect, locate, matching
from guide.actions import action
from guide.loader import LoadedFlow, load_flow
from guide.model import Step
from guide.runner import CHECK, open_context
from guide.secrets import Values
from guide.tree import branches, walk

from .conftest import FIXTURES, FLOWS

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"
FILLS = ("fill", "choose", "check", "uncheck", "select")  # steps that change the page without leaving it


@pytest.fixture()
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = open_context(browser, CHECK, FIXTURES)
    yield context
    context.close()


def opened(context: BrowserContext, what: str, flow: Path | None = None, fixtures: Path = FIXTURES) -> Page:
    url, _ = inspect.resolve(what, flow, fixtures)
    return inspect.open_page(context, url, 10000)


def same(locator: Locator, element: Any) -> bool:
    return bool(locator.evaluate("(a, b) => a === b", element))


def flow_around(lines: list[str], folder: Path) -> LoadedFlow:
    """A flow whose steps are the proposed lines: it must pass the loader as written."""
    text = (
        "version: 1\nid: inspecte\ntitle: Essai\nsource: {title: Essai}\naudience: Tous\nstart: page\n"
        "pages:\n  page: {url: 'https://exemple.test/', title: Essai}\nsteps:\n"
    )
    for number, line in enumerate(lines):
        text += f"  - id: etape-{number}\n    instruction: Voir.\n    {line}\n    action: expect\n"
    file = folder / "inspecte.yaml"
    file.write_text(text, encoding="utf-8")
    return load_flow(file)


def targets_by_page(loaded: LoadedFlow) -> dict[str, list[Step]]:
    """For each page id, the steps whose target is on it (every branch), in the order met."""
    found: dict[str, dict[str, Step]] = {}
    for branch in branches(loaded.flow):
        current, pending = loaded.flow.start, None
        for node in walk(loaded.flow.steps, dict(branch.answers)):
            step = node.step
            if not node.simulated and pending is not None:
                current, pending = pending, None
            current = step.open or current
            if step.target is not None:
                found.setdefault(current, {})[step.id] = step
            if step.lands and step.simulate:
                pending = step.lands  # where the flow resumes, after its simulated steps
            elif step.lands:
                current = step.lands
    return {page: list(steps.values()) for page, steps in found.items()}


@pytest.mark.parametrize("flow", [DOUANE, DGFIP], ids=["douane", "dgfip"])
def test_every_target_of_the_flows_is_listed_and_found_by_its_line(context, tmp_path, flow):
    loaded = load_flow(flow)
    values = Values.for_fixtures(loaded.flow)
    checked = 0
    for page_id, steps in targets_by_page(loaded).items():
        page = opened(context, page_id, flow)
        result = inspect.inspect_page(page)
        flow_around([entry.yaml for entry in result.entries], tmp_path)  # every proposed line lints
        for step in steps:
            assert step.target is not None
            # as the check finds it, after the steps before it on this page (a radio shows a field)
            wanted = locate.find(page, step.target, 3000)
            index = wanted.evaluate("(el, listed) => listed.indexOf(el)", [e.element for e in result.entries])
            assert index >= 0, f"{page_id}: {locate.describe(step.target)} not listed"
            entry = result.entries[index]
            proposed = inspect.parse_line(entry.yaml)
            assert flow_around([entry.yaml], tmp_path).flow.steps[0].target == proposed
            assert same(locate.find(page, proposed, 3000), entry.element), entry.yaml
            if entry.status == "hidden":  # listed while hidden; its line finds it once shown
                assert matching.normalise(locate.words_of(proposed), True) == matching.normalise(
                    locate.words_of(step.target), True
                )
            checked += 1
            if step.action in FILLS:
                action(step.action).perform(wanted, values.substitute(step.value or ""), 3000)
        page.close()
    assert checked >= 12


def test_a_field_shown_by_a_choice_is_listed_as_hidden_with_its_label_first_line(context):
    page = opened(context, "mot-de-passe-oublie", DOUANE)
    entries = {e.yaml: e for e in inspect.inspect_page(page).entries}
    field = entries['target: label "Courrier électronique"']  # the hint under the label is not its name
    assert field.status == "hidden" and "hidden until a step shows it" in field.note
    assert entries['target: radio "Courriel"'].status == "unique"
    assert entries['target: button "Réinitialiser"'].status == "unique"


def test_the_dsfr_hidden_copy_is_not_a_duplicate(context):
    page = opened(context, "https://www.douane.gouv.fr/")
    assert page.get_by_role("link", name="Se connecter", exact=True, include_hidden=True).count() == 2
    result = inspect.inspect_page(page)
    lines = [e for e in result.entries if locate.words_of(e.target) == "Se connecter"]
    assert [(e.yaml, e.status) for e in lines] == [('target: link "Se connecter"', "unique")]
    assert lines[0].group == "Mon espace personnel"
    assert result.hidden_copies >= 1


def test_at_narrows_to_one_block(context):
    page = opened(context, "https://www.douane.gouv.fr/")
    everything = inspect.inspect_page(page)
    narrowed = inspect.inspect_page(page, at="Mon espace personnel")
    lines = [e.yaml for e in narrowed.entries]
    assert 'target: link "Se connecter"' in lines and 'target: link "Créer mon espace"' in lines
    assert len(lines) < len(everything.entries) / 5
    block = locate.build(page, inspect.parse_line('target: block "Mon espace personnel"')).filter(visible=True)
    assert all(block.evaluate("(b, el) => b.contains(el)", e.element) for e in narrowed.entries)
    with pytest.raises(inspect.InspectError, match=r"no block « Mon espace perso ».*did you mean « Mon espace pers"):
        inspect.inspect_page(page, at="Mon espace perso")


TWO_BLOCKS = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Deux blocs</title></head><body>
<main><h1>Choisir son espace</h1>
<section><h2>Particuliers</h2><p><a href="/particuliers">Se connecter</a></p></section>
<section><h2>Professionnels</h2><p><a href="/professionnels">Se connecter</a></p></section>
<section><h2>Aide</h2><a href="/aide">Questions fréquentes</a> <a href="/faq">Questions fréquentes</a></section>
<nav aria-label="Menu mobile" hidden><a href="/particuliers">Se connecter</a></nav>
</main></body></html>"""


@pytest.fixture()
def two_blocks(browser: Browser, tmp_path: Path) -> Iterator[Page]:
    site = tmp_path / "fixtures"
    (site / "deux-blocs.test").mkdir(parents=True)
    (site / "deux-blocs.test" / "index.html").write_text(TWO_BLOCKS, encoding="utf-8")
    context = open_context(browser, CHECK, site)
    yield inspect.open_page(context, "https://deux-blocs.test/", 10000)
    context.close()


def test_two_identical_links_in_two_blocks_propose_within(two_blocks, tmp_path):
    page = two_blocks
    result = inspect.inspect_page(page)
    scoped = [e for e in result.entries if locate.words_of(e.target) == "Se connecter"]
    assert [e.yaml for e in scoped] == [
        'target: {role: link, name: Se connecter, within: block "Particuliers"}',
        'target: {role: link, name: Se connecter, within: block "Professionnels"}',
    ]
    assert all(e.status == "unique in its block" and e.count == 2 for e in scoped)
    loaded = flow_around([e.yaml for e in scoped], tmp_path)
    hrefs = [locate.find(page, step.target, 3000).get_attribute("href") for step in loaded.flow.steps]
    assert hrefs == ["/particuliers", "/professionnels"]
    ambiguous = [e for e in result.entries if locate.words_of(e.target) == "Questions fréquentes"]
    assert len(ambiguous) == 1 and ambiguous[0].status == "ambiguous"
    assert ambiguous[0].note == "appears 2 times: scope it with within:"
    lines = inspect.yaml_lines(result)
    assert 'target: link "Questions fréquentes"  # appears 2 times: scope it with within:' in lines
    assert result.hidden_copies == 1  # the hidden menu's copy is not a third "Se connecter"


def test_lines_are_valid_yaml_for_awkward_names(tmp_path):
    names = [
        "Accessibilité : partiellement conforme",
        "Le « mot » juste",
        'Dire "oui"',
        'Dire "oui" « non »',
        "# pas un commentaire",
        "L’apostrophe, la virgule {et} [crochets]",
    ]
    lines = [inspect.proposal("link", name)[1] for name in names]
    lines += [inspect.proposal("label", name, within="Bloc : titre")[1] for name in names]
    loaded = flow_around(lines, tmp_path)
    assert [step.target for step in loaded.flow.steps] == [inspect.parse_line(line) for line in lines]
    assert [locate.words_of(step.target) for step in loaded.flow.steps] == names * 2


# --- the command line ---------------------------------------------------------------------------------


def cli(argv: list[str]) -> int:
    """inspect.run in a thread of its own (its Playwright cannot share pytest-playwright's thread)."""
    parser = argparse.ArgumentParser()
    inspect.add_arguments(parser)
    args = parser.parse_args(argv)
    outcome: dict[str, int] = {}
    thread = threading.Thread(target=lambda: outcome.update(code=inspect.run(args)))
    thread.start()
    thread.join()
    return outcome["code"]


def test_cli_prints_paste_ready_lines(capsys):
    assert cli(["mot-de-passe-oublie", "--flow", str(DOUANE), "--fixtures", str(FIXTURES), "--yaml"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "# https://connexion.douane.gouv.fr/motDePasseOublie"
    assert 'target: button "Réinitialiser"' in out and 'target: radio "Courriel"' in out
    assert all(line.startswith(("#", "target: ")) for line in out)
    for line in out:
        if line.startswith("target: "):
            inspect.parse_line(line)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["accueil-perdu", "--flow", str(DOUANE)], r"douane-mot-de-passe-portailpro.yaml:\d+: no page 'accueil-perdu'"),
        (["accueil"], "not a URL .* --flow FLOW"),
        (["ftp://www.douane.gouv.fr/"], "not a web address"),
        (["https://www.douane.gouv.fr/nulle-part", "--fixtures", str(FIXTURES)], "no file in .* answers"),
        (["mot-de-passe-oublie", "--flow", "flows/absent.yaml"], "flows/absent.yaml:1:1: cannot read the flow"),
    ],
    ids=["unknown-page-id", "page-id-without-flow", "not-http", "not-in-fixtures", "missing-flow"],
)
def test_cli_bad_input_exits_2_with_a_message(capsys, argv, message):
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert re.search(message, err), err
