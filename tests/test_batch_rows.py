"""How many rows a batch of ``SqlSource`` holds: bigger batches for a ``--full`` read of a
table without a binary column, ``batch_size`` for tables with BLOBs and in sample mode."""

from __future__ import annotations

import sqlite3

from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH, SqlSource


def _db(path, rows: int) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("CREATE TABLE scans (id INTEGER PRIMARY KEY, name TEXT, doc BLOB)")
    con.executemany("INSERT INTO notes VALUES (?, ?)", ((i, f"заметка {i}") for i in range(rows)))
    con.executemany(
        "INSERT INTO scans VALUES (?, ?, ?)", ((i, f"файл {i}", b"\x00\x01") for i in range(rows))
    )
    con.commit()
    con.close()


def _sizes(db, sampling: Sampling, batch_size: int | None = None) -> dict[str, list[int]]:
    with SqlSource(str(db), sampling=sampling, batch_size=batch_size) as source:
        return {c.name: [len(b) for b in c.read()] for c in source.containers()}


def test_full_read_of_text_table_takes_bigger_batches(tmp_path):
    db = tmp_path / "t.db"
    rows = FULL_TEXT_BATCH + 2_500
    _db(db, rows)
    sizes = _sizes(db, Sampling(mode="full"))
    assert sizes["notes"] == [FULL_TEXT_BATCH, 2_500]
    # a table with a BLOB column keeps the small batches: its documents are held at once
    assert sizes["scans"] == [2000] * 5 + [rows - 10_000]


def test_sample_mode_and_a_given_batch_size_keep_their_batches(tmp_path):
    db = tmp_path / "t.db"
    _db(db, 4_500)
    sample = _sizes(db, Sampling(mode="sample", rows_per_table=100_000))
    assert sample["notes"] == [2000, 2000, 500]
    given = _sizes(db, Sampling(mode="full"), batch_size=1_000)
    assert given == {"notes": [1_000] * 4 + [500], "scans": [1_000] * 4 + [500]}
