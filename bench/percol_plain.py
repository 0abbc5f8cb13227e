"""CPU seconds each number/date/e-mail recognizer spends on each column of the benchmark DB.

    .venv/bin/python bench/percol_plain.py /tmp/bdb/mirum-1000000.db [REPS] [col,col,...]

Per column: the distinct values in batches of 4,096, each batch's declared searches run as the
analysis runs them, then, per recognizer, ``texts handed/texts with findings/CPU s`` (the least
of REPS runs). Run two checkouts one after the other, several times, and compare ratios.
"""

import sqlite3
import sys
import time

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.process import tune_process

tune_process()
db = sys.argv[1]
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 1
want = {"RuInn", "RuSnils", "DateOfBirth", "KzIin", "Email", "CreditCard"}
con = sqlite3.connect(db)
an = Analyzer()
cols = [("users", c) for c in ["email", "phone", "iin", "created_at", "birth_date"]]
cols.append(("support_messages", "body"))
if len(sys.argv) > 3:
    cols = [c for c in cols if c[1] in sys.argv[3].split(",")]
for tab, col in cols:
    rows = con.execute(f"select {col} from {tab}")  # noqa: S608 - the benchmark's own names
    texts = list(dict.fromkeys(str(r[0]) for r in rows if r[0] is not None))
    ctx = [col]
    batches = []
    for s in range(0, len(texts), 4096):
        batch = texts[s : s + 4096]
        batches.append((batch, an._searches.select(batch)))
    line = f"{tab}.{col:10s} n={len(texts):7d}"
    for k, (r, find, wanted) in enumerate(
        zip(an.recognizers, an._finders, an._wanted, strict=True)
    ):
        name = type(r).__name__.removesuffix("Recognizer")
        if name not in want:
            continue
        best = None
        for _ in range(reps):
            t0 = time.process_time()
            nf = nt = 0
            for batch, selected in batches:
                i = selected[k]
                sub = batch if i is None else [batch[j] for j in i]
                if sub:
                    nt += len(sub)
                    nf += sum(1 for f in find(sub, wanted, ctx) if f)
            dt = time.process_time() - t0
            best = dt if best is None else min(best, dt)
        if nt:
            line += f" {name}:{nt}/{nf}/{best:.2f}"
    print(line, flush=True)
