"""Progress on stderr and NO_COLOR: a live line on a terminal, log lines elsewhere, no colour
when NO_COLOR is set (checked on a real pseudo-terminal)."""

from __future__ import annotations

import json
import os
import pty
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.scanner.cli import main

PDAUDIT = [sys.executable, "-m", "pdaudit.scanner.cli"]
#: SGR sequences that set a colour (foreground, background, 256-colour and true colour).
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")


def _big_db(path: Path, rows: int) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.executemany(
            "INSERT INTO notes VALUES (?, ?)", [(i, f"заметка {i}") for i in range(rows)]
        )
    db.close()
    return path


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    db = _big_db(tmp_path / "big.db", 30_000)
    args = [
        "scan",
        str(db),
        "--rows",
        "20000",
        "--progress-every",
        "0",
        "-o",
        str(tmp_path / "r.json"),
    ]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stderr.splitlines() if "progress:" in ln]
    assert lines[-1] == "pdaudit: INFO: progress: notes: 20000 of 20000 rows"
    assert len(lines) >= 2
    for line in lines[:-1]:
        assert re.fullmatch(
            r"pdaudit: INFO: progress: notes: \d+ of 20000 rows, about \d+ (s|min \d+ s) left",
            line,
        ), line


def test_progress_lines_follow_the_log_format(tmp_path):
    db = _big_db(tmp_path / "big.db", 300)
    result = CliRunner().invoke(
        main,
        ["--log-format", "json", "scan", str(db), "--progress-every", "0", "--format", "json",
         "-o", str(tmp_path / "r.json")],
    )  # fmt: skip
    assert result.exit_code == 0
    record = json.loads(result.stderr.splitlines()[-1])
    assert (record["level"], record["message"]) == ("info", "progress: notes: 300 of 300 rows")


def test_no_progress_lines_before_the_interval_nor_when_quiet(tmp_path):
    db = _big_db(tmp_path / "big.db", 300)
    out = str(tmp_path / "r.json")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(db), "--format", "json", "-o", out]).stderr == ""
    quiet = runner.invoke(main, ["scan", str(db), "--progress-every", "0", "-q", "-o", out])
    assert quiet.stderr == ""


def _on_a_terminal(args: list[str], env: dict[str, str], stream: str, cwd: Path) -> str:
    """Run pdaudit with ``stream`` ("stdout" or "stderr") on a pseudo-terminal; what it wrote."""
    master, slave = pty.openpty()
    other = subprocess.DEVNULL
    proc = subprocess.Popen(
        [*PDAUDIT, *args],
        stdout=slave if stream == "stdout" else other,
        stderr=slave if stream == "stderr" else other,
        env=env,
        cwd=cwd,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def saved_report(tmp_path_factory, demo_db):
    path = tmp_path_factory.mktemp("report") / "report.json"
    result = CliRunner().invoke(main, ["scan", str(demo_db), "--format", "json", "-o", str(path)])
    assert result.exit_code == 1
    return path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="160", **extra)
    return env


def test_no_color_on_a_terminal_report(saved_report, tmp_path):
    args = ["report", str(saved_report), "--format", "text"]
    coloured = _on_a_terminal(args, _env(), "stdout", tmp_path)
    assert COLOUR.search(coloured)  # the check sees colour where there is some
    plain = _on_a_terminal(args, _env(NO_COLOR="1"), "stdout", tmp_path)
    assert "users" in plain
    assert "\x1b" not in plain


def test_no_color_on_a_terminal_progress(tmp_path):
    db = _big_db(tmp_path / "big.db", 60_000)
    args = ["scan", str(db), "--rows", "50000", "--format", "json", "-o", str(tmp_path / "r.json")]
    coloured = _on_a_terminal(args, _env(), "stderr", tmp_path)
    assert "notes" in coloured and COLOUR.search(coloured)
    plain = _on_a_terminal(args, _env(NO_COLOR="1"), "stderr", tmp_path)
    assert "notes" in plain and "/50000" in plain
    assert not COLOUR.search(plain)


def test_a_job_run_logs_progress_too(tmp_path):
    _big_db(tmp_path / "big.db", 300)
    job = tmp_path / "audit.yaml"
    job.write_text("sources: [big.db]\noutput: out\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(job), "--progress-every", "0"])
    assert result.exit_code == 0, result.output
    assert "pdaudit: INFO: progress: notes: 300 of 300 rows" in result.stderr.splitlines()
