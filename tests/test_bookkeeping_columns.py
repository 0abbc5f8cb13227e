"""The column-at-a-time counting of a field's values (issue 15) equals the text-at-a-time one.

``fieldmodel.number_column`` (polars) against ``fieldmodel.digit_shapes`` (one text at a time),
and ``FieldStats.add_all`` of long batches against ``FieldStats.add`` of one value at a time, on
adversarial batches: non-ASCII digits, phones in every form, 20-digit runs, numbers of 2**62 and
more, empty strings, new lines and lone surrogates. Synthetic values only.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from pdaudit.scanner import fieldmodel
from pdaudit.scanner.verdicts import FieldStats

_PIECES = ["7", "0", "12", "4509", "+", "(", ")", "-", " ", ".", "\u00a0", ":", "٣", "²", "a", "\n"]
_WORDS = ["Ким Ольга", "ул. Абая 5", "a@b.kz", "", " 7", "٣٣", "7\n", "+", "(", "()", "+7 ٣"]


def _cells(rng: random.Random, n: int) -> list[str]:
    """Bare numbers in every form, near misses and words."""
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.25:
            out.append("".join(rng.choice("0123456789") for _ in range(rng.randint(1, 22))))
        elif kind < 0.4:
            out.append(
                rng.choice(["+7 ", "8 ", "+7(", "8("])
                + "".join(rng.choice("0123456789 -()") for _ in range(rng.randint(0, 40)))
            )
        elif kind < 0.55:
            out.append(str(rng.randrange(4 * 10**18, 10**19)))  # 2**62 and more, 19 digits
        elif kind < 0.85:
            out.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 25))))
        else:
            out.append(rng.choice(_WORDS))
    return out


def _by_one(texts: list[str]) -> tuple[dict[int, int], list[int]]:
    """``number_column``'s answer from the text-at-a-time reading."""
    shapes, numbers = fieldmodel._shapes_one_by_one(texts)
    counts: Counter = Counter()
    counts.update(filter(None, shapes))
    return dict(counts), numbers


def _same(texts: list[str]) -> None:
    counts, column = fieldmodel.number_column(texts)
    want_counts, want_numbers = _by_one(texts)
    assert list(counts.items()) == list(want_counts.items())  # the order first seen too
    assert column.dtype == np.uint64
    assert column.tolist() == want_numbers


def test_number_column_equals_one_text_at_a_time():
    rng = random.Random(1507)
    for size in (1, 7, 300, 2000):
        for _ in range(30):
            _same(_cells(rng, size))
    _same(["+7 (701) 123-45-67", "8 701 123 45 67", "9" * 19, "9" * 20, "1" * 38, "1" * 39])
    _same(["٣٣", "²", "1٣", "+7 ٣", "", "\n", "1\n", "+()", "(" * 38, "2023-01-05 10:00:00"])
    _same(["Ким", "Ли"] * 200)  # nothing starts as a number
    _same(["0", "00", "007", "0" * 19])


def test_number_column_takes_polars_and_falls_back_on_a_surrogate(monkeypatch):
    """The batch goes through polars, not text by text, unless a text has no UTF-8 form."""
    calls: list[int] = []
    apart = fieldmodel._shapes_one_by_one

    def one_by_one(texts):
        calls.append(len(texts))
        return apart(texts)

    monkeypatch.setattr(fieldmodel, "_shapes_one_by_one", one_by_one)
    rng = random.Random(9)
    texts = _cells(rng, 500)
    _same(texts)
    assert calls == [500]  # _same's own reference reading only
    calls.clear()
    texts[3] = "+7 701\ud800"
    texts[4] = "\udc00"
    _same(texts)
    assert calls == [500, 500]  # the fallback, then the reference


def test_count_array_steps_equals_count_steps():
    rng = random.Random(77)
    for _ in range(200):
        big = rng.random() < 0.3
        top = 10**19 - 1 if big else 10**12
        base = rng.randrange(top - 100)
        numbers = [
            base + rng.randrange(30) if rng.random() < 0.7 else rng.randrange(top)
            for _ in range(rng.randint(1, 40))
        ]
        before = rng.choice([None, base, rng.randrange(top), (1 << 62) + 5])
        got = fieldmodel.count_array_steps(np.array(numbers, dtype=np.uint64), before)
        assert got == fieldmodel.count_steps(numbers, before)
    assert fieldmodel.count_array_steps(np.zeros(0, dtype=np.uint64), 5) == (0, 0)
    assert fieldmodel.count_array_steps(np.array([7], dtype=np.uint64), None) == (0, 0)


@pytest.mark.parametrize("size", [256, 1000, 2000])
def test_add_all_long_batches_equal_add_one_by_one(size):
    """FieldStats equal value for value: shapes (and their order), steps, first and last."""
    rng = random.Random(size)
    cells = _cells(rng, 3 * size + 17)
    cells[5] = "12\ud800"  # one batch falls back
    cells += [str(7_000_000_000 + n) for n in range(600)]
    one, batch = FieldStats("db", "t", "n"), FieldStats("db", "t", "n")
    for cell in cells:
        one.add(cell, [])
    for lo in range(0, len(cells), size):
        part = cells[lo : lo + size]
        batch.add_all(part, [[] for _ in part])
    assert one == batch
    assert list(one.shapes.items()) == list(batch.shapes.items())
    assert type(batch.first_number) is int and type(batch.last_number) is int
    assert one.steps >= 599


def test_relation_indices_equal_relation_texts():
    """The indices ``count_texts`` reads are those ``relation_texts`` marks: mixed ASCII and
    Cyrillic batches, relation words in every case, lone surrogates, nothing at all."""
    from pdaudit.scanner import thirdparty as tp

    rng = random.Random(4242)
    exact, prefixes = tp._relations()
    pieces = sorted(exact) + [p + "ымның" for p in prefixes] + ["Арман", "a@b.kz", "syn", "7"]
    pieces += ["\ud800", "ДОЧЬ", "мамаша", ""]
    glue = [" ", ", ", "(", ")", "", "-", "\u00a0", "\n"]
    for size in (0, 1, 5, 300, 2000):
        for _ in range(10):
            texts = [
                "".join(rng.choice(glue) + rng.choice(pieces) for _ in range(rng.randint(0, 3)))
                for _ in range(size)
            ]
            want = [i for i, hit in enumerate(tp.relation_texts(texts)) if hit]
            assert tp.relation_indices(texts) == want
    assert tp.relation_indices(["a@b.kz", "+77011234567"]) == []
    assert tp.relation_indices(["Ким Ольга", "a@b.kz", "мой сын Арман"]) == [2]


def test_count_texts_counts_the_relation_texts_once():
    """``count_texts`` over a batch equals counting its texts one at a time."""
    from pdaudit.scanner.analysis import Entity
    from pdaudit.scanner.thirdparty import TextCounts, count_texts

    texts = ["мой сын Ерлан Ахметов", "Ахметов Ерлан", "a@b.kz", "моя дочь Ким Инжу"] * 40
    found = [[Entity("PERSON", len(t) - 13, len(t), 0.9)] if "@" not in t else [] for t in texts]
    batch, one = TextCounts(), TextCounts()
    count_texts(batch, texts, found)
    for text, ents in zip(texts, found, strict=True):
        count_texts(one, [text], [ents])
    assert batch == one
    assert batch.values == 80


def test_number_column_plain_ascii_numbers_skip_the_regex(monkeypatch):
    """A batch of plain ASCII numbers (ids, IINs, leading zeros, 19 digits) is cast without the
    regex and counts as the one-by-one reading; an empty text or a 20-digit one takes the regex."""
    calls: list[int] = []
    apart = fieldmodel._number_series

    def series(texts):
        calls.append(len(texts))
        return apart(texts)

    monkeypatch.setattr(fieldmodel, "_number_series", series)
    rng = random.Random(31)
    plain = [
        str(rng.randrange(10 ** rng.randint(1, 19))).zfill(rng.randint(1, 5)) for _ in range(999)
    ]
    plain += ["9" * 19, "0"]
    _same(plain)
    _same([str(n) for n in range(1, 3000)])
    assert calls == []
    _same([*plain, ""])
    _same([*plain, "1" * 20])
    _same([*plain, "٣"])
    assert calls == [1002, 1002, 1002]  # "٣" is a digit, but no ASCII one


def _person(text: str):
    from pdaudit.scanner.analysis import Entity

    start = text.find("Ким")
    return [Entity("PERSON", start, start + 10, 0.85, ("lexicon",))] if start >= 0 else []


@pytest.mark.parametrize("distinct", [3, 12, 13, 14, 70, 500])
def test_person_fragments_of_a_batch_equal_one_at_a_time(distinct, monkeypatch):
    """PERSON's distinct fragments, template texts and prose count: ``add_all`` of batches
    (the rest counted at once once both are full) equals ``add`` value by value."""
    from pdaudit.scanner import verdicts

    calls: list[str] = []
    note = verdicts._note_fragment

    def counted(stats, etype, text, *args):
        calls.append(text)
        return note(stats, etype, text, *args)

    monkeypatch.setattr(verdicts, "_note_fragment", counted)
    rng = random.Random(distinct)
    pool = [
        rng.choice(["", "Пишет ", "Ответ для ", "С уважением, "])
        + f"Ким Инжу{n:02d}"
        + rng.choice(["", " из Алматы сегодня", ", спасибо"])
        for n in range(distinct)
    ]
    texts = [rng.choice(pool) for _ in range(3000)] + ["без имени", "Ким Инжу"]
    rng.shuffle(texts)
    found = [_person(t) for t in texts]
    one, batch = FieldStats("db", "t", "note"), FieldStats("db", "t", "note")
    for text, ents in zip(texts, found, strict=True):
        one.add(text, ents)
    assert len(calls) == 3001
    calls.clear()
    for lo in range(0, len(texts), 700):
        batch.add_all(texts[lo : lo + 700], found[lo : lo + 700])
    assert one == batch
    person = one.types["PERSON"]
    assert person.matches == 3001 and person.in_prose > 0
    if distinct >= 64:  # both full: the rest of each batch is counted at once
        assert len(calls) < 700
    else:
        assert len(calls) == 3001


def test_role_mailbox_prefix_tree_matches_as_the_word_list():
    """The prefix-tree pattern answers as ``^(?:w1|w2|...)(?:[-_.]?\\d+)?@`` over the words:
    every word in every case, Unicode case variants (Kelvin sign, long s, dotted I), digits of
    other scripts, separators, prefixes and extensions of words, blanks."""
    import re

    vocab = fieldmodel.vocabulary()
    flat = re.compile(
        rf"^(?:{'|'.join(map(re.escape, vocab.role_words))})(?:[-_.]?\d+)?@", re.IGNORECASE
    )
    rng = random.Random(606)
    odd = ["\u212a", "\u017f", "\u0130", "\u0131", "ß", "١", "٣", "²", " ", "\u00a0", "Ё"]
    tails = ["@", "1@", "-12@", "_7@", ".0@", "--1@", "x@", "١@", "", "@@", " @", "-@"]
    texts = []
    for _ in range(20000):
        word = rng.choice(vocab.role_words)
        kind = rng.random()
        if kind < 0.3:
            word = "".join(c.upper() if rng.random() < 0.5 else c for c in word)
        elif kind < 0.5:
            i = rng.randrange(len(word))
            word = word[:i] + rng.choice(odd) + word[i + 1 :]
        elif kind < 0.7:
            word = word[: rng.randrange(len(word) + 1)] + rng.choice(["", "s", "a", "-"])
        texts.append(rng.choice(["", " ", "x"]) * (rng.random() < 0.1) + word + rng.choice(tails))
    texts += ["Kontakt@x", "\u212aadry@x", "\u017fales@x", "INFO@x", "info@x", "admin١@x"]
    want = [bool(flat.match(t.strip())) for t in texts]
    assert 2000 < sum(want) < 18000
    assert [fieldmodel.is_role_mailbox(t) for t in texts] == want
    assert fieldmodel.role_mailboxes(texts) == sum(want)
