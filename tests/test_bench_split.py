"""bench/bench.py's ``full_no_recognizers`` mode: the scan around the analysis, and its count."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():  # noqa: ANN201
    saved = list(sys.path)
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench as module  # it puts the repository and bench/ on sys.path: undone below
    finally:
        sys.path[:] = saved
    return module


def _db(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, fio TEXT, note TEXT)")
    conn.executemany(
        "INSERT INTO users VALUES (?, ?, ?)",
        [
            (1, "Иванов Иван Иванович", "ИИН 900101300215"),
            (2, "Иванов Иван Иванович", "ИИН 900101300215"),
            (3, "Сапарова Айгерім Қанатқызы", None),
            (4, None, ""),
            (5, "Петров Пётр", "позвоните +7 701 123 45 67"),
        ],
    )
    conn.commit()
    conn.close()
    return str(path)


def test_full_no_recognizers_counts_each_distinct_text_once_per_field(
    bench, tmp_path: Path
) -> None:  # noqa: ANN001
    db = _db(tmp_path / "split.db")
    bare = bench.mode_scan(db, full=True, recognizers=False)
    # ids 1-5; fio: 3 distinct names; note: 2 distinct non-empty texts (the empty one is not run)
    assert bare["analysed_texts"] == 5 + 3 + 2
    # every non-NULL cell is a value scanned: 5 ids, 4 names, 3 notes (the empty one too)
    assert bare["values"] == 12
    assert bare["fields"] == {}
    assert bare["errors"] == []
    full = bench.mode_scan(db, full=True)
    assert "analysed_texts" not in full
    assert full["values"] == bare["values"]
    assert full["fields"] == {
        "users.fio": ["PERSON"],
        "users.note": ["KZ_IIN", "PHONE_NUMBER"],
    }


def test_print_split_reports_both_shares(bench, capsys) -> None:  # noqa: ANN001
    bench.print_split(
        {
            "raw": {"seconds": 2.0},
            "full": {"seconds": 70.0},
            "full_no_recognizers": {"seconds": 10.0, "analysed_texts": 6_000_000},
        }
    )
    out = capsys.readouterr().out
    assert out == (
        "full scan without recognizers (read, deduplicate, cache, count, report): 10.00 s = "
        "5.0x the raw read; the recognizers, full minus that: 60.0 s over 6,000,000 analysed "
        "texts = 10.0 us a text\n"
    )
