"""Where the wall time of a ``--full --workers N`` scan goes: a timeline of one Dask scan.

    .venv/bin/python bench/dask_timeline.py /tmp/bdb/mirum-100000.db /tmp/bdb/mirum-1000000.db

Runs ``pdaudit.scanner.distributed.scan_distributed`` once per database (each in a fresh
interpreter, as the command line would) and prints, in wall seconds from the call and in the
driver's CPU seconds: when the cluster was up, when the driver had planned, each worker's process
start, its first piece's start and end and its last piece's end, when the driver had merged the
last piece (``scan()`` returned), when the workers' sources were closed, and when the call
returned (cluster closed). The CPU seconds of the workers are the children's (``getrusage``).

The steps are timed by wrapping the module's functions from this script (nothing in the library
is timed); a worker's pieces are timed by a wrapper of ``scan_piece`` sent to the workers.
Each scan's interpreter tunes itself first as the ``pdaudit`` command does (``tune_process``), so
its local cluster forks its workers (``fork_workers``); ``--library-process`` leaves it as a
program that calls the library would be (workers started afresh).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def child(db: str, workers: int, log_dir: str, tune: bool = True) -> dict:
    """One timed scan in this process; returns the events."""
    if tune:
        from pdaudit.scanner.process import tune_process

        tune_process()
    t0 = time.time()
    c0 = time.process_time()
    events: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:
        events.append((name, time.time() - t0, time.process_time() - c0))

    from pdaudit.scanner import distributed as mod
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import Sampling
    from pdaudit.scanner.scan import ScanOptions

    mark("imports")

    def wrap(owner: Any, attr: str, label: str) -> None:
        if not hasattr(owner, attr):
            return
        inner = getattr(owner, attr)

        def timed(*a: Any, **k: Any) -> Any:
            try:
                return inner(*a, **k)
            finally:
                mark(label)

        setattr(owner, attr, timed)

    wrap(mod, "connect", "cluster up (connect returned)")
    wrap(mod, "start_cluster", "cluster start called")
    wrap(mod.DaskScanner, "plan", "driver planned")
    wrap(mod.DaskScanner, "layout", "driver listed the pieces (layout)")
    wrap(mod.DaskScanner, "submit", "pieces submitted")
    wrap(mod, "scan", "last piece merged (scan returned)")
    wrap(mod.DaskScanner, "finish", "workers' sources closed")

    merging = [0.0]

    def merged(attr: str) -> None:
        inner = getattr(mod, attr)

        def timed(*a: Any, **k: Any) -> Any:
            t = time.thread_time()
            try:
                return inner(*a, **k)
            finally:
                merging[0] += time.thread_time() - t

        setattr(mod, attr, timed)

    merged("merge_piece")
    merged("merge_pieces")
    # The task's function is looked up by name in the worker's own module. A function held by
    # this wrapper would travel by value (cloudpickle: ``scan_piece`` names the wrapper now)
    # with a copy of the module's globals, so every piece would build its own analyser (an
    # empty cache) and open its own source: the pieces of ``users`` then took 2-3x the CPU.
    mod._untimed_scan_piece = mod.scan_piece  # type: ignore[attr-defined]

    def timed_piece(*a: Any, **k: Any) -> Any:
        import psutil

        from pdaudit.scanner import distributed

        # A forked worker has the attribute; one started afresh has the original scan_piece.
        piece = getattr(distributed, "_untimed_scan_piece", distributed.scan_piece)
        w0, p0 = time.time(), time.process_time()
        try:
            return piece(*a, **k)
        finally:
            pid = os.getpid()
            line = {
                "pid": pid,
                "born": psutil.Process(pid).create_time(),
                "start": w0,
                "end": time.time(),
                "cpu": time.process_time() - p0,
                "cpu_end": time.process_time(),
            }
            with open(os.path.join(log_dir, f"{pid}.jsonl"), "a") as fh:
                fh.write(json.dumps(line) + "\n")

    mod.scan_piece = timed_piece  # type: ignore[assignment]
    options = ScanOptions(sampling=Sampling(mode="full"))
    report = mod.scan_distributed([db], load_policy(None), options, workers=workers)
    mark("returned (cluster closed)")
    pieces = []
    for path in Path(log_dir).glob("*.jsonl"):
        pieces += [json.loads(x) for x in path.read_text().splitlines()]
    return {
        "t0": t0,
        "events": events,
        "pieces": pieces,
        "cpu_children": _cpu_children(),
        "cpu_self": time.process_time(),
        "cpu_main_thread": time.thread_time(),
        "cpu_merging": merging[0],
        "fields": len(report["fields"]),
    }


def show(db: str, r: dict) -> None:
    t0 = r["t0"]
    print(f"== {db}: {r['fields']} fields")
    for name, wall, cpu in r["events"]:
        print(f"  {wall:7.2f} s wall  {cpu:6.2f} s driver CPU  {name}")
    by_pid: dict[int, list[dict]] = {}
    for p in r["pieces"]:
        by_pid.setdefault(p["pid"], []).append(p)
    for n, (_pid, ps) in enumerate(sorted(by_pid.items())):
        ps.sort(key=lambda p: p["start"])
        busy = sum(p["end"] - p["start"] for p in ps)
        print(
            f"  worker {n}: born {ps[0]['born'] - t0:6.2f}  first piece {ps[0]['start'] - t0:6.2f}"
            f"-{ps[0]['end'] - t0:6.2f} ({ps[0]['cpu']:.2f} CPU)  last end {ps[-1]['end'] - t0:6.2f}"
            f"  pieces {len(ps)}  busy {busy:6.2f} s  CPU in pieces {sum(p['cpu'] for p in ps):.2f}"
            f"  CPU at last end {ps[-1]['cpu_end']:.2f}"
        )
    ends = [p["end"] - t0 for p in r["pieces"]]
    if ends:
        print(f"  last piece end {max(ends):.2f} s")
    total = r["events"][-1][1]
    cpu = r["cpu_self"] + r["cpu_children"]
    print(
        f"  driver CPU: main thread {r['cpu_main_thread']:.2f} s (merging pieces "
        f"{r['cpu_merging']:.2f} s), other threads (scheduler, nannies, client) "
        f"{r['cpu_self'] - r['cpu_main_thread']:.2f} s"
    )
    print(
        f"  total {total:.2f} s wall; CPU driver {r['cpu_self']:.2f} + children "
        f"{r['cpu_children']:.2f} = {cpu:.2f} s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dbs", nargs="+")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", help="also write the timelines here")
    ap.add_argument(
        "--library-process",
        action="store_true",
        help="do not tune the scan's process as the pdaudit command does (fresh workers)",
    )
    args = ap.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as log_dir:
            print(json.dumps(child(args.dbs[0], args.workers, log_dir, not args.library_process)))
        return
    out = {}
    print(f"load: {os.getloadavg()}")
    for db in args.dbs:
        cmd = [sys.executable, __file__, "--child", "--workers", str(args.workers), db]
        if args.library_process:
            cmd.append("--library-process")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(proc.stderr[-3000:])
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        show(db, r)
        out[db] = r
    print(f"load: {os.getloadavg()}")
    if args.json:
        Path(args.json).write_text(json.dumps(out), "utf-8")


if __name__ == "__main__":
    main()
