"""A plain column's batch whose values repeat is counted as its distinct texts (issue 15).

``Scanner.collect`` hands such a batch of a ``ColumnBatch`` over as distinct texts with counts
and the reading order (``scan.repeated_texts``); ``FieldStats.add_counts`` must then count what
``add_all`` counts over the values, field for field and in the same order (examples, evidence,
score sums to the last bit, number shapes and steps), and the report must not change.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from test_bookkeeping_fastpath import NUMBERISH
from test_read_fastpath import _random_entities, _stats_view

from pdaudit.scanner import fieldmodel
from pdaudit.scanner.analysis import Entity
from pdaudit.scanner.thirdparty import TextCounts, count_texts
from pdaudit.scanner.verdicts import FieldStats

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
