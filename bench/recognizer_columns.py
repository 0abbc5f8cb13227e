"""CPU of each recognizer on each column of a benchmark database, over its distinct texts.

    .venv/bin/python bench/recognizer_columns.py /tmp/bdb/mirum-1000000.db [--only Person,Address]

Every text column of ``users`` and ``support_messages.body``: the column's distinct texts (in
order of first appearance) go in batches of 4,096 through the declared searches (one polars
pass, as the Analyzer runs them) and then to each recognizer's ``findings`` with the texts its
search selected and the column's name as the field context. Printed per column: the searches'
CPU seconds, and per recognizer the texts handed, the texts with a finding and its CPU seconds.
A recognizer keeps its memos from batch to batch and column to column, as in a scan. Compare
two versions by running this alternately with each, a few times (the machine is shared: trust
ratios more than seconds).
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.process import tune_process

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
BATCH = 4096


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("--only", help="recognizer class names without 'Recognizer', by commas")
    parser.add_argument("--columns", help="column names, by commas (default: all)")
    args = parser.parse_args()
    tune_process()
    only = set(args.only.split(",")) if args.only else None
    columns = set(args.columns.split(",")) if args.columns else None
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    analyzer = Analyzer()
    names = [type(r).__name__.removesuffix("Recognizer") for r in analyzer.recognizers]
    totals: dict[str, float] = {}
    for table, column in COLUMNS:
        if columns and column not in columns:
            continue
        rows = con.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (fixed names)
        texts = list(dict.fromkeys(str(r[0]) for r in rows if r[0] is not None))
        searched = 0.0
        spent = [0.0] * len(names)
        handed = [0] * len(names)
        hits = [0] * len(names)
        for s in range(0, len(texts), BATCH):
            batch = texts[s : s + BATCH]
            t0 = time.process_time()
            selected = analyzer._searches.select(batch)
            searched += time.process_time() - t0
            for k, (find, wanted, idx) in enumerate(
                zip(analyzer._finders, analyzer._wanted, selected, strict=True)
            ):
                if only and names[k] not in only:
                    continue
                sub = batch if idx is None else [batch[i] for i in idx]
                if not sub:
                    continue
                t0 = time.process_time()
                found = find(sub, wanted, [column])
                spent[k] += time.process_time() - t0
                handed[k] += len(sub)
                hits[k] += sum(1 for f in found if f)
        line = f"{table}.{column:12s} n={len(texts):7d} search={searched:5.2f}"
        for k, name in enumerate(names):
            if handed[k]:
                totals[name] = totals.get(name, 0.0) + spent[k]
                line += f" {name}:{handed[k]}/{hits[k]}/{spent[k]:.2f}"
        print(line, flush=True)
    print(" ".join(f"{n}={t:.2f}" for n, t in sorted(totals.items(), key=lambda x: -x[1])))


if __name__ == "__main__":
    main()
