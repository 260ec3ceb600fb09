"""The command line's small verbs: list, schema, doctor, and usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from guide.browser import BrowserNotFound, resolve_browser
from guide.cli import main

from .conftest import FLOWS, guide


def test_list_shows_steps_options_and_branches(capsys):
    assert main(["list", str(FLOWS)]) == 0
    out = capsys.readouterr().out
    for words in (
        "douane-mot-de-passe-portailpro",
        "se-connecter",
        'lien "Se connecter" dans bloc "Mon espace personnel"',
        "methode-2",
        "oublie › methode-1",
        "expire › methode-2",
        "simulé contre les fixtures",
    ):
        assert words in out, words


def test_schema_prints_json(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "target" in schema["$defs"]["Step"]["properties"]


def test_doctor_names_the_browser_and_why():
    done = guide("doctor")
    assert done.returncode == 0
    assert "✓ browser:" in done.stdout and "looked at" in done.stdout


def test_browser_path_that_does_not_exist_is_a_clear_error(tmp_path):
    done = guide("doctor", "--browser-path", str(tmp_path / "no-chrome"))
    assert done.returncode == 2
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr
    try:
        resolve_browser(str(tmp_path / "no-chrome"))
    except BrowserNotFound as error:
        assert "--browser-path" in str(error)
    else:
        raise AssertionError("a missing browser must be refused")


def test_guide_browser_environment_variable_wins(tmp_path):
    fake = tmp_path / "chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    done = guide("doctor", env={"GUIDE_BROWSER": str(fake)})
    assert done.returncode == 0 and f"{fake} — given by GUIDE_BROWSER" in done.stdout


def test_usage_errors_exit_2():
    assert guide().returncode == 2
    assert guide("frobnicate").returncode == 2
    done = guide("check", "--timeout", "soon")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_module_and_console_script_agree():
    done = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "guide"), "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "check" in done.stdout


def test_the_readme_lists_every_verb_with_an_example():
    """The README's verb table is kept true: each verb of `guide --help`, with a `guide VERB` example,
    and each option of `guide check` named somewhere in the README."""
    import argparse

    from guide.cli import build_parser

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    verbs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    for verb in verbs:
        rows = [line for line in readme.splitlines() if line.startswith((f"| `{verb}` |", f"| `{verb} "))]
        assert rows and f"`guide {verb}" in rows[0], f"the README's verb table has no example of `guide {verb}`"
    for action in verbs["check"]._actions:
        names = [name for name in action.option_strings if name not in ("-h", "--help")]
        assert not names or any(f"`{name}" in readme or f" {name} " in readme for name in names), (
            f"`guide check {names[0]}` is not in the README"
        )


def test_what_fails_while_unwinding_a_sigterm_is_a_stop_and_a_stuck_cleanup_still_ends(monkeypatch, capsys):
    """A SIGTERM landing inside Playwright's start leaves it half-built: its unwinding fails
    (seen: AttributeError '_output') or waits forever. guide says « stopped » (143), and ends
    the process once the grace is over (here os._exit is replaced by a marker)."""
    import argparse
    import threading

    from guide import cli

    stopped = threading.Event()
    monkeypatch.setattr(cli, "TERMINATED", threading.Event())
    monkeypatch.setattr(cli, "GRACE_S", 0.05)
    monkeypatch.setattr(cli, "_stop_now", stopped.set)

    def interrupted_mid_start(args: argparse.Namespace) -> int:
        try:
            cli._on_sigterm(15, None)  # the handler, as the signal would run it
        except cli.Terminated:
            raise AttributeError("'NoneType' object has no attribute '_output'") from None
        return 0

    parser = argparse.ArgumentParser()
    parser.set_defaults(run=interrupted_mid_start)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main([]) == 143
    err = capsys.readouterr().err
    assert "stopped (SIGTERM)" in err and "the tool itself failed" not in err, err
    assert stopped.wait(10), "the grace timer ends a cleanup that never returns"
