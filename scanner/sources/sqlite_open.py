"""Opening an SQLite file so that nothing is created or changed beside it, WAL mode included.

Measured with ``bench/sqlite_open_modes.py`` (SQLite as shipped with Python, reader running as
an unprivileged user):

- ``mode=ro`` on a WAL database creates ``-wal`` and ``-shm`` files beside it (owned by the
  reader), and in a read-only folder fails ("attempt to write a readonly database").
- ``immutable=1`` creates nothing and works in a read-only folder, but never reads the ``-wal``
  file: rows committed there and not yet checkpointed are invisible ("no such table").
- A rollback-journal database (``journal_mode=DELETE``) opened ``mode=ro`` creates nothing.

So: a rollback-journal file is opened ``mode=ro`` (SQLite's locks still keep a concurrent
writer's half-written pages out); a WAL file whose ``-wal`` is absent or empty is opened
``immutable=1`` (there is nothing the flag could hide); a WAL file with a non-empty ``-wal`` is
copied with its ``-wal`` into a private temporary folder and the copy is opened ``mode=ro``, so
the committed rows are read and nothing beside the original is touched. The copy costs disk
space and time in proportion to the file; it is removed when the source closes.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger("pdaudit")

#: Bytes 18 and 19 of the header: the file format write/read versions, 2 for WAL.
_WAL_VERSION = 2


def is_wal(path: Path) -> bool:
    """Whether the database file's header says WAL mode."""
    with path.open("rb") as fh:
        header = fh.read(20)
    return len(header) == 20 and header[18] == _WAL_VERSION and header[19] == _WAL_VERSION


def read_only_uri(path: Path) -> tuple[str, Path | None]:
    """A ``file:`` URI that opens ``path`` without writing beside it, and the temporary folder
    holding a copy (remove it when done) or None."""
    path = path.resolve()
    wal = path.with_name(path.name + "-wal")
    if not is_wal(path):
        return f"file:{quote(str(path))}?mode=ro", None
    if not wal.exists() or wal.stat().st_size == 0:
        return f"file:{quote(str(path))}?immutable=1", None
    tmp = Path(tempfile.mkdtemp(prefix="pdaudit-sqlite-"))
    try:
        copy = tmp / "db"
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, tmp / "db-wal")
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o700)
    from pdaudit.scanner.names import mask_name  # here: names imports the analysis side

    log.info(
        "%s: WAL file with uncheckpointed rows; reading a private copy (%d bytes)",
        mask_name(path.name),
        copy.stat().st_size + wal.stat().st_size,
    )
    return f"file:{quote(str(copy))}?mode=ro", tmp
