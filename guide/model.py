"""The flow format, version 1: the one source of truth.

The JSON Schema shipped in ``guide/flow.schema.json`` is generated from these models
(``guide schema``); the loader validates YAML against them and maps every error back to
the file:line:column it came from.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from . import css, jsregex
from .actions import ACTIONS, NAMES

MAX_ID_CHARS = 64  # ids and names (steps, options, pages…): they become file names, which stop at 255 bytes
MAX_PATTERN_CHARS = 1000  # a rule's pattern: real ones are a few dozen characters
MAX_CSS_CHARS = 1000  # a css: target: a selector longer than this is a mistake
MAX_URL_WILDCARDS = 3  # `*` in a page's URL: each one multiplies the work of matching an address

SLUG = r"^[a-z0-9][a-z0-9-]*$"
# Keys that only editors read (yaml-language-server, VS Code): the message shown when a value does
# not match a pattern, and the description of each value of an enum in the completion list.
PATTERN_MESSAGE = "patternErrorMessage"
ENUM_DESCRIPTIONS = "enumDescriptions"
Slug = Annotated[
    str,
    Field(
        pattern=SLUG,
        max_length=MAX_ID_CHARS,
        description="lower-case letters, digits and dashes",
        examples=["saisir-courriel"],
        json_schema_extra={
            PATTERN_MESSAGE: "an id is lower-case letters, digits and dashes, "
            "starting with a letter or a digit: saisir-courriel"
        },
    ),
]
Name = Annotated[str, Field(max_length=MAX_ID_CHARS)]  # the name of a page, variable or table
# http(s) and a host, no spaces or control characters; written for both Python and ECMA 262,
# and without nested repetition (the host cannot take '/', '?' or '#').
WEB_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000-\u0020\u007f/?#]+(?:[/?#][^\u0000-\u0020\u007f]*)?$"
URL_MESSAGE = "write the page's full address, starting with https:// (or http://), without spaces"

# WAI-ARIA roles a person can see and name; Playwright's get_by_role accepts them all.
ROLES = (
    "alert",
    "article",
    "banner",
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "dialog",
    "form",
    "grid",
    "heading",
    "img",
    "link",
    "list",
    "listbox",
    "listitem",
    "main",
    "menu",
    "menuitem",
    "navigation",
    "option",
    "radio",
    "radiogroup",
    "region",
    "row",
    "search",
    "searchbox",
    "spinbutton",
    "status",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "textbox",
)
Role = Literal[ROLES]  # type: ignore[valid-type]  # same: a Literal built from the tuple above

# Built from guide.actions, where each action is defined once (a Literal made at import time:
# the type checker cannot see its values).
Action = Annotated[
    Literal[NAMES],  # type: ignore[valid-type]
    Field(json_schema_extra={ENUM_DESCRIPTIONS: [ACTIONS[name].summary for name in NAMES]}),
]

# `link "Se connecter"`, `label "Courriel"`, `button « Réinitialiser »`.
# Patterns are written in the syntax both Python and JSON Schema (ECMA 262) read, and without
# nested repetition, so a long value is refused in linear time.
SHORTHAND = re.compile(r'^\s*([a-z]+)\s+(?:"([^"]*)"|«([^»]*)»)\s*$')
SHORTHAND_KINDS = ("label", "text", "placeholder", "block")
# For editors only (the parser above reads the value and explains what is wrong): the kinds
# spelled out, so that `buton "Valider"` is flagged as you type.
SHORTHAND_SCHEMA = (
    r"^\s*(?:" + "|".join(SHORTHAND_KINDS + ROLES) + r")\s+"
    r'(?:"[^"]*[^"\s][^"]*"|«[^»]*[^»\s][^»]*»)\s*$'
)
SHORTHAND_EXAMPLES = [
    'button "Réinitialiser"',
    'link "Se connecter"',
    'label "Courriel"',
    'text "Mot de passe oublié"',
    "radio « Courriel »",
    'block "Mon espace personnel"',
]


# What guide reads as true or false besides true and false: YAML 1.1's words, which PyYAML
# follows (`secret: yes`), and the same words quoted. A YAML 1.2 reader (editors) reads them as
# text, so the schema names them (guide.schema); nothing else is taken for a boolean.
YAML_BOOLEAN_WORDS = r"^(?:[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|[Tt]rue|TRUE|[Ff]alse|FALSE)$"


def _boolean_word(value: object) -> object:
    if isinstance(value, str) and re.match(YAML_BOOLEAN_WORDS, value):
        return value.lower() in ("yes", "on", "true")
    return value


# true or false, or one of the words above: never 1, 0, "y" or "t", which pydantic's lax mode
# would take but the schema (and so the author's editor) refuses.
YamlBool = Annotated[bool, BeforeValidator(_boolean_word)]


def _not_a_boolean(value: object) -> object:
    # Literal[1] takes true (true == 1 in Python); the schema's const 1 does not
    if isinstance(value, bool):
        raise ValueError(f"expected the number 1, found {str(value).lower()}")
    return value


class Strict(BaseModel):
    # strict: a value of the wrong type is refused, never converted ("1" for a number, true for
    # the version), as the JSON Schema an editor checks against refuses it
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _shown(value: str) -> str:
    """A value as a message quotes it: whole when short."""
    return repr(value if len(value) <= 60 else value[:60] + "…")


def check_web_url(url: str | None) -> str | None:
    """Only web pages: a file:, javascript: or data: address would be opened (or linked) as is."""
    if url is not None and not re.match(WEB_URL, url):
        raise ValueError(
            f"{_shown(url)} is not a web address: write the page's full address, "
            "starting with https:// (or http://), without spaces"
        )
    return url


def check_page_url(url: str) -> str:
    check_web_url(url)
    if url.count("*") > MAX_URL_WILDCARDS:
        raise ValueError(
            f"{_shown(url)} has {url.count('*')} wildcards (*): use at most {MAX_URL_WILDCARDS}, "
            "and write the rest of the address out"
        )
    return url


def check_js_pattern(pattern: str) -> str:
    """Compiled in the page as new RegExp(pattern, 'u'), and run at every key the person types."""
    try:
        jsregex.check(pattern)
    except jsregex.RegexError as error:
        kind = "could freeze the page" if error.slow else "is not a JavaScript regular expression"
        raise ValueError(f"pattern {_shown(pattern)} {kind}: {error}") from None
    return pattern


def check_css(selector: str | None) -> str | None:
    problem = css.selector_problem(selector) if selector else None
    if problem:
        raise ValueError(problem)
    return selector


def parse_target_shorthand(value: object) -> object:
    """Turn `button "Réinitialiser"` into {role: button, name: Réinitialiser}."""
    if not isinstance(value, str):
        return value
    match = SHORTHAND.match(value)
    if not match:
        raise ValueError(
            f"cannot read target {value!r}: write it as a role and a quoted name, "
            'for example: button "Réinitialiser", link "Se connecter", label "Courriel"'
        )
    kind, name = match[1], (match[2] if match[2] is not None else match[3]).strip()
    if not name:
        raise ValueError(f"target {value!r} has an empty name: write the words the page shows between the quotes")
    if kind in SHORTHAND_KINDS:
        return {kind: name}
    if kind not in ROLES:
        raise ValueError(f"unknown role {kind!r} in target {value!r}: use one of {', '.join(SHORTHAND_KINDS + ROLES)}")
    return {"role": kind, "name": name}


ShorthandText = Annotated[
    str,
    Field(
        pattern=SHORTHAND_SCHEMA,
        examples=SHORTHAND_EXAMPLES,
        description='a role and the name the page shows, in quotes: button "Réinitialiser"; or label "…", text "…", '
        'placeholder "…", block "…"',
        json_schema_extra={
            PATTERN_MESSAGE: "write a role (button, link, radio…) or label, text, placeholder, block, "
            'then the name in quotes: button "Réinitialiser", label "Courriel"'
        },
    ),
]
# A target written either as a mapping or as the shorthand `button "Réinitialiser"`.
TargetField = Annotated[
    "Target", BeforeValidator(parse_target_shorthand, json_schema_input_type=Union[ShorthandText, "Target"])
]


class Target(Strict):
    """An element named as a person sees it. Exactly one way of finding it."""

    role: Role | None = Field(
        None, description="ARIA role, with `name`: button, link, radio…", examples=["button", "link", "radio"]
    )
    name: str | None = Field(None, description="accessible name, matched whole and case-sensitive")
    label: str | None = Field(None, description="text of the field's <label>, matched whole")
    text: str | None = Field(None, description="visible text, matched whole")
    placeholder: str | None = Field(None, description="placeholder of a field, matched whole")
    block: str | None = Field(
        None,
        description="a part of the page identified by its visible title (a landmark's "
        "name, a legend, a heading or the block's own title text); "
        "mostly used in `within:`",
    )
    css: Annotated[str | None, Field(max_length=MAX_CSS_CHARS), AfterValidator(check_css)] = Field(
        None, description="CSS selector: last resort, needs last_resort: true"
    )
    testid: str | None = Field(None, description="data-testid: last resort, needs last_resort: true")
    within: TargetField | None = Field(
        None, description='a region the element must be inside, e.g. region "Mon espace personnel"'
    )
    last_resort: YamlBool = Field(False, description="acknowledges a CSS / test id target")

    @model_validator(mode="after")
    def _one_way(self) -> Target:
        ways = [k for k in ("role", "label", "text", "placeholder", "block", "css", "testid") if getattr(self, k)]
        if len(ways) != 1:
            raise ValueError(
                "a target needs exactly one of role, label, text, placeholder, block, css, testid "
                f"(found {', '.join(ways) or 'none'})"
            )
        if self.role and not self.name:
            raise ValueError(f'role {self.role!r} needs a name: {self.role} "…"')
        if self.name and not self.role:
            raise ValueError("name is only used with role")
        if (self.css or self.testid) and not self.last_resort:
            raise ValueError(
                "CSS and test id targets are a last resort: name the element as a person sees it "
                "(role + name, label, text), or add last_resort: true"
            )
        return self


class Rule(Strict):
    """A rule the page enforces on a field; shown live as ✓ / ✗ beside it."""

    text: str = Field(description="the rule as the page words it, e.g. au moins 8 caractères")
    pattern: Annotated[str, Field(max_length=MAX_PATTERN_CHARS), AfterValidator(check_js_pattern)] = Field(
        description="a JavaScript regular expression the value must match (with the u flag)",
        examples=["^.{8,}$", "[A-Z]", "[0-9]"],
    )


EnvName = Annotated[
    str,
    Field(
        pattern=r"^[A-Z_][A-Z0-9_]*$",
        examples=["GUIDE_COURRIEL"],
        json_schema_extra={PATTERN_MESSAGE: "capital letters, digits and _: GUIDE_COURRIEL"},
    ),
]


class Variable(Strict):
    """A value the person supplies: from the environment or a prompt, never stored."""

    label: str = Field(description="what to ask for, in the flow's language")
    env: EnvName | None = Field(None, description="environment variable holding the value")
    secret: YamlBool = Field(True, description="masked in every output (default: personal data is)")
    test: str = Field(description="value used against the fixtures by check and shots (fake data)")
    example: str | None = Field(None, description="an example shown to the person: nom@exemple.fr")
    rules: list[Rule] = Field(default_factory=list, description="rules the page enforces, shown live as ✓ / ✗")


class Page(Strict):
    """A page the flow visits, and how to recognise it."""

    url: Annotated[str, AfterValidator(check_page_url)] = Field(
        description="real URL; `*` matches anything; the query is ignored unless given",
        examples=["https://www.douane.gouv.fr/"],
        json_schema_extra={"pattern": WEB_URL, PATTERN_MESSAGE: URL_MESSAGE},
    )
    title: str | None = Field(None, description="the page's <title>, whole")
    heading: str | None = Field(None, description="the page's level-1 heading, whole")
    simulated: YamlBool = Field(False, description="stands in for something outside the site (a mailbox)")

    @model_validator(mode="after")
    def _recognisable(self) -> Page:
        if not (self.title or self.heading):
            raise ValueError("a page needs a title or a heading to be recognised")
        return self


class Pick(Strict):
    """Turns a table into a choice: the person picks a row (a department) and gets its cells."""

    label: str = Field(description="the question, e.g. Dans quel département avez-vous créé votre compte ?")
    column: int = Field(0, ge=0, description="column shown in the choice")
    mailto_column: int | None = Field(None, ge=0, description="column holding an e-mail address")
    subject: str | None = Field(None, description="subject of the pre-filled e-mail")


class Table(Strict):
    """Data from the document, e.g. the DDFIP address of each department."""

    title: str = Field(description="shown above the table")
    columns: list[str] = Field(min_length=1, description="column headings")
    rows: list[list[str]] = Field(min_length=1, description="one list of cells per row, as many as columns")
    pick: Pick | None = Field(None, description="let the person pick a row")

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        for number, row in enumerate(self.rows, 1):
            if len(row) != len(self.columns):
                raise ValueError(f"row {number} has {len(row)} cells, the table has {len(self.columns)} columns")
        return self


class Furniture(Strict):
    """Something that may appear on any page — a consent banner, a satisfaction survey, a
    maintenance notice — and how to make it go away. Check, shots and autoplay close it
    whenever it gets in the way; live asks the person to close it first."""

    id: Slug
    name: str = Field(description="what a person calls it, for live's card: le bandeau des cookies")
    appears: TargetField = Field(description='how to recognise it, e.g. region "Gestion des cookies"')
    dismiss: TargetField = Field(description='what closes it, inside it, e.g. button "Tout refuser"')


class Source(Strict):
    """The help document the flow follows."""

    title: str = Field(description="the document's title")
    date: str | None = Field(None, description="as the document gives it: Juin 2022")
    publisher: str | None = Field(None, description="who publishes the document")
    url: Annotated[str | None, AfterValidator(check_web_url)] = Field(
        None,
        description="where the document is published",
        json_schema_extra={"pattern": WEB_URL, PATTERN_MESSAGE: URL_MESSAGE},
    )


class Option(Strict):
    """One answer to a question, or one alternative method."""

    id: Slug
    label: str = Field(description="the answer as the person reads it, on its button")
    note: str | None = Field(None, description="extra text shown with the answer")
    when: dict[str, str | list[str]] = Field(
        default_factory=dict, description="offered only if earlier answers match: {question-id: option-id}"
    )
    steps: list[Step] = Field(default_factory=list, description="the steps of this answer, then the flow goes on")


class Step(Strict):
    """One instruction of the document, and what the browser must show or do for it."""

    id: Slug
    instruction: str = Field(description="shown to the person, worded as in the document")
    note: str | None = Field(None, description="extra text shown under the instruction")
    open: str | None = Field(None, description="page id to open before the step (its URL)")
    target: TargetField | None = Field(
        None,
        description='the element the step is about: button "Réinitialiser", or a mapping (role and name, '
        "label, text, placeholder, block…; within: for a region)",
        examples=SHORTHAND_EXAMPLES[:3],
    )
    action: Action | None = Field(
        None,
        description=f"what the person does with the target: {', '.join(NAMES)}; "
        f"{', '.join(a.name for a in ACTIONS.values() if a.needs_value)} "
        "need a value",
    )
    value: str | None = Field(None, description="text to fill, option to select, key to press; {variable}")
    text: str | None = Field(None, description="with action expect: text the target must contain")
    rules: list[Rule] | None = Field(None, description="rules of the field; defaults to the variable's")
    lands: str | None = Field(None, description="page id the step must land on")
    outside: YamlBool = Field(False, description="done outside the browser (e-mail, SMS, letter)")
    simulate: list[Step] = Field(
        default_factory=list, description="what the person does outside, replayed against fixtures"
    )
    table: str | None = Field(None, description="table id shown with the step")
    question: str | None = Field(None, description="a question or a choice between methods")
    options: list[Option] = Field(default_factory=list, description="the answers to the question (two or more)")
    secret: YamlBool = Field(False, description="the field holds personal data even without a variable")

    @model_validator(mode="after")
    def _coherent(self) -> Step:
        if self.options and not self.question:
            raise ValueError("options need a question")
        if self.question and len(self.options) < 2:
            raise ValueError("a question needs at least two options")
        if self.question and (self.target or self.action):
            raise ValueError("a question step has no target or action: put them in the options' steps")
        if self.action and not self.target:
            raise ValueError(f"action {self.action!r} needs a target")
        if self.target and not self.action:
            raise ValueError(f"a target needs an action: {', '.join(NAMES)}")
        if self.action and ACTIONS[self.action].needs_value and self.value is None:
            raise ValueError(f"action {self.action!r} needs a value")
        if self.text is not None and self.action != "expect":
            raise ValueError("text is only checked with action: expect")
        if self.simulate and not self.outside:
            raise ValueError("simulate describes an outside step: add outside: true")
        if self.outside and self.target:
            raise ValueError("an outside step has no target: describe the browser part in simulate")
        return self

    @property
    def acts(self) -> bool:
        """Does the person do something in the browser for this step?"""
        return self.action is not None and ACTIONS[self.action].acts


class Flow(Strict):
    """A help procedure as a flow: pages, variables, tables and ordered steps."""

    version: Annotated[Literal[1], BeforeValidator(_not_a_boolean)] = Field(
        description="the version of the flow format: 1"
    )
    id: Slug
    title: str = Field(description="the procedure's title, as the document gives it")
    lang: str = Field(
        "fr",
        pattern=r"^[a-z]{2}(-[A-Z]{2})?$",
        description="the language of the texts: fr, en, fr-FR…",
        json_schema_extra={PATTERN_MESSAGE: "a language code: fr, en, or fr-FR"},
    )
    source: Source = Field(description="the help document the flow follows")
    audience: str = Field(description="who the procedure is for")
    needs: list[str] = Field(default_factory=list, description="what the person needs beforehand")
    start: str = Field(description="page id where the procedure starts")
    pages: dict[Name, Page] = Field(min_length=1, description="the pages the procedure visits, by id")
    variables: dict[Name, Variable] = Field(
        default_factory=dict, description="values the person supplies, used as {name} in steps"
    )
    tables: dict[Name, Table] = Field(default_factory=dict, description="data from the document, by id")
    furniture: list[Furniture] = Field(
        default_factory=list, description="things that may appear on any page, and how to close them"
    )
    steps: list[Step] = Field(min_length=1, description="the instructions of the document, in order")
    notes: list[str] = Field(default_factory=list, description="closing notes and tips")


Option.model_rebuild()
Step.model_rebuild()
Target.model_rebuild()
