"""The `guide` command: a thin layer that parses arguments and calls the modules.

Exit codes: 0 all good, 1 drift (the guide and the pages disagree), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.tree import Tree

from .browser import BrowserNotFound
from .loader import FlowError, LoadedFlow, load_flows

OK, DRIFT, BAD_INPUT = 0, 1, 2
DEFAULT_FLOWS = ["flows"]

# CI logs are not terminals: give them room instead of rich's 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)


class UsageError(Exception):
    """Bad arguments that argparse cannot see (a missing folder…)."""


def _flows(paths: Sequence[str]) -> list[LoadedFlow]:
    return load_flows(paths or DEFAULT_FLOWS)


def _existing_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is not a folder")
    return path


# --- verbs ---------------------------------------------------------------------------------


def cmd_lint(args: argparse.Namespace) -> int:
    loaded = _flows(args.flows)
    for item in loaded:
        console.print(f"[green]✓[/] {item.file}: {item.flow.id}, {len(item.flow.steps)} top-level steps")
    return OK


def cmd_list(args: argparse.Namespace) -> int:
    from .engine import branches

    for item in _flows(args.flows):
        flow = item.flow
        tree = Tree(f"[bold]{flow.id}[/] — {flow.title}  [dim]{item.file}[/]")
        _add_steps(tree, flow.steps)
        names = ", ".join(b.name for b in branches(flow))
        tree.add(f"[dim]branches checked: {names}[/]")
        console.print(tree)
    return OK


def _add_steps(tree: Tree, steps) -> None:
    from .locate import describe

    for step in steps:
        what = f" → {step.action} {describe(step.target)}" if step.target else (" (hors navigateur)" if step.outside else "")
        lands = f" ⇒ {step.lands}" if step.lands else ""
        node = tree.add(f"[cyan]{step.id}[/]{what}{lands}: {step.question or step.instruction}")
        for option in step.options:
            when = f" [dim](si {option.when})[/]" if option.when else ""
            _add_steps(node.add(f"[magenta]{option.id}[/]: {option.label}{when}"), option.steps)
        if step.simulate:
            _add_steps(node.add("[dim]simulé contre les fixtures :[/]"), step.simulate)


def cmd_schema(args: argparse.Namespace) -> int:
    from .files import write_atomic
    from .schema import SHIPPED, schema_text

    if args.write:
        write_atomic(SHIPPED, schema_text())
        console.print(f"wrote {SHIPPED}")
    else:
        sys.stdout.write(schema_text())
    return OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from playwright import __version__ as playwright_version

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
    from playwright.sync_api import sync_playwright

    from .browser import launch, resolve_browser
    from .check import CheckOptions, check_flow
    from .engine import branches
    from .report import print_results, write_junit

    loaded = _flows(args.flows)
    options = CheckOptions(fixtures=args.fixtures, out=args.out, timeout_ms=args.timeout * 1000)
    total = sum(len(branches(item.flow)) for item in loaded)
    results = []
    with sync_playwright() as playwright:
        browser = launch(playwright, resolve_browser(args.browser_path, playwright))
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task("checking", total=total)
            for item in loaded:
                progress.update(task, description=f"checking {item.flow.id}")
                results += check_flow(browser, item, options, on_branch=lambda r: progress.advance(task))
        browser.close()
    print_results(console, results)
    if args.junit:
        write_junit(args.junit, results)
        console.print(f"JUnit report: {args.junit}")
    return OK if all(r.passed for r in results) else DRIFT


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guide", description=(
        "Browser-guided procedures, checked in CI: guide a person live, check the guide against "
        "offline fixtures, regenerate its screenshots and document."))
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, run: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    def flows_arg(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("flows", nargs="*", metavar="FLOW", help="flow files or folders (default: flows/)")

    def browser_arg(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--browser-path", metavar="EXE",
                         help="Chromium/Chrome executable (default: $GUIDE_BROWSER, Playwright's, then PATH)")

    check = verb("check", cmd_check, "replay every flow and branch against the fixtures; exit 1 on drift")
    flows_arg(check)
    check.add_argument("--fixtures", type=_existing_dir, default=Path("fixtures"), metavar="DIR",
                       help="fixture tree laid out as HOST/PATH (default: fixtures/)")
    check.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    check.add_argument("--out", type=Path, default=Path("guide-results"), metavar="DIR",
                       help="screenshots and traces of drifting steps (default: guide-results/)")
    check.add_argument("--timeout", type=float, default=3.0, metavar="SECONDS",
                       help="how long to wait for each element or page (default: 3)")
    browser_arg(check)

    lint = verb("lint", cmd_lint, "validate flows without a browser")
    flows_arg(lint)
    listing = verb("list", cmd_list, "show flows and their steps as a tree")
    flows_arg(listing)

    schema = verb("schema", cmd_schema, "print the JSON Schema of flow files")
    schema.add_argument("--write", action="store_true", help="refresh guide/flow.schema.json")

    doctor = verb("doctor", cmd_doctor, "say which browser guide uses and why, and what is missing")
    doctor.add_argument("--install", action="store_true",
                        help="install a browser if none is found (Playwright's, else Debian's as root)")
    browser_arg(doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
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


if __name__ == "__main__":
    sys.exit(main())
