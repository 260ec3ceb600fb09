"""`guide export`: the step-by-step guide, regenerated from the flow, in Markdown, HTML or PDF.

One walk over the flow (`Guide`) tells a writer (`MarkdownWriter`, `HtmlWriter`) what to
write: title, who it is for, what you need, the rules to respect, numbered steps with their
instruction, note and screenshot, questions and their alternatives as sections (« Méthode
n°1 », « Méthode n°2 »), tables (with their e-mail links) and closing notes. Step numbers
are the screenshots' numbers (guide.numbering), so « étape 12 » is 12-….png.

Output depends on the flow and the screenshots only (no date, no absolute path): exporting
twice gives the same files, and a file whose text did not change is not rewritten.

The guide's fixed words (headings, « Étape 12 », the footer…) come from the message catalogue
(guide.i18n) in the flow's `lang`, or in `ExportOptions.lang` when given; the flow's own words
(instructions, labels, notes) are written as the flow says them.

The PDF is the HTML page printed by headless Chromium (offline) on A4 with « Page N / M » in
the margin; guide/export/pdf.css keeps each step with its screenshot on one page. Chromium
stamps the PDF with the time it printed it: that date is blanked out (same length, so the
file stays valid), and whether a PDF changed is decided on what it shows (pages, text,
images), not on its bytes, which also differ from one Chromium version to the next.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from rich.console import Console

from .i18n import Say, language, words
from .loader import LoadedFlow
from .manifest import Manifest, digest
from .model import Flow, Option, Step, Table
from .numbering import Number, number_steps
from .tree import Path_, walk

if TYPE_CHECKING:
    from playwright.sync_api import Browser, PdfMargins

ASSETS = Path(__file__).with_name("export")
FORMATS = ("md", "html", "pdf")  # the one list of formats: the CLI's --format choices too
INDEX_FILES = {"md": "README.md", "html": "index.html"}  # --index; a PDF needs none (the HTML one lists guides)
MAX_HEADING = 6
# An option whose label already says it is a method (« Méthode n°1 : … », "Method 1: …") is
# not titled again.
METHOD_LABEL = re.compile(r"^\s*(?:m[ée]thode\s+n\s*°|method\s+(?:n\s*°\s*|no\.?\s*)?\d)", re.IGNORECASE)

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


def compose(template: str, **parts: Span | Spans) -> Spans:
    """A sentence of the catalogue as spans: its {placeholders} become the spans given (a
    link, code…), the words around them text."""
    spans: Spans = []
    for piece in re.split(r"(\{\w+\})", template):
        part = parts.get(piece[1:-1]) if piece.startswith("{") and piece.endswith("}") else None
        if part is not None:
            spans.extend(part if isinstance(part, list) else [part])
        elif piece:
            spans.append(text(piece))
    return spans


def joined(items: list[str], template: str) -> str:
    """Items joined pairwise with the catalogue's "{left} or {right}" (or "and"): « a » ou « b » ou « c »."""
    result = items[0] if items else ""
    for item in items[1:]:
        result = template.format(left=result, right=item)
    return result


def html_lang(flow_lang: str, lang: str) -> str:
    """The page's lang attribute: the flow's own (fr-FR) when the guide speaks it, else the catalogue's."""
    return flow_lang if flow_lang and language(flow_lang) == lang else lang


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
    browser_path: str | None = None  # PDF: the Chromium that prints (else found as guide finds one)
    force: bool = False  # replace files guide did not write, or that were edited since
    lang: str | None = None  # the guide's fixed words in this language (fr, en), else the flow's lang

    @property
    def embeds_images(self) -> bool:
        """The screenshots go inside the file: HTML unless told to link them, and PDF always."""
        return self.format == "pdf" or (self.format == "html" and not self.link_images)


@dataclass
class Guide:
    """Walks one flow and tells a writer what to write."""

    loaded: LoadedFlow
    writer: Writer
    options: ExportOptions
    shots: dict[Path_, Number] = field(init=False)
    missing: list[Path] = field(default_factory=list)  # screenshots not found
    questions: dict[str, Step] = field(default_factory=dict)
    say: Say = field(init=False)

    def __post_init__(self) -> None:
        self.shots = number_steps(self.flow)
        self.say = words(language(self.flow.lang, self.options.lang))

    @property
    def flow(self) -> Flow:
        return self.loaded.flow

    def write(self) -> str:
        flow, w, say = self.flow, self.writer, self.say
        w.title(flow.title)
        w.paragraph(self._source(), "meta")
        w.heading(2, say("Who is this procedure for?"))
        w.paragraph([text(flow.audience)])
        if flow.needs:
            w.heading(2, say("What you need"))
            w.bullets([[text(need)] for need in flow.needs])
        self._rules()
        w.heading(2, say("Step by step"))
        start = flow.pages[flow.start]
        w.paragraph(compose(say("Starting point: {url}"), url=link(start.url, start.url)))
        self._steps(flow.steps, ("steps",), 3)
        self._unattached_tables()
        if flow.notes:
            w.heading(2, say("Notes and tips"))
            w.bullets([[text(note)] for note in flow.notes])
        w.footer(
            compose(
                say(
                    "Document generated by {tool} from the flow {file}. Do not edit it by hand: edit the "
                    "flow, then regenerate the guide and its screenshots ({command})."
                ),
                tool=("code", "guide export"),
                file=("code", self.loaded.file.name),
                command=("code", "make docs"),
            )
        )
        return w.render()

    def _source(self) -> Spans:
        source = self.flow.source
        spans: Spans = [link(source.title, source.url) if source.url else em(source.title)]
        details = [d for d in (source.publisher, source.date) if d]
        if details:
            spans.append(text(" — " + ", ".join(details)))
        return compose(self.say("Source: {source}."), source=spans)

    def _rules(self) -> None:
        ruled = [v for v in self.flow.variables.values() if v.rules]
        if not ruled:
            return
        self.writer.heading(2, self.say("Rules to follow"))
        for variable in ruled:
            self.writer.paragraph(compose(self.say("{field}:"), field=strong(variable.label)))
            self.writer.bullets([[text(rule.text)] for rule in variable.rules])

    # steps, questions and alternatives

    def _steps(self, steps: list[Step], path: Path_, level: int) -> None:
        w = self.writer
        w.begin_steps()
        for index, step in enumerate(steps):
            here = (*path, index)
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
                self._steps(option.steps, (*here, "options", number, "steps"), level + 1)
            if index + 1 < len(steps):
                w.heading(min(level, MAX_HEADING), self.say("Then, whatever the method"))
            w.begin_steps()
        w.end_steps()

    def _step(self, step: Step, path: Path_) -> None:
        w, shot, say = self.writer, self.shots[path], self.say
        w.begin_step(str(int(shot.number)), [text(step.instruction)])
        if step.outside:
            w.paragraph([em(say("To do outside the site."))], "outside")
        if step.open and not self.flow.pages[step.open].simulated:
            url = self.flow.pages[step.open].url
            w.paragraph(compose(say("Page: {url}"), url=link(url, url)), "page")
        if step.note:
            w.paragraph([strong(say("Note:")), text(" " + step.note)], "note")
        if step.rules:  # the step's own rules (the variables' ones are listed above)
            w.bullets([[text(rule.text)] for rule in step.rules])
        if step.table:
            self._table(self.flow.tables[step.table])
        self._figure(shot)
        if step.simulate:
            w.paragraph([em(say("Example in a demonstration mailbox:"))], "simulated")
            w.begin_steps()
            for number, sub in enumerate(step.simulate):
                subpath = (*path, "simulate", number)
                subshot = self.shots[subpath]
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
            w.paragraph([strong(self.say("Note:")), text(" " + step.note)], "note")
        self._figure(shot)
        w.end_step()

    def _method_title(self, option: Option, rank: int) -> str:
        """« Méthode n°2 : … », unless the flow's label already says it is one."""
        if METHOD_LABEL.match(option.label):
            return option.label
        return self.say("Method {number}: {label}", number=rank, label=option.label)

    def _condition(self, option: Option, short: bool = False) -> Spans:
        say = self.say
        parts: list[str] = []
        for question_id, wanted in option.when.items():
            question = self.questions.get(question_id)
            wanted_ids = [wanted] if isinstance(wanted, str) else wanted
            if question is None:
                parts.append(say("{question}: {answers}", question=question_id, answers=", ".join(wanted_ids)))
                continue
            labels = [say("“{answer}”", answer=o.label) for o in question.options if o.id in wanted_ids]
            answers = joined(labels, say("{left} or {right}"))
            parts.append(
                say("you answered {answers} to the question “{question}”", answers=answers, question=question.question)
            )
        sentence = joined(parts, say("{left} and {right}"))
        if short:
            return [text(say("only if {condition}", condition=sentence))]
        return [em(say("Only if {condition}.", condition=sentence))]

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
            self.writer.heading(2, self.say("Appendices"))
            for table in extra:
                self._table(table)

    def _figure(self, shot: Number) -> None:
        file = self.images_dir / self.flow.id / shot.file_name
        if not file.is_file():
            self.missing.append(file)
            return
        number, say = shot.number.lstrip("0"), self.say
        alt = say(
            "Screenshot of step {number}: {instruction}", number=number, instruction=flat(shot.step.instruction).strip()
        )
        caption = (
            say("Step {number} (example)", number=number) if shot.simulated else say("Step {number}", number=number)
        )
        if self.options.embeds_images:
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

    def __init__(self, lang: str = "fr", styles: tuple[str, ...] = ("guide.css",)) -> None:
        self.parts: list[str] = []
        self.lang = lang
        self.styles = styles  # stylesheets of guide/export/, in order
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
        self.parts.append('<ol class="steps">')

    def end_steps(self) -> None:
        if self.parts and self.parts[-1] == '<ol class="steps">':
            self.parts.pop()  # an empty list
        else:
            self.parts.append("</ol>")

    def begin_step(self, label: str, spans: Spans, sub: bool = False) -> None:
        css = "step simulated" if sub else "step"
        self.parts.append(
            f'<li class="{css}" id="etape-{html.escape(label)}">'
            f'<span class="number" aria-hidden="true">{html.escape(label)}</span>'
            f'<div class="body"><p class="instruction">{self.inline(spans)}</p>'
        )

    def end_step(self) -> None:
        self.parts.append("</div></li>")

    def figure(self, figure: Figure) -> None:
        self.parts.append(
            f'<figure><img src="{html.escape(figure.src)}" alt="{html.escape(figure.alt)}" '
            f'width="1280" height="720">'
            f"<figcaption>{html.escape(figure.caption)}</figcaption></figure>"
        )

    def footer(self, spans: Spans) -> None:
        self.parts.append(f"<footer><p>{self.inline(spans)}</p></footer>")

    def render(self) -> str:
        page = Template((ASSETS / "page.html").read_text(encoding="utf-8"))
        css = "\n".join((ASSETS / name).read_text(encoding="utf-8").strip() for name in self.styles)
        return page.substitute(
            lang=html.escape(self.lang), title=html.escape(self.page_title), css=css, body="\n".join(self.parts)
        )


# --- files -----------------------------------------------------------------------------------


@dataclass
class Exported:
    file: Path
    changed: bool
    missing: list[Path] = field(default_factory=list)
    kept: bool = False  # a file guide did not write (or edited since) was in the way: left as it is


def render(loaded: LoadedFlow, options: ExportOptions) -> tuple[str, list[Path]]:
    """The guide's text: Markdown, or the HTML page (the PDF's source, with its print style)."""
    writer: Writer
    if options.format == "md":
        writer = MarkdownWriter()
    else:
        styles = ("guide.css", "pdf.css") if options.format == "pdf" else ("guide.css",)
        writer = HtmlWriter(html_lang(loaded.flow.lang, language(loaded.flow.lang, options.lang)), styles)
    guide = Guide(loaded, writer, options)
    return guide.write(), guide.missing


def publish(
    manifest: Manifest, file: Path, data: bytes, same: Callable[[bytes, bytes], bool], force: bool
) -> tuple[bool, bool]:
    """Write `file` when what it shows changed, and only over a file guide wrote: (changed, kept).

    An identical file is left alone (unchanged guides keep their date) and counted as guide's.
    """
    if file.is_file():
        old = file.read_bytes()
        try:
            unchanged = same(old, data)
        except Exception:  # an unreadable old file is simply different
            unchanged = False
        if unchanged:
            if not manifest.owns(file):
                manifest.files[manifest._key(file)] = digest(old)
            return False, False
        if not manifest.may_replace(file, force):
            return False, True
    manifest.write(file, data)
    return True, False


def _same_text(old: bytes, new: bytes) -> bool:
    return old == new


def export(loaded: list[LoadedFlow], options: ExportOptions, browser: Browser | None = None) -> list[Exported]:
    """Write each flow's guide (and the index); `browser` prints PDFs (else one is launched)."""
    if options.format not in FORMATS:
        raise ValueError(f"unknown format {options.format!r}: use {', '.join(FORMATS)}")
    done = []
    manifest = Manifest.load(options.out)
    with pdf_printer(options, browser) as to_pdf:
        for item in loaded:
            content, missing = render(item, options)
            file = options.out / f"{item.flow.id}.{options.format}"
            if options.format == "pdf":
                footer = pdf_footer(words(language(item.flow.lang, options.lang)))
                changed, kept = publish(
                    manifest, file, to_pdf(content, item.flow.title, footer), _same_pdf, options.force
                )
            else:
                changed, kept = publish(manifest, file, content.encode("utf-8"), _same_text, options.force)
            done.append(Exported(file, changed, missing, kept))
    if options.index and options.format in INDEX_FILES:
        file = options.out / INDEX_FILES[options.format]
        changed, kept = publish(manifest, file, index(loaded, options).encode("utf-8"), _same_text, options.force)
        done.append(Exported(file, changed, kept=kept))
    manifest.save()
    return done


# --- PDF -------------------------------------------------------------------------------------

Printer = Callable[[str, str, str], bytes]  # (HTML page, title, footer template) -> PDF
# The page's margins (pdf.css sets the same on @page: Chromium lets the style win); the page
# numbers are drawn in the bottom one.
PDF_MARGINS: PdfMargins = {"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
PDF_HEADER = (
    '<div style="width:100%;margin:0 {left};font:8pt system-ui,sans-serif;color:#595959;'
    'white-space:nowrap;overflow:hidden;text-overflow:ellipsis">{title}</div>'
)
PDF_FOOTER = '<div style="width:100%;text-align:center;font:9pt system-ui,sans-serif;color:#161616">{pages}</div>'
# Where Chromium writes the page's number and the number of pages.
PDF_NUMBERS = {"page": '<span class="pageNumber"></span>', "pages": '<span class="totalPages"></span>'}
# Chromium writes the time of printing; blanked with spaces of the same length, the offsets of
# the PDF's cross-reference table stay right.
PDF_DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[0-9]{14}[^)]{0,8}\)")


@contextmanager
def pdf_printer(options: ExportOptions, browser: Browser | None) -> Iterator[Printer]:
    """A function printing an HTML page to PDF: with `browser`, or a Chromium of guide's own."""
    if options.format != "pdf":
        yield _no_printer
        return
    if browser is not None:
        yield lambda page, title, footer: print_pdf(browser, page, title, footer)
        return
    from playwright.sync_api import sync_playwright

    from .browser import launch, resolve_browser

    with sync_playwright() as playwright:
        own = launch(playwright, resolve_browser(options.browser_path, playwright))  # offline
        try:
            yield lambda page, title, footer: print_pdf(own, page, title, footer)
        finally:
            own.close()


def _no_printer(page: str, title: str, footer: str) -> bytes:
    raise RuntimeError("not exporting a PDF")


def pdf_footer(say: Say) -> str:
    """The bottom margin's « Page N / M », in the guide's language."""
    return PDF_FOOTER.format(pages=html.escape(say("Page {page} of {pages}")).format(**PDF_NUMBERS))


def print_pdf(browser: Browser, page_html: str, title: str, footer: str) -> bytes:
    """Print the guide's HTML page (screenshots inside) on A4, with page numbers (`footer`, see `pdf_footer`)."""
    context = browser.new_context(offline=True, java_script_enabled=False)  # the guide needs no script
    try:
        page = context.new_page()
        page.set_content(page_html, wait_until="load")  # every screenshot decoded
        page.evaluate("() => document.fonts.ready")
        data = page.pdf(
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template=PDF_HEADER.format(left=PDF_MARGINS["left"], title=html.escape(title)),
            footer_template=footer,
            margin=PDF_MARGINS,
            tagged=True,
            outline=True,
        )
    finally:
        context.close()
    return without_dates(data)


def without_dates(pdf: bytes) -> bytes:
    return PDF_DATES.sub(lambda found: b" " * len(found.group()), pdf)


def pdf_signature(pdf: bytes) -> str:
    """What a PDF shows: its pages' sizes and text and its images' pixels, as one hash."""
    from pypdf import PdfReader  # only PDF exports pay for it

    digest = hashlib.sha256()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        digest.update(repr([float(v) for v in page.mediabox]).encode())
        digest.update(page.extract_text().encode("utf-8", "surrogatepass"))
        for pixels in _image_data(page.get("/Resources")):
            digest.update(hashlib.sha256(pixels).digest())
    return digest.hexdigest()


def _image_data(resources: Any, depth: int = 0) -> Iterator[bytes]:
    """The decoded bytes of every image a page draws (inside its forms too), in order."""
    if resources is None or depth > 8:
        return
    objects = resources.get_object().get("/XObject")
    for name in sorted(objects.get_object()) if objects is not None else []:
        item = objects.get_object()[name].get_object()
        if item.get("/Subtype") == "/Image":
            yield item.get_data()
        elif item.get("/Subtype") == "/Form":
            yield from _image_data(item.get("/Resources"), depth + 1)


def _same_pdf(old: bytes, new: bytes) -> bool:
    """What a PDF shows is the same (not only a new print date or Chromium)."""
    return pdf_signature(old) == pdf_signature(new)


def index_language(loaded: list[LoadedFlow], options: ExportOptions) -> str:
    """The index's language: the override, else the one its guides share, else the default."""
    spoken = {language(item.flow.lang) for item in loaded}
    return language(spoken.pop() if len(spoken) == 1 else None, options.lang)


def index(loaded: list[LoadedFlow], options: ExportOptions) -> str:
    """A page listing the guides, for the docs folder."""
    lang = index_language(loaded, options)
    say = words(lang)
    writer: Writer = HtmlWriter(lang) if options.format == "html" else MarkdownWriter()
    writer.title(say("Step-by-step guides"))
    writer.paragraph(
        compose(
            say(
                "Each guide is generated from its flow ({folder} folder), with screenshots checked "
                "against offline copies of the pages."
            ),
            folder=("code", "flows/"),
        )
    )
    writer.paragraph(
        compose(
            say(
                "The screenshots are stored under {folder} and named after the step: {name}, NN "
                "being the step's number in the guide (07a, 07b… for the example steps)."
            ),
            folder=("code", say("{images}/<flow>/", images=options.images.as_posix())),
            name=("code", say("NN-identifier.png")),
        )
    )
    writer.bullets(
        [
            [
                link(item.flow.title, quote(f"{item.flow.id}.{options.format}")),
                text(f" — {item.flow.source.publisher}" if item.flow.source.publisher else ""),
            ]
            for item in sorted(loaded, key=lambda i: i.flow.title)
        ]
    )
    writer.footer(
        compose(say("Generated by {tool} ({command})."), tool=("code", "guide export"), command=("code", "make docs"))
    )
    return writer.render()


def print_export(console: Console, done: list[Exported], options: ExportOptions) -> None:
    """Which files were written, and which screenshots the guides could not show."""
    for item in done:
        state = "[green]wrote[/]    " if item.changed else "[magenta]kept[/]     " if item.kept else "[dim]unchanged[/]"
        tail = "  (not written by guide, or edited since: left as it is; --force replaces it)" if item.kept else ""
        console.print(f"  {state} {item.file}{tail}", highlight=False, soft_wrap=True)
    missing = [file for item in done for file in item.missing]
    if missing:
        images = options.out / options.images
        console.print(
            f"[yellow]! {len(missing)} screenshot(s) not found under {images} (first: {missing[0].name}): "
            f"the guide shows those steps without a picture. Run: guide shots --out {images}[/]",
            highlight=False,
        )
