"""CPU time of PHONE_NUMBER on the benchmark's phone column and support messages.

    .venv/bin/python bench/phone_cpu.py /tmp/bdb/mirum-1000000.db [--repeat 3]

Reads ``users.phone`` and ``support_messages.body`` (distinct values), keeps the texts the
recognizer's declared search selects, and times ``PhoneRecognizer.findings`` over them in
batches of 4096 with ``time.process_time`` (CPU seconds: the machine may be shared). Prints,
per column, the texts handed, the texts with a finding, the CPU seconds and microseconds a text.
``--against OLD.py`` loads another version of ``recognizers/phone_number.py`` (say
``git show main:recognizers/phone_number.py > /tmp/old.py``) beside this one and times the two
alternately in the same process, checking that they give the same findings.
"""

from __future__ import annotations

import argparse
import importlib.util
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
    parser.add_argument("--against", help="another phone_number.py to time alternately")
    args = parser.parse_args()
    tune_process()  # as the CLI does: the scan's own process settings
    analyzer = Analyzer()
    (k,) = [i for i, r in enumerate(analyzer.recognizers) if isinstance(r, PhoneRecognizer)]
    versions = {"": analyzer.recognizers[k]}
    if args.against:
        spec = importlib.util.spec_from_file_location("phone_against", args.against)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        versions = {"this ": versions[""], "against ": module.PhoneRecognizer()}
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as con:
        for table, column in COLUMNS:
            rows = con.execute(f"select {column} from {table}")  # noqa: S608 (fixed names)
            texts = list(dict.fromkeys(str(row[0]) for row in rows if row[0] is not None))
            index = analyzer._searches.select(texts)[k]
            texts = texts if index is None else [texts[i] for i in index]
            for run in range(args.repeat):
                found = {}
                # Alternate which version goes first.
                for name in list(versions)[:: 1 if run % 2 == 0 else -1]:
                    found[name] = _timed(versions[name], texts, column, f"{name}{table}.{column}")
                if len(found) == 2 and found["this "] != found["against "]:
                    raise SystemExit(f"{table}.{column}: the two versions' findings differ")


def _timed(recognizer: PhoneRecognizer, texts: list[str], column: str, label: str) -> list:
    """The findings of ``texts`` in batches of 4096; prints the CPU time they took."""
    start = time.process_time()
    found = []
    for at in range(0, len(texts), 4096):
        found += recognizer.findings(texts[at : at + 4096], None, [column])
    cpu = time.process_time() - start
    print(
        f"{label}: {len(texts)} texts, {sum(map(bool, found))} with a phone, "
        f"{cpu:.2f} s CPU, {cpu / max(len(texts), 1) * 1e6:.1f} us a text",
        flush=True,
    )
    return found


if __name__ == "__main__":
    main()
