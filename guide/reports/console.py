# Deliberately English, not from guide/i18n.py: this output is for QA and developers in CI logs, and CI greps it.
"""What a run prints: drift reports, warnings, explanations, the summary table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .results import BranchResult


def summary_table(results: list[BranchResult]) -> Table:
    table = Table(title="guide check", title_justify="left")
    for column in ("flow", "branch", "steps", "result", "time"):
        table.add_column(column, justify="right" if column in ("steps", "time") else "left")
    for result in results:
        if result.drift:
            verdict = f"[red]drift[/] at {result.drift.step_id}"
        elif result.failures:
            verdict = (
                f"[yellow]flaky[/] ({len(result.failures)} failed attempt{'s' if len(result.failures) > 1 else ''})"
            )
        else:
            verdict = "[green]ok[/]" + (" [dim](cached)[/]" if result.reused_from else "")
        time = "cached" if result.reused_from else f"{result.seconds:.2f} s"
        table.add_row(result.flow_id, result.branch, str(result.steps), verdict, time)
    return table


def print_results(console: Console, results: list[BranchResult]) -> None:
    told: set[str] = set()  # branches share steps: say each explanation once
    for result in results:
        if result.drift:
            console.print(f"\n[bold red]✗ {result.flow_id} › {result.branch}[/]", highlight=False)
            console.print(result.drift.text(), markup=False, highlight=False)
        elif result.failures:
            console.print(
                f"\n[bold yellow]~ {result.flow_id} › {result.branch}: flaky — drifted, then passed[/]", highlight=False
            )
            console.print(result.failures[0].text(), markup=False, highlight=False)
        for warning in result.warnings:
            console.print(f"[yellow]! {result.flow_id} › {result.branch}: {warning}[/]", highlight=False)
        for note in result.notes:
            if note not in told:
                told.add(note)
                console.print(f"[dim]i {note}[/]", highlight=False)
    console.print()
    console.print(summary_table(results))
    failed = sum(not r.passed for r in results)
    flaky = sum(r.status == "flaky" for r in results)
    also = f" {flaky} flaky (drifted, then passed)." if flaky else ""
    reused = [r.reused_from for r in results if r.reused_from]
    if reused:
        also += (
            f" {len(reused)} verdict{'s' if len(reused) > 1 else ''} reused from earlier runs "
            f"({min(reused)}…), their flow and pages unchanged (--no-cache to replay)."
        )
    if failed:
        console.print(f"[bold red]{failed} of {len(results)} branches drifted from the guide.[/]{also}")
    else:
        console.print(f"[bold green]All {len(results)} branches match the pages.[/]{also}")
