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
MAX_NODES = 50_000  # values in a flow, written out or through aliases ("billion laughs")
MAX_DEPTH = 64  # mappings and lists inside one another: a flow nests about 12 deep; reading recurses per level
MAX_NUMBER_CHARS = 100  # a number's characters: reading a long one takes quadratic time (or fails past 4 300 digits)
VARIABLE_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: only a YAML escape such as "\ud800" makes one

YAML_TAG = "tag:yaml.org,2002:"
# The YAML core schema: the only tags a flow may write (plus "!", which means text).
CORE_TAGS = {
    yaml.ScalarEvent: ("str", "int", "float", "bool", "null"),
    yaml.SequenceStartEvent: ("seq",),
    yaml.MappingStartEvent: ("map",),
}
CORE_NAMES = frozenset(name for names in CORE_TAGS.values() for name in names)
# The words each typed tag reads, for `!!int abc` and the like.
TYPE_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "null or ~"}

# Plain words YAML 1.2 (editors, most other tools) reads as numbers but PyYAML (YAML 1.1) as
# text: `1e3`, `1.5e3`, `0o17`. Refused, so that a flow means the same to every reader.
YAML12_NUMBER = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+")

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


class _Refused(Exception):
    """A problem found while composing: a message for the node at `mark` (not a syntax error)."""

    def __init__(self, mark: Any, message: str):
        super().__init__(message)
        self.line, self.column, self.message = mark.line + 1, mark.column + 1, message


class _Composer(yaml.SafeLoader):
    """Safe loader used only to compose nodes; values are built by _Builder.

    Composing recurses once per level and takes any tag: both are checked here, before the
    nested node is read."""

    depth = 0
    nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if not isinstance(event, yaml.AliasEvent):
            _check_tag(self, event)
        self.nodes += 1
        if self.nodes > MAX_NODES:  # stop reading a file of tiny values early: each costs the parser
            raise _Refused(
                event.start_mark, f"the flow holds more than {MAX_NODES} values: split it into several flows"
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"nested more than {MAX_DEPTH} levels deep: a flow needs far "
                    "fewer; check the indentation and the brackets",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _check_tag(loader: yaml.SafeLoader, event: yaml.Event) -> None:
    """Only the core schema's tags, on the kind of node they name, on values they can read."""
    tag = getattr(event, "tag", None)
    if tag in (None, "!"):
        return
    name = tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else None
    if name not in CORE_NAMES:
        raise _Refused(
            event.start_mark,
            f"unknown tag {_tag(tag)}: a flow holds plain text, numbers, true/false, "
            "lists and mappings; remove the tag, or put the value in quotes",
        )
    if name not in CORE_TAGS.get(type(event), ()):
        raise _Refused(event.start_mark, f"the tag {_tag(tag)} does not fit this value: remove it")
    if name in TYPE_WORDS:
        value = event.value  # type: ignore[attr-defined]
        read_as = loader.resolve(yaml.ScalarNode, value, (True, False))
        if read_as != tag and not (name == "float" and read_as == YAML_TAG + "int"):
            raise _Refused(
                event.start_mark, f"{_shown(value)} is not {TYPE_WORDS[name]}: write one, or remove {_tag(tag)}"
            )


def _tag(tag: str) -> str:
    return "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:60] + "…")


class _Builder:
    """Python values from composed nodes, recording where each one is."""

    def __init__(self, file: str):
        self.file = file
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.budget = MAX_NODES
        self.open: set[int] = set()  # the nodes being built: meeting one again is a recursive alias

    def build(self, node: yaml.Node, path: Path_, record: bool = True) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise FlowError(
                [
                    _at(
                        self.file,
                        node,
                        f"the document expands to more than {MAX_NODES} nodes "
                        "(YAML aliases?): write the flow out without repeated aliases",
                    )
                ]
            )
        if record:
            self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, self.file)
        if id(node) in self.open:
            raise FlowError(
                [_at(self.file, node, "this alias contains itself (a recursive alias): write the values out")]
            )
        if len(path) >= MAX_DEPTH:  # aliases can nest deeper than the text
            raise FlowError(
                [
                    _at(
                        self.file,
                        node,
                        f"nested more than {MAX_DEPTH} levels deep through aliases: write the values out",
                    )
                ]
            )
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path, record)
            return [self.build(item, (*path, i), record) for i, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path_, record: bool) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == YAML_TAG + "merge":
                raise FlowError([_at(self.file, key_node, "merge keys (<<) are not supported: write the keys out")])
            key = self.build(key_node, path, record=False)
            if not isinstance(key, (str, int)):
                raise FlowError([_at(self.file, key_node, "a key must be a plain word")])
            if key in result:
                raise FlowError([_at(self.file, key_node, f"duplicate key {key!r}: keep one of them")])
            # keys are recorded under KEY + path, values under path: an unknown key points at
            # the key, a wrong value at the value
            if record:
                key_path = (KEY, *path, key)
                self.positions[key_path] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), record)
        return result


# Builds typed scalars with YAML's safe rules, one method per tag; these hold no state.
_SCALARS = yaml.constructor.SafeConstructor()
_CONSTRUCT = {
    "null": _SCALARS.construct_yaml_null,
    "bool": _SCALARS.construct_yaml_bool,
    "int": _SCALARS.construct_yaml_int,
    "float": _SCALARS.construct_yaml_float,
    "timestamp": _SCALARS.construct_yaml_timestamp,
}


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    value: str = node.value
    surrogate = SURROGATE.search(value)
    if surrogate:
        raise FlowError(
            [
                _at(
                    file,
                    node,
                    f"{_shown(value)} holds half a UTF-16 pair (\\u{ord(surrogate[0]):x}), "
                    "which no page or file can hold: write the character itself, or escape it whole "
                    "as \\U0001F600",
                )
            ]
        )
    name = node.tag.removeprefix(YAML_TAG)
    if name == "str" and node.style is None and YAML12_NUMBER.fullmatch(value):
        raise FlowError(
            [
                _at(
                    file,
                    node,
                    f"{_shown(value)} reads as a number in YAML 1.2 (editors): put it in quotes to keep it as text",
                )
            ]
        )
    if name not in _CONSTRUCT:  # text; also the `=` and `<<` words YAML 1.1 gives tags of their own
        return value
    if name in ("int", "float") and len(value) > MAX_NUMBER_CHARS:
        raise FlowError(
            [
                _at(
                    file,
                    node,
                    f"a number {len(value)} characters long is a mistake: "
                    f"write at most {MAX_NUMBER_CHARS}, or put text in quotes",
                )
            ]
        )
    try:
        return _CONSTRUCT[name](node)
    except (ValueError, KeyError, OverflowError) as error:  # 2022-13-45, 0b_, ._
        raise FlowError(
            [
                _at(
                    file,
                    node,
                    f"{_shown(value)} reads as a YAML {name} but is not one ({error}): "
                    "put it in quotes to keep it as text",
                )
            ]
        ) from None


def _at(file: str, node: yaml.Node, message: str) -> Problem:
    return Problem(file, node.start_mark.line + 1, node.start_mark.column + 1, message)


def read_yaml(text: str, file: str) -> tuple[Any, dict[Path_, tuple[int, int]]]:
    """Parse one YAML document, returning the data and the position of every node."""
    try:
        nodes = _first_documents(text)
    except _Refused as error:
        raise FlowError([Problem(file, error.line, error.column, error.message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        opened = error.context_mark
        context = (
            f" ({error.context} started on line {opened.line + 1}, column {opened.column + 1})"
            if opened and error.context and opened is not mark
            else ""
        )
        raise FlowError(
            [
                Problem(
                    file,
                    line,
                    column,
                    f"not valid YAML: {error.problem or error}{context}; "
                    "check indentation, and quote text containing ': ' or '#'",
                )
            ]
        ) from None
    except yaml.reader.ReaderError as error:  # a control character: say where, not "position 28"
        line, column = text.count("\n", 0, error.position) + 1, error.position - text.rfind("\n", 0, error.position)
        code = error.character if isinstance(error.character, int) else 0
        raise FlowError(
            [
                Problem(
                    file, line, column, f"not valid YAML: the control character U+{code:04X} is not allowed: remove it"
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise FlowError([Problem(file, 1, 1, f"not valid YAML: {error}")]) from None
    if not nodes or nodes[0] is None:
        raise FlowError([Problem(file, 1, 1, "the file is empty: a flow starts with 'version: 1'")])
    if len(nodes) > 1:
        raise FlowError([Problem(file, 1, 1, "one flow per file: remove the '---' separated documents")])
    builder = _Builder(file)
    data = builder.build(nodes[0], ())
    return data, builder.positions


def _first_documents(text: str) -> list[yaml.Node]:
    """The first document, and the start of a second if there is one (never all of them)."""
    loader = _Composer(text)
    try:
        nodes: list[yaml.Node] = []
        while len(nodes) < 2 and loader.check_node():
            node = loader.get_node()
            if node is not None:
                nodes.append(node)
        return nodes
    finally:
        loader.dispose()


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
    if kind == "int_type":
        fix = ": write it without quotes" if isinstance(value, str) else ""
        return f"expected a whole number, found {value!r}{fix}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not fit: {message}"
    if kind == "string_too_long":
        return _too_long(error)
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return message


def _too_long(error: Mapping[str, Any]) -> str:
    value, limit, field = str(error["input"]), error["ctx"]["max_length"], error["loc"][-1]
    if field in ("id", "[key]"):
        return (
            f"{_shown(value)} is {len(value)} characters long: an id or a name is at most {limit} "
            "(ids become file names); shorten it"
        )
    return f"this {field} is {len(value)} characters long, more than {limit}: shorten it"


def _location(error: Mapping[str, Any]) -> Path_:
    # Pydantic adds union/validator markers such as 'function-before[...]' to locations.
    return tuple(p for p in error["loc"] if not (isinstance(p, str) and ("[" in p or p in ("str", "Target"))))


def _validate(data: Any, positions: dict[Path_, tuple[int, int]], file: str) -> Flow:
    if not isinstance(data, dict):
        line, column = positions.get((), (1, 1))
        raise FlowError(
            [
                Problem(
                    file,
                    line,
                    column,
                    f"a flow is a mapping (version: 1, id: …, steps: …), found {type(data).__name__}",
                )
            ]
        )
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
            key_path = (KEY, *path)
            at_key = item["type"] == "extra_forbidden" or item["loc"][-1] == "[key]"
            line, column = positions[key_path] if at_key and key_path in positions else _closest(positions, path)
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
            line, _ = _closest(positions, (*seen[step.id], "id"))
            problem(
                (*path, "id"), f"duplicate step id {step.id!r} (first used on line {line}): give each step its own id"
            )
        seen[step.id] = path
        for key in ("open", "lands"):
            if getattr(step, key):
                known("page", getattr(step, key), flow.pages, (*path, key))
        if step.table:
            known("table", step.table, flow.tables, (*path, "table"))
        for key in ("value", "instruction", "text"):
            for name in VARIABLE_REF.findall(getattr(step, key) or ""):
                known("variable", name, flow.variables, (*path, key))
        if step.options:
            ids = [o.id for o in step.options]
            for number, option_id in enumerate(ids):
                if ids.count(option_id) > 1:
                    problem((*path, "options", number, "id"), f"duplicate option id {option_id!r}")
            for number, option in enumerate(step.options):
                for question, answers in option.when.items():
                    where = (*path, "options", number, "when", question)
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
                problem(
                    ("tables", name, "pick", key), f"column {index} does not exist (the table has {len(table.columns)})"
                )
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
        raise FlowError(
            [
                Problem(
                    name,
                    1,
                    1,
                    f"the file is {size // 1024} KiB; a flow is at most "
                    f"{MAX_BYTES // 1000} kB: split it into several flows",
                )
            ]
        )
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
            problems.append(
                Problem(str(file), line, column, f"flow id {item.flow.id!r} is also used by {ids[item.flow.id]}")
            )
        ids[item.flow.id] = file
        loaded.append(item)
    if problems:
        raise FlowError(problems)
    return loaded
