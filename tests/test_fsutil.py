"""``atomic_write_text``: whole files or none, and special files left what they are."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from pdaudit.scanner.fsutil import atomic_write_text


def test_writes_a_new_file_and_replaces_an_old_one(tmp_path):
    target = tmp_path / "sub" / "report.json"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text("utf-8") == "two"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]  # no temp file left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_written_to_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text("utf-8")))
    reader.start()
    atomic_write_text(fifo, "отчёт")
    reader.join(timeout=10)
    assert got == ["отчёт"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
