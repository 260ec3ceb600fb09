"""The JSON Schema of flow files, generated from the flow model (guide/model.py).

`guide schema` prints it; `guide schema --write` refreshes the shipped copy in
guide/flow.schema.json that flow files name for editor completion.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import Flow

SHIPPED = Path(__file__).with_name("flow.schema.json")


def flow_schema() -> dict[str, Any]:
    schema = Flow.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://guide.example/flow.schema.json",
        **schema,
        "title": "guide flow (version 1)",
    }


def schema_text() -> str:
    return json.dumps(flow_schema(), ensure_ascii=False, indent=2) + "\n"
