"""Scan with a Dask cluster: the workers read and analyse the containers themselves.

The driver lists each source's containers and turns them into pieces: a whole container (a
table, a file, a document), or in ``--full`` mode a key range of a big table
(``SqlSource.key_ranges``). Each piece is a task naming the target string, the container and the
range; the worker re-opens the target with the same ``ScanOptions`` (its own read-only
connection), scans its piece with the ordinary ``Scanner`` and returns the per-field
``FieldStats``. The driver merges them in container and key order, so the report equals a
single-process report:

- a sampled table is one piece, so the early stop happens where it does in one process;
- ranges are only used where a full read goes in key order, and merging counts in that order keeps
  the first examples, evidence order and reasons; the sums of scores are exact
  (``verdicts.exact_scores``), so even the last bit of a confidence agrees.

    report = scan_distributed(["sqlite:///mirum.db"], policy, options, workers=2)
    report = scan_distributed(targets, policy, options, scheduler="tcp://10.0.0.5:8786")

Dask is the optional extra ``pdaudit[dask]``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.policy import Policy
from pdaudit.scanner.scan import (
    Scanner,
    ScanOptions,
    _one_line,
    analyzer_for,
    expand_targets,
    open_source,
    scan,
)
from pdaudit.scanner.sources import Container, ContainerError, NotScanned, SourceError
from pdaudit.scanner.verdicts import FieldStats

INSTALL_HINT = "Dask is not installed: pip install pdaudit[dask]"
#: Rows per piece when a big table is split (``--full`` only); smaller tables stay whole. A piece
#: gathers the values that repeat over its batches in windows (``scanner.windows``) as one
#: process does over the table; at 25,000 rows (three batches) windows did not pay and pieces
#: cost 1.15x one process's CPU (bench/README.md, "late night: Dask pieces gather windows").
SPLIT_ROWS = 100_000
#: A split table's last ``TAIL_PIECES`` pieces are cut ``TAIL_PARTS`` times finer, so that the
#: scan does not end on one worker's long piece while the others wait (``DaskScanner.ranges``).
TAIL_PIECES = 2
TAIL_PARTS = 4
#: How often the servers of a local cluster check that their event loop runs (Dask: 20 ms).
TICK_INTERVAL = "1s"
#: How often a local cluster's nannies and workers read their memory (Dask: 100 ms), and how
#: often its servers sample their CPU, memory and I/O for the dashboard (Dask: 500 ms).
MONITOR_INTERVAL = "1s"
SYSTEM_MONITOR_INTERVAL = "2s"


class DistributedError(SourceError):
    """Dask is missing or the cluster cannot be reached (a one-line message, like a SourceError)."""


def _require_dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise DistributedError(INSTALL_HINT) from None
    return distributed


def fork_workers() -> bool:
    """Whether ``local_cluster`` forks its workers from this process instead of starting fresh
    interpreters: on Linux, in a process that tuned itself (``process.one_openmp_thread``: the
    ``pdaudit`` command, or a program that called ``tune_process`` first).

    A forked worker inherits the imports it needs (Dask, pdaudit, presidio, spaCy): a fresh one
    spent 1.5 s of CPU and ~3 s of wall time importing them before it took its first piece
    (``bench/dask_start.py``). A process whose numpy may run several OpenMP threads spawns its
    workers afresh (natasha is 5-6x slower with several), and so does macOS, where forking a
    process with threads is unsafe.

    Nor does a process that runs a thread Python did not start (``native_threads``): a native
    library's thread pool, such as the one polars starts as it loads, is not copied into a forked
    child, whose first query then waits for it forever. The ``pdaudit`` command forks before it
    loads polars."""
    from pdaudit.scanner.process import one_openmp_thread

    return sys.platform == "linux" and one_openmp_thread() and native_threads() == 0


def native_threads() -> int:
    """How many threads of this process no live ``threading`` thread stands for (Linux: the
    thread ids listed in ``/proc/self/task``; elsewhere -1, unknown): a native library's pool
    (polars, OpenMP, BLAS). Ids, not counts: ``threading`` keeps a record of a foreign thread
    that once asked for ``current_thread()`` after that thread has ended."""
    import os
    import threading

    try:
        tasks = {int(tid) for tid in os.listdir("/proc/self/task")}
    except OSError:
        return -1
    return len(tasks - {t.native_id for t in threading.enumerate()})


def local_cluster(workers: int, fork: bool | None = None) -> Any:
    """A local Dask cluster of ``workers`` single-threaded processes (no dashboard), forked from
    this process when ``fork`` (None: ``fork_workers()``)."""
    distributed = _require_dask()
    import dask

    if fork is None:
        fork = fork_workers()
    # Workers that read scanned documents start an OCR process pool: daemonic processes cannot.
    # natasha's numpy code is 5-6x slower with several OpenMP threads: Dask's default
    # ``distributed.nanny.pre-spawn-environ`` gives every worker process OMP_NUM_THREADS=1
    # before it starts (``tests/test_distributed.py`` checks it in a worker); a forked worker
    # has numpy as this process loaded it (``fork_workers``).
    # The workers' statistical profiler (a stack sample every 10 ms, for a dashboard nobody
    # opens) costs ~7% of their CPU on the 1M benchmark: off on the clusters pdaudit starts.
    # Every server (scheduler, nannies, workers) checks its event loop's health every 20 ms by
    # default, ~2/3 of an idle cluster's CPU (``bench/dask_idle.py``); once a second still warns
    # of a loop blocked for ``distributed.admin.tick.limit`` (3 s).
    # The nannies and workers read their process's memory every 100 ms, and every server samples
    # its CPU, memory and I/O every 500 ms for the dashboard: with both workers busy that took
    # 0.075 s of the driver's CPU a second and 3.5% of each worker's; at ``MONITOR_INTERVAL``
    # and ``SYSTEM_MONITOR_INTERVAL`` 0.025 s and 1.2% (``bench/dask_idle.py --busy``). A worker
    # that outgrows its memory limit is still paused or ended, a second later at most.
    config: dict[str, Any] = {
        "distributed.worker.daemon": False,
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": TICK_INTERVAL,
        "distributed.worker.memory.monitor-interval": MONITOR_INTERVAL,
        "distributed.admin.system-monitor.interval": SYSTEM_MONITOR_INTERVAL,
    }
    if fork:
        config["distributed.worker.multiprocessing-method"] = "fork"
    with dask.config.set(config):
        return distributed.LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",
            silence_logs=40,
            # Processes of pdaudit's own: they tune themselves (``pdaudit.scanner.process``).
            preload=["pdaudit.scanner.process"],
        )


def connect(
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = 30,
    fork: bool | None = None,
) -> tuple[Any, Any]:
    """A Dask client on an existing scheduler or on a new local cluster (``local_cluster``,
    ``fork``), and that cluster."""
    distributed = _require_dask()
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout=f"{timeout}s"), None
        except (OSError, TimeoutError) as exc:
            message = " ".join(str(exc).split())
            raise DistributedError(
                f"cannot reach the Dask scheduler {scheduler}: {message}"
            ) from None
    cluster = local_cluster(workers or 1, fork=fork)
    return distributed.Client(cluster), cluster


# -- the worker's side -------------------------------------------------------------------------


@dataclass
class PieceResult:
    """What a worker returns for one piece: field statistics in reading order, or the error."""

    stats: dict[str, FieldStats] = field(default_factory=dict)
    rows: int = 0
    error: str | None = None
    #: the error is a file that was found but not read (``NotScanned``)
    not_scanned: bool = False
    skipped: dict[str, str] = field(default_factory=dict)
    unread: dict[str, str] = field(default_factory=dict)
    sampling_method: str = ""


_ANALYZERS: dict[tuple, Analyzer] = {}
#: Sources a worker process has opened, by scan, target and options: a database's tables are
#: listed once per scan, and one scan's end never closes another's sources on a shared cluster.
_SOURCES: dict[tuple[str, str, str], tuple[Any, dict[str, Container]]] = {}


def _options_key(options: ScanOptions) -> str:
    return repr(dataclasses.replace(options, progress=None))


def _worker_source(
    scan_id: str, target: str, options: ScanOptions
) -> tuple[Any, dict[str, Container]]:
    key = (scan_id, target, _options_key(options))
    if key not in _SOURCES:
        source = open_source(target, options)
        if hasattr(source, "workers"):
            # One document at a time: reading ahead would OCR another worker's document.
            source.workers = 1
        _SOURCES[key] = (source, {c.name: c for c in source.containers()})
    return _SOURCES[key]


def close_sources(scan_id: str | None = None) -> int:
    """Close the sources this worker process opened for scan ``scan_id`` (None: for any scan);
    run on every worker after a scan. Returns how many were closed."""
    keys = [k for k in _SOURCES if scan_id is None or k[0] == scan_id]
    for key in keys:
        source, _ = _SOURCES.pop(key)
        source.close()
    return len(keys)


def scan_piece(
    scan_id: str,
    target: str,
    options: ScanOptions,
    policy: Policy,
    name: str,
    key_range: Any = None,
    log_level: int | None = None,
) -> PieceResult:
    """Worker task: scan container ``name`` of ``target`` (or one key range of it) for the scan
    ``scan_id``; ``log_level`` is the driver's (``--quiet`` silences the workers' warnings too)."""
    if log_level is not None:
        logging.getLogger("pdaudit").setLevel(log_level)
    regions = options.regions_for(policy)
    spec = (
        tuple(sorted(options.entities)) if options.entities else None,
        options.min_score,
        tuple(regions) if regions else None,
        repr(options.custom_recognizers),  # pydantic models holding lists: not hashable
        options.allow_values + policy.allow_values,
    )
    analyzer = _ANALYZERS.get(spec)
    if analyzer is None:
        analyzer = _ANALYZERS[spec] = analyzer_for(options, policy)
    scanner = Scanner(analyzer, policy, options)
    rows = 0

    def progress(_name: str, n: int, _total: int | None = None) -> None:
        nonlocal rows
        rows = n

    scanner.options = dataclasses.replace(options, progress=progress)
    try:
        source, listed = _worker_source(scan_id, target, options)
        if key_range is not None:
            container = source.range_container(name, key_range)
        elif name in listed:
            container = listed[name]
        else:
            raise ContainerError(f"{name}: no longer listed by {target}")
        stats = scanner.scan_container(container)
    except Exception as exc:  # reported by the driver as the single-process scan would
        return PieceResult(error=_one_line(exc), not_scanned=isinstance(exc, NotScanned))
    return PieceResult(
        stats=stats,
        rows=rows,
        skipped=dict(container.skipped),
        unread=dict(container.unread),
        sampling_method=container.sampling_method,
    )


# -- the driver's side -------------------------------------------------------------------------


def merge_pieces(
    container: Container, results: Sequence[PieceResult], stats: dict[str, FieldStats]
) -> None:
    """Merge the pieces of one container, in reading order, into ``stats``.

    One piece is taken as it is. Several are added in order with ``FieldStats.merge``: first
    examples, evidence order and document reasons come out as in one pass, and the exact score
    sums (``verdicts.exact_scores``) add up to the same totals.
    """
    for result in results:
        if result.error is not None:
            raise (NotScanned if result.not_scanned else ContainerError)(result.error)
    if len(results) == 1:
        stats.update(results[0].stats)
        return
    for result in results:
        merge_piece(container, result, stats)


def merge_piece(container: Container, result: PieceResult, stats: dict[str, FieldStats]) -> None:
    """Add the next piece (in reading order) of a container that was split into ``stats``:
    ``merge_pieces`` one piece at a time, so that a piece is merged while the later ones are
    still being scanned. Raises the piece's error."""
    if result.error is not None:
        raise (NotScanned if result.not_scanned else ContainerError)(result.error)
    for fname, part in result.stats.items():
        fs = stats.get(fname)
        if fs is None:
            fs = stats[fname] = FieldStats(container.source, container.name, fname)
        fs.merge(part)


@dataclass(frozen=True)
class Planned:
    """A container as the driver plans it: its source and name, its target, its key ranges
    (None: one piece)."""

    source: str
    name: str
    target: str
    ranges: list | None


class DaskScanner(Scanner):
    """A ``Scanner`` whose containers are read and analysed by Dask workers, piece by piece.

    ``plan`` submits every container of the targets ahead (so the workers never wait for the
    driver); ``scan_container`` then merges a container's pieces when ``scan()`` reaches it.
    """

    def __init__(
        self,
        client: Any,
        policy: Policy,
        options: ScanOptions,
        split_rows: int = SPLIT_ROWS,
    ) -> None:
        super().__init__(_NoAnalyzer(), policy, options)
        self.client = client
        self.split_rows = split_rows
        self.task_options = dataclasses.replace(options, progress=None)
        self.scan_id = uuid.uuid4().hex
        self._targets: dict[str, str] = {}  # source display -> target string
        self._planned: dict[tuple[str, str], list[Any]] = {}

    def plan(self, targets: Sequence[str]) -> None:
        """List every container of ``targets`` and submit its pieces, in scan order: each
        container's as soon as it is listed, so that the workers scan the first table while
        the driver counts the rows of the next."""
        for planned in self._listed(targets):
            self.submit([planned])

    def layout(self, targets: Sequence[str]) -> list[Planned]:
        """Every container of ``targets`` with its key ranges, in scan order (no client needed:
        ``scan_distributed`` lists them while a local cluster of fresh workers starts)."""
        return list(self._listed(targets))

    def _listed(self, targets: Sequence[str]) -> Iterator[Planned]:
        for target in expand_targets(targets, self.task_options):
            source = open_source(target, self.task_options)
            try:
                self._targets.setdefault(source.display, target)
                for container in source.containers():
                    ranges = None
                    if self.options.sampling.full and hasattr(source, "key_ranges"):
                        ranges = self.ranges(source, container.name)
                    yield Planned(container.source, container.name, target, ranges)
            finally:
                source.close()

    def submit(self, layout: Sequence[Planned]) -> None:
        """Submit the pieces of ``layout`` (``layout()``), in that order."""
        for piece in layout:
            key = (piece.source, piece.name)
            self._planned[key] = self._submit(piece.target, piece.name, piece.ranges)

    def ranges(self, source: Any, name: str) -> list | None:
        """The key ranges of table ``name`` read as pieces: about ``split_rows`` rows each, the
        last ``TAIL_PIECES`` of them cut ``TAIL_PARTS`` times finer (None: the table stays whole).

        The pieces are scanned in the order they are submitted; when the last table ends with
        whole pieces, one worker may still scan one while the others have nothing left to do.
        The ranges are ``source.key_ranges`` at the finer size, consecutive ones joined."""
        parts = TAIL_PARTS if self.split_rows >= TAIL_PARTS else 1
        fine = source.key_ranges(name, self.split_rows // parts)
        if fine is None or parts == 1:
            return fine
        if len(fine) <= parts:  # no more than about ``split_rows`` rows: whole
            return None
        tail = min(len(fine), TAIL_PIECES * parts)
        head = fine[: len(fine) - tail]
        joined = [
            dataclasses.replace(head[i], end=head[min(i + parts, len(head)) - 1].end)
            for i in range(0, len(head), parts)
        ]
        return joined + fine[len(fine) - tail :]

    def _submit(self, target: str, name: str, ranges: list | None) -> list[Any]:
        return [
            self.client.submit(
                scan_piece,
                self.scan_id,
                target,
                self.task_options,
                self.policy,
                name,
                key_range,
                log_level=logging.getLogger("pdaudit").getEffectiveLevel(),
                pure=False,
            )
            for key_range in (ranges or [None])
        ]

    def scan_container(self, container: Container) -> dict[str, FieldStats]:
        """The merged statistics of the container's pieces; raises the first piece's error."""
        futures = self._planned.pop((container.source, container.name), None)
        if futures is None:  # not listed when planned (a table created since)
            target = self._targets.get(container.source)
            if target is None:
                raise ContainerError(f"{container.source} {container.name}: not planned")
            futures = self._submit(target, container.name, None)
        stats = self.new_stats(container)
        if len(futures) == 1:
            results = [futures[0].result()]
            merge_pieces(container, results, stats)
        else:
            # Each piece is merged as soon as it is there, while the later ones are scanned.
            results = []
            for future in futures:
                results.append(future.result())
                merge_piece(container, results[-1], stats)
        container.sampling_method = results[0].sampling_method
        for result in results:
            for fname, reason in result.skipped.items():
                container.skipped.setdefault(fname, reason)
            for fname, reason in result.unread.items():
                container.unread.setdefault(fname, reason)
        if self.options.progress:
            self.options.progress(container.name, sum(r.rows for r in results), None)
        return stats

    def finish(self) -> None:
        """Drop the pieces that were planned and never merged; close the workers' sources."""
        for futures in self._planned.values():
            self.client.cancel(futures)
        self._planned.clear()
        self.client.run(close_sources, self.scan_id)


class _NoAnalyzer(Analyzer):
    """Stands in for the analyzer on the driver: the workers hold the real ones."""

    def __init__(self) -> None:
        super().__init__(recognizers=[])


def scan_distributed(
    targets: Sequence[str],
    policy: Policy,
    options: ScanOptions | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = 30,
    split_rows: int = SPLIT_ROWS,
) -> dict:
    """``scan()`` on ``workers`` local processes or on the cluster at ``scheduler``
    (``tcp://host:8786``, reached within ``timeout`` seconds); the report equals a single-process
    one. In ``--full`` mode tables of more than ``split_rows`` rows are split into key ranges.

    A local cluster whose workers are forked (``fork_workers``) starts first, before the
    driver opens a source: the workers hold no copy of its connections, and no other thread of
    the driver is inside SQLite as they are forked. Then, as with ``scheduler``, each
    container's pieces are submitted as soon as it is listed (``plan``). One whose workers
    start afresh starts in a
    thread of its own while the driver lists the containers and their key ranges
    (``DaskScanner.layout``): its workers import pdaudit meanwhile (``pdaudit.scanner.process``),
    not after the driver has planned."""
    options = options or ScanOptions()
    client = cluster = starting = None
    try:
        if scheduler:
            client, _ = connect(scheduler=scheduler, timeout=timeout)
        elif fork_workers():
            client, cluster = connect(workers, fork=True)
        else:
            _require_dask()  # the hint to install it, before any thread starts
            starter = ThreadPoolExecutor(1, thread_name_prefix="pdaudit-cluster")
            starting = starter.submit(connect, workers, fork=False)  # decided above
            starter.shutdown(wait=False)
        scanner = DaskScanner(client, policy, options, split_rows=split_rows)
        layout = None
        if starting is not None:
            layout = scanner.layout(targets)
            client, cluster = starting.result()
            scanner.client = client
        try:
            if layout is None:
                scanner.plan(targets)
            else:
                scanner.submit(layout)
            return scan(targets, policy, options, scanner=scanner)
        finally:
            scanner.finish()
    finally:
        if starting is not None and client is None:
            # The driver failed while the cluster started: wait for it, then close it.
            with contextlib.suppress(Exception):
                client, cluster = starting.result()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "DaskScanner",
    "DistributedError",
    "INSTALL_HINT",
    "MONITOR_INTERVAL",
    "SYSTEM_MONITOR_INTERVAL",
    "PieceResult",
    "Planned",
    "SPLIT_ROWS",
    "close_sources",
    "connect",
    "fork_workers",
    "local_cluster",
    "merge_piece",
    "merge_pieces",
    "native_threads",
    "scan_distributed",
    "scan_piece",
]
