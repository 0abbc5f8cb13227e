"""A real holder of a job's run lock for tests: another process that takes the ``flock`` of
``OUTPUT/.pdaudit.lock`` as a run does, records a holder, and keeps it until stopped."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HOLD = """
import fcntl, json, os, sys, time
path, record = sys.argv[1], json.loads(sys.argv[2])
fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
record.setdefault("pid", os.getpid())
os.ftruncate(fd, 0)
os.pwrite(fd, json.dumps(record).encode() if record.get("pid") != -1 else b"", 0)
print("held", flush=True)
time.sleep(120)
"""


@contextlib.contextmanager
def held_lock(output: Path, **record: object) -> Iterator[subprocess.Popen]:
    """Hold ``output/.pdaudit.lock`` in a child process; ``record`` (host, started, pid) is
    what the child writes into it (``pid`` defaults to the child's, ``pid=-1`` writes nothing)."""
    output.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(output / ".pdaudit.lock"), json.dumps(record)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        yield proc
    finally:
        proc.kill()
        proc.wait()
