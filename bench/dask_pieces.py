"""CPU of a ``--full`` scan cut into Dask's pieces, without Dask: what the pieces cost themselves.

    .venv/bin/python bench/dask_pieces.py /tmp/bdb/mirum-1000000.db --mode pieces
    .venv/bin/python bench/dask_pieces.py /tmp/bdb/mirum-1000000.db --mode one

``--mode one`` scans the database in this process (``scan``); ``--mode pieces`` lists the pieces
as ``scan_distributed`` does (``DaskScanner.layout``) and runs every piece's task
(``scan_piece``) one after another in this process, then merges them in reading order
(``merge_pieces``/``merge_piece``), as the driver does. The difference between the two modes'
CPU is what cutting the scan into pieces costs (per-piece set-up, windows not gathered,
merging), without Dask's own costs (scheduler, heartbeats, serialisation) or a second process.
Prints CPU seconds per stage; run the modes alternately, several times, on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db")
    ap.add_argument("--mode", choices=("one", "pieces"), default="pieces")
    args = ap.parse_args()

    from pdaudit.scanner.process import tune_process

    tune_process()
    c0 = time.process_time()
    from pdaudit.scanner import distributed as mod
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    policy = load_policy(None)
    options = ScanOptions(sampling=Sampling(mode="full"))
    c1 = time.process_time()
    print(f"imports {c1 - c0:.2f} s CPU")
    if args.mode == "one":
        report = scan([args.db], policy, options)
        print(f"scan {time.process_time() - c1:.2f} s CPU, {len(report['fields'])} fields")
        return
    scanner = mod.DaskScanner(None, policy, options)
    layout = scanner.layout([args.db])
    c2 = time.process_time()
    pieces = sum(len(p.ranges or [None]) for p in layout)
    print(f"layout {c2 - c1:.2f} s CPU, {pieces} pieces")
    results = []
    first = None
    for planned in layout:
        for key_range in planned.ranges or [None]:
            t = time.process_time()
            result = mod.scan_piece(
                scanner.scan_id,
                planned.target,
                scanner.task_options,
                policy,
                planned.name,
                key_range,
            )
            if first is None:
                first = time.process_time() - t
            results.append((planned, result))
    c3 = time.process_time()
    print(f"pieces {c3 - c2:.2f} s CPU (the first {first:.2f} s: builds the analyser)")
    mod.close_sources(scanner.scan_id)
    by_container: dict[tuple[str, str], list] = {}
    for planned, result in results:
        by_container.setdefault((planned.source, planned.name), []).append(result)
    from pdaudit.scanner.sources import Container

    for (source, name), rs in by_container.items():
        container = Container(source=source, name=name, fields=[], read=lambda: iter(()))
        stats: dict = {}
        if len(rs) == 1:
            mod.merge_pieces(container, rs, stats)
        else:
            for r in rs:
                mod.merge_piece(container, r, stats)
    print(f"merge {time.process_time() - c3:.2f} s CPU")
    print(f"total {time.process_time() - c1:.2f} s CPU after imports")


if __name__ == "__main__":
    main()
