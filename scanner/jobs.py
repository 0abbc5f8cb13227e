"""Job files: a scheduled audit described in YAML, and running it (``pdaudit run audit.yaml``).

A run takes the job's lock, scans, compares with the last run (``latest.json``), applies the
reviewers' decisions kept in the output folder, and writes a new run folder (see
``pdaudit.scanner.history``). ``${NAME}`` in any string is replaced by the environment variable, so
passwords stay out of the file; a missing variable is an error that names the line.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pdaudit.scanner import history, triage
from pdaudit.scanner.history import FAIL_ON, FailOn

log = logging.getLogger("pdaudit")

REPORT_FORMATS = ("json", "html", "sarif", "text")
_VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

EXAMPLE = """\
# pdaudit job file: run it with `pdaudit run {name}` (from cron, a systemd timer or CI).
# Relative paths are relative to this file. ${{NAME}} is replaced by the environment variable
# NAME when the job runs (a missing variable stops the job), so secrets stay out of this file;
# write $$ for a literal dollar sign.

# What to scan: database URLs (sqlite:///, postgresql://, mysql+pymysql://), SQLite files,
# folders or files of documents and data.
sources:
  - postgresql://pdaudit@db.example.kz:5432/mirum
  - scans/
# Environment variable holding the database password (safer than ${{...}} inside a URL, since a
# password may hold characters that a URL must escape).
password_env: PDAUDIT_DB_PASSWORD

# The policy to check against (default: the Mirum.kz policy, section 2.3).
# policy: mirum-policy.yaml

# How rows are read: a seeded sample of `rows` rows per table, or every row with `full: true`.
# Keep these fixed: the next run compares itself with the last, and says so if they differ.
sampling:
  rows: 10000
  seed: 0
  full: false

# Only schema.table.column (or file paths) matching these globs; skip those matching exclude.
include: []
exclude: ["*.password_hash"]
# schemas: [public]
# views: false
# entities: []            # only these entity types (default: all)
# min_confidence: 0.5

# Scan on Dask (pip install pdaudit[dask], see docs/dask.md): a local cluster of N processes,
# or an existing cluster's scheduler. The report is the one a single process gives.
# workers: 2
# scheduler: tcp://scheduler.example.kz:8786

# Where runs go: OUTPUT/<start time>/report.json (+ formats below), OUTPUT/latest.json, and
# OUTPUT/pdaudit-triage.yaml with reviewers' decisions (`pdaudit triage OUTPUT/latest.json`).
output: ${{PDAUDIT_OUTPUT}}
# JSON is always written; add any of html, sarif, text.
formats: [html, sarif]
report_lang: ru

# What fails the job (exit status 1): new = beyond-policy findings that the last run did not
# have; any = every beyond-policy finding; none = only errors (exit status 2, always).
fail_on: new
"""


class JobError(ValueError):
    """A job file cannot be used; the message names the file and the line."""


@dataclass
class Job:
    """A scheduled audit as its job file describes it."""

    path: Path
    sources: list[str]
    output: Path
    policy: Path | None = None
    rows: int = 10_000
    seed: int = 0
    full: bool = False
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    schemas: list[str] = field(default_factory=list)
    views: bool = False
    entities: list[str] = field(default_factory=list)
    min_confidence: float = 0.5
    password_env: str | None = None
    formats: list[str] = field(default_factory=lambda: ["json"])
    report_lang: str = "ru"
    fail_on: FailOn = "new"
    #: scan on a local Dask cluster of this many processes, or on the cluster at ``scheduler``
    workers: int | None = None
    scheduler: str | None = None

    def scan_options(self) -> Any:
        """The ``ScanOptions`` this job scans with."""
        from pdaudit.scanner.sampling import Sampling
        from pdaudit.scanner.scan import ScanOptions

        return ScanOptions(
            sampling=Sampling(
                mode="full" if self.full else "sample", rows_per_table=self.rows, seed=self.seed
            ),
            min_confidence=self.min_confidence,
            entities=self.entities or None,
            include=self.include,
            exclude=self.exclude,
            schemas=self.schemas,
            views=self.views,
            password_env=self.password_env,
        )


# --- reading -----------------------------------------------------------------------------------


class _Reader:
    """Walks the YAML node tree so every error can name its line."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def fail(self, node: yaml.Node | None, message: str) -> JobError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return JobError(f"{self.path}{line}: {message}")

    def string(self, node: yaml.Node, name: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.fail(node, f"{name} must be a string")
        return self.interpolate(node, node.value)

    def interpolate(self, node: yaml.Node, text: str) -> str:
        def sub(m: re.Match) -> str:
            if m.group(0) == "$$":
                return "$"
            value = self.env.get(m.group(1))
            if value is None:
                raise self.fail(node, f"environment variable {m.group(1)} is not set")
            return value

        return _VAR.sub(sub, text)

    def strings(self, node: yaml.Node, name: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            return [self.string(node, name)]
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{name} must be a list of strings")
        return [self.string(item, f"each item of {name}") for item in node.value]

    def mapping(self, node: yaml.Node, name: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{name} must be a mapping")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(key, f"keys of {name} must be names")
            if key.value in out:
                raise self.fail(key, f"{key.value} is given twice")
            out[key.value] = (key, value)
        return out


def _construct(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_FLOAT = "tag:yaml.org,2002:float"
KEYS = (
    "sources",
    "password_env",
    "policy",
    "sampling",
    "include",
    "exclude",
    "schemas",
    "views",
    "entities",
    "min_confidence",
    "output",
    "formats",
    "report_lang",
    "fail_on",
    "workers",
    "scheduler",
)
SAMPLING_KEYS = ("rows", "seed", "full")


def load_job(path: str | Path, env: dict[str, str] | None = None) -> Job:
    """Read and check a job file; every error names the file and the line."""
    path = Path(path)
    env = dict(os.environ) if env is None else env
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise JobError(f"{path}: cannot read the job file ({exc.strerror})") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise JobError(f"{path}{where}: {problem}") from exc
    r = _Reader(path, env)
    if root is None:
        raise JobError(f"{path}: the job file is empty (see `pdaudit init`)")
    items = r.mapping(root, "a job file")
    for name, (key, _) in items.items():
        if name not in KEYS:
            raise r.fail(key, f"unknown key {name!r} (expected one of: {', '.join(KEYS)})")
    for required in ("sources", "output"):
        if required not in items:
            raise r.fail(root, f"the job needs {required!r}")
    base = path.resolve().parent

    def here(value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else base / p

    job = Job(path=path, sources=[], output=Path())
    for name, (_key, node) in items.items():
        if name == "sources":
            sources = r.strings(node, "sources")
            if not sources:
                raise r.fail(node, "sources must name at least one source")
            job.sources = [s if "://" in s else str(here(s)) for s in sources]
        elif name == "output":
            job.output = here(r.string(node, "output"))
        elif name == "policy":
            job.policy = here(r.string(node, "policy"))
        elif name == "password_env":
            job.password_env = r.string(node, "password_env")
        elif name in ("include", "exclude", "schemas", "entities"):
            setattr(job, name, r.strings(node, name))
        elif name == "views":
            job.views = bool(_typed(r, node, name, _BOOL, "true or false"))
        elif name == "min_confidence":
            if not isinstance(node, yaml.ScalarNode) or node.tag not in (_FLOAT, _INT):
                raise r.fail(node, "min_confidence must be a number between 0 and 1")
            job.min_confidence = float(_construct(node))
            if not 0 <= job.min_confidence <= 1:
                raise r.fail(node, "min_confidence must be a number between 0 and 1")
        elif name == "formats":
            job.formats = ["json"]
            for item in node.value if isinstance(node, yaml.SequenceNode) else [node]:
                fmt = r.string(item, "each format")
                if fmt not in REPORT_FORMATS:
                    raise r.fail(item, f"unknown format {fmt!r} (use {', '.join(REPORT_FORMATS)})")
                if fmt not in job.formats:
                    job.formats.append(fmt)
        elif name == "report_lang":
            job.report_lang = r.string(node, name)
            if job.report_lang not in ("ru", "en"):
                raise r.fail(node, "report_lang must be ru or en")
        elif name == "fail_on":
            value = r.string(node, name)
            if value not in FAIL_ON:
                raise r.fail(node, f"fail_on must be one of {', '.join(FAIL_ON)}, not {value!r}")
            job.fail_on = value  # type: ignore[assignment]
        elif name == "workers":
            job.workers = _typed(r, node, name, _INT, "a whole number")
            if job.workers < 1:
                raise r.fail(node, "workers must be at least 1")
        elif name == "scheduler":
            job.scheduler = r.string(node, name)
        elif name == "sampling":
            for sub, (skey, snode) in r.mapping(node, "sampling").items():
                if sub not in SAMPLING_KEYS:
                    raise r.fail(
                        skey, f"unknown key sampling.{sub} (expected {', '.join(SAMPLING_KEYS)})"
                    )
                if sub == "full":
                    job.full = bool(_typed(r, snode, "sampling.full", _BOOL, "true or false"))
                else:
                    value = _typed(r, snode, f"sampling.{sub}", _INT, "a whole number")
                    if sub == "rows" and value < 1:
                        raise r.fail(snode, "sampling.rows must be at least 1")
                    setattr(job, sub, value)
    return job


def _typed(r: _Reader, node: yaml.Node, name: str, tag: str, kind: str) -> Any:
    if not isinstance(node, yaml.ScalarNode) or node.tag != tag:
        raise r.fail(node, f"{name} must be {kind}")
    return _construct(node)


def init_job(path: str | Path) -> Path:
    """Write a commented example job file; refuses to overwrite one."""
    path = Path(path)
    try:
        with path.open("x", encoding="utf-8") as fh:
            fh.write(EXAMPLE.format(name=path.name))
    except FileExistsError:
        raise JobError(f"{path}: already exists; not overwriting it") from None
    except OSError as exc:
        raise JobError(f"{path}: cannot write the job file ({exc.strerror})") from exc
    return path


# --- running -----------------------------------------------------------------------------------


@dataclass
class RunResult:
    """What a run produced."""

    report: dict
    run_dir: Path
    files: dict[str, Path]
    exit_code: int
    warnings: list[str]


def run_job(job: Job, analyzer: Any = None, now: dt.datetime | None = None) -> RunResult:
    """Run the job once under its lock; raises ``history.LockedError`` if a run is going.

    ``analyzer`` (a ``pdaudit.scanner.analysis.Analyzer``) is built from the registry when not given
    (a job with ``workers`` or ``scheduler`` scans on Dask, whose workers build their own);
    ``now`` names the run folder (default: the start time).
    """
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.reports import render
    from pdaudit.scanner.scan import scan

    policy = load_policy(job.policy)
    warnings: list[str] = []
    started = now or dt.datetime.now()
    with history.RunLock(job.output):
        for tmp in history.remove_temp_files(job.output):
            log.warning("%s: removed %s, left by a run that was killed", job.path, tmp)
        baseline = history.load_latest(job.output)
        log.info("%s: run started", job.path)
        if job.workers or job.scheduler:
            from pdaudit.scanner.distributed import scan_distributed

            report = scan_distributed(
                job.sources, policy, job.scan_options(), job.workers, job.scheduler
            )
        else:
            report = scan(job.sources, policy, job.scan_options(), analyzer)
        # The folder is made after the scan, so a source that cannot be opened leaves none.
        run_dir = history.new_run_dir(job.output, started)
        report["job"] = {"file": str(job.path), "fail_on": job.fail_on}
        if baseline is None:
            log.info("%s: first run, every finding is new", job.path)
            report["resolved"] = []
            for entity in history.findings(report).values():
                entity["change"] = "new"
            history.diff_summary(report)
        else:
            warnings += history.apply_baseline(report, baseline, history.LATEST)
        decisions = triage.load(job.output / triage.DEFAULT_NAME)
        triage.apply(report, decisions)
        files = history.write_run(
            run_dir,
            report,
            job.formats,
            lambda rep, fmt: render(rep, fmt, lang=job.report_lang),
        )
    for warning in warnings:
        log.warning("%s", warning)
    code = history.exit_code(report, job.fail_on)
    s = report["summary"]
    log.info(
        "%s: run %s done: %d field(s) beyond policy, %s new, %s resolved; exit status %d",
        job.path,
        run_dir.name,
        s["beyond_policy"],
        s.get("new_beyond_policy", "-"),
        s.get("resolved_beyond_policy", "-"),
        code,
    )
    return RunResult(report, run_dir, files, code, warnings)


def review_report(
    report: dict, baseline_path: str | None = None, triage_path: str | None = None
) -> list[str]:
    """For ``pdaudit scan``: diff against a saved report, then apply a triage file; warnings back.

    A triage file named explicitly must exist (a typo should not silently apply nothing).
    """
    from pdaudit.scanner.reports import json as json_report

    warnings: list[str] = []
    if baseline_path:
        warnings += history.apply_baseline(report, json_report.load(baseline_path), baseline_path)
    if triage_path:
        if not Path(triage_path).exists():
            raise triage.TriageError(f"{triage_path}: no such triage file")
        triage.apply(report, triage.load(triage_path))
    return warnings
