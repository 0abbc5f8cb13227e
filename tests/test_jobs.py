"""Job files, `pdaudit run` / `init` on SQLite, and the scheduling examples (cron, CI, systemd)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.recognizers.checksums import mod11_two_pass
from pdaudit.scanner import jobs
from pdaudit.scanner.cli import main
from pdaudit.scanner.jobs import JobError, load_job

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PDAUDIT = ROOT / ".venv" / "bin" / "pdaudit"


def iins(n: int) -> list[str]:
    """``n`` synthetic valid ИИН (born 1990-01-01.., century digit 3/4, check digit computed)."""
    out = []
    serial = 0
    while len(out) < n:
        serial += 1
        body = f"9001{1 + serial % 28:02d}{3 + serial % 2}{serial:04d}"
        check = mod11_two_pass(body)
        if check is not None:
            out.append(body + str(check))
    return out


def make_db(path: Path, with_iin: bool = True, rows: int = 20) -> Path:
    con = sqlite3.connect(path)
    con.execute("DROP TABLE IF EXISTS users")
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, fio TEXT, email TEXT, iin TEXT)")
    con.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?)",
        [
            (i, "Ким Ольга Маратовна", f"user{i}@mail.kz", iin if with_iin else None)
            for i, iin in enumerate(iins(rows))
        ],
    )
    con.commit()
    con.close()
    return path


def write_job(folder: Path, body: str) -> Path:
    path = folder / "audit.yaml"
    path.write_text(body, "utf-8")
    return path


# --- reading job files -------------------------------------------------------------------------

FULL = """\
sources:
  - sqlite:///${DB_DIR}/crm.db
  - scans
password_env: PDAUDIT_DB_PASSWORD
policy: policy.yaml
sampling:
  rows: 500
  seed: 7
  full: false
include: ["users.*"]
exclude: ["*.password_hash"]
schemas: [public]
views: true
entities: [KZ_IIN, EMAIL_ADDRESS]
min_confidence: 0.6
output: out/$${literal}
formats: [html, sarif, html]
report_lang: en
fail_on: any
"""


def test_load_full_job(tmp_path: Path) -> None:
    job = load_job(write_job(tmp_path, FULL), env={"DB_DIR": "/srv/db"})
    assert job.sources == ["sqlite:////srv/db/crm.db", str(tmp_path / "scans")]
    assert (job.policy, job.output) == (tmp_path / "policy.yaml", tmp_path / "out" / "${literal}")
    assert (job.rows, job.seed, job.full) == (500, 7, False)
    assert (job.include, job.exclude, job.schemas) == (["users.*"], ["*.password_hash"], ["public"])
    assert (job.views, job.entities, job.min_confidence) == (True, ["KZ_IIN", "EMAIL_ADDRESS"], 0.6)
    assert (job.formats, job.report_lang, job.fail_on) == (["json", "html", "sarif"], "en", "any")
    assert job.password_env == "PDAUDIT_DB_PASSWORD"
    options = job.scan_options()
    assert (options.sampling.mode, options.sampling.rows_per_table, options.sampling.seed) == (
        "sample",
        500,
        7,
    )


def test_minimal_job_defaults(tmp_path: Path) -> None:
    job = load_job(write_job(tmp_path, "sources: crm.db\noutput: out\n"), env={})
    assert job.sources == [str(tmp_path / "crm.db")]
    assert (job.formats, job.fail_on, job.rows, job.seed, job.full) == (
        ["json"],
        "new",
        10_000,
        0,
        False,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sources: [a.db]\noutput: out\nformt: [html]\n",
         "audit.yaml:3: unknown key 'formt' (expected one of: sources, password_env, policy, "
         "sampling, include, exclude, schemas, views, entities, min_confidence, output, formats, "
         "report_lang, fail_on, workers, scheduler)"),
        ("sources: [a.db]\noutput: out\nsampling:\n  rows: many\n",
         "audit.yaml:4: sampling.rows must be a whole number"),
        ("sources: [a.db]\noutput: out\nsampling:\n  row: 5\n",
         "audit.yaml:4: unknown key sampling.row (expected rows, seed, full)"),
        ("sources: [a.db]\noutput: out\nsampling:\n  rows: 0\n",
         "audit.yaml:4: sampling.rows must be at least 1"),
        ("sources: [a.db]\noutput: out\nsampling: {full: yes please}\n",
         "audit.yaml:3: sampling.full must be true or false"),
        ("sources: [a.db]\noutput: out\nformats: [html, pdf]\n",
         "audit.yaml:3: unknown format 'pdf' (use json, html, sarif, text)"),
        ("sources: [a.db]\noutput: out\nfail_on: sometimes\n",
         "audit.yaml:3: fail_on must be one of new, any, none, not 'sometimes'"),
        ("sources:\n  - a.db\n  - ${NO_SUCH_VAR_PDAUDIT}/b.db\noutput: out\n",
         "audit.yaml:3: environment variable NO_SUCH_VAR_PDAUDIT is not set"),
        ("sources:\n  - a.db\n  - {url: b.db}\noutput: out\n",
         "audit.yaml:3: each item of sources must be a string"),
        ("sources: []\noutput: out\n", "audit.yaml:1: sources must name at least one source"),
        ("output: out\n", "audit.yaml:1: the job needs 'sources'"),
        ("sources: [a.db]\n", "audit.yaml:1: the job needs 'output'"),
        ("sources: [a.db]\noutput: out\noutput: again\n", "audit.yaml:3: output is given twice"),
        ("sources: [a.db]\noutput: out\nmin_confidence: 2\n",
         "audit.yaml:3: min_confidence must be a number between 0 and 1"),
        ("sources: [a.db]\noutput: out\nviews: 1\n", "audit.yaml:3: views must be true or false"),
        ("sources: [a.db\noutput: out\n", "audit.yaml:2: expected ',' or ']', but got ':'"),
        ("- a.db\n", "audit.yaml:1: a job file must be a mapping"),
        ("", "audit.yaml: the job file is empty (see `pdaudit init`)"),
    ],
)  # fmt: skip
def test_bad_job_files_name_the_line(tmp_path: Path, body: str, message: str) -> None:
    path = write_job(tmp_path, body)
    with pytest.raises(JobError) as err:
        load_job(path, env={})
    assert str(err.value) == f"{tmp_path}/{message}"


def test_init_writes_a_job_that_loads_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "nightly.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(path)])
    assert (result.exit_code, result.stdout) == (
        0,
        f"{path}: written; edit it, then `pdaudit run {path}`\n",
    )
    text = path.read_text("utf-8")
    assert text.startswith("# pdaudit job file: run it with `pdaudit run nightly.yaml`")
    job = load_job(path, env={"PDAUDIT_OUTPUT": "/var/lib/pdaudit"})
    assert (job.fail_on, job.formats, job.output) == ("new", ["json", "html", "sarif"],
                                                      Path("/var/lib/pdaudit"))  # fmt: skip
    again = runner.invoke(main, ["init", str(path)])
    assert (again.exit_code, again.stderr) == (
        2,
        f"Error: {path}: already exists; not overwriting it\n",
    )
    assert path.read_text("utf-8") == text


def test_example_job_file_loads() -> None:
    env = {"PDAUDIT_SCANS_DIR": "/srv/scans", "PDAUDIT_OUTPUT": "/var/lib/pdaudit/mirum"}
    job = load_job(EXAMPLES / "audit.yaml", env=env)
    assert job.sources == ["postgresql://pdaudit@db.mirum.internal:5432/mirum", "/srv/scans"]
    assert (job.password_env, job.fail_on, job.formats) == (
        "PDAUDIT_DB_PASSWORD",
        "new",
        ["json", "html", "sarif"],
    )


# --- running on SQLite -------------------------------------------------------------------------


@pytest.fixture
def job_dir(tmp_path: Path) -> Path:
    make_db(tmp_path / "crm.db")
    write_job(tmp_path, "sources: [crm.db]\noutput: out\nformats: [sarif, text]\nfail_on: new\n")
    return tmp_path


def test_run_twice_then_drop_the_column(job_dir: Path) -> None:
    runner = CliRunner()
    job = str(job_dir / "audit.yaml")
    first = runner.invoke(main, ["run", job])
    assert first.exit_code == 1, first.output
    run1 = sorted(p.name for p in (job_dir / "out").iterdir() if p.is_dir())
    assert first.stdout == (
        f"{job_dir / 'out' / run1[0]}: 1 field(s) beyond policy, 1 new, 0 resolved\n"
    )
    assert sorted(p.name for p in (job_dir / "out" / run1[0]).iterdir()) == [
        "report.json",
        "report.sarif",
        "report.txt",
    ]
    second = runner.invoke(main, ["run", job, "--quiet"])
    assert (second.exit_code, second.stdout, second.stderr) == (0, "", "")
    make_db(job_dir / "crm.db", with_iin=False)
    third = runner.invoke(main, ["run", job])
    assert third.exit_code == 0
    latest = json.loads((job_dir / "out" / "latest.json").read_text("utf-8"))
    assert latest["resolved"] == [
        {
            "source": f"sqlite:///{job_dir / 'crm.db'}",
            "container": "users",
            "field": "iin",
            "type": "KZ_IIN",
            "beyond_policy": True,
        }
    ]
    assert [h["beyond_policy"] for h in latest["history"]] == [1, 1, 0]
    text = (job_dir / "out" / latest["run"] / "report.txt").read_text("utf-8")
    assert "since the baseline: 0 new, 0 unchanged, 1 resolved beyond-policy finding(s)" in text
    assert "resolved: users.iin KZ_IIN" in text


def test_log_format_json(job_dir: Path) -> None:
    result = CliRunner().invoke(
        main, ["--log-format", "json", "-v", "run", str(job_dir / "audit.yaml")]
    )
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(r["level"], r["logger"]) for r in records][-1] == ("info", "pdaudit")
    assert records[-1]["message"].endswith(
        ": 1 field(s) beyond policy, 1 new, 0 resolved; exit status 1"
    )
    assert any(r["message"].endswith("first run, every finding is new") for r in records)


def test_held_lock_exits_2(job_dir: Path) -> None:
    proc = subprocess.Popen(["sleep", "30"])
    try:
        out = job_dir / "out"
        out.mkdir()
        (out / ".pdaudit.lock").write_text(
            json.dumps({"pid": proc.pid, "host": os.uname().nodename, "started": "now"})
        )
        result = CliRunner().invoke(main, ["run", str(job_dir / "audit.yaml"), "--quiet"])
    finally:
        proc.kill()
        proc.wait()
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {out / '.pdaudit.lock'}: another run of this job is going (pid {proc.pid} on "
        f"host {os.uname().nodename} since now); delete the lock file only if you are sure it "
        "is not\n"
    )
    assert [p.name for p in out.iterdir()] == [".pdaudit.lock"]


def test_scan_baseline_fail_on_and_triage_file(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crm.db")
    runner = CliRunner()
    base = tmp_path / "base.json"
    first = runner.invoke(main, ["scan", str(db), "--format", "json", "-o", str(base)])
    assert first.exit_code == 1
    again = ["scan", str(db), "--format", "json", "--baseline", str(base)]
    assert runner.invoke(main, [*again, "--fail-on", "new"]).exit_code == 0
    assert runner.invoke(main, [*again, "--fail-on", "any"]).exit_code == 1
    assert runner.invoke(main, [*again]).exit_code == 1
    assert runner.invoke(main, ["scan", str(db), "--fail-on", "none", "-q"]).exit_code == 0
    result = runner.invoke(main, [*again, "--fail-on", "new"])
    rep = json.loads(result.stdout)
    assert {e["change"] for f in rep["fields"] for e in f["entities"]} == {"unchanged"}
    assert rep["resolved"] == []
    mark = runner.invoke(
        main,
        ["triage", str(base), "--mark", "users.iin:KZ_IIN=accepted", "--reason", "договор"],
    )
    assert mark.exit_code == 0, mark.output
    triaged = runner.invoke(
        main, ["scan", str(db), "--format", "json", "--triage-file",
               str(tmp_path / "pdaudit-triage.yaml")],
    )  # fmt: skip
    assert triaged.exit_code == 0
    iin = [f for f in json.loads(triaged.stdout)["fields"] if f["field"] == "iin"][0]
    assert (iin["status"], iin["entities"][0]["triage"]["decision"]) == (
        "within_policy",
        "accepted",
    )
    missing = runner.invoke(main, ["scan", str(db), "--triage-file", str(tmp_path / "nope.yaml")])
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"Error: {tmp_path / 'nope.yaml'}: no such triage file\n",
    )


# --- the scheduling examples -------------------------------------------------------------------


def crontab_command() -> str:
    lines = [
        line
        for line in (EXAMPLES / "pdaudit.crontab").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) == 1
    assert lines[0] in (ROOT / "docs" / "scheduling.md").read_text("utf-8")
    return lines[0].split(None, 5)[5]


def test_crontab_line_runs_under_crons_environment(tmp_path: Path) -> None:
    make_db(tmp_path / "crm.db")
    (tmp_path / "log").mkdir()
    write_job(tmp_path, "sources: ['${PDAUDIT_DB}']\noutput: ${PDAUDIT_OUTPUT}\nformats: [html]\n")
    env_file = tmp_path / "audit.env"
    env_file.write_text(
        (EXAMPLES / "audit.env").read_text()
        + f"PDAUDIT_DB={tmp_path / 'crm.db'}\nPDAUDIT_OUTPUT={tmp_path / 'out'}\n"
    )
    command = (
        crontab_command()
        .replace("/etc/pdaudit/audit.env", str(env_file))
        .replace("/opt/pdaudit", str(ROOT))
        .replace("/etc/pdaudit/audit.yaml", str(tmp_path / "audit.yaml"))
        .replace("/var/log/pdaudit", str(tmp_path / "log"))
    )
    cron_env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh",
                "LOGNAME": "pdaudit"}  # fmt: skip
    done = subprocess.run(
        ["/bin/sh", "-c", command], env=cron_env, cwd=tmp_path, capture_output=True, text=True
    )
    # First run: the IIN column is new, so the job fails with 1; quiet, so cron mails nothing.
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    assert (tmp_path / "log" / "audit.log").read_text() == ""
    assert sorted(p.name for p in next((tmp_path / "out").glob("20*")).iterdir()) == [
        "report.html",
        "report.json",
    ]
    again = subprocess.run(["/bin/sh", "-c", command], env=cron_env, cwd=tmp_path)
    assert again.returncode == 0


def test_ci_script(tmp_path: Path) -> None:
    db = make_db(tmp_path / "crm.db")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PDAUDIT": str(PDAUDIT),
           "PDAUDIT_DB_URL": f"sqlite:///{db}", "PDAUDIT_DB_PASSWORD": "unused-for-sqlite",
           "PDAUDIT_OUT": str(tmp_path / "audit")}  # fmt: skip
    script = str(EXAMPLES / "ci-audit.sh")
    first = subprocess.run([script], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert (first.returncode, first.stdout) == (1, ""), first.stderr
    assert sorted(p.name for p in (tmp_path / "audit").iterdir()) == [
        "report.html",
        "report.json",
        "report.sarif",
    ]
    shutil.copy(tmp_path / "audit" / "report.json", tmp_path / "baseline.json")
    env["PDAUDIT_BASELINE"] = str(tmp_path / "baseline.json")
    second = subprocess.run([script], env=env, cwd=tmp_path, capture_output=True, text=True)
    assert (second.returncode, second.stdout) == (0, ""), second.stderr
    sarif = json.loads((tmp_path / "audit" / "report.sarif").read_text("utf-8"))
    assert [r["baselineState"] for r in sarif["runs"][0]["results"]] == ["unchanged"]


def test_systemd_units(tmp_path: Path) -> None:
    for name in ("pdaudit-audit.service", "pdaudit-audit.timer"):
        text = (EXAMPLES / name).read_text().replace("/opt/pdaudit", str(ROOT))
        (tmp_path / name).write_text(text)
    service = (tmp_path / "pdaudit-audit.service").read_text()
    assert "ExecStart=" + str(PDAUDIT) + " --log-format json run --quiet " in service
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.iterdir()))],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_every_new_command_has_help() -> None:
    for command in ("run", "triage", "init", "scan"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert result.stdout.startswith(f"Usage: main {command} ")
    scan_help = CliRunner().invoke(main, ["scan", "--help"]).stdout
    for option in ("--baseline", "--fail-on", "--triage-file"):
        assert option in scan_help
    assert jobs.REPORT_FORMATS == ("json", "html", "sarif", "text")
