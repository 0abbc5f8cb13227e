"""The scan's bookkeeping around the analysis: each shortcut against the path it stands for.

- ``ColumnBatch.types``: the reader's types of each column's values, which ``plain_texts`` and
  ``batch_documents`` take instead of asking each value again;
"""

from __future__ import annotations

import random
import sqlite3

import pytest
from test_read_fastpath import TRICKY, _NoAnalysis, _pending_view

from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.scan import Scanner, ScanOptions, batch_documents, plain_texts
from pdaudit.scanner.sources.sql import _CONVERTERS, ColumnBatch, SqlSource, _convert_typed


@pytest.mark.parametrize("kind", sorted(_CONVERTERS))
def test_convert_typed_says_the_types_of_what_it_returns(kind):
    rng = random.Random(kind)
    for size in (1, 3, 10, len(TRICKY)):
        values = tuple(rng.choice(TRICKY) for _ in range(size))
        converted, types = _convert_typed(kind, values)
        assert list(converted) == [_CONVERTERS[kind](v) for v in values]
        assert types == set(map(type, converted))


@pytest.mark.parametrize("seed", range(40))
def test_plain_texts_with_types_is_plain_texts(seed):
    rng = random.Random(seed)
    pool = TRICKY if seed % 2 else [v for v in TRICKY if v is None or type(v) in (str, int)]
    values = [rng.choice(pool) for _ in range(rng.randint(0, 30))]
    assert plain_texts(values, frozenset(map(type, values))) == plain_texts(values)


def test_sqlite_batches_carry_their_types_and_collect_the_same(tmp_path):
    db = tmp_path / "t.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (fio TEXT, iin TEXT, note TEXT, doc BLOB)")
    rng = random.Random(7)
    rows = [
        (
            rng.choice(["Ким Ольга", None, "", " Ли "]),
            rng.choice(["900101300123", 900101300123, None]),
            rng.choice(['{"fio": "Ким"}', "мой сын Арман", None, 12.5]),
            rng.choice([None, b"\x00bin", "текст"]),
        )
        for _ in range(57)
    ]
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    source = SqlSource(f"sqlite:///{db}", batch_size=10)
    try:
        (container,) = list(source.containers())
        batches = list(container.read())
    finally:
        source.close()
    assert sum(map(len, batches)) == len(rows)
    scanner = Scanner(_NoAnalysis(), load_policy(), ScanOptions())
    for batch in batches:
        assert batch.types is not None
        assert batch.types == {n: set(map(type, v)) for n, v in batch.columns.items()}
        plain = ColumnBatch(batch.columns, len(batch))  # the same batch, types not said
        assert batch_documents(batch, {}, container) == batch_documents(plain, {}, container)
        views = []
        for form in (batch, plain):
            stats = scanner.new_stats(container)
            views.append(_pending_view(scanner.collect(form, stats, container)))
        assert views[0] == views[1]
