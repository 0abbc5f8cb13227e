"""Settings of pdaudit's own processes: the CLI's and the Dask workers it starts.

Library modules change no process-wide state on import or in a call (``tests/test_offline.py``);
a program that runs pdaudit chooses these for itself. ``tune_process`` is what the ``pdaudit``
command calls first, and what a worker of ``pdaudit.scanner.distributed.local_cluster`` runs as
its Dask preload (``dask_setup``).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import Any

#: The cyclic collector's thresholds in pdaudit's own processes. A scan keeps the analyser's
#: cache (200,000 texts with their entities) alive and allocates a few objects per value; with
#: Python's default thresholds (700, 10, 10) the collector walks that cache again and again:
#: ``--full`` on 100,000 users took 1.44x the CPU seconds with the defaults (20.7 against 15.4 s,
#: three alternating runs each), the same peak memory.
GC_THRESHOLDS = (500_000, 20, 100)

#: Set by ``tune_process`` when numpy was not loaded yet and OMP_NUM_THREADS is 1: numpy (and
#: natasha's code on it) then runs one OpenMP thread here and in every process forked from here.
_ONE_THREAD = False


def tune_process() -> None:
    """One OpenMP thread (natasha's numpy code is 5-6x slower with several; only before numpy
    loads, and not where the user chose), the collector's ``GC_THRESHOLDS`` (never lowered,
    and left off where collection is off), and the heap frozen out of the collector as the
    process exits (``gc.freeze`` at exit, registered once): the interpreter's final collections
    would walk the analyser's caches again (``pdaudit scan --full`` of 100,000 users, five
    alternating pairs: 7.9-10.1 s, 7.5-8.3 s frozen; 0.76-0.96x)."""
    global _ONE_THREAD
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    if "numpy" not in sys.modules:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        _ONE_THREAD = os.environ["OMP_NUM_THREADS"] == "1"
    current = gc.get_threshold()
    if current[0]:
        gc.set_threshold(*(max(a, b) for a, b in zip(GC_THRESHOLDS, current, strict=True)))


def one_openmp_thread() -> bool:
    """Whether ``tune_process`` ran in this process before numpy loaded, with one OpenMP thread:
    a process forked from this one (a worker of ``distributed.local_cluster``) has numpy loaded
    that way too, as a worker started afresh does (Dask gives it OMP_NUM_THREADS=1)."""
    return _ONE_THREAD


#: polars' thread pool in a worker of ``local_cluster``: one thread. A worker is one of as
#: many single-threaded processes as the machine has cores; a pool of a thread per core in each
#: of them (polars' default) only makes the workers' searches contend for the cores.
#: ``--workers 2`` on the 1M benchmark, three alternating pairs: 0.963x the wall time
#: (0.907-0.987x), 0.953x the CPU.
WORKER_POLARS_THREADS = "1"


def dask_setup(worker: Any = None) -> None:
    """Dask's preload hook: a worker process started by ``local_cluster`` tunes itself, gives
    polars ``WORKER_POLARS_THREADS`` unless the user chose a size (polars reads
    ``POLARS_MAX_THREADS`` once, as it loads: later, in a worker), and imports the scan's
    modules while it starts (not when its first piece arrives: the local cluster starts while
    the driver plans, ``scan_distributed``)."""
    tune_process()
    if "polars" not in sys.modules:
        os.environ.setdefault("POLARS_MAX_THREADS", WORKER_POLARS_THREADS)
    import pdaudit.scanner.distributed  # noqa: F401


def dask_teardown(worker: Any = None) -> None:
    """Dask's preload hook at the worker's close: the objects the scan left (the analyser and
    its cache) are frozen out of the cyclic collector, whose collections at the interpreter's
    exit would walk them all again: a process that scanned 100,000 users took 2.0 s to exit,
    0.2 s with them frozen. The process is ending: what it still allocates is not frozen."""
    gc.freeze()
