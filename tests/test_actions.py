"""Actions in every mode, through their one definition (guide/actions.py): `hover` as the example.

The site (tests/sites/menu.test) opens its menu while the pointer is over it, with CSS
`:hover`, as many site menus do: « Mon compte » is only visible once « Mon espace » is hovered.
"""

from __future__ import annotations

from pathlib import Path

from guide.check import CheckOptions, check_flow
from guide.loader import load_flow

from .conftest import ROOT, guide

SITES = ROOT / "tests" / "sites"

HOVER_FLOW = """\
version: 1
id: menu
title: Ouvrir mon compte
source: {title: Aide de menu.test}
audience: les usagers de menu.test
start: accueil
pages:
  accueil: {url: "https://menu.test/", heading: Bienvenue}
  compte: {url: "https://menu.test/compte", heading: Mon compte}
steps:
%s  - id: ouvrir-compte
    instruction: Cliquez sur « Mon compte ».
    target: link "Mon compte"
    action: click
    lands: compte
"""
HOVER_STEP = """\
  - id: survoler-menu
    instruction: Passez la souris sur « Mon espace ».
    target: button "Mon espace"
    action: hover
"""


def write_flow(folder: Path, hover: bool = True) -> Path:
    file = folder / "menu.yaml"
    file.write_text(HOVER_FLOW % (HOVER_STEP if hover else ""), encoding="utf-8")
    return file


def test_check_hovers_to_open_the_menu(browser, tmp_path):
    results = check_flow(
        browser, load_flow(write_flow(tmp_path)), CheckOptions(fixtures=SITES, out=tmp_path / "out", timeout_ms=2000)
    )
    assert [r.passed for r in results] == [True], [r.drift.text() for r in results if r.drift]
    assert results[0].steps == 2


def test_without_the_hover_the_link_is_hidden_drift(browser, tmp_path):
    results = check_flow(
        browser,
        load_flow(write_flow(tmp_path, hover=False)),
        CheckOptions(fixtures=SITES, out=tmp_path / "out", timeout_ms=1000, artifacts=False, retries=0),
    )
    assert results[0].drift is not None and results[0].drift.problem == "hidden target"
    assert results[0].drift.step_id == "ouvrir-compte"


def test_shots_keep_the_pointer_where_the_hover_left_it(tmp_path):
    """Parked at (0, 0) as after a click, the pointer would close the menu: the next shot fails."""
    flow = write_flow(tmp_path)
    done = guide("shots", str(flow), "--fixtures", str(SITES), "--out", str(tmp_path / "shots"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (tmp_path / "shots" / "menu").iterdir()) == [
        "01-survoler-menu.png",
        "02-ouvrir-compte.png",
    ]


def test_autoplay_hovers_then_clicks(tmp_path):
    flow = write_flow(tmp_path)
    done = guide("live", str(flow), "--fixtures", str(SITES), "--autoplay", "--pace", "0", "--headless")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Procédure terminée" in done.stdout
