"""A full scan gathers a repeating column's texts over many batches (``scanner.windows``, issue 15).

``Scanner.scan_container`` hands a column whose values repeat over the batches, not within one,
to ``apply`` as the distinct texts of many batches with their counts and reading order; the
statistics must be those of counting its values one by one (``count_distinct = False``), field
for field.
"""

from __future__ import annotations

import random

import pytest
from test_repeated_values import _full_view, _Scoring, full_report

from pdaudit.scanner import scan, windows
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import REPEATS_MIN, Scanner, ScanOptions
from pdaudit.scanner.sources import Container
from pdaudit.scanner.sources.sql import ColumnBatch
from pdaudit.scanner.windows import Window, Windows


def test_a_window_keeps_first_appearances_and_the_reading_order():
    window = Window()
    window.add(["b", "a", "b"])
    window.add(["c", "a", "a"])
    texts, counts, order = window.counted()
    assert (texts, counts, order.tolist()) == (["b", "a", "c"], [2, 3, 1], [0, 1, 0, 2, 1, 1])
    assert window.rows == 6


def test_windows_refuse_a_distinct_column_and_keep_a_repeating_one(monkeypatch):
    monkeypatch.setattr(windows, "PROBE_ROWS", 8)
    monkeypatch.setattr(windows, "MAX_DISTINCT", 5)
    open_ = Windows()
    assert open_.take("uid", ["1", "2", "3", "4"]) is True  # taken, then refused: 4 of 4 distinct
    assert open_.refused == {"uid"} and open_.full == {"uid"}
    assert open_.take("uid", ["5", "6"]) is False  # from now on batch by batch
    assert open_.take("fio", ["Ли", "Ким", "Ли", "Ли"]) is True  # 2 of 4
    assert open_.take("fio", ["Ан", "Ли", "Ли", "Ким"]) is True  # 3 of 8: kept
    assert open_.take("city", ["A", "B", "A", "A"]) is True
    assert open_.take("city", ["C", "D", "E", "F"]) is True  # 6 of 8 distinct: refused
    ready = open_.ready(before=["fio"])  # the full ones, and those counted the usual way now
    assert list(ready) == ["uid", "fio", "city"]
    assert ready["uid"][1] == [1, 1, 1, 1]
    assert ready["fio"][:2] == (["Ли", "Ким", "Ан"], [5, 2, 1])
    assert open_.refused == {"uid", "city"} and not open_.open
    assert open_.take("fio", ["a", "b", "c", "a", "d", "e"]) is True  # 5 distinct: full
    assert list(open_.ready()) == ["fio"]
    assert open_.ready(every=True) == {} and open_.held == 0


def test_windows_are_handed_over_together_when_they_hold_too_many_values(monkeypatch):
    monkeypatch.setattr(windows, "MAX_HELD", 10)
    open_ = Windows()
    assert open_.take("a", ["x", "y", "x", "x"]) and open_.take("b", ["x", "x", "y", "y"])
    assert not open_.full and open_.held == 8
    assert open_.take("c", ["p", "q", "p"]) and open_.full == {"a", "b", "c"}
    assert list(open_.ready()) == ["a", "b", "c"] and open_.held == 0


def test_a_window_of_long_texts_is_handed_over_by_its_characters(monkeypatch):
    monkeypatch.setattr(windows, "MAX_CHARS", 1_000)
    open_ = Windows()
    assert open_.take("note", ["a" * 300, "b" * 300, "a" * 300]) is True
    assert not open_.full and open_.open["note"].chars == 600
    assert open_.take("note", ["c" * 400, "a" * 300]) is True  # 1,000 characters: full
    assert open_.full == {"note"} and "note" not in open_.refused
    texts, counts, order = open_.ready()["note"]
    assert (len(texts), counts, order.tolist()) == (3, [3, 1, 1], [0, 1, 0, 2, 0])


def _container(columns: dict[str, tuple], batches: int, rows: int) -> Container:
    def read():
        for b in range(batches):
            part = {name: values[b * rows : (b + 1) * rows] for name, values in columns.items()}
            yield ColumnBatch(part, rows)

    return Container("mem", "users", list(columns), read=read)


def _columns(rng: random.Random, n: int) -> dict[str, tuple]:
    """A name column that repeats over the whole table but hardly within a batch, a column of
    dates that changes its character half-way, distinct ids, and a column with JSON-looking
    values in some batches (value by value there, after the texts its window holds)."""
    names = [f"Ким Ольга {k}" for k in range(n // 24)]
    dates = [f"19{50 + k % 50}-01-{k % 12 + 1:02}" for k in range(600)]
    return {
        "fio": tuple(rng.choice([*names, None, "", "  ", " Ли Анна"]) for _ in range(n)),
        "birth_date": tuple(
            rng.choice([*dates, None]) if i < n // 2 else f"2000-01-{i}" for i in range(n)
        ),
        "uid": tuple(str(1000 + i) for i in range(n)),
        "note": tuple(
            rng.choice(['{"fio": "Ким Ольга"}', f"Ана {i % 7}"])
            if (i // REPEATS_MIN) % 3 == 1
            else rng.choice(["Ли", "Ахмет", *names])
            for i in range(n)
        ),
        "iin": tuple(rng.choice([900101300123, "900101300124", 7, None]) for _ in range(n)),
    }


@pytest.mark.parametrize("seed", range(4))
def test_a_full_scan_counts_windows_as_its_values(seed, monkeypatch):
    monkeypatch.setattr(windows, "PROBE_ROWS", 4 * REPEATS_MIN)
    monkeypatch.setattr(windows, "MAX_ROWS", 9 * REPEATS_MIN)
    rng = random.Random(seed)
    rows, batches = 2 * REPEATS_MIN, 16
    columns = _columns(rng, rows * batches)
    options = ScanOptions(sampling=Sampling(mode="full"))
    taken: list[tuple[str, bool]] = []
    take = Windows.take

    def spy(self, field, texts):
        took = take(self, field, texts)
        taken.append((field, took))
        return took

    monkeypatch.setattr(Windows, "take", spy)
    results = []
    for counting in (True, False):
        scanner = Scanner(_Scoring(), load_policy(), options)
        scanner.count_distinct = counting
        stats = scanner.scan_container(_container(columns, batches, rows))
        results.append((list(stats), {k: _full_view(v) for k, v in stats.items()}, stats))
        if counting:
            took = {f for f, t in taken if t}
            # the names and first dates over many batches; the ids refused after one batch
            assert {"fio", "birth_date", "note"} <= took
            # the names in two windows (``MAX_ROWS``), every batch taken
            assert [t for f, t in taken if f == "fio"] == [True] * batches
            assert [t for f, t in taken if f == "uid"] == [True] + [False] * (batches - 1)
            assert [t for f, t in taken if f == "birth_date"][-1] is False  # refused half-way
        assert scanner._windows is None  # a container's windows end with it
    assert results[0][:2] == results[1][:2]
    for name, fs in results[0][2].items():
        assert fs == results[1][2][name]
    assert results[0][2]["fio"].values_scanned == sum(1 for t in columns["fio"] if t and t.strip())


def _names_db(path, n: int = 2_400) -> list[tuple]:
    """A table of ``n`` users whose ``fio`` repeats over batches of 400 rows, not within one
    (600 names); ``city`` turns to JSON after row 1,500. Returns the rows."""
    import sqlite3

    rng = random.Random(5)
    firsts = ["Айгуль", "Болат", "Ерлан", "Ольга", "Арман", "Дана"]
    lasts = [f"Ахметов{k}" for k in range(100)]
    names = [f"{last} {first}" for last in lasts for first in firsts]
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users (id INTEGER, fio TEXT, city TEXT, phone TEXT)")
    rows = [
        (
            i,
            rng.choice([*names, None]),
            rng.choice(["Алматы", "Астана", '{"city": "Шымкент"}']) if i > 1500 else "Алматы",
            f"+7 701 {i:03} {i % 90 + 10} {i % 80 + 10}",
        )
        for i in range(n)
    ]
    con.executemany("INSERT INTO users VALUES (?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return rows


def _spy_windows(monkeypatch) -> list[tuple[int, int]]:
    """(distinct texts, values) of each window handed over from now on."""
    handed: list[tuple[int, int]] = []
    counted = Window.counted

    def spy(self):
        out = counted(self)
        handed.append((len(out[0]), self.rows))
        return out

    monkeypatch.setattr(Window, "counted", spy)
    return handed


def test_a_real_scan_over_batches_reports_what_it_reports_value_by_value(tmp_path, monkeypatch):
    """A SQLite table read in batches of 400 rows, the real Analyzer: a column of 600 names
    spans windows of several batches, and the report equals the one counted value by value
    (no window, no batch counted as distinct texts) and the one counted batch by batch."""
    from pdaudit.scanner.sources import sql

    monkeypatch.setattr(sql, "FULL_TEXT_BATCH", 400)
    path = tmp_path / "w.db"
    rows = _names_db(path)

    def report() -> dict:
        return full_report(path)

    handed = _spy_windows(monkeypatch)
    windowed = report()
    # fio: windows of several batches (about 400 distinct names of 1,500 values)
    assert any(rows > 400 and distinct < rows / 2 for distinct, rows in handed)
    fio = next(f for f in windowed["fields"] if f["field"] == "fio")
    assert [e["type"] for e in fio["entities"]] == ["PERSON"]
    assert fio["values_scanned"] == sum(1 for row in rows if row[1])
    monkeypatch.setattr(Windows, "take", lambda self, field, texts: False)
    assert report() == windowed  # batch by batch
    monkeypatch.setattr(scan, "REPEATS_SHARE", 0.0)
    assert report() == windowed  # value by value


def test_dask_pieces_gather_windows_and_report_what_one_process_reports(tmp_path, monkeypatch):
    """6,000 rows in key ranges of 1,200 (the last 8 of 300), each read in batches of 400 on a
    real Dask worker (a thread of this process, so that the batch size holds there too): a
    piece gathers the names over its batches in windows, and the merged report is the
    single-process one."""
    distributed = pytest.importorskip("distributed")
    from pdaudit.scanner.distributed import DaskScanner
    from pdaudit.scanner.sources import sql

    monkeypatch.setattr(sql, "FULL_TEXT_BATCH", 400)
    path = tmp_path / "w.db"
    _names_db(path, 6_000)
    single = full_report(path)
    handed = _spy_windows(monkeypatch)
    policy = load_policy(None)
    options = ScanOptions(sampling=Sampling(mode="full"))
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1) as client:
        scanner = DaskScanner(client, policy, options, split_rows=1_200)
        layout = scanner.layout([str(path)])
        assert [len(p.ranges or ()) for p in layout] == [3 + 8]
        scanner.submit(layout)
        try:
            merged = scan.scan([str(path)], policy, options, scanner=scanner)
        finally:
            scanner.finish()
    merged.pop("generated_at")
    for summary in merged["sources"]:
        summary.pop("seconds")
    assert merged == single
    # a piece's names: a window over its three batches, fewer texts than values
    assert any(rows > 400 and distinct < rows for distinct, rows in handed)
