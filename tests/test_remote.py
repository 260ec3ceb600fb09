"""Checks through a remote browser server: `python -m playwright run-server`.

The server on this offline machine has no Playwright-installed Chromium, so it is started with
--unsafe and guide sends the system Chromium's path (and its quiet flags) as `executablePath` /
`args` in the `x-playwright-launch-options` header. On a machine where the server has its own
browser (`python -m playwright install chromium`), neither --unsafe nor a path is needed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import psutil
import pytest

from guide.browser import resolve_browser
from guide.cli import main
from guide.parallel import BrowserSource

from .conftest import FLOWS, ROOT

pytest_plugins = ["pytester"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"run-server exited: {server.stdout.read() if server.stdout else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"run-server did not listen on port {port} within {seconds} s")


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, subprocess.Popen]]:
    """A browser server on a free port, in its own process group so all of it can be stopped."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process)
        yield f"ws://127.0.0.1:{port}/", process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """python -m playwright starts node, which starts the browsers: stop that whole group."""
    group = process.pid  # start_new_session made the server the leader of its own group
    os.killpg(group, signal.SIGTERM)
    process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if not any(_alive_in_group(p, group) for p in psutil.process_iter()):
            return
        time.sleep(0.1)
    try:
        os.killpg(group, signal.SIGKILL)  # a node that did not stop in time
    except ProcessLookupError:
        pass


def _alive_in_group(process: psutil.Process, group: int) -> bool:
    try:
        return os.getpgid(process.pid) == group and process.status() != psutil.STATUS_ZOMBIE
    except (ProcessLookupError, psutil.Error):
        return False


@pytest.fixture(scope="module")
def chromium(playwright) -> str:
    executable = resolve_browser(None, playwright).executable
    if executable is None:  # Playwright's own build: the server has one too
        pytest.skip("Playwright's Chromium is installed; this test covers the system-Chromium set-up")
    return executable


def test_the_browser_runs_in_the_server_not_here(server, chromium, playwright):
    endpoint, process = server
    browser = BrowserSource(executable=chromium, connect=endpoint).open(playwright)
    try:
        launched = [p for p in psutil.Process(process.pid).children(recursive=True) if "chrom" in p.name().lower()]
        assert launched, "no browser process under the server"
        page = browser.new_page()
        page.set_content("<h1>distant</h1>")
        assert page.inner_text("h1") == "distant"
    finally:
        browser.close()


def test_guide_check_through_the_server(server, chromium, tmp_path, capsys):
    endpoint, _ = server
    junit = tmp_path / "junit.xml"
    code = main(
        [
            "check",
            str(FLOWS),
            "--connect",
            endpoint,
            "--browser-path",
            chromium,
            "-j",
            "2",
            "--junit",
            str(junit),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0, capsys.readouterr()
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    assert len(cases) == 4 and not any(case.find("failure") is not None for case in cases)


def test_pytest_flows_through_the_server(server, chromium, pytester):
    endpoint, _ = server
    result = pytester.runpytest_subprocess(
        str(FLOWS),
        "--rootdir",
        str(ROOT),
        "-p",
        "no:cacheprovider",
        "-p",
        "no:warnings",
        "--guide-connect",
        endpoint,
        "--guide-browser-path",
        chromium,
        "-o",
        "addopts=",
    )
    result.assert_outcomes(passed=4)


def test_server_problems_are_one_clear_sentence(server, tmp_path, capsys):
    endpoint, _ = server
    port = free_port()  # nobody listens there
    assert main(["check", str(FLOWS), "--connect", f"ws://127.0.0.1:{port}/", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "no browser server answers at" in error and "Traceback" not in error

    missing = "/nonexistent/chromium"  # a path on the server that does not exist
    assert (
        main(["check", str(FLOWS), "--connect", endpoint, "--browser-path", missing, "-j", "2", "--out", str(tmp_path)])
        == 2
    )
    error = capsys.readouterr().err
    assert "has no browser to launch" in error and "Traceback" not in error
