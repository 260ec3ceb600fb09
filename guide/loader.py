"""Load flow files: YAML with line numbers, validated against the flow model.

Every problem becomes a ``FlowError`` naming file:line:column and what to write instead;
no traceback reaches the person who wrote the flow.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .model import Flow
from .tree import Path_, walk

MAX_BYTES = 1_000_000  # a flow is a few kilobytes; megabytes are a mistake or an attack
MAX_NODES = 50_000  # bounds alias expansion ("billion laughs")
VARIABLE_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

KEY = "<key>"  # marks a key's position in the positions map


@dataclass
class Problem:
    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class FlowError(Exception):
    """One or more problems in flow files; str() is ready to print."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass
class LoadedFlow:
    flow: Flow
    file: Path
    positions: dict[Path_, tuple[int, int]] = field(repr=False)

    def where(self, path: Path_) -> str:
        """file:line of a node, falling back to its closest known parent."""
        line, _ = self.position(path)
        return f"{self.file}:{line}"

    def position(self, path: Path_) -> tuple[int, int]:
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


# --- YAML with positions -------------------------------------------------------------------


class _Composer(yaml.SafeLoader):
    """Safe loader used only to compose nodes; values are built by _build."""


def _build(node: yaml.Node, path: Path_, out: dict[Path_, tuple[int, int]], budget: list[int], file: str) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        mark = node.start_mark
        raise FlowError([Problem(file, mark.line + 1, mark.column + 1,
                                 f"the document expands to more than {MAX_NODES} nodes "
                                 "(YAML aliases?): write the flow out without repeated aliases")])
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise FlowError([_at(file, key_node, "merge keys (<<) are not supported: write the keys out")])
            key = _build(key_node, path, {}, budget, file)
            if not isinstance(key, (str, int)):
                raise FlowError([_at(file, key_node, "a key must be a plain word")])
            if key in result:
                raise FlowError([_at(file, key_node, f"duplicate key {key!r}: keep one of them")])
            # keys are recorded under KEY + path, values under path: an unknown key points at
            # the key, a wrong value at the value
            out[(KEY,) + path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, path + (key,), out, budget, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), out, budget, file) for i, item in enumerate(node.value)]
    return _SCALARS.construct_object(node)


# Builds scalars (str, int, bool, null…) with YAML's safe rules; holds no state between calls
# that matters, as scalars reference nothing.
_SCALARS = yaml.constructor.SafeConstructor()


def _at(file: str, node: yaml.Node, message: str) -> Problem:
    return Problem(file, node.start_mark.line + 1, node.start_mark.column + 1, message)


def read_yaml(text: str, file: str) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    """Parse one YAML document, returning the data and the position of every node."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Composer))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        opened = error.context_mark
        context = (f" ({error.context} started on line {opened.line + 1}, column {opened.column + 1})"
                   if opened and error.context and opened is not mark else "")
        raise FlowError([Problem(file, line, column, f"not valid YAML: {error.problem or error}{context}; "
                                 "check indentation, and quote text containing ': ' or '#'")]) from None
    except yaml.YAMLError as error:
        raise FlowError([Problem(file, 1, 1, f"not valid YAML: {error}")]) from None
    if not nodes or nodes[0] is None:
        raise FlowError([Problem(file, 1, 1, "the file is empty: a flow starts with 'version: 1'")])
    if len(nodes) > 1:
        raise FlowError([Problem(file, 1, 1, "one flow per file: remove the '---' separated documents")])
    positions: dict[Path_, tuple[int, int]] = {}
    data = _build(nodes[0], (), positions, [MAX_NODES], file)
    return data, positions


# --- validation -----------------------------------------------------------------------------


def _model_at(path: Path_) -> type[BaseModel] | None:
    """The model class that owns the mapping at `path`, to suggest its keys."""
    from .model import Furniture, Option, Page, Source, Step, Table, Target, Variable

    model: type[BaseModel] | None = Flow
    i = 0
    while i < len(path) and model is not None:
        key = path[i]
        if model is Flow and key in ("pages", "variables", "tables"):
            kinds: dict[str, type[BaseModel]] = {"pages": Page, "variables": Variable, "tables": Table}
            model = kinds[key]
            i += 2
            continue
        if model is Flow and key == "source":
            model = Source
        elif model is Flow and key == "furniture":
            model, i = Furniture, i + 1
        elif key in ("steps", "simulate"):
            model, i = Step, i + 1
        elif key == "options":
            model, i = Option, i + 1
        elif key in ("target", "within", "appears", "dismiss"):
            model = Target
        else:
            return None
        i += 1
    return model


def _suggest(key: str, path: Path_) -> str:
    model = _model_at(path)
    if model is None:
        return ""
    close = difflib.get_close_matches(key, list(model.model_fields), n=1, cutoff=0.6)
    if close:
        return f" — did you mean {close[0]!r}?"
    return f"; allowed here: {', '.join(model.model_fields)}"


def _explain(error: Mapping[str, Any]) -> str:
    kind, message = error["type"], error["msg"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key {error['loc'][-1]!r}{_suggest(str(error['loc'][-1]), tuple(error['loc'][:-1]))}"
    if kind == "missing":
        return f"missing key {error['loc'][-1]!r}"
    if kind == "literal_error":
        return f"{value!r} is not allowed: {message.replace('Input should be', 'write')}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value), found {type(value).__name__}"
    if kind == "list_type":
        return f"expected a list (- item), found {type(value).__name__}"
    if kind == "string_type":
        return f"expected text, found {type(value).__name__} {value!r}: put it in quotes"
    if kind == "bool_type":
        return f"expected true or false, found {value!r}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not fit: {message}"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return message


def _location(error: Mapping[str, Any]) -> Path_:
    # Pydantic adds union/validator markers such as 'function-before[...]' to locations.
    return tuple(p for p in error["loc"] if not (isinstance(p, str) and ("[" in p or p in ("str", "Target"))))


def _validate(data: Any, positions: dict[Path_, tuple[int, int]], file: str) -> Flow:
    if not isinstance(data, dict):
        line, column = positions.get((), (1, 1))
        raise FlowError([Problem(file, line, column,
                                 f"a flow is a mapping (version: 1, id: …, steps: …), found {type(data).__name__}")])
    try:
        return Flow.model_validate(data)
    except ValidationError as error:
        problems = []
        seen: set[tuple[Path_, str]] = set()
        for item in error.errors():
            path = _location(item)
            message = _explain(item)
            if (path, message) in seen:
                continue
            seen.add((path, message))
            key_path = (KEY,) + path
            line, column = positions[key_path] if item["type"] == "extra_forbidden" and key_path in positions \
                else _closest(positions, path)
            problems.append(Problem(file, line, column, message))
        raise FlowError(problems) from None


def _closest(positions: dict[Path_, tuple[int, int]], path: Path_) -> tuple[int, int]:
    while path not in positions and path:
        path = path[:-1]
    return positions.get(path, (1, 1))


# --- references between parts of a flow -------------------------------------------------


def _check_references(flow: Flow, positions: dict[Path_, tuple[int, int]], file: str) -> None:
    problems: list[Problem] = []

    def problem(path: Path_, message: str) -> None:
        problems.append(Problem(file, *_closest(positions, path), message))

    def known(kind: str, name: str, choices: Iterable[str], path: Path_) -> None:
        choices = list(choices)
        if name not in choices:
            close = difflib.get_close_matches(name, choices, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else f"; known: {', '.join(choices) or 'none'}"
            problem(path, f"unknown {kind} {name!r}{hint}")

    known("page", flow.start, flow.pages, ("start",))
    seen: dict[str, Path_] = {}
    questions: dict[str, set[str]] = {}
    for node in walk(flow.steps):
        path, step = node.path, node.step
        if node.simulated and (step.options or step.simulate or step.outside):
            problem(path, "a simulated step is a plain browser step: no question, outside or simulate in it")
        if step.id in seen:
            line, _ = _closest(positions, seen[step.id] + ("id",))
            problem(path + ("id",), f"duplicate step id {step.id!r} (first used on line {line}): give each step its own id")
        seen[step.id] = path
        for key in ("open", "lands"):
            if getattr(step, key):
                known("page", getattr(step, key), flow.pages, path + (key,))
        if step.table:
            known("table", step.table, flow.tables, path + ("table",))
        for key in ("value", "instruction", "text"):
            for name in VARIABLE_REF.findall(getattr(step, key) or ""):
                known("variable", name, flow.variables, path + (key,))
        if step.options:
            ids = [o.id for o in step.options]
            for number, option_id in enumerate(ids):
                if ids.count(option_id) > 1:
                    problem(path + ("options", number, "id"), f"duplicate option id {option_id!r}")
            for number, option in enumerate(step.options):
                for question, answers in option.when.items():
                    where = path + ("options", number, "when", question)
                    if question not in questions:
                        problem(where, f"'when' names {question!r}, which is not an earlier question")
                        continue
                    for answer in [answers] if isinstance(answers, str) else answers:
                        known(f"answer to {question!r}", answer, questions[question], where)
            questions[step.id] = set(ids)
    for name, table in flow.tables.items():
        for key in ("column", "mailto_column"):
            index = getattr(table.pick, key, None) if table.pick else None
            if index is not None and index >= len(table.columns):
                problem(("tables", name, "pick", key), f"column {index} does not exist (the table has {len(table.columns)})")
    if problems:
        raise FlowError(problems)


# --- entry points ---------------------------------------------------------------------------


def load_flow(file: Path | str) -> LoadedFlow:
    """Read and validate one flow file; raise FlowError with positions on any problem."""
    file = Path(file)
    name = str(file)
    try:
        size = file.stat().st_size
    except OSError as error:
        raise FlowError([Problem(name, 1, 1, f"cannot read the flow: {error.strerror}")]) from None
    if size > MAX_BYTES:
        raise FlowError([Problem(name, 1, 1, f"the file is {size // 1024} KiB; a flow is at most "
                                 f"{MAX_BYTES // 1000} kB: split it into several flows")])
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise FlowError([Problem(name, 1, 1, f"not UTF-8 text (byte {error.start}): save the file as UTF-8")]) from None
    except OSError as error:
        raise FlowError([Problem(name, 1, 1, f"cannot read the flow: {error.strerror}")]) from None
    data, positions = read_yaml(text, name)
    flow = _validate(data, positions, name)
    _check_references(flow, positions, name)
    return LoadedFlow(flow, file, positions)


def find_flow_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into their *.yaml / *.yml flows; keep files as given."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def load_flows(paths: Iterable[str | Path]) -> list[LoadedFlow]:
    """Load every flow, collecting the problems of all files before failing."""
    loaded, problems = [], []
    files = find_flow_files(paths)
    if not files:
        raise FlowError([Problem(".", 1, 1, "no flow files found: pass flow files or a folder holding *.yaml")])
    ids: dict[str, Path] = {}
    for file in files:
        try:
            item = load_flow(file)
        except FlowError as error:
            problems.extend(error.problems)
            continue
        if item.flow.id in ids:
            line, column = item.position(("id",))
            problems.append(Problem(str(file), line, column, f"flow id {item.flow.id!r} is also used by {ids[item.flow.id]}"))
        ids[item.flow.id] = file
        loaded.append(item)
    if problems:
        raise FlowError(problems)
    return loaded
