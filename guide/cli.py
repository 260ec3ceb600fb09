"""The `guide` command: a thin layer that parses arguments and calls the modules.

Exit codes: 0 all good, 1 drift (the guide and the pages disagree), 2 bad input or usage,
3 the tool itself failed (a bug: one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.tree import Tree

from .browser import BrowserNotFound, add_browser_argument
from .i18n import LANGUAGES
from .loader import FlowError, LoadedFlow, load_flows
from .model import Step
from .reports import BranchResult
from .session import first_line

if TYPE_CHECKING:
    from . import capture as capture_module

OK, DRIFT, BAD_INPUT, TOOL_FAILED = 0, 1, 2, 3
DEFAULT_FLOWS = ["flows"]
SHIPPED_SCHEMA = "guide/flow.schema.json"  # what `guide schema --write` alone refreshes

# CI logs are not terminals: lines are never wrapped there (paths and commands stay whole),
# and tables get room instead of rich's 80 columns.
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 160)


def _default_retries() -> int:
    """Like Playwright Test's recommended set-up: a replay on CI (loaded machines), none locally,
    where a drift should be seen at once."""
    return 1 if any(os.environ.get(name) for name in ("CI", "GITHUB_ACTIONS", "GITLAB_CI")) else 0


class UsageError(Exception):
    """Bad arguments that argparse cannot see (a missing folder…)."""


def _flows(paths: Sequence[str]) -> list[LoadedFlow]:
    return load_flows(paths or DEFAULT_FLOWS)


def _existing_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is not a folder")
    return path


def _argument(parse: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type from a parser raising ValueError: argparse prints the message, exit 2."""

    def convert(value: str) -> object:
        try:
            return parse(value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = parse.__name__.lstrip("_")
    return convert


def _parse_workers(value: str) -> int:
    from .parallel import parse_workers

    return parse_workers(value)


def _parse_shard(value: str) -> tuple[int, int]:
    from .parallel import parse_shard

    return parse_shard(value)


def _check_endpoint(value: str) -> str:
    from .remote import check_endpoint

    return check_endpoint(value)


# --- verbs ---------------------------------------------------------------------------------


def cmd_lint(args: argparse.Namespace) -> int:
    loaded = _flows(args.flows)
    for item in loaded:
        console.print(f"[green]✓[/] {item.file}: {item.flow.id}, {len(item.flow.steps)} top-level steps")
    return OK


def cmd_list(args: argparse.Namespace) -> int:
    from .tree import branches

    for item in _flows(args.flows):
        flow = item.flow
        tree = Tree(f"[bold]{flow.id}[/] — {flow.title}  [dim]{item.file}[/]")
        _add_steps(tree, flow.steps)
        names = ", ".join(b.name for b in branches(flow))
        tree.add(f"[dim]branches checked: {names}[/]")
        console.print(tree)
    return OK


def _add_steps(tree: Tree, steps: list[Step]) -> None:
    from .locate import describe

    for step in steps:
        what = (
            f" → {step.action} {describe(step.target)}"
            if step.target
            else (" (hors navigateur)" if step.outside else "")
        )
        lands = f" ⇒ {step.lands}" if step.lands else ""
        node = tree.add(f"[cyan]{step.id}[/]{what}{lands}: {step.question or step.instruction}")
        for option in step.options:
            when = f" [dim](si {option.when})[/]" if option.when else ""
            _add_steps(node.add(f"[magenta]{option.id}[/]: {option.label}{when}"), option.steps)
        if step.simulate:
            _add_steps(node.add("[dim]simulé contre les fixtures :[/]"), step.simulate)


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text, write_schema

    if args.write is None:
        sys.stdout.write(schema_text())
        return OK
    try:
        written = write_schema(None if args.write == SHIPPED_SCHEMA else Path(args.write))
    except OSError as error:
        raise UsageError(
            f"cannot write the schema to {args.write}: {error.strerror or error}; fix: give a "
            "file path, or an existing folder you can write to"
        ) from None
    console.print(f"wrote {written}")
    return OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from importlib.metadata import version

    playwright_version = version("playwright")  # the package has no __version__ (1.65)

    from .browser import install_browser, resolve_browser

    if args.install:
        return OK if install_browser(lambda line: console.print(line)) else BAD_INPUT
    console.print(f"playwright {playwright_version}, python {sys.version.split()[0]}")
    try:
        choice = resolve_browser(args.browser_path)
    except BrowserNotFound as error:
        errors.print(f"[red]✗ browser:[/] {error}")
        return BAD_INPUT
    for line in choice.looked_at:
        console.print(f"  looked at: {line}")
    console.print(f"[green]✓ browser:[/] {choice.label} — {choice.reason}")
    return OK


def cmd_check(args: argparse.Namespace) -> int:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .check import CheckOptions
    from .parallel import BrowserLost, BrowserSource, WorkerCrash, plan, run_checks, shard
    from .reports import RunInfo, github
    from .reports.console import print_results
    from .reports.html import write_html
    from .reports.junit import write_junit
    from .reports.results import RESULTS_FILE
    from .reports.results import save as save_results

    started = time.monotonic()

    loaded = _flows(args.flows)
    options = CheckOptions(
        fixtures=args.fixtures, out=args.out, timeout_ms=args.timeout * 1000, explain=args.explain, retries=args.retries
    )
    if not args.no_cache and not args.connect:  # a remote browser's version is not known here
        from .cache import open_cache

        options.cache = open_cache(
            args.cache_dir,
            args.fixtures,
            args.browser_path,
            {"timeout_ms": options.timeout_ms, "explain": options.explain},
            time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        )
    jobs = plan(loaded)
    if args.shard:
        jobs = shard(jobs, *args.shard)
        console.print(f"shard {args.shard[0]}/{args.shard[1]}: {len(jobs)} of {len(plan(loaded))} branches")
    source = BrowserSource(executable=args.browser_path, connect=args.connect)
    # Redrawn on each result, not by a thread: -j N can then fork its workers (see parallel.py).
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
    ) as progress:
        task = progress.add_task(f"checking {len(jobs)} branches", total=len(jobs))
        progress.refresh()

        received: list[BranchResult] = []

        def advance(result: BranchResult) -> None:
            received.append(result)
            progress.update(task, advance=1, description=f"checked {result.flow_id} › {result.branch}", refresh=True)

        failure = None
        try:
            results = run_checks(loaded, jobs, options, source, workers=args.jobs, on_result=advance)
        except (WorkerCrash, BrowserLost) as error:  # killed, out of memory, the browser gone: say so
            results, failure = received, str(error)
    # whatever happened, what was checked is reported
    run = RunInfo(
        seconds=time.monotonic() - started,
        shard=f"{args.shard[0]}/{args.shard[1]}" if args.shard else None,
        lang=loaded[0].flow.lang if loaded else "fr",
    )
    print_results(console, results)
    if github.on_github():
        github.report(results, lambda line: sys.stdout.write(line + "\n"))  # unwrapped: GitHub parses them
    if args.junit:
        write_junit(args.junit, results)
        console.print(f"JUnit report: {args.junit}")
    if args.report:
        save_results(args.report / RESULTS_FILE, results, run)
        console.print(f"HTML report: {write_html(args.report, results, run)}")
    if failure is not None:
        errors.print(f"guide: {failure}; {len(jobs) - len(results)} branch(es) not checked", markup=False)
        return TOOL_FAILED
    flaky = any(r.status == "flaky" for r in results)
    return OK if all(r.passed for r in results) and not (flaky and args.fail_on_flaky) else DRIFT


def cmd_report(args: argparse.Namespace) -> int:
    raise UsageError("say what to do with the reports; fix: guide report merge DIR… --junit FILE --report DIR")


def cmd_report_merge(args: argparse.Namespace) -> int:
    from .reports.console import print_results
    from .reports.html import write_html
    from .reports.junit import write_junit
    from .reports.merge import gather_traces, merge
    from .reports.results import RESULTS_FILE, ResultFileError
    from .reports.results import save as save_results

    try:
        results, run = merge(args.sources)
    except ResultFileError as error:
        raise UsageError(str(error)) from None
    print_results(console, results)
    if args.junit:
        write_junit(args.junit, results)
        console.print(f"JUnit report: {args.junit}")
    if args.report:
        gather_traces(results, args.report)
        save_results(args.report / RESULTS_FILE, results, run)
        console.print(f"HTML report: {write_html(args.report, results, run)}")
    return OK if all(r.passed for r in results) else DRIFT


def cmd_live(args: argparse.Namespace) -> int:
    from .engine import Resume
    from .i18n import language, words
    from .live import LiveOptions, run_live
    from .tree import answers_for

    loaded = load_flows([args.flow])[0]
    flow = loaded.flow
    say = words(language(flow.lang, args.lang))
    given = dict(_assignment(item) for item in args.var)
    unknown = sorted(set(given) - set(flow.variables))
    if unknown:
        raise UsageError(
            f"--var {unknown[0]}: the flow has no such variable; known: {', '.join(flow.variables) or 'none'}"
        )
    if args.device and args.device not in _devices():
        raise UsageError(
            f"--device {args.device!r}: not a Playwright device; e.g. "
            + ", ".join(name for name in _devices() if name.startswith(("iPhone 1", "Pixel")))[:200]
        )
    resume = None
    if args.start_from:
        answers = answers_for(flow, args.start_from)
        if answers is None:
            raise UsageError(f"--from {args.start_from}: the flow has no such step")
        resume = Resume(args.start_from, answers)
    if args.autoplay and not args.fixtures:
        given = _values_for_autoplay(loaded, given)  # asked now, in the terminal, before the browser opens
    capturing = _live_capture(args, given)
    outcome = run_live(
        loaded,
        LiveOptions(
            fixtures=args.fixtures,
            start_url=args.start,
            given=given,
            autoplay_s=args.pace if args.autoplay else None,
            headless=args.headless,
            browser_path=args.browser_path,
            channel=args.channel,
            device=args.device,
            profile=args.profile,
            lang=args.lang,
            wait_s=args.wait,
            resume=resume,
            capture=capturing,
        ),
    )
    for report in outcome.reports:
        errors.print(report.text(), markup=False)
    if outcome.captured is not None and capturing is not None:
        from .capture import print_result

        print_result(console, outcome.captured, capturing)
    if outcome.drifts:
        errors.print(
            say("{count} step(s) no longer matched the pages: the guide needs an update.", count=len(outcome.drifts))
        )
        return DRIFT
    console.print(
        say("Procedure finished.")
        if outcome.finished
        else say("Guide closed: run it again to pick up where you stopped.")
    )
    return OK


def _live_capture(args: argparse.Namespace, given: dict[str, str]) -> capture_module.CaptureOptions | None:
    """--capture DIR [--from-url …]: what guide live keeps of the walk, checked before the browser opens."""
    from . import capture as capture_module

    if args.capture is None:
        if args.from_url:
            raise UsageError("--from-url goes with --capture DIR (where the pages are kept)")
        return None
    if args.fixtures:
        raise UsageError("--capture keeps the site's pages: it cannot record --fixtures (copies already)")
    if args.start_from:
        raise UsageError(
            "--capture needs the whole procedure in one walk (what was typed earlier cannot be scrubbed): drop --from"
        )
    if args.capture.exists() and not args.capture.is_dir():
        raise UsageError(f"--capture {args.capture}: not a folder")
    try:
        mappings = [capture_module.parse_mapping(value) for value in args.from_url]
    except capture_module.CaptureError as error:
        raise UsageError(str(error)) from None
    return capture_module.CaptureOptions(args.capture, mappings, given=given)


def _devices() -> list[str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return list(playwright.devices)


def _values_for_autoplay(loaded: LoadedFlow, given: dict[str, str]) -> dict[str, str]:
    """--autoplay on the real site types the values itself: from --var, the environment or a
    question in the terminal (never shown, never stored); no terminal: say how to give them."""
    import getpass

    from .loader import VARIABLE_REF
    from .tree import walk

    flow = loaded.flow
    needed = [name for node in walk(flow.steps) for name in VARIABLE_REF.findall(node.step.value or "")]
    values = dict(given)
    for name in dict.fromkeys(needed):
        variable = flow.variables[name]
        if name in values or (variable.env and os.environ.get(variable.env)):
            values.setdefault(name, os.environ.get(variable.env or "", ""))
            continue
        if not sys.stdin.isatty():
            raise UsageError(
                f"--autoplay needs {name} ({variable.label}): pass --var {name}=… "
                + (f"or set {variable.env}" if variable.env else "")
            )
        try:
            ask = getpass.getpass if variable.secret else input
            values[name] = ask(f"{variable.label} : ")
        except EOFError:
            raise UsageError(f"no value for {name}: pass --var {name}=…") from None
    return values


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:  # never echo it: it may be the secret itself, given without its name
        raise UsageError("--var needs NAME=VALUE (what was given is not shown: it may be a secret)")
    return name, value


def cmd_shots(args: argparse.Namespace) -> int:
    from playwright.sync_api import sync_playwright
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .browser import launch, resolve_browser
    from .gallery import print_run
    from .shots import ShotOptions, run

    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: not a folder")
    loaded = _flows(args.flows)
    options = ShotOptions(
        out=args.out,
        fixtures=args.fixtures,
        results=args.results,
        timeout_ms=args.timeout * 1000,
        check=args.check,
        tolerance=args.threshold,
        max_diff_pixels=args.max_diff_pixels,
        force=args.force,
        prune=args.prune,
    )
    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(args.browser_path, playwright))
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
        ) as progress:
            task = progress.add_task("shooting", total=len(loaded))
            result = run(browser, loaded, options, on_flow=lambda outcome: progress.advance(task))
        browser.close()
    print_run(console, result, options)
    return DRIFT if result.drifted or (args.check and result.changed) else OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportOptions, export, print_export

    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out}: not a folder")
    options = ExportOptions(
        out=args.out,
        format=args.format,
        images=args.images,
        link_images=args.link_images,
        index=args.index,
        browser_path=args.browser_path,
        force=args.force,
        lang=args.lang,
    )
    print_export(console, export(_flows(args.flows), options), options)
    return OK


def _fraction(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError(f"{value} is not between 0 and 1")
    return number


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(f"{value} is negative")
    return number


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from . import capture as capture_module

    parser = argparse.ArgumentParser(
        prog="guide",
        description=(
            "Browser-guided procedures, checked in CI: guide a person live, check the guide against "
            "offline fixtures, regenerate its screenshots and document."
        ),
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, run: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    def flows_arg(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("flows", nargs="*", metavar="FLOW", help="flow files or folders (default: flows/)")

    check = verb("check", cmd_check, "replay every flow and branch against the fixtures; exit 1 on drift")
    flows_arg(check)
    check.add_argument(
        "--fixtures",
        type=_existing_dir,
        default=Path("fixtures"),
        metavar="DIR",
        help="fixture tree laid out as HOST/PATH (default: fixtures/)",
    )
    check.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    check.add_argument(
        "--report",
        type=Path,
        metavar="DIR",
        help="write DIR/index.html (a report to open in a browser) and DIR/results.json "
        "(what `guide report merge` combines)",
    )
    check.add_argument(
        "--out",
        type=Path,
        default=Path("guide-results"),
        metavar="DIR",
        help="screenshots and traces of drifting steps (default: guide-results/)",
    )
    check.add_argument(
        "--timeout",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="how long to wait for each element or page (default: 3)",
    )
    check.add_argument(
        "--retries",
        type=_argument(_count),
        default=_default_retries(),
        metavar="N",
        help="replay a drifting branch N times, traced (default: 1 on CI, where the CI "
        "variable is set, else 0); a branch that then passes is flaky: reported with "
        "its failure's artifacts, exit 0",
    )
    check.add_argument("--fail-on-flaky", action="store_true", help="exit 1 when a branch is flaky")
    check.add_argument(
        "--no-cache", action="store_true", help="replay every branch: neither reuse nor keep verdicts (see --cache-dir)"
    )
    check.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where passing verdicts are kept and reused while the flow, the fixture files "
        "they were served, guide and the browser are unchanged (default: "
        "$XDG_CACHE_HOME/guide/verdicts, else ~/.cache/guide/verdicts)",
    )
    check.add_argument(
        "--explain",
        action="store_true",
        help="say, for each target whose words matched only after the matching rule's "
        "normalisation, which invisible difference was set aside",
    )
    add_browser_argument(check)
    check.add_argument(
        "-j",
        "--jobs",
        type=_argument(_parse_workers),
        default=1,
        metavar="N",
        help="check branches in N worker processes, each with its own browser; "
        "auto: one per two CPUs, as each keeps ~1.7 cores busy (default: 1)",
    )
    check.add_argument(
        "--shard",
        type=_argument(_parse_shard),
        metavar="I/N",
        help="check only the I-th of N deterministic slices of the branches (CI jobs)",
    )
    check.add_argument(
        "--connect",
        type=_argument(_check_endpoint),
        metavar="WS",
        help="use the remote browser server at ws://HOST:PORT/ (python -m playwright "
        "run-server); --browser-path is then a path on the server (needs --unsafe)",
    )

    live = verb("live", cmd_live, "guide a person through a flow in a visible browser, with the overlay")
    live.add_argument("flow", metavar="FLOW", help="the flow file")
    live.add_argument(
        "--fixtures",
        type=_existing_dir,
        metavar="DIR",
        help="serve the pages from fixtures (demos, training) instead of the real site",
    )
    live.add_argument("--start", metavar="URL", help="open this address instead of the flow's first page")
    live.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable's value (used only by --autoplay; never stored)",
    )
    live.add_argument("--autoplay", action="store_true", help="perform each step itself at a readable pace")
    live.add_argument("--pace", type=float, default=1.5, metavar="SECONDS", help="autoplay pause per step")
    live.add_argument(
        "--wait",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="how long to wait for a missing element before saying the page changed",
    )
    live.add_argument("--headless", action="store_true", help="no visible window (demos in CI)")
    live.add_argument(
        "--device",
        metavar="NAME",
        help="guide at a phone's size and touch, e.g. \"iPhone 13\" (Playwright's device list)",
    )
    live.add_argument(
        "--profile", type=Path, metavar="DIR", help="keep the browser's profile (logins, cookies) in DIR between runs"
    )
    live.add_argument(
        "--channel", choices=("chrome", "msedge", "chrome-beta", "msedge-beta"), help="use the installed Chrome or Edge"
    )
    live.add_argument("--lang", choices=LANGUAGES, help="the guide's language (default: the flow's lang)")
    live.add_argument(
        "--from",
        dest="start_from",
        metavar="STEP",
        help="start at this step (its page is opened), e.g. --from saisir-identifiant",
    )
    live.add_argument(
        "--capture",
        type=Path,
        metavar="DIR",
        help="keep the pages of this walk as a fixtures tree in DIR (what was typed scrubbed), as guide capture does",
    )
    capture_module.add_from_url_argument(live)
    add_browser_argument(live)

    shots = verb(
        "shots",
        cmd_shots,
        "regenerate the guide's screenshots (overlay drawn, secrets masked) "
        "from the fixtures; files change only when their pixels do",
    )
    flows_arg(shots)
    shots.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="where the screenshots go: DIR/<flow-id>/<NN>-<step-id>.png, NN the step's "
        "number in the guide (document order; 07a, 07b… for steps simulated against the "
        "fixtures); a step shared by several branches has one file",
    )
    shots.add_argument(
        "--fixtures",
        type=_existing_dir,
        default=Path("fixtures"),
        metavar="DIR",
        help="fixture tree laid out as HOST/PATH (default: fixtures/)",
    )
    shots.add_argument(
        "--check",
        action="store_true",
        help="compare with the files in --out instead of writing; write NAME.diff.png beside "
        "each one that differs; exit 1 on any difference (visual regression)",
    )
    shots.add_argument(
        "--threshold",
        type=_argument(_fraction),
        default=0.0,
        metavar="F",
        help="colour difference a pixel may show and still count as unchanged, 0–1 (default: 0)",
    )
    shots.add_argument(
        "--max-diff-pixels",
        type=_argument(_count),
        default=0,
        metavar="N",
        help="pixels that may differ before a screenshot counts as changed (default: 0)",
    )
    shots.add_argument(
        "--prune",
        action="store_true",
        help="remove the screenshots guide wrote for steps that no longer exist (default: list them)",
    )
    shots.add_argument(
        "--force",
        action="store_true",
        help="also replace files guide did not write, or that were edited since (default: keep them)",
    )
    shots.add_argument(
        "--results",
        type=Path,
        default=Path("guide-results"),
        metavar="DIR",
        help="screenshot and trace of a drifting step (default: guide-results/)",
    )
    shots.add_argument(
        "--timeout",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="how long to wait for each element or page (default: 3)",
    )
    add_browser_argument(shots)

    from .export import FORMATS

    export = verb("export", cmd_export, "regenerate the step-by-step guide (Markdown, HTML or PDF) from the flow")
    flows_arg(export)
    export.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="where OUT/<flow-id>.md|html|pdf go")
    export.add_argument(
        "--force",
        action="store_true",
        help="also replace files guide did not write, or that were edited since (default: keep them)",
    )
    export.add_argument(
        "--lang", choices=LANGUAGES, help="the guide's fixed words in this language (default: the flow's lang)"
    )
    add_browser_argument(export)
    export.add_argument(
        "--images",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="the screenshots' folder (guide shots --out), relative to --out (default: screenshots)",
    )
    export.add_argument(
        "--link-images",
        action="store_true",
        help="HTML: refer to the screenshots beside the page instead of embedding them",
    )
    export.add_argument(
        "--index", action="store_true", help="also write README.md (md) or index.html (html) listing the guides"
    )

    from . import capture, draft, inspect, record

    drafting = verb("draft", draft.run, "a first flow from a help document (text, Markdown, PDF, DOCX)")
    draft.add_arguments(drafting)
    inspecting = verb(
        "inspect",
        inspect.run,
        "list every element a step could target on a page, with the YAML line to paste and whether it is unique",
    )
    inspect.add_arguments(inspecting)
    recording = verb(
        "record", record.run, "do the procedure in a browser: each click, choice, fill and page becomes a step"
    )
    record.add_arguments(recording)
    capturing = verb(
        "capture",
        capture.run,
        "walk a flow on a site and save every page it loads as a "
        "fixtures tree, personal values scrubbed; report what changed",
    )
    capture.add_arguments(capturing)

    lint = verb("lint", cmd_lint, "validate flows without a browser")
    flows_arg(lint)
    listing = verb("list", cmd_list, "show flows and their steps as a tree")
    flows_arg(listing)

    report = verb("report", cmd_report, "work with the reports of earlier runs (report merge)")
    report_verbs = report.add_subparsers(dest="report_verb", metavar="VERB")
    merging = report_verbs.add_parser(
        "merge",
        help="one JUnit file and one HTML report from the results of sharded runs",
        description="Merge the results.json that each shard's `guide check --shard I/N --report DIR` wrote "
        "into one JUnit file and one HTML report; exit 1 when a branch drifted.",
    )
    merging.set_defaults(run=cmd_report_merge)
    merging.add_argument("sources", nargs="+", type=Path, metavar="DIR", help="report folders (or results.json files)")
    merging.add_argument("--junit", type=Path, metavar="FILE", help="write the merged JUnit XML report")
    merging.add_argument("--report", type=Path, metavar="DIR", help="write the merged DIR/index.html and results.json")

    schema = verb("schema", cmd_schema, "print the JSON Schema of flow files")
    schema.add_argument(
        "--write",
        nargs="?",
        const=SHIPPED_SCHEMA,
        metavar="PATH",
        help="write it to PATH (a file, or a folder to hold flow.schema.json); alone: refresh guide/flow.schema.json",
    )

    doctor = verb("doctor", cmd_doctor, "say which browser guide uses and why, and what is missing")
    doctor.add_argument(
        "--install",
        action="store_true",
        help="install a browser if none is found (Playwright's, else Debian's as root)",
    )
    add_browser_argument(doctor)
    return parser


class Terminated(BaseException):
    """SIGTERM: unwind like Ctrl-C, so temporary files and browsers are cleaned up."""


TERMINATED = threading.Event()  # a SIGTERM came: what fails afterwards is the unwinding, not a bug
GRACE_S = 10.0  # past this after a SIGTERM, a Playwright caught half-started or half-stopped is left to the OS


def _on_sigterm(signum: int, frame: object) -> None:
    if not TERMINATED.is_set():
        TERMINATED.set()
        # The exception may land inside Playwright's own start or stop, whose cleanup can then
        # wait forever on a driver that lost its thread: end anyway once the grace is over.
        timer = threading.Timer(GRACE_S, _stop_now)
        timer.daemon = True
        timer.start()
    raise Terminated()


def _stop_now() -> None:
    errors.print("guide: stopped (SIGTERM; cleaning up took too long)")
    os._exit(143)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return int(args.run(args))
    except FlowError as error:
        for problem in error.problems:
            errors.print(str(problem), markup=False)
        return BAD_INPUT
    except (BrowserNotFound, UsageError) as error:
        errors.print(f"guide: {error}", markup=False)
        return BAD_INPUT
    except KeyboardInterrupt:
        errors.print("guide: interrupted")
        return 130
    except Terminated:
        errors.print("guide: stopped (SIGTERM)")
        return 143
    except Exception as error:  # a bug of guide's: say so in one line, never a traceback
        if TERMINATED.is_set():  # Playwright interrupted mid-start by SIGTERM fails as it unwinds
            errors.print("guide: stopped (SIGTERM)")
            return 143
        if os.environ.get("GUIDE_DEBUG"):
            raise
        errors.print(
            f"guide: the tool itself failed ({type(error).__name__}: {first_line(error)}). This is a "
            "bug in guide, not in your flow: run again with GUIDE_DEBUG=1 for the details and "
            "report them.",
            markup=False,
        )
        return TOOL_FAILED


if __name__ == "__main__":
    sys.exit(main())
