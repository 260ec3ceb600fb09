"""The draft as YAML text, written out by hand so every TODO sits as a comment where it applies.

A YAML library would drop comments (PyYAML) or need a round-trip layer (ruamel.yaml) for a
file whose shape is fixed and small; scalars are still quoted by PyYAML, so they are always
valid YAML.
"""

from __future__ import annotations

import json
import re

import yaml

from .parts import DraftFlow, DraftOption, DraftPage, DraftStep, DraftTable, DraftVariable
from .recognise import Target

SHORTHAND_NAME = re.compile(r'^[^"\n]+$')


def scalar(value: str | int | bool) -> str:
    """One YAML scalar, plain when that is safe, quoted otherwise."""
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def flow_scalar(value: str | int | bool) -> str:
    """A scalar inside `[…]` or `{…}`, where a plain `,` `[` `]` `{` `}` would end it."""
    text = scalar(value)
    if isinstance(value, str) and text[:1] not in ("'", '"') and re.search(r"[,\[\]{}]", text):
        return json.dumps(value, ensure_ascii=False)
    return text


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.todos = 0

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def key(self, indent: int, name: str, value: str | int | bool | None) -> None:
        if value is not None:
            self.line(indent, f"{name}: {scalar(value)}")

    def todo(self, indent: int, text: str) -> None:
        self.todos += 1
        self.line(indent, f"# TODO: {text}")

    def todo_lines(self, indent: int, texts: list[str]) -> None:
        for text in texts:
            self.todo(indent, text)


def target_text(target: Target) -> str:
    """`link "Se connecter"`, or the mapping form when the target is inside a block."""
    if target.within is None and SHORTHAND_NAME.match(target.name):
        return scalar(f'{target.kind} "{target.name}"')
    if target.kind in ("label", "text", "placeholder"):
        parts = [f"{target.kind}: {flow_scalar(target.name)}"]
    else:
        parts = [f"role: {target.kind}", f"name: {flow_scalar(target.name)}"]
    if target.within is not None:  # a part of the page named by its visible title
        parts.append(f"within: {{block: {flow_scalar(target.within)}}}")
    return "{" + ", ".join(parts) + "}"


def write_flow(flow: DraftFlow, source: str, schema: str) -> tuple[str, int]:
    """The flow's YAML text and how many TODO comments it holds."""
    out = Writer()
    out.line(0, f"# yaml-language-server: $schema={schema}")
    out.line(0, f"# Drafted by `guide draft` from {source}. The TODO comments mark what the document")
    out.line(0, "# does not say: settle each one and delete it, then run `guide lint` and `guide check`.")
    out.key(0, "version", 1)
    out.key(0, "id", flow.id)
    out.todo_lines(0, flow.todos.get("title", []))
    out.key(0, "title", flow.title)
    out.key(0, "lang", flow.lang)
    out.line(0, "source:")
    out.key(2, "title", flow.source_title or flow.title)
    out.key(2, "date", flow.date)
    out.todo(2, "publisher: who publishes the document; url: where it is published")
    out.todo_lines(0, flow.todos.get("audience", []))
    out.key(0, "audience", flow.audience)
    if flow.needs:
        out.line(0, "needs:")
        for need in flow.needs:
            out.line(2, f"- {scalar(need)}")
    out.key(0, "start", flow.start)
    out.line(0, "")
    _pages(out, flow)
    if flow.variables:
        out.line(0, "")
        out.line(0, "# What the person types: secret (masked everywhere) unless it is not personal data;")
        out.line(0, "# test values are fake and used only against the fixtures.")
        out.line(0, "variables:")
        for variable in flow.variables.values():
            _variable(out, variable)
    if flow.tables:
        out.line(0, "")
        out.line(0, "tables:")
        for table in flow.tables.values():
            _table(out, table)
    out.line(0, "")
    out.todo_lines(0, flow.todos.get("steps", []))
    out.line(0, "steps:")
    for step in flow.steps:
        _step(out, step, 2)
    return "\n".join(out.lines) + "\n", out.todos


def _pages(out: Writer, flow: DraftFlow) -> None:
    if flow.screens:
        seen = ", ".join(f"« {s} »" for s in dict.fromkeys(flow.screens))
        out.todo(0, f"the document's screenshots show pages headed {seen}: declare the ones the flow visits")
    out.line(0, "pages:")
    for page in flow.pages.values():
        _page(out, page)


def _page(out: Writer, page: DraftPage) -> None:
    out.line(2, f"{page.id}:")
    out.todo_lines(4, page.todos)
    out.key(4, "url", page.url)
    out.key(4, "heading", page.heading)


def _variable(out: Writer, variable: DraftVariable) -> None:
    out.line(2, f"{variable.name}:")
    out.todo_lines(4, variable.todos)
    out.key(4, "label", variable.label)
    out.key(4, "env", variable.env)
    out.key(4, "secret", True)
    out.key(4, "test", variable.test)
    out.key(4, "example", variable.example)
    if variable.rules:
        out.line(4, "rules:")
        for rule in variable.rules:
            if rule.pattern is None:
                out.todo(6, f"a rule no pattern can check, keep it in a note: {rule.text}")
                continue
            out.line(6, f"- text: {scalar(rule.text)}")
            out.line(8, f"pattern: {scalar(rule.pattern)}")


def _table(out: Writer, table: DraftTable) -> None:
    out.line(2, f"{table.id}:")
    out.todo_lines(4, table.todos)
    out.key(4, "title", table.title)
    out.line(4, "columns: [" + ", ".join(flow_scalar(c) for c in table.columns) + "]")
    out.line(4, "rows:")
    for number, row in enumerate(table.rows):
        if number in table.row_todos:
            out.todo(6, table.row_todos[number])
        out.line(6, "- [" + ", ".join(flow_scalar(cell) for cell in row) + "]")
    out.line(4, "pick:")
    out.key(6, "label", table.pick_label)
    out.key(6, "column", 0)
    out.key(6, "mailto_column", 1)
    out.key(6, "subject", table.subject)


def _step(out: Writer, step: DraftStep, indent: int) -> None:
    out.line(indent, f"- id: {scalar(step.id)}")
    inner = indent + 2
    out.todo_lines(inner, step.todos)
    out.key(inner, "instruction", step.instruction)
    if step.notes:
        out.key(inner, "note", " ".join(step.notes))
    out.key(inner, "open", step.open)
    if step.target is not None and step.action is not None:
        out.line(inner, f"target: {target_text(step.target)}")
        out.key(inner, "action", step.action)
        out.key(inner, "value", step.value)
    if step.outside:
        out.key(inner, "outside", True)
    out.key(inner, "table", step.table)
    out.key(inner, "lands", step.lands)
    if step.question:
        out.key(inner, "question", step.question)
        out.line(inner, "options:")
        for option in step.options:
            _option(out, option, inner + 2)


def _option(out: Writer, option: DraftOption, indent: int) -> None:
    out.line(indent, f"- id: {scalar(option.id)}")
    inner = indent + 2
    out.key(inner, "label", option.label)
    out.key(inner, "note", option.note)
    if option.when:
        pairs = ", ".join(
            f"{flow_scalar(q)}: [{', '.join(flow_scalar(a) for a in answers)}]" for q, answers in option.when.items()
        )
        out.line(inner, f"when: {{{pairs}}}")
    if option.steps:
        out.line(inner, "steps:")
        for step in option.steps:
            _step(out, step, inner + 2)
