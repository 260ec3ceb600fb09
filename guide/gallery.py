# Deliberately English, not from guide/i18n.py: this output is for QA and developers in CI logs, and CI greps it.
"""The screenshots' folder: compare with what is there, write what changed, say what happened.

A file is rewritten only when its pixels changed (guide.pixels), and only once every branch of
the flow went through: a drifting flow leaves its previous screenshots exactly as they were.
With --check nothing is written but `NAME.diff.png` images beside the files that differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from rich.console import Console
from rich.table import Table

from .files import write_atomic
from .manifest import Manifest, digest
from .pixels import compare, decode, encode
from .shots import FlowShots, RunResult, ShotOptions

# Files this tool owns in a flow's folder: screenshots and --check diff images.
OWNED = re.compile(r"^\d{2,3}[a-z]*-[a-z0-9][a-z0-9-]*(\.diff)?\.png$")


@dataclass
class FileChange:
    file: Path
    kind: str  # new | changed | removed | kept (not guide's: left as it was) | obsolete (kept: no --prune)
    pixels: int = 0  # differing pixels; -1 when the old file could not be read
    diff: Path | None = None
    diff_image: Image.Image | None = field(default=None, repr=False)


@dataclass
class Saved:
    """What a flow's folder got (or, with --check, would get)."""

    flow_id: str
    folder: Path
    unchanged: int = 0
    changes: list[FileChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(change.kind == kind for change in self.changes)


def diff_path(file: Path) -> Path:
    return file.with_name(file.stem + ".diff.png")


def save(outcome: FlowShots, options: ShotOptions, manifest: Manifest) -> Saved:
    """Write new and changed screenshots; with --check, only compare (and write diff images).

    Only files guide wrote (and nobody edited since) are replaced; obsolete ones are removed
    with --prune only; a hand-made file in the way is kept and reported (--force replaces it).
    """
    folder = options.out / outcome.flow_id
    saved = Saved(outcome.flow_id, folder)
    writes: list[tuple[Path, bytes]] = []
    for name, png in sorted(outcome.shots.items()):
        file = folder / name
        change = _compare_file(file, png, options)
        if change is None:
            saved.unchanged += 1
            if not manifest.owns(file):  # the very pixels guide would write: guide's from now on
                manifest.files[manifest._key(file)] = digest(file.read_bytes())
            continue
        if change.kind == "changed" and not manifest.may_replace(file, options.force):
            change.kind = "kept"
        saved.changes.append(change)
        if change.kind != "kept":
            writes.append((file, png))
    ours = manifest.owned_under(folder)
    for file in ours:
        if file.name not in outcome.shots:
            saved.changes.append(FileChange(file, "removed" if options.prune else "obsolete"))
    if options.check:
        _write_diffs(saved, ours)
        return saved
    for file, png in writes:  # each file atomically; all of them only after the whole flow passed
        manifest.write(file, png)
    for file in ours:
        remove_diff(file)  # an earlier --check's diff image: the file is now right
        if options.prune and file.name not in outcome.shots:
            manifest.remove(file)
    return saved


def _compare_file(file: Path, png: bytes, options: ShotOptions) -> FileChange | None:
    if not file.is_file():
        return FileChange(file, "new")
    try:
        old = decode(file)
    except (OSError, UnidentifiedImageError):
        return FileChange(file, "changed", -1)  # unreadable: replace it
    result = compare(old, decode(png), options.tolerance, want_diff=options.check)
    if result.differing <= options.max_diff_pixels:
        return None
    if result.diff is None:
        return FileChange(file, "changed", result.differing)
    return FileChange(file, "changed", result.differing, diff_path(file), result.diff)


def _write_diffs(saved: Saved, ours: list[Path]) -> None:
    """Diff images next to the changed files; earlier ones that no longer apply go.

    `NAME.diff.png` is not in the manifest (--check writes nothing else): guide knows its own by
    the signature they carry, and replaces or removes no other.
    """
    keep = set()
    for change in saved.changes:
        diff, image = change.diff, change.diff_image
        if diff is None or image is None or change.kind != "changed":
            continue
        if not diff.exists() or _diff_of_ours(diff):
            write_atomic(diff, encode(image, DIFF_SIGNATURE))
            keep.add(diff)
    for file in ours:
        if diff_path(file) not in keep:
            remove_diff(file)


DIFF_SIGNATURE = {"Software": "guide shots --check"}


def _diff_of_ours(file: Path) -> bool:
    """A diff image guide wrote carries its signature (a PNG text chunk); nothing else is ours."""
    try:
        with Image.open(file) as image:
            return image.info.get("Software") == DIFF_SIGNATURE["Software"]
    except (OSError, UnidentifiedImageError):
        return False


def remove_diff(screenshot: Path) -> None:
    """An earlier --check's diff image beside `screenshot`, if guide wrote it."""
    diff = diff_path(screenshot)
    if diff.is_file() and _diff_of_ours(diff):
        diff.unlink()


def print_run(console: Console, result: RunResult, options: ShotOptions) -> None:
    """Drift reports as the check prints them, each file that changed, then the counts."""
    for outcome in result.flows:
        drift = outcome.drift
        if drift and drift.drift:
            console.print(f"\n[bold red]✗ {outcome.flow_id} › {drift.branch}[/]", highlight=False)
            console.print(drift.drift.text(), markup=False, highlight=False, soft_wrap=True)
            console.print(
                f"[red]  no screenshot of {outcome.flow_id} was {'compared' if options.check else 'written'}: "
                "fix the drift first[/]",
                highlight=False,
            )
        for warning in dict.fromkeys(outcome.warnings):
            console.print(f"[yellow]! {outcome.flow_id}: {warning}[/]", highlight=False)
    for saved in result.saved:
        for change in saved.changes:
            console.print(_change_line(change, options), highlight=False, soft_wrap=True)  # whole paths
    console.print()
    console.print(_table(result, options))
    console.print(_verdict(result, options), highlight=False)


def _change_line(change: FileChange, options: ShotOptions) -> str:
    colour = {"new": "green", "changed": "yellow", "removed": "red", "kept": "magenta", "obsolete": "red"}[change.kind]
    if options.check:
        what = {
            "new": "missing",
            "changed": "differs",
            "removed": "obsolete",
            "kept": "differs",
            "obsolete": "obsolete",
        }[change.kind]
    else:
        what = {"new": "new", "changed": "changed", "removed": "removed", "kept": "kept", "obsolete": "obsolete"}[
            change.kind
        ]
    line = f"  [{colour}]{what:8}[/] {change.file}"
    if change.kind == "kept" and not options.check:
        line += "  (not written by guide, or edited since: left as it is; --force replaces it)"
    if change.kind == "obsolete" and not options.check:
        line += "  (no step uses it any more: --prune removes it)"
    if change.pixels > 0:
        line += f"  ({change.pixels} pixels)"
    if change.diff:
        line += f"  diff: {change.diff}"
    return line


def _table(result: RunResult, options: ShotOptions) -> Table:
    title = "guide shots --check" if options.check else "guide shots"
    table = Table(title=f"{title} → {options.out}", title_justify="left")
    table.add_column("flow")
    for column in ("screenshots", "new", "changed", "unchanged", "removed", "time"):
        table.add_column(column, justify="right")
    saved = {s.flow_id: s for s in result.saved}
    for outcome in result.flows:
        done = saved.get(outcome.flow_id)
        if done is None:
            table.add_row(outcome.flow_id, "[red]drift[/]", "", "", "", "", f"{outcome.seconds:.1f} s")
            continue
        table.add_row(
            outcome.flow_id,
            str(len(outcome.shots)),
            str(done.count("new")),
            str(done.count("changed")),
            str(done.unchanged),
            str(done.count("removed")),
            f"{outcome.seconds:.1f} s",
        )
    return table


def _verdict(result: RunResult, options: ShotOptions) -> str:
    counts = (
        f"{result.total('new')} new, {result.total('changed')} changed, "
        f"{result.total('unchanged')} unchanged, {result.total('removed')} removed"
    )
    for kind in ("kept", "obsolete"):
        if result.total(kind):
            counts += f", {result.total(kind)} {kind}"
    drifted = sum(1 for f in result.flows if f.drift)
    if drifted:
        return f"[bold red]{drifted} flow(s) drifted from the guide; their screenshots were left as they were.[/] ({counts})"
    if options.check:
        if result.changed:
            return f"[bold red]The screenshots differ from the pages: {counts}.[/] Run guide shots to update them."
        return f"[bold green]The screenshots match the pages:[/] {counts}."
    return f"[bold green]Screenshots up to date:[/] {counts}."
