"""The ``pdaudit`` command line: thin click commands over the library."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from pdaudit.scanner import __version__

log = logging.getLogger("pdaudit")


class UsageFailure(click.ClickException):
    """A one-line error that exits with status 2 (bad input, unreachable source)."""

    exit_code = 2


def domain_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn pdaudit's own errors into one-line messages with exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pdaudit.recognizers.registry import RegistryError
        from pdaudit.scanner.history import HistoryError
        from pdaudit.scanner.jobs import JobError
        from pdaudit.scanner.policy import PolicyError
        from pdaudit.scanner.reports.json import ReportError
        from pdaudit.scanner.sources import SourceError
        from pdaudit.scanner.triage import TriageError

        try:
            return func(*args, **kwargs)
        except (
            SourceError,
            PolicyError,
            ReportError,
            RegistryError,
            JobError,
            TriageError,
            HistoryError,
        ) as exc:
            raise UsageFailure(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("pdaudit: interrupted", err=True)
            sys.exit(130)

    return wrapper


class JsonLogFormatter(logging.Formatter):
    """One JSON object per log line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": self.formatTime(record),
                "level": record.levelname.lower(),
                "logger": record.name,
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )


def setup_logging(log_format: str, verbose: int, quiet: bool) -> None:
    """Logs go to stderr; ``--log-format json`` makes them machine-readable."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("pdaudit: %(levelname)s: %(message)s"))
    level = (
        logging.ERROR
        if quiet
        else logging.DEBUG
        if verbose > 1
        else (logging.INFO if verbose else logging.WARNING)
    )
    root = logging.getLogger("pdaudit")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pdaudit")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the log lines on stderr.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.pass_context
def main(ctx: click.Context, log_format: str, verbose: int) -> None:
    """pdaudit: find personal data in databases and documents and check it against a policy."""
    ctx.obj = {"log_format": log_format}
    setup_logging(log_format, verbose, quiet=False)


def quiet_logging() -> None:
    """Only errors on stderr, in the log format chosen on the command group."""
    ctx = click.get_current_context(silent=True)
    fmt = (ctx.find_root().obj or {}).get("log_format", "text") if ctx else "text"
    setup_logging(fmt, 0, quiet=True)


def entity_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--entities``: a comma-separated list of entity types."""
    return click.option(
        "--entities",
        default="",
        metavar="TYPES",
        help="Comma-separated entity types to look for (default: all).",
    )(func)


def dask_options(job: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--workers N`` and ``--scheduler URL`` (Dask); for ``run`` they override the job file."""
    workers_note = "overrides the job's workers" if job else "pip install pdaudit[dask]"
    scheduler_note = (
        "overrides the job's scheduler; see docs/dask.md" if job else "see docs/dask.md"
    )

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "--scheduler",
            metavar="tcp://HOST:8786",
            default=None,
            help=f"Scan on an existing Dask cluster ({scheduler_note}).",
        )(func)
        return click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=None,
            help=f"Scan on a local Dask cluster of N processes ({workers_note}).",
        )(func)

    return decorate


def _split(value: str) -> list[str] | None:
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


@main.command()
@click.argument("input", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True
)
@entity_option
@click.option(
    "--min-score",
    type=float,
    default=0.0,
    show_default=True,
    help="Drop entities scored below this.",
)
@domain_errors
def detect(input: Any, fmt: str, entities: str, min_score: float) -> None:
    """Find personal data in text: one input line is one text.

    Prints, for every input line, {"line": N, "entities": [{"type", "start", "end", "score"}]}
    with code-point offsets into the line (without its newline).
    """
    from pdaudit.scanner.detect import detect_lines, format_text

    for number, line, found in detect_lines(input, entities=_split(entities), min_score=min_score):
        if fmt == "jsonl":
            click.echo(json.dumps({"line": number, "entities": [e.as_dict() for e in found]}))
        else:
            click.echo(format_text(number, line, found))


def scan_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by commands that scan sources."""
    options = [
        click.option(
            "--policy",
            "policy_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="Policy YAML (default: configs/mirum-policy.yaml).",
        ),
        click.option("--full", is_flag=True, help="Read every row instead of a sample."),
        click.option(
            "--rows",
            type=click.IntRange(min=1),
            default=10_000,
            show_default=True,
            help="Rows sampled per table.",
        ),
        click.option("--seed", type=int, default=0, show_default=True, help="Sampling seed."),
        click.option(
            "--no-early-stop",
            is_flag=True,
            help="Analyse every sampled value, even of fields whose verdict is settled.",
        ),
        click.option("--schema", "schemas", multiple=True, help="Schema to scan (repeatable)."),
        click.option(
            "--include",
            multiple=True,
            metavar="GLOB",
            help="Only schema.table.column (or file paths) matching (repeatable).",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="GLOB",
            help="Skip schema.table.column (or file paths) matching (repeatable).",
        ),
        click.option("--views", is_flag=True, help="Scan views too."),
        click.option(
            "--password-env",
            metavar="NAME",
            help="Environment variable holding the database password.",
        ),
        click.option(
            "--statement-timeout",
            type=click.FloatRange(min=1),
            default=None,
            help="Seconds one database query may run (default 300).",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            default=None,
            help="Pages read from one document (default 50).",
        ),
        click.option(
            "--ocr-timeout",
            type=click.FloatRange(min=1),
            default=None,
            help="Seconds Tesseract may spend on one page (default 60).",
        ),
        click.option(
            "--max-file-size",
            type=click.IntRange(min=1),
            default=None,
            help="Largest document read, in MiB (default 50).",
        ),
        click.option(
            "--min-confidence",
            type=float,
            default=0.5,
            show_default=True,
            help="Report a type in a field only at this confidence or above.",
        ),
        entity_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_options(**kw: Any) -> Any:
    """ScanOptions from the shared scan options."""
    from pdaudit.scanner.sampling import EarlyStop, Sampling
    from pdaudit.scanner.scan import ScanOptions

    # Options left unset keep the defaults of ScanOptions and Limits: one place for each number.
    given = {"statement_timeout_s": kw["statement_timeout"]}
    return ScanOptions(
        **{k: v for k, v in given.items() if v is not None},
        sampling=Sampling(
            mode="full" if kw["full"] else "sample",
            rows_per_table=kw["rows"],
            seed=kw["seed"],
            early_stop=None if kw.get("no_early_stop") else EarlyStop(),
        ),
        min_confidence=kw["min_confidence"],
        entities=_split(kw["entities"]),
        include=kw["include"],
        exclude=kw["exclude"],
        schemas=kw["schemas"],
        views=kw["views"],
        password_env=kw["password_env"],
        limits=_limits(kw["max_pages"], kw["ocr_timeout"], kw["max_file_size"]),
    )


def _limits(max_pages: int | None, ocr_timeout: float | None, max_file_mib: int | None) -> Any:
    """Document limits with the options given on the command line, or None for the defaults."""
    given = {
        "max_pages": max_pages,
        "page_timeout_s": ocr_timeout,
        "max_file_bytes": max_file_mib * 1024 * 1024 if max_file_mib else None,
    }
    given = {k: v for k, v in given.items() if v is not None}
    if not given:
        return None
    try:
        from pdaudit.scanner.sources.documents import Limits
    except ImportError:  # the OCR extra is not installed: documents are listed, not read
        return None
    return Limits(**given)


def emit(
    report: dict,
    fmt: str,
    output: str | None,
    lang: str,
    quiet: bool,
    json_path: str | None = None,
) -> None:
    """Render the report in a format to a file or stdout."""
    from pdaudit.scanner.reports import render

    color = output is None and sys.stdout.isatty()
    text = render(report, fmt, lang=lang, color=color, json_path=json_path)
    if output:
        from pdaudit.scanner.fsutil import atomic_write_text

        atomic_write_text(output, text)
    elif not quiet:
        click.echo(text, nl=False)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@scan_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html", "sarif"]),
    default=None,
    help="Report format (default: text on a terminal, else json).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--report-lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="An earlier JSON report: mark findings new or unchanged and list resolved ones.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["new", "any", "none"]),
    default="any",
    show_default=True,
    help="Exit 1 for new beyond-policy findings only, for any, or never (errors still exit 2).",
)
@click.option(
    "--triage-file",
    type=click.Path(dir_okay=False),
    help="Reviewers' decisions to apply (see `pdaudit triage`).",
)
@dask_options()
@domain_errors
def scan(
    sources: tuple[str, ...],
    policy_path: str | None,
    fmt: str | None,
    output: str | None,
    report_lang: str,
    quiet: bool,
    baseline: str | None,
    fail_on: str,
    triage_file: str | None,
    workers: int | None,
    scheduler: str | None,
    **kw: Any,
) -> None:
    """Scan databases, folders and files, and report what goes beyond the policy.

    SOURCES are SQLAlchemy URLs (sqlite:///a.db, postgresql://user@host/db,
    mysql+pymysql://user@host/db), SQLite files, folders or files. Exit status: 0 nothing beyond
    the policy, 1 some field beyond it (with --fail-on new: a new one), 2 errors.
    """
    from pdaudit.scanner.history import exit_code
    from pdaudit.scanner.jobs import review_report
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import scan as run_scan

    if quiet:
        quiet_logging()
    policy = load_policy(policy_path)
    options = build_options(**kw)
    with progress_reporter(enabled=not quiet and sys.stderr.isatty()) as progress:
        options.progress = progress
        if workers or scheduler:
            from pdaudit.scanner.distributed import scan_distributed

            report = scan_distributed(list(sources), policy, options, workers, scheduler)
        else:
            report = run_scan(list(sources), policy, options)
    for warning in review_report(report, baseline, triage_file):
        log.warning("%s", warning)
    if fail_on == "new" and not baseline:
        log.warning("--fail-on new without --baseline: every finding counts as new")
    fmt = fmt or ("text" if output is None and sys.stdout.isatty() else "json")
    emit(report, fmt, output, report_lang, quiet)
    sys.exit(exit_code(report, fail_on))


class progress_reporter:  # noqa: N801 (used as a context manager, reads like a function)
    """A rich progress line on stderr for long scans; a no-op when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[str, int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("scanning", total=None)
        return self._update

    def _update(self, container: str, rows: int) -> None:
        self._progress.update(self._task, description=f"{container}: {rows} rows")

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


@main.command()
@click.argument("report_path", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html", "sarif"]),
    default="html",
    show_default=True,
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--report-lang", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@domain_errors
def report(report_path: str, fmt: str, output: str | None, report_lang: str) -> None:
    """Render a saved JSON report in another format."""
    from pdaudit.scanner.reports import json as json_report

    emit(
        json_report.load(report_path), fmt, output, report_lang, quiet=False, json_path=report_path
    )


@main.command()
@click.argument("job_file", type=click.Path(dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success (logs: errors only).")
@dask_options(job=True)
@domain_errors
def run(job_file: str, quiet: bool, workers: int | None, scheduler: str | None) -> None:
    """Run a scheduled audit described in a job file (see `pdaudit init`).

    Writes OUTPUT/<start time>/report.json (+ the job's formats) and OUTPUT/latest.json, compares
    with the previous run and applies OUTPUT/pdaudit-triage.yaml. Exit status: 0 ok, 1 findings
    that the job's fail_on counts, 2 errors (including another run of the job still going).
    """
    from pdaudit.scanner.jobs import load_job, run_job

    if quiet:
        logging.getLogger("pdaudit").setLevel(logging.ERROR)  # keeps --log-format
    job = load_job(job_file)
    if workers or scheduler:
        job.workers, job.scheduler = workers, scheduler
    result = run_job(job)
    if not quiet:
        s = result.report["summary"]
        click.echo(
            f"{result.run_dir}: {s['beyond_policy']} field(s) beyond policy, "
            f"{s.get('new_beyond_policy', 0)} new, {s.get('resolved_beyond_policy', 0)} resolved"
        )
    sys.exit(result.exit_code)


@main.command()
@click.argument("report_path", type=click.Path(dir_okay=False))
@click.option(
    "--mark",
    "marks",
    multiple=True,
    metavar="FIELD:TYPE=DECISION",
    help="Decide without asking: container.field:TYPE=false_positive|accepted (repeatable; "
    "prefix 'SOURCE ' when a field name is in several sources).",
)
@click.option("--reason", default="", help="Why (required with --mark).")
@click.option("--reviewer", default=None, help="Who decides (default: $USER).")
@click.option(
    "--triage-file",
    type=click.Path(dir_okay=False),
    help="Where decisions are kept (default: pdaudit-triage.yaml beside the report).",
)
@domain_errors
def triage(
    report_path: str,
    marks: tuple[str, ...],
    reason: str,
    reviewer: str | None,
    triage_file: str | None,
) -> None:
    """Record reviewers' decisions on beyond-policy findings of a JSON report.

    Without --mark, asks about each undecided finding: false_positive, accepted, skip or quit.
    Later scans apply the file (scan --triage-file; jobs keep it in their output folder).
    """
    from pdaudit.scanner import triage as tr
    from pdaudit.scanner.reports import json as json_report

    report = json_report.load(report_path)
    path = triage_file or str(tr.default_path(report_path))
    decisions = tr.load(path)
    reviewer = reviewer or tr.default_reviewer()
    if marks:
        for mark in marks:
            source, name, etype, decision = tr.parse_mark(mark)
            key = tr.find_finding(report, source, name, etype)
            d = tr.decide(key, decision, reason, reviewer)
            decisions[d.key] = d
        decided = len(marks)
    else:
        decided = tr.review(
            report,
            decisions,
            ask=lambda text, choices: click.prompt(text, type=click.Choice(choices)),
            ask_reason=lambda: click.prompt("reason"),
            say=click.echo,
            reviewer=reviewer,
        )
    if decided:
        tr.save(path, decisions)
    click.echo(f"{path}: {decided} decision(s) recorded, {len(decisions)} in the file")


@main.command()
@click.argument("path", type=click.Path(dir_okay=False), default="audit.yaml")
@domain_errors
def init(path: str) -> None:
    """Write a commented example job file (never overwrites one)."""
    from pdaudit.scanner.jobs import init_job

    click.echo(f"{init_job(path)}: written; edit it, then `pdaudit run {path}`")


if __name__ == "__main__":  # pragma: no cover
    main()
