"""`guide capture`: walk each flow on a local stand-in for the real sites, keep a fixtures tree
that `guide check` replays offline, with no personal value in any saved byte."""

from __future__ import annotations

import argparse
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser

from guide import capture
from guide.capture import CaptureError, CaptureOptions, Exchange, Mapping, build_tree, fixture_name, parse_mapping
from guide.check import CheckOptions, check_flow
from guide.loader import load_flow
from guide.routing import FixtureRouter
from guide.secrets import Values, encodings

from .conftest import FIXTURES, FLOWS, guide
from .mirror_server import MirrorServer

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"
FORGOTTEN = "connexion.douane.gouv.fr/motDePasseOublie.html"
SOMEONE = "dominique.durand@exemple.org"  # a value given with --var instead of the test value


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MirrorServer]:
    """The bundled DSFR pages, served at http://127.0.0.1:PORT/HOST/PATH like a staging mirror."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    with MirrorServer(root) as server:
        yield server


@pytest.fixture(scope="module")
def douane_tree(browser: Browser, site: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("captured") / "fixtures"
    result = capture.capture(browser, load_flow(DOUANE), CaptureOptions(into, [Mapping(None, site.base)]))
    assert not result.drifts, [d.text() for d in result.drifts]
    return into


def personal_forms(flow: Path) -> list[bytes]:
    """Every way the flow's test values can be written down."""
    values = Values.for_fixtures(load_flow(flow).flow).values.values()
    return sorted({form.encode() for value in values for form in encodings(value)}, key=len)


def assert_no_personal_value(tree: Path, flow: Path) -> None:
    forms = personal_forms(flow)
    files = [file for file in tree.rglob("*") if file.is_file()]
    assert files
    for file in files:
        data = file.read_bytes() + file.relative_to(tree).as_posix().encode()
        leaked = [form for form in forms if form in data]
        assert not leaked, f"{file} holds {leaked}"


def assert_replays_offline(browser: Browser, flow: Path, tree: Path, out: Path) -> None:
    results = check_flow(browser, load_flow(flow), CheckOptions(fixtures=tree, out=out, timeout_ms=3000))
    assert results and all(r.passed for r in results), [r.drift.text() for r in results if r.drift]
    assert all(not r.blocked and not r.warnings for r in results), [r.warnings for r in results]


def test_douane_captured_from_a_local_server_replays_offline(browser, douane_tree, site, tmp_path):
    loaded = load_flow(DOUANE)
    for page_id, spec in loaded.flow.pages.items():  # every page of the flow, under its real host name
        assert FixtureRouter(douane_tree).file_for(spec.url.replace("*", "")), page_id
    assert (douane_tree / "connexion.douane.gouv.fr/saml/singleSignOn.html").is_file()  # query dropped
    assert (douane_tree / "connexion.douane.gouv.fr/motDePasseOublie/confirmation.html").is_file()  # a form post
    assert (douane_tree / "cdn.jsdelivr.net/npm/@gouvfr/dsfr@1.15.3/dist/dsfr.min.css").is_file()
    assert any(
        line.startswith("POST /connexion.douane.gouv.fr/motDePasseOublie/confirmation") for line in site.requests
    )
    assert not [file for file in douane_tree.rglob("*") if ".har" in file.name or file.name.startswith(".")]
    assert_no_personal_value(douane_tree, DOUANE)
    assert b"[courriel]" in (douane_tree / "messagerie.exemple.fr/index.html").read_bytes()
    confirmation = (douane_tree / "connexion.douane.gouv.fr/motDePasseOublie/confirmation.html").read_text()
    assert "Reçu : courriel, [courriel]" in confirmation and "courriel=[courriel]" in confirmation  # the echo
    assert_replays_offline(browser, DOUANE, douane_tree, tmp_path / "out")


def test_the_cli_check_passes_offline_on_the_captured_tree(douane_tree, tmp_path):
    done = guide("check", str(DOUANE), "--fixtures", str(douane_tree), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "blocked" not in done.stdout + done.stderr


def test_dgfip_every_branch_captured_and_replayed(browser, site, tmp_path):
    into = tmp_path / "fixtures"
    result = capture.capture(browser, load_flow(DGFIP), CaptureOptions(into, [Mapping(None, site.base)]))
    assert result.branches == ["oublie › methode-1", "oublie › methode-2", "expire › methode-2"]
    assert not result.drifts
    assert "portail.dgfip.finances.gouv.fr/profil.html" in result.written
    assert_no_personal_value(into, DGFIP)
    assert_replays_offline(browser, DGFIP, into, tmp_path / "out")


def run_cli(argv: list[str]) -> int:
    """capture.run in a thread of its own (its Playwright cannot share pytest-playwright's thread)."""
    parser = argparse.ArgumentParser()
    capture.add_arguments(parser)
    args = parser.parse_args(argv)
    outcome: dict[str, int] = {}
    thread = threading.Thread(target=lambda: outcome.update(code=capture.run(args)))
    thread.start()
    thread.join()
    return outcome["code"]


def test_a_page_changed_on_the_site_is_reported_with_the_steps_it_affects(douane_tree, tmp_path, capsys):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES, root)
    page = root / FORGOTTEN
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "Un courriel vous sera envoyé pour confirmer la réinitialisation.",
            "Un courriel vous sera envoyé dans les cinq minutes.",
        ),
        encoding="utf-8",
    )
    into = tmp_path / "fixtures"
    shutil.copytree(douane_tree, into)
    (into / "www.douane.gouv.fr/notes-de-l-equipe.txt").write_text("à garder", encoding="utf-8")
    before = (into / FORGOTTEN).read_bytes()
    with MirrorServer(root) as server:
        assert run_cli([str(DOUANE), "--into", str(into), "--from-url", server.base, "--check"]) == 1
        checked = capsys.readouterr().out
        assert (into / FORGOTTEN).read_bytes() == before  # --check writes nothing
        given = ["--var", f"courriel={SOMEONE}", "--var", f"identifiant={SOMEONE}"]  # one value, as the test values
        assert run_cli([str(DOUANE), "--into", str(into), "--from-url", server.base, *given]) == 0
    out = capsys.readouterr().out
    for text in (checked, out):
        changed = [line for line in text.splitlines() if line.strip().startswith("~")]
        assert len(changed) == 1 and FORGOTTEN in changed[0], text
        for step in ("mot-de-passe-oublie", "choisir-courriel", "saisir-courriel", "reinitialiser"):
            assert re.search(rf"\b{step} \(line \d+\)", changed[0]), changed[0]
        assert "- … Un courriel vous sera envoyé pour confirmer la réinitialisation." in text
        assert "+ … Un courriel vous sera envoyé dans les cinq minutes." in text
        assert "pages: 0 added, 1 changed, 0 removed, 5 unchanged" in text  # the webmail: DIR's own
    assert "wrote 1 file(s)" in out and "deleted nothing" in out
    assert "cinq minutes" in (into / FORGOTTEN).read_text(encoding="utf-8")
    assert (into / "www.douane.gouv.fr/notes-de-l-equipe.txt").read_text(encoding="utf-8") == "à garder"
    assert_no_personal_value(into, DOUANE)
    someone = [form.encode() for form in encodings(SOMEONE)]
    assert not [file for file in into.rglob("*") if file.is_file() and any(f in file.read_bytes() for f in someone)]


# --- without a browser: the layout, the scrubbing, the comparison, bad input ---------------------


@pytest.mark.parametrize(
    ("url", "html", "name"),
    [
        ("https://h.test/", True, "h.test/index.html"),
        ("https://h.test/a/", True, "h.test/a/index.html"),
        ("https://h.test/motDePasseOublie?jeton=1", True, "h.test/motDePasseOublie.html"),
        ("https://h.test/page.php", True, "h.test/page.php.html"),
        ("https://h.test/page.html?x", True, "h.test/page.html"),
        ("https://h.test/css/site.css?v=3", False, "h.test/css/site.css"),
        ("https://h.test/api/donnees", False, "h.test/api/donnees"),
    ],
)
def test_files_are_named_as_routing_finds_them(tmp_path, url, html, name):
    assert fixture_name(url, html) == name
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text("x")
    assert FixtureRouter(tmp_path).file_for(url) == (tmp_path / name).resolve()


def exchange(method: str, url: str, body: str = "<p>page</p>", status: int = 200, redirect: str = "") -> Exchange:
    return Exchange(method, url, status, "text/html; charset=utf-8", body.encode(), redirect)


def test_a_redirect_becomes_a_page_that_moves_on_unless_a_page_answers_there():
    tree = build_tree(
        [
            exchange("POST", "https://h.test/envoyer", "", 303, "https://h.test/merci"),
            exchange("GET", "https://h.test/merci", "<h1>Merci</h1>"),
            exchange("GET", "https://h.test/aller", "", 302, "/ailleurs"),
            exchange("GET", "https://h.test/aller", "<p>ici</p>"),
        ]
    )
    stub = tree.files["h.test/envoyer.html"].data.decode()
    assert 'url=https://h.test/merci"' in stub and 'location.replace("https://h.test/merci")' in stub
    ticket = build_tree([exchange("GET", "https://h.test/sso", "", 302, "https://h.test/retour?ticket=ST-9f8e7d#x")])
    assert "ST-9f8e7d" not in ticket.files["h.test/sso.html"].data.decode()  # routing ignores the query
    assert tree.files["h.test/aller.html"].data == b"<p>ici</p>"  # a page beats a redirect


def test_two_answers_for_one_file_are_reported():
    tree = build_tree(
        [
            exchange("GET", "https://h.test/recherche?q=a", "<p>A</p>"),
            exchange("GET", "https://h.test/recherche?q=b", "<p>B</p>"),
            exchange("GET", "https://h.test/absent", "", 404),
        ]
    )
    assert tree.files["h.test/recherche.html"].data == b"<p>B</p>"
    assert len(tree.clashes) == 1 and "?q=a and GET https://h.test/recherche?q=b" in tree.clashes[0]
    assert tree.skipped == ["GET https://h.test/absent: HTTP 404"]


def test_personal_values_are_scrubbed_in_every_encoding():
    values = Values({"courriel": "camille.martin@exemple.fr", "mot_de_passe": "Douane 2022!ok"}, {"mot_de_passe"})
    body = (
        '<p>camille.martin@exemple.fr</p><a href="/r?c=camille.martin%40exemple.fr&p=Douane+2022%21ok">'
        '<script>var u = {"m": "CAMILLE.MARTIN@EXEMPLE.FR", "p": "Douane 2022!ok"};</script>'
        '<input value="Douane 2022!ok">'
    )
    binary = b"\x00\x01Douane 2022!ok\x02"
    tree = build_tree(
        [
            exchange("GET", "https://h.test/", body),
            Exchange("GET", "https://h.test/police.woff2", 200, "font/woff2", binary),
            exchange("GET", "https://h.test/camille.martin@exemple.fr/profil", "<p>profil</p>"),
        ]
    )
    scrubbed, dropped = capture.scrub(tree, values)
    assert set(tree.files) == {"h.test/index.html", "h.test/[courriel]/profil.html"}
    page = tree.files["h.test/index.html"].data
    assert page.count(b"[courriel]") == 3 and page.count(b"[mot_de_passe]") == 3
    forms = [f.encode() for v in values.values.values() for f in encodings(v) | encodings(v.upper())]
    assert not [f for f in forms if any(f in saved.data for saved in tree.files.values())]
    assert dropped == ["h.test/police.woff2: a personal value sits in a binary file; not saved"]
    assert "h.test/index.html" in scrubbed


def test_a_short_value_is_refused(tmp_path):
    with pytest.raises(CaptureError, match="shorter than 4 characters"):
        capture.check_values(Values({"code": "123"}))


def test_volatile_parts_do_not_make_a_page_changed(tmp_path):
    loaded = load_flow(DOUANE)
    old = (
        '<html><body><form><input type="hidden" name="csrf" value="a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6">'
        '<script nonce="r4nd0m">x()</script><h1>Vous avez oublié votre mot de passe</h1></form></body></html>'
    )
    new = (
        old.replace("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6", "ffffffffffffffffffffffffffffffff0000")
        .replace("r4nd0m", "autre")
        .replace("<h1>", "\n   <h1>")
    )
    (tmp_path / FORGOTTEN).parent.mkdir(parents=True)
    (tmp_path / FORGOTTEN).write_text(old, encoding="utf-8")
    (tmp_path / "connexion.douane.gouv.fr/reinitialisation.html").write_text(old, encoding="utf-8")
    tree = build_tree([exchange("GET", "https://connexion.douane.gouv.fr/motDePasseOublie", new)])
    changes = {c.name: c for c in capture.compare(tree, tmp_path, loaded)}
    assert changes[FORGOTTEN].kind == "unchanged"
    removed = changes["connexion.douane.gouv.fr/reinitialisation.html"]
    assert removed.kind == "removed" and removed.pages == ["reinitialisation"]
    assert [s.split(" ")[0] for s in removed.steps] == [
        "ouvrir-le-courriel",
        "saisir-identifiant",
        "saisir-mot-de-passe",
        "confirmer-mot-de-passe",
        "regles-du-mot-de-passe",
        "valider-nouveau-mot-de-passe",
    ]
    tree = build_tree(
        [exchange("GET", "https://connexion.douane.gouv.fr/motDePasseOublie", new.replace("oublié", "perdu"))]
    )
    changed = {c.name: c for c in capture.compare(tree, tmp_path, loaded)}[FORGOTTEN]
    assert changed.kind == "changed" and changed.diff == [
        "- Vous avez oublié votre mot de passe",
        "+ Vous avez perdu votre mot de passe",
    ]


def test_from_url_maps_every_host_or_one_origin():
    mirror, one = parse_mapping("http://127.0.0.1:8000/"), parse_mapping("https://www.douane.gouv.fr=http://st.test/d")
    assert mirror.fetches("https://cdn.test/a.css?v=1") == "http://127.0.0.1:8000/cdn.test/a.css?v=1"
    assert one.fetches("https://www.douane.gouv.fr/x?y") == "http://st.test/d/x?y"
    assert one.fetches("https://connexion.douane.gouv.fr/x") is None
    assert mirror.real("http://127.0.0.1:8000/h.test/merci", "https") == "https://h.test/merci"
    assert one.real("http://st.test/d/merci", "https") == "https://www.douane.gouv.fr/merci"
    upstream = capture.Upstream([mirror, one])
    assert upstream.target("https://www.douane.gouv.fr/") == "http://st.test/d/"  # an origin's own base first


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([str(DOUANE), "--into", "{tmp}", "--from-url", "ftp://miroir"], "is not a base address"),
        ([str(DOUANE), "--into", "{tmp}", "--from-url", "www.douane.gouv.fr=http://x.test"], "is not an origin"),
        ([str(DOUANE), "--into", "{tmp}", "--var", "inconnue=x"], "--var inconnue: the flow has no such variable"),
        ([str(DOUANE), "--into", "{tmp}", "--var", "courriel=a@b"], "shorter than 4 characters"),
        (["flows/absente.yaml", "--into", "{tmp}"], "flows/absente.yaml:1:1: cannot read the flow"),
    ],
    ids=["base", "origin", "unknown-var", "short-value", "missing-flow"],
)
def test_bad_input_exits_2_before_any_browser(tmp_path, capsys, argv, message):
    parser = argparse.ArgumentParser()
    capture.add_arguments(parser)
    assert capture.run(parser.parse_args([a.replace("{tmp}", str(tmp_path)) for a in argv])) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


# --- guide live --capture: the person's own walk ---------------------------------------------------------


def test_live_capture_keeps_the_walk_scrubbed_of_what_the_person_typed_and_never_their_webmail(browser, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from guide.live import LiveOptions, run_live

    from .test_live import SimulatedPerson

    class TypesTheirOwnAddress(SimulatedPerson):
        """Reads their mail in the guide's browser, and types their own address, not the test value."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.values["courriel"] = SOMEONE

    # the "site": the bundled pages, where the person's own webmail also shows their photo, from
    # the very CDN the flow's pages use (a non-HTML file of a host the flow needs)
    root = tmp_path / "site"
    shutil.copytree(FIXTURES, root)
    real_inbox = root / "messagerie.exemple.fr" / "index.html"
    photo = '<img alt="" src="https://cdn.jsdelivr.net/npm/avatars/camille.png">'
    real_inbox.write_text(real_inbox.read_text(encoding="utf-8").replace("</h1>", "</h1>" + photo, 1), "utf-8")
    (root / "cdn.jsdelivr.net/npm/avatars").mkdir(parents=True)
    (root / "cdn.jsdelivr.net/npm/avatars/camille.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    into = tmp_path / "fixtures"
    webmail = into / "messagerie.exemple.fr"
    shutil.copytree(FIXTURES / "messagerie.exemple.fr", webmail)  # the author's stand-in for any webmail
    inbox = webmail / "index.html"  # unlike the mail the person reads on the "site": kept as it is
    inbox.write_text(
        inbox.read_text(encoding="utf-8").replace("</h1>", "</h1><p>Boîte de démonstration.</p>", 1), "utf-8"
    )
    before = {file: file.read_bytes() for file in webmail.rglob("*") if file.is_file()}
    person = TypesTheirOwnAddress(load_flow(DOUANE), {}, tmp_path / "shots", mailbox="https://messagerie.exemple.fr/")
    with MirrorServer(root) as site, ThreadPoolExecutor(max_workers=1) as pool:  # its own Playwright
        options = LiveOptions(headless=True, wait_s=10, capture=CaptureOptions(into, [Mapping(None, site.base)]))
        outcome = pool.submit(run_live, load_flow(DOUANE), options, person).result()
    assert outcome.finished and not outcome.drifts, person.seen
    captured = outcome.captured
    assert captured is not None and not captured.not_captured, captured.warnings
    assert "connexion.douane.gouv.fr/motDePasseOublie/confirmation.html" in captured.written  # the form post
    assert "GET /cdn.jsdelivr.net/npm/avatars/camille.png" in site.requests, "the mail was read, photo and all"
    assert not [name for name in captured.written if name.startswith("messagerie.exemple.fr") or "avatars" in name]
    assert {file: file.read_bytes() for file in webmail.rglob("*") if file.is_file()} == before
    forms = sorted({form.encode() for form in encodings(SOMEONE)}, key=len)
    for file in (file for file in into.rglob("*") if file.is_file()):
        data = file.read_bytes() + file.relative_to(into).as_posix().encode()
        assert not [form for form in forms if form in data], f"{file} holds what the person typed"
    confirmation = (into / "connexion.douane.gouv.fr/motDePasseOublie/confirmation.html").read_text()
    assert "[courriel]" in confirmation  # the page echoed the address: scrubbed, not dropped
    assert_replays_offline(browser, DOUANE, into, tmp_path / "out")


def test_live_capture_and_fixtures_do_not_go_together(tmp_path):
    done = guide("live", str(DOUANE), "--fixtures", str(FIXTURES), "--capture", str(tmp_path / "x"), "--headless")
    assert done.returncode == 2 and "--capture keeps the site's pages" in done.stderr, done.stderr
    done = guide("live", str(DOUANE), "--from-url", "http://127.0.0.1:9/", "--headless")
    assert done.returncode == 2 and "--from-url goes with --capture" in done.stderr, done.stderr
    done = guide("live", str(DOUANE), "--capture", str(tmp_path / "x"), "--from", "saisir-courriel", "--headless")
    assert done.returncode == 2 and "--capture needs the whole procedure" in done.stderr, done.stderr


def test_only_what_the_flows_pages_asked_for_is_kept():
    flow = load_flow(DOUANE).flow
    on_flow = capture.on_flow_host(flow)
    assert on_flow("https://connexion.douane.gouv.fr/x") and not on_flow("https://messagerie.exemple.fr/")

    def answer(url: str, mime: str = "text/css", status: int = 200) -> Exchange:
        return Exchange("GET", url, status, mime, b"")

    walk = [
        answer("https://www.douane.gouv.fr/", "text/html"),  # a page of the flow
        answer("https://cdn.jsdelivr.net/dsfr.min.css"),  # loaded while the tab showed it
        answer("https://sso.example.org/login", "text/html", 302),  # a hop on the way to a flow page
        answer("https://elsewhere.example.org/page", "text/html"),  # a page off the flow, even from a flow tab
        answer("https://webmail.example.org/inbox", "text/html"),  # asked by another tab
        answer("https://cdn.jsdelivr.net/webmail.css"),  # the same CDN, asked by the webmail's tab
    ]
    asked = {("GET", e.url) for e in walk[:4]}  # what LiveRecording.note saw flow tabs ask for
    kept, left_out = capture.kept_for_the_flow(walk, asked, on_flow)
    assert [e.url for e in kept] == [walk[0].url, walk[1].url, walk[2].url]
    assert left_out == 3


def test_a_host_pattern_of_the_flows_pages_is_a_host_of_the_flow(tmp_path):
    flow = tmp_path / "motif.yaml"
    flow.write_text(
        DOUANE.read_text(encoding="utf-8").replace("https://www.douane.gouv.fr/", "https://*.douane.gouv.fr/", 1),
        encoding="utf-8",
    )
    on_flow = capture.on_flow_host(load_flow(flow).flow)
    assert on_flow("https://www.douane.gouv.fr/") and on_flow("https://recette.douane.gouv.fr/")


def test_a_value_sent_by_a_form_is_found_by_its_fields_name():
    sent = Exchange("POST", "https://x.example/envoi", 200, "text/html", b"", sent=(("mail", SOMEONE), ("t", "1")))
    assert capture.from_forms([sent], {"courriel": "mail", "identifiant": "login"}) == {"courriel": SOMEONE}


def test_a_live_walk_left_before_the_end_writes_nothing(tmp_path):
    into = tmp_path / "fixtures"
    recording = capture.LiveRecording.into(CaptureOptions(into), tmp_path, load_flow(DOUANE).flow)
    result = recording.finish(load_flow(DOUANE), False, {"courriel": SOMEONE}, {})
    assert result.not_captured == "the procedure was not finished: nothing captured"
    assert not into.exists() and not result.written


def test_a_walk_that_writes_nothing_still_masks_what_was_typed_in_its_report(tmp_path):
    recording = capture.LiveRecording.into(CaptureOptions(tmp_path / "fixtures"), tmp_path, load_flow(DOUANE).flow)
    recording.upstream.failures.append(f"GET https://x.example/envoi?courriel={quote(SOMEONE)}: no answer")
    result = recording.finish(load_flow(DOUANE), False, {"courriel": SOMEONE}, {})
    assert result.warnings and not [w for w in result.warnings if quote(SOMEONE) in w or SOMEONE in w]


def test_a_value_is_scrubbed_as_a_site_may_write_it_back():
    values = Values({"nom": "camille martin", "portable": "06 12 34 56 78"})
    page = "<p>Bonjour Camille Martin</p><p>SMS au 0612345678 (06.12.34.56.78)</p>"
    tree = build_tree([exchange("GET", "https://h.test/", page)])
    capture.scrub(tree, values)
    saved = tree.files["h.test/index.html"].data.decode()
    assert "Camille" not in saved and "0612345678" not in saved, saved


def test_a_value_sent_by_a_script_as_json_is_found_by_its_fields_name(tmp_path):
    import json

    entry = {
        "request": {
            "method": "POST",
            "url": "https://x.example/api/envoi",
            "queryString": [],
            "postData": {"mimeType": "application/json", "text": json.dumps({"contact": {"mail": SOMEONE}})},
        },
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}},
    }
    har = tmp_path / "walk.har"
    har.write_text(json.dumps({"log": {"entries": [entry]}}), encoding="utf-8")
    assert capture.from_forms(capture.read_har(har), {"courriel": "mail"}) == {"courriel": SOMEONE}
