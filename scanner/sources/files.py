"""Files and folders as a source: CSV, JSON/JSONL and text files, office and scanned documents.

Every file is one container, named by its path relative to the scanned folder. The kind comes from
the content: magic bytes make a document (PDF, images: OCR'd by ``pdaudit.scanner.sources.documents``) or
an office document (DOCX, XLSX, PPTX, ODT, ODS, ODP, RTF: ``pdaudit.scanner.sources.office``, with the
pictures inside them OCR'd); text (UTF-8, UTF-16 or UTF-32 with a byte order mark, else
Windows-1251) is a CSV (``.csv``/``.tsv``), JSON (``.json``, or text starting with ``{``/``[``),
JSON Lines (``.jsonl``/``.ndjson``) or plain text (one record per non-empty line). A file that is
not read (another binary format, encrypted, damaged, unreadable) becomes a container whose
``read()`` raises ``NotScanned`` with the reason: the report lists it as ``not_scanned``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import fnmatch
import io
import json
import os
import random
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pdaudit.scanner.sources import Container, ContainerError, NotScanned, Page, Record
from pdaudit.scanner.sources.documents import (
    DocumentError,
    DocumentText,
    Limits,
    _finish,
    _Pending,
    _prepare,
    _prepare_image,
    sniff,
)
from pdaudit.scanner.sources.office import classify
from pdaudit.scanner.sources.page_findings import PageText

BATCH = 1000
DEFAULT_LIMITS = Limits()
HEAD_BYTES = 8192
CSV_SUFFIXES = {".csv", ".tsv"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


_ARCHIVES = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)


def _nil() -> Iterator[list[Record]]:
    """No records: a container's ``read`` until its own is set."""
    return iter(())


def _archive_kind(head: bytes, name: str) -> str | None:
    """The kind of archive ``head`` starts (tar by its ustar magic), or None."""
    for magic, kind in _ARCHIVES:
        if head.startswith(magic):
            return None if kind == "zip" and Path(name).suffix.lower() in _ZIP_DOCUMENTS else kind
    if head[257:262] == b"ustar":
        return "tar"
    return None


#: Zip files that are documents of a type pdaudit does not read (listed as unsupported).
_ZIP_DOCUMENTS = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk"}


def _is_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _is_ancestor(link: str, dirpath: str) -> bool:
    """Whether the folder a link points to holds the link (a loop)."""
    real, here = os.path.realpath(link), os.path.realpath(dirpath)
    return here == real or here.startswith(real.rstrip(os.sep) + os.sep)


#: Byte order marks, longest first (UTF-32's starts like UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark names, or ``None`` without one.

    >>> bom_encoding("ФИО".encode("utf-16")), bom_encoding(b"\\xef\\xbb\\xbfa"), bom_encoding(b"a")
    ('utf-16', 'utf-8-sig', None)
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _decode(data: bytes, final: bool = True) -> str:
    """Text with a byte order mark in its encoding (Excel's "Unicode text" is UTF-16), else
    UTF-8, else Windows-1251 — what Russian-language exports use. ``final=False`` decodes the
    head of a file, which may end inside a character.

    >>> _decode("ФИО;ИИН".encode("utf-16")), _decode("ФИО".encode("cp1251"))
    ('ФИО;ИИН', 'ФИО')
    """
    encoding = bom_encoding(data)
    if encoding is not None and encoding != "utf-8-sig":
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        return decoder.decode(data, final=final)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def is_text(head: bytes) -> bool:
    """Whether the first bytes of a file look like text (no NULs, decodable, mostly printable).

    >>> is_text("ФИО;ИИН\\n".encode("cp1251")), is_text(b"\\x00\\x01\\x02PK")
    (True, False)
    """
    if not head:
        return True
    wide = bom_encoding(head) not in (None, "utf-8-sig")
    if b"\x00" in head and not wide:
        return False
    text = (
        _decode(head, final=False)
        if wide
        else _decode(head[:-4] if len(head) >= HEAD_BYTES else head)
    )
    printable = sum(ch.isprintable() or ch in "\r\n\t\f" for ch in text)
    return printable >= 0.95 * len(text)


def _sheet_records(sheet: str, rows: Iterable[Sequence[Any]]) -> Iterator[Record]:
    """The rows of a sheet as records; its first non-empty row names the fields
    (``sheet!column``), empty cells are left out.

    >>> list(_sheet_records("Лист1", [[None], ["ФИО", None, "ИИН"], ["Ли", "", 910314412344]]))
    [{'Лист1!ФИО': 'Ли', 'Лист1!ИИН': 910314412344}]
    """
    from pdaudit.scanner.sources.office import is_blank

    fields: list[str] = []
    for row in rows:
        if all(is_blank(v) for v in row):
            continue
        if not fields:
            header = ["" if is_blank(v) else str(v) for v in row]
            fields = [f"{sheet}!{f}" for f in _unique_fields(header)]
            continue
        yield {
            fields[i] if i < len(fields) else f"{sheet}!column_{i + 1}": _cell(value)
            for i, value in enumerate(row)
            if not is_blank(value)
        }


def _cell(value: Any) -> Any:
    """A spreadsheet cell as the scan takes it: a date typed into a cell comes back from the
    file as a datetime at midnight, and is a date (a birth date), as a database's DATE column.

    >>> _cell(dt.datetime(1985, 11, 5)), _cell(dt.datetime(2024, 1, 2, 9, 30)).isoformat()
    (datetime.date(1985, 11, 5), '2024-01-02T09:30:00')
    """
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date()
    return value


def _short(exc: BaseException) -> str:
    return (" ".join(str(exc).split()) or type(exc).__name__)[:200]


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


#: A line of a machine-readable zone (ICAO 9303: TD1 lines are 30 characters, TD3 lines 44).
_ZONE_LINE = re.compile(r"[A-Z0-9<]{28,46}")


def text_lines(text: str) -> Iterator[str]:
    r"""The non-blank lines of a text file, one value each, except that the lines of a
    machine-readable zone (two or three lines of capitals, digits and ``<`` fillers) stay
    together as one value: its fields and check digits run across the lines.

    >>> zone = ["IDKAZ0432187655910314412344<<<", "9103145F3105208KAZ<<<<<<<<<<<0",
    ...         "AKHMETOVA<<AIGERIM<<<<<<<<<<<<"]
    >>> [len(v.splitlines()) for v in text_lines("\n".join(["Скан:", *zone, "", "конец"]))]
    [1, 3, 1]
    """
    zone: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if _ZONE_LINE.fullmatch(stripped) and ("<" in stripped or zone):
            zone.append(stripped)
            continue
        if zone:
            yield "\n".join(zone)
            zone = []
        if stripped:
            yield line
    if zone:
        yield "\n".join(zone)


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
        """``(path, name, error)`` for every file wanted, in sorted order.

        Symbolic links to folders are followed once: a link to a folder already walked (a loop,
        or a second way into one) is listed in ``self.skipped_links`` instead. SQLite files
        found in a folder are left to ``sqlite_files`` (each is scanned as a source of its own).
        """
        self.skipped_links: dict[str, str] = {}
        for root in self.paths:
            if os.path.isdir(root):
                errors: list[OSError] = []
                found: list[tuple[str, str, str | None]] = []
                seen: dict[tuple[int, int], str] = {}
                for dirpath, dirnames, filenames in os.walk(
                    root, onerror=errors.append, followlinks=True
                ):
                    st = os.stat(dirpath)
                    here = Path(os.path.relpath(dirpath, root)).as_posix()
                    seen.setdefault((st.st_dev, st.st_ino), here)
                    dirnames.sort()
                    for dname in list(dirnames):
                        sub = os.path.join(dirpath, dname)
                        if not os.path.islink(sub):
                            continue
                        try:
                            target = os.stat(sub)
                        except OSError:
                            continue  # a broken link: os.walk lists nothing under it
                        first = seen.get((target.st_dev, target.st_ino))
                        if first is None and _is_ancestor(sub, dirpath):
                            first = Path(os.path.relpath(os.path.realpath(sub), root)).as_posix()
                        if first is not None:
                            dirnames.remove(dname)
                            rel = Path(os.path.relpath(sub, root)).as_posix()
                            if self._wanted(rel) or self._wanted(rel + "/"):
                                self.skipped_links[rel] = (
                                    f"symbolic link to a folder already scanned ({first}): "
                                    "not followed again"
                                )
                                found.append((sub, rel, None))
                        else:
                            seen[(target.st_dev, target.st_ino)] = Path(
                                os.path.relpath(sub, root)
                            ).as_posix()
                    for fname in filenames:
                        path = os.path.join(dirpath, fname)
                        rel = Path(os.path.relpath(path, root)).as_posix()
                        if self._wanted(rel) and not _is_sqlite(path):
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

    def sqlite_files(self) -> list[str]:
        """The SQLite files inside the scanned folders (wanted by include/exclude), sorted; the
        scan opens each as a source of its own (``pdaudit.scanner.scan``)."""
        out = []
        for root in self.paths:
            if not os.path.isdir(root):
                continue
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames.sort()
                for fname in sorted(filenames):
                    path = os.path.join(dirpath, fname)
                    rel = Path(os.path.relpath(path, root)).as_posix()
                    if self._wanted(rel) and _is_sqlite(path):
                        out.append(path)
        return out

    def containers(self) -> Iterator[Container]:
        """One container per wanted file."""
        entries = list(self._walk())
        self._documents = []
        built: list[Container] = []
        for path, name, error in entries:
            built.append(self._container(path, name, error))
        yield from built

    # --- one container per file ----------------------------------------------------------

    def _error(self, name: str, message: str, kind: str = "file", unread: bool = True) -> Container:
        """A container that raises ``NotScanned`` (the file was found but is not read), or
        ``ContainerError`` with ``unread=False`` (the path itself is wrong)."""
        error = NotScanned if unread else ContainerError

        def read() -> Iterator[list[Record]]:
            raise error(f"{name}: {message}")
            yield  # pragma: no cover  (makes read a generator like the others)

        return Container(self.display, name, [], read, kind=kind)

    def _container(self, path: str, name: str, error: str | None) -> Container:
        if error:
            return self._error(name, error, unread=False)
        if name in getattr(self, "skipped_links", {}):
            return self._skipped(name, self.skipped_links[name], "link")
        try:
            if not os.path.isfile(path):
                problem = "broken symbolic link" if os.path.islink(path) else "not a regular file"
                return self._error(name, problem)
            with open(path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
        except OSError as exc:
            return self._error(name, f"cannot open file: {exc.strerror or exc}")
        if sniff(head) is not None:
            self._documents.append((path, name))
            container = Container(
                self.display, name, ["content"], _nil, sampling_method="all pages", kind="document"
            )
            container.read = lambda: self._read_document(path, name, container)
            return container
        office, reason = classify(head, path)
        if reason is not None:
            return self._error(name, reason, kind="binary")
        if office is not None:
            return self._office(path, name, office)
        archive = _archive_kind(head, name)
        if archive:
            return self._error(
                name, f"{archive} archive: not scanned; unpack it and scan the folder", "archive"
            )
        if not is_text(head):
            return self._error(
                name,
                "a binary format pdaudit does not read; convert it to a supported one "
                "(PDF, an image, DOCX, XLSX, CSV, text) or exclude it",
                kind="binary",
            )
        suffix = Path(name).suffix.lower()
        stripped = _decode(head, final=False).lstrip()
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

    def _skipped(self, name: str, reason: str, kind: str) -> Container:
        return Container(self.display, name, [], lambda: iter(()), skipped={"*": reason}, kind=kind)

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
        sample = _decode(head, final=False)
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

            class _Dialect(csv.excel):
                pass

            _Dialect.delimiter = delimiter
            dialect = _Dialect
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
                raise NotScanned(f"{name}: cannot read CSV: {exc}") from exc

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
            raise NotScanned(f"{name}: cannot open file: {exc.strerror or exc}") from exc
        if lines:
            for number, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise NotScanned(
                        f"{name}: line {number} is not JSON ({exc.msg}); fix or exclude the file"
                    ) from exc
                yield value if isinstance(value, dict) else {"value": value}
            return
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise NotScanned(
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
            raise NotScanned(f"{name}: cannot open file: {exc.strerror or exc}") from exc
        lines = ({"content": line} for line in text_lines(text))
        yield from _batches(self._sampled(lines))

    # --- office documents ----------------------------------------------------------------

    def _office(self, path: str, name: str, kind: str) -> Container:
        from pdaudit.scanner.sources import office

        if kind in office.SPREADSHEETS:
            container = Container(
                self.display, name, [], _nil, sampling_method=self._method("rows"), kind=kind
            )
        else:
            unit = "slides" if kind in ("pptx", "odp") else "paragraphs"
            container = Container(
                self.display, name, ["content"], _nil, sampling_method=f"all {unit}", kind=kind
            )

        def read() -> Iterator[list[Record]]:
            try:
                size = os.path.getsize(path)
                if size > self.limits.max_file_bytes:
                    raise office.OfficeError(
                        f"{size} bytes exceeds the limit of {self.limits.max_file_bytes} bytes; "
                        "split the file or raise the size limit"
                    )
                if kind != "rtf":
                    office.check_unzipped_size(
                        path, self.limits.max_file_bytes * office.MAX_UNZIP_RATIO
                    )
                if kind in office.SPREADSHEETS:
                    yield from self._sheets(path, kind)
                else:
                    yield from self._office_text(path, kind)
            except office.OfficeError as exc:
                raise NotScanned(f"{name}: {exc}") from exc
            except OSError as exc:
                raise NotScanned(f"{name}: cannot open file: {exc.strerror or exc}") from exc
            except Exception as exc:  # noqa: BLE001  the parsers raise many kinds on a damaged file
                if isinstance(exc, ContainerError):
                    raise
                raise NotScanned(
                    f"{name}: not a readable {kind.upper()} file ({_short(exc)}); "
                    "re-save it or exclude it"
                ) from exc
            if kind in office.MEDIA_FOLDERS:
                yield from self._pictures(path, name, kind, container)

        container.read = read
        return container

    def _office_text(self, path: str, kind: str) -> Iterator[list[Record]]:
        from pdaudit.scanner.sources import office

        if kind == "pptx":
            pages = (
                {"content": Page(PageText(text), number, "text")}
                for number, text in office.pptx_slides(path)
                if text.strip()
            )
            yield from _batches(pages)
            return
        if kind == "rtf":
            with open(path, "rb") as fh:
                texts: Iterable[str] = office.rtf_text(fh.read()).splitlines()
        elif kind == "docx":
            texts = office.docx_texts(path)
        else:
            texts = office.odf_texts(path)
        yield from _batches({"content": text} for text in texts if text.strip())

    def _sheets(self, path: str, kind: str) -> Iterator[list[Record]]:
        """Each sheet as a table: its first non-empty row names the columns (``sheet!column``)."""
        from pdaudit.scanner.sources import office

        sheets = office.xlsx_sheets(path) if kind == "xlsx" else office.ods_sheets(path)
        for sheet, rows in sheets:
            yield from _batches(self._sampled(_sheet_records(sheet, rows)))

    def _pictures(
        self, path: str, name: str, kind: str, container: Container
    ) -> Iterator[list[Record]]:
        """The pictures inside an office document, OCR'd; those not read go to ``unread``."""
        from pdaudit.scanner.sources import office

        try:
            pictures = office.media(path, kind)
        except (OSError, zipfile.BadZipFile) as exc:
            container.unread["content"] = f"{name}: pictures not read ({_short(exc)})"
            return
        problems: list[str] = []
        if len(pictures) > self.limits.max_pages:
            problems.append(
                f"{name}: only the first {self.limits.max_pages} of {len(pictures)} pictures "
                "were read"
            )
        pending: list[tuple[str, _Pending]] = []
        for part, data in pictures[: self.limits.max_pages]:
            label = f"{name}/{part}"
            picture = sniff(data)
            if picture is None or picture == "pdf":
                suffix = Path(part).suffix.lstrip(".").upper() or "this"
                problems.append(f"{label}: {suffix} pictures are not read")
                continue
            try:
                pending.append(
                    (label, _prepare_image(data, label, picture, self.limits, self._submit))
                )
            except DocumentError as exc:
                problems.append(str(exc))
        for label, item in pending:
            result = _finish(item, label)
            problems.extend(result.errors)
            yield [{"content": page.text} for page in result.pages if page.text.strip()]
        if problems:
            container.unread["content"] = "; ".join(problems)

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
            raise NotScanned(str(pending))
        result: DocumentText = _finish(pending, name)
        if result.errors and not result.pages:
            raise NotScanned(result.errors[0])
        if result.errors:
            # Pages that could not be read: the container's list of what was not scanned.
            container.unread["content"] = "; ".join(result.errors)
        for page in result.pages:
            yield [{"content": page}]

    def close(self) -> None:
        """Stop the OCR workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()


__all__ = ["FileSource", "is_text", "text_lines"]
