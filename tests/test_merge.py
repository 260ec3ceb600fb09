"""`guide report merge`: three shards' results, downloaded elsewhere as CI does, make one report."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from guide.cli import main
from guide.reports.results import RESULTS_FILE, load

from .conftest import FLOWS, ROOT
from .drift.dsfr_variants import build_variant
from .junit_readers import failed_places

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"


def run_shards(tmp_path, capsys):
    """`guide check --shard I/3` three times, each into its own folder, as three CI jobs would."""
    fixtures = build_variant("renamed-button", tmp_path / "fixtures")
    codes = []
    for index in (1, 2, 3):
        folder = tmp_path / "jobs" / f"shard-{index}"
        codes.append(
            main(
                [
                    "check",
                    str(FLOWS),
                    "--fixtures",
                    str(fixtures),
                    "--timeout",
                    "2",
                    "--retries",
                    "0",
                    "--shard",
                    f"{index}/3",
                    "--out",
                    str(folder),
                    "--report",
                    str(folder),
                    "--no-cache",
                ]
            )
        )
    capsys.readouterr()
    # the CI's artifact download: the shard folders somewhere else, the job folders gone
    shutil.move(tmp_path / "jobs", tmp_path / "downloaded")
    return codes, sorted((tmp_path / "downloaded").iterdir())


def test_three_shards_merge_into_one_junit_and_one_html_report(tmp_path, capsys):
    codes, shards = run_shards(tmp_path, capsys)
    assert sorted(codes) == [0, 0, 1]  # one shard holds the drifting branch
    junit, report = tmp_path / "merged.xml", tmp_path / "merged"
    assert main(["report", "merge", *map(str, shards), "--junit", str(junit), "--report", str(report)]) == 1
    printed = capsys.readouterr().out
    assert "1 of 4 branches drifted" in printed

    cases = list(ET.parse(junit).getroot().iter("testcase"))
    assert sorted((c.get("classname"), c.get("name")) for c in cases) == sorted(
        [
            ("dgfip-mot-de-passe-xt", "oublie › methode-1"),
            ("dgfip-mot-de-passe-xt", "oublie › methode-2"),
            ("dgfip-mot-de-passe-xt", "expire › methode-2"),
            ("douane-mot-de-passe-portailpro", "main"),
        ]
    )
    [(file, line)] = failed_places(junit, ROOT)
    assert file is not None and file.resolve() == DOUANE.resolve() and line > 1

    # the HTML report: the failure's screenshot embedded, its trace copied beside the page and linked
    page = (report / "index.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    [trace] = report.rglob("trace.zip")
    assert f'href="{trace.relative_to(report).as_posix()}"' in page
    results, run = load(report / RESULTS_FILE)
    assert len(results) == 4 and run.shard is None
    # the merged folder travels too
    shutil.move(report, tmp_path / "ailleurs")
    [drifted] = [r for r in load(tmp_path / "ailleurs" / RESULTS_FILE)[0] if r.drift]
    assert drifted.drift.trace and (tmp_path / "ailleurs").resolve() in Path(drifted.drift.trace).parents


def test_merge_refuses_a_shard_given_twice_and_what_is_not_a_result_file(tmp_path, capsys):
    _, shards = run_shards(tmp_path, capsys)
    assert main(["report", "merge", str(shards[0]), str(shards[0])]) == 2
    error = capsys.readouterr().err
    assert "is also in" in error and "fix:" in error and "Traceback" not in error
    (tmp_path / "autre.json").write_text('{"format": 1, "rows": []}', encoding="utf-8")
    assert main(["report", "merge", str(tmp_path / "autre.json")]) == 2
    assert "not a guide result file" in capsys.readouterr().err
    assert main(["report", "merge", str(tmp_path / "absent")]) == 2


def test_the_ci_recipes_run_three_shards_and_merge_their_reports():
    import yaml

    recipe = (ROOT / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    assert (ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8") == recipe, "one recipe"
    github = yaml.safe_load(recipe)
    jobs = github["jobs"]
    assert jobs["check"]["strategy"]["matrix"]["shard"] == [1, 2, 3]
    runs = [step.get("run", "") for step in jobs["check"]["steps"]]
    assert any("--shard ${{ matrix.shard }}/3" in run for run in runs)
    uploads = [s for s in jobs["check"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads[0]["with"]["name"] == "guide-results-${{ matrix.shard }}"
    assert jobs["report"]["needs"] == "check"
    download = next(s for s in jobs["report"]["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"] == {"pattern": "guide-results-*", "path": "shards"}
    assert any("guide report merge shards/* --junit" in s.get("run", "") for s in jobs["report"]["steps"])

    gitlab = yaml.safe_load((ROOT / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["guide-check"]["parallel"] == 3
    [script] = gitlab["guide-check"]["script"]
    assert 'RESULTS="guide-results/shard-${CI_NODE_INDEX}"' in script and "--shard ${CI_NODE_INDEX}/" in script
    assert gitlab["guide-report"]["needs"] == ["guide-check"]
    assert "guide report merge guide-results/shard-*/" in gitlab["guide-report"]["script"][-1]
    # `make check` writes where the recipes look: RESULTS holds the JUnit file and results.json
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--junit $(RESULTS)/junit.xml --report $(RESULTS) --out $(RESULTS)" in makefile
