"""Does a ``--workers N`` scan give the single-process report? The whole report, compared.

    .venv/bin/python bench/dask_same_report.py /tmp/bdb/mirum-100000.db [--sample]

Scans the targets in one process (``scan``) and on a local Dask cluster (``scan_distributed``),
``--full`` unless ``--sample``, and compares the two reports but for what may differ between two
runs (when it ran, how long each source took). Prints the first differing fields and exits 1
when the reports differ; also prints both runs' wall and CPU seconds (this process only: the
workers' CPU is not in it). The process tunes itself as the ``pdaudit`` command does, so the
local cluster forks its workers; ``--library-process`` leaves it untuned (workers started
afresh).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from same_report import comparable  # bench/ is this script's folder

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("targets", nargs="+")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sample", action="store_true", help="a sample, not a full read")
    ap.add_argument(
        "--library-process",
        action="store_true",
        help="do not tune this process as the pdaudit command does (workers started afresh)",
    )
    args = ap.parse_args()
    if not args.library_process:
        # As the ``pdaudit`` command does first: the local cluster forks its workers.
        from pdaudit.scanner.process import tune_process

        tune_process()

    from pdaudit.scanner.distributed import scan_distributed
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    policy = load_policy(None)
    options = ScanOptions(sampling=Sampling(mode="sample" if args.sample else "full"))
    reports = {}
    # The workers' scan first: forked workers (a tuned process) copy this process as it is.
    for name, run in (
        (
            f"--workers {args.workers}",
            lambda: scan_distributed(args.targets, policy, options, workers=args.workers),
        ),
        ("one process", lambda: scan(args.targets, policy, options)),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        reports[name] = comparable(run())
        print(
            f"{name}: {time.perf_counter() - wall:.2f} s wall, "
            f"{time.process_time() - cpu:.2f} s CPU in this process"
        )
    many, one = reports.values()
    if one == many:
        print(f"identical reports ({len(one['fields'])} fields)")
        return
    shown = 0
    for a, b in zip(one["fields"], many["fields"], strict=False):
        if a != b and shown < 5:
            print("DIFFERS", json.dumps(a, ensure_ascii=False)[:300])
            print("     vs", json.dumps(b, ensure_ascii=False)[:300])
            shown += 1
    for key in one:
        if key != "fields" and one[key] != many.get(key):
            print(f"DIFFERS in {key}")
    print("the reports differ")
    sys.exit(1)


if __name__ == "__main__":
    main()
