"""The columnar SQLite reader (``pdaudit.scanner.sources.columnar``, issue 15) against the
SQLAlchemy path: the same values, the same counts, the same report, and read-only."""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from pdaudit.scanner.analysis import Entity
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import ScanOptions, counted_texts, scan
from pdaudit.scanner.sources import columnar
from pdaudit.scanner.sources.columnar import ArrowBatch
from pdaudit.scanner.sources.sql import COLUMNAR_BATCH, SqlSource
from pdaudit.scanner.verdicts import FieldStats

BIG = COLUMNAR_BATCH * 2 + 123  # more rows than two batches
PDF = b"%PDF-1.4\n" + b"\x00\xff" * 20

NAMES = ["Қасымов Ерлан", "Ким Ольга", "Сәрсенбаева Әйгерім", "Иванов Иван", "  ", ""]


def _db(path) -> None:
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE ints (id INTEGER PRIMARY KEY, iin INTEGER, phone INTEGER);
        CREATE TABLE floats (id INTEGER PRIMARY KEY, amount);
        CREATE TABLE texts (id INTEGER PRIMARY KEY, fio TEXT, note TEXT);
        CREATE TABLE nulls_first (id INTEGER PRIMARY KEY, fio TEXT, amount, n INTEGER);
        CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB, fio TEXT);
        CREATE TABLE mixed (id INTEGER PRIMARY KEY, v);
        CREATE TABLE empty (id INTEGER PRIMARY KEY, fio TEXT);
        CREATE TABLE big (id INTEGER PRIMARY KEY, fio TEXT, iin INTEGER);
        """
    )
    con.executemany(
        "INSERT INTO ints (iin, phone) VALUES (?, ?)",
        [(900101300126 + i % 7, None if i % 5 == 0 else 77011234567 + i) for i in range(300)],
    )
    con.executemany(
        "INSERT INTO floats (amount) VALUES (?)",
        [(v,) for v in (1.5, 2.0, None, 1e20, 0.1, -3.25, 2.0, 7.0)],
    )
    con.executemany(
        "INSERT INTO texts (fio, note) VALUES (?, ?)",
        [
            (
                NAMES[i % len(NAMES)],
                None if i % 4 else f"Сын: Асқар {i % 3}, тел. 8 701 123 45 6{i % 10}",
            )
            for i in range(500)
        ],
    )
    # NULL throughout the first batch, values afterwards
    con.executemany(
        "INSERT INTO nulls_first (fio, amount, n) VALUES (?, ?, ?)",
        [(None, None, None)] * (COLUMNAR_BATCH + 5)
        + [("Ким Ольга", 12.5, 7), ("Әлі Нұр", None, 8)] * 3,
    )
    con.executemany(
        "INSERT INTO blobs (data, fio) VALUES (?, ?)",
        [
            (PDF if i % 3 == 0 else (b"\x01\x02" if i % 3 == 1 else None), "Ким Ольга")
            for i in range(9)
        ],
    )
    con.executemany(
        "INSERT INTO mixed (v) VALUES (?)", [(1,), ("Ким Ольга",), (None,), (2.5,), (b"\x00",)]
    )
    con.executemany(
        "INSERT INTO big (fio, iin) VALUES (?, ?)",
        [(NAMES[i % 4] + f" {i % 1000}", 900101300000 + i) for i in range(BIG)],
    )
    con.commit()
    con.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("columnar") / "c.db"
    _db(path)
    return path


def _read(path, columnar_on: bool) -> dict[str, tuple[list[dict], list]]:
    """Per table: its rows and its batches."""
    out = {}
    with SqlSource(str(path), sampling=Sampling(mode="full"), columnar=columnar_on) as source:
        for container in source.containers():
            batches = list(container.read())
            out[container.name] = ([row for b in batches for row in b], batches)
    return out


@pytest.fixture(scope="module")
def both(db):
    return _read(db, True), _read(db, False)


TABLES = ["ints", "floats", "texts", "nulls_first", "blobs", "mixed", "empty", "big"]


@pytest.mark.parametrize("table", TABLES)
def test_same_values_and_counts_as_the_row_path(both, table):
    new, old = both
    new_rows, old_rows = new[table][0], old[table][0]
    assert new_rows == old_rows  # the same values, in the same order, of the same types
    for column in old_rows[0] if old_rows else ():
        new_counts = Counter((type(r[column]), r[column]) for r in new_rows)
        old_counts = Counter((type(r[column]), r[column]) for r in old_rows)
        assert new_counts == old_counts


def test_which_tables_are_read_as_arrow(both):
    new, old = both
    arrow = {name for name, (_, batches) in new.items() if batches and hasattr(batches[0], "arrow")}
    assert arrow == {"ints", "floats", "texts", "nulls_first", "blobs", "big"}
    assert not any(hasattr(b, "arrow") for _, batches in old.values() for b in batches)
    # a column of two storage classes goes the row path
    assert [r["v"] for r in new["mixed"][0]] == [1, "Ким Ольга", None, 2.5, "b'\\x00'"]
    assert new["empty"] == ([], [])


def test_batches_stream_and_keep_their_size(both):
    new, _ = both
    assert [len(b) for b in new["big"][1]] == [COLUMNAR_BATCH, COLUMNAR_BATCH, 123]
    # the typed first row is dropped: that read's first batch is one row short
    assert [len(b) for b in new["nulls_first"][1]] == [COLUMNAR_BATCH - 1, 12]
    nulls = new["nulls_first"][0]
    assert nulls[-1] == {"id": COLUMNAR_BATCH + 11, "fio": "Әлі Нұр", "amount": None, "n": 8}
    assert nulls[-2]["amount"] == 12.5
    assert Counter(r["fio"] for r in nulls) == {
        None: COLUMNAR_BATCH + 5,
        "Ким Ольга": 3,
        "Әлі Нұр": 3,
    }


def test_blobs_stay_bytes_for_the_document_path(both):
    new, _ = both
    batch = new["blobs"][1][0]
    assert batch.binary_names == ["data"]
    data = [r["data"] for r in new["blobs"][0]]
    assert data == [PDF, b"\x01\x02", None] * 3
    assert all(type(v) is bytes for v in data if v is not None)


def test_read_only(db):
    before = (os.stat(db).st_mtime_ns, hashlib.sha256(db.read_bytes()).hexdigest())
    names = set(os.listdir(db.parent))
    _read(db, True)
    with SqlSource(str(db), sampling=Sampling(mode="full")) as source:
        conn = columnar.connect(source._sqlite_uri)
        try:
            with pytest.raises(columnar.Error, match="readonly|query_only"):
                conn.execute("INSERT INTO empty (fio) VALUES ('x')")
            with pytest.raises(columnar.Error):
                conn.execute("CREATE TABLE t2 (a)")
        finally:
            conn.close()
    assert (os.stat(db).st_mtime_ns, hashlib.sha256(db.read_bytes()).hexdigest()) == before
    assert set(os.listdir(db.parent)) == names  # no journal, -wal or -shm beside it


def test_wal_file_with_rows_in_the_wal(tmp_path):
    """A WAL file whose committed rows are still in ``-wal``: read through the private copy."""
    path = tmp_path / "w.db"
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, fio TEXT)")
    writer.executemany("INSERT INTO t (fio) VALUES (?)", [("Ким Ольга",)] * 10)
    writer.commit()
    try:
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        rows = _read(path, True)["t"][0]
        assert rows == [{"id": i + 1, "fio": "Ким Ольга"} for i in range(10)]
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    finally:
        writer.close()


def test_counted_texts_counts():
    array = pa.array(["Ким", None, "Ли", "", "Ким", " ", " Ли ", "Ким"])
    texts, counts, order = counted_texts(array)
    assert texts == ["Ким", "Ли", " Ли "]
    assert counts == [3, 1, 1]
    assert order.tolist() == [0, 1, 0, 2, 0]
    texts, counts, order = counted_texts(pa.array([7, None, 77011234567, 7], pa.int64()))
    assert (texts, counts, order.tolist()) == (["7", "77011234567"], [2, 1], [0, 1, 0])
    assert counted_texts(pa.array([None, None], pa.string()))[:2] == ([], [])
    assert counted_texts(pa.array(["[1, 2]", "a"])) is None  # may be JSON: value by value
    assert counted_texts(pa.array(["x" * 100_001])) is None  # cut, and said so
    assert counted_texts(pa.array([1.5, 2.0])) is None
    assert counted_texts(pa.array([b"\x00"])) is None


def _view(fs: FieldStats) -> tuple:
    types = {
        t: (
            s.matches,
            s.score_sum,
            s.examples,
            list(s.evidence.items()),
            sorted(s.distinct),
            s.texts,
            s.in_prose,
            s.roles,
        )
        for t, s in fs.types.items()
    }
    return (
        fs.values_scanned,
        list(fs.shapes.items()),
        fs.pairs,
        fs.steps,
        fs.first_number,
        fs.last_number,
        list(fs.name_parts.items()),
        fs.name_part_examples,
        types,
    )


def test_add_counts_equals_add_all_over_the_values():
    """Scores that do not add up exactly in another order: the sums agree to the last bit."""
    texts = ["Ким Ольга", "7000000001", "7000000002", "ivan@mail.kz", "Ли", "87015550000"]
    found = [
        [Entity("PERSON", 0, 9, 0.85, ("имя",))],
        [Entity("KZ_IIN", 0, 10, 0.1, ("checksum",)), Entity("PHONE_NUMBER", 0, 10, 0.7)],
        [Entity("KZ_IIN", 0, 10, 0.2, ("checksum", "date"))],
        [Entity("EMAIL_ADDRESS", 0, 12, 1.0)],
        [],
        [Entity("PHONE_NUMBER", 0, 11, 0.3000000000000001, ("тел",))],
    ]
    rng = np.random.default_rng(7)
    order = rng.integers(0, len(texts), 5000)
    counts = np.bincount(order, minlength=len(texts)).tolist()
    first = sorted(range(len(texts)), key=lambda i: int(np.argmax(order == i)))
    remap = {old: new for new, old in enumerate(first)}
    d_texts = [texts[i] for i in first]
    d_found = [found[i] for i in first]
    d_counts = [counts[i] for i in first]
    d_order = np.array([remap[i] for i in order.tolist()])
    for name in ("fio", "phone"):
        one, many = FieldStats("s", "t", name), FieldStats("s", "t", name)
        for part in np.array_split(np.arange(order.size), 3):  # three batches
            idx = order[part].tolist()
            one.add_all([texts[i] for i in idx], [list(found[i]) for i in idx])
            sub = d_order[part]
            present = sorted(set(sub.tolist()), key=sub.tolist().index)
            renumber = {old: new for new, old in enumerate(present)}
            many.add_counts(
                [d_texts[i] for i in present],
                [int((sub == i).sum()) for i in present],
                [d_found[i] for i in present],
                np.array([renumber[i] for i in sub.tolist()]),
            )
        assert _view(many) == _view(one)
        assert many.values_scanned == sum(d_counts)


def _report(path, columnar_on: bool) -> dict:
    options = ScanOptions(sampling=Sampling(mode="full"), columnar=columnar_on)
    report = scan([str(path)], load_policy(None), options)
    report.pop("generated_at")
    for summary in report["sources"]:
        summary.pop("seconds")
    return report


def test_the_report_is_the_same(db):
    assert _report(db, True) == _report(db, False)


def test_an_arrow_batch_is_freed_without_the_cyclic_collector():
    """A batch is no reference cycle: its Arrow buffers go when the scan drops it, not when
    the collector (run seldom in pdaudit's processes) gets to them."""
    gc.collect()
    gc.disable()
    try:
        before = pa.total_allocated_bytes()
        batch = ArrowBatch(pa.record_batch({"fio": ["Ким", None] * 500}), ["fio"], ["text"])
        assert list(batch.columns["fio"][:2]) == ["Ким", None]
        assert pa.total_allocated_bytes() > before
        del batch
        assert pa.total_allocated_bytes() == before
    finally:
        gc.enable()


def test_columnar_false_and_samples_keep_the_row_path(db):
    with SqlSource(str(db), sampling=Sampling(rows_per_table=50, seed=3)) as source:
        batches = [b for c in source.containers() for b in c.read()]
    assert batches and not any(hasattr(b, "arrow") for b in batches)
