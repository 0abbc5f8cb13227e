"""Real PostgreSQL 15 and MariaDB servers for the test session, in temporary folders.

Each server listens on 127.0.0.1 at a free port (for the password-protected ``auditor`` role the
tests scan with) and on a Unix socket (for the password-less administrator that loads data).
``load_demo(url)`` copies the demo database ``sample_data/mirum.db`` into either server.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

ROOT = Path(__file__).resolve().parents[1]
DEMO_DB = ROOT / "sample_data" / "mirum.db"
PG_BIN = Path(os.environ.get("PDAUDIT_PG_BIN", "/usr/lib/postgresql/15/bin"))
#: The scanning role's password: ``#`` and ``@`` make sure URL quoting is handled.
PASSWORD = "Audit#Pw@2024"
USER = "auditor"
DEMO_VIEW = "CREATE VIEW user_contacts AS SELECT id, fio, email, phone FROM users"


class ServerError(RuntimeError):
    """A test server could not be started (binaries missing, start-up failed)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], user: str | None = None, **kwargs: object) -> None:
    if user and os.geteuid() == 0:
        args = ["runuser", "-u", user, "--", *args]
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise ServerError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def _temp_dir(prefix: str, owner: str | None) -> Path:
    base = Path(tempfile.mkdtemp(prefix=prefix))
    if owner and os.geteuid() == 0:
        entry = pwd.getpwnam(owner)
        os.chown(base, entry.pw_uid, entry.pw_gid)
    return base


def _auditor_url(driver: str, port: int, database: str, password: str = PASSWORD) -> str:
    return f"{driver}://{USER}:{quote(password, safe='')}@127.0.0.1:{port}/{database}"


class PostgresServer:
    """``initdb`` + ``pg_ctl start`` as the ``postgres`` user (initdb refuses root)."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise ServerError(
                f"PostgreSQL 15 binaries not found in {PG_BIN} — install postgresql-15 "
                "(make test does) or set PDAUDIT_PG_BIN"
            )
        owner = "postgres" if os.geteuid() == 0 else None
        self.base = _temp_dir("pdaudit-pg-", owner)
        self.data = self.base / "data"
        self.port = free_port()
        _run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
            ],
            user=owner,
        )
        options = (
            f"-k {self.base} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.base / "log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            user=owner,
        )
        self.owner = owner

    def admin_url(self, database: str = "postgres") -> str:
        """The superuser over the Unix socket (no password)."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.base}&port={self.port}"

    def url(self, database: str = "mirum", password: str = PASSWORD) -> str:
        """The ``auditor`` role over TCP, password in the URL."""
        return _auditor_url("postgresql", self.port, database, password)

    def execute(self, database: str, statements: Iterable[str]) -> None:
        """Run statements as the administrator, each committed on its own."""
        _execute(self.admin_url(database), statements)

    def stop(self) -> None:
        try:
            _run(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                user=self.owner,
            )
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


class MariaDbServer:
    """``mariadb-install-db`` + ``mariadbd`` as root (``--user=root``) in a temporary folder."""

    def __init__(self) -> None:
        install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
        daemon = shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"
        if not install or not Path(daemon).exists():
            raise ServerError(
                "MariaDB binaries (mariadb-install-db, mariadbd) not found — install "
                "mariadb-server (make test does)"
            )
        self.base = _temp_dir("pdaudit-maria-", None)
        self.data = self.base / "data"
        self.socket = self.base / "mysqld.sock"
        self.port = free_port()
        user = ["--user=root"] if os.geteuid() == 0 else []
        _run(
            [
                install,
                "--no-defaults",
                f"--datadir={self.data}",
                *user,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ]
        )
        self.process = subprocess.Popen(
            [
                daemon,
                "--no-defaults",
                f"--datadir={self.data}",
                f"--socket={self.socket}",
                f"--port={self.port}",
                "--bind-address=127.0.0.1",
                *user,
                "--skip-name-resolve",
                f"--pid-file={self.base / 'mysqld.pid'}",
                f"--log-error={self.base / 'error.log'}",
                "--innodb-buffer-pool-size=32M",
                "--innodb-flush-log-at-trx-commit=0",
                "--skip-log-bin",
                "--character-set-server=utf8mb4",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.base / "error.log").read_text(errors="replace")[-2000:]
                raise ServerError(f"mariadbd exited with {self.process.returncode}:\n{log}")
            try:
                self.execute("", ["SELECT 1"])
                return
            except sa.exc.OperationalError:
                time.sleep(0.1)
        raise ServerError("mariadbd did not accept connections within 60 s")

    def admin_url(self, database: str = "") -> str:
        """root over the Unix socket (no password)."""
        return (
            f"mysql+pymysql://root@localhost/{database}?unix_socket={self.socket}&charset=utf8mb4"
        )

    def url(self, database: str = "mirum", password: str = PASSWORD) -> str:
        """The ``auditor`` user over TCP, password in the URL."""
        return _auditor_url("mysql", self.port, database, password)

    def execute(self, database: str, statements: Iterable[str]) -> None:
        """Run statements as the administrator, each committed on its own."""
        _execute(self.admin_url(database), statements)

    def stop(self) -> None:
        try:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _execute(url: str, statements: Iterable[str]) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for sql in statements:
                conn.execute(sa.text(sql))
    finally:
        engine.dispose()


def _portable(type_: sa.types.TypeEngine) -> sa.types.TypeEngine:
    """A reflected SQLite column type as the same kind of type in any database."""
    if isinstance(type_, sa.JSON):
        return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    if isinstance(type_, sa.LargeBinary):
        return sa.LargeBinary().with_variant(mysql.MEDIUMBLOB(), "mysql", "mariadb")
    return type_.as_generic()


def load_demo(url: str, source: Path = DEMO_DB) -> None:
    """Create the demo tables and view in the database at ``url`` and copy every row into them."""
    src = sa.create_engine(f"sqlite:///{source}")
    dst = sa.create_engine(url)
    try:
        reflected = sa.MetaData()
        reflected.reflect(src)
        target = sa.MetaData()
        copies = []
        for table in reflected.sorted_tables:
            columns = [
                sa.Column(
                    c.name,
                    _portable(c.type),
                    primary_key=c.primary_key,
                    nullable=c.nullable,
                    autoincrement=False,
                )
                for c in table.columns
            ]
            copies.append((table, sa.Table(table.name, target, *columns)))
        target.create_all(dst)
        with src.connect() as read, dst.begin() as write:
            for table, copy in copies:
                rows = [dict(r._mapping) for r in read.execute(sa.select(table))]
                for start in range(0, len(rows), 500):
                    write.execute(copy.insert(), rows[start : start + 500])
            write.execute(sa.text(DEMO_VIEW))
    finally:
        src.dispose()
        dst.dispose()


def start_postgres() -> PostgresServer:
    """A PostgreSQL server with the demo in ``mirum`` and an ``hr`` schema for permission tests.

    ``auditor`` may read ``public`` and ``hr.staff`` but not ``hr.salaries``; the view ``hr.slow``
    takes two seconds, for timeout tests.
    """
    server = PostgresServer()
    try:
        server.execute(
            "postgres",
            [
                "CREATE DATABASE mirum",
                f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'",
            ],
        )
        load_demo(server.admin_url("mirum"))
        server.execute(
            "mirum",
            [
                "CREATE SCHEMA hr",
                "CREATE TABLE hr.staff (id integer PRIMARY KEY, fio text)",
                "CREATE TABLE hr.salaries (id integer PRIMARY KEY, iin text, amount numeric)",
                "INSERT INTO hr.staff VALUES (1, 'Ким Дана Маратовна')",
                "INSERT INTO hr.salaries VALUES (1, '900101300017', 100)",
                "CREATE VIEW hr.slow AS SELECT 1 AS id, 'x' || pg_sleep(2)::text AS v",
                f"GRANT USAGE ON SCHEMA public, hr TO {USER}",
                f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {USER}",
                f"GRANT SELECT ON hr.staff TO {USER}",
                "ANALYZE",
            ],
        )
    except BaseException:
        server.stop()
        raise
    return server


def start_mariadb() -> MariaDbServer:
    """A MariaDB server with the demo in ``mirum`` and an ``hr`` database for permission tests.

    ``auditor`` may read ``mirum`` and ``hr.staff``; on ``hr.salaries`` it holds only REFERENCES,
    so it sees the table but cannot read it. The view ``hr.slow`` takes two seconds.
    """
    server = MariaDbServer()
    try:
        server.execute(
            "",
            [
                "CREATE DATABASE mirum CHARACTER SET utf8mb4",
                "CREATE DATABASE hr CHARACTER SET utf8mb4",
                f"CREATE USER '{USER}'@'%' IDENTIFIED BY '{PASSWORD}'",
            ],
        )
        load_demo(server.admin_url("mirum"))
        server.execute(
            "hr",
            [
                "CREATE TABLE staff (id integer PRIMARY KEY, fio text)",
                "CREATE TABLE salaries (id integer PRIMARY KEY, iin text, amount decimal(10,2))",
                "INSERT INTO staff VALUES (1, 'Ким Дана Маратовна')",
                "INSERT INTO salaries VALUES (1, '900101300017', 100)",
                "CREATE VIEW slow AS SELECT 1 AS id, CONCAT('x', SLEEP(2)) AS v",
                f"GRANT SELECT ON mirum.* TO '{USER}'@'%'",
                f"GRANT SELECT ON hr.staff TO '{USER}'@'%'",
                f"GRANT REFERENCES ON hr.salaries TO '{USER}'@'%'",
                "ANALYZE TABLE mirum.sessions, mirum.users",
            ],
        )
    except BaseException:
        server.stop()
        raise
    return server
