"""Best-of-N CPU of some recognizers' ``findings`` on one column of a benchmark database.

    .venv/bin/python bench/findings_best.py /tmp/bdb/mirum-100000.db email --only Email

The column's distinct texts (in order of first appearance) go in batches of ``FULL_TEXT_BATCH`` (a
``--full`` scan's batch) through the declared searches once; then each chosen recognizer's ``findings`` reads the
texts its search selected, with the column's name as the field context, ``--runs`` times over.
Printed: each recognizer's least CPU seconds over the runs (the first run, which fills the
memos, is left out). For A/B on a shared machine: run it alternately with each version, a few
times, and compare the ratios. ``bench/recognizer_columns.py`` gives every column at once.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH

BATCH = FULL_TEXT_BATCH  # the rows of a --full scan's batch of a text table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("column", help="a column of users, or body (support_messages)")
    parser.add_argument("--only", required=True, help="class names without 'Recognizer'")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    tune_process()
    table = "support_messages" if args.column == "body" else "users"
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = con.execute(f"SELECT {args.column} FROM {table}")  # noqa: S608 (a bench script)
    texts = list(dict.fromkeys(str(r[0]) for r in rows if r[0] is not None))
    analyzer = Analyzer()
    only = set(args.only.split(","))
    names = [type(r).__name__.removesuffix("Recognizer") for r in analyzer.recognizers]
    work = []
    for s in range(0, len(texts), BATCH):
        batch = texts[s : s + BATCH]
        selected = analyzer._searches.select(batch)
        for name, find, wanted, index in zip(
            names, analyzer._finders, analyzer._wanted, selected, strict=True
        ):
            sub = batch if index is None else [batch[i] for i in index]
            if name in only and sub:
                work.append((name, find, wanted, sub))
    best: dict[str, float] = {}
    for run in range(args.runs + 1):
        spent: dict[str, float] = {}
        for name, find, wanted, sub in work:
            t0 = time.process_time()
            find(sub, wanted, [args.column])
            spent[name] = spent.get(name, 0.0) + time.process_time() - t0
        if run:
            best = {k: min(best.get(k, v), v) for k, v in spent.items()}
    print(" ".join(f"{k}={v:.4f}" for k, v in sorted(best.items())))


if __name__ == "__main__":
    main()
