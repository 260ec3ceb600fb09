"""`guide report merge`: one report from the result files of sharded runs.

Each shard (`guide check --shard I/N --report DIR`) leaves DIR/results.json; merging reads
them all (folders or the files themselves), refuses a branch reported twice (two shards given
the same --shard), and writes one JUnit file and one HTML report, like Playwright's
`merge-reports`. The traces of drifting branches are copied into the merged report's folder,
so its links work wherever the folder goes; screenshots are embedded in the page.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from .results import RESULTS_FILE, BranchResult, DriftReport, ResultFileError, RunInfo, artifacts_folder, load


def result_file(source: Path) -> Path:
    return source / RESULTS_FILE if source.is_dir() else source


def merge(sources: list[Path]) -> tuple[list[BranchResult], RunInfo]:
    """Every shard's results, in the order of flows and branches; ResultFileError names the
    file that cannot be read or the branch two shards report."""
    seen: dict[tuple[str, str], Path] = {}
    merged: list[BranchResult] = []
    runs: list[RunInfo] = []
    for source in sources:
        file = result_file(source)
        results, run = load(file)
        runs.append(run)
        for result in results:
            key = (result.flow_id, result.branch)
            if key in seen:
                raise ResultFileError(
                    f"{file}: {result.flow_id} › {result.branch} is also in {seen[key]}; "
                    "fix: give each shard its own --shard I/N, and merge each result file once"
                )
            seen[key] = file
            merged.append(result)
    if not runs:
        raise ResultFileError("no result file given: name the folders each shard's --report wrote")
    merged.sort(key=lambda r: (r.flow_file, r.flow_id))  # stable: each flow's branches keep their order
    run = RunInfo(
        started=min(r.started for r in runs),
        seconds=max(r.seconds for r in runs),  # shards run side by side
        shard=None,
        lang=runs[0].lang,
        machine=", ".join(dict.fromkeys(r.machine for r in runs)),
        guide=runs[0].guide,
    )
    return merged, run


def gather_traces(results: list[BranchResult], folder: Path) -> None:
    """Copy each drift's trace into FOLDER/<flow>/<branch>/<attempt>/ and point the report at it."""
    for result in results:
        branch = artifacts_folder(folder, result.flow_id, result.branch)
        result.failures = [_copied(r, branch / f"attempt-{n}") for n, r in enumerate(result.failures, 1)]
        if result.drift:
            result.drift = _copied(result.drift, branch / f"attempt-{len(result.failures) + 1}")


def _copied(report: DriftReport, into: Path) -> DriftReport:
    if not report.trace or not Path(report.trace).is_file():
        return report
    source = Path(report.trace).resolve()
    target = into.resolve() / source.name
    if source != target:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return replace(report, trace=str(target))
