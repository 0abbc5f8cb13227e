"""Baselines, diffs, run folders and the run lock of scheduled audits.

A finding is identified by ``(source, container, field, type)``, never by a value, so a baseline
(any earlier JSON report) holds nothing a report does not already hold. A job keeps its runs as

    OUTPUT/.pdaudit.lock                 while a run is going (pid, host, start time)
    OUTPUT/2026-11-26T02-00-00/          one folder per run: report.json, report.html, ...
    OUTPUT/latest.json                   the last complete run (the next run's baseline)
    OUTPUT/pdaudit-triage.yaml           reviewers' decisions (scanner.triage)

Every file is written to a temporary file and renamed over its target; a run's reports are
written into ``OUTPUT/.staging-<run>/`` and that folder is renamed into place when all are there,
then ``latest.json`` is written: a run killed half-way leaves the previous ``latest.json`` intact
and no run folder that the history counts.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import re
import shutil
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
#: A run's reports are written into ``OUTPUT/.staging-<run>`` and moved into place when complete.
STAGING_PREFIX = ".staging-"
EXTENSIONS = {"json": "json", "html": "html", "sarif": "sarif", "text": "txt"}


class HistoryError(Exception):
    """A baseline, run folder or lock cannot be used; the message is one line."""


class LockedError(HistoryError):
    """Another run of the same job holds the lock."""


def finding_key(field: dict, entity_type: str) -> Key:
    """The identity of a finding: where it is and what type, never its values.

    A name masked in the report (``pdaudit.scanner.names``) is identified by its masked form and its
    keyed hash, so two names that mask alike stay apart and a name matches across runs.
    """
    from pdaudit.scanner.names import identity

    return (
        identity(field, "source"),
        identity(field, "container"),
        identity(field, "field"),
        entity_type,
    )


#: The type name under which a field's third-party finding (section 2.4) is keyed.
THIRD_PARTY = "THIRD_PARTY"


def findings(report: dict) -> dict[Key, dict]:
    """Every entity of every field, keyed by :func:`finding_key`; a field's third-party block
    (section 2.4) too, as type ``THIRD_PARTY``, so baselines mark it new or unchanged."""
    out = {
        finding_key(f, e["type"]): e
        for f in report.get("fields", [])
        for e in f.get("entities", [])
    }
    for f in report.get("fields", []):
        if f.get("third_party"):
            out[finding_key(f, THIRD_PARTY)] = f["third_party"]
    return out


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
    failed in this run, that is listed as not scanned, or of a source that could not be opened,
    are not called resolved: nothing is known about them. A baseline written before names were
    masked is read with its names masked and hashed as this run's are.
    """
    from pdaudit.scanner.names import identity, mask_report_names

    before = findings(mask_report_names(baseline))
    now = findings(report)
    for key, entity in now.items():
        entity["change"] = "unchanged" if key in before else "new"
    failed = {(identity(e, "source"), identity(e, "container")) for e in report.get("errors", [])}
    failed |= {
        (identity(f, "source"), identity(f, "container"))
        for f in report.get("fields", [])
        if f.get("status") == "not_scanned"
    }
    failed_sources = {k[0] for k in failed if not k[1]}
    report["resolved"] = [
        {
            "source": key[0],
            "container": key[1],
            "field": key[2],
            "type": key[3],
            "beyond_policy": is_beyond(entity),
        }
        for key, entity in sorted(before.items())
        if key not in now and (key[0], key[1]) not in failed and key[0] not in failed_sources
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


def not_scanned(report: dict) -> int:
    """How many files (or parts of them) the report lists as not read."""
    return sum(f.get("status") == "not_scanned" for f in report.get("fields") or [])


def exit_code(report: dict, fail_on: FailOn = "any", allow_unreadable: bool = False) -> int:
    """2 on errors (not partial ones: a document or page that could not be read inside a scanned
    field is listed with ``"partial": true``, the field itself was audited); else 1 when a beyond-policy finding matches ``fail_on``, else 0.

    ``new`` counts only findings marked new by a baseline (without a baseline every finding is
    new); ``any`` counts every beyond-policy finding; ``none`` never fails on findings. A file
    listed as ``not_scanned`` counts as an error unless ``allow_unreadable``.
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if has_errors(report) or (not allow_unreadable and not_scanned(report)):
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
    """Delete temporary files and staging folders a killed run left behind; call it only while
    holding the lock."""
    removed = []
    for staging in sorted(Path(output).glob(f"{STAGING_PREFIX}*")):
        if staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
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
    # Written into a hidden staging folder and renamed over the (empty) run folder once every
    # format is there: a run killed while writing leaves an empty run folder, which no history
    # counts, and a staging folder the next run removes.
    staging = output / f"{STAGING_PREFIX}{run_dir.name}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    written: dict[str, Path] = {}
    for fmt in ["json", *[f for f in formats if f != "json"]]:
        name = f"{REPORT_STEM}.{EXTENSIONS[fmt]}"
        atomic_write_text(staging / name, render(report, fmt))
        written[fmt] = run_dir / name
    os.rename(staging, run_dir)  # replaces the empty folder new_run_dir made
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
        return _parse_lock(path.read_bytes())
    except OSError:
        return None


def _parse_lock(data: bytes) -> LockInfo | None:
    try:
        record = json.loads(data.decode("utf-8"))
        return LockInfo(int(record["pid"]), str(record["host"]), str(record["started"]))
    except (ValueError, KeyError, TypeError):
        return None


class RunLock:
    """``OUTPUT/.pdaudit.lock`` held with ``fcntl.flock``, so two runs of one job never overlap.

    The kernel drops a ``flock`` when its process ends, however it ends, so a lock file whose
    lock nobody holds is stale whatever it says: a dead process, or a pid that now belongs to
    another process. It is taken over with a warning that names the holder it recorded. The
    file also records who holds it (pid, host, start time) for the message of a run that is
    refused. A lock recorded by another host (a shared output folder) is taken over only when
    older than ``OTHER_HOST_MAX_AGE_SECONDS``, since that host's runs cannot be checked.
    """

    #: An unreadable lock whose ``flock`` is held may be one being written right now.
    UNREADABLE_GRACE_SECONDS = 30
    #: A lock of another host older than this (by its start time) is taken over.
    OTHER_HOST_MAX_AGE_SECONDS = 24 * 3600

    def __init__(self, output: str | Path) -> None:
        self.path = Path(output) / LOCK
        self.info = LockInfo(
            os.getpid(), socket.gethostname(), dt.datetime.now().isoformat(timespec="seconds")
        )
        self.held = False
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise ``LockedError``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(5):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                self._refuse_or_break()
                continue
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # released (and unlinked) between our open and our flock: again
                os.close(fd)
                continue
            try:
                self._take(fd)
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            self.held = True
            return
        raise LockedError(f"{self.path}: could not take the lock")

    def _age(self, holder: LockInfo) -> float:
        """Seconds since the holder started (by the file's time when its record says no time)."""
        try:
            started = dt.datetime.fromisoformat(holder.started)
            if started.tzinfo is not None:
                started = started.astimezone().replace(tzinfo=None)
            return (dt.datetime.now() - started).total_seconds()
        except ValueError:
            try:
                return dt.datetime.now().timestamp() - self.path.stat().st_mtime
            except FileNotFoundError:
                return 0.0

    def _other_host_expired(self, holder: LockInfo) -> bool:
        return holder.host != self.info.host and self._age(holder) > self.OTHER_HOST_MAX_AGE_SECONDS

    def _busy(self, holder: LockInfo) -> LockedError:
        note = ""
        if holder.host != self.info.host:
            hours = self.OTHER_HOST_MAX_AGE_SECONDS / 3600
            note = f" (a lock of another host is taken over after {hours:g} h)"
        return LockedError(
            f"{self.path}: another run of this job is going ({holder.describe()}); "
            f"delete the lock file only if you are sure it is not{note}"
        )

    def _refuse_or_break(self) -> None:
        """Someone holds the ``flock``: refuse, unless it is another host's lock past the age
        limit (a lock on a shared folder that host never released): then move it away."""
        holder = read_lock(self.path)
        if holder is None:
            raise LockedError(
                f"{self.path}: another run is starting; try again later "
                f"(or delete the lock file if no pdaudit run is going)"
            )
        if not self._other_host_expired(holder):
            raise self._busy(holder)
        grave = self.path.with_name(f"{LOCK}.stale.{self.info.pid}")
        try:
            os.replace(self.path, grave)
        except FileNotFoundError:
            return
        grave.unlink(missing_ok=True)
        log.warning(
            "%s: took over a lock of another host older than %g h (%s)",
            self.path,
            self.OTHER_HOST_MAX_AGE_SECONDS / 3600,
            holder.describe(),
        )

    def _take(self, fd: int) -> None:
        """We hold the ``flock``: say whose lock it replaces, then record ourselves."""
        data = os.pread(fd, 4096, 0)
        holder = _parse_lock(data)
        if holder is not None:
            if holder.host != self.info.host:
                if not self._other_host_expired(holder):
                    raise self._busy(holder)
                reason = (
                    f"a lock of another host older than "
                    f"{self.OTHER_HOST_MAX_AGE_SECONDS / 3600:g} h ({holder.describe()})"
                )
            elif pid_alive(holder.pid) and holder.pid != self.info.pid:
                reason = (
                    f"a stale lock whose pid now belongs to another process ({holder.describe()})"
                )
            else:
                reason = f"a stale lock of a dead process ({holder.describe()})"
            log.warning("%s: took over %s", self.path, reason)
        elif data.strip():
            log.warning("%s: took over an unreadable lock", self.path)
        record = json.dumps(
            {"pid": self.info.pid, "host": self.info.host, "started": self.info.started}
        ).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        os.fsync(fd)

    def release(self) -> None:
        """Remove the lock file if it is still ours, then drop the ``flock``."""
        if self.held and read_lock(self.path) == self.info:
            self.path.unlink(missing_ok=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.held = False

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
