"""Shared fixtures: the demo SQLite file and real PostgreSQL / MariaDB servers loaded with it.

The servers start once per session, only when a test asks for them; a missing binary fails the
test with a message saying what to install (``make test`` installs them).
"""

from __future__ import annotations

import os

# The test process's own choice, as the CLI's (natasha is 5-6x slower with several OpenMP
# threads); the library leaves the environment alone. Before anything imports numpy.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import shutil  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from servers import (  # noqa: E402
    DEMO_DB,
    MariaDbServer,
    PostgresServer,
    ServerError,
    start_mariadb,
    start_postgres,
)

# Names holding personal values are hashed with a key (scanner.names): a fixed one, so no test
# writes ~/.config/pdaudit/hash.key; subprocesses inherit it.
os.environ.setdefault("PDAUDIT_HASH_KEY", "pdaudit-tests")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of ``sample_data/mirum.db`` (tests may not touch the committed file)."""
    path = tmp_path_factory.mktemp("demo") / "mirum.db"
    shutil.copyfile(DEMO_DB, path)
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """PostgreSQL 15 with the demo in database ``mirum``; ``pg_server.url()`` is the scan URL."""
    try:
        server = start_postgres()
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDbServer]:
    """MariaDB with the demo in database ``mirum``; ``mariadb_server.url()`` is the scan URL."""
    try:
        server = start_mariadb()
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgresServer) -> str:
    return pg_server.url()


@pytest.fixture(scope="session")
def mariadb_url(mariadb_server: MariaDbServer) -> str:
    return mariadb_server.url()
