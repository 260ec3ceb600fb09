"""`guide shots` in a real headless Chromium: stable files, only real changes, masked secrets."""

from __future__ import annotations

import shutil
import textwrap
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from guide.gallery import OWNED
from guide.loader import load_flow, load_flows
from guide.manifest import NAME as MANIFEST
from guide.numbering import number_steps
from guide.pixels import compare
from guide.shots import ShotOptions, run
from guide.tree import branches, walk

from .conftest import FIXTURES, FLOWS
from .drift.dsfr_variants import build_variant
from .threaded import BrowserThread, cli

DOUANE = FLOWS / "douane-mot-de-passe-portailpro.yaml"
DGFIP = FLOWS / "dgfip-mot-de-passe-xt.yaml"
FORGOT_PAGE = "connexion.douane.gouv.fr/motDePasseOublie.html"
ON_FORGOT_PAGE = {"03-choisir-courriel.png", "04-saisir-courriel.png", "05-reinitialiser.png"}


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder`: modification time (ns) and bytes."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def shoot(browser, flows: list[Path], out: Path, fixtures: Path = FIXTURES, **options):
    return run(browser, load_flows([str(f) for f in flows]), ShotOptions(out=out, fixtures=fixtures, **options))


@pytest.fixture(scope="module")
def pilot():
    runner = BrowserThread()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def douane_shots(pilot, tmp_path_factory) -> Path:
    """The douane flow shot once, for tests to copy and compare against."""
    out = tmp_path_factory.mktemp("douane") / "screenshots"
    result = pilot.run(shoot, [DOUANE], out)
    assert not result.drifted and result.total("new") == 16
    return out


# --- naming (no browser) ---------------------------------------------------------------------


def test_names_follow_document_order_and_shared_steps_have_one_file():
    flow = load_flow(DGFIP).flow
    names = [number.file_name for number in number_steps(flow).values()]
    assert names[:4] == [
        "01-expire.png",
        "02-methode.png",
        "03-mot-de-passe-xt-oublie.png",
        "04-saisir-identifiant-xt.png",
    ]
    assert "08-ecrire-ddfip.png" in names and "10-saisir-identifiant.png" in names
    assert names[-1] == "20-saisir-une-sollicitation.png"
    assert len(names) == len(set(names)) and all(OWNED.match(n) for n in names)
    # every branch walks through the shared steps under the same file names
    numbers = number_steps(flow)
    shared = set.intersection(
        *({numbers[n.path].file_name for n in walk(flow.steps, dict(b.answers))} for b in branches(flow))
    )
    assert {"01-expire.png", "10-saisir-identifiant.png", "20-saisir-une-sollicitation.png"} <= shared
    assert "03-mot-de-passe-xt-oublie.png" not in shared


def test_simulated_steps_take_their_parents_number_and_a_letter():
    names = [number.file_name for number in number_steps(load_flow(DOUANE).flow).values()]
    assert names[6:10] == [
        "07-ouvrir-le-courriel.png",
        "07a-messagerie.png",
        "07b-message-reinitialisation.png",
        "07c-lien-de-reinitialisation.png",
    ]


def test_compare_counts_pixels_beyond_the_tolerance():
    old = Image.new("RGBA", (20, 10), (200, 200, 200, 255))
    new = old.copy()
    new.putpixel((3, 3), (190, 200, 200, 255))  # a faint change
    new.putpixel((5, 5), (0, 0, 0, 255))  # a strong one
    assert compare(old, old).differing == 0
    assert compare(old, new).differing == 2
    assert compare(old, new, tolerance=0.1).differing == 1
    grown = compare(old, Image.new("RGBA", (20, 12), (200, 200, 200, 255)), want_diff=True)
    assert grown.differing == 40 and grown.diff is not None and grown.diff.size == (20, 12)


# --- stable files ----------------------------------------------------------------------------


def test_a_second_run_changes_no_file(pilot, douane_shots, tmp_path):
    out = tmp_path / "screenshots"
    shutil.copytree(douane_shots, out)
    before = snapshot(out)
    result = pilot.run(shoot, [DOUANE], out)
    assert not result.drifted
    assert (result.total("new"), result.total("changed"), result.total("unchanged")) == (0, 0, 16)
    assert snapshot(out) == before  # same bytes, same modification times


def test_a_changed_label_changes_exactly_the_affected_screenshots(pilot, douane_shots, tmp_path, capsys):
    out = tmp_path / "screenshots"
    shutil.copytree(douane_shots, out)
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    page = fixtures / FORGOT_PAGE
    html = page.read_text(encoding="utf-8")
    crumb = '<a class="fr-breadcrumb__link" aria-current="page">Vous avez oublié votre mot de passe</a>'
    assert html.count(crumb) == 1
    page.write_text(
        html.replace(crumb, crumb.replace("Vous avez oublié votre mot de passe", "Mot de passe oublié")),
        encoding="utf-8",
    )
    before = snapshot(out)
    folder = out / "douane-mot-de-passe-portailpro"
    args = ["shots", str(DOUANE), "--out", str(out), "--fixtures", str(fixtures)]

    # --check: exit 1, the three screenshots of that page reported, a diff image beside each
    assert cli([*args, "--check"]) == 1
    printed = capsys.readouterr().out
    for name in ON_FORGOT_PAGE:
        assert name in printed
    diffs = {p.name for p in folder.glob("*.diff.png")}
    assert diffs == {n.replace(".png", ".diff.png") for n in ON_FORGOT_PAGE}
    assert {k: v for k, v in snapshot(out).items() if not k.endswith(".diff.png")} == before
    with Image.open(folder / "03-choisir-courriel.diff.png") as diff:
        assert diff.size == (1280, 720)

    # a tolerant check passes
    assert cli([*args, "--check", "--max-diff-pixels", "1000000"]) == 0
    capsys.readouterr()

    # writing: exactly those three files change; the diff images go
    assert cli(args) == 0
    assert "0 new, 3 changed, 13 unchanged, 0 removed" in capsys.readouterr().out
    after = snapshot(out)
    changed = {Path(k).name for k in after if after[k] != before.get(k)}
    assert changed == ON_FORGOT_PAGE | {MANIFEST}  # and the manifest records what guide now wrote
    assert set(after) == set(before)


def test_a_drifting_flow_leaves_its_screenshots_as_they_were(douane_shots, tmp_path, capsys):
    out = tmp_path / "screenshots"
    shutil.copytree(douane_shots, out)
    before = snapshot(out)
    fixtures = build_variant("renamed-button", tmp_path / "fixtures")
    code = cli(
        ["shots", str(DOUANE), "--out", str(out), "--fixtures", str(fixtures), "--results", str(tmp_path / "results")]
    )
    printed = capsys.readouterr().out
    assert code == 1
    assert "step 'reinitialiser': missing target" in printed and "douane-mot-de-passe-portailpro.yaml:" in printed
    assert "fix:" in printed and "trace:" in printed  # the check's report, with its artifacts
    assert snapshot(out) == before


# --- secrets ---------------------------------------------------------------------------------


SECRET_MAIL, SECRET_PASSWORD = "camille@exemple.fr", "Secret-2026!"

FORM = textwrap.dedent("""\
    <!DOCTYPE html>
    <html lang="fr"><head><meta charset="utf-8"><title>Formulaire</title>
    <style>
     body { margin: 0; font: 16px/1.2 sans-serif; }
     h1 { position: absolute; left: 40px; top: 0; margin: 10px 0; }
     #qui { position: absolute; left: 40px; top: 60px; margin: 0; }
     #qui span { font-family: monospace; }
     .champ { position: absolute; left: 40px; }
     label { display: block; height: 24px; }
     input { box-sizing: border-box; width: 300px; height: 40px; margin: 0; border: 1px solid #666; }
     button { position: absolute; left: 900px; top: 600px; width: 120px; height: 40px; }
    </style></head>
    <body>
     <h1>Connexion</h1>
     <p id="qui">Connecté : <span>MAIL</span></p>
     <div class="champ" style="top: 120px"><label for="courriel">Courriel</label><input id="courriel" type="email"></div>
     <div class="champ" style="top: 220px"><label for="mdp">Mot de passe</label><input id="mdp" type="password"></div>
     <button type="button">BUTTON</button>
    </body></html>
    """)

FORM_FLOW = textwrap.dedent("""\
    version: 1
    id: formulaire
    title: Se connecter au formulaire
    source: {title: Test}
    audience: Les tests.
    start: accueil
    pages:
      accueil: {url: "https://formulaire.exemple.fr/", heading: Connexion}
    variables:
      courriel: {label: Courriel, test: "MAIL"}
      mot_de_passe: {label: Mot de passe, test: "PASSWORD"}
    steps:
      - id: saisir-courriel
        instruction: Saisissez votre courriel.
        target: label "Courriel"
        action: fill
        value: "{courriel}"
      - id: saisir-mot-de-passe
        instruction: Saisissez votre mot de passe.
        target: label "Mot de passe"
        action: fill
        value: "{mot_de_passe}"
      - id: valider
        instruction: Cliquez sur « Valider ».
        target: button "Valider"
        action: expect
    """)


def form_setup(
    root: Path, button: str = "Valider", mail: str = SECRET_MAIL, password: str = SECRET_PASSWORD
) -> tuple[Path, Path]:
    """A form whose page shows the e-mail, and a flow filling it with secret test values."""
    fixtures = root / "fixtures"
    (fixtures / "formulaire.exemple.fr").mkdir(parents=True)
    page = FORM.replace("BUTTON", button).replace("MAIL", mail)
    (fixtures / "formulaire.exemple.fr" / "index.html").write_text(page, encoding="utf-8")
    flow = root / "formulaire.yaml"
    flow.write_text(FORM_FLOW.replace("MAIL", mail).replace("PASSWORD", password), encoding="utf-8")
    return flow, fixtures


def uniform(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    colours = image.crop(box).convert("RGB").getcolors(maxcolors=4)
    return colours is not None and len(colours) == 1


def all_bytes(folder: Path) -> bytes:
    """Every file under `folder`, zip members unpacked (traces)."""
    chunks = []
    for file in folder.rglob("*"):
        if file.is_file():
            chunks.append(file.read_bytes())
            if file.suffix == ".zip":
                with zipfile.ZipFile(file) as archive:
                    chunks += [archive.read(item) for item in archive.infolist()]
    return b"\n".join(chunks)


def test_secrets_are_masked_with_solid_boxes_and_never_written(tmp_path, capsys):
    flow, fixtures = form_setup(tmp_path)
    out = tmp_path / "screenshots"
    assert cli(["shots", str(flow), "--out", str(out), "--fixtures", str(fixtures)]) == 0
    printed = capsys.readouterr()
    folder = out / "formulaire"
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-saisir-courriel.png",
        "02-saisir-mot-de-passe.png",
        "03-valider.png",
    ]
    with Image.open(folder / "03-valider.png") as shot:
        assert shot.size == (1280, 720)
        assert uniform(shot, (42, 146, 338, 182)), "the e-mail field is under a solid box"
        assert uniform(shot, (42, 246, 338, 282)), "the password field is under a solid box"
        assert uniform(shot, (130, 62, 250, 76)), "the e-mail shown in the page is under a solid box"
        assert not uniform(shot, (40, 60, 130, 78)), "the words before it are not"
    with Image.open(folder / "01-saisir-courriel.png") as first:
        assert uniform(first, (130, 62, 250, 76)), "a secret the page shows is masked from the first step"
        assert not uniform(first, (40, 145, 340, 160)), "an empty field stays visible"
    secret = (SECRET_MAIL, SECRET_PASSWORD)
    for text in (printed.out, printed.err):
        assert not any(s in text for s in secret)
    written = all_bytes(out)
    assert not any(s.encode() in written for s in secret)

    # Other secrets of the same length give the very same pixels: nothing of them shows.
    other = tmp_path / "other"
    mail, password = "dorian@exemple.com", "Autre-1999?!"
    assert (len(mail), len(password)) == (len(SECRET_MAIL), len(SECRET_PASSWORD))  # shown in monospace
    flow, fixtures = form_setup(other, mail=mail, password=password)
    assert cli(["shots", str(flow), "--out", str(other / "screenshots"), "--fixtures", str(fixtures)]) == 0
    capsys.readouterr()
    for name in ("01-saisir-courriel.png", "02-saisir-mot-de-passe.png", "03-valider.png"):
        with Image.open(folder / name) as mine, Image.open(other / "screenshots" / "formulaire" / name) as theirs:
            assert compare(mine.convert("RGBA"), theirs.convert("RGBA")).differing == 0, name


MODAL = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Compte</title>
<style>body { margin: 0; font: 16px sans-serif; } b { font-family: monospace; }</style></head>
<body><h1>Compte</h1>
<dialog id="d"><p>Votre identifiant : <b>SECRET</b></p><button>Fermer</button></dialog>
<script>document.getElementById("d").showModal();</script></body></html>
"""
MODAL_FLOW = """version: 1
id: fenetre
title: Fenêtre
source: {title: Test}
audience: Les tests.
start: compte
pages:
  compte: {url: "https://fenetre.exemple.fr/", title: Compte}
variables:
  identifiant: {label: Identifiant, test: "SECRET"}
steps:
  - id: fermer
    instruction: Fermez la fenêtre.
    target: button "Fermer"
    action: click
"""


def test_a_secret_in_a_modal_dialog_is_masked_too(tmp_path, capsys):
    """The page's own top layer (a modal <dialog>) holds the secret: the mask goes above it."""
    shots = []
    for secret in ("jdupont-xt", "mleroy-bxt"):  # same length, shown in monospace
        root = tmp_path / secret
        (root / "fixtures" / "fenetre.exemple.fr").mkdir(parents=True)
        (root / "fixtures" / "fenetre.exemple.fr" / "index.html").write_text(
            MODAL.replace("SECRET", secret), encoding="utf-8"
        )
        (root / "fenetre.yaml").write_text(MODAL_FLOW.replace("SECRET", secret), encoding="utf-8")
        assert (
            cli(["shots", str(root / "fenetre.yaml"), "--out", str(root / "out"), "--fixtures", str(root / "fixtures")])
            == 0
        )
        shots.append(root / "out" / "fenetre" / "01-fermer.png")
    capsys.readouterr()
    with Image.open(shots[0]) as first, Image.open(shots[1]) as second:
        assert compare(first.convert("RGBA"), second.convert("RGBA")).differing == 0


def test_a_drift_report_and_its_artifacts_hold_no_secret(tmp_path, capsys):
    flow, fixtures = form_setup(tmp_path, button="Envoyer")
    out, results = tmp_path / "screenshots", tmp_path / "results"
    assert cli(["shots", str(flow), "--out", str(out), "--fixtures", str(fixtures), "--results", str(results)]) == 1
    printed = capsys.readouterr()
    assert "missing target" in printed.out and "Envoyer" in printed.out
    assert not (out / "formulaire").exists(), "a drifting flow writes no screenshot"
    assert list(results.rglob("trace.zip")), "the check's trace is kept"
    everything = printed.out + printed.err
    assert SECRET_MAIL not in everything and SECRET_PASSWORD not in everything
    written = all_bytes(results)
    assert SECRET_MAIL.encode() not in written and SECRET_PASSWORD.encode() not in written


def test_files_that_only_look_like_guides_stay(tmp_path, capsys):
    """Named like a screenshot or a diff image, but not written by guide: never removed."""
    flow, fixtures = form_setup(tmp_path)
    folder = tmp_path / "screenshots" / "formulaire"
    folder.mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(folder / "09-ancienne-etape.png")
    Image.new("RGB", (4, 4)).save(folder / "01-saisir-courriel.diff.png")
    (folder / "LISEZMOI.txt").write_text("à garder", encoding="utf-8")
    args = ["shots", str(flow), "--out", str(tmp_path / "screenshots"), "--fixtures", str(fixtures)]
    assert cli([*args, "--check"]) == 1  # three missing
    assert "missing" in capsys.readouterr().out
    assert cli([*args, "--prune"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "01-saisir-courriel.diff.png",
        "01-saisir-courriel.png",
        "02-saisir-mot-de-passe.png",
        "03-valider.png",
        "09-ancienne-etape.png",
        "LISEZMOI.txt",
    ]
    assert cli([*args, "--check"]) == 0


def test_bad_input_exits_2_without_traceback(tmp_path, capsys):
    flow, fixtures = form_setup(tmp_path)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli(["shots", str(flow), "--out", str(tmp_path / "file"), "--fixtures", str(fixtures)]) == 2
    assert cli(["shots", str(tmp_path / "missing.yaml"), "--out", str(tmp_path)]) == 2
    assert cli(["shots", str(flow), "--out", str(tmp_path), "--threshold", "3"]) == 2
    assert cli(["shots", str(flow)]) == 2  # --out is required
    assert "Traceback" not in capsys.readouterr().err


# --- never touch what guide did not write --------------------------------------------------------


def test_files_guide_did_not_write_are_never_replaced_or_removed(tmp_path, capsys):
    flow, fixtures = form_setup(tmp_path)
    out = tmp_path / "screenshots"
    folder = out / "formulaire"
    folder.mkdir(parents=True)
    cover, annex = folder / "00-couverture.png", folder / "99-annexe.png"  # a writer's own pictures
    for own in (cover, annex):
        Image.new("RGB", (4, 4), "red").save(own)
    mine = {own: own.read_bytes() for own in (cover, annex)}
    args = ["shots", str(flow), "--out", str(out), "--fixtures", str(fixtures)]
    assert cli(args) == 0
    assert cli([*args, "--prune"]) == 0
    assert {own: own.read_bytes() for own in (cover, annex)} == mine

    # a screenshot edited by hand is kept (and said so) until --force
    edited = folder / "01-saisir-courriel.png"
    Image.new("RGB", (1280, 720), "white").save(edited)
    capsys.readouterr()
    assert cli(args) == 0
    printed = capsys.readouterr().out
    assert "kept" in printed and "01-saisir-courriel.png" in printed
    with Image.open(edited) as image:
        assert image.getpixel((640, 700)) == (255, 255, 255)
    assert cli([*args, "--force"]) == 0
    with Image.open(edited) as image:
        assert image.getpixel((640, 700)) != (255, 255, 255)


def test_screenshots_of_removed_steps_go_only_with_prune(tmp_path, capsys):
    flow, fixtures = form_setup(tmp_path)
    out = tmp_path / "screenshots"
    args = ["shots", str(flow), "--out", str(out), "--fixtures", str(fixtures)]
    assert cli(args) == 0
    text = flow.read_text(encoding="utf-8")
    flow.write_text(text[: text.index("  - id: valider")], encoding="utf-8")  # the last step is gone
    capsys.readouterr()
    assert cli(args) == 0
    assert "obsolete" in capsys.readouterr().out
    assert (out / "formulaire" / "03-valider.png").is_file()
    assert cli([*args, "--prune"]) == 0
    assert not (out / "formulaire" / "03-valider.png").exists()
    assert "1 removed" in capsys.readouterr().out
