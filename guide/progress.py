"""Where a person stopped in a guide, so that `guide live` can offer to pick up there.

Saved after each step: the step reached and the answers given to questions — never a value
the person typed. One small file per flow under $XDG_STATE_HOME/guide/progress (else
~/.local/state/guide/progress), private to the user.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import write_atomic
from .loader import LoadedFlow


def folder() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "guide" / "progress"


def _file(loaded: LoadedFlow) -> Path:
    where = hashlib.sha256(str(Path(loaded.file).resolve()).encode()).hexdigest()[:12]
    return folder() / f"{loaded.flow.id}-{where}.json"


@dataclass
class Progress:
    step_id: str
    number: int  # « étape 7 », as the person saw it
    answers: dict[str, str] = field(default_factory=dict)
    saved: float = field(default_factory=time.time)


def save(loaded: LoadedFlow, step_id: str, number: int, answers: dict[str, str]) -> None:
    write_atomic(_file(loaded), json.dumps(asdict(Progress(step_id, number, dict(answers)))), private=True)


def load(loaded: LoadedFlow) -> Progress | None:
    """The last step reached, if the person stopped before the end (and the step still exists)."""
    try:
        data = json.loads(_file(loaded).read_text(encoding="utf-8"))
        progress = Progress(
            str(data["step_id"]), int(data["number"]), {str(k): str(v) for k, v in data.get("answers", {}).items()}
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    from .tree import walk

    known = {node.step.id for node in walk(loaded.flow.steps)}
    return progress if progress.step_id in known else None


def clear(loaded: LoadedFlow) -> None:
    _file(loaded).unlink(missing_ok=True)
