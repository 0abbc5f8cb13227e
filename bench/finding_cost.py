"""CPU of a --full scan's per-value steps around the recognizers, column by column (issue 15).

Reads the first ROWS values of each named column of a benchmark database (``bench/synth.py``),
then, best of REPEAT with ``time.process_time``, as ``Scanner`` does for a text field:
``Analyzer.analyze_batch(texts, context, fresh=False)`` over batches of ``FULL_TEXT_BATCH``
values (a fresh analyser each time: the cache starts empty, as in a scan), then
``FieldStats.add_all`` and ``thirdparty.count_texts`` of those findings. ``analyze`` includes the
recognizers; the column with every value a finding (``users.iin``) shows what a finding costs
around them. A digest of each field's counts is printed first: two versions of the code that
count alike print the same.

Run it with each version's interpreter, alternately, and compare the ratios:

    .venv/bin/python bench/finding_cost.py /tmp/bdb/mirum-1000000.db users.iin users.phone
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from count_fields import digest  # noqa: E402

from pdaudit.scanner.fieldnames import tokenize  # noqa: E402
from pdaudit.scanner.policy import load_policy  # noqa: E402
from pdaudit.scanner.process import tune_process  # noqa: E402
from pdaudit.scanner.scan import ScanOptions, analyzer_for, plain_texts  # noqa: E402
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH  # noqa: E402
from pdaudit.scanner.thirdparty import TextCounts, count_texts  # noqa: E402
from pdaudit.scanner.verdicts import FieldStats  # noqa: E402

COLUMNS = ("users.iin", "users.phone", "users.email", "users.address", "users.created_at")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a benchmark SQLite database")
    parser.add_argument("columns", nargs="*", default=COLUMNS, help="table.column ...")
    parser.add_argument("--rows", type=int, default=1_000_000, help="values read per column")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tune_process()
    policy = load_policy(None)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    best: dict[str, list[float]] = {}
    for name in args.columns:
        table, column = name.split(".")
        rows = con.execute(f"SELECT {column} FROM {table} LIMIT {args.rows}")
        values = [r[0] for r in rows]
        batches = [
            plain_texts(values[start : start + FULL_TEXT_BATCH]) or []
            for start in range(0, len(values), FULL_TEXT_BATCH)
        ]
        del values
        context = tokenize(column)
        for rep in range(args.repeat):
            analyzer = analyzer_for(ScanOptions(), policy)
            analyzer.analyze_batch(["warm 900101300123"], context=["warm"])
            fs = FieldStats("bench", table, column)
            fs.third_party_text = TextCounts()
            t0 = time.process_time()
            found = [analyzer.analyze_batch(t, context=context, fresh=False) for t in batches]
            t1 = time.process_time()
            for texts, ents in zip(batches, found, strict=True):
                fs.add_all(texts, ents)
            t2 = time.process_time()
            for texts, ents in zip(batches, found, strict=True):
                count_texts(fs.third_party_text, texts, ents)
            t3 = time.process_time()
            old = best.setdefault(name, [9e9, 9e9, 9e9])
            best[name] = [min(old[0], t1 - t0), min(old[1], t2 - t1), min(old[2], t3 - t2)]
            if rep == 0:
                print(f"{name:24s} counts {digest(fs)}", flush=True)
            del found
    print(f"{'column':24s} analyze  add_all  count_texts (CPU s, best of {args.repeat})")
    for name, (analyze, count, third) in best.items():
        print(f"{name:24s} {analyze:7.3f}  {count:7.3f}  {third:7.3f}")


if __name__ == "__main__":
    main()
