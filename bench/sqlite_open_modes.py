"""Measure what SQLite's read-only URI options leave beside a WAL-mode database file.

For each case a fresh WAL database is made (a row only in the -wal file when ``pending``), the
folder is optionally made read-only, and the file is opened with ``mode=ro`` and with
``immutable=1``. Printed: files created or changed beside the database, rows seen, or the error.

Run: .venv/bin/python bench/sqlite_open_modes.py
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import quote


def make(
    folder: Path, pending: bool, journal: str = "WAL"
) -> tuple[Path, sqlite3.Connection | None]:
    db = folder / "w.db"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA journal_mode={journal}")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    if pending:
        # keep a second row in the -wal file only: a writer that is still connected
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("INSERT INTO t VALUES (2)")
        con.commit()
        return db, con
    con.close()  # the last connection checkpoints and deletes -wal/-shm
    return db, None


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12]
        for p in sorted(folder.iterdir())
        if os.access(p, os.R_OK)
    }


def try_open(db: Path, query: str, as_nobody: bool = False) -> str:
    """Open and count rows; as root with ``as_nobody``, in a child running as uid 65534 (root
    ignores folder permissions, so a read-only folder means nothing to it)."""
    if as_nobody and os.geteuid() == 0:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            os.write(w, try_open(db, query).encode())
            os._exit(0)
        os.close(w)
        out = b""
        while chunk := os.read(r, 4096):
            out += chunk
        os.close(r)
        os.waitpid(pid, 0)
        return out.decode() + " (uid 65534)"
    uri = f"file:{quote(str(db))}?{query}"
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        finally:
            con.close()
        return f"rows={rows}"
    except sqlite3.Error as exc:
        return f"error: {exc}"


def main() -> None:
    cases = [("WAL", False), ("WAL", True), ("DELETE", False)]
    for journal, pending in cases:
        for readonly_dir in (False, True):
            for query in ("mode=ro", "immutable=1", "mode=ro&immutable=1"):
                with tempfile.TemporaryDirectory() as tmp:
                    folder = Path(tmp)
                    db, writer = make(folder, pending, journal)
                    if readonly_dir:
                        folder.chmod(0o555)
                    else:
                        folder.chmod(0o777)
                    db.chmod(0o644)
                    before = snapshot(folder)
                    result = try_open(db, query, as_nobody=True)
                    after = snapshot(folder)
                    folder.chmod(0o700)
                    if writer is not None:
                        writer.close()
                    created = sorted(set(after) - set(before))
                    changed = sorted(n for n in before if n in after and before[n] != after[n])
                    print(
                        f"journal={journal:6} wal_pending={pending!s:5} readonly_dir={readonly_dir!s:5} "
                        f"{query:20} {result:52} created={created} changed={changed}"
                    )


if __name__ == "__main__":
    main()
