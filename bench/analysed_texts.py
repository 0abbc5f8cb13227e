"""How many texts of each field a ``--full`` scan (or ``--sample``: the default sampled one)
hands to the recognizers (``Analyzer._run``): in one process, or summed over the workers of
``--workers N``.

    .venv/bin/python bench/analysed_texts.py /tmp/bdb/mirum-1000000.db
    .venv/bin/python bench/analysed_texts.py /tmp/bdb/mirum-1000000.db --workers 2 --include users

A count, not a time: it does not move with the machine's speed. The texts the cache, the
windows (``scanner.windows``) and the deduplication of a batch keep from the recognizers are
the difference between a field's values and its count; a Dask scan analyses more where its
workers' pieces cannot share what one process shares. Forked workers inherit the counting
(the ``pdaudit`` command's way of starting them: ``tune_process`` first); each writes its
counts to a temporary folder after every piece.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

COUNTS: collections.Counter[str] = collections.Counter()
CALLS: collections.Counter[str] = collections.Counter()
#: Where each process writes its counts (made by ``main``, before the workers fork).
OUT = Path()
#: ``distributed.scan_piece`` itself, which ``_counting_piece`` stands in for.
PIECE: Any = None


def _dump() -> None:
    data = {"texts": COUNTS, "calls": CALLS}
    (OUT / f"{os.getpid()}.json").write_text(json.dumps(data))


def _counting_piece(*args: Any, **kwargs: Any) -> Any:
    # Pickled by value into the workers: it reaches the worker's own (forked) copy of this
    # module, whose ``Analyzer._run`` counts, through ``sys.modules``.
    main = sys.modules["__main__"]
    result = main.PIECE(*args, **kwargs)
    main._dump()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target")
    parser.add_argument("--workers", type=int, default=0, help="Dask workers (0: one process)")
    parser.add_argument("--include", nargs="*", default=(), help="tables to scan (all)")
    parser.add_argument("--sample", action="store_true", help="a sampled scan, not --full")
    args = parser.parse_args()
    global OUT
    OUT = Path(tempfile.mkdtemp(prefix="pdaudit-analysed-"))
    try:
        count(args)
    finally:
        shutil.rmtree(OUT, ignore_errors=True)


def count(args: argparse.Namespace) -> None:
    """Run the scan ``args`` describe with ``Analyzer._run`` counting, and print the sums."""
    global PIECE
    from pdaudit.scanner.process import tune_process

    tune_process()
    from pdaudit.scanner import analysis
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import EarlyStop, Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    run = analysis.Analyzer._run

    def counted(self: Any, texts: list[str], context: list[str]) -> Any:
        field = " ".join(context)
        COUNTS[field] += len(texts)
        CALLS[field] += 1
        return run(self, texts, context)

    analysis.Analyzer._run = counted  # type: ignore[method-assign]
    policy = load_policy(None)
    options = ScanOptions(
        sampling=Sampling(mode="sample" if args.sample else "full", early_stop=EarlyStop()),
        include=tuple(args.include),
    )
    if args.workers:
        from pdaudit.scanner import distributed

        PIECE = distributed.scan_piece
        distributed.scan_piece = _counting_piece  # type: ignore[assignment]
        distributed.scan_distributed([args.target], policy, options, workers=args.workers)
    else:
        scan([args.target], policy, options)
        _dump()
    texts: collections.Counter[str] = collections.Counter()
    calls: collections.Counter[str] = collections.Counter()
    files = sorted(OUT.glob("*.json"))
    for path in files:
        data = json.loads(path.read_text())
        texts.update(data["texts"])
        calls.update(data["calls"])
    where = f"{args.workers} workers" if args.workers else "one process"
    print(f"{args.target}, {where} ({len(files)} processes counted)")
    for field, n in texts.most_common():
        print(f"{n:10,d} texts {calls[field]:6,d} batches  {field or '(no name)'}")
    print(f"{sum(texts.values()):10,d} texts in all")


if __name__ == "__main__":
    main()
