"""The read path's fast forms against the slow ones they stand for, on tricky values.

Each fast path (SQLite rows decoded by sqlite3 in C, converters skipped for a column they would
not change, batches held column by column, whole columns taken by ``plain_texts``, a batch of
findings counted at once) must give exactly what the per-value path gives: the same texts per
field in the same order, the same counters, the same float sums, the same evidence order.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
from decimal import Decimal

import pytest

from pdaudit.scanner.analysis import Entity
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import MAX_VALUE_CHARS, Scanner, ScanOptions, iter_values, plain_texts
from pdaudit.scanner.sources import Container
from pdaudit.scanner.sources.sql import _CONVERTERS, ColumnBatch, SqlSource, _convert
from pdaudit.scanner.verdicts import FieldStats

LONG = "Ким " * (MAX_VALUE_CHARS // 4 + 1)
TRICKY = [
    None,
    "",
    " ",
    "\t\n",
    "\u3000",  # an ideographic space: blank to str.strip
    "Ким Ольга",
    " Ли Анна ",
    "Ли\n",
    "+7 701 123 45 67",
    '{"fio": "Ким Ольга", "phone": 77011234567}',
    '  [1, "a", {"b": "Сагинтаева"}]  ',
    "{not json}",
    "[not json",
    "{",
    "[]",
    "{}",
    "\ufffdA",
    "a\x00b",
    0,
    -5,
    900101300123,
    True,
    False,
    12.0,
    12.5,
    float("nan"),
    Decimal("77011234567"),
    b"\x00\x01binary",
    bytearray(b"xyz"),
    {"k": "v", "n": 1},
    ["a", None, 2],
    dt.date(1990, 1, 1),
    LONG,
    "x" * MAX_VALUE_CHARS,
]


def _slow_texts(values: list) -> list[str] | None:
    """What ``iter_values`` gives for ``values``, when each value gives itself or nothing."""
    out = []
    for value in values:
        for _, text in iter_values("f", value):
            if type(text) is not str or len(text) > MAX_VALUE_CHARS:
                return None
            out.append(text)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_plain_texts_is_iter_values_or_declines(seed):
    rng = random.Random(seed)
    pool = TRICKY if seed % 2 else [v for v in TRICKY if v is None or type(v) in (str, int)]
    values = [rng.choice(pool) for _ in range(rng.randint(0, 30))]
    fast = plain_texts(values)
    if fast is not None:
        assert fast == _slow_texts(values)
        assert all(type(t) is str for t in fast)


def test_plain_texts_takes_the_common_columns():
    names = ["Ким Ольга", None, "", " Ли Анна ", "  ", "Ахметов Б."]
    assert plain_texts(names) == ["Ким Ольга", " Ли Анна ", "Ахметов Б."]
    assert plain_texts((77011234567, None, 0, "870112345", "")) == ["77011234567", "0", "870112345"]
    assert plain_texts([]) == []
    assert plain_texts([None, ""]) == []
    # declined: JSON-looking, too long, other types
    assert plain_texts(["a", ' {"a": 1}']) is None
    assert plain_texts(["a", "[x"]) is None  # not JSON, but only iter_values can tell
    assert plain_texts(["a", LONG]) is None
    assert plain_texts(["a", True]) is None
    assert plain_texts(["a", 1.0]) is None
    assert plain_texts([b"a"]) is None
    # brackets inside a text are no JSON
    assert plain_texts(["Ким [бывш. Ли]", "x {y}"]) == ["Ким [бывш. Ли]", "x {y}"]
    # many short texts longer than MAX_VALUE_CHARS together
    many = ["Ким Ольга"] * (MAX_VALUE_CHARS // 5)
    assert plain_texts(many) == many
    assert plain_texts([" " + many[0]] * len(many)) == [" " + many[0]] * len(many)


@pytest.mark.parametrize("kind", sorted(_CONVERTERS))
def test_convert_is_the_converter_per_value(kind):
    values = tuple(TRICKY) + (memoryview(b"mv"), '{"a": [1, 2]}', "[oops", dt.datetime(2024, 1, 2))
    for size in (1, 3, len(values)):
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            assert list(_convert(kind, chunk)) == [_CONVERTERS[kind](v) for v in chunk], chunk


def _records(columns: dict[str, list]) -> list[dict]:
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _pending_view(pending) -> tuple:
    side = {
        f: (s.values_scanned, s.binary_skipped, s.documents, s.documents_failed)
        for f, s in pending.side.items()
    }
    return ({f: list(t) for f, t in pending.items() if t}, pending.pages, side)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("dotted", [False, True])
def test_collect_by_column_is_collect_by_row(seed, dotted):
    rng = random.Random(seed)
    names = ["fio", "note", "settings", "iin"] + (["settings.fio"] if dotted else [])
    n = rng.randint(1, 40)
    pools = {
        "fio": ["Ким Ольга", " Ли Анна", None, "", "  "],
        "iin": [900101300123, None, "900101300123", 0, ""],
        "note": TRICKY,
        "settings": [
            '{"fio": "Ли Анна", "tel": ["+7 701 123 45 67", null]}',
            {"fio": "Ким", "deep": {"x": 5}},
            None,
            "[1, 2]",
            "{bad",
        ],
        "settings.fio": ["Ахметов Б.", None],
    }
    columns = {name: [rng.choice(pools[name]) for _ in range(n)] for name in names}
    batch = ColumnBatch({k: tuple(v) for k, v in columns.items()}, n)
    assert list(batch) == _records(columns)
    container = Container("mem", "t", names, read=lambda: iter(()))
    scanner = Scanner(_NoAnalysis(), load_policy(), ScanOptions())
    stopped = rng.choice([None, "fio", "settings.fio"])
    views, created = [], []
    for form in (batch, _records(columns)):
        stats = scanner.new_stats(container)
        if stopped:
            stats[stopped] = FieldStats("mem", "t", stopped, stopped_after=7)
        views.append(_pending_view(scanner.collect(form, stats, container)))
        created.append(sorted(stats))
    assert views[0] == views[1]
    assert created[0] == created[1]


class _NoAnalysis:
    def analyze_batch(self, texts, context=None):
        raise AssertionError("collect does not analyse")


def _random_entities(rng: random.Random, text: str, most: int = 3) -> list[Entity]:
    found = []
    for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3][: 3 + 2 * most])):
        start = rng.randint(0, max(0, len(text) - 1))
        end = rng.randint(start, len(text))
        found.append(
            Entity(
                rng.choice(["PERSON", "KZ_IIN", "PHONE_NUMBER", "EMAIL_ADDRESS"]),
                start,
                end,
                rng.choice([0.4, 0.55, 0.85, 0.95, 0.3 + rng.random() / 2]),
                tuple(
                    rng.sample(
                        ["checksum", "context: fio", "dictionary", "format"], rng.randint(0, 2)
                    )
                ),
            )
        )
    return found


def _stats_view(fs: FieldStats) -> tuple:
    return (
        fs.values_scanned,
        [
            (t, ts.matches, ts.score_sum.hex(), ts.examples, list(ts.evidence.items()), ts.pages)
            for t, ts in fs.types.items()
        ],
        [(ts.roles, ts.distinct, ts.texts, ts.in_prose) for ts in fs.types.values()],
        (list(fs.shapes.items()), fs.pairs, fs.steps, fs.first_number, fs.last_number),
    )


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("most", [1, 3], ids=["one entity per value", "several"])
def test_add_all_is_add_one_by_one(seed, most):
    rng = random.Random(seed)
    fast, slow = FieldStats("s", "t", "f"), FieldStats("s", "t", "f")
    texts_pool = ["Ким Ольга", "900101300123", "+7 701 123 45 67", "Ли", "Ахметов Болат Ерланович"]
    texts_pool += ["info@mektep.kz", "aigul.k12@gmail.com", "900101300124", "1990-01-01"]
    for _ in range(rng.randint(1, 6)):  # several batches: examples and sums carry over
        texts = [rng.choice(texts_pool) for _ in range(rng.randint(0, 60))]
        found = [_random_entities(rng, t, most) for t in texts]
        pages = [rng.choice([None, 1, 2]) for _ in texts] if rng.random() < 0.2 else None
        fast.add_all(texts, found, pages)
        for i, (text, ents) in enumerate(zip(texts, found, strict=True)):
            slow.add(text, ents, pages[i] if pages else None)
    assert _stats_view(fast) == _stats_view(slow)


def test_add_all_refuses_misaligned_results():
    with pytest.raises(ValueError, match="2 values but 1 results"):
        FieldStats("s", "t", "f").add_all(["a", "b"], [[]])


def _broken_db(path, rows: int) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, j TEXT, n INTEGER)")
    for i in range(1, rows + 1):
        con.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
            (i, f"Ким {i}", f" Ли {i} " if i % 3 else None, json.dumps({"fio": f"А{i}"}), i),
        )
    # broken UTF-8 in the first row, in both text columns of a row, in neighbouring rows and
    # at the edges of 4-row batches
    for i, column in [(1, "a"), (4, "a"), (4, "b"), (5, "a"), (8, "b"), (9, "a"), (rows, "a")]:
        con.execute(f"UPDATE t SET {column} = CAST(x'41ff42c3' AS TEXT) WHERE id = ?", (i,))
    con.execute("UPDATE t SET j = CAST(x'7bff7d' AS TEXT) WHERE id = 6")
    con.commit()
    con.close()


@pytest.mark.parametrize("batch_size", [1, 3, 4, 2000])
def test_sqlite_broken_utf8_reads_as_before(tmp_path, batch_size):
    db = tmp_path / "broken.db"
    _broken_db(db, 13)
    con = sqlite3.connect(db)
    con.text_factory = lambda raw: raw.decode("utf-8", "replace")  # the per-value path
    expected = con.execute("SELECT a, b, j, n FROM t ORDER BY rowid").fetchall()
    con.close()
    assert expected[0][0] == "A\ufffdB\ufffd"
    with SqlSource(str(db), sampling=Sampling(mode="full"), batch_size=batch_size) as source:
        (container,) = source.containers()
        batches = list(container.read())
        # the session's replacing decoder is in place again after the fast reads
        with source.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.text_factory is not str
            assert raw.execute("SELECT a FROM t WHERE id = 4").fetchone() == ("A\ufffdB\ufffd",)
    assert [len(b) for b in batches] == [batch_size] * (13 // batch_size) + (
        [13 % batch_size] if 13 % batch_size else []
    )
    got = [(r["a"], r["b"], r["j"], r["n"]) for b in batches for r in b]
    converted = [(a, b, _CONVERTERS["text"](j), n) for a, b, j, n in expected]
    assert got == converted


def test_sqlite_scan_with_broken_cells_matches_the_row_path(tmp_path):
    """The whole scan: SqlSource's column batches against the same rows as plain records."""
    db = tmp_path / "broken.db"
    _broken_db(db, 30)
    options = ScanOptions(sampling=Sampling(mode="full"))
    with SqlSource(str(db), sampling=options.sampling, batch_size=7) as source:
        (container,) = source.containers()
        batches = list(container.read())
    reports = []
    from pdaudit.scanner.analysis import Analyzer

    for form in (batches, [list(b) for b in batches]):
        scanner = Scanner(Analyzer(), load_policy(), options)
        box = Container(
            container.source, container.name, container.fields, read=lambda f=form: iter(f)
        )
        stats = scanner.scan_container(box)
        reports.append({name: _stats_view(fs) for name, fs in stats.items()})
    assert reports[0] == reports[1]
    assert reports[0]["j.fio"][0] == 29  # one JSON cell is broken: scanned as text
    assert reports[0]["j"][0] == 1


def test_a_step_error_saying_decode_is_the_tables_error(tmp_path):
    """Only sqlite3's own decoding error is a broken cell: a step error whose message happens to
    say "decode" (a JSON path read from a cell) fails the table with its own message."""
    from pdaudit.scanner.sources import ContainerError

    db = tmp_path / "paths.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE src (id INTEGER PRIMARY KEY, p TEXT)")
    con.executemany("INSERT INTO src (p) VALUES (?)", [("$.a",), ("decode x",), ("$.a",)])
    con.execute("CREATE VIEW v AS SELECT id, json_extract('{\"a\": 1}', p) AS a FROM src")
    con.commit()
    con.close()
    with SqlSource(str(db), sampling=Sampling(mode="full"), views=True) as source:
        (container,) = [c for c in source.containers() if c.name == "v"]
        with pytest.raises(ContainerError) as raised:
            list(container.read())
    message = str(raised.value)
    assert "v: cannot read: JSON path error near 'decode x'" in message
    assert "StopIteration" not in message


def test_an_error_that_quotes_a_cell_is_masked_in_the_report(tmp_path):
    """A driver error that quotes a cell (a JSON path read from one) reaches the report and the
    log with the personal values in it masked."""
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import scan

    db = tmp_path / "quoted.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE src (id INTEGER PRIMARY KEY, p TEXT)")
    con.execute("INSERT INTO src (p) VALUES ('Сейтказиева Айгерим, ИИН 900101300126')")
    con.execute("CREATE VIEW v AS SELECT id, json_extract('{\"a\": 1}', p) AS a FROM src")
    con.commit()
    con.close()
    options = ScanOptions(sampling=Sampling(mode="full"), views=True)
    report = scan([str(db)], load_policy(None), options)
    (error,) = [e for e in report["errors"] if e["container"] == "v"]
    assert error["message"].endswith(
        " v: cannot read: JSON path error near 'С********** А******, И** 90********26'"
    )
    assert "900101300126" not in json.dumps(report, ensure_ascii=False)
    assert "Сейтказиева" not in json.dumps(report, ensure_ascii=False)
