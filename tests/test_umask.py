"""Reports and run folders get the modes the process umask gives, as any ``open()`` would."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest

from pdaudit.scanner import history
from pdaudit.scanner.fsutil import atomic_write_text
from pdaudit.scanner.reports.html import write_html

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report_example.json"


@pytest.fixture
def umask():
    """Set the umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda value: os.umask(value)
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(
    ("mask", "file_mode", "dir_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)]
)
def test_reports_and_run_folders_follow_the_umask(tmp_path, umask, mask, file_mode, dir_mode):
    umask(mask)
    report = {"summary": {"beyond_policy": 0}}
    run_dir = history.new_run_dir(tmp_path / "out", dt.datetime(2026, 1, 2, 3, 4, 5))
    written = history.write_run(run_dir, report, ["json"], lambda rep, fmt: "{}")
    atomic_write_text(tmp_path / "report.txt", "отчёт")
    assert _mode(run_dir) == dir_mode
    assert _mode(tmp_path / "out") == dir_mode
    assert _mode(written["json"]) == file_mode
    assert _mode(tmp_path / "out" / history.LATEST) == file_mode
    assert _mode(tmp_path / "report.txt") == file_mode


def test_the_html_report_follows_the_umask(tmp_path, umask):
    umask(0o027)
    write_html(json.loads(FIXTURE.read_text("utf-8")), tmp_path / "report.html")
    assert _mode(tmp_path / "report.html") == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
