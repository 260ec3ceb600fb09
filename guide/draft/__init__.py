"""`guide draft DOCUMENT`: a first flow from a help document (text, Markdown, PDF, DOCX).

The draft keeps each instruction's words, proposes the target and action each sentence
names, and marks with « # TODO » comments what the document leaves open. It always passes
`guide lint`; it is a start for the author, not a finished flow.

    from guide.draft import draft
    result = draft(Path("fiche.pdf"))
    result.text, result.steps, result.todos
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .build import build
from .read import DraftError, read_document
from .write import write_flow

__all__ = ["Draft", "DraftError", "add_arguments", "draft", "read_document", "run"]

SCHEMA = Path(__file__).resolve().parents[1] / "flow.schema.json"
DEFAULT_SCHEMA = "../guide/flow.schema.json"  # from flows/, where flows live


@dataclass(frozen=True)
class Draft:
    """A drafted flow: its YAML text, its step count (options included) and its TODO count."""

    text: str
    steps: int
    todos: int
    flow_id: str


def draft(path: Path | str, *, schema: str = DEFAULT_SCHEMA) -> Draft:
    """Draft a flow from the document at `path`; DraftError for unreadable or empty documents."""
    path = Path(path)
    text = read_document(path)
    flow = build(text)
    if not flow.steps:
        raise DraftError(
            f"{path}: no instruction found (no « cliquez », « saisissez », click, enter…): "
            "is this a step-by-step procedure?"
        )
    yaml_text, todos = write_flow(flow, path.name, schema)
    return Draft(yaml_text, len(flow.all_steps()), todos, flow.id)


def schema_for(out: Path) -> str:
    """The `$schema` path as seen from the output file's folder."""
    return Path(os.path.relpath(SCHEMA, out.resolve().parent)).as_posix()


# --- command line (wired into `guide draft` by guide/cli.py) -----------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "document",
        type=Path,
        metavar="DOCUMENT",
        help="the help document: .txt, .md, .pdf (with a text layer) or .docx",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write the flow there (e.g. flows/NAME.yaml); default: print it"
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def run(args: argparse.Namespace) -> int:
    """0 written, 2 bad input (the message on stderr)."""
    from ..files import write_atomic

    out: Path | None = args.out
    try:
        if out is not None and out.exists() and not args.force:
            raise DraftError(f"{out}: already exists: choose another --out, or add --force to replace it")
        if out is not None and out.suffix not in (".yaml", ".yml"):
            raise DraftError(f"{out}: a flow is a .yaml file: write --out flows/NAME.yaml")
        result = draft(args.document, schema=schema_for(out) if out is not None else DEFAULT_SCHEMA)
    except DraftError as error:
        print(f"guide draft: {error}", file=sys.stderr)
        return 2
    if out is None:
        sys.stdout.write(result.text)
    else:
        try:
            write_atomic(out, result.text)
        except OSError as error:
            print(f"guide draft: {out}: cannot write ({error.strerror}): check the folder", file=sys.stderr)
            return 2
    where = out or "stdout"
    print(
        f"guide draft: {where}: {result.steps} steps, {result.todos} TODOs: settle each « # TODO », "
        f"then run guide lint {out or 'FILE'}",
        file=sys.stderr,
    )
    return 0
