"""The scan's bookkeeping around the analysis: each shortcut against the path it stands for.

- ``ColumnBatch.types``: the reader's types of each column's values, which ``plain_texts`` and
  ``batch_documents`` take instead of asking each value again;
- ``fieldmodel.number_column``: a batch in which every text holds one character no bare number
  holds (time stamps) has no bare numbers, without the regex;
- ``thirdparty.count_texts``: a batch whose findings hold no identifying type (an address
  column) names no relative, without the relation-word search;
- ``FieldStats.add_all``: a batch whose every value has a finding is counted without copies.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

import pytest
from test_read_fastpath import TRICKY, _NoAnalysis, _pending_view, _random_entities, _stats_view

from pdaudit.scanner import fieldmodel, thirdparty
from pdaudit.scanner.analysis import Entity
from pdaudit.scanner.masking import mask
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.scan import Scanner, ScanOptions, batch_documents, plain_texts
from pdaudit.scanner.sources.sql import _CONVERTERS, ColumnBatch, SqlSource, _convert_typed
from pdaudit.scanner.verdicts import FieldStats


@pytest.mark.parametrize("kind", sorted(_CONVERTERS))
def test_convert_typed_says_the_types_of_what_it_returns(kind):
    rng = random.Random(kind)
    for size in (1, 3, 10, len(TRICKY)):
        values = tuple(rng.choice(TRICKY) for _ in range(size))
        converted, types = _convert_typed(kind, values)
        assert list(converted) == [_CONVERTERS[kind](v) for v in values]
        assert types == set(map(type, converted))


@pytest.mark.parametrize("seed", range(40))
def test_plain_texts_with_types_is_plain_texts(seed):
    rng = random.Random(seed)
    pool = TRICKY if seed % 2 else [v for v in TRICKY if v is None or type(v) in (str, int)]
    values = [rng.choice(pool) for _ in range(rng.randint(0, 30))]
    assert plain_texts(values, frozenset(map(type, values))) == plain_texts(values)


def test_sqlite_batches_carry_their_types_and_collect_the_same(tmp_path):
    db = tmp_path / "t.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (fio TEXT, iin TEXT, note TEXT, doc BLOB)")
    rng = random.Random(7)
    rows = [
        (
            rng.choice(["Ким Ольга", None, "", " Ли "]),
            rng.choice(["900101300123", 900101300123, None]),
            rng.choice(['{"fio": "Ким"}', "мой сын Арман", None, 12.5]),
            rng.choice([None, b"\x00bin", "текст"]),
        )
        for _ in range(57)
    ]
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    source = SqlSource(f"sqlite:///{db}", batch_size=10)
    try:
        (container,) = list(source.containers())
        batches = list(container.read())
    finally:
        source.close()
    assert sum(map(len, batches)) == len(rows)
    scanner = Scanner(_NoAnalysis(), load_policy(), ScanOptions())
    for batch in batches:
        assert batch.types is not None
        assert batch.types == {n: set(map(type, v)) for n, v in batch.columns.items()}
        plain = ColumnBatch(batch.columns, len(batch))  # the same batch, types not said
        assert batch_documents(batch, {}, container) == batch_documents(plain, {}, container)
        views = []
        for form in (batch, plain):
            stats = scanner.new_stats(container)
            views.append(_pending_view(scanner.collect(form, stats, container)))
        assert views[0] == views[1]


NUMBERISH = [
    "2024-05-28 13:37:56",
    "2024-05-28",
    "+7 (701) 123-45-67",
    "8 747 695 1035",
    "77011234567",
    "1" * 19,
    "1" * 20,
    "12:30",
    ":",
    "a:b",
    "\u0663\u0664",  # Arabic-Indic digits: digits to Python, no bare number
    "12\u0663",
    "7\u00a0701",
    "(",
    "+",
    "0",
    "\ud800",  # a lone surrogate
    "12\ud800",
    "Ким 12",
    "1.5",
    "x",
    "@",
    "a@b.kz",
]


def _shapes_slowly(texts: list[str]) -> tuple[dict[int, int], list[int]]:
    shapes, numbers = fieldmodel._shapes_one_by_one(texts)
    return dict(Counter(filter(None, shapes))), numbers


@pytest.mark.parametrize("seed", range(60))
def test_number_column_is_digit_shapes_one_by_one(seed):
    rng = random.Random(seed)
    n = rng.choice([1, 2, fieldmodel.COLUMN_MIN, 300])
    shared = rng.choice([":", "@", "a", "\u0663", "\ud800", ""])
    pool = rng.sample(NUMBERISH, rng.randint(1, len(NUMBERISH)))
    texts = []
    for _ in range(n):
        text = rng.choice(pool)
        if shared and (seed % 2 or rng.random() < 0.97):  # odd seeds: in every text
            cut = rng.randint(0, len(text))
            text = text[:cut] + shared + text[cut:]
        texts.append(text)
    counts, numbers = fieldmodel.number_column(texts)
    want_counts, want_numbers = _shapes_slowly(texts)
    assert counts == want_counts and list(counts) == list(want_counts)
    assert numbers.tolist() == want_numbers


def test_number_column_takes_time_stamps_without_polars(monkeypatch):
    stamps = [f"2024-05-{d:02d} 13:37:{s:02d}" for d in range(1, 29) for s in range(20)]
    monkeypatch.setattr(fieldmodel, "_number_series", None)  # would fail if called
    counts, numbers = fieldmodel.number_column(stamps)
    assert counts == {} and numbers.size == 0
    mixed = [*stamps, "2024-05-28"]
    monkeypatch.undo()
    counts, numbers = fieldmodel.number_column(mixed)
    assert counts == {8: 1} and numbers.tolist() == [20240528]


RELATION_TEXTS = [
    "Мой сын Арман Сейітов не может войти",
    "г. Алматы, ул. Абая 5, мой сын там живёт",
    "Сейітов Арман",
    "Ұлым Нұрлан",
    "a@b.kz",
    "моя дочь: +7 701 123 45 67",
    "бабушке 900101300123",
]


def _entities_for(text: str, kind: str) -> list[Entity]:
    """A made-up finding over the text's last word (or none)."""
    start = text.rfind(" ") + 1
    return [] if kind == "" else [Entity(kind, start, len(text), 0.9)]


def _count_texts_slowly(texts, found) -> tuple[int, list[str]]:
    counts = thirdparty.TextCounts()
    for text, entities in zip(texts, found, strict=True):
        named = thirdparty.relatives_in_text(text, entities) if entities else []
        if named:
            counts.values += 1
            if len(counts.examples) < 3:
                etype, start, end = named[0]
                example = mask(text[start:end], etype)
                if example not in counts.examples:
                    counts.examples.append(example)
    return counts.values, counts.examples


@pytest.mark.parametrize("seed", range(40))
def test_count_texts_is_relatives_in_text_one_by_one(seed):
    rng = random.Random(seed)
    kinds = rng.choice([["ADDRESS"], ["ADDRESS", ""], ["PERSON", "ADDRESS", "PHONE_NUMBER", ""]])
    texts = [rng.choice(RELATION_TEXTS) for _ in range(rng.randint(1, 30))]
    found = []
    for text in texts:
        entities = _entities_for(text, rng.choice(kinds))
        if entities and rng.random() < 0.3:
            entities.append(Entity("ADDRESS", 0, 3, 0.5))
        found.append(entities)
    counts = thirdparty.TextCounts()
    thirdparty.count_texts(counts, texts, found)
    assert (counts.values, counts.examples) == _count_texts_slowly(texts, found)


def test_count_texts_skips_the_relation_search_without_an_identifying_type(monkeypatch):
    texts = ["г. Алматы, ул. Абая 5, мой сын там живёт"] * 3
    found = [[Entity("ADDRESS", 0, 20, 0.9)]] * 3

    def search(_texts):
        raise AssertionError("the relation search ran")

    monkeypatch.setattr(thirdparty, "relation_indices", search)
    thirdparty.count_texts(thirdparty.TextCounts(), texts, found)
    with pytest.raises(AssertionError, match="relation search"):
        thirdparty.count_texts(
            thirdparty.TextCounts(), texts, [*found[:2], _entities_for(texts[2], "PERSON")]
        )


@pytest.mark.parametrize("seed", range(30))
def test_add_all_of_full_columns_is_add_one_by_one(seed):
    """Batches where every value has a finding (the texts are taken as they are), where none
    has, and where a few have none, long enough for ``number_column``; over adversarial texts."""
    rng = random.Random(seed)
    fast, slow = FieldStats("s", "t", "f"), FieldStats("s", "t", "f")
    pool = [*NUMBERISH, "Ким Ольга", "info@mektep.kz", "", "Ли", "Ли"]
    for _ in range(rng.randint(1, 4)):
        n = rng.choice([1, 5, fieldmodel.COLUMN_MIN + 3])
        texts = [rng.choice(pool) for _ in range(n)]
        empty = rng.choice([0.0, 0.0, 0.02, 1.0])
        found = []
        for text in texts:
            entities = [] if rng.random() < empty else _random_entities(rng, text, 1)[:1]
            found.append(entities or ([] if empty else [Entity("PERSON", 0, len(text), 0.85)]))
        fast.add_all(texts, found)
        for text, entities in zip(texts, found, strict=True):
            slow.add(text, entities)
    assert _stats_view(fast) == _stats_view(slow)
