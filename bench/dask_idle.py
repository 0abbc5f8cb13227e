"""CPU an idle local Dask cluster spends: the driver (scheduler, nannies, client) and each worker.

    .venv/bin/python bench/dask_idle.py --seconds 15 --repeat 2 --tick 20ms
    .venv/bin/python bench/dask_idle.py --busy 20000000 --repeat 2 --tick 20ms
    .venv/bin/python bench/dask_idle.py --busy 40000000 --repeat 2 --monitors

Starts ``local_cluster(2)`` as ``scan_distributed`` does, lets it idle for ``--seconds`` and
prints the CPU seconds the driver process and each worker spent meanwhile (``getrusage`` in the
worker, through ``client.run``). ``--tick 20ms`` sets the event loop check back to Dask's default
(``TICK_INTERVAL`` replaced from this script) for an A/B; the two alternate with ``--repeat``.
What an idle cluster spends, a busy one spends too, for every second of a scan's wall time.
``--busy N`` gives each worker a task of ``N`` steps of pure Python instead and prints the
driver's CPU meanwhile and each worker's process CPU against its task thread's: what the
worker's other threads take meanwhile. ``--monitors`` compares with Dask's memory and system
monitor intervals (100 ms, 500 ms) instead of ``MONITOR_INTERVAL``/``SYSTEM_MONITOR_INTERVAL``.
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


def _work(steps: int) -> tuple[float, float]:
    """A fixed amount of pure Python: (process CPU, this thread's CPU) it took."""
    p, t = _cpu(), time.thread_time()
    d: dict[int, str] = {}
    for i in range(steps):
        d[i % 1000] = str(i)
    return _cpu() - p, time.thread_time() - t


def idle(
    seconds: float, tick: str | None, busy: int = 0, monitors: bool = False
) -> tuple[float, list[float]]:
    import distributed

    from pdaudit.scanner import distributed as mod

    saved = mod.TICK_INTERVAL, mod.MONITOR_INTERVAL, mod.SYSTEM_MONITOR_INTERVAL
    if tick:
        mod.TICK_INTERVAL = tick
    if monitors:
        mod.MONITOR_INTERVAL, mod.SYSTEM_MONITOR_INTERVAL = "100ms", "500ms"
    try:
        cluster = mod.local_cluster(2)
    finally:
        mod.TICK_INTERVAL, mod.MONITOR_INTERVAL, mod.SYSTEM_MONITOR_INTERVAL = saved
    with distributed.Client(cluster) as client:
        time.sleep(1)
        if busy:
            c0 = time.process_time()
            futures = [client.submit(_work, busy, pure=False) for _ in range(2)]
            done = client.gather(futures)
            driver = time.process_time() - c0
            cluster.close()
            return driver, [x for pair in done for x in pair]
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
    ap.add_argument("--busy", type=int, default=0, help="steps of a busy task on each worker")
    ap.add_argument("--monitors", action="store_true", help="compare with Dask's monitor intervals")
    args = ap.parse_args()
    arms: list[str | None] = [None, args.tick] if args.tick else [None]
    if args.monitors:
        arms = [None, "monitors"]
    print(f"load: {os.getloadavg()}")
    for _ in range(args.repeat):
        for tick in arms:
            monitors = tick == "monitors"
            driver, workers = idle(
                args.seconds, None if monitors else tick, args.busy, monitors=monitors
            )
            label = "Dask's monitor intervals" if monitors else f"tick {tick}" if tick else ""
            label = label or "as pdaudit starts it"
            if args.busy:
                pairs = [workers[i : i + 2] for i in range(0, len(workers), 2)]
                each = ", ".join(f"{p:.2f}/{t:.2f}" for p, t in pairs)
                print(
                    f"{label}: busy workers, CPU s process/task thread: {each}; "
                    f"driver {driver:.2f} s CPU meanwhile"
                )
                continue
            each = " ".join(f"{w:.3f}" for w in workers)
            print(
                f"{label}: {args.seconds:g} s idle, CPU s driver {driver:.3f}, workers {each}; "
                f"{(driver + sum(workers)) / args.seconds:.4f} CPU s a wall second"
            )
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
