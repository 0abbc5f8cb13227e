"""CPU of ``distinct_shapes`` (``scanner/digit_blind.py``) on each column of a benchmark database.

    .venv/bin/python bench/shapes_cpu.py /tmp/bdb/mirum-1000000.db [--rows 400000] [--repeat 3]

The first ``--rows`` values of each column of ``users``, in batches of ``FULL_TEXT_BATCH`` (as a
``--full`` scan hands a text field over), best of ``--repeat`` runs, CPU seconds. Compare two versions by running this
alternately with each one's interpreter.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from pdaudit.scanner.digit_blind import distinct_shapes
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH

COLUMNS = ("fio", "email", "phone", "iin", "birth_date", "address", "created_at")
BATCH = FULL_TEXT_BATCH  # the rows of a --full scan's batch of a text table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tune_process()
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    for column in COLUMNS:
        rows = con.execute(f"SELECT {column} FROM users LIMIT ?", (args.rows,))  # noqa: S608
        values = [str(r[0]) for r in rows if r[0] is not None]
        batches = [values[s : s + BATCH] for s in range(0, len(values), BATCH)]
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.process_time()
            for batch in batches:
                distinct_shapes(batch)
            best = min(best, time.process_time() - t0)
        shapes = sum(len(distinct_shapes(b)[0]) for b in batches) / len(batches)
        print(f"{column:12s} {best:6.3f} s  shapes a batch {shapes:7.1f}")


if __name__ == "__main__":
    main()
