"""The ``pdaudit`` command line: thin click commands over the library."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click

from pdaudit.scanner import __version__

if TYPE_CHECKING:
    from pdaudit.scanner.history import FailOn

log = logging.getLogger("pdaudit")


class UsageFailure(click.ClickException):
    """A one-line error that exits with status 2 (bad input, unreachable source)."""

    exit_code = 2


def domain_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn pdaudit's own errors into one-line messages with exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pdaudit.recognizers.registry import RegistryError
        from pdaudit.scanner.config_schema import ConfigError
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
            ConfigError,
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


class PdauditGroup(click.Group):
    """Any exception that no command turned into a message exits 3 with one line, not 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            import traceback

            from pdaudit.scanner.failures import EXIT_INTERNAL, internal_error_line

            obj = ctx.obj or {}
            if obj.get("debug"):
                traceback.print_exc()
            line = internal_error_line(exc)
            click.echo(f"pdaudit: {line}", err=True)
            if obj.get("log_format") == "json":
                click.echo(JsonLogFormatter().format(_record(line)), err=True)
            ctx.exit(EXIT_INTERNAL)


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("pdaudit", logging.ERROR, __file__, 0, message, None, None)


@click.group(cls=PdauditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pdaudit")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the log lines on stderr.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.pass_context
def main(ctx: click.Context, log_format: str, verbose: int, debug: bool) -> None:
    """pdaudit: find personal data in databases and documents and check it against a policy.

    Exit status: 0 clean, 1 findings, 2 errors or sources left unread, 3 an internal error.
    """
    ctx.obj = {"log_format": log_format, "debug": debug}
    setup_logging(log_format, verbose, quiet=False)
    # The command's own process: one OpenMP thread for natasha, fewer GC walks over the caches.
    from pdaudit.scanner.process import tune_process

    tune_process()


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


def progress_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--progress-every SECONDS``."""
    return click.option(
        "--progress-every",
        type=click.FloatRange(min=0),
        default=30.0,
        show_default=True,
        metavar="SECONDS",
        help="When stderr is not a terminal, log a progress line this often (0: every batch).",
    )(func)


def progress_reporter(quiet: bool, every: float) -> Any:
    """The scan's progress display: live on a terminal, log lines elsewhere, none when quiet."""
    from pdaudit.scanner.progress import ProgressReporter, log_emitter

    return ProgressReporter(
        enabled=not quiet, interactive=sys.stderr.isatty(), every=every, emit=log_emitter(log)
    )


def custom_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--recognizers FILE`` (Presidio's YAML form) and ``--allow-list FILE``."""
    func = click.option(
        "--allow-list",
        "allow_list",
        type=click.Path(dir_okay=False),
        default=None,
        help="Values never reported, one a line (e.g. the company's own support phone).",
    )(func)
    return click.option(
        "--recognizers",
        "recognizers_file",
        type=click.Path(dir_okay=False),
        default=None,
        help="More recognizers, in Presidio's YAML form (regex patterns, context, deny lists).",
    )(func)


def read_custom(recognizers_file: str | None, allow_list: str | None) -> tuple[tuple, tuple]:
    """The custom recognizers and allow-listed values the options name."""
    from pdaudit.scanner.custom import read_allow_file, read_recognizers_file

    specs = read_recognizers_file(recognizers_file) if recognizers_file else ()
    allow = tuple(read_allow_file(allow_list)) if allow_list else ()
    return specs, allow


def _split(value: str) -> list[str] | None:
    items = [v.strip() for v in value.split(",") if v.strip()]
    return items or None


def _phone_regions(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    """``--phone-regions KZ,RU,US`` checked (a bad code exits 2 naming it), or None."""
    if value is None:
        return None
    from pdaudit.recognizers.phone_number import PhoneRegionError, phone_regions

    try:
        return list(phone_regions(value))
    except PhoneRegionError as exc:
        raise click.BadParameter(str(exc)) from None


phone_regions_option = click.option(
    "--phone-regions",
    metavar="KZ,RU,...",
    default=None,
    callback=_phone_regions,
    help="Regions whose national phone forms are read (default: the policy's, else KZ,RU); "
    "numbers written with + and a country code are found for every region.",
)


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
@phone_regions_option
@custom_options
@domain_errors
def detect(
    input: Any,
    fmt: str,
    entities: str,
    min_score: float,
    phone_regions: list[str] | None,
    recognizers_file: str | None,
    allow_list: str | None,
) -> None:
    """Find personal data in text: one input line is one text.

    Prints, for every input line, {"line": N, "entities": [{"type", "start", "end", "score"}]}
    with code-point offsets into the line (without its newline).
    """
    from pdaudit.scanner.detect import detect_lines, format_text

    specs, allow = read_custom(recognizers_file, allow_list)
    found_lines = detect_lines(
        input,
        entities=_split(entities),
        min_score=min_score,
        phone_regions=phone_regions,
        custom_recognizers=specs,
        allow_values=allow,
    )
    for number, line, found in found_lines:
        if fmt == "jsonl":
            click.echo(json.dumps({"line": number, "entities": [e.as_dict() for e in found]}))
        else:
            click.echo(format_text(number, line, found))


def scan_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by commands that scan sources."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
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
        phone_regions_option,
        custom_options,
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
    specs, allow = read_custom(kw.get("recognizers_file"), kw.get("allow_list"))
    return ScanOptions(
        custom_recognizers=specs,
        allow_values=allow,
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
        phone_regions=kw.get("phone_regions"),
    )


def _limits(max_pages: int | None, ocr_timeout: float | None, max_file_mib: int | None) -> Any:
    """Document limits with the options given on the command line, or None for the defaults."""
    given: dict[str, Any] = {
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

    # https://no-color.org: a set, non-empty NO_COLOR turns colour off whatever the terminal.
    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
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
    "--policy-text",
    type=click.Path(dir_okay=False),
    default=None,
    help="The policy document itself (TXT, PDF, DOCX): its list of data is read as the policy.",
)
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
@click.option(
    "--allow-unreadable",
    is_flag=True,
    help="Files that cannot be read (listed as not_scanned) do not make the exit status 2.",
)
@progress_option
@dask_options()
@domain_errors
def scan(
    sources: tuple[str, ...],
    policy_path: str | None,
    fmt: str | None,
    output: str | None,
    report_lang: str,
    quiet: bool,
    policy_text: str | None,
    baseline: str | None,
    fail_on: FailOn,
    triage_file: str | None,
    allow_unreadable: bool,
    workers: int | None,
    scheduler: str | None,
    progress_every: float,
    **kw: Any,
) -> None:
    """Scan databases, folders and files, and report what goes beyond the policy.

    SOURCES are SQLAlchemy URLs (sqlite:///a.db, postgresql://user@host/db,
    mysql+pymysql://user@host/db), SQLite files, folders or files. Exit status: 0 nothing beyond
    the policy, 1 some field beyond it (with --fail-on new: a new one), 2 errors or files not
    read (not_scanned; see --allow-unreadable).
    """
    from pdaudit.scanner.history import exit_code
    from pdaudit.scanner.jobs import review_report
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import scan as run_scan

    if quiet:
        quiet_logging()
    if output:
        from pdaudit.scanner.outputs import check_output

        check_output(output, sources)
    if policy_text and policy_path:
        raise UsageFailure("give --policy or --policy-text, not both")
    from pdaudit.scanner.custom import custom_entities

    options = build_options(**kw)
    if policy_text:
        from pdaudit.scanner.policy_text import policy_from_text

        policy = policy_from_text(policy_text)
    else:
        policy = load_policy(policy_path, custom_entities(options.custom_recognizers))
    with progress_reporter(quiet, progress_every) as progress:
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
    sys.exit(exit_code(report, fail_on, allow_unreadable))


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
        json_report.load(report_path, complete=True),
        fmt,
        output,
        report_lang,
        quiet=False,
        json_path=report_path,
    )


@main.command()
@click.argument("job_file", type=click.Path(dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success (logs: errors only).")
@progress_option
@dask_options(job=True)
@domain_errors
def run(
    job_file: str,
    quiet: bool,
    progress_every: float,
    workers: int | None,
    scheduler: str | None,
) -> None:
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
    with progress_reporter(quiet, progress_every) as progress:
        result = run_job(job, progress=progress)
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


@main.group()
def policy() -> None:
    """Read a privacy policy document: `pdaudit policy extract POLICY.txt -o policy.yaml`."""


@policy.command("extract")
@click.argument("document", type=click.Path(dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the policy YAML here.")
@domain_errors
def policy_extract(document: str, output: str | None) -> None:
    """Map the list of processed data in a policy (TXT, PDF, DOCX) to entity types.

    Writes the policy YAML that `scan --policy` reads and prints one line on stderr saying what
    was mapped, what is vague and what is unmapped. Exit 2 when the document cannot be read, is
    in a language other than Russian, Kazakh or English, or holds no list (or no mappable item).
    """
    from pdaudit.scanner.fsutil import atomic_write_text
    from pdaudit.scanner.policy_text import extract_policy, summary_line

    extracted = extract_policy(document)
    text = extracted.to_yaml()
    if output:
        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)
    click.echo(summary_line(extracted), err=True)
    if not extracted.allowed_types():
        raise UsageFailure(f"{document}: the list names no entity type pdaudit detects")


if __name__ == "__main__":  # pragma: no cover
    main()
