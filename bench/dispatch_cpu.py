"""CPU of the analysis around the recognizers: ``Analyzer.analyze_batch`` less their ``findings``.

    .venv/bin/python bench/dispatch_cpu.py /tmp/bdb/mirum-1000000.db [--columns email,iin]

Every text column of ``users`` and ``support_messages.body`` goes, in reading order and in
batches of ``FULL_TEXT_BATCH`` values (as a ``--full`` scan hands a text field over), through the scan's
``Analyzer`` (``min_score`` 0.4, the field name's tokens as context, ``fresh=False``). Printed per
column, CPU seconds (``time.process_time``): the whole ``analyze_batch``, the declared searches
(``Searches.select``), the recognizers' ``findings``, and the rest (the cache, the in-batch
dedupe, the subsets, an ``Entity`` per finding, the overlaps): what ``scanner/analysis.py`` and
``scanner/digit_blind.py`` spend. Compare two versions by running this script alternately with
each one's interpreter (``/path/to/other/.venv/bin/python bench/dispatch_cpu.py ...``): the
machine is shared, trust ratios more than seconds.

``--named N`` times only the searches (``Searches.select``) over each column's batches, with the
field named (``select(texts, context)``, which lets a field whose shapes do not repeat skip
shaping) and without (every batch shaped), alternately, best of N, each run with fresh
``Searches``.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.fieldnames import tokenize
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH

COLUMNS = [
    ("users", "fio"),
    ("users", "email"),
    ("users", "phone"),
    ("users", "iin"),
    ("users", "birth_date"),
    ("users", "address"),
    ("users", "created_at"),
    ("support_messages", "body"),
]
BATCH = FULL_TEXT_BATCH  # the rows of a --full scan's batch of a text table


class Clock:
    """Adds up the CPU of the calls it wraps."""

    def __init__(self) -> None:
        self.spent = 0.0

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.spent += time.process_time() - t0

        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("--columns", help="column names, by commas (default: all)")
    parser.add_argument("--named", type=int, default=0, metavar="N", help="see the docstring")
    args = parser.parse_args()
    tune_process()
    columns = set(args.columns.split(",")) if args.columns else None
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    if args.named:
        named_searches(con, columns, args.named)
        return
    analyzer = Analyzer(min_score=0.4)
    searches, finders = Clock(), Clock()
    analyzer._searches.select = searches.wrap(analyzer._searches.select)  # type: ignore[method-assign]
    analyzer._finders = [finders.wrap(f) for f in analyzer._finders]
    totals = [0.0, 0.0, 0.0]
    for table, column in COLUMNS:
        if columns and column not in columns:
            continue
        rows = con.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        values = [str(r[0]) for r in rows if r[0] is not None]
        context = tokenize(column)
        searches.spent = finders.spent = 0.0
        whole = 0.0
        for s in range(0, len(values), BATCH):
            batch = values[s : s + BATCH]
            t0 = time.process_time()
            analyzer.analyze_batch(batch, context=context, fresh=False)
            whole += time.process_time() - t0
        rest = whole - searches.spent - finders.spent
        for k, v in enumerate((whole, searches.spent, rest)):
            totals[k] += v
        print(
            f"{table}.{column:12s} n={len(values):8d} analysis={whole:6.2f} "
            f"search={searches.spent:5.2f} findings={finders.spent:6.2f} rest={rest:5.2f}"
        )
    print(f"total analysis={totals[0]:6.2f} search={totals[1]:5.2f} rest={totals[2]:5.2f}")
    print(f"search+rest={totals[1] + totals[2]:5.2f}")


def named_searches(con: sqlite3.Connection, columns: set[str] | None, repeat: int) -> None:
    for table, column in COLUMNS:
        if columns and column not in columns:
            continue
        rows = con.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        values = [str(r[0]) for r in rows if r[0] is not None]
        batches = [list(dict.fromkeys(values[s : s + BATCH])) for s in range(0, len(values), BATCH)]
        context = tokenize(column)
        best = {"named": float("inf"), "unnamed": float("inf")}
        for _ in range(repeat):
            for way in best:
                searches = Analyzer()._searches
                field = context if way == "named" else None
                t0 = time.process_time()
                for batch in batches:
                    searches.select(batch, field)
                best[way] = min(best[way], time.process_time() - t0)
        print(f"{table}.{column:12s} searches: field named {best['named']:5.2f} s, "
              f"not named {best['unnamed']:5.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
