"""CPU of each declared search pattern over the distinct texts of benchmark columns.

    .venv/bin/python bench/search_cost.py /tmp/bdb/mirum-1000000.db [--columns email,address,body]

Every recognizer's ``Search`` is split into its tests (``pattern``, ``also``, ``unless``); each
test's ``str.contains`` runs alone over the column's distinct texts in batches of 4,096 (one
polars ``select`` per batch, as ``Searches`` runs them) and its CPU seconds are printed, with
how many texts it holds for; then ``Searches.hits`` over the same batches (the whole cost as the
analysis pays it). Compare two versions by running this alternately with each.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

import polars as pl

from pdaudit.scanner.analysis import Analyzer, Searches, search_of
from pdaudit.scanner.process import tune_process

COLUMNS = {
    "fio": "users",
    "email": "users",
    "phone": "users",
    "iin": "users",
    "birth_date": "users",
    "address": "users",
    "created_at": "users",
    "body": "support_messages",
}
BATCH = 4096


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("--columns", default="email,address,body", help="column names, by commas")
    parser.add_argument("--repeat", type=int, default=1, help="runs per test (the least counts)")
    args = parser.parse_args()
    tune_process()
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    analyzer = Analyzer()
    tests: dict[str, pl.Expr] = {}
    for recognizer in analyzer.recognizers:
        search = search_of(recognizer)
        if search is None:
            continue
        name = type(recognizer).__name__.removesuffix("Recognizer")
        for part in ("pattern", "also", "unless"):
            pattern = getattr(search, part)
            if pattern is not None:
                tests.setdefault(f"{name}.{part}", pl.col("t").str.contains(pattern))
    for column in args.columns.split(","):
        table = COLUMNS[column]
        rows = con.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        texts = list(dict.fromkeys(str(r[0]) for r in rows if r[0] is not None))
        frames = [
            pl.DataFrame({"t": texts[s : s + BATCH]}, schema={"t": pl.String})
            for s in range(0, len(texts), BATCH)
        ]
        print(f"{table}.{column}: {len(texts):,} distinct texts")
        costs = []
        for name, expr in tests.items():
            best = float("inf")
            held = 0
            for _ in range(args.repeat):
                start = time.process_time()
                held = sum(int(f.select(expr).to_series().sum()) for f in frames)
                best = min(best, time.process_time() - start)
            costs.append((best, name, held))
        for cost, name, held in sorted(costs, reverse=True):
            print(f"  {name:28} {cost:6.3f} s  holds for {held:,}")
        print(f"  {'(sum)':28} {sum(c[0] for c in costs):6.3f} s")
        best = float("inf")
        for _ in range(args.repeat):
            searches = Searches([search_of(r) for r in analyzer.recognizers])
            start = time.process_time()
            for s in range(0, len(texts), BATCH):
                searches.hits(texts[s : s + BATCH], [column])
            best = min(best, time.process_time() - start)
        print(f"  {'Searches.hits':28} {best:6.3f} s")


if __name__ == "__main__":
    main()
