"""The per-finding shortcuts of a column whose every value is a finding, each against the path
it stands for:

- ``Analyzer._run``: the texts in which one recognizer finds one and the same finding share one
  list of one ``Entity`` (made once a batch); a text another recognizer finds something in too
  gets its own list.
- ``fieldmodel.number_column``: a batch whose every text is an ASCII bare number of one number
  of digits is read from its bytes (``_same_width_numbers``); a batch whose smallest text
  starts after "9" holds no bare number (``_no_number_start``).
- ``Analyzer.analyze_batch``: a field whose probed texts neither repeated across batches nor
  within them is analysed as its batches come, without a dict of their texts.
"""

from __future__ import annotations

import random

import pytest
from presidio_analyzer import EntityRecognizer

from pdaudit.recognizers.base import Findings
from pdaudit.scanner.analysis import Analyzer, Entity
from pdaudit.scanner.custom import AllowList


class _Table(Findings, EntityRecognizer):
    """Finds, in each text, the entity tuples its table holds for it (fresh tuples each call,
    as a recognizer builds them)."""

    def __init__(self, entity: str, table: dict[str, list[tuple]]) -> None:
        super().__init__(supported_entities=[entity], name=f"Table{entity}")
        self.table = table

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # pragma: no cover - not called
        raise AssertionError("the analysis calls findings")

    def findings(self, texts, entities, context):
        return [[tuple(f) for f in self.table.get(t, [])] for t in texts]


_SCORES = [1.0, 0.95, 0.3, 0.0, -0.0, 0.5]
_EVIDENCE = [(), ("checksum",), ("checksum", "field name: iin"), ("syntax",)]


def _tables(rng: random.Random, texts: list[str]) -> list[dict[str, list[tuple]]]:
    """Two recognizers' findings: mostly one of a few findings a text (the same type, span,
    score and evidence in many texts), some texts with two of one or of both recognizers,
    overlapping, equal scores of either sign of zero, scores under a floor."""
    tables = []
    for etype in ("A_TYPE", "B_TYPE"):
        table: dict[str, list[tuple]] = {}
        for text in texts:
            found = []
            for _ in range(rng.choice([0, 1, 1, 1, 1, 1, 2] if etype == "A_TYPE" else [0, 0, 1])):
                start = rng.choice([0, 0, 0, 2])
                end = rng.choice([len(text), len(text), start + 3])
                score = rng.choice(_SCORES)
                attrs = rng.choice([(), (("region", "KZ"),)])
                found.append((etype, start, end, score, rng.choice(_EVIDENCE), attrs))
            table[text] = found
        tables.append(table)
    return tables


def _exact(lists: list[list[Entity]]) -> list[str]:
    """The findings as their exact text (``-0.0`` is not ``0.0`` here)."""
    return [repr([tuple(e) for e in ents]) for ents in lists]


@pytest.mark.parametrize("floor", [0.0, 0.4])
@pytest.mark.parametrize("seed", range(6))
def test_shared_findings_equal_each_text_alone(seed, floor):
    rng = random.Random(seed)
    texts = list(dict.fromkeys(f"value {rng.randrange(10**6):06d}" for _ in range(600)))
    tables = _tables(rng, texts)
    allow = AllowList(["val"]) if seed % 2 else None  # the spans (0, 3)

    def analyzer(cache_size: int) -> Analyzer:
        recognizers = [_Table("A_TYPE", tables[0]), _Table("B_TYPE", tables[1])]
        return Analyzer(recognizers, min_score=floor, cache_size=cache_size, allow=allow)

    alone = analyzer(0)
    want = [alone.analyze(t) for t in texts]
    for cache_size in (0, 200_000):
        batch = analyzer(cache_size)
        got = batch.analyze_batch(texts, fresh=False)
        assert _exact(got) == _exact(want)
        # What a text's list holds is its own: changing a copy or another text's findings
        # leaves it as it is.
        again = batch.analyze_batch(texts + texts[:50], fresh=True)
        for ents in again:
            ents.append(Entity("X", 0, 1, 1.0))
        assert _exact(batch.analyze_batch(texts, fresh=False)) == _exact(want)
    assert sum(map(len, want)) > 200


def test_equal_findings_share_one_list_within_a_batch():
    texts = [f"{n:012d}" for n in range(1000)]
    one = {t: [("KZ_IIN", 0, 12, 1.0, ("checksum",), ())] for t in texts}
    one[texts[7]] = [("KZ_IIN", 0, 12, 0.95, ("checksum",), ())]  # another score
    one[texts[8]] = [("KZ_IIN", 0, 12, 0.0, ("checksum",), ())]  # a zero score is not shared
    one[texts[9]] = [("KZ_IIN", 0, 12, 0.0, ("checksum",), ())]
    other = {texts[3]: [("PHONE_NUMBER", 1, 11, 0.7, (), ())]}  # a second type in one text
    recognizers = [_Table("KZ_IIN", one), _Table("PHONE_NUMBER", other)]
    found = Analyzer(recognizers, cache_size=0).analyze_batch(texts, fresh=False)
    lists = {id(ents) for ents in found}
    assert len(lists) == 1 + 1 + 2 + 1  # the common one, 0.95, two zero scores, the crowded one
    assert found[0] is found[999] and found[3] is not found[0]
    assert found[0] == [Entity("KZ_IIN", 0, 12, 1.0, ("checksum",))]
    assert found[3] == found[0]  # the containing span wins


def test_findings_that_cannot_be_hashed_are_not_shared():
    """A plugin whose evidence or attribute value is a list (the contract says strings) still
    has its findings counted, each text its own list, as before findings were shared."""
    texts = ["a b", "c d", "e f"]
    table = {t: [("X", 0, 1, 0.9, ["field name"], ())] for t in texts[:2]}
    table[texts[2]] = [("X", 0, 1, 0.9, (), (("k", ["v"]),))]
    found = Analyzer([_Table("X", table)], cache_size=0).analyze_batch(texts, fresh=False)
    assert [[(e.type, e.start, e.end, e.score) for e in ents] for ents in found] == [
        [("X", 0, 1, 0.9)]
    ] * 3
    assert found[0] is not found[1]
    assert [list(e.evidence) for ents in found for e in ents] == [["field name"]] * 2 + [[]]


# -- fieldmodel.number_column: a batch of ASCII numbers of one width ---------------------------

_SEPARATORS = [" ", "-", "(", ")", "+", ".", "\u00a0"]


def _number_like(rng: random.Random, width: int) -> str:
    """A bare number of ``width`` digits with separators anywhere, or a near miss of one."""
    chars = [rng.choice("0123456789") for _ in range(width)]
    for _ in range(rng.choice([0, 0, 1, 3, 8, 30])):
        chars.insert(rng.randint(0, len(chars)), rng.choice(_SEPARATORS[:-1]))
    text = "".join(chars)
    miss = rng.random()
    if miss < 0.01:
        text = rng.choice(["", "+", "\n", "1\n2", "٣" * width, "\u00a0" + text, text + ":", "x"])
    elif miss < 0.02:
        text = rng.choice([" ", "-", ")", ".", "\u00a0", "+", "("]) + text
    elif miss < 0.03:
        text = text + rng.choice(["0", "00", ""])
    return text


@pytest.mark.parametrize("seed", range(40))
def test_same_width_numbers_count_as_one_text_at_a_time(seed):
    """Batches whose texts are (nearly all) ASCII bare numbers of one width: separators at
    the start, the end and between, too long, a line break, a non-ASCII digit or a no-break
    space in one text, one text a digit longer or shorter."""
    from pdaudit.scanner import fieldmodel

    rng = random.Random(seed)
    width = rng.choice([1, 2, 8, 11, 12, 15, 19, 20])
    for size in (1, 2, 3, fieldmodel.COLUMN_MIN, 700):
        texts = [_number_like(rng, width) for _ in range(size)]
        counts, numbers = fieldmodel.number_column(texts)
        shapes, want = fieldmodel._shapes_one_by_one(texts)
        want_counts: dict[int, int] = {}
        for shape in filter(None, shapes):
            want_counts[shape] = want_counts.get(shape, 0) + 1
        assert list(counts.items()) == list(want_counts.items())
        assert numbers.dtype.name == "uint64" and numbers.tolist() == want
        assert fieldmodel.digit_shapes(texts) == (shapes, want)


def test_same_width_numbers_take_the_bytes_path(monkeypatch):
    """IINs, phones with separators, dates: read without polars, and a batch with one other
    text goes the general way."""
    from pdaudit.scanner import fieldmodel

    calls: list[int] = []
    general = fieldmodel._number_series

    def series(texts):
        calls.append(len(texts))
        return general(texts)

    monkeypatch.setattr(fieldmodel, "_number_series", series)
    rng = random.Random(5)
    iins = [f"{rng.randrange(10**12):012d}" for _ in range(500)]
    phones = [f"+7 ({rng.randrange(700, 800)}) {rng.randrange(10**7):07d}" for _ in range(500)]
    dates = [
        f"19{rng.randrange(100):02d}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}"
        for _ in range(500)
    ]
    for texts in (iins, phones, dates):
        assert fieldmodel._same_width_numbers(texts) is not None
        counts, numbers = fieldmodel.number_column(texts)
        shapes, want = fieldmodel._shapes_one_by_one(texts)
        assert counts == {shapes[0]: len(texts)} and numbers.tolist() == want
    assert calls == []
    for odd in (" 1234", "-12345678", "1" * 13, "1 " * 19 + "1", "12\n34"):
        assert fieldmodel._same_width_numbers([*dates, odd]) is None


# -- Analyzer.analyze_batch: a field of distinct values is not searched for repeats -----------


def test_a_field_of_distinct_values_is_analysed_as_it_comes():
    """Once the probe has seen a field's texts neither held by the cache nor repeated within
    their batches, its batches go to the recognizers as they come: a repeat is analysed twice
    (what the counting recognizer sees), and every answer is what each text alone gives, with
    repeats, empty texts (the general way) and allowed values."""
    from foreign import Counting

    from pdaudit.scanner.analysis import PROBE_TEXTS

    counting = Counting()
    allow = AllowList(["tok-007"])
    analyzer = Analyzer([counting], allow=allow)
    alone = Analyzer([Counting()], cache_size=0, allow=allow)
    ids = [f"id tok-{n:03d} {n}" for n in range(PROBE_TEXTS + 2_000)]
    for start in range(0, PROBE_TEXTS, 2_000):
        analyzer.analyze_batch(ids[start : start + 2_000], context=["id"], fresh=False)
    assert ("id",) in analyzer._unrepeated and not analyzer.remembers(["id"])
    rng = random.Random(3)
    rest = ids[PROBE_TEXTS:]
    for batch in (
        rest,
        [*rest[:50], *rest[:50], "id tok-007 7", "x"],  # repeats, an allowed value
        [*rest[:50], "", "", *rest[:50]],  # empty texts: the general way
        rng.choices(rest, k=300),
    ):
        counting.seen.clear()
        for fresh in (False, True):
            got = analyzer.analyze_batch(batch, context=["id"], fresh=fresh)
            assert got == [alone.analyze(t) for t in batch]
        if "" in batch:
            assert len(counting.seen) == 2 * len(set(batch) - {""})
        else:
            assert len(counting.seen) == 2 * len(batch)
    copies = analyzer.analyze_batch(rest[:10], context=["id"])
    copies[0].clear()
    assert analyzer.analyze_batch(rest[:10], context=["id"])[0] != []


def test_a_field_that_repeats_within_its_batches_is_still_searched_for_repeats():
    """A sorted column: its values repeat within a batch, never across batches; the cache
    does not remember it, but each batch's repeats are analysed once."""
    from foreign import Counting

    from pdaudit.scanner.analysis import PROBE_TEXTS

    counting = Counting()
    analyzer = Analyzer([counting])
    days = [f"day tok-{n // 100:05d}" for n in range(PROBE_TEXTS + 4_000)]
    for start in range(0, len(days), 2_000):
        counting.seen.clear()
        batch = days[start : start + 2_000]
        got = analyzer.analyze_batch(batch, context=["day"], fresh=False)
        assert counting.seen == list(dict.fromkeys(batch))
        assert got == [[Entity("CUSTOM_TOKEN", 4, 11, 0.9)]] * len(batch)
    assert not analyzer.remembers(["day"]) and ("day",) not in analyzer._unrepeated
