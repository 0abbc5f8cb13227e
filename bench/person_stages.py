"""CPU of PERSON's stages on one column of a benchmark database, per distinct text.

    .venv/bin/python bench/person_stages.py /tmp/bdb/mirum-1000000.db body [--limit 30000]

The column's distinct texts (in order of first appearance; ``body`` is support_messages.body,
any other name a column of users) go through PERSON's ``findings`` in batches of 4,096 with the
column's name as the field context, and through its stages one text at a time: the lean
tokenizer, the rules' reading (``_prepare``), and the person test (``_not_a_person``) on each
name the rules find. Printed: the best of ``--runs`` CPU times of each, in microseconds a text
(``_not_a_person``: a text with a name). The first run fills the memos and is left out. To
compare two versions, run this file with each checkout's interpreter, alternately, a few times:
``/work/wt/base/.venv/bin/python bench/person_stages.py ...`` reads that checkout's code.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable

from pdaudit.recognizers.person import PersonRecognizer
from pdaudit.recognizers.person.decision import _prepare
from pdaudit.recognizers.person.rules import _not_a_person
from pdaudit.recognizers.person.tokens import _tokenize_lean
from pdaudit.scanner.process import tune_process

BATCH = 4096


def best(runs: int, work: Callable[[], object]) -> float:
    """The least CPU seconds of ``runs`` calls of ``work`` after one call that fills memos."""
    work()
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        work()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", help="a database made by bench/synth.py")
    parser.add_argument("column", help="a column of users, or body (support_messages)")
    parser.add_argument("--limit", type=int, default=30_000, help="distinct texts read")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tune_process()
    table = "support_messages" if args.column == "body" else "users"
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    rows = con.execute(f"SELECT {args.column} FROM {table}")  # noqa: S608 (a column name)
    texts = list(dict.fromkeys(str(r[0]) for r in rows if r[0] is not None))[: args.limit]
    context = [args.column]

    def findings() -> None:
        rec = PersonRecognizer()  # no names remembered from an earlier run
        for k in range(0, len(texts), BATCH):
            rec.findings(texts[k : k + BATCH], ["PERSON"], context)

    lean = [_prepare(t, True) for t in texts]
    named = [(t, rules) for t, (_, rules, _, _) in zip(texts, lean, strict=True) if rules]

    def person_test() -> None:
        for text, rules in named:
            for m in rules:
                _not_a_person(text, m.start, m.end)

    n = len(texts)
    print(f"{table}.{args.column}: {n} texts, {len(named)} with a rule's name (us a text)")
    print(f"  findings        {best(args.runs, findings) / n * 1e6:7.2f}")
    print(
        f"  _tokenize_lean  {best(args.runs, lambda: list(map(_tokenize_lean, texts))) / n * 1e6:7.2f}"
    )
    print(
        f"  _prepare (lean) {best(args.runs, lambda: [_prepare(t, True) for t in texts]) / n * 1e6:7.2f}"
    )
    if named:
        print(f"  _not_a_person   {best(args.runs, person_test) / len(named) * 1e6:7.2f}")


if __name__ == "__main__":
    main()
