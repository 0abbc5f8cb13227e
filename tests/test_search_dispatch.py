"""The analysis' shortcuts around the searches and the recognizers (``scanner/analysis.py``):
a field whose digit shapes do not repeat stops being shaped, a batch of one shape, and
``Analyzer._run``'s handing of texts and findings, each held to the general path."""

from __future__ import annotations

import random
import string
from itertools import pairwise

import pytest
from test_digit_shapes import SEARCHES, _adversarial

from pdaudit.scanner.analysis import PROBE_SHAPES, Analyzer, Searches
from pdaudit.scanner.digit_blind import distinct_shapes


def _emails(rng: random.Random, count: int) -> list[str]:
    letters = string.ascii_lowercase
    return [
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 12)))
        + str(rng.randint(0, 99))
        + rng.choice(["@mail.kz", "@gmail.com", "@yandex.ru"])
        for _ in range(count)
    ]


def test_a_field_of_distinct_shapes_stops_being_shaped():
    """Once ``PROBE_SHAPES`` of a field's texts had distinct shapes, its batches go straight
    to ``hits_direct``: no text of it is shaped again, and the answers stay the same. Another
    field, and a field whose shapes repeat, are still shaped."""
    rng = random.Random(7)
    searches = Searches(SEARCHES)
    batch = 1_000
    for k in range(PROBE_SHAPES // batch):
        texts = _emails(rng, batch)
        assert searches.hits(texts, ["email"]) == searches.hits_direct(texts)
        assert searches.texts_shaped == (k + 1) * batch
    shaped = searches.texts_shaped
    for _ in range(3):
        texts = _emails(rng, batch)
        assert searches.hits(texts, ["email"]) == searches.hits_direct(texts)
    assert searches.texts_shaped == shaped  # the field's shapes are no longer computed
    searches.hits(texts, ["note"])  # another field: probed on its own
    assert searches.texts_shaped == shaped + batch
    phones = [f"+7 701 {n:03d} {n % 97:02d} {n % 89:02d}" for n in range(100, 1000)]
    for _ in range(6):
        shaped = searches.texts_shaped
        assert searches.hits(phones, ["phone"]) == searches.hits_direct(phones)
        assert searches.texts_shaped == shaped + len(phones)  # one shape: shaped every time
    shaped = searches.texts_shaped
    searches.hits(texts)  # no field named: no memory
    assert searches.texts_shaped == shaped + len(texts)


def test_the_analyzer_names_the_field_to_its_searches():
    rng = random.Random(8)
    analyzer = Analyzer(min_score=0.4)
    slow = Analyzer(min_score=0.4, prefilter=False, cache_size=0)
    for _ in range(PROBE_SHAPES // 1_000 + 2):
        texts = _emails(rng, 1_000)
        assert analyzer.analyze_batch(texts, ["email"]) == slow.analyze_batch(texts, ["email"])
    assert ("email",) in analyzer._searches._unshaped


@pytest.mark.parametrize("seed", range(3))
def test_one_shape_batches_select_what_the_texts_do(seed):
    """Batches whose texts all share one digit shape (the shortcut of ``distinct_shapes``)."""
    searches = Searches(SEARCHES, long_texts=1e9)
    texts = _adversarial(seed)
    by_shape: dict[str, list[str]] = {}
    for text in texts:
        try:
            (shape,), _ = distinct_shapes([text])
        except UnicodeEncodeError:
            continue
        by_shape.setdefault(shape, []).append(text)
    for group in by_shape.values():
        shapes, codes = distinct_shapes(group)
        assert len(shapes) == 1
        assert codes is None or codes.tolist() == [0] * len(group)
        assert searches.hits(group) == searches.hits_direct(group)


def test_one_shape_needs_every_text_of_it():
    shapes, codes = distinct_shapes(["12", "34", "5a"])
    assert shapes == ["00", "0a"] and codes.tolist() == [0, 0, 1]
    shapes, codes = distinct_shapes(["12", "34", "567"])
    assert shapes == ["00", "000"] and codes.tolist() == [0, 0, 1]
    shapes, codes = distinct_shapes(["1", "2"])
    assert shapes == ["0"] and codes.tolist() == [0, 0]
    shapes, codes = distinct_shapes(["1\x002", "3\x004"])  # a NUL inside: split another way
    assert shapes == ["0\x000"] and codes.tolist() == [0, 0]
    shapes, codes = distinct_shapes(["1", "2", "1\x002"])
    assert shapes == ["0", "0\x000"] and codes.tolist() == [0, 0, 1]


def test_a_search_that_selects_every_text_hands_the_batch_itself():
    """A recognizer whose search selects every text of a batch (a column of ИИН) is handed the
    batch's own list, not a copy; one that selects some gets those texts; the findings are the
    same as with every text handed to every recognizer."""
    from pdaudit.recognizers.kz_iin import KzIinRecognizer

    handed: list[list[str]] = []

    class Counted(KzIinRecognizer):
        SEARCH = KzIinRecognizer.SEARCH

        def findings(self, texts, entities, context):
            handed.append(texts)
            return super().findings(texts, entities, context)

    analyzer = Analyzer([Counted()], cache_size=0)
    slow = Analyzer([Counted()], cache_size=0, prefilter=False)
    assert analyzer._searches.columns == [0]
    every = ["900101300126", "850214450123", "000000000000", "900101300127"]
    assert analyzer._run(every, ["iin"]) == slow._run(every, ["iin"])
    assert handed[0] is every  # the batch itself
    assert analyzer.analyze_batch(every, ["iin"]) == slow.analyze_batch(every, ["iin"])
    handed.clear()
    some = [*every, "нет", "ИИН: 900101300126."]
    assert analyzer._run(some, ["iin"]) == slow._run(some, ["iin"])
    assert handed[0] == [*every, "ИИН: 900101300126."]


@pytest.mark.parametrize("seed", range(4))
def test_entities_that_do_not_overlap_are_kept_as_the_general_way_keeps_them(seed):
    """``resolve_overlaps`` returns entities that do not overlap at once; on random entities
    (empty spans, equal spans, a PERSON around digits, apart or touching) it gives what the
    general way (``_resolve_clashes``) gives."""
    from pdaudit.scanner.analysis import Entity, _resolve_clashes, resolve_overlaps

    rng = random.Random(seed)
    text = "Жумабеков 900101300126 Арман, тел. 87011234567 a@b.kz"
    kept_apart = 0
    for _ in range(3_000):
        entities = []
        for _ in range(rng.randint(1, 4)):
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.choice([0, 1, 5, 12, 23, 40]))
            entities.append(
                Entity(
                    rng.choice(["PERSON", "KZ_IIN", "PHONE_NUMBER"]),
                    start,
                    end,
                    rng.choice([0.5, 0.85, 1.0]),
                    (rng.choice(["a", "b"]),),
                )
            )
        for given in (text, None):
            got = resolve_overlaps(iter(entities), given)
            assert got == _resolve_clashes(list(entities), given), (entities, given)
        ordered = sorted(entities, key=lambda e: e.start)
        kept_apart += all(a.end <= b.start for a, b in pairwise(ordered))
    assert kept_apart > 300  # the shortcut's case is among them
