"""pytest plugin: `pytest flows/` checks every flow and branch like `guide check`.

Each flow file becomes a test per branch (engine.branches), named `<flow id>[<answers>]`, that
runs in pytest-playwright's `browser` and `new_context` fixtures, so its options apply
(`--browser`, `--browser-channel`, `--headed`, `--slowmo`, `--tracing`, `--screenshot`,
`--video`, `--output`, `--device`, `--base-url`) and pytest-xdist's `-n N` spreads the branches.
A drift fails the test with the same report as `guide check` (flow file:line, expected, found
instead, how to fix), not a Playwright stack.

Registered through the `pytest11` entry point, so it is also active in other test runs: it only
collects YAML files whose top level holds `version: 1` and `steps:`, and its fixture overrides
keep every option the user gave.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# guide's engine is imported only once a flow is collected: every pytest run in an environment
# where guide is installed loads this plugin, and most of them have no flows.
if TYPE_CHECKING:
    from .loader import LoadedFlow
    from .reports import BranchResult
    from .tree import Branch

# A flow's top level, without parsing YAML for every .yaml file pytest walks past.
VERSION_LINE = re.compile(r"^version:[ \t]*[\"']?1[\"']?[ \t]*(#.*)?$", re.MULTILINE)
STEPS_LINE = re.compile(r"^steps:", re.MULTILINE)
SNIFF_BYTES = 1_000_000


class GuideWarning(UserWarning):
    """Something a passing branch did that the flow author should know (a blocked request)."""


class FlowDrift(Exception):
    """A branch no longer matches the pages; carries guide's drift report."""

    def __init__(self, result: BranchResult):
        self.result = result
        super().__init__(result.drift.text() if result.drift else "drift")


# --- options ---------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("guide", "guide: flows checked against offline fixtures")
    group.addoption(
        "--guide-fixtures",
        metavar="DIR",
        help="fixture tree laid out as HOST/PATH (default: the fixtures/ folder next to the "
        "flows' folder, else <rootdir>/fixtures)",
    )
    group.addoption(
        "--guide-timeout",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="how long to wait for each element or page (default: 3)",
    )
    group.addoption(
        "--guide-connect",
        metavar="WS",
        help="use the remote browser server at ws://HOST:PORT/ (python -m playwright run-server) "
        "for every browser test; pytest-playwright has no such option",
    )
    group.addoption(
        "--guide-browser-path",
        metavar="EXE",
        help="Chromium executable (default: $GUIDE_BROWSER, Playwright's, then PATH); with "
        "--guide-connect a path on the server, honoured when it runs with --unsafe",
    )
    group.addoption(
        "--guide-shard",
        metavar="I/N",
        help="run only the I-th of N deterministic slices of the flows' branches (CI jobs)",
    )


def pytest_configure(config: pytest.Config) -> None:
    fixtures = config.getoption("guide_fixtures")
    if fixtures and not Path(fixtures).is_dir():
        raise pytest.UsageError(f"--guide-fixtures: {fixtures!r} is not a folder")
    try:
        if config.getoption("guide_connect"):
            from .remote import check_endpoint

            check_endpoint(config.getoption("guide_connect"))
        if config.getoption("guide_shard"):
            from .parallel import parse_shard

            parse_shard(config.getoption("guide_shard"))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    # Registered after every entry-point plugin, so these overrides win over pytest-playwright's
    # while a conftest.py can still override them in turn.
    from . import pytest_browser

    if not config.pluginmanager.is_registered(pytest_browser):
        config.pluginmanager.register(pytest_browser, "guide-browser")
    if not config.pluginmanager.has_plugin("guide-junit"):
        config.pluginmanager.register(JUnitPlaces(config), "guide-junit")


class JUnitPlaces:
    """Each flow case of pytest's JUnit XML names its flow file and line, as `guide check --junit` does.

    pytest's default JUnit family (xunit2) writes no `file`/`line`, and its classname is the
    file path with dots (`flows.douane.yaml`), which the JUnit readers of CI systems split into
    a class `yaml`. The branch leaves its place in its report's user properties (they travel
    from pytest-xdist's workers); on the process that writes the XML, the case gets them as
    attributes, with the flow's id as classname.
    """

    def __init__(self, config: pytest.Config):
        self.config = config

    @pytest.hookimpl(trylast=True)  # after pytest's junitxml opened the case
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        place = dict(report.user_properties)
        if report.when != "call" or "guide_flow" not in place:
            return
        try:  # pytest's own reporter: no public API reaches a case's attributes under xdist
            from _pytest.junitxml import xml_key
        except ImportError:  # a pytest that moved it: the properties stay, the attributes go
            return
        xml = self.config.stash.get(xml_key, None)
        if xml is None:
            return
        case = xml.node_reporter(report)
        attrs = {"classname": str(place["guide_flow"]), "file": str(place["file"]), "line": str(place["line"])}
        reopen = case.record_testreport

        def keep_place(testreport: pytest.TestReport) -> None:
            reopen(testreport)  # the teardown report reopens the case and drops file/line (xunit2)
            case.attrs.update(attrs)

        case.attrs.update(attrs)
        setattr(case, "record_testreport", keep_place)  # noqa: B010 - an instance's, not the class's


# --- collection ------------------------------------------------------------------------------


def is_flow_file(path: Path) -> bool:
    """A .yaml/.yml file whose top level looks like a guide flow (version: 1 and steps)."""
    if path.suffix not in (".yaml", ".yml"):
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(VERSION_LINE.search(head) and STEPS_LINE.search(head))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if is_flow_file(file_path):
        return FlowFile.from_parent(parent, path=file_path)
    return None


def item_name(flow_id: str, branch: Branch) -> str:
    """`dgfip-mot-de-passe-xt[oublie/methode-1]`: no spaces, so node ids paste into a shell."""
    answers = "/".join(option for _, option in branch.answers) or "main"
    return f"{flow_id}[{answers}]"


def fixtures_folder(config: pytest.Config, flow_file: Path) -> Path | None:
    """--guide-fixtures, else a fixtures/ folder beside the flows' folder or above, up to rootdir."""
    given = config.getoption("guide_fixtures")
    if given:
        return Path(config.invocation_params.dir, given).resolve()
    root = config.rootpath.resolve()
    for folder in flow_file.resolve().parent.parents:
        if (folder / "fixtures").is_dir():
            return folder / "fixtures"
        if folder == root or root not in folder.parents:
            break
    return root / "fixtures" if (root / "fixtures").is_dir() else None


class FlowFile(pytest.File):
    """A flow file: one test per branch."""

    def collect(self) -> Iterator[FlowItem]:
        from .tree import branches

        if not self.config.pluginmanager.has_plugin("playwright"):
            raise self.CollectError(
                "guide runs flows with pytest-playwright's browser fixtures, and that "
                "plugin is not active: install pytest-playwright, or drop -p no:playwright"
            )
        if len(self.config.getoption("browser", None) or []) > 1:
            raise self.CollectError(
                "guide checks flows in one browser per pytest run: pass --browser once, "
                "and run pytest again for another browser"
            )
        loaded = self._load()
        fixtures = fixtures_folder(self.config, self.path)
        if fixtures is None:
            raise self.CollectError(
                f"{self.path}: no fixtures/ folder found beside the flows' folder or in "
                f"{self.config.rootpath}: pass --guide-fixtures DIR"
            )
        for branch in branches(loaded.flow):
            yield FlowItem.from_parent(
                self,
                name=item_name(loaded.flow.id, branch),
                callobj=run_flow_branch,
                loaded=loaded,
                branch=branch,
                fixtures=fixtures,
            )

    def _load(self) -> LoadedFlow:
        from .loader import FlowError, load_flow

        # Reported as pytest shows the file, so the file:line of a drift is clickable in the output.
        shown = self.path
        invocation = self.config.invocation_params.dir
        if self.path.is_relative_to(invocation):
            shown = self.path.relative_to(invocation)
        try:
            loaded = load_flow(self.path)
        except FlowError as error:
            for problem in error.problems:
                problem.file = str(shown) if problem.file == str(self.path) else problem.file
            raise self.CollectError("\n".join(map(str, error.problems))) from None
        loaded.file = shown
        return loaded


class FlowItem(pytest.Function):
    """One branch of one flow, run with pytest-playwright's fixtures."""

    def __init__(self, *, loaded: LoadedFlow, branch: Branch, fixtures: Path, **kwargs: Any):
        super().__init__(**kwargs)
        self.loaded, self.branch, self.fixtures = loaded, branch, fixtures

    @property
    def shard_key(self) -> str:
        return f"{self.loaded.flow.id} › {self.branch.name}"

    def reportinfo(self) -> tuple[Path, int, str]:
        line, _ = self.loaded.position(("id",))
        return self.path, line - 1, f"{self.loaded.flow.id} › {self.branch.name}"

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, FlowDrift) and excinfo.value.result.drift:
            return DriftRepr(excinfo.value.result)
        return super().repr_failure(excinfo)


class DriftRepr:
    """What pytest prints for a drift: guide's report; its first line is the summary message."""

    def __init__(self, result: BranchResult):
        assert result.drift is not None
        self.text = result.drift.text()
        self.text += "".join(f"\n  warning:     {warning}" for warning in result.warnings)
        self.reprcrash = _Crash(self.text.splitlines()[0])

    def toterminal(self, tw: Any) -> None:
        for line in self.text.splitlines():
            tw.line(line)

    def __str__(self) -> str:
        return self.text


class _Crash:
    """Stands for pytest's ReprFileLocation: only `message` is read (summary line, JUnit)."""

    def __init__(self, message: str):
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- the test --------------------------------------------------------------------------------


def run_flow_branch(request: pytest.FixtureRequest, new_context: Any, browser_context_args: dict) -> None:
    """Replay one branch against the fixtures in a pytest-playwright context."""
    from .check import CheckOptions, check_branch
    from .runner import CHECK
    from .secrets import Values

    item = request.node
    assert isinstance(item, FlowItem)
    config = request.config
    values = Values.for_fixtures(item.loaded.flow)
    if values.secrets() and config.getoption("video", "off") in ("on", "retain-on-failure"):
        pytest.fail(
            f"guide: --video would record the secret values this flow types "
            f"({', '.join(sorted(values.secret_names))}), and a video cannot be masked: "
            "use --tracing retain-on-failure (traces are redacted) or --screenshot (masked)",
            pytrace=False,
        )
    options = CheckOptions(
        fixtures=item.fixtures, timeout_ms=config.getoption("guide_timeout") * 1000, artifacts=False
    )  # pytest-playwright's --tracing/--screenshot keep them
    # The user's context options (a --device's viewport…) win over guide's defaults.
    ours = {key: value for key, value in CHECK.args.items() if key not in browser_context_args}
    tracing = config.getoption("tracing", "off") in ("on", "retain-on-failure")
    screenshots = config.getoption("screenshot", "off") in ("on", "only-on-failure")

    def make_context() -> Any:
        context = new_context(**ours)
        if tracing:  # pytest-playwright's traces hold screenshots, which no redaction can mask
            context.tracing.stop()
            context.tracing.start(title=item.nodeid, screenshots=False, snapshots=True, sources=True)
        return context

    def mask_pages(context: Any) -> None:
        """pytest-playwright screenshots every page as the context closes: mask secrets first."""
        from . import masking

        for page in context.pages:
            try:
                masking.cover(page, values)
            except Exception:
                pass

    # Where the JUnit case points (see JUnitPlaces): the flow, then the step that drifted.
    item.user_properties += [
        ("guide_flow", item.loaded.flow.id),
        ("file", str(item.loaded.file)),
        ("line", item.loaded.position(("id",))[0]),
    ]
    result = check_branch(
        make_context,
        item.loaded,
        item.branch,
        options,
        before_close=mask_pages if screenshots and values.secrets() else None,
    )
    for warning in result.warnings:
        warnings.warn(GuideWarning(f"{item.loaded.flow.id} › {item.branch.name}: {warning}"), stacklevel=1)
    if result.drift:
        item.user_properties[-1] = ("line", result.drift.line)
        raise FlowDrift(result)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """--guide-shard I/N: keep one deterministic slice of the flow branches."""
    text = config.getoption("guide_shard")
    if not text:
        return
    from .parallel import parse_shard

    index, total = parse_shard(text)
    flows = sorted((item for item in items if isinstance(item, FlowItem)), key=lambda item: item.shard_key)
    dropped = {id(item) for rank, item in enumerate(flows) if rank % total != index - 1}
    if dropped:
        config.hook.pytest_deselected(items=[item for item in items if id(item) in dropped])
        items[:] = [item for item in items if id(item) not in dropped]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Mask the flow's secret values in the traces pytest-playwright kept (--tracing)."""
    report = yield
    if isinstance(item, FlowItem) and report.when == "teardown":
        from .secrets import Values, redact_zip

        values = Values.for_fixtures(item.loaded.flow)
        for name, path in report.user_properties:
            if name == "playwright_trace":
                trace = Path(item.config.invocation_params.dir, str(path))
                if trace.is_file():
                    redact_zip(str(trace), values)
    return report
