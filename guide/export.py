"""`guide export`: the step-by-step guide, regenerated from the flow, in Markdown or HTML.

One walk over the flow (`Guide`) tells a writer (`MarkdownWriter`, `HtmlWriter`) what to
write: title, who it is for, what you need, the rules to respect, numbered steps with their
instruction, note and screenshot, questions and their alternatives as sections (« Méthode
n°1 », « Méthode n°2 »), tables (with their e-mail links) and closing notes. Step numbers
are the screenshots' numbers (guide.numbering), so « étape 12 » is 12-….png.

Output depends on the flow and the screenshots only (no date, no absolute path): exporting
twice gives the same files, and a file whose text did not change is not rewritten.
"""

from __future__ import annotations

import base64
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Protocol
from urllib.parse import quote

from rich.console import Console

from .files import write_atomic
from .loader import LoadedFlow
from .model import Flow, Option, Step, Table
from .numbering import Number, number_steps
from .tree import Path_, walk

ASSETS = Path(__file__).with_name("export")
FORMATS = ("md", "html")
MAX_HEADING = 6

# Inline text: ("text", s) | ("strong", s) | ("em", s) | ("link", text, href)
Span = tuple[str, ...]
Spans = list[Span]


def flat(value: str) -> str:
    """One line: YAML line breaks are not the writer's intent."""
    return re.sub(r"\s+", " ", value)


def text(value: str) -> Span:
    return ("text", flat(value))


def strong(value: str) -> Span:
    return ("strong", flat(value).strip())


def em(value: str) -> Span:
    return ("em", flat(value).strip())


def link(label: str, href: str) -> Span:
    return ("link", label, href)


def anchor(title: str) -> str:
    """The id GitHub gives a heading, so Markdown links and HTML ids agree."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def mailto(address: str, subject: str | None) -> str:
    return f"mailto:{address}" + (f"?subject={quote(subject)}" if subject else "")


@dataclass
class Figure:
    src: str  # link or data: URI
    alt: str
    caption: str


class Writer(Protocol):
    """What a guide is made of; one implementation per output format."""

    def title(self, value: str) -> None: ...
    def heading(self, level: int, value: str) -> None: ...
    def paragraph(self, spans: Spans, kind: str = "") -> None: ...
    def bullets(self, items: list[Spans]) -> None: ...
    def table(self, columns: list[str], rows: list[list[Spans]]) -> None: ...
    def begin_steps(self) -> None: ...
    def end_steps(self) -> None: ...
    def begin_step(self, label: str, spans: Spans, sub: bool = False) -> None: ...
    def end_step(self) -> None: ...
    def figure(self, figure: Figure) -> None: ...
    def footer(self, spans: Spans) -> None: ...
    def render(self) -> str: ...


# --- the walk --------------------------------------------------------------------------------


@dataclass
class ExportOptions:
    out: Path
    format: str = "md"
    images: Path = Path("screenshots")  # relative to out, where `guide shots --out` wrote
    link_images: bool = False  # HTML: refer to the screenshots instead of embedding them
    index: bool = False  # also write README.md / index.html listing the guides


@dataclass
class Guide:
    """Walks one flow and tells a writer what to write."""

    loaded: LoadedFlow
    writer: Writer
    options: ExportOptions
    shots: dict[Path_, Number] = field(init=False)
    missing: list[Path] = field(default_factory=list)  # screenshots not found
    questions: dict[str, Step] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.shots = number_steps(self.flow)

    @property
    def flow(self) -> Flow:
        return self.loaded.flow

    def write(self) -> str:
        flow, w = self.flow, self.writer
        w.title(flow.title)
        w.paragraph(self._source(), "meta")
        w.heading(2, "À qui s'adresse cette procédure ?")
        w.paragraph([text(flow.audience)])
        if flow.needs:
            w.heading(2, "Ce dont vous avez besoin")
            w.bullets([[text(need)] for need in flow.needs])
        self._rules()
        w.heading(2, "Pas à pas")
        start = flow.pages[flow.start]
        w.paragraph([text("Point de départ : "), link(start.url, start.url)])
        self._steps(flow.steps, ("steps",), 3)
        self._unattached_tables()
        if flow.notes:
            w.heading(2, "Notes et astuces")
            w.bullets([[text(note)] for note in flow.notes])
        w.footer([text("Document généré par "), ("code", "guide export"), text(" à partir du parcours "),
                  ("code", self.loaded.file.name), text(". Ne le modifiez pas à la main : modifiez le "
                  "parcours, puis régénérez le guide et ses captures d'écran ("), ("code", "make docs"),
                  text(").")])
        return w.render()

    def _source(self) -> Spans:
        source = self.flow.source
        spans: Spans = [text("Source : "), link(source.title, source.url) if source.url else em(source.title)]
        details = [d for d in (source.publisher, source.date) if d]
        if details:
            spans.append(text(" — " + ", ".join(details)))
        return spans + [text(".")]

    def _rules(self) -> None:
        ruled = [v for v in self.flow.variables.values() if v.rules]
        if not ruled:
            return
        self.writer.heading(2, "Règles à respecter")
        for variable in ruled:
            self.writer.paragraph([strong(variable.label), text(" :")])
            self.writer.bullets([[text(rule.text)] for rule in variable.rules])

    # steps, questions and alternatives

    def _steps(self, steps: list[Step], path: Path_, level: int) -> None:
        w = self.writer
        w.begin_steps()
        for index, step in enumerate(steps):
            here = path + (index,)
            if not step.options:
                self._step(step, here)
                continue
            self._question(step, here)
            self.questions[step.id] = step
            alternatives = [(n, o) for n, o in enumerate(step.options) if o.steps]
            if not alternatives:
                continue
            w.end_steps()
            for rank, (number, option) in enumerate(alternatives, 1):
                w.heading(min(level, MAX_HEADING), self._method_title(option, rank))
                if option.when:
                    w.paragraph(self._condition(option), "condition")
                if option.note:
                    w.paragraph([text(option.note)], "note")
                self._steps(option.steps, here + ("options", number, "steps"), level + 1)
            if index + 1 < len(steps):
                w.heading(min(level, MAX_HEADING), "Ensuite, quelle que soit la méthode")
            w.begin_steps()
        w.end_steps()

    def _step(self, step: Step, path: Path_) -> None:
        w, shot = self.writer, self.shots[path]
        w.begin_step(str(int(shot.number)), [text(step.instruction)])
        if step.outside:
            w.paragraph([em("À faire en dehors du site.")], "outside")
        if step.open and not self.flow.pages[step.open].simulated:
            url = self.flow.pages[step.open].url
            w.paragraph([text("Page : "), link(url, url)], "page")
        if step.note:
            w.paragraph([strong("À noter :"), text(" " + step.note)], "note")
        if step.rules:  # the step's own rules (the variables' ones are listed above)
            w.bullets([[text(rule.text)] for rule in step.rules])
        if step.table:
            self._table(self.flow.tables[step.table])
        self._figure(shot)
        if step.simulate:
            w.paragraph([em("Exemple dans une messagerie de démonstration :")], "simulated")
            w.begin_steps()
            for number, sub in enumerate(step.simulate):
                subshot = self.shots[path + ("simulate", number)]
                w.begin_step(subshot.number.lstrip("0"), [text(sub.instruction)], sub=True)
                self._figure(subshot)
                w.end_step()
            w.end_steps()
        w.end_step()

    def _question(self, step: Step, path: Path_) -> None:
        w, shot = self.writer, self.shots[path]
        w.begin_step(str(int(shot.number)), [strong(step.question or step.instruction)])
        if step.question and step.instruction != step.question:
            w.paragraph([text(step.instruction)])
        rank = 0
        items: list[Spans] = []
        for option in step.options:
            item: Spans = [strong(option.label)]
            if option.steps:  # an alternative: its label leads to its section
                rank += 1
                title = self._method_title(option, rank)
                item = [link(title, "#" + anchor(title))]
            if option.when:
                item += [text(" ("), *self._condition(option, short=True), text(")")]
            if option.note:
                item += [text(" — " + option.note)]
            items.append(item)
        w.bullets(items)
        if step.note:
            w.paragraph([strong("À noter :"), text(" " + step.note)], "note")
        self._figure(shot)
        w.end_step()

    @staticmethod
    def _method_title(option: Option, rank: int) -> str:
        if re.match(r"^\s*m[ée]thode\s+n\s*°", option.label, re.IGNORECASE):
            return option.label
        return f"Méthode n°{rank} : {option.label}"

    def _condition(self, option: Option, short: bool = False) -> Spans:
        parts: list[str] = []
        for question_id, wanted in option.when.items():
            question = self.questions.get(question_id)
            wanted_ids = [wanted] if isinstance(wanted, str) else wanted
            if question is None:
                parts.append(f"{question_id} : {', '.join(wanted_ids)}")
                continue
            labels = [o.label for o in question.options if o.id in wanted_ids]
            answers = " ou ".join(f"« {label} »" for label in labels)
            parts.append(f"vous avez répondu {answers} à la question « {question.question} »")
        sentence = " et ".join(parts)
        return [text(f"seulement si {sentence}")] if short else [em(f"Seulement si {sentence}.")]

    # tables and screenshots

    def _table(self, table: Table) -> None:
        w, pick = self.writer, table.pick
        w.paragraph([strong(table.title)])
        if pick:
            w.paragraph([text(pick.label)])
        rows: list[list[Spans]] = []
        for row in table.rows:
            cells: list[Spans] = []
            for column, cell in enumerate(row):
                if pick and pick.mailto_column == column and "@" in cell:
                    cells.append([link(cell, mailto(cell.strip(), pick.subject))])
                else:
                    cells.append([text(cell)])
            rows.append(cells)
        w.table(table.columns, rows)

    def _unattached_tables(self) -> None:
        used = {node.step.table for node in walk(self.flow.steps) if node.step.table}
        extra = [t for name, t in self.flow.tables.items() if name not in used]
        if extra:
            self.writer.heading(2, "Annexes")
            for table in extra:
                self._table(table)

    def _figure(self, shot: Number) -> None:
        file = self.images_dir / self.flow.id / shot.file_name
        if not file.is_file():
            self.missing.append(file)
            return
        alt = f"Capture d'écran de l'étape {shot.number.lstrip('0')} : {flat(shot.step.instruction).strip()}"
        caption = f"Étape {shot.number.lstrip('0')}" + (" (exemple)" if shot.simulated else "")
        if self.options.format == "html" and not self.options.link_images:
            src = "data:image/png;base64," + base64.b64encode(file.read_bytes()).decode("ascii")
        else:
            src = quote(Path(os.path.relpath(file, self.options.out)).as_posix())
        self.writer.figure(Figure(src, alt, caption))

    @property
    def images_dir(self) -> Path:
        return self.options.out / self.options.images  # an absolute --images stays absolute


# --- Markdown --------------------------------------------------------------------------------


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md_escape(value: str) -> str:
    value = MD_SPECIAL.sub(r"\\\1", value)
    return re.sub(r"^(\s*)([#+-]|\d+[.)])(\s)", r"\1\\\2\3", value)  # no accidental heading or list


class MarkdownWriter:
    """GitHub-flavoured Markdown; screenshots linked relatively so GitHub shows them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.indent: list[str] = []  # continuation indent of the open list items

    @property
    def pad(self) -> str:
        return "".join(self.indent)

    def _block(self, *lines: str) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.lines.extend((self.pad + line).rstrip() for line in lines)

    def inline(self, spans: Spans) -> str:
        out = []
        for span in spans:
            kind = span[0]
            if kind == "text":
                out.append(md_escape(span[1]))
            elif kind == "strong":
                out.append(f"**{md_escape(span[1])}**")
            elif kind == "em":
                out.append(f"*{md_escape(span[1])}*")
            elif kind == "code":
                out.append(f"`{span[1]}`")
            else:
                out.append(f"[{md_escape(span[1])}](<{span[2]}>)")
        return "".join(out)

    def title(self, value: str) -> None:
        self._block(f"# {md_escape(value)}")

    def heading(self, level: int, value: str) -> None:
        self._block(f"{'#' * level} {md_escape(value)}")

    def paragraph(self, spans: Spans, kind: str = "") -> None:
        line = self.inline(spans)
        self._block(f"> {line}" if kind == "note" else line)

    def bullets(self, items: list[Spans]) -> None:
        self._block(*(f"- {self.inline(item)}" for item in items))

    def table(self, columns: list[str], rows: list[list[Spans]]) -> None:
        head = "| " + " | ".join(md_escape(c) for c in columns) + " |"
        rule = "|" + "|".join("---" for _ in columns) + "|"
        body = ["| " + " | ".join(self.inline(cell) for cell in row) + " |" for row in rows]
        self._block(head, rule, *body)

    def begin_steps(self) -> None:
        pass  # Markdown lists need no opening; each item carries its number

    def end_steps(self) -> None:
        pass

    def begin_step(self, label: str, spans: Spans, sub: bool = False) -> None:
        marker = f"- **{label}.** " if sub else f"{label}. "
        self._block(marker + self.inline(spans))
        self.indent.append(" " * (2 if sub else len(marker)))

    def end_step(self) -> None:
        self.indent.pop()

    def figure(self, figure: Figure) -> None:
        self._block(f"![{md_escape(figure.alt)}]({figure.src})")

    def footer(self, spans: Spans) -> None:
        self._block("---", "", f"*{self.inline(spans)}*")

    def render(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


# --- HTML ------------------------------------------------------------------------------------


class HtmlWriter:
    """One page, styled for screen and print, images embedded or linked."""

    def __init__(self, lang: str = "fr") -> None:
        self.parts: list[str] = []
        self.lang = lang
        self.page_title = ""
        self.open_lists = 0

    def inline(self, spans: Spans) -> str:
        out = []
        for span in spans:
            kind, value = span[0], html.escape(span[1], quote=False)
            if kind == "text":
                out.append(value)
            elif kind == "strong":
                out.append(f"<strong>{value}</strong>")
            elif kind == "em":
                out.append(f"<em>{value}</em>")
            elif kind == "code":
                out.append(f"<code>{value}</code>")
            else:
                out.append(f'<a href="{html.escape(span[2])}">{value}</a>')
        return "".join(out)

    def title(self, value: str) -> None:
        self.page_title = value
        self.parts.append(f"<h1>{html.escape(value)}</h1>")

    def heading(self, level: int, value: str) -> None:
        self.parts.append(f'<h{level} id="{html.escape(anchor(value))}">{html.escape(value)}</h{level}>')

    def paragraph(self, spans: Spans, kind: str = "") -> None:
        css = f' class="{kind}"' if kind else ""
        self.parts.append(f"<p{css}>{self.inline(spans)}</p>")

    def bullets(self, items: list[Spans]) -> None:
        self.parts.append("<ul>" + "".join(f"<li>{self.inline(item)}</li>" for item in items) + "</ul>")

    def table(self, columns: list[str], rows: list[list[Spans]]) -> None:
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
        body = "".join("<tr>" + "".join(f"<td>{self.inline(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        self.parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def begin_steps(self) -> None:
        self.parts.append("<ol class=\"steps\">")

    def end_steps(self) -> None:
        if self.parts and self.parts[-1] == "<ol class=\"steps\">":
            self.parts.pop()  # an empty list
        else:
            self.parts.append("</ol>")

    def begin_step(self, label: str, spans: Spans, sub: bool = False) -> None:
        css = "step simulated" if sub else "step"
        self.parts.append(f'<li class="{css}" id="etape-{html.escape(label)}">'
                          f'<span class="number" aria-hidden="true">{html.escape(label)}</span>'
                          f'<div class="body"><p class="instruction">{self.inline(spans)}</p>')

    def end_step(self) -> None:
        self.parts.append("</div></li>")

    def figure(self, figure: Figure) -> None:
        self.parts.append(f'<figure><img src="{html.escape(figure.src)}" alt="{html.escape(figure.alt)}" '
                          f'width="1280" height="720">'
                          f"<figcaption>{html.escape(figure.caption)}</figcaption></figure>")

    def footer(self, spans: Spans) -> None:
        self.parts.append(f"<footer><p>{self.inline(spans)}</p></footer>")

    def render(self) -> str:
        page = Template((ASSETS / "page.html").read_text(encoding="utf-8"))
        return page.substitute(lang=html.escape(self.lang), title=html.escape(self.page_title),
                               css=(ASSETS / "guide.css").read_text(encoding="utf-8").strip(),
                               body="\n".join(self.parts))


# --- files -----------------------------------------------------------------------------------


@dataclass
class Exported:
    file: Path
    changed: bool
    missing: list[Path] = field(default_factory=list)


def render(loaded: LoadedFlow, options: ExportOptions) -> tuple[str, list[Path]]:
    writer: Writer = HtmlWriter(loaded.flow.lang) if options.format == "html" else MarkdownWriter()
    guide = Guide(loaded, writer, options)
    return guide.write(), guide.missing


def write_if_changed(file: Path, content: str) -> bool:
    """Rewrite only when the text changed, so unchanged guides keep their date."""
    if file.is_file() and file.read_text(encoding="utf-8") == content:
        return False
    write_atomic(file, content)
    return True


def export(loaded: list[LoadedFlow], options: ExportOptions) -> list[Exported]:
    if options.format not in FORMATS:
        raise ValueError(f"unknown format {options.format!r}: use {' or '.join(FORMATS)}")
    done = []
    for item in loaded:
        content, missing = render(item, options)
        file = options.out / f"{item.flow.id}.{options.format}"
        done.append(Exported(file, write_if_changed(file, content), missing))
    if options.index:
        file = options.out / ("README.md" if options.format == "md" else "index.html")
        done.append(Exported(file, write_if_changed(file, index(loaded, options))))
    return done


def index(loaded: list[LoadedFlow], options: ExportOptions) -> str:
    """A page listing the guides, for the docs folder."""
    writer: Writer = HtmlWriter() if options.format == "html" else MarkdownWriter()
    writer.title("Guides pas à pas")
    writer.paragraph([text("Chaque guide est généré à partir de son parcours (dossier "), ("code", "flows/"),
                      text("), avec des captures d'écran vérifiées contre des copies hors ligne des pages.")])
    writer.paragraph([text("Les captures d'écran sont rangées sous "), ("code", f"{options.images.as_posix()}/<parcours>/"),
                      text(" et nommées d'après l'étape : "), ("code", "NN-identifiant.png"),
                      text(", NN étant le numéro de l'étape dans le guide (07a, 07b… pour les étapes d'exemple).")])
    writer.bullets([[link(item.flow.title, quote(f"{item.flow.id}.{options.format}")),
                     text(f" — {item.flow.source.publisher}" if item.flow.source.publisher else "")]
                    for item in sorted(loaded, key=lambda i: i.flow.title)])
    writer.footer([text("Généré par "), ("code", "guide export"), text(" ("), ("code", "make docs"), text(").")])
    return writer.render()


def print_export(console: Console, done: list[Exported], options: ExportOptions) -> None:
    """Which files were written, and which screenshots the guides could not show."""
    for item in done:
        state = "[green]wrote[/]    " if item.changed else "[dim]unchanged[/]"
        console.print(f"  {state} {item.file}", highlight=False, soft_wrap=True)
    missing = [file for item in done for file in item.missing]
    if missing:
        images = options.out / options.images
        console.print(f"[yellow]! {len(missing)} screenshot(s) not found under {images} (first: {missing[0].name}): "
                      f"the guide shows those steps without a picture. Run: guide shots --out {images}[/]",
                      highlight=False)
