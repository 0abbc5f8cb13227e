"""What starting and closing a local Dask cluster costs, with forked or freshly started workers.

    .venv/bin/python bench/dask_start.py --repeat 3

Each run is a fresh interpreter that tunes itself as the ``pdaudit`` command does
(``tune_process``), imports the scanner, then starts ``local_cluster(2, fork=...)`` and closes it.
Prints, per run: the start's wall seconds (until a client is connected: the workers have run
their preload), the driver's CPU seconds meanwhile (all its threads: scheduler, nannies), each
worker's CPU seconds when it is ready (``getrusage`` in the worker: its interpreter, imports and
preload), and the close's wall seconds. The two ways alternate, ``--repeat`` times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(fork: bool, workers: int) -> dict:
    from pdaudit.scanner.process import tune_process

    tune_process()
    import distributed

    from pdaudit.scanner.distributed import local_cluster

    t0, c0 = time.perf_counter(), time.process_time()
    cluster = local_cluster(workers, fork=fork)
    client = distributed.Client(cluster)
    t1, c1 = time.perf_counter(), time.process_time()
    ready = client.run(_cpu)
    client.close()
    cluster.close()
    t2 = time.perf_counter()
    return {
        "start": t1 - t0,
        "driver_cpu": c1 - c0,
        "workers_cpu": sorted(ready.values()),
        "close": t2 - t1,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--child", choices=("fork", "spawn"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child == "fork", args.workers)))
        return
    print(f"load: {os.getloadavg()}")
    for _ in range(args.repeat):
        for way in ("spawn", "fork"):
            cmd = [sys.executable, __file__, "--child", way, "--workers", str(args.workers)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode:
                raise SystemExit(proc.stderr[-3000:])
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            each = ", ".join(f"{c:.2f}" for c in r["workers_cpu"])
            print(
                f"{way:5s}: start {r['start']:5.2f} s wall, driver {r['driver_cpu']:.2f} s CPU, "
                f"workers ready at {each} s CPU; close {r['close']:.2f} s wall"
            )
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
