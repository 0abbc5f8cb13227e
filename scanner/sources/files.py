"""Files and folders as a source: CSV, JSON/JSONL and text files, and scanned documents.

Every file is one container, named by its path relative to the scanned folder. The kind comes from
the content: magic bytes make a document (PDF, images: OCR'd by ``pdaudit.scanner.sources.documents``),
text is a CSV (``.csv``/``.tsv``), JSON (``.json``, or text starting with ``{``/``[``), JSON Lines
(``.jsonl``/``.ndjson``) or plain text (one record per non-empty line). Other binary files are
listed with the reason they were skipped. A file that cannot be opened becomes a container whose
``read()`` raises ``ContainerError``, so the scan reports it and goes on.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import os
import random
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pdaudit.scanner.sources import Container, ContainerError, Record
from pdaudit.scanner.sources.documents import (
    DocumentError,
    DocumentText,
    Limits,
    _finish,
    _Pending,
    _prepare,
    sniff,
)

BATCH = 1000
DEFAULT_LIMITS = Limits()
HEAD_BYTES = 8192
CSV_SUFFIXES = {".csv", ".tsv"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1251 — what Russian-language exports use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def is_text(head: bytes) -> bool:
    """Whether the first bytes of a file look like text (no NULs, decodable, mostly printable).

    >>> is_text("ФИО;ИИН\\n".encode("cp1251")), is_text(b"\\x00\\x01\\x02PK")
    (True, False)
    """
    if b"\x00" in head:
        return False
    if not head:
        return True
    text = _decode(head[:-4] if len(head) >= HEAD_BYTES else head)
    printable = sum(ch.isprintable() or ch in "\r\n\t\f" for ch in text)
    return printable >= 0.95 * len(text)


def _reservoir(rows: Iterable[Any], size: int, seed: int) -> list[Any]:
    """A seeded uniform sample of ``size`` rows, kept in file order (Algorithm R)."""
    rng = random.Random(seed)
    sample: list[tuple[int, Any]] = []
    for i, row in enumerate(rows):
        if i < size:
            sample.append((i, row))
        else:
            j = rng.randint(0, i)
            if j < size:
                sample[j] = (i, row)
    return [row for _, row in sorted(sample, key=lambda item: item[0])]


def _batches(records: Iterable[Record], size: int = BATCH) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _unique_fields(header: Sequence[str]) -> list[str]:
    fields: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header, 1):
        name = (name or "").strip() or f"column_{i}"
        base, n = name, 1
        while name in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name)
        fields.append(name)
    return fields


class FileSource:
    """Files and folders on disk; folders are walked recursively.

    ``include``/``exclude`` are ``fnmatch`` globs on the path relative to the scanned folder
    (``*`` also crosses ``/``). ``sampling`` (``pdaudit.scanner.sampling.Sampling``) limits CSV, JSON and
    text files to a seeded reservoir sample of ``rows_per_table`` records in ``"sample"`` mode.
    """

    def __init__(
        self,
        paths: Sequence[str],
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        limits: Limits = DEFAULT_LIMITS,
        sampling: Any | None = None,
        workers: int = 2,
    ) -> None:
        self.paths = [str(p) for p in ([paths] if isinstance(paths, str | Path) else paths)]
        self.include = list(include)
        self.exclude = list(exclude)
        self.limits = limits
        self.sampling = sampling
        self.workers = workers
        self.display = ", ".join(self.paths)
        self._pool: Any = None
        self._lock = threading.Lock()
        self._documents: list[tuple[str, str]] = []  # (path, name) in container order
        self._pending: dict[str, _Pending | DocumentError] = {}

    # --- walking -------------------------------------------------------------------------

    def _wanted(self, rel: str) -> bool:
        if self.include and not any(fnmatch.fnmatch(rel, g) for g in self.include):
            return False
        return not any(fnmatch.fnmatch(rel, g) for g in self.exclude)

    def _walk(self) -> Iterator[tuple[str, str, str | None]]:
        """``(path, name, error)`` for every file wanted, in sorted order."""
        for root in self.paths:
            if os.path.isdir(root):
                errors: list[OSError] = []
                found: list[tuple[str, str, str | None]] = []
                for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
                    dirnames.sort()
                    for fname in filenames:
                        path = os.path.join(dirpath, fname)
                        rel = Path(os.path.relpath(path, root)).as_posix()
                        if self._wanted(rel):
                            found.append((path, rel, None))
                for err in errors:
                    path = err.filename or root
                    rel = Path(os.path.relpath(path, root)).as_posix()
                    if self._wanted(rel) or self._wanted(rel + "/"):
                        found.append((path, rel, f"cannot open folder: {err.strerror or err}"))
                yield from sorted(found, key=lambda item: item[1])
            elif os.path.lexists(root):
                yield root, os.path.basename(root), None
            else:
                yield root, os.path.basename(root) or root, "no such file or folder"

    def containers(self) -> Iterator[Container]:
        """One container per wanted file."""
        entries = list(self._walk())
        self._documents = []
        built: list[Container] = []
        for path, name, error in entries:
            built.append(self._container(path, name, error))
        yield from built

    # --- one container per file ----------------------------------------------------------

    def _error(self, name: str, message: str, kind: str = "file") -> Container:
        def read() -> Iterator[list[Record]]:
            raise ContainerError(f"{name}: {message}")
            yield  # pragma: no cover  (makes read a generator like the others)

        return Container(self.display, name, [], read, kind=kind)

    def _container(self, path: str, name: str, error: str | None) -> Container:
        if error:
            return self._error(name, error)
        try:
            if not os.path.isfile(path):
                reason = "broken symbolic link" if os.path.islink(path) else "not a regular file"
                return self._error(name, reason)
            with open(path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
        except OSError as exc:
            return self._error(name, f"cannot open file: {exc.strerror or exc}")
        if sniff(head) is not None:
            self._documents.append((path, name))
            container = Container(
                self.display, name, ["content"], iter, sampling_method="all pages", kind="document"
            )
            container.read = lambda: self._read_document(path, name, container)
            return container
        if not is_text(head):
            return Container(
                self.display,
                name,
                [],
                lambda: iter(()),
                skipped={"*": "unsupported binary file type"},
                kind="binary",
            )
        suffix = Path(name).suffix.lower()
        stripped = _decode(head).lstrip()
        if suffix in CSV_SUFFIXES:
            return self._csv(path, name, head)
        if suffix in JSONL_SUFFIXES:
            return self._json(path, name, lines=True)
        if suffix in JSON_SUFFIXES or stripped[:1] in ("{", "["):
            return self._json(path, name, lines=False)
        return Container(
            self.display,
            name,
            ["content"],
            lambda: self._read_text(path, name),
            sampling_method=self._method("lines"),
            kind="text",
        )

    def _sample_size(self) -> int | None:
        sampling = self.sampling
        if sampling is None or getattr(sampling, "mode", "sample") == "full":
            return None
        return int(getattr(sampling, "rows_per_table", 10_000))

    def _method(self, unit: str) -> str:
        size = self._sample_size()
        if size is None:
            return f"all {unit}"
        seed = getattr(self.sampling, "seed", 0)
        return f"reservoir sample of {size} {unit} (seed {seed})"

    def _sampled(self, records: Iterable[Record]) -> Iterable[Record]:
        size = self._sample_size()
        if size is None:
            return records
        return _reservoir(records, size, int(getattr(self.sampling, "seed", 0)))

    # --- CSV -----------------------------------------------------------------------------

    def _csv(self, path: str, name: str, head: bytes) -> Container:
        sample = _decode(head)
        if len(head) >= HEAD_BYTES and "\n" in sample:
            sample = sample[: sample.rfind("\n")]  # a cut line would confuse the sniffer
        first_line = sample.split("\n", 1)[0]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = None
        if dialect is None or dialect.delimiter not in first_line:
            # The sniffer gives up on ragged rows; the header line still shows the delimiter.
            delimiter = max(",;\t|", key=first_line.count)
            if not first_line.count(delimiter):
                delimiter = "\t" if name.lower().endswith(".tsv") else ","

            class dialect(csv.excel):  # noqa: N801
                pass

            dialect.delimiter = delimiter
        try:
            header = next(csv.reader(io.StringIO(sample), dialect), [])
        except csv.Error as exc:
            return self._error(name, f"not a readable CSV file ({exc})", kind="csv")
        fields = _unique_fields(header)

        def rows() -> Iterator[Record]:
            try:
                with open(path, "rb") as fh:
                    text = _decode(fh.read())
                reader = csv.reader(io.StringIO(text, newline=""), dialect)
                next(reader, None)
                for row in reader:
                    if not any(cell.strip() for cell in row):
                        continue
                    yield {f: (row[i] if i < len(row) else None) for i, f in enumerate(fields)}
            except (OSError, csv.Error) as exc:
                raise ContainerError(f"{name}: cannot read CSV: {exc}") from exc

        return Container(
            self.display,
            name,
            fields,
            lambda: _batches(self._sampled(rows())),
            sampling_method=self._method("rows"),
            kind="csv",
        )

    # --- JSON / JSON Lines ---------------------------------------------------------------

    def _json_records(self, path: str, name: str, lines: bool) -> Iterator[Record]:
        try:
            with open(path, "rb") as fh:
                text = _decode(fh.read())
        except OSError as exc:
            raise ContainerError(f"{name}: cannot open file: {exc.strerror or exc}") from exc
        if lines:
            for number, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ContainerError(
                        f"{name}: line {number} is not JSON ({exc.msg}); fix or exclude the file"
                    ) from exc
                yield value if isinstance(value, dict) else {"value": value}
            return
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContainerError(
                f"{name}: not valid JSON ({exc.msg} at line {exc.lineno}); fix or exclude the file"
            ) from exc
        items = value if isinstance(value, list) else [value]
        for item in items:
            yield item if isinstance(item, dict) else {"value": item}

    def _json(self, path: str, name: str, lines: bool) -> Container:
        try:
            fields: list[str] = []
            seen: set[str] = set()
            for record in self._json_records(path, name, lines):
                for key in record:
                    if key not in seen:
                        seen.add(key)
                        fields.append(str(key))
        except ContainerError as exc:
            return self._error(name, str(exc).removeprefix(f"{name}: "), kind="json")
        return Container(
            self.display,
            name,
            fields,
            lambda: _batches(self._sampled(self._json_records(path, name, lines))),
            sampling_method=self._method("records"),
            kind="json",
        )

    # --- text ----------------------------------------------------------------------------

    def _read_text(self, path: str, name: str) -> Iterator[list[Record]]:
        try:
            with open(path, "rb") as fh:
                text = _decode(fh.read())
        except OSError as exc:
            raise ContainerError(f"{name}: cannot open file: {exc.strerror or exc}") from exc
        lines = ({"content": line} for line in text.splitlines() if line.strip())
        yield from _batches(self._sampled(lines))

    # --- documents -----------------------------------------------------------------------

    def _submit(self, img: Any) -> Any:
        from pdaudit.scanner.sources.documents import DEFAULT_STEPS, _ocr_job, make_pool

        if self._pool is None:
            self._pool = make_pool(self.workers)
        return self._pool.submit(_ocr_job, img, self.limits, DEFAULT_STEPS)

    def _prepare_one(self, path: str, name: str) -> None:
        if name in self._pending:
            return
        try:
            with open(path, "rb") as fh:
                data = fh.read(self.limits.max_file_bytes + 1)
            self._pending[name] = _prepare(data, name, self.limits, self._submit)
        except OSError as exc:
            self._pending[name] = DocumentError(f"{name}: cannot open file: {exc.strerror or exc}")
        except DocumentError as exc:
            self._pending[name] = exc

    def _read_document(self, path: str, name: str, container: Container) -> Iterator[list[Record]]:
        with self._lock:
            # Decode this document and the next ones so that every OCR worker has a page.
            order = [n for _, n in self._documents]
            at = order.index(name) if name in order else -1
            ahead = self._documents[at + 1 : at + self.workers] if at >= 0 else []
            for p, n in [(path, name), *ahead]:
                self._prepare_one(p, n)
            pending = self._pending.pop(name)
        if isinstance(pending, DocumentError):
            raise ContainerError(str(pending))
        result: DocumentText = _finish(pending, name)
        if result.errors and not result.pages:
            raise ContainerError(result.errors[0])
        if result.errors:
            # Pages that could not be read: the container's list of what was not scanned.
            container.skipped["content"] = "; ".join(result.errors)
        for page in result.pages:
            yield [{"content": page}]

    def close(self) -> None:
        """Stop the OCR workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()


__all__ = ["FileSource", "is_text"]
