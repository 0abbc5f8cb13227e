"""CPU of ``resolve_overlaps`` (``scanner/analysis.py``) on the support messages' findings.

    .venv/bin/python bench/overlaps_cpu.py /tmp/bdb/mirum-1000000.db [--rows 60000] [--repeat 5]

Every recognizer reads the first ``--rows`` distinct messages (their declared searches first,
as the Analyzer runs them); the messages with two findings or more (a name, a phone, an e-mail:
about half of them) are resolved with ``resolve_overlaps``, best of ``--repeat`` runs, CPU
seconds. Compare two versions by running this alternately with each one's interpreter.
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from pdaudit.scanner.analysis import Analyzer, Entity, resolve_overlaps
from pdaudit.scanner.process import tune_process
from pdaudit.scanner.sources.sql import FULL_TEXT_BATCH

BATCH = FULL_TEXT_BATCH  # the rows of a --full scan's batch of a text table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tune_process()
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = con.execute("SELECT body FROM support_messages LIMIT ?", (args.rows,))
    texts = list(dict.fromkeys(str(r[0]) for r in rows if r[0] is not None))
    analyzer = Analyzer()
    crowded: list[tuple[list[Entity], str]] = []
    for s in range(0, len(texts), BATCH):
        batch = texts[s : s + BATCH]
        found: list[list[Entity]] = [[] for _ in batch]
        selected = analyzer._searches.select(batch)
        for find, wanted, idx in zip(analyzer._finders, analyzer._wanted, selected, strict=True):
            index = range(len(batch)) if idx is None else idx
            if not index:
                continue
            for i, tuples in zip(
                index, find([batch[i] for i in index], wanted, ["body"]), strict=True
            ):
                found[i] += [Entity(*t) for t in tuples]
        crowded += [(ents, text) for ents, text in zip(found, batch, strict=True) if len(ents) > 1]
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.process_time()
        for ents, text in crowded:
            resolve_overlaps(ents, text)
        best = min(best, time.process_time() - t0)
    print(f"{len(crowded)} of {len(texts)} messages with 2+ findings: {best:.3f} s")


if __name__ == "__main__":
    main()
