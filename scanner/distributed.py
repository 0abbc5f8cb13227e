"""Scan with a Dask cluster: the analysis of every batch runs on the workers.

The driver reads each container in order, exactly as a single-process scan does (the same
connection, sampling and batches), ships each batch's distinct texts to a worker, and counts the
returned entities into the field statistics in reading order. The report is therefore identical
to a single-process report; only the work of the recognizers is spread. A bounded number of
batches is in flight at a time, so memory does not grow with the table.

    report = scan_distributed(["sqlite:///mirum.db"], policy, options, workers=2)
    report = scan_distributed(targets, policy, options, scheduler="tcp://10.0.0.5:8786")

Dask is the optional extra ``pdaudit[dask]``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Sequence
from typing import Any

from scanner.analysis import Analyzer, Entity
from scanner.policy import Policy
from scanner.scan import Scanner, ScanOptions, scan
from scanner.sources import Container, SourceError
from scanner.verdicts import FieldStats

INSTALL_HINT = "Dask is not installed: pip install pdaudit[dask]"
#: Batches in flight per worker: enough to keep every worker busy while the driver reads.
IN_FLIGHT_PER_WORKER = 3


class DistributedError(SourceError):
    """Dask is missing or the cluster cannot be reached (a one-line message, like a SourceError)."""


def _require_dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise DistributedError(INSTALL_HINT) from None
    return distributed


def local_cluster(workers: int) -> Any:
    """A local Dask cluster of ``workers`` single-threaded processes (no dashboard)."""
    distributed = _require_dask()
    # natasha's numpy code is slower with several OpenMP threads; children inherit this.
    os.environ["OMP_NUM_THREADS"] = "1"
    return distributed.LocalCluster(
        n_workers=workers,
        processes=True,
        threads_per_worker=1,
        dashboard_address=":0",
        silence_logs=40,
        env={"OMP_NUM_THREADS": "1"},
    )


def connect(
    workers: int | None = None, scheduler: str | None = None, timeout: float = 30
) -> tuple[Any, Any]:
    """A Dask client on an existing scheduler or on a new local cluster, and that cluster."""
    distributed = _require_dask()
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout=f"{timeout}s"), None
        except (OSError, TimeoutError) as exc:
            raise DistributedError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    cluster = local_cluster(workers or 1)
    return distributed.Client(cluster), cluster


_ANALYZERS: dict[tuple, Analyzer] = {}


def analyze_texts(
    spec: tuple[tuple[str, ...] | None, float], fields: list[tuple[tuple[str, ...], list[str]]]
) -> list[list[list[Entity]]]:
    """Worker task: the entities of each field's texts (``spec`` = entity types, min score).

    Each worker process keeps one ``Analyzer`` per spec, so its models load once and its cache
    lives across batches.
    """
    analyzer = _ANALYZERS.get(spec)
    if analyzer is None:
        entities, min_score = spec
        analyzer = _ANALYZERS[spec] = Analyzer(entities=entities, min_score=min_score)
    return [analyzer.analyze_batch(texts, context=context) for context, texts in fields]


class DaskScanner(Scanner):
    """A ``Scanner`` whose analysis runs on a Dask cluster; the counting stays in order here."""

    def __init__(self, client: Any, policy: Policy, options: ScanOptions) -> None:
        spec_entities = tuple(sorted(options.entities)) if options.entities else None
        self.spec = (spec_entities, options.min_score)
        # The driver never analyses; the analyzer attribute only names the settings.
        super().__init__(_NoAnalyzer(), policy, options)
        self.client = client
        workers = len(client.scheduler_info().get("workers", {})) or 1
        self.in_flight = IN_FLIGHT_PER_WORKER * workers

    def scan_container(self, container: Container) -> dict[str, FieldStats]:
        """Read the container's batches here, analyse them on the workers, count them in order."""
        stats = self.new_stats(container)
        window: deque = deque()
        rows = 0
        for batch in container.read():
            rows += len(batch)
            pending = self.collect(batch, stats, container)
            window.append((pending, self._submit(pending), rows))
            while len(window) > self.in_flight:
                self._finish(stats, container, *window.popleft())
        while window:
            self._finish(stats, container, *window.popleft())
        return stats

    def _submit(self, pending: dict[str, list[tuple[str, int | None]]]) -> tuple[Any, list]:
        fields = []
        layout = []
        for fname, items in pending.items():
            unique: dict[str, int] = {}
            for text, _ in items:
                unique.setdefault(text, len(unique))
            fields.append((tuple(self._tokenize(fname)), list(unique)))
            layout.append((fname, unique))
        future = self.client.submit(analyze_texts, self.spec, fields, pure=False)
        return future, layout

    def _finish(
        self,
        stats: dict[str, FieldStats],
        container: Container,
        pending: dict[str, list[tuple[str, int | None]]],
        submitted: tuple[Any, list],
        rows: int,
    ) -> None:
        future, layout = submitted
        results = future.result()
        found = {}
        for (fname, unique), per_text in zip(layout, results, strict=True):
            found[fname] = [per_text[unique[text]] for text, _ in pending[fname]]
        self.apply(stats, pending, found)
        if self.options.progress:
            self.options.progress(container.name, rows)


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
) -> dict:
    """``scan()`` with the analysis on ``workers`` local processes or on the cluster at
    ``scheduler`` (``tcp://host:8786``, reached within ``timeout`` seconds); the report equals a
    single-process one."""
    options = options or ScanOptions()
    client, cluster = connect(workers, scheduler, timeout)
    try:
        return scan(targets, policy, options, scanner=DaskScanner(client, policy, options))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "DaskScanner",
    "DistributedError",
    "INSTALL_HINT",
    "analyze_texts",
    "connect",
    "local_cluster",
    "scan_distributed",
]
