"""The JSON Schema of flow files, generated from the flow model (guide/model.py).

`guide schema` prints it; `guide schema --write` refreshes the shipped copy in
guide/flow.schema.json that the bundled flows name for editor completion; `guide schema
--write PATH` writes it anywhere else (another repository's `schemas/` folder), for the flows
there to name with a modeline relative to themselves, or for VS Code's `yaml.schemas` setting.

Editors read it with a JavaScript validator (yaml-language-server: VS Code, Neovim, Helix…),
so its patterns are ECMA-262 regular expressions, compiled with the `u` flag; the tests check
every one with Node and with guide.jsregex, and validate flows with ajv as an editor would.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, get_args

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model import PATTERN_MESSAGE, YAML_BOOLEAN_WORDS, Flow

SHIPPED = Path(__file__).with_name("flow.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The format's version, as flows declare it (`version: 1`): one schema per version.
FORMAT_VERSION: int = get_args(Flow.model_fields["version"].annotation)[0]
# A name, not an address to fetch: editors load the schema from the path a flow's modeline or
# the `yaml.schemas` setting gives, and use `$id` only as the base of `$ref`s (all of them
# `#/$defs/…`, inside this document). `.example` is reserved (RFC 2606, RFC 6761): nobody can
# ever register it, so the name never collides with or points at somebody else's content. It
# names the format version; it changes only with it (`flow-2.json` for `version: 2`).
SCHEMA_ID = f"https://guide.example/schema/flow-{FORMAT_VERSION}.json"


class _FlowSchema(GenerateJsonSchema):
    """Pydantic's generator, with true/false as guide reads them in YAML."""

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "boolean"},
                {"type": "string", "pattern": YAML_BOOLEAN_WORDS, PATTERN_MESSAGE: "write true or false"},
            ]
        }


def flow_schema() -> dict[str, Any]:
    schema = Flow.model_json_schema(mode="validation", schema_generator=_FlowSchema)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "$comment": "Generated from guide/model.py by `guide schema`: do not edit; regenerate it.",
        **schema,
        "title": f"guide flow (version {FORMAT_VERSION})",
    }


def schema_text() -> str:
    return json.dumps(flow_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path | None = None) -> Path:
    """Write the schema to `path` — a file, or an existing folder to hold flow.schema.json —
    or, when None, refresh the shipped copy. Missing folders are made; the write is atomic.
    Returns the file written; OSError when it cannot be written."""
    from .files import write_atomic

    target = SHIPPED if path is None else Path(path)
    if target.is_dir():
        target = target / SHIPPED.name
    write_atomic(target, schema_text())
    return target


def modeline(flow: Path, schema: Path) -> str:
    """The first line of `flow` that points editors at `schema`: a path relative to the flow's
    folder, which is how yaml-language-server resolves it (so it works in any repository)."""
    relative = os.path.relpath(Path(schema).resolve(), Path(flow).resolve().parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"
