"""Baselines, diffs, run folders and the run lock of scheduled audits.

A finding is identified by ``(source, container, field, type)``, never by a value, so a baseline
(any earlier JSON report) holds nothing a report does not already hold. A job keeps its runs as

    OUTPUT/.pdaudit.lock                 while a run is going (pid, host, start time)
    OUTPUT/2026-11-26T02-00-00/          one folder per run: report.json, report.html, ...
    OUTPUT/latest.json                   the last complete run (the next run's baseline)
    OUTPUT/pdaudit-triage.yaml           reviewers' decisions (scanner.triage)

Every file is written to a temporary file and renamed over its target, and ``latest.json`` last,
so a run killed half-way leaves the previous ``latest.json`` intact.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pdaudit.scanner.fsutil import atomic_write_text

log = logging.getLogger("pdaudit")

FailOn = Literal["new", "any", "none"]
FAIL_ON = ("new", "any", "none")
Key = tuple[str, str, str, str]

LATEST = "latest.json"
LOCK = ".pdaudit.lock"
REPORT_STEM = "report"
RUN_FORMAT = "%Y-%m-%dT%H-%M-%S"
#: A run folder name: the start time, with ``-2``, ``-3``... when two runs start in one second.
RUN_NAME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(?:-\d+)?$")
#: How many past runs the report's ``history`` lists.
HISTORY_LIMIT = 100
EXTENSIONS = {"json": "json", "html": "html", "sarif": "sarif", "text": "txt"}


class HistoryError(Exception):
    """A baseline, run folder or lock cannot be used; the message is one line."""


class LockedError(HistoryError):
    """Another run of the same job holds the lock."""


def finding_key(field: dict, entity_type: str) -> Key:
    """The identity of a finding: where it is and what type, never its values."""
    return (str(field["source"]), str(field["container"]), str(field["field"]), entity_type)


def findings(report: dict) -> dict[Key, dict]:
    """Every entity of every field, keyed by :func:`finding_key`."""
    return {
        finding_key(f, e["type"]): e
        for f in report.get("fields", [])
        for e in f.get("entities", [])
    }


def is_beyond(entity: dict) -> bool:
    """Whether an entity counts against the policy (not allowed and not triaged away)."""
    return not entity.get("allowed", True)


def settings_of(report: dict) -> dict:
    """What produced a report and must match for a diff to mean something: policy and sampling."""
    sampling = report.get("sampling") or {}
    return {
        "policy": (report.get("policy") or {}).get("id"),
        "rows_per_table": sampling.get("rows_per_table"),
        "seed": sampling.get("seed"),
    }


def apply_baseline(report: dict, baseline: dict, baseline_name: str = "") -> list[str]:
    """Mark each entity ``new`` or ``unchanged`` against ``baseline`` and list ``resolved`` ones.

    Returns warnings (settings that differ from the baseline's). Findings of a container that
    failed in this run are not called resolved: nothing is known about them.
    """
    before = findings(baseline)
    now = findings(report)
    for key, entity in now.items():
        entity["change"] = "unchanged" if key in before else "new"
    failed = {(e.get("source"), e.get("container")) for e in report.get("errors", [])}
    report["resolved"] = [
        {
            "source": key[0],
            "container": key[1],
            "field": key[2],
            "type": key[3],
            "beyond_policy": is_beyond(entity),
        }
        for key, entity in sorted(before.items())
        if key not in now and (key[0], key[1]) not in failed
    ]
    report["baseline"] = {
        "report": baseline_name,
        "generated_at": baseline.get("generated_at"),
        "settings": settings_of(baseline),
    }
    diff_summary(report)
    warnings = []
    mine, theirs = settings_of(report), settings_of(baseline)
    for name in mine:
        if mine[name] != theirs[name]:
            warnings.append(
                f"baseline {baseline_name or ''} was made with {name}={theirs[name]!r}, this scan "
                f"uses {name}={mine[name]!r}: new/resolved may reflect the settings, not the data"
            )
    return warnings


def diff_summary(report: dict) -> None:
    """Add ``new``, ``unchanged`` and ``resolved`` counts of beyond-policy findings to the summary."""
    if "resolved" not in report:
        return
    beyond = [e for e in findings(report).values() if is_beyond(e)]
    summary = report["summary"]
    summary["new_beyond_policy"] = sum(e.get("change") == "new" for e in beyond)
    summary["unchanged_beyond_policy"] = sum(e.get("change") == "unchanged" for e in beyond)
    summary["resolved_beyond_policy"] = sum(
        bool(r.get("beyond_policy")) for r in report["resolved"]
    )


def has_errors(report: dict) -> bool:
    """Whether a whole source or container could not be read (partial reads do not count)."""
    return any(not e.get("partial") for e in report.get("errors") or [])


def exit_code(report: dict, fail_on: FailOn = "any") -> int:
    """2 on errors (not partial ones: a document or page that could not be read inside a scanned
    field is listed with ``"partial": true``, the field itself was audited); else 1 when a beyond-policy finding matches ``fail_on``, else 0.

    ``new`` counts only findings marked new by a baseline (without a baseline every finding is
    new); ``any`` counts every beyond-policy finding; ``none`` never fails on findings.
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if has_errors(report):
        return 2
    beyond = [e for e in findings(report).values() if is_beyond(e)]
    if fail_on == "none":
        return 0
    if fail_on == "new":
        beyond = [e for e in beyond if e.get("change", "new") == "new"]
    return 1 if beyond else 0


# --- run folders -------------------------------------------------------------------------------


def run_dirs(output: str | Path) -> list[Path]:
    """The run folders of a job, oldest first."""
    output = Path(output)
    if not output.is_dir():
        return []
    found = [p for p in output.iterdir() if p.is_dir() and RUN_NAME.match(p.name)]
    return sorted(found, key=_run_sort_key)


def _run_sort_key(path: Path) -> tuple[str, int]:
    n = path.name[20:]
    return (path.name[:19], int(n) if n else 1)


def new_run_dir(output: str | Path, now: dt.datetime | None = None) -> Path:
    """Create the folder of a new run, named after its start time (local time)."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime(RUN_FORMAT)
    for n in range(1, 1000):
        path = output / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise HistoryError(f"{output}: too many runs started at {stamp}")


def past_runs(output: str | Path, limit: int = HISTORY_LIMIT) -> list[dict]:
    """``[{"run", "beyond_policy"}]`` of the runs in ``output`` that left a readable report."""
    entries = []
    for path in run_dirs(output):
        try:
            data = json.loads((path / f"{REPORT_STEM}.json").read_text("utf-8"))
            beyond = int(data["summary"]["beyond_policy"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a run killed before its report was written
        entries.append({"run": path.name, "beyond_policy": beyond})
    return entries[-limit:]


def load_latest(output: str | Path) -> dict | None:
    """The last complete run's report (the baseline of the next run), or None on a first run."""
    from pdaudit.scanner.reports.json import ReportError, load

    path = Path(output) / LATEST
    if not path.exists():
        return None
    try:
        return load(path)
    except ReportError as exc:
        raise HistoryError(f"{exc}; move it away to start a new baseline") from None


def remove_temp_files(output: str | Path) -> list[Path]:
    """Delete temporary files a killed run left behind; call it only while holding the lock."""
    removed = []
    for folder in [Path(output), *run_dirs(output)]:
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def write_run(
    run_dir: Path,
    report: dict,
    formats: Iterable[str],
    render: Callable[[dict, str], str],
) -> dict[str, Path]:
    """Write the run's reports into ``run_dir``, then ``latest.json`` beside it; all atomic.

    ``report["history"]`` gets the past runs plus this one. Returns format -> written path.
    """
    output = run_dir.parent
    history = [h for h in past_runs(output) if h["run"] != run_dir.name]
    history.append({"run": run_dir.name, "beyond_policy": report["summary"]["beyond_policy"]})
    report["history"] = history[-HISTORY_LIMIT:]
    report["run"] = run_dir.name
    written: dict[str, Path] = {}
    for fmt in ["json", *[f for f in formats if f != "json"]]:
        path = run_dir / f"{REPORT_STEM}.{EXTENSIONS[fmt]}"
        atomic_write_text(path, render(report, fmt))
        written[fmt] = path
    atomic_write_text(output / LATEST, render(report, "json"))
    return written


# --- the lock ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock."""

    pid: int
    host: str
    started: str

    def describe(self) -> str:
        """``pid 123 on host web1 since 2026-11-26T02:00:00``."""
        return f"pid {self.pid} on host {self.host} since {self.started}"


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it belongs to another user
    return True


def read_lock(path: Path) -> LockInfo | None:
    """The holder recorded in a lock file, or None when it is unreadable or half-written."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return LockInfo(int(data["pid"]), str(data["host"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class RunLock:
    """``OUTPUT/.pdaudit.lock``, created with O_EXCL, so two runs of one job never overlap.

    A lock left by a dead process on this host is taken over with a warning; a lock held by a live
    process, or by another host (whose processes cannot be checked), raises ``LockedError``.
    """

    #: An unreadable lock younger than this may be one being written right now.
    UNREADABLE_GRACE_SECONDS = 30

    def __init__(self, output: str | Path) -> None:
        self.path = Path(output) / LOCK
        self.info = LockInfo(
            os.getpid(), socket.gethostname(), dt.datetime.now().isoformat(timespec="seconds")
        )
        self.held = False

    def acquire(self) -> None:
        """Take the lock or raise ``LockedError``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            if self._create():
                self.held = True
                return
            self._take_over_if_stale()
        raise LockedError(f"{self.path}: could not take the lock")

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(
                {"pid": self.info.pid, "host": self.info.host, "started": self.info.started}, fh
            )
            fh.flush()
            os.fsync(fh.fileno())
        return True

    def _take_over_if_stale(self) -> None:
        holder = read_lock(self.path)
        if holder is None:
            try:
                age = dt.datetime.now().timestamp() - self.path.stat().st_mtime
            except FileNotFoundError:
                return  # released meanwhile: try again
            if age < self.UNREADABLE_GRACE_SECONDS:
                raise LockedError(
                    f"{self.path}: another run is starting; try again later "
                    f"(or delete the lock file if no pdaudit run is going)"
                )
            reason = "an unreadable lock"
        elif holder.host != self.info.host or pid_alive(holder.pid):
            raise LockedError(
                f"{self.path}: another run of this job is going ({holder.describe()}); "
                "delete the lock file only if you are sure it is not"
            )
        else:
            reason = f"a stale lock of a dead process ({holder.describe()})"
        # Rename rather than delete, so of two runs taking over at once only one wins the file.
        grave = self.path.with_name(f"{LOCK}.stale.{self.info.pid}")
        try:
            os.replace(self.path, grave)
        except FileNotFoundError:
            return
        if read_lock(grave) != holder:  # someone else's fresh lock: put it back
            try:
                os.link(grave, self.path)
            except FileExistsError:
                pass
            grave.unlink(missing_ok=True)
            raise LockedError(f"{self.path}: another run took the lock first")
        grave.unlink(missing_ok=True)
        log.warning("%s: took over %s", self.path, reason)

    def release(self) -> None:
        """Remove the lock if this process holds it."""
        if self.held and read_lock(self.path) == self.info:
            self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
