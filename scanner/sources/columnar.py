"""The columnar SQLite reader: a ``--full`` read of a table as Arrow record batches (issue 15).

``SqlSource`` reads an SQLite table through ``adbc-driver-sqlite``'s low-level API (SQLite's C API into
Arrow arrays) when the whole table is read; each record batch (``COLUMNAR_BATCH`` rows) becomes
an ``ArrowBatch``: the batch's Arrow columns, and the Python values of a column only when
something asks for them (``ArrowBatch.columns``, converted as the SQLAlchemy path converts them).
The scan counts a text or integer column's distinct values with their counts straight from the
Arrow array (``pdaudit.scanner.scan.counted_texts``); the record batches are streamed, never a
whole table in memory.

The guarantees of the SQLAlchemy path hold: the file is opened with the same read-only URI
(``sqlite_open.read_only_uri``: ``mode=ro``, ``immutable=1`` or a private copy of a WAL file),
``PRAGMA query_only`` is on and the lock wait is ``LOCK_TIMEOUT_S``; a broken UTF-8 cell reads
with replacement characters as before.

ADBC types each column by the first batch it reads and fails on a later value of another type
(or turns it into text). So the reader first asks SQLite for each column's storage classes
(``typeof``, one pass over the table in C) and leaves a table any of whose columns holds two
of them (an integer and a text, say) to the SQLAlchemy path (``read_table`` returns None). A
column that is NULL throughout the first batch is typed by a first row of typed literals, dropped
again (that read's first batch is one row short).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pdaudit.scanner.sources.sql import (
    LOCK_TIMEOUT_S,
    ColumnBatch,
    _convert,
    _decode_replacing,
)

if TYPE_CHECKING:
    from pdaudit.scanner.sources.sql import SqlSource, _Table

log = logging.getLogger("pdaudit")

_adbc: Any
_driver: Any
try:
    # The low-level API: ``adbc_driver_manager.dbapi`` imports polars when it is installed
    # (+57 MiB of peak RSS measured), and the reader needs none of the DBAPI.
    import adbc_driver_manager as _adbc
    import adbc_driver_sqlite as _driver

    #: What a failed read raises: the driver's errors, and Arrow's for a failed batch.
    Error: tuple[type[Exception], ...] = (_adbc.Error, pa.ArrowException, OSError)
except ImportError:  # pragma: no cover - a main dependency; without it the old path reads
    _adbc = _driver = None
    Error = (pa.ArrowException, OSError)

#: SQLite storage classes and a literal of each: the typed first row.
_LITERALS = {"integer": "0", "real": "0.0", "text": "''", "blob": "X''", "": "NULL"}


def storage_classes(conn: Connection, qname: str, cols: Sequence[str]) -> list[set[str]]:
    """The storage classes (``typeof``) each column holds besides NULL, in one pass."""
    parts = ", ".join(f"group_concat(DISTINCT typeof({c}))" for c in cols)
    row = conn.one(f"SELECT {parts} FROM {qname}")
    return [set((found or "").split(",")) - {"null", ""} for found in row]


def read_table(source: SqlSource, table: _Table) -> Iterator[ArrowBatch] | None:
    """The batches of a full read of ``table``, or None when the columnar reader does not fit
    it (a column with values of two storage classes; the driver missing)."""
    if _adbc is None:
        return None
    qname, cols = source._select_parts(table)
    quoted = [source._quote(name) for name, _ in table.columns]
    conn = connect(source._sqlite_uri)
    try:
        classes = storage_classes(conn, qname, quoted)
    except BaseException:
        conn.close()
        raise
    mixed = [
        name for (name, _), found in zip(table.columns, classes, strict=True) if len(found) > 1
    ]
    if mixed:
        conn.close()
        log.debug("%s: columns with mixed storage classes; read row by row", len(mixed))
        return None
    # Documents in BLOBs are OCR'd a batch at a time: such a table keeps the smaller batches.
    binary = any(kind == "binary" for _, kind in table.columns) or any("blob" in c for c in classes)
    size = source.batch_size if binary else source.columnar_batch
    sql = f"SELECT {cols} FROM {qname}"
    skip = 0
    try:
        typed = first_batch_typed(conn, sql, quoted, size)
    except BaseException:
        conn.close()
        raise
    if not all(ok or not found for ok, found in zip(typed, classes, strict=True)):
        # A column NULL throughout the first batch would be typed as integers: a first row of
        # typed literals types it, and is dropped again.
        first = ", ".join(_LITERALS[next(iter(found), "")] for found in classes)
        sql = f"SELECT {first} UNION ALL {sql}"
        skip = 1
    return _batches(conn, sql, size, table, skip)


def first_batch_typed(conn: Connection, sql: str, cols: Sequence[str], size: int) -> list[bool]:
    """Whether each column holds a value (not NULL) in the first ``size`` rows of ``sql``: ADBC
    types a column by the values of the first batch."""
    counts = ", ".join(f"count({c})" for c in cols)
    row = conn.one(f"SELECT {counts} FROM ({sql} LIMIT {int(size)})")
    return [bool(n) for n in row]


class Connection:
    """A read-only ADBC connection to an SQLite ``file:`` URI (autocommit: no transaction held);
    ``close`` closes its statements, the connection and the database."""

    def __init__(self, uri: str) -> None:
        self._database = _driver.connect(uri)
        self._statements: list[Any] = []
        try:
            self._conn = _adbc.AdbcConnection(self._database)
        except BaseException:
            self._database.close()
            raise

    def execute(self, sql: str) -> None:
        """Run a statement that returns no rows."""
        self._statement(sql).execute_update()

    def query(self, sql: str, batch_rows: int | None = None) -> pa.RecordBatchReader:
        """The rows of ``sql`` as a stream of record batches of ``batch_rows`` rows."""
        options = {"adbc.sqlite.query.batch_rows": str(batch_rows)} if batch_rows else {}
        stream, _ = self._statement(sql, options).execute_query()
        return pa.RecordBatchReader.from_stream(stream)

    def one(self, sql: str) -> list[Any]:
        """The first row of ``sql``."""
        table = self.query(sql).read_all()
        return [column[0].as_py() for column in table.columns]

    def _statement(self, sql: str, options: dict[str, str] | None = None) -> Any:
        statement = _adbc.AdbcStatement(self._conn)
        self._statements.append(statement)
        if options:
            statement.set_options(**options)
        statement.set_sql_query(sql)
        return statement

    def close(self) -> None:
        for statement in self._statements:
            statement.close()
        self._statements.clear()
        self._conn.close()
        self._database.close()


def connect(uri: str) -> Connection:
    """A read-only connection: the URI's mode, ``PRAGMA query_only``, the lock wait."""
    conn = Connection(uri)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_S * 1000}")
    except BaseException:
        conn.close()
        raise
    return conn


def _batches(
    conn: Connection, sql: str, size: int, table: _Table, skip: int
) -> Iterator[ArrowBatch]:
    names = [name for name, _ in table.columns]
    kinds = [kind for _, kind in table.columns]
    try:
        reader = conn.query(sql, size)
        for batch in reader:
            if skip:
                batch = batch.slice(skip)
                skip = 0
            if batch.num_rows:
                yield ArrowBatch(batch, names, kinds)
        reader.close()
    finally:
        conn.close()


def _text_array(array: pa.Array) -> pa.Array:
    """A text column as it is, or with a broken UTF-8 cell's bytes decoded with replacement
    characters (as the SQLAlchemy path's ``text_factory`` decodes them)."""
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        raw = array.cast(pa.binary()).to_pylist()
        return pa.array([None if v is None else _decode_replacing(v) for v in raw], pa.string())
    return array


class _Columns(Mapping[str, Sequence[Any]]):
    """A batch's columns as Python values, each converted when first asked for.

    It holds the batch's arrays and kinds, not the ``ArrowBatch``: a batch that held it back
    would be a reference cycle, freed only by the cyclic collector, which a scan runs seldom
    (``pdaudit.scanner.process.GC_THRESHOLDS``), so the batches' Arrow buffers piled up.
    """

    __slots__ = ("_arrow", "_kinds", "_done")

    def __init__(self, arrow: Mapping[str, pa.Array], kinds: Mapping[str, str]) -> None:
        self._arrow = arrow
        self._kinds = kinds
        self._done: dict[str, Sequence[Any]] = {}

    def __getitem__(self, name: str) -> Sequence[Any]:
        values = self._done.get(name)
        if values is None:
            array = self._arrow[name]  # KeyError for an unknown name
            values = self._done[name] = _convert(self._kinds[name], array.to_pylist())
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrow)

    def __len__(self) -> int:
        return len(self._arrow)


class ArrowBatch(ColumnBatch):
    """One record batch: ``arrow[name]`` the column's Arrow array, ``kinds[name]`` its value
    kind, and ``columns`` the Python values (converted on first use), as in a ``ColumnBatch``.

    ``binary_names`` are the columns that may hold BLOBs (documents are looked for only there).
    """

    __slots__ = ("arrow", "kinds", "binary_names")

    def __init__(self, batch: pa.RecordBatch, names: list[str], kinds: list[str]) -> None:
        arrays = {}
        for name, array in zip(names, batch.columns, strict=True):
            if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
                array = _text_array(array)
            arrays[name] = array
        self.arrow: dict[str, pa.Array] = arrays
        self.kinds = dict(zip(names, kinds, strict=True))
        self.binary_names = [
            n
            for n, a in arrays.items()
            if pa.types.is_binary(a.type) or pa.types.is_large_binary(a.type)
        ]
        super().__init__(_Columns(self.arrow, self.kinds), batch.num_rows)
