"""The draft of a flow as it is built: the flow's parts plus the TODO notes for its author."""

from __future__ import annotations

from dataclasses import dataclass, field

from .recognise import Target


@dataclass
class DraftStep:
    id: str = ""
    instruction: str = ""
    notes: list[str] = field(default_factory=list)
    target: Target | None = None
    action: str | None = None
    value: str | None = None
    lands: str | None = None
    open: str | None = None
    outside: bool = False
    table: str | None = None
    question: str | None = None
    options: list[DraftOption] = field(default_factory=list)
    todos: list[str] = field(default_factory=list)
    field: str | None = None  # what a fill step asks for (→ a variable)
    confirm: bool = False
    example: str | None = None  # « exemple : … » under a field
    statement: bool = False  # the document says something here, but no browser action was recognised

    def walk(self) -> list[DraftStep]:
        return [self] + [s for option in self.options for step in option.steps for s in step.walk()]


@dataclass
class DraftOption:
    id: str
    label: str
    steps: list[DraftStep] = field(default_factory=list)
    when: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None


@dataclass
class DraftPage:
    id: str
    url: str
    heading: str
    todos: list[str] = field(default_factory=list)


@dataclass
class DraftRule:
    text: str
    pattern: str | None  # None: the document states a rule no pattern can check


@dataclass
class DraftVariable:
    name: str
    label: str
    test: str
    example: str | None = None
    rules: list[DraftRule] = field(default_factory=list)
    kind: str = ""  # the field's words and label: what kind of value it takes
    todos: list[str] = field(default_factory=list)

    @property
    def env(self) -> str:
        return "GUIDE_" + self.name.upper()


@dataclass
class DraftTable:
    id: str
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_todos: dict[int, str] = field(default_factory=dict)
    pick_label: str = ""
    subject: str | None = None
    todos: list[str] = field(default_factory=list)


@dataclass
class DraftFlow:
    id: str = "procedure"
    title: str = ""
    source_title: str = ""
    lang: str = "fr"
    date: str | None = None
    audience: str = ""
    needs: list[str] = field(default_factory=list)
    start: str = ""
    pages: dict[str, DraftPage] = field(default_factory=dict)
    variables: dict[str, DraftVariable] = field(default_factory=dict)
    tables: dict[str, DraftTable] = field(default_factory=dict)
    steps: list[DraftStep] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)  # page headings seen in the document's screenshots
    todos: dict[str, list[str]] = field(default_factory=dict)  # by top-level key

    def all_steps(self) -> list[DraftStep]:
        return [s for step in self.steps for s in step.walk()]
