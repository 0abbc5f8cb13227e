"""CPU an idle local Dask cluster spends: the driver (scheduler, nannies, client) and each worker.

    .venv/bin/python bench/dask_idle.py --seconds 15 --repeat 2

Starts ``local_cluster(2)`` as ``scan_distributed`` does, lets it idle for ``--seconds`` and
prints the CPU seconds the driver process and each worker spent meanwhile (``getrusage`` in the
worker, through ``client.run``). ``--tick 20ms`` sets the event loop check back to Dask's default
(``TICK_INTERVAL`` replaced from this script) for an A/B; the two alternate with ``--repeat``.
What an idle cluster spends, a busy one spends too, for every second of a scan's wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def idle(seconds: float, tick: str | None) -> tuple[float, list[float]]:
    import distributed

    from pdaudit.scanner import distributed as mod

    saved = mod.TICK_INTERVAL
    if tick:
        mod.TICK_INTERVAL = tick
    try:
        cluster = mod.local_cluster(2)
    finally:
        mod.TICK_INTERVAL = saved
    with distributed.Client(cluster) as client:
        time.sleep(1)
        c0, w0 = time.process_time(), client.run(_cpu)
        time.sleep(seconds)
        c1, w1 = time.process_time(), client.run(_cpu)
    cluster.close()
    return c1 - c0, [w1[k] - w0[k] for k in w0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--tick", help="compare with this event loop check interval (Dask: 20ms)")
    args = ap.parse_args()
    arms = [None, args.tick] if args.tick else [None]
    print(f"load: {os.getloadavg()}")
    for _ in range(args.repeat):
        for tick in arms:
            driver, workers = idle(args.seconds, tick)
            label = f"tick {tick}" if tick else "as pdaudit starts it"
            each = " ".join(f"{w:.3f}" for w in workers)
            print(
                f"{label}: {args.seconds:g} s idle, CPU s driver {driver:.3f}, workers {each}; "
                f"{(driver + sum(workers)) / args.seconds:.4f} CPU s a wall second"
            )
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
