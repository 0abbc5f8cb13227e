"""CPU of the scan's bookkeeping around the recognizers, stage by stage (issue 15).

Reads every table of a benchmark database (``bench/synth.py``) through ``SqlSource`` (a
``--full`` read in the source's own batches: ``FULL_TEXT_BATCH`` rows for a table without BLOBs)
and hands each batch to a ``Scanner`` as ``scan()`` does, timing with ``time.process_time``:

- ``read``: the source's batches (SQLite rows, columns, converters);
- ``collect``: ``batch_documents`` and ``Scanner.collect`` (a batch's texts per field);
- ``analysis``: ``Analyzer.analyze_batch`` (deduplication, cache, searches, ``_run``) with one
  recognizer that reports one finding per text, as the e-mail, phone and IIN recognizers do in
  their columns, so the recognizers' own cost is left out;
- ``count``: ``FieldStats.add_all`` of those findings (number shapes, types, evidence, examples);
- ``third party``: ``thirdparty.count_texts`` (the relation-word search of section 2.4).

To compare two versions of the code, run this script with each version's interpreter (the
read-only checkout of main has its own ``.venv``), alternately, and compare the ratios, not
the seconds.

    .venv/bin/python bench/bookkeeping.py /tmp/bdb/mirum-1000000.db
"""

from __future__ import annotations

import argparse
import inspect
import time
from collections.abc import Sequence

from pdaudit.recognizers.base import Findings
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import Scanner, ScanOptions, batch_documents
from pdaudit.scanner.sources.sql import SqlSource
from pdaudit.scanner.thirdparty import TextCounts, count_texts


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
    analyzer = Analyzer([OneFinding()], min_score=0.4)  # type: ignore[list-item]
    options = ScanOptions(sampling=Sampling(mode="full", early_stop=None))
    scanner = Scanner(analyzer, load_policy(None), options)
    read_only = "fresh" in inspect.signature(analyzer.analyze_batch).parameters
    spent = dict.fromkeys(("read", "collect", "analysis", "count", "third party"), 0.0)
    source = SqlSource(args.db, sampling=options.sampling)
    try:
        for container in source.containers():
            stats = scanner.new_stats(container)
            batches = iter(container.read())
            while True:
                t0 = time.process_time()
                batch = next(batches, None)
                t1 = time.process_time()
                spent["read"] += t1 - t0
                if batch is None:
                    break
                batch_documents(batch, stats, container)
                pending = scanner.collect(batch, stats, container)
                t2 = time.process_time()
                spent["collect"] += t2 - t1
                for fname, texts in pending.items():
                    context = scanner._tokenize(fname)
                    t0 = time.process_time()
                    if read_only:
                        found = analyzer.analyze_batch(texts, context=context, fresh=False)
                    else:
                        found = analyzer.analyze_batch(texts, context=context)
                    t1 = time.process_time()
                    fs = stats[fname]
                    fs.add_all(texts, found)
                    t2 = time.process_time()
                    if fs.third_party_text is None:
                        fs.third_party_text = TextCounts()
                    count_texts(fs.third_party_text, texts, found)
                    t3 = time.process_time()
                    spent["analysis"] += t1 - t0
                    spent["count"] += t2 - t1
                    spent["third party"] += t3 - t2
    finally:
        source.close()
    total = sum(spent.values())
    print("  ".join(f"{k} {v:.2f} s" for k, v in spent.items()) + f"  total {total:.2f} s")


if __name__ == "__main__":
    main()
