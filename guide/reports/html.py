"""The HTML report of a run: one self-contained page that opens in a browser without a server.

Everything travels inside `index.html`: the style, the filter script and the failure
screenshots (as data: URIs), so the page still works once copied out of CI. Traces stay files
(a viewer opens them): linked when they sit under the report's folder, and always given as the
`python -m playwright show-trace` command. No font, script or image is fetched: the page makes
no network request at all.

The report's own words come from the message catalogue (guide.i18n) in the run's language
(`RunInfo.lang`, English when it has no catalogue); everything else (instructions, names found
on pages, URLs) comes from pages and flows and is escaped.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shlex
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from babel.numbers import get_decimal_symbol

from .. import problems
from ..files import write_atomic
from ..i18n import LANGUAGES, N_, Say, words
from .results import BranchResult, DriftReport, RunInfo, Walked

# The words said for a status or a filter: marked here for the catalogue, said where shown.
STATUS = {"passed": N_("Passed"), "drift": N_("Drift"), "flaky": N_("Flaky")}  # a branch's or flow's badge
COUNTED = {"passed": N_("passed"), "drift": N_("drifted"), "flaky": N_("flaky"), "reused": N_("reused")}
# The filters; "passed" and "flaky" say their count's word, capitalised (« Réussies »): messages
# have no context, and "Passed" is already the badge's (« Réussie »).
FILTERED = {"all": N_("All"), "failed": N_("Failed"), "flaky": COUNTED["flaky"], "passed": COUNTED["passed"]}
# A drift report's rows.
ROWS = {
    "where": N_("Where"),
    "step": N_("Step"),
    "instruction": N_("Instruction"),
    "problem": N_("Problem"),
    "expected": N_("Expected"),
    "found": N_("Found instead"),
    "url": N_("Page"),
    "blocked": N_("Blocked during this step"),
    "fix": N_("Fix"),
}
FALLBACK = "en"  # the report is for QA: a language without a catalogue reads English
FILTERS = ("all", "failed", "flaky", "passed")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


def words_for(lang: str) -> tuple[str, Say]:
    """The catalogue's language for `lang` ("fr-FR" → "fr"; unknown → English) and its words."""
    code = lang.lower().replace("_", "-").split("-")[0]
    code = code if code in LANGUAGES else FALLBACK
    return code, words(code)


def capitalised(value: str) -> str:
    return value[:1].upper() + value[1:]


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


# --- formatting ------------------------------------------------------------------------------


def duration(seconds: float, say: Say, lang: str) -> str:
    """12,50 s in French, 12.50 s in English (the decimal sign is Babel's, from CLDR)."""
    if seconds >= 60:
        minutes, rest = divmod(round(seconds), 60)
        return say("{minutes} min {seconds} s", minutes=minutes, seconds=f"{rest:02d}")
    return say("{value} s", value=f"{seconds:.2f}".replace(".", get_decimal_symbol(lang)))


def when(started: str, say: Say) -> str:
    """The run's date as people of that language write it (the raw value if it is not ISO)."""
    try:
        moment = datetime.strptime(started, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return esc(started)
    shown = moment.strftime(say("%Y-%m-%d %H:%M:%S"))  # « 24/11/2024 à 09:30:05 » in French
    return f'<time datetime="{esc(started)}">{esc(shown)}</time>'


def names(text: str) -> str:
    """Escaped text with the quoted names the page offers set in bold, so they stand out."""
    parts = re.split(r'("[^"\n]*")', text)
    return "".join(f'<strong class="name">{esc(p)}</strong>' if i % 2 else esc(p) for i, p in enumerate(parts))


def host_of(blocked: str) -> str:
    """The host a blocked request went to ("GET https://host/…" → "host"), for grouping."""
    url = next((part for part in blocked.split() if ":" in part), "")
    return urlsplit(url).hostname or url.split("?")[0] or "?"


def embed(file: Path) -> str | None:
    """A data: URI of an image, so the report keeps it when copied elsewhere; None if unreadable."""
    try:
        data = file.read_bytes()
    except OSError:
        return None
    kind = IMAGE_TYPES.get(file.suffix.lower(), "image/png")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def relative_link(file: Path, folder: Path) -> str | None:
    """A link to `file` from the report, only when it lives under the report's folder."""
    target, base = file.resolve(), folder.resolve()
    if not target.is_relative_to(base):
        return None
    return quote(Path(os.path.relpath(target, base)).as_posix())


# --- the page --------------------------------------------------------------------------------


class Report:
    """Builds the page; `folder` is where index.html goes (trace links are relative to it)."""

    def __init__(self, folder: Path, results: list[BranchResult], run: RunInfo) -> None:
        self.folder, self.results, self.run = folder, results, run
        self.lang, self.say = words_for(run.lang)
        self.ids = 0

    def new_id(self, prefix: str) -> str:
        self.ids += 1
        return f"{prefix}-{self.ids}"

    def render(self) -> str:
        say = self.say
        drifted = sum(r.status == "drift" for r in self.results)
        title = say("Guide check report")
        if drifted:
            title += f" — {drifted} {say(COUNTED['drift'])}"
        skip = say("Skip to the results")
        body = "\n".join([self.header(), self.filters(), self.main(), self.footer()])
        return (
            f'<!DOCTYPE html>\n<html lang="{esc(self.lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light">\n<meta name="generator" content="guide check">\n'
            f"<title>{esc(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
            f'<a class="skip" href="#results">{esc(skip)}</a>\n{body}\n'
            f"<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
        )

    # header, filters, footer

    def header(self) -> str:
        say, run = self.say, self.run
        facts = [
            (say("Date"), when(run.started, say)),
            (say("Duration"), esc(duration(run.seconds, say, self.lang))),
            (say("Machine"), esc(run.machine)),
            (say("guide version"), esc(run.guide)),
        ]
        if run.shard:
            facts.append((say("Shard"), esc(run.shard)))
        label = say("{label}:")  # « Date : » in French
        listed = "".join(f"<div><dt>{esc(label.format(label=k))}</dt><dd>{v}</dd></div>" for k, v in facts)
        title, run_label = say("Guide check report"), say("Run")
        return (
            f'<header class="top"><div class="wrap"><p class="brand">guide check</p>'
            f"<h1>{esc(title)}</h1>"
            f'<dl class="run" aria-label="{esc(run_label)}">{listed}</dl>{self.counts()}</div></header>'
        )

    def counts(self) -> str:
        say, results = self.say, self.results
        flows = len({r.flow_id for r in results})
        branches_word, flows_word, summary = say("branches"), say("flows"), say("Summary")
        items = [
            f'<li class="total"><strong>{len(results)}</strong> {esc(branches_word)}, '
            f"<strong>{flows}</strong> {esc(flows_word)}</li>"
        ]
        for status in ("passed", "drift", "flaky"):
            number = sum(r.status == status for r in results)
            items.append(f'<li class="count {status}"><strong>{number}</strong> {esc(say(COUNTED[status]))}</li>')
        reused = sum(r.reused_from is not None for r in results)
        items.append(f'<li class="count reused"><strong>{reused}</strong> {esc(say(COUNTED["reused"]))}</li>')
        return f'<ul class="counts" aria-label="{esc(summary)}">{"".join(items)}</ul>'

    def filters(self) -> str:
        """Real buttons; hidden until the script runs, so a page without scripts shows everything."""
        say, statuses = self.say, [r.status for r in self.results]
        number = {
            "all": len(statuses),
            "failed": statuses.count("drift"),
            "flaky": statuses.count("flaky"),
            "passed": statuses.count("passed"),
        }
        buttons = "".join(
            f'<button type="button" data-filter="{name}" aria-pressed="{str(name == "all").lower()}">'
            f'{esc(capitalised(say(FILTERED[name])))} <span class="n">{number[name]}</span></button>'
            for name in FILTERS
        )
        label = esc(say("Filter branches"))
        showing = esc(say("Showing {shown} of {total} branches"))  # the script fills it in
        return (
            f'<nav class="filters" aria-label="{label}" hidden><div class="wrap">'
            f'<span class="label" aria-hidden="true">{label}</span>{buttons}'
            f'<p class="showing" role="status" aria-live="polite" '
            f'data-template="{showing}"></p></div></nav>'
        )

    def footer(self) -> str:
        said = self.say("Report generated by guide {version}.", version=self.run.guide)
        return f'<footer><div class="wrap"><p>{esc(said)}</p></div></footer>'

    # flows and branches

    def main(self) -> str:
        say = self.say
        flows: dict[str, list[BranchResult]] = {}
        for result in self.results:
            flows.setdefault(result.flow_id, []).append(result)
        sections = [self.flow(items) for items in flows.values()]
        nothing = say("No branch matches this filter.")
        empty = f'<p class="empty" id="empty" hidden>{esc(nothing)}</p>'
        if not sections:
            none = say("No branch was checked.")
            sections = [f'<p class="empty">{esc(none)}</p>']
        return f'<main id="results" tabindex="-1"><div class="wrap">{empty}{"".join(sections)}</div></main>'

    def flow(self, items: list[BranchResult]) -> str:
        first = items[0]
        title = next((r.flow_title for r in items if r.flow_title), first.flow_id)
        heading = self.new_id("flow")
        statuses = {r.status for r in items}
        worst = "drift" if "drift" in statuses else "flaky" if "flaky" in statuses else "passed"
        badge = f'<span class="badge {worst}">{esc(self.say(STATUS[worst]))}</span>'
        branches = "".join(self.branch(result) for result in items)
        file = self.say("File")
        return (
            f'<section class="flow" aria-labelledby="{heading}">'
            f'<h2 id="{heading}">{badge} <span class="flow-title">{esc(title)}</span></h2>'
            f'<p class="flow-meta"><code>{esc(first.flow_id)}</code> · {esc(file)} '
            f"<code>{esc(first.flow_file)}</code></p>{branches}</section>"
        )

    def branch(self, result: BranchResult) -> str:
        say, status = self.say, result.status
        heading = self.new_id("branch")
        badge = f'<span class="badge {status}">{esc(say(STATUS[status]))}</span>'
        if result.reused_from is not None:
            reused = say("Reused verdict")
            badge += f' <span class="badge reused">{esc(reused)}</span>'
        steps = say("{n} step(s)", n=result.steps)
        parts = [
            f'<h3 id="{heading}">{badge} <span class="branch-name">{esc(result.branch)}</span></h3>',
            f'<p class="facts">{esc(duration(result.seconds, say, self.lang))} · {esc(steps)}</p>',
        ]
        if result.reused_from is not None:
            said = say("Verdict reused from run {run}: the pages did not change.", run=result.reused_from)
            parts.append(f'<p class="reused-from">{esc(said)}</p>')
        for number, failure in enumerate(result.failures, 1):
            parts.append(self.drift(failure, say("Attempt {n}: drift", n=number), attempt=True))
        if result.drift is not None:
            parts.append(self.drift(result.drift, say("Drift report")))
        elif result.failures:
            attempt = say("Attempt {n}: passed", n=len(result.failures) + 1)
            parts.append(
                f'<p class="attempt-passed"><span class="badge passed">{esc(say(STATUS["passed"]))}</span> '
                f"{esc(attempt)}</p>"
            )
        parts.append(self.walked(result))
        parts.extend(self.extras(result))
        return (
            f'<article class="branch {status}" data-status="{status}" aria-labelledby="{heading}">'
            f"{''.join(parts)}</article>"
        )

    def walked(self, result: BranchResult) -> str:
        """The steps gone through, in order; the one that drifted marked (added if it never completed)."""
        say, drift = self.say, result.drift
        items = [self.step(w, broke=False) for w in result.walked]
        if drift is not None:
            if result.walked and result.walked[-1].step_id == drift.step_id:
                items[-1] = self.step(result.walked[-1], broke=True)  # it drifted on landing
            else:  # it drifted before completing: finding its target
                items.append(self.step(Walked(drift.step_id, drift.where, drift.instruction), broke=True))
        opened = " open" if drift is not None else ""
        summary = say("Steps walked ({n})", n=len(items))
        return (
            f'<details class="walked"{opened}><summary>{esc(summary)}</summary>'
            f'<ol class="steps">{"".join(items)}</ol></details>'
        )

    def step(self, walked: Walked, broke: bool) -> str:
        say = self.say
        here, example = say("Drifted here"), say("simulated example")
        mark = f' <strong class="broke-here">{esc(here)}</strong>' if broke else ""
        simulated = f' <span class="simulated">({esc(example)})</span>' if walked.simulated else ""
        attributes = ' class="broke" aria-current="step"' if broke else ""
        return (
            f'<li{attributes}><span class="instruction">{esc(walked.instruction)}</span>{simulated}{mark}'
            f'<span class="where"><code>{esc(walked.where)}</code> <code class="id">{esc(walked.step_id)}</code>'
            "</span></li>"
        )

    def drift(self, report: DriftReport, title: str, attempt: bool = False) -> str:
        say = self.say
        rows = [
            ("where", f"<code>{esc(report.where)}</code>"),
            ("step", f"<code>{esc(report.step_id)}</code>"),
            ("instruction", f"« {esc(report.instruction)} »"),
            ("problem", esc(say(report.problem) if report.problem in problems.PROBLEMS else report.problem)),
            ("expected", names(report.expected)),
            ("found", names(report.found)),
        ]
        if report.url:
            rows.append(("url", f"<code>{esc(report.url)}</code>"))
        if report.blocked:
            rows.append(("blocked", "<br>".join(f"<code>{esc(request)}</code>" for request in report.blocked)))
        rows.append(("fix", esc(say(report.fix) if report.fix in problems.FIXES else report.fix)))
        listed = "".join(
            f'<div class="{key}"><dt>{esc(say(ROWS[key]))}</dt><dd>{value}</dd></div>' for key, value in rows
        )
        css = "drift attempt" if attempt else "drift"
        return (
            f'<section class="{css}" aria-label="{esc(title)}"><h4>{esc(title)}</h4><dl>{listed}</dl>'
            f"{self.screenshot(report)}{self.trace(report)}</section>"
        )

    def screenshot(self, report: DriftReport) -> str:
        if not report.screenshot:
            return ""
        src = embed(Path(report.screenshot))
        if src is None:
            missing = self.say("Screenshot not found: {path}", path=report.screenshot)
            return f'<p class="missing">{esc(missing)}</p>'
        caption = self.say("Screenshot of the page when it drifted")
        return (
            f'<figure><img src="{esc(src)}" alt="{esc(caption)} ({esc(report.step_id)})">'
            f"<figcaption>{esc(caption)} — <code>{esc(report.screenshot)}</code></figcaption></figure>"
        )

    def trace(self, report: DriftReport) -> str:
        """The command that opens the trace, and a link to it when it travels with the report."""
        if not report.trace:
            return ""
        say = self.say
        command = f"python -m playwright show-trace {shlex.quote(report.trace)}"
        href = relative_link(Path(report.trace), self.folder)
        download = esc(say("Download the trace (trace.zip)"))
        linked = f'<p><a href="{esc(href)}" download>{download}</a></p>' if href else ""
        # « Trace : pour rejouer… »: the sentence's words escaped, then the bold label put in
        trace = say("Trace")
        line = esc(say("{label}: {text}")).format(
            label=f"<strong>{esc(trace)}</strong>",
            text=esc(say("to replay the branch step by step in Playwright's trace viewer")),
        )
        return f'<div class="trace"><p>{line}</p><p><code class="command">{esc(command)}</code></p>{linked}</div>'

    def extras(self, result: BranchResult) -> list[str]:
        """Warnings, blocked requests by host and explanations, each folded away."""
        say, parts = self.say, []
        # The routing's one-line summaries of blocked requests repeat what the grouped list shows.
        warnings = [w for w in result.warnings if not (result.blocked and w.startswith("blocked "))]
        if warnings:
            parts.append(self.folded("warnings", say("Warnings ({n})", n=len(warnings)), self.bullets(warnings)))
        if result.blocked:
            hosts: dict[str, list[str]] = {}
            for request in result.blocked:
                hosts.setdefault(host_of(request), []).append(request)
            listed = "".join(
                f"<li><strong>{esc(host)}</strong> ({len(items)}){self.bullets(items, code=True)}</li>"
                for host, items in hosts.items()
            )
            summary = say(
                "Requests blocked outside the fixtures ({n}, {hosts} host(s))", n=len(result.blocked), hosts=len(hosts)
            )
            parts.append(self.folded("blocked", summary, f"<ul>{listed}</ul>"))
        if result.notes:
            said = say("Explanations (--explain) ({n})", n=len(result.notes))
            parts.append(self.folded("notes", said, self.bullets(result.notes)))
        return parts

    @staticmethod
    def folded(css: str, summary: str, content: str) -> str:
        return f'<details class="{css}"><summary>{esc(summary)}</summary>{content}</details>'

    @staticmethod
    def bullets(items: list[str], code: bool = False) -> str:
        wrap = (lambda t: f"<code>{esc(t)}</code>") if code else esc
        return "<ul>" + "".join(f"<li>{wrap(item)}</li>" for item in items) + "</ul>"


def render_html(folder: Path, results: list[BranchResult], run: RunInfo) -> str:
    return Report(folder, results, run).render()


def write_html(folder: Path, results: list[BranchResult], run: RunInfo) -> Path:
    """Write FOLDER/index.html and return its path.

    Private (0600) like the failure screenshots it embeds, which guide keeps private.
    """
    file = folder / "index.html"
    write_atomic(file, render_html(folder, results, run), private=True)
    return file


# --- style and behaviour, inline so the page needs nothing else -----------------------------

CSS = """\
:root { --blue: #000091; --text: #161616; --muted: #595959; --line: #dddddd; --soft: #f5f5fe;
  --ok: #18753c; --ok-bg: #b8fec9; --ko: #ce0500; --ko-bg: #ffe9e9; --warn: #b34000; --warn-bg: #ffe9e6;
  color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); background: #ffffff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, "Noto Sans", "Liberation Sans", Arial,
  sans-serif; }
.wrap { max-width: 72rem; margin: 0 auto; padding: 0 1.25rem; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em; overflow-wrap: anywhere; }
a { color: var(--blue); text-underline-offset: .15em; }
:focus-visible { outline: 2px solid #0a76f6; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #ffffff; padding: .5rem; z-index: 2; }
header.top { border-top: 4px solid var(--blue); border-bottom: 1px solid var(--line); padding: 1.25rem 0 1rem; }
.brand { margin: 0; font-weight: 700; color: var(--blue); letter-spacing: .02em; }
h1 { margin: .25rem 0 .75rem; font-size: 1.75rem; line-height: 1.2; }
dl.run { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0 0 .75rem; }
dl.run div { display: flex; gap: .4rem; }
dl.run dt { color: var(--muted); }
dl.run dd { margin: 0; font-weight: 500; }
ul.counts { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; }
ul.counts li { padding: .15rem .6rem; border-radius: 4px; background: var(--soft); }
ul.counts .passed { background: var(--ok-bg); color: var(--ok); }
ul.counts .drift { background: var(--ko-bg); color: var(--ko); }
ul.counts .flaky { background: var(--warn-bg); color: var(--warn); }
nav.filters { position: sticky; top: 0; z-index: 1; background: #ffffff; border-bottom: 1px solid var(--line);
  padding: .6rem 0; }
nav.filters .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; }
nav.filters .label { color: var(--muted); margin-right: .25rem; }
nav.filters button { font: inherit; cursor: pointer; border: 1px solid var(--blue); color: var(--blue);
  background: #ffffff; padding: .3rem .9rem; border-radius: 4px; }
nav.filters button[aria-pressed="true"] { background: var(--blue); color: #ffffff; }
nav.filters button .n { font-weight: 700; }
nav.filters .showing { margin: 0 0 0 auto; color: var(--muted); }
main { padding: 1rem 0 2rem; }
main:focus { outline: none; }
section.flow { margin: 1.5rem 0 2rem; }
h2 { font-size: 1.35rem; margin: 0 0 .25rem; color: var(--blue); display: flex; align-items: center; gap: .6rem;
  flex-wrap: wrap; }
.flow-meta { margin: 0 0 .75rem; color: var(--muted); }
article.branch { border: 1px solid var(--line); border-left: 6px solid var(--ok); border-radius: 4px;
  padding: .75rem 1rem; margin: 0 0 1rem; }
article.branch.drift { border-left-color: var(--ko); }
article.branch.flaky { border-left-color: var(--warn); }
h3 { font-size: 1.1rem; margin: 0; display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
.badge { display: inline-block; font-size: .8rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em;
  padding: .1rem .5rem; border-radius: 4px; background: var(--soft); color: var(--blue); }
.badge.passed { background: var(--ok-bg); color: var(--ok); }
.badge.drift { background: var(--ko-bg); color: var(--ko); }
.badge.flaky { background: var(--warn-bg); color: var(--warn); }
.badge.reused { background: #eeeeee; color: #3a3a3a; }
.facts, .reused-from { margin: .25rem 0 .5rem; color: var(--muted); }
section.drift { border: 1px solid var(--ko); background: #fffafa; border-radius: 4px; padding: .75rem 1rem;
  margin: .75rem 0; }
section.drift.attempt { border-color: var(--warn); background: #fffaf8; }
h4 { margin: 0 0 .5rem; font-size: 1rem; color: var(--ko); }
section.attempt h4 { color: var(--warn); }
section.drift dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
section.drift dl div { display: contents; }
section.drift dt { font-weight: 700; }
section.drift dd { margin: 0; min-width: 0; }
section.drift .found dd { background: var(--ko-bg); padding: 0 .3rem; border-radius: 3px; }
.name { color: var(--ko); }
.expected .name { color: var(--text); }
figure { margin: .75rem 0 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .25rem; }
.trace p { margin: .5rem 0 0; }
.trace p + p { margin-top: .25rem; }
code.command { display: inline-block; background: #1e1e1e; color: #ffffff; padding: .15rem .5rem;
  border-radius: 3px; user-select: all; }
.missing { color: var(--muted); font-style: italic; }
.attempt-passed { margin: .5rem 0; }
details { margin: .5rem 0 0; }
summary { cursor: pointer; color: var(--blue); font-weight: 500; }
ol.steps { margin: .5rem 0 0; padding-left: 2rem; }
ol.steps li { margin: .2rem 0; }
ol.steps .where { display: block; color: var(--muted); font-size: .85rem; }
ol.steps .id { margin-left: .5rem; }
ol.steps li.broke { background: var(--ko-bg); border-left: 4px solid var(--ko); padding: .2rem .4rem;
  margin-left: -.5rem; }
.broke-here { color: var(--ko); margin-left: .5rem; }
.simulated { color: var(--muted); font-style: italic; }
.empty { color: var(--muted); font-style: italic; }
footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding: 1rem 0 2rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10pt; }
  nav.filters, .skip { display: none !important; }
  .wrap { max-width: none; padding: 0; }
  article.branch, section.drift, figure, ol.steps li { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  figure img { max-height: 120mm; width: auto; }
  .badge, ul.counts li, section.drift .found dd, ol.steps li.broke, code.command, header.top {
    print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""

# Filters by status; the choice lives in the address (#failed) so a link or a reload keeps it.
# Folded details are opened for printing, then folded again.
SCRIPT = """\
(() => {
  const nav = document.querySelector('nav.filters');
  const buttons = [...nav.querySelectorAll('button[data-filter]')];
  const branches = [...document.querySelectorAll('article.branch')];
  const flows = [...document.querySelectorAll('section.flow')];
  const empty = document.getElementById('empty');
  const showing = nav.querySelector('.showing');
  const keep = {
    all: () => true,
    failed: status => status === 'drift',
    flaky: status => status === 'flaky',
    passed: status => status === 'passed',
  };
  function apply(name) {
    if (!Object.hasOwn(keep, name)) name = 'all';
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.filter === name));
    for (const branch of branches) branch.hidden = !keep[name](branch.dataset.status);
    for (const flow of flows) flow.hidden = !flow.querySelector('article.branch:not([hidden])');
    const shown = branches.filter(branch => !branch.hidden).length;
    if (empty) empty.hidden = shown > 0;
    showing.textContent = showing.dataset.template.replace('{shown}', shown).replace('{total}', branches.length);
  }
  for (const button of buttons) {
    button.addEventListener('click', () => {
      apply(button.dataset.filter);
      try { history.replaceState(null, '', '#' + button.dataset.filter); } catch (error) { /* file: quirks */ }
    });
  }
  nav.hidden = false;
  apply(location.hash.slice(1));
  addEventListener('hashchange', () => {
    const name = location.hash.slice(1);
    if (Object.hasOwn(keep, name)) apply(name);  // other anchors (#results) leave the filter as it is
  });
  const folded = [];
  addEventListener('beforeprint', () => {
    for (const details of document.querySelectorAll('details:not([open])')) {
      details.open = true;
      folded.push(details);
    }
  });
  addEventListener('afterprint', () => { while (folded.length) folded.pop().open = false; });
})();
"""
