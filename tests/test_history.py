"""Baselines, diffs, exit codes, run folders and the run lock (scanner.history)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pdaudit.scanner import history
from pdaudit.scanner.history import LockedError, RunLock

SRC = "sqlite:///crm.db"


def entity(etype: str, allowed: bool, **extra: object) -> dict:
    clause = {"PERSON": "2.3.1", "EMAIL_ADDRESS": "2.3.2", "PHONE_NUMBER": "2.3.3"}.get(etype)
    return {
        "type": etype,
        "matches": 10,
        "share": 0.5,
        "share_interval": [0.3, 0.7],
        "confidence": 0.99,
        "examples": [],
        "evidence": ["checksum"],
        "allowed": allowed,
        "clause": clause,
        "personal": True,
        **extra,
    }


def field(container: str, name: str, *entities: dict, source: str = SRC) -> dict:
    beyond = [e["type"] for e in entities if not e["allowed"]]
    status = "beyond_policy" if beyond else "within_policy" if entities else "no_personal_data"
    return {
        "source": source,
        "container": container,
        "field": name,
        "values_scanned": 20,
        "documents": 0,
        "sampling_method": "whole table",
        "entities": list(entities),
        "beyond_policy": beyond,
        "status": status,
    }


def report(*fields: dict, errors: list | None = None, seed: int = 0) -> dict:
    beyond = [f for f in fields if f["status"] == "beyond_policy"]
    return {
        "schema_version": 1,
        "generated_at": "2026-11-26T02:00:00Z",
        "policy": {"id": "mirum-privacy-policy-2.3", "clauses": {"PERSON": "2.3.1"}},
        "sampling": {"method": "whole table", "rows_per_table": 10000, "seed": seed},
        "summary": {"fields": len(fields), "beyond_policy": len(beyond), "errors": 0},
        "fields": list(fields),
        "errors": errors or [],
    }


BASE = report(
    field("users", "iin", entity("KZ_IIN", False)),
    field("users", "email", entity("EMAIL_ADDRESS", True)),
    field("parents", "parent_iin", entity("KZ_IIN", False)),
    field("orders", "card", entity("CREDIT_CARD", False)),
)


def changes(rep: dict) -> dict[str, str]:
    return {
        f"{f['container']}.{f['field']}:{e['type']}": e["change"]
        for f in rep["fields"]
        for e in f["entities"]
    }


def test_baseline_marks_new_unchanged_and_resolved() -> None:
    now = report(
        field("users", "iin", entity("KZ_IIN", False)),
        field("users", "email", entity("EMAIL_ADDRESS", True), entity("KZ_IIN", False)),
        field("orders", "card", entity("CREDIT_CARD", False)),
        errors=[{"source": SRC, "container": "orders_archive", "message": "locked"}],
    )
    assert history.apply_baseline(now, copy.deepcopy(BASE), "latest.json") == []
    assert changes(now) == {
        "users.iin:KZ_IIN": "unchanged",
        "users.email:EMAIL_ADDRESS": "unchanged",
        "users.email:KZ_IIN": "new",
        "orders.card:CREDIT_CARD": "unchanged",
    }
    assert now["resolved"] == [
        {
            "source": SRC,
            "container": "parents",
            "field": "parent_iin",
            "type": "KZ_IIN",
            "beyond_policy": True,
        }
    ]
    s = now["summary"]
    assert (s["new_beyond_policy"], s["unchanged_beyond_policy"], s["resolved_beyond_policy"]) == (
        1,
        2,
        1,
    )
    assert now["baseline"]["report"] == "latest.json"


def test_failed_container_is_not_resolved() -> None:
    now = report(
        field("users", "iin", entity("KZ_IIN", False)),
        field("users", "email", entity("EMAIL_ADDRESS", True)),
        field("orders", "card", entity("CREDIT_CARD", False)),
        errors=[{"source": SRC, "container": "parents", "message": "permission denied"}],
    )
    history.apply_baseline(now, BASE)
    assert now["resolved"] == []


def test_identity_ignores_values_and_examples() -> None:
    now = copy.deepcopy(BASE)
    for f in now["fields"]:
        for e in f["entities"]:
            e["examples"], e["matches"], e["share"] = ["99********99"], 1, 0.05
    history.apply_baseline(now, BASE)
    assert set(changes(now).values()) == {"unchanged"}
    assert now["resolved"] == []


def test_differing_settings_warn() -> None:
    now = report(field("users", "iin", entity("KZ_IIN", False)), seed=7)
    warnings = history.apply_baseline(now, BASE, "old.json")
    assert warnings == [
        "baseline old.json was made with seed=0, this scan uses seed=7: new/resolved may reflect "
        "the settings, not the data"
    ]


NEW_ONLY = report(field("users", "iin", entity("KZ_IIN", False, change="new")))
UNCHANGED = report(field("users", "iin", entity("KZ_IIN", False, change="unchanged")))
WITHIN_NEW = report(field("users", "email", entity("EMAIL_ADDRESS", True, change="new")))
NO_BASELINE = report(field("users", "iin", entity("KZ_IIN", False)))
ERRORS = report(errors=[{"source": SRC, "container": "x", "message": "boom"}])


@pytest.mark.parametrize(
    ("rep", "fail_on", "code"),
    [
        (NEW_ONLY, "new", 1),
        (NEW_ONLY, "any", 1),
        (NEW_ONLY, "none", 0),
        (UNCHANGED, "new", 0),
        (UNCHANGED, "any", 1),
        (UNCHANGED, "none", 0),
        (WITHIN_NEW, "new", 0),
        (WITHIN_NEW, "any", 0),
        (NO_BASELINE, "new", 1),
        (ERRORS, "new", 2),
        (ERRORS, "any", 2),
        (ERRORS, "none", 2),
    ],
)
def test_exit_code(rep: dict, fail_on: str, code: int) -> None:
    assert history.exit_code(rep, fail_on) == code  # type: ignore[arg-type]


def test_exit_code_rejects_unknown_fail_on() -> None:
    with pytest.raises(ValueError, match="fail_on must be one of new, any, none"):
        history.exit_code(NEW_ONLY, "sometimes")  # type: ignore[arg-type]


def test_run_dirs_are_named_by_start_time_and_never_collide(tmp_path: Path) -> None:
    t = dt.datetime(2026, 11, 26, 2, 0, 0)
    names = [history.new_run_dir(tmp_path, t).name for _ in range(3)]
    assert names == ["2026-11-26T02-00-00", "2026-11-26T02-00-00-2", "2026-11-26T02-00-00-3"]
    history.new_run_dir(tmp_path, t.replace(hour=1))
    (tmp_path / "not-a-run").mkdir()
    assert [p.name for p in history.run_dirs(tmp_path)] == [
        "2026-11-26T01-00-00",
        "2026-11-26T02-00-00",
        "2026-11-26T02-00-00-2",
        "2026-11-26T02-00-00-3",
    ]


def test_write_run_history_and_latest(tmp_path: Path) -> None:
    def render(rep: dict, fmt: str) -> str:
        return json.dumps(rep) if fmt == "json" else f"{fmt} of run {rep['run']}"

    for hour, beyond in [(1, 5), (2, 4)]:
        rep = report(*[field("t", f"f{i}", entity("KZ_IIN", False)) for i in range(beyond)])
        run = history.new_run_dir(tmp_path, dt.datetime(2026, 11, 26, hour))
        files = history.write_run(run, rep, ["html", "text"], render)
    history.new_run_dir(tmp_path, dt.datetime(2026, 11, 26, 3))  # a run killed before writing
    assert {k: p.name for k, p in files.items()} == {
        "json": "report.json",
        "html": "report.html",
        "text": "report.txt",
    }
    latest = json.loads((tmp_path / "latest.json").read_text())
    assert latest["history"] == [
        {"run": "2026-11-26T01-00-00", "beyond_policy": 5},
        {"run": "2026-11-26T02-00-00", "beyond_policy": 4},
    ]
    assert latest["run"] == "2026-11-26T02-00-00"
    assert (tmp_path / "2026-11-26T02-00-00" / "report.txt").read_text() == (
        "text of run 2026-11-26T02-00-00"
    )
    assert history.past_runs(tmp_path) == latest["history"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_load_latest_broken_is_a_clear_error(tmp_path: Path) -> None:
    assert history.load_latest(tmp_path) is None
    (tmp_path / "latest.json").write_text("{half a rep")
    with pytest.raises(history.HistoryError, match="latest.json: not a JSON report .*move it away"):
        history.load_latest(tmp_path)


# --- the lock ----------------------------------------------------------------------------------


def write_lock(tmp_path: Path, pid: int, host: str | None = None) -> None:
    (tmp_path / ".pdaudit.lock").write_text(
        json.dumps({"pid": pid, "host": host or socket.gethostname(), "started": "2026-11-26"})
    )


@pytest.fixture
def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def live_pid() -> object:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def test_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    with RunLock(tmp_path) as lock:
        held = json.loads((tmp_path / ".pdaudit.lock").read_text())
        assert (held["pid"], held["host"]) == (os.getpid(), socket.gethostname())
        with pytest.raises(
            LockedError, match=f"another run of this job is going \\(pid {os.getpid()}"
        ):
            RunLock(tmp_path).acquire()
        assert lock.held
    assert not (tmp_path / ".pdaudit.lock").exists()


def test_live_lock_blocks(tmp_path: Path, live_pid: int) -> None:
    write_lock(tmp_path, live_pid)
    with pytest.raises(LockedError) as err:
        RunLock(tmp_path).acquire()
    assert f"another run of this job is going (pid {live_pid} on host" in str(err.value)
    assert json.loads((tmp_path / ".pdaudit.lock").read_text())["pid"] == live_pid


def test_stale_lock_is_taken_over(tmp_path: Path, dead_pid: int) -> None:
    write_lock(tmp_path, dead_pid)
    # A handler of our own on the "pdaudit" logger: the CLI tests reconfigure that logger
    # (propagation off, their own handlers), so pytest's caplog sees its records 0 or 2 times.
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("pdaudit")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    lock = RunLock(tmp_path)
    try:
        lock.acquire()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert json.loads((tmp_path / ".pdaudit.lock").read_text())["pid"] == os.getpid()
    assert [r.getMessage() for r in records] == [
        f"{tmp_path / '.pdaudit.lock'}: took over a stale lock of a dead process "
        f"(pid {dead_pid} on host {socket.gethostname()} since 2026-11-26)"
    ]
    lock.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_lock_of_another_host_is_never_taken_over(tmp_path: Path, dead_pid: int) -> None:
    write_lock(tmp_path, dead_pid, host="audit-elsewhere")
    with pytest.raises(LockedError, match="on host audit-elsewhere"):
        RunLock(tmp_path).acquire()


def test_unreadable_lock(tmp_path: Path) -> None:
    path = tmp_path / ".pdaudit.lock"
    path.write_text("")
    with pytest.raises(LockedError, match="another run is starting"):
        RunLock(tmp_path).acquire()
    old = dt.datetime.now().timestamp() - 3600
    os.utime(path, (old, old))
    with RunLock(tmp_path):
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_release_leaves_someone_elses_lock(tmp_path: Path, live_pid: int) -> None:
    lock = RunLock(tmp_path)
    lock.acquire()
    write_lock(tmp_path, live_pid)  # e.g. an operator deleted ours and another run started
    lock.release()
    assert json.loads((tmp_path / ".pdaudit.lock").read_text())["pid"] == live_pid
