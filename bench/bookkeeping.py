"""CPU of the scan's bookkeeping around the recognizers, stage by stage (issue 15).

Reads the ``users`` table of a benchmark database (``bench/synth.py``) column by column in
batches of 2,000 values, as ``Scanner.collect`` hands them over, and times with
``time.process_time``:

- ``analysis``: ``Analyzer.analyze_batch`` (deduplication, cache, searches, ``_run``) with one
  recognizer that reports one finding per text, as the e-mail, phone and IIN recognizers do in
  their columns, so the recognizers' own cost is left out;
- ``count``: ``FieldStats.add_all`` of those findings (number shapes, types, evidence, examples);
- ``third party``: ``thirdparty.count_texts`` (the relation-word search of section 2.4).

To compare two versions of the code, run it once per version, alternately, with the other
version on ``PYTHONPATH`` (an unpacked ``git archive`` whose ``pdaudit/{scanner,recognizers,
configs}`` are symlinks to its folders), and compare the ratios, not the seconds.

    .venv/bin/python bench/bookkeeping.py /tmp/bdb/mirum-1000000.db
"""

from __future__ import annotations

import argparse
import inspect
import sqlite3
import time
from collections.abc import Sequence

from pdaudit.recognizers.base import Findings
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.fieldnames import tokenize
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.thirdparty import TextCounts, count_texts
from pdaudit.scanner.verdicts import FieldStats

COLUMNS = ("fio", "email", "phone", "iin", "birth_date", "address", "created_at")
BATCH = 2000


class OneFinding(Findings):
    """Reports each whole text once, with one evidence word."""

    supported_entities = ["KZ_IIN"]

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None = None
    ) -> list[list[tuple]]:
        return [[("KZ_IIN", 0, len(t), 0.9, ("checksum",), ())] for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a benchmark SQLite database")
    args = parser.parse_args()
    tune_process()  # the scan's own process settings (GC thresholds): as `pdaudit` runs
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM users").fetchall()
    analyzer = Analyzer([OneFinding()], min_score=0.4)  # type: ignore[list-item]
    read_only = "fresh" in inspect.signature(analyzer.analyze_batch).parameters
    spent = {"analysis": 0.0, "count": 0.0, "third party": 0.0}
    for j, column in enumerate(COLUMNS):
        values = [str(r[j]) for r in rows if r[j] is not None]
        context = tokenize(column)
        stats = FieldStats("bench", "users", column)
        stats.third_party_text = TextCounts()
        for start in range(0, len(values), BATCH):
            texts = values[start : start + BATCH]
            t0 = time.process_time()
            if read_only:
                found = analyzer.analyze_batch(texts, context=context, fresh=False)
            else:
                found = analyzer.analyze_batch(texts, context=context)
            t1 = time.process_time()
            stats.add_all(texts, found)
            t2 = time.process_time()
            count_texts(stats.third_party_text, texts, found)
            t3 = time.process_time()
            spent["analysis"] += t1 - t0
            spent["count"] += t2 - t1
            spent["third party"] += t3 - t2
    total = sum(spent.values())
    print("  ".join(f"{k} {v:.2f} s" for k, v in spent.items()) + f"  total {total:.2f} s")


if __name__ == "__main__":
    main()
