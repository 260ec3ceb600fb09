"""`guide check -j N` and `--shard I/N`: same results in any split, every branch checked once."""

from __future__ import annotations

import queue
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from guide import parallel
from guide.check import CheckOptions, check_one
from guide.cli import main
from guide.loader import load_flows
from guide.parallel import (
    BrowserLost,
    BrowserSource,
    Job,
    WorkerCrash,
    _collect,
    parse_shard,
    parse_workers,
    plan,
    run_checks,
    shard,
)
from guide.tree import Branch

from .conftest import FLOWS
from .drift.dsfr_variants import build_variant


def fake_jobs(count: int) -> list[Job]:
    return [Job(n % 7, Branch((("q", f"option-{n}"),)), f"flow-{n % 7} › option-{n}") for n in range(count)]


@pytest.mark.parametrize("count", [0, 1, 4, 37])
@pytest.mark.parametrize("total", [1, 2, 3, 5])
def test_shards_partition_the_branches(count, total):
    jobs = fake_jobs(count)
    shards = [shard(jobs, index, total) for index in range(1, total + 1)]
    keys = [job.key for part in shards for job in part]
    assert sorted(keys) == sorted(job.key for job in jobs)  # every branch in exactly one shard
    assert len(keys) == len(set(keys))
    sizes = [len(part) for part in shards]
    assert max(sizes) - min(sizes) <= 1, sizes  # balanced
    for part in shards:  # each shard keeps the report's order
        assert part == [job for job in jobs if job in part]


def test_shards_do_not_depend_on_the_order_flows_are_given_in():
    jobs = fake_jobs(23)
    shuffled = jobs[:]
    random.Random(7).shuffle(shuffled)
    for index in (1, 2, 3):
        assert {j.key for j in shard(jobs, index, 3)} == {j.key for j in shard(shuffled, index, 3)}


def test_bundled_flows_split_over_two_shards():
    jobs = plan(load_flows([FLOWS]))
    assert len(jobs) == 4
    first, second = shard(jobs, 1, 2), shard(jobs, 2, 2)
    assert len(first) == len(second) == 2
    assert {j.key for j in first} | {j.key for j in second} == {j.key for j in jobs}


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "a/b", "1", "1/2/3", "-1/2", ""])
def test_bad_shards_are_explained(text):
    with pytest.raises(ValueError, match="write I/N with 1 <= I <= N"):
        parse_shard(text)


def test_worker_counts():
    assert parse_workers("3") == 3
    assert parse_workers("auto") >= 1
    for bad in ("0", "-1", "two", ""):
        with pytest.raises(ValueError, match="number of workers"):
            parse_workers(bad)


@pytest.mark.parametrize(
    "argv, words",
    [
        (["check", "-j", "0"], "is not a number of workers"),
        (["check", "--shard", "4/3"], "is not a shard"),
        (["check", "--connect", "localhost:3000"], "is not a browser server address"),
    ],
)
def test_cli_rejects_bad_options_with_exit_2(capsys, argv, words):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert words in error and "Traceback" not in error


def test_a_dead_worker_fails_the_run_instead_of_hanging():
    class Dead:
        name, exitcode = "guide-worker-1", -9

        def is_alive(self) -> bool:
            return False

    def empty(timeout: float) -> None:
        raise queue.Empty

    with pytest.raises(WorkerCrash, match="exit code -9"):
        _collect(3, empty, [Dead()], None)


def test_a_browser_that_goes_away_is_a_clear_error_not_a_drift(monkeypatch, tmp_path):
    """A crashed browser, or a remote server that stops, ends the run with one sentence."""

    def crash(browser, loaded, branch, options):
        browser.close()  # the browser goes away in the middle of the branch
        return check_one(browser, loaded, branch, options)

    monkeypatch.setattr(parallel, "check_one", crash)
    loaded = load_flows([FLOWS])
    with pytest.raises(BrowserLost, match="went away while checking dgfip-mot-de-passe-xt › oublie › methode-1"):
        run_checks(loaded, plan(loaded)[:1], CheckOptions(out=tmp_path), BrowserSource())


def test_a_browser_missing_in_the_workers_is_a_clear_exit_2(tmp_path, capsys):
    code = main(
        ["check", str(FLOWS), "-j", "2", "--browser-path", str(tmp_path / "no-chrome"), "--out", str(tmp_path / "out")]
    )
    assert code == 2
    error = capsys.readouterr().err
    assert "does not exist" in error and "Traceback" not in error


def normalised_junit(path: Path, out: Path) -> list[tuple]:
    """Test cases in order, with what must not depend on -j: names, verdicts, reports."""
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        failure = case.find("failure")
        text = failure.text if failure is not None else ""
        text = re.sub(r"\(python -m playwright show-trace .*\)", "", text.replace(str(out), "OUT"))
        cases.append(
            (
                case.get("classname"),
                case.get("name"),
                failure is not None,
                failure.get("message") if failure is not None else "",
                text,
            )
        )
    return cases


def test_two_workers_give_the_same_report_as_one(tmp_path, capsys):
    """A run with a drifting branch: same order, verdicts, reports and artifacts with -j 1 and -j 2."""
    fixtures = build_variant("hidden-element", tmp_path / "fixtures")
    reports = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        code = main(
            [
                "check",
                str(FLOWS),
                "--fixtures",
                str(fixtures),
                "--timeout",
                "1",
                "-j",
                jobs,
                "--retries",
                "1",
                "--out",
                str(out),
                "--junit",
                str(tmp_path / f"junit-{jobs}.xml"),
            ]
        )
        assert code == 1
        reports[jobs] = normalised_junit(tmp_path / f"junit-{jobs}.xml", out)
        assert (out / "dgfip-mot-de-passe-xt" / "oublie-methode-1" / "attempt-2" / "trace.zip").is_file()
        table = capsys.readouterr().out
        rows = re.findall(r"│ (\S+)\s+│ ([^│]+?)\s+│\s+(\d+) │ (ok|drift)", table)
        reports[f"table-{jobs}"] = [(flow, branch, steps, verdict) for flow, branch, steps, verdict in rows]
    assert reports["1"] == reports["2"]
    assert reports["table-1"] == reports["table-2"]
    assert [case[1] for case in reports["1"]] == [
        "oublie › methode-1",
        "oublie › methode-2",
        "expire › methode-2",
        "main",
    ]
    assert [case[2] for case in reports["1"]] == [True, False, False, False]
    assert "hidden target" in reports["1"][0][3]


def test_shards_of_a_real_run_cover_every_branch_once(tmp_path, capsys):
    names = []
    for index in (1, 2):
        junit = tmp_path / f"junit-{index}.xml"
        code = main(
            ["check", str(FLOWS), "--shard", f"{index}/2", "--junit", str(junit), "--out", str(tmp_path / "out")]
        )
        assert code == 0
        assert f"shard {index}/2: 2 of 4 branches" in capsys.readouterr().out
        names += [(c.get("classname"), c.get("name")) for c in ET.parse(junit).getroot().iter("testcase")]
    assert sorted(names) == sorted(
        [
            ("dgfip-mot-de-passe-xt", "oublie › methode-1"),
            ("dgfip-mot-de-passe-xt", "oublie › methode-2"),
            ("dgfip-mot-de-passe-xt", "expire › methode-2"),
            ("douane-mot-de-passe-portailpro", "main"),
        ]
    )
