"""The HTML report of a run: one self-contained page that opens in a browser without a server.

Everything travels inside `index.html`: the style, the filter script and the failure
screenshots (as data: URIs), so the page still works once copied out of CI. Traces stay files
(a viewer opens them): linked when they sit under the report's folder, and always given as the
`python -m playwright show-trace` command. No font, script or image is fetched: the page makes
no network request at all.

The report's own words come from `WORDS`, one dict per language (`RunInfo.lang`); everything
else (instructions, names found on pages, URLs) comes from pages and flows and is escaped.
"""

from __future__ import annotations

import base64
import html
import os
import re
import shlex
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from ..files import write_atomic
from .results import BranchResult, DriftReport, RunInfo, Walked

# The report's fixed words, one dict per language (to move into the tool's catalogue later).
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport de vérification des guides",
        "skip": "Aller aux résultats",
        "run": "Exécution",
        "started": "Date",
        "duration": "Durée",
        "machine": "Machine",
        "version": "Version de guide",
        "shard": "Tranche",
        "counts": "Bilan",
        "branches": "branches",
        "flows": "parcours",
        "passed": "Réussie",
        "drift": "Dérive",
        "flaky": "Instable",
        "reused": "Verdict réutilisé",
        "count.passed": "réussies",
        "count.drift": "en dérive",
        "count.flaky": "instables",
        "count.reused": "réutilisées",
        "filters": "Filtrer les branches",
        "filter.all": "Toutes",
        "filter.failed": "En échec",
        "filter.flaky": "Instables",
        "filter.passed": "Réussies",
        "showing": "{shown} branche(s) affichée(s) sur {total}",
        "empty": "Aucune branche ne correspond à ce filtre.",
        "none": "Aucune branche n'a été vérifiée.",
        "file": "Fichier",
        "steps": "{n} étape(s)",
        "walked": "Étapes parcourues ({n})",
        "simulated": "exemple simulé",
        "broke": "Dérive ici",
        "report": "Rapport de dérive",
        "where": "Emplacement",
        "step": "Étape",
        "instruction": "Consigne",
        "problem": "Problème",
        "expected": "Attendu",
        "found": "Trouvé à la place",
        "url": "Page",
        "fix": "Correction",
        "screenshot": "Capture d'écran de la page au moment de la dérive",
        "no_screenshot": "Capture d'écran introuvable\u00a0: {path}",
        "trace": "Trace",
        "open_trace": "Télécharger la trace (trace.zip)",
        "trace_command": "pour rejouer la branche pas à pas dans le visualiseur de Playwright",
        "colon": "\u00a0:",
        "attempt_failed": "Tentative {n}\u00a0: dérive",
        "attempt_passed": "Tentative {n}\u00a0: réussie",
        "reused_from": "Verdict repris de l'exécution {run}, les pages n'ayant pas changé.",
        "warnings": "Avertissements ({n})",
        "blocked": "Requêtes bloquées hors des fixtures ({n}, {hosts} hôte(s))",
        "notes": "Explications (--explain) ({n})",
        "generated": "Rapport généré par guide {version}.",
        "date_format": "%d/%m/%Y à %H:%M:%S",
        "decimal": ",",
        "seconds": "{value} s",
        "minutes": "{minutes} min {seconds} s",
    },
    "en": {
        "title": "Guide check report",
        "skip": "Skip to the results",
        "run": "Run",
        "started": "Date",
        "duration": "Duration",
        "machine": "Machine",
        "version": "guide version",
        "shard": "Shard",
        "counts": "Summary",
        "branches": "branches",
        "flows": "flows",
        "passed": "Passed",
        "drift": "Drift",
        "flaky": "Flaky",
        "reused": "Reused verdict",
        "count.passed": "passed",
        "count.drift": "drifted",
        "count.flaky": "flaky",
        "count.reused": "reused",
        "filters": "Filter branches",
        "filter.all": "All",
        "filter.failed": "Failed",
        "filter.flaky": "Flaky",
        "filter.passed": "Passed",
        "showing": "Showing {shown} of {total} branches",
        "empty": "No branch matches this filter.",
        "none": "No branch was checked.",
        "file": "File",
        "steps": "{n} step(s)",
        "walked": "Steps walked ({n})",
        "simulated": "simulated example",
        "broke": "Drifted here",
        "report": "Drift report",
        "where": "Where",
        "step": "Step",
        "instruction": "Instruction",
        "problem": "Problem",
        "expected": "Expected",
        "found": "Found instead",
        "url": "Page",
        "fix": "Fix",
        "screenshot": "Screenshot of the page when it drifted",
        "no_screenshot": "Screenshot not found: {path}",
        "trace": "Trace",
        "open_trace": "Download the trace (trace.zip)",
        "trace_command": "to replay the branch step by step in Playwright's trace viewer",
        "colon": ":",
        "attempt_failed": "Attempt {n}: drift",
        "attempt_passed": "Attempt {n}: passed",
        "reused_from": "Verdict reused from run {run}: the pages did not change.",
        "warnings": "Warnings ({n})",
        "blocked": "Requests blocked outside the fixtures ({n}, {hosts} host(s))",
        "notes": "Explanations (--explain) ({n})",
        "generated": "Report generated by guide {version}.",
        "date_format": "%Y-%m-%d %H:%M:%S",
        "decimal": ".",
        "seconds": "{value} s",
        "minutes": "{minutes} min {seconds} s",
    },
}
FALLBACK = "en"
FILTERS = ("all", "failed", "flaky", "passed")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}

Words = Callable[..., str]


def words_for(lang: str) -> tuple[str, Words]:
    """The catalogue's language for `lang` ("fr-FR" → "fr"; unknown → English) and a lookup."""
    code = lang.lower().replace("_", "-").split("-")[0]
    code = code if code in WORDS else FALLBACK
    catalogue = WORDS[code]

    def say(key: str, **values: object) -> str:
        return catalogue[key].format(**values) if values else catalogue[key]

    return code, say


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


# --- formatting ------------------------------------------------------------------------------


def duration(seconds: float, say: Words) -> str:
    if seconds >= 60:
        minutes, rest = divmod(round(seconds), 60)
        return say("minutes", minutes=minutes, seconds=f"{rest:02d}")
    return say("seconds", value=f"{seconds:.2f}".replace(".", say("decimal")))


def when(started: str, say: Words) -> str:
    """The run's date as people of that language write it (the raw value if it is not ISO)."""
    try:
        moment = datetime.strptime(started, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return esc(started)
    return f'<time datetime="{esc(started)}">{esc(moment.strftime(say("date_format")))}</time>'


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
        title = say("title") + (f" — {drifted} {say('count.drift')}" if drifted else "")
        body = "\n".join([self.header(), self.filters(), self.main(), self.footer()])
        return (
            f'<!DOCTYPE html>\n<html lang="{esc(self.lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light">\n<meta name="generator" content="guide check">\n'
            f"<title>{esc(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
            f'<a class="skip" href="#results">{esc(say("skip"))}</a>\n{body}\n'
            f"<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
        )

    # header, filters, footer

    def header(self) -> str:
        say, run = self.say, self.run
        facts = [
            (say("started"), when(run.started, say)),
            (say("duration"), esc(duration(run.seconds, say))),
            (say("machine"), esc(run.machine)),
            (say("version"), esc(run.guide)),
        ]
        if run.shard:
            facts.append((say("shard"), esc(run.shard)))
        colon = esc(say("colon"))
        listed = "".join(f"<div><dt>{esc(k)}{colon}</dt><dd>{v}</dd></div>" for k, v in facts)
        return (
            f'<header class="top"><div class="wrap"><p class="brand">guide check</p>'
            f"<h1>{esc(say('title'))}</h1>"
            f'<dl class="run" aria-label="{esc(say("run"))}">{listed}</dl>{self.counts()}</div></header>'
        )

    def counts(self) -> str:
        say, results = self.say, self.results
        flows = len({r.flow_id for r in results})
        items = [
            f'<li class="total"><strong>{len(results)}</strong> {esc(say("branches"))}, '
            f"<strong>{flows}</strong> {esc(say('flows'))}</li>"
        ]
        for status in ("passed", "drift", "flaky"):
            number = sum(r.status == status for r in results)
            items.append(f'<li class="count {status}"><strong>{number}</strong> {esc(say("count." + status))}</li>')
        reused = sum(r.reused_from is not None for r in results)
        items.append(f'<li class="count reused"><strong>{reused}</strong> {esc(say("count.reused"))}</li>')
        return f'<ul class="counts" aria-label="{esc(say("counts"))}">{"".join(items)}</ul>'

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
            f'{esc(say("filter." + name))} <span class="n">{number[name]}</span></button>'
            for name in FILTERS
        )
        return (
            f'<nav class="filters" aria-label="{esc(say("filters"))}" hidden><div class="wrap">'
            f'<span class="label" aria-hidden="true">{esc(say("filters"))}</span>{buttons}'
            f'<p class="showing" role="status" aria-live="polite" '
            f'data-template="{esc(say("showing"))}"></p></div></nav>'
        )

    def footer(self) -> str:
        return f'<footer><div class="wrap"><p>{esc(self.say("generated", version=self.run.guide))}</p></div></footer>'

    # flows and branches

    def main(self) -> str:
        say = self.say
        flows: dict[str, list[BranchResult]] = {}
        for result in self.results:
            flows.setdefault(result.flow_id, []).append(result)
        sections = [self.flow(items) for items in flows.values()]
        empty = f'<p class="empty" id="empty" hidden>{esc(say("empty"))}</p>'
        if not sections:
            sections = [f'<p class="empty">{esc(say("none"))}</p>']
        return f'<main id="results" tabindex="-1"><div class="wrap">{empty}{"".join(sections)}</div></main>'

    def flow(self, items: list[BranchResult]) -> str:
        first = items[0]
        title = next((r.flow_title for r in items if r.flow_title), first.flow_id)
        heading = self.new_id("flow")
        statuses = {r.status for r in items}
        worst = "drift" if "drift" in statuses else "flaky" if "flaky" in statuses else "passed"
        badge = f'<span class="badge {worst}">{esc(self.say(worst))}</span>'
        branches = "".join(self.branch(result) for result in items)
        return (
            f'<section class="flow" aria-labelledby="{heading}">'
            f'<h2 id="{heading}">{badge} <span class="flow-title">{esc(title)}</span></h2>'
            f'<p class="flow-meta"><code>{esc(first.flow_id)}</code> · {esc(self.say("file"))} '
            f"<code>{esc(first.flow_file)}</code></p>{branches}</section>"
        )

    def branch(self, result: BranchResult) -> str:
        say, status = self.say, result.status
        heading = self.new_id("branch")
        badge = f'<span class="badge {status}">{esc(say(status))}</span>'
        if result.reused_from is not None:
            badge += f' <span class="badge reused">{esc(say("reused"))}</span>'
        parts = [
            f'<h3 id="{heading}">{badge} <span class="branch-name">{esc(result.branch)}</span></h3>',
            f'<p class="facts">{esc(duration(result.seconds, say))} · {esc(say("steps", n=result.steps))}</p>',
        ]
        if result.reused_from is not None:
            parts.append(f'<p class="reused-from">{esc(say("reused_from", run=result.reused_from))}</p>')
        for number, failure in enumerate(result.failures, 1):
            parts.append(self.drift(failure, say("attempt_failed", n=number), attempt=True))
        if result.drift is not None:
            parts.append(self.drift(result.drift, say("report")))
        elif result.failures:
            parts.append(
                f'<p class="attempt-passed"><span class="badge passed">{esc(say("passed"))}</span> '
                f"{esc(say('attempt_passed', n=len(result.failures) + 1))}</p>"
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
        return (
            f'<details class="walked"{opened}><summary>{esc(say("walked", n=len(items)))}</summary>'
            f'<ol class="steps">{"".join(items)}</ol></details>'
        )

    def step(self, walked: Walked, broke: bool) -> str:
        say = self.say
        mark = f' <strong class="broke-here">{esc(say("broke"))}</strong>' if broke else ""
        simulated = f' <span class="simulated">({esc(say("simulated"))})</span>' if walked.simulated else ""
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
            ("problem", esc(report.problem)),
            ("expected", names(report.expected)),
            ("found", names(report.found)),
        ]
        if report.url:
            rows.append(("url", f"<code>{esc(report.url)}</code>"))
        rows.append(("fix", esc(report.fix)))
        listed = "".join(f'<div class="{key}"><dt>{esc(say(key))}</dt><dd>{value}</dd></div>' for key, value in rows)
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
            return f'<p class="missing">{esc(self.say("no_screenshot", path=report.screenshot))}</p>'
        caption = self.say("screenshot")
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
        linked = f'<p><a href="{esc(href)}" download>{esc(say("open_trace"))}</a></p>' if href else ""
        return (
            f'<div class="trace"><p><strong>{esc(say("trace"))}</strong>{esc(say("colon"))} '
            f'{esc(say("trace_command"))}</p><p><code class="command">{esc(command)}</code></p>{linked}</div>'
        )

    def extras(self, result: BranchResult) -> list[str]:
        """Warnings, blocked requests by host and explanations, each folded away."""
        say, parts = self.say, []
        # The routing's one-line summaries of blocked requests repeat what the grouped list shows.
        warnings = [w for w in result.warnings if not (result.blocked and w.startswith("blocked "))]
        if warnings:
            parts.append(self.folded("warnings", say("warnings", n=len(warnings)), self.bullets(warnings)))
        if result.blocked:
            hosts: dict[str, list[str]] = {}
            for request in result.blocked:
                hosts.setdefault(host_of(request), []).append(request)
            listed = "".join(
                f"<li><strong>{esc(host)}</strong> ({len(items)}){self.bullets(items, code=True)}</li>"
                for host, items in hosts.items()
            )
            summary = say("blocked", n=len(result.blocked), hosts=len(hosts))
            parts.append(self.folded("blocked", summary, f"<ul>{listed}</ul>"))
        if result.notes:
            parts.append(self.folded("notes", say("notes", n=len(result.notes)), self.bullets(result.notes)))
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
