"""Local Dask workers forked from a process that tuned itself: the same report, the same settings.

``local_cluster`` forks its workers (``fork_workers``) on Linux in a process that ran
``tune_process`` before numpy loaded and that runs no thread Python did not start (polars' pool
once it has loaded); elsewhere they start afresh (``tests/test_distributed.py``, whose pytest
process loaded numpy first, covers that way). A forked cluster is started in a fresh Python
(``_fresh``): this pytest process runs polars' pool.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

distributed = pytest.importorskip("distributed")

from test_distributed import FULL, NO_DOCUMENTS, POLICY, SPLIT  # noqa: E402

from pdaudit.scanner.distributed import (  # noqa: E402
    MONITOR_INTERVAL,
    SYSTEM_MONITOR_INTERVAL,
    fork_workers,
    local_cluster,
)
from pdaudit.scanner.process import GC_THRESHOLDS  # noqa: E402
from pdaudit.scanner.scan import ScanOptions  # noqa: E402

linux = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _spawned() -> bool:
    """Whether this process was started afresh by multiprocessing's spawn (not forked): the
    command line it was started with (``sys.argv`` is the parent's in both)."""
    with open("/proc/self/cmdline", "rb") as fh:
        return b"--multiprocessing-fork" in fh.read()


FORKED_SETUP = """
import gc, json, os
from pdaudit.scanner.process import tune_process
tune_process()
import dask, distributed
from pdaudit.scanner.distributed import local_cluster

def cmdline():
    with open("/proc/self/cmdline", "rb") as fh:
        return fh.read()

driver = cmdline()
spawned = lambda: cmdline() != driver  # a forked worker was started with the driver's command

cluster = local_cluster(2, fork=True)
with distributed.Client(cluster) as c:
    every = lambda f: sorted(c.run(f).values())
    got = {
        "spawned": every(spawned),
        "omp": every(lambda: os.environ.get("OMP_NUM_THREADS")),
        "polars": every(lambda: __import__("polars").thread_pool_size()),
        "gc": every(gc.get_threshold),
        "tick": every(lambda dask_worker: dask_worker.periodic_callbacks["tick"].callback_time),
        "profile": every(lambda dask_worker: "profile" in dask_worker.periodic_callbacks),
        "memory": every(
            lambda dask_worker: dask_worker.periodic_callbacks["memory_monitor"].callback_time
        ),
        "system": every(lambda dask_worker: dask_worker.periodic_callbacks["monitor"].callback_time),
        "scheduler": c.run_on_scheduler(
            lambda dask_scheduler: dask_scheduler.periodic_callbacks["monitor"].callback_time
        ),
        "nannies": sorted(
            n.periodic_callbacks["memory_monitor"].callback_time
            for n in cluster.workers.values()
        ),
        "driver": dask.config.get("distributed.worker.memory.monitor-interval"),
    }
cluster.close()
print(json.dumps(got))
"""


@linux
def test_forked_workers_are_set_up_as_fresh_ones():
    """Forked (from a fresh, tuned process: ``native_threads``), and set up as a fresh worker
    is: one OpenMP thread, one polars thread (``WORKER_POLARS_THREADS``), the GC thresholds of
    pdaudit's processes, no profiler, the event loop checked once a second; the nannies and
    workers read their memory every ``MONITOR_INTERVAL`` and the servers sample their system
    every ``SYSTEM_MONITOR_INTERVAL`` (Dask: 100 ms, 500 ms)."""
    assert (MONITOR_INTERVAL, SYSTEM_MONITOR_INTERVAL) == ("1s", "2s")
    assert json.loads(_fresh(FORKED_SETUP)) == {
        "spawned": [False, False],
        "omp": ["1", "1"],
        "polars": [1, 1],
        "gc": [list(GC_THRESHOLDS)] * 2,
        "tick": [1000, 1000],
        "profile": [False, False],
        "memory": [1000, 1000],
        "system": [2000, 2000],
        "scheduler": 2000,
        "nannies": [1000, 1000],
        "driver": "100ms",  # the driver's own setting is left as it was
    }


@linux
def test_spawned_workers_are_not_forked():
    cluster = local_cluster(1, fork=False)
    with distributed.Client(cluster) as c:
        assert list(c.run(_spawned).values()) == [True]
    cluster.close()


def _fresh(code: str, **env: str) -> str:
    """What ``code`` prints, run by a new Python; it must exit 0."""
    import os

    environ = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"} | env
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=environ
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


TUNE_THEN_ASK = (
    "from pdaudit.scanner.process import tune_process\n"
    "tune_process()\n"
    "from pdaudit.scanner.distributed import fork_workers\n"
    "print(fork_workers())\n"
)


@linux
def test_only_a_process_tuned_before_numpy_forks_its_workers():
    assert _fresh(TUNE_THEN_ASK) == "True"
    assert _fresh(TUNE_THEN_ASK, OMP_NUM_THREADS="4") == "False"  # numpy runs 4 threads here
    assert _fresh(TUNE_THEN_ASK, OMP_NUM_THREADS="1") == "True"
    assert _fresh("import numpy\n" + TUNE_THEN_ASK) == "False"  # loaded before: threads unknown
    untuned = "from pdaudit.scanner.distributed import fork_workers\nprint(fork_workers())\n"
    assert _fresh(untuned, OMP_NUM_THREADS="1") == "False"
    assert fork_workers() is False  # this test process: numpy loaded before any tuning


@linux
def test_scan_distributed_forks_before_it_opens_a_source(demo_db):
    """In a tuned process ``scan_distributed`` starts its forked cluster first (no source of the
    driver is open as the workers are forked) and gives the single-process report."""
    code = (
        "import json\n"
        "from pdaudit.scanner.process import tune_process\n"
        "tune_process()\n"
        "from pdaudit.scanner import distributed as mod\n"
        "from pdaudit.scanner.policy import load_policy\n"
        "from pdaudit.scanner.sampling import Sampling\n"
        "from pdaudit.scanner.scan import ScanOptions, scan\n"
        "events = []\n"
        "connect, open_source = mod.connect, mod.open_source\n"
        "def spy_connect(*a, **k):\n"
        "    events.append(f\"connect fork={k.get('fork')}\")\n"
        "    return connect(*a, **k)\n"
        "def spy_open(*a, **k):\n"
        "    events.append('open')\n"
        "    return open_source(*a, **k)\n"
        "mod.connect, mod.open_source = spy_connect, spy_open\n"
        "policy = load_policy(None)\n"
        "options = ScanOptions(sampling=Sampling(mode='full'), exclude=['*documents*'],\n"
        "                      entities=['KZ_IIN', 'PHONE_NUMBER'])\n"
        f"got = mod.scan_distributed([{str(demo_db)!r}], policy, options, workers=2,\n"
        f"                           split_rows={SPLIT})\n"
        f"want = scan([{str(demo_db)!r}], policy, options)\n"
        "from pdaudit.scanner.sampling import EarlyStop\n"
        "sample = ScanOptions(sampling=Sampling(mode='sample', early_stop=EarlyStop()),\n"
        "                     exclude=['*documents*'])\n"
        f"got_sample = mod.scan_distributed([{str(demo_db)!r}], policy, sample, workers=2)\n"
        f"want_sample = scan([{str(demo_db)!r}], policy, sample)\n"
        "for r in (got, want, got_sample, want_sample):\n"
        "    r.pop('generated_at')\n"
        "    r['sources'] = [{k: v for k, v in s.items() if k != 'seconds'} for s in r['sources']]\n"
        "print(json.dumps([events[:2], got == want, got_sample == want_sample, len(got['fields'])]))\n"
    )
    events, full_equal, sample_equal, fields = json.loads(_fresh(code))
    assert events == ["connect fork=True", "open"]
    assert (full_equal, sample_equal) == (True, True)
    assert fields > 0


ENDED_FOREIGN_THREADS = """
import _thread, json, threading, time
from pdaudit.scanner.process import tune_process
tune_process()
from pdaudit.scanner import distributed as mod
done = []
for _ in range(3):  # threads not started by threading that ask for current_thread(), and end
    _thread.start_new_thread(lambda: done.append(threading.current_thread().name), ())
while len(done) < 3:
    time.sleep(0.01)
time.sleep(0.2)
before = [mod.native_threads(), mod.fork_workers()]
import polars as pl
pl.Series([1, 2, 3]).sum()
print(json.dumps([before, [mod.native_threads() > 0, mod.fork_workers()]]))
"""


@linux
def test_ended_foreign_threads_do_not_hide_a_native_pool():
    """``threading`` keeps a record of a foreign thread that asked for ``current_thread()``
    after it has ended: counted as a live thread, three such records hid polars' pool."""
    assert json.loads(_fresh(ENDED_FOREIGN_THREADS)) == [[0, True], [True, False]]


POLARS_THEN_SCAN = """
import json, sys
from pdaudit.scanner.process import tune_process
tune_process()
from pdaudit.scanner import distributed as mod
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import ScanOptions, scan
before = (mod.fork_workers(), mod.native_threads())
import polars as pl
frame = pl.DataFrame({"n": list(range(200_000))}).with_columns(s=pl.col("n").cast(pl.String))
frame.select(pl.col("s").str.contains("12").sum())  # runs on the pool polars started as it loaded
after = (mod.fork_workers(), mod.native_threads() > 0)
options = ScanOptions(sampling=Sampling(mode="full"), exclude=["*documents*"],
                      entities=["KZ_IIN", "PHONE_NUMBER"])
got = mod.scan_distributed([sys.argv[1]], load_policy(None), options, workers=2)
want = scan([sys.argv[1]], load_policy(None), options)
for r in (got, want):
    r.pop("generated_at")
    r["sources"] = [{k: v for k, v in s.items() if k != "seconds"} for s in r["sources"]]
print(json.dumps([before, after, got == want]))
"""


@linux
def test_a_process_that_ran_polars_starts_its_workers_afresh(demo_db):
    """Workers forked from a process whose polars thread pool has started waited forever for
    it in their first query: such a process (``native_threads``) starts them afresh, and its
    scan ends with the single-process report (within ``_fresh``'s time limit)."""
    before, after, equal = json.loads(
        _fresh(POLARS_THEN_SCAN.replace("sys.argv[1]", repr(str(demo_db))))
    )
    assert before == [True, 0]
    assert after == [False, True]
    assert equal is True


def test_plan_submits_each_container_as_it_is_listed(demo_db):
    """``plan`` submits a container's pieces before it lists the next container (the workers
    scan the first table while the driver counts the rows of the next), the same pieces as
    ``layout`` lists."""
    from pdaudit.scanner.distributed import DaskScanner

    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    log: list[tuple[str, str]] = []

    class Recording:
        def submit(self, fn, scan_id, target, opts, policy, name, key_range, **kw):  # noqa: ANN001, ANN003, ANN201
            log.append(("submit", name))
            return len(log)

    class Listing(DaskScanner):
        def ranges(self, source, name):  # noqa: ANN001, ANN201
            log.append(("ranges", name))
            return super().ranges(source, name)

    layout = Listing(None, POLICY, options, split_rows=SPLIT).layout([str(demo_db)])
    log.clear()
    Listing(Recording(), POLICY, options, split_rows=SPLIT).plan([str(demo_db)])
    want = []
    for planned in layout:
        want.append(("ranges", planned.name))
        want += [("submit", planned.name)] * len(planned.ranges or [None])
    assert log == want
    assert len(layout) > 2 and any(p.ranges for p in layout)
