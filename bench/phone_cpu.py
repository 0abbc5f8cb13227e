"""CPU time of PHONE_NUMBER on the benchmark's phone column and support messages.

    .venv/bin/python bench/phone_cpu.py /tmp/bdb/mirum-1000000.db [--repeat 3]

Reads ``users.phone`` and ``support_messages.body`` (distinct values), keeps the texts the
recognizer's declared search selects, and times ``PhoneRecognizer.findings`` over them in
batches of 4096 with ``time.process_time`` (CPU seconds: the machine may be shared). Prints,
per column, the texts handed, the texts with a finding, the CPU seconds and microseconds a text.
To compare two versions, run it alternately with ``PYTHONPATH`` naming each checkout.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))

from pdaudit.recognizers.phone_number import PhoneRecognizer  # noqa: E402
from pdaudit.scanner.analysis import Analyzer  # noqa: E402
from pdaudit.scanner.process import tune_process  # noqa: E402

COLUMNS = [("users", "phone"), ("support_messages", "body")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    tune_process()  # as the CLI does: the scan's own process settings
    analyzer = Analyzer()
    (k,) = [i for i, r in enumerate(analyzer.recognizers) if isinstance(r, PhoneRecognizer)]
    recognizer = analyzer.recognizers[k]
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as con:
        for table, column in COLUMNS:
            rows = con.execute(f"select {column} from {table}")  # noqa: S608 (fixed names)
            texts = list(dict.fromkeys(str(row[0]) for row in rows if row[0] is not None))
            index = analyzer._searches.select(texts)[k]
            texts = texts if index is None else [texts[i] for i in index]
            for _ in range(args.repeat):
                start = time.process_time()
                found = 0
                for at in range(0, len(texts), 4096):
                    batch = texts[at : at + 4096]
                    found += sum(map(bool, recognizer.findings(batch, None, [column])))
                cpu = time.process_time() - start
                print(
                    f"{table}.{column}: {len(texts)} texts, {found} with a phone, "
                    f"{cpu:.2f} s CPU, {cpu / max(len(texts), 1) * 1e6:.1f} us a text",
                    flush=True,
                )


if __name__ == "__main__":
    main()
