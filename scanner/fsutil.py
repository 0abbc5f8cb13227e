"""Atomic file writes: a killed job leaves the previous file intact, never half a report."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def create_temp_beside(path: Path) -> tuple[int, Path]:
    """Open a new temporary file in ``path``'s folder for writing; ``(fd, its path)``.

    The file is created with mode 0666 less the process umask, as ``open()`` would create
    ``path`` itself (``tempfile.mkstemp`` makes 0600 files, which the reviewers' web server
    cannot read).
    """
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: cannot create a temporary file")


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    A ``path`` that is there and is not a regular file (``-o /dev/null``, ``/dev/stdout``, a
    named pipe) is written to as it is: renaming over it would put a regular file in its place.
    """
    path = Path(path)
    try:
        special = not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:  # not there yet (or not reachable: the write below says why)
        special = False
    if special:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = create_temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
