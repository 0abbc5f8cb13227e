"""The batch (numpy) readings of plain numbers give exactly what the text-by-text readings give.

``plain_numbers`` tells, for a whole batch at once, which texts are one number of a length
(plain, or grouped with single ASCII separators) and reads their digits; here it is held to the
reading it replaced, text by text, on generated texts of every shape around those lengths:
digits, separators, non-ASCII digits and letters, doubled and leading or trailing separators.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from pdaudit.recognizers.checksums import by_index, plain_numbers

SEED = 20261207
_GROUPS = re.compile(r"[0-9]+(?:[ \-][0-9]+)*")
ALPHABET = "0123456789" * 6 + "  --\u00a0\u0661\uff11xЖ.+\ud800\U0001f600"


def _by_text(texts: list[str], length: int, grouped: bool) -> tuple[list[int], list[list[int]]]:
    """``plain_numbers`` as it was read before, one text at a time (in index order)."""
    found = []
    for i, t in enumerate(texts):
        if len(t) == length and t.isascii() and t.isdigit():
            found.append((i, t))
        elif grouped and length < len(t) < 2 * length and t.isascii() and _GROUPS.fullmatch(t):
            digits = t.replace(" ", "").replace("-", "")
            if len(digits) == length:
                found.append((i, digits))
    return [i for i, _ in found], [[int(c) for c in d] for _, d in found]


def _texts(rng: random.Random, n: int) -> list[str]:
    texts = []
    for _ in range(n):
        size = rng.choice([0, 1, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 40])
        kind = rng.random()
        if kind < 0.4:
            text = "".join(rng.choice("0123456789") for _ in range(size))
        elif kind < 0.8:  # digit groups joined by separators, some doubled or at the edges
            text = "".join(rng.choice("0123456789" * 3 + " -") for _ in range(size))
        else:
            text = "".join(rng.choice(ALPHABET) for _ in range(size))
        texts.append(text)
    return texts


@pytest.mark.parametrize("length", [10, 11, 12])
@pytest.mark.parametrize("grouped", [False, True])
def test_plain_numbers_equal_the_text_by_text_reading(length, grouped):
    rng = random.Random(SEED + length + 100 * grouped)
    total = 0
    for size in (1, 7, 300, 4096):
        texts = _texts(rng, size)
        index, digits = plain_numbers(texts, length, grouped)
        want_index, want_digits = _by_text(texts, length, grouped)
        assert index == want_index
        assert digits.dtype == np.int64
        assert digits.shape == (len(want_index), length)
        assert digits.tolist() == want_digits
        total += len(index)
    assert total > 100


@pytest.mark.parametrize("grouped", [False, True])
def test_plain_numbers_of_a_whole_column_and_of_none(grouped):
    rng = random.Random(SEED)
    column = ["".join(rng.choice("0123456789") for _ in range(12)) for _ in range(500)]
    index, digits = plain_numbers(column, 12, grouped)
    assert index == list(range(500))
    assert digits.tolist() == [[int(c) for c in t] for t in column]
    for texts in ([], ["x"], ["Ж" * 12], ["1234 5678 90"]):
        index, digits = plain_numbers(texts, 12, grouped)
        assert (index, digits.tolist()) == _by_text(texts, 12, grouped)
        assert digits.shape == (len(index), 12)


def test_by_index():
    assert by_index(0, [], np.zeros(0, dtype=bool)) == []
    out = by_index(5, [0, 3], np.array([False, True]))
    assert out == [False, None, None, True, None]
    assert [type(v) for v in out] == [bool, type(None), type(None), bool, type(None)]
