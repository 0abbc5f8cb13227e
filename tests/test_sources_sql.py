"""The SQL source against SQLite, a real PostgreSQL 15 and a real MariaDB holding the same demo."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from servers import DEMO_DB, PASSWORD, ROOT, free_port

from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.sources import ContainerError, SourceError
from pdaudit.scanner.sources.sql import SqlSource

sys.path.insert(0, str(ROOT / "sample_data"))
import generate  # noqa: E402

BACKENDS = ["sqlite", "postgresql", "mariadb"]
PREFIX = {"sqlite": "", "postgresql": "public.", "mariadb": "mirum."}
SESSIONS = 500  # rows in the demo's sessions table

FIELDS = {
    "chat_messages": ["id", "user_id", "message"],
    "courses": ["id", "title", "sku", "price"],
    "documents": ["id", "user_id", "doc_type", "udostoverenie_no", "issued_by", "scan"],
    "emergency_contacts": ["id", "user_id", "contact_name", "contact_phone", "relation"],
    "enrollment_forms": [
        "id",
        "user_id",
        "fio",
        "iin",
        "phone",
        "phone_alt",
        "second_fio",
        "second_iin",
        "second_phone",
        "id_scan",
    ],
    "parents": ["id", "user_id", "parent_fio", "parent_phone", "parent_iin"],
    "payments": ["id", "user_id", "order_no", "card_number", "card_masked", "iban", "amount"],
    "sessions": ["id", "user_id", "ip", "user_agent", "token"],
    "support_tickets": ["id", "user_id", "subject", "message", "status"],
    "teacher_comments": ["id", "course_id", "pupil_id", "teacher_fio", "comment"],
    "user_contacts": ["id", "fio", "email", "phone"],
    "users": ["id", "fio", "email", "phone", "iin", "birth_date", "address", "settings"],
}
SKIPPED = {
    "courses": {"is_published": "type boolean cannot hold personal data"},
    "payments": {"paid_at": "holds times of events, not personal data"},
    "sessions": {"started_at": "holds times of events, not personal data"},
    "support_tickets": {"created_at": "holds times of events, not personal data"},
    "users": {
        "is_active": "type boolean cannot hold personal data",
        "created_at": "holds times of events, not personal data",
    },
}
SAMPLE_METHOD = {"sqlite": "rowid", "postgresql": "tablesample bernoulli", "mariadb": "key-range"}
VIEW_METHOD = {
    "sqlite": "reservoir",
    "postgresql": "order by random()",
    "mariadb": "order by rand(seed)",
}


@pytest.fixture(params=BACKENDS)
def backend(request, demo_db) -> tuple[str, str]:
    """(name, scan URL) of one backend holding the demo."""
    if request.param == "sqlite":
        return "sqlite", str(demo_db)
    if request.param == "postgresql":
        return "postgresql", request.getfixturevalue("pg_url")
    return "mariadb", request.getfixturevalue("mariadb_url")


def open_source(backend, **kwargs) -> SqlSource:
    name, url = backend
    if name == "postgresql":
        kwargs.setdefault("schemas", ["public"])
    return SqlSource(url, **kwargs)


def containers(source: SqlSource, prefix: str) -> dict:
    found = {}
    for c in source.containers():
        assert c.name.startswith(prefix)
        found[c.name[len(prefix) :]] = c
    return found


def rows(container) -> list[dict]:
    return [record for batch in container.read() for record in batch]


def test_containers_are_listed_alike(backend):
    with open_source(backend, views=True) as source:
        found = containers(source, PREFIX[backend[0]])
    assert sorted(found) == sorted(FIELDS)
    assert {name: c.fields for name, c in found.items()} == FIELDS
    assert {name: c.kind for name, c in found.items()} == {
        name: "view" if name == "user_contacts" else "table" for name in FIELDS
    }
    for name, container in found.items():
        expected = SKIPPED.get(name, {})
        assert sorted(container.skipped) == sorted(expected)
        for column, reason in expected.items():
            assert container.skipped[column].endswith(reason)
            assert container.skipped[column].startswith("type ")


def test_views_only_on_request(backend):
    with open_source(backend) as source:
        assert "user_contacts" not in containers(source, PREFIX[backend[0]])


def test_postgres_lists_every_readable_schema(pg_url):
    with SqlSource(pg_url) as source:
        names = [c.name for c in source.containers()]
    assert names[:2] == ["hr.salaries", "hr.staff"]
    assert "public.users" in names and "public.user_contacts" not in names


def test_values_keep_their_types(backend):
    """JSON parsed, bigints as int, BLOBs as bytes, dates ISO: the same on every backend."""
    raw = sqlite3.connect(DEMO_DB)
    user = raw.execute(
        "SELECT fio, email, phone, iin, birth_date, address, settings FROM users WHERE id = 2"
    ).fetchone()
    parent = raw.execute(
        "SELECT parent_fio, parent_phone, parent_iin FROM parents WHERE id = 1"
    ).fetchone()
    scan = raw.execute("SELECT scan FROM documents WHERE id = 1").fetchone()[0]
    raw.close()
    with open_source(backend, sampling=Sampling(mode="full")) as source:
        found = containers(source, PREFIX[backend[0]])
        users = {r["id"]: r for r in rows(found["users"])}
        parents = {r["id"]: r for r in rows(found["parents"])}
        documents = {r["id"]: r for r in rows(found["documents"])}
    record = users[2]
    assert [record[k] for k in ("fio", "email", "phone", "iin", "birth_date", "address")] == list(
        user[:6]
    )
    assert record["birth_date"] == "1979-02-20"
    assert isinstance(record["settings"], dict)
    assert record["settings"] == json.loads(user[6])
    assert record["settings"]["contacts"]["phone"] == "8(705)1366316"
    assert [parents[1][k] for k in ("parent_fio", "parent_phone", "parent_iin")] == list(parent)
    assert isinstance(parents[1]["parent_phone"], int)
    assert parents[1]["parent_phone"] == 77750123169
    assert isinstance(documents[1]["scan"], bytes)
    assert documents[1]["scan"] == scan and scan.startswith(b"%PDF-1.4")
    assert documents[2]["scan"] is None
    assert sum(1 for d in documents.values() if d["scan"] is not None) == 6


def sample_ids(backend, table: str, **sampling) -> tuple[list[int], str]:
    with open_source(backend, views=True, sampling=Sampling(**sampling)) as source:
        container = containers(source, PREFIX[backend[0]])[table]
        ids = [r["id"] for r in rows(container)]
    return ids, container.sampling_method


def test_sample_is_seeded_bounded_and_not_the_first_rows(backend):
    first, method = sample_ids(backend, "sessions", rows_per_table=50, seed=7)
    again, _ = sample_ids(backend, "sessions", rows_per_table=50, seed=7)
    other, _ = sample_ids(backend, "sessions", rows_per_table=50, seed=8)
    assert method == SAMPLE_METHOD[backend[0]]
    assert first == again
    assert len(first) == len(set(first)) == 50
    assert set(first) != set(other) and len(set(other)) == 50
    assert set(first) <= set(range(1, SESSIONS + 1))
    assert set(first) != set(range(1, 51))
    assert max(first) > 250  # drawn from the whole table, not its start


def test_view_sample_is_seeded(backend):
    first, method = sample_ids(backend, "user_contacts", rows_per_table=40, seed=3)
    again, _ = sample_ids(backend, "user_contacts", rows_per_table=40, seed=3)
    other, _ = sample_ids(backend, "user_contacts", rows_per_table=40, seed=4)
    assert method == VIEW_METHOD[backend[0]]
    assert first == again and len(set(first)) == 40 and set(first) != set(other)


def test_small_table_is_read_whole(backend):
    ids, method = sample_ids(backend, "courses", rows_per_table=50)
    assert method == "whole table"
    assert sorted(ids) == list(range(1, 17))


def test_full_mode_streams_every_row_in_bounded_batches(backend):
    with open_source(backend, sampling=Sampling(mode="full"), batch_size=64) as source:
        container = containers(source, PREFIX[backend[0]])["sessions"]
        batches = list(container.read())
    assert container.sampling_method == "full"
    assert [len(b) for b in batches] == [64] * 7 + [SESSIONS - 7 * 64]
    assert sorted(r["id"] for b in batches for r in b) == list(range(1, SESSIONS + 1))


@pytest.mark.parametrize(
    ("server", "driver"),
    [("postgresql", "psycopg"), ("mariadb", "mysqldb"), ("mariadb+pymysql", "pymysql")],
)
def test_full_mode_fetches_from_the_server_a_batch_at_a_time(request, server, driver):
    """A full read of a server table holds one batch of rows, not the table: when the first
    batch is handed out, the driver's cursor has fetched no more than that batch from the
    server (SQLAlchemy's ``yield_per`` does not size a ``text()`` query's partitions).
    ``mariadb://`` reads through mysqlclient (installed with the dev extra), and
    ``mariadb+pymysql://`` through PyMySQL."""
    url = request.getfixturevalue("pg_url" if server == "postgresql" else "mariadb_url")
    url = server + url[url.index("://") :]
    with open_source(
        ("mariadb" if "mariadb" in server else server, url),
        sampling=Sampling(mode="full"),
        batch_size=64,
    ) as source:
        assert source.engine.dialect.driver == driver
        cursors = []
        sa.event.listen(
            source._engine,
            "after_cursor_execute",
            lambda _conn, cursor, statement, *_: cursors.append((statement, cursor)),
        )
        container = containers(source, PREFIX[server.split("+")[0]])["sessions"]
        batches = container.read()
        first = next(batches)
        (read,) = [c for statement, c in cursors if statement.startswith("SELECT id, user_id")]
        fetched = read.rownumber  # None once the cursor has fetched every row and closed
        rest = sum(len(b) for b in batches)
    assert (len(first), fetched, rest) == (64, 64, SESSIONS - 64)


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (["*.users.*"], [], {"users": FIELDS["users"]}),
        (["users"], [], {"users": FIELDS["users"]}),
        (["*.users.fio", "users.email"], [], {"users": ["fio", "email"]}),
        (["*.courses", "*.sessions.ip"], [], {"courses": FIELDS["courses"], "sessions": ["ip"]}),
        (
            [],
            ["*.users.iin", "*.sessions", "courses", "*.user_id", "*.id"],
            {
                name: [
                    f
                    for f in fields
                    if f not in ("id", "user_id") and (name, f) != ("users", "iin")
                ]
                for name, fields in FIELDS.items()
                if name not in ("sessions", "courses", "user_contacts")
            },
        ),
    ],
)
def test_include_and_exclude(backend, include, exclude, expected):
    with open_source(backend, include=include, exclude=exclude) as source:
        found = containers(source, PREFIX[backend[0]])
    assert {name: c.fields for name, c in found.items()} == expected
    if exclude:
        assert found["users"].skipped["iin"] == "excluded by the include/exclude filters"


def test_include_schema_qualified_names(pg_url, mariadb_url):
    with SqlSource(pg_url, include=["public.users"]) as source:
        assert [c.name for c in source.containers()] == ["public.users"]
    with SqlSource(mariadb_url, include=["mirum.users.phone"]) as source:
        assert [(c.name, c.fields) for c in source.containers()] == [("mirum.users", ["phone"])]


@pytest.mark.parametrize("server", ["pg_server", "mariadb_server"])
def test_unreadable_table_fails_alone(request, server):
    srv = request.getfixturevalue(server)
    schemas = ["hr"] if server == "pg_server" else ["hr", "mirum"]
    with SqlSource(srv.url(), schemas=schemas) as source:
        found = {c.name: c for c in source.containers()}
        with pytest.raises(ContainerError) as caught:
            rows(found["hr.salaries"])
        assert str(caught.value) == (
            f"{source.display} hr.salaries: permission denied — grant SELECT on it to the "
            "scanning user, or exclude it"
        )
        assert rows(found["hr.staff"]) == [{"id": 1, "fio": "Ким Дана Маратовна"}]
        if server == "mariadb_server":
            assert len(rows(found["mirum.users"])) == 300


def test_display_never_shows_the_password(pg_server, mariadb_server):
    for server, scheme in ((pg_server, "postgresql"), (mariadb_server, "mysql")):
        with SqlSource(server.url()) as source:
            assert source.display == f"{scheme}://auditor@127.0.0.1:{server.port}/mirum"
            for container in source.containers():
                assert PASSWORD not in container.source
                assert quote(PASSWORD, safe="") not in container.source


@pytest.mark.parametrize("server", ["pg_server", "mariadb_server"])
def test_password_from_environment(request, monkeypatch, server):
    srv = request.getfixturevalue(server)
    url = srv.url().replace(":" + quote(PASSWORD, safe=""), "")
    monkeypatch.setenv("PDAUDIT_TEST_PW", PASSWORD)
    with SqlSource(url, password_env="PDAUDIT_TEST_PW", include=["*.courses"]) as source:
        assert [c.name.split(".")[-1] for c in source.containers()] == ["courses"]
    monkeypatch.delenv("PDAUDIT_TEST_PW")
    with pytest.raises(SourceError) as caught:
        SqlSource(url, password_env="PDAUDIT_TEST_PW")
    assert str(caught.value) == (
        f"{url}: environment variable PDAUDIT_TEST_PW is not set — export it or drop the "
        "password option"
    )


def source_error(target: str, **kwargs) -> str:
    with pytest.raises(SourceError) as caught:
        SqlSource(target, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert PASSWORD not in message and quote(PASSWORD, safe="") not in message
    return message


def test_refused_connections():
    """psycopg and PyMySQL name the refusal; mysqlclient (``mysql://`` and ``mariadb://`` when
    it is installed, as the dev extra installs it) names errno 115 alone, which an unreachable
    network gives too."""
    port = free_port()
    for scheme in ("postgresql", "mysql+pymysql", "mariadb+pymysql"):
        url = f"{scheme}://auditor:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/mirum"
        assert source_error(url) == (
            f"{scheme}://auditor@127.0.0.1:{port}/mirum: connection refused — is the server "
            "running and the port right?"
        )
    pytest.importorskip("MySQLdb")
    for scheme in ("mysql", "mariadb"):
        url = f"{scheme}://auditor:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/mirum"
        assert source_error(url) == (
            f"{scheme}://auditor@127.0.0.1:{port}/mirum: cannot reach the server — is it "
            "running, and are the host and port right?"
        )


@pytest.mark.parametrize("server", ["pg_server", "mariadb_server"])
def test_wrong_password_and_database(request, server):
    srv = request.getfixturevalue(server)
    shown = srv.url().replace(":" + quote(PASSWORD, safe=""), "")
    assert source_error(srv.url(password=PASSWORD + "x")) == (
        f"{shown}: login failed — check the user name and password (in the URL, "
        "PGPASSWORD/~/.pgpass, or the password environment variable)"
    )
    missing = srv.url(database="nosuchdb")
    message = source_error(missing)
    # MariaDB refuses a database the user has no grant on as "access denied".
    assert message in (
        f"{shown[:-5]}nosuchdb: no such database — check the database name in the URL",
        f"{shown[:-5]}nosuchdb: login failed — check the user name and password (in the URL, "
        "PGPASSWORD/~/.pgpass, or the password environment variable)",
    )


def test_bad_targets(tmp_path):
    missing = tmp_path / "nope.db"
    assert source_error(str(missing)) == f"sqlite:///{missing}: no such file — check the path"
    assert source_error(f"sqlite:///{missing}") == (
        f"sqlite:///{missing}: no such file — check the path"
    )
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all, just some text " * 40)
    assert source_error(str(junk)) == f"sqlite:///{junk}: not an SQLite database file"
    assert source_error(f"postgresql://auditor:{PASSWORD}@127.0.0.1:notaport/db") == (
        "postgresql://auditor@127.0.0.1:notaport/db: not a database URL — use e.g. "
        "postgresql://user@host/db, mysql://user@host/db or a path to an SQLite file"
    )
    assert source_error("oracle+nodriver://u@h/db") == (
        "oracle+nodriver://u@h/db: unknown database type 'oracle+nodriver' — use sqlite, "
        "postgresql or mysql/mariadb"
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sqlite_file_is_never_written(demo_db):
    before = sha256(demo_db)
    files_before = sorted(p.name for p in demo_db.parent.iterdir())
    for mode in ("sample", "full"):
        with SqlSource(str(demo_db), views=True, sampling=Sampling(mode=mode)) as source:
            for container in source.containers():
                rows(container)
            with (
                pytest.raises(sa.exc.OperationalError, match="readonly"),
                source.engine.connect() as conn,
            ):
                conn.execute(sa.text("UPDATE users SET fio = 'x'"))
    assert sha256(demo_db) == before
    assert sorted(p.name for p in demo_db.parent.iterdir()) == files_before


CHECKSUM = {
    "postgresql": "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM {table} t",
    "mariadb": "CHECKSUM TABLE {table}",
}


@pytest.mark.parametrize("server", ["pg_server", "mariadb_server"])
def test_server_data_unchanged_and_writes_refused(request, server):
    """Even as the administrator, the source's connections cannot write."""
    srv = request.getfixturevalue(server)
    kind = "postgresql" if server == "pg_server" else "mariadb"
    admin = sa.create_engine(srv.admin_url("mirum"))

    def checksums() -> list:
        with admin.connect() as conn:
            return [
                conn.execute(sa.text(CHECKSUM[kind].format(table=t))).all()
                for t in ("users", "sessions", "payments")
            ]

    before = checksums()
    with SqlSource(
        srv.admin_url("mirum"),
        sampling=Sampling(rows_per_table=30),
        schemas=["public"] if kind == "postgresql" else (),
    ) as source:
        for container in source.containers():
            rows(container)
        with (
            pytest.raises(sa.exc.DBAPIError, match="(?i)read.only"),
            source.engine.connect() as conn,
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO courses (id, title, sku, price, is_published) "
                    "VALUES (999, 'x', 1, 1, true)"
                )
            )
    assert checksums() == before
    admin.dispose()


@pytest.mark.parametrize("server", ["pg_server", "mariadb_server"])
def test_statement_timeout_is_a_container_error(request, server):
    srv = request.getfixturevalue(server)
    with SqlSource(
        srv.admin_url("mirum"),
        statement_timeout_s=0.2,
        views=True,
        schemas=["hr"],
        include=["hr.slow"],
    ) as source:
        (container,) = source.containers()
        with pytest.raises(ContainerError) as caught:
            rows(container)
    assert str(caught.value) == (
        f"{source.display} hr.slow: timed out after 0.2 s — raise the statement timeout or "
        "sample fewer rows"
    )


def make_sqlite(path: Path, statements: list[str], rows_: dict[str, list[tuple]]) -> Path:
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    for table, records in rows_.items():
        marks = ", ".join("?" for _ in records[0])
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", records)
    con.commit()
    con.close()
    return path


def test_sqlite_without_rowid_sparse_keys_and_broken_text(tmp_path):
    db = make_sqlite(
        tmp_path / "odd.db",
        [
            "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID",
            "CREATE TABLE ik (k INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID",
            "CREATE TABLE sparse (id INTEGER PRIMARY KEY, v TEXT)",
            "CREATE TABLE broken (id INTEGER PRIMARY KEY, v TEXT, flag BOOLEAN, at TIMESTAMP, u)",
        ],
        {
            "kv": [(f"key{i:03d}", f"v{i}") for i in range(200)],
            "ik": [(i * 3, f"v{i}") for i in range(200)],
            "sparse": [(i * 1_000_003, f"v{i}") for i in range(300)],
        },
    )
    con = sqlite3.connect(db)
    con.execute("INSERT INTO broken VALUES (1, CAST(x'ff41' AS TEXT), 1, '2024-01-01', 5)")
    con.commit()
    con.close()

    def sample(seed: int) -> dict:
        with SqlSource(str(db), sampling=Sampling(rows_per_table=20, seed=seed)) as source:
            found = {}
            for c in source.containers():
                values = [r["v"] for r in rows(c)]  # reading settles the method
                found[c.name] = (c.sampling_method, values)
            return found

    first, again, other = sample(1), sample(1), sample(2)
    assert first == again
    assert {name: method for name, (method, _) in first.items()} == {
        "broken": "whole table",
        "ik": "key-range",
        "kv": "reservoir",
        "sparse": "rowid",
    }
    for name in ("ik", "kv", "sparse"):
        assert len(set(first[name][1])) == 20
        assert first[name][1] != other[name][1]
    assert first["broken"][1] == ["\ufffdA"]
    with SqlSource(str(db), include=["broken"]) as source:
        (broken,) = source.containers()
    assert broken.fields == ["id", "v", "u"]
    assert broken.skipped == {
        "flag": "type boolean cannot hold personal data",
        "at": "type timestamp holds times of events, not personal data",
    }


def test_demo_generator_is_deterministic_and_committed_file_current(tmp_path):
    out = tmp_path / "fresh.db"
    subprocess.run(
        [sys.executable, str(ROOT / "sample_data" / "generate.py"), "--out", str(out)], check=True
    )
    assert sha256(out) == sha256(DEMO_DB), "sample_data/mirum.db is stale: run generate.py"


def test_demo_identifiers_are_valid_and_order_numbers_are_not_iins():
    data = generate.build(rows=120, seed=5)
    iins = [u["iin"] for u in data["users"] if u["iin"]]
    assert iins and all(generate.is_valid_iin(i) for i in iins)
    assert all(
        generate.is_valid_iin(str(p["parent_iin"])) for p in data["parents"] if p["parent_iin"]
    )
    assert not any(generate.is_valid_iin(str(p["order_no"])) for p in data["payments"])
    cards = [p["card_number"] for p in data["payments"] if p["card_number"]]
    assert all(generate.luhn_complete(c[:-1]) == c for c in cards)
    ibans = [p["iban"] for p in data["payments"] if p["iban"]]
    assert all(int("".join(str(int(ch, 36)) for ch in i[4:] + i[:4])) % 97 == 1 for i in ibans)
    assert {len(d["udostoverenie_no"]) for d in data["documents"]} == {9}
    assert all(dt.date.fromisoformat(u["birth_date"]) for u in data["users"])


@pytest.mark.parametrize(
    ("iin", "valid"),
    [
        ("900101300018", False),
        ("900101300017", True),
        ("790220349379", True),
        ("041006686118", True),
        ("041306686118", False),
        ("79022034937", False),
        ("7902203493a9", False),
    ],
)
def test_iin_check(iin, valid):
    assert generate.is_valid_iin(iin) is valid
