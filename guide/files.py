"""Writing files safely: atomic, with the permissions people expect, private when they must be.

A crash or a failed run never leaves half a file behind. What guide publishes (screenshots,
guides, reports) gets the permissions a normal `open()` would give (the umask decides), so a
web server or a colleague can read it; traces and result files that hold test values are
written private (0600), after passing through a private temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def umask() -> int:
    """The process umask, read without changing it (other threads may be writing files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # no /proc: the only portable way, briefly
    os.umask(mask)
    return mask


def write_atomic(path: Path | str, data: bytes | str, private: bool = False) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    `private`: readable by the owner only (traces, results holding test values).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600 if private else 0o666 & ~umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def private_folder() -> Iterator[Path]:
    """A temporary folder only the owner can enter, removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="guide-"))  # mkdtemp: mode 0700
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publish_private(source: Path, target: Path) -> None:
    """Move a file made in a private folder to where people find it, atomically, still private."""
    write_atomic(target, source.read_bytes(), private=True)
