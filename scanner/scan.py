"""The scan: sources -> values -> findings -> field verdicts -> the report dict.

Values are normalised here, whatever the source: numbers become digit strings (IINs and phones
are often stored as bigint), JSON (parsed, or text that parses as an object or array) is flattened
into ``field.key.path`` fields, BLOBs holding images or PDFs go through the document pipeline, and
other binary values are counted as skipped.

In sample mode a field stops being analysed once its verdict is settled
(``pdaudit.scanner.verdicts.settled``); its remaining sampled values are neither analysed nor counted, the
rows are still read for the other fields, and its report entry says ``"early_stop": {"after": n}``.
Whether a field stops, and where, depends only on its values in reading order, never on how
they were batched, so a Dask scan gives the same report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import logging
import math
import operator
import time
from collections.abc import Callable, Collection, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from pathlib import Path
from typing import Any

from pdaudit.scanner import __version__
from pdaudit.scanner.analysis import Analyzer, Entity
from pdaudit.scanner.masking import redact, scrub
from pdaudit.scanner.names import mask_name, mask_report_names
from pdaudit.scanner.policy import BEYOND, NONE, NOT_SCANNED, WITHIN, Policy
from pdaudit.scanner.policy_gap import policy_gap
from pdaudit.scanner.sampling import EarlyStop, Sampling
from pdaudit.scanner.sources import Container, NotScanned, Page, Record, Source, SourceError
from pdaudit.scanner.sources.page_findings import cut, refine
from pdaudit.scanner.thirdparty import (
    RowCounts,
    TextCounts,
    batch_rows,
    check_documents,
    check_rows,
    count_texts,
    document_key,
    iins_in,
    row_plan,
)
from pdaudit.scanner.thirdparty import counted as _third_party_counted
from pdaudit.scanner.thirdparty import finding as third_party_finding
from pdaudit.scanner.verdicts import FieldStats, field_verdict, settled
from pdaudit.scanner.windows import Windows

log = logging.getLogger("pdaudit")

#: Worst first: what was not read may hold anything, so it comes right after the findings.
STATUS_ORDER = {BEYOND: 0, NOT_SCANNED: 1, WITHIN: 2, NONE: 3}
#: The longest text analysed from one value; longer values are cut (and said so in the log).
MAX_VALUE_CHARS = 100_000
#: Fewest values of a field analysed at once while the field may still stop early: smaller
#: slices waste less analysis past the stop, larger ones batch the recognizers better.
MIN_SLICE = 250


@dataclass
class ScanOptions:
    """How to scan: sampling, thresholds, which types, and a progress callback."""

    sampling: Sampling = field(default_factory=Sampling)
    min_score: float = 0.4
    min_confidence: float = 0.5
    entities: Sequence[str] | None = None
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    schemas: Sequence[str] = ()
    views: bool = False
    password_env: str | None = None
    #: seconds one database statement may run before the server cancels it
    statement_timeout_s: float = 300
    #: ``pdaudit.scanner.sources.documents.Limits`` for uploads and BLOB documents (None: the defaults)
    limits: Any = None
    #: recognizers in Presidio's YAML form (``pdaudit.scanner.config_schema.CustomRecognizer``)
    custom_recognizers: tuple[Any, ...] = ()
    #: values never reported, besides the policy's (kept out of the repr: personal data)
    allow_values: tuple[str, ...] = field(default=(), repr=False)
    #: called with (container name, rows read so far, rows expected or None) after each batch
    progress: Callable[[str, int, int | None], None] | None = None
    #: regions whose national phone forms are read (None: the policy's, else KZ and RU)
    phone_regions: Sequence[str] | None = None
    #: ``--full`` reads of SQLite tables as Arrow record batches (``SqlSource(columnar=...)``)
    columnar: bool = False

    def regions_for(self, policy: Policy) -> Sequence[str] | None:
        """The phone regions to scan with: these options', else the policy's (else None)."""
        return self.phone_regions or policy.phone_regions


def open_source(target: str, options: ScanOptions) -> Source:
    """Open a database URL, an SQLite file, or a folder/file of documents and data files."""
    if "://" in target:
        from pdaudit.scanner.sources.sql import SqlSource

        return _sql(SqlSource, target, options)
    path = Path(target)
    if path.is_file():
        with path.open("rb") as fh:
            magic = fh.read(16)
        if magic.startswith(b"SQLite format 3\x00"):
            from pdaudit.scanner.sources.sql import SqlSource

            return _sql(SqlSource, target, options)
    if path.exists():
        from pdaudit.scanner.sources.files import FileSource

        extra = {"limits": options.limits} if options.limits is not None else {}
        return FileSource(
            [target],
            include=options.include,
            exclude=options.exclude,
            sampling=options.sampling,
            **extra,
        )
    raise SourceError(
        f"{target}: no such file, folder or database URL "
        "(use sqlite:///path.db, postgresql://user@host/db, mysql+pymysql://user@host/db or a path)"
    )


def _sql(cls: Any, target: str, options: ScanOptions) -> Source:
    return cls(
        target,
        password_env=options.password_env,
        schemas=options.schemas,
        include=options.include,
        exclude=options.exclude,
        views=options.views,
        sampling=options.sampling,
        statement_timeout_s=options.statement_timeout_s,
        columnar=options.columnar,
    )


def iter_values(name: str, value: Any) -> Iterator[tuple[str, Any]]:
    """Normalise one raw value into ``(field, value)`` pairs; JSON is flattened into key paths.

    >>> list(iter_values("settings", {"contacts": {"phone": 77011234567}, "tags": ["a", None]}))
    [('settings.contacts.phone', '77011234567'), ('settings.tags', 'a')]
    >>> list(iter_values("note", '{"fio": "Ким Ольга"}'))
    [('note.fio', 'Ким Ольга')]
    >>> list(iter_values("price", 12.0)), list(iter_values("x", None))
    ([('price', '12')], [])
    """
    if value is None:
        return
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in "{[" and stripped[-1:] in "}]":
            try:
                parsed = json.loads(stripped)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict | list):
                yield from iter_values(name, parsed)
                return
        if stripped:
            yield name, value
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        yield name, str(value)
    elif isinstance(value, float | Decimal):
        if value == value and value not in (float("inf"), float("-inf")):
            yield name, str(int(value)) if value == int(value) else str(value)
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from iter_values(f"{name}.{key}", sub)
    elif isinstance(value, list | tuple):
        for sub in value:
            yield from iter_values(name, sub)
    elif isinstance(value, dt.date | dt.datetime | dt.time):
        yield name, value.isoformat()
    elif isinstance(value, bytes | bytearray | memoryview | Page):
        yield name, value if isinstance(value, Page) else bytes(value)
    else:
        yield name, str(value)


class Scanner:
    """Scans containers with one ``Analyzer`` and keeps per-field statistics."""

    def __init__(self, analyzer: Analyzer, policy: Policy, options: ScanOptions) -> None:
        self.analyzer = analyzer
        self.policy = policy
        self.options = options
        from pdaudit.scanner.fieldnames import hints, tokenize

        self._tokenize = tokenize
        self._hints = hints
        #: section 2.4, way 4: the IINs read from each document of the batch being collected, by
        #: ``document_key`` (None: the container has no IIN field to compare them with)
        self._document_iins: dict[bytes, frozenset[str]] | None = None
        #: the OCR pool reading a table's documents ahead (``_batches``), while one is read
        self._reader: Any = None
        #: a full scan's columns whose values repeat, gathered over batches (``Windows``)
        self._windows: Windows | None = None
        #: whether ``collect`` takes an Arrow batch's text and integer columns, and a plain
        #: column of other batches whose texts repeat, as their distinct texts with counts
        #: (``counted_texts``, ``repeated_texts``; a scan without early stops only)
        self.count_distinct = True

    def scan_container(self, container: Container) -> dict[str, FieldStats]:
        """Read every batch of a container and analyse its fields; may raise ContainerError."""
        stats = self.new_stats(container)
        plan = row_plan(container.name, list(container.fields))
        self._document_iins = {} if plan is not None and plan.main_iin else None
        full = self.options.sampling.stop_rule is None
        self._windows = Windows() if full and self.count_distinct else None
        try:
            self._scan_batches(container, stats, plan, full)
        finally:
            self._windows = None  # what a failed container's windows held goes with it
        return stats

    def _scan_batches(
        self, container: Container, stats: dict[str, FieldStats], plan: Any, full: bool
    ) -> None:
        rows = 0
        with contextlib.closing(self._batches(container, stats)) as batches:
            for batch in batches:
                rows += len(batch)
                pending = self.collect(batch, stats, container)
                if plan is not None:
                    self.count_rows(plan, batch, stats, container, pending)
                if full:
                    # A window's texts came before this batch's: counted first.
                    self._count_windows(stats, pending)
                    self.apply(stats, pending, self.analyze_pending(pending))
                else:
                    self.analyze_and_apply(stats, pending)
                if container.kind == "document" or any(
                    side.documents or side.documents_failed for side in pending.side.values()
                ):
                    # Image and PDF libraries may leave cycles holding page buffers: free them
                    # now, not after the collector's next young-generation threshold.
                    gc.collect(0)
                if self.options.progress:
                    self.options.progress(container.name, rows, container.expected_rows)
            self._count_windows(stats, every=True)

    def _count_windows(
        self, stats: dict[str, FieldStats], before: Collection[str] = (), every: bool = False
    ) -> None:
        """Analyse and count the windows that are ready (``Windows.ready``) as distinct texts
        with their counts and reading order."""
        if self._windows is None:
            return
        ready = self._windows.ready(before, every)
        if not ready:
            return
        counted = Pending()
        for name, (texts, counts, order) in ready.items():
            counted[name] = texts
            counted.counts[name] = (counts, order)
        self.apply(stats, counted, self.analyze_pending(counted))

    def _batches(
        self, container: Container, stats: dict[str, FieldStats]
    ) -> Generator[Sequence[Record], None, None]:
        """The container's batches. The scanned documents in a table's batch (BLOB columns)
        are OCR'd ahead on a process pool, as a folder's are (``documents.ReadAhead``); with
        early stopping such a batch comes in slices of a few rows, so that a field whose verdict
        is settled stops reading its documents as a text field stops analysing its values."""
        try:
            for batch in container.read():
                docs = batch_documents(batch, stats, container)
                if not docs:
                    yield batch
                    continue
                if self._reader is None:
                    from pdaudit.scanner.sources.documents import Limits, ReadAhead

                    self._reader = ReadAhead(self.options.limits or Limits())
                self._reader.expect(docs)
                step = self._reader.window
                if self.options.sampling.stop_rule is None or len(batch) <= step:
                    yield batch
                else:
                    for start in range(0, len(batch), step):
                        yield [batch[i] for i in range(start, min(start + step, len(batch)))]
                self._reader.drop()
        finally:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def count_rows(
        self,
        plan: Any,
        batch: Sequence[Record],
        stats: dict[str, FieldStats],
        container: Container,
        pending: Pending | None = None,
    ) -> None:
        """Section 2.4: count the batch's rows whose candidate fields hold a second person, and
        whose documents (read in ``collect``) are someone else's."""
        counted: dict[str, RowCounts] = {}
        if plan.candidates:
            columns = [c for c in (plan.main_name, plan.main_iin, *plan.candidates) if c]
            counted.update(check_rows(plan, batch_rows(batch, columns)))
        documents = self._document_iins
        if documents:
            side = getattr(pending, "side", {}) or {}
            with_documents = [f for f, part in side.items() if part.documents and "." not in f]
            if with_documents:
                rows = batch_rows(batch, [plan.main_iin, *with_documents])
                counted.update(check_documents(plan, rows, documents))
            documents.clear()
        for col, counts in counted.items():
            fs = stats.get(col)
            if fs is None:
                fs = stats[col] = FieldStats(container.source, container.name, col)
            if fs.third_party_rows is None:
                fs.third_party_rows = RowCounts()
            fs.third_party_rows.merge(counts)

    def new_stats(self, container: Container) -> dict[str, FieldStats]:
        """Empty statistics for every declared field of a container, in field order."""
        return {f: FieldStats(container.source, container.name, f) for f in container.fields}

    def collect(
        self, batch: Sequence[Record], stats: dict[str, FieldStats], container: Container
    ) -> Pending:
        """The texts of one batch, per field, with their page numbers (documents are read here).

        Fields that stopped early are left out. What BLOBs add to a field's counters (documents,
        binary values skipped) goes into ``Pending.side`` and is counted by ``apply``.

        A batch that also holds its values column by column (``batch.columns``: name -> values
        in row order, as ``SqlSource`` reads them) is taken a column at a time. Each field
        still gets its texts in reading order, which is all the counting depends on, unless
        one column's JSON paths could share a name with another column: a name with a dot in
        it sends the batch the row-by-row way. In a scan without early stops, a plain column
        whose texts repeat (at most ``REPEATS_SHARE`` of them distinct) is handed over as its
        distinct texts with their counts and reading order (``repeated_texts``), as an Arrow
        batch's columns are (``counted_texts``), and ``apply`` counts it with ``add_counts``.
        """
        pending = Pending()
        columns = getattr(batch, "columns", None)
        if columns is not None and not any("." in name for name in columns):
            # An Arrow batch (``SqlSource``'s columnar reader) in a scan without early stops:
            # a text or integer column is taken as its distinct texts with their counts.
            arrow = getattr(batch, "arrow", None) if self.count_distinct else None
            if self.options.sampling.stop_rule is not None:
                arrow = None
            types = getattr(batch, "types", None) or {}
            # A plain text column whose values repeat: its distinct texts with their counts.
            repeats = self.count_distinct and self.options.sampling.stop_rule is None
            for column in columns:
                if arrow is not None:
                    counted = counted_texts(arrow[column])
                    if counted is not None:
                        distinct, counts, order = counted
                        fs = stats.get(column)
                        if fs is None and distinct:
                            stats[column] = FieldStats(container.source, container.name, column)
                        if distinct and (fs is None or fs.stopped_after is None):
                            pending[column] = distinct
                            pending.counts[column] = (counts, order)
                        continue
                values = columns[column]
                texts = plain_texts(values, types.get(column))
                if texts is None:
                    for raw in values:
                        self._collect_value(column, raw, pending, stats, container)
                    continue
                fs = stats.get(column)
                if fs is None:
                    if not texts:
                        continue
                    fs = stats[column] = FieldStats(container.source, container.name, column)
                elif not texts or fs.stopped_after is not None:
                    continue
                if repeats and len(texts) >= REPEATS_MIN:
                    counted = repeated_texts(texts, REPEATS_SHARE)
                    # A batch that repeats little may still repeat over many (``Windows``).
                    windows = self._windows
                    if counted is None and windows is not None and windows.take(column, texts):
                        continue
                    if counted is not None:
                        distinct, counts, order = counted
                        pending[column] = distinct
                        pending.counts[column] = (counts, order)
                        continue
                pending[column] = texts
            return pending
        get_texts = pending.get
        get_stats = stats.get
        for record in batch:
            for column, raw in record.items():
                if (
                    type(raw) is str
                    and raw
                    and raw[0] not in "{["
                    and not raw[0].isspace()
                    and not raw[-1].isspace()
                    and len(raw) <= MAX_VALUE_CHARS
                ):
                    # The common case, a stripped non-JSON string of a declared field:
                    # iter_values would yield it as it is; skipping the generator matters at
                    # millions of values.
                    fs = get_stats(column)
                    if fs is not None:
                        if fs.stopped_after is None:
                            texts = get_texts(column)
                            if texts is None:
                                texts = pending[column] = []
                            texts.append(raw)
                        continue
                self._collect_value(column, raw, pending, stats, container)
        return pending

    def _collect_value(
        self,
        column: str,
        raw: Any,
        pending: Pending,
        stats: dict[str, FieldStats],
        container: Container,
    ) -> None:
        """Add the texts of one raw value of ``column`` to ``pending`` (JSON, BLOBs, pages...)."""
        for fname, value in iter_values(column, raw):
            fs = stats.get(fname)
            if fs is None:
                fs = stats[fname] = FieldStats(container.source, container.name, fname)
            elif fs.stopped_after is not None:
                continue
            texts = pending.get(fname)
            if texts is None:
                texts = pending[fname] = []
            if type(value) is str and len(value) <= MAX_VALUE_CHARS:
                texts.append(value)
                continue
            side = pending.side.get(fname)
            if side is None:
                side = pending.side[fname] = FieldStats(container.source, container.name, fname)
            for text, page in self._texts(side, value, container):
                if page is not None:
                    pages = pending.pages.get(fname)
                    if pages is None:
                        pages = pending.pages[fname] = {}
                    pages[len(texts)] = page
                texts.append(text)

    def analyze_pending(self, pending: dict[str, list[str]]) -> dict[str, list[list[Entity]]]:
        """The entities of every collected text, per field (the field name is the context).

        The lists are the analysis's own (``fresh=False``): the counting only reads them."""
        found = {
            fname: self.analyzer.analyze_batch(texts, context=self._tokenize(fname), fresh=False)
            for fname, texts in pending.items()
        }
        for fname in getattr(pending, "pages", None) or ():
            # Document pages: printed labels and organisations' contacts (page_findings).
            found[fname] = refine(pending[fname], found[fname])
        return found

    def analyze_and_apply(self, stats: dict[str, FieldStats], pending: Pending) -> None:
        """``apply(analyze_pending())`` that analyses a field that may still stop a slice at a time.

        The counts are those of ``apply``: slicing only saves the analysis of values after a stop.
        """
        rule = self.options.sampling.stop_rule
        for fname, texts in pending.items():
            fs = stats[fname]
            if not self._start(fs, pending, fname):
                continue
            context = self._tokenize(fname)
            pages = _pages(pending, fname, len(texts))
            start = 0
            while start < len(texts) and fs.stopped_after is None:
                size = max(MIN_SLICE, _values_before_stop(fs, rule)) if rule else len(texts)
                end = start + size
                part = texts[start:end]
                found = self.analyzer.analyze_batch(part, context=context, fresh=False)
                if pages is not None:
                    found = refine(part, found)
                self._count(fs, part, found, pages[start:end] if pages is not None else None)
                start = end

    def apply(
        self,
        stats: dict[str, FieldStats],
        pending: dict[str, list[str]],
        found: dict[str, list[list[Entity]]],
    ) -> None:
        """Count the analysed texts of one batch into the field statistics, in reading order.

        A field that stopped early takes nothing more; one that stops in this batch takes the
        values up to its stop.
        """
        counted = getattr(pending, "counts", None) or {}
        for fname, texts in pending.items():
            fs = stats[fname]
            if not self._start(fs, pending, fname):
                continue
            if fname in counted:
                counts, order = counted[fname]
                fs.add_counts(texts, counts, found[fname], order)
                if fs.third_party_text is None:
                    fs.third_party_text = TextCounts()
                count_texts(fs.third_party_text, texts, found[fname], weights=counts)
                continue
            self._count(fs, texts, found[fname], _pages(pending, fname, len(texts)))

    def _start(self, fs: FieldStats, pending: dict, fname: str) -> bool:
        """Whether a field takes this batch; if so, count what its BLOBs added first."""
        if fs.stopped_after is not None:
            return False
        side = getattr(pending, "side", None)
        if side and fname in side:
            fs.merge(side[fname])
        return True

    def _count(
        self,
        fs: FieldStats,
        texts: Sequence[str],
        found: Sequence[list[Entity]],
        pages: Sequence[int | None] | None = None,
    ) -> None:
        rule = self.options.sampling.stop_rule
        if rule is None or fs.values_scanned + len(texts) < rule.min_values:
            fs.add_all(texts, found, pages)
            self._count_third_party(fs, texts, found, pages)
            return
        if len(texts) != len(found):
            raise ValueError(f"{len(texts)} values but {len(found)} results")
        add = fs.add
        min_values, min_share = rule.min_values, rule.min_share
        for i, (text, ents) in enumerate(zip(texts, found, strict=True)):
            add(text, ents, pages[i] if pages is not None else None)
            if fs.values_scanned >= min_values and settled(fs, min_values, min_share):
                fs.stopped_after = fs.values_scanned
                part = pages[: i + 1] if pages is not None else None
                self._count_third_party(fs, texts[: i + 1], found[: i + 1], part)
                return
        self._count_third_party(fs, texts, found, pages)

    @staticmethod
    def _count_third_party(
        fs: FieldStats,
        texts: Sequence[str],
        found: Sequence[list[Entity]],
        pages: Sequence[int | None] | None = None,
    ) -> None:
        """Section 2.4: count the texts that name a relative (a name, phone or IIN after "мой
        сын", "ұлым"...); only texts with findings and a relation word are looked at."""
        if fs.third_party_text is None:
            fs.third_party_text = TextCounts()
        count_texts(fs.third_party_text, texts, found, pages)

    def _texts(
        self, fs: FieldStats, value: Any, container: Container
    ) -> Iterator[tuple[str, int | None]]:
        if isinstance(value, Page):
            yield cut(value.text, MAX_VALUE_CHARS), value.number
            return
        if isinstance(value, bytes):
            yield from self._blob(fs, value, container)
            return
        if len(value) > MAX_VALUE_CHARS:
            log.info(
                "%s %s.%s: a value was cut to %d characters",
                mask_name(container.source),
                mask_name(container.name),
                mask_name(fs.field),
                MAX_VALUE_CHARS,
            )
        yield value[:MAX_VALUE_CHARS], None

    def _blob(
        self, fs: FieldStats, data: bytes, container: Container
    ) -> Iterator[tuple[str, int | None]]:
        try:
            from pdaudit.scanner.sources import documents
        except ImportError:  # the OCR extra is not installed
            fs.binary_skipped += 1
            return
        if documents.sniff(data) is None:
            fs.binary_skipped += 1
            return
        fs.documents += 1
        try:
            name = f"{container.name}.{fs.field}"
            if self._reader is not None:
                doc = self._reader.extract(data, name)
            else:
                doc = documents.extract(data, name, self.options.limits or documents.Limits())
        except documents.DocumentError as exc:
            reason = _one_line(exc)
            log.warning(
                "%s %s.%s: a document could not be read: %s",
                mask_name(container.source),
                mask_name(container.name),
                mask_name(fs.field),
                reason,
            )
            fs.document_failed(reason)
            return
        for reason in doc.errors:
            fs.document_failed(_one_line(reason))
        if self._document_iins is not None:
            self._document_iins[document_key(data)] = iins_in(p.text for p in doc.pages)
        for page in doc.pages:
            yield cut(page.text, MAX_VALUE_CHARS), page.number

    def verdicts(self, stats: dict[str, FieldStats], sampling_method: str) -> list[dict]:
        """Report entries for every field of a container.

        A JSON column whose every value was flattened into ``column.key.path`` fields has no
        entry of its own: its paths stand for it.
        """
        entries = []
        for fs in stats.values():
            if _only_paths(fs, stats):
                continue
            entry = field_verdict(
                fs,
                self.policy,
                hints=self._hints(fs.field),
                min_confidence=self.options.min_confidence,
                sampling_method=sampling_method,
            )
            third_party = third_party_finding(entry, fs, self.policy)
            if third_party is not None:
                entry["third_party"] = third_party
            entries.append(entry)
        return entries


class Pending(dict):
    """One batch's texts per field (``field -> [text]``), read in order.

    ``pages`` holds, for the fields some of whose texts come from a document page, the page of
    those texts by their index (``field -> {index: page}``); other texts have no page.

    ``side`` holds, per field, what the batch's BLOBs add to its counters (documents read,
    binary values skipped, documents that failed): ``Scanner.apply`` counts them only if the
    field has not stopped early, so a scan that reads ahead (Dask) counts what a plain one does.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, dict[int, int]] = {}
        self.side: dict[str, FieldStats] = {}
        #: fields whose texts are distinct (``counted_texts``, ``repeated_texts``): their counts
        #: and reading order
        self.counts: dict[str, tuple[list[int], Any]] = {}


_BINARY = (bytes, bytearray, memoryview)


def batch_documents(
    batch: Sequence[Record], stats: dict[str, FieldStats], container: Container
) -> list[tuple[bytes, str]]:
    """The scanned documents (PDFs, images) of a table's batch, ``(data, name)`` in the order
    ``Scanner.collect`` reads them, leaving out fields that stopped early (none without OCR)."""
    if container.kind not in ("table", "view"):
        return []
    try:
        from pdaudit.scanner.sources.documents import sniff
    except ImportError:  # the OCR extra is not installed
        return []
    columns = getattr(batch, "columns", None)
    if columns is not None:
        # Column by column; a column without binary values costs one pass at C speed, none
        # when the reader says which types it holds (``ColumnBatch.types``). An Arrow batch
        # says which columns may hold BLOBs: only they are looked at.
        names = getattr(batch, "binary_names", None)
        types = getattr(batch, "types", None) or {}
        cells = [
            (name, value)
            for name, values in (
                columns.items() if names is None else ((n, columns[n]) for n in names)
            )
            if not _BINARY_TYPES.isdisjoint(types.get(name) or map(type, values))
            for value in values
        ]
    else:
        cells = [(name, value) for record in batch for name, value in record.items()]
    out = []
    for name, value in cells:
        if not isinstance(value, _BINARY):
            continue
        fs = stats.get(name)
        if fs is not None and fs.stopped_after is not None:
            continue
        data = bytes(value)
        if sniff(data) is not None:
            out.append((data, f"{container.name}.{name}"))
    return out


_BINARY_TYPES = frozenset(_BINARY)


def _pages(pending: dict, fname: str, n: int) -> list[int | None] | None:
    """The page of each of a field's ``n`` pending texts, or None when none has one."""
    pages = getattr(pending, "pages", None)
    by_index = pages.get(fname) if pages else None
    if not by_index:
        return None
    return [by_index.get(i) for i in range(n)]


def counted_texts(array: Any) -> tuple[list[str], list[int], Any] | None:
    """The texts ``iter_values`` gives for one text or integer column of an Arrow batch, as
    distinct texts: ``(texts, counts, order)``, the texts in the order they first appear,
    how many values give each, and the index into ``texts`` of each value that gives a text
    (a NumPy array, in reading order). None when the values must go one by one through
    ``iter_values`` (another type, a text that may be JSON or is longer than
    ``MAX_VALUE_CHARS``), as ``plain_texts`` says.

    The distinct values and their counts come from Arrow (``dictionary_encode``: the values in
    order of first appearance, and each value's index) and NumPy (``bincount``); only the
    distinct values become Python strings.

    >>> import pyarrow as pa
    >>> texts, counts, order = counted_texts(pa.array(["Ким", None, "", " ", "Ли", "Ким"]))
    >>> texts, counts, order.tolist()
    (['Ким', 'Ли'], [2, 1], [0, 1, 0])
    >>> counted_texts(pa.array([77011234567, None, 7]))[:2]
    (['77011234567', '7'], [1, 1])
    >>> counted_texts(pa.array(['{"fio": "Ким"}'])) is None, counted_texts(pa.array([1.5])) is None
    (True, True)
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = array.type
    is_text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    if not (is_text or pa.types.is_integer(kind) or pa.types.is_null(kind)):
        return None
    if array.null_count == len(array):
        return [], [], np.zeros(0, dtype=np.int64)
    encoded = pc.dictionary_encode(array)
    distinct = encoded.dictionary.to_pylist()
    order = encoded.indices.drop_null().to_numpy(zero_copy_only=False).astype(np.int64)
    if is_text:
        texts = plain_texts(distinct)
        if texts is None:
            return None
        if len(texts) < len(distinct):  # blank strings give nothing
            kept = np.fromiter(map(bool, map(str.strip, distinct)), bool, len(distinct))
            renumber = np.cumsum(kept) - 1
            order = renumber[order[kept[order]]]
    else:
        texts = list(map(str, distinct))
    counts = np.bincount(order, minlength=len(texts)).tolist()
    return texts, counts, order


#: A batch of a column is taken as its distinct texts when it holds at most this share of
#: distinct texts (``repeated_texts``), and has at least ``REPEATS_MIN`` texts.
REPEATS_SHARE = 0.25
REPEATS_MIN = 256
#: A batch whose first ``REPEATS_HEAD`` texts are nearly all distinct (more than
#: ``HEAD_SHARE`` of them) is taken as (nearly) distinct without hashing the rest: drawn at
#: random from few enough values for ``REPEATS_SHARE``, at most ~88% of them would be.
REPEATS_HEAD = 512
HEAD_SHARE = 0.95


def repeated_texts(
    texts: Sequence[str], share: float = REPEATS_SHARE
) -> tuple[list[str], list[int], Any] | None:
    """``texts`` as ``counted_texts`` gives a column: ``(distinct, counts, order)``, the
    distinct texts in the order they first appear, how many times each stands in ``texts``, and
    the index into ``distinct`` of each text (a NumPy array, in reading order); None when more
    than ``share`` of the texts are distinct (their counting would save little), or when the
    first ``REPEATS_HEAD`` of a longer batch are nearly all distinct (ids, time stamps, e-mails:
    told at the cost of a few hundred texts) and ``share`` is below ``HEAD_SHARE``.

    >>> distinct, counts, order = repeated_texts(["Ким", "Ли", "Ким", "Ким"], share=0.5)
    >>> distinct, counts, order.tolist()
    (['Ким', 'Ли'], [3, 1], [0, 1, 0, 0])
    >>> repeated_texts(["Ким", "Ли", "Ан", "Ким"], share=0.5) is None
    True
    """
    import numpy as np

    if share < HEAD_SHARE and len(texts) > REPEATS_HEAD:
        if len(set(texts[:REPEATS_HEAD])) > HEAD_SHARE * REPEATS_HEAD:
            return None
    first = dict.fromkeys(texts)
    if len(first) > share * len(texts):
        return None
    index = dict(zip(first, range(len(first)), strict=True))
    order = np.fromiter(map(index.__getitem__, texts), np.int64, len(texts))
    return list(first), np.bincount(order, minlength=len(first)).tolist(), order


_STR_OR_NONE = frozenset({str, type(None)})
_STR_INT_OR_NONE = frozenset({str, int, type(None)})
_BRACKETS = frozenset("{[")
_not_none = functools.partial(operator.is_not, None)


def plain_texts(values: Sequence[Any], types: frozenset[type] | None = None) -> list[str] | None:
    """The texts ``iter_values`` yields for ``values`` (one field's raw values), if it yields
    each as it is or not at all; else None, and each value must go through ``iter_values``.

    That holds when every value is None, an int, or a string that is no JSON object or array
    and fits in ``MAX_VALUE_CHARS``: an int gives its digits; a blank string nothing; any other
    string itself (unstripped). The checks run over the whole list at C speed. ``types``: the
    set of the values' types when the reader knows it (``ColumnBatch.types``), saving a pass.

    >>> plain_texts(["Ким Ольга", None, "", "  ", " Ли ", 77011234567])
    ['Ким Ольга', ' Ли ', '77011234567']
    >>> plain_texts(["a", '{"fio": "Ким"}']) is None, plain_texts([True]) is None
    (True, True)
    """
    kinds = frozenset(map(type, values)) if types is None else types
    if kinds <= _STR_OR_NONE:
        texts = list(filter(None, values))  # None and "" give nothing
    elif kinds <= _STR_INT_OR_NONE:
        texts = list(filter(None, map(str, filter(_not_none, values))))
    else:
        return None
    stripped = list(map(str.strip, texts))
    if stripped == texts:
        joined = "".join(texts)
        longest = len(joined)  # the longest text is no longer than them all together
    else:
        if "" in stripped:  # blank strings give nothing
            texts = list(compress(texts, stripped))
            stripped = list(filter(None, stripped))
        joined = "".join(stripped)
        longest = MAX_VALUE_CHARS + 1
    if longest > MAX_VALUE_CHARS and max(map(len, texts), default=0) > MAX_VALUE_CHARS:
        return None  # to be cut, and said so
    if ("{" in joined or "[" in joined) and not _BRACKETS.isdisjoint(
        map(operator.itemgetter(0), stripped)
    ):
        return None  # may be JSON
    return texts


def _values_before_stop(fs: FieldStats, rule: EarlyStop) -> int:
    """How many more values a field must count at least before ``settled`` can hold.

    Two types seen: never (the rest of the batch). Otherwise the minimum count, and enough
    values of the one type for its plain share to reach ``min_share`` (the Wilson lower bound is
    below the share).
    """
    if len(fs.types) > 1:
        return MAX_SLICE
    n = fs.values_scanned
    matches = next(iter(fs.types.values())).matches if fs.types else 0
    need = max(1, rule.min_values - n)
    if rule.min_share >= 1.0:
        return need if matches == n else MAX_SLICE
    # A slice too long or too short only moves wasted analysis: the counting stops per value.
    short = (rule.min_share * n - matches) / (1.0 - rule.min_share)
    return max(need, math.ceil(short - 1e-9))


#: "The rest of the batch".
MAX_SLICE = 1 << 62


def _only_paths(fs: FieldStats, stats: dict[str, FieldStats]) -> bool:
    if fs.values_scanned or fs.binary_skipped or fs.documents:
        return False
    prefix = fs.field + "."
    return any(name.startswith(prefix) for name in stats)


def analyzer_for(options: ScanOptions, policy: Policy | None = None) -> Analyzer:
    """The ``Analyzer`` the options ask for: their types and floor, the custom recognizers, and
    the allow list of the options and the policy."""
    from pdaudit.scanner.custom import make_analyzer

    allow = (*options.allow_values, *(policy.allow_values if policy else ()))
    return make_analyzer(
        options.entities,
        options.min_score,
        options.custom_recognizers,
        allow,
        phone_regions=options.regions_for(policy) if policy else options.phone_regions,
    )


def scan(
    targets: Sequence[str],
    policy: Policy,
    options: ScanOptions | None = None,
    analyzer: Analyzer | None = None,
    scanner: Scanner | None = None,
) -> dict:
    """Scan every target and return the report dict (the JSON report's shape).

    A source that cannot be opened is listed in ``errors`` (with no container) and the others
    are scanned; only when no source can be opened is the first ``SourceError`` raised. A
    container that cannot be read is listed in ``errors`` and the scan goes on. Names holding
    personal values are masked in the report (``pdaudit.scanner.names``). ``scanner`` replaces the in-process one (e.g. a
    ``pdaudit.scanner.distributed.DaskScanner``).
    """
    options = options or ScanOptions()
    if scanner is None:
        analyzer = analyzer or analyzer_for(options, policy)
        scanner = Scanner(analyzer, policy, options)
    fields: list[dict] = []
    errors: list[dict] = []
    sources = _open_sources(expand_targets(targets, options), options, errors)
    summaries: list[dict] = []
    methods: set[str] = set()
    try:
        for source in sources:
            started = time.monotonic()
            n_containers = n_fields = 0
            for container in source.containers():
                n_containers += 1
                try:
                    stats = scanner.scan_container(container)
                except KeyboardInterrupt:
                    raise
                except NotScanned as exc:
                    reason = _one_line(str(exc).removeprefix(f"{container.name}: "))
                    fields.append(_not_scanned_entry(source.display, container, "*", reason))
                    log.warning(
                        "%s %s: not scanned: %s",
                        mask_name(source.display),
                        mask_name(container.name),
                        reason,
                    )
                    n_fields += 1
                    continue
                except Exception as exc:  # one bad table or file never stops the scan
                    errors.append(
                        {
                            "source": source.display,
                            "container": container.name,
                            "message": _one_line(exc),
                        }
                    )
                    log.warning(
                        "%s %s: %s",
                        mask_name(source.display),
                        mask_name(container.name),
                        _one_line(exc),
                    )
                    continue
                if container.sampling_method:
                    methods.add(container.sampling_method)
                entries = scanner.verdicts(stats, container.sampling_method)
                for fname, reason in container.skipped.items():
                    if fname in stats and stats[fname].values_scanned:
                        # read in part (a bad page of a document): an error, not a skipped field
                        errors.append(_partial(source.display, container.name, fname, reason))
                    else:
                        entries.append(_skipped_entry(source.display, container, fname, reason))
                for fname, reason in container.unread.items():
                    if fname in stats and stats[fname].values_scanned:
                        errors.append(_partial(source.display, container.name, fname, reason))
                    else:
                        entries = [e for e in entries if e["field"] != fname]
                        entries.append(_not_scanned_entry(source.display, container, fname, reason))
                for fs in stats.values():
                    if fs.documents_failed:
                        reason = "; ".join(fs.document_errors)
                        errors.append(
                            _partial(
                                source.display,
                                container.name,
                                fs.field,
                                f"{fs.documents_failed} document(s) or page(s) not read: {reason}",
                            )
                        )
                n_fields += len(entries)
                fields.extend(entries)
            summaries.append(
                {
                    "source": source.display,
                    "kind": type(source).__name__,
                    "containers": n_containers,
                    "fields": n_fields,
                    "seconds": round(time.monotonic() - started, 2),
                }
            )
    finally:
        for source in sources:
            source.close()
    return build_report(fields, errors, summaries, policy, options.sampling, methods)


def expand_targets(targets: Sequence[str], options: ScanOptions) -> list[str]:
    """The targets, each folder followed by the SQLite files found in it (wanted by
    ``include``/``exclude`` as files): each is scanned as a source of its own, with its tables.
    """
    out: list[str] = []
    for target in targets:
        out.append(target)
        if "://" not in target and Path(target).is_dir():
            from pdaudit.scanner.sources.files import FileSource

            finder = FileSource([target], include=options.include, exclude=options.exclude)
            out += [p for p in finder.sqlite_files() if p not in out]
    return out


def _open_sources(targets: Sequence[str], options: ScanOptions, errors: list[dict]) -> list:
    """Open every target; one that cannot be opened becomes an error entry, unless none can
    (then the first error is raised, its personal values masked)."""
    sources: list = []
    failed: list[tuple[str, str]] = []
    for target in targets:
        try:
            sources.append(open_source(target, options))
        except SourceError as exc:
            shown = _shown_target(target)
            text = " ".join(str(exc).split())[:500]
            for name in sorted({target, shown, shown.removeprefix("sqlite:///")}, key=len)[::-1]:
                text = text.replace(name, mask_name(name))
            # Names masked, then digits and e-mails: the detector would mask a server's address.
            failed.append((shown, scrub(text)))
    if failed and not sources:
        raise SourceError(failed[0][1])
    for shown, message in failed:
        errors.append({"source": shown, "container": "", "message": message})
        log.warning("%s", message)
    return sources


def _shown_target(target: str) -> str:
    """A target as a source's ``display`` shows it: without a URL's password, SQLite files as
    ``sqlite:///path``."""
    if "://" in target:
        import re

        return re.sub(r"(://[^:/@]*):[^/]*@", r"\1@", target)
    path = Path(target)
    try:
        with path.open("rb") as fh:
            if fh.read(16).startswith(b"SQLite format 3\x00"):
                return f"sqlite:///{target}"
    except OSError:
        pass
    return target


def _one_line(exc: BaseException | str) -> str:
    """An error on one line for a report or log, with any personal value it quotes masked."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return redact(text[:500])


def _partial(source: str, container: str, field_name: str, message: str) -> dict:
    """An error entry for part of a field that could not be read (the rest was scanned)."""
    return {
        "source": source,
        "container": container,
        "field": field_name,
        "message": message,
        "partial": True,
    }


def _skipped_entry(source: str, container: Container, fname: str, reason: str) -> dict:
    return {
        "source": source,
        "container": container.name,
        "field": fname,
        "values_scanned": 0,
        "documents": 0,
        "sampling_method": container.sampling_method,
        "entities": [],
        "beyond_policy": [],
        "status": NONE,
        "skipped": reason,
    }


def _not_scanned_entry(source: str, container: Container, fname: str, reason: str) -> dict:
    """The entry of a file, or a field of one, that was not read: ``skipped`` says why."""
    entry = _skipped_entry(source, container, fname, reason)
    entry["status"] = NOT_SCANNED
    return entry


def third_party_counts(fields: list[dict]) -> dict[str, int]:
    """Fields with a third-party finding (section 2.4) and the open ones among them."""
    return _third_party_counted({"fields": fields})


def build_report(
    fields: list[dict],
    errors: list[dict],
    sources: list[dict],
    policy: Policy,
    sampling: Sampling,
    methods: set[str] | None = None,
) -> dict:
    """Assemble the JSON report: fields worst first, a summary, the sampling and the policy."""
    fields = sorted(
        fields,
        key=lambda f: (
            STATUS_ORDER[f["status"]],
            -len(f["beyond_policy"]),
            f["source"],
            f["container"],
            f["field"],
        ),
    )
    beyond = [f for f in fields if f["status"] == BEYOND]
    early_stopped = any("early_stop" in f for f in fields)
    method = ", ".join(sorted(methods)) if methods else ("full" if sampling.mode == "full" else "")
    # Names are masked first, so the gap's field lists show them as every other section does.
    report = mask_report_names(
        {
            "schema_version": 1,
            "tool": {"name": "pdaudit", "version": __version__},
            "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "policy": policy.summary(),
            "sampling": sampling.describe(method, early_stopped=early_stopped),
            "sources": sources,
            "summary": {
                "fields": len(fields),
                "beyond_policy": len(beyond),
                "within_policy": sum(f["status"] == WITHIN for f in fields),
                "no_personal_data": sum(f["status"] == NONE for f in fields),
                "not_scanned": sum(f["status"] == NOT_SCANNED for f in fields),
                "containers_beyond_policy": len({(f["source"], f["container"]) for f in beyond}),
                "errors": len(errors),
            },
            "third_party_fields": third_party_counts(fields)["third_party_fields"],
            "fields": fields,
            "errors": errors,
        }
    )
    report["policy_gap"] = policy_gap(report)
    return report
