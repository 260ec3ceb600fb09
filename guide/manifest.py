"""What guide wrote in a folder, so that it never replaces or removes anything else.

`guide shots` and `guide export` keep `.guide-manifest.json` in their output folder: the files
they wrote, each with a digest of what they wrote. A file is replaced only when guide wrote it
and nobody edited it since (or with --force); an obsolete one is removed only with --prune and
only under the same conditions. A hand-written file in the way is kept and reported.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .files import write_atomic

NAME = ".guide-manifest.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    folder: Path
    files: dict[str, str] = field(default_factory=dict)  # path relative to folder -> digest of what guide wrote
    unreadable: bool = False  # the manifest was there but broken: own nothing, say so

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        file = folder / NAME
        if not file.is_file():
            return cls(folder)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            files = {str(k): str(v) for k, v in data["files"].items()}
        except (OSError, ValueError, KeyError, AttributeError):
            return cls(folder, unreadable=True)
        return cls(folder, files)

    def _key(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def owns(self, path: Path) -> bool:
        """guide wrote this file, and it still holds what guide wrote."""
        key = self._key(path)
        if key not in self.files:
            return False
        try:
            return digest(path.read_bytes()) == self.files[key]
        except OSError:
            return False

    def may_replace(self, path: Path, force: bool = False) -> bool:
        return force or not path.exists() or self.owns(path)

    def write(self, path: Path, data: bytes) -> None:
        """Write (atomically, published permissions) and remember it as guide's."""
        write_atomic(path, data)
        self.files[self._key(path)] = digest(data)

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.files.pop(self._key(path), None)

    def owned_under(self, folder: Path) -> list[Path]:
        """The files guide wrote under `folder` that are still there."""
        prefix = self._key(folder) + "/" if folder != self.folder else ""
        return sorted(
            self.folder / key for key in self.files if key.startswith(prefix) and (self.folder / key).is_file()
        )

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        kept = {key: value for key, value in sorted(self.files.items()) if (self.folder / key).exists()}
        text = json.dumps({"files": kept}, indent=1) + "\n"
        file = self.folder / NAME
        if not file.is_file() or file.read_text(encoding="utf-8") != text:  # a second run leaves git clean
            write_atomic(file, text)
