"""Real DSFR pages: the guide's words find what a person finds, and real drift is still caught.

tests/pages/dsfr/traits.json lists a small page for each trait of real government pages built
with the État's design system (its own CSS and JavaScript, vendored in fixtures/cdn.jsdelivr.net),
and for each its real-drift twin. A trait page must pass; its twin must fail, with the report
naming what the page offers instead.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from guide.check import CheckOptions, check_flow
from guide.loader import load_flow

from .conftest import FIXTURES, ROOT

PAGES = ROOT / "tests" / "pages" / "dsfr"
ENTRIES: list[dict[str, Any]] = json.loads((PAGES / "traits.json").read_text(encoding="utf-8"))["pages"]
CDN = "cdn.jsdelivr.net"
PROBLEMS = {
    "missing": "missing target",
    "ambiguous": "ambiguous target",
    "covered": "covered target",
    "hidden": "hidden target",
    "disabled": "disabled target",
}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trait pages and the vendored DSFR, in one tree (routing serves one root)."""
    root = tmp_path_factory.mktemp("dsfr")
    shutil.copytree(PAGES / "traits.test", root / "traits.test")
    shutil.copytree(FIXTURES / CDN, root / CDN)
    return root


def flow_for(entry: dict[str, Any], folder: Path) -> Path:
    """A one-step flow doing what the entry says on its page."""
    html = (PAGES / entry["file"]).read_text(encoding="utf-8")
    title = re.search(r"<title>([^<]*)</title>", html)[1]  # type: ignore[index]
    step: dict[str, Any] = {
        "id": "etape",
        "instruction": "Faites ce que dit le guide.",
        "target": entry["target"],
        "action": entry["action"],
    }
    if "value" in entry:
        step["value"] = entry["value"]
    flow: dict[str, Any] = {
        "version": 1,
        "id": "trait",
        "title": entry["trait"],
        "source": {"title": "DSFR"},
        "audience": "tests",
        "start": "page",
        "pages": {"page": {"url": entry["url"], "title": title}},
        "steps": [step],
    }
    if "dismiss" in entry:
        banner = re.search(r'class="fr-consent-banner".*?<h2[^>]*>([^<]*)</h2>', html, re.S)[1]  # type: ignore[index]
        flow["furniture"] = [
            {
                "id": "cookies",
                "name": "le bandeau des cookies",
                "appears": {"block": banner},
                "dismiss": entry["dismiss"],
            }
        ]
    file = folder / f"{Path(entry['file']).stem}.yaml"
    file.write_text(json.dumps(flow, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return file


@pytest.mark.parametrize("entry", ENTRIES, ids=[Path(e["file"]).stem for e in ENTRIES])
def test_trait_pages_match_and_their_twins_drift(browser, tmp_path, fixtures, entry):
    flow = load_flow(flow_for(entry, tmp_path))
    [result] = check_flow(
        browser, flow, CheckOptions(fixtures=fixtures, out=tmp_path / "out", timeout_ms=2000, artifacts=False)
    )
    assert not [w for w in result.warnings if CDN in w], result.warnings  # DSFR loads whole, offline
    if entry["expect"] == "match":
        assert result.passed, result.drift and result.drift.text()
        return
    assert result.drift is not None, f"{entry['file']}: a person would hesitate, the check passed"
    assert result.drift.problem == PROBLEMS[entry["expect"]], result.drift.text()
    offered = entry["names"][-1]
    assert offered in result.drift.found, result.drift.text()
