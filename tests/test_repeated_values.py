"""A plain column's batch whose values repeat is counted as its distinct texts (issue 15).

``Scanner.collect`` hands such a batch of a ``ColumnBatch`` over as distinct texts with counts
and the reading order (``scan.repeated_texts``); ``FieldStats.add_counts`` must then count what
``add_all`` counts over the values, field for field and in the same order (examples, evidence,
score sums to the last bit, number shapes and steps), and the report must not change.
"""

from __future__ import annotations

import random
import sqlite3
from fractions import Fraction

import numpy as np
import pytest
from test_bookkeeping_fastpath import NUMBERISH
from test_read_fastpath import _random_entities, _stats_view

from pdaudit.scanner import fieldmodel, scan
from pdaudit.scanner.analysis import Entity
from pdaudit.scanner.distributed import PieceResult, merge_piece
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.sampling import EarlyStop, Sampling
from pdaudit.scanner.scan import REPEATS_MIN, Scanner, ScanOptions, repeated_texts
from pdaudit.scanner.sources import Container
from pdaudit.scanner.sources.sql import ColumnBatch
from pdaudit.scanner.thirdparty import TextCounts, count_texts
from pdaudit.scanner.verdicts import FieldStats, TypeStats, exact_scores
from pdaudit.scanner.windows import Windows

POOL = [
    *NUMBERISH,
    "1" * 18,
    "9" * 19,  # over 2**62: the steps are counted with Python integers
    "9" * 20,
    "7000000001",
    "7000000002",
    "7000000004",
    "Ким Ольга",
    "Ким Ольга ",
    " Ли Анна",
    "Ли",
    "Ахметов Болат Ерланович",
    "Ерлан",
    "info@mektep.kz",
    "aigul.k12@gmail.com",
    "мой сын Ким Арман, ИИН 900101300123",
    '{"fio": "Ким Ольга"}',  # JSON-looking: handed over as is here (collect tests it apart)
    "[1, 2]",
    "",
]
TYPES = ["PERSON", "KZ_IIN", "PHONE_NUMBER", "EMAIL_ADDRESS", "DATE_OF_BIRTH"]


def _full_view(fs: FieldStats) -> tuple:
    third = fs.third_party_text
    return (
        _stats_view(fs),
        list(fs.name_parts.items()),
        fs.name_part_examples,
        (third.values, third.examples) if third is not None else None,
    )


def _entities(rng: random.Random, text: str) -> list[Entity]:
    """One text's findings: none, one, or several of several types (scores that add up
    differently in another order)."""
    kind = rng.random()
    if kind < 0.2:
        return []
    if kind < 0.7:
        etype = rng.choice(TYPES)
        score = rng.choice([0.85, 0.95, 0.1, 0.2, 0.3000000000000001, 0.3 + rng.random() / 2])
        evidence = tuple(rng.sample(["checksum", "field name: fio", "lexicon", "date"], 2))
        return [Entity(etype, 0, len(text), score, evidence)]
    return _random_entities(rng, text, 3)


def _batches(rng: random.Random, pool: list[str]) -> list[list[str]]:
    sizes = [1, 5, fieldmodel.COLUMN_MIN - 1, fieldmodel.COLUMN_MIN + 3, 700]
    return [[rng.choice(pool) for _ in range(rng.choice(sizes))] for _ in range(rng.randint(1, 4))]


def _distinct(texts: list[str]) -> tuple[list[str], list[int], np.ndarray]:
    distinct = list(dict.fromkeys(texts))
    order = np.array([distinct.index(t) for t in texts], dtype=np.int64)
    return distinct, [texts.count(t) for t in distinct], order


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("field", ["note", "first_name"])
def test_add_counts_is_add_all_over_the_values(seed, field):
    """Batches of repeated adversarial texts, each text with the same findings wherever it
    stands (as the analysis gives them), counted both ways over several batches."""
    rng = random.Random(seed)
    pool = rng.sample(POOL, rng.randint(1, len(POOL)))
    found_of = {text: _entities(rng, text) for text in pool}
    if rng.random() < 0.3:  # a column where every value has one finding of one type
        found_of = {t: [Entity("PERSON", 0, len(t), 0.95, ("a", "b"))] for t in pool}
    values, counted = FieldStats("s", "t", field), FieldStats("s", "t", field)
    values.third_party_text, counted.third_party_text = TextCounts(), TextCounts()
    for texts in _batches(rng, pool):
        found = [found_of[t] for t in texts]
        values.add_all(texts, found)
        count_texts(values.third_party_text, texts, found)
        distinct, counts, order = _distinct(texts)
        d_found = [found_of[t] for t in distinct]
        counted.add_counts(distinct, counts, d_found, order)
        count_texts(counted.third_party_text, distinct, d_found, weights=counts)
    assert _full_view(counted) == _full_view(values)
    assert counted == values


@pytest.mark.parametrize("seed", range(10))
def test_add_counts_reads_both_ways_what_add_all_counts(seed):
    """``_profile_counts`` reads a long batch of mostly distinct texts as a column and any
    other per distinct text (a window of many batches): both count what the values count."""
    rng = random.Random(seed)
    numbers = [str(rng.choice([7000000000, 900101300000, 19900101]) + rng.randint(0, 400))]
    numbers += [f"{rng.randint(1, 28):02}.01.1990" for _ in range(3)] + ["9" * 20]
    pool = [*numbers, *(str(7000000000 + k) for k in range(rng.choice([300, 3000]))), *POOL]
    found_of = {text: _entities(rng, text) for text in pool}
    values, counted = FieldStats("s", "t", "acc"), FieldStats("s", "t", "acc")
    for size in (700, fieldmodel.COLUMN_MIN, 5000):
        texts = [rng.choice(pool) for _ in range(size)]
        values.add_all(texts, [found_of[t] for t in texts])
        distinct, counts, order = _distinct(texts)
        counted.add_counts(distinct, counts, [found_of[t] for t in distinct], order)
    assert _full_view(counted) == _full_view(values)
    assert counted == values
    assert values.pairs > 0


def test_repeated_texts_says_when_a_batch_repeats():
    distinct, counts, order = repeated_texts(["b", "a", "b", "b"], 0.5)
    assert (distinct, counts, order.tolist()) == (["b", "a"], [3, 1], [0, 1, 0, 0])
    assert repeated_texts(["b", "a", "c", "b"], 0.5) is None  # 3 of 4 distinct
    assert repeated_texts([], 0.5) is not None


def _columns(rng: random.Random, n: int) -> dict[str, tuple]:
    names = [rng.choice(["Ким Ольга", "Ли Анна", " Ли Анна", "Ахметов Болат"]) for _ in range(n)]
    return {
        "fio": tuple(rng.choice([*names[:5], None, "", "  "]) for _ in range(n)),
        "birth_date": tuple(rng.choice(["1990-01-01", "1985-12-31", None]) for _ in range(n)),
        "iin": tuple(rng.choice([900101300123, "900101300124", 7, None]) for _ in range(n)),
        "note": tuple(rng.choice(['{"fio": "Ким Ольга"}', "Ли", None]) for _ in range(n)),
        "uid": tuple(str(1000 + i) for i in range(n)),  # distinct: value by value
    }


class _Recording:
    """An analyser that finds a PERSON in every text and remembers what it was handed."""

    def __init__(self) -> None:
        self.handed: list[list[str]] = []

    def analyze_batch(self, texts, context=None, fresh=True):
        self.handed.append(list(texts))
        return [[Entity("PERSON", 0, len(t), 0.85, ("lexicon",))] if t else [] for t in texts]


def _container(names) -> Container:
    return Container("mem", "users", list(names), read=lambda: iter(()))


def test_collect_counts_a_repeating_column_once_per_text():
    rng = random.Random(3)
    n = 2 * REPEATS_MIN + 44
    columns = _columns(rng, n)
    container = _container(columns)
    analyzer = _Recording()
    scanner = Scanner(analyzer, load_policy(), ScanOptions(sampling=Sampling(mode="full")))
    stats = scanner.new_stats(container)
    pending = scanner.collect(ColumnBatch(columns, n), stats, container)
    assert set(pending.counts) == {"fio", "birth_date", "iin"}
    assert pending["fio"] == list(dict.fromkeys(t for t in columns["fio"] if t and t.strip()))
    counts, order = pending.counts["fio"]
    assert sum(counts) == len(order) == sum(1 for t in columns["fio"] if t and t.strip())
    assert len(pending["uid"]) == n and "uid" not in pending.counts
    assert "note" not in pending.counts  # may be JSON: value by value
    scanner.apply(stats, pending, scanner.analyze_pending(pending))
    handed = dict(zip(pending, analyzer.handed, strict=True))
    assert handed["fio"] == pending["fio"]  # each distinct text analysed once
    assert stats["fio"].values_scanned == len(order)


def _stats(columns: dict[str, tuple], batches: int, options: ScanOptions, counting: bool):
    container = _container(columns)
    scanner = Scanner(_Recording(), load_policy(), options)
    scanner.count_distinct = counting
    stats = scanner.new_stats(container)
    n = len(next(iter(columns.values())))
    for _ in range(batches):
        pending = scanner.collect(ColumnBatch(columns, n), stats, container)
        if options.sampling.stop_rule is None:
            scanner.apply(stats, pending, scanner.analyze_pending(pending))
        else:
            scanner.analyze_and_apply(stats, pending)
    return stats, scanner


@pytest.mark.parametrize("seed", range(6))
def test_collect_and_apply_count_what_the_values_count(seed):
    rng = random.Random(seed)
    columns = _columns(rng, 2 * REPEATS_MIN + rng.randint(0, 300))
    options = ScanOptions(sampling=Sampling(mode="full"))
    fast, _ = _stats(columns, 3, options, True)
    slow, _ = _stats(columns, 3, options, False)
    assert list(fast) == list(slow)
    for name in fast:
        assert _full_view(fast[name]) == _full_view(slow[name])
        assert fast[name] == slow[name]


def test_a_sample_with_early_stops_counts_value_by_value(monkeypatch):
    """A field may stop in the middle of a batch: its values are counted one by one."""
    calls = []
    monkeypatch.setattr(scan, "repeated_texts", lambda *a: calls.append(a))
    columns = _columns(random.Random(1), 1500)
    options = ScanOptions(sampling=Sampling(mode="sample", early_stop=EarlyStop(min_values=300)))
    stats, _ = _stats(columns, 1, options, True)
    assert not calls
    assert stats["fio"].stopped_after is not None


def test_a_batch_whose_head_is_distinct_is_not_hashed_further():
    head = [str(i) for i in range(scan.REPEATS_HEAD)]
    assert repeated_texts(head + ["x"] * 10_000, 0.25) is None  # told by its head
    got = repeated_texts(head + ["x"] * 10_000, 1.0)
    assert got is not None and len(got[0]) == len(head) + 1  # the whole test, without a head
    assert repeated_texts(head[:400] * 20, 0.25) is not None


def _db(path, rows: int) -> None:
    rng = random.Random(11)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE users (id INTEGER, fio TEXT, birth_date TEXT, city TEXT, acc)")
    names = ["Ким Ольга Игоревна", "Ахметов Болат Ерланович", "Ли Анна", "Сагинтаева Айгуль"]
    con.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
        [
            (
                i,
                rng.choice(names),
                rng.choice(["1990-01-01", "1985-12-31", "2001-07-15", ""]),
                rng.choice(["Алматы", "Астана", None, '{"city": "Шымкент"}']),
                rng.choice([7000000001 + i % 5, "7000000002", 900101300123, None]),
            )
            for i in range(rows)
        ],
    )
    con.commit()
    con.close()


def full_report(path) -> dict:
    """A ``--full`` scan's report of ``path``, but for when it ran and how long it took."""
    out = scan.scan([str(path)], load_policy(None), ScanOptions(sampling=Sampling(mode="full")))
    out.pop("generated_at")
    for summary in out["sources"]:
        summary.pop("seconds")
    return out


def test_the_report_is_the_same_value_by_value(tmp_path, monkeypatch):
    path = tmp_path / "rep.db"
    _db(path, 3 * REPEATS_MIN)

    def report() -> dict:
        return full_report(path)

    taken = []
    real = scan.repeated_texts

    def spy(texts, *args):
        got = real(texts, *args)
        taken.append(got is not None)
        return got

    monkeypatch.setattr(scan, "repeated_texts", spy)
    # A batch that repeats is counted as its distinct texts, windows or not
    # (``tests/test_windows.py`` has the columns that repeat over batches only).
    windowed = report()
    assert any(taken)
    monkeypatch.setattr(Windows, "take", lambda self, field, texts: False)
    counted = report()
    assert counted == windowed
    monkeypatch.setattr(scan, "REPEATS_SHARE", 0.0)  # no batch repeats enough
    assert report() == counted


class _Scoring(_Recording):
    """Findings whose scores differ from text to text (runs that break), two types in some."""

    def analyze_batch(self, texts, context=None, fresh=True):
        self.handed.append(list(texts))
        out = []
        for t in texts:
            found = [Entity("PERSON", 0, len(t), 0.5 + len(t) % 4 / 10, ("lexicon",))] if t else []
            if t[:1].isdigit():
                found.append(Entity("KZ_IIN", 0, len(t), 0.3000000000000001, ("checksum",)))
            out.append(found)
        return out


@pytest.mark.parametrize("seed", range(4))
def test_pieces_merged_count_what_one_pass_counts(seed):
    """A container counted in pieces (Dask key ranges, some of them counted as distinct texts)
    and merged in reading order has the totals of one pass over its values, the score sums to
    the last bit: they are exact, so neither the order nor the grouping of the scores counts."""
    rng = random.Random(seed)
    n = 3 * REPEATS_MIN + rng.randint(0, 300)
    columns = _columns(rng, n)
    container = _container(columns)
    options = ScanOptions(sampling=Sampling(mode="full"))

    def counted(part: dict, rows: int) -> dict[str, FieldStats]:
        scanner = Scanner(_Scoring(), load_policy(), options)
        stats = scanner.new_stats(container)
        pending = scanner.collect(ColumnBatch(part, rows), stats, container)
        scanner.apply(stats, pending, scanner.analyze_pending(pending))
        return stats

    one = counted(columns, n)
    merged: dict[str, FieldStats] = {}
    cuts = [0, *sorted(rng.sample(range(1, n), 2)), n]
    for start, end in zip(cuts, cuts[1:], strict=False):
        part = {name: values[start:end] for name, values in columns.items()}
        merge_piece(container, PieceResult(stats=counted(part, end - start)), merged)
    assert {k: _full_view(v) for k, v in merged.items()} == {
        k: _full_view(v) for k, v in one.items()
    }
    assert one["fio"].types["PERSON"].score_sum > 0 and one["iin"].types["KZ_IIN"].matches > 0


def test_score_sums_are_exact_in_any_order_and_grouping():
    """Pieces merged in any grouping, and distinct texts with counts, sum their scores to the
    float nearest the exact sum (``exact_scores``): the same last bit however they are cut."""
    rng = random.Random(5)
    pool = [0.85, 1.0, 0.1, 0.3333333333333333, 0.3000000000000001]
    scores = [rng.choice(pool) for _ in range(5000)]
    exact = exact_scores(scores)
    assert exact == exact_scores(reversed(scores))
    cut = rng.randint(1, len(scores) - 1)
    assert exact == exact_scores(scores[:cut]) + exact_scores(scores[cut:])
    assert exact == exact_scores(pool, [scores.count(s) for s in pool])
    assert exact == exact_scores(pool, np.array([scores.count(s) for s in pool]))
    assert TypeStats(score_total=exact).score_sum == float(sum(map(Fraction, scores)))
    assert sum(scores) != sum(sorted(scores))  # plain float sums differ by the order
    assert TypeStats().score_sum == 0.0
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="scores are finite numbers"):
            exact_scores([0.5, bad])
