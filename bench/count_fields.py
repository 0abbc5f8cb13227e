"""CPU of the counting of real findings, field by field (issue 15).

Reads the first ROWS rows of each ``users`` column (and a tenth as many support messages) of a
benchmark database (``bench/synth.py``), analyses them once with the built-in recognizers in
batches of ``FULL_TEXT_BATCH`` rows (as a ``--full`` scan hands a text field over), and then times, best of 3 with
``time.process_time``, ``FieldStats.add_all`` (number shapes, types, evidence, examples) and
``thirdparty.count_texts`` (section 2.4) of those findings per field. A short digest of each
field's counts is printed first: two versions of the code that count alike print the same.

Run it with each version's interpreter, alternately (the read-only checkout of main has its
own ``.venv``), and compare the ratios:

    .venv/bin/python bench/count_fields.py /tmp/bdb/mirum-1000000.db --rows 200000
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import time

from pdaudit.scanner.fieldnames import tokenize
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.scan import ScanOptions, analyzer_for, plain_texts
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH
from pdaudit.scanner.thirdparty import TextCounts, count_texts
from pdaudit.scanner.verdicts import FieldStats

COLUMNS = ("fio", "email", "phone", "iin", "birth_date", "address", "created_at")
BATCH = FULL_TEXT_BATCH  # the rows of a --full scan's batch of a text table


def digest(fs: FieldStats) -> str:
    """A short hash of everything a field's counts hold."""
    types = sorted(
        (k, v.matches, v.score_sum, list(v.evidence.items()), v.examples, v.roles)
        + (sorted(v.distinct), list(v.texts.items()), v.in_prose)
        for k, v in fs.types.items()
    )
    third = fs.third_party_text
    held = (fs.values_scanned, types, list(fs.shapes.items()), fs.pairs, fs.steps)
    held += (fs.first_number, fs.last_number, dict(fs.name_parts), fs.name_part_examples)
    held += (third.values, third.examples) if third is not None else ()
    return hashlib.md5(repr(held).encode()).hexdigest()[:10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a benchmark SQLite database")
    parser.add_argument("--rows", type=int, default=200_000, help="users rows to read")
    args = parser.parse_args()
    tune_process()
    analyzer = analyzer_for(ScanOptions(), load_policy(None))
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    data = {
        c: [r[0] for r in con.execute(f"SELECT {c} FROM users LIMIT {args.rows}")] for c in COLUMNS
    }
    limit = args.rows // 10
    data["body"] = [r[0] for r in con.execute(f"SELECT body FROM support_messages LIMIT {limit}")]
    batches: dict[str, list] = {}
    for column, values in data.items():
        context = tokenize(column)
        batches[column] = []
        for start in range(0, len(values), BATCH):
            texts = plain_texts(values[start : start + BATCH]) or []
            batches[column].append((texts, analyzer.analyze_batch(texts, context=context)))
    best: dict[str, list[float]] = {}
    for rep in range(3):
        for column, pairs in batches.items():
            fs = FieldStats("bench", "users", column)
            fs.third_party_text = TextCounts()
            t0 = time.process_time()
            for texts, found in pairs:
                fs.add_all(texts, found)
            t1 = time.process_time()
            for texts, found in pairs:
                count_texts(fs.third_party_text, texts, found)
            t2 = time.process_time()
            old = best.setdefault(column, [9e9, 9e9])
            best[column] = [min(old[0], t1 - t0), min(old[1], t2 - t1)]
            if rep == 0:
                print(f"{column:12s} counts {digest(fs)}")
    print("field        add_all  count_texts (CPU s, best of 3)")
    for column, (count, third) in best.items():
        print(f"{column:12s} {count:7.3f}  {third:7.3f}")
    total = [sum(b[0] for b in best.values()), sum(b[1] for b in best.values())]
    print(f"{'total':12s} {total[0]:7.3f}  {total[1]:7.3f}")


if __name__ == "__main__":
    main()
