"""Columnar readers for SQLite against the raw read, and distinct values with counts per column.

    .venv/bin/python bench/readers.py DB [--repeat 3] [--batch 65536]

Each reader reads every row of every column of every table of ``DB`` read-only, streamed batch
by batch (never a whole table in memory), in the same process, one after another, best of
``--repeat`` (wall and CPU seconds):

- ``raw``: Python's ``sqlite3``, ``fetchmany(2000)``, a ``None`` test per cell: the floor that
  ``bench.py``'s ``raw`` mode measures and the 10x target is set against.
- ``adbc``: ``adbc-driver-sqlite`` (SQLite's C API into Arrow record batches), DBAPI
  ``fetch_record_batch()``, a ``mode=ro`` URI.
- ``connectorx``: ``connectorx.read_sql(..., return_type="arrow_stream")``.
- ``adbc+distinct``: ``adbc`` and, per batch and column, ``pyarrow.compute.value_counts``
  (the distinct values with their counts: what the analysis needs per batch).
- ``adbc+polars``: ``adbc`` and polars' ``value_counts`` per batch and column.

``--searches`` then times what the analysis does first with the distinct values: every declared
search of the built-in recognizers (``pdaudit.recognizers.base.Search``) over the distinct values
of each column, as the Analyzer runs it now (``pdaudit.scanner.analysis.Searches``: one polars
``select`` of every search per batch of 2,000) against one polars pass per search over the whole
array; the hit counts must agree.

The optional packages (``pip install pyarrow polars adbc-driver-sqlite connectorx``) are only
needed by the readers that use them; a missing one is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any


def tables(db: str) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in names}
    finally:
        conn.close()


def select(table: str, cols: list[str]) -> str:
    quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
    return f'SELECT {quoted} FROM "{table}"'


def read_raw(db: str, schema: dict[str, list[str]], _batch: int) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cells = 0
    for table, cols in schema.items():
        cur = conn.execute(select(table, cols))
        while part := cur.fetchmany(2000):
            cells += sum(v is not None for row in part for v in row)
    conn.close()
    return cells


def adbc_batches(db: str, schema: dict[str, list[str]], batch: int) -> Iterator[Any]:
    import adbc_driver_sqlite.dbapi as adbc

    conn = adbc.connect(f"file:{db}?mode=ro")
    try:
        for table, cols in schema.items():
            cur = conn.cursor()
            cur.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(batch)})
            cur.execute(select(table, cols))
            yield from cur.fetch_record_batch()
            cur.close()
    finally:
        conn.close()


def read_adbc(db: str, schema: dict[str, list[str]], batch: int) -> int:
    return sum(
        b.num_rows * b.num_columns - sum(c.null_count for c in b.columns)
        for b in adbc_batches(db, schema, batch)
    )


def read_connectorx(db: str, schema: dict[str, list[str]], batch: int) -> int:
    import connectorx as cx

    cells = 0
    for table, cols in schema.items():
        reader = cx.read_sql(
            f"sqlite://{os.path.abspath(db)}",
            select(table, cols),
            return_type="arrow_stream",
            batch_size=batch,
        )
        for b in reader:
            cells += b.num_rows * b.num_columns - sum(c.null_count for c in b.columns)
    return cells


def read_adbc_distinct(db: str, schema: dict[str, list[str]], batch: int) -> int:
    import pyarrow.compute as pc

    distinct = 0
    for b in adbc_batches(db, schema, batch):
        for column in b.columns:
            distinct += len(pc.value_counts(column))
    return distinct


def read_adbc_polars(db: str, schema: dict[str, list[str]], batch: int) -> int:
    import polars as pl

    distinct = 0
    for b in adbc_batches(db, schema, batch):
        frame = pl.from_arrow(b)
        assert isinstance(frame, pl.DataFrame)
        for name in frame.columns:
            distinct += frame.get_column(name).value_counts().height
    return distinct


READERS: dict[str, Callable[[str, dict[str, list[str]], int], int]] = {
    "raw": read_raw,
    "adbc": read_adbc,
    "connectorx": read_connectorx,
    "adbc+distinct": read_adbc_distinct,
    "adbc+polars": read_adbc_polars,
}


def searches(db: str, schema: dict[str, list[str]], repeat: int) -> None:
    """The search pass over the distinct values, two ways (see the module's docstring)."""
    import polars as pl

    from pdaudit.scanner.analysis import Analyzer, Searches, search_of

    analyzer = Analyzer()
    declared = list(dict.fromkeys(s for s in map(search_of, analyzer.recognizers) if s))
    the_analysis = Searches(declared)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    texts: list[str] = []
    for table, cols in schema.items():
        for col in cols:
            texts += list(
                {str(v) for (v,) in conn.execute(select(table, [col])) if v is not None and v != ""}
            )
    conn.close()
    frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})

    def per_batch() -> int:
        return sum(
            len(hit)
            for i in range(0, len(texts), 2000)
            for hit in the_analysis.hits(texts[i : i + 2000])
        )

    def polars() -> int:
        found = frame.select(the_analysis._expressions())
        return sum(int(column.sum()) for column in found.get_columns())

    print(f"{len(declared)} declared searches over {len(texts):,} distinct values")
    runs = (
        ("Searches per 2,000 (the analysis)", per_batch),
        ("polars, whole array", polars),
    )
    for name, run in runs:
        best = None
        for _ in range(repeat):
            cpu = time.process_time()
            hits = run()
            took = time.process_time() - cpu
            best = took if best is None or took < best else best
        assert best is not None
        print(
            f"{name:18} CPU {best:6.3f} s  {best / len(texts) * 1e6:5.2f} us a value  "
            f"hits {hits:,}  load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=65_536, help="rows per Arrow batch")
    ap.add_argument("--only", nargs="+", choices=sorted(READERS))
    ap.add_argument("--searches", action="store_true", help="also time the search pass")
    args = ap.parse_args()
    schema = tables(args.db)
    base = None
    for name in args.only or list(READERS):
        best = None
        try:
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                count = READERS[name](args.db, schema, args.batch)
                took = (time.perf_counter() - wall, time.process_time() - cpu)
                best = took if best is None or took[1] < best[1] else best
        except ImportError as error:
            print(f"{name:14} skipped: {error}", file=sys.stderr)
            continue
        assert best is not None
        if name == "raw":
            base = best
        ratio = f"  CPU {best[1] / base[1]:5.2f}x raw" if base else ""
        print(
            f"{name:14} wall {best[0]:6.2f} s  CPU {best[1]:6.2f} s  ({count:,}){ratio}  "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    if args.searches:
        searches(args.db, schema, args.repeat)


if __name__ == "__main__":
    main()
