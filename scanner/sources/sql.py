"""SQL databases as a source: SQLite, PostgreSQL and MySQL/MariaDB through SQLAlchemy.

Each table (and, on request, each view) is one container; its fields are the columns whose type
can hold personal data. Connections are read-only at the database level (SQLite: ``sqlite_open``,
PostgreSQL ``default_transaction_read_only``, MySQL ``TRANSACTION READ ONLY``) and every
statement runs under a timeout, so a scheduled scan can neither change data nor hang.

Rows are drawn in the database: ``TABLESAMPLE BERNOULLI ... REPEATABLE(seed)`` on PostgreSQL,
seeded random keys on SQLite rowids and MySQL integer primary keys, ``ORDER BY RAND(seed)`` or a
seeded reservoir where no key helps. The same seed reads the same rows.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import importlib.util
import json
import math
import os
import random
import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.dialects.mysql.base import MySQLDialect
from sqlalchemy.engine import URL, Connection, Engine

from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.sources import Container, ContainerError, Record, SourceError

CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_S = 10
#: Random keys looked up per ``IN (...)`` query.
KEY_CHUNK = 500
#: Rows per range when random keys are too sparse to hit rows (``key >= k ORDER BY key LIMIT``).
RANGE_RUN = 50
#: Rows per Arrow record batch of the columnar SQLite reader (``SqlSource._columnar_read``).
COLUMNAR_BATCH = 4_096
#: Rows per batch of a ``--full`` read of a table without a binary column (``SqlSource._batches``):
#: every batch pays fixed costs in the analysis (polars plans and compiles its searches per call,
#: ~1 ms), so a full read of text columns goes in bigger batches. Tables with BLOB columns keep
#: ``batch_size`` rows (a batch's documents are held and read ahead at once), and sample mode
#: keeps it too (its early stop is decided between batches).
FULL_TEXT_BATCH = 8_000

_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
#: MySQL/MariaDB through mysqlclient (``MySQLdb``, C) when it is installed: the same SQLAlchemy
#: path reads the 1M benchmark's tables for 2.16 s CPU against PyMySQL's 8.51 s
#: (bench/readers_servers.py). It has no Linux wheel on PyPI (a build against libmariadb-dev),
#: so the ``mysql`` extra keeps PyMySQL; ``mysql+pymysql://`` in a URL asks for PyMySQL anyway.
_C_DRIVERS = {"mysql": "mysql+mysqldb", "mariadb": "mariadb+mysqldb"}
_PIP_EXTRA = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}
_PG_SYSTEM_SCHEMAS = {"information_schema", "pg_catalog", "pg_toast"}
_MYSQL_SYSTEM_SCHEMAS = {"information_schema", "mysql", "performance_schema", "sys"}
_KEY = "__pdaudit_key"


@dataclass(frozen=True)
class KeyRange:
    """Rows with ``start <= key < end`` (None: open); the key is the integer primary key, the
    SQLite rowid, or on PostgreSQL the heap block of ``ctid``."""

    start: int | None
    end: int | None


@dataclass
class _Table:
    """What the source learned about one table or view while listing it."""

    schema: str | None
    name: str
    kind: str  # "table" or "view"
    columns: list[tuple[str, str]]  # (column, value kind) for the scanned fields
    skipped: dict[str, str] = field(default_factory=dict)
    int_key: str | None = None  # a single integer primary key (or SQLite's rowid)
    error: str = ""  # why the table could not even be described


class SqlSource:
    """A database reached through an SQLAlchemy URL or an SQLite file path.

    The constructor connects once to fail early with a ``SourceError``; ``containers()`` lists the
    tables; each container's ``read()`` opens its own connection and yields batches of records.
    """

    def __init__(
        self,
        target: str,
        *,
        password_env: str | None = None,
        schemas: Sequence[str] = (),
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        views: bool = False,
        sampling: Sampling = Sampling(),  # noqa: B008  (frozen dataclass, safe as a default)
        statement_timeout_s: float = 300,
        batch_size: int | None = None,
        columnar: bool = False,
    ) -> None:
        self.schemas = tuple(schemas)
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        self.views = views
        self.sampling = sampling
        self.statement_timeout_s = statement_timeout_s
        #: rows per batch of the SQLAlchemy path (and of the columnar one for tables with BLOBs)
        self.batch_size = batch_size or 2000
        self.full_text_batch = batch_size or FULL_TEXT_BATCH
        #: True reads ``--full`` SQLite tables as Arrow record batches (``_columnar_read``).
        #: Off by default: on the 1,000,000-user benchmark its peak RSS is 475 MiB against
        #: 394 MiB on the SQLAlchemy path, for no CPU gain (bench/README.md, 2026-12-06)
        self.columnar = columnar
        self.columnar_batch = batch_size or COLUMNAR_BATCH
        self._sqlite_uri = ""  # the read-only ``file:`` URI an SQLite source is opened with
        self._secrets: list[str] = []
        self._sqlite_copy: Path | None = None  # a private copy of a WAL file being written
        #: what ``containers()`` learned about each table, by container name (for key ranges)
        self._listed: dict[str, _Table] = {}
        url, self.display = self._parse(target, password_env)
        self.dialect = url.get_backend_name()
        self._database = url.database
        try:
            self._engine = self._create_engine(url)
            self._check_connection()
        except BaseException:
            if self._sqlite_copy is not None:
                import shutil

                shutil.rmtree(self._sqlite_copy, ignore_errors=True)
            raise

    # -- connecting -------------------------------------------------------------------------

    def _parse(self, target: str, password_env: str | None) -> tuple[URL, str]:
        if "://" not in target:
            return self._sqlite_url(target)
        try:
            url = sa.make_url(target)
        except (exc.ArgumentError, ValueError):
            # Up to the last "@" before the path: an unquoted password may hold "@" itself.
            shown = re.sub(r"(://[^:/@]*):[^/]*@", r"\1@", target)
            raise SourceError(
                f"{shown}: not a database URL — use e.g. postgresql://user@host/db, "
                "mysql://user@host/db or a path to an SQLite file"
            ) from None
        backend = url.get_backend_name()
        if backend == "sqlite":
            return self._sqlite_url(url.database or "")
        if url.drivername in _C_DRIVERS and importlib.util.find_spec("MySQLdb") is not None:
            url = url.set(drivername=_C_DRIVERS[url.drivername])
        elif url.drivername in _DRIVERS:
            url = url.set(drivername=_DRIVERS[url.drivername])
        # URL.set() ignores None, so build the shown URL without the password from its parts.
        display = URL.create(
            target.split("://", 1)[0],
            url.username,
            None,
            url.host,
            url.port,
            url.database,
            url.query,
        ).render_as_string(hide_password=False)
        if password_env:
            value = os.environ.get(password_env)
            if value is None:
                raise SourceError(
                    f"{display}: environment variable {password_env} is not set — export it "
                    "or drop the password option"
                )
            url = url.set(password=value)
        if url.password:
            self._secrets += [str(url.password), quote(str(url.password), safe="")]
        return url, display

    def _sqlite_url(self, path_text: str) -> tuple[URL, str]:
        display = f"sqlite:///{path_text}"
        if path_text.startswith("file:"):
            path_text = path_text[5:].split("?", 1)[0]
        path = Path(path_text)
        if not path_text or path_text == ":memory:":
            raise SourceError(f"{display}: no database file given — pass a path to an SQLite file")
        if not path.is_file():
            raise SourceError(f"{display}: no such file — check the path")
        # Read-only, and nothing created beside the file, WAL mode included (sqlite_open).
        from pdaudit.scanner.sources.sqlite_open import read_only_uri

        try:
            uri, self._sqlite_copy = read_only_uri(path)
        except OSError as error:
            raise SourceError(f"{display}: cannot read the file ({error.strerror})") from None
        self._sqlite_uri = uri
        return URL.create("sqlite", database=uri, query={"uri": "true"}), display

    def _create_engine(self, url: URL) -> Engine:
        timeout_ms = int(self.statement_timeout_s * 1000)
        kwargs: dict[str, Any] = {}
        if self.dialect == "postgresql":
            kwargs["connect_args"] = {
                "connect_timeout": CONNECT_TIMEOUT_S,
                "application_name": "pdaudit",
                "options": f"-c default_transaction_read_only=on -c statement_timeout={timeout_ms}"
                f" -c lock_timeout={LOCK_TIMEOUT_S * 1000}",
            }
        elif self.dialect in ("mysql", "mariadb"):
            kwargs["connect_args"] = {
                "connect_timeout": CONNECT_TIMEOUT_S,
                "read_timeout": int(self.statement_timeout_s) + 30,
                "write_timeout": 60,
                "charset": "utf8mb4",
            }
        elif self.dialect == "sqlite":
            kwargs["connect_args"] = {"timeout": LOCK_TIMEOUT_S}
        try:
            engine = sa.create_engine(url, **kwargs)
        except exc.NoSuchModuleError:
            raise SourceError(
                f"{self.display}: unknown database type {url.drivername!r} — use sqlite, "
                "postgresql or mysql/mariadb"
            ) from None
        except ModuleNotFoundError as error:
            extra = _PIP_EXTRA.get(self.dialect, "all")
            raise SourceError(
                f"{self.display}: driver {error.name} is not installed — "
                f"pip install 'pdaudit[{extra}]'"
            ) from None
        if self.dialect == "sqlite":
            event.listen(engine, "connect", _sqlite_session)
        elif self.dialect in ("mysql", "mariadb"):
            event.listen(engine, "connect", _mysql_session(self.statement_timeout_s))
        return engine

    def _check_connection(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.execute(
                    sa.text(
                        "SELECT 1"
                        if self.dialect != "sqlite"
                        else "SELECT count(*) FROM sqlite_master"
                    )
                )
        except exc.SQLAlchemyError as error:
            self._engine.dispose()
            raise SourceError(f"{self.display}: {self._connect_advice(error)}") from None

    def _connect_advice(self, error: Exception) -> str:
        text = self._clean(error)
        low = text.lower()
        if "connection refused" in low or re.search(r"can't connect to .*\(111\)", low):
            return "connection refused — is the server running and the port right?"
        # libmariadb (mysqlclient) connects with a time limit and then names errno 115 (in
        # progress) alone, for a refused port and an unreachable network alike.
        if re.search(r"can't connect to .*\(115\)", low):
            return "cannot reach the server — is it running, and are the host and port right?"
        if any(
            s in low
            for s in (
                "password authentication failed",
                "access denied",
                "no password supplied",
                "authentication failed",
            )
        ):
            return (
                "login failed — check the user name and password (in the URL, "
                "PGPASSWORD/~/.pgpass, or the password environment variable)"
            )
        if re.search(r"database \S+ does not exist|unknown database", low):
            return "no such database — check the database name in the URL"
        if any(
            s in low
            for s in (
                "could not translate host name",
                "name or service not known",
                "unknown mysql server host",
                "nodename nor servname",
            )
        ):
            return "unknown host — check the host name in the URL"
        if "timeout" in low or "timed out" in low:
            return f"no answer within {CONNECT_TIMEOUT_S} s — check the host, port and firewall"
        if "file is not a database" in low or "not a database" in low:
            return "not an SQLite database file"
        if "unable to open database" in low:
            return "cannot open the file — check its permissions"
        if "no such file or directory" in low:
            return "no server socket there — is the server running?"
        return f"cannot connect: {text}"

    def _clean(self, error: Exception) -> str:
        """The driver's message on one line, without passwords or SQLAlchemy's footer."""
        orig = getattr(error, "orig", None) or error
        text = " ".join(str(orig).split())
        text = re.sub(r"\s*\(Background on this error at:.*", "", text)
        for secret in self._secrets:
            if secret:
                text = text.replace(secret, "***")
        return text[:300]

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (read-only sessions)."""
        return self._engine

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()
        if self._sqlite_copy is not None:
            import shutil

            shutil.rmtree(self._sqlite_copy, ignore_errors=True)
            self._sqlite_copy = None

    def __enter__(self) -> SqlSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- listing ----------------------------------------------------------------------------

    def containers(self) -> Iterator[Container]:
        """One container per table (and per view with ``views=True``), sorted by name."""
        try:
            tables = list(self._tables())
        except exc.SQLAlchemyError as error:
            raise SourceError(f"{self.display}: cannot list tables: {self._clean(error)}") from None
        for table in tables:
            container = Container(
                source=self.display,
                name=self._name(table),
                fields=[name for name, _ in table.columns],
                read=lambda: iter(()),
                sampling_method=self._planned_method(table),
                skipped=table.skipped,
                kind=table.kind,
            )
            container.read = self._reader(table, container)
            self._listed[container.name] = table
            yield container

    def _tables(self) -> Iterator[_Table]:
        inspector = sa.inspect(self._engine)
        for schema in self._schema_list(inspector):
            json_columns = self._mariadb_json_columns(schema)
            names = [(n, "table") for n in inspector.get_table_names(schema=schema)]
            if self.views:
                names += [(n, "view") for n in inspector.get_view_names(schema=schema)]
                if self.dialect == "postgresql":
                    names += [
                        (n, "view") for n in inspector.get_materialized_view_names(schema=schema)
                    ]
            for name, kind in sorted(names):
                if not self._table_selected(schema, name):
                    continue
                try:
                    table = self._describe(inspector, schema, name, kind, json_columns)
                except exc.SQLAlchemyError as error:
                    table = _Table(schema, name, kind, [], error=self._read_advice(error))
                if table is not None:
                    yield table

    def _schema_list(self, inspector: sa.Inspector) -> list[str | None]:
        if self.dialect == "sqlite":
            return [None]
        if self.schemas:
            return list(self.schemas)
        if self.dialect == "postgresql":
            with self._engine.connect() as conn:
                readable = (
                    conn.execute(
                        sa.text(
                            "SELECT nspname FROM pg_namespace WHERE has_schema_privilege(oid, 'USAGE') "
                            "AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' "
                            "ORDER BY nspname"
                        )
                    )
                    .scalars()
                    .all()
                )
            return list(readable)
        if self._database:
            return [self._database]
        return [
            s
            for s in sorted(inspector.get_schema_names())
            if s.lower() not in _MYSQL_SYSTEM_SCHEMAS
        ]

    def _mariadb_json_columns(self, schema: str | None) -> set[tuple[str, str]]:
        """MariaDB's JSON is LONGTEXT with a ``json_valid`` check; find those columns."""
        mariadb = getattr(self._engine.dialect, "is_mariadb", False)  # MySQL's dialect has it
        if self.dialect not in ("mysql", "mariadb") or not mariadb:
            return set()
        with self._engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                    "WHERE CONSTRAINT_SCHEMA = :s"
                ),
                {"s": schema},
            ).all()
        found = set()
        for table, clause in rows:
            match = re.fullmatch(r"\s*json_valid\(`([^`]+)`\)\s*", clause or "", re.IGNORECASE)
            if match:
                found.add((table, match.group(1)))
        return found

    def _describe(
        self,
        inspector: sa.Inspector,
        schema: str | None,
        name: str,
        kind: str,
        json_columns: set[tuple[str, str]],
    ) -> _Table | None:
        columns: Sequence[Mapping[str, Any]]
        try:
            columns = inspector.get_columns(name, schema=schema)
        except exc.SQLAlchemyError:
            if self.dialect not in ("mysql", "mariadb"):
                raise
            # Reflecting a MySQL view needs SHOW VIEW; information_schema only needs SELECT.
            columns = self._mysql_columns(schema, name)
        table = _Table(schema, name, kind, [])
        for column in columns:
            col = column["name"]
            if not self._column_selected(schema, name, col):
                table.skipped[col] = "excluded by the include/exclude filters"
                continue
            if (name, col) in json_columns:
                value_kind, reason = "json", ""
            else:
                value_kind, reason = _classify(column["type"], self._engine.dialect)
            if value_kind:
                table.columns.append((col, value_kind))
            else:
                table.skipped[col] = reason
        if (
            not table.columns
            and self.include
            and all(r.startswith("excluded") for r in table.skipped.values())
        ):
            return None  # nothing of this table was asked for
        if kind == "table":
            table.int_key = self._int_key(inspector, schema, name, columns)
        return table

    def _mysql_columns(self, schema: str | None, name: str) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
                    "WHERE TABLE_SCHEMA = :s AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION"
                ),
                {"s": schema, "t": name},
            ).all()
        dialect = self._engine.dialect
        assert isinstance(dialect, MySQLDialect)  # MySQL's and MariaDB's views come here
        names = dialect.ischema_names
        columns = []
        for column, data_type, column_type in rows:
            if str(column_type).lower() == "tinyint(1)":
                type_: sa.types.TypeEngine = sa.Boolean()
            else:
                type_ = names.get(str(data_type).lower(), sa.types.NullType)()
            columns.append({"name": column, "type": type_})
        return columns

    def _int_key(
        self,
        inspector: sa.Inspector,
        schema: str | None,
        name: str,
        columns: Sequence[Mapping[str, Any]],
    ) -> str | None:
        if self.dialect == "sqlite":
            with self._engine.connect() as conn:
                ddl = (
                    conn.execute(
                        sa.text("SELECT sql FROM sqlite_master WHERE name = :n AND type = 'table'"),
                        {"n": name},
                    ).scalar()
                    or ""
                )
            if not re.search(r"without\s+rowid", ddl, re.IGNORECASE):
                return "rowid"
        pk = inspector.get_pk_constraint(name, schema=schema).get("constrained_columns") or []
        if len(pk) == 1:
            types = {c["name"]: c["type"] for c in columns}
            if isinstance(types.get(pk[0]), sa.Integer):
                return pk[0]
        return None

    def _name(self, table: _Table) -> str:
        return f"{table.schema}.{table.name}" if table.schema else table.name

    def _table_selected(self, schema: str | None, name: str) -> bool:
        # Include patterns are checked per column: ``*.users.*`` names no table yet picks some.
        return not any(_matches(p, _table_names(schema, name)) for p in self.exclude)

    def _column_selected(self, schema: str | None, table: str, column: str) -> bool:
        names = _table_names(schema, table) + _column_names(schema, table, column)
        if any(_matches(p, names) for p in self.exclude):
            return False
        return not self.include or any(_matches(p, names) for p in self.include)

    # -- key ranges (a full read split into pieces) ------------------------------------------

    def key_ranges(self, name: str, rows: int) -> list[KeyRange] | None:
        """Ranges of about ``rows`` rows that, read one after another, give the rows of a full
        read of table ``name`` in the same order; None when the table is not split.

        Only in ``full`` mode, for a table read in key order: a plain SQLite rowid table scan, an
        InnoDB clustered-index scan on a single integer primary key, or a PostgreSQL sequential
        scan (split by heap blocks: ``ctid`` ranges keep its physical order). A plan that reads a
        covering index instead returns rows in that index's order, so such a table stays whole.
        The first range is open below and the last open above.
        """
        table = self._listed.get(name)
        if not self.sampling.full or table is None or table.kind != "table" or table.error:
            return None
        if not table.columns or rows < 1:
            return None
        qname, cols = self._select_parts(table)
        try:
            with self._engine.connect() as conn:
                plan = self._range_plan(conn, table, qname, cols)
                if plan is None:
                    return None
                lo, hi, count = plan
        except exc.SQLAlchemyError:
            return None  # the plain read reports what is wrong with the table
        pieces = math.ceil(count / rows)
        if pieces < 2 or hi - lo < pieces:
            return None
        bounds = [lo + (hi - lo) * i // pieces for i in range(pieces + 1)]
        starts: list[int | None] = [None, *bounds[1:-1]]
        ends: list[int | None] = [*bounds[1:-1], None]
        return [KeyRange(a, b) for a, b in zip(starts, ends, strict=True)]

    def _range_plan(
        self, conn: Connection, table: _Table, qname: str, cols: str
    ) -> tuple[int, int, int] | None:
        """``(low, high, rows)``: the key (or heap block) span and the row count, when the plain
        full read goes in that key's order."""
        select_all = f"SELECT {cols} FROM {qname}"
        if self.dialect == "sqlite":
            if table.int_key != "rowid":
                return None
            details = [r[-1] for r in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {select_all}"))]
            if len(details) != 1 or not re.fullmatch(r"SCAN (TABLE )?\S+", details[0]):
                return None
            # Apart: SQLite finds a lone min() or max() of the rowid at one end of the
            # table's b-tree, but steps through every row for the three together (1M users,
            # warm cache, 7 alternating runs: 0.15 s together, 0.06 s apart: the count).
            count = conn.execute(sa.text(f"SELECT count(*) FROM {qname}")).scalar()
            if not count:
                return None
            lo = conn.execute(sa.text(f"SELECT min(rowid) FROM {qname}")).scalar_one()
            hi = conn.execute(sa.text(f"SELECT max(rowid) FROM {qname}")).scalar_one()
            return int(lo), int(hi) + 1, int(count)
        if self.dialect in ("mysql", "mariadb"):
            if not table.int_key:
                return None
            engine = conn.execute(
                sa.text(
                    "SELECT ENGINE FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = :s AND TABLE_NAME = :t"
                ),
                {"s": table.schema or self._database, "t": table.name},
            ).scalar()
            plan = conn.execute(sa.text(f"EXPLAIN {select_all}")).mappings().all()
            if str(engine).lower() != "innodb" or len(plan) != 1 or plan[0]["type"] != "ALL":
                return None
            key = self._engine.dialect.identifier_preparer.quote(table.int_key)
            lo, hi, count = conn.execute(
                sa.text(f"SELECT min({key}), max({key}), count(*) FROM {qname}")
            ).one()
            return (int(lo), int(hi) + 1, int(count)) if count else None
        if self.dialect == "postgresql":
            scan = conn.execute(sa.text(f"EXPLAIN {select_all}")).scalar() or ""
            if not str(scan).startswith("Seq Scan"):
                return None
            blocks, estimate = conn.execute(
                sa.text(
                    "SELECT pg_relation_size(CAST(:t AS regclass)) "
                    "/ current_setting('block_size')::int, "
                    "(SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass))"
                ),
                {"t": qname},
            ).one()
            count = estimate if estimate is not None and estimate >= 0 else None
            if count is None:
                count = conn.execute(sa.text(f"SELECT count(*) FROM {qname}")).scalar()
            return (0, int(blocks), int(count or 0)) if blocks else None
        return None

    def range_container(self, name: str, key_range: KeyRange) -> Container:
        """Table ``name`` (listed by ``containers()``) restricted to one of its ``key_ranges``."""
        table = self._listed[name]
        container = Container(
            source=self.display,
            name=name,
            fields=[n for n, _ in table.columns],
            read=lambda: iter(()),
            sampling_method=self._planned_method(table),
            skipped=dict(table.skipped),
            kind=table.kind,
        )

        def read() -> Iterator[ColumnBatch]:
            try:
                with self._engine.connect() as conn:
                    rows = self._range_rows(conn, table, key_range)
                    yield from self._batches(rows, table)
            except (exc.SQLAlchemyError, sqlite3.Error) as error:  # SQLite rows are read raw
                raise ContainerError(
                    f"{self.display} {container.name}: {self._read_advice(error)}"
                ) from None

        container.read = read
        return container

    def _range_rows(
        self, conn: Connection, table: _Table, key_range: KeyRange
    ) -> Iterator[Sequence[Any]]:
        qname, cols = self._select_parts(table)
        if self.dialect == "postgresql":
            key, cast = "ctid", "CAST(:{} AS tid)"
            params: dict[str, object] = {
                name: f"({value},0)"
                for name, value in (("lo", key_range.start), ("hi", key_range.end))
                if value is not None
            }
            order = ""  # a TID range scan returns the heap's order, as the sequential scan does
        else:
            key = "rowid" if table.int_key == "rowid" else self._quote(table.int_key or "")
            cast = ":{}"
            params = {
                name: value
                for name, value in (("lo", key_range.start), ("hi", key_range.end))
                if value is not None
            }
            order = f" ORDER BY {key}"
        where = []
        if "lo" in params:
            where.append(f"{key} >= {cast.format('lo')}")
        if "hi" in params:
            where.append(f"{key} < {cast.format('hi')}")
        sql = f"SELECT {cols} FROM {qname}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._stream(conn, sql + order, params)

    def _quote(self, name: str) -> str:
        return self._engine.dialect.identifier_preparer.quote(name)

    def _select_parts(self, table: _Table) -> tuple[str, str]:
        q = self._engine.dialect.identifier_preparer
        qname = (
            f"{q.quote_schema(table.schema)}.{q.quote(table.name)}"
            if table.schema
            else q.quote(table.name)
        )
        return qname, ", ".join(q.quote(name) for name, _ in table.columns)

    # -- reading ----------------------------------------------------------------------------

    def _planned_method(self, table: _Table) -> str:
        if self.sampling.full:
            return "full"
        if self.dialect == "postgresql":
            return "tablesample bernoulli" if table.kind == "table" else "order by random()"
        if self.dialect == "sqlite":
            if table.int_key == "rowid":
                return "rowid"
            return "key-range" if table.int_key else "reservoir"
        return "key-range" if table.int_key else "order by rand(seed)"

    def _reader(self, table: _Table, container: Container) -> Callable[[], Iterator[ColumnBatch]]:
        def read() -> Iterator[ColumnBatch]:
            if table.error:
                raise ContainerError(f"{self.display} {container.name}: {table.error}")
            if not table.columns:
                return
            if self._columnar_fits(table):
                from pdaudit.scanner.sources import columnar

                try:
                    batches = columnar.read_table(self, table)
                    if batches is not None:
                        yield from batches
                        return
                except columnar.Error as error:
                    raise ContainerError(
                        f"{self.display} {container.name}: {self._read_advice(error)}"
                    ) from None
            try:
                with self._engine.connect() as conn:
                    yield from self._batches(self._rows(conn, table, container), table)
            except (exc.SQLAlchemyError, sqlite3.Error) as error:  # SQLite rows are read raw
                raise ContainerError(
                    f"{self.display} {container.name}: {self._read_advice(error)}"
                ) from None

        return read

    def _columnar_fits(self, table: _Table) -> bool:
        """Whether a table is read by the columnar reader: a ``--full`` read of an SQLite table
        (not a view, not a sample, not a key range) with ``columnar`` on; the reader itself
        still falls back when a column mixes storage classes (``columnar.read_table``)."""
        return (
            self.columnar
            and self.dialect == "sqlite"
            and self.sampling.full
            and table.kind == "table"
            and bool(self._sqlite_uri)
        )

    def _read_advice(self, error: Exception) -> str:
        text = self._clean(error)
        low = text.lower()
        if "permission denied" in low or "command denied" in low:
            return "permission denied — grant SELECT on it to the scanning user, or exclude it"
        if any(
            s in low
            for s in (
                "statement timeout",
                "max_statement_time",
                "maximum statement execution time",
                "timed out",
            )
        ):
            return (
                f"timed out after {self.statement_timeout_s:g} s — raise the statement "
                "timeout or sample fewer rows"
            )
        return f"cannot read: {text}"

    def _batches(self, rows: Iterator[Sequence[Any]], table: _Table) -> Iterator[ColumnBatch]:
        names = [name for name, _ in table.columns]
        kinds = [kind for _, kind in table.columns]
        rows = iter(rows)
        size = self._rows_per_batch(table)
        while chunk := list(islice(rows, size)):
            columns: dict[str, Sequence[Any]] = {}
            types: dict[str, frozenset[type]] = {}
            for name, kind, values in zip(names, kinds, zip(*chunk, strict=True), strict=False):
                columns[name], types[name] = _convert_typed(kind, values)
            yield ColumnBatch(columns, len(chunk), types)

    def _rows_per_batch(self, table: _Table) -> int:
        """Rows per batch of ``table``: ``full_text_batch`` for a ``--full`` read of a table
        without a binary column, ``batch_size`` otherwise."""
        if self.sampling.full and all(kind != "binary" for _, kind in table.columns):
            return self.full_text_batch
        return self.batch_size

    def _rows(
        self, conn: Connection, table: _Table, container: Container
    ) -> Iterator[Sequence[Any]]:
        q = self._engine.dialect.identifier_preparer
        qname = (
            f"{q.quote_schema(table.schema)}.{q.quote(table.name)}"
            if table.schema
            else q.quote(table.name)
        )
        cols = ", ".join(q.quote(name) for name, _ in table.columns)
        select_all = f"SELECT {cols} FROM {qname}"
        if self.sampling.full:
            return self._stream(conn, select_all)
        n = self.sampling.rows_per_table
        seed = self.sampling.seed
        rng = random.Random(f"{seed}:{container.name}")
        if table.kind == "view":
            if self.dialect == "postgresql":
                # setseed() takes a double in [-1, 1]; random() then repeats for the same seed.
                conn.execute(sa.text("SELECT setseed(:s)"), {"s": rng.uniform(-1, 1)})
                return self._stream(conn, f"{select_all} ORDER BY random() LIMIT {n}")
            if self.dialect == "sqlite":
                return _reservoir(self._stream(conn, select_all), n, rng)
            return self._stream(conn, f"{select_all} ORDER BY RAND({int(seed)}) LIMIT {n}")

        count = self._row_count(conn, table, qname)
        container.expected_rows = min(count, n)
        if count <= n:
            container.sampling_method = "whole table"
            return self._stream(conn, select_all)
        if self.dialect == "postgresql":
            return self._tablesample(conn, cols, qname, n, count, seed)
        if table.int_key:
            key = "rowid" if table.int_key == "rowid" else q.quote(table.int_key)
            lo, hi = conn.execute(sa.text(f"SELECT min({key}), max({key}) FROM {qname}")).one()
            select_keyed = f"SELECT {key} AS {_KEY}, {cols} FROM {qname}"
            return self._key_sample(conn, select_keyed, key, int(lo), int(hi), n, count, rng)
        if self.dialect == "sqlite":
            return _reservoir(self._stream(conn, select_all), n, rng)
        return self._stream(conn, f"{select_all} ORDER BY RAND({int(seed)}) LIMIT {n}")

    def _stream(
        self, conn: Connection, sql: str, params: dict | None = None
    ) -> Iterator[Sequence[Any]]:
        """Rows of ``sql`` through a server-side cursor where the driver has one."""
        if self.dialect == "sqlite":
            driver = conn.connection.driver_connection
            assert driver is not None  # the connection is open: ``conn`` executes
            yield from _sqlite_rows(driver, sql, params or {}, self.batch_size)
            return
        options = {"yield_per": self.batch_size}
        result = conn.execution_options(**options).execute(sa.text(sql), params or {})
        # ``yield_per`` opens a server-side cursor, but on a ``text()`` query it does not size
        # the partitions: without a size, ``partitions()`` fetched the whole table at once
        # (1,338 MiB peak for the 1M benchmark on PostgreSQL, bench/readers_servers.py).
        for part in result.partitions(self.batch_size):
            yield from part

    def _row_count(self, conn: Connection, table: _Table, qname: str) -> int:
        """Planner estimate for big tables; an exact count when the estimate is near the sample."""
        n = self.sampling.rows_per_table
        estimate = None
        if self.dialect == "postgresql":
            estimate = conn.execute(
                sa.text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                {"t": qname},
            ).scalar()
        elif self.dialect in ("mysql", "mariadb"):
            estimate = conn.execute(
                sa.text(
                    "SELECT TABLE_ROWS FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = :s AND TABLE_NAME = :t"
                ),
                {"s": table.schema, "t": table.name},
            ).scalar()
        if estimate is not None and estimate >= 3 * n:
            return int(estimate)
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {qname}")).scalar() or 0)

    def _tablesample(
        self, conn: Connection, cols: str, qname: str, n: int, count: int, seed: int
    ) -> Iterator[Sequence[Any]]:
        """BERNOULLI sampling; a larger percentage tops the sample up if statistics were stale."""
        percent = min(100.0, 100.0 * n * 1.1 / max(count, 1))
        seen: set[str] = set()
        while True:
            sql = (
                f"SELECT ctid::text AS {_KEY}, {cols} FROM {qname} "
                f"TABLESAMPLE BERNOULLI ({percent!r}) REPEATABLE ({int(seed)}) "
                f"LIMIT {2 * n}"
            )
            for row in self._stream(conn, sql):
                if row[0] not in seen:
                    seen.add(row[0])
                    yield row[1:]
                    if len(seen) >= n:
                        return
            if percent >= 100.0:
                return
            percent = min(100.0, percent * 2)

    def _key_sample(
        self,
        conn: Connection,
        select_keyed: str,
        key: str,
        lo: int,
        hi: int,
        n: int,
        count: int,
        rng: random.Random,
    ) -> Iterator[Sequence[Any]]:
        """Rows at seeded random keys between ``lo`` and ``hi``; ranges where keys are sparse."""
        span = hi - lo + 1
        seen: set[int] = set()
        candidates = rng.sample(range(lo, hi + 1), min(span, 20 * n))
        chunk = max(1, min(KEY_CHUNK, math.ceil(n * span / max(count, 1))))
        for start in range(0, len(candidates), chunk):
            keys = candidates[start : start + chunk]
            params = {f"k{i}": k for i, k in enumerate(keys)}
            marks = ", ".join(f":k{i}" for i in range(len(keys)))
            rows = conn.execute(
                sa.text(f"{select_keyed} WHERE {key} IN ({marks}) ORDER BY {key}"), params
            )
            for row in rows:
                seen.add(row[0])
                yield row[1:]
                if len(seen) >= n:
                    return
        if len(candidates) == span:
            return  # every key was tried: the table has fewer rows than estimated
        attempts = 0
        while len(seen) < n and attempts < 4 * math.ceil(n / RANGE_RUN) + 10:
            attempts += 1
            rows = conn.execute(
                sa.text(f"{select_keyed} WHERE {key} >= :k ORDER BY {key} LIMIT {RANGE_RUN}"),
                {"k": rng.randint(lo, hi)},
            )
            for row in rows:
                if row[0] not in seen:
                    seen.add(row[0])
                    yield row[1:]
                    if len(seen) >= n:
                        return


def _reservoir(
    rows: Iterator[Sequence[Any]], n: int, rng: random.Random
) -> Iterator[Sequence[Any]]:
    """A seeded uniform sample of ``n`` rows from a stream (Algorithm R), in stream order."""
    kept: list[tuple[int, Sequence[Any]]] = []
    for i, row in enumerate(rows):
        if i < n:
            kept.append((i, row))
        else:
            j = rng.randint(0, i)
            if j < n:
                kept[j] = (i, row)
    for _, row in sorted(kept, key=lambda pair: pair[0]):
        yield row


def _sqlite_session(dbapi_conn: Any, _record: object) -> None:
    # A broken UTF-8 cell must not stop the table: decode it with replacement characters.
    dbapi_conn.text_factory = _decode_replacing
    dbapi_conn.execute("PRAGMA query_only = ON")


def _decode_replacing(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _sqlite_rows(
    dbapi_conn: sqlite3.Connection, sql: str, params: dict, size: int
) -> Iterator[tuple]:
    """The rows of ``sql``, fetched ``size`` at a time with sqlite3's own UTF-8 decoding.

    The session's ``_decode_replacing`` is a Python call per text; sqlite3 decodes in C when
    ``text_factory`` is ``str``, and raises on a broken cell without moving past its row. That
    row is then fetched again with replacement characters, so a broken cell reads as it always
    did. The session's factory is back in place whenever rows are handed out.
    """
    safe = dbapi_conn.text_factory
    cursor = dbapi_conn.execute(sql, params)
    try:
        while True:
            rows: list[tuple] = []
            dbapi_conn.text_factory = str
            try:
                while len(rows) < size:
                    try:
                        rows.extend(islice(cursor, size - len(rows)))
                        break  # the batch is full or the rows ended
                    except sqlite3.OperationalError as error:
                        # "Could not decode to UTF-8 column ... with text ...": the message
                        # quotes the cell, so it is neither logged nor passed on. It is
                        # sqlite3's own error, without an SQLite result code; any other error
                        # (raised by a step, past its row: "JSON path error near 'decode'")
                        # carries one and is the table's error.
                        if (
                            getattr(error, "sqlite_errorcode", None) is not None
                            or "decode" not in str(error).lower()
                        ):
                            raise
                    dbapi_conn.text_factory = safe
                    rows.append(next(cursor))
                    dbapi_conn.text_factory = str
            finally:
                dbapi_conn.text_factory = safe
            if not rows:
                return
            yield from rows
    finally:
        cursor.close()


def _mysql_session(timeout_s: float) -> Callable[[Any, object], None]:
    def configure(dbapi_conn: Any, _record: object) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.execute("SELECT VERSION()")
        version = str(cursor.fetchone()[0])
        if "mariadb" in version.lower():
            cursor.execute(f"SET SESSION max_statement_time = {float(timeout_s)}")
        else:
            cursor.execute(f"SET SESSION max_execution_time = {int(timeout_s * 1000)}")
        cursor.execute(f"SET SESSION lock_wait_timeout = {LOCK_TIMEOUT_S}")
        cursor.execute(f"SET SESSION innodb_lock_wait_timeout = {LOCK_TIMEOUT_S}")
        cursor.close()
        dbapi_conn.rollback()  # the SELECT above opened a transaction before READ ONLY applied

    return configure


def _type_name(type_: sa.types.TypeEngine, dialect: sa.Dialect) -> str:
    try:
        return type_.compile(dialect=dialect).lower()
    except exc.CompileError:
        return type(type_).__name__.lower()


def _python_type(type_: sa.types.TypeEngine) -> type | None:
    """The Python type a column's values come as (SQLAlchemy's public ``python_type``), or None
    where the type does not say."""
    try:
        return type_.python_type
    except NotImplementedError:
        return None


def _classify(type_: sa.types.TypeEngine, dialect: sa.Dialect) -> tuple[str, str]:
    """The value kind of a column type (``text``, ``json``, ...) or ``""`` and why it is skipped."""
    name = _type_name(type_, dialect)
    if isinstance(type_, sa.types.NullType):
        # SQLite columns without a declared type hold anything.
        return ("text", "") if dialect.name == "sqlite" else ("", f"type {name} is not scanned")
    if isinstance(type_, mysql.TINYINT) and type_.display_width == 1:
        return "", "type boolean cannot hold personal data"
    if isinstance(type_, sa.Boolean):
        return "", "type boolean cannot hold personal data"
    if isinstance(type_, sa.JSON):
        return "json", ""
    if isinstance(type_, sa.Date):
        return "date", ""  # birth dates are personal data
    if isinstance(type_, sa.DateTime | sa.Time | sa.Interval | mysql.YEAR):
        return "", f"type {name} holds times of events, not personal data"
    if isinstance(type_, sa.Uuid) or name == "uuid":
        return "", f"type {name} cannot hold personal data"
    if isinstance(type_, sa.String):
        return "text", ""
    if isinstance(type_, sa.Integer | sa.Numeric | postgresql.MONEY):
        return "number", ""
    if _python_type(type_) is bytes:  # every binary type, dialects' BLOB/BYTEA included
        return "binary", ""
    if isinstance(type_, postgresql.INET | postgresql.CIDR):
        return "text", ""
    if isinstance(type_, sa.ARRAY) and isinstance(type_.item_type, sa.String | sa.Integer):
        return "array", ""
    return "", f"type {name} is not scanned"


def _json(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value  # not JSON after all: scan it as text
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _binary(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview | bytearray) else value


def _text(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float) else str(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "json": _json,
    "date": _date,
    "binary": _binary,
    "text": _text,
}
#: Per value kind, the types its converter returns unchanged.
_UNCHANGED: dict[str, frozenset[type]] = {
    "json": frozenset({type(None), dict, list, int, float, bool}),
    "date": frozenset({type(None), str, int, float}),
    "binary": frozenset({type(None), bytes, str, int, float}),
    "text": frozenset({type(None), str, int, float, bool}),
}


def _convert(kind: str, values: Sequence[Any]) -> Sequence[Any]:
    """One column's values converted for their kind; as they are when no value would change.

    >>> _convert("text", ("Ким", None, 7)), _convert("text", (b"x",))
    (('Ким', None, 7), ["b'x'"])
    """
    return _convert_typed(kind, values)[0]


def _convert_typed(kind: str, values: Sequence[Any]) -> tuple[Sequence[Any], frozenset[type]]:
    """``_convert``, and the types of the values it returns (one pass over them serves the
    reader and ``Scanner``, which asks which columns may hold BLOBs or JSON).

    >>> _convert_typed("text", ("Ким", None)) == (("Ким", None), frozenset({str, type(None)}))
    True
    """
    types = frozenset(map(type, values))
    convert = _CONVERTERS.get(kind)
    if convert is None or types <= _UNCHANGED[kind]:
        return values, types
    converted = list(map(convert, values))
    return converted, frozenset(map(type, converted))


class ColumnBatch(Sequence[Record]):
    """One batch of rows held column by column: ``columns[name]`` has the values in row order.

    It reads as the list of records other sources yield (``len``, iteration, indexing);
    ``Scanner.collect`` takes the columns as they are, without a dict per row. ``types``, when
    given, holds the set of the types of each column's values (as ``set(map(type, values))``
    says), which the reader learns as it converts them: the scanner then need not ask again.

    >>> batch = ColumnBatch({"fio": ("Ким", None), "age": (30, 41)}, 2)
    >>> len(batch), list(batch), batch[1]
    (2, [{'fio': 'Ким', 'age': 30}, {'fio': None, 'age': 41}], {'fio': None, 'age': 41})
    """

    __slots__ = ("columns", "_length", "types")

    def __init__(
        self,
        columns: Mapping[str, Sequence[Any]],
        length: int,
        types: Mapping[str, frozenset[type]] | None = None,
    ) -> None:
        self.columns = columns
        self._length = length
        self.types = types

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Record]:
        names = list(self.columns)
        for values in zip(*self.columns.values(), strict=True):
            yield dict(zip(names, values, strict=True))

    def __getitem__(self, index: int) -> Record:  # type: ignore[override]
        if not -self._length <= index < self._length:
            raise IndexError(index)
        return {name: values[index] for name, values in self.columns.items()}


def _table_names(schema: str | None, table: str) -> list[str]:
    return [f"{schema or 'main'}.{table}", table]


def _column_names(schema: str | None, table: str, column: str) -> list[str]:
    return [f"{schema or 'main'}.{table}.{column}", f"{table}.{column}"]


def _matches(pattern: str, names: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for name in names)
