"""A scheduled job against a real PostgreSQL database whose columns and rows change between runs.

Runs: (1) names, e-mails, phones only; (2) an IIN column and a notes table with card numbers
appear; (3) a reviewer calls the cards a false positive, the IIN column is dropped and notes get
IINs; a run killed while writing latest.json; (4) a reviewer accepts the notes' IINs. Checks
new / unchanged / resolved, triage, exit codes with ``fail_on: new``, the history, the lock and
the SARIF output against the SARIF 2.1.0 schema.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from servers import PASSWORD, USER, PostgresServer

from pdaudit.recognizers.checksums import luhn_is_valid, mod11_two_pass
from pdaudit.scanner.cli import main

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
DB = "audit_job"
ROWS = 30


def iins(n: int) -> list[str]:
    """Synthetic valid ИИН: born in 1985, century digit 3/4, check digit computed."""
    out, serial = [], 0
    while len(out) < n:
        serial += 1
        body = f"8503{1 + serial % 28:02d}{3 + serial % 2}{serial:04d}"
        check = mod11_two_pass(body)
        if check is not None:
            out.append(body + str(check))
    return out


def cards(n: int) -> list[str]:
    """Synthetic Luhn-valid 16-digit numbers in a 4400 43.. range."""
    out, serial = [], 0
    while len(out) < n:
        serial += 1
        for check in "0123456789":
            number = f"440043{serial:09d}{check}"
            if luhn_is_valid(number):
                out.append(number)
                break
    return out


FIRST = ["Айгерим", "Данияр", "Ольга", "Марат", "Жанна", "Ерлан"]
LAST = ["Сагинтаева", "Ахметов", "Ким", "Нурланов", "Иванова", "Садыков"]


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def pg(pg_server: PostgresServer) -> PostgresServer:
    pg_server.execute("postgres", [f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"])
    rows = []
    for i in range(ROWS):
        fio = f"{LAST[i % 6]} {FIRST[(i * 5) % 6]}"
        rows.append(
            f"({i}, {sql_str(fio)}, 'client{i}@mail.kz', '+7 701 {100 + i:03d} {10 + i:02d} 45')"
        )
    pg_server.execute(
        DB,
        [
            "CREATE TABLE customers (id integer PRIMARY KEY, fio text, email text, phone text)",
            f"INSERT INTO customers VALUES {', '.join(rows)}",
            f"GRANT USAGE ON SCHEMA public TO {USER}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {USER}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {USER}",
        ],
    )
    return pg_server


@pytest.fixture(scope="module")
def job(pg: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("job")
    path = folder / "audit.yaml"
    path.write_text(
        "sources:\n"
        f"  - postgresql://{USER}@127.0.0.1:${{PDAUDIT_TEST_PG_PORT}}/{DB}\n"
        "password_env: PDAUDIT_TEST_PG_PASSWORD\n"
        "sampling: {rows: 1000, seed: 3}\n"
        "output: out\n"
        "formats: [html, sarif, text]\n"
        "fail_on: new\n",
        "utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def job_env(pg: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PDAUDIT_TEST_PG_PORT", str(pg.port))
    monkeypatch.setenv("PDAUDIT_TEST_PG_PASSWORD", PASSWORD)


def run(job: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["run", str(job), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    latest = json.loads((job.parent / "out" / "latest.json").read_text("utf-8"))
    return result.exit_code, latest


def changes(report: dict) -> dict[str, tuple[str, str, str | None]]:
    """``container.field:TYPE`` -> (change, field status, triage decision)."""
    return {
        f"{f['container']}.{f['field']}:{e['type']}": (
            e["change"],
            f["status"],
            (e.get("triage") or {}).get("decision"),
        )
        for f in report["fields"]
        for e in f["entities"]
    }


def diff_counts(report: dict) -> tuple[int, int, int]:
    s = report["summary"]
    return s["new_beyond_policy"], s["unchanged_beyond_policy"], s["resolved_beyond_policy"]


def test_scheduled_job_against_postgresql(pg: PostgresServer, job: Path) -> None:
    out = job.parent / "out"
    source = f"postgresql://{USER}@127.0.0.1:{pg.port}/{DB}"

    # 1. Only what section 2.3 allows: nothing beyond the policy, everything is new.
    code, rep = run(job)
    assert code == 0
    assert changes(rep) == {
        "public.customers.fio:PERSON": ("new", "within_policy", None),
        "public.customers.email:EMAIL_ADDRESS": ("new", "within_policy", None),
        "public.customers.phone:PHONE_NUMBER": ("new", "within_policy", None),
    }
    assert rep["fields"][0]["source"] == source  # no password in the finding's identity
    assert (diff_counts(rep), rep["resolved"]) == ((0, 0, 0), [])

    # 2. An IIN column and a notes table with card numbers appear: two new findings, exit 1.
    iin_values = iins(ROWS)
    card_values = cards(10)
    pg.execute(
        DB,
        [
            "ALTER TABLE customers ADD COLUMN iin text",
            *[f"UPDATE customers SET iin = '{v}' WHERE id = {i}" for i, v in enumerate(iin_values)],
            "CREATE TABLE notes (id integer PRIMARY KEY, body text)",
            *[f"INSERT INTO notes VALUES ({i}, 'оплата картой {v}')" for i, v in enumerate(card_values)],
        ],
    )  # fmt: skip
    code, rep = run(job)
    assert code == 1
    assert changes(rep) == {
        "public.customers.iin:KZ_IIN": ("new", "beyond_policy", None),
        "public.notes.body:CREDIT_CARD": ("new", "beyond_policy", None),
        "public.customers.fio:PERSON": ("unchanged", "within_policy", None),
        "public.customers.email:EMAIL_ADDRESS": ("unchanged", "within_policy", None),
        "public.customers.phone:PHONE_NUMBER": ("unchanged", "within_policy", None),
    }
    assert diff_counts(rep) == (2, 0, 0)
    assert rep["summary"]["beyond_policy"] == 2

    # A rescan of unchanged data exits 0 under fail_on: new, although two fields are beyond it.
    code, rep = run(job, "--quiet")
    assert (code, diff_counts(rep), rep["summary"]["beyond_policy"]) == (0, (0, 2, 0), 2)

    # 3. A reviewer calls the cards test data; the IIN column is dropped; notes get IINs.
    marked = CliRunner().invoke(
        main,
        ["triage", str(out / "latest.json"), "--mark", "public.notes.body:CREDIT_CARD=false_positive",
         "--reason", "тестовые номера платёжного шлюза", "--reviewer", "a.nurlanova"],
    )  # fmt: skip
    assert marked.exit_code == 0, marked.output
    assert (out / "pdaudit-triage.yaml").exists()
    pg.execute(
        DB,
        [
            "ALTER TABLE customers DROP COLUMN iin",
            *[f"INSERT INTO notes VALUES ({100 + i}, 'ИИН клиента {v}')" for i, v in enumerate(iin_values[:10])],
        ],
    )  # fmt: skip
    code, rep = run(job)
    assert code == 1
    assert changes(rep) == {
        "public.notes.body:KZ_IIN": ("new", "beyond_policy", None),
        "public.notes.body:CREDIT_CARD": ("unchanged", "beyond_policy", "false_positive"),
        "public.customers.fio:PERSON": ("unchanged", "within_policy", None),
        "public.customers.email:EMAIL_ADDRESS": ("unchanged", "within_policy", None),
        "public.customers.phone:PHONE_NUMBER": ("unchanged", "within_policy", None),
    }
    notes = next(f for f in rep["fields"] if f["container"] == "public.notes")
    assert notes["beyond_policy"] == ["KZ_IIN"]  # the false positive no longer counts
    assert rep["resolved"] == [
        {"source": source, "container": "public.customers", "field": "iin", "type": "KZ_IIN",
         "beyond_policy": True},
    ]  # fmt: skip
    assert diff_counts(rep) == (1, 0, 1)
    run3 = rep["run"]
    sarif = json.loads((out / run3 / "report.sarif").read_text("utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(sarif)) == []
    assert [
        (r["ruleId"], r["baselineState"], [s["properties"]["decision"] for s in r.get("suppressions", [])])
        for r in sarif["runs"][0]["results"]
    ] == [("CREDIT_CARD", "unchanged", ["false_positive"]), ("KZ_IIN", "new", [])]  # fmt: skip
    text = (out / run3 / "report.txt").read_text("utf-8")
    assert "since the baseline: 1 new, 0 unchanged, 1 resolved beyond-policy finding(s)" in text
    assert "resolved: public.customers.iin KZ_IIN" in text

    # A run killed after writing its temporary latest.json, before the rename: the previous
    # latest.json is intact, and the dead run's lock is stale.
    before = (out / "latest.json").read_bytes()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(job)], env=dict(os.environ), capture_output=True
    )
    assert killed.returncode == -9, killed.stderr
    assert (out / "latest.json").read_bytes() == before
    assert [p.name.startswith(".latest.json.") for p in out.glob(".*.tmp")] == [True]
    assert json.loads((out / ".pdaudit.lock").read_text())["pid"] != os.getpid()

    # A live lock blocks the next run with exit status 2 and touches nothing.
    live = subprocess.Popen(["sleep", "60"])
    stale = (out / ".pdaudit.lock").read_text()
    try:
        (out / ".pdaudit.lock").write_text(
            json.dumps({"pid": live.pid, "host": socket.gethostname(), "started": "now"})
        )
        runs_before = sorted(p.name for p in out.iterdir())
        blocked = CliRunner().invoke(main, ["run", str(job)])
        assert blocked.exit_code == 2
        assert "another run of this job is going (pid" in blocked.stderr
        assert sorted(p.name for p in out.iterdir()) == runs_before
    finally:
        live.kill()
        live.wait()
    (out / ".pdaudit.lock").write_text(stale)

    # 4. A reviewer accepts the notes' IINs; the next run takes over the stale lock, cleans up
    # the dead run's temporary file, and finds nothing that fails the job.
    marked = CliRunner().invoke(
        main,
        ["triage", str(out / run3 / "report.json"), "--mark", "public.notes.body:KZ_IIN=accepted",
         "--reason", "ИИН в назначении платежа, хранится по договору", "--reviewer", "ivan"],
    )  # fmt: skip
    assert marked.exit_code == 0, marked.output
    result = CliRunner().invoke(main, ["--log-format", "json", "run", str(job)])
    assert result.exit_code == 0, result.output
    warnings = [json.loads(line)["message"] for line in result.stderr.splitlines()]
    assert len(warnings) == 2
    assert "took over a stale lock of a dead process" in warnings[0]
    assert warnings[1].endswith(", left by a run that was killed")
    rep = json.loads((out / "latest.json").read_text("utf-8"))
    assert changes(rep)["public.notes.body:KZ_IIN"] == ("unchanged", "within_policy", "accepted")
    assert changes(rep)["public.notes.body:CREDIT_CARD"] == (
        "unchanged",
        "within_policy",
        "false_positive",
    )
    s = rep["summary"]
    assert (s["beyond_policy"], s["accepted"], s["false_positive"]) == (0, 1, 1)
    assert diff_counts(rep) == (0, 0, 0)
    # The killed run's folder holds a complete report.json (written before latest.json), so it
    # counts in the history: 1, 2, 2, 3, killed 3, 4.
    assert [h["beyond_policy"] for h in rep["history"]] == [0, 2, 2, 1, 1, 0]
    assert list(out.glob(".*")) == []
    triage_text = (out / "pdaudit-triage.yaml").read_text("utf-8")
    for value in iin_values + card_values:
        assert value not in triage_text


KILLED_RUN = """
import os, signal, sys

real_replace = os.replace


def replace_then_die(src, dst, *args, **kwargs):
    if str(dst).endswith("latest.json"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *args, **kwargs)


os.replace = replace_then_die
from pdaudit.scanner.cli import main

sys.argv = ["pdaudit", "run", sys.argv[1]]
main()
"""
