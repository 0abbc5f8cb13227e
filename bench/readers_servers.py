"""Columnar readers for PostgreSQL 15 and MariaDB against pdaudit's SQLAlchemy read.

    .venv/bin/python bench/readers_servers.py DB [DB ...] [--repeat 3] [--batch 65536]
        [--servers pg maria] [--only NAME ...] [--rss] [--checks]

Starts its own PostgreSQL 15 and MariaDB (``tests/servers.py``: temporary folders, stopped at
the end), copies every table of each benchmark SQLite ``DB`` (``bench/synth.py``; opened
``mode=ro``, never written) into each server, lets the ``auditor`` role read them (over TCP,
with a password, as pdaudit scans) and times, in this process, the readers one after another
and round after round (``--repeat``, default 3), reading every row of every column of every
table, streamed in batches (all but ``raw``, which holds a table whole: see below). Per
reader: the best and the range of wall seconds, of this process's CPU seconds
(``time.process_time``) and of the server's CPU seconds (``/proc/<pid>/stat``: the PostgreSQL
postmaster with its children and reaped children, the mariadbd process with its threads): a
reader may move work to the server.

PostgreSQL readers:

- ``raw``: SQLAlchemy + psycopg 3, ``execution_options(yield_per=2000)`` and ``.partitions()``,
  a ``None`` test per cell, with pdaudit's connection options (read-only session, statement
  and lock timeouts): how ``SqlSource._stream`` read PostgreSQL until 8f5d8de. On a
  ``text()`` statement SQLAlchemy 2.1 does not hand ``yield_per`` to the result, so
  ``partitions()`` without a size is one ``fetchall()``: the whole table (``--checks`` prints
  the sizes).
- ``raw+partitions(2000)``: the same with ``partitions(2000)`` (streamed; on both servers): how
  ``SqlSource._stream`` reads since 8f5d8de.
- ``psycopg``: plain psycopg 3, a server-side (named) cursor, ``fetchmany(2000)``.
- ``copy``: psycopg 3, ``COPY (SELECT ...) TO STDOUT (FORMAT BINARY)``, ``copy.rows()``.
- ``adbc``: ``adbc-driver-postgresql`` (libpq, binary COPY into Arrow), the low-level
  ``adbc_driver_manager`` API, ``execute_query`` and the record batch stream.
- ``connectorx``: ``connectorx.read_sql(..., return_type="arrow_stream")``, no partitioning.

MariaDB readers:

- ``raw``: SQLAlchemy + PyMySQL (``mysql+pymysql``), ``yield_per=2000`` (an unbuffered
  server-side cursor), pdaudit's session (``SET SESSION TRANSACTION READ ONLY``,
  ``max_statement_time``, lock timeouts).
- ``pymysql``: plain PyMySQL, ``SSCursor``, ``fetchmany(2000)``.
- ``sqlalchemy+mysqldb``: ``raw+partitions(2000)`` through the C driver mysqlclient
  (``MySQLdb``, ``mariadb+mysqldb``) instead of PyMySQL: the same connect arguments, the same
  session statements on connect, ``yield_per=2000`` (mysqlclient's ``SSCursor``, unbuffered),
  ``partitions(2000)`` and a ``None`` test per cell. Skipped when ``MySQLdb`` is not installed
  (``pip install mysqlclient``: it builds against ``libmariadb-dev``).
- ``mysqldb``: plain mysqlclient, ``SSCursor``, ``fetchmany(2000)``.
- ``connectorx``: connectorx's MySQL reader, ``return_type="arrow_stream"``; it runs no session
  statement, so each query carries pdaudit's session as ``SET STATEMENT tx_read_only = 1,
  max_statement_time = ..., ... FOR SELECT ...`` (MariaDB's, not MySQL's).

Each Arrow reader also runs as ``NAME+pylist`` (each column's Python values, ``to_pylist``,
and a ``None`` test per cell: what the SQLAlchemy path hands over) and ``NAME+distinct``
(``pyarrow.compute.value_counts`` per batch and column: the distinct values with counts).

``--rss`` runs each reader once more in a child process of its own and reports its peak RSS
(``VmHWM``) and the RSS after its imports, before it connects. ``--checks`` tries, per
driver, the read-only session, the statement timeout and the password handling; on MariaDB
also, for PyMySQL and mysqlclient through SQLAlchemy, that a read streams (the first partition
while the server still sends: ``information_schema.PROCESSLIST``), that a write is refused
where the role may write, that ``max_statement_time`` stops ``SELECT SLEEP(3)`` and which
Python types each driver returns for the benchmark columns and for a table of other types.
The password reaches a child in its environment, never on its command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from readers import tables  # bench/ is this script's folder

HERE = Path(__file__).resolve().parent
PW_ENV = "PDAUDIT_BENCH_PASSWORD"
#: pdaudit's defaults (``scanner/sources/sql.py``): statement timeout 300 s, lock wait 10 s.
TIMEOUT_S = 300
LOCK_S = 10
#: pdaudit's MariaDB session as one statement's settings (MariaDB's ``SET STATEMENT``).
MARIA_PREFIX = (
    f"SET STATEMENT tx_read_only = 1, max_statement_time = {TIMEOUT_S}, "
    f"lock_wait_timeout = {LOCK_S}, innodb_lock_wait_timeout = {LOCK_S} FOR "
)
PG_OPTIONS = (
    f"-c default_transaction_read_only=on -c statement_timeout={TIMEOUT_S * 1000} "
    f"-c lock_timeout={LOCK_S * 1000}"
)


@dataclass
class Target:
    """Where a reader reads: a server, the ``auditor`` role, a database and its tables."""

    kind: str  # "pg" or "maria"
    port: int
    database: str
    schema: dict[str, list[tuple[str, str]]]  # table -> [(column, "int" | "text")]
    user: str = "auditor"
    password: str = ""

    def url(self, scheme: str, password: bool = True, query: str = "") -> str:
        secret = f":{quote(self.password, safe='')}" if password else ""
        tail = f"?{query}" if query else ""
        return f"{scheme}://{self.user}{secret}@127.0.0.1:{self.port}/{self.database}{tail}"

    def pg_query(self) -> str:
        """pdaudit's PostgreSQL connection options as URL parameters (libpq's URI syntax)."""
        return f"options={quote(PG_OPTIONS, safe='')}&application_name=pdaudit&connect_timeout=10"

    def selects(self) -> Iterator[str]:
        q = '"' if self.kind == "pg" else "`"
        for table, cols in self.schema.items():
            yield f"SELECT {', '.join(q + c + q for c, _ in cols)} FROM {q}{table}{q}"


# ---------------------------------------------------------------------------------------------
# PostgreSQL readers


def pg_engine(t: Target) -> Any:
    import sqlalchemy as sa

    url = sa.URL.create(
        "postgresql+psycopg",
        username=t.user,
        password=t.password,
        host="127.0.0.1",
        port=t.port,
        database=t.database,
    )
    args = {"connect_timeout": 10, "application_name": "pdaudit", "options": PG_OPTIONS}
    return sa.create_engine(url, connect_args=args)


def sqlalchemy_read(engine: Any, t: Target, size: int | None = None) -> int:
    """``partitions()`` as pdaudit calls it (no size), or ``partitions(size)``."""
    import sqlalchemy as sa

    cells = 0
    try:
        with engine.connect() as conn:
            for sql in t.selects():
                result = conn.execution_options(yield_per=2000).execute(sa.text(sql))
                for part in result.partitions(size):
                    cells += sum(v is not None for row in part for v in row)
    finally:
        engine.dispose()
    return cells


def pg_raw(t: Target, _batch: int) -> int:
    return sqlalchemy_read(pg_engine(t), t)


def pg_raw_sized(t: Target, _batch: int) -> int:
    return sqlalchemy_read(pg_engine(t), t, 2000)


def pg_connect(t: Target) -> Any:
    import psycopg

    return psycopg.connect(
        host="127.0.0.1",
        port=t.port,
        dbname=t.database,
        user=t.user,
        password=t.password,
        options=PG_OPTIONS,
        application_name="pdaudit",
        connect_timeout=10,
    )


def pg_psycopg(t: Target, _batch: int) -> int:
    cells = 0
    with pg_connect(t) as conn:
        for i, sql in enumerate(t.selects()):
            with conn.cursor(name=f"read{i}") as cur:
                cur.itersize = 2000
                cur.execute(sql)
                while part := cur.fetchmany(2000):
                    cells += sum(v is not None for row in part for v in row)
    return cells


def pg_copy(t: Target, _batch: int) -> int:
    cells = 0
    with pg_connect(t) as conn, conn.cursor() as cur:
        for (_table, cols), sql in zip(t.schema.items(), t.selects(), strict=True):
            with cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)") as copy:
                copy.set_types(["int8" if kind == "int" else "text" for _, kind in cols])
                for row in copy.rows():
                    cells += sum(v is not None for v in row)
    return cells


def pg_adbc_batches(t: Target, _batch: int) -> Iterator[Any]:
    import adbc_driver_manager as dm
    import adbc_driver_postgresql
    import pyarrow as pa

    database = adbc_driver_postgresql.connect(t.url("postgresql", query=t.pg_query()))
    conn = dm.AdbcConnection(database)
    try:
        for sql in t.selects():
            statement = dm.AdbcStatement(conn)
            try:
                statement.set_sql_query(sql)
                stream, _ = statement.execute_query()
                yield from pa.RecordBatchReader.from_stream(stream)
            finally:
                statement.close()
    finally:
        conn.close()
        database.close()


def cx_batches(t: Target, batch: int) -> Iterator[Any]:
    import connectorx as cx

    url = t.url("postgresql", query=t.pg_query()) if t.kind == "pg" else t.url("mysql")
    for sql in t.selects():
        if t.kind == "maria":  # connectorx runs no session statements: MariaDB's per statement
            sql = MARIA_PREFIX + sql
        yield from cx.read_sql(url, sql, return_type="arrow_stream", batch_size=batch)


# ---------------------------------------------------------------------------------------------
# MariaDB readers


def mysql_session(cursor: Any, timeout_s: float = TIMEOUT_S) -> None:
    """pdaudit's MariaDB session (``_mysql_session`` in scanner/sources/sql.py)."""
    cursor.execute("SET SESSION TRANSACTION READ ONLY")
    cursor.execute("SELECT VERSION()")
    cursor.fetchone()
    cursor.execute(f"SET SESSION max_statement_time = {float(timeout_s)}")
    cursor.execute(f"SET SESSION lock_wait_timeout = {LOCK_S}")
    cursor.execute(f"SET SESSION innodb_lock_wait_timeout = {LOCK_S}")


def maria_engine(t: Target, driver: str = "mysql+pymysql", timeout_s: float = TIMEOUT_S) -> Any:
    """pdaudit's MariaDB engine: ``mysql+pymysql`` (as ``raw``) or ``mariadb+mysqldb``."""
    import sqlalchemy as sa

    url = sa.URL.create(
        driver,
        username=t.user,
        password=t.password,
        host="127.0.0.1",
        port=t.port,
        database=t.database,
    )
    args = {
        "connect_timeout": 10,
        "read_timeout": int(timeout_s) + 30,
        "write_timeout": 60,
        "charset": "utf8mb4",
    }
    engine = sa.create_engine(url, connect_args=args)

    def configure(dbapi_conn: Any, _record: object) -> None:
        cursor = dbapi_conn.cursor()
        mysql_session(cursor, timeout_s)
        cursor.close()
        dbapi_conn.rollback()

    sa.event.listen(engine, "connect", configure)
    return engine


def maria_raw(t: Target, _batch: int) -> int:
    return sqlalchemy_read(maria_engine(t), t)


def maria_raw_sized(t: Target, _batch: int) -> int:
    return sqlalchemy_read(maria_engine(t), t, 2000)


def maria_sa_mysqldb(t: Target, _batch: int) -> int:
    return sqlalchemy_read(maria_engine(t, "mariadb+mysqldb"), t, 2000)


def maria_mysqldb(t: Target, _batch: int) -> int:
    import MySQLdb
    import MySQLdb.cursors

    return maria_dbapi(MySQLdb.connect, MySQLdb.cursors.SSCursor, t)


def maria_pymysql(t: Target, _batch: int) -> int:
    import pymysql
    import pymysql.cursors

    return maria_dbapi(pymysql.connect, pymysql.cursors.SSCursor, t)


def maria_dbapi(connect: Callable[..., Any], streaming: type, t: Target) -> int:
    """Every cell of ``t`` through a DB-API driver's unbuffered cursor, 2,000 rows a fetch,
    after the session statements pdaudit runs (no SQLAlchemy)."""
    conn = connect(
        host="127.0.0.1",
        port=t.port,
        user=t.user,
        password=t.password,
        database=t.database,
        charset="utf8mb4",
        connect_timeout=10,
    )
    cells = 0
    try:
        cur = conn.cursor()
        mysql_session(cur)
        cur.close()
        conn.rollback()
        for sql in t.selects():
            cur = conn.cursor(streaming)
            try:
                cur.execute(sql)
                while part := cur.fetchmany(2000):
                    cells += sum(v is not None for row in part for v in row)
            finally:
                cur.close()
    finally:
        conn.close()
    return cells


# ---------------------------------------------------------------------------------------------
# What the scanner needs from an Arrow batch


def count_cells(batches: Iterator[Any]) -> int:
    return sum(b.num_rows * b.num_columns - sum(c.null_count for c in b.columns) for b in batches)


def count_pylist(batches: Iterator[Any]) -> int:
    cells = 0
    for b in batches:
        for column in b.columns:
            cells += sum(v is not None for v in column.to_pylist())
    return cells


def count_distinct(batches: Iterator[Any]) -> int:
    import pyarrow.compute as pc

    return sum(len(pc.value_counts(column)) for b in batches for column in b.columns)


Reader = Callable[[Target, int], int]


def arrow(source: Callable[[Target, int], Iterator[Any]], use: Callable[..., int]) -> Reader:
    return lambda t, batch: use(source(t, batch))


READERS: dict[str, dict[str, Reader]] = {
    "pg": {
        "raw": pg_raw,
        "raw+partitions(2000)": pg_raw_sized,
        "psycopg": pg_psycopg,
        "copy": pg_copy,
        "adbc": arrow(pg_adbc_batches, count_cells),
        "adbc+pylist": arrow(pg_adbc_batches, count_pylist),
        "adbc+distinct": arrow(pg_adbc_batches, count_distinct),
        "connectorx": arrow(cx_batches, count_cells),
        "connectorx+pylist": arrow(cx_batches, count_pylist),
        "connectorx+distinct": arrow(cx_batches, count_distinct),
    },
    "maria": {
        "raw": maria_raw,
        "raw+partitions(2000)": maria_raw_sized,
        "pymysql": maria_pymysql,
        "sqlalchemy+mysqldb": maria_sa_mysqldb,
        "mysqldb": maria_mysqldb,
        "connectorx": arrow(cx_batches, count_cells),
        "connectorx+pylist": arrow(cx_batches, count_pylist),
        "connectorx+distinct": arrow(cx_batches, count_distinct),
    },
}
#: Readers that need mysqlclient (``MySQLdb``): skipped, with a message, without it.
NEEDS_MYSQLDB = {"sqlalchemy+mysqldb", "mysqldb"}
#: What a reader imports before it connects (the baseline of ``--rss``).
IMPORTS = {
    "raw": ["sqlalchemy", "psycopg", "pymysql"],
    "psycopg": ["psycopg"],
    "copy": ["psycopg"],
    "pymysql": ["pymysql"],
    "sqlalchemy": ["sqlalchemy", "MySQLdb"],
    "mysqldb": ["MySQLdb"],
    "adbc": ["pyarrow", "pyarrow.compute", "adbc_driver_manager", "adbc_driver_postgresql"],
    "connectorx": ["pyarrow", "pyarrow.compute", "connectorx"],
}


# ---------------------------------------------------------------------------------------------
# Servers, copies, server CPU


def sqlite_schema(db: str) -> dict[str, list[tuple[str, str]]]:
    """Each table's columns with ``int`` or ``text`` (the benchmark's two kinds)."""
    names = list(tables(db))  # bench/readers.py: every table, by name
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            t: [
                (r[1], "int" if "INT" in r[2].upper() else "text")
                for r in conn.execute(f'PRAGMA table_info("{t}")')
            ]
            for t in names
        }
    finally:
        conn.close()


def sqlite_rows(db: str, table: str, cols: list[tuple[str, str]]) -> Iterator[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        yield from conn.execute(f'SELECT {", ".join(c for c, _ in cols)} FROM "{table}"')
    finally:
        conn.close()


def column_ddl(table: str, cols: list[tuple[str, str]], text: str) -> str:
    parts = [
        f"{c} BIGINT" + (" PRIMARY KEY" if c == "id" else "") if kind == "int" else f"{c} {text}"
        for c, kind in cols
    ]
    return f"CREATE TABLE {table} ({', '.join(parts)})"


def copy_to_pg(server: Any, database: str, db: str, schema: dict) -> None:
    import psycopg

    server.execute("postgres", [f"CREATE DATABASE {database}"])
    with psycopg.connect(
        host=str(server.base), port=server.port, user="postgres", dbname=database
    ) as conn:
        cur = conn.cursor()
        for table, cols in schema.items():
            cur.execute(column_ddl(table, cols, "TEXT"))
            with cur.copy(f"COPY {table} ({', '.join(c for c, _ in cols)}) FROM STDIN") as copy:
                for row in sqlite_rows(db, table, cols):
                    copy.write_row(row)
    server.execute(database, ["GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor", "ANALYZE"])


def copy_to_maria(server: Any, database: str, db: str, schema: dict) -> None:
    import pymysql

    server.execute("", [f"CREATE DATABASE {database} CHARACTER SET utf8mb4"])
    conn = pymysql.connect(
        unix_socket=str(server.socket), user="root", database=database, charset="utf8mb4"
    )
    try:
        with conn.cursor() as cur:
            for table, cols in schema.items():
                cur.execute(column_ddl(table, cols, "TEXT") + " CHARACTER SET utf8mb4")
                names = ", ".join(c for c, _ in cols)
                sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(cols))})"
                chunk: list[tuple] = []
                for row in sqlite_rows(db, table, cols):
                    chunk.append(row)
                    if len(chunk) == 5000:
                        cur.executemany(sql, chunk)
                        chunk = []
                if chunk:
                    cur.executemany(sql, chunk)
            conn.commit()
            cur.execute(f"GRANT SELECT ON {database}.* TO 'auditor'@'%'")
            cur.execute(f"ANALYZE TABLE {', '.join(schema)}")
            cur.fetchall()
    finally:
        conn.close()


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def server_cpu(kind: str, pid: int) -> float:
    """CPU seconds of the server: mariadbd's threads; the postmaster, its reaped children (the
    ended backends) and its live children."""
    fields = _stat(pid)  # fields[0] is the state (field 3 of proc(5)): utime is fields[11]
    if kind == "maria":
        return (int(fields[11]) + int(fields[12])) / TICK
    ticks = sum(int(x) for x in fields[11:15])
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                child = _stat(int(entry))
            except OSError:
                continue
            if int(child[1]) == pid:
                ticks += int(child[11]) + int(child[12])
    return ticks / TICK


def server_pid(kind: str, server: Any) -> int:
    if kind == "maria":
        return int(server.process.pid)
    return int((server.data / "postmaster.pid").read_text().split()[0])


# ---------------------------------------------------------------------------------------------
# Timing


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def measure(
    kind: str, pid: int, t: Target, names: list[str], repeat: int, batch: int
) -> dict[str, dict]:
    runs: dict[str, list[tuple[float, float, float]]] = {n: [] for n in names}
    cells: dict[str, int] = {}
    failed: dict[str, str] = {}
    for round_ in range(repeat):
        for name in names:
            if name in failed:
                continue
            srv = server_cpu(kind, pid)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                count = READERS[kind][name](t, batch)
            except BaseException as error:  # connectorx panics: PanicException is no Exception
                if isinstance(error, KeyboardInterrupt | SystemExit):
                    raise
                failed[name] = f"{type(error).__name__}: {str(error)[:300]}"
                print(f"  {name:20} FAILED {failed[name]}", flush=True)
                continue
            took = (time.perf_counter() - wall, time.process_time() - cpu)
            time.sleep(0.2)  # the postmaster reaps the ended backend
            runs[name].append((*took, server_cpu(kind, pid) - srv))
            cells[name] = count
            print(
                f"  round {round_ + 1} {name:20} wall {took[0]:6.2f}  CPU {took[1]:6.2f}  "
                f"server {runs[name][-1][2]:6.2f}  ({count:,})  load {load()}",
                flush=True,
            )
    return {n: {"runs": runs[n], "count": cells.get(n), "failed": failed.get(n)} for n in names}


def report(title: str, results: dict[str, dict]) -> None:
    print(f"\n{title}  (best of runs, range in brackets; load {load()})")
    print(
        "| reader | wall s | CPU s | vs raw | server CPU s | CPU + server | count |\n"
        "|---|---|---|---|---|---|---|"
    )
    base = min(r[1] for r in results["raw"]["runs"]) if results.get("raw", {}).get("runs") else 0
    for name, res in results.items():
        if not res["runs"]:
            print(f"| {name} | failed: {res['failed']} | | | | | |")
            continue
        cols = list(zip(*res["runs"], strict=True))
        best = [min(c) for c in cols]
        span = [f"{min(c):.2f} ({min(c):.2f}-{max(c):.2f})" for c in cols]
        both = min(a + b for _, a, b in res["runs"])
        ratio = f"{best[1] / base:.2f}x" if base else ""
        print(
            f"| {name} | {span[0]} | {span[1]} | {ratio} | {span[2]} | {both:.2f} | "
            f"{res['count']:,} |"
        )


def peak_rss(kind: str, name: str, t: Target, batch: int) -> dict:
    """Run one reader once in a child process: its peak RSS and its RSS after the imports."""
    public = {k: v for k, v in asdict(t).items() if k != "password"}
    env = {**os.environ, PW_ENV: t.password}
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, name, json.dumps(public), str(batch)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def vm_kib(field: str) -> int:
    """``VmHWM`` (peak RSS) or ``VmRSS`` of this process: ``ru_maxrss`` would not do, Linux keeps
    it across ``exec``, so a child would report its parent's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def child(kind: str, name: str, target: str, batch: int) -> None:
    import importlib

    for module in IMPORTS[name.split("+")[0]]:
        importlib.import_module(module)
    base = vm_kib("VmHWM") / 1024
    spec = json.loads(target)
    spec["schema"] = {k: [tuple(c) for c in v] for k, v in spec["schema"].items()}
    t = Target(**spec, password=os.environ[PW_ENV])
    count = READERS[kind][name](t, batch)
    peak = vm_kib("VmHWM") / 1024
    print(json.dumps({"base_mib": round(base, 1), "peak_mib": round(peak, 1), "count": count}))


# ---------------------------------------------------------------------------------------------
# Checks: read-only session, statement timeout, password


def attempt(label: str, run: Callable[[], Any]) -> None:
    try:
        print(f"  {label}: OK {str(run())[:200]}", flush=True)
    except BaseException as error:  # connectorx's PanicException is no Exception
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        text = " ".join(str(error).split())[:240]
        print(f"  {label}: {type(error).__name__}: {text}", flush=True)


def maria_write(server: Any, t: Target) -> str:
    """An INSERT under ``SET STATEMENT tx_read_only = 1``, as root (who may write)."""
    import pymysql

    conn = pymysql.connect(unix_socket=str(server.socket), user="root", database=t.database)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE TABLE scratch (i int)")  # not TEMPORARY: those stay writable
            try:
                cur.execute("SET STATEMENT tx_read_only = 1 FOR INSERT INTO scratch VALUES (1)")
            finally:
                cur.execute("DROP TABLE scratch")
        return "the INSERT went through"
    finally:
        conn.close()


def partition_sizes(t: Target, size: int | None) -> list[int]:
    """The sizes of the first partitions of the first table, read as ``raw`` reads it."""
    import sqlalchemy as sa

    engine = pg_engine(t) if t.kind == "pg" else maria_engine(t)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(sa.text(next(t.selects())))
            sizes = []
            for part in result.partitions(size):
                sizes.append(len(part))
                if len(sizes) == 3:
                    break
            result.close()
            return sizes
    finally:
        engine.dispose()


def checks(kind: str, t: Target, server: Any) -> None:
    import connectorx as cx

    secret_leak = "Wr0ng#Secret"
    wrong = Target(**{**asdict(t), "password": secret_leak})
    print(f"\nChecks, {kind} (the wrong password used below is {secret_leak!r}):")
    attempt("SQLAlchemy text() + yield_per, partitions()", lambda: partition_sizes(t, None))
    attempt("SQLAlchemy text() + yield_per, partitions(2000)", lambda: partition_sizes(t, 2000))
    if kind == "pg":
        import adbc_driver_manager as dm
        import adbc_driver_postgresql
        import pyarrow as pa

        settings = (
            "SELECT current_setting('default_transaction_read_only') AS ro, "
            "current_setting('statement_timeout') AS st"
        )

        def adbc_run(sql: str, uri: str | None = None, update: bool = False) -> Any:
            database = adbc_driver_postgresql.connect(
                uri or t.url("postgresql", query=t.pg_query())
            )
            conn = dm.AdbcConnection(database)
            statement = dm.AdbcStatement(conn)
            try:
                statement.set_sql_query(sql)
                if update:
                    return statement.execute_update()
                stream, _ = statement.execute_query()
                return pa.RecordBatchReader.from_stream(stream).read_all().to_pylist()
            finally:
                statement.close()
                conn.close()
                database.close()

        def cx_run(sql: str, url: str | None = None) -> Any:
            url = url or t.url("postgresql", query=t.pg_query())
            return cx.read_sql(url, sql, return_type="arrow").to_pylist()

        opts = f"options={quote('-c default_transaction_read_only=on -c statement_timeout=1000')}"
        attempt("adbc settings", lambda: adbc_run(settings))
        attempt("adbc CREATE TABLE", lambda: adbc_run("CREATE TABLE w (i int)", update=True))
        attempt(
            "adbc pg_sleep(3), statement_timeout=1s",
            lambda: adbc_run("SELECT pg_sleep(3)", t.url("postgresql", query=opts)),
        )
        attempt("connectorx settings", lambda: cx_run(settings))
        attempt(
            "connectorx pg_sleep(3), statement_timeout=1s",
            lambda: cx_run("SELECT pg_sleep(3)::text AS s", t.url("postgresql", query=opts)),
        )
        attempt(
            "connectorx, a writing CTE",
            lambda: cx_run(
                "WITH w AS (INSERT INTO users (id) VALUES (-1) RETURNING id) SELECT id FROM w"
            ),
        )
        with tempfile.NamedTemporaryFile("w", suffix=".pgpass") as passfile:
            passfile.write(f"127.0.0.1:{t.port}:*:{t.user}:{t.password}\n")
            passfile.flush()
            os.chmod(passfile.name, 0o600)
            os.environ["PGPASSFILE"] = passfile.name
            try:
                nopw = t.url("postgresql", password=False, query=t.pg_query())
                attempt(
                    "adbc, no password in the URI, PGPASSFILE", lambda: adbc_run(settings, nopw)
                )
                attempt(
                    "connectorx, no password in the URL, PGPASSFILE", lambda: cx_run(settings, nopw)
                )
            finally:
                del os.environ["PGPASSFILE"]
        os.environ["PGPASSWORD"] = t.password
        try:
            nopw = t.url("postgresql", password=False, query=t.pg_query())
            attempt(
                "connectorx, no password in the URL, PGPASSWORD", lambda: cx_run(settings, nopw)
            )
        finally:
            del os.environ["PGPASSWORD"]
        attempt(
            "adbc, wrong password (is it in the message?)",
            lambda: adbc_run(settings, wrong.url("postgresql", query=t.pg_query())),
        )
        attempt(
            "connectorx, wrong password (is it in the message?)",
            lambda: cx_run(settings, wrong.url("postgresql", query=t.pg_query())),
        )
    else:
        settings = (
            "SELECT CAST(@@session.tx_read_only AS CHAR) AS ro, "
            "CAST(@@session.max_statement_time AS CHAR) AS st"
        )

        def cx_run(sql: str, url: str | None = None) -> Any:
            return cx.read_sql(url or t.url("mysql"), sql, return_type="arrow").to_pylist()

        attempt("connectorx session settings", lambda: cx_run(settings))
        attempt(
            "connectorx, the settings under SET STATEMENT", lambda: cx_run(MARIA_PREFIX + settings)
        )
        attempt(
            "connectorx SET STATEMENT max_statement_time=1 FOR SELECT SLEEP(3), arrow_stream",
            lambda: [
                b.num_rows
                for b in cx.read_sql(
                    t.url("mysql"),
                    "SET STATEMENT max_statement_time=1 FOR SELECT SLEEP(3) AS s",
                    return_type="arrow_stream",
                )
            ],
        )
        attempt("root: SET STATEMENT tx_read_only = 1 FOR INSERT", lambda: maria_write(server, t))
        attempt(
            "connectorx SET STATEMENT max_statement_time=1 FOR SELECT SLEEP(3)",
            lambda: cx_run("SET STATEMENT max_statement_time=1 FOR SELECT SLEEP(3) AS s"),
        )
        attempt(
            "connectorx SELECT /*+ MAX_EXECUTION_TIME(1000) */ SLEEP(3)",
            lambda: cx_run("SELECT /*+ MAX_EXECUTION_TIME(1000) */ SLEEP(3) AS s"),
        )
        attempt(
            "connectorx, wrong password (is it in the message?)",
            lambda: cx_run(settings, wrong.url("mysql")),
        )
        os.environ["MYSQL_PWD"] = t.password
        try:
            attempt(
                "connectorx, no password in the URL, MYSQL_PWD",
                lambda: cx_run(settings, t.url("mysql", password=False)),
            )
        finally:
            del os.environ["MYSQL_PWD"]
        driver_checks(server, t)


#: SQLAlchemy drivers pdaudit reads MariaDB with: PyMySQL, and mysqlclient when installed.
DRIVERS = {"pymysql": "mysql+pymysql", "mysqldb": "mariadb+mysqldb"}
#: A table of the MariaDB types the benchmark lacks, one row of values and one of NULLs.
TYPES_DDL = (
    "CREATE TABLE types_probe (b BIGINT, u BIGINT UNSIGNED, i INT, ti TINYINT, t TEXT, "
    "vc VARCHAR(20), d DATE, dt DATETIME(6), ts TIMESTAMP NULL, tm TIME, y YEAR, "
    "n DECIMAL(12,3), f DOUBLE, fl FLOAT, j JSON, bl BLOB, vb VARBINARY(8), bt BIT(8), "
    "e ENUM('a','b'), st SET('x','y'), uu UUID, ip INET6) CHARACTER SET utf8mb4"
)
TYPES_ROW = (
    "INSERT INTO types_probe VALUES (-9007199254740993, 18446744073709551615, 7, -1, "
    "'Zoë 😀', 'ab', '2024-02-29', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15', "
    "'-838:59:59', 2024, 12345.678, 0.1, 0.1, '{\"a\": [1, \"é\"]}', X'00FF10', X'C3A9', "
    "b'10100101', 'b', 'x,y', '123e4567-e89b-12d3-a456-426614174000', '2001:db8::1')"
)


def root_conn(server: Any, t: Target) -> Any:
    import pymysql

    return pymysql.connect(
        unix_socket=str(server.socket),
        user="root",
        database=t.database,
        charset="utf8mb4",
        autocommit=True,
    )


def stream_state(server: Any, t: Target, driver: str) -> dict:
    """The first partition of the biggest table, and what the server is doing meanwhile."""
    import sqlalchemy as sa

    table = max(t.schema, key=lambda name: len(t.schema[name]))
    cols = ", ".join(f"`{c}`" for c, _ in t.schema[table])
    engine = maria_engine(t, driver)
    admin = root_conn(server, t)
    try:
        with engine.connect() as conn, admin.cursor() as cur:
            result = conn.execution_options(yield_per=2000).execute(
                sa.text(f"SELECT {cols} FROM `{table}`")
            )
            first = next(result.partitions(2000))
            dbapi = result.cursor
            cur.execute(
                "SELECT COMMAND, STATE, TIME_MS FROM information_schema.PROCESSLIST "
                "WHERE USER = 'auditor' AND INFO LIKE 'SELECT %'"
            )
            server_side = cur.fetchall()
            state = {
                "table": table,
                "first partition": len(first),
                "cursor": f"{type(dbapi).__module__}.{type(dbapi).__name__}",
                "rows taken from the wire": dbapi.rownumber,
                "server": server_side,
            }
            began = time.perf_counter()
            result.close()  # an unbuffered cursor reads the rest of the result to close
            state["close s"] = round(time.perf_counter() - began, 2)
            return state
    finally:
        admin.close()
        engine.dispose()


def session_settings(t: Target, driver: str) -> Any:
    import sqlalchemy as sa

    engine = maria_engine(t, driver)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text(
                    "SELECT @@session.tx_read_only, @@session.max_statement_time, "
                    "@@session.lock_wait_timeout, @@session.innodb_lock_wait_timeout, "
                    "@@character_set_client, @@character_set_results"
                )
            ).one()
    finally:
        engine.dispose()


def write_refused(t: Target, driver: str) -> str:
    """An INSERT into ``ro_probe``, which the role may write to: refused by the session?"""
    import sqlalchemy as sa

    engine = maria_engine(t, driver)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("INSERT INTO ro_probe VALUES (1)"))
            conn.commit()
        return "the INSERT went through"
    finally:
        engine.dispose()


def write_without_session(t: Target) -> str:
    """The control: the same INSERT by the same role without pdaudit's session."""
    import pymysql

    conn = pymysql.connect(
        host="127.0.0.1", port=t.port, user=t.user, password=t.password, database=t.database
    )
    try:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO ro_probe VALUES (2)")
            conn.commit()
            cur.execute("SELECT count(*) FROM ro_probe")
            return f"written; rows now {cur.fetchone()[0]}"
    finally:
        conn.close()


def sleep_stopped(t: Target, driver: str) -> str:
    import sqlalchemy as sa

    engine = maria_engine(t, driver, timeout_s=1)
    began = time.perf_counter()
    try:
        with engine.connect() as conn:
            value = conn.execute(sa.text("SELECT SLEEP(3)")).scalar()
            return f"returned {value!r} after {time.perf_counter() - began:.2f} s"
    except sa.exc.DBAPIError as error:
        return f"{type(error.orig).__name__} {error.orig.args} after {time.perf_counter() - began:.2f} s"
    finally:
        engine.dispose()


def typed_rows(t: Target, driver: str, sql: str, limit: int | None = None) -> list[tuple]:
    """Rows of ``sql`` as pdaudit's ``_stream`` reads them."""
    import sqlalchemy as sa

    engine = maria_engine(t, driver)
    rows: list[tuple] = []
    try:
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(sa.text(sql))
            for part in result.partitions(2000):
                rows.extend(tuple(row) for row in part)
                if limit and len(rows) >= limit:
                    break
            result.close()
    finally:
        engine.dispose()
    return rows


def compare_types(t: Target, server: Any) -> None:
    """Python types per column, PyMySQL against mysqlclient: the benchmark's and others."""
    print("  benchmark columns, the first 20,000 rows of each table (Python types per column):")
    same = True
    for (table, cols), sql in zip(t.schema.items(), t.selects(), strict=True):
        seen = {d: typed_rows(t, url, sql, 20_000) for d, url in DRIVERS.items()}
        for k, (col, kind) in enumerate(cols):
            types = {d: sorted({type(r[k]).__name__ for r in rows}) for d, rows in seen.items()}
            equal = all(a[k] == b[k] for a, b in zip(*seen.values(), strict=True))
            if types["pymysql"] != types["mysqldb"] or not equal:
                same = False
                print(f"    {table}.{col} ({kind}): {types}, values equal: {equal}")
        print(f"    {table}: {len(cols)} columns, {len(seen['pymysql']):,} rows compared")
    print(f"    all benchmark columns: same types and values: {same}")
    admin = root_conn(server, t)
    try:
        with admin.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS types_probe")
            cur.execute(TYPES_DDL)
            cur.execute(TYPES_ROW)
            cur.execute("INSERT INTO types_probe () VALUES ()")
            cur.execute(f"GRANT SELECT ON {t.database}.types_probe TO 'auditor'@'%'")
        rows = {d: typed_rows(t, url, "SELECT * FROM types_probe") for d, url in DRIVERS.items()}
        with admin.cursor() as cur:
            cur.execute("SELECT * FROM types_probe LIMIT 0")
            names = [c[0] for c in cur.description]
            cur.execute("SHOW COLUMNS FROM types_probe")
            sql_types = [r[1] for r in cur.fetchall()]
    finally:
        with admin.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS types_probe")
        admin.close()
    print("  other types (row 1; row 2 is all NULL):")
    print("  | column | SQL type | PyMySQL | mysqlclient | same |\n  |---|---|---|---|---|")
    for k, (name, sql_type) in enumerate(zip(names, sql_types, strict=True)):
        a, b = rows["pymysql"][0][k], rows["mysqldb"][0][k]
        nulls = rows["pymysql"][1][k] is None and rows["mysqldb"][1][k] is None
        same_value = type(a) is type(b) and a == b and nulls
        print(
            f"  | {name} | {sql_type} | {type(a).__name__} {a!r} | {type(b).__name__} {b!r} "
            f"| {'yes' if same_value else 'NO'} |"
        )


def driver_checks(server: Any, t: Target) -> None:
    """PyMySQL against mysqlclient, both through SQLAlchemy as pdaudit reads."""
    if not have_mysqldb():
        print("  mysqlclient checks skipped: no MySQLdb (pip install mysqlclient)")
        return
    for d, url in DRIVERS.items():
        attempt(f"{d}: streaming, first partition", lambda url=url: stream_state(server, t, url))
        attempt(f"{d}: session settings", lambda url=url: session_settings(t, url))
    admin = root_conn(server, t)
    try:
        with admin.cursor() as cur:
            cur.execute("CREATE TABLE ro_probe (i int)")
            cur.execute(f"GRANT INSERT, SELECT ON {t.database}.ro_probe TO 'auditor'@'%'")
        for d, url in DRIVERS.items():
            attempt(
                f"{d}: INSERT (the role may) in pdaudit's session",
                lambda u=url: write_refused(t, u),
            )
        attempt("control: the same INSERT without the session", lambda: write_without_session(t))
    finally:
        with admin.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS ro_probe")
        admin.close()
    for d, url in DRIVERS.items():
        attempt(f"{d}: max_statement_time = 1, SELECT SLEEP(3)", lambda u=url: sleep_stopped(t, u))
    compare_types(t, server)


# ---------------------------------------------------------------------------------------------


def have_mysqldb() -> bool:
    import importlib.util

    return importlib.util.find_spec("MySQLdb") is not None


def start(kind: str) -> Any:
    sys.path.insert(0, str(HERE.parent / "tests"))
    import servers

    if kind == "pg":
        server = servers.PostgresServer()
        server.execute(
            "postgres", [f"CREATE ROLE {servers.USER} LOGIN PASSWORD '{servers.PASSWORD}'"]
        )
    else:
        server = servers.MariaDbServer()
        server.execute("", [f"CREATE USER '{servers.USER}'@'%' IDENTIFIED BY '{servers.PASSWORD}'"])
    return server, servers.PASSWORD


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=65_536, help="rows per connectorx batch")
    ap.add_argument("--servers", nargs="+", choices=["pg", "maria"], default=["pg", "maria"])
    ap.add_argument("--only", nargs="+", help="reader names (of either server)")
    ap.add_argument("--rss", action="store_true", help="peak RSS of each reader in a child")
    ap.add_argument("--checks", action="store_true", help="read-only, timeout, password checks")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, name, target, batch = args.child
        child(kind, name, target, int(batch))
        return
    print(f"load {load()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}", flush=True)
    for kind in args.servers:
        server, password = start(kind)
        try:
            pid = server_pid(kind, server)
            for i, db in enumerate(args.db):
                schema = sqlite_schema(db)
                database = f"bench{i}"
                began = time.perf_counter()
                (copy_to_pg if kind == "pg" else copy_to_maria)(server, database, db, schema)
                print(f"{kind}: {db} copied in {time.perf_counter() - began:.1f} s", flush=True)
                t = Target(kind, server.port, database, schema, password=password)
                names = [n for n in READERS[kind] if not args.only or n in args.only]
                if NEEDS_MYSQLDB & set(names) and not have_mysqldb():
                    print(
                        f"  skipped {sorted(NEEDS_MYSQLDB & set(names))}: no MySQLdb "
                        "(pip install mysqlclient; it builds against libmariadb-dev)"
                    )
                    names = [n for n in names if n not in NEEDS_MYSQLDB]
                results = measure(kind, pid, t, names, args.repeat, args.batch)
                report(f"{kind}, {Path(db).name}", results)
                if args.rss:
                    print("\n| reader | RSS after imports MiB | peak RSS MiB |\n|---|---|---|")
                    for name in names:
                        r = peak_rss(kind, name, t, args.batch)
                        if "error" in r:
                            print(f"| {name} | failed: {r['error']} | |", flush=True)
                        else:
                            print(f"| {name} | {r['base_mib']} | {r['peak_mib']} |", flush=True)
                if args.checks and i == 0:
                    checks(kind, t, server)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
