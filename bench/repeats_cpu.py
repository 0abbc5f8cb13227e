"""CPU of counting a column's batches value by value against as distinct texts (issue 15).

Reads ROWS rows of each named ``users`` column of a benchmark database (``bench/synth.py``) in
batches of ``FULL_TEXT_BATCH`` rows, as a ``--full`` scan hands a text column over, and times
(best of ``--repeat``, ``time.process_time``; analysis and counting apart) per column:

- ``values``: ``Analyzer.analyze_batch`` of the batch's texts, then ``FieldStats.add_all``;
- ``counted``: ``scan.repeated_texts`` (distinct texts, counts, order), ``analyze_batch`` of the
  distinct texts, then ``FieldStats.add_counts``; a batch ``repeated_texts`` turns away
  (nearly distinct) is taken value by value, as ``Scanner.collect`` does. ``--share`` sets its
  threshold (1.0: every batch counted); ``--cardinality K`` draws each column's values at random
  from its first K distinct ones (where counting pays).

Each run uses a fresh ``Analyzer`` per column and way (its cache fills as in a scan). A digest
of each field's counts is printed (``bench/count_fields.py``'s): both ways must print the same.

    .venv/bin/python bench/repeats_cpu.py /tmp/bdb/mirum-1000000.db --rows 200000 fio birth_date
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from count_fields import digest  # noqa: E402

from pdaudit.scanner.fieldnames import tokenize  # noqa: E402
from pdaudit.scanner.policy import load_policy  # noqa: E402
from pdaudit.scanner.process import tune_process  # noqa: E402
from pdaudit.scanner.scan import (
    REPEATS_SHARE,
    ScanOptions,
    analyzer_for,
    plain_texts,
    repeated_texts,
)  # noqa: E402
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH  # noqa: E402
from pdaudit.scanner.verdicts import FieldStats  # noqa: E402


def run(
    batches: list[list[str]], column: str, counted: bool, share: float
) -> tuple[float, float, str]:
    """CPU of the analysis (with the distinct texts) and of the counting, and the digest."""
    analyzer = analyzer_for(ScanOptions(), load_policy(None))
    context = tokenize(column)
    fs = FieldStats("bench", "users", column)
    analysis = counting = 0.0
    for texts in batches:
        t0 = time.process_time()
        got = repeated_texts(texts, share) if counted else None
        if got is None:
            found = analyzer.analyze_batch(texts, context=context, fresh=False)
            t1 = time.process_time()
            fs.add_all(texts, found)
        else:
            distinct, counts, order = got
            found = analyzer.analyze_batch(distinct, context=context, fresh=False)
            t1 = time.process_time()
            fs.add_counts(distinct, counts, found, order)
        t2 = time.process_time()
        analysis += t1 - t0
        counting += t2 - t1
    return analysis, counting, digest(fs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a benchmark SQLite database")
    parser.add_argument("columns", nargs="*", default=["fio", "birth_date"])
    parser.add_argument("--rows", type=int, default=200_000, help="users rows to read")
    parser.add_argument(
        "--cardinality", type=int, default=0, help="draw the values from this many distinct ones"
    )
    parser.add_argument("--share", type=float, default=REPEATS_SHARE, help="repeated_texts' share")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way (best taken)")
    args = parser.parse_args()
    tune_process()
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    for column in args.columns:
        values = [r[0] for r in con.execute(f"SELECT {column} FROM users LIMIT {args.rows}")]
        if args.cardinality:  # the column's first K distinct values, drawn at random
            pool = list(dict.fromkeys(values))[: args.cardinality]
            rng = random.Random(0)
            values = [rng.choice(pool) for _ in values]
        batches = [
            plain_texts(values[start : start + FULL_TEXT_BATCH]) or []
            for start in range(0, len(values), FULL_TEXT_BATCH)
        ]
        best = {way: [1e9, 1e9] for way in ("values", "counted")}
        digests = {}
        for _ in range(args.repeat):
            for way, mins in best.items():
                analysis, counting, digests[way] = run(
                    batches, column, way == "counted", args.share
                )
                mins[0] = min(mins[0], analysis)
                mins[1] = min(mins[1], counting)
        line = "  ".join(f"{way} {a:6.3f} + {c:6.3f} s" for way, (a, c) in best.items())
        ratio = sum(best["counted"]) / sum(best["values"])
        print(f"{column:12s} {line}  ({ratio:.2f}x)  digests {' '.join(digests.values())}")


if __name__ == "__main__":
    main()
