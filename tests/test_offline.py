"""Offline means offline: a check answers from the fixtures, refuses the rest and says so.

The probes are pages that try every way out a browser offers, aimed at a logging server on
127.0.0.1 that must receive nothing; and the whole bundled check runs in a network namespace
with no network at all and gives the same result.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from guide.check import CheckOptions
from guide.loader import load_flows
from guide.parallel import BrowserSource, plan, run_checks
from guide.routing import FixtureRouter

from .conftest import FIXTURES, FLOWS, guide

PROBE_FLOW = """\
version: 1
id: sonde
title: Sonde
source: {title: Sonde}
audience: les tests
start: accueil
pages:
  accueil: {url: "https://probe.test/", heading: Sonde}
steps:
  - id: voir
    instruction: Regardez la page.
    target: heading "Sonde"
    action: expect
"""


class Listener:
    """TCP and UDP on one loopback port; records whatever arrives."""

    def __init__(self) -> None:
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(50)
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.received: list[str] = []
        for target in (self._accept, self._datagrams):
            threading.Thread(target=target, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.tcp.accept()
            except OSError:
                return
            self.received.append("tcp")
            connection.close()

    def _datagrams(self) -> None:
        while True:
            try:
                self.udp.recvfrom(4096)
            except OSError:
                return
            self.received.append("udp")

    def close(self) -> None:
        self.tcp.close()
        self.udp.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def probe_page(port: int) -> str:
    to = f"http://127.0.0.1:{port}"
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Sonde</title>
<link rel="dns-prefetch" href="https://fuite-dns.example">
<link rel="preconnect" href="{to}/preconnect">
<script type="speculationrules">{{"prefetch": [{{"source": "list", "urls": ["{to}/prefetch"]}}],
 "prerender": [{{"source": "list", "urls": ["{to}/prerender"]}}]}}</script>
</head><body><h1>Sonde</h1><a href="{to}/lien">lien</a><img src="{to}/image" alt="">
<script>
try {{ new WebSocket("ws://127.0.0.1:{port}/ws"); }} catch (e) {{}}
try {{ const peer = new RTCPeerConnection({{iceServers: [{{urls: "stun:127.0.0.1:{port}"}}]}});
      peer.createDataChannel("x"); peer.createOffer().then(offer => peer.setLocalDescription(offer)); }} catch (e) {{}}
try {{ new SharedWorker(URL.createObjectURL(new Blob(["fetch('{to}/worker')"], {{type: "text/javascript"}}))); }}
catch (e) {{}}
navigator.sendBeacon("{to}/beacon", "x");
fetch("{to}/fetch").then(() => document.title = "done", () => document.body.dataset.fetched = "refused");
fetch("https://../secret.txt").catch(() => 0);
</script></body></html>"""


def write_probe(root: Path, port: int) -> tuple[Path, Path]:
    fixtures = root / "fixtures"
    (fixtures / "probe.test").mkdir(parents=True)
    (fixtures / "probe.test" / "index.html").write_text(probe_page(port), encoding="utf-8")
    (root / "secret.txt").write_text("SECRET-ABOVE-THE-FIXTURES", encoding="utf-8")
    flow = root / "sonde.yaml"
    flow.write_text(PROBE_FLOW, encoding="utf-8")
    return flow, fixtures


def test_a_page_cannot_reach_anything_and_every_attempt_is_reported(tmp_path, listener):
    flow, fixtures = write_probe(tmp_path, listener.port)
    loaded = load_flows([flow])
    # the browser guide launches itself (offline switches), as `guide check` does
    [result] = run_checks(loaded, plan(loaded), CheckOptions(fixtures=fixtures, out=tmp_path / "out"), BrowserSource())
    assert result.passed, result.drift and result.drift.text()  # the page itself matches the flow
    assert listener.received == [], f"the loopback server was reached: {listener.received}"
    blocked = "\n".join(result.blocked)
    to = f"127.0.0.1:{listener.port}"
    for attempt in (
        "dns-prefetch https://fuite-dns.example",
        f"preconnect http://{to}/preconnect",
        f"speculation rules http://{to}/prefetch",
        f"speculation rules http://{to}/prerender",
        f"WebSocket ws://{to}/ws",
        f"WebRTC peer stun:{to}",
        "SharedWorker blob:",
        f"GET http://{to}/image",
        f"POST http://{to}/beacon",
        f"GET http://{to}/fetch",
        "GET https://../secret.txt (refused: host name '..' is not valid)",
    ):
        assert attempt in blocked, f"{attempt!r} not reported:\n{blocked}"
    # the console groups them by host, with the first of each
    assert any(line.startswith("blocked 7 requests to 127.0.0.1") for line in result.warnings), result.warnings


def test_the_command_line_says_what_was_refused_and_serves_nothing_above_the_fixtures(tmp_path, listener):
    flow, fixtures = write_probe(tmp_path, listener.port)
    done = guide("check", str(flow), "--fixtures", str(fixtures), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert listener.received == []
    assert "GET https://../secret.txt (refused: host name '..' is not valid)" in done.stdout  # one line, unwrapped
    assert "SECRET-ABOVE-THE-FIXTURES" not in done.stdout + done.stderr


def test_routing_never_serves_outside_the_host_folder(tmp_path):
    fixtures = tmp_path / "fixtures"
    (fixtures / "site.test").mkdir(parents=True)
    (fixtures / "site.test" / "index.html").write_text("ok", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (fixtures / "site.test" / "lien").symlink_to(tmp_path / "secret.txt")
    (fixtures / "ailleurs.test").symlink_to(tmp_path, target_is_directory=True)
    (fixtures / "site.test" / "interne").symlink_to(fixtures / "site.test" / "index.html")
    router = FixtureRouter(fixtures)
    assert router.file_for("https://site.test/") == (fixtures / "site.test" / "index.html").resolve()
    assert router.file_for("https://site.test/interne") is not None  # a link inside the folder is fine
    for url in (
        "https://../secret.txt",
        "https://site.test/lien",
        "https://ailleurs.test/secret.txt",
        "https://site.test/%2e%2e/%2e%2e/secret.txt",
        "https://site.test/a%00b",
        "https://site.test/" + "x" * 300,
        "https://site.test/..%2f..%2fsecret.txt",
    ):
        assert router.file_for(url) is None, url


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root and unshare")
def test_the_bundled_check_passes_the_same_with_no_network_at_all(tmp_path):
    """`unshare -n`: a network namespace with no interface up, not even loopback."""
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow new network namespaces")
    args = [
        sys.executable,
        "-m",
        "guide",
        "check",
        str(FLOWS),
        "--fixtures",
        str(FIXTURES),
        "--out",
        str(tmp_path / "out"),
    ]
    offline = subprocess.run(["unshare", "-n", *args], capture_output=True, text=True, timeout=600)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert "All " in offline.stdout and "branches match the pages" in offline.stdout


def test_an_installed_chrome_or_edge_gets_the_same_offline_switches():
    """`guide live --channel chrome --fixtures …` launches through guide.browser.launch too."""
    from types import SimpleNamespace

    from guide.browser import OFFLINE_ARGS, QUIET_ARGS, launch

    asked: dict = {}

    class Launched:  # what Playwright returns: only kept as a key by guide
        pass

    fake = SimpleNamespace(
        selectors=SimpleNamespace(register=lambda *args, **kwargs: None),
        chromium=SimpleNamespace(launch=lambda **kwargs: asked.update(kwargs) or Launched()),
    )
    launch(fake, None, headless=False, offline=True, channel="chrome")
    assert asked["channel"] == "chrome" and asked["executable_path"] is None
    assert all(arg in asked["args"] for arg in QUIET_ARGS + OFFLINE_ARGS)
